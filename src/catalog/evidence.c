/* evidence.c: loads manual evidence (schema evpack/evidence@1) and risk acceptances
 * (schema evpack/exceptions@1): the evidence no scanner produces, and the failures an
 * owner has accepted until a date. */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/fields.h"
#include "util/buf.h"
#include "util/sha256.h"

static void ref_clear(ev_control_ref *r)
{
    free(r->framework);
    free(r->control);
}

/* "CONTROL" or "FRAMEWORK-ID:CONTROL". Control ids never hold ':'; framework ids never do. */
static void ref_parse(const char *text, ev_control_ref *r)
{
    const char *colon = strchr(text, ':');
    if (colon && colon != text && colon[1]) {
        r->framework = ev_xstrndup(text, (size_t)(colon - text));
        r->control = ev_xstrdup(colon + 1);
    } else {
        r->framework = NULL;
        r->control = ev_xstrdup(text);
    }
}

void ev_evidence_free(ev_evidence *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n_items; i++) {
        ev_evidence_item *it = &e->items[i];
        free(it->id);
        for (size_t j = 0; j < it->n_controls; j++)
            ref_clear(&it->controls[j]);
        free(it->controls);
        free(it->description);
        free(it->collected_by);
        free(it->collected);
        free(it->expires);
        free(it->file);
        free(it->file_path);
    }
    free(e->items);
    free(e->path);
    free(e);
}

/* The folder part of path ("." when there is none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? ev_xstrndup(path, (size_t)(slash - path) ? (size_t)(slash - path) : 1)
                 : ev_xstrdup(".");
}

static ev_status load_refs(ev_fields *w, const cJSON *o, ev_control_ref **out, size_t *n)
{
    char **list = NULL;
    size_t count = 0;
    ev_status s = ev_fields_strs(w, o, "controls", true, &list, &count);
    if (s != EV_OK)
        return s;
    if (count == 0) {
        ev_strv_free(list, count);
        return ev_fields_fail(w, "controls", "\"controls\": expected at least one control");
    }
    *out = ev_xcalloc(count, sizeof **out);
    for (size_t i = 0; i < count; i++)
        ref_parse(list[i], &(*out)[i]);
    *n = count;
    ev_strv_free(list, count);
    return EV_OK;
}

static ev_status check_order(ev_fields *w, const char *first, const char *later,
                             const char *later_key, const char *what)
{
    if (first && later && strcmp(later, first) < 0)
        return ev_fields_fail(w, later_key, "%s (%s) is before %s", later_key, later, what);
    return EV_OK;
}

static ev_status load_item(ev_fields *w, const char *base, const cJSON *o, ev_evidence_item *it)
{
    static const char *const known[] = {"id",          "controls",     "status",
                                        "description", "collected_by", "collected",
                                        "expires",     "file",         NULL};
    if (!cJSON_IsObject(o))
        return ev_fields_fail(w, NULL, "expected an evidence item object");
    ev_status s;
    char *status = NULL;
    if ((s = ev_fields_known(w, o, known)) != EV_OK ||
        (s = ev_fields_str(w, o, "id", true, &it->id)) != EV_OK ||
        (s = load_refs(w, o, &it->controls, &it->n_controls)) != EV_OK ||
        (s = ev_fields_str(w, o, "status", true, &status)) != EV_OK ||
        (s = ev_fields_str(w, o, "description", true, &it->description)) != EV_OK ||
        (s = ev_fields_str(w, o, "collected_by", true, &it->collected_by)) != EV_OK ||
        (s = ev_fields_date(w, o, "collected", true, &it->collected)) != EV_OK ||
        (s = ev_fields_date(w, o, "expires", false, &it->expires)) != EV_OK ||
        (s = ev_fields_str(w, o, "file", false, &it->file)) != EV_OK)
        goto out;
    if (strcmp(status, "pass") == 0)
        it->pass = true;
    else if (strcmp(status, "fail") != 0) {
        s = ev_fields_fail(w, "status", "\"status\": expected \"pass\" or \"fail\", found \"%s\"",
                           status);
        goto out;
    }
    if ((s = check_order(w, it->collected, it->expires, "expires", "the collection date")) != EV_OK)
        goto out;
    if (it->file) {
        /* attachments are named relative to the evidence file and stay below it */
        if (it->file[0] == '/' || strstr(it->file, "..")) {
            s = ev_fields_fail(w, "file",
                               "\"file\": expected a path relative to the evidence file, without "
                               "\"..\"");
            goto out;
        }
        ev_buf p = EV_BUF_INIT;
        if (strcmp(base, ".") == 0)
            ev_buf_puts(&p, it->file);
        else
            ev_buf_printf(&p, "%s/%s", base, it->file);
        it->file_path = ev_buf_detach(&p);
        ev_error ferr;
        if (ev_sha256_file(it->file_path, it->sha256, &it->file_size, &ferr) != EV_OK) {
            s = ev_fields_fail(w, "file", "attached file \"%s\": %s", it->file, ferr.msg);
            goto out;
        }
    }
out:
    free(status);
    return s;
}

ev_status ev_evidence_load(const char *path, ev_evidence **out, ev_error *err)
{
    ev_json_doc doc;
    ev_status s = ev_json_doc_load(path, &doc, err);
    if (s != EV_OK)
        return s;
    ev_fields w = {.doc = &doc, .err = err};
    ev_evidence *e = ev_xcalloc(1, sizeof *e);
    e->path = ev_xstrdup(path);
    char *base = dir_of(path);
    static const char *const known[] = {"schema", "items", NULL};
    const cJSON *items, *it;
    if ((s = ev_fields_schema(&w, doc.root, EV_EVIDENCE_SCHEMA)) != EV_OK ||
        (s = ev_fields_known(&w, doc.root, known)) != EV_OK ||
        (s = ev_fields_arr(&w, doc.root, "items", true, &items)) != EV_OK)
        goto done;
    e->items = ev_xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *e->items);
    ev_fields_push_key(&w, "items");
    cJSON_ArrayForEach(it, items)
    {
        ev_fields_push_index(&w, e->n_items);
        ev_evidence_item *item = &e->items[e->n_items++];
        ev_json_locate(doc.text, doc.len, w.steps, w.depth, &item->line, &item->col);
        s = load_item(&w, base, it, item);
        for (size_t j = 0; s == EV_OK && j + 1 < e->n_items; j++)
            if (strcmp(e->items[j].id, item->id) == 0)
                s = ev_fields_fail(&w, "id", "duplicate evidence id \"%s\"", item->id);
        ev_fields_pop(&w);
        if (s != EV_OK)
            break;
    }
done:
    free(base);
    ev_json_doc_free(&doc);
    if (s != EV_OK) {
        ev_evidence_free(e);
        return s;
    }
    *out = e;
    return EV_OK;
}

void ev_exceptions_free(ev_exceptions *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n_items; i++) {
        ev_exception *e = &x->items[i];
        free(e->id);
        if (e->control) {
            ref_clear(e->control);
            free(e->control);
        }
        free(e->check);
        free(e->finding);
        free(e->resource);
        free(e->justification);
        free(e->owner);
        free(e->approver);
        free(e->approved);
        free(e->expires);
    }
    free(x->items);
    free(x->path);
    free(x);
}

static ev_status load_exception(ev_fields *w, const cJSON *o, ev_exception *e)
{
    static const char *const known[] = {"id",       "covers",   "justification", "owner",
                                        "approver", "approved", "expires",       NULL};
    static const char *const cknown[] = {"control", "check", "finding", "resource", NULL};
    if (!cJSON_IsObject(o))
        return ev_fields_fail(w, NULL, "expected an exception object");
    ev_status s;
    const cJSON *cov;
    char *control = NULL;
    if ((s = ev_fields_known(w, o, known)) != EV_OK ||
        (s = ev_fields_str(w, o, "id", true, &e->id)) != EV_OK ||
        (s = ev_fields_obj(w, o, "covers", true, &cov)) != EV_OK ||
        (s = ev_fields_str(w, o, "justification", true, &e->justification)) != EV_OK ||
        (s = ev_fields_str(w, o, "owner", true, &e->owner)) != EV_OK ||
        (s = ev_fields_str(w, o, "approver", true, &e->approver)) != EV_OK ||
        (s = ev_fields_date(w, o, "approved", true, &e->approved)) != EV_OK ||
        (s = ev_fields_date(w, o, "expires", true, &e->expires)) != EV_OK ||
        (s = check_order(w, e->approved, e->expires, "expires", "the approval date")) != EV_OK)
        return s;
    ev_fields_push_key(w, "covers");
    if ((s = ev_fields_known(w, cov, cknown)) == EV_OK &&
        (s = ev_fields_str(w, cov, "control", false, &control)) == EV_OK &&
        (s = ev_fields_str(w, cov, "check", false, &e->check)) == EV_OK &&
        (s = ev_fields_str(w, cov, "finding", false, &e->finding)) == EV_OK &&
        (s = ev_fields_str(w, cov, "resource", false, &e->resource)) == EV_OK) {
        if (!control && !e->check && !e->finding && !e->resource)
            s = ev_fields_fail(w, NULL,
                               "\"covers\": expected at least one of \"control\", \"check\", "
                               "\"finding\" or \"resource\"");
        else if (e->resource && strcmp(e->resource, "*") == 0 && !control && !e->check &&
                 !e->finding)
            /* a blanket acceptance of every failure is never what an approver meant */
            s = ev_fields_fail(w, "resource",
                               "\"resource\": \"*\" alone would accept every failure");
    }
    if (control) {
        e->control = ev_xcalloc(1, sizeof *e->control);
        ref_parse(control, e->control);
        free(control);
    }
    ev_fields_pop(w);
    return s;
}

ev_status ev_exceptions_load(const char *path, ev_exceptions **out, ev_error *err)
{
    ev_json_doc doc;
    ev_status s = ev_json_doc_load(path, &doc, err);
    if (s != EV_OK)
        return s;
    ev_fields w = {.doc = &doc, .err = err};
    ev_exceptions *x = ev_xcalloc(1, sizeof *x);
    x->path = ev_xstrdup(path);
    static const char *const known[] = {"schema", "exceptions", NULL};
    const cJSON *items, *it;
    if ((s = ev_fields_schema(&w, doc.root, EV_EXCEPTIONS_SCHEMA)) != EV_OK ||
        (s = ev_fields_known(&w, doc.root, known)) != EV_OK ||
        (s = ev_fields_arr(&w, doc.root, "exceptions", true, &items)) != EV_OK)
        goto done;
    x->items = ev_xcalloc((size_t)cJSON_GetArraySize(items) + 1, sizeof *x->items);
    ev_fields_push_key(&w, "exceptions");
    cJSON_ArrayForEach(it, items)
    {
        ev_fields_push_index(&w, x->n_items);
        ev_exception *e = &x->items[x->n_items++];
        ev_json_locate(doc.text, doc.len, w.steps, w.depth, &e->line, &e->col);
        s = load_exception(&w, it, e);
        for (size_t j = 0; s == EV_OK && j + 1 < x->n_items; j++)
            if (strcmp(x->items[j].id, e->id) == 0)
                s = ev_fields_fail(&w, "id", "duplicate exception id \"%s\"", e->id);
        ev_fields_pop(&w);
        if (s != EV_OK)
            break;
    }
done:
    ev_json_doc_free(&doc);
    if (s != EV_OK) {
        ev_exceptions_free(x);
        return s;
    }
    *out = x;
    return EV_OK;
}

bool ev_glob_match(const char *p, const char *t)
{
    /* iterative matcher with one backtrack point: linear for the patterns people write */
    const char *star = NULL, *resume = NULL;
    while (*t) {
        if (*p == '*') { /* before the literal test: a '*' in the text is no wildcard */
            star = p++;
            resume = t;
        } else if (*p == '?' || *p == *t) {
            p++;
            t++;
        } else if (star) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return *p == '\0';
}
