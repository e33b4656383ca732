/* test_ingest.c: Check suite for the ingest stage: the ASFF reader on AWS's published
 * samples (valid and invalid), the accepted wrapper shapes, field normalisation (check
 * ids in their several forms, results, workflow, record state), errors with their exact
 * line:col, the de-duplicating finding store, the recorded source digest, and the
 * counts of the bundled samples/findings.json. Each test works in its own fresh folder
 * under /tmp. */
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
#include "ingest/asff.h"
#include "ingest/finding.h"
#include "ingest/ingest.h"
#include "ingest/json_stream.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/sha256.h"

/* ---- fixtures ---- */

static char work[64]; /* this test's folder under /tmp */

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/evpack-test-ingest-XXXXXX");
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

/* Path under this test's folder (a few slots, so several can be live at once). */
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

static const char *asff(const char *name)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/asff/%s", name);
    return ev_test_path(rel);
}

/* The winning records of a store, copied. */
typedef struct {
    ev_finding *f;
    size_t n, cap;
} found;

static ev_status collect_fn(const ev_finding *f, void *ctx, ev_error *err)
{
    (void)err;
    found *fs = ctx;
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->f = ev_xrealloc(fs->f, fs->cap * sizeof *fs->f);
    }
    ev_finding_copy(&fs->f[fs->n++], f);
    return EV_OK;
}

static found collect(ev_store *st)
{
    found fs = {NULL, 0, 0};
    ev_error err;
    ck_assert_int_eq(ev_store_each(st, collect_fn, &fs, &err), EV_OK);
    return fs;
}

static void found_free(found *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        ev_finding_clear(&fs->f[i]);
    free(fs->f);
    memset(fs, 0, sizeof *fs);
}

static const ev_finding *by_id(const found *fs, const char *id)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].id, id) == 0)
            return &fs->f[i];
    return NULL;
}

static ev_store *new_store(void)
{
    ev_store *st = NULL;
    ev_error err;
    ck_assert_int_eq(ev_store_new(work, &st, &err), EV_OK);
    ck_assert_ptr_nonnull(st);
    return st;
}

/* Ingests path into st, expecting success; returns the records read from it. */
static size_t ingest_ok(ev_store *st, const char *path)
{
    ev_source src;
    ev_error err;
    ev_error_clear(&err);
    ev_status rc = ev_ingest_file(path, st, &src, NULL, NULL, &err);
    char msg[2048];
    ev_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == EV_OK, "ingest of %s failed: %s", path, msg);
    ck_assert_str_eq(src.path, path);
    ck_assert_str_eq(src.format, "asff");
    size_t n = src.records;
    ev_source_clear(&src);
    return n;
}

/* Ingests one file into a fresh store, expecting success, and returns its records. */
static found ingest_file_ok(const char *path)
{
    ev_store *st = new_store();
    size_t n = ingest_ok(st, path);
    ck_assert_uint_eq(ev_store_records(st), n);
    found fs = collect(st);
    ev_store_free(st);
    return fs;
}

static found ingest_text_ok(const char *text)
{
    const char *path = wpath("in.json");
    write_text(path, text);
    return ingest_file_ok(path);
}

/* Ingests path, expecting failure with status want at line:col and msg containing frag. */
static void assert_ingest_fails(const char *path, ev_status want, long line, long col,
                                const char *frag)
{
    ev_store *st = new_store();
    ev_source src;
    ev_error err;
    ev_error_clear(&err);
    ev_status rc = ev_ingest_file(path, st, &src, NULL, NULL, &err);
    char msg[2048];
    ev_error_format(&err, msg, sizeof msg);
    ck_assert_msg(rc == want, "%s: status %d, expected %d (%s)", path, rc, want, msg);
    ck_assert_int_eq(err.status, want);
    ck_assert_str_eq(err.file, path);
    ck_assert_msg(err.line == line && err.col == col, "%s: at %ld:%ld, expected %ld:%ld (%s)", path,
                  err.line, err.col, line, col, msg);
    if (frag)
        ck_assert_msg(strstr(err.msg, frag) != NULL, "message \"%s\" lacks \"%s\"", err.msg, frag);
    ck_assert_ptr_null(src.path); /* nothing to free on failure */
    ev_store_free(st);
}

static void assert_text_fails(const char *text, long line, long col, const char *frag)
{
    const char *path = wpath("bad.json");
    write_text(path, text);
    assert_ingest_fails(path, EV_ERR_INPUT, line, col, frag);
}

/* ---- AWS's published samples ---- */

typedef struct {
    const char *file;
    const char *id_tail; /* the id ends with this */
    const char *check;
    ev_result result;
    ev_severity severity;
    bool archived;
    size_t n_requirements;
    const char *first_requirement;
    const char *region;
    const char *updated;
    long line, col; /* where the finding object starts */
} sample;

static const sample samples[] = {
    {"awscli_example_get-findings_1.json",
     "subscription/pci-dss/v/3.2.1/PCI.Lambda.2/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
     "securityhub:PCI.Lambda.2", EV_RESULT_PASSED, EV_SEV_INFORMATIONAL, true, 4, "PCI DSS 1.2.1",
     "us-west-1", "2020-06-02T14:02:52.397Z", 3, 9},
    {"awsdocs_securityhub_sample-finding-cis-1.2.json",
     "subscription/cis-aws-foundations-benchmark/v/1.2.0/2.7/finding/"
     "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
     "securityhub:CloudTrail.2", EV_RESULT_FAILED, EV_SEV_MEDIUM, false, 0, NULL, "us-east-2",
     "2021-09-28T16:10:00.087Z", 1, 1},
    {"awsdocs_securityhub_sample-finding-cis-1.4.json",
     "subscription/cis-aws-foundations-benchmark/v/1.4.0/3.7/finding/"
     "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
     "securityhub:CloudTrail.2", EV_RESULT_FAILED, EV_SEV_MEDIUM, false, 1,
     "CIS AWS Foundations Benchmark v1.4.0/3.7", "us-east-1", "2022-12-22T22:24:52.409Z", 1, 1},
    {"awsdocs_securityhub_sample-finding-consolidation_repaired.json",
     "security-control/CloudTrail.2/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
     "securityhub:CloudTrail.2", EV_RESULT_FAILED, EV_SEV_MEDIUM, false, 3, "PCI DSS v3.2.1/3.4",
     "us-east-2", "2022-10-28T16:10:00.093Z", 1, 1},
    {"awsdocs_securityhub_sample-finding-fsbp.json",
     "subscription/aws-foundational-security-best-practices/v/1.0.0/CloudTrail.2/finding/"
     "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
     "securityhub:CloudTrail.2", EV_RESULT_FAILED, EV_SEV_MEDIUM, false, 0, NULL, "us-east-2",
     "2021-09-28T16:10:00.093Z", 1, 1},
    {"awsdocs_securityhub_sample-finding-nist_repaired.json",
     "subscription/nist-800-53/v/5.0.0/CloudTrail.2/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
     "securityhub:CloudTrail.2", EV_RESULT_FAILED, EV_SEV_MEDIUM, false, 8, "NIST.800-53.r5 AU-9",
     "us-east-1", "2023-02-17T14:22:46.726Z", 1, 1},
    {"awsdocs_securityhub_sample-finding-pcidss.json",
     "subscription/pci-dss/v/3.2.1/PCI.CloudTrail.1/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
     "securityhub:CloudTrail.2", EV_RESULT_FAILED, EV_SEV_MEDIUM, false, 1, "PCI DSS 3.4",
     "us-east-2", "2021-09-28T16:10:00.090Z", 1, 1},
    {"awsdocs_securityhub_sample-finding-service-managed-aws-control-tower.json",
     "subscription/service-managed-aws-control-tower/v/1.0.0/CloudTrail.2/finding/"
     "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
     "securityhub:CloudTrail.2", EV_RESULT_FAILED, EV_SEV_MEDIUM, false, 0, NULL, "us-east-1",
     "2022-11-17T01:25:30.296Z", 1, 1},
};

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

START_TEST(sample_valid)
{
    const sample *x = &samples[_i];
    const char *path = asff(x->file);
    found fs = ingest_file_ok(path);
    ck_assert_uint_eq(fs.n, 1);
    const ev_finding *f = &fs.f[0];
    ck_assert_msg(ends_with(f->id, x->id_tail), "%s: id %s", x->file, f->id);
    ck_assert_msg(strncmp(f->id, "arn:aws:securityhub:", 20) == 0, "%s", f->id);
    ck_assert_str_eq(f->source, "securityhub");
    ck_assert_pstr_eq(f->check, x->check);
    ck_assert_int_eq(f->result, x->result);
    ck_assert_int_eq(f->severity, x->severity);
    ck_assert_str_eq(f->severity_label,
                     x->severity == EV_SEV_INFORMATIONAL ? "INFORMATIONAL" : "MEDIUM");
    ck_assert_int_eq(f->archived, x->archived);
    ck_assert(!f->suppressed);
    ck_assert_str_eq(f->workflow, "NEW");
    ck_assert_str_eq(f->account, "123456789012");
    ck_assert_str_eq(f->region, x->region);
    ck_assert_str_eq(f->result_text, x->result == EV_RESULT_PASSED ? "PASSED" : "FAILED");
    ck_assert_ptr_nonnull(f->title);
    ck_assert_ptr_nonnull(f->resource_type);
    ck_assert_ptr_nonnull(f->resource_id);
    ck_assert_str_eq(f->updated_text, x->updated);
    int64_t t;
    ck_assert(ev_timestamp_parse(x->updated, &t));
    ck_assert_int_eq(f->updated_at, t);
    ck_assert_uint_eq(f->n_requirements, x->n_requirements);
    if (x->first_requirement)
        ck_assert_str_eq(f->requirements[0], x->first_requirement);
    ck_assert_str_eq(f->file, path);
    ck_assert_int_eq(f->line, x->line);
    ck_assert_int_eq(f->col, x->col);
    found_free(&fs);
}
END_TEST

START_TEST(sample_details)
{
    /* the CLI example: pre-consolidation PCI finding inside {"Findings": [...]} */
    found fs = ingest_file_ok(asff("awscli_example_get-findings_1.json"));
    const ev_finding *f = &fs.f[0];
    ck_assert_str_eq(f->title, "PCI.Lambda.2 Lambda functions should be in a VPC");
    ck_assert_str_eq(f->requirements[3], "PCI DSS 1.3.4");
    ck_assert_str_eq(f->resource_type, "AwsAccount");
    ck_assert_str_eq(f->resource_id, "AWS::::Account:123456789012");
    ck_assert_str_eq(f->remediation_url,
                     "https://docs.aws.amazon.com/console/securityhub/PCI.Lambda.2/remediation");
    ck_assert_ptr_nonnull(strstr(f->remediation, "PCI DSS documentation"));
    ck_assert_int_eq(f->updated_at, 1591106572);
    found_free(&fs);

    fs = ingest_file_ok(asff("awsdocs_securityhub_sample-finding-consolidation_repaired.json"));
    f = &fs.f[0];
    ck_assert_str_eq(f->requirements[1], "CIS AWS Foundations Benchmark v1.2.0/2.7");
    ck_assert_str_eq(f->requirements[2], "CIS AWS Foundations Benchmark v1.4.0/3.7");
    ck_assert_str_eq(f->title, "CloudTrail should have encryption at-rest enabled");
    ck_assert_str_eq(f->resource_type, "AwsCloudTrailTrail");
    found_free(&fs);

    fs = ingest_file_ok(asff("awsdocs_securityhub_sample-finding-nist_repaired.json"));
    ck_assert_str_eq(fs.f[0].requirements[7], "NIST.800-53.r5 SI-7(6)");
    found_free(&fs);
}
END_TEST

START_TEST(sample_invalid)
{
    /* python3's json module agrees on the first two; on the third it counts characters
     * (46:36) and so do we in bytes: the column of the U+2028 that is not whitespace. */
    assert_ingest_fails(asff("awscli_example_get-findings_2_INVALID_JSON_doc_typo.json"),
                        EV_ERR_INPUT, 12, 37, "unexpected '{'");
    assert_ingest_fails(
        asff("awsdocs_securityhub_sample-finding-consolidation_INVALID_JSON_as_published.json"),
        EV_ERR_INPUT, 38, 3, "expected ','");
    assert_ingest_fails(
        asff("awsdocs_securityhub_sample-finding-nist_INVALID_JSON_as_published.json"),
        EV_ERR_INPUT, 46, 36, "0xe2");
}
END_TEST

START_TEST(member_name_position)
{
    /* a member name without quotes is reported at its first byte, not the one after */
    assert_text_fails("[{\"Id\": \"a\", Title: \"x\"}]", 1, 14, "unexpected 'T'");
    assert_text_fails("[{\"Id\": \"a\",\n  x}]", 2, 3, "unexpected 'x'");
    assert_text_fails("[{\"Id\": \"a\", \"R\": {,}}]", 1, 20, "unexpected ','");
    assert_text_fails("[{\"Id\": \"a\", \"R\": {\"b\": 1,}}]", 1, 27, "unexpected '}'");
    /* in an array the value itself is reported */
    assert_text_fails("[{\"Id\": \"a\", \"R\": [1, x]}]", 1, 23, "unexpected 'x'");
    assert_text_fails("[{\"Id\": \"a\", \"R\": [1,[x]]}]", 1, 23, "unexpected 'x'");
    assert_text_fails("[{\"Id\": \"a\", \"R\": {\"k\": \"v,{\" x}}]", 1, 31, "unexpected 'x'");
}
END_TEST

/* ---- shapes ---- */

#define F1 "{\"Id\": \"f-1\", \"UpdatedAt\": \"2026-09-01T00:00:00Z\"}"
#define F2 "{\"Id\": \"f-2\", \"UpdatedAt\": \"2026-09-02T00:00:00Z\"}"
#define F3 "{\"Id\": \"f-3\"}"

START_TEST(shapes)
{
    static const struct {
        const char *text;
        size_t n;
    } cases[] = {
        {"{\"Findings\": [" F1 ", " F2 "], \"NextToken\": null}", 2},
        {"{\"NextToken\": \"abc\", \"Findings\": [" F1 "]}", 1},
        {"{\"findings\": [" F1 ", " F2 ", " F3 "]}", 3},
        {"[" F1 ", " F2 ", " F3 "]", 3},
        {"\n  [\n" F1 "\n]\n\n", 1},
        {F1, 1},
        {"\xEF\xBB\xBF" F1 "\n", 1},
        {"[]", 0},
        {"[ ]\n", 0},
        {"{\"Findings\": []}", 0},
        {"{\"Findings\": [], \"NextToken\": null}", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        found fs = ingest_text_ok(cases[i].text);
        ck_assert_msg(fs.n == cases[i].n, "case %zu: %zu findings, expected %zu", i, fs.n,
                      cases[i].n);
        for (size_t k = 0; k < fs.n; k++) {
            char id[32];
            snprintf(id, sizeof id, "f-%zu", k + 1);
            ck_assert_str_eq(fs.f[k].id, id); /* in file order */
        }
        found_free(&fs);
    }
    /* the single-object form: positions refer to the file */
    found fs = ingest_text_ok("\n\n   " F2);
    ck_assert_int_eq(fs.f[0].line, 3);
    ck_assert_int_eq(fs.f[0].col, 4);
    ck_assert_int_eq(fs.f[0].updated_at, 1788307200);
    found_free(&fs);
}
END_TEST

START_TEST(shape_errors)
{
    assert_text_fails("", 1, 1, NULL);
    assert_text_fails("[" F1 ",]", 1, 52, "trailing comma");
    assert_text_fails("[" F1 "] x", 1, 54, NULL);
    assert_text_fails("[" F1, 1, 52, "unclosed array");
    assert_text_fails("[5]", 1, 2, "expected a finding object");
    assert_text_fails("[\"text\"]", 1, 2, "expected a finding object");
}
END_TEST

START_TEST(several_files_one_store)
{
    ev_store *st = new_store();
    write_text(wpath("a.json"), "[" F1 ", " F2 "]");
    write_text(wpath("b.json"), "{\"Findings\": [" F3 "]}");
    ck_assert_uint_eq(ingest_ok(st, wpath("a.json")), 2);
    ck_assert_uint_eq(ingest_ok(st, wpath("b.json")), 1);
    ck_assert_uint_eq(ingest_ok(st, asff("awsdocs_securityhub_sample-finding-fsbp.json")), 1);
    ck_assert_uint_eq(ingest_ok(st, asff("awscli_example_get-findings_1.json")), 1);
    /* the same file again: every record is a re-delivery */
    ck_assert_uint_eq(ingest_ok(st, wpath("a.json")), 2);
    ck_assert_uint_eq(ev_store_records(st), 7);
    ck_assert_uint_eq(ev_store_duplicates(st), 2);
    found fs = collect(st);
    ck_assert_uint_eq(fs.n, 5);
    ck_assert_str_eq(fs.f[0].id, "f-3"); /* f-1 and f-2 won in their later delivery */
    ck_assert(ends_with(fs.f[1].id, "CloudTrail.2/finding/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"));
    ck_assert_str_eq(fs.f[3].id, "f-1");
    ck_assert_str_eq(fs.f[3].file, wpath("a.json"));
    ck_assert_str_eq(fs.f[4].id, "f-2");
    found_free(&fs);
    ev_store_free(st);
}
END_TEST

/* ---- normalisation ---- */

START_TEST(check_forms)
{
    found fs = ingest_text_ok(
        "[{\"Id\": \"consolidated\", \"Compliance\": {\"Status\": \"FAILED\", "
        "\"SecurityControlId\": \"IAM.6\"}, \"ProductFields\": {\"ControlId\": \"PCI.IAM.4\"}},\n"
        " {\"Id\": \"old\", \"ProductFields\": {\"ControlId\": \"PCI.IAM.4\", \"RuleId\": "
        "\"1.1\"}},\n"
        " {\"Id\": \"cis\", \"ProductFields\": {\"RuleId\": \"2.7\"}, "
        "\"GeneratorId\": \"arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/"
        "rule/2.7\"},\n"
        " {\"Id\": \"rule\", \"ProductFields\": {\"RuleId\": \"custom-rule\"}},\n"
        " {\"Id\": \"prowler\", \"GeneratorId\": \"prowler-iam_root_mfa_enabled\", "
        "\"ProductFields\": {\"ControlId\": \"ignored\"}},\n"
        " {\"Id\": \"guardduty\", \"GeneratorId\": \"arn:aws:guardduty:eu-west-1:1:detector/x\", "
        "\"ProductFields\": {\"aws/securityhub/ProductName\": \"GuardDuty\"}},\n"
        " {\"Id\": \"bare\"}]");
    ck_assert_uint_eq(fs.n, 7);
    ck_assert_str_eq(by_id(&fs, "consolidated")->check, "securityhub:IAM.6");
    ck_assert_str_eq(by_id(&fs, "old")->check, "securityhub:PCI.IAM.4");
    ck_assert_str_eq(by_id(&fs, "cis")->check, "securityhub:CIS.2.7");
    ck_assert_str_eq(by_id(&fs, "rule")->check, "securityhub:custom-rule");
    ck_assert_str_eq(by_id(&fs, "prowler")->check, "prowler:iam_root_mfa_enabled");
    ck_assert_str_eq(by_id(&fs, "prowler")->source, "prowler");
    ck_assert_ptr_null(by_id(&fs, "guardduty")->check);
    ck_assert_str_eq(by_id(&fs, "guardduty")->source, "securityhub");
    ck_assert_ptr_null(by_id(&fs, "bare")->check);
    /* nothing set: NULLs, unknowns and zeroes */
    const ev_finding *b = by_id(&fs, "bare");
    ck_assert_int_eq(b->result, EV_RESULT_NONE);
    ck_assert_ptr_null(b->result_text);
    ck_assert_int_eq(b->severity, EV_SEV_UNKNOWN);
    ck_assert_ptr_null(b->title);
    ck_assert_ptr_null(b->workflow);
    ck_assert_int_eq(b->updated_at, 0);
    ck_assert_uint_eq(b->n_requirements, 0);
    ck_assert(!b->archived && !b->suppressed);
    found_free(&fs);
}
END_TEST

START_TEST(results_and_states)
{
    found fs = ingest_text_ok(
        "[{\"Id\": \"p\", \"Compliance\": {\"Status\": \"PASSED\"}, \"RecordState\": \"ACTIVE\"},\n"
        " {\"Id\": \"w\", \"Compliance\": {\"Status\": \"WARNING\"}},\n"
        " {\"Id\": \"na\", \"Compliance\": {\"Status\": \"NOT_AVAILABLE\", \"StatusReasons\": "
        "[{\"ReasonCode\": \"CONFIG_EVALUATIONS_EMPTY\"}]}},\n"
        " {\"Id\": \"infoed\", \"Compliance\": {\"Status\": \"INFOED\"}},\n"
        " {\"Id\": \"lower\", \"Compliance\": {\"Status\": \"passed\"}},\n"
        " {\"Id\": \"nostatus\", \"Compliance\": {\"RelatedRequirements\": null}},\n"
        " {\"Id\": \"sup\", \"Compliance\": {\"Status\": \"FAILED\"}, "
        "\"Workflow\": {\"Status\": \"SUPPRESSED\"}, \"WorkflowState\": \"NEW\"},\n"
        " {\"Id\": \"sup-old\", \"WorkflowState\": \"SUPPRESSED\"},\n"
        " {\"Id\": \"resolved\", \"Workflow\": {\"Status\": \"RESOLVED\"}},\n"
        " {\"Id\": \"arch\", \"RecordState\": \"ARCHIVED\"},\n"
        " {\"Id\": \"sev\", \"FindingProviderFields\": {\"Severity\": {\"Label\": \"high\"}}},\n"
        " {\"Id\": \"sev2\", \"Severity\": {\"Label\": \"CRITICAL\"}, "
        "\"FindingProviderFields\": {\"Severity\": {\"Label\": \"LOW\"}}},\n"
        " {\"Id\": \"sev3\", \"Severity\": {\"Label\": \"SEVERE\"}}]");
    ck_assert_uint_eq(fs.n, 13);
    ck_assert_int_eq(by_id(&fs, "p")->result, EV_RESULT_PASSED);
    ck_assert(!by_id(&fs, "p")->archived);
    ck_assert_int_eq(by_id(&fs, "w")->result, EV_RESULT_WARNING);
    ck_assert_int_eq(by_id(&fs, "na")->result, EV_RESULT_NOT_AVAILABLE);
    const ev_finding *f = by_id(&fs, "infoed");
    ck_assert_int_eq(f->result, EV_RESULT_UNRECOGNISED);
    ck_assert_str_eq(f->result_text, "INFOED");
    ck_assert_int_eq(by_id(&fs, "lower")->result, EV_RESULT_UNRECOGNISED); /* the enum is exact */
    ck_assert_int_eq(by_id(&fs, "nostatus")->result, EV_RESULT_NONE);
    f = by_id(&fs, "sup");
    ck_assert(f->suppressed);
    ck_assert_str_eq(f->workflow, "SUPPRESSED");
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert(by_id(&fs, "sup-old")->suppressed);
    ck_assert(!by_id(&fs, "resolved")->suppressed);
    ck_assert_str_eq(by_id(&fs, "resolved")->workflow, "RESOLVED");
    ck_assert(by_id(&fs, "arch")->archived);
    ck_assert_int_eq(by_id(&fs, "sev")->severity, EV_SEV_HIGH);
    ck_assert_int_eq(by_id(&fs, "sev2")->severity, EV_SEV_CRITICAL);
    ck_assert_int_eq(by_id(&fs, "sev3")->severity, EV_SEV_UNKNOWN);
    ck_assert_str_eq(by_id(&fs, "sev3")->severity_label, "SEVERE");
    found_free(&fs);
}
END_TEST

START_TEST(names)
{
    ck_assert_str_eq(ev_result_name(EV_RESULT_PASSED), "passed");
    ck_assert_str_eq(ev_result_name(EV_RESULT_NOT_AVAILABLE), "not-available");
    ck_assert_str_eq(ev_result_name(EV_RESULT_UNRECOGNISED), "unrecognised");
    ck_assert_str_eq(ev_result_name(EV_RESULT_NONE), "none");
    ck_assert_str_eq(ev_result_name(EV_RESULT_COUNT), "unknown");
    ck_assert_str_eq(ev_severity_name(EV_SEV_INFORMATIONAL), "informational");
    ck_assert_str_eq(ev_severity_name(EV_SEV_CRITICAL), "critical");
    ck_assert_str_eq(ev_severity_name(EV_SEV_COUNT), "unknown");
    ck_assert_int_eq(ev_severity_parse("Medium"), EV_SEV_MEDIUM);
    ck_assert_int_eq(ev_severity_parse("INFORMATIONAL"), EV_SEV_INFORMATIONAL);
    ck_assert_int_eq(ev_severity_parse("unknown"), EV_SEV_UNKNOWN);
    ck_assert_int_eq(ev_severity_parse(""), EV_SEV_UNKNOWN);
    ck_assert_int_eq(ev_severity_parse(NULL), EV_SEV_UNKNOWN);
}
END_TEST

/* ---- field errors ---- */

START_TEST(wrong_types)
{
    /* "Title": 5 on line 5, the value at column 14 */
    assert_text_fails("{\"Findings\": [\n"
                      "  {\"Id\": \"ok-1\", \"Title\": \"fine\"},\n"
                      "  {\n"
                      "    \"Id\": \"bad-1\",\n"
                      "    \"Title\": 5\n"
                      "  }\n"
                      "]}\n",
                      5, 14, "\"Title\"");
    /* on the first line of an element, columns add up */
    assert_text_fails("[{\"Id\": \"a\"}, {\"Id\": \"b\", \"Region\": [\"x\"]}]", 1, 37,
                      "\"Region\"");
    assert_text_fails("[{\"Id\": \"a\",\n \"Severity\": {\"Label\": 3}}]", 2, 24, "\"Label\"");
    assert_text_fails("[{\"Id\": \"a\",\n \"Workflow\": {\"Status\": true}}]", 2, 25, "\"Status\"");
    assert_text_fails("[{\"Id\": \"a\",\n \"Remediation\": {\"Recommendation\": {\"Url\": {}}}}]",
                      2, 44, "\"Url\"");
    assert_text_fails("[{\"Id\": \"a\",\n \"Compliance\": {\"RelatedRequirements\": \"PCI\"}}]", 2,
                      40, "RelatedRequirements");
    assert_text_fails("[{\"Id\": \"a\",\n \"Compliance\": {\"RelatedRequirements\": [\"a\", 1]}}]",
                      2, 40, "RelatedRequirements");
    assert_text_fails("[{\"Id\": \"a\",\n \"Compliance\": {\"Status\": 1}}]", 2, 27, "\"Status\"");
    assert_text_fails("[{\"Id\": \"a\", \"ProductFields\": {\"ControlId\": 7}}]", 1, 45,
                      "\"ControlId\"");
    assert_text_fails("[{\"Id\": \"a\", \"Resources\": [{\"Id\": 7}]}]", 1, 27, "\"Id\"");
    assert_text_fails("[{\"Id\": \"a\", \"RecordState\": false}]", 1, 29, "\"RecordState\"");
}
END_TEST

START_TEST(bad_ids)
{
    /* missing: at the finding */
    assert_text_fails("[\n  {\"Title\": \"no id\"}]", 2, 3, "\"Id\"");
    /* wrong type or empty: at the value */
    assert_text_fails("[{\"Id\": 17}]", 1, 9, "\"Id\"");
    assert_text_fails("[{\"Id\": \"\"}]", 1, 9, "\"Id\"");
    assert_text_fails("[{\"Id\": null}]", 1, 9, "\"Id\"");
}
END_TEST

START_TEST(bad_timestamps)
{
    assert_text_fails("[{\"Id\": \"a\",\n  \"UpdatedAt\": \"2026-02-30T00:00:00Z\"}]", 2, 16,
                      "UpdatedAt");
    assert_text_fails("[{\"Id\": \"a\", \"UpdatedAt\": \"yesterday\"}]", 1, 27, "UpdatedAt");
    assert_text_fails("[{\"Id\": \"a\", \"UpdatedAt\": 1700000000}]", 1, 27, "UpdatedAt");
    /* an offset is applied */
    found fs = ingest_text_ok("[{\"Id\": \"a\", \"UpdatedAt\": \"2026-09-01T02:00:00+02:00\"}]");
    ck_assert_int_eq(fs.f[0].updated_at, 1788220800);
    ck_assert_str_eq(fs.f[0].updated_text, "2026-09-01T02:00:00+02:00");
    found_free(&fs);
}
END_TEST

START_TEST(bad_utf8)
{
    /* raw invalid bytes: at the first bad byte */
    assert_text_fails("[{\"Id\": \"a\",\n  \"Title\": \"caf\xC3\x28\"}]", 2, 16, "UTF-8");
    assert_text_fails("[{\"Id\": \"a\", \"Title\": \"\xED\xA0\x80\"}]", 1, 24, "UTF-8");
    assert_text_fails("[{\"Id\": \"a\", \"Title\": \"\xC0\xAF\"}]", 1, 24, "UTF-8");
    assert_text_fails("[{\"Id\": \"a\", \"Title\": \"\xF4\x90\x80\x80\"}]", 1, 24, "UTF-8");
    assert_text_fails("[{\"Id\": \"\xFF\"}]", 1, 10, "UTF-8");
    /* a Latin-1 file */
    assert_text_fails("{\"Id\": \"caf\xE9\"}", 1, 12, "UTF-8");
    /* valid multi-byte text and escapes pass through */
    found fs = ingest_text_ok("[{\"Id\": \"a\", \"Title\": \"\xE6\x97\xA5 \\u00e9 \\ud83d\\ude00 "
                              "\xE2\x80\xAE\"}]");
    ck_assert_str_eq(fs.f[0].title, "\xE6\x97\xA5 \xC3\xA9 \xF0\x9F\x98\x80 \xE2\x80\xAE");
    found_free(&fs);
}
END_TEST

START_TEST(nul_and_surrogate_escapes)
{
    /* \u0000 would cut the string short (and merge distinct ids): refused at the escape */
    assert_text_fails("[{\"Id\": \"a\\u0000b\"}]", 1, 11, "\\u0000");
    assert_text_fails("[{\"Id\": \"a\"},\n {\"Id\": \"b\", \"Title\": \"x\\u0000\"}]", 2, 25,
                      "\\u0000");
    /* an escaped backslash followed by u0000 is plain text */
    found fs = ingest_text_ok("[{\"Id\": \"a\\\\u0000b\"}]");
    ck_assert_str_eq(fs.f[0].id, "a\\u0000b");
    found_free(&fs);
    /* lone or reversed surrogates are refused, never turned into invalid UTF-8 */
    assert_text_fails("[{\"Id\": \"a\", \"Title\": \"x\\ud800y\"}]", 1, 25, NULL);
    assert_text_fails("[{\"Id\": \"a\", \"Title\": \"x\\udc00y\"}]", 1, 25, NULL);
    assert_text_fails("[{\"Id\": \"a\", \"Title\": \"x\\ud800\\u0041\"}]", 1, 25, NULL);
    assert_text_fails("[{\"Id\": \"a\", \"Title\": \"\\udc00\\ud800\"}]", 1, 24, NULL);
    assert_text_fails("[{\"Id\": \"\\ud800\"}]", 1, 10, NULL);
}
END_TEST

START_TEST(io_errors)
{
    assert_ingest_fails(work, EV_ERR_IO, 0, 0, "directory");
    assert_ingest_fails(wpath("missing.json"), EV_ERR_IO, 0, 0, "cannot open");
}
END_TEST

/* ---- source digest ---- */

static size_t progress_calls;
static size_t progress_last;

static void progress(const char *path, unsigned long long bytes, size_t records, void *ctx)
{
    (void)path;
    (void)bytes;
    ck_assert_ptr_eq(ctx, &progress_calls);
    progress_calls++;
    progress_last = records;
}

static void assert_digest(const char *path, size_t records)
{
    ev_store *st = new_store();
    ev_source src;
    ev_error err;
    progress_calls = 0;
    ck_assert_int_eq(ev_ingest_file(path, st, &src, progress, &progress_calls, &err), EV_OK);
    char hex[65];
    unsigned long long size = 0;
    ck_assert_int_eq(ev_sha256_file(path, hex, &size, &err), EV_OK);
    ck_assert_str_eq(src.sha256, hex);
    ck_assert_uint_eq(src.bytes, size);
    ck_assert_uint_eq(src.records, records);
    ck_assert_uint_ge(progress_calls, 1);
    ck_assert_uint_eq(progress_last, records);
    ev_source_clear(&src);
    ck_assert_ptr_null(src.path);
    ev_store_free(st);
}

START_TEST(source_digest)
{
    assert_digest(asff("awscli_example_get-findings_1.json"), 1);
    assert_digest(asff("awsdocs_securityhub_sample-finding-nist_repaired.json"), 1);
    assert_digest(ev_test_path("samples/findings.json"), 80); /* several read chunks */
    write_text(wpath("ws.json"), "[" F1 "]\n\n   \n");
    assert_digest(wpath("ws.json"), 1); /* trailing whitespace is hashed too */
    write_text(wpath("empty.json"), "[]");
    assert_digest(wpath("empty.json"), 0);
    /* the digest is the one of the whole file, whatever its size */
    ev_buf b = EV_BUF_INIT;
    ev_buf_puts(&b, "[");
    for (int i = 0; i < 3000; i++)
        ev_buf_printf(&b, "%s{\"Id\": \"id-%d\", \"Title\": \"%0200d\"}", i ? ",\n" : "", i, i);
    ev_buf_puts(&b, "]\n");
    write_bytes(wpath("big.json"), b.data, b.len);
    ev_buf_free(&b);
    assert_digest(wpath("big.json"), 3000);
}
END_TEST

/* ---- the store ---- */

static ev_finding make(const char *id, const char *updated, ev_result result)
{
    ev_finding f;
    memset(&f, 0, sizeof f);
    f.source = ev_xstrdup("securityhub");
    f.id = ev_xstrdup(id);
    f.result = result;
    f.severity = EV_SEV_HIGH;
    if (updated) {
        f.updated_text = ev_xstrdup(updated);
        ck_assert(ev_timestamp_parse(updated, &f.updated_at));
    }
    return f;
}

static void add(ev_store *st, const char *id, const char *updated, ev_result result)
{
    ev_finding f = make(id, updated, result);
    ev_error err;
    ck_assert_int_eq(ev_store_add(st, &f, &err), EV_OK);
    ev_finding_clear(&f);
}

START_TEST(store_dedup)
{
    ev_store *st = NULL;
    ev_error err;
    ck_assert_int_eq(ev_store_new(NULL, &st, &err), EV_OK);
    /* newer second */
    add(st, "a", "2026-09-01T00:00:00Z", EV_RESULT_PASSED);
    add(st, "a", "2026-09-02T00:00:00Z", EV_RESULT_FAILED);
    /* newer first */
    add(st, "b", "2026-09-02T00:00:00Z", EV_RESULT_FAILED);
    add(st, "b", "2026-09-01T00:00:00Z", EV_RESULT_PASSED);
    /* a tie: the later delivery wins */
    add(st, "c", "2026-09-01T00:00:00Z", EV_RESULT_PASSED);
    add(st, "c", "2026-09-01T00:00:00Z", EV_RESULT_WARNING);
    /* three deliveries, newest in the middle; an offset makes the last one older */
    add(st, "d", "2026-09-01T00:00:00Z", EV_RESULT_PASSED);
    add(st, "d", "2026-09-03T00:00:00Z", EV_RESULT_FAILED);
    add(st, "d", "2026-09-03T01:00:00+02:00", EV_RESULT_WARNING);
    /* distinct ids differing in one byte */
    add(st, "e", NULL, EV_RESULT_NONE);
    add(st, "E", NULL, EV_RESULT_NONE);
    add(st, "e ", NULL, EV_RESULT_NONE);
    ck_assert_uint_eq(ev_store_records(st), 12);
    ck_assert_uint_eq(ev_store_duplicates(st), 5);
    found fs = collect(st);
    ck_assert_uint_eq(fs.n, 7);
    ck_assert_int_eq(by_id(&fs, "a")->result, EV_RESULT_FAILED);
    ck_assert_int_eq(by_id(&fs, "b")->result, EV_RESULT_FAILED);
    ck_assert_int_eq(by_id(&fs, "c")->result, EV_RESULT_WARNING);
    ck_assert_int_eq(by_id(&fs, "d")->result, EV_RESULT_FAILED);
    ck_assert_str_eq(by_id(&fs, "d")->updated_text, "2026-09-03T00:00:00Z");
    /* winners come in the order they were added */
    static const char *const order[] = {"a", "b", "c", "d", "e", "E", "e "};
    for (size_t i = 0; i < 7; i++)
        ck_assert_str_eq(fs.f[i].id, order[i]);
    found_free(&fs);
    /* iterating twice gives the same; adding afterwards still works */
    fs = collect(st);
    ck_assert_uint_eq(fs.n, 7);
    found_free(&fs);
    add(st, "a", "2026-09-05T00:00:00Z", EV_RESULT_PASSED);
    fs = collect(st);
    ck_assert_uint_eq(fs.n, 7);
    ck_assert_int_eq(by_id(&fs, "a")->result, EV_RESULT_PASSED);
    ck_assert_str_eq(fs.f[6].id, "a");
    found_free(&fs);
    ck_assert_uint_eq(ev_store_duplicates(st), 6);
    ev_store_free(st);
}
END_TEST

START_TEST(store_dedup_files)
{
    /* the same through files: order within a file and across files does not matter */
    write_text(wpath("x.json"), "[{\"Id\": \"k\", \"UpdatedAt\": \"2026-09-21T07:02:48.903Z\", "
                                "\"Compliance\": {\"Status\": \"FAILED\"}},\n"
                                " {\"Id\": \"k\", \"UpdatedAt\": \"2026-09-12T07:02:11.450Z\", "
                                "\"Compliance\": {\"Status\": \"PASSED\"}}]");
    write_text(wpath("y.json"), "[{\"Id\": \"k\", \"UpdatedAt\": \"2026-09-12T07:02:11.450Z\", "
                                "\"Compliance\": {\"Status\": \"PASSED\"}}]");
    write_text(wpath("z.json"), "[{\"Id\": \"k\", \"UpdatedAt\": \"2026-09-21T07:02:48.903Z\", "
                                "\"Compliance\": {\"Status\": \"WARNING\"}}]");
    ev_store *st = new_store();
    ingest_ok(st, wpath("y.json"));
    ingest_ok(st, wpath("x.json"));
    found fs = collect(st);
    ck_assert_uint_eq(fs.n, 1);
    ck_assert_int_eq(fs.f[0].result, EV_RESULT_FAILED);
    ck_assert_str_eq(fs.f[0].file, wpath("x.json"));
    ck_assert_int_eq(fs.f[0].line, 1);
    ck_assert_int_eq(fs.f[0].col, 2);
    found_free(&fs);
    ck_assert_uint_eq(ev_store_duplicates(st), 2);
    /* same timestamp, later file: it wins */
    ingest_ok(st, wpath("z.json"));
    fs = collect(st);
    ck_assert_int_eq(fs.f[0].result, EV_RESULT_WARNING);
    found_free(&fs);
    ck_assert_uint_eq(ev_store_duplicates(st), 3);
    ev_store_free(st);
}
END_TEST

START_TEST(store_round_trip)
{
    ev_finding f;
    memset(&f, 0, sizeof f);
    f.source = ev_xstrdup("securityhub");
    f.id = ev_xstrdup("id-\xE6\x97\xA5");
    f.check = ev_xstrdup("securityhub:IAM.6");
    f.title = ev_xstrdup("");
    f.severity_label = ev_xstrdup("CRITICAL");
    f.severity = EV_SEV_CRITICAL;
    f.result = EV_RESULT_UNRECOGNISED;
    f.result_text = ev_xstrdup("INFOED");
    f.workflow = ev_xstrdup("SUPPRESSED");
    f.suppressed = true;
    f.archived = true;
    f.account = ev_xstrdup("111122223333");
    f.resource_id = ev_xstrdup("a|b`<script>");
    f.updated_text = ev_xstrdup("1969-12-31T23:59:59Z");
    f.updated_at = -1;
    f.remediation_url = ev_xstrdup("https://example.com/x");
    f.n_requirements = 3;
    f.requirements = ev_xcalloc(3, sizeof(char *));
    f.requirements[0] = ev_xstrdup("PCI DSS v4.0.1/8.3.1");
    f.requirements[1] = ev_xstrdup("");
    f.requirements[2] = ev_xstrdup("NIST.800-53.r5 AC-2(1)");
    f.file = ev_xstrdup("findings.json");
    f.line = 123456;
    f.col = 78;
    ev_store *st = NULL;
    ev_error err;
    ck_assert_int_eq(ev_store_new(NULL, &st, &err), EV_OK);
    ck_assert_int_eq(ev_store_add(st, &f, &err), EV_OK);
    found fs = collect(st);
    ck_assert_uint_eq(fs.n, 1);
    const ev_finding *g = &fs.f[0];
    ck_assert_str_eq(g->source, f.source);
    ck_assert_str_eq(g->id, f.id);
    ck_assert_str_eq(g->check, f.check);
    ck_assert_str_eq(g->title, "");
    ck_assert_str_eq(g->severity_label, "CRITICAL");
    ck_assert_int_eq(g->severity, EV_SEV_CRITICAL);
    ck_assert_int_eq(g->result, EV_RESULT_UNRECOGNISED);
    ck_assert_str_eq(g->result_text, "INFOED");
    ck_assert_str_eq(g->workflow, "SUPPRESSED");
    ck_assert(g->suppressed && g->archived);
    ck_assert_str_eq(g->account, "111122223333");
    ck_assert_ptr_null(g->region);
    ck_assert_ptr_null(g->resource_type);
    ck_assert_str_eq(g->resource_id, "a|b`<script>");
    ck_assert_ptr_null(g->remediation);
    ck_assert_str_eq(g->remediation_url, f.remediation_url);
    ck_assert_int_eq(g->updated_at, -1);
    ck_assert_str_eq(g->updated_text, f.updated_text);
    ck_assert_uint_eq(g->n_requirements, 3);
    for (size_t i = 0; i < 3; i++)
        ck_assert_str_eq(g->requirements[i], f.requirements[i]);
    ck_assert_str_eq(g->file, "findings.json");
    ck_assert_int_eq(g->line, 123456);
    ck_assert_int_eq(g->col, 78);
    found_free(&fs);
    ev_finding_clear(&f);
    ck_assert_ptr_null(f.id);
    ev_store_free(st);
}
END_TEST

START_TEST(store_many)
{
    ev_store *st = NULL;
    ev_error err;
    ck_assert_int_eq(ev_store_new(NULL, &st, &err), EV_OK);
    char id[32];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 20000; i++) {
            snprintf(id, sizeof id, "finding-%d", i);
            add(st, id, round ? "2026-09-02T00:00:00Z" : "2026-09-01T00:00:00Z",
                round ? EV_RESULT_FAILED : EV_RESULT_PASSED);
        }
    ck_assert_uint_eq(ev_store_records(st), 40000);
    ck_assert_uint_eq(ev_store_duplicates(st), 20000);
    found fs = collect(st);
    ck_assert_uint_eq(fs.n, 20000);
    for (size_t i = 0; i < fs.n; i++) {
        snprintf(id, sizeof id, "finding-%zu", i);
        ck_assert_str_eq(fs.f[i].id, id);
        ck_assert_int_eq(fs.f[i].result, EV_RESULT_FAILED);
    }
    found_free(&fs);
    ev_store_free(st);
}
END_TEST

/* More deliveries than one sorted run holds (several runs merged), in a scrambled order,
 * with ties on the timestamp: the newest delivery of each id wins, the later one on a tie. */
START_TEST(store_many_runs)
{
    ev_store *st = new_store();
    enum { IDS = 100000, ROUNDS = 3 };
    static const ev_result round_result[ROUNDS] = {EV_RESULT_PASSED, EV_RESULT_FAILED,
                                                   EV_RESULT_WARNING};
    char id[32], when[32];
    for (int r = 0; r < ROUNDS; r++)
        for (long k = 0; k < IDS; k++) {
            long i = (k * 7919) % IDS;
            snprintf(id, sizeof id, "arn:finding/%ld", i);
            snprintf(when, sizeof when, "2026-09-0%ldT00:00:00Z", (i * r) % 3 + 1);
            add(st, id, when, round_result[r]);
        }
    ck_assert_uint_eq(ev_store_records(st), (size_t)IDS * ROUNDS);
    ck_assert_uint_eq(ev_store_duplicates(st), (size_t)IDS * (ROUNDS - 1));
    found fs = collect(st);
    ck_assert_uint_eq(fs.n, IDS);
    size_t *seen = ev_xcalloc(IDS, sizeof *seen);
    for (size_t n = 0; n < fs.n; n++) {
        long i = strtol(strrchr(fs.f[n].id, '/') + 1, NULL, 10);
        int best = 0;
        for (int r = 1; r < ROUNDS; r++)
            if ((i * r) % 3 >= (i * best) % 3)
                best = r;
        ck_assert_int_eq(fs.f[n].result, round_result[best]);
        seen[i]++;
    }
    for (size_t i = 0; i < IDS; i++)
        ck_assert_uint_eq(seen[i], 1);
    free(seen);
    found_free(&fs);
    ev_store_free(st);
}
END_TEST

/* Records larger than the walk's read block, between small ones, read back whole. */
START_TEST(store_big_records)
{
    ev_store *st = new_store();
    size_t sizes[] = {10, 3u << 20, 100, (1u << 20) - 7, 5};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char id[16];
        snprintf(id, sizeof id, "f%zu", i);
        ev_finding f = make(id, NULL, EV_RESULT_FAILED);
        f.title = ev_xmalloc(sizes[i] + 1);
        memset(f.title, 'a' + (int)i, sizes[i]);
        f.title[sizes[i]] = '\0';
        ev_error err;
        ck_assert_int_eq(ev_store_add(st, &f, &err), EV_OK);
        ev_finding_clear(&f);
    }
    found fs = collect(st);
    ck_assert_uint_eq(fs.n, sizeof sizes / sizeof *sizes);
    for (size_t i = 0; i < fs.n; i++) {
        ck_assert_uint_eq(strlen(fs.f[i].title), sizes[i]);
        ck_assert_int_eq(fs.f[i].title[sizes[i] / 2], 'a' + (int)i);
    }
    found_free(&fs);
    ev_store_free(st);
}
END_TEST

static ev_status stop_fn(const ev_finding *f, void *ctx, ev_error *err)
{
    size_t *n = ctx;
    if (++*n == 2)
        return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "stop at %s", f->id);
    return EV_OK;
}

START_TEST(store_walk_stops)
{
    ev_store *st = new_store();
    add(st, "a", NULL, EV_RESULT_PASSED);
    add(st, "b", NULL, EV_RESULT_PASSED);
    add(st, "c", NULL, EV_RESULT_PASSED);
    size_t n = 0;
    ev_error err;
    ck_assert_int_eq(ev_store_each(st, stop_fn, &n, &err), EV_ERR_OUTPUT);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(err.msg, "stop at b");
    ev_store_free(st);
    /* a spill folder that does not exist */
    st = NULL;
    ck_assert_int_eq(ev_store_new(wpath("no/such/dir"), &st, &err), EV_ERR_OUTPUT);
    ck_assert_ptr_null(st);
    ev_store_free(NULL);
}
END_TEST

START_TEST(finding_copy)
{
    ev_finding f = make("a", "2026-09-01T00:00:00Z", EV_RESULT_FAILED);
    f.n_requirements = 1;
    f.requirements = ev_xcalloc(1, sizeof(char *));
    f.requirements[0] = ev_xstrdup("PCI DSS v4.0.1/1.2.1");
    ev_finding g;
    ev_finding_copy(&g, &f);
    ck_assert_ptr_ne(g.id, f.id);
    ck_assert_str_eq(g.id, "a");
    ck_assert_ptr_ne(g.requirements, f.requirements);
    ck_assert_str_eq(g.requirements[0], "PCI DSS v4.0.1/1.2.1");
    ck_assert_int_eq(g.updated_at, f.updated_at);
    ck_assert_ptr_null(g.title);
    ev_finding_clear(&f);
    ck_assert_str_eq(g.updated_text, "2026-09-01T00:00:00Z");
    ev_finding_clear(&g);
}
END_TEST

/* ---- samples/findings.json ---- */

/* Reads every record of a file (no de-duplication) with ev_asff_read. */
static found read_all(const char *path)
{
    found fs = {NULL, 0, 0};
    FILE *fp = fopen(path, "rb");
    ck_assert_ptr_nonnull(fp);
    ev_json_stream *js = ev_json_stream_new(fp, path);
    for (;;) {
        ev_json_element el;
        int has = 0;
        ev_error err;
        ck_assert_int_eq(ev_json_stream_next(js, &el, &has, &err), EV_OK);
        if (!has)
            break;
        cJSON *obj = cJSON_ParseWithLength(el.text, el.len);
        ck_assert_ptr_nonnull(obj);
        ev_finding f;
        ck_assert_int_eq(ev_asff_read(obj, &el, path, &f, &err), EV_OK);
        cJSON_Delete(obj);
        collect_fn(&f, &fs, &err);
        ev_finding_clear(&f);
    }
    ev_json_stream_free(js);
    fclose(fp);
    return fs;
}

#define SAMPLE_ID(x) "arn:aws:securityhub:" x

START_TEST(sample_findings_file)
{
    const char *path = ev_test_path("samples/findings.json");
    /* every record, as samples/README.md describes them */
    found all = read_all(path);
    ck_assert_uint_eq(all.n, 80);
    size_t results[EV_RESULT_COUNT] = {0}, archived = 0, suppressed = 0, wf_new = 0, resolved = 0,
           notified = 0, eu1 = 0, us1 = 0, eu4 = 0, us4 = 0;
    for (size_t i = 0; i < all.n; i++) {
        const ev_finding *f = &all.f[i];
        results[f->result]++;
        archived += f->archived;
        suppressed += f->suppressed;
        wf_new += strcmp(f->workflow, "NEW") == 0;
        resolved += strcmp(f->workflow, "RESOLVED") == 0;
        notified += strcmp(f->workflow, "NOTIFIED") == 0;
        bool a1 = strcmp(f->account, "111122223333") == 0;
        bool eu = strcmp(f->region, "eu-west-1") == 0;
        ck_assert(a1 || strcmp(f->account, "444455556666") == 0);
        ck_assert(eu || strcmp(f->region, "us-east-1") == 0);
        eu1 += a1 && eu;
        us1 += a1 && !eu;
        eu4 += !a1 && eu;
        us4 += !a1 && !eu;
        ck_assert_int_ge(f->updated_at, 1785542400); /* 2026-08-01 */
        ck_assert_int_lt(f->updated_at, 1790726400); /* 2026-09-30 */
        if (i)
            ck_assert_int_gt(f->line, all.f[i - 1].line); /* one finding per line range */
    }
    ck_assert_uint_eq(results[EV_RESULT_PASSED], 64);
    ck_assert_uint_eq(results[EV_RESULT_FAILED], 12);
    ck_assert_uint_eq(results[EV_RESULT_WARNING], 1);
    ck_assert_uint_eq(results[EV_RESULT_NOT_AVAILABLE], 1);
    ck_assert_uint_eq(results[EV_RESULT_UNRECOGNISED], 1);
    ck_assert_uint_eq(results[EV_RESULT_NONE], 1);
    ck_assert_uint_eq(archived, 3);
    ck_assert_uint_eq(suppressed, 2);
    ck_assert_uint_eq(wf_new, 54);
    ck_assert_uint_eq(resolved, 22);
    ck_assert_uint_eq(notified, 2);
    ck_assert_uint_eq(eu1, 51);
    ck_assert_uint_eq(us1, 3);
    ck_assert_uint_eq(us4, 24);
    ck_assert_uint_eq(eu4, 2);
    /* deliberate cases by index */
    ck_assert_int_eq(all.f[5].result, EV_RESULT_UNRECOGNISED);
    ck_assert_str_eq(all.f[5].result_text, "INFOED");
    ck_assert_str_eq(all.f[5].check, "securityhub:CloudTrail.4");
    ck_assert_ptr_null(all.f[74].check); /* GuardDuty */
    ck_assert_int_eq(all.f[74].result, EV_RESULT_NONE);
    ck_assert_str_eq(all.f[76].check, "securityhub:PCI.IAM.4");
    ck_assert_uint_eq(all.f[76].n_requirements, 1);
    ck_assert_str_eq(all.f[76].requirements[0], "PCI DSS 8.3.1");
    ck_assert_int_eq(all.f[76].severity, EV_SEV_CRITICAL);
    ck_assert_ptr_nonnull(strstr(all.f[10].title, "<script>alert(1)</script>"));
    ck_assert(all.f[73].suppressed && all.f[73].result == EV_RESULT_FAILED);
    ck_assert(all.f[39].suppressed && all.f[39].result == EV_RESULT_PASSED);
    ck_assert(all.f[77].archived && all.f[78].archived && all.f[79].archived);
    ck_assert_int_eq(all.f[0].line, 3);
    ck_assert_int_eq(all.f[0].col, 9);
    found_free(&all);

    /* through the store: 2 re-deliveries, newest wins */
    ev_store *st = new_store();
    ck_assert_uint_eq(ingest_ok(st, path), 80);
    ck_assert_uint_eq(ev_store_records(st), 80);
    ck_assert_uint_eq(ev_store_duplicates(st), 2);
    found fs = collect(st);
    ck_assert_uint_eq(fs.n, 78);
    size_t arch = 0, active = 0, sup = 0, unrec = 0, passed = 0, failed = 0;
    for (size_t i = 0; i < fs.n; i++) {
        arch += fs.f[i].archived;
        if (fs.f[i].archived)
            continue;
        active++;
        sup += fs.f[i].suppressed;
        unrec += fs.f[i].result == EV_RESULT_UNRECOGNISED;
        passed += fs.f[i].result == EV_RESULT_PASSED;
        failed += fs.f[i].result == EV_RESULT_FAILED;
    }
    ck_assert_uint_eq(arch, 3);
    ck_assert_uint_eq(active, 75);
    ck_assert_uint_eq(sup, 2);
    ck_assert_uint_eq(unrec, 1);
    ck_assert_uint_eq(passed, 61); /* 64, less the 2 losers and 1 archived */
    ck_assert_uint_eq(failed, 10); /* 12, less the 2 archived failures */
    const ev_finding *f = by_id(&fs, SAMPLE_ID("eu-west-1:111122223333:security-control/IAM.5/"
                                               "finding/27e303a7-58de-8939-c99a-540f346b0638"));
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_str_eq(f->updated_text, "2026-09-21T07:02:48.903Z");
    f = by_id(&fs, SAMPLE_ID("eu-west-1:111122223333:security-control/KMS.4/finding/"
                             "2fa26492-2715-3842-0ec5-4e577016fa79"));
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->result, EV_RESULT_FAILED);
    ck_assert_str_eq(f->updated_text, "2026-09-25T11:01:19.702Z");
    found_free(&fs);
    ev_store_free(st);
}
END_TEST

/* ---- the tree-free ASFF scan against cJSON + ev_asff_read ---- */

/* Reads text both ways. The scan may decline (cJSON then decides), but when it maps a
 * finding, cJSON's path must give the same record byte for byte; when it maps an error,
 * cJSON's path must fail too. Returns whether the scan took the element. */
static bool scan_agrees(const char *text)
{
    size_t len = strlen(text);
    ev_json_element el = {text, len, 3, 7, 0};
    cJSON *obj = cJSON_ParseWithLength(text, len);
    ev_finding slow;
    ev_error err;
    ev_status slow_rc = obj ? ev_asff_read(obj, &el, "in.json", &slow, &err) : EV_ERR_INPUT;
    cJSON_Delete(obj);

    ev_asff_scanner sc = {0};
    ev_asff_fields fields;
    bool took = ev_asff_scan(text, len, &sc, &fields);
    if (took) {
        ck_assert_msg(obj != NULL, "the scan took what cJSON rejects: %s", text);
        ev_finding view;
        ev_buf check = EV_BUF_INIT;
        int bad = -1;
        ev_status rc = ev_asff_map(&fields, "in.json", 3, 7, &view, &check, &bad);
        ck_assert_msg(rc == EV_OK ? slow_rc == EV_OK : slow_rc != EV_OK, "scan %d, cJSON %d on %s",
                      rc, slow_rc, text);
        if (rc == EV_OK) {
            ev_buf a = EV_BUF_INIT, b = EV_BUF_INIT;
            ev_store_key ka, kb;
            ev_store_encode(&view, &a, &ka);
            ev_store_encode(&slow, &b, &kb);
            ck_assert_msg(a.len == b.len && memcmp(a.data, b.data, a.len) == 0 && ka.h1 == kb.h1 &&
                              ka.h2 == kb.h2 && ka.updated == kb.updated,
                          "different records for %s", text);
            ev_buf_free(&a);
            ev_buf_free(&b);
        }
        ev_buf_free(&check);
    }
    if (slow_rc == EV_OK || obj)
        ev_finding_clear(&slow);
    ev_asff_scanner_free(&sc);
    return took;
}

START_TEST(test_asff_scan_matches_cjson)
{
    /* plain findings the scan must take */
    static const char *const plain[] = {
        "{\"Id\":\"a\"}",
        " {\"Id\":\"a\",\"Title\":null,\"Region\":\"eu-west-1\"} \n",
        "{\"Id\":\"arn:x/1\",\"Title\":\"T \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t\",\"AwsAccountId\":"
        "\"111\",\"UpdatedAt\":\"2026-09-03T01:35:48.524Z\",\"RecordState\":\"ARCHIVED\","
        "\"Severity\":{\"Label\":\"HIGH\",\"Normalized\":70,\"x\":[true,false,null,-1.5e+3]},"
        "\"Workflow\":{\"Status\":\"SUPPRESSED\"},\"WorkflowState\":\"NEW\","
        "\"Remediation\":{\"Recommendation\":{\"Text\":\"t\",\"Url\":\"https://u\"}},"
        "\"Resources\":[{\"Type\":\"AwsS3Bucket\",\"Id\":\"arn:aws:s3:::b\",\"Region\":\"r\"},"
        "{\"Type\":\"second\"}],\"Compliance\":{\"Status\":\"FAILED\",\"SecurityControlId\":"
        "\"S3.1\",\"RelatedRequirements\":[\"PCI DSS v4.0.1/1.2.3\",\"NIST.800-53.r5 AC-3\"]},"
        "\"ProductFields\":{\"ControlId\":\"ignored\"}}",
        /* the first member of a name counts, as with cJSON's lookup */
        "{\"Id\":\"a\",\"Id\":\"b\",\"Title\":\"one\",\"Title\":7,\"Severity\":\"x\","
        "\"Severity\":{\"Label\":\"LOW\"},\"FindingProviderFields\":{\"Severity\":{\"Label\":"
        "\"CRITICAL\"}}}",
        "{\"Id\":\"a\",\"FindingProviderFields\":{\"Severity\":{\"Label\":\"MEDIUM\"}}}",
        "{\"Id\":\"a\",\"Compliance\":{\"Status\":\"PASSED\",\"RelatedRequirements\":[]}}",
        "{\"Id\":\"a\",\"Compliance\":{\"Status\":\"INFOED\",\"RelatedRequirements\":null}}",
        "{\"Id\":\"a\",\"GeneratorId\":\"prowler-iam_root_mfa\"}",
        "{\"Id\":\"a\",\"GeneratorId\":\"g\",\"ProductFields\":{\"RuleId\":\"1.4\"}}",
        "{\"Id\":\"a\",\"ProductFields\":{\"RuleId\":\"CloudTrail.1\",\"ControlId\":null}}",
        "{\"Id\":\"a\",\"ProductFields\":{\"ControlId\":\"\",\"RuleId\":\"1.1\"}}",
        "{\"Id\":\"a\",\"Resources\":[\"not an object\",{\"Type\":\"t\"}]}",
        "{\"Id\":\"a\",\"Resources\":[],\"Workflow\":null,\"Remediation\":{\"Recommendation\":1}}",
        "{\"Id\":\"a\",\"Resources\":[{\"Region\":\"from-resource\"}]}",
        "{\"Id\":\"a\",\"Resources\":{\"Type\":\"not an array\"}}",
        "{\"Id\":\"\xc3\xa9\xe2\x82\xac\",\"Title\":\"\xf0\x9f\x98\x80\"}",
        /* \u escapes that decode to valid UTF-8: one to four bytes, a pair, upper case */
        ("{\"Id\":\"\\u0041\",\"Title\":\"caf\\u00e9 \\u20AC \\uD83D\\uDE00 \\u007f\\u0001\","
         "\"Compliance\":{\"RelatedRequirements\":[\"PCI DSS v4.0.1/\\u0038.3.1\"]}}"),
        /* errors the map reports (cJSON's path must fail too) */
        "{\"Id\":\"\"}",
        "{\"Title\":\"no id\"}",
        "{\"Id\":7}",
        "{\"Id\":\"a\",\"Title\":[1]}",
        "{\"Id\":\"a\",\"UpdatedAt\":\"yesterday\"}",
        "{\"Id\":\"a\",\"Compliance\":{\"RelatedRequirements\":[\"ok\",1]}}",
        "{\"Id\":\"a\",\"Compliance\":{\"RelatedRequirements\":\"PCI\"}}",
        "{\"Id\":\"a\",\"Resources\":[{\"Id\":{}}]}",
        "{\"Id\":\"a\",\"ProductFields\":{\"ControlId\":false}}",
    };
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        ck_assert_msg(scan_agrees(plain[i]), "the scan declined %s", plain[i]);

    /* what only cJSON decides: the scan must decline */
    static const char *const declined[] = {
        "{\"Id\":\"a\",\"Title\":\"\\u0000x\"}",       /* \u0000 (an error, cJSON's) */
        "{\"Id\":\"a\",\"Title\":\"\\uD800\"}",        /* a lone high surrogate */
        "{\"Id\":\"a\",\"Title\":\"\\uDC00\"}",        /* a lone low surrogate */
        "{\"Id\":\"a\",\"Title\":\"\\uD800\\u0041\"}", /* high, then not low */
        "{\"Id\":\"a\",\"Title\":\"\\uDE00\\uD83D\"}", /* a reversed pair */
        "{\"Id\":\"a\",\"Title\":\"\\u00zz\"}",        /* not hex */
        "{\"Id\":\"a\",\"Title\":\"\\u00e\"}",         /* too short */
        "{\"I\\\"d\":\"a\"}",                          /* an escape in a member name */
        "{\"Id\":\"a\",\"n\":01}",                     /* a number cJSON reads its own way */
        "{\"Id\":\"a\",\"n\":1.}",                     /* malformed */
        "{\"Id\":\"a\",}",                             /* trailing comma */
        "{\"Id\":\"a\"} x",                            /* trailing data */
        "[{\"Id\":\"a\"}]",                            /* not an object */
        "{\"Id\":\"a\",\"t\":tru}",                    /* a broken literal */
        "{\"Id\":\"a\tb\"}",                           /* a raw control character */
        "{\"Id\":\"a\",\"Title\":nul}",                /* a broken null where a string is read */
        "{\"Id\":\"a\",\"n\":1234567890123456789012345678901234567890123456789012345678901234}",
        "{\"Id\":\"a\"", /* unclosed */
    };
    for (size_t i = 0; i < sizeof declined / sizeof *declined; i++)
        ck_assert_msg(!scan_agrees(declined[i]), "the scan took %s", declined[i]);

    /* nesting: 512 levels are scanned, deeper goes to cJSON */
    ev_buf deep = EV_BUF_INIT;
    for (int depth = 511; depth <= 512; depth++) {
        ev_buf_clear(&deep);
        ev_buf_puts(&deep, "{\"Id\":\"a\",\"x\":");
        for (int i = 0; i < depth - 1; i++)
            ev_buf_putc(&deep, '[');
        for (int i = 0; i < depth - 1; i++)
            ev_buf_putc(&deep, ']');
        ev_buf_putc(&deep, '}');
        ck_assert_int_eq(scan_agrees(deep.data), depth <= 512);
    }
    ev_buf_free(&deep);
}
END_TEST

/* Every finding of the real samples goes the same way through both paths. */
START_TEST(test_asff_scan_samples)
{
    static const char *const files[] = {
        "tests/data/asff/awscli_example_get-findings_1.json",
        "tests/data/asff/awsdocs_securityhub_sample-finding-cis-1.2.json",
        "tests/data/asff/awsdocs_securityhub_sample-finding-cis-1.4.json",
        "tests/data/asff/awsdocs_securityhub_sample-finding-consolidation_repaired.json",
        "tests/data/asff/awsdocs_securityhub_sample-finding-fsbp.json",
        "tests/data/asff/awsdocs_securityhub_sample-finding-nist_repaired.json",
        "tests/data/asff/awsdocs_securityhub_sample-finding-pcidss.json",
        "tests/data/asff/awsdocs_securityhub_sample-finding-service-managed-aws-control-tower.json",
        "samples/findings.json",
    };
    size_t taken = 0, total = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        FILE *fp = fopen(ev_test_path(files[i]), "rb");
        ck_assert_msg(fp != NULL, "%s", files[i]);
        ev_json_stream *js = ev_json_stream_new(fp, files[i]);
        ev_json_element el;
        int has;
        ev_error err;
        while (ev_json_stream_next(js, &el, &has, &err) == EV_OK && has) {
            char *copy = ev_xstrndup(el.text, el.len);
            taken += scan_agrees(copy);
            total++;
            free(copy);
        }
        ev_json_stream_free(js);
        fclose(fp);
    }
    ck_assert_uint_gt(total, 20);
    ck_assert_msg(taken * 10 >= total * 9, "the scan took %zu of %zu", taken, total);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ingest");
    TCase *tc = tcase_create("samples");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, sample_valid, 0, (int)(sizeof samples / sizeof *samples));
    tcase_add_test(tc, sample_details);
    tcase_add_test(tc, sample_invalid);
    tcase_add_test(tc, member_name_position);
    tcase_add_test(tc, sample_findings_file);
    suite_add_tcase(s, tc);

    tc = tcase_create("shapes");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, shapes);
    tcase_add_test(tc, shape_errors);
    tcase_add_test(tc, several_files_one_store);
    suite_add_tcase(s, tc);

    tc = tcase_create("fields");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, check_forms);
    tcase_add_test(tc, results_and_states);
    tcase_add_test(tc, names);
    tcase_add_test(tc, wrong_types);
    tcase_add_test(tc, bad_ids);
    tcase_add_test(tc, bad_timestamps);
    tcase_add_test(tc, bad_utf8);
    tcase_add_test(tc, nul_and_surrogate_escapes);
    tcase_add_test(tc, io_errors);
    tcase_add_test(tc, source_digest);
    suite_add_tcase(s, tc);

    tc = tcase_create("asff_scan");
    tcase_add_test(tc, test_asff_scan_matches_cjson);
    tcase_add_test(tc, test_asff_scan_samples);
    suite_add_tcase(s, tc);

    tc = tcase_create("store");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, store_dedup);
    tcase_add_test(tc, store_dedup_files);
    tcase_add_test(tc, store_round_trip);
    tcase_add_test(tc, store_many);
    tcase_add_test(tc, store_many_runs);
    tcase_add_test(tc, store_big_records);
    tcase_add_test(tc, store_walk_stops);
    tcase_add_test(tc, finding_copy);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ev_run_suite(suite());
}
