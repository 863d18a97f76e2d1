/* SPDX-License-Identifier: MIT */
/* path.c: joining path names (see path.h). */
#include "path.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

const char *ucp_path_leaf(const char *path, size_t *len)
{
	size_t end = strlen(path), start;

	while (end > 1 && path[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	*len = end - start;
	return path + start;
}

char *ucp_path_backup(const char *path, const char *leaf, size_t len,
		      const char *suffix)
{
	size_t dlen = (size_t)(leaf - path), xlen = strlen(suffix);
	char *s = malloc(dlen + len + xlen + 1);

	if (!s)
		return NULL;
	memcpy(s, path, dlen + len);
	memcpy(s + dlen + len, suffix, xlen + 1);
	if (len + xlen > NAME_MAX) {
		s[dlen + NAME_MAX - 1] = '~';
		s[dlen + NAME_MAX] = '\0';
	}
	return s;
}

char *ucp_path_join_n(const char *dir, size_t dlen, const char *leaf)
{
	size_t b = strlen(leaf);
	bool slash = dlen > 0 && dir[dlen - 1] != '/';
	char *s = malloc(dlen + b + 2);

	if (!s)
		return NULL;
	memcpy(s, dir, dlen);
	if (slash)
		s[dlen++] = '/';
	memcpy(s + dlen, leaf, b + 1);
	return s;
}

char *ucp_path_join(const char *dir, const char *leaf)
{
	return ucp_path_join_n(dir, strlen(dir), leaf);
}

char *ucp_path_quotable(const char *s)
{
	size_t n = 1;
	const char *p;
	char *q, *o;

	for (p = s; *p; p++)
		n += *p == '\'' || *p == '\\' ? 2 : 1;
	q = malloc(n);
	if (!q)
		return NULL;
	for (o = q, p = s; *p; p++) {
		if (*p == '\'' || *p == '\\')
			*o++ = '\\';
		*o++ = *p;
	}
	*o = '\0';
	return q;
}

/*
 * Whether the kernel would follow link (lstat lst) in directory dir as
 * fs.protected_symlinks does: in a sticky directory others may write,
 * only a link of the follower's or of the directory's owner.
 */
static bool may_follow(const char *dir, const struct stat *lst)
{
	struct stat dst;

	if (stat(dir, &dst) < 0)
		return false;
	return (dst.st_mode & (S_ISVTX | S_IWOTH)) != (S_ISVTX | S_IWOTH) ||
	       lst->st_uid == geteuid() || lst->st_uid == dst.st_uid;
}

/* The next path on from link cur (lstat lst), or NULL with errno. */
static char *link_next(const char *cur, const struct stat *lst)
{
	const char *slash = strrchr(cur, '/');
	char *dir =
		slash ? strndup(cur, (size_t)(slash - cur) + 1) : strdup(".");
	char target[PATH_MAX], *next = NULL;
	ssize_t n = -1;

	if (!dir)
		errno = ENOMEM;
	else if (!may_follow(dir, lst))
		errno = EACCES;
	else
		n = readlink(cur, target, sizeof(target) - 1);
	if (n >= 0) {
		target[n] = '\0';
		next = target[0] == '/' || !slash ? strdup(target)
						  : ucp_path_join(dir, target);
		if (!next)
			errno = ENOMEM;
	}
	free(dir);
	return next;
}

/*
 * Whether each link on path's way may be followed (may_follow); the path
 * each one names is put on *todo (*n of cap), to be looked at so too.
 */
static bool prefixes_trusted(const char *path, char **todo, size_t *n,
			     size_t cap)
{
	size_t len = strlen(path), i;
	char *prefix = malloc(len + 1), *next;
	struct stat lst;
	bool ok = prefix != NULL;

	if (!prefix)
		errno = ENOMEM;
	/* Each prefix that ends a component: "a", "a/b", ... */
	for (i = 1; ok && i <= len; i++) {
		if (path[i - 1] == '/' || (i < len && path[i] != '/'))
			continue;
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		if (lstat(prefix, &lst) < 0 || !S_ISLNK(lst.st_mode))
			continue;
		/* (As the kernel gives up on too many links.) */
		if (*n == cap) {
			errno = ELOOP;
			ok = false;
			break;
		}
		next = link_next(prefix, &lst);
		ok = next != NULL;
		if (ok)
			todo[(*n)++] = next;
	}
	free(prefix);
	return ok;
}

bool ucp_path_links_trusted(const char *path)
{
	enum { MAX_LINKS = 40 };
	char *todo[MAX_LINKS], *cur = NULL;
	size_t n = 0, seen = 0;
	bool ok;

	/* The path, then each link's target, 40 in all at most. */
	ok = prefixes_trusted(path, todo, &n, MAX_LINKS);
	while (ok && seen < n) {
		cur = todo[seen++];
		ok = prefixes_trusted(cur, todo, &n, MAX_LINKS);
	}
	while (n > 0)
		free(todo[--n]);
	return ok;
}

char *ucp_path_through_links(const char *path)
{
	char *cur = strdup(path), *next;
	struct stat lst;
	int hops;

	/* (As the kernel, up to 40 links.) */
	for (hops = 0; cur && hops <= 40; hops++) {
		if (lstat(cur, &lst) < 0 || !S_ISLNK(lst.st_mode))
			return cur; /* (open makes it, or says why) */
		next = link_next(cur, &lst);
		free(cur);
		if (!next)
			return NULL;
		cur = next;
	}
	errno = cur ? ELOOP : ENOMEM;
	free(cur);
	return NULL;
}
