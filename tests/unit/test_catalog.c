/* test_catalog.c: Check suite for the catalog stage: the bundled framework, Artifact
 * catalogue and sample scope load and agree with each other; malformed variants of each
 * (written to a fresh folder under /tmp) fail with EV_ERR_INPUT at the exact line and
 * column of the offending value; the JSON document checks (empty, BOM, NUL, invalid
 * UTF-8, trailing data); control lookup by id and alias; framework name resolution; and
 * the data folder search. */
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
#include "util/buf.h"

/* ---- fixtures ---- */

static char work[64]; /* this test's folder under /tmp */

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/evpack-test-catalog-XXXXXX");
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

static const char *bundled_framework(void)
{
    return ev_test_path("frameworks/pci-dss-4.0.1.json");
}

static const char *bundled_artifacts(void)
{
    return ev_test_path("frameworks/aws-artifacts.json");
}

static const char *sample_scope(void)
{
    return ev_test_path("samples/scope.json");
}

/* ---- documents built from lines, with one line replaced ---- */

/* A small valid framework, one line per entry; line numbers are index + 1. */
static const char *const fw_lines[] = {
    /*  1 */ "{",
    /*  2 */ "  \"schema\": \"evpack/framework@1\",",
    /*  3 */ "  \"id\": \"test-fw\",",
    /*  4 */ "  \"name\": \"Test\",",
    /*  5 */ "  \"version\": \"1.0\",",
    /*  6 */ "  \"title\": \"Test framework\",",
    /*  7 */ "  \"edition\": \"2026.1\",",
    /*  8 */ "  \"namespaces\": [\"Test v1.0\", \"Test-1\"],",
    /*  9 */
    "  \"sections\": [{\"id\": \"1\", \"title\": \"One\"}, {\"id\": \"2\", \"title\": \"Two\"}],",
    /* 10 */ "  \"controls\": [",
    /* 11 */
    "    {\"id\": \"1.1\", \"title\": \"T\", \"section\": \"1\", \"responsibility\": \"customer\",",
    /* 12 */
    "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\", \"checks\": "
    "[\"securityhub:IAM.6\", \"config:root-mfa\"]}},",
    /* 13 */
    "    {\"id\": \"1.2\", \"title\": \"T\", \"section\": \"1\", \"responsibility\": \"aws\",",
    /* 14 */
    "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
    "[{\"report\": \"soc2-type2\", \"section\": \"CC6\"}]}},",
    /* 15 */
    "    {\"id\": \"2.1\", \"title\": \"T\", \"section\": \"2\", \"responsibility\": \"shared\",",
    /* 16 */
    "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
    "[{\"report\": \"pci-dss-aoc\", \"section\": \"x\"}], \"cuec\": \"C\"},",
    /* 17 */
    "     \"customer\": {\"statement\": \"S\", \"checks\": [\"prowler:x\"]}, "
    "\"aliases\": [\"2.1a\", \"B2\"], \"tags\": [\"t\"]}",
    /* 18 */ "  ]",
    /* 19 */ "}",
};

static const char *const art_lines[] = {
    /* 1 */ "{",
    /* 2 */ "  \"schema\": \"evpack/artifacts@1\",",
    /* 3 */ "  \"reports\": [",
    /* 4 */ "    {\"id\": \"soc2-type2\", \"title\": \"T\", \"attests\": \"A\", \"issuer\": \"I\",",
    /* 5 */
    "     \"cadence\": \"C\", \"freshness\": {\"basis\": \"period_end\", \"max_days\": 365}},",
    /* 6 */
    "    {\"id\": \"pci-dss-aoc\", \"title\": \"T\", \"attests\": \"A\", \"issuer\": \"I\",",
    /* 7 */ "     \"cadence\": \"C\", \"freshness\": {\"basis\": \"retrieved\", \"max_days\": 30}}",
    /* 8 */ "  ]",
    /* 9 */ "}",
};

static const char *const scope_lines[] = {
    /*  1 */ "{",
    /*  2 */ "  \"schema\": \"evpack/scope@1\",",
    /*  3 */ "  \"organisation\": \"Example Payments Ltd\",",
    /*  4 */ "  \"period\": {\"start\": \"2026-07-01\", \"end\": \"2026-09-30\"},",
    /*  5 */ "  \"accounts\": [\"111122223333\"],",
    /*  6 */ "  \"max_evidence_age_days\": 90,",
    /*  7 */ "  \"artifacts\": [",
    /*  8 */
    "    {\"report\": \"soc2-type2\", \"period\": {\"start\": \"2025-10-01\", "
    "\"end\": \"2026-03-31\"},",
    /*  9 */
    "     \"retrieved\": \"2026-06-15\", \"sha256\": "
    "\"3d31806c6a780b262169da2aa91cda0b588d08a1d94c4dda5b121f65d198ab09\"},",
    /* 10 */
    "    {\"report\": \"pci-dss-aoc\", \"retrieved\": \"2026-01-12\", \"file\": \"aoc.pdf\"}",
    /* 11 */ "  ]",
    /* 12 */ "}",
};

#define ALL ((size_t)-1)
#define NLINES(a) (sizeof(a) / sizeof *(a))

/* Writes lines to path, with line `at` (1-based; 0: none) replaced by repl. */
static void write_lines(const char *path, const char *const *lines, size_t n, size_t at,
                        const char *repl)
{
    ev_buf b = EV_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        ev_buf_puts(&b, i + 1 == at ? repl : lines[i]);
        ev_buf_putc(&b, '\n');
    }
    write_bytes(path, b.data, b.len);
    ev_buf_free(&b);
}

typedef enum { DOC_FRAMEWORK, DOC_ARTIFACTS, DOC_SCOPE } doc_kind;

/* Loads path as kind; frees what loaded. */
static ev_status load(doc_kind kind, const char *path, ev_error *err)
{
    ev_error_clear(err);
    ev_status rc;
    if (kind == DOC_FRAMEWORK) {
        ev_framework *fw = NULL;
        rc = ev_framework_load(path, &fw, err);
        ck_assert(rc == EV_OK ? fw != NULL : fw == NULL);
        ev_framework_free(fw);
    } else if (kind == DOC_ARTIFACTS) {
        ev_artifacts *a = NULL;
        rc = ev_artifacts_load(path, &a, err);
        ck_assert(rc == EV_OK ? a != NULL : a == NULL);
        ev_artifacts_free(a);
    } else {
        ev_scope *s = NULL;
        rc = ev_scope_load(path, &s, err);
        ck_assert(rc == EV_OK ? s != NULL : s == NULL);
        ev_scope_free(s);
    }
    return rc;
}

/* Asserts err is an input error in path at line:col with frag in its message. */
static void assert_err(const ev_error *err, const char *path, long line, long col, const char *frag)
{
    ck_assert_int_eq(err->status, EV_ERR_INPUT);
    ck_assert_str_eq(err->file, path);
    ck_assert_msg(err->line == line && err->col == col, "at %ld:%ld, expected %ld:%ld (%s)",
                  err->line, err->col, line, col, err->msg);
    ck_assert_msg(strstr(err->msg, frag) != NULL, "message \"%s\" lacks \"%s\"", err->msg, frag);
}

/* Replaces line `at` of the kind's base document with repl, loads it, and expects an
 * input error on that line at the first occurrence of marker in repl. */
static void assert_variant_fails(doc_kind kind, size_t at, const char *repl, const char *marker,
                                 const char *frag)
{
    const char *const *lines = kind == DOC_FRAMEWORK   ? fw_lines
                               : kind == DOC_ARTIFACTS ? art_lines
                                                       : scope_lines;
    size_t n = kind == DOC_FRAMEWORK   ? NLINES(fw_lines)
               : kind == DOC_ARTIFACTS ? NLINES(art_lines)
                                       : NLINES(scope_lines);
    const char *path = wpath("variant.json");
    write_lines(path, lines, n, at, repl);
    const char *m = strstr(repl, marker);
    ck_assert_msg(m != NULL, "marker %s not in the replacement", marker);
    ev_error err;
    ck_assert_int_eq(load(kind, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, (long)at, (long)(m - repl) + 1, frag);
}

/* Writes raw text (n bytes; (size_t)-1: up to its NUL) and expects kind's loader to fail at
 * line:col. */
static void assert_text_fails(doc_kind kind, const char *data, size_t n, long line, long col,
                              const char *frag)
{
    if (n == (size_t)-1)
        n = strlen(data);
    const char *path = wpath("raw.json");
    write_bytes(path, data, n);
    ev_error err;
    ck_assert_int_eq(load(kind, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, line, col, frag);
}

static ev_framework *load_fw_lines(size_t at, const char *repl)
{
    const char *path = wpath("fw.json");
    write_lines(path, fw_lines, NLINES(fw_lines), at, repl);
    ev_framework *fw = NULL;
    ev_error err;
    ev_status rc = ev_framework_load(path, &fw, &err);
    ck_assert_msg(rc == EV_OK, "%s:%ld:%ld: %s", err.file, err.line, err.col, err.msg);
    return fw;
}

static ev_artifacts *load_art_lines(size_t at, const char *repl)
{
    const char *path = wpath("art.json");
    write_lines(path, art_lines, NLINES(art_lines), at, repl);
    ev_artifacts *a = NULL;
    ev_error err;
    ev_status rc = ev_artifacts_load(path, &a, &err);
    ck_assert_msg(rc == EV_OK, "%s:%ld:%ld: %s", err.file, err.line, err.col, err.msg);
    return a;
}

static ev_scope *load_scope_lines(size_t at, const char *repl)
{
    const char *path = wpath("scope.json");
    write_lines(path, scope_lines, NLINES(scope_lines), at, repl);
    ev_scope *s = NULL;
    ev_error err;
    ev_status rc = ev_scope_load(path, &s, &err);
    ck_assert_msg(rc == EV_OK, "%s:%ld:%ld: %s", err.file, err.line, err.col, err.msg);
    return s;
}

/* ---- the bundled data ---- */

START_TEST(bundled_load)
{
    ev_error err;
    ev_framework *fw = NULL;
    ev_artifacts *a = NULL;
    ev_scope *s = NULL;
    ck_assert_int_eq(ev_framework_load(bundled_framework(), &fw, &err), EV_OK);
    ck_assert_int_eq(ev_artifacts_load(bundled_artifacts(), &a, &err), EV_OK);
    ck_assert_int_eq(ev_scope_load(sample_scope(), &s, &err), EV_OK);

    ck_assert_str_eq(fw->path, bundled_framework());
    ck_assert_str_eq(fw->id, "pci-dss-4.0.1");
    ck_assert_str_eq(fw->name, "PCI DSS");
    ck_assert_str_eq(fw->version, "4.0.1");
    ck_assert_str_eq(fw->edition, "2026.11");
    ck_assert_str_eq(fw->publisher, "PCI Security Standards Council");
    ck_assert_uint_ge(fw->n_namespaces, 1);
    ck_assert_str_eq(fw->namespaces[0], "PCI DSS v4.0.1");
    ck_assert_uint_eq(fw->n_sections, 12); /* the twelve requirements */
    ck_assert_uint_ge(fw->n_controls, 200);
    size_t by_resp[EV_RESP_COUNT] = {0};
    for (size_t i = 0; i < fw->n_controls; i++) {
        const ev_control *c = &fw->controls[i];
        by_resp[c->responsibility]++;
        ck_assert_ptr_nonnull(c->id);
        ck_assert_ptr_nonnull(c->title);
        ck_assert_ptr_nonnull(c->rationale);
        ck_assert_int_gt(c->line, 0);
        ck_assert_int_gt(c->col, 0);
        if (i)
            ck_assert_int_gt(c->line, fw->controls[i - 1].line);
        /* the parts match the responsibility */
        bool aws = c->responsibility != EV_RESP_CUSTOMER;
        bool cust = c->responsibility != EV_RESP_AWS;
        ck_assert_msg(aws == (c->aws_statement != NULL), "control %s", c->id);
        ck_assert_msg(aws == (c->n_citations > 0), "control %s", c->id);
        ck_assert_msg(cust == (c->customer_statement != NULL), "control %s", c->id);
        if (!cust)
            ck_assert_uint_eq(c->n_checks, 0);
        for (size_t j = 0; j < c->n_citations; j++) {
            ck_assert_ptr_nonnull(ev_artifacts_find(a, c->citations[j].report));
            ck_assert_ptr_nonnull(c->citations[j].section);
        }
        ck_assert_ptr_eq(ev_framework_find(fw, c->id), c);
        ck_assert_int_eq(ev_framework_index(fw, c->id), (long)i);
    }
    /* all three kinds occur (the mapping itself is edited often: no exact counts) */
    ck_assert_uint_gt(by_resp[EV_RESP_CUSTOMER], by_resp[EV_RESP_SHARED]);
    ck_assert_uint_gt(by_resp[EV_RESP_SHARED], 0);
    ck_assert_uint_gt(by_resp[EV_RESP_AWS], 0);
    ck_assert_uint_eq(by_resp[EV_RESP_AWS] + by_resp[EV_RESP_SHARED] + by_resp[EV_RESP_CUSTOMER],
                      fw->n_controls);
    ck_assert_int_eq(ev_framework_check_citations(fw, a, &err), EV_OK);
    /* the first control sits where the file has it */
    ck_assert_str_eq(fw->controls[0].id, "1.1.1");
    ck_assert_ptr_nonnull(ev_framework_find(fw, "8.3.1"));

    ck_assert_uint_eq(a->n_reports, 13);
    const ev_report *r = ev_artifacts_find(a, "soc2-type2");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->freshness_basis, "period_end");
    ck_assert_int_eq(r->freshness_days, 365);
    r = ev_artifacts_find(a, "hipaa-baa");
    ck_assert_str_eq(r->freshness_basis, "retrieved");
    ck_assert_int_eq(r->freshness_days, 730);
    ck_assert_ptr_null(ev_artifacts_find(a, "soc4"));

    ck_assert_str_eq(s->organisation, "Example Payments Ltd");
    ck_assert_str_eq(s->classification, "Confidential");
    ck_assert_str_eq(s->period_start, "2026-07-01");
    ck_assert_str_eq(s->period_end, "2026-09-30");
    ck_assert_uint_eq(s->n_accounts, 2);
    ck_assert_uint_eq(s->n_regions, 2);
    ck_assert_uint_eq(s->n_services, 8);
    ck_assert_uint_eq(s->n_frameworks, 1);
    ck_assert_str_eq(s->frameworks[0], "pci-dss-4.0.1");
    ck_assert_int_eq(s->max_evidence_age_days, 90);
    ck_assert_uint_eq(s->n_editions, 4);
    ck_assert_int_eq(ev_scope_check(s, a, &err), EV_OK);
    for (size_t i = 0; i < s->n_editions; i++) {
        ck_assert_uint_eq(strlen(s->editions[i].sha256), 64);
        ck_assert_ptr_nonnull(ev_artifacts_find(a, s->editions[i].report));
        ck_assert_int_gt(s->editions[i].line, 0);
    }
    const ev_edition *e = ev_scope_edition(s, "soc1-type2");
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->period_start, "2024-10-01");
    ck_assert_str_eq(e->period_end, "2025-03-31");
    ck_assert_str_eq(e->retrieved, "2025-06-20");
    ck_assert_str_eq(e->file, "AWS-SOC-1-Type-2-Spring-2025.pdf");
    ck_assert_ptr_null(ev_scope_edition(s, "iso-27001")); /* deliberately absent */
    ck_assert_ptr_nonnull(ev_scope_edition(s, "pci-dss-aoc"));

    ev_scope_free(s);
    ev_artifacts_free(a);
    ev_framework_free(fw);
    ev_framework_free(NULL);
    ev_artifacts_free(NULL);
    ev_scope_free(NULL);
}
END_TEST

START_TEST(small_documents)
{
    ev_framework *fw = load_fw_lines(0, NULL);
    ck_assert_uint_eq(fw->n_controls, 3);
    ck_assert_uint_eq(fw->n_sections, 2);
    ck_assert_ptr_null(fw->publisher);
    const ev_control *c = &fw->controls[2];
    ck_assert_str_eq(c->id, "2.1");
    ck_assert_int_eq(c->responsibility, EV_RESP_SHARED);
    ck_assert_uint_eq(c->n_citations, 1);
    ck_assert_str_eq(c->citations[0].report, "pci-dss-aoc");
    ck_assert_str_eq(c->cuec, "C");
    ck_assert_uint_eq(c->n_checks, 1);
    ck_assert_uint_eq(c->n_aliases, 2);
    ck_assert_uint_eq(c->n_tags, 1);
    ck_assert_int_eq(c->line, 15);
    ck_assert_int_eq(c->col, 5);
    ck_assert_int_eq(fw->controls[0].line, 11);
    ck_assert_uint_eq(fw->controls[0].n_checks, 2);
    ck_assert_ptr_null(fw->controls[0].cuec);
    ev_framework_free(fw);

    ev_artifacts *a = load_art_lines(0, NULL);
    ck_assert_uint_eq(a->n_reports, 2);
    ck_assert_int_eq(a->reports[1].freshness_days, 30);
    ev_artifacts_free(a);

    ev_scope *s = load_scope_lines(0, NULL);
    ck_assert_uint_eq(s->n_editions, 2);
    ck_assert_ptr_null(s->editions[1].period_start);
    ck_assert_ptr_null(s->editions[1].sha256);
    ck_assert_str_eq(s->editions[1].file, "aoc.pdf");
    ck_assert_int_eq(s->editions[0].line, 8);
    ck_assert_int_eq(s->editions[0].col, 5);
    ck_assert_int_eq(s->editions[1].line, 10);
    ck_assert_ptr_null(s->title);
    ck_assert_uint_eq(s->n_regions, 0);
    ev_scope_free(s);

    /* the scope's age defaults to 90 days; "_comment" members are allowed */
    s = load_scope_lines(6, "  \"_comment\": \"no age\",");
    ck_assert_int_eq(s->max_evidence_age_days, 90);
    ev_scope_free(s);
    s = load_scope_lines(6, "  \"max_evidence_age_days\": 30,");
    ck_assert_int_eq(s->max_evidence_age_days, 30);
    ev_scope_free(s);
    ck_assert_str_eq(ev_responsibility_name(EV_RESP_AWS), "aws");
    ck_assert_str_eq(ev_responsibility_name(EV_RESP_SHARED), "shared");
    ck_assert_str_eq(ev_responsibility_name(EV_RESP_COUNT), "unknown");
}
END_TEST

/* ---- framework rules ---- */

START_TEST(framework_duplicate_control)
{
    assert_variant_fails(
        DOC_FRAMEWORK, 13,
        "    {\"id\": \"1.1\", \"title\": \"T\", \"section\": \"1\", \"responsibility\": \"aws\",",
        "\"1.1\"", "duplicate control id \"1.1\" (first at line 11)");
    /* an id that is another control's alias, and an alias that is an id */
    assert_variant_fails(DOC_FRAMEWORK, 17,
                         "     \"customer\": {\"statement\": \"S\"}, \"aliases\": [\"1.2\"]}",
                         "[\"1.2\"]", "alias \"1.2\" is already a control id");
    ev_error err;
    const char *path = wpath("variant.json");
    write_lines(path, fw_lines, NLINES(fw_lines), 12,
                "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\"}, "
                "\"aliases\": [\"x\", \"2.1\"]},");
    ck_assert_int_eq(load(DOC_FRAMEWORK, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 15, 12, "control id \"2.1\" is already an alias of 1.1");
    /* one alias on two controls would map findings ambiguously */
    /* (reported at the later control's aliases, line 17) */
    write_lines(path, fw_lines, NLINES(fw_lines), 14,
                "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
                "[{\"report\": \"soc2-type2\", \"section\": \"CC6\"}]}, \"aliases\": [\"B2\"]},");
    ck_assert_int_eq(load(DOC_FRAMEWORK, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 17, (long)(strstr(fw_lines[16], "[\"2.1a\"") - fw_lines[16]) + 1,
               "alias \"B2\" is already an alias of 1.2");
    /* a control's own alias equal to its id is harmless */
    ev_framework *fw =
        load_fw_lines(17, "     \"customer\": {\"statement\": \"S\"}, \"aliases\": [\"2.1\"]}");
    ck_assert_ptr_eq(ev_framework_find(fw, "2.1"), &fw->controls[2]);
    ev_framework_free(fw);
}
END_TEST

START_TEST(framework_responsibility)
{
    assert_variant_fails(DOC_FRAMEWORK, 11,
                         "    {\"id\": \"1.1\", \"title\": \"T\", \"section\": \"1\", "
                         "\"responsibility\": \"customr\",",
                         "\"customr\"", "unknown responsibility \"customr\"");
    assert_variant_fails(
        DOC_FRAMEWORK, 11,
        "    {\"id\": \"1.1\", \"title\": \"T\", \"section\": \"1\", \"responsibility\": 3,", "3",
        "\"responsibility\": expected a string");
}
END_TEST

START_TEST(framework_aws_part)
{
    ev_error err;
    const char *path = wpath("variant.json");
    /* no aws part: reported at the control object, line 13 col 5 */
    write_lines(path, fw_lines, NLINES(fw_lines), 14, "     \"rationale\": \"R\", \"tags\": []},");
    ck_assert_int_eq(load(DOC_FRAMEWORK, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 13, 5, "control 1.2 is \"aws\" but has no \"aws\" part");
    /* empty citations */
    assert_variant_fails(
        DOC_FRAMEWORK, 14,
        "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": []}},", "[]",
        "expected at least one citation");
    /* a citation without its section, or not an object */
    assert_variant_fails(
        DOC_FRAMEWORK, 14,
        "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
        "[{\"report\": \"soc2-type2\"}]}},",
        "{\"report\"", "missing \"section\"");
    assert_variant_fails(
        DOC_FRAMEWORK, 14,
        "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
        "[\"soc2-type2\"]}},",
        "\"soc2-type2\"", "expected a citation object");
    /* no statement */
    assert_variant_fails(DOC_FRAMEWORK, 14,
                         "     \"rationale\": \"R\", \"aws\": {\"citations\": "
                         "[{\"report\": \"soc2-type2\", \"section\": \"x\"}]}},",
                         "{\"citations\"", "missing \"statement\"");
    /* a customer control with an aws part, an aws control with a customer part */
    assert_variant_fails(DOC_FRAMEWORK, 12,
                         "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\"}, "
                         "\"aws\": {\"statement\": \"S\", \"citations\": []}},",
                         "{\"statement\": \"S\", \"citations\"",
                         "control 1.1 is \"customer\": expected no \"aws\" part");
    assert_variant_fails(
        DOC_FRAMEWORK, 14,
        "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
        "[{\"report\": \"r\", \"section\": \"x\"}]}, \"customer\": {}},",
        "{}}", "control 1.2 is \"aws\": expected no \"customer\" part");
    /* a shared control needs both */
    write_lines(path, fw_lines, NLINES(fw_lines), 17, "     \"tags\": [\"t\"]}");
    ck_assert_int_eq(load(DOC_FRAMEWORK, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 15, 5, "control 2.1 is \"shared\" but has no \"customer\" part");
    /* "aws" of the wrong type */
    assert_variant_fails(DOC_FRAMEWORK, 14, "     \"rationale\": \"R\", \"aws\": \"AWS\"},",
                         "\"AWS\"", "\"aws\": expected an object");
}
END_TEST

START_TEST(framework_sections_and_checks)
{
    assert_variant_fails(DOC_FRAMEWORK, 11,
                         "    {\"id\": \"1.1\", \"title\": \"T\", \"section\": \"9\", "
                         "\"responsibility\": \"customer\",",
                         "\"9\"", "section \"9\" is not one of the framework's sections");
    assert_variant_fails(DOC_FRAMEWORK, 9,
                         "  \"sections\": [{\"id\": \"1\", \"title\": \"One\"}, {\"id\": \"1\", "
                         "\"title\": \"Two\"}],",
                         "\"1\", \"title\": \"Two\"", "duplicate section id \"1\"");
    assert_variant_fails(DOC_FRAMEWORK, 9, "  \"sections\": [{\"id\": \"1\"}, \"2\"],",
                         "{\"id\": \"1\"}", "missing \"title\"");
    /* checks need a known namespace and an id after it */
    assert_variant_fails(
        DOC_FRAMEWORK, 12,
        "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\", \"checks\": "
        "[\"securityhub:IAM.6\", \"IAM.6\"]}},",
        "\"IAM.6\"", "check \"IAM.6\": expected securityhub:ID");
    assert_variant_fails(
        DOC_FRAMEWORK, 12,
        "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\", \"checks\": "
        "[\"securityhub:\"]}},",
        "\"securityhub:\"", "expected securityhub:ID");
    assert_variant_fails(
        DOC_FRAMEWORK, 12,
        "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\", \"checks\": "
        "[\"SecurityHub:IAM.6\"]}},",
        "\"SecurityHub", "expected securityhub:ID");
    assert_variant_fails(
        DOC_FRAMEWORK, 12,
        "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\", \"checks\": "
        "[\"securityhub:IAM.6\", \"\"]}},",
        "\"\"]", "item 2: expected a non-empty string");
    assert_variant_fails(
        DOC_FRAMEWORK, 12,
        "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\", \"checks\": "
        "\"securityhub:IAM.6\"}},",
        "\"securityhub:IAM.6\"", "expected an array of strings");
}
END_TEST

START_TEST(framework_unknown_members)
{
    /* a typo is an error wherever it is, reported at its value */
    assert_variant_fails(DOC_FRAMEWORK, 8, "  \"namespace\": [\"Test v1.0\"],", "[",
                         "unknown member \"namespace\"");
    assert_variant_fails(DOC_FRAMEWORK, 11,
                         "    {\"id\": \"1.1\", \"titel\": \"T\", \"section\": \"1\", "
                         "\"responsibility\": \"customer\",",
                         "\"T\"", "unknown member \"titel\"");
    assert_variant_fails(
        DOC_FRAMEWORK, 12,
        "     \"rationale\": \"R\", \"customer\": {\"statement\": \"S\", \"check\": "
        "[\"securityhub:IAM.6\"]}},",
        "[", "unknown member \"check\"");
    assert_variant_fails(
        DOC_FRAMEWORK, 14,
        "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
        "[{\"report\": \"soc2-type2\", \"section\": \"CC6\"}], \"cuce\": 1}},",
        "1}}", "unknown member \"cuce\"");
    assert_variant_fails(
        DOC_FRAMEWORK, 14,
        "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
        "[{\"report\": \"soc2-type2\", \"sectoin\": \"CC6\"}]}},",
        "\"CC6\"", "unknown member \"sectoin\"");
    assert_variant_fails(DOC_FRAMEWORK, 9,
                         "  \"sections\": [{\"id\": \"1\", \"title\": \"One\"}, {\"id\": \"2\", "
                         "\"title\": \"Two\", \"titel\": \"2\"}],",
                         "\"2\"}", "unknown member \"titel\"");
    assert_variant_fails(DOC_ARTIFACTS, 5,
                         "     \"cadence\": \"C\", \"freshness\": {\"basis\": \"period_end\", "
                         "\"max_day\": 365}},",
                         "365", "unknown member \"max_day\"");
    assert_variant_fails(DOC_ARTIFACTS, 2, "  \"schema\": \"evpack/artifacts@1\", \"extra\": true,",
                         "true", "unknown member \"extra\"");
    assert_variant_fails(DOC_SCOPE, 4,
                         "  \"period\": {\"start\": \"2026-07-01\", \"ende\": \"2026-09-30\"},",
                         "\"2026-09-30\"", "unknown member \"ende\"");
    assert_variant_fails(DOC_SCOPE, 10,
                         "    {\"report\": \"pci-dss-aoc\", \"retrieved\": \"2026-01-12\", "
                         "\"sha\": \"x\"}",
                         "\"x\"", "unknown member \"sha\"");
    assert_variant_fails(DOC_SCOPE, 5, "  \"acounts\": [\"111122223333\"],", "[",
                         "unknown member \"acounts\"");
}
END_TEST

START_TEST(wrong_schema)
{
    assert_variant_fails(DOC_FRAMEWORK, 2, "  \"schema\": \"evpack/framework@2\",", "\"evpack",
                         "expected \"evpack/framework@1\", found \"evpack/framework@2\"");
    assert_variant_fails(DOC_FRAMEWORK, 2, "  \"schema\": \"evpack/scope@1\",", "\"evpack",
                         "expected \"evpack/framework@1\"");
    assert_variant_fails(DOC_ARTIFACTS, 2, "  \"schema\": \"evpack/framework@1\",", "\"evpack",
                         "expected \"evpack/artifacts@1\"");
    assert_variant_fails(DOC_SCOPE, 2, "  \"schema\": 1,", "1", "\"schema\": expected a string");
    /* no schema at all: at the root object */
    const char *path = wpath("variant.json");
    ev_error err;
    write_lines(path, scope_lines, NLINES(scope_lines), 2, "");
    ck_assert_int_eq(load(DOC_SCOPE, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 1, 1, "missing \"schema\"");
}
END_TEST

START_TEST(framework_required_fields)
{
    assert_variant_fails(DOC_FRAMEWORK, 7, "  \"edition\": \"\",", "\"\"",
                         "\"edition\": expected a non-empty string");
    assert_variant_fails(DOC_FRAMEWORK, 8, "  \"namespaces\": [\"Test v1.0\", 5],", "5",
                         "\"namespaces\" item 2");
    ev_error err;
    const char *path = wpath("raw.json");
    write_text(path, "{\"schema\": \"evpack/framework@1\", \"id\": \"x\", \"name\": \"n\", "
                     "\"version\": \"1\", \"title\": \"t\", \"edition\": \"e\", \"sections\": [],\n"
                     "  \"controls\": []}\n");
    ck_assert_int_eq(load(DOC_FRAMEWORK, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 2, 15, "expected at least one control");
    write_text(path, "{\"schema\": \"evpack/framework@1\", \"id\": \"x\", \"name\": \"n\", "
                     "\"version\": \"1\", \"title\": \"t\", \"edition\": \"e\", \"sections\": []}");
    ck_assert_int_eq(load(DOC_FRAMEWORK, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 1, 1, "missing \"controls\"");
}
END_TEST

/* ---- artifacts rules ---- */

START_TEST(artifacts_rules)
{
    assert_variant_fails(DOC_ARTIFACTS, 5,
                         "     \"cadence\": \"C\", \"freshness\": {\"basis\": \"issued\", "
                         "\"max_days\": 365}},",
                         "\"issued\"", "unknown freshness basis \"issued\"");
    static const char *const bad_days[] = {"0", "1.5", "\"365\"", "-1", "36501", "null"};
    for (size_t i = 0; i < sizeof bad_days / sizeof *bad_days; i++) {
        char line[256];
        snprintf(line, sizeof line,
                 "     \"cadence\": \"C\", \"freshness\": {\"basis\": \"period_end\", "
                 "\"max_days\": %s}},",
                 bad_days[i]);
        if (strcmp(bad_days[i], "null") == 0) {
            /* present but null: reported at the value */
            assert_variant_fails(DOC_ARTIFACTS, 5, line, "null", "whole number of days");
        } else {
            char marker[32];
            snprintf(marker, sizeof marker, " %s}", bad_days[i]);
            const char *path = wpath("variant.json");
            write_lines(path, art_lines, NLINES(art_lines), 5, line);
            ev_error err;
            ck_assert_int_eq(load(DOC_ARTIFACTS, path, &err), EV_ERR_INPUT);
            assert_err(&err, path, 5, (long)(strstr(line, marker) - line) + 2,
                       "whole number of days");
        }
    }
    assert_variant_fails(DOC_ARTIFACTS, 6,
                         "    {\"id\": \"soc2-type2\", \"title\": \"T\", \"attests\": \"A\", "
                         "\"issuer\": \"I\",",
                         "\"soc2-type2\"", "duplicate report id \"soc2-type2\"");
    const char *path = wpath("variant.json");
    ev_error err;
    write_lines(path, art_lines, NLINES(art_lines), 5, "     \"cadence\": \"C\"},");
    ck_assert_int_eq(load(DOC_ARTIFACTS, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 4, 5, "missing \"freshness\"");
}
END_TEST

/* ---- scope rules ---- */

START_TEST(scope_dates)
{
    assert_variant_fails(
        DOC_SCOPE, 4, "  \"period\": {\"start\": \"2026-02-30\", \"end\": \"2026-09-30\"},",
        "\"2026-02-30\"", "expected a real date as YYYY-MM-DD, found \"2026-02-30\"");
    assert_variant_fails(DOC_SCOPE, 4,
                         "  \"period\": {\"start\": \"2026-07-01\", \"end\": \"2026-9-30\"},",
                         "\"2026-9-30\"", "real date");
    assert_variant_fails(
        DOC_SCOPE, 4, "  \"period\": {\"start\": \"2026-07-01\", \"end\": \"2026-06-30\"},",
        "\"2026-06-30\"", "period ends (2026-06-30) before it starts (2026-07-01)");
    /* a one-day period is fine */
    ev_scope *s =
        load_scope_lines(4, "  \"period\": {\"start\": \"2026-07-01\", \"end\": \"2026-07-01\"},");
    ev_scope_free(s);
    assert_variant_fails(DOC_SCOPE, 4, "  \"period\": {\"start\": \"2026-07-01\"},", "{",
                         "missing \"end\"");
    assert_variant_fails(DOC_SCOPE, 4, "  \"period\": \"2026\",", "\"2026\"",
                         "\"period\": expected an object");
    /* in an edition */
    assert_variant_fails(DOC_SCOPE, 10,
                         "    {\"report\": \"pci-dss-aoc\", \"retrieved\": \"2026-13-01\"}",
                         "\"2026-13-01\"", "real date");
    assert_variant_fails(DOC_SCOPE, 8,
                         "    {\"report\": \"soc2-type2\", \"period\": {\"start\": \"2026-10-01\", "
                         "\"end\": \"2026-03-31\"},",
                         "\"2026-03-31\"", "before it starts");
    assert_variant_fails(DOC_SCOPE, 10, "    {\"report\": \"pci-dss-aoc\"}", "{",
                         "missing \"retrieved\"");
    assert_variant_fails(DOC_SCOPE, 6, "  \"max_evidence_age_days\": 0,", "0",
                         "max_evidence_age_days");
    assert_variant_fails(DOC_SCOPE, 6, "  \"max_evidence_age_days\": \"90\",", "\"90\"",
                         "max_evidence_age_days");
}
END_TEST

START_TEST(scope_sha256)
{
    static const char *const bad[] = {
        "3d31806c6a780b262169da2aa91cda0b588d08a1d94c4dda5b121f65d198ab0",   /* 63 */
        "3d31806c6a780b262169da2aa91cda0b588d08a1d94c4dda5b121f65d198ab091", /* 65 */
        "3D31806C6A780B262169DA2AA91CDA0B588D08A1D94C4DDA5B121F65D198AB09",  /* upper case */
        "3g31806c6a780b262169da2aa91cda0b588d08a1d94c4dda5b121f65d198ab09",  /* not hex */
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char line[256];
        snprintf(line, sizeof line, "     \"retrieved\": \"2026-06-15\", \"sha256\": \"%s\"},",
                 bad[i]);
        char marker[80];
        snprintf(marker, sizeof marker, "\"%s\"", bad[i]);
        assert_variant_fails(DOC_SCOPE, 9, line, marker, "64 lower-case hex digits");
    }
}
END_TEST

START_TEST(scope_editions)
{
    /* the same report twice: at the second one's "report" */
    assert_variant_fails(DOC_SCOPE, 10,
                         "    {\"report\": \"soc2-type2\", \"retrieved\": \"2026-01-12\"}",
                         "\"soc2-type2\"", "a second edition of \"soc2-type2\"");
    assert_variant_fails(DOC_SCOPE, 10, "    \"pci-dss-aoc\"", "\"pci",
                         "expected an Artifact edition object");
    /* an edition naming a report the catalogue lacks: ev_scope_check, at the edition */
    ev_scope *s = load_scope_lines(
        10, "    {\"report\": \"soc9-type2\", \"retrieved\": \"2026-01-12\", \"file\": \"x.pdf\"}");
    ev_artifacts *a = load_art_lines(0, NULL);
    ev_error err;
    ev_error_clear(&err);
    ck_assert_int_eq(ev_scope_check(s, a, &err), EV_ERR_INPUT);
    assert_err(&err, wpath("scope.json"), 10, 5, "unknown Artifact report \"soc9-type2\"");
    ev_scope_free(s);
    /* with the bundled catalogue, the sample scope checks out */
    ev_artifacts_free(a);
    ck_assert_int_eq(ev_artifacts_load(bundled_artifacts(), &a, &err), EV_OK);
    s = load_scope_lines(0, NULL);
    ck_assert_int_eq(ev_scope_check(s, a, &err), EV_OK);
    ev_scope_free(s);
    ev_artifacts_free(a);
}
END_TEST

START_TEST(unknown_citation)
{
    ev_framework *fw = load_fw_lines(
        16, "     \"rationale\": \"R\", \"aws\": {\"statement\": \"S\", \"citations\": "
            "[{\"report\": \"pci-dss-aoc\", \"section\": \"x\"}, {\"report\": \"pci-dss-roc\", "
            "\"section\": \"y\"}]},");
    ev_artifacts *a = load_art_lines(0, NULL);
    ev_error err;
    ev_error_clear(&err);
    ck_assert_int_eq(ev_framework_check_citations(fw, a, &err), EV_ERR_INPUT);
    assert_err(&err, wpath("fw.json"), 15, 5,
               "control 2.1 cites unknown Artifact report \"pci-dss-roc\"");
    ck_assert_ptr_nonnull(strstr(err.msg, wpath("art.json")));
    ev_framework_free(fw);
    /* without the bad citation, everything is known */
    fw = load_fw_lines(0, NULL);
    ck_assert_int_eq(ev_framework_check_citations(fw, a, &err), EV_OK);
    ev_framework_free(fw);
    ev_artifacts_free(a);
}
END_TEST

/* ---- JSON document checks ---- */

START_TEST(document_errors)
{
    assert_text_fails(DOC_FRAMEWORK, "", 0, 1, 1, "empty file");
    assert_text_fails(DOC_SCOPE, "{\"schema\": \"evpack/scope@1\"}\n  x\n", ALL, 2, 3,
                      "unexpected data after the end");
    assert_text_fails(DOC_SCOPE, "{\"schema\": \"evpack/scope@1\"}{}", ALL, 1, 29,
                      "unexpected data after the end");
    assert_text_fails(DOC_ARTIFACTS, "{\"schema\":\n \"evpack/\0artifacts@1\"}", 34, 2, 10,
                      "NUL byte");
    assert_text_fails(DOC_ARTIFACTS, "{\"schema\":\n\n \"evpack/\xC3\x28\"}", ALL, 3, 10,
                      "invalid UTF-8");
    assert_text_fails(DOC_ARTIFACTS, "{\"schema\": \"caf\xE9\"}", ALL, 1, 16, "invalid UTF-8");
    assert_text_fails(DOC_ARTIFACTS, "{\"schema\": \"\xED\xA0\x80\"}", ALL, 1, 13, "invalid UTF-8");
    assert_text_fails(DOC_SCOPE, "[]", ALL, 1, 1, "expected a JSON object");
    assert_text_fails(DOC_SCOPE, "\n  \"text\"\n", ALL, 2, 3, "expected a JSON object");
    /* malformed JSON: the byte at fault */
    assert_text_fails(DOC_SCOPE, "{\"schema\": \"evpack/scope@1\",\n  organisation: \"x\"}", ALL, 2,
                      3, "unexpected 'o'");
    assert_text_fails(DOC_SCOPE, "{\"schema\": \"evpack/scope@1\",\n  \"a\": [1,]}", ALL, 2, 11,
                      "unexpected ']'");
    assert_text_fails(DOC_SCOPE, "{\"schema\": \"evpack/scope@1\",\n  \"a\" 1}", ALL, 2, 7,
                      "unexpected '1'");
    assert_text_fails(DOC_SCOPE, "{\"schema\": \"evpack/scope@1\",\n  \"a\": {\"b\": 1,}}\n", ALL,
                      2, 16, "unexpected '}'");
    assert_text_fails(DOC_SCOPE, "{\"schema\": \"evpack/scope@1\",\n  \"a\": [\n", ALL, 3, 1,
                      "unexpected end of file");
    assert_text_fails(DOC_SCOPE, "{\"schema\": \"evpack/scope@1\",\xE2\x80\xA8 \"a\": 1}", ALL, 1,
                      29, "unexpected byte 0xe2");
    /* not a file */
    ev_error err;
    ck_assert_int_eq(load(DOC_FRAMEWORK, work, &err), EV_ERR_IO);
    ck_assert_int_eq(load(DOC_SCOPE, wpath("missing.json"), &err), EV_ERR_IO);
    ck_assert_str_eq(err.file, wpath("missing.json"));
}
END_TEST

START_TEST(document_bom)
{
    /* a BOM before a valid file is accepted */
    const char *path = wpath("bom.json");
    ev_buf b = EV_BUF_INIT;
    ev_buf_puts(&b, "\xEF\xBB\xBF");
    for (size_t i = 0; i < NLINES(fw_lines); i++) {
        ev_buf_puts(&b, fw_lines[i]);
        ev_buf_putc(&b, '\n');
    }
    write_bytes(path, b.data, b.len);
    ev_framework *fw = NULL;
    ev_error err;
    ck_assert_int_eq(ev_framework_load(path, &fw, &err), EV_OK);
    ck_assert_uint_eq(fw->n_controls, 3);
    /* positions still point at the values (columns count the BOM's bytes) */
    ck_assert_int_eq(fw->controls[2].line, 15);
    ck_assert_int_eq(fw->controls[2].col, 5);
    ev_framework_free(fw);
    ev_buf_clear(&b);

    /* and errors in a file with a BOM are reported where they are */
    ev_buf_puts(&b, "\xEF\xBB\xBF{\"schema\": \"evpack/scope@1\",\n \"organisation\": 5}\n");
    write_bytes(path, b.data, b.len);
    ck_assert_int_eq(load(DOC_SCOPE, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 2, 18, "\"organisation\": expected a string");
    ev_buf_clear(&b);
    ev_buf_puts(&b, "\xEF\xBB\xBF{\"schema\": \"evpack/scope@2\"}");
    write_bytes(path, b.data, b.len);
    ck_assert_int_eq(load(DOC_SCOPE, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 1, 15, "expected \"evpack/scope@1\"");
    ev_buf_clear(&b);
    ev_buf_puts(&b, "\xEF\xBB\xBF{\"schema\": \"evpack/scope@1\", x}");
    write_bytes(path, b.data, b.len);
    ck_assert_int_eq(load(DOC_SCOPE, path, &err), EV_ERR_INPUT);
    assert_err(&err, path, 1, 33, "unexpected 'x'");
    ev_buf_free(&b);
    /* a BOM alone is an empty document */
    assert_text_fails(DOC_SCOPE, "\xEF\xBB\xBF", 3, 1, 4, "unexpected end of file");
}
END_TEST

/* ---- lookups ---- */

START_TEST(framework_find)
{
    ev_framework *fw = load_fw_lines(0, NULL);
    ck_assert_ptr_eq(ev_framework_find(fw, "1.1"), &fw->controls[0]);
    ck_assert_ptr_eq(ev_framework_find(fw, "2.1"), &fw->controls[2]);
    ck_assert_ptr_eq(ev_framework_find(fw, "2.1a"), &fw->controls[2]); /* by alias */
    ck_assert_ptr_eq(ev_framework_find(fw, "B2"), &fw->controls[2]);
    ck_assert_int_eq(ev_framework_index(fw, "B2"), 2);
    ck_assert_int_eq(ev_framework_index(fw, "1.2"), 1);
    ck_assert_ptr_null(ev_framework_find(fw, "2.1A"));
    ck_assert_ptr_null(ev_framework_find(fw, "2"));
    ck_assert_ptr_null(ev_framework_find(fw, ""));
    ck_assert_int_eq(ev_framework_index(fw, "9.9"), -1);
    ev_framework_free(fw);
}
END_TEST

START_TEST(framework_resolve)
{
    const char *root = ev_test_path("");
    char want[4096];
    snprintf(want, sizeof want, "%s/frameworks/pci-dss-4.0.1.json", root);
    char *p = ev_framework_resolve(root, "pci-dss-4.0.1");
    ck_assert_pstr_eq(p, want);
    free(p);
    /* a path is taken as given, existing or not */
    p = ev_framework_resolve(root, "my/frameworks/custom");
    ck_assert_str_eq(p, "my/frameworks/custom");
    free(p);
    p = ev_framework_resolve(NULL, "custom.json");
    ck_assert_str_eq(p, "custom.json");
    free(p);
    p = ev_framework_resolve(root, "./pci-dss-4.0.1");
    ck_assert_str_eq(p, "./pci-dss-4.0.1");
    free(p);
    /* bundled ids are lower-case names: anything else is not looked up */
    ck_assert_ptr_null(ev_framework_resolve(root, "PCI-DSS-4.0.1"));
    ck_assert_ptr_null(ev_framework_resolve(root, "pci dss"));
    ck_assert_ptr_null(ev_framework_resolve(root, "nist-800-53"));
    ck_assert_ptr_null(ev_framework_resolve(root, "aws-artifacts-x"));
    ck_assert_ptr_null(ev_framework_resolve(NULL, "pci-dss-4.0.1"));
    ck_assert_ptr_null(ev_framework_resolve(work, "pci-dss-4.0.1"));
    /* a bundled id in another data folder */
    ck_assert_int_eq(mkdir(wpath("frameworks"), 0755), 0);
    write_text(wpath("frameworks/test_fw-2.json"), "{}");
    p = ev_framework_resolve(work, "test_fw-2");
    ck_assert_str_eq(p, wpath("frameworks/test_fw-2.json"));
    free(p);
    /* a folder with the right name is not a framework file */
    ck_assert_int_eq(mkdir(wpath("frameworks/dir.json"), 0755), 0);
    ck_assert_ptr_null(ev_framework_resolve(work, "dir"));
}
END_TEST

START_TEST(datadir_find)
{
    char rel[256];
    /* <bin>/../share/evpack, as installed */
    snprintf(rel, sizeof rel, "prefix/%s/frameworks", EV_DATADIR_REL);
    ck_assert_int_eq(mkdir(wpath("prefix"), 0755), 0);
    ck_assert_int_eq(mkdir(wpath("prefix/bin"), 0755), 0);
    char dir[4096] = "";
    /* create every level of rel */
    for (char *s = rel; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(wpath(rel), 0755);
            *s = '/';
        }
    }
    ck_assert_int_eq(mkdir(wpath(rel), 0755), 0);
    unsetenv("EVPACK_DATADIR");
    char *d = ev_datadir_find(wpath("prefix/bin/evpack"));
    snprintf(dir, sizeof dir, "%s/../%s", wpath("prefix/bin"), EV_DATADIR_REL);
    ck_assert_pstr_eq(d, dir);
    free(d);
    /* next to the binary, as in the build tree */
    d = ev_datadir_find(wpath("prefix/evpack"));
    snprintf(dir, sizeof dir, "%s/%s", wpath("prefix"), EV_DATADIR_REL);
    ck_assert_pstr_eq(d, dir);
    free(d);
    /* nothing there */
    ck_assert_ptr_null(ev_datadir_find(wpath("evpack")));
    ck_assert_ptr_null(ev_datadir_find(NULL));
    /* EVPACK_DATADIR wins, taken as given */
    ck_assert_int_eq(setenv("EVPACK_DATADIR", "/some/where", 1), 0);
    d = ev_datadir_find(wpath("prefix/bin/evpack"));
    ck_assert_str_eq(d, "/some/where");
    free(d);
    d = ev_datadir_find(NULL);
    ck_assert_str_eq(d, "/some/where");
    free(d);
    /* an empty one is ignored */
    ck_assert_int_eq(setenv("EVPACK_DATADIR", "", 1), 0);
    d = ev_datadir_find(wpath("prefix/bin/evpack"));
    snprintf(dir, sizeof dir, "%s/../%s", wpath("prefix/bin"), EV_DATADIR_REL);
    ck_assert_pstr_eq(d, dir);
    free(d);
    unsetenv("EVPACK_DATADIR");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("catalog");
    TCase *tc = tcase_create("load");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, bundled_load);
    tcase_add_test(tc, small_documents);
    suite_add_tcase(s, tc);

    tc = tcase_create("framework");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, framework_duplicate_control);
    tcase_add_test(tc, framework_responsibility);
    tcase_add_test(tc, framework_aws_part);
    tcase_add_test(tc, framework_sections_and_checks);
    tcase_add_test(tc, framework_unknown_members);
    tcase_add_test(tc, wrong_schema);
    tcase_add_test(tc, framework_required_fields);
    tcase_add_test(tc, unknown_citation);
    suite_add_tcase(s, tc);

    tc = tcase_create("artifacts-scope");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, artifacts_rules);
    tcase_add_test(tc, scope_dates);
    tcase_add_test(tc, scope_sha256);
    tcase_add_test(tc, scope_editions);
    suite_add_tcase(s, tc);

    tc = tcase_create("document");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, document_errors);
    tcase_add_test(tc, document_bom);
    suite_add_tcase(s, tc);

    tc = tcase_create("lookup");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, framework_find);
    tcase_add_test(tc, framework_resolve);
    tcase_add_test(tc, datadir_find);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ev_run_suite(suite());
}
