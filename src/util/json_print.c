/* json_print.c: cJSON's pretty printer indents with tabs and separates members with a tab;
 * a JSON string never holds a raw tab (it is escaped), so every tab is layout and can be
 * rewritten: at the start of a line as two spaces, elsewhere as one. */
#include "util/json_print.h"

#include <stdbool.h>
#include <stdlib.h>

#include "util/buf.h"

char *ev_json_print(const cJSON *v)
{
    char *text = cJSON_Print(v);
    if (!text)
        return NULL;
    ev_buf b = EV_BUF_INIT;
    bool line_start = true;
    for (const char *q = text; *q; q++) {
        if (*q == '\t') {
            ev_buf_put(&b, line_start ? "  " : " ", line_start ? 2 : 1);
            continue;
        }
        line_start = *q == '\n';
        ev_buf_putc(&b, *q);
    }
    ev_buf_putc(&b, '\n');
    free(text);
    return ev_buf_detach(&b);
}
