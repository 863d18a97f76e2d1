/* SPDX-License-Identifier: MIT */
/*
 * tree.h: cp mode, the copy of a source tree into a destination tree.
 *
 * What the workers hand out (sched.c) becomes work here: each entry is
 * dispatched on its type to an engine (a regular file to the ring, copy.c,
 * or to syscalls, plain.c; everything else to plain.c), a subdirectory is
 * queued as a task, and a taken task's destination twin is created and
 * opened. On post-order a directory's mode, owner and times are made
 * final.
 *
 * Sync mode (sync.c) builds on the directory handling here and adds its
 * hooks through struct ucp_mode_ops (must_list, dir_created).
 *
 * Layer: mode. May call the engines (copy, plain), sched, walk, meta,
 * util; never sync or ucp.c.
 */
#ifndef UCP_TREE_H
#define UCP_TREE_H

#include <sys/stat.h>

#include "sched.h"

/* The mode table of cp mode (run->mode). */
extern const struct ucp_mode_ops ucp_tree_mode;

/*
 * cp mode: a directory that may be searched and written but not read (a
 * drop box, 0733) takes names all the same, as cp's: name in dirfd opened
 * O_PATH, and d->dst_path_only set. The descriptor, or -1 with errno
 * EACCES (the error of the first try).
 */
int ucp_tree_open_drop_box(int dirfd, const char *name, struct ucp_dir *d);

/*
 * Open taken task d for scanning: a child's destination twin is created
 * (or found) and opened, then its source. Loads the directory's xattrs
 * with --preserve=xattr. Returns 0, or -1 when d must be dropped (the
 * problem was reported, d->opened is set). (ucp_mode_ops.open_dir)
 */
int ucp_tree_open_dir(struct ucp_worker *w, struct ucp_dir *d);

/*
 * run->may_fold, from directory fd of the copy (the first one asked about,
 * its root mostly): one statfs a run, and for ext4 and f2fs, whose
 * directories fold case only when made so, one ioctl (fold.h). (A
 * casefolded directory below an ext4 root that is not one is looked at
 * in the directories the run makes only, where O_EXCL says it, and by
 * --sync in those of the mirror's it lists: with --delete, or where a
 * directory's time is not the source's.)
 */
bool ucp_tree_may_fold(struct ucp_run *run, int fd);

/*
 * Whether name (of type m), a source name of d that differs in case only
 * from one met before it in d, is that one's twin in d's copy: the copy
 * does not tell case apart (found once a directory, d->folds_case: both
 * spellings of a name reach one entry there, or, with probe, a temporary
 * made there is found in upper case; a dry run makes none) and, unless
 * the two differ in ASCII letters only (ascii), name's spellings are not
 * two entries there (a file system may fold letters beyond ASCII
 * otherwise than the C.UTF-8 locale does: the Kelvin sign is k's twin in
 * the locale, not on exFAT; where neither is there yet, it is taken for a
 * twin). Said as where the run makes the
 * directory, creating it fails ("File exists"), and true then: the later
 * twin is not copied.
 */
bool ucp_tree_twin(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		   mode_t m, bool probe, bool ascii);

/*
 * The folds of the names of the directory w reads (w->folds_of), for twins:
 * remember name's (fold: ucp_fold_hash of it; 0, or -ENOMEM), and whether
 * one met before has name's fold: 0 no, 2 it differs from name in the case
 * of ASCII letters only (ascii of ucp_tree_twin), 1 in letters beyond
 * ASCII too.
 */
int ucp_tree_fold_add(struct ucp_worker *w, const char *name, uint64_t fold);
int ucp_tree_fold_met(const struct ucp_worker *w, const char *name,
		      uint64_t fold);

/*
 * Post-order for d: fsync with --fsync, then the final mode, and with
 * --preserve owner, times and xattrs, through d's own descriptor.
 * (ucp_mode_ops.finalize_dir)
 */
void ucp_tree_finalize_dir(struct ucp_worker *w, struct ucp_dir *d);

/*
 * Handle entry sname of d, with the source already stat'ed (st borrowed):
 * dispatch on its type. dname is the destination leaf (it differs from
 * sname only for operands). (ucp_mode_ops.entry_st)
 */
void ucp_tree_entry_st(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname,
		       const struct stat *st);

/* Queue subdirectory name (stat st) of d as a task. */
void ucp_tree_queue_child(struct ucp_worker *w, struct ucp_dir *d,
			  const char *name, const struct stat *st);

#endif
