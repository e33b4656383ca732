/* store.c: the finding store. Records are serialised to an unlinked temporary spill file
 * as they arrive; memory holds only a hash index of distinct ids (128-bit hash, newest
 * updated_at, sequence number of the winning record). Iteration re-reads the spill file
 * and yields the records that won. */
#include "ingest/finding.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"

typedef struct {
    uint64_t h1, h2; /* h1 == 0 && h2 == 0 marks an empty slot */
    int64_t updated;
    uint64_t seq;
} slot;

struct ev_store {
    FILE *spill;
    slot *slots;
    size_t cap;   /* power of two */
    size_t used;  /* distinct ids */
    size_t records;
    ev_buf rec;   /* scratch for serialising */
};

static void hash_id(const char *s, uint64_t *h1, uint64_t *h2)
{
    /* Two independent 64-bit hashes: a collision needs both to collide (about 1 in 2^128). */
    uint64_t a = 0xcbf29ce484222325ULL, b = 0x9e3779b97f4a7c15ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        a = (a ^ *p) * 0x100000001b3ULL;
        b = (b ^ *p) * 0xff51afd7ed558ccdULL;
        b ^= b >> 29;
    }
    b ^= b >> 33;
    b *= 0xc4ceb9fe1a85ec53ULL;
    b ^= b >> 33;
    if (a == 0 && b == 0)
        a = 1;
    *h1 = a;
    *h2 = b;
}

static slot *find_slot(slot *slots, size_t cap, uint64_t h1, uint64_t h2)
{
    size_t i = (size_t)(h1 ^ (h2 << 7)) & (cap - 1);
    for (;;) {
        slot *s = &slots[i];
        if ((s->h1 == 0 && s->h2 == 0) || (s->h1 == h1 && s->h2 == h2))
            return s;
        i = (i + 1) & (cap - 1);
    }
}

static void grow(ev_store *st)
{
    size_t ncap = st->cap ? st->cap * 2 : 1024;
    slot *ns = ev_xcalloc(ncap, sizeof *ns);
    for (size_t i = 0; i < st->cap; i++) {
        slot *o = &st->slots[i];
        if (o->h1 || o->h2)
            *find_slot(ns, ncap, o->h1, o->h2) = *o;
    }
    free(st->slots);
    st->slots = ns;
    st->cap = ncap;
}

ev_status ev_store_new(const char *dir, ev_store **out, ev_error *err)
{
    FILE *fp = NULL;
    if (dir) {
        ev_buf path = EV_BUF_INIT;
        ev_buf_printf(&path, "%s/.findings-XXXXXX", dir);
        int fd = mkstemp(path.data);
        if (fd >= 0) {
            unlink(path.data); /* gone when closed, even after a crash */
            fp = fdopen(fd, "w+b");
        }
        ev_buf_free(&path);
    } else {
        fp = tmpfile();
    }
    if (!fp)
        return ev_error_set(err, EV_ERR_OUTPUT, dir, 0, 0, "cannot create a spill file: %s",
                            strerror(errno));
    ev_store *st = ev_xcalloc(1, sizeof *st);
    st->spill = fp;
    grow(st);
    *out = st;
    return EV_OK;
}

void ev_store_free(ev_store *st)
{
    if (!st)
        return;
    if (st->spill)
        fclose(st->spill);
    free(st->slots);
    ev_buf_free(&st->rec);
    free(st);
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

static void put_str(ev_buf *b, const char *s)
{
    if (!s) {
        put_u32(b, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    ev_buf_put(b, s, n + 1);
}

#define EV_STR_FIELDS(X)                                                                       \
    X(source) X(id) X(check) X(title) X(severity_label) X(result_text) X(workflow) X(account)  \
    X(region) X(resource_type) X(resource_id) X(updated_text) X(remediation)                   \
    X(remediation_url) X(file)

ev_status ev_store_add(ev_store *st, const ev_finding *f, ev_error *err)
{
    ev_buf *b = &st->rec;
    ev_buf_clear(b);
    put_u32(b, 0); /* record length, patched below */
#define PUT(name) put_str(b, f->name);
    EV_STR_FIELDS(PUT)
#undef PUT
    put_i64(b, f->updated_at);
    put_i64(b, f->line);
    put_i64(b, f->col);
    put_u32(b, (uint32_t)f->severity);
    put_u32(b, (uint32_t)f->result);
    put_u32(b, (uint32_t)((f->suppressed ? 1 : 0) | (f->archived ? 2 : 0)));
    put_u32(b, (uint32_t)f->n_requirements);
    for (size_t i = 0; i < f->n_requirements; i++)
        put_str(b, f->requirements[i]);
    uint32_t len = (uint32_t)(b->len - sizeof(uint32_t));
    memcpy(b->data, &len, sizeof len);
    if (fwrite(b->data, 1, b->len, st->spill) != b->len)
        return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "cannot write the spill file: %s",
                            strerror(errno));

    uint64_t seq = st->records++;
    uint64_t h1, h2;
    hash_id(f->id ? f->id : "", &h1, &h2);
    if ((st->used + 1) * 4 > st->cap * 3)
        grow(st);
    slot *s = find_slot(st->slots, st->cap, h1, h2);
    if (s->h1 == 0 && s->h2 == 0) {
        s->h1 = h1;
        s->h2 = h2;
        s->updated = f->updated_at;
        s->seq = seq;
        st->used++;
    } else if (f->updated_at >= s->updated) {
        s->updated = f->updated_at;
        s->seq = seq;
    }
    return EV_OK;
}

size_t ev_store_records(const ev_store *st)
{
    return st->records;
}

size_t ev_store_duplicates(const ev_store *st)
{
    return st->records - st->used;
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

ev_status ev_store_each(ev_store *st, ev_store_fn fn, void *ctx, ev_error *err)
{
    if (fflush(st->spill) != 0 || fseek(st->spill, 0, SEEK_SET) != 0)
        return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "cannot read back the spill file");
    ev_buf rec = EV_BUF_INIT;
    char **reqs = NULL;
    size_t reqs_cap = 0;
    ev_status rc = EV_OK;
    for (uint64_t seq = 0; seq < st->records; seq++) {
        uint32_t len;
        if (fread(&len, sizeof len, 1, st->spill) != 1) {
            rc = ev_error_set(err, EV_ERR_INTERNAL, NULL, 0, 0, "spill file truncated");
            break;
        }
        ev_buf_clear(&rec);
        ev_buf_reserve(&rec, len);
        if (fread(rec.data, 1, len, st->spill) != len) {
            rc = ev_error_set(err, EV_ERR_INTERNAL, NULL, 0, 0, "spill file truncated");
            break;
        }
        reader r = {rec.data, rec.data + len, false};
        ev_finding f = {0};
#define GET(name) f.name = get_str(&r);
        EV_STR_FIELDS(GET)
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
        uint64_t h1, h2;
        hash_id(f.id ? f.id : "", &h1, &h2);
        if (find_slot(st->slots, st->cap, h1, h2)->seq != seq)
            continue; /* superseded by a newer delivery of the same id */
        rc = fn(&f, ctx, err);
        if (rc != EV_OK)
            break;
    }
    free(reqs);
    ev_buf_free(&rec);
    fseek(st->spill, 0, SEEK_END);
    return rc;
}
