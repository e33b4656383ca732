/* path.h: how paths the user gave are shown inside a pack, so that a pack handed to a
 * client does not reveal the folder layout of the machine that built it. */
#ifndef EV_PATH_H
#define EV_PATH_H

/* The path as given when it is relative and stays below the working folder, else its
 * file name alone. The caller frees the result. */
char *ev_path_for_pack(const char *path);

#endif
