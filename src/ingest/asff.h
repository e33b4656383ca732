/* asff.h: the two front ends of the Security Hub (ASFF) reader. ev_asff_read (ingest.h)
 * walks a cJSON tree; ev_asff_scan reads the same members straight from a finding's JSON
 * text without building a tree (the common, plain case at scale). Both fill an
 * ev_asff_fields, and ev_asff_map turns that into the normalised finding, so the two
 * paths share every rule and cannot drift apart. Internal to the ingest stage. */
#ifndef EV_ASFF_H
#define EV_ASFF_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/finding.h"
#include "util/buf.h"

/* How a member was found: the first member of that name, as cJSON's lookup sees it. */
typedef enum {
    EV_ASFF_ABSENT,
    EV_ASFF_NULL,
    EV_ASFF_STRING,
    EV_ASFF_OTHER /* a number, boolean, object or array */
} ev_asff_kind;

typedef struct {
    ev_asff_kind kind;
    const char *s; /* EV_ASFF_STRING: the unescaped text (borrowed) */
} ev_asff_value;

/* The string members the reader looks at. */
typedef enum {
    EV_ASFF_ID,                 /* Id */
    EV_ASFF_TITLE,              /* Title */
    EV_ASFF_ACCOUNT,            /* AwsAccountId */
    EV_ASFF_REGION,             /* Region */
    EV_ASFF_UPDATED,            /* UpdatedAt */
    EV_ASFF_RECORD_STATE,       /* RecordState */
    EV_ASFF_SEVERITY_LABEL,     /* Severity.Label */
    EV_ASFF_FPF_SEVERITY_LABEL, /* FindingProviderFields.Severity.Label */
    EV_ASFF_WORKFLOW_STATUS,    /* Workflow.Status */
    EV_ASFF_WORKFLOW_STATE,     /* WorkflowState */
    EV_ASFF_REC_TEXT,           /* Remediation.Recommendation.Text */
    EV_ASFF_REC_URL,            /* Remediation.Recommendation.Url */
    EV_ASFF_RES_TYPE,           /* Resources[0].Type */
    EV_ASFF_RES_ID,             /* Resources[0].Id */
    EV_ASFF_RES_REGION,         /* Resources[0].Region */
    EV_ASFF_COMP_STATUS,        /* Compliance.Status */
    EV_ASFF_COMP_CONTROL,       /* Compliance.SecurityControlId */
    EV_ASFF_GENERATOR,          /* GeneratorId */
    EV_ASFF_PF_CONTROL,         /* ProductFields.ControlId */
    EV_ASFF_PF_RULE,            /* ProductFields.RuleId */
    EV_ASFF_FIELD_COUNT
} ev_asff_field;

/* The members the reader looks at, as a tree of rules (asff.c): the scan walks it over the
 * text, ev_asff_read over a cJSON tree, so both read the same members. */
typedef enum {
    EV_ASFF_STR,       /* a string member: target is its ev_asff_field */
    EV_ASFF_OBJ,       /* an object whose members have rules: target is its EV_ASFF_HAS_* (or 0) */
    EV_ASFF_FIRST_OBJ, /* an array whose first element, when an object, has rules (Resources) */
    EV_ASFF_REQS       /* Compliance.RelatedRequirements: an array of strings */
} ev_asff_rule_type;

typedef struct ev_asff_rule {
    const char *key;
    unsigned char len; /* strlen(key) */
    unsigned char type;
    unsigned short target;
    const struct ev_asff_rule *members;
    unsigned char n_members;
} ev_asff_rule;

/* The finding object: an EV_ASFF_OBJ whose members are the top-level rules. Only the first
 * member of a name counts, as with cJSON's lookup. */
extern const ev_asff_rule ev_asff_finding;

/* Which containers are objects (the first member of that name; Resources: an array whose
 * first element is an object). */
enum {
    EV_ASFF_HAS_SEVERITY = 1 << 0,       /* Severity */
    EV_ASFF_HAS_FPF_SEVERITY = 1 << 1,   /* FindingProviderFields.Severity */
    EV_ASFF_HAS_WORKFLOW = 1 << 2,       /* Workflow */
    EV_ASFF_HAS_RECOMMENDATION = 1 << 3, /* Remediation.Recommendation */
    EV_ASFF_HAS_RESOURCE = 1 << 4,       /* Resources[0] */
    EV_ASFF_HAS_COMPLIANCE = 1 << 5,     /* Compliance */
    EV_ASFF_HAS_PRODUCT_FIELDS = 1 << 6  /* ProductFields */
};

/* Compliance.RelatedRequirements. */
typedef enum {
    EV_ASFF_RELATED_NONE, /* absent or null */
    EV_ASFF_RELATED_OK,   /* an array of strings */
    EV_ASFF_RELATED_BAD   /* anything else */
} ev_asff_related;

typedef struct {
    ev_asff_value v[EV_ASFF_FIELD_COUNT];
    unsigned has; /* EV_ASFF_HAS_* */
    ev_asff_related related;
    const char **reqs; /* EV_ASFF_RELATED_OK: the requirement strings (borrowed) */
    size_t n_reqs;
} ev_asff_fields;

/* What ev_asff_map rejected: a string member of another type (an ev_asff_field), or: */
enum {
    EV_ASFF_BAD_TIMESTAMP = EV_ASFF_FIELD_COUNT, /* UpdatedAt is not an ISO 8601 timestamp */
    EV_ASFF_BAD_RELATED                          /* RelatedRequirements */
};

/* Maps the members onto a finding. On success *view holds the finding with every string
 * borrowed from in, file, static text or scratch (which holds the check id): it is valid
 * while those are and must not be cleared. On failure (EV_ERR_INPUT, no message set) *bad
 * says what was wrong: an ev_asff_field or EV_ASFF_BAD_*; the Id rule (a non-empty string)
 * is reported as EV_ASFF_ID. line and col are the element's position. */
ev_status ev_asff_map(const ev_asff_fields *in, const char *file, long line, long col,
                      ev_finding *view, ev_buf *scratch, int *bad);

/* Reusable memory for ev_asff_scan (one per thread); zero-initialise, free with
 * ev_asff_scanner_free. */
typedef struct {
    ev_buf text;       /* unescaped strings */
    const char **reqs; /* requirement pointers */
    size_t reqs_cap;
} ev_asff_scanner;

void ev_asff_scanner_free(ev_asff_scanner *sc);

/* Reads the members of one finding object from text[0..len) (valid UTF-8, checked by the
 * caller) into *out, whose strings live in sc until the next scan. Returns false, having
 * decided nothing, for anything but plain RFC 8259 JSON that cJSON would read identically
 * (the same rules as the ingest stage's fast parser: \u escapes only when they decode to
 * valid UTF-8 other than NUL, no raw control characters, no escapes in member names, numbers of at
 * most 63 characters, at most 512 levels, an object at the top): the caller then parses with cJSON
 * and ev_asff_read, which gives the same finding or the precise error. */
bool ev_asff_scan(const char *text, size_t len, ev_asff_scanner *sc, ev_asff_fields *out);

#endif
