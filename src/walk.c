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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"
#include "util.h"

/* The reference directories' descriptors (read-only directories). */
static void close_refs(struct ucp_dir *d)
{
	unsigned i;

	for (i = 0; d->ref_fds && i < d->nref; i++)
		if (d->ref_fds[i] >= 0)
			(void)close(d->ref_fds[i]);
	free(d->ref_fds);
}

static struct ucp_dir *dir_alloc(const char *name)
{
	size_t len = strlen(name) + 1;
	struct ucp_dir *d = calloc(1, sizeof(*d) + len);

	if (!d)
		return NULL;
	memcpy(d->name, name, len);
	atomic_init(&d->refs, 1);
	atomic_init(&d->src_users, 0);
	atomic_init(&d->writable, 0);
	d->src_fd = -1;
	d->dst_fd = -1;
	return d;
}

struct ucp_dir *ucp_dir_new_child(struct ucp_dir *parent, const char *name,
				  mode_t src_mode)
{
	struct ucp_dir *d = dir_alloc(name);

	if (!d)
		return NULL;
	d->parent = parent;
	d->budget = parent->budget;
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

int ucp_dir_openat(int dirfd, const char *name, int flags)
{
	int fd = openat(dirfd, name, flags);
	long ms;

	for (ms = 1;
	     fd < 0 && (errno == EMFILE || errno == ENFILE) && ms <= 512;
	     ms *= 2) {
		struct timespec ts = { 0, ms * 1000000L };

		(void)nanosleep(&ts, NULL);
		fd = openat(dirfd, name, flags);
	}
	return fd;
}

/* Close descriptor fd of d, counting it off the budget. */
static void fd_close(struct ucp_dir *d, int fd)
{
	(void)close(fd); /* a directory, read-only */
	if (d->budget)
		atomic_fetch_sub_explicit(&d->budget->open, 1,
					  memory_order_relaxed);
}

void ucp_dir_fds_opened(struct ucp_dir *d)
{
	int n = (d->src_fd >= 0) + (d->dst_fd >= 0);

	if (d->budget && n)
		atomic_fetch_add_explicit(&d->budget->open, n,
					  memory_order_relaxed);
}

bool ucp_dir_budget_full(const struct ucp_dir_budget *b)
{
	return b && b->open_limit > 0 &&
	       atomic_load_explicit(&b->open, memory_order_relaxed) >=
		       b->open_limit;
}

void ucp_dir_src_unget(struct ucp_dir *d)
{
	atomic_fetch_sub_explicit(&d->src_users, 1, memory_order_relaxed);
}

void ucp_dir_src_put(struct ucp_dir *d)
{
	if (atomic_fetch_sub_explicit(&d->src_users, 1, memory_order_acq_rel) !=
	    1)
		return;
	/* A read-only descriptor: close cannot lose data. */
	if (d->src_fd >= 0)
		fd_close(d, d->src_fd);
	d->src_fd = -1;
}

#define DIR_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

/*
 * Every reference left on d but the caller's is an opened child's: keep
 * dst_fd within the budget (held), or close it until post-order (parked).
 * The caller holds a reference, so d cannot be finalised meanwhile; the
 * state changes once only.
 */
static void try_park(struct ucp_dir *d)
{
	struct ucp_dir_budget *b = d->budget;
	int open = UCP_DST_OPEN;
	struct stat st;

	if (!b || b->limit <= 0 || !d->parent || d->pseudo || d->dst_fd < 0 ||
	    atomic_load(&d->dst_state) != UCP_DST_OPEN)
		return;
	if (atomic_fetch_add(&b->held, 1) < b->limit) {
		if (!atomic_compare_exchange_strong(&d->dst_state, &open,
						    UCP_DST_HELD))
			atomic_fetch_sub(&b->held, 1);
		return;
	}
	atomic_fetch_sub(&b->held, 1);
	pthread_mutex_lock(&b->lock);
	if (atomic_load(&d->dst_state) == UCP_DST_OPEN &&
	    fstat(d->dst_fd, &st) == 0) {
		d->dst_dev = st.st_dev;
		d->dst_ino = st.st_ino;
		fd_close(d, d->dst_fd);
		d->dst_fd = -1;
		atomic_store(&d->dst_state, UCP_DST_PARKED);
	}
	pthread_mutex_unlock(&b->lock);
}

void ucp_dir_child_opened(struct ucp_dir *d)
{
	struct ucp_dir *p = d->parent;

	ucp_dir_fds_opened(d);
	atomic_fetch_add(&p->idle_refs, 1);
	if (atomic_load(&p->refs) == atomic_load(&p->idle_refs))
		try_park(p);
	ucp_dir_src_put(p);
}

/* Whether fd is the directory dev/ino. */
static bool same_dir(int fd, dev_t dev, ino_t ino)
{
	struct stat st;

	return fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

/*
 * Open parked d's destination by name, one level at a time from its
 * nearest ancestor still open, checking each parked level on the way.
 * Under the budget's lock: no ancestor's descriptor changes meanwhile.
 */
static int reopen_by_name(struct ucp_dir *d)
{
	struct ucp_dir *top = d->parent, *a, *p;
	int fd, next;

	while (top && top->dst_fd < 0 &&
	       atomic_load(&top->dst_state) == UCP_DST_PARKED)
		top = top->parent;
	if (!top || top->dst_fd < 0)
		return -ENOENT;
	a = top;
	fd = top->dst_fd; /* borrowed */
	for (;;) {
		/* The level below a on the way to d. */
		for (p = d; p->parent != a; p = p->parent)
			;
		next = openat(fd, p->name, DIR_FLAGS);
		if (next < 0) {
			next = -errno;
		} else if (!same_dir(next, p->dst_dev, p->dst_ino)) {
			(void)close(next); /* read-only */
			next = -ESTALE;
		}
		if (a != top)
			(void)close(fd); /* read-only */
		if (next < 0 || p == d)
			return next;
		fd = next;
		a = p;
	}
}

/*
 * Make parked d's dst_fd open again for its post-order: by ".." from the
 * child that finished last (below, when it had one), else by name; it
 * must be the directory recorded when it was parked. On failure dst_fd
 * stays -1 and dst_err says why, for the mode to report.
 */
static void unpark(struct ucp_dir *d, int below)
{
	int fd;

	if (below >= 0) {
		fd = openat(below, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			fd = -errno;
		else if (!same_dir(fd, d->dst_dev, d->dst_ino)) {
			(void)close(fd); /* read-only */
			fd = -ESTALE;
		}
	} else {
		pthread_mutex_lock(&d->budget->lock);
		fd = reopen_by_name(d);
		pthread_mutex_unlock(&d->budget->lock);
	}
	if (fd < 0) {
		d->dst_err = -fd;
		return;
	}
	d->dst_fd = fd;
	atomic_fetch_add_explicit(&d->budget->open, 1, memory_order_relaxed);
}

/*
 * Drop a reference to d (idle: an opened child's); true on the last. The
 * last holder other than opened children may park dst_fd first.
 */
static bool drop(struct ucp_dir *d, bool idle)
{
	if (idle) {
		atomic_fetch_sub(&d->idle_refs, 1);
	} else {
		int i = atomic_load(&d->idle_refs);

		if (i > 0 && atomic_load(&d->refs) - 1 == i)
			try_park(d);
	}
	return atomic_fetch_sub_explicit(&d->refs, 1, memory_order_acq_rel) ==
	       1;
}

void ucp_dir_put(struct ucp_dir *d, ucp_dir_fin_fn fin, void *arg)
{
	int below = -1; /* the finished child's dst_fd, to reach d by ".." */
	bool idle = false;

	/*
	 * A loop rather than recursion: finishing the last file of a chain
	 * 10,000 directories deep finalises all 10,000 on this stack frame.
	 */
	while (d) {
		struct ucp_dir *parent = d->parent;
		int state;

		if (!drop(d, idle))
			break;
		state = atomic_load(&d->dst_state);
		if (state == UCP_DST_PARKED)
			unpark(d, below);
		else if (state == UCP_DST_HELD)
			atomic_fetch_sub(&d->budget->held, 1);
		if (below >= 0)
			(void)close(below); /* a directory, read-only */
		if (fin)
			fin(d, arg);
		if (d->src_fd >= 0)
			fd_close(d, d->src_fd);
		below = d->dst_fd;
		if (below >= 0 && d->budget)
			atomic_fetch_sub_explicit(&d->budget->open, 1,
						  memory_order_relaxed);
		close_refs(d);
		if (d->release)
			d->release(d);
		free(d->xattr_buf);
		free(d);
		d = parent;
		idle = true;
	}
	if (below >= 0)
		(void)close(below);
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

size_t ucp_dir_dst_root_len(const struct ucp_dir *d)
{
	const struct ucp_dir *p = d;

	if (d->pseudo)
		return strlen(d->dst_disp);
	while (p->parent)
		p = p->parent;
	return strlen(p->dst_path);
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
