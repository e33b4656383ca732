/* fuzz_pack.c: findings all the way to the report. The input is read as a findings file
 * (format sniffed), evaluated against the bundled PCI DSS framework with the sample
 * scope, manual evidence and exceptions, and rendered as pack.json (in memory) and
 * report.md (bundled templates). Checks: evaluation and rendering never fail on findings
 * the reader accepted; pack.json parses back; report.md is valid UTF-8 whose only control
 * character is the line feed, so no finding text can break the table it lands in. */
#include <string.h>

#include "evpack.h"
#include "fuzz.h"
#include "util/buf.h"
#include "util/utf8.h"

static ev_artifacts *artifacts;
static ev_services *services;
static ev_scope *scope;
static ev_framework *framework;
static ev_evidence *evidence;
static ev_exceptions *exceptions;
static char templates[4096];

static void load(void)
{
    char p[4096];
    ev_error err;
    const char *src = fz_source_dir();
#define LOAD(fn, rel, out)                                                                         \
    do {                                                                                           \
        snprintf(p, sizeof p, "%s/%s", src, rel);                                                  \
        if (fn(p, out, &err) != EV_OK) {                                                           \
            fprintf(stderr, "%s: %s\n", p, err.msg);                                               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)
    LOAD(ev_artifacts_load, "frameworks/aws-artifacts.json", &artifacts);
    LOAD(ev_services_load, "frameworks/aws-services.json", &services);
    LOAD(ev_scope_load, "samples/scope.json", &scope);
    LOAD(ev_framework_load, "frameworks/pci-dss-4.0.1.json", &framework);
    LOAD(ev_evidence_load, "samples/evidence.json", &evidence);
    LOAD(ev_exceptions_load, "samples/exceptions.json", &exceptions);
#undef LOAD
    snprintf(templates, sizeof templates, "%s/templates", src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!framework)
        load();
    const char *path = fz_file("findings", data, size);
    ev_store *st = NULL;
    ev_error err;
    memset(&err, 0, sizeof err);
    if (ev_store_new(fz_dir(), &st, &err) != EV_OK)
        abort();
    ev_source *src = ev_xcalloc(1, sizeof *src);
    ev_status s = ev_ingest_file(path, st, src, NULL, NULL, &err);
    if (s != EV_OK) {
        fz_check_error(s, &err, data, size, false);
        free(src);
        ev_store_free(st);
        return 0;
    }
    const ev_framework *fws[1] = {framework};
    const ev_evidence *evs[1] = {evidence};
    const ev_exceptions *xs[1] = {exceptions};
    ev_evaluate_input in = {.frameworks = fws,
                            .n_frameworks = 1,
                            .artifacts = artifacts,
                            .scope = scope,
                            .as_of = "2026-10-01",
                            .sources = src,
                            .n_sources = 1,
                            .services = services,
                            .evidence = evs,
                            .n_evidence = 1,
                            .exceptions = xs,
                            .n_exceptions = 1};
    ev_pack *pack = NULL;
    s = ev_evaluate(st, &in, &pack, &err);
    if (s != EV_OK)
        fprintf(stderr, "evaluate: %s\n", err.msg);
    FZ_ASSERT(s == EV_OK);

    cJSON *json = ev_pack_to_json(pack);
    char *text = cJSON_PrintUnformatted(json);
    FZ_ASSERT(text != NULL);
    cJSON *back = cJSON_Parse(text);
    FZ_ASSERT(back != NULL);
    cJSON_Delete(back);
    free(text);
    cJSON_Delete(json);

    const char *dirs[1] = {templates};
    const char *md = fz_path("report.md");
    char md_path[4096];
    snprintf(md_path, sizeof md_path, "%s", md);
    s = ev_render_md(pack, dirs, 1, md_path, &err);
    if (s != EV_OK)
        fprintf(stderr, "render: %s\n", err.msg);
    FZ_ASSERT(s == EV_OK);
    FILE *fp = fopen(md_path, "rb");
    FZ_ASSERT(fp != NULL);
    ev_buf b = EV_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(&b, chunk, n);
    fclose(fp);
    FZ_ASSERT(ev_utf8_valid(b.data ? b.data : "", b.len, NULL));
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.data[i];
        FZ_ASSERT(c == '\n' || (c >= 0x20 && c != 0x7f));
    }
    ev_buf_free(&b);
    ev_pack_free(pack);
    ev_store_free(st);
    return 0;
}
