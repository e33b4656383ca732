/* pdf.c: the report.pdf renderer. ev_render_pdf typesets the pack model with libharu
 * through the layout module (pdf_layout, pdf_table, pdf_chart, pdf_markdown, pdf_fonts),
 * with the sections and words of report.md: cover (with the consultant's branding and
 * preamble), table of contents, summary with charts (and the comparison with earlier
 * packs), service responsibility matrix, per framework the control responsibility
 * matrix, controls, inherited controls with their Artifact citations, failing,
 * accepted-risk and needs-review controls with their findings, no-evidence controls and
 * suppressed findings; manual evidence, exceptions, unmapped findings and the sources
 * appendix. A change ticket (profile "ticket") gets the short layout of ticket.md.
 * Every number printed is a field of the model, as pack.json prints it; the only
 * arithmetic here is lengths.
 *
 * Findings listed per control are bounded by max_findings_per_control (default 25, never
 * more than the model lists); the PDF says how many it shows of how many listed, how many
 * more are not listed, and points to workbook.xlsx. Output is byte-identical for the same
 * pack: the document dates come from the as-of date, libharu 2.3.0 writes no /ID, and
 * nothing depends on the clock or on addresses (checked with cmp in test_pdf.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <hpdf.h>

#include "render/pdf_chart.h"
#include "render/pdf_fonts.h"
#include "render/pdf_layout.h"
#include "render/pdf_markdown.h"
#include "render/pdf_table.h"
#include "render/render.h"
#include "util/buf.h"

#define DEFAULT_MAX_FINDINGS 25
#define BODY 9.0f  /* body text */
#define CELL 7.2f  /* table text */
#define SMALL 6.6f /* wide tables */

/* ---- colours ---- */

static const ev_pdf_rgb INK = {0.1f, 0.1f, 0.12f};
static const ev_pdf_rgb MUTED = {0.40f, 0.41f, 0.45f};
static const ev_pdf_rgb WARN = {0.70f, 0.10f, 0.10f};

/* by ev_control_status: word colour, cell tint, chart fill */
typedef struct {
    ev_pdf_rgb ink, tint, fill;
    const char *title; /* column heading, as report.md */
} status_style;

static status_style status_of(ev_control_status s)
{
    switch (s) {
    case EV_STATUS_INHERITED:
        return (status_style){
            {0.10f, 0.33f, 0.62f}, {0.86f, 0.91f, 0.97f}, {0.29f, 0.50f, 0.78f}, "Inherited"};
    case EV_STATUS_PASSING:
        return (status_style){
            {0.11f, 0.42f, 0.18f}, {0.86f, 0.94f, 0.86f}, {0.29f, 0.63f, 0.35f}, "Passing"};
    case EV_STATUS_PASSING_MANUAL:
        return (status_style){{0.05f, 0.40f, 0.38f},
                              {0.84f, 0.94f, 0.93f},
                              {0.20f, 0.62f, 0.60f},
                              "Passing (manual)"};
    case EV_STATUS_FAILING:
        return (status_style){
            {0.72f, 0.11f, 0.11f}, {0.98f, 0.86f, 0.86f}, {0.82f, 0.24f, 0.21f}, "Failing"};
    case EV_STATUS_ACCEPTED_RISK:
        return (status_style){
            {0.50f, 0.30f, 0.12f}, {0.95f, 0.89f, 0.82f}, {0.66f, 0.45f, 0.25f}, "Accepted risk"};
    case EV_STATUS_NO_EVIDENCE:
        return (status_style){
            {0.58f, 0.35f, 0.00f}, {0.99f, 0.93f, 0.80f}, {0.92f, 0.63f, 0.18f}, "No evidence"};
    case EV_STATUS_SUPPRESSED:
        return (status_style){
            {0.36f, 0.36f, 0.38f}, {0.91f, 0.91f, 0.92f}, {0.60f, 0.60f, 0.63f}, "Suppressed"};
    case EV_STATUS_NEEDS_REVIEW:
        return (status_style){
            {0.43f, 0.16f, 0.56f}, {0.93f, 0.88f, 0.96f}, {0.56f, 0.36f, 0.70f}, "Needs review"};
    default:
        return (status_style){{0.2f, 0.2f, 0.2f},
                              {0.93f, 0.93f, 0.93f},
                              {0.5f, 0.5f, 0.5f},
                              ev_control_status_name(s)};
    }
}

/* by ev_severity */
static const ev_pdf_rgb SEV_INK[EV_SEV_COUNT] = {{0.30f, 0.40f, 0.47f}, {0.50f, 0.42f, 0.00f},
                                                 {0.74f, 0.38f, 0.00f}, {0.74f, 0.13f, 0.13f},
                                                 {0.52f, 0.00f, 0.02f}, {0.42f, 0.42f, 0.42f}};
static const ev_pdf_rgb SEV_TINT[EV_SEV_COUNT] = {{0.90f, 0.93f, 0.95f}, {0.98f, 0.96f, 0.82f},
                                                  {0.99f, 0.91f, 0.80f}, {0.98f, 0.86f, 0.86f},
                                                  {0.95f, 0.80f, 0.80f}, {0.92f, 0.92f, 0.92f}};
static const ev_pdf_rgb SEV_FILL[EV_SEV_COUNT] = {{0.50f, 0.60f, 0.67f}, {0.84f, 0.72f, 0.14f},
                                                  {0.94f, 0.55f, 0.14f}, {0.84f, 0.24f, 0.21f},
                                                  {0.56f, 0.04f, 0.08f}, {0.64f, 0.64f, 0.64f}};

/* by ev_freshness */
static const ev_pdf_rgb FRESH_INK[EV_FRESHNESS_COUNT] = {
    {0.11f, 0.42f, 0.18f}, {0.58f, 0.35f, 0.00f}, {0.72f, 0.11f, 0.11f}};
static const ev_pdf_rgb FRESH_TINT[EV_FRESHNESS_COUNT] = {
    {0.86f, 0.94f, 0.86f}, {0.99f, 0.93f, 0.80f}, {0.98f, 0.86f, 0.86f}};

/* by ev_owner */
static const ev_pdf_rgb OWNER_INK[EV_OWNER_COUNT] = {
    {0.10f, 0.33f, 0.62f}, {0.58f, 0.35f, 0.00f}, {0.43f, 0.16f, 0.56f}, {0.40f, 0.40f, 0.42f}};
static const ev_pdf_rgb OWNER_TINT[EV_OWNER_COUNT] = {
    {0.86f, 0.91f, 0.97f}, {0.99f, 0.93f, 0.80f}, {0.93f, 0.88f, 0.96f}, {0.93f, 0.93f, 0.94f}};

/* ---- context and small helpers ---- */

typedef struct {
    HPDF_STATUS code, detail;
} hpdf_failure;

typedef struct {
    ev_pdf_doc d;
    ev_pdf_fonts *f;
    const ev_pack *p;
    size_t max_findings;
    hpdf_failure *hf;
} ctx;

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user)
{
    hpdf_failure *hf = user;
    if (!hf->code) {
        hf->code = code;
        hf->detail = detail;
    }
}

static const char *or_text(const char *s, const char *dflt)
{
    return s && *s ? s : dflt;
}

/* printf into a fresh string; the caller frees it */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    ev_buf b = EV_BUF_INIT;
    va_list ap;
    va_start(ap, f);
    ev_buf_vprintf(&b, f, ap);
    va_end(ap);
    return ev_buf_detach(&b);
}

/* Appends text in style to paragraph p (of rich r) with an optional link target. */
static void app(ctx *c, ev_pdf_rich *r, size_t para, const char *s, ev_pdf_face style,
                const char *link)
{
    if (!s)
        return;
    uint32_t id = link ? ev_pdf_rich_link(r, link) : 0;
    ev_pdf_fonts_append(c->f, &r->v[para].text, s, strlen(s), style, id);
}

static void appn(ctx *c, ev_pdf_rich *r, size_t para, size_t v, ev_pdf_face style)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", v);
    app(c, r, para, num, style, NULL);
}

/* Flows one paragraph of plain text. */
static void text(ctx *c, const char *s, ev_pdf_face style, float size, ev_pdf_rgb color)
{
    ev_pdf_rich r = {0};
    ev_pdf_para *p = ev_pdf_rich_text(&r, c->f, s, style, size);
    p->color = color;
    ev_pdf_flow(&c->d, &r);
    ev_pdf_rich_free(&r);
    ev_pdf_space(&c->d, size * 0.55f);
}

static void body(ctx *c, const char *s)
{
    text(c, s, EV_PDF_REGULAR, BODY, INK);
}

static void flow_rich(ctx *c, ev_pdf_rich *r)
{
    ev_pdf_flow(&c->d, r);
    ev_pdf_rich_free(r);
    ev_pdf_space(&c->d, BODY * 0.55f);
}

/* Column widths in points for a table over the text width; weights elsewhere. */
static float text_width(const ctx *c)
{
    return c->d.x1 - c->d.x0;
}

static void cell_num(ev_pdf_table *t, size_t col, size_t v)
{
    char num[32];
    snprintf(num, sizeof num, "%zu", v);
    ev_pdf_table_text(t, col, num, EV_PDF_REGULAR);
}

static void cell_word(ev_pdf_table *t, size_t col, const char *word, ev_pdf_rgb ink,
                      ev_pdf_rgb tint)
{
    ev_pdf_para *p = ev_pdf_table_text(t, col, word, EV_PDF_BOLD);
    p->color = ink;
    ev_pdf_cell *cell = ev_pdf_table_cell(t, col);
    cell->has_fill = true;
    cell->fill = tint;
}

/* A SHA-256 in monospace, small enough to take two or one lines of its column. */
static void cell_hash(ev_pdf_table *t, size_t col, const char *hex, float size)
{
    if (!hex || !*hex)
        return;
    ev_pdf_para *p = ev_pdf_table_text(t, col, hex, EV_PDF_MONO);
    p->size = size;
    p->leading = size * 1.3f;
}

static void cell_status(ev_pdf_table *t, size_t col, ev_control_status s)
{
    status_style st = status_of(s);
    cell_word(t, col, ev_control_status_name(s), st.ink, st.tint);
}

static void cell_md(ctx *c, ev_pdf_table *t, size_t col, const char *md, const char *empty)
{
    if (md && *md)
        ev_pdf_markdown(&ev_pdf_table_cell(t, col)->rich, c->f, md, t->size, EV_PDF_ALIGN_LEFT);
    else if (empty) {
        ev_pdf_para *p = ev_pdf_table_text(t, col, empty, EV_PDF_OBLIQUE);
        p->color = MUTED;
    }
}

static float id_column(ctx *c, const ev_framework_result *fr, float size)
{
    float w = 0;
    for (size_t i = 0; i < fr->n_controls; i++) {
        float x = ev_pdf_text_width(&c->d, fr->controls[i].control->id, EV_PDF_REGULAR, size);
        if (x > w)
            w = x;
    }
    w += 10;
    return w < 34 ? 34 : w > 90 ? 90 : w;
}

static char *framework_label(const ev_framework *fw)
{
    return fmt("%s %s", or_text(fw->name, fw->id), or_text(fw->version, ""));
}

static const char *resp_label(ev_responsibility r)
{
    static const char *const names[EV_RESP_COUNT] = {"AWS-inherited", "Customer", "Shared"};
    return names[r];
}

/* ---- cover ---- */

static void kv_row(ev_pdf_table *t, const char *k, const char *v, ev_pdf_face style)
{
    ev_pdf_table_text(t, 0, k, EV_PDF_BOLD);
    ev_pdf_table_text(t, 1, v, style);
    ev_pdf_table_row(t);
}

static char *joined(char *const *v, size_t n, const char *none)
{
    if (!n)
        return ev_xstrdup(none);
    ev_buf b = EV_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i)
            ev_buf_puts(&b, ", ");
        ev_buf_puts(&b, v[i]);
    }
    return ev_buf_detach(&b);
}

/* A PNG logo at the top right of the cover, scaled into 160 × 48 points. libharu's
 * errors are sticky: a logo it cannot read is reset and said so on the cover. */
static void logo(ctx *c, const ev_branding *b)
{
    ev_pdf_doc *d = &c->d;
    FILE *fp = fopen(b->logo_path, "rb");
    unsigned char sig[8] = {0};
    bool png = fp && fread(sig, 1, 8, fp) == 8 && memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0;
    if (fp)
        fclose(fp);
    HPDF_Image img = png ? HPDF_LoadPngImageFromFile(d->pdf, b->logo_path) : NULL;
    if (!img) {
        HPDF_ResetError(d->pdf);
        c->hf->code = c->hf->detail = 0;
        char *m = fmt("(the logo %s could not be embedded)", or_text(b->logo, ""));
        ev_pdf_label(d, d->x1, d->y_top - 8, m, EV_PDF_OBLIQUE, 7, MUTED, EV_PDF_ALIGN_RIGHT);
        free(m);
        return;
    }
    float w = (float)HPDF_Image_GetWidth(img), h = (float)HPDF_Image_GetHeight(img);
    float k = w > 0 && h > 0 ? (160 / w < 48 / h ? 160 / w : 48 / h) : 1;
    HPDF_Page_DrawImage(d->page, img, d->x1 - w * k, d->y_top - h * k, w * k, h * k);
}

/* Consultant branding: logo, who prepared the pack for whom, and the preamble (Markdown). */
static void branding(ctx *c)
{
    const ev_scope *s = c->p->scope;
    const ev_branding *b = s ? s->branding : NULL;
    if (!b)
        return;
    if (b->logo_path)
        logo(c, b);
    ev_pdf_rich r = {0};
    ev_pdf_rich_para(&r, 10);
    app(c, &r, 0, "Prepared for ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, or_text(b->client, or_text(s->organisation, "")), EV_PDF_BOLD, NULL);
    if (b->consultancy) {
        app(c, &r, 0, " by ", EV_PDF_REGULAR, NULL);
        app(c, &r, 0, b->consultancy, EV_PDF_BOLD, NULL);
    }
    if (b->author) {
        app(c, &r, 0, " (author: ", EV_PDF_REGULAR, NULL);
        app(c, &r, 0, b->author, EV_PDF_REGULAR, NULL);
        app(c, &r, 0, ")", EV_PDF_REGULAR, NULL);
    }
    app(c, &r, 0, ".", EV_PDF_REGULAR, NULL);
    ev_pdf_markdown(&r, c->f, b->preamble, BODY, EV_PDF_ALIGN_LEFT);
    flow_rich(c, &r);
}

static void cover(ctx *c)
{
    const ev_pack *p = c->p;
    const ev_scope *s = p->scope;
    ev_pdf_doc *d = &c->d;
    ev_pdf_new_page(d);
    ev_pdf_bookmark(d, "Cover");
    d->y -= 70;
    text(c, "AUDIT EVIDENCE PACK", EV_PDF_BOLD, 10, MUTED);
    text(c, or_text(s ? s->title : NULL, "Evidence pack"), EV_PDF_BOLD, 24, d->accent);
    text(c, or_text(s ? s->organisation : NULL, "Organisation not stated"), EV_PDF_REGULAR, 15,
         INK);
    if (s && s->classification && *s->classification) {
        char *cl = fmt("Classification: %s", s->classification);
        text(c, cl, EV_PDF_BOLD, 11, WARN);
        free(cl);
    }
    branding(c);
    ev_pdf_space(d, 18);

    static const float w[] = {1, 3};
    static const char *const head[] = {"Pack", ""};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w, NULL, head, 2, 8.5f);
    kv_row(&t, "Organisation", or_text(s ? s->organisation : NULL, "not stated"), EV_PDF_REGULAR);
    char *period = fmt("%s to %s", or_text(s ? s->period_start : NULL, "not stated"),
                       or_text(s ? s->period_end : NULL, "not stated"));
    kv_row(&t, "Assessment period", period, EV_PDF_REGULAR);
    free(period);
    kv_row(&t, "As of", p->as_of, EV_PDF_REGULAR);
    for (size_t k = 0; k < p->n_frameworks; k++) {
        const ev_framework *fw = p->frameworks[k].framework;
        char *lbl = framework_label(fw);
        char *v = fmt("%s (mapping edition %s)", lbl, or_text(fw->edition, "not stated"));
        ev_pdf_table_text(&t, 0, k == 0 ? "Frameworks" : "", EV_PDF_BOLD);
        ev_pdf_table_text(&t, 1, v, EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
        free(lbl);
        free(v);
    }
    if (!p->n_frameworks)
        kv_row(&t, "Frameworks", "none", EV_PDF_REGULAR);
    char *acc = joined(s ? s->accounts : NULL, s ? s->n_accounts : 0, "not stated");
    char *reg = joined(s ? s->regions : NULL, s ? s->n_regions : 0, "not stated");
    char *svc = joined(s ? s->services : NULL, s ? s->n_services : 0, "not stated");
    kv_row(&t, "Accounts in scope", acc, EV_PDF_REGULAR);
    kv_row(&t, "Regions in scope", reg, EV_PDF_REGULAR);
    kv_row(&t, "Services in scope", svc, EV_PDF_REGULAR);
    free(acc);
    free(reg);
    free(svc);
    kv_row(&t, "Inputs digest", p->inputs_digest[0] ? p->inputs_digest : "not recorded",
           EV_PDF_MONO);
    char *by = fmt("evpack %s", or_text(p->tool_version, ""));
    kv_row(&t, "Produced by", by, EV_PDF_REGULAR);
    free(by);
    ev_pdf_table_end(&t);

    ev_pdf_rich r = {0};
    ev_pdf_rich_para(&r, BODY);
    app(c, &r, 0, "This pack separates, control by control, what is ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, "inherited from AWS", EV_PDF_BOLD, NULL);
    app(c, &r, 0, " (proved by the AWS Artifact report cited), what is the ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, "customer's", EV_PDF_BOLD, NULL);
    app(c, &r, 0, " (proved by findings and the customer's own evidence) and what is ",
        EV_PDF_REGULAR, NULL);
    app(c, &r, 0, "shared", EV_PDF_BOLD, NULL);
    app(c, &r, 0,
        " (both). manifest.json and SHA256SUMS beside this file hold the SHA-256 of every "
        "input and output; evpack verify re-checks them. The inputs digest is the SHA-256 of "
        "the manifest's input list, one line per input: role, path and SHA-256, separated by "
        "tabs.",
        EV_PDF_REGULAR, NULL);
    flow_rich(c, &r);
}

/* ---- summary ---- */

static void count_row(ev_pdf_table *t, const char *label, size_t v, bool strong)
{
    ev_pdf_table_text(t, 0, label, strong ? EV_PDF_BOLD : EV_PDF_REGULAR);
    char num[32];
    snprintf(num, sizeof num, "%zu", v);
    ev_pdf_table_text(t, 1, num, strong ? EV_PDF_BOLD : EV_PDF_REGULAR);
    ev_pdf_table_row(t);
}

static void summary_links(ctx *c)
{
    const ev_pack *p = c->p;
    ev_pdf_rich r = {0};
    ev_pdf_rich_para(&r, BODY);
    app(c, &r, 0, "In this pack: ", EV_PDF_BOLD, NULL);
    app(c, &r, 0, "Service responsibility matrix", EV_PDF_REGULAR, "#services");
    for (size_t k = 0; k < p->n_frameworks; k++) {
        char *lbl = framework_label(p->frameworks[k].framework);
        char *a = fmt("#fw-%zu", k);
        app(c, &r, 0, " \xC2\xB7 ", EV_PDF_REGULAR, NULL);
        app(c, &r, 0, lbl, EV_PDF_REGULAR, a);
        char *af = fmt("#fw-%zu-failing", k);
        app(c, &r, 0, " (", EV_PDF_REGULAR, NULL);
        app(c, &r, 0, "failing controls", EV_PDF_REGULAR, af);
        app(c, &r, 0, ")", EV_PDF_REGULAR, NULL);
        free(lbl);
        free(a);
        free(af);
    }
    app(c, &r, 0, " \xC2\xB7 ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, "Manual evidence", EV_PDF_REGULAR, "#evidence");
    app(c, &r, 0, " \xC2\xB7 ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, "Exceptions", EV_PDF_REGULAR, "#exceptions");
    app(c, &r, 0, " \xC2\xB7 ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, "Findings that map to no control", EV_PDF_REGULAR, "#unmapped");
    app(c, &r, 0, " \xC2\xB7 ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, "Sources", EV_PDF_REGULAR, "#sources");
    flow_rich(c, &r);
}

/* ---- the comparison with earlier packs (quarterly profile), from p->comparison ---- */

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void cell_jnum(ev_pdf_table *t, size_t col, const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    char num[32];
    snprintf(num, sizeof num, "%.0f", cJSON_IsNumber(v) ? v->valuedouble : 0.0);
    ev_pdf_table_text(t, col, num, EV_PDF_REGULAR);
}

static ev_control_status status_named(const char *name)
{
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
        if (name && strcmp(name, ev_control_status_name((ev_control_status)s)) == 0)
            return (ev_control_status)s;
    return EV_CONTROL_STATUS_COUNT;
}

static void cell_jstatus(ev_pdf_table *t, size_t col, const char *name)
{
    ev_control_status s = status_named(name);
    if (s < EV_CONTROL_STATUS_COUNT)
        cell_status(t, col, s);
    else
        ev_pdf_table_text(t, col, or_text(name, "none"), EV_PDF_REGULAR);
}

static void id_list(ctx *c, const char *intro, const cJSON *list)
{
    if (!cJSON_GetArraySize(list))
        return;
    ev_pdf_rich r = {0};
    ev_pdf_rich_para(&r, BODY);
    app(c, &r, 0, intro, EV_PDF_REGULAR, NULL);
    const cJSON *x;
    bool first = true;
    cJSON_ArrayForEach(x, list)
    {
        app(c, &r, 0, first ? " " : ", ", EV_PDF_REGULAR, NULL);
        app(c, &r, 0, or_text(jstr(x, "id"), "?"), EV_PDF_BOLD, NULL);
        first = false;
    }
    flow_rich(c, &r);
}

static void comparison(ctx *c, const cJSON *cmp)
{
    ev_pdf_doc *d = &c->d;
    ev_pdf_heading(d, 2, "Since the previous pack", "comparison");
    const cJSON *against = cJSON_GetObjectItemCaseSensitive(cmp, "against");
    char *m = fmt("Compared with the pack as of %s (%s).", or_text(jstr(against, "as_of"), "?"),
                  or_text(jstr(against, "pack"), "?"));
    body(c, m);
    free(m);
    static const float w[] = {2, 1, 1, 1, 1.1f, 1, 1};
    static const int a[] = {EV_PDF_ALIGN_LEFT,  EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_RIGHT,
                            EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_RIGHT,
                            EV_PDF_ALIGN_RIGHT};
    static const char *const h[] = {"Framework",         "Status changes",         "New failures",
                                    "Resolved failures", "Newly without evidence", "Controls added",
                                    "Controls removed"};
    static const char *const keys[] = {"changed",           "new_failures", "resolved",
                                       "newly_no_evidence", "added",        "removed"};
    const cJSON *fws = cJSON_GetObjectItemCaseSensitive(cmp, "frameworks"), *fw;
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w, a, h, 7, 7.2f);
    cJSON_ArrayForEach(fw, fws)
    {
        char *lbl = fmt("%s %s%s", or_text(jstr(fw, "name"), ""), or_text(jstr(fw, "version"), ""),
                        cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(fw, "in_previous"))
                            ? " (not in the previous pack)"
                            : "");
        ev_pdf_table_text(&t, 0, lbl, EV_PDF_REGULAR);
        free(lbl);
        const cJSON *counts = cJSON_GetObjectItemCaseSensitive(fw, "counts");
        for (size_t k = 0; k < 6; k++)
            cell_jnum(&t, 1 + k, counts, keys[k]);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
    cJSON_ArrayForEach(fw, fws)
    {
        const cJSON *changed = cJSON_GetObjectItemCaseSensitive(fw, "changed"), *x;
        if (cJSON_GetArraySize(changed)) {
            char *lbl = fmt("%s %s: status changes", or_text(jstr(fw, "name"), ""),
                            or_text(jstr(fw, "version"), ""));
            text(c, lbl, EV_PDF_BOLD, BODY, INK);
            free(lbl);
            static const float w4[] = {1, 4, 1.3f, 1.3f};
            static const char *const h4[] = {"Control", "Title", "Was", "Now"};
            ev_pdf_table_begin(&t, d, w4, NULL, h4, 4, 7.2f);
            cJSON_ArrayForEach(x, changed)
            {
                ev_pdf_table_text(&t, 0, jstr(x, "id"), EV_PDF_REGULAR);
                ev_pdf_table_text(&t, 1, jstr(x, "title"), EV_PDF_REGULAR);
                cell_jstatus(&t, 2, jstr(x, "from"));
                cell_jstatus(&t, 3, jstr(x, "to"));
                ev_pdf_table_row(&t);
            }
            ev_pdf_table_end(&t);
        }
        id_list(c, "Controls in this pack but not in the previous one:",
                cJSON_GetObjectItemCaseSensitive(fw, "added"));
        id_list(c, "Controls in the previous pack but not in this one:",
                cJSON_GetObjectItemCaseSensitive(fw, "removed"));
    }
    static const float w2[] = {4, 1.5f};
    static const char *const h2[] = {"AWS Artifact editions that went stale since the previous "
                                     "pack",
                                     "Was"};
    ev_pdf_table_begin(&t, d, w2, NULL, h2, 2, 7.2f);
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(cmp, "artifacts_went_stale"), *x;
    cJSON_ArrayForEach(x, st)
    {
        ev_pdf_table_text(&t, 0, jstr(x, "title"), EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 1, jstr(x, "was"), EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    if (!cJSON_GetArraySize(st)) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);

    body(c, "Trend over the packs compared (controls by status):");
    enum { N = 3 + EV_CONTROL_STATUS_COUNT };
    float wt[N];
    int at[N];
    const char *ht[N];
    wt[0] = 1.6f, wt[1] = 1.3f, wt[2] = 1.4f;
    at[0] = at[1] = at[2] = EV_PDF_ALIGN_LEFT;
    ht[0] = "Pack", ht[1] = "As of", ht[2] = "Framework";
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++) {
        wt[3 + s] = 1;
        at[3 + s] = EV_PDF_ALIGN_RIGHT;
        ht[3 + s] = status_of((ev_control_status)s).title;
    }
    ev_pdf_table_begin(&t, d, wt, at, ht, N, 6.6f);
    const cJSON *trend = cJSON_GetObjectItemCaseSensitive(cmp, "trend"), *pt;
    cJSON_ArrayForEach(pt, trend)
    {
        const cJSON *tf;
        cJSON_ArrayForEach(tf, cJSON_GetObjectItemCaseSensitive(pt, "frameworks"))
        {
            ev_pdf_table_text(&t, 0, jstr(pt, "pack"), EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 1, jstr(pt, "as_of"), EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 2, jstr(tf, "id"), EV_PDF_REGULAR);
            const cJSON *bs = cJSON_GetObjectItemCaseSensitive(tf, "by_status");
            for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
                cell_jnum(&t, 3 + (size_t)s, bs, ev_control_status_name((ev_control_status)s));
            ev_pdf_table_row(&t);
        }
    }
    ev_pdf_table_end(&t);
}

static void summary(ctx *c)
{
    const ev_pack *p = c->p;
    const ev_finding_counts *fc = &p->findings;
    ev_pdf_doc *d = &c->d;
    ev_pdf_heading(d, 1, "Summary", "summary");
    summary_links(c);

    ev_pdf_series status_series[EV_CONTROL_STATUS_COUNT];
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
        status_series[s] = (ev_pdf_series){ev_control_status_name((ev_control_status)s),
                                           status_of((ev_control_status)s).fill};
    ev_pdf_space(d, 6);
    const char *rows[EV_RESP_COUNT];
    for (int r = 0; r < EV_RESP_COUNT; r++)
        rows[r] = resp_label((ev_responsibility)r);
    for (size_t k = 0; k < p->n_frameworks; k++) {
        const ev_framework_result *fr = &p->frameworks[k];
        size_t values[EV_RESP_COUNT * EV_CONTROL_STATUS_COUNT];
        for (int r = 0; r < EV_RESP_COUNT; r++)
            for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
                values[r * EV_CONTROL_STATUS_COUNT + s] = fr->matrix[r][s];
        char *lbl = framework_label(fr->framework);
        char *title = fmt("Control status by responsibility: %s", lbl);
        ev_pdf_chart_stacked(d, title, rows, fr->by_responsibility, EV_RESP_COUNT, status_series,
                             EV_CONTROL_STATUS_COUNT, values, " controls");
        free(title);
        free(lbl);
    }
    static const ev_severity order[] = {EV_SEV_CRITICAL, EV_SEV_HIGH,          EV_SEV_MEDIUM,
                                        EV_SEV_LOW,      EV_SEV_INFORMATIONAL, EV_SEV_UNKNOWN};
    static const char *const sev_words[] = {"Critical", "High",          "Medium",
                                            "Low",      "Informational", "Unknown"};
    ev_pdf_series sev_rows[6];
    size_t sev_values[6];
    for (int i = 0; i < 6; i++) {
        sev_rows[i] = (ev_pdf_series){sev_words[i], SEV_FILL[order[i]]};
        sev_values[i] = fc->by_severity[order[i]];
    }
    ev_pdf_chart_bars(d, "Failing findings by severity (not suppressed)", sev_rows, sev_values, 6);

    ev_pdf_heading(d, 2, "Findings read", "findings-read");
    static const float w2[] = {4, 1};
    static const int a2[] = {EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_RIGHT};
    static const char *const h1[] = {"Findings", "Count"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w2, a2, h1, 2, 8);
    count_row(&t, "Records read", fc->read, false);
    count_row(&t, "Superseded by a newer delivery of the same finding", fc->duplicates, false);
    count_row(&t, "Archived (not counted)", fc->archived, false);
    count_row(&t, "Active", fc->active, true);
    count_row(&t, "Active and suppressed (shown as suppressed, not as passing)", fc->suppressed,
              false);
    count_row(&t, "Active with an unrecognised status", fc->unrecognised, false);
    count_row(&t, "Active that map to no control", fc->unmapped, false);
    ev_pdf_table_end(&t);

    static const char *const h2[] = {"Active findings by result", "Count"};
    static const char *const result_words[EV_RESULT_COUNT] = {
        "Passed", "Failed", "Warning", "Not available", "Unrecognised", "No compliance result"};
    ev_pdf_table_begin(&t, d, w2, a2, h2, 2, 8);
    for (int r = 0; r < EV_RESULT_COUNT; r++)
        count_row(&t, result_words[r], fc->by_result[r], false);
    ev_pdf_table_end(&t);

    static const char *const h3[] = {"Failing findings by severity (not suppressed)", "Count"};
    ev_pdf_table_begin(&t, d, w2, a2, h3, 2, 8);
    for (int i = 0; i < 6; i++)
        count_row(&t, sev_words[i], fc->by_severity[order[i]], false);
    ev_pdf_table_end(&t);

    if (fc->unrecognised) {
        body(c, "Unrecognised status values (counted as needs-review, never as passing):");
        ev_pdf_rich r = {0};
        for (size_t i = 0; i < p->n_unrecognised_values; i++) {
            ev_pdf_para *pp = ev_pdf_rich_para(&r, BODY);
            pp->indent = 14;
            ev_pdf_fonts_append(c->f, &pp->marker, "\xE2\x80\xA2", 3, EV_PDF_REGULAR, 0);
            size_t at = r.n - 1;
            app(c, &r, at, "\"", EV_PDF_REGULAR, NULL);
            app(c, &r, at, p->unrecognised_values[i].value, EV_PDF_REGULAR, NULL);
            app(c, &r, at, "\": ", EV_PDF_REGULAR, NULL);
            appn(c, &r, at, p->unrecognised_values[i].count, EV_PDF_REGULAR);
        }
        flow_rich(c, &r);
    }

    /* by source: the model's own by_result counts (report.md folds the last four into
     * "Other results") */
    static const float w7[] = {2.2f, 1, 1, 1, 1, 1.1f, 1.1f, 1.1f};
    static const int a7[] = {EV_PDF_ALIGN_LEFT,  EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_RIGHT,
                             EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_RIGHT,
                             EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_RIGHT};
    static const char *const h7[] = {"Findings by source",
                                     "Active",
                                     "Passed",
                                     "Failed",
                                     "Warning",
                                     "Not available",
                                     "Unrecognised",
                                     "No compliance result"};
    ev_pdf_table_begin(&t, d, w7, a7, h7, 8, 7.5f);
    for (size_t i = 0; i < p->n_by_source; i++) {
        const ev_source_count *sc = &p->by_source[i];
        ev_pdf_table_text(&t, 0, sc->source, EV_PDF_REGULAR);
        cell_num(&t, 1, sc->active);
        static const ev_result order_r[] = {EV_RESULT_PASSED,       EV_RESULT_FAILED,
                                            EV_RESULT_WARNING,      EV_RESULT_NOT_AVAILABLE,
                                            EV_RESULT_UNRECOGNISED, EV_RESULT_NONE};
        for (size_t k = 0; k < 6; k++)
            cell_num(&t, 2 + k, sc->by_result[order_r[k]]);
        ev_pdf_table_row(&t);
    }
    if (!p->n_by_source) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);

    ev_pdf_heading(d, 2, "Stale evidence and accepted risk", "stale");
    static const char *const hs[] = {"Evidence", "Count"};
    ev_pdf_table_begin(&t, d, w2, a2, hs, 2, 8);
    char *age = fmt("Active findings last updated more than %ld days before the as-of date",
                    p->scope ? p->scope->max_evidence_age_days : 90L);
    count_row(&t, age, fc->stale, false);
    free(age);
    count_row(&t, "Manual evidence items past their expiry (not counted as evidence)",
              p->evidence_expired, false);
    count_row(&t, "AWS Artifact editions held that are past their freshness rule",
              p->stale_editions, false);
    count_row(&t, "Failing findings accepted by an exception in force", fc->accepted, false);
    ev_pdf_table_end(&t);

    if (p->comparison)
        comparison(c, p->comparison);

    ev_pdf_heading(d, 2, "Controls by status", "controls-by-status");
    float ws[2 + EV_CONTROL_STATUS_COUNT];
    int as[2 + EV_CONTROL_STATUS_COUNT];
    const char *hd[2 + EV_CONTROL_STATUS_COUNT];
    ws[0] = 2.4f;
    as[0] = EV_PDF_ALIGN_LEFT;
    hd[0] = "Framework";
    ws[1] = 1;
    as[1] = EV_PDF_ALIGN_RIGHT;
    hd[1] = "Controls";
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++) {
        ws[2 + s] = 1;
        as[2 + s] = EV_PDF_ALIGN_RIGHT;
        hd[2 + s] = status_of((ev_control_status)s).title;
    }
    ev_pdf_table_begin(&t, d, ws, as, hd, 2 + EV_CONTROL_STATUS_COUNT, 7);
    for (size_t k = 0; k < p->n_frameworks; k++) {
        const ev_framework_result *fr = &p->frameworks[k];
        char *lbl = framework_label(fr->framework);
        char *a = fmt("#fw-%zu", k);
        ev_pdf_cell *cell = ev_pdf_table_cell(&t, 0);
        ev_pdf_rich_para(&cell->rich, t.size);
        app(c, &cell->rich, 0, lbl, EV_PDF_REGULAR, a);
        free(lbl);
        free(a);
        cell_num(&t, 1, fr->n_controls);
        for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
            cell_num(&t, 2 + (size_t)s, fr->by_status[s]);
        ev_pdf_table_row(&t);
    }
    if (!p->n_frameworks) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
}

/* ---- service responsibility matrix ---- */

#define SERVICES_PER_TABLE 6

static void services(ctx *c)
{
    const ev_pack *p = c->p;
    ev_pdf_doc *d = &c->d;
    ev_pdf_heading_here(d, 1, "Service responsibility matrix", "services");
    const ev_services *sv = p->services;
    if (!sv) {
        body(c, "No service catalogue was given, so this pack holds no service responsibility "
                "matrix.");
        return;
    }
    char *intro =
        fmt("Who owns each responsibility domain, service by service (service "
            "catalogue edition %s; services %s). The line moves with the service "
            "model: on infrastructure services the customer runs the guest OS; on "
            "container and abstracted services AWS runs more of the stack.",
            or_text(sv->edition, "not stated"),
            p->services_auto ? "taken from the findings' resource types" : "named in the scope");
    body(c, intro);
    free(intro);
    size_t n_in = 0;
    for (size_t i = 0; i < p->n_service_rows; i++)
        n_in += p->service_rows[i].in_scope;
    if (!n_in)
        body(c, "No service of the catalogue is in scope.");
    const ev_service_row **in = ev_xcalloc(n_in ? n_in : 1, sizeof *in);
    size_t m = 0;
    for (size_t i = 0; i < p->n_service_rows; i++)
        if (p->service_rows[i].in_scope)
            in[m++] = &p->service_rows[i];
    for (size_t from = 0; from < n_in; from += SERVICES_PER_TABLE) {
        size_t cols = n_in - from < SERVICES_PER_TABLE ? n_in - from : SERVICES_PER_TABLE;
        float w[1 + SERVICES_PER_TABLE];
        const char *head[1 + SERVICES_PER_TABLE];
        w[0] = 1.8f;
        head[0] = "Domain";
        for (size_t j = 0; j < cols; j++) {
            w[1 + j] = 1;
            head[1 + j] = in[from + j]->service->id;
        }
        ev_pdf_table t;
        ev_pdf_table_begin(&t, d, w, NULL, head, 1 + cols, 7);
        ev_pdf_table_text(&t, 0, "Service model", EV_PDF_OBLIQUE);
        for (size_t j = 0; j < cols; j++)
            ev_pdf_table_text(&t, 1 + j, or_text(in[from + j]->service->model, ""), EV_PDF_OBLIQUE);
        ev_pdf_table_row(&t);
        ev_pdf_table_text(&t, 0, "Active findings", EV_PDF_OBLIQUE);
        for (size_t j = 0; j < cols; j++)
            cell_num(&t, 1 + j, in[from + j]->findings);
        ev_pdf_table_row(&t);
        for (size_t dm = 0; dm < sv->n_domains; dm++) {
            ev_pdf_table_text(&t, 0, or_text(sv->domains[dm].title, sv->domains[dm].id),
                              EV_PDF_REGULAR);
            for (size_t j = 0; j < cols; j++) {
                ev_owner o = in[from + j]->service->owners[dm];
                if ((int)o < 0 || o >= EV_OWNER_COUNT)
                    o = EV_OWNER_NOT_APPLICABLE;
                cell_word(&t, 1 + j, ev_owner_name(o), OWNER_INK[o], OWNER_TINT[o]);
            }
            ev_pdf_table_row(&t);
        }
        ev_pdf_table_end(&t);
    }
    free(in);
    ev_pdf_rich r = {0};
    for (size_t i = 0; i < p->n_service_rows; i++) {
        const ev_service_row *row = &p->service_rows[i];
        if (row->in_scope)
            continue;
        ev_pdf_para *pp = ev_pdf_rich_para(&r, BODY);
        pp->indent = 14;
        ev_pdf_fonts_append(c->f, &pp->marker, "\xE2\x80\xA2", 3, EV_PDF_REGULAR, 0);
        size_t at = r.n - 1;
        app(c, &r, at, "Findings also reveal ", EV_PDF_REGULAR, NULL);
        app(c, &r, at, or_text(row->service->name, row->service->id), EV_PDF_BOLD, NULL);
        app(c, &r, at, " (", EV_PDF_REGULAR, NULL);
        app(c, &r, at, row->service->id, EV_PDF_REGULAR, NULL);
        app(c, &r, at, "; active findings: ", EV_PDF_REGULAR, NULL);
        appn(c, &r, at, row->findings, EV_PDF_REGULAR);
        app(c, &r, at, "), which the scope does not name.", EV_PDF_REGULAR, NULL);
    }
    if (r.n)
        flow_rich(c, &r);
    else
        ev_pdf_rich_free(&r);
    static const float w2[] = {4, 1};
    static const int a2[] = {EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_RIGHT};
    static const char *const h2[] = {"Resource types not in the service catalogue",
                                     "Active findings"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w2, a2, h2, 2, 7.5f);
    for (size_t i = 0; i < p->n_unknown_resource_types; i++) {
        ev_pdf_table_text(&t, 0, p->unknown_resource_types[i].value, EV_PDF_REGULAR);
        cell_num(&t, 1, p->unknown_resource_types[i].count);
        ev_pdf_table_row(&t);
    }
    if (!p->n_unknown_resource_types) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
}

/* ---- one framework ---- */

static void matrix_table(ctx *c, const ev_framework_result *fr)
{
    enum { N = 2 + EV_CONTROL_STATUS_COUNT };
    float w[N];
    int a[N];
    const char *h[N];
    w[0] = 1.5f;
    a[0] = EV_PDF_ALIGN_LEFT;
    h[0] = "Responsibility";
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++) {
        w[1 + s] = 1;
        a[1 + s] = EV_PDF_ALIGN_RIGHT;
        h[1 + s] = status_of((ev_control_status)s).title;
    }
    w[N - 1] = 0.8f;
    a[N - 1] = EV_PDF_ALIGN_RIGHT;
    h[N - 1] = "Total";
    ev_pdf_table t;
    ev_pdf_table_begin(&t, &c->d, w, a, h, N, 7);
    for (int r = 0; r < EV_RESP_COUNT; r++) {
        ev_pdf_table_text(&t, 0, ev_responsibility_name((ev_responsibility)r), EV_PDF_REGULAR);
        for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++) {
            cell_num(&t, 1 + (size_t)s, fr->matrix[r][s]);
            if (fr->matrix[r][s]) {
                ev_pdf_cell *cell = ev_pdf_table_cell(&t, 1 + (size_t)s);
                cell->has_fill = true;
                cell->fill = status_of((ev_control_status)s).tint;
            }
        }
        char num[32];
        snprintf(num, sizeof num, "%zu", fr->by_responsibility[r]);
        ev_pdf_table_text(&t, N - 1, num, EV_PDF_BOLD);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
}

static void controls_table(ctx *c, const ev_framework_result *fr)
{
    float idw = id_column(c, fr, SMALL);
    float rest = 36 + 62 + 68 + 84 + 48;
    float w[] = {idw, text_width(c) - idw - rest, 36, 62, 68, 84, 48};
    static const char *const h[] = {"Control",
                                    "Title",
                                    "Section",
                                    "Responsibility",
                                    "Status",
                                    ("Findings passed / failed / accepted / suppressed / "
                                     "needs review"),
                                    "Manual evidence"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, &c->d, w, NULL, h, 7, SMALL);
    for (size_t i = 0; i < fr->n_controls; i++) {
        const ev_control_result *cr = &fr->controls[i];
        const ev_control *ct = cr->control;
        ev_pdf_table_text(&t, 0, ct->id, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 1, ct->title, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 2, ct->section, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 3, ev_responsibility_name(ct->responsibility), EV_PDF_REGULAR);
        cell_status(&t, 4, cr->status);
        char *counts = fmt("%zu / %zu / %zu / %zu / %zu", cr->passed, cr->failed, cr->accepted,
                           cr->suppressed, cr->review);
        ev_pdf_table_text(&t, 5, counts, EV_PDF_REGULAR);
        free(counts);
        for (size_t k = 0; k < cr->n_evidence; k++)
            ev_pdf_table_text(&t, 6, cr->evidence[k]->item->id, EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
}

static void inherited(ctx *c, const ev_framework_result *fr)
{
    ev_pdf_doc *d = &c->d;
    char *intro =
        fmt("Controls whose AWS part is proved by an AWS Artifact report. \"citation missing\" "
            "means the scope does not say which edition of the report is held; \"stale\" "
            "means the edition held is past the report's freshness rule. Of the %zu AWS and "
            "%zu shared controls, %zu rely on current editions only, %zu on a stale edition "
            "and %zu on a report whose edition the scope does not name.",
            fr->by_responsibility[EV_RESP_AWS], fr->by_responsibility[EV_RESP_SHARED],
            fr->by_citation_freshness[EV_FRESH_CURRENT], fr->by_citation_freshness[EV_FRESH_STALE],
            fr->by_citation_freshness[EV_FRESH_MISSING]);
    body(c, intro);
    free(intro);

    float idw = id_column(c, fr, SMALL);
    float w[] = {idw, 62, 66, 56, 60, 48, 117, 48};
    static const char *const h[] = {
        "Control",        "Responsibility", "Report",         "Where in the report",
        "Edition period", "Retrieved",      "Report SHA-256", "Freshness"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w, NULL, h, 8, SMALL);
    size_t rows = 0;
    for (size_t i = 0; i < fr->n_controls; i++) {
        const ev_control_result *cr = &fr->controls[i];
        if (cr->control->responsibility == EV_RESP_CUSTOMER)
            continue;
        for (size_t j = 0; j < cr->n_citations; j++) {
            const ev_citation_result *cit = &cr->citations[j];
            const ev_edition *e = cit->edition;
            ev_pdf_table_text(&t, 0, cr->control->id, EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 1, ev_responsibility_name(cr->control->responsibility),
                              EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 2, cit->report ? cit->report->title : cit->citation->report,
                              EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 3, cit->citation->section, EV_PDF_REGULAR);
            if (e && (e->period_start || e->period_end)) {
                char *per =
                    fmt("%s to %s", or_text(e->period_start, ""), or_text(e->period_end, ""));
                ev_pdf_table_text(&t, 4, per, EV_PDF_REGULAR);
                free(per);
            }
            if (e) {
                ev_pdf_table_text(&t, 5, e->retrieved, EV_PDF_REGULAR);
                cell_hash(&t, 6, e->sha256, 5.6f);
            }
            cell_word(&t, 7, ev_freshness_name(cit->freshness), FRESH_INK[cit->freshness],
                      FRESH_TINT[cit->freshness]);
            ev_pdf_table_row(&t);
            rows++;
        }
    }
    if (!rows) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);

    /* the AWS statement and the customer's complementary duty, as written (Markdown) */
    float w2[] = {idw, 1, 1};
    w2[1] = w2[2] = (text_width(c) - idw) / 2;
    static const char *const h2[] = {"Control", "What AWS does",
                                     "The customer's complementary duty"};
    ev_pdf_table_begin(&t, d, w2, NULL, h2, 3, CELL);
    rows = 0;
    for (size_t i = 0; i < fr->n_controls; i++) {
        const ev_control *ct = fr->controls[i].control;
        if (ct->responsibility == EV_RESP_CUSTOMER)
            continue;
        ev_pdf_table_text(&t, 0, ct->id, EV_PDF_REGULAR);
        cell_md(c, &t, 1, ct->aws_statement, "not stated");
        cell_md(c, &t, 2, ct->cuec, "none stated");
        ev_pdf_table_row(&t);
        rows++;
    }
    if (!rows) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
}

static bool is_timestamp(const char *s)
{
    return s && strlen(s) > 11 && s[4] == '-' && s[7] == '-' && s[10] == 'T';
}

/* One finding's cells in the per-control table. */
static void finding_row(ctx *c, ev_pdf_table *t, const ev_finding *f)
{
    cell_word(t, 0, ev_severity_name(f->severity), SEV_INK[f->severity], SEV_TINT[f->severity]);
    ev_pdf_table_text(t, 1, ev_result_name(f->result), EV_PDF_REGULAR);
    if (f->stale)
        ev_pdf_table_text(t, 1, "(stale)", EV_PDF_BOLD)->color = WARN;
    if (f->result == EV_RESULT_UNRECOGNISED && f->result_text) {
        char *q = fmt("(\"%s\")", f->result_text);
        ev_pdf_table_text(t, 1, q, EV_PDF_REGULAR);
        free(q);
    }
    if (f->suppressed) {
        ev_pdf_para *pp = ev_pdf_table_text(t, 1, "suppressed", EV_PDF_OBLIQUE);
        pp->color = MUTED;
    }
    ev_pdf_table_text(t, 2, f->check, EV_PDF_REGULAR);
    ev_pdf_table_text(t, 3, f->account, EV_PDF_REGULAR);
    ev_pdf_table_text(t, 3, f->region, EV_PDF_REGULAR);
    ev_pdf_table_text(t, 4, f->resource_id, EV_PDF_REGULAR);
    ev_pdf_table_text(t, 5, f->title, EV_PDF_REGULAR);
    if (is_timestamp(f->updated_text)) {
        char date[11];
        memcpy(date, f->updated_text, 10);
        date[10] = 0;
        ev_pdf_table_text(t, 6, date, EV_PDF_REGULAR);
        ev_pdf_table_text(t, 6, f->updated_text + 11, EV_PDF_REGULAR);
    } else {
        ev_pdf_table_text(t, 6, f->updated_text, EV_PDF_REGULAR);
    }
    if (ev_pdf_safe_url(f->remediation_url)) {
        ev_pdf_cell *cell = ev_pdf_table_cell(t, 7);
        ev_pdf_rich_para(&cell->rich, t->size);
        app(c, &cell->rich, cell->rich.n - 1, "remediation", EV_PDF_REGULAR, f->remediation_url);
    } else {
        ev_pdf_table_text(t, 7, f->remediation, EV_PDF_REGULAR);
        if (f->remediation_url) /* not http(s): shown, never a link */
            ev_pdf_table_text(t, 7, f->remediation_url, EV_PDF_REGULAR);
    }
    if (t->n_cols > 8)
        ev_pdf_table_text(t, 8, f->accepted_by, EV_PDF_REGULAR);
    ev_pdf_table_row(t);
}

static void control_block(ctx *c, const ev_control_result *cr)
{
    const ev_control *ct = cr->control;
    ev_pdf_doc *d = &c->d;
    char *h = fmt("%s: %s", ct->id, or_text(ct->title, ""));
    ev_pdf_heading(d, 3, h, NULL);
    free(h);

    ev_pdf_rich r = {0};
    ev_pdf_rich_para(&r, BODY);
    app(c, &r, 0, "Responsibility ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, ev_responsibility_name(ct->responsibility), EV_PDF_BOLD, NULL);
    app(c, &r, 0, ", status ", EV_PDF_REGULAR, NULL);
    app(c, &r, 0, ev_control_status_name(cr->status), EV_PDF_BOLD, NULL);
    char *counts = fmt(": %zu passed, %zu failed, %zu accepted, %zu suppressed, %zu need review; "
                       "manual evidence: %zu passed, %zu failed, %zu expired.",
                       cr->passed, cr->failed, cr->accepted, cr->suppressed, cr->review,
                       cr->manual_passed, cr->manual_failed, cr->manual_expired);
    app(c, &r, 0, counts, EV_PDF_REGULAR, NULL);
    free(counts);
    flow_rich(c, &r);
    if (ct->responsibility != EV_RESP_AWS && ct->customer_statement) {
        ev_pdf_rich_para(&r, BODY);
        app(c, &r, 0, "What the customer must do and show:", EV_PDF_BOLD, NULL);
        ev_pdf_markdown(&r, c->f, ct->customer_statement, BODY, EV_PDF_ALIGN_LEFT);
        flow_rich(c, &r);
    }
    if (ct->rationale && *ct->rationale) {
        ev_pdf_rich_para(&r, BODY);
        app(c, &r, 0, "Why the responsibility lies here:", EV_PDF_BOLD, NULL);
        ev_pdf_markdown(&r, c->f, ct->rationale, BODY, EV_PDF_ALIGN_LEFT);
        flow_rich(c, &r);
    }

    size_t shown = cr->n_listed < c->max_findings ? cr->n_listed : c->max_findings;
    /* the Exception column only where an exception accepted some of them */
    static const float w8[] = {60, 46, 58, 60, 70, 84, 58, 52};
    static const float w9[] = {60, 46, 58, 60, 60, 66, 58, 50, 44};
    static const char *const hd[] = {"Severity",         "Result",      "Check",
                                     "Account / Region", "Resource",    "Finding",
                                     "Updated",          "Remediation", "Exception"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, cr->accepted ? w9 : w8, NULL, hd, cr->accepted ? 9 : 8, SMALL);
    for (size_t i = 0; i < shown; i++)
        finding_row(c, &t, &cr->listed[i]);
    if (!shown) {
        ev_pdf_table_text(&t, 0, "none listed", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
    if (shown < cr->n_listed || cr->not_listed) {
        ev_pdf_rich_para(&r, 8);
        r.v[0].color = MUTED;
        if (shown < cr->n_listed) {
            char *s = fmt("This PDF shows the first %zu of the %zu findings listed for this "
                          "control in pack.json. ",
                          shown, cr->n_listed);
            app(c, &r, 0, s, EV_PDF_REGULAR, NULL);
            free(s);
        }
        if (cr->not_listed) {
            char *s =
                fmt("%zu more findings are not listed; pack.json counts them. ", cr->not_listed);
            app(c, &r, 0, s, EV_PDF_REGULAR, NULL);
            free(s);
        }
        app(c, &r, 0, "The Findings sheet of workbook.xlsx lists every finding.", EV_PDF_REGULAR,
            NULL);
        flow_rich(c, &r);
    }
}

/* The detail block of every control with this status, or one line saying there is none. */
static void status_blocks(ctx *c, const ev_framework_result *fr, ev_control_status st,
                          const char *none)
{
    size_t n = 0;
    for (size_t i = 0; i < fr->n_controls; i++)
        if (fr->controls[i].status == st) {
            control_block(c, &fr->controls[i]);
            n++;
        }
    if (!n)
        body(c, none);
}

static void no_evidence(ctx *c, const ev_framework_result *fr)
{
    body(c, "These customer and shared controls have no mapped finding. They stay in the pack: "
            "the customer must evidence them another way (policy, procedure, manual evidence).");
    float idw = id_column(c, fr, CELL);
    float w[] = {idw, 0, 58, 0, 92};
    float rest = text_width(c) - idw - 58 - 92;
    w[1] = rest * 0.38f;
    w[3] = rest * 0.62f;
    static const char *const h[] = {"Control", "Title", "Responsibility",
                                    "What the customer must show", "Checks that would evidence it"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, &c->d, w, NULL, h, 5, CELL);
    size_t rows = 0;
    for (size_t i = 0; i < fr->n_controls; i++) {
        const ev_control_result *cr = &fr->controls[i];
        if (cr->status != EV_STATUS_NO_EVIDENCE)
            continue;
        const ev_control *ct = cr->control;
        ev_pdf_table_text(&t, 0, ct->id, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 1, ct->title, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 2, ev_responsibility_name(ct->responsibility), EV_PDF_REGULAR);
        cell_md(c, &t, 3, ct->customer_statement, "not stated");
        for (size_t k = 0; k < ct->n_checks; k++)
            ev_pdf_table_text(&t, 4, ct->checks[k], EV_PDF_REGULAR);
        if (!ct->n_checks) {
            ev_pdf_para *pp = ev_pdf_table_text(&t, 4, "none automated", EV_PDF_OBLIQUE);
            pp->color = MUTED;
        }
        ev_pdf_table_row(&t);
        rows++;
    }
    if (!rows) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
}

static void suppressed_findings(ctx *c, const ev_framework_result *fr)
{
    body(c, "Findings that the source's workflow marked suppressed. They are never counted as "
            "passing: a control whose only findings are suppressed has the status suppressed.");
    float idw = id_column(c, fr, SMALL);
    float w[] = {idw, 68, 60, 44, 60, 70, 80, 50};
    static const char *const h[] = {"Control", "Control status", "Severity", "Result",
                                    "Check",   "Resource",       "Finding",  "Workflow"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, &c->d, w, NULL, h, 8, SMALL);
    size_t rows = 0;
    for (size_t i = 0; i < fr->n_controls; i++) {
        const ev_control_result *cr = &fr->controls[i];
        if (!cr->suppressed)
            continue;
        size_t shown = 0;
        for (size_t j = 0; j < cr->n_listed && shown < c->max_findings; j++) {
            const ev_finding *f = &cr->listed[j];
            if (!f->suppressed)
                continue;
            ev_pdf_table_text(&t, 0, cr->control->id, EV_PDF_REGULAR);
            cell_status(&t, 1, cr->status);
            cell_word(&t, 2, ev_severity_name(f->severity), SEV_INK[f->severity],
                      SEV_TINT[f->severity]);
            ev_pdf_table_text(&t, 3, ev_result_name(f->result), EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 4, f->check, EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 5, f->resource_id, EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 6, f->title, EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 7, f->workflow, EV_PDF_REGULAR);
            ev_pdf_table_row(&t);
            shown++;
            rows++;
        }
    }
    if (!rows) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
}

static void framework(ctx *c, size_t k)
{
    const ev_framework_result *fr = &c->p->frameworks[k];
    const ev_framework *fw = fr->framework;
    ev_pdf_doc *d = &c->d;
    char *lbl = framework_label(fw);
    char *anchor = fmt("fw-%zu", k);
    ev_pdf_heading(d, 1, lbl, anchor);
    char *intro =
        fmt("%s%s%s%s. Mapping edition %s; %zu active findings map to its controls.",
            or_text(fw->title, lbl), fw->publisher ? " (" : "", fw->publisher ? fw->publisher : "",
            fw->publisher ? ")" : "", or_text(fw->edition, "not stated"), fr->mapped_findings);
    body(c, intro);
    free(intro);

    ev_pdf_heading(d, 2, "Control responsibility matrix", NULL);
    matrix_table(c, fr);
    ev_pdf_heading(d, 2, "Controls", NULL);
    controls_table(c, fr);
    ev_pdf_heading(d, 2, "Inherited from AWS", NULL);
    inherited(c, fr);

    char *fa = fmt("fw-%zu-failing", k);
    ev_pdf_heading(d, 2, "Failing controls", fa);
    free(fa);
    status_blocks(c, fr, EV_STATUS_FAILING, "No customer control is failing.");
    ev_pdf_heading(d, 2, "Controls with accepted risk", NULL);
    status_blocks(c, fr, EV_STATUS_ACCEPTED_RISK, "No control rests on an accepted risk.");
    ev_pdf_heading(d, 2, "Controls that need review", NULL);
    status_blocks(c, fr, EV_STATUS_NEEDS_REVIEW, "No control needs review.");

    ev_pdf_heading(d, 2, "Controls with no automated evidence", NULL);
    no_evidence(c, fr);
    ev_pdf_heading(d, 2, "Suppressed findings", NULL);
    suppressed_findings(c, fr);
    free(anchor);
    free(lbl);
}

/* ---- pack-wide sections ---- */

static void unmapped(ctx *c)
{
    const ev_pack *p = c->p;
    ev_pdf_heading_here(&c->d, 1, "Findings that map to no control", "unmapped");
    char *s =
        fmt("%zu active findings map to no control of the frameworks above.", p->findings.unmapped);
    body(c, s);
    free(s);
    static const float w[] = {100, 58, 40, 60, 60, 46, 64, 67};
    static const char *const h[] = {"Finding", "Check",  "Result",   "Severity",
                                    "Account", "Region", "Resource", "Title"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, &c->d, w, NULL, h, 8, SMALL);
    for (size_t i = 0; i < p->n_unmapped_listed; i++) {
        const ev_finding *f = &p->unmapped[i];
        ev_pdf_table_text(&t, 0, f->id, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 1, f->check, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 2, ev_result_name(f->result), EV_PDF_REGULAR);
        if (f->result == EV_RESULT_UNRECOGNISED && f->result_text) {
            char *q = fmt("(\"%s\")", f->result_text);
            ev_pdf_table_text(&t, 2, q, EV_PDF_REGULAR);
            free(q);
        }
        cell_word(&t, 3, ev_severity_name(f->severity), SEV_INK[f->severity],
                  SEV_TINT[f->severity]);
        ev_pdf_table_text(&t, 4, f->account, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 5, f->region, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 6, f->resource_id, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 7, f->title, EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    if (!p->n_unmapped_listed) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
    if (p->n_unmapped_listed < p->findings.unmapped) {
        char *m = fmt("The first %zu are listed here; pack.json counts them all, and the "
                      "Findings sheet of workbook.xlsx lists every finding.",
                      p->n_unmapped_listed);
        text(c, m, EV_PDF_REGULAR, 8, MUTED);
        free(m);
    }
}

static char *ref_text(const ev_control_ref *r)
{
    return r->framework ? fmt("%s:%s", r->framework, or_text(r->control, ""))
                        : ev_xstrdup(or_text(r->control, ""));
}

static void manual_evidence(ctx *c)
{
    const ev_pack *p = c->p;
    ev_pdf_doc *d = &c->d;
    ev_pdf_heading(d, 1, "Manual evidence", "evidence");
    body(c, "Evidence that no scanner produces, as the customer recorded it. An item past its "
            "expiry is stale: it is listed but does not count as evidence.");
    if (!p->n_evidence) {
        body(c, "No manual evidence recorded.");
        return;
    }
    static const float w[] = {40, 50, 30, 40, 54, 48, 48, 70, 117};
    static const char *const h[] = {"Item",      "Controls", "Result",     "State",  "Collected by",
                                    "Collected", "Expires",  "Attachment", "SHA-256"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w, NULL, h, 9, SMALL);
    for (size_t i = 0; i < p->n_evidence; i++) {
        const ev_evidence_result *r = &p->evidence[i];
        const ev_evidence_item *it = r->item;
        ev_pdf_table_text(&t, 0, it->id, EV_PDF_REGULAR);
        for (size_t k = 0; k < it->n_controls; k++) {
            char *ref = ref_text(&it->controls[k]);
            ev_pdf_table_text(&t, 1, ref, EV_PDF_REGULAR);
            free(ref);
        }
        status_style ok = status_of(it->pass ? EV_STATUS_PASSING : EV_STATUS_FAILING);
        cell_word(&t, 2, it->pass ? "pass" : "fail", ok.ink, ok.tint);
        if (r->expired)
            cell_word(&t, 3, "expired", FRESH_INK[EV_FRESH_STALE], FRESH_TINT[EV_FRESH_STALE]);
        else
            ev_pdf_table_text(&t, 3, "current", EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 4, it->collected_by, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 5, it->collected, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 6, it->expires, EV_PDF_REGULAR);
        if (it->file) {
            if (r->attachment) {
                ev_pdf_table_text(&t, 7, r->attachment, EV_PDF_REGULAR);
            } else {
                char *na = fmt("%s (not attached)", it->file);
                ev_pdf_table_text(&t, 7, na, EV_PDF_REGULAR);
                free(na);
            }
            cell_hash(&t, 8, it->sha256, 5.6f);
        }
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
    for (size_t i = 0; i < p->n_evidence; i++) {
        const ev_evidence_result *r = &p->evidence[i];
        ev_pdf_rich rich = {0};
        ev_pdf_rich_para(&rich, BODY);
        app(c, &rich, 0, r->item->id, EV_PDF_BOLD, NULL);
        if (r->unmatched) {
            char *note = fmt(" (%zu control references match no control)", r->unmatched);
            app(c, &rich, 0, note, EV_PDF_REGULAR, NULL);
            free(note);
        }
        if (!ev_pdf_markdown(&rich, c->f, r->item->description, BODY, EV_PDF_ALIGN_LEFT))
            app(c, &rich, 0, ": no description", EV_PDF_REGULAR, NULL);
        ev_pdf_flow(d, &rich);
        ev_pdf_rich_free(&rich);
        ev_pdf_space(d, 6);
    }
}

static void exceptions(ctx *c)
{
    const ev_pack *p = c->p;
    ev_pdf_doc *d = &c->d;
    ev_pdf_heading_here(d, 1, "Exceptions", "exceptions");
    body(c, "Risk acceptances. An exception in force turns the failing findings it covers into "
            "accepted risk until it expires; an expired one no longer applies and its findings "
            "count as failing.");
    if (!p->n_exceptions) {
        body(c, "No exceptions recorded.");
        return;
    }
    static const float w[] = {40, 84, 52, 40, 50, 50, 48, 48, 83};
    static const int a[] = {EV_PDF_ALIGN_LEFT,  EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_LEFT,
                            EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_LEFT,
                            EV_PDF_ALIGN_LEFT,  EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_LEFT};
    static const char *const h[] = {"Exception",         "Covers",  "State",
                                    "Findings accepted", "Owner",   "Approver",
                                    "Approved",          "Expires", "Justification"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w, a, h, 9, SMALL);
    for (size_t i = 0; i < p->n_exceptions; i++) {
        const ev_exception_result *r = &p->exceptions[i];
        const ev_exception *e = r->exception;
        ev_pdf_table_text(&t, 0, e->id, EV_PDF_REGULAR);
        if (e->control) {
            char *ref = ref_text(e->control);
            char *v = fmt("control %s", ref);
            ev_pdf_table_text(&t, 1, v, EV_PDF_REGULAR);
            free(v);
            free(ref);
        }
        static const char *const kinds[] = {"check", "finding", "resource"};
        const char *vals[] = {e->check, e->finding, e->resource};
        for (size_t k = 0; k < 3; k++)
            if (vals[k]) {
                char *v = fmt("%s %s", kinds[k], vals[k]);
                ev_pdf_table_text(&t, 1, v, EV_PDF_REGULAR);
                free(v);
            }
        status_style st = status_of(r->state == EV_EXCEPTION_IN_FORCE  ? EV_STATUS_ACCEPTED_RISK
                                    : r->state == EV_EXCEPTION_EXPIRED ? EV_STATUS_FAILING
                                                                       : EV_STATUS_SUPPRESSED);
        cell_word(&t, 2, ev_exception_state_name(r->state), st.ink, st.tint);
        cell_num(&t, 3, r->findings);
        ev_pdf_table_text(&t, 4, e->owner, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 5, e->approver, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 6, e->approved, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 7, e->expires, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 8, e->justification, EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
}

/* The Artifact reports cited by the evaluated controls, in catalogue order, with the
 * edition held: the same selection as the "artifacts" member of pack.json. */
static void artifact_rows(ctx *c, ev_pdf_table *t)
{
    const ev_pack *p = c->p;
    size_t rows = 0;
    for (size_t i = 0; p->artifacts && i < p->artifacts->n_reports; i++) {
        const ev_report *r = &p->artifacts->reports[i];
        const ev_citation_result *seen = NULL;
        for (size_t k = 0; k < p->n_frameworks; k++)
            for (size_t j = 0; j < p->frameworks[k].n_controls; j++) {
                const ev_control_result *cr = &p->frameworks[k].controls[j];
                for (size_t q = 0; q < cr->n_citations; q++)
                    if (cr->citations[q].report == r)
                        seen = &cr->citations[q];
            }
        if (!seen)
            continue;
        const ev_edition *e = seen->edition;
        ev_pdf_table_text(t, 0, r->title, EV_PDF_REGULAR);
        ev_pdf_table_text(t, 1, r->attests, EV_PDF_REGULAR);
        ev_pdf_table_text(t, 2, r->cadence, EV_PDF_REGULAR);
        if (e && (e->period_start || e->period_end)) {
            char *per = fmt("%s to %s", or_text(e->period_start, ""), or_text(e->period_end, ""));
            ev_pdf_table_text(t, 3, per, EV_PDF_REGULAR);
            free(per);
        }
        if (e) {
            ev_pdf_table_text(t, 4, e->retrieved, EV_PDF_REGULAR);
            cell_hash(t, 5, e->sha256, 5.6f);
        }
        cell_word(t, 6, ev_freshness_name(seen->freshness), FRESH_INK[seen->freshness],
                  FRESH_TINT[seen->freshness]);
        ev_pdf_table_row(t);
        rows++;
    }
    if (!rows) {
        ev_pdf_table_text(t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(t);
    }
}

static void sources(ctx *c)
{
    const ev_pack *p = c->p;
    ev_pdf_doc *d = &c->d;
    ev_pdf_heading(d, 1, "Sources", "sources");
    ev_pdf_rich r = {0};
    ev_pdf_rich_para(&r, BODY);
    app(c, &r, 0, "Inputs digest: ", EV_PDF_BOLD, NULL);
    app(c, &r, 0, p->inputs_digest[0] ? p->inputs_digest : "not recorded", EV_PDF_MONO, NULL);
    flow_rich(c, &r);

    static const float w[] = {112, 38, 44, 52, 249};
    static const int a[] = {EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_RIGHT,
                            EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_LEFT};
    static const char *const h[] = {"Findings file", "Format", "Records", "Bytes", "SHA-256"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w, a, h, 5, CELL);
    for (size_t i = 0; i < p->n_sources; i++) {
        const ev_source *s = &p->sources[i];
        ev_pdf_table_text(&t, 0, s->path, EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 1, s->format, EV_PDF_REGULAR);
        cell_num(&t, 2, s->records);
        char num[32];
        snprintf(num, sizeof num, "%llu", s->bytes);
        ev_pdf_table_text(&t, 3, num, EV_PDF_REGULAR);
        cell_hash(&t, 4, s->sha256, 6);
        ev_pdf_table_row(&t);
    }
    if (!p->n_sources) {
        ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);

    static const float w2[] = {64, 96, 64, 60, 48, 119, 48};
    static const char *const h2[] = {
        "AWS Artifact report",     "Attests",  "Cadence", "Edition period", "Retrieved",
        "SHA-256 of the PDF held", "Freshness"};
    ev_pdf_table_begin(&t, d, w2, NULL, h2, 7, SMALL);
    artifact_rows(c, &t);
    ev_pdf_table_end(&t);
}

/* ---- the change-ticket profile: a short pack about what a change touches ---- */

/* The failing findings of a ticket, each once with the controls it fails, in one compact
 * table: a ticket must fit on two pages, so at most TICKET_FINDINGS rows, and the rest are
 * counted and left to pack.json. */
#define TICKET_FINDINGS 12

static void ticket_failures(ctx *c, const ev_framework_result *fr)
{
    const ev_finding *rows[TICKET_FINDINGS];
    size_t n = 0, more = 0;
    for (size_t i = 0; i < fr->n_controls; i++) {
        const ev_control_result *cr = &fr->controls[i];
        more += cr->not_listed;
        for (size_t j = 0; j < cr->n_listed; j++) {
            const ev_finding *f = &cr->listed[j];
            if (f->result != EV_RESULT_FAILED || f->suppressed || f->accepted_by)
                continue;
            bool seen = false;
            for (size_t k = 0; k < n && !seen; k++)
                seen = strcmp(rows[k]->id, f->id) == 0;
            if (seen)
                continue;
            if (n < TICKET_FINDINGS)
                rows[n++] = f;
            else
                more++;
        }
    }
    if (!n)
        return;
    ev_pdf_doc *d = &c->d;
    ev_pdf_heading_here(d, 2, "Failing findings", NULL);
    float wt[] = {44, 0, 0, 96};
    float rest = text_width(c) - 44 - 96;
    wt[1] = rest * 0.45f;
    wt[2] = rest * 0.55f;
    static const int at[] = {EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_LEFT,
                             EV_PDF_ALIGN_LEFT};
    static const char *const ht[] = {"Severity", "Resource", "Finding", "Controls"};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, wt, at, ht, 4, SMALL);
    for (size_t k = 0; k < n; k++) {
        const ev_finding *f = rows[k];
        ev_pdf_table_text(&t, 0, ev_severity_name(f->severity), EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 1, or_text(f->resource_id, ""), EV_PDF_REGULAR);
        ev_pdf_table_text(&t, 2, or_text(f->title, ""), EV_PDF_REGULAR);
        ev_buf ids = EV_BUF_INIT;
        for (size_t i = 0; i < fr->n_controls; i++)
            for (size_t j = 0; j < fr->controls[i].n_listed; j++)
                if (strcmp(fr->controls[i].listed[j].id, f->id) == 0) {
                    ev_buf_printf(&ids, "%s%s", ids.len ? " " : "", fr->controls[i].control->id);
                    break;
                }
        ev_pdf_table_text(&t, 3, ev_buf_cstr(&ids), EV_PDF_REGULAR);
        ev_buf_free(&ids);
        ev_pdf_table_row(&t);
    }
    ev_pdf_table_end(&t);
    if (more) {
        char *m = fmt("%zu more findings under these controls are counted in pack.json.", more);
        body(c, m);
        free(m);
    }
}

static void ticket_pack(ctx *c)
{
    const ev_pack *p = c->p;
    const ev_scope *s = p->scope;
    ev_pdf_doc *d = &c->d;
    char *title =
        s && s->organisation
            ? fmt("Change %s: compliance evidence for %s", or_text(p->ticket, ""), s->organisation)
            : fmt("Change %s: compliance evidence", or_text(p->ticket, ""));
    ev_pdf_heading(d, 1, title, "ticket");
    free(title);
    if (s && s->classification && *s->classification) {
        char *cl = fmt("Classification: %s", s->classification);
        text(c, cl, EV_PDF_BOLD, 10, WARN);
        free(cl);
    }
    static const float w[] = {1, 3};
    static const char *const head[] = {"Ticket", ""};
    ev_pdf_table t;
    ev_pdf_table_begin(&t, d, w, NULL, head, 2, 8.5f);
    kv_row(&t, "Ticket", or_text(p->ticket, ""), EV_PDF_REGULAR);
    kv_row(&t, "As of", p->as_of, EV_PDF_REGULAR);
    char *v = joined(p->select_services, p->n_select_services, "any");
    kv_row(&t, "Services", v, EV_PDF_REGULAR);
    free(v);
    v = joined(p->select_resources, p->n_select_resources, "any");
    kv_row(&t, "Resources", v, EV_PDF_REGULAR);
    free(v);
    v = joined(p->select_controls, p->n_select_controls, "those the selected findings map to");
    kv_row(&t, "Controls", v, EV_PDF_REGULAR);
    free(v);
    v = fmt("%zu active, of which %zu outside this change (not counted)", p->findings.active,
            p->findings.excluded);
    kv_row(&t, "Findings considered", v, EV_PDF_REGULAR);
    free(v);
    kv_row(&t, "Inputs digest", p->inputs_digest[0] ? p->inputs_digest : "not recorded",
           EV_PDF_MONO);
    v = fmt("evpack %s", or_text(p->tool_version, ""));
    kv_row(&t, "Produced by", v, EV_PDF_REGULAR);
    free(v);
    ev_pdf_table_end(&t);
    body(c, "manifest.json beside this file holds the SHA-256 of every input and output; check "
            "the attachment later with evpack verify or sha256sum -c SHA256SUMS.");
    for (size_t k = 0; k < p->n_frameworks; k++) {
        const ev_framework_result *fr = &p->frameworks[k];
        char *lbl = framework_label(fr->framework);
        char *anchor = fmt("fw-%zu", k);
        ev_pdf_heading_here(d, 1, lbl, anchor);
        free(lbl);
        free(anchor);
        float idw = id_column(c, fr, SMALL);
        float wt[] = {idw, 0, 52, 60, 30, 30, 36, 92};
        wt[1] = text_width(c) - idw - 52 - 60 - 30 - 30 - 36 - 92;
        static const int at[] = {EV_PDF_ALIGN_LEFT,  EV_PDF_ALIGN_LEFT,  EV_PDF_ALIGN_LEFT,
                                 EV_PDF_ALIGN_LEFT,  EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_RIGHT,
                                 EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_LEFT};
        static const char *const ht[] = {
            "Control", "Title",  "Responsibility", "Status",
            "Passed",  "Failed", "Accepted",       "AWS reports cited"};
        ev_pdf_table_begin(&t, d, wt, at, ht, 8, SMALL);
        for (size_t i = 0; i < fr->n_controls; i++) {
            const ev_control_result *cr = &fr->controls[i];
            ev_pdf_table_text(&t, 0, cr->control->id, EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 1, cr->control->title, EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 2, ev_responsibility_name(cr->control->responsibility),
                              EV_PDF_REGULAR);
            cell_status(&t, 3, cr->status);
            cell_num(&t, 4, cr->passed);
            cell_num(&t, 5, cr->failed);
            cell_num(&t, 6, cr->accepted);
            /* report ids keep a ticket short; freshness only when it is not current */
            ev_buf cited = EV_BUF_INIT;
            for (size_t j = 0; j < cr->n_citations; j++) {
                const ev_citation_result *cit = &cr->citations[j];
                ev_buf_printf(&cited, "%s%s", j ? ", " : "", cit->citation->report);
                if (cit->freshness != EV_FRESH_CURRENT)
                    ev_buf_printf(&cited, " (%s)", ev_freshness_name(cit->freshness));
            }
            ev_pdf_table_text(&t, 7, ev_buf_cstr(&cited), EV_PDF_REGULAR);
            ev_buf_free(&cited);
            ev_pdf_table_row(&t);
        }
        if (!fr->n_controls) {
            ev_pdf_table_text(&t, 0, "none", EV_PDF_REGULAR);
            ev_pdf_table_text(&t, 1, "no control of this framework is touched by the selection",
                              EV_PDF_REGULAR);
            ev_pdf_table_row(&t);
        }
        ev_pdf_table_end(&t);
        ticket_failures(c, fr);
    }
}

/* ---- document ---- */

/* "#RRGGBB" */
static bool parse_colour(const char *s, ev_pdf_rgb *out)
{
    unsigned v = 0;
    if (!s || strlen(s) != 7 || s[0] != '#')
        return false;
    for (int i = 1; i < 7; i++) {
        char ch = s[i];
        unsigned x = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                     : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                     : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
                                              : 16;
        if (x > 15)
            return false;
        v = v << 4 | x;
    }
    *out =
        (ev_pdf_rgb){(float)(v >> 16) / 255, (float)(v >> 8 & 0xFF) / 255, (float)(v & 0xFF) / 255};
    return true;
}

static HPDF_Date as_of_date(const ev_pack *p)
{
    HPDF_Date dt;
    memset(&dt, 0, sizeof dt);
    int y = 1970, m = 1, dd = 1;
    if (sscanf(p->as_of, "%4d-%2d-%2d", &y, &m, &dd) != 3) {
        y = 1970;
        m = dd = 1;
    }
    dt.year = y;
    dt.month = m;
    dt.day = dd;
    dt.ind = 'Z';
    return dt;
}

/* Document information strings go through the same clean-up as drawn text. */
static void info(ctx *c, HPDF_InfoType type, const char *s)
{
    ev_pdf_chars ch = {0};
    ev_pdf_fonts_append(c->f, &ch, s, strlen(s), EV_PDF_REGULAR, 0);
    ev_buf b = EV_BUF_INIT;
    ev_pdf_chars_utf8(ch.v, ch.n < 2000 ? ch.n : 2000, &b); /* libharu: strings < 64 KB */
    HPDF_SetInfoAttr(c->d.pdf, type, ev_buf_cstr(&b));
    ev_buf_free(&b);
    ev_pdf_chars_free(&ch);
}

static void doc_info(ctx *c)
{
    const ev_pack *p = c->p;
    const ev_scope *s = p->scope;
    HPDF_Date dt = as_of_date(p);
    HPDF_SetInfoDateAttr(c->d.pdf, HPDF_INFO_CREATION_DATE, dt);
    HPDF_SetInfoDateAttr(c->d.pdf, HPDF_INFO_MOD_DATE, dt);
    info(c, HPDF_INFO_TITLE, or_text(s ? s->title : NULL, "Evidence pack"));
    const ev_branding *brand = s ? s->branding : NULL;
    info(c, HPDF_INFO_AUTHOR,
         or_text(brand ? brand->author : NULL, or_text(s ? s->organisation : NULL, "not stated")));
    ev_buf b = EV_BUF_INIT;
    ev_buf_puts(&b, "Audit evidence pack");
    for (size_t k = 0; k < p->n_frameworks; k++) {
        char *lbl = framework_label(p->frameworks[k].framework);
        ev_buf_puts(&b, k ? ", " : ": ");
        ev_buf_puts(&b, lbl);
        free(lbl);
    }
    ev_buf_printf(&b, "; as of %s", p->as_of);
    info(c, HPDF_INFO_SUBJECT, ev_buf_cstr(&b));
    ev_buf_clear(&b);
    ev_buf_printf(&b, "evpack %s", or_text(p->tool_version, ""));
    info(c, HPDF_INFO_CREATOR, ev_buf_cstr(&b));
    ev_buf_free(&b);
}

static ev_status save(HPDF_Doc pdf, hpdf_failure *hf, const char *path, ev_error *err)
{
    if (HPDF_SaveToStream(pdf) != HPDF_OK || hf->code)
        return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0,
                            "cannot typeset the PDF (libharu error 0x%04X, detail %u)",
                            (unsigned)hf->code, (unsigned)hf->detail);
    ev_buf b = EV_BUF_INIT;
    HPDF_ResetStream(pdf);
    for (;;) {
        HPDF_BYTE chunk[65536];
        HPDF_UINT32 n = sizeof chunk;
        HPDF_STATUS st = HPDF_ReadFromStream(pdf, chunk, &n);
        if (n)
            ev_buf_put(&b, chunk, n);
        if (st == HPDF_STREAM_EOF)
            break;
        if (st != HPDF_OK) {
            ev_buf_free(&b);
            return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0,
                                "cannot read the PDF back from libharu (error 0x%04X)",
                                (unsigned)st);
        }
    }
    HPDF_ResetError(pdf);
    ev_status rc = ev_write_file(path, b.data ? b.data : "", b.len, err);
    ev_buf_free(&b);
    return rc;
}

ev_status ev_render_pdf(const ev_pack *p, const ev_pdf_options *opt, const char *path,
                        ev_error *err)
{
    hpdf_failure hf = {0, 0};
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, &hf);
    if (!pdf)
        return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "libharu cannot start a document");
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);
    ev_pdf_fonts *fonts = NULL;
    ev_status rc = ev_pdf_fonts_open(pdf, opt ? opt->font_dir : NULL,
                                     opt ? opt->cjk_font_path : NULL, &fonts, err);
    if (rc != EV_OK) {
        HPDF_Free(pdf);
        return rc;
    }
    ctx c;
    memset(&c, 0, sizeof c);
    c.f = fonts;
    c.p = p;
    c.hf = &hf;
    c.max_findings =
        opt && opt->max_findings_per_control ? opt->max_findings_per_control : DEFAULT_MAX_FINDINGS;
    ev_pdf_doc_init(&c.d, pdf, fonts);
    doc_info(&c);

    const ev_branding *brand = p->scope ? p->scope->branding : NULL;
    ev_pdf_rgb accent;
    if (brand && parse_colour(brand->accent_colour, &accent))
        c.d.accent = accent;
    if (p->profile && strcmp(p->profile, "ticket") == 0) {
        ticket_pack(&c);
    } else {
        cover(&c);
        ev_pdf_toc_here(&c.d, "Contents");
        if (!hf.code)
            summary(&c);
        if (!hf.code)
            services(&c);
        for (size_t k = 0; k < p->n_frameworks && !hf.code; k++)
            framework(&c, k);
        if (!hf.code) {
            manual_evidence(&c);
            exceptions(&c);
            unmapped(&c);
            sources(&c);
        }
    }

    const ev_scope *s = p->scope;
    char *foot = s && s->classification && *s->classification
                     ? fmt("%s \xC2\xB7 evpack %s \xC2\xB7 as of %s", s->classification,
                           or_text(p->tool_version, ""), p->as_of)
                     : fmt("evpack %s \xC2\xB7 as of %s", or_text(p->tool_version, ""), p->as_of);
    ev_pdf_running run = {or_text(s ? s->title : NULL, "Evidence pack"),
                          or_text(s ? s->organisation : NULL, ""), foot, "Contents"};
    if (!hf.code)
        ev_pdf_finish(&c.d, &run);
    free(foot);

    rc = ev_pdf_fonts_status(fonts, err);
    if (rc == EV_OK)
        rc = save(pdf, &hf, path, err);
    ev_pdf_doc_clear(&c.d);
    ev_pdf_fonts_free(fonts);
    HPDF_Free(pdf);
    return rc;
}
