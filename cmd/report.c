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

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

struct ucp_report {
	pthread_mutex_t lock;
	struct ucp_ctx *ctx;
	enum ucp_progress_mode mode; /* resolved: BAR, PLAIN or NONE */
	bool verbose, quiet;
	FILE *vout; /* where -v lines go: stderr when stdout is an archive */
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
	[UCP_OP_EXTRACT] = "extract",
	[UCP_OP_ARCHIVE] = "read archive",
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
	case UCP_OP_NOT_DIR_TARGET:
		fputs("target ", stderr);
		ucp_quote(stderr, e->path);
		fputs(" is not a directory\n", stderr);
		return;
	case UCP_OP_UNSAFE_MEMBER:
		fputs("refusing member ", stderr);
		break;
	case UCP_OP_STRIP_SLASH:
		fputs("warning: removing leading '/' from ", stderr);
		break;
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
	if (e->msg)
		fprintf(stderr, ": %s", e->msg);
	else if (e->err)
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

static void on_copied(void *arg, const char *src, const char *dst)
{
	struct ucp_report *r = arg;

	pthread_mutex_lock(&r->lock);
	clear_line(r);
	ucp_quote(r->vout, src);
	fputs(" -> ", r->vout);
	ucp_quote(r->vout, dst);
	fputc('\n', r->vout);
	pthread_mutex_unlock(&r->lock);
}

/* One member of --list: its name, or a line like tar tv's with -v. */
static void on_member(void *arg, const struct ucp_member *m)
{
	struct ucp_report *r = arg;
	char perms[11], when[32], owner[96];
	time_t t = (time_t)m->mtime;
	struct tm tm;

	pthread_mutex_lock(&r->lock);
	clear_line(r);
	if (r->verbose) {
		static const char rwx[] = "rwxrwxrwx";
		unsigned i;

		switch (m->mode & S_IFMT) {
		case S_IFDIR:
			perms[0] = 'd';
			break;
		case S_IFLNK:
			perms[0] = 'l';
			break;
		case S_IFCHR:
			perms[0] = 'c';
			break;
		case S_IFBLK:
			perms[0] = 'b';
			break;
		case S_IFIFO:
			perms[0] = 'p';
			break;
		case S_IFSOCK:
			perms[0] = 's';
			break;
		default:
			perms[0] = m->is_hardlink ? 'h' : '-';
			break;
		}
		for (i = 0; i < 9; i++)
			perms[i + 1] = (m->mode & (0400u >> i)) ? rwx[i] : '-';
		if (m->mode & S_ISUID)
			perms[3] = (m->mode & 0100) ? 's' : 'S';
		if (m->mode & S_ISGID)
			perms[6] = (m->mode & 0010) ? 's' : 'S';
		if (m->mode & S_ISVTX)
			perms[9] = (m->mode & 0001) ? 't' : 'T';
		perms[10] = '\0';
		if (!gmtime_r(&t, &tm) ||
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm) == 0)
			(void)snprintf(when, sizeof(when), "%lld",
				       (long long)m->mtime);
		if (m->uname && m->gname)
			(void)snprintf(owner, sizeof(owner), "%s/%s", m->uname,
				       m->gname);
		else
			(void)snprintf(owner, sizeof(owner), "%llu/%llu",
				       (unsigned long long)m->uid,
				       (unsigned long long)m->gid);
		if (S_ISCHR(m->mode) || S_ISBLK(m->mode))
			printf("%s %s %5u,%-5u %s ", perms, owner,
			       m->rdev_major, m->rdev_minor, when);
		else
			printf("%s %s %11llu %s ", perms, owner,
			       (unsigned long long)m->size, when);
	}
	fputs(m->path, stdout);
	if (r->verbose && m->link)
		printf(m->is_hardlink ? " link to %s" : " -> %s", m->link);
	fputc('\n', stdout);
	pthread_mutex_unlock(&r->lock);
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
	r->vout = stdout;
	/* An archive written to stdout must not get -v lines mixed in. */
	if (o->mode == UCP_CLI_TAR && o->noperands > 0 &&
	    strcmp(o->operands[o->noperands - 1], "-") == 0)
		r->vout = stderr;
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
	ev->tick = on_tick;
	ev->member = on_member;
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
