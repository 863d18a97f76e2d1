/* SPDX-License-Identifier: MIT */
/*
 * noholes.c: an LD_PRELOAD library for tests. lseek's SEEK_DATA and
 * SEEK_HOLE answer as they do on a file system that shows no holes (the
 * kernel's generic answer: FUSE's ntfs-3g, NFSv3): the whole file is data,
 * from the offset asked to its end. Its block count still says how much
 * of it is holes, so the file looks sparse; and fstatfs of a regular file
 * says FUSE, the file system that answers so. With NOHOLES_NO_EXTEND set,
 * ftruncate refuses to make a file longer (EPERM), as FAT through FUSE
 * does: no hole can be made that way either.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>

typedef off_t (*lseek_fn)(int, off_t, int);

static off_t answer(int fd, off_t off, int whence, lseek_fn real)
{
	struct stat st;

	if (whence != SEEK_DATA && whence != SEEK_HOLE)
		return real(fd, off, whence);
	if (fstat(fd, &st) < 0)
		return -1;
	if (off < 0 || off >= st.st_size) {
		errno = ENXIO;
		return -1;
	}
	return real(fd, whence == SEEK_DATA ? off : st.st_size, SEEK_SET);
}

typedef int (*fstatfs_fn)(int, struct statfs *);

static int fstatfs_as_fuse(int fd, struct statfs *f, fstatfs_fn real)
{
	struct stat st;
	int ret = real(fd, f);

	if (ret == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		f->f_type = 0x65735546; /* FUSE */
	return ret;
}

int fstatfs(int fd, struct statfs *f)
{
	return fstatfs_as_fuse(fd, f, (fstatfs_fn)dlsym(RTLD_NEXT, "fstatfs"));
}

int fstatfs64(int fd, struct statfs64 *f)
{
	/* (The same layout on 64-bit systems, where this is built.) */
	return fstatfs_as_fuse(fd, (struct statfs *)f,
			       (fstatfs_fn)dlsym(RTLD_NEXT, "fstatfs64"));
}

typedef int (*ftruncate_fn)(int, off_t);

static int truncate_to(int fd, off_t len, ftruncate_fn real)
{
	struct stat st;

	if (getenv("NOHOLES_NO_EXTEND") && fstat(fd, &st) == 0 &&
	    len > st.st_size) {
		errno = EPERM;
		return -1;
	}
	return real(fd, len);
}

int ftruncate(int fd, off_t len)
{
	return truncate_to(fd, len,
			   (ftruncate_fn)dlsym(RTLD_NEXT, "ftruncate"));
}

int ftruncate64(int fd, off_t len)
{
	return truncate_to(fd, len,
			   (ftruncate_fn)dlsym(RTLD_NEXT, "ftruncate64"));
}

off_t lseek(int fd, off_t off, int whence)
{
	return answer(fd, off, whence, (lseek_fn)dlsym(RTLD_NEXT, "lseek"));
}

off_t lseek64(int fd, off_t off, int whence)
{
	return answer(fd, off, whence, (lseek_fn)dlsym(RTLD_NEXT, "lseek64"));
}
