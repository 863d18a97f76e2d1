/* SPDX-License-Identifier: MIT */
/*
 * test_sync.c: sync mode's building blocks: the per-directory name set,
 * xattr list comparison, tree removal with a limit. sync.c is included to reach
 * its statics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "../../src/sync.c"

/* No rules: the whole tree goes. */
static const struct rm_spare no_spare = { 0 };

static void name_set_insert_has_clear_and_grow(void **state)
{
	struct ucp_u64set s = { 0 };
	char name[32];
	int i;

	(void)state;
	assert_false(ucp_u64set_has(&s, name_hash("a")));
	for (i = 0; i < 5000; i++) {
		(void)snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(ucp_u64set_add(&s, name_hash(name)), 0);
	}
	assert_int_equal(s.n, 5000);
	assert_int_equal(ucp_u64set_add(&s, name_hash("f42")), 0); /* again */
	assert_int_equal(s.n, 5000);
	for (i = 0; i < 5000; i++) {
		(void)snprintf(name, sizeof(name), "f%d", i);
		assert_true(ucp_u64set_has(&s, name_hash(name)));
	}
	assert_false(ucp_u64set_has(&s, name_hash("g1")));
	ucp_u64set_clear(&s);
	assert_false(ucp_u64set_has(&s, name_hash("f1")));
	assert_int_equal(s.n, 0);
	ucp_u64set_release(&s);
}

/* Build an xattr list from name/value pairs (NULL-terminated). */
static struct ucp_xattrs list_of(const char *first, ...)
{
	struct ucp_xattrs x = { 0 };
	const char *n, *v;
	va_list ap;

	va_start(ap, first);
	for (n = first; n; n = va_arg(ap, const char *)) {
		size_t nl = strlen(n) + 1;
		uint32_t vl;

		v = va_arg(ap, const char *);
		vl = (uint32_t)strlen(v);
		x.buf = realloc(x.buf, x.len + nl + sizeof(vl) + vl);
		memcpy(x.buf + x.len, n, nl);
		memcpy(x.buf + x.len + nl, &vl, sizeof(vl));
		memcpy(x.buf + x.len + nl + sizeof(vl), v, vl);
		x.len += nl + sizeof(vl) + vl;
	}
	va_end(ap);
	return x;
}

static void xattr_lists_compare_as_sets(void **state)
{
	struct ucp_xattrs a = list_of("user.a", "1", "user.b", "22", NULL);
	struct ucp_xattrs b = list_of("user.b", "22", "user.a", "1", NULL);
	struct ucp_xattrs c = list_of("user.b", "23", "user.a", "1", NULL);
	struct ucp_xattrs d = list_of("user.a", "1", NULL);
	struct ucp_xattrs e = { 0 }, f = { 0 };

	struct ucp_xattrs g =
		list_of("user.a", "1", "system.posix_acl_access", "A1", NULL);
	struct ucp_xattrs h =
		list_of("system.posix_acl_access", "A2", "user.a", "1", NULL);
	struct ucp_xattrs i = list_of("system.posix_acl_access", "A1", NULL);
	struct ucp_xattrs j = list_of("user.a", "1", "security.t", "x", NULL);

	struct ucp_config all = { .preserve = UCP_PRESERVE_MODE |
					      UCP_PRESERVE_XATTR |
					      UCP_PRESERVE_CONTEXT };
	struct ucp_config no_mode = { .preserve = UCP_PRESERVE_XATTR };
	struct ucp_config no_xattr = { .preserve = UCP_PRESERVE_MODE |
						   UCP_PRESERVE_CONTEXT };
	struct ucp_run root = { .cfg = &all }, user = { .cfg = &all };
	struct ucp_run nm = { .cfg = &no_mode }, nx = { .cfg = &no_xattr };

	(void)state;
	user.meta.euid = 1000;
	assert_int_equal(xattrs_diff(&a, &b, &root), 0);
	assert_int_equal(xattrs_diff(&a, &c, &root),
			 CH_XATTR); /* a value differs */
	assert_int_equal(xattrs_diff(&a, &d, &root),
			 CH_XATTR); /* one is missing */
	assert_int_equal(xattrs_diff(&d, &a, &root), CH_XATTR);
	assert_int_equal(xattrs_diff(&e, &f, &root),
			 0); /* none on either side */
	assert_int_equal(xattrs_diff(&d, &e, &root), CH_XATTR);
	/* ACLs apart from the others: rsync's a and x. */
	assert_int_equal(xattrs_diff(&g, &h, &root), CH_ACL);
	assert_int_equal(xattrs_diff(&d, &g, &root), CH_ACL);
	assert_int_equal(xattrs_diff(&g, &i, &root), CH_XATTR);
	assert_int_equal(xattrs_diff(&h, &i, &root), CH_ACL | CH_XATTR);
	/*
	 * A user who is not root sets only user.* and ACLs: a security.*
	 * attribute its copy could never get is no difference for it.
	 */
	assert_int_equal(xattrs_diff(&j, &d, &user), 0);
	assert_int_equal(xattrs_diff(&j, &d, &root), CH_XATTR);
	assert_int_equal(xattrs_diff(&g, &h, &user), CH_ACL);
	/* What the run does not keep is no difference either. */
	assert_int_equal(xattrs_diff(&h, &i, &nm), CH_XATTR);
	assert_int_equal(xattrs_diff(&h, &i, &nx), CH_ACL);
	assert_int_equal(xattrs_diff(&a, &c, &nx), 0);
	assert_int_equal(xattrs_diff(&j, &d, &nx), 0);
	ucp_xattrs_release(&j);
	ucp_xattrs_release(&a);
	ucp_xattrs_release(&b);
	ucp_xattrs_release(&c);
	ucp_xattrs_release(&d);
	ucp_xattrs_release(&g);
	ucp_xattrs_release(&h);
	ucp_xattrs_release(&i);
}

static void parent_length_of_relative_paths(void **state)
{
	(void)state;
	assert_int_equal(parent_len("a/b/c"), 3);
	assert_int_equal(parent_len("c"), 0);
	assert_int_equal(parent_len("a/c"), 1);
}

/* A tree: depth directories deep, each level with files files. */
static int make_tree(int dirfd, const char *name, int depth, int files)
{
	char f[16];
	int fd, i, n = 1;

	assert_int_equal(mkdirat(dirfd, name, 0755), 0);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	for (i = 0; i < files; i++) {
		(void)snprintf(f, sizeof(f), "f%d", i);
		close(openat(fd, f, O_CREAT | O_WRONLY, 0600));
		n++;
	}
	if (depth > 1)
		n += make_tree(fd, "sub", depth - 1, files);
	close(fd);
	return n;
}

static void remove_tree_counts_and_stops_at_the_limit(void **state)
{
	char dir[] = "/tmp/ucp-sync-XXXXXX";
	uint64_t count = 0;
	const struct rm_how how = { 0 };
	int dfd, n;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	n = make_tree(dfd, "t", 40, 3);
	assert_int_equal(n, 40 * 4);
	assert_int_equal(remove_tree(dfd, "t", &count, 7, &no_spare, &how),
			 -EDQUOT);
	assert_int_equal(count, 7);
	assert_int_equal(fstatat(dfd, "t", &st, 0), 0);
	count = 0;
	assert_int_equal(remove_tree(dfd, "t", &count, -1, &no_spare, &how), 0);
	assert_int_equal(count, (uint64_t)(n - 7));
	assert_true(fstatat(dfd, "t", &st, 0) < 0);
	close(dfd);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_set_insert_has_clear_and_grow),
		cmocka_unit_test(xattr_lists_compare_as_sets),
		cmocka_unit_test(parent_length_of_relative_paths),
		cmocka_unit_test(remove_tree_counts_and_stops_at_the_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
