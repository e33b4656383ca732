/* datadir.c: finds the bundled frameworks/ and templates/: EVPACK_DATADIR, else next to
 * the binary (the build tree stages them there), else the install prefix's share folder. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "catalog/catalog.h"
#include "util/buf.h"

static bool is_dir(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

static char *try_dir(const char *base, const char *rel)
{
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "%s/%s/frameworks", base, rel);
    bool ok = is_dir(b.data);
    ev_buf_clear(&b);
    ev_buf_printf(&b, "%s/%s", base, rel);
    if (ok)
        return ev_buf_detach(&b);
    ev_buf_free(&b);
    return NULL;
}

char *ev_datadir_find(const char *exe_path)
{
    const char *env = getenv("EVPACK_DATADIR");
    if (env && *env)
        return ev_xstrdup(env);
    if (!exe_path)
        return NULL;
    char *dir = ev_xstrdup(exe_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    char *found = try_dir(dir, EV_DATADIR_REL);
    if (!found)
        found = try_dir(dir, "../" EV_DATADIR_REL);
    free(dir);
    return found;
}

char *ev_framework_resolve(const char *datadir, const char *arg)
{
    if (strchr(arg, '/') || (strlen(arg) > 5 && strcmp(arg + strlen(arg) - 5, ".json") == 0))
        return ev_xstrdup(arg);
    if (!datadir)
        return NULL;
    /* bundled ids are plain names; anything else is not looked up */
    for (const char *p = arg; *p; p++)
        if (!(*p == '-' || *p == '.' || *p == '_' || (*p >= '0' && *p <= '9') ||
              (*p >= 'a' && *p <= 'z')))
            return NULL;
    ev_buf b = EV_BUF_INIT;
    ev_buf_printf(&b, "%s/frameworks/%s.json", datadir, arg);
    if (is_file(b.data))
        return ev_buf_detach(&b);
    ev_buf_free(&b);
    return NULL;
}
