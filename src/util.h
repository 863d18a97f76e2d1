/* SPDX-License-Identifier: MIT */
/*
 * util.h: small helpers shared by every module.
 *
 * Nothing here allocates or does I/O. The overflow-checked helpers wrap the
 * compiler builtins so that size arithmetic reads the same everywhere.
 */
#ifndef UCP_UTIL_H
#define UCP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED __attribute__((unused))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define UCP_MIN(a, b) ((a) < (b) ? (a) : (b))
#define UCP_MAX(a, b) ((a) > (b) ? (a) : (b))
#define UCP_XSTR(x) #x
#define UCP_STR(x) UCP_XSTR(x)

/* Unit tests reach a few static functions through this (curl's trick). */
#ifdef UCP_UNIT_TEST
#define UCP_STATIC
#else
#define UCP_STATIC static
#endif

/* Return true and leave *out untouched when a + b overflows. */
static inline bool ucp_add_overflow(size_t a, size_t b, size_t *out)
{
	return __builtin_add_overflow(a, b, out);
}

static inline bool ucp_mul_overflow(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

#endif
