/* SPDX-License-Identifier: MIT */
/*
 * meta.c: mode, ownership and timestamps of copies (see meta.h).
 */
#include "meta.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

bool ucp_meta_mode_is_exact(mode_t mode, mode_t umask)
{
	return (mode & 07777) == (mode & 0777 & ~umask);
}

int ucp_meta_apply(int dirfd, const char *name, const struct stat *st,
		   unsigned what, mode_t umask, enum ucp_op *op)
{
	bool is_link = S_ISLNK(st->st_mode);
	bool chowned = false;

	if ((what & UCP_PRESERVE_OWNERSHIP) &&
	    (st->st_uid != geteuid() || st->st_gid != getegid())) {
		if (fchownat(dirfd, name, st->st_uid, st->st_gid,
			     AT_SYMLINK_NOFOLLOW) == 0) {
			chowned = true;
		} else if (errno != EPERM || geteuid() == 0) {
			*op = UCP_OP_CHOWN;
			return -errno;
		}
		/*
		 * Not root: a file cannot be given away, but keeping our
		 * own group may still be allowed; try the group alone.
		 */
		if (!chowned && st->st_gid != getegid())
			(void)fchownat(dirfd, name, (uid_t)-1, st->st_gid,
				       AT_SYMLINK_NOFOLLOW);
	}
	/* Linux has no symlink modes; chown may have cleared set-id bits. */
	if ((what & UCP_PRESERVE_MODE) && !is_link &&
	    (chowned || (what & UCP_META_FORCE_MODE) ||
	     !ucp_meta_mode_is_exact(st->st_mode, umask)) &&
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
	return 0;
}
