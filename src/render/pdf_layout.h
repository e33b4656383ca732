/* pdf_layout.h: the layout module of report.pdf (private to the PDF renderer), a small
 * layer over libharu: A4 pages with margins; rich text (paragraphs of code points from
 * pdf_fonts, with bullets, indents, colours and links); our own line breaking on whole
 * code points (libharu's MeasureText counts bytes, and its TextRect silently drops a
 * word wider than its box); the flow of text down the page with page breaks between
 * lines; headings that become bookmarks and table of contents entries; named anchors
 * and internal links resolved once every page exists; and, at the end, the table of
 * contents inserted after the cover and the running header and footer ("page N of M")
 * drawn on every page, since libharu pages stay editable. */
#ifndef EV_PDF_LAYOUT_H
#define EV_PDF_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

#include "render/pdf_fonts.h"
#include "util/buf.h"

#define EV_PDF_PAGE_W 595.276f /* A4 portrait, points */
#define EV_PDF_PAGE_H 841.89f

typedef struct {
    float r, g, b;
} ev_pdf_rgb;

enum { EV_PDF_ALIGN_LEFT, EV_PDF_ALIGN_RIGHT, EV_PDF_ALIGN_CENTER };

/* ---- line breaking ---- */

/* A line: code points [start, end) and their width in points (trailing spaces left out). */
typedef struct {
    size_t start, end;
    float width;
} ev_pdf_line;

/* Breaks ch[0..n) at font size `size` into lines no wider than width: at spaces, after
 * '-', '/', ':', '_' and similar, and around CJK characters; a word wider than the line is
 * broken between code points (never before a combining mark when avoidable), so no
 * character is ever lost; '\n' forces a break. Spaces where a line is broken are not
 * drawn. Stores a malloc'd array in *lines (the caller frees it) and returns its length
 * (0 for empty text). */
size_t ev_pdf_break_lines(const ev_pdf_ch *ch, size_t n, float size, float width,
                          ev_pdf_line **lines);

/* ---- rich text ---- */

typedef struct {
    ev_pdf_chars text;
    ev_pdf_chars marker; /* bullet or number drawn left of the first line; may be empty */
    float size;          /* font size, points */
    float leading;       /* line height, points */
    float indent;        /* left indent of every line */
    float space_before;  /* ignored for the first paragraph of a block and at a page top */
    ev_pdf_rgb color;
    int align;
} ev_pdf_para;

/* Paragraphs and the link targets their code points refer to ("#anchor" or an http(s)
 * URL). Zero-initialise; ev_pdf_rich_free releases everything. */
typedef struct {
    ev_pdf_para *v;
    size_t n, cap;
    char **links;
    size_t n_links;
} ev_pdf_rich;

/* Adds an empty paragraph at size (leading 1.3 × size, black) and returns it; valid
 * until the next call. */
ev_pdf_para *ev_pdf_rich_para(ev_pdf_rich *r, float size);
/* Registers a link target and returns its id for ev_pdf_ch.link. */
uint32_t ev_pdf_rich_link(ev_pdf_rich *r, const char *target);
void ev_pdf_rich_free(ev_pdf_rich *r);

/* Plain text s (not Markdown) as one new paragraph of r; returns it. */
ev_pdf_para *ev_pdf_rich_text(ev_pdf_rich *r, ev_pdf_fonts *f, const char *s, ev_pdf_face style,
                              float size);

/* r broken into lines for a box of width points: each line with its paragraph and its
 * top relative to the top of the box. */
typedef struct {
    size_t para;
    ev_pdf_line line;
    float top, height;
    bool first; /* first line of its paragraph */
} ev_pdf_placed;

typedef struct {
    ev_pdf_placed *v;
    size_t n, cap;
    float height;
} ev_pdf_layout;

/* Lays r out in width (out is reset first). */
void ev_pdf_layout_rich(const ev_pdf_rich *r, float width, ev_pdf_layout *out);
void ev_pdf_layout_free(ev_pdf_layout *l);

/* ---- the document ---- */

typedef struct {
    char *name;
    size_t page; /* creation index */
    HPDF_Destination dst;
} ev_pdf_anchor_rec;

typedef struct {
    size_t page;
    HPDF_Rect rect;
    char *target; /* anchor name */
} ev_pdf_pending_link;

typedef struct {
    int level;
    ev_pdf_chars title;
    size_t anchor;
} ev_pdf_toc_entry;

typedef struct {
    HPDF_Doc pdf;
    ev_pdf_fonts *fonts;
    HPDF_Page page;   /* the page being filled */
    HPDF_Page *pages; /* in creation order */
    size_t n_pages, cap_pages;
    float y;                       /* top of the free space on the page */
    float x0, x1, y_top, y_bottom; /* the text area */
    ev_pdf_anchor_rec *anchors;
    size_t n_anchors, cap_anchors;
    ev_pdf_pending_link *links;
    size_t n_links, cap_links;
    ev_pdf_toc_entry *toc;
    size_t n_toc, cap_toc;
    HPDF_Outline outline[3]; /* last bookmark at each level */
    HPDF_Outline toc_outline;
    size_t toc_at; /* creation index of the first page after the table of contents */
    bool has_toc;
    size_t n_toc_pages;
    ev_pdf_rgb accent; /* headings and rules (a consultant's brand colour) */
    ev_buf scratch;
} ev_pdf_doc;

/* Running header and footer, UTF-8. */
typedef struct {
    const char *header_left;  /* pack title */
    const char *header_right; /* organisation */
    const char *footer_left;  /* classification, tool, as-of */
    const char *toc_title;    /* "Contents" */
} ev_pdf_running;

void ev_pdf_doc_init(ev_pdf_doc *d, HPDF_Doc pdf, ev_pdf_fonts *fonts);
void ev_pdf_doc_clear(ev_pdf_doc *d);

/* Starts a new page; the cursor goes to the top of the text area. */
void ev_pdf_new_page(ev_pdf_doc *d);
/* True when nothing was placed on the current page yet. */
bool ev_pdf_at_top(const ev_pdf_doc *d);
/* Starts a new page unless h points fit above the bottom margin. */
void ev_pdf_ensure(ev_pdf_doc *d, float h);
/* Moves the cursor down h points (not at the top of a page). */
void ev_pdf_space(ev_pdf_doc *d, float h);
/* Flows r over the full text width, breaking pages between lines. */
void ev_pdf_flow(ev_pdf_doc *d, const ev_pdf_rich *r);

/* Draws one laid-out line of r in a box at x of width w whose line top is `top`. */
void ev_pdf_draw_placed(ev_pdf_doc *d, const ev_pdf_rich *r, const ev_pdf_placed *pl, float x,
                        float w, float top);
/* Draws UTF-8 text on one line at (x, baseline), aligned relative to x; returns its
 * width. For short labels (charts, running heads). */
float ev_pdf_label(ev_pdf_doc *d, float x, float baseline, const char *s, ev_pdf_face style,
                   float size, ev_pdf_rgb color, int align);
/* Width of UTF-8 text at size. */
float ev_pdf_text_width(ev_pdf_doc *d, const char *s, ev_pdf_face style, float size);

/* A destination at the cursor, findable by name (may be NULL). Returns its index. */
size_t ev_pdf_anchor(ev_pdf_doc *d, const char *name);
/* A clickable area of the current page: "#name" goes to anchor name (resolved at the
 * end), http(s) URLs open the URL. */
void ev_pdf_link_area(ev_pdf_doc *d, float x0, float y0, float x1, float y1, const char *target);

/* A heading (level 1, 2 or 3): level 1 starts a new page; it gets a bookmark nested by
 * level, an anchor named anchor (may be NULL), and for levels 1 and 2 a table of
 * contents entry. */
void ev_pdf_heading(ev_pdf_doc *d, int level, const char *text, const char *anchor);
/* The same, without starting a new page (the heading is kept with what follows). */
void ev_pdf_heading_here(ev_pdf_doc *d, int level, const char *text, const char *anchor);

/* A level-1 bookmark (no table of contents entry) to the cursor, drawing nothing. */
void ev_pdf_bookmark(ev_pdf_doc *d, const char *title);

/* The table of contents goes before the next page to be created; its bookmark is
 * created now, so that it comes before the bookmarks that follow. */
void ev_pdf_toc_here(ev_pdf_doc *d, const char *title);

/* Inserts the table of contents, creates the internal links, and draws the running
 * header (not on the first page) and footer on every page. */
void ev_pdf_finish(ev_pdf_doc *d, const ev_pdf_running *run);

/* Total pages (after ev_pdf_finish). */
size_t ev_pdf_page_count(const ev_pdf_doc *d);

#endif
