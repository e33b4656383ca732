/* status.c: the status string table and error formatting. */
#include "util/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_strings[EV_STATUS_COUNT] = {
    [EV_OK] = "no error",
    [EV_ERR_USAGE] = "usage error",
    [EV_ERR_INPUT] = "input error",
    [EV_ERR_IO] = "cannot read input",
    [EV_ERR_OUTPUT] = "cannot write output",
    [EV_ERR_VERIFY] = "verification failed",
    [EV_ERR_INTERNAL] = "internal error",
};

const char *ev_strerror(ev_status s)
{
    if ((int)s < 0 || s >= EV_STATUS_COUNT)
        return "unknown status";
    return status_strings[s];
}

ev_status ev_error_set(ev_error *err, ev_status s, const char *file, long line, long col,
                       const char *fmt, ...)
{
    if (!err)
        return s;
    err->status = s;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return s;
}

void ev_error_format(const ev_error *err, char *buf, size_t size)
{
    if (err->file[0] && err->line > 0 && err->col > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->col, err->msg);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, err->msg);
    else
        snprintf(buf, size, "%s", err->msg);
}

void ev_error_clear(ev_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}
