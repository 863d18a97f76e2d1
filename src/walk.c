/* SPDX-License-Identifier: MIT */
/*
 * walk.c: directory nodes (reference counted, finalised post-order) and a
 * getdents64 reader.
 *
 * This file does no copying and makes no decisions; it keeps track of which
 * directory descriptors are still needed and closes them as soon as they are
 * not. The run's mode (tree.c, sync.c) decides what to do with each entry.
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"
#include "util.h"

static struct ucp_dir *dir_alloc(const char *name)
{
	size_t len = strlen(name) + 1;
	struct ucp_dir *d = calloc(1, sizeof(*d) + len);

	if (!d)
		return NULL;
	memcpy(d->name, name, len);
	atomic_init(&d->refs, 1);
	atomic_init(&d->src_users, 0);
	d->src_fd = -1;
	d->dst_fd = -1;
	d->ref_fd = -1;
	return d;
}

struct ucp_dir *ucp_dir_new_child(struct ucp_dir *parent, const char *name,
				  mode_t src_mode)
{
	struct ucp_dir *d = dir_alloc(name);

	if (!d)
		return NULL;
	d->parent = parent;
	d->src_mode = src_mode;
	d->in_tmp = parent->in_tmp;
	ucp_dir_get(parent);
	ucp_dir_src_get(parent);
	return d;
}

struct ucp_dir *ucp_dir_new_root(const char *src_disp, const char *dst_disp)
{
	struct ucp_dir *d = dir_alloc("");

	if (!d)
		return NULL;
	d->src_disp = src_disp;
	d->dst_disp = dst_disp;
	d->dst_path = dst_disp;
	return d;
}

void ucp_dir_get(struct ucp_dir *d)
{
	atomic_fetch_add_explicit(&d->refs, 1, memory_order_relaxed);
}

void ucp_dir_src_get(struct ucp_dir *d)
{
	atomic_fetch_add_explicit(&d->src_users, 1, memory_order_relaxed);
}

void ucp_dir_src_put(struct ucp_dir *d)
{
	if (atomic_fetch_sub_explicit(&d->src_users, 1, memory_order_acq_rel) !=
	    1)
		return;
	/* A read-only descriptor: close cannot lose data. */
	if (d->src_fd >= 0)
		(void)close(d->src_fd);
	d->src_fd = -1;
}

void ucp_dir_put(struct ucp_dir *d, ucp_dir_fin_fn fin, void *arg)
{
	/*
	 * A loop rather than recursion: finishing the last file of a chain
	 * 10,000 directories deep finalises all 10,000 on this stack frame.
	 */
	while (d) {
		struct ucp_dir *parent = d->parent;

		if (atomic_fetch_sub_explicit(&d->refs, 1,
					      memory_order_acq_rel) != 1)
			return;
		if (fin)
			fin(d, arg);
		if (d->src_fd >= 0)
			(void)close(d->src_fd);
		if (d->dst_fd >= 0)
			(void)close(d->dst_fd);
		if (d->ref_fd >= 0)
			(void)close(d->ref_fd);
		free(d->xattr_buf);
		free(d);
		d = parent;
	}
}

/* Append s (n bytes) to the buffer being built, growing it as needed. */
static int buf_append(char **buf, size_t *len, size_t *cap, const char *s,
		      size_t n)
{
	size_t need;

	if (ucp_add_overflow(*len, n + 1, &need))
		return -ENOMEM;
	if (need > *cap) {
		size_t ncap = UCP_MAX(need, *cap * 2);
		char *nb = realloc(*buf, ncap);

		if (!nb)
			return -ENOMEM;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

static int join_component(char **buf, size_t *len, size_t *cap, const char *s)
{
	if (*len > 0 && (*buf)[*len - 1] != '/' &&
	    buf_append(buf, len, cap, "/", 1) < 0)
		return -ENOMEM;
	return buf_append(buf, len, cap, s, strlen(s));
}

/* Where append_dir starts a path. */
enum from { FROM_SRC, FROM_DST, FROM_DST_PATH, FROM_ROOT };

/*
 * Append the path of d to the buffer: from the root's display name on
 * either side, from where the destination root really is, or from the root
 * itself ("" for the root).
 */
static int append_dir(char **buf, size_t *len, size_t *cap,
		      const struct ucp_dir *d, enum from from)
{
	const struct ucp_dir *p, **chain;
	size_t depth = 0, i;
	const char *root;
	int ret = -ENOMEM;

	for (p = d; p->parent; p = p->parent)
		depth++;
	root = from == FROM_ROOT       ? ""
	       : from == FROM_DST      ? p->dst_disp
	       : from == FROM_DST_PATH ? p->dst_path
				       : p->src_disp;
	/* Collect the chain once so that building stays linear in depth. */
	chain = calloc(depth + 1, sizeof(*chain));
	if (!chain)
		return -ENOMEM;
	i = depth;
	for (p = d; p->parent; p = p->parent)
		chain[--i] = p;
	if (buf_append(buf, len, cap, root, strlen(root)) < 0)
		goto out;
	for (i = 0; i < depth; i++)
		if (join_component(buf, len, cap, chain[i]->name) < 0)
			goto out;
	ret = 0;
out:
	free(chain);
	return ret;
}

static char *dir_path(const struct ucp_dir *d, enum from from, const char *leaf)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (d->pseudo) {
		const char *s = from == FROM_SRC ? d->src_disp : d->dst_disp;

		if (buf_append(&buf, &len, &cap, s, strlen(s)) < 0)
			goto fail;
		return buf;
	}
	if (append_dir(&buf, &len, &cap, d, from) < 0)
		goto fail;
	if (leaf && join_component(&buf, &len, &cap, leaf) < 0)
		goto fail;
	return buf;
fail:
	free(buf);
	return NULL;
}

char *ucp_dir_path(const struct ucp_dir *d, bool dst, const char *leaf)
{
	return dir_path(d, dst ? FROM_DST : FROM_SRC, leaf);
}

char *ucp_dir_dst_path(const struct ucp_dir *d, const char *leaf)
{
	return dir_path(d, FROM_DST_PATH, leaf);
}

char *ucp_dir_rel(const struct ucp_dir *d, const char *leaf)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (d->pseudo)
		return strdup(leaf ? leaf : "");
	if (append_dir(&buf, &len, &cap, d, FROM_ROOT) < 0 ||
	    (leaf && join_component(&buf, &len, &cap, leaf) < 0) ||
	    buf_append(&buf, &len, &cap, "", 1) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

void ucp_dirents_init(struct ucp_dirents *r, int fd)
{
	r->fd = fd;
	r->pos = 0;
	r->len = 0;
}

/* The kernel's struct linux_dirent64; glibc 2.36 does not export it. */
struct kdirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int ucp_dirents_next(struct ucp_dirents *r, const char **name,
		     unsigned char *type)
{
	for (;;) {
		struct kdirent64 *e;

		if (r->pos >= r->len) {
			ssize_t n = getdents64(r->fd, r->buf, sizeof(r->buf));

			if (n < 0)
				return -errno;
			if (n == 0)
				return 0;
			r->len = (size_t)n;
			r->pos = 0;
		}
		e = (struct kdirent64 *)(r->buf + r->pos);
		r->pos += e->d_reclen;
		if (e->d_name[0] == '.' &&
		    (e->d_name[1] == '\0' ||
		     (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		*name = e->d_name;
		*type = e->d_type;
		return 1;
	}
}
