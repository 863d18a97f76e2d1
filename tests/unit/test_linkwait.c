/* SPDX-License-Identifier: MIT */
/* test_linkwait.c: names waiting for their file's data (cpio's newc). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linkwait.h"

static int released;

static void count_release(void *item)
{
	released++;
	free(item);
}

static char *item(const char *s)
{
	char *p = strdup(s);

	assert_non_null(p);
	return p;
}

/* Groups by first name; a link joins its own; taken out whole. */
static void linkwait_groups_by_first_name(void **state)
{
	struct ucp_linkwait w = { .release = count_release };
	struct ucp_linkwait_group grp;
	ssize_t g;

	(void)state;
	released = 0;
	assert_int_equal(ucp_linkwait_find(&w, "a"), -1);
	assert_int_equal(ucp_linkwait_add(&w, -1, "a", item("a")), 0);
	assert_int_equal(ucp_linkwait_add(&w, -1, "e", item("e")), 0);
	g = ucp_linkwait_find(&w, "a");
	assert_int_equal(g, 0);
	assert_int_equal(ucp_linkwait_add(&w, g, "a", item("b")), 0);
	assert_int_equal(ucp_linkwait_add(&w, g, "a", item("c")), 0);
	assert_int_equal(ucp_linkwait_find(&w, "e"), 1);
	assert_int_equal(ucp_linkwait_find(&w, "b"), -1);

	ucp_linkwait_take(&w, 0, &grp);
	assert_string_equal(grp.key, "a");
	assert_int_equal(grp.n, 3);
	assert_string_equal(grp.item[0], "a");
	assert_string_equal(grp.item[2], "c");
	assert_int_equal(w.n, 1);
	assert_int_equal(ucp_linkwait_find(&w, "e"), 0);
	assert_int_equal(ucp_linkwait_find(&w, "a"), -1);
	ucp_linkwait_group_release(&w, &grp);
	assert_int_equal(released, 3);
	assert_null(grp.key);

	/* What is left goes with the whole. */
	ucp_linkwait_release(&w);
	assert_int_equal(released, 4);
	assert_int_equal(w.n, 0);
}

/* The same first name twice: a link goes to the newer group. */
static void linkwait_newest_group_wins(void **state)
{
	struct ucp_linkwait w = { .release = count_release };
	struct ucp_linkwait_group grp;

	(void)state;
	released = 0;
	assert_int_equal(ucp_linkwait_add(&w, -1, "x", item("old")), 0);
	assert_int_equal(ucp_linkwait_add(&w, -1, "x", item("new")), 0);
	assert_int_equal(ucp_linkwait_find(&w, "x"), 1);
	ucp_linkwait_take(&w, 1, &grp);
	assert_string_equal(grp.item[0], "new");
	ucp_linkwait_group_release(&w, &grp);
	assert_int_equal(ucp_linkwait_find(&w, "x"), 0);
	ucp_linkwait_release(&w);
	assert_int_equal(released, 2);
}

/* Many groups, each grown past its first allocation, taken in turn. */
static void linkwait_many_groups(void **state)
{
	struct ucp_linkwait w = { .release = count_release };
	struct ucp_linkwait_group grp;
	char key[32];
	int i, k;

	(void)state;
	released = 0;
	for (i = 0; i < 300; i++) {
		(void)snprintf(key, sizeof(key), "f%d", i);
		assert_int_equal(ucp_linkwait_add(&w, -1, key, item(key)), 0);
		for (k = 0; k < 5; k++)
			assert_int_equal(
				ucp_linkwait_add(&w, ucp_linkwait_find(&w, key),
						 key, item("link")),
				0);
	}
	assert_int_equal(w.n, 300);
	for (i = 0; i < 300; i++) {
		ucp_linkwait_take(&w, 0, &grp);
		(void)snprintf(key, sizeof(key), "f%d", i);
		assert_string_equal(grp.key, key);
		assert_int_equal(grp.n, 6);
		ucp_linkwait_group_release(&w, &grp);
	}
	assert_int_equal(released, 1800);
	ucp_linkwait_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(linkwait_groups_by_first_name),
		cmocka_unit_test(linkwait_newest_group_wins),
		cmocka_unit_test(linkwait_many_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
