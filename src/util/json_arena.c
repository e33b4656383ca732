/* json_arena.c: per-thread bump arenas of 256 KiB blocks behind cJSON's allocation hooks. */
#include "util/json_arena.h"

#include <cjson/cJSON.h>

#include <stdint.h>
#include <stdlib.h>

#include "util/buf.h"

#define BLOCK ((size_t)256 * 1024)
#define ALIGN ((size_t)16)

typedef struct block {
    struct block *next;
    size_t cap, used;
} block;

#define DATA(b) ((char *)(b) + ((sizeof(block) + ALIGN - 1) & ~(ALIGN - 1)))

static _Thread_local block *head; /* newest first */
static _Thread_local bool in_use;

void *ev_json_arena_alloc(size_t n)
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

static void *hook_malloc(size_t n)
{
    return in_use ? ev_json_arena_alloc(n) : malloc(n);
}

static bool in_arena(const void *p)
{
    for (const block *b = head; b; b = b->next)
        if ((const char *)p >= DATA(b) && (const char *)p < DATA(b) + b->cap)
            return true;
    return false;
}

static void hook_free(void *p)
{
    if (p && !in_arena(p))
        free(p); /* a heap allocation: made with no arena in use */
}

void ev_json_arena_install(void)
{
    cJSON_Hooks hooks = {hook_malloc, hook_free};
    cJSON_InitHooks(&hooks);
}

void ev_json_arena_uninstall(void)
{
    cJSON_InitHooks(NULL);
}

void ev_json_arena_use(bool on)
{
    in_use = on;
}

void ev_json_arena_reset(void)
{
    while (head && head->next) {
        block *next = head->next;
        free(head);
        head = next;
    }
    if (head)
        head->used = 0;
}

void ev_json_arena_release(void)
{
    ev_json_arena_reset();
    free(head);
    head = NULL;
    in_use = false;
}

void ev_json_arena_begin(void)
{
    ev_json_arena_install();
    ev_json_arena_use(true);
}

void ev_json_arena_end(void)
{
    ev_json_arena_release();
    ev_json_arena_uninstall();
}
