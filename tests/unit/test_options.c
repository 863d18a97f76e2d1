/* SPDX-License-Identifier: MIT */
/*
 * test_options.c: option parsing, number parsers and usage errors, and the
 * option table itself, row by row. options.c is included to reach the
 * table.
 */
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

#include "../../cmd/options.c"

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

static void opts_modify_window_takes_rsyncs_minus_one(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(
		parse(&o, NULL, "--sync", "--modify-window=2", "a", "b", NULL),
		0);
	assert_int_equal(o.cfg.sync.modify_window, 2);
	ucp_opts_free(&o);
	/* rsync's -1, nanoseconds compared: ucp's 0. */
	assert_int_equal(
		parse(&o, NULL, "--sync", "--modify-window=-1", "a", "b", NULL),
		0);
	assert_int_equal(o.cfg.sync.modify_window, 0);
	ucp_opts_free(&o);
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
	/* (The engine runs at most 64 workers: more is refused, not cut.) */
	assert_int_equal(parse(&o, NULL, "-j", "64", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.jobs, 64);
	assert_int_equal(parse(&o, NULL, "-j", "65", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-j", "1024", "a", "b", NULL), 2);
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

static void opts_sqpoll_is_off_unless_asked(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "a", "b", NULL), 0);
	assert_false(o.cfg.sqpoll);
	assert_int_equal(parse(&o, NULL, "--sqpoll", "a", "b", NULL), 0);
	assert_true(o.cfg.sqpoll);
	assert_int_equal(parse(&o, NULL, "--sqpoll=1", "a", "b", NULL), 2);
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
	/* The later of --no-preserve and -p or -a wins, as in cp. */
	assert_int_equal(
		parse(&o, NULL, "--no-preserve=mode", "-p", "a", "b", NULL), 0);
	assert_false(o.cfg.default_mode);
	assert_int_equal(
		parse(&o, NULL, "--no-preserve=all", "-a", "a", "b", NULL), 0);
	assert_false(o.cfg.default_mode);
	assert_false(o.cfg.no_owner);
	assert_false(o.cfg.no_times);
	assert_false(o.cfg.no_xattrs);
	assert_int_equal(parse(&o, NULL, "-p", "--no-preserve=timestamps", "a",
			       "b", NULL),
			 0);
	assert_true(o.cfg.no_times);
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
	/* A prefix of one word alone is that word, as cp's argmatch. */
	assert_int_equal(parse(&o, NULL, "--sparse=al", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.sparse, UCP_SPARSE_ALWAYS);
	assert_int_equal(parse(&o, NULL, "--sparse=a", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "--reflink=nev", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.reflink, UCP_REFLINK_NEVER);
	assert_int_equal(
		parse(&o, NULL, "--preserve=timestamp,owner", "a", "b", NULL),
		0);
	assert_int_equal(o.cfg.preserve,
			 UCP_PRESERVE_TIMESTAMPS | UCP_PRESERVE_OWNERSHIP);
	/* An empty name anywhere in the list is refused, as by cp. */
	assert_int_equal(parse(&o, NULL, "--preserve=mode,", "a", "b", NULL),
			 2);
	assert_int_equal(parse(&o, NULL, "--preserve=,mode", "a", "b", NULL),
			 2);
	assert_int_equal(
		parse(&o, NULL, "--no-preserve=mode,,links", "a", "b", NULL),
		2);
	/* Without a list, cp's: mode, ownership, timestamps (was all). */
	assert_int_equal(parse(&o, NULL, "--preserve", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.preserve, UCP_PRESERVE_MODE |
						 UCP_PRESERVE_OWNERSHIP |
						 UCP_PRESERVE_TIMESTAMPS);
	assert_int_equal(parse(&o, NULL, "--backup=num", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.backup, UCP_BACKUP_NUMBERED);
	assert_int_equal(parse(&o, NULL, "--backup=n", "a", "b", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-u", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_OLDER);
	assert_int_equal(parse(&o, NULL, "--update=none", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_NONE);
	/* -n wins over --update, before or after it (as cp); -i drops it. */
	assert_int_equal(parse(&o, NULL, "-n", "--update=all", "a", "b", NULL),
			 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_NONE);
	assert_int_equal(parse(&o, NULL, "-u", "-n", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_NONE);
	assert_int_equal(parse(&o, NULL, "-n", "-i", "-u", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.update, UCP_UPDATE_OLDER);
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
	/* The last of -H, -L and -P wins, as in cp. */
	assert_int_equal(parse(&o, NULL, "-LH", "a", "b", NULL), 0);
	assert_false(o.cfg.dereference);
	assert_true(o.cfg.deref_args);
	assert_int_equal(parse(&o, NULL, "-HL", "a", "b", NULL), 0);
	assert_true(o.cfg.dereference);
	assert_false(o.cfg.deref_args);
	assert_int_equal(parse(&o, NULL, "-LP", "a", "b", NULL), 0);
	assert_false(o.cfg.dereference);
	assert_true(o.cfg.no_dereference);
}

static void opts_help_needs_no_operands(void **state)
{
	struct ucp_opts o;

	(void)state;
	assert_int_equal(parse(&o, NULL, "--help", NULL), 0);
	assert_true(o.help);
	assert_int_equal(parse(&o, NULL, "-h", NULL), 0);
	assert_true(o.help);
	/*
	 * -h bundled, or with operands, is rsync's or tar's -h, and printing
	 * the help would leave a script's job undone with exit 0: refused.
	 * As a word of its own, with options only, it is the help. --help
	 * stays cp's (what follows it is not read).
	 */
	assert_int_equal(parse(&o, NULL, "--sync", "-avh", "s", "m", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-ah", NULL), 2);
	assert_int_equal(parse(&o, NULL, "-a", "-h", "s", "d", NULL), 2);
	assert_int_equal(parse(&o, NULL, "--engine=uring", "-h", NULL), 0);
	assert_true(o.help);
	assert_int_equal(parse(&o, NULL, "--help", "-a", "s", NULL), 0);
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
	/* Either case, and the IEC spelling: all binary. */
	assert_int_equal(ucp_parse_size("256k", &v), 0);
	assert_int_equal(v, 256u << 10);
	assert_int_equal(ucp_parse_size("64MiB", &v), 0);
	assert_int_equal(v, 64u << 20);
	assert_int_equal(ucp_parse_size("2gib", &v), -EINVAL);
	assert_int_equal(ucp_parse_size("64MB", &v), -EINVAL);
	assert_int_equal(ucp_parse_size("1 ", &v), -EINVAL);
	assert_int_equal(ucp_parse_size("1 iB", &v), -EINVAL);
	assert_int_equal(ucp_parse_size("1@", &v), -EINVAL);
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
	/* An empty word is no word: the variable's kind, as in cp. */
	assert_int_equal(parse(&o, NULL, "--backup=", "a", "b", NULL), 0);
	assert_int_equal(o.cfg.backup, UCP_BACKUP_NUMBERED);
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
	/* An empty pattern is none, as rsync skips it (a script's unset). */
	assert_int_equal(parse(&o, NULL, "--sync",
			       "--exclude=", "--include=", "a", "b", NULL),
			 0);
	assert_int_equal(ucp_filter_count(o.cfg.sync.filter), 0);
	ucp_opts_free(&o);
	assert_int_equal(
		parse(&o, NULL, "--sync", "--max-delete=x", "a", "b", NULL), 2);
	ucp_opts_free(&o);
	assert_int_equal(parse(&o, NULL, "--sync", "a", NULL), 2);
	ucp_opts_free(&o);
}

/* Parse "ucp" and the n words; operands, if any, are among them. */
static int parse_words(struct ucp_opts *o, const char *const *words, int n)
{
	static char *argv[32];
	int i;

	assert_true(n < 31);
	argv[0] = (char *)"ucp";
	for (i = 0; i < n; i++)
		argv[i + 1] = (char *)words[i];
	argv[n + 1] = NULL;
	optind = 0;
	return ucp_opts_parse(n + 1, argv, NULL, o);
}

/* parse_words with what it writes to stderr caught in buf. */
static int parse_caught(struct ucp_opts *o, const char *const *words, int n,
			char *buf, size_t size)
{
	FILE *tmp = tmpfile();
	int saved, ret;
	size_t len;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), STDERR_FILENO) >= 0);
	ret = parse_words(o, words, n);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	rewind(tmp);
	len = fread(buf, 1, size - 1, tmp);
	buf[len] = '\0';
	fclose(tmp);
	return ret;
}

/* A usage error as the user sees it. */
static void assert_usage_message(const char *out, const char *msg)
{
	char want[512];

	snprintf(want, sizeof(want),
		 "ucp: %s\nTry 'ucp --help' for more information.\n", msg);
	assert_string_equal(out, want);
}

/* An argument r accepts, for the rows that need one; NULL for the rest. */
static const char *good_arg(const struct opt_row *r)
{
	static char num[32];
	size_t n = 0;

	if (r->has_arg != required_argument)
		return NULL;
	switch (r->kind) {
	case KIND_WORD: /* the last word: not 0, so in effect */
		while (r->words[n + 1])
			n++;
		return r->words[n];
	case KIND_SIZE:
	case KIND_COUNT:
		snprintf(num, sizeof(num), "%llu",
			 r->max ? r->max : r->min + 1);
		return num;
	case KIND_STRING:
	case KIND_RULE: /* a pattern, a list file and a directory name */
		return r->val == OPT_FILTER ? "- /dev/null" : "/dev/null";
	default: /* the handlers: -S and --no-preserve */
		return r->val == 'S' ? ".bak" : "mode";
	}
}

/*
 * Words that give r, by its letter (or its name), then its argument if it
 * needs one, as a separate word; with_mode: preceded by --sync or --tar
 * where the row needs it. Returns how many.
 */
static int spell(const struct opt_row *r, bool by_letter, bool with_mode,
		 const char **w)
{
	static char opt[4][64];
	static unsigned turn;
	char *word = opt[turn++ % 4];
	const char *arg = good_arg(r);
	int n = 0;

	if (with_mode && (r->flags & OPT_F_SYNC_ONLY))
		w[n++] = "--sync";
	if (with_mode && (r->flags & OPT_F_TAR_ONLY))
		w[n++] = "--tar";
	if (by_letter)
		snprintf(word, sizeof(opt[0]), "-%c", r->val);
	else
		snprintf(word, sizeof(opt[0]), "--%s", r->name);
	w[n++] = word;
	if (arg)
		w[n++] = arg;
	return n;
}

/* The operands after r's words: --list takes one. */
static int add_operands(const struct opt_row *r, const char **w)
{
	w[0] = "src";
	/* (--level needs a compressed archive: zstd takes every level.) */
	w[1] = r->val == OPT_LEVEL ? "dst.tar.zst" : "dst";
	return r->val == OPT_LIST ? 1 : 2;
}

/* What two parses left, operands aside, is the same. */
static void assert_same_opts(const struct ucp_opts *a, const struct ucp_opts *b)
{
	assert_memory_equal(&a->cfg, &b->cfg, sizeof(a->cfg));
	assert_int_equal(a->mode, b->mode);
	assert_int_equal(a->progress, b->progress);
	assert_int_equal(a->quiet, b->quiet);
	assert_int_equal(a->stats, b->stats);
	assert_int_equal(a->no_scan, b->no_scan);
	assert_int_equal(a->help, b->help);
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->list_options, b->list_options);
	assert_int_equal(a->no_preserve, b->no_preserve);
	assert_int_equal(a->from0, b->from0);
	assert_ptr_equal(a->sync_only, b->sync_only);
	assert_ptr_equal(a->cp_only, b->cp_only);
}

/*
 * Each row's letter and long name are its own, appear on its --help line,
 * and come back to it through getopt_long: given, the option is accepted
 * and takes effect, and its letter does what its name does.
 */
static void table_rows_letters_and_names_round_trip(void **state)
{
	const char *w[8];
	struct ucp_opts a, b;
	char mark[64];
	size_t i, j;
	int n;

	(void)state;
	unsetenv("VERSION_CONTROL");
	for (i = 0; i < LEN(rows); i++) {
		const struct opt_row *r = &rows[i];
		bool letter = r->val > 0 && r->val < OPT_ENGINE;

		if (!r->val) /* a heading */
			continue;
		assert_ptr_equal(find_row(r->val), r);
		for (j = 0; r->name && j < LEN(rows); j++)
			if (j != i && rows[j].name)
				assert_string_not_equal(rows[j].name, r->name);
		if (r->usage && letter) {
			snprintf(mark, sizeof(mark), "-%c", r->val);
			assert_non_null(strstr(r->usage, mark));
		}
		if (r->usage && r->name) {
			snprintf(mark, sizeof(mark), "--%s", r->name);
			assert_non_null(strstr(r->usage, mark));
		}
		n = spell(r, !r->name, true, w);
		n += add_operands(r, w + n);
		assert_int_equal(parse_words(&a, w, n), 0);
		if (r->field.size && r->kind != KIND_CODE)
			assert_true(in_effect(&a, r));
		/* (-h with more on the line is refused: see below.) */
		if (letter && r->name && r->val != 'h') {
			n = spell(r, true, true, w);
			n += add_operands(r, w + n);
			assert_int_equal(parse_words(&b, w, n), 0);
			assert_same_opts(&a, &b);
			ucp_opts_free(&b);
		}
		ucp_opts_free(&a);
	}
	/* -R is shown with -r, and is -r. */
	assert_int_equal(parse(&a, NULL, "-R", "src", "dst", NULL), 0);
	assert_int_equal(parse(&b, NULL, "-r", "src", "dst", NULL), 0);
	assert_same_opts(&a, &b);
}

/* Each conflict row, its two options given, is its message. */
static void table_conflicts_give_their_messages(void **state)
{
	const char *w[16];
	struct ucp_opts o;
	char out[512];
	size_t i;
	int n;

	(void)state;
	unsetenv("VERSION_CONTROL");
	for (i = 0; i < LEN(conflicts); i++) {
		const struct opt_row *a = find_row(conflicts[i].a);
		const struct opt_row *b = find_row(conflicts[i].b);

		assert_non_null(a);
		assert_non_null(b);
		n = spell(a, !a->name, true, w);
		n += spell(b, !b->name, true, w + n);
		w[n++] = "src";
		w[n++] = "dst";
		assert_int_equal(parse_caught(&o, w, n, out, sizeof(out)), 2);
		assert_usage_message(out, conflicts[i].msg);
		ucp_opts_free(&o);
		if (!conflicts[i].needs_operand)
			continue;
		/* Without operands, the missing one is the message. */
		assert_int_equal(parse_caught(&o, w, n - 2, out, sizeof(out)),
				 2);
		assert_usage_message(out, "missing file operand");
		ucp_opts_free(&o);
	}
}

/*
 * The sync rows in the archive modes: --tar takes the include and exclude
 * rules (OPT_F_TAR_TOO) and refuses the others; --untar and --list refuse
 * them all, naming the option and the mode.
 */
static void table_sync_rows_in_archive_modes(void **state)
{
	static const char *const modes[][3] = {
		{ "--tar", "src", "x.tar" },
		{ "--untar", "x.tar", "dir" },
		{ "--list", "x.tar", NULL },
	};
	const char *w[8];
	struct ucp_opts o;
	char out[512], msg[128];
	size_t i, m;
	int n;

	(void)state;
	for (m = 0; m < LEN(modes); m++) {
		for (i = 0; i < LEN(rows); i++) {
			const struct opt_row *r = &rows[i];
			bool takes = m == 0 && (r->flags & OPT_F_TAR_TOO);
			int rc;

			if (!(r->flags & OPT_F_SYNC_ONLY))
				continue;
			n = 0;
			w[n++] = modes[m][0];
			n += spell(r, !r->name, false, w + n);
			w[n++] = modes[m][1];
			if (modes[m][2])
				w[n++] = modes[m][2];
			rc = parse_caught(&o, w, n, out, sizeof(out));
			if (takes) {
				/* (-from files: good_arg's /dev/null) */
				if (rc != 0)
					fail_msg("--tar refused --%s: %s",
						 r->name, out);
			} else {
				assert_int_equal(rc, 2);
				if (r->name)
					snprintf(msg, sizeof(msg),
						 "--%s does not apply to %s",
						 r->name, modes[m][0]);
				else
					snprintf(msg, sizeof(msg),
						 "-%c does not apply to %s",
						 r->val, modes[m][0]);
				assert_usage_message(out, msg);
			}
			ucp_opts_free(&o);
		}
	}
}

/*
 * The rows against the modes: a sync option without --sync, a cp form
 * under --sync (the cp letters each with the option rsync spells for what
 * was meant), an archive option without --tar.
 */
static void table_mode_rows_give_their_messages(void **state)
{
	const char *w[8];
	struct ucp_opts o;
	char out[512], msg[128];
	size_t i;
	int n;

	(void)state;
	unsetenv("VERSION_CONTROL");
	for (i = 0; i < LEN(rows); i++) {
		const struct opt_row *r = &rows[i];

		if (!(r->flags & (OPT_F_SYNC_ONLY | OPT_F_TAR_ONLY)) &&
		    !(r->flags & OPT_F_NOT_SYNC) && !r->refusal)
			continue;
		n = 0;
		if (r->refusal || (r->flags & OPT_F_NOT_SYNC))
			w[n++] = "--sync";
		n += spell(r, !r->name, false, w + n);
		w[n++] = "src";
		w[n++] = "dst";
		assert_int_equal(parse_caught(&o, w, n, out, sizeof(out)), 2);
		if ((r->flags & OPT_F_SYNC_ONLY) && r->name) {
			snprintf(msg, sizeof(msg), "--%s needs --sync%s",
				 r->name,
				 r->flags & OPT_F_TAR_TOO ? " or --tar" : "");
			assert_usage_message(out, msg);
		} else if (r->flags & OPT_F_SYNC_ONLY) {
			snprintf(msg, sizeof(msg), "-%c needs --sync", r->val);
			assert_usage_message(out, msg);
		} else if (r->flags & OPT_F_TAR_ONLY) {
			assert_usage_message(out, needs_tar);
		} else if (r->refusal) {
			assert_usage_message(out, r->refusal);
		} else {
			assert_usage_message(out, refuse_copy_forms);
		}
		ucp_opts_free(&o);
	}
	/* --update=none is -n, refused in its own name. */
	w[0] = "--sync";
	w[1] = "--update=none";
	w[2] = "src";
	w[3] = "dst";
	assert_int_equal(parse_caught(&o, w, 4, out, sizeof(out)), 2);
	assert_usage_message(out, refuse_update_none);
	ucp_opts_free(&o);
}

/* Each row that checks its argument names it in its own words. */
static void table_bad_arguments_give_row_messages(void **state)
{
	const char *w[8];
	struct ucp_opts o;
	char out[512], opt[64], msg[256];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < LEN(rows); i++) {
		const struct opt_row *r = &rows[i];

		if (!r->what)
			continue;
		assert_non_null(r->name);
		assert_true(r->has_arg != no_argument);
		n = 0;
		snprintf(opt, sizeof(opt), "--%s=x/1Q", r->name);
		w[n++] = opt;
		w[n++] = "src";
		w[n++] = "dst";
		assert_int_equal(parse_caught(&o, w, n, out, sizeof(out)), 2);
		snprintf(msg, sizeof(msg), "invalid %s: 'x/1Q'%s", r->what,
			 r->hint ? r->hint : "");
		assert_usage_message(out, msg);
		ucp_opts_free(&o);
	}
}

/*
 * The table against what users were told before it existed: which
 * options need --sync, which --sync refuses, which need --tar, and the
 * words of each refusal and conflict. A row added or changed must be
 * added here too.
 */
static void table_modes_and_messages_are_the_documented_ones(void **state)
{
	static const char sync_only[] =
		" delete delete-excluded max-delete ignore-errors checksum"
		" size-only modify-window ignore-existing existing inplace fsync"
		" dry-run itemize-changes link-dest reflink-dest filter exclude"
		" include exclude-from include-from files-from ";
	static const char not_sync[] =
		" target-directory no-target-directory parents link"
		" symbolic-link attributes-only copy-contents ";
	static const char tar_only[] = " format compress level ";
	static const struct {
		const char *words[6];
		const char *msg;
	} cases[] = {
		{ { "--sync", "--link-dest=x", "--reflink-dest=y", "s", "d" },
		  "choose one of --link-dest and --reflink-dest" },
		{ { "--sync", "--filter=bogus x", "s", "d" },
		  "unknown filter rule: 'bogus x'" },
		{ { "--sync", "-f-", "s", "d" },
		  "unexpected end of filter rule: '-'" },
		{ { "--sync", "-f", "- [x", "s", "d" },
		  "invalid pattern in filter rule '- [x': Invalid argument" },
		{ { "--sync", "--filter=merge,s x", "s", "d" },
		  "filter rule not supported: 'merge,s x'" },
		{ { "-F", "s", "d" }, "-F needs --sync" },
		{ { "--sync", "-c", "--size-only", "s", "d" },
		  "--checksum and --size-only exclude each other" },
		{ { "-l", "-s", "s", "d" },
		  "cannot make both hard and symbolic links" },
		{ { "--backup=simple", "--update=none", "s", "d" },
		  "options --backup and --no-clobber are mutually exclusive" },
		{ { "-t", "x", "-T" },
		  "cannot combine --target-directory (-t) and --no-target-directory (-T)" },
		{ { "-t", "x", "-T", "s" },
		  "cannot combine --target-directory (-t) and --no-target-directory (-T)" },
		/* cp: a second -t would drop the first. */
		{ { "-t", "x", "--target-directory=y", "s" },
		  "multiple target directories specified" },
		{ { "--sync", "s", "" }, "--sync: empty destination operand" },
		/* cp's order: without an operand, that is the message. */
		{ { "--parents", "-T" }, "missing file operand" },
		{ { "--parents", "-T", "s", "d" },
		  "cannot combine --parents and --no-target-directory (-T)" },
		{ { "--sync", "-n", "s", "d" },
		  "-n (--no-clobber) does not apply to --sync: for a dry run use --dry-run, to keep existing files --ignore-existing" },
		{ { "--sync", "-i", "s", "d" },
		  "-i (--interactive) does not apply to --sync: to list the changes use --itemize-changes" },
		{ { "--sync", "--backup=none", "s", "d" },
		  "-b (--backup) does not apply to --sync" },
		{ { "--sync", "--parents", "s", "d" },
		  "--sync cannot be combined with -t, -T, --parents, -l, -s, --attributes-only or --copy-contents" },
		{ { "--level=3", "s", "d" },
		  "--format, --compress and --level need --tar" },
		{ { "--untar", "--format=pax", "a.tar", "d" },
		  "--format, --compress and --level apply to --tar only: --untar reads what the archive is" },
		{ { "--list", "--compress=gzip", "a.tar" },
		  "--format, --compress and --level apply to --tar only: --list reads what the archive is" },
		{ { "--tar", "--format=zip", "s", "a.zip.gz" },
		  "a zip compresses its members itself: --compress and a .gz, .bz2, .xz, .zst or .lz4 name do not apply to --format=zip" },
		{ { "--tar", "--compress=none", "s", "a.zip" },
		  "a zip compresses its members itself: --compress and a .gz, .bz2, .xz, .zst or .lz4 name do not apply to --format=zip" },
		{ { "--tar", "-S", "x", "s", "a.tar" },
		  "--suffix does not apply to --tar" },
		{ { "--list", "--suffix=x", "a.tar" },
		  "--suffix does not apply to --list" },
		/* --tar walks a tree; extracting has no use for these. */
		{ { "--untar", "-x", "a.tar", "d" },
		  "--one-file-system does not apply to --untar" },
		{ { "--list", "--strip-trailing-slashes", "a.tar" },
		  "--strip-trailing-slashes does not apply to --list" },
		{ { "--sync", "-S", "x", "s", "d" },
		  "-S (--suffix) does not apply to --sync" },
		{ { "--sync", "--remove-destination", "s", "d" },
		  "--remove-destination does not apply to --sync: a changed file is replaced by a new one already (unless --inplace)" },
		/* --list writes no file: what only writing means is refused. */
		{ { "--list", "--sparse=never", "a.tar" },
		  "--sparse does not apply to --list" },
		{ { "--list", "--no-preserve=mode", "a.tar" },
		  "--no-preserve does not apply to --list" },
		{ { "-c", "s", "d" }, "--checksum needs --sync" },
		{ { "--level=23", "s", "d" },
		  "invalid compression level: '23' (0 to 22)" },
		{ { "--sparse=x", "s", "d" },
		  "invalid sparse mode: 'x' (valid: auto, always, never)" },
		{ { "--jobs=0", "s", "d" },
		  "invalid number of jobs: '0' (1 to 64)" },
		{ { "--jobs=65", "s", "d" },
		  "invalid number of jobs: '65' (1 to 64)" },
		{ { "--buffer-size=127K", "s", "d" },
		  "invalid buffer size: '127K' (bytes, or with K, M, G or T; at least 128K)" },
		{ { "--buffer-size=64MB", "s", "d" },
		  "invalid buffer size: '64MB' (bytes, or with K, M, G or T; at least 128K)" },
		{ { "--max-delete=-1", "s", "d" },
		  "invalid --max-delete: '-1' (a number, 0 to 2147483647)" },
		{ { "--modify-window=1s", "s", "d" },
		  "invalid --modify-window: '1s' (a number of seconds, 0 to 2147483647, or -1)" },
		{ { "--modify-window=-2", "s", "d" },
		  "invalid --modify-window: '-2' (a number of seconds, 0 to 2147483647, or -1)" },
		{ { "--format=auto", "s", "d" },
		  "invalid archive format: 'auto' (valid: pax, ustar, gnutar, cpio, zip)" },
		{ { "--preserve=size", "s", "d" },
		  "invalid attribute list: 'size' (valid: mode, ownership, timestamps, links, xattr, context, all)" },
		{ { "-S", "a/b", "s", "d" }, "invalid backup suffix: 'a/b'" },
	};
	struct ucp_opts o;
	char out[512], name[64];
	size_t i, j;
	int n;

	(void)state;
	unsetenv("VERSION_CONTROL");
	for (i = 0; i < LEN(rows); i++) {
		const struct opt_row *r = &rows[i];

		if (!r->name)
			continue;
		snprintf(name, sizeof(name), " %s ", r->name);
		assert_int_equal(!!strstr(sync_only, name),
				 !!(r->flags & OPT_F_SYNC_ONLY));
		assert_int_equal(!!strstr(not_sync, name),
				 !!(r->flags & OPT_F_NOT_SYNC));
		assert_int_equal(!!strstr(tar_only, name),
				 !!(r->flags & OPT_F_TAR_ONLY));
	}
	for (i = 0; i < LEN(cases); i++) {
		for (n = 0; cases[i].words[n]; n++)
			;
		assert_int_equal(
			parse_caught(&o, cases[i].words, n, out, sizeof(out)),
			2);
		assert_usage_message(out, cases[i].msg);
		ucp_opts_free(&o);
	}
	/* Every conflict and refusal of the table is among the cases. */
	for (i = 0; i < LEN(conflicts); i++) {
		for (j = 0; j < LEN(cases); j++)
			if (strcmp(cases[j].msg, conflicts[i].msg) == 0)
				break;
		assert_true(j < LEN(cases));
	}
	for (i = 0; i < LEN(rows); i++) {
		for (j = 0; rows[i].refusal && j < LEN(cases); j++)
			if (strcmp(cases[j].msg, rows[i].refusal) == 0)
				break;
		assert_true(!rows[i].refusal || j < LEN(cases));
	}
}

/*
 * rsync's letters in sync mode: -f is --filter with --sync (and cp's
 * --force without); -F adds -F's rules, twice -FF's; --exclude='+ X' is
 * an include; up to 20 --link-dest.
 */
static void opts_sync_letters_and_ref_dirs(void **state)
{
	const char *w[26];
	struct ucp_opts o;
	char out[512];
	int i, n = 0;

	(void)state;
	assert_int_equal(parse(&o, NULL, "--sync", "-f", "- *.o", "-FF",
			       "--exclude=+ keep.o", "s", "d", NULL),
			 0);
	assert_int_equal(o.nrules, 4);
	assert_int_equal(ucp_filter_count(o.filter), 4);
	assert_int_equal(ucp_filter_merges(o.filter), 1);
	assert_int_equal(ucp_filter_match(o.filter, "a.o", 3, false),
			 UCP_FILTER_EXCLUDE);
	assert_int_equal(ucp_filter_match(o.filter, ".rsync-filter", 13, false),
			 UCP_FILTER_EXCLUDE);
	ucp_opts_free(&o);
	/* The --sync that makes -f --filter may come after it. */
	assert_int_equal(
		parse(&o, NULL, "-fexclude x", "--syn", "s", "d", NULL), 0);
	assert_int_equal(o.nrules, 1);
	ucp_opts_free(&o);
	/* --force stays itself in sync mode, whose -f is --filter. */
	assert_int_equal(parse(&o, NULL, "--sync", "--force", "s", "d", NULL),
			 0);
	assert_int_equal(o.nrules, 0);
	assert_true(o.cfg.force);
	ucp_opts_free(&o);
	assert_int_equal(parse(&o, NULL, "-f", "s", "d", NULL), 0);
	assert_int_equal(o.nrules, 0);
	assert_int_equal(o.noperands, 2);
	ucp_opts_free(&o);
	/* A rule of -f that reads like options (-t .git) hides no --sync. */
	assert_int_equal(
		parse(&o, NULL, "-f", "- .git", "--sync", "s", "d", NULL), 0);
	assert_true(o.cfg.sync.on);
	assert_int_equal(o.nrules, 1);
	ucp_opts_free(&o);
	/* The argument of another option is no --sync: -f is --force. */
	assert_int_equal(parse(&o, NULL, "-f", "-S", "--sync", "s", "d", NULL),
			 0);
	assert_false(o.cfg.sync.on);
	assert_true(o.cfg.force);
	assert_string_equal(o.cfg.backup_suffix, "--sync");
	assert_int_equal(o.nrules, 0);
	assert_int_equal(o.noperands, 2);
	ucp_opts_free(&o);
	/* So in a bundle (-vS), or after an abbreviation (--suff). */
	assert_int_equal(parse(&o, NULL, "-f", "-vS", "--sync", "s", "d", NULL),
			 0);
	assert_false(o.cfg.sync.on);
	assert_string_equal(o.cfg.backup_suffix, "--sync");
	ucp_opts_free(&o);
	assert_int_equal(
		parse(&o, NULL, "-f", "--suff", "--sync", "s", "d", NULL), 0);
	assert_false(o.cfg.sync.on);
	assert_string_equal(o.cfg.backup_suffix, "--sync");
	ucp_opts_free(&o);
	assert_int_equal(parse(&o, NULL, "-Z", "--context", "s", "d", NULL), 0);
	ucp_opts_free(&o);

	w[n++] = "--sync";
	for (i = 0; i < 20; i++)
		w[n++] = "--link-dest=r";
	w[n++] = "s";
	w[n++] = "d";
	assert_int_equal(parse_caught(&o, w, n, out, sizeof(out)), 0);
	assert_int_equal(o.cfg.sync.nref_dirs, 20);
	assert_false(o.cfg.sync.ref_clone);
	ucp_opts_free(&o);
	w[n - 2] = "--link-dest=r";
	w[n - 1] = "s";
	w[n++] = "d";
	assert_int_equal(parse_caught(&o, w, n, out, sizeof(out)), 2);
	assert_usage_message(out,
			     "at most 20 --link-dest args may be specified");
	ucp_opts_free(&o);
	assert_int_equal(parse(&o, NULL, "--sync", "--reflink-dest=a",
			       "--reflink-dest=b", "s", "d", NULL),
			 0);
	assert_int_equal(o.cfg.sync.nref_dirs, 2);
	assert_true(o.cfg.sync.ref_clone);
	assert_string_equal(o.cfg.sync.ref_dirs[1], "b");
	ucp_opts_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(opts_recursive_and_operands_parse),
		cmocka_unit_test(opts_modify_window_takes_rsyncs_minus_one),
		cmocka_unit_test(opts_target_directory_takes_all_operands),
		cmocka_unit_test(opts_missing_operands_is_usage_error),
		cmocka_unit_test(opts_unknown_option_is_usage_error),
		cmocka_unit_test(opts_jobs_must_be_positive_number),
		cmocka_unit_test(opts_engine_option_wins_over_env),
		cmocka_unit_test(opts_sqpoll_is_off_unless_asked),
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
		cmocka_unit_test(table_rows_letters_and_names_round_trip),
		cmocka_unit_test(table_conflicts_give_their_messages),
		cmocka_unit_test(table_mode_rows_give_their_messages),
		cmocka_unit_test(table_sync_rows_in_archive_modes),
		cmocka_unit_test(table_bad_arguments_give_row_messages),
		cmocka_unit_test(opts_sync_letters_and_ref_dirs),
		cmocka_unit_test(
			table_modes_and_messages_are_the_documented_ones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
