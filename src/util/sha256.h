/* sha256.h: SHA-256 over OpenSSL's libcrypto, for the manifest, SHA256SUMS and input
 * digests. */
#ifndef EV_SHA256_H
#define EV_SHA256_H

#include <stddef.h>

#include "util/status.h"

typedef struct ev_sha256 ev_sha256;

/* Incremental hashing. ev_sha256_final writes 64 hex digits and a NUL into hex and frees
 * the context. */
ev_sha256 *ev_sha256_new(void);
/* The same digest, computed on a helper thread: update copies the data into 256 KiB
 * blocks (at most 4 in flight) that the thread hashes in order, so the caller only waits
 * when it gets 1 MiB ahead. The thread starts with the first full block; final joins it. */
ev_sha256 *ev_sha256_new_background(void);
void ev_sha256_update(ev_sha256 *h, const void *data, size_t len);
void ev_sha256_final(ev_sha256 *h, char hex[65]);

/* Hashes a file; *size receives its length. */
ev_status ev_sha256_file(const char *path, char hex[65], unsigned long long *size, ev_error *err);

/* Hashes a memory block. */
void ev_sha256_buf(const void *data, size_t len, char hex[65]);

#endif
