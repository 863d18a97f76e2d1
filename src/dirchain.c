/* SPDX-License-Identifier: MIT */
/*
 * dirchain.c: the chain of open directories below a root (see dirchain.h).
 *
 * A request is answered in three steps: keep the levels whose components
 * it shares with the chain (close the others), reopen any of those kept
 * that were closed for want of descriptors, then open (or create) the
 * components left, each in the one before.
 */
#include "dirchain.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"
#include "util.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
/* (With O_DIRECTORY, O_PATH | O_NOFOLLOW refuses a link with ENOTDIR.) */
#define DIR_FLAGS_PATH (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

void ucp_dirchain_init(struct ucp_dirchain *c, int root_fd)
{
	memset(c, 0, sizeof(*c));
	c->root_fd = root_fd;
}

/* The number of leading levels of c whose path is a prefix of rel. */
static size_t shared_levels(const struct ucp_dirchain *c, const char *rel,
			    size_t len)
{
	size_t i, start = 0;

	for (i = 0; i < c->n; i++) {
		size_t end = c->lv[i].end;

		if (end > len || (end < len && rel[end] != '/') ||
		    memcmp(c->path + start, rel + start, end - start) != 0)
			break;
		start = end + 1;
	}
	return i;
}

/* Close the levels from k on. */
static void cut(struct ucp_dirchain *c, size_t k)
{
	while (c->n > k) {
		int fd = c->lv[--c->n].fd;

		if (fd >= 0) {
			(void)close(fd); /* a directory, read-only */
			c->nopen--;
		}
	}
	c->len = k ? c->lv[k - 1].end : 0;
	c->lo = UCP_MIN(c->lo, c->n);
}

/* Close open level j, remembering what it was; false if fstat fails. */
static bool close_level(struct ucp_dirchain *c, size_t j)
{
	struct stat st;

	if (fstat(c->lv[j].fd, &st) < 0)
		return false;
	c->lv[j].dev = st.st_dev;
	c->lv[j].ino = st.st_ino;
	(void)close(c->lv[j].fd); /* read-only */
	c->lv[j].fd = -1;
	c->nopen--;
	return true;
}

/*
 * Close the oldest open levels below level top (which stays open) while
 * more than max_open are open.
 */
static void bound(struct ucp_dirchain *c, size_t top)
{
	size_t j;

	if (!c->max_open)
		return;
	for (j = c->lo; j < top && c->nopen > c->max_open; j++)
		if (c->lv[j].fd >= 0)
			(void)close_level(c, j);
	while (c->lo < top && c->lv[c->lo].fd < 0)
		c->lo++;
}

/* The descriptor level i is opened in. */
static int parent_fd(const struct ucp_dirchain *c, size_t i)
{
	return i == 0 ? c->root_fd : c->lv[i - 1].fd;
}

/*
 * Out of descriptors while opening level i: close the open levels above
 * its parent (they can be reopened). False if there were none to close.
 */
static bool shed(struct ucp_dirchain *c, size_t i)
{
	bool closed = false;
	size_t j;

	for (j = 0; j + 1 < i; j++)
		if (c->lv[j].fd >= 0 && close_level(c, j))
			closed = true;
	return closed;
}

/* openat of level i's component name, shedding levels once on EMFILE. */
static int open_at(struct ucp_dirchain *c, size_t i, const char *name)
{
	int flags = c->path_only ? DIR_FLAGS_PATH : DIR_FLAGS;
	int fd = openat(parent_fd(c, i), name, flags);

	if (fd < 0 && (errno == EMFILE || errno == ENFILE) && shed(c, i))
		fd = openat(parent_fd(c, i), name, flags);
	if (fd < 0 && errno == EACCES && c->path_fallback && !c->path_only) {
		fd = openat(parent_fd(c, i), name, DIR_FLAGS_PATH);
		if (fd < 0)
			errno = EACCES;
	}
	if (fd >= 0)
		c->opens++;
	return fd;
}

/* Copy the component path[start..end) of a request into name. */
static int component(const char *path, size_t start, size_t end,
		     char name[NAME_MAX + 1])
{
	if (end == start)
		return -EINVAL;
	if (end - start > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, path + start, end - start);
	name[end - start] = '\0';
	return 0;
}

/* Open level i (whose parent is open) by the name it has in the chain. */
static int reopen(struct ucp_dirchain *c, size_t i)
{
	char name[NAME_MAX + 1];
	size_t start = i ? c->lv[i - 1].end + 1 : 0;
	int ret = component(c->path, start, c->lv[i].end, name), fd;
	struct stat st;

	if (ret < 0)
		return ret;
	fd = open_at(c, i, name);
	if (fd < 0)
		return errno == ELOOP ? -ENOTDIR : -errno;
	if (fstat(fd, &st) < 0 || st.st_dev != c->lv[i].dev ||
	    st.st_ino != c->lv[i].ino) {
		(void)close(fd); /* read-only */
		return -ESTALE;
	}
	c->lv[i].fd = fd;
	c->nopen++;
	c->lo = UCP_MIN(c->lo, i);
	bound(c, i);
	return 0;
}

/*
 * Make the last level open again if it was shed: from the nearest level
 * still open (or the root), reopen each one below it. On failure the
 * chain ends above the level that could not be opened.
 */
static int revive(struct ucp_dirchain *c)
{
	size_t j = c->n, i;
	int ret;

	if (j == 0 || c->lv[j - 1].fd >= 0)
		return 0;
	while (j > 0 && c->lv[j - 1].fd < 0)
		j--;
	for (i = j; i < c->n; i++) {
		ret = reopen(c, i);
		if (ret < 0) {
			cut(c, i);
			return ret;
		}
	}
	return 0;
}

/* Room for one more level reaching to byte end of the path. */
static int reserve(struct ucp_dirchain *c, size_t end)
{
	if (end > c->cap) {
		size_t cap = UCP_MAX(UCP_MAX(end, c->cap * 2), 256);
		char *p = realloc(c->path, cap);

		if (!p)
			return -ENOMEM;
		c->path = p;
		c->cap = cap;
	}
	if (c->n == c->lvcap) {
		size_t cap = UCP_MAX(c->lvcap * 2, 16);
		struct ucp_dirchain_level *lv =
			realloc(c->lv, cap * sizeof(*lv));

		if (!lv)
			return -ENOMEM;
		c->lv = lv;
		c->lvcap = cap;
	}
	return 0;
}

/* Open (with create, make first) the component name as the next level. */
static int open_next(struct ucp_dirchain *c, const char *name, bool create,
		     bool *made)
{
	int fd = open_at(c, c->n, name);

	*made = false;
	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(parent_fd(c, c->n), name, 0777) == 0)
			*made = true;
		else if (errno != EEXIST)
			return -errno;
		fd = open_at(c, c->n, name);
	}
	/* O_NOFOLLOW on a symbolic link gives ELOOP: not a directory here. */
	if (fd < 0)
		return errno == ELOOP ? -ENOTDIR : -errno;
	return fd;
}

int ucp_dirchain_open(struct ucp_dirchain *c, const char *rel, size_t len,
		      bool create)
{
	char name[NAME_MAX + 1];
	bool made;
	int fd, ret;

	cut(c, shared_levels(c, rel, len));
	ret = revive(c);
	if (ret < 0)
		return ret;
	while (c->len < len) {
		size_t start = c->n ? c->len + 1 : 0, end = start;

		while (end < len && rel[end] != '/')
			end++;
		ret = component(rel, start, end, name);
		if (ret == 0)
			ret = reserve(c, end);
		if (ret < 0)
			return ret;
		fd = open_next(c, name, create, &made);
		if (made && c->made)
			c->made(c->made_arg, rel, end);
		if (fd < 0)
			return fd;
		if (c->n)
			c->path[start - 1] = '/';
		memcpy(c->path + start, name, end - start);
		c->lv[c->n].fd = fd;
		c->lv[c->n].end = end;
		c->n++;
		c->len = end;
		c->nopen++;
		bound(c, c->n - 1);
	}
	return c->n ? c->lv[c->n - 1].fd : c->root_fd;
}

void ucp_dirchain_release(struct ucp_dirchain *c)
{
	cut(c, 0);
	free(c->path);
	free(c->lv);
	c->path = NULL;
	c->lv = NULL;
	c->cap = c->lvcap = 0;
}
