/* SPDX-License-Identifier: MIT */
/*
 * scan.h: the counting walk of the progress display (scan.c). It runs on a
 * thread of its own ahead of the copy and only counts; nothing it finds
 * changes what is copied. A leaf module: it calls libc alone.
 */
#ifndef UCP_SCAN_H
#define UCP_SCAN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ucp_scan_opts {
	bool recursive;	      /* descend into directories (-r) */
	bool follow_all;      /* -L: follow every symlink */
	bool follow_roots;    /* -H, or operands without -r: follow those */
	bool one_file_system; /* -x */
	unsigned max_open;    /* open directories at most (0: the default) */
};

struct ucp_scan;

/*
 * Start counting the n paths in roots (borrowed until ucp_scan_stop); the
 * walk ends early once *cancel is set. 0 or -errno.
 */
int ucp_scan_start(struct ucp_scan **out, char *const *roots, size_t n,
		   const struct ucp_scan_opts *o, atomic_int *cancel);

/*
 * The totals so far: files (entries other than directories) and bytes of
 * regular files. True once they are complete (the walk ended and did not
 * give up).
 */
bool ucp_scan_read(const struct ucp_scan *s, uint64_t *files, uint64_t *bytes);

/* Whether the walk is still going. */
bool ucp_scan_running(const struct ucp_scan *s);

/*
 * Stop the walk and wait for its thread (once; NULL is a no-op). Its
 * totals can still be read, until ucp_scan_free.
 */
void ucp_scan_stop(struct ucp_scan *s);

/* Stop the walk if it still runs, and free it; NULL is a no-op. */
void ucp_scan_free(struct ucp_scan *s);

#endif
