/* SPDX-License-Identifier: MIT */
/*
 * bufcache.c: buffers kept for reuse (see bufcache.h). A kept buffer's
 * first bytes link it to the next one of its size.
 */
#include "bufcache.h"

#include <stdlib.h>

static unsigned size_class(size_t n)
{
	unsigned shift = UCP_BUFCACHE_MIN_SHIFT;

	while (((size_t)1 << shift) < n)
		shift++;
	return shift - UCP_BUFCACHE_MIN_SHIFT;
}

void ucp_bufcache_init(struct ucp_bufcache *c, size_t limit)
{
	unsigned i;

	pthread_mutex_init(&c->lock, NULL);
	for (i = 0; i < sizeof(c->free) / sizeof(c->free[0]); i++)
		c->free[i] = NULL;
	c->kept = 0;
	c->limit = limit;
}

void ucp_bufcache_release(struct ucp_bufcache *c)
{
	unsigned i;

	pthread_mutex_lock(&c->lock);
	for (i = 0; i < sizeof(c->free) / sizeof(c->free[0]); i++) {
		while (c->free[i]) {
			void *p = c->free[i];

			c->free[i] = *(void **)p;
			free(p);
		}
	}
	c->kept = 0;
	pthread_mutex_unlock(&c->lock);
	pthread_mutex_destroy(&c->lock);
}

size_t ucp_bufcache_size(size_t n)
{
	if (n > UCP_BUFCACHE_MAX)
		return n;
	return (size_t)1 << (size_class(n) + UCP_BUFCACHE_MIN_SHIFT);
}

void *ucp_bufcache_get(struct ucp_bufcache *c, size_t n)
{
	size_t size = ucp_bufcache_size(n);
	void *p = NULL;

	if (n <= UCP_BUFCACHE_MAX) {
		unsigned k = size_class(n);

		pthread_mutex_lock(&c->lock);
		p = c->free[k];
		if (p) {
			c->free[k] = *(void **)p;
			c->kept -= size;
		}
		pthread_mutex_unlock(&c->lock);
	}
	return p ? p : malloc(size);
}

void ucp_bufcache_put(struct ucp_bufcache *c, void *p, size_t n)
{
	size_t size = ucp_bufcache_size(n);

	if (!p)
		return;
	if (n <= UCP_BUFCACHE_MAX) {
		unsigned k = size_class(n);

		pthread_mutex_lock(&c->lock);
		if (c->kept + size <= c->limit) {
			*(void **)p = c->free[k];
			c->free[k] = p;
			c->kept += size;
			p = NULL;
		}
		pthread_mutex_unlock(&c->lock);
	}
	free(p);
}
