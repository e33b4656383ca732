/* fuzz_services.c: service catalogues (ev_services_load, schema evpack/services@1).
 * Checks: failures are input errors inside the file; a loaded catalogue finds each
 * service by id and by each of its resource types, with an owner in range per domain. */
#include <string.h>

#include "catalog/catalog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file("services.json", data, size);
    ev_services *sv = NULL;
    ev_error err;
    memset(&err, 0, sizeof err);
    ev_status s = ev_services_load(path, &sv, &err);
    if (s != EV_OK) {
        FZ_ASSERT(sv == NULL);
        fz_check_error(s, &err, data, size, false);
        return 0;
    }
    for (size_t i = 0; i < sv->n_services; i++) {
        const ev_service *svc = &sv->services[i];
        FZ_ASSERT(svc->id && ev_services_find(sv, svc->id) != NULL);
        for (size_t k = 0; k < svc->n_resource_types; k++)
            FZ_ASSERT(ev_services_by_resource_type(sv, svc->resource_types[k]) != NULL);
        for (size_t d = 0; d < sv->n_domains; d++)
            FZ_ASSERT((unsigned)svc->owners[d] < EV_OWNER_COUNT);
    }
    ev_services_free(sv);
    return 0;
}
