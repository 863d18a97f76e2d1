/* SPDX-License-Identifier: MIT */
/*
 * pathset.h: the paths --files-from lists (relative to the source; each
 * with its parent directories), as hashes, and the listed names themselves
 * (to say which are missing): memory grows with the list.
 * Built by cmd/ (through ucp.h), asked by sync mode. Calls fileslist and
 * u64set.
 */
#ifndef UCP_PATHSET_H
#define UCP_PATHSET_H

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

int ucp_pathset_new(struct ucp_pathset **out);
void ucp_pathset_free(struct ucp_pathset *s);
/*
 * Add the paths read from fd (one a line, or NUL-separated with from0;
 * see src/fileslist.h). Returns 0 or -errno; for a bad entry (a ".."
 * component, too long) -EINVAL or -ENAMETOOLONG with *line its number.
 */
int ucp_pathset_add_fd(struct ucp_pathset *s, int fd, bool from0, size_t *line);
/* Whether rel (len bytes) was listed, or is a parent of a listed path. */
bool ucp_pathset_has(const struct ucp_pathset *s, const char *rel, size_t len);
/* Whether rel (len bytes) was listed itself. */
bool ucp_pathset_listed(const struct ucp_pathset *s, const char *rel,
			size_t len);
/*
 * Call fn with each path listed (normalised, relative, never the root's
 * empty name), in list order, until it returns non-zero; that is returned.
 */
int ucp_pathset_each(const struct ucp_pathset *s,
		     int (*fn)(void *arg, const char *rel), void *arg);

#endif
