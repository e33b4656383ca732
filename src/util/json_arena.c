/* json_arena.c: cJSON's allocations from 1 MiB blocks, released together. */
#include "util/json_arena.h"

#include <cjson/cJSON.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/buf.h"

#define BLOCK ((size_t)1 << 20)
#define ALIGN ((size_t)16)

typedef struct block {
    struct block *next;
    size_t cap, used;
} block;

#define DATA(b) ((char *)(b) + ((sizeof(block) + ALIGN - 1) & ~(ALIGN - 1)))

static block *head; /* newest first */

static void *arena_malloc(size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
    if (!head || head->cap - head->used < need) {
        size_t cap = need > BLOCK ? need : BLOCK;
        block *b = ev_xmalloc(((sizeof(block) + ALIGN - 1) & ~(ALIGN - 1)) + cap);
        b->cap = cap;
        b->used = 0;
        b->next = head;
        head = b;
    }
    void *p = DATA(head) + head->used;
    head->used += need;
    return p;
}

static bool in_arena(const void *p)
{
    for (const block *b = head; b; b = b->next)
        if ((const char *)p >= DATA(b) && (const char *)p < DATA(b) + b->cap)
            return true;
    return false;
}

static void arena_free(void *p)
{
    if (p && !in_arena(p))
        free(p); /* made before the arena began */
}

void ev_json_arena_begin(void)
{
    cJSON_Hooks hooks = {arena_malloc, arena_free};
    cJSON_InitHooks(&hooks);
}

void ev_json_arena_end(void)
{
    cJSON_InitHooks(NULL);
    while (head) {
        block *next = head->next;
        free(head);
        head = next;
    }
}
