/* services.c: loads the AWS service catalogue (schema evpack/services@1,
 * docs/services.md): each service's model and who owns each responsibility domain, and
 * the ASFF resource types that reveal the service. */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "catalog/fields.h"
#include "util/buf.h"

static const char *const owner_names[EV_OWNER_COUNT] = {"aws", "customer", "shared",
                                                        "not-applicable"};

const char *ev_owner_name(ev_owner o)
{
    return (unsigned)o < EV_OWNER_COUNT ? owner_names[o] : "unknown";
}

void ev_services_free(ev_services *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_domains; i++) {
        free(s->domains[i].id);
        free(s->domains[i].title);
    }
    free(s->domains);
    for (size_t i = 0; i < s->n_services; i++) {
        ev_service *v = &s->services[i];
        free(v->id);
        free(v->name);
        free(v->model);
        free(v->note);
        ev_strv_free(v->resource_types, v->n_resource_types);
        free(v->owners);
    }
    free(s->services);
    free(s->edition);
    free(s->path);
    free(s);
}

static ev_status load_service(ev_fields *w, const ev_services *sv, const cJSON *o, ev_service *v)
{
    static const char *const known[] = {"id",   "name", "model", "resource_types", "responsibility",
                                        "note", NULL};
    static const char *const models[] = {"infrastructure", "container", "abstracted", NULL};
    if (!cJSON_IsObject(o))
        return ev_fields_fail(w, NULL, "expected a service object");
    ev_status s;
    const cJSON *resp;
    if ((s = ev_fields_known(w, o, known)) != EV_OK ||
        (s = ev_fields_str(w, o, "id", true, &v->id)) != EV_OK ||
        (s = ev_fields_str(w, o, "name", true, &v->name)) != EV_OK ||
        (s = ev_fields_str(w, o, "model", true, &v->model)) != EV_OK ||
        (s = ev_fields_str(w, o, "note", false, &v->note)) != EV_OK ||
        (s = ev_fields_strs(w, o, "resource_types", false, &v->resource_types,
                            &v->n_resource_types)) != EV_OK ||
        (s = ev_fields_obj(w, o, "responsibility", true, &resp)) != EV_OK)
        return s;
    bool model_ok = false;
    for (const char *const *m = models; *m && !model_ok; m++)
        model_ok = strcmp(*m, v->model) == 0;
    if (!model_ok)
        return ev_fields_fail(w, "model",
                              "unknown service model \"%s\": expected \"infrastructure\", "
                              "\"container\" or \"abstracted\"",
                              v->model);
    v->owners = ev_xcalloc(sv->n_domains + 1, sizeof *v->owners);
    ev_fields_push_key(w, "responsibility");
    for (size_t d = 0; d < sv->n_domains && s == EV_OK; d++) {
        const cJSON *val = cJSON_GetObjectItemCaseSensitive(resp, sv->domains[d].id);
        if (!val) {
            s = ev_fields_fail(w, NULL, "service %s: missing domain \"%s\"", v->id,
                               sv->domains[d].id);
            break;
        }
        int found = -1;
        for (int k = 0; k < EV_OWNER_COUNT && cJSON_IsString(val); k++)
            if (strcmp(val->valuestring, owner_names[k]) == 0)
                found = k;
        if (found < 0)
            s = ev_fields_fail(w, sv->domains[d].id,
                               "\"%s\": expected \"aws\", \"customer\", \"shared\" or "
                               "\"not-applicable\"",
                               sv->domains[d].id);
        else
            v->owners[d] = (ev_owner)found;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, resp)
    {
        bool ok = false;
        for (size_t d = 0; d < sv->n_domains && !ok; d++)
            ok = strcmp(sv->domains[d].id, it->string) == 0;
        if (!ok && s == EV_OK)
            s = ev_fields_fail(w, it->string, "unknown domain \"%s\"", it->string);
    }
    ev_fields_pop(w);
    return s;
}

ev_status ev_services_load(const char *path, ev_services **out, ev_error *err)
{
    ev_json_doc doc;
    ev_status s = ev_json_doc_load(path, &doc, err);
    if (s != EV_OK)
        return s;
    ev_fields w = {.doc = &doc, .err = err};
    ev_services *sv = ev_xcalloc(1, sizeof *sv);
    sv->path = ev_xstrdup(path);
    static const char *const known[] = {"schema", "edition", "domains", "services", NULL};
    const cJSON *domains, *services, *it;
    if ((s = ev_fields_schema(&w, doc.root, EV_SERVICES_SCHEMA)) != EV_OK ||
        (s = ev_fields_known(&w, doc.root, known)) != EV_OK ||
        (s = ev_fields_str(&w, doc.root, "edition", true, &sv->edition)) != EV_OK ||
        (s = ev_fields_arr(&w, doc.root, "domains", true, &domains)) != EV_OK ||
        (s = ev_fields_arr(&w, doc.root, "services", true, &services)) != EV_OK)
        goto done;
    sv->domains = ev_xcalloc((size_t)cJSON_GetArraySize(domains) + 1, sizeof *sv->domains);
    ev_fields_push_key(&w, "domains");
    cJSON_ArrayForEach(it, domains)
    {
        ev_fields_push_index(&w, sv->n_domains);
        ev_domain *d = &sv->domains[sv->n_domains++];
        if (!cJSON_IsObject(it))
            s = ev_fields_fail(&w, NULL, "expected a domain object {\"id\", \"title\"}");
        else if ((s = ev_fields_str(&w, it, "id", true, &d->id)) == EV_OK)
            s = ev_fields_str(&w, it, "title", true, &d->title);
        for (size_t j = 0; s == EV_OK && j + 1 < sv->n_domains; j++)
            if (strcmp(sv->domains[j].id, d->id) == 0)
                s = ev_fields_fail(&w, "id", "duplicate domain id \"%s\"", d->id);
        ev_fields_pop(&w);
        if (s != EV_OK)
            goto done;
    }
    ev_fields_pop(&w);
    sv->services = ev_xcalloc((size_t)cJSON_GetArraySize(services) + 1, sizeof *sv->services);
    ev_fields_push_key(&w, "services");
    cJSON_ArrayForEach(it, services)
    {
        ev_fields_push_index(&w, sv->n_services);
        ev_service *v = &sv->services[sv->n_services++];
        s = load_service(&w, sv, it, v);
        for (size_t j = 0; s == EV_OK && j + 1 < sv->n_services; j++) {
            const ev_service *o = &sv->services[j];
            if (strcmp(o->id, v->id) == 0)
                s = ev_fields_fail(&w, "id", "duplicate service id \"%s\"", v->id);
            /* a resource type must reveal one service only */
            for (size_t a = 0; s == EV_OK && a < v->n_resource_types; a++)
                for (size_t b = 0; s == EV_OK && b < o->n_resource_types; b++)
                    if (strcmp(v->resource_types[a], o->resource_types[b]) == 0)
                        s = ev_fields_fail(&w, "resource_types",
                                           "resource type \"%s\" is already listed under %s",
                                           v->resource_types[a], o->id);
        }
        ev_fields_pop(&w);
        if (s != EV_OK)
            goto done;
    }
    ev_fields_pop(&w);
done:
    ev_json_doc_free(&doc);
    if (s != EV_OK) {
        ev_services_free(sv);
        return s;
    }
    *out = sv;
    return EV_OK;
}

const ev_service *ev_services_find(const ev_services *s, const char *id)
{
    for (size_t i = 0; i < s->n_services; i++)
        if (strcmp(s->services[i].id, id) == 0)
            return &s->services[i];
    return NULL;
}

const ev_service *ev_services_by_resource_type(const ev_services *s, const char *type)
{
    for (size_t i = 0; i < s->n_services; i++)
        for (size_t j = 0; j < s->services[i].n_resource_types; j++)
            if (strcmp(s->services[i].resource_types[j], type) == 0)
                return &s->services[i];
    return NULL;
}
