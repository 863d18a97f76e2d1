/* SPDX-License-Identifier: MIT */
/* test_meta.c: mode, ownership and times applied to copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fault.h"
#include "meta.h"

static void meta_mode_exact_only_without_special_or_masked_bits(void **state)
{
	(void)state;
	assert_true(ucp_meta_mode_is_exact(S_IFREG | 0644, 022));
	assert_false(ucp_meta_mode_is_exact(S_IFREG | 0666, 022));
	assert_false(ucp_meta_mode_is_exact(S_IFREG | 04755, 022));
	assert_false(ucp_meta_mode_is_exact(S_IFDIR | 01777, 0));
	assert_true(ucp_meta_mode_is_exact(S_IFREG | 0777, 0));
}

static void meta_apply_sets_mode_and_ns_times(void **state)
{
	char dir[] = "/tmp/ucp-meta-XXXXXX";
	struct stat want = { 0 }, got;
	enum ucp_op op = UCP_OP_NR;
	struct ucp_meta_env env = { .umask = 022 };
	int dfd, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = openat(dfd, "f", O_CREAT | O_WRONLY, 0600);
	close(fd);
	want.st_mode = S_IFREG | 02751;
	env.euid = want.st_uid = geteuid();
	env.egid = want.st_gid = getegid();
	want.st_atim.tv_sec = -12345;
	want.st_atim.tv_nsec = 1;
	want.st_mtim.tv_sec = 1000000000;
	want.st_mtim.tv_nsec = 123456789;
	assert_int_equal(ucp_meta_apply(dfd, "f", &want, UCP_PRESERVE_ALL, &env,
					NULL, &op),
			 0);
	assert_int_equal(fstatat(dfd, "f", &got, 0), 0);
	assert_int_equal(got.st_mode & 07777, 02751);
	assert_int_equal(got.st_mtim.tv_sec, 1000000000);
	assert_int_equal(got.st_mtim.tv_nsec, 123456789);
	assert_int_equal(got.st_atim.tv_sec, -12345);
	/* Without the mode bit only the times change. */
	want.st_mode = S_IFREG | 0600;
	want.st_mtim.tv_sec = 5;
	assert_int_equal(ucp_meta_apply(dfd, "f", &want,
					UCP_PRESERVE_TIMESTAMPS, &env, NULL,
					&op),
			 0);
	assert_int_equal(fstatat(dfd, "f", &got, 0), 0);
	assert_int_equal(got.st_mode & 07777, 02751);
	assert_int_equal(got.st_mtim.tv_sec, 5);
	/* A missing file names the failing step. */
	assert_int_equal(ucp_meta_apply(dfd, "gone", &want,
					UCP_PRESERVE_TIMESTAMPS, &env, NULL,
					&op),
			 -2 /* ENOENT */);
	assert_int_equal(op, UCP_OP_UTIMES);
	unlinkat(dfd, "f", 0);
	close(dfd);
	rmdir(dir);
}

/* The umask is read, and left as it was. */
static void meta_env_reads_the_umask(void **state)
{
	struct ucp_meta_env env;
	mode_t old = umask(027);

	(void)state;
	ucp_meta_env_init(&env, NULL);
	assert_int_equal(env.umask, 027);
	assert_int_equal(umask(old), 027);
}

/* The caller's umask wins (0 is one), and the process keeps its own. */
static void meta_env_takes_the_callers_umask(void **state)
{
	struct ucp_config cfg = { .has_umask = true, .umask = 0 };
	struct ucp_meta_env env;
	mode_t old = umask(027);

	(void)state;
	ucp_meta_env_init(&env, &cfg);
	assert_int_equal(env.umask, 0);
	cfg.has_umask = false;
	ucp_meta_env_init(&env, &cfg);
	assert_int_equal(env.umask, 027);
	assert_int_equal(umask(old), 027);
}

/*
 * A symlink in the place of a destination entry: the mode goes nowhere (the
 * symlink's target keeps its own), by both ways of ucp_meta_lchmod, and
 * ucp_meta_apply refuses too.
 */
static void meta_lchmod_never_follows_a_symlink(void **state)
{
	char dir[] = "/tmp/ucp-meta-XXXXXX";
	struct ucp_meta_env env = { .umask = 022 };
	struct stat want = { 0 }, got;
	enum ucp_op op = UCP_OP_NR;
	int dfd, fd, round;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = openat(dfd, "target", O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(symlinkat("target", dfd, "link"), 0);
	want.st_mode = S_IFREG | 0755;
	env.euid = want.st_uid = geteuid();
	env.egid = want.st_gid = getegid();
	/* Round 0 may use fchmodat2; round 1 the O_PATH descriptor. */
	for (round = 0; round < 2; round++) {
		assert_int_equal(ucp_meta_lchmod(dfd, "link", 0755),
				 -EOPNOTSUPP);
		assert_int_equal(
			ucp_meta_apply(dfd, "link", &want,
				       UCP_PRESERVE_MODE | UCP_META_FORCE_MODE,
				       &env, NULL, &op),
			-EOPNOTSUPP);
		assert_int_equal(op, UCP_OP_CHMOD);
		assert_int_equal(fstatat(dfd, "target", &got, 0), 0);
		assert_int_equal(got.st_mode & 07777, 0600);
		/* The file itself changes. */
		assert_int_equal(ucp_meta_lchmod(dfd, "target", 0640), 0);
		assert_int_equal(fstatat(dfd, "target", &got, 0), 0);
		assert_int_equal(got.st_mode & 07777, 0640);
		assert_int_equal(fchmodat(dfd, "target", 0600, 0), 0);
		ucp_meta_force_lchmod_fallback(true);
	}
	ucp_meta_force_lchmod_fallback(false);
	unlinkat(dfd, "link", 0);
	unlinkat(dfd, "target", 0);
	close(dfd);
	rmdir(dir);
}

/*
 * Create name in the fresh directory dir (open as dfd), with the attribute
 * user.k=val, and return it open for writing; where the file system has no
 * user xattrs, remove it all and skip the test.
 */
static int xattr_file(const char *dir, int dfd, const char *name,
		      const char *val)
{
	int fd = openat(dfd, name, O_CREAT | O_WRONLY, 0600);

	if (fsetxattr(fd, "user.k", val, strlen(val), 0) < 0) {
		close(fd);
		unlinkat(dfd, name, 0);
		close(dfd);
		rmdir(dir);
		skip(); /* no user xattrs on this file system */
	}
	return fd;
}

/* --preserve=context alone writes security.selinux only, never user.*. */
static void meta_context_alone_skips_other_xattrs(void **state)
{
	char dir[] = "/tmp/ucp-meta-XXXXXX";
	struct stat want = { 0 };
	struct ucp_meta_env env = { .umask = 022 };
	struct ucp_xattrs x = { 0 };
	enum ucp_op op = UCP_OP_NR;
	char val[8];
	int dfd, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = xattr_file(dir, dfd, "src", "v");
	assert_int_equal(ucp_xattrs_load_fd(fd, &x), 0);
	assert_non_null(x.buf);
	close(fd);
	close(openat(dfd, "dst", O_CREAT | O_WRONLY, 0600));
	want.st_mode = S_IFREG | 0600;
	env.euid = want.st_uid = geteuid();
	env.egid = want.st_gid = getegid();
	assert_int_equal(ucp_meta_apply(dfd, "dst", &want, UCP_PRESERVE_CONTEXT,
					&env, &x, &op),
			 0);
	fd = openat(dfd, "dst", O_RDONLY);
	assert_true(fgetxattr(fd, "user.k", val, sizeof(val)) < 0);
	/* With xattr, the same list is written in full. */
	assert_int_equal(
		ucp_meta_apply(dfd, "dst", &want,
			       UCP_PRESERVE_CONTEXT | UCP_PRESERVE_XATTR, &env,
			       &x, &op),
		0);
	assert_int_equal(fgetxattr(fd, "user.k", val, sizeof(val)), 1);
	close(fd);
	ucp_xattrs_release(&x);
	unlinkat(dfd, "src", 0);
	unlinkat(dfd, "dst", 0);
	close(dfd);
	rmdir(dir);
}

/*
 * An attribute the file system refuses is the one x->failed names; those
 * before and after it are written all the same.
 */
static void meta_names_the_attribute_refused(void **state)
{
	char dir[] = "/tmp/ucp-meta-XXXXXX";
	struct stat want = { 0 };
	struct ucp_meta_env env = { .umask = 022, .xattr_strict = true };
	struct ucp_xattrs x = { 0 };
	enum ucp_op op = UCP_OP_NR;
	char val[8];
	int dfd, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	assert_int_equal(ucp_xattrs_add(&x, "user.a", "1", 1), 0);
	assert_int_equal(ucp_xattrs_add(&x, "nosuch.name", "2", 1), 0);
	assert_int_equal(ucp_xattrs_add(&x, "user.b", "3", 1), 0);
	fd = openat(dfd, "dst", O_CREAT | O_RDWR, 0600);
	assert_true(fd >= 0);
	want.st_mode = S_IFREG | 0600;
	env.euid = want.st_uid = geteuid();
	env.egid = want.st_gid = getegid();
	assert_int_equal(
		ucp_meta_apply_fd(fd, &want, UCP_PRESERVE_XATTR, &env, &x, &op),
		-ENOTSUP);
	assert_int_equal(op, UCP_OP_XATTR);
	assert_non_null(x.failed);
	assert_string_equal(x.failed, "nosuch.name");
	assert_int_equal(fgetxattr(fd, "user.a", val, sizeof(val)), 1);
	assert_int_equal(fgetxattr(fd, "user.b", val, sizeof(val)), 1);
	/* Written whole the next time: none named. */
	ucp_xattrs_release(&x);
	assert_null(x.failed);
	assert_int_equal(ucp_xattrs_add(&x, "user.c", "4", 1), 0);
	x.failed = "stale";
	assert_int_equal(
		ucp_meta_apply_fd(fd, &want, UCP_PRESERVE_XATTR, &env, &x, &op),
		0);
	assert_null(x.failed);
	close(fd);
	ucp_xattrs_release(&x);
	unlinkat(dfd, "dst", 0);
	close(dfd);
	rmdir(dir);
}

/* Whether list x holds exactly one attribute, name=val. */
static bool holds_only(const struct ucp_xattrs *x, const char *name,
		       const char *val)
{
	size_t nlen = strlen(name) + 1;
	uint32_t vlen;

	if (!x->buf || x->len != nlen + sizeof(vlen) + strlen(val) ||
	    strcmp(x->buf, name) != 0)
		return false;
	memcpy(&vlen, x->buf + nlen, sizeof(vlen));
	return vlen == strlen(val) &&
	       memcmp(x->buf + nlen + sizeof(vlen), val, vlen) == 0;
}

/*
 * Listing by name: through listxattrat(2) where the kernel has it, and
 * through /proc/self/fd where it does not; both must give the same.
 */
static void meta_load_at_lists_by_name_both_ways(void **state)
{
	char dir[] = "/tmp/ucp-meta-XXXXXX";
	struct ucp_xattrs x = { 0 };
	int dfd, fd, pass;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	fd = xattr_file(dir, dfd, "with", "val");
	close(fd);
	close(openat(dfd, "without", O_CREAT | O_WRONLY, 0600));
	assert_int_equal(symlinkat("with", dfd, "link"), 0);
	for (pass = 0; pass < 2; pass++) {
		ucp_meta_force_fallback(pass == 1);
		assert_int_equal(ucp_xattrs_load_at(dfd, "with", false, &x), 0);
		assert_true(holds_only(&x, "user.k", "val"));
		ucp_xattrs_release(&x);
		assert_int_equal(ucp_xattrs_load_at(dfd, "without", false, &x),
				 0);
		assert_null(x.buf);
		/* A symlink's own list, not its target's. */
		assert_int_equal(ucp_xattrs_load_at(dfd, "link", false, &x), 0);
		assert_null(x.buf);
		/* ... and followed (-L), its target's. */
		assert_int_equal(ucp_xattrs_load_at(dfd, "link", true, &x), 0);
		assert_true(holds_only(&x, "user.k", "val"));
		ucp_xattrs_release(&x);
		assert_int_equal(ucp_xattrs_load_at(dfd, "gone", false, &x),
				 -ENOENT);
		assert_null(x.buf);
	}
	ucp_meta_force_fallback(false);
	unlinkat(dfd, "with", 0);
	unlinkat(dfd, "without", 0);
	unlinkat(dfd, "link", 0);
	close(dfd);
	rmdir(dir);
}

/* Through an open descriptor: the same steps, no name involved. */
static void meta_apply_fd_sets_xattrs_mode_and_times(void **state)
{
	char dir[] = "/tmp/ucp-meta-XXXXXX";
	struct stat want = { 0 }, got;
	struct ucp_meta_env env = { .umask = 022 };
	struct ucp_xattrs x = { 0 };
	enum ucp_op op = UCP_OP_NR;
	char val[8];
	int dfd, sfd, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	sfd = xattr_file(dir, dfd, "src", "val");
	assert_int_equal(ucp_xattrs_load_fd(sfd, &x), 0);
	close(sfd);
	fd = openat(dfd, "dst", O_CREAT | O_WRONLY, 0600);
	/* Renamed away: an fd-based call cannot be looking the name up. */
	assert_int_equal(renameat(dfd, "dst", dfd, "moved"), 0);
	want.st_mode = S_IFREG | 04710;
	env.euid = want.st_uid = geteuid();
	env.egid = want.st_gid = getegid();
	want.st_atim.tv_sec = 7;
	want.st_mtim.tv_sec = 1000000000;
	want.st_mtim.tv_nsec = 987654321;
	assert_int_equal(
		ucp_meta_apply_fd(fd, &want, UCP_PRESERVE_ALL, &env, &x, &op),
		0);
	assert_int_equal(fstat(fd, &got), 0);
	assert_int_equal(got.st_mode & 07777, 04710);
	assert_int_equal(got.st_mtim.tv_sec, 1000000000);
	assert_int_equal(got.st_mtim.tv_nsec, 987654321);
	assert_int_equal(got.st_atim.tv_sec, 7);
	assert_int_equal(fgetxattr(fd, "user.k", val, sizeof(val)), 3);
	assert_memory_equal(val, "val", 3);
	close(fd);
	ucp_xattrs_release(&x);
	unlinkat(dfd, "src", 0);
	unlinkat(dfd, "moved", 0);
	close(dfd);
	rmdir(dir);
}

/*
 * A mirror's attribute that cannot be written (a fault) marks the copy
 * unfinished: its modification time a second and the modify window before
 * the source's, also where the times were not to be set (they were right).
 * Debug builds (the fault hook).
 */
static void meta_failed_xattr_marks_the_time(void **state)
{
#ifdef UCP_TEST_HOOKS
	char dir[] = "/tmp/ucp-meta-XXXXXX";
	struct stat want = { 0 }, got;
	struct ucp_meta_env env = { .umask = 022,
				    .xattr_report = true,
				    .xattr_retry = true,
				    .retry_window = 2 };
	struct ucp_xattrs x = { 0 };
	enum ucp_op op = UCP_OP_NR;
	int dfd, sfd, fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	sfd = xattr_file(dir, dfd, "src", "val");
	assert_int_equal(ucp_xattrs_load_fd(sfd, &x), 0);
	close(sfd);
	fd = openat(dfd, "dst", O_CREAT | O_WRONLY, 0600);
	want.st_mode = S_IFREG | 0600;
	env.euid = want.st_uid = geteuid();
	env.egid = want.st_gid = getegid();
	want.st_mtim.tv_sec = 1000000000;
	want.st_mtim.tv_nsec = 5;
	assert_int_equal(ucp_fault_set("xattr:1:EIO"), 0);
	assert_int_equal(
		ucp_meta_apply_fd(fd, &want,
				  UCP_PRESERVE_XATTR | UCP_META_MARK_TIMES,
				  &env, &x, &op),
		-EIO);
	assert_int_equal(op, UCP_OP_XATTR);
	assert_int_equal(fstat(fd, &got), 0);
	/* (The attributes' mark: a second, the window and a nanosecond.) */
	assert_int_equal(got.st_mtim.tv_sec, 1000000000 - 3);
	assert_int_equal(got.st_mtim.tv_nsec, 4);
	/* Written, the times are left alone where they were not asked. */
	assert_int_equal(ucp_fault_set(""), 0);
	assert_int_equal(
		ucp_meta_apply_fd(fd, &want,
				  UCP_PRESERVE_XATTR | UCP_META_MARK_TIMES,
				  &env, &x, &op),
		0);
	assert_int_equal(fstat(fd, &got), 0);
	assert_int_equal(got.st_mtim.tv_sec, 1000000000 - 3);
	close(fd);
	ucp_xattrs_release(&x);
	unlinkat(dfd, "src", 0);
	unlinkat(dfd, "dst", 0);
	close(dfd);
	rmdir(dir);
#else
	(void)state;
	skip(); /* the fault hook is in debug builds only */
#endif
}

/* The iterator reads back a list built by hand, then stops. */
static void xattrs_next_walks_a_list(void **state)
{
	char buf[64];
	struct ucp_xattrs x = { .buf = buf };
	struct ucp_xattr a;
	uint32_t len;
	size_t off = 0;

	(void)state;
	memcpy(buf, "user.a\0", 7);
	len = 3;
	memcpy(buf + 7, &len, 4);
	memcpy(buf + 11, "xyz", 3);
	memcpy(buf + 14, "user.b\0", 7);
	len = 0;
	memcpy(buf + 21, &len, 4);
	x.len = 25;
	assert_true(ucp_xattrs_next(&x, &off, &a));
	assert_string_equal(a.name, "user.a");
	assert_int_equal(a.len, 3);
	assert_memory_equal(a.value, "xyz", 3);
	assert_true(ucp_xattrs_next(&x, &off, &a));
	assert_string_equal(a.name, "user.b");
	assert_int_equal(a.len, 0);
	assert_false(ucp_xattrs_next(&x, &off, &a));
	assert_int_equal(off, 25);
	off = 0;
	assert_false(ucp_xattrs_next(NULL, &off, &a));
}

/* The names /etc/xattr.conf marks "skip", whole or by prefix; no others. */
static void xattr_skipped_names(void **state)
{
	static const char *const skipped[] = {
		"trusted.SGI_ACL_FILE", "trusted.SGI_ACL_DEFAULT",
		"trusted.SGI_CAP_FILE", "trusted.SGI_MAC_FILE",
		"trusted.SGI_DMI_x",	"xfsroot.a",
		"security.evm",		"afs.acl",
		"user.Beagle.index",
	};
	static const char *const kept_names[] = {
		"user.k",
		"security.selinux",
		"security.capability",
		"system.posix_acl_access",
		"trusted.SGI_ACL_FILEx",
		"trusted.SGI_ACL",
		"security.evmx",
		"xfsroot",
		"user.Beagle",
		"trusted.overlay.opaque",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		assert_true(ucp_xattr_skipped(skipped[i]));
	for (size_t i = 0; i < sizeof(kept_names) / sizeof(kept_names[0]); i++)
		assert_false(ucp_xattr_skipped(kept_names[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			meta_mode_exact_only_without_special_or_masked_bits),
		cmocka_unit_test(meta_context_alone_skips_other_xattrs),
		cmocka_unit_test(meta_names_the_attribute_refused),
		cmocka_unit_test(xattrs_next_walks_a_list),
		cmocka_unit_test(meta_apply_sets_mode_and_ns_times),
		cmocka_unit_test(meta_lchmod_never_follows_a_symlink),
		cmocka_unit_test(meta_env_reads_the_umask),
		cmocka_unit_test(meta_env_takes_the_callers_umask),
		cmocka_unit_test(meta_load_at_lists_by_name_both_ways),
		cmocka_unit_test(meta_apply_fd_sets_xattrs_mode_and_times),
		cmocka_unit_test(meta_failed_xattr_marks_the_time),
		cmocka_unit_test(xattr_skipped_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
