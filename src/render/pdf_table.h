/* pdf_table.h: tables of any length in report.pdf (private to the PDF renderer). Cells
 * hold rich text that wraps in its column (pdf_layout's line breaking: no word is ever
 * lost); the header row is repeated at the top of every page the table reaches; a row is
 * kept whole on one page when it fits on a page, and a row taller than a page is split
 * only between lines. Cells may carry a fill colour (status cells show colour and word). */
#ifndef EV_PDF_TABLE_H
#define EV_PDF_TABLE_H

#include "render/pdf_layout.h"

typedef struct {
    ev_pdf_rich rich;
    bool has_fill;
    ev_pdf_rgb fill;
} ev_pdf_cell;

typedef struct {
    ev_pdf_doc *d;
    size_t n_cols;
    float *widths; /* points */
    int *aligns;
    float size; /* font size of cell text */
    ev_pdf_cell *header;
    ev_pdf_layout *header_lay;
    float header_h;
    HPDF_Page header_page; /* the page the header was last drawn on */
    ev_pdf_cell *row;      /* the row being filled */
    size_t n_rows;
} ev_pdf_table;

/* Starts a table over the text width, columns sized by weights (relative), cell text at
 * size. labels are the header row (bold); aligns per column (EV_PDF_ALIGN_*). */
void ev_pdf_table_begin(ev_pdf_table *t, ev_pdf_doc *d, const float *weights, const int *aligns,
                        const char *const *labels, size_t n_cols, float size);

/* The cell of column col in the row being filled (its rich text starts empty). */
ev_pdf_cell *ev_pdf_table_cell(ev_pdf_table *t, size_t col);

/* Adds plain text (not Markdown) as a paragraph of cell col, aligned as the column. */
ev_pdf_para *ev_pdf_table_text(ev_pdf_table *t, size_t col, const char *text, ev_pdf_face style);

/* Lays out and draws the row being filled, then empties it. */
void ev_pdf_table_row(ev_pdf_table *t);

/* Frees the table and leaves some space below it. */
void ev_pdf_table_end(ev_pdf_table *t);

#endif
