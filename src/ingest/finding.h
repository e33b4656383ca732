/* finding.h: the one normalised finding record every reader produces, and the finding
 * store that de-duplicates re-delivered findings without keeping them in memory. */
#ifndef EV_FINDING_H
#define EV_FINDING_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/status.h"

/* Compliance result of one finding, as the source reported it. */
typedef enum {
    EV_RESULT_PASSED,
    EV_RESULT_FAILED,
    EV_RESULT_WARNING,
    EV_RESULT_NOT_AVAILABLE,
    EV_RESULT_UNRECOGNISED, /* a value outside the source's enum (e.g. "INFOED") */
    EV_RESULT_NONE,         /* no compliance result at all (e.g. a GuardDuty finding) */
    EV_RESULT_COUNT
} ev_result;

typedef enum {
    EV_SEV_INFORMATIONAL,
    EV_SEV_LOW,
    EV_SEV_MEDIUM,
    EV_SEV_HIGH,
    EV_SEV_CRITICAL,
    EV_SEV_UNKNOWN,
    EV_SEV_COUNT
} ev_severity;

/* "passed", "failed", "warning", "not-available", "unrecognised", "none". */
const char *ev_result_name(ev_result r);
/* "informational" ... "critical", "unknown". */
const char *ev_severity_name(ev_severity s);
/* Parses a severity label case-insensitively; unknown text gives EV_SEV_UNKNOWN. */
ev_severity ev_severity_parse(const char *label);

/* A normalised finding. Every string is valid UTF-8 or NULL. */
typedef struct {
    char *source; /* reader: "securityhub" */
    char *id;     /* the source's unique id */
    char *check;  /* "securityhub:IAM.6" (namespace:id), or NULL */
    char *title;
    char *severity_label; /* as the source wrote it */
    ev_severity severity;
    ev_result result;
    char *result_text; /* the source's status text, kept for unrecognised values */
    char *workflow;    /* workflow status text ("NEW", "SUPPRESSED" ...) or NULL */
    bool suppressed;   /* workflow says suppressed / muted */
    bool archived;     /* record state is archived */
    char *account;
    char *region;
    char *resource_type;
    char *resource_id;
    char *updated_text; /* the source's timestamp text */
    int64_t updated_at; /* epoch seconds; 0 when unknown */
    char *remediation;  /* recommendation text */
    char *remediation_url;
    char **requirements; /* requirement references: "PCI DSS v4.0.1/8.3.1" */
    size_t n_requirements;
    char *accepted_by; /* set on listed copies: the exception that accepts this failure */
    bool stale;        /* set on listed copies: older than the scope's evidence age */
    char *file;        /* input file and position of the record */
    long line;
    long col;
    void *block; /* set by ev_finding_copy: every string above lives in this one block */
} ev_finding;

/* The string fields of a finding that come from its source (all but accepted_by, which
 * only listed copies carry), in one fixed order: for copying, freeing and store records. */
#define EV_FINDING_SOURCE_STRINGS(X)                                                               \
    X(source)                                                                                      \
    X(id)                                                                                          \
    X(check)                                                                                       \
    X(title)                                                                                       \
    X(severity_label)                                                                              \
    X(result_text) X(workflow) X(account) X(region) X(resource_type) X(resource_id)                \
        X(updated_text) X(remediation) X(remediation_url) X(file)

/* Frees every field (not f itself) and zeroes f. */
void ev_finding_clear(ev_finding *f);
/* Deep copy of src into dst (which is overwritten), in one allocation (dst->block): its
 * strings are read-only and freed together by ev_finding_clear. */
void ev_finding_copy(ev_finding *dst, const ev_finding *src);

/* The finding store: records are appended to a temporary spill file and their ids to a
 * sorted, spilled index, so memory stays flat (a 4 MiB buffer and one bit per record)
 * whatever the number of findings. */
typedef struct ev_store ev_store;

/* Creates an empty store whose spill file lives in dir (NULL: the system temp dir).
 * The caller frees it with ev_store_free, which also removes the spill file. */
ev_status ev_store_new(const char *dir, ev_store **out, ev_error *err);
void ev_store_free(ev_store *st);

/* Appends f. When a record with the same id exists, the one with the newer updated_at wins
 * (on a tie, the later one); the loser counts as a duplicate. */
ev_status ev_store_add(ev_store *st, const ev_finding *f, ev_error *err);

/* Adding in batches, for readers that normalise records on worker threads: ev_store_encode
 * (which touches no store, so any thread may call it) appends f's record to out and fills
 * key; ev_store_add_encoded then adds n records encoded back to back in recs (len bytes),
 * in order, exactly as n calls of ev_store_add would. */
typedef struct {
    uint64_t h1, h2; /* 128-bit hash of the finding id */
    int64_t updated;
} ev_store_key;
void ev_store_encode(const ev_finding *f, ev_buf *out, ev_store_key *key);
ev_status ev_store_add_encoded(ev_store *st, const char *recs, size_t len, const ev_store_key *keys,
                               size_t n, ev_error *err);

/* Merges the index to find, for each id, the delivery that wins. Called by ev_store_each
 * and ev_store_duplicates when needed; adding more afterwards is allowed (the next call
 * merges again). */
ev_status ev_store_finish(ev_store *st, ev_error *err);

/* Records added, and records superseded by another with the same id (this finishes the
 * store; 0 if finishing fails, whose error ev_store_each then returns). */
size_t ev_store_records(const ev_store *st);
size_t ev_store_duplicates(ev_store *st);

/* Calls fn for each winning record, in the order they were added (so output is stable).
 * f is valid only during the call. A non-EV_OK return from fn stops the walk and is
 * returned. */
typedef ev_status (*ev_store_fn)(const ev_finding *f, void *ctx, ev_error *err);
ev_status ev_store_each(ev_store *st, ev_store_fn fn, void *ctx, ev_error *err);

#endif
