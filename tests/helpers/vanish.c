/* SPDX-License-Identifier: MIT */
/*
 * vanish.c: an LD_PRELOAD library for tests. Every name starting with
 * "vanish" that a directory read returns is removed right after the read
 * (a directory only when it is empty),
 * so the file disappears between the listing and its stat, as a file
 * deleted by someone else during a copy would. Hooking the read, not the
 * stat, catches every engine: a stat on io_uring is no libc call.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

typedef ssize_t (*getdents64_fn)(int, void *, size_t);

ssize_t getdents64(int fd, void *buf, size_t len)
{
	getdents64_fn real = (getdents64_fn)dlsym(RTLD_NEXT, "getdents64");
	ssize_t n = real(fd, buf, len);
	ssize_t pos = 0;

	while (pos < n) {
		struct dirent64 *e = (struct dirent64 *)((char *)buf + pos);

		/* An empty directory called vanish* goes too. */
		if (strncmp(e->d_name, "vanish", 6) == 0 &&
		    unlinkat(fd, e->d_name, 0) < 0)
			(void)unlinkat(fd, e->d_name, AT_REMOVEDIR);
		pos += e->d_reclen;
	}
	return n;
}
