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
