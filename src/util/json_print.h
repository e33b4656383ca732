/* json_print.h: evpack's one JSON layout (two-space indent, "key": value, a final newline),
 * for pack.json and every JSON the CLI prints, so all of them diff and read alike. */
#ifndef EV_JSON_PRINT_H
#define EV_JSON_PRINT_H

#include <cjson/cJSON.h>

/* Returns the text of v in evpack's layout; the caller frees it. NULL only if cJSON
 * cannot print (out of memory). */
char *ev_json_print(const cJSON *v);

#endif
