/* SPDX-License-Identifier: MIT */
/* test_links.c: the hard-link group map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "links.h"

static void links_first_then_queued_then_ready(void **state)
{
	struct ucp_links *l;
	const char *first = NULL;
	int w1, w2;
	void **q;

	(void)state;
	assert_int_equal(ucp_links_new(&l), 0);
	assert_int_equal(ucp_links_claim(l, 1, 42, strdup("dst/a"), 0, NULL,
					 NULL, &first),
			 UCP_LINK_FIRST);
	/* Names seen while the copy runs wait for it. */
	assert_int_equal(ucp_links_claim(l, 1, 42, strdup("dst/b"), 0, NULL,
					 &w1, &first),
			 UCP_LINK_QUEUED);
	assert_int_equal(ucp_links_claim(l, 1, 42, strdup("dst/c"), 0, NULL,
					 &w2, &first),
			 UCP_LINK_QUEUED);
	/* Same inode number on another device: a group of its own. */
	assert_int_equal(ucp_links_claim(l, 2, 42, strdup("dst/x"), 0, NULL,
					 NULL, &first),
			 UCP_LINK_FIRST);
	q = ucp_links_finish(l, 1, 42, true, &first);
	assert_string_equal(first, "dst/a");
	assert_non_null(q);
	assert_ptr_equal(q[0], &w1);
	assert_ptr_equal(q[1], &w2);
	assert_null(q[2]);
	free(q);
	/* After the copy, later names link at once. */
	first = NULL;
	assert_int_equal(ucp_links_claim(l, 1, 42, strdup("dst/d"), 0, NULL,
					 NULL, &first),
			 UCP_LINK_READY);
	assert_string_equal(first, "dst/a");
	ucp_links_free(l);
}

/*
 * A copy that takes no more links hands the group to a name's own copy:
 * later names link to that; a second name that found the old one full
 * moves nothing (the first to move wins); the old path stays valid.
 */
static void links_rebase_moves_the_copy_once(void **state)
{
	struct ucp_links *l;
	const char *first = NULL, *old;
	void **q;

	(void)state;
	assert_int_equal(ucp_links_new(&l), 0);
	assert_int_equal(ucp_links_claim(l, 1, 7, strdup("dst/a"), 4, NULL,
					 NULL, &first),
			 UCP_LINK_FIRST);
	/* (Not done yet: nothing to move.) */
	assert_false(ucp_links_rebase(l, 1, 7, first, strdup("dst/z"), 4));
	q = ucp_links_finish(l, 1, 7, true, &first);
	assert_null(q);
	old = first;
	assert_true(ucp_links_rebase(l, 1, 7, old, strdup("dst/b"), 4));
	assert_false(ucp_links_rebase(l, 1, 7, old, strdup("dst/c"), 4));
	assert_string_equal(old, "dst/a");
	assert_int_equal(ucp_links_claim(l, 1, 7, strdup("dst/d"), 4, NULL,
					 NULL, &first),
			 UCP_LINK_READY);
	assert_string_equal(first, "dst/b");
	assert_int_equal(ucp_links_root_len(l, 1, 7), 4);
	/* A name handed the old copy asks for the one now. */
	{
		size_t root = 0;

		assert_string_equal(ucp_links_first(l, 1, 7, &root), "dst/b");
		assert_int_equal(root, 4);
		assert_null(ucp_links_first(l, 9, 9, &root));
	}
	/* No group: nothing. */
	assert_false(ucp_links_rebase(l, 9, 9, old, strdup("dst/e"), 4));
	ucp_links_free(l);
}

/*
 * A failed copy leaves the group unclaimed, as cp forgets it: its waiters
 * come back to claim anew, and the next claim copies the data, its name
 * the group's (the old label stays valid, as a worker may still show it).
 */
static void links_failed_copy_passes_to_next_name(void **state)
{
	struct ucp_links *l;
	const char *first = "x", *old;
	int w1, w2;
	void **q;

	(void)state;
	assert_int_equal(ucp_links_new(&l), 0);
	assert_int_equal(ucp_links_claim(l, 1, 7, strdup("dst/a"), 0,
					 strdup("a"), NULL, &first),
			 UCP_LINK_FIRST);
	assert_int_equal(ucp_links_claim(l, 1, 7, strdup("dst/b"), 0,
					 strdup("b"), &w1, &first),
			 UCP_LINK_QUEUED);
	old = ucp_links_label(l, 1, 7);
	assert_string_equal(old, "a");
	q = ucp_links_finish(l, 1, 7, false, &first);
	assert_null(first);
	assert_non_null(q);
	assert_ptr_equal(q[0], &w1);
	assert_null(q[1]);
	free(q);
	/* The waiter claims again: it is the copier now. */
	assert_int_equal(ucp_links_claim(l, 1, 7, strdup("dst/b"), 0,
					 strdup("b"), &w1, &first),
			 UCP_LINK_FIRST);
	assert_string_equal(ucp_links_label(l, 1, 7), "b");
	assert_string_equal(old, "a");
	assert_int_equal(ucp_links_claim(l, 1, 7, strdup("dst/c"), 0,
					 strdup("c"), &w2, &first),
			 UCP_LINK_QUEUED);
	q = ucp_links_finish(l, 1, 7, true, &first);
	assert_string_equal(first, "dst/b");
	assert_ptr_equal(q[0], &w2);
	assert_null(q[1]);
	free(q);
	first = NULL;
	assert_int_equal(ucp_links_claim(l, 1, 7, strdup("dst/d"), 0, NULL,
					 NULL, &first),
			 UCP_LINK_READY);
	assert_string_equal(first, "dst/b");
	/* A failure with no waiter: the next name copies. */
	ucp_links_claim(l, 1, 8, strdup("dst/e"), 0, NULL, NULL, &first);
	assert_null(ucp_links_finish(l, 1, 8, false, &first));
	assert_int_equal(ucp_links_claim(l, 1, 8, strdup("dst/f"), 0, NULL,
					 NULL, &first),
			 UCP_LINK_FIRST);
	ucp_links_free(l);
}

static void links_label_is_the_first_claims(void **state)
{
	struct ucp_links *l;
	const char *first = NULL;
	int w1;
	void **q;

	(void)state;
	assert_int_equal(ucp_links_new(&l), 0);
	assert_null(ucp_links_label(l, 1, 9));
	assert_int_equal(ucp_links_claim(l, 1, 9, strdup("dst/a"), 0,
					 strdup("a"), NULL, &first),
			 UCP_LINK_FIRST);
	/* A later name's label is dropped: the group keeps the first's. */
	assert_int_equal(ucp_links_claim(l, 1, 9, strdup("dst/b"), 0,
					 strdup("b"), &w1, &first),
			 UCP_LINK_QUEUED);
	assert_string_equal(ucp_links_label(l, 1, 9), "a");
	q = ucp_links_finish(l, 1, 9, true, &first);
	free(q);
	assert_int_equal(ucp_links_claim(l, 1, 9, strdup("dst/c"), 0,
					 strdup("c"), NULL, &first),
			 UCP_LINK_READY);
	assert_string_equal(ucp_links_label(l, 1, 9), "a");
	/* A group claimed without one has none. */
	ucp_links_claim(l, 1, 10, strdup("dst/x"), 0, NULL, NULL, &first);
	assert_null(ucp_links_label(l, 1, 10));
	ucp_links_free(l);
}

static void links_table_grows_past_many_groups(void **state)
{
	struct ucp_links *l;
	const char *first;
	unsigned i;

	(void)state;
	assert_int_equal(ucp_links_new(&l), 0);
	for (i = 0; i < 10000; i++)
		assert_int_equal(ucp_links_claim(l, 1, i, strdup("p"), 0, NULL,
						 NULL, &first),
				 UCP_LINK_FIRST);
	for (i = 0; i < 10000; i++) {
		free(ucp_links_finish(l, 1, i, true, &first));
		assert_int_equal(ucp_links_claim(l, 1, i, strdup("q"), 0, NULL,
						 NULL, &first),
				 UCP_LINK_READY);
	}
	ucp_links_free(l);
}

/*
 * A name new to a mirror seeks: its group waits for a name in place, whose
 * claim makes it the group's first (its waiters link to it); groups no name
 * in place came for are handed back at the end, and claim anew.
 */
static void links_seek_waits_for_a_name_in_place(void **state)
{
	struct ucp_links *l;
	const char *first = NULL;
	int w1, w2, w3;
	void **q;

	(void)state;
	assert_int_equal(ucp_links_new(&l), 0);
	assert_int_equal(ucp_links_seek(l, 1, 7, strdup("dst/new"), 0, NULL,
					&w1, &first, 8),
			 UCP_LINK_QUEUED);
	assert_int_equal(ucp_links_seek(l, 1, 7, strdup("dst/new2"), 0, NULL,
					&w2, &first, 8),
			 UCP_LINK_QUEUED);
	/* The name in place: the group's copy. */
	assert_int_equal(ucp_links_claim(l, 1, 7, strdup("dst/old"), 0,
					 strdup("old"), NULL, &first),
			 UCP_LINK_FIRST);
	q = ucp_links_finish(l, 1, 7, true, &first);
	assert_string_equal(first, "dst/old");
	assert_string_equal(ucp_links_label(l, 1, 7), "old");
	assert_ptr_equal(q[0], &w1);
	assert_ptr_equal(q[1], &w2);
	assert_null(q[2]);
	free(q);
	/* A group seen already is claimed, not sought. */
	assert_int_equal(ucp_links_seek(l, 1, 7, strdup("dst/x"), 0, NULL, NULL,
					&first, 8),
			 UCP_LINK_READY);
	/* Past the limit, a new group is claimed at once. */
	assert_int_equal(ucp_links_seek(l, 1, 8, strdup("dst/s"), 0, NULL, &w3,
					&first, 1),
			 UCP_LINK_QUEUED);
	assert_int_equal(ucp_links_seek(l, 1, 9, strdup("dst/t"), 0, NULL, NULL,
					&first, 1),
			 UCP_LINK_FIRST);
	/* The end: the seeking group's names come back, to claim anew. */
	q = ucp_links_unseek(l);
	assert_ptr_equal(q[0], &w3);
	assert_null(q[1]);
	free(q);
	assert_null(ucp_links_unseek(l));
	assert_int_equal(ucp_links_seek(l, 1, 8, strdup("dst/s"), 0, NULL, NULL,
					&first, 8),
			 UCP_LINK_FIRST);
	/* And no group seeks any more. */
	assert_int_equal(ucp_links_seek(l, 1, 10, strdup("dst/u"), 0, NULL,
					NULL, &first, 8),
			 UCP_LINK_FIRST);
	ucp_links_free(l);
}

/*
 * The limit counts names, each holding its directory: one file given a
 * new name in many directories stops seeking at it; the name past it
 * copies the data, and those that waited link to its copy.
 */
static void links_seek_limit_counts_names(void **state)
{
	struct ucp_links *l;
	const char *first = NULL;
	int w[3];
	void **q;

	(void)state;
	assert_int_equal(ucp_links_new(&l), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(ucp_links_seek(l, 1, 5, strdup("dst/n"), 0,
						NULL, &w[i], &first, 2),
				 UCP_LINK_QUEUED);
	assert_int_equal(ucp_links_seek(l, 1, 5, strdup("dst/third"), 0, NULL,
					&w[2], &first, 2),
			 UCP_LINK_FIRST);
	q = ucp_links_finish(l, 1, 5, true, &first);
	assert_string_equal(first, "dst/third");
	assert_ptr_equal(q[0], &w[0]);
	assert_ptr_equal(q[1], &w[1]);
	assert_null(q[2]);
	free(q);
	/* The count went down with them: another group may wait. */
	assert_int_equal(ucp_links_seek(l, 1, 6, strdup("dst/m"), 0, NULL,
					&w[0], &first, 2),
			 UCP_LINK_QUEUED);
	q = ucp_links_unseek(l);
	assert_ptr_equal(q[0], &w[0]);
	free(q);
	ucp_links_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(links_first_then_queued_then_ready),
		cmocka_unit_test(links_failed_copy_passes_to_next_name),
		cmocka_unit_test(links_label_is_the_first_claims),
		cmocka_unit_test(links_table_grows_past_many_groups),
		cmocka_unit_test(links_seek_waits_for_a_name_in_place),
		cmocka_unit_test(links_seek_limit_counts_names),
		cmocka_unit_test(links_rebase_moves_the_copy_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
