/* test_xlsx.c: Check suite for the workbook.xlsx renderer. Builds the basic case's pack in
 * memory (catalog loaders, a store filled by ev_ingest_file, ev_evaluate), renders it into
 * a fresh folder under /tmp and checks that the file is a zip, that two renders give the
 * same bytes and that no temporary file is left beside it; hostile text (ill-formed UTF-8,
 * non-characters, "_xHHHH_", formulas, text past Excel's cell limit, odd URLs) and hostile
 * framework names still give a workbook that opens; an unwritable path is an output error.
 * When /usr/bin/python3 (or $EV_PYTHON) has openpyxl, the workbooks are also opened and
 * checked against pack.json with tests/cli/xlsx_check.py. */
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
#include "render/render.h"
#include "util/buf.h"

/* ---- fixtures ---- */

static char work[64];

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/evpack-test-xlsx-XXXXXX");
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

/* The catalog of the basic case and a store, kept together so one call frees them. */
typedef struct {
    ev_framework *fw[2];
    size_t n_fw;
    ev_artifacts *artifacts;
    ev_scope *scope;
    ev_services *services;
    ev_evidence *evidence;
    ev_exceptions *exceptions;
    ev_store *store;
    ev_pack *pack;
} fixture;

static void load_case(fixture *fx, bool two_frameworks)
{
    ev_error err = {0};
    memset(fx, 0, sizeof *fx);
#define LOAD(call)                                                                                 \
    do {                                                                                           \
        ev_status rc_ = (call);                                                                    \
        ck_assert_msg(rc_ == EV_OK, "%s: %s", #call, err.msg);                                     \
    } while (0)
    LOAD(ev_framework_load(ev_test_path("tests/cases/basic/framework.json"), &fx->fw[0], &err));
    fx->n_fw = 1;
    if (two_frameworks) {
        LOAD(ev_framework_load(ev_test_path("tests/cases/basic/framework.json"), &fx->fw[1], &err));
        fx->n_fw = 2;
    }
    LOAD(ev_artifacts_load(ev_test_path("tests/cases/basic/artifacts.json"), &fx->artifacts, &err));
    LOAD(ev_scope_load(ev_test_path("tests/cases/basic/scope.json"), &fx->scope, &err));
    LOAD(ev_services_load(ev_test_path("tests/cases/basic/services.json"), &fx->services, &err));
    LOAD(ev_evidence_load(ev_test_path("tests/cases/basic/evidence.json"), &fx->evidence, &err));
    LOAD(ev_exceptions_load(ev_test_path("tests/cases/basic/exceptions.json"), &fx->exceptions,
                            &err));
    LOAD(ev_store_new(work, &fx->store, &err));
}

static void ingest_case(fixture *fx, ev_source **sources, size_t *n_sources)
{
    ev_error err = {0};
    *sources = ev_xcalloc(1, sizeof **sources);
    LOAD(ev_ingest_file(ev_test_path("tests/cases/basic/findings.json"), fx->store, &(*sources)[0],
                        NULL, NULL, &err));
    free((*sources)[0].path); /* as main.c records it: no machine path in the pack */
    (*sources)[0].path = ev_xstrdup("findings.json");
    *n_sources = 1;
}

static void evaluate_case(fixture *fx, ev_source *sources, size_t n_sources)
{
    ev_error err = {0};
    const ev_evidence *ev[1] = {fx->evidence};
    const ev_exceptions *ex[1] = {fx->exceptions};
    ev_evaluate_input in = {.frameworks = (const ev_framework *const *)fx->fw,
                            .n_frameworks = fx->n_fw,
                            .artifacts = fx->artifacts,
                            .scope = fx->scope,
                            .as_of = "2026-10-01",
                            .list_limit = 1000,
                            .sources = sources,
                            .n_sources = n_sources,
                            .services = fx->services,
                            .evidence = ev,
                            .n_evidence = 1,
                            .exceptions = ex,
                            .n_exceptions = 1};
    LOAD(ev_evaluate(fx->store, &in, &fx->pack, &err));
    memcpy(fx->pack->inputs_digest,
           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 65);
#undef LOAD
}

static void free_case(fixture *fx)
{
    ev_pack_free(fx->pack);
    ev_store_free(fx->store);
    for (size_t i = 0; i < fx->n_fw; i++)
        ev_framework_free(fx->fw[i]);
    ev_artifacts_free(fx->artifacts);
    ev_scope_free(fx->scope);
    ev_services_free(fx->services);
    ev_evidence_free(fx->evidence);
    ev_exceptions_free(fx->exceptions);
}

static void render(fixture *fx, const char *dir, bool with_json)
{
    ev_error err = {0};
    ck_assert_int_eq(mkdir(wpath(dir), 0755), 0);
    char rel[256];
    snprintf(rel, sizeof rel, "%s/workbook.xlsx", dir);
    ev_status rc = ev_render_xlsx(fx->pack, fx->store, wpath(rel), &err);
    ck_assert_msg(rc == EV_OK, "ev_render_xlsx: %s", err.msg);
    if (with_json) {
        snprintf(rel, sizeof rel, "%s/pack.json", dir);
        rc = ev_render_json(fx->pack, wpath(rel), &err);
        ck_assert_msg(rc == EV_OK, "ev_render_json: %s", err.msg);
    }
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

/* Names in a folder, sorted, comma-separated. */
static char *listing(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    ev_buf b = EV_BUF_INIT;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            ev_buf_printf(&b, "%s,", de->d_name);
    closedir(d);
    return ev_buf_detach(&b);
}

static void assert_zip(const char *path)
{
    size_t len;
    char *data = slurp(path, &len);
    ck_assert_uint_gt(len, 1000);
    ck_assert_msg(memcmp(data, "PK\x03\x04", 4) == 0, "%s is not a zip", path);
    /* the end-of-central-directory record closes every complete zip */
    bool eocd = false;
    for (size_t i = len >= 22 ? len - 22 : 0; i + 4 <= len && !eocd; i--) {
        eocd = memcmp(data + i, "PK\x05\x06", 4) == 0;
        if (i == 0)
            break;
    }
    ck_assert_msg(eocd, "%s has no end of central directory", path);
    free(data);
}

/* The Python that has openpyxl, or NULL (the openpyxl checks are then skipped). */
static const char *python(void)
{
    static char cmd[512];
    const char *env = getenv("EV_PYTHON");
    const char *py = env && *env ? env : "/usr/bin/python3";
    if (access(py, X_OK) != 0)
        return NULL;
    snprintf(cmd, sizeof cmd, "'%s' -c 'import openpyxl' 2>/dev/null", py);
    if (system(cmd) != 0)
        return NULL;
    return py;
}

/* Runs tests/cli/xlsx_check.py on a pack folder; skipped without openpyxl. */
static void xlsx_check(const char *dir)
{
    const char *py = python();
    if (!py) {
        fprintf(stderr, "test_xlsx: openpyxl not found, xlsx_check.py skipped\n");
        return;
    }
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' >&2", py, ev_test_path("tests/cli/xlsx_check.py"),
             dir);
    ck_assert_msg(system(cmd) == 0, "xlsx_check.py failed on %s", dir);
}

/* Runs a Python snippet against a workbook (argv[1]); skipped without openpyxl. */
static void py_assert(const char *xlsx, const char *code)
{
    const char *py = python();
    if (!py)
        return;
    char script[4096];
    snprintf(script, sizeof script, "%s/check.py", work);
    FILE *fp = fopen(script, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(code, fp);
    fclose(fp);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' >&2", py, script, xlsx);
    ck_assert_msg(system(cmd) == 0, "openpyxl check failed on %s", xlsx);
    unlink(script);
}

/* ---- tests ---- */

START_TEST(test_basic_deterministic)
{
    fixture fx;
    ev_source *sources;
    size_t n_sources;
    load_case(&fx, false);
    ingest_case(&fx, &sources, &n_sources);
    evaluate_case(&fx, sources, n_sources);
    render(&fx, "a", true);
    render(&fx, "b", false);
    assert_zip(wpath("a/workbook.xlsx"));
    size_t la, lb;
    char *a = slurp(wpath("a/workbook.xlsx"), &la);
    char *b = slurp(wpath("b/workbook.xlsx"), &lb);
    ck_assert_uint_eq(la, lb);
    ck_assert_msg(memcmp(a, b, la) == 0, "two renders of the same pack differ");
    free(a);
    free(b);
    /* libxlsxwriter's temporary files live in the output folder and are gone */
    char *names = listing(wpath("b"));
    ck_assert_str_eq(names, "workbook.xlsx,");
    free(names);
    xlsx_check(wpath("a"));
    free_case(&fx);
}
END_TEST

/* A crafted finding added to the store (bypassing ingest's UTF-8 check). */
static void add_finding(ev_store *st, const char *id, const char *title, const char *resource,
                        const char *url, bool mapped)
{
    ev_finding f = {0};
    f.source = ev_xstrdup("securityhub");
    f.id = ev_xstrdup(id);
    f.check = mapped ? ev_xstrdup("securityhub:IAM.6") : NULL;
    f.title = ev_xstrdup(title);
    f.severity = EV_SEV_HIGH;
    f.result = mapped ? EV_RESULT_FAILED : EV_RESULT_NONE;
    f.account = ev_xstrdup("111122223333");
    f.region = ev_xstrdup("eu-west-1");
    f.resource_type = ev_xstrdup("AwsAccount");
    f.resource_id = ev_xstrdup(resource);
    f.updated_text = ev_xstrdup("2026-09-01T00:00:00Z");
    f.updated_at = 1788220800;
    f.remediation_url = url ? ev_xstrdup(url) : NULL;
    f.file = ev_xstrdup("crafted");
    ev_error err = {0};
    ck_assert_int_eq(ev_store_add(st, &f, &err), EV_OK);
    ev_finding_clear(&f);
}

START_TEST(test_hostile_text)
{
    fixture fx;
    load_case(&fx, false);
    char *long_title = ev_xcalloc(40001, 1);
    memset(long_title, 'W', 40000);
    /* ill-formed UTF-8 (a lone continuation byte, a truncated sequence, an overlong NUL),
     * a non-character, control characters, a literal Excel escape and formulas */
    add_finding(fx.store, "bad-utf8", "bad \x80 byte \xE2\x82 cut \xC0\x80 overlong",
                "res \xEF\xBF\xBE nonchar", "javascript:alert(1)", true);
    add_finding(fx.store, "escape", "_x0041_ and =1+1", "@SUM(1)\x07\r\n", "file:///etc/passwd",
                false);
    add_finding(fx.store, "long", long_title, "+cmd|' /C calc'!A0",
                "https://example.com/remediation?a=1&b=<2>#x", true);
    free(long_title);
    evaluate_case(&fx, NULL, 0);
    render(&fx, "h", false);
    assert_zip(wpath("h/workbook.xlsx"));
    py_assert(
        wpath("h/workbook.xlsx"),
        "import re, sys, openpyxl\n"
        "wb = openpyxl.load_workbook(sys.argv[1])\n"
        "un = lambda v: re.sub(r'_x([0-9A-Fa-f]{4})_', lambda m: chr(int(m.group(1), 16)),"
        " v) if isinstance(v, str) else v\n"
        "rows = {}\n"
        "for r in wb['Findings'].iter_rows(min_row=2):\n"
        "    v = [un(c.value) for c in r]\n"
        "    rows[v[1]] = v + [r[13].hyperlink]\n"
        "b = rows['bad-utf8']\n"
        "assert b[10] == 'bad \\ufffd byte \\ufffd\\ufffd cut \\ufffd\\ufffd overlong', b[10]\n"
        "assert b[9] == 'res \\ufffd nonchar', b[9]\n"
        "assert b[13] == 'javascript:alert(1)' and b[14] is None, b[13:]\n"
        "e = rows['escape']\n"
        "assert e[10] == '_x0041_ and =1+1', e[10]\n"
        "assert e[9] == '@SUM(1)\\x07\\r\\n', e[9]\n"
        "l = rows['long']\n"
        "assert l[10].endswith('\\u2026 [cut: 7297 characters]'), l[10][-40:]\n"
        "assert len(l[10].encode()) <= 32767\n"
        "assert l[14] is not None and l[14].target.startswith('https://example.com/')\n"
        "assert all(c.data_type != 'f' for ws in wb for r in ws.iter_rows() for c in r)\n"
        "s = {r[0]: r[1] for r in wb['Summary'].iter_rows(values_only=True) if r and r[0]}\n"
        "assert s[\"Cells cut at Excel's limit of 32,767 characters\"] == 1, s\n");
    free_case(&fx);
}
END_TEST

START_TEST(test_sheet_names)
{
    fixture fx;
    ev_source *sources;
    size_t n_sources;
    load_case(&fx, true);
    /* a name that clashes with a fixed sheet, and one with every forbidden character,
     * quotes at both ends and more than 31 characters */
    free(fx.fw[0]->name);
    fx.fw[0]->name = ev_xstrdup("findings");
    free(fx.fw[0]->version);
    fx.fw[0]->version = ev_xstrdup("");
    free(fx.fw[1]->id);
    fx.fw[1]->id = ev_xstrdup("golden-2");
    free(fx.fw[1]->name);
    fx.fw[1]->name = ev_xstrdup("'ISO/IEC [27001]: *Annex* A? \\ controls with a long name'");
    ingest_case(&fx, &sources, &n_sources);
    evaluate_case(&fx, sources, n_sources);
    render(&fx, "n", true);
    assert_zip(wpath("n/workbook.xlsx"));
    py_assert(wpath("n/workbook.xlsx"),
              "import sys, openpyxl\n"
              "names = openpyxl.load_workbook(sys.argv[1], read_only=True).sheetnames\n"
              "want = ['Summary', 'Services', 'findings (2)', 'ISO-IEC -27001-- -Annex- A- - c',\n"
              "        'Inherited', 'Findings', 'Evidence', 'Exceptions', 'Unmapped', 'Sources']\n"
              "assert names == want, names\n");
    xlsx_check(wpath("n"));
    free_case(&fx);
}
END_TEST

START_TEST(test_unwritable)
{
    fixture fx;
    ev_source *sources;
    size_t n_sources;
    load_case(&fx, false);
    ingest_case(&fx, &sources, &n_sources);
    evaluate_case(&fx, sources, n_sources);
    const char *path = wpath("missing-folder/workbook.xlsx");
    ev_error err = {0};
    ck_assert_int_eq(ev_render_xlsx(fx.pack, fx.store, path, &err), EV_ERR_OUTPUT);
    ck_assert_str_eq(err.file, path);
    ck_assert_msg(strstr(err.msg, "workbook") != NULL, "message: %s", err.msg);
    ck_assert_int_ne(access(path, F_OK), 0);
    free_case(&fx);
}
END_TEST

static Suite *xlsx_suite(void)
{
    Suite *s = suite_create("xlsx");
    TCase *tc = tcase_create("render");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_basic_deterministic);
    tcase_add_test(tc, test_hostile_text);
    tcase_add_test(tc, test_sheet_names);
    tcase_add_test(tc, test_unwritable);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return ev_run_suite(xlsx_suite());
}
