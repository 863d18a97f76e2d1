/* SPDX-License-Identifier: MIT */
/* u64set.c: a growing set of 64-bit hashes (see u64set.h). */
#include "u64set.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

uint64_t ucp_u64set_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return h ? h : 1;
}

static void put(struct ucp_u64set *s, uint64_t h)
{
	size_t i = h & (s->cap - 1);

	while (s->slot[i] && s->slot[i] != h)
		i = (i + 1) & (s->cap - 1);
	if (!s->slot[i]) {
		s->slot[i] = h;
		s->n++;
	}
}

int ucp_u64set_add(struct ucp_u64set *s, uint64_t h)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct ucp_u64set big = { 0 };
		size_t i;

		/* At most half full, so probes stay short. */
		big.cap = s->cap ? s->cap * 2 : 256;
		big.slot = calloc(big.cap, sizeof(*big.slot));
		if (!big.slot)
			return -ENOMEM;
		for (i = 0; i < s->cap; i++)
			if (s->slot[i])
				put(&big, s->slot[i]);
		free(s->slot);
		*s = big;
	}
	put(s, h);
	return 0;
}

bool ucp_u64set_has(const struct ucp_u64set *s, uint64_t h)
{
	size_t i;

	if (!s->cap)
		return false;
	for (i = h & (s->cap - 1); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == h)
			return true;
	return false;
}

void ucp_u64set_clear(struct ucp_u64set *s)
{
	if (s->n)
		memset(s->slot, 0, s->cap * sizeof(*s->slot));
	s->n = 0;
}

void ucp_u64set_release(struct ucp_u64set *s)
{
	free(s->slot);
	s->slot = NULL;
	s->cap = s->n = 0;
}
