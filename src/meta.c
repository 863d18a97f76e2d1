/* SPDX-License-Identifier: MIT */
/*
 * meta.c: mode, ownership and timestamps of copies (see meta.h).
 */
#include "meta.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "banned.h"

bool ucp_meta_mode_is_exact(mode_t mode, mode_t umask)
{
	return (mode & 07777) == (mode & 0777 & ~umask);
}

void ucp_meta_env_init(struct ucp_meta_env *env)
{
	env->umask = umask(0);
	umask(env->umask);
	env->euid = geteuid();
	env->egid = getegid();
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
}

/* Append name and value to x; returns 0 or -ENOMEM. */
static int xattr_append(struct ucp_xattrs *x, const char *name, const char *val,
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

/* Read the xattrs of path, or of fd when path is NULL. */
static int load(const char *path, int fd, struct ucp_xattrs *x)
{
	char names[65536], val[65536];
	ssize_t n, vlen;
	char *p;
	int ret = 0;

	x->buf = NULL;
	x->len = 0;
	n = path ? llistxattr(path, names, sizeof(names))
		 : flistxattr(fd, names, sizeof(names));
	if (n < 0)
		return errno == ENOTSUP ? 0 : -errno;
	for (p = names; p < names + n && ret == 0; p += strlen(p) + 1) {
		vlen = path ? lgetxattr(path, p, val, sizeof(val))
			    : fgetxattr(fd, p, val, sizeof(val));
		if (vlen < 0) {
			if (errno == ENODATA) /* removed meanwhile */
				continue;
			ret = -errno;
			break;
		}
		ret = xattr_append(x, p, val, (uint32_t)vlen);
	}
	if (ret < 0)
		ucp_xattrs_release(x);
	return ret;
}

/* Names that only a privileged process may set, skipped quietly. */
int ucp_xattrs_load(const char *path, struct ucp_xattrs *x)
{
	return load(path, -1, x);
}

int ucp_xattrs_load_fd(int fd, struct ucp_xattrs *x)
{
	return load(NULL, fd, x);
}

static bool is_privileged_name(const char *name)
{
	return strncmp(name, "trusted.", 8) == 0 ||
	       strncmp(name, "security.", 9) == 0;
}

/* --preserve=context without xattr: the SELinux label alone. */
#define CONTEXT_XATTR "security.selinux"

static int xattrs_store(const char *path, const struct ucp_xattrs *x,
			bool context_only)
{
	size_t off = 0;

	while (off < x->len) {
		const char *name = x->buf + off;
		size_t nlen = strlen(name) + 1;
		uint32_t vlen;

		memcpy(&vlen, x->buf + off + nlen, sizeof(vlen));
		if (context_only && strcmp(name, CONTEXT_XATTR) != 0) {
			off += nlen + sizeof(vlen) + vlen;
			continue;
		}
		if (lsetxattr(path, name, x->buf + off + nlen + sizeof(vlen),
			      vlen, 0) < 0) {
			int err = errno;

			if (err == EPERM && is_privileged_name(name))
				err = 0;
			if (err)
				return -err;
		}
		off += nlen + sizeof(vlen) + vlen;
	}
	return 0;
}

/* Whether the list x holds an attribute called name. */
static bool has_name(const struct ucp_xattrs *x, const char *name)
{
	size_t off = 0;

	while (x && off < x->len) {
		size_t nlen = strlen(x->buf + off) + 1;
		uint32_t vlen;

		if (strcmp(x->buf + off, name) == 0)
			return true;
		memcpy(&vlen, x->buf + off + nlen, sizeof(vlen));
		off += nlen + sizeof(vlen) + vlen;
	}
	return false;
}

int ucp_xattrs_prune(const char *path, const struct ucp_xattrs *keep)
{
	char names[65536], *p;
	ssize_t n = llistxattr(path, names, sizeof(names));

	if (n < 0)
		return errno == ENOTSUP ? 0 : -errno;
	for (p = names; p < names + n; p += strlen(p) + 1)
		if (!has_name(keep, p) && lremovexattr(path, p) < 0 &&
		    errno != ENODATA &&
		    !(errno == EPERM && is_privileged_name(p)))
			return -errno;
	return 0;
}

int ucp_meta_apply(int dirfd, const char *name, const struct stat *st,
		   unsigned what, const struct ucp_meta_env *env,
		   const struct ucp_xattrs *x, enum ucp_op *op)
{
	bool is_link = S_ISLNK(st->st_mode);
	bool chowned = false, wrote_xattrs = false;
	int xret = 0;

	if ((what & UCP_PRESERVE_OWNERSHIP) &&
	    (st->st_uid != env->euid || st->st_gid != env->egid)) {
		if (fchownat(dirfd, name, st->st_uid, st->st_gid,
			     AT_SYMLINK_NOFOLLOW) == 0) {
			chowned = true;
		} else if (errno != EPERM || env->euid == 0) {
			*op = UCP_OP_CHOWN;
			return -errno;
		}
		/*
		 * Not root: a file cannot be given away, but keeping our
		 * own group may still be allowed; try the group alone.
		 */
		if (!chowned && st->st_gid != env->egid)
			(void)fchownat(dirfd, name, (uid_t)-1, st->st_gid,
				       AT_SYMLINK_NOFOLLOW);
	}
	if ((what & UCP_META_XATTRS) && x && x->buf) {
		char path[4096];
		int ret = -ENAMETOOLONG;

		if (ucp_meta_fd_path(path, sizeof(path), dirfd, name))
			ret = xattrs_store(path, x,
					   !(what & UCP_PRESERVE_XATTR));
		/* An ACL written here moved the mode bits: set them after. */
		wrote_xattrs = ret == 0;
		/* Unless xattr was named, failures go unreported (cp -a). */
		if (ret < 0 && env->xattr_strict) {
			if (ret != -ENOTSUP) {
				*op = UCP_OP_XATTR;
				return ret;
			}
			xret = ret; /* a warning: the times still follow */
		}
	}
	/* Linux has no symlink modes; chown may have cleared set-id bits. */
	if ((what & UCP_PRESERVE_MODE) && !is_link &&
	    (chowned || wrote_xattrs || (what & UCP_META_FORCE_MODE) ||
	     !ucp_meta_mode_is_exact(st->st_mode, env->umask)) &&
	    fchmodat(dirfd, name, st->st_mode & 07777, 0) < 0) {
		*op = UCP_OP_CHMOD;
		return -errno;
	}
	if (what & UCP_PRESERVE_TIMESTAMPS) {
		struct timespec ts[2] = { st->st_atim, st->st_mtim };

		if (utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW) < 0) {
			*op = UCP_OP_UTIMES;
			return -errno;
		}
	}
	if (xret)
		*op = UCP_OP_XATTR;
	return xret;
}
