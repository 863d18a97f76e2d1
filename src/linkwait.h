/* SPDX-License-Identifier: MIT */
/*
 * linkwait.h: the names of a file that wait, while an archive is read,
 * for the member that carries the file's data. cpio's newc format puts
 * the data of a file of several names on its last name; the names before
 * it come empty. Each group is one file, known by the device and inode
 * numbers the archive gives it (as libarchive pairs a file's names), and
 * for each name, the name and what the reader keeps of it (opaque here,
 * freed by the release function given). Groups are kept in archive order;
 * a lookup goes from the newest, which is where a link finds its group in
 * archives that keep a file's names together. A group goes once its data
 * has come, or its names are all there; the reader bounds how many wait.
 *
 * Layer: a leaf.
 */
#ifndef UCP_LINKWAIT_H
#define UCP_LINKWAIT_H

#include <stddef.h>
#include <sys/types.h>

#include <stdint.h>

struct ucp_linkwait_group {
	uint64_t dev, ino; /* the file's, as the archive numbers it */
	char **name;	   /* name[0] is the first, as the archive has it */
	void **item;	   /* item[0] is the first name's */
	size_t n, cap;
};

struct ucp_linkwait {
	struct ucp_linkwait_group *g;
	size_t n, cap;
	size_t names; /* in all groups */
	void (*release)(void *item);
};

/* The newest group of file (dev, ino), or -1. */
ssize_t ucp_linkwait_find(const struct ucp_linkwait *w, uint64_t dev,
			  uint64_t ino);

/* The newest group that holds name (first or later), or -1. */
ssize_t ucp_linkwait_holding(const struct ucp_linkwait *w, const char *name);

/*
 * Add item, of name, to group g, or with g -1 start a new group for file
 * (dev, ino) (its first name). 0, or -ENOMEM (item not taken: the caller
 * still owns it).
 */
int ucp_linkwait_add(struct ucp_linkwait *w, ssize_t g, uint64_t dev,
		     uint64_t ino, const char *name, void *item);

/* Move group g out into *out (the caller releases it). */
void ucp_linkwait_take(struct ucp_linkwait *w, size_t g,
		       struct ucp_linkwait_group *out);

/* Free a group taken out, with its items. */
void ucp_linkwait_group_release(const struct ucp_linkwait *w,
				struct ucp_linkwait_group *grp);

/* Free every group left, with its items. */
void ucp_linkwait_release(struct ucp_linkwait *w);

#endif
