/* test_pdf.c: Check suite for the PDF renderer: report.pdf from the basic golden case
 * (a PDF, ending as one, byte-identical over two renders, errors mapped to statuses),
 * and the layout module underneath it: line breaking keeps every character and never
 * splits a UTF-8 sequence (a 10,000-character word included), breaks at spaces, after
 * hyphens and slashes and at forced breaks, keeps combining marks with their base; the
 * font layer replaces bidi controls and code points beyond the BMP visibly and turns
 * control characters into spaces; the Markdown layer makes links only of http(s) URLs. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf.h>

#include "catalog/catalog.h"
#include "ev_check.h"
#include "evaluate/evaluate.h"
#include "ingest/ingest.h"
#include "render/pdf_fonts.h"
#include "render/pdf_layout.h"
#include "render/pdf_markdown.h"
#include "render/render.h"
#include "util/buf.h"
#include "util/utf8.h"

/* ---- fixtures ---- */

static char work[64];

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/evpack-test-pdf-XXXXXX");
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

static bool contains(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s: %s", path, strerror(errno));
    ev_buf b = EV_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(&b, chunk, n);
    fclose(fp);
    *len = b.len;
    return ev_buf_detach(&b);
}

/* The basic golden case (tests/cases/basic), evaluated as of 2026-10-01. */
typedef struct {
    ev_framework *fw;
    ev_artifacts *a;
    ev_scope *s;
    ev_services *sv;
    ev_evidence *ev;
    ev_exceptions *ex;
    ev_store *st;
    ev_pack *p;
} basic_pack;

static void basic_load(basic_pack *b)
{
    memset(b, 0, sizeof *b);
    ev_error err;
    ck_assert_int_eq(
        ev_framework_load(ev_test_path("tests/cases/basic/framework.json"), &b->fw, &err), EV_OK);
    ck_assert_int_eq(
        ev_artifacts_load(ev_test_path("tests/cases/basic/artifacts.json"), &b->a, &err), EV_OK);
    ck_assert_int_eq(ev_scope_load(ev_test_path("tests/cases/basic/scope.json"), &b->s, &err),
                     EV_OK);
    ck_assert_int_eq(
        ev_services_load(ev_test_path("tests/cases/basic/services.json"), &b->sv, &err), EV_OK);
    ck_assert_int_eq(
        ev_evidence_load(ev_test_path("tests/cases/basic/evidence.json"), &b->ev, &err), EV_OK);
    ck_assert_int_eq(
        ev_exceptions_load(ev_test_path("tests/cases/basic/exceptions.json"), &b->ex, &err), EV_OK);
    ck_assert_int_eq(ev_store_new(work, &b->st, &err), EV_OK);
    ev_source *src = ev_xcalloc(1, sizeof *src);
    ck_assert_int_eq(ev_ingest_file(ev_test_path("tests/cases/basic/findings.json"), b->st, src,
                                    NULL, NULL, &err),
                     EV_OK);
    const ev_framework *fws[] = {b->fw};
    const ev_evidence *evs[] = {b->ev};
    const ev_exceptions *exs[] = {b->ex};
    ev_evaluate_input in = {.frameworks = fws,
                            .n_frameworks = 1,
                            .artifacts = b->a,
                            .scope = b->s,
                            .as_of = "2026-10-01",
                            .sources = src,
                            .n_sources = 1,
                            .services = b->sv,
                            .evidence = evs,
                            .n_evidence = 1,
                            .exceptions = exs,
                            .n_exceptions = 1};
    ck_assert_int_eq(ev_evaluate(b->st, &in, &b->p, &err), EV_OK);
    memset(b->p->inputs_digest, 'a', 64);
    b->p->inputs_digest[64] = 0;
}

static void basic_free(basic_pack *b)
{
    ev_pack_free(b->p);
    ev_store_free(b->st);
    ev_framework_free(b->fw);
    ev_artifacts_free(b->a);
    ev_scope_free(b->s);
    ev_services_free(b->sv);
    ev_evidence_free(b->ev);
    ev_exceptions_free(b->ex);
}

/* ---- the renderer ---- */

START_TEST(renders_identical_pdfs)
{
    basic_pack b;
    basic_load(&b);
    ev_error err;
    ev_pdf_options opt = {0};
    ck_assert_int_eq(ev_render_pdf(b.p, &opt, wpath("a.pdf"), &err), EV_OK);
    ck_assert_int_eq(ev_render_pdf(b.p, &opt, wpath("b.pdf"), &err), EV_OK);
    size_t la, lb;
    char *x = slurp(wpath("a.pdf"), &la), *y = slurp(wpath("b.pdf"), &lb);
    ck_assert_uint_gt(la, 1000);
    ck_assert_int_eq(memcmp(x, "%PDF-1.", 7), 0);
    ck_assert_msg(la > 6 && memcmp(x + la - 6, "%%EOF", 5) == 0, "no %%%%EOF at the end");
    ck_assert_uint_eq(la, lb);
    ck_assert_msg(memcmp(x, y, la) == 0, "two renders of the same pack differ");
    /* compressed: the text of the cover is not in the file as plain text */
    ck_assert(!contains(x, la, "Assessment period"));
    /* the dates come from the as-of date, never the clock */
    ck_assert(contains(x, la, "D:20261001000000Z"));
    free(x);
    free(y);
    basic_free(&b);
}
END_TEST

START_TEST(bounded_findings_still_render)
{
    basic_pack b;
    basic_load(&b);
    ev_error err;
    ev_pdf_options opt = {.max_findings_per_control = 1};
    ck_assert_int_eq(ev_render_pdf(b.p, &opt, wpath("one.pdf"), &err), EV_OK);
    basic_free(&b);
}
END_TEST

START_TEST(output_errors_are_reported)
{
    basic_pack b;
    basic_load(&b);
    ev_error err;
    ck_assert_int_eq(ev_render_pdf(b.p, NULL, wpath("no/such/folder/r.pdf"), &err), EV_ERR_OUTPUT);
    ck_assert_ptr_nonnull(strstr(err.file, "no/such/folder/r.pdf"));
    ev_pdf_options opt = {.font_dir = wpath("no-fonts-here")};
    ck_assert_int_eq(ev_render_pdf(b.p, &opt, wpath("r.pdf"), &err), EV_ERR_IO);
    ck_assert_ptr_nonnull(strstr(err.file, "DejaVuSans"));
    ck_assert_int_eq(access(wpath("r.pdf"), F_OK), -1);
    basic_free(&b);
}
END_TEST

START_TEST(missing_cjk_font_is_not_an_error)
{
    basic_pack b;
    basic_load(&b);
    ev_error err;
    ev_pdf_options opt = {.cjk_font_path = wpath("no-such-font.ttf")};
    ck_assert_int_eq(ev_render_pdf(b.p, &opt, wpath("r.pdf"), &err), EV_OK);
    basic_free(&b);
}
END_TEST

/* ---- line breaking ---- */

/* n code points of width w (thousandths of the size) */
static ev_pdf_ch *fixed(const char *ascii, uint16_t w)
{
    size_t n = strlen(ascii);
    ev_pdf_ch *v = ev_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (ev_pdf_ch){(unsigned char)ascii[i], 0, w, EV_PDF_REGULAR, 0};
    return v;
}

static char *line_text(const ev_pdf_ch *ch, const ev_pdf_line *ln)
{
    ev_buf b = EV_BUF_INIT;
    ev_pdf_chars_utf8(ch + ln->start, ln->end - ln->start, &b);
    return ev_buf_detach(&b);
}

START_TEST(breaks_at_spaces)
{
    /* each character 0.5 em at size 10: 5 points; 40 points hold 8 characters */
    const char *text = "alpha beta gamma delta";
    ev_pdf_ch *ch = fixed(text, 500);
    ev_pdf_line *ln = NULL;
    size_t n = ev_pdf_break_lines(ch, strlen(text), 10, 40, &ln);
    static const char *const want[] = {"alpha", "beta", "gamma", "delta"};
    ck_assert_uint_eq(n, 4);
    for (size_t i = 0; i < n; i++) {
        char *t = line_text(ch, &ln[i]);
        ck_assert_str_eq(t, want[i]);
        ck_assert_float_le(ln[i].width, 40.0f);
        free(t);
    }
    free(ln);
    /* with room for two words, the space between them is kept */
    n = ev_pdf_break_lines(ch, strlen(text), 10, 55, &ln);
    ck_assert_uint_eq(n, 2);
    char *t = line_text(ch, &ln[0]);
    ck_assert_str_eq(t, "alpha beta");
    free(t);
    free(ln);
    free(ch);
}
END_TEST

START_TEST(breaks_after_slashes_and_at_forced_breaks)
{
    ev_pdf_ch *ch = fixed("arn:aws:s3:::bucket/key/x\nnext", 500);
    ev_pdf_line *ln = NULL;
    size_t n = ev_pdf_break_lines(ch, strlen("arn:aws:s3:::bucket/key/x\nnext"), 10, 50, &ln);
    ck_assert_uint_ge(n, 3);
    char *last = line_text(ch, &ln[n - 1]);
    ck_assert_str_eq(last, "next");
    free(last);
    /* the line before the forced break ends with the last character before it */
    ck_assert_uint_eq(ch[ln[n - 2].end - 1].cp, 'x');
    free(ln);
    free(ch);
}
END_TEST

START_TEST(overlong_word_keeps_every_character)
{
    size_t n = 10000;
    char *word = ev_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        word[i] = (char)('a' + i % 26);
    word[n] = 0;
    ev_pdf_ch *ch = fixed(word, 600);
    ev_pdf_line *ln = NULL;
    size_t nl = ev_pdf_break_lines(ch, n, 8, 60, &ln);
    ck_assert_uint_gt(nl, 100);
    size_t next = 0;
    for (size_t i = 0; i < nl; i++) {
        ck_assert_uint_eq(ln[i].start, next); /* no gap: nothing dropped */
        ck_assert_uint_gt(ln[i].end, ln[i].start);
        ck_assert_float_le(ln[i].width, 60.0f);
        next = ln[i].end;
    }
    ck_assert_uint_eq(next, n);
    free(ln);
    free(ch);
    free(word);
}
END_TEST

/* A real font: a 10,000-character word of ASCII, Cyrillic, Greek and CJK. */
START_TEST(utf8_word_is_never_split_inside_a_sequence)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    ev_pdf_fonts *f = NULL;
    ev_error err;
    ck_assert_int_eq(ev_pdf_fonts_open(pdf, NULL, NULL, &f, &err), EV_OK);
    static const char *const parts[] = {"a", "\xD0\x96", "\xCE\xA9", "\xE6\x97\xA5", "-"};
    ev_buf word = EV_BUF_INIT;
    for (size_t i = 0; i < 10000; i++)
        ev_buf_puts(&word, parts[i % 5]);
    ev_pdf_chars ch = {0};
    ev_pdf_fonts_append(f, &ch, word.data, word.len, EV_PDF_REGULAR, 0);
    ck_assert_uint_eq(ch.n, 10000);
    ev_pdf_line *ln = NULL;
    size_t nl = ev_pdf_break_lines(ch.v, ch.n, 7, 55, &ln);
    ck_assert_uint_gt(nl, 100);
    ev_buf all = EV_BUF_INIT;
    for (size_t i = 0; i < nl; i++) {
        ev_buf one = EV_BUF_INIT;
        ev_pdf_chars_utf8(ch.v + ln[i].start, ln[i].end - ln[i].start, &one);
        ck_assert_msg(ev_utf8_valid(one.data, one.len, NULL), "line %zu is not valid UTF-8", i);
        ck_assert_float_le(ln[i].width, 55.0f);
        ev_buf_put(&all, one.data, one.len);
        ev_buf_free(&one);
    }
    ck_assert_uint_eq(all.len, word.len);
    ck_assert_int_eq(memcmp(all.data, word.data, word.len), 0);
    ck_assert_uint_eq(ev_pdf_fonts_replaced(f), 0);
    ev_buf_free(&all);
    ev_buf_free(&word);
    free(ln);
    ev_pdf_chars_free(&ch);
    ev_pdf_fonts_free(f);
    HPDF_Free(pdf);
}
END_TEST

START_TEST(combining_marks_stay_with_their_base)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    ev_pdf_fonts *f = NULL;
    ev_error err;
    ck_assert_int_eq(ev_pdf_fonts_open(pdf, NULL, NULL, &f, &err), EV_OK);
    ev_buf word = EV_BUF_INIT;
    for (int i = 0; i < 200; i++)
        ev_buf_puts(&word, "e\xCC\x81"); /* e + combining acute */
    ev_pdf_chars ch = {0};
    ev_pdf_fonts_append(f, &ch, word.data, word.len, EV_PDF_REGULAR, 0);
    ev_pdf_line *ln = NULL;
    size_t nl = ev_pdf_break_lines(ch.v, ch.n, 9, 40, &ln);
    ck_assert_uint_gt(nl, 1);
    for (size_t i = 1; i < nl; i++)
        ck_assert_uint_eq(ch.v[ln[i].start].cp, 'e');
    free(ln);
    ev_pdf_chars_free(&ch);
    ev_buf_free(&word);
    ev_pdf_fonts_free(f);
    HPDF_Free(pdf);
}
END_TEST

/* ---- fonts and Markdown ---- */

START_TEST(hostile_code_points_are_replaced_visibly)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    ev_pdf_fonts *f = NULL;
    ev_error err;
    ck_assert_int_eq(ev_pdf_fonts_open(pdf, NULL, NULL, &f, &err), EV_OK);
    /* RLO, a control character, a tab, an emoji (beyond the BMP), an isolate */
    const char *s = "a\xE2\x80\xAE"
                    "b\x01"
                    "c\td\xF0\x9F\x94\xA5"
                    "e\xE2\x81\xA6|<script>=cmd";
    ev_pdf_chars ch = {0};
    ev_pdf_fonts_append(f, &ch, s, strlen(s), EV_PDF_REGULAR, 0);
    ev_buf out = EV_BUF_INIT;
    ev_pdf_chars_utf8(ch.v, ch.n, &out);
    ck_assert_str_eq(ev_buf_cstr(&out), "a\xEF\xBF\xBD"
                                        "b c d\xEF\xBF\xBD"
                                        "e\xEF\xBF\xBD|<script>=cmd");
    ck_assert_uint_eq(ev_pdf_fonts_replaced(f), 3);
    for (size_t i = 0; i < ch.n; i++)
        ck_assert_uint_gt(ch.v[i].w, 0); /* every glyph drawn takes room */
    ev_buf_free(&out);
    ev_pdf_chars_free(&ch);
    ev_pdf_fonts_free(f);
    HPDF_Free(pdf);
}
END_TEST

START_TEST(markdown_links_only_for_http)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    ev_pdf_fonts *f = NULL;
    ev_error err;
    ck_assert_int_eq(ev_pdf_fonts_open(pdf, NULL, NULL, &f, &err), EV_OK);
    ev_pdf_rich r = {0};
    size_t n =
        ev_pdf_markdown(&r, f,
                        "Read *the* **policy** at [docs](https://example.com/p) or "
                        "[here](javascript:alert(1)).\n\n- one\n- `two`\n\n<script>x</script>\n",
                        9, EV_PDF_ALIGN_LEFT);
    ck_assert_uint_eq(n, 4); /* paragraph, two items, the HTML block */
    ck_assert_uint_eq(r.n_links, 1);
    ck_assert_str_eq(r.links[0], "https://example.com/p");
    ev_buf b = EV_BUF_INIT;
    ev_pdf_chars_utf8(r.v[0].text.v, r.v[0].text.n, &b);
    ck_assert_str_eq(ev_buf_cstr(&b), "Read the policy at docs (https://example.com/p) or here "
                                      "(javascript:alert(1)).");
    ev_buf_clear(&b);
    ev_pdf_chars_utf8(r.v[3].text.v, r.v[3].text.n, &b);
    ck_assert_str_eq(ev_buf_cstr(&b), "<script>x</script>");
    ck_assert_uint_gt(r.v[1].marker.n, 0); /* a bullet */
    ck_assert_uint_eq(r.v[2].text.v[0].face, EV_PDF_MONO);
    ck_assert(!ev_pdf_safe_url("javascript:alert(1)"));
    ck_assert(!ev_pdf_safe_url("https://exa mple.com"));
    ck_assert(ev_pdf_safe_url("http://example.com/a?b=c"));
    ev_buf_free(&b);
    ev_pdf_rich_free(&r);
    ev_pdf_fonts_free(f);
    HPDF_Free(pdf);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("pdf");
    TCase *render = tcase_create("render");
    tcase_add_checked_fixture(render, setup, teardown);
    tcase_set_timeout(render, 60);
    tcase_add_test(render, renders_identical_pdfs);
    tcase_add_test(render, bounded_findings_still_render);
    tcase_add_test(render, output_errors_are_reported);
    tcase_add_test(render, missing_cjk_font_is_not_an_error);
    suite_add_tcase(s, render);
    TCase *layout = tcase_create("layout");
    tcase_set_timeout(layout, 60);
    tcase_add_test(layout, breaks_at_spaces);
    tcase_add_test(layout, breaks_after_slashes_and_at_forced_breaks);
    tcase_add_test(layout, overlong_word_keeps_every_character);
    tcase_add_test(layout, utf8_word_is_never_split_inside_a_sequence);
    tcase_add_test(layout, combining_marks_stay_with_their_base);
    tcase_add_test(layout, hostile_code_points_are_replaced_visibly);
    tcase_add_test(layout, markdown_links_only_for_http);
    suite_add_tcase(s, layout);
    return s;
}

int main(void)
{
    return ev_run_suite(suite());
}
