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

#include "ucp.h"

/* Longest pattern accepted, in bytes (longer: -ENAMETOOLONG). */
#define UCP_FILTER_PATTERN_MAX 4096

/* The rule types and the building functions are in ucp.h (cmd/ builds
 * filters); matching is the engine's. */

/*
 * The type of the first rule matching relpath (len bytes, need not be
 * NUL-terminated; the entry is a directory when is_dir), or
 * UCP_FILTER_NONE. The empty path (the transfer root) matches no rule.
 */
enum ucp_filter_type ucp_filter_match(const struct ucp_filter *f,
				      const char *relpath, size_t len,
				      bool is_dir);

#endif
