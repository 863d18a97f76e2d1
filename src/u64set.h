/* SPDX-License-Identifier: MIT */
/*
 * u64set.h: a growing set of 64-bit hashes (open addressing, 0 = empty),
 * for the name sets of sync mode and --files-from. A hash match stands for
 * the name: with 64 bits, a collision is unlikely enough that each caller
 * only has to make sure one cannot do harm.
 */
#ifndef UCP_U64SET_H
#define UCP_U64SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ucp_u64set {
	uint64_t *slot;
	size_t cap, n;
};

/* FNV-1a of len bytes of s, never 0 (0 marks an empty slot). */
uint64_t ucp_u64set_hash(const char *s, size_t len);

/* Add h; -ENOMEM when the table could not grow, else 0. */
int ucp_u64set_add(struct ucp_u64set *s, uint64_t h);
bool ucp_u64set_has(const struct ucp_u64set *s, uint64_t h);
/* Empty the set, keeping its memory. */
void ucp_u64set_clear(struct ucp_u64set *s);
void ucp_u64set_release(struct ucp_u64set *s);

#endif
