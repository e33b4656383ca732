/* fields.c: typed member access with file:line:col messages for the catalog loaders. */
#include "catalog/fields.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"

void ev_fields_push_key(ev_fields *w, const char *key)
{
    if (w->depth < EV_JSON_DOC_MAX_DEPTH)
        w->steps[w->depth] = (ev_json_step){key, 0};
    w->depth++;
}

void ev_fields_push_index(ev_fields *w, size_t index)
{
    if (w->depth < EV_JSON_DOC_MAX_DEPTH)
        w->steps[w->depth] = (ev_json_step){NULL, index};
    w->depth++;
}

void ev_fields_pop(ev_fields *w)
{
    if (w->depth)
        w->depth--;
}

static ev_status vfail(ev_fields *w, const char *key, const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = w->depth < EV_JSON_DOC_MAX_DEPTH ? w->depth : EV_JSON_DOC_MAX_DEPTH;
    ev_json_step path[EV_JSON_DOC_MAX_DEPTH + 1];
    memcpy(path, w->steps, n * sizeof *path);
    if (key)
        path[n++] = (ev_json_step){key, 0};
    return ev_json_doc_fail(w->doc, path, n, w->err, "%s", msg);
}

ev_status ev_fields_fail(ev_fields *w, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ev_status s = vfail(w, key, fmt, ap);
    va_end(ap);
    return s;
}

ev_status ev_fields_str(ev_fields *w, const cJSON *obj, const char *key, bool required, char **out)
{
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return ev_fields_fail(w, NULL, "missing \"%s\": expected a string", key);
        return EV_OK;
    }
    if (!cJSON_IsString(v))
        return ev_fields_fail(w, key, "\"%s\": expected a string", key);
    if (required && !v->valuestring[0])
        return ev_fields_fail(w, key, "\"%s\": expected a non-empty string", key);
    *out = ev_xstrdup(v->valuestring);
    return EV_OK;
}

ev_status ev_fields_strs(ev_fields *w, const cJSON *obj, const char *key, bool required,
                         char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return ev_fields_fail(w, NULL, "missing \"%s\": expected an array of strings", key);
        return EV_OK;
    }
    if (!cJSON_IsArray(v))
        return ev_fields_fail(w, key, "\"%s\": expected an array of strings", key);
    size_t count = (size_t)cJSON_GetArraySize(v);
    char **list = ev_xcalloc(count ? count : 1, sizeof *list);
    size_t i = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, v)
    {
        if (!cJSON_IsString(it) || !it->valuestring[0]) {
            ev_strv_free(list, i);
            ev_fields_push_key(w, key);
            ev_fields_push_index(w, i);
            ev_status s =
                ev_fields_fail(w, NULL, "\"%s\" item %zu: expected a non-empty string", key, i + 1);
            ev_fields_pop(w);
            ev_fields_pop(w);
            return s;
        }
        list[i++] = ev_xstrdup(it->valuestring);
    }
    *out = list;
    *n = i;
    return EV_OK;
}

ev_status ev_fields_date(ev_fields *w, const cJSON *obj, const char *key, bool required, char **out)
{
    ev_status s = ev_fields_str(w, obj, key, required, out);
    if (s != EV_OK || !*out)
        return s;
    int64_t t;
    if (!ev_date_parse(*out, &t)) {
        s = ev_fields_fail(w, key, "\"%s\": expected a real date as YYYY-MM-DD, found \"%s\"", key,
                           *out);
        free(*out);
        *out = NULL;
    }
    return s;
}

ev_status ev_fields_obj(ev_fields *w, const cJSON *obj, const char *key, bool required,
                        const cJSON **out)
{
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return ev_fields_fail(w, NULL, "missing \"%s\": expected an object", key);
        return EV_OK;
    }
    if (!cJSON_IsObject(v))
        return ev_fields_fail(w, key, "\"%s\": expected an object", key);
    *out = v;
    return EV_OK;
}

ev_status ev_fields_arr(ev_fields *w, const cJSON *obj, const char *key, bool required,
                        const cJSON **out)
{
    *out = NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return ev_fields_fail(w, NULL, "missing \"%s\": expected an array", key);
        return EV_OK;
    }
    if (!cJSON_IsArray(v))
        return ev_fields_fail(w, key, "\"%s\": expected an array", key);
    *out = v;
    return EV_OK;
}

ev_status ev_fields_schema(ev_fields *w, const cJSON *root, const char *expected)
{
    char *schema = NULL;
    ev_status s = ev_fields_str(w, root, "schema", true, &schema);
    if (s != EV_OK)
        return s;
    if (strcmp(schema, expected) != 0)
        s = ev_fields_fail(w, "schema", "\"schema\": expected \"%s\", found \"%s\"", expected,
                           schema);
    free(schema);
    return s;
}

ev_status ev_fields_known(ev_fields *w, const cJSON *obj, const char *const *known)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++)
            ok = strcmp(*k, it->string) == 0;
        if (!ok && it->string[0] != '_') /* "_comment" style members are allowed */
            return ev_fields_fail(w, it->string, "unknown member \"%s\"", it->string);
    }
    return EV_OK;
}
