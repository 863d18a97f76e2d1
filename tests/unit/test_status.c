/* SPDX-License-Identifier: MIT */
/* Unit tests for src/status.c: the verdict of a run, and the tick. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "status.h"

static void verdict_takes_the_worst(void **state)
{
	static const struct {
		unsigned bits;
		bool cancelled;
		enum ucp_status want;
	} rows[] = {
		{ 0, false, UCP_OK },
		{ UCP_RUN_VANISHED, false, UCP_VANISHED },
		{ UCP_RUN_MAXDEL, false, UCP_MAX_DELETE },
		{ UCP_RUN_MAXDEL | UCP_RUN_VANISHED, false, UCP_MAX_DELETE },
		{ UCP_RUN_PARTIAL | UCP_RUN_VANISHED, false, UCP_PARTIAL },
		{ UCP_RUN_PARTIAL | UCP_RUN_MAXDEL, false, UCP_PARTIAL },
		{ UCP_RUN_FATAL | UCP_RUN_PARTIAL, false, UCP_FATAL },
		{ UCP_RUN_FATAL, true, UCP_INTERRUPTED },
		{ 0, true, UCP_INTERRUPTED },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		assert_int_equal(
			ucp_status_verdict(rows[i].bits, rows[i].cancelled),
			rows[i].want);
}

static void tick_is_due_once_per_period(void **state)
{
	struct ucp_tick t;

	(void)state;
	ucp_tick_start(&t, 0);
	assert_int_equal(t.ms, 100);
	/* Just started: not due; a start an hour back: due, once. */
	assert_false(ucp_tick_due(&t));
	t.last.tv_sec -= 3600;
	assert_true(ucp_tick_due(&t));
	assert_false(ucp_tick_due(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(verdict_takes_the_worst),
		cmocka_unit_test(tick_is_due_once_per_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
