/* SPDX-License-Identifier: MIT */
/*
 * fuzz_size.c: libFuzzer harness for the strict number parsers of the
 * options (--buffer-size, --jobs, --max-delete, --level, ...). The first
 * byte picks the bound of ucp_parse_uint, the rest is the text. Both
 * parsers are checked against a plain digit-by-digit reading: they accept
 * exactly the texts that are digits (and, for sizes, one of K M G T) with
 * no overflow, give the same value, and leave *out alone on a refusal.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum verdict { V_OK, V_SYNTAX, V_RANGE };

/*
 * Read s as digits then at most one unit letter (units: the letters
 * allowed, "" for none); the value is *v, saturated at UINT64_MAX.
 */
static enum verdict reference(const char *s, const char *units, uint64_t max,
			      uint64_t *v)
{
	const char *p = s;
	bool over = false;
	uint64_t n = 0;
	unsigned shift = 0;

	if (*p < '0' || *p > '9')
		return V_SYNTAX;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (n > (UINT64_MAX - d) / 10)
			over = true;
		else
			n = n * 10 + d;
	}
	if (*p) {
		const char *u = *units ? strchr(units, *p) : NULL;

		if (!u || p[1])
			return V_SYNTAX;
		shift = 10 * (unsigned)(u - units + 1);
	}
	if (over || n > (max >> shift))
		return V_RANGE;
	*v = n << shift;
	return V_OK;
}

/* The result of a parser against the reference for the same text. */
static void compare(int ret, enum verdict want, uint64_t got, uint64_t value,
		    uint64_t sentinel)
{
	switch (want) {
	case V_OK:
		if (ret != 0 || got != value)
			abort();
		break;
	case V_RANGE:
		if (ret != -ERANGE || got != sentinel)
			abort();
		break;
	default:
		/* Junk after an overlong number may be called either. */
		if ((ret != -EINVAL && ret != -ERANGE) || got != sentinel)
			abort();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned bounds[] = { 0, 1, 22, 1024, INT_MAX, UINT_MAX };
	const size_t sentinel = (size_t)0x5a5a5a5a5a5a5a5aull;
	unsigned max, u = 0x5a5a5a5a;
	uint64_t value = 0;
	enum verdict want;
	size_t sz = sentinel;
	char *s;
	int ret;

	if (size == 0)
		return 0;
	max = bounds[data[0] % (sizeof(bounds) / sizeof(bounds[0]))];
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	want = reference(s, "KMGT", SIZE_MAX, &value);
	ret = ucp_parse_size(s, &sz);
	compare(ret, want, sz, value, sentinel);

	want = reference(s, "", max, &value);
	ret = ucp_parse_uint(s, max, &u);
	compare(ret, want, u, value, 0x5a5a5a5a);

	free(s);
	return 0;
}
