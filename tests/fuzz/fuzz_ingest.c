/* fuzz_ingest.c: any findings file, format sniffed (ev_ingest_file): the byte sniffer,
 * the element sniffer and whichever reader they pick. Seeds: one of every format. */
#include "fuzz.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_ingest(data, size, EV_FORMAT_AUTO);
    return 0;
}
