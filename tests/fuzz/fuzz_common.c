/* fuzz_common.c: the harnesses' shared helpers (see fuzz.h). */
#define _GNU_SOURCE /* fmemopen */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evpack.h"
#include "util/buf.h"
#include "util/sha256.h"

#ifndef EV_SOURCE_DIR
#error "EV_SOURCE_DIR must be defined by the build"
#endif

_Noreturn void fz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

const char *fz_source_dir(void)
{
    const char *env = getenv("EV_SOURCE_DIR");
    return env && *env ? env : EV_SOURCE_DIR;
}

static char *dir;

static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d)) != NULL) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                    continue;
                char child[4096];
                snprintf(child, sizeof child, "%s/%s", path, de->d_name);
                remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void cleanup(void)
{
    if (dir)
        remove_tree(dir);
}

const char *fz_dir(void)
{
    if (!dir) {
        const char *tmp = getenv("TMPDIR");
        char tmpl[4096];
        snprintf(tmpl, sizeof tmpl, "%s/evpack-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(tmpl)) {
            perror("evpack fuzz: mkdtemp");
            abort();
        }
        dir = strdup(tmpl);
        if (!dir)
            abort();
        atexit(cleanup);
    }
    return dir;
}

static char pathbuf[4096];

const char *fz_path(const char *name)
{
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", fz_dir(), name);
    return pathbuf;
}

const char *fz_file(const char *name, const void *data, size_t size)
{
    const char *slash = strchr(name, '/');
    if (slash) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%.*s", fz_dir(), (int)(slash - name), name);
        if (mkdir(sub, 0700) != 0 && errno != EEXIST) {
            perror("evpack fuzz: mkdir");
            abort();
        }
    }
    const char *path = fz_path(name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror("evpack fuzz: open");
        abort();
    }
    const char *p = data;
    size_t left = size;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            perror("evpack fuzz: write");
            abort();
        }
        p += n;
        left -= (size_t)n;
    }
    close(fd);
    return path;
}

/* fmemopen refuses size 0 on some C libraries, so an empty input gets one spare byte
 * that the stream never shows (its size stays 0). */
typedef struct {
    FILE *fp;
    char *copy;
} open_stream;

static open_stream streams[4];

FILE *fz_fopen(const void *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (!copy)
        abort();
    if (size)
        memcpy(copy, data, size);
    FILE *fp = size ? fmemopen(copy, size, "rb") : fopen("/dev/null", "rb");
    if (!fp)
        abort();
    for (size_t i = 0; i < sizeof streams / sizeof *streams; i++) {
        if (!streams[i].fp) {
            streams[i] = (open_stream){fp, copy};
            return fp;
        }
    }
    abort(); /* more than four open at once: a harness bug */
}

void fz_fclose(FILE *fp)
{
    for (size_t i = 0; i < sizeof streams / sizeof *streams; i++) {
        if (streams[i].fp == fp) {
            fclose(fp);
            free(streams[i].copy);
            streams[i] = (open_stream){NULL, NULL};
            return;
        }
    }
    abort();
}

void fz_check_error(ev_status s, const ev_error *err, const void *data, size_t size, bool io_ok)
{
    FZ_ASSERT(s != EV_OK);
    if (getenv("EV_FUZZ_VERBOSE")) /* to see what seeds reach */
        fprintf(stderr, "rejected: %s:%ld:%ld: %s\n", err->file, err->line, err->col, err->msg);
    FZ_ASSERT(s == EV_ERR_INPUT || (io_ok && s == EV_ERR_IO));
    FZ_ASSERT(err->status == s);
    FZ_ASSERT(err->msg[0] != '\0');
    FZ_ASSERT(memchr(err->msg, '\0', sizeof err->msg) != NULL);
    FZ_ASSERT(err->line >= 0 && err->col >= 0);
    if (err->line == 0)
        return;
    /* the line exists, and the column lies on it (or just past its last byte) */
    const char *p = data, *end = p + size;
    long line = 1;
    const char *start = p;
    while (line < err->line) {
        const char *nl = memchr(start, '\n', (size_t)(end - start));
        FZ_ASSERT(nl != NULL); /* the error's line is past the last line */
        start = nl + 1;
        line++;
    }
    const char *nl = memchr(start, '\n', (size_t)(end - start));
    long line_len = (long)((nl ? nl : end) - start);
    FZ_ASSERT(err->col <= line_len + 1);
}

/* ---- the ingest path ---- */

typedef struct {
    size_t seen;
    ev_buf canon; /* every finding stored, one after the other, for comparing two runs */
} walk_state;

static void put_field(ev_buf *b, const char *s)
{
    if (s)
        ev_buf_puts(b, s);
    else
        ev_buf_putc(b, '\x1e');
    ev_buf_putc(b, '\x1f');
}

static ev_status check_finding(const ev_finding *f, void *ctx, ev_error *err)
{
    (void)err;
    walk_state *ws = ctx;
    ws->seen++;
    FZ_ASSERT(ev_finding_utf8_ok(f));
    FZ_ASSERT(f->source != NULL);
    FZ_ASSERT((unsigned)f->result < EV_RESULT_COUNT);
    FZ_ASSERT((unsigned)f->severity < EV_SEV_COUNT);
    for (size_t i = 0; i < f->n_requirements; i++)
        FZ_ASSERT(f->requirements[i] != NULL);
    ev_buf *b = &ws->canon;
    const char *texts[] = {
        f->source,      f->id,           f->check,       f->title,           f->severity_label,
        f->result_text, f->workflow,     f->account,     f->region,          f->resource_type,
        f->resource_id, f->updated_text, f->remediation, f->remediation_url, f->file};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        put_field(b, texts[i]);
    ev_buf_printf(b, "%d|%d|%d|%d|%lld|%ld|%ld|%zu\x1f", (int)f->severity, (int)f->result,
                  (int)f->suppressed, (int)f->archived, (long long)f->updated_at, f->line, f->col,
                  f->n_requirements);
    for (size_t i = 0; i < f->n_requirements; i++)
        put_field(b, f->requirements[i]);
    ev_buf_putc(b, '\n');
    return EV_OK;
}

/* What one ingest run gave, for comparing two runs. */
typedef struct {
    ev_status status;
    ev_error err;
    ev_source src;
    size_t records, duplicates;
    walk_state ws;
} ingest_run;

static void ingest_once(const char *path, const uint8_t *data, size_t size, int format,
                        ingest_run *r)
{
    memset(r, 0, sizeof *r);
    ev_store *st = NULL;
    if (ev_store_new(fz_dir(), &st, &r->err) != EV_OK)
        abort();
    r->status = ev_ingest_file_as(path, (ev_input_format)format, st, &r->src, NULL, NULL, &r->err);
    if (r->status == EV_OK) {
        FZ_ASSERT(r->src.bytes == size);
        char hex[65];
        ev_sha256_buf(data, size, hex);
        FZ_ASSERT(strcmp(hex, r->src.sha256) == 0);
        r->records = ev_store_records(st);
        r->duplicates = ev_store_duplicates(st);
        FZ_ASSERT(r->src.records == r->records);
        FZ_ASSERT(r->src.format && ev_input_format_parse(r->src.format) > EV_FORMAT_AUTO);
        if (format != EV_FORMAT_AUTO)
            FZ_ASSERT(ev_input_format_parse(r->src.format) == (ev_input_format)format);
        ev_error werr;
        FZ_ASSERT(ev_store_each(st, check_finding, &r->ws, &werr) == EV_OK);
        FZ_ASSERT(r->ws.seen == r->records - r->duplicates);
    } else {
        fz_check_error(r->status, &r->err, data, size, false);
    }
    ev_store_free(st);
}

static void ingest_run_clear(ingest_run *r)
{
    if (r->status == EV_OK)
        ev_source_clear(&r->src);
    ev_buf_free(&r->ws.canon);
}

void fz_ingest(const uint8_t *data, size_t size, int format)
{
    const char *path = fz_file("findings", data, size);
    /* as evpack runs it: the fast JSON path, worker threads when the input is big enough */
    ingest_run a;
    ingest_once(path, data, size, format, &a);
    /* and with cJSON alone on one thread: the same findings, or the same error */
    setenv("EVPACK_NO_FAST_JSON", "1", 1);
    setenv("EVPACK_THREADS", "0", 1);
    ingest_run b;
    ingest_once(path, data, size, format, &b);
    unsetenv("EVPACK_NO_FAST_JSON");
    unsetenv("EVPACK_THREADS");
    FZ_ASSERT(a.status == b.status);
    if (a.status == EV_OK) {
        FZ_ASSERT(a.records == b.records && a.duplicates == b.duplicates);
        FZ_ASSERT(strcmp(a.src.format, b.src.format) == 0);
        FZ_ASSERT(
            a.ws.canon.len == b.ws.canon.len &&
            (a.ws.canon.len == 0 || memcmp(a.ws.canon.data, b.ws.canon.data, a.ws.canon.len) == 0));
    } else {
        FZ_ASSERT(a.err.line == b.err.line && a.err.col == b.err.col);
        FZ_ASSERT(strcmp(a.err.msg, b.err.msg) == 0);
    }
    ingest_run_clear(&a);
    ingest_run_clear(&b);
}
