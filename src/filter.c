/* SPDX-License-Identifier: MIT */
/*
 * filter.c: include/exclude rules (see filter.h for the pattern language).
 *
 * Each pattern is compiled once into one of four forms, cheapest first:
 *   LITERAL  no wildcard: compare bytes with the end (or all) of the path;
 *   SUFFIX   '*' then plain bytes, no '/': compare the end of the name;
 *   GLOB     wildcards but no "**": '/' in the pattern and in the path must
 *            pair up one to one, so the pattern matches exactly the last
 *            (slashes + 1) components, and the classic greedy matcher with
 *            one backtrack point (the last '*') is exact and O(n * m);
 *   NFA      with "**": a set of pattern positions advanced byte by byte,
 *            O(n * m) with no backtracking at all.
 * Neither matcher recurses, so no pattern can make matching exponential.
 * Before either runs, the bytes that must end (and, when anchored, begin)
 * the path are checked: most paths fail there in a few nanoseconds.
 */
#include "filter.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"
#include "fileslist.h"
#include "util.h"

enum tok_kind {
	T_LIT,	 /* the byte ch */
	T_ANY,	 /* '?': one byte but '/' */
	T_CLASS, /* "[...]": one byte of classes[cls] ('/' never is) */
	T_STAR,	 /* '*': any run of bytes but '/' */
	T_STAR2, /* "**": any run of bytes */
};

struct tok {
	uint8_t kind;
	uint8_t ch;
	uint16_t cls;
};

/* R_MERGE: a dir-merge rule, whose place the per-directory rules take. */
enum rule_form { R_LITERAL, R_SUFFIX, R_GLOB, R_NFA, R_MERGE };

/* Bits of a byte set, or of NFA states. */
#define WORD_BITS 64
#define NFA_WORDS (UCP_FILTER_PATTERN_MAX / WORD_BITS + 1)

struct byteset {
	uint64_t w[256 / WORD_BITS];
};

struct rule {
	enum ucp_filter_type type;
	enum rule_form form;
	unsigned sides;	   /* UCP_FILTER_SIDE_*; 0: both, or the sender
			      only under --delete-excluded */
	bool anchored;	   /* matched against the whole path */
	bool dir_only;	   /* written with a trailing '/' */
	bool slash_prefix; /* starts with "**": match "/" + path */
	bool wild3;	   /* ends with '/' "***": also the bare dir */
	size_t slashes;	   /* '/' in the compiled pattern */
	size_t len;	   /* bytes in lit, or tokens in tok */
	size_t alt;	   /* NFA state after "dir" of dir '/' "***" */
	size_t head;	   /* tokens before the first star */
	size_t fixed;	   /* tokens after the last star */
	char *lit;	   /* LITERAL and SUFFIX bytes */
	struct tok *tok;   /* GLOB and NFA */
	struct byteset *classes;
	uint64_t *stars; /* NFA: bit i when tok[i] is a star */
	/* R_MERGE: lit is the file name, looked for in every directory. */
	size_t slot;			/* its lists[] of a ucp_filter_dir */
	bool no_inherit;		/* 'n': for the files beside it only */
	enum ucp_filter_type line_type; /* '+', '-': lines are patterns */
	unsigned line_sides;		/* 's', 'r': the lines' sides */
};

struct ucp_filter {
	struct rule *rules;
	size_t n, cap;
	size_t nmerge;	/* R_MERGE rules: the slots of a ucp_filter_dir */
	bool per_dir;	/* the rules of one merge file: no merges in it */
	bool cleared;	/* per_dir: a '!' cut off the inherited rules */
	unsigned sides; /* per_dir: what the merge rule's modifiers said */
};

struct ucp_filter_dir {
	const struct ucp_filter_dir *up; /* nearest ancestor's, or NULL */
	size_t base;			 /* its path's length, '/' included */
	size_t n;
	struct merged {
		struct ucp_filter *list; /* NULL: no file here */
	} lists[];			 /* by slot */
};

static bool set_has(const uint64_t *w, size_t i)
{
	return (w[i / WORD_BITS] >> (i % WORD_BITS)) & 1;
}

static void set_add(uint64_t *w, size_t i)
{
	w[i / WORD_BITS] |= (uint64_t)1 << (i % WORD_BITS);
}

static void rule_release(struct rule *r)
{
	free(r->lit);
	free(r->tok);
	free(r->classes);
	free(r->stars);
}

int ucp_filter_new(struct ucp_filter **out)
{
	struct ucp_filter *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	*out = f;
	return 0;
}

static void clear_rules(struct ucp_filter *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		rule_release(&f->rules[i]);
	f->n = 0;
}

void ucp_filter_free(struct ucp_filter *f)
{
	if (!f)
		return;
	clear_rules(f);
	free(f->rules);
	free(f);
}

size_t ucp_filter_count(const struct ucp_filter *f)
{
	return f->n;
}

/* ---- compiling ---- */

/* The pattern being compiled: p[0..n) and what it has become so far. */
struct compiler {
	const char *p;
	size_t n;
	struct tok *tok;
	size_t ntok;
	struct byteset *classes;
	size_t nclasses;
};

static void byteset_add_range(struct byteset *b, unsigned lo, unsigned hi)
{
	unsigned c;

	for (c = lo; c <= hi; c++)
		set_add(b->w, c);
}

/* The POSIX classes of "[[:name:]]", ASCII only (bytes, not locales). */
static const char *const class_names[] = {
	"alnum", "alpha", "blank", "cntrl", "digit", "graph",
	"lower", "print", "punct", "space", "upper", "xdigit",
};

static bool in_named_class(size_t k, unsigned c)
{
	bool digit = c >= '0' && c <= '9';
	bool upper = c >= 'A' && c <= 'Z';
	bool lower = c >= 'a' && c <= 'z';
	bool graph = c > 0x20 && c < 0x7f;

	switch (k) {
	case 0:
		return digit || upper || lower;
	case 1:
		return upper || lower;
	case 2:
		return c == ' ' || c == '\t';
	case 3:
		return c < 0x20 || c == 0x7f;
	case 4:
		return digit;
	case 5:
		return graph;
	case 6:
		return lower;
	case 7:
		return graph || c == ' ';
	case 8:
		return graph && !(digit || upper || lower);
	case 9:
		return c == ' ' || (c >= '\t' && c <= '\r');
	case 10:
		return upper;
	default:
		return digit || (c >= 'a' && c <= 'f') ||
		       (c >= 'A' && c <= 'F');
	}
}

/*
 * Add the class "[:name:]" starting at p[*i] (which is "[:") to b and move
 * *i past it. -EINVAL when unterminated or unknown.
 */
static int add_named_class(struct byteset *b, const char *p, size_t n,
			   size_t *i)
{
	size_t start = *i + 2, end, k;
	unsigned c;

	for (end = start; end + 1 < n; end++) {
		if (p[end] == ':' && p[end + 1] == ']')
			break;
	}
	if (end + 1 >= n)
		return -EINVAL;
	for (k = 0; k < ARRAY_SIZE(class_names); k++) {
		if (strlen(class_names[k]) == end - start &&
		    memcmp(class_names[k], p + start, end - start) == 0)
			break;
	}
	if (k == ARRAY_SIZE(class_names))
		return -EINVAL;
	for (c = 0; c < 256; c++) {
		if (in_named_class(k, c))
			set_add(b->w, c);
	}
	*i = end + 2;
	return 0;
}

/*
 * Compile the class whose '[' is at p[*i] into b and move *i past its ']'.
 * A ']' right after "[", "[!" or "[^" is a member; '\' quotes the next
 * byte; "a-z" is a range. -EINVAL for an unterminated class, a dangling
 * '\', an inverted range or an unknown [:name:].
 */
/*
 * One byte of a class at p[*j], '\' quoting the next one; move *j past it.
 * -EINVAL when the pattern ends first.
 */
static int class_byte(const char *p, size_t n, size_t *j, unsigned *c)
{
	if (p[*j] == '\\' && ++*j >= n)
		return -EINVAL;
	*c = (unsigned char)p[(*j)++];
	return 0;
}

/*
 * Compile the class whose '[' is at p[*i] into b and move *i past its ']'.
 * A ']' right after "[", "[!" or "[^" is a member; '\' quotes the next
 * byte; "a-z" is a range. -EINVAL for an unterminated class, a dangling
 * '\', an inverted range or an unknown [:name:].
 */
static int compile_class(struct byteset *b, const char *p, size_t n, size_t *i)
{
	size_t j = *i + 1, k;
	bool negate = j < n && (p[j] == '!' || p[j] == '^');
	unsigned lo = 0, hi = 0;
	int ret = 0;

	memset(b, 0, sizeof(*b));
	j += negate;
	/* The first byte is a member even when it is ']'. */
	for (k = 0; j < n && (p[j] != ']' || k == 0); k++) {
		if (p[j] == '[' && j + 1 < n && p[j + 1] == ':') {
			ret = add_named_class(b, p, n, &j);
			if (ret < 0)
				return ret;
			continue;
		}
		ret = class_byte(p, n, &j, &lo);
		hi = lo;
		if (ret == 0 && j + 1 < n && p[j] == '-' && p[j + 1] != ']') {
			j++;
			ret = class_byte(p, n, &j, &hi);
		}
		if (ret < 0 || hi < lo)
			return -EINVAL;
		byteset_add_range(b, lo, hi);
	}
	if (j >= n)
		return -EINVAL;
	for (k = 0; negate && k < ARRAY_SIZE(b->w); k++)
		b->w[k] = ~b->w[k];
	/* No class matches the separator. */
	b->w['/' / WORD_BITS] &= ~((uint64_t)1 << ('/' % WORD_BITS));
	*i = j + 1;
	return 0;
}

static bool tok_is_slash(const struct tok *t)
{
	return t->kind == T_LIT && t->ch == '/';
}

/*
 * Turn the wildcard pattern body p[0..n) into tokens. Each token comes
 * from at least one byte, so n tokens and n classes are enough.
 */
static int tokenize(struct compiler *c)
{
	const char *p = c->p;
	size_t i = 0, n = c->n;
	int ret;

	while (i < n) {
		struct tok t = { .kind = T_LIT, .ch = (uint8_t)p[i] };

		switch (p[i]) {
		case '\\':
			if (i + 1 >= n)
				return -EINVAL;
			t.ch = (uint8_t)p[i + 1];
			i += 2;
			break;
		case '*':
			t.kind = T_STAR;
			if (i + 1 < n && p[i + 1] == '*')
				t.kind = T_STAR2;
			while (i < n && p[i] == '*')
				i++;
			break;
		case '?':
			t.kind = T_ANY;
			i++;
			break;
		case '[':
			t.kind = T_CLASS;
			t.cls = (uint16_t)c->nclasses;
			ret = compile_class(&c->classes[c->nclasses], p, n, &i);
			if (ret < 0)
				return ret;
			c->nclasses++;
			break;
		default:
			i++;
			break;
		}
		/* Repeated slashes count as one. */
		if (tok_is_slash(&t) && c->ntok > 0 &&
		    tok_is_slash(&c->tok[c->ntok - 1]))
			continue;
		c->tok[c->ntok++] = t;
	}
	return 0;
}

/* Copy the plain pattern p[0..n) into r->lit, one '/' for each run. */
static int compile_literal(struct rule *r, const char *p, size_t n)
{
	size_t i, len = 0;

	r->lit = malloc(n + 1);
	if (!r->lit)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (p[i] == '/' && len > 0 && r->lit[len - 1] == '/')
			continue;
		if (p[i] == '/')
			r->slashes++;
		r->lit[len++] = p[i];
	}
	r->lit[len] = '\0';
	r->len = len;
	r->form = R_LITERAL;
	return 0;
}

static bool tok_is_star(const struct tok *t)
{
	return t->kind == T_STAR || t->kind == T_STAR2;
}

/* Is the rule '*' then plain bytes without '/' (the SUFFIX form)? */
static bool is_suffix_form(const struct rule *r, const struct compiler *c)
{
	size_t i;

	if (r->anchored || c->ntok < 2 || c->tok[0].kind != T_STAR)
		return false;
	for (i = 1; i < c->ntok; i++) {
		if (c->tok[i].kind != T_LIT || c->tok[i].ch == '/')
			return false;
	}
	return true;
}

static int make_suffix(struct rule *r, const struct compiler *c)
{
	size_t i;

	r->form = R_SUFFIX;
	r->len = c->ntok - 1;
	r->lit = malloc(r->len);
	if (!r->lit)
		return -ENOMEM;
	for (i = 0; i < r->len; i++)
		r->lit[i] = (char)c->tok[i + 1].ch;
	return 0;
}

/* The NFA's star bitmap, and the "dir" '/' "***" accepting state. */
static int make_nfa(struct rule *r)
{
	size_t i;

	r->form = R_NFA;
	r->stars = calloc(r->len / WORD_BITS + 1, sizeof(*r->stars));
	if (!r->stars)
		return -ENOMEM;
	for (i = 0; i < r->len; i++) {
		if (tok_is_star(&r->tok[i]))
			set_add(r->stars, i);
	}
	if (r->wild3) {
		/* The state after "dir" accepts directories; the bare
		 * directory ends before that '/'. */
		r->alt = r->len - 2;
		r->head = UCP_MIN(r->head, r->alt);
	}
	return 0;
}

/* Pick the form of a tokenized rule and build what that form needs. */
static int finish_wild(struct rule *r, const struct compiler *c)
{
	bool has_star2 = false;
	size_t i;

	if (c->ntok == 0)
		return -EINVAL; /* not reached: a wildcard is a token */
	if (is_suffix_form(r, c))
		return make_suffix(r, c);
	r->len = c->ntok;
	for (i = 0; i < c->ntok; i++) {
		r->slashes += tok_is_slash(&c->tok[i]);
		has_star2 |= c->tok[i].kind == T_STAR2;
	}
	while (r->head < c->ntok && !tok_is_star(&c->tok[r->head]))
		r->head++;
	while (r->fixed < c->ntok &&
	       !tok_is_star(&c->tok[c->ntok - 1 - r->fixed]))
		r->fixed++;
	/* Tokens and classes were sized for the worst case, one per
	 * pattern byte: keep copies of what the rule uses. */
	r->tok = malloc(c->ntok * sizeof(*r->tok));
	if (!r->tok)
		return -ENOMEM;
	memcpy(r->tok, c->tok, c->ntok * sizeof(*r->tok));
	if (c->nclasses > 0) {
		r->classes = malloc(c->nclasses * sizeof(*r->classes));
		if (!r->classes)
			return -ENOMEM;
		memcpy(r->classes, c->classes,
		       c->nclasses * sizeof(*r->classes));
	}
	if (has_star2)
		return make_nfa(r);
	r->form = R_GLOB;
	return 0;
}

static bool has_wildcard(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '*' || p[i] == '?' || p[i] == '[')
			return true;
	}
	return false;
}

static int compile(struct rule *r, const char *p, size_t n)
{
	struct compiler c = { 0 };
	int ret;

	if (n > 0 && p[0] == '/')
		r->anchored = true;
	while (n > 0 && p[0] == '/') {
		p++;
		n--;
	}
	while (n > 0 && p[n - 1] == '/') {
		r->dir_only = true;
		n--;
	}
	if (n == 0)
		return -EINVAL;
	if (!has_wildcard(p, n))
		return compile_literal(r, p, n);

	if (!r->anchored && n >= 2 && p[0] == '*' && p[1] == '*') {
		/* rsync matches these against "/" + path, from the start. */
		r->slash_prefix = true;
		r->anchored = true;
	}
	r->wild3 = n > 4 && memcmp(p + n - 4, "/***", 4) == 0;
	c.p = p;
	c.n = n;
	c.tok = calloc(n, sizeof(*c.tok));
	c.classes = calloc(n, sizeof(*c.classes));
	if (!c.tok || !c.classes) {
		ret = -ENOMEM;
		goto out;
	}
	ret = tokenize(&c);
	if (ret < 0)
		goto out;
	ret = finish_wild(r, &c);
out:
	free(c.tok);
	free(c.classes);
	return ret;
}

/* Room for one more rule. 0 or -ENOMEM. */
static int grow(struct ucp_filter *f)
{
	size_t cap = f->cap ? f->cap * 2 : 8, bytes;
	struct rule *rules;

	if (f->n < f->cap)
		return 0;
	if (ucp_mul_overflow(cap, sizeof(*rules), &bytes))
		return -ENOMEM;
	rules = realloc(f->rules, bytes);
	if (!rules)
		return -ENOMEM;
	f->rules = rules;
	f->cap = cap;
	return 0;
}

/* Append a pattern rule for sides (0: both, or the list's own). */
static int add_pattern(struct ucp_filter *f, enum ucp_filter_type type,
		       unsigned sides, const char *pattern)
{
	struct rule r = { .type = type, .sides = sides ? sides : f->sides };
	size_t n = strnlen(pattern, UCP_FILTER_PATTERN_MAX + 1);
	int ret;

	if (type != UCP_FILTER_INCLUDE && type != UCP_FILTER_EXCLUDE)
		return -EINVAL;
	if (n > UCP_FILTER_PATTERN_MAX)
		return -ENAMETOOLONG;
	ret = grow(f);
	if (ret < 0)
		return ret;
	ret = compile(&r, pattern, n);
	if (ret < 0) {
		rule_release(&r);
		return ret;
	}
	f->rules[f->n++] = r;
	return 0;
}

int ucp_filter_add(struct ucp_filter *f, enum ucp_filter_type type,
		   const char *pattern)
{
	return add_pattern(f, type, 0, pattern);
}

/* '!': the rules so far go; in a merge file, the inherited ones too. */
static void clear_list(struct ucp_filter *f)
{
	clear_rules(f);
	f->cleared = f->per_dir;
}

int ucp_filter_add_prefixed(struct ucp_filter *f, enum ucp_filter_type type,
			    const char *s)
{
	if (strcmp(s, "!") == 0) {
		clear_list(f);
		return 0;
	}
	if ((s[0] == '+' || s[0] == '-') && s[1] == ' ') {
		type = s[0] == '+' ? UCP_FILTER_INCLUDE : UCP_FILTER_EXCLUDE;
		s += 2;
	}
	return add_pattern(f, type, 0, s);
}

/* ---- rsync's filter rules ---- */

enum rule_kind { K_PATTERN, K_CLEAR, K_MERGE, K_DIR_MERGE };

/* A rule's name, short and long, and what it is. */
static const struct rule_name {
	char letter;
	const char *word;
	enum rule_kind kind;
	enum ucp_filter_type type;
	unsigned sides; /* fixed by the rule; 0: its modifiers say */
} rule_names[] = {
	{ '-', "exclude", K_PATTERN, UCP_FILTER_EXCLUDE, 0 },
	{ '+', "include", K_PATTERN, UCP_FILTER_INCLUDE, 0 },
	{ 'H', "hide", K_PATTERN, UCP_FILTER_EXCLUDE, UCP_FILTER_SIDE_SEND },
	{ 'S', "show", K_PATTERN, UCP_FILTER_INCLUDE, UCP_FILTER_SIDE_SEND },
	{ 'P', "protect", K_PATTERN, UCP_FILTER_EXCLUDE, UCP_FILTER_SIDE_RECV },
	{ 'R', "risk", K_PATTERN, UCP_FILTER_INCLUDE, UCP_FILTER_SIDE_RECV },
	{ '!', "clear", K_CLEAR, UCP_FILTER_NONE, 0 },
	{ '.', "merge", K_MERGE, UCP_FILTER_NONE, 0 },
	{ ':', "dir-merge", K_DIR_MERGE, UCP_FILTER_NONE, 0 },
};

/* A rule taken apart. */
struct parsed {
	const struct rule_name *name;
	unsigned sides;			/* 's', 'r' */
	bool no_inherit, exclude_self;	/* 'n', 'e' */
	enum ucp_filter_type line_type; /* '+', '-' */
	const char *arg;		/* the pattern or file name */
};

/*
 * The rule named at the start of s, long name or letter, and where its
 * modifiers start. NULL for an unknown name.
 */
static const struct rule_name *rule_name(const char *s, const char **rest)
{
	size_t i, len = strcspn(s, " ,_");

	for (i = 0; i < ARRAY_SIZE(rule_names); i++) {
		if (strlen(rule_names[i].word) == len &&
		    memcmp(s, rule_names[i].word, len) == 0) {
			*rest = s + len + (s[len] == ',');
			return &rule_names[i];
		}
	}
	for (i = 0; s[0] && i < ARRAY_SIZE(rule_names); i++) {
		if (s[0] == rule_names[i].letter) {
			*rest = s + 1 + (s[1] == ',');
			return &rule_names[i];
		}
	}
	return NULL;
}

/* Apply modifier m to p. -EBADMSG when the rule does not take it. */
static int modifier(struct parsed *p, char m)
{
	bool merge = p->name->kind == K_MERGE || p->name->kind == K_DIR_MERGE;

	if ((m == 's' || m == 'r') && !p->name->sides &&
	    p->name->kind != K_CLEAR) {
		p->sides |=
			m == 's' ? UCP_FILTER_SIDE_SEND : UCP_FILTER_SIDE_RECV;
		return 0;
	}
	if (merge && (m == '+' || m == '-') && !p->line_type) {
		p->line_type =
			m == '+' ? UCP_FILTER_INCLUDE : UCP_FILTER_EXCLUDE;
		return 0;
	}
	if (p->name->kind == K_DIR_MERGE && m == 'n')
		p->no_inherit = true;
	else if (merge && m == 'e')
		p->exclude_self = true;
	/* rsync's others (negation, absolute path, xattr names, perishable,
	 * CVS, word split, 'n' of a merge): known, not supported here. */
	else if (m && strchr("!/xpCwn", m))
		return -EOPNOTSUPP;
	else
		return -EBADMSG;
	return 0;
}

/*
 * Take rule s apart into *p. -EBADMSG for an unknown name or modifier,
 * -ENODATA for a rule without its pattern.
 */
static int parse_rule(const char *s, struct parsed *p)
{
	const char *m;
	int ret;

	memset(p, 0, sizeof(*p));
	p->name = rule_name(s, &m);
	if (!p->name)
		return -EBADMSG;
	for (; *m && *m != ' ' && *m != '_'; m++) {
		ret = modifier(p, *m);
		if (ret < 0)
			return ret;
	}
	if (*m)
		m++;
	if (p->name->kind == K_CLEAR)
		return *m ? -EBADMSG : 0;
	if (!*m)
		return -ENODATA; /* rsync: "unexpected end of filter rule" */
	p->arg = m;
	return 0;
}

/* The last component of a merge file's name. */
static const char *base_name(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

/* Append the dir-merge rule of p. */
static int add_dir_merge(struct ucp_filter *f, const struct parsed *p)
{
	const char *name = base_name(p->arg);
	struct rule r = { .form = R_MERGE,
			  .slot = f->nmerge,
			  .no_inherit = p->no_inherit,
			  .line_type = p->line_type,
			  .line_sides = p->sides };
	int ret;

	if (f->per_dir)
		return -EOPNOTSUPP;
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -EINVAL;
	ret = grow(f);
	if (ret < 0)
		return ret;
	r.lit = strdup(name);
	if (!r.lit)
		return -ENOMEM;
	r.len = strlen(name);
	f->rules[f->n++] = r;
	f->nmerge++;
	return 0;
}

int ucp_filter_add_rule(struct ucp_filter *f, const char *rule,
			struct ucp_filter_merge *merge)
{
	struct parsed p;
	int ret = parse_rule(rule, &p);

	if (ret < 0)
		return ret;
	switch (p.name->kind) {
	case K_CLEAR:
		clear_list(f);
		return 0;
	case K_PATTERN:
		return add_pattern(f, p.name->type,
				   p.name->sides ? p.name->sides : p.sides,
				   p.arg);
	case K_MERGE:
		if (!merge || p.sides)
			return -EOPNOTSUPP;
		merge->name = p.arg;
		merge->type = p.line_type;
		ret = 1;
		break;
	default:
		/*
		 * 'e' before the rules the files will hold, as rsync puts
		 * it: their own "+ .*" does not take the file back in.
		 */
		if (p.exclude_self && !f->per_dir) {
			ret = add_pattern(f, UCP_FILTER_EXCLUDE, 0,
					  base_name(p.arg));
			if (ret < 0)
				return ret;
			p.exclude_self = false;
		}
		ret = add_dir_merge(f, &p);
		break;
	}
	/* (A merge file's rules come after: the caller reads it then.) */
	if (ret >= 0 && p.exclude_self) {
		int r2 =
			add_pattern(f, UCP_FILTER_EXCLUDE, 0, base_name(p.arg));

		ret = r2 < 0 ? r2 : ret;
	}
	return ret;
}

/* How the entries of a file are taken. */
enum line_mode {
	LINES_PREFIXED, /* --exclude-from: ucp_filter_add_prefixed */
	LINES_PLAIN,	/* a merge file with '+' or '-': patterns only */
	LINES_RULES,	/* a merge file: rules */
};

static int add_line(struct ucp_filter *f, enum line_mode mode,
		    enum ucp_filter_type type, const char *s)
{
	switch (mode) {
	case LINES_PREFIXED:
		return ucp_filter_add_prefixed(f, type, s);
	case LINES_PLAIN:
		return add_pattern(f, type, 0, s);
	default:
		/* (A merge within a merge file: -EOPNOTSUPP.) */
		return ucp_filter_add_rule(f, s, NULL);
	}
}

/* Add the entries of fd to f, as mode says. See ucp_filter_add_fd. */
static int add_lines(struct ucp_filter *f, enum line_mode mode,
		     enum ucp_filter_type type, int fd, bool from0,
		     size_t *line)
{
	struct ucp_fileslist *fl = NULL;
	struct ucp_fileslist_entry e;
	unsigned flags = UCP_FILESLIST_RAW;
	int ret;

	if (line)
		*line = 0;
	if (from0)
		flags |= UCP_FILESLIST_FROM0;
	ret = ucp_fileslist_new(&fl, fd, flags);
	if (ret < 0)
		return ret;
	for (;;) {
		bool is_entry_error;

		ret = ucp_fileslist_next(fl, &e);
		if (ret == 0)
			break;
		/* Only a read error belongs to no entry. */
		is_entry_error = ret == -ENAMETOOLONG || ret == -EINVAL;
		if (ret > 0) {
			ret = add_line(f, mode, type, e.name);
			is_entry_error = true;
		}
		if (ret < 0) {
			if (line && is_entry_error)
				*line = e.line;
			break;
		}
	}
	ucp_fileslist_free(fl);
	return ret;
}

int ucp_filter_add_fd(struct ucp_filter *f, enum ucp_filter_type type, int fd,
		      bool from0, size_t *line)
{
	return add_lines(f, LINES_PREFIXED, type, fd, from0, line);
}

int ucp_filter_merge_fd(struct ucp_filter *f, const struct ucp_filter_merge *m,
			int fd, bool from0, size_t *line)
{
	return add_lines(f, m->type ? LINES_PLAIN : LINES_RULES, m->type, fd,
			 from0, line);
}

/* ---- matching ---- */

/*
 * The path being matched. comp[k] is where its last k + 1 components
 * begin; they are found from the end as rules ask, once per path.
 */
#define MAX_COMPS 16

struct subject {
	const unsigned char *s;
	size_t len;
	size_t ncomp;	/* entries of comp[] found so far */
	bool all_comps; /* and there are no more */
	size_t comp[MAX_COMPS];
};

static void subject_init(struct subject *sub, const char *s, size_t len)
{
	sub->s = (const unsigned char *)s;
	sub->len = len;
	sub->ncomp = 0;
	sub->all_comps = false;
}

/* The start of the component before the one starting at i (len + 1: none). */
static size_t prev_comp(const struct subject *sub, size_t i)
{
	i--;
	while (i > 0 && sub->s[i - 1] != '/')
		i--;
	return i;
}

/*
 * Where the last (slashes + 1) components of the path begin, or SIZE_MAX
 * when it has fewer.
 */
static size_t tail_start(struct subject *sub, size_t slashes)
{
	size_t i, k;

	while (sub->ncomp <= slashes && sub->ncomp < MAX_COMPS &&
	       !sub->all_comps) {
		i = sub->ncomp ? sub->comp[sub->ncomp - 1] : sub->len + 1;
		if (i == 0)
			sub->all_comps = true;
		else
			sub->comp[sub->ncomp++] = prev_comp(sub, i);
	}
	if (slashes < sub->ncomp)
		return sub->comp[slashes];
	if (sub->all_comps)
		return SIZE_MAX;
	/* Deeper than the cache: walk on from its last entry. */
	i = sub->comp[MAX_COMPS - 1];
	for (k = MAX_COMPS - 1; k < slashes; k++) {
		if (i == 0)
			return SIZE_MAX;
		i = prev_comp(sub, i);
	}
	return i;
}

static bool tok_accepts(const struct rule *r, const struct tok *t,
			unsigned char c)
{
	switch (t->kind) {
	case T_LIT:
		return c == t->ch;
	case T_ANY:
		return c != '/';
	case T_CLASS:
		return set_has(r->classes[t->cls].w, c);
	default:
		return false;
	}
}

/*
 * GLOB form: does s[0..n) match the whole token list? On a mismatch, let
 * the last '*' swallow one more byte and retry from there; a '*' cannot
 * swallow a '/', and then nothing earlier can help either, since every
 * '/' of the pattern must meet its own '/' of the path.
 */
static bool glob_match(const struct rule *r, const unsigned char *s, size_t n)
{
	const struct tok *t = r->tok;
	size_t m = r->len, ti = 0, si = 0, star_ti = SIZE_MAX, star_si = 0;

	while (si < n) {
		if (ti < m && t[ti].kind == T_STAR) {
			star_ti = ++ti;
			star_si = si;
			continue;
		}
		if (ti < m && tok_accepts(r, &t[ti], s[si])) {
			ti++;
			si++;
			continue;
		}
		if (star_ti == SIZE_MAX || s[star_si] == '/')
			return false;
		ti = star_ti;
		si = ++star_si;
	}
	while (ti < m && t[ti].kind == T_STAR)
		ti++;
	return ti == m;
}

/* Advance the NFA states in cur over byte c into next (nw words). */
static void nfa_step(const struct rule *r, const uint64_t *cur, uint64_t *next,
		     size_t nw, unsigned char c)
{
	size_t w, i;

	memset(next, 0, nw * sizeof(*next));
	for (w = 0; w < nw; w++) {
		uint64_t bits = cur[w];

		while (bits) {
			i = w * WORD_BITS + (size_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			if (i == r->len)
				continue; /* the accepting state */
			switch (r->tok[i].kind) {
			case T_STAR:
				if (c != '/')
					set_add(next, i);
				break;
			case T_STAR2:
				set_add(next, i);
				break;
			default:
				if (tok_accepts(r, &r->tok[i], c))
					set_add(next, i + 1);
				break;
			}
		}
	}
}

/*
 * A star may match nothing: each state on a star also enables the state
 * after it. Stars are never adjacent (a run of '*' is one token), so one
 * shifted OR is the whole closure. Returns false when no state is left.
 */
static bool nfa_close(const struct rule *r, uint64_t *set, size_t nw)
{
	uint64_t carry = 0, any = 0;
	size_t w;

	for (w = 0; w < nw; w++) {
		uint64_t on_star = set[w] & r->stars[w];

		set[w] |= (on_star << 1) | carry;
		carry = on_star >> (WORD_BITS - 1);
		any |= set[w];
	}
	return any != 0;
}

/* NFA form: unanchored rules restart after every '/' of the path. */
static bool nfa_match(const struct rule *r, const unsigned char *s, size_t n,
		      bool is_dir)
{
	uint64_t a[NFA_WORDS], b[NFA_WORDS], *cur = a, *next = b, *tmp;
	size_t nw = r->len / WORD_BITS + 1, i;

	memset(cur, 0, nw * sizeof(*cur));
	set_add(cur, 0);
	nfa_close(r, cur, nw);
	if (r->slash_prefix) {
		nfa_step(r, cur, next, nw, '/');
		nfa_close(r, next, nw);
		tmp = cur;
		cur = next;
		next = tmp;
	}
	for (i = 0; i < n; i++) {
		nfa_step(r, cur, next, nw, s[i]);
		if (!r->anchored && s[i] == '/')
			set_add(next, 0);
		if (!nfa_close(r, next, nw)) {
			const unsigned char *slash;

			if (r->anchored)
				return false;
			/* Dead until the next component starts afresh. */
			slash = memchr(s + i + 1, '/', n - i - 1);
			if (!slash)
				return false;
			i = (size_t)(slash - s) - 1;
			memset(next, 0, nw * sizeof(*next));
		}
		tmp = cur;
		cur = next;
		next = tmp;
	}
	return set_has(cur, r->len) ||
	       (r->wild3 && is_dir && set_has(cur, r->alt));
}

/*
 * Whatever matches the whole pattern ends with bytes that match its tokens
 * after the last star, one for one: checking them first, from the end of
 * the path, turns most non-matches away before the real matcher runs.
 */
static bool fixed_ends_match(const struct rule *r, const unsigned char *s,
			     size_t n)
{
	size_t i;

	/* Likewise an anchored match starts with the tokens before the
	 * first star (the "**" of slash_prefix rules leaves none). */
	if (r->anchored) {
		if (n < r->head)
			return false;
		for (i = 0; i < r->head; i++) {
			if (!tok_accepts(r, &r->tok[i], s[i]))
				return false;
		}
	}

	for (i = 0; i < r->fixed; i++) {
		const struct tok *t = &r->tok[r->len - 1 - i];
		unsigned char c;

		if (i < n)
			c = s[n - 1 - i];
		else if (i == n && r->slash_prefix)
			c = '/';
		else
			return false;
		if (!tok_accepts(r, t, c))
			return false;
	}
	return true;
}

/* Does the path end with the r->len bytes of r->lit? */
static bool ends_with_lit(const struct rule *r, const struct subject *sub)
{
	return sub->len >= r->len &&
	       memcmp(sub->s + sub->len - r->len, r->lit, r->len) == 0;
}

static bool rule_matches(const struct rule *r, struct subject *sub, bool is_dir)
{
	size_t start;

	switch (r->form) {
	case R_LITERAL:
		/* The bytes hold the pattern's slashes: only where the
		 * match starts is left to check. */
		if (!ends_with_lit(r, sub))
			return false;
		start = sub->len - r->len;
		return start == 0 || (!r->anchored && sub->s[start - 1] == '/');
	case R_SUFFIX:
		/* The bytes hold no slash: they are all in the last name. */
		return ends_with_lit(r, sub);
	case R_GLOB:
		if (!fixed_ends_match(r, sub->s, sub->len))
			return false;
		start = r->anchored ? 0 : tail_start(sub, r->slashes);
		return start != SIZE_MAX &&
		       glob_match(r, sub->s + start, sub->len - start);
	default:
		return fixed_ends_match(r, sub->s, sub->len) &&
		       nfa_match(r, sub->s, sub->len, is_dir);
	}
}

/* Whether rule r counts on side. */
static bool on_side(const struct rule *r, enum ucp_filter_side side)
{
	switch (side) {
	case UCP_FILTER_SENDER:
		return !r->sides || (r->sides & UCP_FILTER_SIDE_SEND);
	case UCP_FILTER_RECEIVER:
		return !r->sides || (r->sides & UCP_FILTER_SIDE_RECV);
	default:
		return (r->sides & UCP_FILTER_SIDE_RECV) != 0;
	}
}

/*
 * The first pattern rule of the list f (which has no merges) to match: an
 * anchored one against the path from the list's directory (rel), another
 * against the whole path (full), whose end it matches, as rsync matches a
 * per-directory file's "*" then "/cache/" and "*" against "proj/cache/x".
 */
static enum ucp_filter_type match_list(const struct ucp_filter *f,
				       struct subject *rel,
				       struct subject *full, bool is_dir,
				       enum ucp_filter_side side)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		const struct rule *r = &f->rules[i];

		if ((r->dir_only && !is_dir) || !on_side(r, side))
			continue;
		if (rule_matches(r, r->anchored ? rel : full, is_dir))
			return r->type;
	}
	return UCP_FILTER_NONE;
}

/*
 * The per-directory rules of merge rule m, the nearest directory's first,
 * an anchored one matched against the path from its own directory; own is
 * where the entry's directory starts in the path.
 */
static enum ucp_filter_type match_merged(const struct rule *m,
					 const struct ucp_filter_dir *dir,
					 const char *relpath, size_t len,
					 size_t own, bool is_dir,
					 enum ucp_filter_side side)
{
	enum ucp_filter_type t;
	struct subject sub, full;

	subject_init(&full, relpath, len);
	for (; dir; dir = dir->up) {
		const struct ucp_filter *l =
			m->slot < dir->n ? dir->lists[m->slot].list : NULL;

		if (!l || (m->no_inherit && dir->base != own))
			continue;
		if (dir->base < len) {
			subject_init(&sub, relpath + dir->base,
				     len - dir->base);
			t = match_list(l, &sub, &full, is_dir, side);
			if (t != UCP_FILTER_NONE)
				return t;
		}
		if (l->cleared)
			break;
	}
	return UCP_FILTER_NONE;
}

enum ucp_filter_type ucp_filter_match_in(const struct ucp_filter *f,
					 const struct ucp_filter_dir *dir,
					 const char *relpath, size_t len,
					 bool is_dir, enum ucp_filter_side side)
{
	const char *slash;
	struct subject sub;
	size_t i, own;

	if (len == 0 || f->n == 0)
		return UCP_FILTER_NONE;
	slash = memrchr(relpath, '/', len);
	own = slash ? (size_t)(slash - relpath) + 1 : 0;
	subject_init(&sub, relpath, len);
	for (i = 0; i < f->n; i++) {
		const struct rule *r = &f->rules[i];
		enum ucp_filter_type t;

		if (r->form == R_MERGE) {
			t = match_merged(r, dir, relpath, len, own, is_dir,
					 side);
			if (t != UCP_FILTER_NONE)
				return t;
			continue;
		}
		if ((r->dir_only && !is_dir) || !on_side(r, side))
			continue;
		if (rule_matches(r, &sub, is_dir))
			return r->type;
	}
	return UCP_FILTER_NONE;
}

enum ucp_filter_type ucp_filter_match(const struct ucp_filter *f,
				      const char *relpath, size_t len,
				      bool is_dir)
{
	return ucp_filter_match_in(f, NULL, relpath, len, is_dir,
				   UCP_FILTER_SENDER);
}

/* ---- per-directory merge files ---- */

size_t ucp_filter_merges(const struct ucp_filter *f)
{
	return f->nmerge;
}

const char *ucp_filter_fault(int err)
{
	switch (err) {
	case EBADMSG:
		return "unknown filter rule";
	case ENODATA:
		return "unexpected end of filter rule";
	case EOPNOTSUPP:
		return "filter rule not supported";
	case ENAMETOOLONG:
		return "pattern longer than 4096 bytes";
	default:
		return "invalid pattern";
	}
}

void ucp_filter_dir_free(struct ucp_filter_dir *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++)
		ucp_filter_free(d->lists[i].list);
	free(d);
}

/*
 * Open merge file name of directory dirfd, a tree others may write: a
 * regular file (a FIFO there must not hang the run), through a symbolic
 * link only if root or the running user owns the link, as rsync (else a
 * user could have root read a file of root's as rules). -errno on failure.
 */
static int open_list(int dirfd, const char *name)
{
	const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct stat st;
	int fd = openat(dirfd, name, flags | O_NOFOLLOW), err;

	if (fd < 0 && errno == ELOOP) {
		/* The link's owner and target read off the one inode, so
		 * that no other link can take its name in between. */
		char target[PATH_MAX];
		int lfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		ssize_t n = -1;

		if (lfd >= 0 && fstat(lfd, &st) == 0) {
			if (st.st_uid != 0 && st.st_uid != geteuid())
				errno = EPERM;
			else
				n = readlinkat(lfd, "", target,
					       sizeof(target) - 1);
		}
		err = errno;
		if (lfd >= 0)
			(void)close(lfd); /* O_PATH */
		if (n < 0)
			return -err;
		target[n] = '\0';
		fd = openat(dirfd, target, flags);
	}
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = EINVAL;
	else
		return fd;
	(void)close(fd); /* only opened */
	return -err;
}

/* Read merge file r->lit of directory dirfd into *out (NULL: none). */
static int load_list(const struct rule *r, int dirfd, struct ucp_filter **out,
		     size_t *line)
{
	struct ucp_filter *l = NULL;
	int fd, ret;

	*out = NULL;
	fd = open_list(dirfd, r->lit);
	if (fd < 0)
		return fd == -ENOENT || fd == -ENOTDIR ? 0 : fd;
	ret = ucp_filter_new(&l);
	if (ret == 0) {
		l->per_dir = true;
		l->sides = r->line_sides;
		ret = add_lines(l, r->line_type ? LINES_PLAIN : LINES_RULES,
				r->line_type, fd, false, line);
	}
	(void)close(fd); /* only read */
	if (ret < 0) {
		ucp_filter_free(l);
		return ret;
	}
	*out = l;
	return 0;
}

int ucp_filter_dir_load_with(const struct ucp_filter *f,
			     const struct ucp_filter_dir *up,
			     ucp_filter_pick_fn pick, void *arg, size_t base,
			     struct ucp_filter_dir **out,
			     struct ucp_filter_dir_error *err)
{
	struct ucp_filter_dir *d = NULL;
	size_t i, found = 0;
	int ret = 0, dirfd;

	*out = NULL;
	if (!f->nmerge)
		return 0;
	d = calloc(1, sizeof(*d) + f->nmerge * sizeof(d->lists[0]));
	if (!d)
		return -ENOMEM;
	d->up = up;
	d->base = base;
	d->n = f->nmerge;
	for (i = 0; i < f->n && ret == 0; i++) {
		const struct rule *r = &f->rules[i];

		if (r->form != R_MERGE)
			continue;
		dirfd = pick(arg, r->lit);
		if (dirfd < 0)
			continue;
		ret = load_list(r, dirfd, &d->lists[r->slot].list, &err->line);
		if (ret < 0)
			err->name = r->lit;
		found += d->lists[r->slot].list != NULL;
	}
	if (ret < 0 || !found) {
		ucp_filter_dir_free(d);
		return ret;
	}
	*out = d;
	return 0;
}

/* ucp_filter_dir_load's choice: the one directory, for every file. */
static int same_dir(void *arg, const char *name)
{
	(void)name;
	return *(const int *)arg;
}

int ucp_filter_dir_load(const struct ucp_filter *f,
			const struct ucp_filter_dir *up, int dirfd, size_t base,
			struct ucp_filter_dir **out,
			struct ucp_filter_dir_error *err)
{
	return ucp_filter_dir_load_with(f, up, same_dir, &dirfd, base, out,
					err);
}
