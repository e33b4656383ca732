/* json.c: the pack.json renderer. ev_pack_to_json turns the pack model into the
 * documented evpack/pack@1 tree (docs/pack-format.md); key order is fixed and arrays keep
 * model order, so the output is byte-identical for the same inputs. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"
#include "util/buf.h"
#include "util/json_arena.h"
#include "util/json_print.h"
#include "util/path.h"

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void add_num(cJSON *o, const char *k, double v)
{
    cJSON_AddNumberToObject(o, k, v);
}

static cJSON *str_array(char *const *v, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

static cJSON *period(const char *start, const char *end)
{
    if (!start && !end)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    add_str(o, "start", start);
    add_str(o, "end", end);
    return o;
}

static cJSON *finding_json(const ev_finding *f)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", f->id);
    add_str(o, "source", f->source);
    add_str(o, "check", f->check);
    add_str(o, "title", f->title);
    add_str(o, "result", ev_result_name(f->result));
    add_str(o, "result_text", f->result_text);
    add_str(o, "severity", ev_severity_name(f->severity));
    add_str(o, "workflow", f->workflow);
    cJSON_AddBoolToObject(o, "suppressed", f->suppressed);
    add_str(o, "accepted_by", f->accepted_by);
    cJSON_AddBoolToObject(o, "stale", f->stale);
    add_str(o, "account", f->account);
    add_str(o, "region", f->region);
    add_str(o, "resource_type", f->resource_type);
    add_str(o, "resource_id", f->resource_id);
    add_str(o, "updated_at", f->updated_text);
    add_str(o, "remediation", f->remediation);
    add_str(o, "remediation_url", f->remediation_url);
    cJSON_AddItemToObject(o, "requirements", str_array(f->requirements, f->n_requirements));
    cJSON *at = cJSON_CreateObject();
    char *shown = f->file ? ev_path_for_pack(f->file) : NULL;
    add_str(at, "file", shown);
    free(shown);
    add_num(at, "line", (double)f->line);
    add_num(at, "col", (double)f->col);
    cJSON_AddItemToObject(o, "source_position", at);
    return o;
}

static cJSON *edition_json(const ev_edition *e)
{
    if (!e)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "period", period(e->period_start, e->period_end));
    add_str(o, "retrieved", e->retrieved);
    add_str(o, "sha256", e->sha256);
    add_str(o, "file", e->file);
    return o;
}

static cJSON *control_json(const ev_control_result *cr)
{
    const ev_control *c = cr->control;
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", c->id);
    add_str(o, "title", c->title);
    add_str(o, "section", c->section);
    add_str(o, "responsibility", ev_responsibility_name(c->responsibility));
    add_str(o, "status", ev_control_status_name(cr->status));
    add_str(o, "rationale", c->rationale);
    add_num(o, "passed", (double)cr->passed);
    add_num(o, "failed", (double)cr->failed);
    add_num(o, "suppressed", (double)cr->suppressed);
    add_num(o, "needs_review", (double)cr->review);
    add_num(o, "accepted", (double)cr->accepted);
    add_num(o, "stale", (double)cr->stale);
    cJSON *man = cJSON_AddObjectToObject(o, "manual_evidence");
    add_num(man, "passed", (double)cr->manual_passed);
    add_num(man, "failed", (double)cr->manual_failed);
    add_num(man, "expired", (double)cr->manual_expired);
    cJSON *ids = cJSON_AddArrayToObject(man, "items");
    for (size_t i = 0; i < cr->n_evidence; i++)
        cJSON_AddItemToArray(ids, cJSON_CreateString(cr->evidence[i]->item->id));
    if (c->responsibility != EV_RESP_CUSTOMER) {
        cJSON *aws = cJSON_CreateObject();
        add_str(aws, "statement", c->aws_statement);
        add_str(aws, "cuec", c->cuec);
        cJSON *cits = cJSON_AddArrayToObject(aws, "citations");
        for (size_t i = 0; i < cr->n_citations; i++) {
            const ev_citation_result *r = &cr->citations[i];
            cJSON *ci = cJSON_CreateObject();
            add_str(ci, "report", r->citation->report);
            add_str(ci, "report_title", r->report ? r->report->title : NULL);
            add_str(ci, "section", r->citation->section);
            add_str(ci, "freshness", ev_freshness_name(r->freshness));
            if (r->edition)
                add_num(ci, "age_days", (double)r->age_days);
            else
                cJSON_AddNullToObject(ci, "age_days");
            cJSON_AddItemToObject(ci, "edition", edition_json(r->edition));
            cJSON_AddItemToArray(cits, ci);
        }
        cJSON_AddItemToObject(o, "aws", aws);
        add_str(o, "citation_freshness", ev_freshness_name(cr->citation_freshness));
    } else {
        cJSON_AddNullToObject(o, "aws");
        cJSON_AddNullToObject(o, "citation_freshness");
    }
    if (c->responsibility != EV_RESP_AWS) {
        cJSON *cu = cJSON_CreateObject();
        add_str(cu, "statement", c->customer_statement);
        cJSON_AddItemToObject(cu, "checks", str_array(c->checks, c->n_checks));
        cJSON_AddItemToObject(o, "customer", cu);
    } else {
        cJSON_AddNullToObject(o, "customer");
    }
    cJSON_AddItemToObject(o, "aliases", str_array(c->aliases, c->n_aliases));
    cJSON_AddItemToObject(o, "tags", str_array(c->tags, c->n_tags));
    cJSON *fl = cJSON_AddArrayToObject(o, "findings");
    for (size_t i = 0; i < cr->n_listed; i++)
        cJSON_AddItemToArray(fl, finding_json(&cr->listed[i]));
    add_num(o, "findings_not_listed", (double)cr->not_listed);
    return o;
}

static cJSON *framework_json(const ev_framework_result *fr)
{
    const ev_framework *fw = fr->framework;
    cJSON *o = cJSON_CreateObject();
    add_str(o, "id", fw->id);
    add_str(o, "name", fw->name);
    add_str(o, "version", fw->version);
    add_str(o, "title", fw->title);
    add_str(o, "publisher", fw->publisher);
    add_str(o, "edition", fw->edition);
    cJSON *sum = cJSON_AddObjectToObject(o, "summary");
    add_num(sum, "controls", (double)fr->n_controls);
    add_num(sum, "mapped_findings", (double)fr->mapped_findings);
    cJSON *br = cJSON_AddObjectToObject(sum, "by_responsibility");
    for (int r = 0; r < EV_RESP_COUNT; r++)
        add_num(br, ev_responsibility_name((ev_responsibility)r), (double)fr->by_responsibility[r]);
    cJSON *bs = cJSON_AddObjectToObject(sum, "by_status");
    for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
        add_num(bs, ev_control_status_name((ev_control_status)s), (double)fr->by_status[s]);
    cJSON *cf = cJSON_AddObjectToObject(sum, "by_citation_freshness");
    add_num(cf, "current", (double)fr->by_citation_freshness[EV_FRESH_CURRENT]);
    add_num(cf, "stale", (double)fr->by_citation_freshness[EV_FRESH_STALE]);
    add_num(cf, "missing", (double)fr->by_citation_freshness[EV_FRESH_MISSING]);
    cJSON *mx = cJSON_AddArrayToObject(sum, "matrix");
    for (int r = 0; r < EV_RESP_COUNT; r++) {
        cJSON *row = cJSON_CreateObject();
        add_str(row, "responsibility", ev_responsibility_name((ev_responsibility)r));
        for (int s = 0; s < EV_CONTROL_STATUS_COUNT; s++)
            add_num(row, ev_control_status_name((ev_control_status)s), (double)fr->matrix[r][s]);
        add_num(row, "total", (double)fr->by_responsibility[r]);
        cJSON_AddItemToArray(mx, row);
    }
    cJSON *secs = cJSON_AddArrayToObject(o, "sections");
    for (size_t i = 0; i < fw->n_sections; i++) {
        cJSON *s = cJSON_CreateObject();
        add_str(s, "id", fw->sections[i].id);
        add_str(s, "title", fw->sections[i].title);
        cJSON_AddItemToArray(secs, s);
    }
    cJSON *ctl = cJSON_AddArrayToObject(o, "controls");
    for (size_t i = 0; i < fr->n_controls; i++)
        cJSON_AddItemToArray(ctl, control_json(&fr->controls[i]));
    return o;
}

/* Every report cited by any framework, in catalogue order, with the edition held. */
static cJSON *artifacts_json(const ev_pack *p)
{
    cJSON *a = cJSON_CreateArray();
    if (!p->artifacts)
        return a;
    for (size_t i = 0; i < p->artifacts->n_reports; i++) {
        const ev_report *r = &p->artifacts->reports[i];
        const ev_citation_result *seen = NULL;
        size_t cited = 0;
        for (size_t k = 0; k < p->n_frameworks; k++)
            for (size_t c = 0; c < p->frameworks[k].n_controls; c++) {
                const ev_control_result *cr = &p->frameworks[k].controls[c];
                for (size_t j = 0; j < cr->n_citations; j++)
                    if (cr->citations[j].report == r) {
                        seen = &cr->citations[j];
                        cited++;
                    }
            }
        if (!seen)
            continue;
        cJSON *o = cJSON_CreateObject();
        add_str(o, "id", r->id);
        add_str(o, "title", r->title);
        add_str(o, "attests", r->attests);
        add_str(o, "issuer", r->issuer);
        add_str(o, "cadence", r->cadence);
        cJSON *fr = cJSON_AddObjectToObject(o, "freshness_rule");
        add_str(fr, "basis", r->freshness_basis);
        add_num(fr, "max_days", (double)r->freshness_days);
        add_num(o, "citations", (double)cited);
        add_str(o, "freshness", ev_freshness_name(seen->freshness));
        if (seen->edition)
            add_num(o, "age_days", (double)seen->age_days);
        else
            cJSON_AddNullToObject(o, "age_days");
        cJSON_AddItemToObject(o, "edition", edition_json(seen->edition));
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

cJSON *ev_services_to_json(const ev_services *sv, const ev_service_row *rows, size_t n_rows,
                           bool automatic, const ev_value_count *unknown, size_t n_unknown)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "edition", sv->edition);
    add_str(o, "scope", automatic ? "auto" : "listed");
    cJSON *doms = cJSON_AddArrayToObject(o, "domains");
    for (size_t d = 0; d < sv->n_domains; d++) {
        cJSON *x = cJSON_CreateObject();
        add_str(x, "id", sv->domains[d].id);
        add_str(x, "title", sv->domains[d].title);
        cJSON_AddItemToArray(doms, x);
    }
    cJSON *mx = cJSON_AddArrayToObject(o, "matrix");
    for (size_t i = 0; i < n_rows; i++) {
        const ev_service *v = rows[i].service;
        cJSON *x = cJSON_CreateObject();
        add_str(x, "id", v->id);
        add_str(x, "name", v->name);
        add_str(x, "model", v->model);
        cJSON_AddBoolToObject(x, "in_scope", rows[i].in_scope);
        add_num(x, "findings", (double)rows[i].findings);
        cJSON *r = cJSON_AddObjectToObject(x, "responsibility");
        for (size_t d = 0; d < sv->n_domains; d++)
            add_str(r, sv->domains[d].id, ev_owner_name(v->owners[d]));
        add_str(x, "note", v->note);
        cJSON_AddItemToArray(mx, x);
    }
    cJSON *uk = cJSON_AddArrayToObject(o, "unknown_resource_types");
    for (size_t i = 0; i < n_unknown; i++) {
        cJSON *x = cJSON_CreateObject();
        add_str(x, "value", unknown[i].value);
        add_num(x, "count", (double)unknown[i].count);
        cJSON_AddItemToArray(uk, x);
    }
    return o;
}

static cJSON *ref_json(const ev_control_ref *r)
{
    ev_buf b = EV_BUF_INIT;
    if (r->framework)
        ev_buf_printf(&b, "%s:", r->framework);
    ev_buf_puts(&b, r->control);
    cJSON *v = cJSON_CreateString(b.data);
    ev_buf_free(&b);
    return v;
}

static cJSON *evidence_json(const ev_pack *p)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < p->n_evidence; i++) {
        const ev_evidence_result *r = &p->evidence[i];
        const ev_evidence_item *it = r->item;
        cJSON *o = cJSON_CreateObject();
        add_str(o, "id", it->id);
        char *shown = ev_path_for_pack(r->file);
        add_str(o, "file", shown);
        free(shown);
        cJSON *cs = cJSON_AddArrayToObject(o, "controls");
        for (size_t j = 0; j < it->n_controls; j++)
            cJSON_AddItemToArray(cs, ref_json(&it->controls[j]));
        add_str(o, "status", it->pass ? "pass" : "fail");
        add_str(o, "state", r->expired ? "expired" : "current");
        add_str(o, "description", it->description);
        add_str(o, "collected_by", it->collected_by);
        add_str(o, "collected", it->collected);
        add_str(o, "expires", it->expires);
        add_num(o, "controls_matched", (double)r->matched);
        add_num(o, "references_unmatched", (double)r->unmatched);
        if (it->file) {
            cJSON *at = cJSON_AddObjectToObject(o, "attachment");
            add_str(at, "file", it->file);
            add_str(at, "sha256", it->sha256);
            add_num(at, "size", (double)it->file_size);
            add_str(at, "in_pack", r->attachment);
        } else {
            cJSON_AddNullToObject(o, "attachment");
        }
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

static cJSON *exceptions_json(const ev_pack *p)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < p->n_exceptions; i++) {
        const ev_exception_result *r = &p->exceptions[i];
        const ev_exception *e = r->exception;
        cJSON *o = cJSON_CreateObject();
        add_str(o, "id", e->id);
        char *shown = ev_path_for_pack(r->file);
        add_str(o, "file", shown);
        free(shown);
        cJSON *cov = cJSON_AddObjectToObject(o, "covers");
        if (e->control)
            cJSON_AddItemToObject(cov, "control", ref_json(e->control));
        else
            cJSON_AddNullToObject(cov, "control");
        add_str(cov, "check", e->check);
        add_str(cov, "finding", e->finding);
        add_str(cov, "resource", e->resource);
        add_str(o, "justification", e->justification);
        add_str(o, "owner", e->owner);
        add_str(o, "approver", e->approver);
        add_str(o, "approved", e->approved);
        add_str(o, "expires", e->expires);
        add_str(o, "state", ev_exception_state_name(r->state));
        add_num(o, "findings_accepted", (double)r->findings);
        cJSON_AddItemToArray(a, o);
    }
    return a;
}

cJSON *ev_pack_to_json(const ev_pack *p)
{
    cJSON *root = cJSON_CreateObject();
    add_str(root, "schema", EV_PACK_SCHEMA);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    add_str(tool, "name", "evpack");
    add_str(tool, "version", p->tool_version);
    add_str(root, "as_of", p->as_of);
    add_str(root, "profile", p->profile ? p->profile : "audit");
    add_str(root, "ticket", p->ticket);
    if (p->n_select_services || p->n_select_resources || p->n_select_controls) {
        cJSON *sel = cJSON_AddObjectToObject(root, "selection");
        cJSON_AddItemToObject(sel, "services", str_array(p->select_services, p->n_select_services));
        cJSON_AddItemToObject(sel, "resources",
                              str_array(p->select_resources, p->n_select_resources));
        cJSON_AddItemToObject(sel, "controls", str_array(p->select_controls, p->n_select_controls));
    } else {
        cJSON_AddNullToObject(root, "selection");
    }
    add_str(root, "inputs_digest", p->inputs_digest[0] ? p->inputs_digest : NULL);
    add_num(root, "list_limit", (double)p->list_limit);

    cJSON *sc = cJSON_AddObjectToObject(root, "scope");
    const ev_scope *s = p->scope;
    add_str(sc, "organisation", s ? s->organisation : NULL);
    add_str(sc, "title", s ? s->title : NULL);
    add_str(sc, "classification", s ? s->classification : NULL);
    cJSON_AddItemToObject(sc, "period",
                          s ? period(s->period_start, s->period_end) : cJSON_CreateNull());
    cJSON_AddItemToObject(sc, "accounts",
                          s ? str_array(s->accounts, s->n_accounts) : cJSON_CreateArray());
    cJSON_AddItemToObject(sc, "regions",
                          s ? str_array(s->regions, s->n_regions) : cJSON_CreateArray());
    if (s && s->services_auto)
        cJSON_AddStringToObject(sc, "services", "auto");
    else
        cJSON_AddItemToObject(sc, "services",
                              s ? str_array(s->services, s->n_services) : cJSON_CreateArray());
    add_num(sc, "max_evidence_age_days", s ? (double)s->max_evidence_age_days : 90);
    const ev_branding *b = s ? s->branding : NULL;
    if (b) {
        cJSON *bo = cJSON_AddObjectToObject(root, "branding");
        add_str(bo, "client", b->client ? b->client : s->organisation);
        add_str(bo, "consultancy", b->consultancy);
        add_str(bo, "author", b->author);
        add_str(bo, "accent_colour", b->accent_colour);
        if (b->logo) {
            cJSON *lo = cJSON_AddObjectToObject(bo, "logo");
            add_str(lo, "file", b->logo);
            add_str(lo, "sha256", b->logo_sha256);
        } else {
            cJSON_AddNullToObject(bo, "logo");
        }
        add_str(bo, "preamble", b->preamble);
    } else {
        cJSON_AddNullToObject(root, "branding");
    }

    cJSON *srcs = cJSON_AddArrayToObject(root, "sources");
    for (size_t i = 0; i < p->n_sources; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "path", p->sources[i].path);
        add_str(o, "format", p->sources[i].format);
        add_num(o, "records", (double)p->sources[i].records);
        add_num(o, "bytes", (double)p->sources[i].bytes);
        add_str(o, "sha256", p->sources[i].sha256);
        cJSON_AddItemToArray(srcs, o);
    }

    const ev_finding_counts *c = &p->findings;
    cJSON *fo = cJSON_AddObjectToObject(root, "findings");
    add_num(fo, "read", (double)c->read);
    add_num(fo, "duplicates", (double)c->duplicates);
    add_num(fo, "archived", (double)c->archived);
    add_num(fo, "active", (double)c->active);
    add_num(fo, "suppressed", (double)c->suppressed);
    add_num(fo, "unrecognised", (double)c->unrecognised);
    add_num(fo, "unmapped", (double)c->unmapped);
    add_num(fo, "excluded", (double)c->excluded);
    add_num(fo, "stale", (double)c->stale);
    add_num(fo, "accepted", (double)c->accepted);
    cJSON *br = cJSON_AddObjectToObject(fo, "by_result");
    for (int r = 0; r < EV_RESULT_COUNT; r++)
        add_num(br, ev_result_name((ev_result)r), (double)c->by_result[r]);
    cJSON *bs = cJSON_AddObjectToObject(fo, "failing_by_severity");
    for (int r = EV_SEV_CRITICAL; r >= EV_SEV_INFORMATIONAL; r--)
        add_num(bs, ev_severity_name((ev_severity)r), (double)c->by_severity[r]);
    add_num(bs, ev_severity_name(EV_SEV_UNKNOWN), (double)c->by_severity[EV_SEV_UNKNOWN]);
    cJSON *bsrc = cJSON_AddArrayToObject(fo, "by_source");
    for (size_t i = 0; i < p->n_by_source; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "source", p->by_source[i].source);
        add_num(o, "active", (double)p->by_source[i].active);
        cJSON *r = cJSON_AddObjectToObject(o, "by_result");
        for (int k = 0; k < EV_RESULT_COUNT; k++)
            add_num(r, ev_result_name((ev_result)k), (double)p->by_source[i].by_result[k]);
        cJSON_AddItemToArray(bsrc, o);
    }
    cJSON *uv = cJSON_AddArrayToObject(fo, "unrecognised_values");
    for (size_t i = 0; i < p->n_unrecognised_values; i++) {
        cJSON *o = cJSON_CreateObject();
        add_str(o, "value", p->unrecognised_values[i].value);
        add_num(o, "count", (double)p->unrecognised_values[i].count);
        cJSON_AddItemToArray(uv, o);
    }
    cJSON *ul = cJSON_AddArrayToObject(fo, "unmapped_listed");
    for (size_t i = 0; i < p->n_unmapped_listed; i++)
        cJSON_AddItemToArray(ul, finding_json(&p->unmapped[i]));
    add_num(fo, "unmapped_not_listed", (double)(c->unmapped - p->n_unmapped_listed));

    cJSON *st = cJSON_AddObjectToObject(root, "stale");
    add_num(st, "findings", (double)c->stale);
    add_num(st, "manual_evidence", (double)p->evidence_expired);
    add_num(st, "artifact_editions", (double)p->stale_editions);
    if (p->comparison)
        cJSON_AddItemToObject(root, "comparison", cJSON_Duplicate(p->comparison, 1));
    else
        cJSON_AddNullToObject(root, "comparison");
    cJSON_AddItemToObject(root, "evidence", evidence_json(p));
    cJSON_AddItemToObject(root, "exceptions", exceptions_json(p));
    if (p->services)
        cJSON_AddItemToObject(root, "services",
                              ev_services_to_json(p->services, p->service_rows, p->n_service_rows,
                                                  p->services_auto, p->unknown_resource_types,
                                                  p->n_unknown_resource_types));
    else
        cJSON_AddNullToObject(root, "services");
    cJSON_AddItemToObject(root, "artifacts", artifacts_json(p));
    cJSON *fws = cJSON_AddArrayToObject(root, "frameworks");
    for (size_t k = 0; k < p->n_frameworks; k++)
        cJSON_AddItemToArray(fws, framework_json(&p->frameworks[k]));
    return root;
}

/* Writes text to path, checking every step (a full disk must not pass silently). */
ev_status ev_write_file(const char *path, const char *text, size_t len, ev_error *err)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "cannot create: %s", strerror(errno));
    size_t w = fwrite(text, 1, len, fp);
    int bad = w != len || fflush(fp) != 0;
    int e = errno;
    if (fclose(fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "cannot write: %s", strerror(e));
    return EV_OK;
}

ev_status ev_render_json(const ev_pack *p, const char *path, ev_error *err)
{
    /* the tree is built, printed and dropped at once */
    ev_json_arena_begin();
    cJSON *root = ev_pack_to_json(p);
    char *text = ev_json_print(root);
    ev_json_arena_end();
    if (!text)
        return ev_error_set(err, EV_ERR_INTERNAL, path, 0, 0, "cannot serialise the pack");
    ev_status rc = ev_write_file(path, text, strlen(text), err);
    free(text);
    return rc;
}
