/* SPDX-License-Identifier: MIT */
/*
 * untar.c: reading archives, to extract them safely or to list them.
 *
 * libarchive reads (format and compression are found from the content);
 * writing the members is done here, by descriptor. Every member name goes
 * through ucp_tarpath_map first: ".." refuses the member, a leading '/' is
 * removed with a warning. Its parent directory is then reached from the
 * extraction directory one component at a time with O_NOFOLLOW (dirchain.h),
 * so that nothing is ever written through a symbolic link, whether the
 * archive made it or it was there before, no path is longer than one
 * component (a tree deeper than PATH_MAX extracts as any other) and the
 * working directory is never changed. The member itself is created with
 * O_EXCL | O_NOFOLLOW (files) or as a new name (the other types); an entry
 * in its way that is not a directory is unlinked first, never written
 * through. A hard link's target is reached the same way, below the
 * extraction directory.
 *
 * Directories are created owner-writable; their owner, attributes, mode
 * and times are set at the end, deepest first, since creating their
 * entries would change them (and a read-only directory could not take
 * any). The reading's graded results map onto ucp's severities in
 * each_member(): a WARN is a warning, a damaged header an error, and
 * damaged data stops the run. A member whose data cannot be read to its
 * end is removed, so a damaged archive never leaves a short file under a
 * final name.
 */
#include "tar.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/limits.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "archive_dl.h"
#include "banned.h"
#include "dirchain.h"
#include "fault.h"
#include "linkwait.h"
#include "meta.h"
#include "path.h"
#include "paxprobe.h"
#include "paxtime.h"
#include "plan.h"
#include "replace.h"
#include "status.h"
#include "tarin.h"
#include "tarpath.h"
#include "u64set.h"
#include "util.h"

#define READ_BLOCK 65536
/* With --sparse=always, zeros are left as holes in pieces of this size. */
#define HOLE_UNIT 4096
/* A member's data ended the run: damaged archive (reported) or interrupt. */
#define STOP_RUN (-ECANCELED)

/* A directory's metadata, set at the end. */
struct fixup {
	char *path; /* below the extraction directory */
	size_t seq; /* archive order, among fixups of the same path */
	struct stat st;
	struct ucp_xattrs x;
	unsigned what;
};

struct tr {
	const struct ucp_tar_env *env;
	const char *archive;
	const char *dir;
	struct archive *a;
	struct archive *raw; /* an lz4 stream, decompressed for a (see below) */
	struct archive *ids; /* libarchive's owner-name lookup, nothing more */
	struct ucp_tarin *in; /* what libarchive reads */
	int status;
	char *mapped, *mapped_link; /* the member's names below dir */
	size_t mapped_cap;
	char *last; /* the last member read, whole, for messages */
	size_t last_cap;
	char *why; /* a message naming a member's target (freed here) */
	bool size_known;
	bool keep_mode;	    /* -p: permission bits as archived, set-id too */
	bool modes_unknown; /* ... but a zip from a pipe has none: the umask
			       decides its (libarchive's 0664 and 0775 are
			       no one's choice) */
	bool left_out;	    /* root, no -p: a member's mode lost something */
	bool keep_owner;    /* root, or --preserve=ownership */
	bool holes;	    /* --sparse=always: zeros become holes */
	bool no_holes;	    /* --sparse=never: holes are written as zeros */
	bool pax_in;	    /* libarchive reads "-1.75" as -0.25 (paxprobe.h) */
	int root_fd;	    /* the extraction directory */
	bool root_made;	    /* ... made by this run */
	/* A leading '/' removed: said for the first name, and the first hard
	 * link target, as GNU tar says it once. */
	bool strip_said, strip_link_said;
	/*
	 * Hashes of the paths of the directories this run made (by a member,
	 * or as a parent of one): a later member for one of them gives it
	 * its mode, where a directory that was there keeps its own (-p
	 * aside). And of those it removed for a member of another type, whose
	 * metadata then has nowhere to go. Both grow with the directories.
	 */
	struct ucp_u64set made, removed;
	struct ucp_dirchain chain;
	struct ucp_meta_env menv;
	atomic_bool nosup_said; /* (menv.nosup_said points here) */
	struct fixup *fix;
	size_t nfix, fixcap;
	struct ucp_tick tick;
	/*
	 * The input's start, kept while the reader looks for the format, to
	 * be read again as tar when none knows it (read_anyway); and the
	 * callback that reads on after it.
	 */
	char *start;
	bool packed; /* the input starts as bzip2, xz or zstd (packed_start) */
	size_t nstart, start_at;
	bool keep_start, start_lost;
	la_ssize_t (*next_read)(struct archive *a, void *arg, const void **buf);
	/*
	 * Read as tar anyway: the first reader's words, until a header reads
	 * as one (then NULL); and the damage at the start, said then.
	 */
	char *unknown, *held;
	/* cpio's newc: names waiting for their file's data (see wait_add). */
	struct ucp_linkwait wait;
	bool no_data; /* the archive is read: members are made without data */
	/*
	 * The last parent looked at (its descriptor, as the chain had
	 * opened it), and what other_group and inherits_acl found of it:
	 * -1 not looked at yet.
	 */
	int pf_fd;
	unsigned long pf_opens;
	int pf_other_group, pf_default_acl;
};

/* The member being extracted. */
struct member {
	struct archive_entry *e;
	const char *name;    /* as the archive has it, for messages */
	int dirfd;	     /* its parent directory (the chain's) */
	const char *leaf;    /* its last component, in tr->mapped */
	struct stat st;	     /* what it gets: type, mode, owner, times */
	struct ucp_xattrs x; /* its attributes and ACLs that are restored */
	unsigned what;	     /* for ucp_meta_apply */
	enum ucp_op op;	     /* the step that failed */
	const char *msg;     /* why, where no errno says it (refusals) */
	/* A file that replaces one is written here, then renamed over it. */
	char tmp[UCP_TMP_NAME_MAX];
	bool narrow; /* made its owner's alone until its owner is set */
};

static void emit_error(struct tr *tr, const struct ucp_error *e)
{
	const struct ucp_events *ev = tr->env->ev;

	if (!e->warning) {
		tr->status |= e->fatal ? UCP_RUN_FATAL : UCP_RUN_PARTIAL;
		ucp_count(&tr->env->cnt->errors, 1);
	}
	if (ev->error)
		ev->error(ev->arg, e);
}

static void emit(struct tr *tr, enum ucp_op op, int err, const char *path,
		 const char *msg, bool warning, bool is_fatal)
{
	struct ucp_error e = { .op = op,
			       .err = err,
			       .path = path,
			       .msg = msg,
			       .warning = warning,
			       .fatal = is_fatal };

	emit_error(tr, &e);
}

/*
 * An error of member m at path, whose step is m->op (an attribute that
 * could not be written named, from its x).
 */
static void emit_member(struct tr *tr, const struct member *m, int err,
			const char *path, bool is_fatal)
{
	struct ucp_error e = { .op = m->op,
			       .err = m->msg ? 0 : err,
			       .path = path,
			       .msg = m->msg,
			       .fatal = is_fatal };

	if (m->op == UCP_OP_XATTR)
		e.attr = m->x.failed;
	emit_error(tr, &e);
}

/*
 * The warning of a destination without extended attributes, for path:
 * once a run (meta.c hands the failure on once), unless xattr was named,
 * for each file then, as copy mode says it.
 */
static void nosup(struct tr *tr, const char *path)
{
	emit(tr, UCP_OP_XATTR, ENOTSUP, path,
	     tr->menv.xattr_strict ? NULL : UCP_XATTR_NOSUP_ONCE, true, false);
}

/* Keep name as the last member read (its whole name: none is cut). */
static void set_last(struct tr *tr, const char *name)
{
	size_t n = strlen(name) + 1;

	if (n > tr->last_cap) {
		char *p = realloc(tr->last, n);

		if (!p) { /* (then the message names the one before) */
			if (tr->last)
				tr->last[0] = '\0';
			return;
		}
		tr->last = p;
		tr->last_cap = n;
	}
	memcpy(tr->last, name, n);
}

/*
 * Where the damage is, and what it is: "at byte N, REL member 'NAME': WHAT"
 * (REL is "in" or "after"), or "at byte N: WHAT" before the first member;
 * "at byte N (M of the uncompressed archive)" in a compressed one. Into
 * *buf, allocated (NULL without memory).
 */
static void damage_text(struct tr *tr, char **buf, const char *rel,
			const char *what, long long back)
{
	/* (The bytes taken from the file, by the lz4 reader if there is one.)
	 */
	long long at =
		(long long)archive_filter_bytes(tr->raw ? tr->raw : tr->a, -1);
	char pos[96], *q;

	/*
	 * In an archive read as it is (its bytes and the archive's alike),
	 * the offset of what was just read.
	 */
	if (at >= back && !tr->raw &&
	    (long long)archive_filter_bytes(tr->a, 0) == at)
		at -= back;

	/* (None after a failed open: what was taken from the file then.) */
	if (at < 0)
		at = (long long)ucp_tarin_consumed(tr->in);
	/*
	 * A compressed archive: the offset in the file (gzip is inflated
	 * before libarchive sees it), and in what it decompresses to, where
	 * a tar tool reading the decompressed stream would look.
	 */
	if (tr->in &&
	    (ucp_tarin_gzip(tr->in) || tr->raw ||
	     archive_filter_count(tr->a) > 1) &&
	    archive_filter_bytes(tr->a, 0) > 0) {
		long long in = (long long)archive_filter_bytes(tr->a, 0);

		if (!tr->raw)
			at = ucp_tarin_gzip(tr->in)
				     ? (long long)ucp_tarin_consumed(tr->in)
				     : (long long)archive_filter_bytes(tr->a,
								       -1);
		if (in >= back)
			in -= back;
		(void)snprintf(
			pos, sizeof(pos),
			"at byte %lld (%lld of the uncompressed archive)", at,
			in < 0 ? 0 : in);
	} else {
		/* (A gzip stream that broke before libarchive took a byte.) */
		if (tr->in && ucp_tarin_gzip(tr->in))
			at = (long long)ucp_tarin_consumed(tr->in);
		(void)snprintf(pos, sizeof(pos), "at byte %lld", at);
	}
	q = tr->last && tr->last[0] ? ucp_path_quotable(tr->last) : NULL;
	if ((q ? asprintf(buf, "%s, %s member '%s': %s", pos, rel, q, what)
	       : asprintf(buf, "%s: %s", pos, what)) < 0)
		*buf = NULL;
	free(q);
}

/*
 * The archive is unreadable from here on: say where (rel: "in" the last
 * member read, or "after" it), and stop.
 */
static void damaged(struct tr *tr, struct archive *a, const char *rel)
{
	char *msg;
	/*
	 * The input's own error first: libarchive puts "Truncated input"
	 * over it when a skip (--list) meets it.
	 */
	const char *lib = tr->in && ucp_tarin_error(tr->in)
				  ? ucp_tarin_error(tr->in)
				  : archive_error_string(a);

	/* A read cut short by the interrupt is not damage. */
	if (*tr->env->cancel) {
		tr->status |= UCP_RUN_FATAL;
		return;
	}
	/* (liblzma's words for input that ends too soon.) */
	if (lib && strstr(lib, "No progress is possible"))
		lib = "xz: unexpected end of the compressed data";
	damage_text(tr, &msg, rel, lib ? lib : "damaged archive", 0);
	emit(tr, UCP_OP_ARCHIVE, 0, tr->archive,
	     msg ? msg : (lib ? lib : "damaged archive"), false, true);
	free(msg);
}

/* A header that does not read as one: reported, and the reading goes on. */
static void damaged_header(struct tr *tr)
{
	char *msg, what[300];
	const char *lib = archive_error_string(tr->a);

	(void)snprintf(what, sizeof(what), "%s; skipping to the next header",
		       lib ? lib : "damaged header");
	/* (The header was read: the offset is that of its block.) */
	damage_text(tr, &msg, "after", what, 512);
	/* Read as tar anyway: said once a header reads (header_found). */
	if (tr->unknown && !tr->held) {
		tr->held = msg ? msg : strdup(what);
		return;
	}
	emit(tr, UCP_OP_ARCHIVE, 0, tr->archive, msg ? msg : what, false,
	     false);
	free(msg);
}

/*
 * A header read as one, in an input read as tar anyway (read_anyway): it
 * is an archive, whose start is damaged.
 */
static void header_found(struct tr *tr)
{
	if (!tr->unknown)
		return;
	if (tr->held)
		emit(tr, UCP_OP_ARCHIVE, 0, tr->archive, tr->held, false,
		     false);
	free(tr->unknown);
	free(tr->held);
	tr->unknown = tr->held = NULL;
}

static void tick(struct tr *tr)
{
	const struct ucp_events *ev = tr->env->ev;
	struct ucp_counters *c = tr->env->cnt;
	uint64_t done = tr->in ? ucp_tarin_consumed(tr->in) : 0;

	/*
	 * The member count is never known ahead (files found are those done,
	 * directories apart); the size only for files.
	 */
	atomic_store_explicit(&c->bytes_done, done, memory_order_relaxed);
	atomic_store_explicit(&c->files_found, atomic_load(&c->files_done),
			      memory_order_relaxed);
	if (!tr->size_known)
		atomic_store_explicit(&c->bytes_found, done,
				      memory_order_relaxed);
	if (ev->tick && ucp_tick_due(&tr->tick))
		ev->tick(ev->arg);
}

/* libarchive's read callbacks over tarin.c. */
static la_ssize_t read_cb(struct archive *a, void *arg, const void **buf)
{
	struct tr *tr = arg;
	ssize_t n = ucp_tarin_read(tr->in, buf);

	if (n < 0)
		archive_set_error(a, EIO, "%s", ucp_tarin_error(tr->in));
	return n;
}

static la_int64_t skip_cb(struct archive *a, void *arg, la_int64_t request)
{
	struct tr *tr = arg;

	(void)a;
	/* (Not past the kept start before it is read again: read then.) */
	if (tr->start_at < tr->nstart)
		return 0;
	tr->start_lost |= tr->keep_start;
	return ucp_tarin_skip(tr->in, request);
}

static la_int64_t seek_cb(struct archive *a, void *arg, la_int64_t offset,
			  int whence)
{
	struct tr *tr = arg;

	(void)a;
	tr->start_lost |= tr->keep_start;
	return ucp_tarin_seek(tr->in, offset, whence);
}

/* The start of the input, up to this much, can be read again. */
#define START_MAX (8u << 20)
/*
 * An input no format knows is read as tar up to this far for a header
 * (a first member this long with a damaged header is not found again).
 */
#define ANYWAY_MAX ((la_int64_t)64 << 20)

static void keep_start(struct tr *tr, const void *buf, size_t n)
{
	char *p = NULL;

	if (tr->nstart + n <= START_MAX)
		p = realloc(tr->start, tr->nstart + n);
	if (!p) {
		tr->start_lost = true;
		tr->keep_start = false;
		return;
	}
	memcpy(p + tr->nstart, buf, n);
	tr->start = p;
	tr->nstart += n;
	tr->start_at = tr->nstart;
}

/*
 * The reader's input: what was kept of the start, when it is read again,
 * then the bytes of tr->next_read (kept while tr->keep_start).
 */
static la_ssize_t start_read_cb(struct archive *a, void *arg, const void **buf)
{
	struct tr *tr = arg;
	la_ssize_t n;

	if (tr->start_at < tr->nstart) {
		*buf = tr->start + tr->start_at;
		n = (la_ssize_t)(tr->nstart - tr->start_at);
		tr->start_at = tr->nstart;
		return n;
	}
	n = tr->next_read(a, arg, buf);
	if (n > 0 && tr->keep_start)
		keep_start(tr, *buf, (size_t)n);
	return n;
}

/*
 * The archive's bytes out of the decompressed lz4 stream (tr->raw), for
 * libarchive's reader of the archive itself.
 */
static la_ssize_t raw_read_cb(struct archive *a, void *arg, const void **buf)
{
	struct tr *tr = arg;
	size_t n;
	la_int64_t off;
	int r = archive_read_data_block(tr->raw, buf, &n, &off);

	if (r == ARCHIVE_EOF)
		return 0;
	if (r < ARCHIVE_WARN) {
		const char *msg = archive_error_string(tr->raw);

		archive_set_error(a, archive_errno(tr->raw), "%s",
				  msg ? msg : "damaged lz4 data");
		return -1;
	}
	return (la_ssize_t)n;
}

/* Say why reader a could not start; -EIO. */
static int open_failed(struct tr *tr, struct archive *a)
{
	const char *msg = archive_error_string(a);

	/*
	 * Damage in the compression around the archive, met before its
	 * first header: said where, as damage met later is.
	 */
	if ((tr->in && ucp_tarin_error(tr->in)) || tr->packed) {
		damaged(tr, a, "in");
		return -EIO;
	}

	emit(tr, UCP_OP_ARCHIVE, msg ? 0 : EIO, tr->archive, msg, false, true);
	return -EIO;
}

/*
 * An lz4 stream: libarchive's lz4 reader checks the stream's checksum
 * (all that covers a stored block's data) only at the stream's end, and
 * the archive's reader stops at the archive's end, before it. So the
 * stream is decompressed by a reader of its own (format "raw"), whose
 * data the archive's reader takes, and which is read to its end after the
 * archive (drain_raw).
 */
static int open_raw(struct tr *tr)
{
	struct archive_entry *e;

	tr->raw = archive_read_new();
	if (!tr->raw)
		return -ENOMEM;
	archive_read_support_filter_all(tr->raw);
	archive_read_support_format_raw(tr->raw);
	archive_read_set_callback_data(tr->raw, tr);
	archive_read_set_read_callback(tr->raw, read_cb);
	archive_read_set_skip_callback(tr->raw, skip_cb);
	/*
	 * (Its first block is decompressed here: the input starts as an
	 * lz4 frame, so a failure is damage, placed as any other.)
	 */
	if (archive_read_open1(tr->raw) != ARCHIVE_OK ||
	    archive_read_next_header(tr->raw, &e) != ARCHIVE_OK) {
		damaged(tr, tr->raw, "in");
		return -EIO;
	}
	return 0;
}

/* After the archive's end: the rest of an lz4 stream, its checksum too. */
static void drain_raw(struct tr *tr)
{
	const void *buf;
	size_t n;
	la_int64_t off;
	int r;

	if (!tr->raw)
		return;
	while ((r = archive_read_data_block(tr->raw, &buf, &n, &off)) ==
		       ARCHIVE_OK &&
	       !*tr->env->cancel)
		;
	if (r < ARCHIVE_WARN)
		damaged(tr, tr->raw, "after");
}

/*
 * No format knows the input's start. GNU tar reads it as tar then,
 * skipping to the first block that reads as a header, so that a damaged
 * first header loses one member, not the archive: so does ucp, with
 * libarchive's tar reader, from the start again (read again from the
 * file, or from what was kept of it). Until a header reads, nothing is
 * said (see each_member); if none does, the first reader's words are.
 */
static int read_anyway(struct tr *tr)
{
	const char *msg = archive_error_string(tr->a);
	int ret = -1;

	/*
	 * A compressed stream that ends or breaks before a whole header (a
	 * gzip one inflated here, or another libarchive decompresses, which
	 * then says why): damage, not an unknown format.
	 */
	if ((tr->in && ucp_tarin_error(tr->in)) ||
	    (tr->packed && msg &&
	     strcmp(msg, "Unrecognized archive format") != 0))
		return open_failed(tr, tr->a);
	tr->unknown = strdup(msg ? msg : "Unrecognized archive format");
	if (!tr->unknown)
		return open_failed(tr, tr->a);
	if (!tr->raw && ucp_tarin_seekable(tr->in)) {
		/* (From the file: nothing kept is read again.) */
		free(tr->start);
		tr->start = NULL;
		tr->nstart = 0;
		if (ucp_tarin_seek(tr->in, 0, SEEK_SET) != 0)
			return open_failed(tr, tr->a);
	} else if (tr->start_lost || !tr->nstart) {
		return open_failed(tr, tr->a);
	}
	tr->start_at = 0;
	archive_read_free(tr->a);
	tr->a = archive_read_new();
	if (tr->a) {
		archive_read_support_filter_all(tr->a);
		ret = archive_read_set_format(tr->a, ARCHIVE_FORMAT_TAR);
		archive_read_set_callback_data(tr->a, tr);
		archive_read_set_read_callback(tr->a, start_read_cb);
		if (!tr->raw)
			archive_read_set_skip_callback(tr->a, skip_cb);
	}
	if (!tr->a || ret != ARCHIVE_OK ||
	    archive_read_open1(tr->a) != ARCHIVE_OK) {
		emit(tr, UCP_OP_ARCHIVE, 0, tr->archive, tr->unknown, false,
		     true);
		return -EIO;
	}
	return 0;
}

/*
 * Whether the input, as libarchive was given it, starts as a stream it
 * decompresses (bzip2, xz, zstd): a failure to open it is then damage
 * there, to be placed.
 */
static bool packed_start(const struct tr *tr)
{
	static const struct {
		const char *magic;
		size_t len;
	} packed[] = { { "BZh", 3 },
		       { "\xfd"
			 "7zXZ",
			 5 },
		       { "\x28\xb5\x2f\xfd", 4 } };

	for (size_t i = 0; i < ARRAY_SIZE(packed); i++)
		if (tr->nstart >= packed[i].len &&
		    memcmp(tr->start, packed[i].magic, packed[i].len) == 0)
			/* (bzip2's block size, a digit, follows "BZh".) */
			return i != 0 ||
			       (tr->nstart > 3 && tr->start[3] >= '1' &&
				tr->start[3] <= '9');
	return false;
}

static int open_input(struct tr *tr)
{
	struct stat st;
	bool is_stdin = strcmp(tr->archive, "-") == 0;
	int ret;

	tr->a = archive_read_new();
	if (!tr->a)
		return -ENOMEM;
	tr->pax_in = ucp_paxprobe()->in;
	archive_read_support_filter_all(tr->a);
	archive_read_support_format_all(tr->a);
	if (!is_stdin && stat(tr->archive, &st) == 0 && S_ISREG(st.st_mode)) {
		ucp_count(&tr->env->cnt->bytes_found, (uint64_t)st.st_size);
		tr->size_known = true;
	}
	ret = ucp_tarin_open(&tr->in, tr->archive, READ_BLOCK, tr->env->cancel);
	if (ret < 0) {
		if (!*tr->env->cancel)
			emit(tr, UCP_OP_ARCHIVE, -ret, tr->archive, NULL, false,
			     true);
		return ret;
	}
	/*
	 * No byte at all is no archive (a download that failed, say), as GNU
	 * tar says; an empty archive has its end blocks. (The first block is
	 * read by now.)
	 */
	if (ucp_tarin_consumed(tr->in) == 0) {
		emit(tr, UCP_OP_ARCHIVE, 0, tr->archive,
		     "empty input: not an archive", false, true);
		return -EIO;
	}
	archive_read_set_callback_data(tr->a, tr);
	archive_read_set_read_callback(tr->a, start_read_cb);
	tr->next_read = read_cb;
	if (ucp_tarin_lz4(tr->in)) {
		ret = open_raw(tr);
		if (ret < 0)
			return ret;
		tr->next_read = raw_read_cb;
	} else {
		archive_read_set_skip_callback(tr->a, skip_cb);
		/* A zip's types and modes are in its central directory. */
		if (ucp_tarin_seekable(tr->in))
			archive_read_set_seek_callback(tr->a, seek_cb);
	}
	tr->keep_start = true;
	ret = archive_read_open1(tr->a);
	tr->keep_start = false;
	tr->packed = packed_start(tr);
	/* (libarchive's "file format" errno on Linux: no format knew it.) */
	if (ret != ARCHIVE_OK && archive_errno(tr->a) == EILSEQ)
		return read_anyway(tr);
	free(tr->start);
	tr->start = NULL;
	tr->nstart = tr->start_at = 0;
	if (ret != ARCHIVE_OK)
		return open_failed(tr, tr->a);
	return 0;
}

/* ---- extraction: names ---------------------------------------------- */

static void extract_options(struct tr *tr)
{
	const struct ucp_config *cfg = tr->env->cfg;

	/* Without them the umask applies and set-id bits are dropped. */
	tr->keep_mode = (cfg->preserve & UCP_PRESERVE_MODE) != 0;
	tr->keep_owner = (cfg->preserve & UCP_PRESERVE_OWNERSHIP) ||
			 (tr->menv.euid == 0 && !cfg->no_owner);
	tr->holes = cfg->sparse == UCP_SPARSE_ALWAYS;
	tr->no_holes = cfg->sparse == UCP_SPARSE_NEVER;
}

/* Room in tr->mapped and tr->mapped_link for a name of len bytes. */
static int mapped_room(struct tr *tr, size_t len)
{
	char *a, *b;

	if (len < tr->mapped_cap)
		return 0;
	a = realloc(tr->mapped, len + 1);
	if (a)
		tr->mapped = a;
	b = realloc(tr->mapped_link, len + 1);
	if (b)
		tr->mapped_link = b;
	if (!a || !b)
		return -ENOMEM;
	tr->mapped_cap = len + 1;
	return 0;
}

/* Map name into out (room for strlen(name) + 1 bytes: never longer). */
static enum ucp_tarpath map_name(const char *name, char *out)
{
	size_t len = strlen(name);

	return ucp_tarpath_map(name, len, out, len + 1);
}

/* Map the hard link target link into tr->mapped_link; false: refused. */
static bool place_link(struct tr *tr, const char *name, const char *link)
{
	enum ucp_tarpath v;

	if (mapped_room(tr, strlen(link)) < 0) {
		emit(tr, UCP_OP_EXTRACT, ENOMEM, name, NULL, false, false);
		return false;
	}
	v = map_name(link, tr->mapped_link);
	/* (Said as for a name: GNU tar says it of hard link targets too.) */
	if (v == UCP_TARPATH_STRIPPED && !tr->strip_link_said) {
		tr->strip_link_said = true;
		emit(tr, UCP_OP_STRIP_SLASH, 0, link, NULL, true, false);
	}
	if (v == UCP_TARPATH_OK || v == UCP_TARPATH_STRIPPED)
		return true;
	emit(tr, UCP_OP_UNSAFE_MEMBER, 0, name,
	     v == UCP_TARPATH_SELF ? "hard link to the directory itself"
				   : "hard link target outside the directory",
	     false, false);
	return false;
}

/* Note that this run made directory rel[0..len) (a failure forgets it). */
static void note_made(void *arg, const char *rel, size_t len)
{
	struct tr *tr = arg;

	(void)ucp_u64set_add(&tr->made, ucp_u64set_hash(rel, len));
}

/*
 * Decide where member e may go (tr->mapped, and tr->mapped_link for a hard
 * link). Returns 1 to extract (tr->mapped "" for the directory itself),
 * -1 after a refusal.
 */
static int place(struct tr *tr, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	const char *link = archive_entry_hardlink(e);
	mode_t type = archive_entry_filetype(e);
	enum ucp_tarpath v;

	if (!name) {
		emit(tr, UCP_OP_UNSAFE_MEMBER, 0, "?",
		     "name not representable here", false, false);
		return -1;
	}
	if (mapped_room(tr, strlen(name)) < 0) {
		emit(tr, UCP_OP_EXTRACT, ENOMEM, name, NULL, false, false);
		return -1;
	}
	v = map_name(name, tr->mapped);
	/* The directory itself ("./"): its metadata (extract_dir). */
	if (v == UCP_TARPATH_SELF && type == AE_IFDIR && !link) {
		tr->mapped[0] = '\0';
		return 1;
	}
	if (v == UCP_TARPATH_SELF) {
		emit(tr, UCP_OP_UNSAFE_MEMBER, 0, name,
		     "names the extraction directory itself, and is not a "
		     "directory",
		     false, false);
		return -1;
	}
	if (v != UCP_TARPATH_OK && v != UCP_TARPATH_STRIPPED) {
		emit(tr, UCP_OP_UNSAFE_MEMBER, 0, name, ucp_tarpath_reason(v),
		     false, false);
		return -1;
	}
	if (v == UCP_TARPATH_STRIPPED && !tr->strip_said) {
		tr->strip_said = true;
		emit(tr, UCP_OP_STRIP_SLASH, 0, name, NULL, true, false);
	}
	if (link && !place_link(tr, name, link))
		return -1;
	/* (-a or -p: its mode and owner are kept, whatever else is not.) */
	if ((type == AE_IFCHR || type == AE_IFBLK) &&
	    (tr->menv.euid != 0 ||
	     (tr->env->cfg->preserve &
	      (UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP)) !=
		     (UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP))) {
		emit(tr, UCP_OP_UNSAFE_MEMBER, 0, name,
		     "device nodes are extracted only by root keeping their "
		     "mode and owner (-a or -p)",
		     false, false);
		return -1;
	}
	return 1;
}

static void report_copied(struct tr *tr, const char *name)
{
	const struct ucp_events *ev = tr->env->ev;
	size_t a = strlen(tr->dir), b = strlen(tr->mapped);
	char *dst;

	if (!tr->env->cfg->verbose || !ev->copied)
		return;
	dst = malloc(a + b + 2);
	if (!dst)
		return;
	memcpy(dst, tr->dir, a);
	dst[a] = '/';
	memcpy(dst + a + 1, tr->mapped, b + 1);
	ev->copied(ev->arg, name, dst, NULL, NULL);
	free(dst);
}

/* ---- extraction: metadata ------------------------------------------- */

/*
 * Whether an attribute of a member is restored. Privilege travels with the
 * set-id bits: security.capability (and the other security.* and
 * trusted.* names) only when the mode is kept (-p, -a, --preserve=mode),
 * the SELinux label only when asked for (-a, --preserve=context or xattr).
 * Without them a set-user-ID root binary is extracted with neither its
 * set-id bits nor its capabilities, as GNU tar without --xattrs does.
 * --no-preserve=xattr (no_xattrs) leaves out all but the ACLs, which go
 * with the mode.
 */
static bool keep_xattr(unsigned preserve, bool no_xattrs, const char *name)
{
	if (ucp_xattr_skipped(name))
		return false;
	/* (An ACL archived as an attribute, by tar --xattrs: see below.) */
	if (strncmp(name, "system.posix_acl_", 17) == 0)
		return preserve & UCP_PRESERVE_MODE;
	if (strcmp(name, "security.selinux") == 0)
		return preserve & (UCP_PRESERVE_CONTEXT | UCP_PRESERVE_XATTR);
	if (no_xattrs)
		return false;
	if (strncmp(name, "security.", 9) == 0 ||
	    strncmp(name, "trusted.", 8) == 0)
		return preserve & UCP_PRESERVE_MODE;
	return true;
}

/*
 * POSIX ACLs go back as Linux keeps them, in system.posix_acl_access and
 * system.posix_acl_default: a 4-byte version (2), then 8-byte entries of
 * tag, permissions and id, little-endian, in the order the kernel checks
 * (by tag as numbered here, then by id).
 */
#define ACL_USER_OBJ 0x01u
#define ACL_USER 0x02u
#define ACL_GROUP_OBJ 0x04u
#define ACL_GROUP 0x08u
#define ACL_MASK 0x10u
#define ACL_OTHER 0x20u

struct acl_ent {
	unsigned tag, perm;
	uint32_t id;
};

static unsigned acl_tag(int ae)
{
	switch (ae) {
	case ARCHIVE_ENTRY_ACL_USER_OBJ:
		return ACL_USER_OBJ;
	case ARCHIVE_ENTRY_ACL_USER:
		return ACL_USER;
	case ARCHIVE_ENTRY_ACL_GROUP_OBJ:
		return ACL_GROUP_OBJ;
	case ARCHIVE_ENTRY_ACL_GROUP:
		return ACL_GROUP;
	case ARCHIVE_ENTRY_ACL_MASK:
		return ACL_MASK;
	case ARCHIVE_ENTRY_ACL_OTHER:
		return ACL_OTHER;
	default:
		return 0;
	}
}

static int acl_cmp(const void *pa, const void *pb)
{
	const struct acl_ent *a = pa, *b = pb;

	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

/* The id of a named entry: its name here, else the number archived. */
static uint32_t acl_id(struct tr *tr, unsigned tag, int qual, const char *name)
{
	if (tag == ACL_USER)
		return (uint32_t)archive_write_disk_uid(tr->ids, name, qual);
	if (tag == ACL_GROUP)
		return (uint32_t)archive_write_disk_gid(tr->ids, name, qual);
	return UINT32_MAX; /* the kernel's "no id" */
}

/* Named entries need a mask; an archive without one gets their union. */
static void acl_fill_mask(struct acl_ent *v, size_t *k)
{
	unsigned have = 0, perm = 0;
	size_t i;

	for (i = 0; i < *k; i++) {
		have |= v[i].tag;
		if (v[i].tag & (ACL_USER | ACL_GROUP_OBJ | ACL_GROUP))
			perm |= v[i].perm;
	}
	if ((have & (ACL_USER | ACL_GROUP)) && !(have & ACL_MASK))
		v[(*k)++] = (struct acl_ent){ ACL_MASK, perm, UINT32_MAX };
}

/* Sort the k entries of v and add them to x as the attribute xname. */
static int acl_store(struct acl_ent *v, size_t k, const char *xname,
		     struct ucp_xattrs *x)
{
	size_t len = 4 + 8 * k, i;
	unsigned char *b = malloc(len);
	int ret;

	if (!b)
		return -ENOMEM;
	qsort(v, k, sizeof(*v), acl_cmp);
	b[0] = 2; /* the version */
	b[1] = b[2] = b[3] = 0;
	for (i = 0; i < k; i++) {
		unsigned char *p = b + 4 + 8 * i;

		p[0] = (unsigned char)v[i].tag;
		p[1] = 0;
		p[2] = (unsigned char)v[i].perm;
		p[3] = 0;
		p[4] = (unsigned char)v[i].id;
		p[5] = (unsigned char)(v[i].id >> 8);
		p[6] = (unsigned char)(v[i].id >> 16);
		p[7] = (unsigned char)(v[i].id >> 24);
	}
	ret = ucp_xattrs_add(x, xname, b, (uint32_t)len);
	free(b);
	return ret;
}

/*
 * Add e's POSIX ACL of type (if it has one) to x as xname; *mask gets the
 * permissions of its mask entry (unchanged without one). 0, -ENOMEM.
 */
static int add_acl(struct tr *tr, struct archive_entry *e, int type,
		   const char *xname, struct ucp_xattrs *x, int *mask)
{
	int n = archive_entry_acl_reset(e, type), t, perm, tag, qual;
	const char *name;
	struct acl_ent *v;
	size_t k = 0, i;
	int ret = 0;

	if (n <= 0)
		return 0;
	/* One more than the count, for a mask the archive may lack. */
	v = calloc((size_t)n + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	while (k < (size_t)n &&
	       archive_entry_acl_next(e, type, &t, &perm, &tag, &qual, &name) ==
		       ARCHIVE_OK) {
		unsigned kt = acl_tag(tag);

		if (!kt)
			continue;
		v[k].tag = kt;
		v[k].perm = (unsigned)perm & 7;
		v[k].id = acl_id(tr, kt, qual, name);
		k++;
	}
	acl_fill_mask(v, &k);
	for (i = 0; i < k; i++)
		if (v[i].tag == ACL_MASK)
			*mask = (int)v[i].perm;
	if (k)
		ret = acl_store(v, k, xname, x);
	free(v);
	return ret;
}

/*
 * Root without -p: what of member e the mode leaves out (changed: the
 * umask or set-ID bits took something; or an ACL; or a security.* or
 * trusted.* attribute) is noted, to be said once at the end (left_out).
 */
static void note_left_out(struct tr *tr, struct archive_entry *e, bool changed)
{
	const char *name;
	const void *value;
	size_t size;

	if (tr->menv.euid != 0 || tr->left_out)
		return;
	tr->left_out = changed ||
		       archive_entry_acl_reset(
			       e, ARCHIVE_ENTRY_ACL_TYPE_ACCESS |
					  ARCHIVE_ENTRY_ACL_TYPE_DEFAULT) > 0;
	if (!tr->left_out && archive_entry_xattr_reset(e) > 0)
		while (!tr->left_out &&
		       archive_entry_xattr_next(e, &name, &value, &size) ==
			       ARCHIVE_OK)
			tr->left_out = !keep_xattr(tr->env->cfg->preserve,
						   false, name) &&
				       !ucp_xattr_skipped(name);
}

/*
 * Said once, after a root's extraction without -p that left something of
 * the members' modes out: GNU tar and bsdtar restore it for root, and a
 * restore from a backup came out otherwise without a word.
 */
static void left_out(struct tr *tr)
{
	if (tr->left_out)
		emit(tr, UCP_OP_EXTRACT, 0, tr->archive,
		     "permission bits not restored as archived (the umask "
		     "applied; set-ID bits, ACLs and security.* and trusted.* "
		     "attributes left out): -p restores them, as tar does "
		     "for root",
		     true, false);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Name with its %XX sequences decoded into out (cap bytes); false when it
 * has none, or one that is not, or it does not fit.
 */
static bool pct_decoded(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	bool any = false;

	for (; *name; name++) {
		int hi, lo;

		if (n + 1 >= cap)
			return false;
		if (*name != '%') {
			out[n++] = *name;
			continue;
		}
		hi = hex_digit(name[1]);
		lo = hi < 0 ? -1 : hex_digit(name[2]);
		if (lo < 0 || (hi == 0 && lo == 0))
			return false;
		out[n++] = (char)(hi << 4 | lo);
		name += 2;
		any = true;
	}
	out[n] = '\0';
	return any;
}

/*
 * Whether name of list all is another's SCHILY.xattr twin: its decoded
 * form (into plain) is a name of the list.
 */
static bool encoded_twin(const struct ucp_xattrs *all, const char *name,
			 char *plain, size_t cap)
{
	return strchr(name, '%') && pct_decoded(name, plain, cap) &&
	       ucp_xattrs_has(all, plain);
}

/*
 * Whether name of list all is decoded already: libarchive's reading of its
 * own key (LIBARCHIVE.xattr), which an encoded twin names.
 */
static bool decoded_already(const struct ucp_xattrs *all, const char *name)
{
	char plain[XATTR_NAME_MAX + 1];
	struct ucp_xattr a;
	size_t off = 0;

	while (ucp_xattrs_next(all, &off, &a))
		if (encoded_twin(all, a.name, plain, sizeof(plain)) &&
		    strcmp(plain, name) == 0)
			return true;
	return false;
}

/*
 * The attributes of m as archived (all), decoded, into x. libarchive
 * writes a name %-encoded ('%', '=' and bytes outside printable ASCII)
 * under both keys of a pax header, and decodes it from its own key only
 * (LIBARCHIVE.xattr), taking SCHILY.xattr's as it is; GNU tar encodes '%'
 * and '=' there alike. So an encoded twin of another name is dropped, the
 * name it decodes to kept as it is, and any other name with %XX decoded.
 */
static int xattrs_decoded(const struct ucp_xattrs *all,
			  const struct ucp_config *cfg, struct ucp_xattrs *x)
{
	char plain[XATTR_NAME_MAX + 1];
	struct ucp_xattr a;
	size_t off = 0;
	int ret = 0;

	while (ret == 0 && ucp_xattrs_next(all, &off, &a)) {
		const char *name = a.name;

		if (strchr(name, '%')) {
			if (encoded_twin(all, name, plain, sizeof(plain)))
				continue;
			if (!decoded_already(all, name) &&
			    pct_decoded(name, plain, sizeof(plain)))
				name = plain;
		}
		if (keep_xattr(cfg->preserve, cfg->no_xattrs, name))
			ret = ucp_xattrs_add(x, name, a.value, a.len);
	}
	return ret;
}

/* The attributes of m that are restored, into m->x. */
static int member_xattr_list(struct tr *tr, struct member *m)
{
	const struct ucp_config *cfg = tr->env->cfg;
	struct ucp_xattrs all = { 0 };
	const char *name;
	const void *value;
	size_t size;
	bool pct = false;
	int ret = 0;

	if (archive_entry_xattr_reset(m->e) <= 0)
		return 0;
	while (ret == 0 && archive_entry_xattr_next(m->e, &name, &value,
						    &size) == ARCHIVE_OK) {
		pct = pct || strchr(name, '%');
		/* (Without a %, as they are: the usual case, one pass.) */
		if (!pct && keep_xattr(cfg->preserve, cfg->no_xattrs, name))
			ret = ucp_xattrs_add(&m->x, name, value,
					     (uint32_t)size);
		if (pct || ret < 0)
			break;
	}
	if (ret < 0 || !pct)
		return ret;
	/* One name has a %: the whole list again, decoded where need be. */
	ucp_xattrs_release(&m->x);
	m->x = (struct ucp_xattrs){ 0 };
	(void)archive_entry_xattr_reset(m->e);
	while (ret == 0 && archive_entry_xattr_next(m->e, &name, &value,
						    &size) == ARCHIVE_OK)
		ret = ucp_xattrs_add(&all, name, value, (uint32_t)size);
	if (ret == 0)
		ret = xattrs_decoded(&all, cfg, &m->x);
	ucp_xattrs_release(&all);
	return ret;
}

/* The attributes and ACLs of m that are restored, into m->x. */
static int member_xattrs(struct tr *tr, struct member *m)
{
	int ret, mask = -1, none = -1;

	ret = member_xattr_list(tr, m);
	/*
	 * An ACL carries permissions: restored with the mode only, as cp
	 * mode does (without it the umask decides, and nothing else).
	 */
	if (!tr->keep_mode)
		return ret;
	if (ret == 0)
		ret = add_acl(tr, m->e, ARCHIVE_ENTRY_ACL_TYPE_ACCESS,
			      "system.posix_acl_access", &m->x, &mask);
	/*
	 * With an ACL, a file's group bits are its mask: libarchive gives
	 * them as the owning group's entry, and the chmod after the ACL
	 * would narrow the mask to those.
	 */
	if (mask >= 0)
		m->st.st_mode =
			(m->st.st_mode & ~(mode_t)070) | ((mode_t)mask << 3);
	if (ret == 0 && S_ISDIR(m->st.st_mode))
		ret = add_acl(tr, m->e, ARCHIVE_ENTRY_ACL_TYPE_DEFAULT,
			      "system.posix_acl_default", &m->x, &none);
	return ret;
}

/* Whether type (archive_entry_filetype) is one a member may have. */
static bool known_type(mode_t type)
{
	return type == AE_IFREG || type == AE_IFDIR || type == AE_IFLNK ||
	       type == AE_IFIFO || type == AE_IFCHR || type == AE_IFBLK;
}

/* The type of e; anything unknown is extracted as a regular file. */
static mode_t member_type(struct archive_entry *e)
{
	mode_t type = archive_entry_filetype(e);

	switch (type) {
	case AE_IFDIR:
	case AE_IFLNK:
	case AE_IFIFO:
	case AE_IFCHR:
	case AE_IFBLK:
		return type;
	default:
		return S_IFREG;
	}
}

/*
 * Whether the member just read needs its times corrected: a tar one (its
 * times may be pax's), read by a libarchive that needs it (paxprobe.h).
 */
static bool pax_times(struct tr *tr)
{
	return tr->pax_in && (archive_format(tr->a) &
			      ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR;
}

/*
 * The permission bits of e. Where its access ACL has a mask, a file's
 * group bits are the mask, as stat shows them and GNU tar archives them;
 * libarchive hands them out as the owning group's entry instead, which
 * may grant more.
 */
static mode_t member_perm(struct archive_entry *e)
{
	mode_t perm = archive_entry_perm(e) & 07777;
	int type, p, tag, qual;
	const char *name;

	if (archive_entry_acl_reset(e, ARCHIVE_ENTRY_ACL_TYPE_ACCESS) <= 0)
		return perm;
	while (archive_entry_acl_next(e, ARCHIVE_ENTRY_ACL_TYPE_ACCESS, &type,
				      &p, &tag, &qual, &name) == ARCHIVE_OK)
		if (tag == ARCHIVE_ENTRY_ACL_MASK)
			return (perm & ~(mode_t)070) | ((mode_t)(p & 7) << 3);
	return perm;
}

/* Whether an owner or group number read from an archive is one. */
static bool id_fits(la_int64_t id)
{
	return id >= 0 && id < (la_int64_t)UINT32_MAX;
}

/*
 * What of e's header no system holds, or NULL: an owner or group number
 * (negative, 2^32 - 1 or above: a pax header's "uid=4294967296"), or a
 * modification time libarchive cut to the ends of 64 bits (a pax header's
 * "mtime=99999999999999999999"), which GNU tar refuses too.
 */
static const char *out_of_range(struct archive_entry *e)
{
	la_int64_t t = archive_entry_mtime(e);

	if (!id_fits(archive_entry_uid(e)) || !id_fits(archive_entry_gid(e)))
		return "owner or group ID out of range (a malformed header)";
	if (t >= INT64_MAX || t <= INT64_MIN + 1)
		return "modification time out of range (a malformed header)";
	return NULL;
}

/*
 * What m gets: m->st (type, mode, owner, times, size, device) and m->x,
 * and m->what, the steps of ucp_meta_apply that give them. 0, -ENOMEM, or
 * -ERANGE (m->msg says why).
 */
static int member_meta(struct tr *tr, struct member *m)
{
	struct archive_entry *e = m->e;
	mode_t perm = member_perm(e);
	int ret;

	memset(&m->st, 0, sizeof(m->st));
	/*
	 * An owner or group number no system holds would be cut to another
	 * one, root's say, where --list shows it whole (and 2^32 - 1 is
	 * chown's "leave it"), a time out of range to the ends of time: the
	 * member is refused. (GNU tar says the value is out of range too, and
	 * takes the ustar header's number, which libarchive does not keep.)
	 */
	m->msg = out_of_range(e);
	if (m->msg)
		return -ERANGE;
	/*
	 * A zip member whose mode says a socket, or no type at all: libarchive
	 * hands on none of its data, and it came out a file of its size in
	 * zeros, without a word (a tar one comes with its data, a file).
	 */
	if (archive_format(tr->a) == ARCHIVE_FORMAT_ZIP &&
	    !known_type(archive_entry_filetype(e))) {
		m->msg = "its mode is of no file type (a socket, or none): its "
			 "data cannot be read";
		return -EINVAL;
	}
	if (!tr->keep_mode || tr->modes_unknown) {
		mode_t full = perm;

		perm &= 01777 &
			~tr->menv.umask; /* (the sticky bit kept, as cp) */
		/* (A symbolic link's mode means nothing on Linux.) */
		note_left_out(tr, e,
			      full != perm && member_type(e) != S_IFLNK &&
				      !tr->modes_unknown);
	}
	m->st.st_mode = member_type(e) | perm;
	m->st.st_uid = tr->menv.euid;
	m->st.st_gid = tr->menv.egid;
	m->what = UCP_PRESERVE_XATTR;
	if (!tr->env->cfg->no_times)
		m->what |= UCP_PRESERVE_TIMESTAMPS;
	if (tr->keep_owner) {
		m->st.st_uid = (uid_t)archive_write_disk_uid(
			tr->ids, archive_entry_uname(e), archive_entry_uid(e));
		m->st.st_gid = (gid_t)archive_write_disk_gid(
			tr->ids, archive_entry_gname(e), archive_entry_gid(e));
		m->what |= UCP_PRESERVE_OWNERSHIP;
	}
	m->st.st_size = archive_entry_size(e);
	m->st.st_rdev = archive_entry_rdev(e);
	m->st.st_atim.tv_sec = archive_entry_atime(e);
	m->st.st_atim.tv_nsec = archive_entry_atime_is_set(e)
					? archive_entry_atime_nsec(e)
					: UTIME_NOW;
	m->st.st_mtim.tv_sec = archive_entry_mtime(e);
	m->st.st_mtim.tv_nsec = archive_entry_mtime_is_set(e)
					? archive_entry_mtime_nsec(e)
					: UTIME_NOW;
	if (pax_times(tr)) {
		ucp_paxtime_in(&m->st.st_atim);
		ucp_paxtime_in(&m->st.st_mtim);
	}
	ret = member_xattrs(tr, m);
	/*
	 * The mode is set after the attributes when there are any: a user
	 * attribute may need owner write for a moment, and an ACL moves the
	 * group bits.
	 */
	if (tr->keep_mode || m->x.buf)
		m->what |= UCP_PRESERVE_MODE | UCP_META_FORCE_MODE;
	return ret;
}

/*
 * A member of ours to be given our owner and group (-p): no chown seems
 * needed, but a set-group-ID directory gave what was made in it that
 * directory's group. Whether m's parent does, looked up once a directory.
 */
/* m's parent as the last looked at: its answers kept, else forgotten. */
static void parent_seen(struct tr *tr, const struct member *m)
{
	if (m->dirfd != tr->pf_fd || tr->chain.opens != tr->pf_opens) {
		tr->pf_fd = m->dirfd;
		tr->pf_opens = tr->chain.opens;
		tr->pf_other_group = tr->pf_default_acl = -1;
	}
}

static bool other_group(struct tr *tr, const struct member *m)
{
	struct stat st;

	parent_seen(tr, m);
	if (tr->pf_other_group < 0)
		tr->pf_other_group = fstat(m->dirfd, &st) == 0 &&
				     (st.st_mode & S_ISGID) &&
				     st.st_gid != tr->menv.egid;
	return tr->pf_other_group;
}

/* Whether owning (-p) st's way needs a chown though it is ours. */
static bool ours(const struct tr *tr, unsigned what, const struct stat *st)
{
	return (what & UCP_PRESERVE_OWNERSHIP) && st->st_uid == tr->menv.euid &&
	       st->st_gid == tr->menv.egid;
}

/*
 * Give m its metadata: through fd when it is open, else by its name. A
 * file system without attributes is a warning. 0, or -errno with m->op.
 */
/*
 * -p: whether m's parent has a default ACL, which m inherited an access
 * ACL from: one the member does not have goes (a directory of the user's
 * made its entries readable to the user, a root's restore into it showed
 * other users' files; copy mode drops it so). Looked up once a directory.
 */
static bool inherits_acl(struct tr *tr, const struct member *m)
{
	parent_seen(tr, m);
	if (tr->pf_default_acl < 0)
		tr->pf_default_acl = ucp_meta_has_default_acl(m->dirfd);
	return tr->pf_default_acl;
}

static int apply_meta(struct tr *tr, struct member *m, int fd)
{
	enum ucp_op op = UCP_OP_EXTRACT;
	unsigned what = m->what;
	int ret;

	if (ours(tr, what, &m->st) && other_group(tr, m))
		what |= UCP_META_FORCE_OWNER;
	if (tr->keep_mode && !S_ISLNK(m->st.st_mode) && inherits_acl(tr, m)) {
		ret = ucp_meta_drop_acl(m->dirfd, m->leaf, fd, &m->x);
		if (ret < 0) {
			m->op = UCP_OP_XATTR;
			return ret;
		}
		what |= UCP_PRESERVE_MODE | UCP_META_FORCE_MODE;
	}
	if (fd >= 0)
		ret = ucp_meta_apply_fd(fd, &m->st, what, &tr->menv, &m->x,
					&op);
	else
		ret = ucp_meta_apply(m->dirfd, m->leaf, &m->st, what, &tr->menv,
				     &m->x, &op);
	if (ret == -ENOTSUP && op == UCP_OP_XATTR) {
		nosup(tr, m->name);
		return 0;
	}
	if (ret < 0)
		m->op = op;
	return ret;
}

/* ---- extraction: the members ---------------------------------------- */

/* Open the parent of tr->mapped (made if missing) as m->dirfd. */
static int open_parent(struct tr *tr, struct member *m)
{
	const char *slash = strrchr(tr->mapped, '/');
	size_t len = slash ? (size_t)(slash - tr->mapped) : 0;
	int fd = ucp_dirchain_open(&tr->chain, tr->mapped, len, true);

	m->leaf = slash ? slash + 1 : tr->mapped;
	if (fd == -ENOTDIR) {
		m->op = UCP_OP_UNSAFE_MEMBER;
		m->msg = "a parent is a symbolic link or not a directory";
	}
	if (fd < 0)
		return fd;
	m->dirfd = fd;
	return 0;
}

/*
 * What to do with what is in the way of member m at dirfd/leaf: the
 * planner's action for it (UCP_ACT_CREATE when nothing is there), or
 * -errno.
 */
static int plan_in_the_way(const struct tr *tr, const struct member *m,
			   int dirfd, const char *leaf)
{
	struct stat dst;
	struct ucp_plan_in in = { .mode = UCP_PLAN_UNTAR,
				  .src = &m->st,
				  .dst = &dst };
	struct ucp_plan p;

	if (fstatat(dirfd, leaf, &dst, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? (int)UCP_ACT_CREATE : -errno;
	ucp_plan(tr->env->cfg, &in, &p);
	return (int)p.act;
}

/*
 * A directory in the way of a member of another type gives way when it is
 * empty, as tar's does (an archive that changed the entry's type, or has
 * it twice); one with entries is never removed. 0, -EISDIR, or -errno.
 */
static int remove_empty_dir(struct tr *tr, int dirfd, const char *leaf)
{
	if (unlinkat(dirfd, leaf, AT_REMOVEDIR) < 0)
		return errno == ENOTEMPTY || errno == EEXIST ? -EISDIR : -errno;
	(void)ucp_u64set_add(&tr->removed,
			     ucp_u64set_hash(tr->mapped, strlen(tr->mapped)));
	return 0;
}

/*
 * Something is in the way of member m's leaf (its creation said EEXIST):
 * the planner says what becomes of it. 0 when it was removed (a
 * non-directory, or an empty directory), -EISDIR for a directory with
 * entries, or -errno.
 */
static int make_room(struct tr *tr, const struct member *m, int dirfd,
		     const char *leaf)
{
	int act = plan_in_the_way(tr, m, dirfd, leaf);

	if (act < 0)
		return act;
	if (act == UCP_ACT_CREATE) /* gone meanwhile */
		return 0;
	if (act == UCP_ACT_NONDIR_OVER_DIR)
		return remove_empty_dir(tr, dirfd, leaf);
	if (act != UCP_ACT_REPLACE)
		return -EEXIST;
	if (unlinkat(dirfd, leaf, 0) == 0 || errno == ENOENT)
		return 0;
	return -errno;
}

/*
 * Create the file of m. A non-directory in its place is replaced as the
 * copy mode replaces one: the member is written under a temporary name
 * (m->tmp), renamed over it once whole (finish_file), so that an
 * interrupted or damaged member leaves the old file as it was.
 */
static int create_file(struct tr *tr, struct member *m, mode_t mode)
{
	static atomic_uint seq;
	int dirfd = m->dirfd;
	const char *leaf = m->leaf;
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = ucp_fault_fail(UCP_FAULT_CREATE) < 0
			 ? -1
			 : openat(dirfd, leaf, flags, mode);
	int act;

	if (fd >= 0 || errno != EEXIST)
		return fd < 0 ? -errno : fd;
	act = plan_in_the_way(tr, m, dirfd, leaf);
	if (act < 0)
		return act;
	if (act == UCP_ACT_NONDIR_OVER_DIR) {
		act = remove_empty_dir(tr, dirfd, leaf);
		if (act < 0)
			return act;
		act = UCP_ACT_CREATE;
	}
	if (act != UCP_ACT_REPLACE && act != UCP_ACT_CREATE)
		return -EEXIST;
	if (act == UCP_ACT_REPLACE) {
		ucp_tmp_name(m->tmp, getpid(), atomic_fetch_add(&seq, 1));
		leaf = m->tmp;
	}
	fd = openat(dirfd, leaf, flags, mode);
	if (fd < 0)
		m->tmp[0] = '\0';
	return fd < 0 ? -errno : fd;
}

/* Write n bytes at off. 0 or -errno. */
static int write_span(int fd, const char *p, size_t n, int64_t off)
{
	while (n > 0) {
		ssize_t w = ucp_fault_pwrite(fd, p, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		off += w;
		n -= (size_t)w;
	}
	return 0;
}

static bool is_zero(const char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* --sparse=never: zeros written over [from, to) of fd. 0 or -errno. */
static int write_zeros(int fd, int64_t from, int64_t to)
{
	static const char zeros[64 << 10];

	while (from < to) {
		size_t n = (size_t)UCP_MIN(to - from, (int64_t)sizeof(zeros));
		int ret = write_span(fd, zeros, n, from);

		if (ret < 0)
			return ret;
		from += (int64_t)n;
	}
	return 0;
}

/*
 * Write a data block at off; with tr->holes, zero pieces are skipped.
 * *end is moved to the end of what was written, if further: the file's
 * size so far (a final hole, or zeros left as one, are final_hole's).
 */
static int write_block(struct tr *tr, int fd, const char *p, size_t n,
		       int64_t off, int64_t *end)
{
	size_t i = 0, j;
	int ret;

	if (!tr->holes) {
		ret = write_span(fd, p, n, off);
		if (ret == 0)
			*end = UCP_MAX(*end, off + (int64_t)n);
		return ret;
	}
	while (i < n) {
		/* The first piece ends where the file's next one starts. */
		size_t unit =
			HOLE_UNIT - (size_t)((off + (int64_t)i) % HOLE_UNIT);

		unit = UCP_MIN(unit, n - i);
		if (is_zero(p + i, unit)) {
			i += unit;
			continue;
		}
		for (j = i + unit; j < n; j += unit) {
			unit = UCP_MIN(HOLE_UNIT, n - j);
			if (is_zero(p + j, unit))
				break;
		}
		ret = write_span(fd, p + i, j - i, off + (int64_t)i);
		if (ret < 0)
			return ret;
		*end = UCP_MAX(*end, off + (int64_t)j);
		i = j;
	}
	return 0;
}

/*
 * Whether the archive is a zip read from a file by its central directory,
 * where one member that fails leaves the others readable.
 */
static bool zip_members_apart(const struct tr *tr)
{
	return archive_format(tr->a) == ARCHIVE_FORMAT_ZIP &&
	       !tr->modes_unknown;
}

/*
 * A member whose data failed a check of its own (a zip member's CRC; the
 * reader says so with a warning, at its end): not what was archived, so
 * it is not kept, and the archive is read on, as bsdtar does. -EIO.
 */
static int bad_member_data(struct tr *tr, struct member *m)
{
	const char *lib = archive_error_string(tr->a);

	free(tr->why);
	tr->why = strdup(lib ? lib : "damaged member data");
	m->op = UCP_OP_EXTRACT;
	m->msg = tr->why;
	return -EIO;
}

/*
 * A final hole (or zeros left as one) still counts in the size: fd's data
 * ends at end. 0, or -errno with m->op.
 */
static int final_hole(struct tr *tr, struct member *m, int fd, int64_t end)
{
	int ret;

	if (end >= m->st.st_size)
		return 0;
	ret = tr->no_holes ? write_zeros(fd, end, m->st.st_size)
	      : ftruncate(fd, m->st.st_size) < 0 ? -errno
						 : 0;
	if (ret < 0)
		m->op = UCP_OP_WRITE;
	return ret;
}

/*
 * Copy the member's data into fd at the offsets the archive gives (holes
 * of sparse members stay holes). 0, STOP_RUN, or -errno with m->op.
 */
static int file_data(struct tr *tr, struct member *m, int fd)
{
	int64_t end = 0;
	const void *buf;
	size_t n;
	la_int64_t off;
	int r, ret;

	for (;;) {
		if (tr->no_data)
			break;
		r = archive_read_data_block(tr->a, &buf, &n, &off);
		if (r == ARCHIVE_EOF)
			break;
		/*
		 * (A zip member libarchive cannot decode, encrypted or packed
		 * with a method it lacks: that member, and the others are
		 * read on, each found by the central directory.)
		 */
		if (r == ARCHIVE_FAILED && zip_members_apart(tr))
			return bad_member_data(tr, m);
		if (r < ARCHIVE_WARN) {
			damaged(tr, tr->a, "in");
			return STOP_RUN;
		}
		if (r == ARCHIVE_WARN)
			return bad_member_data(tr, m);
		ret = tr->no_holes && off > end ? write_zeros(fd, end, off) : 0;
		if (ret == 0)
			ret = write_block(tr, fd, buf, n, off, &end);
		if (ret < 0) {
			m->op = UCP_OP_WRITE;
			return ret;
		}
		if (*tr->env->cancel)
			return STOP_RUN;
		tick(tr);
	}
	return final_hole(tr, m, fd, end);
}

/* Data, metadata and close of the new file fd; removed on failure. */
static int finish_file(struct tr *tr, struct member *m, int fd)
{
	bool big = m->st.st_size >= (off_t)UCP_CURRENT_MIN;
	int ret, meta = 0;

	/* A big member is shown on the progress line while it is written. */
	if (big)
		ucp_current_set(tr->env->cur, m, strdup(m->name),
				(uint64_t)m->st.st_size);
	ucp_test_point("member");
	ret = file_data(tr, m, fd);
	if (big)
		ucp_current_clear(tr->env->cur, m);
	/*
	 * Metadata that could not be given (an attribute too big for the
	 * file system, say) is reported, but the data is whole: the file
	 * stays, as GNU tar and copy mode keep it.
	 */
	if (ret == 0)
		meta = apply_meta(tr, m, fd);
	/*
	 * Its mode now that its owner is set (extract_file); also when the
	 * owner could not be given (no set-ID bit is in it).
	 */
	if (ret == 0 && m->narrow &&
	    fchmod(fd, m->st.st_mode & 0777 & ~tr->menv.umask) < 0 &&
	    meta == 0) {
		meta = -errno;
		m->op = UCP_OP_CHMOD;
	}
	if (ucp_fault_close(fd) < 0 && ret == 0) {
		ret = -errno;
		m->op = UCP_OP_WRITE;
	}
	/* (A replacement: the old file stays unless this one is whole.) */
	if (ret == 0 && m->tmp[0] &&
	    renameat(m->dirfd, m->tmp, m->dirfd, m->leaf) < 0) {
		ret = -errno;
		m->op = UCP_OP_RENAME;
	}
	if (ret < 0)
		(void)unlinkat(m->dirfd, m->tmp[0] ? m->tmp : m->leaf, 0);
	m->tmp[0] = '\0';
	return ret < 0 ? ret : meta;
}

static int extract_file(struct tr *tr, struct member *m)
{
	/* Set mode bits wait for the owner: create the file private. */
	mode_t mode =
		(m->what & UCP_PRESERVE_MODE) ? 0600 : (m->st.st_mode & 0777);
	int fd;

	/*
	 * Root without -p gives the archived owner, not the mode: the file
	 * is its owner's alone until then, as GNU tar makes it (the group a
	 * user's set-group-ID directory gives could open it meanwhile, and
	 * read it after); then the archived mode less the umask. Not under
	 * a default ACL, whose grants the file keeps anyway.
	 */
	m->narrow = ucp_meta_owner_first(m->what, mode) && !inherits_acl(tr, m);
	if (m->narrow)
		mode &= 0700;
	fd = create_file(tr, m, mode);

	if (fd < 0) {
		m->op = UCP_OP_CREATE;
		return fd;
	}
	return finish_file(tr, m, fd);
}

/* Whether dirfd/leaf and tdirfd/tleaf are already the same file. */
static bool same_file(int tdirfd, const char *tleaf, int dirfd,
		      const char *leaf)
{
	struct stat a, b;

	return fstatat(tdirfd, tleaf, &a, AT_SYMLINK_NOFOLLOW) == 0 &&
	       fstatat(dirfd, leaf, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/*
 * Link tleaf in tdirfd as m's leaf in dirfd (a symlink itself, not
 * followed).
 */
static int link_at(struct tr *tr, const struct member *m, int tdirfd,
		   const char *tleaf, int dirfd)
{
	const char *leaf = m->leaf;
	int ret;

	if (ucp_fault_fail(UCP_FAULT_LINK) < 0)
		return -errno;
	if (linkat(tdirfd, tleaf, dirfd, leaf, 0) == 0)
		return 0;
	if (errno != EEXIST)
		return -errno;
	if (same_file(tdirfd, tleaf, dirfd, leaf))
		return 0;
	ret = make_room(tr, m, dirfd, leaf);
	if (ret < 0)
		return ret;
	return linkat(tdirfd, tleaf, dirfd, leaf, 0) == 0 ? 0 : -errno;
}

/* The data a hard link member may carry (cpio) goes into the file. */
static int link_data(struct tr *tr, struct member *m)
{
	struct stat before, st;
	int fd, ret;

	/*
	 * Only an empty regular file takes it: the first name, extracted
	 * without data (cpio's newc puts it on the last name). A FIFO or a
	 * device is not opened for it (a FIFO would wait for a reader, a
	 * device would be written), and a file that has data keeps it, as
	 * GNU tar ignores a link's data; libarchive skips it then.
	 */
	if (fstatat(m->dirfd, m->leaf, &before, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(before.st_mode) || before.st_size > 0)
		return 0;
	fd = openat(m->dirfd, m->leaf,
		    O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		m->op = UCP_OP_OPEN;
		return -errno;
	}
	if (fstat(fd, &st) < 0 || st.st_dev != before.st_dev ||
	    st.st_ino != before.st_ino || st.st_size > 0) {
		(void)close(fd); /* unwritten */
		return 0;
	}
	ret = file_data(tr, m, fd);
	/* Cut short: the names get back what they had, nothing. */
	if (ret != 0 && ftruncate(fd, 0) < 0)
		m->op = UCP_OP_WRITE;
	if (ret == 0)
		ret = apply_meta(tr, m, fd);
	if (ucp_fault_close(fd) < 0 && ret == 0) {
		ret = -errno;
		m->op = UCP_OP_WRITE;
	}
	return ret;
}

/*
 * A hard link to tr->mapped_link, reached below the extraction directory
 * like any member: a target through a symbolic link is refused.
 */
static int extract_link(struct tr *tr, struct member *m)
{
	const char *target = tr->mapped_link, *slash = strrchr(target, '/');
	size_t tlen = slash ? (size_t)(slash - target) : 0;
	int dirfd, tdirfd, ret;

	/* Keep the link's directory while the chain goes to the target's. */
	dirfd = fcntl(m->dirfd, F_DUPFD_CLOEXEC, 0);
	if (dirfd < 0) {
		m->op = UCP_OP_LINK;
		return -errno;
	}
	m->dirfd = dirfd;
	tdirfd = ucp_dirchain_open(&tr->chain, target, tlen, false);
	if (tdirfd < 0) {
		ret = tdirfd;
		m->op = UCP_OP_EXTRACT;
		if (ret == -ENOTDIR) {
			m->op = UCP_OP_UNSAFE_MEMBER;
			m->msg = "a parent of the hard link target is a "
				 "symbolic link or not a directory";
		}
	} else {
		ret = link_at(tr, m, tdirfd, slash ? slash + 1 : target, dirfd);
		m->op = UCP_OP_LINK;
	}
	/* (Not in the archive before the link, or not extracted.) */
	if (ret == -ENOENT) {
		char *q = ucp_path_quotable(target);

		free(tr->why);
		if (!q || asprintf(&tr->why,
				   "hard link target '%s' is not there", q) < 0)
			tr->why = NULL;
		free(q);
		m->msg = tr->why;
	}
	if (ret == 0 && m->st.st_size > 0)
		ret = link_data(tr, m);
	(void)close(dirfd); /* a directory, read-only */
	return ret;
}

/* Make m with make (a symlink, a node); what is in the way is replaced. */
static int create_entry(struct tr *tr, struct member *m,
			int (*make)(const struct member *m), enum ucp_op op)
{
	int ret;

	if (make(m) == 0)
		return 0;
	ret = -errno;
	if (ret == -EEXIST) {
		ret = make_room(tr, m, m->dirfd, m->leaf);
		if (ret == 0)
			ret = make(m) == 0 ? 0 : -errno;
	}
	if (ret < 0)
		m->op = op;
	return ret;
}

static int make_symlink(const struct member *m)
{
	if (ucp_fault_fail(UCP_FAULT_SYMLINK) < 0)
		return -1;
	return symlinkat(archive_entry_symlink(m->e), m->dirfd, m->leaf);
}

static int make_node(const struct member *m)
{
	mode_t perm =
		(m->what & UCP_PRESERVE_MODE) ? 0600 : (m->st.st_mode & 0777);

	return mknodat(m->dirfd, m->leaf, (m->st.st_mode & S_IFMT) | perm,
		       m->st.st_rdev);
}

static int extract_symlink(struct tr *tr, struct member *m)
{
	int ret;

	if (!archive_entry_symlink(m->e)) {
		m->op = UCP_OP_UNSAFE_MEMBER;
		m->msg = "symbolic link without a target";
		return -EINVAL;
	}
	ret = create_entry(tr, m, make_symlink, UCP_OP_SYMLINK);
	return ret < 0 ? ret : apply_meta(tr, m, -1);
}

/* FIFOs and (root with -a only: see place) device nodes. */
static int extract_node(struct tr *tr, struct member *m)
{
	int ret = create_entry(tr, m, make_node, UCP_OP_MKNOD);

	return ret < 0 ? ret : apply_meta(tr, m, -1);
}

/* Keep what directory m gets for the end (takes m->x). */
static int add_fixup(struct tr *tr, struct member *m)
{
	struct fixup *f;

	if (tr->nfix == tr->fixcap) {
		size_t cap = UCP_MAX(tr->fixcap * 2, 64);

		f = realloc(tr->fix, cap * sizeof(*f));
		if (!f)
			return -ENOMEM;
		tr->fix = f;
		tr->fixcap = cap;
	}
	f = &tr->fix[tr->nfix];
	f->path = strdup(tr->mapped);
	if (!f->path)
		return -ENOMEM;
	f->seq = tr->nfix++;
	f->st = m->st;
	f->x = m->x;
	f->x.failed = NULL;
	f->what = m->what;
	memset(&m->x, 0, sizeof(m->x));
	return 0;
}

/* Whether this run made the directory at tr->mapped. */
static bool made_here(const struct tr *tr)
{
	size_t len = strlen(tr->mapped);

	return len ? ucp_u64set_has(&tr->made, ucp_u64set_hash(tr->mapped, len))
		   : tr->root_made;
}

/*
 * A directory that is there already: one this run made (as a parent of an
 * earlier member, or for an earlier member of the same name) gets the
 * member's metadata as a new one would; one that was there before keeps
 * its mode unless -p. The extraction directory itself, when it was there
 * before, is left as it is: an archive of "." extracted into a home or /
 * must not give it the archive's mode and owner.
 */
static int merge_dir(struct tr *tr, struct member *m)
{
	bool mine = made_here(tr);

	if (!tr->mapped[0] && !mine)
		return 0;
	if (!mine && !tr->keep_mode)
		m->what &= ~(UCP_PRESERVE_MODE | UCP_META_FORCE_MODE);
	m->what |= UCP_META_FORCE_OWNER;
	return add_fixup(tr, m);
}

/*
 * A directory: made owner-writable, or merged with one there already
 * (merge_dir); its metadata kept for the end.
 */
static int extract_dir(struct tr *tr, struct member *m)
{
	int act;

	m->op = UCP_OP_MKDIR;
	m->what |= UCP_PRESERVE_MODE | UCP_META_FORCE_MODE;
	if (!tr->mapped[0]) {
		m->op = UCP_OP_EXTRACT;
		return merge_dir(tr, m);
	}
	if (ucp_fault_fail(UCP_FAULT_MKDIR) == 0 &&
	    mkdirat(m->dirfd, m->leaf, 0700) == 0) {
		note_made(tr, tr->mapped, strlen(tr->mapped));
		m->op = UCP_OP_EXTRACT;
		return add_fixup(tr, m);
	}
	if (errno != EEXIST)
		return -errno;
	act = plan_in_the_way(tr, m, m->dirfd, m->leaf);
	if (act < 0)
		return act;
	m->op = UCP_OP_EXTRACT;
	if (act == UCP_ACT_DESCEND)
		return merge_dir(tr, m);
	m->op = UCP_OP_MKDIR;
	if (unlinkat(m->dirfd, m->leaf, 0) < 0 ||
	    mkdirat(m->dirfd, m->leaf, 0700) < 0)
		return -errno;
	note_made(tr, tr->mapped, strlen(tr->mapped));
	m->op = UCP_OP_EXTRACT;
	return add_fixup(tr, m);
}

/* Deepest first (a path sorts after its parent); then in archive order. */
static int fixup_cmp(const void *pa, const void *pb)
{
	const struct fixup *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c)
		return -c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Set the directories' metadata, children before their parents. */
/*
 * -p: a directory's ACLs that the member does not have (inherited from
 * its parent's default ACL) go, as in copy mode. 0, or -errno with *op.
 */
static int drop_inherited(int fd, const struct ucp_xattrs *x, enum ucp_op *op)
{
	int ret = ucp_meta_drop_dir_acls(fd, x);

	if (ret < 0)
		*op = UCP_OP_XATTR;
	return ret;
}

/* Give directory fd the metadata of fixup f. 0, or -errno with *op. */
static int fix_dir(struct tr *tr, struct fixup *f, int fd, enum ucp_op *op)
{
	unsigned what = f->what;
	bool mine = ours(tr, what, &f->st);
	struct stat st;
	int ret = 0;

	if ((mine || !tr->keep_mode) && fstat(fd, &st) == 0) {
		/* (A directory made in a set-group-ID one has its group.) */
		if (mine &&
		    (st.st_uid != f->st.st_uid || st.st_gid != f->st.st_gid))
			what |= UCP_META_FORCE_OWNER;
		/*
		 * ... and, without -p, its set-group-ID bit too, as tar and
		 * copy mode leave it: what is made in it later takes the
		 * group (the member's own set-ID bits are dropped).
		 */
		if (!tr->keep_mode && (st.st_mode & S_ISGID))
			f->st.st_mode |= S_ISGID;
	}
	if (tr->keep_mode)
		ret = drop_inherited(fd, &f->x, op);
	if (ret == 0)
		ret = ucp_meta_apply_fd(fd, &f->st, what, &tr->menv, &f->x, op);
	/* (A directory that may not be read is open O_PATH.) */
	if (ret == -EBADF)
		ret = ucp_meta_apply(fd, ".", &f->st, what, &tr->menv, &f->x,
				     op);
	return ret;
}

static void apply_fixups(struct tr *tr, bool whole)
{
	size_t i;

	if (tr->nfix > 1)
		qsort(tr->fix, tr->nfix, sizeof(*tr->fix), fixup_cmp);
	for (i = 0; i < tr->nfix; i++) {
		struct fixup *f = &tr->fix[i];
		enum ucp_op op = UCP_OP_OPENDIR;
		int fd = ucp_dirchain_open(&tr->chain, f->path, strlen(f->path),
					   false);
		int ret = fd;

		/*
		 * Not all read (an interrupt, damage): a directory may be
		 * unfinished, and keeps its owner's rwx, as tar leaves one,
		 * so that a run again can fill it (a read-only one was
		 * sealed half full).
		 */
		if (!whole)
			f->st.st_mode |= S_IRWXU;
		if (fd >= 0)
			ret = fix_dir(tr, f, fd, &op);
		/* (A directory a later member replaced: nothing to fix.) */
		if ((ret == -ENOTDIR || ret == -ENOENT) && fd < 0 &&
		    ucp_u64set_has(&tr->removed,
				   ucp_u64set_hash(f->path, strlen(f->path))))
			continue;
		if (ret == -ENOTSUP && op == UCP_OP_XATTR) {
			nosup(tr, f->path[0] ? f->path : ".");
		} else if (ret < 0) {
			struct ucp_error e = { .op = op,
					       .err = -ret,
					       .path = f->path[0] ? f->path
								  : "." };

			if (op == UCP_OP_XATTR)
				e.attr = f->x.failed;
			emit_error(tr, &e);
		}
	}
}

/* Create m below the extraction directory. 0, STOP_RUN, or -errno. */
static int extract_member(struct tr *tr, struct member *m)
{
	int ret = member_meta(tr, m);

	if (ret == 0)
		ret = open_parent(tr, m);
	if (ret < 0)
		return ret;
	if (archive_entry_hardlink(m->e))
		return extract_link(tr, m);
	switch (m->st.st_mode & S_IFMT) {
	case S_IFDIR:
		return extract_dir(tr, m);
	case S_IFLNK:
		return extract_symlink(tr, m);
	case S_IFIFO:
	case S_IFCHR:
	case S_IFBLK:
		return extract_node(tr, m);
	default:
		return extract_file(tr, m);
	}
}

/* Extract one member whose header was read. False: stop the run. */
static bool extract_one(struct tr *tr, struct archive_entry *e)
{
	const char *path = archive_entry_pathname(e);
	struct member m = { .e = e, .op = UCP_OP_EXTRACT, .dirfd = -1 };
	char *name = strdup(path ? path : "?");
	int ret;

	if (!name) {
		emit(tr, UCP_OP_EXTRACT, ENOMEM, path ? path : "?", NULL, false,
		     true);
		return false;
	}
	m.name = name;
	if (place(tr, e) > 0) {
		ret = extract_member(tr, &m);
		if (ret == 0) {
			ucp_tar_count_done(tr->env->cnt, m.st.st_mode,
					   archive_entry_hardlink(e) != NULL);
			report_copied(tr, name);
		} else if (ucp_disk_full(m.op, -ret)) {
			/* A full disk stops the run, as in copy mode. */
			emit_member(tr, &m, -ret, name, true);
			ret = STOP_RUN;
		} else if (ret != STOP_RUN) {
			emit_member(tr, &m, -ret, name, false);
		}
	} else {
		ret = 0;
	}
	ucp_xattrs_release(&m.x);
	free(name);
	return ret != STOP_RUN;
}

/*
 * cpio's newc format carries the data of a file of several names with its
 * last name; the names before it come empty. Made as they come, they
 * would replace the files there with empty ones, and an archive cut short
 * before the last name would leave them so. So they wait (tr->wait), as
 * GNU cpio has them wait: when the last name comes, the first is made
 * with its data and the others are linked to it; at the end of a whole
 * archive, a file whose data never came is made empty (its data is that);
 * in one cut short, its names are not made at all, and each is said.
 */
static bool cpio_member(const struct tr *tr)
{
	return (archive_format(tr->a) & ARCHIVE_FORMAT_BASE_MASK) ==
	       ARCHIVE_FORMAT_CPIO;
}

static void wait_release(void *item)
{
	archive_entry_free(item);
}

/* Keep a copy of e in group g (-1: a new one, of first name key). */
static bool wait_add(struct tr *tr, ssize_t g, const char *name,
		     struct archive_entry *e)
{
	struct archive_entry *copy = archive_entry_clone(e);

	if (copy &&
	    ucp_linkwait_add(&tr->wait, g, (uint64_t)archive_entry_dev(e),
			     (uint64_t)archive_entry_ino64(e), name, copy) == 0)
		return true;
	if (copy)
		archive_entry_free(copy);
	emit(tr, UCP_OP_EXTRACT, ENOMEM, tr->last, NULL, false, true);
	return false;
}

/*
 * Make the names of group g now, without data: all its names came, the
 * last empty too (its data is that), or a later member takes one of its
 * names (made first, in archive order), or room is needed. False: stop.
 */
static bool wait_flush(struct tr *tr, size_t g)
{
	struct ucp_linkwait_group grp;
	bool had = tr->no_data, go = true;
	size_t i;

	ucp_linkwait_take(&tr->wait, g, &grp);
	/* (The archive's current member is another's: its data stays.) */
	tr->no_data = true;
	for (i = 0; i < grp.n && go && !*tr->env->cancel; i++)
		go = extract_one(tr, grp.item[i]);
	tr->no_data = had;
	ucp_linkwait_group_release(&tr->wait, &grp);
	return go;
}

/* A waiting name not made, said (not after an interrupt). */
static void wait_lost(struct tr *tr, const char *name, const char *why)
{
	if (!*tr->env->cancel)
		emit(tr, UCP_OP_EXTRACT, 0, name, why, false, false);
}

/*
 * e carries the data of group g: the first name is made with it (e's
 * header, under that name), then the other names and e are linked to it.
 * When the data stops the run, the names not made are said.
 */
static bool wait_done(struct tr *tr, ssize_t g, struct archive_entry *e)
{
	struct ucp_linkwait_group grp;
	struct archive_entry *first = archive_entry_clone(e);
	char *why = NULL, *q;
	bool go = false;
	size_t i;

	ucp_linkwait_take(&tr->wait, (size_t)g, &grp);
	if (first) {
		archive_entry_copy_pathname(first, grp.name[0]);
		archive_entry_copy_hardlink(first, NULL);
		go = extract_one(tr, first);
		archive_entry_free(first);
	} else {
		emit(tr, UCP_OP_EXTRACT, ENOMEM, grp.name[0], NULL, false,
		     true);
	}
	q = go ? NULL : ucp_path_quotable(tr->last);
	if (q && asprintf(&why,
			  "its data comes with its hard link '%s', not "
			  "extracted",
			  q) < 0)
		why = NULL;
	free(q);
	if (!go)
		wait_lost(tr, grp.name[0], why ? why : "its data was not read");
	for (i = 1; i < grp.n; i++) {
		if (go)
			go = extract_one(tr, grp.item[i]);
		else
			wait_lost(tr, archive_entry_pathname(grp.item[i]),
				  why ? why : "its data was not read");
	}
	free(why);
	if (go)
		go = extract_one(tr, e);
	ucp_linkwait_group_release(&tr->wait, &grp);
	return go;
}

/* At most this many names wait at once: past it the oldest file is made
 * without data, as it came before (memory and lookups stay bounded). */
#define WAIT_MAX 4096

/* A first name of a file of several names, which waits (see above). */
static bool waits(struct archive_entry *e)
{
	return archive_entry_filetype(e) == AE_IFREG &&
	       archive_entry_size(e) == 0 && archive_entry_nlink(e) >= 2;
}

/* Extract e, or have it wait for its file's data (see above). */
static bool extract_next(struct tr *tr, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	const char *target = archive_entry_hardlink(e);
	ssize_t g;

	if (!cpio_member(tr) || !name)
		return extract_one(tr, e);
	/* A name a waiting file has: that file first, as the archive has. */
	g = ucp_linkwait_holding(&tr->wait, name);
	if (g >= 0 && !wait_flush(tr, (size_t)g))
		return false;
	if (tr->wait.names >= WAIT_MAX && !wait_flush(tr, 0))
		return false;
	if (!target)
		return waits(e) ? wait_add(tr, -1, name, e)
				: extract_one(tr, e);
	/* (A file's names are one inode: libarchive pairs them so.) */
	g = ucp_linkwait_find(&tr->wait, (uint64_t)archive_entry_dev(e),
			      (uint64_t)archive_entry_ino64(e));
	if (g < 0)
		return extract_one(tr, e);
	if (archive_entry_size(e) > 0)
		return wait_done(tr, g, e);
	if (!wait_add(tr, g, name, e))
		return false;
	/* Its names all here, the last empty: its data is none. */
	return tr->wait.g[g].n < (size_t)archive_entry_nlink(e) ||
	       wait_flush(tr, (size_t)g);
}

/*
 * The archive's end: the names still waiting are made without data when
 * it was read whole (whole), else said as not extracted. (A run stopped
 * by a full disk or an interrupt is said so already.)
 */
static void wait_end(struct tr *tr, bool whole)
{
	struct ucp_linkwait_group grp;
	size_t i;
	bool go = true;

	tr->no_data = true;
	while (tr->wait.n > 0) {
		ucp_linkwait_take(&tr->wait, 0, &grp);
		for (i = 0; i < grp.n; i++) {
			if (!whole)
				wait_lost(tr,
					  archive_entry_pathname(grp.item[i]),
					  "the archive ends before the hard "
					  "link that carries its data (cpio's "
					  "newc puts it on the last name)");
			else if (go && !*tr->env->cancel)
				go = extract_one(tr, grp.item[i]);
		}
		ucp_linkwait_group_release(&tr->wait, &grp);
	}
}

/*
 * Whether the warning that came with a header says part of it was thrown
 * away: a malformed pax extended header, with the name, size, times and
 * attributes it held, so the member would come out under another name, or
 * with other contents. (Others leave the member whole: a name that cannot
 * be shown in this locale, an ACL that cannot be read.)
 */
static bool header_lost(struct archive *a)
{
	const char *msg = archive_error_string(a);

	return msg && strstr(msg, "malformed pax") != NULL;
}

/*
 * A member whose header header_lost: not extracted (nor listed), said
 * as damage at its place.
 */
static void lost_member(struct tr *tr)
{
	char *msg;
	const char *lib = archive_error_string(tr->a);

	damage_text(tr, &msg, "in", lib ? lib : "damaged header", 0);
	emit(tr, UCP_OP_ARCHIVE, 0, tr->archive, msg ? msg : lib, false, false);
	free(msg);
}

/*
 * Whether the member just read is GNU tar's "continued from the volume
 * before" (type M): libarchive takes it for a whole file, which would
 * replace one there with its tail. Seen where the header can be read
 * again: a tar file read as it is (not from a pipe, nor compressed).
 */
static bool continued_member(struct tr *tr, struct archive_entry *e)
{
	unsigned char h[512];
	la_int64_t at;

	/* (GNU tar writes it with no mode and no time: only such a member
	 * is read again, one syscall.) */
	if ((archive_format(tr->a) & ARCHIVE_FORMAT_BASE_MASK) !=
		    ARCHIVE_FORMAT_TAR ||
	    tr->raw || archive_entry_perm(e) != 0 ||
	    archive_entry_mtime(e) != 0)
		return false;
	at = archive_read_header_position(tr->a);
	return at >= 0 &&
	       ucp_tarin_pread(tr->in, h, sizeof(h), (uint64_t)at) ==
		       (ssize_t)sizeof(h) &&
	       h[156] == 'M';
}

/*
 * Whether the warning that came with a header is only that a name (or
 * link target, owner name) could not be converted to this locale: one
 * that is not UTF-8, stored as bytes (hdrcharset=BINARY, or an old
 * archive). libarchive hands on the bytes, which are extracted as they
 * are, as GNU tar extracts them, without a word.
 */
static bool charset_noise(struct archive *a)
{
	const char *msg = archive_error_string(a);

	return msg && strstr(msg, "can't be converted from") != NULL;
}

/* A second look at the input, at an offset of its own (zip_directory_found). */
struct probe {
	const struct ucp_tarin *in;
	int64_t pos, size;
	char buf[16384];
};

static la_ssize_t probe_read(struct archive *a, void *arg, const void **buf)
{
	struct probe *p = arg;
	ssize_t n = ucp_tarin_pread(p->in, p->buf, sizeof(p->buf),
				    (uint64_t)p->pos);

	(void)a;
	if (n < 0)
		return -1;
	p->pos += n;
	*buf = p->buf;
	return n;
}

static la_int64_t probe_seek(struct archive *a, void *arg, la_int64_t off,
			     int whence)
{
	struct probe *p = arg;
	int64_t to = whence == SEEK_SET	  ? off
		     : whence == SEEK_CUR ? p->pos + off
					  : p->size + off;

	(void)a;
	if (to < 0)
		return ARCHIVE_FATAL;
	p->pos = to;
	return to;
}

/*
 * Whether the zip read from in (a file, as it is) has a central directory
 * where libarchive's reader of zip files looks for it: where it finds none
 * (cut off, damaged, or past a long run of padding), libarchive reads the
 * members as a stream instead, without a word, and their types and modes
 * are not known. A second reader of the same open file, at its own offset
 * (pread): standard input too, and no other file than the one being read.
 */
static bool zip_directory_found(const struct ucp_tarin *in)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct probe *p = calloc(1, sizeof(*p));
	bool found = true; /* (not known: as before) */

	if (a && p) {
		p->in = in;
		p->size = ucp_tarin_size(in);
		found = p->size >= 0 &&
			archive_read_support_format_zip_seekable(a) ==
				ARCHIVE_OK &&
			archive_read_set_read_callback(a, probe_read) ==
				ARCHIVE_OK &&
			archive_read_set_seek_callback(a, probe_seek) ==
				ARCHIVE_OK &&
			archive_read_set_callback_data(a, p) == ARCHIVE_OK &&
			archive_read_open1(a) == ARCHIVE_OK &&
			archive_read_next_header(a, &e) >= ARCHIVE_WARN;
	}
	if (a)
		archive_read_free(a);
	free(p);
	return found;
}

/*
 * A zip, at its first member: read from a pipe, or from a file whose
 * central directory libarchive did not find, its members' types and
 * permission bits are not known (tr->modes_unknown): said, a warning for
 * the pipe, an error for the file (it is damaged: unzip refuses it).
 */
static void zip_how(struct tr *tr)
{
	static const char from_pipe[] =
		"a zip read from a pipe: its symbolic links come out as "
		"files and its permission bits are not known, the umask "
		"decides them (both are in its central directory, read only "
		"from a file)";
	static const char compressed[] =
		"a compressed zip, read as a stream: its symbolic links come "
		"out as files and its permission bits are not known, the "
		"umask decides them (both are in its central directory, read "
		"only from a zip file as it is)";
	static const char damaged_cd[] =
		"its central directory is missing or damaged: the members "
		"are read as they come, their symbolic links as files and "
		"their permission bits not known (the umask decides them)";
	bool pipe, filtered;

	if (archive_format(tr->a) != ARCHIVE_FORMAT_ZIP)
		return;
	pipe = !ucp_tarin_seekable(tr->in);
	filtered = archive_filter_count(tr->a) > 1;
	tr->modes_unknown = pipe || filtered || !zip_directory_found(tr->in);
	if (tr->modes_unknown)
		emit(tr, UCP_OP_ARCHIVE, 0, tr->archive,
		     pipe	? from_pipe
		     : filtered ? compressed
				: damaged_cd,
		     pipe || filtered, false);
}

/*
 * The header of member e just read (r: ARCHIVE_OK or ARCHIVE_WARN): its
 * warning said, the note on a zip read from a pipe too, once (*told_zip).
 * False when the member is not to be handed on (header_lost).
 */
static bool member_usable(struct tr *tr, struct archive_entry *e, int r,
			  bool *told_zip)
{
	const char *name = archive_entry_pathname(e);

	set_last(tr, name ? name : "?");
	if (r == ARCHIVE_WARN && header_lost(tr->a)) {
		lost_member(tr);
		return false;
	}
	if (continued_member(tr, e)) {
		emit(tr, UCP_OP_EXTRACT, 0, tr->last,
		     "the rest of a file begun in another volume of a "
		     "multi-volume archive (tar -M): not extracted",
		     false, false);
		return false;
	}
	if (r == ARCHIVE_WARN && !charset_noise(tr->a))
		emit(tr, UCP_OP_EXTRACT, 0, tr->last,
		     archive_error_string(tr->a), true, false);
	if (!*told_zip)
		zip_how(tr);
	*told_zip = true;
	return true;
}

/*
 * Whether libarchive took the input for an mtree file list: a text that
 * names files, with no data. Any text with a name on each line reads as
 * one, and would come out as empty files: not an archive, an error (as
 * GNU tar says of it).
 */
static bool not_archive(struct tr *tr)
{
	if ((archive_format(tr->a) & ARCHIVE_FORMAT_BASE_MASK) !=
	    ARCHIVE_FORMAT_MTREE)
		return false;
	emit(tr, UCP_OP_ARCHIVE, 0, tr->archive,
	     "not an archive (text, read as an mtree file list, which holds "
	     "no data)",
	     false, true);
	return true;
}

/*
 * A damaged header (a bad checksum): libarchive goes on at the next block
 * that reads as one. The members it passes over are lost: an error, said
 * once per stretch of damage (*skipping), naming where it starts. False
 * when an input read as tar anyway has shown no header for too long.
 */
static bool skip_damage(struct tr *tr, bool *skipping)
{
	if (!*skipping)
		damaged_header(tr);
	*skipping = true;
	return !tr->unknown || archive_filter_bytes(tr->a, 0) <= ANYWAY_MAX;
}

/*
 * A tar archive that ended where a header was due, with no end-of-archive
 * blocks (the zeros every writer puts last): cut short there, as a writer
 * that was killed leaves it. libarchive, GNU tar and bsdtar take it for
 * whole; it is an error here (the run said it extracted all, exit 0).
 * Said with libarchive's error set to that.
 */
static bool no_end_blocks(struct tr *tr)
{
	if ((archive_format(tr->a) & ARCHIVE_FORMAT_BASE_MASK) !=
		    ARCHIVE_FORMAT_TAR ||
	    archive_filter_bytes(tr->a, 0) >
		    archive_read_header_position(tr->a))
		return false;
	archive_set_error(tr->a, EIO,
			  "the archive ends without its end-of-archive "
			  "blocks: cut short");
	return true;
}

/*
 * After the last header (at the archive's end: eof): what follows it is
 * checked too. Whether the archive was read to its end.
 */
static bool read_end(struct tr *tr, bool eof)
{
	bool whole = eof && !*tr->env->cancel;

	if (whole && no_end_blocks(tr)) {
		damaged(tr, tr->a, "after");
		whole = false;
	}
	if (whole)
		drain_raw(tr);
	/* (The gzip stream's end, its check, past the archive's.) */
	if (whole && ucp_tarin_finish(tr->in) < 0)
		damaged(tr, tr->a, "after");
	tick(tr);
	/* Read as tar anyway, and no header read as one: not an archive. */
	if (tr->unknown && !*tr->env->cancel) {
		emit(tr, UCP_OP_ARCHIVE, 0, tr->archive, tr->unknown, false,
		     true);
		return false;
	}
	return whole;
}

/*
 * Read headers until the end, handing each member to fn. Whether the
 * archive was read to its end.
 */
static bool each_member(struct tr *tr,
			bool (*fn)(struct tr *tr, struct archive_entry *e))
{
	struct archive_entry *e;
	bool skipping = false, told_zip = false;
	int r = ARCHIVE_OK;

	while (!*tr->env->cancel) {
		r = archive_read_next_header(tr->a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_RETRY) {
			if (!skip_damage(tr, &skipping))
				break;
			continue;
		}
		skipping = false;
		/* (The header of the next member: after the last.) */
		if (r < ARCHIVE_WARN) {
			if (!tr->unknown)
				damaged(tr, tr->a, "after");
			break;
		}
		header_found(tr);
		if (not_archive(tr))
			break;
		if (!member_usable(tr, e, r, &told_zip))
			continue;
		if (!fn(tr, e))
			break;
		tick(tr);
	}
	return read_end(tr, r == ARCHIVE_EOF);
}

static enum ucp_status verdict(const struct tr *tr)
{
	return ucp_status_verdict(tr->status, *tr->env->cancel);
}

static void tr_init(struct tr *tr, const struct ucp_tar_env *env,
		    const char *archive, const char *dir)
{
	memset(tr, 0, sizeof(*tr));
	tr->env = env;
	tr->archive = archive;
	tr->dir = dir;
	tr->root_fd = -1;
	tr->wait.release = wait_release;
	ucp_dirchain_init(&tr->chain, -1);
	ucp_tick_start(&tr->tick, env->cfg->tick_ms);
}

static void tr_release(struct tr *tr)
{
	size_t i;

	if (tr->a)
		archive_read_free(tr->a);
	if (tr->raw)
		archive_read_free(tr->raw);
	ucp_tarin_close(tr->in);
	if (tr->ids)
		archive_write_free(tr->ids);
	ucp_dirchain_release(&tr->chain);
	ucp_u64set_release(&tr->made);
	ucp_u64set_release(&tr->removed);
	ucp_linkwait_release(&tr->wait);
	if (tr->root_fd >= 0)
		(void)close(tr->root_fd); /* a directory, read-only */
	for (i = 0; i < tr->nfix; i++) {
		free(tr->fix[i].path);
		ucp_xattrs_release(&tr->fix[i].x);
	}
	free(tr->fix);
	free(tr->last);
	free(tr->why);
	free(tr->mapped);
	free(tr->mapped_link);
	free(tr->start);
	free(tr->unknown);
	free(tr->held);
}

/* Open the extraction directory (created if missing) as tr->root_fd. */
/*
 * The directory just made as tr->dir, opened: not through a symbolic link
 * put in its name since (by a user who may write its parent), and still
 * as made, its owner ours and nothing in it; else it is no longer taken
 * for one this run made (the archive's "." would give it its owner and
 * mode). -1 with errno when it cannot be opened.
 */
static int open_made_root(struct tr *tr)
{
	size_t len = strlen(tr->dir);
	char *path;
	int fd;

	/* (A name that ends in '/' would follow a symbolic link.) */
	while (len > 1 && tr->dir[len - 1] == '/')
		len--;
	path = strndup(tr->dir, len);
	if (!path)
		return -1;
	ucp_test_point("mkdir");
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	if (fd >= 0 && !ucp_meta_dir_as_made(fd, tr->menv.euid))
		tr->root_made = false;
	return fd;
}

static int open_root(struct tr *tr)
{
	if (mkdir(tr->dir, 0777) == 0) {
		tr->root_made = true;
	} else if (errno != EEXIST) {
		emit(tr, UCP_OP_MKDIR, errno, tr->dir, NULL, false, true);
		return -1;
	}
	tr->root_fd = tr->root_made ? open_made_root(tr)
				    : open(tr->dir,
					   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* A directory that may be searched and written, not read: filled. */
	if (tr->root_fd < 0 && errno == EACCES) {
		tr->root_fd = open(tr->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (tr->root_fd < 0)
			errno = EACCES;
	}
	if (tr->root_fd < 0) {
		emit(tr, UCP_OP_OPENDIR, errno, tr->dir, NULL, false, true);
		return -1;
	}
	ucp_dirchain_init(&tr->chain, tr->root_fd);
	tr->chain.path_fallback = true;
	tr->pf_fd = -1;
	tr->chain.made = note_made;
	tr->chain.made_arg = tr;
	if (tr->env->max_dirs > 0)
		tr->chain.max_open = (size_t)tr->env->max_dirs;
	return 0;
}

#ifdef UCP_TEST_HOOKS
void ucp_tar_test_archive_name(const char *name)
{
	ucp_archive_name = name ? name : ucp_archive_soname;
}
#endif

bool ucp_tar_load(const struct ucp_tar_env *env)
{
	const char *why;
	struct ucp_error e = { .op = UCP_OP_LOAD,
			       .path = ucp_archive_name,
			       .fatal = true };

	if (ucp_archive_load(&why) == 0)
		return true;
	e.msg = why;
	ucp_count(&env->cnt->errors, 1);
	if (env->ev->error)
		env->ev->error(env->ev->arg, &e);
	return false;
}

enum ucp_status ucp_tar_read(const struct ucp_tar_env *env, const char *archive,
			     const char *dir)
{
	struct tr tr;
	enum ucp_status st;

	if (!ucp_tar_load(env))
		return UCP_FATAL;
	tr_init(&tr, env, archive, dir);
	ucp_meta_env_init(&tr.menv, env->cfg);
	tr.menv.xattr_strict = env->cfg->xattr_strict;
	tr.menv.xattr_report = true;
	tr.menv.nosup_said = &tr.nosup_said;
	extract_options(&tr);
	/* Only its lookup of owner names (with a cache) is used. */
	tr.ids = archive_write_disk_new();
	if (!tr.ids) {
		emit(&tr, UCP_OP_ARCHIVE, ENOMEM, archive, NULL, false, true);
		tr_release(&tr);
		return UCP_FATAL;
	}
	archive_write_disk_set_standard_lookup(tr.ids);
	if (open_input(&tr) == 0 && open_root(&tr) == 0) {
		bool whole = each_member(&tr, extract_next);

		wait_end(&tr, whole);
		left_out(&tr);
		/* After an interrupt too: what was made gets its modes. */
		apply_fixups(&tr, whole);
	}
	st = verdict(&tr);
	tr_release(&tr);
	return st;
}

/* ---- listing -------------------------------------------------------- */

/* The whole second of e's mtime (a pax time before 1970: paxtime.h). */
static int64_t list_mtime(struct tr *tr, struct archive_entry *e)
{
	struct timespec t = { archive_entry_mtime(e),
			      archive_entry_mtime_nsec(e) };

	if (pax_times(tr))
		ucp_paxtime_in(&t);
	return t.tv_sec;
}

/*
 * --list: past the member's data. An archive libarchive decompresses is
 * read through (a skip decompresses it all the same): damage found there
 * is then said as the decompressor says it ("Truncated input" otherwise).
 * One read as it is, or whose gzip is inflated here, is skipped with the
 * next header. False after damage (said).
 */
static bool list_past_data(struct tr *tr)
{
	const void *buf;
	size_t n;
	la_int64_t off;
	int r;

	if (tr->raw ||
	    archive_filter_bytes(tr->a, 0) == archive_filter_bytes(tr->a, -1))
		return true;
	while ((r = archive_read_data_block(tr->a, &buf, &n, &off)) ==
	       ARCHIVE_OK)
		;
	if (r < ARCHIVE_WARN) {
		damaged(tr, tr->a, "in");
		return false;
	}
	return true;
}

/* --list of member path, whose owner or group number no system holds. */
static void bad_ids(struct tr *tr, const char *path, const char *why)
{
	char *msg = NULL, *q = ucp_path_quotable(path);

	if (!q || asprintf(&msg, "member '%s': %s", q, why) < 0)
		msg = NULL;
	free(q);
	emit(tr, UCP_OP_ARCHIVE, msg ? 0 : ENOMEM, tr->archive, msg, false,
	     false);
	free(msg);
}

static bool list_one(struct tr *tr, struct archive_entry *e)
{
	const struct ucp_events *ev = tr->env->ev;
	const char *hl = archive_entry_hardlink(e), *why;
	struct ucp_member m = {
		.path = archive_entry_pathname(e),
		.link = hl ? hl : archive_entry_symlink(e),
		.is_hardlink = hl != NULL,
		.mode = (uint32_t)((archive_entry_mode(e) & ~(mode_t)07777) |
				   member_perm(e)),
		.size = (uint64_t)archive_entry_size(e),
		.mtime = list_mtime(tr, e),
		.uid = (uint64_t)archive_entry_uid(e),
		.gid = (uint64_t)archive_entry_gid(e),
		.uname = archive_entry_uname(e),
		.gname = archive_entry_gname(e),
		.rdev_major = (uint32_t)archive_entry_rdevmajor(e),
		.rdev_minor = (uint32_t)archive_entry_rdevminor(e),
	};

	if (!m.path)
		m.path = "?";
	if (ev->member)
		ev->member(ev->arg, &m);
	/* Listed, and an error, as --untar refuses it (member_meta). */
	why = out_of_range(e);
	if (why)
		bad_ids(tr, m.path, why);
	/* (Counted by type, as --tar and --untar count.) */
	ucp_tar_count_done(tr->env->cnt, archive_entry_filetype(e), hl != NULL);
	return list_past_data(tr);
}

enum ucp_status ucp_tar_members(const struct ucp_tar_env *env,
				const char *archive)
{
	struct tr tr;
	enum ucp_status st;

	if (!ucp_tar_load(env))
		return UCP_FATAL;
	tr_init(&tr, env, archive, ".");
	if (open_input(&tr) == 0)
		(void)each_member(&tr, list_one);
	st = verdict(&tr);
	tr_release(&tr);
	return st;
}
