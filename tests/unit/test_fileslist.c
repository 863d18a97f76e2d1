/* SPDX-License-Identifier: MIT */
/* test_fileslist.c: the --files-from name-list reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fileslist.h"

static int memfd_with(const char *data, size_t len)
{
	int fd = memfd_create("list", MFD_CLOEXEC);

	assert_true(fd >= 0);
	if (len > 0)
		assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* One expected result of ucp_fileslist_next. */
struct want {
	int ret;
	const char *name; /* for ret 1 */
	size_t line;
	bool trailing_slash;
};

static void expect_list(const char *data, size_t len, unsigned flags,
			const struct want *w, size_t n)
{
	struct ucp_fileslist *fl;
	struct ucp_fileslist_entry e;
	int fd = memfd_with(data, len);
	size_t i;

	assert_int_equal(ucp_fileslist_new(&fl, fd, flags), 0);
	for (i = 0; i < n; i++) {
		int ret = ucp_fileslist_next(fl, &e);

		if (ret != w[i].ret)
			fail_msg("result %zu: got %d, want %d", i, ret,
				 w[i].ret);
		if (ret != 0)
			assert_int_equal(e.line, w[i].line);
		if (ret == 1) {
			assert_int_equal(e.len, strlen(w[i].name));
			assert_memory_equal(e.name, w[i].name, e.len + 1);
			assert_int_equal(e.trailing_slash, w[i].trailing_slash);
		}
	}
	/* The end stays the end. */
	assert_int_equal(ucp_fileslist_next(fl, &e), 0);
	ucp_fileslist_free(fl);
	close(fd);
}

#define EXPECT(data, flags, w) \
	expect_list(data, sizeof(data) - 1, flags, w, sizeof(w) / sizeof(w[0]))

static void fileslist_lines(void **state)
{
	static const char data[] = "a\n"
				   "\n"
				   "# comment\n"
				   "; comment\n"
				   "dir/b c\r\n"
				   "mac\r"
				   "next\n"
				   "last";
	static const struct want w[] = {
		{ 1, "a", 1, false },	 { 1, "dir/b c", 5, false },
		{ 1, "mac", 6, false },	 { 1, "next", 7, false },
		{ 1, "last", 8, false }, { 0, NULL, 0, false },
	};

	(void)state;
	EXPECT(data, 0, w);
}

static void fileslist_from0(void **state)
{
	/* Newlines, CRs and '#' are name bytes; only empty ones skip. */
	static const char data[] = "a\nb\0#x\0\0c\r\0\xff\xfe";
	static const struct want w[] = {
		{ 1, "a\nb", 1, false }, { 1, "#x", 2, false },
		{ 1, "c\r", 4, false },	 { 1, "\xff\xfe", 5, false },
		{ 0, NULL, 0, false },
	};

	(void)state;
	EXPECT(data, UCP_FILESLIST_FROM0, w);
}

static void fileslist_normalises(void **state)
{
	static const char data[] = "./a\n"
				   "/abs/path\n"
				   "a//b/./c/\n"
				   "x/.\n"
				   ".\n"
				   "/\n"
				   "./\n"
				   "..b/c..\n"
				   "...\n";
	static const struct want w[] = {
		{ 1, "a", 1, false },	 { 1, "abs/path", 2, false },
		{ 1, "a/b/c", 3, true }, { 1, "x", 4, true },
		{ 1, "", 5, false },	 { 1, "", 6, false },
		{ 1, "", 7, false },	 { 1, "..b/c..", 8, false },
		{ 1, "...", 9, false },
	};

	(void)state;
	EXPECT(data, 0, w);
}

/* ".." is refused, with its line, and the list goes on. */
static void fileslist_rejects_dotdot(void **state)
{
	static const char data[] = "a\n../b\nc/..\nd/../e\nf\n..\n";
	static const struct want w[] = {
		{ 1, "a", 1, false },	     { -EINVAL, NULL, 2, false },
		{ -EINVAL, NULL, 3, false }, { -EINVAL, NULL, 4, false },
		{ 1, "f", 5, false },	     { -EINVAL, NULL, 6, false },
		{ 0, NULL, 0, false },
	};

	(void)state;
	EXPECT(data, 0, w);
}

static void fileslist_raw_keeps_entries(void **state)
{
	static const char data[] = "./a//\n/x\n../y\n# skipped\n";
	static const struct want w[] = {
		{ 1, "./a//", 1, false },
		{ 1, "/x", 2, false },
		{ 1, "../y", 3, false },
		{ 0, NULL, 0, false },
	};

	(void)state;
	EXPECT(data, UCP_FILESLIST_RAW, w);
}

static void fileslist_nul_in_line_is_invalid(void **state)
{
	static const char data[] = "a\nb\0c\nd\n";
	static const struct want w[] = {
		{ 1, "a", 1, false },
		{ -EINVAL, NULL, 2, false },
		{ 1, "d", 3, false },
	};

	(void)state;
	EXPECT(data, 0, w);
}

/* Entries up to the limit pass; a longer one is skipped and named. */
static void fileslist_long_entries(void **state)
{
	size_t max = UCP_FILESLIST_NAME_MAX, len = 0;
	char *data = malloc(4 * max + 100), *name = malloc(max + 1);
	struct ucp_fileslist *fl;
	struct ucp_fileslist_entry e;
	int fd;

	(void)state;
	assert_non_null(data);
	assert_non_null(name);
	memset(name, 'n', max);
	name[max] = '\0';
	memcpy(data + len, "a\n", 2);
	len += 2;
	memcpy(data + len, name, max); /* exactly the limit */
	len += max;
	data[len++] = '\n';
	memset(data + len, 'x', 3 * max); /* far over, across refills */
	len += 3 * max;
	memcpy(data + len, "\nb", 2);
	len += 2;
	fd = memfd_with(data, len);
	assert_int_equal(ucp_fileslist_new(&fl, fd, 0), 0);
	assert_int_equal(ucp_fileslist_next(fl, &e), 1);
	assert_string_equal(e.name, "a");
	assert_int_equal(ucp_fileslist_next(fl, &e), 1);
	assert_int_equal(e.len, max);
	assert_string_equal(e.name, name);
	assert_int_equal(ucp_fileslist_next(fl, &e), -ENAMETOOLONG);
	assert_int_equal(e.line, 3);
	assert_int_equal(ucp_fileslist_next(fl, &e), 1);
	assert_string_equal(e.name, "b");
	assert_int_equal(e.line, 4);
	assert_int_equal(ucp_fileslist_next(fl, &e), 0);
	ucp_fileslist_free(fl);
	close(fd);
	free(data);
	free(name);
}

/*
 * Many entries through a pipe written in odd-sized pieces, so that names
 * and CR LF pairs are split between reads.
 */
struct writer {
	int fd;
	size_t count;
};

static void *write_list(void *arg)
{
	struct writer *w = arg;
	char buf[8192];
	size_t len = 0, i, piece = 1;

	for (i = 0; i < w->count; i++) {
		char name[64];
		int n = snprintf(name, sizeof(name), "dir%zu/file-%zu\r\n",
				 i % 97, i);

		memcpy(buf + len, name, (size_t)n);
		len += (size_t)n;
		if (len > sizeof(buf) - sizeof(name) || i + 1 == w->count) {
			size_t off = 0;

			while (off < len) {
				size_t k =
					len - off < piece ? len - off : piece;
				ssize_t r = write(w->fd, buf + off, k);

				if (r <= 0)
					return NULL;
				off += (size_t)r;
				piece = piece % 4093 + 17;
			}
			len = 0;
		}
	}
	close(w->fd);
	return NULL;
}

static void fileslist_streams_from_pipe(void **state)
{
	struct writer w = { .count = 200000 };
	struct ucp_fileslist *fl;
	struct ucp_fileslist_entry e;
	pthread_t t;
	size_t i = 0;
	int fds[2], ret;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	w.fd = fds[1];
	assert_int_equal(pthread_create(&t, NULL, write_list, &w), 0);
	assert_int_equal(ucp_fileslist_new(&fl, fds[0], 0), 0);
	while ((ret = ucp_fileslist_next(fl, &e)) == 1) {
		char name[64];

		snprintf(name, sizeof(name), "dir%zu/file-%zu", i % 97, i);
		if (strcmp(e.name, name) != 0 || e.line != i + 1)
			fail_msg("entry %zu: '%s' at line %zu", i, e.name,
				 e.line);
		i++;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(i, w.count);
	ucp_fileslist_free(fl);
	pthread_join(t, NULL);
	close(fds[0]);
}

static void fileslist_read_error_sticks(void **state)
{
	struct ucp_fileslist *fl;
	struct ucp_fileslist_entry e;

	(void)state;
	assert_int_equal(ucp_fileslist_new(&fl, -1, 0), 0);
	assert_int_equal(ucp_fileslist_next(fl, &e), -EBADF);
	assert_int_equal(ucp_fileslist_next(fl, &e), -EBADF);
	ucp_fileslist_free(fl);
	ucp_fileslist_free(NULL);
}

static void fileslist_empty_input(void **state)
{
	static const struct want w[] = { { 0, NULL, 0, false } };

	(void)state;
	expect_list("", 0, 0, w, 1);
	expect_list("", 0, UCP_FILESLIST_FROM0, w, 1);
	expect_list("\n\n\r\n", 4, 0, w, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fileslist_lines),
		cmocka_unit_test(fileslist_from0),
		cmocka_unit_test(fileslist_normalises),
		cmocka_unit_test(fileslist_rejects_dotdot),
		cmocka_unit_test(fileslist_raw_keeps_entries),
		cmocka_unit_test(fileslist_nul_in_line_is_invalid),
		cmocka_unit_test(fileslist_long_entries),
		cmocka_unit_test(fileslist_streams_from_pipe),
		cmocka_unit_test(fileslist_read_error_sticks),
		cmocka_unit_test(fileslist_empty_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
