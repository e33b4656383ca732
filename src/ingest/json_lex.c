/* json_lex.c: strings, numbers and whitespace as the fast JSON paths read them. */
#include "ingest/json_lex.h"

#include <string.h>

#include "util/utf8.h"

const unsigned char *ev_lex_string(const unsigned char *p, const unsigned char *end, char *out,
                                   size_t *out_len)
{
    const unsigned char *q = p + 1;
    char *o = out;
    for (;;) {
        const unsigned char *r = ev_lex_run_end(q, end);
        if (out) {
            memcpy(o, q, (size_t)(r - q));
            o += r - q;
        }
        q = r;
        if (q == end || *q < 0x20)
            return NULL;
        if (*q == '"')
            break;
        /* a backslash */
        if (q + 1 == end)
            return NULL;
        if (q[1] == 'u') {
            char u[4];
            size_t ulen, used = ev_utf8_json_escape((const char *)q, (size_t)(end - q), u, &ulen);
            if (!used)
                return NULL; /* \u0000, a lone surrogate, a bad digit: cJSON's to judge */
            if (out) {
                memcpy(o, u, ulen);
                o += ulen;
            }
            q += used;
            continue;
        }
        char c;
        switch (q[1]) {
        case '"':
        case '\\':
        case '/':
            c = (char)q[1];
            break;
        case 'b':
            c = '\b';
            break;
        case 'f':
            c = '\f';
            break;
        case 'n':
            c = '\n';
            break;
        case 'r':
            c = '\r';
            break;
        case 't':
            c = '\t';
            break;
        default:
            return NULL;
        }
        if (out)
            *o++ = c;
        q += 2;
    }
    if (out)
        *out_len = (size_t)(o - out);
    return q + 1;
}

static const unsigned char *digits(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *from = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    return p > from ? p : NULL;
}

const unsigned char *ev_lex_number(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *start = p;
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (!(p = digits(p, end)))
        return NULL;
    if (p < end && *p == '.' && !(p = digits(p + 1, end)))
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!(p = digits(p, end)))
            return NULL;
    }
    return p - start <= 63 ? p : NULL;
}
