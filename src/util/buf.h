/* buf.h: growable byte buffers and allocation wrappers that abort on out-of-memory,
 * so call sites stay free of allocation checks (as cmark does). */
#ifndef EV_BUF_H
#define EV_BUF_H

#include <stdarg.h>
#include <stddef.h>

void *ev_xmalloc(size_t n);
void *ev_xcalloc(size_t n, size_t size);
void *ev_xrealloc(void *p, size_t n);
/* Copies s (NULL gives NULL). The caller frees the result. */
char *ev_xstrdup(const char *s);
char *ev_xstrndup(const char *s, size_t n);

/* Frees v[0..n) and v itself (NULL is fine). */
void ev_strv_free(char **v, size_t n);

/* A NUL-terminated growable buffer. Zero-initialise (EV_BUF_INIT) before use;
 * ev_buf_free releases it; ev_buf_detach hands the memory to the caller. */
typedef struct {
    char *data;
    size_t len;
    size_t cap;
} ev_buf;

#define EV_BUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

void ev_buf_reserve(ev_buf *b, size_t extra);
void ev_buf_put(ev_buf *b, const void *data, size_t n);
void ev_buf_puts(ev_buf *b, const char *s);
void ev_buf_putc(ev_buf *b, char c);
void ev_buf_printf(ev_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ev_buf_vprintf(ev_buf *b, const char *fmt, va_list ap);
void ev_buf_clear(ev_buf *b);
void ev_buf_free(ev_buf *b);
/* Returns the contents (never NULL) and resets b; the caller frees the result. */
char *ev_buf_detach(ev_buf *b);
/* Returns the contents as a C string (never NULL); b keeps ownership. */
const char *ev_buf_cstr(ev_buf *b);

#endif
