/* SPDX-License-Identifier: MIT */
/*
 * tree.c: cp mode (see tree.h): the per-entry dispatch to the engines, and
 * the destination directories: a child task's twin is created (mkdirat)
 * by the worker that takes it, with owner rwx added so its children can be
 * written; its final mode is set on post-order, when the last reference to
 * the node goes (walk.c).
 */
#include "tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"
#include "copy.h"
#include "fault.h"
#include "fold.h"
#include "meta.h"
#include "plain.h"
#include "plan.h"
#include "util.h"

/* ---- directories -------------------------------------------------- */

/* Whether existing twin d (stat st) is listed after its scan (sync mode). */
static bool must_list(const struct ucp_run *run, const struct ucp_dir *d,
		      const struct stat *st)
{
	return run->mode->must_list && run->mode->must_list(run, d, st);
}

/* A new destination directory, for the mode to report (sync mode). */
static void dir_created(struct ucp_worker *w, struct ucp_dir *d)
{
	if (w->run->mode->dir_created)
		w->run->mode->dir_created(w, d);
}

/*
 * --sync, not root: a directory of the mirror that is ours but without
 * owner read or search (a run that failed on such a source left it so)
 * opens once the owner has them for the run; its mode is put back or made
 * the source's after (made_writable, as for the owner write). -1 with
 * errno EACCES where it is not that.
 */
static int open_locked_twin(struct ucp_worker *w, struct ucp_dir *p,
			    struct ucp_dir *d, const struct stat *st)
{
	const struct ucp_run *run = w->run;

	if (!run->sync || run->meta.euid == 0 || run->cfg->sync.dry_run ||
	    st->st_uid != run->meta.euid ||
	    /* (Not through a symbolic link put in the name since.) */
	    ucp_meta_lchmod(p->dst_fd, d->name,
			    (st->st_mode & 07777) | S_IRWXU) < 0) {
		errno = EACCES;
		return -1;
	}
	d->ro_mode = st->st_mode;
	d->made_writable = true;
	atomic_store(&d->writable, 2);
	return ucp_dir_openat(p->dst_fd, d->name,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int ucp_tree_open_drop_box(int dirfd, const char *name, struct ucp_dir *d)
{
	int fd = ucp_dir_openat(dirfd, name,
				O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	d->dst_path_only = fd >= 0;
	if (fd < 0)
		errno = EACCES;
	return fd;
}

/*
 * The descriptor of d's twin in the copy (st: what a look found there, or
 * NULL), or -1 with errno.
 */
static int open_twin(struct ucp_worker *w, struct ucp_dir *p, struct ucp_dir *d,
		     const struct stat *st)
{
	int fd =
		ucp_dir_openat(p->dst_fd, d->name,
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat now;

	/*
	 * (A mirror's of the user's that may be read but not searched, 0600:
	 * its entries could be listed, not looked at; opened as a locked
	 * one, in one run, as rsync enters it. Another's, its owner's bits
	 * are not the user's.)
	 */
	if (fd >= 0 && w->run->sync && w->run->meta.euid != 0 &&
	    !w->run->cfg->sync.dry_run && fstat(fd, &now) == 0 &&
	    now.st_uid == w->run->meta.euid && !(now.st_mode & S_IXUSR)) {
		(void)close(fd); /* read-only */
		fd = -1;
		errno = EACCES;
		st = &now;
	}
	if (fd < 0 && errno == EACCES && st)
		fd = open_locked_twin(w, p, d, st);
	if (fd < 0 && errno == EACCES && !w->run->sync)
		fd = ucp_tree_open_drop_box(p->dst_fd, d->name, d);
	return fd;
}

/*
 * Open d's copy in p's (st: its stat, when looked at): one the run made
 * is the run's only if it still is (ucp_meta_dir_as_made). 0, or -1 reported.
 */
static int open_made(struct ucp_worker *w, struct ucp_dir *p, struct ucp_dir *d,
		     const struct stat *st)
{
	if (d->created)
		ucp_test_point("mkdir");
	d->dst_fd = open_twin(w, p, d, st);
	if (d->dst_fd < 0) {
		ucp_report(w, p, d->name, true, UCP_OP_OPENDIR, errno);
		return -1;
	}
	/* (Another's put in its name: its files are made narrow.) */
	if (d->created)
		d->created = ucp_meta_dir_as_made(d->dst_fd, w->run->meta.euid);
	return 0;
}

/*
 * --sync: mkdir of d met EEXIST. A file in the way of a directory is
 * replaced; one that cannot be removed (another's, in a sticky directory)
 * is said so (-ECANCELED), not as a refusal of cp's. Else mkdir's answer.
 */
static int mkdir_in_the_way(struct ucp_worker *w, struct ucp_dir *p,
			    struct ucp_dir *d)
{
	struct stat st;

	if (fstatat(p->dst_fd, d->name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    S_ISDIR(st.st_mode))
		return -EEXIST;
	if (unlinkat(p->dst_fd, d->name, 0) < 0) {
		ucp_report(w, p, d->name, true, UCP_OP_DELETE, errno);
		return -ECANCELED;
	}
	return ucp_plain_mkdir(w->run, p->dst_fd, d->name, d);
}

/* Create the destination twin of child d; 0, or -1 when it cannot be. */
static int make_dst_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	struct ucp_dir *p = d->parent;
	bool dry = w->run->cfg->sync.dry_run;
	struct stat st = { 0 };
	int ret;

	if (dry) {
		/* --dry-run: a missing directory stays missing (dst_fd -1). */
		if (p->dst_fd >= 0 &&
		    fstatat(p->dst_fd, d->name, &st, AT_SYMLINK_NOFOLLOW) ==
			    0 &&
		    S_ISDIR(st.st_mode)) {
			d->scan_dst = must_list(w->run, d, &st);
			goto seen;
		}
		d->created = true;
		dir_created(w, d);
		return 0;
	}
	/*
	 * A mirror's directories exist mostly: look before trying mkdir
	 * (which locks the parent), and keep what the look found.
	 */
	if (w->run->sync &&
	    fstatat(p->dst_fd, d->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode)) {
		d->scan_dst = must_list(w->run, d, &st);
		goto seen;
	}
	ret = ucp_plain_mkdir(w->run, p->dst_fd, d->name, d);
	if (ret == -EEXIST && w->run->sync)
		ret = mkdir_in_the_way(w, p, d);
	if (ret == -ECANCELED)
		return -1;
	if (ret == 0) {
		d->created = true;
		p->dirty = true;
		/* (Asked while its parent's copy is surely open.) */
		if (w->run->cfg->preserve &
		    (UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP))
			(void)ucp_plain_dst_facts(d);
		ucp_report_copied(w, p, d->name, d->name, "directory created");
		if (w->run->sync)
			dir_created(w, d);
	} else if (ret != -EEXIST || (p->created && !w->run->sync &&
				      !p->pseudo && !w->run->cfg->parents)) {
		/* (In a directory made here: another's name, see plain.c.) */
		ucp_report(w, p, d->name, true, UCP_OP_MKDIR, -ret);
		return -1;
	} else if (fstatat(p->dst_fd, d->name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		   !S_ISDIR(st.st_mode)) {
		ucp_report2(w, p, d->name, d->name, UCP_OP_DIR_OVER_NONDIR);
		return -1;
	} else {
		/* (A directory that appeared after the look: list it.) */
		d->scan_dst = w->run->sync != NULL;
	}
	goto open;
seen:
	d->dst_seen = true;
	d->dst_mtim = st.st_mtim;
	d->dst_ctim = st.st_ctim;
open:
	return open_made(w, p, d, d->dst_seen ? &st : NULL);
}

/* Keep a directory's xattrs until post-order, when its source is closed. */
static void load_dir_xattrs(struct ucp_worker *w, struct ucp_dir *d)
{
	struct ucp_xattrs x;
	int ret = ucp_xattrs_load_fd(d->src_fd, &x);
	if (ret < 0) {
		ucp_report(w, d, NULL, false, UCP_OP_XATTR, -ret);
		return;
	}
	d->xattr_buf = x.buf;
	d->xattr_len = x.len;
}

/*
 * ... of a directory that may not be opened (no read permission): by its
 * name in its parent, as cp reads them; those it may not read (user
 * attributes need read permission) are left out, its ACL kept.
 */
static void load_dir_xattrs_at(struct ucp_worker *w, struct ucp_dir *d)
{
	struct ucp_xattrs x;
	int ret;

	if (!(w->run->cfg->preserve & UCP_META_LOAD) || d->pseudo)
		return;
	ret = ucp_xattrs_load_readable_at(d->parent->src_fd, d->name, d->follow,
					  &x);
	if (ret < 0) {
		ucp_report(w, d->parent, d->name, false, UCP_OP_XATTR, -ret);
		return;
	}
	/* (--preserve=xattr named: what is left out is said, as cp says.) */
	if (ret == 1 && w->run->cfg->xattr_strict)
		ucp_report(w, d->parent, d->name, false, UCP_OP_XATTR, EACCES);
	d->xattr_buf = x.buf;
	d->xattr_len = x.len;
}

int ucp_tree_open_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	if (d->parent && !d->opened) {
		int ok = make_dst_dir(w, d);

		if (ok == 0 && d->no_scan) {
			ucp_dir_child_opened(d);
			d->opened = true;
			return -1;
		}
		if (ok == 0) {
			d->src_fd = ucp_dir_openat(
				d->parent->src_fd, d->name,
				O_RDONLY | O_DIRECTORY | O_CLOEXEC |
					(d->follow ? 0 : O_NOFOLLOW));
			if (d->src_fd < 0) {
				int err = errno;

				ucp_report(w, d->parent, d->name, false,
					   UCP_OP_OPENDIR, err);
				if (err == EACCES)
					load_dir_xattrs_at(w, d);
				ok = -1;
			}
		}
		/* The child holds its own descriptors from here on. */
		ucp_dir_child_opened(d);
		d->opened = true;
		if (ok < 0)
			return -1;
	}
	d->opened = true;
	if ((w->run->cfg->preserve & UCP_META_LOAD) && !d->pseudo)
		load_dir_xattrs(w, d);
	/* (Its names' folds, for case_twin: a worker reads one at a time.) */
	ucp_u64set_clear(&w->folds);
	ucp_u64set_clear(&w->afolds);
	w->folds_of = d;
	return 0;
}

/*
 * Post-order: the last child is done, so mode and times can be made final
 * (creating children changed the directory's mtime, and a read-only mode
 * would have stopped them being created).
 */
void ucp_tree_finalize_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	unsigned what = w->run->cfg->preserve;
	enum ucp_op op = UCP_OP_CHMOD;
	struct ucp_xattrs x;
	struct stat sst, now;
	int ret;

	/*
	 * A run stopped (a signal, a full disk) may leave d unfinished: it
	 * keeps the owner's rwx, as cp leaves one, so that the run again
	 * can fill it (a read-only one was sealed half full: a user's run
	 * again failed on every entry left). The run again sets the mode.
	 */
	mode_t open_up = ucp_run_stopping(w->run) ? S_IRWXU : 0;

	if (d->pseudo || d->dst_fd < 0)
		return;
	if (w->run->cfg->sync.fsync && d->dirty &&
	    (ucp_fault_fail(UCP_FAULT_FSYNC) < 0 || fsync(d->dst_fd) < 0))
		ucp_report(w, d, NULL, true, UCP_OP_FSYNC, errno);
	if (d->fix_mode && !(what & UCP_PRESERVE_MODE) &&
	    fchmod(d->dst_fd, d->final_mode | open_up) < 0)
		ucp_report(w, d, NULL, true, UCP_OP_CHMOD, errno);
	/*
	 * --no-preserve=mode, made in a directory with a default ACL: it
	 * keeps the default ACL for what is made in it, but its own
	 * permissions are the default mode, as cp gives them.
	 */
	if (d->created)
		(void)ucp_plain_default_mode_over_acl(w, d, ".", NULL, &d->sst,
						      d->dst_fd);
	if (!what)
		return;
	/*
	 * Through the directory's own descriptor: whatever took its name
	 * since (a symlink to elsewhere), the mode goes where the children
	 * went.
	 */
	x.buf = d->xattr_buf;
	x.len = d->xattr_len;
	x.failed = NULL;
	/*
	 * A directory merged into (not made by this run) may be another's;
	 * one made in a set-group-ID directory has that one's group.
	 */
	if (!d->created || (ucp_plain_dst_facts(d) & UCP_DST_SETGID))
		what |= UCP_META_FORCE_OWNER;
	/*
	 * -p: its ACLs become the source's, none included: those it had
	 * (merged into), or those its parent's default ACL gave it.
	 */
	if ((what & UCP_PRESERVE_MODE) &&
	    (!d->created || (ucp_plain_dst_facts(d) & UCP_DST_DEFAULT_ACL))) {
		ret = ucp_meta_drop_dir_acls(d->dst_fd, &x);
		if (ret < 0) {
			ucp_report(w, d, NULL, true, UCP_OP_XATTR, -ret);
			return;
		}
	}
	sst = d->sst;
	/*
	 * cp -p leaves a directory's set-group-ID bit as it is there: the
	 * one a new directory took from its parent (so that a tree copied
	 * into a shared group's directory goes on passing the group on), or
	 * one merged into had. A mirror (--sync) is given the source's mode,
	 * as rsync gives it.
	 */
	if ((what & UCP_PRESERVE_MODE) && !w->run->sync &&
	    fstat(d->dst_fd, &now) == 0 && (now.st_mode & S_ISGID)) {
		sst.st_mode |= S_ISGID;
		what |= UCP_META_SGID_INHERITED;
	}
	sst.st_mode |= open_up;
	/* (An O_PATH descriptor takes no fchmod: by its "." then.) */
	ret = d->dst_path_only ? ucp_meta_apply(d->dst_fd, ".", &sst,
						what | UCP_META_FORCE_MODE,
						&w->run->meta, &x, &op)
			       : ucp_meta_apply_fd(d->dst_fd, &sst,
						   what | UCP_META_FORCE_MODE,
						   &w->run->meta, &x, &op);
	if (ret < 0)
		ucp_report_meta(w, d, NULL, op, ret, &x);
}

/* ---- entries ------------------------------------------------------ */

/*
 * -L: whether directory st is d or one of its ancestors, in the source
 * (a link back up the tree: 1) or in the copy (a link to the destination,
 * or up above it: the copy would go into itself, level after level, until
 * the disk is full: 2); 0 if neither. The copy's side where its
 * descriptor is still open.
 */
static int is_ancestor(const struct ucp_dir *d, const struct stat *st)
{
	struct stat dst;

	for (; d; d = d->parent) {
		if (d->sst.st_dev == st->st_dev && d->sst.st_ino == st->st_ino)
			return 1;
		if (d->dst_fd >= 0 && fstat(d->dst_fd, &dst) == 0 &&
		    dst.st_dev == st->st_dev && dst.st_ino == st->st_ino)
			return 2;
	}
	return 0;
}

void ucp_tree_queue_child(struct ucp_worker *w, struct ucp_dir *d,
			  const char *name, const struct stat *st)
{
	struct ucp_dir *c;
	int up = d->follow ? is_ancestor(d, st) : 0;

	if (up) {
		/* -L: a symlink back up the tree would never end. */
		ucp_report(w, d, name, false,
			   up == 1 ? UCP_OP_CYCLE : UCP_OP_OPENDIR, ELOOP);
		return;
	}
	/*
	 * The copy itself, met in the source: a destination that is a link
	 * to a directory of the source, or a bind mount of one, would be
	 * copied into itself level after level until the disk is full.
	 */
	if (st->st_ino == d->copy_ino && st->st_dev == d->copy_dev) {
		ucp_report2(w, d, name, name, UCP_OP_INTO_SELF);
		return;
	}
	c = ucp_dir_new_child(d, name, st->st_mode);
	if (!c) {
		ucp_report(w, d, name, false, UCP_OP_OPENDIR, ENOMEM);
		return;
	}
	c->sst = *st;
	c->follow = d->follow;
	c->root_dev = d->root_dev;
	c->copy_dev = d->copy_dev;
	c->copy_ino = d->copy_ino;
	c->sizes_lie = d->sizes_lie;
	/* -x: the mount point itself is copied, empty, as cp does. */
	c->no_scan = w->run->cfg->one_file_system && st->st_dev != d->root_dev;
	ucp_sched_push(w, c);
}

/*
 * Make entry sname of d as dname, the way the planner chose (st: the
 * source's stat, or NULL for a regular file that was not stat'ed).
 */
static void make_entry(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname,
		       const struct stat *st, enum ucp_make how)
{
	ucp_count(&w->cnt.files_found, 1);
	w->row = NULL;
	switch (how) {
	case UCP_MAKE_HARDLINK:
		(void)ucp_plain_hardlink(w, d, sname, dname);
		break;
	case UCP_MAKE_SYMLINK_TO:
		(void)ucp_plain_symlink_to(w, d, sname, dname, st);
		break;
	case UCP_MAKE_ATTRS:
		(void)ucp_plain_attrs_only(w, d, sname, dname, st);
		break;
	case UCP_MAKE_SYMLINK:
		(void)ucp_plain_symlink(w, d, sname, dname, st);
		break;
	case UCP_MAKE_NODE:
		(void)ucp_plain_special(w, d, sname, dname, st);
		break;
	case UCP_MAKE_STREAM:
		/* (Read to its end with syscalls: its size says nothing.) */
		(void)ucp_plain_file(w, d, sname, dname, st);
		break;
	default:
		/* (Files that hide their size go by syscalls, to the end.) */
		if (w->cp && !d->sizes_lie) {
			struct ucp_copy_job job = { .sname = sname,
						    .dname = dname };

			if (ucp_copy_start(w, d, &job))
				break;
		}
		if (st)
			ucp_count(&w->cnt.bytes_found, (uint64_t)st->st_size);
		(void)ucp_plain_file(w, d, sname, dname, st);
		break;
	}
}

void ucp_tree_entry_st(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname,
		       const struct stat *st)
{
	struct ucp_plan_in in = { .mode = UCP_PLAN_CP,
				  .src = st,
				  .follow = d->follow };
	struct ucp_plan p;

	ucp_plan(w->run->cfg, &in, &p);
	if (p.act == UCP_ACT_OMIT_DIR)
		ucp_report(w, d, sname, false, UCP_OP_OMIT_DIR, 0);
	else if (p.act == UCP_ACT_DESCEND)
		ucp_tree_queue_child(w, d, sname, st);
	else
		make_entry(w, d, sname, dname, st, p.make);
}

bool ucp_tree_may_fold(struct ucp_run *run, int fd)
{
	int v = atomic_load(&run->may_fold);

	if (v == 0) {
		v = ucp_fold_fs_may(fd) ? 1 : -1;
		atomic_store(&run->may_fold, v);
	}
	return v > 0;
}

int ucp_tree_fold_add(struct ucp_worker *w, const char *name, uint64_t fold)
{
	return ucp_u64set_add(&w->folds, fold) < 0 ||
			       ucp_u64set_add(&w->afolds,
					      ucp_fold_hash_ascii(name)) < 0
		       ? -ENOMEM
		       : 0;
}

int ucp_tree_fold_met(const struct ucp_worker *w, const char *name,
		      uint64_t fold)
{
	if (!ucp_u64set_has(&w->folds, fold))
		return 0;
	return ucp_u64set_has(&w->afolds, ucp_fold_hash_ascii(name)) ? 2 : 1;
}

bool ucp_tree_twin(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		   mode_t m, bool probe, bool ascii)
{
	char tmp[UCP_TMP_NAME_MAX];
	int r;

	if (d->dst_fd < 0)
		return false;
	if (!d->folds_case) {
		ucp_plain_tmpname(w->run, tmp);
		r = ucp_fold_dir(d->dst_fd, name, probe ? tmp : NULL);
		if (r != 0)
			d->folds_case = (signed char)r;
		if (r <= 0)
			return false;
	}
	/*
	 * (Looked at for a pair apart in letters beyond ASCII only: where
	 * the names are being written, two looks on FUSE may see one
	 * entry's attributes change between them, and take it for two.)
	 */
	if (d->folds_case < 0 ||
	    (!ascii && ucp_fold_spellings(d->dst_fd, name) < 0))
		return false;
	ucp_report(w, d, name, true,
		   S_ISDIR(m)	? UCP_OP_MKDIR
		   : S_ISREG(m) ? UCP_OP_CREATE
		   : S_ISLNK(m) ? UCP_OP_SYMLINK
				: UCP_OP_MKNOD,
		   EEXIST);
	return true;
}

/*
 * Whether entry name (d_type type) of d, whose copy was there before the
 * run, differs in case only from one met before it in d where the copy
 * does not tell case apart (an existing directory on FAT, exFAT, NTFS, an
 * SMB share, a casefolded ext4 one): both would be one entry there, the
 * later overwriting the earlier's copy, or merging into its directory,
 * without a word. Said as in a directory the run makes, where creating it
 * fails ("File exists"), and not copied: true. No system call for a name
 * that has no twin; one file made and removed a directory for one that
 * has, where neither spelling is in the copy yet.
 */
static bool case_twin(struct ucp_worker *w, struct ucp_dir *d, const char *name,
		      unsigned char type)
{
	uint64_t fold;
	mode_t m = type == DT_UNKNOWN ? S_IFREG : DTTOIF(type);
	int met;

	/* (A name handled anew was met already: no twin of its own.) */
	if (d->created || d->pseudo || d->dst_fd < 0 || w->folds_of != d ||
	    w->redo || !ucp_tree_may_fold(w->run, d->dst_fd))
		return false;
	fold = ucp_fold_hash(name);
	met = ucp_tree_fold_met(w, name, fold);
	if (!met) {
		/* (Without the memory, no twin is told: as before.) */
		(void)ucp_tree_fold_add(w, name, fold);
		return false;
	}
	return ucp_tree_twin(w, d, name, m, true, met == 2);
}

/*
 * Handle one directory entry: dispatch on its type (d_type, or fstatat
 * when the file system does not say). (ucp_mode_ops.entry)
 */
static void tree_entry(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname, unsigned char type)
{
	int flags = d->follow ? 0 : AT_SYMLINK_NOFOLLOW;
	struct stat st;

	if (case_twin(w, d, dname, type))
		return;
	/*
	 * Regular files need no stat here: the engine gets size and mode
	 * (except for -s and --attributes-only, which take the slow path).
	 */
	if (type == DT_REG && !w->run->cfg->symbolic_link &&
	    !w->run->cfg->attributes_only) {
		struct stat reg = { .st_mode = S_IFREG };
		struct ucp_plan_in in = { .mode = UCP_PLAN_CP, .src = &reg };
		struct ucp_plan p;

		ucp_plan(w->run->cfg, &in, &p);
		make_entry(w, d, sname, dname, NULL, p.make);
		return;
	}
	if (fstatat(d->src_fd, sname, &st, flags) < 0) {
		int err = errno;

		/* -L: a dangling link has not vanished, it never led on. */
		if (err == ENOENT && flags == 0 &&
		    fstatat(d->src_fd, sname, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode))
			ucp_report_missing(w, d, sname, UCP_OP_STAT, err);
		else
			ucp_report(w, d, sname, false, UCP_OP_STAT, err);
		return;
	}
	ucp_tree_entry_st(w, d, sname, dname, &st);
}

const struct ucp_mode_ops ucp_tree_mode = {
	.open_dir = ucp_tree_open_dir,
	.entry = tree_entry,
	.entry_st = ucp_tree_entry_st,
	.finalize_dir = ucp_tree_finalize_dir,
};
