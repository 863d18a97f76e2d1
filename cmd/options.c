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
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum {
	OPT_ENGINE = 256,
	OPT_BUFFER_SIZE,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_VERSION,
	OPT_PRESERVE,
	OPT_UPDATE,
	OPT_REFLINK,
	OPT_SPARSE,
	OPT_REMOVE_DESTINATION,
	OPT_STRIP_TRAILING_SLASHES,
	OPT_NO_PRESERVE,
	OPT_LIST_OPTIONS,
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
	const char *help;
};

static const struct opt_row rows[] = {
	{ "archive", no_argument, 'a', "  -a, --archive",
	  "same as -dR --preserve=all" },
	{ NULL, no_argument, 'd', "  -d",
	  "same as --no-dereference --preserve=links" },
	{ "dereference", no_argument, 'L', "  -L, --dereference",
	  "follow every symbolic link in the sources" },
	{ NULL, no_argument, 'H', "  -H",
	  "follow symbolic links given as operands only" },
	{ "no-dereference", no_argument, 'P', "  -P, --no-dereference",
	  "copy symbolic links as links (default with -r)" },
	{ "force", no_argument, 'f', "  -f, --force",
	  "replace destinations that cannot be opened (always done)" },
	{ "link", no_argument, 'l', "  -l, --link",
	  "hard-link files instead of copying them" },
	{ "no-clobber", no_argument, 'n', "  -n, --no-clobber",
	  "do not replace existing files" },
	{ "one-file-system", no_argument, 'x', "  -x, --one-file-system",
	  "stay on the file systems of the sources" },
	{ "reflink", optional_argument, OPT_REFLINK, "      --reflink[=WHEN]",
	  "share data blocks: auto (default), always, never" },
	{ "sparse", required_argument, OPT_SPARSE, "      --sparse=WHEN",
	  "holes: auto (keep), always (also from zeros), never" },
	{ "remove-destination", no_argument, OPT_REMOVE_DESTINATION,
	  "      --remove-destination",
	  "replace existing files by new ones (always done)" },
	{ "strip-trailing-slashes", no_argument, OPT_STRIP_TRAILING_SLASHES,
	  "      --strip-trailing-slashes",
	  "ignore trailing slashes of sources (always done)" },
	{ "update", optional_argument, OPT_UPDATE, "  -u, --update[=WHEN]",
	  "replace existing files: all, none, or older (-u)" },
	{ NULL, no_argument, 'p', "  -p",
	  "same as --preserve=mode,ownership,timestamps" },
	{ "recursive", no_argument, 'r', "  -r, -R, --recursive",
	  "copy directories recursively" },
	{ "target-directory", required_argument, 't',
	  "  -t, --target-directory=DIR", "copy all SRC arguments into DIR" },
	{ "no-target-directory", no_argument, 'T',
	  "  -T, --no-target-directory", "treat DST as a normal file" },
	{ "verbose", no_argument, 'v', "  -v, --verbose",
	  "print 'src' -> 'dst' for each copied entry" },
	{ "preserve", optional_argument, OPT_PRESERVE,
	  "      --preserve[=ATTRS]",
	  "keep ATTRS: mode, ownership, timestamps, links, xattr, all" },
	{ "no-preserve", required_argument, OPT_NO_PRESERVE,
	  "      --no-preserve=ATTRS", "do not keep ATTRS" },
	{ "quiet", no_argument, 'q', "  -q, --quiet", "print errors only" },
	{ "jobs", required_argument, 'j', "  -j, --jobs=N",
	  "worker threads (default: online CPUs)" },
	{ "engine", required_argument, OPT_ENGINE, "      --engine=ENGINE",
	  "auto, uring or threads (default auto)" },
	{ "buffer-size", required_argument, OPT_BUFFER_SIZE,
	  "      --buffer-size=SIZE", "in-flight buffer budget (default 32M)" },
	{ "progress", optional_argument, OPT_PROGRESS,
	  "      --progress[=WHEN]",
	  "auto, bar, plain or none (default auto)" },
	{ "no-progress", no_argument, OPT_NO_PROGRESS, "      --no-progress",
	  "same as --progress=none" },
	{ "tar", no_argument, OPT_TAR, "      --tar",
	  "write SRC... into the archive named last ('-': stdout)" },
	{ "untar", no_argument, OPT_UNTAR, "      --untar",
	  "extract ARCHIVE ('-': stdin) into DIR" },
	{ "list", no_argument, OPT_LIST, "      --list",
	  "list the members of ARCHIVE (-v: long listing)" },
	{ "format", required_argument, OPT_FORMAT, "      --format=FORMAT",
	  "--tar format: pax (default), ustar, gnutar, cpio, zip" },
	{ "compress", required_argument, OPT_COMPRESS, "      --compress=ALGO",
	  "gzip, bzip2, xz, zstd, lz4, none (default: from suffix)" },
	{ "level", required_argument, OPT_LEVEL, "      --level=N",
	  "compression level for --tar" },
	{ "help", no_argument, 'h', "  -h, --help",
	  "display this help and exit" },
	{ "version", no_argument, OPT_VERSION, "      --version",
	  "output version information and exit" },
	{ "list-options", no_argument, OPT_LIST_OPTIONS, NULL, NULL },
};

static const char short_opts[] = "adfHLPplnrRt:Tuvxqj:h";

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
	fputs("\nThe environment variable UCP_ENGINE sets the default engine.\n"
	      "Exit status: 0 all copied, 1 some entries failed, 2 usage error,\n"
	      "24 only vanished source files, 130/143 interrupted.\n"
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
static const char *const progress_names[] = { "auto", "bar", "plain", "none",
					      NULL };
static const char *const reflink_names[] = { "auto", "always", "never", NULL };
static const char *const sparse_names[] = { "auto", "always", "never", NULL };
static const char *const update_names[] = { "all", "none", "older", NULL };
/* In the order of enum ucp_tar_format and enum ucp_tar_compress. */
static const char *const format_names[] = { "auto", "pax", "ustar", "gnutar",
					    "cpio", "zip", NULL };
static const char *const compress_names[] = { "auto", "none", "gzip", "bzip2",
					      "xz",   "zstd", "lz4",  NULL };

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
	int i = s ? parse_word(s, progress_names) : UCP_PROGRESS_AUTO;

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
	case 'f':
	case OPT_REMOVE_DESTINATION:
	case OPT_STRIP_TRAILING_SLASHES:
		/* What these ask for is what ucp always does; see ucp(1). */
		break;
	case 'l':
		o->cfg.hard_link = true;
		break;
	case 'n':
		o->cfg.update = UCP_UPDATE_NONE;
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
				"invalid attribute list: '%s' (valid: mode, ownership, timestamps, links, xattr, all)",
				arg);
		/* Only a named xattr makes its failures errors, as in cp. */
		if (c == OPT_PRESERVE && arg && strstr(arg, "xattr"))
			o->cfg.xattr_strict = true;
		if (c == OPT_PRESERVE)
			o->cfg.preserve |= bits;
		else
			o->cfg.preserve &= ~bits;
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
				"invalid progress mode: '%s' (valid: auto, bar, plain, none)",
				arg);
		break;
	case OPT_NO_PROGRESS:
		o->progress = UCP_PROGRESS_NONE;
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
	if (o->mode != UCP_CLI_COPY)
		return check_archive_operands(o);
	if (o->cfg.tar_format || o->cfg.tar_compress || o->cfg.tar_level)
		return usage_error(
			"%s", "--format, --compress and --level need --tar");
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

int ucp_opts_parse(int argc, char **argv, const char *env_engine,
		   struct ucp_opts *o)
{
	struct option longopts[sizeof(rows) / sizeof(rows[0]) + 1];
	char shorts[sizeof(short_opts) + 1];
	size_t i, n = 0;
	int c, ret;

	memset(o, 0, sizeof(*o));
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
	if (o->help || o->version || o->list_options)
		return 0;
	return check_operands(o);
}
