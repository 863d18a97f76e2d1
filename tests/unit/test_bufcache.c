/* SPDX-License-Identifier: MIT */
/* test_bufcache.c: buffers kept for reuse, by size, within a limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "bufcache.h"

static void bufcache_sizes_are_powers_of_two_from_4k(void **state)
{
	(void)state;
	assert_int_equal(ucp_bufcache_size(0), 4096);
	assert_int_equal(ucp_bufcache_size(1), 4096);
	assert_int_equal(ucp_bufcache_size(4096), 4096);
	assert_int_equal(ucp_bufcache_size(4097), 8192);
	assert_int_equal(ucp_bufcache_size(300000), 512u << 10);
	assert_int_equal(ucp_bufcache_size(UCP_BUFCACHE_MAX), UCP_BUFCACHE_MAX);
	/* Past the largest size: exactly what was asked for, never kept. */
	assert_int_equal(ucp_bufcache_size(UCP_BUFCACHE_MAX + 1),
			 UCP_BUFCACHE_MAX + 1);
}

static void bufcache_gives_back_the_buffer_of_the_same_size(void **state)
{
	struct ucp_bufcache c;
	char *a, *b, *d;

	(void)state;
	ucp_bufcache_init(&c, 1u << 20);
	a = ucp_bufcache_get(&c, 5000);
	assert_non_null(a);
	memset(a, 'x', ucp_bufcache_size(5000)); /* all of it is usable */
	ucp_bufcache_put(&c, a, 5000);
	assert_int_equal(c.kept, 8192);
	/* Another size class does not take it... */
	d = ucp_bufcache_get(&c, 100);
	assert_ptr_not_equal(d, a);
	/* ... one in the same class does, last in first out. */
	b = ucp_bufcache_get(&c, 8000);
	assert_ptr_equal(b, a);
	assert_int_equal(c.kept, 0);
	ucp_bufcache_put(&c, b, 8000);
	ucp_bufcache_put(&c, d, 100);
	assert_int_equal(c.kept, 8192 + 4096);
	ucp_bufcache_release(&c);
}

static void bufcache_keeps_no_more_than_its_limit(void **state)
{
	struct ucp_bufcache c;
	void *p[3], *big;
	int i;

	(void)state;
	ucp_bufcache_init(&c, 2 * 65536);
	for (i = 0; i < 3; i++)
		p[i] = ucp_bufcache_get(&c, 65536);
	for (i = 0; i < 3; i++)
		ucp_bufcache_put(&c, p[i], 65536);
	assert_int_equal(c.kept, 2 * 65536); /* the third one was freed */
	big = ucp_bufcache_get(&c, UCP_BUFCACHE_MAX + 1);
	assert_non_null(big);
	ucp_bufcache_put(&c, big, UCP_BUFCACHE_MAX + 1);
	assert_int_equal(c.kept, 2 * 65536);
	ucp_bufcache_put(&c, NULL, 10);
	assert_int_equal(c.kept, 2 * 65536);
	ucp_bufcache_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bufcache_sizes_are_powers_of_two_from_4k),
		cmocka_unit_test(
			bufcache_gives_back_the_buffer_of_the_same_size),
		cmocka_unit_test(bufcache_keeps_no_more_than_its_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
