/* SPDX-License-Identifier: MIT */
/* test_tarname.c: an archive's format, compression and levels by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tarname.h"

static void tarname_compression_by_suffix_unless_given(void **state)
{
	(void)state;
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.tar.gz"),
			 UCP_COMPRESS_GZIP);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.tgz"),
			 UCP_COMPRESS_GZIP);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.tbz"),
			 UCP_COMPRESS_BZIP2);
	/* (GNU tar's other short forms.) */
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.taz"),
			 UCP_COMPRESS_GZIP);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.tz2"),
			 UCP_COMPRESS_BZIP2);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.txz"),
			 UCP_COMPRESS_XZ);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.tzst"),
			 UCP_COMPRESS_ZSTD);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.tar.lz4"),
			 UCP_COMPRESS_LZ4);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.tar"),
			 UCP_COMPRESS_NONE);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "gz"),
			 UCP_COMPRESS_NONE);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_XZ, "a.tar.gz"),
			 UCP_COMPRESS_XZ);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_NONE, "a.tar.gz"),
			 UCP_COMPRESS_NONE);
}

static void tarname_format_by_suffix_unless_given(void **state)
{
	(void)state;
	assert_int_equal(ucp_tar_format_for(UCP_TAR_AUTO, "a.zip"),
			 UCP_TAR_ZIP);
	assert_int_equal(ucp_tar_format_for(UCP_TAR_AUTO, "a.cpio"),
			 UCP_TAR_CPIO);
	assert_int_equal(ucp_tar_format_for(UCP_TAR_AUTO, "a.tar"),
			 UCP_TAR_PAX);
	/* A compressed cpio is cpio; a suffix that says tar is not. */
	assert_int_equal(ucp_tar_format_for(UCP_TAR_AUTO, "a.cpio.gz"),
			 UCP_TAR_CPIO);
	assert_int_equal(ucp_tar_format_for(UCP_TAR_AUTO, "a.cpio.zst"),
			 UCP_TAR_CPIO);
	assert_int_equal(ucp_tar_format_for(UCP_TAR_AUTO, "a.cpio.tgz"),
			 UCP_TAR_PAX);
	assert_int_equal(ucp_tar_format_for(UCP_TAR_AUTO, "cpio.gz"),
			 UCP_TAR_PAX);
	assert_int_equal(ucp_tar_compress_for(UCP_COMPRESS_AUTO, "a.cpio.xz"),
			 UCP_COMPRESS_XZ);
	assert_int_equal(ucp_tar_format_for(UCP_TAR_USTAR, "a.zip"),
			 UCP_TAR_USTAR);
}

static void tarname_levels_per_compressor(void **state)
{
	unsigned lo, hi;

	(void)state;
	assert_true(ucp_tar_levels(UCP_COMPRESS_AUTO, UCP_TAR_AUTO, "a.tar.gz",
				   &lo, &hi));
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 9);
	assert_true(ucp_tar_levels(UCP_COMPRESS_AUTO, UCP_TAR_AUTO, "a.tar.zst",
				   &lo, &hi));
	assert_int_equal(hi, 22);
	assert_true(ucp_tar_levels(UCP_COMPRESS_AUTO, UCP_TAR_AUTO, "a.tar.lz4",
				   &lo, &hi));
	assert_int_equal(lo, 1);
	assert_int_equal(hi, 9);
	/* A zip deflates its members itself, whatever the name. */
	assert_true(ucp_tar_levels(UCP_COMPRESS_AUTO, UCP_TAR_ZIP, "a.out", &lo,
				   &hi));
	assert_int_equal(hi, 9);
	assert_false(ucp_tar_levels(UCP_COMPRESS_AUTO, UCP_TAR_AUTO, "a.tar",
				    &lo, &hi));
	assert_false(ucp_tar_levels(UCP_COMPRESS_NONE, UCP_TAR_AUTO, "a.tar.gz",
				    &lo, &hi));
	assert_true(ucp_tar_levels(UCP_COMPRESS_GZIP, UCP_TAR_AUTO, "a.tar",
				   &lo, &hi));
}

/* Suffixes of compressions not written from a name, and none else. */
static void tarname_unwritten_suffixes(void **state)
{
	(void)state;
	assert_string_equal(
		ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.tar.lzma"),
		".lzma");
	assert_string_equal(
		ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.tlz"), ".tlz");
	assert_string_equal(
		ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.tar.Z"), ".Z");
	assert_string_equal(
		ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "A.TAR.GZ"), ".GZ");
	assert_string_equal(
		ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.Tgz"), ".Tgz");
	assert_null(ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.tar.gz"));
	assert_null(ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.tar"));
	assert_string_equal(
		ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.TAR.LZMA"),
		".LZMA");
	assert_string_equal(
		ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.taZ"), ".taZ");
	assert_null(ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.taz"));
	assert_null(ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "a.tz2"));
	assert_null(ucp_tar_unwritten_suffix(UCP_COMPRESS_AUTO, "lz"));
	assert_null(ucp_tar_unwritten_suffix(UCP_COMPRESS_NONE, "a.tar.lzma"));
	assert_null(ucp_tar_unwritten_suffix(UCP_COMPRESS_XZ, "a.tar.lzma"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tarname_compression_by_suffix_unless_given),
		cmocka_unit_test(tarname_format_by_suffix_unless_given),
		cmocka_unit_test(tarname_levels_per_compressor),
		cmocka_unit_test(tarname_unwritten_suffixes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
