/* pdf_layout.c: the layout module of report.pdf (see pdf_layout.h): line breaking,
 * rich text, page flow, headings, bookmarks, anchors and links, the table of contents and
 * the running header and footer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/pdf_layout.h"

#define MARGIN_X 50.0f
#define MARGIN_TOP 62.0f
#define MARGIN_BOTTOM 54.0f

static const ev_pdf_rgb BLACK = {0.1f, 0.1f, 0.12f};
static const ev_pdf_rgb HEADING = {0.09f, 0.22f, 0.40f};
static const ev_pdf_rgb LINK = {0.05f, 0.30f, 0.68f};
static const ev_pdf_rgb GREY = {0.42f, 0.42f, 0.45f};
static const ev_pdf_rgb RULE = {0.70f, 0.72f, 0.76f};

/* ---- line breaking ---- */

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == 0x3000;
}

/* Characters after which a line may break inside a word (ARNs, paths, check ids). */
static bool break_after(uint32_t cp)
{
    return cp == '-' || cp == '/' || cp == ':' || cp == '_' || cp == '|' || cp == ',' ||
           cp == ';' || cp == '&' || cp == '?' || cp == '=' || cp == 0x2013 || cp == 0x2014;
}

static bool is_combining(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
           (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
           (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200D;
}

/* Ideographic scripts: a line may break before or after any of their characters. */
static bool is_wide(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

static void push_line(ev_pdf_line **v, size_t *n, size_t *cap, size_t s, size_t e, float w)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *v = ev_xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = (ev_pdf_line){s, e, w};
}

size_t ev_pdf_break_lines(const ev_pdf_ch *ch, size_t n, float size, float width,
                          ev_pdf_line **lines)
{
    ev_pdf_line *v = NULL;
    size_t nv = 0, cap = 0, i = 0;
    const float k = size / 1000.0f;
    while (i < n) {
        size_t start = i, j = i;
        float w = 0, w_ink = 0; /* width so far, and up to the last non-space */
        bool have_brk = false;
        size_t brk = 0, resume = 0;
        float brk_w = 0;
        bool overflow = false;
        for (; j < n; j++) {
            uint32_t cp = ch[j].cp;
            if (cp == '\n')
                break;
            float cw = ch[j].w * k;
            if (is_space(cp)) {
                /* break before a run of spaces; the spaces after it are skipped below */
                if (j > start && !is_space(ch[j - 1].cp)) {
                    have_brk = true;
                    brk = j;
                    brk_w = w_ink;
                    resume = j + 1;
                }
                w += cw;
                continue;
            }
            if (j > start && !is_space(ch[j - 1].cp) && !is_combining(cp) &&
                (is_wide(cp) || is_wide(ch[j - 1].cp))) {
                have_brk = true;
                brk = j;
                brk_w = w_ink;
                resume = j;
            }
            if (w + cw > width && j > start) {
                overflow = true;
                break;
            }
            w += cw;
            w_ink = w;
            if (break_after(cp) && j + 1 < n && !is_space(ch[j + 1].cp) && ch[j + 1].cp != '\n') {
                have_brk = true;
                brk = j + 1;
                brk_w = w_ink;
                resume = j + 1;
            }
        }
        if (!overflow) {
            /* end of text or forced break: the whole rest fits */
            push_line(&v, &nv, &cap, start, j, w_ink);
            i = j < n ? j + 1 : n; /* skip the '\n' */
            continue;
        }
        size_t end, next;
        float lw;
        if (have_brk && brk > start) {
            end = brk;
            lw = brk_w;
            next = resume;
        } else {
            /* a word wider than the line: break between code points, keeping a base
             * character with the combining marks that follow it */
            end = j;
            while (end > start + 1 && is_combining(ch[end].cp))
                end--;
            lw = 0;
            for (size_t q = start; q < end; q++)
                lw += ch[q].w * k;
            next = end;
        }
        push_line(&v, &nv, &cap, start, end, lw);
        i = next;
        while (i < n && is_space(ch[i].cp))
            i++;
    }
    *lines = v;
    return nv;
}

/* ---- rich text ---- */

ev_pdf_para *ev_pdf_rich_para(ev_pdf_rich *r, float size)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 4;
        r->v = ev_xrealloc(r->v, r->cap * sizeof *r->v);
    }
    ev_pdf_para *p = &r->v[r->n++];
    memset(p, 0, sizeof *p);
    p->size = size;
    p->leading = roundf(size * 1.3f * 4) / 4;
    p->color = BLACK;
    p->space_before = size * 0.45f;
    return p;
}

uint32_t ev_pdf_rich_link(ev_pdf_rich *r, const char *target)
{
    r->links = ev_xrealloc(r->links, (r->n_links + 1) * sizeof *r->links);
    r->links[r->n_links++] = ev_xstrdup(target);
    return (uint32_t)r->n_links;
}

void ev_pdf_rich_free(ev_pdf_rich *r)
{
    for (size_t i = 0; i < r->n; i++) {
        ev_pdf_chars_free(&r->v[i].text);
        ev_pdf_chars_free(&r->v[i].marker);
    }
    free(r->v);
    for (size_t i = 0; i < r->n_links; i++)
        free(r->links[i]);
    free(r->links);
    memset(r, 0, sizeof *r);
}

ev_pdf_para *ev_pdf_rich_text(ev_pdf_rich *r, ev_pdf_fonts *f, const char *s, ev_pdf_face style,
                              float size)
{
    ev_pdf_para *p = ev_pdf_rich_para(r, size);
    if (s)
        ev_pdf_fonts_append(f, &p->text, s, strlen(s), style, 0);
    return p;
}

static void push_placed(ev_pdf_layout *l, ev_pdf_placed pl)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = ev_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = pl;
}

void ev_pdf_layout_rich(const ev_pdf_rich *r, float width, ev_pdf_layout *out)
{
    out->n = 0;
    float y = 0;
    for (size_t i = 0; i < r->n; i++) {
        const ev_pdf_para *p = &r->v[i];
        if (i > 0)
            y += p->space_before;
        ev_pdf_line *lines = NULL;
        float avail = width - p->indent;
        if (avail < p->size)
            avail = p->size;
        size_t nl = ev_pdf_break_lines(p->text.v, p->text.n, p->size, avail, &lines);
        if (nl == 0) {
            push_placed(out, (ev_pdf_placed){i, {0, 0, 0}, y, p->leading, true});
            y += p->leading;
        }
        for (size_t k = 0; k < nl; k++) {
            push_placed(out, (ev_pdf_placed){i, lines[k], y, p->leading, k == 0});
            y += p->leading;
        }
        free(lines);
    }
    out->height = y;
}

void ev_pdf_layout_free(ev_pdf_layout *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- drawing text ---- */

/* Baseline below the top of a line box of height h for text at size (DejaVu: ascent
 * 0.928, descent 0.236 of the size), centred in the box. */
static float baseline_offset(float size, float h)
{
    return (h - 1.164f * size) / 2 + 0.928f * size;
}

/* Draws ch[0..n) from (x, base); returns the width. Links of r get link annotations. */
static float draw_chars(ev_pdf_doc *d, const ev_pdf_rich *r, const ev_pdf_ch *ch, size_t n, float x,
                        float base, float size, ev_pdf_rgb color)
{
    if (n == 0)
        return 0;
    const float k = size / 1000.0f;
    float cx = x;
    HPDF_Page_BeginText(d->page);
    int cur_face = -1;
    ev_pdf_rgb cur = {-1, -1, -1};
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        float w = 0;
        while (j < n && ch[j].face == ch[i].face && ch[j].link == ch[i].link) {
            w += ch[j].w * k;
            j++;
        }
        HPDF_Font font = ev_pdf_fonts_get(d->fonts, (ev_pdf_face)ch[i].face);
        if (font) {
            if (ch[i].face != cur_face) {
                HPDF_Page_SetFontAndSize(d->page, font, size);
                cur_face = ch[i].face;
            }
            ev_pdf_rgb c = ch[i].link ? LINK : color;
            if (c.r != cur.r || c.g != cur.g || c.b != cur.b) {
                HPDF_Page_SetRGBFill(d->page, c.r, c.g, c.b);
                cur = c;
            }
            ev_buf_clear(&d->scratch);
            ev_pdf_chars_utf8(ch + i, j - i, &d->scratch);
            HPDF_Page_TextOut(d->page, cx, base, ev_buf_cstr(&d->scratch));
        }
        if (ch[i].link && r && ch[i].link <= r->n_links)
            ev_pdf_link_area(d, cx, base - 0.25f * size, cx + w, base + 0.93f * size,
                             r->links[ch[i].link - 1]);
        cx += w;
        i = j;
    }
    HPDF_Page_EndText(d->page);
    return cx - x;
}

static float chars_width(const ev_pdf_ch *ch, size_t n, float size)
{
    float w = 0;
    for (size_t i = 0; i < n; i++)
        w += ch[i].w;
    return w * size / 1000.0f;
}

void ev_pdf_draw_placed(ev_pdf_doc *d, const ev_pdf_rich *r, const ev_pdf_placed *pl, float x,
                        float w, float top)
{
    const ev_pdf_para *p = &r->v[pl->para];
    float base = top - baseline_offset(p->size, pl->height);
    float lx = x + p->indent, avail = w - p->indent;
    if (p->align == EV_PDF_ALIGN_RIGHT)
        lx += avail - pl->line.width;
    else if (p->align == EV_PDF_ALIGN_CENTER)
        lx += (avail - pl->line.width) / 2;
    if (pl->first && p->marker.n) {
        float mw = chars_width(p->marker.v, p->marker.n, p->size);
        draw_chars(d, r, p->marker.v, p->marker.n, x + p->indent - mw - p->size * 0.45f, base,
                   p->size, p->color);
    }
    /* an empty line may have no text buffer at all: no pointer arithmetic on NULL */
    if (pl->line.end > pl->line.start)
        draw_chars(d, r, p->text.v + pl->line.start, pl->line.end - pl->line.start, lx, base,
                   p->size, p->color);
}

float ev_pdf_text_width(ev_pdf_doc *d, const char *s, ev_pdf_face style, float size)
{
    ev_pdf_chars c = {0};
    ev_pdf_fonts_append(d->fonts, &c, s, strlen(s), style, 0);
    float w = chars_width(c.v, c.n, size);
    ev_pdf_chars_free(&c);
    return w;
}

float ev_pdf_label(ev_pdf_doc *d, float x, float baseline, const char *s, ev_pdf_face style,
                   float size, ev_pdf_rgb color, int align)
{
    ev_pdf_chars c = {0};
    ev_pdf_fonts_append(d->fonts, &c, s, strlen(s), style, 0);
    float w = chars_width(c.v, c.n, size);
    if (align == EV_PDF_ALIGN_RIGHT)
        x -= w;
    else if (align == EV_PDF_ALIGN_CENTER)
        x -= w / 2;
    draw_chars(d, NULL, c.v, c.n, x, baseline, size, color);
    ev_pdf_chars_free(&c);
    return w;
}

/* ---- pages and flow ---- */

void ev_pdf_doc_init(ev_pdf_doc *d, HPDF_Doc pdf, ev_pdf_fonts *fonts)
{
    memset(d, 0, sizeof *d);
    d->pdf = pdf;
    d->fonts = fonts;
    d->x0 = MARGIN_X;
    d->x1 = EV_PDF_PAGE_W - MARGIN_X;
    d->y_top = EV_PDF_PAGE_H - MARGIN_TOP;
    d->y_bottom = MARGIN_BOTTOM;
    d->accent = HEADING;
}

void ev_pdf_doc_clear(ev_pdf_doc *d)
{
    free(d->pages);
    for (size_t i = 0; i < d->n_anchors; i++)
        free(d->anchors[i].name);
    free(d->anchors);
    for (size_t i = 0; i < d->n_links; i++)
        free(d->links[i].target);
    free(d->links);
    for (size_t i = 0; i < d->n_toc; i++)
        ev_pdf_chars_free(&d->toc[i].title);
    free(d->toc);
    ev_buf_free(&d->scratch);
    memset(d, 0, sizeof *d);
}

static HPDF_Page setup_page(HPDF_Page page)
{
    if (page)
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    return page;
}

void ev_pdf_new_page(ev_pdf_doc *d)
{
    if (d->n_pages == d->cap_pages) {
        d->cap_pages = d->cap_pages ? d->cap_pages * 2 : 64;
        d->pages = ev_xrealloc(d->pages, d->cap_pages * sizeof *d->pages);
    }
    d->page = setup_page(HPDF_AddPage(d->pdf));
    d->pages[d->n_pages++] = d->page;
    d->y = d->y_top;
}

bool ev_pdf_at_top(const ev_pdf_doc *d)
{
    return d->y >= d->y_top - 0.01f;
}

void ev_pdf_ensure(ev_pdf_doc *d, float h)
{
    if (!d->page || (d->y - h < d->y_bottom && !ev_pdf_at_top(d)))
        ev_pdf_new_page(d);
}

void ev_pdf_space(ev_pdf_doc *d, float h)
{
    if (!ev_pdf_at_top(d))
        d->y -= h;
    if (d->y < d->y_bottom)
        ev_pdf_new_page(d);
}

void ev_pdf_flow(ev_pdf_doc *d, const ev_pdf_rich *r)
{
    ev_pdf_layout lay = {0};
    float w = d->x1 - d->x0;
    ev_pdf_layout_rich(r, w, &lay);
    /* no orphan: the first two lines (a label and what it introduces) stay together */
    if (lay.n >= 2)
        ev_pdf_ensure(d, lay.v[1].top + lay.v[1].height);
    float prev_end = 0;
    for (size_t k = 0; k < lay.n; k++) {
        const ev_pdf_placed *pl = &lay.v[k];
        float gap = k ? pl->top - prev_end : 0;
        if (gap > 0 && !ev_pdf_at_top(d))
            d->y -= gap;
        if (d->y - pl->height < d->y_bottom)
            ev_pdf_new_page(d);
        ev_pdf_draw_placed(d, r, pl, d->x0, w, d->y);
        d->y -= pl->height;
        prev_end = pl->top + pl->height;
    }
    ev_pdf_layout_free(&lay);
}

/* ---- anchors, links, headings ---- */

size_t ev_pdf_anchor(ev_pdf_doc *d, const char *name)
{
    if (!d->page)
        ev_pdf_new_page(d);
    if (d->n_anchors == d->cap_anchors) {
        d->cap_anchors = d->cap_anchors ? d->cap_anchors * 2 : 32;
        d->anchors = ev_xrealloc(d->anchors, d->cap_anchors * sizeof *d->anchors);
    }
    HPDF_Destination dst = HPDF_Page_CreateDestination(d->page);
    float top = d->y + 18;
    if (top > EV_PDF_PAGE_H)
        top = EV_PDF_PAGE_H;
    HPDF_Destination_SetFitH(dst, top);
    d->anchors[d->n_anchors] =
        (ev_pdf_anchor_rec){name ? ev_xstrdup(name) : NULL, d->n_pages - 1, dst};
    return d->n_anchors++;
}

static void no_border(HPDF_Annotation a)
{
    if (a)
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
}

void ev_pdf_link_area(ev_pdf_doc *d, float x0, float y0, float x1, float y1, const char *target)
{
    HPDF_Rect rect = {x0, y0, x1, y1};
    if (target[0] == '#') {
        if (d->n_links == d->cap_links) {
            d->cap_links = d->cap_links ? d->cap_links * 2 : 32;
            d->links = ev_xrealloc(d->links, d->cap_links * sizeof *d->links);
        }
        d->links[d->n_links++] =
            (ev_pdf_pending_link){d->n_pages - 1, rect, ev_xstrdup(target + 1)};
    } else {
        no_border(HPDF_Page_CreateURILinkAnnot(d->page, rect, target));
    }
}

static void draw_rule(HPDF_Page page, float x0, float x1, float y, float width, ev_pdf_rgb c)
{
    HPDF_Page_SetLineWidth(page, width);
    HPDF_Page_SetRGBStroke(page, c.r, c.g, c.b);
    HPDF_Page_MoveTo(page, x0, y);
    HPDF_Page_LineTo(page, x1, y);
    HPDF_Page_Stroke(page);
}

static void heading(ev_pdf_doc *d, int level, const char *text, const char *anchor, bool new_page)
{
    if (level < 1)
        level = 1;
    if (level > 3)
        level = 3;
    static const float sizes[] = {16.5f, 12.5f, 10.5f}, before[] = {22, 16, 10},
                       after[] = {10, 5, 4};
    float size = sizes[level - 1];
    if (!d->page || (new_page && !ev_pdf_at_top(d)))
        ev_pdf_new_page(d);
    ev_pdf_rich r = {0};
    ev_pdf_para *p = ev_pdf_rich_text(&r, d->fonts, text, EV_PDF_BOLD, size);
    p->color = d->accent;
    p->leading = roundf(size * 1.25f);
    ev_pdf_layout lay = {0};
    float w = d->x1 - d->x0;
    ev_pdf_layout_rich(&r, w, &lay);
    /* keep the heading with a few lines of what follows */
    ev_pdf_ensure(d, before[level - 1] + lay.height + after[level - 1] + 48);
    if (!ev_pdf_at_top(d))
        d->y -= before[level - 1];
    size_t a = ev_pdf_anchor(d, anchor);
    for (size_t k = 0; k < lay.n; k++)
        ev_pdf_draw_placed(d, &r, &lay.v[k], d->x0, w, d->y - lay.v[k].top);
    d->y -= lay.height;
    if (level == 1) {
        draw_rule(d->page, d->x0, d->x1, d->y - 3, 0.8f, d->accent);
        d->y -= 4;
    }
    d->y -= after[level - 1];

    ev_buf_clear(&d->scratch);
    /* a bookmark is a way in, not the text: very long titles are shortened there only
     * (libharu refuses strings over 64 KB) */
    ev_pdf_chars_utf8(p->text.v, p->text.n < 240 ? p->text.n : 240, &d->scratch);
    if (p->text.n > 240)
        ev_buf_puts(&d->scratch, "\xE2\x80\xA6");
    HPDF_Outline parent = level == 1 ? NULL : d->outline[level - 2];
    HPDF_Outline o = HPDF_CreateOutline(d->pdf, parent, ev_buf_cstr(&d->scratch),
                                        HPDF_GetEncoder(d->pdf, "UTF-8"));
    if (o) {
        HPDF_Outline_SetDestination(o, d->anchors[a].dst);
        HPDF_Outline_SetOpened(o, level == 1 ? HPDF_TRUE : HPDF_FALSE);
    }
    d->outline[level - 1] = o;
    for (int k = level; k < 3; k++)
        d->outline[k] = NULL;
    if (level <= 2) {
        if (d->n_toc == d->cap_toc) {
            d->cap_toc = d->cap_toc ? d->cap_toc * 2 : 32;
            d->toc = ev_xrealloc(d->toc, d->cap_toc * sizeof *d->toc);
        }
        ev_pdf_toc_entry *e = &d->toc[d->n_toc++];
        e->level = level;
        e->title = p->text; /* taken over */
        p->text = (ev_pdf_chars){0};
        e->anchor = a;
    }
    ev_pdf_layout_free(&lay);
    ev_pdf_rich_free(&r);
}

void ev_pdf_heading(ev_pdf_doc *d, int level, const char *text, const char *anchor)
{
    heading(d, level, text, anchor, level == 1);
}

void ev_pdf_heading_here(ev_pdf_doc *d, int level, const char *text, const char *anchor)
{
    heading(d, level, text, anchor, false);
}

void ev_pdf_bookmark(ev_pdf_doc *d, const char *title)
{
    size_t a = ev_pdf_anchor(d, NULL);
    HPDF_Outline o = HPDF_CreateOutline(d->pdf, NULL, title, HPDF_GetEncoder(d->pdf, "UTF-8"));
    if (o)
        HPDF_Outline_SetDestination(o, d->anchors[a].dst);
    d->outline[0] = NULL;
}

void ev_pdf_toc_here(ev_pdf_doc *d, const char *title)
{
    d->has_toc = true;
    d->toc_at = d->n_pages;
    d->toc_outline = HPDF_CreateOutline(d->pdf, NULL, title, HPDF_GetEncoder(d->pdf, "UTF-8"));
}

/* ---- the end: table of contents, links, running heads ---- */

#define TOC_TITLE_SIZE 16.5f
#define TOC_NUM_W 40.0f

typedef struct {
    ev_pdf_rich rich;
    ev_pdf_layout lay;
} toc_item;

static void toc_item_make(ev_pdf_doc *d, const ev_pdf_toc_entry *e, toc_item *it)
{
    memset(it, 0, sizeof *it);
    float size = e->level == 1 ? 10.5f : 9.0f;
    ev_pdf_para *p = ev_pdf_rich_para(&it->rich, size);
    p->indent = e->level == 1 ? 0 : 16;
    /* the title again, in the entry's style: re-shape from its UTF-8 */
    ev_buf_clear(&d->scratch);
    ev_pdf_chars_utf8(e->title.v, e->title.n, &d->scratch);
    ev_pdf_fonts_append(d->fonts, &p->text, d->scratch.data ? d->scratch.data : "", d->scratch.len,
                        e->level == 1 ? EV_PDF_BOLD : EV_PDF_REGULAR, 0);
    ev_pdf_layout_rich(&it->rich, d->x1 - d->x0 - TOC_NUM_W, &it->lay);
}

static float toc_gap(const ev_pdf_toc_entry *e)
{
    return e->level == 1 ? 7.0f : 2.0f;
}

static void insert_pages(ev_pdf_doc *d, size_t at, size_t count)
{
    HPDF_Page target = at < d->n_pages ? d->pages[at] : NULL;
    while (d->n_pages + count > d->cap_pages) {
        d->cap_pages = d->cap_pages ? d->cap_pages * 2 : 64;
        d->pages = ev_xrealloc(d->pages, d->cap_pages * sizeof *d->pages);
    }
    memmove(d->pages + at + count, d->pages + at, (d->n_pages - at) * sizeof *d->pages);
    for (size_t i = 0; i < count; i++)
        d->pages[at + i] =
            setup_page(target ? HPDF_InsertPage(d->pdf, target) : HPDF_AddPage(d->pdf));
    d->n_pages += count;
    for (size_t i = 0; i < d->n_anchors; i++)
        if (d->anchors[i].page >= at)
            d->anchors[i].page += count;
    for (size_t i = 0; i < d->n_links; i++)
        if (d->links[i].page >= at)
            d->links[i].page += count;
}

static void draw_toc(ev_pdf_doc *d, const char *title)
{
    size_t n = d->n_toc;
    toc_item *items = ev_xcalloc(n ? n : 1, sizeof *items);
    for (size_t i = 0; i < n; i++)
        toc_item_make(d, &d->toc[i], &items[i]);
    /* how many pages: the same walk as the drawing below, without drawing */
    float title_h = TOC_TITLE_SIZE * 1.25f + 16;
    size_t pages = 1;
    float y = d->y_top - title_h;
    for (size_t i = 0; i < n; i++) {
        float h = toc_gap(&d->toc[i]) + items[i].lay.height;
        if (y - h < d->y_bottom) {
            pages++;
            y = d->y_top;
        }
        y -= h;
    }
    insert_pages(d, d->toc_at, pages);
    d->n_toc_pages = pages;
    size_t pg = d->toc_at;
    d->page = d->pages[pg];
    d->y = d->y_top;
    ev_pdf_label(d, d->x0, d->y - TOC_TITLE_SIZE, title, EV_PDF_BOLD, TOC_TITLE_SIZE, d->accent,
                 EV_PDF_ALIGN_LEFT);
    HPDF_Destination dst = HPDF_Page_CreateDestination(d->page);
    HPDF_Destination_SetFitH(dst, EV_PDF_PAGE_H);
    if (d->toc_outline)
        HPDF_Outline_SetDestination(d->toc_outline, dst);
    draw_rule(d->page, d->x0, d->x1, d->y - TOC_TITLE_SIZE * 1.25f - 3, 0.8f, d->accent);
    d->y -= title_h;
    float w = d->x1 - d->x0 - TOC_NUM_W;
    for (size_t i = 0; i < n; i++) {
        const ev_pdf_toc_entry *e = &d->toc[i];
        toc_item *it = &items[i];
        float h = toc_gap(e) + it->lay.height;
        if (d->y - h < d->y_bottom) {
            d->page = d->pages[++pg];
            d->y = d->y_top;
        }
        d->y -= toc_gap(e);
        float top = d->y;
        for (size_t k = 0; k < it->lay.n; k++)
            ev_pdf_draw_placed(d, &it->rich, &it->lay.v[k], d->x0, w, top - it->lay.v[k].top);
        const ev_pdf_placed *last = &it->lay.v[it->lay.n - 1];
        const ev_pdf_para *p = &it->rich.v[0];
        float base = top - last->top - baseline_offset(p->size, last->height);
        char num[32];
        snprintf(num, sizeof num, "%zu", d->anchors[e->anchor].page + 1);
        float nw = ev_pdf_label(d, d->x1, base, num, e->level == 1 ? EV_PDF_BOLD : EV_PDF_REGULAR,
                                p->size, BLACK, EV_PDF_ALIGN_RIGHT);
        /* dotted leader from the end of the title to the page number */
        float lx0 = d->x0 + p->indent + last->line.width + 4, lx1 = d->x1 - nw - 4;
        if (lx1 > lx0 + 4) {
            static const HPDF_UINT16 dash[] = {1, 2};
            HPDF_Page_SetDash(d->page, dash, 2, 0);
            draw_rule(d->page, lx0, lx1, base + 1, 0.6f, GREY);
            HPDF_Page_SetDash(d->page, NULL, 0, 0);
        }
        HPDF_Rect rect = {d->x0, top - it->lay.height, d->x1, top};
        no_border(HPDF_Page_CreateLinkAnnot(d->page, rect, d->anchors[e->anchor].dst));
        d->y = top - it->lay.height;
    }
    for (size_t i = 0; i < n; i++) {
        ev_pdf_rich_free(&items[i].rich);
        ev_pdf_layout_free(&items[i].lay);
    }
    free(items);
}

/* Lines of s broken into width at size, drawn upwards from baseline (the last line on
 * it) or downwards, aligned left or right at x. */
static void draw_running(ev_pdf_doc *d, const char *s, float x, float width, float base,
                         bool upwards, int align, float size)
{
    if (!s || !*s)
        return;
    ev_pdf_rich r = {0};
    ev_pdf_para *p = ev_pdf_rich_text(&r, d->fonts, s, EV_PDF_REGULAR, size);
    p->color = GREY;
    p->align = align;
    ev_pdf_layout lay = {0};
    ev_pdf_layout_rich(&r, width, &lay);
    float off = baseline_offset(size, p->leading);
    for (size_t k = 0; k < lay.n; k++) {
        float lbase =
            upwards ? base + (float)(lay.n - 1 - k) * p->leading : base - (float)k * p->leading;
        ev_pdf_draw_placed(d, &r, &lay.v[k], x, width, lbase + off);
    }
    ev_pdf_layout_free(&lay);
    ev_pdf_rich_free(&r);
}

void ev_pdf_finish(ev_pdf_doc *d, const ev_pdf_running *run)
{
    if (!d->page)
        ev_pdf_new_page(d);
    if (d->has_toc)
        draw_toc(d, run->toc_title ? run->toc_title : "Contents");
    for (size_t i = 0; i < d->n_links; i++) {
        const ev_pdf_pending_link *l = &d->links[i];
        for (size_t a = 0; a < d->n_anchors; a++)
            if (d->anchors[a].name && strcmp(d->anchors[a].name, l->target) == 0) {
                no_border(HPDF_Page_CreateLinkAnnot(d->pages[l->page], l->rect, d->anchors[a].dst));
                break;
            }
    }
    const float size = 7.5f, w = d->x1 - d->x0;
    for (size_t i = 0; i < d->n_pages; i++) {
        d->page = d->pages[i];
        if (i > 0) {
            float head_base = EV_PDF_PAGE_H - 40;
            float rw = ev_pdf_text_width(d, run->header_right ? run->header_right : "",
                                         EV_PDF_REGULAR, size);
            if (rw > w / 2)
                rw = w / 2;
            draw_running(d, run->header_left, d->x0, w - rw - 16, head_base, true,
                         EV_PDF_ALIGN_LEFT, size);
            draw_running(d, run->header_right, d->x1 - rw, rw, head_base, true, EV_PDF_ALIGN_RIGHT,
                         size);
            draw_rule(d->page, d->x0, d->x1, head_base - 5, 0.5f, RULE);
        }
        char num[64];
        snprintf(num, sizeof num, "page %zu of %zu", i + 1, d->n_pages);
        float nw = ev_pdf_text_width(d, num, EV_PDF_REGULAR, size);
        draw_rule(d->page, d->x0, d->x1, 40, 0.5f, RULE);
        draw_running(d, run->footer_left, d->x0, w - nw - 16, 29, false, EV_PDF_ALIGN_LEFT, size);
        ev_pdf_label(d, d->x1, 29, num, EV_PDF_REGULAR, size, GREY, EV_PDF_ALIGN_RIGHT);
    }
}

size_t ev_pdf_page_count(const ev_pdf_doc *d)
{
    return d->n_pages;
}
