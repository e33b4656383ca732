/* fuzz_asff.c: Security Hub ASFF findings (forced format) through the whole ingest
 * path: splitter, ev_asff_read, the finding store. Seeds: tests/data/asff, samples. */
#include "fuzz.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_ingest(data, size, EV_FORMAT_ASFF);
    return 0;
}
