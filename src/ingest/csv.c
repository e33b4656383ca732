/* csv.c: the streaming CSV reader behind csv.h.
 *
 * The input is read in 64 KiB chunks and run byte by byte through a small state machine
 * (field start, unquoted, quoted, just after a quote inside a quoted field). Two buffers
 * hold the current record only: the raw bytes as read (to check UTF-8 and to place an
 * error inside a multi-line record) and the unquoted field contents, NUL-separated. */
#include "ingest/csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

#define CHUNK_SIZE (64 * 1024)
#define DEFAULT_MAX_RECORD ((size_t)16 * 1024 * 1024)
#define DEFAULT_MAX_FIELDS 4096

enum state {
    S_FIELD_START, /* before the first byte of a field */
    S_UNQUOTED,    /* inside an unquoted field */
    S_QUOTED,      /* inside a quoted field */
    S_QUOTE_QUOTE  /* a '"' inside a quoted field: a doubled quote or the closing one */
};

typedef struct {
    size_t off; /* into data */
    size_t len;
    long line, col;
    bool quoted;
} field_pos;

struct ev_csv {
    FILE *fp;
    char *name;
    unsigned char delim;
    size_t max_record, max_fields;

    unsigned char *chunk;
    size_t pos, len;
    unsigned long long base_off;   /* file offset of chunk[0] */
    unsigned long long line_start; /* file offset of the current line's first byte */
    long line;
    int started; /* the first chunk was read (and a BOM skipped) */
    int at_eof;

    enum state st;
    int pending_cr; /* a CR outside quotes, waiting to see whether LF follows */
    long cr_line, cr_col;

    ev_buf raw; /* the record as read */
    long raw_line, raw_col;
    ev_buf data; /* unquoted contents, each followed by a NUL */
    field_pos *fl;
    size_t n_fl, cap_fl;
    ev_csv_field *fields;
    size_t cap_fields;
    size_t index;
    int in_record; /* a byte of the current record has been seen */
    int returned;  /* the record was handed out: its buffers are cleared on the next call */

    int failed;
    ev_error error;
};

ev_csv *ev_csv_new(FILE *fp, const char *name, const ev_csv_options *opt)
{
    ev_csv *c = ev_xcalloc(1, sizeof *c);
    c->fp = fp;
    c->name = name ? ev_xstrdup(name) : NULL;
    c->delim = (unsigned char)(opt && opt->delim ? opt->delim : ';');
    c->max_record = opt && opt->max_record ? opt->max_record : DEFAULT_MAX_RECORD;
    c->max_fields = opt && opt->max_fields ? opt->max_fields : DEFAULT_MAX_FIELDS;
    c->chunk = ev_xmalloc(CHUNK_SIZE);
    c->line = 1;
    return c;
}

void ev_csv_free(ev_csv *c)
{
    if (!c)
        return;
    ev_buf_free(&c->raw);
    ev_buf_free(&c->data);
    free(c->fl);
    free(c->fields);
    free(c->chunk);
    free(c->name);
    free(c);
}

unsigned long long ev_csv_offset(const ev_csv *c)
{
    return c->base_off + c->pos;
}

static long col_at(const ev_csv *c, size_t i)
{
    return (long)(c->base_off + i - c->line_start) + 1;
}

static int fail(ev_csv *c, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(ev_csv *c, long line, long col, const char *fmt, ...)
{
    char msg[sizeof c->error.msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ev_error_set(&c->error, EV_ERR_INPUT, c->name, line, col, "%s", msg);
    return -1;
}

/* Starts a new field at chunk index i (the position of its first byte). */
static int field_begin(ev_csv *c, size_t i)
{
    if (c->n_fl >= c->max_fields)
        return fail(c, c->line, col_at(c, i), "more than %zu fields in one record", c->max_fields);
    if (c->n_fl == c->cap_fl) {
        c->cap_fl = c->cap_fl ? c->cap_fl * 2 : 64;
        c->fl = ev_xrealloc(c->fl, c->cap_fl * sizeof *c->fl);
    }
    c->fl[c->n_fl++] = (field_pos){c->data.len, 0, c->line, col_at(c, i), false};
    return 0;
}

static void field_end(ev_csv *c)
{
    field_pos *f = &c->fl[c->n_fl - 1];
    f->len = c->data.len - f->off;
    ev_buf_putc(&c->data, '\0');
}

static void record_reset(ev_csv *c)
{
    ev_buf_clear(&c->raw);
    ev_buf_clear(&c->data);
    c->n_fl = 0;
    c->in_record = 0;
    c->st = S_FIELD_START;
}

/* Position of byte off of the raw record. */
static void raw_position(const ev_csv *c, size_t off, long *line, long *col)
{
    long l = c->raw_line, cl = c->raw_col;
    for (size_t i = 0; i < off; i++) {
        if (c->raw.data[i] == '\n') {
            l++;
            cl = 1;
        } else {
            cl++;
        }
    }
    *line = l;
    *col = cl;
}

/* Finishes the record: 1 when it is to be returned, 0 when it was a blank line,
 * -1 on error. */
static int record_end(ev_csv *c, ev_csv_record *rec)
{
    field_end(c);
    if (c->n_fl == 1 && c->fl[0].len == 0 && !c->fl[0].quoted) {
        record_reset(c);
        return 0;
    }
    size_t bad;
    if (!ev_utf8_valid(c->raw.data, c->raw.len, &bad)) {
        long l, cl;
        raw_position(c, bad, &l, &cl);
        return fail(c, l, cl, "invalid UTF-8: expected UTF-8 encoded text");
    }
    if (c->cap_fields < c->n_fl) {
        c->cap_fields = c->n_fl;
        c->fields = ev_xrealloc(c->fields, c->cap_fields * sizeof *c->fields);
    }
    for (size_t i = 0; i < c->n_fl; i++) {
        const field_pos *f = &c->fl[i];
        c->fields[i] = (ev_csv_field){c->data.data + f->off, f->len, f->line, f->col, f->quoted};
    }
    rec->fields = c->fields;
    rec->n = c->n_fl;
    rec->line = c->raw_line;
    rec->index = c->index++;
    return 1;
}

static void newline_at(ev_csv *c, size_t i)
{
    c->line++;
    c->line_start = c->base_off + i + 1;
}

/* Runs the state machine over the current chunk. Returns 1 when a record is complete,
 * 0 when the chunk is used up, -1 on error. */
static int scan(ev_csv *c, ev_csv_record *rec)
{
    while (c->pos < c->len) {
        size_t i = c->pos;
        unsigned char b = c->chunk[i];
        if (b == 0)
            return fail(c, c->line, col_at(c, i), "NUL byte in input");
        if (!c->in_record) {
            c->in_record = 1;
            c->raw_line = c->line;
            c->raw_col = col_at(c, i);
            if (field_begin(c, i) < 0)
                return -1;
        }
        if (c->raw.len >= c->max_record)
            return fail(c, c->raw_line, c->raw_col, "record longer than %zu bytes", c->max_record);
        c->pos++;
        if (c->pending_cr) {
            c->pending_cr = 0;
            if (b == '\n') {
                ev_buf_putc(&c->raw, '\n');
                newline_at(c, i);
                int r = record_end(c, rec);
                if (r != 0)
                    return r;
                continue;
            }
            if (c->st == S_QUOTE_QUOTE)
                return fail(c, c->cr_line, c->cr_col,
                            "expected '%c' or the end of the line after a closing quote", c->delim);
            ev_buf_putc(&c->data, '\r'); /* a lone CR is data */
            c->st = S_UNQUOTED;
        }
        ev_buf_putc(&c->raw, (char)b);
        switch (c->st) {
        case S_FIELD_START:
            if (b == '"') {
                c->fl[c->n_fl - 1].quoted = true;
                c->st = S_QUOTED;
                break;
            }
            /* fall through */
        case S_UNQUOTED:
            if (b == c->delim) {
                field_end(c);
                if (field_begin(c, i + 1) < 0)
                    return -1;
                c->st = S_FIELD_START;
            } else if (b == '\n') {
                newline_at(c, i);
                int r = record_end(c, rec);
                if (r != 0)
                    return r;
            } else if (b == '\r') {
                c->pending_cr = 1;
                c->cr_line = c->line;
                c->cr_col = col_at(c, i);
            } else {
                ev_buf_putc(&c->data, (char)b);
                c->st = S_UNQUOTED;
            }
            break;
        case S_QUOTED:
            if (b == '"')
                c->st = S_QUOTE_QUOTE;
            else {
                ev_buf_putc(&c->data, (char)b);
                if (b == '\n')
                    newline_at(c, i);
            }
            break;
        case S_QUOTE_QUOTE:
            if (b == '"') {
                ev_buf_putc(&c->data, '"');
                c->st = S_QUOTED;
            } else if (b == c->delim) {
                field_end(c);
                if (field_begin(c, i + 1) < 0)
                    return -1;
                c->st = S_FIELD_START;
            } else if (b == '\n') {
                newline_at(c, i);
                int r = record_end(c, rec);
                if (r != 0)
                    return r;
            } else if (b == '\r') {
                c->pending_cr = 1;
                c->cr_line = c->line;
                c->cr_col = col_at(c, i);
            } else {
                return fail(c, c->line, col_at(c, i),
                            "expected '%c' or the end of the line after a closing quote", c->delim);
            }
            break;
        }
    }
    return 0;
}

static ev_status refill(ev_csv *c)
{
    c->base_off += c->len;
    c->pos = c->len = 0;
    size_t n = fread(c->chunk, 1, CHUNK_SIZE, c->fp);
    if (n == 0 && ferror(c->fp))
        return ev_error_set(&c->error, EV_ERR_IO, c->name, 0, 0, "read error: %s", strerror(errno));
    c->len = n;
    if (!c->started) {
        c->started = 1;
        if (n >= 3 && memcmp(c->chunk, "\xEF\xBB\xBF", 3) == 0)
            c->pos = 3;
    }
    return EV_OK;
}

ev_status ev_csv_next(ev_csv *c, ev_csv_record *rec, int *has, ev_error *err)
{
    *has = 0;
    if (c->failed)
        goto failed;
    if (c->returned) {
        record_reset(c);
        c->returned = 0;
    }
    for (;;) {
        if (c->at_eof)
            return EV_OK;
        if (c->pos == c->len) {
            if (refill(c) != EV_OK) {
                c->failed = 1;
                goto failed;
            }
            if (c->len == 0) {
                c->at_eof = 1;
                if (!c->in_record)
                    return EV_OK;
                if (c->st == S_QUOTED) {
                    const field_pos *f = &c->fl[c->n_fl - 1];
                    fail(c, f->line, f->col,
                         "unterminated quoted field: the closing '\"' is missing");
                    c->failed = 1;
                    goto failed;
                }
                c->pending_cr = 0; /* a CR at the very end is a line end */
                int r = record_end(c, rec);
                if (r < 0) {
                    c->failed = 1;
                    goto failed;
                }
                if (r == 1) {
                    c->returned = 1;
                    *has = 1;
                }
                return EV_OK;
            }
        }
        int r = scan(c, rec);
        if (r < 0) {
            c->failed = 1;
            goto failed;
        }
        if (r == 1) {
            c->returned = 1;
            *has = 1;
            return EV_OK;
        }
    }
failed:
    if (err)
        *err = c->error;
    return c->error.status;
}
