/* SPDX-License-Identifier: MIT */
/*
 * vanish.c: an LD_PRELOAD library for tests. Any fstatat of a name whose
 * last component starts with "vanish" first removes that file, so it
 * disappears exactly between the directory read and the stat, as a file
 * deleted by someone else during a copy would.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef int (*fstatat_fn)(int, const char *, struct stat *, int);

static int doomed(const char *path)
{
	const char *leaf = strrchr(path, '/');

	return strncmp(leaf ? leaf + 1 : path, "vanish", 6) == 0;
}

static int forward(const char *sym, int dirfd, const char *path,
		   struct stat *st, int flags)
{
	fstatat_fn real = (fstatat_fn)dlsym(RTLD_NEXT, sym);

	if (doomed(path))
		(void)unlinkat(dirfd, path, 0);
	return real(dirfd, path, st, flags);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return forward("fstatat", dirfd, path, st, flags);
}

/* The large-file name, which <sys/stat.h> declares with struct stat64. */
int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return forward("fstatat64", dirfd, path, (struct stat *)st, flags);
}
