/* SPDX-License-Identifier: MIT */
/*
 * fuzz_quote.c: libFuzzer harness for the way names reach the terminal:
 * ucp_quote, and the renderer's events that print names (error messages,
 * -v lines, --itemize-changes lines, --list lines, JSON error objects).
 *
 * Input: a selector byte (which event, -v, JSON), a byte of details (the
 * op, errno, flags), then NUL-separated strings used as the names of the
 * event (paths, a library message, link target, owner names). The engine's
 * own words (the itemize code, the reason of an engine fallback, option
 * names) are not taken from the input.
 *
 * Checked: a text line is valid UTF-8 with no control character (C0, DEL
 * or C1) but its final newline (and the tabs rsync's escaping keeps in
 * --itemize-changes names), so no name can move the cursor, clear the
 * screen or forge a second line; a JSON line is one well-formed object;
 * ucp_quote's output is quoted and gives the name back when its escapes
 * are undone.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "options.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The renderer asks the engine for progress only when it draws some. */
void ucp_snapshot(struct ucp_ctx *ctx, struct ucp_snapshot *snap)
{
	(void)ctx;
	memset(snap, 0, sizeof(*snap));
}

#define NSTR 6

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* past U+10FFFF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * Safe for a terminal: UTF-8 and no control character but, with tab_ok, a
 * tab (rsync's --itemize-changes names keep theirs); with is_line, one
 * line (or nothing), without, no newline at all.
 */
static void check_text(const char *buf, size_t len, bool is_line, bool tab_ok)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;

	while (i < len) {
		size_t n = utf8_seq(s + i, len - i);

		if (n == 0)
			abort();
		if (s[i] == '\n' && (!is_line || i != len - 1))
			abort();
		if ((s[i] < 0x20 && s[i] != '\n' &&
		     !(s[i] == '\t' && tab_ok)) ||
		    s[i] == 0x7f)
			abort();
		if (s[i] == 0xc2 && s[i + 1] < 0xa0) /* U+0080..U+009F */
			abort();
		i += n;
	}
	if (is_line && len > 0 && s[len - 1] != '\n')
		abort();
}

/* ---- a small JSON reader: is buf one object and a newline? ---- */

struct json {
	const unsigned char *s;
	size_t i, n;
	unsigned depth;
};

static bool json_value(struct json *j);

static void json_space(struct json *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t'))
		j->i++;
}

static bool json_string(struct json *j)
{
	if (j->i >= j->n || j->s[j->i] != '"')
		return false;
	for (j->i++; j->i < j->n; j->i++) {
		unsigned char c = j->s[j->i];

		if (c == '"') {
			j->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (++j->i >= j->n)
			return false;
		c = j->s[j->i];
		if (c == 'u') {
			size_t k;

			for (k = 1; k <= 4; k++)
				if (j->i + k >= j->n ||
				    !strchr("0123456789abcdefABCDEF",
					    j->s[j->i + k]) ||
				    !j->s[j->i + k])
					return false;
			j->i += 4;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return false;
		}
	}
	return false;
}

static bool json_number(struct json *j)
{
	size_t start = j->i;

	if (j->i < j->n && j->s[j->i] == '-')
		j->i++;
	while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
		j->i++;
	return j->i > start && j->s[j->i - 1] != '-';
}

static bool json_word(struct json *j, const char *w)
{
	size_t n = strlen(w);

	if (j->n - j->i < n || memcmp(j->s + j->i, w, n) != 0)
		return false;
	j->i += n;
	return true;
}

static bool json_object(struct json *j)
{
	bool ok = false;

	if (++j->depth > 8)
		return false;
	j->i++; /* the '{' */
	json_space(j);
	if (j->i < j->n && j->s[j->i] == '}') {
		j->i++;
		j->depth--;
		return true;
	}
	for (;;) {
		json_space(j);
		if (!json_string(j))
			break;
		json_space(j);
		if (j->i >= j->n || j->s[j->i++] != ':')
			break;
		json_space(j);
		if (!json_value(j))
			break;
		json_space(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		ok = j->i < j->n && j->s[j->i++] == '}';
		break;
	}
	j->depth--;
	return ok;
}

static bool json_value(struct json *j)
{
	if (j->i >= j->n)
		return false;
	switch (j->s[j->i]) {
	case '{':
		return json_object(j);
	case '"':
		return json_string(j);
	case 't':
		return json_word(j, "true");
	case 'f':
		return json_word(j, "false");
	case 'n':
		return json_word(j, "null");
	default:
		return json_number(j);
	}
}

static void check_json(const char *buf, size_t len)
{
	struct json j = { .s = (const unsigned char *)buf, .n = len };

	if (len == 0)
		return;
	if (buf[0] != '{' || !json_object(&j) || j.i != len - 1 ||
	    buf[len - 1] != '\n')
		abort();
}

/* ---- ucp_quote alone ---- */

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Undo the escapes of a quoted name; abort on one ucp_quote never writes. */
static void unquote(const char *q, size_t n, char *out, size_t *outlen)
{
	size_t i, o = 0;

	if (n < 2 || q[0] != '\'' || q[n - 1] != '\'')
		abort();
	for (i = 1; i < n - 1; i++) {
		if (q[i] == '\'')
			abort(); /* an unescaped quote ends the name early */
		if (q[i] != '\\') {
			out[o++] = q[i];
			continue;
		}
		if (++i >= n - 1)
			abort();
		switch (q[i]) {
		case '\'':
		case '\\':
			out[o++] = q[i];
			break;
		case 'n':
			out[o++] = '\n';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 'x':
			if (i + 2 >= n - 1 || hex(q[i + 1]) < 0 ||
			    hex(q[i + 2]) < 0)
				abort();
			out[o++] = (char)(hex(q[i + 1]) * 16 + hex(q[i + 2]));
			i += 2;
			break;
		default:
			abort();
		}
	}
	*outlen = o;
}

static void check_quote(const char *name)
{
	char *q = NULL, *back;
	size_t qlen = 0, blen;
	FILE *m = open_memstream(&q, &qlen);

	if (!m)
		abort();
	ucp_quote(m, name);
	if (fclose(m) != 0)
		abort();
	check_text(q, qlen, false, false);
	back = malloc(qlen);
	if (!back)
		abort();
	unquote(q, qlen, back, &blen);
	if (blen != strlen(name) || memcmp(back, name, blen) != 0)
		abort();
	free(back);
	free(q);
}

/* ---- the events ---- */

enum event { EV_ERROR, EV_ITEMIZE, EV_MEMBER, EV_COPIED, EV_NR };

/* Ops whose strings are the engine's words, not names. */
static void engine_words(struct ucp_error *e)
{
	if (e->op == UCP_OP_ENGINE_FALLBACK)
		e->path = "io_uring_setup: Operation not permitted";
	if (e->op == UCP_OP_REF_MISSING)
		e->msg = "--link-dest";
	if (e->op == UCP_OP_MAX_DELETE)
		e->msg = "3 skipped";
}

static void fire(const struct ucp_events *ev, enum event kind, unsigned d,
		 const char *const *s)
{
	static const int errs[] = { 0, ENOENT, EACCES, ENOTTY };
	static const uint32_t types[] = { S_IFREG, S_IFDIR, S_IFLNK,  S_IFCHR,
					  S_IFBLK, S_IFIFO, S_IFSOCK, 0 };

	switch (kind) {
	case EV_ERROR: {
		struct ucp_error e = {
			.op = (enum ucp_op)(d % UCP_OP_NR),
			.err = errs[(d >> 5) & 3],
			.path = s[0] ? s[0] : "",
			.path2 = s[1],
			.msg = s[2],
			.fatal = d & 0x80,
		};

		/* Two-path messages always have their second path. */
		if (!e.path2 &&
		    (e.op == UCP_OP_SAME_FILE || e.op == UCP_OP_INTO_SELF ||
		     e.op == UCP_OP_DIR_OVER_NONDIR ||
		     e.op == UCP_OP_NONDIR_OVER_DIR || e.op == UCP_OP_BACKUP))
			e.path2 = "";
		engine_words(&e);
		ev->error(ev->arg, &e);
		break;
	}
	case EV_ITEMIZE:
		ev->itemize(ev->arg, d & 1 ? "*deleting  " : ">f+++++++++",
			    s[0] ? s[0] : "");
		break;
	case EV_MEMBER: {
		struct ucp_member m = {
			.path = s[0] ? s[0] : "",
			.link = s[1],
			.is_hardlink = d & 1,
			.mode = types[(d >> 1) & 7] | (d * 0x29u & 07777),
			.size = (uint64_t)d << 40,
			.mtime =
				d & 0x10 ? INT64_MAX : (int64_t)d * 86400 * 365,
			.uid = d,
			.gid = (uint64_t)d << 33,
			.uname = s[2],
			.gname = s[3],
			.rdev_major = d,
			.rdev_minor = d * 7,
		};

		ev->member(ev->arg, &m);
		break;
	}
	default:
		ev->copied(ev->arg, s[0] ? s[0] : "", s[1] ? s[1] : "",
			   d & 1 ? "reflink" : NULL, s[2]);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s[NSTR] = { NULL };
	char *buf, *out = NULL, *err = NULL;
	size_t outlen = 0, errlen = 0, i, k = 0;
	struct ucp_events ev;
	struct ucp_report *r;
	struct ucp_opts o;
	FILE *saved_out = stdout, *saved_err = stderr;
	unsigned sel, d;
	bool json;

	if (size < 2)
		return 0;
	sel = data[0];
	d = data[1];
	buf = malloc(size - 1);
	if (!buf)
		abort();
	memcpy(buf, data + 2, size - 2);
	buf[size - 2] = '\0';
	/* NUL-separated strings; an absent one is NULL. */
	for (i = 0; i < size - 2 && k < NSTR; i += strlen(buf + i) + 1)
		s[k++] = buf + i;
	if (s[0])
		check_quote(s[0]);

	memset(&o, 0, sizeof(o));
	o.cfg.verbose = sel & 0x10;
	json = sel & 0x20;
	o.progress = json ? UCP_PROGRESS_JSON : UCP_PROGRESS_NONE;
	stdout = open_memstream(&out, &outlen);
	stderr = open_memstream(&err, &errlen);
	if (!stdout || !stderr)
		abort();
	r = ucp_report_new(&o);
	if (!r)
		abort();
	ucp_report_events(r, &ev);
	fire(&ev, (enum event)(sel % EV_NR), d, s);
	ucp_report_free(r);
	if (fclose(stdout) != 0 || fclose(stderr) != 0)
		abort();
	stdout = saved_out;
	stderr = saved_err;

	check_text(out, outlen, true, sel % EV_NR == EV_ITEMIZE);
	if (json && sel % EV_NR == EV_ERROR)
		check_json(err, errlen);
	else
		check_text(err, errlen, true, false);
	free(out);
	free(err);
	free(buf);
	return 0;
}
