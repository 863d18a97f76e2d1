/* SPDX-License-Identifier: MIT */
/*
 * options.c: option table, getopt_long parsing and validation.
 *
 * Parsing and validation are separate: getopt_long fills struct ucp_opts,
 * then operand-count and conflict checks produce one message each. Every
 * usage error prints "ucp: <problem>" and the try-help line and returns 2.
 */
#include "options.h"

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

enum {
	OPT_ENGINE = 256,
	OPT_BUFFER_SIZE,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_NO_SCAN,
	OPT_VERSION,
	OPT_PRESERVE,
	OPT_UPDATE,
	OPT_REFLINK,
	OPT_SPARSE,
	OPT_REMOVE_DESTINATION,
	OPT_STRIP_TRAILING_SLASHES,
	OPT_NO_PRESERVE,
	OPT_LIST_OPTIONS,
	OPT_PARENTS,
	OPT_ATTRIBUTES_ONLY,
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
	OPT_FILES_FROM,
	OPT_STATS,
	OPT_TAR,
	OPT_UNTAR,
	OPT_LIST,
	OPT_FORMAT,
	OPT_COMPRESS,
	OPT_LEVEL,
};

struct opt_row {
	const char *name;
	int has_arg;
	int val;
	const char *usage; /* left column of --help; NULL: hidden */
	const char *help;  /* with usage and name NULL: a group heading */
};

/* A heading of --help; the rows after it, up to the next, belong to it. */
#define GROUP(title)                    \
	{                               \
		NULL, 0, 0, NULL, title \
	}

static const struct opt_row rows[] = {
	GROUP("Copying:"),
	{ "archive", no_argument, 'a', "  -a, --archive",
	  "same as -dR --preserve=all" },
	{ "recursive", no_argument, 'r', "  -r, -R, --recursive",
	  "copy directories recursively" },
	{ "target-directory", required_argument, 't',
	  "  -t, --target-directory=DIR", "copy all SRC arguments into DIR" },
	{ "no-target-directory", no_argument, 'T',
	  "  -T, --no-target-directory", "treat DST as a normal file" },
	{ "parents", no_argument, OPT_PARENTS, "      --parents",
	  "use the full source names under DIR" },
	{ "one-file-system", no_argument, 'x', "  -x, --one-file-system",
	  "stay on the file systems of the sources" },
	{ "link", no_argument, 'l', "  -l, --link",
	  "hard-link files instead of copying them" },
	{ "symbolic-link", no_argument, 's', "  -s, --symbolic-link",
	  "make symbolic links instead of copying" },
	{ "attributes-only", no_argument, OPT_ATTRIBUTES_ONLY,
	  "      --attributes-only", "copy attributes only, not file data" },
	{ "no-clobber", no_argument, 'n', "  -n, --no-clobber",
	  "do not replace existing files (overrides -i)" },
	{ "interactive", no_argument, 'i', "  -i, --interactive",
	  "ask before replacing (overrides an earlier -n)" },
	{ "update", optional_argument, OPT_UPDATE, "  -u, --update[=WHEN]",
	  "replace existing files: all, none, or older (-u)" },
	{ "force", no_argument, 'f', "  -f, --force",
	  "replace unopenable destinations (always done)" },
	{ "remove-destination", no_argument, OPT_REMOVE_DESTINATION,
	  "      --remove-destination",
	  "replace existing files by new ones (always done)" },
	{ "strip-trailing-slashes", no_argument, OPT_STRIP_TRAILING_SLASHES,
	  "      --strip-trailing-slashes",
	  "ignore trailing slashes of sources (always done)" },
	{ "reflink", optional_argument, OPT_REFLINK, "      --reflink[=WHEN]",
	  "share data blocks: auto (default), always, never" },
	{ "sparse", required_argument, OPT_SPARSE, "      --sparse=WHEN",
	  "holes: auto (keep), always (zeros too), never" },
	GROUP("Backups:"),
	{ "backup", optional_argument, OPT_BACKUP, "      --backup[=CONTROL]",
	  "back up replaced files: numbered, existing,\n"
	  "                               simple" },
	{ NULL, no_argument, 'b', "  -b",
	  "like --backup, without an argument" },
	{ "suffix", required_argument, 'S', "  -S, --suffix=SUFFIX",
	  "backup suffix (default ~)" },
	GROUP("Symbolic links:"),
	{ NULL, no_argument, 'd', "  -d",
	  "same as --no-dereference --preserve=links" },
	{ "dereference", no_argument, 'L', "  -L, --dereference",
	  "follow every symbolic link in the sources" },
	{ NULL, no_argument, 'H', "  -H",
	  "follow symbolic links given as operands only" },
	{ "no-dereference", no_argument, 'P', "  -P, --no-dereference",
	  "copy symbolic links as links (default with -r)" },
	GROUP("Attributes:"),
	{ NULL, no_argument, 'p', "  -p",
	  "same as --preserve=mode,ownership,timestamps" },
	{ "preserve", optional_argument, OPT_PRESERVE,
	  "      --preserve[=ATTRS]",
	  "keep ATTRS: mode, ownership, timestamps,\n"
	  "                               links, xattr, context, all" },
	{ "no-preserve", required_argument, OPT_NO_PRESERVE,
	  "      --no-preserve=ATTRS", "do not keep ATTRS" },
	GROUP("Sync mode:"),
	{ "sync", no_argument, OPT_SYNC, "      --sync",
	  "make DST a mirror of directory SRC (implies -a)" },
	{ "delete", no_argument, OPT_DELETE, "      --delete",
	  "--sync: delete what SRC lacks (not after errors)" },
	{ "delete-excluded", no_argument, OPT_DELETE_EXCLUDED,
	  "      --delete-excluded", "--sync: also delete excluded entries" },
	{ "max-delete", required_argument, OPT_MAX_DELETE,
	  "      --max-delete=N", "--sync: delete at most N entries" },
	{ "ignore-errors", no_argument, OPT_IGNORE_ERRORS,
	  "      --ignore-errors", "--sync: delete even after errors" },
	{ "checksum", no_argument, 'c', "  -c, --checksum",
	  "--sync: compare contents, not size and time" },
	{ "size-only", no_argument, OPT_SIZE_ONLY, "      --size-only",
	  "--sync: compare sizes only" },
	{ "modify-window", required_argument, OPT_MODIFY_WINDOW,
	  "      --modify-window=SECONDS", "--sync: times this close match" },
	{ "ignore-existing", no_argument, OPT_IGNORE_EXISTING,
	  "      --ignore-existing", "--sync: leave existing files alone" },
	{ "existing", no_argument, OPT_EXISTING, "      --existing",
	  "--sync: create nothing new" },
	{ "inplace", no_argument, OPT_INPLACE, "      --inplace",
	  "--sync: rewrite changed files in place" },
	{ "fsync", no_argument, OPT_FSYNC, "      --fsync",
	  "--sync: fsync files and changed directories" },
	{ "dry-run", no_argument, OPT_DRY_RUN, "      --dry-run",
	  "--sync: change nothing, report what would change" },
	{ "itemize-changes", no_argument, OPT_ITEMIZE,
	  "      --itemize-changes", "--sync: one line per change" },
	{ "link-dest", required_argument, OPT_LINK_DEST,
	  "      --link-dest=DIR",
	  "--sync: hard-link unchanged files from DIR" },
	{ "reflink-dest", required_argument, OPT_REFLINK_DEST,
	  "      --reflink-dest=DIR",
	  "--sync: clone unchanged files from DIR" },
	{ "exclude", required_argument, OPT_EXCLUDE, "      --exclude=PATTERN",
	  "--sync: skip entries matching PATTERN" },
	{ "include", required_argument, OPT_INCLUDE, "      --include=PATTERN",
	  "--sync: do not skip entries matching PATTERN" },
	{ "exclude-from", required_argument, OPT_EXCLUDE_FROM,
	  "      --exclude-from=FILE", "--sync: exclude patterns from FILE" },
	{ "include-from", required_argument, OPT_INCLUDE_FROM,
	  "      --include-from=FILE", "--sync: include patterns from FILE" },
	{ "files-from", required_argument, OPT_FILES_FROM,
	  "      --files-from=FILE", "--sync: only the paths FILE lists" },
	{ "from0", no_argument, '0', "  -0, --from0",
	  "pattern and list files are NUL-separated" },
	GROUP("Output:"),
	{ "verbose", no_argument, 'v', "  -v, --verbose",
	  "print 'src' -> 'dst' for each copied entry" },
	{ "debug", no_argument, OPT_DEBUG, "      --debug",
	  "say how each file was copied (implies -v)" },
	{ "quiet", no_argument, 'q', "  -q, --quiet", "print errors only" },
	{ "progress", optional_argument, OPT_PROGRESS,
	  "      --progress[=WHEN]",
	  "auto, bar, plain, none or json (default auto)" },
	{ "no-progress", no_argument, OPT_NO_PROGRESS, "      --no-progress",
	  "same as --progress=none" },
	{ "no-scan", no_argument, OPT_NO_SCAN, "      --no-scan",
	  "no counting walk ahead for the progress totals" },
	{ "stats", no_argument, OPT_STATS, "      --stats",
	  "print a summary at the end" },
	GROUP("Performance:"),
	{ "jobs", required_argument, 'j', "  -j, --jobs=N",
	  "worker threads (default: online CPUs)" },
	{ "engine", required_argument, OPT_ENGINE, "      --engine=ENGINE",
	  "auto, uring or threads (default auto)" },
	{ "buffer-size", required_argument, OPT_BUFFER_SIZE,
	  "      --buffer-size=SIZE", "in-flight buffer budget (default 32M)" },
	GROUP("Archives:"),
	{ "tar", no_argument, OPT_TAR, "      --tar",
	  "write SRC... into the archive named last\n"
	  "                               ('-': standard output)" },
	{ "untar", no_argument, OPT_UNTAR, "      --untar",
	  "extract ARCHIVE ('-': stdin) into DIR" },
	{ "list", no_argument, OPT_LIST, "      --list",
	  "list the members of ARCHIVE (-v: long listing)" },
	{ "format", required_argument, OPT_FORMAT, "      --format=FORMAT",
	  "pax (default), ustar, gnutar, cpio, zip" },
	{ "compress", required_argument, OPT_COMPRESS, "      --compress=ALGO",
	  "gzip, bzip2, xz, zstd, lz4, none (default:\n"
	  "                               from the archive's suffix)" },
	{ "level", required_argument, OPT_LEVEL, "      --level=N",
	  "compression level for --tar" },

	GROUP("Information:"),
	{ "help", no_argument, 'h', "  -h, --help",
	  "display this help and exit" },
	{ "version", no_argument, OPT_VERSION, "      --version",
	  "output version information and exit" },
	{ "list-options", no_argument, OPT_LIST_OPTIONS, NULL, NULL },
};

static const char short_opts[] = "0abcdfHiLPplnrRsS:t:Tuvxqj:h";

void ucp_opts_usage(FILE *f)
{
	size_t i;

	fputs("Usage: ucp [OPTION]... [-T] SRC DST\n"
	      "  or:  ucp [OPTION]... SRC... DIR\n"
	      "  or:  ucp [OPTION]... -t DIR SRC...\n"
	      "  or:  ucp --tar [OPTION]... SRC... ARCHIVE\n"
	      "  or:  ucp --untar [OPTION]... ARCHIVE DIR\n"
	      "  or:  ucp --list [-v] ARCHIVE\n"
	      "Copy SRC to DST, or several SRCs into DIR, in parallel.\n\n",
	      f);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].usage)
			fprintf(f, "%-30s %s\n", rows[i].usage, rows[i].help);
		else if (rows[i].help)
			fprintf(f, "%s%s\n", i ? "\n" : "", rows[i].help);
	fputs("\nThe environment variable UCP_ENGINE sets the default engine.\n"
	      "Exit status: 0 all copied, 1 some entries failed, 2 usage error,\n"
	      "24 only vanished source files, 25 --max-delete stopped deleting,\n"
	      "130/143 interrupted.\n"
	      "See ucp(1) for details.\n",
	      f);
}

void ucp_opts_list(FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].usage && rows[i].name)
			fprintf(f, "--%s\n", rows[i].name);
}

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ucp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'ucp --help' for more information.\n", stderr);
	return 2;
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
		const char *units = "KMGT", *u = strchr(units, *end);

		if (!u || end[1] != '\0' || *end == '\0')
			return -EINVAL;
		mul = 1ull << (10 * (u - units + 1));
	}
	if (v > SIZE_MAX / mul)
		return -ERANGE;
	*out = (size_t)(v * mul);
	return 0;
}

/*
 * The index of s in the NULL-terminated names, or -1. Each enum that an
 * option chooses is declared in the same order as its names.
 */
static int parse_word(const char *s, const char *const *names)
{
	int i;

	for (i = 0; s && names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
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
static const struct {
	const char *name;
	enum ucp_backup mode;
} backup_words[] = {
	{ "none", UCP_BACKUP_NONE },	     { "off", UCP_BACKUP_NONE },
	{ "simple", UCP_BACKUP_SIMPLE },     { "never", UCP_BACKUP_SIMPLE },
	{ "existing", UCP_BACKUP_EXISTING }, { "nil", UCP_BACKUP_EXISTING },
	{ "numbered", UCP_BACKUP_NUMBERED }, { "t", UCP_BACKUP_NUMBERED },
};

static int parse_backup(const char *s, enum ucp_backup *b)
{
	size_t i;

	for (i = 0; s && i < sizeof(backup_words) / sizeof(backup_words[0]);
	     i++)
		if (strcmp(s, backup_words[i].name) == 0) {
			*b = backup_words[i].mode;
			return 0;
		}
	return -EINVAL;
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
				   vc);
	return 0;
}

static int parse_engine(const char *s, enum ucp_engine *e)
{
	int i = parse_word(s, engine_names);

	if (i < 0)
		return -EINVAL;
	*e = (enum ucp_engine)i;
	return 0;
}

/* Parse "mode,ownership,..." into UCP_PRESERVE_* bits. */
static int parse_attrs(const char *s, unsigned *bits)
{
	static const struct {
		const char *name;
		unsigned bits;
	} attrs[] = {
		{ "mode", UCP_PRESERVE_MODE },
		{ "ownership", UCP_PRESERVE_OWNERSHIP },
		{ "timestamps", UCP_PRESERVE_TIMESTAMPS },
		{ "links", UCP_PRESERVE_LINKS },
		{ "xattr", UCP_PRESERVE_XATTR },
		{ "context", UCP_PRESERVE_CONTEXT },
		{ "all", UCP_PRESERVE_ALL },
	};
	size_t i, len;

	*bits = 0;
	while (*s) {
		len = strcspn(s, ",");
		for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
			if (strlen(attrs[i].name) == len &&
			    strncmp(s, attrs[i].name, len) == 0)
				break;
		if (i == sizeof(attrs) / sizeof(attrs[0]))
			return -EINVAL;
		*bits |= attrs[i].bits;
		s += len;
		if (*s == ',')
			s++;
	}
	return *bits ? 0 : -EINVAL;
}

static int parse_progress(const char *s, enum ucp_progress_mode *p)
{
	int i = s ? parse_word(s, progress_names) : UCP_PROGRESS_ON;

	if (i < 0)
		return -EINVAL;
	*p = (enum ucp_progress_mode)i;
	return 0;
}

/* Apply one parsed option; returns 0 or 2 after a usage message. */
static int apply(struct ucp_opts *o, int c, const char *arg)
{
	int ret;

	switch (c) {
	case 'r':
	case 'R':
		o->cfg.recursive = true;
		break;
	case 'a':
		o->cfg.recursive = true;
		o->cfg.no_dereference = true;
		o->cfg.dereference = o->cfg.deref_args = false;
		o->cfg.preserve |= UCP_PRESERVE_ALL;
		break;
	case 'd':
		o->cfg.no_dereference = true;
		o->cfg.dereference = o->cfg.deref_args = false;
		o->cfg.preserve |= UCP_PRESERVE_LINKS;
		break;
	case 'P':
		o->cfg.no_dereference = true;
		o->cfg.dereference = o->cfg.deref_args = false;
		break;
	case 'L':
		o->cfg.dereference = true;
		o->cfg.no_dereference = false;
		break;
	case 'H':
		o->cfg.deref_args = true;
		o->cfg.no_dereference = false;
		break;
	case OPT_REMOVE_DESTINATION:
		/* A new file, not a rewrite: it gets the source's mode. */
		o->cfg.remove_destination = true;
		break;
	case 'f':
	case OPT_STRIP_TRAILING_SLASHES:
		/* What these ask for is what ucp always does; see ucp(1). */
		break;
	case 'l':
		o->cfg.hard_link = true;
		break;
	case 'n':
		o->cfg.update = UCP_UPDATE_NONE;
		o->cfg.interactive = false;
		o->cp_only = "-n";
		break;
	case 'i':
		o->cfg.interactive = true;
		o->cp_only = "-i";
		if (o->cfg.update == UCP_UPDATE_NONE)
			o->cfg.update = UCP_UPDATE_ALL;
		break;
	case 's':
		o->cfg.symbolic_link = true;
		break;
	case OPT_PARENTS:
		o->cfg.parents = true;
		break;
	case OPT_ATTRIBUTES_ONLY:
		o->cfg.attributes_only = true;
		break;
	case 'b':
		o->cp_only = "-b";
		return backup_default(&o->cfg.backup);
	case OPT_BACKUP:
		o->cp_only = "-b";
		if (!arg)
			return backup_default(&o->cfg.backup);
		if (parse_backup(arg, &o->cfg.backup) < 0)
			return usage_error(
				"invalid backup type: '%s' (valid: none, numbered, existing, simple)",
				arg);
		break;
	case 'S':
		if (!*arg || strchr(arg, '/'))
			return usage_error("invalid backup suffix: '%s'", arg);
		o->cfg.backup_suffix = arg;
		break;
	case OPT_DEBUG:
		o->cfg.debug = true;
		o->cfg.verbose = true;
		break;
	case OPT_SYNC:
		o->cfg.sync.on = true;
		break;
	case OPT_EXCLUDE:
	case OPT_INCLUDE:
	case OPT_EXCLUDE_FROM:
	case OPT_INCLUDE_FROM:
		/* Built in order once -0 is known (it applies to all files). */
		if (!o->rules) {
			o->rules = calloc(o->rules_cap, sizeof(*o->rules));
			if (!o->rules) {
				fputs("ucp: out of memory\n", stderr);
				return 2;
			}
		}
		o->rules[o->nrules].opt = c;
		o->rules[o->nrules++].arg = arg;
		o->sync_only = c == OPT_EXCLUDE	       ? "--exclude"
			       : c == OPT_INCLUDE      ? "--include"
			       : c == OPT_EXCLUDE_FROM ? "--exclude-from"
						       : "--include-from";
		break;
	case '0':
		o->from0 = true;
		break;
	case OPT_FILES_FROM:
		o->files_from_arg = arg;
		o->sync_only = "--files-from";
		break;
	case OPT_DELETE:
		o->cfg.sync.delete_extraneous = true;
		o->sync_only = "--delete";
		break;
	case OPT_DELETE_EXCLUDED:
		o->cfg.sync.delete_extraneous = true;
		o->cfg.sync.delete_excluded = true;
		o->sync_only = "--delete-excluded";
		break;
	case OPT_MAX_DELETE: {
		unsigned n;

		if (ucp_parse_uint(arg, INT_MAX, &n) < 0)
			return usage_error("invalid --max-delete: '%s'", arg);
		o->cfg.sync.max_delete = n;
		o->sync_only = "--max-delete";
		break;
	}
	case OPT_IGNORE_ERRORS:
		o->cfg.sync.ignore_errors = true;
		o->sync_only = "--ignore-errors";
		break;
	case 'c':
		o->cfg.sync.checksum = true;
		o->sync_only = "--checksum";
		break;
	case OPT_SIZE_ONLY:
		o->cfg.sync.size_only = true;
		o->sync_only = "--size-only";
		break;
	case OPT_MODIFY_WINDOW: {
		unsigned n;

		if (ucp_parse_uint(arg, INT_MAX, &n) < 0)
			return usage_error("invalid --modify-window: '%s'",
					   arg);
		o->cfg.sync.modify_window = (long)n;
		o->sync_only = "--modify-window";
		break;
	}
	case OPT_IGNORE_EXISTING:
		o->cfg.sync.ignore_existing = true;
		o->sync_only = "--ignore-existing";
		break;
	case OPT_EXISTING:
		o->cfg.sync.existing_only = true;
		o->sync_only = "--existing";
		break;
	case OPT_INPLACE:
		o->cfg.sync.inplace = true;
		o->sync_only = "--inplace";
		break;
	case OPT_FSYNC:
		o->cfg.sync.fsync = true;
		o->sync_only = "--fsync";
		break;
	case OPT_DRY_RUN:
		o->cfg.sync.dry_run = true;
		o->sync_only = "--dry-run";
		break;
	case OPT_ITEMIZE:
		o->cfg.itemize = true;
		o->sync_only = "--itemize-changes";
		break;
	case OPT_LINK_DEST:
		o->cfg.sync.link_dest = arg;
		o->sync_only = "--link-dest";
		break;
	case OPT_REFLINK_DEST:
		o->cfg.sync.reflink_dest = arg;
		o->sync_only = "--reflink-dest";
		break;
	case 'x':
		o->cfg.one_file_system = true;
		break;
	case 'u':
		o->cfg.update = UCP_UPDATE_OLDER;
		break;
	case OPT_REFLINK:
		/* A bare --reflink means always, a bare --update older (cp). */
		ret = arg ? parse_word(arg, reflink_names) : UCP_REFLINK_ALWAYS;
		if (ret < 0)
			return usage_error(
				"invalid reflink mode: '%s' (valid: auto, always, never)",
				arg);
		o->cfg.reflink = (enum ucp_reflink)ret;
		break;
	case OPT_SPARSE:
		ret = parse_word(arg, sparse_names);
		if (ret < 0)
			return usage_error(
				"invalid sparse mode: '%s' (valid: auto, always, never)",
				arg);
		o->cfg.sparse = (enum ucp_sparse)ret;
		break;
	case OPT_UPDATE:
		ret = arg ? parse_word(arg, update_names) : UCP_UPDATE_OLDER;
		if (ret < 0)
			return usage_error(
				"invalid update mode: '%s' (valid: all, none, older)",
				arg);
		o->cfg.update = (enum ucp_update)ret;
		if (o->cfg.update == UCP_UPDATE_NONE)
			o->cp_only = "-n";
		break;
	case 'p':
		o->cfg.preserve |= UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP |
				   UCP_PRESERVE_TIMESTAMPS;
		break;
	case OPT_PRESERVE:
	case OPT_NO_PRESERVE: {
		unsigned bits = UCP_PRESERVE_ALL;

		if (arg && parse_attrs(arg, &bits) < 0)
			return usage_error(
				"invalid attribute list: '%s' (valid: mode, ownership, timestamps, links, xattr, context, all)",
				arg);
		/* Only a named xattr makes its failures errors, as in cp. */
		if (c == OPT_PRESERVE && arg &&
		    (strstr(arg, "xattr") || strstr(arg, "context")))
			o->cfg.xattr_strict = true;
		if (c == OPT_PRESERVE) {
			o->cfg.preserve |= bits;
			o->no_preserve &= ~bits;
		} else {
			o->cfg.preserve &= ~bits;
			o->no_preserve |= bits;
		}
		break;
	}
	case 't':
		o->cfg.target_dir = arg;
		break;
	case 'T':
		o->cfg.no_target_dir = true;
		break;
	case 'v':
		o->cfg.verbose = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	case 'j':
		if (ucp_parse_uint(arg, 1024, &o->cfg.jobs) < 0 ||
		    o->cfg.jobs == 0)
			return usage_error("invalid number of jobs: '%s'", arg);
		break;
	case OPT_ENGINE:
		if (parse_engine(arg, &o->cfg.engine) < 0)
			return usage_error(
				"invalid engine: '%s' (valid: auto, uring, threads)",
				arg);
		break;
	case OPT_BUFFER_SIZE:
		if (ucp_parse_size(arg, &o->cfg.buffer_size) < 0 ||
		    o->cfg.buffer_size < (128u << 10))
			return usage_error(
				"invalid buffer size: '%s' (at least 128K)",
				arg);
		break;
	case OPT_PROGRESS:
		if (parse_progress(arg, &o->progress) < 0)
			return usage_error(
				"invalid progress mode: '%s' (valid: auto, bar, plain, none, json)",
				arg);
		break;
	case OPT_NO_PROGRESS:
		o->progress = UCP_PROGRESS_NONE;
		break;
	case OPT_NO_SCAN:
		o->no_scan = true;
		break;
	case OPT_STATS:
		o->stats = true;
		break;
	case OPT_TAR:
	case OPT_UNTAR:
	case OPT_LIST: {
		enum ucp_cli_mode m = c == OPT_TAR     ? UCP_CLI_TAR
				      : c == OPT_UNTAR ? UCP_CLI_UNTAR
						       : UCP_CLI_LIST;

		if (o->mode != UCP_CLI_COPY && o->mode != m)
			return usage_error(
				"%s", "only one of --tar, --untar and --list");
		o->mode = m;
		break;
	}
	case OPT_FORMAT:
		ret = parse_word(arg, format_names);
		if (ret <= 0)
			return usage_error(
				"invalid archive format: '%s' (valid: pax, ustar, gnutar, cpio, zip)",
				arg);
		o->cfg.tar_format = (enum ucp_tar_format)ret;
		break;
	case OPT_COMPRESS:
		ret = parse_word(arg, compress_names);
		if (ret <= 0)
			return usage_error(
				"invalid compression: '%s' (valid: gzip, bzip2, xz, zstd, lz4, none)",
				arg);
		o->cfg.tar_compress = (enum ucp_tar_compress)ret;
		break;
	case OPT_LEVEL: {
		unsigned level;

		if (ucp_parse_uint(arg, 22, &level) < 0)
			return usage_error(
				"invalid compression level: '%s' (0 to 22)",
				arg);
		o->cfg.tar_level = level + 1;
		break;
	}
	case 'h':
		o->help = true;
		break;
	case OPT_VERSION:
		o->version = true;
		break;
	case OPT_LIST_OPTIONS:
		o->list_options = true;
		break;
	default:
		return 2;
	}
	return 0;
}

/* Report what getopt_long did not like, in GNU's words. */
static int bad_option(int c, char **argv)
{
	/* getopt_long has stepped past the offending word. */
	const char *word =
		optind > 0 && argv[optind - 1] ? argv[optind - 1] : "";
	char shortopt[2] = { (char)optopt, '\0' };
	bool is_long = strncmp(word, "--", 2) == 0;
	const char *eq = is_long ? strchr(word, '=') : NULL;

	if (c == ':' && is_long)
		return usage_error("option '%s' requires an argument", word);
	if (c == ':')
		return usage_error("option requires an argument -- '%s'",
				   shortopt);
	if (is_long && eq && optopt)
		return usage_error("option '%.*s' doesn't allow an argument",
				   (int)(eq - word), word);
	if (is_long)
		return usage_error("unrecognized option '%s'", word);
	return usage_error("invalid option -- '%s'", shortopt);
}

/*
 * cp's letters that rsync spells otherwise: in sync mode they would do
 * what a cp user means and not what an rsync user does (-n is rsync's dry
 * run, -i its itemized changes), so they are refused, naming the option
 * that does what was meant.
 */
static int refuse_cp_only(const char *opt)
{
	if (strcmp(opt, "-n") == 0)
		return usage_error(
			"%s",
			"-n (--no-clobber) does not apply to --sync: for a dry run use --dry-run, to keep existing files --ignore-existing");
	if (strcmp(opt, "-i") == 0)
		return usage_error(
			"%s",
			"-i (--interactive) does not apply to --sync: to list the changes use --itemize-changes");
	return usage_error("%s does not apply to --sync", "-b (--backup)");
}

static int check_sync(const struct ucp_opts *o)
{
	if (!o->cfg.sync.on)
		return o->sync_only
			       ? usage_error("%s needs --sync", o->sync_only)
			       : 0;
	if (o->cp_only)
		return refuse_cp_only(o->cp_only);
	if (o->cfg.target_dir || o->cfg.no_target_dir || o->cfg.parents ||
	    o->cfg.hard_link || o->cfg.symbolic_link || o->cfg.attributes_only)
		return usage_error(
			"%s",
			"--sync cannot be combined with -t, -T, --parents, -l, -s or --attributes-only");
	if (o->cfg.sync.link_dest && o->cfg.sync.reflink_dest)
		return usage_error(
			"%s", "choose one of --link-dest and --reflink-dest");
	if (o->cfg.sync.checksum && o->cfg.sync.size_only)
		return usage_error(
			"%s", "--checksum and --size-only exclude each other");
	if (o->noperands != 2)
		return usage_error(
			"%s",
			o->noperands < 2
				? "--sync needs a source and a destination"
				: "--sync takes one source and one destination");
	return 0;
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
		return usage_error("extra operand '%s'", o->operands[1]);
	if (o->mode == UCP_CLI_TAR && o->noperands < 2)
		return usage_error("missing archive operand after '%s'",
				   o->operands[0]);
	if (o->mode == UCP_CLI_UNTAR && o->noperands < 2)
		return usage_error("missing directory operand after '%s'",
				   o->operands[0]);
	if (o->mode == UCP_CLI_UNTAR && o->noperands > 2)
		return usage_error("extra operand '%s'", o->operands[2]);
	return 0;
}

static int check_operands(const struct ucp_opts *o)
{
	int ret;

	if (o->mode != UCP_CLI_COPY && o->cfg.sync.on)
		return usage_error("%s",
				   "--sync does not apply to archive modes");
	if (o->mode != UCP_CLI_COPY)
		return check_archive_operands(o);
	if (o->cfg.tar_format || o->cfg.tar_compress || o->cfg.tar_level)
		return usage_error(
			"%s", "--format, --compress and --level need --tar");
	ret = check_sync(o);

	if (ret)
		return ret;
	if (o->cfg.hard_link && o->cfg.symbolic_link)
		return usage_error("%s",
				   "cannot make both hard and symbolic links");
	if (o->cfg.backup != UCP_BACKUP_NONE &&
	    o->cfg.update == UCP_UPDATE_NONE)
		return usage_error(
			"%s",
			"options --backup and --no-clobber are mutually exclusive");
	if (o->cfg.parents && !o->cfg.target_dir && o->noperands >= 1 &&
	    o->cfg.no_target_dir)
		return usage_error(
			"%s",
			"cannot combine --parents and --no-target-directory (-T)");
	if (o->cfg.target_dir && o->cfg.no_target_dir)
		return usage_error(
			"%s",
			"cannot combine --target-directory (-t) and --no-target-directory (-T)");
	if (o->noperands == 0)
		return usage_error("%s", "missing file operand");
	if (o->noperands == 1 && !o->cfg.target_dir)
		return usage_error(
			"missing destination file operand after '%s'",
			o->operands[0]);
	if (o->cfg.no_target_dir && o->noperands > 2)
		return usage_error("extra operand '%s'", o->operands[2]);
	return 0;
}

/* Build the filter from the rules, in the order given. 0 or 2. */
static int build_filter(struct ucp_opts *o)
{
	struct ucp_filter *f;
	size_t i, line = 0;
	int ret = 0;

	if (!o->nrules)
		return 0;
	if (ucp_filter_new(&f) < 0) {
		fputs("ucp: out of memory\n", stderr);
		return 2;
	}
	o->filter = f;
	o->cfg.sync.filter = f;
	for (i = 0; i < o->nrules && ret == 0; i++) {
		int c = o->rules[i].opt;
		const char *arg = o->rules[i].arg;
		enum ucp_filter_type t =
			c == OPT_INCLUDE || c == OPT_INCLUDE_FROM
				? UCP_FILTER_INCLUDE
				: UCP_FILTER_EXCLUDE;

		if (c == OPT_EXCLUDE || c == OPT_INCLUDE) {
			ret = ucp_filter_add(f, t, arg);
			if (ret < 0)
				return usage_error("invalid pattern '%s': %s",
						   arg, strerror(-ret));
			continue;
		}
		{
			bool std = strcmp(arg, "-") == 0;
			int fd = std ? 0 : open(arg, O_RDONLY | O_CLOEXEC);

			if (fd < 0)
				return usage_error("cannot open '%s': %s", arg,
						   strerror(errno));
			ret = ucp_filter_add_fd(f, t, fd, o->from0, &line);
			if (!std)
				(void)close(fd);
			if (ret < 0 && line)
				return usage_error(
					"%s:%zu: invalid pattern: %s", arg,
					line, strerror(-ret));
			if (ret < 0)
				return usage_error("cannot read '%s': %s", arg,
						   strerror(-ret));
		}
	}
	return 0;
}

/* Read the --files-from list. 0 or 2. */
static int build_list(struct ucp_opts *o)
{
	const char *arg = o->files_from_arg;
	bool std;
	size_t line = 0;
	int fd, ret;

	if (!arg)
		return 0;
	if (ucp_pathset_new(&o->files_from) < 0) {
		fputs("ucp: out of memory\n", stderr);
		return 2;
	}
	o->cfg.sync.files_from = o->files_from;
	std = strcmp(arg, "-") == 0;
	fd = std ? 0 : open(arg, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return usage_error("cannot open '%s': %s", arg,
				   strerror(errno));
	ret = ucp_pathset_add_fd(o->files_from, fd, o->from0, &line);
	if (!std)
		(void)close(fd);
	if (ret < 0 && line)
		return usage_error("%s:%zu: %s", arg, line,
				   ret == -EINVAL
					   ? "a path with '..' is not allowed"
					   : strerror(-ret));
	if (ret < 0)
		return usage_error("cannot read '%s': %s", arg, strerror(-ret));
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

int ucp_opts_parse(int argc, char **argv, const char *env_engine,
		   struct ucp_opts *o)
{
	struct option longopts[sizeof(rows) / sizeof(rows[0]) + 1];
	char shorts[sizeof(short_opts) + 1];
	size_t i, n = 0;
	int c, ret;

	memset(o, 0, sizeof(*o));
	o->cfg.sync.max_delete = -1;
	o->rules_cap = (size_t)argc;
	memset(longopts, 0, sizeof(longopts));
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (!rows[i].name) /* short-only */
			continue;
		longopts[n].name = rows[i].name;
		longopts[n].has_arg = rows[i].has_arg;
		longopts[n].val = rows[i].val;
		n++;
	}
	if (env_engine && *env_engine &&
	    parse_engine(env_engine, &o->cfg.engine) < 0) {
		fprintf(stderr, "ucp: ignoring invalid UCP_ENGINE '%s'\n",
			env_engine);
		o->cfg.engine = UCP_ENGINE_AUTO;
	}
	/* A leading ':' makes getopt report a missing argument as ':'. */
	shorts[0] = ':';
	memcpy(shorts + 1, short_opts, sizeof(short_opts));
	opterr = 0;
	for (;;) {
		optopt = 0;
		c = getopt_long(argc, argv, shorts, longopts, NULL);
		if (c == -1)
			break;
		if (c == '?' || c == ':')
			return bad_option(c, argv);
		ret = apply(o, c, optarg);
		if (ret)
			return ret;
	}
	o->operands = argv + optind;
	o->noperands = (size_t)(argc - optind);
	/* cp --no-preserve=mode: the default mode, not the source's. */
	o->cfg.default_mode = (o->no_preserve & UCP_PRESERVE_MODE) != 0;
	/* --sync implies -a, less what --no-preserve took away. */
	if (o->cfg.sync.on) {
		o->cfg.recursive = true;
		if (!o->cfg.dereference && !o->cfg.deref_args)
			o->cfg.no_dereference = true;
		o->cfg.preserve |= UCP_PRESERVE_ALL & ~o->no_preserve;
	}
	if (o->cfg.backup != UCP_BACKUP_NONE && !o->cfg.backup_suffix) {
		const char *sfx = getenv("SIMPLE_BACKUP_SUFFIX");

		o->cfg.backup_suffix =
			sfx && *sfx && !strchr(sfx, '/') ? sfx : "~";
	}
	if (o->help || o->version || o->list_options)
		return 0;
	ret = build_filter(o);
	if (ret)
		return ret;
	ret = build_list(o);
	if (ret)
		return ret;
	return check_operands(o);
}
