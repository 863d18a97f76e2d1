/* SPDX-License-Identifier: MIT */
/* test_options.c: option parsing, number parsers and usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "options.h"

/* Parse a NULL-terminated argument list (argv[0] is added). */
static int parse(struct ucp_opts *o, const char *env, ...)
{
	static char *argv[32];
	va_list ap;
	int argc = 0;
	char *a;

	argv[argc++] = (char *)"ucp";
	va_start(ap, env);
	while ((a = va_arg(ap, char *)) != NULL)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	optind = 0; /* full getopt reset between parses */
	return ucp_opts_parse(argc, argv, env, o);
}

static void opts_recursive_and_operands_parse(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "-r", "a", "b", NULL), 0);
	assert_true(o.cfg.recursive);
	assert_int_equal(o.noperands, 2);
	assert_string_equal(o.operands[0], "a");
	assert_int_equal(parse(&o, NULL, "-R", "-v", "a", "b", NULL), 0);
	assert_true(o.cfg.recursive);
	assert_true(o.cfg.verbose);
}

static void opts_target_directory_takes_all_operands(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "-t", "dir", "a", NULL), 0);
	assert_string_equal(o.cfg.target_dir, "dir");
	assert_int_equal(o.noperands, 1);
	assert_int_equal(
		parse(&o, NULL, "--target-directory=d", "a", "b", NULL), 0);
	assert_string_equal(o.cfg.target_dir, "d");
}

static void opts_missing_operands_is_usage_error(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, NULL), 2);
	assert_int_equal(parse(&o, NULL, "a", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-T", "a", "b", "c", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-t", "d", "-T", "a", NULL), 2);
}

static void opts_unknown_option_is_usage_error(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "--bogus", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-z", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "a", "-t", NULL), 2);
}

static void opts_jobs_must_be_positive_number(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "-j", "4", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.jobs, 4);
	assert_int_equal(parse(&o, NULL, "-j", "0", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-j", "x", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-j", "-1", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "--jobs=3k", "a", "b", NULL), 2);
}

static void opts_engine_option_wins_over_env(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, "threads", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.engine, UCP_ENGINE_THREADS);
	assert_int_equal(parse(&o, "threads", "--engine=uring", "a", "b", NULL),
			 0);
	assert_int_equal(o.cfg.engine, UCP_ENGINE_URING);
	assert_int_equal(parse(&o, NULL, "--engine=fast", "a", "b", NULL), 2);
}

static void opts_progress_modes_parse(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "--progress=plain", "a", "b", NULL),
			 0);
	assert_int_equal(o.progress, UCP_PROGRESS_PLAIN);
	/* Asked for without a value: shown, as plain lines off a terminal. */
	assert_int_equal(parse(&o, NULL, "--progress", "a", "b", NULL), 0);
	assert_int_equal(o.progress, UCP_PROGRESS_ON);
	/* Not asked for: auto. */
	assert_int_equal(parse(&o, NULL, "a", "b", NULL), 0);
	assert_int_equal(o.progress, UCP_PROGRESS_AUTO);
	assert_int_equal(parse(&o, NULL, "--no-progress", "a", "b", NULL), 0);
	assert_int_equal(o.progress, UCP_PROGRESS_NONE);
	assert_int_equal(parse(&o, NULL, "--progress=loud", "a", "b", NULL), 2);
}

/* --no-preserve=mode asks for cp's default modes; -n, -i and -b are not
 * for --sync (an rsync user means a dry run by -n). */
static void opts_no_preserve_mode_and_sync_letters(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(
		parse(&o, NULL, "-a", "--no-preserve=mode", "a", "b", NULL), 0);
	assert_true(o.cfg.default_mode);
	assert_int_equal(parse(&o, NULL, "-a", "a", "b", NULL), 0);
	assert_false(o.cfg.default_mode);
	assert_int_equal(parse(&o, NULL, "--sync", "-n", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "--sync", "-i", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "--sync", "-b", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "--sync", "--dry-run", "a", "b", NULL),
			 0);
}

static void opts_choice_options_parse(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "--reflink", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.reflink, UCP_REFLINK_ALWAYS);
	assert_int_equal(parse(&o, NULL, "--reflink=never", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.reflink, UCP_REFLINK_NEVER);
	assert_int_equal(parse(&o, NULL, "--sparse=always", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.sparse, UCP_SPARSE_ALWAYS);
	assert_int_equal(parse(&o, NULL, "--sparse", "x", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-u", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_OLDER);
	assert_int_equal(parse(&o, NULL, "--update=none", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_NONE);
	assert_int_equal(parse(&o, NULL, "-n", "--update=all", "a", "b", NULL),
			 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_ALL);
	assert_int_equal(parse(&o, NULL, "--update=soon", "a", "b", NULL), 2);
}

static void opts_archive_and_preserve_combine(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "-a", "a", "b", NULL), 0);
	assert_true(o.cfg.recursive);
	assert_true(o.cfg.no_dereference);
	assert_int_equal(o.cfg.preserve, UCP_PRESERVE_ALL);
	assert_false(o.cfg.xattr_strict);
	assert_int_equal(parse(&o, NULL, "-a", "--no-preserve=links,xattr", "a",
			       "b", NULL),
			 0);
	/* "all" includes context, which --no-preserve=xattr leaves. */
	assert_int_equal(o.cfg.preserve, UCP_PRESERVE_MODE |
						 UCP_PRESERVE_OWNERSHIP |
						 UCP_PRESERVE_TIMESTAMPS |
						 UCP_PRESERVE_CONTEXT);
	assert_int_equal(parse(&o, NULL, "--preserve=xattr", "a", "b", NULL),
			 0);
	assert_true(o.cfg.xattr_strict);
	assert_int_equal(parse(&o, NULL, "-aL", "a", "b", NULL), 0);
	assert_true(o.cfg.dereference);
	assert_false(o.cfg.no_dereference);
}

static void opts_help_needs_no_operands(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "--help", NULL), 0);
	assert_true(o.help);
	assert_int_equal(parse(&o, NULL, "-h", NULL), 0);
	assert_true(o.help);
}

static void parse_size_accepts_suffixes_rejects_junk(void **state)
{
	size_t v;

	(void)state;
	assert_int_equal(ucp_parse_size("4096", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(ucp_parse_size("32M", &v), 0);
	assert_int_equal(v, 32u << 20);
	assert_int_equal(ucp_parse_size("1G", &v), 0);
	assert_int_equal(v, (size_t)1 << 30);
	assert_int_equal(ucp_parse_size("", &v), -EINVAL);
	assert_int_equal(ucp_parse_size("-1", &v), -EINVAL);
	assert_int_equal(ucp_parse_size("12Q", &v), -EINVAL);
	assert_int_equal(ucp_parse_size("12MM", &v), -EINVAL);
	assert_int_equal(ucp_parse_size(" 1", &v), -EINVAL);
	assert_int_equal(ucp_parse_size("99999999999999999999", &v), -ERANGE);
	assert_int_equal(ucp_parse_size("99999999999T", &v), -ERANGE);
}

static void parse_uint_checks_range(void **state)
{
	unsigned v;

	(void)state;
	assert_int_equal(ucp_parse_uint("1024", 1024, &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(ucp_parse_uint("1025", 1024, &v), -ERANGE);
	assert_int_equal(ucp_parse_uint("+1", 1024, &v), -EINVAL);
	assert_int_equal(ucp_parse_uint("1 ", 1024, &v), -EINVAL);
}

static void opts_interactive_and_no_clobber_last_wins(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "-n", "-i", "a", "b", NULL), 0);
	assert_true(o.cfg.interactive);
	assert_int_equal(o.cfg.update, UCP_UPDATE_ALL);
	assert_int_equal(parse(&o, NULL, "-i", "-n", "a", "b", NULL), 0);
	assert_false(o.cfg.interactive);
	assert_int_equal(o.cfg.update, UCP_UPDATE_NONE);
	/* -i keeps -u: only newer sources are asked about. */
	assert_int_equal(parse(&o, NULL, "-u", "-i", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_OLDER);
}

static void opts_backup_words_suffix_and_conflicts(void **state)
{
	struct ucp_opts o;

	(void)state;
	unsetenv("VERSION_CONTROL");
	unsetenv("SIMPLE_BACKUP_SUFFIX");
	assert_int_equal(parse(&o, NULL, "-b", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.backup, UCP_BACKUP_EXISTING);
	assert_string_equal(o.cfg.backup_suffix, "~");
	assert_int_equal(parse(&o, NULL, "--backup=t", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.backup, UCP_BACKUP_NUMBERED);
	assert_int_equal(
		parse(&o, NULL, "--backup=never", "-S", ".k", "a", "b", NULL),
		0);
	assert_int_equal(o.cfg.backup, UCP_BACKUP_SIMPLE);
	assert_string_equal(o.cfg.backup_suffix, ".k");
	assert_int_equal(parse(&o, NULL, "--backup=off", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.backup, UCP_BACKUP_NONE);
	setenv("VERSION_CONTROL", "numbered", 1);
	setenv("SIMPLE_BACKUP_SUFFIX", ".env", 1);
	assert_int_equal(parse(&o, NULL, "--backup", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.backup, UCP_BACKUP_NUMBERED);
	assert_string_equal(o.cfg.backup_suffix, ".env");
	/* The option wins over the variable. */
	assert_int_equal(parse(&o, NULL, "--backup=simple", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.backup, UCP_BACKUP_SIMPLE);
	setenv("VERSION_CONTROL", "bogus", 1);
	assert_int_equal(parse(&o, NULL, "-b", "a", "b", NULL), 2);
	unsetenv("VERSION_CONTROL");
	unsetenv("SIMPLE_BACKUP_SUFFIX");
	assert_int_equal(parse(&o, NULL, "--backup=maybe", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-b", "-n", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-S", "x/y", "-b", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-s", "-l", "a", "b", NULL), 2);
}

static void opts_cp_extras_parse(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "-s", "--parents", "--attributes-only",
			       "--debug", "a", "b", NULL),
			 0);
	assert_true(o.cfg.symbolic_link);
	assert_true(o.cfg.parents);
	assert_true(o.cfg.attributes_only);
	assert_true(o.cfg.debug);
	assert_true(o.cfg.verbose);
	assert_int_equal(parse(&o, NULL, "--preserve=context", "a", "b", NULL),
			 0);
	assert_int_equal(o.cfg.preserve, UCP_PRESERVE_CONTEXT);
	assert_true(o.cfg.xattr_strict);
	assert_int_equal(
		parse(&o, NULL, "-a", "--no-preserve=context", "a", "b", NULL),
		0);
	assert_int_equal(o.cfg.preserve,
			 UCP_PRESERVE_ALL & ~UCP_PRESERVE_CONTEXT);
	assert_int_equal(parse(&o, NULL, "--parents", "-T", "a", "b", NULL), 2);
}

static void opts_sync_filters_and_lists_build(void **state)
{
	char list[] = "/tmp/ucp-opts-XXXXXX";
	struct ucp_opts o;
	int fd;

	(void)state;
	assert_int_equal(parse(&o, NULL, "--sync", "--exclude=*.o",
			       "--include=keep/", "a", "b", NULL),
			 0);
	assert_non_null(o.cfg.sync.filter);
	assert_true(o.cfg.sync.on && o.cfg.recursive);
	assert_int_equal(o.cfg.preserve, UCP_PRESERVE_ALL);
	ucp_opts_free(&o);
	fd = mkstemp(list);
	assert_true(fd >= 0);
	assert_true(write(fd, "a/b\nc\n", 6) == 6);
	close(fd);
	assert_int_equal(parse(&o, NULL, "--sync", "--no-preserve=xattr",
			       "--files-from", list, "a", "b", NULL),
			 0);
	assert_non_null(o.cfg.sync.files_from);
	assert_true(ucp_pathset_has(o.cfg.sync.files_from, "a", 1));
	assert_int_equal(o.cfg.preserve,
			 UCP_PRESERVE_ALL & ~UCP_PRESERVE_XATTR);
	ucp_opts_free(&o);
	unlink(list);
	/* Sync options without --sync, and bad patterns, are usage errors. */
	assert_int_equal(parse(&o, NULL, "--exclude=x", "a", "b", NULL), 2);
	ucp_opts_free(&o);
	assert_int_equal(
		parse(&o, NULL, "--sync", "--exclude=[x", "a", "b", NULL), 2);
	ucp_opts_free(&o);
	assert_int_equal(
		parse(&o, NULL, "--sync", "--max-delete=x", "a", "b", NULL), 2);
	ucp_opts_free(&o);
	assert_int_equal(parse(&o, NULL, "--sync", "a", NULL), 2);
	ucp_opts_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opts_recursive_and_operands_parse),
		cmocka_unit_test(opts_target_directory_takes_all_operands),
		cmocka_unit_test(opts_missing_operands_is_usage_error),
		cmocka_unit_test(opts_unknown_option_is_usage_error),
		cmocka_unit_test(opts_jobs_must_be_positive_number),
		cmocka_unit_test(opts_engine_option_wins_over_env),
		cmocka_unit_test(opts_progress_modes_parse),
		cmocka_unit_test(opts_choice_options_parse),
		cmocka_unit_test(opts_no_preserve_mode_and_sync_letters),
		cmocka_unit_test(opts_archive_and_preserve_combine),
		cmocka_unit_test(opts_help_needs_no_operands),
		cmocka_unit_test(parse_size_accepts_suffixes_rejects_junk),
		cmocka_unit_test(parse_uint_checks_range),
		cmocka_unit_test(opts_interactive_and_no_clobber_last_wins),
		cmocka_unit_test(opts_backup_words_suffix_and_conflicts),
		cmocka_unit_test(opts_cp_extras_parse),
		cmocka_unit_test(opts_sync_filters_and_lists_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
