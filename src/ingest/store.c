/* store.c: the finding store. Records are serialised to an unlinked temporary spill file
 * as they arrive. De-duplication does not keep every id in memory: each delivery's
 * (128-bit id hash, updated_at, sequence) goes into a 4 MiB buffer that is sorted and
 * written out as a run; at the end the runs are merged and the last delivery of each id
 * (newest updated_at, then latest read) is marked in a bitmap of one bit per record.
 * Iteration re-reads the spill file and yields the marked records, in input order. */
#include "ingest/finding.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"

/* One delivery in the de-duplication index. */
typedef struct {
    uint64_t h1, h2; /* 128-bit hash of the finding id */
    int64_t updated;
    uint64_t seq; /* position of the record in the spill file */
} index_entry;

/* Entries kept in memory before a sorted run goes to disk: 4 MiB, so peak memory does not
 * grow with the number of findings (only the winners bitmap does, one bit per record). */
#define RUN_ENTRIES ((size_t)(4u << 20) / sizeof(index_entry))

struct ev_store {
    FILE *spill;      /* serialised records */
    FILE *runs;       /* sorted runs of index entries */
    index_entry *buf; /* the run being filled */
    size_t n_buf;
    size_t n_runs;
    uint64_t *run_start; /* entry offset of each run in the runs file */
    size_t records;
    size_t distinct;
    bool finished;   /* runs merged: winners and distinct are known */
    uint8_t *winner; /* bit per record: the delivery that counts */
    ev_buf rec;      /* scratch for serialising */
};

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static void hash_id(const char *s, uint64_t *h1, uint64_t *h2)
{
    /* Two independent 64-bit lanes over 8-byte words (ids are long ARNs): a collision needs
     * both to collide (about 1 in 2^128). Only compared within one run, never stored. */
    size_t n = strlen(s);
    uint64_t a = 0x9e3779b97f4a7c15ULL ^ n, b = 0xcbf29ce484222325ULL ^ (n * 0x100000001b3ULL);
    const unsigned char *p = (const unsigned char *)s;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, sizeof w);
        a = rotl((a ^ w) * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
        b = rotl((b ^ w) * 0x4cf5ad432745937fULL, 29) * 0x87c37b91114253d5ULL + a;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    a = mix(a ^ w ^ ((uint64_t)n << 59));
    b = mix(b ^ rotl(w, 17) ^ a);
    *h1 = a;
    *h2 = b;
}

/* An unlinked temporary file in dir (NULL: the system's), gone when closed or on a crash. */
static FILE *temp_file(const char *dir, const char *stem)
{
    if (!dir)
        return tmpfile();
    ev_buf path = EV_BUF_INIT;
    ev_buf_printf(&path, "%s/.%s-XXXXXX", dir, stem);
    FILE *fp = NULL;
    int fd = mkstemp(path.data);
    if (fd >= 0) {
        unlink(path.data);
        fp = fdopen(fd, "w+b");
        if (!fp)
            close(fd);
    }
    ev_buf_free(&path);
    return fp;
}

ev_status ev_store_new(const char *dir, ev_store **out, ev_error *err)
{
    FILE *spill = temp_file(dir, "findings");
    FILE *runs = spill ? temp_file(dir, "index") : NULL;
    if (!spill || !runs) {
        int e = errno;
        if (spill)
            fclose(spill);
        return ev_error_set(err, EV_ERR_OUTPUT, dir, 0, 0, "cannot create a spill file: %s",
                            strerror(e));
    }
    ev_store *st = ev_xcalloc(1, sizeof *st);
    st->spill = spill;
    st->runs = runs;
    st->buf = ev_xmalloc(RUN_ENTRIES * sizeof *st->buf);
    *out = st;
    return EV_OK;
}

void ev_store_free(ev_store *st)
{
    if (!st)
        return;
    if (st->spill)
        fclose(st->spill);
    if (st->runs)
        fclose(st->runs);
    free(st->buf);
    free(st->run_start);
    free(st->winner);
    ev_buf_free(&st->rec);
    free(st);
}

/* Same id together; within an id, the delivery that wins last (newest, then latest read). */
static int cmp_entry(const void *a, const void *b)
{
    const index_entry *x = a, *y = b;
    if (x->h1 != y->h1)
        return x->h1 < y->h1 ? -1 : 1;
    if (x->h2 != y->h2)
        return x->h2 < y->h2 ? -1 : 1;
    if (x->updated != y->updated)
        return x->updated < y->updated ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void insertion_sort(index_entry *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        index_entry x = a[i];
        size_t j = i;
        for (; j > 0 && cmp_entry(&x, &a[j - 1]) < 0; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
}

/* Sorts a[0..n) in cmp_entry order. Ids are hashed, so the bytes of h1 spread entries
 * evenly: an in-place radix pass on one byte (the most significant first) splits them into
 * 256 buckets, down to buckets small enough for insertion sort. Entries that share all of
 * h1 (deliveries of one id) go to qsort. About three times faster than qsort alone. */
static void sort_entries(index_entry *a, size_t n, int shift)
{
    if (n <= 32) {
        insertion_sort(a, n);
        return;
    }
    if (shift < 0) {
        qsort(a, n, sizeof *a, cmp_entry);
        return;
    }
    size_t count[256] = {0}, start[256], next[256];
    for (size_t i = 0; i < n; i++)
        count[(a[i].h1 >> shift) & 0xff]++;
    size_t sum = 0;
    for (size_t b = 0; b < 256; b++) {
        start[b] = next[b] = sum;
        sum += count[b];
    }
    for (size_t b = 0; b < 256; b++) {
        size_t end = start[b] + count[b];
        while (next[b] < end) {
            /* follow the cycle of displaced entries until one belongs here */
            index_entry e = a[next[b]];
            size_t d = (e.h1 >> shift) & 0xff;
            while (d != b) {
                index_entry t = a[next[d]];
                a[next[d]++] = e;
                e = t;
                d = (e.h1 >> shift) & 0xff;
            }
            a[next[b]++] = e;
        }
    }
    for (size_t b = 0; b < 256; b++)
        if (count[b] > 1)
            sort_entries(a + start[b], count[b], shift - 8);
}

static bool flush_run(ev_store *st)
{
    if (!st->n_buf)
        return true;
    sort_entries(st->buf, st->n_buf, 56);
    if (fseek(st->runs, 0, SEEK_END) != 0)
        return false;
    long pos = ftell(st->runs);
    if (pos < 0)
        return false;
    st->run_start = ev_xrealloc(st->run_start, (st->n_runs + 2) * sizeof *st->run_start);
    st->run_start[st->n_runs++] = (uint64_t)pos / sizeof(index_entry);
    bool ok = fwrite(st->buf, sizeof *st->buf, st->n_buf, st->runs) == st->n_buf;
    st->n_buf = 0;
    return ok;
}

/* A cursor over one sorted run, reading it in blocks. */
typedef struct {
    uint64_t next, end; /* entry positions in the runs file */
    index_entry block[2048];
    size_t have, at;
} run_cursor;

static bool cursor_fill(FILE *fp, run_cursor *c)
{
    if (c->at < c->have)
        return true;
    if (c->next >= c->end)
        return false;
    size_t want = (size_t)(c->end - c->next);
    if (want > sizeof c->block / sizeof *c->block)
        want = sizeof c->block / sizeof *c->block;
    if (fseek(fp, (long)(c->next * sizeof(index_entry)), SEEK_SET) != 0 ||
        fread(c->block, sizeof(index_entry), want, fp) != want)
        return false;
    c->next += want;
    c->have = want;
    c->at = 0;
    return true;
}

/* Merges the sorted runs: for each id the last entry of its group wins. Memory: the
 * cursors' blocks and one bit per record. */
ev_status ev_store_finish(ev_store *st, ev_error *err)
{
    if (st->finished)
        return EV_OK;
    if (!flush_run(st) || fflush(st->runs) != 0)
        return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "cannot write the index file: %s",
                            strerror(errno));
    st->winner = ev_xcalloc(st->records / 8 + 1, 1);
    long total = (fseek(st->runs, 0, SEEK_END) == 0) ? ftell(st->runs) : -1;
    if (total < 0)
        return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "cannot read the index file");
    run_cursor *cur = ev_xcalloc(st->n_runs + 1, sizeof *cur);
    for (size_t r = 0; r < st->n_runs; r++) {
        cur[r].next = st->run_start[r];
        cur[r].end =
            r + 1 < st->n_runs ? st->run_start[r + 1] : (uint64_t)total / sizeof(index_entry);
    }
    size_t distinct = 0;
    bool have_prev = false;
    index_entry prev = {0};
    for (;;) {
        /* the smallest head among the runs (few runs: a linear scan is enough) */
        size_t best = SIZE_MAX;
        for (size_t r = 0; r < st->n_runs; r++) {
            if (!cursor_fill(st->runs, &cur[r]))
                continue;
            if (best == SIZE_MAX ||
                cmp_entry(&cur[r].block[cur[r].at], &cur[best].block[cur[best].at]) < 0)
                best = r;
        }
        if (best == SIZE_MAX)
            break;
        index_entry e = cur[best].block[cur[best].at++];
        if (have_prev && (prev.h1 != e.h1 || prev.h2 != e.h2)) {
            st->winner[prev.seq / 8] |= (uint8_t)(1u << (prev.seq % 8));
            distinct++;
        }
        prev = e;
        have_prev = true;
    }
    if (have_prev) {
        st->winner[prev.seq / 8] |= (uint8_t)(1u << (prev.seq % 8));
        distinct++;
    }
    free(cur);
    st->distinct = distinct;
    st->finished = true;
    return EV_OK;
}

/* Serialisation: each string as u32 length (UINT32_MAX for NULL) + bytes + NUL. */
static void put_u32(ev_buf *b, uint32_t v)
{
    ev_buf_put(b, &v, sizeof v);
}

static void put_i64(ev_buf *b, int64_t v)
{
    ev_buf_put(b, &v, sizeof v);
}

enum {
#define COUNT(name) +1
    N_STR_FIELDS = 0 EV_FINDING_SOURCE_STRINGS(COUNT)
#undef COUNT
};

/* Appends one string field at *at (room reserved by the caller). */
static char *write_str(char *at, const char *s, size_t n)
{
    uint32_t len = s ? (uint32_t)n : UINT32_MAX;
    memcpy(at, &len, sizeof len);
    at += sizeof len;
    if (s) {
        memcpy(at, s, n + 1);
        at += n + 1;
    }
    return at;
}

void ev_store_encode(const ev_finding *f, ev_buf *b, ev_store_key *key)
{
    /* the string fields are sized first, so the record is written with one reservation */
    const char *strs[N_STR_FIELDS];
    size_t lens[N_STR_FIELDS], total = 0, i = 0;
#define SIZE(name) strs[i] = f->name, lens[i] = f->name ? strlen(f->name) : 0, total += lens[i++];
    EV_FINDING_SOURCE_STRINGS(SIZE)
#undef SIZE
    total += N_STR_FIELDS * (sizeof(uint32_t) + 1);
    ev_buf_reserve(b, sizeof(uint32_t) + total);
    size_t start = b->len;
    char *at = b->data + b->len + sizeof(uint32_t); /* the record length goes first */
    for (i = 0; i < N_STR_FIELDS; i++)
        at = write_str(at, strs[i], lens[i]);
    b->len = (size_t)(at - b->data);
    put_i64(b, f->updated_at);
    put_i64(b, f->line);
    put_i64(b, f->col);
    put_u32(b, (uint32_t)f->severity);
    put_u32(b, (uint32_t)f->result);
    put_u32(b, (uint32_t)((f->suppressed ? 1 : 0) | (f->archived ? 2 : 0)));
    put_u32(b, (uint32_t)f->n_requirements);
    for (i = 0; i < f->n_requirements; i++) {
        const char *r = f->requirements[i];
        size_t n = r ? strlen(r) : 0;
        ev_buf_reserve(b, sizeof(uint32_t) + n + 1);
        b->len = (size_t)(write_str(b->data + b->len, r, n) - b->data);
    }
    uint32_t len = (uint32_t)(b->len - start - sizeof(uint32_t));
    memcpy(b->data + start, &len, sizeof len);
    b->data[b->len] = '\0';
    hash_id(f->id ? f->id : "", &key->h1, &key->h2);
    key->updated = f->updated_at;
}

/* Indexes n records just written to the spill file. */
static ev_status index_records(ev_store *st, const ev_store_key *keys, size_t n, ev_error *err)
{
    if (st->finished) {
        /* adding after a walk: the next walk merges again, with these deliveries */
        st->finished = false;
        free(st->winner);
        st->winner = NULL;
    }
    for (size_t i = 0; i < n; i++) {
        index_entry *e = &st->buf[st->n_buf++];
        e->h1 = keys[i].h1;
        e->h2 = keys[i].h2;
        e->updated = keys[i].updated;
        e->seq = st->records++;
        if (st->n_buf == RUN_ENTRIES && !flush_run(st))
            return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "cannot write the index file: %s",
                                strerror(errno));
    }
    return EV_OK;
}

ev_status ev_store_add_encoded(ev_store *st, const char *recs, size_t len, const ev_store_key *keys,
                               size_t n, ev_error *err)
{
    if (len && fwrite(recs, 1, len, st->spill) != len)
        return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "cannot write the spill file: %s",
                            strerror(errno));
    return index_records(st, keys, n, err);
}

ev_status ev_store_add(ev_store *st, const ev_finding *f, ev_error *err)
{
    ev_store_key key;
    ev_buf_clear(&st->rec);
    ev_store_encode(f, &st->rec, &key);
    return ev_store_add_encoded(st, st->rec.data, st->rec.len, &key, 1, err);
}

size_t ev_store_records(const ev_store *st)
{
    return st->records;
}

size_t ev_store_duplicates(ev_store *st)
{
    if (!st->finished && ev_store_finish(st, NULL) != EV_OK)
        return 0; /* the error comes back from ev_store_each */
    return st->records - st->distinct;
}

typedef struct {
    const char *p, *end;
    bool bad;
} reader;

static uint32_t get_u32(reader *r)
{
    uint32_t v = 0;
    if ((size_t)(r->end - r->p) < sizeof v) {
        r->bad = true;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

static int64_t get_i64(reader *r)
{
    int64_t v = 0;
    if ((size_t)(r->end - r->p) < sizeof v) {
        r->bad = true;
        return 0;
    }
    memcpy(&v, r->p, sizeof v);
    r->p += sizeof v;
    return v;
}

static char *get_str(reader *r)
{
    uint32_t n = get_u32(r);
    if (n == UINT32_MAX || r->bad)
        return NULL;
    if ((size_t)(r->end - r->p) < (size_t)n + 1) {
        r->bad = true;
        return NULL;
    }
    char *s = (char *)r->p;
    r->p += n + 1;
    return s;
}

/* Reads the spill file in large blocks; records are decoded where they lie. */
#define WALK_BLOCK ((size_t)1 << 20)

ev_status ev_store_each(ev_store *st, ev_store_fn fn, void *ctx, ev_error *err)
{
    ev_status fs = ev_store_finish(st, err);
    if (fs != EV_OK)
        return fs;
    if (fflush(st->spill) != 0 || fseek(st->spill, 0, SEEK_SET) != 0)
        return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "cannot read back the spill file");
    size_t cap = WALK_BLOCK, have = 0, at = 0;
    char *buf = ev_xmalloc(cap);
    char **reqs = NULL;
    size_t reqs_cap = 0;
    ev_status rc = EV_OK;
    for (uint64_t seq = 0; seq < st->records; seq++) {
        /* make sure the whole record (length and body) is in buf[at..have) */
        uint32_t len = 0;
        for (;;) {
            if (have - at >= sizeof len) {
                memcpy(&len, buf + at, sizeof len);
                if (have - at >= sizeof len + (size_t)len)
                    break;
            }
            memmove(buf, buf + at, have - at);
            have -= at;
            at = 0;
            size_t need = sizeof len + (have >= sizeof len ? (size_t)len : 0);
            if (need > cap) {
                while (cap < need)
                    cap *= 2;
                buf = ev_xrealloc(buf, cap);
            }
            size_t got = fread(buf + have, 1, cap - have, st->spill);
            if (got == 0)
                break;
            have += got;
        }
        if (have - at < sizeof len || have - at < sizeof len + (size_t)len) {
            rc = ev_error_set(err, EV_ERR_INTERNAL, NULL, 0, 0, "spill file truncated");
            break;
        }
        const char *rec = buf + at + sizeof len;
        at += sizeof len + (size_t)len;
        if (!(st->winner[seq / 8] & (1u << (seq % 8))))
            continue; /* superseded by a newer delivery of the same id */
        reader r = {rec, rec + len, false};
        ev_finding f = {0};
#define GET(name) f.name = get_str(&r);
        EV_FINDING_SOURCE_STRINGS(GET)
#undef GET
        f.updated_at = get_i64(&r);
        f.line = (long)get_i64(&r);
        f.col = (long)get_i64(&r);
        f.severity = (ev_severity)get_u32(&r);
        f.result = (ev_result)get_u32(&r);
        uint32_t flags = get_u32(&r);
        f.suppressed = flags & 1;
        f.archived = (flags & 2) != 0;
        f.n_requirements = get_u32(&r);
        if (f.n_requirements > reqs_cap) {
            reqs_cap = f.n_requirements;
            reqs = ev_xrealloc(reqs, reqs_cap * sizeof *reqs);
        }
        for (size_t i = 0; i < f.n_requirements; i++)
            reqs[i] = get_str(&r);
        f.requirements = reqs;
        if (r.bad) {
            rc = ev_error_set(err, EV_ERR_INTERNAL, NULL, 0, 0, "spill record %llu is corrupt",
                              (unsigned long long)seq);
            break;
        }
        rc = fn(&f, ctx, err);
        if (rc != EV_OK)
            break;
    }
    free(reqs);
    free(buf);
    fseek(st->spill, 0, SEEK_END);
    return rc;
}
