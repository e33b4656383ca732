/* framework.c: loads a framework mapping (schema evpack/framework@1, docs/frameworks.md)
 * and enforces its rules: unique control ids, a known section and responsibility, an
 * AWS part with at least one citation for aws/shared controls, a customer part for
 * customer/shared controls, and check ids in a known namespace. */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/fields.h"
#include "util/buf.h"

static const char *const resp_names[EV_RESP_COUNT] = {"aws", "customer", "shared"};

const char *ev_responsibility_name(ev_responsibility r)
{
    return (unsigned)r < EV_RESP_COUNT ? resp_names[r] : "unknown";
}

static const char *const check_namespaces[] = {"securityhub:", "prowler:", "config:", NULL};

static void control_free(ev_control *c)
{
    free(c->id);
    free(c->title);
    free(c->section);
    free(c->rationale);
    free(c->aws_statement);
    for (size_t i = 0; i < c->n_citations; i++) {
        free(c->citations[i].report);
        free(c->citations[i].section);
    }
    free(c->citations);
    free(c->cuec);
    free(c->customer_statement);
    ev_strv_free(c->checks, c->n_checks);
    ev_strv_free(c->aliases, c->n_aliases);
    ev_strv_free(c->tags, c->n_tags);
}

void ev_framework_free(ev_framework *fw)
{
    if (!fw)
        return;
    free(fw->path);
    free(fw->id);
    free(fw->name);
    free(fw->version);
    free(fw->title);
    free(fw->publisher);
    free(fw->edition);
    ev_strv_free(fw->namespaces, fw->n_namespaces);
    for (size_t i = 0; i < fw->n_sections; i++) {
        free(fw->sections[i].id);
        free(fw->sections[i].title);
    }
    free(fw->sections);
    for (size_t i = 0; i < fw->n_controls; i++)
        control_free(&fw->controls[i]);
    free(fw->controls);
    free(fw);
}

static ev_status load_aws_part(ev_fields *w, const cJSON *aws, ev_control *c)
{
    static const char *const known[] = {"statement", "citations", "cuec", NULL};
    ev_status s;
    if ((s = ev_fields_known(w, aws, known)) != EV_OK ||
        (s = ev_fields_str(w, aws, "statement", true, &c->aws_statement)) != EV_OK ||
        (s = ev_fields_str(w, aws, "cuec", false, &c->cuec)) != EV_OK)
        return s;
    const cJSON *cits;
    if ((s = ev_fields_arr(w, aws, "citations", true, &cits)) != EV_OK)
        return s;
    size_t n = (size_t)cJSON_GetArraySize(cits);
    if (n == 0)
        return ev_fields_fail(w, "citations",
                              "control %s is inherited from AWS but cites no Artifact report: "
                              "expected at least one citation",
                              c->id);
    c->citations = ev_xcalloc(n, sizeof *c->citations);
    ev_fields_push_key(w, "citations");
    const cJSON *it;
    size_t i = 0;
    cJSON_ArrayForEach(it, cits)
    {
        ev_fields_push_index(w, i);
        static const char *const cknown[] = {"report", "section", NULL};
        if (!cJSON_IsObject(it))
            s = ev_fields_fail(w, NULL, "expected a citation object {\"report\", \"section\"}");
        else if ((s = ev_fields_known(w, it, cknown)) == EV_OK &&
                 (s = ev_fields_str(w, it, "report", true, &c->citations[i].report)) == EV_OK)
            s = ev_fields_str(w, it, "section", true, &c->citations[i].section);
        c->n_citations = i + 1;
        ev_fields_pop(w);
        if (s != EV_OK)
            break;
        i++;
    }
    ev_fields_pop(w);
    return s;
}

static ev_status load_customer_part(ev_fields *w, const cJSON *cust, ev_control *c)
{
    static const char *const known[] = {"statement", "checks", NULL};
    ev_status s;
    if ((s = ev_fields_known(w, cust, known)) != EV_OK ||
        (s = ev_fields_str(w, cust, "statement", true, &c->customer_statement)) != EV_OK ||
        (s = ev_fields_strs(w, cust, "checks", false, &c->checks, &c->n_checks)) != EV_OK)
        return s;
    for (size_t i = 0; i < c->n_checks; i++) {
        bool ok = false;
        for (const char *const *ns = check_namespaces; *ns && !ok; ns++)
            ok = strncmp(c->checks[i], *ns, strlen(*ns)) == 0 && c->checks[i][strlen(*ns)];
        if (!ok) {
            ev_fields_push_key(w, "checks");
            ev_fields_push_index(w, i);
            s = ev_fields_fail(w, NULL,
                               "check \"%s\": expected securityhub:ID, prowler:ID or config:RULE",
                               c->checks[i]);
            ev_fields_pop(w);
            ev_fields_pop(w);
            return s;
        }
    }
    return EV_OK;
}

static ev_status load_control(ev_fields *w, const ev_framework *fw, const cJSON *o, ev_control *c)
{
    static const char *const known[] = {"id",  "title",    "section", "responsibility", "rationale",
                                        "aws", "customer", "aliases", "tags",           NULL};
    if (!cJSON_IsObject(o))
        return ev_fields_fail(w, NULL, "expected a control object");
    ev_status s;
    char *resp = NULL;
    if ((s = ev_fields_known(w, o, known)) != EV_OK ||
        (s = ev_fields_str(w, o, "id", true, &c->id)) != EV_OK ||
        (s = ev_fields_str(w, o, "title", true, &c->title)) != EV_OK ||
        (s = ev_fields_str(w, o, "section", true, &c->section)) != EV_OK ||
        (s = ev_fields_str(w, o, "rationale", true, &c->rationale)) != EV_OK ||
        (s = ev_fields_strs(w, o, "aliases", false, &c->aliases, &c->n_aliases)) != EV_OK ||
        (s = ev_fields_strs(w, o, "tags", false, &c->tags, &c->n_tags)) != EV_OK ||
        (s = ev_fields_str(w, o, "responsibility", true, &resp)) != EV_OK)
        return s;
    int r = -1;
    for (int i = 0; i < EV_RESP_COUNT; i++)
        if (strcmp(resp, resp_names[i]) == 0)
            r = i;
    if (r < 0) {
        s = ev_fields_fail(w, "responsibility",
                           "unknown responsibility \"%s\": expected \"aws\", \"customer\" or "
                           "\"shared\"",
                           resp);
        free(resp);
        return s;
    }
    free(resp);
    c->responsibility = (ev_responsibility)r;
    bool section_ok = false;
    for (size_t i = 0; i < fw->n_sections && !section_ok; i++)
        section_ok = strcmp(fw->sections[i].id, c->section) == 0;
    if (!section_ok)
        return ev_fields_fail(w, "section", "section \"%s\" is not one of the framework's sections",
                              c->section);

    const cJSON *aws, *cust;
    if ((s = ev_fields_obj(w, o, "aws", false, &aws)) != EV_OK ||
        (s = ev_fields_obj(w, o, "customer", false, &cust)) != EV_OK)
        return s;
    bool wants_aws = c->responsibility != EV_RESP_CUSTOMER;
    bool wants_cust = c->responsibility != EV_RESP_AWS;
    if (wants_aws && !aws)
        return ev_fields_fail(w, NULL,
                              "control %s is \"%s\" but has no \"aws\" part: expected a "
                              "statement and Artifact citations",
                              c->id, resp_names[r]);
    if (!wants_aws && aws)
        return ev_fields_fail(w, "aws", "control %s is \"customer\": expected no \"aws\" part",
                              c->id);
    if (wants_cust && !cust)
        return ev_fields_fail(w, NULL, "control %s is \"%s\" but has no \"customer\" part", c->id,
                              resp_names[r]);
    if (!wants_cust && cust)
        return ev_fields_fail(w, "customer", "control %s is \"aws\": expected no \"customer\" part",
                              c->id);
    if (aws) {
        ev_fields_push_key(w, "aws");
        s = load_aws_part(w, aws, c);
        ev_fields_pop(w);
        if (s != EV_OK)
            return s;
    }
    if (cust) {
        ev_fields_push_key(w, "customer");
        s = load_customer_part(w, cust, c);
        ev_fields_pop(w);
    }
    return s;
}

ev_status ev_framework_load(const char *path, ev_framework **out, ev_error *err)
{
    ev_json_doc doc;
    ev_status s = ev_json_doc_load(path, &doc, err);
    if (s != EV_OK)
        return s;
    ev_fields w = {.doc = &doc, .err = err};
    ev_framework *fw = ev_xcalloc(1, sizeof *fw);
    fw->path = ev_xstrdup(path);
    const cJSON *root = doc.root;
    static const char *const known[] = {"schema",   "id",        "name",    "version",
                                        "title",    "publisher", "edition", "namespaces",
                                        "sections", "controls",  NULL};
    const cJSON *sections, *controls;
    long *lines = NULL, *cols = NULL; /* the controls' positions */
    if ((s = ev_fields_schema(&w, root, EV_FRAMEWORK_SCHEMA)) != EV_OK ||
        (s = ev_fields_known(&w, root, known)) != EV_OK ||
        (s = ev_fields_str(&w, root, "id", true, &fw->id)) != EV_OK ||
        (s = ev_fields_str(&w, root, "name", true, &fw->name)) != EV_OK ||
        (s = ev_fields_str(&w, root, "version", true, &fw->version)) != EV_OK ||
        (s = ev_fields_str(&w, root, "title", true, &fw->title)) != EV_OK ||
        (s = ev_fields_str(&w, root, "publisher", false, &fw->publisher)) != EV_OK ||
        (s = ev_fields_str(&w, root, "edition", true, &fw->edition)) != EV_OK ||
        (s = ev_fields_strs(&w, root, "namespaces", false, &fw->namespaces, &fw->n_namespaces)) !=
            EV_OK ||
        (s = ev_fields_arr(&w, root, "sections", true, &sections)) != EV_OK ||
        (s = ev_fields_arr(&w, root, "controls", true, &controls)) != EV_OK)
        goto done;

    fw->sections = ev_xcalloc((size_t)cJSON_GetArraySize(sections) + 1, sizeof *fw->sections);
    ev_fields_push_key(&w, "sections");
    const cJSON *it;
    cJSON_ArrayForEach(it, sections)
    {
        ev_fields_push_index(&w, fw->n_sections);
        ev_section *sec = &fw->sections[fw->n_sections];
        static const char *const sknown[] = {"id", "title", NULL};
        if (!cJSON_IsObject(it))
            s = ev_fields_fail(&w, NULL, "expected a section object {\"id\", \"title\"}");
        else if ((s = ev_fields_known(&w, it, sknown)) == EV_OK &&
                 (s = ev_fields_str(&w, it, "id", true, &sec->id)) == EV_OK)
            s = ev_fields_str(&w, it, "title", true, &sec->title);
        fw->n_sections++;
        for (size_t j = 0; s == EV_OK && j + 1 < fw->n_sections; j++)
            if (strcmp(fw->sections[j].id, sec->id) == 0)
                s = ev_fields_fail(&w, "id", "duplicate section id \"%s\"", sec->id);
        ev_fields_pop(&w);
        if (s != EV_OK)
            goto done;
    }
    ev_fields_pop(&w);

    size_t n = (size_t)cJSON_GetArraySize(controls);
    if (n == 0) {
        s = ev_fields_fail(&w, "controls", "expected at least one control");
        goto done;
    }
    fw->controls = ev_xcalloc(n, sizeof *fw->controls);
    /* every control's position in one walk (one walk per control was quadratic) */
    lines = ev_xcalloc(n, sizeof *lines);
    cols = ev_xcalloc(n, sizeof *cols);
    ev_json_step at_controls = {"controls", 0};
    ev_json_locate_elements(doc.text, doc.len, &at_controls, 1, n, lines, cols);
    ev_fields_push_key(&w, "controls");
    cJSON_ArrayForEach(it, controls)
    {
        ev_fields_push_index(&w, fw->n_controls);
        ev_control *c = &fw->controls[fw->n_controls++];
        c->line = lines[fw->n_controls - 1];
        c->col = cols[fw->n_controls - 1];
        s = load_control(&w, fw, it, c);
        /* an id (or alias) must name one control only, or findings would map ambiguously */
        for (size_t j = 0; s == EV_OK && j + 1 < fw->n_controls; j++) {
            const ev_control *o = &fw->controls[j];
            if (strcmp(o->id, c->id) == 0)
                s = ev_fields_fail(&w, "id", "duplicate control id \"%s\" (first at line %ld)",
                                   c->id, o->line);
            for (size_t a = 0; s == EV_OK && a < o->n_aliases; a++)
                if (strcmp(o->aliases[a], c->id) == 0)
                    s = ev_fields_fail(&w, "id", "control id \"%s\" is already an alias of %s",
                                       c->id, o->id);
            for (size_t a = 0; s == EV_OK && a < c->n_aliases; a++)
                if (strcmp(c->aliases[a], o->id) == 0)
                    s = ev_fields_fail(&w, "aliases", "alias \"%s\" is already a control id",
                                       c->aliases[a]);
            for (size_t a = 0; s == EV_OK && a < c->n_aliases; a++)
                for (size_t b = 0; s == EV_OK && b < o->n_aliases; b++)
                    if (strcmp(c->aliases[a], o->aliases[b]) == 0)
                        s = ev_fields_fail(&w, "aliases", "alias \"%s\" is already an alias of %s",
                                           c->aliases[a], o->id);
        }
        ev_fields_pop(&w);
        if (s != EV_OK)
            goto done;
    }
    ev_fields_pop(&w);
done:
    free(lines);
    free(cols);
    ev_json_doc_free(&doc);
    if (s != EV_OK) {
        ev_framework_free(fw);
        return s;
    }
    *out = fw;
    return EV_OK;
}

const ev_control *ev_framework_find(const ev_framework *fw, const char *id)
{
    long i = ev_framework_index(fw, id);
    return i < 0 ? NULL : &fw->controls[i];
}

long ev_framework_index(const ev_framework *fw, const char *id)
{
    for (size_t i = 0; i < fw->n_controls; i++)
        if (strcmp(fw->controls[i].id, id) == 0)
            return (long)i;
    for (size_t i = 0; i < fw->n_controls; i++)
        for (size_t a = 0; a < fw->controls[i].n_aliases; a++)
            if (strcmp(fw->controls[i].aliases[a], id) == 0)
                return (long)i;
    return -1;
}

ev_status ev_framework_check_citations(const ev_framework *fw, const ev_artifacts *a, ev_error *err)
{
    for (size_t i = 0; i < fw->n_controls; i++) {
        const ev_control *c = &fw->controls[i];
        for (size_t j = 0; j < c->n_citations; j++)
            if (!ev_artifacts_find(a, c->citations[j].report))
                return ev_error_set(err, EV_ERR_INPUT, fw->path, c->line, c->col,
                                    "control %s cites unknown Artifact report \"%s\" (not in "
                                    "%s)",
                                    c->id, c->citations[j].report, a->name);
    }
    return EV_OK;
}
