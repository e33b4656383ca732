/* fuzz_config.c: AWS Config evaluation results and rule compliance (forced format)
 * through the whole ingest path: splitter, ev_config_read, the finding store. */
#include "fuzz.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_ingest(data, size, EV_FORMAT_CONFIG);
    return 0;
}
