/* SPDX-License-Identifier: MIT */
/*
 * mkmany: the test suite's many-small-files tree, written fast.
 * Usage: mkmany DIR N
 *        mkmany -l FILE DIR N
 *
 * DIR gets N files f0 ... f(N-1) spread over subdirectories g0, g1, ... of
 * 100 files each; file fI holds "file I\n", except every 97th (I % 97 == 0),
 * which is empty. The same layout as the shell generator it replaces, in a
 * fraction of its time (one process instead of a fork per file). With -l,
 * DIR gets N hard links l0 ... l(N-1) to FILE instead (a file brought to its
 * file system's limit of links).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *op, const char *path)
{
	fprintf(stderr, "mkmany: %s '%s': %s\n", op, path, strerror(errno));
	return 1;
}

/* -l: n links to file in dir (made). */
static int links(const char *file, const char *dir, long n)
{
	char path[4096];
	long i;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return fail("cannot create directory", dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/l%ld", dir, i);
		if (link(file, path))
			return fail("cannot link", path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char path[64], text[32];
	char *end;
	long n, i;
	int dir, sub = -1;

	if (argc == 5 && strcmp(argv[1], "-l") == 0) {
		errno = 0;
		n = strtol(argv[4], &end, 10);
		if (errno || *end || n < 0) {
			fprintf(stderr, "mkmany: bad count '%s'\n", argv[4]);
			return 2;
		}
		return links(argv[2], argv[3], n);
	}
	if (argc != 3) {
		fprintf(stderr, "usage: mkmany DIR N | mkmany -l FILE DIR N\n");
		return 2;
	}
	errno = 0;
	n = strtol(argv[2], &end, 10);
	if (errno || *end || n < 0) {
		fprintf(stderr, "mkmany: bad count '%s'\n", argv[2]);
		return 2;
	}
	if (mkdir(argv[1], 0777) && errno != EEXIST)
		return fail("cannot create directory", argv[1]);
	dir = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dir < 0)
		return fail("cannot open", argv[1]);
	for (i = 0; i < n; i++) {
		int fd, len = 0;

		if (i % 100 == 0) {
			if (sub >= 0)
				close(sub);
			snprintf(path, sizeof(path), "g%ld", i / 100);
			if (mkdirat(dir, path, 0777) && errno != EEXIST)
				return fail("cannot create directory", path);
			sub = openat(dir, path, O_RDONLY | O_DIRECTORY);
			if (sub < 0)
				return fail("cannot open", path);
		}
		snprintf(path, sizeof(path), "f%ld", i);
		fd = openat(sub, path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0)
			return fail("cannot create", path);
		if (i % 97 != 0)
			len = snprintf(text, sizeof(text), "file %ld\n", i);
		if (len && write(fd, text, len) != len)
			return fail("cannot write", path);
		if (close(fd))
			return fail("cannot close", path);
	}
	if (sub >= 0)
		close(sub);
	close(dir);
	return 0;
}
