/* fuzz_exceptions.c: risk acceptance files (ev_exceptions_load, schema
 * evpack/exceptions@1). Checks: failures are input errors inside the file; a loaded
 * exception has an approver, an approval no later than its expiry, and covers something;
 * its resource pattern is then matched against a few resource ids. */
#include <string.h>

#include "catalog/catalog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file("exceptions.json", data, size);
    ev_exceptions *x = NULL;
    ev_error err;
    memset(&err, 0, sizeof err);
    ev_status s = ev_exceptions_load(path, &x, &err);
    if (s != EV_OK) {
        FZ_ASSERT(x == NULL);
        fz_check_error(s, &err, data, size, false);
        return 0;
    }
    static const char *const ids[] = {
        "", "arn:aws:s3:::bucket", "arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc",
        "AWS::::Account:111122223333",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    for (size_t i = 0; i < x->n_items; i++) {
        const ev_exception *e = &x->items[i];
        FZ_ASSERT(e->id && e->approver && e->approved && e->expires);
        FZ_ASSERT(strcmp(e->approved, e->expires) <= 0);
        FZ_ASSERT(e->control || e->check || e->finding || e->resource);
        if (e->resource)
            for (size_t k = 0; k < sizeof ids / sizeof *ids; k++)
                (void)ev_glob_match(e->resource, ids[k]);
    }
    ev_exceptions_free(x);
    return 0;
}
