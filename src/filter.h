/* SPDX-License-Identifier: MIT */
/*
 * filter.h: include/exclude rules (--include, --exclude, --include-from,
 * --exclude-from), with rsync's basic pattern rules.
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
 * skipped. Like rsync's --exclude-from: an entry starting with "+ " is an
 * include and one starting with "- " an exclude whatever type says, and an
 * entry that is just "!" removes every rule added so far.
 *
 * Returns 0, or the first error: a bad pattern (as ucp_filter_add), a
 * too-long entry, or a read error; *line (may be NULL) is then the 1-based
 * line (or entry) number, 0 for an error not tied to an entry. Rules read
 * before the error stay in f.
 */
int ucp_filter_add_fd(struct ucp_filter *f, enum ucp_filter_type type, int fd,
		      bool from0, size_t *line);

/* Number of rules in f (0: matching can be skipped altogether). */
size_t ucp_filter_count(const struct ucp_filter *f);

/* cmd/ builds filters (through ucp.h) with the functions above; matching
 * is the engine's. The rule types are in types.h. */

/*
 * The type of the first rule matching relpath (len bytes, need not be
 * NUL-terminated; the entry is a directory when is_dir), or
 * UCP_FILTER_NONE. The empty path (the transfer root) matches no rule.
 */
enum ucp_filter_type ucp_filter_match(const struct ucp_filter *f,
				      const char *relpath, size_t len,
				      bool is_dir);

#endif
