/* SPDX-License-Identifier: MIT */
/*
 * tarin.h: the input of --untar and --list (a file or standard input), with
 * gzip inflated and checked here. No libarchive in this module: untar.c
 * hands these calls to libarchive as its read callbacks.
 */
#ifndef UCP_TARIN_H
#define UCP_TARIN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ucp_tarin;

/*
 * Open path ("-" or NULL: standard input), read in blocks of block bytes.
 * A read cut short by a signal (EINTR) fails once *cancel (when not NULL)
 * is set, rather than waiting again on a stalled pipe. 0 or -errno.
 */
int ucp_tarin_open(struct ucp_tarin **out, const char *path, size_t block,
		   atomic_int *cancel);
/*
 * The next bytes of the archive (decompressed, for gzip) in *buf, valid
 * until the next call: their count, 0 at the end, -1 on damage or a read
 * error (ucp_tarin_error says which).
 */
ssize_t ucp_tarin_read(struct ucp_tarin *t, const void **buf);
/*
 * After the archive's end: read what is left of a gzip stream, so that its
 * trailer is checked too (the end of the archive may come before it). 0,
 * or -1 as for ucp_tarin_read.
 */
int ucp_tarin_finish(struct ucp_tarin *t);
/*
 * Read again n bytes at offset off of a file read as it is (not gzip, not
 * a pipe): what was read there, or -1 (ESPIPE where it cannot be).
 */
ssize_t ucp_tarin_pread(const struct ucp_tarin *t, void *buf, size_t n,
			uint64_t off);
/* Skip up to request bytes of plain input by seeking; the bytes skipped
 * (0: read them instead). */
int64_t ucp_tarin_skip(struct ucp_tarin *t, int64_t request);
/*
 * Whether the input can be read anywhere (a regular file, not gzip): a zip
 * is then read from its central directory, which alone holds each
 * member's type and mode.
 */
bool ucp_tarin_seekable(const struct ucp_tarin *t);
/* The size of a file read as it is (ucp_tarin_pread's), or -1. */
int64_t ucp_tarin_size(const struct ucp_tarin *t);
/* Move to offset (lseek's whence); the new offset, or -1. */
int64_t ucp_tarin_seek(struct ucp_tarin *t, int64_t offset, int whence);
/* Whether the input is gzip, inflated here. */
bool ucp_tarin_gzip(const struct ucp_tarin *t);
/* Bytes taken from the file so far (compressed), for progress. */
uint64_t ucp_tarin_consumed(const struct ucp_tarin *t);
/*
 * Whether the input starts as an lz4 frame: libarchive checks the
 * checksum of an lz4 stream's content only when it reads to the stream's
 * end, which the archive's end comes before (untar.c reads it through).
 */
bool ucp_tarin_lz4(const struct ucp_tarin *t);
/* What went wrong, after ucp_tarin_read returned -1. */
const char *ucp_tarin_error(const struct ucp_tarin *t);
/* Close; NULL is a no-op. */
void ucp_tarin_close(struct ucp_tarin *t);

#endif
