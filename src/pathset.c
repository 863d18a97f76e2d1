/* SPDX-License-Identifier: MIT */
/*
 * pathset.c: the set of paths --files-from names (see ucp.h).
 *
 * Paths are kept as 64-bit hashes in an open-addressing table, with every
 * parent directory of each listed path, so that the walk can reach them.
 * Memory grows with the length of the list (16 bytes a path at most,
 * counting parents that are not shared).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"
#include "fileslist.h"
#include "ucp.h"

struct ucp_pathset {
	uint64_t *slot; /* 0 = empty */
	size_t cap, n;
};

static uint64_t path_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h ? h : 1;
}

int ucp_pathset_new(struct ucp_pathset **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void ucp_pathset_free(struct ucp_pathset *s)
{
	if (!s)
		return;
	free(s->slot);
	free(s);
}

static int put(struct ucp_pathset *s, uint64_t h);

static int grow(struct ucp_pathset *s)
{
	struct ucp_pathset big = { 0 };
	size_t i;

	big.cap = s->cap ? s->cap * 2 : 1024;
	big.slot = calloc(big.cap, sizeof(*big.slot));
	if (!big.slot)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++)
		if (s->slot[i])
			(void)put(&big, s->slot[i]);
	free(s->slot);
	*s = big;
	return 0;
}

static int put(struct ucp_pathset *s, uint64_t h)
{
	size_t i;

	if ((s->n + 1) * 2 > s->cap && grow(s) < 0)
		return -ENOMEM;
	for (i = h & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == h)
			return 0;
	s->slot[i] = h;
	s->n++;
	return 0;
}

bool ucp_pathset_has(const struct ucp_pathset *s, const char *rel, size_t len)
{
	uint64_t h = path_hash(rel, len);
	size_t i;

	if (!s->cap)
		return false;
	for (i = h & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == h)
			return true;
	return false;
}

/* Add path (normalised, relative) and each of its parent directories. */
static int add_path(struct ucp_pathset *s, const char *path, size_t len)
{
	size_t i;
	int ret = put(s, path_hash(path, len));

	for (i = len; ret == 0 && i > 0; i--)
		if (path[i - 1] == '/' && i > 1)
			ret = put(s, path_hash(path, i - 1));
	return ret;
}

int ucp_pathset_add_fd(struct ucp_pathset *s, int fd, bool from0, size_t *line)
{
	struct ucp_fileslist *fl;
	struct ucp_fileslist_entry e;
	int ret;

	*line = 0;
	ret = ucp_fileslist_new(&fl, fd, from0 ? UCP_FILESLIST_FROM0 : 0);
	if (ret < 0)
		return ret;
	while ((ret = ucp_fileslist_next(fl, &e)) > 0) {
		ret = e.len ? add_path(s, e.name, e.len) : 0;
		if (ret < 0)
			break;
	}
	if (ret == -EINVAL || ret == -ENAMETOOLONG)
		*line = e.line;
	ucp_fileslist_free(fl);
	return ret;
}
