/* SPDX-License-Identifier: MIT */
/*
 * path.h: joining path names, the one way every module does it.
 *
 * Layer: a leaf (libc only).
 */
#ifndef UCP_PATH_H
#define UCP_PATH_H

#include <stdbool.h>
#include <stddef.h>

/*
 * dir and leaf joined by one '/' (none when dir is empty or already ends
 * in '/'), newly allocated; NULL when out of memory.
 */
char *ucp_path_join(const char *dir, const char *leaf);

/* The same with the first dlen bytes of dir. */
char *ucp_path_join_n(const char *dir, size_t dlen, const char *leaf);

/*
 * Name s to go between single quotes inside a message's text: a quote and
 * a backslash escaped (\' and \\), as the messages quote names (the
 * printer escapes control bytes), so that two names never read alike.
 * Newly allocated; NULL when out of memory.
 */
char *ucp_path_quotable(const char *s);

/*
 * The last name of path, trailing slashes aside (cp's rule: "d" of "a/d/";
 * "" of "/"): where it starts in path, its length in *len.
 */
const char *ucp_path_leaf(const char *path, size_t *len);

/*
 * The simple backup name of path's last name (its leaf, len bytes, at
 * leaf) with suffix, as cp makes it: the leaf and the suffix, or where
 * that passes NAME_MAX, its first NAME_MAX - 1 bytes and '~'. A path with
 * the part of path before leaf (malloc'ed), or NULL without memory.
 */
char *ucp_path_backup(const char *path, const char *leaf, size_t len,
		      const char *suffix);

/*
 * Where path leads when its last component is a symbolic link, link after
 * link, as the kernel's open would follow it: the path of the first thing
 * on the way that is not a link (there or not), newly allocated. NULL with
 * errno ELOOP, ENOMEM, or EACCES where fs.protected_symlinks would not go
 * on: a link in a sticky directory others may write, owned by neither the
 * follower nor the directory's owner. (A tool that reads the link itself
 * and opens where it leads would pass that guard by: this keeps it.)
 */
char *ucp_path_through_links(const char *path);

/*
 * Whether every symbolic link path names on its way (each of its leading
 * components, and its last, trailing slashes or not) may be followed as
 * ucp_path_through_links follows one. False with errno EACCES where one
 * may not, or another errno where one could not be looked at.
 */
bool ucp_path_links_trusted(const char *path);

#endif
