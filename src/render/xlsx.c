/* xlsx.c: the workbook.xlsx renderer. Writes the pack model with libxlsxwriter in
 * constant-memory mode: a Summary (pack facts, counts, a stacked column chart per
 * framework), the service matrix, one sheet per framework with two empty columns for the
 * reviewer, the inherited controls with their Artifact citations, every active finding
 * (through ev_pack_each_finding, continuing on "Findings (2)" ... past Excel's row limit),
 * manual evidence, exceptions, unmapped findings and sources. Every count is a field of
 * the model, never recomputed. Text is written as text, never as a formula: ill-formed
 * UTF-8 and the non-characters U+FFFE/U+FFFF become U+FFFD, a literal "_xHHHH_" gets its
 * underscore escaped so Excel shows it as written, and text past Excel's 32,767-character
 * cell limit is cut with a visible marker and counted on the Summary. Dates are real dates;
 * the file's own dates come from the as-of date, so a pack gives the same bytes every time.
 * Every sheet is added first, in tab order, then written row by row (constant-memory mode
 * allows no going back); the Summary is written last so that its notes count everything. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <xlsxwriter.h>

#include "evaluate/evaluate.h"
#include "render/render.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/utf8.h"

#define XL_TEXT_MAX 32767  /* characters in a cell (we count bytes: never more) */
#define XL_CUT_RESERVE 64  /* room for the cut marker */
#define XL_URL_MAX 2079    /* characters in a hyperlink */
#define XL_LINKS_MAX 65530 /* hyperlinks in a worksheet (Excel's limit) */
/* Hyperlinks on a Findings sheet: libxlsxwriter keeps about 2.3 KB per link until the
 * workbook is closed (even in constant-memory mode), so a sheet holding Excel's 65,530
 * took some 150 MB. There, only findings that are not passing get a link (a passing
 * finding's remediation URL is plain text), and at most this many per sheet, so the
 * workbook's memory stays flat whatever the number of findings (docs/performance.md). */
#define XL_FINDING_LINKS_MAX 10000
#define XL_ROWS (LXW_ROW_MAX - 1) /* data rows below a header row */
#define XL_NAME_MAX 31            /* UTF-16 units in a sheet name */
#define XL_PROP_MAX 255           /* characters in a document property */
#define XL_ZIP64_FROM 500000      /* active findings from which the zip may pass 4 GB */
#define XL_BLOCK_ROWS 17          /* Summary rows per framework block (fits a chart) */

/* Cell formats. */
enum {
    F_TEXT,
    F_TOP,
    F_WRAP,
    F_HEAD,
    F_TITLE,
    F_LABEL,
    F_COUNT,
    F_DATE,
    F_TIME,
    F_URL,
    F_REVIEW,
    F_N
};

/* Conditional-format colours. */
enum { C_RED, C_GREEN, C_AMBER, C_ORANGE, C_BLUE, C_PURPLE, C_TEAL, C_GREY, C_N };

typedef struct {
    const char *title;
    double width;
} xl_col;

typedef struct {
    lxw_worksheet *ws;
    const char *name;
    lxw_row_t row;      /* the row being written; rows before it are flushed */
    size_t links;       /* hyperlinks written on this sheet */
    const xl_col *cols; /* the table's columns, for the widths */
    size_t n_cols;
    lxw_row_t tall_row; /* the row whose height was last raised, and to how many lines */
    unsigned lines;
} xl_sheet;

typedef struct {
    lxw_workbook *wb;
    const char *path;
    lxw_format *f[F_N];
    lxw_format *c[C_N];
    lxw_error lerr;   /* the first libxlsxwriter error; every later write is skipped */
    char where[160];  /* where it happened */
    size_t cut_cells; /* cells cut at Excel's limit */
    size_t url_text;  /* remediation URLs written as plain text */
    ev_buf text;      /* one cell's text, when it had to be changed */
    ev_buf join;      /* a list joined into one cell */
    char **names;     /* sheet names taken */
    size_t n_names;
} xl;

typedef struct {
    const char *value;
    int colour;
} xl_rule;

static const xl_rule result_rules[] = {{"failed", C_RED},
                                       {"passed", C_GREEN},
                                       {"warning", C_AMBER},
                                       {"unrecognised", C_ORANGE},
                                       {"not-available", C_GREY},
                                       {"none", C_GREY},
                                       {NULL, 0}};
static const xl_rule freshness_rules[] = {
    {"current", C_GREEN}, {"stale", C_AMBER}, {"citation missing", C_RED}, {NULL, 0}};
static const xl_rule severity_rules[] = {
    {"critical", C_RED}, {"high", C_ORANGE}, {"medium", C_AMBER}, {NULL, 0}};
static const xl_rule owner_rules[] = {{"aws", C_BLUE},
                                      {"customer", C_PURPLE},
                                      {"shared", C_TEAL},
                                      {"not-applicable", C_GREY},
                                      {NULL, 0}};
static const xl_rule state_rules[] = {{"in-force", C_GREEN},
                                      {"expired", C_GREY},
                                      {"not-yet-approved", C_AMBER},
                                      {"current", C_GREEN},
                                      {"pass", C_GREEN},
                                      {"fail", C_RED},
                                      {NULL, 0}};

/* Colours of the control statuses (cells, and chart series), by name; others are grey. */
static const struct {
    const char *name;
    int colour;
    lxw_color_t chart;
} status_styles[] = {{"inherited", C_BLUE, 0x5B9BD5},       {"passing", C_GREEN, 0x70AD47},
                     {"passing-manual", C_TEAL, 0x3FA796},  {"failing", C_RED, 0xC00000},
                     {"accepted-risk", C_PURPLE, 0x7030A0}, {"no-evidence", C_AMBER, 0xFFC000},
                     {"suppressed", C_GREY, 0xA5A5A5},      {"needs-review", C_ORANGE, 0xED7D31}};

static int status_colour(ev_control_status s, lxw_color_t *chart)
{
    const char *name = ev_control_status_name(s);
    for (size_t i = 0; i < sizeof status_styles / sizeof *status_styles; i++)
        if (strcmp(status_styles[i].name, name) == 0) {
            if (chart)
                *chart = status_styles[i].chart;
            return status_styles[i].colour;
        }
    if (chart)
        *chart = 0x7F7F7F;
    return C_GREY;
}

/* A status as a column title: "no-evidence" gives "No evidence". */
static const char *status_label(ev_control_status s, char *buf, size_t size)
{
    snprintf(buf, size, "%s", ev_control_status_name(s));
    for (char *q = buf; *q; q++)
        if (*q == '-')
            *q = ' ';
    buf[0] = (char)toupper((unsigned char)buf[0]);
    return buf;
}

/* ---- errors ---- */

/* Records the first libxlsxwriter error and where it happened. */
static void check(xl *x, lxw_error e, const xl_sheet *sh, lxw_col_t col)
{
    if (e == LXW_NO_ERROR || x->lerr != LXW_NO_ERROR)
        return;
    x->lerr = e;
    if (sh) {
        char cell[LXW_MAX_CELL_NAME_LENGTH];
        lxw_rowcol_to_cell(cell, sh->row, col);
        snprintf(x->where, sizeof x->where, "sheet '%s', cell %s", sh->name, cell);
    } else {
        snprintf(x->where, sizeof x->where, "workbook");
    }
}

static ev_status xl_fail(const xl *x, ev_error *err)
{
    return ev_error_set(err, EV_ERR_OUTPUT, x->path, 0, 0, "cannot write the workbook: %s (%s)",
                        lxw_strerror(x->lerr), x->where);
}

/* ---- text ---- */

/* True when s[i] starts "_xHHHH_", which Excel reads as an escaped character. */
static bool escape_like(const char *s, size_t n, size_t i)
{
    if (i + 7 > n || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_')
        return false;
    for (size_t k = 2; k < 6; k++)
        if (!isxdigit((unsigned char)s[i + k]))
            return false;
    return true;
}

/* True when s[0..n) can go to the file as it is. */
static bool text_plain(const char *s, size_t n)
{
    if (n > XL_TEXT_MAX || !ev_utf8_valid(s, n, NULL))
        return false;
    for (const char *q = memchr(s, '_', n); q; q = memchr(q + 1, '_', n - (size_t)(q + 1 - s)))
        if (escape_like(s, n, (size_t)(q - s)))
            return false;
    for (const char *q = memchr(s, 0xEF, n); q; q = memchr(q + 1, 0xEF, n - (size_t)(q + 1 - s)))
        if ((size_t)(q - s) + 2 < n && (unsigned char)q[1] == 0xBF &&
            ((unsigned char)q[2] == 0xBE || (unsigned char)q[2] == 0xBF))
            return false;
    return true;
}

/* The text of a cell: s itself when it is fit for the file, else a changed copy (valid
 * only until the next call): ill-formed UTF-8 and U+FFFE/U+FFFF become U+FFFD, "_xHHHH_"
 * gets its underscore escaped as "_x005F_", and text past 32,767 bytes is cut on a
 * character boundary with the marker "… [cut: N characters]" (counted). */
static const char *cell_text(xl *x, const char *s, size_t *len)
{
    size_t n = strlen(s);
    if (text_plain(s, n)) {
        *len = n;
        return s;
    }
    char *fixed = NULL;
    if (!ev_utf8_valid(s, n, NULL)) {
        fixed = ev_utf8_sanitize(s, n, NULL);
        s = fixed;
        n = strlen(fixed);
    }
    ev_buf *b = &x->text;
    ev_buf_clear(b);
    size_t cut_at = 0, chars = 0, chars_kept = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        size_t l = ev_utf8_decode(s + i, n - i, &cp);
        if (l == 0) { /* cannot happen after sanitising; stay safe */
            l = 1;
            cp = 0xFFFD;
            ev_buf_puts(b, "\xEF\xBF\xBD");
        } else if (cp == 0xFFFE || cp == 0xFFFF) {
            ev_buf_puts(b, "\xEF\xBF\xBD");
        } else if (cp == '_' && escape_like(s, n, i)) {
            ev_buf_puts(b, "_x005F_");
        } else {
            ev_buf_put(b, s + i, l);
        }
        i += l;
        chars++;
        if (b->len <= XL_TEXT_MAX - XL_CUT_RESERVE) {
            cut_at = b->len;
            chars_kept = chars;
        }
    }
    if (b->len > XL_TEXT_MAX) {
        b->len = cut_at;
        b->data[cut_at] = '\0';
        ev_buf_printf(b, "\xE2\x80\xA6 [cut: %zu characters]", chars - chars_kept);
        x->cut_cells++;
    }
    free(fixed);
    *len = b->len;
    return ev_buf_cstr(b);
}

static void put_cp(ev_buf *b, unsigned cp)
{
    char u[4];
    if (cp < 0x80) {
        ev_buf_putc(b, (char)cp);
        return;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        ev_buf_put(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        ev_buf_put(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        ev_buf_put(b, u, 4);
    }
}

/* Short plain text for a sheet name (sheet set) or a document property: control
 * characters and U+FFFE/U+FFFF become spaces, and for a sheet name the characters Excel
 * forbids ([]:*?/\) become '-' and leading and trailing apostrophes go; leading and
 * trailing spaces go; the result is cut to max_units UTF-16 units. The caller frees it.
 * tests/cli/xlsx_check.py mirrors this. */
static char *plain_text(const char *s, size_t max_units, bool sheet)
{
    size_t n = strlen(s);
    char *fixed = ev_utf8_valid(s, n, NULL) ? NULL : ev_utf8_sanitize(s, n, NULL);
    if (fixed) {
        s = fixed;
        n = strlen(fixed);
    }
    unsigned *cps = ev_xcalloc(n + 1, sizeof *cps);
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        size_t l = ev_utf8_decode(s + i, n - i, &cp);
        if (l == 0) {
            l = 1;
            cp = 0xFFFD;
        }
        i += l;
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
            cp = ' ';
        else if (sheet && cp < 0x80 && strchr("[]:*?/\\", (int)cp))
            cp = '-';
        cps[m++] = cp;
    }
    free(fixed);
    size_t start = 0;
    while (start < m && (cps[start] == ' ' || (sheet && cps[start] == '\'')))
        start++;
    size_t end = start, units = 0;
    while (end < m) {
        size_t u = cps[end] > 0xFFFF ? 2 : 1;
        if (units + u > max_units)
            break;
        units += u;
        end++;
    }
    while (end > start && (cps[end - 1] == ' ' || (sheet && cps[end - 1] == '\'')))
        end--;
    ev_buf b = EV_BUF_INIT;
    for (size_t i = start; i < end; i++)
        put_cp(&b, cps[i]);
    free(cps);
    return ev_buf_detach(&b);
}

/* ---- cells ---- */

/* Lines that wrapped text takes in a column of the given width (about 1.1 characters per
 * width unit of the default font, plus the explicit line breaks). */
static unsigned text_lines(const char *s, double width)
{
    size_t per_line = width > 1 ? (size_t)(width * 1.1) : 1, run = 0;
    unsigned lines = 0;
    for (const char *q = s;; q++) {
        if (*q == '\n' || *q == '\0') {
            lines += run == 0 ? 1 : (unsigned)((run + per_line - 1) / per_line);
            run = 0;
            if (!*q)
                break;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            run++;
        }
    }
    return lines;
}

/* Makes the current row tall enough for wrapped text: neither Excel nor LibreOffice fits
 * row heights to their text when they open a file. */
static void fit_row(xl *x, xl_sheet *sh, lxw_col_t col, const char *t)
{
    if (!sh->cols || col >= sh->n_cols)
        return;
    if (sh->tall_row != sh->row) {
        sh->tall_row = sh->row;
        sh->lines = 1;
    }
    unsigned lines = text_lines(t, sh->cols[col].width);
    if (lines <= sh->lines)
        return;
    sh->lines = lines;
    double height = 15.0 * lines;
    check(x, worksheet_set_row(sh->ws, sh->row, height > 409 ? 409 : height, NULL), sh, col);
}

static void put_text(xl *x, xl_sheet *sh, lxw_col_t col, const char *s, int f)
{
    if (!s || x->lerr)
        return;
    size_t len;
    const char *t = cell_text(x, s, &len);
    if (len == 0)
        return;
    check(x, worksheet_write_string(sh->ws, sh->row, col, t, x->f[f]), sh, col);
    if (f == F_WRAP && !x->lerr)
        fit_row(x, sh, col, t);
}

static void put_num(xl *x, xl_sheet *sh, lxw_col_t col, double v)
{
    if (!x->lerr)
        check(x, worksheet_write_number(sh->ws, sh->row, col, v, x->f[F_COUNT]), sh, col);
}

static void put_blank(xl *x, xl_sheet *sh, lxw_col_t col, int f)
{
    if (!x->lerr)
        check(x, worksheet_write_blank(sh->ws, sh->row, col, x->f[f]), sh, col);
}

/* Excel's dates run from 1900-03-01 (before it, Excel's 1900 leap-year bug) to 9999. */
static bool excel_time(int64_t t)
{
    return t >= -2203891200LL && t <= 253402300799LL;
}

/* A "YYYY-MM-DD" date as a real date; other text as text. */
static void put_date(xl *x, xl_sheet *sh, lxw_col_t col, const char *ymd)
{
    int64_t t;
    if (!ymd || x->lerr)
        return;
    if (ev_date_parse(ymd, &t) && excel_time(t))
        check(x, worksheet_write_unixtime(sh->ws, sh->row, col, t, x->f[F_DATE]), sh, col);
    else
        put_text(x, sh, col, ymd, F_TOP);
}

/* A timestamp (epoch seconds, 0 when unknown) as a real date-time; else its text. */
static void put_time(xl *x, xl_sheet *sh, lxw_col_t col, int64_t t, const char *text)
{
    if (x->lerr)
        return;
    if (t != 0 && excel_time(t))
        check(x, worksheet_write_unixtime(sh->ws, sh->row, col, t, x->f[F_TIME]), sh, col);
    else
        put_text(x, sh, col, text, F_TEXT);
}

/* The length of url once libxlsxwriter has %-escaped it (an upper bound), so that an
 * over-long link is caught here and not by the library, which prints a warning. */
static size_t escaped_url_len(const char *url, size_t n)
{
    size_t len = n;
    for (size_t i = 0; i < n; i++)
        if (strchr("\"<>[]`^{}\\|", url[i]) ||
            (url[i] == '%' && !(i + 2 < n && isxdigit((unsigned char)url[i + 1]) &&
                                isxdigit((unsigned char)url[i + 2]))))
            len += 2;
    return len;
}

/* A link only for plain http/https URLs (printable ASCII, no spaces) within Excel's limits
 * of length and of max_links per sheet; anything else as text (counted). */
static void put_url(xl *x, xl_sheet *sh, lxw_col_t col, const char *url, size_t max_links)
{
    if (!url || !*url || x->lerr)
        return;
    size_t n = strlen(url);
    bool link = (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
                sh->links < max_links;
    for (size_t i = 0; link && i < n; i++)
        link = url[i] > 0x20 && url[i] < 0x7F;
    link = link && escaped_url_len(url, n) <= XL_URL_MAX;
    if (link) {
        lxw_error e = worksheet_write_url(sh->ws, sh->row, col, url, x->f[F_URL]);
        if (e == LXW_NO_ERROR) {
            sh->links++;
            return;
        }
        if (e != LXW_ERROR_WORKSHEET_MAX_URL_LENGTH_EXCEEDED &&
            e != LXW_ERROR_WORKSHEET_MAX_NUMBER_URLS_EXCEEDED) {
            check(x, e, sh, col);
            return;
        }
    }
    x->url_text++;
    put_text(x, sh, col, url, F_TEXT);
}

static const char *join(xl *x, char *const *v, size_t n, const char *sep)
{
    ev_buf_clear(&x->join);
    for (size_t i = 0; i < n; i++) {
        if (i)
            ev_buf_puts(&x->join, sep);
        ev_buf_puts(&x->join, v[i] ? v[i] : "");
    }
    return n ? ev_buf_cstr(&x->join) : NULL;
}

/* ---- sheets ---- */

static bool name_taken(const xl *x, const char *name)
{
    if (strcasecmp(name, "History") == 0) /* reserved by Excel */
        return true;
    for (size_t i = 0; i < x->n_names; i++)
        if (strcasecmp(x->names[i], name) == 0)
            return true;
    return false;
}

static const char *take_name(xl *x, char *name)
{
    x->names = ev_xrealloc(x->names, (x->n_names + 1) * sizeof *x->names);
    x->names[x->n_names++] = name;
    return name;
}

/* A valid sheet name for text not yet taken: cleaned and cut to 31 units, then " (2)",
 * " (3)" ... until it is unique (Excel compares names without case). */
static const char *unique_name(xl *x, const char *text)
{
    char *name = plain_text(text, XL_NAME_MAX, true);
    if (!*name) {
        free(name);
        name = ev_xstrdup("Sheet");
    }
    for (unsigned k = 2; name_taken(x, name); k++) {
        char suffix[16];
        int sl = snprintf(suffix, sizeof suffix, " (%u)", k);
        free(name);
        char *base = plain_text(text, XL_NAME_MAX - (size_t)sl, true);
        ev_buf b = EV_BUF_INIT;
        ev_buf_printf(&b, "%s%s", *base ? base : "Sheet", suffix);
        free(base);
        name = ev_buf_detach(&b);
    }
    return take_name(x, name);
}

static void add_sheet(xl *x, xl_sheet *sh, const char *name)
{
    sh->name = name;
    sh->row = 0;
    sh->links = 0;
    sh->cols = NULL;
    sh->n_cols = 0;
    sh->tall_row = 0;
    sh->lines = 1;
    if (x->lerr)
        return;
    lxw_error e = workbook_validate_sheet_name(x->wb, name);
    sh->ws = e == LXW_NO_ERROR ? workbook_add_worksheet(x->wb, name) : NULL;
    if (!sh->ws)
        check(x, e != LXW_NO_ERROR ? e : LXW_ERROR_MEMORY_MALLOC_FAILED, NULL, 0);
}

/* Writes the header row (two lines high, wrapped), sets the column widths, freezes the
 * header (and freeze_cols columns) and prints landscape, one page wide, the header on every
 * page; the next row written is the first data row. */
static void table_head(xl *x, xl_sheet *sh, const xl_col *cols, size_t n, lxw_col_t freeze_cols)
{
    if (x->lerr)
        return;
    check(x, worksheet_set_row(sh->ws, 0, 30, NULL), sh, 0);
    check(x, worksheet_repeat_rows(sh->ws, 0, 0), sh, 0);
    worksheet_set_landscape(sh->ws);
    worksheet_fit_to_pages(sh->ws, 1, 0);
    sh->cols = cols;
    sh->n_cols = n;
    for (size_t i = 0; i < n; i++) {
        check(x, worksheet_set_column(sh->ws, (lxw_col_t)i, (lxw_col_t)i, cols[i].width, NULL), sh,
              (lxw_col_t)i);
        put_text(x, sh, (lxw_col_t)i, cols[i].title, F_HEAD);
    }
    worksheet_freeze_panes(sh->ws, 1, freeze_cols);
    sh->row = 1;
}

/* Colours the cells of column col in the data rows whose value is one of rules. */
static void colour_rules(xl *x, xl_sheet *sh, lxw_col_t col, const xl_rule *rules)
{
    if (x->lerr || sh->row <= 1)
        return;
    for (const xl_rule *r = rules; r->value; r++) {
        char v[64];
        snprintf(v, sizeof v, "\"%s\"", r->value);
        lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                     .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                     .value_string = v,
                                     .format = x->c[r->colour]};
        check(x, worksheet_conditional_format_range(sh->ws, 1, col, sh->row - 1, col, &cf), sh,
              col);
    }
}

/* Colours the control statuses in column col. */
static void colour_status(xl *x, xl_sheet *sh, lxw_col_t col)
{
    for (int st = 0; st < EV_CONTROL_STATUS_COUNT && !x->lerr && sh->row > 1; st++) {
        char v[64];
        snprintf(v, sizeof v, "\"%s\"", ev_control_status_name((ev_control_status)st));
        lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_CELL,
                                     .criteria = LXW_CONDITIONAL_CRITERIA_EQUAL_TO,
                                     .value_string = v,
                                     .format = x->c[status_colour((ev_control_status)st, NULL)]};
        check(x, worksheet_conditional_format_range(sh->ws, 1, col, sh->row - 1, col, &cf), sh,
              col);
    }
}

/* Puts the autofilter over the header and the rows written. */
static void table_end(xl *x, xl_sheet *sh, size_t n_cols)
{
    if (x->lerr)
        return;
    lxw_row_t last = sh->row > 1 ? sh->row - 1 : 0;
    check(x, worksheet_autofilter(sh->ws, 0, 0, last, (lxw_col_t)(n_cols - 1)), sh, 0);
}

/* ---- formats and properties ---- */

static lxw_format *colour_format(lxw_workbook *wb, lxw_color_t bg, lxw_color_t fg)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_bg_color(f, bg);
    format_set_font_color(f, fg);
    return f;
}

static void make_formats(xl *x)
{
    lxw_workbook *wb = x->wb;
    x->f[F_TEXT] = NULL;
    x->f[F_TOP] = workbook_add_format(wb);
    format_set_align(x->f[F_TOP], LXW_ALIGN_VERTICAL_TOP);
    x->f[F_WRAP] = workbook_add_format(wb);
    format_set_align(x->f[F_WRAP], LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(x->f[F_WRAP]);
    x->f[F_HEAD] = workbook_add_format(wb);
    format_set_bold(x->f[F_HEAD]);
    format_set_bg_color(x->f[F_HEAD], 0xD9E1F2);
    format_set_bottom(x->f[F_HEAD], LXW_BORDER_THIN);
    format_set_text_wrap(x->f[F_HEAD]);
    format_set_align(x->f[F_HEAD], LXW_ALIGN_VERTICAL_TOP);
    x->f[F_TITLE] = workbook_add_format(wb);
    format_set_bold(x->f[F_TITLE]);
    format_set_font_size(x->f[F_TITLE], 13);
    x->f[F_LABEL] = workbook_add_format(wb);
    format_set_bold(x->f[F_LABEL]);
    format_set_align(x->f[F_LABEL], LXW_ALIGN_VERTICAL_TOP);
    x->f[F_COUNT] = workbook_add_format(wb);
    format_set_num_format(x->f[F_COUNT], "#,##0");
    format_set_align(x->f[F_COUNT], LXW_ALIGN_VERTICAL_TOP);
    x->f[F_DATE] = workbook_add_format(wb);
    format_set_num_format(x->f[F_DATE], "yyyy-mm-dd");
    format_set_align(x->f[F_DATE], LXW_ALIGN_LEFT);
    format_set_align(x->f[F_DATE], LXW_ALIGN_VERTICAL_TOP);
    x->f[F_TIME] = workbook_add_format(wb);
    format_set_num_format(x->f[F_TIME], "yyyy-mm-dd hh:mm:ss");
    format_set_align(x->f[F_TIME], LXW_ALIGN_LEFT);
    format_set_align(x->f[F_TIME], LXW_ALIGN_VERTICAL_TOP);
    x->f[F_URL] = workbook_add_format(wb);
    format_set_font_color(x->f[F_URL], LXW_COLOR_BLUE);
    format_set_underline(x->f[F_URL], LXW_UNDERLINE_SINGLE);
    format_set_align(x->f[F_URL], LXW_ALIGN_VERTICAL_TOP);
    x->f[F_REVIEW] = workbook_add_format(wb);
    format_set_bg_color(x->f[F_REVIEW], 0xFFF2CC);
    format_set_border(x->f[F_REVIEW], LXW_BORDER_THIN);
    format_set_border_color(x->f[F_REVIEW], 0xBFBFBF);
    format_set_align(x->f[F_REVIEW], LXW_ALIGN_VERTICAL_TOP);
    format_set_text_wrap(x->f[F_REVIEW]);
    x->c[C_RED] = colour_format(wb, 0xFFC7CE, 0x9C0006);
    x->c[C_GREEN] = colour_format(wb, 0xC6EFCE, 0x006100);
    x->c[C_AMBER] = colour_format(wb, 0xFFEB9C, 0x9C5700);
    x->c[C_ORANGE] = colour_format(wb, 0xF8CBAD, 0x843C0C);
    x->c[C_BLUE] = colour_format(wb, 0xDDEBF7, 0x1F4E78);
    x->c[C_PURPLE] = colour_format(wb, 0xE4DFEC, 0x5B2C6F);
    x->c[C_TEAL] = colour_format(wb, 0xD9F2EF, 0x1E5B57);
    x->c[C_GREY] = colour_format(wb, 0xEDEDED, 0x404040);
}

static const char *fw_label(ev_buf *b, const ev_framework *fw)
{
    ev_buf_clear(b);
    ev_buf_puts(b, fw->name ? fw->name : fw->id);
    if (fw->version && *fw->version)
        ev_buf_printf(b, " %s", fw->version);
    return ev_buf_cstr(b);
}

/* Title, subject, company and comments from the pack, created at the as-of date. */
static void set_properties(xl *x, const ev_pack *p)
{
    const ev_scope *s = p->scope;
    ev_buf subject = EV_BUF_INIT, comments = EV_BUF_INIT, keywords = EV_BUF_INIT;
    ev_buf_printf(&subject, "Evidence pack%s%s, as of %s", s && s->organisation ? " for " : "",
                  s && s->organisation ? s->organisation : "", p->as_of);
    ev_buf_printf(&comments, "Produced by evpack %s from the pack model; as of %s",
                  p->tool_version ? p->tool_version : "", p->as_of);
    if (p->inputs_digest[0])
        ev_buf_printf(&comments, "; inputs digest %s", p->inputs_digest);
    for (size_t k = 0; k < p->n_frameworks; k++)
        ev_buf_printf(&keywords, "%s%s", k ? ", " : "", p->frameworks[k].framework->id);
    char *title = plain_text(s && s->title ? s->title : "Evidence pack", XL_PROP_MAX, false);
    char *subj = plain_text(ev_buf_cstr(&subject), XL_PROP_MAX, false);
    char *company = plain_text(s && s->organisation ? s->organisation : "", XL_PROP_MAX, false);
    char *category =
        plain_text(s && s->classification ? s->classification : "", XL_PROP_MAX, false);
    char *kw = plain_text(ev_buf_cstr(&keywords), XL_PROP_MAX, false);
    char *comm = plain_text(ev_buf_cstr(&comments), XL_PROP_MAX, false);
    lxw_doc_properties props = {.title = title,
                                .subject = subj,
                                .company = *company ? company : NULL,
                                .category = *category ? category : NULL,
                                .keywords = *kw ? kw : NULL,
                                .comments = comm,
                                .created = (time_t)p->as_of_time};
    check(x, workbook_set_properties(x->wb, &props), NULL, 0);
    if (!x->lerr)
        check(x, workbook_set_custom_property_string(x->wb, "As of", p->as_of), NULL, 0);
    if (!x->lerr && p->inputs_digest[0])
        check(x, workbook_set_custom_property_string(x->wb, "Inputs digest", p->inputs_digest),
              NULL, 0);
    free(title);
    free(subj);
    free(company);
    free(category);
    free(kw);
    free(comm);
    ev_buf_free(&subject);
    ev_buf_free(&comments);
    ev_buf_free(&keywords);
}

/* ---- Services ---- */

static void write_services(xl *x, xl_sheet *sh, const ev_pack *p)
{
    const ev_services *sv = p->services;
    if (!sv) {
        static const xl_col cols[] = {{"Service", 22}, {"Note", 90}};
        table_head(x, sh, cols, 2, 0);
        const char *note = "The service responsibility matrix is not built: no service catalogue "
                           "was given.";
        size_t n = p->scope ? p->scope->n_services : 0;
        for (size_t i = 0; i < n || (i == 0 && n == 0); i++, sh->row++) {
            put_text(x, sh, 0, n ? p->scope->services[i] : "none listed in the scope", F_TOP);
            put_text(x, sh, 1, note, F_WRAP);
        }
        table_end(x, sh, 2);
        return;
    }
    size_t n_cols = 6 + sv->n_domains;
    xl_col *cols = ev_xcalloc(n_cols, sizeof *cols);
    cols[0] = (xl_col){"Service", 16};
    cols[1] = (xl_col){"Name", 34};
    cols[2] = (xl_col){"Service model", 15};
    cols[3] = (xl_col){"In scope", 10};
    cols[4] = (xl_col){"Active findings", 15};
    for (size_t d = 0; d < sv->n_domains; d++)
        cols[5 + d] = (xl_col){sv->domains[d].title ? sv->domains[d].title : sv->domains[d].id, 16};
    cols[n_cols - 1] = (xl_col){"Note", 60};
    table_head(x, sh, cols, n_cols, 1);
    for (size_t i = 0; i < p->n_service_rows; i++, sh->row++) {
        const ev_service_row *r = &p->service_rows[i];
        const ev_service *v = r->service;
        put_text(x, sh, 0, v->id, F_TOP);
        put_text(x, sh, 1, v->name, F_WRAP);
        put_text(x, sh, 2, v->model, F_TOP);
        put_text(x, sh, 3, r->in_scope ? "yes" : "no", F_TOP);
        put_num(x, sh, 4, (double)r->findings);
        for (size_t d = 0; d < sv->n_domains; d++)
            put_text(x, sh, (lxw_col_t)(5 + d), ev_owner_name(v->owners[d]), F_TOP);
        put_text(x, sh, (lxw_col_t)(n_cols - 1), v->note, F_WRAP);
    }
    for (size_t d = 0; d < sv->n_domains; d++)
        colour_rules(x, sh, (lxw_col_t)(5 + d), owner_rules);
    table_end(x, sh, n_cols);
    sh->cols = NULL;
    free(cols);
}

/* ---- frameworks ---- */

static const char *or_not_stated(const char *s)
{
    return s && *s ? s : "not stated";
}

/* The citations of a control as text, one per line. */
static const char *citations_text(xl *x, const ev_control_result *cr)
{
    ev_buf *b = &x->join;
    ev_buf_clear(b);
    for (size_t i = 0; i < cr->n_citations; i++) {
        const ev_citation_result *r = &cr->citations[i];
        const char *title = r->report && r->report->title ? r->report->title : r->citation->report;
        if (i)
            ev_buf_putc(b, '\n');
        ev_buf_printf(b, "%s, %s: ", title ? title : "", or_not_stated(r->citation->section));
        if (r->edition)
            ev_buf_printf(
                b, "edition %s to %s, retrieved %s: ", or_not_stated(r->edition->period_start),
                or_not_stated(r->edition->period_end), or_not_stated(r->edition->retrieved));
        else
            ev_buf_puts(b, "no edition held: ");
        ev_buf_puts(b, ev_freshness_name(r->freshness));
    }
    return cr->n_citations ? ev_buf_cstr(b) : NULL;
}

/* Columns of a framework sheet; the two reviewer columns come last. */
static const xl_col control_cols[] = {{"Control", 12},
                                      {"Title", 40},
                                      {"Section", 9},
                                      {"Responsibility", 14},
                                      {"Status", 14},
                                      {"AWS statement", 44},
                                      {"Artifact citations", 48},
                                      {"Citation freshness", 17},
                                      {"Customer's complementary duty", 36},
                                      {"Customer statement", 44},
                                      {"Mapped checks", 30},
                                      {"Passed", 9},
                                      {"Failed", 9},
                                      {"Suppressed", 11},
                                      {"Needs review", 12},
                                      {"Accepted", 10},
                                      {"Stale", 9},
                                      {"Manual evidence passed", 12},
                                      {"Manual evidence failed", 12},
                                      {"Manual evidence expired", 12},
                                      {"Manual evidence", 18},
                                      {"Reviewer decision", 18},
                                      {"Reviewer notes", 40}};
enum { CONTROL_COLS = sizeof control_cols / sizeof *control_cols };

static void write_framework(xl *x, xl_sheet *sh, const ev_framework_result *fr)
{
    const lxw_col_t decision = CONTROL_COLS - 2, notes = CONTROL_COLS - 1;
    table_head(x, sh, control_cols, CONTROL_COLS, 1);
    for (size_t i = 0; i < fr->n_controls; i++, sh->row++) {
        const ev_control_result *cr = &fr->controls[i];
        const ev_control *c = cr->control;
        put_text(x, sh, 0, c->id, F_TOP);
        put_text(x, sh, 1, c->title, F_WRAP);
        put_text(x, sh, 2, c->section, F_TOP);
        put_text(x, sh, 3, ev_responsibility_name(c->responsibility), F_TOP);
        put_text(x, sh, 4, ev_control_status_name(cr->status), F_TOP);
        if (c->responsibility != EV_RESP_CUSTOMER) {
            put_text(x, sh, 5, c->aws_statement, F_WRAP);
            put_text(x, sh, 6, citations_text(x, cr), F_WRAP);
            put_text(x, sh, 7, ev_freshness_name(cr->citation_freshness), F_TOP);
            put_text(x, sh, 8, c->cuec, F_WRAP);
        }
        if (c->responsibility != EV_RESP_AWS) {
            put_text(x, sh, 9, c->customer_statement, F_WRAP);
            put_text(x, sh, 10, join(x, c->checks, c->n_checks, "\n"), F_WRAP);
        }
        put_num(x, sh, 11, (double)cr->passed);
        put_num(x, sh, 12, (double)cr->failed);
        put_num(x, sh, 13, (double)cr->suppressed);
        put_num(x, sh, 14, (double)cr->review);
        put_num(x, sh, 15, (double)cr->accepted);
        put_num(x, sh, 16, (double)cr->stale);
        put_num(x, sh, 17, (double)cr->manual_passed);
        put_num(x, sh, 18, (double)cr->manual_failed);
        put_num(x, sh, 19, (double)cr->manual_expired);
        ev_buf_clear(&x->join);
        for (size_t j = 0; j < cr->n_evidence; j++)
            ev_buf_printf(&x->join, "%s%s", j ? "\n" : "", cr->evidence[j]->item->id);
        put_text(x, sh, 20, cr->n_evidence ? ev_buf_cstr(&x->join) : NULL, F_WRAP);
        put_blank(x, sh, decision, F_REVIEW);
        put_blank(x, sh, notes, F_REVIEW);
    }
    colour_rules(x, sh, 3, owner_rules);
    colour_status(x, sh, 4);
    colour_rules(x, sh, 7, freshness_rules);
    if (!x->lerr && fr->n_controls) {
        char *choices[] = {"Accepted", "Needs evidence", "Not applicable", NULL};
        lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST,
                                  .value_list = choices,
                                  .input_title = "Reviewer decision",
                                  .input_message = "Accepted, Needs evidence or Not applicable",
                                  .error_title = "Reviewer decision",
                                  .error_message = "Choose Accepted, Needs evidence or Not "
                                                   "applicable."};
        check(x, worksheet_data_validation_range(sh->ws, 1, decision, sh->row - 1, decision, &dv),
              sh, decision);
    }
    table_end(x, sh, CONTROL_COLS);
}

/* ---- Inherited ---- */

static void write_inherited(xl *x, xl_sheet *sh, const ev_pack *p)
{
    static const xl_col cols[] = {{"Framework", 18},
                                  {"Control", 12},
                                  {"Title", 40},
                                  {"Responsibility", 14},
                                  {"Control status", 14},
                                  {"Report", 16},
                                  {"Report title", 36},
                                  {"Section of the report", 24},
                                  {"Edition period start", 12},
                                  {"Edition period end", 12},
                                  {"Retrieved", 12},
                                  {"Age (days)", 10},
                                  {"Freshness", 16},
                                  {"Report SHA-256", 30},
                                  {"Report file", 24}};
    enum { N = sizeof cols / sizeof *cols };
    table_head(x, sh, cols, N, 0);
    ev_buf label = EV_BUF_INIT;
    for (size_t k = 0; k < p->n_frameworks; k++) {
        const ev_framework_result *fr = &p->frameworks[k];
        const char *fw = fw_label(&label, fr->framework);
        for (size_t i = 0; i < fr->n_controls; i++) {
            const ev_control_result *cr = &fr->controls[i];
            const ev_control *c = cr->control;
            if (c->responsibility == EV_RESP_CUSTOMER)
                continue;
            for (size_t j = 0; j < cr->n_citations; j++, sh->row++) {
                const ev_citation_result *r = &cr->citations[j];
                put_text(x, sh, 0, fw, F_TOP);
                put_text(x, sh, 1, c->id, F_TOP);
                put_text(x, sh, 2, c->title, F_WRAP);
                put_text(x, sh, 3, ev_responsibility_name(c->responsibility), F_TOP);
                put_text(x, sh, 4, ev_control_status_name(cr->status), F_TOP);
                put_text(x, sh, 5, r->citation->report, F_TOP);
                put_text(x, sh, 6, r->report ? r->report->title : NULL, F_WRAP);
                put_text(x, sh, 7, r->citation->section, F_WRAP);
                if (r->edition) {
                    put_date(x, sh, 8, r->edition->period_start);
                    put_date(x, sh, 9, r->edition->period_end);
                    put_date(x, sh, 10, r->edition->retrieved);
                    put_num(x, sh, 11, (double)r->age_days);
                }
                put_text(x, sh, 12, ev_freshness_name(r->freshness), F_TOP);
                if (r->edition) {
                    put_text(x, sh, 13, r->edition->sha256, F_TOP);
                    put_text(x, sh, 14, r->edition->file, F_TOP);
                }
            }
        }
    }
    ev_buf_free(&label);
    colour_rules(x, sh, 3, owner_rules);
    colour_status(x, sh, 4);
    colour_rules(x, sh, 12, freshness_rules);
    table_end(x, sh, N);
}

/* ---- Findings and Unmapped ---- */

static const xl_col finding_cols[] = {
    {"Source", 12},          {"Finding ID", 40},     {"Check", 24},   {"Status", 13},
    {"Workflow", 12},        {"Severity", 13},       {"Account", 14}, {"Region", 14},
    {"Resource type", 22},   {"Resource ID", 40},    {"Title", 50},   {"Updated at (UTC)", 20},
    {"Mapped controls", 30}, {"Remediation URL", 50}};
enum { FINDING_COLS = sizeof finding_cols / sizeof *finding_cols };

/* One finding's row; with_controls adds the "Mapped controls" column and marks a Findings
 * sheet, where a passing finding's remediation URL is plain text, not a link (see
 * XL_FINDING_LINKS_MAX). */
static void finding_row(xl *x, xl_sheet *sh, const ev_finding *f, const char *controls,
                        bool with_controls)
{
    put_text(x, sh, 0, f->source, F_TEXT);
    put_text(x, sh, 1, f->id, F_TEXT);
    put_text(x, sh, 2, f->check, F_TEXT);
    put_text(x, sh, 3, ev_result_name(f->result), F_TEXT);
    put_text(x, sh, 4, f->workflow, F_TEXT);
    put_text(x, sh, 5, ev_severity_name(f->severity), F_TEXT);
    put_text(x, sh, 6, f->account, F_TEXT);
    put_text(x, sh, 7, f->region, F_TEXT);
    put_text(x, sh, 8, f->resource_type, F_TEXT);
    put_text(x, sh, 9, f->resource_id, F_TEXT);
    put_text(x, sh, 10, f->title, F_TEXT);
    put_time(x, sh, 11, f->updated_at, f->updated_text);
    lxw_col_t col = 12;
    if (with_controls)
        put_text(x, sh, col++, controls, F_TEXT);
    if (!with_controls)
        put_url(x, sh, col, f->remediation_url, XL_LINKS_MAX);
    else if (f->result != EV_RESULT_PASSED)
        put_url(x, sh, col, f->remediation_url, XL_FINDING_LINKS_MAX);
    else if (f->remediation_url && *f->remediation_url && !x->lerr)
        put_text(x, sh, col, f->remediation_url, F_TEXT); /* by policy: not counted */
}

static void finding_sheet_head(xl *x, xl_sheet *sh, bool with_controls)
{
    xl_col cols[FINDING_COLS];
    size_t n = 0;
    for (size_t i = 0; i < FINDING_COLS; i++)
        if (with_controls || strcmp(finding_cols[i].title, "Mapped controls") != 0)
            cols[n++] = finding_cols[i];
    table_head(x, sh, cols, n, 0);
    sh->cols = NULL; /* no wrapped text on these sheets */
}

static void finding_sheet_end(xl *x, xl_sheet *sh, bool with_controls)
{
    colour_rules(x, sh, 3, result_rules);
    colour_rules(x, sh, 5, severity_rules);
    table_end(x, sh, with_controls ? FINDING_COLS : FINDING_COLS - 1);
}

typedef struct {
    xl *x;
    xl_sheet *sheets;
    size_t n_sheets;
    size_t cur;
    size_t rows;
} finding_walk;

static ev_status visit_finding(const ev_finding *f, const char *const *controls, size_t n_controls,
                               void *ctx, ev_error *err)
{
    finding_walk *w = ctx;
    xl *x = w->x;
    xl_sheet *sh = &w->sheets[w->cur];
    if (sh->row > XL_ROWS) {
        if (w->cur + 1 == w->n_sheets)
            return ev_error_set(err, EV_ERR_INTERNAL, x->path, 0, 0,
                                "the store holds more active findings than the pack counts");
        sh = &w->sheets[++w->cur];
    }
    finding_row(x, sh, f, join(x, (char *const *)controls, n_controls, "; "), true);
    sh->row++;
    w->rows++;
    return x->lerr ? xl_fail(x, err) : EV_OK;
}

static ev_status write_findings(xl *x, xl_sheet *sheets, size_t n_sheets, const ev_pack *p,
                                ev_store *st, ev_error *err)
{
    for (size_t i = 0; i < n_sheets; i++)
        finding_sheet_head(x, &sheets[i], true);
    if (x->lerr)
        return xl_fail(x, err);
    finding_walk w = {x, sheets, n_sheets, 0, 0};
    if (!st)
        return ev_error_set(err, EV_ERR_INTERNAL, x->path, 0, 0,
                            "no finding store to list the findings from");
    ev_status rc = ev_pack_each_finding(p, st, visit_finding, &w, err);
    if (rc != EV_OK)
        return rc;
    if (w.rows != p->findings.active - p->findings.excluded)
        return ev_error_set(err, EV_ERR_INTERNAL, x->path, 0, 0,
                            "the store holds %zu active findings, the pack counts %zu", w.rows,
                            p->findings.active - p->findings.excluded);
    for (size_t i = 0; i < n_sheets; i++)
        finding_sheet_end(x, &sheets[i], true);
    return x->lerr ? xl_fail(x, err) : EV_OK;
}

static void write_unmapped(xl *x, xl_sheet *sh, const ev_pack *p)
{
    finding_sheet_head(x, sh, false);
    for (size_t i = 0; i < p->n_unmapped_listed; i++, sh->row++)
        finding_row(x, sh, &p->unmapped[i], NULL, false);
    finding_sheet_end(x, sh, false);
}

/* ---- Exceptions and Sources ---- */

/* "FRAMEWORK:CONTROL" or "CONTROL", into x->join. */
static const char *ref_text(xl *x, const ev_control_ref *r)
{
    ev_buf_clear(&x->join);
    if (r->framework)
        ev_buf_printf(&x->join, "%s:", r->framework);
    ev_buf_puts(&x->join, r->control ? r->control : "");
    return ev_buf_cstr(&x->join);
}

static void write_exceptions(xl *x, xl_sheet *sh, const ev_pack *p)
{
    static const xl_col cols[] = {
        {"Exception", 14},        {"File", 20},     {"Control", 22},       {"Check", 24},
        {"Finding", 30},          {"Resource", 30}, {"Justification", 60}, {"Owner", 24},
        {"Approver", 24},         {"Approved", 12}, {"Expires", 12},       {"State", 16},
        {"Findings accepted", 12}};
    enum { N = sizeof cols / sizeof *cols };
    table_head(x, sh, cols, N, 1);
    for (size_t i = 0; i < p->n_exceptions; i++, sh->row++) {
        const ev_exception_result *r = &p->exceptions[i];
        const ev_exception *e = r->exception;
        put_text(x, sh, 0, e->id, F_TOP);
        put_text(x, sh, 1, r->file, F_TOP);
        put_text(x, sh, 2, e->control ? ref_text(x, e->control) : NULL, F_TOP);
        put_text(x, sh, 3, e->check, F_TOP);
        put_text(x, sh, 4, e->finding, F_WRAP);
        put_text(x, sh, 5, e->resource, F_WRAP);
        put_text(x, sh, 6, e->justification, F_WRAP);
        put_text(x, sh, 7, e->owner, F_WRAP);
        put_text(x, sh, 8, e->approver, F_WRAP);
        put_date(x, sh, 9, e->approved);
        put_date(x, sh, 10, e->expires);
        put_text(x, sh, 11, ev_exception_state_name(r->state), F_TOP);
        put_num(x, sh, 12, (double)r->findings);
    }
    if (p->n_exceptions == 0) {
        put_text(x, sh, 0, "none recorded", F_TOP);
        put_text(x, sh, 6, "No risk acceptances were given (evpack build --exceptions FILE).",
                 F_WRAP);
        sh->row++;
    } else {
        colour_rules(x, sh, 11, state_rules);
    }
    table_end(x, sh, N);
}

static void write_evidence(xl *x, xl_sheet *sh, const ev_pack *p)
{
    static const xl_col cols[] = {{"Evidence", 12},
                                  {"File", 20},
                                  {"Controls", 24},
                                  {"Status", 9},
                                  {"State", 10},
                                  {"Description", 60},
                                  {"Collected by", 24},
                                  {"Collected", 12},
                                  {"Expires", 12},
                                  {"Controls matched", 10},
                                  {"References unmatched", 12},
                                  {"Attachment", 30},
                                  {"Attachment SHA-256", 30},
                                  {"Attachment bytes", 12},
                                  {"In the pack", 30}};
    enum { N = sizeof cols / sizeof *cols };
    table_head(x, sh, cols, N, 1);
    for (size_t i = 0; i < p->n_evidence; i++, sh->row++) {
        const ev_evidence_result *r = &p->evidence[i];
        const ev_evidence_item *it = r->item;
        put_text(x, sh, 0, it->id, F_TOP);
        put_text(x, sh, 1, r->file, F_TOP);
        ev_buf refs = EV_BUF_INIT;
        for (size_t j = 0; j < it->n_controls; j++)
            ev_buf_printf(&refs, "%s%s", j ? "\n" : "", ref_text(x, &it->controls[j]));
        put_text(x, sh, 2, it->n_controls ? ev_buf_cstr(&refs) : NULL, F_WRAP);
        ev_buf_free(&refs);
        put_text(x, sh, 3, it->pass ? "pass" : "fail", F_TOP);
        put_text(x, sh, 4, r->expired ? "expired" : "current", F_TOP);
        put_text(x, sh, 5, it->description, F_WRAP);
        put_text(x, sh, 6, it->collected_by, F_WRAP);
        put_date(x, sh, 7, it->collected);
        put_date(x, sh, 8, it->expires);
        put_num(x, sh, 9, (double)r->matched);
        put_num(x, sh, 10, (double)r->unmatched);
        if (it->file) {
            put_text(x, sh, 11, it->file, F_WRAP);
            put_text(x, sh, 12, it->sha256, F_TOP);
            put_num(x, sh, 13, (double)it->file_size);
            put_text(x, sh, 14, r->attachment, F_TOP);
        }
    }
    if (p->n_evidence == 0) {
        put_text(x, sh, 0, "none recorded", F_TOP);
        put_text(x, sh, 5, "No manual evidence was given (evpack build --evidence FILE).", F_WRAP);
        sh->row++;
    } else {
        colour_rules(x, sh, 3, state_rules);
        colour_rules(x, sh, 4, state_rules);
    }
    table_end(x, sh, N);
}

static void write_sources(xl *x, xl_sheet *sh, const ev_pack *p)
{
    static const xl_col cols[] = {
        {"Path", 40}, {"Format", 10}, {"Records", 12}, {"Bytes", 16}, {"SHA-256", 68}};
    enum { N = sizeof cols / sizeof *cols };
    table_head(x, sh, cols, N, 0);
    for (size_t i = 0; i < p->n_sources; i++, sh->row++) {
        const ev_source *s = &p->sources[i];
        put_text(x, sh, 0, s->path, F_TOP);
        put_text(x, sh, 1, s->format, F_TOP);
        put_num(x, sh, 2, (double)s->records);
        put_num(x, sh, 3, (double)s->bytes);
        put_text(x, sh, 4, s->sha256, F_TOP);
    }
    table_end(x, sh, N);
}

static void head_row(xl *x, xl_sheet *sh, const char *const *titles, size_t n);

/* ---- History: the comparison with earlier packs (quarterly profile) ---- */

static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* Per framework: its counts by status in every pack compared, with a stacked column chart
 * over the packs (the trend); then every control whose status changed since the last. */
static void write_history(xl *x, xl_sheet *sh, const cJSON *cmp)
{
    char buf[64];
    const cJSON *trend = cJSON_GetObjectItemCaseSensitive(cmp, "trend");
    const cJSON *fws = cJSON_GetObjectItemCaseSensitive(cmp, "frameworks"), *fw, *pt;
    cJSON_ArrayForEach(fw, fws)
    {
        const char *fid = jstr(fw, "id");
        ev_buf_clear(&x->join);
        ev_buf_printf(&x->join, "%s %s: controls by status in each pack", jstr(fw, "name"),
                      jstr(fw, "version"));
        put_text(x, sh, 0, ev_buf_cstr(&x->join), F_TITLE);
        sh->row++;
        lxw_row_t head = sh->row;
        put_text(x, sh, 0, "Pack (as of)", F_HEAD);
        for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
            put_text(x, sh, (lxw_col_t)(1 + s), status_label((ev_control_status)s, buf, sizeof buf),
                     F_HEAD);
        sh->row++;
        cJSON_ArrayForEach(pt, trend)
        {
            const cJSON *tf = NULL, *it;
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(
                                       pt, "frameworks")) if (strcmp(jstr(it, "id"), fid) == 0) tf =
                it;
            if (!tf)
                continue; /* the framework was not in that pack */
            ev_buf_clear(&x->join);
            ev_buf_printf(&x->join, "%s (%s)", jstr(pt, "pack"), jstr(pt, "as_of"));
            put_text(x, sh, 0, ev_buf_cstr(&x->join), F_TOP);
            const cJSON *bs = cJSON_GetObjectItemCaseSensitive(tf, "by_status");
            for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(
                    bs, ev_control_status_name((ev_control_status)s));
                put_num(x, sh, (lxw_col_t)(1 + s), cJSON_IsNumber(v) ? v->valuedouble : 0);
            }
            sh->row++;
        }
        lxw_row_t last = sh->row - 1;
        if (last > head && !x->lerr) {
            lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED);
            if (!chart) {
                check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, sh, 0);
                return;
            }
            ev_buf_clear(&x->join);
            ev_buf_printf(&x->join, "Trend: %s %s", jstr(fw, "name"), jstr(fw, "version"));
            char *title = plain_text(ev_buf_cstr(&x->join), XL_PROP_MAX, false);
            chart_title_set_name(chart, title);
            free(title);
            for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++) {
                lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
                if (!series) {
                    check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, sh, 0);
                    return;
                }
                lxw_col_t col = (lxw_col_t)(1 + s);
                chart_series_set_categories(series, sh->name, head + 1, 0, last, 0);
                chart_series_set_values(series, sh->name, head + 1, col, last, col);
                chart_series_set_name(series, status_label((ev_control_status)s, buf, sizeof buf));
                lxw_chart_fill fill = {.color = 0};
                status_colour((ev_control_status)s, &fill.color);
                chart_series_set_fill(series, &fill);
            }
            chart_axis_set_name(chart->x_axis, "Pack");
            chart_axis_set_name(chart->y_axis, "Controls");
            chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
            lxw_chart_options opt = {.x_offset = 8, .y_offset = 4};
            lxw_col_t at = (lxw_col_t)(EV_CONTROL_STATUS_COUNT + 2);
            check(x, worksheet_insert_chart_opt(sh->ws, head, at, chart, &opt), sh, at);
            /* leave room for the chart before the next table */
            if (sh->row < head + 16)
                sh->row = head + 16;
        }
        sh->row++;
    }
    put_text(x, sh, 0, "Status changes since the previous pack", F_TITLE);
    sh->row++;
    static const char *const titles[] = {"Framework", "Control", "Title", "Was", "Now"};
    head_row(x, sh, titles, 5);
    size_t n = 0;
    cJSON_ArrayForEach(fw, fws)
    {
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(fw, "changed"))
        {
            put_text(x, sh, 0, jstr(fw, "id"), F_TOP);
            put_text(x, sh, 1, jstr(c, "id"), F_TOP);
            put_text(x, sh, 2, jstr(c, "title"), F_WRAP);
            put_text(x, sh, 3, jstr(c, "from"), F_TOP);
            put_text(x, sh, 4, jstr(c, "to"), F_TOP);
            sh->row++;
            n++;
        }
    }
    if (!n) {
        put_text(x, sh, 0, "none", F_TOP);
        sh->row++;
    }
    worksheet_set_column(sh->ws, 0, 0, 30, NULL);
    worksheet_set_column(sh->ws, 1, 1, 14, NULL);
    worksheet_set_column(sh->ws, 2, 2, 50, NULL);
    worksheet_set_column(sh->ws, 3, 4, 16, NULL);
}

/* ---- Summary ---- */

static void head_row(xl *x, xl_sheet *sh, const char *const *titles, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_text(x, sh, (lxw_col_t)i, titles[i], F_HEAD);
    sh->row++;
}

static void count_row(xl *x, xl_sheet *sh, const char *label, size_t v)
{
    put_text(x, sh, 0, label, F_TOP);
    put_num(x, sh, 1, (double)v);
    sh->row++;
}

static void fact_row(xl *x, xl_sheet *sh, const char *label, const char *value)
{
    put_text(x, sh, 0, label, F_LABEL);
    put_text(x, sh, 1, value, F_TOP);
    sh->row++;
}

/* One framework's responsibility × status matrix, its citation freshness, and a stacked
 * column chart of the matrix placed to its right. */
static void summary_framework(xl *x, xl_sheet *sh, const ev_framework_result *fr, ev_buf *label)
{
    const lxw_col_t total = 1 + EV_CONTROL_STATUS_COUNT;
    char buf[64];
    lxw_row_t r0 = sh->row;
    put_text(x, sh, 0, fw_label(label, fr->framework), F_TITLE);
    sh->row++;
    put_text(x, sh, 0, "Responsibility", F_HEAD);
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
        put_text(x, sh, (lxw_col_t)(1 + s), status_label((ev_control_status)s, buf, sizeof buf),
                 F_HEAD);
    put_text(x, sh, total, "Total", F_HEAD);
    sh->row++;
    for (int r = 0; r < EV_RESP_COUNT; r++, sh->row++) {
        put_text(x, sh, 0, ev_responsibility_name((ev_responsibility)r), F_LABEL);
        for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
            put_num(x, sh, (lxw_col_t)(1 + s), (double)fr->matrix[r][s]);
        put_num(x, sh, total, (double)fr->by_responsibility[r]);
    }
    put_text(x, sh, 0, "Total", F_LABEL);
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
        put_num(x, sh, (lxw_col_t)(1 + s), (double)fr->by_status[s]);
    put_num(x, sh, total, (double)fr->n_controls);
    sh->row++;
    count_row(x, sh, "Active findings mapped to its controls", fr->mapped_findings);
    count_row(x, sh, "AWS and shared controls citing current editions only",
              fr->by_citation_freshness[EV_FRESH_CURRENT]);
    count_row(x, sh, "AWS and shared controls citing a stale edition",
              fr->by_citation_freshness[EV_FRESH_STALE]);
    count_row(x, sh, "AWS and shared controls citing a report with no edition held",
              fr->by_citation_freshness[EV_FRESH_MISSING]);

    if (x->lerr)
        return;
    lxw_chart *chart = workbook_add_chart(x->wb, LXW_CHART_COLUMN_STACKED);
    if (!chart) {
        check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, sh, 0);
        return;
    }
    /* literal names: a title taken from a cell shows no text where the chart has no cached
     * values (constant-memory mode), and a literal starting with '=' would be a formula */
    ev_buf_clear(&x->join);
    ev_buf_printf(&x->join, "Controls: %s", fw_label(label, fr->framework));
    char *title = plain_text(ev_buf_cstr(&x->join), XL_PROP_MAX, false);
    chart_title_set_name(chart, title);
    free(title);
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++) {
        lxw_chart_series *series = chart_add_series(chart, NULL, NULL);
        if (!series) {
            check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, sh, 0);
            return;
        }
        lxw_col_t col = (lxw_col_t)(1 + s);
        chart_series_set_categories(series, sh->name, r0 + 2, 0, r0 + 1 + EV_RESP_COUNT, 0);
        chart_series_set_values(series, sh->name, r0 + 2, col, r0 + 1 + EV_RESP_COUNT, col);
        chart_series_set_name(series, status_label((ev_control_status)s, buf, sizeof buf));
        lxw_chart_fill fill = {.color = 0};
        status_colour((ev_control_status)s, &fill.color);
        chart_series_set_fill(series, &fill);
    }
    chart_axis_set_name(chart->x_axis, "Responsibility");
    chart_axis_set_name(chart->y_axis, "Controls");
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options opt = {.x_offset = 8, .y_offset = 4, .x_scale = 1.1, .y_scale = 1.1};
    check(x, worksheet_insert_chart_opt(sh->ws, r0, total + 2, chart, &opt), sh, total + 2);
}

static void write_summary(xl *x, xl_sheet *sh, const ev_pack *p, size_t n_findings_sheets)
{
    const ev_scope *s = p->scope;
    const ev_finding_counts *c = &p->findings;
    ev_buf label = EV_BUF_INIT, b = EV_BUF_INIT;
    char buf[64];
    if (x->lerr)
        return;
    check(x, worksheet_set_column(sh->ws, 0, 0, 58, NULL), sh, 0);
    check(x, worksheet_set_column(sh->ws, 1, 1, 20, NULL), sh, 1);
    check(x, worksheet_set_column(sh->ws, 2, 2 + EV_CONTROL_STATUS_COUNT, 13, NULL), sh, 2);
    worksheet_freeze_panes(sh->ws, 1, 0);

    static const char *const pack_head[] = {"Pack", "Value"};
    head_row(x, sh, pack_head, 2);
    fact_row(x, sh, "Organisation", s ? s->organisation : NULL);
    fact_row(x, sh, "Title", s ? s->title : NULL);
    fact_row(x, sh, "Classification", s ? s->classification : NULL);
    put_text(x, sh, 0, "Period start", F_LABEL);
    put_date(x, sh, 1, s ? s->period_start : NULL);
    sh->row++;
    put_text(x, sh, 0, "Period end", F_LABEL);
    put_date(x, sh, 1, s ? s->period_end : NULL);
    sh->row++;
    put_text(x, sh, 0, "As of", F_LABEL);
    if (!x->lerr)
        check(x, worksheet_write_unixtime(sh->ws, sh->row, 1, p->as_of_time, x->f[F_DATE]), sh, 1);
    sh->row++;
    fact_row(x, sh, "Accounts in scope", s ? join(x, s->accounts, s->n_accounts, ", ") : NULL);
    fact_row(x, sh, "Regions in scope", s ? join(x, s->regions, s->n_regions, ", ") : NULL);
    fact_row(x, sh, "Services in scope", s ? join(x, s->services, s->n_services, ", ") : NULL);
    ev_buf_clear(&b);
    for (size_t k = 0; k < p->n_frameworks; k++) {
        const ev_framework *fw = p->frameworks[k].framework;
        ev_buf_printf(&b, "%s%s (mapping edition %s)", k ? "; " : "", fw_label(&label, fw),
                      or_not_stated(fw->edition));
    }
    fact_row(x, sh, "Frameworks", p->n_frameworks ? ev_buf_cstr(&b) : NULL);
    fact_row(x, sh, "Inputs digest (SHA-256)", p->inputs_digest[0] ? p->inputs_digest : NULL);
    ev_buf_clear(&b);
    ev_buf_printf(&b, "evpack %s", p->tool_version ? p->tool_version : "");
    fact_row(x, sh, "Produced by", ev_buf_cstr(&b));
    fact_row(x, sh, "Profile", p->profile ? p->profile : "audit");
    if (p->ticket)
        fact_row(x, sh, "Change ticket", p->ticket);
    if (p->n_select_services)
        fact_row(x, sh, "Selected services",
                 join(x, p->select_services, p->n_select_services, ", "));
    if (p->n_select_resources)
        fact_row(x, sh, "Selected resources",
                 join(x, p->select_resources, p->n_select_resources, ", "));
    if (p->n_select_controls)
        fact_row(x, sh, "Selected controls",
                 join(x, p->select_controls, p->n_select_controls, ", "));
    put_text(x, sh, 0, "Findings listed per control (list limit)", F_LABEL);
    put_num(x, sh, 1, (double)p->list_limit);
    sh->row += 2;

    static const char *const src_head[] = {"Findings input", "Format", "Records", "Bytes",
                                           "SHA-256"};
    head_row(x, sh, src_head, 5);
    for (size_t i = 0; i < p->n_sources; i++, sh->row++) {
        put_text(x, sh, 0, p->sources[i].path, F_TOP);
        put_text(x, sh, 1, p->sources[i].format, F_TOP);
        put_num(x, sh, 2, (double)p->sources[i].records);
        put_num(x, sh, 3, (double)p->sources[i].bytes);
        put_text(x, sh, 4, p->sources[i].sha256, F_TOP);
    }
    sh->row++;

    static const char *const find_head[] = {"Findings", "Count"};
    head_row(x, sh, find_head, 2);
    count_row(x, sh, "Records read", c->read);
    count_row(x, sh, "Superseded by a newer delivery of the same finding", c->duplicates);
    count_row(x, sh, "Archived (not counted)", c->archived);
    count_row(x, sh, "Active", c->active);
    if (c->excluded)
        count_row(x, sh, "Active outside the ticket's selection (not counted further)",
                  c->excluded);
    count_row(x, sh, "Active and suppressed", c->suppressed);
    count_row(x, sh, "Active with an unrecognised status", c->unrecognised);
    count_row(x, sh, "Active that map to no control", c->unmapped);
    count_row(x, sh, "Unmapped findings listed on the Unmapped sheet", p->n_unmapped_listed);
    count_row(x, sh, "Active failing and accepted by an exception in force", c->accepted);
    sh->row++;

    head_row(x, sh, (const char *const[]){"Active findings by result", "Count"}, 2);
    for (int r = 0; r < EV_RESULT_COUNT; r++)
        count_row(x, sh, ev_result_name((ev_result)r), c->by_result[r]);
    sh->row++;
    head_row(x, sh, (const char *const[]){"Failing findings by severity (not suppressed)", "Count"},
             2);
    for (int r = EV_SEV_CRITICAL; r >= EV_SEV_INFORMATIONAL; r--)
        count_row(x, sh, ev_severity_name((ev_severity)r), c->by_severity[r]);
    count_row(x, sh, ev_severity_name(EV_SEV_UNKNOWN), c->by_severity[EV_SEV_UNKNOWN]);
    sh->row++;
    if (p->n_by_source) {
        put_text(x, sh, 0, "Active findings by source", F_HEAD);
        put_text(x, sh, 1, "Active", F_HEAD);
        for (int r = 0; r < EV_RESULT_COUNT; r++)
            put_text(x, sh, (lxw_col_t)(2 + r), ev_result_name((ev_result)r), F_HEAD);
        sh->row++;
        for (size_t i = 0; i < p->n_by_source; i++, sh->row++) {
            const ev_source_count *sc = &p->by_source[i];
            put_text(x, sh, 0, sc->source, F_TOP);
            put_num(x, sh, 1, (double)sc->active);
            for (int r = 0; r < EV_RESULT_COUNT; r++)
                put_num(x, sh, (lxw_col_t)(2 + r), (double)sc->by_result[r]);
        }
        sh->row++;
    }
    if (p->n_unrecognised_values) {
        head_row(x, sh, (const char *const[]){"Unrecognised status value", "Count"}, 2);
        for (size_t i = 0; i < p->n_unrecognised_values; i++)
            count_row(x, sh, p->unrecognised_values[i].value, p->unrecognised_values[i].count);
        sh->row++;
    }
    if (p->services && p->n_unknown_resource_types) {
        head_row(
            x, sh,
            (const char *const[]){"Resource type not in the service catalogue", "Active findings"},
            2);
        for (size_t i = 0; i < p->n_unknown_resource_types; i++)
            count_row(x, sh, p->unknown_resource_types[i].value,
                      p->unknown_resource_types[i].count);
        sh->row++;
    }
    head_row(x, sh, (const char *const[]){"Stale evidence", "Count"}, 2);
    count_row(x, sh, "Active findings older than the scope's maximum evidence age", c->stale);
    count_row(x, sh, "Manual evidence items past their expiry", p->evidence_expired);
    count_row(x, sh, "Artifact editions past their freshness rule", p->stale_editions);
    sh->row++;

    put_text(x, sh, 0, "Controls by status", F_HEAD);
    put_text(x, sh, 1, "Controls", F_HEAD);
    for (int st = 0; st < EV_CONTROL_STATUS_COUNT; st++)
        put_text(x, sh, (lxw_col_t)(2 + st), status_label((ev_control_status)st, buf, sizeof buf),
                 F_HEAD);
    put_text(x, sh, 2 + EV_CONTROL_STATUS_COUNT, "Mapped findings", F_HEAD);
    sh->row++;
    for (size_t k = 0; k < p->n_frameworks; k++, sh->row++) {
        const ev_framework_result *fr = &p->frameworks[k];
        put_text(x, sh, 0, fw_label(&label, fr->framework), F_LABEL);
        put_num(x, sh, 1, (double)fr->n_controls);
        for (int st = 0; st < EV_CONTROL_STATUS_COUNT; st++)
            put_num(x, sh, (lxw_col_t)(2 + st), (double)fr->by_status[st]);
        put_num(x, sh, 2 + EV_CONTROL_STATUS_COUNT, (double)fr->mapped_findings);
    }
    sh->row++;
    for (size_t k = 0; k < p->n_frameworks; k++) {
        lxw_row_t start = sh->row;
        summary_framework(x, sh, &p->frameworks[k], &label);
        sh->row = start + XL_BLOCK_ROWS;
    }

    head_row(x, sh, (const char *const[]){"Workbook notes", "Value"}, 2);
    count_row(x, sh, "Findings sheets", n_findings_sheets);
    count_row(x, sh,
              "Remediation URLs written as plain text (not http/https, too long, or past "
              "10,000 links per Findings sheet; passing findings' URLs are always text)",
              x->url_text);
    /* last, so that it counts every cell cut, this sheet's included */
    put_text(x, sh, 0, "Cells cut at Excel's limit of 32,767 characters", F_TOP);
    put_num(x, sh, 1, (double)x->cut_cells);
    ev_buf_free(&label);
    ev_buf_free(&b);
}

/* ---- the workbook ---- */

static char *parent_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ev_xstrdup(".");
    if (slash == path)
        return ev_xstrdup("/");
    return ev_xstrndup(path, (size_t)(slash - path));
}

ev_status ev_render_xlsx(const ev_pack *p, ev_store *st, const char *path, ev_error *err)
{
    xl x = {0};
    x.path = path;
    char *dir = parent_dir(path);
    size_t active = p->findings.active - p->findings.excluded; /* a ticket lists its selection */
    size_t n_findings = active == 0 ? 1 : (active + XL_ROWS - 1) / XL_ROWS;
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE,
                                .tmpdir = dir,
                                .use_zip64 = active >= XL_ZIP64_FROM ? LXW_TRUE : LXW_FALSE};
    ev_status rc = EV_OK;
    /* fail early, and with the system's reason, when the file cannot be created (the
     * library would find out only at the end, after printing to stderr) */
    FILE *probe = fopen(path, "wb");
    if (!probe || fclose(probe) != 0) {
        free(dir);
        return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "cannot create the workbook: %s",
                            strerror(errno));
    }
    x.wb = workbook_new_opt(path, &opt);
    if (!x.wb) {
        unlink(path);
        free(dir);
        return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "cannot create the workbook");
    }
    make_formats(&x);
    set_properties(&x, p);

    xl_sheet summary, history, services, inherited, evidence, exceptions, unmapped, sources;
    xl_sheet *fw = ev_xcalloc(p->n_frameworks + 1, sizeof *fw);
    xl_sheet *findings = ev_xcalloc(n_findings, sizeof *findings);
    const char **fw_names = ev_xcalloc(p->n_frameworks + 1, sizeof *fw_names);
    const char *summary_name = take_name(&x, ev_xstrdup("Summary"));
    const char *history_name = take_name(&x, ev_xstrdup("History"));
    const char *services_name = take_name(&x, ev_xstrdup("Services"));
    const char *inherited_name = take_name(&x, ev_xstrdup("Inherited"));
    for (size_t i = 0; i < n_findings; i++) {
        ev_buf b = EV_BUF_INIT;
        if (i == 0)
            ev_buf_puts(&b, "Findings");
        else
            ev_buf_printf(&b, "Findings (%zu)", i + 1);
        findings[i].name = take_name(&x, ev_buf_detach(&b));
    }
    const char *evidence_name = take_name(&x, ev_xstrdup("Evidence"));
    const char *exceptions_name = take_name(&x, ev_xstrdup("Exceptions"));
    const char *unmapped_name = take_name(&x, ev_xstrdup("Unmapped"));
    const char *sources_name = take_name(&x, ev_xstrdup("Sources"));
    {
        ev_buf label = EV_BUF_INIT;
        for (size_t k = 0; k < p->n_frameworks; k++)
            fw_names[k] = unique_name(&x, fw_label(&label, p->frameworks[k].framework));
        ev_buf_free(&label);
    }
    add_sheet(&x, &summary, summary_name);
    if (p->comparison)
        add_sheet(&x, &history, history_name);
    add_sheet(&x, &services, services_name);
    for (size_t k = 0; k < p->n_frameworks; k++)
        add_sheet(&x, &fw[k], fw_names[k]);
    add_sheet(&x, &inherited, inherited_name);
    for (size_t i = 0; i < n_findings; i++)
        add_sheet(&x, &findings[i], findings[i].name);
    add_sheet(&x, &evidence, evidence_name);
    add_sheet(&x, &exceptions, exceptions_name);
    add_sheet(&x, &unmapped, unmapped_name);
    add_sheet(&x, &sources, sources_name);

    if (p->comparison)
        write_history(&x, &history, p->comparison);
    write_services(&x, &services, p);
    for (size_t k = 0; k < p->n_frameworks; k++)
        write_framework(&x, &fw[k], &p->frameworks[k]);
    write_inherited(&x, &inherited, p);
    if (x.lerr)
        rc = xl_fail(&x, err);
    if (rc == EV_OK)
        rc = write_findings(&x, findings, n_findings, p, st, err);
    if (rc == EV_OK) {
        write_evidence(&x, &evidence, p);
        write_exceptions(&x, &exceptions, p);
        write_unmapped(&x, &unmapped, p);
        write_sources(&x, &sources, p);
        write_summary(&x, &summary, p, n_findings);
        if (x.lerr)
            rc = xl_fail(&x, err);
    }
    lxw_error e = workbook_close(x.wb); /* frees the workbook in every case */
    if (rc == EV_OK && e != LXW_NO_ERROR)
        rc = ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "cannot write the workbook: %s",
                          lxw_strerror(e));
    if (rc != EV_OK)
        unlink(path); /* never leave a half workbook */

    for (size_t i = 0; i < x.n_names; i++)
        free(x.names[i]);
    free(x.names);
    free(fw_names);
    free(fw);
    free(findings);
    ev_buf_free(&x.text);
    ev_buf_free(&x.join);
    free(dir);
    return rc;
}
