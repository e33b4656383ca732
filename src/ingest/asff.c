/* asff.c: the Security Hub (ASFF) reader. Maps one finding object onto the normalised
 * record: consolidated findings (Compliance.SecurityControlId) and older per-standard
 * ones (ProductFields.ControlId / RuleId), Prowler's ASFF (GeneratorId "prowler-..."),
 * requirement references, workflow and record state. ev_asff_map holds every rule; this
 * file also holds the cJSON front end (ev_asff_read), asff_scan.c the tree-free one. */
#include <stdlib.h>
#include <string.h>

#include "ingest/asff.h"
#include "ingest/ingest.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/json_locate.h"
#include "util/utf8.h"

/* The schema both front ends read (see asff.h). */
#define STR(k, field)                                                                              \
    {                                                                                              \
        k, sizeof k - 1, EV_ASFF_STR, field, NULL, 0                                               \
    }
#define OBJ(k, type, flag, m)                                                                      \
    {                                                                                              \
        k, sizeof k - 1, type, flag, m, sizeof m / sizeof *m                                       \
    }

static const ev_asff_rule severity_rules[] = {STR("Label", EV_ASFF_SEVERITY_LABEL)};
static const ev_asff_rule fpf_severity_rules[] = {STR("Label", EV_ASFF_FPF_SEVERITY_LABEL)};
static const ev_asff_rule fpf_rules[] = {
    OBJ("Severity", EV_ASFF_OBJ, EV_ASFF_HAS_FPF_SEVERITY, fpf_severity_rules)};
static const ev_asff_rule workflow_rules[] = {STR("Status", EV_ASFF_WORKFLOW_STATUS)};
static const ev_asff_rule recommendation_rules[] = {STR("Text", EV_ASFF_REC_TEXT),
                                                    STR("Url", EV_ASFF_REC_URL)};
static const ev_asff_rule remediation_rules[] = {
    OBJ("Recommendation", EV_ASFF_OBJ, EV_ASFF_HAS_RECOMMENDATION, recommendation_rules)};
static const ev_asff_rule resource_rules[] = {
    STR("Type", EV_ASFF_RES_TYPE), STR("Id", EV_ASFF_RES_ID), STR("Region", EV_ASFF_RES_REGION)};
static const ev_asff_rule compliance_rules[] = {
    STR("Status", EV_ASFF_COMP_STATUS),
    STR("SecurityControlId", EV_ASFF_COMP_CONTROL),
    {"RelatedRequirements", sizeof "RelatedRequirements" - 1, EV_ASFF_REQS, 0, NULL, 0}};
static const ev_asff_rule product_rules[] = {STR("ControlId", EV_ASFF_PF_CONTROL),
                                             STR("RuleId", EV_ASFF_PF_RULE)};
static const ev_asff_rule root_rules[] = {
    STR("Id", EV_ASFF_ID),
    STR("Title", EV_ASFF_TITLE),
    STR("AwsAccountId", EV_ASFF_ACCOUNT),
    STR("Region", EV_ASFF_REGION),
    STR("UpdatedAt", EV_ASFF_UPDATED),
    STR("RecordState", EV_ASFF_RECORD_STATE),
    STR("WorkflowState", EV_ASFF_WORKFLOW_STATE),
    STR("GeneratorId", EV_ASFF_GENERATOR),
    OBJ("Severity", EV_ASFF_OBJ, EV_ASFF_HAS_SEVERITY, severity_rules),
    OBJ("FindingProviderFields", EV_ASFF_OBJ, 0, fpf_rules),
    OBJ("Workflow", EV_ASFF_OBJ, EV_ASFF_HAS_WORKFLOW, workflow_rules),
    OBJ("Remediation", EV_ASFF_OBJ, 0, remediation_rules),
    OBJ("Resources", EV_ASFF_FIRST_OBJ, EV_ASFF_HAS_RESOURCE, resource_rules),
    OBJ("Compliance", EV_ASFF_OBJ, EV_ASFF_HAS_COMPLIANCE, compliance_rules),
    OBJ("ProductFields", EV_ASFF_OBJ, EV_ASFF_HAS_PRODUCT_FIELDS, product_rules),
};

const ev_asff_rule ev_asff_finding = OBJ("", EV_ASFF_OBJ, 0, root_rules);

#undef STR
#undef OBJ

/* Where each string member sits, for error positions, and its name for the message. */
static const struct {
    const char *name;
    const char *k1, *k2, *k3;
} field_info[EV_ASFF_FIELD_COUNT] = {
    [EV_ASFF_ID] = {"Id", "Id", NULL, NULL},
    [EV_ASFF_TITLE] = {"Title", "Title", NULL, NULL},
    [EV_ASFF_ACCOUNT] = {"AwsAccountId", "AwsAccountId", NULL, NULL},
    [EV_ASFF_REGION] = {"Region", "Region", NULL, NULL},
    [EV_ASFF_UPDATED] = {"UpdatedAt", "UpdatedAt", NULL, NULL},
    [EV_ASFF_RECORD_STATE] = {"RecordState", "RecordState", NULL, NULL},
    [EV_ASFF_SEVERITY_LABEL] = {"Label", "Severity", "Label", NULL},
    /* reported at Severity.Label too: the position finder takes the deepest step found */
    [EV_ASFF_FPF_SEVERITY_LABEL] = {"Label", "Severity", "Label", NULL},
    [EV_ASFF_WORKFLOW_STATUS] = {"Status", "Workflow", "Status", NULL},
    [EV_ASFF_WORKFLOW_STATE] = {"WorkflowState", "WorkflowState", NULL, NULL},
    [EV_ASFF_REC_TEXT] = {"Text", "Remediation", "Recommendation", "Text"},
    [EV_ASFF_REC_URL] = {"Url", "Remediation", "Recommendation", "Url"},
    [EV_ASFF_RES_TYPE] = {"Type", "Resources", NULL, NULL},
    [EV_ASFF_RES_ID] = {"Id", "Resources", NULL, NULL},
    [EV_ASFF_RES_REGION] = {"Region", "Resources", NULL, NULL},
    [EV_ASFF_COMP_STATUS] = {"Status", "Compliance", "Status", NULL},
    [EV_ASFF_COMP_CONTROL] = {"SecurityControlId", "Compliance", "SecurityControlId", NULL},
    [EV_ASFF_GENERATOR] = {"GeneratorId", "GeneratorId", NULL, NULL},
    [EV_ASFF_PF_CONTROL] = {"ControlId", "ProductFields", "ControlId", NULL},
    [EV_ASFF_PF_RULE] = {"RuleId", "ProductFields", "RuleId", NULL},
};

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

ev_status ev_asff_map(const ev_asff_fields *in, const char *file, long line, long col,
                      ev_finding *f, ev_buf *scratch, int *bad)
{
    memset(f, 0, sizeof *f);
    const ev_asff_value *v = in->v;
    if (v[EV_ASFF_ID].kind != EV_ASFF_STRING || !v[EV_ASFF_ID].s[0]) {
        *bad = EV_ASFF_ID;
        return EV_ERR_INPUT;
    }
/* A string member, or NULL when absent or null; any other type is the error. */
#define TAKE(field, dst)                                                                           \
    do {                                                                                           \
        if (v[field].kind == EV_ASFF_OTHER) {                                                      \
            *bad = (field);                                                                        \
            return EV_ERR_INPUT;                                                                   \
        }                                                                                          \
        (dst) = v[field].kind == EV_ASFF_STRING ? (char *)v[field].s : NULL;                       \
    } while (0)

    f->source = (char *)"securityhub";
    f->id = (char *)v[EV_ASFF_ID].s;
    f->file = (char *)file;
    f->line = line;
    f->col = col;
    char *record_state, *control = NULL, *generator, *cid = NULL;
    TAKE(EV_ASFF_TITLE, f->title);
    TAKE(EV_ASFF_ACCOUNT, f->account);
    TAKE(EV_ASFF_REGION, f->region);
    TAKE(EV_ASFF_UPDATED, f->updated_text);
    if (f->updated_text && !ev_timestamp_parse(f->updated_text, &f->updated_at)) {
        *bad = EV_ASFF_BAD_TIMESTAMP;
        return EV_ERR_INPUT;
    }
    TAKE(EV_ASFF_RECORD_STATE, record_state);
    f->archived = record_state && strcmp(record_state, "ARCHIVED") == 0;

    if (in->has & EV_ASFF_HAS_SEVERITY)
        TAKE(EV_ASFF_SEVERITY_LABEL, f->severity_label);
    else if (in->has & EV_ASFF_HAS_FPF_SEVERITY)
        TAKE(EV_ASFF_FPF_SEVERITY_LABEL, f->severity_label);
    f->severity = ev_severity_parse(f->severity_label);

    if (in->has & EV_ASFF_HAS_WORKFLOW)
        TAKE(EV_ASFF_WORKFLOW_STATUS, f->workflow);
    if (!f->workflow)
        TAKE(EV_ASFF_WORKFLOW_STATE, f->workflow);
    f->suppressed = f->workflow && strcmp(f->workflow, "SUPPRESSED") == 0;

    if (in->has & EV_ASFF_HAS_RECOMMENDATION) {
        TAKE(EV_ASFF_REC_TEXT, f->remediation);
        TAKE(EV_ASFF_REC_URL, f->remediation_url);
    }
    if (in->has & EV_ASFF_HAS_RESOURCE) {
        TAKE(EV_ASFF_RES_TYPE, f->resource_type);
        TAKE(EV_ASFF_RES_ID, f->resource_id);
        if (!f->region)
            TAKE(EV_ASFF_RES_REGION, f->region);
    }
    if (in->has & EV_ASFF_HAS_COMPLIANCE) {
        TAKE(EV_ASFF_COMP_STATUS, f->result_text);
        TAKE(EV_ASFF_COMP_CONTROL, control);
        if (in->related == EV_ASFF_RELATED_BAD) {
            *bad = EV_ASFF_BAD_RELATED;
            return EV_ERR_INPUT;
        }
        if (in->related == EV_ASFF_RELATED_OK) {
            f->requirements = (char **)in->reqs;
            f->n_requirements = in->n_reqs;
        }
    }
    f->result = parse_result(f->result_text);

    TAKE(EV_ASFF_GENERATOR, generator);
    ev_buf_clear(scratch);
    if (control) {
        ev_buf_puts(scratch, "securityhub:");
        ev_buf_puts(scratch, control);
    } else if (generator && strncmp(generator, "prowler-", 8) == 0) {
        f->source = (char *)"prowler";
        ev_buf_puts(scratch, "prowler:");
        ev_buf_puts(scratch, generator + 8);
    } else if (in->has & EV_ASFF_HAS_PRODUCT_FIELDS) {
        const char *cis = "";
        TAKE(EV_ASFF_PF_CONTROL, cid);
        if (!cid) {
            TAKE(EV_ASFF_PF_RULE, cid);
            /* pre-consolidation CIS findings carry only the benchmark rule number */
            if (cid && cid[0] >= '0' && cid[0] <= '9')
                cis = "CIS.";
        }
        if (cid)
            ev_buf_printf(scratch, "securityhub:%s%s", cis, cid);
    }
#undef TAKE
    f->check = scratch->len ? scratch->data : NULL;
    return EV_OK;
}

/* Reads the members of obj that rules name into in, as the scan does over the text.
 * RelatedRequirements' strings go to *reqs (allocated here, freed by the caller). */
static void tree_members(const cJSON *obj, const ev_asff_rule *rules, size_t n, ev_asff_fields *in,
                         const char ***reqs)
{
    for (size_t i = 0; i < n; i++) {
        const ev_asff_rule *r = &rules[i];
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, r->key);
        switch (r->type) {
        case EV_ASFF_STR:
            in->v[r->target] = !m                  ? (ev_asff_value){EV_ASFF_ABSENT, NULL}
                               : cJSON_IsNull(m)   ? (ev_asff_value){EV_ASFF_NULL, NULL}
                               : cJSON_IsString(m) ? (ev_asff_value){EV_ASFF_STRING, m->valuestring}
                                                   : (ev_asff_value){EV_ASFF_OTHER, NULL};
            break;
        case EV_ASFF_OBJ:
            if (cJSON_IsObject(m)) {
                in->has |= r->target;
                tree_members(m, r->members, r->n_members, in, reqs);
            }
            break;
        case EV_ASFF_FIRST_OBJ:
            if (cJSON_IsArray(m) && cJSON_IsObject(m->child)) {
                in->has |= r->target;
                tree_members(m->child, r->members, r->n_members, in, reqs);
            }
            break;
        default: /* EV_ASFF_REQS */
            if (!m || cJSON_IsNull(m))
                break;
            in->related = cJSON_IsArray(m) ? EV_ASFF_RELATED_OK : EV_ASFF_RELATED_BAD;
            *reqs = ev_xcalloc((size_t)cJSON_GetArraySize(m) + 1, sizeof **reqs);
            const cJSON *it;
            cJSON_ArrayForEach(it, m)
            {
                if (!cJSON_IsString(it)) {
                    in->related = EV_ASFF_RELATED_BAD;
                    break;
                }
                (*reqs)[in->n_reqs++] = it->valuestring;
            }
            in->reqs = *reqs;
            break;
        }
    }
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
    ev_asff_fields in = {0};
    const char **reqs = NULL;
    tree_members(obj, ev_asff_finding.members, ev_asff_finding.n_members, &in, &reqs);
    const ev_asff_value *v = in.v;

    ev_finding view;
    ev_buf scratch = EV_BUF_INIT;
    int bad = 0;
    ev_status rc = ev_asff_map(&in, file, el->line, el->col, &view, &scratch, &bad);
    if (rc == EV_OK) {
        ev_finding_copy(f, &view);
    } else if (bad == EV_ASFF_ID) {
        rc = fail_at(el, file, v[EV_ASFF_ID].kind != EV_ASFF_ABSENT ? "Id" : NULL, NULL, NULL, err,
                     "expected a finding with a non-empty string \"Id\"");
    } else if (bad == EV_ASFF_BAD_TIMESTAMP) {
        rc = fail_at(el, file, "UpdatedAt", NULL, NULL, err,
                     "expected an ISO 8601 timestamp in \"UpdatedAt\"");
    } else if (bad == EV_ASFF_BAD_RELATED) {
        rc = fail_at(el, file, "Compliance", "RelatedRequirements", NULL, err,
                     "expected an array of strings in \"RelatedRequirements\"");
    } else {
        char what[64];
        snprintf(what, sizeof what, "expected a string in \"%s\"", field_info[bad].name);
        rc = fail_at(el, file, field_info[bad].k1, field_info[bad].k2, field_info[bad].k3, err,
                     what);
    }
    ev_buf_free(&scratch);
    free(reqs);
    if (rc != EV_OK)
        return rc;

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
    return rc;
}
