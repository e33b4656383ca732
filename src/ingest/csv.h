/* csv.h: a small streaming reader of delimiter-separated text (RFC 4180, with ';' or ','
 * as the delimiter), for Prowler's CSV outputs.
 *
 * What it accepts:
 *  - records end at LF or CRLF; a CR not followed by LF is data;
 *  - a field that starts with '"' is quoted: it may hold the delimiter, LF, CRLF and
 *    doubled quotes ("" stands for one "); after its closing quote only the delimiter or
 *    the end of the record may follow;
 *  - a '"' inside an unquoted field is kept as data (as Python's csv module reads it);
 *  - a UTF-8 byte order mark at the very start is skipped (it still counts in columns,
 *    which are byte columns, as in json_stream.h);
 *  - blank lines (nothing between two line ends) are skipped.
 * What it rejects, with the file, line and column: a quoted field still open at the end
 * of the input (at its opening quote), a byte other than the delimiter or a line end after
 * a closing quote, a NUL byte, invalid UTF-8 (at the first bad byte), a record longer than
 * the limit (at its start) and a record with more fields than the limit (at the field).
 *
 * Memory is bounded by the largest record (at most max_record bytes, kept twice: as read
 * and unquoted), whatever the size of the file. */
#ifndef EV_CSV_H
#define EV_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "util/status.h"

/* One field: its unquoted contents text[0..len) (NUL-terminated; may hold newlines, and
 * NUL never occurs), and the 1-based line and byte column of its first byte in the file
 * (the opening quote when quoted; for an empty field, where it would start). */
typedef struct {
    const char *text;
    size_t len;
    long line;
    long col;
    bool quoted;
} ev_csv_field;

/* One record. fields, and the texts they point to, stay valid until the next call on
 * the reader. */
typedef struct {
    const ev_csv_field *fields;
    size_t n;
    long line;    /* line of the record's first byte */
    size_t index; /* 0-based number of the record (the header line is record 0) */
} ev_csv_record;

typedef struct {
    char delim;        /* ';' (the default when 0) or ',' */
    size_t max_record; /* bytes in one record; 0 gives 16 MiB */
    size_t max_fields; /* fields in one record; 0 gives 4096 */
} ev_csv_options;

typedef struct ev_csv ev_csv;

/* Opens a reader over fp (not closed by the reader). name is used in error messages;
 * opt may be NULL for the defaults. The caller frees the reader with ev_csv_free. */
ev_csv *ev_csv_new(FILE *fp, const char *name, const ev_csv_options *opt);

/* Reads the next record. Returns EV_OK with *has = 1 and rec filled, EV_OK with *has = 0
 * at the end of the input, or an error (EV_ERR_INPUT with line and column, EV_ERR_IO)
 * described in err (which may be NULL). Errors are sticky. */
ev_status ev_csv_next(ev_csv *c, ev_csv_record *rec, int *has, ev_error *err);

/* Bytes consumed so far. */
unsigned long long ev_csv_offset(const ev_csv *c);

void ev_csv_free(ev_csv *c);

#endif
