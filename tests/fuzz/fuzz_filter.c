/* SPDX-License-Identifier: MIT */
/*
 * fuzz_filter.c: libFuzzer harness for the include/exclude matcher.
 *
 * Input: one flags byte, then NUL-separated records: rules up to the first
 * empty record, paths after it. A rule record is '+' (include) or any
 * other byte (exclude), then the pattern; a path record ending in '/' is a
 * directory. Paths are normalised as the walker gives them ("a/b", no
 * empty component) and handed over in a buffer of their exact length, with
 * no NUL after them.
 *
 * ucp's matcher compiles each pattern into one of four forms and skips
 * work where it can; here every rule is read again by a plain reference
 * written from the rules of filter.h, matched by one dynamic-programming
 * table per path. The two must agree on which patterns are valid and on
 * the verdict for every path. The same rules written to a rule file (NUL-
 * or newline-separated, "+ " and "- " prefixes, after a "!" that clears
 * some rules before them) must give a filter that decides alike.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RULES 16
#define MAX_PATHS 16

enum flag {
	F_FILE0 = 1 << 0,    /* compare with a NUL-separated rule file */
	F_FILENL = 1 << 1,   /* ... with a newline-separated one */
	F_CLEAR = 1 << 2,    /* ... starting with rules that "!" clears */
	F_RAW_FILE = 1 << 3, /* also read the whole input as a rule file */
};

/* ---- the reference: a pattern read again, the plain way ---- */

enum rkind { K_LIT, K_ANY, K_CLASS, K_STAR, K_STAR2 };

struct rtok {
	enum rkind kind;
	unsigned char ch;
	uint64_t set[4]; /* K_CLASS: the bytes it takes */
};

struct rrule {
	enum ucp_filter_type type;
	bool anchored, dir_only, slash_prefix, wild3;
	struct rtok *tok;
	size_t ntok;
};

static void set_bit(uint64_t *set, unsigned c)
{
	set[c / 64] |= (uint64_t)1 << (c % 64);
}

static bool has_bit(const uint64_t *set, unsigned c)
{
	return (set[c / 64] >> (c % 64)) & 1;
}

/* Whether byte c is in the ASCII class called name (n bytes). */
static int named_class(const char *name, size_t n, unsigned c)
{
	static const char *const names[] = {
		"alnum", "alpha", "blank", "cntrl", "digit", "graph",
		"lower", "print", "punct", "space", "upper", "xdigit"
	};
	bool d = c >= '0' && c <= '9', u = c >= 'A' && c <= 'Z';
	bool l = c >= 'a' && c <= 'z', g = c >= 0x21 && c <= 0x7e;
	bool in[] = { d || u || l,
		      u || l,
		      c == ' ' || c == '\t',
		      c <= 0x1f || c == 0x7f,
		      d,
		      g,
		      l,
		      g || c == ' ',
		      g && !d && !u && !l,
		      c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
			      c == '\f' || c == '\r',
		      u,
		      d || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') };
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == n && memcmp(names[k], name, n) == 0)
			return in[k];
	return -1;
}

/* One byte of a class at p[*j], '\' quoting; -1 when the pattern ends. */
static int class_member(const char *p, size_t n, size_t *j)
{
	if (*j < n && p[*j] == '\\')
		++*j;
	if (*j >= n)
		return -1;
	return (unsigned char)p[(*j)++];
}

/* The class opening at p[*j] ('['); *j ends past its ']'. */
static bool read_class(const char *p, size_t n, size_t *j, uint64_t *set)
{
	size_t i = *j + 1, w;
	bool negate = false, first = true;

	memset(set, 0, 4 * sizeof(*set));
	if (i < n && (p[i] == '!' || p[i] == '^')) {
		negate = true;
		i++;
	}
	for (;;) {
		int lo, hi;

		if (i >= n)
			return false;
		if (p[i] == ']' && !first)
			break;
		first = false;
		if (p[i] == '[' && i + 1 < n && p[i + 1] == ':') {
			const char *end = NULL;
			size_t k;
			unsigned c;

			for (k = i + 2; k + 1 < n; k++) {
				if (p[k] == ':' && p[k + 1] == ']') {
					end = p + k;
					break;
				}
			}
			if (!end)
				return false;
			for (c = 0; c < 256; c++) {
				int r = named_class(p + i + 2,
						    (size_t)(end - p) - i - 2,
						    c);

				if (r < 0)
					return false;
				if (r)
					set_bit(set, c);
			}
			i = (size_t)(end - p) + 2;
			continue;
		}
		lo = class_member(p, n, &i);
		if (lo < 0)
			return false;
		hi = lo;
		if (i + 1 < n && p[i] == '-' && p[i + 1] != ']') {
			i++;
			hi = class_member(p, n, &i);
			if (hi < lo)
				return false;
		}
		for (; lo <= hi; lo++)
			set_bit(set, (unsigned)lo);
	}
	for (w = 0; negate && w < 4; w++)
		set[w] = ~set[w];
	set['/' / 64] &= ~((uint64_t)1 << ('/' % 64));
	*j = i + 1;
	return true;
}

/* Read pattern p as filter.h describes it; false when it is invalid. */
static bool ref_compile(struct rrule *r, const char *p)
{
	size_t n = strlen(p), i;
	bool wild = false;

	r->anchored = n > 0 && p[0] == '/';
	while (n > 0 && p[0] == '/') {
		p++;
		n--;
	}
	while (n > 0 && p[n - 1] == '/') {
		r->dir_only = true;
		n--;
	}
	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		wild |= p[i] == '*' || p[i] == '?' || p[i] == '[';
	r->tok = calloc(n, sizeof(*r->tok));
	if (!r->tok)
		abort();
	if (wild && !r->anchored && n >= 2 && p[0] == '*' && p[1] == '*')
		r->slash_prefix = r->anchored = true;
	r->wild3 = wild && n > 4 && memcmp(p + n - 4, "/***", 4) == 0;
	for (i = 0; i < n;) {
		struct rtok t = { .kind = K_LIT, .ch = (unsigned char)p[i] };

		if (!wild) {
			i++;
		} else if (p[i] == '\\') {
			if (i + 1 >= n)
				return false;
			t.ch = (unsigned char)p[i + 1];
			i += 2;
		} else if (p[i] == '*') {
			size_t run = 0;

			while (i < n && p[i] == '*') {
				i++;
				run++;
			}
			t.kind = run > 1 ? K_STAR2 : K_STAR;
		} else if (p[i] == '?') {
			t.kind = K_ANY;
			i++;
		} else if (p[i] == '[') {
			t.kind = K_CLASS;
			if (!read_class(p, n, &i, t.set))
				return false;
		} else {
			i++;
		}
		/* Runs of '/' are one separator. */
		if (t.kind == K_LIT && t.ch == '/' && r->ntok > 0 &&
		    r->tok[r->ntok - 1].kind == K_LIT &&
		    r->tok[r->ntok - 1].ch == '/')
			continue;
		r->tok[r->ntok++] = t;
	}
	return true;
}

static bool takes(const struct rtok *t, unsigned char c)
{
	switch (t->kind) {
	case K_LIT:
		return c == t->ch;
	case K_ANY:
		return c != '/';
	default:
		return has_bit(t->set, c);
	}
}

/*
 * Do the first m tokens match all of s (n bytes), or, unless anchored,
 * all of a tail of s that starts a component? m[i][j] says whether
 * tokens [0, j) match a candidate start up to byte i; two rows of it.
 */
static bool ref_match(const struct rrule *r, size_t m, const unsigned char *s,
		      size_t n)
{
	bool *prev = calloc(m + 1, sizeof(bool));
	bool *cur = calloc(m + 1, sizeof(bool));
	bool *tmp, ok;
	size_t i, j;

	if (!prev || !cur)
		abort();
	for (i = 0; i <= n; i++) {
		cur[0] = r->anchored ? i == 0 : i == 0 || s[i - 1] == '/';
		for (j = 1; j <= m; j++) {
			const struct rtok *t = &r->tok[j - 1];

			if (t->kind == K_STAR || t->kind == K_STAR2)
				cur[j] = cur[j - 1] || (i > 0 && prev[j] &&
							(t->kind == K_STAR2 ||
							 s[i - 1] != '/'));
			else
				cur[j] = i > 0 && prev[j - 1] &&
					 takes(t, s[i - 1]);
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	ok = prev[m];
	free(prev);
	free(cur);
	return ok;
}

static bool ref_rule_matches(const struct rrule *r, const char *path,
			     size_t len, bool is_dir)
{
	unsigned char *s = malloc(len + 1);
	size_t n = 0;
	bool ok;

	if (!s)
		abort();
	if (r->slash_prefix)
		s[n++] = '/';
	memcpy(s + n, path, len);
	n += len;
	ok = ref_match(r, r->ntok, s, n) ||
	     (r->wild3 && is_dir && ref_match(r, r->ntok - 2, s, n));
	free(s);
	return ok;
}

static enum ucp_filter_type ref_decide(const struct rrule *rules, size_t n,
				       const char *path, size_t len,
				       bool is_dir)
{
	size_t i;

	if (len == 0)
		return UCP_FILTER_NONE;
	for (i = 0; i < n; i++) {
		if (rules[i].dir_only && !is_dir)
			continue;
		if (ref_rule_matches(&rules[i], path, len, is_dir))
			return rules[i].type;
	}
	return UCP_FILTER_NONE;
}

/* ---- the harness ---- */

struct path {
	char *s; /* exactly len bytes, no NUL */
	size_t len;
	bool is_dir;
};

/* The path of record rec: its components joined by single '/'. */
static void make_path(struct path *p, const char *rec)
{
	size_t n = strlen(rec), i;

	p->is_dir = n > 0 && rec[n - 1] == '/';
	p->s = malloc(n + 1);
	if (!p->s)
		abort();
	p->len = 0;
	for (i = 0; i < n; i++) {
		if (rec[i] == '/' && (p->len == 0 || p->s[p->len - 1] == '/'))
			continue;
		p->s[p->len++] = rec[i];
	}
	if (p->len > 0 && p->s[p->len - 1] == '/')
		p->len--;
	/* A buffer of the exact length, so a read past it is caught. */
	if (p->len > 0) {
		char *exact = malloc(p->len);

		if (!exact)
			abort();
		memcpy(exact, p->s, p->len);
		free(p->s);
		p->s = exact;
	}
}

/* A filter read from text (len bytes) through a memfd. */
static struct ucp_filter *from_file(const char *text, size_t len, bool from0,
				    int *ret, size_t *line)
{
	struct ucp_filter *f;
	int fd = memfd_create("rules", MFD_CLOEXEC);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) != 0 || ucp_filter_new(&f) < 0)
		abort();
	*ret = ucp_filter_add_fd(f, UCP_FILTER_EXCLUDE, fd, from0, line);
	(void)close(fd);
	return f;
}

/* Append s (n bytes) to the growing text *buf. */
static void append(char **buf, size_t *len, const char *s, size_t n)
{
	char *b = realloc(*buf, *len + n + 1);

	if (!b)
		abort();
	memcpy(b + *len, s, n);
	*len += n;
	*buf = b;
}

/* The accepted rules as a rule file; NULL when they cannot be one. */
static char *rule_file(const char *const *pats, const struct rrule *rules,
		       size_t n, bool from0, bool clear, size_t *len)
{
	const char sep = from0 ? '\0' : '\n';
	char *buf = NULL;
	size_t i;

	*len = 0;
	if (clear) {
		static const char junk[] = "- junk\n+ *\n- [a-z]*/\n!\n";

		append(&buf, len, junk, sizeof(junk) - 1);
		for (i = 0; from0 && i < *len; i++)
			if (buf[i] == '\n')
				buf[i] = '\0';
	}
	for (i = 0; i < n; i++) {
		size_t pl = strlen(pats[i]);

		/* A newline file cannot hold a line break in a pattern. */
		if (!from0 && strpbrk(pats[i], "\r\n")) {
			free(buf);
			return NULL;
		}
		append(&buf, len,
		       rules[i].type == UCP_FILTER_INCLUDE ? "+ " : "- ", 2);
		append(&buf, len, pats[i], pl);
		append(&buf, len, &sep, 1);
	}
	if (!buf)
		append(&buf, len, "", 0);
	return buf;
}

/* A filter read back from the rule file must decide like f. */
static void check_file(const struct ucp_filter *f, const char *const *pats,
		       const struct rrule *rules, size_t nrules,
		       const struct path *paths, size_t npaths, bool from0,
		       bool clear)
{
	struct ucp_filter *g;
	size_t len, line, i;
	char *text = rule_file(pats, rules, nrules, from0, clear, &len);
	int ret;

	if (!text)
		return;
	g = from_file(text, len, from0, &ret, &line);
	if (ret != 0 || ucp_filter_count(g) != ucp_filter_count(f))
		abort();
	for (i = 0; i < npaths; i++)
		if (ucp_filter_match(f, paths[i].s, paths[i].len,
				     paths[i].is_dir) !=
		    ucp_filter_match(g, paths[i].s, paths[i].len,
				     paths[i].is_dir))
			abort();
	ucp_filter_free(g);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rrule rules[MAX_RULES];
	const char *pats[MAX_RULES];
	struct path paths[MAX_PATHS];
	size_t nrules = 0, npaths = 0, i;
	struct ucp_filter *f;
	const char *rec, *end;
	bool in_rules = true;
	unsigned flags;
	char *buf;

	if (size == 0)
		return 0;
	flags = data[0];
	buf = malloc(size);
	if (!buf || ucp_filter_new(&f) < 0)
		abort();
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	end = buf + size - 1;

	for (rec = buf; rec < end; rec += strlen(rec) + 1) {
		if (in_rules && *rec == '\0') {
			in_rules = false;
			continue;
		}
		if (in_rules && nrules < MAX_RULES) {
			struct rrule *r = &rules[nrules];
			bool valid;
			int ret;

			memset(r, 0, sizeof(*r));
			r->type = *rec == '+' ? UCP_FILTER_INCLUDE
					      : UCP_FILTER_EXCLUDE;
			valid = ref_compile(r, rec + 1);
			ret = ucp_filter_add(f, r->type, rec + 1);
			if (ret != (valid ? 0 : -EINVAL))
				abort();
			if (!valid) {
				free(r->tok);
				continue;
			}
			pats[nrules++] = rec + 1;
		} else if (!in_rules && npaths < MAX_PATHS) {
			make_path(&paths[npaths++], rec);
		}
	}
	if (ucp_filter_count(f) != nrules)
		abort();

	for (i = 0; i < npaths; i++) {
		const struct path *p = &paths[i];

		if (ucp_filter_match(f, p->s, p->len, p->is_dir) !=
		    ref_decide(rules, nrules, p->s, p->len, p->is_dir))
			abort();
	}
	if (flags & F_FILE0)
		check_file(f, pats, rules, nrules, paths, npaths, true,
			   flags & F_CLEAR);
	if (flags & F_FILENL)
		check_file(f, pats, rules, nrules, paths, npaths, false,
			   flags & F_CLEAR);
	if (flags & F_RAW_FILE) {
		struct ucp_filter *g;
		size_t line;
		int ret;

		g = from_file((const char *)data + 1, size - 1, false, &ret,
			      &line);
		if ((ret == -EINVAL || ret == -ENAMETOOLONG) && line == 0)
			abort();
		ucp_filter_free(g);
	}

	for (i = 0; i < nrules; i++)
		free(rules[i].tok);
	for (i = 0; i < npaths; i++)
		free(paths[i].s);
	ucp_filter_free(f);
	free(buf);
	return 0;
}
