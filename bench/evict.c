/* SPDX-License-Identifier: MIT */
/*
 * evict.c: drop the files of a tree from the page cache, for the benchmark.
 * Usage: evict PATH...
 *
 * Each regular file under each PATH is written back (fdatasync) and then
 * dropped from the page cache (posix_fadvise POSIX_FADV_DONTNEED), so that
 * the copy a tool just made does not stay in memory and make the next tool
 * pay for reclaiming it. Directories are walked with nftw, not following
 * symlinks. Exits 0, or 1 if a file could not be opened.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int status;

static int one(const char *path, const struct stat *st, int type,
	       struct FTW *ftw)
{
	int fd;

	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		status = 1;
		return 0;
	}
	(void)fdatasync(fd);
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: evict PATH...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (nftw(argv[i], one, 64, FTW_PHYS) < 0) {
			fprintf(stderr, "evict: %s: %s\n", argv[i],
				strerror(errno));
			status = 1;
		}
	return status;
}
