/* fuzz_framework.c: framework mapping files (ev_framework_load, schema
 * evpack/framework@1), then the citation check against the bundled Artifact catalogue.
 * Checks: failures are input errors inside the file; a loaded framework finds each of its
 * controls by id, and every enum is in range. Seeds: tests/bad/framework-*, trimmed
 * bundled frameworks. */
#include <string.h>

#include "catalog/catalog.h"
#include "fuzz.h"

static ev_artifacts *artifacts;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ev_error err;
    if (!artifacts) {
        char path[4096];
        snprintf(path, sizeof path, "%s/frameworks/aws-artifacts.json", fz_source_dir());
        if (ev_artifacts_load(path, &artifacts, &err) != EV_OK)
            abort();
    }
    const char *path = fz_file("framework.json", data, size);
    ev_framework *fw = NULL;
    memset(&err, 0, sizeof err);
    ev_status s = ev_framework_load(path, &fw, &err);
    if (s != EV_OK) {
        FZ_ASSERT(fw == NULL);
        fz_check_error(s, &err, data, size, false);
        return 0;
    }
    FZ_ASSERT(fw->id && fw->n_controls > 0);
    for (size_t i = 0; i < fw->n_controls; i++) {
        const ev_control *c = &fw->controls[i];
        FZ_ASSERT(c->id && *c->id);
        FZ_ASSERT((unsigned)c->responsibility < EV_RESP_COUNT);
        FZ_ASSERT(ev_framework_index(fw, c->id) == (long)i);
        FZ_ASSERT(ev_framework_find(fw, c->id) == c);
        for (size_t k = 0; k < c->n_citations; k++)
            FZ_ASSERT(c->citations[k].report != NULL);
        for (size_t k = 0; k < c->n_checks; k++)
            FZ_ASSERT(c->checks[k] && strchr(c->checks[k], ':'));
    }
    memset(&err, 0, sizeof err);
    s = ev_framework_check_citations(fw, artifacts, &err);
    if (s != EV_OK)
        fz_check_error(s, &err, data, size, false);
    ev_framework_free(fw);
    return 0;
}
