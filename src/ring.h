/* SPDX-License-Identifier: MIT */
/*
 * ring.h: the only door to io_uring's queue mechanics, and the test seam.
 *
 * Callers describe operations as plain structs; ring.c turns them into
 * SQEs. tests/unit/fake_ring.c implements the same functions and records
 * what was queued, so the copy state machine can be driven with synthetic
 * completions (io_uring_get_sqe is static inline in liburing 2.3 and cannot
 * be wrapped at link time).
 *
 * A ring belongs to the thread that created it (SINGLE_ISSUER and
 * DEFER_TASKRUN); it is never shared.
 */
#ifndef UCP_RING_H
#define UCP_RING_H

#include <stdbool.h>
#include <stdint.h>

enum ucp_ring_kind {
	UCP_RING_OPENAT, /* openat into a direct slot (slot >= 0) */
	UCP_RING_READ,
	UCP_RING_WRITE,
	UCP_RING_CLOSE, /* close a direct slot */
	UCP_RING_STATX,
	UCP_RING_CANCEL_ALL, /* cancel every request in flight (Linux 5.19) */
};

#define UCP_RING_LINK 0x1u /* the next op runs only if this one succeeds */
#define UCP_RING_SKIP 0x2u /* no completion when this op succeeds */
/* (Test hooks) not counted as its operation by UCP_FAULT. */
#define UCP_RING_NO_FAULT 0x4u

struct ucp_ring_op {
	enum ucp_ring_kind kind;
	int fd;		  /* dirfd (openat, statx), or fd/slot (read, write) */
	bool fixed;	  /* read/write: fd is a direct slot */
	int slot;	  /* openat/close: the direct slot */
	const char *path; /* openat/statx; must stay valid until queued */
	int flags;	  /* open(2) flags, or statx flags */
	unsigned mode;	  /* open mode, or statx mask */
	void *buf; /* read/write data, or struct statx; live until done */
	unsigned len;
	uint64_t off;
	uint64_t user_data;
	unsigned link; /* UCP_RING_* flags */
};

struct ucp_ring;

/*
 * Set up a ring with at least 'entries' SQEs and 'slots' direct descriptor
 * slots; with sqpoll, a kernel thread of its own takes its submissions,
 * or, if the kernel will not, it submits by itself and *sqpoll_err says
 * why (-EPERM: before 5.11, only with CAP_SYS_ADMIN; 0 otherwise). The
 * opcodes are not
 * probed again: call only after ucp_ring_probe said yes in this process
 * (the run does, once, before its workers start). Returns 0, or -errno
 * from io_uring setup (-ENOSYS, -EPERM, -ENOMEM) or -EOPNOTSUPP when a
 * needed feature is missing.
 */
int ucp_ring_new(struct ucp_ring **out, unsigned entries, unsigned slots,
		 bool sqpoll, int *sqpoll_err);
void ucp_ring_free(struct ucp_ring *r);

/*
 * Queue n ops as one unit: a chain is never split across submissions (the
 * kernel would end it at the boundary), so when the SQ lacks room the
 * queued work is submitted first. Returns 0 or -errno.
 */
int ucp_ring_queue(struct ucp_ring *r, const struct ucp_ring_op *ops,
		   unsigned n);

/* Submit what is queued without waiting. Returns 0 or -errno. */
int ucp_ring_submit(struct ucp_ring *r);

/*
 * Submit what is queued and wait for at least wait_nr completions or
 * timeout_ms. Returns 0, -ETIME on timeout, -EINTR, or another -errno.
 */
int ucp_ring_submit_wait(struct ucp_ring *r, unsigned wait_nr,
			 unsigned timeout_ms);

/* Call fn for every ready completion, then advance the CQ in one batch. */
typedef void (*ucp_ring_cqe_fn)(void *arg, uint64_t user_data, int res);
unsigned ucp_ring_reap(struct ucp_ring *r, ucp_ring_cqe_fn fn, void *arg);

/*
 * Whether a ring with everything ucp needs can be set up here; on failure
 * returns -errno and a short reason in *why (static storage).
 */
int ucp_ring_probe(const char **why);

#endif
