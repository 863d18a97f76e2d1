/* SPDX-License-Identifier: MIT */
/*
 * progress.c: summing the per-worker counters. Rates, ETA and rendering
 * belong to the caller (cmd/report.c), which owns the clock.
 */
#include "progress.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
		t->bytes_settled += load(&c[i].bytes_settled);
	}
}

#ifdef UCP_TEST_HOOKS
atomic_bool ucp_test_hold_current;

/* Wait until a reader has copied the name out, for 10 s at most. */
static void hold(struct ucp_current *c, unsigned seen)
{
	struct timespec ms = { 0, 1000000 };
	unsigned i;

	for (i = 0; i < 10000 && atomic_load(&c->reads) == seen; i++)
		(void)nanosleep(&ms, NULL);
}
#endif

void ucp_current_init(struct ucp_current *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
}

void ucp_current_release(struct ucp_current *c)
{
	free(c->name);
	c->name = NULL;
	pthread_mutex_destroy(&c->lock);
}

void ucp_current_set(struct ucp_current *c, const void *owner, char *name,
		     uint64_t size)
{
	char *old;

	if (!c) { /* a run without a progress slot (the fuzz harness) */
		free(name);
		return;
	}
	pthread_mutex_lock(&c->lock);
	old = c->name;
	c->owner = name ? owner : NULL;
	c->name = name;
	c->size = size;
	pthread_mutex_unlock(&c->lock);
	free(old);
#ifdef UCP_TEST_HOOKS
	if (name && atomic_load(&ucp_test_hold_current))
		hold(c, atomic_load(&c->reads));
#endif
}

void ucp_current_clear(struct ucp_current *c, const void *owner)
{
	char *old = NULL;

	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	if (c->owner == owner) {
		old = c->name;
		c->name = NULL;
		c->owner = NULL;
		c->size = 0;
	}
	pthread_mutex_unlock(&c->lock);
	free(old);
}

bool ucp_current_read(struct ucp_current *c, char *buf, size_t n,
		      uint64_t *size)
{
	bool got = false;

	pthread_mutex_lock(&c->lock);
	if (c->name && c->size > *size && n > 0) {
		size_t len = strlen(c->name);

		/*
		 * Too long: "..." and its end, which names the file, from a
		 * character's first byte (a UTF-8 one cut in two read as two
		 * bytes that are not UTF-8).
		 */
		if (len >= n && n > 4) {
			const char *from = c->name + len - (n - 4);
			int skip = 0;

			while (skip < 3 &&
			       ((unsigned char)from[skip] & 0xc0) == 0x80)
				skip++;
			if (((unsigned char)from[skip] & 0xc0) == 0x80)
				skip = 0; /* (not UTF-8 there: as it is) */
			memcpy(buf, "...", 3);
			memcpy(buf + 3, from + skip, n - 4 - (size_t)skip);
			buf[n - 1 - (size_t)skip] = '\0';
		} else {
			if (len >= n)
				len = n - 1;
			memcpy(buf, c->name, len);
			buf[len] = '\0';
		}
		*size = c->size;
		got = true;
		atomic_fetch_add(&c->reads, 1);
	}
	pthread_mutex_unlock(&c->lock);
	return got;
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
		(void)raise(SIGSTOP);
}
#endif
