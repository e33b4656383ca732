/* json_print.c: evpack's JSON layout, printed straight from a cJSON tree. It is the layout
 * of cJSON_Print with every tab rewritten (indentation as two spaces, the tab after a
 * member name as one space), and the same string escaping and number text; printing
 * directly avoids cJSON's intermediate text and the rewrite pass, which were most of the
 * time spent writing a large pack.json. */
#include "util/json_print.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* Bytes a JSON string cannot hold raw: '"', '\\' and control characters. */
static bool needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

/* A string as cJSON prints it (NULL as ""): two-character escapes where JSON has them,
 * \u00xx for other control characters, every other byte as it is. */
static void put_string(ev_buf *b, const char *s)
{
    ev_buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (;;) {
        const unsigned char *run = p;
        while (*p && !needs_escape(*p))
            p++;
        ev_buf_put(b, run, (size_t)(p - run));
        if (!*p)
            break;
        switch (*p) {
        case '"':
            ev_buf_put(b, "\\\"", 2);
            break;
        case '\\':
            ev_buf_put(b, "\\\\", 2);
            break;
        case '\b':
            ev_buf_put(b, "\\b", 2);
            break;
        case '\f':
            ev_buf_put(b, "\\f", 2);
            break;
        case '\n':
            ev_buf_put(b, "\\n", 2);
            break;
        case '\r':
            ev_buf_put(b, "\\r", 2);
            break;
        case '\t':
            ev_buf_put(b, "\\t", 2);
            break;
        default:
            ev_buf_printf(b, "\\u%04x", *p);
            break;
        }
        p++;
    }
    ev_buf_putc(b, '"');
}

/* A number as cJSON prints it ("%1.15g", which for an int is its decimal digits):
 * integers through valueint; anything else (fractions, huge values, -0, NaN) by cJSON
 * itself, so the digits always match. */
static bool put_number(ev_buf *b, const cJSON *v)
{
    if (v->valuedouble == (double)v->valueint && !signbit(v->valuedouble)) {
        ev_buf_printf(b, "%d", v->valueint);
        return true;
    }
    char *text = cJSON_PrintUnformatted(v);
    if (!text)
        return false;
    ev_buf_puts(b, text);
    cJSON_free(text);
    return true;
}

static void indent(ev_buf *b, size_t depth)
{
    static const char spaces[] = "                                ";
    size_t n = 2 * depth;
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        ev_buf_put(b, spaces, k);
        n -= k;
    }
}

static bool put_value(ev_buf *b, const cJSON *v, size_t depth)
{
    switch (v->type & 0xFF) {
    case cJSON_NULL:
        ev_buf_put(b, "null", 4);
        return true;
    case cJSON_False:
        ev_buf_put(b, "false", 5);
        return true;
    case cJSON_True:
        ev_buf_put(b, "true", 4);
        return true;
    case cJSON_Number:
        return put_number(b, v);
    case cJSON_Raw:
        if (!v->valuestring)
            return false;
        ev_buf_puts(b, v->valuestring);
        return true;
    case cJSON_String:
        put_string(b, v->valuestring);
        return true;
    case cJSON_Array:
        /* arrays stay on one line: [a, b, c] */
        ev_buf_putc(b, '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            if (!put_value(b, c, depth + 1))
                return false;
            if (c->next)
                ev_buf_put(b, ", ", 2);
        }
        ev_buf_putc(b, ']');
        return true;
    case cJSON_Object:
        ev_buf_put(b, "{\n", 2);
        for (const cJSON *c = v->child; c; c = c->next) {
            indent(b, depth + 1);
            put_string(b, c->string);
            ev_buf_put(b, ": ", 2);
            if (!put_value(b, c, depth + 1))
                return false;
            if (c->next)
                ev_buf_putc(b, ',');
            ev_buf_putc(b, '\n');
        }
        indent(b, depth);
        ev_buf_putc(b, '}');
        return true;
    default:
        return false;
    }
}

char *ev_json_print(const cJSON *v)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_reserve(&b, 4096);
    if (!v || !put_value(&b, v, 0)) {
        ev_buf_free(&b);
        return NULL;
    }
    ev_buf_putc(&b, '\n');
    return ev_buf_detach(&b);
}
