/* pdf_chart.h: vector charts of report.pdf (private to the PDF renderer), drawn with
 * libharu paths: horizontal stacked bars with a legend, and plain horizontal bars. Every
 * number a chart writes is given by the caller from the pack model; charts compute only
 * lengths. */
#ifndef EV_PDF_CHART_H
#define EV_PDF_CHART_H

#include "render/pdf_layout.h"

typedef struct {
    const char *label;
    ev_pdf_rgb color;
} ev_pdf_series;

/* One bar per row (label at the left, "total suffix" at the right end), made of one
 * segment per series in series order (values: n_rows × n_series, row-major), with the
 * count written inside a segment wide enough for it, and a legend of the series below.
 * Bars share one scale, the largest total. */
void ev_pdf_chart_stacked(ev_pdf_doc *d, const char *title, const char *const *rows,
                          const size_t *totals, size_t n_rows, const ev_pdf_series *series,
                          size_t n_series, const size_t *values, const char *suffix);

/* One bar per row in its own colour, its value written after it. */
void ev_pdf_chart_bars(ev_pdf_doc *d, const char *title, const ev_pdf_series *rows,
                       const size_t *values, size_t n_rows);

#endif
