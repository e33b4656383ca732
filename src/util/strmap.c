/* strmap.c: open-addressing string map with FNV-1a hashing and linear probing. */
#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

typedef struct {
    char *key;
    size_t len;
    uint64_t hash;
    size_t value;
} entry;

struct ev_strmap {
    entry *e;
    size_t cap, count;
};

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
    return h;
}

ev_strmap *ev_strmap_new(void)
{
    ev_strmap *m = ev_xcalloc(1, sizeof *m);
    m->cap = 64;
    m->e = ev_xcalloc(m->cap, sizeof *m->e);
    return m;
}

void ev_strmap_free(ev_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->e[i].key);
    free(m->e);
    free(m);
}

static entry *probe(entry *e, size_t cap, const char *key, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1);
    while (e[i].key && !(e[i].hash == h && e[i].len == len && memcmp(e[i].key, key, len) == 0))
        i = (i + 1) & (cap - 1);
    return &e[i];
}

void ev_strmap_put(ev_strmap *m, const char *key, size_t value)
{
    if ((m->count + 1) * 2 > m->cap) {
        size_t ncap = m->cap * 2;
        entry *ne = ev_xcalloc(ncap, sizeof *ne);
        for (size_t i = 0; i < m->cap; i++)
            if (m->e[i].key)
                *probe(ne, ncap, m->e[i].key, m->e[i].len, m->e[i].hash) = m->e[i];
        free(m->e);
        m->e = ne;
        m->cap = ncap;
    }
    size_t len = strlen(key);
    uint64_t h = fnv(key, len);
    entry *slot = probe(m->e, m->cap, key, len, h);
    if (!slot->key) {
        slot->key = ev_xstrndup(key, len);
        slot->len = len;
        slot->hash = h;
        m->count++;
    }
    slot->value = value;
}

bool ev_strmap_get(const ev_strmap *m, const char *key, size_t len, size_t *value)
{
    entry *slot = probe(m->e, m->cap, key, len, fnv(key, len));
    if (!slot->key)
        return false;
    *value = slot->value;
    return true;
}

size_t ev_strmap_count(const ev_strmap *m)
{
    return m->count;
}
