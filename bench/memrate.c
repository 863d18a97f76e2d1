/* SPDX-License-Identifier: MIT */
/*
 * memrate.c: the machine's in-memory copy rate, for the benchmark.
 *
 * Usage: memrate MODE STREAMS SRC... DSTDIR
 *   MODE   cfr    one copy_file_range loop per stream, each stream copying
 *                 its own source file (SRC number i % count) whole
 *          rw     the same with a pread/pwrite loop through a 1 MiB buffer
 *          split  all streams copy ranges of the first SRC into one
 *                 destination with copy_file_range at offsets (shows
 *                 whether one file's copy can use more than one core)
 *
 * The sources should be in the page cache already (the caller reads them
 * first). Destinations are created in DSTDIR as memrate.N, and written
 * back and dropped from the page cache after the timing, then removed, so
 * the next measurement starts from the same state. Prints one line:
 * "MODE STREAMS BYTES SECONDS GIB_PER_S". Exits 1 on any error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RW_BUF ((size_t)1 << 20)
#define CFR_STEP ((size_t)1 << 30)
#define MAX_STREAMS 256

struct stream {
	int sfd, dfd;
	off_t off, len;
	int mode; /* 0 cfr/split, 1 rw */
	int err;
};

static void *run(void *arg)
{
	struct stream *s = arg;
	off_t off = s->off, end = s->off + s->len;
	char *buf = NULL;

	if (s->mode == 1) {
		buf = malloc(RW_BUF);
		if (!buf) {
			s->err = ENOMEM;
			return NULL;
		}
	}
	while (off < end) {
		size_t want = (size_t)(end - off);
		ssize_t n;

		if (s->mode == 0) {
			loff_t in = off, out = off;

			n = copy_file_range(s->sfd, &in, s->dfd, &out,
					    want < CFR_STEP ? want : CFR_STEP,
					    0);
		} else {
			ssize_t k, done = 0;

			n = pread(s->sfd, buf, want < RW_BUF ? want : RW_BUF,
				  off);
			while (n > 0 && done < n) {
				k = pwrite(s->dfd, buf + done,
					   (size_t)(n - done), off + done);
				if (k <= 0) {
					n = -1;
					break;
				}
				done += k;
			}
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			s->err = n < 0 ? errno : EIO;
			break;
		}
		off += n;
	}
	free(buf);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static struct stream st[MAX_STREAMS];
	pthread_t th[MAX_STREAMS];
	int n, i, nsrc, mode, ndst, status = 0;
	const char *dstdir;
	char path[4096];
	uint64_t bytes = 0;
	double t0, t1;
	struct stat sb;

	if (argc < 5) {
		fprintf(stderr, "usage: memrate cfr|rw|split STREAMS SRC... "
				"DSTDIR\n");
		return 2;
	}
	if (strcmp(argv[1], "cfr") == 0 || strcmp(argv[1], "split") == 0)
		mode = 0;
	else if (strcmp(argv[1], "rw") == 0)
		mode = 1;
	else {
		fprintf(stderr, "memrate: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	n = atoi(argv[2]);
	if (n < 1 || n > MAX_STREAMS) {
		fprintf(stderr, "memrate: bad stream count '%s'\n", argv[2]);
		return 2;
	}
	nsrc = argc - 4;
	dstdir = argv[argc - 1];
	ndst = strcmp(argv[1], "split") == 0 ? 1 : n;
	for (i = 0; i < ndst; i++) {
		snprintf(path, sizeof(path), "%s/memrate.%d", dstdir, i);
		(void)unlink(path);
	}
	for (i = 0; i < n; i++) {
		const char *src = argv[3 + (ndst == 1 ? 0 : i % nsrc)];

		st[i].mode = mode;
		st[i].sfd = open(src, O_RDONLY | O_CLOEXEC);
		if (st[i].sfd < 0 || fstat(st[i].sfd, &sb) < 0) {
			perror(src);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/memrate.%d", dstdir,
			 ndst == 1 ? 0 : i);
		st[i].dfd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (st[i].dfd < 0) {
			perror(path);
			return 1;
		}
		if (ndst == 1) {
			off_t part = (sb.st_size / n + 4095) & ~(off_t)4095;

			st[i].off = part * i;
			st[i].len = part * (i + 1) > sb.st_size
					    ? sb.st_size - part * i
					    : part;
			if (st[i].len < 0)
				st[i].len = 0;
		} else {
			st[i].off = 0;
			st[i].len = sb.st_size;
		}
		bytes += (uint64_t)st[i].len;
	}
	t0 = now();
	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, run, &st[i]) != 0) {
			fprintf(stderr, "memrate: pthread_create failed\n");
			return 1;
		}
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	t1 = now();
	for (i = 0; i < n; i++) {
		if (st[i].err) {
			fprintf(stderr, "memrate: stream %d: %s\n", i,
				strerror(st[i].err));
			status = 1;
		}
		/* Out of the cache again, so the next run starts alike. */
		(void)fdatasync(st[i].dfd);
		(void)posix_fadvise(st[i].dfd, 0, 0, POSIX_FADV_DONTNEED);
		close(st[i].sfd);
		close(st[i].dfd);
	}
	for (i = 0; i < ndst; i++) {
		snprintf(path, sizeof(path), "%s/memrate.%d", dstdir, i);
		(void)unlink(path);
	}
	printf("%s %d %llu %.4f %.3f\n", argv[1], n, (unsigned long long)bytes,
	       t1 - t0, (double)bytes / (1 << 30) / (t1 - t0));
	return status;
}
