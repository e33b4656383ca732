/* matcher.c: joins a finding to framework controls by check id and by requirement
 * reference, through hash indexes built once per framework. */
#include <stdlib.h>
#include <string.h>

#include "evaluate/evaluate.h"
#include "util/buf.h"
#include "util/strmap.h"

typedef struct {
    size_t *items;
    size_t n, cap;
} posting;

struct ev_matcher {
    const ev_framework *fw;
    ev_strmap *checks; /* check -> posting index */
    posting *postings;
    size_t n_postings;
    ev_strmap *ids; /* control id or alias -> control index */
};

static void posting_add(posting *p, size_t v)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i] == v)
            return;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 4;
        p->items = ev_xrealloc(p->items, p->cap * sizeof *p->items);
    }
    p->items[p->n++] = v;
}

ev_matcher *ev_matcher_new(const ev_framework *fw)
{
    ev_matcher *m = ev_xcalloc(1, sizeof *m);
    m->fw = fw;
    m->checks = ev_strmap_new();
    m->ids = ev_strmap_new();
    size_t total = 0;
    for (size_t i = 0; i < fw->n_controls; i++)
        total += fw->controls[i].n_checks;
    m->postings = ev_xcalloc(total + 1, sizeof *m->postings);
    for (size_t i = 0; i < fw->n_controls; i++) {
        const ev_control *c = &fw->controls[i];
        for (size_t j = 0; j < c->n_checks; j++) {
            size_t pi;
            if (!ev_strmap_get(m->checks, c->checks[j], strlen(c->checks[j]), &pi)) {
                pi = m->n_postings++;
                ev_strmap_put(m->checks, c->checks[j], pi);
            }
            posting_add(&m->postings[pi], i);
        }
        ev_strmap_put(m->ids, c->id, i);
    }
    /* aliases never shadow an id (the loader refuses such clashes anyway) */
    for (size_t i = 0; i < fw->n_controls; i++)
        for (size_t a = 0; a < fw->controls[i].n_aliases; a++) {
            size_t dummy;
            const char *al = fw->controls[i].aliases[a];
            if (!ev_strmap_get(m->ids, al, strlen(al), &dummy))
                ev_strmap_put(m->ids, al, i);
        }
    return m;
}

void ev_matcher_free(ev_matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_postings; i++)
        free(m->postings[i].items);
    free(m->postings);
    ev_strmap_free(m->checks);
    ev_strmap_free(m->ids);
    free(m);
}

static size_t add_unique(size_t *idx, size_t n, size_t cap, size_t v)
{
    for (size_t i = 0; i < n; i++)
        if (idx[i] == v)
            return n;
    if (n < cap)
        idx[n++] = v;
    return n;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

size_t ev_matcher_match(const ev_matcher *m, const ev_finding *f, size_t *idx, size_t cap)
{
    size_t n = 0;
    size_t pi;
    if (f->check && ev_strmap_get(m->checks, f->check, strlen(f->check), &pi))
        for (size_t i = 0; i < m->postings[pi].n; i++)
            n = add_unique(idx, n, cap, m->postings[pi].items[i]);
    for (size_t r = 0; r < f->n_requirements; r++) {
        const char *ref = f->requirements[r];
        const char *slash = strchr(ref, '/');
        if (!slash)
            continue;
        size_t nslen = (size_t)(slash - ref);
        bool ns_ok = false;
        for (size_t k = 0; k < m->fw->n_namespaces && !ns_ok; k++)
            ns_ok = strlen(m->fw->namespaces[k]) == nslen &&
                    memcmp(m->fw->namespaces[k], ref, nslen) == 0;
        size_t ci;
        if (ns_ok && ev_strmap_get(m->ids, slash + 1, strlen(slash + 1), &ci))
            n = add_unique(idx, n, cap, ci);
    }
    qsort(idx, n, sizeof *idx, cmp_size);
    return n;
}
