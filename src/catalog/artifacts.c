/* artifacts.c: loads the AWS Artifact report catalogue (schema evpack/artifacts@1):
 * which reports exist, what they attest, their cadence and freshness rule. */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/fields.h"
#include "util/buf.h"

void ev_artifacts_free(ev_artifacts *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_reports; i++) {
        ev_report *r = &a->reports[i];
        free(r->id);
        free(r->title);
        free(r->attests);
        free(r->issuer);
        free(r->cadence);
        free(r->freshness_basis);
    }
    free(a->reports);
    free(a->path);
    free(a->name);
    free(a);
}

static ev_status load_report(ev_fields *w, const cJSON *o, ev_report *r)
{
    static const char *const known[] = {"id",      "title",     "attests", "issuer",
                                        "cadence", "freshness", NULL};
    static const char *const fknown[] = {"basis", "max_days", NULL};
    if (!cJSON_IsObject(o))
        return ev_fields_fail(w, NULL, "expected a report object");
    ev_status s;
    const cJSON *fr;
    if ((s = ev_fields_known(w, o, known)) != EV_OK ||
        (s = ev_fields_str(w, o, "id", true, &r->id)) != EV_OK ||
        (s = ev_fields_str(w, o, "title", true, &r->title)) != EV_OK ||
        (s = ev_fields_str(w, o, "attests", true, &r->attests)) != EV_OK ||
        (s = ev_fields_str(w, o, "issuer", true, &r->issuer)) != EV_OK ||
        (s = ev_fields_str(w, o, "cadence", true, &r->cadence)) != EV_OK ||
        (s = ev_fields_obj(w, o, "freshness", true, &fr)) != EV_OK)
        return s;
    ev_fields_push_key(w, "freshness");
    if ((s = ev_fields_known(w, fr, fknown)) == EV_OK &&
        (s = ev_fields_str(w, fr, "basis", true, &r->freshness_basis)) == EV_OK) {
        if (strcmp(r->freshness_basis, "period_end") != 0 &&
            strcmp(r->freshness_basis, "retrieved") != 0)
            s = ev_fields_fail(w, "basis",
                               "unknown freshness basis \"%s\": expected \"period_end\" or "
                               "\"retrieved\"",
                               r->freshness_basis);
        const cJSON *md = cJSON_GetObjectItemCaseSensitive(fr, "max_days");
        if (s == EV_OK && (!cJSON_IsNumber(md) || md->valuedouble < 1 || md->valuedouble > 36500 ||
                           md->valuedouble != (double)md->valueint))
            s = ev_fields_fail(w, md ? "max_days" : NULL,
                               "\"max_days\": expected a whole number of days (1 to 36500)");
        else if (s == EV_OK)
            r->freshness_days = md->valueint;
    }
    ev_fields_pop(w);
    return s;
}

ev_status ev_artifacts_load(const char *path, ev_artifacts **out, ev_error *err)
{
    ev_json_doc doc;
    ev_status s = ev_json_doc_load(path, &doc, err);
    if (s != EV_OK)
        return s;
    ev_fields w = {.doc = &doc, .err = err};
    ev_artifacts *a = ev_xcalloc(1, sizeof *a);
    a->path = ev_xstrdup(path);
    a->name = ev_xstrdup(path);
    static const char *const known[] = {"schema", "reports", NULL};
    const cJSON *reports;
    if ((s = ev_fields_schema(&w, doc.root, EV_ARTIFACTS_SCHEMA)) != EV_OK ||
        (s = ev_fields_known(&w, doc.root, known)) != EV_OK ||
        (s = ev_fields_arr(&w, doc.root, "reports", true, &reports)) != EV_OK)
        goto done;
    a->reports = ev_xcalloc((size_t)cJSON_GetArraySize(reports) + 1, sizeof *a->reports);
    ev_fields_push_key(&w, "reports");
    const cJSON *it;
    cJSON_ArrayForEach(it, reports)
    {
        ev_fields_push_index(&w, a->n_reports);
        ev_report *r = &a->reports[a->n_reports++];
        s = load_report(&w, it, r);
        for (size_t j = 0; s == EV_OK && j + 1 < a->n_reports; j++)
            if (strcmp(a->reports[j].id, r->id) == 0)
                s = ev_fields_fail(&w, "id", "duplicate report id \"%s\"", r->id);
        ev_fields_pop(&w);
        if (s != EV_OK)
            break;
    }
done:
    ev_json_doc_free(&doc);
    if (s != EV_OK) {
        ev_artifacts_free(a);
        return s;
    }
    *out = a;
    return EV_OK;
}

const ev_report *ev_artifacts_find(const ev_artifacts *a, const char *id)
{
    for (size_t i = 0; i < a->n_reports; i++)
        if (strcmp(a->reports[i].id, id) == 0)
            return &a->reports[i];
    return NULL;
}
