/* SPDX-License-Identifier: MIT */
/*
 * options.h: the command line, parsed into a plain struct.
 *
 * The table in options.c is the single source of truth for option names,
 * help text and the hidden --list-options output that the consistency test
 * compares with the man page and the completions, and for what each option
 * sets and which options go together.
 */
#ifndef UCP_OPTIONS_H
#define UCP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ucp.h"

enum ucp_progress_mode {
	UCP_PROGRESS_AUTO,
	UCP_PROGRESS_BAR,
	UCP_PROGRESS_PLAIN,
	UCP_PROGRESS_NONE,
	UCP_PROGRESS_JSON,
	UCP_PROGRESS_ON, /* --progress alone: a bar, or plain lines when stderr
			    is no terminal */
};

/* What the run does: copy, or one of the archive modes. */
enum ucp_cli_mode {
	UCP_CLI_COPY = 0,
	UCP_CLI_TAR,   /* --tar: SRC... ARCHIVE */
	UCP_CLI_UNTAR, /* --untar: ARCHIVE DIR */
	UCP_CLI_LIST,  /* --list: ARCHIVE */
};

struct opt_row;

struct ucp_opts {
	struct ucp_config cfg;
	enum ucp_cli_mode mode;
	enum ucp_progress_mode progress;
	bool quiet;
	bool stats;   /* --stats: a summary on stderr at the end */
	bool no_scan; /* --no-scan: no counting walk for the totals */
	bool help, version, list_options;
	unsigned no_preserve; /* --no-preserve bits still in force */
	bool suffix_given;    /* -S (the suffix is set without it too) */
	bool backup_given;    /* -b or --backup, none included */
	bool context_given;   /* --context=CTX (warned of once -q is known) */
	bool engine_given;    /* --engine: UCP_ENGINE is not looked at */
	bool short_help;      /* -h given (help_alone) */
	bool strip_slashes;   /* --strip-trailing-slashes */
	bool no_clobber;      /* -n, not overridden by a later -i */
	/* The row of the last sync option given (options.c's table). */
	const struct opt_row *sync_only;
	/* ... and of the last one --tar does not take (not a rule). */
	const struct opt_row *sync_not_tar;
	const char *cp_only; /* --sync's message to the last -n, -i or -b */
	struct {
		int opt;	    /* which of --exclude, --filter, ...-from */
		const char *arg;    /* borrowed from argv */
	} * rules;		    /* filter rules in order */
	size_t nrules, rules_cap;   /* rules: allocated at the first one */
	bool from0;		    /* -0: *-from files are NUL-separated */
	unsigned nfilter_F;	    /* -F given so many times */
	unsigned nlink_dest;	    /* --link-dest given so many times */
	unsigned nreflink_dest;	    /* --reflink-dest given so many times */
	struct ucp_filter *filter;  /* built from rules; owned */
	const char *files_from_arg; /* --files-from=FILE */
	const char *stdin_taken;    /* the option that read '-', or NULL */
	struct ucp_pathset *files_from; /* read from it; owned */
	char **operands;		/* borrowed from argv */
	size_t noperands;
};

/*
 * Parse argv into *o. env_engine is UCP_ENGINE's value or NULL (the option
 * wins over it). Returns 0, or 2 after printing a usage error to stderr.
 */
int ucp_opts_parse(int argc, char **argv, const char *env_engine,
		   struct ucp_opts *o);

/* Free what parsing allocated (also after a failed parse). */
void ucp_opts_free(struct ucp_opts *o);

/*
 * A fatal message of the command (operation op, "usage" for the command
 * line; err, when not 0, an errno whose text ends it): "ucp: ..." on
 * stderr, or a JSON error object when --progress=json was asked for.
 */
void ucp_cli_fatal(const char *op, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void ucp_opts_usage(FILE *f);
void ucp_opts_list(FILE *f);

/*
 * Strict number parsers: digits only (and one K/M/G/T suffix for sizes,
 * powers of 1024), no sign, no junk, no overflow. Return 0 or -EINVAL /
 * -ERANGE.
 */
int ucp_parse_size(const char *s, size_t *out);
int ucp_parse_uint(const char *s, unsigned max, unsigned *out);

#endif
