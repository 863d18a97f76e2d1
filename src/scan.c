/* SPDX-License-Identifier: MIT */
/*
 * scan.c: the counting walk behind the progress display. A thread of its
 * own walks the source operands ahead of the copy and adds up their files
 * (every entry that is not a directory, as the copy counts them) and the
 * bytes of their regular files, so that the display has a total, a percent
 * and an ETA from the first seconds instead of totals that grow until the
 * end.
 *
 * It reads directories with getdents (through readdir) and stats regular
 * files only; it never touches the destination. It follows the copy's
 * rules for symbolic links (-L, -H, operands without -r) and -x. It runs at
 * the lowest priority, on CPU time the copy leaves idle. Deeper
 * than SCAN_DEPTH open directories it gives up: the totals are then those
 * the copy finds, as without the walk. Calls only libc.
 */
#include "scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"
#include "path.h"

/* Open directories at once: a deeper tree is not counted ahead. */
#define SCAN_DEPTH 128

struct ucp_scan {
	pthread_t thread;
	struct ucp_scan_opts o;
	char *const *roots;
	size_t nroots;
	struct {
		dev_t dev;
		ino_t ino;
	} * ids; /* of the roots walked (the scan's thread's own) */
	atomic_int *cancel;
	atomic_bool stop;
	_Atomic uint64_t files, bytes;
	atomic_bool done;   /* the walk ended (complete or not) */
	atomic_bool failed; /* it gave up: the totals are not complete */
	bool joined;	    /* ucp_scan_stop waited for the thread */
};

static bool stopping(const struct ucp_scan *s)
{
	return atomic_load_explicit(&s->stop, memory_order_relaxed) ||
	       (s->cancel && *s->cancel);
}

static void add(struct ucp_scan *s, uint64_t files, uint64_t bytes)
{
	atomic_fetch_add_explicit(&s->files, files, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->bytes, bytes, memory_order_relaxed);
}

static bool is_dot(const char *name)
{
	return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/* Whether the type readdir gave is enough to count e (no stat needed). */
static bool counted_by_type(const struct ucp_scan *s, const struct dirent *e)
{
	return e->d_type != DT_UNKNOWN && e->d_type != DT_DIR &&
	       e->d_type != DT_REG && !(e->d_type == DT_LNK && s->o.follow_all);
}

/*
 * Count entry name of directory dirfd (device dev). Returns the open
 * descriptor of a subdirectory to descend into, or -1.
 */
static int count_entry(struct ucp_scan *s, int dirfd, const char *name,
		       dev_t dev)
{
	int flags = s->o.follow_all ? 0 : AT_SYMLINK_NOFOLLOW;
	struct stat st;

	if (fstatat(dirfd, name, &st, flags) < 0)
		return -1; /* vanished: the copy will say */
	if (!S_ISDIR(st.st_mode)) {
		add(s, 1, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0);
		return -1;
	}
	if (!s->o.recursive || (s->o.one_file_system && st.st_dev != dev))
		return -1;
	return openat(dirfd, name,
		      O_RDONLY | O_DIRECTORY | O_CLOEXEC |
			      (s->o.follow_all ? 0 : O_NOFOLLOW));
}

/*
 * Count the tree below the open directory fd (device dev), which it
 * closes: depth first, one open directory a level, SCAN_DEPTH levels at
 * most. False when it had to give up (too deep).
 */
static bool walk_tree(struct ucp_scan *s, int fd, dev_t dev)
{
	DIR *stack[SCAN_DEPTH];
	int depth = 0;
	bool ok = true;

	stack[0] = fdopendir(fd);
	if (!stack[0]) {
		(void)close(fd); /* read-only */
		return true;	 /* the copy reports it */
	}
	while (depth >= 0) {
		struct dirent *e =
			ok && !stopping(s) ? readdir(stack[depth]) : NULL;
		int sub;

		if (!e) {
			(void)closedir(stack[depth--]); /* read-only */
			continue;
		}
		if (is_dot(e->d_name))
			continue;
		if (counted_by_type(s, e)) {
			add(s, 1, 0);
			continue;
		}
		sub = count_entry(s, dirfd(stack[depth]), e->d_name, dev);
		if (sub < 0)
			continue;
		if (depth + 1 >= SCAN_DEPTH ||
		    (s->o.max_open && (unsigned)depth + 1 >= s->o.max_open)) {
			(void)close(sub); /* read-only */
			ok = false;
			continue;
		}
		stack[depth + 1] = fdopendir(sub);
		if (stack[depth + 1])
			depth++;
		else
			(void)close(sub); /* read-only */
	}
	return ok;
}

/*
 * Root i's identity, and whether an earlier root was the same file under
 * the same last name: one the copy takes for the same source given twice
 * (the same name in the target; two names of one file, hard links or a
 * link and what it leads to, are two copies, and counted so).
 */
static bool root_again(struct ucp_scan *s, size_t i, const struct stat *st)
{
	size_t j, n, m;
	const char *leaf = ucp_path_leaf(s->roots[i], &n), *other;

	s->ids[i].dev = st->st_dev;
	s->ids[i].ino = st->st_ino;
	for (j = 0; j < i; j++) {
		if (s->ids[j].dev != st->st_dev || s->ids[j].ino != st->st_ino)
			continue;
		other = ucp_path_leaf(s->roots[j], &m);
		if (m == n && memcmp(other, leaf, n) == 0)
			return true;
	}
	return false;
}

/*
 * Count root i. The same source given twice is copied once (with a
 * warning): counted once (its totals were twice what the copy did).
 */
static void walk_root(struct ucp_scan *s, size_t i)
{
	bool follow = s->o.follow_all || s->o.follow_roots;
	const char *path = s->roots[i];
	struct stat st;
	int fd;

	if ((follow ? stat(path, &st) : lstat(path, &st)) < 0)
		return;
	if (s->ids && root_again(s, i, &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		add(s, 1, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0);
		return;
	}
	if (!s->o.recursive)
		return;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && !walk_tree(s, fd, st.st_dev))
		atomic_store(&s->failed, true);
}

static void *scan_main(void *arg)
{
	struct ucp_scan *s = arg;
	size_t i;

	/*
	 * The walk yields to the copy: it takes the CPU time the copy leaves
	 * idle (waiting for a disk), which is when a long copy needs its
	 * totals, and on a copy bound by the CPU it costs little (measured on
	 * 100,000 small files, hot: +17% at the copy's priority, +4% at 19).
	 * On Linux a thread's nice value is its own.
	 */
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), 19);
	/* (Without the memory, a root given twice is counted twice.) */
	s->ids = calloc(s->nroots, sizeof(*s->ids));
	for (i = 0; i < s->nroots && !stopping(s); i++)
		walk_root(s, i);
	free(s->ids);
	s->ids = NULL;
	if (stopping(s))
		atomic_store(&s->failed, true);
	atomic_store(&s->done, true);
	return NULL;
}

int ucp_scan_start(struct ucp_scan **out, char *const *roots, size_t n,
		   const struct ucp_scan_opts *o, atomic_int *cancel)
{
	struct ucp_scan *s = calloc(1, sizeof(*s));
	int ret;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->o = *o;
	s->roots = roots;
	s->nroots = n;
	s->cancel = cancel;
	ret = pthread_create(&s->thread, NULL, scan_main, s);
	if (ret) {
		free(s);
		return -ret;
	}
	*out = s;
	return 0;
}

bool ucp_scan_read(const struct ucp_scan *s, uint64_t *files, uint64_t *bytes)
{
	*files = atomic_load_explicit(&s->files, memory_order_relaxed);
	*bytes = atomic_load_explicit(&s->bytes, memory_order_relaxed);
	return atomic_load(&s->done) && !atomic_load(&s->failed);
}

bool ucp_scan_running(const struct ucp_scan *s)
{
	return !atomic_load(&s->done);
}

void ucp_scan_stop(struct ucp_scan *s)
{
	if (!s || s->joined)
		return;
	atomic_store(&s->stop, true);
	(void)pthread_join(s->thread, NULL);
	s->joined = true;
}

void ucp_scan_free(struct ucp_scan *s)
{
	ucp_scan_stop(s);
	free(s);
}
