/* SPDX-License-Identifier: MIT */
/*
 * filter.h: include/exclude rules (--include, --exclude, --include-from,
 * --exclude-from, --filter), with rsync's basic pattern rules and its
 * filter rule syntax.
 *
 * A filter is an ordered list of rules; the first rule whose pattern
 * matches a path decides, and a path that no rule matches is included.
 * Paths are relative to the transfer root: no leading '/', components
 * separated by single '/', "a/b/c". The caller applies the filter to every
 * entry as it walks, and does not descend into an excluded directory, so an
 * exclude of "build/" hides everything under every directory named build.
 *
 * Patterns (man/ucp.1, FILTER RULES, says the same for users):
 *   - no '/' except a trailing one: matches the final component, anywhere;
 *   - an inner '/': matches the end of the path, starting at a component
 *     boundary ("foo/bar" matches "foo/bar" and "x/foo/bar", not
 *     "xfoo/bar");
 *   - a leading '/': anchored, matches the whole path from the root;
 *   - a trailing '/': matches directories only;
 *   - '*' any run of bytes except '/'; '**' any run including '/'; '?' one
 *     byte except '/'; "[a-z]", "[!a-z]", "[^a-z]" and "[[:digit:]]" one
 *     byte of a class (never '/'); '\' makes the next byte literal;
 *   - a pattern that starts with "**" is matched as if the path began with
 *     '/': "**" followed by "/foo" also matches a top-level "foo";
 *   - "dir" then '/' and "***" (rsync's trailing "***") matches the
 *     directory dir and everything below it;
 *   - a pattern with none of '*', '?', '[' is a plain string: its
 *     backslashes are literal bytes (rsync's rule);
 *   - repeated '/' count as one.
 * Matching works on bytes, so names with newlines or invalid UTF-8 match
 * like any others; classes such as [:alpha:] are ASCII-only. It takes time
 * proportional to path length times pattern length at worst, whatever the
 * pattern: no backtracking blow-up.
 *
 * Memory grows with the number and length of rules only. A filter is built
 * by one thread, then ucp_filter_match may be called from any number of
 * threads at once: it neither allocates nor writes.
 */
#ifndef UCP_FILTER_H
#define UCP_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "types.h"

/* Longest pattern accepted, in bytes (longer: -ENAMETOOLONG). */
#define UCP_FILTER_PATTERN_MAX 4096

/* Create an empty filter (matches nothing). 0 or -ENOMEM. */
int ucp_filter_new(struct ucp_filter **out);
/* Free f and its rules; NULL is a no-op. */
void ucp_filter_free(struct ucp_filter *f);

/*
 * Append one rule (type INCLUDE or EXCLUDE) with pattern (borrowed; the
 * filter keeps its own compiled copy). Returns 0, -EINVAL for a bad pattern
 * (empty, only slashes, an unterminated '[' class, an unknown [:name:], a
 * trailing lone '\' in a wildcard pattern), -ENAMETOOLONG when longer than
 * UCP_FILTER_PATTERN_MAX, or -ENOMEM. On error f is unchanged.
 */
int ucp_filter_add(struct ucp_filter *f, enum ucp_filter_type type,
		   const char *pattern);

/*
 * Append the rules read from fd (borrowed; read to its end, not closed),
 * one pattern per line, or per NUL-terminated entry when from0 (the
 * reader of fileslist.h, which also bounds the length of an entry).
 * Without from0, blank lines and lines starting with '#' or ';' are
 * skipped. Each entry is added with ucp_filter_add_prefixed, as rsync's
 * --exclude-from does.
 *
 * Returns 0, or the first error: a bad pattern (as ucp_filter_add), a
 * too-long entry, or a read error; *line (may be NULL) is then the 1-based
 * line (or entry) number, 0 for an error not tied to an entry. Rules read
 * before the error stay in f.
 */
int ucp_filter_add_fd(struct ucp_filter *f, enum ucp_filter_type type, int fd,
		      bool from0, size_t *line);

/*
 * Like ucp_filter_add, but as rsync takes --include and --exclude: a
 * pattern starting with "+ " is an include and one starting with "- " an
 * exclude whatever type says, and "!" removes every rule added so far.
 */
int ucp_filter_add_prefixed(struct ucp_filter *f, enum ucp_filter_type type,
			    const char *pattern);

/*
 * Rules, as rsync's --filter writes them: a name, long or one letter, then
 * modifiers (after a ',' for a long name), one space or '_', and the
 * pattern or file name:
 *   "- PAT"  "exclude PAT"    exclude (both sides; see below)
 *   "+ PAT"  "include PAT"    include
 *   "H PAT"  "hide PAT"       exclude on the sending side only
 *   "S PAT"  "show PAT"       include on the sending side only
 *   "P PAT"  "protect PAT"    exclude on the receiving side only
 *   "R PAT"  "risk PAT"       include on the receiving side only
 *   "!"      "clear"          remove the rules so far
 *   ". FILE" "merge FILE"     the rules of FILE, here (the caller reads it)
 *   ": NAME" "dir-merge NAME" the rules of file NAME of each directory
 * Modifiers: 's' and 'r' (of '-' and '+': that side only); of the merges
 * '+' and '-' (FILE holds patterns of that type, not rules), 'e' (exclude
 * NAME too); of dir-merge 'n' (its rules are not inherited) and 's', 'r'
 * (its rules apply to that side). An unknown name or modifier is
 * -EBADMSG, a rule without its pattern -ENODATA.
 *
 * The sending side decides what is copied; the receiving side what
 * --delete may remove: an entry it excludes is kept (see
 * enum ucp_filter_side).
 *
 * Returns 0, or 1 for a merge rule: merge (NULL: -EOPNOTSUPP) then says
 * which file to read and how, and the caller reads it with
 * ucp_filter_add_fd. A per-directory merge file may hold no merge rule of
 * either kind (-EOPNOTSUPP). Otherwise as ucp_filter_add.
 */
struct ucp_filter_merge {
	const char *name;	   /* in the rule's string */
	enum ucp_filter_type type; /* NONE: rules, as in the file's lines */
};
int ucp_filter_add_rule(struct ucp_filter *f, const char *rule,
			struct ucp_filter_merge *merge);

/*
 * The same for the merge file m that ucp_filter_add_rule asked for: each
 * entry a rule (with ucp_filter_add_rule), or with m->type a plain pattern
 * of that type ("+ " and "!" are not special then). Errors as
 * ucp_filter_add_fd, and as ucp_filter_add_rule for a bad rule.
 */
int ucp_filter_merge_fd(struct ucp_filter *f, const struct ucp_filter_merge *m,
			int fd, bool from0, size_t *line);

/* Number of rules in f (0: matching can be skipped altogether). */
size_t ucp_filter_count(const struct ucp_filter *f);

/* cmd/ builds filters (through ucp.h) with the functions above; matching
 * is the engine's. The rule types are in types.h. */

/* Which rules count: the side of the run that asks. */
enum ucp_filter_side {
	UCP_FILTER_SENDER,    /* what is copied: all but P and R */
	UCP_FILTER_RECEIVER,  /* what --delete spares: all but H and S */
	UCP_FILTER_PROTECTED, /* the same under --delete-excluded, whose
				 include and exclude rules are the sending
				 side's only: P, R and 'r' rules */
};
/* Bits of a rule's sides ('s', 'r'). */
#define UCP_FILTER_SIDE_SEND 0x1u
#define UCP_FILTER_SIDE_RECV 0x2u

/*
 * Per-directory rules (dir-merge): the rules read from the merge files of
 * one directory, one list per dir-merge rule, and up, the nearest
 * ancestor's (borrowed: it must outlive this one). Rules from the nearest
 * directory come first, then the inherited ones; anchored patterns are
 * anchored at the directory of their file.
 */
struct ucp_filter_dir;

/* Number of dir-merge rules in f (0: no directory has rules of its own). */
size_t ucp_filter_merges(const struct ucp_filter *f);

/* Where a merge file was bad: its name (of the rule) and line. */
struct ucp_filter_dir_error {
	const char *name;
	size_t line; /* 0: not a line's fault */
};

/*
 * Read the merge files of f's dir-merge rules from directory dirfd
 * (borrowed), whose path relative to the root takes base bytes with its
 * trailing '/' (0 for the root). *out is NULL when there is none. Returns
 * 0, or -errno with *err filled in (a bad rule: as ucp_filter_add_rule).
 */
int ucp_filter_dir_load(const struct ucp_filter *f,
			const struct ucp_filter_dir *up, int dirfd, size_t base,
			struct ucp_filter_dir **out,
			struct ucp_filter_dir_error *err);
/*
 * The same, each merge file read from the directory pick(arg, name)
 * returns (borrowed), or from none when it returns -1: --delete's rules
 * come from the destination for a merge file that is not copied there.
 */
typedef int (*ucp_filter_pick_fn)(void *arg, const char *name);
int ucp_filter_dir_load_with(const struct ucp_filter *f,
			     const struct ucp_filter_dir *up,
			     ucp_filter_pick_fn pick, void *arg, size_t base,
			     struct ucp_filter_dir **out,
			     struct ucp_filter_dir_error *err);
/* NULL is a no-op. */
void ucp_filter_dir_free(struct ucp_filter_dir *d);

/*
 * What is wrong with a rule that ucp_filter_add_rule or a rule file's
 * line refused with -err: "unknown filter rule", "invalid pattern"...
 */
const char *ucp_filter_fault(int err);

/*
 * The type of the first rule of f counting on side that matches relpath
 * (len bytes, need not be NUL-terminated; the entry is a directory when
 * is_dir), or UCP_FILTER_NONE. dir (may be NULL) holds the per-directory
 * rules of the entry's directory, or the nearest ancestor's that has some.
 * The empty path (the transfer root) matches no rule.
 */
enum ucp_filter_type ucp_filter_match_in(const struct ucp_filter *f,
					 const struct ucp_filter_dir *dir,
					 const char *relpath, size_t len,
					 bool is_dir,
					 enum ucp_filter_side side);

/* ucp_filter_match_in without per-directory rules, for the sender. */
enum ucp_filter_type ucp_filter_match(const struct ucp_filter *f,
				      const char *relpath, size_t len,
				      bool is_dir);

#endif
