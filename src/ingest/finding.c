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
    free(f->source);
    free(f->id);
    free(f->check);
    free(f->title);
    free(f->severity_label);
    free(f->result_text);
    free(f->workflow);
    free(f->account);
    free(f->region);
    free(f->resource_type);
    free(f->resource_id);
    free(f->updated_text);
    free(f->remediation);
    free(f->remediation_url);
    for (size_t i = 0; i < f->n_requirements; i++)
        free(f->requirements[i]);
    free(f->requirements);
    free(f->accepted_by);
    free(f->file);
    memset(f, 0, sizeof *f);
}

/* The strings of a finding, in one order for sizing and copying. */
#define EV_FINDING_STRINGS(X)                                                                      \
    X(source)                                                                                      \
    X(id)                                                                                          \
    X(check) X(title) X(severity_label) X(result_text) X(workflow) X(account) X(region)            \
        X(resource_type) X(resource_id) X(updated_text) X(remediation) X(remediation_url)          \
            X(accepted_by) X(file)

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
    EV_FINDING_STRINGS(SIZE)
#undef SIZE
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
    EV_FINDING_STRINGS(COPY)
#undef COPY
    dst->block = block;
}
