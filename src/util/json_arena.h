/* json_arena.h: bump arenas for cJSON trees that are built, used once and dropped. Ingest
 * parses a tree per finding and pack.json's tree holds hundreds of thousands of nodes;
 * allocating and freeing their nodes one by one was a fifth of the time of each. */
#ifndef EV_JSON_ARENA_H
#define EV_JSON_ARENA_H

#include <stdbool.h>
#include <stddef.h>

/* Routes cJSON's allocations, process-wide, through the arenas until uninstalled. A thread
 * then allocates from its own arena while it has one in use (ev_json_arena_use), from the
 * heap otherwise; freeing a pointer of the calling thread's arena does nothing, any other
 * is freed normally. So no cJSON value made in an arena may be used after that arena is
 * reset or released, or be freed by another thread. cJSON's hooks are global: install
 * only while no other thread uses cJSON outside this scheme. */
void ev_json_arena_install(void);
void ev_json_arena_uninstall(void);

/* This thread allocates from its arena (true) or the heap (false). */
void ev_json_arena_use(bool on);

/* n bytes (16-byte aligned) from this thread's arena, for code that builds cJSON nodes
 * itself. Never NULL. */
void *ev_json_arena_alloc(size_t n);

/* Drops everything this thread's arena holds, keeping one block for reuse. */
void ev_json_arena_reset(void);

/* Frees every block of this thread's arena and stops using it. */
void ev_json_arena_release(void);

/* For one thread that builds a tree, uses it and drops it: install and use; then stop
 * using, release and uninstall. */
void ev_json_arena_begin(void);
void ev_json_arena_end(void);

#endif
