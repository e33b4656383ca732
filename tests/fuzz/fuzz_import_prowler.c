/* fuzz_import_prowler.c: Prowler compliance mappings (ev_import_prowler, legacy and
 * universal schemas), the importer behind `evpack import-prowler`. Checks: failures are
 * input errors inside the file; a successful import counts sensibly and yields an
 * evpack framework document that ev_framework_load accepts. */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file("prowler.json", data, size);
    cJSON *doc = NULL;
    ev_import_stats stats;
    memset(&stats, 0, sizeof stats);
    ev_error err;
    memset(&err, 0, sizeof err);
    ev_status s = ev_import_prowler(path, &doc, &stats, &err);
    if (s != EV_OK) {
        fz_check_error(s, &err, data, size, false);
        cJSON_Delete(doc);
        return 0;
    }
    FZ_ASSERT(doc != NULL);
    FZ_ASSERT(stats.controls + stats.merged == stats.requirements);
    if (stats.controls == 0) { /* nothing to load: a framework needs a control */
        cJSON_Delete(doc);
        return 0;
    }
    /* what import-prowler writes must load as a framework */
    char *text = cJSON_Print(doc);
    FZ_ASSERT(text != NULL);
    const char *fw_path = fz_file("imported.json", text, strlen(text));
    ev_framework *fw = NULL;
    ev_status ls = ev_framework_load(fw_path, &fw, &err);
    if (ls != EV_OK)
        fprintf(stderr, "imported framework does not load: %s:%ld:%ld: %s\n", err.file, err.line,
                err.col, err.msg);
    FZ_ASSERT(ls == EV_OK);
    FZ_ASSERT(fw->n_controls == stats.controls);
    ev_framework_free(fw);
    free(text);
    cJSON_Delete(doc);
    return 0;
}
