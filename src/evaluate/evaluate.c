/* evaluate.c: the evaluate stage. One pass over the store's winning records counts every
 * finding, joins it to each framework's controls, and keeps a bounded list of failing
 * findings per control; then each control gets its status and each citation its
 * freshness against the scope's Artifact editions. */
#include "evaluate/evaluate.h"

#include <cjson/cJSON.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/strmap.h"

#define EV_DEFAULT_LIST_LIMIT 50
#define EV_MAX_MATCHES 4096

static const char *const status_names[EV_CONTROL_STATUS_COUNT] = {
    [EV_STATUS_INHERITED] = "inherited",           [EV_STATUS_PASSING] = "passing",
    [EV_STATUS_PASSING_MANUAL] = "passing-manual", [EV_STATUS_FAILING] = "failing",
    [EV_STATUS_ACCEPTED_RISK] = "accepted-risk",   [EV_STATUS_NO_EVIDENCE] = "no-evidence",
    [EV_STATUS_SUPPRESSED] = "suppressed",         [EV_STATUS_NEEDS_REVIEW] = "needs-review",
};

static const char *const exception_state_names[EV_EXCEPTION_STATE_COUNT] = {
    [EV_EXCEPTION_IN_FORCE] = "in-force",
    [EV_EXCEPTION_EXPIRED] = "expired",
    [EV_EXCEPTION_NOT_YET] = "not-yet-approved",
};

const char *ev_exception_state_name(ev_exception_state s)
{
    return (unsigned)s < EV_EXCEPTION_STATE_COUNT ? exception_state_names[s] : "unknown";
}

static const char *const freshness_names[EV_FRESHNESS_COUNT] = {
    [EV_FRESH_CURRENT] = "current",
    [EV_FRESH_STALE] = "stale",
    [EV_FRESH_MISSING] = "citation missing",
};

const char *ev_control_status_name(ev_control_status s)
{
    return (unsigned)s < EV_CONTROL_STATUS_COUNT ? status_names[s] : "unknown";
}

const char *ev_freshness_name(ev_freshness f)
{
    return (unsigned)f < EV_FRESHNESS_COUNT ? freshness_names[f] : "unknown";
}

typedef struct {
    ev_pack *pack;
    ev_matcher **matchers;
    size_t *idx;
    ev_strmap *types;       /* resource type -> service index in the catalogue */
    size_t *service_counts; /* per catalogue service */
    int64_t stale_before;   /* findings updated before this are stale */
    size_t visit_no;        /* which visit is running, so an exception counts a finding once */
    size_t *counted_at;     /* per exception: the visit that last counted it */
    size_t **worst;         /* per framework and control: the listed finding that ranks last,
                               or SIZE_MAX when not known (see list_finding) */
} walk_ctx;

/* Counts one occurrence of value in a small list of distinct values. */
static void count_value(ev_value_count **list, size_t *n, const char *value)
{
    const char *v = value ? value : "";
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*list)[i].value, v) == 0) {
            (*list)[i].count++;
            return;
        }
    *list = ev_xrealloc(*list, (*n + 1) * sizeof(ev_value_count));
    (*list)[(*n)++] = (ev_value_count){ev_xstrdup(v), 1};
}

/* Passing findings are counted, not listed; a suppressed failure is listed so that a
 * reader sees what the workflow set aside. */
static bool needs_listing(const ev_finding *f)
{
    return f->result != EV_RESULT_PASSED;
}

static int cmp_listed(const void *a, const void *b);

/* Keeps the first `limit` findings in cmp_listed order, whatever order they come in: when
 * the list is full, a finding that ranks before the last listed one takes its place.
 * *worst caches the position of the last-ranked listed finding while the list does not
 * change (SIZE_MAX: to be found again), so a full list costs one comparison per finding
 * instead of a scan of the list (most findings rank after every listed one). */
static void list_finding(ev_control_result *cr, const ev_finding *f, size_t limit, size_t *worst)
{
    if (cr->n_listed < limit) {
        if (!cr->listed)
            cr->listed = ev_xcalloc(limit, sizeof *cr->listed);
        ev_finding_copy(&cr->listed[cr->n_listed++], f);
        *worst = SIZE_MAX;
        return;
    }
    cr->not_listed++;
    if (*worst == SIZE_MAX) {
        size_t w = 0;
        for (size_t i = 1; i < cr->n_listed; i++)
            if (cmp_listed(&cr->listed[i], &cr->listed[w]) > 0)
                w = i;
        *worst = w;
    }
    if (cr->n_listed && cmp_listed(f, &cr->listed[*worst]) < 0) {
        ev_finding_clear(&cr->listed[*worst]);
        ev_finding_copy(&cr->listed[*worst], f);
        *worst = SIZE_MAX;
    }
}

/* Counts an active finding under its source (reader), keeping the list sorted by name. */
static void count_source(ev_pack *p, const ev_finding *f)
{
    const char *src = f->source ? f->source : "unknown";
    size_t lo = 0, hi = p->n_by_source;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(p->by_source[mid].source, src);
        if (c == 0) {
            p->by_source[mid].active++;
            p->by_source[mid].by_result[f->result]++;
            return;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    p->by_source = ev_xrealloc(p->by_source, (p->n_by_source + 1) * sizeof *p->by_source);
    memmove(&p->by_source[lo + 1], &p->by_source[lo], (p->n_by_source - lo) * sizeof *p->by_source);
    p->n_by_source++;
    p->by_source[lo] = (ev_source_count){.source = ev_xstrdup(src), .active = 1};
    p->by_source[lo].by_result[f->result] = 1;
}

/* Whether a control reference names control c of framework fw. */
static bool ref_names(const ev_control_ref *r, const ev_framework *fw, const ev_control *c)
{
    if (r->framework && strcmp(r->framework, fw->id) != 0)
        return false;
    if (strcmp(r->control, c->id) == 0)
        return true;
    for (size_t a = 0; a < c->n_aliases; a++)
        if (strcmp(r->control, c->aliases[a]) == 0)
            return true;
    return false;
}

/* The first exception in force that covers failing finding f under control c. */
static ev_exception_result *accepting_exception(ev_pack *p, const ev_framework *fw,
                                                const ev_control *c, const ev_finding *f)
{
    for (size_t i = 0; i < p->n_exceptions; i++) {
        ev_exception_result *r = &p->exceptions[i];
        const ev_exception *e = r->exception;
        if (r->state != EV_EXCEPTION_IN_FORCE)
            continue;
        if (e->control && !ref_names(e->control, fw, c))
            continue;
        if (e->check && !(f->check && strcmp(e->check, f->check) == 0))
            continue;
        if (e->finding && !(f->id && strcmp(e->finding, f->id) == 0))
            continue;
        if (e->resource && !(f->resource_id && ev_glob_match(e->resource, f->resource_id)))
            continue;
        return r;
    }
    return NULL;
}

/* Whether a finding is inside a ticket's selection (always, without one). */
static bool in_selection(const ev_pack *p, const ev_finding *f)
{
    if (p->n_select_services) {
        size_t si;
        if (!p->types || !f->resource_type ||
            !ev_strmap_get(p->types, f->resource_type, strlen(f->resource_type), &si))
            return false;
        bool hit = false;
        for (size_t i = 0; i < p->n_select_services && !hit; i++)
            hit = strcmp(p->select_services[i], p->services->services[si].id) == 0;
        if (!hit)
            return false;
    }
    if (p->n_select_resources) {
        bool hit = false;
        for (size_t i = 0; i < p->n_select_resources && !hit && f->resource_id; i++)
            hit = ev_glob_match(p->select_resources[i], f->resource_id);
        if (!hit)
            return false;
    }
    return true;
}

/* With --control, a finding counts only if it maps to one of the selected controls. */
static bool touches_selected(const ev_pack *p, const ev_finding *f, size_t *idx)
{
    if (!p->selected)
        return true;
    for (size_t k = 0; k < p->n_frameworks; k++) {
        size_t n = ev_matcher_match(p->matchers[k], f, idx, EV_MAX_MATCHES);
        for (size_t i = 0; i < n; i++)
            if (p->selected[k][idx[i]])
                return true;
    }
    return false;
}

static ev_status visit(const ev_finding *f, void *vctx, ev_error *err)
{
    (void)err;
    walk_ctx *ctx = vctx;
    ev_pack *p = ctx->pack;
    ev_finding_counts *c = &p->findings;
    if (f->archived) {
        c->archived++;
        return EV_OK;
    }
    c->active++;
    if (!in_selection(p, f) || !touches_selected(p, f, ctx->idx)) {
        c->excluded++;
        return EV_OK;
    }
    ctx->visit_no++;
    c->by_result[f->result]++;
    if (f->suppressed)
        c->suppressed++;
    if (f->result == EV_RESULT_UNRECOGNISED) {
        c->unrecognised++;
        count_value(&p->unrecognised_values, &p->n_unrecognised_values, f->result_text);
    }
    if (f->result == EV_RESULT_FAILED && !f->suppressed)
        c->by_severity[f->severity]++;
    if (ctx->types && f->resource_type) {
        size_t si;
        if (ev_strmap_get(ctx->types, f->resource_type, strlen(f->resource_type), &si))
            ctx->service_counts[si]++;
        else
            count_value(&p->unknown_resource_types, &p->n_unknown_resource_types, f->resource_type);
    }
    bool stale = f->updated_at && f->updated_at < ctx->stale_before;
    if (stale)
        c->stale++;
    count_source(p, f);
    bool mapped = false, accepted_any = false;
    for (size_t k = 0; k < p->n_frameworks; k++) {
        ev_framework_result *fr = &p->frameworks[k];
        size_t n = ev_matcher_match(ctx->matchers[k], f, ctx->idx, EV_MAX_MATCHES);
        if (n)
            fr->mapped_findings++;
        mapped = mapped || n > 0;
        for (size_t i = 0; i < n; i++) {
            ev_control_result *cr = &fr->controls[ctx->idx[i]];
            ev_exception_result *ex = NULL;
            if (stale)
                cr->stale++;
            if (f->suppressed) {
                cr->suppressed++;
            } else if (f->result == EV_RESULT_PASSED) {
                cr->passed++;
            } else if (f->result == EV_RESULT_FAILED) {
                ex = accepting_exception(p, fr->framework, cr->control, f);
                if (ex) {
                    cr->accepted++;
                    accepted_any = true;
                    size_t xi = (size_t)(ex - p->exceptions);
                    if (ctx->counted_at[xi] != ctx->visit_no) {
                        ctx->counted_at[xi] = ctx->visit_no;
                        ex->findings++;
                    }
                } else {
                    cr->failed++;
                }
            } else {
                cr->review++;
            }
            if (needs_listing(f)) {
                /* the listed copy says which exception accepted it, for this control */
                ev_finding tagged = *f;
                tagged.accepted_by = ex ? ex->exception->id : NULL;
                tagged.stale = stale;
                list_finding(cr, &tagged, p->list_limit, &ctx->worst[k][ctx->idx[i]]);
            }
        }
    }
    if (accepted_any)
        c->accepted++;
    if (!mapped) {
        c->unmapped++;
        if (p->n_unmapped_listed < p->list_limit) {
            if (!p->unmapped)
                p->unmapped = ev_xcalloc(p->list_limit, sizeof *p->unmapped);
            ev_finding_copy(&p->unmapped[p->n_unmapped_listed], f);
            p->unmapped[p->n_unmapped_listed++].stale = stale;
        }
    }
    return EV_OK;
}

/* Failing, needs-review, accepted, then suppressed; then by severity (highest first), then
 * id. */
static int listing_rank(const ev_finding *f)
{
    if (f->suppressed)
        return 3;
    if (f->accepted_by)
        return 2;
    return f->result == EV_RESULT_FAILED ? 0 : 1;
}

static int cmp_listed(const void *a, const void *b)
{
    const ev_finding *x = a, *y = b;
    int rx = listing_rank(x), ry = listing_rank(y);
    if (rx != ry)
        return rx - ry;
    int sx = x->severity == EV_SEV_UNKNOWN ? -1 : (int)x->severity;
    int sy = y->severity == EV_SEV_UNKNOWN ? -1 : (int)y->severity;
    if (sx != sy)
        return sy - sx;
    return strcmp(x->id, y->id);
}

/* The customer part's status, strongest signal first: an unaccepted failure (finding or
 * manual evidence), something to review, an accepted risk, a pass by findings, a pass by
 * manual evidence alone, only suppressed findings, nothing. */
static ev_control_status decide(const ev_control_result *cr)
{
    if (cr->control->responsibility == EV_RESP_AWS)
        return EV_STATUS_INHERITED;
    if (cr->failed || cr->manual_failed)
        return EV_STATUS_FAILING;
    if (cr->review)
        return EV_STATUS_NEEDS_REVIEW;
    if (cr->accepted)
        return EV_STATUS_ACCEPTED_RISK;
    if (cr->passed)
        return EV_STATUS_PASSING;
    if (cr->manual_passed)
        return EV_STATUS_PASSING_MANUAL;
    if (cr->suppressed)
        return EV_STATUS_SUPPRESSED;
    return EV_STATUS_NO_EVIDENCE;
}

/* Applies manual evidence: each item to every control it names, in every framework. */
static void apply_evidence(ev_pack *p)
{
    for (size_t i = 0; i < p->n_evidence; i++) {
        ev_evidence_result *er = &p->evidence[i];
        const ev_evidence_item *it = er->item;
        for (size_t r = 0; r < it->n_controls; r++) {
            bool found = false;
            for (size_t k = 0; k < p->n_frameworks; k++) {
                ev_framework_result *fr = &p->frameworks[k];
                for (size_t c = 0; c < fr->n_controls; c++) {
                    ev_control_result *cr = &fr->controls[c];
                    if (!ref_names(&it->controls[r], fr->framework, cr->control))
                        continue;
                    found = true;
                    er->matched++;
                    cr->evidence =
                        ev_xrealloc(cr->evidence, (cr->n_evidence + 1) * sizeof *cr->evidence);
                    cr->evidence[cr->n_evidence++] = er;
                    if (er->expired)
                        cr->manual_expired++;
                    else if (it->pass)
                        cr->manual_passed++;
                    else
                        cr->manual_failed++;
                }
            }
            if (!found)
                er->unmatched++;
        }
    }
}

/* An edition's age at the as-of date (from its period end or its retrieval date, as the
 * report's rule says) against the rule's limit. */
static ev_freshness edition_freshness(const ev_pack *p, const ev_report *rep, const ev_edition *ed,
                                      long *age_days)
{
    const char *basis = ed->retrieved;
    if (strcmp(rep->freshness_basis, "period_end") == 0 && ed->period_end)
        basis = ed->period_end;
    int64_t t = 0;
    ev_date_parse(basis, &t);
    *age_days = (long)((p->as_of_time - t) / 86400);
    return *age_days > rep->freshness_days ? EV_FRESH_STALE : EV_FRESH_CURRENT;
}

static void evaluate_citations(ev_pack *p, ev_control_result *cr)
{
    const ev_control *c = cr->control;
    cr->citation_freshness = EV_FRESH_CURRENT;
    if (!c->n_citations)
        return;
    cr->citations = ev_xcalloc(c->n_citations, sizeof *cr->citations);
    cr->n_citations = c->n_citations;
    for (size_t i = 0; i < c->n_citations; i++) {
        ev_citation_result *r = &cr->citations[i];
        r->citation = &c->citations[i];
        r->report = p->artifacts ? ev_artifacts_find(p->artifacts, c->citations[i].report) : NULL;
        r->edition = p->scope ? ev_scope_edition(p->scope, c->citations[i].report) : NULL;
        if (!r->edition || !r->report) {
            r->freshness = EV_FRESH_MISSING;
            continue;
        }
        r->freshness = edition_freshness(p, r->report, r->edition, &r->age_days);
    }
    /* worst first: missing, then stale */
    for (size_t i = 0; i < cr->n_citations; i++)
        if (cr->citations[i].freshness == EV_FRESH_MISSING ||
            (cr->citations[i].freshness == EV_FRESH_STALE &&
             cr->citation_freshness == EV_FRESH_CURRENT))
            cr->citation_freshness = cr->citations[i].freshness;
}

static int cmp_value(const void *a, const void *b)
{
    return strcmp(((const ev_value_count *)a)->value, ((const ev_value_count *)b)->value);
}

static void control_result_clear(ev_control_result *cr)
{
    for (size_t j = 0; j < cr->n_listed; j++)
        ev_finding_clear(&cr->listed[j]);
    free(cr->listed);
    free(cr->citations);
    free(cr->evidence);
}

/* Whether the ticket's --control list names control c of framework fw. */
static bool control_selected(const ev_pack *p, const ev_framework *fw, const ev_control *c)
{
    for (size_t r = 0; r < p->n_select_controls; r++) {
        const char *text = p->select_controls[r], *colon = strchr(text, ':');
        char fwid[256];
        ev_control_ref ref = {NULL, (char *)text};
        if (colon && (size_t)(colon - text) < sizeof fwid) {
            memcpy(fwid, text, (size_t)(colon - text));
            fwid[colon - text] = '\0';
            ref.framework = fwid;
            ref.control = (char *)colon + 1;
        }
        if (ref_names(&ref, fw, c))
            return true;
    }
    return false;
}

/* A ticket's pack holds only the controls it is about: those named, or else those its
 * selected findings map to. */
static void keep_selected_controls(ev_pack *p)
{
    for (size_t k = 0; k < p->n_frameworks; k++) {
        ev_framework_result *fr = &p->frameworks[k];
        size_t kept = 0;
        for (size_t i = 0; i < fr->n_controls; i++) {
            ev_control_result *cr = &fr->controls[i];
            bool keep = false;
            if (p->n_select_controls) {
                keep = control_selected(p, fr->framework, cr->control);
            } else {
                keep = cr->passed || cr->failed || cr->review || cr->suppressed || cr->accepted;
            }
            if (keep)
                fr->controls[kept++] = *cr;
            else
                control_result_clear(cr);
        }
        fr->n_controls = kept;
    }
}

/* Records every manual evidence item and exception with its state at the as-of date. */
static void setup_evidence(ev_pack *p, const ev_evaluate_input *in)
{
    for (size_t i = 0; p->scope && p->artifacts && i < p->scope->n_editions; i++) {
        const ev_edition *ed = &p->scope->editions[i];
        const ev_report *rep = ev_artifacts_find(p->artifacts, ed->report);
        long age;
        if (rep && edition_freshness(p, rep, ed, &age) == EV_FRESH_STALE)
            p->stale_editions++;
    }
    size_t n = 0;
    for (size_t i = 0; i < in->n_evidence; i++)
        n += in->evidence[i]->n_items;
    p->evidence = ev_xcalloc(n + 1, sizeof *p->evidence);
    for (size_t i = 0; i < in->n_evidence; i++)
        for (size_t j = 0; j < in->evidence[i]->n_items; j++) {
            const ev_evidence_item *it = &in->evidence[i]->items[j];
            int64_t exp = 0;
            bool expired = it->expires && ev_date_parse(it->expires, &exp) && exp < p->as_of_time;
            p->evidence[p->n_evidence++] =
                (ev_evidence_result){.item = it, .file = in->evidence[i]->path, .expired = expired};
            if (expired)
                p->evidence_expired++;
        }
    n = 0;
    for (size_t i = 0; i < in->n_exceptions; i++)
        n += in->exceptions[i]->n_items;
    p->exceptions = ev_xcalloc(n + 1, sizeof *p->exceptions);
    for (size_t i = 0; i < in->n_exceptions; i++)
        for (size_t j = 0; j < in->exceptions[i]->n_items; j++) {
            const ev_exception *e = &in->exceptions[i]->items[j];
            int64_t approved = 0, expires = 0;
            ev_date_parse(e->approved, &approved);
            ev_date_parse(e->expires, &expires);
            ev_exception_state st = EV_EXCEPTION_IN_FORCE;
            if (expires < p->as_of_time)
                st = EV_EXCEPTION_EXPIRED;
            else if (approved > p->as_of_time)
                st = EV_EXCEPTION_NOT_YET;
            p->exceptions[p->n_exceptions++] =
                (ev_exception_result){.exception = e, .file = in->exceptions[i]->path, .state = st};
        }
}

/* The matrix rows: the services in scope, then any other service the findings reveal. */
static void build_service_rows(ev_pack *p, const size_t *counts)
{
    const ev_services *sv = p->services;
    const ev_scope *sc = p->scope;
    bool *taken = ev_xcalloc(sv->n_services + 1, sizeof *taken);
    p->service_rows = ev_xcalloc(sv->n_services + 1, sizeof *p->service_rows);
    if (sc && !sc->services_auto) {
        for (size_t i = 0; i < sc->n_services; i++) {
            const ev_service *v = ev_services_find(sv, sc->services[i]);
            size_t k = v ? (size_t)(v - sv->services) : 0;
            if (!v || taken[k])
                continue; /* unknown ids are refused by ev_scope_check_services */
            taken[k] = true;
            p->service_rows[p->n_service_rows++] = (ev_service_row){v, true, counts[k]};
        }
    }
    for (size_t k = 0; k < sv->n_services; k++)
        if (!taken[k] && counts[k])
            p->service_rows[p->n_service_rows++] =
                (ev_service_row){&sv->services[k], sc && sc->services_auto, counts[k]};
    free(taken);
}

ev_status ev_evaluate(ev_store *st, const ev_evaluate_input *in, ev_pack **out, ev_error *err)
{
    ev_pack *p = ev_xcalloc(1, sizeof *p);
    if (!in->as_of || !ev_date_parse(in->as_of, &p->as_of_time)) {
        free(p);
        return ev_error_set(err, EV_ERR_USAGE, NULL, 0, 0,
                            "as-of date: expected a real date as YYYY-MM-DD");
    }
    memcpy(p->as_of, in->as_of, 10);
    p->tool_version = ev_xstrdup(EV_VERSION);
    p->list_limit = in->list_limit ? in->list_limit : EV_DEFAULT_LIST_LIMIT;
    p->scope = in->scope;
    p->artifacts = in->artifacts;
    p->sources = in->sources;
    p->n_sources = in->n_sources;
    p->n_frameworks = in->n_frameworks;
    p->frameworks = ev_xcalloc(in->n_frameworks + 1, sizeof *p->frameworks);
    p->matchers = ev_xcalloc(in->n_frameworks + 1, sizeof(ev_matcher *));
    walk_ctx ctx = {p,    p->matchers, ev_xcalloc(EV_MAX_MATCHES, sizeof(size_t)),
                    NULL, NULL,        0,
                    0,    NULL,        ev_xcalloc(in->n_frameworks + 1, sizeof(size_t *))};
    long max_age = in->scope ? in->scope->max_evidence_age_days : 90;
    ctx.stale_before = p->as_of_time - (int64_t)max_age * 86400;
    setup_evidence(p, in);
    ctx.counted_at = ev_xcalloc(p->n_exceptions + 1, sizeof(size_t));
    p->profile = ev_xstrdup(in->profile ? in->profile : "audit");
    p->ticket = ev_xstrdup(in->ticket);
    p->n_select_services = in->n_select_services;
    p->n_select_resources = in->n_select_resources;
    p->n_select_controls = in->n_select_controls;
    p->select_services = ev_xcalloc(in->n_select_services + 1, sizeof(char *));
    p->select_resources = ev_xcalloc(in->n_select_resources + 1, sizeof(char *));
    p->select_controls = ev_xcalloc(in->n_select_controls + 1, sizeof(char *));
    for (size_t i = 0; i < in->n_select_services; i++)
        p->select_services[i] = ev_xstrdup(in->select_services[i]);
    for (size_t i = 0; i < in->n_select_resources; i++)
        p->select_resources[i] = ev_xstrdup(in->select_resources[i]);
    for (size_t i = 0; i < in->n_select_controls; i++)
        p->select_controls[i] = ev_xstrdup(in->select_controls[i]);
    p->services = in->services;
    p->services_auto = in->scope && in->scope->services_auto;
    if (in->services) {
        ctx.types = ev_strmap_new();
        ctx.service_counts = ev_xcalloc(in->services->n_services + 1, sizeof(size_t));
        for (size_t i = 0; i < in->services->n_services; i++)
            for (size_t j = 0; j < in->services->services[i].n_resource_types; j++)
                ev_strmap_put(ctx.types, in->services->services[i].resource_types[j], i);
    }
    for (size_t k = 0; k < in->n_frameworks; k++) {
        const ev_framework *fw = in->frameworks[k];
        ev_framework_result *fr = &p->frameworks[k];
        fr->framework = fw;
        fr->n_controls = fw->n_controls;
        fr->controls = ev_xcalloc(fw->n_controls, sizeof *fr->controls);
        for (size_t i = 0; i < fw->n_controls; i++)
            fr->controls[i].control = &fw->controls[i];
        ctx.matchers[k] = ev_matcher_new(fw);
        ctx.worst[k] = ev_xmalloc((fw->n_controls + 1) * sizeof(size_t));
        for (size_t i = 0; i <= fw->n_controls; i++)
            ctx.worst[k][i] = SIZE_MAX;
    }
    if (p->n_select_controls) {
        p->selected = ev_xcalloc(p->n_frameworks + 1, sizeof *p->selected);
        for (size_t k = 0; k < p->n_frameworks; k++) {
            const ev_framework_result *fr = &p->frameworks[k];
            p->selected[k] = ev_xcalloc(fr->n_controls + 1, sizeof(bool));
            for (size_t i = 0; i < fr->n_controls; i++)
                p->selected[k][i] = control_selected(p, fr->framework, fr->controls[i].control);
        }
    }
    p->types = ctx.types; /* kept for ev_pack_each_finding */
    p->findings.read = ev_store_records(st);
    p->findings.duplicates = ev_store_duplicates(st);
    ev_status rc = ev_store_each(st, visit, &ctx, err);
    free(ctx.idx);
    free(ctx.counted_at);
    for (size_t k = 0; k < in->n_frameworks; k++)
        free(ctx.worst[k]);
    free(ctx.worst);
    if (rc == EV_OK && in->services)
        build_service_rows(p, ctx.service_counts);
    if (p->n_unknown_resource_types > 1)
        qsort(p->unknown_resource_types, p->n_unknown_resource_types,
              sizeof *p->unknown_resource_types, cmp_value);
    free(ctx.service_counts);
    if (rc != EV_OK) {
        ev_pack_free(p);
        return rc;
    }
    apply_evidence(p);
    if (p->n_select_services || p->n_select_resources || p->n_select_controls)
        keep_selected_controls(p);
    for (size_t k = 0; k < p->n_frameworks; k++) {
        ev_framework_result *fr = &p->frameworks[k];
        for (size_t i = 0; i < fr->n_controls; i++) {
            ev_control_result *cr = &fr->controls[i];
            cr->status = decide(cr);
            evaluate_citations(p, cr);
            if (cr->n_listed > 1)
                qsort(cr->listed, cr->n_listed, sizeof *cr->listed, cmp_listed);
            ev_responsibility r = cr->control->responsibility;
            fr->by_responsibility[r]++;
            fr->by_status[cr->status]++;
            fr->matrix[r][cr->status]++;
            if (r != EV_RESP_CUSTOMER)
                fr->by_citation_freshness[cr->citation_freshness]++;
        }
    }
    *out = p;
    return EV_OK;
}

typedef struct {
    const ev_pack *pack;
    ev_finding_visit_fn fn;
    void *ctx;
    size_t *idx;
    ev_buf names;
    const char **controls;
    size_t cap;
} each_ctx;

static ev_status each_visit(const ev_finding *f, void *vctx, ev_error *err)
{
    each_ctx *e = vctx;
    if (f->archived || !in_selection(e->pack, f) || !touches_selected(e->pack, f, e->idx))
        return EV_OK; /* archived, or outside a ticket's selection */
    size_t n = 0;
    ev_buf_clear(&e->names);
    size_t offsets[EV_MAX_MATCHES];
    for (size_t k = 0; k < e->pack->n_frameworks; k++) {
        const ev_framework *fw = e->pack->frameworks[k].framework;
        size_t m = ev_matcher_match(e->pack->matchers[k], f, e->idx, EV_MAX_MATCHES);
        for (size_t i = 0; i < m && n < EV_MAX_MATCHES; i++) {
            offsets[n++] = e->names.len;
            ev_buf_printf(&e->names, "%s:%s", fw->id, fw->controls[e->idx[i]].id);
            ev_buf_putc(&e->names, '\0');
        }
    }
    if (n > e->cap) {
        e->cap = n;
        e->controls = ev_xrealloc(e->controls, n * sizeof *e->controls);
    }
    for (size_t i = 0; i < n; i++)
        e->controls[i] = e->names.data + offsets[i];
    return e->fn(f, e->controls, n, e->ctx, err);
}

ev_status ev_pack_each_finding(const ev_pack *p, ev_store *st, ev_finding_visit_fn fn, void *ctx,
                               ev_error *err)
{
    each_ctx e = {p, fn, ctx, ev_xcalloc(EV_MAX_MATCHES, sizeof(size_t)), EV_BUF_INIT, NULL, 0};
    ev_status rc = ev_store_each(st, each_visit, &e, err);
    free(e.idx);
    free(e.controls);
    ev_buf_free(&e.names);
    return rc;
}

void ev_pack_free(ev_pack *p)
{
    if (!p)
        return;
    for (size_t k = 0; p->matchers && k < p->n_frameworks; k++)
        ev_matcher_free(p->matchers[k]);
    free(p->matchers);
    ev_strmap_free(p->types);
    for (size_t k = 0; p->selected && k < p->n_frameworks; k++)
        free(p->selected[k]);
    free(p->selected);
    for (size_t k = 0; k < p->n_frameworks; k++) {
        ev_framework_result *fr = &p->frameworks[k];
        for (size_t i = 0; i < fr->n_controls; i++) {
            control_result_clear(&fr->controls[i]);
        }
        free(fr->controls);
    }
    free(p->frameworks);
    for (size_t i = 0; i < p->n_unrecognised_values; i++)
        free(p->unrecognised_values[i].value);
    free(p->unrecognised_values);
    for (size_t i = 0; i < p->n_unknown_resource_types; i++)
        free(p->unknown_resource_types[i].value);
    free(p->unknown_resource_types);
    free(p->service_rows);
    for (size_t i = 0; i < p->n_by_source; i++)
        free(p->by_source[i].source);
    free(p->by_source);
    for (size_t i = 0; i < p->n_evidence; i++)
        free(p->evidence[i].attachment);
    free(p->evidence);
    free(p->exceptions);
    cJSON_Delete(p->comparison);
    free(p->profile);
    free(p->ticket);
    ev_strv_free(p->select_services, p->n_select_services);
    ev_strv_free(p->select_resources, p->n_select_resources);
    ev_strv_free(p->select_controls, p->n_select_controls);
    for (size_t i = 0; i < p->n_unmapped_listed; i++)
        ev_finding_clear(&p->unmapped[i]);
    free(p->unmapped);
    for (size_t i = 0; i < p->n_sources; i++)
        ev_source_clear(&p->sources[i]);
    free(p->sources);
    free(p->tool_version);
    free(p);
}
