/* SPDX-License-Identifier: MIT */
/*
 * pathset.c: the set of paths --files-from names (see pathset.h).
 *
 * Paths are kept as 64-bit hashes (u64set.h), with every parent directory
 * of each listed path, so that the walk can reach them.
 * Memory grows with the length of the list (32 bytes a path at most,
 * counting parents that are not shared, the listed ones apart, and the
 * listed names).
 */
#include "pathset.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"
#include "fileslist.h"
#include "u64set.h"
#include "util.h"

struct ucp_pathset {
	struct ucp_u64set set;	  /* listed paths and their parents */
	struct ucp_u64set listed; /* listed paths */
	/* directories listed as "dir/": their entries are listed too */
	struct ucp_u64set contents;
	bool root_contents; /* "." listed: the root's entries are */
	char *names;	    /* the listed paths, each NUL-terminated */
	size_t len, cap;
};

int ucp_pathset_new(struct ucp_pathset **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void ucp_pathset_free(struct ucp_pathset *s)
{
	if (!s)
		return;
	ucp_u64set_release(&s->set);
	ucp_u64set_release(&s->listed);
	ucp_u64set_release(&s->contents);
	free(s->names);
	free(s);
}

/* Whether rel (len bytes) is an entry of a directory listed as "dir/". */
static bool in_contents(const struct ucp_pathset *s, const char *rel,
			size_t len)
{
	size_t i = len;

	while (i > 0 && rel[i - 1] != '/')
		i--;
	if (i == 0)
		return s->root_contents;
	return s->contents.n &&
	       ucp_u64set_has(&s->contents, ucp_u64set_hash(rel, i - 1));
}

bool ucp_pathset_has(const struct ucp_pathset *s, const char *rel, size_t len)
{
	return ucp_u64set_has(&s->set, ucp_u64set_hash(rel, len)) ||
	       in_contents(s, rel, len);
}

bool ucp_pathset_listed(const struct ucp_pathset *s, const char *rel,
			size_t len)
{
	return ucp_u64set_has(&s->listed, ucp_u64set_hash(rel, len)) ||
	       in_contents(s, rel, len);
}

/* Keep the listed name path (len bytes). */
static int keep_name(struct ucp_pathset *s, const char *path, size_t len)
{
	if (s->cap - s->len < len + 1) {
		size_t cap = UCP_MAX(s->cap * 2, s->len + len + 1 + 4096);
		char *p = realloc(s->names, cap);

		if (!p)
			return -ENOMEM;
		s->names = p;
		s->cap = cap;
	}
	memcpy(s->names + s->len, path, len);
	s->names[s->len + len] = '\0';
	s->len += len + 1;
	return 0;
}

/*
 * Add listed path (normalised, relative) and each of its parent
 * directories, and keep its name.
 */
static int add_path(struct ucp_pathset *s, const char *path, size_t len)
{
	size_t i;
	int ret = keep_name(s, path, len);

	if (ret == 0)
		ret = ucp_u64set_add(&s->set, ucp_u64set_hash(path, len));
	if (ret == 0)
		ret = ucp_u64set_add(&s->listed, ucp_u64set_hash(path, len));
	for (i = len; ret == 0 && i > 0; i--)
		if (path[i - 1] == '/' && i > 1)
			ret = ucp_u64set_add(&s->set,
					     ucp_u64set_hash(path, i - 1));
	return ret;
}

int ucp_pathset_each(const struct ucp_pathset *s,
		     int (*fn)(void *arg, const char *rel), void *arg)
{
	size_t off;
	int ret = 0;

	for (off = 0; ret == 0 && off < s->len;
	     off += strlen(s->names + off) + 1)
		ret = fn(arg, s->names + off);
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
		/*
		 * "dir/" and "." list a directory's entries too (not deeper),
		 * as rsync's --files-from, which implies --dirs, takes them.
		 */
		if (!e.len)
			s->root_contents = true;
		ret = e.len ? add_path(s, e.name, e.len) : 0;
		if (ret == 0 && e.len && e.trailing_slash)
			ret = ucp_u64set_add(&s->contents,
					     ucp_u64set_hash(e.name, e.len));
		if (ret < 0)
			break;
	}
	if (ret == -EINVAL || ret == -ENAMETOOLONG)
		*line = e.line;
	ucp_fileslist_free(fl);
	return ret;
}
