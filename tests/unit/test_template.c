/* test_template.c: the Mustache engine against the official spec files
 * (tests/data/mustache-spec, one looped test per case) and its own behaviour: error
 * positions, escaping, number formatting, context lookup, partial caching, and big
 * outputs rendering in linear time. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ev_check.h"
#include "render/template.h"

/* ---- helpers ---- */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ev_buf b = EV_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ev_buf_put(&b, chunk, n);
    fclose(f);
    return ev_buf_detach(&b);
}

static cJSON *load_spec(const char *file)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/mustache-spec/%s.json", file);
    char *text = read_file(ev_test_path(rel));
    if (!text)
        return NULL;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    return doc;
}

/* Serves partials from a JSON object of name -> template text. */
static char *json_partial(const char *name, void *ctx, char **source_name)
{
    (void)source_name;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive((const cJSON *)ctx, name);
    return cJSON_IsString(s) ? ev_xstrdup(s->valuestring) : NULL;
}

/* Lambdas are out of scope; a case whose data has a "lambda" key is skipped. */
static bool has_lambda(const cJSON *v)
{
    for (const cJSON *c = v ? v->child : NULL; c; c = c->next) {
        if ((c->string && strcmp(c->string, "lambda") == 0) || has_lambda(c))
            return true;
    }
    return false;
}

/* Renders tpl against data (JSON text) with partials (JSON object text or NULL);
 * returns the output (caller frees) or NULL with *err filled. */
static char *render(const char *tpl, const char *data_json, const char *partials_json,
                    ev_escape_fn escape, ev_error *err)
{
    cJSON *data = data_json ? cJSON_Parse(data_json) : NULL;
    cJSON *partials = partials_json ? cJSON_Parse(partials_json) : NULL;
    ck_assert_msg(!data_json || data, "bad test data JSON: %s", data_json);
    ck_assert_msg(!partials_json || partials, "bad test partials JSON: %s", partials_json);
    ev_template_options opt = {escape, json_partial, partials};
    ev_buf out = EV_BUF_INIT;
    ev_error_clear(err);
    ev_status st = ev_template_render(tpl, "t.mustache", data, &opt, &out, err);
    cJSON_Delete(data);
    cJSON_Delete(partials);
    if (st != EV_OK) {
        ck_assert_int_eq(st, err->status);
        ev_buf_free(&out);
        return NULL;
    }
    return ev_buf_detach(&out);
}

static void expect_render(const char *tpl, const char *data_json, const char *partials_json,
                          const char *expected)
{
    ev_error err;
    char *got = render(tpl, data_json, partials_json, NULL, &err);
    ck_assert_msg(got, "render of \"%s\" failed: %s:%ld:%ld: %s", tpl, err.file, err.line, err.col,
                  err.msg);
    ck_assert_str_eq(got, expected);
    free(got);
}

static void expect_error(const char *tpl, const char *partials_json, const char *file, long line,
                         long col, const char *msg_part)
{
    ev_error err;
    char *got = render(tpl, "{}", partials_json, NULL, &err);
    ck_assert_msg(!got, "\"%s\" rendered as \"%s\" but should fail", tpl, got ? got : "");
    ck_assert_int_eq(err.status, EV_ERR_INPUT);
    ck_assert_str_eq(err.file, file);
    ck_assert_msg(err.line == line && err.col == col, "\"%s\": error at %ld:%ld, want %ld:%ld (%s)",
                  tpl, err.line, err.col, line, col, err.msg);
    ck_assert_msg(strstr(err.msg, msg_part), "\"%s\": message \"%s\" lacks \"%s\"", tpl, err.msg,
                  msg_part);
}

/* ---- the spec files ---- */

static const char *const spec_files[] = {"comments", "delimiters", "interpolation",
                                         "inverted", "partials",   "sections"};
/* Cases per file at the pinned spec commit, so a truncated copy cannot pass. */
static const int spec_counts[] = {12, 14, 42, 22, 12, 34};
#define N_SPEC_FILES (sizeof spec_files / sizeof spec_files[0])

static void run_spec_case(const char *file, int i)
{
    cJSON *doc = load_spec(file);
    ck_assert_msg(doc, "cannot load %s.json (EV_SOURCE_DIR set?)", file);
    const cJSON *tc = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "tests"), i);
    ck_assert_msg(tc, "%s.json: no test %d", file, i);
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tc, "name"));
    const char *tpl = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tc, "template"));
    const char *expected = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tc, "expected"));
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(tc, "data");
    const cJSON *partials = cJSON_GetObjectItemCaseSensitive(tc, "partials");
    ck_assert_msg(name && tpl && expected, "%s.json: test %d is malformed", file, i);
    if (has_lambda(data)) {
        cJSON_Delete(doc);
        return;
    }

    ev_template_options opt = {NULL, json_partial, (void *)partials};
    ev_buf out = EV_BUF_INIT;
    ev_error err;
    ev_error_clear(&err);
    ev_status st = ev_template_render(tpl, name, data, &opt, &out, &err);
    ck_assert_msg(st == EV_OK, "%s.json: \"%s\": render failed: %s:%ld:%ld: %s", file, name,
                  err.file, err.line, err.col, err.msg);
    const char *got = ev_buf_cstr(&out);
    ck_assert_msg(strcmp(got, expected) == 0, "%s.json: \"%s\": expected \"%s\", got \"%s\"", file,
                  name, expected, got);
    ev_buf_free(&out);
    cJSON_Delete(doc);
}

START_TEST(test_spec_comments)
{
    run_spec_case("comments", _i);
}
END_TEST

START_TEST(test_spec_delimiters)
{
    run_spec_case("delimiters", _i);
}
END_TEST

START_TEST(test_spec_interpolation)
{
    run_spec_case("interpolation", _i);
}
END_TEST

START_TEST(test_spec_inverted)
{
    run_spec_case("inverted", _i);
}
END_TEST

START_TEST(test_spec_partials)
{
    run_spec_case("partials", _i);
}
END_TEST

START_TEST(test_spec_sections)
{
    run_spec_case("sections", _i);
}
END_TEST

START_TEST(test_spec_counts)
{
    cJSON *doc = load_spec(spec_files[_i]);
    ck_assert_msg(doc, "cannot load %s.json", spec_files[_i]);
    int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "tests"));
    ck_assert_msg(n == spec_counts[_i], "%s.json has %d tests, want %d", spec_files[_i], n,
                  spec_counts[_i]);
    cJSON_Delete(doc);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_error_unclosed_section)
{
    expect_error("Hello\n  {{#items}}\n- {{name}}\n", NULL, "t.mustache", 2, 3,
                 "section 'items' opened here is never closed");
    /* The innermost open section is the one reported. */
    expect_error("{{#a}}\n{{#b}}\n", NULL, "t.mustache", 2, 1,
                 "section 'b' opened here is never closed");
}
END_TEST

START_TEST(test_error_mismatched_close)
{
    expect_error("{{#a}}\n  x {{/b}}\n", NULL, "t.mustache", 2, 5,
                 "closing tag 'b' does not match open section 'a'");
    expect_error("{{^a}}{{#b}}{{/a}}{{/b}}", NULL, "t.mustache", 1, 13,
                 "closing tag 'a' does not match open section 'b'");
    expect_error("x {{/y}}", NULL, "t.mustache", 1, 3, "closing tag 'y' has no open section");
}
END_TEST

START_TEST(test_error_unclosed_tag)
{
    expect_error("ab\ncd {{name\nmore", NULL, "t.mustache", 2, 4, "unclosed tag");
    expect_error("x\n {{{raw}}\n", NULL, "t.mustache", 2, 2, "no '}}}'");
    expect_error("{{! never ends", NULL, "t.mustache", 1, 1, "unclosed tag");
    expect_error("{{}}", NULL, "t.mustache", 1, 1, "tag has no name");
}
END_TEST

START_TEST(test_error_set_delimiter)
{
    expect_error("{{=<% =}}", NULL, "t.mustache", 1, 1, "invalid set-delimiter tag");
    expect_error("a\n{{= a b c =}}", NULL, "t.mustache", 2, 1, "invalid set-delimiter tag");
    expect_error("{{=<% %>}}", NULL, "t.mustache", 1, 1, "invalid set-delimiter tag");
    expect_error("{{=a= b=}}", NULL, "t.mustache", 1, 1, "invalid set-delimiter tag");
    /* Positions and messages follow the delimiters in force. */
    expect_error("{{=<% %>=}}\n<%#a%>\nx\n  <%/b%>\n", NULL, "t.mustache", 4, 3,
                 "closing tag 'b' does not match open section 'a'");
    expect_error("{{=<% %>=}}\n  <%x\n", NULL, "t.mustache", 2, 3, "no '%>'");
}
END_TEST

START_TEST(test_error_column_counts_bytes)
{
    /* "é" is two bytes, so the tag starts at byte column 4. */
    expect_error("\xc3\xa9 {{#x}}", NULL, "t.mustache", 1, 4, "section 'x'");
}
END_TEST

static char *named_partial(const char *name, void *ctx, char **source_name)
{
    (void)ctx;
    if (strcmp(name, "row") == 0) {
        *source_name = ev_xstrdup("parts/row.mustache");
        return ev_xstrdup("a\n {{#x}}\n");
    }
    return NULL;
}

START_TEST(test_error_in_partial)
{
    /* Named by source_name, positioned in the partial as written although the standalone
     * tag indents it by two. */
    ev_template_options opt = {NULL, named_partial, NULL};
    ev_buf out = EV_BUF_INIT;
    ev_error err;
    ev_buf_puts(&out, "keep");
    ev_status st = ev_template_render("line1\n  {{>row}}\n", "t.mustache", NULL, &opt, &out, &err);
    ck_assert_int_eq(st, EV_ERR_INPUT);
    ck_assert_str_eq(err.file, "parts/row.mustache");
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 2);
    ck_assert_ptr_nonnull(strstr(err.msg, "section 'x' opened here is never closed"));
    /* A failed render leaves out as it was. */
    ck_assert_str_eq(ev_buf_cstr(&out), "keep");
    ev_buf_free(&out);

    /* Without a source_name the partial's name stands in. */
    expect_error("{{>p}}", "{\"p\": \"{{/q}}\"}", "p", 1, 1, "closing tag 'q'");
}
END_TEST

START_TEST(test_error_partial_recursion)
{
    ev_error err;
    char *got = render("x\n {{>loop}}", "{}", "{\"loop\": \"a{{>loop}}\"}", NULL, &err);
    ck_assert_ptr_null(got);
    ck_assert_int_eq(err.status, EV_ERR_INPUT);
    ck_assert_ptr_nonnull(strstr(err.msg, "nested more than 64 deep"));
    ck_assert_str_eq(err.file, "loop");
    ck_assert_int_eq(err.line, 1);
    ck_assert_int_eq(err.col, 2);

    /* Recursion that the data ends is fine, even deep. */
    ev_buf tree = EV_BUF_INIT;
    for (int i = 0; i < 40; i++)
        ev_buf_puts(&tree, "{\"k\": ");
    ev_buf_puts(&tree, "{\"k\": false}"); /* else {{#k}} finds the parent's k again */
    for (int i = 0; i < 40; i++)
        ev_buf_puts(&tree, "}");
    ev_buf want = EV_BUF_INIT;
    for (int i = 0; i < 40; i++)
        ev_buf_puts(&want, "(");
    for (int i = 0; i < 40; i++)
        ev_buf_puts(&want, ")");
    expect_render("{{#k}}{{>node}}{{/k}}", tree.data, "{\"node\": \"({{#k}}{{>node}}{{/k}})\"}",
                  want.data);
    ev_buf_free(&tree);
    ev_buf_free(&want);
}
END_TEST

START_TEST(test_error_section_depth)
{
    ev_buf tpl = EV_BUF_INIT;
    for (int i = 0; i < 200; i++)
        ev_buf_puts(&tpl, "{{#a}}");
    expect_error(tpl.data, NULL, "t.mustache", 1, 128 * 6 + 1, "nested more than 128 deep");
    ev_buf_free(&tpl);
}
END_TEST

/* ---- escaping ---- */

static int escape_calls;

static void bracket_escape(ev_buf *out, const char *text, size_t len)
{
    escape_calls++;
    ev_buf_putc(out, '[');
    ev_buf_put(out, text, len);
    ev_buf_putc(out, ']');
}

START_TEST(test_escape_callback)
{
    ev_error err;
    escape_calls = 0;
    char *got =
        render("{{x}} {{{x}}} {{&x}} {{n}} {{missing}}{{#l}}{{.}}{{/l}}",
               "{\"x\": \"a&<b>\\\"\", \"n\": 2, \"l\": [true]}", NULL, bracket_escape, &err);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, "[a&<b>\"] a&<b>\" a&<b>\" [2] [true]");
    ck_assert_int_eq(escape_calls, 3);
    free(got);

    /* No callback: the spec's HTML escaping. */
    expect_render("{{x}}|{{{x}}}", "{\"x\": \"a&<b>\\\"'\"}", NULL,
                  "a&amp;&lt;b&gt;&quot;'|a&<b>\"'");
    ev_buf out = EV_BUF_INIT;
    ev_html_escape(&out, "<&>\"x", 5);
    ck_assert_str_eq(ev_buf_cstr(&out), "&lt;&amp;&gt;&quot;x");
    ev_buf_free(&out);
}
END_TEST

/* ---- values ---- */

START_TEST(test_number_formatting)
{
    expect_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}} {{i}} {{j}}",
                  "{\"a\": 3.0, \"b\": -2, \"c\": 1e15, \"d\": 0.1, \"e\": 1.21, \"f\": 2.5, "
                  "\"g\": -0.0, \"h\": 1e300, \"i\": 123456789012, \"j\": 1.5e3}",
                  NULL, "3 -2 1000000000000000 0.1 1.21 2.5 0 1e+300 123456789012 1500");

    cJSON *data = cJSON_CreateObject();
    cJSON_AddNumberToObject(data, "third", 1.0 / 3.0);
    cJSON_AddNumberToObject(data, "big", 9007199254740993.0);
    ev_buf out = EV_BUF_INIT;
    ck_assert_int_eq(ev_template_render("{{third}} {{big}}", "t", data, NULL, &out, NULL), EV_OK);
    ck_assert_str_eq(ev_buf_cstr(&out), "0.3333333333333333 9007199254740992");
    ev_buf_free(&out);
    cJSON_Delete(data);

    expect_render("{{t}} {{f}} [{{n}}] [{{o}}] [{{l}}]",
                  "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"a\": 1}, \"l\": [1]}", NULL,
                  "true false [] [] []");
}
END_TEST

START_TEST(test_truthiness)
{
    expect_render("{{#s}}s{{/s}}{{#z}}z{{/z}}{{#o}}o{{/o}}{{#t}}t{{/t}}",
                  "{\"s\": \"\", \"z\": 0, \"o\": {}, \"t\": true}", NULL, "sot");
    /* zero is falsy, any other number truthy (so {{#count}} means "when there are some") */
    expect_render("{{#z}}z{{/z}}{{^z}}!z{{/z}}{{#n}}n{{/n}}{{#d}}d{{/d}}",
                  "{\"z\": 0, \"n\": -1, \"d\": 0.5}", NULL, "!znd");
    expect_render("{{^l}}l{{/l}}{{^n}}n{{/n}}{{^f}}f{{/f}}{{^m}}m{{/m}}",
                  "{\"l\": [], \"n\": null, \"f\": false}", NULL, "lnfm");
    /* No data at all is an empty context. */
    ev_buf out = EV_BUF_INIT;
    ck_assert_int_eq(ev_template_render("[{{x}}{{.}}{{#x}}y{{/x}}]", "t", NULL, NULL, &out, NULL),
                     EV_OK);
    ck_assert_str_eq(ev_buf_cstr(&out), "[]");
    ev_buf_free(&out);
}
END_TEST

START_TEST(test_deep_context_lookup)
{
    const char *data = "{\"name\": \"root\", \"a\": {\"b\": {\"c\": {\"leaf\": \"L\"}}},"
                       " \"list\": [{\"name\": \"i1\"}, {\"other\": 1}],"
                       " \"x\": \"outer\", \"s\": {\"x\": null}}";
    /* Inner contexts see outer names; dotted names resolve their head anywhere on the
     * stack. */
    expect_render("{{#a}}{{#b}}{{#c}}{{leaf}}/{{name}}/{{a.b.c.leaf}}/{{b.c.leaf}}{{/c}}"
                  "{{/b}}{{/a}}",
                  data, NULL, "L/root/L/L");
    /* List items shadow the outer name only when they have it. */
    expect_render("{{#list}}{{name}},{{/list}}", data, NULL, "i1,root,");
    /* A key present with null still hides the outer one. */
    expect_render("{{#s}}[{{x}}]{{/s}}", data, NULL, "[]");
    /* Empty name parts never match. */
    expect_render("[{{a..b}}{{a.}}{{.a}}]", data, NULL, "[]");

    /* 60 nested contexts, looked up from the innermost. */
    ev_buf d = EV_BUF_INIT, tpl = EV_BUF_INIT;
    ev_buf_puts(&d, "{\"top\": \"T\", ");
    for (int i = 0; i < 60; i++) {
        ev_buf_printf(&d, "\"n\": {\"lvl\": %d, ", i);
        ev_buf_puts(&tpl, "{{#n}}");
    }
    ev_buf_puts(&d, "\"end\": 1");
    for (int i = 0; i <= 60; i++)
        ev_buf_puts(&d, "}");
    ev_buf_puts(&tpl, "{{top}}{{lvl}}");
    for (int i = 0; i < 60; i++)
        ev_buf_puts(&tpl, "{{/n}}");
    expect_render(tpl.data, d.data, NULL, "T59");
    ev_buf_free(&d);
    ev_buf_free(&tpl);
}
END_TEST

/* ---- partials ---- */

static int partial_calls;

static char *counting_partial(const char *name, void *ctx, char **source_name)
{
    partial_calls++;
    return json_partial(name, ctx, source_name);
}

START_TEST(test_partial_cache_and_indent)
{
    cJSON *data = cJSON_Parse("{\"list\": [1, 2, 3, 4]}");
    cJSON *parts = cJSON_Parse("{\"item\": \"<{{.}}>\"}");
    ev_template_options opt = {NULL, counting_partial, parts};
    ev_buf out = EV_BUF_INIT;
    partial_calls = 0;
    ck_assert_int_eq(ev_template_render("{{#list}}{{>item}}{{>none}}{{/list}}\n  {{>item}}\n", "t",
                                        data, &opt, &out, NULL),
                     EV_OK);
    ck_assert_str_eq(ev_buf_cstr(&out), "<1><2><3><4>\n  <>");
    ck_assert_int_eq(partial_calls, 2); /* once for "item", once for the missing "none" */
    ev_buf_free(&out);
    cJSON_Delete(data);
    cJSON_Delete(parts);

    /* Indentation accumulates through nested standalone partials. */
    expect_render("  {{>a}}\n", "{}", "{\"a\": \"x\\n  {{>b}}\\ny\\n\", \"b\": \"1\\n2\\n\"}",
                  "  x\n    1\n    2\n  y\n");
    /* No callback: partials render as nothing. */
    ev_buf o2 = EV_BUF_INIT;
    ck_assert_int_eq(ev_template_render("a{{>p}}b", "t", NULL, NULL, &o2, NULL), EV_OK);
    ck_assert_str_eq(ev_buf_cstr(&o2), "ab");
    ev_buf_free(&o2);
}
END_TEST

/* ---- size ---- */

START_TEST(test_large_output_linear)
{
    /* ~5 MB from a list and a partial, then from a ~7 MB template: both must stay linear. */
    enum { N = 100000 };
    cJSON *data = cJSON_CreateObject();
    cJSON *rows = cJSON_AddArrayToObject(data, "rows");
    for (int i = 0; i < N; i++) {
        cJSON *row = cJSON_CreateObject();
        cJSON_AddNumberToObject(row, "id", i);
        cJSON_AddStringToObject(row, "name", "finding <name>");
        cJSON_AddItemToArray(rows, row);
    }
    cJSON *parts = cJSON_Parse("{\"row\": \"| {{id}} | {{name}} | {{{name}}} | {{title}} |\\n\"}");
    cJSON_AddStringToObject(data, "title", "T");
    ev_template_options opt = {NULL, json_partial, parts};
    ev_buf out = EV_BUF_INIT;
    ck_assert_int_eq(ev_template_render("# Report\n{{#rows}}\n  {{>row}}\n{{/rows}}\n", "t", data,
                                        &opt, &out, NULL),
                     EV_OK);
    ck_assert_uint_gt(out.len, 5000000);
    ck_assert_ptr_nonnull(
        strstr(out.data, "\n  | 99999 | finding &lt;name&gt; | finding <name> | T |\n"));
    ev_buf_free(&out);
    cJSON_Delete(parts);

    ev_buf tpl = EV_BUF_INIT;
    while (tpl.len < 7000000)
        ev_buf_puts(&tpl, "ab {{title}} {{! note }}cd\n  {{#more}}\n{{more}}\n  {{/more}}\n");
    cJSON_AddStringToObject(data, "more", "<- much more text than its tags take ->");
    ck_assert_int_eq(ev_template_render(tpl.data, "t", data, NULL, &out, NULL), EV_OK);
    ck_assert_uint_gt(out.len, 5000000);
    ck_assert_int_eq(
        strncmp(out.data, "ab T cd\n&lt;- much more text than its tags take -&gt;\nab T", 58), 0);
    ev_buf_free(&out);
    ev_buf_free(&tpl);
    cJSON_Delete(data);
}
END_TEST

static Suite *template_suite(void)
{
    Suite *s = suite_create("template");
    const TTest *const spec_tests[N_SPEC_FILES] = {test_spec_comments,      test_spec_delimiters,
                                                   test_spec_interpolation, test_spec_inverted,
                                                   test_spec_partials,      test_spec_sections};

    TCase *spec = tcase_create("spec");
    tcase_add_loop_test(spec, test_spec_counts, 0, (int)N_SPEC_FILES);
    for (size_t f = 0; f < N_SPEC_FILES; f++) {
        /* One run per case; a file that will not load still gets one (failing) run. */
        cJSON *doc = load_spec(spec_files[f]);
        int n = doc ? cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "tests")) : 0;
        cJSON_Delete(doc);
        tcase_add_loop_test(spec, spec_tests[f], 0, n > 0 ? n : 1);
    }
    suite_add_tcase(s, spec);

    TCase *own = tcase_create("own");
    tcase_add_test(own, test_error_unclosed_section);
    tcase_add_test(own, test_error_mismatched_close);
    tcase_add_test(own, test_error_unclosed_tag);
    tcase_add_test(own, test_error_set_delimiter);
    tcase_add_test(own, test_error_column_counts_bytes);
    tcase_add_test(own, test_error_in_partial);
    tcase_add_test(own, test_error_partial_recursion);
    tcase_add_test(own, test_error_section_depth);
    tcase_add_test(own, test_escape_callback);
    tcase_add_test(own, test_number_formatting);
    tcase_add_test(own, test_truthiness);
    tcase_add_test(own, test_deep_context_lookup);
    tcase_add_test(own, test_partial_cache_and_indent);
    tcase_add_test(own, test_large_output_linear);
    suite_add_tcase(s, own);
    return s;
}

int main(void)
{
    return ev_run_suite(template_suite());
}
