/* fields.h: typed member access for the catalog loaders. Each getter names what it
 * expected and where (file:line:col of the value, or of its object when missing). */
#ifndef EV_CATALOG_FIELDS_H
#define EV_CATALOG_FIELDS_H

#include <stdbool.h>

#include "util/json_doc.h"

/* The path from the document root to the object being read. */
typedef struct {
    const ev_json_doc *doc;
    ev_json_step steps[EV_JSON_DOC_MAX_DEPTH];
    size_t depth;
    ev_error *err;
} ev_fields;

void ev_fields_push_key(ev_fields *w, const char *key);
void ev_fields_push_index(ev_fields *w, size_t index);
void ev_fields_pop(ev_fields *w);

/* Fails at the current path plus key (NULL: the current path itself). */
ev_status ev_fields_fail(ev_fields *w, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A string member; absent gives NULL unless required (then an error). Empty strings are
 * an error when required. */
ev_status ev_fields_str(ev_fields *w, const cJSON *obj, const char *key, bool required, char **out);
/* An array of strings; absent gives an empty list unless required. */
ev_status ev_fields_strs(ev_fields *w, const cJSON *obj, const char *key, bool required,
                         char ***out, size_t *n);
/* A "YYYY-MM-DD" member; checked for an impossible date. */
ev_status ev_fields_date(ev_fields *w, const cJSON *obj, const char *key, bool required,
                         char **out);
/* An object member; absent gives NULL unless required. */
ev_status ev_fields_obj(ev_fields *w, const cJSON *obj, const char *key, bool required,
                        const cJSON **out);
/* An array member; absent gives NULL unless required. */
ev_status ev_fields_arr(ev_fields *w, const cJSON *obj, const char *key, bool required,
                        const cJSON **out);
/* Checks "schema" equals expected. */
ev_status ev_fields_schema(ev_fields *w, const cJSON *root, const char *expected);
/* Rejects members not in known (NULL-terminated), so typos never pass silently. */
ev_status ev_fields_known(ev_fields *w, const cJSON *obj, const char *const *known);

#endif
