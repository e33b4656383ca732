/* pack.h: the pack writer. Builds a pack in a temporary folder beside the target,
 * hashes every output into manifest.json and SHA256SUMS, and renames the folder into
 * place, so an interrupted run never leaves a half pack nor destroys the previous one.
 * Also verifies an existing pack against its manifest. */
#ifndef EV_PACK_H
#define EV_PACK_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/status.h"

#define EV_MANIFEST_SCHEMA "evpack/manifest@1"

typedef struct ev_pack_writer ev_pack_writer;

/* An input recorded in the manifest. */
typedef struct {
    const char *role; /* "findings", "framework", "artifacts", "scope" */
    const char *path; /* as given by the user */
    const char *sha256;
    unsigned long long size;
} ev_manifest_input;

/* Starts a pack at target. Refuses (EV_ERR_OUTPUT) an existing target that is not an
 * empty folder unless force is set. Creates the temporary folder
 * "<dir>/.<name>.tmp-XXXXXX" and holds an flock on it until commit or abort; first removes
 * what killed runs for the same target left beside it (temporary folders no live run
 * holds, and ".<name>.old-XXXXXX" folders when the target exists). The caller finishes
 * with ev_pack_writer_commit or discards with ev_pack_writer_abort; either frees the
 * writer. */
ev_status ev_pack_writer_open(const char *target, bool force, ev_pack_writer **out,
                              ev_error *err);

/* Full path of name inside the temporary folder (valid until commit/abort), for a
 * renderer to write to. name is one of the fixed output names, never input text; it may
 * contain folders ("evidence/x.pdf"), which are created on the way. */
const char *ev_pack_writer_path(ev_pack_writer *w, const char *name);

/* Path of the temporary folder (for spill files that must not land in the pack, use a
 * name starting with "." — these are removed before commit). */
const char *ev_pack_writer_dir(const ev_pack_writer *w);

/* Hashes the outputs written (the names given, in that order), writes manifest.json
 * (tool version, as-of date, options, inputs, outputs with SHA-256 and size) and
 * SHA256SUMS (outputs and manifest.json), fsyncs, and renames into place.
 * options is a JSON object recorded as is, members in their order (not freed; NULL
 * records {}). Input paths are recorded exactly as given (ill-formed UTF-8 becomes
 * U+FFFD). Every file in the temporary folder must be a listed output, and output names
 * must be relative, without "."/".." or hidden components: otherwise EV_ERR_INTERNAL.
 * Write, sync and rename failures are EV_ERR_OUTPUT; the temporary folder is then
 * removed and any previous target left as it was. An existing target is replaced with
 * renameat2(RENAME_EXCHANGE) where supported, so it never stops naming a whole pack;
 * elsewhere it is absent between two renames. Frees w in every case. */
ev_status ev_pack_writer_commit(ev_pack_writer *w, const char *const *outputs, size_t n_outputs,
                                const ev_manifest_input *inputs, size_t n_inputs,
                                const char *as_of, const cJSON *options, ev_error *err);

/* Removes the temporary folder and frees w. */
void ev_pack_writer_abort(ev_pack_writer *w);

/* Result of a verification: one line per problem is appended to report (when not NULL).
 * Returns EV_OK when every file listed in manifest.json and SHA256SUMS exists with the
 * recorded size and SHA-256, and no unlisted file is in the pack; EV_ERR_VERIFY on any
 * mismatch; EV_ERR_INPUT when the manifest itself is unreadable or malformed (err then
 * carries its line and column). *report is always set to a malloc'd string (empty when
 * all is well) that the caller frees; *n_checked counts the files whose hash was checked
 * (outputs and manifest.json). */
ev_status ev_pack_verify(const char *pack_dir, char **report, size_t *n_checked, ev_error *err);

#endif
