/* json_stream.c: the streaming splitter behind json_stream.h.
 *
 * The file is read in 64 KiB chunks and run through a byte-level state machine that
 * tracks strings, escapes and bracket nesting. Only the bytes of the current element are
 * kept (in a growable buffer), so memory is bounded by the largest element whatever the
 * file size. Elements are not validated beyond their structure (strings closed, brackets
 * balanced and matching): cJSON parses each one afterwards.
 *
 * Two layers:
 *  - the outer grammar (top-level array, the wrapper object's members, separators) is
 *    checked strictly, byte by byte; those bytes are few;
 *  - the inside of a value (an element, or a wrapper member that is skipped) is scanned
 *    by scan_value, the hot loop, which skips uninteresting bytes through lookup tables.
 *
 * A top-level object is ambiguous until its members are seen: it is either a wrapper
 * ({"Findings": [...], ...}) or a single finding. Its bytes are buffered while its
 * members are scanned; meeting a wrapper key ("Findings", "EvaluationResults" ...: see
 * wrapper_keys) whose value is an array switches to streaming that array (the buffered
 * prefix is dropped), and reaching the closing '}' without one returns the buffered object
 * as the only element. */
#include "ingest/json_stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/json_lex.h"
#include "util/buf.h"

#define CHUNK_SIZE (64 * 1024)
#define MAX_DEPTH 10000

/* Where the outer grammar is. */
enum outer_state {
    OS_START,     /* before the top-level value: optional BOM, whitespace */
    OS_ARR_FIRST, /* after the '[' of the streamed array: an element or ']' */
    OS_ARR_NEXT,  /* after ',' in the streamed array: an element */
    OS_ARR_AFTER, /* after an element: ',' or ']' */
    OS_OBJ_FIRST, /* after the top-level '{': a key or '}' */
    OS_OBJ_KEY,   /* after ',' in the top-level object: a key */
    OS_IN_KEY,    /* inside a top-level member name */
    OS_OBJ_COLON, /* after a member name: ':' */
    OS_OBJ_VALUE, /* after ':': the member value */
    OS_OBJ_AFTER, /* after a member value: ',' or '}' */
    OS_VALUE,     /* inside a value (see v_kind, v_role), run by scan_value */
    OS_END,       /* after the top-level value: whitespace only */
    OS_DONE       /* end of input reached and checked */
};

enum value_kind { V_CONTAINER, V_STRING, V_SCALAR };
enum value_role { ROLE_ELEMENT, ROLE_MEMBER };
enum step_result { STEP_MORE, STEP_ELEMENT, STEP_ERROR };

struct ev_json_stream {
    FILE *fp;
    char *name;
    unsigned char *chunk; /* current chunk: chunk[pos..len) not yet scanned */
    size_t pos, len;
    unsigned long long base_off;   /* file offset of chunk[0] */
    unsigned long long line_start; /* file offset of the first byte of the current line */
    long line;
    int bom; /* bytes of a leading UTF-8 BOM matched so far */

    enum outer_state state;
    size_t depth;                   /* open arrays/objects, the outer ones included */
    unsigned char stack[MAX_DEPTH]; /* '[' or '{' for each open level */

    /* The value being scanned by scan_value. */
    enum value_kind v_kind;
    enum value_role v_role;
    size_t v_base; /* depth at which the value ends */
    int in_str;    /* inside a string (also set for member names, for EOF messages) */
    int esc;       /* the previous byte was a backslash inside a string */

    /* The top-level object. */
    int buffering;             /* its bytes are the candidate single element */
    int streamed;              /* its Findings array has been streamed already */
    unsigned char key_buf[32]; /* first bytes of the current member name */
    size_t key_len;
    int key_esc;             /* the member name holds an escape (never matches a wrapper key) */
    const char *key_wrapper; /* the wrapper key the current member name is, or NULL */
    const char *wrapper;     /* the wrapper key whose array was streamed, or NULL */

    /* The element being captured: bytes chunk[cap_from..] are added to elem at the
     * end of each chunk and when the element ends. */
    ev_buf elem;
    int capturing;
    size_t cap_from;
    long el_line, el_col;
    size_t index;
    int returned; /* elem was handed out and is cleared on the next call */

    long comma_line, comma_col; /* the last separator, for trailing comma messages */

    int failed;
    ev_error error;
};

/* Bytes that matter outside strings inside a value; all others (whitespace, ':', ',',
 * scalars) are skipped: cJSON checks them later. */
static const unsigned char ctl_stop[256] = {
    [0] = 1, ['"'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1, ['\n'] = 1};

static int is_scalar_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '+' ||
           c == '-' || c == '.';
}

static unsigned long long offset_at(const ev_json_stream *s, size_t i)
{
    return s->base_off + i;
}

static long col_at(const ev_json_stream *s, size_t i)
{
    return (long)(offset_at(s, i) - s->line_start) + 1;
}

static void newline_at(ev_json_stream *s, size_t i)
{
    s->line++;
    s->line_start = offset_at(s, i) + 1;
}

/* Records an input error at chunk index i. */
static int fail_at(ev_json_stream *s, size_t i, const char *msg)
{
    ev_error_set(&s->error, EV_ERR_INPUT, s->name, s->line, col_at(s, i), "%s", msg);
    return STEP_ERROR;
}

static int fail_line_col(ev_json_stream *s, long line, long col, const char *msg)
{
    ev_error_set(&s->error, EV_ERR_INPUT, s->name, line, col, "%s", msg);
    return STEP_ERROR;
}

ev_json_stream *ev_json_stream_new(FILE *fp, const char *name)
{
    ev_json_stream *s = ev_xcalloc(1, sizeof *s);
    s->fp = fp;
    s->name = name ? ev_xstrdup(name) : NULL;
    s->chunk = ev_xmalloc(CHUNK_SIZE);
    s->line = 1;
    s->state = OS_START;
    return s;
}

void ev_json_stream_free(ev_json_stream *s)
{
    if (!s)
        return;
    ev_buf_free(&s->elem);
    free(s->chunk);
    free(s->name);
    free(s);
}

unsigned long long ev_json_stream_offset(const ev_json_stream *s)
{
    return s->base_off + s->pos;
}

static void capture_begin(ev_json_stream *s, size_t i)
{
    s->capturing = 1;
    s->cap_from = i;
}

/* Ends the capture just before chunk index i. */
static void capture_end(ev_json_stream *s, size_t i)
{
    ev_buf_put(&s->elem, s->chunk + s->cap_from, i - s->cap_from);
    s->capturing = 0;
}

static void emit(ev_json_stream *s, ev_json_element *el)
{
    el->text = s->elem.data;
    el->len = s->elem.len;
    el->line = s->el_line;
    el->col = s->el_col;
    el->index = s->index++;
    s->returned = 1;
}

/* Saves what is captured in the current chunk, then reads the next one. At the end of
 * the input s->len is 0. */
static ev_status refill(ev_json_stream *s)
{
    if (s->capturing) {
        ev_buf_put(&s->elem, s->chunk + s->cap_from, s->len - s->cap_from);
        s->cap_from = 0;
    }
    s->base_off += s->len;
    s->pos = s->len = 0;
    size_t n = fread(s->chunk, 1, CHUNK_SIZE, s->fp);
    if (n == 0 && ferror(s->fp))
        return ev_error_set(&s->error, EV_ERR_IO, s->name, 0, 0, "read error: %s", strerror(errno));
    s->len = n;
    return EV_OK;
}

/* Opens an array or object at chunk index i. */
static int push(ev_json_stream *s, size_t i, unsigned char c)
{
    if (s->depth >= MAX_DEPTH)
        return fail_at(s, i, "nesting deeper than 10000 levels");
    s->stack[s->depth++] = c;
    return STEP_MORE;
}

/* Starts a value whose first byte c is at chunk index i (consumed here). */
static int start_value(ev_json_stream *s, size_t i, unsigned char c, enum value_role role,
                       const char *expected)
{
    s->v_role = role;
    s->v_base = s->depth;
    if (c == '{' || c == '[') {
        if (push(s, i, c) == STEP_ERROR)
            return STEP_ERROR;
        s->v_kind = V_CONTAINER;
    } else if (c == '"') {
        s->v_kind = V_STRING;
        s->in_str = 1;
    } else if (is_scalar_char(c)) {
        s->v_kind = V_SCALAR;
    } else {
        return fail_at(s, i, expected);
    }
    s->state = OS_VALUE;
    s->pos = i + 1;
    return STEP_MORE;
}

/* The hot loop: scans the current value from s->pos. Returns 1 when the value ended
 * (s->pos just after it), 0 when the chunk ran out, -1 on error. */
static int scan_value(ev_json_stream *s)
{
    const unsigned char *const base = s->chunk;
    const unsigned char *p = base + s->pos;
    const unsigned char *const end = base + s->len;

    if (s->v_kind == V_SCALAR) {
        /* A number or literal ends at the first byte that cannot belong to it; the outer
         * grammar then judges that byte. */
        while (p < end && is_scalar_char(*p))
            p++;
        s->pos = (size_t)(p - base);
        return p < end;
    }

    size_t depth = s->depth;
    const size_t vbase = s->v_base;
    int in_str = s->in_str;
    int done = 0;
    const unsigned char *bad = NULL;
    const char *msg = NULL;
    char msgbuf[64];

    if (s->esc && p < end) {
        /* The backslash ended the previous chunk: the escaped byte is plain data. */
        s->esc = 0;
        if (*p == '\n')
            newline_at(s, (size_t)(p - base));
        else if (*p == 0) {
            bad = p;
            msg = "NUL byte in input";
            goto out;
        }
        p++;
    }
    while (p < end) {
        if (in_str) {
            /* Most of a finding's bytes are string contents: skip them in bulk, up to a
             * quote, a backslash or a control byte. NUL is never valid raw JSON, so it is
             * rejected inside strings too (this also stops binary files early). */
            p = ev_lex_run_end(p, end);
            if (p == end)
                break;
            unsigned char c = *p;
            if (c != 0 && c < 0x20 && c != '\n') {
                p++; /* a raw control byte: the element's parser rejects it */
                continue;
            }
            if (c == '"') {
                p++;
                in_str = 0;
                if (depth == vbase) {
                    done = 1;
                    break;
                }
                continue;
            }
            if (c == '\\') {
                if (++p == end) {
                    s->esc = 1;
                    break;
                }
                c = *p; /* the escaped byte: only newline and NUL need attention */
                if (c != '\n' && c != 0) {
                    p++;
                    continue;
                }
            }
            if (c == '\n') {
                newline_at(s, (size_t)(p - base));
                p++;
                continue;
            }
            bad = p;
            msg = "NUL byte in input";
            break;
        }
        while (p < end && !ctl_stop[*p])
            p++;
        if (p == end)
            break;
        unsigned char c = *p;
        switch (c) {
        case '"':
            in_str = 1;
            break;
        case '{':
        case '[':
            if (depth >= MAX_DEPTH) {
                bad = p;
                msg = "nesting deeper than 10000 levels";
                goto out;
            }
            s->stack[depth++] = c;
            break;
        case '}':
        case ']': {
            unsigned char open = s->stack[depth - 1];
            unsigned char want = open == '{' ? '}' : ']';
            if (c != want) {
                snprintf(msgbuf, sizeof msgbuf, "mismatched '%c': expected '%c' to close '%c'", c,
                         want, open);
                bad = p;
                msg = msgbuf;
                goto out;
            }
            depth--;
            if (depth == vbase) {
                p++;
                done = 1;
                goto out;
            }
            break;
        }
        case '\n':
            newline_at(s, (size_t)(p - base));
            break;
        default:
            bad = p;
            msg = "NUL byte in input";
            goto out;
        }
        p++;
    }
out:
    s->pos = (size_t)(p - base);
    s->depth = depth;
    s->in_str = in_str;
    if (bad) {
        fail_at(s, (size_t)(bad - base), msg);
        return -1;
    }
    return done;
}

/* Member names of a wrapper object whose array value is streamed element by element. */
static const char *const wrapper_keys[] = {
    "Findings",                   /* aws securityhub get-findings (and get-findings-v2) */
    "findings",                   /* exports through other tools */
    "EvaluationResults",          /* aws configservice get-compliance-details-by-* */
    "AggregateEvaluationResults", /* ... get-aggregate-compliance-details-by-config-rule */
    "ComplianceByConfigRules",    /* ... describe-compliance-by-config-rule */
};

static const char *match_wrapper(const unsigned char *name, size_t len)
{
    for (size_t i = 0; i < sizeof wrapper_keys / sizeof *wrapper_keys; i++)
        if (strlen(wrapper_keys[i]) == len && memcmp(wrapper_keys[i], name, len) == 0)
            return wrapper_keys[i];
    return NULL;
}

/* Handles a member name byte by byte (names at depth 1 are few and short). */
static int scan_key(ev_json_stream *s)
{
    while (s->pos < s->len) {
        size_t i = s->pos++;
        unsigned char c = s->chunk[i];
        if (c == 0)
            return fail_at(s, i, "NUL byte in input");
        if (c == '\n')
            newline_at(s, i);
        if (s->esc) {
            s->esc = 0;
            continue;
        }
        if (c == '"') {
            s->in_str = 0;
            /* An escaped name such as "F\u0069ndings" is not recognised as a wrapper
             * key; real exports never write one. */
            s->key_wrapper = !s->key_esc && s->key_len <= sizeof s->key_buf
                                 ? match_wrapper(s->key_buf, s->key_len)
                                 : NULL;
            s->state = OS_OBJ_COLON;
            return STEP_MORE;
        }
        if (c == '\\') {
            s->esc = 1;
            s->key_esc = 1;
        }
        if (s->key_len < sizeof s->key_buf)
            s->key_buf[s->key_len] = c;
        s->key_len++;
    }
    return STEP_MORE;
}

static void start_key(ev_json_stream *s, size_t i)
{
    s->state = OS_IN_KEY;
    s->in_str = 1;
    s->key_len = 0;
    s->key_esc = 0;
    s->key_wrapper = NULL;
    s->pos = i + 1;
}

/* Closes the streamed array at chunk index i. */
static void close_array(ev_json_stream *s, size_t i)
{
    s->depth--;
    s->state = s->depth == 0 ? OS_END : OS_OBJ_AFTER;
    s->pos = i + 1;
}

/* Runs the state machine over the current chunk until an element is complete, the chunk
 * is used up, or an error. */
static int step(ev_json_stream *s, ev_json_element *el)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
    while (s->pos < s->len) {
        if (s->state == OS_VALUE) {
            int r = scan_value(s);
            if (r < 0)
                return STEP_ERROR;
            if (r == 0)
                return STEP_MORE;
            if (s->v_role == ROLE_ELEMENT) {
                capture_end(s, s->pos);
                emit(s, el);
                s->state = OS_ARR_AFTER;
                return STEP_ELEMENT;
            }
            s->state = OS_OBJ_AFTER;
            continue;
        }
        if (s->state == OS_IN_KEY) {
            if (scan_key(s) == STEP_ERROR)
                return STEP_ERROR;
            continue;
        }

        size_t i = s->pos;
        unsigned char c = s->chunk[i];
        if (s->state == OS_START) {
            /* A UTF-8 byte order mark is tolerated at the very start: some Windows tools
             * write one, and it carries no meaning in UTF-8. It counts in columns. */
            unsigned long long off = offset_at(s, i);
            if (off < 3 && off == (unsigned long long)s->bom && c == bom[s->bom]) {
                s->bom++;
                s->pos++;
                continue;
            }
            if (s->bom > 0 && s->bom < 3)
                return fail_line_col(s, 1, 1, "expected a JSON array or object of findings");
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            s->pos++;
            continue;
        }
        if (c == '\n') {
            newline_at(s, i);
            s->pos++;
            continue;
        }
        if (c == 0)
            return fail_at(s, i, "NUL byte in input");

        switch (s->state) {
        case OS_START:
            if (c == '[') {
                if (push(s, i, c) == STEP_ERROR)
                    return STEP_ERROR;
                s->state = OS_ARR_FIRST;
            } else if (c == '{') {
                if (push(s, i, c) == STEP_ERROR)
                    return STEP_ERROR;
                s->buffering = 1;
                s->el_line = s->line;
                s->el_col = col_at(s, i);
                capture_begin(s, i);
                s->state = OS_OBJ_FIRST;
            } else {
                return fail_at(s, i, "expected a JSON array or object of findings");
            }
            s->pos = i + 1;
            break;

        case OS_ARR_NEXT:
            if (c == ']')
                return fail_line_col(s, s->comma_line, s->comma_col, "trailing comma before ']'");
            /* fall through */
        case OS_ARR_FIRST:
            if (c == ']' && s->state == OS_ARR_FIRST) {
                close_array(s, i);
                break;
            }
            s->el_line = s->line;
            s->el_col = col_at(s, i);
            capture_begin(s, i);
            if (start_value(s, i, c, ROLE_ELEMENT, "expected an array element") == STEP_ERROR)
                return STEP_ERROR;
            break;

        case OS_ARR_AFTER:
            if (c == ',') {
                s->comma_line = s->line;
                s->comma_col = col_at(s, i);
                s->state = OS_ARR_NEXT;
                s->pos = i + 1;
            } else if (c == ']') {
                close_array(s, i);
            } else {
                return fail_at(s, i, "expected ',' or ']' after array element");
            }
            break;

        case OS_OBJ_FIRST:
        case OS_OBJ_AFTER:
            if (c == '}') {
                s->depth--;
                s->pos = i + 1;
                s->state = OS_END;
                if (s->buffering) {
                    /* No findings array: the object is a single finding. */
                    s->buffering = 0;
                    capture_end(s, i + 1);
                    emit(s, el);
                    return STEP_ELEMENT;
                }
            } else if (s->state == OS_OBJ_FIRST && c == '"') {
                start_key(s, i);
            } else if (s->state == OS_OBJ_AFTER && c == ',') {
                s->comma_line = s->line;
                s->comma_col = col_at(s, i);
                s->state = OS_OBJ_KEY;
                s->pos = i + 1;
            } else {
                return fail_at(s, i,
                               s->state == OS_OBJ_FIRST
                                   ? "expected a member name (string) or '}' in object"
                                   : "expected ',' or '}' after object member");
            }
            break;

        case OS_OBJ_KEY:
            if (c == '"')
                start_key(s, i);
            else if (c == '}')
                return fail_line_col(s, s->comma_line, s->comma_col, "trailing comma before '}'");
            else
                return fail_at(s, i, "expected a member name (string) after ','");
            break;

        case OS_OBJ_COLON:
            if (c != ':')
                return fail_at(s, i, "expected ':' after member name");
            s->state = OS_OBJ_VALUE;
            s->pos = i + 1;
            break;

        case OS_OBJ_VALUE:
            if (c == '[' && s->key_wrapper && !s->streamed) {
                /* The wrapper's findings array: stream its elements. */
                if (push(s, i, c) == STEP_ERROR)
                    return STEP_ERROR;
                s->streamed = 1;
                s->wrapper = s->key_wrapper;
                s->buffering = 0;
                s->capturing = 0;
                ev_buf_clear(&s->elem);
                s->state = OS_ARR_FIRST;
                s->pos = i + 1;
                break;
            }
            if (start_value(s, i, c, ROLE_MEMBER, "expected a value after ':'") == STEP_ERROR)
                return STEP_ERROR;
            break;

        case OS_END:
            return fail_at(s, i, "unexpected data after the end of the JSON document");

        case OS_VALUE:
        case OS_IN_KEY:
        case OS_DONE:
            return fail_at(s, i, "internal error: bad splitter state");
        }
    }
    return STEP_MORE;
}

/* Checks the state at the end of the input. */
static int at_eof(ev_json_stream *s)
{
    long col = col_at(s, 0); /* s->pos == s->len == 0 after refill */
    if (s->state == OS_END) {
        s->state = OS_DONE;
        return STEP_MORE;
    }
    if (s->state == OS_START) {
        if (s->bom > 0 && s->bom < 3)
            return fail_line_col(s, 1, 1, "expected a JSON array or object of findings");
        return fail_line_col(s, s->line, col,
                             "empty input: expected a JSON array or object of findings");
    }
    const char *what;
    if (s->in_str || s->state == OS_IN_KEY)
        what = "unexpected end of input: unclosed string";
    else if (s->depth > 0 && s->stack[s->depth - 1] == '[')
        what = "unexpected end of input: unclosed array";
    else
        what = "unexpected end of input: unclosed object";
    return fail_line_col(s, s->line, col, what);
}

ev_status ev_json_stream_next(ev_json_stream *s, ev_json_element *el, int *has, ev_error *err)
{
    *has = 0;
    if (s->failed) {
        if (err)
            *err = s->error;
        return s->error.status;
    }
    if (s->returned) {
        ev_buf_clear(&s->elem);
        s->returned = 0;
    }
    for (;;) {
        if (s->state == OS_DONE)
            return EV_OK;
        if (s->pos == s->len) {
            if (refill(s) != EV_OK)
                break;
            if (s->len == 0) {
                if (at_eof(s) == STEP_ERROR)
                    break;
                continue;
            }
        }
        int r = step(s, el);
        if (r == STEP_ELEMENT) {
            *has = 1;
            return EV_OK;
        }
        if (r == STEP_ERROR)
            break;
    }
    s->failed = 1;
    if (err)
        *err = s->error;
    return s->error.status;
}

const char *ev_json_stream_wrapper(const ev_json_stream *s)
{
    return s->wrapper;
}

void ev_json_element_position(const ev_json_element *el, size_t offset, long *line, long *col)
{
    if (offset > el->len)
        offset = el->len;
    long l = el->line;
    size_t line_start = 0;
    int first_line = 1;
    const char *p = el->text;
    const char *end = el->text + offset;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        l++;
        p++;
        line_start = (size_t)(p - el->text);
        first_line = 0;
    }
    *line = l;
    *col = first_line ? el->col + (long)offset : (long)(offset - line_start) + 1;
}
