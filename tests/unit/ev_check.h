/* ev_check.h: shared helpers for the Check suites. A wrong CK_RUN_CASE runs zero tests
 * and would exit 0, so a run with no tests fails. */
#ifndef EV_CHECK_H
#define EV_CHECK_H

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Path of a file in the source tree (tests/...), from EV_SOURCE_DIR set by CTest. */
static inline const char *ev_test_path(const char *rel)
{
    static char buf[8][4096];
    static int slot;
    const char *root = getenv("EV_SOURCE_DIR");
    char *p = buf[slot++ % 8];
    snprintf(p, 4096, "%s/%s", root ? root : ".", rel);
    return p;
}

/* Removes a file or a whole folder (the test's scratch folder under /tmp). */
static inline void ev_test_rmtree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d)) != NULL) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                    continue;
                char child[4096];
                int len = snprintf(child, sizeof child, "%s/%s", path, de->d_name);
                if (len > 0 && (size_t)len < sizeof child)
                    ev_test_rmtree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Writes n bytes to path, failing the test on any error. */
static inline void ev_test_write(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_msg(fp != NULL, "cannot create %s: %s", path, strerror(errno));
    if (n)
        ck_assert_uint_eq(fwrite(data, 1, n, fp), n);
    ck_assert_int_eq(fclose(fp), 0);
}

static inline int ev_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    int run = srunner_ntests_run(sr);
    srunner_free(sr);
    if (run == 0) {
        fprintf(stderr, "no tests ran (check CK_RUN_CASE / CK_RUN_SUITE)\n");
        return EXIT_FAILURE;
    }
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
