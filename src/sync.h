/* SPDX-License-Identifier: MIT */
/*
 * sync.h: sync mode (--sync), the mirror of one source directory.
 *
 * Each entry is compared with its destination twin by the worker that
 * scans its directory (two fstatat, in parallel across workers): an
 * unchanged file (same type, size and mtime, or contents with --checksum)
 * only has differing attributes fixed, and nothing is written when
 * nothing differs, so a re-run over an identical copy changes no inode,
 * no time and no ctime. A new or changed file is written to a temporary
 * sibling and renamed into place (--inplace opts out), so an interrupted
 * run leaves complete files under final names plus temporaries, which the
 * next run removes.
 *
 * Once a directory's entries are handed out, its destination is listed:
 * names the source lacks are remembered for --delete (memory grows with
 * the number of deletions, and with the size of the largest directory for
 * the set of its source names), and deleted after the copy only if no
 * error happened.
 *
 * The workers reach this module through ucp_sync_mode (the run's mode,
 * struct ucp_mode_ops in sched.h), which builds on cp mode's directory
 * handling (tree.c) and adds the hooks below.
 *
 * Layer: mode. May call tree (cp mode), the engines (copy, plain), sched,
 * walk, meta, filter, hash, u64set, util; never ucp.c.
 */
#ifndef UCP_SYNC_H
#define UCP_SYNC_H

#include <stdatomic.h>
#include <stdbool.h>

#include "sched.h"

struct ucp_sync;

/* The mode table of sync mode (run->mode; run->sync must be set). */
extern const struct ucp_mode_ops ucp_sync_mode;

/*
 * Descriptors a worker holds for each --link-dest (or --reflink-dest)
 * directory: the open levels of its chain below the reference, and the
 * twin of the directory it lists.
 */
#define UCP_SYNC_REF_LEVELS 8u
#define UCP_SYNC_REF_FDS (UCP_SYNC_REF_LEVELS + 1u)

/* Run-level state; NULL when sync mode is off. */
int ucp_sync_new(struct ucp_sync **out, unsigned nworkers);
void ucp_sync_free(struct ucp_sync *s);

/*
 * --delete: the source's root directory, open as src_fd, and those above
 * it, which the mirror may hold through a bind mount: none of them is
 * ever deleted (doom). One open and fstat a level, once a run.
 */
void ucp_sync_note_source(struct ucp_sync *s, int src_fd);

/*
 * Hand out the next entry of the directory d being scanned (its reader is
 * w->ents) to the comparison; false at the end of the directory. With a
 * ring, an existing directory's entries are read and stat'ed in batches.
 */
bool ucp_sync_next(struct ucp_worker *w, struct ucp_dir *d);

/* Handle one entry of directory d (type from the directory, or unknown). */
void ucp_sync_entry(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		    unsigned char type);

/*
 * Whether existing copy d (stat dst, before this run touched it) must be
 * listed after its scan (see scan_dst in walk.h).
 */
bool ucp_sync_must_list(const struct ucp_run *run, const struct ucp_dir *d,
			const struct stat *dst);

/*
 * A worker starts scanning d: forget the names of the previous directory,
 * read d's rule files. -1 (reported) when they cannot be used: d is not
 * scanned.
 */
int ucp_sync_dir_start(struct ucp_worker *w, struct ucp_dir *d);

/*
 * d's entries have all been handed out: list its destination, remove stray
 * temporaries of earlier runs, remember what --delete will remove.
 */
void ucp_sync_dir_scanned(struct ucp_worker *w, struct ucp_dir *d);

/*
 * Post-order for an existing destination directory: set only the
 * attributes that differ from the source's (and fsync it with --fsync
 * when an entry changed).
 */
void ucp_sync_finalize_dir(struct ucp_worker *w, struct ucp_dir *d);

/* A file the ring copied through a temporary is in place (ch: CH_* bits). */
void ucp_sync_copied(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		     mode_t mode, unsigned ch);

/* The same for a name that became a hard link to another copy. */
void ucp_sync_linked(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		     mode_t mode, unsigned ch);

/* Report a new directory (itemize), for tree.c and ucp.c. */
void ucp_sync_dir_created(struct ucp_worker *w, struct ucp_dir *d);

/*
 * After the run: carry out the deletions under the destination root dst
 * (unless errors happened and --ignore-errors is off), then give the
 * directories they were in the times of their twins under src again.
 * Returns UCP_RUN_* bits for what went wrong.
 */
int ucp_sync_delete(struct ucp_run *run, const char *src, const char *dst);

#ifdef UCP_TEST_HOOKS
/*
 * Test hook of debug builds: the deletion pass stops the process
 * (SIGSTOP) once, before its entry number n (0: before it opens the
 * mirror's root); -1: never.
 */
extern atomic_long ucp_test_delete_stop_at;
#endif

#endif
