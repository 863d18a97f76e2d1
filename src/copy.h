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

/*
 * --sync: copy regular file name of d (a new directory of a mirror still
 * under its temporary name) straight to name, and report it to the
 * run's mode (run->mode->copied or ->linked; sync_ch: what changed) when
 * done.
 */
void ucp_copy_file_new(struct ucp_worker *w, struct ucp_dir *d,
		       const char *name, unsigned sync_ch);

/*
 * --sync: copy regular file name of d through a temporary that is renamed
 * to name when complete (with the source's attributes), then report it
 * to the run's mode (run->mode->copied or ->linked; sync_ch: what
 * changed). link_owner: the caller
 * claimed the file's hard-link group, which the job finishes; claim: the
 * job claims it itself (--preserve=links) once its statx is back.
 */
void ucp_copy_file_tmp(struct ucp_worker *w, struct ucp_dir *d,
		       const char *name, bool link_owner, bool claim,
		       unsigned sync_ch);

/*
 * Start copying regular file sname of d to dname. Takes a reference and a
 * src user on d for the job's lifetime. Call only when can_admit.
 */
void ucp_copy_file(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname);

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
