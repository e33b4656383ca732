/* json_locate.c: finds the line and column of a value inside a JSON text by walking it
 * with a small skipper, for error messages about documents cJSON has already parsed
 * (cJSON keeps no positions).
 *
 * The text is expected to be valid JSON (cJSON accepted it), so the walk only needs to
 * find token boundaries; it never allocates, is iterative (no recursion to guard), and
 * every access is bounds-checked so a malformed text ends the walk instead of reading
 * past the end. */
#include "util/json_locate.h"

#include <string.h>

typedef struct {
    const char *s;
    size_t len;
    size_t pos;
} cursor;

static void skip_ws(cursor *c)
{
    while (c->pos < c->len) {
        char ch = c->s[c->pos];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            break;
        c->pos++;
    }
}

/* Skips the string starting at c->pos (a '"'); leaves c->pos after the closing quote. */
static bool skip_string(cursor *c)
{
    c->pos++;
    while (c->pos < c->len) {
        const char *q = memchr(c->s + c->pos, '"', c->len - c->pos);
        if (!q)
            break;
        /* The quote is escaped when an odd number of backslashes precede it. */
        size_t at = (size_t)(q - c->s), n = 0;
        while (at - n > c->pos && c->s[at - n - 1] == '\\')
            n++;
        c->pos = at + 1;
        if (n % 2 == 0)
            return true;
    }
    c->pos = c->len;
    return false;
}

/* Skips one value starting at c->pos (after whitespace). Containers are skipped by
 * counting brackets outside strings, which is enough for valid JSON. */
static bool skip_value(cursor *c)
{
    if (c->pos >= c->len)
        return false;
    char ch = c->s[c->pos];
    if (ch == '"')
        return skip_string(c);
    if (ch != '{' && ch != '[') {
        while (c->pos < c->len) {
            ch = c->s[c->pos];
            if (ch == ',' || ch == '}' || ch == ']' || ch == ' ' || ch == '\t' || ch == '\n' ||
                ch == '\r')
                break;
            c->pos++;
        }
        return true;
    }
    size_t depth = 0;
    while (c->pos < c->len) {
        ch = c->s[c->pos];
        if (ch == '"') {
            if (!skip_string(c))
                return false;
            continue;
        }
        c->pos++;
        if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (--depth == 0)
                return true;
        }
    }
    return false;
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Reads 4 hex digits at s[i..]; -1 if they are not there. */
static long hex4(const char *s, size_t i, size_t end)
{
    if (end - i < 4)
        return -1;
    long v = 0;
    for (int k = 0; k < 4; k++) {
        int d = hex_digit(s[i + (size_t)k]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t utf8_encode(unsigned long cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Compares the raw member name s[from..to) (between the quotes, escapes undecoded) with
 * key, decoding escapes as cJSON would. */
static bool key_equals(const char *s, size_t from, size_t to, const char *key)
{
    const unsigned char *k = (const unsigned char *)key;
    size_t i = from;
    while (i < to) {
        unsigned char dec[4];
        size_t n = 1;
        if (s[i] != '\\') {
            dec[0] = (unsigned char)s[i++];
        } else {
            if (i + 1 >= to)
                return false;
            char e = s[i + 1];
            i += 2;
            switch (e) {
            case '"':
            case '\\':
            case '/':
                dec[0] = (unsigned char)e;
                break;
            case 'b':
                dec[0] = '\b';
                break;
            case 'f':
                dec[0] = '\f';
                break;
            case 'n':
                dec[0] = '\n';
                break;
            case 'r':
                dec[0] = '\r';
                break;
            case 't':
                dec[0] = '\t';
                break;
            case 'u': {
                long cp = hex4(s, i, to);
                if (cp < 0)
                    return false;
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && to - i >= 6 && s[i] == '\\' &&
                    s[i + 1] == 'u') {
                    long lo = hex4(s, i + 2, to);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                n = utf8_encode((unsigned long)cp, dec);
                break;
            }
            default:
                return false;
            }
        }
        for (size_t j = 0; j < n; j++, k++) {
            if (*k == '\0' || *k != dec[j])
                return false;
        }
    }
    return *k == '\0';
}

/* Moves c into the member named key of the object at c->pos; false if it has none. */
static bool enter_member(cursor *c, const char *key)
{
    c->pos++; /* '{' */
    for (;;) {
        skip_ws(c);
        if (c->pos >= c->len || c->s[c->pos] != '"')
            return false; /* '}' or malformed */
        size_t name_from = c->pos + 1;
        if (!skip_string(c))
            return false;
        size_t name_to = c->pos - 1;
        skip_ws(c);
        if (c->pos >= c->len || c->s[c->pos] != ':')
            return false;
        c->pos++;
        skip_ws(c);
        if (key_equals(c->s, name_from, name_to, key))
            return c->pos < c->len;
        if (!skip_value(c))
            return false;
        skip_ws(c);
        if (c->pos >= c->len || c->s[c->pos] != ',')
            return false;
        c->pos++;
    }
}

/* Moves c to element index of the array at c->pos; false if it is shorter. */
static bool enter_element(cursor *c, size_t index)
{
    c->pos++; /* '[' */
    skip_ws(c);
    if (c->pos >= c->len || c->s[c->pos] == ']')
        return false;
    for (size_t i = 0; i < index; i++) {
        if (!skip_value(c))
            return false;
        skip_ws(c);
        if (c->pos >= c->len || c->s[c->pos] != ',')
            return false;
        c->pos++;
        skip_ws(c);
    }
    return c->pos < c->len;
}

bool ev_json_locate(const char *text, size_t len, const ev_json_step *path, size_t n, long *line,
                    long *col)
{
    cursor c = {text, len, 0};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c.pos = 3; /* a BOM (json_doc accepts one); columns still count its bytes */
    skip_ws(&c);
    size_t found = c.pos < len ? c.pos : 0; /* start of the deepest value reached */
    bool ok = c.pos < len;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = text[c.pos];
        if (path[i].key)
            ok = ch == '{' && enter_member(&c, path[i].key);
        else
            ok = ch == '[' && enter_element(&c, path[i].index);
        if (ok)
            found = c.pos;
    }
    ev_json_offset_position(text, found, line, col);
    return ok;
}

size_t ev_json_locate_elements(const char *text, size_t len, const ev_json_step *path, size_t n,
                               size_t max, long *lines, long *cols)
{
    cursor c = {text, len, 0};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        c.pos = 3;
    skip_ws(&c);
    bool ok = c.pos < len;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = text[c.pos];
        ok = path[i].key ? ch == '{' && enter_member(&c, path[i].key)
                         : ch == '[' && enter_element(&c, path[i].index);
    }
    if (!ok || text[c.pos] != '[' || !enter_element(&c, 0))
        return 0;
    /* one walk over the array, counting lines as it goes */
    long line = 1;
    size_t line_start = 0, counted = 0, found = 0;
    for (;;) {
        const char *nl;
        while ((nl = memchr(text + counted, '\n', c.pos - counted)) != NULL) {
            line++;
            counted = line_start = (size_t)(nl - text) + 1;
        }
        counted = c.pos;
        if (found < max) {
            lines[found] = line;
            cols[found] = (long)(c.pos - line_start) + 1;
        }
        found++;
        if (!skip_value(&c))
            return found;
        skip_ws(&c);
        if (c.pos >= c.len || text[c.pos] != ',')
            return found;
        c.pos++;
        skip_ws(&c);
        if (c.pos >= c.len)
            return found;
    }
}

/* One pass over text[0..end) outside strings: the last significant byte, the depth, and
 * the bracket that opened the innermost container at depth want (0: not tracked). */
static bool scan_context(const char *text, size_t end, size_t want, char *last, size_t *depth,
                         char *inner)
{
    bool in_str = false, esc = false;
    *last = '\0';
    *depth = 0;
    for (size_t i = 0; i < end; i++) {
        char ch = text[i];
        if (in_str) {
            if (esc)
                esc = false;
            else if (ch == '\\')
                esc = true;
            else if (ch == '"')
                in_str = false;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
            continue;
        *last = ch;
        if (ch == '"') {
            in_str = true;
        } else if (ch == '{' || ch == '[') {
            if (++*depth == want)
                *inner = ch;
        } else if ((ch == '}' || ch == ']') && *depth) {
            --*depth;
        }
    }
    return !in_str;
}

size_t ev_json_error_offset(const char *text, size_t len, size_t off)
{
    if (off == 0 || off > len)
        return off;
    size_t at = off - 1;
    char ch = text[at];
    if (ch == '"' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
        return off;
    char last, inner = '\0';
    size_t depth;
    if (!scan_context(text, at, 0, &last, &depth, &inner))
        return off; /* text[at] is inside a string */
    if (last == '{')
        return at;
    if (last == ',' && depth) {
        scan_context(text, at, depth, &last, &depth, &inner);
        if (inner == '{')
            return at;
    }
    return off;
}

void ev_json_offset_position(const char *text, size_t offset, long *line, long *col)
{
    long l = 1;
    size_t line_start = 0;
    const char *p = text;
    const char *end = text + offset;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        l++;
        p++;
        line_start = (size_t)(p - text);
    }
    *line = l;
    *col = (long)(offset - line_start) + 1;
}
