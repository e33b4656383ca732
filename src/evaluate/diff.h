/* diff.h: the comparison of packs over time (quarterly packs, evpack diff): per control the
 * status change, new and resolved failures, controls newly without evidence, Artifact
 * editions that went stale, and the counts by status of every pack given, as a trend. */
#ifndef EV_DIFF_H
#define EV_DIFF_H

#include <cjson/cJSON.h>

#include "util/status.h"

/* Reads PACK/pack.json after checking the pack against its manifest (a pack that does not
 * verify is refused: EV_ERR_INPUT naming the mismatch). The caller frees *out. */
ev_status ev_pack_load(const char *pack_dir, cJSON **out, ev_error *err);

/* Compares packs: previous[0..n) oldest first (pack.json trees), then current. names are
 * how the previous packs are shown (their folder names), current_name how the current one
 * is. Returns the "comparison" object
 * documented in docs/pack-format.md; the caller frees it with cJSON_Delete. Trees are
 * not modified. */
cJSON *ev_diff_packs(const cJSON *const *previous, const char *const *names, size_t n,
                     const cJSON *current, const char *current_name);

#endif
