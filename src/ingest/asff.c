/* asff.c: the Security Hub (ASFF) reader. Maps one finding object onto the normalised
 * record: consolidated findings (Compliance.SecurityControlId) and older per-standard
 * ones (ProductFields.ControlId / RuleId), Prowler's ASFF (GeneratorId "prowler-..."),
 * requirement references, workflow and record state. */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/json_locate.h"
#include "util/utf8.h"

/* Reports an error at the value reached by up to three keys inside the element. */
static ev_status fail_at(const ev_json_element *el, const char *file, const char *k1,
                         const char *k2, const char *k3, ev_error *err, const char *what)
{
    ev_json_step path[3];
    size_t n = 0;
    if (k1)
        path[n++] = (ev_json_step){k1, 0};
    if (k2)
        path[n++] = (ev_json_step){k2, 0};
    if (k3)
        path[n++] = (ev_json_step){k3, 0};
    long line = el->line, col = el->col;
    long l = 0, c = 0;
    ev_json_locate(el->text, el->len, path, n, &l, &c);
    if (l == 1) {
        col = el->col + c - 1;
    } else if (l > 1) {
        line = el->line + l - 1;
        col = c;
    }
    return ev_error_set(err, EV_ERR_INPUT, file, line, col, "%s", what);
}

/* Copies a string member; absent or null gives NULL. A non-string is an error. */
static ev_status str_member(const cJSON *obj, const char *key, char **out, bool *bad)
{
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v))
        return EV_OK;
    if (!cJSON_IsString(v)) {
        *bad = true;
        return EV_ERR_INPUT;
    }
    *out = ev_xstrdup(v->valuestring);
    return EV_OK;
}

static const cJSON *obj_member(const cJSON *obj, const char *key)
{
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
    return cJSON_IsObject(v) ? v : NULL;
}

static ev_result parse_result(const char *s)
{
    if (!s)
        return EV_RESULT_NONE;
    if (strcmp(s, "PASSED") == 0)
        return EV_RESULT_PASSED;
    if (strcmp(s, "FAILED") == 0)
        return EV_RESULT_FAILED;
    if (strcmp(s, "WARNING") == 0)
        return EV_RESULT_WARNING;
    if (strcmp(s, "NOT_AVAILABLE") == 0)
        return EV_RESULT_NOT_AVAILABLE;
    return EV_RESULT_UNRECOGNISED;
}

static char *prefixed(const char *ns, const char *id)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "%s:%s", ns, id);
    return ev_buf_detach(&b);
}

static bool valid_text(const char *s)
{
    return !s || ev_utf8_valid(s, strlen(s), NULL);
}

ev_status ev_asff_read(const cJSON *obj, const ev_json_element *el, const char *file, ev_finding *f,
                       ev_error *err)
{
    memset(f, 0, sizeof *f);
    if (!cJSON_IsObject(obj))
        return ev_error_set(err, EV_ERR_INPUT, file, el->line, el->col,
                            "expected a finding object, found another JSON value");
    bool bad = false;
    ev_status rc = EV_OK;
    char *record_state = NULL, *control = NULL, *generator = NULL, *cid = NULL;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "Id");
    if (!cJSON_IsString(id) || !id->valuestring[0])
        return fail_at(el, file, id ? "Id" : NULL, NULL, NULL, err,
                       "expected a finding with a non-empty string \"Id\"");
    f->source = ev_xstrdup("securityhub");
    f->id = ev_xstrdup(id->valuestring);
    f->file = ev_xstrdup(file);
    f->line = el->line;
    f->col = el->col;

#define STR(o, key, dst, k1, k2, k3)                                                               \
    do {                                                                                           \
        str_member((o), (key), (dst), &bad);                                                       \
        if (bad) {                                                                                 \
            rc = fail_at(el, file, k1, k2, k3, err, "expected a string in \"" key "\"");           \
            goto out;                                                                              \
        }                                                                                          \
    } while (0)

    STR(obj, "Title", &f->title, "Title", NULL, NULL);
    STR(obj, "AwsAccountId", &f->account, "AwsAccountId", NULL, NULL);
    STR(obj, "Region", &f->region, "Region", NULL, NULL);
    STR(obj, "UpdatedAt", &f->updated_text, "UpdatedAt", NULL, NULL);
    if (f->updated_text && !ev_timestamp_parse(f->updated_text, &f->updated_at)) {
        rc = fail_at(el, file, "UpdatedAt", NULL, NULL, err,
                     "expected an ISO 8601 timestamp in \"UpdatedAt\"");
        goto out;
    }

    STR(obj, "RecordState", &record_state, "RecordState", NULL, NULL);
    f->archived = record_state && strcmp(record_state, "ARCHIVED") == 0;

    const cJSON *sev = obj_member(obj, "Severity");
    if (!sev)
        sev = obj_member(obj_member(obj, "FindingProviderFields"), "Severity");
    if (sev)
        STR(sev, "Label", &f->severity_label, "Severity", "Label", NULL);
    f->severity = ev_severity_parse(f->severity_label);

    const cJSON *wf = obj_member(obj, "Workflow");
    if (wf)
        STR(wf, "Status", &f->workflow, "Workflow", "Status", NULL);
    if (!f->workflow)
        STR(obj, "WorkflowState", &f->workflow, "WorkflowState", NULL, NULL);
    f->suppressed = f->workflow && strcmp(f->workflow, "SUPPRESSED") == 0;

    const cJSON *rec = obj_member(obj_member(obj, "Remediation"), "Recommendation");
    if (rec) {
        STR(rec, "Text", &f->remediation, "Remediation", "Recommendation", "Text");
        STR(rec, "Url", &f->remediation_url, "Remediation", "Recommendation", "Url");
    }

    const cJSON *res = cJSON_GetObjectItemCaseSensitive(obj, "Resources");
    if (cJSON_IsArray(res) && cJSON_IsObject(res->child)) {
        STR(res->child, "Type", &f->resource_type, "Resources", NULL, NULL);
        STR(res->child, "Id", &f->resource_id, "Resources", NULL, NULL);
        if (!f->region)
            STR(res->child, "Region", &f->region, "Resources", NULL, NULL);
    }

    const cJSON *comp = obj_member(obj, "Compliance");
    const cJSON *pf = obj_member(obj, "ProductFields");
    if (comp) {
        STR(comp, "Status", &f->result_text, "Compliance", "Status", NULL);
        STR(comp, "SecurityControlId", &control, "Compliance", "SecurityControlId", NULL);
        const cJSON *rr = cJSON_GetObjectItemCaseSensitive(comp, "RelatedRequirements");
        if (rr && !cJSON_IsNull(rr)) {
            if (!cJSON_IsArray(rr)) {
                rc = fail_at(el, file, "Compliance", "RelatedRequirements", NULL, err,
                             "expected an array of strings in \"RelatedRequirements\"");
                goto out;
            }
            size_t n = (size_t)cJSON_GetArraySize(rr);
            f->requirements = ev_xcalloc(n, sizeof(char *));
            const cJSON *it;
            cJSON_ArrayForEach(it, rr)
            {
                if (!cJSON_IsString(it)) {
                    rc = fail_at(el, file, "Compliance", "RelatedRequirements", NULL, err,
                                 "expected an array of strings in \"RelatedRequirements\"");
                    goto out;
                }
                f->requirements[f->n_requirements++] = ev_xstrdup(it->valuestring);
            }
        }
    }
    f->result = parse_result(f->result_text);

    STR(obj, "GeneratorId", &generator, "GeneratorId", NULL, NULL);
    if (control) {
        f->check = prefixed("securityhub", control);
    } else if (generator && strncmp(generator, "prowler-", 8) == 0) {
        free(f->source);
        f->source = ev_xstrdup("prowler");
        f->check = prefixed("prowler", generator + 8);
    } else if (pf) {
        STR(pf, "ControlId", &cid, "ProductFields", "ControlId", NULL);
        if (cid) {
            f->check = prefixed("securityhub", cid);
        } else {
            STR(pf, "RuleId", &cid, "ProductFields", "RuleId", NULL);
            /* pre-consolidation CIS findings carry only the benchmark rule number */
            if (cid && cid[0] >= '0' && cid[0] <= '9') {
                ev_buf b = EV_BUF_INIT;
                ev_buf_printf(&b, "securityhub:CIS.%s", cid);
                f->check = ev_buf_detach(&b);
            } else if (cid) {
                f->check = prefixed("securityhub", cid);
            }
        }
    }
#undef STR

    /* cJSON decodes \u escapes without checking them; validate what it produced. */
    const char *texts[] = {f->id,
                           f->title,
                           f->account,
                           f->region,
                           f->updated_text,
                           f->severity_label,
                           f->workflow,
                           f->remediation,
                           f->remediation_url,
                           f->resource_type,
                           f->resource_id,
                           f->result_text,
                           f->check};
    bool ok = true;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        ok = ok && valid_text(texts[i]);
    for (size_t i = 0; i < f->n_requirements; i++)
        ok = ok && valid_text(f->requirements[i]);
    if (!ok)
        rc = ev_error_set(err, EV_ERR_INPUT, file, el->line, el->col,
                          "invalid UTF-8 (from a \\u escape) in the finding's text");
out:
    free(record_state);
    free(control);
    free(generator);
    free(cid);
    return rc;
}
