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

#include "ingest/asff.h"
#include "ingest/json_lex.h"

typedef struct {
    const unsigned char *p, *end;
    int depth;
    char *out; /* where the next unescaped string goes (room for the whole element) */
    ev_asff_scanner *sc;
    ev_asff_fields *f;
} scan;

static void ws(scan *s)
{
    s->p = ev_lex_ws(s->p, s->end);
}

/* Validates the string at s->p (the opening quote) and, when out is not NULL, writes it
 * unescaped and NUL-terminated at s->out. False when it is not plain. */
static bool string(scan *s, const char **out)
{
    size_t n = 0;
    const unsigned char *after = ev_lex_string(s->p, s->end, out ? s->out : NULL, &n);
    if (!after)
        return false;
    if (out) {
        s->out[n] = '\0';
        *out = s->out;
        s->out += n + 1;
    }
    s->p = after;
    return true;
}

static bool number(scan *s)
{
    const unsigned char *after = ev_lex_number(s->p, s->end);
    if (!after)
        return false;
    s->p = after;
    return true;
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
    int m = 0;
    const unsigned char *next = ev_lex_next_item(s->p, s->end, close, &m);
    if (!next)
        return false;
    s->p = next;
    *more = m;
    return true;
}

/* Opens a container at s->p; *empty when it closes at once. */
static bool open(scan *s, unsigned char close, bool *empty)
{
    if (++s->depth > EV_LEX_MAX_DEPTH)
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
    const unsigned char *q = ev_lex_run_end(s->p + 1, s->end);
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

static bool object(scan *s, const ev_asff_rule *rules, size_t n_rules);

/* Skips an array, checking it (objects are skipped by object() with no rules). */
static bool skip_array(scan *s)
{
    bool empty, more = true;
    if (!open(s, ']', &empty))
        return false;
    if (empty)
        return true;
    while (more)
        if (!value(s) || !next_item(s, ']', &more))
            return false;
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
        return object(s, NULL, 0);
    case '[':
        return skip_array(s);
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
