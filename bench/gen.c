/* SPDX-License-Identifier: MIT */
/*
 * gen.c: deterministic benchmark dataset generator.
 *
 * Usage: gen DATASET DIR [--scale F]
 *
 *   small   100,000 x 4 KiB files in a 10 x 10 x 10 directory tree,
 *           100 files per leaf directory (scale multiplies the file count)
 *   mixed   ~30,000 files with log-normal sizes (median 8 KiB, sigma 1.6,
 *           capped at 16 MiB, ~1% empty), 4 big files of 50/80/120/200 MiB,
 *           600 symlinks, ~1,900 directories of depth 1-6 (scale multiplies
 *           the counts and the big files' sizes)
 *   large   4 x 1 GiB of incompressible data (scale multiplies the size)
 *   sparse  3 x 2 GiB sparse files with small data islands (scale
 *           multiplies the size)
 *
 * The same DATASET and scale always produce the same tree: names, sizes,
 * contents, modes and modification times all come from a fixed-seed
 * generator. DIR is created if needed; existing files in it are
 * overwritten. On success one line of key=value totals is printed on
 * stdout (files, dirs, symlinks, bytes = apparent size of the regular
 * files, data = bytes actually written), for the harness.
 *
 * No libm: the size distribution uses its own exp() and an Irwin-Hall
 * normal approximation, so the output is the same wherever it is built.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define GEN_VERSION 1
#define KiB (1024ULL)
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)
#define BUF_SIZE (1 << 20)
#define BASE_MTIME 1700000000LL /* 2023-11-14, whole seconds only */

static const char *prog = "gen";

struct totals {
	uint64_t files, dirs, symlinks, bytes, data;
};

static struct totals tot;
static unsigned char *buf;

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- PRNG: splitmix64, one independent stream per purpose / file ---- */

struct rng {
	uint64_t s;
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

static struct rng stream(uint64_t a, uint64_t b)
{
	struct rng r = { mix64(a * 0x9e3779b97f4a7c15ULL + mix64(b + 1)) };

	return r;
}

/* Uniform in [0, n). The tiny modulo bias is irrelevant here. */
static uint64_t below(struct rng *r, uint64_t n)
{
	return n ? next(r) % n : 0;
}

static double unit(struct rng *r)
{
	return (double)(next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Standard normal, Irwin-Hall approximation (sum of 12 uniforms - 6). */
static double normal(struct rng *r)
{
	double s = 0;

	for (int i = 0; i < 12; i++)
		s += unit(r);
	return s - 6.0;
}

/* e^x for moderate |x|: x = k ln2 + t, |t| <= ln2/2, Taylor series for e^t. */
static double exp_approx(double x)
{
	const double ln2 = 0.69314718055994530942;
	double kf = x / ln2, term = 1, sum = 1, t;
	long k = (long)(kf < 0 ? kf - 0.5 : kf + 0.5);

	t = x - (double)k * ln2;
	for (int i = 1; i < 20; i++) {
		term *= t / i;
		sum += term;
	}
	for (; k > 0; k--)
		sum *= 2.0;
	for (; k < 0; k++)
		sum *= 0.5;
	return sum;
}

/* ---- file system helpers ---- */

static void xmkdir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		die("cannot create directory '%s': %s", path, strerror(errno));
	tot.dirs++;
}

static void mkdir_p(const char *path)
{
	char tmp[4096];
	size_t len = strlen(path);

	if (len >= sizeof(tmp))
		die("path too long: '%s'", path);
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			die("cannot create directory '%s': %s", tmp,
			    strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		die("cannot create directory '%s': %s", tmp, strerror(errno));
}

static void set_mtime(const char *path, uint64_t key, int flags)
{
	struct timespec ts[2];

	ts[0].tv_sec = BASE_MTIME + (time_t)(mix64(key) % (86400 * 365));
	ts[0].tv_nsec = 0;
	ts[1] = ts[0];
	if (utimensat(AT_FDCWD, path, ts, flags) < 0)
		die("cannot set times of '%s': %s", path, strerror(errno));
}

static void fill(struct rng *r, unsigned char *p, size_t n)
{
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t v = next(r);

		memcpy(p + i, &v, 8);
	}
	if (i < n) {
		uint64_t v = next(r);

		memcpy(p + i, &v, n - i);
	}
}

/*
 * Text-like content for the mixed dataset: printable bytes and newlines,
 * roughly as compressible as source code, still cheap to produce.
 */
static void fill_text(struct rng *r, unsigned char *p, size_t n)
{
	static const char alphabet[64] =
		"etaoinshrdlucmfwypvbgkqjxz_ETAOINSHRDLU(){};=*+-,.  \t\t\t"
		"0123456";
	size_t i = 0;

	while (i < n) {
		uint64_t v = next(r);

		for (int k = 0; k < 10 && i < n; k++, v >>= 6)
			p[i++] = (unsigned char)alphabet[v & 63];
		if ((v & 15) == 0 && i < n)
			p[i++] = '\n';
	}
}

static int xopen(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		die("cannot create '%s': %s", path, strerror(errno));
	if (fchmod(fd, 0644) < 0)
		die("cannot chmod '%s': %s", path, strerror(errno));
	return fd;
}

static void xpwrite(int fd, const char *path, const void *p, size_t n,
		    off_t off)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = pwrite(fd, c, n, off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("cannot write '%s': %s", path,
			    w < 0 ? strerror(errno) : "short write");
		c += w;
		n -= (size_t)w;
		off += w;
	}
}

static void xclose(int fd, const char *path)
{
	if (close(fd) < 0)
		die("cannot close '%s': %s", path, strerror(errno));
}

/* Write a regular file of size bytes, content from stream (seed, key). */
static void write_file(const char *path, uint64_t size, uint64_t seed,
		       uint64_t key, int text)
{
	struct rng r = stream(seed, key);
	int fd = xopen(path);
	uint64_t off = 0;

	while (off < size) {
		size_t n =
			size - off > BUF_SIZE ? BUF_SIZE : (size_t)(size - off);

		if (text)
			fill_text(&r, buf, n);
		else
			fill(&r, buf, n);
		xpwrite(fd, path, buf, n, (off_t)off);
		off += n;
	}
	xclose(fd, path);
	set_mtime(path, seed ^ key, 0);
	tot.files++;
	tot.bytes += size;
	tot.data += size;
}

static void join(char *out, size_t cap, const char *a, const char *b)
{
	int n = snprintf(out, cap, "%s/%s", a, b);

	if (n < 0 || (size_t)n >= cap)
		die("path too long: '%s/%s'", a, b);
}

static uint64_t scaled(uint64_t n, double scale)
{
	double v = (double)n * scale + 0.5;

	return v < 1.0 ? 1 : (uint64_t)v;
}

/* ---- small ---- */

static void gen_small(const char *root, double scale)
{
	const uint64_t seed = 0x736d616c6cULL;
	uint64_t total = scaled(100000, scale);
	uint64_t per_leaf = (total + 999) / 1000;
	uint64_t done = 0;
	char d1[4096], d2[4096], d3[4096], f[4096], name[32];

	for (int a = 0; a < 10; a++) {
		snprintf(name, sizeof(name), "d%d", a);
		join(d1, sizeof(d1), root, name);
		xmkdir(d1);
		for (int b = 0; b < 10; b++) {
			snprintf(name, sizeof(name), "d%d", b);
			join(d2, sizeof(d2), d1, name);
			xmkdir(d2);
			for (int c = 0; c < 10; c++) {
				snprintf(name, sizeof(name), "d%d", c);
				join(d3, sizeof(d3), d2, name);
				xmkdir(d3);
				for (uint64_t i = 0;
				     i < per_leaf && done < total;
				     i++, done++) {
					snprintf(name, sizeof(name),
						 "f%06" PRIu64 ".dat", done);
					join(f, sizeof(f), d3, name);
					write_file(f, 4 * KiB, seed, done, 0);
				}
				set_mtime(d3,
					  seed + 3 + (uint64_t)a * 100 +
						  (uint64_t)b * 10 +
						  (uint64_t)c,
					  0);
			}
			set_mtime(d2, seed + 2 + (uint64_t)a * 10 + (uint64_t)b,
				  0);
		}
		set_mtime(d1, seed + 1 + (uint64_t)a, 0);
	}
}

/* ---- mixed ---- */

struct dir {
	char *path;
	int depth;
};

static const char *const dir_words[] = {
	"src", "lib",	"include",  "test",	   "docs",   "util",	"core",
	"net", "fs",	"drivers",  "arch",	   "tools",  "assets",	"build",
	"cmd", "pkg",	"internal", "api",	   "vendor", "scripts", "data",
	"ui",  "proto", "gen",	    "third_party",
};

static const char *const file_words[] = {
	"main",	 "util",   "config", "parser", "buffer",  "index",  "list",
	"hash",	 "stream", "client", "server", "handler", "types",  "error",
	"table", "queue",  "cache",  "format", "record",  "README", "module",
};

static const char *const exts[] = {
	".c", ".h", ".py", ".rs", ".go", ".js", ".md", ".txt", ".json", ".o",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);

	if (!p)
		die("out of memory");
	return p;
}

static uint64_t lognormal_size(struct rng *r)
{
	double v = 8192.0 * exp_approx(1.6 * normal(r));

	if (v > (double)(16 * MiB))
		v = (double)(16 * MiB);
	return (uint64_t)v;
}

static void gen_mixed(const char *root, double scale)
{
	const uint64_t seed = 0x6d69786564ULL;
	struct rng r = stream(seed, 0);
	uint64_t ndirs = scaled(1900, scale), nfiles = scaled(30000, scale);
	uint64_t nlinks = scaled(600, scale);
	static const uint64_t big[4] = { 50, 80, 120, 200 };
	struct dir *dirs = xcalloc(ndirs + 1, sizeof(*dirs));
	uint64_t *fdir = xcalloc(nfiles, sizeof(*fdir));
	uint64_t *eligible = xcalloc(ndirs + 1, sizeof(*eligible));
	uint64_t neligible = 0;
	char path[4096], name[256], target[4096];

	/* Directory tree: a random recursive tree, depth capped at 6. */
	dirs[0].path = xstrdup(root);
	dirs[0].depth = 0;
	eligible[neligible++] = 0;
	for (uint64_t i = 1; i <= ndirs; i++) {
		/*
		 * Prefer recently created directories half of the time so
		 * the deeper levels fill up, the rest uniformly.
		 */
		uint64_t p;

		if (i > 8 && below(&r, 2))
			p = eligible[neligible - 1 -
				     below(&r, neligible < 8 ? neligible : 8)];
		else
			p = eligible[below(&r, neligible)];
		snprintf(name, sizeof(name), "%s%" PRIu64,
			 dir_words[below(&r, NELEM(dir_words))], i);
		join(path, sizeof(path), dirs[p].path, name);
		dirs[i].path = xstrdup(path);
		dirs[i].depth = dirs[p].depth + 1;
		xmkdir(path);
		if (dirs[i].depth < 6)
			eligible[neligible++] = i;
	}

	/* Files. */
	for (uint64_t i = 0; i < nfiles; i++) {
		uint64_t d = below(&r, ndirs + 1);
		uint64_t size = below(&r, 100) == 0 ? 0 : lognormal_size(&r);
		int text = below(&r, 4) != 0;

		fdir[i] = d;
		snprintf(name, sizeof(name), "%s_%" PRIu64 "%s",
			 file_words[mix64(i) % NELEM(file_words)], i,
			 exts[mix64(i + 7) % NELEM(exts)]);
		join(path, sizeof(path), dirs[d].path, name);
		write_file(path, size, seed, i + 1, text);
	}

	/* Big files. */
	for (int k = 0; k < 4; k++) {
		uint64_t d = below(&r, ndirs + 1);
		uint64_t size = (uint64_t)((double)(big[k] * MiB) * scale);

		snprintf(name, sizeof(name), "blob%d.bin", k);
		join(path, sizeof(path), dirs[d].path, name);
		write_file(path, size, seed, 1000000000ULL + (uint64_t)k, 0);
	}

	/*
	 * Symlinks: 50% next to their target, 40% in the root pointing down
	 * the tree, 10% dangling.
	 */
	for (uint64_t i = 0; i < nlinks; i++) {
		uint64_t kind = below(&r, 10);
		uint64_t f = below(&r, nfiles);
		uint64_t d = fdir[f];
		const char *fname;
		char fbuf[256];

		snprintf(fbuf, sizeof(fbuf), "%s_%" PRIu64 "%s",
			 file_words[mix64(f) % NELEM(file_words)], f,
			 exts[mix64(f + 7) % NELEM(exts)]);
		fname = fbuf;
		snprintf(name, sizeof(name), "link%" PRIu64, i);
		if (kind < 5) {
			join(path, sizeof(path), dirs[d].path, name);
			snprintf(target, sizeof(target), "%s", fname);
		} else if (kind < 9) {
			join(path, sizeof(path), root, name);
			if (d == 0)
				snprintf(target, sizeof(target), "%s", fname);
			else
				snprintf(target, sizeof(target), "%s/%s",
					 dirs[d].path + strlen(root) + 1,
					 fname);
		} else {
			join(path, sizeof(path), dirs[d].path, name);
			snprintf(target, sizeof(target), "missing_%" PRIu64, i);
		}
		if (symlink(target, path) < 0) {
			if (errno != EEXIST)
				die("cannot create symlink '%s': %s", path,
				    strerror(errno));
			if (unlink(path) < 0 || symlink(target, path) < 0)
				die("cannot create symlink '%s': %s", path,
				    strerror(errno));
		}
		set_mtime(path, seed ^ (0x5a5a0000ULL + i),
			  AT_SYMLINK_NOFOLLOW);
		tot.symlinks++;
	}

	/* Directory times last, deepest first (children were created in
	 * order, so reverse creation order visits children before parents). */
	for (uint64_t i = ndirs; i >= 1; i--)
		set_mtime(dirs[i].path, seed ^ (0xd1d10000ULL + i), 0);
	for (uint64_t i = 0; i <= ndirs; i++)
		free(dirs[i].path);
	free(dirs);
	free(fdir);
	free(eligible);
}

/* ---- large ---- */

static void gen_large(const char *root, double scale)
{
	const uint64_t seed = 0x6c61726765ULL;
	uint64_t size = (uint64_t)((double)GiB * scale);
	char path[4096], name[32];

	for (int k = 0; k < 4; k++) {
		snprintf(name, sizeof(name), "large%d.bin", k);
		join(path, sizeof(path), root, name);
		write_file(path, size, seed, (uint64_t)k, 0);
	}
}

/* ---- sparse ---- */

static void gen_sparse(const char *root, double scale)
{
	const uint64_t seed = 0x7370617273ULL;
	uint64_t size = (uint64_t)((double)(2 * GiB) * scale);
	/* islands per file and island size */
	static const struct {
		int count;
		uint64_t len;
	} shape[3] = { { 32, 64 * KiB }, { 2, 256 * KiB }, { 256, 4 * KiB } };
	char path[4096], name[32];

	size &= ~(uint64_t)(4 * KiB - 1);
	if (size < 8 * MiB)
		size = 8 * MiB;
	for (int k = 0; k < 3; k++) {
		struct rng r = stream(seed, (uint64_t)k);
		uint64_t len = shape[k].len, slots = size / len;
		int fd;

		snprintf(name, sizeof(name), "sparse%d.img", k);
		join(path, sizeof(path), root, name);
		fd = xopen(path);
		if (ftruncate(fd, (off_t)size) < 0)
			die("cannot truncate '%s': %s", path, strerror(errno));
		for (int i = 0; i < shape[k].count; i++) {
			uint64_t slot;

			/* first island at 0, last at the end, rest random */
			if (i == 0)
				slot = 0;
			else if (i == shape[k].count - 1)
				slot = slots - 1;
			else
				slot = below(&r, slots);
			fill(&r, buf, (size_t)len);
			xpwrite(fd, path, buf, (size_t)len,
				(off_t)(slot * len));
			tot.data += len;
		}
		xclose(fd, path);
		set_mtime(path, seed ^ (uint64_t)k, 0);
		tot.files++;
		tot.bytes += size;
	}
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"Usage: %s DATASET DIR [--scale F]\n"
		"DATASET: small | mixed | large | sparse\n",
		prog);
	exit(status);
}

int main(int argc, char **argv)
{
	const char *dataset = NULL, *dir = NULL;
	double scale = 1.0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage(0);
		if (strncmp(a, "--scale=", 8) == 0) {
			val = a + 8;
		} else if (strcmp(a, "--scale") == 0) {
			if (++i >= argc)
				usage(2);
			val = argv[i];
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, "%s: unknown option '%s'\n", prog, a);
			usage(2);
		} else if (!dataset) {
			dataset = a;
		} else if (!dir) {
			dir = a;
		} else {
			usage(2);
		}
		if (val) {
			char *end;

			errno = 0;
			scale = strtod(val, &end);
			if (errno || end == val || *end || !(scale > 0) ||
			    scale > 1000)
				die("invalid scale: '%s'", val);
		}
	}
	if (!dataset || !dir)
		usage(2);

	buf = malloc(BUF_SIZE);
	if (!buf)
		die("out of memory");
	mkdir_p(dir);
	umask(022);

	if (strcmp(dataset, "small") == 0)
		gen_small(dir, scale);
	else if (strcmp(dataset, "mixed") == 0)
		gen_mixed(dir, scale);
	else if (strcmp(dataset, "large") == 0)
		gen_large(dir, scale);
	else if (strcmp(dataset, "sparse") == 0)
		gen_sparse(dir, scale);
	else
		die("unknown dataset '%s' (small, mixed, large, sparse)",
		    dataset);
	if (chmod(dir, 0755) < 0)
		die("cannot chmod '%s': %s", dir, strerror(errno));
	set_mtime(dir, 0x726f6f74ULL, 0);

	printf("gen_version=%d dataset=%s scale=%g files=%" PRIu64
	       " dirs=%" PRIu64 " symlinks=%" PRIu64 " bytes=%" PRIu64
	       " data=%" PRIu64 "\n",
	       GEN_VERSION, dataset, scale, tot.files, tot.dirs, tot.symlinks,
	       tot.bytes, tot.data);
	free(buf);
	return 0;
}
