/* finding.c: names of results and severities, and the finding record's copy and free. */
#include "ingest/finding.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

static const char *const result_names[EV_RESULT_COUNT] = {
    [EV_RESULT_PASSED] = "passed",
    [EV_RESULT_FAILED] = "failed",
    [EV_RESULT_WARNING] = "warning",
    [EV_RESULT_NOT_AVAILABLE] = "not-available",
    [EV_RESULT_UNRECOGNISED] = "unrecognised",
    [EV_RESULT_NONE] = "none",
};

static const char *const severity_names[EV_SEV_COUNT] = {
    [EV_SEV_INFORMATIONAL] = "informational",
    [EV_SEV_LOW] = "low",
    [EV_SEV_MEDIUM] = "medium",
    [EV_SEV_HIGH] = "high",
    [EV_SEV_CRITICAL] = "critical",
    [EV_SEV_UNKNOWN] = "unknown",
};

const char *ev_result_name(ev_result r)
{
    return (unsigned)r < EV_RESULT_COUNT ? result_names[r] : "unknown";
}

const char *ev_severity_name(ev_severity s)
{
    return (unsigned)s < EV_SEV_COUNT ? severity_names[s] : "unknown";
}

ev_severity ev_severity_parse(const char *label)
{
    if (!label)
        return EV_SEV_UNKNOWN;
    for (int i = 0; i < EV_SEV_UNKNOWN; i++)
        if (strcasecmp(label, severity_names[i]) == 0)
            return (ev_severity)i;
    return EV_SEV_UNKNOWN;
}

void ev_finding_clear(ev_finding *f)
{
    if (f->block) {
        /* a copy: every string and the requirement list live in the one block */
        free(f->block);
        memset(f, 0, sizeof *f);
        return;
    }
#define FREE(name) free(f->name);
    EV_FINDING_SOURCE_STRINGS(FREE)
#undef FREE
    free(f->accepted_by);
    for (size_t i = 0; i < f->n_requirements; i++)
        free(f->requirements[i]);
    free(f->requirements);
    memset(f, 0, sizeof *f);
}

static size_t str_size(const char *s)
{
    return s ? strlen(s) + 1 : 0;
}

/* Copies s to *at and advances it; NULL stays NULL. */
static char *put(char **at, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = *at;
    memcpy(d, s, n);
    *at += n;
    return d;
}

void ev_finding_copy(ev_finding *dst, const ev_finding *src)
{
    /* one allocation per copy: the evaluate stage keeps thousands of listed copies */
    size_t total = src->n_requirements * sizeof(char *);
#define SIZE(name) total += str_size(src->name);
    EV_FINDING_SOURCE_STRINGS(SIZE)
#undef SIZE
    total += str_size(src->accepted_by);
    for (size_t i = 0; i < src->n_requirements; i++)
        total += str_size(src->requirements[i]);
    *dst = *src;
    dst->block = NULL;
    dst->requirements = NULL;
    if (!total)
        return;
    char *block = ev_xmalloc(total);
    char *at = block + src->n_requirements * sizeof(char *);
    if (src->n_requirements) {
        dst->requirements = (char **)(void *)block;
        for (size_t i = 0; i < src->n_requirements; i++)
            dst->requirements[i] = put(&at, src->requirements[i], str_size(src->requirements[i]));
    }
#define COPY(name) dst->name = put(&at, src->name, str_size(src->name));
    EV_FINDING_SOURCE_STRINGS(COPY)
#undef COPY
    dst->accepted_by = put(&at, src->accepted_by, str_size(src->accepted_by));
    dst->block = block;
}
