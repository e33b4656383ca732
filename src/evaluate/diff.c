/* diff.c: compares pack.json documents. It reads the packs as documents (not the model) so
 * that a pack from an earlier quarter, built with an earlier mapping edition, compares too:
 * controls are matched by framework id and control id, and a control that exists on one
 * side only is reported as added or removed, never dropped. */
#include "evaluate/diff.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pack/pack.h"
#include "util/buf.h"
#include "util/json_doc.h"

ev_status ev_pack_load(const char *pack_dir, cJSON **out, ev_error *err)
{
    char *report = NULL;
    size_t n = 0;
    ev_status s = ev_pack_verify(pack_dir, &report, &n, err);
    if (s == EV_ERR_VERIFY) {
        /* the first problem line names the file that does not match */
        size_t len = report ? strcspn(report, "\n") : 0;
        s = ev_error_set(err, EV_ERR_INPUT, pack_dir, 0, 0,
                         "does not match its manifest (%.*s): refusing to compare with it",
                         (int)len, report ? report : "");
    }
    free(report);
    if (s != EV_OK)
        return s;
    ev_buf path = EV_BUF_INIT;
    ev_buf_printf(&path, "%s/pack.json", pack_dir);
    ev_json_doc doc;
    s = ev_json_doc_load(path.data, &doc, err);
    if (s == EV_OK) {
        const cJSON *schema = cJSON_GetObjectItemCaseSensitive(doc.root, "schema");
        if (!cJSON_IsString(schema) || strcmp(schema->valuestring, "evpack/pack@1") != 0) {
            ev_json_step step = {"schema", 0};
            s = ev_json_doc_fail(&doc, &step, 1, err, "expected an evpack/pack@1 pack.json");
        } else {
            *out = doc.root;
            doc.root = NULL;
        }
        ev_json_doc_free(&doc);
    }
    ev_buf_free(&path);
    return s;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *find_by(const cJSON *array, const char *key, const char *value)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, array)
    {
        const char *v = str(it, key);
        if (v && value && strcmp(v, value) == 0)
            return it;
    }
    return NULL;
}

static bool failing(const char *status)
{
    return status && strcmp(status, "failing") == 0;
}

static void add_change(cJSON *list, const cJSON *control, const char *from, const char *to)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", str(control, "id"));
    cJSON_AddStringToObject(o, "title", str(control, "title") ? str(control, "title") : "");
    if (from)
        cJSON_AddStringToObject(o, "from", from);
    else
        cJSON_AddNullToObject(o, "from");
    if (to)
        cJSON_AddStringToObject(o, "to", to);
    else
        cJSON_AddNullToObject(o, "to");
    cJSON_AddItemToArray(list, o);
}

static cJSON *compare_framework(const cJSON *old_fw, const cJSON *new_fw)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", str(new_fw, "id"));
    cJSON_AddStringToObject(o, "name", str(new_fw, "name") ? str(new_fw, "name") : "");
    cJSON_AddStringToObject(o, "version", str(new_fw, "version") ? str(new_fw, "version") : "");
    if (old_fw && str(old_fw, "edition"))
        cJSON_AddStringToObject(o, "previous_edition", str(old_fw, "edition"));
    else
        cJSON_AddNullToObject(o, "previous_edition");
    cJSON_AddBoolToObject(o, "in_previous", old_fw != NULL);
    cJSON *changed = cJSON_AddArrayToObject(o, "changed");
    cJSON *new_fail = cJSON_AddArrayToObject(o, "new_failures");
    cJSON *resolved = cJSON_AddArrayToObject(o, "resolved");
    cJSON *accepted = cJSON_AddArrayToObject(o, "newly_accepted");
    cJSON *noev = cJSON_AddArrayToObject(o, "newly_no_evidence");
    cJSON *added = cJSON_AddArrayToObject(o, "added");
    cJSON *removed = cJSON_AddArrayToObject(o, "removed");
    const cJSON *new_ctl = cJSON_GetObjectItemCaseSensitive(new_fw, "controls");
    const cJSON *old_ctl = old_fw ? cJSON_GetObjectItemCaseSensitive(old_fw, "controls") : NULL;
    const cJSON *c;
    cJSON_ArrayForEach(c, new_ctl)
    {
        const char *to = str(c, "status");
        const cJSON *prev = old_fw ? find_by(old_ctl, "id", str(c, "id")) : NULL;
        if (old_fw && !prev) {
            add_change(added, c, NULL, to);
            continue;
        }
        const char *from = prev ? str(prev, "status") : NULL;
        if (!prev || !from || !to || strcmp(from, to) == 0)
            continue;
        add_change(changed, c, from, to);
        if (failing(to))
            add_change(new_fail, c, from, to);
        /* resolved means the control now passes; an accepted risk is listed on its own */
        if (failing(from) && (strcmp(to, "passing") == 0 || strcmp(to, "passing-manual") == 0 ||
                              strcmp(to, "inherited") == 0))
            add_change(resolved, c, from, to);
        if (strcmp(to, "accepted-risk") == 0)
            add_change(accepted, c, from, to);
        if (strcmp(to, "no-evidence") == 0)
            add_change(noev, c, from, to);
    }
    cJSON_ArrayForEach(c, old_ctl)
    {
        if (!find_by(new_ctl, "id", str(c, "id")))
            add_change(removed, c, str(c, "status"), NULL);
    }
    cJSON *counts = cJSON_AddObjectToObject(o, "counts");
    cJSON_AddNumberToObject(counts, "changed", cJSON_GetArraySize(changed));
    cJSON_AddNumberToObject(counts, "new_failures", cJSON_GetArraySize(new_fail));
    cJSON_AddNumberToObject(counts, "resolved", cJSON_GetArraySize(resolved));
    cJSON_AddNumberToObject(counts, "newly_accepted", cJSON_GetArraySize(accepted));
    cJSON_AddNumberToObject(counts, "newly_no_evidence", cJSON_GetArraySize(noev));
    cJSON_AddNumberToObject(counts, "added", cJSON_GetArraySize(added));
    cJSON_AddNumberToObject(counts, "removed", cJSON_GetArraySize(removed));
    return o;
}

/* One point of the trend: a pack's as-of date and each framework's counts by status. */
static cJSON *trend_point(const cJSON *pack, const char *name)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "pack", name);
    cJSON_AddStringToObject(o, "as_of", str(pack, "as_of") ? str(pack, "as_of") : "");
    cJSON *fws = cJSON_AddArrayToObject(o, "frameworks");
    const cJSON *fw;
    cJSON_ArrayForEach(fw, cJSON_GetObjectItemCaseSensitive(pack, "frameworks"))
    {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", str(fw, "id"));
        const cJSON *sum = cJSON_GetObjectItemCaseSensitive(fw, "summary");
        cJSON_AddItemToObject(
            x, "by_status", cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(sum, "by_status"), 1));
        cJSON_AddItemToArray(fws, x);
    }
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(pack, "findings");
    cJSON *fc = cJSON_AddObjectToObject(o, "findings");
    static const char *const keys[] = {"active", "unmapped", "suppressed", NULL};
    for (const char *const *k = keys; *k; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(f, *k);
        cJSON_AddNumberToObject(fc, *k, cJSON_IsNumber(v) ? v->valuedouble : 0);
    }
    const cJSON *by_sev = cJSON_GetObjectItemCaseSensitive(f, "by_result");
    const cJSON *failed = cJSON_GetObjectItemCaseSensitive(by_sev, "failed");
    cJSON_AddNumberToObject(fc, "failed", cJSON_IsNumber(failed) ? failed->valuedouble : 0);
    return o;
}

cJSON *ev_diff_packs(const cJSON *const *previous, const char *const *names, size_t n,
                     const cJSON *current, const char *current_name)
{
    cJSON *o = cJSON_CreateObject();
    const cJSON *last = n ? previous[n - 1] : NULL;
    cJSON *against = cJSON_AddObjectToObject(o, "against");
    cJSON_AddStringToObject(against, "pack", n ? names[n - 1] : "");
    cJSON_AddStringToObject(against, "as_of", last && str(last, "as_of") ? str(last, "as_of") : "");
    const char *dig = last ? str(last, "inputs_digest") : NULL;
    if (dig)
        cJSON_AddStringToObject(against, "inputs_digest", dig);
    else
        cJSON_AddNullToObject(against, "inputs_digest");
    cJSON *fws = cJSON_AddArrayToObject(o, "frameworks");
    const cJSON *fw;
    cJSON_ArrayForEach(fw, cJSON_GetObjectItemCaseSensitive(current, "frameworks"))
    {
        const cJSON *old_fw = last ? find_by(cJSON_GetObjectItemCaseSensitive(last, "frameworks"),
                                             "id", str(fw, "id"))
                                   : NULL;
        cJSON_AddItemToArray(fws, compare_framework(old_fw, fw));
    }
    /* Artifact editions: stale now but current (or not cited) in the previous pack */
    cJSON *stale = cJSON_AddArrayToObject(o, "artifacts_went_stale");
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(current, "artifacts"))
    {
        const char *now = str(a, "freshness");
        if (!now || strcmp(now, "stale") != 0 || !last)
            continue;
        const cJSON *before =
            find_by(cJSON_GetObjectItemCaseSensitive(last, "artifacts"), "id", str(a, "id"));
        const char *then = before ? str(before, "freshness") : NULL;
        if (then && strcmp(then, "stale") == 0)
            continue;
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "id", str(a, "id"));
        cJSON_AddStringToObject(x, "title", str(a, "title") ? str(a, "title") : "");
        if (then)
            cJSON_AddStringToObject(x, "was", then);
        else
            cJSON_AddNullToObject(x, "was");
        cJSON_AddItemToArray(stale, x);
    }
    cJSON *trend = cJSON_AddArrayToObject(o, "trend");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(trend, trend_point(previous[i], names[i]));
    cJSON_AddItemToArray(trend, trend_point(current, current_name));
    return o;
}
