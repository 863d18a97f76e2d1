/* SPDX-License-Identifier: MIT */
/*
 * test_progress.c: per-worker counters and their sum; the rate window and
 * when an ETA is shown, from synthetic samples (no clock).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <string.h>

#include "progress.h"
#include "rate.h"

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

/* Samples every step seconds from t0 to t1, at bps bytes per second. */
static uint64_t feed(struct ucp_rate *r, double t0, double t1, double step,
		     uint64_t bytes, double bps)
{
	double t;

	for (t = t0; t <= t1 + 1e-9; t += step) {
		ucp_rate_add(r, t, bytes);
		bytes += (uint64_t)(bps * step);
	}
	return bytes;
}

static void rate_steady_gives_rate_and_eta(void **state)
{
	struct ucp_rate r;
	double secs = -1;

	(void)state;
	ucp_rate_init(&r, 0);
	assert_true(ucp_rate_bps(&r) == 0);
	/* 10 MB/s, a draw every 0.1 s, for 4 s. */
	feed(&r, 1.0, 5.0, 0.1, 10000000, 10e6);
	assert_true(ucp_rate_bps(&r) > 9.9e6 && ucp_rate_bps(&r) < 10.1e6);
	assert_true(ucp_rate_eta(&r, 100000000, &secs));
	assert_true(secs > 9.8 && secs < 10.2);
	/* Nothing left: no ETA. */
	assert_false(ucp_rate_eta(&r, 0, &secs));
}

static void rate_no_eta_before_two_seconds(void **state)
{
	struct ucp_rate r;
	double secs;

	(void)state;
	ucp_rate_init(&r, 0);
	ucp_rate_add(&r, 1.0, 1000);
	/* One sample: the average since the start, and no ETA. */
	assert_true(ucp_rate_bps(&r) > 999 && ucp_rate_bps(&r) < 1001);
	assert_false(ucp_rate_eta(&r, 5000, &secs));
	feed(&r, 1.1, 2.9, 0.1, 1000, 1e6);
	assert_false(ucp_rate_eta(&r, 5000, &secs));
	feed(&r, 3.0, 3.5, 0.1, 2000000, 1e6);
	assert_true(ucp_rate_eta(&r, 5000000, &secs));
}

static void rate_stall_hides_eta(void **state)
{
	struct ucp_rate r;
	uint64_t b;
	double secs;

	(void)state;
	ucp_rate_init(&r, 0);
	b = feed(&r, 1.0, 5.0, 0.1, 0, 1e6);
	assert_true(ucp_rate_eta(&r, 1000000, &secs));
	/* Nothing moves for 1.5 s: the recent rate is 0, no ETA. */
	feed(&r, 5.1, 6.5, 0.1, b, 0);
	assert_false(ucp_rate_eta(&r, 1000000, &secs));
	/* Nothing at all over the whole window: rate 0, no ETA. */
	feed(&r, 6.6, 13.0, 0.1, b, 0);
	assert_true(ucp_rate_bps(&r) == 0);
	assert_false(ucp_rate_eta(&r, 1000000, &secs));
}

static void rate_pause_is_left_out(void **state)
{
	struct ucp_rate r;
	uint64_t b;
	double secs;

	(void)state;
	ucp_rate_init(&r, 0);
	r.pause = 1.1;
	b = feed(&r, 1.0, 5.0, 0.1, 0, 1e6);
	/* Stopped for 10 s (no samples), then on at the same rate: the
	 * rate and the ETA are those of before at once, not a third. */
	r.resumed = true;
	b = feed(&r, 15.1, 15.3, 0.1, b + 100000, 1e6);
	assert_true(ucp_rate_bps(&r) > 0.95e6 && ucp_rate_bps(&r) < 1.05e6);
	assert_true(ucp_rate_eta(&r, 10000000, &secs));
	assert_true(secs > 9.5 && secs < 10.5);
	(void)b;
	/* Without a stop (an input that stalled), the gap is the copy's. */
	ucp_rate_init(&r, 0);
	r.pause = 1.1;
	b = feed(&r, 1.0, 5.0, 0.1, 0, 1e6);
	feed(&r, 15.1, 15.3, 0.1, b + 100000, 1e6);
	assert_true(ucp_rate_bps(&r) < 0.5e6);
}

static void rate_burst_hides_eta_then_settles(void **state)
{
	struct ucp_rate r;
	uint64_t b;
	double secs;

	(void)state;
	ucp_rate_init(&r, 0);
	b = feed(&r, 1.0, 6.0, 0.1, 0, 1e6);
	/* Ten times faster: the recent rate is out of the band. */
	b = feed(&r, 6.1, 7.2, 0.1, b, 10e6);
	assert_false(ucp_rate_eta(&r, 1000000, &secs));
	/* Settled for more than a window: the ETA is back, at the new rate. */
	feed(&r, 7.3, 13.0, 0.1, b, 10e6);
	assert_true(ucp_rate_eta(&r, 100000000, &secs));
	assert_true(secs > 9.8 && secs < 10.2);
	assert_true(ucp_rate_bps(&r) > 9.9e6 && ucp_rate_bps(&r) < 10.1e6);
}

static void rate_window_forgets_the_start(void **state)
{
	struct ucp_rate r;
	uint64_t b;

	(void)state;
	ucp_rate_init(&r, 0);
	/* A slow start, then 60 s at 2 MB/s: the window shows 2 MB/s. */
	b = feed(&r, 1.0, 10.0, 0.1, 0, 1e3);
	feed(&r, 10.1, 70.0, 0.1, b, 2e6);
	assert_true(ucp_rate_bps(&r) > 1.98e6 && ucp_rate_bps(&r) < 2.02e6);
	/* The window holds about UCP_RATE_WINDOW seconds of samples. */
	assert_true(r.n <= UCP_RATE_SLOTS);
	assert_true(r.t[r.head] - r.t[(r.head + UCP_RATE_SLOTS - (r.n - 1)) %
				      UCP_RATE_SLOTS] <
		    UCP_RATE_WINDOW + 1);
}

static void rate_sparse_draws(void **state)
{
	struct ucp_rate r;
	double secs;

	(void)state;
	/* JSON draws once a second: the third object may carry an ETA. */
	ucp_rate_init(&r, 0);
	ucp_rate_add(&r, 0.0, 0);
	ucp_rate_add(&r, 1.0, 1000000);
	assert_false(ucp_rate_eta(&r, 1000000, &secs));
	ucp_rate_add(&r, 2.0, 2000000);
	assert_true(ucp_rate_eta(&r, 1000000, &secs));
	assert_true(secs > 0.99 && secs < 1.01);
}

/* The largest file is the one read; a long name keeps its end. */
static void current_read_keeps_the_largest_and_the_end(void **state)
{
	struct ucp_current a, b;
	char buf[16], *longname = strdup("dir/sub/a-very-long-name.img");
	uint64_t size = 0;
	int owner;

	(void)state;
	ucp_current_init(&a);
	ucp_current_init(&b);
	ucp_current_set(&a, &owner, strdup("small"), 100);
	ucp_current_set(&b, &owner, longname, 200);
	assert_true(ucp_current_read(&a, buf, sizeof(buf), &size));
	assert_string_equal(buf, "small");
	assert_true(ucp_current_read(&b, buf, sizeof(buf), &size));
	assert_int_equal(size, 200);
	assert_string_equal(buf, "...ong-name.img");
	/* Not larger than what was already found: untouched. */
	assert_false(ucp_current_read(&a, buf, sizeof(buf), &size));
	ucp_current_clear(&b, &owner);
	size = 0;
	assert_false(ucp_current_read(&b, buf, sizeof(buf), &size));
	ucp_current_release(&a);
	ucp_current_release(&b);
}

/*
 * A long name is cut at a character's first byte: "€" is three bytes,
 * and half of one read as two bytes that are not UTF-8.
 */
static void current_read_cuts_whole_characters(void **state)
{
	struct ucp_current c;
	char buf[9];
	uint64_t size = 0;
	int owner;

	(void)state;
	ucp_current_init(&c);
	/* The last 5 bytes of "xx€€€" begin inside the second "€". */
	ucp_current_set(&c, &owner,
			strdup("xx\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"), 10);
	assert_true(ucp_current_read(&c, buf, sizeof(buf), &size));
	assert_string_equal(buf, "...\xe2\x82\xac");
	/* Bytes that are not UTF-8 are kept as they are. */
	size = 0;
	ucp_current_set(&c, &owner,
			strdup("x\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80"),
			10);
	assert_true(ucp_current_read(&c, buf, sizeof(buf), &size));
	assert_string_equal(buf, "...\x80\x80\x80\x80\x80");
	ucp_current_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(progress_sum_adds_every_worker),
		cmocka_unit_test(progress_counters_own_a_cache_line),
		cmocka_unit_test(rate_steady_gives_rate_and_eta),
		cmocka_unit_test(rate_no_eta_before_two_seconds),
		cmocka_unit_test(rate_stall_hides_eta),
		cmocka_unit_test(rate_pause_is_left_out),
		cmocka_unit_test(rate_burst_hides_eta_then_settles),
		cmocka_unit_test(rate_window_forgets_the_start),
		cmocka_unit_test(rate_sparse_draws),
		cmocka_unit_test(current_read_keeps_the_largest_and_the_end),
		cmocka_unit_test(current_read_cuts_whole_characters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
