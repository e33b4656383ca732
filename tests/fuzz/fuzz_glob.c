/* fuzz_glob.c: ev_glob_match (exception resource patterns, * and ?), against a
 * straightforward dynamic-programming matcher. The input is "pattern\ntext"; a NUL ends
 * either part early. */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "fuzz.h"

/* m[i][j]: pattern[i..] matches text[j..]. */
static bool reference(const char *p, size_t np, const char *t, size_t nt)
{
    bool *m = calloc((np + 1) * (nt + 1), sizeof *m);
    if (!m)
        abort();
#define M(i, j) m[(i) * (nt + 1) + (j)]
    M(np, nt) = true;
    for (size_t i = np; i-- > 0;) {
        for (size_t j = nt + 1; j-- > 0;) {
            if (p[i] == '*')
                M(i, j) = M(i + 1, j) || (j < nt && M(i, j + 1));
            else
                M(i, j) = j < nt && (p[i] == '?' || p[i] == t[j]) && M(i + 1, j + 1);
        }
    }
    bool r = M(0, 0);
#undef M
    free(m);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    const char *nl = memchr(data, '\n', size);
    size_t np = nl ? (size_t)(nl - (const char *)data) : size;
    char *p = strndup((const char *)data, np);
    char *t = nl ? strndup(nl + 1, size - np - 1) : strdup("");
    if (!p || !t)
        abort();
    bool got = ev_glob_match(p, t);
    FZ_ASSERT(got == reference(p, strlen(p), t, strlen(t)));
    free(p);
    free(t);
    return 0;
}
