/* SPDX-License-Identifier: MIT */
/*
 * ring.c: io_uring setup, feature probing, SQE preparation and reaping.
 *
 * Setup asks for SINGLE_ISSUER|DEFER_TASKRUN|SUBMIT_ALL and drops flags
 * the kernel refuses with -EINVAL (DEFER_TASKRUN needs 6.1, SINGLE_ISSUER
 * 6.0, COOP_TASKRUN 5.19): without DEFER_TASKRUN the chain engine ran at
 * half speed in our measurements, but it still works.
 *
 * ucp needs IORING_FEAT_LINKED_FILE (5.18, 5.17.4 stable) so that a read
 * linked after an openat into a direct slot sees the file that openat
 * installed, and IORING_FEAT_CQE_SKIP (5.17) so that a whole file costs one
 * completion. Without them the caller falls back to the thread engine.
 */
#include "ring.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"
#include "fault.h"
#include "util.h"

#ifdef UCP_TEST_HOOKS
/* A request made to fail (or come back short) by the fault rules. */
struct injected {
	uint64_t user_data;
	int what; /* an errno, or UCP_FAULT_SHORT */
	unsigned len;
};
#define MAX_INJECTED 64
#endif

struct ucp_ring {
	struct io_uring ring;
	unsigned slots;
#ifdef UCP_TEST_HOOKS
	unsigned ninjected;
	struct injected injected[MAX_INJECTED];
#endif
};

static const unsigned setup_flags[] = {
	IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
		IORING_SETUP_SUBMIT_ALL,
	IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
	IORING_SETUP_SUBMIT_ALL,
	0,
};

static const int needed_ops[] = {
	IORING_OP_OPENAT, IORING_OP_CLOSE, IORING_OP_READ,
	IORING_OP_WRITE,  IORING_OP_STATX,
};

#define NEEDED_FEATS                                                           \
	(IORING_FEAT_LINKED_FILE | IORING_FEAT_CQE_SKIP | IORING_FEAT_NODROP | \
	 IORING_FEAT_EXT_ARG)

/*
 * --sqpoll: a kernel thread takes the ring's submissions, so that a worker
 * makes no io_uring_enter to submit (only to wait). DEFER_TASKRUN cannot
 * go with it. Each ring has a poller of its own: rings that share one
 * (ATTACH_WQ) get at most 8 requests taken per pass each, and a chain
 * cut there is no longer one chain (its write went to whatever the slot
 * held: measured, mixed data).
 */
static const unsigned sqpoll_flags[] = {
	IORING_SETUP_SQPOLL | IORING_SETUP_SUBMIT_ALL,
	IORING_SETUP_SQPOLL,
};

/* How long the poller spins without work before it sleeps (ms). */
#define SQPOLL_IDLE_MS 50

static int ring_setup(struct io_uring *ring, unsigned entries, bool sqpoll)
{
	const unsigned *flags = sqpoll ? sqpoll_flags : setup_flags;
	size_t i,
		n = sqpoll ? ARRAY_SIZE(sqpoll_flags) : ARRAY_SIZE(setup_flags);
	int ret = -EINVAL;

	for (i = 0; i < n; i++) {
		struct io_uring_params p;

		memset(&p, 0, sizeof(p));
		p.flags = flags[i];
		p.cq_entries = entries * 2;
		p.flags |= IORING_SETUP_CQSIZE;
		if (sqpoll)
			p.sq_thread_idle = SQPOLL_IDLE_MS;
		ret = io_uring_queue_init_params(entries, ring, &p);
		if (ret != -EINVAL)
			break;
	}
	if (ret < 0)
		return ret;
	if ((ring->features & NEEDED_FEATS) != NEEDED_FEATS) {
		io_uring_queue_exit(ring);
		return -EOPNOTSUPP;
	}
	return 0;
}

static int check_probe(struct io_uring *ring)
{
	/* (Asked here, not by io_uring_get_probe_ring: its error is kept.) */
	struct io_uring_probe *probe =
		calloc(1, sizeof(*probe) + 256 * sizeof(probe->ops[0]));
	size_t i;
	int ret;

	if (!probe)
		return -ENOMEM;
	ret = io_uring_register_probe(ring, probe, 256);
	if (ret < 0) {
		free(probe);
		return ret == -EPERM ? ret : -EOPNOTSUPP;
	}
	ret = 0;
	for (i = 0; i < ARRAY_SIZE(needed_ops); i++)
		if (!io_uring_opcode_supported(probe, needed_ops[i]))
			ret = -EOPNOTSUPP;
	free(probe);
	return ret;
}

/*
 * Whether the ring takes a request: a seccomp filter may let a ring be
 * set up and refuse io_uring_enter (then nothing would ever complete).
 */
static int check_enter(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct __kernel_timespec ts = { .tv_sec = 1 };
	struct io_uring_cqe *cqe;
	int ret;

	if (!sqe)
		return -EBUSY;
	io_uring_prep_nop(sqe);
	/* (As the copy waits: with a timeout, IORING_ENTER_EXT_ARG.) */
	ret = io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, NULL);
	if (ret < 0)
		return ret;
	if (io_uring_peek_cqe(ring, &cqe) == 0)
		io_uring_cqe_seen(ring, cqe);
	return 0;
}

int ucp_ring_probe(const char **why)
{
	struct io_uring ring;
	int ret;

	ret = ring_setup(&ring, 8, false);
	if (ret == -EOPNOTSUPP) {
		*why = "the kernel lacks linked direct descriptors or skip-success completions (5.18 or later needed)";
		return ret;
	}
	if (ret < 0) {
		*why = ret == -EPERM
			       ? "io_uring is not permitted by seccomp or kernel.io_uring_disabled"
		       : ret == -ENOSYS ? "the kernel has no io_uring"
		       : ret == -ENOMEM
			       ? "not enough memory for a ring (ulimit -l, the memory cgroup, ulimit -v)"
			       : "io_uring setup failed";
		return ret;
	}
	ret = check_probe(&ring);
	if (ret < 0)
		*why = ret == -EPERM
			       ? "io_uring_register is not permitted by seccomp"
			       : "the kernel lacks an io_uring operation ucp needs";
	if (ret == 0) {
		ret = check_enter(&ring);
		if (ret < 0)
			*why = ret == -EPERM
				       ? "io_uring_enter is not permitted by seccomp"
				       : "io_uring_enter failed";
	}
	io_uring_queue_exit(&ring);
	return ret;
}

int ucp_ring_new(struct ucp_ring **out, unsigned entries, unsigned slots,
		 bool sqpoll, int *sqpoll_err)
{
	struct ucp_ring *r;
	int *fds = NULL, ret = -EINVAL;
	unsigned i;

	*sqpoll_err = 0;
	if (ucp_fault_fail(UCP_FAULT_RING) < 0)
		return -errno;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (sqpoll) {
		ret = ucp_fault_fail(UCP_FAULT_SQPOLL) < 0
			      ? -errno
			      : ring_setup(&r->ring, entries, true);
		*sqpoll_err = ret < 0 ? ret : 0;
	}
	if (ret < 0)
		ret = ring_setup(&r->ring, entries, false);
	if (ret < 0) {
		free(r);
		return ret;
	}
	/* A table of -1 works back to 5.13, unlike the 5.19 sparse flag. */
	fds = malloc(sizeof(*fds) * slots);
	if (!fds) {
		ret = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < slots; i++)
		fds[i] = -1;
	ret = io_uring_register_files(&r->ring, fds, slots);
	free(fds);
	if (ret < 0)
		goto fail;
	r->slots = slots;
	/* Saves an fdget per io_uring_enter; optional (5.18). */
	(void)io_uring_register_ring_fd(&r->ring);
	*out = r;
	return 0;
fail:
	io_uring_queue_exit(&r->ring);
	free(r);
	return ret;
}

void ucp_ring_free(struct ucp_ring *r)
{
	if (!r)
		return;
	io_uring_queue_exit(&r->ring);
	free(r);
}

#ifdef UCP_TEST_HOOKS
static enum ucp_fault_op fault_op(const struct ucp_ring_op *op)
{
	switch (op->kind) {
	case UCP_RING_OPENAT:
		return op->flags & O_CREAT ? UCP_FAULT_CREATE : UCP_FAULT_OPEN;
	case UCP_RING_READ:
		return UCP_FAULT_READ;
	case UCP_RING_WRITE:
		return UCP_FAULT_WRITE;
	case UCP_RING_CLOSE:
		return UCP_FAULT_CLOSE;
	default:
		return UCP_FAULT_STAT;
	}
}

/*
 * Apply the fault rules to a prepared request. A failure is made real, so
 * that the kernel cancels what is linked after it: the request gets a
 * descriptor no call accepts (EBADF), and reaping says the errno asked
 * for. A short read reads at the end of the file (0 bytes, which breaks
 * its link as a real short read does); a short write says half of what it
 * wrote (only where its completion is posted: a lone or last write).
 */
static void inject(struct ucp_ring *r, struct io_uring_sqe *sqe,
		   const struct ucp_ring_op *op)
{
	int what;

	/* (Not the close of a source, nor a chain's look at its source.) */
	if (r->ninjected == MAX_INJECTED || (op->link & UCP_RING_NO_FAULT))
		return;
	what = ucp_fault(fault_op(op));
	if (what == 0)
		return;
	if (what == UCP_FAULT_SHORT) {
		if (op->kind == UCP_RING_READ) {
			sqe->off = 1ULL << 62;
			return;
		}
		if (op->kind != UCP_RING_WRITE || (op->link & UCP_RING_SKIP))
			return;
	} else if (op->kind == UCP_RING_CLOSE) {
		sqe->file_index = 0; /* a plain close(-1) */
		sqe->fd = -1;
	} else {
		sqe->fd = -1;
		sqe->flags &= (__u8)~IOSQE_FIXED_FILE;
	}
	r->injected[r->ninjected++] = (struct injected){
		.user_data = op->user_data, .what = what, .len = op->len
	};
}

/* The result an injected request reports instead of res. */
static int injected_res(struct ucp_ring *r, uint64_t user_data, int res)
{
	unsigned i;

	for (i = 0; i < r->ninjected; i++) {
		struct injected *x = &r->injected[i];

		if (x->user_data != user_data)
			continue;
		if (x->what == UCP_FAULT_SHORT && res == (int)x->len &&
		    x->len > 1)
			res = (int)(x->len / 2);
		else if (x->what > 0 && res == -EBADF)
			res = -x->what;
		*x = r->injected[--r->ninjected];
		break;
	}
	return res;
}
#else
static void inject(struct ucp_ring *r, struct io_uring_sqe *sqe,
		   const struct ucp_ring_op *op)
{
	(void)r;
	(void)sqe;
	(void)op;
}
#endif

static void prep_one(struct io_uring_sqe *sqe, const struct ucp_ring_op *op)
{
	switch (op->kind) {
	case UCP_RING_OPENAT:
		io_uring_prep_openat_direct(sqe, op->fd, op->path, op->flags,
					    op->mode, (unsigned)op->slot);
		break;
	case UCP_RING_READ:
		io_uring_prep_read(sqe, op->fd, op->buf, op->len, op->off);
		if (op->fixed)
			sqe->flags |= IOSQE_FIXED_FILE;
		break;
	case UCP_RING_WRITE:
		io_uring_prep_write(sqe, op->fd, op->buf, op->len, op->off);
		if (op->fixed)
			sqe->flags |= IOSQE_FIXED_FILE;
		break;
	case UCP_RING_CLOSE:
		io_uring_prep_close_direct(sqe, (unsigned)op->slot);
		break;
	case UCP_RING_STATX:
		io_uring_prep_statx(sqe, op->fd, op->path, op->flags, op->mode,
				    op->buf);
		break;
	case UCP_RING_CANCEL_ALL:
		io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
		break;
	}
	if (op->link & UCP_RING_LINK)
		sqe->flags |= IOSQE_IO_LINK;
	if (op->link & UCP_RING_SKIP)
		sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
	io_uring_sqe_set_data64(sqe, op->user_data);
}

int ucp_ring_queue(struct ucp_ring *r, const struct ucp_ring_op *ops,
		   unsigned n)
{
	unsigned i;

	if (io_uring_sq_space_left(&r->ring) < n) {
		int ret = io_uring_submit(&r->ring);

		if (ret < 0)
			return ret;
		/* A poller takes the requests when it runs: wait for room. */
		while ((r->ring.flags & IORING_SETUP_SQPOLL) &&
		       io_uring_sq_space_left(&r->ring) < n) {
			ret = io_uring_sqring_wait(&r->ring);
			if (ret < 0 && ret != -EINTR)
				return ret;
		}
		if (io_uring_sq_space_left(&r->ring) < n)
			return -EBUSY;
	}
	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);

		/* Cannot fail: space was checked above. */
		prep_one(sqe, &ops[i]);
		inject(r, sqe, &ops[i]);
	}
	return 0;
}

int ucp_ring_submit(struct ucp_ring *r)
{
	int ret = io_uring_submit(&r->ring);

	return ret < 0 ? ret : 0;
}

int ucp_ring_submit_wait(struct ucp_ring *r, unsigned wait_nr,
			 unsigned timeout_ms)
{
	struct __kernel_timespec ts = {
		.tv_sec = timeout_ms / 1000,
		.tv_nsec = (long long)(timeout_ms % 1000) * 1000000,
	};
	struct io_uring_cqe *cqe;
	int ret;

	if (ucp_fault_fail(UCP_FAULT_ENTER) < 0)
		return -errno;
	ret = io_uring_submit_and_wait_timeout(&r->ring, &cqe, wait_nr, &ts,
					       NULL);
	if (ret >= 0)
		return 0;
	return ret;
}

unsigned ucp_ring_reap(struct ucp_ring *r, ucp_ring_cqe_fn fn, void *arg)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	io_uring_for_each_cqe(&r->ring, head, cqe) {
		int res = cqe->res;

#ifdef UCP_TEST_HOOKS
		if (r->ninjected)
			res = injected_res(r, cqe->user_data, res);
#endif
		fn(arg, cqe->user_data, res);
		n++;
	}
	/* One store to the CQ head for the whole batch. */
	io_uring_cq_advance(&r->ring, n);
	return n;
}
