/* main.c: the evpack command line. Parses options, runs the pipeline
 * (ingest -> evaluate -> render -> pack), prints messages and maps errors to exit
 * statuses: 0 done, 1 a control fails with --fail-on failing (or verify found a
 * mismatch), 2 usage or input error, 3 an output could not be written, 4 internal error. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evaluate/diff.h"
#include "evpack.h"
#include "util/buf.h"
#include "util/date.h"
#include "util/json_doc.h"
#include "util/json_print.h"
#include "util/path.h"
#include "util/sha256.h"

enum { EXIT_DONE = 0, EXIT_FAILING = 1, EXIT_INPUT = 2, EXIT_OUTPUT = 3, EXIT_INTERNAL = 4 };

static const char *progname = "evpack";
static const char *help_hint = "evpack --help"; /* the help that fits the command running */
static bool quiet = false;

static int exit_for(ev_status s)
{
    switch (s) {
    case EV_OK:
        return EXIT_DONE;
    case EV_ERR_USAGE:
    case EV_ERR_INPUT:
    case EV_ERR_IO:
        return EXIT_INPUT;
    case EV_ERR_OUTPUT:
        return EXIT_OUTPUT;
    case EV_ERR_VERIFY:
        return EXIT_FAILING;
    default:
        return EXIT_INTERNAL;
    }
}

static int report_error(const ev_error *err)
{
    char msg[2048];
    ev_error_format(err, msg, sizeof msg);
    fprintf(stderr, "%s: %s\n", progname, msg);
    return exit_for(err->status);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", progname);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s'.\n", help_hint);
    return EXIT_INPUT;
}

static void print_main_help(void)
{
    printf("Usage: evpack COMMAND [OPTIONS] [ARGS]\n"
           "Turn cloud security findings and a compliance framework mapping into an\n"
           "audit-ready evidence pack, split along the AWS shared responsibility model.\n"
           "\n"
           "Commands:\n"
           "  build       build an evidence pack from findings files\n"
           "  verify      re-hash a pack against its manifest\n"
           "  validate    lint framework, Artifact catalogue and scope files\n"
           "  frameworks  list the bundled frameworks\n"
           "  diff        compare two packs (status changes, new and resolved failures)\n"
           "  matrix      print the AWS service responsibility matrix\n"
           "  import-prowler  convert a Prowler compliance mapping into a framework\n"
           "\n"
           "Options:\n"
           "  -h, --help     show this help (evpack COMMAND --help for a command)\n"
           "  -V, --version  show the version\n"
           "\n"
           "Exit status: 0 done; 1 a control fails (build --fail-on failing) or a pack does\n"
           "not match its manifest (verify); 2 usage or input error; 3 an output could not\n"
           "be written; 4 internal error.\n");
}

static void print_build_help(void)
{
    printf("Usage: evpack build -s SCOPE -o DIR [OPTIONS] FINDINGS...\n"
           "Build an evidence pack in DIR from findings files: Security Hub ASFF (the\n"
           "get-findings output, a bare array or a single finding), Prowler JSON-OCSF and CSV,\n"
           "AWS Config evaluation results and OCSF compliance findings, told apart by their\n"
           "content; '-' reads stdin.\n"
           "\n"
           "  -f, --framework ID|FILE  framework to evaluate (repeatable; default: the\n"
           "                           scope's \"frameworks\"); see 'evpack frameworks'\n"
           "  -s, --scope FILE         scope file (organisation, period, Artifact editions)\n"
           "      --input-format NAME  read every findings file as NAME instead of sniffing:\n"
           "                           " EV_INPUT_FORMAT_NAMES "\n"
           "  -a, --artifacts FILE     Artifact catalogue (default: the bundled one)\n"
           "  -o, --output DIR         pack folder to create (must be absent or empty)\n"
           "      --as-of YYYY-MM-DD   date the pack is as of (default: SOURCE_DATE_EPOCH);\n"
           "                           fixes every date, so the same inputs give the same bytes\n"
           "      --format LIST        outputs, comma-separated: md,pdf,xlsx,json (default: all)\n"
           "      --pdf-findings N     findings listed per control in the PDF (default 25;\n"
           "                           the rest are counted, and listed in pack.json)\n"
           "  -e, --evidence FILE      manual evidence (policies, reviews, DR tests; repeatable)\n"
           "      --attach             copy evidence attachments into the pack's evidence/\n"
           "  -x, --exceptions FILE    risk acceptances (repeatable)\n"
           "      --previous PACK      an earlier pack to compare with (repeatable, oldest\n"
           "                           first): status changes, new and resolved failures, trend\n"
           "      --profile NAME       audit (default), quarterly (with --previous),\n"
           "                           consultant (scope branding) or ticket\n"
           "      --ticket ID          a short pack for a change ticket, scoped by:\n"
           "      --service LIST       services the change touches (ids, comma-separated)\n"
           "      --resource PATTERN   resource ids the change touches (* and ?; repeatable)\n"
           "      --control LIST       controls the change touches (ID or FRAMEWORK:ID)\n"
           "      --templates DIR      templates to use instead of the bundled ones\n"
           "      --service-catalogue FILE  service catalogue (default: the bundled one)\n"
           "      --list-limit N       findings listed per control and unmapped (default 50)\n"
           "      --force              replace an existing non-empty DIR\n"
           "      --fail-on failing    exit 1 when any control is failing\n"
           "  -q, --quiet              print nothing but errors\n"
           "  -h, --help               show this help\n");
}

static void print_verify_help(void)
{
    printf("Usage: evpack verify PACK\n"
           "Re-hash every file of PACK against manifest.json and SHA256SUMS.\n"
           "Exit status 0 when the pack is intact, 1 on any mismatch, 2 when the manifest\n"
           "cannot be read.\n");
}

static void print_validate_help(void)
{
    printf("Usage: evpack validate [-a ARTIFACTS] FILE...\n"
           "Lint framework, Artifact catalogue, scope, service catalogue, manual evidence and\n"
           "exceptions files (told apart by their\n"
           "\"schema\"), and check every citation and edition against the Artifact\n"
           "catalogue (the bundled one unless -a or a catalogue among FILEs is given).\n"
           "Messages are file:line:col. Exit status 0 when all are valid, 2 otherwise.\n");
}

static char *exe_path(const char *argv0)
{
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        return ev_xstrdup(buf);
    }
    return ev_xstrdup(argv0);
}

static char *datadir_path(const char *datadir, const char *rel)
{
    if (!datadir)
        return NULL;
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "%s/%s", datadir, rel);
    return ev_buf_detach(&b);
}

/* --as-of, else SOURCE_DATE_EPOCH: the clock is never read. */
static bool resolve_as_of(const char *arg, char out[11])
{
    int64_t t;
    if (arg) {
        if (!ev_date_parse(arg, &t))
            return false;
        memcpy(out, arg, 11);
        return true;
    }
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!sde || !*sde)
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(sde, &end, 10);
    if (errno || *end || v < 0)
        return false;
    ev_date_format((int64_t)v, out);
    return true;
}

static bool dir_nonempty(const char *path, bool *exists)
{
    struct stat sb;
    *exists = stat(path, &sb) == 0;
    if (!*exists)
        return false;
    if (!S_ISDIR(sb.st_mode))
        return true;
    DIR *d = opendir(path);
    if (!d)
        return true;
    struct dirent *e;
    bool any = false;
    while (!any && (e = readdir(d)))
        any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return any;
}

/* Creates the folders above path (mkdir -p of its parent), as users expect of -o. */
static void make_parents(const char *path)
{
    char *p = ev_xstrdup(path);
    for (char *q = p + 1; *q; q++) {
        if (*q != '/')
            continue;
        *q = '\0';
        mkdir(p, 0755);
        *q = '/';
    }
    free(p);
}

typedef struct {
    bool tty;
    unsigned long long last;
} progress_state;

static void progress(const char *path, unsigned long long bytes, size_t records, void *ctx)
{
    progress_state *ps = ctx;
    if (!ps->tty || bytes < (64ULL << 20) || bytes - ps->last < (16ULL << 20))
        return;
    ps->last = bytes;
    fprintf(stderr, "\r%s: %s: %.0f MB, %zu findings read", progname, path, (double)bytes / 1e6,
            records);
    fflush(stderr);
}

/* A manifest path for a catalog file: bundled files are named by their place in the
 * bundle, so no path of the machine leaks into the pack. */
static char *pack_path(const char *path);

static char *manifest_name(const char *datadir, const char *path)
{
    size_t n = datadir ? strlen(datadir) : 0;
    if (n && strncmp(path, datadir, n) == 0 && path[n] == '/') {
        ev_buf b = EV_BUF_INIT;
        ev_buf_printf(&b, "bundled:%s", path + n + 1);
        return ev_buf_detach(&b);
    }
    return pack_path(path);
}

/* A previous pack's name in this pack: its folder name. */
static char *pack_label(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    return ev_xstrndup(dir + start, n - start);
}

/* How a user's input path is recorded in the pack (see util/path.h). */
static char *pack_path(const char *path)
{
    return ev_path_for_pack(path);
}

/* ".pdf" for "policy.PDF": a short alphanumeric extension, lower-cased, or "". */
static const char *attachment_ext(const char *file)
{
    static char ext[8];
    const char *dot = strrchr(file, '.');
    const char *slash = strrchr(file, '/');
    ext[0] = '\0';
    if (!dot || (slash && dot < slash) || strlen(dot + 1) == 0 || strlen(dot + 1) > 5)
        return ext;
    ext[0] = '.';
    size_t n = 1;
    for (const char *q = dot + 1; *q; q++) {
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9')))
            return ext[0] = '\0', ext;
        ext[n++] = (char)(*q | 0x20);
    }
    ext[n] = '\0';
    return ext;
}

/* Copies src to dst, checking every write. */
static ev_status copy_file(const char *src, const char *dst, ev_error *err)
{
    FILE *in = fopen(src, "rb");
    if (!in)
        return ev_error_set(err, EV_ERR_IO, src, 0, 0, "cannot open: %s", strerror(errno));
    FILE *out = fopen(dst, "wb");
    if (!out) {
        fclose(in);
        return ev_error_set(err, EV_ERR_OUTPUT, dst, 0, 0, "cannot create: %s", strerror(errno));
    }
    char buf[65536];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    int e = errno;
    if (fclose(out) != 0 && ok) {
        ok = false;
        e = errno;
    }
    fclose(in);
    if (!ok)
        return ev_error_set(err, EV_ERR_OUTPUT, dst, 0, 0, "cannot write: %s", strerror(e));
    return EV_OK;
}

typedef struct {
    char *role;
    char *path;
    char sha256[65];
    unsigned long long size;
} input_rec;

static int cmd_build(int argc, char **argv, const char *datadir)
{
    static const struct option opts[] = {{"framework", required_argument, NULL, 'f'},
                                         {"scope", required_argument, NULL, 's'},
                                         {"artifacts", required_argument, NULL, 'a'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"as-of", required_argument, NULL, 1},
                                         {"format", required_argument, NULL, 2},
                                         {"templates", required_argument, NULL, 3},
                                         {"list-limit", required_argument, NULL, 4},
                                         {"force", no_argument, NULL, 5},
                                         {"fail-on", required_argument, NULL, 6},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {"service-catalogue", required_argument, NULL, 7},
                                         {"evidence", required_argument, NULL, 'e'},
                                         {"exceptions", required_argument, NULL, 'x'},
                                         {"attach", no_argument, NULL, 8},
                                         {"previous", required_argument, NULL, 9},
                                         {"profile", required_argument, NULL, 10},
                                         {"ticket", required_argument, NULL, 11},
                                         {"service", required_argument, NULL, 12},
                                         {"resource", required_argument, NULL, 13},
                                         {"control", required_argument, NULL, 14},
                                         {"pdf-findings", required_argument, NULL, 15},
                                         {"input-format", required_argument, NULL, 16},
                                         {NULL, 0, NULL, 0}};
    const char *fw_args[64];
    size_t n_fw_args = 0;
    const char *scope_path = NULL, *artifacts_arg = NULL, *out_dir = NULL, *as_of_arg = NULL;
    const char *formats = "md,pdf,xlsx,json", *templates_arg = NULL, *services_arg = NULL;
    size_t list_limit = 0, pdf_findings = 0;
    ev_input_format input_format = EV_FORMAT_AUTO;
    bool force = false, fail_on_failing = false, attach = false;
    const char *evidence_args[64], *exception_args[64], *previous_args[64];
    const char *profile = NULL, *ticket = NULL;
    const char *sel_services[64], *sel_resources[64], *sel_controls[256];
    size_t n_sel_services = 0, n_sel_resources = 0, n_sel_controls = 0;
    size_t n_evidence_args = 0, n_exception_args = 0, n_previous_args = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:s:a:o:e:x:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'e':
            if (n_evidence_args == 64)
                return usage_error("too many evidence files%s", "");
            evidence_args[n_evidence_args++] = optarg;
            break;
        case 'x':
            if (n_exception_args == 64)
                return usage_error("too many exceptions files%s", "");
            exception_args[n_exception_args++] = optarg;
            break;
        case 8:
            attach = true;
            break;
        case 16:
            input_format = ev_input_format_parse(optarg);
            if (input_format == EV_FORMAT_INVALID)
                return usage_error(
                    "--input-format: unknown format '%s' (expected one of " EV_INPUT_FORMAT_NAMES
                    ")",
                    optarg);
            break;
        case 15: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 100000)
                return usage_error("--pdf-findings: expected a number from 1 to 100000, found "
                                   "'%s'",
                                   optarg);
            pdf_findings = (size_t)v;
            break;
        }
        case 10:
            if (strcmp(optarg, "audit") && strcmp(optarg, "quarterly") &&
                strcmp(optarg, "consultant") && strcmp(optarg, "ticket"))
                return usage_error("--profile: expected audit, quarterly, consultant or ticket, "
                                   "found '%s'",
                                   optarg);
            profile = optarg;
            break;
        case 11:
            ticket = optarg;
            break;
        case 12:
        case 13:
        case 14: {
            /* each may be repeated or given as a comma-separated list */
            const char **list = c == 12 ? sel_services : c == 13 ? sel_resources : sel_controls;
            size_t *n = c == 12 ? &n_sel_services : c == 13 ? &n_sel_resources : &n_sel_controls;
            size_t cap = c == 14 ? 256 : 64;
            for (char *t = optarg; t && *t;) {
                char *comma = strchr(t, ',');
                if (comma)
                    *comma = '\0';
                if (*t) {
                    if (*n == cap)
                        return usage_error("too many values for --service, --resource or "
                                           "--control%s",
                                           "");
                    list[(*n)++] = t;
                }
                t = comma ? comma + 1 : NULL;
            }
            break;
        }
        case 9:
            if (n_previous_args == 64)
                return usage_error("too many previous packs%s", "");
            previous_args[n_previous_args++] = optarg;
            break;
        case 'f':
            if (n_fw_args == sizeof fw_args / sizeof *fw_args)
                return usage_error("too many frameworks%s", "");
            fw_args[n_fw_args++] = optarg;
            break;
        case 's':
            scope_path = optarg;
            break;
        case 'a':
            artifacts_arg = optarg;
            break;
        case 'o':
            out_dir = optarg;
            break;
        case 1:
            as_of_arg = optarg;
            break;
        case 2:
            formats = optarg;
            break;
        case 3:
            templates_arg = optarg;
            break;
        case 4: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1000000)
                return usage_error("--list-limit: expected a number from 1 to 1000000, found "
                                   "'%s'",
                                   optarg);
            list_limit = (size_t)v;
            break;
        }
        case 5:
            force = true;
            break;
        case 6:
            if (strcmp(optarg, "failing") != 0)
                return usage_error("--fail-on: expected 'failing', found '%s'", optarg);
            fail_on_failing = true;
            break;
        case 7:
            services_arg = optarg;
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            print_build_help();
            return EXIT_DONE;
        default:
            fprintf(stderr, "Try '%s'.\n", help_hint);
            return EXIT_INPUT;
        }
    }
    /* the profile follows from the options when not given */
    if (!profile)
        profile = ticket ? "ticket" : n_previous_args ? "quarterly" : "audit";
    bool selecting = n_sel_services || n_sel_resources || n_sel_controls;
    if (strcmp(profile, "ticket") == 0) {
        if (!ticket)
            return usage_error("--profile ticket: missing --ticket ID%s", "");
        if (!selecting)
            return usage_error("--ticket: expected --service, --resource or --control to say "
                               "what the change touches%s",
                               "");
    } else if (ticket || selecting) {
        return usage_error("--ticket, --service, --resource and --control belong to the ticket "
                           "profile (not '%s')",
                           profile);
    }
    if (strcmp(profile, "quarterly") == 0 && !n_previous_args)
        return usage_error("--profile quarterly: expected --previous PACK%s", "");
    if (ticket)
        for (const char *q = ticket; *q; q++)
            if ((unsigned char)*q < 0x20)
                return usage_error("--ticket: expected printable text%s", "");
    if (!scope_path)
        return usage_error("build: missing --scope FILE%s", "");
    if (!out_dir)
        return usage_error("build: missing --output DIR%s", "");
    if (optind >= argc)
        return usage_error("build: missing FINDINGS files (use '-' for stdin)%s", "");
    char as_of[11];
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (!resolve_as_of(as_of_arg, as_of)) {
        if (as_of_arg)
            return usage_error("--as-of: expected a real date as YYYY-MM-DD, found '%s'",
                               as_of_arg);
        if (sde && *sde)
            return usage_error("SOURCE_DATE_EPOCH: expected seconds since 1970-01-01, found "
                               "'%s'",
                               sde);
        return usage_error("build: missing --as-of YYYY-MM-DD (or SOURCE_DATE_EPOCH)%s", "");
    }
    bool want_md = false, want_json = false, want_pdf = false, want_xlsx = false;
    {
        char *list = ev_xstrdup(formats), *save = NULL;
        for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (strcmp(t, "md") == 0)
                want_md = true;
            else if (strcmp(t, "json") == 0)
                want_json = true;
            else if (strcmp(t, "pdf") == 0)
                want_pdf = true;
            else if (strcmp(t, "xlsx") == 0)
                want_xlsx = true;
            else {
                int rc = usage_error("--format: unknown output '%s' (expected md, pdf, xlsx or "
                                     "json)",
                                     t);
                free(list);
                return rc;
            }
        }
        free(list);
        if (!want_md && !want_json && !want_pdf && !want_xlsx)
            return usage_error("--format: expected at least one of md, pdf, xlsx, json%s", "");
    }
    bool exists;
    if (dir_nonempty(out_dir, &exists)) {
        if (!force)
            return usage_error("%s: exists and is not an empty folder (use --force to replace "
                               "an earlier pack)",
                               out_dir);
        /* --force replaces an earlier pack, never a folder of other files */
        ev_buf m = EV_BUF_INIT;
        ev_buf_printf(&m, "%s/manifest.json", out_dir);
        bool is_pack = false;
        ev_json_doc doc;
        ev_error ignored;
        if (ev_json_doc_load(m.data, &doc, &ignored) == EV_OK) {
            const cJSON *sc = cJSON_GetObjectItemCaseSensitive(doc.root, "schema");
            is_pack = cJSON_IsString(sc) && strcmp(sc->valuestring, EV_MANIFEST_SCHEMA) == 0;
            ev_json_doc_free(&doc);
        }
        ev_buf_free(&m);
        if (!is_pack)
            return usage_error("%s: exists and is not an evpack pack (no evpack manifest.json); "
                               "refusing to replace it, even with --force",
                               out_dir);
    }

    ev_error err = {0};
    int rc = EXIT_DONE;
    ev_artifacts *artifacts = NULL;
    ev_services *services = NULL;
    ev_scope *scope = NULL;
    ev_framework *fws[64] = {0};
    size_t n_fws = 0;
    ev_pack_writer *w = NULL;
    ev_store *store = NULL;
    ev_pack *pack = NULL;
    ev_source *sources = NULL;
    size_t n_sources = 0;
    input_rec inputs[80];
    size_t n_inputs = 0;
    ev_manifest_input *minputs = NULL;
    const char **outputs = NULL;
    ev_evidence *evidence[64] = {0};
    cJSON *previous[64] = {0};
    char *previous_names[64] = {0};
    ev_exceptions *exceptions[64] = {0};
    size_t n_att_inputs = 0;
    input_rec *att_inputs = NULL; /* attachments hashed into the manifest */
    char **att_outputs = NULL;    /* attachment names inside the pack, with --attach */
    size_t n_att_outputs = 0;
    char *artifacts_path = artifacts_arg ? ev_xstrdup(artifacts_arg)
                                         : datadir_path(datadir, "frameworks/aws-artifacts.json");
    char *templates = datadir_path(datadir, "templates");
    ev_status s;

    if (!artifacts_path) {
        rc = usage_error("cannot find the bundled Artifact catalogue: use --artifacts FILE%s", "");
        goto done;
    }
    if ((s = ev_artifacts_load(artifacts_path, &artifacts, &err)) != EV_OK) {
        rc = report_error(&err);
        goto done;
    }
    free(artifacts->name);
    artifacts->name = manifest_name(datadir, artifacts_path);
    if ((s = ev_scope_load(scope_path, &scope, &err)) != EV_OK ||
        (s = ev_scope_check(scope, artifacts, &err)) != EV_OK) {
        rc = report_error(&err);
        goto done;
    }
    {
        char *spath = services_arg ? ev_xstrdup(services_arg)
                                   : datadir_path(datadir, "frameworks/aws-services.json");
        struct stat sb;
        /* the bundled catalogue is optional in a custom data folder; a named one is not */
        if (spath && (services_arg || stat(spath, &sb) == 0)) {
            s = ev_services_load(spath, &services, &err);
            if (s == EV_OK)
                s = ev_scope_check_services(scope, services, &err);
            if (s == EV_OK) {
                input_rec *in = &inputs[n_inputs++];
                in->role = ev_xstrdup("services");
                in->path = manifest_name(datadir, spath);
                s = ev_sha256_file(spath, in->sha256, &in->size, &err);
            }
        }
        free(spath);
        if (s != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    if (strcmp(profile, "consultant") == 0 && !scope->branding) {
        rc = usage_error("--profile consultant: the scope has no \"branding\" (client, "
                         "consultancy, logo, accent colour, preamble)%s",
                         "");
        goto done;
    }
    for (size_t i = 0; i < n_sel_services; i++) {
        if (!services || !ev_services_find(services, sel_services[i])) {
            rc = usage_error("--service: unknown service '%s' (see 'evpack matrix --list')",
                             sel_services[i]);
            goto done;
        }
    }
    if (n_fw_args == 0) {
        if (scope->n_frameworks == 0) {
            rc = usage_error("build: no --framework given and the scope names no "
                             "\"frameworks\"%s",
                             "");
            goto done;
        }
        for (size_t i = 0; i < scope->n_frameworks && i < 64; i++)
            fw_args[n_fw_args++] = scope->frameworks[i];
    }
    for (size_t i = 0; i < n_fw_args; i++) {
        char *path = ev_framework_resolve(datadir, fw_args[i]);
        if (!path) {
            rc = usage_error("unknown framework '%s' (see 'evpack frameworks')", fw_args[i]);
            goto done;
        }
        s = ev_framework_load(path, &fws[n_fws], &err);
        if (s == EV_OK) {
            n_fws++;
            s = ev_framework_check_citations(fws[n_fws - 1], artifacts, &err);
        }
        if (s == EV_OK) {
            input_rec *in = &inputs[n_inputs++];
            in->role = ev_xstrdup("framework");
            in->path = manifest_name(datadir, path);
            s = ev_sha256_file(path, in->sha256, &in->size, &err);
        }
        free(path);
        if (s != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    for (size_t i = 0; i < n_evidence_args; i++) {
        if ((s = ev_evidence_load(evidence_args[i], &evidence[i], &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    for (size_t i = 0; i < n_exception_args; i++) {
        if ((s = ev_exceptions_load(exception_args[i], &exceptions[i], &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    for (size_t i = 0; i < n_previous_args; i++) {
        if ((s = ev_pack_load(previous_args[i], &previous[i], &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
        previous_names[i] = pack_label(previous_args[i]);
        const cJSON *pa = cJSON_GetObjectItemCaseSensitive(previous[i], "as_of");
        if (!cJSON_IsString(pa) || strcmp(pa->valuestring, as_of) > 0) {
            rc = usage_error("--previous %s: its as-of date is after this pack's; expected an "
                             "earlier pack",
                             previous_args[i]);
            goto done;
        }
    }
    /* oldest first, whatever order they were given in (stable for equal dates) */
    for (size_t i = 1; i < n_previous_args; i++)
        for (size_t j = i; j > 0; j--) {
            const char *a = cJSON_GetObjectItemCaseSensitive(previous[j - 1], "as_of")->valuestring;
            const char *b = cJSON_GetObjectItemCaseSensitive(previous[j], "as_of")->valuestring;
            if (strcmp(a, b) <= 0)
                break;
            cJSON *t = previous[j];
            previous[j] = previous[j - 1];
            previous[j - 1] = t;
            char *tn = previous_names[j];
            previous_names[j] = previous_names[j - 1];
            previous_names[j - 1] = tn;
            const char *ta = previous_args[j];
            previous_args[j] = previous_args[j - 1];
            previous_args[j - 1] = ta;
        }
    for (size_t i = 0; i < n_sel_controls; i++) {
        /* a ticket about a control that no framework has would silently be empty */
        const char *ref = sel_controls[i], *colon = strchr(ref, ':');
        bool found = false;
        for (size_t k = 0; k < n_fws && !found; k++) {
            size_t fl = colon ? (size_t)(colon - ref) : 0;
            if (colon && (strlen(fws[k]->id) != fl || strncmp(fws[k]->id, ref, fl) != 0))
                continue;
            found = ev_framework_find(fws[k], colon ? colon + 1 : ref) != NULL;
        }
        if (!found) {
            rc = usage_error("--control: '%s' names no control of the frameworks evaluated", ref);
            goto done;
        }
    }
    {
        input_rec *in = &inputs[n_inputs++];
        in->role = ev_xstrdup("artifacts");
        in->path = manifest_name(datadir, artifacts_path);
        if ((s = ev_sha256_file(artifacts_path, in->sha256, &in->size, &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
        in = &inputs[n_inputs++];
        in->role = ev_xstrdup("scope");
        in->path = pack_path(scope_path);
        if ((s = ev_sha256_file(scope_path, in->sha256, &in->size, &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }

    make_parents(out_dir);
    if ((s = ev_pack_writer_open(out_dir, force, &w, &err)) != EV_OK ||
        (s = ev_store_new(ev_pack_writer_dir(w), &store, &err)) != EV_OK) {
        rc = report_error(&err);
        goto done;
    }
    size_t n_files = (size_t)(argc - optind);
    sources = ev_xcalloc(n_files, sizeof *sources);
    progress_state ps = {isatty(STDERR_FILENO) && !quiet, 0};
    for (int i = optind; i < argc; i++) {
        s = ev_ingest_file_as(argv[i], input_format, store, &sources[n_sources], progress, &ps,
                              &err);
        if (ps.last)
            fputc('\n', stderr), ps.last = 0;
        if (s != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
        char *shown = pack_path(sources[n_sources].path);
        free(sources[n_sources].path);
        sources[n_sources].path = shown;
        n_sources++;
    }
    ev_evaluate_input ein = {.frameworks = (const ev_framework *const *)fws,
                             .n_frameworks = n_fws,
                             .artifacts = artifacts,
                             .scope = scope,
                             .as_of = as_of,
                             .list_limit = list_limit,
                             .sources = sources,
                             .n_sources = n_sources,
                             .services = services,
                             .evidence = (const ev_evidence *const *)evidence,
                             .n_evidence = n_evidence_args,
                             .exceptions = (const ev_exceptions *const *)exceptions,
                             .n_exceptions = n_exception_args,
                             .profile = profile,
                             .ticket = ticket,
                             .select_services = sel_services,
                             .n_select_services = n_sel_services,
                             .select_resources = sel_resources,
                             .n_select_resources = n_sel_resources,
                             .select_controls = sel_controls,
                             .n_select_controls = n_sel_controls};
    s = ev_evaluate(store, &ein, &pack, &err);
    sources = NULL; /* the pack owns them now (or freed them on failure) */
    if (s != EV_OK) {
        rc = report_error(&err);
        goto done;
    }
    if (n_previous_args) {
        cJSON *now = ev_pack_to_json(pack);
        pack->comparison =
            ev_diff_packs((const cJSON *const *)previous, (const char *const *)previous_names,
                          n_previous_args, now, "this pack");
        cJSON_Delete(now);
    }
    /* evidence and exceptions files, and every attachment, are inputs too */
    att_inputs =
        ev_xcalloc(n_evidence_args + n_exception_args + pack->n_evidence + 1, sizeof *att_inputs);
    for (size_t i = 0; i < n_evidence_args; i++) {
        input_rec *in = &att_inputs[n_att_inputs++];
        in->role = ev_xstrdup("evidence");
        in->path = pack_path(evidence_args[i]);
        if ((s = ev_sha256_file(evidence_args[i], in->sha256, &in->size, &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    for (size_t i = 0; i < n_exception_args; i++) {
        input_rec *in = &att_inputs[n_att_inputs++];
        in->role = ev_xstrdup("exceptions");
        in->path = pack_path(exception_args[i]);
        if ((s = ev_sha256_file(exception_args[i], in->sha256, &in->size, &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    att_outputs = ev_xcalloc(pack->n_evidence + 1, sizeof *att_outputs);
    att_inputs = ev_xrealloc(
        att_inputs, (n_evidence_args + n_exception_args + pack->n_evidence + n_previous_args + 3) *
                        sizeof *att_inputs);
    if (scope->branding && scope->branding->preamble_path) {
        input_rec *in = &att_inputs[n_att_inputs++];
        memset(in, 0, sizeof *in);
        in->role = ev_xstrdup("preamble");
        in->path = pack_path(scope->branding->preamble_path);
        if ((s = ev_sha256_file(scope->branding->preamble_path, in->sha256, &in->size, &err)) !=
            EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    if (scope->branding && scope->branding->logo) {
        input_rec *in = &att_inputs[n_att_inputs++];
        memset(in, 0, sizeof *in);
        in->role = ev_xstrdup("logo");
        in->path = pack_path(scope->branding->logo_path);
        if ((s = ev_sha256_file(scope->branding->logo_path, in->sha256, &in->size, &err)) !=
            EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    for (size_t i = 0; i < n_previous_args; i++) {
        /* a previous pack is identified by its manifest, which hashes everything in it */
        input_rec *in = &att_inputs[n_att_inputs++];
        memset(in, 0, sizeof *in);
        in->role = ev_xstrdup("previous-pack");
        in->path = ev_xstrdup(previous_names[i]);
        ev_buf m = EV_BUF_INIT;
        ev_buf_printf(&m, "%s/manifest.json", previous_args[i]);
        s = ev_sha256_file(m.data, in->sha256, &in->size, &err);
        ev_buf_free(&m);
        if (s != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
    }
    for (size_t i = 0; i < pack->n_evidence; i++) {
        ev_evidence_result *er = &pack->evidence[i];
        const ev_evidence_item *it = er->item;
        if (!it->file)
            continue;
        input_rec *in = &att_inputs[n_att_inputs++];
        in->role = ev_xstrdup("attachment");
        in->path = pack_path(it->file_path);
        memcpy(in->sha256, it->sha256, sizeof in->sha256);
        in->size = it->file_size;
        if (!attach)
            continue;
        /* the name inside the pack comes from the content's hash, never from input text */
        char name[64];
        snprintf(name, sizeof name, "evidence/%.16s%s", it->sha256, attachment_ext(it->file));
        bool seen = false;
        for (size_t j = 0; j < n_att_outputs && !seen; j++)
            seen = strcmp(att_outputs[j], name) == 0;
        er->attachment = ev_xstrdup(name);
        if (seen)
            continue;
        if ((s = copy_file(it->file_path, ev_pack_writer_path(w, name), &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
        att_outputs[n_att_outputs++] = ev_xstrdup(name);
    }
    minputs = ev_xcalloc(pack->n_sources + n_inputs + n_att_inputs, sizeof *minputs);
    size_t n_min = 0;
    for (size_t i = 0; i < pack->n_sources; i++)
        minputs[n_min++] = (ev_manifest_input){"findings", pack->sources[i].path,
                                               pack->sources[i].sha256, pack->sources[i].bytes};
    for (size_t i = 0; i < n_inputs; i++)
        minputs[n_min++] =
            (ev_manifest_input){inputs[i].role, inputs[i].path, inputs[i].sha256, inputs[i].size};
    for (size_t i = 0; i < n_att_inputs; i++)
        minputs[n_min++] = (ev_manifest_input){att_inputs[i].role, att_inputs[i].path,
                                               att_inputs[i].sha256, att_inputs[i].size};
    {
        /* one digest over every input, printed on the report so a reader can match it */
        ev_buf lines = EV_BUF_INIT;
        for (size_t i = 0; i < n_min; i++)
            ev_buf_printf(&lines, "%s\t%s\t%s\n", minputs[i].role, minputs[i].path,
                          minputs[i].sha256);
        ev_sha256_buf(lines.data ? lines.data : "", lines.len, pack->inputs_digest);
        ev_buf_free(&lines);
    }
    outputs = ev_xcalloc(5 + n_att_outputs, sizeof *outputs);
    size_t n_outputs = 0;
    if (want_md) {
        const char *dirs[2];
        size_t n_dirs = 0;
        if (templates_arg)
            dirs[n_dirs++] = templates_arg;
        if (templates)
            dirs[n_dirs++] = templates;
        if (n_dirs == 0) {
            rc = usage_error("cannot find the bundled templates: use --templates DIR%s", "");
            goto done;
        }
        if ((s = ev_render_md(pack, dirs, n_dirs, ev_pack_writer_path(w, "report.md"), &err)) !=
            EV_OK) {
            rc = report_error(&err);
            goto done;
        }
        outputs[n_outputs++] = "report.md";
    }
    if (want_json) {
        if ((s = ev_render_json(pack, ev_pack_writer_path(w, "pack.json"), &err)) != EV_OK) {
            rc = report_error(&err);
            goto done;
        }
        outputs[n_outputs++] = "pack.json";
    }
    if (want_pdf) {
        ev_pdf_options pdf_opt = {.max_findings_per_control = pdf_findings};
        if ((s = ev_render_pdf(pack, &pdf_opt, ev_pack_writer_path(w, "report.pdf"), &err)) !=
            EV_OK) {
            rc = report_error(&err);
            goto done;
        }
        outputs[n_outputs++] = "report.pdf";
    }
    if (want_xlsx) {
        if ((s = ev_render_xlsx(pack, store, ev_pack_writer_path(w, "workbook.xlsx"), &err)) !=
            EV_OK) {
            rc = report_error(&err);
            goto done;
        }
        outputs[n_outputs++] = "workbook.xlsx";
    }
    cJSON *options = cJSON_CreateObject();
    cJSON *fwo = cJSON_AddArrayToObject(options, "frameworks");
    for (size_t i = 0; i < n_fws; i++)
        cJSON_AddItemToArray(fwo, cJSON_CreateString(fws[i]->id));
    cJSON *fo = cJSON_AddArrayToObject(options, "formats");
    for (size_t i = 0; i < n_outputs; i++)
        if (strncmp(outputs[i], "evidence/", 9) != 0)
            cJSON_AddItemToArray(
                fo, cJSON_CreateString(strcmp(outputs[i], "report.md") == 0       ? "md"
                                       : strcmp(outputs[i], "report.pdf") == 0    ? "pdf"
                                       : strcmp(outputs[i], "workbook.xlsx") == 0 ? "xlsx"
                                                                                  : "json"));
    cJSON_AddNumberToObject(options, "list_limit", (double)pack->list_limit);
    cJSON_AddStringToObject(options, "templates", templates_arg ? "custom" : "bundled");
    cJSON_AddBoolToObject(options, "fail_on_failing", fail_on_failing);
    cJSON_AddBoolToObject(options, "attach", attach);
    cJSON_AddStringToObject(options, "profile", profile);
    for (size_t i = 0; i < n_att_outputs; i++)
        outputs[n_outputs++] = att_outputs[i];
    ev_store_free(store);
    store = NULL;
    s = ev_pack_writer_commit(w, outputs, n_outputs, minputs, n_min, as_of, options, &err);
    w = NULL;
    cJSON_Delete(options);
    if (s != EV_OK) {
        rc = report_error(&err);
        goto done;
    }
    size_t failing = 0;
    for (size_t k = 0; k < pack->n_frameworks; k++)
        failing += pack->frameworks[k].by_status[EV_STATUS_FAILING];
    if (!quiet) {
        printf("evpack: wrote %s (as of %s)\n", out_dir, as_of);
        printf("  findings: %zu read, %zu duplicates, %zu archived, %zu active (",
               pack->findings.read, pack->findings.duplicates, pack->findings.archived,
               pack->findings.active);
        if (pack->findings.excluded)
            printf("%zu outside the ticket's selection; ", pack->findings.excluded);
        printf("%zu suppressed, %zu unrecognised, %zu unmapped)\n", pack->findings.suppressed,
               pack->findings.unrecognised, pack->findings.unmapped);
        if (pack->n_evidence || pack->n_exceptions || pack->findings.stale)
            printf("  stale: %zu findings, %zu manual evidence items, %zu Artifact editions; "
                   "%zu exceptions, %zu findings accepted\n",
                   pack->findings.stale, pack->evidence_expired, pack->stale_editions,
                   pack->n_exceptions, pack->findings.accepted);
        for (size_t k = 0; k < pack->n_frameworks; k++) {
            const ev_framework_result *fr = &pack->frameworks[k];
            printf("  %s: %zu controls:", fr->framework->id, fr->n_controls);
            for (int st = 0; st < EV_CONTROL_STATUS_COUNT; st++)
                printf("%s %zu %s", st ? "," : "", fr->by_status[st],
                       ev_control_status_name((ev_control_status)st));
            printf("\n");
        }
    }
    if (fail_on_failing && failing)
        rc = EXIT_FAILING;
done:
    free(minputs);
    free(outputs);
    for (size_t i = 0; i < n_att_inputs; i++) {
        free(att_inputs[i].role);
        free(att_inputs[i].path);
    }
    free(att_inputs);
    for (size_t i = 0; i < n_att_outputs; i++)
        free(att_outputs[i]);
    free(att_outputs);
    for (size_t i = 0; i < n_evidence_args; i++)
        ev_evidence_free(evidence[i]);
    for (size_t i = 0; i < n_previous_args; i++) {
        cJSON_Delete(previous[i]);
        free(previous_names[i]);
    }
    for (size_t i = 0; i < n_exception_args; i++)
        ev_exceptions_free(exceptions[i]);
    if (w)
        ev_pack_writer_abort(w);
    ev_store_free(store);
    ev_pack_free(pack);
    if (sources) {
        for (size_t i = 0; i < n_sources; i++)
            ev_source_clear(&sources[i]);
        free(sources);
    }
    for (size_t i = 0; i < n_fws; i++)
        ev_framework_free(fws[i]);
    for (size_t i = 0; i < n_inputs; i++) {
        free(inputs[i].role);
        free(inputs[i].path);
    }
    ev_scope_free(scope);
    ev_services_free(services);
    ev_artifacts_free(artifacts);
    free(artifacts_path);
    free(templates);
    return rc;
}

static int cmd_verify(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        print_verify_help();
        return EXIT_DONE;
    }
    if (argc != 2)
        return usage_error("verify: expected one PACK folder%s", "");
    ev_error err = {0};
    char *report = NULL;
    size_t n = 0;
    ev_status s = ev_pack_verify(argv[1], &report, &n, &err);
    if (report && *report)
        fputs(report, stderr);
    free(report);
    if (s == EV_OK) {
        if (!quiet)
            printf("%s: OK (%zu files match the manifest)\n", argv[1], n);
        return EXIT_DONE;
    }
    if (s == EV_ERR_VERIFY) {
        fprintf(stderr, "%s: %s: does NOT match its manifest\n", progname, argv[1]);
        return EXIT_FAILING;
    }
    return report_error(&err);
}

/* Which kind of catalog file: by its "schema" member. */
static const char *schema_of(const char *path, ev_error *err, ev_status *s)
{
    ev_json_doc doc;
    *s = ev_json_doc_load(path, &doc, err);
    if (*s != EV_OK)
        return NULL;
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(doc.root, "schema");
    const char *kind = NULL;
    if (cJSON_IsString(sc)) {
        if (strcmp(sc->valuestring, EV_FRAMEWORK_SCHEMA) == 0)
            kind = "framework";
        else if (strcmp(sc->valuestring, EV_ARTIFACTS_SCHEMA) == 0)
            kind = "artifacts";
        else if (strcmp(sc->valuestring, EV_SCOPE_SCHEMA) == 0)
            kind = "scope";
        else if (strcmp(sc->valuestring, EV_SERVICES_SCHEMA) == 0)
            kind = "services";
        else if (strcmp(sc->valuestring, EV_EVIDENCE_SCHEMA) == 0)
            kind = "evidence";
        else if (strcmp(sc->valuestring, EV_EXCEPTIONS_SCHEMA) == 0)
            kind = "exceptions";
    }
    if (!kind) {
        ev_json_step step = {"schema", 0};
        *s = ev_json_doc_fail(&doc, &step, 1, err,
                              "\"schema\": expected one of \"%s\", \"%s\", \"%s\", \"%s\", "
                              "\"%s\", \"%s\"",
                              EV_FRAMEWORK_SCHEMA, EV_ARTIFACTS_SCHEMA, EV_SCOPE_SCHEMA,
                              EV_SERVICES_SCHEMA, EV_EVIDENCE_SCHEMA, EV_EXCEPTIONS_SCHEMA);
    }
    ev_json_doc_free(&doc);
    return kind;
}

static int cmd_validate(int argc, char **argv, const char *datadir)
{
    const char *artifacts_arg = NULL;
    int first = 1;
    if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        print_validate_help();
        return EXIT_DONE;
    }
    if (argc >= 3 && (strcmp(argv[1], "-a") == 0 || strcmp(argv[1], "--artifacts") == 0)) {
        artifacts_arg = argv[2];
        first = 3;
    }
    if (first >= argc)
        return usage_error("validate: expected one or more files%s", "");
    /* find the catalogue first: citations and editions are checked against it */
    ev_error err = {0};
    ev_status s;
    for (int i = first; i < argc && !artifacts_arg; i++) {
        const char *k = schema_of(argv[i], &err, &s);
        if (k && strcmp(k, "artifacts") == 0)
            artifacts_arg = argv[i];
    }
    char *apath = artifacts_arg ? ev_xstrdup(artifacts_arg)
                                : datadir_path(datadir, "frameworks/aws-artifacts.json");
    ev_artifacts *arts = NULL;
    int bad = 0;
    if (apath && (s = ev_artifacts_load(apath, &arts, &err)) != EV_OK) {
        report_error(&err);
        bad++;
    } else if (arts) {
        free(arts->name);
        arts->name = manifest_name(datadir, apath);
    }
    for (int i = first; i < argc; i++) {
        ev_error_clear(&err);
        const char *kind = schema_of(argv[i], &err, &s);
        if (kind && strcmp(kind, "framework") == 0) {
            ev_framework *fw = NULL;
            s = ev_framework_load(argv[i], &fw, &err);
            if (s == EV_OK && arts)
                s = ev_framework_check_citations(fw, arts, &err);
            if (s == EV_OK && !quiet)
                printf("%s: valid framework %s (%zu controls)\n", argv[i], fw->id, fw->n_controls);
            ev_framework_free(fw);
        } else if (kind && strcmp(kind, "scope") == 0) {
            ev_scope *sc = NULL;
            s = ev_scope_load(argv[i], &sc, &err);
            if (s == EV_OK && arts)
                s = ev_scope_check(sc, arts, &err);
            if (s == EV_OK && !quiet)
                printf("%s: valid scope (%zu Artifact editions)\n", argv[i], sc->n_editions);
            ev_scope_free(sc);
        } else if (kind && strcmp(kind, "services") == 0) {
            ev_services *sv = NULL;
            s = ev_services_load(argv[i], &sv, &err);
            if (s == EV_OK && !quiet)
                printf("%s: valid service catalogue (%zu services, %zu domains)\n", argv[i],
                       sv->n_services, sv->n_domains);
            ev_services_free(sv);
        } else if (kind && strcmp(kind, "evidence") == 0) {
            ev_evidence *ev = NULL;
            s = ev_evidence_load(argv[i], &ev, &err);
            if (s == EV_OK && !quiet)
                printf("%s: valid manual evidence (%zu items)\n", argv[i], ev->n_items);
            ev_evidence_free(ev);
        } else if (kind && strcmp(kind, "exceptions") == 0) {
            ev_exceptions *ex = NULL;
            s = ev_exceptions_load(argv[i], &ex, &err);
            if (s == EV_OK && !quiet)
                printf("%s: valid exceptions (%zu)\n", argv[i], ex->n_items);
            ev_exceptions_free(ex);
        } else if (kind) {
            if (!quiet && arts && apath && strcmp(apath, argv[i]) == 0)
                printf("%s: valid Artifact catalogue (%zu reports)\n", argv[i], arts->n_reports);
        }
        if (s != EV_OK) {
            report_error(&err);
            bad++;
        }
    }
    ev_artifacts_free(arts);
    free(apath);
    return bad ? EXIT_INPUT : EXIT_DONE;
}

/* Prints a document (the matrix, a comparison) as JSON or as Markdown from its template,
 * looked up in tpl_dir first, then among the bundled templates. */
typedef ev_status (*doc_renderer)(const cJSON *doc, const char *const *dirs, size_t n_dirs,
                                  ev_buf *out, ev_error *err);

static int print_document(const cJSON *doc, const char *format, const char *tpl_dir,
                          const char *datadir, doc_renderer render)
{
    if (strcmp(format, "json") == 0) {
        char *text = ev_json_print(doc);
        fputs(text, stdout);
        free(text);
        return EXIT_DONE;
    }
    char *templates = datadir_path(datadir, "templates");
    const char *dirs[2];
    size_t nd = 0;
    if (tpl_dir)
        dirs[nd++] = tpl_dir;
    if (templates)
        dirs[nd++] = templates;
    ev_buf out = EV_BUF_INIT;
    ev_error err = {0};
    int rc = EXIT_DONE;
    if (render(doc, dirs, nd, &out, &err) == EV_OK)
        fputs(ev_buf_cstr(&out), stdout);
    else
        rc = report_error(&err);
    ev_buf_free(&out);
    free(templates);
    return rc;
}

static void print_matrix_help(void)
{
    printf("Usage: evpack matrix [--services LIST] [--format md|json] [--service-catalogue FILE]\n"
           "       evpack matrix --list\n"
           "Print who owns each responsibility domain (physical facilities, guest OS, database\n"
           "engine, encryption, logging ...) for AWS services, from the service catalogue.\n"
           "\n"
           "  --services LIST           comma-separated service ids (default: every service)\n"
           "  --format md|json          output format (default md)\n"
           "  --service-catalogue FILE  catalogue to use (default: the bundled one)\n"
           "  --list                    list the service ids with their name and model\n"
           "  --templates DIR           templates to use before the bundled ones\n");
}

static int cmd_matrix(int argc, char **argv, const char *datadir)
{
    static const struct option opts[] = {{"services", required_argument, NULL, 1},
                                         {"format", required_argument, NULL, 2},
                                         {"service-catalogue", required_argument, NULL, 3},
                                         {"list", no_argument, NULL, 4},
                                         {"templates", required_argument, NULL, 5},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *list = NULL, *format = "md", *catalogue = NULL, *tpl_dir = NULL;
    bool list_only = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 1:
            list = optarg;
            break;
        case 2:
            format = optarg;
            break;
        case 3:
            catalogue = optarg;
            break;
        case 4:
            list_only = true;
            break;
        case 5:
            tpl_dir = optarg;
            break;
        case 'h':
            print_matrix_help();
            return EXIT_DONE;
        default:
            fprintf(stderr, "Try '%s'.\n", help_hint);
            return EXIT_INPUT;
        }
    }
    if (optind < argc)
        return usage_error("matrix: unexpected argument '%s'", argv[optind]);
    if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
        return usage_error("--format: expected md or json, found '%s'", format);
    char *path =
        catalogue ? ev_xstrdup(catalogue) : datadir_path(datadir, "frameworks/aws-services.json");
    if (!path)
        return usage_error("cannot find the bundled service catalogue: use --service-catalogue "
                           "FILE%s",
                           "");
    ev_error err = {0};
    ev_services *sv = NULL;
    ev_status s = ev_services_load(path, &sv, &err);
    free(path);
    if (s != EV_OK)
        return report_error(&err);
    int rc = EXIT_DONE;
    ev_service_row *rows = ev_xcalloc(sv->n_services + 1, sizeof *rows);
    size_t n = 0;
    if (list_only) {
        for (size_t i = 0; i < sv->n_services; i++)
            printf("%-18s %-15s %s\n", sv->services[i].id, sv->services[i].model,
                   sv->services[i].name);
        goto out;
    }
    if (list) {
        char *copy = ev_xstrdup(list), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            const ev_service *v = ev_services_find(sv, t);
            if (!v) {
                rc = usage_error("unknown service '%s' (see 'evpack matrix --list')", t);
                free(copy);
                goto out;
            }
            bool dup = false;
            for (size_t i = 0; i < n && !dup; i++)
                dup = rows[i].service == v;
            if (!dup && n < sv->n_services)
                rows[n++] = (ev_service_row){v, true, 0};
        }
        free(copy);
    } else {
        for (size_t i = 0; i < sv->n_services; i++)
            rows[n++] = (ev_service_row){&sv->services[i], true, 0};
    }
    cJSON *json = ev_services_to_json(sv, rows, n, false, NULL, 0);
    /* the matrix alone has no scope and no findings to count */
    cJSON_ReplaceItemInObjectCaseSensitive(json, "scope", cJSON_CreateString("selected"));
    cJSON_DeleteItemFromObjectCaseSensitive(json, "unknown_resource_types");
    cJSON *row;
    cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(json, "matrix"))
        cJSON_DeleteItemFromObjectCaseSensitive(row, "findings");
    rc = print_document(json, format, tpl_dir, datadir, ev_render_matrix_md);
    cJSON_Delete(json);
out:
    free(rows);
    ev_services_free(sv);
    return rc;
}

static int cmd_diff(int argc, char **argv, const char *datadir)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 1},
                                         {"templates", required_argument, NULL, 2},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *format = "md", *tpl_dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 1) {
            format = optarg;
        } else if (c == 2) {
            tpl_dir = optarg;
        } else if (c == 'h') {
            printf("Usage: evpack diff OLD NEW [--format md|json] [--templates DIR]\n"
                   "Compare two packs: per control the status change, new and resolved\n"
                   "failures, controls newly without evidence, Artifact editions that went\n"
                   "stale, and the counts by status of both. Both packs must verify.\n");
            return EXIT_DONE;
        } else {
            fprintf(stderr, "Try '%s'.\n", help_hint);
            return EXIT_INPUT;
        }
    }
    if (argc - optind != 2)
        return usage_error("diff: expected two packs, OLD and NEW%s", "");
    if (strcmp(format, "md") != 0 && strcmp(format, "json") != 0)
        return usage_error("--format: expected md or json, found '%s'", format);
    ev_error err = {0};
    cJSON *old = NULL, *now = NULL;
    ev_status s = ev_pack_load(argv[optind], &old, &err);
    if (s == EV_OK)
        s = ev_pack_load(argv[optind + 1], &now, &err);
    if (s != EV_OK) {
        cJSON_Delete(old);
        return report_error(&err);
    }
    char *name = pack_label(argv[optind]);
    char *new_name = pack_label(argv[optind + 1]);
    const cJSON *olds[1] = {old};
    const char *names[1] = {name};
    cJSON *cmp = ev_diff_packs(olds, names, 1, now, new_name);
    int rc = print_document(cmp, format, tpl_dir, datadir, ev_render_diff_md);
    cJSON_Delete(cmp);
    cJSON_Delete(old);
    cJSON_Delete(now);
    free(name);
    free(new_name);
    return rc;
}

static int cmd_import_prowler(int argc, char **argv)
{
    if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        printf("Usage: evpack import-prowler FILE.json > my-framework.json\n"
               "Convert a Prowler compliance mapping (legacy or universal schema) into an\n"
               "evpack framework. Every control is \"customer\" and tagged \"needs-review\":\n"
               "decide what is inherited from AWS before relying on the pack. The summary\n"
               "goes to standard error.\n");
        return EXIT_DONE;
    }
    if (argc != 2)
        return usage_error("import-prowler: expected one Prowler compliance FILE%s", "");
    ev_error err = {0};
    cJSON *fw = NULL;
    ev_import_stats st;
    ev_status s = ev_import_prowler(argv[1], &fw, &st, &err);
    if (s != EV_OK)
        return report_error(&err);
    char *text = ev_json_print(fw);
    cJSON_Delete(fw);
    size_t len = text ? strlen(text) : 0;
    bool ok = text && fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
    free(text);
    if (!ok) {
        fprintf(stderr, "%s: cannot write the framework to standard output\n", progname);
        return EXIT_OUTPUT;
    }
    if (!quiet)
        fprintf(stderr,
                "%s: imported %zu requirements as %zu controls (%zu merged by id), %zu AWS "
                "checks; every control is \"customer\" and tagged needs-review\n",
                progname, st.requirements, st.controls, st.merged, st.checks);
    return EXIT_DONE;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmd_frameworks(const char *datadir)
{
    char *dir = datadir_path(datadir, "frameworks");
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        free(dir);
        fprintf(stderr, "%s: cannot find the bundled frameworks (set EVPACK_DATADIR)\n", progname);
        return EXIT_INPUT;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0) {
            names = ev_xrealloc(names, (n + 1) * sizeof *names);
            names[n++] = ev_xstrndup(e->d_name, len - 5);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    int rc = EXIT_DONE;
    printf("%-16s %8s %5s %8s %6s  %-9s %s\n", "ID", "CONTROLS", "AWS", "CUSTOMER", "SHARED",
           "EDITION", "TITLE");
    for (size_t i = 0; i < n; i++) {
        char *path = ev_framework_resolve(datadir, names[i]);
        ev_error err = {0};
        ev_status s;
        /* the folder also holds the Artifact and service catalogues */
        const char *kind = path ? schema_of(path, &err, &s) : NULL;
        if (kind && strcmp(kind, "framework") == 0) {
            ev_framework *fw = NULL;
            if (ev_framework_load(path, &fw, &err) == EV_OK) {
                size_t by[EV_RESP_COUNT] = {0};
                for (size_t c = 0; c < fw->n_controls; c++)
                    by[fw->controls[c].responsibility]++;
                printf("%-16s %8zu %5zu %8zu %6zu  %-9s %s\n", fw->id, fw->n_controls,
                       by[EV_RESP_AWS], by[EV_RESP_CUSTOMER], by[EV_RESP_SHARED], fw->edition,
                       fw->title);
            } else {
                rc = report_error(&err);
            }
            ev_framework_free(fw);
        } else if (!kind) {
            rc = report_error(&err);
        }
        free(path);
        free(names[i]);
    }
    free(names);
    free(dir);
    return rc;
}

int main(int argc, char **argv)
{
    /* past RLIMIT_FSIZE, write() must fail with EFBIG (exit 3, no half pack), not kill us */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        print_main_help();
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        print_main_help();
        return EXIT_DONE;
    }
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0) {
        printf("evpack %s\n", EV_VERSION);
        return EXIT_DONE;
    }
    char *exe = exe_path(argv[0]);
    char *datadir = ev_datadir_find(exe);
    free(exe);
    int rc;
    if (strcmp(cmd, "build") == 0) {
        help_hint = "evpack build --help";
        rc = cmd_build(argc - 1, argv + 1, datadir);
    } else if (strcmp(cmd, "verify") == 0) {
        help_hint = "evpack verify --help";
        rc = cmd_verify(argc - 1, argv + 1);
    } else if (strcmp(cmd, "validate") == 0) {
        help_hint = "evpack validate --help";
        rc = cmd_validate(argc - 1, argv + 1, datadir);
    } else if (strcmp(cmd, "frameworks") == 0)
        rc = cmd_frameworks(datadir);
    else if (strcmp(cmd, "diff") == 0) {
        help_hint = "evpack diff --help";
        rc = cmd_diff(argc - 1, argv + 1, datadir);
    } else if (strcmp(cmd, "import-prowler") == 0)
        rc = cmd_import_prowler(argc - 1, argv + 1);
    else if (strcmp(cmd, "matrix") == 0) {
        help_hint = "evpack matrix --help";
        rc = cmd_matrix(argc - 1, argv + 1, datadir);
    } else
        rc = usage_error("unknown command '%s'", cmd);
    free(datadir);
    return rc;
}
