/* path.c: paths as a pack shows them. */
#include "util/path.h"

#include <string.h>

#include "util/buf.h"

char *ev_path_for_pack(const char *path)
{
    if (path[0] != '/' && strncmp(path, "../", 3) != 0 && !strstr(path, "/../") &&
        strcmp(path, "..") != 0)
        return ev_xstrdup(path);
    const char *slash = strrchr(path, '/');
    return ev_xstrdup(slash && slash[1] ? slash + 1 : path);
}
