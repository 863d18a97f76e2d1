/* SPDX-License-Identifier: MIT */
/* test_tarlinks.c: the hard-link map of the archive writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tarlinks.h"

static void tarlinks_first_then_links_then_forgotten(void **state)
{
	struct ucp_tarlinks t = { 0 };
	int err;

	(void)state;
	/* One name: nothing to remember. */
	assert_null(ucp_tarlinks_see(&t, 1, 5, 1, "solo", &err));
	assert_int_equal(err, 0);
	assert_int_equal(ucp_tarlinks_count(&t), 0);
	/* Three names: the later two name the first, then it is gone. */
	assert_null(ucp_tarlinks_see(&t, 1, 7, 3, "a/f", &err));
	assert_int_equal(ucp_tarlinks_count(&t), 1);
	assert_string_equal(ucp_tarlinks_see(&t, 1, 7, 3, "b/f", &err), "a/f");
	assert_int_equal(ucp_tarlinks_count(&t), 1);
	assert_string_equal(ucp_tarlinks_see(&t, 1, 7, 3, "c/f", &err), "a/f");
	assert_int_equal(ucp_tarlinks_count(&t), 0);
	/* The same inode number on another device: another inode. */
	assert_null(ucp_tarlinks_see(&t, 2, 7, 2, "x", &err));
	assert_null(ucp_tarlinks_see(&t, 1, 7, 2, "y", &err));
	assert_string_equal(ucp_tarlinks_see(&t, 2, 7, 2, "x2", &err), "x");
	assert_string_equal(ucp_tarlinks_see(&t, 1, 7, 2, "y2", &err), "y");
	assert_int_equal(ucp_tarlinks_count(&t), 0);
	ucp_tarlinks_release(&t);
}

/*
 * A first name the archive refused (too long for its format): the next
 * name is written whole and becomes the first; a refused last name leaves
 * nothing remembered.
 */
static void tarlinks_refused_first_passes_on(void **state)
{
	struct ucp_tarlinks t = { 0 };
	int err;

	(void)state;
	assert_null(ucp_tarlinks_see(&t, 1, 9, 3, "long", &err));
	ucp_tarlinks_unwritten(&t, 1, 9);
	assert_null(ucp_tarlinks_see(&t, 1, 9, 3, "b", &err));
	assert_int_equal(err, 0);
	assert_string_equal(ucp_tarlinks_see(&t, 1, 9, 3, "c", &err), "b");
	assert_int_equal(ucp_tarlinks_count(&t), 0);
	/* Two names, both refused: written whole, then forgotten. */
	assert_null(ucp_tarlinks_see(&t, 1, 10, 2, "x", &err));
	ucp_tarlinks_unwritten(&t, 1, 10);
	assert_null(ucp_tarlinks_see(&t, 1, 10, 2, "y", &err));
	assert_int_equal(ucp_tarlinks_count(&t), 0);
	/* An inode not remembered: nothing happens. */
	ucp_tarlinks_unwritten(&t, 1, 11);
	assert_int_equal(ucp_tarlinks_count(&t), 0);
	ucp_tarlinks_release(&t);
}

/*
 * Many inodes, their second names in another order than the first: each
 * finds its own first name through the growth of the table and the moves
 * that forgetting makes, and none is left.
 */
static void tarlinks_many_inodes_grow_and_shrink(void **state)
{
	struct ucp_tarlinks t = { 0 };
	char name[32], want[32];
	unsigned i, k;
	int err;

	(void)state;
	for (i = 0; i < 20000; i++) {
		(void)snprintf(name, sizeof(name), "a/%u", i);
		assert_null(ucp_tarlinks_see(&t, 3, (ino_t)i * 4099, 2, name,
					     &err));
		assert_int_equal(err, 0);
	}
	assert_int_equal(ucp_tarlinks_count(&t), 20000);
	for (k = 0; k < 20000; k++) {
		i = (k * 7919u) % 20000u; /* every one, once */
		(void)snprintf(want, sizeof(want), "a/%u", i);
		assert_string_equal(
			ucp_tarlinks_see(&t, 3, (ino_t)i * 4099, 2, "b", &err),
			want);
	}
	assert_int_equal(ucp_tarlinks_count(&t), 0);
	ucp_tarlinks_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tarlinks_first_then_links_then_forgotten),
		cmocka_unit_test(tarlinks_many_inodes_grow_and_shrink),
		cmocka_unit_test(tarlinks_refused_first_passes_on),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
