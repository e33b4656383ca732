/* fuzz_artifacts.c: AWS Artifact catalogues (ev_artifacts_load, schema
 * evpack/artifacts@1). Checks: failures are input errors inside the file; every report of
 * a loaded catalogue is found by its id and has a known freshness basis. */
#include <string.h>

#include "catalog/catalog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file("artifacts.json", data, size);
    ev_artifacts *a = NULL;
    ev_error err;
    memset(&err, 0, sizeof err);
    ev_status s = ev_artifacts_load(path, &a, &err);
    if (s != EV_OK) {
        FZ_ASSERT(a == NULL);
        fz_check_error(s, &err, data, size, false);
        return 0;
    }
    for (size_t i = 0; i < a->n_reports; i++) {
        const ev_report *r = &a->reports[i];
        FZ_ASSERT(r->id && ev_artifacts_find(a, r->id) != NULL);
        FZ_ASSERT(r->freshness_basis && (strcmp(r->freshness_basis, "period_end") == 0 ||
                                         strcmp(r->freshness_basis, "retrieved") == 0));
    }
    ev_artifacts_free(a);
    return 0;
}
