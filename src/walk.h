/* SPDX-License-Identifier: MIT */
/*
 * walk.h: directory nodes and the getdents64 reader.
 *
 * A struct ucp_dir stands for one source directory being copied and its
 * destination twin. Nodes form a tree through parent pointers; every file
 * and every subdirectory is opened relative to its parent's descriptors, so
 * neither PATH_MAX nor the depth of the tree limits ucp.
 *
 * Invariants:
 * - refs counts everything that still needs the node: the scan task, each
 *   in-flight file job and each live child. The thread that drops the last
 *   reference finalises the node (post-order: the directory's mode is set
 *   after all its children exist) and drops its reference on the parent.
 *   Finalising walks up iteratively, never recursively.
 * - src_users counts what still needs src_fd: the scan, in-flight file jobs
 *   and children not yet opened. src_fd is closed as soon as it reaches 0,
 *   so a chain 10,000 levels deep holds one descriptor per level (dst_fd),
 *   not two.
 * - idle_refs counts the references of children that have opened their
 *   own descriptors: when refs == idle_refs, dst_fd is needed again only
 *   on post-order. Past the run's budget of such descriptors it is then
 *   closed ("parked", after recording its st_dev and st_ino) and on
 *   post-order reopened by ".." from the child that finishes last (or by
 *   name from the nearest open ancestor), which must be the same
 *   directory. So a chain 10,000 levels deep holds a bounded number.
 * - A pseudo node stands for the parent directories of a single-file
 *   operand; it is never scanned and never finalised with a chmod.
 */
#ifndef UCP_WALK_H
#define UCP_WALK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/*
 * How many destination descriptors of directories that only wait for
 * their post-order (every reference left is an opened child's) a walk may
 * keep open; past it they are closed and reopened when their last child is
 * done. Shared by the nodes of a run (limit 0: no limit).
 */
struct ucp_dir_budget {
	atomic_int held;
	int limit;
	atomic_int open;      /* src_fd and dst_fd of the nodes, open */
	int open_limit;	      /* past it, workers drain before opening more */
	pthread_mutex_t lock; /* closing and reopening parked descriptors */
};

enum { UCP_DST_OPEN, UCP_DST_HELD, UCP_DST_PARKED };

struct ucp_dir {
	struct ucp_dir *parent;
	struct ucp_dir *qprev, *qnext; /* links in a worker's deque */
	atomic_int refs;
	atomic_int src_users;
	atomic_int idle_refs; /* refs held by children already opened */
	struct ucp_dir_budget *budget; /* shared by the run, or NULL */
	atomic_int dst_state; /* UCP_DST_OPEN, _HELD (counted in budget->held)
				 or _PARKED (closed until post-order) */
	dev_t dst_dev;	      /* what a parked dst_fd was */
	ino_t dst_ino;
	int dst_err;	 /* a parked dst_fd could not be reopened (errno) */
	int src_fd;	 /* -1 until opened, and after release */
	int dst_fd;	 /* -1 until opened */
	mode_t src_mode; /* the source directory's st_mode */
	struct stat sst;
	/* copy.c: whether others may rename names in it (UCP_TRUST_*) */
	atomic_int trust;
	dev_t root_dev; /* device of the operand this node came from (-x) */
	/* The operand's copy (its root directory; 0, 0: none): a source
	 * directory that is it is the copy itself, reached through a link or
	 * a bind mount into the source, and is not copied into itself. */
	dev_t copy_dev;
	ino_t copy_ino;
	bool no_scan;	    /* -x: another file system, create it empty */
	char *xattr_buf;    /* the source's xattrs, for post-order */
	size_t xattr_len;   /* the source's stat, for --preserve */
	mode_t final_mode;  /* mode to set on post-order, if fix_mode */
	bool fix_mode;	    /* we created it with extra owner bits */
	bool dst_path_only; /* dst_fd is O_PATH: a directory merged into that
			       the user may search and write, not read (a
			       drop box, 0733) */
	/*
	 * What an entry made in the copy inherits from it, looked up when
	 * first needed (plain.c: ucp_plain_dst_facts): 0 not known yet, else
	 * UCP_DST_KNOWN and UCP_DST_* bits; dst_gid is the group the entries
	 * get under UCP_DST_SETGID.
	 */
	atomic_uint dst_facts;
	atomic_uint dst_gid; /* (a gid_t: set by whichever looks first) */
	bool pseudo;	     /* parent dirs of a single-file operand */
	bool follow;	     /* follow symlinks (-L; operands without -r) */
	bool dst_through;    /* pseudo only: only_dst is a symlink to a device
				or FIFO, written into through it (cp's way) */
	bool opened;	     /* a worker has opened src_fd and dst_fd */
	bool created;	     /* the destination directory is new */
	atomic_bool dirty;   /* --sync: an entry of it was changed (set by the
				workers of its entries and subdirectories at
				once, read when it is finished) */
	bool in_tmp;	  /* --sync: in a tree built under a temporary name */
	bool foreign_tmp; /* --sync: holds a temporary of a live other run */
	bool scan_dst;	  /* --sync: list the copy for names to remove */
	signed char folds_case; /* its copy does not tell case apart
				   (1), does (-1), not known yet (0) */
	bool dst_seen;		/* an existing copy was found: its time below */
	/*
	 * --sync, not root: an existing copy without owner write gets it
	 * before the first change in it (0: not looked at, 1: being done,
	 * 2: done), and made_writable says so; ro_mode is its mode before.
	 */
	atomic_int writable;
	bool made_writable;
	mode_t ro_mode;
	bool sizes_lie; /* on /proc, /sys and the like: files are read to
			   their end, whatever size they show */
	struct timespec dst_mtim; /* ... as it was before the run wrote in it */
	struct timespec dst_ctim; /* ... and its change time then */
	/* --link-dest/--reflink-dest twins, one for each DIR given, -1 for
	 * one that is missing (NULL until the directory's scan starts). */
	int *ref_fds;
	unsigned nref;
	/* --sync: the rules of its merge files (dir-merge), or NULL; for
	 * --delete, those the destination will hold after the copy. */
	struct ucp_filter_dir *filter_dir;
	struct ucp_filter_dir *filter_dir_recv;
	/* Frees what the mode hung on the node (sync: the rules above), as
	 * the node is freed; NULL: nothing. */
	void (*release)(struct ucp_dir *d);
	const char *src_disp; /* roots only: the operand as typed */
	const char *dst_disp; /* roots only: the destination as typed */
	const char *dst_path; /* roots only: where it is (dst_disp, or the
				 temporary a first --sync builds it under) */
	const char *only_src; /* pseudo only: the single source leaf */
	const char *only_dst; /* pseudo only: the single destination leaf */
	char name[];	      /* name under the parent; "" for roots */
};

/*
 * Allocate a node for child 'name' of parent (which gains a reference and a
 * src user). Returns NULL on allocation failure.
 */
struct ucp_dir *ucp_dir_new_child(struct ucp_dir *parent, const char *name,
				  mode_t src_mode);

/* Allocate a root node; the display strings are borrowed for the run. */
struct ucp_dir *ucp_dir_new_root(const char *src_disp, const char *dst_disp);

/* Take a reference. */
void ucp_dir_get(struct ucp_dir *d);

/*
 * Drop a reference; the last one finalises the node and walks up the tree.
 * fin is called (if not NULL) for each node reaching zero, before its
 * descriptors are closed, so that it can apply metadata.
 */
typedef void (*ucp_dir_fin_fn)(struct ucp_dir *d, void *arg);
void ucp_dir_put(struct ucp_dir *d, ucp_dir_fin_fn fin, void *arg);

/*
 * Child d has opened its own descriptors (or given up): its parent's
 * src_fd loses a user, and its reference on the parent becomes idle.
 */
void ucp_dir_child_opened(struct ucp_dir *d);

/* Count the descriptors d has just been given (a root, or by the mode). */
void ucp_dir_fds_opened(struct ucp_dir *d);

/* Whether the nodes of budget b hold more descriptors than it allows. */
bool ucp_dir_budget_full(const struct ucp_dir_budget *b);

/*
 * openat for a directory of the walk: out of descriptors (EMFILE, ENFILE),
 * wait for other workers to close some and try again, for about a second,
 * rather than lose the directory.
 */
int ucp_dir_openat(int dirfd, const char *name, int flags);

/* Take and drop a user of src_fd; the last drop closes it. */
void ucp_dir_src_get(struct ucp_dir *d);
void ucp_dir_src_put(struct ucp_dir *d);
/*
 * Give back a user just taken by a caller that uses src_fd still, without
 * closing it (an operand's pseudo directory counts no users: a put there
 * would close it under the caller).
 */
void ucp_dir_src_unget(struct ucp_dir *d);

/*
 * Build the path of leaf (or of the directory itself if leaf is NULL) on
 * the source or destination side, as the user would write it. Returns a
 * malloc'd string, or NULL on allocation failure.
 */
char *ucp_dir_path(const struct ucp_dir *d, bool dst, const char *leaf);

/*
 * The same on the destination side, from where the root really is (for
 * system calls: a first --sync builds its tree under another name).
 */
char *ucp_dir_dst_path(const struct ucp_dir *d, const char *leaf);

/*
 * How much of ucp_dir_dst_path's path is the destination root's, as the
 * user named it (all of it for an operand's pseudo directory).
 */
size_t ucp_dir_dst_root_len(const struct ucp_dir *d);

/*
 * The path of leaf (or of d, for NULL) relative to the root of its tree,
 * without a leading slash: "" for the root itself. Malloc'd, or NULL.
 */
char *ucp_dir_rel(const struct ucp_dir *d, const char *leaf);

/*
 * Streaming reader over getdents64. Usage:
 *
 *	struct ucp_dirents r;
 *	ucp_dirents_init(&r, fd);
 *	while ((ret = ucp_dirents_next(&r, &name, &type)) > 0)
 *		use(name, type);
 *	if (ret < 0) report(-ret);
 *
 * "." and ".." are skipped. The name is valid until the next call.
 */
struct ucp_dirents {
	int fd;
	size_t pos, len;
	char buf[32768] __attribute__((aligned(8)));
};

void ucp_dirents_init(struct ucp_dirents *r, int fd);
/* Returns 1 with an entry, 0 at the end, or -errno. */
int ucp_dirents_next(struct ucp_dirents *r, const char **name,
		     unsigned char *type);

#endif
