/* SPDX-License-Identifier: MIT */
/*
 * plain.c: entries copied with ordinary syscalls (see plain.h).
 *
 * A new destination is created with O_EXCL under its final name and removed
 * again if anything fails, so no partial file survives an error. An existing
 * destination is never truncated in place: the copy goes to a temporary
 * sibling that is renamed over it once complete. That breaks hard links to
 * the old destination file, which cp would have kept; the man page says so.
 */
#include "plain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"
#include "fault.h"
#include "links.h"
#include "meta.h"
#include "path.h"
#include "plan.h"
#include "replace.h"
#include "util.h"

#ifndef RWF_DONTCACHE
#define RWF_DONTCACHE 0x00000080 /* Linux 6.14 */
#endif

/*
 * Whether a new copy of a file of mode src_mode is created with its
 * owner's bits only, its mode set once its owner and ACL are (meta_of):
 * where the copy keeps the source's mode, ACL included (-a, -p, --sync,
 * --preserve=mode). Created with its final bits, it could be read while its
 * data was written by those the source's ACL keeps out, or its group (root's,
 * as root, until the chown): a root's backup showed such a file to them.
 * cp and rsync create it so too; one chmod a file more, as cp's ACL call.
 */
static bool create_narrow(const struct ucp_run *run, mode_t src_mode)
{
	return (run->cfg->preserve & UCP_PRESERVE_MODE) && (src_mode & 077);
}

/*
 * So for a file made in d: not in a directory this run made, which is
 * its owner's alone until its own mode comes last (ucp_plain_mkdir), so
 * that a copy into a new tree takes no chmod more.
 */
static bool narrow_in(const struct ucp_run *run, const struct ucp_dir *d,
		      mode_t src_mode)
{
	return !d->created && create_narrow(run, src_mode);
}

/*
 * --preserve=ownership without the mode (also -a --no-preserve=mode): a
 * new file is its owner's alone until it has the source's owner and group,
 * as cp makes it (0600, chown, chmod). Made with its final mode and the
 * group its directory gives (a user's set-group-ID directory), that
 * group could open it before the chown and read it after. Not in a
 * directory with a default ACL: its files get what the ACL gives, which
 * is theirs after the chown too.
 */
static bool owner_narrow(const struct ucp_run *run, struct ucp_dir *d,
			 mode_t src_mode)
{
	return ucp_meta_owner_first(run->cfg->preserve,
				    run->cfg->default_mode ? 0666 : src_mode) &&
	       !(ucp_plain_dst_facts(d) & UCP_DST_DEFAULT_ACL);
}

void ucp_plain_tmpname(struct ucp_run *run, char name[UCP_TMP_NAME_MAX])
{
	ucp_tmp_name(
		name, run->pid,
		atomic_fetch_add_explicit(&run->seq, 1, memory_order_relaxed));
}

int ucp_plain_mkdir(const struct ucp_run *run, int dirfd, const char *name,
		    struct ucp_dir *d)
{
	mode_t mode = ucp_plain_new_mode(run, d->src_mode);
	/*
	 * Its owner's alone while it is filled where its mode comes last
	 * anyway (tree.c's finalize): what is made in it is not to be
	 * seen before its own mode and ACL are set (create_narrow).
	 */
	mode_t made =
		create_narrow(run, d->src_mode) ? S_IRWXU : mode | S_IRWXU;
	int ret;

	if (ucp_fault_fail(UCP_FAULT_MKDIR) < 0)
		return -errno;
	ret = ucp_plain_mkdir_rwx(run, dirfd, name, made);
	if (ret < 0)
		return ret;
	/* Owner rwx, given or kept, may need removing. */
	d->fix_mode = ((made & ~run->meta.umask) | S_IRWXU) != mode;
	d->final_mode = mode;
	return 0;
}

int ucp_plain_mkdir_rwx(const struct ucp_run *run, int dirfd, const char *name,
			mode_t mode)
{
	mode_t has = (mode | S_IRWXU) & ~run->meta.umask;

	if (mkdirat(dirfd, name, mode | S_IRWXU) < 0)
		return -errno;
	/*
	 * A umask that takes the owner's rwx (0222, 0277) made a directory
	 * nothing can be copied into: it has them while it is filled, as
	 * cp's has, and its mode is set after (a rare umask: one call).
	 */
	if ((has & S_IRWXU) != S_IRWXU &&
	    fchmodat(dirfd, name, has | S_IRWXU, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	return 0;
}

unsigned ucp_plain_dst_facts(struct ucp_dir *d)
{
	const unsigned inherited = UCP_DST_KNOWN | UCP_DST_DEFAULT_ACL |
				   UCP_DST_SETGID | UCP_DST_LOOSE_MODES;
	unsigned f = atomic_load_explicit(&d->dst_facts, memory_order_acquire);
	struct ucp_dir *base = d;
	struct stat st;

	if (f & UCP_DST_KNOWN)
		return f;
	/* A directory made here has what its parent's copy has. */
	while (base->created && base->parent &&
	       !(atomic_load_explicit(&base->dst_facts, memory_order_acquire) &
		 UCP_DST_KNOWN))
		base = base->parent;
	f = atomic_load_explicit(&base->dst_facts, memory_order_acquire);
	if (!(f & UCP_DST_KNOWN)) {
		f = UCP_DST_KNOWN;
		if (base->dst_fd >= 0 && fstat(base->dst_fd, &st) == 0) {
			if (st.st_mode & S_ISGID)
				f |= UCP_DST_SETGID;
			atomic_store_explicit(&base->dst_gid, st.st_gid,
					      memory_order_relaxed);
			if (ucp_meta_has_default_acl(base->dst_fd))
				f |= UCP_DST_DEFAULT_ACL;
			if (!ucp_meta_modes_kept(base->dst_fd))
				f |= UCP_DST_LOOSE_MODES;
		}
		f = atomic_fetch_or_explicit(&base->dst_facts, f,
					     memory_order_release) |
		    f;
	}
	if (base == d)
		return f;
	atomic_store_explicit(
		&d->dst_gid,
		atomic_load_explicit(&base->dst_gid, memory_order_relaxed),
		memory_order_relaxed);
	return atomic_fetch_or_explicit(&d->dst_facts, f & inherited,
					memory_order_release) |
	       (f & inherited);
}

bool ucp_plain_dst_append_only(struct ucp_dir *d)
{
	unsigned f = atomic_load_explicit(&d->dst_facts, memory_order_relaxed);
	int flags = 0, fd;

	if (!(f & UCP_DST_FLAGS_KNOWN)) {
		f = UCP_DST_FLAGS_KNOWN;
		/* (The root's may be an O_PATH descriptor: no ioctl.) */
		fd = d->dst_fd < 0 ? -1
				   : openat(d->dst_fd, ".",
					    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 &&
		    (flags & FS_APPEND_FL))
			f |= UCP_DST_APPEND_ONLY;
		if (fd >= 0)
			(void)close(fd); /* read-only */
		f |= atomic_fetch_or_explicit(&d->dst_facts, f,
					      memory_order_relaxed);
	}
	return (f & UCP_DST_APPEND_ONLY) != 0;
}

/*
 * The owner must be given even where the source is the user's own: a
 * set-group-ID directory gave the copy its group, not the user's.
 */
static bool group_inherited(const struct ucp_run *run, struct ucp_dir *d,
			    const struct stat *st)
{
	return st->st_uid == run->meta.euid && st->st_gid == run->meta.egid &&
	       (ucp_plain_dst_facts(d) & UCP_DST_SETGID) &&
	       atomic_load_explicit(&d->dst_gid, memory_order_relaxed) !=
		       st->st_gid;
}

int ucp_plain_default_mode_over_acl(struct ucp_worker *w, struct ucp_dir *d,
				    const char *dname, const char *shown,
				    const struct stat *st, int dfd)
{
	const struct ucp_run *run = w->run;
	struct ucp_xattrs none = { 0 };
	mode_t mode = (S_ISDIR(st->st_mode) ? 0777 : 0666) & ~run->meta.umask;
	int ret;

	if (!run->cfg->default_mode || S_ISLNK(st->st_mode) ||
	    !(ucp_plain_dst_facts(d) & UCP_DST_DEFAULT_ACL))
		return 0;
	ret = ucp_meta_drop_acl(d->dst_fd, dname, dfd, &none);
	if (ret == 0)
		ret = dfd >= 0 ? (fchmod(dfd, mode) < 0 ? -errno : 0)
			       : ucp_meta_lchmod(d->dst_fd, dname, mode);
	if (ret < 0) {
		ucp_report(w, d, shown, true, UCP_OP_CHMOD, -ret);
		return -1;
	}
	return 0;
}

/*
 * Whether sname in d is still the file st is of: attributes read by name
 * after the data (the ring closed its descriptor) are of another file
 * when an atomic save replaced it since (the copy had the old data with
 * the new file's attributes and ACL). One stat, for a file that has
 * attributes only.
 */
static bool same_source(const struct ucp_dir *d, const char *sname,
			const struct stat *st)
{
	struct stat now;

	return fstatat(d->src_fd, sname, &now,
		       d->follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0 &&
	       now.st_ino == st->st_ino && now.st_dev == st->st_dev &&
	       ucp_fault(UCP_FAULT_REPLACED) == 0;
}

/*
 * The attributes of the source's sname in d (open as sfd, or -1: by name)
 * into *x: 0, or -errno reported (-ESTALE: the name is another file now).
 * One (f)listxattr for a file without attributes. (An SELinux label alone,
 * what every file has where SELinux is on, is no grant of the file's: no
 * stat more per file there for it, same_source.)
 */
static int source_xattrs(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const struct stat *st, int sfd,
			 struct ucp_xattrs *x)
{
	int ret = sfd >= 0 ? ucp_xattrs_load_fd(sfd, x)
			   : ucp_xattrs_load_at(d->src_fd, sname, d->follow, x);

	if (ret == 0 && sfd < 0 && x->len > 0 && !ucp_xattrs_label_only(x) &&
	    !same_source(d, sname, st)) {
		ucp_report(w, d, sname, false, UCP_OP_REPLACED, 0);
		ucp_xattrs_release(x);
		return -ESTALE;
	}
	/* Gone since its data was read (renamed away): vanished, and its
	 * copy goes too, as a replaced one's (it was left, root's). */
	if (ret == -ENOENT && sfd < 0) {
		ucp_report(w, d, sname, false, UCP_OP_STAT, ENOENT);
		return -ESTALE;
	}
	if (ret < 0)
		ucp_report(w, d, sname, false, UCP_OP_XATTR, -ret);
	return ret;
}

/* How fill_and_close writes: */
#define FILL_NODE                                             \
	1u /* into a device or FIFO that was there: a stream, \
	      and its attributes stay its own */
#define FILL_KEEP_OLD                                                     \
	2u		 /* a temporary over a --sync copy: a source that \
			    kept changing leaves the old copy (-ESTALE) */
#define FILL_EXISTING 4u /* a file that was there, rewritten (meta_of) */
#define FILL_OWNER_SET                                                  \
	8u /* the copy has the source's owner already (tmp_owner_mode): \
	      meta_of leaves it */
#define FILL_NEW                                                        \
	16u /* a file this run made, with ucp_plain_create_mode's mode: \
	       one made narrow (owner_narrow) gets its own after */

/*
 * What of the copy's attributes meta_of sets whatever they are (from
 * what, the ones kept), for a new copy of st in d (fl: FILL_*).
 */
static unsigned forced(const struct ucp_run *run, struct ucp_dir *d,
		       const struct stat *st, unsigned what, unsigned fl)
{
	bool existing = fl & FILL_EXISTING;

	if ((what & UCP_PRESERVE_OWNERSHIP) && !existing &&
	    group_inherited(run, d, st))
		what |= UCP_META_FORCE_OWNER;
	/* (Made with its owner's bits only: its mode comes now.) */
	if (S_ISREG(st->st_mode) && narrow_in(run, d, st->st_mode))
		what |= UCP_META_FORCE_MODE;
	/* (A file system with modes of its own: each is set, and checked.) */
	if ((what & UCP_PRESERVE_MODE) &&
	    (ucp_plain_dst_facts(d) & UCP_DST_LOOSE_MODES))
		what |= UCP_META_FORCE_MODE;
	if (fl & FILL_OWNER_SET)
		what &= ~UCP_PRESERVE_OWNERSHIP;
	return what;
}

/*
 * A file made its owner's alone (owner_narrow) gets its mode, now that its
 * owner is set (also when it could not be: no set-ID bit is in it); a
 * failure goes to *ret and *op unless one is there already.
 */
static void narrow_mode_after(const struct ucp_run *run, struct ucp_dir *d,
			      const char *dname, const struct stat *st, int dfd,
			      int *ret, enum ucp_op *op)
{
	mode_t mode;
	int r;

	if (!S_ISREG(st->st_mode) || !owner_narrow(run, d, st->st_mode))
		return;
	mode = ucp_plain_new_mode(run, st->st_mode);
	r = dfd >= 0 ? (fchmod(dfd, mode) < 0 ? -errno : 0)
		     : ucp_meta_lchmod(d->dst_fd, dname, mode);
	if (r < 0 && *ret == 0) {
		*ret = r;
		*op = UCP_OP_CHMOD;
	}
}

/*
 * Keep the source's metadata on the copy: through the open descriptors
 * sfd and dfd where the caller has them (>= 0), else by name; messages
 * name the copy shown (dname, or the name a temporary takes). fl:
 * FILL_EXISTING, the copy is a file that was there before (its mode, owner
 * and ACL are not what creation gave it: they are set whatever they are);
 * FILL_OWNER_SET, its owner is the source's already; FILL_NEW, it was
 * made by this run with ucp_plain_create_mode's mode.
 */
static int meta_of(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const char *shown, const struct stat *st,
		   int sfd, int dfd, unsigned fl)
{
	bool existing = fl & FILL_EXISTING;
	unsigned what = w->run->cfg->preserve;
	struct ucp_xattrs x = { 0 };
	enum ucp_op op = UCP_OP_CHMOD;
	int ret;

	/* -s makes links, which have nothing of the source's to keep. */
	if (w->run->cfg->symbolic_link)
		return 0;
	if (!existing &&
	    ucp_plain_default_mode_over_acl(w, d, dname, shown, st, dfd) < 0)
		return -1;
	if (!what)
		return 0;
	if (what & UCP_META_LOAD) {
		ret = source_xattrs(w, d, sname, st, sfd, &x);
		/* (Reported; a file made narrow still gets its mode.) */
		if (ret < 0 && (fl & FILL_NEW))
			narrow_mode_after(w->run, d, dname, st, dfd, &ret, &op);
		if (ret < 0)
			return ret;
	}
	/*
	 * -p: the copy's ACL is the source's, or none, whatever the one
	 * there before had, or its directory's default ACL gave it; and the
	 * mode is set whatever it is: the default ACL, not the umask, made
	 * the one creation gave.
	 */
	ret = 0;
	if ((what & UCP_PRESERVE_MODE) &&
	    (existing || (!S_ISLNK(st->st_mode) &&
			  (ucp_plain_dst_facts(d) & UCP_DST_DEFAULT_ACL)))) {
		ret = ucp_meta_drop_acl(d->dst_fd, dname, dfd, &x);
		what |= UCP_META_FORCE_MODE;
	}
	what = forced(w->run, d, st, what, fl);
	if (existing) {
		what |= UCP_META_FORCE_MODE | UCP_META_FORCE_OWNER;
		/* --sync mirrors the attributes: the old file's extra go. */
		if (ret == 0 && w->run->sync && (what & UCP_PRESERVE_XATTR))
			ret = ucp_xattrs_prune_at(d->dst_fd, dname, dfd, &x);
	}
	if (ret < 0) {
		ucp_report(w, d, shown, true, UCP_OP_XATTR, -ret);
		ucp_xattrs_release(&x);
		return ret;
	}
	if (dfd >= 0)
		ret = ucp_meta_apply_fd(dfd, st, what, &w->run->meta, &x, &op);
	else
		ret = ucp_meta_apply(d->dst_fd, dname, st, what, &w->run->meta,
				     &x, &op);
	if (fl & FILL_NEW)
		narrow_mode_after(w->run, d, dname, st, dfd, &ret, &op);
	if (ret < 0)
		ucp_report_meta(w, d, shown, op, ret, &x);
	ucp_xattrs_release(&x);
	/* A warning (xattrs unsupported here) does not fail the file. */
	return ret == -ENOTSUP && op == UCP_OP_XATTR ? 0 : ret;
}

static int meta(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		const char *dname, const struct stat *st, int sfd, int dfd)
{
	return meta_of(w, d, sname, dname, dname, st, sfd, dfd, 0);
}

int ucp_plain_meta(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st)
{
	return meta(w, d, sname, dname, st, -1, -1);
}

int ucp_plain_meta_as(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname, const char *shown,
		      const struct stat *st)
{
	return meta_of(w, d, sname, dname, shown, st, -1, -1, 0);
}

int ucp_plain_meta_made(struct ucp_worker *w, struct ucp_dir *d,
			const char *sname, const char *dname, const char *shown,
			const struct stat *st)
{
	return meta_of(w, d, sname, dname, shown, st, -1, -1, FILL_NEW);
}

int ucp_plain_meta_fds(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname, const char *shown,
		       const struct stat *st, int sfd, int dfd)
{
	return meta_of(w, d, sname, dname, shown, st, sfd, dfd, FILL_NEW);
}

mode_t ucp_plain_new_mode(const struct ucp_run *run, mode_t src_mode)
{
	/* cp keeps the sticky bit on directories only. */
	mode_t keep = S_ISDIR(src_mode) ? 01777 : 0777;

	/* --no-preserve=mode: the default mode, a directory's sticky bit
	 * kept all the same (cp). */
	if (run->cfg->default_mode)
		return (S_ISDIR(src_mode) ? 0777 | (src_mode & S_ISVTX)
					  : 0666) &
		       ~run->meta.umask;
	return src_mode & keep & ~run->meta.umask;
}

bool ucp_plain_sizes_lie(unsigned long f_type)
{
	switch (f_type) {
	case 0x9fa0:	 /* proc */
	case 0x62656572: /* sysfs */
	case 0x64626720: /* debugfs */
	case 0x74726163: /* tracefs */
	case 0x73636673: /* securityfs */
	case 0x62656570: /* configfs */
	case 0xcafe4a11: /* bpf */
	case 0x27e0eb:	 /* cgroup */
	case 0x63677270: /* cgroup2 */
		return true;
	default:
		return false;
	}
}

bool ucp_plain_shows_no_holes(int fd)
{
	struct statfs f;

	if (fstatfs(fd, &f) < 0)
		return false;
	switch ((unsigned long)f.f_type) {
	case 0x65735546: /* FUSE */
	case 0x6969:	 /* NFS */
	case 0xff534d42: /* CIFS */
	case 0xfe534d42: /* SMB2 */
		return true;
	default:
		return false;
	}
}

mode_t ucp_plain_create_mode(const struct ucp_run *run, struct ucp_dir *d,
			     mode_t src_mode)
{
	if (owner_narrow(run, d, src_mode))
		return (run->cfg->default_mode ? 0666 : src_mode) & 0700;
	if (run->cfg->default_mode)
		return 0666;
	return src_mode & (narrow_in(run, d, src_mode) ? 0700 : 0777);
}

/*
 * Open the source of a file to copy (operands follow symlinks, as cp) and
 * stat it into *got. want: the stat the caller decided from, or NULL for a
 * name read as a regular file. The file opened must be that one: a name
 * swapped for another file since (in a source directory others may write)
 * would give one file's data the other's owner and mode, so it is skipped,
 * as cp does. A file meant to be regular is opened O_NONBLOCK, so that a
 * FIFO put in its place cannot hang the run; regular files ignore the flag
 * (the ring does not: ucp_plain_open_src). Returns the descriptor, or
 * -errno, reported.
 */
static int open_src(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		    const struct stat *want, struct stat *got)
{
#ifdef UCP_TEST_HOOKS
	if (want && atomic_exchange(&ucp_test_stop_before_open, false))
		(void)raise(SIGSTOP);
#endif
	bool regular = !want || S_ISREG(want->st_mode);
	/*
	 * A FIFO too: a blocking open waits for a writer, past any signal.
	 * Its reads wait for data a tick at a time (read_block), from the
	 * first writer on.
	 */
	bool fifo = want && S_ISFIFO(want->st_mode);
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY |
		    (regular || fifo ? O_NONBLOCK : 0) |
		    (d->follow ? 0 : O_NOFOLLOW);
	int sfd = ucp_fault_fail(UCP_FAULT_OPEN) < 0
			  ? -1
			  : openat(d->src_fd, sname, flags);
	int err;

	if (sfd < 0) {
		err = errno;
		ucp_report(w, d, sname, false, UCP_OP_OPEN, err);
		return -err;
	}
	if (ucp_fault_fail(UCP_FAULT_STAT) < 0 || fstat(sfd, got) < 0) {
		err = errno;
		ucp_report(w, d, sname, false, UCP_OP_STAT, err);
		(void)close(sfd);
		return -err;
	}
	/*
	 * (The type too: a FIFO made under a freed file's inode number,
	 * which ext4 hands out again at once, is no regular file.)
	 */
	if ((want ? got->st_dev != want->st_dev ||
			     got->st_ino != want->st_ino ||
			     (got->st_mode & S_IFMT) != (want->st_mode & S_IFMT)
		  : !S_ISREG(got->st_mode)) ||
	    ucp_fault(UCP_FAULT_REPLACED) != 0) {
		ucp_report(w, d, sname, false, UCP_OP_REPLACED, 0);
		(void)close(sfd);
		return -ESTALE;
	}
	return sfd;
}

/*
 * Source sfd, opened O_NONBLOCK, for the ring's reads, which would say
 * EAGAIN where a read(2) waits: sfd blocking, or -errno (closed).
 */
static int ring_fd(int sfd)
{
	int err;

	if (fcntl(sfd, F_SETFL, O_RDONLY) == 0)
		return sfd;
	err = errno;
	(void)close(sfd);
	return -err;
}

int ucp_plain_open_src(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const struct stat *want,
		       struct stat *got)
{
	int sfd = open_src(w, d, sname, want, got);

	if (sfd >= 0 && (sfd = ring_fd(sfd)) < 0)
		ucp_report(w, d, sname, false, UCP_OP_OPEN, -sfd);
	return sfd;
}

#define HOLE_BLOCK 4096

static bool is_zero(const char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* Length of the run of whole zero blocks at the start of p[0..n). */
static size_t zero_run(const char *p, size_t n)
{
	size_t len = 0;

	while (n - len >= HOLE_BLOCK && is_zero(p + len, HOLE_BLOCK))
		len += HOLE_BLOCK;
	return len;
}

/*
 * Length of the data before the next whole zero block, or the zeros short
 * of a block that end p (at least 1).
 */
static size_t data_run(const char *p, size_t n)
{
	size_t len = UCP_MIN(n, HOLE_BLOCK);

	while (len < n && !is_zero(p + len, UCP_MIN(n - len, HOLE_BLOCK)))
		len += UCP_MIN(n - len, HOLE_BLOCK);
	return len;
}

/*
 * Copy len bytes at offset off (or up to EOF, if it comes first) from sfd to
 * dfd. Returns 0, 1 when the file turned out shorter, or -errno with *op.
 */
/*
 * The most one copy_file_range call moves: a cancel (Ctrl-C) is seen
 * between calls, and progress advances, every few tens of milliseconds,
 * not once a gigabyte.
 */
#define CFR_CHUNK ((off_t)32 << 20)

/*
 * --no-cache: the copy leaves its data out of the page cache. Behind the
 * copy, window by window, the destination's pages are written back (the
 * write of one window started while the one before is waited for) and
 * both files' pages dropped; what is left goes when the file is done.
 */
#define NOCACHE_WINDOW ((off_t)8 << 20)

/*
 * --no-cache through RWF_DONTCACHE (range_uncached): not refused here yet,
 * and not --sparse=always, whose zero blocks write_block keeps as holes.
 * Otherwise the windows below drop what the copy brought in.
 */
static bool uncached(const struct ucp_worker *w)
{
	return w->run->cfg->no_cache && !w->uncached_bad &&
	       w->run->cfg->sparse != UCP_SPARSE_ALWAYS;
}

/* Behind the copy, at done: write-back started, or windows dropped. */
static void drop_behind(struct ucp_worker *w, int sfd, int dfd, off_t done)
{
	ucp_plain_write_behind(dfd, &w->behind, done);
	if (!w->run->cfg->no_cache || uncached(w))
		return;
	while (done - w->dropped >= 2 * NOCACHE_WINDOW) {
		off_t at = w->dropped;

		(void)sync_file_range(dfd, at + NOCACHE_WINDOW, NOCACHE_WINDOW,
				      SYNC_FILE_RANGE_WRITE);
		(void)sync_file_range(dfd, at, NOCACHE_WINDOW,
				      SYNC_FILE_RANGE_WAIT_BEFORE |
					      SYNC_FILE_RANGE_WRITE |
					      SYNC_FILE_RANGE_WAIT_AFTER);
		(void)posix_fadvise(dfd, at, NOCACHE_WINDOW,
				    POSIX_FADV_DONTNEED);
		(void)posix_fadvise(sfd, at, NOCACHE_WINDOW,
				    POSIX_FADV_DONTNEED);
		w->dropped += NOCACHE_WINDOW;
	}
}

/*
 * A big file whose data is not in memory is copied at the disk's pace:
 * behind the copy, every 32 MiB it wrote go to write-back at once
 * (sync_file_range, not waited for), so that reading the source and
 * writing the copy overlap, where the writes would otherwise wait for
 * the kernel's flusher or a final sync. Measured, 4 files of 1 GiB, cold,
 * timed to a final sync: 5.6-5.8 s -> 4.1-4.3 s (fio's device figure
 * allows 4.0 s). Not for data in memory: that copy is bound by the CPU,
 * which the write-back would take (the same copy, hot: 0.50-0.97 s ->
 * 0.83-0.89 s).
 */
static bool looks_cached(struct ucp_worker *w, int sfd, const struct stat *st);

bool ucp_plain_behind_wanted(struct ucp_worker *w, int sfd,
			     const struct stat *st)
{
	return st->st_size >= 2 * UCP_BEHIND_STEP && !w->run->cfg->no_cache &&
	       !looks_cached(w, sfd, st);
}

static void behind_start(struct ucp_worker *w, int sfd, const struct stat *st)
{
	w->behind = ucp_plain_behind_wanted(w, sfd, st) ? 0 : -1;
}

void ucp_plain_write_behind(int dfd, off_t *behind, off_t done)
{
	if (*behind < 0 || done - *behind < UCP_BEHIND_STEP)
		return;
	(void)sync_file_range(dfd, *behind, done - *behind,
			      SYNC_FILE_RANGE_WRITE);
	*behind = done;
}

/*
 * The rest, when the file is done: a file of a window or more is written
 * back and dropped; a smaller one only drops its source and has its
 * write-back started (waiting for every small file would cost more than
 * the cache it saves).
 */
static void drop_rest(struct ucp_worker *w, int sfd, int dfd, off_t size)
{
	if (!w->run->cfg->no_cache)
		return;
	if (size >= NOCACHE_WINDOW) {
		(void)sync_file_range(dfd, w->dropped, 0,
				      SYNC_FILE_RANGE_WAIT_BEFORE |
					      SYNC_FILE_RANGE_WRITE |
					      SYNC_FILE_RANGE_WAIT_AFTER);
		(void)posix_fadvise(dfd, w->dropped, 0, POSIX_FADV_DONTNEED);
	} else {
		(void)sync_file_range(dfd, 0, 0, SYNC_FILE_RANGE_WRITE);
	}
	/* (RWF_DONTCACHE left what was cached before the copy alone.) */
	if (!uncached(w))
		(void)posix_fadvise(sfd, w->dropped, 0, POSIX_FADV_DONTNEED);
}

/*
 * What a data copy says besides its return value: the operation that
 * failed, and (for --debug) how the data moved.
 */
struct moved {
	enum ucp_op op;
	const char *how;
	bool stream;	 /* read to the end, whatever the size (d->sizes_lie) */
	bool seq;	 /* written with write(2), from where it is: a device or
			    FIFO that was there (a pipe cannot pwrite) */
	bool torn;	 /* what was read of a source that kept changing */
	bool zeros;	 /* zero blocks become holes (a sparse file whose
			    file system shows no holes) */
	bool again;	 /* copied again, the source having changed: ... */
	struct stat now; /* ... its stat that the last copy was checked by */
};

/* Whether a copy_file_range error means "not here" rather than a fault. */
static bool cfr_unsupported(int err)
{
	return err == EXDEV || err == EINVAL || err == ENOSYS ||
	       err == EOPNOTSUPP || err == EPERM || err == EBADF;
}

/*
 * Whether a call that failed (errno) is to be made again: one EINTR cut
 * short, unless the run is asked to stop; errno is ECANCELED then, a stop
 * that no message reports.
 */
static bool again_eintr(const struct ucp_worker *w)
{
	if (errno != EINTR)
		return false;
	if (!ucp_run_stopping(w->run))
		return true;
	errno = ECANCELED;
	return false;
}

/*
 * copy_file_range moves data inside the kernel (or on the server for
 * NFS); it fills holes, which is why sparse files come here one data
 * extent at a time. A first-call failure means "not here": the worker
 * stops trying and reads and writes instead. Some file systems (XFS,
 * btrfs) clone inside it, so --reflink=never avoids it. Copies from
 * *off for *len bytes, advancing both; 0 (what is left, if any, for
 * read/write), or -errno.
 */
static int range_by_cfr(struct ucp_worker *w, int sfd, int dfd, off_t *off,
			off_t *len, struct moved *m)
{
	while (*len > 0 && ucp_plain_cfr_usable(w)) {
		loff_t in = *off, out = *off;
		ssize_t n =
			ucp_fault_fail(UCP_FAULT_CFR) < 0
				? -1
				: copy_file_range(
					  sfd, &in, dfd, &out,
					  (size_t)UCP_MIN(*len, CFR_CHUNK), 0);

		if (n < 0 && again_eintr(w))
			continue;
		if (n < 0 && cfr_unsupported(errno)) {
			w->cfr_bad = true;
			break;
		}
		if (n < 0) {
			m->op = UCP_OP_WRITE;
			return -errno;
		}
		if (n == 0) /* EOF, or a file system that copies nothing */
			break;
		m->how = w->behind < 0 ? "copy_file_range"
				       : "copy_file_range, written back behind";
		ucp_count(&w->cnt.bytes_done, (uint64_t)n);
		*off += n;
		*len -= n;
		drop_behind(w, sfd, dfd, *off);
		if (ucp_run_stopping(w->run))
			return -ECANCELED;
	}
	return 0;
}

/*
 * Wait until fd is ready for events (POLLIN before a read of a stream
 * that may block, a FIFO, a pipe or a terminal; POLLOUT after a write
 * into a FIFO found no room), a tick at a time, so that an interrupt is
 * not held up until the other end acts. 0 (ready, or an error the call
 * will say), or -ECANCELED when the run stops.
 */
static int wait_ready(struct ucp_worker *w, int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int r = poll(&p, 1, 100);

		if (ucp_run_stopping(w->run))
			return -ECANCELED;
		if (r != 0)
			return 0;
	}
}

/*
 * After a failed write (errno) at off (-1: a stream): 1 to write again
 * (EINTR; a FIFO's EAGAIN once it has room), -ECANCELED once the run is
 * asked to stop, else -errno.
 */
static int write_again(struct ucp_worker *w, int dfd, off_t off)
{
	if (again_eintr(w))
		return 1;
	/* (A FIFO is written without blocking: open_in_place.) */
	if (errno == EAGAIN && off < 0)
		return wait_ready(w, dfd, POLLOUT) < 0 ? -ECANCELED : 1;
	return -errno;
}

/*
 * Write n bytes of w->buf to dfd at off (-1: where dfd is, without holes);
 * with zeros (--sparse=always) a block of zeros stays a hole. 0 or -errno.
 */
static int write_block(struct ucp_worker *w, int dfd, off_t off, ssize_t n,
		       bool zeros)
{
	bool holes = off >= 0 && zeros;
	ssize_t done = 0;

	while (done < n) {
		size_t run = (size_t)(n - done);
		ssize_t k;

		if (holes) {
			run = zero_run(w->buf + done, run);
			/*
			 * Zeros short of a block at the end (of the file: its
			 * size is set after, with ftruncate, as cp sets it):
			 * no block is allocated for them, nor, on XFS, a
			 * preallocation past them.
			 */
			if (run == 0 && n - done < HOLE_BLOCK &&
			    is_zero(w->buf + done, (size_t)(n - done)))
				run = (size_t)(n - done);
			if (run > 0) {
				done += (ssize_t)run;
				ucp_count(&w->cnt.bytes_done, run);
				continue;
			}
			run = data_run(w->buf + done, (size_t)(n - done));
		}
		k = off < 0 ? ucp_fault_write(dfd, w->buf + done, run)
			    : ucp_fault_pwrite(dfd, w->buf + done, run,
					       off + done);
		if (k < 0) {
			int again = write_again(w, dfd, off);

			if (again < 0)
				return again;
			continue;
		}
		done += k;
		ucp_count(&w->cnt.bytes_done, (uint64_t)k);
	}
	return 0;
}

/*
 * Calls of RWF_DONTCACHE I/O: an 8 GiB file, cold, timed to its sync, took
 * 11.7 s in calls of 128 KiB and 7.3 s in calls of 1 MiB (4 MiB: 7.5 s).
 */
#define UNCACHED_BUF ((size_t)1 << 20)

size_t ucp_plain_buf_size(const struct ucp_run *run)
{
	return run->cfg->no_cache ? UCP_MAX(run->chunk, UNCACHED_BUF)
				  : run->chunk;
}

/*
 * Whether an RWF_DONTCACHE call was refused (nothing was done): the flag
 * (EOPNOTSUPP, EINVAL), or preadv2 itself (ENOSYS, EPERM: a filter).
 */
static bool uncached_refused(int err)
{
	return err == EOPNOTSUPP || err == EINVAL || err == ENOSYS ||
	       err == EPERM;
}

/*
 * Write n bytes of w->buf at off with RWF_DONTCACHE; where the file
 * system refuses it, the worker stops asking and writes them the other
 * way. 0 or -errno.
 */
static int write_uncached(struct ucp_worker *w, int dfd, off_t off, ssize_t n)
{
	ssize_t done = 0;

	while (done < n) {
		struct iovec iov = { w->buf + done, (size_t)(n - done) };
		ssize_t k = ucp_fault_fail(UCP_FAULT_WRITE) < 0
				    ? -1
				    : pwritev2(dfd, &iov, 1, off + done,
					       RWF_DONTCACHE);

		if (k < 0 && again_eintr(w))
			continue;
		if (k < 0 && done == 0 && uncached_refused(errno)) {
			/* (Reading took it, writing does not.) */
			w->uncached_bad = true;
			return write_block(w, dfd, off, n,
					   w->run->cfg->sparse ==
						   UCP_SPARSE_ALWAYS);
		}
		if (k < 0)
			return -errno;
		done += k;
		ucp_count(&w->cnt.bytes_done, (uint64_t)k);
	}
	return 0;
}

/*
 * --no-cache, where the kernel and the file system take RWF_DONTCACHE
 * (Linux 6.14 and later): reads and writes through w->buf whose pages go
 * once written back (what was cached before stays), without waiting for
 * each window as drop_behind does. The first refusal (EOPNOTSUPP or
 * EINVAL, before anything is written) ends it for the worker, and the
 * rest goes the other way. Copies from *off for *len bytes, advancing
 * both; 0, 1 when the source ended early, or -errno.
 */
static int range_uncached(struct ucp_worker *w, int sfd, int dfd, off_t *off,
			  off_t *len, struct moved *m)
{
	while (*len > 0 && uncached(w)) {
		struct iovec iov = {
			w->buf, (size_t)UCP_MIN((off_t)UNCACHED_BUF, *len)
		};
		ssize_t n =
			ucp_fault_fail(UCP_FAULT_READ) < 0
				? -1
				: preadv2(sfd, &iov, 1, *off, RWF_DONTCACHE);
		int ret;

		if (n < 0 && again_eintr(w))
			continue;
		if (n < 0 && uncached_refused(errno)) {
			w->uncached_bad = true;
			break;
		}
		if (n < 0) {
			m->op = UCP_OP_READ;
			return -errno;
		}
		if (n == 0)
			return 1;
		ret = write_uncached(w, dfd, *off, n);
		if (ret < 0) {
			m->op = UCP_OP_WRITE;
			return ret;
		}
		m->how = w->uncached_bad ? "read/write"
					 : "read/write, RWF_DONTCACHE";
		*off += n;
		*len -= n;
		if (ucp_run_stopping(w->run))
			return -ECANCELED;
	}
	return 0;
}

/*
 * Read the next block at off (len: what is left; -1: a stream, read where
 * it is, once it has data): its size, 0 at the end, or -errno
 * (-ECANCELED: the run stopped while a stream had none).
 */
static ssize_t read_block(struct ucp_worker *w, int sfd, off_t off, off_t len)
{
	bool stream = len < 0;
	size_t want = stream ? w->run->chunk
			     : (size_t)UCP_MIN((off_t)w->run->chunk, len);

	for (;;) {
		ssize_t n;

		if (stream && wait_ready(w, sfd, POLLIN) < 0)
			return -ECANCELED;
		n = stream ? ucp_fault_read(sfd, w->buf, want)
			   : ucp_fault_pread(sfd, w->buf, want, off);
		if (n >= 0)
			return n;
		/* (A FIFO is read without blocking: open_src.) */
		if (!again_eintr(w) && !(stream && errno == EAGAIN))
			return -errno;
	}
}

/*
 * Give copy dfd its size end, holes having been left in it (a trailing one
 * too). A file system that cannot extend a file so (FAT through FUSE:
 * EPERM) gets the zeros written instead, as rsync without -S writes them.
 * w->buf is taken. 0 or -errno.
 */
static int set_size(struct ucp_worker *w, int dfd, off_t end)
{
	struct stat st;
	off_t at;
	int err;

	if (ftruncate(dfd, end) == 0)
		return 0;
	err = errno;
	if ((err != EPERM && err != EOPNOTSUPP && err != EINVAL) ||
	    fstat(dfd, &st) < 0 || st.st_size >= end)
		return -err;
	memset(w->buf, 0, w->run->chunk);
	for (at = st.st_size; at < end;) {
		ssize_t k = pwrite(
			dfd, w->buf,
			(size_t)UCP_MIN((off_t)w->run->chunk, end - at), at);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? -errno : -EIO;
		at += k;
	}
	return 0;
}

/*
 * Read and write len bytes at off through w->buf (same offsets); len -1:
 * a stream, read (not pread) to its end. 0, 1 when a file ended early, or
 * -errno with m->op the failed operation (-ECANCELED: the run stopped; a
 * stream read to its end after that is not whole for the user either).
 */
static int copy_blocks(struct ucp_worker *w, int sfd, int dfd, off_t off,
		       off_t len, struct moved *m)
{
	bool stream = len < 0;

	while (stream || len > 0) {
		ssize_t n = read_block(w, sfd, off, len);
		int ret;

		if (n < 0) {
			m->op = UCP_OP_READ;
			return (int)n;
		}
		if (n == 0 && stream && ucp_run_stopping(w->run))
			return -ECANCELED;
		/*
		 * At a stream's end, zero blocks it left as holes
		 * (--sparse=always) still count: the size is set.
		 */
		if (n == 0 && stream && !m->seq &&
		    w->run->cfg->sparse == UCP_SPARSE_ALWAYS &&
		    (ret = set_size(w, dfd, off)) < 0) {
			m->op = UCP_OP_WRITE;
			return ret;
		}
		if (n == 0)
			return stream ? 0 : 1;
		ret = write_block(w, dfd, m->seq ? -1 : off, n,
				  m->zeros || w->run->cfg->sparse ==
						      UCP_SPARSE_ALWAYS);
		if (ret < 0) {
			m->op = UCP_OP_WRITE;
			return ret;
		}
		off += n;
		if (!stream) {
			len -= n;
			drop_behind(w, sfd, dfd, off);
		}
		if (ucp_run_stopping(w->run))
			return -ECANCELED;
	}
	return 0;
}

/*
 * Copy len bytes at off from sfd to dfd (same offsets): copy_file_range
 * where it works, else read and write through w->buf. Returns 0, 1 when
 * the source ended early, or -errno with *op the failed operation.
 */
static int copy_range(struct ucp_worker *w, int sfd, int dfd, off_t off,
		      off_t len, struct moved *m)
{
	int ret = range_uncached(w, sfd, dfd, &off, &len, m);

	if (ret == 0)
		ret = range_by_cfr(w, sfd, dfd, &off, &len, m);
	if (ret != 0)
		return ret;
	if (len > 0)
		m->how = w->run->cfg->sparse == UCP_SPARSE_ALWAYS
				 ? "read/write, zero blocks as holes"
			 : w->behind < 0 ? "read/write"
					 : "read/write, written back behind";
	return copy_blocks(w, sfd, dfd, off, len, m);
}

bool ucp_plain_cfr_usable(const struct ucp_worker *w)
{
	const struct ucp_config *cfg = w->run->cfg;

	return !w->cfr_bad && cfg->reflink != UCP_REFLINK_NEVER &&
	       cfg->sparse != UCP_SPARSE_ALWAYS;
}

bool ucp_plain_is_sparse(const struct ucp_run *run, const struct stat *st)
{
	/* cp's heuristic: fewer blocks allocated than the size needs. */
	return run->cfg->sparse != UCP_SPARSE_NEVER && st->st_size > 0 &&
	       (off_t)st->st_blocks * 512 < st->st_size;
}

bool ucp_plain_wants_syscalls(const struct ucp_run *run, const struct stat *st)
{
	return ucp_plain_is_sparse(run, st) || run->cfg->no_cache ||
	       run->cfg->reflink == UCP_REFLINK_ALWAYS ||
	       run->cfg->sparse == UCP_SPARSE_ALWAYS;
}

/*
 * A file that looks sparse where its file system shows no holes (no
 * SEEK_DATA, or one extent over the whole file: FUSE's ntfs-3g, NFSv3):
 * read whole, its blocks of zeros made holes, as cp finds them. (A file
 * compressed on btrfs looks so too: its zeros become holes, its data is
 * the same.)
 */
static int copy_zero_holes(struct ucp_worker *w, int sfd, int dfd, off_t end,
			   struct moved *m)
{
	int ret;

	m->zeros = true;
	ret = copy_blocks(w, sfd, dfd, 0, end, m);
	m->zeros = false;
	m->how = "sparse: no holes shown, zero blocks as holes";
	if (ret == 0 && (ret = set_size(w, dfd, end)) < 0)
		m->op = UCP_OP_WRITE;
	return ret;
}

/*
 * Copy only the data extents of a sparse file (SEEK_DATA/SEEK_HOLE), so
 * holes stay holes, then set the size, which also keeps a trailing hole.
 */
static int copy_sparse(struct ucp_worker *w, int sfd, int dfd,
		       const struct stat *st, struct moved *m)
{
	off_t pos = 0, end = st->st_size, data, hole;
	int ret;

	while (pos < end) {
		data = lseek(sfd, pos, SEEK_DATA);
		if (data < 0 && errno == ENXIO)
			break; /* only a hole is left */
		if (data < 0 && pos == 0)
			return copy_zero_holes(w, sfd, dfd, end, m);
		if (data < 0) /* (the map lost on the way: the rest whole) */
			return copy_range(w, sfd, dfd, pos, end - pos, m);
		if (data >= end)
			break;
		hole = lseek(sfd, data, SEEK_HOLE);
		if (hole < 0 || hole > end)
			hole = end;
		if (data == 0 && hole == end && ucp_plain_shows_no_holes(sfd))
			return copy_zero_holes(w, sfd, dfd, end, m);
		ucp_count(&w->cnt.bytes_done, (uint64_t)(data - pos));
		ret = copy_range(w, sfd, dfd, data, hole - data, m);
		if (ret != 0)
			return ret;
		pos = hole;
	}
	ucp_count(&w->cnt.bytes_done, (uint64_t)(end - pos));
	m->how = m->how && strncmp(m->how, "copy_file_range", 15) == 0
			 ? "sparse: SEEK_DATA extents, copy_file_range"
			 : "sparse: SEEK_DATA extents, read/write";
	ret = set_size(w, dfd, end);
	if (ret < 0)
		m->op = UCP_OP_WRITE;
	return ret;
}

/*
 * A FIFO's or a device's data (cp without -r): read to the end, whatever
 * the size said, and written one block after another. 0 or -errno.
 */
static int copy_stream(struct ucp_worker *w, int sfd, int dfd, struct moved *m)
{
	m->how = "read/write, to the end of the stream";
	return copy_blocks(w, sfd, dfd, 0, -1, m);
}

/* Copy st->st_size bytes; 0, 1 when the file shrank, or -errno (m->op). */
static int copy_data_once(struct ucp_worker *w, int sfd, int dfd,
			  const struct stat *st, struct moved *m)
{
	int ret;

	if (!S_ISREG(st->st_mode) || m->stream)
		return copy_stream(w, sfd, dfd, m);
	if (ucp_plain_is_sparse(w->run, st))
		return copy_sparse(w, sfd, dfd, st, m);
	ret = copy_range(w, sfd, dfd, 0, st->st_size, m);
	/* Zero blocks were skipped: the size must still come out right. */
	if (ret == 0 && w->run->cfg->sparse == UCP_SPARSE_ALWAYS &&
	    (ret = set_size(w, dfd, st->st_size)) < 0)
		m->op = UCP_OP_WRITE;
	return ret;
}

/*
 * Files this large are looked at again after their copy (one fstat): a
 * copy of several calls could otherwise mix old and new data of a file
 * that someone rewrote or truncated meanwhile. Smaller ones are read in
 * one call.
 */
#define CHECK_AFTER ((off_t)1 << 20)
/* Copies again of a file that changed, before giving up on it. */
#define CHANGED_RETRIES 2

static bool same_file_state(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	       a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

#ifdef UCP_TEST_HOOKS
atomic_bool ucp_test_plain_stop_before_data;
atomic_bool ucp_test_stop_before_open;

static void test_stop_before_data(const struct stat *st)
{
	if (st->st_size >= CHECK_AFTER &&
	    atomic_exchange(&ucp_test_plain_stop_before_data, false))
		(void)raise(SIGSTOP);
}
#else
static void test_stop_before_data(const struct stat *st)
{
	(void)st;
}
#endif

/*
 * Copy the data of sfd into dfd; a source that changed during the copy
 * (size or ctime) is copied again from the start, up to CHANGED_RETRIES
 * times. 0, 1 when it kept changing (or ended early: the caller reports
 * it), or -errno with m->op.
 */
static int copy_data(struct ucp_worker *w, int sfd, int dfd,
		     const struct stat *st, struct moved *m)
{
	struct stat cur = *st, now;
	int ret, tries;

	test_stop_before_data(st);
	for (tries = 0;; tries++) {
		w->dropped = 0;
		behind_start(w, sfd, &cur);
		ret = copy_data_once(w, sfd, dfd, &cur, m);
		/* (What went into a device or FIFO cannot be taken back.) */
		if (ret < 0 || m->seq ||
		    (ret == 0 && cur.st_size < CHECK_AFTER))
			return ret;
		if (fstat(sfd, &now) < 0)
			return ret;
		if (ret == 0 && same_file_state(&cur, &now) &&
		    ucp_fault(UCP_FAULT_CHANGED) == 0) {
			/* The copy is of the file as it is now: its
			 * attributes are these, not the first look's. */
			m->again = tries > 0;
			m->now = now;
			return ret;
		}
		if (tries == CHANGED_RETRIES || ucp_run_stopping(w->run))
			return 1;
		if (ftruncate(dfd, 0) < 0) {
			m->op = UCP_OP_WRITE;
			return -errno;
		}
		cur = now;
	}
}

/*
 * Clone, or else copy, the data, a big file shown on the progress line
 * meanwhile. A clone that failed (reported already) leaves *clone_err
 * set to its -errno; otherwise what copy_data returns, or 0 for a clone.
 */
static int clone_or_copy(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname, int sfd, int dfd,
			 const struct stat *st, struct moved *m, int *clone_err)
{
	bool big = (uint64_t)st->st_size >= UCP_CURRENT_MIN;
	int ret;

	if (big)
		ucp_current_set(&w->current, w, ucp_dir_path(d, false, sname),
				(uint64_t)st->st_size);
	ret = ucp_plain_clone(w, d, dname, sfd, dfd, st);
	*clone_err = ret < 0 ? ret : 0;
	if (ret == 0)
		m->how = "reflink";
	else if (ret == 1)
		ret = copy_data(w, sfd, dfd, st, m);
	if (ret >= 0)
		drop_rest(w, sfd, dfd, st->st_size);
	if (big)
		ucp_current_clear(&w->current, w);
	return ret;
}

/* The whole of a small source, read already (ucp_plain_file_cached). */
struct prefetch {
	const char *buf;
	size_t len;
};

/* Write all of pre at the start of dfd: 0 or -errno. */
static int write_all(struct ucp_worker *w, int dfd, const struct prefetch *pre)
{
	size_t done = 0;

	while (done < pre->len) {
		ssize_t k = ucp_fault_pwrite(dfd, pre->buf + done,
					     pre->len - done, (off_t)done);

		if (k < 0 && again_eintr(w))
			continue;
		if (k < 0)
			return -errno;
		done += (size_t)k;
		ucp_count(&w->cnt.bytes_done, (uint64_t)k);
	}
	return 0;
}

/*
 * The stat whose attributes a copy whose data was written gets (m: how it
 * moved; *fl may gain FILL_EXISTING; marked: room for a changed one).
 */
static const struct stat *meta_source(struct ucp_worker *w,
				      const struct stat *st,
				      const struct moved *m, unsigned *fl,
				      struct stat *marked)
{
	/*
	 * A mirror's copy that keeps what was read of a source that kept
	 * changing is marked unfinished by its time, a second (and the
	 * modify window) before the source's: the source's own time may
	 * have been put back (a torn file's case), and the next run must
	 * copy it again.
	 */
	if (m->torn) {
		if (!w->run->sync)
			return st;
		*marked = *st;
		ucp_meta_mark_unfinished(&w->run->meta, &marked->st_mtim);
		return marked;
	}
	/*
	 * Copied again, of a file that changed: its attributes now; a mode
	 * that changed too is set whatever creation gave (as over a file
	 * that was there).
	 */
	if (m->again) {
		if ((m->now.st_mode ^ st->st_mode) & 07777)
			*fl |= FILL_EXISTING;
		return &m->now;
	}
	return st;
}

/*
 * Fill dfd (already created) from sfd (or from pre, when not NULL), give it the
 * source's metadata while both are open, and close dfd. On failure to copy the
 * data the caller removes the destination. Returns 0 or the -errno it reported
 * (-ESTALE: said as a file that changed); *mret gets the result of keeping the
 * metadata (0 when the data failed), and *how the way the data moved (--debug),
 * or NULL. fl: FILL_*.
 */
/*
 * --sync --inplace: the file rewritten ends where the source does, as
 * rsync cuts it: another writer that made it longer meanwhile left its
 * tail after the copy, a file of neither version. 0 or -errno (m->op).
 */
static int inplace_cut(int dfd, const struct stat *st, struct moved *m)
{
	struct stat now;

	if (fstat(dfd, &now) < 0 || now.st_size <= st->st_size)
		return 0;
	if (ftruncate(dfd, st->st_size) == 0)
		return 0;
	m->op = UCP_OP_WRITE;
	return -errno;
}

static int fill_and_close(struct ucp_worker *w, struct ucp_dir *d,
			  const char *sname, const char *dname, int sfd,
			  int dfd, const struct stat *st,
			  const struct prefetch *pre, unsigned fl, int *mret,
			  const char **how)
{
	bool node = fl & FILL_NODE;
	struct moved m = { .op = UCP_OP_WRITE,
			   .stream = d->sizes_lie || node,
			   .seq = node };
	struct stat marked;
	int ret;

	*mret = 0;
	if (pre) {
		ret = write_all(w, dfd, pre);
		m.how = "read/write, from the page cache";
	} else if (node && w->run->cfg->reflink != UCP_REFLINK_ALWAYS) {
		ret = copy_data(w, sfd, dfd, st, &m);
	} else {
		/* (--reflink=always into a device or FIFO: the clone fails,
		 * and says so, as cp's does.) */
		int clone_err;

		ret = clone_or_copy(w, d, sname, dname, sfd, dfd, st, &m,
				    &clone_err);
		if (clone_err < 0) {
			(void)close(dfd);
			return clone_err;
		}
	}
	*how = m.how;
	if (ret == 1) {
		ucp_report(w, d, sname, false, UCP_OP_CHANGED, 0);
		ret = (fl & FILL_KEEP_OLD) ? -ESTALE : 0;
		m.torn = true;
	}
	if (ret == 0)
		st = meta_source(w, st, &m, &fl, &marked);
	if (ret == 0 && !node && (fl & FILL_EXISTING) && w->run->sync)
		ret = inplace_cut(dfd, st, &m);
	if (ret == 0 && !node)
		*mret = meta_of(
			w, d, sname, dname, dname, st, sfd, dfd,
			fl & (FILL_EXISTING | FILL_OWNER_SET | FILL_NEW));
	/* --fsync: the data is on disk before the name points at it. */
	if (ret == 0 && w->run->cfg->sync.fsync &&
	    (ucp_fault_fail(UCP_FAULT_FSYNC) < 0 || fsync(dfd) < 0)) {
		m.op = UCP_OP_FSYNC;
		ret = -errno;
	}
	if (ucp_fault_close(dfd) < 0 && ret == 0) {
		m.op = UCP_OP_CLOSE;
		ret = -errno;
	}
	/* (-ECANCELED: the run is stopping; from a call, it is an error.) */
	if (ret < 0 && ret != -ESTALE &&
	    !(ret == -ECANCELED && ucp_run_stopping(w->run)))
		ucp_report(w, d, m.op == UCP_OP_READ ? sname : dname,
			   m.op != UCP_OP_READ, m.op, -ret);
	return ret;
}

static int replace(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st, int sfd);

/*
 * Copy open source sfd (stat st) to dname and close sfd; pre, when not
 * NULL, holds all of its data already. claim: the file's hard-link group
 * is claimed first (not when the caller owns it).
 */
static int file_from(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		     const char *dname, int sfd, const struct stat *st,
		     const struct prefetch *pre, bool claim)
{
	bool owner = false;
	const char *how = NULL;
	int dfd, mret, ret = 0;

	w->kept = false;
	/* (A file copied here is a new name, whatever the mode.) */
	if (claim &&
	    ucp_plain_link_claim(w, d, dname, st, UCP_CH_NEW, true, &owner)) {
		(void)close(sfd);
		return UCP_PLAIN_LINKED;
	}
	dfd = ucp_fault_fail(UCP_FAULT_CREATE) < 0
		      ? -1
		      : openat(d->dst_fd, dname,
			       O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
				       O_NOCTTY,
			       ucp_plain_create_mode(w->run, d, st->st_mode));
	if (dfd < 0) {
		ret = -errno;
		if (ret == -EEXIST) {
			ret = replace(w, d, sname, dname, st, sfd);
			sfd = -1; /* (closed there) */
		} else {
			ucp_report(w, d, dname, true, UCP_OP_CREATE, -ret);
		}
		goto out;
	}
	/* A metadata failure is reported, and the copy is still made. */
	ret = fill_and_close(w, d, sname, dname, sfd, dfd, st, pre, FILL_NEW,
			     &mret, &how);
	if (ret < 0) {
		/* Never leave a partial file under its final name. */
		(void)unlinkat(d->dst_fd, dname, 0);
		goto out;
	}
	ucp_file_done(&w->cnt);
	ucp_report_copied(w, d, sname, dname, how);
out:
	/* (A file -n kept is no copy: the group's next name makes one.) */
	if (owner)
		ucp_plain_link_finish(w, st, ret == 0 && !w->kept);
	if (sfd >= 0)
		(void)close(sfd);
	return ret;
}

static int plain_file(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st, bool owned)
{
	struct stat sst;
	int sfd;

	sfd = open_src(w, d, sname, st, &sst);
	if (sfd < 0)
		return sfd;
	if (!st) {
		if (!owned && ucp_sched_hand_over(w, d, sname, dname, &sst)) {
			(void)close(sfd);
			return UCP_PLAIN_HANDED;
		}
		ucp_count(&w->cnt.bytes_found, (uint64_t)sst.st_size);
	} else if (sst.st_size != st->st_size) {
		/* (Counted as st said: the size is the file's now.) */
		ucp_count(&w->cnt.bytes_found,
			  (uint64_t)sst.st_size - (uint64_t)st->st_size);
	}
	/*
	 * What goes on is the file opened: a file removed and made anew
	 * since st was taken may have the old one's inode number (which
	 * open_src checks), not its owner, mode or size.
	 */
	return file_from(w, d, sname, dname, sfd, &sst, NULL, !owned);
}

int ucp_plain_file(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st)
{
	return plain_file(w, d, sname, dname, st, false);
}

int ucp_plain_file_owned(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st)
{
	return plain_file(w, d, sname, dname, st, true);
}

/*
 * Whether the first and last bytes of a big file read without waiting:
 * then the rest most likely does too (a file read or written whole).
 */
static bool looks_cached(struct ucp_worker *w, int sfd, const struct stat *st)
{
	struct iovec iov = { w->buf, 1 };

	return ucp_fault_fail(UCP_FAULT_CACHED) == 0 &&
	       preadv2(sfd, &iov, 1, 0, RWF_NOWAIT) == 1 &&
	       preadv2(sfd, &iov, 1, st->st_size - 1, RWF_NOWAIT) == 1;
}

/*
 * The shortcut's luck. After a run of files whose name or data was not in
 * memory, the next ones most likely are not either (a tree listed but not
 * read, or a cold one): the shortcut is skipped for a while, twice as long
 * each time a try after a skip misses again, so that such a tree costs the
 * ring's time and not the shortcut's syscalls on top (30,000 small files
 * listed but not read, to tmpfs: 0.58 s with every file tried, 0.37 s
 * with the ring alone). A file the shortcut copies starts over.
 */
#define CACHED_MISSES 8u     /* in a row, before the first skip */
#define CACHED_SKIP_MAX 512u /* files, at most, in one skip */

static bool cached_skipped(struct ucp_worker *w)
{
	if (w->cached.skip == 0)
		return false;
	w->cached.skip--;
	return true;
}

static void cached_missed(struct ucp_worker *w)
{
	if (++w->cached.misses < CACHED_MISSES)
		return;
	w->cached.backoff = w->cached.backoff ? UCP_MIN(2 * w->cached.backoff,
							CACHED_SKIP_MAX)
					      : CACHED_MISSES;
	w->cached.skip = w->cached.backoff;
	/* One more miss after the skip skips again, for longer. */
	w->cached.misses = CACHED_MISSES - 1;
}

static void cached_hit(struct ucp_worker *w)
{
	w->cached.misses = 0;
	w->cached.backoff = 0;
}

int ucp_plain_file_cached(struct ucp_worker *w, struct ucp_dir *d,
			  const char *sname, const char *dname, int *out,
			  struct stat *stp)
{
	/* (O_NONBLOCK: a FIFO that took the name since readdir must not
	 * hang the open; regular files ignore it.) */
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
			 (d->follow ? 0 : O_NOFOLLOW),
		.resolve = RESOLVE_CACHED,
	};
	struct prefetch pre = { .buf = w->buf, .len = 0 };
	struct stat st;
	int sfd;

	*out = -1;
	if (w->no_cached || cached_skipped(w))
		return 1;
	sfd = (int)syscall(SYS_openat2, d->src_fd, sname, &how, sizeof(how));
	if (sfd < 0) {
		/*
		 * EAGAIN: not in the dentry cache. Anything else the ring
		 * finds again and reports; a kernel or filter without
		 * RESOLVE_CACHED (EINVAL, ENOSYS, EPERM) ends the shortcut.
		 */
		if (errno == EINVAL || errno == ENOSYS || errno == EPERM)
			w->no_cached = true;
		else if (errno == EAGAIN)
			cached_missed(w);
		return 1;
	}
	if (fstat(sfd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    ucp_plain_wants_syscalls(w->run, &st))
		goto ring;
	if (st.st_size > (off_t)w->run->chunk) {
		/*
		 * Where the ring would hand it to copy_file_range anyway, or
		 * where its data looks in memory: a read/write loop then beats
		 * the ring's chunks (hot mixed tree to tmpfs: 0.64 -> 0.51 s).
		 */
		if (!ucp_plain_cfr_usable(w) && !looks_cached(w, sfd, &st))
			goto missed;
		cached_hit(w);
		if (ucp_sched_hand_over(w, d, sname, dname, &st)) {
			(void)close(sfd);
			return UCP_PLAIN_HANDED;
		}
		ucp_count(&w->cnt.bytes_found, (uint64_t)st.st_size);
		return file_from(w, d, sname, dname, sfd, &st, NULL, true);
	}
	if (st.st_size > 0) {
		struct iovec iov = { w->buf, (size_t)st.st_size };
		ssize_t n = ucp_fault_fail(UCP_FAULT_CACHED) < 0
				    ? -1
				    : preadv2(sfd, &iov, 1, 0, RWF_NOWAIT);

		/* EAGAIN or short: some of it is on disk; the ring waits
		 * for it without stopping this thread. */
		if (n != st.st_size)
			goto missed;
		pre.len = (size_t)n;
	}
	cached_hit(w);
	ucp_count(&w->cnt.bytes_found, (uint64_t)st.st_size);
	return file_from(w, d, sname, dname, sfd, &st, &pre, true);
missed:
	cached_missed(w);
	*stp = st;
	sfd = ring_fd(sfd);
	if (sfd >= 0)
		*out = sfd;
	return 1;
ring:
	(void)close(sfd);
	return 1;
}

/* -i: 0 to replace dname, 1 to keep it (answer no, or nobody to ask). */
static int ask_overwrite(struct ucp_worker *w, struct ucp_dir *d,
			 const char *dname, const struct stat *sst)
{
	const struct ucp_events *ev = w->run->ev;
	char *path = ucp_dir_path(d, true, dname);
	int r = path && ev->ask_overwrite ? ev->ask_overwrite(ev->arg, path)
					  : 0;

	free(path);
	if (r < 0)
		ucp_report(w, d, dname, true, UCP_OP_NOT_OVERWRITTEN, -r);
	if (r == 0) { /* no: kept, as -n keeps it */
		ucp_count(&w->cnt.skipped, 1);
		ucp_settle_bytes(&w->cnt, S_ISREG(sst->st_mode), sst->st_size);
	}
	return r > 0 ? 0 : 1;
}

/*
 * Whether dname of d's copy, the same inode as source sname (stat sst),
 * is another name of it, not the source's own entry, where
 * --remove-destination or a backup would replace it (plan.h): not the
 * same name in the same directory (a symbolic link followed, -L, or a
 * mount may make the two directories one). Looked at only then.
 */
static bool other_name(const struct ucp_worker *w, const struct ucp_dir *d,
		       const char *sname, const char *dname,
		       const struct stat *sst, const struct stat *dst)
{
	const struct ucp_config *cfg = w->run->cfg;
	struct stat a, b;

	if ((!cfg->remove_destination && cfg->backup == UCP_BACKUP_NONE) ||
	    sst->st_dev != dst->st_dev || sst->st_ino != dst->st_ino ||
	    S_ISDIR(dst->st_mode))
		return false;
	/* (When it cannot tell: the same, the safe answer.) */
	if (d->src_fd < 0 || d->dst_fd < 0 || fstat(d->src_fd, &a) < 0 ||
	    fstat(d->dst_fd, &b) < 0)
		return false;
	return a.st_dev != b.st_dev || a.st_ino != b.st_ino ||
	       strcmp(sname, dname) != 0;
}

/*
 * Check that an existing destination may be replaced by a non-directory
 * copy of the source (stat sst): the planner's cp rows. Returns 0 with
 * *dst filled (and *act, when not NULL, REPLACE or INPLACE), 1 when -n
 * or -u keep it, or the -errno it reported (-EEXIST for "same file",
 * -EISDIR for a directory).
 */
static int check_replace_act(struct ucp_worker *w, struct ucp_dir *d,
			     const char *sname, const char *dname,
			     const struct stat *sst, struct stat *dst,
			     enum ucp_act *act)
{
	struct ucp_plan_in in = { .mode = UCP_PLAN_CP,
				  .src = sst,
				  .dst = dst,
				  .mirror = w->run->sync != NULL };
	struct ucp_plan p;
	int ret;

	/*
	 * In a directory this run made, nothing was there: a name taken
	 * since is another source's that the file system takes for the same
	 * (a case-insensitive one: 'File' and 'file'). Not replaced, as cp
	 * says "File exists" (a mirror replaces it, as rsync). Not with
	 * --parents, whose operands share the directories they make.
	 */
	if (d->created && !w->run->sync && !w->run->cfg->parents) {
		const struct ucp_config *cfg = w->run->cfg;
		bool reg = S_ISREG(sst->st_mode);

		ucp_report(w, d, dname, true,
			   cfg->symbolic_link	   ? UCP_OP_SYMLINK
			   : cfg->hard_link && reg ? UCP_OP_LINK
			   : reg		   ? UCP_OP_CREATE
			   : S_ISLNK(sst->st_mode) ? UCP_OP_SYMLINK
						   : UCP_OP_MKNOD,
			   EEXIST);
		return -EEXIST;
	}
	if (fstatat(d->dst_fd, dname, dst,
		    d->dst_through ? 0 : AT_SYMLINK_NOFOLLOW) < 0) {
		ret = -errno;
		ucp_report(w, d, dname, true, UCP_OP_STAT, -ret);
		return ret;
	}
	in.other_name = other_name(w, d, sname, dname, sst, dst);
	ucp_plan(w->run->cfg, &in, &p);
	w->row = p.row;
	switch (p.act) {
	case UCP_ACT_SKIP:
		ucp_count(&w->cnt.skipped, 1);
		ucp_settle_bytes(&w->cnt, S_ISREG(sst->st_mode), sst->st_size);
		w->kept = true;
		return 1;
	case UCP_ACT_NONDIR_OVER_DIR:
		ucp_report2(w, d, sname, dname, UCP_OP_NONDIR_OVER_DIR);
		return -EISDIR;
	case UCP_ACT_SAME_FILE:
		ucp_report2(w, d, sname, dname, UCP_OP_SAME_FILE);
		return -EEXIST;
	case UCP_ACT_ASK:
		ret = ask_overwrite(w, d, dname, sst);
		w->kept = ret == 1;
		if (ret != 0)
			return ret;
		in.asked = true;
		ucp_plan(w->run->cfg, &in, &p);
		w->row = p.row;
		break;
	default:
		break;
	}
	if (act)
		*act = p.act;
	return 0;
}

static int check_replace(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *sst, struct stat *dst)
{
	return check_replace_act(w, d, sname, dname, sst, dst, NULL);
}

/*
 * The highest N of the numbered backups "dname.~N~" in d, as its digits
 * (of any length, as cp counts them), into best (NAME_MAX + 2 bytes), or
 * "" where there is none.
 */
static void last_backup(int dirfd, const char *dname, char *best, int *err)
{
	size_t len = strlen(dname), n, top = 0;
	struct dirent *e;
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);

	*err = 0;
	best[0] = '\0';
	if (!dir) {
		/* (Unlisted, the numbers there are not known: no guess.) */
		*err = errno;
		if (fd >= 0)
			(void)close(fd);
		return;
	}
	while ((e = readdir(dir))) {
		const char *p = e->d_name, *digits = p + len + 2;

		if (strncmp(p, dname, len) != 0 ||
		    strncmp(p + len, ".~", 2) != 0 || digits[0] < '1' ||
		    digits[0] > '9')
			continue;
		n = strspn(digits, "0123456789");
		/* (Longer is higher; of one length, the later in order.) */
		if (strcmp(digits + n, "~") == 0 &&
		    (n > top || (n == top && memcmp(digits, best, n) > 0))) {
			memcpy(best, digits, n);
			best[n] = '\0';
			top = n;
		}
	}
	closedir(dir);
}

/* digits (room for one more) plus one, in decimal: "" gives "1". */
static void next_number(char *digits)
{
	size_t i = strlen(digits);

	while (i > 0 && digits[i - 1] == '9')
		digits[--i] = '0';
	if (i > 0) {
		digits[i - 1]++;
		return;
	}
	memmove(digits + 1, digits, strlen(digits) + 1);
	digits[0] = '1';
}

/*
 * Whether this user could remove a second name made for dname in d: not
 * in a sticky directory (/tmp) where neither dname nor the directory is
 * the user's (the kernel refuses it).
 */
static bool second_name_removable(const struct ucp_run *run,
				  const struct ucp_dir *d, const char *dname)
{
	struct stat dir, st;

	if (run->meta.euid == 0 || fstat(d->dst_fd, &dir) < 0 ||
	    !(dir.st_mode & S_ISVTX) || dir.st_uid == run->meta.euid)
		return true;
	return fstatat(d->dst_fd, dname, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       st.st_uid == run->meta.euid;
}

/*
 * --backup: keep the existing dname under its backup name. A hard link is
 * made first, so dname never disappears even for a moment; where links
 * are not possible, dname is renamed. A link this user could not remove
 * again (another's file in a sticky directory) is not made: a failed
 * backup would leave it behind. Returns 0 or the -errno reported.
 */
static int make_backup(struct ucp_worker *w, struct ucp_dir *d,
		       const char *dname)
{
	const struct ucp_config *cfg = w->run->cfg;
	const char *suffix = cfg->backup_suffix ? cfg->backup_suffix : "~";
	char tmp[UCP_TMP_NAME_MAX], *name = NULL, n[NAME_MAX + 2] = "";
	bool numbered;
	int len, err;

	if (cfg->backup != UCP_BACKUP_SIMPLE) {
		last_backup(d->dst_fd, dname, n, &err);
		/*
		 * A directory that cannot be listed (a drop box): its
		 * numbers are not known, so no numbered backup; "existing"
		 * makes a simple one, as with none there.
		 */
		if (err && cfg->backup == UCP_BACKUP_NUMBERED) {
			ucp_report(w, d, dname, true, UCP_OP_BACKUP, err);
			return -err;
		}
	}
	numbered = cfg->backup == UCP_BACKUP_NUMBERED || n[0];
	next_number(n);
	/*
	 * (A numbered name past NAME_MAX where the simple one fits: the
	 * simple one, as cp makes it.)
	 */
	if (numbered && strlen(dname) + strlen(n) + 3 > NAME_MAX &&
	    strlen(dname) + strlen(suffix) <= NAME_MAX)
		numbered = false;
	/*
	 * (A simple name past NAME_MAX ends in '~' where it is cut, as cp
	 * makes it: a 255-byte name's backup is its first 254 bytes and '~'.)
	 */
	if (numbered)
		len = asprintf(&name, "%s.~%s~", dname, n);
	else if ((name = ucp_path_backup(dname, dname, strlen(dname), suffix)))
		len = (int)strlen(name);
	else
		len = -1;
	if (len < 0) {
		ucp_report(w, d, dname, true, UCP_OP_BACKUP, ENOMEM);
		return -ENOMEM;
	}
	/* (Named whole in the message: cut, it would read as dname.) */
	if (len > NAME_MAX) {
		err = ENAMETOOLONG;
		goto fail;
	}
	ucp_plain_tmpname(w->run, tmp);
	if (second_name_removable(w->run, d, dname) &&
	    linkat(d->dst_fd, dname, d->dst_fd, tmp, 0) == 0) {
		/* (A numbered backup never takes an older one's name.) */
		err = numbered ? -ucp_tmp_commit_new(d->dst_fd, tmp, name)
			       : -ucp_tmp_commit(d->dst_fd, tmp, name);
		if (err && numbered)
			ucp_tmp_abort(d->dst_fd, tmp);
		if (err)
			goto fail;
	} else if (renameat(d->dst_fd, dname, d->dst_fd, name) < 0) {
		err = errno;
		goto fail;
	}
	/* For the -v line: "(backup: 'dname~')". */
	memcpy(w->backup, name, (size_t)len + 1);
	free(name);
	return 0;
fail:
	ucp_report2_dst(w, d, dname, name, UCP_OP_BACKUP, err);
	free(name);
	return -err;
}

/* Rename temporary tmp over dname, or remove it. Returns 0 or -errno. */
static int commit_tmp(struct ucp_worker *w, struct ucp_dir *d, const char *tmp,
		      const char *dname, int ret)
{
	if (ret == 0 && w->run->cfg->backup != UCP_BACKUP_NONE)
		ret = make_backup(w, d, dname);
	if (ret < 0) {
		ucp_tmp_abort(d->dst_fd, tmp);
		return ret;
	}
	ret = ucp_tmp_commit(d->dst_fd, tmp, dname);
	if (ret < 0)
		ucp_report(w, d, dname, true, UCP_OP_RENAME, -ret);
	return ret;
}

static int rewrite(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st,
		   const struct stat *dst, int sfd, int dfd);
static int inplace(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st,
		   const struct stat *dst, const struct stat *force, int sfd);

/*
 * The source of a replacement: sfd when the caller has it open already (a
 * FIFO's data cannot be had by a second open once its writer is gone), or
 * sname opened here, checked to be the file *st describes, whose own stat
 * (into *got) *st then points to: a file removed and made anew since may
 * have the old one's inode number, not its owner, mode or size. -1 when
 * the open failed (reported).
 */
static int src_of(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		  const struct stat **st, struct stat *got, int sfd)
{
	if (sfd >= 0)
		return sfd;
	sfd = open_src(w, d, sname, *st, got);
	if (sfd < 0) {
		errno = -sfd;
		return -1;
	}
	*st = got;
	return sfd;
}

/*
 * Whether cp would write into the existing file dst: cp mode, a regular
 * file, and nothing that makes cp unlink it first (--remove-destination, a
 * backup, or kept hard links parting a file that has others). The
 * replacement then behaves as that write would (cp_replace_check,
 * cp_take_over); otherwise it is a new file, as cp's is.
 */
static bool cp_writes_into(const struct ucp_run *run, const struct stat *dst)
{
	const struct ucp_config *cfg = run->cfg;

	return dst && S_ISREG(dst->st_mode) && !run->sync &&
	       !cfg->remove_destination && cfg->backup == UCP_BACKUP_NONE &&
	       !((cfg->preserve & UCP_PRESERVE_LINKS) && dst->st_nlink > 1);
}

/*
 * cp would write into dst (cp_writes_into), keeping its owner, group,
 * mode, ACL and attributes. Before the temporary is made: 0 to go on, 1 to
 * rewrite in place instead (a user who cannot give a new file the old
 * one's owner, and may write the old one), or the -errno reported (a file
 * the user may not write, without -f: cp's open fails). *writable: the
 * user may write dst.
 */
static int cp_replace_check(struct ucp_worker *w, struct ucp_dir *d,
			    const char *dname, const struct stat *dst,
			    bool *writable)
{
	const struct ucp_run *run = w->run;

	*writable = true;
	if (run->meta.euid == 0)
		return 0;
	if (faccessat(d->dst_fd, dname, W_OK, AT_EACCESS) == 0)
		return dst->st_uid != run->meta.euid;
	*writable = false;
	if (errno == EACCES && !run->cfg->force) {
		ucp_report(w, d, dname, true, UCP_OP_CREATE, EACCES);
		return -EACCES;
	}
	return 0; /* (-f: replaced, as cp -f unlinks it) */
}

/*
 * ... and once the temporary dfd is made: the old file's owner and group
 * (unless the source's are kept), and its attributes (its ACL unless the
 * source's mode is kept). 0, or 1 when a user cannot give it the old
 * group, or an attribute (a security.* label), but may write the old
 * file: rewrite in place instead; or -errno
 * (reported) when an ACL it inherited, which the old file has not, cannot
 * be taken away: it does not replace the file.
 */
static int cp_take_over(struct ucp_worker *w, struct ucp_dir *d,
			const char *dname, const struct stat *dst, int dfd,
			bool writable)
{
	const struct ucp_run *run = w->run;
	unsigned keep = run->cfg->preserve;
	int ret;

	if (!(keep & UCP_PRESERVE_OWNERSHIP)) {
		if (run->meta.euid == 0 &&
		    fchown(dfd, dst->st_uid, dst->st_gid) < 0)
			ucp_report(w, d, dname, true, UCP_OP_CHOWN, errno);
		else if (run->meta.euid != 0 && dst->st_gid != run->meta.egid &&
			 fchown(dfd, (uid_t)-1, dst->st_gid) < 0 && writable)
			return 1;
	}
	/*
	 * (Its ACL, none included: a default ACL of the directory gave the
	 * temporary one that cp's file, written into, never gets.)
	 */
	ret = ucp_meta_inherit_xattrs(
		d->dst_fd, dname, dfd, !(keep & UCP_PRESERVE_MODE),
		ucp_plain_dst_facts(d) & UCP_DST_DEFAULT_ACL);
	if (ret < 0)
		ucp_report(w, d, dname, true, UCP_OP_ACL, -ret);
	/*
	 * An attribute the user may not set (a label root gave it): the old
	 * file is written into where it may be, as cp keeps it so.
	 */
	if (ret > 0)
		ret = writable ? 1 : 0;
	return ret;
}

/*
 * cp mode keeps the owner (not the mode) over a file cp writes into: cp
 * gives the old file the source's owner where it differs, and that chown
 * clears its set-ID bits (S_ISGID only with group execute, as the kernel
 * does); where the owner was the source's already, no chown, and they
 * stay. The temporary's inherited mode, changed the same way (where bits
 * stay, tmp_owner_mode gives it its owner first: a chown after would
 * clear them).
 */
static mode_t cp_owner_mode(const struct ucp_run *run, const struct stat *st,
			    const struct stat *dst, mode_t mode)
{
	if ((run->cfg->preserve & UCP_PRESERVE_OWNERSHIP) &&
	    (st->st_uid != dst->st_uid || st->st_gid != dst->st_gid))
		mode &= ~(S_ISUID | ((mode & S_IXGRP) ? S_ISGID : 0));
	return mode;
}

/*
 * The mode of the temporary that replaces dst (NULL: none) with a copy of
 * st: the old file's where it is inherited, or under --sync without -p
 * (rsync keeps an updated file's mode); the source's with -p; else what
 * creation gives a new file.
 */
static mode_t tmp_mode(const struct ucp_run *run, struct ucp_dir *d,
		       const struct stat *st, const struct stat *dst,
		       bool inherit)
{
	if (run->cfg->preserve & UCP_PRESERVE_MODE)
		return ucp_plain_create_mode(run, d, st->st_mode);
	if (dst && (inherit || (run->sync && S_ISREG(dst->st_mode))))
		return dst->st_mode & 07777;
	return ucp_plain_new_mode(run, st->st_mode & ~S_IFMT);
}

/*
 * The owner (where it comes first) and the mode of temporary dfd, made
 * with mode (narrow: its owner's bits only) for a copy of st; dst: the
 * file it replaces whose mode it inherits (cp_owner_mode), or NULL. *fl
 * gains FILL_OWNER_SET where root gave it its owner, which meta_of then
 * leaves. 0, or -errno of the chmod.
 */
static int tmp_owner_mode(struct ucp_worker *w, const struct stat *st,
			  const struct stat *dst, int dfd, mode_t mode,
			  bool narrow, unsigned *fl)
{
	bool setid = false;

	if (dst) {
		mode = cp_owner_mode(w->run, st, dst, mode);
		setid = (w->run->cfg->preserve & UCP_PRESERVE_OWNERSHIP) &&
			(mode & (S_ISUID | S_ISGID));
	}
	/* Root gives it the source's owner, then its mode. */
	if ((narrow || setid) && w->run->meta.euid == 0 &&
	    ucp_fault_fail(UCP_FAULT_META) == 0 &&
	    fchown(dfd, st->st_uid, st->st_gid) == 0)
		*fl |= FILL_OWNER_SET;
	/* Creation applied the umask: only a mode it changed is set again. */
	if ((narrow || !ucp_meta_mode_is_exact(mode, w->run->meta.umask)) &&
	    (ucp_fault_fail(UCP_FAULT_META) < 0 || fchmod(dfd, mode) < 0))
		return -errno;
	return 0;
}

/* A new temporary in d, named into tmp, with mode: its descriptor, or -1. */
static int make_tmp(struct ucp_worker *w, struct ucp_dir *d,
		    char tmp[UCP_TMP_NAME_MAX], mode_t mode)
{
	ucp_plain_tmpname(w->run, tmp);
	if (ucp_fault_fail(UCP_FAULT_CREATE) < 0)
		return -1;
	return openat(d->dst_fd, tmp,
		      O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, mode);
}

/* ucp_plain_copy_tmp from sfd (-1: opened here), which is closed here. */
static int copy_tmp(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		    const char *dname, const struct stat *st,
		    const struct stat *dst, int sfd)
{
	char tmp[UCP_TMP_NAME_MAX];
	const char *how = NULL;
	struct stat got = { 0 };
	mode_t mode;
	unsigned fl = w->run->sync && dst ? FILL_KEEP_OLD : 0;
	bool narrow;
	int dfd, mret, ret;

	sfd = src_of(w, d, sname, &st, &got, sfd);
	if (sfd < 0)
		return -errno;
	/*
	 * Where cp writes into the existing file, keeping its mode and owner,
	 * the replacement inherits them to behave the same (cp_writes_into).
	 * A new file gets what creation would have given it.
	 */
	bool inherit = cp_writes_into(w->run, dst), writable = true;

	ret = inherit ? cp_replace_check(w, d, dname, dst, &writable) : 0;
	if (ret < 0)
		goto out;
	/*
	 * (And in an append-only directory: a temporary could be made, but
	 * neither renamed over the file nor removed.)
	 */
	if (ret > 0 || (inherit && writable && ucp_plain_dst_append_only(d)))
		return rewrite(w, d, sname, dname, st, dst, sfd, -1);
	/* -f over a file the user may not write: cp -f unlinks it and makes
	 * a new one, with the source's mode. */
	inherit = inherit && writable;
	mode = tmp_mode(w->run, d, st, dst, inherit);
	/* (Its owner's alone until its owner is set: owner_narrow.) */
	narrow = owner_narrow(w->run, d, mode);
	dfd = make_tmp(w, d, tmp, mode & (narrow ? 0700 : 0777));
	/*
	 * A directory that takes no new name (no write permission, or
	 * immutable; or one of /proc/sys, which says ENOENT) may still hold
	 * a file that can be written: cp mode rewrites it in place, as cp
	 * does.
	 */
	if (dfd < 0 && (errno == EACCES || errno == EPERM || errno == ENOENT) &&
	    inherit && writable)
		return rewrite(w, d, sname, dname, st, dst, sfd, -1);
	if (dfd < 0) {
		ret = -errno;
		ucp_report(w, d, dname, true, UCP_OP_CREATE, -ret);
		goto out;
	}
	ret = inherit ? cp_take_over(w, d, dname, dst, dfd, writable) : 0;
	if (ret != 0) {
		(void)close(dfd);
		ucp_tmp_abort(d->dst_fd, tmp);
		if (ret > 0)
			return rewrite(w, d, sname, dname, st, dst, sfd, -1);
		goto out;
	}
	ret = tmp_owner_mode(w, st, inherit ? dst : NULL, dfd, mode, narrow,
			     &fl);
	if (ret < 0) {
		ucp_report(w, d, dname, true, UCP_OP_CHMOD, -ret);
		(void)close(dfd);
		goto out_commit;
	}
	/*
	 * A metadata failure is reported (meta_of), and the copy still takes
	 * the name, as a new file's does (file_from) and cp's data lands: a
	 * mode or an ACL the file system refuses must not keep the data out
	 * (a mirror marked so tries again next run).
	 */
	ret = fill_and_close(w, d, sname, dname, sfd, dfd, st, NULL, fl, &mret,
			     &how);
out_commit:
	ret = commit_tmp(w, d, tmp, dname, ret);
	if (ret == 0) {
		ucp_file_done(&w->cnt);
		ucp_report_copied(w, d, sname, dname, how);
	}
out:
	(void)close(sfd);
	return ret;
}

int ucp_plain_copy_tmp(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname,
		       const struct stat *st, const struct stat *dst)
{
	return copy_tmp(w, d, sname, dname, st, dst, -1);
}

/* ucp_plain_replace from sfd (-1: opened here), which is closed here. */
static int replace(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st, int sfd)
{
	enum ucp_act act = UCP_ACT_REPLACE;
	struct stat dst;
	int ret = check_replace_act(w, d, sname, dname, st, &dst, &act);

	if (ret != 0) {
		if (sfd >= 0)
			(void)close(sfd);
		return ret < 0 ? ret : 0;
	}
	if (act == UCP_ACT_INPLACE)
		return inplace(w, d, sname, dname, st, &dst,
			       w->run->cfg->force ? &dst : NULL, sfd);
	return copy_tmp(w, d, sname, dname, st, &dst, sfd);
}

int ucp_plain_replace(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st)
{
	return replace(w, d, sname, dname, st, -1);
}

int ucp_plain_inplace(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st)
{
	return inplace(w, d, sname, dname, st, NULL, NULL, -1);
}

/*
 * --sync --inplace, not root: a read-only file of the mirror that is the
 * user's gets owner write to be rewritten, as rsync does; its mode is the
 * source's after (the mirror keeps the mode). Whether it was given; *was
 * gets the mode it had.
 */
static bool lend_write(struct ucp_worker *w, struct ucp_dir *d,
		       const char *dname, const struct stat *dst, mode_t *was)
{
	const struct ucp_run *run = w->run;
	struct stat now;

	if (!run->sync || run->meta.euid == 0 ||
	    !(run->cfg->preserve & UCP_PRESERVE_MODE))
		return false;
	if (!dst && fstatat(d->dst_fd, dname, &now, AT_SYMLINK_NOFOLLOW) == 0)
		dst = &now;
	if (!dst || !S_ISREG(dst->st_mode) || dst->st_uid != run->meta.euid ||
	    (dst->st_mode & S_IWUSR)) {
		errno = EACCES;
		return false;
	}
	if (ucp_meta_lchmod(d->dst_fd, dname,
			    (dst->st_mode & 07777) | S_IWUSR) < 0) {
		errno = EACCES;
		return false;
	}
	*was = dst->st_mode & 07777;
	return true;
}

/* Open dname of d to rewrite it in place (the same inode: other hard
 * links see the new contents too). */
static int open_in_place(struct ucp_worker *w, const struct ucp_dir *d,
			 const char *dname, const struct stat *dst)
{
	int flags = O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY |
		    (d->dst_through ? 0 : O_NOFOLLOW);
	bool fifo = dst && S_ISFIFO(dst->st_mode);
	int fd;

	if (dst && !S_ISREG(dst->st_mode) && !fifo)
		return openat(d->dst_fd, dname, flags); /* a device */
	/*
	 * (A regular file ignores O_NONBLOCK; a FIFO put in its place since
	 * it was looked at says ENXIO rather than hang the run: a mirror
	 * replaces it, as rsync --inplace does.)
	 */
	fd = openat(d->dst_fd, dname, flags | O_NONBLOCK);
	if (fd >= 0 || errno != ENXIO || (!fifo && w->run->sync))
		return fd;
	/*
	 * A FIFO opens for writing only once it has a reader: wait for one
	 * a tick at a time, so that an interrupt is not held up (as cp is
	 * not: a signal ends it). It stays non-blocking: a write that finds
	 * no room waits the same way (write_block).
	 */
	while ((fd = openat(d->dst_fd, dname, flags | O_NONBLOCK)) < 0 &&
	       errno == ENXIO) {
		if (ucp_run_stopping(w->run)) {
			errno = ECANCELED;
			return -1;
		}
		(void)poll(NULL, 0, 100);
	}
	return fd;
}

/*
 * Rewrite dname (stat dst, when known) in place with the data of sname,
 * open as sfd (closed here), into dfd (-1: opened here): a regular file,
 * or a device or FIFO, written into.
 */
static int rewrite(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st,
		   const struct stat *dst, int sfd, int dfd)
{
	bool node = dst && !S_ISREG(dst->st_mode);
	const char *how = NULL;
	int mret, ret;

	if (dfd < 0)
		dfd = open_in_place(w, d, dname, dst);

	if (dfd < 0) {
		ret = -errno;
		ucp_report(w, d, dname, true, UCP_OP_OPEN, -ret);
	} else {
		ret = fill_and_close(w, d, sname, dname, sfd, dfd, st, NULL,
				     node ? FILL_NODE : FILL_EXISTING, &mret,
				     &how);
		if (ret == 0)
			ret = mret;
		if (ret == 0) {
			ucp_file_done(&w->cnt);
			ucp_report_copied(w, d, sname, dname, how);
		}
	}
	(void)close(sfd);
	return ret;
}

/*
 * rewrite from sfd (-1: opened here), which is closed here. force (-f:
 * dname's stat): a file that cannot be opened so (busy, read-only) is
 * replaced through a temporary instead, parting it from its other links,
 * as cp -f does.
 */
static int inplace(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		   const char *dname, const struct stat *st,
		   const struct stat *dst, const struct stat *force, int sfd)
{
	struct stat got = { 0 };
	mode_t was = 0;
	bool lent;
	int dfd, ret;

	sfd = src_of(w, d, sname, &st, &got, sfd);
	if (sfd < 0)
		return -errno;
	dfd = open_in_place(w, d, dname, dst);
	lent = dfd < 0 && errno == EACCES && lend_write(w, d, dname, dst, &was);
	if (lent)
		dfd = open_in_place(w, d, dname, dst);
	if (dfd < 0) {
		int err = errno;

		if (force && err != ENOENT)
			return copy_tmp(w, d, sname, dname, st, force, sfd);
		/*
		 * A mirror's file that became a FIFO or a symbolic link since
		 * it was compared is replaced, as rsync --inplace does.
		 */
		if (w->run->sync && (err == ENXIO || err == ELOOP) &&
		    (!dst || S_ISREG(dst->st_mode)))
			return copy_tmp(w, d, sname, dname, st, NULL, sfd);
		(void)close(sfd);
		/* (Stopped while a FIFO waited for a reader: no error.) */
		if (!(err == ECANCELED && ucp_run_stopping(w->run)))
			ucp_report(w, d, dname, true, UCP_OP_OPEN, err);
		ret = -err;
	} else {
		ret = rewrite(w, d, sname, dname, st, dst, sfd, dfd);
	}
	/* Failed: the write lent for it is taken back. */
	if (ret < 0 && lent)
		(void)ucp_meta_lchmod(d->dst_fd, dname, was);
	return ret;
}

/* A node to create: a symlink target or a mknod mode/device. */
struct node_spec {
	const char *target; /* symlink, or NULL */
	mode_t mode;
	dev_t rdev;
};

static int make_node(int dirfd, const char *name, const struct node_spec *n)
{
	int r = ucp_fault_fail(n->target ? UCP_FAULT_SYMLINK
					 : UCP_FAULT_CREATE);

	if (r == 0)
		r = n->target ? symlinkat(n->target, dirfd, name)
			      : mknodat(dirfd, name, n->mode, n->rdev);

	return r < 0 ? -errno : 0;
}

/*
 * An append-only directory takes a temporary but neither renames it over
 * an old name nor removes it: a name there is not replaced (cp cannot
 * either), and no temporary is left behind. True when so, reported as op.
 */
static bool append_only_refuses(struct ucp_worker *w, struct ucp_dir *d,
				const char *dname, enum ucp_op op)
{
	if (!ucp_plain_dst_append_only(d))
		return false;
	ucp_report(w, d, dname, true, op, EPERM);
	return true;
}

static int make_node_at(struct ucp_worker *w, struct ucp_dir *d,
			const char *sname, const char *dname,
			const struct stat *st, const struct node_spec *n);

/* Create the node at dname, replacing a non-directory already there. */
static int create_node(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname,
		       const struct stat *st, const struct node_spec *n)
{
	bool owner;
	int ret;

	if (ucp_plain_link_claim(w, d, dname, st, UCP_CH_NEW, false, &owner))
		return 0;
	w->kept = false;
	ret = make_node_at(w, d, sname, dname, st, n);
	/* (A node -n kept is no copy: the group's next name makes one.) */
	if (owner)
		ucp_plain_link_finish(w, st, ret == 0 && !w->kept);
	return ret;
}

/* create_node without the hard-link bookkeeping. */
/*
 * -l and -s replace an existing destination only when told to (-f,
 * --remove-destination, a backup, or -i's yes), as cp's do: a link made
 * is no copy of the file it would replace. Else "File exists", reported.
 */
static int link_may_replace(struct ucp_worker *w, struct ucp_dir *d,
			    const char *dname, enum ucp_op op)
{
	const struct ucp_config *cfg = w->run->cfg;

	if (cfg->force || cfg->remove_destination || cfg->interactive ||
	    cfg->backup != UCP_BACKUP_NONE)
		return 0;
	ucp_report(w, d, dname, true, op, EEXIST);
	return -EEXIST;
}

/*
 * Whether a symlink, FIFO or device recreated over a non-directory that
 * is there replaces it unasked, as cp unlinks it: only where no link is
 * followed (-P, -d, -a, or -R without -L or -l; -H follows the operands'
 * only, so inside a tree it is -P, as cp's) and the copy is whole. Under
 * -L, -H for an operand, -l, -s or --attributes-only the name is taken
 * ("File exists", as link_may_replace says it): the file there is kept.
 * operand: the entry is an operand, not an entry of a tree.
 */
static bool node_replaces(const struct ucp_config *cfg, bool operand)
{
	return !cfg->symbolic_link && !cfg->attributes_only &&
	       (cfg->no_dereference ||
		(cfg->recursive && !cfg->dereference &&
		 !(cfg->deref_args && operand) && !cfg->hard_link));
}

static int make_node_at(struct ucp_worker *w, struct ucp_dir *d,
			const char *sname, const char *dname,
			const struct stat *st, const struct node_spec *n)
{
	enum ucp_op op = n->target ? UCP_OP_SYMLINK : UCP_OP_MKNOD;
	struct stat dst;
	char tmp[UCP_TMP_NAME_MAX];
	int ret;

	ret = make_node(d->dst_fd, dname, n);
	if (ret == -EEXIST) {
		ret = check_replace(w, d, sname, dname, st, &dst);
		if (ret == 0 && !node_replaces(w->run->cfg, d->pseudo))
			ret = link_may_replace(w, d, dname, op);
		if (ret == 0 && append_only_refuses(w, d, dname, op))
			ret = -EPERM;
		if (ret != 0)
			return ret < 0 ? ret : 0;
		ucp_plain_tmpname(w->run, tmp);
		ret = make_node(d->dst_fd, tmp, n);
		if (ret == 0)
			ret = commit_tmp(
				w, d, tmp, dname,
				ucp_plain_meta_as(w, d, sname, tmp, dname, st));
		else
			ucp_report(w, d, dname, true, op, -ret);
		if (ret < 0)
			return ret;
	} else if (ret < 0) {
		ucp_report(w, d, dname, true, op, -ret);
		return ret;
	} else if (ucp_plain_meta(w, d, sname, dname, st) == -ESTALE) {
		/* (Another file's attributes: skipped, said as replaced.) */
		(void)unlinkat(d->dst_fd, dname, 0);
		return -ESTALE;
	}
	if (n->target)
		ucp_count(&w->cnt.symlinks_done, 1);
	ucp_file_done(&w->cnt);
	ucp_report_copied(w, d, sname, dname,
			  w->run->cfg->symbolic_link
				  ? "symbolic link to the source"
			  : n->target ? "symlink recreated"
				      : "mknod");
	return 0;
}

/*
 * Recreate symlink, FIFO or device node sname as dname (a socket is
 * skipped with a warning); claim: through its hard-link group
 * (create_node), else the caller claimed the group itself.
 */
static int other_at(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		    const char *dname, const struct stat *st, bool claim)
{
	struct node_spec n = { 0 };
	char target[PATH_MAX + 1];
	ssize_t len;

	if (S_ISSOCK(st->st_mode)) {
		ucp_report(w, d, sname, false, UCP_OP_SKIP_SOCKET, 0);
		ucp_count(&w->cnt.skipped, 1);
		return 0;
	}
	if (S_ISLNK(st->st_mode)) {
		len = readlinkat(d->src_fd, sname, target, sizeof(target));
		if (len < 0 || (size_t)len >= sizeof(target)) {
			int err = len < 0 ? errno : ENAMETOOLONG;

			ucp_report(w, d, sname, false, UCP_OP_READLINK, err);
			return -err;
		}
		target[len] = '\0';
		n.target = target;
	} else {
		/* (--no-preserve=mode: the default mode, as a file's.) */
		n.mode =
			(st->st_mode & S_IFMT) |
			(w->run->cfg->default_mode ? 0666 : st->st_mode & 0777);
		n.rdev = S_ISFIFO(st->st_mode) ? 0 : st->st_rdev;
	}
	return claim ? create_node(w, d, sname, dname, st, &n)
		     : make_node_at(w, d, sname, dname, st, &n);
}

int ucp_plain_symlink(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st)
{
	return other_at(w, d, sname, dname, st, true);
}

int ucp_plain_special(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st)
{
	return other_at(w, d, sname, dname, st, true);
}

int ucp_plain_other_claimed(struct ucp_worker *w, struct ucp_dir *d,
			    const char *sname, const char *dname,
			    const struct stat *st)
{
	return other_at(w, d, sname, dname, st, false);
}

/*
 * first under the final name of a new mirror that was built under its
 * temporary name and given its final name meanwhile (by another run into
 * it, which finished first); NULL when that is not the case.
 */
static char *renamed_root(const struct ucp_run *run, const char *first)
{
	size_t n = run->tmp_root ? strlen(run->tmp_root) : 0;
	struct stat st;

	if (!n || strncmp(first, run->tmp_root, n) != 0 || first[n] != '/' ||
	    lstat(run->tmp_root, &st) == 0)
		return NULL;
	return ucp_path_join(run->final_root, first + n + 1);
}

/*
 * Open directories [p, end) below O_PATH directory fd (which is closed),
 * following no symbolic link, a piece shorter than PATH_MAX at a time.
 * The last one's O_PATH descriptor, or -errno.
 */
static int open_below(int fd, const char *p, const char *end)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS };

	for (;;) {
		const char *e = end;
		char *piece;
		int next, err;

		while (p < end && *p == '/')
			p++;
		if (p >= end)
			return fd;
		if ((size_t)(e - p) >= PATH_MAX)
			e = memrchr(p, '/', PATH_MAX - 1);
		piece = e && e != p ? strndup(p, (size_t)(e - p)) : NULL;
		next = piece ? (int)syscall(SYS_openat2, fd, piece, &how,
					    sizeof(how))
			     : -1;
		err = !e || e == p ? ENAMETOOLONG : piece ? errno : ENOMEM;
		free(piece);
		(void)close(fd); /* O_PATH */
		if (next < 0)
			return -err;
		fd = next;
		p = e;
	}
}

/*
 * Open the directory of a group's copy at path first, whose first root_len
 * bytes name the destination root as the user typed it: symbolic links
 * are followed there and nowhere below (someone who may write in the
 * destination could have put one in the path, to have a file outside it
 * linked under a new name); the part below is opened a piece at a time
 * where the whole is longer than PATH_MAX. Returns an O_PATH descriptor
 * and *leaf, the copy's name in it; or -errno (-ENOSYS: no openat2 here).
 */
static int open_copy_dir(const char *first, size_t root_len, const char **leaf)
{
	const char *slash = strrchr(first, '/');
	size_t s = slash ? (size_t)(slash - first) : 0;
	char *head;
	int fd, err;

	*leaf = slash ? slash + 1 : first;
	/* (The root part ends at the copy's directory, or no root known.) */
	if (!slash || root_len == 0 || root_len >= s)
		root_len = s;
	head = root_len ? strndup(first, root_len) : strdup(slash ? "/" : ".");
	if (!head)
		return -ENOMEM;
	fd = open(head, O_PATH | O_DIRECTORY | O_CLOEXEC);
	err = errno;
	free(head);
	if (fd < 0)
		return -err;
	return open_below(fd, first + root_len, first + s);
}

/*
 * Whether dname in d is a link to the group's copy first (root_len:
 * open_copy_dir) already. By the path in one call where it fits; a path
 * longer than PATH_MAX is reached a piece at a time, as link_copy reaches
 * it (else the check failed there, and the temporary link made for it,
 * renamed over a name of the same file, did nothing and stayed).
 */
static bool linked_already(struct ucp_dir *d, const char *dname,
			   const char *first, size_t root_len)
{
	struct stat a, b;
	const char *leaf;
	bool same;
	int fd;

	if (fstatat(d->dst_fd, dname, &a, AT_SYMLINK_NOFOLLOW) < 0)
		return false;
	if (strlen(first) < PATH_MAX)
		return lstat(first, &b) == 0 && a.st_dev == b.st_dev &&
		       a.st_ino == b.st_ino;
	fd = open_copy_dir(first, root_len, &leaf);
	if (fd < 0)
		return false;
	same = fstatat(fd, leaf, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	(void)close(fd); /* O_PATH */
	return same;
}

/*
 * linkat from the group's copy first (root_len: open_copy_dir) to name in
 * directory dirfd. 0 or -errno.
 */
static int link_copy(const char *first, size_t root_len, int dirfd,
		     const char *name)
{
	const char *leaf;
	int fd = open_copy_dir(first, root_len, &leaf), ret;

	/* (A kernel or filter without openat2: by the path, as cp links.) */
	if (fd == -ENOSYS || fd == -EPERM)
		return linkat(AT_FDCWD, first, dirfd, name, 0) == 0 ? 0
								    : -errno;
	if (fd < 0)
		return fd;
	ret = linkat(fd, leaf, dirfd, name, 0) == 0 ? 0 : -errno;
	(void)close(fd); /* O_PATH */
	return ret;
}

/*
 * The group's copy first takes no more links (EMLINK: its file system's
 * limit, a --link-dest twin linked over and over): dname (over dst, the
 * stat of what is there, or NULL) gets a copy of its own, which the
 * group's later names link to, as rsync -H copies it, rather than none.
 */
static void copy_past_limit(struct ucp_worker *w, struct ucp_dir *d,
			    const char *dname, const char *first,
			    const struct stat *st, const struct stat *dst)
{
	char *path;

	if (ucp_plain_copy_tmp(w, d, d->pseudo ? d->only_src : dname, dname, st,
			       dst) != 0)
		return;
	path = ucp_dir_dst_path(d, dname);
	if (path)
		(void)ucp_links_rebase(w->run->links, st->st_dev, st->st_ino,
				       first, path, ucp_dir_dst_root_len(d));
}

/*
 * link_now's link to *first met the copy's limit of links (EMLINK): where
 * another name has made the group a copy of its own since (a name that
 * waited for the first copy, handed the full one), a link to that one
 * (*first and *root_len then its); else a copy of its own for dname. 0
 * when linked, -1 when copied (or reported), else the errno of the link.
 */
static int link_past_limit(struct ucp_worker *w, struct ucp_dir *d,
			   const char *dname, const char **first,
			   size_t *root_len, const struct stat *st)
{
	size_t root = 0;
	const char *now =
		ucp_links_first(w->run->links, st->st_dev, st->st_ino, &root);
	int err = EMLINK;

	if (now && now != *first) {
		*first = now;
		*root_len = root;
		err = -link_copy(now, root, d->dst_fd, dname);
	}
	if (err != EMLINK || !S_ISREG(st->st_mode))
		return err;
	copy_past_limit(w, d, dname, *first, st, NULL);
	return -1;
}

/*
 * link_now's name was taken (EEXIST): by a link to first already (--sync
 * counts it unchanged, as settle does; copy mode as made, else the totals
 * never reach the end), by a file cp mode keeps (-n, -u by a newer one,
 * -i said no), else replaced: a link made beside it is renamed over it
 * (not a rename between two names of one inode, which does nothing and
 * would leave the temporary). 0 when the link is there, to be counted
 * made; -1 when nothing is left to do (counted, or reported); else the
 * errno of the link.
 */
static int link_over(struct ucp_worker *w, struct ucp_dir *d, const char *dname,
		     const char *first, size_t root, const struct stat *st)
{
	char tmp[UCP_TMP_NAME_MAX];
	struct stat old;
	int err;

	if (linked_already(d, dname, first, root)) {
		if (!w->run->sync)
			return 0;
		ucp_file_unchanged(&w->cnt, st);
		return -1;
	}
	if (!w->run->sync &&
	    check_replace(w, d, d->pseudo ? d->only_src : dname, dname, st,
			  &old) != 0)
		return -1;
	ucp_plain_tmpname(w->run, tmp);
	err = -link_copy(first, root, d->dst_fd, tmp);
	if (err == 0)
		return commit_tmp(w, d, tmp, dname, 0) != 0 ? -1 : 0;
	if (err == EMLINK && S_ISREG(st->st_mode)) {
		copy_past_limit(w, d, dname, first, st,
				fstatat(d->dst_fd, dname, &old,
					AT_SYMLINK_NOFOLLOW) == 0
					? &old
					: NULL);
		return -1;
	}
	return err;
}

/*
 * Make dname in d a hard link to first (st: the group's source), replacing
 * what is there; tell the mode (ucp_mode_ops.linked) it was made, with ch.
 * Its bytes count as done: the progress totals count every name's.
 */
static void link_now(struct ucp_worker *w, struct ucp_dir *d, const char *dname,
		     const char *first, const struct stat *st, unsigned ch)
{
	char *moved = NULL;
	size_t root = ucp_links_root_len(w->run->links, st->st_dev, st->st_ino);
	int err;

	err = ucp_fault_fail(UCP_FAULT_LINK) < 0
		      ? errno
		      : -link_copy(first, root, d->dst_fd, dname);
	if (err == 0)
		goto done;
	if (err == ENOENT && (moved = renamed_root(w->run, first))) {
		first = moved;
		root = strlen(w->run->final_root);
		err = -link_copy(first, root, d->dst_fd, dname);
		if (err == 0)
			goto done;
	}
	if (err == EMLINK)
		err = link_past_limit(w, d, dname, &first, &root, st);
	if (err == EEXIST)
		err = link_over(w, d, dname, first, root, st);
	if (err == 0)
		goto done;
	if (err > 0)
		ucp_report_link(w, d, dname, first, NULL, err);
	goto out;
done:
	ucp_count(&w->cnt.links_done, 1);
	ucp_settle_bytes(&w->cnt, S_ISREG(st->st_mode), st->st_size);
	ucp_file_done(&w->cnt);
	/* Listed once made, never before (--itemize-changes, -v). */
	if (w->run->mode->linked)
		w->run->mode->linked(w, d, dname, st->st_mode, ch);
	ucp_report_copied(w, d, d->pseudo ? d->only_src : dname, dname,
			  "hard link to the first copy");
out:
	free(moved);
}

/*
 * A name waiting for the first copy of its inode. It holds a reference on
 * its directory, so the directory is neither closed nor given its final
 * times before the link exists.
 */
struct link_waiter {
	struct ucp_dir *d;
	unsigned ch;	/* what the mode is told changed, once linked */
	uint64_t found; /* its bytes counted as found, taken back when it is
			   handled anew */
	char name[];
};

/*
 * Whether st's inode is one the link map keeps (--preserve=links): one of
 * several names; in copy mode under -L any file, which symbolic links may
 * name too (cp -aL makes them one copy; the map then grows with the
 * files).
 */
static bool in_link_group(const struct ucp_worker *w, const struct stat *st)
{
	return w->run->links && !S_ISDIR(st->st_mode) &&
	       (st->st_nlink > 1 || (w->run->cfg->dereference &&
				     !w->run->sync && S_ISREG(st->st_mode)));
}

/* The name a link group shows (--itemize-changes), or NULL. */
static char *link_label(const struct ucp_worker *w, const struct ucp_dir *d,
			const char *dname)
{
	return w->run->cfg->itemize ? ucp_dir_rel(d, dname) : NULL;
}

/* The first name of st's group, as link_label gave it, or NULL. */
static const char *link_to(const struct ucp_worker *w, const struct stat *st)
{
	return w->run->cfg->itemize
		       ? ucp_links_label(w->run->links, st->st_dev, st->st_ino)
		       : NULL;
}

#ifdef UCP_TEST_HOOKS
atomic_bool ucp_test_link_first_waits;

static void test_wait_for_waiter(struct ucp_worker *w, const struct stat *st)
{
	const struct timespec ms = { 0, 1000000 };
	int i;

	/*
	 * (Once a run: a name that claims the group anew goes on. And only
	 * while another worker is at work: when all others wait for work,
	 * the names left are this worker's own, in its ring.)
	 */
	if (!atomic_exchange(&ucp_test_link_first_waits, false))
		return;
	for (i = 0;
	     i < 10000 &&
	     ucp_links_waiting(w->run->links, st->st_dev, st->st_ino) == 0 &&
	     atomic_load(&w->run->sleepers) + 1 < (int)w->run->nworkers &&
	     !ucp_run_stopping(w->run);
	     i++)
		(void)nanosleep(&ms, NULL);
}
#else
static void test_wait_for_waiter(struct ucp_worker *w, const struct stat *st)
{
	(void)w;
	(void)st;
}
#endif

/*
 * How many names may wait for a name in place at once (ucp_links_seek):
 * each holds its directory (and its descriptors) until the end of the
 * walk at the latest, so a few, and fewer where the limit on open files
 * leaves few to the directories.
 */
static size_t seek_limit(const struct ucp_run *run)
{
	return run->dir_budget > 0
		       ? UCP_MIN((size_t)run->dir_budget / 8, (size_t)64)
		       : 64;
}

/*
 * Whether a name new to a mirror that was there before the run (ch
 * UCP_CH_NEW) waits for a twin in place (ucp_links_seek): a file's, by
 * any path (compared, or in a directory the run made, by either engine).
 * With --link-dest, a name whose file a reference has (w->ref_twin) does
 * not wait: the group's copy is made from there; one whose file no
 * reference has waits, in a new mirror too, for a name of its group that
 * a reference has, as rsync -H links the group to that twin.
 */
static bool seeks(const struct ucp_worker *w, const struct stat *st,
		  unsigned ch)
{
	const struct ucp_run *run = w->run;

	if (ch != UCP_CH_NEW || !S_ISREG(st->st_mode) || !run->sync ||
	    w->ref_twin > 0)
		return false;
	return !run->tmp_root || w->ref_twin < 0;
}

/*
 * A waiter for dname of d (ch, and its bytes counted as found: counted),
 * or NULL for want of memory. Its references are taken before it is
 * published: the copy's owner may take it and let go of d as soon as the
 * claim returns. (The source's, for a copy of its own should that one
 * fail.)
 */
static struct link_waiter *new_waiter(struct ucp_dir *d, const char *dname,
				      const struct stat *st, unsigned ch,
				      bool counted)
{
	size_t len = strlen(dname) + 1;
	struct link_waiter *lw = malloc(sizeof(*lw) + len);

	if (!lw)
		return NULL;
	lw->d = d;
	lw->ch = ch;
	lw->found = counted && S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
	memcpy(lw->name, dname, len);
	ucp_dir_get(d);
	ucp_dir_src_get(d);
	return lw;
}

/* A waiter its claim did not queue: its references given back unused. */
static void drop_waiter(struct ucp_worker *w, struct link_waiter *lw)
{
	ucp_dir_src_unget(lw->d);
	ucp_sched_put_dir(w, lw->d);
	free(lw);
}

/* A waiter dealt with: its references let go. */
static void waiter_done(struct ucp_worker *w, struct link_waiter *lw)
{
	ucp_dir_src_put(lw->d);
	ucp_sched_put_dir(w, lw->d);
	free(lw);
}

/* The claim of dname of d (path: its own, taken) for waiter. */
static int claim_name(struct ucp_worker *w, struct ucp_dir *d,
		      const char *dname, const struct stat *st, char *path,
		      void *waiter, const char **first, bool seek)
{
	struct ucp_links *l = w->run->links;
	size_t root = ucp_dir_dst_root_len(d);
	char *label = link_label(w, d, dname);

	return seek ? ucp_links_seek(l, st->st_dev, st->st_ino, path, root,
				     label, waiter, first, seek_limit(w->run))
		    : ucp_links_claim(l, st->st_dev, st->st_ino, path, root,
				      label, waiter, first);
}

/* ucp_plain_link_claim; ch: see struct link_waiter. */
static bool link_claim(struct ucp_worker *w, struct ucp_dir *d,
		       const char *dname, const struct stat *st, bool *owner,
		       unsigned ch, bool counted)
{
	const char *first = NULL;
	struct link_waiter *lw;
	char *path;
	int r;

	*owner = false;
	w->link_to = NULL;
	if (!in_link_group(w, st))
		return false;
	path = ucp_dir_dst_path(d, dname);
	lw = new_waiter(d, dname, st, ch, counted);
	if (!path || !lw) {
		free(path);
		if (lw)
			drop_waiter(w, lw);
		ucp_report(w, d, dname, true, UCP_OP_LINK, ENOMEM);
		return true;
	}
	r = claim_name(w, d, dname, st, path, lw, &first,
		       seeks(w, st, ch) && !w->run->cfg->sync.dry_run);
	if (r == UCP_LINK_READY || r == UCP_LINK_QUEUED)
		w->link_to = link_to(w, st);
	if (r == UCP_LINK_QUEUED)
		return true;
	/* (The caller still holds d's references, and uses src_fd.) */
	drop_waiter(w, lw);
	switch (r) {
	case UCP_LINK_FIRST:
		*owner = true;
		test_wait_for_waiter(w, st);
		return false;
	case UCP_LINK_READY:
		link_now(w, d, dname, first, st, ch);
		return true;
	default:
		ucp_report(w, d, dname, true, UCP_OP_LINK, -r);
		return true;
	}
}

bool ucp_plain_link_claim(struct ucp_worker *w, struct ucp_dir *d,
			  const char *dname, const struct stat *st, unsigned ch,
			  bool counted, bool *owner)
{
	return link_claim(w, d, dname, st, owner, ch, counted);
}

/* A waiter whose group has no copy to link to: its name handled anew. */
static void redo_waiter(struct ucp_worker *w, struct link_waiter *lw)
{
	struct ucp_dir *d = lw->d;

	/* (Handled anew, it counts its bytes again.) */
	if (lw->found)
		ucp_count(&w->cnt.bytes_found, -lw->found);
	if (!ucp_sched_redo(w, d, d->pseudo ? d->only_src : lw->name, lw->name))
		ucp_report(w, d, lw->name, true, UCP_OP_CREATE, ENOMEM);
	waiter_done(w, lw);
}

bool ucp_plain_links_unseek(struct ucp_worker *w)
{
	void **q = w->run->links ? ucp_links_unseek(w->run->links) : NULL;
	size_t i;

	for (i = 0; q && q[i]; i++)
		redo_waiter(w, q[i]);
	free(q);
	return i > 0;
}

bool ucp_plain_link_existing(struct ucp_worker *w, struct ucp_dir *d,
			     const char *dname, const struct stat *st)
{
	bool owner = false;

	if (link_claim(w, d, dname, st, &owner, 0, false))
		return true;
	/* The first name: the copy in place is the group's copy. */
	if (owner)
		ucp_plain_link_finish(w, st, true);
	return false;
}

/*
 * A dry run's name that waited for a name in place (ucp_plain_link_dry's
 * seek), which came (first): listed and counted as the run links it.
 */
static void dry_linked(struct ucp_worker *w, struct link_waiter *lw,
		       const struct stat *st)
{
	struct ucp_dir *d = lw->d;

	ucp_count(&w->cnt.links_done, 1);
	ucp_settle_bytes(&w->cnt, S_ISREG(st->st_mode), st->st_size);
	ucp_file_done(&w->cnt);
	w->link_to = link_to(w, st);
	if (w->run->mode->linked)
		w->run->mode->linked(w, d, lw->name, st->st_mode, lw->ch);
	waiter_done(w, lw);
}

int ucp_plain_link_dry(struct ucp_worker *w, struct ucp_dir *d,
		       const char *dname, const struct stat *st, bool in_place,
		       unsigned ch)
{
	/* (A name queued behind a claim this moment: never linked.) */
	static char token;
	const char *first = NULL;
	/* (Only a seeking name waits, and is linked as the run links it.) */
	bool seek = !in_place && seeks(w, st, ch);
	struct link_waiter *lw = NULL;
	void **q;
	char *path;
	int r;

	w->link_to = NULL;
	if (!in_link_group(w, st))
		return 0;
	path = ucp_dir_dst_path(d, dname);
	if (seek)
		lw = new_waiter(d, dname, st, ch, false);
	if (!path || (seek && !lw)) {
		free(path);
		if (lw)
			drop_waiter(w, lw);
		return 0;
	}
	r = claim_name(w, d, dname, st, path, lw ? (void *)lw : &token, &first,
		       seek);
	if (lw && r == UCP_LINK_QUEUED)
		return 3;
	if (lw)
		drop_waiter(w, lw);
	if (r == UCP_LINK_FIRST) {
		/* Nothing is copied: the group is complete at once, and the
		 * names that waited for it are linked. */
		q = ucp_links_finish(w->run->links, st->st_dev, st->st_ino,
				     true, &first);
		for (size_t i = 0; q && q[i]; i++)
			if (q[i] != &token)
				dry_linked(w, q[i], st);
		free(q);
		w->link_to = NULL;
		return 0;
	}
	if (r < 0)
		return 0;
	w->link_to = link_to(w, st);
	/*
	 * A name in place is made a link only where it is not one already
	 * (queued: the first name is being claimed this moment; taken as
	 * one).
	 */
	if (in_place &&
	    (r == UCP_LINK_QUEUED || !first ||
	     linked_already(d, dname, first,
			    ucp_links_root_len(w->run->links, st->st_dev,
					       st->st_ino))))
		return 2;
	return 1;
}

void ucp_plain_link_finish(struct ucp_worker *w, const struct stat *st, bool ok)
{
	const char *first = NULL;
	void **q = ucp_links_finish(w->run->links, st->st_dev, st->st_ino, ok,
				    &first);
	size_t i;

	w->link_to = link_to(w, st);
	for (i = 0; q && q[i]; i++) {
		struct link_waiter *lw = q[i];
		struct ucp_dir *d = lw->d;

		if (!first) {
			redo_waiter(w, lw);
			continue;
		}
		link_now(w, d, lw->name, first, st, lw->ch);
		waiter_done(w, lw);
	}
	free(q);
}

int ucp_plain_hardlink(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname)
{
	int flags = d->follow ? AT_SYMLINK_FOLLOW : 0;
	struct stat sst, dst;
	char tmp[UCP_TMP_NAME_MAX];
	int ret;

	if (ucp_fault_fail(UCP_FAULT_LINK) == 0 &&
	    linkat(d->src_fd, sname, d->dst_fd, dname, flags) == 0)
		goto done;
	ret = -errno;
	if (ret != -EEXIST) {
		ucp_report_link(w, d, dname, NULL, sname, -ret);
		return ret;
	}
	if (fstatat(d->src_fd, sname, &sst, flags ? 0 : AT_SYMLINK_NOFOLLOW) <
	    0) {
		ret = -errno;
		ucp_report(w, d, sname, false, UCP_OP_STAT, -ret);
		return ret;
	}
	/* Already a link to the source: nothing to do. */
	if (fstatat(d->dst_fd, dname, &dst, AT_SYMLINK_NOFOLLOW) == 0 &&
	    dst.st_dev == sst.st_dev && dst.st_ino == sst.st_ino)
		goto done;
	ret = check_replace(w, d, sname, dname, &sst, &dst);
	if (ret == 0)
		ret = link_may_replace(w, d, dname, UCP_OP_LINK);
	if (ret == 0 && append_only_refuses(w, d, dname, UCP_OP_LINK))
		ret = -EPERM;
	if (ret != 0)
		return ret < 0 ? ret : 0;
	ucp_plain_tmpname(w->run, tmp);
	if (linkat(d->src_fd, sname, d->dst_fd, tmp, flags) < 0) {
		ret = -errno;
		ucp_report_link(w, d, dname, NULL, sname, -ret);
		return ret;
	}
	ret = commit_tmp(w, d, tmp, dname, 0);
	if (ret < 0)
		return ret;
done:
	ucp_count(&w->cnt.links_done, 1);
	ucp_file_done(&w->cnt);
	ucp_report_copied(w, d, sname, dname, "hard link to the source");
	return 0;
}

/*
 * Whether directory dirfd is the current one (./x, an absolute path to it):
 * a relative link made there points where its source is, as cp allows.
 */
static bool in_cwd(int dirfd)
{
	struct stat a, b;

	return fstat(dirfd, &a) == 0 && stat(".", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int ucp_plain_symlink_to(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st)
{
	struct node_spec n = { 0 };
	char *target = ucp_dir_path(d, false, sname);
	char *dpath = ucp_dir_path(d, true, dname);
	int ret;

	if (!target || !dpath) {
		ret = -ENOMEM;
		ucp_report(w, d, dname, true, UCP_OP_SYMLINK, ENOMEM);
	} else if (target[0] != '/' && strchr(dpath, '/') &&
		   !in_cwd(d->dst_fd)) {
		/* The link would not point back at the source (cp's rule). */
		ret = -EINVAL;
		ucp_report(w, d, dname, true, UCP_OP_RELATIVE_SYMLINK, 0);
	} else {
		n.target = target;
		ret = make_node_at(w, d, sname, dname, st, &n);
	}
	free(target);
	free(dpath);
	return ret;
}

static int attrs_only(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st);

/* The names of a hard-link group are links to the first, as in cp -a. */
int ucp_plain_attrs_only(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st)
{
	bool owner = false;
	int ret;

	if (ucp_plain_link_claim(w, d, dname, st, UCP_CH_NEW, false, &owner))
		return 0;
	w->kept = false;
	ret = attrs_only(w, d, sname, dname, st);
	if (owner)
		ucp_plain_link_finish(w, st, ret == 0 && !w->kept);
	return ret;
}

static int attrs_only(struct ucp_worker *w, struct ucp_dir *d,
		      const char *sname, const char *dname,
		      const struct stat *st)
{
	struct stat dst;
	int fd, ret;

	/* (Made as a copy is: the default mode under --no-preserve=mode.) */
	fd = openat(d->dst_fd, dname,
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY,
		    ucp_plain_create_mode(w->run, d, st->st_mode));
	if (fd >= 0) {
		(void)close(fd);
	} else if (errno != EEXIST) {
		ret = -errno;
		ucp_report(w, d, dname, true, UCP_OP_CREATE, -ret);
		return ret;
	} else {
		/* An existing file keeps its data and takes the attributes. */
		ret = check_replace(w, d, sname, dname, st, &dst);
		if (ret != 0)
			return ret < 0 ? ret : 0;
		/*
		 * Not a symbolic link there, for a source that is none: never
		 * written through (cp gives its target the attributes), nor
		 * given some of them itself (a link has no mode).
		 */
		if (S_ISLNK(dst.st_mode) && !S_ISLNK(st->st_mode)) {
			/* (Without -p, no attributes to give: left alone.) */
			if (!(w->run->cfg->preserve & UCP_PRESERVE_ALL))
				return 0;
			ucp_report(w, d, dname, true, UCP_OP_THROUGH_LINK, 0);
			return -ELOOP;
		}
		/* (Its mode and owner are not what creation gave.) */
		ret = meta_of(w, d, sname, dname, dname, st, -1, -1,
			      FILL_EXISTING);
		goto done;
	}
	ret = meta_of(w, d, sname, dname, dname, st, -1, -1, FILL_NEW);
done:
	if (ret == 0) {
		ucp_file_done(&w->cnt);
		ucp_report_copied(w, d, sname, dname, "attributes only");
	}
	return ret;
}

int ucp_plain_clone(struct ucp_worker *w, struct ucp_dir *d, const char *dname,
		    int sfd, int dfd, const struct stat *st)
{
	enum ucp_reflink mode = w->run->cfg->reflink;
	int err;

	if (mode == UCP_REFLINK_NEVER ||
	    (st->st_size == 0 && mode != UCP_REFLINK_ALWAYS))
		return 1;
	/* One failure per source device is enough to know (auto). */
	if (mode == UCP_REFLINK_AUTO && w->clone_bad &&
	    w->clone_bad_dev == st->st_dev)
		return 1;
	if (ioctl(dfd, FICLONE, sfd) == 0) {
		ucp_count(&w->cnt.bytes_done, (uint64_t)st->st_size);
		return 0;
	}
	err = errno;
	if (mode == UCP_REFLINK_ALWAYS) {
		ucp_report(w, d, dname, true, UCP_OP_CLONE, err);
		return -err;
	}
	w->clone_bad = true;
	w->clone_bad_dev = st->st_dev;
	return 1;
}
