/* scope.c: loads the scope file (schema evpack/scope@1): who and what the pack is about,
 * and which Artifact report editions the user holds (period, retrieval date, SHA-256). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/fields.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/sha256.h"
#include "util/utf8.h"

void ev_scope_free(ev_scope *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->organisation);
    free(s->title);
    free(s->classification);
    free(s->period_start);
    free(s->period_end);
    ev_strv_free(s->accounts, s->n_accounts);
    ev_strv_free(s->regions, s->n_regions);
    ev_strv_free(s->services, s->n_services);
    ev_strv_free(s->frameworks, s->n_frameworks);
    for (size_t i = 0; i < s->n_editions; i++) {
        ev_edition *e = &s->editions[i];
        free(e->report);
        free(e->period_start);
        free(e->period_end);
        free(e->retrieved);
        free(e->sha256);
        free(e->file);
    }
    free(s->editions);
    if (s->branding) {
        ev_branding *b = s->branding;
        free(b->client);
        free(b->consultancy);
        free(b->author);
        free(b->accent_colour);
        free(b->logo);
        free(b->logo_path);
        free(b->preamble);
        free(b->preamble_path);
        free(b);
    }
    free(s);
}

/* base/rel, or rel when base is "." */
static char *beside(const char *scope_path, const char *rel)
{
    const char *slash = strrchr(scope_path, '/');
    if (!slash)
        return ev_xstrdup(rel);
    ev_buf b = EV_BUF_INIT;
    ev_buf_put(&b, scope_path, (size_t)(slash - scope_path) + 1);
    ev_buf_puts(&b, rel);
    return ev_buf_detach(&b);
}

static ev_status load_branding(ev_fields *w, const cJSON *o, const char *scope_path, ev_branding *b)
{
    static const char *const known[] = {"client", "consultancy", "author",        "accent_colour",
                                        "logo",   "preamble",    "preamble_file", NULL};
    ev_status s;
    char *pfile = NULL;
    if ((s = ev_fields_known(w, o, known)) != EV_OK ||
        (s = ev_fields_str(w, o, "client", false, &b->client)) != EV_OK ||
        (s = ev_fields_str(w, o, "consultancy", false, &b->consultancy)) != EV_OK ||
        (s = ev_fields_str(w, o, "author", false, &b->author)) != EV_OK ||
        (s = ev_fields_str(w, o, "accent_colour", false, &b->accent_colour)) != EV_OK ||
        (s = ev_fields_str(w, o, "logo", false, &b->logo)) != EV_OK ||
        (s = ev_fields_str(w, o, "preamble", false, &b->preamble)) != EV_OK ||
        (s = ev_fields_str(w, o, "preamble_file", false, &pfile)) != EV_OK)
        goto out;
    if (b->accent_colour) {
        bool ok = strlen(b->accent_colour) == 7 && b->accent_colour[0] == '#';
        for (int i = 1; ok && i < 7; i++)
            ok = isxdigit((unsigned char)b->accent_colour[i]);
        if (!ok) {
            s = ev_fields_fail(w, "accent_colour", "\"accent_colour\": expected \"#RRGGBB\"");
            goto out;
        }
    }
    if (b->preamble && pfile) {
        s = ev_fields_fail(w, "preamble_file", "give \"preamble\" or \"preamble_file\", not both");
        goto out;
    }
    if (pfile) {
        char *path = beside(scope_path, pfile);
        FILE *fp = fopen(path, "rb");
        if (!fp) {
            s = ev_fields_fail(w, "preamble_file", "\"preamble_file\": cannot open %s", pfile);
            free(path);
            goto out;
        }
        b->preamble_path = ev_xstrdup(path);
        ev_buf text = EV_BUF_INIT;
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && text.len < (1u << 20))
            ev_buf_put(&text, chunk, n);
        fclose(fp);
        free(path);
        if (!ev_utf8_valid(text.data ? text.data : "", text.len, NULL) ||
            memchr(text.data ? text.data : "", '\0', text.len)) {
            ev_buf_free(&text);
            s = ev_fields_fail(w, "preamble_file", "\"preamble_file\": expected UTF-8 text");
            goto out;
        }
        b->preamble = ev_buf_detach(&text);
    }
    if (b->logo) {
        b->logo_path = beside(scope_path, b->logo);
        unsigned char sig[8] = {0};
        FILE *fp = fopen(b->logo_path, "rb");
        size_t got = fp ? fread(sig, 1, sizeof sig, fp) : 0;
        if (fp)
            fclose(fp);
        if (!fp || got != 8 || memcmp(sig, "\x89PNG\r\n\x1a\n", 8) != 0) {
            s = ev_fields_fail(w, "logo", "\"logo\": expected a PNG file, %s %s",
                               fp ? "not a PNG:" : "cannot open", b->logo);
            goto out;
        }
        ev_error herr;
        if (ev_sha256_file(b->logo_path, b->logo_sha256, NULL, &herr) != EV_OK) {
            s = ev_fields_fail(w, "logo", "\"logo\": %s", herr.msg);
            goto out;
        }
    }
out:
    free(pfile);
    return s;
}

/* A {"start","end"} object with real dates, start not after end. */
static ev_status load_period(ev_fields *w, const cJSON *o, const char *key, bool required,
                             char **start, char **end)
{
    static const char *const known[] = {"start", "end", NULL};
    const cJSON *p;
    ev_status s = ev_fields_obj(w, o, key, required, &p);
    if (s != EV_OK || !p)
        return s;
    ev_fields_push_key(w, key);
    if ((s = ev_fields_known(w, p, known)) == EV_OK &&
        (s = ev_fields_date(w, p, "start", true, start)) == EV_OK &&
        (s = ev_fields_date(w, p, "end", true, end)) == EV_OK && strcmp(*start, *end) > 0)
        s = ev_fields_fail(w, "end", "period ends (%s) before it starts (%s)", *end, *start);
    ev_fields_pop(w);
    return s;
}

static ev_status load_edition(ev_fields *w, const cJSON *o, ev_edition *e)
{
    static const char *const known[] = {"report", "period", "retrieved", "sha256", "file", NULL};
    if (!cJSON_IsObject(o))
        return ev_fields_fail(w, NULL, "expected an Artifact edition object");
    ev_status s;
    if ((s = ev_fields_known(w, o, known)) != EV_OK ||
        (s = ev_fields_str(w, o, "report", true, &e->report)) != EV_OK ||
        (s = load_period(w, o, "period", false, &e->period_start, &e->period_end)) != EV_OK ||
        (s = ev_fields_date(w, o, "retrieved", true, &e->retrieved)) != EV_OK ||
        (s = ev_fields_str(w, o, "sha256", false, &e->sha256)) != EV_OK ||
        (s = ev_fields_str(w, o, "file", false, &e->file)) != EV_OK)
        return s;
    if (e->sha256) {
        bool ok = strlen(e->sha256) == 64;
        for (const char *p = e->sha256; ok && *p; p++)
            ok = isxdigit((unsigned char)*p) && !isupper((unsigned char)*p);
        if (!ok)
            return ev_fields_fail(w, "sha256", "\"sha256\": expected 64 lower-case hex digits");
    }
    return EV_OK;
}

ev_status ev_scope_load(const char *path, ev_scope **out, ev_error *err)
{
    ev_json_doc doc;
    ev_status s = ev_json_doc_load(path, &doc, err);
    if (s != EV_OK)
        return s;
    ev_fields w = {.doc = &doc, .err = err};
    ev_scope *sc = ev_xcalloc(1, sizeof *sc);
    sc->path = ev_xstrdup(path);
    sc->max_evidence_age_days = 90;
    const cJSON *root = doc.root;
    static const char *const known[] = {
        "schema",    "organisation", "title",    "classification", "period",
        "accounts",  "regions",      "services", "frameworks",     "max_evidence_age_days",
        "artifacts", "branding",     NULL};
    const cJSON *arts;
    if ((s = ev_fields_schema(&w, root, EV_SCOPE_SCHEMA)) != EV_OK ||
        (s = ev_fields_known(&w, root, known)) != EV_OK ||
        (s = ev_fields_str(&w, root, "organisation", true, &sc->organisation)) != EV_OK ||
        (s = ev_fields_str(&w, root, "title", false, &sc->title)) != EV_OK ||
        (s = ev_fields_str(&w, root, "classification", false, &sc->classification)) != EV_OK ||
        (s = load_period(&w, root, "period", true, &sc->period_start, &sc->period_end)) != EV_OK ||
        (s = ev_fields_strs(&w, root, "accounts", false, &sc->accounts, &sc->n_accounts)) !=
            EV_OK ||
        (s = ev_fields_strs(&w, root, "regions", false, &sc->regions, &sc->n_regions)) != EV_OK ||
        (s = ev_fields_strs(&w, root, "frameworks", false, &sc->frameworks, &sc->n_frameworks)) !=
            EV_OK ||
        (s = ev_fields_arr(&w, root, "artifacts", false, &arts)) != EV_OK)
        goto done;
    const cJSON *brand;
    if ((s = ev_fields_obj(&w, root, "branding", false, &brand)) != EV_OK)
        goto done;
    if (brand) {
        sc->branding = ev_xcalloc(1, sizeof *sc->branding);
        ev_fields_push_key(&w, "branding");
        s = load_branding(&w, brand, path, sc->branding);
        ev_fields_pop(&w);
        if (s != EV_OK)
            goto done;
    }
    /* "services": a list of service ids, or "auto" to take them from the findings */
    const cJSON *svc = cJSON_GetObjectItemCaseSensitive(root, "services");
    ev_json_step svc_step = {"services", 0};
    ev_json_locate(doc.text, doc.len, &svc_step, 1, &sc->services_line, &sc->services_col);
    if (cJSON_IsString(svc)) {
        if (strcmp(svc->valuestring, "auto") != 0) {
            s = ev_fields_fail(&w, "services",
                               "\"services\": expected an array of service ids or \"auto\"");
            goto done;
        }
        sc->services_auto = true;
    } else if ((s = ev_fields_strs(&w, root, "services", false, &sc->services, &sc->n_services)) !=
               EV_OK) {
        goto done;
    }
    const cJSON *age = cJSON_GetObjectItemCaseSensitive(root, "max_evidence_age_days");
    if (age) {
        if (!cJSON_IsNumber(age) || age->valuedouble < 1 || age->valuedouble > 36500 ||
            age->valuedouble != (double)age->valueint) {
            s = ev_fields_fail(&w, "max_evidence_age_days",
                               "\"max_evidence_age_days\": expected a whole number of days");
            goto done;
        }
        sc->max_evidence_age_days = age->valueint;
    }
    if (arts) {
        sc->editions = ev_xcalloc((size_t)cJSON_GetArraySize(arts) + 1, sizeof *sc->editions);
        ev_fields_push_key(&w, "artifacts");
        const cJSON *it;
        cJSON_ArrayForEach(it, arts)
        {
            ev_fields_push_index(&w, sc->n_editions);
            ev_edition *e = &sc->editions[sc->n_editions++];
            ev_json_locate(doc.text, doc.len, w.steps, w.depth, &e->line, &e->col);
            s = load_edition(&w, it, e);
            for (size_t j = 0; s == EV_OK && j + 1 < sc->n_editions; j++)
                if (strcmp(sc->editions[j].report, e->report) == 0)
                    s = ev_fields_fail(&w, "report",
                                       "a second edition of \"%s\": expected one edition per "
                                       "report",
                                       e->report);
            ev_fields_pop(&w);
            if (s != EV_OK)
                goto done;
        }
        ev_fields_pop(&w);
    }
done:
    ev_json_doc_free(&doc);
    if (s != EV_OK) {
        ev_scope_free(sc);
        return s;
    }
    *out = sc;
    return EV_OK;
}

ev_status ev_scope_check(const ev_scope *s, const ev_artifacts *a, ev_error *err)
{
    for (size_t i = 0; i < s->n_editions; i++)
        if (!ev_artifacts_find(a, s->editions[i].report))
            return ev_error_set(err, EV_ERR_INPUT, s->path, s->editions[i].line, s->editions[i].col,
                                "unknown Artifact report \"%s\" (not in %s)", s->editions[i].report,
                                a->name);
    return EV_OK;
}

ev_status ev_scope_check_services(const ev_scope *s, const ev_services *sv, ev_error *err)
{
    for (size_t i = 0; i < s->n_services; i++)
        if (!ev_services_find(sv, s->services[i]))
            return ev_error_set(err, EV_ERR_INPUT, s->path, s->services_line, s->services_col,
                                "unknown service \"%s\" in \"services\" (not in the service "
                                "catalogue; see 'evpack matrix --list')",
                                s->services[i]);
    return EV_OK;
}

const ev_edition *ev_scope_edition(const ev_scope *s, const char *report)
{
    for (size_t i = 0; i < s->n_editions; i++)
        if (strcmp(s->editions[i].report, report) == 0)
            return &s->editions[i];
    return NULL;
}
