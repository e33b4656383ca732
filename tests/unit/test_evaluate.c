/* test_evaluate.c: Check suite for the evaluate stage: the matcher (checks, requirement
 * references in listed namespaces only, aliases), control statuses and their precedence,
 * the finding counts (read = duplicates + archived + active), unrecognised and unmapped
 * findings, the bounded and ordered lists of findings per control, citation freshness
 * against the scope's editions, the summary matrix, and the bundled samples end to end.
 * Frameworks, catalogues and scopes are written to a fresh folder under /tmp; findings
 * are crafted records added to a store. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog/catalog.h"
#include "ev_check.h"
#include "evaluate/evaluate.h"
#include "ingest/ingest.h"
#include "util/buf.h"
#include "util/date.h"

/* ---- fixtures ---- */

static char work[64]; /* this test's folder under /tmp */

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/evpack-test-evaluate-XXXXXX");
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

static void write_text(const char *path, const char *text)
{
    ev_test_write(path, text, strlen(text));
}

/* ---- catalog documents ---- */

/* A control of a test framework; NULL members take defaults. */
typedef struct {
    const char *id;
    const char *resp;    /* "customer" (default), "aws", "shared" */
    const char *checks;  /* JSON array */
    const char *aliases; /* JSON array */
    const char *cits;    /* JSON array of citations (default: one of soc2-type2) */
} ctl;

/* Writes and loads a one-section framework named file with the given namespaces. */
static ev_framework *make_framework(const char *file, const char *namespaces, const ctl *c,
                                    size_t n)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b,
                  "{\"schema\": \"evpack/framework@1\", \"id\": \"%s\", \"name\": \"Test\", "
                  "\"version\": \"4.0.1\", \"title\": \"Test\", \"edition\": \"1\",\n"
                  " \"namespaces\": %s,\n"
                  " \"sections\": [{\"id\": \"1\", \"title\": \"One\"}],\n"
                  " \"controls\": [\n",
                  file, namespaces);
    for (size_t i = 0; i < n; i++) {
        const char *resp = c[i].resp ? c[i].resp : "customer";
        ev_buf_printf(&b,
                      "  %s{\"id\": \"%s\", \"title\": \"T\", \"section\": \"1\", "
                      "\"responsibility\": \"%s\", \"rationale\": \"R\"",
                      i ? "," : "", c[i].id, resp);
        if (strcmp(resp, "customer") != 0)
            ev_buf_printf(&b, ", \"aws\": {\"statement\": \"S\", \"citations\": %s}",
                          c[i].cits ? c[i].cits
                                    : "[{\"report\": \"soc2-type2\", \"section\": \"CC6.1\"}]");
        if (strcmp(resp, "aws") != 0)
            ev_buf_printf(&b, ", \"customer\": {\"statement\": \"S\", \"checks\": %s}",
                          c[i].checks ? c[i].checks : "[]");
        if (c[i].aliases)
            ev_buf_printf(&b, ", \"aliases\": %s", c[i].aliases);
        ev_buf_puts(&b, "}\n");
    }
    ev_buf_puts(&b, " ]}\n");
    char name[64];
    snprintf(name, sizeof name, "%s.json", file);
    write_text(wpath(name), b.data);
    ev_buf_free(&b);
    ev_framework *fw = NULL;
    ev_error err;
    ev_status rc = ev_framework_load(wpath(name), &fw, &err);
    ck_assert_msg(rc == EV_OK, "%s:%ld:%ld: %s", err.file, err.line, err.col, err.msg);
    return fw;
}

static ev_artifacts *make_artifacts(void)
{
    write_text(
        wpath("artifacts.json"),
        "{\"schema\": \"evpack/artifacts@1\", \"reports\": [\n"
        " {\"id\": \"soc2-type2\", \"title\": \"T\", \"attests\": \"A\", \"issuer\": \"I\", "
        "\"cadence\": \"C\", \"freshness\": {\"basis\": \"period_end\", \"max_days\": 365}},\n"
        " {\"id\": \"pci-dss-aoc\", \"title\": \"T\", \"attests\": \"A\", \"issuer\": \"I\", "
        "\"cadence\": \"C\", \"freshness\": {\"basis\": \"retrieved\", \"max_days\": 30}},\n"
        " {\"id\": \"iso-27001\", \"title\": \"T\", \"attests\": \"A\", \"issuer\": \"I\", "
        "\"cadence\": \"C\", \"freshness\": {\"basis\": \"period_end\", \"max_days\": 365}}\n"
        "]}\n");
    ev_artifacts *a = NULL;
    ev_error err;
    ck_assert_int_eq(ev_artifacts_load(wpath("artifacts.json"), &a, &err), EV_OK);
    return a;
}

/* A scope holding the given editions (a JSON array's members). */
static ev_scope *make_scope(const char *editions)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b,
                  "{\"schema\": \"evpack/scope@1\", \"organisation\": \"Org\",\n"
                  " \"period\": {\"start\": \"2026-07-01\", \"end\": \"2026-09-30\"},\n"
                  " \"artifacts\": [%s]}\n",
                  editions);
    write_text(wpath("scope.json"), b.data);
    ev_buf_free(&b);
    ev_scope *s = NULL;
    ev_error err;
    ev_status rc = ev_scope_load(wpath("scope.json"), &s, &err);
    ck_assert_msg(rc == EV_OK, "%s:%ld:%ld: %s", err.file, err.line, err.col, err.msg);
    return s;
}

/* ---- findings ---- */

typedef struct {
    const char *id;
    const char *check;
    ev_result result;        /* default PASSED */
    const char *result_text; /* default: the result's ASFF name */
    ev_severity severity;    /* default INFORMATIONAL */
    bool suppressed, archived;
    const char *reqs[4];
    const char *updated;
} spec;

static const char *asff_status(ev_result r)
{
    switch (r) {
    case EV_RESULT_PASSED:
        return "PASSED";
    case EV_RESULT_FAILED:
        return "FAILED";
    case EV_RESULT_WARNING:
        return "WARNING";
    case EV_RESULT_NOT_AVAILABLE:
        return "NOT_AVAILABLE";
    default:
        return NULL;
    }
}

static void put(ev_store *st, spec s)
{
    ev_finding f;
    memset(&f, 0, sizeof f);
    f.source = ev_xstrdup("securityhub");
    f.id = ev_xstrdup(s.id);
    f.check = ev_xstrdup(s.check);
    f.title = ev_xstrdup("title");
    f.result = s.result;
    f.result_text = ev_xstrdup(s.result_text ? s.result_text : asff_status(s.result));
    f.severity = s.severity;
    f.severity_label = ev_xstrdup(ev_severity_name(s.severity));
    f.suppressed = s.suppressed;
    f.workflow = ev_xstrdup(s.suppressed ? "SUPPRESSED" : "NEW");
    f.archived = s.archived;
    f.updated_text = ev_xstrdup(s.updated ? s.updated : "2026-09-01T00:00:00Z");
    ck_assert(ev_timestamp_parse(f.updated_text, &f.updated_at));
    while (f.n_requirements < 4 && s.reqs[f.n_requirements])
        f.n_requirements++;
    if (f.n_requirements) {
        f.requirements = ev_xcalloc(f.n_requirements, sizeof(char *));
        for (size_t i = 0; i < f.n_requirements; i++)
            f.requirements[i] = ev_xstrdup(s.reqs[i]);
    }
    f.file = ev_xstrdup("findings.json");
    f.line = 1;
    f.col = 1;
    ev_error err;
    ck_assert_int_eq(ev_store_add(st, &f, &err), EV_OK);
    ev_finding_clear(&f);
}

static ev_store *new_store(void)
{
    ev_store *st = NULL;
    ev_error err;
    ck_assert_int_eq(ev_store_new(NULL, &st, &err), EV_OK);
    return st;
}

static ev_pack *evaluate(ev_store *st, const ev_framework *const *fws, size_t n,
                         const ev_artifacts *a, const ev_scope *s, const char *as_of, size_t limit)
{
    ev_evaluate_input in = {.frameworks = fws,
                            .n_frameworks = n,
                            .artifacts = a,
                            .scope = s,
                            .as_of = as_of,
                            .list_limit = limit,
                            .sources = NULL,
                            .n_sources = 0,
                            .services = NULL};
    ev_pack *p = NULL;
    ev_error err;
    ev_status rc = ev_evaluate(st, &in, &p, &err);
    ck_assert_msg(rc == EV_OK, "evaluate: %s", err.msg);
    ck_assert_ptr_nonnull(p);
    return p;
}

static const ev_control_result *result_of(const ev_pack *p, size_t k, const char *id)
{
    const ev_framework_result *fr = &p->frameworks[k];
    for (size_t i = 0; i < fr->n_controls; i++)
        if (strcmp(fr->controls[i].control->id, id) == 0)
            return &fr->controls[i];
    ck_abort_msg("no control %s", id);
    return NULL;
}

/* Checks the pack's invariants: read = duplicates + archived + active, the matrix sums
 * to by_responsibility and by_status, and both to n_controls. */
static void assert_consistent(const ev_pack *p)
{
    const ev_finding_counts *c = &p->findings;
    ck_assert_uint_eq(c->read, c->duplicates + c->archived + c->active);
    size_t by_result = 0;
    for (int r = 0; r < EV_RESULT_COUNT; r++)
        by_result += c->by_result[r];
    ck_assert_uint_eq(by_result, c->active);
    ck_assert_uint_le(c->suppressed, c->active);
    ck_assert_uint_eq(c->unrecognised, c->by_result[EV_RESULT_UNRECOGNISED]);
    size_t values = 0;
    for (size_t i = 0; i < p->n_unrecognised_values; i++)
        values += p->unrecognised_values[i].count;
    ck_assert_uint_eq(values, c->unrecognised);
    ck_assert_uint_le(p->n_unmapped_listed, p->list_limit);
    ck_assert_uint_eq(p->n_unmapped_listed,
                      c->unmapped < p->list_limit ? c->unmapped : p->list_limit);
    for (size_t k = 0; k < p->n_frameworks; k++) {
        const ev_framework_result *fr = &p->frameworks[k];
        ck_assert_uint_eq(fr->n_controls, fr->framework->n_controls);
        size_t total = 0, status_total = 0;
        for (int r = 0; r < EV_RESP_COUNT; r++) {
            size_t row = 0;
            for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
                row += fr->matrix[r][s];
            ck_assert_uint_eq(row, fr->by_responsibility[r]);
            total += fr->by_responsibility[r];
        }
        for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++) {
            size_t col = 0;
            for (int r = 0; r < EV_RESP_COUNT; r++)
                col += fr->matrix[r][s];
            ck_assert_uint_eq(col, fr->by_status[s]);
            status_total += fr->by_status[s];
        }
        ck_assert_uint_eq(total, fr->n_controls);
        ck_assert_uint_eq(status_total, fr->n_controls);
        ck_assert_uint_le(fr->mapped_findings, c->active);
        /* aws controls are inherited, and only they */
        ck_assert_uint_eq(fr->matrix[EV_RESP_AWS][EV_STATUS_INHERITED],
                          fr->by_responsibility[EV_RESP_AWS]);
        ck_assert_uint_eq(fr->by_status[EV_STATUS_INHERITED], fr->by_responsibility[EV_RESP_AWS]);
        for (size_t i = 0; i < fr->n_controls; i++) {
            const ev_control_result *cr = &fr->controls[i];
            ck_assert_ptr_eq(cr->control, &fr->framework->controls[i]);
            ck_assert_uint_le(cr->n_listed, p->list_limit);
            ck_assert_uint_eq(cr->n_citations, cr->control->n_citations);
        }
    }
}

/* ---- the matcher ---- */

static const ctl matcher_ctls[] = {
    {.id = "1.1", .checks = "[\"securityhub:IAM.6\", \"securityhub:S3.1\"]"},
    {.id = "1.2", .checks = "[\"securityhub:IAM.6\"]"},
    {.id = "1.3",
     .resp = "shared",
     .checks = "[\"securityhub:KMS.4\"]",
     .aliases = "[\"A1.3\", \"Req-1.3\"]"},
    {.id = "1.4", .resp = "aws"},
    {.id = "1.5"},
    {.id = "8.3.1", .checks = "[\"config:iam-password-policy\"]"},
};

/* Matches a finding with check and requirement references; returns the control ids as
 * "1.1,1.2" (empty when none). */
static const char *match(const ev_matcher *m, const ev_framework *fw, const char *check,
                         const char *const *reqs, size_t cap)
{
    static char out[256];
    ev_finding f;
    memset(&f, 0, sizeof f);
    f.id = (char *)"x";
    f.check = (char *)check;
    size_t nr = 0;
    while (reqs && reqs[nr])
        nr++;
    f.requirements = (char **)reqs;
    f.n_requirements = nr;
    size_t idx[16];
    size_t n = ev_matcher_match(m, &f, idx, cap);
    ck_assert_uint_le(n, cap);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_lt(idx[i], fw->n_controls);
        if (i)
            ck_assert_uint_gt(idx[i], idx[i - 1]); /* ascending, no repeats */
        strcat(out, i ? "," : "");
        strcat(out, fw->controls[idx[i]].id);
    }
    return out;
}

#define REQS(...) ((const char *const[]){__VA_ARGS__, NULL})

START_TEST(matcher)
{
    ev_framework *fw = make_framework("m", "[\"PCI DSS v4.0.1\", \"PCI-4.0\"]", matcher_ctls,
                                      sizeof matcher_ctls / sizeof *matcher_ctls);
    ev_matcher *m = ev_matcher_new(fw);
    /* by check: every control listing it */
    ck_assert_str_eq(match(m, fw, "securityhub:IAM.6", NULL, 16), "1.1,1.2");
    ck_assert_str_eq(match(m, fw, "securityhub:S3.1", NULL, 16), "1.1");
    ck_assert_str_eq(match(m, fw, "config:iam-password-policy", NULL, 16), "8.3.1");
    ck_assert_str_eq(match(m, fw, "securityhub:iam.6", NULL, 16), ""); /* exact */
    ck_assert_str_eq(match(m, fw, "securityhub:IAM", NULL, 16), "");
    ck_assert_str_eq(match(m, fw, "IAM.6", NULL, 16), "");
    ck_assert_str_eq(match(m, fw, NULL, NULL, 16), "");
    /* by requirement reference NAMESPACE/ID, in a listed namespace only */
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0.1/1.5"), 16), "1.5");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI-4.0/1.5"), 16), "1.5");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0.1/1.4"), 16), "1.4");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS 1.5"), 16), ""); /* old style, no slash */
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS 8.3.1"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v3.2.1/1.5"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0/1.5"), 16), ""); /* a prefix */
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0.1 /1.5"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("pci dss v4.0.1/1.5"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0.1/9.9"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0.1/1.5/x"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0.1/"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("/1.5"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("NIST.800-53.r5 AC-2(1)"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("CIS AWS Foundations Benchmark v1.4.0/3.7"), 16), "");
    /* by alias */
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0.1/A1.3"), 16), "1.3");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI-4.0/Req-1.3"), 16), "1.3");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI-4.0/a1.3"), 16), "");
    /* everything together: ascending, each control once */
    ck_assert_str_eq(match(m, fw, "securityhub:IAM.6",
                           REQS("PCI DSS v4.0.1/8.3.1", "PCI DSS v4.0.1/1.1", "PCI-4.0/1.1",
                                "PCI DSS v4.0.1/A1.3"),
                           16),
                     "1.1,1.2,1.3,8.3.1");
    /* cap bounds the result */
    ck_assert_str_eq(match(m, fw, "securityhub:IAM.6", REQS("PCI DSS v4.0.1/8.3.1"), 1), "1.1");
    ck_assert_str_eq(match(m, fw, "securityhub:IAM.6", NULL, 0), "");
    ev_matcher_free(m);
    ev_matcher_free(NULL);

    /* the same findings against a framework for another version of the standard */
    ev_framework *old = make_framework("old", "[\"PCI DSS v3.2.1\"]", matcher_ctls, 2);
    m = ev_matcher_new(old);
    ck_assert_str_eq(match(m, old, NULL, REQS("PCI DSS v4.0.1/1.1"), 16), "");
    ck_assert_str_eq(match(m, old, NULL, REQS("PCI DSS v3.2.1/1.1"), 16), "1.1");
    ev_matcher_free(m);
    ev_framework_free(old);
    /* a framework without namespaces maps by check only */
    ev_framework *none = make_framework("none", "[]", matcher_ctls, 2);
    m = ev_matcher_new(none);
    ck_assert_str_eq(match(m, none, NULL, REQS("PCI DSS v4.0.1/1.1", "/1.1"), 16), "");
    ck_assert_str_eq(match(m, none, "securityhub:IAM.6", NULL, 16), "1.1,1.2");
    ev_matcher_free(m);
    ev_framework_free(none);
    ev_framework_free(fw);
}
END_TEST

START_TEST(real_references)
{
    /* the published samples' references against the bundled PCI DSS 4.0.1 framework */
    ev_framework *fw = NULL;
    ev_error err;
    ck_assert_int_eq(ev_framework_load(ev_test_path("frameworks/pci-dss-4.0.1.json"), &fw, &err),
                     EV_OK);
    ev_matcher *m = ev_matcher_new(fw);
    /* "PCI DSS v3.2.1/3.4" (consolidated sample) is another version: no match */
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v3.2.1/3.4"), 16), "");
    /* "PCI DSS 1.2.1" (old-style, no slash) never matches, though 1.2.1 exists */
    ck_assert_ptr_nonnull(ev_framework_find(fw, "1.2.1"));
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS 1.2.1", "PCI DSS 1.3.1"), 16), "");
    ck_assert_str_eq(match(m, fw, NULL, REQS("PCI DSS v4.0.1/1.2.1"), 16), "1.2.1");
    /* an old pre-consolidation control id is not a consolidated one */
    ck_assert_str_eq(match(m, fw, "securityhub:PCI.IAM.4", NULL, 16), "");
    ev_matcher_free(m);
    ev_framework_free(fw);
}
END_TEST

/* ---- statuses ---- */

static const ctl status_ctls[] = {
    {.id = "fail", .checks = "[\"config:fail\"]"},
    {.id = "review", .checks = "[\"config:review\"]"},
    {.id = "pass", .checks = "[\"config:pass\"]"},
    {.id = "sup", .checks = "[\"config:sup\"]"},
    {.id = "none", .checks = "[\"config:none\"]"},
    {.id = "aws", .resp = "aws"},
    {.id = "shared-f", .resp = "shared", .checks = "[\"config:shared-f\"]"},
    {.id = "shared-n", .resp = "shared", .checks = "[\"config:shared-n\"]"},
    {.id = "arch", .checks = "[\"config:arch\"]"},
    {.id = "na", .checks = "[\"config:na\"]"},
    {.id = "unrec", .checks = "[\"config:unrec\"]"},
    {.id = "nores", .checks = "[\"config:nores\"]"},
};

#define FAILED EV_RESULT_FAILED
#define PASSED EV_RESULT_PASSED
#define WARNING EV_RESULT_WARNING

START_TEST(statuses)
{
    ev_framework *fw =
        make_framework("s", "[\"T\"]", status_ctls, sizeof status_ctls / sizeof *status_ctls);
    ev_store *st = new_store();
    /* failing beats needs-review, passing and suppressed */
    put(st, (spec){.id = "f1", .check = "config:fail", .result = PASSED});
    put(st, (spec){.id = "f2", .check = "config:fail", .result = FAILED, .severity = EV_SEV_LOW});
    put(st, (spec){.id = "f3", .check = "config:fail", .result = WARNING});
    put(st, (spec){.id = "f4", .check = "config:fail", .result = FAILED, .suppressed = true});
    /* needs-review beats passing */
    put(st, (spec){.id = "r1", .check = "config:review", .result = PASSED});
    put(st, (spec){.id = "r2", .check = "config:review", .result = WARNING});
    /* passing beats suppressed (a suppressed failure does not fail the control) */
    put(st, (spec){.id = "p1", .check = "config:pass", .result = PASSED});
    put(st, (spec){.id = "p2", .check = "config:pass", .result = FAILED, .suppressed = true});
    /* suppressed beats no evidence */
    put(st, (spec){.id = "s1", .check = "config:sup", .result = FAILED, .suppressed = true});
    put(st, (spec){.id = "s2", .check = "config:sup", .result = PASSED, .suppressed = true});
    /* aws: inherited even with a failing finding mapped to it */
    put(st, (spec){.id = "a1", .result = FAILED, .reqs = {"T/aws"}});
    /* shared: the customer part decides */
    put(st, (spec){.id = "sh1", .check = "config:shared-f", .result = FAILED});
    /* an archived failure is not evidence */
    put(st, (spec){.id = "ar1", .check = "config:arch", .result = FAILED, .archived = true});
    /* other results need review */
    put(st, (spec){.id = "n1", .check = "config:na", .result = EV_RESULT_NOT_AVAILABLE});
    put(st, (spec){.id = "u1",
                   .check = "config:unrec",
                   .result = EV_RESULT_UNRECOGNISED,
                   .result_text = "INFOED"});
    put(st, (spec){.id = "x1", .check = "config:nores", .result = EV_RESULT_NONE});

    ev_artifacts *a = make_artifacts();
    ev_scope *s = make_scope("");
    const ev_framework *fws[] = {fw};
    ev_pack *p = evaluate(st, fws, 1, a, s, "2026-10-01", 10);
    assert_consistent(p);

    const ev_control_result *cr = result_of(p, 0, "fail");
    ck_assert_int_eq(cr->status, EV_STATUS_FAILING);
    ck_assert_uint_eq(cr->passed, 1);
    ck_assert_uint_eq(cr->failed, 1);
    ck_assert_uint_eq(cr->review, 1);
    ck_assert_uint_eq(cr->suppressed, 1);
    cr = result_of(p, 0, "review");
    ck_assert_int_eq(cr->status, EV_STATUS_NEEDS_REVIEW);
    ck_assert_uint_eq(cr->passed, 1);
    ck_assert_uint_eq(cr->review, 1);
    cr = result_of(p, 0, "pass");
    ck_assert_int_eq(cr->status, EV_STATUS_PASSING);
    ck_assert_uint_eq(cr->failed, 0);
    ck_assert_uint_eq(cr->suppressed, 1);
    cr = result_of(p, 0, "sup");
    ck_assert_int_eq(cr->status, EV_STATUS_SUPPRESSED);
    ck_assert_uint_eq(cr->suppressed, 2);
    ck_assert_uint_eq(cr->passed + cr->failed + cr->review, 0);
    ck_assert_int_eq(result_of(p, 0, "none")->status, EV_STATUS_NO_EVIDENCE);
    cr = result_of(p, 0, "aws");
    ck_assert_int_eq(cr->status, EV_STATUS_INHERITED);
    ck_assert_uint_eq(cr->failed, 1); /* counted, but the status stays inherited */
    ck_assert_uint_eq(cr->n_citations, 1);
    cr = result_of(p, 0, "shared-f");
    ck_assert_int_eq(cr->status, EV_STATUS_FAILING);
    ck_assert_uint_eq(cr->n_citations, 1);
    ck_assert_str_eq(cr->citations[0].citation->report, "soc2-type2");
    ck_assert_ptr_eq(cr->citations[0].report, ev_artifacts_find(a, "soc2-type2"));
    cr = result_of(p, 0, "shared-n");
    ck_assert_int_eq(cr->status, EV_STATUS_NO_EVIDENCE);
    ck_assert_uint_eq(cr->n_citations, 1);
    cr = result_of(p, 0, "arch");
    ck_assert_int_eq(cr->status, EV_STATUS_NO_EVIDENCE);
    ck_assert_uint_eq(cr->failed + cr->n_listed, 0);
    ck_assert_int_eq(result_of(p, 0, "na")->status, EV_STATUS_NEEDS_REVIEW);
    ck_assert_int_eq(result_of(p, 0, "unrec")->status, EV_STATUS_NEEDS_REVIEW);
    ck_assert_int_eq(result_of(p, 0, "nores")->status, EV_STATUS_NEEDS_REVIEW);
    ck_assert_uint_eq(result_of(p, 0, "none")->n_citations, 0); /* customer: no citations */

    const ev_framework_result *fr = &p->frameworks[0];
    ck_assert_uint_eq(fr->by_status[EV_STATUS_FAILING], 2);
    ck_assert_uint_eq(fr->by_status[EV_STATUS_NEEDS_REVIEW], 4);
    ck_assert_uint_eq(fr->by_status[EV_STATUS_PASSING], 1);
    ck_assert_uint_eq(fr->by_status[EV_STATUS_SUPPRESSED], 1);
    ck_assert_uint_eq(fr->by_status[EV_STATUS_NO_EVIDENCE], 3);
    ck_assert_uint_eq(fr->by_status[EV_STATUS_INHERITED], 1);
    ck_assert_uint_eq(fr->by_responsibility[EV_RESP_CUSTOMER], 9);
    ck_assert_uint_eq(fr->by_responsibility[EV_RESP_SHARED], 2);
    ck_assert_uint_eq(fr->by_responsibility[EV_RESP_AWS], 1);
    ck_assert_uint_eq(fr->matrix[EV_RESP_SHARED][EV_STATUS_FAILING], 1);
    ck_assert_uint_eq(fr->matrix[EV_RESP_SHARED][EV_STATUS_NO_EVIDENCE], 1);
    ck_assert_uint_eq(fr->matrix[EV_RESP_CUSTOMER][EV_STATUS_FAILING], 1);
    ck_assert_uint_eq(fr->matrix[EV_RESP_CUSTOMER][EV_STATUS_NO_EVIDENCE], 2);
    ck_assert_uint_eq(fr->mapped_findings, 15); /* all active findings */
    ck_assert_str_eq(ev_control_status_name(EV_STATUS_NEEDS_REVIEW), "needs-review");
    ck_assert_str_eq(ev_control_status_name(EV_STATUS_NO_EVIDENCE), "no-evidence");
    ck_assert_str_eq(ev_control_status_name(EV_STATUS_INHERITED), "inherited");
    ck_assert_str_eq(ev_control_status_name(EV_CONTROL_STATUS_COUNT), "unknown");

    ev_pack_free(p);
    ev_scope_free(s);
    ev_artifacts_free(a);
    ev_store_free(st);
    ev_framework_free(fw);
}
END_TEST

/* ---- counts ---- */

START_TEST(counts)
{
    static const ctl ctls[] = {{.id = "1.1", .checks = "[\"config:a\"]"},
                               {.id = "1.2", .checks = "[\"config:b\"]"}};
    ev_framework *fw = make_framework("c", "[\"T\"]", ctls, 2);
    ev_store *st = new_store();
    /* duplicates: the newest delivery is the one evaluated */
    put(st, (spec){.id = "d",
                   .check = "config:a",
                   .result = FAILED,
                   .severity = EV_SEV_HIGH,
                   .updated = "2026-09-02T00:00:00Z"});
    put(st,
        (spec){
            .id = "d", .check = "config:a", .result = PASSED, .updated = "2026-09-01T00:00:00Z"});
    put(st,
        (spec){
            .id = "e", .check = "config:b", .result = PASSED, .updated = "2026-09-01T00:00:00Z"});
    put(st,
        (spec){
            .id = "e", .check = "config:b", .result = PASSED, .updated = "2026-09-01T00:00:00Z"});
    /* an archived record, and an archived record superseded by an active one */
    put(st, (spec){.id = "g", .check = "config:b", .result = FAILED, .archived = true});
    put(st, (spec){.id = "h",
                   .check = "config:b",
                   .result = FAILED,
                   .archived = true,
                   .updated = "2026-09-01T00:00:00Z"});
    put(st,
        (spec){
            .id = "h", .check = "config:b", .result = PASSED, .updated = "2026-09-03T00:00:00Z"});
    /* suppressed, unrecognised (three values, one missing), unmapped */
    put(st, (spec){.id = "s",
                   .check = "config:a",
                   .result = FAILED,
                   .severity = EV_SEV_CRITICAL,
                   .suppressed = true});
    put(st, (spec){.id = "u1",
                   .check = "config:a",
                   .result = EV_RESULT_UNRECOGNISED,
                   .result_text = "INFOED"});
    put(st, (spec){.id = "u2",
                   .check = "config:zzz",
                   .result = EV_RESULT_UNRECOGNISED,
                   .result_text = "BOGUS"});
    put(st, (spec){.id = "u3",
                   .check = "config:a",
                   .result = EV_RESULT_UNRECOGNISED,
                   .result_text = "INFOED"});
    put(st, (spec){.id = "u4", .check = "config:a", .result = EV_RESULT_UNRECOGNISED});
    put(st,
        (spec){.id = "m1", .check = "config:unknown", .result = FAILED, .severity = EV_SEV_MEDIUM});
    put(st, (spec){.id = "m2", .result = EV_RESULT_NONE, .reqs = {"PCI DSS 1.1", "T v2/1.1"}});
    put(st, (spec){.id = "m3", .check = "config:unknown", .result = PASSED, .archived = true});

    const ev_framework *fws[] = {fw};
    ev_pack *p = evaluate(st, fws, 1, NULL, NULL, "2026-10-01", 0);
    assert_consistent(p);
    const ev_finding_counts *c = &p->findings;
    ck_assert_uint_eq(p->list_limit, 50); /* 0 gives the default */
    ck_assert_str_eq(p->as_of, "2026-10-01");
    ck_assert_uint_eq(c->read, 15);
    ck_assert_uint_eq(c->duplicates, 3);
    ck_assert_uint_eq(c->archived, 2);
    ck_assert_uint_eq(c->active, 10);
    ck_assert_uint_eq(c->suppressed, 1);
    ck_assert_uint_eq(c->unrecognised, 4);
    ck_assert_uint_eq(c->unmapped, 3); /* u2, m1, m2; not the archived m3 */
    ck_assert_uint_eq(c->by_result[EV_RESULT_PASSED], 2);
    ck_assert_uint_eq(c->by_result[EV_RESULT_FAILED], 3);
    ck_assert_uint_eq(c->by_result[EV_RESULT_NONE], 1);
    /* failures by severity: active and not suppressed */
    ck_assert_uint_eq(c->by_severity[EV_SEV_HIGH], 1);
    ck_assert_uint_eq(c->by_severity[EV_SEV_MEDIUM], 1);
    ck_assert_uint_eq(c->by_severity[EV_SEV_CRITICAL], 0);
    /* unrecognised values, in order of first appearance */
    ck_assert_uint_eq(p->n_unrecognised_values, 3);
    ck_assert_str_eq(p->unrecognised_values[0].value, "INFOED");
    ck_assert_uint_eq(p->unrecognised_values[0].count, 2);
    ck_assert_str_eq(p->unrecognised_values[1].value, "BOGUS");
    ck_assert_uint_eq(p->unrecognised_values[1].count, 1);
    ck_assert_str_eq(p->unrecognised_values[2].value, "");
    ck_assert_uint_eq(p->unrecognised_values[2].count, 1);
    /* unmapped findings are listed */
    ck_assert_uint_eq(p->n_unmapped_listed, 3);
    ck_assert_str_eq(p->unmapped[0].id, "u2");
    ck_assert_str_eq(p->unmapped[1].id, "m1");
    ck_assert_str_eq(p->unmapped[2].id, "m2");
    ck_assert_uint_eq(p->unmapped[2].n_requirements, 2);
    /* the duplicate's newest record decides */
    const ev_control_result *cr = result_of(p, 0, "1.1");
    ck_assert_int_eq(cr->status, EV_STATUS_FAILING);
    ck_assert_uint_eq(cr->failed, 1);
    ck_assert_uint_eq(cr->passed, 0);
    ck_assert_uint_eq(cr->suppressed, 1);
    ck_assert_uint_eq(cr->review, 3);
    cr = result_of(p, 0, "1.2");
    ck_assert_int_eq(cr->status, EV_STATUS_PASSING);
    ck_assert_uint_eq(cr->passed, 2);
    ck_assert_uint_eq(p->frameworks[0].mapped_findings, 7);
    ev_pack_free(p);

    /* no frameworks at all: every active finding is unmapped */
    p = evaluate(st, NULL, 0, NULL, NULL, "2026-10-01", 2);
    assert_consistent(p);
    ck_assert_uint_eq(p->findings.unmapped, 10);
    ck_assert_uint_eq(p->n_unmapped_listed, 2);
    ck_assert_str_eq(p->unmapped[0].id, "d");
    ck_assert_str_eq(p->unmapped[1].id, "e");
    ev_pack_free(p);
    ev_store_free(st);
    ev_framework_free(fw);
}
END_TEST

START_TEST(several_controls_and_frameworks)
{
    static const ctl ctls[] = {
        {.id = "1.1", .checks = "[\"config:x\"]"},
        {.id = "1.2", .checks = "[\"config:x\", \"config:y\"]"},
        {.id = "1.3", .checks = "[\"config:z\"]", .aliases = "[\"old-1.3\"]"},
    };
    ev_framework *fw = make_framework("f1", "[\"T v1\"]", ctls, 3);
    static const ctl ctls2[] = {{.id = "A", .checks = "[\"config:only-in-2\"]"}};
    ev_framework *fw2 = make_framework("f2", "[\"Two\"]", ctls2, 1);
    ev_store *st = new_store();
    /* one finding, matched by check twice and by reference and alias: once per control */
    put(st, (spec){.id = "one",
                   .check = "config:x",
                   .result = FAILED,
                   .reqs = {"T v1/1.1", "T v1/1.2", "T v1/old-1.3", "T v1/1.1"}});
    put(st, (spec){.id = "two", .check = "config:only-in-2", .result = FAILED});
    const ev_framework *fws[] = {fw, fw2};
    ev_pack *p = evaluate(st, fws, 2, NULL, NULL, "2026-10-01", 5);
    assert_consistent(p);
    for (int i = 0; i < 3; i++) {
        const ev_control_result *cr = &p->frameworks[0].controls[i];
        ck_assert_int_eq(cr->status, EV_STATUS_FAILING);
        ck_assert_uint_eq(cr->failed, 1);
        ck_assert_uint_eq(cr->n_listed, 1);
        ck_assert_str_eq(cr->listed[0].id, "one");
    }
    ck_assert_uint_eq(p->frameworks[0].mapped_findings, 1);
    ck_assert_uint_eq(p->frameworks[1].mapped_findings, 1);
    ck_assert_int_eq(p->frameworks[1].controls[0].status, EV_STATUS_FAILING);
    ck_assert_uint_eq(p->findings.unmapped, 0); /* mapped in some framework */
    ck_assert_uint_eq(p->findings.by_severity[EV_SEV_INFORMATIONAL], 2); /* counted once each */
    ev_pack_free(p);
    ev_store_free(st);
    ev_framework_free(fw2);
    ev_framework_free(fw);
}
END_TEST

/* ---- listing ---- */

START_TEST(listing)
{
    static const ctl ctls[] = {{.id = "1.1", .checks = "[\"config:x\"]"}};
    ev_framework *fw = make_framework("l", "[\"T\"]", ctls, 1);
    ev_store *st = new_store();
    /* needs-review findings come first in the input, failures last */
    put(st, (spec){.id = "w-b", .check = "config:x", .result = WARNING, .severity = EV_SEV_HIGH});
    put(st, (spec){.id = "w-a", .check = "config:x", .result = WARNING, .severity = EV_SEV_HIGH});
    put(st, (spec){.id = "w-c",
                   .check = "config:x",
                   .result = EV_RESULT_NOT_AVAILABLE,
                   .severity = EV_SEV_CRITICAL});
    put(st,
        (spec){.id = "w-d", .check = "config:x", .result = WARNING, .severity = EV_SEV_UNKNOWN});
    put(st, (spec){.id = "p-1", .check = "config:x", .result = PASSED}); /* never listed */
    put(st, (spec){.id = "f-z", .check = "config:x", .result = FAILED, .severity = EV_SEV_LOW});
    put(st,
        (spec){.id = "f-y", .check = "config:x", .result = FAILED, .severity = EV_SEV_CRITICAL});
    put(st, (spec){.id = "f-x", .check = "config:x", .result = FAILED, .severity = EV_SEV_LOW});
    put(st, (spec){.id = "f-w", .check = "config:x", .result = FAILED, .severity = EV_SEV_UNKNOWN});
    const ev_framework *fws[] = {fw};

    /* a limit above the count: everything but the pass, in order */
    ev_pack *p = evaluate(st, fws, 1, NULL, NULL, "2026-10-01", 20);
    assert_consistent(p);
    const ev_control_result *cr = &p->frameworks[0].controls[0];
    static const char *const all[] = {"f-y", "f-x", "f-z", "f-w", "w-c", "w-a", "w-b", "w-d"};
    ck_assert_uint_eq(cr->n_listed, 8);
    ck_assert_uint_eq(cr->not_listed, 0);
    for (size_t i = 0; i < 8; i++)
        ck_assert_str_eq(cr->listed[i].id, all[i]);
    ck_assert_int_eq(cr->listed[0].result, FAILED);
    ck_assert_str_eq(cr->listed[0].file, "findings.json");
    ev_pack_free(p);

    /* a limit of three: the first three in that order, whatever the input order; the
     * rest is counted */
    p = evaluate(st, fws, 1, NULL, NULL, "2026-10-01", 3);
    assert_consistent(p);
    cr = &p->frameworks[0].controls[0];
    ck_assert_uint_eq(cr->n_listed, 3);
    ck_assert_uint_eq(cr->not_listed, 5);
    ck_assert_uint_eq(cr->failed, 4);
    ck_assert_uint_eq(cr->review, 4);
    for (size_t i = 0; i < 3; i++)
        ck_assert_str_eq(cr->listed[i].id, all[i]);
    ev_pack_free(p);

    p = evaluate(st, fws, 1, NULL, NULL, "2026-10-01", 1);
    cr = &p->frameworks[0].controls[0];
    ck_assert_uint_eq(cr->n_listed, 1);
    ck_assert_uint_eq(cr->not_listed, 7);
    ck_assert_str_eq(cr->listed[0].id, "f-y");
    ev_pack_free(p);
    ev_store_free(st);
    ev_framework_free(fw);
}
END_TEST

START_TEST(listing_suppressed)
{
    /* suppressed findings that are not passes are listed after the others (model.h) */
    static const ctl ctls[] = {{.id = "1.1", .checks = "[\"config:x\"]"}};
    ev_framework *fw = make_framework("ls", "[\"T\"]", ctls, 1);
    ev_store *st = new_store();
    put(st, (spec){.id = "s-1",
                   .check = "config:x",
                   .result = FAILED,
                   .severity = EV_SEV_CRITICAL,
                   .suppressed = true});
    put(st, (spec){.id = "s-2", .check = "config:x", .result = PASSED, .suppressed = true});
    put(st, (spec){.id = "w-1", .check = "config:x", .result = WARNING, .severity = EV_SEV_LOW});
    put(st, (spec){.id = "f-1", .check = "config:x", .result = FAILED, .severity = EV_SEV_LOW});
    const ev_framework *fws[] = {fw};
    ev_pack *p = evaluate(st, fws, 1, NULL, NULL, "2026-10-01", 10);
    const ev_control_result *cr = &p->frameworks[0].controls[0];
    ck_assert_int_eq(cr->status, EV_STATUS_FAILING);
    ck_assert_uint_eq(cr->n_listed, 3);
    ck_assert_str_eq(cr->listed[0].id, "f-1");
    ck_assert_str_eq(cr->listed[1].id, "w-1");
    ck_assert_str_eq(cr->listed[2].id, "s-1");
    ev_pack_free(p);
    /* with a limit of two, the suppressed one is the one left out */
    p = evaluate(st, fws, 1, NULL, NULL, "2026-10-01", 2);
    cr = &p->frameworks[0].controls[0];
    ck_assert_uint_eq(cr->n_listed, 2);
    ck_assert_uint_eq(cr->not_listed, 1);
    ck_assert_str_eq(cr->listed[0].id, "f-1");
    ck_assert_str_eq(cr->listed[1].id, "w-1");
    ev_pack_free(p);
    ev_store_free(st);
    ev_framework_free(fw);
}
END_TEST

START_TEST(unmapped_limit)
{
    static const ctl ctls[] = {{.id = "1.1", .checks = "[\"config:x\"]"}};
    ev_framework *fw = make_framework("u", "[\"T\"]", ctls, 1);
    ev_store *st = new_store();
    char id[16];
    for (int i = 0; i < 7; i++) {
        snprintf(id, sizeof id, "un-%d", i);
        put(st, (spec){.id = id, .check = "config:nothing", .result = i % 2 ? FAILED : PASSED});
    }
    put(st, (spec){.id = "mapped", .check = "config:x"});
    const ev_framework *fws[] = {fw};
    ev_pack *p = evaluate(st, fws, 1, NULL, NULL, "2026-10-01", 4);
    assert_consistent(p);
    ck_assert_uint_eq(p->findings.unmapped, 7);
    ck_assert_uint_eq(p->n_unmapped_listed, 4);
    for (int i = 0; i < 4; i++) {
        snprintf(id, sizeof id, "un-%d", i);
        ck_assert_str_eq(p->unmapped[i].id, id); /* in input order, passes too */
    }
    ev_pack_free(p);
    ev_store_free(st);
    ev_framework_free(fw);
}
END_TEST

/* ---- citations ---- */

START_TEST(freshness)
{
    static const ctl ctls[] = {
        {.id = "soc",
         .resp = "aws",
         .cits = "[{\"report\": \"soc2-type2\", \"section\": \"CC6\"}]"},
        {.id = "aoc",
         .resp = "shared",
         .cits = "[{\"report\": \"pci-dss-aoc\", \"section\": \"x\"}, "
                 "{\"report\": \"iso-27001\", \"section\": \"A.8\"}]"},
    };
    ev_framework *fw = make_framework("fr", "[\"T\"]", ctls, 2);
    ev_artifacts *a = make_artifacts();
    ev_store *st = new_store();
    const ev_framework *fws[] = {fw};
    static const struct {
        const char *editions;
        ev_freshness soc, aoc;
        long soc_age, aoc_age;
    } cases[] = {
        /* period_end basis: 365 days after the period's end is still current... */
        {"{\"report\": \"soc2-type2\", \"period\": {\"start\": \"2025-04-01\", "
         "\"end\": \"2025-10-01\"}, \"retrieved\": \"2026-09-30\"},"
         "{\"report\": \"pci-dss-aoc\", \"retrieved\": \"2026-09-01\"}",
         EV_FRESH_CURRENT, EV_FRESH_CURRENT, 365, 30},
        /* ...one day more is stale, however recently it was retrieved; retrieved basis:
         * 31 days after retrieval is stale, whatever the period */
        {"{\"report\": \"soc2-type2\", \"period\": {\"start\": \"2025-04-01\", "
         "\"end\": \"2025-09-30\"}, \"retrieved\": \"2026-09-30\"},"
         "{\"report\": \"pci-dss-aoc\", \"period\": {\"start\": \"2026-09-01\", "
         "\"end\": \"2026-09-30\"}, \"retrieved\": \"2026-08-31\"}",
         EV_FRESH_STALE, EV_FRESH_STALE, 366, 31},
        /* period_end basis without a period: the retrieval date stands in */
        {"{\"report\": \"soc2-type2\", \"retrieved\": \"2025-10-01\"},"
         "{\"report\": \"pci-dss-aoc\", \"retrieved\": \"2026-10-01\"}",
         EV_FRESH_CURRENT, EV_FRESH_CURRENT, 365, 0},
        {"{\"report\": \"soc2-type2\", \"retrieved\": \"2025-09-30\"}", EV_FRESH_STALE,
         EV_FRESH_MISSING, 366, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ev_scope *s = make_scope(cases[i].editions);
        ev_pack *p = evaluate(st, fws, 1, a, s, "2026-10-01", 0);
        assert_consistent(p);
        const ev_control_result *soc = result_of(p, 0, "soc");
        const ev_control_result *aoc = result_of(p, 0, "aoc");
        ck_assert_uint_eq(soc->n_citations, 1);
        ck_assert_uint_eq(aoc->n_citations, 2);
        ck_assert_msg(soc->citations[0].freshness == cases[i].soc, "case %zu: soc %s", i,
                      ev_freshness_name(soc->citations[0].freshness));
        ck_assert_int_eq(soc->citations[0].age_days, cases[i].soc_age);
        ck_assert_ptr_eq(soc->citations[0].edition, ev_scope_edition(s, "soc2-type2"));
        ck_assert_ptr_eq(soc->citations[0].report, ev_artifacts_find(a, "soc2-type2"));
        ck_assert_ptr_eq(soc->citations[0].citation, &fw->controls[0].citations[0]);
        ck_assert_msg(aoc->citations[0].freshness == cases[i].aoc, "case %zu: aoc %s", i,
                      ev_freshness_name(aoc->citations[0].freshness));
        if (cases[i].aoc != EV_FRESH_MISSING)
            ck_assert_int_eq(aoc->citations[0].age_days, cases[i].aoc_age);
        else
            ck_assert_ptr_null(aoc->citations[0].edition);
        /* the scope holds no iso-27001 edition: citation missing */
        ck_assert_int_eq(aoc->citations[1].freshness, EV_FRESH_MISSING);
        ck_assert_ptr_null(aoc->citations[1].edition);
        ck_assert_ptr_nonnull(aoc->citations[1].report);
        /* freshness never changes the status */
        ck_assert_int_eq(soc->status, EV_STATUS_INHERITED);
        ck_assert_int_eq(aoc->status, EV_STATUS_NO_EVIDENCE);
        ev_pack_free(p);
        ev_scope_free(s);
    }
    /* no scope at all: every citation is missing */
    ev_pack *p = evaluate(st, fws, 1, a, NULL, "2026-10-01", 0);
    ck_assert_int_eq(result_of(p, 0, "soc")->citations[0].freshness, EV_FRESH_MISSING);
    ev_pack_free(p);
    ck_assert_str_eq(ev_freshness_name(EV_FRESH_MISSING), "citation missing");
    ck_assert_str_eq(ev_freshness_name(EV_FRESH_STALE), "stale");
    ck_assert_str_eq(ev_freshness_name(EV_FRESH_CURRENT), "current");
    ck_assert_str_eq(ev_freshness_name(EV_FRESHNESS_COUNT), "unknown");
    ev_store_free(st);
    ev_artifacts_free(a);
    ev_framework_free(fw);
}
END_TEST

/* ---- inputs ---- */

START_TEST(bad_as_of_and_sources)
{
    ev_store *st = new_store();
    static const char *const bad[] = {"2026-02-30", "2026-1-01", "", "2026-10-01T00:00:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ev_evaluate_input in = {.frameworks = NULL,
                                .n_frameworks = 0,
                                .artifacts = NULL,
                                .scope = NULL,
                                .as_of = bad[i],
                                .list_limit = 0,
                                .sources = NULL,
                                .n_sources = 0,
                                .services = NULL};
        ev_pack *p = NULL;
        ev_error err;
        ck_assert_int_eq(ev_evaluate(st, &in, &p, &err), EV_ERR_USAGE);
        ck_assert_ptr_null(p);
        ck_assert_ptr_nonnull(strstr(err.msg, "as-of"));
    }
    ev_evaluate_input in = {.frameworks = NULL,
                            .n_frameworks = 0,
                            .artifacts = NULL,
                            .scope = NULL,
                            .as_of = NULL,
                            .list_limit = 0,
                            .sources = NULL,
                            .n_sources = 0,
                            .services = NULL};
    ev_pack *p = NULL;
    ev_error err;
    ck_assert_int_eq(ev_evaluate(st, &in, &p, &err), EV_ERR_USAGE);

    /* sources are taken over by the pack (ev_pack_free frees them) */
    ev_source *src = ev_xcalloc(2, sizeof *src);
    src[0].path = ev_xstrdup("a.json");
    src[0].format = ev_xstrdup("asff");
    src[1].path = ev_xstrdup("b.json");
    src[1].format = ev_xstrdup("asff");
    ev_evaluate_input in2 = {.frameworks = NULL,
                             .n_frameworks = 0,
                             .artifacts = NULL,
                             .scope = NULL,
                             .as_of = "1999-12-31",
                             .list_limit = 7,
                             .sources = src,
                             .n_sources = 2,
                             .services = NULL};
    ck_assert_int_eq(ev_evaluate(st, &in2, &p, &err), EV_OK);
    ck_assert_ptr_eq(p->sources, src);
    ck_assert_uint_eq(p->n_sources, 2);
    ck_assert_str_eq(p->as_of, "1999-12-31");
    ck_assert_int_eq(p->as_of_time, 946598400);
    ck_assert_uint_eq(p->list_limit, 7);
    ck_assert_ptr_nonnull(p->tool_version);
    ck_assert_uint_eq(p->findings.read, 0);
    assert_consistent(p);
    ev_pack_free(p);
    ev_pack_free(NULL);
    ev_store_free(st);
}
END_TEST

/* ---- the bundled samples end to end ---- */

START_TEST(bundled_samples)
{
    ev_error err;
    ev_framework *fw = NULL;
    ev_artifacts *a = NULL;
    ev_scope *s = NULL;
    ck_assert_int_eq(ev_framework_load(ev_test_path("frameworks/pci-dss-4.0.1.json"), &fw, &err),
                     EV_OK);
    ck_assert_int_eq(ev_artifacts_load(ev_test_path("frameworks/aws-artifacts.json"), &a, &err),
                     EV_OK);
    ck_assert_int_eq(ev_scope_load(ev_test_path("samples/scope.json"), &s, &err), EV_OK);
    ev_store *st = new_store();
    ev_source *src = ev_xcalloc(1, sizeof *src);
    ck_assert_int_eq(
        ev_ingest_file(ev_test_path("samples/findings.json"), st, src, NULL, NULL, &err), EV_OK);
    const ev_framework *fws[] = {fw};
    ev_evaluate_input in = {.frameworks = fws,
                            .n_frameworks = 1,
                            .artifacts = a,
                            .scope = s,
                            .as_of = "2026-10-01",
                            .list_limit = 0,
                            .sources = src,
                            .n_sources = 1,
                            .services = NULL};
    ev_pack *p = NULL;
    ck_assert_int_eq(ev_evaluate(st, &in, &p, &err), EV_OK);
    assert_consistent(p);
    /* samples/README.md: 80 read, 2 duplicates, 3 archived, 75 active, of which 2
     * suppressed, 1 unrecognised, 2 unmapped plus the pre-consolidation finding */
    const ev_finding_counts *c = &p->findings;
    ck_assert_uint_eq(c->read, 80);
    ck_assert_uint_eq(c->duplicates, 2);
    ck_assert_uint_eq(c->archived, 3);
    ck_assert_uint_eq(c->active, 75);
    ck_assert_uint_eq(c->suppressed, 2);
    ck_assert_uint_eq(c->unrecognised, 1);
    ck_assert_uint_eq(p->n_unrecognised_values, 1);
    ck_assert_str_eq(p->unrecognised_values[0].value, "INFOED");
    ck_assert_uint_ge(c->unmapped, 2);
    ck_assert_uint_le(c->unmapped, 3);
    bool guardduty = false, autoscaling = false;
    for (size_t i = 0; i < p->n_unmapped_listed; i++) {
        guardduty =
            guardduty || strstr(p->unmapped[i].id, "arn:aws:guardduty:") == p->unmapped[i].id;
        autoscaling = autoscaling || strstr(p->unmapped[i].id, "AutoScaling.1/") != NULL;
    }
    ck_assert(guardduty && autoscaling);
    /* failing controls the README names (IAM.6/IAM.5 -> 8.4.x, KMS.4 -> 3.7.4/3.7.5) */
    static const char *const failing[] = {"8.4.1", "8.4.2", "8.4.3", "3.7.4", "3.7.5"};
    for (size_t i = 0; i < sizeof failing / sizeof *failing; i++) {
        const ev_control *c0 = ev_framework_find(fw, failing[i]);
        ck_assert_ptr_nonnull(c0);
        const ev_control_result *cr = &p->frameworks[0].controls[c0 - fw->controls];
        ck_assert_msg(cr->status == EV_STATUS_FAILING, "%s is %s", failing[i],
                      ev_control_status_name(cr->status));
        ck_assert_uint_ge(cr->n_listed, 1);
        ck_assert_int_eq(cr->listed[0].result, EV_RESULT_FAILED);
    }
    /* the pre-consolidation finding's "PCI DSS 8.3.1" is not read as v4.0.1 8.3.1 */
    const ev_control *c831 = ev_framework_find(fw, "8.3.1");
    const ev_control_result *cr = &p->frameworks[0].controls[c831 - fw->controls];
    for (size_t i = 0; i < cr->n_listed; i++)
        ck_assert_ptr_null(strstr(cr->listed[i].id, "PCI.IAM.4"));
    ev_pack_free(p);
    ev_store_free(st);
    ev_scope_free(s);
    ev_artifacts_free(a);
    ev_framework_free(fw);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("evaluate");
    TCase *tc = tcase_create("matcher");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, matcher);
    tcase_add_test(tc, real_references);
    suite_add_tcase(s, tc);

    tc = tcase_create("evaluate");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, statuses);
    tcase_add_test(tc, counts);
    tcase_add_test(tc, several_controls_and_frameworks);
    tcase_add_test(tc, listing);
    tcase_add_test(tc, listing_suppressed);
    tcase_add_test(tc, unmapped_limit);
    tcase_add_test(tc, freshness);
    tcase_add_test(tc, bad_as_of_and_sources);
    tcase_add_test(tc, bundled_samples);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ev_run_suite(suite());
}
