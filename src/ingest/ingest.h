/* ingest.h: the ingest stage. Reads finding files (or stdin) of every supported format
 * into a finding store, streaming, and counts what it read. */
#ifndef EV_INGEST_H
#define EV_INGEST_H

#include <cjson/cJSON.h>

#include "ingest/csv.h"
#include "ingest/finding.h"
#include "ingest/json_stream.h"

/* The findings formats. EV_FORMAT_AUTO sniffs the format from the content. */
typedef enum {
    EV_FORMAT_AUTO,
    EV_FORMAT_ASFF,                   /* "asff": Security Hub findings */
    EV_FORMAT_PROWLER_OCSF,           /* "prowler-ocsf": Prowler's JSON-OCSF */
    EV_FORMAT_PROWLER_CSV,            /* "prowler-csv": Prowler's finding CSV */
    EV_FORMAT_PROWLER_COMPLIANCE_CSV, /* "prowler-compliance-csv": per-framework CSV */
    EV_FORMAT_CONFIG,                 /* "config": AWS Config evaluation results */
    EV_FORMAT_OCSF,                   /* "ocsf": OCSF compliance findings */
    EV_FORMAT_COUNT,
    EV_FORMAT_INVALID = -1 /* what ev_input_format_parse returns for an unknown name */
} ev_input_format;

/* The accepted names, for usage and error messages. */
#define EV_INPUT_FORMAT_NAMES                                                                      \
    "auto, asff, prowler-ocsf, prowler-csv, prowler-compliance-csv, config, ocsf"

/* Parses a format name (exact, lower case, as in EV_INPUT_FORMAT_NAMES); an unknown name
 * (or NULL) gives EV_FORMAT_INVALID. */
ev_input_format ev_input_format_parse(const char *name);
/* The name of a format ("auto", "asff" ...); "invalid" for anything else. Static. */
const char *ev_input_format_name(ev_input_format f);

/* One input file and what was read from it. */
typedef struct {
    char *path;     /* as given ("-" for stdin) */
    char *format;   /* the format read: "asff", "prowler-ocsf", "prowler-csv",
                       "prowler-compliance-csv", "config" or "ocsf" */
    size_t records; /* records read */
    unsigned long long bytes;
    char sha256[65]; /* hex digest of the bytes read */
} ev_source;

/* Called now and then with bytes read so far in the current file (progress display). */
typedef void (*ev_progress_fn)(const char *path, unsigned long long bytes, size_t records,
                               void *ctx);

/* Reads path ("-" is stdin) into st, in the given format (EV_FORMAT_AUTO: sniffed from
 * the content, see docs/input-formats.md). Fills src (the caller frees it with
 * ev_source_clear; on failure it is left empty). Errors carry file:line:col. */
ev_status ev_ingest_file_as(const char *path, ev_input_format format, ev_store *st, ev_source *src,
                            ev_progress_fn progress, void *progress_ctx, ev_error *err);

/* ev_ingest_file_as with EV_FORMAT_AUTO. */
ev_status ev_ingest_file(const char *path, ev_store *st, ev_source *src, ev_progress_fn progress,
                         void *progress_ctx, ev_error *err);

void ev_source_clear(ev_source *src);

/* Normalises one ASFF finding object (parsed from element el of file) into f, which the
 * caller clears with ev_finding_clear. Errors (no string "Id", a field of the wrong type,
 * an impossible timestamp, invalid UTF-8 after unescaping) are EV_ERR_INPUT at the
 * offending field's line and column. */
ev_status ev_asff_read(const cJSON *obj, const ev_json_element *el, const char *file, ev_finding *f,
                       ev_error *err);

/* The JSON readers below have the same contract as ev_asff_read: one element in, one
 * normalised finding out (the caller clears it), errors at the offending field. */

/* A Prowler JSON-OCSF Detection Finding (Prowler 4.x and 5.x shapes). */
ev_status ev_prowler_ocsf_read(const cJSON *obj, const ev_json_element *el, const char *file,
                               ev_finding *f, ev_error *err);

/* An OCSF finding with a compliance object: Compliance Finding (class 2003), Security
 * Hub's OCSF findings, Prowler's OCSF compliance output. */
ev_status ev_ocsf_read(const cJSON *obj, const ev_json_element *el, const char *file, ev_finding *f,
                       ev_error *err);

/* One AWS Config evaluation result (an element of EvaluationResults or
 * AggregateEvaluationResults) or one rule's compliance (ComplianceByConfigRules). */
ev_status ev_config_read(const cJSON *obj, const ev_json_element *el, const char *file,
                         ev_finding *f, ev_error *err);

/* Prowler's CSV outputs. ev_prowler_csv_open reads the header record (columns are found
 * by name, in any order) and fails, naming the column, when a required one is missing, or
 * when the header is not ';'-separated. The caller frees the result with
 * ev_prowler_csv_free. compliance selects the per-framework compliance CSV
 * (REQUIREMENTS_ID, STATUS, CHECKID ...) instead of the finding CSV (FINDING_UID,
 * CHECK_ID, STATUS ...). */
typedef struct ev_prowler_csv ev_prowler_csv;
ev_status ev_prowler_csv_open(const ev_csv_record *header, bool compliance, const char *file,
                              ev_prowler_csv **out, ev_error *err);
/* Normalises one data record into f (which the caller clears). Errors are at the
 * offending field. */
ev_status ev_prowler_csv_read(const ev_prowler_csv *pc, const ev_csv_record *rec, const char *file,
                              ev_finding *f, ev_error *err);
void ev_prowler_csv_free(ev_prowler_csv *pc);

/* ---- Helpers shared by the readers (implemented in ingest.c) ----
 * A path names a value inside a JSON element: member names joined by '.', with [N] for
 * an array index ("finding_info.uid", "resources[0].type"). */

/* Fails with EV_ERR_INPUT at the value that path reaches inside el (the deepest one that
 * exists when it does not; path NULL: the element's start). The message is printf-style. */
ev_status ev_reader_fail(const ev_json_element *el, const char *file, const char *path,
                         ev_error *err, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* As ev_reader_fail, at the member named key (taken literally: it may hold '.') of the
 * object at path. */
ev_status ev_reader_fail_key(const ev_json_element *el, const char *file, const char *path,
                             const char *key, ev_error *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The value at path inside obj, or NULL when a step is missing or is not of the kind the
 * next step needs (an object for a name, an array for [N]). */
const cJSON *ev_json_at(const cJSON *obj, const char *path);

/* Copies the string at path into *out; absent or null gives NULL. Any other type is an
 * error at the value ("expected a string in \"path\""). */
ev_status ev_reader_str(const cJSON *obj, const char *path, const ev_json_element *el,
                        const char *file, char **out, ev_error *err);

/* Reads a timestamp at path: an ISO 8601 string, or a number of seconds since the epoch
 * (a number above 100,000,000,000 is taken as milliseconds, OCSF's unit). Sets
 * f->updated_at and f->updated_text (the string, or the instant written as ISO 8601) and
 * *found. Absent or null: nothing is set. Another type, an impossible date or a negative
 * number is an error at the value. */
ev_status ev_reader_time(const cJSON *obj, const char *path, const ev_json_element *el,
                         const char *file, ev_finding *f, bool *found, ev_error *err);

/* Parses epoch seconds written in text ("1739539623", "1450314645.261") or an ISO 8601
 * timestamp; false when it is neither. */
bool ev_reader_parse_time(const char *text, int64_t *out);

/* Appends the requirement reference "NS/ID" (ns[0..ns_len), id[0..id_len)) to f. */
void ev_finding_add_requirement(ev_finding *f, const char *ns, size_t ns_len, const char *id,
                                size_t id_len);

/* True for the Prowler compliance keys whose ids are Prowler's own row ids rather than
 * requirement numbers, so that they never become references ("PCI-4.0": see
 * docs/frameworks.md). */
bool ev_prowler_key_skipped(const char *key, size_t len);

/* Maps Prowler's status (PASS, FAIL, MANUAL) onto a result; other text is unrecognised
 * and NULL is none. */
ev_result ev_prowler_result(const char *status);

/* True when every string of f is valid UTF-8 (cJSON decodes \u escapes unchecked). */
bool ev_finding_utf8_ok(const ev_finding *f);

/* "ns:id", which the caller frees. */
char *ev_check_id(const char *ns, const char *id);

/* True when an OCSF event's metadata.product.name or .vendor_name starts with "Prowler"
 * (any case). */
bool ev_ocsf_from_prowler(const cJSON *obj);

/* Reads what every OCSF finding has (implemented in ocsf.c): memsets f, then fills id
 * (finding_info.uid, required), title, severity, account, region, resource, time,
 * remediation, workflow (the status text), file and position. Fails when obj is not an
 * object, and at any field of the wrong type. */
ev_status ev_ocsf_read_common(const cJSON *obj, const ev_json_element *el, const char *file,
                              const char *source, ev_finding *f, ev_error *err);

#endif
