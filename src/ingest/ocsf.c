/* ocsf.c: the OCSF reader for findings that carry a compliance object: the Compliance
 * Finding class (class_uid 2003), Security Hub's OCSF findings and Prowler's OCSF
 * compliance output. Also the fields every OCSF finding shares (ev_ocsf_read_common),
 * which the Prowler JSON-OCSF reader uses too.
 *
 * Field by field (OCSF 1.1 to 1.6; docs/input-formats.md has the table):
 *   finding_info.uid        -> id (required)
 *   compliance.control      -> check "securityhub:<control>" when the product is Security
 *                              Hub, else "ocsf:<control>"; for Prowler's compliance output
 *                              (whose control is a description) "prowler:<event_code>"
 *   compliance.status_id    -> result: 1 Pass, 2 Warning, 3 Fail, 0 Unknown (not
 *                              available), 99 Other and anything else unrecognised;
 *                              compliance.status when status_id is absent
 *   compliance.requirements -> references; "STANDARD/ID" when the id holds no '/' and
 *                              compliance.standards names exactly one standard
 *   status_id / status      -> 3 Suppressed: suppressed; 5 Archived: archived;
 *                              activity_id 3 (Close) is archived too */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/ingest.h"
#include "util/buf.h"
#include "util/utf8.h"

/* Captions of the OCSF severity_id enum. */
static const char *severity_caption(int id)
{
    static const char *const names[] = {"Unknown", "Informational", "Low",  "Medium",
                                        "High",    "Critical",      "Fatal"};
    if (id >= 0 && id <= 6)
        return names[id];
    return id == 99 ? "Other" : NULL;
}

/* Reads an optional integer at path into *out; *found says whether it was there. */
static ev_status int_at(const cJSON *obj, const char *path, const ev_json_element *el,
                        const char *file, int *out, bool *found, ev_error *err)
{
    *found = false;
    const cJSON *v = ev_json_at(obj, path);
    if (!v || cJSON_IsNull(v))
        return EV_OK;
    /* range first: converting an out-of-range double to int is undefined */
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= INT_MIN && v->valuedouble <= INT_MAX) ||
        v->valuedouble != (double)(int)v->valuedouble)
        return ev_reader_fail(el, file, path, err, "expected an integer in \"%s\"", path);
    *out = (int)v->valuedouble;
    *found = true;
    return EV_OK;
}

/* The first http(s) URL of remediation.references. */
static ev_status remediation_url(const cJSON *obj, const ev_json_element *el, const char *file,
                                 ev_finding *f, ev_error *err)
{
    const char *path = "remediation.references";
    const cJSON *refs = ev_json_at(obj, path);
    if (!refs || cJSON_IsNull(refs))
        return EV_OK;
    if (!cJSON_IsArray(refs))
        return ev_reader_fail(el, file, path, err, "expected an array of strings in \"%s\"", path);
    const cJSON *it;
    size_t i = 0;
    cJSON_ArrayForEach(it, refs)
    {
        if (!cJSON_IsString(it)) {
            char at[64];
            snprintf(at, sizeof at, "%s[%zu]", path, i);
            return ev_reader_fail(el, file, at, err, "expected an array of strings in \"%s\"",
                                  path);
        }
        i++;
        const char *u = it->valuestring;
        if (!f->remediation_url &&
            (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0))
            f->remediation_url = ev_xstrdup(u);
    }
    return EV_OK;
}

ev_status ev_ocsf_read_common(const cJSON *obj, const ev_json_element *el, const char *file,
                              const char *source, ev_finding *f, ev_error *err)
{
    memset(f, 0, sizeof *f);
    if (!cJSON_IsObject(obj))
        return ev_error_set(err, EV_ERR_INPUT, file, el->line, el->col,
                            "expected a finding object, found another JSON value");
    const cJSON *uid = ev_json_at(obj, "finding_info.uid");
    if (!cJSON_IsString(uid) || !uid->valuestring[0])
        return ev_reader_fail(el, file, uid ? "finding_info.uid" : NULL, err,
                              "expected a finding with a non-empty string \"finding_info.uid\"");
    f->source = ev_xstrdup(source);
    f->id = ev_xstrdup(uid->valuestring);
    f->file = ev_xstrdup(file);
    f->line = el->line;
    f->col = el->col;

    ev_status rc;
#define STR(path, dst)                                                                             \
    do {                                                                                           \
        if (!(dst) && (rc = ev_reader_str(obj, path, el, file, &(dst), err)) != EV_OK)             \
            return rc;                                                                             \
    } while (0)

    STR("finding_info.title", f->title);

    STR("severity", f->severity_label);
    int sev_id;
    bool have;
    if ((rc = int_at(obj, "severity_id", el, file, &sev_id, &have, err)) != EV_OK)
        return rc;
    if (!f->severity_label && have && severity_caption(sev_id))
        f->severity_label = ev_xstrdup(severity_caption(sev_id));
    f->severity = ev_severity_parse(f->severity_label);
    if (f->severity == EV_SEV_UNKNOWN && have) {
        static const ev_severity by_id[] = {EV_SEV_UNKNOWN, EV_SEV_INFORMATIONAL, EV_SEV_LOW,
                                            EV_SEV_MEDIUM,  EV_SEV_HIGH,          EV_SEV_CRITICAL,
                                            EV_SEV_CRITICAL};
        if (sev_id >= 0 && sev_id <= 6)
            f->severity = by_id[sev_id]; /* Fatal counts as critical */
    }

    STR("cloud.account.uid", f->account);
    STR("unmapped.cloud.account.uid", f->account); /* Prowler's compliance output */
    STR("cloud.region", f->region);
    STR("unmapped.cloud.region", f->region);
    STR("resources[0].region", f->region);
    STR("resources[0].type", f->resource_type);
    STR("resources[0].uid", f->resource_id);
    STR("resource.type", f->resource_type); /* deprecated singular form (OCSF < 1.3) */
    STR("resource.uid", f->resource_id);
    STR("status", f->workflow);
#undef STR

    /* The newest time the finding states: when it was last modified, else when the event
     * (the scan) happened, else when it was created. */
    static const char *const times[] = {"finding_info.modified_time",
                                        "finding_info.modified_time_dt",
                                        "time",
                                        "time_dt",
                                        "event_time",
                                        "finding_info.created_time",
                                        "finding_info.created_time_dt"};
    bool have_time = false;
    for (size_t i = 0; i < sizeof times / sizeof *times && !have_time; i++)
        if ((rc = ev_reader_time(obj, times[i], el, file, f, &have_time, err)) != EV_OK)
            return rc;

    if ((rc = ev_reader_str(obj, "remediation.desc", el, file, &f->remediation, err)) != EV_OK)
        return rc;
    return remediation_url(obj, el, file, f, err);
}

/* Is the product Security Hub (any edition: "Security Hub", "Security Hub CSPM")? */
static bool from_security_hub(const cJSON *obj)
{
    const cJSON *v = ev_json_at(obj, "metadata.product.name");
    if (!cJSON_IsString(v))
        return false;
    for (const char *p = v->valuestring; *p; p++)
        if (strncasecmp(p, "security hub", 12) == 0)
            return true;
    return false;
}

/* compliance.status_id, or compliance.status when it is absent. */
static ev_status compliance_result(const cJSON *obj, const ev_json_element *el, const char *file,
                                   ev_finding *f, ev_error *err)
{
    int id;
    bool have;
    ev_status rc = int_at(obj, "compliance.status_id", el, file, &id, &have, err);
    if (rc == EV_OK)
        rc = ev_reader_str(obj, "compliance.status", el, file, &f->result_text, err);
    if (rc != EV_OK)
        return rc;
    static const char *const captions[] = {"Unknown", "Pass", "Warning", "Fail"};
    if (have) {
        static const ev_result by_id[] = {EV_RESULT_NOT_AVAILABLE, EV_RESULT_PASSED,
                                          EV_RESULT_WARNING, EV_RESULT_FAILED};
        f->result = id >= 0 && id <= 3 ? by_id[id] : EV_RESULT_UNRECOGNISED;
        if (!f->result_text) {
            ev_buf b = EV_BUF_INIT;
            if (id >= 0 && id <= 3)
                ev_buf_puts(&b, captions[id]);
            else
                ev_buf_printf(&b, "%s%d", id == 99 ? "Other " : "status_id ", id);
            f->result_text = ev_buf_detach(&b);
        }
        return EV_OK;
    }
    const char *s = f->result_text;
    if (!s)
        f->result = EV_RESULT_NONE;
    else if (strcasecmp(s, "Pass") == 0 || strcasecmp(s, "PASSED") == 0)
        f->result = EV_RESULT_PASSED;
    else if (strcasecmp(s, "Fail") == 0 || strcasecmp(s, "FAILED") == 0)
        f->result = EV_RESULT_FAILED;
    else if (strcasecmp(s, "Warning") == 0)
        f->result = EV_RESULT_WARNING;
    else if (strcasecmp(s, "Unknown") == 0 || strcasecmp(s, "NOT_AVAILABLE") == 0)
        f->result = EV_RESULT_NOT_AVAILABLE;
    else
        f->result = EV_RESULT_UNRECOGNISED;
    return EV_OK;
}

/* compliance.requirements, qualified by the one standard when they are bare ids. */
static ev_status requirements(const cJSON *obj, const ev_json_element *el, const char *file,
                              bool prowler, ev_finding *f, ev_error *err)
{
    const cJSON *std = ev_json_at(obj, "compliance.standards");
    const char *standard = NULL;
    if (std && !cJSON_IsNull(std)) {
        if (!cJSON_IsArray(std))
            return ev_reader_fail(el, file, "compliance.standards", err,
                                  "expected an array of strings in \"compliance.standards\"");
        const cJSON *it;
        int n = 0;
        cJSON_ArrayForEach(it, std)
        {
            if (!cJSON_IsString(it)) {
                char at[64];
                snprintf(at, sizeof at, "compliance.standards[%d]", n);
                return ev_reader_fail(el, file, at, err,
                                      "expected an array of strings in \"compliance.standards\"");
            }
            standard = it->valuestring;
            n++;
        }
        if (n != 1)
            standard = NULL;
    }
    const cJSON *req = ev_json_at(obj, "compliance.requirements");
    if (!req || cJSON_IsNull(req))
        return EV_OK;
    if (!cJSON_IsArray(req))
        return ev_reader_fail(el, file, "compliance.requirements", err,
                              "expected an array of strings in \"compliance.requirements\"");
    bool skipped = prowler && standard && ev_prowler_key_skipped(standard, strlen(standard));
    const cJSON *it;
    size_t i = 0;
    cJSON_ArrayForEach(it, req)
    {
        if (!cJSON_IsString(it)) {
            char at[64];
            snprintf(at, sizeof at, "compliance.requirements[%zu]", i);
            return ev_reader_fail(el, file, at, err,
                                  "expected an array of strings in \"compliance.requirements\"");
        }
        i++;
        const char *r = it->valuestring;
        if (!r[0] || skipped)
            continue;
        if (standard && !strchr(r, '/')) {
            ev_finding_add_requirement(f, standard, strlen(standard), r, strlen(r));
        } else {
            f->requirements =
                ev_xrealloc(f->requirements, (f->n_requirements + 1) * sizeof(char *));
            f->requirements[f->n_requirements++] = ev_xstrdup(r);
        }
    }
    return EV_OK;
}

ev_status ev_ocsf_read(const cJSON *obj, const ev_json_element *el, const char *file, ev_finding *f,
                       ev_error *err)
{
    ev_status rc = ev_ocsf_read_common(obj, el, file, "ocsf", f, err);
    if (rc != EV_OK)
        return rc;
    bool prowler = ev_ocsf_from_prowler(obj);
    bool hub = !prowler && from_security_hub(obj);
    if (prowler) {
        free(f->source);
        f->source = ev_xstrdup("prowler");
    } else if (hub) {
        free(f->source);
        f->source = ev_xstrdup("securityhub");
    }

    const cJSON *comp = cJSON_GetObjectItemCaseSensitive(obj, "compliance");
    if (comp && !cJSON_IsNull(comp) && !cJSON_IsObject(comp))
        return ev_reader_fail(el, file, "compliance", err, "expected an object in \"compliance\"");

    char *control = NULL, *code = NULL, *status_code = NULL;
    if ((rc = ev_reader_str(obj, "compliance.control", el, file, &control, err)) != EV_OK)
        goto out;
    if (prowler) {
        /* Prowler writes the requirement's description as the control; its check id is
         * the event code. "manual" marks a requirement no check covers. */
        if ((rc = ev_reader_str(obj, "metadata.event_code", el, file, &code, err)) != EV_OK)
            goto out;
        if (!code &&
            (rc = ev_reader_str(obj, "compliance.checks[0].uid", el, file, &code, err)) != EV_OK)
            goto out;
        if (code && code[0] && strcmp(code, "manual") != 0)
            f->check = ev_check_id("prowler", code);
    } else if (control && control[0]) {
        f->check = ev_check_id(hub ? "securityhub" : "ocsf", control);
    }

    if (prowler && (rc = ev_reader_str(obj, "status_code", el, file, &status_code, err)) != EV_OK)
        goto out;
    if (status_code && (strcmp(status_code, "PASS") == 0 || strcmp(status_code, "FAIL") == 0 ||
                        strcmp(status_code, "MANUAL") == 0)) {
        f->result = ev_prowler_result(status_code);
        f->result_text = status_code;
        status_code = NULL;
    } else {
        free(status_code);
        status_code = NULL;
        if ((rc = compliance_result(obj, el, file, f, err)) != EV_OK)
            goto out;
    }

    int status_id = 0, activity_id = 0;
    bool have_status, have_activity;
    if ((rc = int_at(obj, "status_id", el, file, &status_id, &have_status, err)) != EV_OK ||
        (rc = int_at(obj, "activity_id", el, file, &activity_id, &have_activity, err)) != EV_OK)
        goto out;
    const char *wf = f->workflow;
    f->suppressed = (have_status && status_id == 3) || (wf && strcasecmp(wf, "Suppressed") == 0);
    f->archived = (have_status && status_id == 5) || (wf && strcasecmp(wf, "Archived") == 0) ||
                  (have_activity && activity_id == 3);

    if ((rc = requirements(obj, el, file, prowler, f, err)) != EV_OK)
        goto out;
    if (!ev_finding_utf8_ok(f))
        rc = ev_error_set(err, EV_ERR_INPUT, file, el->line, el->col,
                          "invalid UTF-8 (from a \\u escape) in the finding's text");
out:
    free(control);
    free(code);
    return rc;
}
