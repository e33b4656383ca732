/* pdf_table.c: tables of any length in report.pdf (see pdf_table.h). */
#include <stdlib.h>
#include <string.h>

#include "render/pdf_table.h"

#define PAD_X 3.5f
#define PAD_Y 2.5f

static const ev_pdf_rgb HEADER_FILL = {0.87f, 0.90f, 0.94f};
static const ev_pdf_rgb ZEBRA_FILL = {0.965f, 0.97f, 0.975f};
static const ev_pdf_rgb GRID = {0.72f, 0.74f, 0.78f};
static const ev_pdf_rgb HEADER_TEXT = {0.09f, 0.16f, 0.28f};

/* Widest word of a header label, in points. */
static float widest_word(ev_pdf_doc *d, const char *label, float size)
{
    float best = 0;
    const char *p = label;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        char *word = ev_xstrndup(p, n);
        float w = ev_pdf_text_width(d, word, EV_PDF_BOLD, size);
        free(word);
        if (w > best)
            best = w;
        p += n;
    }
    return best;
}

/* Header words are never broken: a column narrower than its widest header word takes the
 * difference from the columns that have room to spare, in proportion to that room. */
static void widen_for_header(ev_pdf_table *t, const char *const *labels)
{
    size_t n = t->n_cols;
    float *min = ev_xcalloc(n, sizeof *min);
    float deficit = 0, spare = 0;
    for (size_t c = 0; c < n; c++) {
        min[c] = widest_word(t->d, labels[c], t->size) + 2 * PAD_X + 0.5f;
        if (t->widths[c] < min[c])
            deficit += min[c] - t->widths[c];
        else
            spare += t->widths[c] - min[c];
    }
    if (deficit > 0 && spare > 0) {
        float k = deficit < spare ? deficit / spare : 1;
        for (size_t c = 0; c < n; c++) {
            if (t->widths[c] < min[c])
                t->widths[c] = deficit <= spare
                                   ? min[c]
                                   : t->widths[c] + (min[c] - t->widths[c]) * spare / deficit;
            else
                t->widths[c] -= (t->widths[c] - min[c]) * k;
        }
    }
    free(min);
}

void ev_pdf_table_begin(ev_pdf_table *t, ev_pdf_doc *d, const float *weights, const int *aligns,
                        const char *const *labels, size_t n_cols, float size)
{
    memset(t, 0, sizeof *t);
    t->d = d;
    t->n_cols = n_cols;
    t->size = size;
    t->widths = ev_xcalloc(n_cols, sizeof *t->widths);
    t->aligns = ev_xcalloc(n_cols, sizeof *t->aligns);
    t->header = ev_xcalloc(n_cols, sizeof *t->header);
    t->header_lay = ev_xcalloc(n_cols, sizeof *t->header_lay);
    t->row = ev_xcalloc(n_cols, sizeof *t->row);
    float sum = 0;
    for (size_t c = 0; c < n_cols; c++)
        sum += weights[c];
    float total = d->x1 - d->x0;
    for (size_t c = 0; c < n_cols; c++) {
        t->widths[c] = total * weights[c] / (sum > 0 ? sum : 1);
        t->aligns[c] = aligns ? aligns[c] : EV_PDF_ALIGN_LEFT;
    }
    widen_for_header(t, labels);
    for (size_t c = 0; c < n_cols; c++) {
        ev_pdf_para *p =
            ev_pdf_rich_text(&t->header[c].rich, d->fonts, labels[c], EV_PDF_BOLD, size);
        p->align = t->aligns[c];
        p->color = HEADER_TEXT;
        t->header[c].has_fill = true;
        t->header[c].fill = HEADER_FILL;
        ev_pdf_layout_rich(&t->header[c].rich, t->widths[c] - 2 * PAD_X, &t->header_lay[c]);
        if (t->header_lay[c].height > t->header_h)
            t->header_h = t->header_lay[c].height;
    }
    t->header_h += 2 * PAD_Y;
    /* the header and at least two lines of the first row together */
    ev_pdf_ensure(d, t->header_h + 2 * (size * 1.3f) + 2 * PAD_Y);
}

ev_pdf_cell *ev_pdf_table_cell(ev_pdf_table *t, size_t col)
{
    return &t->row[col];
}

ev_pdf_para *ev_pdf_table_text(ev_pdf_table *t, size_t col, const char *text, ev_pdf_face style)
{
    ev_pdf_para *p = ev_pdf_rich_text(&t->row[col].rich, t->d->fonts, text, style, t->size);
    p->align = t->aligns[col];
    p->space_before = t->size * 0.3f;
    return p;
}

static void fill_rect(HPDF_Page page, float x, float y, float w, float h, ev_pdf_rgb c)
{
    HPDF_Page_SetRGBFill(page, c.r, c.g, c.b);
    HPDF_Page_Rectangle(page, x, y, w, h);
    HPDF_Page_Fill(page);
}

/* Draws lines [from[c], to[c]) of every cell as one band of height h at the cursor. */
static void draw_band(ev_pdf_table *t, const ev_pdf_cell *cells, const ev_pdf_layout *lay,
                      const size_t *from, const size_t *to, float h, bool zebra)
{
    ev_pdf_doc *d = t->d;
    HPDF_Page page = d->page;
    float top = d->y, x = d->x0;
    for (size_t c = 0; c < t->n_cols; c++) {
        if (cells[c].has_fill)
            fill_rect(page, x, top - h, t->widths[c], h, cells[c].fill);
        else if (zebra)
            fill_rect(page, x, top - h, t->widths[c], h, ZEBRA_FILL);
        x += t->widths[c];
    }
    x = d->x0;
    for (size_t c = 0; c < t->n_cols; c++) {
        if (from[c] < to[c]) {
            float base = lay[c].v[from[c]].top;
            for (size_t k = from[c]; k < to[c]; k++)
                ev_pdf_draw_placed(d, &cells[c].rich, &lay[c].v[k], x + PAD_X,
                                   t->widths[c] - 2 * PAD_X,
                                   top - PAD_Y - (lay[c].v[k].top - base));
        }
        x += t->widths[c];
    }
    HPDF_Page_SetLineWidth(page, 0.35f);
    HPDF_Page_SetRGBStroke(page, GRID.r, GRID.g, GRID.b);
    HPDF_Page_MoveTo(page, d->x0, top);
    HPDF_Page_LineTo(page, d->x1, top);
    HPDF_Page_MoveTo(page, d->x0, top - h);
    HPDF_Page_LineTo(page, d->x1, top - h);
    x = d->x0;
    for (size_t c = 0; c <= t->n_cols; c++) {
        HPDF_Page_MoveTo(page, x, top);
        HPDF_Page_LineTo(page, x, top - h);
        if (c < t->n_cols)
            x += t->widths[c];
    }
    HPDF_Page_Stroke(page);
    d->y = top - h;
}

static void draw_header(ev_pdf_table *t)
{
    size_t *from = ev_xcalloc(t->n_cols, sizeof *from), *to = ev_xcalloc(t->n_cols, sizeof *to);
    for (size_t c = 0; c < t->n_cols; c++)
        to[c] = t->header_lay[c].n;
    draw_band(t, t->header, t->header_lay, from, to, t->header_h, false);
    t->header_page = t->d->page;
    free(from);
    free(to);
}

void ev_pdf_table_row(ev_pdf_table *t)
{
    ev_pdf_doc *d = t->d;
    size_t n = t->n_cols;
    ev_pdf_layout *lay = ev_xcalloc(n, sizeof *lay);
    size_t *from = ev_xcalloc(n, sizeof *from), *to = ev_xcalloc(n, sizeof *to);
    float content = 0;
    for (size_t c = 0; c < n; c++) {
        ev_pdf_layout_rich(&t->row[c].rich, t->widths[c] - 2 * PAD_X, &lay[c]);
        if (lay[c].height > content)
            content = lay[c].height;
    }
    float row_h = content + 2 * PAD_Y;
    float page_room = d->y_top - d->y_bottom - t->header_h;
    bool zebra = t->n_rows % 2 == 1;
    bool need_header = t->header_page != d->page;
    float avail = d->y - d->y_bottom - (need_header ? t->header_h : 0);
    if (row_h <= avail || row_h <= page_room) {
        /* the row fits on this page, or on a fresh one: kept whole */
        if (row_h > avail) {
            ev_pdf_new_page(d);
            need_header = true;
        }
        if (need_header)
            draw_header(t);
        for (size_t c = 0; c < n; c++)
            to[c] = lay[c].n;
        draw_band(t, t->row, lay, from, to, row_h, zebra);
    } else {
        /* taller than a page: split between lines, header repeated on each page */
        if (avail < 4 * t->size * 1.3f + 2 * PAD_Y)
            ev_pdf_new_page(d);
        for (;;) {
            if (t->header_page != d->page)
                draw_header(t);
            float room = d->y - d->y_bottom - 2 * PAD_Y;
            float band = 0;
            bool any = false, done = true;
            for (size_t c = 0; c < n; c++) {
                to[c] = from[c];
                if (from[c] >= lay[c].n)
                    continue;
                float base = lay[c].v[from[c]].top;
                while (to[c] < lay[c].n &&
                       lay[c].v[to[c]].top + lay[c].v[to[c]].height - base <= room)
                    to[c]++;
                if (to[c] == from[c] && ev_pdf_at_top(d))
                    to[c]++; /* a line taller than a page: draw it anyway */
                if (to[c] > from[c]) {
                    any = true;
                    float used = lay[c].v[to[c] - 1].top + lay[c].v[to[c] - 1].height - base;
                    if (used > band)
                        band = used;
                }
                if (to[c] < lay[c].n)
                    done = false;
            }
            if (any)
                draw_band(t, t->row, lay, from, to, band + 2 * PAD_Y, zebra);
            memcpy(from, to, n * sizeof *from);
            if (done)
                break;
            ev_pdf_new_page(d);
        }
    }
    for (size_t c = 0; c < n; c++) {
        ev_pdf_layout_free(&lay[c]);
        ev_pdf_rich_free(&t->row[c].rich);
        memset(&t->row[c], 0, sizeof t->row[c]);
    }
    free(lay);
    free(from);
    free(to);
    t->n_rows++;
}

void ev_pdf_table_end(ev_pdf_table *t)
{
    for (size_t c = 0; c < t->n_cols; c++) {
        ev_pdf_rich_free(&t->header[c].rich);
        ev_pdf_layout_free(&t->header_lay[c]);
        ev_pdf_rich_free(&t->row[c].rich);
    }
    free(t->header);
    free(t->header_lay);
    free(t->row);
    free(t->widths);
    free(t->aligns);
    ev_pdf_space(t->d, 8);
    memset(t, 0, sizeof *t);
}
