/* SPDX-License-Identifier: MIT */
/*
 * types.h: the types the layers share: the configuration of a run, the
 * events it reports through, error records, the ops they name, status
 * codes and counters' snapshot. A leaf: no functions, no project header.
 * ucp.h (the public interface) includes it for cmd/; engine modules
 * include it, not ucp.h, so that nothing below the facade depends on it.
 */
#ifndef UCP_TYPES_H
#define UCP_TYPES_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

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
	UCP_OP_FSYNC, /* --fsync */
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
	UCP_OP_BACKUP_SOURCE,	 /* backing up path2 would take source path's
				    name */
	UCP_OP_INTO_SELF,	 /* directory path copied into itself, path2 */
	UCP_OP_OMIT_DIR,	 /* directory without -r */
	UCP_OP_DIR_OVER_NONDIR,	 /* cannot overwrite non-directory path2 with
				    directory path */
	UCP_OP_NONDIR_OVER_DIR,	 /* cannot overwrite directory path2 with
				    non-directory path */
	UCP_OP_CHANGED,		 /* warning: file changed as we read it */
	UCP_OP_REPLACED,	 /* source path was another file when opened
				    than when looked at: skipped */
	UCP_OP_SKIP_SOCKET,	 /* warning: sockets are not copied */
	UCP_OP_NOT_DIR_TARGET,	 /* target path is not a directory */
	UCP_OP_PARENTS_TARGET,	 /* --parents: target path is not a directory */
	UCP_OP_DELETE,		 /* --delete could not remove path */
	UCP_OP_DELETE_SKIPPED,	 /* notice: errors, so nothing was deleted */
	UCP_OP_SYNC_SOURCE,	 /* --sync: source path is not a directory */
	UCP_OP_ENGINE_FALLBACK,	 /* notice: io_uring unusable, msg = reason */
	UCP_OP_NOT_OVERWRITTEN,	 /* -i: path kept (answer no, or no terminal:
				    err ENOTTY) */
	UCP_OP_BACKUP,		 /* cannot back up path to path2 */
	UCP_OP_RELATIVE_SYMLINK, /* -s: relative source path, destination
				    outside the current directory */
	UCP_OP_EXTRACT,		 /* cannot extract member path */
	UCP_OP_UNSAFE_MEMBER,	 /* member path refused; msg says why */
	UCP_OP_STRIP_SLASH,	 /* warning: leading '/' (or msg, up to the
				    last '..') removed from path */
	UCP_OP_ARCHIVE,		 /* the archive path is damaged or unusable */
	UCP_OP_DANGLING_DST,	 /* not writing through dangling symlink path */
	UCP_OP_THROUGH_LINK,	 /* --attributes-only: path is a symbolic
				    link, not given a file's attributes */
	UCP_OP_MAX_DELETE,	 /* notice: --max-delete stopped the deletions;
				    msg says how many were skipped */
	UCP_OP_REF_MISSING,	 /* warning: the reference directory path of
				    option msg (--link-dest) does not exist */
	UCP_OP_JOBS_REDUCED,	 /* notice: -j was lowered to fit the limit on
				    open files; msg says to what */
	UCP_OP_LOAD,		 /* cannot load library path; msg says why */
	UCP_OP_SQPOLL,		 /* warning: --sqpoll has no polling thread
				    (err says why) */
	UCP_OP_JUST_CREATED,	 /* will not overwrite just-created path2 with
				    path (two operands, one name) */
	UCP_OP_SAME_TARGET,	 /* directory path not merged into path2,
				    where another operand goes */
	UCP_OP_SOURCE_TWICE,	 /* warning: source path given more than once
				    (msg: "file" or "directory") */
	UCP_OP_ACL,		 /* a POSIX ACL the copy's file system
				    cannot hold (-p, -a) */
	UCP_OP_MIRROR_HOLDS_SOURCE, /* --sync --delete: the mirror path2
				       contains the source path */
	UCP_OP_FD_LIMIT,	    /* the limit on open files is too low for
				       a copy (msg says what it is) */
	UCP_OP_RING,	  /* a worker's io_uring failed mid-run (err): the run
			     stops */
	UCP_OP_RULE_FILE, /* per-directory rule file path unusable: msg says
			     which line and why, else err; path2 is its
			     directory, which is not copied (NULL: the
			     destination's, read for --delete) */
	UCP_OP_PARTIAL_KEPT, /* notice: a first --sync that a full disk
				stopped left its copy so far in path, for
				the next run to go on with */
	UCP_OP_CYCLE,	     /* -L: path is a symbolic link to a directory that
				holds it (or the copy): not copied */
	UCP_OP_START,	     /* the run could not be set up (err): nothing is
				done */
	UCP_OP_SKIP_DEVICE,  /* warning: --sync run by a user: a device node
				is not made (only root may) */
	UCP_OP_NR,
};

/*
 * Whether err (ENOSPC, EDQUOT) from op means the disk is full, which stops
 * the run. Not from an attribute: a file system refuses an xattr value too
 * big for its inode that way (ext4 without ea_inode) and has room for the
 * rest, as cp, rsync and tar go on.
 */
static inline bool ucp_disk_full(enum ucp_op op, int err)
{
	if (err != ENOSPC && err != EDQUOT)
		return false;
	return op != UCP_OP_XATTR && op != UCP_OP_ACL && op != UCP_OP_CHMOD &&
	       op != UCP_OP_CHOWN && op != UCP_OP_UTIMES;
}

/*
 * The marks of a mirror's copy that a run left unfinished, given to its
 * modification time, a second and the modify window (window) before the
 * source's time t: one whose data is to be copied again (a source that
 * kept changing), and, a nanosecond earlier still, one whose data is whole
 * but whose attributes or ACL could not all be written. The planner tells
 * them apart: the next run tries the attributes again and does not copy
 * the data again for them (a file system that can never hold an ACL would
 * have it rewritten on every run). Here, for meta (which gives them) and
 * plan (which reads them) alike.
 */
static inline struct timespec ucp_data_mark(long window, struct timespec t)
{
	t.tv_sec -= window + 1;
	return t;
}

static inline struct timespec ucp_attrs_mark(long window, struct timespec t)
{
	t = ucp_data_mark(window, t);
	if (t.tv_nsec > 0) {
		t.tv_nsec--;
	} else {
		t.tv_sec--;
		t.tv_nsec = 999999999;
	}
	return t;
}

/* One problem, as the engine sees it. Strings are borrowed for the call. */
struct ucp_error {
	enum ucp_op op;
	int err;	   /* positive errno, or 0 */
	const char *path;  /* the entry, as the user would name it; NULL:
			      about none (the run's own resources) */
	const char *path2; /* second path for two-path messages, or NULL */
	const char *msg;   /* a library's words, shown instead of err */
	const char *attr;  /* UCP_OP_XATTR: the attribute, when one is known */
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

/*
 * The paths --files-from lists (relative to the source; each with its
 * parent directories), as hashes: memory grows with the list.
 */
struct ucp_pathset;

/* Sync mode (--sync): the destination becomes a mirror of the source. */
/* As many --link-dest (or --reflink-dest) as rsync takes. */
#define UCP_REF_DIRS_MAX 20

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
	/* --link-dest=DIR or --reflink-dest=DIR (ref_clone), each up to
	 * UCP_REF_DIRS_MAX times: for each file the first DIR holding an
	 * identical one is the reference (nref_dirs 0: none). */
	const char *ref_dirs[UCP_REF_DIRS_MAX];
	unsigned nref_dirs;
	bool ref_clone;
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
	bool copy_contents;	 /* --copy-contents: with -R, FIFOs and
				    devices read as files, as without it */
	bool one_file_system;	 /* -x: do not descend into other mounts */
	bool hard_link;		 /* -l: hard-link files instead of copying */
	bool symbolic_link;	 /* -s: symlink to files instead of copying */
	bool parents;		 /* --parents: DIR/SRC with SRC's directories */
	bool attributes_only;	 /* --attributes-only: no file data */
	bool remove_destination; /* replacements do not inherit the mode */
	bool force; /* -f: a hard-linked file that cannot be opened for its
		       rewrite in place is replaced, as any other */
	bool interactive; /* -i: ask events.ask_overwrite first */
	bool debug;	  /* --debug: say how each file was copied */
	enum ucp_backup backup;
	const char *backup_suffix; /* NULL = "~" */
	enum ucp_update update;
	enum ucp_reflink reflink;
	enum ucp_sparse sparse;
	bool no_cache; /* --no-cache: drop what was copied from the cache */
	bool verbose;
	bool no_target_dir;	/* -T: DST is never a directory to copy into */
	const char *target_dir; /* -t DIR: all operands are sources */
	unsigned jobs;		/* worker threads; 0 = twice the CPUs */
	enum ucp_engine engine;
	bool sqpoll;	    /* --sqpoll: a kernel thread submits (io_uring) */
	size_t buffer_size; /* global in-flight buffer budget; 0 = default */
	unsigned tick_ms;   /* 0 = 100 */
	unsigned preserve;  /* UCP_PRESERVE_* bits: mode, ownership, times */
	bool xattr_strict;  /* xattr named explicitly: report its failures */
	bool itemize;	    /* call events.itemize for each change */
	bool scan; /* count the sources ahead of the copy (progress totals) */
	bool default_mode; /* --no-preserve=mode: new entries get 0666 or
			      0777 less the umask, not the source's bits */
	bool no_owner;	   /* --no-preserve=ownership: --untar as root too
			      makes the members the user's (tar's
			      --no-same-owner) */
	bool no_times;	   /* --no-preserve=timestamps: --untar leaves the
			      members the time of their extraction (tar -m) */
	bool no_xattrs;	   /* --no-preserve=xattr: --untar restores no
			      extended attribute but ACLs (tar --no-xattrs) */
	struct ucp_sync_config sync;
	enum ucp_tar_format tar_format;
	enum ucp_tar_compress tar_compress;
	unsigned tar_level; /* --level=N as N + 1; 0 = the compressor's own */
	/*
	 * The process umask, which only a caller may read with umask(2): it
	 * sets the mask, and a moment's other value would reach files the
	 * engine's threads create. Without has_umask the engine reads it from
	 * /proc/self/status, or takes 022 where /proc is missing.
	 */
	bool has_umask;
	mode_t umask;
};

/* The operands after option parsing, as typed by the user. */
struct ucp_operands {
	char *const *argv; /* borrowed */
	size_t argc;
};

/* A consistent-enough view of the counters, for progress rendering. */
struct ucp_snapshot {
	uint64_t files_done, bytes_done; /* bytes written */
	uint64_t files_found, bytes_found;
	/* Bytes of files settled without a copy (hard links made, files
	 * unchanged or kept; the totals count them): done for the progress,
	 * not written. */
	uint64_t bytes_settled;
	uint64_t dirs_done, errors;
	/* Parts of files_done: symbolic links and hard links created. */
	uint64_t symlinks_done, links_done;
	uint64_t skipped;	/* left alone: kept by -n or -u, sockets */
	uint64_t files_skipped; /* --sync: unchanged */
	uint64_t deleted;	/* --sync --delete */
	bool scanning;	 /* the walk has not finished: totals still grow */
	bool open_total; /* no total ahead at all (an archive being read) */
	bool uring;	 /* the io_uring engine is in use */
	unsigned jobs;	 /* worker threads */
	/* The largest file being copied, if one of UCP_CURRENT_MIN bytes or
	 * more is (progress.h): its path as the user would name it, and its
	 * size; "" and 0 when none. A path of sizeof(current) bytes or more
	 * is "..." and its end (ucp_current_read). */
	char current[4096];
	uint64_t current_size;
};

/* Bits of struct ucp_config.preserve. */
#define UCP_PRESERVE_MODE 0x1u
#define UCP_PRESERVE_OWNERSHIP 0x2u
#define UCP_PRESERVE_TIMESTAMPS 0x4u
#define UCP_PRESERVE_LINKS 0x8u
#define UCP_PRESERVE_XATTR 0x10u
#define UCP_PRESERVE_CONTEXT 0x20u /* the security.selinux xattr */
#define UCP_PRESERVE_ALL 0x3fu

#endif
