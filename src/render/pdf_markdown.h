/* pdf_markdown.h: user prose in report.pdf (private to the PDF renderer). Text that
 * users write in Markdown (control statements, rationale, the customer's complementary
 * duty, preambles, evidence notes) is parsed with cmark and turned into rich text:
 * paragraphs, emphasis (oblique, or bold without the oblique face) and strong (bold),
 * bullet and numbered lists, block quotes (indented), code (monospace), hard breaks, and
 * links shown as their text followed by the URL; only http and https links become
 * clickable. Raw HTML is shown literally, never interpreted. */
#ifndef EV_PDF_MARKDOWN_H
#define EV_PDF_MARKDOWN_H

#include "render/pdf_layout.h"

/* Appends md (UTF-8 Markdown; NULL adds nothing) to r as paragraphs at size, with
 * paragraph alignment align. Returns the number of paragraphs added. */
size_t ev_pdf_markdown(ev_pdf_rich *r, ev_pdf_fonts *f, const char *md, float size, int align);

/* True when url may become a link annotation: http:// or https://, printable ASCII
 * without spaces, at most 2,000 bytes. */
bool ev_pdf_safe_url(const char *url);

#endif
