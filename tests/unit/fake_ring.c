/* SPDX-License-Identifier: MIT */
/*
 * fake_ring.c: see fake_ring.h. No kernel is involved: queued ops are kept
 * in an array, and completions come only from fake_ring_complete.
 */
#include "fake_ring.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct ucp_ring {
	int unused;
};

struct ucp_ring_op fake_ops[FAKE_MAX_OPS];
unsigned fake_nops;

static struct {
	uint64_t user_data;
	int res;
} pending[FAKE_MAX_OPS];
static unsigned npending;
static int setup_err;
static bool answer_statx;
static unsigned answered; /* ops looked at by the statx answerer */

void fake_ring_reset(void)
{
	fake_nops = 0;
	npending = 0;
	answer_statx = false;
	answered = 0;
	memset(fake_ops, 0, sizeof(fake_ops));
}

void fake_ring_complete(uint64_t user_data, int res)
{
	unsigned i;

	/* A chain's look at its source again (its last op): made for real. */
	for (i = 0; res == 0 && i < fake_nops; i++)
		if (fake_ops[i].user_data == user_data &&
		    fake_ops[i].kind == UCP_RING_STATX &&
		    (fake_ops[i].link & UCP_RING_NO_FAULT))
			res = statx(fake_ops[i].fd, fake_ops[i].path,
				    fake_ops[i].flags, fake_ops[i].mode,
				    fake_ops[i].buf) < 0
				      ? -errno
				      : 0;
	pending[npending].user_data = user_data;
	pending[npending].res = res;
	npending++;
}

int fake_ring_last(enum ucp_ring_kind kind)
{
	int i;

	for (i = (int)fake_nops - 1; i >= 0; i--)
		if (fake_ops[i].kind == kind)
			return i;
	return -1;
}

void fake_ring_answer_statx(bool on)
{
	answer_statx = on;
	answered = fake_nops;
}

void fake_ring_fail_setup(int err)
{
	setup_err = err;
}

int ucp_ring_new(struct ucp_ring **out, unsigned entries, unsigned slots,
		 bool sqpoll, int *sqpoll_err)
{
	(void)sqpoll;
	*sqpoll_err = 0;
	(void)entries;
	(void)slots;
	if (setup_err)
		return -setup_err;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void ucp_ring_free(struct ucp_ring *r)
{
	free(r);
}

int ucp_ring_queue(struct ucp_ring *r, const struct ucp_ring_op *ops,
		   unsigned n)
{
	(void)r;
	if (fake_nops + n > FAKE_MAX_OPS)
		return -EBUSY;
	memcpy(&fake_ops[fake_nops], ops, n * sizeof(*ops));
	fake_nops += n;
	return 0;
}

int ucp_ring_submit(struct ucp_ring *r)
{
	(void)r;
	return 0;
}

int ucp_ring_submit_wait(struct ucp_ring *r, unsigned wait_nr,
			 unsigned timeout_ms)
{
	(void)r;
	(void)wait_nr;
	(void)timeout_ms;
	for (; answer_statx && answered < fake_nops; answered++) {
		const struct ucp_ring_op *op = &fake_ops[answered];

		if (op->kind == UCP_RING_STATX)
			fake_ring_complete(op->user_data,
					   statx(op->fd, op->path, op->flags,
						 op->mode, op->buf) < 0
						   ? -errno
						   : 0);
	}
	return npending ? 0 : -ETIME;
}

unsigned ucp_ring_reap(struct ucp_ring *r, ucp_ring_cqe_fn fn, void *arg)
{
	static uint64_t uds[FAKE_MAX_OPS];
	static int res[FAKE_MAX_OPS];
	unsigned i, n = npending;

	(void)r;
	/* Handlers may script more completions; deliver only this batch. */
	for (i = 0; i < n; i++) {
		uds[i] = pending[i].user_data;
		res[i] = pending[i].res;
	}
	npending = 0;
	for (i = 0; i < n; i++)
		fn(arg, uds[i], res[i]);
	return n;
}

int ucp_ring_probe(const char **why)
{
	*why = "fake";
	return 0;
}
