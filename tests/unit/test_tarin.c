/* SPDX-License-Identifier: MIT */
/*
 * test_tarin.c: the archive input of --untar and --list. Plain input goes
 * through unchanged; gzip is inflated with its CRC-32 and length checked,
 * members may follow one another, zeros may follow the last.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "tarin.h"

#define DATA_LEN 300000

static unsigned char data[DATA_LEN];

/* data, gzip-compressed into out; its length. */
static size_t gzip_data(unsigned char *out, size_t cap)
{
	z_stream z = { 0 };

	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	z.next_in = data;
	z.avail_in = DATA_LEN;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return cap - z.avail_out;
}

/* Write len bytes to a new temporary file; its name in path. */
static void put_file(char *path, const unsigned char *buf, size_t len)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/*
 * Read all of path through tarin in blocks of block bytes; the bytes read
 * go to *got (malloc'd), their count to *len. Returns what the last read
 * (and the finish) returned: 0 for a clean end, -1 for damage.
 */
static int read_blocks(const char *path, size_t block, unsigned char **got,
		       size_t *len, const char **err)
{
	struct ucp_tarin *t;
	const void *buf;
	ssize_t n;
	size_t cap = 4 * DATA_LEN;
	int ret;

	*got = malloc(cap);
	*len = 0;
	assert_int_equal(ucp_tarin_open(&t, path, block, NULL), 0);
	while ((n = ucp_tarin_read(t, &buf)) > 0) {
		assert_true(*len + (size_t)n <= cap);
		memcpy(*got + *len, buf, (size_t)n);
		*len += (size_t)n;
	}
	ret = n < 0 ? -1 : ucp_tarin_finish(t);
	*err = NULL;
	if (ret < 0) {
		static char msg[160];

		snprintf(msg, sizeof(msg), "%s", ucp_tarin_error(t));
		*err = msg;
	}
	ucp_tarin_close(t);
	return ret;
}

/* read_blocks with small blocks. */
static int read_all(const char *path, unsigned char **got, size_t *len,
		    const char **err)
{
	return read_blocks(path, 4096, got, len, err);
}

static void tarin_plain_input_goes_through(void **state)
{
	char path[] = "/tmp/ucp-tarin-XXXXXX";
	unsigned char *got;
	const char *err;
	size_t len;

	(void)state;
	put_file(path, data, DATA_LEN);
	assert_int_equal(read_all(path, &got, &len, &err), 0);
	assert_int_equal(len, DATA_LEN);
	assert_memory_equal(got, data, DATA_LEN);
	free(got);
	unlink(path);
}

static void tarin_gzip_members_and_padding(void **state)
{
	static unsigned char gz[2 * DATA_LEN + 8192];
	char path[] = "/tmp/ucp-tarin-XXXXXX";
	unsigned char *got;
	const char *err;
	size_t n, len;

	(void)state;
	n = gzip_data(gz, DATA_LEN + 4096);
	/* Two members, then zeros. */
	memcpy(gz + n, gz, n);
	memset(gz + 2 * n, 0, 3000);
	put_file(path, gz, 2 * n + 3000);
	assert_int_equal(read_all(path, &got, &len, &err), 0);
	assert_int_equal(len, 2 * DATA_LEN);
	assert_memory_equal(got, data, DATA_LEN);
	assert_memory_equal(got + DATA_LEN, data, DATA_LEN);
	free(got);
	unlink(path);
}

/* A gzip file with one byte changed at off, or else cut to cut bytes. */
static void damaged(long off, size_t cut, const char *want)
{
	static unsigned char gz[DATA_LEN + 8192];
	char path[] = "/tmp/ucp-tarin-XXXXXX";
	unsigned char *got;
	const char *err;
	size_t n, len;

	n = gzip_data(gz, sizeof(gz));
	if (off < 0)
		off += (long)n;
	if (cut)
		n = cut;
	else
		gz[off] ^= 0x40;
	put_file(path, gz, n);
	assert_int_equal(read_all(path, &got, &len, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, want));
	free(got);
	unlink(path);
}

static void tarin_gzip_damage_is_an_error(void **state)
{
	(void)state;
	damaged(-8, 0, "incorrect data check");	  /* the CRC-32 */
	damaged(-2, 0, "incorrect length check"); /* the length */
	damaged(0, 100, "unexpected end");	  /* cut short */
}

static void tarin_gzip_trailing_garbage_is_an_error(void **state)
{
	static unsigned char gz[DATA_LEN + 8192];
	char path[] = "/tmp/ucp-tarin-XXXXXX";
	unsigned char *got;
	const char *err;
	size_t n, len;

	(void)state;
	n = gzip_data(gz, sizeof(gz));
	memcpy(gz + n, "\0\0junk", 6);
	put_file(path, gz, n + 6);
	assert_int_equal(read_all(path, &got, &len, &err), -1);
	assert_non_null(strstr(err, "trailing garbage"));
	free(got);
	unlink(path);
}

/*
 * Blocks of one byte: the gzip check reads two bytes before the first
 * block is returned, which once went past a one-byte buffer (found by
 * fuzz_tarin; AddressSanitizer reports it).
 */
static void tarin_one_byte_blocks(void **state)
{
	static unsigned char gz[DATA_LEN + 8192];
	char plain[] = "/tmp/ucp-tarin-XXXXXX";
	char zipped[] = "/tmp/ucp-tarin-XXXXXX";
	unsigned char *got;
	const char *err;
	size_t len;

	(void)state;
	put_file(plain, data, 1000);
	assert_int_equal(read_blocks(plain, 1, &got, &len, &err), 0);
	assert_int_equal(len, 1000);
	assert_memory_equal(got, data, 1000);
	free(got);
	put_file(zipped, gz, gzip_data(gz, sizeof(gz)));
	assert_int_equal(read_blocks(zipped, 1, &got, &len, &err), 0);
	assert_int_equal(len, DATA_LEN);
	assert_memory_equal(got, data, DATA_LEN);
	free(got);
	unlink(plain);
	unlink(zipped);
}

/* ucp_tarin_lz4: an lz4 frame's magic at the start, and nothing else. */
static void tarin_tells_lz4_by_its_magic(void **state)
{
	static const unsigned char lz4[8] = { 0x04, 0x22, 0x4d, 0x18,
					      0x64, 0x40, 0xa7, 0x00 };
	static const unsigned char other[8] = { 0x04, 0x22, 0x4d, 0x19,
						0x64, 0x40, 0xa7, 0x00 };
	char a[] = "/tmp/ucp-tarin-XXXXXX", b[] = "/tmp/ucp-tarin-XXXXXX";
	struct ucp_tarin *t;

	(void)state;
	put_file(a, lz4, sizeof(lz4));
	put_file(b, other, sizeof(other));
	assert_int_equal(ucp_tarin_open(&t, a, 4096, NULL), 0);
	assert_true(ucp_tarin_lz4(t));
	ucp_tarin_close(t);
	assert_int_equal(ucp_tarin_open(&t, b, 4096, NULL), 0);
	assert_false(ucp_tarin_lz4(t));
	ucp_tarin_close(t);
	unlink(a);
	unlink(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tarin_plain_input_goes_through),
		cmocka_unit_test(tarin_gzip_members_and_padding),
		cmocka_unit_test(tarin_gzip_damage_is_an_error),
		cmocka_unit_test(tarin_gzip_trailing_garbage_is_an_error),
		cmocka_unit_test(tarin_one_byte_blocks),
		cmocka_unit_test(tarin_tells_lz4_by_its_magic),
	};
	size_t i;

	/* Text-like but not constant, so that deflate has work to do. */
	for (i = 0; i < DATA_LEN; i++)
		data[i] = (unsigned char)("abcdefgh"[i % 8] + (i / 997) % 7);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
