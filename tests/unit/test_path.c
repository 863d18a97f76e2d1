/* SPDX-License-Identifier: MIT */
/* Unit tests for src/path.c: one '/' between the parts, never two. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "path.h"

static void joins_with_one_slash(void **state)
{
	static const struct {
		const char *dir, *leaf, *want;
	} rows[] = {
		{ "a", "b", "a/b" },	{ "a/", "b", "a/b" },
		{ "", "b", "b" },	{ "/", "b", "/b" },
		{ "a/b", "", "a/b/" },	{ "/x/y", "z/w", "/x/y/z/w" },
		{ "a//", "b", "a//b" }, /* as typed: only one is added */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *p = ucp_path_join(rows[i].dir, rows[i].leaf);

		assert_non_null(p);
		assert_string_equal(p, rows[i].want);
		free(p);
	}
}

static void joins_a_prefix_of_dir(void **state)
{
	char *p;

	(void)state;
	/* The directory part of "d/file" with its slash, then a leaf. */
	p = ucp_path_join_n("d/file", 2, "file~");
	assert_string_equal(p, "d/file~");
	free(p);
	p = ucp_path_join_n("file", 0, "file~");
	assert_string_equal(p, "file~");
	free(p);
	p = ucp_path_join_n("dir/file", 3, "x");
	assert_string_equal(p, "dir/x");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(joins_with_one_slash),
		cmocka_unit_test(joins_a_prefix_of_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
