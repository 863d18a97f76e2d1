/* SPDX-License-Identifier: MIT */
/*
 * plain.h: entries copied with ordinary syscalls.
 *
 * The thread engine copies every regular file here; the io_uring engine
 * comes here for what the ring cannot do well or at all: symlinks, FIFOs,
 * device nodes, and a destination that already exists (replaced through a
 * temporary sibling and renameat, so that a reader never sees a
 * half-written file).
 *
 * Every function reports its own errors through ucp_report and returns 0
 * or the -errno it reported.
 *
 * Layer: engine (the syscall engine), above sched. May call sched, walk,
 * meta, links, util; never the ring engine (copy), a mode (tree, sync) or
 * ucp.c.
 */
#ifndef UCP_PLAIN_H
#define UCP_PLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "replace.h"
#include "sched.h"

/*
 * What ucp_plain_file and ucp_plain_file_cached return, besides 0 for a
 * copy made and the -errno they reported: the file became a hard link to
 * an earlier copy of its inode (hard links kept, a later name of a group).
 */
#define UCP_PLAIN_LINKED 2
/*
 * Or: the file was handed over to an idle worker (ucp_sched_hand_over),
 * which copies and reports it (through the run's mode: entry_st).
 */
#define UCP_PLAIN_HANDED 3

/*
 * Copy regular file sname of d to dname; st is the source's stat or NULL.
 * 0, UCP_PLAIN_LINKED, UCP_PLAIN_HANDED or the -errno it reported.
 */
int ucp_plain_file(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st);

/*
 * The same for a caller that owns the file's hard-link group already (a
 * ring job copying it again with syscalls): no claim of the group, and
 * no hand-over to another worker.
 */
int ucp_plain_file_owned(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st);

/*
 * The ring engine's shortcut: copy sname with plain syscalls when nothing
 * of it has to come from disk (its name is in the dentry cache, and a small
 * file's data reads without waiting). Returns 1 when that is not so and
 * nothing was done (the caller copies it through the ring), else 0,
 * UCP_PLAIN_LINKED, UCP_PLAIN_HANDED or the -errno it reported. With 1, *sfd is
 * -1, or a descriptor of the regular file sname (blocking reads) whose data
 * must come from disk, with *st its stat: the caller's to copy from and close.
 */
int ucp_plain_file_cached(struct ucp_worker *w, struct ucp_dir *d,
			  const char *sname, const char *dname, int *sfd,
			  struct stat *st);

/*
 * Write-behind: a big file whose data is not in memory (sfd, stat st) has
 * what was written of its copy handed to write-back every UCP_BEHIND_STEP
 * bytes (sync_file_range, not waited for), so that reading and writing
 * overlap. Whether file sfd wants it (see plain.c for the measurements).
 */
#define UCP_BEHIND_STEP ((off_t)32 << 20)
bool ucp_plain_behind_wanted(struct ucp_worker *w, int sfd,
			     const struct stat *st);
/*
 * Written up to done: hand [*behind, done) to write-back once it is a step
 * or more, and move *behind there (-1: no write-behind for this file).
 */
void ucp_plain_write_behind(int dfd, off_t *behind, off_t done);

/* Replace an existing dname by a copy of regular file sname (stat st). */
int ucp_plain_replace(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st);

/*
 * Copy regular file sname to a temporary sibling and rename it over dname
 * (dst: the stat of what is there, or NULL when nothing is).
 */
int ucp_plain_copy_tmp(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname,
		       const struct stat *st, const struct stat *dst);

/*
 * Rewrite the existing regular file dname with the data of sname (stat
 * st), keeping its inode: --inplace, and cp mode over a file with other
 * hard links.
 */
int ucp_plain_inplace(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st);

/*
 * --reflink: try to share sfd's data with dfd (FICLONE). Returns 0 when
 * cloned, 1 when the caller should copy instead, or -errno (reported
 * against dname) when --reflink=always cannot be honoured.
 */
int ucp_plain_clone(struct ucp_worker *w, struct ucp_dir *d, const char *dname,
		    int sfd, int dfd, const struct stat *st);

/* -l: make dname a hard link to sname instead of a copy. */
int ucp_plain_hardlink(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname);

/* -s: make dname a symbolic link to the source's path. */
int ucp_plain_symlink_to(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st);

/*
 * --attributes-only: give dname (created empty if missing, never
 * truncated) the attributes --preserve asks for.
 */
int ucp_plain_attrs_only(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st);

/* Recreate symlink sname as dname. */
int ucp_plain_symlink(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st);

/* Recreate a FIFO or device node; sockets are skipped with a warning. */
int ucp_plain_special(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st);

/*
 * ucp_plain_symlink or ucp_plain_special, by st's type, for a caller that
 * claimed the name's hard-link group itself (ucp_plain_link_claim, and
 * ucp_plain_link_finish after): the node only.
 */
int ucp_plain_other_claimed(struct ucp_worker *w, struct ucp_dir *d,
			    const char *sname, const char *dname,
			    const struct stat *st);

/* Write the next temporary name of this run (replace.h) into name. */
void ucp_plain_tmpname(struct ucp_run *run, char name[UCP_TMP_NAME_MAX]);

/*
 * Apply the preserved attributes (cfg.preserve) of st, and the xattrs of
 * source sname, to dname in d's destination; reports and returns -errno on
 * failure, 0 otherwise.
 */
int ucp_plain_meta(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st);
/* The same, messages naming shown (the name temporary dname will take). */
int ucp_plain_meta_as(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname, const char *shown,
		      const struct stat *st);
/*
 * The same for a file the run made with ucp_plain_create_mode's mode (the
 * ring's, by name once it closed it): one made its owner's alone gets its
 * mode after its owner.
 */
int ucp_plain_meta_made(struct ucp_worker *w, struct ucp_dir *d,
			const char *sname, const char *dname, const char *shown,
			const struct stat *st);
/*
 * The same through the open source sfd and copy dfd (of a file made with
 * ucp_plain_create_mode's mode): never by a name that someone who may
 * write the directory could have pointed elsewhere.
 */
int ucp_plain_meta_fds(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname, const char *shown,
		       const struct stat *st, int sfd, int dfd);

/*
 * --preserve=links: claim st's inode for dname. Returns true when the name
 * is dealt with (linked to an earlier copy, or queued to be linked when
 * that copy completes); false when the caller copies it, and then, if
 * *owner is set, must call ucp_plain_link_finish once the copy succeeded
 * or failed. The mode is told of the link once it is made (its linked
 * hook, with ch), not before. counted: the caller counted the name's
 * bytes as found (a name that waited for a copy that failed, handled
 * anew, counts them again). In sync mode, a regular file's name new to a
 * mirror that was there before the run (ch UCP_CH_NEW) is dealt with too
 * when its group has come to no name yet: it waits for a name of the
 * file that the mirror has, whose copy in place becomes the group's,
 * rather than copy the data again (a renamed name met before its group's
 * others: ucp_links_seek).
 */
bool ucp_plain_link_claim(struct ucp_worker *w, struct ucp_dir *d,
			  const char *dname, const struct stat *st, unsigned ch,
			  bool counted, bool *owner);
/*
 * The walk is over: the names that still wait for a name in place are
 * handled anew (the first of each group copies the data). True if any.
 */
bool ucp_plain_links_unseek(struct ucp_worker *w);
/*
 * --dry-run: the claim without the link, for dname of source stat st
 * (in_place: a name in the mirror that stays, as ucp_plain_link_existing
 * takes it). 1 when dname would be made a link to an earlier name of its
 * group (w->link_to names it with --itemize-changes); 2 when it is such a
 * link already (nothing to do); 0 when it would be copied or settled; 3
 * when it waits, as ucp_plain_link_claim's new name (ch: what it is told
 * changed), and is listed as linked when a name in place comes.
 */
int ucp_plain_link_dry(struct ucp_worker *w, struct ucp_dir *d,
		       const char *dname, const struct stat *st, bool in_place,
		       unsigned ch);
void ucp_plain_link_finish(struct ucp_worker *w, const struct stat *st,
			   bool ok);

/*
 * --preserve=links, for dname whose copy is already in place and
 * unchanged (source stat st): the first name of its group makes that copy
 * the group's, and a later one becomes a hard link to it if it is not
 * one already (rsync -H's incremental run). True for such a later name
 * (its attributes are the group copy's, which the first name settles);
 * false for the first, and without --preserve=links.
 */
bool ucp_plain_link_existing(struct ucp_worker *w, struct ucp_dir *d,
			     const char *dname, const struct stat *st);

#ifdef UCP_TEST_HOOKS
/*
 * Test hook of debug builds: the first name of the run's first hard-link
 * group waits (10 s at most) until another name waits for its copy, so
 * that a test sees a name queued behind a copy in flight.
 */
extern atomic_bool ucp_test_link_first_waits;
/*
 * Test hook of debug builds: the copy of the run's first file that is
 * looked at again after its copy (of CHECK_AFTER bytes or more) stops the
 * process (SIGSTOP) once, before it reads any of its data; so does --sync
 * --checksum before it hashes the first file of 1 MiB or more, and once
 * resumed waits (10 s at most) for a signal's request to stop.
 */
extern atomic_bool ucp_test_plain_stop_before_data;
/*
 * Test hook of debug builds: the first source file opened after its stat
 * was taken (by the ring's statx or a syscall; or the first the ring's
 * chain opens by name) stops the process (SIGSTOP) just before, once, so
 * that a test can put another file under the name.
 */
extern atomic_bool ucp_test_stop_before_open;
#endif

/*
 * Open source sname of d for the ring's reads: the file the caller's stat
 * want describes, and none other (else skipped, as cp: "replaced while
 * being copied"), its own stat into *got: the attributes that go on (a
 * file made anew under a freed inode number passes the check, and is
 * another's). Returns the descriptor, or -errno, reported.
 */
int ucp_plain_open_src(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const struct stat *want,
		       struct stat *got);

/* Whether a file has holes worth keeping (st_blocks below st_size). */
bool ucp_plain_is_sparse(const struct ucp_run *run, const struct stat *st);

/*
 * Whether copy_file_range may be used by this worker: not known to fail
 * here, and not ruled out by --reflink=never (some file systems clone
 * inside it) or --sparse=always (it would fill zero blocks).
 */
bool ucp_plain_cfr_usable(const struct ucp_worker *w);

/*
 * Whether a regular file must be copied here rather than through the ring
 * (holes to keep, a clone to make, zeros to turn into holes).
 */
bool ucp_plain_wants_syscalls(const struct ucp_run *run, const struct stat *st);

/* Bytes of a worker's w->buf: run->chunk, or more for --no-cache. */
size_t ucp_plain_buf_size(const struct ucp_run *run);

/*
 * Create directory name in dirfd for the source directory d (whose mode is
 * d->src_mode), owner-writable until its post-order fix-up, which this
 * arranges in d->fix_mode and d->final_mode. Returns 0 or -errno (not
 * reported: -EEXIST means "merge into it").
 */
int ucp_plain_mkdir(const struct ucp_run *run, int dirfd, const char *name,
		    struct ucp_dir *d);

/*
 * What the entries made in d's copy inherit, which -p replaces with the
 * source's: an ACL (the copy has a default ACL), and their group and, a
 * directory, the set-group-ID bit (the copy is set-group-ID: d->dst_gid).
 * Looked up once a directory, when first asked: a directory this run made
 * inherits as its parent's copy does. UCP_DST_KNOWN and UCP_DST_* bits;
 * UCP_DST_LOOSE_MODES: the copy's file system is not one known to give a
 * file the mode it is created with (FAT, exFAT, NTFS, SMB, FUSE, ... keep
 * a mode of their own): -p sets each mode, as cp does, and so learns
 * where one could not be kept.
 */
#define UCP_DST_KNOWN 1u
#define UCP_DST_DEFAULT_ACL 2u
#define UCP_DST_SETGID 4u
#define UCP_DST_LOOSE_MODES 32u
/* (Looked up apart, by ucp_plain_dst_append_only.) */
#define UCP_DST_FLAGS_KNOWN 8u
#define UCP_DST_APPEND_ONLY 16u
unsigned ucp_plain_dst_facts(struct ucp_dir *d);

/*
 * Whether d's copy is append-only (chattr +a): names are made in it, but
 * none is renamed over or removed. Looked up once a directory.
 */
bool ucp_plain_dst_append_only(struct ucp_dir *d);

/*
 * --no-preserve=mode in a directory d with a default ACL: the kernel gave
 * the new entry dname (stat st, open as dfd, or -1) the ACL's permissions,
 * the umask left out; cp gives it the default mode (0666, a directory
 * 0777) less the umask, no access ACL. Messages name shown (NULL: d). 0,
 * or -1 when reported.
 */
int ucp_plain_default_mode_over_acl(struct ucp_worker *w, struct ucp_dir *d,
				    const char *dname, const char *shown,
				    const struct stat *st, int dfd);

/*
 * mkdirat of name in dirfd with mode and owner rwx whatever the umask
 * takes (set again when the umask took them), so that it can be filled;
 * its mode is the caller's to set after. 0 or -errno.
 */
int ucp_plain_mkdir_rwx(const struct ucp_run *run, int dirfd, const char *name,
			mode_t mode);

/*
 * The mode a new file or directory gets without --preserve: the source's
 * permission bits without setuid/setgid, as cp does, less the umask.
 */
mode_t ucp_plain_new_mode(const struct ucp_run *run, mode_t src_mode);
/*
 * The mode to create a new file with (O_CREAT; the kernel removes the
 * umask): the source's permission bits, or 0666 with --no-preserve=mode.
 */
/*
 * Whether files of a file system of type f_type (statfs) show sizes that
 * say nothing of what they read (procfs, sysfs and the like): those are
 * read to their end (struct ucp_dir's sizes_lie).
 */
bool ucp_plain_sizes_lie(unsigned long f_type);

/*
 * Whether open file fd is on a file system that shows no holes (lseek
 * answers "all data": FUSE, NFS before 4.2, SMB), where a file with fewer
 * blocks than its size holds them unseen; elsewhere (btrfs, erofs, ZFS)
 * such a file with one extent is compressed, not sparse. One fstatfs.
 */
bool ucp_plain_shows_no_holes(int fd);
/*
 * The mode a new copy of a file of mode src_mode is made with in d (its
 * owner's bits only where its mode comes after its owner and ACL).
 */
mode_t ucp_plain_create_mode(const struct ucp_run *run, struct ucp_dir *d,
			     mode_t src_mode);

#endif
