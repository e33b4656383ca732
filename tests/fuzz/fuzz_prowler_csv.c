/* fuzz_prowler_csv.c: Prowler's finding CSV and per-framework compliance CSV (both forced
 * formats, each input read as both) through the whole ingest path: the CSV reader,
 * ev_prowler_csv_open/ev_prowler_csv_read, the finding store. */
#include "fuzz.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_ingest(data, size, EV_FORMAT_PROWLER_CSV);
    fz_ingest(data, size, EV_FORMAT_PROWLER_COMPLIANCE_CSV);
    return 0;
}
