/* SPDX-License-Identifier: MIT */
/*
 * progress.h: per-worker counters, summed on demand.
 *
 * Each worker bumps only its own counters (relaxed atomics on a cache line
 * of their own), when a file's terminal completion or a data write is
 * reaped. Readers sum all workers; the sum may be a few operations stale,
 * never torn. This module never prints and never touches a ring.
 */
#ifndef UCP_PROGRESS_H
#define UCP_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>

struct ucp_counters {
	_Atomic uint64_t files_done;
	_Atomic uint64_t bytes_done;
	_Atomic uint64_t files_found;
	_Atomic uint64_t bytes_found;
	_Atomic uint64_t dirs_done;
	_Atomic uint64_t errors;
	_Atomic uint64_t symlinks_done; /* also counted in files_done */
	_Atomic uint64_t links_done; /* hard links made; also in files_done */
	_Atomic uint64_t skipped;    /* kept by -n/-u, sockets */
	_Atomic uint64_t files_skipped; /* --sync: found unchanged */
	_Atomic uint64_t deleted;	/* --sync --delete: entries removed */
} __attribute__((aligned(64)));

static inline void ucp_count(_Atomic uint64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

#ifdef UCP_TEST_HOOKS
extern _Atomic uint64_t ucp_test_stop_left;
void ucp_test_stop_count(void);
#endif

/* One file (or link, or member) is done. */
static inline void ucp_file_done(struct ucp_counters *c)
{
	ucp_count(&c->files_done, 1);
#ifdef UCP_TEST_HOOKS
	if (atomic_load_explicit(&ucp_test_stop_left, memory_order_relaxed))
		ucp_test_stop_count();
#endif
}

/* Plain totals, as summed by ucp_progress_sum. */
struct ucp_totals {
	uint64_t files_done, bytes_done, files_found, bytes_found;
	uint64_t dirs_done, errors;
	uint64_t symlinks_done, links_done, skipped;
	uint64_t files_skipped, deleted;
};

/* Sum n counter blocks into *t. */
void ucp_progress_sum(const struct ucp_counters *c, unsigned n,
		      struct ucp_totals *t);

#endif
