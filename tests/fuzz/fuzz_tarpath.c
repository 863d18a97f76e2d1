/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tarpath.c: libFuzzer harness for the member-name mapping. Whatever
 * the input, an accepted result is relative, has no "." or ".." and no
 * empty component, fits its buffer and holds no NUL.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tarpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *out, size_t size)
{
	size_t len = strnlen(out, size), i = 0;

	if (len == size || len == 0 || out[0] == '/' || out[len - 1] == '/')
		abort();
	while (i < len) {
		size_t start = i;

		while (i < len && out[i] != '/')
			i++;
		if (i == start || i - start > 255)
			abort();
		if (i - start == 1 && out[start] == '.')
			abort();
		if (i - start == 2 && out[start] == '.' &&
		    out[start + 1] == '.')
			abort();
		i++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[512];
	/* The first byte picks the output size, to reach the "no room" path. */
	size_t outsz = size ? (size_t)data[0] * 2 + 1 : sizeof(out);
	enum ucp_tarpath v;

	if (size)
		data++, size--;
	v = ucp_tarpath_map((const char *)data, size, out, outsz);
	if (v == UCP_TARPATH_OK || v == UCP_TARPATH_STRIPPED)
		check(out, outsz);
	if (v == UCP_TARPATH_OK && size && data[0] == '/')
		abort();
	return 0;
}
