/* json_doc.c: loading small JSON documents with positions for messages. */
#include "util/json_doc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/utf8.h"

ev_status ev_json_doc_load(const char *path, ev_json_doc *doc, ev_error *err)
{
    memset(doc, 0, sizeof *doc);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return ev_error_set(err, EV_ERR_IO, path, 0, 0, "is a directory: expected a JSON file");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ev_error_set(err, EV_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    ev_buf b = EV_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(&b, chunk, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        ev_buf_free(&b);
        return ev_error_set(err, EV_ERR_IO, path, 0, 0, "read error");
    }
    doc->path = ev_xstrdup(path);
    doc->len = b.len;
    doc->text = ev_buf_detach(&b);
    long line, col;
    size_t at;
    if (doc->len == 0) {
        ev_error_set(err, EV_ERR_INPUT, path, 1, 1, "empty file: expected a JSON object");
        goto fail;
    }
    const char *nul = memchr(doc->text, '\0', doc->len);
    if (nul) {
        ev_json_offset_position(doc->text, (size_t)(nul - doc->text), &line, &col);
        ev_error_set(err, EV_ERR_INPUT, path, line, col, "NUL byte: expected JSON text");
        goto fail;
    }
    if (!ev_utf8_valid(doc->text, doc->len, &at)) {
        ev_json_offset_position(doc->text, at, &line, &col);
        ev_error_set(err, EV_ERR_INPUT, path, line, col, "invalid UTF-8: expected UTF-8 text");
        goto fail;
    }
    const char *start = doc->text;
    if (doc->len >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0)
        start += 3; /* a BOM is harmless; editors on Windows add it */
    const char *end = NULL;
    doc->root = cJSON_ParseWithLengthOpts(start, doc->len - (size_t)(start - doc->text), &end, 0);
    if (!doc->root) {
        const char *e = cJSON_GetErrorPtr();
        size_t off =
            e && e >= doc->text && e <= doc->text + doc->len ? (size_t)(e - doc->text) : doc->len;
        off = ev_json_error_offset(doc->text, doc->len, off);
        /* cJSON stops on the last byte when the text runs out: only whitespace left is
         * the end of the file */
        size_t rest = off;
        while (rest < doc->len && (doc->text[rest] == ' ' || doc->text[rest] == '\t' ||
                                   doc->text[rest] == '\n' || doc->text[rest] == '\r'))
            rest++;
        if (rest >= doc->len)
            off = doc->len;
        ev_json_offset_position(doc->text, off, &line, &col);
        unsigned char c = off < doc->len ? (unsigned char)doc->text[off] : 0;
        if (off >= doc->len)
            ev_error_set(err, EV_ERR_INPUT, path, line, col,
                         "invalid JSON: unexpected end of file (unclosed object, array or "
                         "string?)");
        else if (c < 0x20 || c >= 0x7f)
            ev_error_set(err, EV_ERR_INPUT, path, line, col,
                         "invalid JSON: unexpected byte 0x%02x (expected a value, ',' or a "
                         "quoted member name)",
                         c);
        else
            ev_error_set(err, EV_ERR_INPUT, path, line, col,
                         "invalid JSON: unexpected '%c' (expected a value, ',' or a quoted "
                         "member name)",
                         doc->text[off]);
        goto fail;
    }
    /* cJSON stops after the value; anything but whitespace after it is an error. */
    for (const char *p = end; p && p < doc->text + doc->len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            ev_json_offset_position(doc->text, (size_t)(p - doc->text), &line, &col);
            ev_error_set(err, EV_ERR_INPUT, path, line, col,
                         "unexpected data after the end of the JSON document");
            goto fail;
        }
    }
    if (!cJSON_IsObject(doc->root)) {
        ev_json_locate(doc->text, doc->len, NULL, 0, &line, &col);
        ev_error_set(err, EV_ERR_INPUT, path, line, col, "expected a JSON object");
        goto fail;
    }
    return EV_OK;
fail:
    ev_json_doc_free(doc);
    return EV_ERR_INPUT;
}

void ev_json_doc_free(ev_json_doc *doc)
{
    cJSON_Delete(doc->root);
    free(doc->path);
    free(doc->text);
    memset(doc, 0, sizeof *doc);
}

ev_status ev_json_doc_fail(const ev_json_doc *doc, const ev_json_step *path, size_t n,
                           ev_error *err, const char *fmt, ...)
{
    long line = 1, col = 1;
    ev_json_locate(doc->text, doc->len, path, n, &line, &col);
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ev_error_set(err, EV_ERR_INPUT, doc->path, line, col, "%s", msg);
}
