/* ingest.c: reads one findings file (or stdin) into the store. The file is read once,
 * as a stream: its bytes are hashed for the manifest as they pass, the format is sniffed
 * from the first bytes (JSON or Prowler CSV) and, for JSON, from the first element's
 * members; then the JSON splitter (or the CSV reader) cuts out one record at a time, and
 * the format's reader normalises it. Also the helpers the readers share. */
#define _GNU_SOURCE /* fopencookie: hash the bytes as the splitter reads them */
#include "ingest/ingest.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/asff.h"
#include "ingest/csv.h"
#include "ingest/json_lex.h"
#include "ingest/json_stream.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/json_arena.h"
#include "util/json_locate.h"
#include "util/sha256.h"
#include "util/utf8.h"

/* ---- format names ---- */

static const char *const format_names[EV_FORMAT_COUNT] = {
    [EV_FORMAT_AUTO] = "auto",
    [EV_FORMAT_ASFF] = "asff",
    [EV_FORMAT_PROWLER_OCSF] = "prowler-ocsf",
    [EV_FORMAT_PROWLER_CSV] = "prowler-csv",
    [EV_FORMAT_PROWLER_COMPLIANCE_CSV] = "prowler-compliance-csv",
    [EV_FORMAT_CONFIG] = "config",
    [EV_FORMAT_OCSF] = "ocsf",
};

ev_input_format ev_input_format_parse(const char *name)
{
    if (!name)
        return EV_FORMAT_INVALID;
    for (int i = 0; i < EV_FORMAT_COUNT; i++)
        if (strcmp(name, format_names[i]) == 0)
            return (ev_input_format)i;
    return EV_FORMAT_INVALID;
}

const char *ev_input_format_name(ev_input_format f)
{
    return f >= 0 && f < EV_FORMAT_COUNT ? format_names[f] : "invalid";
}

/* ---- helpers shared by the readers ---- */

/* Splits a path into steps; names point into buf. Returns the number of steps, or
 * (size_t)-1 when the path is malformed or too long. */
static size_t parse_path(const char *path, char *buf, size_t bufsize, ev_json_step *steps,
                         size_t max)
{
    size_t n = 0, o = 0;
    const char *p = path;
    while (*p) {
        if (n == max)
            return (size_t)-1;
        if (*p == '[') {
            char *end;
            unsigned long v = strtoul(p + 1, &end, 10);
            if (end == p + 1 || *end != ']')
                return (size_t)-1;
            steps[n++] = (ev_json_step){NULL, (size_t)v};
            p = end + 1;
        } else {
            const char *name = p;
            while (*p && *p != '.' && *p != '[')
                p++;
            size_t len = (size_t)(p - name);
            if (o + len + 1 > bufsize)
                return (size_t)-1;
            memcpy(buf + o, name, len);
            buf[o + len] = '\0';
            steps[n++] = (ev_json_step){buf + o, 0};
            o += len + 1;
        }
        if (*p == '.')
            p++;
    }
    return n;
}

const cJSON *ev_json_at(const cJSON *obj, const char *path)
{
    char buf[256];
    ev_json_step steps[8];
    size_t n = parse_path(path, buf, sizeof buf, steps, 8);
    if (n == (size_t)-1)
        return NULL;
    const cJSON *v = obj;
    for (size_t i = 0; i < n && v; i++) {
        if (steps[i].key)
            v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, steps[i].key) : NULL;
        else
            v = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, (int)steps[i].index) : NULL;
    }
    return v;
}

/* Fails at the value reached by steps (the deepest one found when a step is missing). */
static ev_status fail_steps(const ev_json_element *el, const char *file, const ev_json_step *steps,
                            size_t n, ev_error *err, const char *msg)
{
    long line = el->line, col = el->col, l = 0, c = 0;
    if (n > 0)
        ev_json_locate(el->text, el->len, steps, n, &l, &c);
    if (l == 1) {
        col = el->col + c - 1;
    } else if (l > 1) {
        line = el->line + l - 1;
        col = c;
    }
    return ev_error_set(err, EV_ERR_INPUT, file, line, col, "%s", msg);
}

ev_status ev_reader_fail(const ev_json_element *el, const char *file, const char *path,
                         ev_error *err, const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char buf[256];
    ev_json_step steps[8];
    size_t n = path ? parse_path(path, buf, sizeof buf, steps, 8) : 0;
    return fail_steps(el, file, steps, n == (size_t)-1 ? 0 : n, err, msg);
}

ev_status ev_reader_fail_key(const ev_json_element *el, const char *file, const char *path,
                             const char *key, ev_error *err, const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char buf[256];
    ev_json_step steps[9];
    size_t n = parse_path(path, buf, sizeof buf, steps, 8);
    if (n == (size_t)-1)
        n = 0;
    else
        steps[n++] = (ev_json_step){key, 0};
    return fail_steps(el, file, steps, n, err, msg);
}

ev_status ev_reader_str(const cJSON *obj, const char *path, const ev_json_element *el,
                        const char *file, char **out, ev_error *err)
{
    *out = NULL;
    const cJSON *v = ev_json_at(obj, path);
    if (!v || cJSON_IsNull(v))
        return EV_OK;
    if (!cJSON_IsString(v))
        return ev_reader_fail(el, file, path, err, "expected a string in \"%s\"", path);
    *out = ev_xstrdup(v->valuestring);
    return EV_OK;
}

/* Epoch seconds (or milliseconds, above 1e11) as a number: false when negative, not
 * finite or beyond year 9999. */
static bool epoch_number(double v, int64_t *out)
{
    if (!isfinite(v) || v < 0)
        return false;
    if (v > 1e11)
        v /= 1000.0;
    if (v > 253402300799.0) /* 9999-12-31T23:59:59Z */
        return false;
    *out = (int64_t)v;
    return true;
}

bool ev_reader_parse_time(const char *text, int64_t *out)
{
    if (!text || !*text)
        return false;
    const char *p = text;
    bool digits = false;
    while (*p >= '0' && *p <= '9')
        p++, digits = true;
    if (digits && *p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (digits && *p == '\0') {
        char *end;
        errno = 0;
        double v = strtod(text, &end);
        return errno == 0 && *end == '\0' && epoch_number(v, out);
    }
    return ev_timestamp_parse(text, out);
}

ev_status ev_reader_time(const cJSON *obj, const char *path, const ev_json_element *el,
                         const char *file, ev_finding *f, bool *found, ev_error *err)
{
    *found = false;
    const cJSON *v = ev_json_at(obj, path);
    if (!v || cJSON_IsNull(v))
        return EV_OK;
    int64_t t;
    if (cJSON_IsNumber(v)) {
        if (!epoch_number(v->valuedouble, &t))
            return ev_reader_fail(el, file, path, err,
                                  "expected a time in \"%s\": a number of seconds since "
                                  "1970 or an ISO 8601 timestamp",
                                  path);
        char text[32];
        ev_timestamp_format(t, text);
        free(f->updated_text);
        f->updated_text = ev_xstrdup(text);
    } else if (cJSON_IsString(v)) {
        if (!ev_timestamp_parse(v->valuestring, &t))
            return ev_reader_fail(el, file, path, err, "expected an ISO 8601 timestamp in \"%s\"",
                                  path);
        free(f->updated_text);
        f->updated_text = ev_xstrdup(v->valuestring);
    } else {
        return ev_reader_fail(el, file, path, err,
                              "expected a time in \"%s\": a number of seconds since 1970 or "
                              "an ISO 8601 timestamp",
                              path);
    }
    f->updated_at = t;
    *found = true;
    return EV_OK;
}

void ev_finding_add_requirement(ev_finding *f, const char *ns, size_t ns_len, const char *id,
                                size_t id_len)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_put(&b, ns, ns_len);
    ev_buf_putc(&b, '/');
    ev_buf_put(&b, id, id_len);
    f->requirements = ev_xrealloc(f->requirements, (f->n_requirements + 1) * sizeof(char *));
    f->requirements[f->n_requirements++] = ev_buf_detach(&b);
}

bool ev_prowler_key_skipped(const char *key, size_t len)
{
    return len >= 5 && strncasecmp(key, "PCI-4", 5) == 0;
}

ev_result ev_prowler_result(const char *status)
{
    if (!status)
        return EV_RESULT_NONE;
    if (strcmp(status, "PASS") == 0)
        return EV_RESULT_PASSED;
    if (strcmp(status, "FAIL") == 0)
        return EV_RESULT_FAILED;
    if (strcmp(status, "MANUAL") == 0)
        return EV_RESULT_WARNING; /* needs a human: shown as needs-review */
    return EV_RESULT_UNRECOGNISED;
}

static bool valid_text(const char *s)
{
    return !s || ev_utf8_valid(s, strlen(s), NULL);
}

bool ev_finding_utf8_ok(const ev_finding *f)
{
    const char *texts[] = {
        f->source,      f->id,           f->check,       f->title,          f->severity_label,
        f->result_text, f->workflow,     f->account,     f->region,         f->resource_type,
        f->resource_id, f->updated_text, f->remediation, f->remediation_url};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (!valid_text(texts[i]))
            return false;
    for (size_t i = 0; i < f->n_requirements; i++)
        if (!valid_text(f->requirements[i]))
            return false;
    return true;
}

char *ev_check_id(const char *ns, const char *id)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "%s:%s", ns, id);
    return ev_buf_detach(&b);
}

/* ---- reading a file ---- */

/* Reads the raw input, hashing every byte once. Bytes read ahead for sniffing are kept
 * in prefix and served first. */
typedef struct {
    FILE *fp;
    ev_sha256 *hash;
    unsigned long long bytes;
    ev_buf prefix;
    size_t prefix_pos;
    int error; /* errno of a read error while sniffing */
} hashing_reader;

static ssize_t hashing_read(void *cookie, char *buf, size_t size)
{
    hashing_reader *r = cookie;
    if (r->prefix_pos < r->prefix.len) {
        size_t n = r->prefix.len - r->prefix_pos;
        if (n > size)
            n = size;
        memcpy(buf, r->prefix.data + r->prefix_pos, n);
        r->prefix_pos += n;
        return (ssize_t)n;
    }
    size_t n = fread(buf, 1, size, r->fp);
    if (n == 0 && ferror(r->fp))
        return -1;
    ev_sha256_update(r->hash, buf, n);
    r->bytes += n;
    return (ssize_t)n;
}

void ev_source_clear(ev_source *src)
{
    free(src->path);
    free(src->format);
    memset(src, 0, sizeof *src);
}

/* Reads up to want more bytes into the prefix; returns how many were read. */
static size_t read_ahead(hashing_reader *r, size_t want)
{
    ev_buf_reserve(&r->prefix, want);
    size_t n = fread(r->prefix.data + r->prefix.len, 1, want, r->fp);
    if (n == 0 && ferror(r->fp))
        r->error = errno ? errno : EIO;
    ev_sha256_update(r->hash, r->prefix.data + r->prefix.len, n);
    r->bytes += n;
    r->prefix.len += n;
    r->prefix.data[r->prefix.len] = '\0';
    return n;
}

enum sniffed { SNIFF_JSON, SNIFF_CSV, SNIFF_COMPLIANCE_CSV };

#define SNIFF_LIMIT (1024 * 1024)

/* Looks at the first bytes: '[' or '{' (after a BOM and whitespace) is JSON; a first
 * line naming Prowler's columns is CSV; anything else goes to the JSON splitter, whose
 * message says what was expected. */
static enum sniffed sniff_bytes(hashing_reader *r)
{
    size_t i = 0;
    for (;;) {
        if (i == r->prefix.len && (r->prefix.len >= SNIFF_LIMIT || read_ahead(r, 4096) == 0))
            return SNIFF_JSON;
        unsigned char c = (unsigned char)r->prefix.data[i];
        if (i == 0 && r->prefix.len >= 3 && memcmp(r->prefix.data, "\xEF\xBB\xBF", 3) == 0) {
            i = 3;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
            continue;
        }
        if (c == '[' || c == '{')
            return SNIFF_JSON;
        break;
    }
    /* the first line, up to 64 KiB */
    size_t start = i;
    char *nl;
    while ((nl = memchr(r->prefix.data + start, '\n', r->prefix.len - start)) == NULL &&
           r->prefix.len - start < 64 * 1024 && read_ahead(r, 4096) > 0)
        ;
    size_t end = nl ? (size_t)(nl - r->prefix.data) : r->prefix.len;
    char saved = r->prefix.data[end];
    r->prefix.data[end] = '\0';
    const char *line = r->prefix.data + start;
    enum sniffed s = strstr(line, "REQUIREMENTS_ID") ? SNIFF_COMPLIANCE_CSV
                     : strstr(line, "CHECK_ID")      ? SNIFF_CSV
                                                     : SNIFF_JSON;
    r->prefix.data[end] = saved;
    return s;
}

static bool has_member(const cJSON *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(obj, key) != NULL;
}

bool ev_ocsf_from_prowler(const cJSON *obj)
{
    const char *paths[] = {"metadata.product.name", "metadata.product.vendor_name"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *v = ev_json_at(obj, paths[i]);
        if (cJSON_IsString(v) && strncasecmp(v->valuestring, "prowler", 7) == 0)
            return true;
    }
    return false;
}

/* Picks the JSON reader from the wrapper key and the first element. */
static ev_input_format sniff_element(const cJSON *obj, const char *wrapper)
{
    if (wrapper && strcmp(wrapper, "Findings") != 0 && strcmp(wrapper, "findings") != 0)
        return EV_FORMAT_CONFIG;
    if (!cJSON_IsObject(obj))
        return EV_FORMAT_ASFF; /* its reader says what was expected */
    static const char *const config_keys[] = {"EvaluationResultIdentifier", "ConfigRuleName",
                                              "ComplianceSummary", "ComplianceByResources",
                                              "ComplianceSummariesByResourceType"};
    for (size_t i = 0; i < sizeof config_keys / sizeof *config_keys; i++)
        if (has_member(obj, config_keys[i]))
            return EV_FORMAT_CONFIG;
    if (has_member(obj, "SchemaVersion") || has_member(obj, "ProductArn") ||
        has_member(obj, "AwsAccountId"))
        return EV_FORMAT_ASFF;
    if (has_member(obj, "class_uid") || has_member(obj, "finding_info") ||
        cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(obj, "metadata"))) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(obj, "class_uid");
        bool compliance_class = cJSON_IsNumber(cls) && cls->valuedouble == 2003;
        if (ev_ocsf_from_prowler(obj) && !compliance_class)
            return EV_FORMAT_PROWLER_OCSF;
        return EV_FORMAT_OCSF;
    }
    return EV_FORMAT_ASFF;
}

typedef ev_status (*json_reader)(const cJSON *obj, const ev_json_element *el, const char *file,
                                 ev_finding *f, ev_error *err);

static json_reader reader_for(ev_input_format f)
{
    switch (f) {
    case EV_FORMAT_PROWLER_OCSF:
        return ev_prowler_ocsf_read;
    case EV_FORMAT_CONFIG:
        return ev_config_read;
    case EV_FORMAT_OCSF:
        return ev_ocsf_read;
    default:
        return ev_asff_read;
    }
}

/* Finds a "\u0000" escape: cJSON decodes it into a NUL that silently cuts the string
 * short (two ids differing only after it would merge as duplicates). */
static bool find_nul_escape(const char *s, size_t len, size_t *at)
{
    const char *p = s, *end = s + len;
    while ((p = memchr(p, '\\', (size_t)(end - p))) != NULL && end - p >= 2) {
        if (p[1] == 'u' && end - p >= 6 && memcmp(p + 2, "0000", 4) == 0) {
            *at = (size_t)(p - s);
            return true;
        }
        p += 2; /* the escaped character */
    }
    return false;
}

/* Describes a cJSON failure: the byte it stopped at. */
static void describe_parse_error(const ev_json_element *el, const char *at, char *msg, size_t n)
{
    if (!at || at < el->text || at > el->text + el->len || *at == '\0') {
        snprintf(msg, n, "invalid JSON: the finding ends too early");
        return;
    }
    unsigned char c = (unsigned char)*at;
    if (c >= 0x20 && c < 0x7f)
        snprintf(msg, n,
                 "invalid JSON: unexpected '%c' (expected a value, ',' or a quoted "
                 "member name)",
                 c);
    else
        snprintf(msg, n,
                 "invalid JSON: unexpected byte 0x%02x (expected a value, ',' or a "
                 "quoted member name)",
                 c);
}

typedef struct {
    const char *name; /* for messages */
    ev_store *st;
    hashing_reader *hr;
    ev_progress_fn progress;
    void *progress_ctx;
    size_t records;
} run_state;

/* Counts n records just added, calling the progress function every 16384 records. */
static void count_records(run_state *rs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rs->records++;
        if (rs->progress && (rs->records & 0x3fff) == 0)
            rs->progress(rs->name, rs->hr->bytes, rs->records, rs->progress_ctx);
    }
}

static ev_status add_record(run_state *rs, ev_finding *f, ev_error *err)
{
    ev_status rc = ev_store_add(rs->st, f, err);
    ev_finding_clear(f);
    if (rc != EV_OK)
        return rc;
    count_records(rs, 1);
    return EV_OK;
}

/* ---- JSON elements: parsed on worker threads, added to the store in input order ----
 *
 * The splitter runs on the calling thread and copies elements into batches; worker threads
 * check, parse and normalise each batch's elements and encode the records
 * (ev_store_encode); the calling thread adds finished batches to the store strictly in
 * input order and stops at the first failing element, so records, counts and the error
 * reported never depend on timing: the same input gives the same store and the same
 * message as a serial run. The first element is handled on the calling thread (it picks
 * the reader), and an input that fits in one batch never starts a thread. */

/* cJSON's allocations while elements are parsed come from a per-thread arena
 * (util/json_arena.h), released in one step after each element (malloc and free were a
 * fifth of the ingest time). The hooks are process-wide, so they are installed only while
 * run_json runs: no cJSON value may cross that window (none does: each element's tree is
 * dropped after reading). */

/* A fast path in front of cJSON for the common case. fast_parse builds the same cJSON tree
 * cJSON_ParseWithLengthOpts would (nodes and strings in the arena), but accepts only plain
 * RFC 8259 JSON that it knows cJSON reads identically (json_lex.h: \u escapes only when
 * they decode to valid UTF-8 other than NUL, no raw control characters in strings, numbers
 * of at most 63 characters, at most EV_LEX_MAX_DEPTH levels of nesting), with nothing but
 * whitespace after the value. Anything else, including every malformed element, returns
 * NULL and goes to cJSON itself, so every error message and position stays cJSON's. */
typedef struct {
    const unsigned char *p, *end;
    int depth;
} fast_state;

static cJSON *fast_node(void)
{
    cJSON *n = ev_json_arena_alloc(sizeof *n);
    memset(n, 0, sizeof *n);
    return n;
}

static void fast_ws(fast_state *s)
{
    s->p = ev_lex_ws(s->p, s->end);
}

/* A string at s->p (the opening quote); NULL when it is not plain. */
static char *fast_string(fast_state *s)
{
    /* checked first, so the arena copy is sized to the text */
    const unsigned char *after = ev_lex_string(s->p, s->end, NULL, NULL);
    if (!after)
        return NULL;
    size_t n;
    char *out = ev_json_arena_alloc((size_t)(after - s->p) - 1);
    ev_lex_string(s->p, s->end, out, &n);
    out[n] = '\0';
    s->p = after;
    return out;
}

static bool fast_number(fast_state *s, cJSON *item)
{
    const unsigned char *after = ev_lex_number(s->p, s->end);
    if (!after)
        return false;
    size_t n = (size_t)(after - s->p);
    char buf[64];
    memcpy(buf, s->p, n);
    buf[n] = '\0';
    s->p = after;
    double v = strtod(buf, NULL);
    item->type = cJSON_Number;
    item->valuedouble = v;
    item->valueint = v >= INT_MAX ? INT_MAX : v <= (double)INT_MIN ? INT_MIN : (int)v;
    return true;
}

static bool fast_value(fast_state *s, cJSON *item);

/* The members or elements of a container at s->p (the opening bracket). */
static bool fast_container(fast_state *s, cJSON *item, bool object)
{
    if (++s->depth > EV_LEX_MAX_DEPTH)
        return false;
    item->type = object ? cJSON_Object : cJSON_Array;
    unsigned char close = object ? '}' : ']';
    s->p++;
    fast_ws(s);
    if (s->p < s->end && *s->p == close) {
        s->p++;
        s->depth--;
        return true;
    }
    cJSON *head = NULL, *last = NULL;
    for (;;) {
        cJSON *child = fast_node();
        if (!head) {
            head = child;
        } else {
            last->next = child;
            child->prev = last;
        }
        last = child;
        if (object) {
            if (s->p == s->end || *s->p != '"' || !(child->string = fast_string(s)))
                return false;
            fast_ws(s);
            if (s->p == s->end || *s->p != ':')
                return false;
            s->p++;
            fast_ws(s);
        }
        int more = 0;
        const unsigned char *next;
        if (!fast_value(s, child) || !(next = ev_lex_next_item(s->p, s->end, close, &more)))
            return false;
        s->p = next;
        if (!more)
            break;
    }
    head->prev = last;
    item->child = head;
    s->depth--;
    return true;
}

static bool fast_value(fast_state *s, cJSON *item)
{
    if (s->p == s->end)
        return false;
    size_t left = (size_t)(s->end - s->p);
    switch (*s->p) {
    case '{':
        return fast_container(s, item, true);
    case '[':
        return fast_container(s, item, false);
    case '"':
        item->type = cJSON_String;
        return (item->valuestring = fast_string(s)) != NULL;
    case 't':
        if (left < 4 || memcmp(s->p, "true", 4) != 0)
            return false;
        item->type = cJSON_True;
        item->valueint = 1;
        s->p += 4;
        return true;
    case 'f':
        if (left < 5 || memcmp(s->p, "false", 5) != 0)
            return false;
        item->type = cJSON_False;
        s->p += 5;
        return true;
    case 'n':
        if (left < 4 || memcmp(s->p, "null", 4) != 0)
            return false;
        item->type = cJSON_NULL;
        s->p += 4;
        return true;
    default:
        if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
            return fast_number(s, item);
        return false;
    }
}

/* The tree of text[0..len), or NULL for cJSON to parse (the arena must be on). */
static cJSON *fast_parse(const char *text, size_t len)
{
    fast_state s = {(const unsigned char *)text, (const unsigned char *)text + len, 0};
    fast_ws(&s);
    cJSON *root = fast_node();
    if (!fast_value(&s, root))
        return NULL;
    fast_ws(&s);
    return s.p == s.end ? root : NULL;
}

static pthread_mutex_t cjson_parse_lock = PTHREAD_MUTEX_INITIALIZER;

/* Checks, parses and normalises one element into *f (cleared by the caller). When
 * *format is EV_FORMAT_AUTO the reader is picked from this element. */
static ev_status read_element(const char *name, const ev_json_element *el, const char *wrapper,
                              bool fast, ev_input_format *format, ev_finding *f, ev_error *err)
{
    memset(f, 0, sizeof *f);
    size_t bad_at;
    if (!ev_utf8_valid(el->text, el->len, &bad_at)) {
        long line, col;
        ev_json_element_position(el, bad_at, &line, &col);
        return ev_error_set(err, EV_ERR_INPUT, name, line, col,
                            "invalid UTF-8: expected UTF-8 encoded text");
    }
    if (find_nul_escape(el->text, el->len, &bad_at)) {
        long line, col;
        ev_json_element_position(el, bad_at, &line, &col);
        return ev_error_set(err, EV_ERR_INPUT, name, line, col,
                            "\\u0000 in a string: expected text without NUL characters");
    }
    /* The failure position comes back through end (the same pointer cJSON_GetErrorPtr
     * gives, without its process-wide state, which threads would share). */
    const char *end = NULL;
    ev_json_arena_use(true);
    cJSON *obj = fast ? fast_parse(el->text, el->len) : NULL;
    if (!obj) {
        ev_json_arena_reset();
        /* cJSON resets a process-wide error record on every parse; the rare elements that
         * need cJSON take turns, so worker threads never write it at once */
        pthread_mutex_lock(&cjson_parse_lock);
        obj = cJSON_ParseWithLengthOpts(el->text, el->len, &end, 0);
        pthread_mutex_unlock(&cjson_parse_lock);
    }
    ev_status rc;
    if (!obj) {
        const char *at = end;
        long line = el->line, col = el->col;
        if (at && at >= el->text && at <= el->text + el->len) {
            at = el->text + ev_json_error_offset(el->text, el->len, (size_t)(at - el->text));
            ev_json_element_position(el, (size_t)(at - el->text), &line, &col);
        }
        char msg[256];
        describe_parse_error(el, at, msg, sizeof msg);
        rc = ev_error_set(err, EV_ERR_INPUT, name, line, col, "%s", msg);
    } else {
        if (*format == EV_FORMAT_AUTO)
            *format = sniff_element(obj, wrapper);
        rc = reader_for(*format)(obj, el, name, f, err);
    }
    /* the tree lives in the arena: dropping the arena frees it without walking it */
    ev_json_arena_reset();
    ev_json_arena_use(false);
    return rc;
}

#define BATCH_ELEMENTS 128
#define BATCH_BYTES ((size_t)256 * 1024)
#define MAX_WORKERS 8

typedef struct {
    size_t off, len;
    long line, col;
    size_t index;
} batch_element;

typedef struct {
    /* filled by the splitter */
    ev_buf text; /* the elements' bytes, each NUL-terminated */
    batch_element *els;
    size_t n, cap;
    /* filled by a worker */
    ev_buf recs; /* encoded records of els[0..n_ok) */
    ev_store_key *keys;
    size_t n_ok;
    ev_status rc; /* the failure of els[n_ok] when not EV_OK */
    ev_error err;
    ev_asff_scanner scan; /* the worker's scratch for the tree-free ASFF path */
    ev_buf check;
    int state; /* BATCH_FREE, BATCH_QUEUED, BATCH_TAKEN, BATCH_DONE */
} batch;

enum { BATCH_FREE, BATCH_QUEUED, BATCH_TAKEN, BATCH_DONE };

#define RING (2 * MAX_WORKERS + 2)

typedef struct {
    const char *name;
    ev_input_format format; /* known before any batch is queued */
    bool fast;              /* fast_parse may be tried (the C locale's decimal point) */
    pthread_mutex_t mu;
    pthread_cond_t work; /* a batch was queued, or stop */
    pthread_cond_t done; /* a batch is done */
    batch ring[RING];
    size_t n_ring;    /* slots in use: 2 * workers + 2 */
    size_t next_fill; /* sequence numbers: the batch being filled */
    size_t next_take; /* the next queued batch a worker takes */
    size_t next_add;  /* the next batch added to the store */
    int stop;
    pthread_t threads[MAX_WORKERS];
    size_t n_threads;
} pipeline;

/* Processes a batch's elements in order, stopping at the first failure. */
static void process_batch(const pipeline *pl, batch *b)
{
    b->n_ok = 0;
    b->rc = EV_OK;
    ev_buf_clear(&b->recs);
    ev_input_format format = pl->format;
    /* the tree-free ASFF path when it applies (see asff_scan.c); cJSON otherwise */
    bool scan = pl->fast && format == EV_FORMAT_ASFF;
    for (size_t i = 0; i < b->n; i++) {
        const batch_element *be = &b->els[i];
        ev_json_element el = {b->text.data + be->off, be->len, be->line, be->col, be->index};
        ev_asff_fields fields;
        ev_finding view;
        int bad;
        if (scan && ev_utf8_valid(el.text, el.len, NULL) &&
            ev_asff_scan(el.text, el.len, &b->scan, &fields) &&
            ev_asff_map(&fields, pl->name, el.line, el.col, &view, &b->check, &bad) == EV_OK) {
            ev_store_encode(&view, &b->recs, &b->keys[i]);
            b->n_ok++;
            continue;
        }
        ev_finding f;
        ev_status rc = read_element(pl->name, &el, NULL, pl->fast, &format, &f, &b->err);
        if (rc == EV_OK)
            ev_store_encode(&f, &b->recs, &b->keys[i]);
        ev_finding_clear(&f);
        if (rc != EV_OK) {
            b->rc = rc;
            return;
        }
        b->n_ok++;
    }
}

static void *worker_main(void *arg)
{
    pipeline *pl = arg;
    pthread_mutex_lock(&pl->mu);
    for (;;) {
        while (!pl->stop && (pl->next_take == pl->next_fill ||
                             pl->ring[pl->next_take % pl->n_ring].state != BATCH_QUEUED))
            pthread_cond_wait(&pl->work, &pl->mu);
        if (pl->stop)
            break;
        batch *b = &pl->ring[pl->next_take++ % pl->n_ring];
        b->state = BATCH_TAKEN;
        pthread_mutex_unlock(&pl->mu);
        process_batch(pl, b);
        pthread_mutex_lock(&pl->mu);
        b->state = BATCH_DONE;
        pthread_cond_broadcast(&pl->done);
    }
    pthread_mutex_unlock(&pl->mu);
    ev_json_arena_release();
    return NULL;
}

static size_t worker_count(void)
{
    const char *env = getenv("EVPACK_THREADS"); /* for benchmarks: 0 parses on one thread */
    long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 0)
        n = 1;
    return n > MAX_WORKERS ? MAX_WORKERS : (size_t)n;
}

static void pipeline_start(pipeline *pl, size_t workers)
{
    pthread_mutex_init(&pl->mu, NULL);
    pthread_cond_init(&pl->work, NULL);
    pthread_cond_init(&pl->done, NULL);
    pl->n_ring = workers ? 2 * workers + 2 : 1;
    for (size_t i = 0; i < workers; i++) {
        if (pthread_create(&pl->threads[pl->n_threads], NULL, worker_main, pl) != 0)
            break; /* fewer workers (none: batches are processed inline) */
        pl->n_threads++;
    }
    if (!pl->n_threads)
        pl->n_ring = 1;
}

static void ring_free(pipeline *pl)
{
    for (size_t i = 0; i < RING; i++) {
        batch *b = &pl->ring[i];
        ev_buf_free(&b->text);
        ev_buf_free(&b->recs);
        free(b->els);
        free(b->keys);
        ev_asff_scanner_free(&b->scan);
        ev_buf_free(&b->check);
    }
}

static void pipeline_stop(pipeline *pl)
{
    pthread_mutex_lock(&pl->mu);
    pl->stop = 1;
    pthread_cond_broadcast(&pl->work);
    pthread_mutex_unlock(&pl->mu);
    for (size_t i = 0; i < pl->n_threads; i++)
        pthread_join(pl->threads[i], NULL);
    pthread_mutex_destroy(&pl->mu);
    pthread_cond_destroy(&pl->work);
    pthread_cond_destroy(&pl->done);
    ring_free(pl);
}

/* Waits for the oldest batch in flight and adds its records to the store. */
static ev_status add_oldest(pipeline *pl, run_state *rs, ev_error *err)
{
    batch *b = &pl->ring[pl->next_add % pl->n_ring];
    if (pl->n_threads) {
        pthread_mutex_lock(&pl->mu);
        while (b->state != BATCH_DONE)
            pthread_cond_wait(&pl->done, &pl->mu);
        pthread_mutex_unlock(&pl->mu);
    } else {
        process_batch(pl, b);
    }
    pl->next_add++;
    ev_status rc = ev_store_add_encoded(rs->st, b->recs.data, b->recs.len, b->keys, b->n_ok, err);
    if (rc == EV_OK)
        count_records(rs, b->n_ok);
    if (rc == EV_OK && b->rc != EV_OK) {
        rc = b->rc;
        if (err)
            *err = b->err;
    }
    b->n = 0;
    ev_buf_clear(&b->text);
    pthread_mutex_lock(&pl->mu);
    b->state = BATCH_FREE;
    pthread_mutex_unlock(&pl->mu);
    return rc;
}

/* Queues the batch being filled (if it holds anything), then makes sure the next slot is
 * free, adding the oldest batch to the store when the ring is full. */
static ev_status queue_batch(pipeline *pl, run_state *rs, ev_error *err)
{
    batch *b = &pl->ring[pl->next_fill % pl->n_ring];
    if (!b->n)
        return EV_OK;
    pthread_mutex_lock(&pl->mu);
    b->state = BATCH_QUEUED;
    pl->next_fill++;
    pthread_cond_signal(&pl->work);
    pthread_mutex_unlock(&pl->mu);
    if (pl->next_fill - pl->next_add == pl->n_ring)
        return add_oldest(pl, rs, err);
    return EV_OK;
}

static void batch_put(batch *b, const ev_json_element *el)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->els = ev_xrealloc(b->els, b->cap * sizeof *b->els);
        b->keys = ev_xrealloc(b->keys, b->cap * sizeof *b->keys);
    }
    b->els[b->n++] = (batch_element){b->text.len, el->len, el->line, el->col, el->index};
    ev_buf_put(&b->text, el->text, el->len);
    ev_buf_putc(&b->text, '\0');
}

static ev_status run_json(run_state *rs, FILE *fp, ev_input_format *format, ev_error *err)
{
    ev_json_stream *js = ev_json_stream_new(fp, rs->name);
    ev_status rc = EV_OK;
    ev_json_arena_install();
    const char *dp = localeconv()->decimal_point;
    pipeline pl = {.name = rs->name,
                   .format = *format,
                   .n_ring = 1,
                   .fast = dp && dp[0] == '.' && dp[1] == '\0' && !getenv("EVPACK_NO_FAST_JSON")};
    bool started = false;
    for (;;) {
        ev_json_element el;
        int has = 0;
        ev_status src = ev_json_stream_next(js, &el, &has, err);
        if (src != EV_OK || !has) {
            /* the elements before the end (or a splitter error) come first */
            if (!started) {
                pthread_mutex_init(&pl.mu, NULL);
                pthread_cond_init(&pl.work, NULL);
                pthread_cond_init(&pl.done, NULL);
                started = true;
            }
            rc = queue_batch(&pl, rs, err);
            while (rc == EV_OK && pl.next_add < pl.next_fill)
                rc = add_oldest(&pl, rs, err);
            if (rc == EV_OK)
                rc = src;
            break;
        }
        if (pl.format == EV_FORMAT_AUTO) {
            /* the first element picks the reader, on this thread */
            ev_finding f;
            rc = read_element(rs->name, &el, ev_json_stream_wrapper(js), pl.fast, &pl.format, &f,
                              err);
            if (rc == EV_OK)
                rc = add_record(rs, &f, err);
            else
                ev_finding_clear(&f);
            if (rc != EV_OK)
                break;
            continue;
        }
        batch *b = &pl.ring[pl.next_fill % pl.n_ring];
        batch_put(b, &el);
        if (b->n == BATCH_ELEMENTS || b->text.len >= BATCH_BYTES) {
            if (!started) {
                /* more than one batch: parse on worker threads */
                pipeline_start(&pl, worker_count());
                started = true;
            }
            if ((rc = queue_batch(&pl, rs, err)) != EV_OK)
                break;
        }
    }
    if (started) {
        /* after an error, workers finish the batch they hold and stop; queued batches are
         * dropped (they come after the error) */
        pipeline_stop(&pl);
    } else {
        ring_free(&pl);
    }
    ev_json_arena_release();
    ev_json_arena_uninstall();
    *format = pl.format;
    if (rc == EV_OK && *format == EV_FORMAT_AUTO) {
        /* no element: name the format after the wrapper */
        const char *w = ev_json_stream_wrapper(js);
        *format = w && strcmp(w, "Findings") != 0 && strcmp(w, "findings") != 0 ? EV_FORMAT_CONFIG
                                                                                : EV_FORMAT_ASFF;
    }
    ev_json_stream_free(js);
    return rc;
}

static ev_status run_csv(run_state *rs, FILE *fp, ev_input_format format, ev_error *err)
{
    bool compliance = format == EV_FORMAT_PROWLER_COMPLIANCE_CSV;
    ev_csv *csv = ev_csv_new(fp, rs->name, NULL);
    ev_prowler_csv *pc = NULL;
    ev_csv_record rec;
    int has = 0;
    ev_status rc = ev_csv_next(csv, &rec, &has, err);
    if (rc == EV_OK && !has)
        rc = ev_error_set(err, EV_ERR_INPUT, rs->name, 1, 1,
                          "empty input: expected a header line naming Prowler's %s columns",
                          compliance ? "compliance CSV" : "CSV");
    if (rc == EV_OK)
        rc = ev_prowler_csv_open(&rec, compliance, rs->name, &pc, err);
    while (rc == EV_OK) {
        rc = ev_csv_next(csv, &rec, &has, err);
        if (rc != EV_OK || !has)
            break;
        ev_finding f;
        rc = ev_prowler_csv_read(pc, &rec, rs->name, &f, err);
        if (rc != EV_OK) {
            ev_finding_clear(&f);
            break;
        }
        rc = add_record(rs, &f, err);
    }
    ev_prowler_csv_free(pc);
    ev_csv_free(csv);
    return rc;
}

ev_status ev_ingest_file_as(const char *path, ev_input_format format, ev_store *st, ev_source *src,
                            ev_progress_fn progress, void *progress_ctx, ev_error *err)
{
    memset(src, 0, sizeof *src);
    if (format < 0 || format >= EV_FORMAT_COUNT)
        return ev_error_set(err, EV_ERR_USAGE, NULL, 0, 0,
                            "unknown input format (expected one of " EV_INPUT_FORMAT_NAMES ")");
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    FILE *raw = stdin;
    if (!is_stdin) {
        struct stat sb;
        if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return ev_error_set(err, EV_ERR_IO, path, 0, 0,
                                "is a directory: expected a findings file");
        raw = fopen(path, "rb");
        if (!raw)
            return ev_error_set(err, EV_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    /* the digest is computed beside the parsing (it was a seventh of the ingest time) */
    hashing_reader hr = {.fp = raw, .hash = ev_sha256_new_background()};
    ev_status rc = EV_OK;
    bool csv = format == EV_FORMAT_PROWLER_CSV || format == EV_FORMAT_PROWLER_COMPLIANCE_CSV;
    if (format == EV_FORMAT_AUTO) {
        switch (sniff_bytes(&hr)) {
        case SNIFF_CSV:
            format = EV_FORMAT_PROWLER_CSV;
            csv = true;
            break;
        case SNIFF_COMPLIANCE_CSV:
            format = EV_FORMAT_PROWLER_COMPLIANCE_CSV;
            csv = true;
            break;
        case SNIFF_JSON:
            break;
        }
        if (hr.error)
            rc = ev_error_set(err, EV_ERR_IO, name, 0, 0, "read error: %s", strerror(hr.error));
    }
    run_state rs = {name, st, &hr, progress, progress_ctx, 0};
    if (rc == EV_OK) {
        cookie_io_functions_t io = {.read = hashing_read};
        FILE *fp = fopencookie(&hr, "r", io);
        if (!fp)
            abort();
        rc = csv ? run_csv(&rs, fp, format, err) : run_json(&rs, fp, &format, err);
        fclose(fp);
    }
    if (!is_stdin)
        fclose(raw);
    ev_buf_free(&hr.prefix);
    char hex[65];
    ev_sha256_final(hr.hash, hex);
    if (rc != EV_OK)
        return rc;
    if (progress)
        progress(name, hr.bytes, rs.records, progress_ctx);
    src->path = ev_xstrdup(path);
    src->format = ev_xstrdup(ev_input_format_name(format));
    src->records = rs.records;
    src->bytes = hr.bytes;
    memcpy(src->sha256, hex, sizeof hex);
    return EV_OK;
}

ev_status ev_ingest_file(const char *path, ev_store *st, ev_source *src, ev_progress_fn progress,
                         void *progress_ctx, ev_error *err)
{
    return ev_ingest_file_as(path, EV_FORMAT_AUTO, st, src, progress, progress_ctx, err);
}
