/* fuzz_template.c: the Mustache engine (ev_template_render), two ways per input:
 *  1. the input as a template, rendered against a fixed small data tree with a few fixed
 *     partials (one includes itself, to reach the nesting limit), escaping with
 *     ev_md_escape as report.md does. Every array in the data holds one element, so that
 *     nested sections stay linear and time is spent on the parser, not on output size;
 *  2. the input as data (when it parses as JSON), rendered with the bundled
 *     report.md.mustache and its partials, which must always succeed.
 * Checks: a failure is an input error at a position inside the template, and leaves the
 * output as it was on entry; a success only appends. */
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "render/render.h"
#include "render/template.h"
#include "util/buf.h"

static const char data_json[] =
    "{\"name\":\"Name | *x* <b>\",\"num\":3,\"real\":2.5,\"t\":true,\"f\":false,\"n\":null,"
    "\"empty\":[],\"s\":\"\",\"list\":[{\"a\":\"1\",\"b\":{\"c\":\"deep\"}}],"
    "\"obj\":{\"k\":\"v\",\"inner\":{\"list\":[\"x\"]}},\"strs\":[\"one\"]}";

typedef struct {
    const char *name;
    const char *text;
} fixed_partial;

static const fixed_partial fixed[] = {
    {"p", "[{{name}}]"},  {"q", "{{>p}}{{#list}}{{a}}{{/list}}"}, {"self", "{{>self}}"},
    {"bad", "{{#open}}"}, {"delims", "{{=<% %>=}}<% name %>"},
};

static char *fixed_partial_fn(const char *name, void *ctx, char **source_name)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        if (strcmp(name, fixed[i].name) == 0) {
            *source_name = strdup(fixed[i].name);
            return strdup(fixed[i].text);
        }
    }
    return NULL;
}

/* The bundled templates, read once. */
static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    ev_buf b = EV_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(&b, chunk, n);
    fclose(fp);
    return ev_buf_detach(&b);
}

static char *bundled_partial_fn(const char *name, void *ctx, char **source_name)
{
    (void)ctx;
    if (strchr(name, '/') || name[0] == '.')
        return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/templates/%s.mustache", fz_source_dir(), name);
    char *text = read_file(path);
    if (text)
        *source_name = strdup(name);
    return text;
}

static cJSON *data;
static char *report_tpl;

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
    if (!data) {
        data = cJSON_Parse(data_json);
        char path[4096];
        snprintf(path, sizeof path, "%s/templates/report.md.mustache", fz_source_dir());
        report_tpl = read_file(path);
        if (!data || !report_tpl)
            abort();
    }
    /* 1: the input as a template (a NUL ends it, as it would a C string) */
    char *tpl = strndup((const char *)in, size);
    if (!tpl)
        abort();
    size_t tlen = strlen(tpl);
    ev_template_options opt = {.escape = ev_md_escape, .partial = fixed_partial_fn};
    ev_buf out = EV_BUF_INIT;
    ev_buf_puts(&out, "PRE");
    ev_error err;
    memset(&err, 0, sizeof err);
    ev_status s = ev_template_render(tpl, "input.mustache", data, &opt, &out, &err);
    FZ_ASSERT(out.len >= 3 && memcmp(out.data, "PRE", 3) == 0);
    if (s != EV_OK) {
        FZ_ASSERT(out.len == 3);
        /* positions are in the template unless the error is in a fixed partial */
        bool in_partial = false;
        for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
            in_partial |= strcmp(err.file, fixed[i].name) == 0;
        if (!in_partial) {
            FZ_ASSERT(strcmp(err.file, "input.mustache") == 0);
            fz_check_error(s, &err, tpl, tlen, false);
        } else {
            FZ_ASSERT(s == EV_ERR_INPUT);
        }
    }
    ev_buf_free(&out);
    free(tpl);

    /* 2: the input as data for the bundled report template */
    cJSON *root = cJSON_ParseWithLength((const char *)in, size);
    if (root) {
        ev_template_options ropt = {.escape = ev_md_escape, .partial = bundled_partial_fn};
        ev_buf r = EV_BUF_INIT;
        memset(&err, 0, sizeof err);
        s = ev_template_render(report_tpl, "report.md.mustache", root, &ropt, &r, &err);
        if (s != EV_OK)
            fprintf(stderr, "report.md.mustache: %s:%ld:%ld: %s\n", err.file, err.line, err.col,
                    err.msg);
        FZ_ASSERT(s == EV_OK);
        ev_buf_free(&r);
        cJSON_Delete(root);
    }
    return 0;
}
