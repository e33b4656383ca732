/* fuzz_evidence.c: manual evidence files (ev_evidence_load, schema evpack/evidence@1).
 * The input is written as evidence.json in a private folder that also holds the two
 * attachments samples/evidence.json names, so seeds reach the attachment hashing.
 * Checks: failures are input errors inside the file; a loaded item has controls, dates in
 * order, and an attachment only below the evidence file's folder, hashed. */
#include <string.h>

#include "catalog/catalog.h"
#include "fuzz.h"

static bool ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        static const char csv[] = "reviewer;account;date\nalice;111122223333;2026-09-15\n";
        static const char txt[] = "Security awareness training completed by all staff.\n";
        fz_file("evidence/access-review-2026-q3.csv", csv, sizeof csv - 1);
        fz_file("evidence/awareness-training-2026.txt", txt, sizeof txt - 1);
        ready = true;
    }
    const char *path = fz_file("evidence.json", data, size);
    ev_evidence *e = NULL;
    ev_error err;
    memset(&err, 0, sizeof err);
    ev_status s = ev_evidence_load(path, &e, &err);
    if (s != EV_OK) {
        FZ_ASSERT(e == NULL);
        fz_check_error(s, &err, data, size, false);
        return 0;
    }
    for (size_t i = 0; i < e->n_items; i++) {
        const ev_evidence_item *it = &e->items[i];
        FZ_ASSERT(it->id && it->n_controls > 0 && it->collected);
        for (size_t k = 0; k < it->n_controls; k++)
            FZ_ASSERT(it->controls[k].control && *it->controls[k].control);
        if (it->expires)
            FZ_ASSERT(strcmp(it->collected, it->expires) <= 0);
        if (it->file) {
            FZ_ASSERT(it->file[0] != '/' && !strstr(it->file, ".."));
            FZ_ASSERT(it->file_path && strlen(it->sha256) == 64);
        }
    }
    ev_evidence_free(e);
    return 0;
}
