/* test_readers.c: Check suite for the readers beyond ASFF: Prowler JSON-OCSF (4.2 and 5.x
 * shapes), Prowler's finding CSV and compliance CSV, AWS Config evaluation results and
 * OCSF compliance findings (Security Hub, another vendor, Prowler). Every real sample in
 * tests/data/{prowler,config,ocsf}/ is read, with its counts and several normalised
 * fields; format sniffing and the --input-format override; broken variants with their
 * exact line:col; the CSV reader's edge cases (embedded ';' and newlines, doubled quotes,
 * CRLF, BOM, chunk boundaries, limits) and columns found by name (42, 43, 44 columns).
 * Each test works in its own fresh folder under /tmp. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ev_check.h"
#include "ingest/csv.h"
#include "ingest/finding.h"
#include "ingest/ingest.h"
#include "ingest/json_stream.h"
#include "util/buf.h"
#include "util/date.h"

/* ---- fixtures ---- */

static char work[64];

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/evpack-test-readers-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(work));
}

static void rm_tree(const char *path)
{
    ev_test_rmtree(path);
}

static void teardown(void)
{
    rm_tree(work);
}

static const char *wpath(const char *rel)
{
    static char buf[8][4096];
    static int slot;
    char *p = buf[slot++ % 8];
    snprintf(p, 4096, "%s/%s", work, rel);
    return p;
}

static void write_bytes(const char *path, const char *data, size_t n)
{
    ev_test_write(path, data, n);
}

static void write_text(const char *path, const char *text)
{
    write_bytes(path, text, strlen(text));
}

/* The whole file, NUL-terminated; the caller frees it. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    ev_buf b = EV_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(&b, chunk, n);
    fclose(fp);
    if (len)
        *len = b.len;
    return ev_buf_detach(&b);
}

static const char *data(const char *rel)
{
    char buf[512];
    snprintf(buf, sizeof buf, "tests/data/%s", rel);
    return ev_test_path(buf);
}

static int64_t ts(const char *iso)
{
    int64_t t = 0;
    ck_assert_msg(ev_timestamp_parse(iso, &t), "bad test timestamp %s", iso);
    return t;
}

/* ---- collecting findings ---- */

typedef struct {
    ev_finding *f;
    size_t n, cap;
} found;

static void found_add(found *fs, const ev_finding *f)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->f = ev_xrealloc(fs->f, fs->cap * sizeof *fs->f);
    }
    ev_finding_copy(&fs->f[fs->n++], f);
}

static ev_status collect_fn(const ev_finding *f, void *ctx, ev_error *err)
{
    (void)err;
    found_add(ctx, f);
    return EV_OK;
}

static void found_free(found *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        ev_finding_clear(&fs->f[i]);
    free(fs->f);
    memset(fs, 0, sizeof *fs);
}

static bool has_req(const ev_finding *f, const char *ref)
{
    for (size_t i = 0; i < f->n_requirements; i++)
        if (strcmp(f->requirements[i], ref) == 0)
            return true;
    return false;
}

static ev_store *new_store(void)
{
    ev_store *st = NULL;
    ev_error err;
    ck_assert_int_eq(ev_store_new(work, &st, &err), EV_OK);
    return st;
}

/* Ingests path into st in the given format, expecting success and format_name; returns
 * the records read. */
static size_t ingest_into(ev_store *st, const char *path, ev_input_format format,
                          const char *format_name)
{
    ev_source src;
    ev_error err;
    ev_error_clear(&err);
    ev_status rc = ev_ingest_file_as(path, format, st, &src, NULL, NULL, &err);
    char msg[2048];
    ev_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == EV_OK, "ingest of %s failed: %s", path, msg);
    ck_assert_str_eq(src.path, path);
    ck_assert_str_eq(src.format, format_name);
    ck_assert_uint_gt(src.bytes, 0);
    ck_assert_uint_eq(strlen(src.sha256), 64);
    size_t n = src.records;
    ev_source_clear(&src);
    return n;
}

/* Ingests one file (sniffed) into a fresh store; returns the winning records. */
static found ingest_sniffed(const char *path, const char *format_name, size_t records,
                            size_t duplicates)
{
    ev_store *st = new_store();
    ck_assert_uint_eq(ingest_into(st, path, EV_FORMAT_AUTO, format_name), records);
    ck_assert_uint_eq(ev_store_records(st), records);
    ck_assert_uint_eq(ev_store_duplicates(st), duplicates);
    found fs = {NULL, 0, 0};
    ev_error err;
    ck_assert_int_eq(ev_store_each(st, collect_fn, &fs, &err), EV_OK);
    ev_store_free(st);
    return fs;
}

/* Expects ingesting path in format to fail with EV_ERR_INPUT at line:col, the message
 * containing frag. */
static void fails_as(const char *path, ev_input_format format, long line, long col,
                     const char *frag)
{
    ev_store *st = new_store();
    ev_source src;
    ev_error err;
    ev_error_clear(&err);
    ev_status rc = ev_ingest_file_as(path, format, st, &src, NULL, NULL, &err);
    char msg[2048];
    ev_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == EV_ERR_INPUT, "%s: status %d, expected an input error (%s)", path, rc, msg);
    ck_assert_str_eq(err.file, path);
    ck_assert_msg(err.line == line && err.col == col, "%s: at %ld:%ld, expected %ld:%ld (%s)", path,
                  err.line, err.col, line, col, msg);
    if (frag)
        ck_assert_msg(strstr(err.msg, frag) != NULL, "message \"%s\" lacks \"%s\"", err.msg, frag);
    ck_assert_ptr_null(src.path);
    ck_assert_ptr_null(src.format);
    ev_store_free(st);
}

static void text_fails(const char *name, const char *text, ev_input_format format, long line,
                       long col, const char *frag)
{
    const char *path = wpath(name);
    write_text(path, text);
    fails_as(path, format, line, col, frag);
}

typedef ev_status (*json_reader)(const cJSON *, const ev_json_element *, const char *, ev_finding *,
                                 ev_error *);

/* Every element of a JSON file through one reader, without de-duplication. */
static found read_elements(const char *path, json_reader read)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    ev_json_stream *js = ev_json_stream_new(fp, path);
    found fs = {NULL, 0, 0};
    for (;;) {
        ev_json_element el;
        int has;
        ev_error err;
        ck_assert_int_eq(ev_json_stream_next(js, &el, &has, &err), EV_OK);
        if (!has)
            break;
        cJSON *obj = cJSON_ParseWithLength(el.text, el.len);
        ck_assert_ptr_nonnull(obj);
        ev_finding f;
        ev_status rc = read(obj, &el, path, &f, &err);
        ck_assert_msg(rc == EV_OK, "%s element %zu: %s", path, el.index, err.msg);
        found_add(&fs, &f);
        ev_finding_clear(&f);
        cJSON_Delete(obj);
    }
    ev_json_stream_free(js);
    fclose(fp);
    return fs;
}

/* Every data record of a Prowler CSV file, without de-duplication. */
static found read_csv_records(const char *path, bool compliance)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    ev_csv *csv = ev_csv_new(fp, path, NULL);
    ev_csv_record rec;
    int has;
    ev_error err;
    ck_assert_int_eq(ev_csv_next(csv, &rec, &has, &err), EV_OK);
    ck_assert(has);
    ev_prowler_csv *pc = NULL;
    ck_assert_int_eq(ev_prowler_csv_open(&rec, compliance, path, &pc, &err), EV_OK);
    found fs = {NULL, 0, 0};
    for (;;) {
        ck_assert_int_eq(ev_csv_next(csv, &rec, &has, &err), EV_OK);
        if (!has)
            break;
        ev_finding f;
        ev_status rc = ev_prowler_csv_read(pc, &rec, path, &f, &err);
        ck_assert_msg(rc == EV_OK, "%s record %zu: %s", path, rec.index, err.msg);
        found_add(&fs, &f);
        ev_finding_clear(&f);
    }
    ev_prowler_csv_free(pc);
    ev_csv_free(csv);
    fclose(fp);
    return fs;
}

/* ---- Prowler JSON-OCSF ---- */

START_TEST(prowler_ocsf_5x_sample)
{
    const char *path = data("prowler/example_output_aws.ocsf.json");
    /* The published example writes the placeholder "<finding_uid>" for every finding, so
     * the five records are one finding re-delivered: the last one read wins. */
    found w = ingest_sniffed(path, "prowler-ocsf", 5, 4);
    ck_assert_uint_eq(w.n, 1);
    ck_assert_str_eq(w.f[0].check,
                     "prowler:account_security_questions_are_registered_in_the_aws_account");
    found_free(&w);

    found fs = read_elements(path, ev_prowler_ocsf_read);
    ck_assert_uint_eq(fs.n, 5);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->source, "prowler");
    ck_assert_str_eq(f->id, "<finding_uid>");
    ck_assert_str_eq(f->check, "prowler:accessanalyzer_enabled");
    ck_assert_str_eq(f->title, "Check if IAM Access Analyzer is enabled");
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_str_eq(f->result_text, "FAIL");
    ck_assert_int_eq(f->severity, EV_SEV_LOW);
    ck_assert_str_eq(f->severity_label, "Low");
    ck_assert_str_eq(f->workflow, "New");
    ck_assert(!f->suppressed && !f->archived);
    ck_assert_str_eq(f->account, "<account_uid>");
    ck_assert_str_eq(f->region, "<region>");
    ck_assert_str_eq(f->resource_type, "Other");
    ck_assert_str_eq(f->resource_id, "<resource_uid>");
    ck_assert_int_eq(f->updated_at, 1739539623); /* "time", epoch seconds */
    ck_assert_str_eq(f->updated_text, "2025-02-14T13:27:03Z");
    ck_assert(strncmp(f->remediation, "Enable IAM Access Analyzer", 26) == 0);
    /* the first reference is a CLI command: the first URL is taken */
    ck_assert_str_eq(
        f->remediation_url,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html");
    /* CIS-1.4, CIS-1.5, CIS-2.0, CIS-3.0 (1 each), two KISA keys (4 each), onboarding (3) */
    ck_assert_uint_eq(f->n_requirements, 15);
    ck_assert_str_eq(f->requirements[0], "CIS-1.4/1.20");
    ck_assert(has_req(f, "KISA-ISMS-P-2023/2.8.2"));
    ck_assert(
        has_req(f, "AWS-Account-Security-Onboarding/Create analyzers in each active regions"));
    ck_assert_int_eq(f->line, 2);
    ck_assert_int_eq(f->col, 3);

    size_t counts[EV_RESULT_COUNT] = {0};
    for (size_t i = 0; i < fs.n; i++)
        counts[fs.f[i].result]++;
    ck_assert_uint_eq(counts[EV_RESULT_FAILED], 2);
    ck_assert_uint_eq(counts[EV_RESULT_WARNING], 3); /* MANUAL: needs review */
    ck_assert_str_eq(fs.f[1].result_text, "MANUAL");
    ck_assert_str_eq(fs.f[1].check, "prowler:account_maintain_current_contact_details");
    ck_assert_int_eq(fs.f[1].severity, EV_SEV_MEDIUM);
    found_free(&fs);
}
END_TEST

START_TEST(prowler_ocsf_42_sample)
{
    const char *path = data("prowler/defectdojo_prowler_v3plus_one_vuln.ocsf.json");
    found fs = ingest_sniffed(path, "prowler-ocsf", 1, 0);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->id, "prowler-aws-iam_role_administratoraccess_policy_permissive_trust_"
                            "relationship-123456789012-us-east-1-myAdministratorExecutionRole");
    ck_assert_str_eq(f->check,
                     "prowler:iam_role_administratoraccess_policy_permissive_trust_relationship");
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_int_eq(f->severity, EV_SEV_HIGH);
    /* Prowler 4.2 wrote status_id 3 with status "New": only the text counts */
    ck_assert(!f->suppressed);
    ck_assert_str_eq(f->account, "123456789012");
    ck_assert_str_eq(f->region, "us-east-1");
    ck_assert_str_eq(f->resource_type, "AwsIamRole");
    ck_assert_str_eq(f->resource_id, "arn:aws:iam::123456789012:role/myAdministratorExecutionRole");
    /* no epoch "time" in this shape: event_time, an ISO string without offset (UTC) */
    ck_assert_str_eq(f->updated_text, "2024-06-03T14:15:19.382075");
    ck_assert_int_eq(f->updated_at, ts("2024-06-03T14:15:19Z"));
    ck_assert_uint_eq(f->n_requirements, 0);
    ck_assert_str_eq(f->remediation_url, "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
                                         "best-practices.html#grant-least-privilege");
    found_free(&fs);
}
END_TEST

START_TEST(prowler_ocsf_muted_sample)
{
    const char *path = data("prowler/defectdojo_prowler_v3plus_many_vuln_after_4_5_0.ocsf.json");
    found fs = ingest_sniffed(path, "prowler-ocsf", 3, 0);
    ck_assert(!fs.f[0].suppressed);
    ck_assert(!fs.f[1].suppressed);
    ck_assert(fs.f[2].suppressed); /* "status": "Suppressed": muted in Prowler */
    ck_assert_str_eq(fs.f[2].workflow, "Suppressed");
    ck_assert_int_eq(fs.f[2].result, EV_RESULT_FAILED);
    ck_assert_uint_eq(fs.f[1].n_requirements, 2);
    ck_assert_str_eq(fs.f[1].requirements[0], "MITRE-ATTACK/T1078");
    ck_assert_str_eq(fs.f[1].requirements[1], "AWS-Foundational-Technical-Review/IAM-0012");
    ck_assert_str_eq(fs.f[1].updated_text, "2024-06-03T14:15:19.382075"); /* time_dt */
    for (size_t i = 0; i < 3; i++)
        ck_assert_str_eq(fs.f[i].source, "prowler");
    found_free(&fs);
}
END_TEST

START_TEST(prowler_ocsf_mapping)
{
    /* HIPAA, SOC2, GDPR and CIS keys become references; PCI-4.0 row ids never do */
    found fs;
    const char *path = wpath("p.json");
    write_text(path,
               "[{\"class_uid\": 2004, \"metadata\": {\"event_code\": \"iam_root_mfa_enabled\","
               " \"product\": {\"name\": \"Prowler\"}}, \"status_code\": \"PASS\","
               " \"finding_info\": {\"uid\": \"u1\", \"created_time\": 1700000000},"
               " \"unmapped\": {\"compliance\": {\"PCI-4.0\": [\"8.4.2\", \"3.5.1.1\"],"
               " \"HIPAA\": [\"164_308_a_1_ii_a\"], \"SOC2\": [\"cc_6_1\"],"
               " \"GDPR\": [\"article_32\"], \"CIS-3.0\": [\"1.5\", \"\"],"
               " \"PCI-3.2.1\": [\"8.3.1\"]}}},"
               " {\"class_uid\": 2004, \"metadata\": {\"product\": {\"name\": \"Prowler\","
               " \"feature\": {\"uid\": \"ec2_ebs_default_encryption\"}}},"
               " \"status_code\": \"INFOED\", \"finding_info\": {\"uid\": \"u2\"},"
               " \"unmapped\": {\"compliance\": null}}]");
    fs = ingest_sniffed(path, "prowler-ocsf", 2, 0);
    const ev_finding *f = &fs.f[0];
    ck_assert_int_eq(f->result, EV_RESULT_PASSED);
    ck_assert_uint_eq(f->n_requirements, 5);
    ck_assert(has_req(f, "HIPAA/164_308_a_1_ii_a"));
    ck_assert(has_req(f, "SOC2/cc_6_1"));
    ck_assert(has_req(f, "GDPR/article_32"));
    ck_assert(has_req(f, "CIS-3.0/1.5"));
    ck_assert(has_req(f, "PCI-3.2.1/8.3.1"));
    ck_assert(!has_req(f, "PCI-4.0/8.4.2"));
    ck_assert_int_eq(f->updated_at, 1700000000); /* finding_info.created_time */
    ck_assert_int_eq(f->severity, EV_SEV_UNKNOWN);
    f = &fs.f[1];
    ck_assert_str_eq(f->check, "prowler:ec2_ebs_default_encryption"); /* feature.uid */
    ck_assert_int_eq(f->result, EV_RESULT_UNRECOGNISED);
    ck_assert_str_eq(f->result_text, "INFOED");
    ck_assert_int_eq(f->updated_at, 0);
    ck_assert_ptr_null(f->updated_text);
    found_free(&fs);
}
END_TEST

/* ---- Prowler CSV ---- */

START_TEST(prowler_csv_sample)
{
    const char *path = data("prowler/example_output_aws.csv");
    found w = ingest_sniffed(path, "prowler-csv", 4, 3); /* "<finding_uid>" everywhere */
    ck_assert_uint_eq(w.n, 1);
    found_free(&w);

    found fs = read_csv_records(path, false);
    ck_assert_uint_eq(fs.n, 4);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->source, "prowler");
    ck_assert_str_eq(f->id, "<finding_uid>");
    ck_assert_str_eq(f->check, "prowler:accessanalyzer_enabled");
    ck_assert_str_eq(f->title, "Check if IAM Access Analyzer is enabled");
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_int_eq(f->severity, EV_SEV_LOW);
    ck_assert_str_eq(f->severity_label, "low");
    ck_assert(!f->suppressed);
    ck_assert_str_eq(f->account, "<account_uid>");
    ck_assert_str_eq(f->region, "<region>");
    ck_assert_str_eq(f->resource_type, "Other");
    ck_assert_str_eq(f->resource_id, "<resource_uid>");
    /* Prowler writes local time without an offset: it is taken as UTC (the OCSF export of
     * the same scan says 13:27:03Z) */
    ck_assert_str_eq(f->updated_text, "2025-02-14 14:27:03.913874");
    ck_assert_int_eq(f->updated_at, ts("2025-02-14T14:27:03Z"));
    ck_assert_str_eq(
        f->remediation_url,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html");
    ck_assert_uint_eq(f->n_requirements, 15);
    ck_assert_str_eq(f->requirements[0], "CIS-1.4/1.20");
    ck_assert_str_eq(f->requirements[14], "CIS-3.0/1.20");
    ck_assert(has_req(f, "AWS-Account-Security-Onboarding/Verify that events are present in "
                         "SecurityHub aggregated view"));
    ck_assert_int_eq(f->line, 2);
    ck_assert_int_eq(f->col, 1);
    ck_assert_int_eq(fs.f[1].result, EV_RESULT_WARNING);
    ck_assert_str_eq(fs.f[1].result_text, "MANUAL");
    ck_assert_str_eq(fs.f[3].resource_id, "<resource_uid>:root");
    ck_assert(has_req(&fs.f[3], "AWS-Foundational-Security-Best-Practices/acm"));
    ck_assert_int_eq(fs.f[3].line, 5);

    /* The CSV and the JSON-OCSF export of the same scan give the same references, except
     * that the CSV cannot tell an id holding ", " from two ids: Prowler joins a key's ids
     * with ", " ("AWS-Account-Security-Onboarding: Billing, emergency, security
     * contacts" is one id in the JSON, three in the CSV). */
    found js = read_elements(data("prowler/example_output_aws.ocsf.json"), ev_prowler_ocsf_read);
    size_t compared = 0;
    for (size_t i = 0; i < fs.n; i++) {
        const ev_finding *o = NULL;
        for (size_t j = 0; j < js.n && !o; j++)
            if (strcmp(js.f[j].check, fs.f[i].check) == 0)
                o = &js.f[j];
        ck_assert_ptr_nonnull(o);
        ck_assert_int_eq(o->result, fs.f[i].result);
        size_t with_comma = 0;
        for (size_t r = 0; r < o->n_requirements; r++) {
            if (strchr(o->requirements[r], ','))
                with_comma++;
            else
                ck_assert_msg(has_req(&fs.f[i], o->requirements[r]), "%s lacks %s", fs.f[i].check,
                              o->requirements[r]);
        }
        if (!with_comma) {
            ck_assert_uint_eq(o->n_requirements, fs.f[i].n_requirements);
            compared++;
        }
    }
    ck_assert_uint_eq(compared, 2);
    ck_assert(has_req(&fs.f[1], "AWS-Account-Security-Onboarding/Billing"));
    ck_assert(has_req(&fs.f[1], "AWS-Account-Security-Onboarding/security contacts"));
    found_free(&js);
    found_free(&fs);
}
END_TEST

START_TEST(prowler_compliance_csv_sample)
{
    const char *path = data("prowler/test_expected_generic_compliance_nist_800_53_r4_aws.csv");
    found fs = ingest_sniffed(path, "prowler-compliance-csv", 2, 0);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->id, "NIST-800-53-Revision-4|ac_2_4|service_test_check_id|123456789012|"
                            "eu-west-1|");
    ck_assert_str_eq(f->check, "prowler:service_test_check_id");
    ck_assert_int_eq(f->result, EV_RESULT_PASSED);
    ck_assert_str_eq(f->title, "Account Management");
    ck_assert_str_eq(f->account, "123456789012");
    ck_assert_str_eq(f->region, "eu-west-1");
    ck_assert_ptr_null(f->resource_id); /* empty */
    ck_assert_int_eq(f->updated_at, ts("2025-02-14T14:27:03Z"));
    ck_assert_uint_eq(f->n_requirements, 1);
    ck_assert_str_eq(f->requirements[0], "NIST-800-53-Revision-4/ac_2_4");
    ck_assert_int_eq(f->severity, EV_SEV_UNKNOWN);
    f = &fs.f[1];
    ck_assert_ptr_null(f->check); /* CHECKID "manual" */
    ck_assert_int_eq(f->result, EV_RESULT_WARNING);
    ck_assert_str_eq(f->resource_id, "manual_check");
    ck_assert_ptr_null(f->account);
    ck_assert_str_eq(f->requirements[0], "NIST-800-53-Revision-4/ac_2_5");
    ck_assert_int_eq(f->line, 3); /* CRLF line ends */
    found_free(&fs);
}
END_TEST

/* A finding CSV with the columns in another order, extra columns and quoted fields. */
START_TEST(prowler_csv_columns_by_name)
{
    static const char *const extra[] = {"", "RESOURCE_METADATA;", "RESOURCE_METADATA;SCAN_ID;"};
    for (size_t k = 0; k < 3; k++) {
        ev_buf b = EV_BUF_INIT;
        /* 42, 43, 44 columns: the sample's 42 in reverse order, plus 0, 1, 2 new ones */
        char *sample = slurp(data("prowler/example_output_aws.csv"), NULL);
        char *nl = strchr(sample, '\n');
        *nl = '\0';
        char *cols[64];
        size_t n = 0;
        for (char *t = strtok(sample, ";"); t; t = strtok(NULL, ";"))
            cols[n++] = t;
        ck_assert_uint_eq(n, 42);
        ev_buf_puts(&b, extra[k]);
        for (size_t i = n; i-- > 0;)
            ev_buf_printf(&b, "%s%s", cols[i], i ? ";" : "\r\n");
        for (size_t row = 0; row < 2; row++) {
            ev_buf_puts(&b, extra[k][0] ? (k == 1 ? "{};" : "{};scan-1;") : "");
            for (size_t i = n; i-- > 0;) {
                const char *v = "";
                if (strcmp(cols[i], "FINDING_UID") == 0)
                    v = row ? "uid-2" : "uid-1";
                else if (strcmp(cols[i], "CHECK_ID") == 0)
                    v = "s3_bucket_default_encryption";
                else if (strcmp(cols[i], "STATUS") == 0)
                    v = row ? "PASS" : "FAIL";
                else if (strcmp(cols[i], "MUTED") == 0)
                    v = row ? "True" : "false";
                else if (strcmp(cols[i], "CHECK_TITLE") == 0)
                    v = "\"Check \"\"default\"\" encryption; at rest\nof S3 buckets\"";
                else if (strcmp(cols[i], "COMPLIANCE") == 0)
                    v = "\"PCI-4.0: 3.5.1 | HIPAA: 164_312_a_2_iv, 164_312_e_2_ii | SOC2: cc_6_1\"";
                else if (strcmp(cols[i], "TIMESTAMP") == 0)
                    v = "1739539623";
                ev_buf_printf(&b, "%s%s", v, i ? ";" : "\r\n");
            }
        }
        free(sample);
        const char *path = wpath("cols.csv");
        write_bytes(path, b.data, b.len);
        ev_buf_free(&b);
        found fs = ingest_sniffed(path, "prowler-csv", 2, 0);
        const ev_finding *f = &fs.f[0];
        ck_assert_str_eq(f->id, "uid-1");
        ck_assert_str_eq(f->check, "prowler:s3_bucket_default_encryption");
        ck_assert_int_eq(f->result, EV_RESULT_FAILED);
        ck_assert(!f->suppressed);
        ck_assert_str_eq(f->title, "Check \"default\" encryption; at rest\nof S3 buckets");
        ck_assert_uint_eq(f->n_requirements, 3);
        ck_assert_str_eq(f->requirements[0], "HIPAA/164_312_a_2_iv");
        ck_assert_str_eq(f->requirements[1], "HIPAA/164_312_e_2_ii");
        ck_assert_str_eq(f->requirements[2], "SOC2/cc_6_1");
        ck_assert_int_eq(f->updated_at, 1739539623); /* --unix-timestamp output */
        ck_assert_ptr_null(f->account);              /* empty field */
        ck_assert_int_eq(f->line, 2);
        ck_assert_int_eq(fs.f[1].result, EV_RESULT_PASSED);
        ck_assert(fs.f[1].suppressed);     /* MUTED True */
        ck_assert_int_eq(fs.f[1].line, 4); /* the title spans two lines */
        found_free(&fs);
    }
}
END_TEST

/* ---- AWS Config ---- */

START_TEST(config_samples)
{
    const char *by_rule =
        data("config/awscli_example_get-compliance-details-by-config-rule_1.json");
    const char *by_res = data("config/awscli_example_get-compliance-details-by-resource_1.json");
    found fs = ingest_sniffed(by_rule, "config", 3, 0);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->source, "config");
    ck_assert_str_eq(f->id, "InstanceTypesAreT2micro|AWS::EC2::Instance|i-1a2b3c4d");
    ck_assert_str_eq(f->check, "config:InstanceTypesAreT2micro");
    ck_assert_str_eq(f->title, "InstanceTypesAreT2micro");
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_str_eq(f->result_text, "NON_COMPLIANT");
    ck_assert_int_eq(f->severity, EV_SEV_UNKNOWN);
    ck_assert_str_eq(f->resource_type, "AWS::EC2::Instance");
    ck_assert_str_eq(f->resource_id, "i-1a2b3c4d");
    ck_assert_ptr_null(f->account);
    ck_assert_int_eq(f->updated_at, 1450314645); /* ResultRecordedTime 1450314645.261 */
    ck_assert_str_eq(f->updated_text, "2015-12-17T01:10:45Z");
    ck_assert_int_eq(f->line, 3);
    ck_assert_int_eq(f->col, 9);
    ck_assert_str_eq(fs.f[2].resource_id, "i-3a2b3c4d");
    found_free(&fs);

    fs = ingest_sniffed(by_res, "config", 2, 0);
    ck_assert_str_eq(fs.f[1].check, "config:RequiredTagForEC2Instances");
    found_free(&fs);

    /* Both files: the evaluation of InstanceTypesAreT2micro on i-1a2b3c4d is in each;
     * the one recorded later (in the by-rule file) wins although it was read first. */
    ev_store *st = new_store();
    ingest_into(st, by_rule, EV_FORMAT_AUTO, "config");
    ingest_into(st, by_res, EV_FORMAT_CONFIG, "config");
    ck_assert_uint_eq(ev_store_records(st), 5);
    ck_assert_uint_eq(ev_store_duplicates(st), 1);
    fs = (found){NULL, 0, 0};
    ev_error err;
    ck_assert_int_eq(ev_store_each(st, collect_fn, &fs, &err), EV_OK);
    ck_assert_uint_eq(fs.n, 4);
    for (size_t i = 0; i < fs.n; i++)
        if (strcmp(fs.f[i].id, "InstanceTypesAreT2micro|AWS::EC2::Instance|i-1a2b3c4d") == 0)
            ck_assert_int_eq(fs.f[i].updated_at, 1450314645);
    found_free(&fs);
    ev_store_free(st);

    fs = ingest_sniffed(data("config/awscli_example_describe-compliance-by-config-rule_1.json"),
                        "config", 2, 0);
    ck_assert_str_eq(fs.f[0].id, "InstanceTypesAreT2micro");
    ck_assert_str_eq(fs.f[1].check, "config:RequiredTagsForVolumes");
    ck_assert_int_eq(fs.f[1].result, EV_RESULT_FAILED);
    ck_assert_ptr_null(fs.f[1].resource_id);
    ck_assert_int_eq(fs.f[1].updated_at, 0);
    found_free(&fs);

    fails_as(data("config/awscli_example_get-compliance-summary-by-config-rule_1.json"),
             EV_FORMAT_AUTO, 2, 26,
             "a compliance summary holds counts only, no rule results: use aws configservice "
             "get-compliance-details-by-config-rule");
}
END_TEST

START_TEST(config_results_and_shapes)
{
    const char *path = wpath("agg.json");
    write_text(path,
               "{\"AggregateEvaluationResults\": [\n"
               " {\"EvaluationResultIdentifier\": {\"EvaluationResultQualifier\": {"
               "\"ConfigRuleName\": \"OrgConfigRule-root-account-mfa-enabled-abc123\","
               " \"ResourceType\": \"AWS::::Account\", \"ResourceId\": \"111122223333\"},"
               " \"OrderingTimestamp\": \"2026-09-01T10:00:00.000000+00:00\"},"
               " \"ComplianceType\": \"COMPLIANT\", \"AccountId\": \"111122223333\","
               " \"AwsRegion\": \"eu-west-1\"},\n"
               " {\"EvaluationResultIdentifier\": {\"EvaluationResultQualifier\": {"
               "\"ConfigRuleName\": \"r\", \"ResourceType\": \"T\", \"ResourceId\": \"x\"}},"
               " \"ComplianceType\": \"NOT_APPLICABLE\","
               " \"ResultRecordedTime\": \"2026-09-02T00:00:00+02:00\"},\n"
               " {\"EvaluationResultIdentifier\": {\"EvaluationResultQualifier\": {"
               "\"ConfigRuleName\": \"r\", \"ResourceType\": \"T\", \"ResourceId\": \"y\"}},"
               " \"ComplianceType\": \"INSUFFICIENT_DATA\"},\n"
               " {\"EvaluationResultIdentifier\": {\"EvaluationResultQualifier\": {"
               "\"ConfigRuleName\": \"r\", \"ResourceType\": \"T\", \"ResourceId\": \"z\"}},"
               " \"ComplianceType\": \"MAYBE\"},\n"
               " {\"EvaluationResultIdentifier\": {\"EvaluationResultQualifier\": {"
               "\"ConfigRuleName\": \"r\", \"ResourceType\": \"T\", \"ResourceId\": \"w\"}}}\n"
               "], \"NextToken\": null}");
    found fs = ingest_sniffed(path, "config", 5, 0);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->id, "OrgConfigRule-root-account-mfa-enabled-abc123|AWS::::Account|"
                            "111122223333|111122223333|eu-west-1");
    ck_assert_str_eq(f->check, "config:OrgConfigRule-root-account-mfa-enabled-abc123");
    ck_assert_int_eq(f->result, EV_RESULT_PASSED);
    ck_assert_str_eq(f->account, "111122223333");
    ck_assert_str_eq(f->region, "eu-west-1");
    ck_assert_int_eq(f->updated_at, ts("2026-09-01T10:00:00Z")); /* OrderingTimestamp */
    ck_assert_int_eq(fs.f[1].result, EV_RESULT_NONE);            /* NOT_APPLICABLE */
    ck_assert_str_eq(fs.f[1].result_text, "NOT_APPLICABLE");
    ck_assert_int_eq(fs.f[1].updated_at, ts("2026-09-01T22:00:00Z"));
    ck_assert_int_eq(fs.f[2].result, EV_RESULT_NOT_AVAILABLE);
    ck_assert_int_eq(fs.f[3].result, EV_RESULT_UNRECOGNISED);
    ck_assert_str_eq(fs.f[3].result_text, "MAYBE");
    ck_assert_int_eq(fs.f[4].result, EV_RESULT_NONE);
    ck_assert_ptr_null(fs.f[4].result_text);
    found_free(&fs);

    /* a single evaluation result object, and an empty result list */
    write_text(path, "{\"EvaluationResultIdentifier\": {\"EvaluationResultQualifier\": "
                     "{\"ConfigRuleName\": \"s3-bucket-ssl-requests-only\"}}, "
                     "\"ComplianceType\": \"NON_COMPLIANT\"}");
    fs = ingest_sniffed(path, "config", 1, 0);
    ck_assert_str_eq(fs.f[0].id, "s3-bucket-ssl-requests-only||");
    found_free(&fs);
    write_text(path, "{\"EvaluationResults\": []}");
    fs = ingest_sniffed(path, "config", 0, 0);
    found_free(&fs);
}
END_TEST

/* ---- OCSF compliance findings ---- */

START_TEST(ocsf_securityhub)
{
    found fs = ingest_sniffed(data("ocsf/securityhub_ocsf_findings.json"), "ocsf", 4, 0);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->source, "securityhub");
    ck_assert_str_eq(f->id, "arn:aws:securityhub:eu-west-1:111122223333:security-control/IAM.6/"
                            "finding/0f1e2d3c-0001");
    ck_assert_str_eq(f->check, "securityhub:IAM.6");
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_str_eq(f->result_text, "Fail");
    ck_assert_int_eq(f->severity, EV_SEV_CRITICAL);
    ck_assert_str_eq(f->account, "111122223333");
    ck_assert_str_eq(f->region, "eu-west-1");
    ck_assert_str_eq(f->resource_type, "AwsAccount");
    /* modified_time in milliseconds, as OCSF defines timestamp_t */
    ck_assert_int_eq(f->updated_at, ts("2026-09-01T10:00:00Z"));
    ck_assert_str_eq(f->updated_text, "2026-09-01T10:00:00Z");
    /* two standards: the references are kept as written */
    ck_assert_uint_eq(f->n_requirements, 2);
    ck_assert_str_eq(f->requirements[0], "PCI DSS v4.0.1/8.4.2");
    ck_assert_str_eq(f->requirements[1], "NIST.800-53.r5 AC-2(1)");
    ck_assert_str_eq(f->remediation, "Enable hardware MFA for the root user.");
    ck_assert(!f->suppressed && !f->archived);
    ck_assert_int_eq(f->line, 3);
    ck_assert_int_eq(f->col, 5);

    ck_assert_int_eq(fs.f[1].result, EV_RESULT_PASSED);
    ck_assert(fs.f[1].suppressed); /* status_id 3 */
    ck_assert_int_eq(fs.f[1].updated_at, ts("2026-09-02T08:30:00Z"));
    ck_assert_int_eq(fs.f[2].result, EV_RESULT_WARNING);
    ck_assert(fs.f[2].archived);                                      /* activity_id 3: Close */
    ck_assert_int_eq(fs.f[2].updated_at, ts("2026-09-02T10:00:00Z")); /* seconds */
    ck_assert_int_eq(fs.f[3].result, EV_RESULT_UNRECOGNISED);
    ck_assert_str_eq(fs.f[3].result_text, "Errored");
    ck_assert_int_eq(fs.f[3].updated_at, 0);
    found_free(&fs);
}
END_TEST

START_TEST(ocsf_other_vendor)
{
    found fs = ingest_sniffed(data("ocsf/compliance_finding_other_vendor.json"), "ocsf", 2, 0);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->source, "ocsf");
    ck_assert_str_eq(f->check, "ocsf:KMS-ROTATION");
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_str_eq(f->result_text, "Fail");
    ck_assert_int_eq(f->severity, EV_SEV_HIGH);
    ck_assert_str_eq(f->severity_label, "High");
    /* one standard and a bare id: qualified, so it can join a framework namespace */
    ck_assert_uint_eq(f->n_requirements, 1);
    ck_assert_str_eq(f->requirements[0], "PCI DSS v4.0.1/3.7.4");
    ck_assert_int_eq(f->updated_at, ts("2026-09-03T12:00:00Z"));
    f = &fs.f[1];
    ck_assert_int_eq(f->result, EV_RESULT_PASSED); /* compliance.status "Pass" */
    ck_assert_int_eq(f->severity, EV_SEV_LOW);
    ck_assert_str_eq(f->resource_type, "AWS::S3::Bucket"); /* deprecated "resource" */
    ck_assert_str_eq(f->resource_id, "arn:aws:s3:::example-bucket");
    found_free(&fs);
}
END_TEST

START_TEST(ocsf_prowler_compliance)
{
    found fs = ingest_sniffed(data("ocsf/prowler_ocsf_compliance_findings.json"), "ocsf", 3, 0);
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->source, "prowler");
    ck_assert_str_eq(f->check, "prowler:iam_root_mfa_enabled");
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_str_eq(f->result_text, "FAIL");
    ck_assert_str_eq(f->account, "111122223333"); /* unmapped.cloud */
    ck_assert_str_eq(f->region, "us-east-1");
    ck_assert_uint_eq(f->n_requirements, 1);
    ck_assert_str_eq(f->requirements[0], "HIPAA/164_308_a_1_ii_a");
    f = &fs.f[1];
    ck_assert_int_eq(f->result, EV_RESULT_PASSED);
    ck_assert(f->suppressed);
    ck_assert_uint_eq(f->n_requirements, 0); /* PCI-4.0 row ids are left out */
    f = &fs.f[2];
    ck_assert_ptr_null(f->check); /* event_code "manual" */
    ck_assert_int_eq(f->result, EV_RESULT_WARNING);
    ck_assert_str_eq(f->requirements[0], "SOC2/cc_1_1");
    ck_assert_int_eq(f->severity, EV_SEV_UNKNOWN);
    found_free(&fs);
}
END_TEST

START_TEST(ocsf_statuses)
{
    const char *path = wpath("s.json");
    write_text(path, "[{\"class_uid\": 2003, \"finding_info\": {\"uid\": \"a\"}, "
                     "\"compliance\": {\"status_id\": 0}, \"status_id\": 5},"
                     " {\"class_uid\": 2003, \"finding_info\": {\"uid\": \"b\"},"
                     " \"compliance\": {\"status_id\": 7}, \"status\": \"Archived\"},"
                     " {\"class_uid\": 2003, \"finding_info\": {\"uid\": \"c\"},"
                     " \"compliance\": {\"status\": \"Sideways\"}, \"severity_id\": 6},"
                     " {\"class_uid\": 2004, \"finding_info\": {\"uid\": \"d\"}}]");
    found fs = ingest_sniffed(path, "ocsf", 4, 0);
    ck_assert_int_eq(fs.f[0].result, EV_RESULT_NOT_AVAILABLE);
    ck_assert_str_eq(fs.f[0].result_text, "Unknown");
    ck_assert(fs.f[0].archived);
    ck_assert_int_eq(fs.f[1].result, EV_RESULT_UNRECOGNISED);
    ck_assert_str_eq(fs.f[1].result_text, "status_id 7");
    ck_assert(fs.f[1].archived);
    ck_assert_int_eq(fs.f[2].result, EV_RESULT_UNRECOGNISED);
    ck_assert_str_eq(fs.f[2].result_text, "Sideways");
    ck_assert_int_eq(fs.f[2].severity, EV_SEV_CRITICAL); /* Fatal */
    ck_assert_str_eq(fs.f[2].severity_label, "Fatal");
    ck_assert_int_eq(fs.f[3].result, EV_RESULT_NONE); /* no compliance object */
    ck_assert_ptr_null(fs.f[3].check);
    found_free(&fs);
}
END_TEST

/* ---- sniffing and the format option ---- */

START_TEST(format_names)
{
    static const char *const names[] = {
        "auto", "asff", "prowler-ocsf", "prowler-csv", "prowler-compliance-csv", "config", "ocsf"};
    for (int i = 0; i < EV_FORMAT_COUNT; i++) {
        ck_assert_int_eq(ev_input_format_parse(names[i]), i);
        ck_assert_str_eq(ev_input_format_name((ev_input_format)i), names[i]);
        ck_assert_ptr_nonnull(strstr(EV_INPUT_FORMAT_NAMES, names[i]));
    }
    ck_assert_int_eq(ev_input_format_parse("ASFF"), EV_FORMAT_INVALID);
    ck_assert_int_eq(ev_input_format_parse("csv"), EV_FORMAT_INVALID);
    ck_assert_int_eq(ev_input_format_parse(""), EV_FORMAT_INVALID);
    ck_assert_int_eq(ev_input_format_parse(NULL), EV_FORMAT_INVALID);
    ck_assert_str_eq(ev_input_format_name(EV_FORMAT_INVALID), "invalid");
    ck_assert_str_eq(ev_input_format_name(EV_FORMAT_COUNT), "invalid");

    ev_store *st = new_store();
    ev_source src;
    ev_error err;
    ck_assert_int_eq(ev_ingest_file_as(data("config/awscli_example_get-compliance-details-by-"
                                            "resource_1.json"),
                                       EV_FORMAT_INVALID, st, &src, NULL, NULL, &err),
                     EV_ERR_USAGE);
    ck_assert_ptr_null(src.path);
    ev_store_free(st);
}
END_TEST

typedef struct {
    const char *file;
    const char *format;
} sniff_case;

static const sniff_case sniff_cases[] = {
    {"asff/awscli_example_get-findings_1.json", "asff"},
    {"asff/awsdocs_securityhub_sample-finding-fsbp.json", "asff"},
    {"prowler/example_output_aws.ocsf.json", "prowler-ocsf"},
    {"prowler/defectdojo_prowler_v3plus_one_vuln.ocsf.json", "prowler-ocsf"},
    {"prowler/defectdojo_prowler_v3plus_many_vuln_after_4_5_0.ocsf.json", "prowler-ocsf"},
    {"prowler/example_output_aws.csv", "prowler-csv"},
    {"prowler/test_expected_generic_compliance_nist_800_53_r4_aws.csv", "prowler-compliance-csv"},
    {"config/awscli_example_get-compliance-details-by-config-rule_1.json", "config"},
    {"config/awscli_example_get-compliance-details-by-resource_1.json", "config"},
    {"config/awscli_example_describe-compliance-by-config-rule_1.json", "config"},
    {"ocsf/securityhub_ocsf_findings.json", "ocsf"},
    {"ocsf/compliance_finding_other_vendor.json", "ocsf"},
    {"ocsf/prowler_ocsf_compliance_findings.json", "ocsf"},
};

START_TEST(sniff_samples)
{
    const sniff_case *c = &sniff_cases[_i];
    ev_store *st = new_store();
    size_t n = ingest_into(st, data(c->file), EV_FORMAT_AUTO, c->format);
    ck_assert_uint_gt(n, 0);
    /* the explicit format reads it the same */
    ev_store *st2 = new_store();
    ck_assert_uint_eq(ingest_into(st2, data(c->file), ev_input_format_parse(c->format), c->format),
                      n);
    ev_store_free(st2);
    ev_store_free(st);
}
END_TEST

/* The same bytes from standard input are sniffed alike. */
START_TEST(sniff_stdin)
{
    const char *path = data("prowler/example_output_aws.csv");
    ck_assert_ptr_nonnull(freopen(path, "rb", stdin));
    ev_store *st = new_store();
    ev_source src;
    ev_error err;
    ck_assert_int_eq(ev_ingest_file("-", st, &src, NULL, NULL, &err), EV_OK);
    ck_assert_str_eq(src.format, "prowler-csv");
    ck_assert_uint_eq(src.records, 4);
    ck_assert_uint_eq(src.bytes, 7627);
    ev_source_clear(&src);
    ev_store_free(st);
}
END_TEST

START_TEST(sniff_edges)
{
    const char *path = wpath("e.txt");
    found fs;
    /* BOM, blank lines and CRLF before a Prowler CSV header */
    write_text(path, "\xEF\xBB\xBF\r\n\r\nFINDING_UID;CHECK_ID;STATUS\r\nu;c;FAIL\r\n");
    fs = ingest_sniffed(path, "prowler-csv", 1, 0);
    ck_assert_str_eq(fs.f[0].check, "prowler:c");
    ck_assert_int_eq(fs.f[0].line, 4);
    found_free(&fs);
    /* whitespace before JSON; an empty Findings array stays "asff" */
    write_text(path, "\n\n   {\"Findings\": []}");
    fs = ingest_sniffed(path, "asff", 0, 0);
    found_free(&fs);
    write_text(path, "[]");
    fs = ingest_sniffed(path, "asff", 0, 0);
    found_free(&fs);
    /* Security Hub's OCSF findings behind the ASFF wrapper key */
    write_text(path, "{\"Findings\": [{\"class_uid\": 2003, \"finding_info\": {\"uid\": \"x\"},"
                     " \"metadata\": {\"product\": {\"name\": \"Security Hub\"}},"
                     " \"compliance\": {\"control\": \"EC2.2\", \"status_id\": 3}}]}");
    fs = ingest_sniffed(path, "ocsf", 1, 0);
    ck_assert_str_eq(fs.f[0].check, "securityhub:EC2.2");
    found_free(&fs);
    /* neither JSON nor a known CSV header: the JSON message, as before */
    text_fails("n.txt", "nope\n", EV_FORMAT_AUTO, 1, 1,
               "expected a JSON array or object of findings");
    text_fails("n.txt", "a;b;c\n1;2;3\n", EV_FORMAT_AUTO, 1, 1,
               "expected a JSON array or object of findings");
    /* an element that is not an object: the ASFF reader's message */
    text_fails("n.json", "[42]", EV_FORMAT_AUTO, 1, 2,
               "expected a finding object, found another JSON value");
    /* a Prowler CSV named explicitly but holding JSON, and the reverse */
    fails_as(data("config/awscli_example_get-compliance-details-by-resource_1.json"),
             EV_FORMAT_PROWLER_CSV, 1, 1, "expected a column named FINDING_UID");
    fails_as(data("prowler/example_output_aws.csv"), EV_FORMAT_ASFF, 1, 1,
             "expected a JSON array or object of findings");
    /* a format named explicitly that the content does not fit */
    fails_as(data("prowler/example_output_aws.ocsf.json"), EV_FORMAT_ASFF, 2, 3,
             "expected a finding with a non-empty string \"Id\"");
    fails_as(data("asff/awsdocs_securityhub_sample-finding-fsbp.json"), EV_FORMAT_CONFIG, 1, 1,
             "expected an AWS Config evaluation result");
    fails_as(data("prowler/example_output_aws.csv"), EV_FORMAT_PROWLER_COMPLIANCE_CSV, 1, 1,
             "expected a column named REQUIREMENTS_ID");
    fails_as(data("prowler/test_expected_generic_compliance_nist_800_53_r4_aws.csv"),
             EV_FORMAT_PROWLER_CSV, 1, 1, "expected a column named FINDING_UID");
    text_fails("empty.csv", "", EV_FORMAT_PROWLER_CSV, 1, 1, "empty input");
}
END_TEST

/* One run, five formats, one store. */
START_TEST(mixed_run)
{
    ev_store *st = new_store();
    size_t n = 0;
    n += ingest_into(st, data("asff/awscli_example_get-findings_1.json"), EV_FORMAT_AUTO, "asff");
    n += ingest_into(st, data("prowler/defectdojo_prowler_v3plus_many_vuln_after_4_5_0.ocsf.json"),
                     EV_FORMAT_AUTO, "prowler-ocsf");
    n += ingest_into(st, data("prowler/test_expected_generic_compliance_nist_800_53_r4_aws.csv"),
                     EV_FORMAT_AUTO, "prowler-compliance-csv");
    n += ingest_into(st, data("config/awscli_example_get-compliance-details-by-config-rule_1.json"),
                     EV_FORMAT_AUTO, "config");
    n += ingest_into(st, data("ocsf/securityhub_ocsf_findings.json"), EV_FORMAT_AUTO, "ocsf");
    ck_assert_uint_eq(n, 1 + 3 + 2 + 3 + 4);
    ck_assert_uint_eq(ev_store_records(st), n);
    ck_assert_uint_eq(ev_store_duplicates(st), 0);
    found fs = {NULL, 0, 0};
    ev_error err;
    ck_assert_int_eq(ev_store_each(st, collect_fn, &fs, &err), EV_OK);
    size_t by_source[4] = {0}; /* securityhub, prowler, config, ocsf */
    for (size_t i = 0; i < fs.n; i++) {
        const char *s = fs.f[i].source;
        by_source[strcmp(s, "securityhub") == 0 ? 0
                  : strcmp(s, "prowler") == 0   ? 1
                  : strcmp(s, "config") == 0    ? 2
                                                : 3]++;
    }
    ck_assert_uint_eq(by_source[0], 1 + 4);
    ck_assert_uint_eq(by_source[1], 3 + 2);
    ck_assert_uint_eq(by_source[2], 3);
    ck_assert_uint_eq(by_source[3], 0);
    found_free(&fs);
    ev_store_free(st);
}
END_TEST

/* ---- broken variants: exact positions ---- */

START_TEST(json_readers_broken)
{
    /* truncated Prowler OCSF: the real sample cut after 300 bytes */
    size_t len;
    char *sample = slurp(data("prowler/example_output_aws.ocsf.json"), &len);
    write_bytes(wpath("cut.json"), sample, 300);
    free(sample);
    fails_as(wpath("cut.json"), EV_FORMAT_AUTO, 11, 7, "unexpected end of input: unclosed object");

    text_fails("p.json",
               "[{\"class_uid\": 2004,\n \"metadata\": {\"product\": {\"name\": \"Prowler\"}},\n"
               " \"finding_info\": {\"uid\": \"u\"},\n \"status_code\": 42}]",
               EV_FORMAT_AUTO, 4, 17, "expected a string in \"status_code\"");
    text_fails("p.json",
               "[{\"class_uid\": 2004, \"metadata\": {\"product\": {\"name\": \"Prowler\"}},\n"
               " \"finding_info\": {\"title\": \"no uid\"}}]",
               EV_FORMAT_AUTO, 1, 2,
               "expected a finding with a non-empty string "
               "\"finding_info.uid\"");
    text_fails("p.json",
               "[{\"class_uid\": 2004, \"metadata\": {\"product\": {\"name\": \"Prowler\"}},\n"
               " \"finding_info\": {\"uid\": \"\"}}]",
               EV_FORMAT_AUTO, 2, 26, "non-empty string \"finding_info.uid\"");
    text_fails("p.json",
               "[{\"class_uid\": 2004, \"metadata\": {\"product\": {\"name\": \"Prowler\"}},\n"
               " \"finding_info\": {\"uid\": \"u\"},\n"
               " \"unmapped\": {\"compliance\": {\"CIS-1.4\": [\"1.1\"],\n"
               "    \"CIS-1.5\": \"1.1\"}}}]",
               EV_FORMAT_AUTO, 4, 16,
               "expected an array of strings in \"unmapped.compliance.CIS-1.5\"");
    text_fails("p.json",
               "[{\"class_uid\": 2004, \"metadata\": {\"product\": {\"name\": \"Prowler\"}},\n"
               " \"finding_info\": {\"uid\": \"u\"}, \"time\": \"last tuesday\"}]",
               EV_FORMAT_AUTO, 2, 40, "expected an ISO 8601 timestamp in \"time\"");
    text_fails("p.json",
               "[{\"class_uid\": 2004, \"metadata\": {\"product\": {\"name\": \"Prowler\"}},\n"
               " \"finding_info\": {\"uid\": \"u\"}, \"time\": -5}]",
               EV_FORMAT_AUTO, 2, 40, "expected a time in \"time\"");
    text_fails("p.json",
               "[{\"class_uid\": 2004, \"metadata\": {\"product\": {\"name\": \"Prowler\"}},\n"
               " \"finding_info\": {\"uid\": \"u\"}, \"remediation\": {\"references\": \"x\"}}]",
               EV_FORMAT_AUTO, 2, 62, "expected an array of strings in \"remediation.references\"");
    text_fails("p.json",
               "[{\"class_uid\": 2004, \"metadata\": {\"product\": {\"name\": \"Prowler\"}},\n"
               " \"finding_info\": {\"uid\": \"\\u00e9\\udfff\"}}]",
               EV_FORMAT_AUTO, 2, 33, "invalid JSON");

    /* OCSF */
    text_fails("o.json",
               "[{\"class_uid\": 2003, \"finding_info\": {\"uid\": \"u\"},\n"
               "  \"compliance\": {\"control\": \"IAM.6\", \"status_id\": \"3\"}}]",
               EV_FORMAT_AUTO, 2, 51, "expected an integer in \"compliance.status_id\"");
    text_fails("o.json",
               "[{\"class_uid\": 2003, \"finding_info\": {\"uid\": \"u\"},\n"
               "  \"compliance\": {\"requirements\": [\"8.3.1\", 8]}}]",
               EV_FORMAT_AUTO, 2, 44,
               "expected an array of strings in \"compliance.requirements\"");
    text_fails("o.json",
               "[{\"class_uid\": 2003, \"finding_info\": {\"uid\": \"u\"},\n"
               "  \"compliance\": \"Fail\"}]",
               EV_FORMAT_AUTO, 2, 17, "expected an object in \"compliance\"");
    text_fails("o.json",
               "[{\"class_uid\": 2003, \"finding_info\": {\"uid\": \"u\"}, \"severity_id\": 2.5}]",
               EV_FORMAT_AUTO, 1, 67, "expected an integer in \"severity_id\"");
    text_fails(
        "o.json",
        "[{\"class_uid\": 2003, \"finding_info\": {\"uid\": \"u\", \"title\": \"\\u00e9\"},\n"
        " \"resources\": [{\"type\": \"T\", \"uid\": [\"arn\"]}]}]",
        EV_FORMAT_AUTO, 2, 37, "expected a string in \"resources[0].uid\"");

    /* Config */
    text_fails("c.json",
               "{\"EvaluationResults\": [\n  {\"EvaluationResultIdentifier\": "
               "{\"EvaluationResultQualifier\": {\"ConfigRuleName\": \"r\"}},\n"
               "   \"ComplianceType\": 1}]}",
               EV_FORMAT_AUTO, 3, 22, "expected a string in \"ComplianceType\"");
    text_fails("c.json",
               "{\"EvaluationResults\": [\n  {\"EvaluationResultIdentifier\": "
               "{\"EvaluationResultQualifier\": {\"ResourceId\": \"r\"}}}]}",
               EV_FORMAT_AUTO, 2, 64,
               "expected a non-empty string in "
               "\"EvaluationResultIdentifier.EvaluationResultQualifier.ConfigRuleName\"");
    text_fails("c.json",
               "{\"EvaluationResults\": [\n  {\"EvaluationResultIdentifier\": "
               "{\"EvaluationResultQualifier\": {\"ConfigRuleName\": \"r\"}},\n"
               "   \"ResultRecordedTime\": true}]}",
               EV_FORMAT_AUTO, 3, 26, "expected a time in \"ResultRecordedTime\"");
    text_fails("c.json", "{\"EvaluationResults\": [\"r\"]}", EV_FORMAT_AUTO, 1, 24,
               "expected an AWS Config evaluation result object");
    text_fails("c.json", "{\"ComplianceByResources\": []}", EV_FORMAT_AUTO, 1, 27,
               "get-compliance-details-by-resource");
    text_fails("c.json", "{\"EvaluationResults\": [{\"Foo\": 1}]}", EV_FORMAT_AUTO, 1, 24,
               "expected an AWS Config evaluation result (an object with "
               "\"EvaluationResultIdentifier\")");

    /* invalid UTF-8 and \u0000 are caught before any reader, at the byte */
    text_fails("u.json", "[{\"class_uid\": 2003,\n \"finding_info\": {\"uid\": \"caf\xE9\"}}]",
               EV_FORMAT_AUTO, 2, 30, "invalid UTF-8");
    text_fails("u.json",
               "{\"EvaluationResults\": [{\"EvaluationResultIdentifier\": "
               "{\"EvaluationResultQualifier\": {\"ConfigRuleName\": \"a\\u0000b\"}}}]}",
               EV_FORMAT_AUTO, 1, 106, "\\u0000 in a string");
}
END_TEST

START_TEST(csv_readers_broken)
{
    /* the wrong delimiter: the real sample with ',' */
    size_t len;
    char *sample = slurp(data("prowler/example_output_aws.csv"), &len);
    char *nl = strchr(sample, '\n');
    for (char *p = sample; p < nl; p++)
        if (*p == ';')
            *p = ',';
    write_bytes(wpath("comma.csv"), sample, len);
    fails_as(wpath("comma.csv"), EV_FORMAT_AUTO, 1, 12,
             "expected ';'-separated columns: the header line is separated by ','");
    /* a required column missing: STATUS renamed */
    for (char *p = sample; p < nl; p++)
        if (*p == ',')
            *p = ';';
    char *st = strstr(sample, ";STATUS;");
    memcpy(st + 1, "STATUZ", 6);
    write_bytes(wpath("nostatus.csv"), sample, len);
    fails_as(wpath("nostatus.csv"), EV_FORMAT_AUTO, 1, 1,
             "expected a column named STATUS in the header line of a Prowler CSV");
    free(sample);
    /* the compliance CSV without CHECKID, CRLF */
    text_fails("c.csv", "REQUIREMENTS_ID;STATUS;CHECK\r\nr;PASS;c\r\n", EV_FORMAT_AUTO, 1, 1,
               "expected a column named CHECKID in the header line of a Prowler compliance CSV");
    text_fails("tab.csv", "FINDING_UID\tCHECK_ID\tSTATUS\n", EV_FORMAT_AUTO, 1, 12,
               "separated by '\\t'");

    const char *h = "FINDING_UID;CHECK_ID;STATUS;MUTED;TIMESTAMP\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%su1;c;FAIL;False;2026-09-01\n\"u2;c;PASS;;\n", h);
    fails_as((write_text(wpath("q.csv"), buf), wpath("q.csv")), EV_FORMAT_AUTO, 3, 1,
             "unterminated quoted field");
    snprintf(buf, sizeof buf, "%su1;c;FAIL;False;2026-09-01\nu2;\"c\"x;PASS;;\n", h);
    fails_as((write_text(wpath("q.csv"), buf), wpath("q.csv")), EV_FORMAT_AUTO, 3, 7,
             "expected ';' or the end of the line after a closing quote");
    snprintf(buf, sizeof buf, "%su1;c;FAIL;maybe;\n", h);
    fails_as((write_text(wpath("m.csv"), buf), wpath("m.csv")), EV_FORMAT_AUTO, 2, 11,
             "expected True or False in column MUTED");
    snprintf(buf, sizeof buf, "%su1;c;FAIL;;2026-02-30 10:00:00\n", h);
    fails_as((write_text(wpath("t.csv"), buf), wpath("t.csv")), EV_FORMAT_AUTO, 2, 12,
             "expected a timestamp (ISO 8601 or seconds since 1970) in column TIMESTAMP");
    snprintf(buf, sizeof buf, "%s;c;FAIL;;\n", h);
    fails_as((write_text(wpath("i.csv"), buf), wpath("i.csv")), EV_FORMAT_AUTO, 2, 1,
             "expected a non-empty finding id in column FINDING_UID");
    snprintf(buf, sizeof buf, "%su1;c;FAIL;;;extra\n", h);
    fails_as((write_text(wpath("n.csv"), buf), wpath("n.csv")), EV_FORMAT_AUTO, 2, 13,
             "expected 5 fields, as in the header line, found 6");
    snprintf(buf, sizeof buf, "%su1;c;FAIL\n", h);
    fails_as((write_text(wpath("n.csv"), buf), wpath("n.csv")), EV_FORMAT_AUTO, 2, 1,
             "expected 5 fields, as in the header line, found 3");
    /* invalid UTF-8 (Latin-1) in line 3, and inside a multi-line quoted field */
    snprintf(buf, sizeof buf, "%su1;c;FAIL;;\nu2;caf\xE9;PASS;;\n", h);
    fails_as((write_text(wpath("l.csv"), buf), wpath("l.csv")), EV_FORMAT_AUTO, 3, 7,
             "invalid UTF-8: expected UTF-8 encoded text");
    snprintf(buf, sizeof buf, "%su1;\"two\nlines \xC3\x28\";FAIL;;\n", h);
    fails_as((write_text(wpath("l.csv"), buf), wpath("l.csv")), EV_FORMAT_AUTO, 3, 7,
             "invalid UTF-8");
    /* a NUL byte */
    const char nul[] = "FINDING_UID;CHECK_ID;STATUS\nu1;c\0;FAIL\n";
    write_bytes(wpath("z.csv"), nul, sizeof nul - 1);
    fails_as(wpath("z.csv"), EV_FORMAT_AUTO, 2, 5, "NUL byte in input");
}
END_TEST

/* ---- the CSV reader itself ---- */

typedef struct {
    char *text[16];
    long line[16], col[16];
    bool quoted[16];
    size_t n;
    long rec_line;
    size_t index;
} rec_copy;

typedef struct {
    rec_copy r[16];
    size_t n;
    ev_status rc;
    ev_error err;
} csv_result;

static csv_result csv_parse(const char *text, size_t len, const ev_csv_options *opt)
{
    csv_result res;
    memset(&res, 0, sizeof res);
    FILE *fp = fmemopen((void *)text, len, "rb");
    ck_assert_ptr_nonnull(fp);
    ev_csv *c = ev_csv_new(fp, "t.csv", opt);
    for (;;) {
        ev_csv_record rec;
        int has;
        res.rc = ev_csv_next(c, &rec, &has, &res.err);
        if (res.rc != EV_OK || !has)
            break;
        ck_assert_uint_lt(res.n, 16);
        rec_copy *rc = &res.r[res.n++];
        rc->n = rec.n;
        rc->rec_line = rec.line;
        rc->index = rec.index;
        for (size_t i = 0; i < rec.n && i < 16; i++) {
            ck_assert_uint_eq(strlen(rec.fields[i].text), rec.fields[i].len);
            rc->text[i] = ev_xstrndup(rec.fields[i].text, rec.fields[i].len);
            rc->line[i] = rec.fields[i].line;
            rc->col[i] = rec.fields[i].col;
            rc->quoted[i] = rec.fields[i].quoted;
        }
    }
    /* errors are sticky */
    if (res.rc != EV_OK) {
        ev_csv_record rec;
        int has;
        ev_error again;
        ck_assert_int_eq(ev_csv_next(c, &rec, &has, &again), res.rc);
        ck_assert_int_eq(again.line, res.err.line);
    }
    ev_csv_free(c);
    fclose(fp);
    return res;
}

static void csv_free(csv_result *res)
{
    for (size_t i = 0; i < res->n; i++)
        for (size_t j = 0; j < res->r[i].n && j < 16; j++)
            free(res->r[i].text[j]);
    res->n = 0;
}

static void field_is(const csv_result *res, size_t r, size_t f, const char *text, long line,
                     long col)
{
    ck_assert_uint_lt(r, res->n);
    ck_assert_uint_lt(f, res->r[r].n);
    ck_assert_str_eq(res->r[r].text[f], text);
    ck_assert_msg(res->r[r].line[f] == line && res->r[r].col[f] == col,
                  "record %zu field %zu at %ld:%ld, expected %ld:%ld", r, f, res->r[r].line[f],
                  res->r[r].col[f], line, col);
}

START_TEST(csv_basics)
{
    const char *t = "a;b;c\n1;;3\n;x;\n";
    csv_result r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_OK);
    ck_assert_uint_eq(r.n, 3);
    ck_assert_uint_eq(r.r[1].n, 3);
    field_is(&r, 0, 0, "a", 1, 1);
    field_is(&r, 0, 2, "c", 1, 5);
    field_is(&r, 1, 1, "", 2, 3); /* empty field: where it would start */
    field_is(&r, 2, 0, "", 3, 1);
    field_is(&r, 2, 2, "", 3, 4); /* trailing delimiter: one more empty field */
    ck_assert_uint_eq(r.r[2].index, 2);
    csv_free(&r);

    /* no line end after the last record; CRLF; blank lines skipped (not counted) */
    t = "a;b\r\n\r\n\n1;2";
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_OK);
    ck_assert_uint_eq(r.n, 2);
    field_is(&r, 0, 1, "b", 1, 3);
    field_is(&r, 1, 1, "2", 4, 3);
    ck_assert_uint_eq(r.r[1].index, 1);
    ck_assert_int_eq(r.r[1].rec_line, 4);
    csv_free(&r);

    /* a CR at the very end, a lone CR inside a field (data) */
    t = "a\rb;c\r";
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_uint_eq(r.n, 1);
    field_is(&r, 0, 0, "a\rb", 1, 1);
    field_is(&r, 0, 1, "c", 1, 5);
    csv_free(&r);

    /* empty input, only blank lines */
    r = csv_parse("", 0, NULL);
    ck_assert_int_eq(r.rc, EV_OK);
    ck_assert_uint_eq(r.n, 0);
    r = csv_parse("\n\r\n\n", 4, NULL);
    ck_assert_uint_eq(r.n, 0);
}
END_TEST

START_TEST(csv_quoting)
{
    const char *t = "\"a;b\";\"say \"\"hi\"\"\";\"\"\n"
                    "\"line one\nline two\r\nthree\";x\r\n"
                    "q\"uote;\"\";\"end\"";
    csv_result r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_OK);
    ck_assert_uint_eq(r.n, 3);
    field_is(&r, 0, 0, "a;b", 1, 1); /* embedded delimiter */
    ck_assert(r.r[0].quoted[0]);
    field_is(&r, 0, 1, "say \"hi\"", 1, 7); /* doubled quotes */
    field_is(&r, 0, 2, "", 1, 20);          /* quoted empty */
    ck_assert(r.r[0].quoted[2]);
    field_is(&r, 1, 0, "line one\nline two\r\nthree", 2, 1); /* embedded LF and CRLF */
    field_is(&r, 1, 1, "x", 4, 8);                           /* after a 3-line field */
    ck_assert_int_eq(r.r[1].rec_line, 2);
    field_is(&r, 2, 0, "q\"uote", 5, 1); /* a quote inside an unquoted field is data */
    ck_assert(!r.r[2].quoted[0]);
    field_is(&r, 2, 1, "", 5, 8);
    field_is(&r, 2, 2, "end", 5, 11);
    csv_free(&r);

    /* a line with only "" is a record with one empty field, not a blank line */
    t = "\"\"\n";
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_uint_eq(r.r[0].n, 1);
    csv_free(&r);

    /* ',' as the delimiter */
    ev_csv_options comma = {.delim = ','};
    t = "a,\"b,c;d\",e;f\n";
    r = csv_parse(t, strlen(t), &comma);
    ck_assert_uint_eq(r.r[0].n, 3);
    field_is(&r, 0, 1, "b,c;d", 1, 3);
    field_is(&r, 0, 2, "e;f", 1, 11);
    csv_free(&r);
}
END_TEST

START_TEST(csv_bom)
{
    const char *t = "\xEF\xBB\xBFID;X\n1;2\n";
    csv_result r = csv_parse(t, strlen(t), NULL);
    ck_assert_uint_eq(r.n, 2);
    field_is(&r, 0, 0, "ID", 1, 4); /* the BOM counts in byte columns, as in JSON */
    field_is(&r, 1, 0, "1", 2, 1);
    csv_free(&r);
    /* a BOM anywhere else is data (valid UTF-8) */
    t = "a;\xEF\xBB\xBF"
        "b\n";
    r = csv_parse(t, strlen(t), NULL);
    field_is(&r, 0, 1,
             "\xEF\xBB\xBF"
             "b",
             1, 3);
    csv_free(&r);
}
END_TEST

START_TEST(csv_errors)
{
    csv_result r = {.n = 0};
    const char *t = "a;b\n\"open;x\ny;z\n";
    csv_free(&r);
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_int_eq(r.err.line, 2);
    ck_assert_int_eq(r.err.col, 1);
    ck_assert_str_eq(r.err.file, "t.csv");
    ck_assert_ptr_nonnull(strstr(r.err.msg, "unterminated quoted field"));
    csv_free(&r);

    t = "\"a\" ;b\n";
    csv_free(&r);
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_int_eq(r.err.col, 4);
    ck_assert_str_eq(r.err.msg, "expected ';' or the end of the line after a closing quote");

    t = "\"a\"\rb\n"; /* CR after a closing quote, not followed by LF */
    csv_free(&r);
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_int_eq(r.err.col, 4);

    /* invalid UTF-8: overlong, surrogate, truncated at the end */
    t = "ok;\xC0\xAF\n";
    csv_free(&r);
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_int_eq(r.err.col, 4);
    t = "a\nb;\"x\n\xED\xA0\x80\"\n";
    csv_free(&r);
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_int_eq(r.err.line, 3);
    ck_assert_int_eq(r.err.col, 1);
    t = "abc\xE2\x82";
    csv_free(&r);
    r = csv_parse(t, strlen(t), NULL);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_int_eq(r.err.col, 4);
    csv_free(&r);

    /* limits: record size and field count */
    ev_csv_options small = {.max_record = 16, .max_fields = 3};
    t = "a;b;c\nthis record is far too long\n";
    csv_free(&r);
    r = csv_parse(t, strlen(t), &small);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_int_eq(r.err.line, 2);
    ck_assert_int_eq(r.err.col, 1);
    ck_assert_str_eq(r.err.msg, "record longer than 16 bytes");
    csv_free(&r);
    t = "a;b;c;d\n";
    csv_free(&r);
    r = csv_parse(t, strlen(t), &small);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_int_eq(r.err.col, 7);
    ck_assert_str_eq(r.err.msg, "more than 3 fields in one record");
    csv_free(&r);
}
END_TEST

/* Records, quotes and CRLF cut across the 64 KiB chunk boundary; a field of 200 KB. */
START_TEST(csv_chunk_boundaries)
{
    for (size_t shift = 0; shift < 4; shift++) {
        ev_buf b = EV_BUF_INIT;
        ev_buf_puts(&b, "h1;h2\r\n");
        /* pad so that the CRLF of the next record straddles offset 65536 */
        size_t pad = 65536 - b.len - 3 - shift;
        ev_buf_puts(&b, "p;");
        for (size_t i = 0; i < pad; i++)
            ev_buf_putc(&b, 'x');
        ev_buf_puts(&b, "\r\n\"q;\"\"\n");
        for (size_t i = 0; i < 200000; i++)
            ev_buf_putc(&b, (char)('a' + i % 26));
        ev_buf_puts(&b, "\";last\r\n");
        csv_result r = csv_parse(b.data, b.len, NULL);
        ck_assert_int_eq(r.rc, EV_OK);
        ck_assert_uint_eq(r.n, 3);
        ck_assert_uint_eq(strlen(r.r[1].text[1]), pad);
        ck_assert_str_eq(r.r[2].text[1], "last");
        ck_assert_int_eq(r.r[2].line[1], 4);
        ck_assert_uint_eq(strlen(r.r[2].text[0]), 4 + 200000);
        ck_assert(strncmp(r.r[2].text[0], "q;\"\nabc", 7) == 0);
        csv_free(&r);
        ev_buf_free(&b);
    }
}
END_TEST

START_TEST(time_parsing)
{
    int64_t t;
    ck_assert(ev_reader_parse_time("1739539623", &t));
    ck_assert_int_eq(t, 1739539623);
    ck_assert(ev_reader_parse_time("1450314645.261", &t));
    ck_assert_int_eq(t, 1450314645);
    ck_assert(ev_reader_parse_time("1788256800000", &t)); /* milliseconds */
    ck_assert_int_eq(t, 1788256800);
    ck_assert(ev_reader_parse_time("2025-02-14 14:27:03.913874", &t));
    ck_assert_int_eq(t, ts("2025-02-14T14:27:03Z"));
    ck_assert(!ev_reader_parse_time("", &t));
    ck_assert(!ev_reader_parse_time("12abc", &t));
    ck_assert(!ev_reader_parse_time("1.2.3", &t));
    ck_assert(!ev_reader_parse_time("99999999999999999999", &t));
    ck_assert(!ev_reader_parse_time(NULL, &t));
}
END_TEST

/* The splitter's wrapper keys for AWS Config outputs. */
START_TEST(stream_wrappers)
{
    static const char *const docs[] = {
        "{\"NextToken\": \"x\", \"EvaluationResults\": [{\"a\": 1}, {\"b\": 2}]}",
        "{\"AggregateEvaluationResults\": [{\"a\": 1}, {\"b\": 2}]}",
        "{\"ComplianceByConfigRules\": [{\"a\": 1}, {\"b\": 2}]}",
        "[{\"a\": 1}, {\"b\": 2}]",
    };
    static const char *const wrappers[] = {"EvaluationResults", "AggregateEvaluationResults",
                                           "ComplianceByConfigRules", NULL};
    for (size_t i = 0; i < 4; i++) {
        FILE *fp = fmemopen((void *)docs[i], strlen(docs[i]), "rb");
        ev_json_stream *js = ev_json_stream_new(fp, "w.json");
        ck_assert_ptr_null(ev_json_stream_wrapper(js));
        ev_json_element el;
        int has, n = 0;
        ev_error err;
        while (ev_json_stream_next(js, &el, &has, &err) == EV_OK && has)
            n++;
        ck_assert_int_eq(n, 2);
        if (wrappers[i])
            ck_assert_str_eq(ev_json_stream_wrapper(js), wrappers[i]);
        else
            ck_assert_ptr_null(ev_json_stream_wrapper(js));
        ev_json_stream_free(js);
        fclose(fp);
    }
    /* a wrapper-like key whose value is not an array, and a longer name: one element */
    const char *doc = "{\"EvaluationResults\": null, \"EvaluationResultsX\": [1]}";
    FILE *fp = fmemopen((void *)doc, strlen(doc), "rb");
    ev_json_stream *js = ev_json_stream_new(fp, "w.json");
    ev_json_element el;
    int has;
    ev_error err;
    ck_assert_int_eq(ev_json_stream_next(js, &el, &has, &err), EV_OK);
    ck_assert(has);
    ck_assert_uint_eq(el.len, strlen(doc));
    ck_assert_ptr_null(ev_json_stream_wrapper(js));
    ev_json_stream_free(js);
    fclose(fp);
}
END_TEST

static Suite *readers_suite(void)
{
    Suite *s = suite_create("readers");
    TCase *tc = tcase_create("samples");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, prowler_ocsf_5x_sample);
    tcase_add_test(tc, prowler_ocsf_42_sample);
    tcase_add_test(tc, prowler_ocsf_muted_sample);
    tcase_add_test(tc, prowler_ocsf_mapping);
    tcase_add_test(tc, prowler_csv_sample);
    tcase_add_test(tc, prowler_compliance_csv_sample);
    tcase_add_test(tc, prowler_csv_columns_by_name);
    tcase_add_test(tc, config_samples);
    tcase_add_test(tc, config_results_and_shapes);
    tcase_add_test(tc, ocsf_securityhub);
    tcase_add_test(tc, ocsf_other_vendor);
    tcase_add_test(tc, ocsf_prowler_compliance);
    tcase_add_test(tc, ocsf_statuses);
    suite_add_tcase(s, tc);

    tc = tcase_create("sniffing");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, format_names);
    tcase_add_loop_test(tc, sniff_samples, 0, (int)(sizeof sniff_cases / sizeof *sniff_cases));
    tcase_add_test(tc, sniff_stdin);
    tcase_add_test(tc, sniff_edges);
    tcase_add_test(tc, mixed_run);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, json_readers_broken);
    tcase_add_test(tc, csv_readers_broken);
    suite_add_tcase(s, tc);

    tc = tcase_create("csv");
    tcase_add_test(tc, csv_basics);
    tcase_add_test(tc, csv_quoting);
    tcase_add_test(tc, csv_bom);
    tcase_add_test(tc, csv_errors);
    tcase_add_test(tc, csv_chunk_boundaries);
    tcase_add_test(tc, time_parsing);
    tcase_add_test(tc, stream_wrappers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ev_run_suite(readers_suite());
}
