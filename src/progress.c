/* SPDX-License-Identifier: MIT */
/*
 * progress.c: summing the per-worker counters. Rates, ETA and rendering
 * belong to the caller (cmd/report.c), which owns the clock.
 */
#include "progress.h"

#include <signal.h>
#include <string.h>

#include "banned.h"

static uint64_t load(const _Atomic uint64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

void ucp_progress_sum(const struct ucp_counters *c, unsigned n,
		      struct ucp_totals *t)
{
	unsigned i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++) {
		t->files_done += load(&c[i].files_done);
		t->bytes_done += load(&c[i].bytes_done);
		t->files_found += load(&c[i].files_found);
		t->bytes_found += load(&c[i].bytes_found);
		t->dirs_done += load(&c[i].dirs_done);
		t->errors += load(&c[i].errors);
		t->symlinks_done += load(&c[i].symlinks_done);
		t->links_done += load(&c[i].links_done);
		t->skipped += load(&c[i].skipped);
		t->files_skipped += load(&c[i].files_skipped);
		t->deleted += load(&c[i].deleted);
	}
}

#ifdef UCP_TEST_HOOKS
/*
 * Test hook of debug builds: the process stops itself (SIGSTOP, which
 * stops every thread) when the Nth file is done, so that a test can signal
 * it at a known point of the copy instead of racing it.
 */
_Atomic uint64_t ucp_test_stop_left;

void ucp_test_stop_count(void)
{
	uint64_t left = atomic_load(&ucp_test_stop_left);

	while (left && !atomic_compare_exchange_weak(&ucp_test_stop_left, &left,
						     left - 1))
		;
	if (left == 1)
		raise(SIGSTOP);
}
#endif
