/* SPDX-License-Identifier: MIT */
/*
 * hash.h: content hashes for --checksum.
 *
 * XXH3 128-bit (xxHash, Debian's libxxhash): it hashes at memory speed
 * (tens of GB/s on one core), so comparing two files costs their reads and
 * nothing more, and 128 bits make an accidental collision between a file
 * and its changed copy vanishingly unlikely. It is not a cryptographic
 * hash: --checksum guards against change, not against an adversary who
 * crafts a colliding file, the same trust rsync places in MD5/xxh128.
 *
 * Digests are in xxHash's canonical (big-endian) byte order, so printed in
 * hex they read as `xxhsum -H2` prints them.
 */
#ifndef UCP_HASH_H
#define UCP_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UCP_HASH_SIZE 16

/*
 * Hash the first size bytes of fd (borrowed; read with pread from offset
 * 0, its file offset untouched) through buf (bufsz > 0 bytes, borrowed)
 * into out. Before each read, stop (NULL: never) is asked whether to give
 * up. Returns 0, -EAGAIN when the file is shorter or longer than size (it
 * changed since it was stat'ed), -ECANCELED when stop said so, -ENOMEM, or
 * the -errno of pread.
 */
struct ucp_hash_stop {
	bool (*stopping)(const void *arg);
	const void *arg;
};
int ucp_hash_fd(int fd, uint64_t size, void *buf, size_t bufsz,
		const struct ucp_hash_stop *stop, uint8_t out[UCP_HASH_SIZE]);
/* As size: all of fd, to its end (a /proc file, whose size says 0). */
#define UCP_HASH_TO_END UINT64_MAX

/*
 * Streaming form, for data read elsewhere (by the ring):
 * ucp_hash_new, then ucp_hash_update for each piece in order, then
 * ucp_hash_final; ucp_hash_reset starts over.
 */
struct ucp_hash;

int ucp_hash_new(struct ucp_hash **out);
void ucp_hash_free(struct ucp_hash *h);
void ucp_hash_reset(struct ucp_hash *h);
void ucp_hash_update(struct ucp_hash *h, const void *data, size_t len);
void ucp_hash_final(const struct ucp_hash *h, uint8_t out[UCP_HASH_SIZE]);

#endif
