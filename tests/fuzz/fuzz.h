/* fuzz.h: what the libFuzzer harnesses in tests/fuzz share. Each fuzz_NAME.c defines
 * LLVMFuzzerTestOneInput; it is linked either with libFuzzer (-fsanitize=fuzzer, the
 * EV_FUZZ build) or with replay.c, a main() that runs it once over every file of the
 * corpus and regression folders (the ordinary build's ctest, and check-sanitize's).
 *
 * Harnesses abort (through FZ_ASSERT) when an invariant of the code under test breaks,
 * so a broken promise is a crash the fuzzer reports, like a memory error. */
#ifndef EV_FUZZ_H
#define EV_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_ASSERT(cond)                                                                            \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fz_fail(__FILE__, __LINE__, #cond);                                                    \
    } while (0)

/* Prints the broken invariant and aborts. */
_Noreturn void fz_fail(const char *file, int line, const char *what);

/* The harness's private temporary folder, created on first use under $TMPDIR (or /tmp)
 * and removed at exit with what it holds. */
const char *fz_dir(void);

/* Writes data[0..size) to name inside fz_dir() (replacing it) and returns its path,
 * valid until the next fz_file or fz_path call. name may hold one '/' level, whose
 * folder is created. */
const char *fz_file(const char *name, const void *data, size_t size);

/* Path of name inside fz_dir() (valid until the next fz_file or fz_path call). */
const char *fz_path(const char *name);

/* A read-only stream over a copy of data (an empty one for size 0). The caller closes it
 * with fz_fclose, which frees the copy. */
FILE *fz_fopen(const void *data, size_t size);
void fz_fclose(FILE *fp);

/* Checks what every failure must give: a status among those allowed (EV_ERR_INPUT always;
 * EV_ERR_IO when io_ok), a message, and when a line is given, a position that lies inside
 * the input (lines counted from data, columns in bytes, the end of input allowed).
 * With EV_FUZZ_VERBOSE set in the environment, prints the message (to see what seeds
 * reach). */
void fz_check_error(ev_status s, const ev_error *err, const void *data, size_t size, bool io_ok);

/* Reads data as a findings file through the whole ingest path (ev_ingest_file_as: the
 * hashing reader, sniffing, the JSON splitter or CSV reader, the format's reader, worker
 * threads and the finding store) in the given format, and checks the outcome: on success
 * the byte count and SHA-256 match the input, the records counted are those stored, and
 * every stored finding reads back with valid UTF-8 strings and in-range enums; on failure,
 * fz_check_error. Then reads it again with cJSON alone on one thread
 * (EVPACK_NO_FAST_JSON, EVPACK_THREADS=0) and checks that both runs give the same findings
 * in the same order, or the same error at the same place (a differential test of the fast
 * JSON path and of the threaded hand-off). */
void fz_ingest(const uint8_t *data, size_t size, int format);

/* Source tree root (compiled in by the build), for bundled data the harnesses load. */
const char *fz_source_dir(void);

#endif
