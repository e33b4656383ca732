/* md.c: the report.md renderer. Renders templates/report.md.mustache against the same
 * tree as pack.json, plus a few selections (failing controls, inherited controls ...)
 * made here so that templates stay free of logic. Every {{value}} goes through
 * ev_md_escape, so finding text stays literal in GitHub-flavoured Markdown. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "render/template.h"
#include "util/buf.h"
#include "util/utf8.h"

void ev_md_escape(ev_buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            ev_buf_putc(out, ' '); /* a newline would end the table row */
            i++;
        } else if (c < 0x80) {
            if ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
                (c >= '{' && c <= '~'))
                ev_buf_putc(out, '\\');
            ev_buf_putc(out, (char)c);
            i++;
        } else {
            unsigned cp = 0;
            size_t n = ev_utf8_decode(s + i, len - i, &cp);
            if (n == 0) {
                ev_buf_puts(out, "\xEF\xBF\xBD");
                i++;
                continue;
            }
            /* C1 controls, bidi embeddings/overrides/isolates: visible replacement */
            if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
                (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029)
                ev_buf_puts(out, "\xEF\xBF\xBD");
            else
                ev_buf_put(out, s + i, n);
            i += n;
        }
    }
}

/* A link destination for http(s) URLs only, in <...> form with the characters that could
 * end it percent-encoded; NULL for anything else (javascript:, data: ...). */
static char *safe_link(const char *url)
{
    if (!url || !(strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0))
        return NULL;
    ev_buf b = EV_BUF_INIT;
    ev_buf_putc(&b, '<');
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == '<' || *p == '>' || *p == '\\' || *p == '"' || *p == '\'' ||
            *p == '`' || *p == '|' || *p == 0x7f)
            ev_buf_printf(&b, "%%%02X", *p);
        else
            ev_buf_putc(&b, (char)*p);
    }
    ev_buf_putc(&b, '>');
    return ev_buf_detach(&b);
}

/* Per-finding view fields: a safe link, the source's own status word when unrecognised,
 * and the control the finding is listed under (control_id, NULL for unmapped). */
static void add_links(cJSON *findings, const char *control_id)
{
    cJSON *f;
    cJSON_ArrayForEach(f, findings)
    {
        if (control_id)
            cJSON_AddStringToObject(f, "control_id", control_id);
        /* the source's own word matters only when evpack did not recognise it */
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(f, "result");
        const cJSON *rt = cJSON_GetObjectItemCaseSensitive(f, "result_text");
        if (cJSON_IsString(r) && strcmp(r->valuestring, "unrecognised") == 0 && cJSON_IsString(rt))
            cJSON_AddStringToObject(f, "unrecognised_text", rt->valuestring);
        const cJSON *u = cJSON_GetObjectItemCaseSensitive(f, "remediation_url");
        char *link = cJSON_IsString(u) ? safe_link(u->valuestring) : NULL;
        if (link) {
            cJSON_AddStringToObject(f, "remediation_link", link);
            free(link);
        }
    }
}

static bool status_is(const cJSON *c, const char *status)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(c, "status");
    return cJSON_IsString(s) && strcmp(s->valuestring, status) == 0;
}

/* The service matrix turned on its side for reading: one row per responsibility domain,
 * one column per service in scope (services_view.header / rows[].cells), plus the services
 * the findings reveal outside the scope (services_view.outside). */
static void add_services_view(cJSON *root)
{
    const cJSON *sv = cJSON_GetObjectItemCaseSensitive(root, "services");
    if (!cJSON_IsObject(sv))
        return;
    const cJSON *matrix = cJSON_GetObjectItemCaseSensitive(sv, "matrix");
    const cJSON *domains = cJSON_GetObjectItemCaseSensitive(sv, "domains");
    cJSON *view = cJSON_CreateObject();
    const cJSON *scope = cJSON_GetObjectItemCaseSensitive(sv, "scope");
    cJSON_AddBoolToObject(view, "automatic",
                          cJSON_IsString(scope) && strcmp(scope->valuestring, "auto") == 0);
    /* evpack matrix prints the catalogue alone: no scope, no findings */
    cJSON_AddBoolToObject(view, "in_pack",
                          !(cJSON_IsString(scope) && strcmp(scope->valuestring, "selected") == 0));
    cJSON *header = cJSON_AddArrayToObject(view, "header");
    cJSON *models = cJSON_AddArrayToObject(view, "models");
    cJSON *counts = cJSON_AddArrayToObject(view, "findings");
    cJSON *outside = cJSON_AddArrayToObject(view, "outside");
    const cJSON *row;
    cJSON_ArrayForEach(row, matrix)
    {
        if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "in_scope"))) {
            cJSON_AddItemReferenceToArray(outside, (cJSON *)row);
            continue;
        }
        cJSON_AddItemToArray(header,
                             cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(row, "id"), 0));
        cJSON_AddItemToArray(models,
                             cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(row, "model"), 0));
        cJSON_AddItemToArray(counts,
                             cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(row, "findings"), 0));
    }
    cJSON *rows = cJSON_AddArrayToObject(view, "rows");
    const cJSON *d;
    cJSON_ArrayForEach(d, domains)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(d, "id");
        cJSON *r = cJSON_CreateObject();
        cJSON_AddItemToObject(r, "title",
                              cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(d, "title"), 0));
        cJSON *cells = cJSON_AddArrayToObject(r, "cells");
        cJSON_ArrayForEach(row, matrix)
        {
            if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(row, "in_scope")))
                continue;
            const cJSON *resp = cJSON_GetObjectItemCaseSensitive(row, "responsibility");
            cJSON_AddItemToArray(
                cells, cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(resp, id->valuestring), 0));
        }
        cJSON_AddItemToArray(rows, r);
    }
    cJSON_AddItemToObject(root, "services_view", view);
}

/* Adds view-only selections to each framework. References keep one copy of each node. */
static void add_view(cJSON *root)
{
    cJSON *fw;
    cJSON *fws = cJSON_GetObjectItemCaseSensitive(root, "frameworks");
    cJSON_ArrayForEach(fw, fws)
    {
        cJSON *controls = cJSON_GetObjectItemCaseSensitive(fw, "controls");
        cJSON *failing = cJSON_CreateArray(), *review = cJSON_CreateArray();
        cJSON *noev = cJSON_CreateArray(), *inherited = cJSON_CreateArray();
        cJSON *suppressed = cJSON_CreateArray(), *accepted = cJSON_CreateArray();
        cJSON *c;
        cJSON_ArrayForEach(c, controls)
        {
            const cJSON *cid = cJSON_GetObjectItemCaseSensitive(c, "id");
            add_links(cJSON_GetObjectItemCaseSensitive(c, "findings"),
                      cJSON_IsString(cid) ? cid->valuestring : NULL);
            const cJSON *sup = cJSON_GetObjectItemCaseSensitive(c, "suppressed");
            if (status_is(c, "failing"))
                cJSON_AddItemReferenceToArray(failing, c);
            if (status_is(c, "needs-review"))
                cJSON_AddItemReferenceToArray(review, c);
            if (status_is(c, "accepted-risk"))
                cJSON_AddItemReferenceToArray(accepted, c);
            if (status_is(c, "no-evidence"))
                cJSON_AddItemReferenceToArray(noev, c);
            if (cJSON_IsNumber(sup) && sup->valuedouble > 0)
                cJSON_AddItemReferenceToArray(suppressed, c);
            if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(c, "aws")))
                cJSON_AddItemReferenceToArray(inherited, c);
        }
        cJSON_AddItemToObject(fw, "failing_controls", failing);
        cJSON_AddItemToObject(fw, "review_controls", review);
        cJSON_AddItemToObject(fw, "accepted_controls", accepted);
        cJSON_AddItemToObject(fw, "no_evidence_controls", noev);
        cJSON_AddItemToObject(fw, "suppressed_controls", suppressed);
        cJSON_AddItemToObject(fw, "inherited_controls", inherited);
    }
    cJSON *fo = cJSON_GetObjectItemCaseSensitive(root, "findings");
    add_links(cJSON_GetObjectItemCaseSensitive(fo, "unmapped_listed"), NULL);
    /* results other than passed and failed, per source, as one column */
    cJSON *src;
    cJSON_ArrayForEach(src, cJSON_GetObjectItemCaseSensitive(fo, "by_source"))
    {
        const cJSON *active = cJSON_GetObjectItemCaseSensitive(src, "active");
        const cJSON *br = cJSON_GetObjectItemCaseSensitive(src, "by_result");
        const cJSON *pa = cJSON_GetObjectItemCaseSensitive(br, "passed");
        const cJSON *fa = cJSON_GetObjectItemCaseSensitive(br, "failed");
        if (cJSON_IsNumber(active) && cJSON_IsNumber(pa) && cJSON_IsNumber(fa))
            cJSON_AddNumberToObject(src, "other",
                                    active->valuedouble - pa->valuedouble - fa->valuedouble);
    }
    add_services_view(root);
}

typedef struct {
    const char *const *dirs;
    size_t n_dirs;
} partial_ctx;

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    ev_buf b = EV_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(&b, chunk, n);
    fclose(fp);
    return ev_buf_detach(&b);
}

/* Reads file name from the first of dirs that has it (a user's folder, then the bundled
 * one), so a partial set of custom templates falls back to the bundled rest. */
static char *read_template(const char *const *dirs, size_t n_dirs, const char *name,
                           char **source_name)
{
    for (size_t i = 0; i < n_dirs; i++) {
        ev_buf path = EV_BUF_INIT;
        ev_buf_printf(&path, "%s/%s", dirs[i], name);
        char *text = read_text(path.data);
        if (text) {
            if (source_name)
                *source_name = ev_buf_detach(&path);
            ev_buf_free(&path);
            return text;
        }
        ev_buf_free(&path);
    }
    return NULL;
}

static char *load_partial(const char *name, void *vctx, char **source_name)
{
    partial_ctx *ctx = vctx;
    /* partial names come from templates, never from findings; still refuse paths */
    if (strchr(name, '/') || name[0] == '.')
        return NULL;
    ev_buf file = EV_BUF_INIT;
    ev_buf_printf(&file, "%s.mustache", name);
    char *text = read_template(ctx->dirs, ctx->n_dirs, file.data, source_name);
    ev_buf_free(&file);
    return text;
}

/* Renders template name (from the first of dirs that has it) against root, which it frees. */
static ev_status render_root(const char *name, cJSON *root, const char *const *dirs, size_t n_dirs,
                             ev_buf *out, ev_error *err)
{
    char *tname = NULL;
    char *tpl = read_template(dirs, n_dirs, name, &tname);
    if (!tpl) {
        cJSON_Delete(root);
        return ev_error_set(err, EV_ERR_IO, n_dirs ? dirs[0] : NULL, 0, 0,
                            "cannot read template %s: %s", name, strerror(errno));
    }
    partial_ctx pc = {dirs, n_dirs};
    ev_template_options opt = {.escape = ev_md_escape, .partial = load_partial, .partial_ctx = &pc};
    ev_status rc = ev_template_render(tpl, tname, root, &opt, out, err);
    cJSON_Delete(root);
    free(tpl);
    free(tname);
    return rc;
}

ev_status ev_render_md(const ev_pack *p, const char *const *template_dirs, size_t n_dirs,
                       const char *path, ev_error *err)
{
    /* a change ticket gets its own short layout */
    const char *main_tpl = p->profile && strcmp(p->profile, "ticket") == 0 ? "ticket.md.mustache"
                                                                           : "report.md.mustache";
    cJSON *root = ev_pack_to_json(p);
    add_view(root);
    ev_buf out = EV_BUF_INIT;
    ev_status rc = render_root(main_tpl, root, template_dirs, n_dirs, &out, err);
    if (rc == EV_OK)
        rc = ev_write_file(path, ev_buf_cstr(&out), out.len, err);
    ev_buf_free(&out);
    return rc;
}

ev_status ev_render_matrix_md(const cJSON *services, const char *const *template_dirs,
                              size_t n_dirs, ev_buf *out, ev_error *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "services", cJSON_Duplicate(services, 1));
    add_services_view(root);
    return render_root("matrix.md.mustache", root, template_dirs, n_dirs, out, err);
}

ev_status ev_render_diff_md(const cJSON *comparison, const char *const *template_dirs,
                            size_t n_dirs, ev_buf *out, ev_error *err)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "comparison", cJSON_Duplicate(comparison, 1));
    return render_root("diff.md.mustache", root, template_dirs, n_dirs, out, err);
}
