/* template.h: a small Mustache engine (spec v1.3 core: interpolation, sections,
 * inverted sections, comments, partials, set delimiters; no lambdas) rendering a cJSON
 * tree. Escaping of {{name}} is the caller's callback, so the same engine serves
 * Markdown (with ev_md_escape) and the spec tests (with HTML escaping). */
#ifndef EV_TEMPLATE_H
#define EV_TEMPLATE_H

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/status.h"

/* Appends text[0..len) escaped to out. */
typedef void (*ev_escape_fn)(ev_buf *out, const char *text, size_t len);

/* Loads a partial by name: returns malloc'd template text (caller frees) or NULL when
 * there is none (a missing partial renders as empty text, per the spec). *source_name,
 * when set, names the file for error messages (malloc'd, caller frees). */
typedef char *(*ev_partial_fn)(const char *name, void *ctx, char **source_name);

typedef struct {
    ev_escape_fn escape;   /* NULL: HTML escaping as in the spec */
    ev_partial_fn partial; /* NULL: no partials */
    void *partial_ctx;
} ev_template_options;

/* Renders template tpl (named name in messages) against data, appending to out.
 * Errors (unclosed section, mismatched closing tag, bad delimiter) are EV_ERR_INPUT
 * with name:line:col of the offending tag. Numbers print as integers when they are
 * integral ("3", not "3.0"); true/false print as "true"/"false"; null as "".
 *
 * Details:
 * - opt may be NULL (HTML escaping, no partials).
 * - Every value {{name}} prints goes through the escape callback, numbers and
 *   booleans included; {{{name}}} and {{&name}} print it as is. Missing names, null,
 *   arrays and objects print nothing.
 * - Falsy for sections: missing, null, false and the empty array. Everything else,
 *   including "" and 0, is truthy (as in the spec's reference implementation).
 * - Line and column are 1-based, columns in bytes, pointing at the tag's opening
 *   delimiter. Errors inside a partial name the partial's source_name (or its name)
 *   with positions in the partial's own text. Other errors: a tag with no name, a
 *   closing tag with no open section, sections nested more than 128 deep, partials
 *   nested more than 64 deep (a partial that includes itself without end).
 * - The partial callback is called at most once per partial name in one call, and
 *   each partial is parsed once per indentation, so partials inside big lists are
 *   cheap. A partial is loaded only when rendering reaches it.
 * - On error out is restored to the length it had on entry. */
ev_status ev_template_render(const char *tpl, const char *name, const cJSON *data,
                             const ev_template_options *opt, ev_buf *out, ev_error *err);

/* Convenience: HTML escaping of & < > " (the spec's default). */
void ev_html_escape(ev_buf *out, const char *text, size_t len);

#endif
