/* json_locate.h: finds where a value sits in a JSON text, for file:line:col messages
 * about documents that cJSON has already parsed (cJSON keeps no positions).
 * The path is a list of steps: an object key, or an array index. */
#ifndef EV_JSON_LOCATE_H
#define EV_JSON_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *key; /* object member name, or NULL to use index */
    size_t index;    /* array index when key is NULL */
} ev_json_step;

/* Locates the value reached by path[0..n) in text[0..len) (a whole valid JSON document).
 * On success stores its 1-based line and column (in bytes) and returns true. When a
 * step is missing, returns false and stores the position of the deepest value found.
 * For duplicate keys the first occurrence is used, as cJSON does. */
bool ev_json_locate(const char *text, size_t len, const ev_json_step *path, size_t n, long *line,
                    long *col);

/* Locates every element of the array reached by path[0..n) in one walk: element i's line
 * and column go to lines[i] and cols[i] for i < max. Returns the number of elements (0
 * when the path does not reach a non-empty array). */
size_t ev_json_locate_elements(const char *text, size_t len, const ev_json_step *path, size_t n,
                               size_t max, long *lines, long *cols);

/* cJSON reports a member name that does not start with '"' one byte past it. Given the
 * error offset cJSON reported for text[0..len), returns the offset of the byte at fault
 * (off itself, or off - 1 when text[off - 1] stands where a member name was expected). */
size_t ev_json_error_offset(const char *text, size_t len, size_t off);

/* Converts a byte offset in text to a 1-based line and column. */
void ev_json_offset_position(const char *text, size_t offset, long *line, long *col);

#endif
