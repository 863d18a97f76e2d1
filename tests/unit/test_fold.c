/* SPDX-License-Identifier: MIT */
/* test_fold.c: names that differ in case only, and directories that fold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fold.h"

static void fold_case_both_ways(void **state)
{
	char out[NAME_MAX + 1];

	(void)state;
	ucp_fold_case("Read Me.TXT", false, out);
	assert_string_equal(out, "read me.txt");
	ucp_fold_case("Read Me.TXT", true, out);
	assert_string_equal(out, "READ ME.TXT");
	/* Bytes that are no UTF-8 stay as they are. */
	ucp_fold_case("A\377b", false, out);
	assert_string_equal(out, "a\377b");
}

/* One hash for all the spellings of a name, another for another name. */
static void fold_hash_of_spellings(void **state)
{
	(void)state;
	assert_true(ucp_fold_hash("File") == ucp_fold_hash("fILE"));
	assert_true(ucp_fold_hash("File") == ucp_fold_hash("file"));
	assert_true(ucp_fold_hash("File") != ucp_fold_hash("Filf"));
	assert_true(ucp_fold_hash("\303\251T\303\211") ==
			    ucp_fold_hash("\303\211t\303\251") ||
		    /* (without the C.UTF-8 locale, ASCII only) */
		    access("/usr/lib/locale/C.utf8", F_OK) != 0);
}

/*
 * A directory that tells case apart (the test's own, here): two spellings
 * are two entries or one missing, never one; the probe file is removed.
 */
static void fold_dir_tells_case_apart_here(void **state)
{
	char dir[] = "/tmp/ucp-fold-XXXXXX";
	struct stat a, b;
	int dfd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_true(dfd >= 0);
	/* Neither spelling there: no probe asked for, not known. */
	assert_int_equal(ucp_fold_spellings(dfd, "Name"), 0);
	assert_int_equal(ucp_fold_dir(dfd, "Name", NULL), 0);
	/* ... the probe: made, looked for in upper case, removed. */
	assert_int_equal(ucp_fold_dir(dfd, "Name", ".probe-x.tmp"), -1);
	assert_int_equal(faccessat(dfd, ".probe-x.tmp", F_OK, 0), -1);
	/* One spelling there: -1 for the name, nothing of the directory. */
	close(openat(dfd, "name", O_CREAT | O_WRONLY, 0600));
	assert_int_equal(ucp_fold_spellings(dfd, "Name"), -1);
	assert_int_equal(ucp_fold_dir(dfd, "Name", NULL), 0);
	/* Both spellings there, two entries: the probe says it. */
	close(openat(dfd, "NAME", O_CREAT | O_WRONLY, 0600));
	assert_int_equal(ucp_fold_spellings(dfd, "Name"), -1);
	assert_int_equal(ucp_fold_dir(dfd, "Name", ".probe-y.tmp"), -1);
	assert_int_equal(fstatat(dfd, "name", &a, 0), 0);
	assert_int_equal(fstatat(dfd, "NAME", &b, 0), 0);
	assert_false(ucp_fold_one_entry(dfd, &a, &b));
	assert_true(ucp_fold_one_entry(dfd, &a, &a));
	unlinkat(dfd, "name", 0);
	unlinkat(dfd, "NAME", 0);
	close(dfd);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fold_case_both_ways),
		cmocka_unit_test(fold_hash_of_spellings),
		cmocka_unit_test(fold_dir_tells_case_apart_here),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
