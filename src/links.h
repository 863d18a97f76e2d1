/* SPDX-License-Identifier: MIT */
/*
 * links.h: hard-link groups for --preserve=links.
 *
 * Only inodes with st_nlink > 1 enter the map, keyed by (dev, ino); memory
 * grows with the number of multiply-linked inodes and their names, nothing
 * else. The first name seen (by any worker) copies the data; every later
 * name becomes a hard link to that copy, at once if it is complete, or
 * when its copier finishes. When that copy fails, the next name copies the
 * data anew, as cp does.
 *
 * The map does no I/O: it hands the caller the paths to link.
 */
#ifndef UCP_LINKS_H
#define UCP_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ucp_links;

int ucp_links_new(struct ucp_links **out);
void ucp_links_free(struct ucp_links *l);

enum ucp_link_claim {
	UCP_LINK_FIRST,	 /* copy it, then call ucp_links_finish */
	UCP_LINK_READY,	 /* link to *first now */
	UCP_LINK_QUEUED, /* the copier will link dst_path when done */
};

/*
 * Claim inode (dev, ino) for the destination dst_path (root_len: how much
 * of it is the destination root's, as typed), named label for display (both
 * malloc'd, label may be NULL; the map takes both whatever the result, and
 * keeps the first claim's). With UCP_LINK_READY, *first is the path of the
 * finished copy, valid until ucp_links_free. With UCP_LINK_QUEUED the map keeps
 * waiter (the caller's token) until ucp_links_finish hands it back. Returns a
 * claim, or -ENOMEM.
 */
int ucp_links_claim(struct ucp_links *l, dev_t dev, ino_t ino, char *dst_path,
		    size_t root_len, char *label, void *waiter,
		    const char **first);

/*
 * ucp_links_claim for a name that is new to a destination whose other
 * names may be there already (a mirror: a name renamed, or added to a
 * file the mirror has): where no name of (dev, ino) has come yet, or
 * only names that wait so, and fewer than limit names wait in all, the
 * group waits for one that is there (it claims it with ucp_links_claim,
 * and its copy in place is the group's: the waiters link to it, no data
 * is copied again), and the claim is UCP_LINK_QUEUED. Else as
 * ucp_links_claim (a waiting group's names then link to this one's
 * copy). ucp_links_unseek ends the wait of every group at the end of the
 * walk.
 */
int ucp_links_seek(struct ucp_links *l, dev_t dev, ino_t ino, char *dst_path,
		   size_t root_len, char *label, void *waiter,
		   const char **first, size_t limit);

/*
 * The walk is over: every group still waiting for a name in place has
 * none; its names are handed back (the malloc'd NULL-terminated array
 * of their waiters, or NULL), to claim anew (ucp_links_claim: the first
 * copies the data). Groups seek no more after it.
 */
void **ucp_links_unseek(struct ucp_links *l);

/*
 * The group's copy at first (as handed out) takes no more links: dst_path
 * (root_len: see ucp_links_claim), a copy of its own just made for one of
 * its names, becomes the copy its later names link to, unless another
 * name did so first. The map takes dst_path whatever the result; first
 * stays valid until ucp_links_free. True when it moved.
 */
bool ucp_links_rebase(struct ucp_links *l, dev_t dev, ino_t ino,
		      const char *first, char *dst_path, size_t root_len);

/*
 * The path of (dev, ino)'s finished copy now (another after a rebase),
 * with *root_len, or NULL; valid until ucp_links_free.
 */
const char *ucp_links_first(struct ucp_links *l, dev_t dev, ino_t ino,
			    size_t *root_len);

/*
 * How much of the path of (dev, ino)'s copy is its destination root's, as
 * the user named it (root_len of the claim that made the copy), or 0.
 */
size_t ucp_links_root_len(struct ucp_links *l, dev_t dev, ino_t ino);

/*
 * The label of the first claim of (dev, ino) (--itemize-changes: the name
 * a later one is linked to), or NULL; valid until ucp_links_free.
 */
const char *ucp_links_label(struct ucp_links *l, dev_t dev, ino_t ino);

#ifdef UCP_TEST_HOOKS
/* Debug builds only: how many names wait for the copy of (dev, ino). */
size_t ucp_links_waiting(struct ucp_links *l, dev_t dev, ino_t ino);
#endif

/*
 * The first copy of (dev, ino) finished (ok) or failed. Returns the
 * malloc'd NULL-terminated array of waiters (the caller frees it), or NULL,
 * and sets *first to the copy's path. When it failed, *first is NULL and
 * the group is unclaimed again: the caller has each waiter claim anew, and
 * the first of them copies the data.
 */
void **ucp_links_finish(struct ucp_links *l, dev_t dev, ino_t ino, bool ok,
			const char **first);

#endif
