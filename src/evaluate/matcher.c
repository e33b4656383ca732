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

/* The managed rule behind a deployed AWS Config rule name: Security Hub deploys
 * "securityhub-<rule>-<8 hex>", conformance packs "<rule>-conformance-pack-<suffix>".
 * Writes the rule's length into *len and returns its start, or NULL when the name has
 * neither shape. */
static const char *config_rule_base(const char *name, size_t *len)
{
    const char *cp = strstr(name, "-conformance-pack-");
    if (cp && cp > name) {
        *len = (size_t)(cp - name);
        return name;
    }
    if (strncmp(name, "securityhub-", 12) == 0) {
        const char *rule = name + 12;
        size_t n = strlen(rule);
        if (n > 9 && rule[n - 9] == '-' && strspn(rule + n - 8, "0123456789abcdef") == 8) {
            *len = n - 9;
            return rule;
        }
    }
    return NULL;
}

static size_t add_posting(const ev_matcher *m, const char *check, size_t len, size_t *idx, size_t n,
                          size_t cap)
{
    size_t pi;
    if (ev_strmap_get(m->checks, check, len, &pi))
        for (size_t i = 0; i < m->postings[pi].n; i++)
            n = add_unique(idx, n, cap, m->postings[pi].items[i]);
    return n;
}

static bool namespace_ok(const ev_matcher *m, const char *ns, size_t len)
{
    for (size_t k = 0; k < m->fw->n_namespaces; k++)
        if (strlen(m->fw->namespaces[k]) == len && memcmp(m->fw->namespaces[k], ns, len) == 0)
            return true;
    return false;
}

/* Prowler's ASFF cuts RelatedRequirements at 63 characters, so the last id of a reference
 * that long may be a fragment of a longer one: never match it. */
#define EV_TRUNCATED_REFERENCE 63

size_t ev_matcher_match(const ev_matcher *m, const ev_finding *f, size_t *idx, size_t cap)
{
    size_t n = 0;
    if (f->check) {
        size_t before = n;
        n = add_posting(m, f->check, strlen(f->check), idx, n, cap);
        size_t len;
        const char *base;
        if (n == before && strncmp(f->check, "config:", 7) == 0 &&
            (base = config_rule_base(f->check + 7, &len)) != NULL) {
            char key[512];
            if (len + 8 < sizeof key) {
                memcpy(key, "config:", 7);
                memcpy(key + 7, base, len);
                n = add_posting(m, key, len + 7, idx, n, cap);
            }
        }
    }
    for (size_t r = 0; r < f->n_requirements; r++) {
        const char *ref = f->requirements[r];
        const char *slash = strchr(ref, '/');
        size_t ci;
        if (slash) {
            /* "PCI DSS v4.0.1/8.3.1": namespace, then one id */
            if (namespace_ok(m, ref, (size_t)(slash - ref)) &&
                ev_strmap_get(m->ids, slash + 1, strlen(slash + 1), &ci))
                n = add_unique(idx, n, cap, ci);
            continue;
        }
        /* "HIPAA 164_308_a_1_ii_a 164_308_a_1_ii_b" (Prowler's ASFF): namespace, then ids */
        const char *sp = strchr(ref, ' ');
        if (!sp || !namespace_ok(m, ref, (size_t)(sp - ref)))
            continue;
        bool truncated = strlen(ref) >= EV_TRUNCATED_REFERENCE;
        const char *p = sp;
        while (*p) {
            while (*p == ' ')
                p++;
            size_t len = strcspn(p, " ");
            if (!len || (truncated && p[len] == '\0'))
                break;
            if (ev_strmap_get(m->ids, p, len, &ci))
                n = add_unique(idx, n, cap, ci);
            p += len;
        }
    }
    if (n > 16) {
        qsort(idx, n, sizeof *idx, cmp_size);
    } else {
        /* a finding maps to a few controls: insertion sort, without qsort's overhead */
        for (size_t i = 1; i < n; i++) {
            size_t x = idx[i], j = i;
            for (; j > 0 && idx[j - 1] > x; j--)
                idx[j] = idx[j - 1];
            idx[j] = x;
        }
    }
    return n;
}
