/* fuzz_scope.c: scope files (ev_scope_load, schema evpack/scope@1), then the checks
 * against the bundled Artifact and service catalogues. Checks: failures are input errors
 * inside the file; a loaded scope has an organisation, a period in order, and finds each
 * edition it holds. */
#include <string.h>

#include "catalog/catalog.h"
#include "fuzz.h"

static ev_artifacts *artifacts;
static ev_services *services;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ev_error err;
    if (!artifacts) {
        char path[4096];
        snprintf(path, sizeof path, "%s/frameworks/aws-artifacts.json", fz_source_dir());
        if (ev_artifacts_load(path, &artifacts, &err) != EV_OK)
            abort();
        snprintf(path, sizeof path, "%s/frameworks/aws-services.json", fz_source_dir());
        if (ev_services_load(path, &services, &err) != EV_OK)
            abort();
    }
    const char *path = fz_file("scope.json", data, size);
    ev_scope *sc = NULL;
    memset(&err, 0, sizeof err);
    ev_status s = ev_scope_load(path, &sc, &err);
    if (s != EV_OK) {
        FZ_ASSERT(sc == NULL);
        fz_check_error(s, &err, data, size, false);
        return 0;
    }
    FZ_ASSERT(sc->organisation != NULL);
    if (sc->period_start && sc->period_end)
        FZ_ASSERT(strcmp(sc->period_start, sc->period_end) <= 0);
    for (size_t i = 0; i < sc->n_editions; i++)
        FZ_ASSERT(sc->editions[i].report && ev_scope_edition(sc, sc->editions[i].report));
    memset(&err, 0, sizeof err);
    s = ev_scope_check(sc, artifacts, &err);
    if (s != EV_OK)
        fz_check_error(s, &err, data, size, false);
    memset(&err, 0, sizeof err);
    s = ev_scope_check_services(sc, services, &err);
    if (s != EV_OK)
        fz_check_error(s, &err, data, size, false);
    ev_scope_free(sc);
    return 0;
}
