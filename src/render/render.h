/* render.h: the renderers. Each reads the pack model (never recomputing numbers) and
 * writes one output file. */
#ifndef EV_RENDER_H
#define EV_RENDER_H

#include <cjson/cJSON.h>

#include "evaluate/model.h"
#include "util/buf.h"

/* Builds the pack.json document (schema evpack/pack@1, documented in docs/pack-format.md)
 * from the model. The caller frees it with cJSON_Delete. The Markdown renderer renders
 * its templates against this same tree, so both outputs carry the same numbers. */
cJSON *ev_pack_to_json(const ev_pack *p);

/* The service responsibility matrix as JSON (the "services" member of pack.json, and the
 * output of evpack matrix --format json): the catalogue edition, the domains, and one row
 * per service with its model, whether it is in scope, how many findings reveal it and
 * who owns each domain. unknown lists resource types the catalogue does not know (may be
 * NULL). The caller frees the result with cJSON_Delete. */
cJSON *ev_services_to_json(const ev_services *sv, const ev_service_row *rows, size_t n_rows,
                           bool automatic, const ev_value_count *unknown, size_t n_unknown);

/* Renders the service matrix alone (evpack matrix) from matrix.md.mustache, read from the
 * first of template_dirs that has it, against {"services": services} (not freed). */
ev_status ev_render_matrix_md(const cJSON *services, const char *const *template_dirs,
                              size_t n_dirs, ev_buf *out, ev_error *err);

/* Renders a comparison of packs (evpack diff) from diff.md.mustache, read from the first
 * of template_dirs that has it, against {"comparison": comparison} (not freed). */
ev_status ev_render_diff_md(const cJSON *comparison, const char *const *template_dirs,
                            size_t n_dirs, ev_buf *out, ev_error *err);

/* Writes pack.json to path. Its tree is built in a cJSON arena (util/json_arena.h), so no
 * other thread may use cJSON meanwhile. */
ev_status ev_render_json(const ev_pack *p, const char *path, ev_error *err);

/* Writes len bytes of text to path, reporting any write error (full disk) as
 * EV_ERR_OUTPUT. Shared by the text renderers. */
ev_status ev_write_file(const char *path, const char *text, size_t len, ev_error *err);

/* Writes report.md to path from report.md.mustache and its partials (NAME.mustache),
 * each read from the first of template_dirs[0..n_dirs) that has it: a user's folder
 * first, then the bundled one, so custom templates may override any subset. */
ev_status ev_render_md(const ev_pack *p, const char *const *template_dirs, size_t n_dirs,
                       const char *path, ev_error *err);

/* Options of the PDF renderer. Zero-initialise and set what you need. */
typedef struct {
    const char *font_dir;            /* folder holding DejaVuSans*.ttf; NULL: EVPACK_FONT_DIR, else
                                      * the Debian location of fonts-dejavu-core */
    const char *cjk_font_path;       /* IPAGothic TTF; NULL: EVPACK_CJK_FONT, else Debian's
                                      * fonts-ipafont-gothic location */
    size_t max_findings_per_control; /* 0: 25; the rest are counted and left to the workbook */
} ev_pdf_options;

/* Writes report.pdf to path: an auditor-grade document typeset with libharu from the pack
 * model (same numbers as pack.json), byte-identical for the same pack. */
ev_status ev_render_pdf(const ev_pack *p, const ev_pdf_options *opt, const char *path,
                        ev_error *err);

/* Writes workbook.xlsx to path with libxlsxwriter. st is the store the pack was evaluated
 * from: the Findings sheet lists every active finding through ev_pack_each_finding. */
ev_status ev_render_xlsx(const ev_pack *p, ev_store *st, const char *path, ev_error *err);

/* Appends s to out escaped for GitHub-flavoured Markdown inline text: every ASCII
 * punctuation character is backslash-escaped, and control characters (including CR, LF
 * and TAB) become spaces, so the text stays literal inside a table cell. Bidirectional
 * override characters are replaced with U+FFFD so they cannot reorder the page. */
void ev_md_escape(ev_buf *out, const char *s, size_t len);

#endif
