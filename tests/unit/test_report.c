/* SPDX-License-Identifier: MIT */
/*
 * test_report.c: names reach the terminal escaped; a long one is shortened
 * in its middle, never inside a character; JSON strings stay valid. ucp_quote
 * and the lines of --list, --itemize-changes and the error messages never pass
 * on a control character (C0, DEL, C1) or a byte that is not valid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "escape.h"
#include "report.h"

/* The renderer reads progress only when it draws some; none here. */
void ucp_snapshot(struct ucp_ctx *ctx, struct ucp_snapshot *snap)
{
	(void)ctx;
	memset(snap, 0, sizeof(*snap));
}

/* Nor does it ask a question here: no run to cancel. */
bool ucp_cancel_requested(struct ucp_ctx *ctx)
{
	(void)ctx;
	return false;
}

static char *quoted(const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	ucp_quote(m, name);
	assert_int_equal(fclose(m), 0);
	return buf;
}

static void expect_quote(const char *name, const char *want)
{
	char *got = quoted(name);

	assert_string_equal(got, want);
	free(got);
}

static void quote_keeps_valid_utf8(void **state)
{
	(void)state;
	expect_quote("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		     "'caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80'");
	/* U+00A0, the first code point after the C1 range */
	expect_quote("a\xc2\xa0"
		     "b",
		     "'a\xc2\xa0"
		     "b'");
	expect_quote("it's\n", "'it\\'s\\n'");
}

/*
 * A backslash is escaped too: otherwise the name a\ came out as 'a\',
 * which reads as an escaped quote and no end.
 */
static void quote_escapes_backslash(void **state)
{
	(void)state;
	expect_quote("a\\", "'a\\\\'");
	expect_quote("\\x41\\'", "'\\\\x41\\\\\\''");
}

static void quote_escapes_c1_controls(void **state)
{
	(void)state;
	/* U+009B is CSI for terminals that obey C1 controls */
	expect_quote("a\xc2\x9b"
		     "31m",
		     "'a\\xc2\\x9b31m'");
	expect_quote("\xc2\x85", "'\\xc2\\x85'");
	expect_quote("\x1b[2J\x7f", "'\\x1b[2J\\x7f'");
}

static void quote_escapes_invalid_utf8(void **state)
{
	(void)state;
	expect_quote("\xc0\xaf", "'\\xc0\\xaf'");	   /* overlong '/' */
	expect_quote("\xe0\x80\xaf", "'\\xe0\\x80\\xaf'"); /* overlong */
	expect_quote("\xed\xa0\x80", "'\\xed\\xa0\\x80'"); /* surrogate */
	expect_quote("\xf4\x90\x80\x80", "'\\xf4\\x90\\x80\\x80'"); /* >max */
	expect_quote("\xf0\x8f\xbf\xbf",
		     "'\\xf0\\x8f\\xbf\\xbf'");	  /* overlong */
	expect_quote("\xe2\x82", "'\\xe2\\x82'"); /* cut short */
}

/* Run one event through a renderer; stdout and stderr come back. */
struct capture {
	char *out, *err;
	size_t outlen, errlen;
	FILE *saved_out, *saved_err;
	struct ucp_report *r;
	struct ucp_events ev;
};

static void capture_start(struct capture *c, bool verbose)
{
	struct ucp_opts o;

	memset(c, 0, sizeof(*c));
	memset(&o, 0, sizeof(o));
	o.cfg.verbose = verbose;
	o.progress = UCP_PROGRESS_NONE;
	c->saved_out = stdout;
	c->saved_err = stderr;
	stdout = open_memstream(&c->out, &c->outlen);
	stderr = open_memstream(&c->err, &c->errlen);
	c->r = ucp_report_new(&o);
	ucp_report_events(c->r, &c->ev);
}

static void capture_end(struct capture *c)
{
	ucp_report_free(c->r);
	(void)fclose(stdout);
	(void)fclose(stderr);
	stdout = c->saved_out;
	stderr = c->saved_err;
}

static void capture_free(struct capture *c)
{
	free(c->out);
	free(c->err);
}

static void list_quotes_member_names(void **state)
{
	struct ucp_member m = { .path = "evil\x1b]0;title\x07",
				.mode = S_IFREG | 0644 };
	struct capture c;

	(void)state;
	capture_start(&c, false);
	c.ev.member(c.ev.arg, &m);
	m.path = "plain name";
	c.ev.member(c.ev.arg, &m);
	m.path = "'looks quoted'";
	c.ev.member(c.ev.arg, &m);
	capture_end(&c);
	assert_string_equal(c.out, "'evil\\x1b]0;title\\x07'\nplain name\n"
				   "'\\'looks quoted\\''\n");
	capture_free(&c);
}

static void list_verbose_escapes_owner_and_link(void **state)
{
	struct ucp_member m = { .path = "l",
				.link = "t\x1b[1m",
				.mode = S_IFLNK | 0777,
				.uname = "r\x9boot",
				.gname = "g\n" };
	struct capture c;

	(void)state;
	capture_start(&c, true);
	c.ev.member(c.ev.arg, &m);
	capture_end(&c);
	/* (The owner and the size share tar tv's column of 19 at first.) */
	assert_string_equal(c.out, "lrwxrwxrwx r\\x9boot/g\\n      0 "
				   "1970-01-01 00:00 l -> 't\\x1b[1m'\n");
	capture_free(&c);
}

/*
 * --itemize-changes escapes names as rsync does: "\#ooo", no quotes; a
 * backslash only where it would read as such an escape.
 */
static void itemize_escapes_as_rsync(void **state)
{
	struct capture c;

	(void)state;
	capture_start(&c, false);
	c.ev.itemize(c.ev.arg, ">f+++++++++", "bad\xff");
	c.ev.itemize(c.ev.arg, ">f+++++++++", "c1\xc2\x9b");
	c.ev.itemize(c.ev.arg, ">f+++++++++", "ok \xc3\xa9");
	c.ev.itemize(c.ev.arg, ">f+++++++++", "nl\nand\ttab");
	c.ev.itemize(c.ev.arg, ">f+++++++++", "back\\#slash\\n");
	c.ev.itemize(c.ev.arg, ">f+++++++++", "looks\\#012like");
	capture_end(&c);
	assert_string_equal(c.out, ">f+++++++++ bad\\#377\n"
				   ">f+++++++++ c1\\#302\\#233\n"
				   ">f+++++++++ ok \xc3\xa9\n"
				   ">f+++++++++ nl\\#012and\ttab\n"
				   ">f+++++++++ back\\#slash\\n\n"
				   ">f+++++++++ looks\\#134#012like\n");
	capture_free(&c);
}

static void error_escapes_library_message(void **state)
{
	/* A library's message may quote a member name as it is. */
	struct ucp_error e = { .op = UCP_OP_ARCHIVE,
			       .path = "a.tar",
			       .msg = "at byte 512, after member 'x\x1b[2J': "
				      "damaged",
			       .fatal = true };
	struct capture c;

	(void)state;
	capture_start(&c, false);
	c.ev.error(c.ev.arg, &e);
	capture_end(&c);
	assert_non_null(strstr(c.err, "'a.tar': at byte 512, after member "
				      "'x\\x1b[2J': damaged\n"));
	assert_null(strchr(c.err, '\x1b'));
	capture_free(&c);
}

/*
 * An attribute that could not be written is named, quoted as names are;
 * where the file system has no attributes at all, it is not.
 */
static void error_names_the_attribute(void **state)
{
	struct ucp_error e = { .op = UCP_OP_XATTR,
			       .err = ENOSPC,
			       .path = "d/f",
			       .attr = "user.\x01'" };
	struct capture c;

	(void)state;
	capture_start(&c, false);
	c.ev.error(c.ev.arg, &e);
	e.err = ENOTSUP;
	e.warning = true;
	c.ev.error(c.ev.arg, &e);
	capture_end(&c);
	assert_string_equal(
		c.err, "ucp: cannot preserve extended attribute "
		       "'user.\\x01\\'' of 'd/f': No space left on device\n"
		       "ucp: warning: cannot preserve extended attributes "
		       "of 'd/f': Operation not supported\n");
	capture_free(&c);
}

static void expect_short(const char *s, size_t cols, const char *want)
{
	char out[256];

	assert_int_equal(ucp_ellipsize(out, sizeof(out), s, cols),
			 strlen(want));
	assert_string_equal(out, want);
}

static void ellipsize_cuts_in_the_middle(void **state)
{
	(void)state;
	expect_short("short", 10, "short");
	expect_short("0123456789", 10, "0123456789");
	/* 9 columns: 3 of the start, "...", 3 of the end. */
	expect_short("dir/sub/file.iso", 9, "dir...iso");
	/* 10: the end gets the larger half. */
	expect_short("dir/sub/file.iso", 10, "dir....iso");
	expect_short("dir/sub/file.iso", 15, "dir/su...le.iso");
	/* No room for an ellipsis and text: nothing. */
	expect_short("dir/sub/file.iso", 4, "");
	/* An escape is kept whole, or left out whole. */
	expect_short("abcdefgh\\xff\\xfe.bin", 12, "abcd....bin");
	expect_short("abcdefgh\\xff\\xfe.bin", 17, "abcdefg....bin");
	expect_short("abcdefgh\\xff\\xfe.bin", 19, "abcdefgh...\\xfe.bin");
	expect_short("a\\nbcdefgh.iso", 8, "a...iso");
	expect_short("a\\nbcdefgh.iso", 9, "a\\n...iso");
}

static void ellipsize_keeps_utf8_sequences_whole(void **state)
{
	char out[256];
	/* e-acute (2 bytes, 1 column) and CJK (3 bytes, counted as 2). */
	const char *s = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9/\xe6\x97\xa5\xe6\x97"
			"\xa5\xe6\x97\xa5\xe6\x97\xa5";
	size_t cols;

	(void)state;
	for (cols = 5; cols < 13; cols++) { /* 13: it fits */
		const unsigned char *p;

		(void)ucp_ellipsize(out, sizeof(out), s, cols);
		assert_non_null(strstr(out, "..."));
		/* Every byte run is whole UTF-8: a lead byte is followed
		 * by its continuation bytes, and none is left alone. */
		for (p = (const unsigned char *)out; *p;) {
			size_t n = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : 3, i;

			assert_true(*p < 0x80 || *p >= 0xc2);
			for (i = 1; i < n; i++)
				assert_int_equal(p[i] & 0xc0, 0x80);
			p += n;
		}
	}
	/* 8 columns: 2 of the start (two e-acutes), 3 of the end (one CJK,
	 * as wide columns count 2, fits; two do not). */
	(void)ucp_ellipsize(out, sizeof(out), s, 8);
	assert_string_equal(out, "\xc3\xa9\xc3\xa9...\xe6\x97\xa5");
}

static char *json_of(const char *key, const char *name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	ucp_json_name(m, key, name);
	assert_int_equal(fclose(m), 0);
	return buf;
}

static void expect_json(const char *name, const char *want)
{
	char *got = json_of("path", name);

	assert_string_equal(got, want);
	free(got);
}

static void json_name_is_valid_json(void **state)
{
	(void)state;
	expect_json("a/b c", "\"path\":\"a/b c\"");
	expect_json("caf\xc3\xa9", "\"path\":\"caf\xc3\xa9\"");
	expect_json("q\"b\\", "\"path\":\"q\\\"b\\\\\"");
	/* Controls: C0, DEL and C1 as \u escapes, nothing lost. */
	expect_json("\x1b[31m\x7f\xc2\x9b",
		    "\"path\":\"\\u001b[31m\\u007f\\u009b\"");
	expect_json("a\nb\t", "\"path\":\"a\\u000ab\\u0009\"");
	/* A byte that is not UTF-8: U+FFFD, and the exact bytes in hex. */
	expect_json("x\xff", "\"path\":\"x\\ufffd\",\"path_hex\":\"78ff\"");
	expect_json("\xc3(", "\"path\":\"\\ufffd(\",\"path_hex\":\"c328\"");
	expect_json(NULL, "\"path\":null");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quote_keeps_valid_utf8),
		cmocka_unit_test(quote_escapes_backslash),
		cmocka_unit_test(quote_escapes_c1_controls),
		cmocka_unit_test(quote_escapes_invalid_utf8),
		cmocka_unit_test(list_quotes_member_names),
		cmocka_unit_test(list_verbose_escapes_owner_and_link),
		cmocka_unit_test(itemize_escapes_as_rsync),
		cmocka_unit_test(error_escapes_library_message),
		cmocka_unit_test(error_names_the_attribute),
		cmocka_unit_test(ellipsize_cuts_in_the_middle),
		cmocka_unit_test(ellipsize_keeps_utf8_sequences_whole),
		cmocka_unit_test(json_name_is_valid_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
