/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tarin.c: libFuzzer harness for the archive input of --untar and
 * --list (tarin.c): gzip inflated with its trailer checked, anything else
 * passed through.
 *
 * Input: one byte of settings (block size, file or pipe, skips), then the
 * archive bytes. They are read to the end through ucp_tarin_read and
 * ucp_tarin_finish, from a file or from a pipe on standard input.
 * Checked:
 *   - plain input comes back unchanged, skips included (a skip never goes
 *     past the end), and ucp_tarin_consumed counts what was taken;
 *   - gzip input is accepted exactly when a plain reading with zlib of
 *     the members one after the other (zeros allowed after each) accepts
 *     it, and then gives the same bytes; whatever the block size;
 *   - a refusal comes with a message, and only then.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

#include "tarin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* More output than this (a small input can inflate a thousandfold) is
 * not compared: the run would be slow and show nothing new. */
#define OUT_MAX (1u << 20)

struct bytes {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

/*
 * gzip -d's reading, in one go: members one after another, zeros after
 * each. true with the bytes in *out, false for damage or an output past
 * OUT_MAX (*too_big).
 */
static bool reference_gunzip(const unsigned char *in, size_t n,
			     struct bytes *out, bool *too_big)
{
	unsigned char buf[16384];
	size_t pos = 0;
	bool first = true;

	*too_big = false;
	while (pos < n) {
		z_stream z = { 0 };
		int r;

		if (!first) {
			while (pos < n && in[pos] == 0)
				pos++;
			if (pos == n)
				break;
			if (in[pos] != 0x1f)
				return false;
		}
		first = false;
		if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
			abort();
		z.next_in = (unsigned char *)in + pos;
		z.avail_in = (uInt)(n - pos);
		do {
			z.next_out = buf;
			z.avail_out = sizeof(buf);
			r = inflate(&z, Z_NO_FLUSH);
			put(out, buf, sizeof(buf) - z.avail_out);
			if (out->len > OUT_MAX)
				*too_big = true;
		} while (r == Z_OK && !*too_big);
		pos = n - z.avail_in;
		(void)inflateEnd(&z);
		if (*too_big || r != Z_STREAM_END)
			return false;
	}
	return true;
}

/* Does b hold exactly the n bytes at p? */
static bool same(const struct bytes *b, const void *p, size_t n)
{
	return b->len == n && (n == 0 || memcmp(b->p, p, n) == 0);
}

struct run {
	bool ok;      /* read to the end without a refusal */
	bool too_big; /* stopped at OUT_MAX */
	struct bytes out;
	bool skipped; /* some bytes were skipped, not read */
};

/* Open data as a file, or as standard input fed by a pipe. */
static struct ucp_tarin *open_input(const uint8_t *data, size_t size,
				    size_t block, bool pipe_in, int *saved_in)
{
	struct ucp_tarin *t;
	char path[64];
	int fd, p[2];

	*saved_in = -1;
	if (pipe_in) {
		/* The whole input fits in the pipe: no writer thread. */
		if (pipe(p) != 0)
			abort();
		if (size && write(p[1], data, size) != (ssize_t)size)
			abort();
		(void)close(p[1]);
		*saved_in = dup(STDIN_FILENO);
		if (*saved_in < 0 || dup2(p[0], STDIN_FILENO) < 0)
			abort();
		(void)close(p[0]);
		if (ucp_tarin_open(&t, "-", block, NULL) != 0)
			abort();
		return t;
	}
	fd = memfd_create("archive", MFD_CLOEXEC);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	(void)snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (ucp_tarin_open(&t, path, block, NULL) != 0)
		abort();
	(void)close(fd);
	return t;
}

static void read_all(const uint8_t *data, size_t size, size_t block,
		     bool pipe_in, const uint8_t *skips, size_t nskips,
		     struct run *run)
{
	int saved_in;
	struct ucp_tarin *t = open_input(data, size, block, pipe_in, &saved_in);
	const void *buf;
	size_t k = 0;
	ssize_t n;

	memset(run, 0, sizeof(*run));
	while ((n = ucp_tarin_read(t, &buf)) > 0) {
		put(&run->out, buf, (size_t)n);
		if (run->out.len > OUT_MAX) {
			run->too_big = true;
			break;
		}
		if (nskips) {
			int64_t want = skips[k++ % nskips];
			int64_t got = ucp_tarin_skip(t, want);

			if (got < 0 || got > want)
				abort();
			/* Skipped bytes are the input's: stand them in. */
			if (got > 0) {
				if (run->out.len + (size_t)got > size)
					abort(); /* past the end */
				put(&run->out, data + run->out.len,
				    (size_t)got);
				run->skipped = true;
			}
		}
	}
	if (n == 0 && !run->too_big)
		run->ok = ucp_tarin_finish(t) == 0;
	if ((n < 0 || (n == 0 && !run->too_big && !run->ok)) !=
	    (ucp_tarin_error(t) != NULL))
		abort();
	if (!run->too_big && run->ok &&
	    !(size >= 2 && data[0] == 0x1f && data[1] == 0x8b) &&
	    ucp_tarin_consumed(t) != size)
		abort();
	ucp_tarin_close(t);
	if (saved_in >= 0) {
		if (dup2(saved_in, STDIN_FILENO) < 0)
			abort();
		(void)close(saved_in);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t blocks[] = { 1, 2, 3, 7, 64, 512, 4096, 65536 };
	struct run small, big;
	struct bytes ref = { 0 };
	const uint8_t *skips = NULL;
	size_t block, nskips = 0;
	bool gzip, pipe_in, too_big, ref_ok;
	unsigned set;

	if (size == 0)
		return 0;
	set = data[0];
	data++;
	size--;
	block = blocks[set & 7];
	pipe_in = (set & 8) && size < 60000;
	gzip = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	/* Skips apply to plain files only; their sizes come from the data. */
	if ((set & 0x10) && !gzip && !pipe_in && size > 0) {
		skips = data;
		nskips = size < 8 ? size : 8;
	}

	read_all(data, size, block, pipe_in, skips, nskips, &small);
	read_all(data, size, 65536, false, NULL, 0, &big);
	if (!small.too_big && !big.too_big &&
	    (small.ok != big.ok ||
	     (small.ok && !same(&small.out, big.out.p, big.out.len))))
		abort();

	if (!gzip) {
		/* Plain input: nothing refused, every byte back. */
		if (!big.ok || !same(&big.out, data, size))
			abort();
	} else if (!big.too_big) {
		ref_ok = reference_gunzip(data, size, &ref, &too_big);
		if (!too_big &&
		    (ref_ok != big.ok ||
		     (ref_ok && !same(&ref, big.out.p, big.out.len))))
			abort();
	}
	free(small.out.p);
	free(big.out.p);
	free(ref.p);
	return 0;
}
