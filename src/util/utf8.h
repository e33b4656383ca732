/* utf8.h: UTF-8 validation. Text is validated once, at ingest, because the libraries
 * downstream mishandle invalid UTF-8 (cJSON keeps it, libxlsxwriter corrupts the file,
 * libharu drops it). */
#ifndef EV_UTF8_H
#define EV_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or code points
 * above U+10FFFF). When it is not and bad_offset is not NULL, *bad_offset is set to the
 * offset of the first bad byte. */
bool ev_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Returns a copy of s[0..len) with every ill-formed sequence replaced by U+FFFD and
 * *replaced (when not NULL) set to how many were replaced. The caller frees the result. */
char *ev_utf8_sanitize(const char *s, size_t len, size_t *replaced);

/* Decodes one code point at s (at most len bytes). Returns its length in bytes (>= 1),
 * or 0 when the sequence is ill-formed; *cp receives the code point. */
size_t ev_utf8_decode(const char *s, size_t len, unsigned *cp);

/* Decodes the JSON escape \uXXXX at s (the backslash; at most len bytes), with the \uXXXX
 * of its low surrogate when it is a high one, into UTF-8 at out, as cJSON decodes it.
 * Returns the bytes consumed (6 or 12) and sets *out_len (1 to 4); returns 0 for what the
 * fast JSON paths leave to cJSON: \u0000, a lone or reversed surrogate, a non-hex digit. */
size_t ev_utf8_json_escape(const char *s, size_t len, char out[4], size_t *out_len);

#endif
