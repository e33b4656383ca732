/* json_lex.h: the strict lexical rules of the ingest stage's fast JSON paths (the fast
 * parser in ingest.c and the tree-free ASFF scan in asff_scan.c). They accept only text
 * that cJSON reads the same way; on anything else they give up and cJSON decides, with its
 * own messages. Internal to the ingest stage. */
#ifndef EV_JSON_LEX_H
#define EV_JSON_LEX_H

#include <stddef.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* How deep the fast paths go (cJSON's own limit is 1000). */
#define EV_LEX_MAX_DEPTH 512

/* The first byte at or after p that is not JSON whitespace (or end). Inline: it runs
 * between every two tokens. */
static inline const unsigned char *ev_lex_ws(const unsigned char *p, const unsigned char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

/* The end of a plain run of string bytes from p: the first '"', '\\' or control byte
 * (<= 0x1f), or end. Inline, sixteen bytes at a time with SSE2: most of a finding's bytes
 * are string contents. */
static inline const unsigned char *ev_lex_run_end(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
                  ctl = _mm_set1_epi8(0x1f);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                         _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v)); /* v <= 0x1f, unsigned */
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask)
            return p + __builtin_ctz(mask);
        p += 16;
    }
#endif
    while (p < end && *p != '"' && *p != '\\' && *p >= 0x20)
        p++;
    return p;
}

/* After a member or element of a container closed by close: skips whitespace and the ','
 * (and the whitespace after it, *more = true) or the closing bracket (*more = false).
 * Returns where the next item or value starts, or NULL at anything else. */
static inline const unsigned char *
ev_lex_next_item(const unsigned char *p, const unsigned char *end, unsigned char close, int *more)
{
    p = ev_lex_ws(p, end);
    if (p == end)
        return NULL;
    if (*p == ',') {
        *more = 1;
        return ev_lex_ws(p + 1, end);
    }
    if (*p != close)
        return NULL;
    *more = 0;
    return p + 1;
}

/* The string whose opening quote is at p: returns the position just after its closing
 * quote, or NULL when it is not plain (a raw control byte, an escape other than the
 * two-character ones and \u escapes that decode to valid UTF-8 other than NUL, no closing
 * quote). When out is not NULL the unescaped text goes there (never longer than the
 * quoted text; not NUL-terminated) and its length to *out_len. */
const unsigned char *ev_lex_string(const unsigned char *p, const unsigned char *end, char *out,
                                   size_t *out_len);

/* The number at p: returns its end, or NULL unless it follows RFC 8259's grammar in at
 * most 63 characters (cJSON reads no more). */
const unsigned char *ev_lex_number(const unsigned char *p, const unsigned char *end);

#endif
