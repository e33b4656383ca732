/* fuzz_asff_scan.c: one finding element through the tree-free ASFF scan and through cJSON +
 * ev_asff_read. The scan may decline any input; when it takes one, cJSON must accept it
 * too, both must map it to the same record bytes, or both must reject it. Seeds: single
 * findings from the samples and test data (corpus/asff_scan). */
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "ingest/asff.h"
#include "ingest/ingest.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the ingest stage checks UTF-8 before scanning, and hands over NUL-terminated text */
    if (!ev_utf8_valid((const char *)data, size, NULL) || memchr(data, 0, size))
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';

    ev_asff_scanner sc = {0};
    ev_asff_fields fields;
    if (ev_asff_scan(text, size, &sc, &fields)) {
        const char *end = NULL;
        cJSON *obj = cJSON_ParseWithLengthOpts(text, size, &end, 0);
        FZ_ASSERT(obj != NULL);
        ev_json_element el = {text, size, 1, 1, 0};
        ev_finding slow;
        ev_error err;
        ev_status slow_rc = ev_asff_read(obj, &el, "f.json", &slow, &err);
        ev_finding view;
        ev_buf check = EV_BUF_INIT;
        int bad = -1;
        ev_status rc = ev_asff_map(&fields, "f.json", 1, 1, &view, &check, &bad);
        FZ_ASSERT((rc == EV_OK) == (slow_rc == EV_OK));
        if (rc == EV_OK) {
            ev_buf a = EV_BUF_INIT, b = EV_BUF_INIT;
            ev_store_key ka, kb;
            ev_store_encode(&view, &a, &ka);
            ev_store_encode(&slow, &b, &kb);
            FZ_ASSERT(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
            FZ_ASSERT(ka.h1 == kb.h1 && ka.h2 == kb.h2 && ka.updated == kb.updated);
            ev_buf_free(&a);
            ev_buf_free(&b);
        }
        ev_finding_clear(&slow);
        ev_buf_free(&check);
        cJSON_Delete(obj);
    }
    ev_asff_scanner_free(&sc);
    free(text);
    return 0;
}
