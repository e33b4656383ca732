/* catalog.h: the catalog stage. Loads and validates frameworks, the AWS Artifact
 * catalogue and the scope file, with file:line:col messages. Formats are documented in
 * docs/formats.md. Each loader allocates; the matching _free releases everything. */
#ifndef EV_CATALOG_H
#define EV_CATALOG_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util/status.h"

#define EV_FRAMEWORK_SCHEMA "evpack/framework@1"
#define EV_ARTIFACTS_SCHEMA "evpack/artifacts@1"
#define EV_SCOPE_SCHEMA "evpack/scope@1"
#define EV_SERVICES_SCHEMA "evpack/services@1"
#define EV_EVIDENCE_SCHEMA "evpack/evidence@1"
#define EV_EXCEPTIONS_SCHEMA "evpack/exceptions@1"

typedef enum { EV_RESP_AWS, EV_RESP_CUSTOMER, EV_RESP_SHARED, EV_RESP_COUNT } ev_responsibility;

/* "aws", "customer", "shared". */
const char *ev_responsibility_name(ev_responsibility r);

/* An Artifact citation: the report id (from the Artifact catalogue) and where in it. */
typedef struct {
    char *report;
    char *section;
} ev_citation;

typedef struct {
    char *id;      /* official id: "8.3.1" */
    char *title;   /* own words */
    char *section; /* section id: "8" */
    ev_responsibility responsibility;
    char *rationale;
    /* AWS part (aws and shared controls) */
    char *aws_statement;
    ev_citation *citations;
    size_t n_citations;
    char *cuec; /* the customer's complementary duty, or NULL */
    /* customer part (customer and shared controls) */
    char *customer_statement;
    char **checks; /* "securityhub:IAM.6", "prowler:...", "config:..." */
    size_t n_checks;
    char **aliases; /* other ids findings use for this control */
    size_t n_aliases;
    char **tags; /* markers such as "appendix-a1" */
    size_t n_tags;
    long line, col;
} ev_control;

typedef struct {
    char *id;
    char *title;
} ev_section;

typedef struct {
    char *path;
    char *id;      /* "pci-dss-4.0.1" */
    char *name;    /* "PCI DSS" */
    char *version; /* "4.0.1" */
    char *title;
    char *publisher;
    char *edition;     /* version of this mapping file, e.g. "2026.11" */
    char **namespaces; /* requirement namespaces in findings: "PCI DSS v4.0.1" */
    size_t n_namespaces;
    ev_section *sections;
    size_t n_sections;
    ev_control *controls;
    size_t n_controls;
} ev_framework;

typedef struct {
    char *id;
    char *title;
    char *attests;
    char *issuer;
    char *cadence;
    char *freshness_basis; /* "period_end" or "retrieved" */
    long freshness_days;   /* stale when the basis date is older than this */
} ev_report;

typedef struct {
    char *path;
    char *name; /* how messages name the file: its path, or what the caller set */
    ev_report *reports;
    size_t n_reports;
} ev_artifacts;

/* An Artifact report edition the user holds. */
typedef struct {
    char *report;
    char *period_start; /* YYYY-MM-DD or NULL */
    char *period_end;
    char *retrieved;
    char *sha256;
    char *file;
    long line, col;
} ev_edition;

/* Who owns one responsibility domain for one service. */
typedef enum {
    EV_OWNER_AWS,
    EV_OWNER_CUSTOMER,
    EV_OWNER_SHARED,
    EV_OWNER_NOT_APPLICABLE,
    EV_OWNER_COUNT
} ev_owner;

/* "aws", "customer", "shared", "not-applicable". */
const char *ev_owner_name(ev_owner o);

typedef struct {
    char *id;    /* "guest_os" */
    char *title; /* "Guest OS patching" */
} ev_domain;

typedef struct {
    char *id;    /* "ec2" */
    char *name;  /* "Amazon EC2" */
    char *model; /* "infrastructure", "container" or "abstracted" */
    char *note;
    char **resource_types; /* ASFF Resources[].Type values that reveal the service */
    size_t n_resource_types;
    ev_owner *owners; /* one per domain, in the catalogue's domain order */
} ev_service;

/* The service catalogue (schema evpack/services@1, docs/services.md): how the shared
 * responsibility line moves from service to service. */
typedef struct {
    char *path;
    char *edition;
    ev_domain *domains;
    size_t n_domains;
    ev_service *services;
    size_t n_services;
} ev_services;

ev_status ev_services_load(const char *path, ev_services **out, ev_error *err);
void ev_services_free(ev_services *s);
const ev_service *ev_services_find(const ev_services *s, const char *id);
/* The service an ASFF resource type reveals, or NULL. */
const ev_service *ev_services_by_resource_type(const ev_services *s, const char *type);

/* Branding for consultant deliverables (scope "branding"). */
typedef struct {
    char *client;      /* the client the pack is for (defaults to the organisation) */
    char *consultancy; /* who prepared it */
    char *author;
    char *accent_colour; /* "#RRGGBB" */
    char *logo;          /* PNG, relative to the scope file, as written */
    char *logo_path;     /* resolved against the scope file's folder */
    char logo_sha256[65];
    char *preamble;      /* Markdown, inline or read from "preamble_file" */
    char *preamble_path; /* the preamble file resolved against the scope's folder, or NULL */
} ev_branding;

typedef struct {
    char *path;
    char *organisation;
    char *title;
    char *classification;
    char *period_start;
    char *period_end;
    char **accounts;
    size_t n_accounts;
    char **regions;
    size_t n_regions;
    char **services;
    size_t n_services;
    bool services_auto; /* "services": "auto": take them from the findings' resource types */
    long services_line, services_col; /* where "services" is, for messages */
    char **frameworks;
    size_t n_frameworks;
    long max_evidence_age_days;
    ev_edition *editions;
    size_t n_editions;
    ev_branding *branding; /* NULL when the scope has none */
} ev_scope;

/* Loads a framework file. Structural errors (missing fields, wrong types, unknown
 * responsibility, duplicate ids, an aws/shared control with no citation) are errors.
 * Citations of unknown reports are checked by ev_framework_check_citations. */
ev_status ev_framework_load(const char *path, ev_framework **out, ev_error *err);
void ev_framework_free(ev_framework *fw);
/* Returns the control whose id or alias equals id, or NULL. */
const ev_control *ev_framework_find(const ev_framework *fw, const char *id);
/* Index of a control in fw->controls, or -1. */
long ev_framework_index(const ev_framework *fw, const char *id);

ev_status ev_artifacts_load(const char *path, ev_artifacts **out, ev_error *err);
void ev_artifacts_free(ev_artifacts *a);
const ev_report *ev_artifacts_find(const ev_artifacts *a, const char *id);

/* Checks that every citation in fw names a report in a. */
ev_status ev_framework_check_citations(const ev_framework *fw, const ev_artifacts *a,
                                       ev_error *err);

ev_status ev_scope_load(const char *path, ev_scope **out, ev_error *err);
void ev_scope_free(ev_scope *s);
/* Checks every edition names a known report. */
ev_status ev_scope_check(const ev_scope *s, const ev_artifacts *a, ev_error *err);
/* Checks every service the scope names is in the service catalogue. */
ev_status ev_scope_check_services(const ev_scope *s, const ev_services *sv, ev_error *err);
/* The edition of report the scope holds, or NULL. */
const ev_edition *ev_scope_edition(const ev_scope *s, const char *report);

/* A control reference in evidence and exceptions: "CONTROL" (any framework that has that
 * id or alias) or "FRAMEWORK-ID:CONTROL". */
typedef struct {
    char *framework; /* NULL: any framework */
    char *control;
} ev_control_ref;

/* One item of manual evidence: what no scanner produces (policies, training records,
 * access reviews, DR tests). */
typedef struct {
    char *id;
    ev_control_ref *controls;
    size_t n_controls;
    bool pass;         /* "status": "pass" or "fail" */
    char *description; /* Markdown */
    char *collected_by;
    char *collected; /* YYYY-MM-DD */
    char *expires;   /* YYYY-MM-DD or NULL */
    char *file;      /* attached file, relative to the evidence file's folder, or NULL */
    char *file_path; /* file resolved against the evidence file's folder, or NULL */
    char sha256[65]; /* of the attached file, "" when there is none */
    unsigned long long file_size;
    long line, col;
} ev_evidence_item;

typedef struct {
    char *path;
    ev_evidence_item *items;
    size_t n_items;
} ev_evidence;

/* Loads a manual evidence file (schema evpack/evidence@1, docs/evidence.md) and hashes
 * every attached file (a missing attachment is an error at its "file" member). */
ev_status ev_evidence_load(const char *path, ev_evidence **out, ev_error *err);
void ev_evidence_free(ev_evidence *e);

/* One risk acceptance. Every "covers" member given must match (they combine with AND). */
typedef struct {
    char *id;
    ev_control_ref *control; /* NULL: any control */
    char *check;             /* "securityhub:IAM.6", or NULL */
    char *finding;           /* a finding id, or NULL */
    char *resource;          /* a resource id pattern with * and ?, or NULL */
    char *justification;
    char *owner;
    char *approver;
    char *approved; /* YYYY-MM-DD */
    char *expires;  /* YYYY-MM-DD */
    long line, col;
} ev_exception;

typedef struct {
    char *path;
    ev_exception *items;
    size_t n_items;
} ev_exceptions;

/* Loads an exceptions file (schema evpack/exceptions@1, docs/evidence.md). */
ev_status ev_exceptions_load(const char *path, ev_exceptions **out, ev_error *err);
void ev_exceptions_free(ev_exceptions *x);

/* True when text matches a glob pattern where * is any run and ? any one byte. */
bool ev_glob_match(const char *pattern, const char *text);

/* What an import did. */
typedef struct {
    size_t requirements; /* requirements read */
    size_t controls;     /* controls written (requirements with the same id are merged) */
    size_t merged;       /* requirements merged into an earlier one with the same id */
    size_t checks;       /* AWS checks mapped */
} ev_import_stats;

/* Converts a Prowler compliance file (legacy schema: "Framework", "Requirements"[] with
 * "Checks"[]; universal schema: "framework", "requirements"[] with "checks" per provider)
 * into an evpack framework document (schema evpack/framework@1). Every control is
 * "customer", tagged "needs-review", with Prowler's description as the customer
 * statement and its AWS checks as "prowler:" checks. The caller frees *out with
 * cJSON_Delete. */
ev_status ev_import_prowler(const char *path, cJSON **out, ev_import_stats *stats, ev_error *err);

/* Where bundled data lives: EVPACK_DATADIR, else next to the binary (build tree), else
 * <prefix>/share/evpack relative to the binary. Returns a malloc'd path of the data
 * folder (holding frameworks/ and templates/), or NULL. argv0_path is /proc/self/exe's
 * target or argv[0]. */
char *ev_datadir_find(const char *exe_path);

/* Resolves a framework argument: an existing file path, or a bundled id looked up in
 * datadir/frameworks/<id>.json. Returns a malloc'd path or NULL. */
char *ev_framework_resolve(const char *datadir, const char *arg);

#endif
