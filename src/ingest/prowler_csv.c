/* prowler_csv.c: the readers of Prowler's two CSV outputs (both ';'-separated, with a
 * header line; columns are found by name, so the 42 to 44 columns of Prowler 4 and 5
 * read alike, in any order):
 *
 * The finding CSV (prowler-output-*.csv), one finding per line:
 *   FINDING_UID (required)     -> id
 *   CHECK_ID (required)        -> check "prowler:<id>"
 *   STATUS (required)          -> result: PASS passed, FAIL failed, MANUAL warning (needs
 *                                 review), other text unrecognised
 *   MUTED                      -> True: suppressed (True/False, any case; empty: False)
 *   SEVERITY, CHECK_TITLE, ACCOUNT_UID, REGION, RESOURCE_TYPE, RESOURCE_UID, TIMESTAMP,
 *   REMEDIATION_RECOMMENDATION_TEXT, REMEDIATION_RECOMMENDATION_URL
 *   COMPLIANCE                 -> "CIS-1.4: 1.20 | HIPAA: 164_308_a_1_ii_a, 164_312_b"
 *                                 gives "CIS-1.4/1.20", "HIPAA/164_308_a_1_ii_a" ...;
 *                                 PCI-4.0 ids are left out (Prowler's own row ids)
 *
 * The compliance CSV (compliance/<name>_<framework>_aws.csv), one row per requirement, check
 * and resource:
 *   REQUIREMENTS_ID, STATUS, CHECKID (required); FRAMEWORK (when present) with
 *   REQUIREMENTS_ID gives the reference "FRAMEWORK/ID" (not for PCI, whose version the file
 *   does not say); MUTED, ACCOUNTID, REGION, RESOURCEID, ASSESSMENTDATE,
 *   REQUIREMENTS_DESCRIPTION (the title). The id is
 *   FRAMEWORK|REQUIREMENTS_ID|CHECKID|ACCOUNTID|REGION|RESOURCEID; CHECKID "manual" (a
 *   requirement no check covers) gives no check. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/ingest.h"
#include "util/buf.h"

enum column {
    /* finding CSV */
    C_FINDING_UID,
    C_CHECK_ID,
    C_STATUS,
    C_MUTED,
    C_SEVERITY,
    C_CHECK_TITLE,
    C_ACCOUNT_UID,
    C_REGION,
    C_RESOURCE_TYPE,
    C_RESOURCE_UID,
    C_TIMESTAMP,
    C_REMEDIATION_TEXT,
    C_REMEDIATION_URL,
    C_COMPLIANCE,
    /* compliance CSV */
    C_REQUIREMENTS_ID,
    C_CHECKID,
    C_FRAMEWORK,
    C_ACCOUNTID,
    C_RESOURCEID,
    C_ASSESSMENTDATE,
    C_REQUIREMENTS_DESCRIPTION,
    C_COUNT
};

static const char *const column_names[C_COUNT] = {
    [C_FINDING_UID] = "FINDING_UID",
    [C_CHECK_ID] = "CHECK_ID",
    [C_STATUS] = "STATUS",
    [C_MUTED] = "MUTED",
    [C_SEVERITY] = "SEVERITY",
    [C_CHECK_TITLE] = "CHECK_TITLE",
    [C_ACCOUNT_UID] = "ACCOUNT_UID",
    [C_REGION] = "REGION",
    [C_RESOURCE_TYPE] = "RESOURCE_TYPE",
    [C_RESOURCE_UID] = "RESOURCE_UID",
    [C_TIMESTAMP] = "TIMESTAMP",
    [C_REMEDIATION_TEXT] = "REMEDIATION_RECOMMENDATION_TEXT",
    [C_REMEDIATION_URL] = "REMEDIATION_RECOMMENDATION_URL",
    [C_COMPLIANCE] = "COMPLIANCE",
    [C_REQUIREMENTS_ID] = "REQUIREMENTS_ID",
    [C_CHECKID] = "CHECKID",
    [C_FRAMEWORK] = "FRAMEWORK",
    [C_ACCOUNTID] = "ACCOUNTID",
    [C_RESOURCEID] = "RESOURCEID",
    [C_ASSESSMENTDATE] = "ASSESSMENTDATE",
    [C_REQUIREMENTS_DESCRIPTION] = "REQUIREMENTS_DESCRIPTION",
};

static const enum column finding_required[] = {C_FINDING_UID, C_CHECK_ID, C_STATUS};
static const enum column compliance_required[] = {C_REQUIREMENTS_ID, C_STATUS, C_CHECKID};

struct ev_prowler_csv {
    bool compliance;
    size_t n_columns;  /* in the header */
    long col[C_COUNT]; /* index of each known column, or -1 */
};

ev_status ev_prowler_csv_open(const ev_csv_record *header, bool compliance, const char *file,
                              ev_prowler_csv **out, ev_error *err)
{
    *out = NULL;
    const ev_csv_field *first = &header->fields[0];
    if (header->n == 1) {
        /* One column only: most likely another delimiter. */
        static const struct {
            char c;
            const char *shown;
        } others[] = {{',', ","}, {'\t', "\\t"}, {'|', "|"}};
        for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
            const char *at = memchr(first->text, others[i].c, first->len);
            if (at && !first->quoted)
                return ev_error_set(err, EV_ERR_INPUT, file, first->line,
                                    first->col + (long)(at - first->text),
                                    "expected ';'-separated columns: the header line is "
                                    "separated by '%s'",
                                    others[i].shown);
        }
    }
    ev_prowler_csv *pc = ev_xcalloc(1, sizeof *pc);
    pc->compliance = compliance;
    pc->n_columns = header->n;
    for (size_t c = 0; c < C_COUNT; c++)
        pc->col[c] = -1;
    for (size_t i = 0; i < header->n; i++)
        for (size_t c = 0; c < C_COUNT; c++)
            if (pc->col[c] < 0 && strcasecmp(header->fields[i].text, column_names[c]) == 0)
                pc->col[c] = (long)i;
    const enum column *req = compliance ? compliance_required : finding_required;
    for (size_t i = 0; i < 3; i++)
        if (pc->col[req[i]] < 0) {
            ev_prowler_csv_free(pc);
            return ev_error_set(err, EV_ERR_INPUT, file, first->line, first->col,
                                "expected a column named %s in the header line of a Prowler "
                                "%s",
                                column_names[req[i]], compliance ? "compliance CSV" : "CSV");
        }
    *out = pc;
    return EV_OK;
}

void ev_prowler_csv_free(ev_prowler_csv *pc)
{
    free(pc);
}

/* The field of a column, or NULL when the header has no such column. */
static const ev_csv_field *field(const ev_prowler_csv *pc, const ev_csv_record *rec, enum column c)
{
    return pc->col[c] < 0 ? NULL : &rec->fields[pc->col[c]];
}

/* A copy of the column's text, or NULL when it is absent or empty. */
static char *text(const ev_prowler_csv *pc, const ev_csv_record *rec, enum column c)
{
    const ev_csv_field *fl = field(pc, rec, c);
    return fl && fl->len ? ev_xstrndup(fl->text, fl->len) : NULL;
}

/* "KEY: a, b | KEY2: c" -> KEY/a, KEY/b, KEY2/c. A part without ": " is ignored. */
static void compliance_refs(const char *s, size_t len, ev_finding *f)
{
    const char *end = s + len;
    while (s < end) {
        const char *bar = memchr(s, '|', (size_t)(end - s));
        const char *part_end = bar ? bar : end;
        const char *colon = NULL;
        for (const char *p = s; p + 1 < part_end; p++)
            if (p[0] == ':' && p[1] == ' ') {
                colon = p;
                break;
            }
        if (colon) {
            const char *k = s, *ke = colon;
            while (k < ke && *k == ' ')
                k++;
            while (ke > k && ke[-1] == ' ')
                ke--;
            if (ke > k && !ev_prowler_key_skipped(k, (size_t)(ke - k))) {
                const char *v = colon + 2;
                while (v < part_end) {
                    const char *comma = v;
                    while (comma < part_end && *comma != ',')
                        comma++;
                    const char *a = v, *b = comma;
                    while (a < b && *a == ' ')
                        a++;
                    while (b > a && b[-1] == ' ')
                        b--;
                    if (b > a)
                        ev_finding_add_requirement(f, k, (size_t)(ke - k), a, (size_t)(b - a));
                    if (comma == part_end)
                        break;
                    v = comma + 1;
                }
            }
        }
        if (!bar)
            break;
        s = bar + 1;
    }
}

static ev_status fail_field(const ev_csv_field *fl, const char *file, ev_error *err,
                            const char *what, const char *column)
{
    return ev_error_set(err, EV_ERR_INPUT, file, fl->line, fl->col, "expected %s in column %s",
                        what, column);
}

ev_status ev_prowler_csv_read(const ev_prowler_csv *pc, const ev_csv_record *rec, const char *file,
                              ev_finding *f, ev_error *err)
{
    memset(f, 0, sizeof *f);
    const ev_csv_field *first = &rec->fields[0];
    if (rec->n != pc->n_columns) {
        const ev_csv_field *at = rec->n > pc->n_columns ? &rec->fields[pc->n_columns] : first;
        return ev_error_set(err, EV_ERR_INPUT, file, at->line, at->col,
                            "expected %zu fields, as in the header line, found %zu", pc->n_columns,
                            rec->n);
    }
    bool comp = pc->compliance;
    f->source = ev_xstrdup("prowler");
    f->file = ev_xstrdup(file);
    f->line = first->line;
    f->col = first->col;

    ev_status rc = EV_OK;
    if (!comp) {
        const ev_csv_field *uid = field(pc, rec, C_FINDING_UID);
        if (!uid->len)
            return fail_field(uid, file, err, "a non-empty finding id", "FINDING_UID");
        f->id = ev_xstrndup(uid->text, uid->len);
    } else {
        ev_buf id = EV_BUF_INIT;
        static const enum column parts[] = {C_FRAMEWORK, C_REQUIREMENTS_ID, C_CHECKID,
                                            C_ACCOUNTID, C_REGION,          C_RESOURCEID};
        for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
            const ev_csv_field *fl = field(pc, rec, parts[i]);
            if (i)
                ev_buf_putc(&id, '|');
            if (fl)
                ev_buf_put(&id, fl->text, fl->len);
        }
        f->id = ev_buf_detach(&id);
    }

    char *check = text(pc, rec, comp ? C_CHECKID : C_CHECK_ID);
    if (check && !(comp && strcmp(check, "manual") == 0))
        f->check = ev_check_id("prowler", check);
    free(check);

    const ev_csv_field *status = field(pc, rec, C_STATUS);
    f->result_text = ev_xstrndup(status->text, status->len);
    f->result = ev_prowler_result(f->result_text);

    const ev_csv_field *muted = field(pc, rec, C_MUTED);
    if (muted && muted->len) {
        if (strcasecmp(muted->text, "true") == 0)
            f->suppressed = true;
        else if (strcasecmp(muted->text, "false") != 0)
            return fail_field(muted, file, err, "True or False", "MUTED");
    }

    f->title = text(pc, rec, comp ? C_REQUIREMENTS_DESCRIPTION : C_CHECK_TITLE);
    f->severity_label = text(pc, rec, C_SEVERITY);
    f->severity = ev_severity_parse(f->severity_label);
    f->account = text(pc, rec, comp ? C_ACCOUNTID : C_ACCOUNT_UID);
    f->region = text(pc, rec, C_REGION);
    f->resource_type = text(pc, rec, C_RESOURCE_TYPE);
    f->resource_id = text(pc, rec, comp ? C_RESOURCEID : C_RESOURCE_UID);
    f->remediation = text(pc, rec, C_REMEDIATION_TEXT);
    f->remediation_url = text(pc, rec, C_REMEDIATION_URL);

    enum column tc = comp ? C_ASSESSMENTDATE : C_TIMESTAMP;
    f->updated_text = text(pc, rec, tc);
    if (f->updated_text && !ev_reader_parse_time(f->updated_text, &f->updated_at))
        return fail_field(field(pc, rec, tc), file, err,
                          "a timestamp (ISO 8601 or seconds since 1970)", column_names[tc]);

    if (!comp) {
        const ev_csv_field *cf = field(pc, rec, C_COMPLIANCE);
        if (cf)
            compliance_refs(cf->text, cf->len, f);
    } else {
        const ev_csv_field *fw = field(pc, rec, C_FRAMEWORK);
        const ev_csv_field *rq = field(pc, rec, C_REQUIREMENTS_ID);
        if (fw && fw->len && rq->len && strcasecmp(fw->text, "PCI") != 0 &&
            !ev_prowler_key_skipped(fw->text, fw->len))
            ev_finding_add_requirement(f, fw->text, fw->len, rq->text, rq->len);
    }
    return rc;
}
