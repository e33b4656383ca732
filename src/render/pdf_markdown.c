/* pdf_markdown.c: user prose in report.pdf (see pdf_markdown.h): one walk of the cmark
 * tree with cmark_iter, keeping the inline style, list and quote nesting as it goes. */
#include <stdio.h>
#include <string.h>

#include <cmark.h>

#include "render/pdf_markdown.h"

#define MAX_LISTS 16

static const ev_pdf_rgb QUOTE_INK = {0.30f, 0.32f, 0.36f};

typedef struct {
    ev_pdf_rich *r;
    ev_pdf_fonts *f;
    float size;
    int align;
    size_t first; /* index of the first paragraph added */
    bool open;    /* a paragraph takes inline content */
    size_t para;  /* its index */
    int strong, emph;
    int quotes;
    int n_lists;
    struct {
        bool ordered;
        int next;
        bool tight;
    } lists[MAX_LISTS];
    bool item_start; /* the next paragraph is the first of a list item */
    char marker[24];
    uint32_t link;    /* link id of the text being added, 0 for none */
    size_t link_from; /* where the link text started in the paragraph */
    const char *link_url;
} md_ctx;

bool ev_pdf_safe_url(const char *url)
{
    if (!url || !(strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0))
        return false;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++, n++)
        if (*p <= 0x20 || *p >= 0x7F)
            return false;
    return n <= 2000;
}

static ev_pdf_para *cur(md_ctx *m)
{
    return &m->r->v[m->para];
}

static void new_para(md_ctx *m)
{
    int depth = m->n_lists < MAX_LISTS ? m->n_lists : MAX_LISTS;
    ev_pdf_para *p = ev_pdf_rich_para(m->r, m->size);
    p->align = m->align;
    p->indent = (float)depth * m->size * 1.4f + (float)m->quotes * m->size * 1.2f;
    if (m->quotes)
        p->color = QUOTE_INK;
    if (depth && m->lists[depth - 1].tight)
        p->space_before = m->size * 0.15f;
    if (m->item_start) {
        ev_pdf_fonts_append(m->f, &p->marker, m->marker, strlen(m->marker), EV_PDF_REGULAR, 0);
        m->item_start = false;
    }
    m->para = m->r->n - 1;
    m->open = true;
}

static ev_pdf_face style(const md_ctx *m)
{
    if (m->strong)
        return EV_PDF_BOLD;
    if (m->emph)
        return EV_PDF_OBLIQUE;
    return EV_PDF_REGULAR;
}

static void add(md_ctx *m, const char *s, ev_pdf_face face)
{
    if (!s)
        return;
    if (!m->open)
        new_para(m);
    ev_pdf_fonts_append(m->f, &cur(m)->text, s, strlen(s), face, m->link);
}

/* A literal block (code, raw HTML): one paragraph, its lines kept as lines. */
static void literal_block(md_ctx *m, const char *s, ev_pdf_face face)
{
    new_para(m);
    size_t len = s ? strlen(s) : 0;
    while (len && s[len - 1] == '\n')
        len--;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != '\n')
            j++;
        ev_pdf_fonts_append(m->f, &cur(m)->text, s + i, j - i, face, 0);
        if (j < len)
            ev_pdf_chars_break(&cur(m)->text);
        i = j + 1;
    }
    m->open = false;
}

static void link_enter(md_ctx *m, cmark_node *n)
{
    const char *url = cmark_node_get_url(n);
    if (!m->open)
        new_para(m);
    m->link_url = url;
    m->link_from = cur(m)->text.n;
    m->link = ev_pdf_safe_url(url) ? ev_pdf_rich_link(m->r, url) : 0;
}

/* After the link text: " (URL)" unless the text is the URL itself (autolinks). */
static void link_exit(md_ctx *m)
{
    const char *url = m->link_url;
    if (url && *url && m->open) {
        ev_buf b = EV_BUF_INIT;
        const ev_pdf_chars *t = &cur(m)->text;
        if (m->link_from <= t->n)
            ev_pdf_chars_utf8(t->v + m->link_from, t->n - m->link_from, &b);
        const char *text = ev_buf_cstr(&b);
        bool same = strcmp(text, url) == 0 ||
                    (strncmp(url, "mailto:", 7) == 0 && strcmp(text, url + 7) == 0);
        if (!same) {
            ev_pdf_fonts_append(m->f, &cur(m)->text, " (", 2, EV_PDF_REGULAR, 0);
            ev_pdf_fonts_append(m->f, &cur(m)->text, url, strlen(url), EV_PDF_REGULAR, m->link);
            ev_pdf_fonts_append(m->f, &cur(m)->text, ")", 1, EV_PDF_REGULAR, 0);
        }
        ev_buf_free(&b);
    }
    m->link = 0;
    m->link_url = NULL;
}

size_t ev_pdf_markdown(ev_pdf_rich *r, ev_pdf_fonts *f, const char *md, float size, int align)
{
    if (!md)
        return 0;
    md_ctx m;
    memset(&m, 0, sizeof m);
    m.r = r;
    m.f = f;
    m.size = size;
    m.align = align;
    m.first = r->n;
    cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
    if (!doc)
        return 0;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        bool enter = ev == CMARK_EVENT_ENTER;
        switch (cmark_node_get_type(n)) {
        case CMARK_NODE_PARAGRAPH:
            if (enter)
                new_para(&m);
            else
                m.open = false;
            break;
        case CMARK_NODE_HEADING:
            if (enter) {
                new_para(&m);
                m.strong++;
            } else {
                m.strong--;
                m.open = false;
            }
            break;
        case CMARK_NODE_CODE_BLOCK:
            literal_block(&m, cmark_node_get_literal(n), EV_PDF_MONO);
            break;
        case CMARK_NODE_HTML_BLOCK:
            literal_block(&m, cmark_node_get_literal(n), EV_PDF_REGULAR);
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            literal_block(&m, "\xE2\x80\x94\xE2\x80\x94\xE2\x80\x94", EV_PDF_REGULAR);
            break;
        case CMARK_NODE_BLOCK_QUOTE:
            m.quotes += enter ? 1 : -1;
            m.open = false;
            break;
        case CMARK_NODE_LIST:
            if (enter) {
                if (m.n_lists < MAX_LISTS) {
                    m.lists[m.n_lists].ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
                    m.lists[m.n_lists].next = cmark_node_get_list_start(n);
                    m.lists[m.n_lists].tight = cmark_node_get_list_tight(n) != 0;
                }
                m.n_lists++;
            } else {
                m.n_lists--;
            }
            m.open = false;
            break;
        case CMARK_NODE_ITEM:
            if (enter) {
                int depth = m.n_lists < MAX_LISTS ? m.n_lists : MAX_LISTS;
                if (depth && m.lists[depth - 1].ordered)
                    snprintf(m.marker, sizeof m.marker, "%d.", m.lists[depth - 1].next++);
                else
                    snprintf(m.marker, sizeof m.marker, "%s",
                             depth % 2 ? "\xE2\x80\xA2" : "\xE2\x80\x93"); /* • – */
                m.item_start = true;
            } else if (m.item_start) {
                /* an empty item still shows its marker */
                new_para(&m);
            }
            m.open = false;
            break;
        case CMARK_NODE_TEXT:
            add(&m, cmark_node_get_literal(n), style(&m));
            break;
        case CMARK_NODE_SOFTBREAK:
            add(&m, " ", style(&m));
            break;
        case CMARK_NODE_LINEBREAK:
            if (!m.open)
                new_para(&m);
            ev_pdf_chars_break(&cur(&m)->text);
            break;
        case CMARK_NODE_CODE:
            add(&m, cmark_node_get_literal(n), EV_PDF_MONO);
            break;
        case CMARK_NODE_HTML_INLINE:
            add(&m, cmark_node_get_literal(n), style(&m));
            break;
        case CMARK_NODE_EMPH:
            m.emph += enter ? 1 : -1;
            break;
        case CMARK_NODE_STRONG:
            m.strong += enter ? 1 : -1;
            break;
        case CMARK_NODE_LINK:
            if (enter)
                link_enter(&m, n);
            else
                link_exit(&m);
            break;
        case CMARK_NODE_IMAGE:
            if (enter) {
                add(&m, "[image: ", EV_PDF_REGULAR);
            } else {
                add(&m, "]", EV_PDF_REGULAR);
                const char *url = cmark_node_get_url(n);
                if (url && *url) {
                    add(&m, " (", EV_PDF_REGULAR);
                    add(&m, url, EV_PDF_REGULAR);
                    add(&m, ")", EV_PDF_REGULAR);
                }
            }
            break;
        default:
            break;
        }
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    return r->n - m.first;
}
