/* SPDX-License-Identifier: MIT */
/*
 * report.c: error wording, -v lines and the progress line.
 *
 * Wording follows cp: "ucp: cannot open 'a/b': Permission denied". The
 * progress line waits a second before it first appears (short runs show
 * nothing), redraws at most ten times a second, and always prints the
 * final totals once it has been shown. --progress=json writes one JSON
 * object per line instead (schema in ucp(1)), errors included, and always
 * ends with a summary object.
 */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"
#include "escape.h"

/* A file this large being copied is named on the progress line. */
#define CURRENT_SHOWN ((uint64_t)64 << 20)
#define UCP_REPORT_MIN(a, b) ((a) < (b) ? (a) : (b))

struct ucp_report {
	pthread_mutex_t lock;
	struct ucp_ctx *ctx;
	enum ucp_progress_mode mode; /* resolved: BAR, PLAIN, JSON or NONE */
	bool verbose, quiet, stats;
	bool itemized;	/* --itemize-changes lines stand for -v's, as rsync's */
	int stdout_err; /* errno of a failed flush of stdout by on_error */
	volatile sig_atomic_t want_status; /* SIGUSR1 arrived */
	volatile sig_atomic_t continued;   /* SIGCONT arrived */
	FILE *vout; /* where -v lines go: stderr when stdout is an archive */
	bool line_shown;   /* a bar line is on screen without a newline */
	bool dumb;	   /* TERM=dumb: no "erase line", spaces instead */
	uint64_t errors;   /* error messages printed (warnings apart) */
	bool disk_full;	   /* the run stopped at a full disk (ENOSPC, EDQUOT) */
	size_t list_width; /* --list -v: the owner and size column so far */
	bool ever_shown;
	double start, last_draw;
	struct ucp_rate rates; /* the samples of the last seconds */
	double rate;	       /* bytes per second, as shown */
	bool has_eta;	       /* eta means something (rate.h) */
	double eta;	       /* seconds left */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void ucp_quote(FILE *f, const char *path)
{
	fputc('\'', f);
	ucp_put_escaped(f, path, true);
	fputc('\'', f);
}

/*
 * Whether path can be printed as it is: nothing to escape, and no leading
 * quote, which would make it look like a quoted name.
 */
static bool plain_text(const char *path)
{
	const unsigned char *s = (const unsigned char *)path;
	size_t n;

	if (*s == '\'')
		return false;
	for (; *s; s += n) {
		n = ucp_printable_len(s);
		if (n == 0)
			return false;
	}
	return true;
}

/* A name in a listing: as it is when it can be, quoted when not. */
static void put_name(FILE *f, const char *name)
{
	if (plain_text(name))
		fputs(name, f);
	else
		ucp_quote(f, name);
}

/* The ops by name, for the "op" member of JSON error objects. */
static const char *const op_names[UCP_OP_NR] = {
	[UCP_OP_STAT] = "stat",
	[UCP_OP_OPEN] = "open",
	[UCP_OP_OPENDIR] = "opendir",
	[UCP_OP_READDIR] = "readdir",
	[UCP_OP_READ] = "read",
	[UCP_OP_CREATE] = "create",
	[UCP_OP_WRITE] = "write",
	[UCP_OP_FSYNC] = "fsync",
	[UCP_OP_MKDIR] = "mkdir",
	[UCP_OP_READLINK] = "readlink",
	[UCP_OP_SYMLINK] = "symlink",
	[UCP_OP_MKNOD] = "mknod",
	[UCP_OP_RENAME] = "rename",
	[UCP_OP_CHMOD] = "chmod",
	[UCP_OP_CLOSE] = "close",
	[UCP_OP_CHOWN] = "chown",
	[UCP_OP_UTIMES] = "utimes",
	[UCP_OP_LINK] = "link",
	[UCP_OP_XATTR] = "xattr",
	[UCP_OP_ACL] = "acl",
	[UCP_OP_CLONE] = "clone",
	[UCP_OP_SAME_FILE] = "same_file",
	[UCP_OP_BACKUP_SOURCE] = "backup_source",
	[UCP_OP_INTO_SELF] = "into_self",
	[UCP_OP_OMIT_DIR] = "omit_dir",
	[UCP_OP_DIR_OVER_NONDIR] = "dir_over_nondir",
	[UCP_OP_NONDIR_OVER_DIR] = "nondir_over_dir",
	[UCP_OP_CHANGED] = "changed",
	[UCP_OP_REPLACED] = "replaced",
	[UCP_OP_SKIP_SOCKET] = "skip_socket",
	[UCP_OP_NOT_DIR_TARGET] = "not_dir_target",
	[UCP_OP_PARENTS_TARGET] = "parents_target",
	[UCP_OP_DELETE] = "delete",
	[UCP_OP_DELETE_SKIPPED] = "delete_skipped",
	[UCP_OP_SYNC_SOURCE] = "sync_source",
	[UCP_OP_ENGINE_FALLBACK] = "engine_fallback",
	[UCP_OP_NOT_OVERWRITTEN] = "not_overwritten",
	[UCP_OP_BACKUP] = "backup",
	[UCP_OP_RELATIVE_SYMLINK] = "relative_symlink",
	[UCP_OP_EXTRACT] = "extract",
	[UCP_OP_UNSAFE_MEMBER] = "unsafe_member",
	[UCP_OP_STRIP_SLASH] = "strip_slash",
	[UCP_OP_ARCHIVE] = "archive",
	[UCP_OP_DANGLING_DST] = "dangling_dst",
	[UCP_OP_THROUGH_LINK] = "through_link",
	[UCP_OP_MAX_DELETE] = "max_delete",
	[UCP_OP_REF_MISSING] = "ref_missing",
	[UCP_OP_JOBS_REDUCED] = "jobs_reduced",
	[UCP_OP_LOAD] = "load",
	[UCP_OP_SQPOLL] = "sqpoll",
	[UCP_OP_JUST_CREATED] = "just_created",
	[UCP_OP_SAME_TARGET] = "same_target",
	[UCP_OP_SOURCE_TWICE] = "source_twice",
	[UCP_OP_MIRROR_HOLDS_SOURCE] = "mirror_holds_source",
	[UCP_OP_FD_LIMIT] = "fd_limit",
	[UCP_OP_RING] = "ring",
	[UCP_OP_RULE_FILE] = "rule_file",
	[UCP_OP_PARTIAL_KEPT] = "partial_kept",
	[UCP_OP_CYCLE] = "cycle",
	[UCP_OP_START] = "start",
	[UCP_OP_SKIP_DEVICE] = "skip_device",
};

static const char *const verbs[] = {
	[UCP_OP_STAT] = "stat",
	[UCP_OP_OPEN] = "open",
	[UCP_OP_OPENDIR] = "open directory",
	[UCP_OP_READDIR] = "read directory",
	[UCP_OP_READ] = "read",
	[UCP_OP_CREATE] = "create regular file",
	[UCP_OP_WRITE] = "write",
	[UCP_OP_FSYNC] = "flush to disk",
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
	[UCP_OP_ACL] = "preserve the ACL of",
	[UCP_OP_CLONE] = "clone",
	[UCP_OP_DELETE] = "delete",
	[UCP_OP_EXTRACT] = "extract",
	[UCP_OP_ARCHIVE] = "read archive",
	[UCP_OP_LOAD] = "load library",
};

static size_t term_width(void);

/* Back to the start of the bar's line, its text erased. */
static void erase_line(const struct ucp_report *r)
{
	if (r->dumb)
		fprintf(stderr, "\r%*s\r", (int)(term_width() - 1), "");
	else
		fputs("\r\033[K", stderr);
}

static void clear_line(struct ucp_report *r)
{
	if (r->line_shown) {
		erase_line(r);
		r->line_shown = false;
	}
}

/* Print one error record in cp's words (lock held). */
/*
 * "cannot <verb> " for the error e; for a warning (what was done, with a
 * remark, such as a library's about an archive member), "warning: ",
 * before "cannot <verb> " where there is no remark.
 */
static void put_cannot(FILE *f, const struct ucp_error *e)
{
	if (e->warning)
		fputs("warning: ", f);
	if (e->warning && e->msg)
		return;
	/* (Named as cp names it; not where the file system has none.) */
	if (e->op == UCP_OP_XATTR && e->attr && e->err != ENOTSUP) {
		fputs("cannot preserve extended attribute ", f);
		ucp_quote(f, e->attr);
		fputs(" of ", f);
		return;
	}
	fprintf(f, "cannot %s ",
		(size_t)e->op < sizeof(verbs) / sizeof(verbs[0]) && verbs[e->op]
			? verbs[e->op]
			: "copy");
}

/* " to 'path2'", or nothing without it (a backup's name not found). */
static void put_to(FILE *f, const char *path2)
{
	if (!path2)
		return;
	fputs(" to ", f);
	ucp_quote(f, path2);
}

/* A rule file that could not be used: its line and why, or the error. */
static void render_rule_file(FILE *f, const struct ucp_error *e)
{
	if (!e->msg)
		fputs("cannot read ", f);
	ucp_quote(f, e->path);
	if (e->msg)
		(void)fprintf(f, " %s", e->msg);
	else
		(void)fprintf(f, ": %s", strerror(e->err));
	if (e->path2) {
		fputs("; directory ", f);
		ucp_quote(f, e->path2);
		fputs(" not copied", f);
	}
	fputc('\n', f);
}

/* A target of several operands that is none, or cannot be looked at. */
static void not_dir_target(FILE *f, const struct ucp_error *e)
{
	fputs("target ", f);
	ucp_quote(f, e->path);
	if (e->err)
		fprintf(f, ": %s\n", strerror(e->err));
	else
		fputs(" is not a directory\n", f);
}

/* e's path, then why: a library's words, else its errno's. */
static void put_path_why(FILE *f, const struct ucp_error *e)
{
	ucp_quote(f, e->path);
	/* A library's words may hold names from an archive, as they are. */
	if (e->msg) {
		fputs(": ", f);
		ucp_put_escaped(f, e->msg, false);
	} else if (e->err) {
		fprintf(f, ": %s", strerror(e->err));
	}
	fputc('\n', f);
}

/* A hard link not made: as cp names it, the link, then what it was to. */
static void render_link(FILE *f, const struct ucp_error *e)
{
	put_cannot(f, e);
	if (!e->path2) {
		put_path_why(f, e);
		return;
	}
	ucp_quote(f, e->path);
	fputs(" to ", f);
	ucp_quote(f, e->path2);
	fprintf(f, ": %s\n", strerror(e->err));
}

static void render_error(FILE *f, const struct ucp_error *e)
{
	switch (e->op) {
	case UCP_OP_SAME_FILE:
		ucp_quote(f, e->path);
		fputs(" and ", f);
		ucp_quote(f, e->path2);
		fputs(" are the same file\n", f);
		return;
	case UCP_OP_BACKUP_SOURCE:
		fputs("backing up ", f);
		ucp_quote(f, e->path2);
		fputs(" might destroy source; ", f);
		ucp_quote(f, e->path);
		fputs(" not copied\n", f);
		return;
	case UCP_OP_MIRROR_HOLDS_SOURCE:
		fputs("will not mirror ", f);
		ucp_quote(f, e->path);
		fputs(" into ", f);
		ucp_quote(f, e->path2);
		fputs(" with --delete: the mirror contains the source\n", f);
		return;
	case UCP_OP_INTO_SELF:
		fputs("cannot copy a directory, ", f);
		ucp_quote(f, e->path);
		fputs(", into itself, ", f);
		ucp_quote(f, e->path2);
		fputc('\n', f);
		return;
	case UCP_OP_OMIT_DIR:
		fputs("-r not specified; omitting directory ", f);
		break;
	case UCP_OP_DIR_OVER_NONDIR:
	case UCP_OP_NONDIR_OVER_DIR:
		fputs(e->op == UCP_OP_DIR_OVER_NONDIR
			      ? "cannot overwrite non-directory "
			      : "cannot overwrite directory ",
		      f);
		ucp_quote(f, e->path2);
		fputs(e->op == UCP_OP_DIR_OVER_NONDIR ? " with directory "
						      : " with non-directory ",
		      f);
		ucp_quote(f, e->path);
		if (e->msg)
			fprintf(f, ": %s", e->msg);
		fputc('\n', f);
		return;
	case UCP_OP_JUST_CREATED:
		fputs("will not overwrite just-created ", f);
		ucp_quote(f, e->path2);
		fputs(" with ", f);
		ucp_quote(f, e->path);
		fputc('\n', f);
		return;
	case UCP_OP_SAME_TARGET:
		fputs("will not merge directory ", f);
		ucp_quote(f, e->path);
		fputs(" into ", f);
		ucp_quote(f, e->path2);
		fputs(", where another source goes in this run\n", f);
		return;
	case UCP_OP_SOURCE_TWICE:
		fprintf(f, "warning: source %s ", e->msg ? e->msg : "file");
		ucp_quote(f, e->path);
		fputs(" specified more than once\n", f);
		return;
	case UCP_OP_CHANGED:
		fputs("file changed as we read it: ", f);
		break;
	case UCP_OP_SKIP_SOCKET:
		fputs("warning: skipping socket ", f);
		break;
	case UCP_OP_SKIP_DEVICE:
		fputs("warning: skipping device ", f);
		ucp_quote(f, e->path);
		fputs(": only root makes device nodes\n", f);
		return;
	case UCP_OP_CYCLE: /* (cp's words) */
		fputs("cannot copy cyclic symbolic link ", f);
		ucp_quote(f, e->path);
		fputc('\n', f);
		return;
	case UCP_OP_REPLACED:
		fputs("skipping file ", f);
		ucp_quote(f, e->path);
		fputs(", as it was replaced while being copied\n", f);
		return;
	case UCP_OP_NOT_OVERWRITTEN:
		fputs("not replacing ", f);
		ucp_quote(f, e->path);
		if (e->err == ENOTTY)
			fputs(": standard input is not a terminal to ask on",
			      f);
		else if (e->err)
			fprintf(f, ": %s", strerror(e->err));
		fputc('\n', f);
		return;
	case UCP_OP_LINK:
		render_link(f, e);
		return;
	case UCP_OP_BACKUP:
		fputs("cannot back up ", f);
		ucp_quote(f, e->path);
		put_to(f, e->path2);
		fprintf(f, ": %s\n", strerror(e->err));
		return;
	case UCP_OP_RELATIVE_SYMLINK:
		ucp_quote(f, e->path);
		fputs(": can make relative symbolic links only in current "
		      "directory\n",
		      f);
		return;
	case UCP_OP_DELETE_SKIPPED:
		fputs("some entries failed, so what the source lacks under ",
		      f);
		ucp_quote(f, e->path);
		fputs(" was not deleted (--ignore-errors deletes anyway)\n", f);
		return;
	case UCP_OP_RULE_FILE:
		render_rule_file(f, e);
		return;
	case UCP_OP_PARTIAL_KEPT:
		fputs("the copy so far is in ", f);
		ucp_quote(f, e->path);
		fputs("; the next run goes on with it\n", f);
		return;
	case UCP_OP_REF_MISSING:
		fprintf(f, "warning: %s arg does not exist: ", e->msg);
		ucp_quote(f, e->path);
		fputc('\n', f);
		return;
	case UCP_OP_MAX_DELETE:
		fprintf(f, "deletions stopped due to --max-delete limit (%s)\n",
			e->msg ? e->msg : "some skipped");
		return;
	case UCP_OP_DANGLING_DST:
		fputs("not writing through dangling symlink ", f);
		ucp_quote(f, e->path);
		fputc('\n', f);
		return;
	case UCP_OP_THROUGH_LINK:
		fputs("not giving a file's attributes through symlink ", f);
		ucp_quote(f, e->path);
		fputc('\n', f);
		return;
	case UCP_OP_SYNC_SOURCE:
		fputs("--sync mirrors a directory; not a directory: ", f);
		ucp_quote(f, e->path);
		fputc('\n', f);
		return;
	case UCP_OP_PARENTS_TARGET:
		fputs("with --parents, the destination must be a directory: ",
		      f);
		ucp_quote(f, e->path);
		fputc('\n', f);
		return;
	case UCP_OP_NOT_DIR_TARGET:
		not_dir_target(f, e);
		return;
	case UCP_OP_UNSAFE_MEMBER:
		fputs("refusing member ", f);
		break;
	case UCP_OP_JOBS_REDUCED:
		fprintf(f, "warning: %s\n", e->msg ? e->msg : "-j reduced");
		return;
	case UCP_OP_RING:
		fprintf(f, "io_uring failed: %s; the copy stops\n",
			strerror(e->err));
		return;
	case UCP_OP_START: /* (the words of main's own "cannot start") */
		fprintf(f, "cannot start: %s\n", strerror(e->err));
		return;
	case UCP_OP_FD_LIMIT:
		fprintf(f, "%s (ulimit -n)\n",
			e->msg ? e->msg : "too few open files");
		return;
	case UCP_OP_SQPOLL:
		fprintf(f,
			"warning: --sqpoll: no kernel polling thread (%s); the rings submit by themselves\n",
			strerror(e->err));
		return;
	case UCP_OP_STRIP_SLASH:
		/* (msg: what was removed, when more than a '/') */
		fputs("warning: removing leading ", f);
		ucp_quote(f, e->msg ? e->msg : "/");
		fputs(" from ", f);
		ucp_quote(f, e->path);
		fputc('\n', f);
		return;
	case UCP_OP_ENGINE_FALLBACK:
		if (e->fatal)
			fprintf(f, "io_uring engine unavailable: %s\n", e->msg);
		else
			fprintf(f,
				"io_uring unavailable (%s); using the thread engine\n",
				e->msg);
		return;
	default:
		put_cannot(f, e);
		break;
	}
	put_path_why(f, e);
}

/* One error record as a JSON line (lock held). */
static void json_error(const struct ucp_error *e)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&msg, &len);

	if (!m)
		return;
	render_error(m, e);
	if (fclose(m) != 0 || !msg) {
		free(msg);
		return;
	}
	if (len > 0 && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	fputs("{\"v\":2,\"type\":\"error\",\"message\":", stderr);
	(void)ucp_json_string(stderr, msg);
	fprintf(stderr, ",\"op\":\"%s\",",
		e->op < UCP_OP_NR && op_names[e->op] ? op_names[e->op] : "?");
	ucp_json_name(stderr, "path", e->path);
	if (e->path2) {
		fputc(',', stderr);
		ucp_json_name(stderr, "path2", e->path2);
	}
	if (e->attr) {
		fputc(',', stderr);
		ucp_json_name(stderr, "attr", e->attr);
	}
	fprintf(stderr, ",\"errno\":%d,\"warning\":%s,\"fatal\":%s}\n", e->err,
		e->warning ? "true" : "false", e->fatal ? "true" : "false");
	free(msg);
}

static void on_error(void *arg, const struct ucp_error *e)
{
	struct ucp_report *r = arg;

	/*
	 * The fallback notice is for -v; warnings are hidden by -q, but
	 * for the one that explains its exit status (25: --max-delete
	 * stopped the deletions), which rsync -q prints too.
	 */
	if (e->op == UCP_OP_ENGINE_FALLBACK && !e->fatal && !r->verbose)
		return;
	if (e->warning && r->quiet && e->op != UCP_OP_ENGINE_FALLBACK &&
	    e->op != UCP_OP_MAX_DELETE)
		return;
	pthread_mutex_lock(&r->lock);
	/*
	 * What -v, --itemize-changes or --list wrote so far goes out first,
	 * as cp's error() does: where stdout and stderr are one file (>log
	 * 2>&1), a message never lands in the middle of a buffered line.
	 */
	if (fflush(stdout) != 0 && !r->stdout_err)
		r->stdout_err = errno; /* (this thread's: kept for the end) */
	/* Every error printed is counted, wherever in the engine it arose. */
	if (!e->warning && (e->op != UCP_OP_ENGINE_FALLBACK || e->fatal))
		r->errors++;
	if (e->fatal && ucp_disk_full(e->op, e->err))
		r->disk_full = true;
	if (r->mode == UCP_PROGRESS_JSON) {
		json_error(e);
	} else {
		clear_line(r);
		fputs("ucp: ", stderr);
		render_error(stderr, e);
	}
	fflush(stderr);
	pthread_mutex_unlock(&r->lock);
}

/* A -v line as JSON, where stdout carries the archive (--tar ... -). */
static void json_copied(const char *src, const char *dst)
{
	fputs("{\"v\":2,\"type\":\"copied\",", stderr);
	ucp_json_name(stderr, "path", src);
	fputc(',', stderr);
	ucp_json_name(stderr, "path2", dst);
	fputs("}\n", stderr);
}

static void on_copied(void *arg, const char *src, const char *dst,
		      const char *how, const char *backup)
{
	struct ucp_report *r = arg;

	/* (rsync -vi prints the itemized line alone; --debug says more.) */
	if (r->itemized && !how)
		return;
	pthread_mutex_lock(&r->lock);
	/* stderr is JSON's alone: there the line is an object too. */
	if (r->mode == UCP_PROGRESS_JSON && r->vout == stderr) {
		json_copied(src, dst);
		pthread_mutex_unlock(&r->lock);
		return;
	}
	clear_line(r);
	ucp_quote(r->vout, src);
	fputs(" -> ", r->vout);
	ucp_quote(r->vout, dst);
	if (backup) { /* as cp -v -b says it */
		fputs(" (backup: ", r->vout);
		ucp_quote(r->vout, backup);
		fputc(')', r->vout);
	}
	if (how)
		fprintf(r->vout, " (%s)", how);
	fputc('\n', r->vout);
	pthread_mutex_unlock(&r->lock);
}

/* The first letter of tar tv's mode column: the file type. */
static char type_letter(const struct ucp_member *m)
{
	switch (m->mode & S_IFMT) {
	case S_IFDIR:
		return 'd';
	case S_IFLNK:
		return 'l';
	case S_IFCHR:
		return 'c';
	case S_IFBLK:
		return 'b';
	case S_IFIFO:
		return 'p';
	case S_IFSOCK:
		return 's';
	default:
		return m->is_hardlink ? 'h' : '-';
	}
}

/* "drwxr-xr-x", with ls's s/S and t/T for the set-id and sticky bits. */
static void format_mode(const struct ucp_member *m, char perms[11])
{
	static const char rwx[] = "rwxrwxrwx";
	unsigned i;

	perms[0] = type_letter(m);
	for (i = 0; i < 9; i++) {
		perms[i + 1] = '-';
		if (m->mode & (0400u >> i))
			perms[i + 1] = rwx[i];
	}
	if (m->mode & S_ISUID)
		perms[3] = (m->mode & 0100) ? 's' : 'S';
	if (m->mode & S_ISGID)
		perms[6] = (m->mode & 0010) ? 's' : 'S';
	if (m->mode & S_ISVTX)
		perms[9] = (m->mode & 0001) ? 't' : 'T';
	perms[10] = '\0';
}

static size_t text_cols(const char *s);

/*
 * "owner/group" of m: the names from the archive, escaped like every name
 * below; the number where the archive has no name (each on its own, as
 * tar tv does). Allocated, or NULL.
 */
static char *owner_text(const struct ucp_member *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (m->uname && *m->uname)
		ucp_put_escaped(f, m->uname, false);
	else
		fprintf(f, "%llu", (unsigned long long)m->uid);
	fputc('/', f);
	if (m->gname && *m->gname)
		ucp_put_escaped(f, m->gname, false);
	else
		fprintf(f, "%llu", (unsigned long long)m->gid);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * What -v puts before the name: mode, owner, size or device, time. The
 * owner and the size share a column that grows to the widest pair seen
 * (19 at first), the size flush right in it, as GNU tar tv lines them up
 * (which counts bytes where this counts columns: names beyond ASCII line
 * up here).
 */
static void print_member_details(struct ucp_report *r,
				 const struct ucp_member *m)
{
	char perms[11], when[32], size[48];
	time_t t = (time_t)m->mtime;
	char *owner = owner_text(m);
	size_t pad;
	struct tm tm;

	format_mode(m, perms);
	if (!localtime_r(&t, &tm) ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm) == 0)
		(void)snprintf(when, sizeof(when), "%lld", (long long)m->mtime);
	if (S_ISCHR(m->mode) || S_ISBLK(m->mode))
		(void)snprintf(size, sizeof(size), "%u,%u", m->rdev_major,
			       m->rdev_minor);
	else
		(void)snprintf(size, sizeof(size), "%llu",
			       (unsigned long long)m->size);
	pad = (owner ? text_cols(owner) : 1) + 1 + strlen(size);
	if (pad > r->list_width)
		r->list_width = pad;
	printf("%s %s %*s %s ", perms, owner ? owner : "?",
	       (int)(r->list_width - pad + strlen(size)), size, when);
	free(owner);
}

/* One member of --list: its name, or a line like tar tv's with -v. */
static void on_member(void *arg, const struct ucp_member *m)
{
	struct ucp_report *r = arg;

	pthread_mutex_lock(&r->lock);
	clear_line(r);
	if (r->verbose)
		print_member_details(r, m);
	put_name(stdout, m->path);
	if (r->verbose && m->link) {
		fputs(m->is_hardlink ? " link to " : " -> ", stdout);
		put_name(stdout, m->link);
	}
	fputc('\n', stdout);
	pthread_mutex_unlock(&r->lock);
}

/* Whether s starts as an escape would: "\#" and three digits. */
static bool looks_escaped(const unsigned char *s)
{
	return s[0] == '\\' && s[1] == '#' && isdigit(s[2]) && isdigit(s[3]) &&
	       isdigit(s[4]);
}

/*
 * Print an --itemize-changes name as rsync does: a control character
 * (but a tab), DEL (which rsync leaves), a byte that is not part of valid,
 * printable UTF-8, and a backslash that would read as the start of such
 * an escape become "\#ooo" (octal); the rest is printed as it is.
 */
void ucp_itemize_name(FILE *f, const char *path)
{
	const unsigned char *s = (const unsigned char *)path;

	while (*s) {
		size_t n = *s == '\t' ? 1 : ucp_printable_len(s);

		if (n == 0 || looks_escaped(s)) {
			fprintf(f, "\\#%03o", *s);
			s++;
			continue;
		}
		fwrite(s, 1, n, f);
		s += n;
	}
}

static void on_itemize(void *arg, const char *code, const char *path)
{
	struct ucp_report *r = arg;

	pthread_mutex_lock(&r->lock);
	clear_line(r);
	fputs(code, stdout);
	fputc(' ', stdout);
	ucp_itemize_name(stdout, path);
	fputc('\n', stdout);
	pthread_mutex_unlock(&r->lock);
}

/*
 * Wait for the answer to be typed (a whole line, on a terminal): false when
 * an interrupt came first, which then ends the run (the question asked in a
 * worker, whose signals go to the main thread, would wait on).
 */
static bool answered(struct ucp_report *r)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };

	for (;;) {
		int n;

		if (r->ctx && ucp_cancel_requested(r->ctx))
			return false;
		n = poll(&p, 1, 100);
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR && errno != EAGAIN)
			return true; /* (getline says what it is) */
	}
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
	if (r->mode == UCP_PROGRESS_JSON) {
		/* (stderr carries JSON objects only, one per line.) */
		fputs("{\"v\":2,\"type\":\"question\",", stderr);
		ucp_json_name(stderr, "path", dst);
		fputs("}\n", stderr);
	} else {
		fputs("ucp: overwrite ", stderr);
		ucp_quote(stderr, dst);
		fputs("? ", stderr);
	}
	fflush(stderr);
	yes = answered(r) && getline(&line, &cap, stdin) > 0 &&
	      rpmatch(line) == 1;
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

/* A duration as 42s, 3:07 or 1:02:03. */
static void duration(char *buf, size_t n, double secs)
{
	unsigned long long t = secs > 0 ? (unsigned long long)(secs + 0.5) : 0;

	if (t < 60)
		(void)snprintf(buf, n, "%llus", t);
	else if (t < 3600)
		(void)snprintf(buf, n, "%llu:%02llu", t / 60, t % 60);
	else
		(void)snprintf(buf, n, "%llu:%02llu:%02llu", t / 3600,
			       t / 60 % 60, t % 60);
}

/* Entries left alone on purpose: kept by -n or -u, unchanged (--sync). */
static uint64_t skipped(const struct ucp_snapshot *s)
{
	return s->skipped + s->files_skipped;
}

/* Entries dealt with so far: copied, or left alone on purpose. */
static uint64_t files_handled(const struct ucp_snapshot *s)
{
	return s->files_done + skipped(s);
}

/*
 * The bytes done for the progress: those written, and those of files
 * settled without a copy (hard links, files unchanged or kept), which the
 * totals count too.
 */
static uint64_t progress_bytes(const struct ucp_snapshot *s)
{
	return s->bytes_done + s->bytes_settled;
}

/*
 * Take a sample of the bytes done (lock held): the rate shown and, when
 * the total is known and the rate settled, the time left.
 */
static void sample_rate(struct ucp_report *r, const struct ucp_snapshot *s,
			double t, bool final)
{
	r->has_eta = false;
	if (final) {
		/* The last word is the average over the whole run. */
		r->rate = (double)s->bytes_done /
			  (t - r->start > 0 ? t - r->start : 1);
		return;
	}
	if (r->continued) {
		r->continued = 0;
		r->rates.resumed = true;
	}
	ucp_rate_add(&r->rates, t, s->bytes_done);
	r->rate = ucp_rate_bps(&r->rates);
	if (!s->scanning && !s->open_total &&
	    s->bytes_found > progress_bytes(s))
		r->has_eta = ucp_rate_eta(
			&r->rates, s->bytes_found - progress_bytes(s), &r->eta);
}

/* The fields of the compact form, in the line's order. */
enum { W_DONE, W_FILES, W_RATE, W_TIME, W_ERRORS, W_N };

/*
 * The compact form in at most cols columns, whole fields only: they are
 * taken by worth (bytes done, files, errors, rate, time) until one does
 * not fit, and printed in the line's order, so that a narrow terminal
 * never shows a number cut short.
 */
static void compact_words(char w[W_N][40], size_t cols, char *buf, size_t n)
{
	static const int worth[W_N] = { W_DONE, W_FILES, W_ERRORS, W_RATE,
					W_TIME };
	bool keep[W_N] = { false };
	size_t used = 0, len, i;
	int k;

	for (i = 0; i < W_N; i++) {
		len = strlen(w[worth[i]]);
		if (!len)
			continue;
		if (used + (used ? 1 : 0) + len > cols)
			break;
		used += (used ? 1 : 0) + len;
		keep[worth[i]] = true;
	}
	buf[0] = '\0';
	for (i = 0, len = 0; i < W_N && len < n; i++) {
		if (!keep[i])
			continue;
		k = snprintf(buf + len, n - len, "%s%s", len ? " " : "", w[i]);
		if (k < 0)
			break;
		len += (size_t)k;
	}
}

/*
 * The words of a progress line: "1.2G/2.7G  1234/5678 files  120.5M/s",
 * then "ETA 0:12", "in 23s" on the final line, or "scanning..." while the
 * totals still grow ("+" marks them). With cols, the short form for a
 * narrow line after the percent, "1.2G 1234/5678 120.5M/s ETA 0:12", in
 * at most cols columns. Lock held.
 */
static void status_words(struct ucp_report *r, const struct ucp_snapshot *s,
			 double t, bool final, size_t cols, char *buf, size_t n)
{
	char done[16], total[16], rate[16], tail[32] = "", w[W_N][40];
	const char *more = s->scanning ? "+" : "";
	int len;

	human(done, sizeof(done), (double)progress_bytes(s));
	human(total, sizeof(total), (double)s->bytes_found);
	human(rate, sizeof(rate), r->rate);
	if (final || r->has_eta) {
		memcpy(tail, final ? "in " : "ETA ", final ? 4 : 5);
		duration(tail + strlen(tail), sizeof(tail) - strlen(tail),
			 final ? t - r->start : r->eta);
	}
	if (cols && !(s->open_total && !final)) {
		/* (The percent before it gives the share of bytes.) */
		(void)snprintf(w[W_DONE], sizeof(w[0]), "%s", done);
		(void)snprintf(w[W_FILES], sizeof(w[0]), "%llu/%llu%s",
			       (unsigned long long)files_handled(s),
			       (unsigned long long)s->files_found, more);
		(void)snprintf(w[W_RATE], sizeof(w[0]), "%s/s", rate);
		(void)snprintf(w[W_TIME], sizeof(w[0]), "%s", tail);
		w[W_ERRORS][0] = '\0';
		if (s->errors)
			(void)snprintf(w[W_ERRORS], sizeof(w[0]), "%llu err%s",
				       (unsigned long long)s->errors,
				       s->errors == 1 ? "" : "s");
		compact_words(w, cols, buf, n);
		return;
	}
	if (s->open_total && !final) /* no total: what was done, how fast */
		len = snprintf(buf, n, "%s  %llu files  %s/s", done,
			       (unsigned long long)files_handled(s), rate);
	else
		len = snprintf(buf, n, "%s/%s%s  %llu/%llu%s files  %s/s%s%s",
			       done, total, more,
			       (unsigned long long)files_handled(s),
			       (unsigned long long)s->files_found, more, rate,
			       tail[0] ? "  " : "", tail);
	if (len > 0 && (size_t)len < n && s->errors)
		(void)snprintf(buf + len, n - (size_t)len, "  %llu error%s",
			       (unsigned long long)s->errors,
			       s->errors == 1 ? "" : "s");
}

/* Done, in percent of the bytes (of the files when there are none). */
static unsigned percent(const struct ucp_snapshot *s)
{
	unsigned pct =
		s->bytes_found
			? (unsigned)(progress_bytes(s) * 100 / s->bytes_found)
		: s->files_found
			? (unsigned)(files_handled(s) * 100 / s->files_found)
			: 100;

	return pct > 100 ? 100 : pct;
}

/* Columns of the terminal on stderr; 80 when it cannot say. */
static size_t term_width(void)
{
	struct winsize ws;

	/* (However narrow: a line wider than the terminal wraps, and "\r"
	 * then goes back to its last row only.) */
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 1)
		return ws.ws_col;
	return 80;
}

/* An escape ucp_put_escaped writes at s (\xHH, \n, ...): its length, or 0. */
static size_t escape_len(const char *s)
{
	if (s[0] != '\\')
		return 0;
	if (s[1] == 'x' && isxdigit((unsigned char)s[2]) &&
	    isxdigit((unsigned char)s[3]))
		return 4;
	return s[1] && strchr("ntr'\\", s[1]) ? 2 : 0;
}

/*
 * One sequence of printable (escaped) text at s: its length in bytes, and
 * in *cols its columns: an escape's are its bytes, kept whole (a name
 * shortened within \xff read as one holding "xff"); a character of 3 and
 * 4 bytes counts 2 (the wide East Asian characters and emoji are among
 * them), so that a name never takes more room than it is given, at worst
 * a little less.
 */
static size_t seq_len(const char *s, size_t *cols)
{
	size_t n = escape_len(s);

	if (n) {
		*cols = n;
		return n;
	}
	n = ucp_printable_len((const unsigned char *)s);
	if (!n)
		n = 1;
	*cols = n >= 3 ? 2 : 1;
	return n;
}

static size_t text_cols(const char *s)
{
	size_t cols = 0, n, c;

	for (; *s; s += n) {
		n = seq_len(s, &c);
		cols += c;
	}
	return cols;
}

size_t ucp_ellipsize(char *out, size_t size, const char *s, size_t cols)
{
	size_t total = text_cols(s), head = 0, used = 0, tail, n, c, i = 0;

	if (size == 0)
		return 0;
	if (total <= cols || cols < 5) {
		/* Fits, or no room for an ellipsis and some text either. */
		(void)snprintf(out, size, "%s", total <= cols ? s : "");
		return strlen(out);
	}
	/* The end (the file's own name) gets the larger half. */
	head = (cols - 3) / 2;
	tail = cols - 3 - head;
	for (n = seq_len(s, &c); s[i] && used + c <= head;
	     n = seq_len(s + i, &c)) {
		used += c;
		i += n;
	}
	head = i;
	/* From there, skip sequences until the rest fits in tail. */
	for (used = text_cols(s + i); s[i] && used > tail; i += n) {
		n = seq_len(s + i, &c);
		used -= c;
	}
	(void)snprintf(out, size, "%.*s...%s", (int)head, s, s + i);
	return strlen(out);
}

/* The name as printed everywhere (put_name); malloc'd, or NULL. */
static char *display_name(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	put_name(m, path);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * Whether the file being copied has a place on the line: a large one, or
 * one that is most of what there is to copy.
 */
static bool shows_current(const struct ucp_snapshot *s)
{
	return s->current_size > 0 && s->current[0] &&
	       (s->current_size >= CURRENT_SHOWN ||
		s->current_size >= s->bytes_found / 2);
}

/*
 * The name of the file being copied, for a bar with room columns free:
 * shortened in the middle to fit, beside a gauge of 10 columns when both
 * have room (the name 16 columns at least), else in the gauge's place;
 * nothing when fewer than 8 columns are left for it. Returns the columns
 * it takes, with the two spaces before it.
 */
static size_t fit_name(const struct ucp_snapshot *s, size_t room, bool gauge,
		       char *out, size_t size)
{
	size_t keep = gauge && room >= 13 + 2 + 16 ? 13 : 0, cols;
	char *name;

	out[0] = '\0';
	if (!shows_current(s) || room < keep + 2 + 8)
		return 0;
	cols = UCP_REPORT_MIN(room - keep - 2, size / 4);
	name = display_name(s->current);
	if (!name)
		return 0;
	(void)ucp_ellipsize(out, size, name, cols);
	free(name);
	return out[0] ? 2 + text_cols(out) : 0;
}

/*
 * The line before the name: the status words alone (no total), after
 * "scanning...", after the percent, or after the percent and a gauge of
 * gw columns (5 at least). Returns the length it would have.
 */
static size_t bar_line(char *line, size_t n, const struct ucp_snapshot *s,
		       size_t gw, bool final, const char *text)
{
	char gauge[256];
	size_t fill, i;
	unsigned pct = percent(s);

	if (s->open_total && !final)
		return (size_t)snprintf(line, n, "%s", text);
	if (s->scanning)
		return (size_t)snprintf(line, n, "scanning... %s", text);
	if (gw < 5)
		return (size_t)snprintf(line, n, "%3u%% %s", pct, text);
	if (gw > sizeof(gauge) - 1)
		gw = sizeof(gauge) - 1;
	fill = gw * pct / 100;
	for (i = 0; i < gw; i++) {
		gauge[i] = ' ';
		if (i < fill)
			gauge[i] = '=';
		else if (i == fill && !final)
			gauge[i] = '>';
	}
	gauge[gw] = '\0';
	return (size_t)snprintf(line, n, "%3u%% [%s] %s", pct, gauge, text);
}

/*
 * The bar: "scanning... <status>" while the walk runs, then
 * " 45% [=========>          ] <status>", and the name of a large file
 * being copied after it. It is cut to the terminal's width, so that "\r"
 * always returns to its start; the numbers come first, then the name,
 * then the gauge. Lock held.
 */
static void draw_bar(struct ucp_report *r, const struct ucp_snapshot *s,
		     double t, bool final)
{
	char text[160], line[512], name[1024];
	size_t width = term_width() - 1, len, gw, room, head;
	bool has_gauge = !(s->open_total && !final) && !s->scanning, narrow;

	head = s->open_total && !final ? 0 : s->scanning ? 12 : 5;
	status_words(r, s, t, final, 0, text, sizeof(text));
	/* Too narrow for the whole numbers: the short ones, without gauge
	 * or name (they go first). */
	narrow = strlen(text) + head > width;
	if (narrow)
		status_words(r, s, t, final, width > head ? width - head : 1,
			     text, sizeof(text));
	room = width > head + strlen(text) ? width - head - strlen(text) : 0;
	name[0] = '\0';
	if (!final && !narrow)
		room -= fit_name(s, room, has_gauge, name, sizeof(name));
	/* The gauge takes what the numbers (and the name) leave of the
	 * line: on a narrow terminal it shrinks first, and is left out
	 * below 5 columns. */
	gw = room > 3 && !narrow ? room - 3 : 0;
	len = bar_line(line, sizeof(line), s, gw, final, text);
	if (len >= sizeof(line))
		len = sizeof(line) - 1;
	/* Cut at a space, so that no number is shown cut short (nothing,
	 * where not even the percent fits). */
	if (len > width) {
		len = width;
		while (len > 0 && line[len] != ' ')
			len--;
	}
	while (len > 0 && line[len - 1] == ' ' && !name[0])
		len--;
	/* The name had its columns counted: it is printed whole. */
	erase_line(r);
	fprintf(stderr, "%.*s%s%s", (int)len, line, name[0] ? "  " : "", name);
}

/* "  name" of the file being copied, on plain and status lines. */
static void put_current(FILE *f, const struct ucp_snapshot *s)
{
	if (!shows_current(s))
		return;
	fputs("  ", f);
	put_name(f, s->current);
}

/* One progress object (lock held). */
static void json_progress(struct ucp_report *r, const struct ucp_snapshot *s,
			  double t, bool final)
{
	char eta[32] = "null";

	/* Seconds left, once the totals are known and the rate settled. */
	if (r->has_eta)
		(void)snprintf(eta, sizeof(eta), "%.0f", r->eta);
	fprintf(stderr,
		"{\"v\":2,\"type\":\"progress\",\"elapsed\":%.3f,"
		"\"files_done\":%llu,\"files_total\":%llu,"
		"\"bytes_done\":%llu,\"bytes_total\":%llu,"
		"\"dirs_done\":%llu,\"skipped\":%llu,\"errors\":%llu,"
		"\"scanning\":%s,\"rate\":%.0f,\"eta\":%s,",
		t - r->start, (unsigned long long)files_handled(s),
		(unsigned long long)s->files_found,
		(unsigned long long)progress_bytes(s),
		(unsigned long long)s->bytes_found,
		(unsigned long long)s->dirs_done,
		(unsigned long long)skipped(s), (unsigned long long)s->errors,
		s->scanning ? "true" : "false", r->rate, eta);
	ucp_json_name(stderr, "current",
		      shows_current(s) && !final ? s->current : NULL);
	fputs("}\n", stderr);
}

/*
 * The engine's numbers, but for the errors: those printed, so that the
 * count always matches the messages (some arise outside the workers'
 * counters: the operands, the deletions of --sync). Lock held.
 */
static void snapshot(struct ucp_report *r, struct ucp_snapshot *s)
{
	ucp_snapshot(r->ctx, s);
	s->errors = r->errors;
}

/* Draw the progress in the resolved mode (lock held). */
static void draw(struct ucp_report *r, bool final)
{
	struct ucp_snapshot s;
	char text[160];
	double t = now();

	snapshot(r, &s);
	sample_rate(r, &s, t, final);
	if (r->mode == UCP_PROGRESS_JSON) {
		json_progress(r, &s, t, final);
	} else if (r->mode == UCP_PROGRESS_BAR) {
		draw_bar(r, &s, t, final);
		r->line_shown = !final;
		if (final)
			fputc('\n', stderr);
	} else {
		char stamp[16];
		time_t wall = time(NULL);
		struct tm tm;

		/* Plain lines go to logs: each says when it was written. */
		if (!localtime_r(&wall, &tm) ||
		    !strftime(stamp, sizeof(stamp), "%H:%M:%S", &tm))
			stamp[0] = '\0';
		status_words(r, &s, t, final, 0, text, sizeof(text));
		fprintf(stderr, "%s %s", stamp, text);
		if (!final)
			put_current(stderr, &s);
		fputc('\n', stderr);
	}
	fflush(stderr);
	r->last_draw = t;
	r->ever_shown = true;
}

/* The one-off line SIGUSR1 asks for, whatever the mode (lock held). */
static void print_status(struct ucp_report *r)
{
	struct ucp_snapshot s;
	char text[160];
	double t = now();

	r->want_status = 0;
	snapshot(r, &s);
	sample_rate(r, &s, t, false);
	if (r->mode == UCP_PROGRESS_JSON) {
		json_progress(r, &s, t, false);
	} else {
		char elapsed[16];

		clear_line(r);
		status_words(r, &s, t, false, 0, text, sizeof(text));
		duration(elapsed, sizeof(elapsed), t - r->start);
		fprintf(stderr, "ucp: %s  elapsed %s", text, elapsed);
		put_current(stderr, &s);
		fputc('\n', stderr);
	}
	fflush(stderr);
}

/* Seconds between two draws of mode: JSON, for scripts, one a second. */
static double draw_every(enum ucp_progress_mode mode)
{
	return mode == UCP_PROGRESS_PLAIN  ? 2.0
	       : mode == UCP_PROGRESS_JSON ? 1.0
					   : 0.1;
}

static void on_tick(void *arg)
{
	struct ucp_report *r = arg;
	double t = now(), every = draw_every(r->mode), delay = 1.0;

	if (!r->ctx)
		return;
	if (r->want_status) {
		pthread_mutex_lock(&r->lock);
		print_status(r);
		pthread_mutex_unlock(&r->lock);
	}
	if (r->mode == UCP_PROGRESS_NONE)
		return;
	/* Scripts want a first JSON object at once. */
	if (r->mode == UCP_PROGRESS_JSON)
		delay = 0;
	/* Runs that finish within a second show nothing. */
	if (t - r->start < delay || t - r->last_draw < every)
		return;
	pthread_mutex_lock(&r->lock);
	draw(r, false);
	pthread_mutex_unlock(&r->lock);
}

bool ucp_report_shows_progress(const struct ucp_report *r)
{
	return r->mode != UCP_PROGRESS_NONE;
}

/* Whether this run writes an archive to standard output, a pipe. */
static bool archive_to_pipe(const struct ucp_opts *o)
{
	struct stat st;

	return o->mode == UCP_CLI_TAR && o->noperands > 0 &&
	       strcmp(o->operands[o->noperands - 1], "-") == 0 &&
	       fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode);
}

struct ucp_report *ucp_report_new(const struct ucp_opts *o)
{
	struct ucp_report *r = calloc(1, sizeof(*r));
	const char *term;

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
	r->stats = o->stats;
	r->itemized = o->cfg.itemize && !o->cfg.debug;
	r->mode = o->progress;
	r->list_width = 19; /* (tar tv's first width) */
	/*
	 * An archive piped to another process (ucp --untar -, say) leaves
	 * the terminal's one progress line to that reader; --progress
	 * draws it here instead.
	 */
	if (r->mode == UCP_PROGRESS_AUTO && archive_to_pipe(o))
		r->mode = UCP_PROGRESS_NONE;
	/* Asked for with --progress alone: plain lines where no bar fits. */
	if (r->mode == UCP_PROGRESS_AUTO || r->mode == UCP_PROGRESS_ON)
		r->mode = isatty(STDERR_FILENO)	       ? UCP_PROGRESS_BAR
			  : r->mode == UCP_PROGRESS_ON ? UCP_PROGRESS_PLAIN
						       : UCP_PROGRESS_NONE;
	/* A terminal that cannot erase a line (TERM=dumb, or none set). */
	term = getenv("TERM");
	r->dumb = !term || !*term || strcmp(term, "dumb") == 0;
	/* -q silences the progress display; JSON is for programs. */
	if (o->quiet && r->mode != UCP_PROGRESS_JSON)
		r->mode = UCP_PROGRESS_NONE;
	r->start = now();
	ucp_rate_init(&r->rates, r->start);
	/* (After SIGCONT, a draw late by a second more: it stood still.) */
	r->rates.pause = draw_every(r->mode) + 1.0;
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
	ev->member = on_member;
	ev->arg = r;
}

void ucp_report_attach(struct ucp_report *r, struct ucp_ctx *ctx)
{
	r->ctx = ctx;
}

void ucp_report_want_status(struct ucp_report *r)
{
	r->want_status = 1;
}

void ucp_report_continued(struct ucp_report *r)
{
	r->continued = 1;
}

/* The --stats block (lock held). */
static void print_stats(struct ucp_report *r, const struct ucp_snapshot *s,
			double t)
{
	char size[16], rate[16];
	double secs = t - r->start;

	human(size, sizeof(size), (double)s->bytes_done);
	human(rate, sizeof(rate), secs > 0 ? (double)s->bytes_done / secs : 0);
	fprintf(stderr,
		"Scanned:         %llu\n"
		"Files:           %llu\n"
		"Directories:     %llu\n"
		"Symbolic links:  %llu\n"
		"Hard links:      %llu\n"
		"Bytes:           %llu (%s)\n"
		"Skipped:         %llu\n"
		"Errors:          %llu\n"
		"Elapsed:         %.3fs\n"
		"Throughput:      %s/s\n"
		"Engine:          %s, %u worker%s\n",
		(unsigned long long)s->files_found,
		(unsigned long long)s->files_done,
		(unsigned long long)s->dirs_done,
		(unsigned long long)s->symlinks_done,
		(unsigned long long)s->links_done,
		(unsigned long long)s->bytes_done, size,
		(unsigned long long)skipped(s), (unsigned long long)s->errors,
		secs, rate, s->uring ? "io_uring" : "threads", s->jobs,
		s->jobs == 1 ? "" : "s");
	if (s->deleted)
		fprintf(stderr, "Deleted:         %llu\n",
			(unsigned long long)s->deleted);
}

/* The final JSON object (lock held). */
static void json_summary(struct ucp_report *r, const struct ucp_snapshot *s,
			 double t, int exit_status)
{
	double secs = t - r->start;

	fprintf(stderr,
		"{\"v\":2,\"type\":\"summary\",\"elapsed\":%.3f,"
		"\"scanned\":%llu,"
		"\"files\":%llu,\"dirs\":%llu,\"symlinks\":%llu,"
		"\"hardlinks\":%llu,\"bytes\":%llu,\"skipped\":%llu,"
		"\"deleted\":%llu,\"errors\":%llu,\"rate\":%.0f,"
		"\"engine\":\"%s\",\"jobs\":%u,\"exit_status\":%d}\n",
		secs, (unsigned long long)s->files_found,
		(unsigned long long)s->files_done,
		(unsigned long long)s->dirs_done,
		(unsigned long long)s->symlinks_done,
		(unsigned long long)s->links_done,
		(unsigned long long)s->bytes_done,
		(unsigned long long)skipped(s), (unsigned long long)s->deleted,
		(unsigned long long)s->errors,
		secs > 0 ? (double)s->bytes_done / secs : 0,
		s->uring ? "io_uring" : "threads", s->jobs, exit_status);
}

int ucp_report_stdout_errno(struct ucp_report *r)
{
	int err;

	pthread_mutex_lock(&r->lock);
	err = r->stdout_err;
	pthread_mutex_unlock(&r->lock);
	return err;
}

void ucp_report_count_error(struct ucp_report *r)
{
	pthread_mutex_lock(&r->lock);
	r->errors++;
	pthread_mutex_unlock(&r->lock);
}

/*
 * The end of a run a full disk stopped: its error names the file it
 * stopped at; this line says that the rest was left out too. (How many
 * is not known: the counting walk stops with the run.)
 */
static void say_disk_full(void)
{
	fputs("ucp: the run stopped there: what was not done by then was left out\n",
	      stderr);
}

void ucp_report_finish(struct ucp_report *r, int exit_status)
{
	struct ucp_snapshot s;

	if (!r->ctx)
		return;
	pthread_mutex_lock(&r->lock);
	/* A SIGUSR1 that arrived after the last tick still gets its line. */
	if (r->want_status)
		print_status(r);
	if (r->ever_shown || r->mode == UCP_PROGRESS_JSON)
		draw(r, true);
	snapshot(r, &s);
	if (r->disk_full && r->mode != UCP_PROGRESS_JSON)
		say_disk_full();
	if (r->mode == UCP_PROGRESS_JSON)
		json_summary(r, &s, now(), exit_status);
	else if (r->stats)
		print_stats(r, &s, now());
	fflush(stderr);
	pthread_mutex_unlock(&r->lock);
}
