/* fuzz_md_escape.c: the Markdown escaper (ev_md_escape) that keeps finding text literal
 * in report.md. Checks on the output, for any input bytes:
 *  - it is valid UTF-8 with no control character (C0, DEL, C1), no bidirectional
 *    embedding, override or isolate, and no line or paragraph separator;
 *  - every ASCII punctuation character is escaped by a backslash, and every backslash
 *    escapes one;
 *  - CommonMark (libcmark) reads it back as plain text: between two letters it parses
 *    to one paragraph holding only text nodes, whose text is the output unescaped. So no
 *    emphasis, link, code span, HTML or entity can come out of finding text. */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "fuzz.h"
#include "render/render.h"
#include "util/buf.h"
#include "util/utf8.h"

static bool ascii_punct(unsigned char c)
{
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ev_buf out = EV_BUF_INIT;
    ev_buf_puts(&out, "a");
    ev_md_escape(&out, (const char *)data, size);
    ev_buf_puts(&out, "a");
    const char *o = out.data + 1;
    size_t olen = out.len - 2;

    /* at most 3 bytes out per byte in (U+FFFD for one bad byte) */
    FZ_ASSERT(olen <= 3 * size);
    FZ_ASSERT(ev_utf8_valid(o, olen, NULL));

    /* the text a reader should see: the output without its escaping backslashes */
    ev_buf plain = EV_BUF_INIT;
    ev_buf_putc(&plain, 'a');
    for (size_t i = 0; i < olen;) {
        unsigned char c = (unsigned char)o[i];
        if (c < 0x80) {
            FZ_ASSERT(c >= 0x20 && c != 0x7f);
            if (c == '\\') {
                FZ_ASSERT(i + 1 < olen && ascii_punct((unsigned char)o[i + 1]));
                ev_buf_putc(&plain, o[i + 1]);
                i += 2;
                continue;
            }
            FZ_ASSERT(!ascii_punct(c));
            ev_buf_putc(&plain, (char)c);
            i++;
            continue;
        }
        unsigned cp = 0;
        size_t n = ev_utf8_decode(o + i, olen - i, &cp);
        FZ_ASSERT(n > 0);
        FZ_ASSERT(!(cp >= 0x80 && cp <= 0x9f));
        FZ_ASSERT(!(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069));
        FZ_ASSERT(cp != 0x2028 && cp != 0x2029);
        ev_buf_put(&plain, o + i, n);
        i += n;
    }
    ev_buf_putc(&plain, 'a');

    /* CommonMark reads it as that text, and nothing else */
    cmark_node *doc = cmark_parse_document(out.data, out.len, CMARK_OPT_DEFAULT);
    FZ_ASSERT(doc != NULL);
    cmark_node *para = cmark_node_first_child(doc);
    FZ_ASSERT(para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH);
    FZ_ASSERT(cmark_node_next(para) == NULL);
    ev_buf seen = EV_BUF_INIT;
    for (cmark_node *t = cmark_node_first_child(para); t; t = cmark_node_next(t)) {
        FZ_ASSERT(cmark_node_get_type(t) == CMARK_NODE_TEXT);
        ev_buf_puts(&seen, cmark_node_get_literal(t));
    }
    FZ_ASSERT(seen.len == plain.len && memcmp(seen.data, plain.data, seen.len) == 0);
    cmark_node_free(doc);
    ev_buf_free(&seen);
    ev_buf_free(&plain);
    ev_buf_free(&out);
    return 0;
}
