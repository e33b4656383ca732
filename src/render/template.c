/* template.c: a small Mustache engine (spec v1.3 core, no lambdas) over a cJSON tree.
 *
 * Each template is scanned once into a flat token list (text runs and tags, with
 * standalone lines already removed and sections recording where their body ends),
 * then the list is walked against a context stack. Partials are fetched through the
 * caller's callback, parsed once per render call and cached, so a partial used inside a
 * large list costs one callback and one parse, not one per item. */
#include "render/template.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Partials may recurse while the data does; past this depth the data is taken to be
 * cyclic in effect (or the template wrong) and rendering stops with an error. */
#define MAX_PARTIAL_DEPTH 64
/* Rendering recurses once per section level; bound it so a hostile template cannot
 * exhaust the C stack (together with the partial limit). */
#define MAX_SECTION_DEPTH 128
/* Names quoted in messages are cut to this many bytes. */
#define MSG_NAME_MAX 80

typedef enum { TOK_TEXT, TOK_VAR, TOK_RAW, TOK_SECTION, TOK_INVERTED, TOK_PARTIAL } tok_type;

typedef struct {
    tok_type type;
    const char *s; /* literal text, or the tag's name; points into the template text */
    size_t len;
    size_t end;         /* sections: index one past the last token of the body */
    const char *indent; /* standalone partials: the whitespace before the tag */
    size_t indent_len;
    long line, col; /* of the tag's opening delimiter */
} token;

/* A parsed template. The tokens point into text the owner keeps alive. */
typedef struct {
    const char *name; /* for messages; may be NULL */
    token *toks;
    size_t n, cap;
} parsed;

/* A delimiter: a slice of the template text (or a literal). */
typedef struct {
    const char *s;
    size_t n;
} slice;

/* One partial as the callback returned it; text NULL when it does not exist. */
typedef struct {
    char *name;
    char *text;
    char *source_name;
} partial_src;

/* A partial parsed for one indentation (standalone partials indent every line). */
typedef struct {
    partial_src *src;
    char *indent;
    size_t indent_len;
    char *text; /* the indented copy, or NULL when text is src->text */
    parsed tpl;
} partial_tpl;

typedef struct {
    ev_escape_fn escape;
    ev_partial_fn partial;
    void *partial_ctx;
    ev_buf *out;
    ev_error *err;
    const cJSON **stack; /* the context stack; the top is the last element */
    size_t depth, stack_cap;
    partial_src **srcs;
    size_t nsrcs, srcs_cap;
    partial_tpl **tpls;
    size_t ntpls, tpls_cap;
    int partial_depth;
} render_ctx;

/* ---- formatting and escaping ---- */

void ev_html_escape(ev_buf *out, const char *text, size_t len)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep;
        switch (text[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        default:
            continue;
        }
        ev_buf_put(out, text + run, i - run);
        ev_buf_puts(out, rep);
        run = i + 1;
    }
    ev_buf_put(out, text + run, len - run);
}

/* Integral values print as integers ("3", never "3.0" or "3e+00"); others in the
 * shortest %g form that reads back as the same double ("1.21", not
 * "1.2099999999999999"). */
static size_t format_number(double x, char *buf, size_t size)
{
    int n;
    if (x >= -9.2e18 && x <= 9.2e18 && (double)(long long)x == x) {
        n = snprintf(buf, size, "%lld", (long long)x);
    } else {
        n = 0;
        for (int prec = 1; prec <= 17; prec++) {
            n = snprintf(buf, size, "%.*g", prec, x);
            if (strtod(buf, NULL) == x)
                break;
        }
    }
    return n < 0 ? 0 : (size_t)n;
}

static void put_value(render_ctx *r, const cJSON *v, bool escape)
{
    char num[64];
    const char *s;
    size_t n;
    if (cJSON_IsString(v) && v->valuestring) {
        s = v->valuestring;
        n = strlen(s);
    } else if (cJSON_IsNumber(v)) {
        s = num;
        n = format_number(v->valuedouble, num, sizeof num);
    } else if (cJSON_IsTrue(v)) {
        s = "true";
        n = 4;
    } else if (cJSON_IsFalse(v)) {
        s = "false";
        n = 5;
    } else {
        return; /* missing, null, arrays and objects print nothing */
    }
    if (escape)
        r->escape(r->out, s, n);
    else
        ev_buf_put(r->out, s, n);
}

/* ---- parsing ---- */

static int msg_len(size_t n)
{
    return (int)(n > MSG_NAME_MAX ? MSG_NAME_MAX : n);
}

static token *add_token(parsed *t, tok_type type, const char *s, size_t len, long line, long col)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->toks = ev_xrealloc(t->toks, t->cap * sizeof *t->toks);
    }
    token *k = &t->toks[t->n++];
    memset(k, 0, sizeof *k);
    k->type = type;
    k->s = s;
    k->len = len;
    k->line = line;
    k->col = col;
    return k;
}

/* Finds delimiter d in [p, end); when pre is set, only an occurrence directly preceded
 * by pre at or after lo counts (for "}}}" and "=}}" closers). */
static const char *find_delim(const char *p, const char *end, slice d, char pre, const char *lo)
{
    while (p < end && (size_t)(end - p) >= d.n) {
        const char *q = memchr(p, d.s[0], (size_t)(end - p) - d.n + 1);
        if (!q)
            return NULL;
        if (memcmp(q, d.s, d.n) == 0 && (!pre || (q > lo && q[-1] == pre)))
            return q;
        p = q + 1;
    }
    return NULL;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && is_space(**s))
        (*s)++;
    while (*e > *s && is_space((*e)[-1]))
        (*e)--;
}

/* Parses the body of a set-delimiter tag ("<% %>") into two delimiters. */
static bool parse_delims(const char *s, const char *e, slice *open, slice *close)
{
    slice part[2];
    int n = 0;
    trim(&s, &e);
    while (s < e) {
        const char *w = s;
        while (w < e && !is_space(*w))
            w++;
        if (n == 2)
            return false;
        part[n].s = s;
        part[n].n = (size_t)(w - s);
        if (memchr(s, '=', part[n].n))
            return false;
        n++;
        s = w;
        while (s < e && is_space(*s))
            s++;
    }
    if (n != 2)
        return false;
    *open = part[0];
    *close = part[1];
    return true;
}

/* Scans text[0..len) into t->toks. Columns are reported less col_shift (the
 * indentation added to every line of an indented partial), so messages point into the
 * partial as written. */
static ev_status parse(const char *text, size_t len, long col_shift, parsed *t, ev_error *err)
{
    slice open = {"{{", 2}, close = {"}}", 2};
    const char *end = text + len;
    const char *p = text;          /* scan position */
    const char *text_start = text; /* start of literal text not yet emitted */
    const char *line_start = text;
    long line = 1;
    bool line_clean = true; /* nothing but blanks, and no tag, so far on this line */
    size_t open_secs[MAX_SECTION_DEPTH];
    size_t nsecs = 0;

    for (;;) {
        const char *tag = find_delim(p, end, open, 0, p);
        const char *stop = tag ? tag : end;
        for (const char *c = p; c < stop; c++) {
            if (*c == '\n') {
                line++;
                line_start = c + 1;
                line_clean = true;
            } else if (!is_blank(*c)) {
                line_clean = false;
            }
        }
        if (!tag) {
            if (end > text_start)
                add_token(t, TOK_TEXT, text_start, (size_t)(end - text_start), line, 0);
            break;
        }

        long tag_line = line;
        long tag_col = (long)(tag - line_start) + 1 - col_shift;
        if (tag_col < 1)
            tag_col = 1;
        const char *tag_line_start = line_start;

        const char *c = tag + open.n;
        char sigil = 0;
        if (c < end && *c && strchr("{&#^/!>=", *c))
            sigil = *c++;
        char pre = sigil == '{' ? '}' : sigil == '=' ? '=' : 0;
        const char *q = find_delim(c, end, close, pre, c);
        if (!q) {
            if (sigil == '=')
                return ev_error_set(err, EV_ERR_INPUT, t->name, tag_line, tag_col,
                                    "invalid set-delimiter tag: no '=%.*s' after '%.*s='",
                                    (int)close.n, close.s, (int)open.n, open.s);
            return ev_error_set(err, EV_ERR_INPUT, t->name, tag_line, tag_col,
                                "unclosed tag: no '%s%.*s' after '%.*s%s'", sigil == '{' ? "}" : "",
                                (int)close.n, close.s, (int)open.n, open.s,
                                sigil == '{' ? "{" : "");
        }
        const char *name = c, *name_end = pre ? q - 1 : q;
        const char *after = q + close.n;
        trim(&name, &name_end);
        size_t name_len = (size_t)(name_end - name);

        /* A tag may span lines (comments often do). */
        for (const char *d = tag; d < after; d++) {
            if (*d == '\n') {
                line++;
                line_start = d + 1;
            }
        }

        /* Standalone: alone on its line but for blanks; the whole line goes. */
        bool standalone = false;
        const char *rest = after;
        if (sigil && sigil != '{' && sigil != '&' && line_clean) {
            const char *b = after;
            while (b < end && is_blank(*b))
                b++;
            if (b == end) {
                standalone = true;
                rest = b;
            } else if (*b == '\n' || (*b == '\r' && b + 1 < end && b[1] == '\n')) {
                standalone = true;
                rest = b + (*b == '\r' ? 2 : 1);
            }
        }

        const char *text_end = standalone ? tag_line_start : tag;
        if (text_end > text_start)
            add_token(t, TOK_TEXT, text_start, (size_t)(text_end - text_start), tag_line, 0);

        if (sigil != '!' && sigil != '=' && name_len == 0)
            return ev_error_set(err, EV_ERR_INPUT, t->name, tag_line, tag_col, "tag has no name");

        switch (sigil) {
        case '!':
            break;
        case '=': {
            slice o, cl;
            if (!parse_delims(c, q - 1, &o, &cl))
                return ev_error_set(
                    err, EV_ERR_INPUT, t->name, tag_line, tag_col,
                    "invalid set-delimiter tag: expected two delimiters without '=' or "
                    "spaces, as in '%.*s=<%% %%>=%.*s'",
                    (int)open.n, open.s, (int)close.n, close.s);
            open = o;
            close = cl;
            break;
        }
        case '#':
        case '^':
            if (nsecs == MAX_SECTION_DEPTH)
                return ev_error_set(err, EV_ERR_INPUT, t->name, tag_line, tag_col,
                                    "sections nested more than %d deep", MAX_SECTION_DEPTH);
            open_secs[nsecs++] = t->n;
            add_token(t, sigil == '#' ? TOK_SECTION : TOK_INVERTED, name, name_len, tag_line,
                      tag_col);
            break;
        case '/': {
            if (nsecs == 0)
                return ev_error_set(err, EV_ERR_INPUT, t->name, tag_line, tag_col,
                                    "closing tag '%.*s' has no open section", msg_len(name_len),
                                    name);
            token *sec = &t->toks[open_secs[nsecs - 1]];
            if (sec->len != name_len || memcmp(sec->s, name, name_len) != 0)
                return ev_error_set(err, EV_ERR_INPUT, t->name, tag_line, tag_col,
                                    "closing tag '%.*s' does not match open section '%.*s' "
                                    "(opened at line %ld, column %ld)",
                                    msg_len(name_len), name, msg_len(sec->len), sec->s, sec->line,
                                    sec->col);
            sec->end = t->n;
            nsecs--;
            break;
        }
        case '>': {
            token *k = add_token(t, TOK_PARTIAL, name, name_len, tag_line, tag_col);
            if (standalone) {
                k->indent = tag_line_start;
                k->indent_len = (size_t)(tag - tag_line_start);
            }
            break;
        }
        case '{':
        case '&':
            add_token(t, TOK_RAW, name, name_len, tag_line, tag_col);
            break;
        default:
            add_token(t, TOK_VAR, name, name_len, tag_line, tag_col);
            break;
        }

        p = text_start = rest;
        if (standalone && rest > after && rest[-1] == '\n') {
            line++;
            line_start = rest;
            line_clean = true;
        } else {
            line_clean = false;
        }
    }

    if (nsecs > 0) {
        const token *sec = &t->toks[open_secs[nsecs - 1]];
        return ev_error_set(err, EV_ERR_INPUT, t->name, sec->line, sec->col,
                            "section '%.*s' opened here is never closed", msg_len(sec->len),
                            sec->s);
    }
    return EV_OK;
}

/* ---- name lookup ---- */

static const cJSON *member(const cJSON *obj, const char *key, size_t len)
{
    if (len == 0 || !cJSON_IsObject(obj))
        return NULL;
    for (const cJSON *c = obj->child; c; c = c->next) {
        if (c->string && strncmp(c->string, key, len) == 0 && c->string[len] == '\0')
            return c;
    }
    return NULL;
}

/* Resolves a (dotted) name: the first part against the context stack from the top
 * down, stopping at the first object that has the key even if its value is null; the
 * other parts strictly inside the value found. */
static const cJSON *lookup(const render_ctx *r, const char *name, size_t len)
{
    if (len == 1 && name[0] == '.')
        return r->stack[r->depth - 1];
    const char *dot = memchr(name, '.', len);
    size_t seg = dot ? (size_t)(dot - name) : len;
    const cJSON *v = NULL;
    for (size_t i = r->depth; i-- > 0 && !v;)
        v = member(r->stack[i], name, seg);
    size_t pos = seg;
    while (v && pos < len) {
        pos++; /* the dot */
        dot = memchr(name + pos, '.', len - pos);
        seg = dot ? (size_t)(dot - (name + pos)) : len - pos;
        v = member(v, name + pos, seg);
        pos += seg;
    }
    return v;
}

static bool truthy(const cJSON *v)
{
    if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v) || cJSON_IsInvalid(v))
        return false;
    if (cJSON_IsArray(v))
        return v->child != NULL;
    /* The spec leaves numbers open; zero is falsy (as in mustache.js) so that templates
     * can write {{#count}}...{{/count}} for "only when there are some". */
    if (cJSON_IsNumber(v))
        return v->valuedouble != 0;
    return true;
}

static void push(render_ctx *r, const cJSON *v)
{
    if (r->depth == r->stack_cap) {
        r->stack_cap = r->stack_cap ? r->stack_cap * 2 : 16;
        r->stack = ev_xrealloc(r->stack, r->stack_cap * sizeof *r->stack);
    }
    r->stack[r->depth++] = v;
}

/* ---- partials ---- */

static partial_src *get_source(render_ctx *r, const char *name, size_t len)
{
    for (size_t i = 0; i < r->nsrcs; i++) {
        if (strlen(r->srcs[i]->name) == len && memcmp(r->srcs[i]->name, name, len) == 0)
            return r->srcs[i];
    }
    partial_src *s = ev_xcalloc(1, sizeof *s);
    s->name = ev_xstrndup(name, len);
    s->text = r->partial(s->name, r->partial_ctx, &s->source_name);
    if (r->nsrcs == r->srcs_cap) {
        r->srcs_cap = r->srcs_cap ? r->srcs_cap * 2 : 8;
        r->srcs = ev_xrealloc(r->srcs, r->srcs_cap * sizeof *r->srcs);
    }
    r->srcs[r->nsrcs++] = s;
    return s;
}

/* Copies text with indent put at the start of every line (not after a final newline),
 * as the spec has standalone partials indented. */
static char *indent_text(const char *text, const char *indent, size_t indent_len)
{
    ev_buf b = EV_BUF_INIT;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        ev_buf_put(&b, indent, indent_len);
        ev_buf_put(&b, p, n);
        p += n;
    }
    return ev_buf_detach(&b);
}

static void free_partial_tpl(partial_tpl *pt)
{
    free(pt->indent);
    free(pt->text);
    free(pt->tpl.toks);
    free(pt);
}

/* Finds or loads and parses the partial named by tag k; *out is NULL when the partial
 * does not exist (it then renders as nothing). */
static ev_status get_partial(render_ctx *r, const token *k, const parsed **out)
{
    *out = NULL;
    for (size_t i = 0; i < r->ntpls; i++) {
        partial_tpl *pt = r->tpls[i];
        if (strlen(pt->src->name) == k->len && memcmp(pt->src->name, k->s, k->len) == 0 &&
            pt->indent_len == k->indent_len &&
            memcmp(pt->indent, k->indent ? k->indent : "", k->indent_len) == 0) {
            *out = &pt->tpl;
            return EV_OK;
        }
    }
    partial_src *src = get_source(r, k->s, k->len);
    if (!src->text)
        return EV_OK;

    partial_tpl *pt = ev_xcalloc(1, sizeof *pt);
    pt->src = src;
    pt->indent = ev_xstrndup(k->indent ? k->indent : "", k->indent_len);
    pt->indent_len = k->indent_len;
    if (k->indent_len)
        pt->text = indent_text(src->text, k->indent, k->indent_len);
    const char *text = pt->text ? pt->text : src->text;
    pt->tpl.name = src->source_name ? src->source_name : src->name;
    ev_status st = parse(text, strlen(text), (long)pt->indent_len, &pt->tpl, r->err);
    if (st != EV_OK) {
        free_partial_tpl(pt);
        return st;
    }
    if (r->ntpls == r->tpls_cap) {
        r->tpls_cap = r->tpls_cap ? r->tpls_cap * 2 : 8;
        r->tpls = ev_xrealloc(r->tpls, r->tpls_cap * sizeof *r->tpls);
    }
    r->tpls[r->ntpls++] = pt;
    *out = &pt->tpl;
    return EV_OK;
}

/* ---- rendering ---- */

static ev_status render_range(render_ctx *r, const parsed *t, size_t from, size_t to)
{
    ev_status st;
    for (size_t i = from; i < to; i++) {
        const token *k = &t->toks[i];
        switch (k->type) {
        case TOK_TEXT:
            ev_buf_put(r->out, k->s, k->len);
            break;
        case TOK_VAR:
        case TOK_RAW:
            put_value(r, lookup(r, k->s, k->len), k->type == TOK_VAR);
            break;
        case TOK_SECTION: {
            const cJSON *v = lookup(r, k->s, k->len);
            if (cJSON_IsArray(v)) {
                for (const cJSON *e = v->child; e; e = e->next) {
                    push(r, e);
                    st = render_range(r, t, i + 1, k->end);
                    r->depth--;
                    if (st != EV_OK)
                        return st;
                }
            } else if (truthy(v)) {
                push(r, v);
                st = render_range(r, t, i + 1, k->end);
                r->depth--;
                if (st != EV_OK)
                    return st;
            }
            i = k->end - 1;
            break;
        }
        case TOK_INVERTED:
            if (!truthy(lookup(r, k->s, k->len))) {
                st = render_range(r, t, i + 1, k->end);
                if (st != EV_OK)
                    return st;
            }
            i = k->end - 1;
            break;
        case TOK_PARTIAL: {
            if (!r->partial)
                break;
            if (r->partial_depth >= MAX_PARTIAL_DEPTH)
                return ev_error_set(r->err, EV_ERR_INPUT, t->name, k->line, k->col,
                                    "partial '%.*s' nested more than %d deep (does it "
                                    "include itself without end?)",
                                    msg_len(k->len), k->s, MAX_PARTIAL_DEPTH);
            const parsed *p;
            st = get_partial(r, k, &p);
            if (st != EV_OK)
                return st;
            if (!p)
                break;
            r->partial_depth++;
            st = render_range(r, p, 0, p->n);
            r->partial_depth--;
            if (st != EV_OK)
                return st;
            break;
        }
        }
    }
    return EV_OK;
}

ev_status ev_template_render(const char *tpl, const char *name, const cJSON *data,
                             const ev_template_options *opt, ev_buf *out, ev_error *err)
{
    if (!tpl || !out)
        return ev_error_set(err, EV_ERR_INTERNAL, name, 0, 0, "no template or no output");
    size_t mark = out->len;
    parsed main_tpl = {name, NULL, 0, 0};
    ev_status st = parse(tpl, strlen(tpl), 0, &main_tpl, err);

    render_ctx r = {0};
    r.escape = opt && opt->escape ? opt->escape : ev_html_escape;
    r.partial = opt ? opt->partial : NULL;
    r.partial_ctx = opt ? opt->partial_ctx : NULL;
    r.out = out;
    r.err = err;
    if (st == EV_OK) {
        push(&r, data);
        st = render_range(&r, &main_tpl, 0, main_tpl.n);
    }

    for (size_t i = 0; i < r.ntpls; i++)
        free_partial_tpl(r.tpls[i]);
    for (size_t i = 0; i < r.nsrcs; i++) {
        free(r.srcs[i]->name);
        free(r.srcs[i]->text);
        free(r.srcs[i]->source_name);
        free(r.srcs[i]);
    }
    free(r.tpls);
    free(r.srcs);
    free(r.stack);
    free(main_tpl.toks);

    /* A failed render leaves out as it was, not holding half a document. */
    if (st != EV_OK) {
        out->len = mark;
        if (out->data)
            out->data[mark] = '\0';
    }
    return st;
}
