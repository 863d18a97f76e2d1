/* SPDX-License-Identifier: MIT */
/*
 * meta.c: mode, ownership and timestamps of copies (see meta.h).
 */
#include "meta.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "banned.h"
#include "fault.h"

bool ucp_meta_mode_is_exact(mode_t mode, mode_t umask)
{
	return (mode & 07777) == (mode & 0777 & ~umask);
}

/*
 * The umask, read without changing it (umask(2) can only set it, and a
 * moment's 0 could reach a file another thread creates, so only the caller
 * may use it: see ucp_config.has_umask): the "Umask:" line of
 * /proc/self/status (Linux 4.7), else the usual 022.
 */
static mode_t read_umask(void)
{
	char line[128];
	FILE *f = fopen("/proc/self/status", "re");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			unsigned v;

			if (sscanf(line, "Umask: %o", &v) == 1) {
				(void)fclose(f);
				return (mode_t)(v & 0777);
			}
		}
		(void)fclose(f);
	}
	return 022;
}

void ucp_meta_env_init(struct ucp_meta_env *env, const struct ucp_config *cfg)
{
	env->umask = cfg && cfg->has_umask ? cfg->umask & 0777 : read_umask();
	env->euid = geteuid();
	env->egid = getegid();
	env->keep_owner = cfg && (cfg->preserve & UCP_PRESERVE_OWNERSHIP) != 0;
}

bool ucp_meta_fd_path(char *buf, size_t n, int dirfd, const char *name)
{
	int len;

	if (dirfd == AT_FDCWD)
		len = snprintf(buf, n, "%s", name);
	else
		len = snprintf(buf, n, "/proc/self/fd/%d/%s", dirfd, name);
	return len >= 0 && (size_t)len < n;
}

void ucp_xattrs_release(struct ucp_xattrs *x)
{
	free(x->buf);
	x->buf = NULL;
	x->len = 0;
	x->failed = NULL;
}

bool ucp_xattrs_label_only(const struct ucp_xattrs *x)
{
	struct ucp_xattr a;
	size_t off = 0;

	while (ucp_xattrs_next(x, &off, &a))
		if (strcmp(a.name, "security.selinux") != 0)
			return false;
	return true;
}

bool ucp_xattrs_next(const struct ucp_xattrs *x, size_t *off,
		     struct ucp_xattr *a)
{
	size_t nlen;

	if (!x || *off >= x->len)
		return false;
	a->name = x->buf + *off;
	nlen = strlen(a->name) + 1;
	memcpy(&a->len, x->buf + *off + nlen, sizeof(a->len));
	a->value = x->buf + *off + nlen + sizeof(a->len);
	*off += nlen + sizeof(a->len) + a->len;
	return true;
}

int ucp_xattrs_add(struct ucp_xattrs *x, const char *name, const void *val,
		   uint32_t vlen)
{
	size_t nlen = strlen(name) + 1, add = nlen + sizeof(vlen) + vlen;
	char *b = realloc(x->buf, x->len + add);

	if (!b)
		return -ENOMEM;
	memcpy(b + x->len, name, nlen);
	memcpy(b + x->len + nlen, &vlen, sizeof(vlen));
	memcpy(b + x->len + nlen + sizeof(vlen), val, vlen);
	x->buf = b;
	x->len += add;
	return 0;
}

/*
 * A first call with a buffer of XATTR_FIRST bytes, then, only where that
 * is too small (ERANGE), one asking the size and one with a buffer of it:
 * given a buffer, the kernel allocates one as large for the call (zeroed
 * for a value), and a copy of a file's metadata spent more time there
 * with 64 KiB (1.4 us a call) than in the listing (0.45 us with none). So
 * a file without attributes, or with a few short ones (an SELinux label,
 * an ACL), takes one call for its list and one for each value. A list or a
 * value that grew between the calls is asked for again.
 */
#define XATTR_FIRST 1024

enum xattr_call { XATTR_LIST, XATTR_GET };

/* (By path: of the link itself, or with follow of what it leads to.) */
static ssize_t xattr_call(enum xattr_call c, const char *path, int fd,
			  bool follow, const char *name, char *buf, size_t n)
{
	if (c == XATTR_LIST && path)
		return follow ? listxattr(path, buf, n)
			      : llistxattr(path, buf, n);
	if (c == XATTR_LIST)
		return flistxattr(fd, buf, n);
	if (path)
		return follow ? getxattr(path, name, buf, n)
			      : lgetxattr(path, name, buf, n);
	return fgetxattr(fd, name, buf, n);
}

/*
 * Where a list or a value is read: XATTR_FIRST bytes in place, and only
 * for a larger one a buffer from the heap (up to the kernel's 64 KiB):
 * a worker's stack is as small as RLIMIT_STACK makes it, and two 64 KiB
 * buffers on it overran a limit of 128 KiB (crashes under ulimit -s 128).
 */
struct xbuf {
	char *p; /* small, or big */
	char *big;
	char small[XATTR_FIRST];
};

#define XATTR_MAX 65536 /* XATTR_LIST_MAX and XATTR_SIZE_MAX */

static void xbuf_init(struct xbuf *b)
{
	b->p = b->small;
	b->big = NULL;
}

static void xbuf_release(struct xbuf *b)
{
	free(b->big);
}

/*
 * The list (name NULL) or a value of path or fd, into b (at b->p); -1
 * with errno set on failure.
 */
static ssize_t xattr_sized(enum xattr_call c, const char *path, int fd,
			   bool follow, const char *name, struct xbuf *b)
{
	ssize_t n =
		xattr_call(c, path, fd, follow, name, b->small, XATTR_FIRST);

	b->p = b->small;
	for (int tries = 0; n < 0 && errno == ERANGE && tries < 4; tries++) {
		n = xattr_call(c, path, fd, follow, name, NULL, 0);
		if (n <= 0)
			return n;
		if (!b->big && !(b->big = malloc(XATTR_MAX))) {
			errno = ENOMEM;
			return -1;
		}
		b->p = b->big;
		n = xattr_call(c, path, fd, follow, name, b->big,
			       (size_t)n > XATTR_MAX ? XATTR_MAX : (size_t)n);
	}
	return n;
}

bool ucp_xattr_skipped(const char *name)
{
	/* Whole names, and (ending in '.' or '_') prefixes. */
	static const char *const skip[] = {
		"trusted.SGI_ACL_FILE", "trusted.SGI_ACL_DEFAULT",
		"trusted.SGI_CAP_FILE", "trusted.SGI_MAC_FILE",
		"trusted.SGI_DMI_",	"xfsroot.",
		"security.evm",		"afs.",
		"user.Beagle.",
	};

	/* (Most names are user.*, security.selinux or ACLs.) */
	if (name[0] == 's' && strcmp(name, "security.selinux") == 0)
		return false;
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		size_t n = strlen(skip[i]);
		char last = skip[i][n - 1];

		if (last == '.' || last == '_' ? strncmp(name, skip[i], n) == 0
					       : strcmp(name, skip[i]) == 0)
			return true;
	}
	return false;
}

/* How load reads (bits): */
#define LOAD_FOLLOW 1u	 /* by path, what a symbolic link there leads to */
#define LOAD_READABLE 2u /* a value it may not read (EACCES) left out */

/*
 * Read the xattrs of path, or of fd when path is NULL (how: LOAD_*);
 * skipped names left out. 0, -errno, or with LOAD_READABLE 1 where a
 * value it may not read was left out.
 */
static int load(const char *path, int fd, unsigned how, struct ucp_xattrs *x)
{
	bool follow = how & LOAD_FOLLOW, left_out = false;
	struct xbuf names, val;
	ssize_t n, vlen;
	char *p;
	int ret = 0;

	x->buf = NULL;
	x->len = 0;
	xbuf_init(&names);
	xbuf_init(&val);
	n = xattr_sized(XATTR_LIST, path, fd, follow, NULL, &names);
	if (n < 0)
		ret = errno == ENOTSUP ? 0 : -errno;
	for (p = names.p; n > 0 && p < names.p + n && ret == 0;
	     p += strlen(p) + 1) {
		if (ucp_xattr_skipped(p))
			continue;
		vlen = xattr_sized(XATTR_GET, path, fd, follow, p, &val);
		if (vlen < 0) {
			if (errno == ENODATA) /* removed meanwhile */
				continue;
			if (errno == EACCES && (how & LOAD_READABLE)) {
				left_out = true;
				continue;
			}
			ret = -errno;
			break;
		}
		ret = ucp_xattrs_add(x, p, val.p, (uint32_t)vlen);
	}
	xbuf_release(&names);
	xbuf_release(&val);
	if (ret < 0)
		ucp_xattrs_release(x);
	return ret == 0 && left_out ? 1 : ret;
}

/*
 * listxattrat(2) (Linux 6.13) lists name in dirfd with a one-component
 * lookup; before it, the only way to the list by name is a path through
 * /proc/self/fd, whose lookup cost more than the rest of copying a small
 * file's metadata (measured: 11% of an `-a` run). Its number is the same
 * on every architecture with the unified syscall table.
 */
#if defined(__NR_listxattrat)
#define UCP_NR_LISTXATTRAT __NR_listxattrat
#elif defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
	defined(__arm__) || defined(__riscv) || defined(__powerpc__) ||   \
	defined(__s390__) || defined(__loongarch__)
#define UCP_NR_LISTXATTRAT 465
#endif

static atomic_bool no_listxattrat;

/*
 * (l)listxattr of dirfd/name (follow: what a symbolic link there leads to)
 * into names; -1 with errno set on failure.
 */
static ssize_t list_at(int dirfd, const char *name, bool follow, char *names,
		       size_t n)
{
	char path[4096];

#ifdef UCP_NR_LISTXATTRAT
	if (!atomic_load_explicit(&no_listxattrat, memory_order_relaxed)) {
		long r = syscall(UCP_NR_LISTXATTRAT, dirfd, name,
				 follow ? 0 : AT_SYMLINK_NOFOLLOW, names, n);

		/* ENOSYS: an older kernel; EPERM: a seccomp filter. */
		if (r >= 0 || (errno != ENOSYS && errno != EPERM))
			return r;
		atomic_store(&no_listxattrat, true);
	}
#endif
	if (!ucp_meta_fd_path(path, sizeof(path), dirfd, name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return follow ? listxattr(path, names, n) : llistxattr(path, names, n);
}

/* ucp_xattrs_load_at and ucp_xattrs_load_readable_at (how: LOAD_*). */
static int load_at(int dirfd, const char *name, unsigned how,
		   struct ucp_xattrs *x)
{
	char names[1], path[4096];
	ssize_t n;

	x->buf = NULL;
	x->len = 0;
	/* Most files have none: a zero-size listing answers that alone. */
	n = list_at(dirfd, name, how & LOAD_FOLLOW, names, 0);
	if (n <= 0)
		return n == 0 || errno == ENOTSUP ? 0 : -errno;
	if (!ucp_meta_fd_path(path, sizeof(path), dirfd, name))
		return -ENAMETOOLONG;
	return load(path, -1, how, x);
}

int ucp_xattrs_load_at(int dirfd, const char *name, bool follow,
		       struct ucp_xattrs *x)
{
	return load_at(dirfd, name, follow ? LOAD_FOLLOW : 0, x);
}

int ucp_xattrs_load_readable_at(int dirfd, const char *name, bool follow,
				struct ucp_xattrs *x)
{
	return load_at(dirfd, name, LOAD_READABLE | (follow ? LOAD_FOLLOW : 0),
		       x);
}

void ucp_meta_force_fallback(bool on)
{
	atomic_store(&no_listxattrat, on);
}

int ucp_xattrs_load_fd(int fd, struct ucp_xattrs *x)
{
	return load(NULL, fd, 0, x);
}

/* Names that only a privileged process may set, skipped quietly. */
static bool is_privileged_name(const char *name)
{
	return strncmp(name, "trusted.", 8) == 0 ||
	       strncmp(name, "security.", 9) == 0;
}

/* --preserve=context without xattr: the SELinux label alone. */
#define CONTEXT_XATTR "security.selinux"

/*
 * Where metadata goes: an open descriptor when fd >= 0 (no name lookup at
 * all), else name in dirfd, never following a final symlink.
 */
struct target {
	int fd;
	int dirfd;
	const char *name;
};

static int t_setxattr(const struct target *t, const char *path,
		      const char *name, const void *val, size_t len)
{
	if (ucp_fault_fail(UCP_FAULT_XATTR) < 0)
		return -1;
	return t->fd >= 0 ? fsetxattr(t->fd, name, val, len, 0)
			  : lsetxattr(path, name, val, len, 0);
}

/* Whether name is a POSIX ACL (part of the mode, for --no-preserve). */
static bool is_acl_name(const char *name)
{
	return strncmp(name, "system.posix_acl_", 17) == 0;
}

/* Whether attribute name is kept with what (UCP_PRESERVE_* bits). */
static bool kept(const char *name, unsigned what)
{
	if (is_acl_name(name)) /* permissions: with the mode */
		return (what & UCP_PRESERVE_MODE) != 0;
	if (what & UCP_PRESERVE_XATTR)
		return true;
	return (what & UCP_PRESERVE_CONTEXT) &&
	       strcmp(name, CONTEXT_XATTR) == 0;
}

/*
 * Set the attributes of x that what keeps, each tried whatever became of
 * the others (an ACL after an attribute the file system refused would
 * be lost without a word). 0 or the first -errno of an attribute, whose
 * name x->failed is then; a POSIX ACL that could not be set, for whatever
 * reason (no support, no room for a long one: ENOSPC, E2BIG), gives its
 * errno in *acl_err instead, for apply to report as the ACL it is.
 */
static int xattrs_store(const struct target *t, struct ucp_xattrs *x,
			unsigned what, int *acl_err)
{
	struct ucp_xattr a;
	char path[4096];
	size_t off = 0;
	int first = 0;

	x->failed = NULL;
	if (t->fd < 0 &&
	    !ucp_meta_fd_path(path, sizeof(path), t->dirfd, t->name))
		return -ENAMETOOLONG;
	while (ucp_xattrs_next(x, &off, &a)) {
		if (!kept(a.name, what))
			continue;
		if (t_setxattr(t, path, a.name, a.value, a.len) < 0) {
			int err = errno;

			if (err == EPERM && is_privileged_name(a.name))
				err = 0;
			/* (Reported by apply, whatever else is kept.) */
			if (err && is_acl_name(a.name)) {
				if (!*acl_err)
					*acl_err = err;
				err = 0;
			}
			if (err && !first) {
				first = -err;
				x->failed = a.name;
			}
		}
	}
	return first;
}

bool ucp_xattrs_has(const struct ucp_xattrs *x, const char *name)
{
	struct ucp_xattr a;
	size_t off = 0;

	while (ucp_xattrs_next(x, &off, &a))
		if (strcmp(a.name, name) == 0)
			return true;
	return false;
}

int ucp_meta_drop_acl(int dirfd, const char *name, int fd,
		      const struct ucp_xattrs *x)
{
	static const char acl[] = "system.posix_acl_access";
	char path[4096];
	int ret;

	if (ucp_xattrs_has(x, acl))
		return 0;
	/* (Only where there is one: a file of another user's refuses a
	 * removal even of nothing.) */
	if (fd >= 0)
		ret = fgetxattr(fd, acl, NULL, 0) < 0 ? 0
						      : fremovexattr(fd, acl);
	else if (ucp_meta_fd_path(path, sizeof(path), dirfd, name))
		ret = lgetxattr(path, acl, NULL, 0) < 0
			      ? 0
			      : lremovexattr(path, acl);
	else
		return -ENAMETOOLONG;
	return ret == 0 || errno == ENODATA || errno == ENOTSUP ? 0 : -errno;
}

static const char default_acl[] = "system.posix_acl_default";

/* Directory fd by a path: an O_PATH descriptor refuses the f*xattr calls. */
static void dir_path(char *buf, size_t n, int fd)
{
	(void)ucp_meta_fd_path(buf, n, fd, ".");
}

bool ucp_meta_modes_kept(int fd)
{
	static const unsigned long posix[] = {
		0xef53,	    /* ext2, ext3, ext4 */
		0x58465342, /* XFS */
		0x9123683e, /* Btrfs */
		0x01021994, /* tmpfs */
		0x858458f6, /* ramfs */
		0xf2f52010, /* F2FS */
		0xca451a4e, /* bcachefs */
		0x2fc12fc1, /* ZFS */
		0x794c7630, /* overlayfs */
		0x3153464a, /* JFS */
		0x52654973, /* ReiserFS */
		0x6969,	    /* NFS */
		0x00c36400, /* Ceph */
		0x01161970, /* GFS2 */
		0x7461636f, /* OCFS2 */
		0x0bd00bd0, /* Lustre */
		0x3434,	    /* NILFS2 */
	};
	struct statfs f;
	size_t i;

	if (fstatfs(fd, &f) < 0)
		return false;
	for (i = 0; i < sizeof(posix) / sizeof(posix[0]); i++)
		if ((unsigned long)f.f_type == posix[i])
			return true;
	return false;
}

bool ucp_meta_owner_first(unsigned what, mode_t mode)
{
	return (what & (UCP_PRESERVE_MODE | UCP_PRESERVE_OWNERSHIP)) ==
		       UCP_PRESERVE_OWNERSHIP &&
	       (mode & 077);
}

bool ucp_meta_dir_as_made(int fd, uid_t euid)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || st.st_nlink > 2)
		return false;
	/* (FAT, NTFS, CIFS mounted with uid=: every entry is that user's.) */
	return st.st_uid == euid || !ucp_meta_modes_kept(fd);
}

bool ucp_meta_has_default_acl(int fd)
{
	char path[64];

	if (fgetxattr(fd, default_acl, NULL, 0) >= 0)
		return true;
	if (errno != EBADF)
		return false;
	dir_path(path, sizeof(path), fd);
	return getxattr(path, default_acl, NULL, 0) >= 0;
}

int ucp_meta_drop_default_acl(int fd, const struct ucp_xattrs *x)
{
	char path[64];
	int ret;

	/* (Only where there is one, as ucp_meta_drop_acl.) */
	if (ucp_xattrs_has(x, default_acl) || !ucp_meta_has_default_acl(fd))
		return 0;
	ret = fremovexattr(fd, default_acl);
	if (ret < 0 && errno == EBADF) {
		dir_path(path, sizeof(path), fd);
		ret = removexattr(path, default_acl);
	}
	return ret == 0 || errno == ENODATA || errno == ENOTSUP ? 0 : -errno;
}

int ucp_meta_drop_dir_acls(int fd, const struct ucp_xattrs *x)
{
	int ret = ucp_meta_drop_acl(fd, ".", -1, x);

	return ret == 0 ? ucp_meta_drop_default_acl(fd, x) : ret;
}

int ucp_meta_inherit_xattrs(int dirfd, const char *name, int fd, bool acls,
			    bool inherited)
{
	static const char access_acl[] = "system.posix_acl_access";
	struct ucp_xattrs x = { 0 };
	struct ucp_xattr a;
	size_t off = 0;
	bool read = ucp_xattrs_load_at(dirfd, name, false, &x) == 0;
	int ret = 0;

	while (read && ucp_xattrs_next(&x, &off, &a)) {
		if ((is_acl_name(a.name) && !acls) ||
		    strcmp(a.name, "security.capability") == 0)
			continue;
		/* (One a user may not set: lost, unless written in place.) */
		if (fsetxattr(fd, a.name, a.value, a.len, 0) < 0 &&
		    (errno == EPERM || errno == EACCES) && !is_acl_name(a.name))
			ret = 1;
	}
	if (ret == 0 && read && acls && inherited &&
	    !ucp_xattrs_has(&x, access_acl) &&
	    fremovexattr(fd, access_acl) < 0 && errno != ENODATA &&
	    errno != ENOTSUP)
		ret = -errno;
	ucp_xattrs_release(&x);
	return ret;
}

/* ucp_xattrs_prune_at of path, or of fd when path is NULL. */
static int prune(const char *path, int fd, const struct ucp_xattrs *keep)
{
	struct xbuf names;
	ssize_t n;
	char *p;
	int ret = 0;

	xbuf_init(&names);
	n = xattr_sized(XATTR_LIST, path, fd, false, NULL, &names);
	if (n < 0)
		ret = errno == ENOTSUP ? 0 : -errno;
	for (p = names.p; n > 0 && p < names.p + n && ret == 0;
	     p += strlen(p) + 1)
		if (!ucp_xattrs_has(keep, p) && !ucp_xattr_skipped(p) &&
		    (path ? lremovexattr(path, p) : fremovexattr(fd, p)) < 0 &&
		    errno != ENODATA &&
		    !(errno == EPERM && is_privileged_name(p)))
			ret = -errno;
	xbuf_release(&names);
	return ret;
}

int ucp_xattrs_prune_at(int dirfd, const char *name, int fd,
			const struct ucp_xattrs *keep)
{
	char path[4096];
	int ret;

	if (fd >= 0)
		ret = prune(NULL, fd, keep);
	else if (ucp_meta_fd_path(path, sizeof(path), dirfd, name ? name : "."))
		ret = prune(path, -1, keep);
	else
		ret = -ENAMETOOLONG;
	return ret == -ENOTSUP ? 0 : ret;
}

static int t_chown(const struct target *t, uid_t uid, gid_t gid)
{
	if (ucp_fault_fail(UCP_FAULT_META) < 0)
		return -1;
	return t->fd >= 0 ? fchown(t->fd, uid, gid)
			  : fchownat(t->dirfd, t->name, uid, gid,
				     AT_SYMLINK_NOFOLLOW);
}

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452 /* the same number on every architecture */
#endif

/* fchmodat2 is missing (before 6.6) or blocked: use the O_PATH way. */
static atomic_bool no_fchmodat2;

void ucp_meta_force_lchmod_fallback(bool on)
{
	atomic_store(&no_fchmodat2, on);
}

int ucp_meta_lchmod(int dirfd, const char *name, mode_t mode)
{
	char path[32];
	struct stat st;
	int fd, ret;

	if (!atomic_load_explicit(&no_fchmodat2, memory_order_relaxed)) {
		if (syscall(SYS_fchmodat2, dirfd, name, mode,
			    AT_SYMLINK_NOFOLLOW) == 0)
			return 0;
		if (errno != ENOSYS && errno != EPERM)
			return -errno;
		/* EPERM: a seccomp filter that does not know the call. */
		if (errno == ENOSYS)
			atomic_store(&no_fchmodat2, true);
	}
	/* The entry itself, whatever it is; then chmod it unless a symlink. */
	fd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
	} else if (S_ISLNK(st.st_mode)) {
		ret = -EOPNOTSUPP;
	} else {
		/* The magic link leads to the inode fd holds, by no name. */
		(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		ret = chmod(path, mode) < 0 ? -errno : 0;
	}
	(void)close(fd);
	return ret;
}

static int t_chmod(const struct target *t, mode_t mode)
{
	int ret;

	if (ucp_fault_fail(UCP_FAULT_META) < 0)
		return -1;
	if (t->fd >= 0)
		return fchmod(t->fd, mode);
	ret = ucp_meta_lchmod(t->dirfd, t->name, mode);
	if (ret < 0)
		errno = -ret;
	return ret < 0 ? -1 : 0;
}

static int t_stat(const struct target *t, struct stat *st)
{
	return t->fd >= 0 ? fstat(t->fd, st)
			  : fstatat(t->dirfd, t->name, st, AT_SYMLINK_NOFOLLOW);
}

static int t_utimes(const struct target *t, const struct timespec ts[2])
{
	if (ucp_fault_fail(UCP_FAULT_META) < 0)
		return -1;
	return t->fd >= 0
		       ? futimens(t->fd, ts)
		       : utimensat(t->dirfd, t->name, ts, AT_SYMLINK_NOFOLLOW);
}

/*
 * The set-id bits a copy of st drops where its owner or group could not
 * be given: both; but a directory's set-group-ID bit that it took from
 * its parent (what), which gives no one's rights, only its group to what
 * is made in it, stays, as cp leaves it (the kernel's chmod takes it from
 * one whose group the user is not in).
 */
static mode_t setid_bits(const struct stat *st, unsigned what)
{
	return S_ISDIR(st->st_mode) && (what & UCP_META_SGID_INHERITED)
		       ? S_ISUID
		       : S_ISUID | S_ISGID;
}

/*
 * A user (not root) cannot give st's owner to t: the group alone is given
 * where it is ours to give, and the set-id bits to drop are returned:
 * setid_bits where either owner or group is not kept (cp -p), else none.
 * Also for a later run that mends only the mode: what could not be given
 * the first time still takes no set-id bit.
 */
static mode_t setid_kept_off(const struct target *t, const struct stat *st,
			     unsigned what, const struct ucp_meta_env *env)
{
	bool group = st->st_gid == env->egid ||
		     t_chown(t, (uid_t)-1, st->st_gid) == 0;

	return st->st_uid == env->euid && group ? 0 : setid_bits(st, what);
}

/* Whether t has st's owner and group already; errno is kept. */
static bool has_owner(const struct target *t, const struct stat *st)
{
	int err = errno;
	struct stat now;
	bool same = t_stat(t, &now) == 0 && now.st_uid == st->st_uid &&
		    now.st_gid == st->st_gid;

	errno = err;
	return same;
}

/*
 * The owner and group of st onto t (only where they differ from ours,
 * unless forced). 0, 1 when a chown was made (it may have cleared set-id
 * bits), or -errno. *drop gets the set-id bits that must not stay: those
 * of an owner or a group that could not be given (as cp does, a copy
 * never becomes set-id to someone it does not belong to).
 */
static int apply_owner(const struct target *t, const struct stat *st,
		       unsigned what, const struct ucp_meta_env *env,
		       mode_t *drop)
{
	*drop = 0;
	if (!(what & UCP_META_FORCE_OWNER) && st->st_uid == env->euid &&
	    st->st_gid == env->egid)
		return 0;
	if (t_chown(t, st->st_uid, st->st_gid) == 0)
		return 1;
	/*
	 * (A forced chown refused where nothing would change: an immutable
	 * or append-only directory merged into, that has them already.)
	 */
	if (errno == EPERM && (what & UCP_META_FORCE_OWNER) && has_owner(t, st))
		return 0;
	if (errno != EPERM || env->euid == 0)
		return -errno;
	*drop = setid_kept_off(t, st, what, env);
	return *drop ? 1 : 0;
}

/*
 * The xattrs x onto t. User xattrs need write permission on the inode: a
 * read-only copy (0444) of our own gets owner write for the moment, and
 * *mode_again asks the caller to set the mode after (also after an ACL,
 * which moves the mode bits). 0 or -errno.
 */
static int apply_xattrs(const struct target *t, const struct stat *st,
			unsigned what, const struct ucp_meta_env *env,
			struct ucp_xattrs *x, bool *mode_again, int *acl_err)
{
	int ret = xattrs_store(t, x, what, acl_err);
	struct stat now;

	if (ret == -EACCES && !S_ISLNK(st->st_mode) && env->euid != 0 &&
	    t_stat(t, &now) == 0 &&
	    t_chmod(t, (now.st_mode & 07777) | S_IWUSR) == 0) {
		*acl_err = 0;
		ret = xattrs_store(t, x, what, acl_err);
		/* The mode it had, unless the source's is to follow. */
		if (!(what & UCP_PRESERVE_MODE) &&
		    t_chmod(t, now.st_mode & 07777) < 0 && ret == 0)
			ret = -errno;
		*mode_again = true;
	}
	if (ret == 0)
		*mode_again = true;
	return ret;
}

void ucp_meta_mark_unfinished(const struct ucp_meta_env *env,
			      struct timespec *t)
{
	*t = ucp_data_mark(env->retry_window, *t);
}

/*
 * Whether a mirror's copy is to be marked unfinished: an attribute
 * (xret, reported) or an ACL could not be written.
 */
static bool unfinished(const struct ucp_meta_env *env, int xret, int acl_err)
{
	return env->xattr_retry && ((xret && xret != -ENOTSUP) || acl_err);
}

/*
 * After a chmod refused (EPERM: another user's file, in a mirror), whether
 * t has mode already: then nothing failed (it said "cannot set
 * permissions" of a file whose mode was right). errno is kept.
 */
static bool has_mode(const struct target *t, mode_t mode)
{
	int err = errno;
	struct stat now;
	bool same = err == EPERM && t_stat(t, &now) == 0 &&
		    (now.st_mode & 07777) == mode;

	errno = err;
	return same;
}

/* Keep the first failure, err (-errno) of step o: the later steps go on. */
static void first_failure(int *first, enum ucp_op *op, int err, enum ucp_op o)
{
	if (*first == 0 && err < 0) {
		*first = err;
		*op = o;
	}
}

/*
 * Whether a destination without extended attributes (ret -ENOTSUP) is to
 * be said now: once a run, under env->xattr_report (a warning).
 */
static bool first_nosup(const struct ucp_meta_env *env, int ret)
{
	return ret == -ENOTSUP && env->xattr_report && env->nosup_said &&
	       !atomic_load_explicit(env->nosup_said, memory_order_relaxed) &&
	       !atomic_exchange(env->nosup_said, true);
}

/*
 * A step that fails does not stop the later ones, as in cp -p: an owner
 * that cannot be given still lets the mode (without set-id bits: a copy
 * never becomes set-id to someone it does not belong to) and the times
 * follow, so that a mirror sees the times right and a later run does not
 * copy the data again. The first failure is returned.
 */
static int apply(const struct target *t, const struct stat *st, unsigned what,
		 const struct ucp_meta_env *env, struct ucp_xattrs *x,
		 enum ucp_op *op)
{
	bool mode_again = (what & UCP_META_FORCE_MODE) != 0, mark;
	mode_t drop = 0;
	int first = 0, xret = 0, acl_err = 0, ret;
	bool nosup = false;

	if (what & UCP_PRESERVE_OWNERSHIP) {
		ret = apply_owner(t, st, what, env, &drop);
		first_failure(&first, op, ret, UCP_OP_CHOWN);
		if (ret < 0)
			drop = setid_bits(st, what);
		mode_again |= ret != 0;
	} else if (env->keep_owner && env->euid != 0 &&
		   (st->st_mode & (S_ISUID | S_ISGID))) {
		drop = setid_kept_off(t, st, what, env);
	}
	if ((what & UCP_META_LOAD) && x && x->buf) {
		ret = apply_xattrs(t, st, what, env, x, &mode_again, &acl_err);
		/*
		 * Unless xattr was named, failures go unreported (cp -a);
		 * but a mirror or an extraction says that an attribute
		 * could not be written, where the file system has them.
		 */
		if (ret < 0 && (env->xattr_strict ||
				(env->xattr_report && ret != -ENOTSUP)))
			xret = ret; /* the mode and times still follow */
		nosup = ret == -ENOTSUP;
	}
	/* Linux has no symlink modes; chown may have cleared set-id bits. */
	if ((what & UCP_PRESERVE_MODE) && !S_ISLNK(st->st_mode) &&
	    (mode_again || !ucp_meta_mode_is_exact(st->st_mode, env->umask)) &&
	    t_chmod(t, st->st_mode & 07777 & ~drop) < 0 &&
	    !has_mode(t, st->st_mode & 07777 & ~drop))
		first_failure(&first, op, -errno, UCP_OP_CHMOD);
	/*
	 * A mirror whose attributes (or ACL) could not be written is marked
	 * unfinished by its modification time, a second (and the modify
	 * window) before the source's: the time the copy got by itself was
	 * no mark when the clock's tick made it the source's, nor on an
	 * entry whose time was right already.
	 */
	mark = unfinished(env, xret, acl_err);
	if ((what & UCP_PRESERVE_TIMESTAMPS) ||
	    (mark && (what & UCP_META_MARK_TIMES))) {
		struct timespec ts[2] = { st->st_atim, st->st_mtim };

		if (mark)
			ts[1] = ucp_attrs_mark(env->retry_window, ts[1]);
		if (t_utimes(t, ts) < 0)
			first_failure(&first, op, -errno, UCP_OP_UTIMES);
	}
	/*
	 * An ACL the copy cannot hold leaves its mode alone to say who may
	 * read it, wider than the source's: an error, as in cp -p.
	 */
	if (acl_err)
		first_failure(&first, op, -acl_err, UCP_OP_ACL);
	/*
	 * No attributes here, said once a run: by the first file where it
	 * is the failure returned (one whose owner could not be given says
	 * that, and leaves it to the next).
	 */
	if (nosup && !xret && !first && first_nosup(env, -ENOTSUP))
		xret = -ENOTSUP;
	first_failure(&first, op, xret, UCP_OP_XATTR);
	return first;
}

int ucp_meta_apply(int dirfd, const char *name, const struct stat *st,
		   unsigned what, const struct ucp_meta_env *env,
		   struct ucp_xattrs *x, enum ucp_op *op)
{
	struct target t = { .fd = -1, .dirfd = dirfd, .name = name };

	return apply(&t, st, what, env, x, op);
}

int ucp_meta_apply_fd(int fd, const struct stat *st, unsigned what,
		      const struct ucp_meta_env *env, struct ucp_xattrs *x,
		      enum ucp_op *op)
{
	struct target t = { .fd = fd, .dirfd = -1, .name = NULL };

	if (fd < 0)
		return -EBADF;
	return apply(&t, st, what, env, x, op);
}
