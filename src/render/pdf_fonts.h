/* pdf_fonts.h: the fonts of report.pdf (private to the PDF renderer). DejaVu Sans
 * (regular, bold, and oblique when installed), DejaVu Sans Mono and, for CJK text,
 * IPAGothic are embedded with libharu's UTF-8 encoder. libharu has no glyph fallback, so
 * text is turned into code points, each tagged with the face that has its glyph: CJK
 * ranges go to IPAGothic, the rest to the requested style, else to regular DejaVu, else
 * to IPAGothic. What no font has, code points beyond U+FFFF (which libharu turns into
 * spaces) and bidirectional controls become a visible U+FFFD and are counted; control
 * characters become spaces. Faces are loaded on first use, so a pack without CJK text
 * does not carry the 6 MB CJK font. */
#ifndef EV_PDF_FONTS_H
#define EV_PDF_FONTS_H

#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "util/buf.h"
#include "util/status.h"

/* Default folders (Debian's fonts-dejavu-core and fonts-ipafont-gothic). */
#define EV_PDF_FONT_DIR_DEFAULT "/usr/share/fonts/truetype/dejavu"
#define EV_PDF_CJK_FONT_DEFAULT "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"

typedef enum {
    EV_PDF_REGULAR,
    EV_PDF_BOLD,
    EV_PDF_OBLIQUE, /* falls back to bold when DejaVuSans-Oblique.ttf is not installed */
    EV_PDF_MONO,
    EV_PDF_CJK,
    EV_PDF_FACE_COUNT
} ev_pdf_face;

/* One code point as it will be drawn. */
typedef struct {
    uint32_t cp;   /* after replacement; '\n' marks a forced line break */
    uint32_t link; /* 0: none; else 1 + index into the owner's link table */
    uint16_t w;    /* advance width in thousandths of the font size */
    uint8_t face;  /* ev_pdf_face */
    uint8_t pad;
} ev_pdf_ch;

/* A growable array of code points; zero-initialise, free with ev_pdf_chars_free. */
typedef struct {
    ev_pdf_ch *v;
    size_t n, cap;
} ev_pdf_chars;

void ev_pdf_chars_push(ev_pdf_chars *c, ev_pdf_ch ch);
void ev_pdf_chars_free(ev_pdf_chars *c);
/* Appends a forced line break. */
void ev_pdf_chars_break(ev_pdf_chars *c);
/* Appends the code points ch[0..n) to out as UTF-8 (forced breaks as '\n'). */
void ev_pdf_chars_utf8(const ev_pdf_ch *ch, size_t n, ev_buf *out);

typedef struct ev_pdf_fonts ev_pdf_fonts;

/* Opens the fonts for pdf: DejaVuSans.ttf, DejaVuSans-Bold.ttf, DejaVuSansMono.ttf (and
 * DejaVuSans-Oblique.ttf when present) from font_dir (NULL: $EVPACK_FONT_DIR, else
 * EV_PDF_FONT_DIR_DEFAULT) and the CJK font cjk_path (NULL: $EVPACK_CJK_FONT, else
 * EV_PDF_CJK_FONT_DEFAULT; when missing, CJK text is replaced and counted). A missing
 * DejaVu file is EV_ERR_IO naming it. The caller frees the result with ev_pdf_fonts_free
 * before HPDF_Free. */
ev_status ev_pdf_fonts_open(HPDF_Doc pdf, const char *font_dir, const char *cjk_path,
                            ev_pdf_fonts **out, ev_error *err);
void ev_pdf_fonts_free(ev_pdf_fonts *f);

/* Appends the UTF-8 text s[0..len) in style (regular, bold, oblique or mono) to out,
 * each code point tagged with its face and width and with link. Never fails: problems
 * loading a face are kept for ev_pdf_fonts_status. */
void ev_pdf_fonts_append(ev_pdf_fonts *f, ev_pdf_chars *out, const char *s, size_t len,
                         ev_pdf_face style, uint32_t link);

/* The libharu font of face, loading it on first use (NULL when it cannot be loaded). */
HPDF_Font ev_pdf_fonts_get(ev_pdf_fonts *f, ev_pdf_face face);

/* Code points replaced by U+FFFD so far (no font has them, bidi controls, beyond BMP). */
size_t ev_pdf_fonts_replaced(const ev_pdf_fonts *f);

/* EV_OK, or the first error met while loading a face on demand (copied into err). */
ev_status ev_pdf_fonts_status(const ev_pdf_fonts *f, ev_error *err);

#endif
