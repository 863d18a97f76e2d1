/* SPDX-License-Identifier: MIT */
/*
 * subtree.h: a walk of one directory tree in the order a deletion takes
 * it: each directory's entries in the order it lists them, a directory
 * after its contents, to any depth (no path is built for the system
 * calls) with a bounded number of open descriptors. --sync lists and
 * counts with it what a deletion takes, before it or in a dry run's place.
 *
 * Memory: the names of the directories on the way down, read whole as
 * each is entered (a dry run's listing needs them; the deletion itself
 * does not).
 *
 * Layer: above walk (its directory reader); reports nothing.
 */
#ifndef UCP_SUBTREE_H
#define UCP_SUBTREE_H

#include <stddef.h>

/* What an entry of the walk is. */
enum ucp_subtree_kind {
	UCP_SUBTREE_FILE,   /* not a directory */
	UCP_SUBTREE_DIR,    /* a directory, after its contents */
	UCP_SUBTREE_UNREAD, /* a directory that could not be opened or read */
};

/*
 * Told of each entry: sub is its path below the tree's top ("" for the
 * top itself), level its depth (0: the top). Nonzero stops the walk, which
 * returns it.
 */
typedef int (*ucp_subtree_fn)(void *arg, const char *sub, size_t level,
			      enum ucp_subtree_kind kind);

/*
 * Walk the tree dirfd/name (not followed when a symbolic link: then it is
 * one entry), keeping the descriptors of its top keep - 1 levels and of the
 * deepest one open (keep at least 1; one more while a level is entered;
 * the others are reached again by "..", or by their names where ".." may
 * not be searched, and must then be the same directories). Returns 0, what fn
 * returned to stop it, or -errno when the walk could not go on (out of memory,
 * a directory that moved).
 */
int ucp_subtree_walk(int dirfd, const char *name, size_t keep,
		     ucp_subtree_fn fn, void *arg);

#endif
