/* SPDX-License-Identifier: MIT */
/*
 * fault.h: fault injection for tests, in debug builds (UCP_TEST_HOOKS).
 *
 * A rule "op:nth:what" makes the nth call of an operation fail with an
 * errno, or come back short; "nth+" also every later call. Calls are
 * counted per operation over the whole process, by both engines: the
 * syscall wrappers below and the ring (ring.c, which makes the request
 * really fail, so that the kernel cancels what is linked after it).
 *
 *	UCP_FAULT=write:3:ENOSPC        the third write fails with ENOSPC
 *	UCP_FAULT=read:1+:EIO,close:2:EIO
 *	UCP_FAULT=read:2:short          the second read returns half, or
 *	                                on the ring reads at the end of file
 *
 * Operations: open (a source), create (a destination file or temporary),
 * read, write, cfr (copy_file_range), close (of a written file), stat (of
 * a source file), rename, meta (chown, chmod, times), xattr, mkdir, link,
 * symlink, fsync, ring (setting up a worker's ring), sqpoll (its polling
 * thread, under --sqpoll), cached (the look that finds a file's data in
 * the page cache: "not there"), enter (a worker's
 * io_uring_enter that submits and waits), changed (the look at a big
 * file after its copy finds it changed, whatever the verdict says),
 * replaced (a source opened to be copied is found another file than the
 * one looked at: a name replaced meanwhile).
 *
 * In builds without the hooks every wrapper is the plain call.
 *
 * Layer: a leaf (util.h only).
 */
#ifndef UCP_FAULT_H
#define UCP_FAULT_H

#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>
#include <unistd.h>

enum ucp_fault_op {
	UCP_FAULT_OPEN,
	UCP_FAULT_CREATE,
	UCP_FAULT_READ,
	UCP_FAULT_WRITE,
	UCP_FAULT_CFR,
	UCP_FAULT_CLOSE,
	UCP_FAULT_STAT,
	UCP_FAULT_RENAME,
	UCP_FAULT_META,
	UCP_FAULT_XATTR,
	UCP_FAULT_MKDIR,
	UCP_FAULT_LINK,
	UCP_FAULT_SYMLINK,
	UCP_FAULT_FSYNC,
	UCP_FAULT_RING,
	UCP_FAULT_SQPOLL,
	UCP_FAULT_CACHED,
	UCP_FAULT_ENTER,
	UCP_FAULT_CHANGED,
	UCP_FAULT_REPLACED,
	UCP_FAULT_NOPS
};

/* What ucp_fault says for a call that must come back short. */
#define UCP_FAULT_SHORT (-1)

#ifdef UCP_TEST_HOOKS
/*
 * Set the rules from a spec as above (NULL or "" for none). Returns 0, or
 * -EINVAL for a spec it cannot read (nothing is set then).
 */
int ucp_fault_set(const char *spec);
/* The verdict for the next call of op: 0, an errno, or UCP_FAULT_SHORT. */
int ucp_fault(enum ucp_fault_op op);
/*
 * UCP_TEST_STOP_AT=point: the process stops itself (SIGSTOP) once, the
 * first time a thread reaches the named point, so that a test can change
 * the tree there (NULL or "": none). The points:
 *	settle	  --sync, before the attributes of a mirror's entry whose
 *		  data is the source's are mended
 *	mkdir	  a directory made for the copy (cp mode, --parents, --sync,
 *		  --untar's DIRECTORY), before it is opened
 *	member	  --untar, a regular member made, before its data
 *	finalize  --sync, a directory done, before its attributes are
 *		  compared and mended
 */
void ucp_test_stop_at(const char *point);
void ucp_test_point(const char *point);
#else
static inline int ucp_fault(enum ucp_fault_op op)
{
	(void)op;
	return 0;
}

static inline void ucp_test_point(const char *point)
{
	(void)point;
}
#endif

/* 0 to make the call, or -1 with errno set (an injected failure). */
static inline int ucp_fault_fail(enum ucp_fault_op op)
{
	int f = ucp_fault(op);

	if (f > 0) {
		errno = f;
		return -1;
	}
	return 0;
}

/*
 * For a read or write of *n bytes: -1 with errno set (an injected
 * failure), or 0 with *n halved for a short one.
 */
static inline int ucp_fault_io(enum ucp_fault_op op, size_t *n)
{
	int f = ucp_fault(op);

	if (f > 0) {
		errno = f;
		return -1;
	}
	if (f == UCP_FAULT_SHORT && *n > 1)
		*n /= 2;
	return 0;
}

/* The wrappers: the call, unless the rules say otherwise. */
static inline ssize_t ucp_fault_pread(int fd, void *buf, size_t n, off_t off)
{
	return ucp_fault_io(UCP_FAULT_READ, &n) < 0 ? -1
						    : pread(fd, buf, n, off);
}

static inline ssize_t ucp_fault_read(int fd, void *buf, size_t n)
{
	return ucp_fault_io(UCP_FAULT_READ, &n) < 0 ? -1 : read(fd, buf, n);
}

static inline ssize_t ucp_fault_pwrite(int fd, const void *buf, size_t n,
				       off_t off)
{
	return ucp_fault_io(UCP_FAULT_WRITE, &n) < 0 ? -1
						     : pwrite(fd, buf, n, off);
}

static inline ssize_t ucp_fault_write(int fd, const void *buf, size_t n)
{
	return ucp_fault_io(UCP_FAULT_WRITE, &n) < 0 ? -1 : write(fd, buf, n);
}

/* close(fd) of a written file: an injected failure still closes it. */
static inline int ucp_fault_close(int fd)
{
	int f = ucp_fault(UCP_FAULT_CLOSE);
	int ret = close(fd);

	if (f > 0) {
		errno = f;
		return -1;
	}
	return ret;
}

#endif
