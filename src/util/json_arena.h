/* json_arena.h: a bump allocator for cJSON trees that are built, used once and dropped
 * (pack.json's tree holds hundreds of thousands of nodes: allocating and freeing them one
 * by one was a fifth of the time spent after ingest). */
#ifndef EV_JSON_ARENA_H
#define EV_JSON_ARENA_H

/* Routes cJSON's allocations, process-wide, to a fresh arena until ev_json_arena_end,
 * which releases everything allocated meanwhile at once: no cJSON value made in between
 * may be used, or freed with cJSON_Delete, after it. cJSON's hooks are global, so no other
 * thread may use cJSON in between; the calls do not nest. A pointer that was not allocated
 * in the arena is freed normally. */
void ev_json_arena_begin(void);
void ev_json_arena_end(void);

#endif
