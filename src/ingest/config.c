/* config.c: the AWS Config reader. Reads the output of
 *   aws configservice get-compliance-details-by-config-rule   {"EvaluationResults": [...]}
 *   aws configservice get-compliance-details-by-resource      {"EvaluationResults": [...]}
 *   aws configservice get-aggregate-compliance-details-by-config-rule
 *                                                 {"AggregateEvaluationResults": [...]}
 *   aws configservice describe-compliance-by-config-rule  {"ComplianceByConfigRules": [...]}
 * one evaluation result (or one rule's overall compliance) per record.
 *
 * Field by field (an evaluation result):
 *   EvaluationResultIdentifier.EvaluationResultQualifier
 *     .ConfigRuleName       -> check "config:<name as given>" (conformance-pack rules keep
 *                              their random suffix; the matcher handles it); title
 *     .ResourceType/.ResourceId -> resource
 *   ComplianceType          -> COMPLIANT passed, NON_COMPLIANT failed, INSUFFICIENT_DATA
 *                              not available, NOT_APPLICABLE none (the rule does not apply
 *                              to the resource: evidence neither way), other unrecognised
 *   ResultRecordedTime      -> time (else ConfigRuleInvokedTime, else OrderingTimestamp);
 *                              epoch seconds (AWS CLI v1) or ISO 8601 (v2)
 *   AccountId, AwsRegion    -> account, region (aggregator results only)
 * The id is rule|resource type|resource id (|account|region for aggregator results), so
 * re-deliveries of one evaluation de-duplicate whatever their timestamps. Compliance
 * summaries (counts only) and describe-compliance-by-resource (no rule names) are refused
 * with a message naming the command to use instead. */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "util/buf.h"

static ev_result config_result(const char *s)
{
    if (!s)
        return EV_RESULT_NONE;
    if (strcmp(s, "COMPLIANT") == 0)
        return EV_RESULT_PASSED;
    if (strcmp(s, "NON_COMPLIANT") == 0)
        return EV_RESULT_FAILED;
    if (strcmp(s, "INSUFFICIENT_DATA") == 0)
        return EV_RESULT_NOT_AVAILABLE;
    if (strcmp(s, "NOT_APPLICABLE") == 0)
        return EV_RESULT_NONE;
    return EV_RESULT_UNRECOGNISED;
}

/* A required non-empty string at path. */
static ev_status required_str(const cJSON *obj, const char *path, const ev_json_element *el,
                              const char *file, char **out, ev_error *err)
{
    ev_status rc = ev_reader_str(obj, path, el, file, out, err);
    if (rc == EV_OK && (!*out || !(*out)[0]))
        rc = ev_reader_fail(el, file, path, err, "expected a non-empty string in \"%s\"", path);
    if (rc != EV_OK) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

ev_status ev_config_read(const cJSON *obj, const ev_json_element *el, const char *file,
                         ev_finding *f, ev_error *err)
{
    memset(f, 0, sizeof *f);
    if (!cJSON_IsObject(obj))
        return ev_error_set(err, EV_ERR_INPUT, file, el->line, el->col,
                            "expected an AWS Config evaluation result object, found another "
                            "JSON value");
    static const struct {
        const char *key, *msg;
    } refused[] = {
        {"ComplianceSummary", "a compliance summary holds counts only, no rule results: use "
                              "aws configservice get-compliance-details-by-config-rule"},
        {"ComplianceSummariesByResourceType",
         "a compliance summary holds counts only, no rule results: use aws configservice "
         "get-compliance-details-by-resource"},
        {"ComplianceByResources", "describe-compliance-by-resource output names no rule: use "
                                  "aws configservice get-compliance-details-by-resource"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        if (cJSON_GetObjectItemCaseSensitive(obj, refused[i].key))
            return ev_reader_fail(el, file, refused[i].key, err, "%s", refused[i].msg);

    ev_status rc;
    char *rule = NULL;
    bool by_rule = !cJSON_GetObjectItemCaseSensitive(obj, "EvaluationResultIdentifier") &&
                   cJSON_GetObjectItemCaseSensitive(obj, "ConfigRuleName");
    const char *q = "EvaluationResultIdentifier.EvaluationResultQualifier";
    if (by_rule) {
        rc = required_str(obj, "ConfigRuleName", el, file, &rule, err);
    } else if (!cJSON_GetObjectItemCaseSensitive(obj, "EvaluationResultIdentifier")) {
        return ev_reader_fail(el, file, NULL, err,
                              "expected an AWS Config evaluation result (an object with "
                              "\"EvaluationResultIdentifier\")");
    } else {
        rc =
            required_str(obj, "EvaluationResultIdentifier.EvaluationResultQualifier.ConfigRuleName",
                         el, file, &rule, err);
    }
    if (rc != EV_OK)
        return rc;
    f->source = ev_xstrdup("config");
    f->severity = EV_SEV_UNKNOWN; /* Config rules carry no severity */
    f->file = ev_xstrdup(file);
    f->line = el->line;
    f->col = el->col;
    f->check = ev_check_id("config", rule);
    f->title = rule;
    ev_buf id = EV_BUF_INIT;
    ev_buf_puts(&id, rule);

    if (by_rule) {
        rc = ev_reader_str(obj, "Compliance.ComplianceType", el, file, &f->result_text, err);
    } else {
        char path[128];
        snprintf(path, sizeof path, "%s.ResourceType", q);
        if ((rc = ev_reader_str(obj, path, el, file, &f->resource_type, err)) != EV_OK)
            goto out;
        snprintf(path, sizeof path, "%s.ResourceId", q);
        if ((rc = ev_reader_str(obj, path, el, file, &f->resource_id, err)) != EV_OK)
            goto out;
        if ((rc = ev_reader_str(obj, "AccountId", el, file, &f->account, err)) != EV_OK ||
            (rc = ev_reader_str(obj, "AwsRegion", el, file, &f->region, err)) != EV_OK ||
            (rc = ev_reader_str(obj, "ComplianceType", el, file, &f->result_text, err)) != EV_OK)
            goto out;
        ev_buf_printf(&id, "|%s|%s", f->resource_type ? f->resource_type : "",
                      f->resource_id ? f->resource_id : "");
        if (f->account || f->region)
            ev_buf_printf(&id, "|%s|%s", f->account ? f->account : "", f->region ? f->region : "");
        static const char *const times[] = {"ResultRecordedTime", "ConfigRuleInvokedTime",
                                            "EvaluationResultIdentifier.OrderingTimestamp"};
        bool have = false;
        for (size_t i = 0; i < 3 && !have && rc == EV_OK; i++)
            rc = ev_reader_time(obj, times[i], el, file, f, &have, err);
    }
    if (rc != EV_OK)
        goto out;
    f->result = config_result(f->result_text);
    if (!ev_finding_utf8_ok(f))
        rc = ev_error_set(err, EV_ERR_INPUT, file, el->line, el->col,
                          "invalid UTF-8 (from a \\u escape) in the evaluation result's text");
out:
    f->id = ev_buf_detach(&id);
    return rc;
}
