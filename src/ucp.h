/* SPDX-License-Identifier: MIT */
/*
 * ucp.h: the engine's public interface, and the only header cmd/ includes.
 *
 * Lifecycle:
 *   1. fill a struct ucp_config (zero it first: zero means "default")
 *   2. ucp_ctx_new(&ctx, &cfg, &events)
 *   3. status = ucp_run(ctx, &operands)
 *   4. ucp_ctx_free(ctx)
 *
 * The engine never prints, never exits and never reads the environment or
 * argv. It reports through the callbacks in struct ucp_events, which may be
 * called from several worker threads at once (the caller serialises its
 * output), and returns a run-level verdict.
 */
#ifndef UCP_H
#define UCP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UCP_VERSION "0.1.0"

enum ucp_engine {
	UCP_ENGINE_AUTO = 0,
	UCP_ENGINE_URING,
	UCP_ENGINE_THREADS,
};

enum ucp_status {
	UCP_OK = 0,	 /* everything requested was copied */
	UCP_PARTIAL,	 /* some entries failed, the rest were copied */
	UCP_VANISHED,	 /* only problem: source files vanished */
	UCP_FATAL,	 /* the run stopped early */
	UCP_INTERRUPTED, /* a cancel request stopped the run */
	UCP_USAGE,	/* the operands make no sense (cp's "target ... is not a
			   directory") */
	UCP_MAX_DELETE, /* --max-delete stopped deletions (else like OK or
			   PARTIAL) */
};

/*
 * What an error record is about. Most are "cannot <op> 'path'"; the ones
 * after UCP_OP_CLOSE carry their own wording (see cmd/report.c).
 */
enum ucp_op {
	UCP_OP_STAT,
	UCP_OP_OPEN,
	UCP_OP_OPENDIR,
	UCP_OP_READDIR,
	UCP_OP_READ,
	UCP_OP_CREATE,
	UCP_OP_WRITE,
	UCP_OP_MKDIR,
	UCP_OP_READLINK,
	UCP_OP_SYMLINK,
	UCP_OP_MKNOD,
	UCP_OP_RENAME,
	UCP_OP_CHMOD,
	UCP_OP_CLOSE,
	UCP_OP_CHOWN,
	UCP_OP_UTIMES,
	UCP_OP_LINK,
	UCP_OP_XATTR,
	UCP_OP_CLONE,
	UCP_OP_SAME_FILE,	 /* path and path2 are the same file */
	UCP_OP_INTO_SELF,	 /* directory path copied into itself, path2 */
	UCP_OP_OMIT_DIR,	 /* directory without -r */
	UCP_OP_DIR_OVER_NONDIR,	 /* cannot overwrite non-directory path2 with
				    directory path */
	UCP_OP_NONDIR_OVER_DIR,	 /* cannot overwrite directory path2 with
				    non-directory path */
	UCP_OP_CHANGED,		 /* warning: file changed as we read it */
	UCP_OP_SKIP_SOCKET,	 /* warning: sockets are not copied */
	UCP_OP_NOT_DIR_TARGET,	 /* target path is not a directory */
	UCP_OP_PARENTS_TARGET,	 /* --parents: target path is not a directory */
	UCP_OP_DELETE,		 /* --delete could not remove path */
	UCP_OP_DELETE_SKIPPED,	 /* notice: errors, so nothing was deleted */
	UCP_OP_SYNC_SOURCE,	 /* --sync: source path is not a directory */
	UCP_OP_ENGINE_FALLBACK,	 /* notice: io_uring unusable, path = reason */
	UCP_OP_NOT_OVERWRITTEN,	 /* -i: path kept (answer no, or no terminal:
				    err ENOTTY) */
	UCP_OP_BACKUP,		 /* cannot back up path to path2 */
	UCP_OP_RELATIVE_SYMLINK, /* -s: relative source path, destination
				    outside the current directory */
	UCP_OP_EXTRACT,		 /* cannot extract member path */
	UCP_OP_UNSAFE_MEMBER,	 /* member path refused; msg says why */
	UCP_OP_STRIP_SLASH,	 /* warning: leading '/' removed from path */
	UCP_OP_ARCHIVE,		 /* the archive path is damaged or unusable */
	UCP_OP_DANGLING_DST,	 /* not writing through dangling symlink path */
	UCP_OP_MAX_DELETE,	 /* notice: --max-delete stopped the deletions;
				    msg says how many were skipped */
	UCP_OP_REF_MISSING,	 /* warning: the reference directory path of
				    option msg (--link-dest) does not exist */
	UCP_OP_NR,
};

/* One problem, as the engine sees it. Strings are borrowed for the call. */
struct ucp_error {
	enum ucp_op op;
	int err;	   /* positive errno, or 0 */
	const char *path;  /* the entry, as the user would name it */
	const char *path2; /* second path for two-path messages, or NULL */
	const char *msg;   /* a library's words, shown instead of err */
	bool fatal;	   /* the run stops after this */
	bool warning;	   /* informational: does not change the exit status */
};

/* An archive member as listed by ucp_tar_list; strings are borrowed. */
struct ucp_member {
	const char *path;
	const char *link; /* symlink or hard-link target, or NULL */
	bool is_hardlink;
	uint32_t mode; /* st_mode: type and permission bits */
	uint64_t size;
	int64_t mtime; /* seconds since the epoch */
	uint64_t uid, gid;
	const char *uname, *gname; /* NULL when the archive has none */
	uint32_t rdev_major, rdev_minor;
};

/* Callbacks; any may be NULL. They may run on any thread, concurrently. */
struct ucp_events {
	void (*error)(void *arg, const struct ucp_error *e);
	/*
	 * A copy finished (only with cfg.verbose or cfg.debug). how says the
	 * way the data moved ("reflink", "io_uring", ...) with cfg.debug, and
	 * is NULL otherwise; backup names the backup -b made of the file dst
	 * replaced, or is NULL.
	 */
	void (*copied)(void *arg, const char *src, const char *dst,
		       const char *how, const char *backup);
	/*
	 * -i: may the existing destination dst be replaced? Called from
	 * worker threads (the caller serialises the questions). Returns 1
	 * for yes, 0 for no, or -errno when nobody can answer (-ENOTTY: no
	 * terminal), which keeps the file and counts as an error. NULL
	 * answers no.
	 */
	int (*ask_overwrite)(void *arg, const char *dst);
	/*
	 * --itemize-changes: one change of sync mode. code is rsync's
	 * eleven-character summary ("cd+++++++++", ">f.st......",
	 * "*deleting  "), path is relative to the destination root, with a
	 * trailing slash for directories.
	 */
	void (*itemize)(void *arg, const char *code, const char *path);
	/* Called about every cfg.tick_ms from the thread that called ucp_run.
	 */
	void (*tick)(void *arg);
	/* One archive member, for ucp_tar_list. */
	void (*member)(void *arg, const struct ucp_member *m);
	void *arg;
};

/* When an existing destination file is replaced (-n, -u). */
enum ucp_update {
	UCP_UPDATE_ALL = 0, /* always (the default) */
	UCP_UPDATE_NONE,    /* never: -n, --update=none */
	UCP_UPDATE_OLDER,   /* when older than the source: -u */
};

/* Whether data is shared with the source through FICLONE (--reflink). */
enum ucp_reflink {
	UCP_REFLINK_AUTO = 0, /* where the file systems can, silently */
	UCP_REFLINK_ALWAYS,   /* every regular file, or an error */
	UCP_REFLINK_NEVER,
};

/* Whether a replaced destination is kept as a backup (-b, --backup). */
enum ucp_backup {
	UCP_BACKUP_NONE = 0, /* no backups */
	UCP_BACKUP_SIMPLE,   /* DST + suffix */
	UCP_BACKUP_NUMBERED, /* DST.~N~ */
	UCP_BACKUP_EXISTING, /* numbered if DST has numbered ones, else simple
			      */
};

/* How holes are kept (--sparse). */
enum ucp_sparse {
	UCP_SPARSE_AUTO = 0, /* keep the source's holes */
	UCP_SPARSE_ALWAYS,   /* also turn zero blocks into holes */
	UCP_SPARSE_NEVER,    /* write every byte */
};

/*
 * Include/exclude rules (--include, --exclude, ...): built by the caller,
 * matched by the engine. The pattern rules are in src/filter.h and ucp(1).
 */
enum ucp_filter_type {
	UCP_FILTER_NONE = 0, /* no rule matched: the caller includes */
	UCP_FILTER_INCLUDE,
	UCP_FILTER_EXCLUDE,
};

struct ucp_filter;

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

/*
 * The paths --files-from lists (relative to the source; each with its
 * parent directories), as hashes: memory grows with the list.
 */
struct ucp_pathset;

int ucp_pathset_new(struct ucp_pathset **out);
void ucp_pathset_free(struct ucp_pathset *s);
/*
 * Add the paths read from fd (one a line, or NUL-separated with from0;
 * see src/fileslist.h). Returns 0 or -errno; for a bad entry (a ".."
 * component, too long) -EINVAL or -ENAMETOOLONG with *line its number.
 */
int ucp_pathset_add_fd(struct ucp_pathset *s, int fd, bool from0, size_t *line);
/* Whether rel (len bytes) was listed, or is a parent of a listed path. */
bool ucp_pathset_has(const struct ucp_pathset *s, const char *rel, size_t len);

/* Sync mode (--sync): the destination becomes a mirror of the source. */
struct ucp_sync_config {
	bool on;
	bool delete_extraneous; /* --delete: after the copy, without errors */
	bool delete_excluded;	/* --delete-excluded */
	bool ignore_errors;	/* --ignore-errors: delete even after errors */
	long long max_delete;	/* --max-delete: -1 = no limit */
	bool checksum;		/* --checksum: compare contents */
	bool size_only;		/* --size-only */
	bool ignore_existing;	/* --ignore-existing */
	bool existing_only;	/* --existing: create nothing new */
	long modify_window;	/* --modify-window, seconds */
	bool dry_run;		/* --dry-run: change nothing, report all */
	bool inplace;		/* --inplace: rewrite changed files in place */
	bool fsync;		/* --fsync: files before rename, dirs after */
	const char *link_dest;	/* --link-dest=DIR, or NULL */
	const char *reflink_dest;	      /* --reflink-dest=DIR, or NULL */
	const struct ucp_filter *filter;      /* borrowed; NULL: everything */
	const struct ucp_pathset *files_from; /* borrowed; NULL: all */
};

/* Archive format of ucp_tar_create (--format). */
enum ucp_tar_format {
	UCP_TAR_AUTO = 0, /* pax, or zip/cpio from the archive's suffix */
	UCP_TAR_PAX,
	UCP_TAR_USTAR,
	UCP_TAR_GNUTAR,
	UCP_TAR_CPIO,
	UCP_TAR_ZIP,
};

/* Compression of ucp_tar_create (--compress). */
enum ucp_tar_compress {
	UCP_COMPRESS_AUTO = 0, /* from the archive's suffix */
	UCP_COMPRESS_NONE,
	UCP_COMPRESS_GZIP,
	UCP_COMPRESS_BZIP2,
	UCP_COMPRESS_XZ,
	UCP_COMPRESS_ZSTD,
	UCP_COMPRESS_LZ4,
};

struct ucp_config {
	bool recursive;
	bool no_dereference;	 /* -P: copy symlink operands as symlinks */
	bool dereference;	 /* -L: follow every symlink in the sources */
	bool deref_args;	 /* -H: follow symlink operands only */
	bool one_file_system;	 /* -x: do not descend into other mounts */
	bool hard_link;		 /* -l: hard-link files instead of copying */
	bool symbolic_link;	 /* -s: symlink to files instead of copying */
	bool parents;		 /* --parents: DIR/SRC with SRC's directories */
	bool attributes_only;	 /* --attributes-only: no file data */
	bool remove_destination; /* replacements do not inherit the mode */
	bool interactive;	 /* -i: ask events.ask_overwrite first */
	bool debug;		 /* --debug: say how each file was copied */
	enum ucp_backup backup;
	const char *backup_suffix; /* NULL = "~" */
	enum ucp_update update;
	enum ucp_reflink reflink;
	enum ucp_sparse sparse;
	bool verbose;
	bool no_target_dir;	/* -T: DST is never a directory to copy into */
	const char *target_dir; /* -t DIR: all operands are sources */
	unsigned jobs;		/* worker threads; 0 = online CPUs */
	enum ucp_engine engine;
	size_t buffer_size; /* global in-flight buffer budget; 0 = default */
	unsigned tick_ms;   /* 0 = 100 */
	unsigned preserve;  /* UCP_PRESERVE_* bits: mode, ownership, times */
	bool xattr_strict;  /* xattr named explicitly: report its failures */
	bool itemize;	    /* call events.itemize for each change */
	bool scan; /* count the sources ahead of the copy (progress totals) */
	bool default_mode; /* --no-preserve=mode: new entries get 0666 or
			      0777 less the umask, not the source's bits */
	struct ucp_sync_config sync;
	enum ucp_tar_format tar_format;
	enum ucp_tar_compress tar_compress;
	unsigned tar_level; /* --level=N as N + 1; 0 = the compressor's own */
};

/* The operands after option parsing, as typed by the user. */
struct ucp_operands {
	char *const *argv; /* borrowed */
	size_t argc;
};

/* A consistent-enough view of the counters, for progress rendering. */
struct ucp_snapshot {
	uint64_t files_done, bytes_done;
	uint64_t files_found, bytes_found;
	uint64_t dirs_done, errors;
	/* Parts of files_done: symbolic links and hard links created. */
	uint64_t symlinks_done, links_done;
	uint64_t skipped;	/* left alone: kept by -n or -u, sockets */
	uint64_t files_skipped; /* --sync: unchanged */
	uint64_t deleted;	/* --sync --delete */
	bool scanning; /* the walk has not finished: totals still grow */
	bool uring;    /* the io_uring engine is in use */
	unsigned jobs; /* worker threads */
};

/* Bits of struct ucp_config.preserve. */
#define UCP_PRESERVE_MODE 0x1u
#define UCP_PRESERVE_OWNERSHIP 0x2u
#define UCP_PRESERVE_TIMESTAMPS 0x4u
#define UCP_PRESERVE_LINKS 0x8u
#define UCP_PRESERVE_XATTR 0x10u
#define UCP_PRESERVE_CONTEXT 0x20u /* the security.selinux xattr */
#define UCP_PRESERVE_ALL 0x3fu

struct ucp_ctx;

/*
 * Create a run context. cfg and events are copied. Returns 0, -ENOMEM, or
 * -EINVAL for a configuration that cannot work.
 */
int ucp_ctx_new(struct ucp_ctx **out, const struct ucp_config *cfg,
		const struct ucp_events *events);
/* Free a context; NULL is a no-op. Not while ucp_run is running. */
void ucp_ctx_free(struct ucp_ctx *ctx);

/* Copy as cp would: the operand rules are in man/ucp.1. */
enum ucp_status ucp_run(struct ucp_ctx *ctx, const struct ucp_operands *ops);

/*
 * Archives (libarchive). Each returns like ucp_run and may be called
 * instead of it, once per context.
 *
 * ucp_tar_create: the operands are SRC... ARCHIVE; ARCHIVE "-" is stdout.
 * Directories are archived recursively in walk order while worker threads
 * read the next files ahead (cfg.jobs threads, cfg.buffer_size bytes of
 * prefetched data at most). A regular ARCHIVE is written under a temporary
 * name and renamed into place at the end.
 *
 * ucp_tar_extract: the operands are ARCHIVE DIR; ARCHIVE "-" is stdin.
 * DIR is created when missing. Members that would land outside DIR are
 * refused one by one. The working directory is DIR during the call and
 * restored before it returns.
 *
 * ucp_tar_list: the operand is ARCHIVE; each member goes to events.member.
 */
enum ucp_status ucp_tar_create(struct ucp_ctx *ctx,
			       const struct ucp_operands *ops);
enum ucp_status ucp_tar_extract(struct ucp_ctx *ctx,
				const struct ucp_operands *ops);
enum ucp_status ucp_tar_list(struct ucp_ctx *ctx,
			     const struct ucp_operands *ops);

/*
 * Ask a running ucp_run to stop: no new work is admitted, in-flight work is
 * drained and partial files are removed. Async-signal-safe.
 */
void ucp_request_cancel(struct ucp_ctx *ctx);

#ifdef UCP_TEST_HOOKS
/*
 * Debug builds only: stop the process with SIGSTOP when the files-th file
 * of the next run is done (0: never), so that tests can act at a known
 * point of a copy.
 */
void ucp_test_stop_after(uint64_t files);
/* Debug builds only: the counting walk ends before the copy starts. */
void ucp_test_scan_first(bool on);
#endif

/* Fill *snap; safe from any thread while ucp_run runs. */
void ucp_snapshot(struct ucp_ctx *ctx, struct ucp_snapshot *snap);

/*
 * Whether io_uring with the features ucp needs works here. Sets up and
 * tears down a small ring; never call it when the user disabled io_uring.
 * Returns 0 when usable, else -errno, and a short reason in *why.
 */
int ucp_uring_usable(const char **why);

/* "liburing X.Y" or "liburing" when the library cannot say. */
const char *ucp_uring_version(void);

/* "libarchive X.Y.Z" and the compression libraries it was built with. */
const char *ucp_archive_version(void);

#endif
