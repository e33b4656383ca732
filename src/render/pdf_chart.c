/* pdf_chart.c: vector charts of report.pdf (see pdf_chart.h). */
#include <stdio.h>

#include "render/pdf_chart.h"

#define BAR_H 15.0f
#define BAR_GAP 6.0f
#define LABEL_SIZE 8.0f
#define TITLE_SIZE 9.0f

static const ev_pdf_rgb INK = {0.1f, 0.1f, 0.12f};
static const ev_pdf_rgb TRACK = {0.93f, 0.94f, 0.95f};
static const ev_pdf_rgb WHITE = {1, 1, 1};
static const ev_pdf_rgb TITLE = {0.09f, 0.22f, 0.40f};

static void rect(HPDF_Page page, float x, float y, float w, float h, ev_pdf_rgb c)
{
    HPDF_Page_SetRGBFill(page, c.r, c.g, c.b);
    HPDF_Page_Rectangle(page, x, y, w, h);
    HPDF_Page_Fill(page);
}

static float label_column(ev_pdf_doc *d, const char *const *rows, const ev_pdf_series *srows,
                          size_t n)
{
    float w = 0;
    for (size_t i = 0; i < n; i++) {
        float x = ev_pdf_text_width(d, rows ? rows[i] : srows[i].label, EV_PDF_REGULAR, LABEL_SIZE);
        if (x > w)
            w = x;
    }
    float cap = (d->x1 - d->x0) * 0.3f;
    return (w > cap ? cap : w) + 10;
}

static void title_line(ev_pdf_doc *d, const char *title)
{
    ev_pdf_label(d, d->x0, d->y - TITLE_SIZE, title, EV_PDF_BOLD, TITLE_SIZE, TITLE,
                 EV_PDF_ALIGN_LEFT);
    d->y -= TITLE_SIZE * 1.3f + 6;
}

/* Row label, right-aligned before the bar; a label too long for the column is wrapped
 * into it through a one-cell rich text, so nothing is cut. */
static void row_label(ev_pdf_doc *d, const char *s, float col_w, float bar_top)
{
    ev_pdf_rich r = {0};
    ev_pdf_para *p = ev_pdf_rich_text(&r, d->fonts, s, EV_PDF_REGULAR, LABEL_SIZE);
    p->align = EV_PDF_ALIGN_RIGHT;
    p->leading = LABEL_SIZE * 1.15f;
    ev_pdf_layout lay = {0};
    ev_pdf_layout_rich(&r, col_w - 8, &lay);
    float top = bar_top - (BAR_H - lay.height) / 2;
    for (size_t k = 0; k < lay.n; k++)
        ev_pdf_draw_placed(d, &r, &lay.v[k], d->x0, col_w - 8, top - lay.v[k].top);
    ev_pdf_layout_free(&lay);
    ev_pdf_rich_free(&r);
}

static void legend(ev_pdf_doc *d, const ev_pdf_series *series, size_t n, float x0)
{
    float x = x0, size = 7.5f;
    d->y -= 4;
    for (size_t s = 0; s < n; s++) {
        float w = 9 + ev_pdf_text_width(d, series[s].label, EV_PDF_REGULAR, size) + 12;
        if (x + w > d->x1 && x > x0) {
            x = x0;
            d->y -= size * 1.6f;
        }
        rect(d->page, x, d->y - size + 0.5f, 7, 7, series[s].color);
        ev_pdf_label(d, x + 9, d->y - size + 1, series[s].label, EV_PDF_REGULAR, size, INK,
                     EV_PDF_ALIGN_LEFT);
        x += w;
    }
    d->y -= size * 1.6f + 6;
}

void ev_pdf_chart_stacked(ev_pdf_doc *d, const char *title, const char *const *rows,
                          const size_t *totals, size_t n_rows, const ev_pdf_series *series,
                          size_t n_series, const size_t *values, const char *suffix)
{
    float height = TITLE_SIZE * 1.3f + 6 + n_rows * (BAR_H + BAR_GAP) + 3 * 7.5f * 1.6f + 10;
    ev_pdf_ensure(d, height);
    title_line(d, title);
    float col_w = label_column(d, rows, NULL, n_rows);
    float total_w = 70;
    float bar_x = d->x0 + col_w, bar_w = d->x1 - bar_x - total_w;
    size_t scale = 1;
    for (size_t r = 0; r < n_rows; r++)
        if (totals[r] > scale)
            scale = totals[r];
    for (size_t r = 0; r < n_rows; r++) {
        float top = d->y;
        row_label(d, rows[r], col_w, top);
        rect(d->page, bar_x, top - BAR_H, bar_w, BAR_H, TRACK);
        float x = bar_x;
        for (size_t s = 0; s < n_series; s++) {
            size_t v = values[r * n_series + s];
            if (!v)
                continue;
            float w = bar_w * (float)v / (float)scale;
            rect(d->page, x, top - BAR_H, w, BAR_H, series[s].color);
            char num[32];
            snprintf(num, sizeof num, "%zu", v);
            if (ev_pdf_text_width(d, num, EV_PDF_BOLD, 7.5f) + 4 <= w)
                ev_pdf_label(d, x + w / 2, top - BAR_H + 4.6f, num, EV_PDF_BOLD, 7.5f, WHITE,
                             EV_PDF_ALIGN_CENTER);
            x += w;
        }
        char tot[64];
        snprintf(tot, sizeof tot, "%zu%s", totals[r], suffix ? suffix : "");
        ev_pdf_label(d, bar_x + bar_w + 6, top - BAR_H + 4.3f, tot, EV_PDF_REGULAR, LABEL_SIZE, INK,
                     EV_PDF_ALIGN_LEFT);
        d->y -= BAR_H + BAR_GAP;
    }
    legend(d, series, n_series, bar_x);
}

void ev_pdf_chart_bars(ev_pdf_doc *d, const char *title, const ev_pdf_series *rows,
                       const size_t *values, size_t n_rows)
{
    float height = TITLE_SIZE * 1.3f + 6 + n_rows * (BAR_H + BAR_GAP) + 8;
    ev_pdf_ensure(d, height);
    title_line(d, title);
    float col_w = label_column(d, NULL, rows, n_rows);
    float bar_x = d->x0 + col_w, bar_w = d->x1 - bar_x - 50;
    size_t scale = 1;
    for (size_t r = 0; r < n_rows; r++)
        if (values[r] > scale)
            scale = values[r];
    for (size_t r = 0; r < n_rows; r++) {
        float top = d->y;
        row_label(d, rows[r].label, col_w, top);
        rect(d->page, bar_x, top - BAR_H, bar_w, BAR_H, TRACK);
        float w = bar_w * (float)values[r] / (float)scale;
        if (w > 0)
            rect(d->page, bar_x, top - BAR_H, w, BAR_H, rows[r].color);
        char num[32];
        snprintf(num, sizeof num, "%zu", values[r]);
        ev_pdf_label(d, bar_x + w + 5, top - BAR_H + 4.3f, num, EV_PDF_BOLD, LABEL_SIZE, INK,
                     EV_PDF_ALIGN_LEFT);
        d->y -= BAR_H + BAR_GAP;
    }
    d->y -= 8;
}
