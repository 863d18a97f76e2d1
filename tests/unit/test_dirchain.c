/* SPDX-License-Identifier: MIT */
/* test_dirchain.c: directories below a root, level by level, no symlinks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dirchain.h"

struct fixture {
	char dir[64];
	int root;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	(void)snprintf(f->dir, sizeof(f->dir), "/tmp/ucp-dirchain-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	f->root = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*state = f;
	return f->root < 0 ? -1 : 0;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close(f->root);
	nftw(f->dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static int chain_open(struct ucp_dirchain *c, const char *rel, bool create)
{
	return ucp_dirchain_open(c, rel, strlen(rel), create);
}

static bool is_dir_at(int root, const char *rel)
{
	struct stat st;

	return fstatat(root, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

static void dirchain_creates_levels_and_keeps_shared_ones(void **state)
{
	struct fixture *f = *state;
	struct ucp_dirchain c;
	struct stat st;
	int fd, a, b;

	ucp_dirchain_init(&c, f->root);
	assert_int_equal(chain_open(&c, "", true), f->root);
	fd = chain_open(&c, "a/b/c", true);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_true(is_dir_at(f->root, "a/b/c"));
	a = c.lv[0].fd;
	b = c.lv[1].fd;
	/* A sibling keeps the descriptors of the levels it shares. */
	fd = chain_open(&c, "a/b/d/e", true);
	assert_true(fd >= 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.lv[0].fd, a);
	assert_int_equal(c.lv[1].fd, b);
	assert_true(is_dir_at(f->root, "a/b/d/e"));
	/* A parent is the chain cut short. */
	assert_int_equal(chain_open(&c, "a", false), a);
	assert_int_equal(c.n, 1);
	/* "ab" shares no level with "a", only bytes. */
	fd = chain_open(&c, "ab", true);
	assert_true(fd >= 0);
	assert_int_equal(c.n, 1);
	assert_true(is_dir_at(f->root, "ab"));
	ucp_dirchain_release(&c);
}

static void dirchain_refuses_symlinks_and_files_on_the_way(void **state)
{
	struct fixture *f = *state;
	struct ucp_dirchain c;
	char outside[128];
	int fd;

	(void)snprintf(outside, sizeof(outside), "%s/outside", f->dir);
	assert_int_equal(mkdir(outside, 0700), 0);
	assert_int_equal(symlinkat(outside, f->root, "l"), 0);
	fd = openat(f->root, "file", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	ucp_dirchain_init(&c, f->root);
	assert_int_equal(chain_open(&c, "l", true), -ENOTDIR);
	assert_int_equal(chain_open(&c, "l/x", true), -ENOTDIR);
	assert_int_equal(chain_open(&c, "file/x", true), -ENOTDIR);
	assert_false(is_dir_at(f->root, "outside/x"));
	/* A dangling symlink is not made a directory through. */
	assert_int_equal(symlinkat("nowhere", f->root, "dangling"), 0);
	assert_int_equal(chain_open(&c, "dangling/x", true), -ENOTDIR);
	assert_false(is_dir_at(f->root, "nowhere"));
	ucp_dirchain_release(&c);
}

static void dirchain_without_create_misses(void **state)
{
	struct fixture *f = *state;
	struct ucp_dirchain c;

	ucp_dirchain_init(&c, f->root);
	assert_int_equal(chain_open(&c, "missing/x", false), -ENOENT);
	assert_false(is_dir_at(f->root, "missing"));
	ucp_dirchain_release(&c);
}

/* Few descriptors: the upper levels are shed, then reopened when needed. */
static void dirchain_sheds_and_reopens_levels(void **state)
{
	struct fixture *f = *state;
	struct ucp_dirchain c;
	struct rlimit old, low;
	char rel[400];
	size_t i, len = 0;
	int fd;

	for (i = 0; i < 100; i++)
		len += (size_t)snprintf(rel + len, sizeof(rel) - len, "%sd",
					i ? "/" : "");
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = 32;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	ucp_dirchain_init(&c, f->root);
	fd = ucp_dirchain_open(&c, rel, len, true);
	assert_true(fd >= 0);
	assert_int_equal(c.n, 100);
	assert_int_equal(c.lv[0].fd, -1);
	assert_int_equal(c.lv[99].fd, fd);
	/* Level 50 was shed: reached again from the root. */
	memcpy(rel + 99, "/x", 3);
	fd = ucp_dirchain_open(&c, rel, 101, true);
	assert_true(fd >= 0);
	assert_int_equal(c.n, 51);
	assert_true(is_dir_at(f->root, rel));
	ucp_dirchain_release(&c);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
}

/* With max_open, the oldest levels are closed; reopened ones are checked. */
static void dirchain_keeps_max_open_and_checks_reopened(void **state)
{
	struct fixture *f = *state;
	struct ucp_dirchain c;
	char rel[400];
	size_t i, len = 0, open = 0;
	int fd;

	for (i = 0; i < 100; i++)
		len += (size_t)snprintf(rel + len, sizeof(rel) - len, "%sd",
					i ? "/" : "");
	ucp_dirchain_init(&c, f->root);
	c.max_open = 8;
	fd = ucp_dirchain_open(&c, rel, len, true);
	assert_true(fd >= 0);
	assert_int_equal(c.n, 100);
	for (i = 0; i < c.n; i++)
		open += c.lv[i].fd >= 0;
	assert_true(open <= 8);
	assert_int_equal(c.nopen, open);
	assert_int_equal(c.lv[99].fd, fd);
	/* Level 50 is closed: reached again from the nearest open level. */
	memcpy(rel + 99, "/x", 3);
	fd = ucp_dirchain_open(&c, rel, 101, true);
	assert_true(fd >= 0);
	assert_true(is_dir_at(f->root, rel));
	assert_true(c.nopen <= 8);
	/* A closed level replaced by another directory is not followed. */
	fd = ucp_dirchain_open(&c, rel, 19, false); /* d/.../d, 10 levels */
	assert_true(fd >= 0);
	ucp_dirchain_release(&c);
	ucp_dirchain_init(&c, f->root);
	c.max_open = 2;
	assert_true(ucp_dirchain_open(&c, rel, 19, false) >= 0);
	assert_int_equal(c.lv[0].fd, -1);
	assert_int_equal(renameat(f->root, "d", f->root, "old"), 0);
	assert_int_equal(mkdirat(f->root, "d", 0700), 0);
	assert_int_equal(renameat(f->root, "old/d", f->root, "d/d"), 0);
	assert_int_equal(ucp_dirchain_open(&c, rel, 3, false), -ESTALE);
	ucp_dirchain_release(&c);
}

/*
 * path_only: levels are O_PATH descriptors (enough for lookups), and a
 * symbolic link on the way is still refused.
 */
static void dirchain_path_only_looks_up_and_refuses_symlinks(void **state)
{
	struct fixture *f = *state;
	struct ucp_dirchain c;
	struct stat st;
	int fd;

	assert_int_equal(mkdirat(f->root, "a", 0700), 0);
	assert_int_equal(mkdirat(f->root, "a/b", 0700), 0);
	fd = openat(f->root, "a/b/file", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(symlinkat("a", f->root, "l"), 0);
	ucp_dirchain_init(&c, f->root);
	c.path_only = true;
	fd = chain_open(&c, "a/b", false);
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFL) & O_PATH);
	assert_true(fcntl(c.lv[0].fd, F_GETFL) & O_PATH);
	assert_int_equal(fstatat(fd, "file", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(chain_open(&c, "l", false), -ENOTDIR);
	assert_int_equal(chain_open(&c, "l/b", false), -ENOTDIR);
	ucp_dirchain_release(&c);
}

struct made_log {
	char paths[4][32];
	int n;
};

static void log_made(void *arg, const char *rel, size_t len)
{
	struct made_log *m = arg;

	assert_true(m->n < 4 && len < sizeof(m->paths[0]));
	memcpy(m->paths[m->n], rel, len);
	m->paths[m->n++][len] = '\0';
}

/* The chain says which directories it made, not those that were there. */
static void dirchain_tells_what_it_made(void **state)
{
	struct fixture *f = *state;
	struct made_log m = { .n = 0 };
	struct ucp_dirchain c;

	assert_int_equal(mkdirat(f->root, "old", 0755), 0);
	ucp_dirchain_init(&c, f->root);
	c.made = log_made;
	c.made_arg = &m;
	assert_true(chain_open(&c, "old/new/newer", true) >= 0);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.paths[0], "old/new");
	assert_string_equal(m.paths[1], "old/new/newer");
	/* Opened again (shared, or anew): nothing made. */
	assert_true(chain_open(&c, "old/new", true) >= 0);
	assert_true(chain_open(&c, "old", false) >= 0);
	assert_true(chain_open(&c, "old/new/newer", false) >= 0);
	assert_int_equal(m.n, 2);
	ucp_dirchain_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			dirchain_creates_levels_and_keeps_shared_ones, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			dirchain_refuses_symlinks_and_files_on_the_way, setup,
			teardown),
		cmocka_unit_test_setup_teardown(dirchain_without_create_misses,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			dirchain_sheds_and_reopens_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(
			dirchain_keeps_max_open_and_checks_reopened, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			dirchain_path_only_looks_up_and_refuses_symlinks, setup,
			teardown),
		cmocka_unit_test_setup_teardown(dirchain_tells_what_it_made,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
