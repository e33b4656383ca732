/* prowler_ocsf.c: the Prowler JSON-OCSF reader. Prowler writes an array of OCSF Detection
 * Findings (class_uid 2004), one per check and resource, in two shapes seen in the wild:
 * Prowler 4.2 (OCSF 1.2: class_name "DetectionFinding", times as ISO strings in
 * finding_info.created_time and event_time) and Prowler 4.5 and later (OCSF 1.3 and 1.4:
 * times as epoch seconds in time and finding_info.created_time, ISO text in time_dt).
 *
 * Field by field, beyond what every OCSF finding has (ocsf.c, ev_ocsf_read_common):
 *   metadata.event_code      -> check "prowler:<code>" (else metadata.product.feature.uid)
 *   status_code              -> result: PASS passed, FAIL failed, MANUAL warning (a human
 *                               must look: needs review); other text unrecognised
 *   status                   -> "Suppressed" (Prowler's muted findings): suppressed. The
 *                               status_id is not read: Prowler 4.2 wrote 3 for "New".
 *   unmapped.compliance      -> {"HIPAA": ["164_308_a_1_ii_a"], ...}: each key and id
 *                               become the reference "HIPAA/164_308_a_1_ii_a", except
 *                               PCI-4.0 (Prowler's row ids are not requirement numbers). */
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "util/buf.h"

static ev_status compliance_refs(const cJSON *obj, const ev_json_element *el, const char *file,
                                 ev_finding *f, ev_error *err)
{
    const char *path = "unmapped.compliance";
    const cJSON *comp = ev_json_at(obj, path);
    if (!comp || cJSON_IsNull(comp))
        return EV_OK;
    if (!cJSON_IsObject(comp))
        return ev_reader_fail(el, file, path, err, "expected an object of string arrays in \"%s\"",
                              path);
    const cJSON *member;
    cJSON_ArrayForEach(member, comp)
    {
        const char *key = member->string;
        if (!cJSON_IsArray(member))
            return ev_reader_fail_key(el, file, path, key, err,
                                      "expected an array of strings in \"%s.%s\"", path, key);
        bool skip = ev_prowler_key_skipped(key, strlen(key));
        const cJSON *it;
        cJSON_ArrayForEach(it, member)
        {
            if (!cJSON_IsString(it))
                return ev_reader_fail_key(el, file, path, key, err,
                                          "expected an array of strings in \"%s.%s\"", path, key);
            if (!skip && it->valuestring[0])
                ev_finding_add_requirement(f, key, strlen(key), it->valuestring,
                                           strlen(it->valuestring));
        }
    }
    return EV_OK;
}

ev_status ev_prowler_ocsf_read(const cJSON *obj, const ev_json_element *el, const char *file,
                               ev_finding *f, ev_error *err)
{
    ev_status rc = ev_ocsf_read_common(obj, el, file, "prowler", f, err);
    if (rc != EV_OK)
        return rc;
    char *code = NULL;
    if ((rc = ev_reader_str(obj, "metadata.event_code", el, file, &code, err)) != EV_OK)
        return rc;
    if (!code &&
        (rc = ev_reader_str(obj, "metadata.product.feature.uid", el, file, &code, err)) != EV_OK)
        return rc;
    if (code && code[0])
        f->check = ev_check_id("prowler", code);
    free(code);

    if ((rc = ev_reader_str(obj, "status_code", el, file, &f->result_text, err)) != EV_OK)
        return rc;
    f->result = ev_prowler_result(f->result_text);
    f->suppressed = f->workflow && strcmp(f->workflow, "Suppressed") == 0;

    if ((rc = compliance_refs(obj, el, file, f, err)) != EV_OK)
        return rc;
    if (!ev_finding_utf8_ok(f))
        return ev_error_set(err, EV_ERR_INPUT, file, el->line, el->col,
                            "invalid UTF-8 (from a \\u escape) in the finding's text");
    return EV_OK;
}
