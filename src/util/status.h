/* status.h: errors as values. Every fallible ev_ function returns an ev_status and,
 * on failure, fills an ev_error with the file, line and column it concerns. */
#ifndef EV_STATUS_H
#define EV_STATUS_H

#include <stddef.h>

typedef enum {
    EV_OK = 0,
    EV_ERR_USAGE,    /* bad command line */
    EV_ERR_INPUT,    /* an input file is malformed or invalid */
    EV_ERR_IO,       /* an input could not be read */
    EV_ERR_OUTPUT,   /* an output could not be written */
    EV_ERR_VERIFY,   /* a pack does not match its manifest */
    EV_ERR_INTERNAL, /* a bug */
    EV_STATUS_COUNT
} ev_status;

/* Where and what went wrong. line and col are 1-based; 0 means unknown. */
typedef struct {
    ev_status status;
    char file[512];
    long line;
    long col;
    char msg[1024];
} ev_error;

/* Short description of a status ("input error"). Never NULL. */
const char *ev_strerror(ev_status s);

/* Fills err (when not NULL) and returns s. file may be NULL. */
ev_status ev_error_set(ev_error *err, ev_status s, const char *file, long line, long col,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Writes "file:line:col: msg" (parts that are unknown are left out) into buf. */
void ev_error_format(const ev_error *err, char *buf, size_t size);

/* Clears err to EV_OK. */
void ev_error_clear(ev_error *err);

#endif
