/* ev_check.h: shared helpers for the Check suites. A wrong CK_RUN_CASE runs zero tests
 * and would exit 0, so a run with no tests fails. */
#ifndef EV_CHECK_H
#define EV_CHECK_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

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
