/* SPDX-License-Identifier: MIT */
/*
 * report.c: error wording, -v lines and the progress line.
 *
 * Wording follows cp: "ucp: cannot open 'a/b': Permission denied". The
 * progress line waits a second before it first appears (short runs show
 * nothing), redraws at most ten times a second, and always prints the
 * final totals once it has been shown.
 */
#include "report.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

struct ucp_report {
	pthread_mutex_t lock;
	struct ucp_ctx *ctx;
	enum ucp_progress_mode mode; /* resolved: BAR, PLAIN or NONE */
	bool verbose, quiet;
	bool line_shown; /* a bar line is on screen without a newline */
	bool ever_shown;
	double start, last_draw, last_rate_t;
	uint64_t last_rate_bytes;
	double rate; /* smoothed bytes per second */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void ucp_quote(FILE *f, const char *path)
{
	const unsigned char *s = (const unsigned char *)path;

	fputc('\'', f);
	while (*s) {
		size_t n;

		if (*s == '\'') {
			fputs("\\'", f);
		} else if (*s == '\n') {
			fputs("\\n", f);
		} else if (*s == '\t') {
			fputs("\\t", f);
		} else if (*s == '\r') {
			fputs("\\r", f);
		} else if (*s < 0x20 || *s == 0x7f) {
			fprintf(f, "\\x%02x", *s);
		} else if (*s >= 0x80) {
			n = utf8_len(s);
			if (n == 0) {
				fprintf(f, "\\x%02x", *s);
			} else {
				fwrite(s, 1, n, f);
				s += n;
				continue;
			}
		} else {
			fputc(*s, f);
		}
		s++;
	}
	fputc('\'', f);
}

static const char *const verbs[] = {
	[UCP_OP_STAT] = "stat",
	[UCP_OP_OPEN] = "open",
	[UCP_OP_OPENDIR] = "open directory",
	[UCP_OP_READDIR] = "read directory",
	[UCP_OP_READ] = "read",
	[UCP_OP_CREATE] = "create regular file",
	[UCP_OP_WRITE] = "write",
	[UCP_OP_MKDIR] = "create directory",
	[UCP_OP_READLINK] = "read symbolic link",
	[UCP_OP_SYMLINK] = "create symbolic link",
	[UCP_OP_MKNOD] = "create special file",
	[UCP_OP_RENAME] = "rename into",
	[UCP_OP_CHMOD] = "set permissions of",
	[UCP_OP_CLOSE] = "close",
	[UCP_OP_CHOWN] = "preserve ownership of",
	[UCP_OP_UTIMES] = "preserve times of",
	[UCP_OP_LINK] = "create hard link",
	[UCP_OP_XATTR] = "preserve extended attributes of",
	[UCP_OP_CLONE] = "clone",
	[UCP_OP_DELETE] = "delete",
};

static void clear_line(struct ucp_report *r)
{
	if (r->line_shown) {
		fputs("\r\033[K", stderr);
		r->line_shown = false;
	}
}

/* Print one error record in cp's words (lock held). */
static void render_error(const struct ucp_error *e)
{
	fputs("ucp: ", stderr);
	switch (e->op) {
	case UCP_OP_SAME_FILE:
		ucp_quote(stderr, e->path);
		fputs(" and ", stderr);
		ucp_quote(stderr, e->path2);
		fputs(" are the same file\n", stderr);
		return;
	case UCP_OP_INTO_SELF:
		fputs("cannot copy a directory, ", stderr);
		ucp_quote(stderr, e->path);
		fputs(", into itself, ", stderr);
		ucp_quote(stderr, e->path2);
		fputc('\n', stderr);
		return;
	case UCP_OP_OMIT_DIR:
		fputs("-r not specified; omitting directory ", stderr);
		break;
	case UCP_OP_DIR_OVER_NONDIR:
	case UCP_OP_NONDIR_OVER_DIR:
		fputs(e->op == UCP_OP_DIR_OVER_NONDIR
			      ? "cannot overwrite non-directory "
			      : "cannot overwrite directory ",
		      stderr);
		ucp_quote(stderr, e->path2);
		fputs(e->op == UCP_OP_DIR_OVER_NONDIR ? " with directory "
						      : " with non-directory ",
		      stderr);
		ucp_quote(stderr, e->path);
		fputc('\n', stderr);
		return;
	case UCP_OP_CHANGED:
		fputs("warning: file changed as we read it: ", stderr);
		break;
	case UCP_OP_SKIP_SOCKET:
		fputs("warning: skipping socket ", stderr);
		break;
	case UCP_OP_NOT_OVERWRITTEN:
		fputs("not replacing ", stderr);
		ucp_quote(stderr, e->path);
		if (e->err == ENOTTY)
			fputs(": standard input is not a terminal to ask on",
			      stderr);
		else if (e->err)
			fprintf(stderr, ": %s", strerror(e->err));
		fputc('\n', stderr);
		return;
	case UCP_OP_BACKUP:
		fputs("cannot back up ", stderr);
		ucp_quote(stderr, e->path);
		fputs(" to ", stderr);
		ucp_quote(stderr, e->path2);
		fprintf(stderr, ": %s\n", strerror(e->err));
		return;
	case UCP_OP_RELATIVE_SYMLINK:
		ucp_quote(stderr, e->path);
		fputs(": can make relative symbolic links only in current "
		      "directory\n",
		      stderr);
		return;
	case UCP_OP_DELETE_SKIPPED:
		fputs("some entries failed, so nothing under ", stderr);
		ucp_quote(stderr, e->path);
		fputs(" was deleted (--ignore-errors deletes anyway)\n",
		      stderr);
		return;
	case UCP_OP_SYNC_SOURCE:
		fputs("--sync mirrors a directory; not a directory: ", stderr);
		ucp_quote(stderr, e->path);
		fputc('\n', stderr);
		return;
	case UCP_OP_PARENTS_TARGET:
		fputs("with --parents, the destination must be a directory: ",
		      stderr);
		ucp_quote(stderr, e->path);
		fputc('\n', stderr);
		return;
	case UCP_OP_NOT_DIR_TARGET:
		fputs("target ", stderr);
		ucp_quote(stderr, e->path);
		fputs(" is not a directory\n", stderr);
		return;
	case UCP_OP_ENGINE_FALLBACK:
		if (e->fatal)
			fprintf(stderr, "io_uring engine unavailable: %s\n",
				e->path);
		else
			fprintf(stderr,
				"io_uring unavailable (%s); using the thread engine\n",
				e->path);
		return;
	default:
		fprintf(stderr, "cannot %s ",
			(size_t)e->op < sizeof(verbs) / sizeof(verbs[0]) &&
					verbs[e->op]
				? verbs[e->op]
				: "copy");
		break;
	}
	ucp_quote(stderr, e->path);
	if (e->err)
		fprintf(stderr, ": %s", strerror(e->err));
	fputc('\n', stderr);
}

static void on_error(void *arg, const struct ucp_error *e)
{
	struct ucp_report *r = arg;

	/* The fallback notice is for -v; warnings are hidden by -q. */
	if (e->op == UCP_OP_ENGINE_FALLBACK && !e->fatal && !r->verbose)
		return;
	if (e->warning && r->quiet && e->op != UCP_OP_ENGINE_FALLBACK)
		return;
	pthread_mutex_lock(&r->lock);
	clear_line(r);
	render_error(e);
	fflush(stderr);
	pthread_mutex_unlock(&r->lock);
}

static void on_copied(void *arg, const char *src, const char *dst,
		      const char *how)
{
	struct ucp_report *r = arg;

	pthread_mutex_lock(&r->lock);
	clear_line(r);
	ucp_quote(stdout, src);
	fputs(" -> ", stdout);
	ucp_quote(stdout, dst);
	if (how)
		fprintf(stdout, " (%s)", how);
	fputc('\n', stdout);
	pthread_mutex_unlock(&r->lock);
}

/* Whether path can be printed as it is (no control characters). */
static bool plain_text(const char *path)
{
	for (; *path; path++)
		if ((unsigned char)*path < 0x20 || *path == 0x7f)
			return false;
	return true;
}

static void on_itemize(void *arg, const char *code, const char *path)
{
	struct ucp_report *r = arg;

	pthread_mutex_lock(&r->lock);
	clear_line(r);
	fputs(code, stdout);
	fputc(' ', stdout);
	if (plain_text(path))
		fputs(path, stdout);
	else
		ucp_quote(stdout, path);
	fputc('\n', stdout);
	pthread_mutex_unlock(&r->lock);
}

/*
 * -i: ask on stderr, read the answer from stdin, as cp does; but only from
 * a terminal, so a script piping data in is never taken for a "yes".
 */
static int on_ask(void *arg, const char *dst)
{
	struct ucp_report *r = arg;
	char *line = NULL;
	size_t cap = 0;
	int yes;

	if (!isatty(STDIN_FILENO))
		return -ENOTTY;
	pthread_mutex_lock(&r->lock);
	clear_line(r);
	fputs("ucp: overwrite ", stderr);
	ucp_quote(stderr, dst);
	fputs("? ", stderr);
	fflush(stderr);
	yes = getline(&line, &cap, stdin) > 0 && rpmatch(line) == 1;
	free(line);
	pthread_mutex_unlock(&r->lock);
	return yes;
}

/* Human-readable size: 1023B, 1.5K, 12.3M... */
static void human(char *buf, size_t n, double v)
{
	static const char units[] = "BKMGTP";
	size_t u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) - 1) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		(void)snprintf(buf, n, "%.0f%c", v, units[u]);
	else
		(void)snprintf(buf, n, "%.1f%c", v, units[u]);
}

static void draw(struct ucp_report *r, bool final)
{
	struct ucp_snapshot s;
	char done[16], total[16], rate[16];
	double t = now();

	ucp_snapshot(r->ctx, &s);
	if (t - r->last_rate_t >= 0.5 || final) {
		double dt = t - r->last_rate_t;
		double inst =
			dt > 0 ? (double)(s.bytes_done - r->last_rate_bytes) /
					 dt
			       : 0;

		/* Exponential smoothing keeps the rate from jumping around. */
		r->rate = r->last_rate_t == r->start
				  ? inst
				  : 0.7 * r->rate + 0.3 * inst;
		r->last_rate_t = t;
		r->last_rate_bytes = s.bytes_done;
	}
	if (final)
		r->rate = (double)s.bytes_done /
			  (t - r->start > 0 ? t - r->start : 1);
	human(done, sizeof(done), (double)s.bytes_done);
	human(total, sizeof(total), (double)s.bytes_found);
	human(rate, sizeof(rate), r->rate);
	if (r->mode == UCP_PROGRESS_BAR)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "%s/%s%s  %llu/%llu%s files  %s/s", done, total,
		s.scanning ? "+" : "", (unsigned long long)s.files_done,
		(unsigned long long)s.files_found, s.scanning ? "+" : "", rate);
	if (s.scanning)
		fputs("  scanning...", stderr);
	else if (!final && r->rate > 0 && s.bytes_found > s.bytes_done)
		fprintf(stderr, "  ETA %.0fs",
			(double)(s.bytes_found - s.bytes_done) / r->rate);
	if (s.errors)
		fprintf(stderr, "  %llu errors", (unsigned long long)s.errors);
	if (r->mode == UCP_PROGRESS_PLAIN || final) {
		fputc('\n', stderr);
		r->line_shown = false;
	} else {
		r->line_shown = true;
	}
	fflush(stderr);
	r->last_draw = t;
	r->ever_shown = true;
}

static void on_tick(void *arg)
{
	struct ucp_report *r = arg;
	double t = now(), every = r->mode == UCP_PROGRESS_PLAIN ? 2.0 : 0.1;

	if (r->mode == UCP_PROGRESS_NONE || !r->ctx)
		return;
	/* Runs that finish within a second show nothing. */
	if (t - r->start < 1.0 || t - r->last_draw < every)
		return;
	pthread_mutex_lock(&r->lock);
	draw(r, false);
	pthread_mutex_unlock(&r->lock);
}

struct ucp_report *ucp_report_new(const struct ucp_opts *o)
{
	struct ucp_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	pthread_mutex_init(&r->lock, NULL);
	r->verbose = o->cfg.verbose;
	r->quiet = o->quiet;
	r->mode = o->progress;
	if (r->mode == UCP_PROGRESS_AUTO)
		r->mode = isatty(STDERR_FILENO) ? UCP_PROGRESS_BAR
						: UCP_PROGRESS_NONE;
	if (o->quiet)
		r->mode = UCP_PROGRESS_NONE;
	r->start = r->last_rate_t = now();
	return r;
}

void ucp_report_free(struct ucp_report *r)
{
	if (!r)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r);
}

void ucp_report_events(struct ucp_report *r, struct ucp_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->error = on_error;
	ev->copied = on_copied;
	ev->ask_overwrite = on_ask;
	ev->itemize = on_itemize;
	ev->tick = on_tick;
	ev->arg = r;
}

void ucp_report_attach(struct ucp_report *r, struct ucp_ctx *ctx)
{
	r->ctx = ctx;
}

void ucp_report_finish(struct ucp_report *r)
{
	pthread_mutex_lock(&r->lock);
	if (r->ever_shown && r->ctx)
		draw(r, true);
	pthread_mutex_unlock(&r->lock);
}
