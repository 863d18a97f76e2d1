/* SPDX-License-Identifier: MIT */
/* test_progress.c: per-worker counters and their sum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <string.h>

#include "progress.h"

static void progress_sum_adds_every_worker(void **state)
{
	struct ucp_counters c[3];
	struct ucp_totals t;

	(void)state;
	memset(c, 0, sizeof(c));
	ucp_count(&c[0].files_done, 2);
	ucp_count(&c[1].files_done, 3);
	ucp_count(&c[2].bytes_done, 1000);
	ucp_count(&c[2].bytes_found, 5000);
	ucp_count(&c[1].errors, 1);
	ucp_count(&c[0].symlinks_done, 1);
	ucp_count(&c[2].symlinks_done, 2);
	ucp_count(&c[1].links_done, 4);
	ucp_count(&c[2].skipped, 5);
	ucp_progress_sum(c, 3, &t);
	assert_int_equal(t.symlinks_done, 3);
	assert_int_equal(t.links_done, 4);
	assert_int_equal(t.skipped, 5);
	assert_int_equal(t.files_done, 5);
	assert_int_equal(t.bytes_done, 1000);
	assert_int_equal(t.bytes_found, 5000);
	assert_int_equal(t.errors, 1);
	ucp_progress_sum(c, 1, &t);
	assert_int_equal(t.files_done, 2);
	assert_int_equal(t.errors, 0);
}

static void progress_counters_own_a_cache_line(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct ucp_counters) % 64, 0);
	assert_int_equal(_Alignof(struct ucp_counters), 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(progress_sum_adds_every_worker),
		cmocka_unit_test(progress_counters_own_a_cache_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
