/* json_stream.h: splits a JSON findings file into its elements without reading the
 * whole file, so peak memory is bounded by the largest element, not the file.
 *
 * Accepted shapes: a top-level array `[e, e, ...]`; an object holding an array under a
 * wrapper key: "Findings" or "findings" (Security Hub), "EvaluationResults",
 * "AggregateEvaluationResults" or "ComplianceByConfigRules" (AWS Config); other members,
 * such as "NextToken", are skipped, and only the first wrapper key holding an array is
 * used; or any other single object, which is one element.
 * Every byte outside the elements is checked, so a malformed wrapper is an error with its
 * line and column. Elements are returned as raw bytes for cJSON to parse one at a time:
 * inside them only the structure is checked (strings closed, brackets balanced and
 * matching, no NUL byte, nesting at most 10000 levels deep).
 * A leading UTF-8 byte order mark is skipped (it still counts in columns, which are
 * byte columns). */
#ifndef EV_JSON_STREAM_H
#define EV_JSON_STREAM_H

#include <stdio.h>

#include "util/status.h"

typedef struct ev_json_stream ev_json_stream;

/* One element: bytes [text, text+len) (NUL-terminated for convenience), starting at
 * 1-based line/col of the file. Valid until the next call on the stream. */
typedef struct {
    const char *text;
    size_t len;
    long line;
    long col;
    size_t index; /* 0-based position in the array */
} ev_json_element;

/* Opens a stream over fp (not closed by the stream). name is used in error messages.
 * The caller frees the result with ev_json_stream_free. */
ev_json_stream *ev_json_stream_new(FILE *fp, const char *name);

/* Reads the next element. Returns EV_OK and sets *has = 1 with the element filled,
 * EV_OK and *has = 0 at the end of the input (after checking nothing but whitespace
 * follows), or an error (EV_ERR_INPUT with line/col for bad JSON structure, EV_ERR_IO for
 * a read error) described in err (which may be NULL); *has is 0 then. Errors are sticky:
 * later calls return the same error. */
ev_status ev_json_stream_next(ev_json_stream *s, ev_json_element *el, int *has, ev_error *err);

/* The wrapper key whose array is (or was) streamed ("Findings", "EvaluationResults" ...),
 * or NULL for a top-level array or a single object, or before it is known. The string is
 * static. */
const char *ev_json_stream_wrapper(const ev_json_stream *s);

/* Bytes consumed so far (for progress reporting). */
unsigned long long ev_json_stream_offset(const ev_json_stream *s);

void ev_json_stream_free(ev_json_stream *s);

/* Converts a byte offset inside an element to a file line/col, counting newlines in
 * el->text (columns count bytes, 1-based). */
void ev_json_element_position(const ev_json_element *el, size_t offset, long *line, long *col);

#endif
