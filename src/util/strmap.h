/* strmap.h: a string-keyed hash map to size_t values (open addressing). Keys are copied;
 * ev_strmap_free releases them. Used for the evaluator's check and requirement indexes. */
#ifndef EV_STRMAP_H
#define EV_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ev_strmap ev_strmap;

ev_strmap *ev_strmap_new(void);
void ev_strmap_free(ev_strmap *m);
/* Sets key to value, replacing any earlier value. */
void ev_strmap_put(ev_strmap *m, const char *key, size_t value);
/* Looks up key[0..len); returns true and stores the value when found. */
bool ev_strmap_get(const ev_strmap *m, const char *key, size_t len, size_t *value);
size_t ev_strmap_count(const ev_strmap *m);

#endif
