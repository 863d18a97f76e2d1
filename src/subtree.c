/* SPDX-License-Identifier: MIT */
/* subtree.c: a deletion's walk of one directory tree (see subtree.h). */
#include "subtree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"
#include "walk.h"

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/* A directory on the way down. */
struct level {
	int fd;	   /* -1 when closed (past the levels kept open) */
	dev_t dev; /* ... and then what ".." must lead back to */
	ino_t ino;
	char *ents; /* its entries, read whole: a type byte, the name, NUL */
	size_t len, pos;
	size_t sublen; /* the length of its path below the top */
};

struct walk {
	int top_dirfd; /* where the top is (name top_name), to reopen it */
	const char *top_name;
	struct level *lv;
	size_t n, cap, keep;
	char *sub; /* the path below the top of the entry at hand */
	size_t subcap;
	struct ucp_dirents *r;
	ucp_subtree_fn fn;
	void *arg;
};

/* Append one entry (type, name) to l's list; false without memory. */
static bool add_entry(struct level *l, size_t *cap, unsigned char type,
		      const char *name)
{
	size_t need = strlen(name) + 2;

	if (l->len + need > *cap) {
		size_t nc = *cap ? *cap : 4096;
		char *p;

		while (nc < l->len + need)
			nc *= 2;
		p = realloc(l->ents, nc);
		if (!p)
			return false;
		l->ents = p;
		*cap = nc;
	}
	l->ents[l->len] = (char)type;
	memcpy(l->ents + l->len + 1, name, need - 1);
	l->len += need;
	return true;
}

/* Read directory fd's entries into l: 0, or -errno. */
static int read_entries(struct walk *w, int fd, struct level *l)
{
	const char *name;
	unsigned char type;
	size_t cap = 0;
	int n;

	ucp_dirents_init(w->r, fd);
	while ((n = ucp_dirents_next(w->r, &name, &type)) > 0)
		if (!add_entry(l, &cap, type, name))
			return -ENOMEM;
	return n;
}

/* Make w->sub the path of name below the directory at sub[0..base). */
static const char *set_sub(struct walk *w, size_t base, const char *name)
{
	size_t len = strlen(name), need = base + 1 + len + 1;

	if (need > w->subcap) {
		size_t nc = w->subcap ? w->subcap : 256;
		char *p;

		while (nc < need)
			nc *= 2;
		p = realloc(w->sub, nc);
		if (!p)
			return NULL;
		w->sub = p;
		w->subcap = nc;
	}
	if (base > 0)
		w->sub[base++] = '/';
	memcpy(w->sub + base, name, len + 1);
	return w->sub;
}

/*
 * Enter directory fd (taken), whose path below the top is sub[0..sublen):
 * its entries are read, and its parent's descriptor closed when that is
 * past the levels kept open. 0, 1 when it cannot be read (fd closed), or
 * -errno.
 */
static int enter(struct walk *w, int fd, size_t sublen)
{
	struct level *l, *p;
	struct stat st;
	int ret;

	if (w->n == w->cap) {
		size_t nc = w->cap ? w->cap * 2 : 16;
		struct level *nl = realloc(w->lv, nc * sizeof(*nl));

		if (!nl) {
			(void)close(fd); /* a directory, read-only */
			return -ENOMEM;
		}
		w->lv = nl;
		w->cap = nc;
	}
	l = &w->lv[w->n];
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->sublen = sublen;
	ret = read_entries(w, fd, l);
	if (ret < 0) {
		free(l->ents);
		(void)close(fd);
		return ret == -ENOMEM ? ret : 1;
	}
	w->n++;
	/* The parent, past the levels kept: closed, its identity kept. */
	if (w->n >= 2 && w->n - 1 >= w->keep) {
		p = &w->lv[w->n - 2];
		if (p->fd >= 0) {
			if (fstat(p->fd, &st) < 0)
				return -errno;
			p->dev = st.st_dev;
			p->ino = st.st_ino;
			(void)close(p->fd);
			p->fd = -1;
		}
	}
	return 0;
}

/*
 * Open level i (closed) again by the names on its path, from the nearest
 * level still open (or the top's own directory): -1 with errno when a
 * name cannot be followed.
 */
static int reopen_by_names(struct walk *w, size_t i)
{
	size_t k = i, at;
	int fd, next;

	while (k > 0 && w->lv[k - 1].fd < 0)
		k--;
	if (k == 0) {
		fd = openat(w->top_dirfd, w->top_name, DIR_FLAGS);
		at = 0;
	} else {
		fd = dup(w->lv[k - 1].fd);
		at = w->lv[k - 1].sublen;
	}
	/* w->sub holds the path of a level below i: its names lead down. */
	while (fd >= 0 && at < w->lv[i].sublen) {
		size_t end;
		char c;

		at += at > 0; /* (past the '/') */
		end = at;
		while (end < w->lv[i].sublen && w->sub[end] != '/')
			end++;
		c = w->sub[end];
		w->sub[end] = '\0';
		next = openat(fd, w->sub + at, DIR_FLAGS);
		w->sub[end] = c;
		(void)close(fd);
		fd = next;
		at = end;
	}
	return fd;
}

/*
 * Leave the deepest directory, all of it walked: its parent's descriptor
 * is had again when it was closed, by "..", or by the names down to it
 * where ".." cannot be searched (a directory that may be read, not
 * searched), and must be the directory it was. 0 or -errno.
 */
static int leave(struct walk *w)
{
	struct level *l = &w->lv[w->n - 1], *p;
	struct stat st;
	int ret = 0;

	if (w->n >= 2 && (p = &w->lv[w->n - 2])->fd < 0) {
		p->fd = openat(l->fd, "..", DIR_FLAGS);
		if (p->fd < 0 && errno == EACCES)
			p->fd = reopen_by_names(w, w->n - 2);
		if (p->fd < 0)
			ret = -errno;
		else if (fstat(p->fd, &st) < 0 || st.st_dev != p->dev ||
			 st.st_ino != p->ino)
			ret = -ESTALE; /* moved meanwhile */
	}
	(void)close(l->fd);
	free(l->ents);
	w->n--;
	return ret;
}

/* The next entry of the deepest directory, told, or entered. */
static int step(struct walk *w)
{
	struct level *l = &w->lv[w->n - 1];
	unsigned char type = (unsigned char)l->ents[l->pos];
	const char *name = l->ents + l->pos + 1, *sub;
	struct stat st;
	int fd, ret;

	l->pos += strlen(name) + 2;
	sub = set_sub(w, l->sublen, name);
	if (!sub)
		return -ENOMEM;
	if (type == DT_UNKNOWN)
		type = fstatat(l->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				       S_ISDIR(st.st_mode)
			       ? DT_DIR
			       : DT_REG;
	if (type != DT_DIR)
		return w->fn(w->arg, sub, w->n, UCP_SUBTREE_FILE);
	fd = openat(l->fd, name, DIR_FLAGS);
	if (fd < 0)
		return w->fn(w->arg, sub, w->n, UCP_SUBTREE_UNREAD);
	ret = enter(w, fd, strlen(sub));
	return ret == 1 ? w->fn(w->arg, sub, w->n, UCP_SUBTREE_UNREAD) : ret;
}

int ucp_subtree_walk(int dirfd, const char *name, size_t keep,
		     ucp_subtree_fn fn, void *arg)
{
	struct walk w = { .top_dirfd = dirfd,
			  .top_name = name,
			  .keep = keep ? keep : 1,
			  .fn = fn,
			  .arg = arg };
	struct stat st;
	int fd, ret;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return fn(arg, "", 0, UCP_SUBTREE_FILE);
	w.r = malloc(sizeof(*w.r));
	if (!w.r || !set_sub(&w, 0, "")) {
		free(w.r);
		return -ENOMEM;
	}
	fd = openat(dirfd, name, DIR_FLAGS);
	ret = fd < 0 ? 1 : enter(&w, fd, 0);
	if (ret == 1)
		ret = fn(arg, "", 0, UCP_SUBTREE_UNREAD);
	while (ret == 0 && w.n > 0) {
		struct level *l = &w.lv[w.n - 1];

		if (l->pos < l->len) {
			ret = step(&w);
			continue;
		}
		w.sub[l->sublen] = '\0';
		ret = fn(arg, w.sub, w.n - 1, UCP_SUBTREE_DIR);
		if (ret == 0)
			ret = leave(&w);
	}
	while (w.n > 0) {
		struct level *l = &w.lv[--w.n];

		if (l->fd >= 0)
			(void)close(l->fd);
		free(l->ents);
	}
	free(w.lv);
	free(w.sub);
	free(w.r);
	return ret;
}
