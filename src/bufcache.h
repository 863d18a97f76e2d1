/* SPDX-License-Identifier: MIT */
/*
 * bufcache.h: buffers kept for reuse, in power-of-two sizes from 4 KiB to
 * UCP_BUFCACHE_MAX. A buffer given back to the C library goes back to the
 * kernel soon after, and its pages fault again, zeroed, when touched next;
 * on a virtual machine that reports free pages to its host, each fault
 * costs the host too. Archive creation reads small files whole into such
 * buffers, one after another, and keeps reusing the same few megabytes.
 *
 * Thread-safe. At most `limit` bytes are kept; a buffer given back past
 * that is freed.
 */
#ifndef UCP_BUFCACHE_H
#define UCP_BUFCACHE_H

#include <pthread.h>
#include <stddef.h>

#define UCP_BUFCACHE_MIN_SHIFT 12u
#define UCP_BUFCACHE_MAX_SHIFT 20u
#define UCP_BUFCACHE_MAX ((size_t)1 << UCP_BUFCACHE_MAX_SHIFT)

struct ucp_bufcache {
	pthread_mutex_t lock;
	void *free[UCP_BUFCACHE_MAX_SHIFT - UCP_BUFCACHE_MIN_SHIFT + 1];
	size_t kept, limit;
};

void ucp_bufcache_init(struct ucp_bufcache *c, size_t limit);
/* Free every buffer kept, and the cache's lock. */
void ucp_bufcache_release(struct ucp_bufcache *c);

/* The size of the buffer ucp_bufcache_get gives for n bytes (n > max: n). */
size_t ucp_bufcache_size(size_t n);
/* A buffer of ucp_bufcache_size(n) bytes, or NULL (ENOMEM). */
void *ucp_bufcache_get(struct ucp_bufcache *c, size_t n);
/* Give back p, got for n bytes (the same n); NULL is ignored. */
void ucp_bufcache_put(struct ucp_bufcache *c, void *p, size_t n);

#endif
