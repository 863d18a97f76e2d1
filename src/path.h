/* SPDX-License-Identifier: MIT */
/*
 * path.h: joining path names, the one way every module does it.
 *
 * Layer: a leaf (libc only).
 */
#ifndef UCP_PATH_H
#define UCP_PATH_H

#include <stddef.h>

/*
 * dir and leaf joined by one '/' (none when dir is empty or already ends
 * in '/'), newly allocated; NULL when out of memory.
 */
char *ucp_path_join(const char *dir, const char *leaf);

/* The same with the first dlen bytes of dir. */
char *ucp_path_join_n(const char *dir, size_t dlen, const char *leaf);

#endif
