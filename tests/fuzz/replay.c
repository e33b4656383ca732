/* replay.c: main() for the harnesses outside libFuzzer. Runs LLVMFuzzerTestOneInput once
 * on every file named on the command line or found (not recursively, in name order) in a
 * folder named there, so that ctest replays the seed corpora and every past crash
 * (tests/fuzz/regress/) in the ordinary build and in the sanitizer build. A harness that
 * breaks an invariant aborts, which fails the test. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += n;
        if (len == cap)
            buf = realloc(buf, cap *= 2);
    }
    if (!buf || ferror(fp)) {
        fprintf(stderr, "%s: cannot read\n", path);
        fclose(fp);
        free(buf);
        return -1;
    }
    fclose(fp);
    /* an exact-size copy, so that ASan sees a read past the input */
    unsigned char *exact = malloc(len ? len : 1);
    if (!exact)
        abort();
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t runs = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            /* a regression folder that has no crashes yet need not exist */
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (run_file(argv[i]) != 0)
                bad = 1;
            else
                runs++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d) {
            fprintf(stderr, "%s: cannot read: %s\n", argv[i], strerror(errno));
            bad = 1;
            continue;
        }
        char **names = NULL;
        size_t n = 0;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            names = realloc(names, (n + 1) * sizeof *names);
            if (!names)
                abort();
            names[n] = malloc(strlen(argv[i]) + strlen(de->d_name) + 2);
            if (!names[n])
                abort();
            sprintf(names[n], "%s/%s", argv[i], de->d_name);
            n++;
        }
        closedir(d);
        qsort(names, n, sizeof *names, cmp_names);
        for (size_t k = 0; k < n; k++) {
            if (stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
                if (run_file(names[k]) != 0)
                    bad = 1;
                else
                    runs++;
            }
            free(names[k]);
        }
        free(names);
    }
    printf("%zu inputs replayed\n", runs);
    if (runs == 0) {
        fprintf(stderr, "no inputs found\n");
        return 1;
    }
    return bad;
}
