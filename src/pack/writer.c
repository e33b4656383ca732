/* writer.c: the pack writer. Everything is written into a temporary folder beside the
 * target ("<parent>/.<name>.tmp-XXXXXX"); commit hashes the outputs, writes
 * manifest.json and SHA256SUMS, fsyncs, and swaps the folder into place with rename(2),
 * so a failure at any point leaves either the previous pack or the new one, never a mix.
 * Every write is checked (fwrite, fflush, fsync, fclose) so ENOSPC and EFBIG surface as
 * EV_ERR_OUTPUT instead of a silently truncated pack.
 *
 * Replacing a pack: on Linux the new folder and the old pack trade places in one
 * renameat2(RENAME_EXCHANGE), so the target always names a whole pack; elsewhere (or on a
 * filesystem that refuses the exchange) the old pack is first renamed aside to
 * "<parent>/.<name>.old-XXXXXX", leaving the target absent for an instant.
 *
 * Leftovers: a run killed outright (SIGKILL, power loss) leaves its temporary folder, and
 * may leave an ".old-" folder. Each run holds an flock(2) on its temporary folder for its
 * whole life, and the next run for the same target removes the siblings nobody holds:
 * temporary folders whose lock it can take, and ".old-" folders once the target exists
 * again (while the target is absent, such a folder may hold the only copy of the previous
 * pack, so it is left for the user). The scan and the swap both run under an flock on the
 * parent folder, so a run never removes another live run's work. */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE (glibc 2.28) */
#include "pack/pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/sha256.h"

#ifndef EV_VERSION
#error "EV_VERSION must be defined by the build"
#endif

#define MANIFEST_NAME "manifest.json"
#define SUMS_NAME "SHA256SUMS"

struct ev_pack_writer {
    char *target; /* as given by the caller, for messages */
    char *dest;   /* target without trailing slashes: what gets renamed over */
    char *parent; /* folder holding target */
    char *base;   /* last component of target */
    char *tmpdir; /* "<parent>/.<base>.tmp-XXXXXX" */
    int lock_fd;  /* holds an flock on tmpdir while the run lives, or -1 */
    bool force;
    char **paths; /* strings handed out by ev_pack_writer_path */
    size_t n_paths;
    size_t cap_paths;
};

/* ---- small filesystem helpers (shared shape with verify.c, kept static) ---- */

static char *join_path(const char *dir, const char *name)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "%s/%s", dir, name);
    return ev_buf_detach(&b);
}

/* Removes path and, for a folder, everything below it. lstat so a symlink is removed
 * rather than followed. Returns 0 or -1 with errno set by the first failure. */
static int remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0, saved = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child = join_path(path, de->d_name);
        if (remove_tree(child) != 0 && rc == 0) {
            rc = -1;
            saved = errno;
        }
        free(child);
    }
    closedir(d);
    if (rc != 0) {
        errno = saved;
        return -1;
    }
    return rmdir(path);
}

/* 1 when path is a folder with no entries, 0 when it has some, -1 on error. */
static int dir_is_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int empty = 1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    }
    closedir(d);
    return empty;
}

/* fsync on a read-only descriptor: enough on Linux for both files and folders. Some
 * filesystems refuse fsync on folders with EINVAL; that is not a write failure. */
static int fsync_path(const char *path, bool is_dir)
{
    int fd = open(path, O_RDONLY | (is_dir ? O_DIRECTORY : 0));
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    if (rc != 0 && is_dir && errno == EINVAL)
        rc = 0;
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

/* Writes data to path, checking every step: short writes, the buffered flush, fsync and
 * fclose can each be where ENOSPC/EFBIG/EIO first shows. */
static ev_status write_file(const char *path, const char *data, size_t len, ev_error *err)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "cannot create: %s", strerror(errno));
    if (len && fwrite(data, 1, len, fp) != len)
        goto fail;
    if (fflush(fp) != 0 || fsync(fileno(fp)) != 0)
        goto fail;
    if (fclose(fp) != 0)
        return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "cannot write: %s", strerror(errno));
    return EV_OK;
fail:;
    int saved = errno;
    fclose(fp);
    return ev_error_set(err, EV_ERR_OUTPUT, path, 0, 0, "cannot write: %s",
                        strerror(saved ? saved : EIO));
}

/* ---- writer lifetime ---- */

static void writer_free(ev_pack_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n_paths; i++)
        free(w->paths[i]);
    if (w->lock_fd >= 0)
        close(w->lock_fd);
    free(w->paths);
    free(w->target);
    free(w->dest);
    free(w->parent);
    free(w->base);
    free(w->tmpdir);
    free(w);
}

/* Splits target into parent folder and last component, ignoring trailing slashes. */
static void split_target(const char *target, char **dest, char **parent, char **base)
{
    size_t len = strlen(target);
    while (len > 1 && target[len - 1] == '/')
        len--;
    *dest = ev_xstrndup(target, len);
    const char *slash = NULL;
    for (size_t i = 0; i < len; i++)
        if (target[i] == '/')
            slash = target + i;
    if (!slash) {
        *parent = ev_xstrdup(".");
        *base = ev_xstrndup(target, len);
    } else {
        size_t plen = (size_t)(slash - target);
        *parent = plen ? ev_xstrndup(target, plen) : ev_xstrdup("/");
        *base = ev_xstrndup(slash + 1, len - plen - 1);
    }
}

/* Whether an existing target may be replaced: an empty folder always, anything else only
 * with force. Returns EV_OK when the target is absent or replaceable. */
static ev_status check_target(const ev_pack_writer *w, bool *exists, ev_error *err)
{
    struct stat st;
    *exists = false;
    if (lstat(w->dest, &st) != 0) {
        if (errno == ENOENT)
            return EV_OK;
        return ev_error_set(err, EV_ERR_OUTPUT, w->target, 0, 0, "cannot inspect: %s",
                            strerror(errno));
    }
    *exists = true;
    if (w->force)
        return EV_OK;
    if (S_ISDIR(st.st_mode)) {
        int empty = dir_is_empty(w->dest);
        if (empty < 0)
            return ev_error_set(err, EV_ERR_OUTPUT, w->target, 0, 0, "cannot read: %s",
                                strerror(errno));
        if (empty)
            return EV_OK;
    }
    return ev_error_set(err, EV_ERR_OUTPUT, w->target, 0, 0,
                        "target exists and is not empty (use --force to replace it)");
}

/* ---- leftovers of killed runs ---- */

/* Locks the parent folder so that the stale scan, the creation of a temporary folder and
 * the swap of two runs never interleave. Another run holds it for milliseconds; after
 * about five seconds (something else holds it) this gives up. Returns the descriptor
 * holding the lock, or -1 when the folder cannot be locked: then nothing is removed. */
static int lock_parent(const char *parent)
{
    int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    for (int tries = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; tries++) {
        if ((errno != EWOULDBLOCK && errno != EINTR) || tries == 500) {
            close(fd);
            return -1;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return fd;
}

static void unlock_parent(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}

/* Whether name is ".<base><kind>XXXXXX", the shape mkdtemp gives our folders. */
static bool is_sibling(const char *name, const char *base, const char *kind)
{
    size_t nb = strlen(base), nk = strlen(kind);
    if (name[0] != '.' || strncmp(name + 1, base, nb) != 0 || strncmp(name + 1 + nb, kind, nk) != 0)
        return false;
    const char *x = name + 1 + nb + nk;
    size_t n = 0;
    for (; x[n]; n++)
        if (!((x[n] >= 'a' && x[n] <= 'z') || (x[n] >= 'A' && x[n] <= 'Z') ||
              (x[n] >= '0' && x[n] <= '9')))
            return false;
    return n == 6;
}

/* Removes the temporary folders of dead runs for this target (no process holds their
 * lock) and, when the target exists, the old packs that killed swaps left aside. Only
 * folders (never followed symlinks) owned by this user are touched. Best effort: called
 * with the parent locked; a failure leaves clutter, never an error. */
static void remove_stale(const ev_pack_writer *w)
{
    struct stat st;
    bool target_exists = lstat(w->dest, &st) == 0;
    DIR *d = opendir(w->parent);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        bool tmp = is_sibling(de->d_name, w->base, ".tmp-");
        bool old = !tmp && is_sibling(de->d_name, w->base, ".old-");
        if (!tmp && !(old && target_exists))
            continue;
        char *path = join_path(w->parent, de->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid()) {
            int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            /* a live run holds its temporary folder's lock */
            if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
                remove_tree(path);
            if (fd >= 0)
                close(fd);
        }
        free(path);
    }
    closedir(d);
}

ev_status ev_pack_writer_open(const char *target, bool force, ev_pack_writer **out, ev_error *err)
{
    *out = NULL;
    if (!target || !*target)
        return ev_error_set(err, EV_ERR_OUTPUT, NULL, 0, 0, "no output folder given");

    ev_pack_writer *w = ev_xcalloc(1, sizeof *w);
    w->lock_fd = -1;
    w->target = ev_xstrdup(target);
    w->force = force;
    split_target(target, &w->dest, &w->parent, &w->base);

    ev_status s = EV_OK;
    if (strcmp(w->base, "") == 0 || strcmp(w->base, ".") == 0 || strcmp(w->base, "..") == 0 ||
        strcmp(w->dest, "/") == 0) {
        s = ev_error_set(err, EV_ERR_OUTPUT, target, 0, 0,
                         "cannot write a pack here: name a new folder");
        goto cleanup;
    }

    struct stat st;
    if (stat(w->parent, &st) != 0) {
        s = ev_error_set(err, EV_ERR_OUTPUT, w->parent, 0, 0,
                         "parent folder of the output does not exist: %s", strerror(errno));
        goto cleanup;
    }
    if (!S_ISDIR(st.st_mode)) {
        s = ev_error_set(err, EV_ERR_OUTPUT, w->parent, 0, 0,
                         "parent of the output is not a folder");
        goto cleanup;
    }

    bool exists;
    s = check_target(w, &exists, err);
    if (s != EV_OK)
        goto cleanup;

    int parent_fd = lock_parent(w->parent);
    if (parent_fd >= 0)
        remove_stale(w);
    ev_buf tmpl = EV_BUF_INIT;
    ev_buf_printf(&tmpl, "%s/.%s.tmp-XXXXXX", w->parent, w->base);
    w->tmpdir = ev_buf_detach(&tmpl);
    if (!mkdtemp(w->tmpdir)) {
        unlock_parent(parent_fd);
        s = ev_error_set(err, EV_ERR_OUTPUT, w->parent, 0, 0,
                         "cannot create a temporary folder: %s", strerror(errno));
        free(w->tmpdir);
        w->tmpdir = NULL;
        goto cleanup;
    }
    /* this run's mark on its folder, taken before the parent is unlocked */
    w->lock_fd = open(w->tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (w->lock_fd >= 0 && flock(w->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        close(w->lock_fd);
        w->lock_fd = -1;
    }
    unlock_parent(parent_fd);
    /* mkdtemp makes 0700; the pack is meant to be shared like any other output folder. */
    if (chmod(w->tmpdir, 0755) != 0) {
        s = ev_error_set(err, EV_ERR_OUTPUT, w->tmpdir, 0, 0, "cannot set permissions: %s",
                         strerror(errno));
        goto cleanup;
    }

    *out = w;
    return EV_OK;

cleanup:
    if (w->tmpdir)
        remove_tree(w->tmpdir);
    writer_free(w);
    return s;
}

/* mkdir -p for the folders of name inside the temporary folder, so a renderer can open
 * "evidence/x.pdf" directly. Best effort: a failure shows when the file is opened. */
static void make_parents(const char *tmpdir, const char *name)
{
    const char *slash = strrchr(name, '/');
    if (!slash)
        return;
    char *rel = ev_xstrndup(name, (size_t)(slash - name));
    char *full = join_path(tmpdir, rel);
    size_t skip = strlen(tmpdir) + 1;
    for (char *p = full + skip;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(full, 0755) != 0 && errno != EEXIST)
                c = '\0'; /* stop; the open will report it */
            *p = c;
            if (c == '\0')
                break;
        }
    }
    free(full);
    free(rel);
}

const char *ev_pack_writer_path(ev_pack_writer *w, const char *name)
{
    if (w->n_paths == w->cap_paths) {
        w->cap_paths = w->cap_paths ? 2 * w->cap_paths : 8;
        w->paths = ev_xrealloc(w->paths, w->cap_paths * sizeof *w->paths);
    }
    make_parents(w->tmpdir, name);
    char *p = join_path(w->tmpdir, name);
    w->paths[w->n_paths++] = p;
    return p;
}

const char *ev_pack_writer_dir(const ev_pack_writer *w)
{
    return w->tmpdir;
}

void ev_pack_writer_abort(ev_pack_writer *w)
{
    if (!w)
        return;
    if (w->tmpdir)
        remove_tree(w->tmpdir);
    writer_free(w);
}

/* ---- output names and the temporary folder's contents ---- */

/* Output names are fixed by the program; a bad one is a bug, not a user error. They must
 * be relative, free of "." / ".." / empty components and hidden names (those are spill
 * files), and printable in SHA256SUMS without coreutils' backslash escaping. */
static bool output_name_ok(const char *name)
{
    if (!name || !*name || strcmp(name, MANIFEST_NAME) == 0 || strcmp(name, SUMS_NAME) == 0)
        return false;
    if (strchr(name, '\\') || strchr(name, '\n') || strchr(name, '\r'))
        return false;
    const char *p = name;
    for (;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || p[0] == '.')
            return false;
        if (!e)
            return true;
        p = e + 1;
    }
}

static bool name_listed(const char *rel, const char *const *outputs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rel, outputs[i]) == 0)
            return true;
    return false;
}

/* Walks the temporary folder: removes spill files (names starting with "."), fsyncs every
 * remaining file and folder, and refuses any file that is not a listed output, since the
 * pack would then fail verification. rel is the path relative to the pack root ("" at the
 * top). */
static ev_status tidy_tree(const char *dir, const char *rel, const char *const *outputs,
                           size_t n_outputs, ev_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return ev_error_set(err, EV_ERR_OUTPUT, dir, 0, 0, "cannot read: %s", strerror(errno));
    ev_status s = EV_OK;
    struct dirent *de;
    /* readdir after unlinking the current entry is fine: POSIX leaves only whether
     * entries added or removed during the walk are returned unspecified. */
    while (s == EV_OK && (de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        char *full = join_path(dir, name);
        char *child_rel = *rel ? join_path(rel, name) : ev_xstrdup(name);
        struct stat st;
        if (name[0] == '.') {
            if (remove_tree(full) != 0)
                s = ev_error_set(err, EV_ERR_OUTPUT, full, 0, 0, "cannot remove: %s",
                                 strerror(errno));
        } else if (lstat(full, &st) != 0) {
            s = ev_error_set(err, EV_ERR_OUTPUT, full, 0, 0, "cannot inspect: %s", strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            s = tidy_tree(full, child_rel, outputs, n_outputs, err);
            if (s == EV_OK && fsync_path(full, true) != 0)
                s = ev_error_set(err, EV_ERR_OUTPUT, full, 0, 0, "cannot sync: %s",
                                 strerror(errno));
        } else if (!name_listed(child_rel, outputs, n_outputs)) {
            s = ev_error_set(err, EV_ERR_INTERNAL, child_rel, 0, 0,
                             "file in the pack is not a listed output");
        } else if (!S_ISREG(st.st_mode)) {
            s = ev_error_set(err, EV_ERR_INTERNAL, child_rel, 0, 0, "output is not a regular file");
        } else if (fsync_path(full, false) != 0) {
            s = ev_error_set(err, EV_ERR_OUTPUT, full, 0, 0, "cannot sync: %s", strerror(errno));
        }
        free(child_rel);
        free(full);
    }
    closedir(d);
    return s;
}

/* ---- manifest.json: written by hand for a fixed key order and 2-space indentation
 * (cJSON's formatted printer indents with tabs) ---- */

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), 0 when ill-formed. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    unsigned cp = c & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* A JSON string literal. Paths given by the user may be any bytes; the manifest must be
 * UTF-8, so ill-formed sequences become U+FFFD. NULL prints as null. */
static void put_json_string(ev_buf *b, const char *s)
{
    if (!s) {
        ev_buf_puts(b, "null");
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    ev_buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            ev_buf_putc(b, '\\');
            ev_buf_putc(b, (char)c);
            i++;
        } else if (c == '\n') {
            ev_buf_puts(b, "\\n");
            i++;
        } else if (c == '\t') {
            ev_buf_puts(b, "\\t");
            i++;
        } else if (c == '\r') {
            ev_buf_puts(b, "\\r");
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            ev_buf_printf(b, "\\u%04x", c);
            i++;
        } else {
            size_t len = utf8_seq_len(p + i, n - i);
            if (len == 0) {
                ev_buf_puts(b, "\xEF\xBF\xBD");
                i++;
            } else {
                ev_buf_put(b, p + i, len);
                i += len;
            }
        }
    }
    ev_buf_putc(b, '"');
}

static void put_indent(ev_buf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        ev_buf_puts(b, "  ");
}

/* Any cJSON value, pretty-printed with members in the order they were added. */
static void put_json_value(ev_buf *b, const cJSON *v, int depth)
{
    if (!v || cJSON_IsNull(v)) {
        ev_buf_puts(b, "null");
    } else if (cJSON_IsTrue(v)) {
        ev_buf_puts(b, "true");
    } else if (cJSON_IsFalse(v)) {
        ev_buf_puts(b, "false");
    } else if (cJSON_IsString(v)) {
        put_json_string(b, v->valuestring);
    } else if (cJSON_IsNumber(v)) {
        /* cJSON's own number printing: shortest round-trip form, null for NaN/inf. */
        char *num = cJSON_PrintUnformatted(v);
        if (!num)
            abort(); /* allocation failure, as ev_xmalloc */
        ev_buf_puts(b, num);
        cJSON_free(num);
    } else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
        bool obj = cJSON_IsObject(v);
        const cJSON *c = v->child;
        if (!c) {
            ev_buf_puts(b, obj ? "{}" : "[]");
            return;
        }
        ev_buf_puts(b, obj ? "{\n" : "[\n");
        for (; c; c = c->next) {
            put_indent(b, depth + 1);
            if (obj) {
                put_json_string(b, c->string ? c->string : "");
                ev_buf_puts(b, ": ");
            }
            put_json_value(b, c, depth + 1);
            ev_buf_puts(b, c->next ? ",\n" : "\n");
        }
        put_indent(b, depth);
        ev_buf_putc(b, obj ? '}' : ']');
    } else {
        ev_buf_puts(b, "null"); /* cJSON_Raw / invalid: not produced by evpack */
    }
}

static void put_key(ev_buf *b, int depth, const char *key)
{
    put_indent(b, depth);
    put_json_string(b, key);
    ev_buf_puts(b, ": ");
}

typedef struct {
    char sha256[65];
    unsigned long long size;
} file_digest;

static void build_manifest(ev_buf *b, const char *const *outputs, const file_digest *digests,
                           size_t n_outputs, const ev_manifest_input *inputs, size_t n_inputs,
                           const char *as_of, const cJSON *options)
{
    ev_buf_puts(b, "{\n");
    put_key(b, 1, "schema");
    put_json_string(b, EV_MANIFEST_SCHEMA);
    ev_buf_puts(b, ",\n");
    put_key(b, 1, "tool");
    ev_buf_puts(b, "{\n");
    put_key(b, 2, "name");
    put_json_string(b, "evpack");
    ev_buf_puts(b, ",\n");
    put_key(b, 2, "version");
    put_json_string(b, EV_VERSION);
    ev_buf_puts(b, "\n  },\n");
    put_key(b, 1, "as_of");
    put_json_string(b, as_of);
    ev_buf_puts(b, ",\n");
    put_key(b, 1, "options");
    if (options)
        put_json_value(b, options, 1);
    else
        ev_buf_puts(b, "{}");
    ev_buf_puts(b, ",\n");

    put_key(b, 1, "inputs");
    ev_buf_puts(b, n_inputs ? "[\n" : "[]");
    for (size_t i = 0; i < n_inputs; i++) {
        put_indent(b, 2);
        ev_buf_puts(b, "{\n");
        put_key(b, 3, "role");
        put_json_string(b, inputs[i].role);
        ev_buf_puts(b, ",\n");
        put_key(b, 3, "path");
        put_json_string(b, inputs[i].path);
        ev_buf_puts(b, ",\n");
        put_key(b, 3, "sha256");
        put_json_string(b, inputs[i].sha256);
        ev_buf_puts(b, ",\n");
        put_key(b, 3, "size");
        ev_buf_printf(b, "%llu\n", inputs[i].size);
        put_indent(b, 2);
        ev_buf_puts(b, i + 1 < n_inputs ? "},\n" : "}\n");
    }
    if (n_inputs)
        ev_buf_puts(b, "  ]");
    ev_buf_puts(b, ",\n");

    put_key(b, 1, "outputs");
    ev_buf_puts(b, n_outputs ? "[\n" : "[]");
    for (size_t i = 0; i < n_outputs; i++) {
        put_indent(b, 2);
        ev_buf_puts(b, "{\n");
        put_key(b, 3, "path");
        put_json_string(b, outputs[i]);
        ev_buf_puts(b, ",\n");
        put_key(b, 3, "sha256");
        put_json_string(b, digests[i].sha256);
        ev_buf_puts(b, ",\n");
        put_key(b, 3, "size");
        ev_buf_printf(b, "%llu\n", digests[i].size);
        put_indent(b, 2);
        ev_buf_puts(b, i + 1 < n_outputs ? "},\n" : "}\n");
    }
    if (n_outputs)
        ev_buf_puts(b, "  ]");
    ev_buf_puts(b, "\n}\n");
}

/* ---- commit ---- */

/* Exchanges the finished temporary folder with an existing target in one step, where
 * the system can. Returns 1 when done (the old pack now lies at w->tmpdir), 0 when the
 * exchange is not supported here (nothing changed), -1 on another error (errno set). */
static int exchange(const ev_pack_writer *w)
{
#if defined(__linux__) && defined(RENAME_EXCHANGE)
    if (renameat2(AT_FDCWD, w->tmpdir, AT_FDCWD, w->dest, RENAME_EXCHANGE) == 0)
        return 1;
    if (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP || errno == ENOTSUP)
        return 0;
    return -1;
#else
    (void)w;
    return 0;
#endif
}

/* Moves the finished temporary folder onto the target. An existing target is exchanged
 * with it atomically where supported; otherwise it is first renamed aside and only
 * removed once the new pack is in place, and put back if that second rename fails. */
static ev_status swap_into_place(ev_pack_writer *w, ev_error *err)
{
    bool exists;
    ev_status s = check_target(w, &exists, err); /* it may have changed since open */
    if (s != EV_OK)
        return s;

    int parent_fd = lock_parent(w->parent); /* no stale scan while we swap */
    char *old = NULL;
    int ex = exists ? exchange(w) : 0;
    if (ex < 0) {
        s = ev_error_set(err, EV_ERR_OUTPUT, w->target, 0, 0, "cannot move the pack in place: %s",
                         strerror(errno));
        goto cleanup;
    }
    if (ex > 0) {
        /* the new pack is the target; the old one lies at tmpdir, about to go */
        old = w->tmpdir;
        w->tmpdir = NULL;
        if (fsync_path(w->parent, true) != 0)
            s = ev_error_set(err, EV_ERR_OUTPUT, w->parent, 0, 0, "cannot sync: %s",
                             strerror(errno));
        remove_tree(old);
        goto cleanup;
    }
    if (exists) {
        ev_buf tmpl = EV_BUF_INIT;
        ev_buf_printf(&tmpl, "%s/.%s.old-XXXXXX", w->parent, w->base);
        old = ev_buf_detach(&tmpl);
        /* mkdtemp reserves a unique name; the folder is dropped so the target (which may
         * be a file) can be renamed onto that name. */
        if (!mkdtemp(old) || rmdir(old) != 0) {
            s = ev_error_set(err, EV_ERR_OUTPUT, w->parent, 0, 0,
                             "cannot reserve a name to move the old target aside: %s",
                             strerror(errno));
            goto cleanup;
        }
        if (rename(w->dest, old) != 0) {
            s = ev_error_set(err, EV_ERR_OUTPUT, w->target, 0, 0, "cannot move aside: %s",
                             strerror(errno));
            goto cleanup;
        }
    }
    if (rename(w->tmpdir, w->dest) != 0) {
        int saved = errno;
        if (old)
            rename(old, w->dest); /* best effort: nothing better to do if this fails too */
        s = ev_error_set(err, EV_ERR_OUTPUT, w->target, 0, 0, "cannot move the pack in place: %s",
                         strerror(saved));
        goto cleanup;
    }
    /* From here the new pack is in place; tmpdir no longer names anything. */
    free(w->tmpdir);
    w->tmpdir = NULL;
    if (fsync_path(w->parent, true) != 0) {
        s = ev_error_set(err, EV_ERR_OUTPUT, w->parent, 0, 0, "cannot sync: %s", strerror(errno));
    }
    /* The old copy is only clutter now: a failure to remove it does not undo the pack. */
    if (old)
        remove_tree(old);

cleanup:
    unlock_parent(parent_fd);
    free(old);
    return s;
}

ev_status ev_pack_writer_commit(ev_pack_writer *w, const char *const *outputs, size_t n_outputs,
                                const ev_manifest_input *inputs, size_t n_inputs, const char *as_of,
                                const cJSON *options, ev_error *err)
{
    ev_status s = EV_OK;
    file_digest *digests = ev_xcalloc(n_outputs, sizeof *digests);
    ev_buf manifest = EV_BUF_INIT;
    ev_buf sums = EV_BUF_INIT;
    char *path = NULL;

    for (size_t i = 0; i < n_outputs; i++) {
        if (!output_name_ok(outputs[i]) || name_listed(outputs[i], outputs, i)) {
            s = ev_error_set(err, EV_ERR_INTERNAL, NULL, 0, 0, "invalid pack output name '%s'",
                             outputs[i] ? outputs[i] : "(null)");
            goto cleanup;
        }
    }

    s = tidy_tree(w->tmpdir, "", outputs, n_outputs, err);
    if (s != EV_OK)
        goto cleanup;

    for (size_t i = 0; i < n_outputs; i++) {
        free(path);
        path = join_path(w->tmpdir, outputs[i]);
        ev_error e;
        if (ev_sha256_file(path, digests[i].sha256, &digests[i].size, &e) != EV_OK) {
            /* A listed output that is missing or unreadable is a failed write. */
            s = ev_error_set(err, EV_ERR_OUTPUT, outputs[i], 0, 0, "%s", e.msg);
            goto cleanup;
        }
    }

    build_manifest(&manifest, outputs, digests, n_outputs, inputs, n_inputs, as_of, options);
    free(path);
    path = join_path(w->tmpdir, MANIFEST_NAME);
    s = write_file(path, manifest.data, manifest.len, err);
    if (s != EV_OK)
        goto cleanup;

    /* coreutils format: "<hex>  <name>", so `sha256sum -c SHA256SUMS` works in the pack. */
    for (size_t i = 0; i < n_outputs; i++)
        ev_buf_printf(&sums, "%s  %s\n", digests[i].sha256, outputs[i]);
    char manifest_hex[65];
    ev_sha256_buf(manifest.data, manifest.len, manifest_hex);
    ev_buf_printf(&sums, "%s  %s\n", manifest_hex, MANIFEST_NAME);
    free(path);
    path = join_path(w->tmpdir, SUMS_NAME);
    s = write_file(path, sums.data, sums.len, err);
    if (s != EV_OK)
        goto cleanup;

    if (fsync_path(w->tmpdir, true) != 0) {
        s = ev_error_set(err, EV_ERR_OUTPUT, w->tmpdir, 0, 0, "cannot sync: %s", strerror(errno));
        goto cleanup;
    }

    s = swap_into_place(w, err);

cleanup:
    free(path);
    ev_buf_free(&sums);
    ev_buf_free(&manifest);
    free(digests);
    ev_pack_writer_abort(w); /* removes the temporary folder unless it was renamed */
    return s;
}
