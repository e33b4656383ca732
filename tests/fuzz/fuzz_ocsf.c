/* fuzz_ocsf.c: OCSF compliance findings (forced format) through the whole ingest
 * path: splitter, ev_ocsf_read, the finding store. */
#include "fuzz.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_ingest(data, size, EV_FORMAT_OCSF);
    return 0;
}
