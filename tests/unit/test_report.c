/* SPDX-License-Identifier: MIT */
/*
 * test_report.c: names reach the terminal escaped. ucp_quote and the
 * lines of --list, --itemize-changes and the error messages never pass on
 * a control character (C0, DEL, C1) or a byte that is not valid UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"

/* The renderer reads progress only when it draws some; none here. */
void ucp_snapshot(struct ucp_ctx *ctx, struct ucp_snapshot *snap)
{
	(void)ctx;
	memset(snap, 0, sizeof(*snap));
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
	assert_string_equal(c.out, "lrwxrwxrwx r\\x9boot/g\\n           0 "
				   "1970-01-01 00:00 l -> 't\\x1b[1m'\n");
	capture_free(&c);
}

/* --itemize-changes escapes names as rsync does: "\#ooo", no quotes. */
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
	capture_end(&c);
	assert_string_equal(c.out, ">f+++++++++ bad\\#377\n"
				   ">f+++++++++ c1\\#302\\#233\n"
				   ">f+++++++++ ok \xc3\xa9\n"
				   ">f+++++++++ nl\\#012and\ttab\n"
				   ">f+++++++++ back\\#134#slash\\n\n");
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
