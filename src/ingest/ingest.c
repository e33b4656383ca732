/* ingest.c: reads one findings file (or stdin) into the store. The file is read once,
 * as a stream: its bytes are hashed for the manifest as they pass, the JSON splitter cuts
 * out one element at a time, cJSON parses it alone, and the reader normalises it. */
#define _GNU_SOURCE /* fopencookie: hash the bytes as the splitter reads them */
#include "ingest/ingest.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest/json_stream.h"
#include "util/buf.h"
#include "util/json_locate.h"
#include "util/sha256.h"
#include "util/utf8.h"

typedef struct {
    FILE *fp;
    ev_sha256 *hash;
    unsigned long long bytes;
} hashing_reader;

static ssize_t hashing_read(void *cookie, char *buf, size_t size)
{
    hashing_reader *r = cookie;
    size_t n = fread(buf, 1, size, r->fp);
    if (n == 0 && ferror(r->fp))
        return -1;
    ev_sha256_update(r->hash, buf, n);
    r->bytes += n;
    return (ssize_t)n;
}

void ev_source_clear(ev_source *src)
{
    free(src->path);
    free(src->format);
    memset(src, 0, sizeof *src);
}

/* Finds a "\u0000" escape: cJSON decodes it into a NUL that silently cuts the string
 * short (two ids differing only after it would merge as duplicates). */
static bool find_nul_escape(const char *s, size_t len, size_t *at)
{
    const char *p = s, *end = s + len;
    while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL && end - p >= 2) {
        if (p[1] == 'u' && end - p >= 6 && memcmp(p + 2, "0000", 4) == 0) {
            *at = (size_t)(p - s);
            return true;
        }
        p += 2; /* the escaped character */
    }
    return false;
}

/* Describes a cJSON failure: the byte it stopped at. */
static void describe_parse_error(const ev_json_element *el, const char *at, char *msg, size_t n)
{
    if (!at || at < el->text || at > el->text + el->len || *at == '\0') {
        snprintf(msg, n, "invalid JSON: the finding ends too early");
        return;
    }
    unsigned char c = (unsigned char)*at;
    if (c >= 0x20 && c < 0x7f)
        snprintf(msg, n, "invalid JSON: unexpected '%c' (expected a value, ',' or a quoted "
                         "member name)",
                 c);
    else
        snprintf(msg, n, "invalid JSON: unexpected byte 0x%02x (expected a value, ',' or a "
                         "quoted member name)",
                 c);
}

ev_status ev_ingest_file(const char *path, ev_store *st, ev_source *src, ev_progress_fn progress,
                         void *progress_ctx, ev_error *err)
{
    memset(src, 0, sizeof *src);
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *raw = stdin;
    if (!is_stdin) {
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return ev_error_set(err, EV_ERR_IO, path, 0, 0,
                                "is a directory: expected a findings file");
        raw = fopen(path, "rb");
        if (!raw)
            return ev_error_set(err, EV_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    hashing_reader hr = {raw, ev_sha256_new(), 0};
    cookie_io_functions_t io = {.read = hashing_read};
    FILE *fp = fopencookie(&hr, "r", io);
    if (!fp)
        abort();
    ev_json_stream *js = ev_json_stream_new(fp, name);
    ev_status rc = EV_OK;
    size_t records = 0;
    for (;;) {
        ev_json_element el;
        int has = 0;
        rc = ev_json_stream_next(js, &el, &has, err);
        if (rc != EV_OK || !has)
            break;
        size_t bad_at;
        if (!ev_utf8_valid(el.text, el.len, &bad_at)) {
            long line, col;
            ev_json_element_position(&el, bad_at, &line, &col);
            rc = ev_error_set(err, EV_ERR_INPUT, name, line, col,
                              "invalid UTF-8: expected UTF-8 encoded text");
            break;
        }
        if (find_nul_escape(el.text, el.len, &bad_at)) {
            long line, col;
            ev_json_element_position(&el, bad_at, &line, &col);
            rc = ev_error_set(err, EV_ERR_INPUT, name, line, col,
                              "\\u0000 in a string: expected text without NUL characters");
            break;
        }
        const char *end = NULL;
        cJSON *obj = cJSON_ParseWithLengthOpts(el.text, el.len, &end, 0);
        if (!obj) {
            const char *at = cJSON_GetErrorPtr();
            long line = el.line, col = el.col;
            if (at && at >= el.text && at <= el.text + el.len) {
                at = el.text + ev_json_error_offset(el.text, el.len, (size_t)(at - el.text));
                ev_json_element_position(&el, (size_t)(at - el.text), &line, &col);
            }
            char msg[256];
            describe_parse_error(&el, at, msg, sizeof msg);
            rc = ev_error_set(err, EV_ERR_INPUT, name, line, col, "%s", msg);
            break;
        }
        ev_finding f;
        rc = ev_asff_read(obj, &el, name, &f, err);
        cJSON_Delete(obj);
        if (rc == EV_OK)
            rc = ev_store_add(st, &f, err);
        ev_finding_clear(&f);
        if (rc != EV_OK)
            break;
        records++;
        if (progress && (records & 0x3fff) == 0)
            progress(name, hr.bytes, records, progress_ctx);
    }
    ev_json_stream_free(js);
    fclose(fp);
    if (!is_stdin)
        fclose(raw);
    char hex[65];
    ev_sha256_final(hr.hash, hex);
    if (rc != EV_OK)
        return rc;
    if (progress)
        progress(name, hr.bytes, records, progress_ctx);
    src->path = ev_xstrdup(path);
    src->format = ev_xstrdup("asff");
    src->records = records;
    src->bytes = hr.bytes;
    memcpy(src->sha256, hex, sizeof hex);
    return EV_OK;
}
