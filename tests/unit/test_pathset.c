/* SPDX-License-Identifier: MIT */
/* test_pathset.c: the --files-from set: listed paths, their parents, names. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "pathset.h"

static struct ucp_pathset *load(const char *text, bool from0, size_t len)
{
	struct ucp_pathset *s;
	size_t line;
	int fd = memfd_create("list", 0);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_int_equal(ucp_pathset_new(&s), 0);
	assert_int_equal(ucp_pathset_add_fd(s, fd, from0, &line), 0);
	close(fd);
	return s;
}

static int collect(void *arg, const char *rel)
{
	char *out = arg;

	strcat(out, rel);
	strcat(out, "|");
	return strcmp(rel, "stop") == 0 ? 7 : 0;
}

static void pathset_holds_paths_and_their_parents(void **state)
{
	struct ucp_pathset *s;
	size_t line = 99;
	int p[2];

	(void)state;
	assert_int_equal(ucp_pathset_new(&s), 0);
	assert_int_equal(pipe(p), 0);
	assert_true(write(p[1], "a/b/c\n./x\n/top/y/\n", 18) == 18);
	close(p[1]);
	assert_int_equal(ucp_pathset_add_fd(s, p[0], false, &line), 0);
	close(p[0]);
	assert_int_equal(line, 0);
	assert_true(ucp_pathset_has(s, "a/b/c", 5));
	assert_true(ucp_pathset_has(s, "a/b", 3));
	assert_true(ucp_pathset_has(s, "a", 1));
	assert_true(ucp_pathset_has(s, "x", 1));
	assert_true(ucp_pathset_has(s, "top/y", 5));
	assert_true(ucp_pathset_has(s, "top", 3));
	assert_false(ucp_pathset_has(s, "a/b/c/d", 7));
	assert_false(ucp_pathset_has(s, "b", 1));
	/* Listed themselves: the paths, not the parents leading to them. */
	assert_true(ucp_pathset_listed(s, "a/b/c", 5));
	assert_true(ucp_pathset_listed(s, "x", 1));
	assert_true(ucp_pathset_listed(s, "top/y", 5));
	assert_false(ucp_pathset_listed(s, "a/b", 3));
	assert_false(ucp_pathset_listed(s, "top", 3));
	/* A ".." is refused with its line number. */
	assert_int_equal(pipe(p), 0);
	assert_true(write(p[1], "ok\nup/../etc\n", 13) == 13);
	close(p[1]);
	assert_int_equal(ucp_pathset_add_fd(s, p[0], false, &line), -EINVAL);
	close(p[0]);
	assert_int_equal(line, 2);
	ucp_pathset_free(s);
}

static void pathset_dir_slash_lists_its_entries(void **state)
{
	const char text[] = "d/\nsub/dot/.\nplain\n";
	struct ucp_pathset *s = load(text, false, sizeof(text) - 1);

	(void)state;
	/* "d/": d and its entries, listed, but not deeper. */
	assert_true(ucp_pathset_listed(s, "d", 1));
	assert_true(ucp_pathset_listed(s, "d/f", 3));
	assert_true(ucp_pathset_has(s, "d/sub", 5));
	assert_false(ucp_pathset_has(s, "d/sub/g", 7));
	/* "x/." is "x/"; a directory listed without the slash is itself. */
	assert_true(ucp_pathset_listed(s, "sub/dot/e", 9));
	assert_false(ucp_pathset_listed(s, "sub/e", 5));
	assert_false(ucp_pathset_has(s, "plain/e", 7));
	/* The root's entries only with ".". */
	assert_false(ucp_pathset_has(s, "top", 3));
	ucp_pathset_free(s);
	s = load(".\n", false, 2);
	assert_true(ucp_pathset_listed(s, "top", 3));
	assert_false(ucp_pathset_has(s, "top/f", 5));
	ucp_pathset_free(s);
}

static void pathset_each_gives_the_listed_names_in_order(void **state)
{
	const char text[] = "x/y/\0.\0z\0stop\0after";
	struct ucp_pathset *s = load(text, true, sizeof(text));
	char out[128] = "";

	(void)state;
	/* Normalised, the root's empty name left out, stopped by fn. */
	assert_int_equal(ucp_pathset_each(s, collect, out), 7);
	assert_string_equal(out, "x/y|z|stop|");
	ucp_pathset_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pathset_holds_paths_and_their_parents),
		cmocka_unit_test(pathset_dir_slash_lists_its_entries),
		cmocka_unit_test(pathset_each_gives_the_listed_names_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
