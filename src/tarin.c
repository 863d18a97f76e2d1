/* SPDX-License-Identifier: MIT */
/*
 * tarin.c: the input of --untar and --list, an archive file or standard
 * input read in blocks.
 *
 * A gzip stream is inflated here rather than by libarchive, whose gzip
 * reader never checks the trailer: a flipped bit in the compressed data
 * could give wrong bytes and a clean exit. zlib checks the CRC-32 and the
 * length of every gzip member (concatenated members follow one another,
 * as gzip -d does); zeros after the last member (tape padding) are
 * ignored, anything else there is damage. Other input goes through as it
 * is, and libarchive recognises the format and any other compression from
 * the content, as before (bzip2, xz, zstd and lz4 check their own data;
 * an lz4 stream's checksum only at its end, which untar.c reads to).
 */
#include "tarin.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "banned.h"
#include "fault.h"

struct ucp_tarin {
	int fd;
	bool own_fd;   /* opened here (not standard input) */
	bool seekable; /* a regular file: skips may seek */
	bool gzip;
	bool member_done; /* between gzip members (or after the last) */
	bool eof;	  /* the fd has no more bytes */
	bool first;	  /* the sniffed block is still to be returned */
	z_stream z;
	unsigned char *in, *out;
	size_t block, in_len;
	uint64_t pos;	   /* the file's offset, as read, skipped, sought */
	uint64_t consumed; /* the furthest pos (a zip's end is read first) */
	char err[160];
	atomic_int *cancel; /* a read cut short by a signal ends when set */
};

/* n bytes read or skipped at pos. */
static void advance(struct ucp_tarin *t, uint64_t n)
{
	t->pos += n;
	if (t->pos > t->consumed)
		t->consumed = t->pos;
}

/*
 * Wait until a pipe (or terminal, socket) has bytes or its end, a tick at
 * a time: a stalled pipe must not hold an interrupted run, whether the
 * signal cut a read short or came just before it. 0, or -1 (EINTR) once
 * the run is cancelled.
 */
static int wait_input(struct ucp_tarin *t)
{
	struct pollfd p = { .fd = t->fd, .events = POLLIN };

	for (;;) {
		int n;

		if (t->cancel && atomic_load(t->cancel)) {
			(void)snprintf(t->err, sizeof(t->err), "interrupted");
			errno = EINTR;
			return -1;
		}
		if (t->seekable)
			return 0;
		n = poll(&p, 1, 100);
		if (n > 0 || (n < 0 && errno != EINTR))
			return 0; /* (an error: the read says it) */
	}
}

static int fill(struct ucp_tarin *t)
{
	ssize_t n;

	do {
		if (wait_input(t) < 0)
			return -1;
		n = ucp_fault_read(t->fd, t->in, t->block);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		(void)snprintf(t->err, sizeof(t->err), "read error: %s",
			       strerror(errno));
		return -1;
	}
	t->eof = n == 0;
	t->in_len = (size_t)n;
	advance(t, (uint64_t)n);
	t->z.next_in = t->in;
	t->z.avail_in = (uInt)n;
	return 0;
}

int ucp_tarin_open(struct ucp_tarin **out, const char *path, size_t block,
		   atomic_int *cancel)
{
	struct ucp_tarin *t = calloc(1, sizeof(*t));
	struct stat st;

	*out = NULL;
	if (!t)
		return -ENOMEM;
	t->block = block;
	t->cancel = cancel;
	t->fd = 0;
	if (path && strcmp(path, "-") != 0) {
		t->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (t->fd < 0) {
			int err = errno;

			free(t);
			return -err;
		}
		t->own_fd = true;
	}
	t->seekable = fstat(t->fd, &st) == 0 && S_ISREG(st.st_mode);
	/* Room for the two bytes of the gzip check, whatever the block. */
	t->in = malloc(block < 2 ? 2 : block);
	t->out = malloc(block);
	if (!t->in || !t->out) {
		ucp_tarin_close(t);
		return -ENOMEM;
	}
	/* The first bytes tell whether this is gzip (1f 8b). */
	if (fill(t) < 0) {
		int err = errno;

		ucp_tarin_close(t);
		return -(err ? err : EIO);
	}
	if (t->in_len < 2 && !t->eof) {
		ssize_t n = read(t->fd, t->in + t->in_len, 1);

		if (n > 0) {
			t->in_len += (size_t)n;
			advance(t, (uint64_t)n);
			t->z.avail_in = (uInt)t->in_len;
		}
	}
	t->gzip = t->in_len >= 2 && t->in[0] == 0x1f && t->in[1] == 0x8b;
	t->first = true;
	if (t->gzip && inflateInit2(&t->z, 16 + MAX_WBITS) != Z_OK) {
		t->gzip = false;
		ucp_tarin_close(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

/*
 * zlib refused the data: t->err says why, -1. "incorrect data check" is
 * the CRC-32 of the member, "incorrect length check" its length: found at
 * its end, wherever the damage is.
 */
static int gzip_damaged(struct ucp_tarin *t)
{
	const char *m = t->z.msg ? t->z.msg : "damaged data";

	(void)snprintf(t->err, sizeof(t->err), "gzip: %s%s", m,
		       strstr(m, "check") ? " (found at the end of the data it "
					    "covers: the damage may lie in any "
					    "member before)"
					  : "");
	return -1;
}

/* Between gzip members: the next member, the end, or damage. */
static int next_member(struct ucp_tarin *t)
{
	for (;;) {
		if (t->z.avail_in == 0) {
			if (t->eof)
				return 0;
			if (fill(t) < 0)
				return -1;
			continue;
		}
		if (t->z.next_in[0] == 0x1f) {
			if (inflateReset(&t->z) != Z_OK) {
				(void)snprintf(t->err, sizeof(t->err),
					       "gzip: %s", "cannot restart");
				return -1;
			}
			t->member_done = false;
			return 1;
		}
		if (t->z.next_in[0] != 0) {
			(void)snprintf(t->err, sizeof(t->err),
				       "gzip: trailing garbage after the "
				       "compressed data");
			return -1;
		}
		t->z.next_in++;
		t->z.avail_in--;
	}
}

static ssize_t read_gzip(struct ucp_tarin *t, const void **buf)
{
	for (;;) {
		int r;

		if (t->member_done) {
			r = next_member(t);
			if (r <= 0)
				return r;
		}
		if (t->z.avail_in == 0 && !t->eof && fill(t) < 0)
			return -1;
		t->z.next_out = t->out;
		t->z.avail_out = (uInt)t->block;
		r = inflate(&t->z, Z_NO_FLUSH);
		if (r == Z_STREAM_END) {
			t->member_done = true;
		} else if (r == Z_BUF_ERROR ||
			   (r == Z_OK && t->z.avail_in == 0 && t->eof)) {
			if (t->eof && t->z.avail_in == 0 &&
			    t->z.avail_out == t->block) {
				(void)snprintf(t->err, sizeof(t->err),
					       "gzip: unexpected end of the "
					       "compressed data");
				return -1;
			}
		} else if (r != Z_OK) {
			return gzip_damaged(t);
		}
		if (t->z.avail_out < t->block) {
			*buf = t->out;
			return (ssize_t)(t->block - t->z.avail_out);
		}
	}
}

bool ucp_tarin_lz4(const struct ucp_tarin *t)
{
	static const unsigned char magic[4] = { 0x04, 0x22, 0x4d, 0x18 };

	return !t->gzip && t->first && t->in_len >= 4 &&
	       memcmp(t->in, magic, 4) == 0;
}

ssize_t ucp_tarin_pread(const struct ucp_tarin *t, void *buf, size_t n,
			uint64_t off)
{
	if (t->gzip || !t->seekable) {
		errno = ESPIPE;
		return -1;
	}
	return pread(t->fd, buf, n, (off_t)off);
}

ssize_t ucp_tarin_read(struct ucp_tarin *t, const void **buf)
{
	if (t->gzip)
		return read_gzip(t, buf);
	if (!t->first && fill(t) < 0)
		return -1;
	t->first = false;
	*buf = t->in;
	return (ssize_t)t->in_len;
}

int ucp_tarin_finish(struct ucp_tarin *t)
{
	const void *buf;
	ssize_t n;

	if (!t->gzip)
		return 0;
	while ((n = read_gzip(t, &buf)) > 0)
		;
	return n < 0 ? -1 : 0;
}

int64_t ucp_tarin_skip(struct ucp_tarin *t, int64_t request)
{
	struct stat st;
	off_t at;

	if (t->gzip || !t->seekable || t->first || request <= 0)
		return 0;
	/* Never past the end: a short file must read as truncated. */
	at = lseek(t->fd, 0, SEEK_CUR);
	if (at < 0 || fstat(t->fd, &st) < 0 || st.st_size <= at)
		return 0;
	if (request > st.st_size - at)
		request = st.st_size - at;
	if (lseek(t->fd, (off_t)request, SEEK_CUR) < 0)
		return 0;
	advance(t, (uint64_t)request);
	return request;
}

bool ucp_tarin_seekable(const struct ucp_tarin *t)
{
	return t->seekable && !t->gzip;
}

int64_t ucp_tarin_size(const struct ucp_tarin *t)
{
	struct stat st;

	if (t->gzip || !t->seekable || fstat(t->fd, &st) < 0)
		return -1;
	return (int64_t)st.st_size;
}

int64_t ucp_tarin_seek(struct ucp_tarin *t, int64_t offset, int whence)
{
	off_t at;

	if (!ucp_tarin_seekable(t))
		return -1;
	/* The sniffed block is not returned now: where it began is where
	 * the reader is. */
	if (t->first && whence == SEEK_CUR)
		offset -= (int64_t)t->in_len;
	t->first = false;
	at = lseek(t->fd, (off_t)offset, whence);
	if (at < 0)
		return -1;
	t->pos = (uint64_t)at;
	return (int64_t)at;
}

bool ucp_tarin_gzip(const struct ucp_tarin *t)
{
	return t->gzip;
}

uint64_t ucp_tarin_consumed(const struct ucp_tarin *t)
{
	return t->consumed;
}

const char *ucp_tarin_error(const struct ucp_tarin *t)
{
	return t->err[0] ? t->err : NULL;
}

void ucp_tarin_close(struct ucp_tarin *t)
{
	if (!t)
		return;
	if (t->gzip)
		(void)inflateEnd(&t->z);
	if (t->own_fd)
		(void)close(t->fd); /* read-only */
	free(t->in);
	free(t->out);
	free(t);
}
