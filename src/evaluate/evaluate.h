/* evaluate.h: the evaluate stage. Joins the findings in a store to the controls of each
 * framework (by mapped checks and by requirement references), drops archived records,
 * and computes every control's status and the pack's counts. */
#ifndef EV_EVALUATE_H
#define EV_EVALUATE_H

#include "evaluate/model.h"

/* Inputs to one evaluation. The pack keeps pointers to frameworks, artifacts and scope,
 * which must outlive it; sources are moved into the pack (the array is taken over). */
typedef struct {
    const ev_framework *const *frameworks;
    size_t n_frameworks;
    const ev_artifacts *artifacts;
    const ev_scope *scope;
    const char *as_of; /* "YYYY-MM-DD" */
    size_t list_limit; /* 0: default (50) */
    ev_source *sources;
    size_t n_sources;
    const ev_services *services;        /* NULL: no service matrix */
    const ev_evidence *const *evidence; /* manual evidence files */
    size_t n_evidence;
    const ev_exceptions *const *exceptions; /* risk acceptance files */
    size_t n_exceptions;
    const char *profile; /* "audit" (NULL), "quarterly", "consultant" or "ticket" */
    const char *ticket;  /* the change ticket's id (profile ticket) */
    /* A selection (ticket profile): only findings on these services (by resource type)
     * and resources (glob patterns) count, and only these controls (or, without
     * select_controls, the controls those findings map to) are in the pack. */
    const char *const *select_services;
    size_t n_select_services;
    const char *const *select_resources;
    size_t n_select_resources;
    const char *const *select_controls; /* "CONTROL" or "FRAMEWORK-ID:CONTROL" */
    size_t n_select_controls;
} ev_evaluate_input;

/* Evaluates and returns a new pack in *out; the caller frees it with ev_pack_free. */
ev_status ev_evaluate(ev_store *st, const ev_evaluate_input *in, ev_pack **out, ev_error *err);

void ev_pack_free(ev_pack *p);

/* One active finding and the controls it maps to, as "FRAMEWORK-ID:CONTROL-ID" strings
 * (framework order, then control order). Both are valid only during the call. */
typedef ev_status (*ev_finding_visit_fn)(const ev_finding *f, const char *const *controls,
                                         size_t n_controls, void *ctx, ev_error *err);

/* Walks every active finding of the store the pack was evaluated from (winning deliveries,
 * not archived, inside a ticket's selection), in input order, with the controls it maps to: for
 * renderers that list all findings (the workbook) without re-deriving the join. st must be the
 * store given to ev_evaluate. A non-EV_OK return from fn stops the walk and is returned. */
ev_status ev_pack_each_finding(const ev_pack *p, ev_store *st, ev_finding_visit_fn fn, void *ctx,
                               ev_error *err);

/* The join of findings to one framework's controls. */
typedef struct ev_matcher ev_matcher;

/* Indexes fw's checks, ids and aliases. fw must outlive the matcher; the caller frees it
 * with ev_matcher_free. */
ev_matcher *ev_matcher_new(const ev_framework *fw);
void ev_matcher_free(ev_matcher *m);

/* Which controls a finding maps to: stores indexes into fw->controls in idx (at most
 * cap, ascending, without repeats) and returns how many. A finding maps by its check
 * (listed in a control's customer checks) and by each requirement reference
 * "NAMESPACE/ID" whose namespace is one of fw->namespaces and whose ID is a control id
 * or alias. */
size_t ev_matcher_match(const ev_matcher *m, const ev_finding *f, size_t *idx, size_t cap);

#endif
