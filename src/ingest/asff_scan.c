/* asff_scan.c: reads the members the ASFF reader needs straight from a finding's JSON
 * text, in one pass and without building a tree. A Security Hub finding is ~1.7 KB of
 * which the reader keeps ~20 members; building a cJSON tree of all of it, then looking
 * each member up by name, was most of the ingest time at scale. The scan validates every
 * byte with the same strict rules as the ingest stage's fast parser and gives up (returns
 * false) on anything outside them (\u escapes are decoded as cJSON does when they make
 * valid UTF-8), so cJSON and ev_asff_read still decide every unusual
 * or malformed element, with their exact messages. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ingest/asff.h"
#include "util/utf8.h"

#define SCAN_DEPTH 512 /* as the fast parser: cJSON's own limit is 1000 */

typedef struct {
    const unsigned char *p, *end;
    int depth;
    char *out; /* where the next unescaped string goes (room for the whole element) */
    ev_asff_scanner *sc;
    ev_asff_fields *f;
} scan;

/* Bytes that end a plain run inside a string: '"', '\\' and control characters. */
static const unsigned char str_stop[256] = {
    [0] = 1,  [1] = 1,  [2] = 1,  [3] = 1,  [4] = 1,  [5] = 1,   [6] = 1,   [7] = 1,  [8] = 1,
    [9] = 1,  [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1,  [15] = 1,  [16] = 1, [17] = 1,
    [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1,  [24] = 1,  [25] = 1, [26] = 1,
    [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1, ['"'] = 1, ['\\'] = 1};

static void ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}

/* The end of a plain run of string bytes from q (the first stop byte, or end). */
static const unsigned char *run_end(const unsigned char *q, const unsigned char *end)
{
#ifdef __SSE2__
    /* sixteen bytes at a time: '"', '\\' or a byte <= 0x1f (unsigned) ends the run */
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  ctl = _mm_set1_epi8(0x1f);
    while (end - q >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
        __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                         _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask)
            return q + __builtin_ctz(mask);
        q += 16;
    }
#endif
    while (end - q >= 4) {
        if (str_stop[q[0]])
            return q;
        if (str_stop[q[1]])
            return q + 1;
        if (str_stop[q[2]])
            return q + 2;
        if (str_stop[q[3]])
            return q + 3;
        q += 4;
    }
    while (q < end && !str_stop[*q])
        q++;
    return q;
}

/* Validates the string at s->p (the opening quote) and, when out is not NULL, writes it
 * unescaped and NUL-terminated at s->out. False when it is not plain. */
static bool string(scan *s, const char **out)
{
    const unsigned char *q = s->p + 1;
    char *o = s->out;
    for (;;) {
        const unsigned char *r = run_end(q, s->end);
        if (out) {
            memcpy(o, q, (size_t)(r - q));
            o += r - q;
        }
        q = r;
        if (q == s->end || *q < 0x20)
            return false;
        if (*q == '"')
            break;
        /* a backslash: the two-character escapes, and \u escapes that decode to valid
         * UTF-8 (cJSON decides \u0000, lone surrogates and bad digits) */
        if (q + 1 == s->end)
            return false;
        if (q[1] == 'u') {
            char u[4];
            size_t ulen,
                used = ev_utf8_json_escape((const char *)q, (size_t)(s->end - q), u, &ulen);
            if (!used)
                return false;
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
            return false;
        }
        if (out)
            *o++ = c;
        q += 2;
    }
    if (out) {
        *o++ = '\0';
        *out = s->out;
        s->out = o;
    }
    s->p = q + 1;
    return true;
}

static bool digits(scan *s)
{
    const unsigned char *from = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    return s->p > from;
}

static bool number(scan *s)
{
    const unsigned char *start = s->p;
    if (*s->p == '-')
        s->p++;
    if (s->p < s->end && *s->p == '0')
        s->p++;
    else if (!digits(s))
        return false;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (!digits(s))
            return false;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (!digits(s))
            return false;
    }
    return s->p - start <= 63; /* cJSON reads at most 63 characters of a number */
}

static bool literal(scan *s, const char *word, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return false;
    s->p += n;
    return true;
}

static bool value(scan *s);

/* After a member or element: true with *more set at ',', false at anything but close. */
static bool next_item(scan *s, unsigned char close, bool *more)
{
    ws(s);
    if (s->p == s->end)
        return false;
    if (*s->p == ',') {
        s->p++;
        ws(s);
        *more = true;
        return true;
    }
    if (*s->p != close)
        return false;
    s->p++;
    *more = false;
    return true;
}

/* Opens a container at s->p; *empty when it closes at once. */
static bool open(scan *s, unsigned char close, bool *empty)
{
    if (++s->depth > SCAN_DEPTH)
        return false;
    s->p++;
    ws(s);
    *empty = s->p < s->end && *s->p == close;
    if (*empty) {
        s->p++;
        s->depth--;
    }
    return true;
}

/* A member name at s->p: plain (no escapes) and not a control character. */
static bool key(scan *s, const unsigned char **k, size_t *len)
{
    if (s->p == s->end || *s->p != '"')
        return false;
    const unsigned char *q = run_end(s->p + 1, s->end);
    if (q == s->end || *q != '"')
        return false;
    *k = s->p + 1;
    *len = (size_t)(q - *k);
    s->p = q + 1;
    ws(s);
    if (s->p == s->end || *s->p != ':')
        return false;
    s->p++;
    ws(s);
    return true;
}

/* Skips a container, checking it. */
static bool skip_container(scan *s, bool object)
{
    unsigned char close = object ? '}' : ']';
    bool empty, more = true;
    if (!open(s, close, &empty))
        return false;
    if (empty)
        return true;
    while (more) {
        const unsigned char *k;
        size_t klen;
        if (object && !key(s, &k, &klen))
            return false;
        if (!value(s) || !next_item(s, close, &more))
            return false;
    }
    s->depth--;
    return true;
}

/* Skips any value, checking it. */
static bool value(scan *s)
{
    if (s->p == s->end)
        return false;
    switch (*s->p) {
    case '{':
        return skip_container(s, true);
    case '[':
        return skip_container(s, false);
    case '"':
        return string(s, NULL);
    case 't':
        return literal(s, "true", 4);
    case 'f':
        return literal(s, "false", 5);
    case 'n':
        return literal(s, "null", 4);
    default:
        return (*s->p == '-' || (*s->p >= '0' && *s->p <= '9')) && number(s);
    }
}

/* A string field: its kind and text. */
static bool str_field(scan *s, ev_asff_value *v)
{
    if (*s->p == '"') {
        v->kind = EV_ASFF_STRING;
        return string(s, &v->s);
    }
    if (*s->p == 'n') {
        v->kind = EV_ASFF_NULL;
        return literal(s, "null", 4);
    }
    v->kind = EV_ASFF_OTHER;
    return value(s);
}

static void add_req(scan *s, const char *r)
{
    ev_asff_scanner *sc = s->sc;
    if (s->f->n_reqs == sc->reqs_cap) {
        sc->reqs_cap = sc->reqs_cap ? 2 * sc->reqs_cap : 16;
        sc->reqs = ev_xrealloc(sc->reqs, sc->reqs_cap * sizeof *sc->reqs);
    }
    sc->reqs[s->f->n_reqs++] = r;
}

/* RelatedRequirements: null, an array of strings, or (anything else) bad. */
static bool reqs_field(scan *s)
{
    if (*s->p == 'n' && literal(s, "null", 4))
        return true;
    if (*s->p != '[') {
        s->f->related = EV_ASFF_RELATED_BAD;
        return value(s);
    }
    s->f->related = EV_ASFF_RELATED_OK;
    bool empty, more = true;
    if (!open(s, ']', &empty))
        return false;
    if (empty)
        return true;
    while (more) {
        if (s->p < s->end && *s->p == '"') {
            const char *r;
            if (!string(s, &r))
                return false;
            add_req(s, r);
        } else {
            s->f->related = EV_ASFF_RELATED_BAD;
            if (!value(s))
                return false;
        }
        if (!next_item(s, ']', &more))
            return false;
    }
    s->depth--;
    return true;
}

static bool object(scan *s, const ev_asff_rule *rules, size_t n_rules);

/* Resources: the first element's members, when it is an object; the rest skipped. */
static bool first_object(scan *s, const ev_asff_rule *r)
{
    bool empty, more = true, first = true;
    if (!open(s, ']', &empty))
        return false;
    if (empty)
        return true;
    while (more) {
        if (first && s->p < s->end && *s->p == '{') {
            s->f->has |= r->target;
            if (!object(s, r->members, r->n_members))
                return false;
        } else if (!value(s)) {
            return false;
        }
        first = false;
        if (!next_item(s, ']', &more))
            return false;
    }
    s->depth--;
    return true;
}

/* The value of a member that has rule r (the first member of that name). */
static bool ruled_value(scan *s, const ev_asff_rule *r)
{
    if (s->p == s->end)
        return false;
    switch (r->type) {
    case EV_ASFF_STR:
        return str_field(s, &s->f->v[r->target]);
    case EV_ASFF_OBJ:
        if (*s->p != '{')
            return value(s);
        s->f->has |= r->target;
        return object(s, r->members, r->n_members);
    case EV_ASFF_FIRST_OBJ:
        if (*s->p != '[')
            return value(s);
        return first_object(s, r);
    default:
        return reqs_field(s);
    }
}

/* Whether member name k (klen bytes) is rule key r: names are short, so a byte loop
 * beats a call to memcmp. */
static bool same_key(const char *r, const unsigned char *k, size_t klen)
{
    for (size_t i = 1; i < klen; i++)
        if ((unsigned char)r[i] != k[i])
            return false;
    return true;
}

/* An object at s->p whose members may have rules; only the first member of a name counts,
 * as with cJSON's lookup. */
static bool object(scan *s, const ev_asff_rule *rules, size_t n_rules)
{
    bool empty, more = true;
    uint32_t seen = 0;
    if (!open(s, '}', &empty))
        return false;
    if (empty)
        return true;
    while (more) {
        const unsigned char *k;
        size_t klen;
        if (!key(s, &k, &klen))
            return false;
        const ev_asff_rule *r = NULL;
        for (size_t i = 0; i < n_rules; i++)
            if (rules[i].len == klen && (unsigned char)rules[i].key[0] == k[0] &&
                !(seen & (1u << i)) && same_key(rules[i].key, k, klen)) {
                r = &rules[i];
                seen |= 1u << i;
                break;
            }
        if (!(r ? ruled_value(s, r) : value(s)) || !next_item(s, '}', &more))
            return false;
    }
    s->depth--;
    return true;
}

void ev_asff_scanner_free(ev_asff_scanner *sc)
{
    ev_buf_free(&sc->text);
    free(sc->reqs);
    memset(sc, 0, sizeof *sc);
}

bool ev_asff_scan(const char *text, size_t len, ev_asff_scanner *sc, ev_asff_fields *out)
{
    memset(out, 0, sizeof *out);
    /* unescaped strings are never longer than their quoted form */
    ev_buf_clear(&sc->text);
    ev_buf_reserve(&sc->text, len + 1);
    scan s = {
        (const unsigned char *)text, (const unsigned char *)text + len, 0, sc->text.data, sc, out};
    ws(&s);
    if (s.p == s.end || *s.p != '{' ||
        !object(&s, ev_asff_finding.members, ev_asff_finding.n_members))
        return false;
    ws(&s);
    if (s.p != s.end)
        return false;
    out->reqs = sc->reqs;
    return true;
}
