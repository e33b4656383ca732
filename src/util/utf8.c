/* utf8.c: strict UTF-8 decoding (RFC 3629). */
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

#include "util/buf.h"

size_t ev_utf8_decode(const char *str, size_t len, unsigned *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2, min = 0x80, c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, min = 0x800, c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, min = 0x10000, c &= 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

bool ev_utf8_valid(const char *s, size_t len, size_t *bad_offset)
{
    size_t i = 0;
    while (i < len) {
        /* findings are mostly ASCII: skip it eight bytes at a time */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        unsigned cp;
        size_t n = ev_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            if (bad_offset)
                *bad_offset = i;
            return false;
        }
        i += n;
    }
    return true;
}

char *ev_utf8_sanitize(const char *s, size_t len, size_t *replaced)
{
    ev_buf b = EV_BUF_INIT;
    size_t count = 0;
    size_t i = 0;
    ev_buf_reserve(&b, len);
    while (i < len) {
        unsigned cp;
        size_t n = ev_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            ev_buf_put(&b, "\xEF\xBF\xBD", 3);
            count++;
            i++;
        } else {
            ev_buf_put(&b, s + i, n);
            i += n;
        }
    }
    if (replaced)
        *replaced = count;
    return ev_buf_detach(&b);
}

/* Four hex digits at s, or -1. */
static long hex4(const char *s)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

size_t ev_utf8_json_escape(const char *s, size_t len, char out[4], size_t *out_len)
{
    if (len < 6 || s[0] != '\\' || s[1] != 'u')
        return 0;
    long first = hex4(s + 2);
    if (first <= 0 || (first >= 0xDC00 && first <= 0xDFFF))
        return 0;
    unsigned long cp = (unsigned long)first;
    size_t used = 6;
    if (first >= 0xD800 && first <= 0xDBFF) {
        if (len < 12 || s[6] != '\\' || s[7] != 'u')
            return 0;
        long second = hex4(s + 8);
        if (second < 0xDC00 || second > 0xDFFF)
            return 0;
        cp = 0x10000 + (((unsigned long)first & 0x3FF) << 10 | ((unsigned long)second & 0x3FF));
        used = 12;
    }
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        *out_len = 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        *out_len = 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        *out_len = 3;
    } else {
        o[0] = (unsigned char)(0xF0 | (cp >> 18));
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (unsigned char)(0x80 | (cp & 0x3F));
        *out_len = 4;
    }
    return used;
}
