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

void ev_finding_copy(ev_finding *dst, const ev_finding *src)
{
    *dst = *src;
    dst->source = ev_xstrdup(src->source);
    dst->id = ev_xstrdup(src->id);
    dst->check = ev_xstrdup(src->check);
    dst->title = ev_xstrdup(src->title);
    dst->severity_label = ev_xstrdup(src->severity_label);
    dst->result_text = ev_xstrdup(src->result_text);
    dst->workflow = ev_xstrdup(src->workflow);
    dst->account = ev_xstrdup(src->account);
    dst->region = ev_xstrdup(src->region);
    dst->resource_type = ev_xstrdup(src->resource_type);
    dst->resource_id = ev_xstrdup(src->resource_id);
    dst->updated_text = ev_xstrdup(src->updated_text);
    dst->remediation = ev_xstrdup(src->remediation);
    dst->remediation_url = ev_xstrdup(src->remediation_url);
    dst->requirements = NULL;
    if (src->n_requirements) {
        dst->requirements = ev_xcalloc(src->n_requirements, sizeof(char *));
        for (size_t i = 0; i < src->n_requirements; i++)
            dst->requirements[i] = ev_xstrdup(src->requirements[i]);
    }
    dst->accepted_by = ev_xstrdup(src->accepted_by);
    dst->file = ev_xstrdup(src->file);
}
