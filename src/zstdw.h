/* SPDX-License-Identifier: MIT */
/*
 * zstdw.h: the zstd stream --tar writes, with a checksum of its content.
 *
 * libarchive's zstd filter writes frames without the content checksum
 * (XXH64) the format allows, so a flipped bit in a stored file's data
 * extracts silently. ucp compresses zstd itself, with libzstd (the library
 * libarchive uses too), checksum on; libarchive writes the plain stream
 * into ucp_zstdw_write. libzstd is loaded on first use, as libarchive
 * is (archive_dl.h), by its soname.
 *
 * Layer: a leaf (libzstd and libc only).
 */
#ifndef UCP_ZSTDW_H
#define UCP_ZSTDW_H

#include <stddef.h>

struct ucp_zstdw;

/* Where compressed bytes go: 0, or -errno. */
typedef int (*ucp_zstdw_sink)(void *arg, const void *buf, size_t len);

/*
 * A stream at level (0: zstd's default), compressed by threads workers
 * besides the caller (0: by the caller alone), into sink. 0, or -errno,
 * with *why set when libzstd could not be loaded (a static string).
 */
int ucp_zstdw_new(struct ucp_zstdw **out, int level, int threads,
		  ucp_zstdw_sink sink, void *arg, const char **why);
/* Compress len bytes. 0, or -errno (the sink's, or EIO: see _error). */
int ucp_zstdw_write(struct ucp_zstdw *z, const void *buf, size_t len);
/* End the frame (its checksum) and hand out the rest. As _write. */
int ucp_zstdw_end(struct ucp_zstdw *z);
/* libzstd's words after a -EIO, or NULL. */
const char *ucp_zstdw_error(const struct ucp_zstdw *z);
/* Free; NULL is a no-op. */
void ucp_zstdw_free(struct ucp_zstdw *z);

#ifdef UCP_TEST_HOOKS
/* Load libzstd by this file name instead (NULL: its soname), before the
 * first stream. */
void ucp_zstdw_test_name(const char *name);
#endif

#endif
