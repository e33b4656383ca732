/* test_pack.c: Check suite for the pack writer and verifier: atomic commit and replace,
 * manifest.json and SHA256SUMS contents, refusal of a non-empty target, abort, write
 * failures, and verification of intact, tampered and malformed packs. Each test works in
 * its own fresh folder under /tmp. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ev_check.h"
#include "pack/pack.h"
#include "util/buf.h"
#include "util/sha256.h"

/* ---- fixtures ---- */

static char work[64]; /* this test's folder under /tmp */

static void setup(void)
{
    snprintf(work, sizeof work, "/tmp/evpack-test-pack-XXXXXX");
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

static void write_text(const char *path, const char *text)
{
    ev_test_write(path, text, strlen(text));
}

static char *read_text(const char *path)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s: %s", path, strerror(errno));
    ev_buf b = EV_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(&b, chunk, n);
    fclose(fp);
    return ev_buf_detach(&b);
}

static void assert_file_eq(const char *path, const char *expected)
{
    char *text = read_text(path);
    ck_assert_str_eq(text, expected);
    free(text);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, comma-separated entries of dir (without "." and ".."), for exact comparisons.
 * The caller frees the result. */
static char *list_dir(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    char *names[64];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        ck_assert_uint_lt(n, 64);
        names[n++] = ev_xstrdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    ev_buf b = EV_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        ev_buf_printf(&b, "%s%s", i ? "," : "", names[i]);
        free(names[i]);
    }
    return ev_buf_detach(&b);
}

static void assert_dir_is(const char *dir, const char *expected)
{
    char *got = list_dir(dir);
    ck_assert_str_eq(got, expected);
    free(got);
}

static const char *const two_outputs[] = {"report.md", "pack.json"};
static const char report_text[] = "# Report\n\nAll good.\n";
static const char pack_text[] = "{\"controls\": []}\n";

static cJSON *make_options(void)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "formats", "md,json");
    cJSON_AddNumberToObject(o, "list_limit", 25);
    return o;
}

/* Writes a pack of report.md and pack.json (with the given report text) into target. */
static ev_status build_pack(const char *target, bool force, const char *report, ev_error *err)
{
    ev_pack_writer *w = NULL;
    ev_status s = ev_pack_writer_open(target, force, &w, err);
    if (s != EV_OK)
        return s;
    write_text(ev_pack_writer_path(w, "report.md"), report);
    write_text(ev_pack_writer_path(w, "pack.json"), pack_text);
    ev_manifest_input in[] = {
        {"findings", "samples/findings.json",
         "0000000000000000000000000000000000000000000000000000000000000001", 1234},
        {"framework", "frameworks/pci-dss-4.0.1.json",
         "00000000000000000000000000000000000000000000000000000000000000ff", 99},
    };
    cJSON *opts = make_options();
    s = ev_pack_writer_commit(w, two_outputs, 2, in, 2, "2026-10-01", opts, err);
    cJSON_Delete(opts);
    return s;
}

/* No ".<name>.tmp-" or ".<name>.old-" folder left beside the target. */
static void assert_no_leftovers(void)
{
    DIR *d = opendir(work);
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        ck_assert_msg(
            !(de->d_name[0] == '.' && (strstr(de->d_name, ".tmp-") || strstr(de->d_name, ".old-"))),
            "leftover %s", de->d_name);
    closedir(d);
}

static int sha256sum_check(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "sh -c 'cd \"%s\" && sha256sum -c --quiet SHA256SUMS'", dir);
    return system(cmd);
}

static void assert_report_has(const char *report, const char *needle)
{
    ck_assert_msg(strstr(report, needle) != NULL, "report lacks \"%s\":\n%s", needle, report);
}

/* ---- writer ---- */

START_TEST(test_commit_writes_pack)
{
    ev_error err;
    const char *target = wpath("pack");
    ck_assert_int_eq(build_pack(target, false, report_text, &err), EV_OK);
    assert_dir_is(target, "SHA256SUMS,manifest.json,pack.json,report.md");
    assert_dir_is(work, "pack");
    assert_file_eq(wpath("pack/report.md"), report_text);

    struct stat st;
    ck_assert_int_eq(stat(target, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0755);

    char *text = read_text(wpath("pack/manifest.json"));
    ck_assert_uint_gt(strlen(text), 0);
    ck_assert_int_eq(text[strlen(text) - 1], '\n');
    ck_assert_ptr_nonnull(strstr(text, "\n  \"schema\": \"evpack/manifest@1\",\n"));
    cJSON *m = cJSON_Parse(text);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(cJSON_GetObjectItem(m, "schema")->valuestring, EV_MANIFEST_SCHEMA);
    const cJSON *tool = cJSON_GetObjectItem(m, "tool");
    ck_assert_str_eq(cJSON_GetObjectItem(tool, "name")->valuestring, "evpack");
    ck_assert_str_eq(cJSON_GetObjectItem(tool, "version")->valuestring, EV_VERSION);
    ck_assert_str_eq(cJSON_GetObjectItem(m, "as_of")->valuestring, "2026-10-01");
    const cJSON *opts = cJSON_GetObjectItem(m, "options");
    ck_assert_str_eq(cJSON_GetObjectItem(opts, "formats")->valuestring, "md,json");
    ck_assert_int_eq(cJSON_GetObjectItem(opts, "list_limit")->valueint, 25);

    const cJSON *inputs = cJSON_GetObjectItem(m, "inputs");
    ck_assert_int_eq(cJSON_GetArraySize(inputs), 2);
    const cJSON *in0 = cJSON_GetArrayItem(inputs, 0);
    ck_assert_str_eq(cJSON_GetObjectItem(in0, "role")->valuestring, "findings");
    ck_assert_str_eq(cJSON_GetObjectItem(in0, "path")->valuestring, "samples/findings.json");
    ck_assert_int_eq((int)cJSON_GetObjectItem(in0, "size")->valuedouble, 1234);
    ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(inputs, 1), "role")->valuestring,
                     "framework");

    const cJSON *outputs = cJSON_GetObjectItem(m, "outputs");
    ck_assert_int_eq(cJSON_GetArraySize(outputs), 2);
    const char *texts[] = {report_text, pack_text};
    for (int i = 0; i < 2; i++) {
        const cJSON *o = cJSON_GetArrayItem(outputs, i);
        char hex[65];
        ev_sha256_buf(texts[i], strlen(texts[i]), hex);
        ck_assert_str_eq(cJSON_GetObjectItem(o, "path")->valuestring, two_outputs[i]);
        ck_assert_str_eq(cJSON_GetObjectItem(o, "sha256")->valuestring, hex);
        ck_assert_int_eq((int)cJSON_GetObjectItem(o, "size")->valuedouble, (int)strlen(texts[i]));
    }
    cJSON_Delete(m);

    /* SHA256SUMS: outputs in order, then manifest.json, in coreutils format. */
    char *sums = read_text(wpath("pack/SHA256SUMS"));
    char hex[65], expected[512];
    ev_sha256_buf(text, strlen(text), hex);
    char h0[65], h1[65];
    ev_sha256_buf(report_text, strlen(report_text), h0);
    ev_sha256_buf(pack_text, strlen(pack_text), h1);
    snprintf(expected, sizeof expected, "%s  report.md\n%s  pack.json\n%s  manifest.json\n", h0, h1,
             hex);
    ck_assert_str_eq(sums, expected);
    ck_assert_int_eq(sha256sum_check(target), 0);
    free(sums);
    free(text);
}
END_TEST

START_TEST(test_commit_is_deterministic)
{
    ev_error err;
    ck_assert_int_eq(build_pack(wpath("a"), false, report_text, &err), EV_OK);
    ck_assert_int_eq(build_pack(wpath("b"), false, report_text, &err), EV_OK);
    const char *files[] = {"manifest.json", "SHA256SUMS", "report.md", "pack.json"};
    for (size_t i = 0; i < 4; i++) {
        char pa[64], pb[64];
        snprintf(pa, sizeof pa, "a/%s", files[i]);
        snprintf(pb, sizeof pb, "b/%s", files[i]);
        char *ta = read_text(wpath(pa)), *tb = read_text(wpath(pb));
        ck_assert_str_eq(ta, tb);
        free(ta);
        free(tb);
    }
}
END_TEST

START_TEST(test_refuses_nonempty_target)
{
    ev_error err;
    ck_assert_int_eq(mkdir(wpath("pack"), 0755), 0);
    write_text(wpath("pack/keep.txt"), "precious\n");
    ev_pack_writer *w = (ev_pack_writer *)1;
    ck_assert_int_eq(ev_pack_writer_open(wpath("pack"), false, &w, &err), EV_ERR_OUTPUT);
    ck_assert_ptr_null(w);
    ck_assert_ptr_nonnull(strstr(err.msg, "use --force"));
    assert_dir_is(wpath("pack"), "keep.txt");
    assert_file_eq(wpath("pack/keep.txt"), "precious\n");
    assert_no_leftovers();

    /* A plain file in the way is refused the same way. */
    write_text(wpath("file"), "x");
    ck_assert_int_eq(ev_pack_writer_open(wpath("file"), false, &w, &err), EV_ERR_OUTPUT);
    assert_file_eq(wpath("file"), "x");
}
END_TEST

START_TEST(test_accepts_empty_dir)
{
    ev_error err;
    ck_assert_int_eq(mkdir(wpath("pack"), 0755), 0);
    ck_assert_int_eq(build_pack(wpath("pack/"), false, report_text, &err), EV_OK);
    assert_dir_is(wpath("pack"), "SHA256SUMS,manifest.json,pack.json,report.md");
    assert_dir_is(work, "pack");
    ck_assert_int_eq(sha256sum_check(wpath("pack")), 0);
}
END_TEST

START_TEST(test_force_replaces)
{
    ev_error err;
    ck_assert_int_eq(build_pack(wpath("pack"), false, "old report\n", &err), EV_OK);
    write_text(wpath("pack/stale.txt"), "stale\n");
    ck_assert_int_eq(build_pack(wpath("pack"), false, "new report\n", &err), EV_ERR_OUTPUT);
    assert_file_eq(wpath("pack/report.md"), "old report\n");

    ck_assert_int_eq(build_pack(wpath("pack"), true, "new report\n", &err), EV_OK);
    assert_dir_is(wpath("pack"), "SHA256SUMS,manifest.json,pack.json,report.md");
    assert_file_eq(wpath("pack/report.md"), "new report\n");
    assert_dir_is(work, "pack");
    ck_assert_int_eq(sha256sum_check(wpath("pack")), 0);

    /* A file in the way is replaced too with force. */
    write_text(wpath("file"), "x");
    ck_assert_int_eq(build_pack(wpath("file"), true, "new report\n", &err), EV_OK);
    assert_dir_is(wpath("file"), "SHA256SUMS,manifest.json,pack.json,report.md");
    assert_dir_is(work, "file,pack");
}
END_TEST

START_TEST(test_abort_keeps_previous)
{
    ev_error err;
    ck_assert_int_eq(build_pack(wpath("pack"), false, "old report\n", &err), EV_OK);
    ev_pack_writer *w = NULL;
    ck_assert_int_eq(ev_pack_writer_open(wpath("pack"), true, &w, &err), EV_OK);
    const char *tmp = ev_pack_writer_dir(w);
    ck_assert_ptr_nonnull(strstr(tmp, "/.pack.tmp-"));
    ck_assert(exists(tmp));
    write_text(ev_pack_writer_path(w, "report.md"), "half written");
    write_text(ev_pack_writer_path(w, "evidence/a.pdf"), "%PDF");
    ev_pack_writer_abort(w);
    assert_dir_is(work, "pack");
    assert_file_eq(wpath("pack/report.md"), "old report\n");
    ck_assert_int_eq(sha256sum_check(wpath("pack")), 0);
}
END_TEST

START_TEST(test_spill_files_and_subfolders)
{
    ev_error err;
    ev_pack_writer *w = NULL;
    ck_assert_int_eq(ev_pack_writer_open(wpath("pack"), false, &w, &err), EV_OK);
    write_text(ev_pack_writer_path(w, "report.md"), report_text);
    write_text(ev_pack_writer_path(w, "evidence/x.pdf"), "%PDF-1.4\n");
    char spill[4096];
    snprintf(spill, sizeof spill, "%s/.spill-123", ev_pack_writer_dir(w));
    write_text(spill, "scratch");
    write_text(ev_pack_writer_path(w, "evidence/.hidden"), "scratch");
    const char *outs[] = {"report.md", "evidence/x.pdf"};
    ck_assert_int_eq(ev_pack_writer_commit(w, outs, 2, NULL, 0, "2026-10-01", NULL, &err), EV_OK);
    assert_dir_is(wpath("pack"), "SHA256SUMS,evidence,manifest.json,report.md");
    assert_dir_is(wpath("pack/evidence"), "x.pdf");
    ck_assert_int_eq(sha256sum_check(wpath("pack")), 0);

    char *report = NULL;
    size_t n = 0;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_OK);
    ck_assert_str_eq(report, "");
    ck_assert_uint_eq(n, 3);
    free(report);

    /* Empty inputs and no options still give a valid manifest. */
    char *text = read_text(wpath("pack/manifest.json"));
    ck_assert_ptr_nonnull(strstr(text, "\"options\": {},\n  \"inputs\": [],\n"));
    free(text);
}
END_TEST

START_TEST(test_manifest_escapes_and_utf8)
{
    ev_error err;
    ev_pack_writer *w = NULL;
    ck_assert_int_eq(ev_pack_writer_open(wpath("pack"), false, &w, &err), EV_OK);
    write_text(ev_pack_writer_path(w, "report.md"), report_text);
    /* A user path with a quote, a backslash, a tab and an invalid UTF-8 byte. */
    ev_manifest_input in = {"findings", "dir\\\"x\"\t\xff\xc3\xa9.json",
                            "0000000000000000000000000000000000000000000000000000000000000000", 0};
    cJSON *opts = cJSON_CreateObject();
    cJSON_AddStringToObject(opts, "z", "last? no: first");
    cJSON *nested = cJSON_AddObjectToObject(opts, "a");
    cJSON_AddItemToObject(nested, "list", cJSON_CreateIntArray((const int[]){1, 2}, 2));
    cJSON_AddBoolToObject(nested, "on", 1);
    cJSON_AddNullToObject(nested, "none");
    const char *outs[] = {"report.md"};
    ck_assert_int_eq(ev_pack_writer_commit(w, outs, 1, &in, 1, "2026-10-01", opts, &err), EV_OK);
    cJSON_Delete(opts);

    char *text = read_text(wpath("pack/manifest.json"));
    cJSON *m = cJSON_Parse(text);
    ck_assert_ptr_nonnull(m);
    const cJSON *in0 = cJSON_GetArrayItem(cJSON_GetObjectItem(m, "inputs"), 0);
    ck_assert_str_eq(cJSON_GetObjectItem(in0, "path")->valuestring,
                     "dir\\\"x\"\t\xef\xbf\xbd\xc3\xa9.json");
    /* Options keep the caller's member order and nesting, with 2-space indentation. */
    ck_assert_ptr_nonnull(strstr(text, "  \"options\": {\n    \"z\": \"last? no: first\",\n"
                                       "    \"a\": {\n      \"list\": [\n        1,\n"
                                       "        2\n      ],\n      \"on\": true,\n"
                                       "      \"none\": null\n    }\n  },\n"));
    ck_assert_ptr_null(strchr(text, '\t'));
    cJSON_Delete(m);
    free(text);
}
END_TEST

START_TEST(test_commit_missing_output_fails)
{
    ev_error err;
    ev_pack_writer *w = NULL;
    ck_assert_int_eq(ev_pack_writer_open(wpath("pack"), false, &w, &err), EV_OK);
    write_text(ev_pack_writer_path(w, "report.md"), report_text);
    ck_assert_int_eq(ev_pack_writer_commit(w, two_outputs, 2, NULL, 0, "2026-10-01", NULL, &err),
                     EV_ERR_OUTPUT);
    ck_assert_str_eq(err.file, "pack.json");
    ck_assert(!exists(wpath("pack")));
    assert_dir_is(work, "");
}
END_TEST

START_TEST(test_commit_rejects_bad_names)
{
    ev_error err;
    ev_pack_writer *w = NULL;
    /* An output that is not listed would make the pack fail verification. */
    ck_assert_int_eq(ev_pack_writer_open(wpath("pack"), false, &w, &err), EV_OK);
    write_text(ev_pack_writer_path(w, "report.md"), report_text);
    write_text(ev_pack_writer_path(w, "pack.json"), pack_text);
    const char *one[] = {"report.md"};
    ck_assert_int_eq(ev_pack_writer_commit(w, one, 1, NULL, 0, "2026-10-01", NULL, &err),
                     EV_ERR_INTERNAL);
    ck_assert_str_eq(err.file, "pack.json");
    assert_dir_is(work, "");

    const char *bad[][1] = {{"manifest.json"}, {"../x"}, {".hidden"}, {"a//b"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(ev_pack_writer_open(wpath("pack"), false, &w, &err), EV_OK);
        ck_assert_int_eq(ev_pack_writer_commit(w, bad[i], 1, NULL, 0, "2026-10-01", NULL, &err),
                         EV_ERR_INTERNAL);
    }
    const char *twice[] = {"report.md", "report.md"};
    ck_assert_int_eq(ev_pack_writer_open(wpath("pack"), false, &w, &err), EV_OK);
    write_text(ev_pack_writer_path(w, "report.md"), report_text);
    ck_assert_int_eq(ev_pack_writer_commit(w, twice, 2, NULL, 0, "2026-10-01", NULL, &err),
                     EV_ERR_INTERNAL);
    assert_dir_is(work, "");
}
END_TEST

START_TEST(test_parent_missing)
{
    ev_error err;
    ev_pack_writer *w = (ev_pack_writer *)1;
    ck_assert_int_eq(ev_pack_writer_open(wpath("no/such/pack"), false, &w, &err), EV_ERR_OUTPUT);
    ck_assert_ptr_null(w);
    ck_assert_str_eq(err.file, wpath("no/such"));
    ck_assert_int_eq(ev_pack_writer_open(".", true, &w, &err), EV_ERR_OUTPUT);
    ck_assert_int_eq(ev_pack_writer_open("", true, &w, &err), EV_ERR_OUTPUT);
    assert_dir_is(work, "");
}
END_TEST

/* A write that fails part-way (here EFBIG from RLIMIT_FSIZE, standing in for ENOSPC) must
 * be reported, and must not leave a pack or a temporary folder. Runs in a child so the
 * limit does not outlive the test. */
START_TEST(test_write_failure_detected)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        ev_error err;
        ev_pack_writer *w = NULL;
        if (ev_pack_writer_open(wpath("pack"), false, &w, &err) != EV_OK)
            _exit(90);
        write_text(ev_pack_writer_path(w, "report.md"), report_text);
        write_text(ev_pack_writer_path(w, "pack.json"), pack_text);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {200, 200}; /* outputs fit; manifest.json does not */
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(91);
        ev_status s = ev_pack_writer_commit(w, two_outputs, 2, NULL, 0, "2026-10-01", NULL, &err);
        if (s != EV_OK && !strstr(err.msg, strerror(EFBIG)))
            _exit(92);
        _exit((int)s);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), EV_ERR_OUTPUT);
    ck_assert(!exists(wpath("pack")));
    assert_dir_is(work, "");
}
END_TEST

/* ---- verify ---- */

static void make_good_pack(void)
{
    ev_error err;
    ck_assert_int_eq(build_pack(wpath("pack"), false, report_text, &err), EV_OK);
}

START_TEST(test_verify_ok)
{
    make_good_pack();
    ev_error err;
    char *report = NULL;
    size_t n = 0;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_OK);
    ck_assert_str_eq(report, "");
    ck_assert_uint_eq(n, 3); /* report.md, pack.json, manifest.json */
    free(report);
}
END_TEST

START_TEST(test_verify_tampered_byte)
{
    make_good_pack();
    char *text = read_text(wpath("pack/report.md"));
    text[2] = 'r'; /* same size, different content */
    write_text(wpath("pack/report.md"), text);
    free(text);
    ev_error err;
    char *report = NULL;
    size_t n = 0;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_VERIFY);
    assert_report_has(report, "report.md: SHA-256 mismatch (expected ");
    assert_report_has(report, "report.md: SHA-256 mismatch with SHA256SUMS");
    ck_assert_ptr_null(strstr(report, "pack.json"));
    ck_assert_ptr_null(strstr(report, "size mismatch"));
    free(report);
}
END_TEST

START_TEST(test_verify_deleted_file)
{
    make_good_pack();
    ck_assert_int_eq(unlink(wpath("pack/pack.json")), 0);
    ev_error err;
    char *report = NULL;
    size_t n = 0;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_VERIFY);
    ck_assert_str_eq(report, "pack.json: missing\n");
    free(report);
}
END_TEST

START_TEST(test_verify_extra_file)
{
    make_good_pack();
    write_text(wpath("pack/notes.txt"), "sneaked in\n");
    ck_assert_int_eq(mkdir(wpath("pack/evidence"), 0755), 0);
    write_text(wpath("pack/evidence/extra.pdf"), "%PDF");
    ev_error err;
    char *report = NULL;
    size_t n = 0;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_VERIFY);
    ck_assert_str_eq(report, "evidence/extra.pdf: unexpected file\nnotes.txt: unexpected file\n");
    free(report);
}
END_TEST

START_TEST(test_verify_tampered_sums)
{
    make_good_pack();
    char *sums = read_text(wpath("pack/SHA256SUMS"));
    sums[0] = sums[0] == '0' ? '1' : '0'; /* first line: report.md */
    ev_buf b = EV_BUF_INIT;
    ev_buf_puts(&b, sums);
    ev_buf_puts(&b, "not a checksum line\n");
    write_text(wpath("pack/SHA256SUMS"), b.data);
    ev_buf_free(&b);
    free(sums);
    ev_error err;
    char *report = NULL;
    size_t n = 0;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_VERIFY);
    assert_report_has(report, "report.md: SHA-256 mismatch with SHA256SUMS (listed ");
    assert_report_has(report, "SHA256SUMS:4: malformed line\n");
    ck_assert_ptr_null(strstr(report, "pack.json"));
    free(report);

    /* A line dropped: the output is no longer covered. */
    char h[65];
    char *manifest = read_text(wpath("pack/manifest.json"));
    ev_sha256_buf(manifest, strlen(manifest), h);
    free(manifest);
    char line[128];
    snprintf(line, sizeof line, "%s  manifest.json\n", h);
    write_text(wpath("pack/SHA256SUMS"), line);
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_VERIFY);
    ck_assert_str_eq(report, "report.md: not listed in SHA256SUMS\n"
                             "pack.json: not listed in SHA256SUMS\n");
    free(report);
}
END_TEST

START_TEST(test_verify_edited_manifest)
{
    /* A manifest edited to match a tampered file is caught by SHA256SUMS. */
    make_good_pack();
    char *text = read_text(wpath("pack/manifest.json"));
    char *p = strstr(text, "2026-10-01");
    ck_assert_ptr_nonnull(p);
    p[3] = '7';
    write_text(wpath("pack/manifest.json"), text);
    free(text);
    ev_error err;
    char *report = NULL;
    size_t n = 0;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_VERIFY);
    assert_report_has(report, "manifest.json: SHA-256 mismatch with SHA256SUMS");
    free(report);
}
END_TEST

START_TEST(test_verify_malformed_manifest)
{
    make_good_pack();
    write_text(wpath("pack/manifest.json"),
               "{\n  \"schema\": \"evpack/manifest@1\",\n  \"outputs\": [,]\n}\n");
    ev_error err;
    char *report = NULL;
    size_t n = 0;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_INPUT);
    ck_assert_str_eq(err.file, wpath("pack/manifest.json"));
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.col, 15);
    char msg[2048];
    ev_error_format(&err, msg, sizeof msg);
    ck_assert_ptr_nonnull(strstr(msg, "/pack/manifest.json:3:15: "));
    free(report);

    /* Valid JSON, wrong schema. */
    write_text(wpath("pack/manifest.json"), "{\"schema\": \"other@1\", \"outputs\": []}\n");
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_INPUT);
    free(report);

    /* A path escaping the pack is refused before anything is opened. */
    write_text(wpath("pack/manifest.json"),
               "{\"schema\": \"evpack/manifest@1\", \"outputs\": [{\"path\": \"../x\", "
               "\"sha256\": \""
               "0000000000000000000000000000000000000000000000000000000000000000"
               "\", \"size\": 0}]}\n");
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_INPUT);
    free(report);

    /* Trailing text after the document. */
    write_text(wpath("pack/manifest.json"),
               "{\"schema\": \"evpack/manifest@1\", \"outputs\": []}\n]");
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_INPUT);
    ck_assert_int_eq(err.line, 2);
    ck_assert_int_eq(err.col, 1);
    free(report);
}
END_TEST

START_TEST(test_verify_missing_manifest)
{
    make_good_pack();
    ck_assert_int_eq(unlink(wpath("pack/manifest.json")), 0);
    ev_error err;
    char *report = NULL;
    size_t n = 7;
    ck_assert_int_eq(ev_pack_verify(wpath("pack"), &report, &n, &err), EV_ERR_INPUT);
    ck_assert_str_eq(err.file, wpath("pack/manifest.json"));
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_nonnull(report);
    free(report);

    ck_assert_int_eq(ev_pack_verify(wpath("nothing"), &report, &n, &err), EV_ERR_INPUT);
    free(report);
    ck_assert_int_eq(ev_pack_verify(wpath("pack/SHA256SUMS"), NULL, NULL, &err), EV_ERR_INPUT);
}
END_TEST

static Suite *pack_suite(void)
{
    Suite *s = suite_create("pack");
    TCase *w = tcase_create("writer");
    tcase_add_checked_fixture(w, setup, teardown);
    tcase_add_test(w, test_commit_writes_pack);
    tcase_add_test(w, test_commit_is_deterministic);
    tcase_add_test(w, test_refuses_nonempty_target);
    tcase_add_test(w, test_accepts_empty_dir);
    tcase_add_test(w, test_force_replaces);
    tcase_add_test(w, test_abort_keeps_previous);
    tcase_add_test(w, test_spill_files_and_subfolders);
    tcase_add_test(w, test_manifest_escapes_and_utf8);
    tcase_add_test(w, test_commit_missing_output_fails);
    tcase_add_test(w, test_commit_rejects_bad_names);
    tcase_add_test(w, test_parent_missing);
    tcase_add_test(w, test_write_failure_detected);
    suite_add_tcase(s, w);

    TCase *v = tcase_create("verify");
    tcase_add_checked_fixture(v, setup, teardown);
    tcase_add_test(v, test_verify_ok);
    tcase_add_test(v, test_verify_tampered_byte);
    tcase_add_test(v, test_verify_deleted_file);
    tcase_add_test(v, test_verify_extra_file);
    tcase_add_test(v, test_verify_tampered_sums);
    tcase_add_test(v, test_verify_edited_manifest);
    tcase_add_test(v, test_verify_malformed_manifest);
    tcase_add_test(v, test_verify_missing_manifest);
    suite_add_tcase(s, v);
    return s;
}

int main(void)
{
    return ev_run_suite(pack_suite());
}
