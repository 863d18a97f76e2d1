/* SPDX-License-Identifier: MIT */
/* Unit tests for subtree.c: a deletion's walk of one directory tree. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "subtree.h"

/* What the walk told, one line an entry: "level kind sub". */
struct told {
	char log[8192];
	size_t len;
	size_t n, stop_at; /* entries told; stop (return 7) at stop_at */
	int base_fds;	   /* descriptors open before the walk */
	int max_fds;	   /* ... and the most seen during it */
};

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	(void)closedir(d);
	return n - 1; /* (the listing's own) */
}

static int tell(void *arg, const char *sub, size_t level,
		enum ucp_subtree_kind kind)
{
	struct told *t = arg;
	int fds = open_fds();
	static const char kinds[] = { 'f', 'd', 'u' };

	if (fds > t->max_fds)
		t->max_fds = fds;
	if (t->len < sizeof(t->log))
		t->len += (size_t)snprintf(
			t->log + t->len, sizeof(t->log) - t->len, "%zu %c %s\n",
			level, kinds[kind], sub);
	if (++t->n == t->stop_at)
		return 7;
	return 0;
}

/* A fresh directory under /tmp, open; its path in dir. */
static int fresh(char dir[32])
{
	int fd;

	strcpy(dir, "/tmp/ucp-subtree-XXXXXX");
	assert_non_null(mkdtemp(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	return fd;
}

static void rm_rf(const char *dir)
{
	char cmd[64];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Each directory after its contents, with paths below the top. */
static void walks_post_order_with_paths(void **state)
{
	char dir[32];
	struct told t = { 0 };
	int fd = fresh(dir);

	(void)state;
	assert_int_equal(mkdirat(fd, "top", 0700), 0);
	assert_int_equal(mkdirat(fd, "top/a", 0700), 0);
	close(openat(fd, "top/a/f", O_CREAT | O_WRONLY, 0600));
	assert_int_equal(symlinkat("/", fd, "top/a/l"), 0);
	assert_int_equal(ucp_subtree_walk(fd, "top", 16, tell, &t), 0);
	/* (The order of f and l is the directory's own.) */
	assert_non_null(strstr(t.log, "2 f a/f\n"));
	assert_non_null(strstr(t.log, "2 f a/l\n"));
	assert_non_null(strstr(t.log, "1 d a\n0 d \n"));
	assert_int_equal(t.n, 4);
	/* A top that is no directory (a symbolic link too): one entry. */
	memset(&t, 0, sizeof(t));
	assert_int_equal(ucp_subtree_walk(fd, "top/a/l", 16, tell, &t), 0);
	assert_string_equal(t.log, "0 f \n");
	/* One that is not there. */
	assert_int_equal(ucp_subtree_walk(fd, "none", 16, tell, &t), -ENOENT);
	close(fd);
	rm_rf(dir);
}

/* A nonzero answer stops the walk, which returns it. */
static void an_answer_stops_it(void **state)
{
	char dir[32], name[8];
	struct told t = { .stop_at = 3 };
	int fd = fresh(dir), i;

	(void)state;
	assert_int_equal(mkdirat(fd, "t", 0700), 0);
	for (i = 0; i < 10; i++) {
		(void)snprintf(name, sizeof(name), "t/%d", i);
		close(openat(fd, name, O_CREAT | O_WRONLY, 0600));
	}
	assert_int_equal(ucp_subtree_walk(fd, "t", 16, tell, &t), 7);
	assert_int_equal(t.n, 3);
	close(fd);
	rm_rf(dir);
}

/*
 * A chain of directories far past PATH_MAX, each with a file: every entry
 * is told, with at most keep levels' descriptors open (and the one being
 * entered).
 */
static void goes_past_path_max_with_few_descriptors(void **state)
{
	enum { DEPTH = 600 };
	char dir[32];
	struct told t = { 0 };
	int fd = fresh(dir), cur, next, i;

	(void)state;
	assert_int_equal(mkdirat(fd, "deep", 0700), 0);
	cur = openat(fd, "deep", O_RDONLY | O_DIRECTORY);
	for (i = 0; i < DEPTH; i++) {
		close(openat(cur, "f", O_CREAT | O_WRONLY, 0600));
		assert_int_equal(mkdirat(cur, "dddddddddd", 0700), 0);
		next = openat(cur, "dddddddddd", O_RDONLY | O_DIRECTORY);
		assert_true(next >= 0);
		close(cur);
		cur = next;
	}
	close(cur);
	t.base_fds = open_fds();
	assert_int_equal(ucp_subtree_walk(fd, "deep", 3, tell, &t), 0);
	/* Per level a file and a directory, and the top. */
	assert_int_equal(t.n, 2 * DEPTH + 1);
	assert_true(t.max_fds <= t.base_fds + 3 + 1);
	close(fd);
	rm_rf(dir);
}

/*
 * A directory that cannot be opened is told as such, not entered; one
 * that can be read and not searched is walked. Not as root.
 */
static void an_unreadable_directory_is_told(void **state)
{
	char dir[32];
	struct told t = { 0 };
	int fd = fresh(dir);

	(void)state;
	if (geteuid() == 0) {
		close(fd);
		rm_rf(dir);
		skip(); /* root reads it all the same */
	}
	assert_int_equal(mkdirat(fd, "t", 0700), 0);
	assert_int_equal(mkdirat(fd, "t/locked", 0700), 0);
	close(openat(fd, "t/locked/f", O_CREAT | O_WRONLY, 0600));
	assert_int_equal(fchmodat(fd, "t/locked", 0, 0), 0);
	assert_int_equal(ucp_subtree_walk(fd, "t", 16, tell, &t), 0);
	assert_string_equal(t.log, "1 u locked\n0 d \n");
	/*
	 * One that may be read but not searched, below levels closed
	 * (keep 1): its names are told, and its parent is reached again by
	 * the names down to it (".." cannot be searched from it).
	 */
	assert_int_equal(fchmodat(fd, "t/locked", 0400, 0), 0);
	memset(&t, 0, sizeof(t));
	assert_int_equal(ucp_subtree_walk(fd, "t", 1, tell, &t), 0);
	assert_string_equal(t.log, "2 f locked/f\n1 d locked\n0 d \n");
	assert_int_equal(fchmodat(fd, "t/locked", 0700, 0), 0);
	close(fd);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_post_order_with_paths),
		cmocka_unit_test(an_answer_stops_it),
		cmocka_unit_test(goes_past_path_max_with_few_descriptors),
		cmocka_unit_test(an_unreadable_directory_is_told),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
