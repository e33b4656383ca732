/* json_doc.h: a whole JSON document read from a small file (frameworks, scope,
 * catalogues, manifests), kept with its text so that any value can be reported as
 * file:line:col. Large finding files never go through here (see ingest/json_stream.h). */
#ifndef EV_JSON_DOC_H
#define EV_JSON_DOC_H

#include <cjson/cJSON.h>

#include "util/json_locate.h"
#include "util/status.h"

#define EV_JSON_DOC_MAX_DEPTH 16

typedef struct {
    char *path;
    char *text;
    size_t len;
    cJSON *root;
} ev_json_doc;

/* Reads and parses path. Rejects invalid UTF-8, NUL bytes and malformed JSON with
 * file:line:col. The caller frees with ev_json_doc_free. */
ev_status ev_json_doc_load(const char *path, ev_json_doc *doc, ev_error *err);
void ev_json_doc_free(ev_json_doc *doc);

/* Reports an EV_ERR_INPUT at the value reached by path[0..n) (or the nearest value that
 * exists). Returns EV_ERR_INPUT. */
ev_status ev_json_doc_fail(const ev_json_doc *doc, const ev_json_step *path, size_t n,
                           ev_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
