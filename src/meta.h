/* SPDX-License-Identifier: MIT */
/*
 * meta.h: applying a source's mode, ownership and times to a copy.
 *
 * Order matters and follows BSD cp: chown first (it clears setuid and
 * setgid bits), then chmod, then the times last (anything else touching
 * the file would move its ctime, and writing would move its mtime).
 * Everything is by name relative to a directory descriptor and never
 * follows a symlink, so the same call serves files, symlinks and
 * directories (on post-order).
 */
#ifndef UCP_META_H
#define UCP_META_H

#include <stdbool.h>
#include <sys/stat.h>

#include "ucp.h"

/* With UCP_PRESERVE_MODE: chmod even when creation gave the mode already. */
#define UCP_META_FORCE_MODE 0x100u

/* Process facts looked up once per run, not once per file. */
struct ucp_meta_env {
	mode_t umask;
	uid_t euid;
	gid_t egid;
};

/* Fill env from the calling process (umask, effective ids). */
void ucp_meta_env_init(struct ucp_meta_env *env);

/*
 * Apply what (UCP_PRESERVE_* bits from ucp.h) of st to name in dirfd. umask is
 * the process umask (what the kernel already removed at creation, so a chmod is
 * skipped when it would change nothing). Ownership that an unprivileged user
 * may not give away (EPERM) is skipped silently, as cp -p does. Returns 0, or
 * -errno with *op naming the step that failed.
 */
int ucp_meta_apply(int dirfd, const char *name, const struct stat *st,
		   unsigned what, const struct ucp_meta_env *env,
		   enum ucp_op *op);

/* Whether creation with (mode & 0777) under umask already gives mode. */
bool ucp_meta_mode_is_exact(mode_t mode, mode_t umask);

#endif
