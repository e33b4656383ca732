/* buf.c: growable buffers and aborting allocators. */
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("evpack: out of memory\n", stderr);
    abort();
}

void *ev_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *ev_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *ev_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *ev_xstrdup(const char *s)
{
    return s ? ev_xstrndup(s, strlen(s)) : NULL;
}

char *ev_xstrndup(const char *s, size_t n)
{
    char *p = ev_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void ev_buf_reserve(ev_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = ev_xrealloc(b->data, cap);
    b->data[b->len] = '\0'; /* a fresh buffer is NUL-terminated too */
    b->cap = cap;
}

void ev_buf_put(ev_buf *b, const void *data, size_t n)
{
    ev_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ev_buf_puts(ev_buf *b, const char *s)
{
    ev_buf_put(b, s, strlen(s));
}

void ev_buf_putc(ev_buf *b, char c)
{
    ev_buf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void ev_buf_vprintf(ev_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    ev_buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void ev_buf_printf(ev_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ev_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void ev_buf_clear(ev_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void ev_buf_free(ev_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *ev_buf_detach(ev_buf *b)
{
    char *p = b->data ? b->data : ev_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *ev_buf_cstr(ev_buf *b)
{
    return b->data ? b->data : "";
}

void ev_strv_free(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
