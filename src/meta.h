/* SPDX-License-Identifier: MIT */
/*
 * meta.h: applying a source's mode, ownership and times to a copy.
 *
 * Order matters and follows BSD cp: chown first (it clears setuid and
 * setgid bits and file capabilities), then xattrs (writing an ACL changes
 * the mode bits), then chmod, then the times last (anything else touching
 * the file would move its ctime, and writing would move its mtime).
 * Everything is by name relative to a directory descriptor and never
 * follows a symlink, so the same call serves files, symlinks and
 * directories (on post-order).
 */
#ifndef UCP_META_H
#define UCP_META_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "types.h"

/* The bits that need the source's xattrs read. */
#define UCP_META_XATTRS (UCP_PRESERVE_XATTR | UCP_PRESERVE_CONTEXT)
/* ... and those of an entry copied: the mode takes its POSIX ACLs, as in
 * cp -p (one (f)listxattr more a file with -p). */
#define UCP_META_LOAD (UCP_META_XATTRS | UCP_PRESERVE_MODE)

/* With UCP_PRESERVE_MODE: chmod even when creation gave the mode already. */
#define UCP_META_FORCE_MODE 0x100u
/*
 * With UCP_PRESERVE_OWNERSHIP: chown even when the source belongs to the
 * user running ucp. A file ucp creates is already its user's; an entry that
 * existed before (a mirror's, a directory -a merges into) may not be.
 */
#define UCP_META_FORCE_OWNER 0x200u
/*
 * Without UCP_PRESERVE_TIMESTAMPS: the times are set only to mark the copy
 * unfinished, when an attribute could not be written (env->xattr_retry).
 */
#define UCP_META_MARK_TIMES 0x400u
/*
 * The set-group-ID bit of a directory's st is the one it took from its
 * parent, not the source's: it stays where the owner or group could not
 * be given (the source's own goes then, as cp drops it).
 */
#define UCP_META_SGID_INHERITED 0x800u

/* Process facts looked up once per run, not once per file. */
struct ucp_meta_env {
	mode_t umask;
	uid_t euid;
	gid_t egid;
	bool xattr_strict; /* report xattr failures (named, not via "all") */
	bool xattr_report; /* ... those, and ENOTSUP once a run: the first
			      file's, through *nosup_said (--sync, --untar) */
	atomic_bool *nosup_said; /* (the run's; NULL: ENOTSUP not said) */
	bool xattr_retry;	 /* ... and mark the copy unfinished then: a
				    modification time not the source's, for the
				    next run to see it differ (--sync) */
	long retry_window; /* ... off by more than this (--modify-window) */
	bool keep_owner;   /* the owner is kept (-p, -a): a copy that cannot
			      have it gets no set-id bit for it either */
};

/*
 * The words of the warning a run gives once, for the first file whose
 * attributes a destination without extended attributes could not take
 * (env->xattr_report, not env->xattr_strict).
 */
#define UCP_XATTR_NOSUP_ONCE                                              \
	"extended attributes not kept: the file system does not support " \
	"them (said for the first such file only)"

/*
 * A source's extended attributes (ACLs are the system.posix_acl_* ones),
 * read into one buffer: a run of "name\0" + 4-byte length + value.
 */
struct ucp_xattrs {
	char *buf;
	size_t len;
	/* The first attribute ucp_meta_apply could not write (in buf), for
	 * the message to name; NULL when none failed. */
	const char *failed;
};

/*
 * Read every extended attribute of the open file or directory fd into *x;
 * x->buf is NULL when there are none. Returns 0 or -errno; filesystems
 * without xattrs count as having none.
 */
int ucp_xattrs_load_fd(int fd, struct ucp_xattrs *x);
/*
 * The same for name in dirfd: of a symbolic link itself, or with follow
 * of the file it leads to (-L).
 */
int ucp_xattrs_load_at(int dirfd, const char *name, bool follow,
		       struct ucp_xattrs *x);
/*
 * ... leaving out the values it may not read (a user attribute of a
 * directory it may not read: its ACL, which it may, is kept); 1 then.
 */
int ucp_xattrs_load_readable_at(int dirfd, const char *name, bool follow,
				struct ucp_xattrs *x);
/* One attribute of a list, borrowed from it. */
struct ucp_xattr {
	const char *name;
	const char *value;
	uint32_t len;
};

/*
 * Step through list x: *off starts at 0; fills *a and returns true for
 * each attribute, false at the end. The one way to read a list.
 */
bool ucp_xattrs_next(const struct ucp_xattrs *x, size_t *off,
		     struct ucp_xattr *a);

/* Tests: take the path the kernels before listxattrat(2) take (or not). */
void ucp_meta_force_fallback(bool on);
void ucp_xattrs_release(struct ucp_xattrs *x);
/*
 * Whether attribute name is one no copy carries: another form of what is
 * kept otherwise (XFS shows root its ACLs and capabilities raw, as
 * trusted.SGI_ACL_FILE and the like: carried elsewhere they are dead
 * bytes that setfacl does not see, and brought back to XFS they would
 * restore an ACL since taken away), or the kernel's own (security.evm).
 * The names /etc/xattr.conf marks "skip", which cp and rsync skip too.
 * Such names are not read, compared, archived, restored nor removed.
 */
bool ucp_xattr_skipped(const char *name);
/* Whether the list x holds an attribute called name. */
bool ucp_xattrs_has(const struct ucp_xattrs *x, const char *name);
/* Whether x holds an SELinux label (security.selinux) and nothing else. */
bool ucp_xattrs_label_only(const struct ucp_xattrs *x);
/* Append the attribute name with vlen bytes of val to x. 0 or -ENOMEM. */
int ucp_xattrs_add(struct ucp_xattrs *x, const char *name, const void *val,
		   uint32_t vlen);

/*
 * "/proc/self/fd/N/name" (name itself for AT_FDCWD): a path that reaches name
 * through dirfd. False if it does not fit in n bytes.
 */
bool ucp_meta_fd_path(char *buf, size_t n, int dirfd, const char *name);

/*
 * Remove the extended attributes that keep (may be NULL: all of them) does
 * not list, of the open file fd (>= 0), else of name in dirfd (NULL: dirfd
 * itself; a final symlink is not followed). 0 or -errno; privileged names
 * this user may not remove are left quietly, and no xattr support here
 * counts as nothing to remove.
 */
int ucp_xattrs_prune_at(int dirfd, const char *name, int fd,
			const struct ucp_xattrs *keep);

/*
 * chmod name in dirfd without following it when it is a symlink: a symlink
 * put in the place of a destination entry never sends a mode elsewhere
 * (-EOPNOTSUPP for a symlink). fchmodat2 where the kernel has it (6.6), else
 * an O_PATH descriptor of the entry itself. 0 or -errno.
 */
int ucp_meta_lchmod(int dirfd, const char *name, mode_t mode);
/* Tests: use the O_PATH way even where fchmodat2 exists (on) or not. */
void ucp_meta_force_lchmod_fallback(bool on);

/*
 * Fill env from the calling process (effective ids) and cfg (may be NULL):
 * its umask when it has one, else the one read from /proc/self/status.
 * Never changes the process umask.
 */
void ucp_meta_env_init(struct ucp_meta_env *env, const struct ucp_config *cfg);

/*
 * Apply what (UCP_PRESERVE_* bits from types.h) of st to name in dirfd, never
 * following name when it is a symlink (nor anything else when it names an
 * entry of the destination through a directory descriptor). umask is
 * the process umask (what the kernel already removed at creation, so a chmod is
 * skipped when it would change nothing). Ownership that an unprivileged user
 * may not give away (EPERM) is skipped silently, as cp -p does. With
 * UCP_PRESERVE_XATTR, x (may be NULL) is written after the mode and before
 * the times (with UCP_PRESERVE_CONTEXT alone, only its security.selinux); a
 * destination without xattr support is a warning at most, -ENOTSUP with *op
 * UCP_OP_XATTR when env->xattr_strict. An attribute that could not be
 * written (reported under xattr_strict or xattr_report; x->failed names it)
 * still lets the mode and the times follow (under env->xattr_retry a
 * modification time that is not the source's); so does an owner that could not
 * be given (the mode then without set-id bits). Returns 0, or the -errno of the
 * first step that failed, with *op naming it.
 */
int ucp_meta_apply(int dirfd, const char *name, const struct stat *st,
		   unsigned what, const struct ucp_meta_env *env,
		   struct ucp_xattrs *x, enum ucp_op *op);

/*
 * The same for the open regular file or directory fd: no name is looked up,
 * which makes it the cheaper call while a copy's descriptor is still open.
 */
int ucp_meta_apply_fd(int fd, const struct stat *st, unsigned what,
		      const struct ucp_meta_env *env, struct ucp_xattrs *x,
		      enum ucp_op *op);
/*
 * Remove the access ACL of fd (>= 0), else of name in dirfd (not
 * following it), unless x, the source's attributes, has one: the mode
 * kept on a file that was there before is all it grants, as after cp -p.
 * 0 or -errno (none there, or no ACLs here: 0).
 */
int ucp_meta_drop_acl(int dirfd, const char *name, int fd,
		      const struct ucp_xattrs *x);

/*
 * Whether directory fd has a default ACL: the entries made in it inherit
 * an access ACL from it (and a directory the default ACL too), which the
 * kernel gives them whatever the mode asked for.
 */
bool ucp_meta_has_default_acl(int fd);
/*
 * Whether directory fd's file system gives a file the mode it is made with
 * (less the umask), and its owner the maker: the Linux file systems with
 * POSIX modes and owners (statfs f_type), not one where a mode and an
 * owner of its own come instead (FAT, exFAT, NTFS, SMB, FUSE, ...).
 */
bool ucp_meta_modes_kept(int fd);
/*
 * Whether directory fd, opened by the name the run just made a directory
 * under, is still that one as far as can be told: empty (two links; one
 * on Btrfs), and ours, where the file system keeps owners. Another put in
 * the name in between (by a user who may write its parent) is not.
 */
bool ucp_meta_dir_as_made(int fd, uid_t euid);
/*
 * Whether a new file of mode mode, of which what keeps the owner but not
 * the mode, is made its owner's alone until its owner is set, then given
 * its mode (as cp and tar make it): others than its owner would have some
 * access to it meanwhile, as the group its directory gives it.
 */
bool ucp_meta_owner_first(unsigned what, mode_t mode);

/*
 * Remove the default ACL of directory fd unless x, the source's
 * attributes, has one (-p: the copy's ACLs are the source's, as after
 * cp -p). 0 or -errno (none there, or no ACLs here: 0).
 */
int ucp_meta_drop_default_acl(int fd, const struct ucp_xattrs *x);

/*
 * Both ACLs of directory fd, access and default, that x, the source's
 * attributes, has not (ucp_meta_drop_acl, then ucp_meta_drop_default_acl).
 * 0 or -errno.
 */
int ucp_meta_drop_dir_acls(int fd, const struct ucp_xattrs *x);

/*
 * Give fd the extended attributes of name in dirfd (not followed), which
 * it replaces: its POSIX ACLs only with acls, never a file capability (a
 * write clears one). With acls and inherited (fd was made where a default
 * ACL gave it an ACL of its own), an old file without an access ACL takes
 * fd's away: the replacement grants no more than the file it replaces.
 * What cannot be read or set here (no support) is left out quietly. 0, 1
 * when an attribute this user may not set (a security.* label, set by
 * root) could not be taken over, or -errno of taking fd's ACL away.
 */
int ucp_meta_inherit_xattrs(int dirfd, const char *name, int fd, bool acls,
			    bool inherited);

/* Whether creation with (mode & 0777) under umask already gives mode. */
bool ucp_meta_mode_is_exact(mode_t mode, mode_t umask);

/*
 * Mark time t (a copy's modification time, the source's) so that the next
 * --sync copies it again: ucp_data_mark (types.h) under env's window.
 */
void ucp_meta_mark_unfinished(const struct ucp_meta_env *env,
			      struct timespec *t);

#endif
