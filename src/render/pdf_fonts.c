/* pdf_fonts.c: the fonts of report.pdf (see pdf_fonts.h). Glyph coverage comes from each
 * font's own cmap table, read here (libharu cannot tell whether a font has a glyph);
 * advance widths come from libharu (HPDF_Font_TextWidth on one code point at a time, so
 * a UTF-8 sequence is never split) and are cached per face.
 *
 * libharu 2.3.0 writes, for TrueType fonts under its UTF-8 encoder, a ToUnicode CMap made
 * of "cidrange" operators, which is not valid in a ToUnicode CMap (poppler warns and
 * other readers may not extract the text). Under that encoder the codes in the content
 * stream are the BMP code points themselves, so each font's ToUnicode stream is rewritten
 * as an identity "bfrange" map right after the font is created. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "render/pdf_fonts.h"
#include "util/buf.h"
#include "util/utf8.h"

#define WIDTH_UNKNOWN 0xFFFFu
#define REPLACEMENT 0xFFFDu

typedef struct {
    char *path;
    int state;        /* 0: not looked at, 1: cmap read, -1: unavailable */
    uint8_t *cover;   /* 65536 bits: the font has a glyph for the code point */
    uint16_t *widths; /* 65536 widths, WIDTH_UNKNOWN until measured */
    HPDF_Font font;   /* NULL until first use */
    bool load_failed;
} face_rec;

struct ev_pdf_fonts {
    HPDF_Doc pdf;
    face_rec face[EV_PDF_FACE_COUNT];
    size_t replaced;
    ev_status status;
    ev_error error;
};

/* ---- code point arrays ---- */

void ev_pdf_chars_push(ev_pdf_chars *c, ev_pdf_ch ch)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 32;
        c->v = ev_xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = ch;
}

void ev_pdf_chars_free(ev_pdf_chars *c)
{
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
}

void ev_pdf_chars_break(ev_pdf_chars *c)
{
    ev_pdf_ch ch = {'\n', 0, 0, EV_PDF_REGULAR, 0};
    ev_pdf_chars_push(c, ch);
}

void ev_pdf_chars_utf8(const ev_pdf_ch *ch, size_t n, ev_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = ch[i].cp;
        char b[4];
        if (cp < 0x80) {
            ev_buf_putc(out, (char)cp);
        } else if (cp < 0x800) {
            b[0] = (char)(0xC0 | (cp >> 6));
            b[1] = (char)(0x80 | (cp & 0x3F));
            ev_buf_put(out, b, 2);
        } else {
            /* only BMP code points are ever stored (see clean_cp) */
            b[0] = (char)(0xE0 | (cp >> 12));
            b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            b[2] = (char)(0x80 | (cp & 0x3F));
            ev_buf_put(out, b, 3);
        }
    }
}

/* ---- TrueType cmap ---- */

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void set_bit(uint8_t *cover, uint32_t cp)
{
    cover[cp >> 3] |= (uint8_t)(1u << (cp & 7));
}

static bool cover_format4(const uint8_t *t, size_t avail, uint8_t *cover)
{
    if (avail < 14)
        return false;
    size_t segx2 = be16(t + 6);
    if (segx2 % 2 || 16 + 4 * segx2 > avail)
        return false;
    const uint8_t *ends = t + 14, *starts = ends + segx2 + 2, *deltas = starts + segx2;
    const uint8_t *ranges = deltas + segx2;
    for (size_t s = 0; s < segx2 / 2; s++) {
        uint32_t end = be16(ends + 2 * s), start = be16(starts + 2 * s);
        uint16_t delta = be16(deltas + 2 * s), ro = be16(ranges + 2 * s);
        for (uint32_t c = start; c <= end; c++) {
            uint32_t gid;
            if (ro == 0) {
                gid = (c + delta) & 0xFFFFu;
            } else {
                size_t at = (size_t)(ranges + 2 * s - t) + ro + 2 * (c - start);
                if (at + 2 > avail)
                    break;
                uint16_t g = be16(t + at);
                gid = g ? (uint32_t)(g + delta) & 0xFFFFu : 0;
            }
            if (gid)
                set_bit(cover, c);
        }
    }
    return true;
}

static bool cover_format12(const uint8_t *t, size_t avail, uint8_t *cover)
{
    if (avail < 16)
        return false;
    uint32_t groups = be32(t + 12);
    if (groups > (avail - 16) / 12)
        return false;
    for (uint32_t g = 0; g < groups; g++) {
        const uint8_t *r = t + 16 + 12 * (size_t)g;
        uint32_t start = be32(r), end = be32(r + 4), glyph = be32(r + 8);
        for (uint32_t c = start; c <= end && c <= 0xFFFF; c++)
            if (glyph + (c - start))
                set_bit(cover, c);
    }
    return true;
}

/* Fills cover from the font file's best Unicode cmap: (3,1) format 4 first, as libharu
 * uses it, then (3,10) format 12, then Unicode-platform subtables. */
static bool read_cover(const char *path, uint8_t *cover)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    ev_buf b = EV_BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
        ev_buf_put(&b, chunk, k);
    fclose(fp);
    const uint8_t *d = (const uint8_t *)b.data;
    size_t n = b.len;
    bool ok = false;
    if (n >= 12) {
        size_t ntables = be16(d + 4);
        const uint8_t *cmap = NULL;
        size_t clen = 0;
        for (size_t i = 0; i < ntables && 12 + 16 * (i + 1) <= n; i++) {
            const uint8_t *rec = d + 12 + 16 * i;
            if (memcmp(rec, "cmap", 4) == 0) {
                size_t off = be32(rec + 8), len = be32(rec + 12);
                if (off < n && len <= n - off) {
                    cmap = d + off;
                    clen = len;
                }
            }
        }
        if (cmap && clen >= 4) {
            size_t nsub = be16(cmap + 2), best = 0;
            int best_rank = 0;
            for (size_t j = 0; j < nsub && 4 + 8 * (j + 1) <= clen; j++) {
                const uint8_t *rec = cmap + 4 + 8 * j;
                uint16_t pid = be16(rec), eid = be16(rec + 2);
                size_t off = be32(rec + 4);
                if (off + 4 > clen)
                    continue;
                uint16_t fmt = be16(cmap + off);
                int rank = 0;
                if (pid == 3 && eid == 1 && fmt == 4)
                    rank = 4;
                else if (pid == 3 && eid == 10 && fmt == 12)
                    rank = 3;
                else if (pid == 0 && fmt == 4)
                    rank = 2;
                else if (pid == 0 && fmt == 12)
                    rank = 1;
                if (rank > best_rank) {
                    best_rank = rank;
                    best = off;
                }
            }
            if (best_rank) {
                const uint8_t *t = cmap + best;
                ok = be16(t) == 4 ? cover_format4(t, clen - best, cover)
                                  : cover_format12(t, clen - best, cover);
            }
        }
    }
    ev_buf_free(&b);
    return ok;
}

/* ---- faces ---- */

static const char *const face_files[EV_PDF_FACE_COUNT] = {
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSansMono.ttf", NULL};

static bool face_ready(ev_pdf_fonts *f, int i)
{
    face_rec *r = &f->face[i];
    if (r->state == 0) {
        r->cover = ev_xcalloc(65536 / 8, 1);
        r->state = r->path && read_cover(r->path, r->cover) ? 1 : -1;
    }
    return r->state == 1;
}

static bool covers(ev_pdf_fonts *f, int i, uint32_t cp)
{
    return face_ready(f, i) && (f->face[i].cover[cp >> 3] >> (cp & 7) & 1);
}

/* Writes an identity ToUnicode CMap (code = BMP code point) into font's ToUnicode. */
static void fix_tounicode(HPDF_Font font)
{
    HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    if (!tu || !tu->stream)
        return;
    ev_buf b = EV_BUF_INIT;
    ev_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned his[256], n = 0;
    for (unsigned hi = 0; hi < 256; hi++)
        if (hi < 0xD8 || hi > 0xDF) /* no surrogates */
            his[n++] = hi;
    for (unsigned i = 0; i < n; i += 100) {
        unsigned m = n - i < 100 ? n - i : 100;
        ev_buf_printf(&b, "%u beginbfrange\n", m);
        for (unsigned j = i; j < i + m; j++)
            ev_buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", his[j], his[j], his[j]);
        ev_buf_puts(&b, "endbfrange\n");
    }
    ev_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    HPDF_MemStream_FreeData(tu->stream);
    HPDF_Stream_Write(tu->stream, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    ev_buf_free(&b);
}

static void fail(ev_pdf_fonts *f, ev_status s, const char *path, const char *msg)
{
    if (f->status == EV_OK)
        f->status = ev_error_set(&f->error, s, path, 0, 0, "%s", msg);
}

HPDF_Font ev_pdf_fonts_get(ev_pdf_fonts *f, ev_pdf_face face)
{
    face_rec *r = &f->face[face];
    if (r->font || r->load_failed)
        return r->font;
    if (!face_ready(f, (int)face)) {
        r->load_failed = true;
        return NULL;
    }
    const char *name = HPDF_LoadTTFontFromFile(f->pdf, r->path, HPDF_TRUE);
    HPDF_Font font = name ? HPDF_GetFont(f->pdf, name, "UTF-8") : NULL;
    if (!font) {
        r->load_failed = true;
        fail(f, EV_ERR_OUTPUT, r->path, "libharu cannot load this font");
        return NULL;
    }
    fix_tounicode(font);
    r->font = font;
    r->widths = ev_xmalloc(65536 * sizeof *r->widths);
    memset(r->widths, 0xFF, 65536 * sizeof *r->widths);
    return font;
}

static uint16_t width_of(ev_pdf_fonts *f, int face, uint32_t cp)
{
    face_rec *r = &f->face[face];
    if (r->widths && r->widths[cp] != WIDTH_UNKNOWN)
        return r->widths[cp];
    HPDF_Font font = ev_pdf_fonts_get(f, (ev_pdf_face)face);
    if (!font)
        return 500;
    ev_pdf_ch ch = {cp, 0, 0, 0, 0};
    ev_buf b = EV_BUF_INIT;
    ev_pdf_chars_utf8(&ch, 1, &b);
    HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
    ev_buf_free(&b);
    uint16_t w = tw.width < WIDTH_UNKNOWN ? (uint16_t)tw.width : (uint16_t)(WIDTH_UNKNOWN - 1);
    r->widths[cp] = w;
    return w;
}

/* CJK scripts: drawn with the CJK font when it has the glyph. */
static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x2E80 && cp <= 0x2FDF) ||
           (cp >= 0x3000 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA960 && cp <= 0xA97F) ||
           (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* Control characters become spaces; bidi embeddings, overrides and isolates, line and
 * paragraph separators, and code points beyond the BMP become U+FFFD. */
static uint32_t clean_cp(ev_pdf_fonts *f, uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
        return ' ';
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 ||
        cp == 0x2029 || cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        f->replaced++;
        return REPLACEMENT;
    }
    return cp;
}

static int choose_face(ev_pdf_fonts *f, int style, uint32_t cp)
{
    if (is_cjk(cp) && covers(f, EV_PDF_CJK, cp))
        return EV_PDF_CJK;
    if (covers(f, style, cp))
        return style;
    if (style != EV_PDF_REGULAR && covers(f, EV_PDF_REGULAR, cp))
        return EV_PDF_REGULAR;
    if (!is_cjk(cp) && covers(f, EV_PDF_CJK, cp))
        return EV_PDF_CJK;
    return -1;
}

void ev_pdf_fonts_append(ev_pdf_fonts *f, ev_pdf_chars *out, const char *s, size_t len,
                         ev_pdf_face style, uint32_t link)
{
    int st = (int)style;
    if (st == EV_PDF_CJK)
        st = EV_PDF_REGULAR;
    if (st == EV_PDF_OBLIQUE && !face_ready(f, EV_PDF_OBLIQUE))
        st = EV_PDF_BOLD;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            cp = c;
            i++;
        } else {
            unsigned u = 0;
            size_t k = ev_utf8_decode(s + i, len - i, &u);
            if (k == 0) { /* never after ingest; still shown, never dropped */
                u = REPLACEMENT;
                f->replaced++;
                k = 1;
            }
            cp = u;
            i += k;
        }
        cp = clean_cp(f, cp);
        int face = choose_face(f, st, cp);
        if (face < 0) {
            f->replaced++;
            cp = REPLACEMENT;
            face = covers(f, st, cp) ? st : EV_PDF_REGULAR;
        }
        ev_pdf_ch ch = {cp, link, width_of(f, face, cp), (uint8_t)face, 0};
        ev_pdf_chars_push(out, ch);
    }
}

size_t ev_pdf_fonts_replaced(const ev_pdf_fonts *f)
{
    return f->replaced;
}

ev_status ev_pdf_fonts_status(const ev_pdf_fonts *f, ev_error *err)
{
    if (f->status != EV_OK && err)
        *err = f->error;
    return f->status;
}

static char *join_path(const char *dir, const char *name)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "%s/%s", dir, name);
    return ev_buf_detach(&b);
}

ev_status ev_pdf_fonts_open(HPDF_Doc pdf, const char *font_dir, const char *cjk_path,
                            ev_pdf_fonts **out, ev_error *err)
{
    *out = NULL;
    if (!font_dir || !*font_dir)
        font_dir = getenv("EVPACK_FONT_DIR");
    if (!font_dir || !*font_dir)
        font_dir = EV_PDF_FONT_DIR_DEFAULT;
    if (!cjk_path || !*cjk_path)
        cjk_path = getenv("EVPACK_CJK_FONT");
    if (!cjk_path || !*cjk_path)
        cjk_path = EV_PDF_CJK_FONT_DEFAULT;
    ev_pdf_fonts *f = ev_xcalloc(1, sizeof *f);
    f->pdf = pdf;
    for (int i = 0; i < EV_PDF_CJK; i++)
        f->face[i].path = join_path(font_dir, face_files[i]);
    f->face[EV_PDF_CJK].path = ev_xstrdup(cjk_path);
    static const int required[] = {EV_PDF_REGULAR, EV_PDF_BOLD, EV_PDF_MONO};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++) {
        if (!face_ready(f, required[i])) {
            FILE *fp = fopen(f->face[required[i]].path, "rb");
            int e = errno;
            ev_status s;
            if (!fp)
                s = ev_error_set(err, EV_ERR_IO, f->face[required[i]].path, 0, 0,
                                 "cannot read font: %s (install fonts-dejavu-core or set "
                                 "EVPACK_FONT_DIR)",
                                 strerror(e));
            else
                s = ev_error_set(err, EV_ERR_IO, f->face[required[i]].path, 0, 0,
                                 "not a TrueType font with a Unicode cmap");
            if (fp)
                fclose(fp);
            ev_pdf_fonts_free(f);
            return s;
        }
    }
    if (!ev_pdf_fonts_get(f, EV_PDF_REGULAR)) {
        ev_status s = ev_pdf_fonts_status(f, err);
        ev_pdf_fonts_free(f);
        return s;
    }
    *out = f;
    return EV_OK;
}

void ev_pdf_fonts_free(ev_pdf_fonts *f)
{
    if (!f)
        return;
    for (int i = 0; i < EV_PDF_FACE_COUNT; i++) {
        free(f->face[i].path);
        free(f->face[i].cover);
        free(f->face[i].widths);
    }
    free(f);
}
