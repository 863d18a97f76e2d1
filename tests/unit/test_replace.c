/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for src/replace.c: temporary names, which of them are stray,
 * and committing a temporary over its final name (or not over one).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "replace.h"

/*
 * A name is the pid and the sequence number as 8 hex digits each; the
 * number is shown through a keyed bijection: unique in a run, and the
 * next one cannot be told from the last (names made first by someone else
 * would fail the copy).
 */
/*
 * A name with this process's pid is its own only where the process named
 * it: in a container each run has the same pid, and a killed one's
 * temporary is a stray the next run removes (it was kept for good). Run
 * first: a later test names the last sequence number.
 */
static void own_names_and_a_dead_runs_of_the_same_pid(void **state)
{
	char mine[UCP_TMP_NAME_MAX];
	unsigned i;

	(void)state;
	for (i = 0; i < 4; i++) {
		ucp_tmp_name(mine, 77, i);
		assert_int_equal(ucp_tmp_kind(mine, 77), UCP_TMP_OWN);
	}
	ucp_tmp_name(mine, 77, 0);
	assert_int_equal(ucp_tmp_kind(mine, 77), UCP_TMP_OWN);
	/*
	 * (Another key's sequence: one of the 2^32 numbers, here below 4,
	 * once in a billion runs.)
	 */
	assert_int_equal(ucp_tmp_kind(".ucp-0000004d00000000.tmp", 77),
			 UCP_TMP_STRAY);
	assert_int_equal(ucp_tmp_kind(".ucp-0000004dffffffff.tmp", 77),
			 UCP_TMP_STRAY);
}

static void names_are_unique_fixed_width_and_unforeseeable(void **state)
{
	char a[UCP_TMP_NAME_MAX], b[UCP_TMP_NAME_MAX];
	unsigned long prev = 0, cur, steps = 0;
	unsigned i, j;
	static unsigned long seen[2000];

	(void)state;
	ucp_tmp_name(a, 4242, 0);
	assert_int_equal(strlen(a), 25);
	assert_memory_equal(a, ".ucp-00001092", 13);
	assert_string_equal(a + 21, ".tmp");
	ucp_tmp_name(b, 4242, 1);
	assert_string_not_equal(a, b);
	ucp_tmp_name(a, 0x7fffffff, 0xffffffffu);
	assert_memory_equal(a, ".ucp-7fffffff", 13);
	for (i = 0; i < 2000; i++) {
		ucp_tmp_name(a, 1, i);
		cur = strtoul(a + 13, NULL, 16);
		for (j = 0; j < i; j++)
			assert_true(seen[j] != cur);
		seen[i] = cur;
		steps += i > 0 && cur == prev + 1;
		prev = cur;
	}
	assert_true(steps < 10);
}

static void kinds_of_names(void **state)
{
	char mine[UCP_TMP_NAME_MAX];
	pid_t child;
	enum ucp_tmp_kind kind = UCP_TMP_NOT;
	int ready[2];
	char c;

	(void)state;
	/* Pids above any pid_max: processes that are gone. */
	assert_int_equal(ucp_tmp_kind(".ucp-7ffffffe00000002.tmp", 2),
			 UCP_TMP_STRAY);
	assert_int_equal(ucp_tmp_kind(".ucp-deadbeef0000abcd.tmp", 2),
			 UCP_TMP_STRAY);
	ucp_tmp_name(mine, 0x7ffffffd, 1);
	assert_int_equal(ucp_tmp_kind(mine, 0x7ffffffd), UCP_TMP_OWN);
	assert_int_equal(ucp_tmp_kind(mine, 4243), UCP_TMP_STRAY);
	/* Another program's pid (init, a kernel thread): theirs are stray. */
	assert_int_equal(ucp_tmp_kind(".ucp-0000000100000002.tmp", 4243),
			 UCP_TMP_STRAY);
	assert_int_equal(ucp_tmp_kind(".ucp-0000000200000002.tmp", 4243),
			 UCP_TMP_STRAY);
	/* A run of the same program still going: a child of this test. */
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	ucp_tmp_name(mine, child, 7);
	assert_int_equal(ucp_tmp_kind(mine, getpid()), UCP_TMP_LIVE);
	assert_int_equal(kill(child, SIGKILL), 0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(ucp_tmp_kind(mine, getpid()), UCP_TMP_STRAY);
	/*
	 * The same program started under another name (a link "mirror" to
	 * it): its executable tells. The child says when it is renamed.
	 */
	assert_int_equal(pipe(ready), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		(void)prctl(PR_SET_NAME, "mirror-renamed");
		if (write(ready[1], "r", 1) == 1)
			pause();
		_exit(0);
	}
	c = 0;
	if (read(ready[0], &c, 1) == 1) {
		ucp_tmp_name(mine, child, 8);
		kind = ucp_tmp_kind(mine, getpid());
	}
	/* (Ended before any assertion: a failed one would leave it.) */
	assert_int_equal(kill(child, SIGKILL), 0);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(c, 'r');
	assert_int_equal(kind, UCP_TMP_LIVE);
	(void)close(ready[0]);
	(void)close(ready[1]);
	/* Not temporary names at all. */
	assert_int_equal(ucp_tmp_kind(".ucp-00000001000000.tmp", 2),
			 UCP_TMP_NOT); /* short */
	assert_int_equal(ucp_tmp_kind(".ucp-000000010000000g.tmp", 2),
			 UCP_TMP_NOT); /* not hex */
	assert_int_equal(ucp_tmp_kind(".ucp-0000000100000002.tmpx", 2),
			 UCP_TMP_NOT);
	assert_int_equal(ucp_tmp_kind("ucp-00000001000000023.tmp", 2),
			 UCP_TMP_NOT);
	assert_int_equal(ucp_tmp_kind("plain", 2), UCP_TMP_NOT);
}

static int dir_fd(char *path)
{
	int fd;

	assert_non_null(mkdtemp(path));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static void put(int dirfd, const char *name, const char *text)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static void expect(int dirfd, const char *name, const char *text)
{
	char buf[64] = { 0 };
	int fd = openat(dirfd, name, O_RDONLY);

	assert_true(fd >= 0);
	assert_true(read(fd, buf, sizeof(buf) - 1) >= 0);
	assert_int_equal(close(fd), 0);
	assert_string_equal(buf, text);
}

static bool exists(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void commit_replaces_and_failure_removes(void **state)
{
	char path[] = "/tmp/ucp-test-replace-XXXXXX";
	int fd = dir_fd(path);

	(void)state;
	put(fd, "final", "old");
	put(fd, "t1", "new");
	assert_int_equal(ucp_tmp_commit(fd, "t1", "final"), 0);
	expect(fd, "final", "new");
	assert_false(exists(fd, "t1"));
	/* A directory in the way: the rename fails, the temporary goes. */
	assert_int_equal(mkdirat(fd, "dir", 0755), 0);
	assert_int_equal(mkdirat(fd, "dir/x", 0755), 0);
	put(fd, "t2", "new");
	assert_int_equal(ucp_tmp_commit(fd, "t2", "dir"), -EISDIR);
	assert_false(exists(fd, "t2"));
	assert_true(exists(fd, "dir/x"));
	ucp_tmp_abort(fd, "nothing"); /* no error to see */
	put(fd, "t3", "x");
	ucp_tmp_abort(fd, "t3");
	assert_false(exists(fd, "t3"));
	assert_int_equal(unlinkat(fd, "dir/x", AT_REMOVEDIR), 0);
	assert_int_equal(unlinkat(fd, "dir", AT_REMOVEDIR), 0);
	assert_int_equal(unlinkat(fd, "final", 0), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(rmdir(path), 0);
}

static void commit_new_never_replaces(void **state)
{
	char path[] = "/tmp/ucp-test-replace-XXXXXX";
	int fd = dir_fd(path);

	(void)state;
	put(fd, "t1", "new");
	assert_int_equal(ucp_tmp_commit_new(fd, "t1", "final"), 0);
	expect(fd, "final", "new");
	put(fd, "t2", "newer");
	assert_int_equal(ucp_tmp_commit_new(fd, "t2", "final"), -EEXIST);
	expect(fd, "final", "new");
	/* The caller decides about the temporary: it is kept. */
	expect(fd, "t2", "newer");
	/* Not even over an empty directory, which rename would take. */
	assert_int_equal(mkdirat(fd, "empty", 0755), 0);
	assert_int_equal(mkdirat(fd, "t3", 0755), 0);
	assert_int_equal(ucp_tmp_commit_new(fd, "t3", "empty"), -EEXIST);
	assert_int_equal(unlinkat(fd, "t3", AT_REMOVEDIR), 0);
	assert_int_equal(unlinkat(fd, "empty", AT_REMOVEDIR), 0);
	assert_int_equal(unlinkat(fd, "t2", 0), 0);
	assert_int_equal(unlinkat(fd, "final", 0), 0);
	assert_int_equal(close(fd), 0);
	assert_int_equal(rmdir(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_names_and_a_dead_runs_of_the_same_pid),
		cmocka_unit_test(
			names_are_unique_fixed_width_and_unforeseeable),
		cmocka_unit_test(kinds_of_names),
		cmocka_unit_test(commit_replaces_and_failure_removes),
		cmocka_unit_test(commit_new_never_replaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
