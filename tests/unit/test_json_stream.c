/* test_json_stream.c: Check suite for the streaming findings splitter (json_stream) and
 * the value locator (json_locate): accepted shapes, element texts and positions, the
 * published AWS samples (including the invalid ones), structural errors with their exact
 * line:col, chunk boundaries, and locating values by path. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ev_check.h"
#include "ingest/json_stream.h"
#include "util/buf.h"
#include "util/json_locate.h"
#include "util/status.h"

/* ---- helpers ---- */

/* What splitting one input gave: copies of the elements, then the final status. */
typedef struct {
    size_t n;
    char **text;
    size_t *len;
    long *line, *col;
    ev_status rc;
    ev_error err;
    unsigned long long offset;
} split_result;

static FILE *open_bytes(const char *data, size_t n)
{
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    if (n)
        ck_assert_uint_eq(fwrite(data, 1, n, fp), n);
    rewind(fp);
    return fp;
}

static split_result split_fp(FILE *fp)
{
    split_result r;
    memset(&r, 0, sizeof r);
    size_t cap = 0;
    ev_json_stream *js = ev_json_stream_new(fp, "input.json");
    for (;;) {
        ev_json_element el;
        int has = -1;
        r.rc = ev_json_stream_next(js, &el, &has, &r.err);
        if (r.rc != EV_OK) {
            ck_assert_int_eq(has, 0);
            break;
        }
        if (!has)
            break;
        ck_assert_uint_eq(el.index, r.n);
        ck_assert_uint_eq(strlen(el.text), el.len); /* NUL-terminated, no NUL inside */
        if (r.n == cap) {
            cap = cap ? cap * 2 : 8;
            r.text = ev_xrealloc(r.text, cap * sizeof *r.text);
            r.len = ev_xrealloc(r.len, cap * sizeof *r.len);
            r.line = ev_xrealloc(r.line, cap * sizeof *r.line);
            r.col = ev_xrealloc(r.col, cap * sizeof *r.col);
        }
        r.text[r.n] = ev_xstrndup(el.text, el.len);
        r.len[r.n] = el.len;
        r.line[r.n] = el.line;
        r.col[r.n] = el.col;
        r.n++;
    }
    r.offset = ev_json_stream_offset(js);
    if (r.rc != EV_OK) {
        /* Errors are sticky. */
        ev_json_element el;
        int has = -1;
        ev_error again;
        ck_assert_int_eq(ev_json_stream_next(js, &el, &has, &again), r.rc);
        ck_assert_int_eq(has, 0);
        ck_assert_str_eq(again.msg, r.err.msg);
    } else {
        /* The end is sticky too. */
        ev_json_element el;
        int has = -1;
        ck_assert_int_eq(ev_json_stream_next(js, &el, &has, NULL), EV_OK);
        ck_assert_int_eq(has, 0);
    }
    ev_json_stream_free(js);
    return r;
}

static split_result split_bytes(const char *data, size_t n)
{
    FILE *fp = open_bytes(data, n);
    split_result r = split_fp(fp);
    fclose(fp);
    return r;
}

static split_result split_str(const char *s)
{
    return split_bytes(s, strlen(s));
}

static split_result split_file(const char *rel)
{
    FILE *fp = fopen(ev_test_path(rel), "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", ev_test_path(rel));
    split_result r = split_fp(fp);
    fclose(fp);
    return r;
}

static void result_free(split_result *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->text[i]);
    free(r->text);
    free(r->len);
    free(r->line);
    free(r->col);
    memset(r, 0, sizeof *r);
}

static void expect_element(const split_result *r, size_t i, const char *text, long line, long col)
{
    ck_assert_uint_gt(r->n, i);
    ck_assert_str_eq(r->text[i], text);
    ck_assert_int_eq(r->line[i], line);
    ck_assert_int_eq(r->col[i], col);
}

static void expect_ok(const split_result *r, size_t n)
{
    ck_assert_msg(r->rc == EV_OK, "unexpected error %d at %ld:%ld: %s", r->rc, r->err.line,
                  r->err.col, r->err.msg);
    ck_assert_uint_eq(r->n, n);
}

/* Splits s and expects an input error at line:col whose message contains msg. */
static void expect_error(const char *s, size_t n, long line, long col, const char *msg)
{
    split_result r = split_bytes(s, n);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_str_eq(r.err.file, "input.json");
    ck_assert_msg(strstr(r.err.msg, msg) != NULL, "message \"%s\" lacks \"%s\"", r.err.msg, msg);
    ck_assert_msg(r.err.line == line && r.err.col == col, "error at %ld:%ld, expected %ld:%ld (%s)",
                  r.err.line, r.err.col, line, col, r.err.msg);
    result_free(&r);
}

#define EXPECT_ERROR(lit, line, col, msg) expect_error(lit, sizeof(lit) - 1, line, col, msg)

/* ---- accepted shapes ---- */

START_TEST(test_wrapper_findings)
{
    split_result r = split_str("{\"Findings\":[{\"a\":1},{\"b\":[2]}],\"NextToken\":\"x\"}");
    expect_ok(&r, 2);
    expect_element(&r, 0, "{\"a\":1}", 1, 14);
    expect_element(&r, 1, "{\"b\":[2]}", 1, 22);
    result_free(&r);
}
END_TEST

START_TEST(test_wrapper_lowercase)
{
    split_result r =
        split_str("{\n  \"findings\": [\n    {\"x\": \"]\"},\n    {\"y\": {}}\n  ]\n}\n");
    expect_ok(&r, 2);
    expect_element(&r, 0, "{\"x\": \"]\"}", 3, 5);
    expect_element(&r, 1, "{\"y\": {}}", 4, 5);
    result_free(&r);
}
END_TEST

START_TEST(test_bare_array)
{
    split_result r = split_str("[\n  {\"Id\": \"a\"},\n  {\"Id\": \"b\",\n   \"R\": [1, 2]}\n]");
    expect_ok(&r, 2);
    expect_element(&r, 0, "{\"Id\": \"a\"}", 2, 3);
    expect_element(&r, 1, "{\"Id\": \"b\",\n   \"R\": [1, 2]}", 3, 3);
    ck_assert_uint_eq(r.offset, 48);
    result_free(&r);
}
END_TEST

START_TEST(test_single_object)
{
    const char *doc = "{\"Id\": \"a\", \"Resources\": [{\"Type\": \"x\"}],\n \"N\": null}";
    split_result r = split_str(doc);
    expect_ok(&r, 1);
    expect_element(&r, 0, doc, 1, 1);
    result_free(&r);

    /* An object without members is still one element. */
    r = split_str("  {}\n");
    expect_ok(&r, 1);
    expect_element(&r, 0, "{}", 1, 3);
    result_free(&r);
}
END_TEST

START_TEST(test_empty_arrays)
{
    const char *docs[] = {"[]", "[ \n ]\n", "{\"Findings\":[]}",
                          "{\"Findings\": [ ], \"NextToken\": null}"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        split_result r = split_str(docs[i]);
        expect_ok(&r, 0);
        result_free(&r);
    }
}
END_TEST

START_TEST(test_nexttoken_before_findings)
{
    split_result r =
        split_str("{\"NextToken\":\"x\",\"Other\":{\"a\":[1,{\"b\":\"}\"}]},\"N\":-1.5e3,"
                  "\"Findings\":[{\"i\":1},\n{\"i\":2}],\"T\":true}");
    expect_ok(&r, 2);
    expect_element(&r, 0, "{\"i\":1}", 1, 69);
    expect_element(&r, 1, "{\"i\":2}", 2, 1);
    result_free(&r);
}
END_TEST

START_TEST(test_whitespace_and_bom)
{
    split_result r = split_str("\xEF\xBB\xBF\n  [\n\t{\"a\":1} ,\r\n {\"b\":2}\n]\n\n");
    expect_ok(&r, 2);
    expect_element(&r, 0, "{\"a\":1}", 3, 2);
    expect_element(&r, 1, "{\"b\":2}", 4, 2);
    result_free(&r);

    /* The BOM counts in columns (they are byte columns). */
    r = split_str("\xEF\xBB\xBF[{}]");
    expect_ok(&r, 1);
    expect_element(&r, 0, "{}", 1, 5);
    result_free(&r);

    r = split_str("\xEF\xBB\xBF{\"Id\":\"x\"}");
    expect_ok(&r, 1);
    expect_element(&r, 0, "{\"Id\":\"x\"}", 1, 4);
    result_free(&r);
}
END_TEST

START_TEST(test_scalar_elements)
{
    split_result r = split_str("[1, \"two\" ,true,null,-3.5e2,[4],\"a\\\"]\"]");
    expect_ok(&r, 7);
    expect_element(&r, 0, "1", 1, 2);
    expect_element(&r, 1, "\"two\"", 1, 5);
    expect_element(&r, 2, "true", 1, 12);
    expect_element(&r, 3, "null", 1, 17);
    expect_element(&r, 4, "-3.5e2", 1, 22);
    expect_element(&r, 5, "[4]", 1, 29);
    expect_element(&r, 6, "\"a\\\"]\"", 1, 33);
    result_free(&r);
}
END_TEST

START_TEST(test_findings_not_array)
{
    /* "Findings" whose value is not an array is an ordinary member. */
    const char *doc = "{\"Findings\": null, \"Id\": \"x\"}";
    split_result r = split_str(doc);
    expect_ok(&r, 1);
    expect_element(&r, 0, doc, 1, 1);
    result_free(&r);

    /* Names that only look like the wrapper key. */
    doc = "{\"Finding\":[1], \"findingsX\":[2], \"F\\u0069ndings\":[3]}";
    r = split_str(doc);
    expect_ok(&r, 1);
    expect_element(&r, 0, doc, 1, 1);
    result_free(&r);
}
END_TEST

START_TEST(test_only_first_findings_key)
{
    split_result r =
        split_str("{\"Findings\":[{\"a\":1}],\"findings\":[{\"b\":2}],\"Findings\":[3]}");
    expect_ok(&r, 1);
    expect_element(&r, 0, "{\"a\":1}", 1, 14);
    result_free(&r);
}
END_TEST

START_TEST(test_strings_with_brackets)
{
    split_result r =
        split_str("[{\"a\":\"x\\\"}]{[\"},{\"b\":\"\\\\\"},{\"c\":\"\\\\\\\"]\",\"d\":[\"}\"]}]");
    expect_ok(&r, 3);
    expect_element(&r, 0, "{\"a\":\"x\\\"}]{[\"}", 1, 2);
    expect_element(&r, 1, "{\"b\":\"\\\\\"}", 1, 18);
    expect_element(&r, 2, "{\"c\":\"\\\\\\\"]\",\"d\":[\"}\"]}", 1, 29);
    result_free(&r);
}
END_TEST

START_TEST(test_element_position)
{
    const char *text = "{\"a\": 1,\n  \"b\": [\n    2]}";
    ev_json_element el = {text, strlen(text), 5, 7, 0};
    long line, col;
    ev_json_element_position(&el, 0, &line, &col);
    ck_assert_int_eq(line, 5);
    ck_assert_int_eq(col, 7);
    ev_json_element_position(&el, 6, &line, &col); /* '1' */
    ck_assert_int_eq(line, 5);
    ck_assert_int_eq(col, 13);
    ev_json_element_position(&el, 8, &line, &col); /* the newline itself */
    ck_assert_int_eq(line, 5);
    ck_assert_int_eq(col, 15);
    ev_json_element_position(&el, 11, &line, &col); /* '"b"' */
    ck_assert_int_eq(line, 6);
    ck_assert_int_eq(col, 3);
    ev_json_element_position(&el, 22, &line, &col); /* '2' */
    ck_assert_int_eq(line, 7);
    ck_assert_int_eq(col, 5);
    ev_json_element_position(&el, 1000, &line, &col); /* clamped to the end */
    ck_assert_int_eq(line, 7);
    ck_assert_int_eq(col, 8);
}
END_TEST

/* ---- the published AWS samples ---- */

static size_t file_size(const char *rel)
{
    FILE *fp = fopen(ev_test_path(rel), "rb");
    ck_assert_ptr_nonnull(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fclose(fp);
    return (size_t)n;
}

static void expect_parses(const split_result *r, size_t i)
{
    const char *end = NULL;
    cJSON *obj = cJSON_ParseWithLengthOpts(r->text[i], r->len[i], &end, 0);
    ck_assert_ptr_nonnull(obj);
    ck_assert_ptr_eq(end, r->text[i] + r->len[i]);
    ck_assert(cJSON_IsObject(obj));
    ck_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(obj, "Id")));
    ck_assert(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(obj, "SchemaVersion")));
    cJSON_Delete(obj);
}

START_TEST(test_sample_get_findings_1)
{
    split_result r = split_file("tests/data/asff/awscli_example_get-findings_1.json");
    expect_ok(&r, 1);
    ck_assert_int_eq(r.line[0], 3);
    ck_assert_int_eq(r.col[0], 9);
    ck_assert(r.text[0][0] == '{' && r.text[0][r.len[0] - 1] == '}');
    expect_parses(&r, 0);
    ck_assert_uint_eq(r.offset, file_size("tests/data/asff/awscli_example_get-findings_1.json"));
    result_free(&r);
}
END_TEST

static const char *const valid_single[] = {
    "awsdocs_securityhub_sample-finding-cis-1.2.json",
    "awsdocs_securityhub_sample-finding-cis-1.4.json",
    "awsdocs_securityhub_sample-finding-consolidation_repaired.json",
    "awsdocs_securityhub_sample-finding-fsbp.json",
    "awsdocs_securityhub_sample-finding-nist_repaired.json",
    "awsdocs_securityhub_sample-finding-pcidss.json",
    "awsdocs_securityhub_sample-finding-service-managed-aws-control-tower.json",
};

START_TEST(test_sample_single_findings)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/asff/%s", valid_single[_i]);
    split_result r = split_file(rel);
    expect_ok(&r, 1);
    ck_assert_int_eq(r.line[0], 1);
    ck_assert_int_eq(r.col[0], 1);
    /* The whole file but its final newline. */
    ck_assert_uint_eq(r.len[0] + 1, file_size(rel));
    expect_parses(&r, 0);
    result_free(&r);
}
END_TEST

/* The invalid samples, with the position Python reports for the same file, found with
 *   python3 -c 'import json,sys; json.load(open(sys.argv[1]))' FILE
 * (Python counts columns in characters; these lines are ASCII up to the error, so
 * they equal our byte columns). cjson_col is where cJSON's error pointer lands when it
 * differs: for a member name that does not start with '"', cJSON points one byte past
 * where the name should start. */
static const struct {
    const char *file;
    long line, col, cjson_col;
} invalid_samples[] = {
    /* "FindingProviderFields" {  (missing ':') */
    {"awscli_example_get-findings_2_INVALID_JSON_doc_typo.json", 12, 37, 37},
    /* missing ',' before "Resources" (a top-level member: the splitter sees it) */
    {"awsdocs_securityhub_sample-finding-consolidation_INVALID_JSON_as_published.json", 38, 3, 3},
    /* U+2028 (3 bytes) used as whitespace after a member, inside Resources[0] */
    {"awsdocs_securityhub_sample-finding-nist_INVALID_JSON_as_published.json", 46, 36, 37},
};

START_TEST(test_sample_invalid)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/asff/%s", invalid_samples[_i].file);
    long want_line = invalid_samples[_i].line, want_col = invalid_samples[_i].col;
    split_result r = split_file(rel);
    int caught = 0;
    if (r.rc != EV_OK) {
        /* The splitter caught it: it must point at the same place. */
        ck_assert_int_eq(r.rc, EV_ERR_INPUT);
        ck_assert_int_eq(r.err.line, want_line);
        ck_assert_int_eq(r.err.col, want_col);
        caught = 1;
    }
    for (size_t i = 0; i < r.n && !caught; i++) {
        const char *end = NULL;
        cJSON *obj = cJSON_ParseWithLengthOpts(r.text[i], r.len[i], &end, 0);
        if (obj) {
            cJSON_Delete(obj);
            continue;
        }
        const char *at = cJSON_GetErrorPtr();
        ck_assert_ptr_nonnull(at);
        ck_assert(at >= r.text[i] && at <= r.text[i] + r.len[i]);
        ev_json_element el = {r.text[i], r.len[i], r.line[i], r.col[i], i};
        long line, col;
        ev_json_element_position(&el, (size_t)(at - r.text[i]), &line, &col);
        ck_assert_int_eq(line, want_line);
        ck_assert_int_eq(col, invalid_samples[_i].cjson_col);
        caught = 1;
    }
    ck_assert_msg(caught, "%s: the error was not detected", rel);
    result_free(&r);
}
END_TEST

/* ---- structural errors ---- */

START_TEST(test_error_truncated)
{
    EXPECT_ERROR("[{\"a\":1},\n{\"b\":", 2, 6, "unexpected end of input: unclosed object");
    EXPECT_ERROR("[", 1, 2, "unexpected end of input: unclosed array");
    EXPECT_ERROR("[{\"a\":1}\n", 2, 1, "unexpected end of input: unclosed array");
    EXPECT_ERROR("[{\"a\":[1,2", 1, 11, "unexpected end of input: unclosed array");
    EXPECT_ERROR("{\"Findings\":[{}]", 1, 17, "unexpected end of input: unclosed object");
    EXPECT_ERROR("{\"Findings\":[{}", 1, 16, "unexpected end of input: unclosed array");
    EXPECT_ERROR("[1", 1, 3, "unexpected end of input: unclosed array");
    EXPECT_ERROR("{\"Id\": \"x\", ", 1, 13, "unexpected end of input: unclosed object");
}
END_TEST

START_TEST(test_error_unclosed_string)
{
    EXPECT_ERROR("[{\"a\":\"abc", 1, 11, "unexpected end of input: unclosed string");
    EXPECT_ERROR("[\"ab\\", 1, 6, "unexpected end of input: unclosed string");
    EXPECT_ERROR("{\"Findi", 1, 8, "unexpected end of input: unclosed string");
    EXPECT_ERROR("{\"NextToken\": \"x\n", 2, 1, "unexpected end of input: unclosed string");
}
END_TEST

START_TEST(test_error_trailing_comma)
{
    EXPECT_ERROR("[{\"a\":1},\n]", 1, 9, "trailing comma before ']'");
    EXPECT_ERROR("{\"Findings\":[{}],\n}", 1, 17, "trailing comma before '}'");
    EXPECT_ERROR("[,]", 1, 2, "expected an array element");
}
END_TEST

START_TEST(test_error_missing_comma)
{
    EXPECT_ERROR("[{\"a\":1}\n {\"b\":2}]", 2, 2, "expected ',' or ']' after array element");
    EXPECT_ERROR("[1 2]", 1, 4, "expected ',' or ']' after array element");
    EXPECT_ERROR("{\"Findings\":[] \"NextToken\":1}", 1, 16,
                 "expected ',' or '}' after object member");
    EXPECT_ERROR("{\"Findings\" [{}]}", 1, 13, "expected ':' after member name");
    EXPECT_ERROR("{\"Findings\": }", 1, 14, "expected a value after ':'");
    EXPECT_ERROR("{1:2}", 1, 2, "expected a member name (string) or '}' in object");
}
END_TEST

START_TEST(test_error_garbage_after)
{
    EXPECT_ERROR("[]\n x", 2, 2, "unexpected data after the end of the JSON document");
    EXPECT_ERROR("[{}]]", 1, 5, "unexpected data after the end of the JSON document");
    EXPECT_ERROR("{\"Findings\":[]}{}", 1, 16,
                 "unexpected data after the end of the JSON document");

    /* A single object is returned before the garbage is seen. */
    split_result r = split_str("{\"a\":1} {}");
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_uint_eq(r.n, 1);
    expect_element(&r, 0, "{\"a\":1}", 1, 1);
    ck_assert_int_eq(r.err.line, 1);
    ck_assert_int_eq(r.err.col, 9);
    ck_assert_str_eq(r.err.msg, "unexpected data after the end of the JSON document");
    result_free(&r);
}
END_TEST

START_TEST(test_error_not_array_or_object)
{
    EXPECT_ERROR("nope", 1, 1, "expected a JSON array or object of findings");
    EXPECT_ERROR("\n\n   \"Findings\"", 3, 4, "expected a JSON array or object of findings");
    EXPECT_ERROR("42", 1, 1, "expected a JSON array or object of findings");
    EXPECT_ERROR("\xEF\xBB[]", 1, 1, "expected a JSON array or object of findings");
    EXPECT_ERROR(" \xEF\xBB\xBF[]", 1, 2, "expected a JSON array or object of findings");
}
END_TEST

START_TEST(test_error_empty)
{
    EXPECT_ERROR("", 1, 1, "empty input: expected a JSON array or object of findings");
    EXPECT_ERROR("\n\n  ", 3, 3, "empty input: expected a JSON array or object of findings");
    EXPECT_ERROR("\xEF\xBB\xBF", 1, 4, "empty input: expected a JSON array or object of findings");
}
END_TEST

START_TEST(test_error_deep_nesting)
{
    size_t n = 100000;
    char *s = ev_xmalloc(n);
    memset(s, '[', n);
    expect_error(s, n, 1, 10001, "nesting deeper than 10000 levels");

    /* Inside an element, after a newline. */
    s[0] = '[';
    s[1] = '\n';
    expect_error(s, n, 2, 10000, "nesting deeper than 10000 levels");
    free(s);

    /* Exactly 10000 levels are fine. */
    n = 10000;
    s = ev_xmalloc(2 * n);
    memset(s, '[', n);
    memset(s + n, ']', n);
    split_result r = split_bytes(s, 2 * n);
    expect_ok(&r, 1);
    ck_assert_uint_eq(r.len[0], 2 * n - 2);
    ck_assert_int_eq(r.col[0], 2);
    result_free(&r);
    free(s);
}
END_TEST

START_TEST(test_error_nul_byte)
{
    EXPECT_ERROR("[{\"a\":\n 1\0}]", 2, 3, "NUL byte");
    EXPECT_ERROR("[\0]", 1, 2, "NUL byte");
    EXPECT_ERROR("[{\"a\":\"x\0\"}]", 1, 9, "NUL byte");
    EXPECT_ERROR("{\"a\0\":1}", 1, 4, "NUL byte");
    EXPECT_ERROR("[]\n\0", 2, 1, "NUL byte");
}
END_TEST

START_TEST(test_error_mismatched)
{
    EXPECT_ERROR("[{\"a\":[1}]", 1, 9, "mismatched '}'");
    EXPECT_ERROR("{\"N\": [}", 1, 8, "mismatched '}'");
    EXPECT_ERROR("[{]", 1, 3, "mismatched ']'");
}
END_TEST

START_TEST(test_error_io)
{
    /* On Linux a directory opens for reading but read() fails with EISDIR. */
    FILE *fp = fopen(ev_test_path("tests/data"), "rb");
    ck_assert_ptr_nonnull(fp);
    ev_json_stream *js = ev_json_stream_new(fp, "dir.json");
    ev_json_element el;
    int has = -1;
    ev_error err;
    ck_assert_int_eq(ev_json_stream_next(js, &el, &has, &err), EV_ERR_IO);
    ck_assert_int_eq(has, 0);
    ck_assert_str_eq(err.file, "dir.json");
    ck_assert_ptr_nonnull(strstr(err.msg, "read error"));
    ev_json_stream_free(js);
    fclose(fp);
}
END_TEST

/* ---- chunk boundaries ---- */

/* Writes element i: strings full of brackets and escapes, of varying lengths, so that
 * elements, strings and escapes straddle the 64 KiB chunk boundaries. */
static void stress_element(ev_buf *b, size_t i)
{
    ev_buf_printf(b, "{\"Id\": \"id-%zu\", \"Title\": \"]}{[\\\"", i);
    for (size_t k = 0; k < (i * 7919) % 97; k++)
        ev_buf_putc(b, (char)('a' + k % 26));
    ev_buf_puts(b, "\\\\\", \"Nested\": [{\"x\": \"\\\"]}\"}, [\"{\", \"\\\\\"]], \"N\": ");
    ev_buf_printf(b, "%zu, \"Esc\": \"\\u005D\\\"\\\\\\\"\"}", i * 31);
}

START_TEST(test_stress_chunks)
{
    const size_t count = 20000;
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    ev_buf all = EV_BUF_INIT;
    ev_buf_puts(&all, "{\"NextToken\": \"[{\\\"\", \"Findings\": [\n");
    size_t *starts = ev_xmalloc(count * sizeof *starts);
    size_t *lens = ev_xmalloc(count * sizeof *lens);
    for (size_t i = 0; i < count; i++) {
        ev_buf_puts(&all, "  ");
        starts[i] = all.len;
        stress_element(&all, i);
        lens[i] = all.len - starts[i];
        ev_buf_puts(&all, i + 1 < count ? ",\n" : "\n");
    }
    ev_buf_puts(&all, "], \"Trailer\": {\"a\": [\"]\"]}}\n");
    ck_assert_uint_gt(all.len, 4 * 65536);
    ck_assert_uint_eq(fwrite(all.data, 1, all.len, fp), all.len);
    rewind(fp);

    ev_json_stream *js = ev_json_stream_new(fp, "stress.json");
    size_t n = 0, straddling = 0;
    for (;;) {
        ev_json_element el;
        int has = 0;
        ev_error err;
        ev_status rc = ev_json_stream_next(js, &el, &has, &err);
        ck_assert_msg(rc == EV_OK, "%ld:%ld: %s", err.line, err.col, err.msg);
        if (!has)
            break;
        ck_assert_uint_lt(n, count);
        ck_assert_uint_eq(el.len, lens[n]);
        ck_assert(memcmp(el.text, all.data + starts[n], el.len) == 0);
        ck_assert_int_eq(el.line, (long)n + 2);
        ck_assert_int_eq(el.col, 3);
        if (starts[n] / 65536 != (starts[n] + lens[n]) / 65536)
            straddling++;
        n++;
    }
    ck_assert_uint_eq(n, count);
    ck_assert_uint_gt(straddling, 10);
    ck_assert_uint_eq(ev_json_stream_offset(js), all.len);
    ev_json_stream_free(js);
    fclose(fp);
    free(starts);
    free(lens);
    ev_buf_free(&all);
}
END_TEST

/* Puts an escape right at every position around the first chunk boundary. */
START_TEST(test_escape_at_chunk_boundary)
{
    for (size_t at = 65530; at <= 65540; at++) {
        for (int variant = 0; variant < 2; variant++) {
            ev_buf doc = EV_BUF_INIT;
            ev_buf_puts(&doc, "[{\"p\":\"");
            while (doc.len < at)
                ev_buf_putc(&doc, 'x');
            /* variant 0: an escaped quote at `at`; variant 1: an escaped backslash
             * ending the string, so the quote after it is real. */
            ev_buf_puts(&doc, variant == 0 ? "\\\"]}{[\"}" : "\\\\\"}");
            ev_buf_puts(&doc, ",\n{\"q\":\"\\\\\"}]");
            split_result r = split_bytes(doc.data, doc.len);
            expect_ok(&r, 2);
            size_t first_len = doc.len - 1 - strlen(",\n{\"q\":\"\\\\\"}]");
            ck_assert_uint_eq(r.len[0], first_len);
            ck_assert(memcmp(r.text[0], doc.data + 1, first_len) == 0);
            expect_element(&r, 1, "{\"q\":\"\\\\\"}", 2, 1);
            result_free(&r);
            ev_buf_free(&doc);
        }
    }
}
END_TEST

/* Puts a newline and an element start at every position around the boundary, to check
 * line and column bookkeeping across chunks. */
START_TEST(test_position_at_chunk_boundary)
{
    for (size_t at = 65532; at <= 65540; at++) {
        ev_buf doc = EV_BUF_INIT;
        ev_buf_puts(&doc, "[{\"p\":\"");
        while (doc.len < at - 3)
            ev_buf_putc(&doc, 'x');
        ev_buf_puts(&doc, "\"},\n{\"a\":\n1}]");
        split_result r = split_bytes(doc.data, doc.len);
        expect_ok(&r, 2);
        expect_element(&r, 1, "{\"a\":\n1}", 2, 1);
        result_free(&r);
        ev_buf_free(&doc);
    }
}
END_TEST

/* ---- json_locate ---- */

static const char locate_doc[] =
    "{\n"
    "  \"Id\": \"x\",\n"
    "  \"Ids\": [10, 20],\n"
    "  \"Resources\": [\n"
    "    {\"Type\": \"a\", \"Details\": {\"k\": [1, {\"v\": true}]}},\n"
    "    {\"Type\": \"b\"}\n"
    "  ],\n"
    "  \"q\\\"\\\\k\": 1,\n"
    "  \"\\u0041\\u00e9\\ud83d\\ude00\": 2,\n"
    "  \"dup\": \"first\", \"dup\": \"second\",\n"
    "  \"s\": \"}]\\\"{\", \"after\": null\n"
    "}\n";

static void expect_locate(const ev_json_step *path, size_t n, bool ok, long line, long col)
{
    long l = -1, c = -1;
    bool got = ev_json_locate(locate_doc, sizeof locate_doc - 1, path, n, &l, &c);
    ck_assert_int_eq(got, ok);
    ck_assert_msg(l == line && c == col, "located at %ld:%ld, expected %ld:%ld", l, c, line, col);
}

START_TEST(test_locate_paths)
{
    expect_locate(NULL, 0, true, 1, 1);
    expect_locate((ev_json_step[]){{"Id", 0}}, 1, true, 2, 9);
    expect_locate((ev_json_step[]){{"Ids", 0}}, 1, true, 3, 10);
    expect_locate((ev_json_step[]){{"Ids", 0}, {NULL, 1}}, 2, true, 3, 15);
    expect_locate((ev_json_step[]){{"Resources", 0}, {NULL, 1}}, 2, true, 6, 5);
    expect_locate((ev_json_step[]){{"Resources", 0}, {NULL, 1}, {"Type", 0}}, 3, true, 6, 14);
    expect_locate(
        (ev_json_step[]){
            {"Resources", 0}, {NULL, 0}, {"Details", 0}, {"k", 0}, {NULL, 1}, {"v", 0}},
        6, true, 5, 46);
    expect_locate((ev_json_step[]){{"s", 0}}, 1, true, 11, 8);
    expect_locate((ev_json_step[]){{"after", 0}}, 1, true, 11, 26);
}
END_TEST

START_TEST(test_locate_escaped_and_duplicate_keys)
{
    expect_locate((ev_json_step[]){{"q\"\\k", 0}}, 1, true, 8, 13);
    expect_locate((ev_json_step[]){{"A\xC3\xA9\xF0\x9F\x98\x80", 0}}, 1, true, 9, 31);
    expect_locate((ev_json_step[]){{"dup", 0}}, 1, true, 10, 10);
}
END_TEST

START_TEST(test_locate_missing)
{
    /* Missing steps give false and the deepest value found. */
    expect_locate((ev_json_step[]){{"Nope", 0}}, 1, false, 1, 1);
    expect_locate((ev_json_step[]){{"I", 0}}, 1, false, 1, 1);
    expect_locate((ev_json_step[]){{"Resources", 0}, {NULL, 2}}, 2, false, 4, 16);
    expect_locate((ev_json_step[]){{"Resources", 0}, {NULL, 0}, {"Typo", 0}}, 3, false, 5, 5);
    /* Wrong container type. */
    expect_locate((ev_json_step[]){{"Id", 0}, {"x", 0}}, 2, false, 2, 9);
    expect_locate((ev_json_step[]){{NULL, 0}}, 1, false, 1, 1);
    expect_locate((ev_json_step[]){{"Ids", 0}, {"x", 0}}, 2, false, 3, 10);

    long l = -1, c = -1;
    ck_assert(!ev_json_locate("[]", 2, (ev_json_step[]){{NULL, 0}}, 1, &l, &c));
    ck_assert_int_eq(l, 1);
    ck_assert_int_eq(c, 1);
    ck_assert(!ev_json_locate("", 0, (ev_json_step[]){{"a", 0}}, 1, &l, &c));
    ck_assert_int_eq(l, 1);
    ck_assert_int_eq(c, 1);
    /* A truncated text ends the walk without reading past its end. */
    const char *trunc = "{\"a\": {\"b\": [1, 2";
    ck_assert(
        !ev_json_locate(trunc, strlen(trunc), (ev_json_step[]){{"a", 0}, {"c", 0}}, 2, &l, &c));
    ck_assert_int_eq(c, 7);
    ck_assert(!ev_json_locate(trunc, strlen(trunc), (ev_json_step[]){{"a", 0}, {"b", 0}, {NULL, 5}},
                              3, &l, &c));
    ck_assert_int_eq(c, 13);
}
END_TEST

/* Raw control bytes inside strings (invalid JSON, but the element's parser is the one to
 * say so) pass through the splitter, whose string skipping stops at them; newlines in
 * strings still count as lines, and a NUL is still an error. Long strings exercise the
 * sixteen-byte skipping. */
START_TEST(test_control_bytes_in_strings)
{
    split_result r = split_str("[\"a\tb\x01"
                               "c\x1f\", {\"k\": \"0123456789abcdef0123456789\t\x02xy\"},\n"
                               "  \"line\nbreak 0123456789abcdef0123456789\", 7]");
    expect_ok(&r, 4);
    expect_element(&r, 0,
                   "\"a\tb\x01"
                   "c\x1f\"",
                   1, 2);
    expect_element(&r, 1, "{\"k\": \"0123456789abcdef0123456789\t\x02xy\"}", 1, 12);
    expect_element(&r, 2, "\"line\nbreak 0123456789abcdef0123456789\"", 2, 3);
    expect_element(&r, 3, "7", 3, 36);
    result_free(&r);
    static const char nul[] = "[\"0123456789abcdef0123\0x\"]";
    r = split_bytes(nul, sizeof nul - 1);
    ck_assert_int_eq(r.rc, EV_ERR_INPUT);
    ck_assert_str_eq(r.err.msg, "NUL byte in input");
    ck_assert_int_eq(r.err.col, 23);
    result_free(&r);
}
END_TEST

/* ev_json_locate_elements gives, in one walk, what ev_json_locate gives element by element. */
START_TEST(test_locate_elements)
{
    const ev_json_step *none = NULL;
    const ev_json_step res[] = {{"Resources", 0}}, ids[] = {{"Ids", 0}};
    long lines[4], cols[4];
    ck_assert_uint_eq(
        ev_json_locate_elements(locate_doc, sizeof locate_doc - 1, res, 1, 4, lines, cols), 2);
    for (size_t i = 0; i < 2; i++) {
        ev_json_step path[2] = {{"Resources", 0}, {NULL, i}};
        expect_locate(path, 2, true, lines[i], cols[i]);
    }
    ck_assert_uint_eq(
        ev_json_locate_elements(locate_doc, sizeof locate_doc - 1, ids, 1, 1, lines, cols),
        2); /* counted past max, stored up to it */
    ck_assert_int_eq(lines[0], 3);
    ck_assert_int_eq(cols[0], 11);
    /* a bare array, an empty one, a path that is not an array */
    const char *bare = "[\n 1,\n  [2, 3],\n   \"x\"\n]";
    ck_assert_uint_eq(ev_json_locate_elements(bare, strlen(bare), none, 0, 4, lines, cols), 3);
    ck_assert(lines[0] == 2 && cols[0] == 2 && lines[1] == 3 && cols[1] == 3 && lines[2] == 4 &&
              cols[2] == 4);
    ck_assert_uint_eq(ev_json_locate_elements("[ ]", 3, none, 0, 4, lines, cols), 0);
    ck_assert_uint_eq(ev_json_locate_elements(locate_doc, sizeof locate_doc - 1,
                                              (ev_json_step[]){{"Id", 0}}, 1, 4, lines, cols),
                      0);
}
END_TEST

START_TEST(test_locate_in_element)
{
    /* As ingest uses it: a path inside a streamed element, converted to file position. */
    split_result r = split_file("tests/data/asff/awscli_example_get-findings_1.json");
    expect_ok(&r, 1);
    long l, c;
    ck_assert(ev_json_locate(r.text[0], r.len[0],
                             (ev_json_step[]){{"Compliance", 0}, {"Status", 0}}, 2, &l, &c));
    ev_json_element el = {r.text[0], r.len[0], r.line[0], r.col[0], 0};
    const char *at = strstr(r.text[0], "\"Compliance\"");
    ck_assert_ptr_nonnull(at);
    at = strstr(at, "\"Status\"");
    at = strchr(at + 8, '"');
    long want_l, want_c;
    ev_json_element_position(&el, (size_t)(at - r.text[0]), &want_l, &want_c);
    long file_l = l == 1 ? el.line : el.line + l - 1;
    long file_c = l == 1 ? el.col + c - 1 : c;
    ck_assert_int_eq(file_l, want_l);
    ck_assert_int_eq(file_c, want_c);
    result_free(&r);
}
END_TEST

START_TEST(test_offset_position)
{
    const char *t = "ab\ncd\n\nef";
    long l, c;
    ev_json_offset_position(t, 0, &l, &c);
    ck_assert(l == 1 && c == 1);
    ev_json_offset_position(t, 2, &l, &c);
    ck_assert(l == 1 && c == 3);
    ev_json_offset_position(t, 3, &l, &c);
    ck_assert(l == 2 && c == 1);
    ev_json_offset_position(t, 6, &l, &c);
    ck_assert(l == 3 && c == 1);
    ev_json_offset_position(t, 8, &l, &c);
    ck_assert(l == 4 && c == 2);
}
END_TEST

static Suite *json_stream_suite(void)
{
    Suite *s = suite_create("json_stream");
    TCase *tc = tcase_create("shapes");
    tcase_add_test(tc, test_wrapper_findings);
    tcase_add_test(tc, test_wrapper_lowercase);
    tcase_add_test(tc, test_bare_array);
    tcase_add_test(tc, test_single_object);
    tcase_add_test(tc, test_empty_arrays);
    tcase_add_test(tc, test_nexttoken_before_findings);
    tcase_add_test(tc, test_whitespace_and_bom);
    tcase_add_test(tc, test_scalar_elements);
    tcase_add_test(tc, test_findings_not_array);
    tcase_add_test(tc, test_only_first_findings_key);
    tcase_add_test(tc, test_strings_with_brackets);
    tcase_add_test(tc, test_element_position);
    suite_add_tcase(s, tc);

    tc = tcase_create("samples");
    tcase_add_test(tc, test_sample_get_findings_1);
    tcase_add_loop_test(tc, test_sample_single_findings, 0,
                        (int)(sizeof valid_single / sizeof *valid_single));
    tcase_add_loop_test(tc, test_sample_invalid, 0,
                        (int)(sizeof invalid_samples / sizeof *invalid_samples));
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_test(tc, test_error_truncated);
    tcase_add_test(tc, test_error_unclosed_string);
    tcase_add_test(tc, test_error_trailing_comma);
    tcase_add_test(tc, test_error_missing_comma);
    tcase_add_test(tc, test_error_garbage_after);
    tcase_add_test(tc, test_error_not_array_or_object);
    tcase_add_test(tc, test_error_empty);
    tcase_add_test(tc, test_error_deep_nesting);
    tcase_add_test(tc, test_error_nul_byte);
    tcase_add_test(tc, test_error_mismatched);
    tcase_add_test(tc, test_error_io);
    suite_add_tcase(s, tc);

    tc = tcase_create("chunks");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_stress_chunks);
    tcase_add_test(tc, test_escape_at_chunk_boundary);
    tcase_add_test(tc, test_position_at_chunk_boundary);
    suite_add_tcase(s, tc);

    tc = tcase_create("locate");
    tcase_add_test(tc, test_locate_paths);
    tcase_add_test(tc, test_locate_escaped_and_duplicate_keys);
    tcase_add_test(tc, test_locate_missing);
    tcase_add_test(tc, test_locate_in_element);
    tcase_add_test(tc, test_locate_elements);
    tcase_add_test(tc, test_control_bytes_in_strings);
    tcase_add_test(tc, test_offset_position);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ev_run_suite(json_stream_suite());
}
