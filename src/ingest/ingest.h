/* ingest.h: the ingest stage. Reads finding files (or stdin) of every supported format
 * into a finding store, streaming, and counts what it read. */
#ifndef EV_INGEST_H
#define EV_INGEST_H

#include <cjson/cJSON.h>

#include "ingest/finding.h"
#include "ingest/json_stream.h"

/* One input file and what was read from it. */
typedef struct {
    char *path;         /* as given ("-" for stdin) */
    char *format;       /* "asff" */
    size_t records;     /* records read */
    unsigned long long bytes;
    char sha256[65];    /* hex digest of the bytes read */
} ev_source;

/* Called now and then with bytes read so far in the current file (progress display). */
typedef void (*ev_progress_fn)(const char *path, unsigned long long bytes, size_t records,
                               void *ctx);

/* Reads path ("-" is stdin) into st. Fills src (the caller frees it with
 * ev_source_clear). Errors carry file:line:col. */
ev_status ev_ingest_file(const char *path, ev_store *st, ev_source *src, ev_progress_fn progress,
                         void *progress_ctx, ev_error *err);

void ev_source_clear(ev_source *src);

/* Normalises one ASFF finding object (parsed from element el of file) into f, which the
 * caller clears with ev_finding_clear. Errors (no string "Id", a field of the wrong type,
 * an impossible timestamp, invalid UTF-8 after unescaping) are EV_ERR_INPUT at the
 * offending field's line and column. */
ev_status ev_asff_read(const cJSON *obj, const ev_json_element *el, const char *file,
                       ev_finding *f, ev_error *err);

#endif
