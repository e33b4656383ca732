/* model.h: the pack model, the single source of truth every renderer reads. It is built
 * by ev_evaluate and freed with ev_pack_free, which frees everything it holds.
 * Renderers never recompute numbers; every count they print is a field here. */
#ifndef EV_MODEL_H
#define EV_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog/catalog.h"
#include "ingest/finding.h"
#include "ingest/ingest.h"

#define EV_PACK_SCHEMA "evpack/pack@1"

typedef enum {
    EV_STATUS_INHERITED,
    EV_STATUS_PASSING,
    EV_STATUS_PASSING_MANUAL, /* only manual evidence, and it passes */
    EV_STATUS_FAILING,
    EV_STATUS_ACCEPTED_RISK, /* its failures are all covered by exceptions in force */
    EV_STATUS_NO_EVIDENCE,
    EV_STATUS_SUPPRESSED,
    EV_STATUS_NEEDS_REVIEW,
    EV_CONTROL_STATUS_COUNT
} ev_control_status;

/* "inherited", "passing", "passing-manual", "failing", "accepted-risk", "no-evidence",
 * "suppressed", "needs-review". */
const char *ev_control_status_name(ev_control_status s);

typedef enum {
    EV_FRESH_CURRENT, /* the edition held is within its freshness rule */
    EV_FRESH_STALE,   /* the edition held is past its freshness rule */
    EV_FRESH_MISSING, /* the scope names no edition of the report: "citation missing" */
    EV_FRESHNESS_COUNT
} ev_freshness;

/* "current", "stale", "citation missing". */
const char *ev_freshness_name(ev_freshness f);

/* A citation as evaluated against the scope. Strings point into the catalog/scope,
 * which the pack keeps alive. */
typedef struct {
    const ev_citation *citation;
    const ev_report *report;   /* never NULL after validation */
    const ev_edition *edition; /* NULL when the scope holds no edition */
    ev_freshness freshness;
    long age_days; /* age of the basis date at as-of, when an edition is held */
} ev_citation_result;

/* Whether an exception applies at the as-of date. */
typedef enum {
    EV_EXCEPTION_IN_FORCE,
    EV_EXCEPTION_EXPIRED, /* expired before the as-of date: no longer applies */
    EV_EXCEPTION_NOT_YET, /* approved after the as-of date: does not apply yet */
    EV_EXCEPTION_STATE_COUNT
} ev_exception_state;

/* "in-force", "expired", "not-yet-approved". */
const char *ev_exception_state_name(ev_exception_state s);

typedef struct {
    const ev_exception *exception;
    const char *file; /* the exceptions file it came from */
    ev_exception_state state;
    size_t findings; /* failing findings it accepted (counted once per finding) */
} ev_exception_result;

/* One manual evidence item as evaluated. */
typedef struct {
    const ev_evidence_item *item;
    const char *file; /* the evidence file it came from */
    bool expired;     /* past its expiry at the as-of date: stale, not counted */
    size_t matched;   /* controls it applies to, over all frameworks */
    size_t unmatched; /* control references that name no control of any framework */
    char *attachment; /* name inside the pack ("evidence/<hash>.pdf") with --attach */
} ev_evidence_result;

/* One control, evaluated. */
typedef struct {
    const ev_control *control;
    ev_control_status status;
    size_t passed, failed, suppressed, review; /* matched active findings by outcome */
    size_t accepted; /* failing findings covered by an exception in force */
    size_t stale;    /* matched active findings older than max_evidence_age_days */
    size_t manual_passed, manual_failed, manual_expired; /* manual evidence items */
    const ev_evidence_result **evidence; /* manual evidence that applies, in file order */
    size_t n_evidence;
    ev_citation_result *citations;
    size_t n_citations;
    ev_freshness citation_freshness; /* the worst of its citations (aws and shared controls) */
    ev_finding *listed; /* failing, needs-review, then suppressed findings, at most the limit */
    size_t n_listed;
    size_t not_listed; /* how many more there are */
} ev_control_result;

typedef struct {
    const ev_framework *framework;
    ev_control_result *controls; /* in framework order */
    size_t n_controls;
    size_t by_responsibility[EV_RESP_COUNT];
    size_t by_status[EV_CONTROL_STATUS_COUNT];
    size_t matrix[EV_RESP_COUNT][EV_CONTROL_STATUS_COUNT];
    size_t by_citation_freshness[EV_FRESHNESS_COUNT]; /* aws and shared controls */
    size_t mapped_findings; /* active findings mapped to at least one control here */
} ev_framework_result;

typedef struct {
    size_t read;         /* every record in the inputs */
    size_t duplicates;   /* superseded by a newer record with the same id */
    size_t archived;     /* surviving records that are archived */
    size_t active;       /* read = duplicates + archived + active */
    size_t suppressed;   /* among active */
    size_t unrecognised; /* among active: status outside the enum */
    size_t unmapped;     /* among active: map to no control of any framework */
    size_t excluded;     /* among active: outside a ticket's selection, not counted further */
    size_t stale;        /* among active: older than the scope's max_evidence_age_days */
    size_t accepted;     /* among active failing: accepted by an exception in force */
    size_t by_result[EV_RESULT_COUNT];
    size_t by_severity[EV_SEV_COUNT]; /* active failing findings by severity */
} ev_finding_counts;

/* An unrecognised status value and how often it was seen. */
typedef struct {
    char *value;
    size_t count;
} ev_value_count;

/* Active findings of one source (reader) by result. */
typedef struct {
    char *source; /* "securityhub", "prowler", "config" ... */
    size_t active;
    size_t by_result[EV_RESULT_COUNT];
} ev_source_count;

/* One service of the responsibility matrix. */
typedef struct {
    const ev_service *service;
    bool in_scope;   /* named by the scope, or (with "services": "auto") seen in findings */
    size_t findings; /* active findings whose resource type reveals the service */
} ev_service_row;

/* Options recorded in the pack and the manifest. */
typedef struct {
    const char *as_of;   /* "YYYY-MM-DD" */
    size_t list_limit;   /* findings listed per control and unmapped findings listed */
    const char *formats; /* "md,json" */
} ev_pack_options;

struct ev_matcher;
struct cJSON;

typedef struct {
    char as_of[11];
    int64_t as_of_time;
    char *tool_version;
    size_t list_limit;
    const ev_scope *scope;
    const ev_artifacts *artifacts;
    ev_framework_result *frameworks;
    size_t n_frameworks;
    ev_finding_counts findings;
    ev_value_count *unrecognised_values;
    size_t n_unrecognised_values;
    ev_finding *unmapped; /* first list_limit unmapped findings */
    size_t n_unmapped_listed;
    ev_source *sources; /* finding inputs */
    size_t n_sources;
    ev_source_count *by_source; /* sorted by source name */
    size_t n_by_source;
    ev_evidence_result *evidence; /* every manual evidence item, in input order */
    size_t n_evidence;
    size_t evidence_expired;
    size_t stale_editions;           /* Artifact editions in the scope past their freshness rule */
    ev_exception_result *exceptions; /* every exception, in input order */
    size_t n_exceptions;
    struct ev_matcher **matchers; /* one per framework, for ev_pack_each_finding */
    struct ev_strmap *types;      /* resource type -> service, for the ticket selection */
    bool **selected;              /* with --control: per framework and control */
    const ev_services *services;  /* the service catalogue, or NULL */
    bool services_auto;
    ev_service_row *service_rows; /* in scope first (scope order, or catalogue order with
                                   * "auto"), then services seen in findings but not in scope */
    size_t n_service_rows;
    ev_value_count *unknown_resource_types; /* resource types the catalogue does not know */
    size_t n_unknown_resource_types;
    struct cJSON *comparison; /* with --previous: ev_diff_packs' result, owned by the pack */
    char *profile;            /* "audit", "quarterly", "consultant" or "ticket" */
    char *ticket;             /* change ticket id, or NULL */
    char **select_services, **select_resources, **select_controls; /* the ticket's selection */
    size_t n_select_services, n_select_resources, n_select_controls;
    char inputs_digest[65]; /* SHA-256 over the manifest's input list (role, path, SHA-256
                             * per line), set by the caller before rendering; "" if unset */
} ev_pack;

#endif
