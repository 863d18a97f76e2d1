/* SPDX-License-Identifier: MIT */
/*
 * untar.c: reading archives, to extract them safely or to list them.
 *
 * Format and compression are found from the content. Extraction runs in
 * the destination directory (the working directory is restored before
 * returning) and every member name goes through ucp_tarpath_map first:
 * ".." refuses the member, a leading '/' is removed with a warning.
 * libarchive's ARCHIVE_EXTRACT_SECURE_* flags then refuse anything that
 * would be written through a symbolic link, whether the archive made it
 * or it was there before. Both checks are kept on purpose: ours decides
 * names before libarchive sees them, libarchive's sees the file system.
 *
 * libarchive's graded results map onto ucp's severities in one place
 * (grade()): WARN is a warning, FAILED an error about one member, FATAL
 * stops the run. A member whose data cannot be read to its end is removed,
 * so a damaged archive never leaves a short file under a final name.
 */
#include "tar.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"
#include "tarin.h"
#include "tarpath.h"
#include "util.h"

#define ST_PARTIAL 0x1
#define ST_FATAL 0x4
#define READ_BLOCK 65536
#define MAPPED_MAX 65536

struct tr {
	const struct ucp_tar_env *env;
	const char *archive;
	const char *dir;
	struct archive *a, *ext;
	struct ucp_tarin *in; /* what libarchive reads */
	int status;
	char *mapped, *mapped_link;
	char last[256]; /* the last member read, for messages */
	bool size_known;
	int flags;     /* ARCHIVE_EXTRACT_* */
	int root_fd;   /* the extraction directory */
	int parent_fd; /* the cached parent of the last plain file */
	char *parent;  /* its path relative to root_fd ("" for root) */
	char *buf;     /* the fast path's data buffer */
	struct archive_entry *cur; /* the member being extracted */
	struct timespec last_tick;
};

static void emit(struct tr *tr, enum ucp_op op, int err, const char *path,
		 const char *msg, bool warning, bool is_fatal)
{
	const struct ucp_events *ev = tr->env->ev;
	struct ucp_error e = { .op = op,
			       .err = err,
			       .path = path,
			       .msg = msg,
			       .warning = warning,
			       .fatal = is_fatal };

	if (!warning) {
		tr->status |= is_fatal ? ST_FATAL : ST_PARTIAL;
		ucp_count(&tr->env->cnt->errors, 1);
	}
	if (ev->error)
		ev->error(ev->arg, &e);
}

/*
 * Where the damage is, and what it is: "at byte N, REL member 'NAME': WHAT"
 * (REL is "in" or "after"), or "at byte N: WHAT" before the first member.
 */
static void damage_text(struct tr *tr, char *buf, size_t n, const char *rel,
			const char *what)
{
	long long at = (long long)archive_filter_bytes(tr->a, -1);

	if (tr->last[0])
		(void)snprintf(buf, n, "at byte %lld, %s member '%s': %s", at,
			       rel, tr->last, what);
	else
		(void)snprintf(buf, n, "at byte %lld: %s", at, what);
}

/* The archive is unreadable from here on: say where, and stop. */
static void damaged(struct tr *tr, struct archive *a)
{
	char msg[512];
	const char *lib = archive_error_string(a);

	/* A read cut short by the interrupt is not damage. */
	if (*tr->env->cancel) {
		tr->status |= ST_FATAL;
		return;
	}
	damage_text(tr, msg, sizeof(msg), "in", lib ? lib : "damaged archive");
	emit(tr, UCP_OP_ARCHIVE, 0, tr->archive, msg, false, true);
}

/* A header that does not read as one: reported, and the reading goes on. */
static void damaged_header(struct tr *tr)
{
	char msg[512], what[300];
	const char *lib = archive_error_string(tr->a);

	(void)snprintf(what, sizeof(what), "%s; skipping to the next header",
		       lib ? lib : "damaged header");
	damage_text(tr, msg, sizeof(msg), "after", what);
	emit(tr, UCP_OP_ARCHIVE, 0, tr->archive, msg, false, false);
}

/*
 * Map a libarchive result about member path onto ucp's severities.
 * Returns the result, after reporting anything below ARCHIVE_OK.
 */
static int grade(struct tr *tr, struct archive *a, int r, const char *path)
{
	if (r == ARCHIVE_OK || r == ARCHIVE_EOF)
		return r;
	if (r == ARCHIVE_WARN)
		emit(tr, UCP_OP_EXTRACT, 0, path, archive_error_string(a), true,
		     false);
	else if (r == ARCHIVE_FATAL && a == tr->a)
		damaged(tr, a);
	else
		emit(tr, UCP_OP_EXTRACT, 0, path, archive_error_string(a),
		     false, r == ARCHIVE_FATAL);
	return r;
}

static void tick(struct tr *tr)
{
	const struct ucp_events *ev = tr->env->ev;
	unsigned ms = tr->env->cfg->tick_ms ? tr->env->cfg->tick_ms : 100;
	struct ucp_counters *c = tr->env->cnt;
	uint64_t done = tr->in ? ucp_tarin_consumed(tr->in) : 0;
	struct timespec now;

	/* The member count is never known ahead; the size only for files. */
	atomic_store_explicit(&c->bytes_done, done, memory_order_relaxed);
	atomic_store_explicit(&c->files_found, atomic_load(&c->files_done),
			      memory_order_relaxed);
	if (!tr->size_known)
		atomic_store_explicit(&c->bytes_found, done,
				      memory_order_relaxed);
	if (!ev->tick)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if ((int64_t)(now.tv_sec - tr->last_tick.tv_sec) * 1000 +
		    (now.tv_nsec - tr->last_tick.tv_nsec) / 1000000 <
	    ms)
		return;
	tr->last_tick = now;
	ev->tick(ev->arg);
}

/* libarchive's read callbacks over tarin.c. */
static la_ssize_t read_cb(struct archive *a, void *arg, const void **buf)
{
	struct tr *tr = arg;
	ssize_t n = ucp_tarin_read(tr->in, buf);

	if (n < 0)
		archive_set_error(a, EIO, "%s", ucp_tarin_error(tr->in));
	return n;
}

static la_int64_t skip_cb(struct archive *a, void *arg, la_int64_t request)
{
	struct tr *tr = arg;

	(void)a;
	return ucp_tarin_skip(tr->in, request);
}

static int open_input(struct tr *tr)
{
	struct stat st;
	bool is_stdin = strcmp(tr->archive, "-") == 0;
	int ret;

	tr->a = archive_read_new();
	if (!tr->a)
		return -ENOMEM;
	archive_read_support_filter_all(tr->a);
	archive_read_support_format_all(tr->a);
	if (!is_stdin && stat(tr->archive, &st) == 0 && S_ISREG(st.st_mode)) {
		ucp_count(&tr->env->cnt->bytes_found, (uint64_t)st.st_size);
		tr->size_known = true;
	}
	ret = ucp_tarin_open(&tr->in, tr->archive, READ_BLOCK);
	if (ret < 0) {
		emit(tr, UCP_OP_ARCHIVE, -ret, tr->archive, NULL, false, true);
		return ret;
	}
	archive_read_set_callback_data(tr->a, tr);
	archive_read_set_read_callback(tr->a, read_cb);
	archive_read_set_skip_callback(tr->a, skip_cb);
	if (archive_read_open1(tr->a) != ARCHIVE_OK) {
		const char *msg = archive_error_string(tr->a);

		emit(tr, UCP_OP_ARCHIVE, msg ? 0 : EIO, tr->archive, msg, false,
		     true);
		return -EIO;
	}
	return 0;
}

/* ---- extraction ----------------------------------------------------- */

static int extract_flags(const struct ucp_config *cfg)
{
	int flags = ARCHIVE_EXTRACT_SECURE_SYMLINKS |
		    ARCHIVE_EXTRACT_SECURE_NODOTDOT |
		    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |
		    ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_ACL |
		    ARCHIVE_EXTRACT_XATTR;

	/* Without PERM libarchive applies the umask and drops set-id bits. */
	if (cfg->preserve & UCP_PRESERVE_MODE)
		flags |= ARCHIVE_EXTRACT_PERM;
	if ((cfg->preserve & UCP_PRESERVE_OWNERSHIP) || geteuid() == 0)
		flags |= ARCHIVE_EXTRACT_OWNER;
	if (cfg->sparse == UCP_SPARSE_ALWAYS)
		flags |= ARCHIVE_EXTRACT_SPARSE;
	return flags;
}

/*
 * Decide where member e may go and rename it there. Returns 1 to extract,
 * 0 to skip silently (the directory itself), -1 after a refusal.
 */
static int place(struct tr *tr, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	const char *link = archive_entry_hardlink(e);
	mode_t type = archive_entry_filetype(e);
	enum ucp_tarpath v;

	if (!name) {
		emit(tr, UCP_OP_UNSAFE_MEMBER, 0, "?",
		     "name not representable here", false, false);
		return -1;
	}
	v = ucp_tarpath_map(name, strlen(name), tr->mapped, MAPPED_MAX);
	if (v == UCP_TARPATH_SELF)
		return 0;
	if (v != UCP_TARPATH_OK && v != UCP_TARPATH_STRIPPED) {
		emit(tr, UCP_OP_UNSAFE_MEMBER, 0, name, ucp_tarpath_reason(v),
		     false, false);
		return -1;
	}
	if (v == UCP_TARPATH_STRIPPED)
		emit(tr, UCP_OP_STRIP_SLASH, 0, name, NULL, true, false);
	if (link) {
		v = ucp_tarpath_map(link, strlen(link), tr->mapped_link,
				    MAPPED_MAX);
		if (v != UCP_TARPATH_OK && v != UCP_TARPATH_STRIPPED) {
			emit(tr, UCP_OP_UNSAFE_MEMBER, 0, name,
			     v == UCP_TARPATH_SELF
				     ? "hard link to the directory itself"
				     : "hard link target outside the directory",
			     false, false);
			return -1;
		}
		archive_entry_copy_hardlink(e, tr->mapped_link);
	}
	if ((type == AE_IFCHR || type == AE_IFBLK) &&
	    (geteuid() != 0 ||
	     (tr->env->cfg->preserve & UCP_PRESERVE_ALL) != UCP_PRESERVE_ALL)) {
		emit(tr, UCP_OP_UNSAFE_MEMBER, 0, name,
		     "device nodes are extracted only by root with -a", false,
		     false);
		return -1;
	}
	archive_entry_copy_pathname(e, tr->mapped);
	return 1;
}

/* Remove what a member that could not be finished left behind. */
static void remove_partial(struct tr *tr)
{
	struct stat st;

	if (lstat(tr->mapped, &st) == 0 && S_ISREG(st.st_mode))
		(void)unlink(tr->mapped);
}

/*
 * Copy the member's data. Returns 0, -EIO when the archive is damaged
 * (reported; the run stops) or -EPERM after a write error (reported).
 */
static int copy_data(struct tr *tr, const char *name)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	for (;;) {
		r = archive_read_data_block(tr->a, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN) {
			damaged(tr, tr->a);
			return -EIO;
		}
		r = (int)archive_write_data_block(tr->ext, buf, size, off);
		if (r < ARCHIVE_WARN) {
			grade(tr, tr->ext, r, name);
			return -EPERM;
		}
		if (*tr->env->cancel)
			return -EINTR;
		tick(tr);
	}
}

static void report_copied(struct tr *tr, const char *name)
{
	const struct ucp_events *ev = tr->env->ev;
	size_t a = strlen(tr->dir), b = strlen(tr->mapped);
	char *dst;

	if (!tr->env->cfg->verbose || !ev->copied)
		return;
	dst = malloc(a + b + 2);
	if (!dst)
		return;
	memcpy(dst, tr->dir, a);
	dst[a] = '/';
	memcpy(dst + a + 1, tr->mapped, b + 1);
	ev->copied(ev->arg, name, dst, NULL, NULL);
	free(dst);
}

/*
 * The fast path for plain regular files: the common case of a tarball, done
 * with about the system calls tar itself makes (libarchive's general path
 * checks every component of every path). A file with xattrs, ACLs, holes or
 * hard links, and every other type, goes through libarchive.
 *
 * Safety without libarchive's checks: the parent directory is reached from
 * the extraction directory one component at a time with O_NOFOLLOW, so no
 * symbolic link is ever followed, and the file is created with O_EXCL |
 * O_NOFOLLOW (an existing file or symlink in its place is unlinked first,
 * never written through). The parent's descriptor is kept for the next
 * file, and dropped whenever libarchive has touched the tree, since it may
 * have replaced a directory.
 */
static bool is_plain(struct archive_entry *e)
{
	return archive_entry_filetype(e) == AE_IFREG &&
	       !archive_entry_hardlink(e) && !archive_entry_xattr_count(e) &&
	       !archive_entry_acl_types(e) && !archive_entry_sparse_count(e);
}

static void forget_parent(struct tr *tr)
{
	if (tr->parent_fd >= 0 && tr->parent_fd != tr->root_fd)
		(void)close(tr->parent_fd); /* a directory, read-only */
	tr->parent_fd = -1;
	if (tr->parent)
		tr->parent[0] = '\0';
}

/* Open (creating if missing) the directory rel below root; -errno. */
static int walk_down(struct tr *tr, const char *rel, size_t len)
{
	int fd = tr->root_fd, nfd;
	size_t i = 0;

	while (i < len) {
		size_t j = i;
		char comp[256];

		while (j < len && rel[j] != '/')
			j++;
		if (j - i >= sizeof(comp)) {
			nfd = -ENAMETOOLONG;
			goto fail;
		}
		memcpy(comp, rel + i, j - i);
		comp[j - i] = '\0';
		nfd = openat(fd, comp,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0 && errno == ENOENT &&
		    (mkdirat(fd, comp, 0777) == 0 || errno == EEXIST))
			nfd = openat(fd, comp,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					     O_CLOEXEC);
		if (nfd < 0) {
			nfd = errno == ELOOP ? -ENOTDIR : -errno;
			goto fail;
		}
		if (fd != tr->root_fd)
			(void)close(fd); /* read-only */
		fd = nfd;
		i = j + 1;
	}
	return fd;
fail:
	if (fd != tr->root_fd)
		(void)close(fd);
	return nfd;
}

/* The descriptor of the parent of tr->mapped, and its leaf; -errno. */
static int open_parent(struct tr *tr, const char **leaf)
{
	const char *slash = strrchr(tr->mapped, '/');
	size_t len = slash ? (size_t)(slash - tr->mapped) : 0;
	int fd;

	*leaf = slash ? slash + 1 : tr->mapped;
	if (len == 0)
		return tr->root_fd;
	if (tr->parent_fd >= 0 && strlen(tr->parent) == len &&
	    memcmp(tr->parent, tr->mapped, len) == 0)
		return tr->parent_fd;
	forget_parent(tr);
	fd = walk_down(tr, tr->mapped, len);
	if (fd < 0)
		return fd;
	memcpy(tr->parent, tr->mapped, len);
	tr->parent[len] = '\0';
	tr->parent_fd = fd;
	return fd;
}

/* Create the file, replacing a non-directory in its place. */
static int create_plain(int dirfd, const char *leaf, mode_t mode)
{
	int fd, tries;

	for (tries = 0; tries < 2; tries++) {
		fd = openat(dirfd, leaf,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				    O_CLOEXEC,
			    mode);
		if (fd >= 0 || errno != EEXIST)
			break;
		if (unlinkat(dirfd, leaf, 0) < 0)
			return errno == EISDIR ? -EISDIR : -errno;
	}
	return fd < 0 ? -errno : fd;
}

/* Owner, mode and times, in that order (chown clears set-id bits). */
static int plain_meta(struct tr *tr, struct archive_entry *e, int fd,
		      enum ucp_op *op)
{
	mode_t perm = archive_entry_perm(e) & 07777;
	struct timespec ts[2];

	if (tr->flags & ARCHIVE_EXTRACT_OWNER) {
		uid_t uid = (uid_t)archive_write_disk_uid(
			tr->ext, archive_entry_uname(e), archive_entry_uid(e));
		gid_t gid = (gid_t)archive_write_disk_gid(
			tr->ext, archive_entry_gname(e), archive_entry_gid(e));

		if (fchown(fd, uid, gid) < 0 &&
		    (errno != EPERM || geteuid() == 0)) {
			*op = UCP_OP_CHOWN;
			return -errno;
		}
	}
	if ((tr->flags & ARCHIVE_EXTRACT_PERM) && fchmod(fd, perm) < 0) {
		*op = UCP_OP_CHMOD;
		return -errno;
	}
	ts[0].tv_sec = archive_entry_atime(e);
	ts[0].tv_nsec = archive_entry_atime_nsec(e);
	if (!archive_entry_atime_is_set(e))
		ts[0].tv_nsec = UTIME_NOW;
	ts[1].tv_sec = archive_entry_mtime(e);
	ts[1].tv_nsec = archive_entry_mtime_nsec(e);
	if (futimens(fd, ts) < 0) {
		*op = UCP_OP_UTIMES;
		return -errno;
	}
	return 0;
}

/* Copy the member's data to fd: 0, -EIO (damaged archive), -errno. */
static int plain_data(struct tr *tr, int fd)
{
	int64_t left = archive_entry_size(tr->cur);

	while (left > 0) {
		la_ssize_t n = archive_read_data(tr->a, tr->buf, READ_BLOCK);
		la_ssize_t off = 0;

		if (n < 0 || (n == 0 && left > 0)) {
			damaged(tr, tr->a);
			return -EIO;
		}
		while (off < n) {
			ssize_t w = write(fd, tr->buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			off += w;
		}
		left -= n;
		if (*tr->env->cancel)
			return -EINTR;
		tick(tr);
	}
	return 0;
}

/* Extract a plain file; false stops the run. */
static bool extract_plain(struct tr *tr, struct archive_entry *e,
			  const char *name)
{
	mode_t perm = archive_entry_perm(e) & 0777;
	enum ucp_op op = UCP_OP_CREATE;
	const char *leaf;
	int dirfd, fd, ret;

	tr->cur = e;
	dirfd = open_parent(tr, &leaf);
	if (dirfd < 0) {
		if (dirfd == -ENOTDIR)
			emit(tr, UCP_OP_UNSAFE_MEMBER, 0, name,
			     "a parent is a symbolic link or not a directory",
			     false, false);
		else
			emit(tr, UCP_OP_CREATE, -dirfd, name, NULL, false,
			     false);
		return true;
	}
	fd = create_plain(dirfd, leaf,
			  (tr->flags & ARCHIVE_EXTRACT_PERM) ? 0600 : perm);
	if (fd < 0) {
		emit(tr, UCP_OP_CREATE, -fd, name, NULL, false, false);
		return true;
	}
	ret = plain_data(tr, fd);
	if (ret == 0)
		ret = plain_meta(tr, e, fd, &op);
	else if (ret != -EIO && ret != -EINTR)
		op = UCP_OP_WRITE;
	if (close(fd) < 0 && ret == 0) {
		ret = -errno;
		op = UCP_OP_WRITE;
	}
	if (ret < 0) {
		(void)unlinkat(dirfd, leaf, 0);
		if (ret != -EIO && ret != -EINTR)
			emit(tr, op, -ret, name, NULL, false, false);
		return ret != -EIO && ret != -EINTR;
	}
	ucp_file_done(tr->env->cnt);
	report_copied(tr, name);
	return true;
}

/*
 * Whether an attribute of a member is restored. Privilege travels with the
 * set-id bits: security.capability (and the other security.* and
 * trusted.* names) only when the mode is kept (-p, -a, --preserve=mode),
 * the SELinux label only when asked for (-a, --preserve=context or xattr).
 * Without them a set-user-ID root binary is extracted with neither its
 * set-id bits nor its capabilities, as GNU tar without --xattrs does.
 */
static bool keep_xattr(unsigned preserve, const char *name)
{
	if (strcmp(name, "security.selinux") == 0)
		return preserve & (UCP_PRESERVE_CONTEXT | UCP_PRESERVE_XATTR);
	if (strncmp(name, "security.", 9) == 0 ||
	    strncmp(name, "trusted.", 8) == 0)
		return preserve & UCP_PRESERVE_MODE;
	return true;
}

/* Take from e the attributes keep_xattr refuses. 0, or -ENOMEM. */
static int filter_xattrs(struct tr *tr, struct archive_entry *e)
{
	unsigned preserve = tr->env->cfg->preserve;
	struct kept {
		char *name;
		void *value;
		size_t size;
	} * kept;
	const char *name;
	const void *value;
	size_t size, n = 0, i;
	int count = archive_entry_xattr_reset(e), ret = 0;
	bool drop = false;

	if (count <= 0)
		return 0;
	while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK)
		drop |= !keep_xattr(preserve, name);
	if (!drop)
		return 0;
	/* Copies of the kept ones, since clearing frees the originals. */
	kept = calloc((size_t)count, sizeof(*kept));
	if (!kept)
		return -ENOMEM;
	archive_entry_xattr_reset(e);
	while (archive_entry_xattr_next(e, &name, &value, &size) ==
	       ARCHIVE_OK) {
		if (!keep_xattr(preserve, name))
			continue;
		kept[n].name = strdup(name);
		kept[n].value = malloc(size ? size : 1);
		kept[n].size = size;
		if (!kept[n].name || !kept[n].value) {
			free(kept[n].name);
			free(kept[n].value);
			ret = -ENOMEM;
			break;
		}
		memcpy(kept[n].value, value, size);
		n++;
	}
	if (ret == 0) {
		archive_entry_xattr_clear(e);
		for (i = 0; i < n; i++)
			archive_entry_xattr_add_entry(
				e, kept[i].name, kept[i].value, kept[i].size);
	}
	for (i = 0; i < n; i++) {
		free(kept[i].name);
		free(kept[i].value);
	}
	free(kept);
	return ret;
}

/* Extract one member whose header was read. False: stop the run. */
static bool extract_one(struct tr *tr, struct archive_entry *e)
{
	char *name = strdup(
		archive_entry_pathname(e) ? archive_entry_pathname(e) : "?");
	int r, ret = 0;
	bool go_on = true;

	if (!name)
		return false;
	if (place(tr, e) <= 0)
		goto out;
	if (filter_xattrs(tr, e) < 0) {
		emit(tr, UCP_OP_EXTRACT, ENOMEM, name, NULL, false, true);
		go_on = false;
		goto out;
	}
	if (is_plain(e)) {
		go_on = extract_plain(tr, e, name);
		goto out;
	}
	forget_parent(tr);
	r = archive_write_header(tr->ext, e);
	if (grade(tr, tr->ext, r, name) < ARCHIVE_WARN) {
		go_on = r != ARCHIVE_FATAL;
		goto out;
	}
	if (archive_entry_size(e) > 0)
		ret = copy_data(tr, name);
	r = archive_write_finish_entry(tr->ext);
	if (ret < 0) {
		remove_partial(tr);
		go_on = ret != -EIO && ret != -EINTR;
		goto out;
	}
	if (grade(tr, tr->ext, r, name) == ARCHIVE_FATAL) {
		go_on = false;
		goto out;
	}
	ucp_file_done(tr->env->cnt);
	report_copied(tr, name);
out:
	free(name);
	return go_on;
}

/* Read headers until the end, handing each member to fn. */
static void each_member(struct tr *tr,
			bool (*fn)(struct tr *tr, struct archive_entry *e))
{
	struct archive_entry *e;
	bool skipping = false;
	int r = ARCHIVE_OK;

	while (!*tr->env->cancel) {
		const char *name;

		r = archive_read_next_header(tr->a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_RETRY) {
			/*
			 * A damaged header (a bad checksum): libarchive goes
			 * on at the next block that reads as one. The members
			 * it passes over are lost: an error, said once per
			 * stretch of damage, naming where it starts.
			 */
			if (!skipping)
				damaged_header(tr);
			skipping = true;
			continue;
		}
		skipping = false;
		if (r < ARCHIVE_WARN) {
			damaged(tr, tr->a);
			break;
		}
		name = archive_entry_pathname(e);
		(void)snprintf(tr->last, sizeof(tr->last), "%s",
			       name ? name : "?");
		if (r == ARCHIVE_WARN)
			emit(tr, UCP_OP_EXTRACT, 0, tr->last,
			     archive_error_string(tr->a), true, false);
		if (!fn(tr, e))
			break;
		tick(tr);
	}
	/* The whole archive was read: what follows it must be sound too. */
	if (r == ARCHIVE_EOF && !*tr->env->cancel &&
	    ucp_tarin_finish(tr->in) < 0)
		emit(tr, UCP_OP_ARCHIVE, 0, tr->archive,
		     ucp_tarin_error(tr->in), false, true);
	tick(tr);
}

static enum ucp_status verdict(const struct tr *tr)
{
	if (*tr->env->cancel)
		return UCP_INTERRUPTED;
	if (tr->status & ST_FATAL)
		return UCP_FATAL;
	if (tr->status & ST_PARTIAL)
		return UCP_PARTIAL;
	return UCP_OK;
}

static void tr_release(struct tr *tr)
{
	if (tr->a)
		archive_read_free(tr->a);
	ucp_tarin_close(tr->in);
	if (tr->ext)
		archive_write_free(tr->ext);
	free(tr->mapped);
	free(tr->mapped_link);
	free(tr->parent);
	free(tr->buf);
}

/* Enter dir (created if missing); *cwd keeps the way back. */
static int enter(struct tr *tr, int *cwd)
{
	if (mkdir(tr->dir, 0777) < 0 && errno != EEXIST) {
		emit(tr, UCP_OP_MKDIR, errno, tr->dir, NULL, false, true);
		return -1;
	}
	*cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*cwd < 0 || chdir(tr->dir) < 0) {
		emit(tr, UCP_OP_OPENDIR, errno, tr->dir, NULL, false, true);
		if (*cwd >= 0)
			(void)close(*cwd);
		return -1;
	}
	return 0;
}

enum ucp_status ucp_tar_read(const struct ucp_tar_env *env, const char *archive,
			     const char *dir)
{
	struct tr tr = { .env = env,
			 .archive = archive,
			 .dir = dir,
			 .root_fd = -1,
			 .parent_fd = -1 };
	enum ucp_status st;
	int cwd = -1;

	clock_gettime(CLOCK_MONOTONIC, &tr.last_tick);
	tr.mapped = malloc(MAPPED_MAX);
	tr.mapped_link = malloc(MAPPED_MAX);
	tr.parent = calloc(1, MAPPED_MAX);
	tr.buf = malloc(READ_BLOCK);
	tr.ext = archive_write_disk_new();
	if (!tr.mapped || !tr.mapped_link || !tr.parent || !tr.buf || !tr.ext) {
		emit(&tr, UCP_OP_ARCHIVE, ENOMEM, archive, NULL, false, true);
		tr_release(&tr);
		return UCP_FATAL;
	}
	tr.flags = extract_flags(env->cfg);
	archive_write_disk_set_options(tr.ext, tr.flags);
	archive_write_disk_set_standard_lookup(tr.ext);
	if (open_input(&tr) == 0 && enter(&tr, &cwd) == 0) {
		tr.root_fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (tr.root_fd < 0)
			emit(&tr, UCP_OP_OPENDIR, errno, dir, NULL, false,
			     true);
		else
			each_member(&tr, extract_one);
		forget_parent(&tr);
		if (tr.root_fd >= 0)
			(void)close(tr.root_fd); /* read-only */
		/* Directory modes and times are set here, last. */
		if (archive_write_close(tr.ext) < ARCHIVE_WARN)
			emit(&tr, UCP_OP_EXTRACT, 0, dir,
			     archive_error_string(tr.ext), false, false);
		if (fchdir(cwd) < 0)
			emit(&tr, UCP_OP_OPENDIR, errno, ".", NULL, false,
			     true);
		(void)close(cwd); /* read-only */
	}
	st = verdict(&tr);
	tr_release(&tr);
	return st;
}

/* ---- listing -------------------------------------------------------- */

static bool list_one(struct tr *tr, struct archive_entry *e)
{
	const struct ucp_events *ev = tr->env->ev;
	const char *hl = archive_entry_hardlink(e);
	struct ucp_member m = {
		.path = archive_entry_pathname(e),
		.link = hl ? hl : archive_entry_symlink(e),
		.is_hardlink = hl != NULL,
		.mode = (uint32_t)archive_entry_mode(e),
		.size = (uint64_t)archive_entry_size(e),
		.mtime = archive_entry_mtime(e),
		.uid = (uint64_t)archive_entry_uid(e),
		.gid = (uint64_t)archive_entry_gid(e),
		.uname = archive_entry_uname(e),
		.gname = archive_entry_gname(e),
		.rdev_major = (uint32_t)archive_entry_rdevmajor(e),
		.rdev_minor = (uint32_t)archive_entry_rdevminor(e),
	};

	if (!m.path)
		m.path = "?";
	if (ev->member)
		ev->member(ev->arg, &m);
	ucp_file_done(tr->env->cnt);
	return true;
}

enum ucp_status ucp_tar_members(const struct ucp_tar_env *env,
				const char *archive)
{
	struct tr tr = { .env = env, .archive = archive, .dir = "." };
	enum ucp_status st;

	clock_gettime(CLOCK_MONOTONIC, &tr.last_tick);
	if (open_input(&tr) == 0)
		each_member(&tr, list_one);
	st = verdict(&tr);
	tr_release(&tr);
	return st;
}
