/* SPDX-License-Identifier: MIT */
/*
 * treesum: one line per entry of a tree, for comparing trees in tests
 * with one process per tree. Usage: treesum [-m MASK] DIR
 *
 * Each line is: path, type (f d l p s c b), permission bits in octal,
 * ("-" for symlinks), size (regular files; "-" otherwise), symlink target ("-"
 * otherwise) and the XXH3-128 of a regular file's bytes ("-" otherwise),
 * separated by tabs, sorted by path. The root is ".". Bytes outside printable
 * ASCII, and backslash, are written as \ooo, so that every entry is one line.
 * With -m MASK, permission bits are those a copy by ucp without -p has:
 * files keep MASK's bits (e.g. 0755 for umask 022), directories also the
 * sticky bit.
 *
 * The walk descends with fchdir and comes back with "..", one open
 * directory at a time, so paths longer than PATH_MAX and trees deeper than
 * the descriptor limit are read too.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

static unsigned mask = 07777;
static char **lines;
static size_t nlines, caplines;
static int failed;

static void die(const char *op, const char *path)
{
	fprintf(stderr, "treesum: %s '%s': %s\n", op, path, strerror(errno));
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory", "");
	return p;
}

/* Write s with bytes outside printable ASCII, and backslash, as \ooo. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x21 || c > 0x7e || c == '\\')
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
}

static char type_of(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG:
		return 'f';
	case S_IFDIR:
		return 'd';
	case S_IFLNK:
		return 'l';
	case S_IFIFO:
		return 'p';
	case S_IFSOCK:
		return 's';
	case S_IFCHR:
		return 'c';
	default:
		return 'b';
	}
}

static void hash_file(const char *name, const char *path, char *out)
{
	static char buf[1 << 20];
	XXH3_state_t *st = XXH3_createState();
	XXH128_hash_t h;
	ssize_t n;
	int fd = open(name, O_RDONLY | O_NOFOLLOW);

	if (fd < 0 || !st) {
		fprintf(stderr, "treesum: cannot read '%s': %s\n", path,
			strerror(errno));
		failed = 1;
		snprintf(out, 40, "unreadable");
		if (fd >= 0)
			close(fd);
		XXH3_freeState(st);
		return;
	}
	XXH3_128bits_reset(st);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		XXH3_128bits_update(st, buf, (size_t)n);
	if (n < 0) {
		fprintf(stderr, "treesum: read error '%s': %s\n", path,
			strerror(errno));
		failed = 1;
	}
	h = XXH3_128bits_digest(st);
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
		 (unsigned long long)h.low64);
	XXH3_freeState(st);
	close(fd);
}

/* One line for the entry name (in the current directory) at path. */
static void emit(const char *name, const char *path, const struct stat *st)
{
	char *b = NULL, target[8192] = "-", hash[40] = "-";
	size_t len = 0;
	unsigned perm = st->st_mode & 07777;
	char t = type_of(st->st_mode);
	FILE *f = open_memstream(&b, &len);

	if (!f)
		die("out of memory", path);
	if (mask != 07777)
		perm &= t == 'd' ? (mask | 01000) : mask;
	if (t == 'f')
		hash_file(name, path, hash);
	if (t == 'l') {
		ssize_t n = readlink(name, target, sizeof(target) - 1);

		if (n < 0)
			die("cannot read link", path);
		target[n] = 0;
	}
	put_escaped(f, path);
	if (t == 'l') /* symlinks have no permissions of their own */
		fprintf(f, "\t%c\t-\t", t);
	else
		fprintf(f, "\t%c\t%o\t", t, perm);
	if (t == 'f')
		fprintf(f, "%lld", (long long)st->st_size);
	else
		fputc('-', f);
	fputc('\t', f);
	put_escaped(f, target);
	fprintf(f, "\t%s", hash);
	if (fclose(f))
		die("out of memory", path);
	if (nlines == caplines) {
		caplines = caplines * 2 + 1024;
		lines = xrealloc(lines, caplines * sizeof(*lines));
	}
	lines[nlines++] = b;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List the current directory, whose path is path. */
static void walk(const char *path)
{
	DIR *d = opendir(".");
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (!d)
		die("cannot open directory", path);
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap * 2 + 16;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n] = strdup(e->d_name);
		if (!names[n++])
			die("out of memory", path);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		size_t plen = strlen(path) + strlen(names[i]) + 2;
		char *sub = xrealloc(NULL, plen);
		struct stat st;

		snprintf(sub, plen, "%s/%s", path, names[i]);
		if (lstat(names[i], &st))
			die("cannot stat", sub);
		emit(names[i], sub, &st);
		if (S_ISDIR(st.st_mode)) {
			if (chdir(names[i]))
				die("cannot enter", sub);
			walk(sub);
			if (chdir(".."))
				die("cannot leave", sub);
		}
		free(sub);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	struct stat st;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "m:")) != -1) {
		if (opt != 'm') {
			fprintf(stderr, "usage: treesum [-m MASK] DIR\n");
			return 2;
		}
		mask = (unsigned)strtoul(optarg, NULL, 8);
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: treesum [-m MASK] DIR\n");
		return 2;
	}
	if (chdir(argv[optind]) || lstat(".", &st))
		die("cannot enter", argv[optind]);
	emit(".", ".", &st);
	walk(".");
	/* Sorted as whole lines: a path sorts before its children. */
	qsort(lines, nlines, sizeof(*lines), by_name);
	for (i = 0; i < nlines; i++) {
		puts(lines[i]);
		free(lines[i]);
	}
	free(lines);
	return failed ? 2 : 0;
}
