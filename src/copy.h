/* SPDX-License-Identifier: MIT */
/*
 * copy.h: the io_uring data path for regular files, one engine per worker.
 *
 * A file is a job. Its source is stat'ed through the ring (IORING_OP_STATX),
 * then a small file (up to one buffer) is copied by one linked chain
 *
 *   OPENAT(src -> slot a) -> READ(a) -> OPENAT(dst -> slot b, O_EXCL)
 *     -> WRITE(b) -> CLOSE(a) -> CLOSE(b)
 *
 * with IOSQE_CQE_SKIP_SUCCESS on all but the last op: one completion per
 * file, whether it succeeds or fails at some step. A larger file goes
 * through linked READ->WRITE pairs, several chunks in flight, each on a
 * buffer borrowed from the worker's pool.
 *
 * How a regular file is copied (--engine=auto; --debug names the way):
 *
 *   what is known of the file                 the way
 *   ----------------------------------------  ------------------------------
 *   in the dentry cache, data cached, <= buf   syscalls: its bytes read once
 *     (plain.c ucp_plain_file_cached)          (RWF_NOWAIT), then written
 *   in the dentry cache, > buf, cfr usable     syscalls: copy_file_range in
 *                                              calls of 32 MiB
 *   anything else, <= buf                      ring: the six-op chain above
 *                                              (a file the shortcut opened
 *                                              and found not in memory:
 *                                              its descriptor and stat go
 *                                              to the job; four ops)
 *   > buf, copy_file_range usable             syscalls: copy_file_range
 *     (>= 64 MiB, data not in memory: what    (plain.c, write_behind)
 *     was copied goes to write-back at once)
 *   > buf, copy_file_range unusable (across    ring: linked READ->WRITE
 *     file systems, tmpfs, --reflink=never)    chunks (written back behind
 *                                              as above: chunk_written)
 *   sparse, --sparse=always, --reflink=always, syscalls: extents, FICLONE,
 *     --no-cache                               the page-cache drop
 *   >= 2 MiB and another worker idle, or      handed to that worker, which
 *     fewer queued than workers (cp mode;     decides again (sched.h)
 *     sync mode, a file with no twin)
 *   after 8 in a row not in memory             ring, for 8 files, then one is
 *                                              tried; 16 if it misses, ...
 *                                              (plain.c, cached_missed)
 *
 * A chain that fails transiently (EINTR, EAGAIN, ECANCELED) or reads
 * short, and a big file that changed under its chunks, are copied again
 * with syscalls, which look at the file again after their copy.
 *
 * Admission is bounded by job slots and buffers; nothing here allocates
 * per file.
 *
 * Layer: engine, above sched. May call plain (what the ring cannot do),
 * ring, sched, walk, meta, util. What a finished file means to the mode
 * goes back through run->mode (entry_st, copied, linked), never by name:
 * no mode (tree, sync) and not ucp.c.
 */
#ifndef UCP_COPY_H
#define UCP_COPY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "sched.h"

/*
 * Set up the worker's ring, job slots and buffers (w->cp). Returns 0 or
 * -errno; on failure w->cp stays NULL and the worker copies with syscalls.
 */
int ucp_copy_init(struct ucp_worker *w);

/* Tear down; only with nothing in flight. */
void ucp_copy_free(struct ucp_worker *w);

/* Whether a new file may be started now (a job slot and a buffer). */
bool ucp_copy_can_admit(const struct ucp_worker *w);

/* Files with I/O in flight. */
unsigned ucp_copy_inflight(const struct ucp_worker *w);

/* Where a file job writes. */
enum ucp_copy_how {
	/*
	 * cp mode: dname, created new (O_EXCL); an existing one is left to
	 * the syscall engine, which replaces it (ucp_plain_replace).
	 */
	UCP_COPY_NEW = 0,
	/*
	 * --sync, a file of a new directory of a mirror still under its
	 * temporary name: straight to dname, then reported to the mode.
	 */
	UCP_COPY_DIRECT,
	/*
	 * --sync: a temporary sibling, renamed over dname (with the source's
	 * attributes) when complete, then reported to the mode.
	 */
	UCP_COPY_VIA_TMP,
};

/* The hard-link group of the file (--preserve=links). */
enum ucp_copy_links {
	UCP_LINKS_NONE = 0, /* nothing to do (or claimed by the engine) */
	UCP_LINKS_OWNER,    /* the caller claimed it; the job finishes it */
	UCP_LINKS_CLAIM,    /* the job claims it once its statx is back */
};

/* One file to copy: the whole description the engine needs. */
struct ucp_copy_job {
	const char *sname; /* source leaf in d */
	const char *dname; /* destination leaf in d */
	enum ucp_copy_how how;
	enum ucp_copy_links links; /* with UCP_COPY_VIA_TMP only */
	unsigned ch;		   /* --sync: what changed (UCP_CH_*) */
	/*
	 * UCP_COPY_VIA_TMP: dname has no twin, so that the mode's entry_st
	 * can copy the file anew from its stat alone; a big one may then be
	 * handed to an idle worker (not with UCP_LINKS_OWNER: the group's
	 * claim stays with this job, on_statx).
	 */
	bool fresh;
};

/*
 * Start copying file job of d. Takes a reference and a src user on d for
 * the job's lifetime; the result is reported when it is done (-v, and
 * the mode's copied/linked for DIRECT and VIA_TMP). A file whose name and
 * data need no disk is copied at once with syscalls (for a cp-mode job)
 * instead. Call only when can_admit. False when the ring it needed could
 * not be set up: the engine is gone then (w->cp is NULL), nothing was
 * done, and the caller copies the file with syscalls.
 */
bool ucp_copy_start(struct ucp_worker *w, struct ucp_dir *d,
		    const struct ucp_copy_job *job);

/* The most names ucp_copy_stat takes at once. */
#define UCP_COPY_STAT_MAX 128u

/* One name for ucp_copy_stat. */
struct ucp_stat_req {
	int dirfd;
	const char *name; /* stays valid until ucp_copy_stat returns */
	int flags;	  /* AT_SYMLINK_NOFOLLOW, or 0 */
	struct stat *st;  /* the result, when err is 0 */
	bool here;	  /* stat with a syscall while the ring works */
	int err;	  /* 0, or the errno of the stat */
};

/*
 * Stat reqs[0..n) (n <= UCP_COPY_STAT_MAX): those not marked 'here'
 * through the ring, in one submission; then those marked 'here' with
 * syscalls, while the kernel's io_uring workers run the others; then
 * wait for the ring's. Completions of files in flight that arrive
 * meanwhile are handled as ucp_copy_poll would. A name the ring cannot
 * take is stat'ed with a syscall too.
 */
void ucp_copy_stat(struct ucp_worker *w, struct ucp_stat_req *reqs, unsigned n);

/* Submit queued work, wait up to one tick for completions and handle them. */
void ucp_copy_poll(struct ucp_worker *w);

/* The functions above for the worker loop (run->engine). */
extern const struct ucp_engine_ops ucp_copy_engine;

#endif
