/* SPDX-License-Identifier: MIT */
/*
 * sched.h: run state, worker threads and the directory-task queues.
 *
 * One directory task = one source directory to scan. Each worker owns a
 * deque: it pushes the subdirectories it finds at the head and pops from the
 * head (depth first, which keeps the number of queued directories small),
 * and an idle worker steals from the tail of another's deque (the oldest,
 * shallowest task, which carries the most work).
 *
 * What a directory or an entry is, and what is done with it, is not known
 * here: the run's mode (struct ucp_mode_ops: tree.c for cp mode, sync.c for
 * sync mode) opens a taken directory, handles its entries and finalises it
 * on post-order, and the run's engine (struct ucp_engine_ops: copy.c, the
 * ring) has I/O in flight that the worker loop polls. Both are set on the
 * run by ucp.c. Errors of every module are reported through here.
 *
 * The run ends when no directory is queued or being scanned and no worker
 * has I/O in flight.
 *
 * Layer: the lowest of the engine (below plain, copy, tree, sync, ucp.c).
 * May call walk, meta, progress, util and the shared types (types.h);
 * never an engine or a mode, except through the two tables.
 */
#ifndef UCP_SCHED_H
#define UCP_SCHED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "meta.h"
#include "progress.h"
#include "status.h"
#include "types.h"
#include "u64set.h"
#include "walk.h"

struct ucp_copier;
struct ucp_file_task;
struct ucp_links;
struct ucp_run;
struct ucp_sync;
struct ucp_worker;

/*
 * The engine interface the worker loop drives: an asynchronous data path
 * with per-worker state in w->cp (copy.c, the io_uring engine). Without
 * one (run->engine NULL), or when init fails, a worker copies with
 * syscalls only (plain.c) and has nothing in flight.
 */
struct ucp_engine_ops {
	/* Set up w->cp; on failure return -errno and leave it NULL. */
	int (*init)(struct ucp_worker *w);
	/* Whether a new file may be started now (only with w->cp). */
	bool (*can_admit)(const struct ucp_worker *w);
	/* Files with I/O in flight (only with w->cp). */
	unsigned (*inflight)(const struct ucp_worker *w);
	/* Submit, wait up to one tick, handle completions (only with w->cp). */
	void (*poll)(struct ucp_worker *w);
	/* Tear down w->cp, if any; only with nothing in flight. */
	void (*free)(struct ucp_worker *w);
};

/*
 * The mode interface: what a run does with the directories the workers
 * take and the entries they read. Members marked optional may be NULL.
 */
struct ucp_mode_ops {
	/*
	 * Open taken task d for scanning (a child: its destination twin and
	 * its source). 0: scan it; -1: drop it (the problem was reported,
	 * and d->opened is set).
	 */
	int (*open_dir)(struct ucp_worker *w, struct ucp_dir *d);
	/*
	 * Optional: hand out the next entry of d (reader w->ents) to entry;
	 * false at its end. NULL: one getdents64 entry at a time.
	 */
	bool (*next)(struct ucp_worker *w, struct ucp_dir *d);
	/*
	 * Handle entry sname of d (dname: the destination leaf, which
	 * differs only for operands; type: d_type, or DT_UNKNOWN).
	 */
	void (*entry)(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname, unsigned char type);
	/*
	 * The same with the source stat'ed (st borrowed): the ring engine's
	 * way back for a file that is no longer a regular file.
	 */
	void (*entry_st)(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st);
	/* Optional: d's entries have all been handed out. */
	void (*dir_scanned)(struct ucp_worker *w, struct ucp_dir *d);
	/*
	 * Optional: the walk is over (nothing pending, no worker busy), as
	 * worker w found; true when it gave out work (ucp_sched_redo) that
	 * keeps the run going. Called until it gives none.
	 */
	bool (*walk_done)(struct ucp_worker *w);
	/* Post-order: d's last reference goes; make its metadata final. */
	void (*finalize_dir)(struct ucp_worker *w, struct ucp_dir *d);
	/*
	 * Optional hooks of tree.c's directory creation: whether an existing
	 * twin d (stat dst) is listed after its scan, and a new twin d.
	 */
	bool (*must_list)(const struct ucp_run *run, const struct ucp_dir *d,
			  const struct stat *dst);
	void (*dir_created)(struct ucp_worker *w, struct ucp_dir *d);
	/*
	 * copied: a file the mode handed to the ring with a change set ch
	 * (ucp_copy_start, UCP_COPY_DIRECT or _VIA_TMP), name of d, was
	 * copied (mode: its type and mode). linked: name of d was made a
	 * hard link to its group's copy, by any engine, at the moment it was
	 * (ucp_plain_link_claim's ch). Optional for a mode that lists
	 * neither (cp mode).
	 */
	void (*copied)(struct ucp_worker *w, struct ucp_dir *d,
		       const char *name, mode_t mode, unsigned ch);
	void (*linked)(struct ucp_worker *w, struct ucp_dir *d,
		       const char *name, mode_t mode, unsigned ch);
};

struct ucp_deque {
	pthread_mutex_t lock;
	struct ucp_dir *head, *tail;
};

struct ucp_worker {
	struct ucp_counters cnt; /* first: its own cache line */
	struct ucp_run *run;
	unsigned id;
	pthread_t thread;
	struct ucp_deque dq;
	struct ucp_dir *cur;	  /* directory being scanned, or NULL */
	bool cur_done;		  /* pseudo: its single entry was handed out */
	struct ucp_dirents *ents; /* reader for cur */
	struct ucp_copier *cp;	  /* io_uring engine state, or NULL */
	char *buf;		  /* run->chunk bytes for plain copies */
	bool clone_bad;		  /* FICLONE failed from clone_bad_dev */
	dev_t clone_bad_dev;
	bool cfr_bad;	   /* copy_file_range is not usable here */
	bool uncached_bad; /* RWF_DONTCACHE is refused here (--no-cache) */
	bool no_cached;	   /* no ucp_plain_file_cached (old kernel; tests) */
	struct {
		unsigned misses;  /* its tries that missed, in a row */
		unsigned skip;	  /* files it leaves to the ring untried */
		unsigned backoff; /* the last such skip, or 0 */
	} cached;		  /* plain.c: the shortcut's recent luck */
	bool handed; /* copying a file another worker handed over */
	bool redo;   /* handling anew a name met before (a waiter's) */
	/*
	 * --link-dest: whether the file in hand has a twin in a reference
	 * directory (1), has none (-1), or was not looked at (0); sync.c
	 * sets it for its link-group claim (plain.c's seeks)
	 */
	signed char ref_twin;
	const char *ref_name; /* ... of that file, named so (its leaf) */
	bool busy;	      /* counted in run->busy */
	off_t dropped;	     /* --no-cache: bytes of the file in hand dropped */
	off_t behind;	     /* cold big file: bytes handed to write-back, or
				-1 when its data is in memory (plain.c) */
	const char *row;     /* --debug: the planner's row for it (plan.h) */
	const char *link_to; /* the first name of the link group its last
				claim joined (--itemize-changes), or NULL */
	char backup[256];    /* -b: the backup the entry made (leaf), or "" */
	bool kept; /* the last replace check kept the destination (-n, -u,
		      -i said no): not a copy of the source */
	struct ucp_current current; /* the big file it copies, for progress */
	/* the folds of the names of folds_of met so far (tree.c, sync.c), and
	 * their ASCII folds (ucp_tree_fold_met) */
	struct ucp_u64set folds, afolds;
	const struct ucp_dir *folds_of;
};

struct ucp_run {
	const struct ucp_config *cfg;
	const struct ucp_events *ev;
	atomic_int *cancel;	  /* set by a signal handler, read by all */
	atomic_bool stop;	  /* fatal error: admit nothing new */
	atomic_int status;	  /* UCP_RUN_* bits */
	struct ucp_meta_env meta; /* umask and ids, for --preserve */
	atomic_bool nosup_said;	  /* (meta.nosup_said points here) */
	atomic_bool full_said;	  /* a full disk was said (emit) */
	/*
	 * Whether the copy's file system may not tell case apart (FAT,
	 * exFAT, NTFS, SMB, FUSE, or a casefolded ext4 or f2fs directory):
	 * 1, -1 where it cannot, 0 not known yet (ucp_tree_may_fold).
	 */
	atomic_int may_fold;
	bool use_uring;
	bool sqpoll; /* --sqpoll, with the io_uring engine */
	const struct ucp_engine_ops *engine; /* the ring's, or NULL */
	const struct ucp_mode_ops *mode;     /* cp or sync mode */
	unsigned nworkers;
	size_t chunk; /* I/O buffer size: also the small-file limit */
	unsigned bufs_per_worker;
	struct ucp_worker *workers;
	pthread_mutex_t lock;	    /* for idle waiting */
	pthread_cond_t cond;	    /* idle workers wait here for tasks */
	pthread_cond_t ended;	    /* the main thread waits here for workers */
	atomic_int sleepers;	    /* workers waiting on cond */
	atomic_long pending;	    /* directory tasks queued or being scanned,
				       and files handed over, not yet taken */
	atomic_int busy;	    /* workers with I/O in flight: what they
				       find may still be handed over */
	atomic_long queued;	    /* directory tasks queued */
	pthread_mutex_t files_lock; /* big files handed to idle workers */
	struct ucp_file_task *files;
	atomic_long nfiles;	 /* ... how many are queued */
	atomic_long files_open;	 /* ... queued or being copied (in pending
				    too: not the walk's, for progress) */
	atomic_uint seq;	 /* temporary-name sequence */
	pid_t pid;		 /* for temporary names */
	struct ucp_links *links; /* --preserve=links, else NULL */
	struct ucp_sync *sync;	 /* --sync, else NULL */
	const char *tmp_root;	 /* a new mirror is built here ... */
	const char *final_root;	 /* ... to be renamed to this (or NULL) */
	bool totals_ahead;	 /* a counting walk gives the progress totals */
	bool has_root_id;	 /* --sync: the mirror's root directory, as */
	dev_t root_dev;		 /* the copy found it (the deletions check */
	ino_t root_ino;		 /* that they reopen the same one) */
	unsigned exited;	 /* workers that have returned (under lock) */
	bool told_threads;	 /* too few threads: said (once a run) */
	atomic_bool told_ring;	 /* a worker without a ring: said (once) */
	atomic_bool told_dead;	 /* a worker's ring failed: said (once) */
	atomic_bool told_sqpoll; /* a ring without a poller: said (once) */
	unsigned held_fds; /* ordinary descriptors a worker's ring jobs may
			      hold at once (copy.c) */
	int dir_budget;	   /* directory descriptors to stay under (0:
			      any), for walks outside the workers */
	struct ucp_dir_budget *dirs; /* the walk's descriptors, or NULL */
};

/* True once the run must stop admitting new work. */
bool ucp_run_stopping(const struct ucp_run *run);

/* Queue a directory task (its src and dst are opened by whoever takes it). */
void ucp_sched_push(struct ucp_worker *w, struct ucp_dir *d);

/*
 * A regular file at least this big is handed to an idle worker (in cp
 * mode, and in sync mode a file with no twin in the destination), or queued
 * for the next one, instead of being copied by the worker that found it: a
 * directory of a few big files is otherwise copied by one thread while the
 * others wait.
 */
#define UCP_HAND_OVER_MIN (2u << 20)

/*
 * Hand regular file sname of d (st: its stat) to an idle worker, which
 * copies it as entry dname: true if handed (the caller drops the file and
 * counts nothing for it), false if it is the caller's to copy.
 */
bool ucp_sched_hand_over(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st);

/*
 * Have entry sname of d (dname) handled anew by the next worker that takes
 * a file, as if just read: a name that waited for its hard-link group's
 * copy, which failed, claims the group again. False when out of memory.
 */
bool ucp_sched_redo(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		    const char *dname);

#ifdef UCP_TEST_HOOKS
/*
 * Debug builds only: a worker with a file to hand over waits (up to 10 s)
 * for another to be idle, so that tests see every big file handed over.
 */
extern atomic_bool ucp_test_hand_over_wait;
#endif

/*
 * Start the workers, wait for them while calling the tick callback, and
 * join them. Roots must have been pushed to worker 0 before.
 */
int ucp_sched_run(struct ucp_run *run);

/*
 * Report a problem with entry leaf of d (src or dst side; leaf NULL for the
 * directory itself). err is a positive errno or 0.
 */
void ucp_report(struct ucp_worker *w, struct ucp_dir *d, const char *leaf,
		bool dst, enum ucp_op op, int err);
/*
 * The same for a failure of ucp_meta_apply (op and -ret its): an attribute
 * that could not be written is named, from x.
 */
void ucp_report_meta(struct ucp_worker *w, struct ucp_dir *d, const char *leaf,
		     enum ucp_op op, int ret, const struct ucp_xattrs *x);
/*
 * A hard link dname of d (destination side) that could not be made to
 * target, a path as the user names it (a copy's; NULL: the source's entry
 * sname of d, -l's). err is a positive errno.
 */
void ucp_report_link(struct ucp_worker *w, struct ucp_dir *d, const char *dname,
		     const char *target, const char *sname, int err);
/*
 * ucp_report of a source that is missing for good, not one that vanished
 * during the copy (a dangling symbolic link under -L): an error, exit 1.
 */
void ucp_report_missing(struct ucp_worker *w, struct ucp_dir *d,
			const char *leaf, enum ucp_op op, int err);

/* Report e as the caller filled it in (its paths as the user names them). */
void ucp_report_error(struct ucp_worker *w, struct ucp_error *e);

/* Report with two paths (src leaf sname, dst leaf dname). */
void ucp_report2(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		 const char *dname, enum ucp_op op);
/* ucp_report2, why (when not NULL) saying what stood in the way. */
void ucp_report2_why(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		     const char *dname, enum ucp_op op, const char *why);

/* Report with two destination-side leaves of d (a backup, say). */
void ucp_report2_dst(struct ucp_worker *w, struct ucp_dir *d, const char *a,
		     const char *b, enum ucp_op op, int err);

/*
 * The -v line for an entry, if asked for; --debug adds how it was made
 * (way: a phrase such as "copy_file_range"; NULL says "copied") and
 * the planner's row (w->row).
 */
void ucp_report_copied(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname, const char *way);

/*
 * Release the worker's reference on d (on the last, the mode's
 * finalize_dir for it and, up the tree, for each parent it frees).
 */
void ucp_sched_put_dir(struct ucp_worker *w, struct ucp_dir *d);

#endif
