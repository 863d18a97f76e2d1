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

void ucp_meta_env_init(struct ucp_meta_env *env)
{
	env->umask = umask(0);
	umask(env->umask);
	env->euid = geteuid();
	env->egid = getegid();
}

int ucp_meta_apply(int dirfd, const char *name, const struct stat *st,
		   unsigned what, const struct ucp_meta_env *env,
		   enum ucp_op *op)
{
	bool is_link = S_ISLNK(st->st_mode);
	bool chowned = false;

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
	/* Linux has no symlink modes; chown may have cleared set-id bits. */
	if ((what & UCP_PRESERVE_MODE) && !is_link &&
	    (chowned || (what & UCP_META_FORCE_MODE) ||
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
	return 0;
}
