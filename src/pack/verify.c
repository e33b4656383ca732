/* verify.c: checks an existing pack against its own records. Every output listed in
 * manifest.json must exist with the recorded size and SHA-256; SHA256SUMS must be
 * well-formed, agree with the files (manifest.json included) and list every output; and
 * no other file may sit in the pack. Problems are collected as report lines rather than
 * stopping at the first, so one run shows everything that is wrong. */
#include "pack/pack.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "util/buf.h"
#include "util/sha256.h"

#define MANIFEST_NAME "manifest.json"
#define SUMS_NAME "SHA256SUMS"

/* One output recorded in the manifest, with what was found on disk. */
typedef struct {
    const char *path; /* borrowed from the parsed manifest */
    char expected[65];
    unsigned long long expected_size;
    char actual[65]; /* empty when the file could not be hashed */
    bool in_sums;
} output_entry;

typedef struct {
    const char *dir;
    ev_buf report;
    size_t n_problems;
    size_t n_checked;
} verify_ctx;

static void problem(verify_ctx *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(verify_ctx *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ev_buf_vprintf(&v->report, fmt, ap);
    va_end(ap);
    ev_buf_putc(&v->report, '\n');
    v->n_problems++;
}

static char *join_path(const char *dir, const char *name)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "%s/%s", dir, name);
    return ev_buf_detach(&b);
}

/* Reads a whole file. Returns false with errno set on failure. */
static bool read_all(const char *path, ev_buf *out)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    char chunk[1 << 14];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(out, chunk, n);
    bool ok = !ferror(fp);
    int saved = errno;
    fclose(fp);
    if (!ok)
        errno = saved ? saved : EIO;
    else if (!out->data)
        ev_buf_puts(out, ""); /* an empty file still yields a string */
    return ok;
}

/* 1-based line and byte column of offset in text. */
static void offset_position(const char *text, size_t offset, long *line, long *col)
{
    long l = 1;
    size_t start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *col = (long)(offset - start) + 1;
}

/* Paths in the manifest and SHA256SUMS are opened under the pack folder, so they must
 * stay inside it: relative, no "." / ".." / empty components. */
static bool safe_relative_path(const char *p)
{
    if (!*p || *p == '/')
        return false;
    for (;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        if (!e)
            return true;
        p = e + 1;
    }
}

static bool is_hex64(const char *s, size_t len)
{
    if (len != 64)
        return false;
    for (size_t i = 0; i < 64; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

static void hex_lower(const char *in, char out[65])
{
    for (size_t i = 0; i < 64; i++) {
        char c = in[i];
        out[i] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
    }
    out[64] = '\0';
}

/* ---- manifest.json ---- */

/* Parses manifest.json into root and the outputs table. Any defect in the manifest
 * itself is EV_ERR_INPUT: the pack cannot be judged without it. */
static ev_status parse_manifest(const char *mpath, const ev_buf *text, cJSON **root_out,
                                output_entry **outs, size_t *n_outs, ev_error *err)
{
    *root_out = NULL;
    *outs = NULL;
    *n_outs = 0;
    long line, col;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text->data, text->len, &end, false);
    if (!root) {
        /* return_parse_end holds the failure point (as cJSON_GetErrorPtr would). */
        size_t off = end && end >= text->data ? (size_t)(end - text->data) : 0;
        if (off > text->len)
            off = text->len;
        offset_position(text->data, off, &line, &col);
        return ev_error_set(err, EV_ERR_INPUT, mpath, line, col, "malformed JSON");
    }
    size_t off = (size_t)(end - text->data);
    while (off < text->len && strchr(" \t\r\n", text->data[off]))
        off++;
    if (off < text->len) {
        offset_position(text->data, off, &line, &col);
        cJSON_Delete(root);
        return ev_error_set(err, EV_ERR_INPUT, mpath, line, col,
                            "unexpected text after the JSON document");
    }

    ev_status s = EV_OK;
    output_entry *list = NULL;
    size_t n = 0;
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsObject(root) || !cJSON_IsString(schema) ||
        strcmp(schema->valuestring, EV_MANIFEST_SCHEMA) != 0) {
        s = ev_error_set(err, EV_ERR_INPUT, mpath, 0, 0,
                         "not an evpack manifest (schema is not \"%s\")", EV_MANIFEST_SCHEMA);
        goto cleanup;
    }
    const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(root, "outputs");
    if (!cJSON_IsArray(outputs)) {
        s = ev_error_set(err, EV_ERR_INPUT, mpath, 0, 0, "\"outputs\" must be an array");
        goto cleanup;
    }
    list = ev_xcalloc((size_t)cJSON_GetArraySize(outputs), sizeof *list);
    const cJSON *o;
    cJSON_ArrayForEach(o, outputs)
    {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "path");
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(o, "sha256");
        const cJSON *z = cJSON_GetObjectItemCaseSensitive(o, "size");
        if (!cJSON_IsString(p) || !cJSON_IsString(h) || !cJSON_IsNumber(z)) {
            s = ev_error_set(err, EV_ERR_INPUT, mpath, 0, 0,
                             "outputs[%zu] needs \"path\", \"sha256\" and \"size\"", n);
            goto cleanup;
        }
        if (!safe_relative_path(p->valuestring) || strcmp(p->valuestring, MANIFEST_NAME) == 0 ||
            strcmp(p->valuestring, SUMS_NAME) == 0) {
            s = ev_error_set(err, EV_ERR_INPUT, mpath, 0, 0, "outputs[%zu]: invalid path \"%s\"", n,
                             p->valuestring);
            goto cleanup;
        }
        for (size_t j = 0; j < n; j++) {
            if (strcmp(list[j].path, p->valuestring) == 0) {
                s = ev_error_set(err, EV_ERR_INPUT, mpath, 0, 0,
                                 "outputs[%zu]: \"%s\" is listed twice", n, p->valuestring);
                goto cleanup;
            }
        }
        if (!is_hex64(h->valuestring, strlen(h->valuestring))) {
            s = ev_error_set(err, EV_ERR_INPUT, mpath, 0, 0,
                             "outputs[%zu]: \"sha256\" must be 64 hex digits", n);
            goto cleanup;
        }
        /* Sizes are whole byte counts; 2^53 is where a JSON number stops being exact. */
        if (z->valuedouble < 0 || z->valuedouble > 9007199254740992.0 ||
            z->valuedouble != (double)(unsigned long long)z->valuedouble) {
            s = ev_error_set(err, EV_ERR_INPUT, mpath, 0, 0,
                             "outputs[%zu]: \"size\" must be a whole number of bytes", n);
            goto cleanup;
        }
        list[n].path = p->valuestring;
        hex_lower(h->valuestring, list[n].expected);
        list[n].expected_size = (unsigned long long)z->valuedouble;
        n++;
    }

cleanup:
    if (s != EV_OK) {
        free(list);
        cJSON_Delete(root);
        return s;
    }
    *root_out = root;
    *outs = list;
    *n_outs = n;
    return EV_OK;
}

/* Hashes each output and compares with the manifest. */
static void check_outputs(verify_ctx *v, output_entry *outs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *full = join_path(v->dir, outs[i].path);
        struct stat st;
        if (lstat(full, &st) != 0) {
            if (errno == ENOENT)
                problem(v, "%s: missing", outs[i].path);
            else
                problem(v, "%s: cannot inspect: %s", outs[i].path, strerror(errno));
        } else if (!S_ISREG(st.st_mode)) {
            problem(v, "%s: not a regular file", outs[i].path);
        } else {
            unsigned long long size = 0;
            ev_error e;
            if (ev_sha256_file(full, outs[i].actual, &size, &e) != EV_OK) {
                outs[i].actual[0] = '\0';
                problem(v, "%s: %s", outs[i].path, e.msg);
            } else {
                v->n_checked++;
                if (size != outs[i].expected_size)
                    problem(v, "%s: size mismatch (expected %llu, found %llu)", outs[i].path,
                            outs[i].expected_size, size);
                if (strcmp(outs[i].actual, outs[i].expected) != 0)
                    problem(v, "%s: SHA-256 mismatch (expected %s, found %s)", outs[i].path,
                            outs[i].expected, outs[i].actual);
            }
        }
        free(full);
    }
}

/* ---- SHA256SUMS ---- */

/* Checks SHA256SUMS in the coreutils text format ("<64 hex>  <name>" or, in binary mode,
 * "<64 hex> *<name>"). Escaped names (a leading backslash) are never written by evpack and
 * are reported as malformed. */
static void check_sums(verify_ctx *v, output_entry *outs, size_t n, const char *manifest_hex)
{
    char *spath = join_path(v->dir, SUMS_NAME);
    ev_buf text = EV_BUF_INIT;
    bool manifest_listed = false;
    if (!read_all(spath, &text)) {
        if (errno == ENOENT)
            problem(v, "%s: missing", SUMS_NAME);
        else
            problem(v, "%s: cannot read: %s", SUMS_NAME, strerror(errno));
        goto cleanup;
    }

    size_t lineno = 0;
    char **seen = NULL;
    size_t n_seen = 0;
    for (const char *p = text.data; p < text.data + text.len;) {
        const char *nl = memchr(p, '\n', (size_t)(text.data + text.len - p));
        const char *eol = nl ? nl : text.data + text.len;
        size_t len = (size_t)(eol - p);
        lineno++;
        const char *next = nl ? nl + 1 : eol;
        if (len < 67 || !is_hex64(p, 64) || p[64] != ' ' || (p[65] != ' ' && p[65] != '*') ||
            p[66] == '\\' || memchr(p, '\0', len) || memchr(p, '\r', len)) {
            problem(v, "%s:%zu: malformed line", SUMS_NAME, lineno);
            p = next;
            continue;
        }
        char listed[65];
        hex_lower(p, listed);
        char *name = ev_xstrndup(p + 66, len - 66);
        p = next;

        bool dup = false;
        for (size_t j = 0; j < n_seen; j++)
            dup = dup || strcmp(seen[j], name) == 0;
        if (dup) {
            problem(v, "%s:%zu: %s is listed twice", SUMS_NAME, lineno, name);
            free(name);
            continue;
        }
        seen = ev_xrealloc(seen, (n_seen + 1) * sizeof *seen);
        seen[n_seen++] = name;

        if (strcmp(name, MANIFEST_NAME) == 0) {
            manifest_listed = true;
            v->n_checked++;
            if (strcmp(listed, manifest_hex) != 0)
                problem(v, "%s: SHA-256 mismatch with %s (listed %s, found %s)", name, SUMS_NAME,
                        listed, manifest_hex);
            continue;
        }
        output_entry *o = NULL;
        for (size_t j = 0; j < n && !o; j++)
            if (strcmp(outs[j].path, name) == 0)
                o = &outs[j];
        if (!o) {
            problem(v, "%s:%zu: %s is not an output in %s", SUMS_NAME, lineno, name, MANIFEST_NAME);
            continue;
        }
        o->in_sums = true;
        /* A missing or unreadable output was reported already; compare only real hashes. */
        if (o->actual[0] && strcmp(listed, o->actual) != 0)
            problem(v, "%s: SHA-256 mismatch with %s (listed %s, found %s)", name, SUMS_NAME,
                    listed, o->actual);
    }
    for (size_t j = 0; j < n_seen; j++)
        free(seen[j]);
    free(seen);

    for (size_t i = 0; i < n; i++)
        if (!outs[i].in_sums)
            problem(v, "%s: not listed in %s", outs[i].path, SUMS_NAME);
    if (!manifest_listed)
        problem(v, "%s: not listed in %s", MANIFEST_NAME, SUMS_NAME);

cleanup:
    ev_buf_free(&text);
    free(spath);
}

/* ---- unexpected files ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reports every file below dir that neither the manifest nor the pack format accounts
 * for. Entries are sorted so the report is the same on every filesystem. */
static void check_unexpected(verify_ctx *v, const char *dir, const char *rel,
                             const output_entry *outs, size_t n)
{
    DIR *d = opendir(dir);
    if (!d) {
        problem(v, "%s: cannot read folder: %s", *rel ? rel : ".", strerror(errno));
        return;
    }
    char **names = NULL;
    size_t n_names = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        names = ev_xrealloc(names, (n_names + 1) * sizeof *names);
        names[n_names++] = ev_xstrdup(de->d_name);
    }
    closedir(d);
    if (n_names)
        qsort(names, n_names, sizeof *names, cmp_str);

    for (size_t i = 0; i < n_names; i++) {
        char *full = join_path(dir, names[i]);
        char *child_rel = *rel ? join_path(rel, names[i]) : ev_xstrdup(names[i]);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            check_unexpected(v, full, child_rel, outs, n);
        } else if (!(*rel == '\0' &&
                     (strcmp(names[i], MANIFEST_NAME) == 0 || strcmp(names[i], SUMS_NAME) == 0))) {
            bool listed = false;
            for (size_t j = 0; j < n && !listed; j++)
                listed = strcmp(outs[j].path, child_rel) == 0;
            if (!listed)
                problem(v, "%s: unexpected file", child_rel);
        }
        free(child_rel);
        free(full);
        free(names[i]);
    }
    free(names);
}

ev_status ev_pack_verify(const char *pack_dir, char **report, size_t *n_checked, ev_error *err)
{
    verify_ctx v = {pack_dir, EV_BUF_INIT, 0, 0};
    ev_status s = EV_OK;
    ev_buf mtext = EV_BUF_INIT;
    cJSON *root = NULL;
    output_entry *outs = NULL;
    size_t n_outs = 0;
    char *mpath = join_path(pack_dir, MANIFEST_NAME);

    struct stat st;
    if (stat(pack_dir, &st) != 0) {
        s = ev_error_set(err, EV_ERR_INPUT, pack_dir, 0, 0, "cannot open the pack: %s",
                         strerror(errno));
        goto cleanup;
    }
    if (!S_ISDIR(st.st_mode)) {
        s = ev_error_set(err, EV_ERR_INPUT, pack_dir, 0, 0, "not a pack folder");
        goto cleanup;
    }
    if (!read_all(mpath, &mtext)) {
        s = ev_error_set(err, EV_ERR_INPUT, mpath, 0, 0, "cannot read: %s", strerror(errno));
        goto cleanup;
    }
    s = parse_manifest(mpath, &mtext, &root, &outs, &n_outs, err);
    if (s != EV_OK)
        goto cleanup;

    char manifest_hex[65];
    ev_sha256_buf(mtext.data, mtext.len, manifest_hex);

    check_outputs(&v, outs, n_outs);
    check_sums(&v, outs, n_outs, manifest_hex);
    check_unexpected(&v, pack_dir, "", outs, n_outs);

    if (v.n_problems)
        s = ev_error_set(err, EV_ERR_VERIFY, pack_dir, 0, 0, "%zu problem%s found", v.n_problems,
                         v.n_problems == 1 ? "" : "s");

cleanup:
    free(outs);
    cJSON_Delete(root);
    ev_buf_free(&mtext);
    free(mpath);
    if (n_checked)
        *n_checked = v.n_checked;
    if (report)
        *report = ev_buf_detach(&v.report);
    else
        ev_buf_free(&v.report);
    return s;
}
