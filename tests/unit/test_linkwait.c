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

/* Groups by file (device, inode); a name joins its own; taken out whole. */
static void linkwait_groups_by_file(void **state)
{
	struct ucp_linkwait w = { .release = count_release };
	struct ucp_linkwait_group grp;
	ssize_t g;

	(void)state;
	released = 0;
	assert_int_equal(ucp_linkwait_find(&w, 1, 7), -1);
	assert_int_equal(ucp_linkwait_add(&w, -1, 1, 7, "a", item("a")), 0);
	assert_int_equal(ucp_linkwait_add(&w, -1, 1, 8, "e", item("e")), 0);
	/* The same inode number on another device: another file. */
	assert_int_equal(ucp_linkwait_find(&w, 2, 7), -1);
	g = ucp_linkwait_find(&w, 1, 7);
	assert_int_equal(g, 0);
	assert_int_equal(ucp_linkwait_add(&w, g, 0, 0, "b", item("b")), 0);
	assert_int_equal(ucp_linkwait_add(&w, g, 0, 0, "c", item("c")), 0);
	assert_int_equal(w.names, 4);
	assert_int_equal(ucp_linkwait_find(&w, 1, 8), 1);
	/* Any name of a group finds it. */
	assert_int_equal(ucp_linkwait_holding(&w, "c"), 0);
	assert_int_equal(ucp_linkwait_holding(&w, "e"), 1);
	assert_int_equal(ucp_linkwait_holding(&w, "x"), -1);

	ucp_linkwait_take(&w, 0, &grp);
	assert_string_equal(grp.name[0], "a");
	assert_int_equal(grp.n, 3);
	assert_string_equal(grp.item[2], "c");
	assert_string_equal(grp.name[2], "c");
	assert_int_equal(w.n, 1);
	assert_int_equal(w.names, 1);
	assert_int_equal(ucp_linkwait_find(&w, 1, 8), 0);
	assert_int_equal(ucp_linkwait_find(&w, 1, 7), -1);
	ucp_linkwait_group_release(&w, &grp);
	assert_int_equal(released, 3);
	assert_null(grp.name);

	/* What is left goes with the whole. */
	ucp_linkwait_release(&w);
	assert_int_equal(released, 4);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.names, 0);
}

/* The same file twice (a name repeated): a link goes to the newer. */
static void linkwait_newest_group_wins(void **state)
{
	struct ucp_linkwait w = { .release = count_release };
	struct ucp_linkwait_group grp;

	(void)state;
	released = 0;
	assert_int_equal(ucp_linkwait_add(&w, -1, 1, 9, "x", item("old")), 0);
	assert_int_equal(ucp_linkwait_add(&w, -1, 1, 9, "x", item("new")), 0);
	assert_int_equal(ucp_linkwait_find(&w, 1, 9), 1);
	assert_int_equal(ucp_linkwait_holding(&w, "x"), 1);
	ucp_linkwait_take(&w, 1, &grp);
	assert_string_equal(grp.item[0], "new");
	ucp_linkwait_group_release(&w, &grp);
	assert_int_equal(ucp_linkwait_find(&w, 1, 9), 0);
	ucp_linkwait_release(&w);
	assert_int_equal(released, 2);
}

/* Many groups, each grown past its first allocation, taken in turn. */
static void linkwait_many_groups(void **state)
{
	struct ucp_linkwait w = { .release = count_release };
	struct ucp_linkwait_group grp;
	char name[32];
	int i, k;

	(void)state;
	released = 0;
	for (i = 0; i < 300; i++) {
		(void)snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(ucp_linkwait_add(&w, -1, 3, (uint64_t)i, name,
						  item(name)),
				 0);
		for (k = 0; k < 5; k++)
			assert_int_equal(
				ucp_linkwait_add(
					&w,
					ucp_linkwait_find(&w, 3, (uint64_t)i),
					0, 0, "link", item("link")),
				0);
	}
	assert_int_equal(w.n, 300);
	assert_int_equal(w.names, 1800);
	for (i = 0; i < 300; i++) {
		ucp_linkwait_take(&w, 0, &grp);
		(void)snprintf(name, sizeof(name), "f%d", i);
		assert_string_equal(grp.name[0], name);
		assert_int_equal(grp.ino, (uint64_t)i);
		assert_int_equal(grp.n, 6);
		ucp_linkwait_group_release(&w, &grp);
	}
	assert_int_equal(released, 1800);
	assert_int_equal(w.names, 0);
	ucp_linkwait_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(linkwait_groups_by_file),
		cmocka_unit_test(linkwait_newest_group_wins),
		cmocka_unit_test(linkwait_many_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
