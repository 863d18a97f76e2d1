/* SPDX-License-Identifier: MIT */
/* Unit tests for src/path.c: one '/' between the parts, never two. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* A simple backup's name: the suffix added, or cut to NAME_MAX with '~'. */
static void backup_names_fit(void **state)
{
	char path[NAME_MAX + 8] = "d/";
	const char *leaf;
	size_t len;
	char *b;

	(void)state;
	memcpy(path, "d/f/", 5);
	b = ucp_path_backup(path, path + 2, 1, ".bak");
	assert_string_equal(b, "d/f.bak");
	free(b);
	memcpy(path, "d/", 3);
	memset(path + 2, 'a', NAME_MAX);
	path[2 + NAME_MAX] = '\0';
	leaf = ucp_path_leaf(path, &len);
	assert_int_equal(len, NAME_MAX);
	b = ucp_path_backup(path, leaf, len, "~");
	assert_int_equal(strlen(b), 2 + NAME_MAX);
	assert_memory_equal(b, path, 2 + NAME_MAX - 1);
	assert_int_equal(b[2 + NAME_MAX - 1], '~');
	free(b);
	/* The suffix itself cut: the first NAME_MAX - 1 bytes of both. */
	path[2 + NAME_MAX - 2] = '\0';
	b = ucp_path_backup(path, path + 2, NAME_MAX - 2, ".bak");
	assert_int_equal(strlen(b), 2 + NAME_MAX);
	assert_memory_equal(b + 2 + NAME_MAX - 3, "a.~", 3);
	free(b);
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

/*
 * Links are followed one after the other, each relative to its own
 * directory, to the first thing that is not a link (there or not); a
 * loop is ELOOP. (The sticky-directory guard needs another user's link:
 * t_tar_options.)
 */
static void follows_links_to_the_end(void **state)
{
	char dir[] = "/tmp/ucp-path.XXXXXX", p[256], *r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	(void)snprintf(p, sizeof(p), "%s/sub", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	(void)snprintf(p, sizeof(p), "%s/sub/l2", dir);
	assert_int_equal(symlink("../target", p), 0);
	(void)snprintf(p, sizeof(p), "%s/l1", dir);
	assert_int_equal(symlink("sub/l2", p), 0);
	(void)snprintf(p, sizeof(p), "%s/loop", dir);
	assert_int_equal(symlink("loop", p), 0);

	/* A file that is no link: itself. */
	(void)snprintf(p, sizeof(p), "%s/sub", dir);
	r = ucp_path_through_links(p);
	assert_string_equal(r, p);
	free(r);
	/* Two links, the last to nothing yet. */
	(void)snprintf(p, sizeof(p), "%s/l1", dir);
	r = ucp_path_through_links(p);
	(void)snprintf(p, sizeof(p), "%s/sub/../target", dir);
	assert_string_equal(r, p);
	free(r);
	/* A loop. */
	(void)snprintf(p, sizeof(p), "%s/loop", dir);
	errno = 0;
	assert_null(ucp_path_through_links(p));
	assert_int_equal(errno, ELOOP);

	(void)snprintf(p, sizeof(p), "%s/loop", dir);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s/l1", dir);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s/sub/l2", dir);
	(void)unlink(p);
	(void)snprintf(p, sizeof(p), "%s/sub", dir);
	(void)rmdir(p);
	(void)rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(joins_with_one_slash),
		cmocka_unit_test(joins_a_prefix_of_dir),
		cmocka_unit_test(backup_names_fit),
		cmocka_unit_test(follows_links_to_the_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
