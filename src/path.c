/* SPDX-License-Identifier: MIT */
/* path.c: joining path names (see path.h). */
#include "path.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

char *ucp_path_join_n(const char *dir, size_t dlen, const char *leaf)
{
	size_t b = strlen(leaf);
	bool slash = dlen > 0 && dir[dlen - 1] != '/';
	char *s = malloc(dlen + b + 2);

	if (!s)
		return NULL;
	memcpy(s, dir, dlen);
	if (slash)
		s[dlen++] = '/';
	memcpy(s + dlen, leaf, b + 1);
	return s;
}

char *ucp_path_join(const char *dir, const char *leaf)
{
	return ucp_path_join_n(dir, strlen(dir), leaf);
}
