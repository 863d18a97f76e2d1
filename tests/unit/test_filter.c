/* SPDX-License-Identifier: MIT */
/*
 * test_filter.c: include/exclude rules. The table cases marked "rsync"
 * were checked against rsync 3.x (rsync -rn --debug=FILTER); random
 * patterns are checked against fnmatch(3) and a naive reference matcher.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filter.h"

#define INC UCP_FILTER_INCLUDE
#define EXC UCP_FILTER_EXCLUDE
#define NONE UCP_FILTER_NONE

static enum ucp_filter_type match(const struct ucp_filter *f, const char *path,
				  bool is_dir)
{
	return ucp_filter_match(f, path, strlen(path), is_dir);
}

/* Does pattern alone exclude path? */
static bool excludes(const char *pattern, const char *path, bool is_dir)
{
	struct ucp_filter *f;
	enum ucp_filter_type t;

	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add(f, EXC, pattern), 0);
	t = match(f, path, is_dir);
	ucp_filter_free(f);
	assert_true(t == EXC || t == NONE);
	return t == EXC;
}

struct mcase {
	const char *pattern;
	const char *path;
	bool is_dir;
	bool match;
};

static void check_cases(const struct mcase *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		bool got = excludes(c[i].pattern, c[i].path, c[i].is_dir);

		if (got != c[i].match)
			fail_msg("pattern '%s' path '%s'%s: got %s",
				 c[i].pattern, c[i].path,
				 c[i].is_dir ? " (dir)" : "",
				 got ? "match" : "no match");
	}
}

#define CHECK(cases) check_cases(cases, sizeof(cases) / sizeof(cases[0]))

static void filter_plain_names(void **state)
{
	static const struct mcase cases[] = {
		/* No '/': the final component, at any depth. */
		{ "foo", "foo", false, true },
		{ "foo", "a/foo", false, true },
		{ "foo", "a/b/foo", true, true },
		{ "foo", "afoo", false, false },
		{ "foo", "foox", false, false },
		{ "foo", "foo/a", false, false },
		{ "foo", "a/foo/b", false, false },
		/* An inner '/': the path's end, from a component boundary. */
		{ "sub/g", "dir/sub/g", false, true }, /* rsync */
		{ "foo/bar", "foo/bar", false, true },
		{ "foo/bar", "x/y/foo/bar", false, true },
		{ "foo/bar", "xfoo/bar", false, false },
		{ "foo/bar", "foo/bar/x", false, false },
		{ "foo/bar", "bar", false, false },
		/* A leading '/': the whole path. */
		{ "/foo", "foo", false, true },
		{ "/foo", "a/foo", false, false },
		{ "/a/b", "a/b", false, true },
		{ "/a/b", "x/a/b", false, false },
		{ "//a//b", "a/b", false, true },
		/* A trailing '/': directories only. */
		{ "foo/", "foo", true, true },
		{ "foo/", "foo", false, false },
		{ "foo/", "a/foo", true, true },
		{ "a/dir/", "a/dir", true, true }, /* rsync */
		{ "/a/", "x/a", true, false },
		/* Plain strings keep their backslashes (rsync). */
		{ "b\\c", "b\\c", false, true },
		{ "b\\c", "bc", false, false },
	};

	(void)state;
	CHECK(cases);
}

static void filter_wildcards(void **state)
{
	static const struct mcase cases[] = {
		{ "*.o", "a.o", false, true },
		{ "*.o", "x/y/a.o", false, true },
		{ "*.o", ".o", false, true },
		{ "*.o", "a.c", false, false },
		{ "*.o", "a.o/b", false, false },
		{ "*", "anything", false, true },
		{ "*", "a/b/c", false, true },
		{ "/*", "a", false, true },
		{ "/*", "a/b", false, false },
		{ "a*b", "ab", false, true },
		{ "a*b", "axxb", false, true },
		{ "a*b", "a/b", false, false },
		{ "x/*", "x/dir", false, true }, /* rsync */
		{ "x/*", "q/x/y", false, true },
		{ "x/*", "x/y/z", false, false },
		{ "a/*/", "a/dir", true, true }, /* rsync */
		{ "foo/*/bar", "foo/x/bar", false, true },
		{ "foo/*/bar", "foo/x/y/bar", false, false },
		{ "?", "a", false, true },
		{ "?", "ab", false, false },
		{ "a?c", "abc", false, true },
		{ "a?c", "a/c", false, false },
		{ "*a*a*", "baab", false, true },
		{ "*a*a*", "bab", false, false },
		{ "*.tar.*", "x.tar.gz", false, true },
		{ "*.*.*", "a.b", false, false },
		{ "/*/*.c", "src/x.c", false, true },
		{ "/*/*.c", "src/y/x.c", false, false },
		{ "*/x", "a/x", false, true },
		{ "*/x", "x", false, false },
	};

	(void)state;
	CHECK(cases);
}

static void filter_double_star(void **state)
{
	static const struct mcase cases[] = {
		{ "a/**/f", "a/dir/f", false, true }, /* rsync */
		{ "a/**/f", "a/b/c/d/f", false, true },
		{ "a/**/f", "a/f", false, false }, /* rsync */
		{ "a/**/f", "x/a/b/f", false, true },
		{ "a/**/f", "xa/b/f", false, false },
		{ "**/foo", "foo", false, true }, /* rsync */
		{ "**/foo", "a/foo", false, true },
		{ "**/foo", "a/xfoo", false, false },
		{ "**f", "f", false, true }, /* rsync */
		{ "**f", "a/dir/f", false, true },
		{ "**f", "a/xf", false, true },
		{ "/**/f", "a/f", false, true },   /* rsync */
		{ "/**/f", "f", false, false },	   /* rsync */
		{ "foo**", "foo", false, true },   /* rsync */
		{ "foo**", "a/foo", false, true }, /* rsync */
		{ "foo**", "a/foobar/x", false, true },
		{ "foo**", "a/xfoo", false, false },
		{ "**/dir/*", "a/dir/f", false, true }, /* rsync */
		{ "**/dir/*", "dir/sub", true, true },	/* rsync */
		{ "**/dir/*", "dir/sub/g", false, false },
		{ "/foo/**", "foo/a/b", false, true },
		{ "/foo/**", "foo", true, false },
		{ "/foo/**", "x/foo/a", false, false },
		{ "**", "a/b", false, true },
		{ "a**b", "a/x/b", false, true },
		{ "a**b", "a/x/c", false, false },
		{ "**/*.c", "a/b/c.c", false, true },
		{ "**/*.c", "c.c", false, true },
		{ "**/*.c", "a/b.c/d", false, false },
		/* "***" in the middle is just "**". */
		{ "a***b", "a/x/b", false, true },
	};

	(void)state;
	CHECK(cases);
}

/* rsync's trailing "***": the directory itself and all below it. */
static void filter_triple_star(void **state)
{
	static const struct mcase cases[] = {
		{ "dir/***", "dir", true, true },     /* rsync */
		{ "dir/***", "a/dir", true, true },   /* rsync */
		{ "dir/***", "x/dir", false, false }, /* rsync: a file */
		{ "dir/***", "dir/sub", true, true },
		{ "dir/***", "dir/sub/g", false, true },
		{ "dir/***", "a/dir/f", false, true },
		{ "dir/***", "dirx", true, false },
		{ "dir/***", "xdir/f", false, false },
		{ "/dir/***", "dir/f", false, true },
		{ "/dir/***", "a/dir/f", false, false },
		{ "/dir/***", "dir", true, true },
		{ "d*/***", "dx", true, true },
		{ "d*/***", "dx/y/z", false, true },
	};

	(void)state;
	CHECK(cases);
}

static void filter_classes_and_escapes(void **state)
{
	static const struct mcase cases[] = {
		{ "[abc]", "b", false, true },
		{ "[abc]", "d", false, false },
		{ "[a-c]x", "bx", false, true },
		{ "[a-c]x", "dx", false, false },
		{ "[!a]", "b", false, true },
		{ "[!a]", "a", false, false },
		{ "[^a]", "b", false, true },
		{ "[^a]", "a", false, false },
		{ "[]a]", "a", true, true }, /* rsync */
		{ "[]a]", "]", false, true },
		{ "[!]]", "]", false, false },
		{ "[!]]", "x", false, true },
		{ "x[a-]", "x-", false, true },
		{ "[a\\]]", "]", false, true },
		{ "[[:digit:]]*", "7up", false, true },
		{ "[[:digit:]]*", "up", false, false },
		{ "[[:alpha:][:digit:]]", "Z", false, true },
		{ "[[:upper:]]", "z", false, false },
		{ "[[:space:]]", " ", false, true },
		{ "[[:xdigit:]]", "F", false, true },
		{ "[[:punct:]]", "_", false, true },
		/* Classes work on bytes; none matches '/'. */
		{ "a[/]b", "a/b", false, false }, /* rsync */
		{ "a[!x]b", "a/b", false, false },
		{ "/a[!x]b", "a/b", false, false },
		{ "*[\x80-\xff]", "caf\xc3\xa9", false, true },
		{ "[[:alpha:]]", "\xe9", false, false },
		{ "[!a]", "\xff", false, true },
		/* With a wildcard, '\' quotes the next byte. */
		{ "a\\*", "a*", false, true }, /* rsync */
		{ "a\\*", "ab", false, false },
		{ "b\\\\c*", "b\\c", false, true }, /* rsync */
		{ "\\?*", "?x", false, true },
		{ "\\?*", "ax", false, false },
		{ "\\[*", "[x", false, true },
	};

	(void)state;
	CHECK(cases);
}

/* Newlines, invalid UTF-8 and other bytes are just bytes. */
static void filter_odd_bytes(void **state)
{
	static const struct mcase cases[] = {
		{ "a\nb", "x/a\nb", false, true },
		{ "*\n*", "line1\nline2", false, true },
		{ "*\n*", "line", false, false },
		{ "*.\xff", "x/f.\xff", false, true },
		{ "??", "\xc3\xa9", false, true },
		{ "?", "\xc3\xa9", false, false },
		{ "\x01*", "\x01\x02", false, true },
		{ "* *", "a b", false, true },
	};
	struct ucp_filter *f;
	const char path[] = "dir/file.o.bak";

	(void)state;
	CHECK(cases);
	/* The path is len bytes, not up to a NUL. */
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add(f, EXC, "*.o"), 0);
	assert_int_equal(ucp_filter_match(f, path, 10, false), EXC);
	assert_int_equal(ucp_filter_match(f, path, 11, false), NONE);
	assert_int_equal(ucp_filter_match(f, path, sizeof(path) - 1, false),
			 NONE);
	ucp_filter_free(f);
}

static void filter_first_match_wins(void **state)
{
	struct ucp_filter *f;

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_count(f), 0);
	assert_int_equal(match(f, "a.c", false), NONE);
	assert_int_equal(ucp_filter_add(f, INC, "*/"), 0);
	assert_int_equal(ucp_filter_add(f, INC, "*.c"), 0);
	assert_int_equal(ucp_filter_add(f, EXC, "*"), 0);
	assert_int_equal(ucp_filter_count(f), 3);
	assert_int_equal(match(f, "src", true), INC);
	assert_int_equal(match(f, "src/a.c", false), INC);
	assert_int_equal(match(f, "src/a.o", false), EXC);
	/* The transfer root matches nothing. */
	assert_int_equal(ucp_filter_match(f, "", 0, true), NONE);
	ucp_filter_free(f);

	/* The same rules in the other order: the exclude hides all. */
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add(f, EXC, "*"), 0);
	assert_int_equal(ucp_filter_add(f, INC, "*.c"), 0);
	assert_int_equal(match(f, "a.c", false), EXC);
	ucp_filter_free(f);

	/* Nothing matches: NONE, which the caller treats as included. */
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add(f, EXC, "*.o"), 0);
	assert_int_equal(ucp_filter_add(f, INC, "keep/"), 0);
	assert_int_equal(match(f, "a.c", false), NONE);
	assert_int_equal(match(f, "keep", false), NONE);
	assert_int_equal(match(f, "keep", true), INC);
	ucp_filter_free(f);
	ucp_filter_free(NULL);
}

static void filter_rejects_bad_patterns(void **state)
{
	static const char *const bad[] = {
		"",	 "/",	   "//",  "[abc", "[",		 "*[",
		"[!",	 "[]",	   "*\\", "[a\\", "[[:bogus:]]", "[[:alpha:]",
		"[z-a]", "x[a-\\", "**[",
	};
	struct ucp_filter *f;
	char *big;
	size_t i;

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ucp_filter_add(f, EXC, bad[i]) != -EINVAL)
			fail_msg("pattern '%s' accepted", bad[i]);
	}
	assert_int_equal(ucp_filter_add(f, NONE, "x"), -EINVAL);
	/* Nothing was added by the failures. */
	assert_int_equal(ucp_filter_count(f), 0);
	/* A plain string may end with '\' (it is literal there). */
	assert_int_equal(ucp_filter_add(f, EXC, "a\\"), 0);
	assert_int_equal(match(f, "a\\", false), EXC);

	big = malloc(UCP_FILTER_PATTERN_MAX + 2);
	assert_non_null(big);
	memset(big, 'a', UCP_FILTER_PATTERN_MAX + 1);
	big[UCP_FILTER_PATTERN_MAX + 1] = '\0';
	assert_int_equal(ucp_filter_add(f, EXC, big), -ENAMETOOLONG);
	/* The longest pattern is fine, and "**" in it uses every state. */
	big[0] = '*';
	big[1] = '*';
	big[UCP_FILTER_PATTERN_MAX] = '\0';
	assert_int_equal(ucp_filter_add(f, INC, big), 0);
	assert_int_equal(match(f, big + 2, false), INC);
	big[UCP_FILTER_PATTERN_MAX - 1] = 'b';
	assert_int_equal(match(f, big + 2, false), NONE);
	ucp_filter_free(f);
	free(big);
}

/* Paths and patterns deeper than the matcher's cache of 16 components. */
static void filter_deep_paths(void **state)
{
	char path[256], glob[256], lit[256], more[300];
	size_t plen = 0, glen = 0, llen = 0, k;

	(void)state;
	/* path c0/c1/.../c29, glob "c1?/c*" repeated, lit "c10/.../c29" */
	for (k = 0; k < 30; k++)
		plen += (size_t)snprintf(path + plen, sizeof(path) - plen,
					 "%sc%zu", k ? "/" : "", k);
	for (k = 10; k < 30; k++) {
		glen += (size_t)snprintf(glob + glen, sizeof(glob) - glen,
					 "%s%s", k > 10 ? "/" : "",
					 k < 20 ? "c1?" : "c*");
		llen += (size_t)snprintf(lit + llen, sizeof(lit) - llen,
					 "%sc%zu", k > 10 ? "/" : "", k);
	}
	assert_true(excludes(glob, path, false));
	assert_true(excludes(lit, path, false));
	/* One component fewer still matches the end of the path... */
	assert_true(excludes(glob + 4, path, false));
	assert_true(excludes(lit + 4, path, false));
	/* ...one more that does not fit never does. */
	snprintf(more, sizeof(more), "c1?/%s", glob);
	assert_false(excludes(more, path, false));
	snprintf(more, sizeof(more), "x/%s", lit);
	assert_false(excludes(more, path, false));
	/* Anchored, the same patterns need the whole path. */
	glob[0] = '/';
	assert_false(excludes(glob, path, false));
	/* A path shallower than the pattern. */
	assert_false(excludes(lit, "c29", false));
	assert_false(excludes("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/*",
			      "b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t", false));
	assert_true(excludes("a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/*",
			     "z/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t",
			     false));
}

/* A star on the last state of a 64-bit word enables the next word's. */
static void filter_long_nfa_patterns(void **state)
{
	char pattern[256], path[256];
	size_t k;

	(void)state;
	/* Tokens: "**" is 0, the a's 1..62, '*' is 63, 'b' is 64. */
	memcpy(pattern, "**", 2);
	memset(pattern + 2, 'a', 62);
	memcpy(pattern + 64, "*b", 3);
	memset(path, 'a', 62);
	memcpy(path + 62, "b", 2);
	assert_true(excludes(pattern, path, false));
	memcpy(path + 62, "xyzb", 5);
	assert_true(excludes(pattern, path, false));
	memcpy(path + 62, "x/b", 4);
	assert_false(excludes(pattern, path, false));
	/* The same at every word edge up to 4 words. */
	for (k = 1; k < 4; k++) {
		size_t n = 64 * k - 2;

		memcpy(pattern, "**", 2);
		memset(pattern + 2, 'a', n);
		memcpy(pattern + 2 + n, "*b", 3);
		memset(path, 'a', n);
		memcpy(path + n, "b", 2);
		assert_true(excludes(pattern, path, false));
	}
}

/*
 * Patterns that make a backtracking matcher take exponential time finish
 * here (the test would hang otherwise); no timing is asserted.
 */
static void filter_no_exponential_backtracking(void **state)
{
	static const char *const patterns[] = {
		"*a*a*a*a*a*a*a*a*a*a*a*a*b",
		"**a**a**a**a**a**a**a**a**b",
		"/**a*a**a*a**a*a**a*a**b",
		"*?*?*?*?*?*?*?*?*?*?*?*?*b",
		"[a]*[a]*[a]*[a]*[a]*[a]*[a]*[a]*[b]",
	};
	size_t n = 4000, i, p;
	char *path = malloc(n + 1);

	(void)state;
	assert_non_null(path);
	for (p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++) {
		/* One long name, then a deep path of short ones. */
		memset(path, 'a', n);
		path[n] = '\0';
		assert_false(excludes(patterns[p], path, false));
		for (i = 1; i < n; i += 2)
			path[i] = '/';
		assert_false(excludes(patterns[p], path, false));
	}
	memset(path, 'a', n);
	path[n - 1] = 'b';
	assert_true(excludes(patterns[0], path, false));
	assert_true(excludes(patterns[1], path, false));
	free(path);
}

/* ---- random patterns against references ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* Match class "[ab]" or "[!a]" at p against byte c; *len = its length. */
static bool ref_class(const char *p, char c, size_t *len)
{
	if (p[1] == '!') {
		*len = 4;
		return c != '/' && c != p[2];
	}
	*len = 4;
	return c == p[1] || c == p[2];
}

/*
 * The obvious recursive matcher, exponential but fine on short strings:
 * does all of s match all of p? p uses only bytes, '?', '*', "**" and the
 * classes above.
 */
static bool ref_match(const char *p, const char *s)
{
	size_t len;

	for (;;) {
		if (*p == '\0')
			return *s == '\0';
		if (p[0] == '*' && p[1] == '*') {
			while (*p == '*')
				p++;
			for (;; s++) {
				if (ref_match(p, s))
					return true;
				if (*s == '\0')
					return false;
			}
		}
		if (*p == '*') {
			for (p++;; s++) {
				if (ref_match(p, s))
					return true;
				if (*s == '\0' || *s == '/')
					return false;
			}
		}
		if (*s == '\0')
			return false;
		if (*p == '?') {
			if (*s == '/')
				return false;
			p++;
		} else if (*p == '[') {
			if (!ref_class(p, *s, &len))
				return false;
			p += len;
		} else {
			if (*p != *s)
				return false;
			p++;
		}
		s++;
	}
}

/* rsync's rule semantics spelled out naively with ref_match. */
static bool ref_rule(const char *pattern, const char *path, bool is_dir)
{
	char pat[256], buf[256];
	size_t n = strlen(pattern);
	bool anchored = false, dir_only = false;
	const char *p = pattern, *s;

	if (*p == '/') {
		anchored = true;
		p++;
		n--;
	}
	if (n > 0 && p[n - 1] == '/') {
		dir_only = true;
		n--;
	}
	memcpy(pat, p, n);
	pat[n] = '\0';
	if (dir_only && !is_dir)
		return false;
	if (n > 4 && strcmp(pat + n - 4, "/***") == 0 && is_dir) {
		char base[256];

		/* The directory itself: the pattern without its "/" "***". */
		snprintf(base, sizeof(base), "%s%.*s", anchored ? "/" : "",
			 (int)(n - 4), pat);
		if (ref_rule(base, path, true))
			return true;
	}
	if (!anchored && pat[0] == '*' && pat[1] == '*') {
		snprintf(buf, sizeof(buf), "/%s", path);
		return ref_match(pat, buf);
	}
	if (anchored)
		return ref_match(pat, path);
	for (s = path;; s++) {
		if ((s == path || s[-1] == '/') && ref_match(pat, s))
			return true;
		if (*s == '\0')
			return false;
	}
}

/* fnmatch(3) sees the same ("**"-free) pattern the same way. */
static bool fnmatch_rule(const char *pattern, const char *path, bool is_dir)
{
	char pat[256];
	size_t n = strlen(pattern);
	bool anchored = pattern[0] == '/';
	const char *p = pattern + anchored, *s;

	n -= anchored;
	if (n > 0 && p[n - 1] == '/') {
		if (!is_dir)
			return false;
		n--;
	}
	memcpy(pat, p, n);
	pat[n] = '\0';
	if (anchored)
		return fnmatch(pat, path, FNM_PATHNAME) == 0;
	for (s = path;; s++) {
		if ((s == path || s[-1] == '/') &&
		    fnmatch(pat, s, FNM_PATHNAME) == 0)
			return true;
		if (*s == '\0')
			return false;
	}
}

static void random_pattern(char *out, bool allow_star2)
{
	static const char *const atoms[] = {
		"a", "b", "a", "b", "/", "*", "*", "?", "[ab]", "[!a]", "**",
	};
	size_t len = 0, k, natoms = rnd(7) + 1,
	       na = sizeof(atoms) / sizeof(atoms[0]);

	if (rnd(4) == 0)
		out[len++] = '/';
	for (k = 0; k < natoms; k++) {
		const char *a = atoms[rnd(allow_star2 ? (unsigned)na
						      : (unsigned)na - 1)];

		/* No "//" and no star runs that would merge ("*" "**"). */
		if (len > 0 && ((a[0] == '/' && out[len - 1] == '/') ||
				(a[0] == '*' && out[len - 1] == '*')))
			continue;
		memcpy(out + len, a, strlen(a));
		len += strlen(a);
	}
	/* At least one byte that is not a slash. */
	out[len] = '\0';
	if (strspn(out, "/") == len)
		out[len++] = 'a';
	if (allow_star2 && rnd(8) == 0 && len > 0 && out[len - 1] != '/') {
		memcpy(out + len, "/***", 4);
		len += 4;
	} else if (rnd(6) == 0 && len > 0 && out[len - 1] != '/') {
		out[len++] = '/';
	}
	out[len] = '\0';
}

static void random_path(char *out)
{
	size_t len = 0, k, n = rnd(9) + 1;

	for (k = 0; k < n; k++) {
		if (k > 0 && out[len - 1] != '/' && rnd(3) == 0)
			out[len++] = '/';
		else
			out[len++] = "ab"[rnd(2)];
	}
	if (out[len - 1] == '/')
		out[len++] = 'a';
	out[len] = '\0';
}

static void check_random(bool allow_star2,
			 bool (*ref)(const char *, const char *, bool))
{
	char pattern[128], path[32];
	size_t round, i, matched = 0, total = 0;

	for (round = 0; round < 3000; round++) {
		struct ucp_filter *f;

		random_pattern(pattern, allow_star2);
		assert_int_equal(ucp_filter_new(&f), 0);
		if (ucp_filter_add(f, EXC, pattern) != 0)
			fail_msg("pattern '%s' rejected", pattern);
		for (i = 0; i < 40; i++) {
			bool is_dir = rnd(2), want, got;

			random_path(path);
			want = ref(pattern, path, is_dir);
			got = match(f, path, is_dir) == EXC;
			matched += got;
			total++;
			if (want != got)
				fail_msg(
					"pattern '%s' path '%s'%s: got %d, want %d",
					pattern, path, is_dir ? " (dir)" : "",
					got, want);
		}
		ucp_filter_free(f);
	}
	/* Both answers are common: the comparison means something. */
	assert_true(matched > total / 20 && matched < total - total / 20);
}

static void filter_random_vs_fnmatch(void **state)
{
	(void)state;
	check_random(false, fnmatch_rule);
}

static void filter_random_vs_reference(void **state)
{
	(void)state;
	check_random(true, ref_rule);
}

/* Random bytes as patterns and paths: errors or answers, never a crash. */
static void filter_random_bytes_never_crash(void **state)
{
	static const char alphabet[] = "ab/*?[]!^-:\\\n\xff";
	char pattern[64], path[64];
	size_t round, i, n;

	(void)state;
	for (round = 0; round < 20000; round++) {
		struct ucp_filter *f;
		int ret;

		n = rnd(sizeof(pattern) - 1);
		for (i = 0; i < n; i++)
			pattern[i] = alphabet[rnd(sizeof(alphabet) - 1)];
		pattern[n] = '\0';
		assert_int_equal(ucp_filter_new(&f), 0);
		ret = ucp_filter_add(f, INC, pattern);
		assert_true(ret == 0 || ret == -EINVAL);
		assert_int_equal(ucp_filter_count(f), ret == 0);
		n = rnd(sizeof(path));
		for (i = 0; i < n; i++)
			path[i] = alphabet[rnd(sizeof(alphabet) - 1)];
		(void)ucp_filter_match(f, path, n, rnd(2));
		ucp_filter_free(f);
	}
}

/* ---- rule files ---- */

static int memfd_with(const char *data, size_t len)
{
	int fd = memfd_create("rules", MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void filter_file_lines(void **state)
{
	static const char rules[] = "# comment\n"
				    "; another\n"
				    "\n"
				    "+ keep.o\n"
				    "*.o\r\n"
				    "- *.tmp\n"
				    "build/";
	struct ucp_filter *f;
	size_t line = 99;
	int fd = memfd_with(rules, sizeof(rules) - 1);

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add_fd(f, INC, fd, false, &line), 0);
	assert_int_equal(line, 0);
	assert_int_equal(ucp_filter_count(f), 4);
	assert_int_equal(match(f, "x/keep.o", false), INC);
	/* Untyped lines take the file's type: INC here. */
	assert_int_equal(match(f, "a.o", false), INC);
	assert_int_equal(match(f, "a.tmp", false), EXC);
	assert_int_equal(match(f, "build", true), INC);
	assert_int_equal(match(f, "# comment", false), NONE);
	ucp_filter_free(f);
	close(fd);
}

static void filter_file_from0(void **state)
{
	static const char rules[] = "#not a comment\0a\nb\0\0- *.o";
	struct ucp_filter *f;
	size_t line;
	int fd = memfd_with(rules, sizeof(rules) - 1);

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add_fd(f, INC, fd, true, &line), 0);
	assert_int_equal(ucp_filter_count(f), 3);
	assert_int_equal(match(f, "#not a comment", false), INC);
	assert_int_equal(match(f, "d/a\nb", false), INC);
	assert_int_equal(match(f, "x.o", false), EXC);
	ucp_filter_free(f);
	close(fd);
}

static void filter_file_clear_and_errors(void **state)
{
	static const char clear[] = "*.a\n*.b\n!\n*.c\n";
	static const char bad[] = "ok\n\n# fine\n[oops\nnever\n";
	struct ucp_filter *f;
	size_t line;
	char *big;
	int fd;

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add(f, EXC, "first"), 0);
	/* "!" drops every rule so far, from the command line too. */
	fd = memfd_with(clear, sizeof(clear) - 1);
	assert_int_equal(ucp_filter_add_fd(f, EXC, fd, false, &line), 0);
	close(fd);
	assert_int_equal(ucp_filter_count(f), 1);
	assert_int_equal(match(f, "first", false), NONE);
	assert_int_equal(match(f, "x.a", false), NONE);
	assert_int_equal(match(f, "x.c", false), EXC);

	/* A bad pattern names its line; the rules before it stay. */
	fd = memfd_with(bad, sizeof(bad) - 1);
	assert_int_equal(ucp_filter_add_fd(f, EXC, fd, false, &line), -EINVAL);
	close(fd);
	assert_int_equal(line, 4);
	assert_int_equal(ucp_filter_count(f), 2);
	assert_int_equal(match(f, "ok", false), EXC);
	assert_int_equal(match(f, "never", false), NONE);

	/* So does an entry longer than any pattern. */
	big = malloc(UCP_FILTER_PATTERN_MAX + 10);
	assert_non_null(big);
	memcpy(big, "a\n", 2);
	memset(big + 2, 'x', UCP_FILTER_PATTERN_MAX + 7);
	big[UCP_FILTER_PATTERN_MAX + 9] = '\n';
	fd = memfd_with(big, UCP_FILTER_PATTERN_MAX + 10);
	assert_int_equal(ucp_filter_add_fd(f, EXC, fd, false, &line),
			 -ENAMETOOLONG);
	assert_int_equal(line, 2);
	close(fd);
	free(big);

	/* A read error belongs to no line. */
	line = 7;
	assert_int_equal(ucp_filter_add_fd(f, EXC, -1, false, &line), -EBADF);
	assert_int_equal(line, 0);
	assert_int_equal(ucp_filter_add_fd(f, EXC, -1, false, NULL), -EBADF);
	ucp_filter_free(f);
}

/* rsync's rule syntax: names long and short, modifiers, bad rules. */
static void filter_rule_syntax(void **state)
{
	static const struct {
		const char *rule;
		int ret;
	} cases[] = {
		{ "- *.o", 0 },
		{ "exclude *.o", 0 },
		{ "+ keep.o", 0 },
		{ "include,s keep.o", 0 },
		{ "-_x", 0 },
		{ "P p", 0 },
		{ "protect p", 0 },
		{ "R r", 0 },
		{ "risk r", 0 },
		{ "H h", 0 },
		{ "S s", 0 },
		{ "!", 0 },
		{ "clear", 0 },
		{ ": .f", 0 },
		{ "dir-merge,n- .g", 0 },
		{ ":e .h", 0 },
		{ "bogus x", -EBADMSG },
		{ "x", -EBADMSG },
		/* rsync's modifiers ucp does not take: "not supported". */
		{ "-x y", -EOPNOTSUPP },
		{ "-! y", -EOPNOTSUPP },
		{ ":C", -EOPNOTSUPP },
		{ "-q y", -EBADMSG },
		{ "Ps p", -EBADMSG },
		{ "! x", -EBADMSG },
		{ "-", -ENODATA },
		{ "- ", -ENODATA },
		{ "include", -ENODATA },
		{ "- [ab", -EINVAL },
		{ ". file", -EOPNOTSUPP },
	};
	struct ucp_filter *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(ucp_filter_new(&f), 0);
		if (ucp_filter_add_rule(f, cases[i].rule, NULL) != cases[i].ret)
			fail_msg("rule '%s': want %d", cases[i].rule,
				 cases[i].ret);
		ucp_filter_free(f);
	}
}

/* A merge rule is the caller's to read; its '+'/'-' says how. */
static void filter_rule_merge(void **state)
{
	struct ucp_filter_merge m = { 0 };
	struct ucp_filter *f;

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add_rule(f, ". rules", &m), 1);
	assert_string_equal(m.name, "rules");
	assert_int_equal(m.type, NONE);
	assert_int_equal(ucp_filter_add_rule(f, "merge,- ex", &m), 1);
	assert_string_equal(m.name, "ex");
	assert_int_equal(m.type, EXC);
	/* 'e' adds the exclude of the file's name. */
	assert_int_equal(ucp_filter_add_rule(f, ".e dir/ex", &m), 1);
	assert_int_equal(match(f, "sub/ex", false), EXC);
	ucp_filter_free(f);
}

/* Sides: H/S only for the copy, P/R only for --delete. */
static void filter_sides(void **state)
{
	struct ucp_filter *f;

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add_rule(f, "P *.keep", NULL), 0);
	assert_int_equal(ucp_filter_add_rule(f, "H *.hid", NULL), 0);
	assert_int_equal(ucp_filter_add_rule(f, "-r *.r", NULL), 0);
	assert_int_equal(ucp_filter_add_rule(f, "- *.o", NULL), 0);
	assert_int_equal(match(f, "a.keep", false), NONE);
	assert_int_equal(match(f, "a.hid", false), EXC);
	assert_int_equal(match(f, "a.r", false), NONE);
	assert_int_equal(match(f, "a.o", false), EXC);
	assert_int_equal(ucp_filter_match_in(f, NULL, "a.keep", 6, false,
					     UCP_FILTER_RECEIVER),
			 EXC);
	assert_int_equal(ucp_filter_match_in(f, NULL, "a.hid", 5, false,
					     UCP_FILTER_RECEIVER),
			 NONE);
	assert_int_equal(ucp_filter_match_in(f, NULL, "a.o", 3, false,
					     UCP_FILTER_RECEIVER),
			 EXC);
	/* --delete-excluded: only the receiver's own rules protect. */
	assert_int_equal(ucp_filter_match_in(f, NULL, "a.o", 3, false,
					     UCP_FILTER_PROTECTED),
			 NONE);
	assert_int_equal(ucp_filter_match_in(f, NULL, "a.r", 3, false,
					     UCP_FILTER_PROTECTED),
			 EXC);
	ucp_filter_free(f);
}

/* --exclude='+ X' is an include, '- X' an exclude, '!' clears. */
static void filter_prefixed(void **state)
{
	struct ucp_filter *f;

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add_prefixed(f, EXC, "+ a.o"), 0);
	assert_int_equal(ucp_filter_add_prefixed(f, INC, "- *.o"), 0);
	assert_int_equal(match(f, "a.o", false), INC);
	assert_int_equal(match(f, "b.o", false), EXC);
	assert_int_equal(ucp_filter_add_prefixed(f, EXC, "!"), 0);
	assert_int_equal(ucp_filter_count(f), 0);
	assert_int_equal(ucp_filter_add_prefixed(f, EXC, "+x"), 0);
	assert_int_equal(match(f, "+x", false), EXC);
	ucp_filter_free(f);
}

/* A merge file's lines: rules, or with '+'/'-' plain patterns. */
static void filter_merge_lines(void **state)
{
	static const char rules[] = "- *.o\n+ keep\n# comment\nexclude keep*\n";
	struct ucp_filter_merge m = { .name = "m", .type = NONE };
	struct ucp_filter *f;
	size_t line;
	int fd;

	(void)state;
	assert_int_equal(ucp_filter_new(&f), 0);
	fd = memfd_with(rules, sizeof(rules) - 1);
	assert_int_equal(ucp_filter_merge_fd(f, &m, fd, false, &line), 0);
	close(fd);
	assert_int_equal(match(f, "a.o", false), EXC);
	assert_int_equal(match(f, "keep", false), INC);
	assert_int_equal(match(f, "keeper", false), EXC);
	ucp_filter_free(f);

	/* With '-', "- *.o" is a pattern of its own. */
	m.type = EXC;
	assert_int_equal(ucp_filter_new(&f), 0);
	fd = memfd_with(rules, sizeof(rules) - 1);
	assert_int_equal(ucp_filter_merge_fd(f, &m, fd, false, &line), 0);
	close(fd);
	assert_int_equal(match(f, "a.o", false), NONE);
	assert_int_equal(match(f, "keep", false), NONE);
	ucp_filter_free(f);

	/* A bad rule names its line. */
	m.type = NONE;
	assert_int_equal(ucp_filter_new(&f), 0);
	fd = memfd_with("- a\nbogus b\n", 12);
	assert_int_equal(ucp_filter_merge_fd(f, &m, fd, false, &line),
			 -EBADMSG);
	assert_int_equal(line, 2);
	close(fd);
	ucp_filter_free(f);
}

/* Write data to name in directory dirfd. */
static void put_file(int dirfd, const char *name, const char *data)
{
	FILE *fp;
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_true(fputs(data, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

/*
 * dir-merge: a directory's rules come before its ancestors', are anchored
 * at it (a leading '/'; others match the end of the whole path), are
 * inherited (unless 'n'), and '!' cuts off the inherited ones.
 */
static void filter_dir_merge(void **state)
{
	char tmpl[] = "/tmp/test_filter.XXXXXX";
	struct ucp_filter_dir *top = NULL, *sub = NULL, *clr = NULL;
	struct ucp_filter_dir_error err = { 0 };
	struct ucp_filter *f;
	int root, dsub, dclr;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	root = open(tmpl, O_RDONLY | O_DIRECTORY);
	assert_true(root >= 0);
	assert_int_equal(mkdirat(root, "sub", 0755), 0);
	assert_int_equal(mkdirat(root, "clr", 0755), 0);
	dsub = openat(root, "sub", O_RDONLY | O_DIRECTORY);
	dclr = openat(root, "clr", O_RDONLY | O_DIRECTORY);
	put_file(root, ".rf", "- *.o\n- /top\n");
	put_file(dsub, ".rf", "+ keep.o\n- /x\n- */cache/*\n- sub/q\n");
	put_file(dclr, ".rf", "!\n- y\n");

	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add_rule(f, "+ *.c", NULL), 0);
	assert_int_equal(ucp_filter_add_rule(f, ": /.rf", NULL), 0);
	assert_int_equal(ucp_filter_add_rule(f, "- *.c2", NULL), 0);
	assert_int_equal(ucp_filter_merges(f), 1);
	assert_int_equal(ucp_filter_dir_load(f, NULL, root, 0, &top, &err), 0);
	assert_non_null(top);
	assert_int_equal(ucp_filter_dir_load(f, top, dsub, 4, &sub, &err), 0);
	assert_int_equal(ucp_filter_dir_load(f, top, dclr, 4, &clr, &err), 0);
#define M(d, p) \
	ucp_filter_match_in(f, d, p, strlen(p), false, UCP_FILTER_SENDER)
	assert_int_equal(M(top, "a.o"), EXC);
	assert_int_equal(M(top, "top"), EXC);
	assert_int_equal(M(top, "a.c"), INC);
	assert_int_equal(M(top, "a.c2"), EXC);
	assert_int_equal(M(sub, "sub/keep.o"), INC);
	assert_int_equal(M(sub, "sub/other.o"), EXC);
	assert_int_equal(M(sub, "sub/top"), NONE);
	assert_int_equal(M(sub, "sub/x"), EXC);
	assert_int_equal(M(sub, "sub/deeper/x"), NONE);
	/* Unanchored, with a slash inside: the end of the whole path, as
	 * rsync matches it, not of the path from the file's directory. */
	assert_int_equal(M(sub, "sub/cache/blob"), EXC);
	assert_int_equal(M(sub, "sub/q"), EXC);
	assert_int_equal(M(sub, "sub/d/q"), NONE);
	assert_int_equal(M(clr, "clr/a.o"), NONE);
	assert_int_equal(M(clr, "clr/y"), EXC);
#undef M
	ucp_filter_dir_free(sub);
	ucp_filter_dir_free(clr);
	ucp_filter_dir_free(top);
	ucp_filter_free(f);

	/* 'n': the rules of a file hold beside it only. */
	assert_int_equal(ucp_filter_new(&f), 0);
	assert_int_equal(ucp_filter_add_rule(f, ":n .rf", NULL), 0);
	assert_int_equal(ucp_filter_dir_load(f, NULL, root, 0, &top, &err), 0);
	assert_int_equal(
		ucp_filter_match_in(f, top, "a.o", 3, false, UCP_FILTER_SENDER),
		EXC);
	assert_int_equal(ucp_filter_match_in(f, top, "d/a.o", 5, false,
					     UCP_FILTER_SENDER),
			 NONE);
	ucp_filter_dir_free(top);

	/* A merge rule in a per-directory file is refused, with its line. */
	put_file(dsub, ".rf", "- a\n: .other\n");
	assert_int_equal(ucp_filter_dir_load(f, NULL, dsub, 0, &sub, &err),
			 -EOPNOTSUPP);
	assert_null(sub);
	assert_string_equal(err.name, ".rf");
	assert_int_equal(err.line, 2);
	ucp_filter_free(f);

	assert_int_equal(unlinkat(dsub, ".rf", 0), 0);
	assert_int_equal(unlinkat(dclr, ".rf", 0), 0);
	assert_int_equal(unlinkat(root, ".rf", 0), 0);
	close(dsub);
	close(dclr);
	assert_int_equal(unlinkat(root, "sub", AT_REMOVEDIR), 0);
	assert_int_equal(unlinkat(root, "clr", AT_REMOVEDIR), 0);
	close(root);
	assert_int_equal(rmdir(tmpl), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(filter_plain_names),
		cmocka_unit_test(filter_wildcards),
		cmocka_unit_test(filter_double_star),
		cmocka_unit_test(filter_triple_star),
		cmocka_unit_test(filter_classes_and_escapes),
		cmocka_unit_test(filter_odd_bytes),
		cmocka_unit_test(filter_first_match_wins),
		cmocka_unit_test(filter_rejects_bad_patterns),
		cmocka_unit_test(filter_deep_paths),
		cmocka_unit_test(filter_long_nfa_patterns),
		cmocka_unit_test(filter_no_exponential_backtracking),
		cmocka_unit_test(filter_random_vs_fnmatch),
		cmocka_unit_test(filter_random_vs_reference),
		cmocka_unit_test(filter_random_bytes_never_crash),
		cmocka_unit_test(filter_file_lines),
		cmocka_unit_test(filter_file_from0),
		cmocka_unit_test(filter_file_clear_and_errors),
		cmocka_unit_test(filter_rule_syntax),
		cmocka_unit_test(filter_rule_merge),
		cmocka_unit_test(filter_sides),
		cmocka_unit_test(filter_prefixed),
		cmocka_unit_test(filter_merge_lines),
		cmocka_unit_test(filter_dir_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
