/* SPDX-License-Identifier: MIT */
/*
 * options.c: option table, getopt_long parsing and validation.
 *
 * Every option is one row of rows[]: its letter and long name, its line
 * of --help, what it does with its argument (a kind, which apply()
 * dispatches on) and how it goes with the modes (needs --sync, refused by
 * --sync, needs --tar). Two options that exclude each other are a row of
 * conflicts[].
 *
 * Parsing and validation are separate: getopt_long fills struct ucp_opts,
 * then operand-count and conflict checks produce one message each. Every
 * usage error prints "ucp: <problem>" and the try-help line and returns 2.
 */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"
#include "escape.h"

/* What getopt_long returns for the options without a letter. */
enum {
	OPT_ENGINE = 256,
	OPT_BUFFER_SIZE,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_NO_SCAN,
	OPT_SQPOLL,
	OPT_VERSION,
	OPT_PRESERVE,
	OPT_REFLINK,
	OPT_SPARSE,
	OPT_NO_CACHE,
	OPT_REMOVE_DESTINATION,
	OPT_STRIP_TRAILING_SLASHES,
	OPT_NO_PRESERVE,
	OPT_LIST_OPTIONS,
	OPT_PARENTS,
	OPT_ATTRIBUTES_ONLY,
	OPT_COPY_CONTENTS,
	OPT_BACKUP,
	OPT_DEBUG,
	OPT_SYNC,
	OPT_DELETE,
	OPT_DELETE_EXCLUDED,
	OPT_MAX_DELETE,
	OPT_IGNORE_ERRORS,
	OPT_SIZE_ONLY,
	OPT_IGNORE_EXISTING,
	OPT_EXISTING,
	OPT_MODIFY_WINDOW,
	OPT_DRY_RUN,
	OPT_ITEMIZE,
	OPT_INPLACE,
	OPT_FSYNC,
	OPT_LINK_DEST,
	OPT_REFLINK_DEST,
	OPT_EXCLUDE,
	OPT_INCLUDE,
	OPT_EXCLUDE_FROM,
	OPT_INCLUDE_FROM,
	OPT_FILTER,
	OPT_FILES_FROM,
	OPT_STATS,
	OPT_TAR,
	OPT_UNTAR,
	OPT_LIST,
	OPT_FORMAT,
	OPT_COMPRESS,
	OPT_LEVEL,
};

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/*
 * What an option does with its argument. The row's value means, by kind:
 * KIND_SET and KIND_CODE, what its field holds while the option is in
 * effect (for KIND_CODE, 0: anything but 0); KIND_WORD, the choice of the
 * option given without its argument; KIND_COUNT, what is added to N
 * before it is stored; KIND_RULE, the filter type.
 */
enum opt_kind {
	KIND_IGNORED, /* accepted, as cp's; ucp does it anyway (see ucp(1)) */
	KIND_SET,     /* store value in the field (a flag: true) */
	KIND_WORD,    /* the index of the argument in words, from min on */
	KIND_SIZE,    /* a size (K, M, G, T suffixes), at least min */
	KIND_COUNT,   /* a number from min to max */
	KIND_STRING,  /* the argument itself, borrowed from argv */
	KIND_RULE,    /* appended to the filter rules, which keep its order */
	KIND_CODE,    /* fn does it all */
};

/* Bits of opt_row.flags: how an option goes with the modes. */
#define OPT_F_SYNC_ONLY 0x1u /* "--NAME needs --sync" without it */
#define OPT_F_NOT_SYNC 0x2u  /* a form of cp that --sync cannot take */
#define OPT_F_TAR_ONLY 0x4u  /* needs --tar (or another archive mode) */
#define OPT_F_FROM_FILE 0x8u /* KIND_RULE: the argument names a file */
#define OPT_F_TAR_TOO 0x10u  /* OPT_F_SYNC_ONLY, and --tar takes it too */

/* A member of struct ucp_opts: where an option keeps what it sets. */
struct opt_field {
	size_t off;
	size_t size; /* 0: none */
};

#define FIELD(m)                                          \
	{                                                 \
		offsetof(struct ucp_opts, m),             \
			sizeof(((struct ucp_opts *)0)->m) \
	}

/*
 * One option. The first five members, which every row has, are given in
 * order; the others by name, as each row needs them.
 */
struct opt_row {
	const char *name;  /* long name; NULL: a letter only */
	int has_arg;	   /* of getopt_long; a letter takes one if required */
	int val;	   /* the letter, or OPT_*: what getopt_long returns */
	const char *usage; /* left column of --help; NULL: hidden */
	const char *help;  /* with usage and name NULL: a group heading */
	enum opt_kind kind;
	unsigned flags; /* OPT_F_* */
	struct opt_field field;
	unsigned long long value; /* see enum opt_kind */
	unsigned long long min, max;
	const char *const *words; /* KIND_WORD: the choices, NULL-ended */
	/* KIND_CODE: the option's work; other kinds: run after theirs. */
	int (*fn)(struct ucp_opts *o, const struct opt_row *r, const char *arg);
	const char *refusal; /* what --sync says to it (see refuse_n) */
	/* The letter of the option in sync mode, which rsync gives it and cp
	 * another option: with --sync on the command line, that letter is
	 * this row's. */
	char sync_letter;
	const char *what; /* a bad argument: "invalid WHAT: 'ARG'HINT" */
	const char *hint;
};

/* A heading of --help; the rows after it, up to the next, belong to it. */
#define GROUP(title)                                          \
	{                                                     \
		NULL, 0, 0, NULL, title, .kind = KIND_IGNORED \
	}

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
struct ucp_opts;
static const struct opt_row *find_row(int val);
static void store(struct ucp_opts *o, const struct opt_row *r,
		  unsigned long long v);
static unsigned long long load(const struct ucp_opts *o,
			       const struct opt_row *r);
static int add_rule(struct ucp_opts *o, const struct opt_row *r,
		    const char *arg);

/*
 * --progress=json is on the command line: stderr must carry only JSON,
 * usage errors included. Set once by ucp_opts_parse before it parses
 * (a file-scope flag rather than a parameter of the forty callers of
 * usage_error).
 */
static bool usage_json;

/* A message as a JSON error (or warning) object of operation op. */
static void json_message(const char *op, const char *msg, int err, bool warning)
{
	(void)fputs("{\"v\":2,\"type\":\"error\",\"message\":", stderr);
	(void)ucp_json_string(stderr, msg);
	(void)fprintf(stderr,
		      ",\"op\":\"%s\",\"path\":null,\"errno\":%d,"
		      "\"warning\":%s,\"fatal\":%s}\n",
		      op, err, warning ? "true" : "false",
		      warning ? "false" : "true");
}

/*
 * s with its control characters and invalid bytes escaped (quoted: a quote
 * and a backslash too, ucp_quote's form), into out of n bytes; or fallback
 * without memory. Cut at n bytes, it is still one line.
 */
static const char *escape_into(char *out, size_t n, const char *s, bool quoted,
			       const char *fallback)
{
	FILE *m = fmemopen(out, n, "w");

	if (!m)
		return fallback;
	ucp_put_escaped(m, s, quoted);
	(void)fclose(m);
	out[n - 1] = '\0';
	return out;
}

/*
 * msg with its control characters and invalid bytes escaped (the names it
 * quotes: a newline in one must not start a line of its own), into out.
 */
static const char *escaped(const char *msg, char *out, size_t n)
{
	return escape_into(out, n, msg, false, "(out of memory)");
}

/* msg of operation op (err: its errno, or 0) as JSON or as "ucp: msg". */
static void cli_message(const char *op, const char *msg, int err, bool warning)
{
	char buf[2048];

	msg = escaped(msg, buf, sizeof(buf));
	if (usage_json)
		json_message(op, msg, err, warning);
	else
		(void)fprintf(stderr, "ucp: %s%s\n", warning ? "warning: " : "",
			      msg);
}

void ucp_cli_fatal(const char *op, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (err) {
		size_t n = strlen(msg);

		(void)snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(err));
	}
	cli_message(op, msg, err, false);
}

/*
 * Name s as a message quotes it: control characters, invalid bytes, a
 * quote and a backslash escaped (ucp_quote's form), so that it reads back
 * one way only. Four at once (one message's), in static buffers.
 */
static const char *qname(const char *s)
{
	static char bufs[4][1024];
	static unsigned next;

	return escape_into(bufs[next++ % 4], sizeof(bufs[0]), s, true, s);
}

/* Messages go to stderr; when even that fails there is no one to tell. */
static int usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	char buf[2048];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (usage_json)
		json_message("usage", escaped(msg, buf, sizeof(buf)), 0, false);
	else
		(void)fprintf(stderr,
			      "ucp: %s\nTry 'ucp --help' for more "
			      "information.\n",
			      escaped(msg, buf, sizeof(buf)));
	return 2;
}

/*
 * -h is --help as a word of its own without operands. Bundled (rsync's
 * -avh: --human-readable) or with operands (ucp --tar -h src x.tar, tar's
 * -h: follow links) it is another tool's -h, and a backup script's run
 * would print the help and exit 0, having done nothing: refused (2).
 */
static int help_alone(struct ucp_opts *o, int argc, char **argv)
{
	int i;

	if (!o->short_help)
		return 0;
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 && o->noperands == 0)
			return 0;
	o->help = false; /* (no help printed for it) */
	return usage_error("-h is --help, alone; rsync's -h "
			   "(--human-readable) and tar's -h (--dereference) "
			   "are not ucp's options");
}

/* Whether the options read so far end the reading: --help, --version (as
 * cp: what follows is not read), but not -h, whose operands count. */
static bool stop_reading(const struct ucp_opts *o)
{
	return (o->help && !o->short_help) || o->version;
}

/*
 * A list read given up for a signal (-EINTR): main ends the run with the
 * signal's status, without a message, as for any other signal.
 */
static bool interrupted(int ret)
{
	return ret == -EINTR;
}

static int out_of_memory(void)
{
	ucp_cli_fatal("usage", 0, "out of memory");
	return 2;
}

/* An argument that r does not take, named by the row. */
static int bad_value(const struct opt_row *r, const char *arg)
{
	return usage_error("invalid %s: '%s'%s", r->what, qname(arg),
			   r->hint ? r->hint : "");
}

/* Whether s is a prefix of word, not empty (cp's argmatch takes it). */
static bool is_prefix(const char *s, const char *word)
{
	size_t n = strlen(s);

	return n > 0 && n <= strlen(word) && memcmp(s, word, n) == 0;
}

/*
 * As cp's argmatch: the index in the NULL-terminated names of the word
 * s[0..len), or of the one word it is a prefix of; words that mean the same
 * (the same meaning[i]; NULL: each its own) count as one. -1 for none, or
 * when ambiguous.
 */
static int argmatch(const char *s, size_t len, const char *const *names,
		    const int *meaning)
{
	int i, found = -1;

	for (i = 0; names[i]; i++)
		if (strlen(names[i]) == len && memcmp(s, names[i], len) == 0)
			return i;
	for (i = 0; len && names[i]; i++) {
		if (strncmp(s, names[i], len) != 0)
			continue;
		if (found >= 0 && !(meaning && meaning[found] == meaning[i]))
			return -1;
		found = i;
	}
	return found;
}

/*
 * The index of s in the NULL-terminated names, or -1. Each enum that an
 * option chooses is declared in the same order as its names.
 */
static int parse_word(const char *s, const char *const *names)
{
	return s ? argmatch(s, strlen(s), names, NULL) : -1;
}

static const char *const engine_names[] = { "auto", "uring", "threads", NULL };
static const char *const progress_names[] = { "auto", "bar",  "plain",
					      "none", "json", NULL };
static const char *const reflink_names[] = { "auto", "always", "never", NULL };
static const char *const sparse_names[] = { "auto", "always", "never", NULL };
static const char *const update_names[] = { "all", "none", "older", NULL };
/* In the order of enum ucp_tar_format and enum ucp_tar_compress. */
static const char *const format_names[] = { "auto", "pax", "ustar", "gnutar",
					    "cpio", "zip", NULL };
static const char *const compress_names[] = { "auto", "none", "gzip", "bzip2",
					      "xz",   "zstd", "lz4",  NULL };

/* --backup's words, GNU's synonyms included, and their meanings. */
static const char *const backup_names[] = { "none",	"off",	    "simple",
					    "never",	"existing", "nil",
					    "numbered", "t",	    NULL };
static const int backup_modes[] = {
	UCP_BACKUP_NONE,     UCP_BACKUP_NONE,	  UCP_BACKUP_SIMPLE,
	UCP_BACKUP_SIMPLE,   UCP_BACKUP_EXISTING, UCP_BACKUP_EXISTING,
	UCP_BACKUP_NUMBERED, UCP_BACKUP_NUMBERED,
};

static int parse_backup(const char *s, enum ucp_backup *b)
{
	int i = s ? argmatch(s, strlen(s), backup_names, backup_modes) : -1;

	if (i < 0)
		return -EINVAL;
	*b = (enum ucp_backup)backup_modes[i];
	return 0;
}

/* Parse "mode,ownership,..." into UCP_PRESERVE_* bits. */
static int parse_attrs(const char *s, unsigned *bits)
{
	static const char *const names[] = { "mode",  "ownership", "timestamps",
					     "links", "xattr",	   "context",
					     "all",   NULL };
	static const unsigned attr_bits[] = {
		UCP_PRESERVE_MODE,	 UCP_PRESERVE_OWNERSHIP,
		UCP_PRESERVE_TIMESTAMPS, UCP_PRESERVE_LINKS,
		UCP_PRESERVE_XATTR,	 UCP_PRESERVE_CONTEXT,
		UCP_PRESERVE_ALL,
	};
	size_t len;
	int i;

	*bits = 0;
	while (*s) {
		len = strcspn(s, ",");
		i = argmatch(s, len, names, NULL);
		if (i < 0)
			return -EINVAL;
		*bits |= attr_bits[i];
		s += len;
		/* (An empty name at the end too: "mode," as cp refuses it.) */
		if (*s == ',' && *++s == '\0')
			return -EINVAL;
	}
	return *bits ? 0 : -EINVAL;
}

/*
 * cp's letters that rsync spells otherwise: in sync mode they would do
 * what a cp user means and not what an rsync user does (-n is rsync's dry
 * run, -i its itemized changes), so they are refused, naming the option
 * that does what was meant. They are the refusal of their rows; the last
 * of them given is the message.
 */
static const char refuse_n[] =
	"-n (--no-clobber) does not apply to --sync: for a dry run use --dry-run, to keep existing files --ignore-existing";
static const char refuse_i[] =
	"-i (--interactive) does not apply to --sync: to list the changes use --itemize-changes";
static const char refuse_update_none[] =
	"--update=none does not apply to --sync: for a dry run use --dry-run, to keep existing files --ignore-existing";
static const char refuse_b[] = "-b (--backup) does not apply to --sync";
static const char refuse_S[] = "-S (--suffix) does not apply to --sync";
static const char refuse_remove_destination[] =
	"--remove-destination does not apply to --sync: a changed file is replaced by a new one already (unless --inplace)";

/*
 * The handlers: the work of the KIND_CODE rows, and what some rows do
 * after their kind's. Each returns 0, or 2 after a usage message.
 */

/* -P, and the -P in -d and -a: no symbolic link is followed. */
static int drop_follow(struct ucp_opts *o, const struct opt_row *r,
		       const char *arg)
{
	(void)r;
	(void)arg;
	o->cfg.dereference = o->cfg.deref_args = false;
	return 0;
}

/* -d: -P, and hard links kept. */
static int keep_links(struct ucp_opts *o, const struct opt_row *r,
		      const char *arg)
{
	o->cfg.preserve |= UCP_PRESERVE_LINKS;
	return drop_follow(o, r, arg);
}

/* -a: -dR --preserve=all. */
static int set_archive(struct ucp_opts *o, const struct opt_row *r,
		       const char *arg)
{
	o->cfg.no_dereference = true;
	o->cfg.preserve |= UCP_PRESERVE_ALL;
	/* (After a --no-preserve, the later wins, as in cp.) */
	o->no_preserve &= ~(unsigned)UCP_PRESERVE_ALL;
	return drop_follow(o, r, arg);
}

/* -L and -H: links are followed, all or the operands. */
static int drop_no_deref(struct ucp_opts *o, const struct opt_row *r,
			 const char *arg)
{
	(void)arg;
	o->cfg.no_dereference = false;
	/* The last of -H and -L wins, as in cp. */
	if (r->val == 'H')
		o->cfg.dereference = false;
	else
		o->cfg.deref_args = false;
	return 0;
}

/* -p: the attributes of cp -p. */
static int preserve_basic(struct ucp_opts *o, const struct opt_row *r,
			  const char *arg)
{
	(void)r;
	(void)arg;
	o->cfg.preserve |= UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP |
			   UCP_PRESERVE_TIMESTAMPS;
	o->no_preserve &=
		~(unsigned)(UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP |
			    UCP_PRESERVE_TIMESTAMPS);
	return 0;
}

/*
 * --preserve[=ATTRS]: without a list, mode, ownership and timestamps, as
 * cp's (it was all: hard links and attributes too, more than asked).
 */
static int preserve_attrs(struct ucp_opts *o, const struct opt_row *r,
			  const char *arg)
{
	unsigned bits = UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP |
			UCP_PRESERVE_TIMESTAMPS;

	if (arg && parse_attrs(arg, &bits) < 0)
		return bad_value(r, arg);
	/* Only a named xattr makes its failures errors, as in cp. */
	if (arg && (strstr(arg, "xattr") || strstr(arg, "context")))
		o->cfg.xattr_strict = true;
	o->cfg.preserve |= bits;
	o->no_preserve &= ~bits;
	return 0;
}

static int drop_attrs(struct ucp_opts *o, const struct opt_row *r,
		      const char *arg)
{
	unsigned bits;

	if (parse_attrs(arg, &bits) < 0)
		return bad_value(r, arg);
	o->cfg.preserve &= ~bits;
	o->no_preserve |= bits;
	return 0;
}

/* -n overrides an earlier -i, and any -u or --update (finish). */
static int drop_interactive(struct ucp_opts *o, const struct opt_row *r,
			    const char *arg)
{
	(void)r;
	(void)arg;
	o->cfg.interactive = false;
	o->no_clobber = true;
	return 0;
}

/* -i overrides an earlier -n, and keeps -u. */
static int drop_no_clobber(struct ucp_opts *o, const struct opt_row *r,
			   const char *arg)
{
	(void)r;
	(void)arg;
	o->no_clobber = false;
	if (o->cfg.update == UCP_UPDATE_NONE)
		o->cfg.update = UCP_UPDATE_ALL;
	return 0;
}

/* --update=none is -n, which --sync refuses. */
static int note_update_none(struct ucp_opts *o, const struct opt_row *r,
			    const char *arg)
{
	(void)r;
	(void)arg;
	if (o->cfg.update == UCP_UPDATE_NONE)
		o->cp_only = refuse_update_none;
	return 0;
}

/* --engine: UCP_ENGINE, given too, is not looked at (nor warned of). */
static int note_engine(struct ucp_opts *o, const struct opt_row *r,
		       const char *arg)
{
	(void)r;
	(void)arg;
	o->engine_given = true;
	return 0;
}

/*
 * -b, or --backup without a word: VERSION_CONTROL decides, as in GNU cp,
 * and without it backups are "existing".
 */
static int backup_default(enum ucp_backup *b)
{
	const char *vc = getenv("VERSION_CONTROL");

	*b = UCP_BACKUP_EXISTING;
	if (vc && *vc && parse_backup(vc, b) < 0)
		return usage_error("invalid VERSION_CONTROL: '%s' (valid: "
				   "none, numbered, existing, simple)",
				   qname(vc));
	return 0;
}

/* -b and --backup[=CONTROL]. */
static int set_backup(struct ucp_opts *o, const struct opt_row *r,
		      const char *arg)
{
	o->backup_given = true;
	/* (--backup= with nothing: the default, as cp takes it.) */
	if (!arg || !*arg)
		return backup_default(&o->cfg.backup);
	if (parse_backup(arg, &o->cfg.backup) < 0)
		return bad_value(r, arg);
	return 0;
}

/* -S makes backups too, as in GNU cp (VERSION_CONTROL's kind, or existing). */
static int set_suffix(struct ucp_opts *o, const struct opt_row *r,
		      const char *arg)
{
	if (strchr(arg, '/'))
		return bad_value(r, arg);
	/* (An empty one is the default, as cp takes it.) */
	o->cfg.backup_suffix = *arg ? arg : NULL;
	o->suffix_given = true;
	/* (Not over an explicit --backup=none, as in cp.) */
	return o->cfg.backup == UCP_BACKUP_NONE && !o->backup_given
		       ? backup_default(&o->cfg.backup)
		       : 0;
}

/* --debug implies -v. */
static int imply_verbose(struct ucp_opts *o, const struct opt_row *r,
			 const char *arg)
{
	(void)r;
	(void)arg;
	o->cfg.verbose = true;
	return 0;
}

/* --delete-excluded implies --delete. */
static int imply_delete(struct ucp_opts *o, const struct opt_row *r,
			const char *arg)
{
	(void)r;
	(void)arg;
	o->cfg.sync.delete_extraneous = true;
	return 0;
}

/* --tar, --untar, --list: one of them, as often as wished. */
static int set_mode(struct ucp_opts *o, const struct opt_row *r,
		    const char *arg)
{
	(void)arg;
	if (o->mode != UCP_CLI_COPY && o->mode != (enum ucp_cli_mode)r->value)
		return usage_error("%s",
				   "only one of --tar, --untar and --list");
	o->mode = (enum ucp_cli_mode)r->value;
	return 0;
}

/*
 * --link-dest and --reflink-dest: one more DIR, up to rsync's limit; the
 * row's field counts them.
 */
static int add_ref_dir(struct ucp_opts *o, const struct opt_row *r,
		       const char *arg)
{
	struct ucp_sync_config *sc = &o->cfg.sync;

	if (sc->nref_dirs == UCP_REF_DIRS_MAX)
		return usage_error("at most %d --%s args may be specified",
				   UCP_REF_DIRS_MAX, r->name);
	sc->ref_dirs[sc->nref_dirs++] = arg;
	sc->ref_clone = r->val == OPT_REFLINK_DEST;
	store(o, r, load(o, r) + 1);
	return 0;
}

/* -F: the rule of rsync's -F, and the second time, of its -FF. */
static int add_rule_F(struct ucp_opts *o, const struct opt_row *r,
		      const char *arg)
{
	static const char *const rules_F[] = { "dir-merge /.rsync-filter",
					       "- .rsync-filter" };
	unsigned long long n = load(o, r);

	(void)arg;
	store(o, r, n + 1);
	if (n >= LEN(rules_F))
		return 0;
	return add_rule(o, find_row(OPT_FILTER), rules_F[n]);
}

/*
 * -Z and --context[=CTX]: cp's SELinux context of new files. Without
 * SELinux, cp ignores -Z and warns about a CTX; with it, ucp cannot set
 * one, and says so.
 */
static int set_context(struct ucp_opts *o, const struct opt_row *r,
		       const char *arg)
{
	(void)r;
	if (arg && *arg)
		o->context_given = true;
	return 0;
}

static void warn_context(void)
{
	if (access("/sys/fs/selinux/enforce", F_OK) != 0)
		(void)fputs("ucp: warning: ignoring --context; it requires an "
			    "SELinux-enabled kernel\n",
			    stderr);
	else
		(void)fputs("ucp: warning: ignoring --context; ucp does not "
			    "set SELinux contexts\n",
			    stderr);
}

/* Said to the OPT_F_NOT_SYNC and OPT_F_TAR_ONLY rows. */
static const char refuse_copy_forms[] =
	"--sync cannot be combined with -t, -T, --parents, -l, -s, --attributes-only or --copy-contents";
static const char needs_tar[] = "--format, --compress and --level need --tar";

static const char attrs_hint[] =
	" (valid: mode, ownership, timestamps, links, xattr, context, all)";
static const char when_hint[] = " (valid: auto, always, never)";

/* Every option, in the order of --help. */
static const struct opt_row rows[] = {
	GROUP("Copying:"),
	{ "archive", no_argument, 'a', "  -a, --archive",
	  "same as -dR --preserve=all", .kind = KIND_SET,
	  .field = FIELD(cfg.recursive), .value = true, .fn = set_archive },
	{ "recursive", no_argument, 'r', "  -r, -R, --recursive",
	  "copy directories recursively", .kind = KIND_SET,
	  .field = FIELD(cfg.recursive), .value = true },
	/* -R: shown with -r. */
	{ NULL, no_argument, 'R', NULL, NULL, .kind = KIND_SET,
	  .field = FIELD(cfg.recursive), .value = true },
	{ "target-directory", required_argument, 't',
	  "  -t, --target-directory=DIR", "copy all SRC arguments into DIR",
	  .kind = KIND_STRING, .field = FIELD(cfg.target_dir),
	  .flags = OPT_F_NOT_SYNC },
	{ "no-target-directory", no_argument, 'T',
	  "  -T, --no-target-directory", "treat DST as a normal file",
	  .kind = KIND_SET, .field = FIELD(cfg.no_target_dir), .value = true,
	  .flags = OPT_F_NOT_SYNC },
	{ "parents", no_argument, OPT_PARENTS, "      --parents",
	  "use the full source names under DIR", .kind = KIND_SET,
	  .field = FIELD(cfg.parents), .value = true, .flags = OPT_F_NOT_SYNC },
	{ "one-file-system", no_argument, 'x', "  -x, --one-file-system",
	  "stay on the file systems of the sources", .kind = KIND_SET,
	  .field = FIELD(cfg.one_file_system), .value = true },
	{ "link", no_argument, 'l', "  -l, --link",
	  "hard-link files instead of copying them", .kind = KIND_SET,
	  .field = FIELD(cfg.hard_link), .value = true,
	  .flags = OPT_F_NOT_SYNC },
	{ "symbolic-link", no_argument, 's', "  -s, --symbolic-link",
	  "make symbolic links instead of copying", .kind = KIND_SET,
	  .field = FIELD(cfg.symbolic_link), .value = true,
	  .flags = OPT_F_NOT_SYNC },
	{ "attributes-only", no_argument, OPT_ATTRIBUTES_ONLY,
	  "      --attributes-only", "copy attributes only, not file data",
	  .kind = KIND_SET, .field = FIELD(cfg.attributes_only), .value = true,
	  .flags = OPT_F_NOT_SYNC },
	{ "copy-contents", no_argument, OPT_COPY_CONTENTS,
	  "      --copy-contents", "with -R, read FIFOs and devices as files",
	  .kind = KIND_SET, .field = FIELD(cfg.copy_contents), .value = true,
	  .flags = OPT_F_NOT_SYNC },
	{ "no-clobber", no_argument, 'n', "  -n, --no-clobber",
	  "do not replace existing files (overrides an\n"
	  "                               earlier -i)",
	  .kind = KIND_SET, .field = FIELD(cfg.update),
	  .value = UCP_UPDATE_NONE, .fn = drop_interactive,
	  .refusal = refuse_n },
	{ "interactive", no_argument, 'i', "  -i, --interactive",
	  "ask before replacing (overrides an earlier -n)", .kind = KIND_SET,
	  .field = FIELD(cfg.interactive), .value = true, .fn = drop_no_clobber,
	  .refusal = refuse_i },
	/* A bare --update means older, a bare --reflink always (cp). */
	{ "update", optional_argument, 'u', "  -u, --update[=WHEN]",
	  "replace existing files: all, none, or older (-u)", .kind = KIND_WORD,
	  .field = FIELD(cfg.update), .value = UCP_UPDATE_OLDER,
	  .words = update_names, .fn = note_update_none, .what = "update mode",
	  .hint = " (valid: all, none, older)" },
	{ "force", no_argument, 'f', "  -f, --force",
	  "replace destinations that cannot be opened", .kind = KIND_SET,
	  .field = FIELD(cfg.force), .value = true },
	/* A new file, not a rewrite: it gets the source's mode. */
	{ "remove-destination", no_argument, OPT_REMOVE_DESTINATION,
	  "      --remove-destination",
	  "new file takes the source's mode, not the old's", .kind = KIND_SET,
	  .field = FIELD(cfg.remove_destination), .value = true,
	  .refusal = refuse_remove_destination },
	{ "strip-trailing-slashes", no_argument, OPT_STRIP_TRAILING_SLASHES,
	  "      --strip-trailing-slashes",
	  "remove trailing slashes from sources", .kind = KIND_SET,
	  .field = FIELD(strip_slashes), .value = true },
	{ "reflink", optional_argument, OPT_REFLINK, "      --reflink[=WHEN]",
	  "share data blocks: auto (default), always, never", .kind = KIND_WORD,
	  .field = FIELD(cfg.reflink), .value = UCP_REFLINK_ALWAYS,
	  .words = reflink_names, .what = "reflink mode", .hint = when_hint },
	{ "sparse", required_argument, OPT_SPARSE, "      --sparse=WHEN",
	  "holes: auto (keep), always (zeros too), never", .kind = KIND_WORD,
	  .field = FIELD(cfg.sparse), .words = sparse_names,
	  .what = "sparse mode", .hint = when_hint },
	{ "no-cache", no_argument, OPT_NO_CACHE, "      --no-cache",
	  "leave no copied data in the page cache", .kind = KIND_SET,
	  .field = FIELD(cfg.no_cache), .value = true },
	GROUP("Backups:"),
	{ "backup", optional_argument, OPT_BACKUP, "      --backup[=CONTROL]",
	  "back up replaced files: numbered, existing,\n"
	  "                               simple, none",
	  .kind = KIND_CODE, .field = FIELD(cfg.backup), .fn = set_backup,
	  .refusal = refuse_b, .what = "backup type",
	  .hint = " (valid: none, numbered, existing, simple)" },
	{ NULL, no_argument, 'b', "  -b", "like --backup, without an argument",
	  .kind = KIND_CODE, .field = FIELD(cfg.backup), .fn = set_backup,
	  .refusal = refuse_b },
	{ "suffix", required_argument, 'S', "  -S, --suffix=SUFFIX",
	  "backup suffix (default ~); makes backups", .kind = KIND_CODE,
	  .field = FIELD(suffix_given), .fn = set_suffix,
	  .what = "backup suffix", .refusal = refuse_S },
	GROUP("Symbolic links:"),
	{ NULL, no_argument, 'd', "  -d",
	  "same as --no-dereference --preserve=links", .kind = KIND_SET,
	  .field = FIELD(cfg.no_dereference), .value = true, .fn = keep_links },
	{ "dereference", no_argument, 'L', "  -L, --dereference",
	  "follow every symbolic link in the sources", .kind = KIND_SET,
	  .field = FIELD(cfg.dereference), .value = true, .fn = drop_no_deref },
	{ NULL, no_argument, 'H', "  -H",
	  "follow symbolic links given as operands only", .kind = KIND_SET,
	  .field = FIELD(cfg.deref_args), .value = true, .fn = drop_no_deref },
	{ "no-dereference", no_argument, 'P', "  -P, --no-dereference",
	  "copy symbolic links as links (default with -r)", .kind = KIND_SET,
	  .field = FIELD(cfg.no_dereference), .value = true,
	  .fn = drop_follow },
	GROUP("Attributes:"),
	{ NULL, no_argument, 'p', "  -p",
	  "same as --preserve=mode,ownership,timestamps", .kind = KIND_CODE,
	  .fn = preserve_basic },
	{ "preserve", optional_argument, OPT_PRESERVE,
	  "      --preserve[=ATTRS]",
	  "keep ATTRS: mode, ownership, timestamps,\n"
	  "                               links, xattr, context, all",
	  .kind = KIND_CODE, .fn = preserve_attrs, .what = "attribute list",
	  .hint = attrs_hint },
	{ "no-preserve", required_argument, OPT_NO_PRESERVE,
	  "      --no-preserve=ATTRS", "do not keep ATTRS", .kind = KIND_CODE,
	  .fn = drop_attrs, .field = FIELD(no_preserve),
	  .what = "attribute list", .hint = attrs_hint },
	{ "context", optional_argument, 'Z', "  -Z, --context[=CTX]",
	  "SELinux context of copies: accepted, not set", .kind = KIND_CODE,
	  .fn = set_context },
	GROUP("Sync mode:"),
	{ "sync", no_argument, OPT_SYNC, "      --sync",
	  "make DST a mirror of directory SRC (implies -a)", .kind = KIND_SET,
	  .field = FIELD(cfg.sync.on), .value = true },
	{ "delete", no_argument, OPT_DELETE, "      --delete",
	  "--sync: delete what SRC lacks (not after errors)", .kind = KIND_SET,
	  .field = FIELD(cfg.sync.delete_extraneous), .value = true,
	  .flags = OPT_F_SYNC_ONLY },
	{ "delete-excluded", no_argument, OPT_DELETE_EXCLUDED,
	  "      --delete-excluded", "--sync: also delete excluded entries",
	  .kind = KIND_SET, .field = FIELD(cfg.sync.delete_excluded),
	  .value = true, .fn = imply_delete, .flags = OPT_F_SYNC_ONLY },
	{ "max-delete", required_argument, OPT_MAX_DELETE,
	  "      --max-delete=N", "--sync: delete at most N entries",
	  .kind = KIND_COUNT, .field = FIELD(cfg.sync.max_delete),
	  .max = INT_MAX, .flags = OPT_F_SYNC_ONLY, .what = "--max-delete",
	  .hint = " (a number, 0 to 2147483647)" },
	{ "ignore-errors", no_argument, OPT_IGNORE_ERRORS,
	  "      --ignore-errors", "--sync: delete even after errors",
	  .kind = KIND_SET, .field = FIELD(cfg.sync.ignore_errors),
	  .value = true, .flags = OPT_F_SYNC_ONLY },
	{ "checksum", no_argument, 'c', "  -c, --checksum",
	  "--sync: compare contents, not size and time", .kind = KIND_SET,
	  .field = FIELD(cfg.sync.checksum), .value = true,
	  .flags = OPT_F_SYNC_ONLY },
	{ "size-only", no_argument, OPT_SIZE_ONLY, "      --size-only",
	  "--sync: compare sizes only", .kind = KIND_SET,
	  .field = FIELD(cfg.sync.size_only), .value = true,
	  .flags = OPT_F_SYNC_ONLY },
	{ "modify-window", required_argument, OPT_MODIFY_WINDOW,
	  "      --modify-window=SECONDS", "--sync: times this close match",
	  .kind = KIND_COUNT, .field = FIELD(cfg.sync.modify_window),
	  .max = INT_MAX, .flags = OPT_F_SYNC_ONLY, .what = "--modify-window",
	  .hint = " (a number of seconds, 0 to 2147483647, or -1)" },
	{ "ignore-existing", no_argument, OPT_IGNORE_EXISTING,
	  "      --ignore-existing", "--sync: leave existing files alone",
	  .kind = KIND_SET, .field = FIELD(cfg.sync.ignore_existing),
	  .value = true, .flags = OPT_F_SYNC_ONLY },
	{ "existing", no_argument, OPT_EXISTING, "      --existing",
	  "--sync: create nothing new", .kind = KIND_SET,
	  .field = FIELD(cfg.sync.existing_only), .value = true,
	  .flags = OPT_F_SYNC_ONLY },
	{ "inplace", no_argument, OPT_INPLACE, "      --inplace",
	  "--sync: rewrite changed files in place", .kind = KIND_SET,
	  .field = FIELD(cfg.sync.inplace), .value = true,
	  .flags = OPT_F_SYNC_ONLY },
	{ "fsync", no_argument, OPT_FSYNC, "      --fsync",
	  "--sync: fsync files and changed directories", .kind = KIND_SET,
	  .field = FIELD(cfg.sync.fsync), .value = true,
	  .flags = OPT_F_SYNC_ONLY },
	{ "dry-run", no_argument, OPT_DRY_RUN, "      --dry-run",
	  "--sync: change nothing, report what would change", .kind = KIND_SET,
	  .field = FIELD(cfg.sync.dry_run), .value = true,
	  .flags = OPT_F_SYNC_ONLY },
	{ "itemize-changes", no_argument, OPT_ITEMIZE,
	  "      --itemize-changes", "--sync: one line per change",
	  .kind = KIND_SET, .field = FIELD(cfg.itemize), .value = true,
	  .flags = OPT_F_SYNC_ONLY },
	{ "link-dest", required_argument, OPT_LINK_DEST,
	  "      --link-dest=DIR", "--sync: hard-link unchanged files from DIR",
	  .kind = KIND_CODE, .field = FIELD(nlink_dest), .fn = add_ref_dir,
	  .flags = OPT_F_SYNC_ONLY },
	{ "reflink-dest", required_argument, OPT_REFLINK_DEST,
	  "      --reflink-dest=DIR", "--sync: clone unchanged files from DIR",
	  .kind = KIND_CODE, .field = FIELD(nreflink_dest), .fn = add_ref_dir,
	  .flags = OPT_F_SYNC_ONLY },
	/* -f is cp's --force but with --sync, as in rsync (see sync_letter). */
	{ "filter", required_argument, OPT_FILTER, "  -f, --filter=RULE",
	  "--sync: add a filter RULE (rsync's syntax)", .kind = KIND_RULE,
	  .value = UCP_FILTER_NONE, .sync_letter = 'f',
	  .flags = OPT_F_SYNC_ONLY },
	{ NULL, no_argument, 'F', "  -F",
	  "--sync: -f 'dir-merge /.rsync-filter'; -FF also\n"
	  "                               -f '- .rsync-filter'",
	  .kind = KIND_CODE, .field = FIELD(nfilter_F), .fn = add_rule_F,
	  .flags = OPT_F_SYNC_ONLY },
	{ "exclude", required_argument, OPT_EXCLUDE, "      --exclude=PATTERN",
	  "--sync, --tar: skip entries matching PATTERN", .kind = KIND_RULE,
	  .value = UCP_FILTER_EXCLUDE,
	  .flags = OPT_F_SYNC_ONLY | OPT_F_TAR_TOO },
	{ "include", required_argument, OPT_INCLUDE, "      --include=PATTERN",
	  "--sync, --tar: keep entries matching PATTERN", .kind = KIND_RULE,
	  .value = UCP_FILTER_INCLUDE,
	  .flags = OPT_F_SYNC_ONLY | OPT_F_TAR_TOO },
	{ "exclude-from", required_argument, OPT_EXCLUDE_FROM,
	  "      --exclude-from=FILE",
	  "--sync, --tar: exclude patterns from FILE", .kind = KIND_RULE,
	  .value = UCP_FILTER_EXCLUDE,
	  .flags = OPT_F_SYNC_ONLY | OPT_F_FROM_FILE | OPT_F_TAR_TOO },
	{ "include-from", required_argument, OPT_INCLUDE_FROM,
	  "      --include-from=FILE",
	  "--sync, --tar: include patterns from FILE", .kind = KIND_RULE,
	  .value = UCP_FILTER_INCLUDE,
	  .flags = OPT_F_SYNC_ONLY | OPT_F_FROM_FILE | OPT_F_TAR_TOO },
	{ "files-from", required_argument, OPT_FILES_FROM,
	  "      --files-from=FILE", "--sync: only the paths FILE lists",
	  .kind = KIND_STRING, .field = FIELD(files_from_arg),
	  .flags = OPT_F_SYNC_ONLY },
	{ "from0", no_argument, '0', "  -0, --from0",
	  "pattern and list files are NUL-separated", .kind = KIND_SET,
	  .field = FIELD(from0), .value = true },
	GROUP("Output:"),
	{ "verbose", no_argument, 'v', "  -v, --verbose",
	  "print 'src' -> 'dst' for each copied entry", .kind = KIND_SET,
	  .field = FIELD(cfg.verbose), .value = true },
	{ "debug", no_argument, OPT_DEBUG, "      --debug",
	  "say how each file was copied (implies -v)", .kind = KIND_SET,
	  .field = FIELD(cfg.debug), .value = true, .fn = imply_verbose },
	{ "quiet", no_argument, 'q', "  -q, --quiet", "print errors only",
	  .kind = KIND_SET, .field = FIELD(quiet), .value = true },
	{ "progress", optional_argument, OPT_PROGRESS,
	  "      --progress[=WHEN]",
	  "auto, bar, plain, none or json (default auto)", .kind = KIND_WORD,
	  .field = FIELD(progress), .value = UCP_PROGRESS_ON,
	  .words = progress_names, .what = "progress mode",
	  .hint = " (valid: auto, bar, plain, none, json)" },
	{ "no-progress", no_argument, OPT_NO_PROGRESS, "      --no-progress",
	  "same as --progress=none", .kind = KIND_SET, .field = FIELD(progress),
	  .value = UCP_PROGRESS_NONE },
	{ "no-scan", no_argument, OPT_NO_SCAN, "      --no-scan",
	  "no counting walk ahead for the progress totals", .kind = KIND_SET,
	  .field = FIELD(no_scan), .value = true },
	{ "stats", no_argument, OPT_STATS, "      --stats",
	  "print a summary at the end", .kind = KIND_SET, .field = FIELD(stats),
	  .value = true },
	GROUP("Performance:"),
	{ "jobs", required_argument, 'j', "  -j, --jobs=N",
	  "worker threads (default: twice the CPUs)", .kind = KIND_COUNT,
	  .field = FIELD(cfg.jobs), .min = 1, .max = 64,
	  .what = "number of jobs", .hint = " (1 to 64)" },
	{ "engine", required_argument, OPT_ENGINE, "      --engine=ENGINE",
	  "auto, uring or threads (default auto)", .kind = KIND_WORD,
	  .field = FIELD(cfg.engine), .words = engine_names, .what = "engine",
	  .hint = " (valid: auto, uring, threads)", .fn = note_engine },
	{ "sqpoll", no_argument, OPT_SQPOLL, "      --sqpoll",
	  "io_uring: a kernel thread polls for submissions\n"
	  "                               (costs a CPU; see ucp(1))",
	  .kind = KIND_SET, .field = FIELD(cfg.sqpoll), .value = true },
	{ "buffer-size", required_argument, OPT_BUFFER_SIZE,
	  "      --buffer-size=SIZE", "in-flight buffer budget (default 32M)",
	  .kind = KIND_SIZE, .field = FIELD(cfg.buffer_size), .min = 128u << 10,
	  .what = "buffer size",
	  .hint = " (bytes, or with K, M, G or T; at least 128K)" },
	GROUP("Archives:"),
	{ "tar", no_argument, OPT_TAR, "      --tar",
	  "write SRC... into the archive named last\n"
	  "                               ('-': standard output)",
	  .kind = KIND_CODE, .field = FIELD(mode), .value = UCP_CLI_TAR,
	  .fn = set_mode },
	{ "untar", no_argument, OPT_UNTAR, "      --untar",
	  "extract ARCHIVE ('-': stdin) into DIR", .kind = KIND_CODE,
	  .field = FIELD(mode), .value = UCP_CLI_UNTAR, .fn = set_mode },
	{ "list", no_argument, OPT_LIST, "      --list",
	  "list the members of ARCHIVE (-v: long listing)", .kind = KIND_CODE,
	  .field = FIELD(mode), .value = UCP_CLI_LIST, .fn = set_mode },
	{ "format", required_argument, OPT_FORMAT, "      --format=FORMAT",
	  "pax, ustar, gnutar, cpio, zip (default: from\n"
	  "                               the suffix, else pax)",
	  .kind = KIND_WORD, .field = FIELD(cfg.tar_format), .min = 1,
	  .words = format_names, .flags = OPT_F_TAR_ONLY,
	  .what = "archive format",
	  .hint = " (valid: pax, ustar, gnutar, cpio, zip)" },
	{ "compress", required_argument, OPT_COMPRESS, "      --compress=ALGO",
	  "gzip, bzip2, xz, zstd, lz4, none (default:\n"
	  "                               from the archive's suffix)",
	  .kind = KIND_WORD, .field = FIELD(cfg.tar_compress), .min = 1,
	  .words = compress_names, .flags = OPT_F_TAR_ONLY,
	  .what = "compression",
	  .hint = " (valid: gzip, bzip2, xz, zstd, lz4, none)" },
	/* Kept as N + 1: 0 is the compressor's own level. */
	{ "level", required_argument, OPT_LEVEL, "      --level=N",
	  "compression level for --tar", .kind = KIND_COUNT,
	  .field = FIELD(cfg.tar_level), .value = 1, .max = 22,
	  .flags = OPT_F_TAR_ONLY, .what = "compression level",
	  .hint = " (0 to 22)" },
	GROUP("Information:"),
	{ "help", no_argument, 'h', "  -h, --help",
	  "display this help and exit", .kind = KIND_SET, .field = FIELD(help),
	  .value = true },
	{ "version", no_argument, OPT_VERSION, "      --version",
	  "output version information and exit", .kind = KIND_SET,
	  .field = FIELD(version), .value = true },
	{ "list-options", no_argument, OPT_LIST_OPTIONS, NULL, NULL,
	  .kind = KIND_SET, .field = FIELD(list_options), .value = true },
};

/*
 * Whether "--name" is among the options of argv, whole: an option left
 * out of --help (--list-options) is taken only so, so that it makes no
 * documented abbreviation ambiguous (--lis is --list).
 */
static bool given_whole(int argc, char **argv, const char *name)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strncmp(argv[i], "--", 2) == 0 &&
		    strcmp(argv[i] + 2, name) == 0)
			return true;
	return false;
}

/*
 * Two options that exclude each other, by their vals, checked in this
 * order once the mode's own checks have passed. The pairs of sync options
 * can only meet under --sync, the others only without it.
 */
static const struct conflict {
	int a, b;
	/* Only with an operand: without one, that is the message. */
	bool needs_operand;
	const char *msg;
} conflicts[] = {
	{ OPT_LINK_DEST, OPT_REFLINK_DEST, false,
	  "choose one of --link-dest and --reflink-dest" },
	{ 'c', OPT_SIZE_ONLY, false,
	  "--checksum and --size-only exclude each other" },
	{ 'l', 's', false, "cannot make both hard and symbolic links" },
	{ OPT_BACKUP, 'n', false,
	  "options --backup and --no-clobber are mutually exclusive" },
	{ 't', 'T', false,
	  "cannot combine --target-directory (-t) and --no-target-directory (-T)" },
	{ OPT_PARENTS, 'T', true,
	  "cannot combine --parents and --no-target-directory (-T)" },
};

/*
 * --help and --list-options write to stdout, whose errors main() finds
 * with ferror() before it exits.
 */
void ucp_opts_usage(FILE *f)
{
	size_t i;

	(void)fputs(
		"Usage: ucp [OPTION]... [-T] SRC DST\n"
		"  or:  ucp [OPTION]... SRC... DIR\n"
		"  or:  ucp [OPTION]... -t DIR SRC...\n"
		"  or:  ucp --tar [OPTION]... SRC... ARCHIVE\n"
		"  or:  ucp --untar [OPTION]... ARCHIVE DIR\n"
		"  or:  ucp --list [-v] ARCHIVE\n"
		"Copy SRC to DST, or several SRCs into DIR, in parallel.\n\n",
		f);
	for (i = 0; i < LEN(rows); i++)
		if (rows[i].usage)
			(void)fprintf(f, "%-30s %s\n", rows[i].usage,
				      rows[i].help);
		else if (rows[i].help)
			(void)fprintf(f, "%s%s\n", i ? "\n" : "", rows[i].help);
	(void)fputs(
		"\nThe environment variable UCP_ENGINE sets the default engine.\n"
		"Exit status: 0 all copied, 1 some entries failed, 2 usage error,\n"
		"24 only vanished source files, 25 --max-delete stopped deleting,\n"
		"129/130/131/143 stopped by a signal (HUP/INT/QUIT/TERM).\n"
		"See ucp(1) for details.\n",
		f);
}

void ucp_opts_list(FILE *f)
{
	size_t i;

	for (i = 0; i < LEN(rows); i++)
		if (rows[i].usage && rows[i].name)
			(void)fprintf(f, "--%s\n", rows[i].name);
}

int ucp_parse_uint(const char *s, unsigned max, unsigned *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = (unsigned)v;
	return 0;
}

int ucp_parse_size(const char *s, size_t *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end != '\0') {
		/* K, M, G, T: binary, in either case, and as KiB, MiB... */
		int c = toupper((unsigned char)*end);
		const char *units = "KMGT", *u = strchr(units, c);

		if (c == '\0' || !u ||
		    (end[1] != '\0' && strcmp(end + 1, "iB") != 0))
			return -EINVAL;
		mul = 1ull << (10 * (u - units + 1));
	}
	if (v > SIZE_MAX / mul)
		return -ERANGE;
	*out = (size_t)(v * mul);
	return 0;
}

/* The row whose option getopt_long returns as val, or NULL. */
static const struct opt_row *find_row(int val)
{
	size_t i;

	for (i = 0; i < LEN(rows); i++)
		if (rows[i].val == val)
			return &rows[i];
	return NULL;
}

/*
 * The field of r, stored or read as a number whatever its width: bool,
 * an enum or unsigned, or a 64-bit long, long long or size_t. A field
 * holds no negative number here but max_delete's -1, set before parsing.
 */
static void store(struct ucp_opts *o, const struct opt_row *r,
		  unsigned long long v)
{
	char *p = (char *)o + r->field.off;
	bool b = v != 0;
	unsigned u = (unsigned)v;

	switch (r->field.size) {
	case sizeof(b):
		memcpy(p, &b, sizeof(b));
		break;
	case sizeof(u):
		memcpy(p, &u, sizeof(u));
		break;
	case sizeof(v):
		memcpy(p, &v, sizeof(v));
		break;
	default: /* no field */
		break;
	}
}

static unsigned long long load(const struct ucp_opts *o,
			       const struct opt_row *r)
{
	const char *p = (const char *)o + r->field.off;
	unsigned long long v = 0;
	unsigned u;
	bool b;

	switch (r->field.size) {
	case sizeof(b):
		memcpy(&b, p, sizeof(b));
		return b;
	case sizeof(u):
		memcpy(&u, p, sizeof(u));
		return u;
	case sizeof(v):
		memcpy(&v, p, sizeof(v));
		return v;
	default:
		return 0;
	}
}

/*
 * Whether the option of r is in effect: its field holds r's value, or,
 * for the kinds without one value (and KIND_CODE rows with value 0),
 * anything but 0 and NULL. A row without a field never is.
 */
static bool in_effect(const struct ucp_opts *o, const struct opt_row *r)
{
	const char *s;

	if (r->kind == KIND_STRING) {
		memcpy(&s, (const char *)o + r->field.off, sizeof(s));
		return s != NULL;
	}
	if (r->kind == KIND_SET || (r->kind == KIND_CODE && r->value))
		return r->field.size && load(o, r) == r->value;
	return load(o, r) != 0;
}

static int apply_word(struct ucp_opts *o, const struct opt_row *r,
		      const char *arg)
{
	int i = arg ? parse_word(arg, r->words) : (int)r->value;

	if (i < (int)r->min)
		return bad_value(r, arg);
	store(o, r, (unsigned long long)i);
	return 0;
}

static int apply_size(struct ucp_opts *o, const struct opt_row *r,
		      const char *arg)
{
	size_t n;

	if (ucp_parse_size(arg, &n) < 0 || n < r->min)
		return bad_value(r, arg);
	store(o, r, n);
	return 0;
}

static int apply_count(struct ucp_opts *o, const struct opt_row *r,
		       const char *arg)
{
	unsigned n;

	if (ucp_parse_uint(arg, (unsigned)r->max, &n) < 0 || n < r->min)
		return bad_value(r, arg);
	store(o, r, n + r->value);
	return 0;
}

/* Filters are built in order once -0 is known (it applies to all files). */
static int add_rule(struct ucp_opts *o, const struct opt_row *r,
		    const char *arg)
{
	if (!o->rules) {
		o->rules = calloc(o->rules_cap, sizeof(*o->rules));
		if (!o->rules)
			return out_of_memory();
	}
	o->rules[o->nrules].opt = r->val;
	o->rules[o->nrules++].arg = arg;
	return 0;
}

/* Apply the option of r; returns 0 or 2 after a usage message. */
static int apply(struct ucp_opts *o, const struct opt_row *r, const char *arg)
{
	int ret = 0;

	switch (r->kind) {
	case KIND_IGNORED:
	case KIND_CODE:
		break;
	case KIND_SET:
		store(o, r, r->value);
		break;
	case KIND_WORD:
		ret = apply_word(o, r, arg);
		break;
	case KIND_SIZE:
		ret = apply_size(o, r, arg);
		break;
	case KIND_COUNT:
		/* rsync's "compare nanoseconds" (its 0 compares seconds):
		 * ucp's 0, which scripts written for rsync pass. */
		if (r->val == OPT_MODIFY_WINDOW && strcmp(arg, "-1") == 0)
			arg = "0";
		ret = apply_count(o, r, arg);
		break;
	case KIND_STRING:
		/* cp refuses a second -t (the first would be dropped). */
		if (r->val == 't' && o->cfg.target_dir)
			return usage_error(
				"%s", "multiple target directories specified");
		memcpy((char *)o + r->field.off, &arg, sizeof(arg));
		break;
	case KIND_RULE:
		ret = add_rule(o, r, arg);
		break;
	}
	if (ret == 0 && r->fn)
		ret = r->fn(o, r, arg);
	if (ret)
		return ret;
	if (r->flags & OPT_F_SYNC_ONLY)
		o->sync_only = r;
	if ((r->flags & (OPT_F_SYNC_ONLY | OPT_F_TAR_TOO)) == OPT_F_SYNC_ONLY)
		o->sync_not_tar = r;
	if (r->refusal)
		o->cp_only = r->refusal;
	return 0;
}

/*
 * A long option word (past its "--", len bytes) that several names start
 * with: GNU's message, with the possibilities. 0 if it is not one.
 */
static int ambiguous(const struct option *l, const char *word, size_t len)
{
	char list[768];
	size_t at = 0;
	unsigned n = 0;

	list[0] = '\0';
	for (; l->name; l++) {
		int w;

		if (strncmp(l->name, word, len) != 0)
			continue;
		if (strlen(l->name) == len)
			return 0;
		n++;
		w = snprintf(list + at, sizeof(list) - at, " '--%s'", l->name);
		if (w > 0 && (size_t)w < sizeof(list) - at)
			at += (size_t)w;
	}
	if (n < 2)
		return 0;
	return usage_error("option '--%.*s' is ambiguous; possibilities:%s",
			   (int)len, word, list);
}

/* Report what getopt_long did not like, in GNU's words. */
static int bad_option(int c, char **argv, const struct option *longopts)
{
	/* getopt_long has stepped past the offending word. */
	const char *word =
		optind > 0 && argv[optind - 1] ? argv[optind - 1] : "";
	char shortopt[2] = { (char)optopt, '\0' };
	bool is_long = strncmp(word, "--", 2) == 0;
	const char *eq = is_long ? strchr(word, '=') : NULL;

	if (c == ':' && is_long)
		return usage_error("option '%s' requires an argument",
				   qname(word));
	if (c == ':')
		return usage_error("option requires an argument -- '%s'",
				   qname(shortopt));
	if (is_long && eq && optopt)
		return usage_error("option '%.*s' doesn't allow an argument",
				   (int)(eq - word), word);
	if (is_long &&
	    ambiguous(longopts, word + 2,
		      eq ? (size_t)(eq - word - 2) : strlen(word + 2)))
		return 2;
	if (is_long)
		return usage_error("unrecognized option '%s'", qname(word));
	return usage_error("invalid option -- '%s'", qname(shortopt));
}

/* Whether a row with all of flags is in effect. */
static bool any_in_effect(const struct ucp_opts *o, unsigned flags)
{
	size_t i;

	for (i = 0; i < LEN(rows); i++)
		if ((rows[i].flags & flags) == flags && in_effect(o, &rows[i]))
			return true;
	return false;
}

/* The options of the copy mode against the mode: --sync or not. */
static int check_mode(const struct ucp_opts *o)
{
	if (any_in_effect(o, OPT_F_TAR_ONLY))
		return usage_error("%s", needs_tar);
	if (!o->cfg.sync.on)
		return !o->sync_only ? 0
		       : o->sync_only->name
			       ? usage_error("--%s needs --sync%s",
					     o->sync_only->name,
					     o->sync_only->flags & OPT_F_TAR_TOO
						     ? " or --tar"
						     : "")
			       : usage_error("-%c needs --sync",
					     o->sync_only->val);
	if (o->cp_only)
		return usage_error("%s", o->cp_only);
	if (any_in_effect(o, OPT_F_NOT_SYNC))
		return usage_error("%s", refuse_copy_forms);
	return 0;
}

static int check_conflicts(const struct ucp_opts *o)
{
	const struct conflict *c;

	for (c = conflicts; c < conflicts + LEN(conflicts); c++)
		if ((o->noperands || !c->needs_operand) &&
		    in_effect(o, find_row(c->a)) &&
		    in_effect(o, find_row(c->b)))
			return usage_error("%s", c->msg);
	return 0;
}

/*
 * --level against what the archive is written with (its name, --compress,
 * --format): in the compressor's range, and only where it compresses.
 */
static int check_level(const struct ucp_opts *o)
{
	const char *archive = o->operands[o->noperands - 1];
	unsigned level = o->cfg.tar_level, lo, hi;

	if (!level)
		return 0;
	if (!ucp_tar_level_range(&o->cfg, archive, &lo, &hi))
		return usage_error("--level: '%s' is not compressed (a .gz, "
				   ".bz2, .xz, .zst, .lz4 or .zip name, or "
				   "--compress)",
				   qname(archive));
	/* (Kept as N + 1.) */
	if (level - 1 < lo || level - 1 > hi)
		return usage_error("invalid compression level: '%u' (%u to %u "
				   "for '%s')",
				   level - 1, lo, hi, qname(archive));
	return 0;
}

/* Whether --tar would wrap a zip in a compression it cannot carry. */
static bool zip_compressed(const struct ucp_opts *o)
{
	const char *archive = o->operands[o->noperands - 1];

	return ucp_tar_format_for(o->cfg.tar_format, archive) == UCP_TAR_ZIP &&
	       (o->cfg.tar_compress != UCP_COMPRESS_AUTO ||
		ucp_tar_compress_for(UCP_COMPRESS_AUTO, archive) !=
			UCP_COMPRESS_NONE);
}

/* Operand counts of the archive modes. */
static int check_archive_operands(const struct ucp_opts *o)
{
	if (o->cfg.target_dir || o->cfg.no_target_dir)
		return usage_error("%s",
				   "-t and -T do not apply to archive modes");
	if (o->noperands == 0)
		return usage_error("%s", "missing archive operand");
	if (o->mode == UCP_CLI_LIST && o->noperands > 1)
		return usage_error("extra operand '%s'", qname(o->operands[1]));
	if (o->mode == UCP_CLI_TAR && o->noperands < 2)
		return usage_error("missing archive operand after '%s'",
				   qname(o->operands[0]));
	if (o->mode == UCP_CLI_UNTAR && o->noperands < 2)
		return usage_error("missing directory operand after '%s'",
				   qname(o->operands[0]));
	if (o->mode == UCP_CLI_UNTAR && o->noperands > 2)
		return usage_error("extra operand '%s'", qname(o->operands[2]));
	/* (Reading, the archive says what it is.) */
	if (o->mode != UCP_CLI_TAR && any_in_effect(o, OPT_F_TAR_ONLY))
		return usage_error("--format, --compress and --level apply to "
				   "--tar only: %s reads what the archive is",
				   o->mode == UCP_CLI_UNTAR ? "--untar"
							    : "--list");
	if (o->mode == UCP_CLI_TAR && zip_compressed(o))
		return usage_error("%s", "a zip compresses its members itself: "
					 "--compress and a .gz, .bz2, .xz, "
					 ".zst or .lz4 name do not apply to "
					 "--format=zip");
	/* As tar: an archive drawn on a terminal is no use, and harms it. */
	if (o->mode == UCP_CLI_TAR &&
	    strcmp(o->operands[o->noperands - 1], "-") == 0 &&
	    isatty(STDOUT_FILENO))
		return usage_error("%s", "refusing to write an archive to a "
					 "terminal: redirect standard output "
					 "or name a file");
	/* ... and one read from a terminal would wait for the user. */
	if ((o->mode == UCP_CLI_UNTAR || o->mode == UCP_CLI_LIST) &&
	    o->noperands > 0 && strcmp(o->operands[0], "-") == 0 &&
	    isatty(STDIN_FILENO))
		return usage_error("%s", "refusing to read an archive from a "
					 "terminal: redirect standard input "
					 "or name a file");
	return o->mode == UCP_CLI_TAR ? check_level(o) : 0;
}

/* Operand counts of the copy and sync modes. */
static int check_copy_operands(const struct ucp_opts *o)
{
	if (o->cfg.sync.on && o->noperands != 2)
		return usage_error(
			"%s",
			o->noperands < 2
				? "--sync needs a source and a destination"
				: "--sync takes one source and one destination");
	/* (An unset variable in a script: never a mirror in ".".) */
	if (o->cfg.sync.on && (!o->operands[0][0] || !o->operands[1][0]))
		return usage_error("--sync: empty %s operand",
				   o->operands[0][0] ? "destination"
						     : "source");
	if (o->noperands == 0)
		return usage_error("%s", "missing file operand");
	if (o->noperands == 1 && !o->cfg.target_dir)
		return usage_error(
			"missing destination file operand after '%s'",
			o->operands[0]);
	if (o->cfg.no_target_dir && o->noperands > 2)
		return usage_error("extra operand '%s'", qname(o->operands[2]));
	return 0;
}

/*
 * The copy options the archive modes have no use for: given, they would be
 * ignored (--untar -n would overwrite what it was told to keep), so they
 * are usage errors. (-p, -a and --preserve apply to --untar; -x to --tar.)
 */
static const int not_archive[] = {
	OPT_PARENTS,
	'l',
	's',
	OPT_ATTRIBUTES_ONLY,
	OPT_COPY_CONTENTS,
	'n',
	'i',
	'u',
	'f',
	OPT_REMOVE_DESTINATION,
	OPT_REFLINK,
	'S', /* (before the backup it makes) */
	OPT_BACKUP,
	'b',
	'L',
	'H',
};

/* ... and those only --tar has a use for: it walks a tree, they do not. */
static const int not_extract[] = {
	'x',
	OPT_STRIP_TRAILING_SLASHES,
};

/*
 * ... and those --tar would ignore: it stores every attribute, and holes
 * as holes; --list, which writes no file, too.
 */
static const int not_create[] = {
	OPT_NO_PRESERVE,
	OPT_SPARSE,
};

/* The first of list (n entries) given, in its order, or NULL. */
static const struct opt_row *first_given(const struct ucp_opts *o,
					 const int *list, size_t n)
{
	size_t i, k;

	for (k = 0; k < n; k++)
		for (i = 0; i < LEN(rows); i++)
			if (rows[i].val == list[k] && in_effect(o, &rows[i]))
				return &rows[i];
	return NULL;
}

/*
 * The first of not_archive (and for --untar and --list, not_extract; for
 * --tar and --list, not_create).
 */
static const struct opt_row *archive_misfit(const struct ucp_opts *o)
{
	const struct opt_row *r = first_given(o, not_archive, LEN(not_archive));

	if (!r && o->mode != UCP_CLI_TAR)
		r = first_given(o, not_extract, LEN(not_extract));
	if (!r && o->mode != UCP_CLI_UNTAR)
		r = first_given(o, not_create, LEN(not_create));
	return r;
}

static const char *archive_mode_name(enum ucp_cli_mode m)
{
	return m == UCP_CLI_TAR	    ? "--tar"
	       : m == UCP_CLI_UNTAR ? "--untar"
				    : "--list";
}

static int check_operands(const struct ucp_opts *o)
{
	int ret;

	if (o->mode != UCP_CLI_COPY && o->cfg.sync.on)
		return usage_error("%s",
				   "--sync does not apply to archive modes");
	if (o->mode != UCP_CLI_COPY) {
		/* (--tar takes the include and exclude rules, nothing else.) */
		const struct opt_row *r =
			o->mode == UCP_CLI_TAR ? o->sync_not_tar : o->sync_only;

		if (!r)
			r = archive_misfit(o);

		if (r && r->name)
			return usage_error("--%s does not apply to %s", r->name,
					   archive_mode_name(o->mode));
		if (r)
			return usage_error("-%c does not apply to %s", r->val,
					   archive_mode_name(o->mode));
		return check_archive_operands(o);
	}
	ret = check_mode(o);
	if (ret == 0)
		ret = check_conflicts(o);
	if (ret == 0)
		ret = check_copy_operands(o);
	return ret;
}

/*
 * Open a list or pattern file of option what, '-' being stdin: an fd, or
 * -errno; -EBUSY when another option read stdin already (it was read to
 * its end: this one would get nothing, and an empty --files-from list
 * with --delete-excluded would empty the mirror).
 */
static int open_list(struct ucp_opts *o, const char *arg, const char *what)
{
	int fd;

	if (strcmp(arg, "-") == 0) {
		if (o->stdin_taken)
			return -EBUSY;
		o->stdin_taken = what;
		return STDIN_FILENO;
	}
	fd = open(arg, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* The usage error of open_list's fd, for arg of option what. 2. */
static int open_failed(const struct ucp_opts *o, const char *arg,
		       const char *what, int fd)
{
	if (fd == -EBUSY)
		return usage_error("%s reads standard input, which %s "
				   "read already",
				   what, o->stdin_taken);
	return usage_error("cannot open '%s': %s", qname(arg), strerror(-fd));
}

/* Close what open_list opened; only read, a failed close loses nothing. */
static void close_list(const char *arg, int fd)
{
	if (strcmp(arg, "-") != 0)
		(void)close(fd);
}

/* Add the patterns of the *-from file arg to the filter, as r says. 0 or 2. */
static int add_rule_file(struct ucp_opts *o, const struct opt_row *r,
			 const char *arg)
{
	const char *what = r->value == UCP_FILTER_INCLUDE ? "--include-from"
							  : "--exclude-from";
	size_t line = 0;
	int fd = open_list(o, arg, what), ret;

	if (interrupted(fd))
		return 2;
	if (fd < 0)
		return open_failed(o, arg, what, fd);
	ret = ucp_filter_add_fd(o->filter, (enum ucp_filter_type)r->value, fd,
				o->from0, &line);
	close_list(arg, fd);
	if (interrupted(ret))
		return 2;
	if (ret < 0 && line)
		return usage_error("%s:%zu: invalid pattern: %s", arg, line,
				   strerror(-ret));
	if (ret < 0)
		return usage_error("cannot read '%s': %s", qname(arg),
				   strerror(-ret));
	return 0;
}

/* The merge file of a --filter rule, read into the filter. 0 or 2. */
static int merge_file(struct ucp_opts *o, const struct ucp_filter_merge *m)
{
	size_t line = 0;
	int fd = open_list(o, m->name, "a merge rule"), ret;

	if (interrupted(fd))
		return 2;
	if (fd < 0)
		return open_failed(o, m->name, "a merge rule", fd);
	ret = ucp_filter_merge_fd(o->filter, m, fd, o->from0, &line);
	close_list(m->name, fd);
	if (interrupted(ret))
		return 2;
	/* (EOPNOTSUPP: an rsync modifier ucp lacks, or a merge rule in it.) */
	if (ret == -EBADMSG || ret == -ENODATA || ret == -EOPNOTSUPP)
		return usage_error("%s:%zu: %s", m->name, line,
				   ucp_filter_fault(-ret));
	if (ret < 0 && line)
		return usage_error("%s:%zu: invalid rule: %s", m->name, line,
				   strerror(-ret));
	if (ret < 0)
		return usage_error("cannot read '%s': %s", qname(m->name),
				   strerror(-ret));
	return 0;
}

/* --filter=RULE (and -F's rules). 0 or 2. */
static int add_filter_rule(struct ucp_opts *o, const char *arg)
{
	struct ucp_filter_merge m = { 0 };
	int ret = ucp_filter_add_rule(o->filter, arg, &m);

	if (ret == 1)
		return merge_file(o, &m);
	switch (-ret) {
	case 0:
		return 0;
	case EBADMSG:
	case ENODATA:
	case EOPNOTSUPP:
		return usage_error("%s: '%s'", ucp_filter_fault(-ret),
				   qname(arg));
	default:
		return usage_error("invalid pattern in filter rule '%s': %s",
				   qname(arg), strerror(-ret));
	}
}

/* Build the filter from the rules, in the order given. 0 or 2. */
static int build_filter(struct ucp_opts *o)
{
	size_t i;
	int ret;

	if (!o->nrules)
		return 0;
	if (ucp_filter_new(&o->filter) < 0)
		return out_of_memory();
	o->cfg.sync.filter = o->filter;
	for (i = 0; i < o->nrules; i++) {
		const struct opt_row *r = find_row(o->rules[i].opt);
		const char *arg = o->rules[i].arg;

		if (r->flags & OPT_F_FROM_FILE) {
			ret = add_rule_file(o, r, arg);
		} else if (r->val == OPT_FILTER) {
			ret = add_filter_rule(o, arg);
		} else if (!*arg) {
			ret = 0; /* (no pattern: none, as rsync skips it) */
		} else {
			/* As rsync: "+ X", "- X" and "!" are rules here too. */
			ret = ucp_filter_add_prefixed(
				o->filter, (enum ucp_filter_type)r->value, arg);
			if (ret < 0)
				ret = usage_error("invalid pattern '%s': %s",
						  qname(arg), strerror(-ret));
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* Read the --files-from list. 0 or 2. */
static int build_list(struct ucp_opts *o)
{
	const char *arg = o->files_from_arg;
	size_t line = 0;
	int fd, ret;

	if (!arg)
		return 0;
	if (ucp_pathset_new(&o->files_from) < 0)
		return out_of_memory();
	o->cfg.sync.files_from = o->files_from;
	fd = open_list(o, arg, "--files-from");
	if (interrupted(fd))
		return 2;
	if (fd < 0)
		return open_failed(o, arg, "--files-from", fd);
	ret = ucp_pathset_add_fd(o->files_from, fd, o->from0, &line);
	close_list(arg, fd);
	if (interrupted(ret))
		return 2;
	if (ret < 0 && line)
		return usage_error("%s:%zu: %s", arg, line,
				   ret == -EINVAL
					   ? "a path with '..' is not allowed"
					   : strerror(-ret));
	if (ret < 0)
		return usage_error("cannot read '%s': %s", qname(arg),
				   strerror(-ret));
	return 0;
}

void ucp_opts_free(struct ucp_opts *o)
{
	ucp_pathset_free(o->files_from);
	o->files_from = NULL;
	ucp_filter_free(o->filter);
	o->filter = NULL;
	free(o->rules);
	o->rules = NULL;
}

/* Whether some row takes letter c in sync mode. */
static bool is_sync_letter(int c)
{
	size_t i;

	for (i = 0; i < LEN(rows); i++)
		if (rows[i].sync_letter && rows[i].sync_letter == c)
			return true;
	return false;
}

/*
 * The row of what getopt_long returned: in sync mode a letter that
 * rsync gives another option is that option's.
 */
static const struct opt_row *row_of(int c, bool sync)
{
	size_t i;

	for (i = 0; sync && i < LEN(rows); i++)
		if (rows[i].sync_letter && rows[i].sync_letter == c)
			return &rows[i];
	return find_row(c);
}

/*
 * The row whose long name word (without "--" and "=value") is, or the one
 * it abbreviates alone, as getopt_long finds it. NULL if none.
 */
static const struct opt_row *row_named(const char *word)
{
	const struct opt_row *hit = NULL;
	size_t i, len = strcspn(word, "=");
	unsigned n = 0;

	for (i = 0; i < LEN(rows); i++) {
		if (!rows[i].name || strncmp(rows[i].name, word, len) != 0)
			continue;
		if (strlen(rows[i].name) == len)
			return &rows[i];
		hit = &rows[i];
		n++;
	}
	return n == 1 ? hit : NULL;
}

/*
 * Whether word is an option whose argument is the next word (-S SUFFIX,
 * --suffix SUFFIX, --suff SUFFIX, -vt DIR): that word is no option. -f
 * takes one only in sync mode (sync).
 */
static bool takes_next(const char *word, bool sync)
{
	const struct opt_row *r;
	const char *p;

	if (word[0] != '-' || word[1] == '\0')
		return false;
	if (word[1] == '-') {
		r = row_named(word + 2);
		return r && r->has_arg == required_argument &&
		       !strchr(word, '=');
	}
	/*
	 * Letters: the first that takes an argument takes the rest; a word
	 * with a letter that is no option is none (-f's rule '- .git').
	 */
	for (p = word + 1; *p; p++) {
		r = row_of((unsigned char)*p, sync);
		if (!r)
			return false;
		if (r->has_arg == required_argument)
			return p[1] == '\0';
	}
	return false;
}

/*
 * Whether --sync (or a prefix getopt_long takes for it) is on the command
 * line before "--": getopt_long must know what -f is before it reads it.
 * A word that is another option's argument (-S --sync) is not looked at;
 * the line is not read as either mode reads it, which would take a rule
 * of -f for options (-f '- .git' reads as -t .git in copy mode).
 */
static bool sync_given(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strlen(argv[i]) >= 5 &&
		    strncmp(argv[i], "--sync", strlen(argv[i])) == 0)
			return true;
		if (takes_next(argv[i], false))
			i++;
	}
	return false;
}

/*
 * getopt_long's view of rows: longopts gets one entry a long name and the
 * closing zeros, shorts the letters (':' after one that takes an
 * argument), after a leading ':' that makes getopt_long report a missing
 * argument as ':'. In sync mode the sync letters are their rows'.
 */
static void make_getopt(struct option *longopts,
			const struct opt_row **long_rows, char *shorts,
			bool sync, int argc, char **argv)
{
	size_t i, n = 0, k = 0;

	shorts[k++] = ':';
	for (i = 0; i < LEN(rows); i++) {
		const struct opt_row *r = &rows[i];
		int letter = sync && r->sync_letter ? r->sync_letter : r->val;

		if (r->name && (r->usage || given_whole(argc, argv, r->name))) {
			longopts[n].name = r->name;
			longopts[n].has_arg = r->has_arg;
			longopts[n].flag = NULL;
			longopts[n].val = r->val;
			long_rows[n] = r;
			n++;
		}
		/* (Taken in sync mode by the row that has it as sync_letter.)
		 */
		if (letter <= 0 || letter >= OPT_ENGINE ||
		    (sync && letter == r->val && is_sync_letter(letter)))
			continue;
		shorts[k++] = (char)letter;
		if (r->has_arg == required_argument)
			shorts[k++] = ':';
	}
	memset(&longopts[n], 0, sizeof(longopts[n]));
	shorts[k] = '\0';
}

/*
 * The long option a word names (without its "--" and "=value", len
 * bytes), as getopt_long finds it: by its whole name, or by an
 * abbreviation that only it starts with. NULL if none.
 */
static const struct option *long_named(const struct option *l, const char *word,
				       size_t len)
{
	const struct option *hit = NULL;
	unsigned n = 0;

	for (; l->name; l++) {
		if (strncmp(l->name, word, len) != 0)
			continue;
		if (strlen(l->name) == len)
			return l;
		hit = l;
		n++;
	}
	return n == 1 ? hit : NULL;
}

/*
 * Whether --progress=json is in effect, looked at before parsing so that
 * a usage error found on the way is already written as JSON: the last of
 * --progress and --no-progress before "--" wins, among the words that are
 * options (not -S --no-progress's suffix) in the mode (sync).
 */
static bool asks_json(int argc, char **argv, const struct option *longopts,
		      bool sync)
{
	bool json = false;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *w = argv[i], *eq;
		const struct option *l;

		if (takes_next(w, sync)) {
			i++;
			continue;
		}
		if (strncmp(w, "--", 2) != 0)
			continue;
		eq = strchr(w + 2, '=');
		l = long_named(longopts, w + 2,
			       eq ? (size_t)(eq - w - 2) : strlen(w + 2));
		if (l && l->val == OPT_PROGRESS)
			json = eq && is_prefix(eq + 1, "json");
		else if (l && l->val == OPT_NO_PROGRESS)
			json = false;
	}
	return json;
}

/*
 * --tar to a name whose suffix says a compression ucp does not take from
 * a name (x.tar.lzma, X.TAR.GZ): written plain, which the name belies;
 * said, as a warning.
 */
static void warn_plain_archive(const struct ucp_opts *o)
{
	const char *archive = o->operands[o->noperands - 1];
	const char *sfx =
		ucp_tar_unwritten_suffix(o->cfg.tar_compress, archive);
	char *msg = NULL;

	if (!sfx ||
	    ucp_tar_format_for(o->cfg.tar_format, archive) == UCP_TAR_ZIP)
		return;
	if (asprintf(&msg,
		     "'%s': written uncompressed (ucp does not compress for "
		     "'%s'; --compress=ALGO chooses a compression)",
		     qname(archive), sfx) < 0)
		return;
	cli_message("archive", msg, 0, true);
	free(msg);
}

/* A warning: the environment does not stop a run. */
static void bad_env_engine(const char *value)
{
	char msg[256];

	(void)snprintf(msg, sizeof(msg), "ignoring invalid UCP_ENGINE '%s'",
		       qname(value));
	cli_message("usage", msg, 0, true);
}

/* What the options imply, once all are known. */
static void finish(struct ucp_opts *o)
{
	const char *sfx;
	size_t i;

	/* cp --no-preserve=mode: the default mode, not the source's. */
	o->cfg.default_mode = (o->no_preserve & UCP_PRESERVE_MODE) != 0;
	o->cfg.no_owner = (o->no_preserve & UCP_PRESERVE_OWNERSHIP) != 0;
	o->cfg.no_times = (o->no_preserve & UCP_PRESERVE_TIMESTAMPS) != 0;
	o->cfg.no_xattrs = (o->no_preserve & UCP_PRESERVE_XATTR) != 0;
	/*
	 * -q prints errors only: -v's lines and --itemize-changes' too are
	 * left out, as rsync -q leaves them, before or after it.
	 */
	if (o->quiet && o->mode != UCP_CLI_LIST) {
		o->cfg.verbose = false;
		o->cfg.debug = false;
		o->cfg.itemize = false;
	}
	/* -n wins over -u and --update, given before or after (as cp). */
	if (o->no_clobber)
		o->cfg.update = UCP_UPDATE_NONE;
	/* --sync implies -a, less what --no-preserve took away. */
	if (o->cfg.sync.on) {
		o->cfg.recursive = true;
		if (!o->cfg.dereference && !o->cfg.deref_args)
			o->cfg.no_dereference = true;
		o->cfg.preserve |= UCP_PRESERVE_ALL & ~o->no_preserve;
	}
	/*
	 * cp's --strip-trailing-slashes: "link/" names the link again, not
	 * the directory it points to. (Written into argv, which is ours.)
	 */
	if (o->strip_slashes && ((o->mode == UCP_CLI_COPY && !o->cfg.sync.on) ||
				 o->mode == UCP_CLI_TAR))
		for (i = 0; i + !o->cfg.target_dir < o->noperands; i++) {
			char *a = o->operands[i];
			size_t n = strlen(a);

			while (n > 1 && a[n - 1] == '/')
				a[--n] = '\0';
		}
	if (o->cfg.backup != UCP_BACKUP_NONE && !o->cfg.backup_suffix) {
		sfx = getenv("SIMPLE_BACKUP_SUFFIX");
		o->cfg.backup_suffix =
			sfx && *sfx && !strchr(sfx, '/') ? sfx : "~";
	}
}

/* Option row r of getopt_long's answer c (longindex), with optarg. */
static int apply_option(struct ucp_opts *o, const struct opt_row *r, int c,
			int longindex)
{
	o->short_help |= c == 'h' && longindex < 0;
	return apply(o, r, optarg);
}

int ucp_opts_parse(int argc, char **argv, const char *env_engine,
		   struct ucp_opts *o)
{
	struct option longopts[LEN(rows) + 1];
	const struct opt_row *long_rows[LEN(rows) + 1];
	char shorts[2 * LEN(rows) + 2];
	bool sync = sync_given(argc, argv);
	int c, ret, engine, longindex;

	memset(o, 0, sizeof(*o));
	o->cfg.sync.max_delete = -1;
	/* One rule an argument at most, and -F's two. */
	o->rules_cap = (size_t)argc + 2;
	make_getopt(longopts, long_rows, shorts, sync, argc, argv);
	usage_json = asks_json(argc, argv, longopts, sync);
	engine = env_engine && *env_engine
			 ? parse_word(env_engine, engine_names)
			 : (int)UCP_ENGINE_AUTO;
	if (engine >= 0)
		o->cfg.engine = (enum ucp_engine)engine;
	opterr = 0;
	for (;;) {
		optopt = 0;
		longindex = -1;
		c = getopt_long(argc, argv, shorts, longopts, &longindex);
		if (c == -1)
			break;
		if (c == '?' || c == ':')
			return bad_option(c, argv, longopts);
		/*
		 * A long name is its own row: in sync mode --force and
		 * --filter both come back as 'f' (a letter rows share).
		 */
		ret = apply_option(o,
				   longindex >= 0 ? long_rows[longindex]
						  : row_of(c, sync),
				   c, longindex);
		if (ret)
			return ret;
		if (stop_reading(o))
			break;
	}
	o->operands = argv + optind;
	o->noperands = (size_t)(argc - optind);
	/* (Said once -q is known: it silences warnings.) */
	if (engine < 0 && !o->quiet && !o->engine_given)
		bad_env_engine(env_engine);
	if (o->context_given && !o->quiet)
		warn_context();
	finish(o);
	if (o->help || o->version || o->list_options)
		return help_alone(o, argc, argv);
	/*
	 * The options and operands are checked before a rule or list file is
	 * read: one read from standard input waited for its end (a terminal's
	 * Ctrl-D, a producer's exit) before saying what was wrong.
	 */
	ret = check_operands(o);
	if (ret == 0 && o->mode == UCP_CLI_TAR && !o->quiet)
		warn_plain_archive(o);
	if (ret == 0)
		ret = build_filter(o);
	if (ret == 0)
		ret = build_list(o);
	return ret;
}
