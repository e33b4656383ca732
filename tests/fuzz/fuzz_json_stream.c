/* fuzz_json_stream.c: the streaming splitter (ev_json_stream) alone, over a stdio stream
 * of the input. Checks its promises: every element is NUL-terminated with no NUL inside,
 * numbered in order, positioned inside the input; errors carry a position inside the
 * input and are sticky. And a differential check against cJSON: when cJSON accepts the
 * whole input as an array, the splitter must accept it too and return the same elements,
 * each parsing to the same value. */
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "ingest/json_stream.h"

/* cJSON's view of the input: the root value when the whole input is one JSON value with
 * nothing after it. cJSON takes every byte below 0x20 as whitespace and raw control
 * characters inside strings, which JSON does not allow; inputs holding any control byte
 * other than TAB, LF and CR are left out of the comparison. */
static cJSON *parse_whole(const uint8_t *data, size_t size)
{
    if (size == 0)
        return NULL;
    for (size_t i = 0; i < size; i++)
        if (data[i] < 0x20 && data[i] != '\t' && data[i] != '\n' && data[i] != '\r')
            return NULL;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts((const char *)data, size, &end, 0);
    if (!root)
        return NULL;
    const char *stop = (const char *)data + size;
    while (end && end < stop && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
        end++;
    if (end != stop) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* Same value: cJSON_Compare, except that numbers compare exactly (cJSON_Compare finds an
 * overflowed number, inf, unequal to itself). */
static bool same(const cJSON *a, const cJSON *b)
{
    if ((a->type & 0xff) != (b->type & 0xff))
        return false;
    if (cJSON_IsNumber(a))
        return a->valuedouble == b->valuedouble;
    if (cJSON_IsString(a))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsArray(a) || cJSON_IsObject(a)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if ((cJSON_IsObject(a) && strcmp(x->string, y->string) != 0) || !same(x, y))
                return false;
        return !x && !y;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *whole = parse_whole(data, size);
    const cJSON *expect = cJSON_IsArray(whole) ? whole->child : NULL;
    bool differential = cJSON_IsArray(whole);

    FILE *fp = fz_fopen(data, size);
    ev_json_stream *js = ev_json_stream_new(fp, "input.json");
    size_t n = 0;
    ev_status rc;
    ev_error err;
    for (;;) {
        ev_json_element el;
        int has = -1;
        memset(&err, 0, sizeof err);
        rc = ev_json_stream_next(js, &el, &has, &err);
        if (rc != EV_OK) {
            FZ_ASSERT(has == 0);
            break;
        }
        if (!has)
            break;
        FZ_ASSERT(el.index == n);
        FZ_ASSERT(el.len > 0);
        FZ_ASSERT(strlen(el.text) == el.len);
        FZ_ASSERT(el.line >= 1 && el.col >= 1);
        /* the element's bytes are in the input, at its line and column */
        FZ_ASSERT(el.len <= size);
        FZ_ASSERT(ev_json_stream_offset(js) <= size);
        if (differential) {
            FZ_ASSERT(expect != NULL); /* the splitter found more elements than cJSON */
            cJSON *got = cJSON_ParseWithLength(el.text, el.len);
            FZ_ASSERT(got != NULL);
            FZ_ASSERT(same(got, expect));
            cJSON_Delete(got);
            expect = expect->next;
        }
        n++;
    }
    if (rc != EV_OK) {
        FZ_ASSERT(rc == EV_ERR_INPUT);
        fz_check_error(rc, &err, data, size, false);
        /* errors are sticky */
        ev_json_element el;
        int has = -1;
        ev_error again;
        FZ_ASSERT(ev_json_stream_next(js, &el, &has, &again) == rc && has == 0);
        FZ_ASSERT(again.line == err.line && again.col == err.col);
        /* cJSON accepted the whole array: the splitter must not refuse it, unless it is
         * nested deeper than the splitter's documented limit (cJSON's own is lower). */
        FZ_ASSERT(!differential);
    } else {
        FZ_ASSERT(ev_json_stream_offset(js) == size);
        if (differential)
            FZ_ASSERT(expect == NULL); /* the splitter found fewer elements than cJSON */
    }
    ev_json_stream_free(js);
    fz_fclose(fp);
    cJSON_Delete(whole);
    return 0;
}
