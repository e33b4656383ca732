/* fuzz_json_print.c: any JSON cJSON parses is printed by ev_json_print and by the layout's
 * definition (cJSON_Print with every tab rewritten: two spaces at the start of a line, one
 * elsewhere, and a final newline); the two texts must be identical. Seeds: small JSON files
 * of the tree (corpus/json_print). */
#include <stdbool.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "util/buf.h"
#include "util/json_print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *v = cJSON_ParseWithLength((const char *)data, size);
    if (!v)
        return 0;
    char *text = cJSON_Print(v);
    char *got = ev_json_print(v);
    FZ_ASSERT(text && got);
    ev_buf want = EV_BUF_INIT;
    bool line_start = true;
    for (const char *q = text; *q; q++) {
        if (*q == '\t') {
            ev_buf_put(&want, line_start ? "  " : " ", line_start ? 2 : 1);
            continue;
        }
        line_start = *q == '\n';
        ev_buf_putc(&want, *q);
    }
    ev_buf_putc(&want, '\n');
    FZ_ASSERT(strcmp(want.data, got) == 0);
    ev_buf_free(&want);
    cJSON_free(text);
    free(got);
    cJSON_Delete(v);
    return 0;
}
