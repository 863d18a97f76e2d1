/* SPDX-License-Identifier: MIT */
/*
 * test_paxtime.c: pre-1970 times with fractions, to and from pax numbers.
 * lib_print and lib_parse do what libarchive does with a pax time (seconds
 * and nanoseconds printed side by side; the sign read with the seconds
 * only), so the tests state what lands in the archive and what is read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "paxtime.h"

static void lib_print(const struct timespec *t, char *out, size_t n)
{
	int len = snprintf(out, n, "%lld", (long long)t->tv_sec);

	if (t->tv_nsec != 0) {
		(void)snprintf(out + len, n - (size_t)len, ".%09ld",
			       t->tv_nsec);
		len = (int)strlen(out);
		while (out[len - 1] == '0')
			out[--len] = '\0';
	}
}

static struct timespec lib_parse(const char *s)
{
	struct timespec t = { 0, 0 };
	const char *dot = strchr(s, '.');
	long scale = 100000000L;

	t.tv_sec = strtoll(s, NULL, 10);
	for (dot = dot ? dot + 1 : NULL; dot && *dot && scale; dot++) {
		t.tv_nsec += (*dot - '0') * scale;
		scale /= 10;
	}
	return t;
}

static void written(time_t sec, long nsec, const char *want)
{
	struct timespec t = { sec, nsec };
	char buf[64];

	ucp_paxtime_out(&t);
	lib_print(&t, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void read_back(const char *number, time_t sec, long nsec)
{
	struct timespec t = lib_parse(number);

	ucp_paxtime_in(&t);
	assert_int_equal(t.tv_sec, sec);
	assert_int_equal(t.tv_nsec, nsec);
}

static void paxtime_writes_the_decimal_number(void **state)
{
	(void)state;
	/* 1969-12-31 23:59:58.25 */
	written(-2, 250000000, "-1.75");
	/* 1960-06-01 12:00:00.75 */
	written(-302443201, 750000000, "-302443200.25");
	written(-3, 1, "-2.999999999");
	/* Whole seconds and times after 1970 are untouched. */
	written(-2, 0, "-2");
	written(1700000000, 500000000, "1700000000.5");
	written(0, 250000000, "0.25");
	/* Within the second before 1970: no "-0.", so the whole second. */
	written(-1, 250000000, "-1");
}

static void paxtime_reads_the_decimal_number(void **state)
{
	(void)state;
	read_back("-1.75", -2, 250000000);
	read_back("-302443200.25", -302443201, 750000000);
	read_back("-2.999999999", -3, 1);
	read_back("-2", -2, 0);
	read_back("1700000000.5", 1700000000, 500000000);
}

static void paxtime_round_trips(void **state)
{
	static const struct timespec times[] = {
		{ -2, 250000000 }, { -86401, 999999999 }, { -5, 0 },
		{ 7, 5 },	   { -1000000000, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		struct timespec t = times[i];
		char buf[64];

		ucp_paxtime_out(&t);
		lib_print(&t, buf, sizeof(buf));
		t = lib_parse(buf);
		ucp_paxtime_in(&t);
		assert_int_equal(t.tv_sec, times[i].tv_sec);
		assert_int_equal(t.tv_nsec, times[i].tv_nsec);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paxtime_writes_the_decimal_number),
		cmocka_unit_test(paxtime_reads_the_decimal_number),
		cmocka_unit_test(paxtime_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
