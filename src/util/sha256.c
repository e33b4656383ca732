/* sha256.c: SHA-256 through the EVP interface of libcrypto. */
#include "util/sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ev_sha256 {
    EVP_MD_CTX *ctx;
};

ev_sha256 *ev_sha256_new(void)
{
    ev_sha256 *h = malloc(sizeof *h);
    if (!h)
        abort();
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        abort();
    return h;
}

void ev_sha256_update(ev_sha256 *h, const void *data, size_t len)
{
    if (len)
        EVP_DigestUpdate(h->ctx, data, len);
}

void ev_sha256_final(ev_sha256 *h, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(h->ctx, md, &n);
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    hex[64] = '\0';
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

ev_status ev_sha256_file(const char *path, char hex[65], unsigned long long *size, ev_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return ev_error_set(err, EV_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    ev_sha256 *h = ev_sha256_new();
    unsigned char buf[1 << 16];
    unsigned long long total = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        ev_sha256_update(h, buf, n);
        total += n;
    }
    int bad = ferror(fp);
    fclose(fp);
    ev_sha256_final(h, hex);
    if (bad)
        return ev_error_set(err, EV_ERR_IO, path, 0, 0, "read error");
    if (size)
        *size = total;
    return EV_OK;
}

void ev_sha256_buf(const void *data, size_t len, char hex[65])
{
    ev_sha256 *h = ev_sha256_new();
    ev_sha256_update(h, data, len);
    ev_sha256_final(h, hex);
}
