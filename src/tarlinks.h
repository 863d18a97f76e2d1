/* SPDX-License-Identifier: MIT */
/*
 * tarlinks.h: the hard links of a tar archive being written. The first
 * member of a multiply-linked inode is written whole; a later one is a
 * hard-link member naming the first. The map keeps, for each inode whose
 * names are not all written yet, its device and inode numbers, the names
 * left to come and the first member's name: some tens of bytes an inode,
 * dropped once its last name is written (libarchive's resolver keeps a
 * whole entry, about 2.4 KiB, which for 100,000 linked files was 250 MB).
 *
 * Layer: a leaf.
 */
#ifndef UCP_TARLINKS_H
#define UCP_TARLINKS_H

#include <stddef.h>
#include <sys/types.h>

struct ucp_tarlinks {
	struct tarlink *slot; /* open addressing; name NULL: empty */
	size_t cap, n;
	char *gone; /* the name handed out with an inode's last one */
};

/*
 * Member name, of an inode (dev, ino) with nlink names: NULL for the first
 * one seen (remembered), else the name of that first member (valid until
 * the next call; forgotten after its last name). -ENOMEM through *err
 * when it could not be remembered (the member is then written whole).
 */
const char *ucp_tarlinks_see(struct ucp_tarlinks *t, dev_t dev, ino_t ino,
			     nlink_t nlink, const char *name, int *err);

/*
 * The first member of (dev, ino), which ucp_tarlinks_see handed NULL, was
 * refused by the archive (a name the format cannot hold): the next name
 * seen is written whole and becomes the first.
 */
void ucp_tarlinks_unwritten(struct ucp_tarlinks *t, dev_t dev, ino_t ino);

/* How many inodes are remembered. */
size_t ucp_tarlinks_count(const struct ucp_tarlinks *t);

void ucp_tarlinks_release(struct ucp_tarlinks *t);

#endif
