/* SPDX-License-Identifier: MIT */
/*
 * progress.c: summing the per-worker counters. Rates, ETA and rendering
 * belong to the caller (cmd/report.c), which owns the clock.
 */
#include "progress.h"

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
		t->files_skipped += load(&c[i].files_skipped);
		t->deleted += load(&c[i].deleted);
	}
}
