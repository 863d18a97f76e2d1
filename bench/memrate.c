/* SPDX-License-Identifier: MIT */
/*
 * memrate.c: the machine's in-memory copy rate, for the benchmark.
 *
 * Usage: memrate MODE STREAMS SRC... DSTDIR
 *   MODE   cfr    copy every SRC whole, STREAMS at a time: stream i copies
 *                 sources i, i + STREAMS, ... one after another, each with
 *                 a copy_file_range loop (the bytes a copier of the same
 *                 files moves, with no tool around them)
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
 *
 * Or: memrate touch MIB: map MIB MiB of memory, touch every page, and
 * give it back (on a VM that reports free memory to its host, so that the
 * next copies find it mapped; see bench/run.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RW_BUF ((size_t)1 << 20)
#define CFR_STEP ((size_t)1 << 30)
#define MAX_STREAMS 256
#define MAX_PARTS 4096

/* A whole source file, or (split) a range of the first one. */
struct part {
	int sfd, dfd;
	off_t off, len;
};

struct stream {
	unsigned first; /* parts first, first + nstreams, ... */
	int err;
};

static struct part parts[MAX_PARTS];
static unsigned nparts, nstreams;
static int mode; /* 0 cfr/split, 1 rw */

static int copy_part(const struct part *p, char *buf)
{
	off_t off = p->off, end = p->off + p->len;

	while (off < end) {
		size_t want = (size_t)(end - off);
		ssize_t n;

		if (mode == 0) {
			loff_t in = off, out = off;

			n = copy_file_range(p->sfd, &in, p->dfd, &out,
					    want < CFR_STEP ? want : CFR_STEP,
					    0);
		} else {
			ssize_t k, done = 0;

			n = pread(p->sfd, buf, want < RW_BUF ? want : RW_BUF,
				  off);
			while (n > 0 && done < n) {
				k = pwrite(p->dfd, buf + done,
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
		if (n <= 0)
			return n < 0 ? errno : EIO;
		off += n;
	}
	return 0;
}

static void *run(void *arg)
{
	struct stream *s = arg;
	char *buf = NULL;
	unsigned i;

	if (mode == 1) {
		buf = malloc(RW_BUF);
		if (!buf) {
			s->err = ENOMEM;
			return NULL;
		}
	}
	for (i = s->first; i < nparts && !s->err; i += nstreams)
		s->err = copy_part(&parts[i], buf);
	free(buf);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_dst(const char *dstdir, unsigned i)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/memrate.%u", dstdir, i);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		perror(path);
	return fd;
}

static void remove_dsts(const char *dstdir, unsigned n)
{
	char path[4096];
	unsigned i;

	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/memrate.%u", dstdir, i);
		(void)unlink(path);
	}
}

static int touch(const char *mib)
{
	size_t len = (size_t)strtoull(mib, NULL, 10) << 20;
	void *p;

	if (len == 0)
		return 2;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		perror("memrate: mmap");
		return 1;
	}
	munmap(p, len);
	return 0;
}

int main(int argc, char **argv)
{
	static struct stream st[MAX_STREAMS];
	pthread_t th[MAX_STREAMS];
	unsigned i, nsrc, ndst;
	int n, status = 0;
	bool split;
	const char *dstdir;
	uint64_t bytes = 0;
	double t0, t1;
	struct stat sb;

	if (argc == 3 && strcmp(argv[1], "touch") == 0)
		return touch(argv[2]);
	if (argc < 5) {
		fprintf(stderr, "usage: memrate cfr|rw|split STREAMS SRC... "
				"DSTDIR\n       memrate touch MIB\n");
		return 2;
	}
	split = strcmp(argv[1], "split") == 0;
	if (strcmp(argv[1], "cfr") == 0 || split)
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
	nstreams = (unsigned)n;
	nsrc = (unsigned)argc - 4;
	if (nsrc > MAX_PARTS) {
		fprintf(stderr, "memrate: more than %d sources\n", MAX_PARTS);
		return 2;
	}
	dstdir = argv[argc - 1];
	nparts = split ? nstreams : nsrc;
	ndst = split ? 1 : nsrc;
	remove_dsts(dstdir, ndst);
	for (i = 0; i < nparts; i++) {
		const char *src = argv[3 + (split ? 0 : i)];
		struct part *p = &parts[i];

		p->sfd = open(src, O_RDONLY | O_CLOEXEC);
		if (p->sfd < 0 || fstat(p->sfd, &sb) < 0) {
			perror(src);
			return 1;
		}
		p->dfd = open_dst(dstdir, split ? 0 : i);
		if (p->dfd < 0)
			return 1;
		if (split) {
			off_t part = (sb.st_size / n + 4095) & ~(off_t)4095;

			p->off = part * i;
			p->len = part * (i + 1) > sb.st_size
					 ? sb.st_size - part * i
					 : part;
			if (p->len < 0)
				p->len = 0;
		} else {
			p->off = 0;
			p->len = sb.st_size;
		}
		bytes += (uint64_t)p->len;
	}
	t0 = now();
	for (i = 0; i < nstreams; i++) {
		st[i].first = i;
		if (pthread_create(&th[i], NULL, run, &st[i]) != 0) {
			fprintf(stderr, "memrate: pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < nstreams; i++)
		pthread_join(th[i], NULL);
	t1 = now();
	for (i = 0; i < nstreams; i++)
		if (st[i].err) {
			fprintf(stderr, "memrate: stream %u: %s\n", i,
				strerror(st[i].err));
			status = 1;
		}
	for (i = 0; i < nparts; i++) {
		/* Out of the cache again, so the next run starts alike. */
		(void)fdatasync(parts[i].dfd);
		(void)posix_fadvise(parts[i].dfd, 0, 0, POSIX_FADV_DONTNEED);
		close(parts[i].sfd);
		close(parts[i].dfd);
	}
	remove_dsts(dstdir, ndst);
	printf("%s %d %llu %.4f %.3f\n", argv[1], n, (unsigned long long)bytes,
	       t1 - t0, (double)bytes / (1 << 30) / (t1 - t0));
	return status;
}
