/* SPDX-License-Identifier: MIT */
/*
 * sparsecmp: compare two files that may be mostly holes, reading only
 * their data. Usage: sparsecmp A B
 *
 * The sizes must be equal. The data extents of both files (SEEK_DATA and
 * SEEK_HOLE) are merged; the bytes of every merged extent are compared,
 * and everything outside them is a hole in both, so zeros in both. Prints
 * each file's extent map on stdout. Exits 0 when the contents are equal,
 * 1 when they differ, 2 on an error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static char bufa[CHUNK], bufb[CHUNK];

/* The start of the data at or after off, or size if none. */
static off_t next_data(int fd, off_t off, off_t size)
{
	off_t d = lseek(fd, off, SEEK_DATA);

	return d < 0 ? size : d;
}

static off_t next_hole(int fd, off_t off, off_t size)
{
	off_t h = lseek(fd, off, SEEK_HOLE);

	return h < 0 ? size : h;
}

static void print_map(const char *name, int fd, off_t size)
{
	off_t off = 0;

	printf("%s: size %lld, data", name, (long long)size);
	while ((off = next_data(fd, off, size)) < size) {
		off_t h = next_hole(fd, off, size);

		printf(" %lld+%lld", (long long)off, (long long)(h - off));
		off = h;
	}
	printf("\n");
}

/* Compare [off, end) of both files: 0 equal, 1 differ, 2 error. */
static int cmp_range(int a, int b, off_t off, off_t end)
{
	while (off < end) {
		size_t n = end - off > CHUNK ? CHUNK : (size_t)(end - off);
		ssize_t ra = pread(a, bufa, n, off),
			rb = pread(b, bufb, n, off);

		if (ra < 0 || rb < 0) {
			perror("sparsecmp: read");
			return 2;
		}
		if (ra != rb || ra == 0 || memcmp(bufa, bufb, ra)) {
			printf("differ in [%lld, %lld)\n", (long long)off,
			       (long long)(off + n));
			return 1;
		}
		off += ra;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct stat sa, sb;
	off_t off = 0, size;
	int a, b;

	if (argc != 3) {
		fprintf(stderr, "usage: sparsecmp A B\n");
		return 2;
	}
	a = open(argv[1], O_RDONLY);
	b = open(argv[2], O_RDONLY);
	if (a < 0 || b < 0 || fstat(a, &sa) || fstat(b, &sb)) {
		fprintf(stderr, "sparsecmp: %s: %s\n",
			a < 0 ? argv[1] : argv[2], strerror(errno));
		return 2;
	}
	print_map(argv[1], a, sa.st_size);
	print_map(argv[2], b, sb.st_size);
	if (sa.st_size != sb.st_size) {
		printf("sizes differ\n");
		return 1;
	}
	size = sa.st_size;
	/* Walk the union of the two data maps. */
	while (off < size) {
		off_t da = next_data(a, off, size),
		      db = next_data(b, off, size);
		off_t start = da < db ? da : db, end, ha, hb;
		int r;

		if (start >= size)
			break;
		/* Extend the extent while either file has data in it. */
		end = start;
		for (;;) {
			ha = next_data(a, end, size) <= end
				     ? next_hole(a, end, size)
				     : end;
			hb = next_data(b, end, size) <= end
				     ? next_hole(b, end, size)
				     : end;
			if (ha <= end && hb <= end)
				break;
			end = ha > hb ? ha : hb;
		}
		r = cmp_range(a, b, start, end);
		if (r)
			return r;
		off = end;
	}
	return 0;
}
