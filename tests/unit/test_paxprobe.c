/* SPDX-License-Identifier: MIT */
/*
 * test_paxprobe.c: how the probe reads what libarchive did, both ways;
 * and, with the libarchive found here, that a time before 1970 written
 * and read with the probe's corrections is the POSIX number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/paxprobe.c"
#include "paxtime.h"

static void load(void)
{
	const char *why = NULL;

	if (ucp_archive_load(&why) != 0)
		fail_msg("libarchive: %s", why);
}

static void probe_sees_the_printing(void **state)
{
	static const char apart[] = "30 mtime=-2.25\n";
	static const char posix[] = "30 mtime=-1.75\n";
	static const char longer[] = "30 mtime=-2.255\n";

	(void)state;
	assert_true(wrote_apart(apart, sizeof(apart) - 1));
	assert_false(wrote_apart(posix, sizeof(posix) - 1));
	assert_false(wrote_apart(longer, sizeof(longer) - 1));
	assert_false(wrote_apart("", 0));
}

static void probe_sees_the_reading(void **state)
{
	(void)state;
	assert_true(read_apart(-1, 750000000));
	assert_false(read_apart(-2, 250000000));
	assert_false(read_apart(0, 0));
	assert_false(read_apart(-1, 0));
}

/* The probe's archive, open in libarchive at its first member (*e). */
static struct archive *open_probe_archive(struct archive_entry **e)
{
	static unsigned char buf[ARCHIVE_SIZE];
	struct archive *a;

	load();
	probe_archive(buf);
	a = archive_read_new();
	assert_non_null(a);
	archive_read_support_format_all(a);
	assert_int_equal(archive_read_open_memory(a, buf, sizeof(buf)),
			 ARCHIVE_OK);
	assert_int_equal(archive_read_next_header(a, e), ARCHIVE_OK);
	return a;
}

/* The probe's archive is one libarchive reads: a member "p" at -1.75 s,
 * read one way or the other. */
static void probe_archive_reads(void **state)
{
	struct archive_entry *e;
	struct archive *a = open_probe_archive(&e);

	(void)state;
	assert_string_equal(archive_entry_pathname(e), "p");
	assert_true(archive_entry_mtime(e) == -1 ||
		    archive_entry_mtime(e) == -2);
	assert_int_not_equal(archive_entry_mtime_nsec(e), 0);
	assert_int_equal(archive_read_next_header(a, &e), ARCHIVE_EOF);
	archive_read_free(a);
}

/* Written with the correction the probe asks for, -1.75 s is "-1.75". */
static void corrected_write_is_posix(void **state)
{
	static char buf[16 * BLOCK];
	struct stat st = { .st_mode = S_IFREG | 0644 };
	struct archive *a;
	struct archive_entry *e;
	size_t used = 0;

	(void)state;
	load();
	st.st_mtim.tv_sec = -2;
	st.st_mtim.tv_nsec = 250000000;
	if (ucp_paxprobe()->out)
		ucp_paxtime_out(&st.st_mtim);
	a = archive_write_new();
	e = archive_entry_new();
	assert_non_null(a);
	assert_non_null(e);
	assert_int_equal(archive_write_set_format_pax(a), ARCHIVE_OK);
	assert_int_equal(archive_write_set_bytes_per_block(a, BLOCK),
			 ARCHIVE_OK);
	assert_int_equal(archive_write_open_memory(a, buf, sizeof(buf), &used),
			 ARCHIVE_OK);
	archive_entry_copy_pathname(e, "p");
	archive_entry_copy_stat(e, &st);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		archive_entry_free(e);
		archive_write_free(a);
		skip(); /* this libarchive refuses times before 1970 */
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	assert_non_null(memmem(buf, used, "mtime=-1.75\n", 12));
	archive_entry_free(e);
	archive_write_free(a);
}

/* Read with the correction the probe asks for, "-1.75" is -1.75 s. */
static void corrected_read_is_posix(void **state)
{
	struct archive_entry *e;
	struct archive *a = open_probe_archive(&e);
	struct timespec t;

	(void)state;
	t.tv_sec = archive_entry_mtime(e);
	t.tv_nsec = archive_entry_mtime_nsec(e);
	if (ucp_paxprobe()->in)
		ucp_paxtime_in(&t);
	assert_int_equal(t.tv_sec, -2);
	assert_int_equal(t.tv_nsec, 250000000);
	archive_read_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(probe_sees_the_printing),
		cmocka_unit_test(probe_sees_the_reading),
		cmocka_unit_test(probe_archive_reads),
		cmocka_unit_test(corrected_write_is_posix),
		cmocka_unit_test(corrected_read_is_posix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
