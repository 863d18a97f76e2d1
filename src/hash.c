/* SPDX-License-Identifier: MIT */
/*
 * hash.c: XXH3-128 content hashes (see hash.h). The only user of
 * <xxhash.h>; the state is the library's own, allocated by it, so ucp
 * never depends on its layout.
 */
#include "hash.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "banned.h"
#include "fault.h"

struct ucp_hash {
	XXH3_state_t *state;
};

int ucp_hash_new(struct ucp_hash **out)
{
	struct ucp_hash *h = malloc(sizeof(*h));

	if (!h)
		return -ENOMEM;
	h->state = XXH3_createState();
	if (!h->state) {
		free(h);
		return -ENOMEM;
	}
	ucp_hash_reset(h);
	*out = h;
	return 0;
}

void ucp_hash_free(struct ucp_hash *h)
{
	if (!h)
		return;
	XXH3_freeState(h->state);
	free(h);
}

void ucp_hash_reset(struct ucp_hash *h)
{
	/* Fails only for a NULL state, which ucp_hash_new rules out. */
	(void)XXH3_128bits_reset(h->state);
}

void ucp_hash_update(struct ucp_hash *h, const void *data, size_t len)
{
	/* Fails only for a NULL state or NULL data with len > 0. */
	(void)XXH3_128bits_update(h->state, data, len);
}

void ucp_hash_final(const struct ucp_hash *h, uint8_t out[UCP_HASH_SIZE])
{
	XXH128_canonical_t c;

	XXH128_canonicalFromHash(&c, XXH3_128bits_digest(h->state));
	memcpy(out, c.digest, UCP_HASH_SIZE);
}

/* Feed the first size bytes of fd to h (see ucp_hash_fd). */
static int hash_range(struct ucp_hash *h, int fd, uint64_t size, void *buf,
		      size_t bufsz, const struct ucp_hash_stop *stop)
{
	uint64_t off = 0;

	for (;;) {
		uint64_t left = size - off;
		/*
		 * Ask for one byte more than is left, so that a file that
		 * grew shows up without another call; a full buffer before
		 * the end costs one extra 1-byte read at the end instead.
		 */
		size_t want = left < bufsz ? (size_t)left + 1 : bufsz;
		ssize_t n;

		/* (A big file takes seconds: a signal must not wait for it.) */
		if (stop && stop->stopping(stop->arg))
			return -ECANCELED;
		n = ucp_fault_pread(fd, buf, want, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		/* End of file: early when the file shrank. */
		if (n == 0)
			return left && size != UCP_HASH_TO_END ? -EAGAIN : 0;
		if ((uint64_t)n > left)
			return -EAGAIN;
		ucp_hash_update(h, buf, (size_t)n);
		off += (uint64_t)n;
		/* A short read of a regular file ends it: done at size. */
		if (off == size && (size_t)n < want)
			return 0;
	}
}

int ucp_hash_fd(int fd, uint64_t size, void *buf, size_t bufsz,
		const struct ucp_hash_stop *stop, uint8_t out[UCP_HASH_SIZE])
{
	struct ucp_hash *h = NULL;
	int ret;

	assert(bufsz > 0);
	ret = ucp_hash_new(&h);
	if (ret < 0)
		return ret;
	ret = hash_range(h, fd, size, buf, bufsz, stop);
	if (ret == 0)
		ucp_hash_final(h, out);
	ucp_hash_free(h);
	return ret;
}
