/* import_prowler.c: "bring your own mapping". Converts a Prowler compliance file into an
 * evpack framework, so any framework Prowler maps can be packed: responsibility defaults to
 * customer and every control is tagged for review, since Prowler says nothing about what
 * is inherited from AWS. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/fields.h"
#include "util/buf.h"

/* A member by either spelling: legacy files capitalise ("Requirements"), universal ones
 * do not ("requirements"). */
static const cJSON *member(const cJSON *o, const char *upper, const char *lower)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, upper);
    return v ? v : cJSON_GetObjectItemCaseSensitive(o, lower);
}

static const char *str_member(const cJSON *o, const char *upper, const char *lower)
{
    const cJSON *v = member(o, upper, lower);
    return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* A lower-case id from free text: letters and digits kept, runs of others become "-". */
static char *slug(const char *a, const char *b)
{
    ev_buf out = EV_BUF_INIT;
    const char *parts[2] = {a, b};
    for (int k = 0; k < 2; k++) {
        if (!parts[k] || !*parts[k])
            continue;
        if (out.len && out.data[out.len - 1] != '-')
            ev_buf_putc(&out, '-');
        for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
            if (isalnum(*p) || *p == '.')
                ev_buf_putc(&out, (char)tolower(*p));
            else if (out.len && out.data[out.len - 1] != '-')
                ev_buf_putc(&out, '-');
        }
    }
    while (out.len && out.data[out.len - 1] == '-')
        out.data[--out.len] = '\0';
    return out.len ? ev_buf_detach(&out) : (ev_buf_free(&out), ev_xstrdup("imported"));
}

/* A short title from a long description: the first sentence, at most ~120 bytes, cut at
 * a space (never inside a UTF-8 sequence). */
static char *short_title(const char *text)
{
    size_t n = strcspn(text, "\n");
    const char *dot = strstr(text, ". ");
    if (dot && (size_t)(dot - text) < n)
        n = (size_t)(dot - text);
    if (n <= 120)
        return ev_xstrndup(text, n);
    size_t cut = 120;
    while (cut > 40 && text[cut] != ' ')
        cut--;
    if (text[cut] != ' ')
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
    ev_buf b = EV_BUF_INIT;
    ev_buf_put(&b, text, cut);
    ev_buf_puts(&b, "\xE2\x80\xA6");
    return ev_buf_detach(&b);
}

/* The requirement's section text: "Section", else ISO's "Category". */
static const char *section_of(const cJSON *req)
{
    const cJSON *attrs = member(req, "Attributes", "attributes");
    const cJSON *a = cJSON_IsArray(attrs) ? attrs->child : attrs;
    if (!cJSON_IsObject(a))
        return NULL;
    const char *s = str_member(a, "Section", "section");
    return s ? s : str_member(a, "Category", "category");
}

/* Section id: the number before ": " when there is a short one ("1.2.5: Network ..."). */
static char *section_id(const char *text, size_t ordinal)
{
    const char *colon = strstr(text, ": ");
    if (colon && colon > text && colon - text <= 16)
        return ev_xstrndup(text, (size_t)(colon - text));
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "S%zu", ordinal);
    return ev_buf_detach(&b);
}

static cJSON *find_by_id(const cJSON *array, const char *id)
{
    cJSON *it;
    cJSON_ArrayForEach(it, array)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0)
            return it;
    }
    return NULL;
}

static void add_check(cJSON *checks, const char *check)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "prowler:%s", check);
    const cJSON *it;
    cJSON_ArrayForEach(it, checks) if (strcmp(it->valuestring, b.data) == 0)
    {
        ev_buf_free(&b);
        return;
    }
    cJSON_AddItemToArray(checks, cJSON_CreateString(b.data));
    ev_buf_free(&b);
}

ev_status ev_import_prowler(const char *path, cJSON **out, ev_import_stats *stats, ev_error *err)
{
    ev_json_doc doc;
    ev_status s = ev_json_doc_load(path, &doc, err);
    if (s != EV_OK)
        return s;
    ev_import_stats st = {0};
    const cJSON *root = doc.root;
    const char *framework = str_member(root, "Framework", "framework");
    const char *version = str_member(root, "Version", "version");
    const char *name = str_member(root, "Name", "name");
    const cJSON *reqs = member(root, "Requirements", "requirements");
    if (!framework || !cJSON_IsArray(reqs)) {
        ev_json_step step = {NULL, 0};
        s = ev_json_doc_fail(&doc, &step, 0, err,
                             "expected a Prowler compliance file: \"Framework\" and "
                             "\"Requirements\" (or \"framework\" and \"requirements\")");
        ev_json_doc_free(&doc);
        return s;
    }
    cJSON *fw = cJSON_CreateObject();
    cJSON_AddStringToObject(fw, "schema", EV_FRAMEWORK_SCHEMA);
    char *id = slug(framework, version);
    cJSON_AddStringToObject(fw, "id", id);
    free(id);
    cJSON_AddStringToObject(fw, "name", framework);
    cJSON_AddStringToObject(fw, "version", version ? version : "unversioned");
    cJSON_AddStringToObject(fw, "title", name ? name : framework);
    cJSON_AddStringToObject(fw, "publisher", "imported from a Prowler compliance mapping");
    cJSON_AddStringToObject(fw, "edition", "imported");
    /* Prowler's own findings name the framework "FRAMEWORK-VERSION" (or the name alone) */
    cJSON *ns = cJSON_AddArrayToObject(fw, "namespaces");
    ev_buf nsb = EV_BUF_INIT;
    ev_buf_printf(&nsb, "%s-%s", framework, version ? version : "");
    if (version && *version)
        cJSON_AddItemToArray(ns, cJSON_CreateString(nsb.data));
    cJSON_AddItemToArray(ns, cJSON_CreateString(framework));
    ev_buf_free(&nsb);
    cJSON *sections = cJSON_AddArrayToObject(fw, "sections");
    cJSON *controls = cJSON_AddArrayToObject(fw, "controls");
    /* section text -> id, in order of first appearance */
    cJSON *section_ids = cJSON_CreateObject();
    size_t i = 0;
    const cJSON *req;
    cJSON_ArrayForEach(req, reqs)
    {
        ev_json_step path_to[2] = {{cJSON_GetObjectItemCaseSensitive(root, "Requirements")
                                        ? "Requirements"
                                        : "requirements",
                                    0},
                                   {NULL, i}};
        const char *rid = cJSON_IsObject(req) ? str_member(req, "Id", "id") : NULL;
        if (!rid) {
            s = ev_json_doc_fail(&doc, path_to, 2, err,
                                 "requirement %zu: expected an object with a string \"Id\"", i + 1);
            break;
        }
        st.requirements++;
        const char *desc = str_member(req, "Description", "description");
        const char *rname = str_member(req, "Name", "name");
        const char *sec = section_of(req);
        const char *sec_text = sec ? sec : "Requirements";
        const cJSON *known = cJSON_GetObjectItemCaseSensitive(section_ids, sec_text);
        char *sid;
        if (known) {
            sid = ev_xstrdup(known->valuestring);
        } else {
            sid = section_id(sec_text, (size_t)cJSON_GetArraySize(sections) + 1);
            /* two texts with the same number prefix get distinct ids */
            while (find_by_id(sections, sid)) {
                ev_buf b = EV_BUF_INIT;
                ev_buf_printf(&b, "%s'", sid);
                free(sid);
                sid = ev_buf_detach(&b);
            }
            cJSON_AddStringToObject(section_ids, sec_text, sid);
            cJSON *so = cJSON_CreateObject();
            cJSON_AddStringToObject(so, "id", sid);
            cJSON_AddStringToObject(so, "title", sec_text);
            cJSON_AddItemToArray(sections, so);
        }
        cJSON *c = find_by_id(controls, rid);
        if (c) {
            st.merged++;
        } else {
            c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "id", rid);
            char *title = short_title(rname ? rname : desc ? desc : rid);
            cJSON_AddStringToObject(c, "title", title[0] ? title : rid);
            free(title);
            cJSON_AddStringToObject(c, "section", sid);
            cJSON_AddStringToObject(c, "responsibility", "customer");
            ev_buf why = EV_BUF_INIT;
            ev_buf_puts(&why, "Imported from Prowler: responsibility defaults to the customer "
                              "until reviewed against the AWS shared responsibility model.");
            /* CSA CCM says who owns the control per service model: keep it for the review */
            const cJSON *attrs = member(req, "Attributes", "attributes");
            const cJSON *a = cJSON_IsArray(attrs) ? attrs->child : attrs;
            const char *iaas = cJSON_IsObject(a) ? str_member(a, "IaaS", "iaas") : NULL;
            if (iaas)
                ev_buf_printf(
                    &why, " The source gives ownership as IaaS %s, PaaS %s, SaaS %s.", iaas,
                    str_member(a, "PaaS", "paas") ? str_member(a, "PaaS", "paas") : "not stated",
                    str_member(a, "SaaS", "saas") ? str_member(a, "SaaS", "saas") : "not stated");
            cJSON_AddStringToObject(c, "rationale", why.data);
            ev_buf_free(&why);
            cJSON *cu = cJSON_AddObjectToObject(c, "customer");
            cJSON_AddStringToObject(cu, "statement", desc ? desc : rname ? rname : rid);
            cJSON_AddArrayToObject(cu, "checks");
            cJSON *tags = cJSON_AddArrayToObject(c, "tags");
            cJSON_AddItemToArray(tags, cJSON_CreateString("needs-review"));
            cJSON_AddItemToArray(controls, c);
        }
        free(sid);
        cJSON *checks = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(c, "customer"), "checks");
        const cJSON *rc = member(req, "Checks", "checks");
        /* universal files map checks per provider; only AWS's apply here */
        if (cJSON_IsObject(rc))
            rc = cJSON_GetObjectItemCaseSensitive(rc, "aws");
        const cJSON *chk;
        if (!cJSON_IsArray(rc))
            rc = NULL;
        cJSON_ArrayForEach(chk, rc)
        {
            if (cJSON_IsString(chk) && chk->valuestring[0]) {
                size_t before = (size_t)cJSON_GetArraySize(checks);
                add_check(checks, chk->valuestring);
                st.checks += (size_t)cJSON_GetArraySize(checks) - before;
            }
        }
        i++;
    }
    cJSON_Delete(section_ids);
    ev_json_doc_free(&doc);
    if (s != EV_OK) {
        cJSON_Delete(fw);
        return s;
    }
    st.controls = (size_t)cJSON_GetArraySize(controls);
    if (stats)
        *stats = st;
    *out = fw;
    return EV_OK;
}
