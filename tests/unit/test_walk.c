/* SPDX-License-Identifier: MIT */
/*
 * test_walk.c: directory nodes (display paths, post-order finalisation,
 * descriptor release) and the getdents64 reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "walk.h"

static void walk_path_joins_root_and_names(void **state)
{
	struct ucp_dir *root = ucp_dir_new_root("src/", "out");
	struct ucp_dir *a = ucp_dir_new_child(root, "a", S_IFDIR | 0755);
	struct ucp_dir *b = ucp_dir_new_child(a, "b b", S_IFDIR | 0755);
	char *p;

	(void)state;
	p = ucp_dir_path(b, false, "f");
	assert_string_equal(p, "src/a/b b/f");
	free(p);
	p = ucp_dir_path(b, true, NULL);
	assert_string_equal(p, "out/a/b b");
	free(p);
	p = ucp_dir_path(root, true, "x");
	assert_string_equal(p, "out/x");
	free(p);
	ucp_dir_put(b, NULL, NULL);
	ucp_dir_put(a, NULL, NULL);
	ucp_dir_put(root, NULL, NULL);
}

static void walk_pseudo_path_is_the_operand(void **state)
{
	struct ucp_dir *d = ucp_dir_new_root("dir/file", "copy");
	char *p;

	(void)state;
	d->pseudo = true;
	p = ucp_dir_path(d, false, "file");
	assert_string_equal(p, "dir/file");
	free(p);
	p = ucp_dir_path(d, true, "copy");
	assert_string_equal(p, "copy");
	free(p);
	ucp_dir_put(d, NULL, NULL);
}

static int fin_order[8];
static int nfin;

static void record_fin(struct ucp_dir *d, void *arg)
{
	(void)arg;
	fin_order[nfin++] = (int)d->src_mode;
}

static void walk_put_finalises_children_before_parents(void **state)
{
	struct ucp_dir *root = ucp_dir_new_root("s", "d");
	struct ucp_dir *a, *b;

	(void)state;
	nfin = 0;
	root->src_mode = 1;
	a = ucp_dir_new_child(root, "a", 2);
	b = ucp_dir_new_child(a, "b", 3);
	/* The scans end first: nothing is final while a child lives. */
	ucp_dir_put(root, record_fin, NULL);
	ucp_dir_put(a, record_fin, NULL);
	assert_int_equal(nfin, 0);
	ucp_dir_put(b, record_fin, NULL);
	assert_int_equal(nfin, 3);
	assert_int_equal(fin_order[0], 3);
	assert_int_equal(fin_order[1], 2);
	assert_int_equal(fin_order[2], 1);
}

static void walk_deep_chain_finalises_without_recursion(void **state)
{
	struct ucp_dir *root = ucp_dir_new_root("s", "d");
	struct ucp_dir *cur = root, *next;
	int i;

	(void)state;
	nfin = 0;
	/* 200,000 levels would overflow the stack if put recursed. */
	for (i = 0; i < 200000; i++) {
		next = ucp_dir_new_child(cur, "x", 0);
		assert_non_null(next);
		ucp_dir_put(cur, NULL, NULL);
		cur = next;
	}
	ucp_dir_put(cur, NULL, NULL);
}

static void walk_src_fd_closes_with_last_user(void **state)
{
	struct ucp_dir *root = ucp_dir_new_root("s", "d");
	struct ucp_dir *c;
	int fd = open(".", O_RDONLY | O_DIRECTORY);

	(void)state;
	root->src_fd = fd;
	ucp_dir_src_get(root);		     /* the scan */
	c = ucp_dir_new_child(root, "c", 0); /* a child not yet opened */
	ucp_dir_src_put(root);		     /* scan ends */
	assert_int_equal(root->src_fd, fd);
	assert_true(fcntl(fd, F_GETFD) >= 0);
	ucp_dir_src_put(root); /* the child opened its own */
	assert_int_equal(root->src_fd, -1);
	assert_true(fcntl(fd, F_GETFD) < 0);
	ucp_dir_put(c, NULL, NULL);
	ucp_dir_put(root, NULL, NULL);
}

static void walk_dirents_lists_all_but_dots(void **state)
{
	char tmp[] = "/tmp/ucp-walk-XXXXXX", path[64];
	struct ucp_dirents *r = malloc(sizeof(*r));
	const char *name;
	unsigned char type;
	int fd, i, n = 0, dirs = 0, ret;

	(void)state;
	assert_non_null(mkdtemp(tmp));
	for (i = 0; i < 3000; i++) {
		(void)snprintf(path, sizeof(path), "%s/f%d", tmp, i);
		close(open(path, O_CREAT | O_WRONLY, 0600));
	}
	(void)snprintf(path, sizeof(path), "%s/sub", tmp);
	mkdir(path, 0700);
	fd = open(tmp, O_RDONLY | O_DIRECTORY);
	ucp_dirents_init(r, fd);
	/* 3,000 entries need several getdents64 calls of 32 KiB. */
	while ((ret = ucp_dirents_next(r, &name, &type)) > 0) {
		assert_true(strcmp(name, ".") != 0 && strcmp(name, "..") != 0);
		if (type == 4 /* DT_DIR */)
			dirs++;
		n++;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(n, 3001);
	assert_int_equal(dirs, 1);
	close(fd);
	for (i = 0; i < 3000; i++) {
		(void)snprintf(path, sizeof(path), "%s/f%d", tmp, i);
		unlink(path);
	}
	(void)snprintf(path, sizeof(path), "%s/sub", tmp);
	rmdir(path);
	rmdir(tmp);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_path_joins_root_and_names),
		cmocka_unit_test(walk_pseudo_path_is_the_operand),
		cmocka_unit_test(walk_put_finalises_children_before_parents),
		cmocka_unit_test(walk_deep_chain_finalises_without_recursion),
		cmocka_unit_test(walk_src_fd_closes_with_last_user),
		cmocka_unit_test(walk_dirents_lists_all_but_dots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
