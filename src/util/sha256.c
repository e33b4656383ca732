/* sha256.c: SHA-256 through the EVP interface of libcrypto, optionally computed on a
 * helper thread (ev_sha256_new_background) so that a reader does not wait for it. */
#include "util/sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BG_BLOCK ((size_t)256 << 10)
#define BG_BLOCKS 4

/* The helper thread's side: full blocks are hashed in order. Memory: BG_BLOCKS blocks. */
typedef struct {
    unsigned char *block[BG_BLOCKS];
    size_t fill;   /* bytes in the block being filled (number `filled`) */
    size_t filled; /* blocks handed to the thread so far (none without a thread) */
    size_t hashed; /* blocks the thread has finished */
    bool started, stop;
    bool no_thread; /* the thread could not be started: hash in update */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
} background;

struct ev_sha256 {
    EVP_MD_CTX *ctx;
    background *bg; /* NULL: hashed in update */
};

ev_sha256 *ev_sha256_new(void)
{
    ev_sha256 *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        abort();
    return h;
}

ev_sha256 *ev_sha256_new_background(void)
{
    ev_sha256 *h = ev_sha256_new();
    h->bg = calloc(1, sizeof *h->bg);
    if (!h->bg)
        abort();
    pthread_mutex_init(&h->bg->mu, NULL);
    pthread_cond_init(&h->bg->cond, NULL);
    return h;
}

static void *bg_main(void *arg)
{
    ev_sha256 *h = arg;
    background *bg = h->bg;
    pthread_mutex_lock(&bg->mu);
    for (;;) {
        while (bg->hashed == bg->filled && !bg->stop)
            pthread_cond_wait(&bg->cond, &bg->mu);
        if (bg->hashed == bg->filled)
            break; /* stopped and nothing left */
        unsigned char *b = bg->block[bg->hashed % BG_BLOCKS];
        pthread_mutex_unlock(&bg->mu);
        EVP_DigestUpdate(h->ctx, b, BG_BLOCK);
        pthread_mutex_lock(&bg->mu);
        bg->hashed++;
        pthread_cond_broadcast(&bg->cond);
    }
    pthread_mutex_unlock(&bg->mu);
    return NULL;
}

/* Hands the full block to the thread (started with the first one) and waits for a free
 * block to fill next. Without a thread the block is hashed here. */
static void bg_hand_over(ev_sha256 *h)
{
    background *bg = h->bg;
    if (!bg->started) {
        bg->started = !bg->no_thread && pthread_create(&bg->thread, NULL, bg_main, h) == 0;
        if (!bg->started) {
            bg->no_thread = true;
            EVP_DigestUpdate(h->ctx, bg->block[0], BG_BLOCK);
            bg->fill = 0;
            return;
        }
    }
    pthread_mutex_lock(&bg->mu);
    bg->filled++;
    pthread_cond_broadcast(&bg->cond);
    while (bg->filled - bg->hashed == BG_BLOCKS)
        pthread_cond_wait(&bg->cond, &bg->mu);
    pthread_mutex_unlock(&bg->mu);
    bg->fill = 0;
}

void ev_sha256_update(ev_sha256 *h, const void *data, size_t len)
{
    if (!len)
        return;
    if (!h->bg) {
        EVP_DigestUpdate(h->ctx, data, len);
        return;
    }
    background *bg = h->bg;
    const unsigned char *p = data;
    while (len) {
        size_t slot = bg->filled % BG_BLOCKS;
        if (!bg->block[slot] && !(bg->block[slot] = malloc(BG_BLOCK)))
            abort();
        size_t n = BG_BLOCK - bg->fill;
        if (n > len)
            n = len;
        memcpy(bg->block[slot] + bg->fill, p, n);
        bg->fill += n;
        p += n;
        len -= n;
        if (bg->fill == BG_BLOCK)
            bg_hand_over(h);
    }
}

/* Waits for the thread, hashes the partial block and frees the background state. */
static void bg_finish(ev_sha256 *h)
{
    background *bg = h->bg;
    if (bg->started) {
        pthread_mutex_lock(&bg->mu);
        bg->stop = true;
        pthread_cond_broadcast(&bg->cond);
        pthread_mutex_unlock(&bg->mu);
        pthread_join(bg->thread, NULL);
    }
    if (bg->fill)
        EVP_DigestUpdate(h->ctx, bg->block[bg->filled % BG_BLOCKS], bg->fill);
    for (size_t i = 0; i < BG_BLOCKS; i++)
        free(bg->block[i]);
    pthread_mutex_destroy(&bg->mu);
    pthread_cond_destroy(&bg->cond);
    free(bg);
    h->bg = NULL;
}

void ev_sha256_final(ev_sha256 *h, char hex[65])
{
    if (h->bg)
        bg_finish(h);
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
