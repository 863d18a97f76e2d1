/* SPDX-License-Identifier: MIT */
/*
 * test_copy.c: the io_uring copy state machine, driven through the fake
 * ring: the chain's shape, its failure at every step, short reads and
 * short writes, and the chunked path for large files. Source and
 * destination are real files in a temporary directory, because the
 * fallback paths copy with plain syscalls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "copy.h"
#include "fake_ring.h"
#include "sched.h"
#include "walk.h"

#define CHUNK (128u << 10)

struct fixture {
	char tmp[64];
	struct ucp_config cfg;
	struct ucp_events ev;
	atomic_int cancel;
	struct ucp_run run;
	struct ucp_worker w;
	struct ucp_dir *d;
	int nerr;
	struct ucp_error last;
};

/* A cp-mode job: sname of the fixture's directory to dname. */
static void copy_one(struct fixture *f, const char *sname, const char *dname)
{
	struct ucp_copy_job job = { .sname = sname, .dname = dname };

	ucp_copy_start(&f->w, f->d, &job);
}

static void on_error(void *arg, const struct ucp_error *e)
{
	struct fixture *f = arg;

	f->nerr++;
	f->last = *e;
	f->last.path = NULL;
	f->last.path2 = NULL;
}

static void write_file(struct fixture *f, const char *rel, size_t size)
{
	char path[128];
	char *data = malloc(size + 1);
	int fd;
	size_t i;

	for (i = 0; i < size; i++)
		data[i] = (char)('a' + i % 26);
	(void)snprintf(path, sizeof(path), "%s/%s", f->tmp, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, size), (ssize_t)size);
	close(fd);
	free(data);
}

static void sync_file(struct fixture *f, const char *rel)
{
	char path[128];
	int fd;

	(void)snprintf(path, sizeof(path), "%s/%s", f->tmp, rel);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fsync(fd), 0);
	close(fd);
}

/*
 * The cached shortcut's RWF_NOWAIT reads (plain.c) come here (the link
 * wraps preadv2): nowait_says, when set, is the errno they fail with.
 */
static int nowait_says;
static unsigned nowait_asked;

ssize_t __real_preadv64v2(int fd, const struct iovec *iov, int n, off_t off,
			  int flags);
ssize_t __wrap_preadv64v2(int fd, const struct iovec *iov, int n, off_t off,
			  int flags);

ssize_t __wrap_preadv64v2(int fd, const struct iovec *iov, int n, off_t off,
			  int flags)
{
	if (flags & RWF_NOWAIT) {
		nowait_asked++;
		if (nowait_says) {
			errno = nowait_says;
			return -1;
		}
	}
	return __real_preadv64v2(fd, iov, n, off, flags);
}

/* Whether the file system of rel answers RWF_NOWAIT reads. */
static bool nowait_reads(struct fixture *f, const char *rel)
{
	char path[128], c;
	struct iovec iov = { &c, 1 };
	int fd;
	bool ok;

	(void)snprintf(path, sizeof(path), "%s/%s", f->tmp, rel);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	ok = preadv2(fd, &iov, 1, 0, RWF_NOWAIT) >= 0 || errno != EOPNOTSUPP;
	close(fd);
	return ok;
}

static off_t dst_size(struct fixture *f, const char *name)
{
	struct stat st;

	if (fstatat(f->d->dst_fd, name, &st, 0) < 0)
		return -1;
	return st.st_size;
}

static int truncate_src(struct fixture *f, const char *name, off_t len)
{
	char path[160];

	(void)snprintf(path, sizeof(path), "%s/src/%s", f->tmp, name);
	return truncate(path, len);
}

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];

	(void)snprintf(f->tmp, sizeof(f->tmp), "%s/ucp-ut-XXXXXX",
		       getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->tmp));
	(void)snprintf(path, sizeof(path), "%s/src", f->tmp);
	mkdir(path, 0755);
	(void)snprintf(path, sizeof(path), "%s/dst", f->tmp);
	mkdir(path, 0755);
	f->ev.error = on_error;
	f->ev.arg = f;
	f->run.cfg = &f->cfg;
	f->run.ev = &f->ev;
	f->run.cancel = &f->cancel;
	f->run.chunk = CHUNK;
	f->run.bufs_per_worker = 16;
	f->run.held_fds = 64;
	f->run.nworkers = 1;
	f->run.workers = &f->w;
	f->w.run = &f->run;
	f->w.buf = malloc(CHUNK);
	/*
	 * As on a file system without copy_file_range: large files take the
	 * ring's chunk path, which most of these tests are about.
	 */
	f->w.cfr_bad = true;
	/* And every file through the ring, cached or not (see below). */
	f->w.no_cached = true;
	fake_ring_reset();
	assert_int_equal(ucp_copy_init(&f->w), 0);
	f->d = ucp_dir_new_root("src", "dst");
	(void)snprintf(path, sizeof(path), "%s/src", f->tmp);
	f->d->src_fd = open(path, O_RDONLY | O_DIRECTORY);
	(void)snprintf(path, sizeof(path), "%s/dst", f->tmp);
	f->d->dst_fd = open(path, O_RDONLY | O_DIRECTORY);
	f->d->opened = true;
	/*
	 * A source directory of another user (its names may change under
	 * the copy): the worker opens each source and checks it. Tests of a
	 * trusted one say so.
	 */
	f->run.meta.euid = geteuid();
	f->d->sst.st_uid = geteuid() + 1;
	f->d->sst.st_mode = S_IFDIR | 0755;
	ucp_dir_src_get(f->d); /* as the scan would */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(ucp_copy_inflight(&f->w), 0);
	ucp_dir_src_put(f->d);
	ucp_dir_put(f->d, NULL, NULL);
	ucp_copy_free(&f->w);
	free(f->w.buf);
	assert_int_equal(nftw(f->tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
	free(f);
	return 0;
}

/* Start a copy of src/name and answer its statx as a regular file. */
/* Set the size of rel (under the fixture's directory). */
static int ftruncateat(struct fixture *f, const char *rel, off_t size)
{
	char path[128];

	(void)snprintf(path, sizeof(path), "%s/%s", f->tmp, rel);
	return truncate(path, size);
}

/* The real ctime of source name, as statx would give it. */
/* The ctime set_ctime() last gave a statx. */
static struct timespec started_ctime;

static void set_ctime(struct fixture *f, const char *name, struct statx *stx)
{
	struct stat st;

	if (fstatat(f->d->src_fd, name, &st, 0) == 0) {
		/* (The file the copy opens must be the one statx saw.) */
		stx->stx_dev_major = major(st.st_dev);
		stx->stx_dev_minor = minor(st.st_dev);
		stx->stx_ino = st.st_ino;
		stx->stx_ctime.tv_sec = st.st_ctim.tv_sec;
		stx->stx_ctime.tv_nsec = (uint32_t)st.st_ctim.tv_nsec;
		started_ctime = st.st_ctim;
	}
}

/* Whether name's ctime is still the one start() gave the statx. */
static bool same_ctime(struct fixture *f, const char *name)
{
	struct stat st;

	assert_int_equal(fstatat(f->d->src_fd, name, &st, 0), 0);
	return st.st_ctim.tv_sec == started_ctime.tv_sec &&
	       st.st_ctim.tv_nsec == started_ctime.tv_nsec;
}

/*
 * Start a copy of src/name and fill its statx as a regular file of size
 * bytes, not completed yet: the index of the statx op.
 */
static int asked(struct fixture *f, const char *name, size_t size)
{
	char path[160];
	int i;
	struct statx *stx;

	/*
	 * The file as the statx below says it is: the copy takes the
	 * attributes of the file the worker opens (its fstat), which must
	 * be the one statx saw. (A name with no file: no matter.)
	 */
	(void)snprintf(path, sizeof(path), "%s/src/%s", f->tmp, name);
	(void)chmod(path, 0640);
	copy_one(f, name, name);
	i = fake_ring_last(UCP_RING_STATX);
	assert_true(i >= 0);
	assert_string_equal(fake_ops[i].path, name);
	stx = fake_ops[i].buf;
	memset(stx, 0, sizeof(*stx));
	stx->stx_mode = S_IFREG | 0640;
	stx->stx_size = size;
	set_ctime(f, name, stx);
	/* Fully allocated, as the kernel reports a file without holes. */
	stx->stx_blocks = (size + 511) / 512;
	return i;
}

static void start(struct fixture *f, const char *name, size_t size)
{
	int i = asked(f, name, size);

	fake_ring_complete(fake_ops[i].user_data, 0);
	ucp_copy_poll(&f->w);
}

/* The user_data of the chain op at position pos (0-based in the chain). */
static uint64_t chain_ud(unsigned first, unsigned pos)
{
	return fake_ops[first + pos].user_data;
}

/*
 * The chain reads from the source the worker opened (and checked to be the
 * file statx saw), then opens, writes and closes the copy, and looks at
 * the source again: five ops, one completion (the last's).
 */
static void copy_chain_has_five_linked_ops(void **state)
{
	struct fixture *f = *state;
	static const enum ucp_ring_kind kinds[] = {
		UCP_RING_READ,	UCP_RING_OPENAT, UCP_RING_WRITE,
		UCP_RING_CLOSE, UCP_RING_STATX,
	};
	unsigned i;

	write_file(f, "src/a", 100);
	start(f, "a", 100);
	assert_int_equal(fake_nops, 6); /* statx + chain */
	for (i = 0; i < 5; i++) {
		const struct ucp_ring_op *op = &fake_ops[1 + i];

		assert_int_equal(op->kind, kinds[i]);
		if (i < 4)
			assert_int_equal(op->link,
					 UCP_RING_LINK | UCP_RING_SKIP);
		else
			assert_int_equal(op->link, UCP_RING_NO_FAULT);
	}
	/* (The source the worker opened, looked at through it.) */
	assert_int_equal(fake_ops[5].fd, fake_ops[1].fd);
	assert_int_equal(fake_ops[1].len, 100);
	assert_false(fake_ops[1].fixed); /* the worker's own descriptor */
	assert_true(fake_ops[1].fd >= 0);
	assert_int_equal(fake_ops[2].flags & O_EXCL, O_EXCL);
	assert_int_equal(fake_ops[2].mode, 0640);
	assert_true(fake_ops[3].fixed);
	assert_int_equal(fake_ops[2].slot, fake_ops[3].fd);
	assert_int_equal(fake_ops[2].slot, fake_ops[4].slot);
	fake_ring_complete(chain_ud(1, 4), 0);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_int_equal(f->w.cnt.bytes_done, 100);
}

/*
 * A source that grew after its statx (rewritten in place): the chain read
 * the old size of the new bytes, and its look at the source again sends
 * the file to the syscalls, which copy it whole.
 */
static void copy_chain_source_grown_is_copied_again(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/a", 100);
	start(f, "a", 100);
	write_file(f, "dst/a", 100); /* what the chain made */
	write_file(f, "src/a", 300);
	fake_ring_complete(chain_ud(1, 4), 0);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_int_equal(dst_size(f, "a"), 300);
}

/*
 * In a directory only the run's user may change, the ring opens the source
 * itself: seven ops (its look at the source again by name), no call of the
 * worker's.
 */
static void copy_chain_in_trusted_dir_has_seven_linked_ops(void **state)
{
	struct fixture *f = *state;
	static const enum ucp_ring_kind kinds[] = {
		UCP_RING_OPENAT, UCP_RING_READ,	 UCP_RING_OPENAT,
		UCP_RING_WRITE,	 UCP_RING_CLOSE, UCP_RING_CLOSE,
		UCP_RING_STATX,
	};
	unsigned i;

	f->d->sst.st_uid = geteuid();
	write_file(f, "src/a", 100);
	start(f, "a", 100);
	assert_int_equal(fake_nops, 8); /* statx + chain */
	for (i = 0; i < 7; i++) {
		const struct ucp_ring_op *op = &fake_ops[1 + i];

		assert_int_equal(op->kind, kinds[i]);
		if (i == 4) /* (the source's close: no fault counts it) */
			assert_int_equal(op->link, UCP_RING_LINK |
							   UCP_RING_SKIP |
							   UCP_RING_NO_FAULT);
		else
			assert_int_equal(op->link,
					 i < 6 ? UCP_RING_LINK | UCP_RING_SKIP
					       : UCP_RING_NO_FAULT);
	}
	assert_string_equal(fake_ops[7].path, "a");
	assert_string_equal(fake_ops[1].path, "a");
	assert_true(fake_ops[2].fixed);
	assert_int_equal(fake_ops[1].slot, fake_ops[2].fd);
	assert_int_equal(fake_ops[3].slot, fake_ops[4].fd);
	fake_ring_complete(chain_ud(1, 6), 0);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
}

/*
 * Where metadata is kept, the copy is made by the worker and the chain is
 * the read and the write: the owner and mode are set through the copy's
 * descriptor, before it is closed, never by its name.
 */
static void copy_chain_keeping_metadata_writes_own_fd(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	f->cfg.preserve = UCP_PRESERVE_MODE;
	/* (A copy others may rename names in.) */
	assert_int_equal(fchmod(f->d->dst_fd, 0777), 0);
	write_file(f, "src/a", 100);
	start(f, "a", 100);
	assert_int_equal(fake_nops, 4);
	assert_int_equal(fake_ops[1].kind, UCP_RING_READ);
	assert_int_equal(fake_ops[1].link, UCP_RING_LINK | UCP_RING_SKIP);
	assert_int_equal(fake_ops[2].kind, UCP_RING_WRITE);
	assert_false(fake_ops[2].fixed);
	assert_int_equal(fake_ops[2].link, UCP_RING_LINK | UCP_RING_SKIP);
	assert_int_equal(fake_ops[3].kind, UCP_RING_STATX);
	/* Made already, under its name. */
	assert_int_equal(dst_size(f, "a"), 0);
	assert_int_equal(pwrite(fake_ops[2].fd, fake_ops[2].buf, 100, 0), 100);
	fake_ring_complete(chain_ud(1, 2), 0);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_int_equal(dst_size(f, "a"), 100);
	assert_int_equal(fstatat(f->d->dst_fd, "a", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
}

/* A source name that is another file when opened than statx saw: skipped. */
static void copy_source_replaced_after_statx_is_skipped(void **state)
{
	struct fixture *f = *state;
	char from[160], to[160];

	write_file(f, "src/a", 100);
	write_file(f, "src/b", 100);
	(void)asked(f, "a", 100);
	(void)snprintf(from, sizeof(from), "%s/src/b", f->tmp);
	(void)snprintf(to, sizeof(to), "%s/src/a", f->tmp);
	assert_int_equal(rename(from, to), 0);
	fake_ring_complete(fake_ops[0].user_data, 0);
	ucp_copy_poll(&f->w);
	assert_int_equal(fake_nops, 1); /* no chain */
	assert_int_equal(f->nerr, 1);
	assert_int_equal(f->last.op, UCP_OP_REPLACED);
	assert_int_equal(dst_size(f, "a"), -1);
	assert_int_equal(atomic_load(&f->run.status), UCP_RUN_PARTIAL);
}

static void copy_empty_file_skips_read_and_write(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/e", 0);
	start(f, "e", 0);
	assert_int_equal(fake_nops, 4);
	assert_int_equal(fake_ops[1].kind, UCP_RING_OPENAT);
	assert_int_equal(fake_ops[2].kind, UCP_RING_CLOSE);
	assert_int_equal(fake_ops[3].kind, UCP_RING_STATX);
	fake_ring_complete(fake_ops[3].user_data, 0);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->w.cnt.files_done, 1);
}

static void copy_statx_failure_reports_stat(void **state)
{
	struct fixture *f = *state;

	copy_one(f, "gone", "gone");
	fake_ring_complete(fake_ops[0].user_data, -ENOENT);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 1);
	assert_int_equal(f->last.op, UCP_OP_STAT);
	assert_int_equal(f->last.err, ENOENT);
	assert_int_equal(atomic_load(&f->run.status), UCP_RUN_VANISHED);
}

static void copy_open_src_failure_reports_open(void **state)
{
	struct fixture *f = *state;
	char path[160];

	write_file(f, "src/a", 10);
	(void)snprintf(path, sizeof(path), "%s/src/a", f->tmp);
	/* Gone between the statx and the open. */
	(void)asked(f, "a", 10);
	assert_int_equal(unlink(path), 0);
	fake_ring_complete(fake_ops[0].user_data, 0);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->last.op, UCP_OP_OPEN);
	assert_int_equal(f->last.err, ENOENT);
	assert_int_equal(dst_size(f, "a"), -1);
}

static void copy_read_error_reports_read(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/a", 10);
	start(f, "a", 10);
	fake_ring_complete(chain_ud(1, 0), -EIO);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->last.op, UCP_OP_READ);
	assert_int_equal(f->last.err, EIO);
	assert_int_equal(dst_size(f, "a"), -1);
}

/*
 * statx said 100 bytes; the file now has 40: it is copied again, whole as
 * it is now, which is no error (a file that keeps changing is one).
 */
static void copy_short_read_recopies_whole(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/a", 40);
	start(f, "a", 100);
	fake_ring_complete(chain_ud(1, 0), 40);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(dst_size(f, "a"), 40);
	assert_int_equal(atomic_load(&f->run.status), 0);
	assert_int_equal(f->w.cnt.files_done, 1);
}

static void copy_dst_exists_replaces_atomically(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/a", 30);
	write_file(f, "dst/a", 5);
	start(f, "a", 30);
	fake_ring_complete(chain_ud(1, 1), -EEXIST);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(dst_size(f, "a"), 30);
	assert_int_equal(f->w.cnt.files_done, 1);
}

static void copy_open_dst_failure_reports_create(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/a", 30);
	start(f, "a", 30);
	fake_ring_complete(chain_ud(1, 1), -EACCES);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->last.op, UCP_OP_CREATE);
	assert_int_equal(f->last.err, EACCES);
}

static void copy_write_enospc_stops_and_removes(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/a", 30);
	start(f, "a", 30);
	/* The kernel created the file before the write failed. */
	write_file(f, "dst/a", 3);
	fake_ring_complete(chain_ud(1, 2), -ENOSPC);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->last.op, UCP_OP_WRITE);
	assert_int_equal(f->last.err, ENOSPC);
	assert_true(f->last.fatal);
	assert_true(ucp_run_stopping(&f->run));
	assert_false(ucp_copy_can_admit(&f->w) && !ucp_run_stopping(&f->run));
	assert_int_equal(dst_size(f, "a"), -1);
}

static void copy_short_write_recopies(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/a", 30);
	start(f, "a", 30);
	write_file(f, "dst/a", 7);
	fake_ring_complete(chain_ud(1, 2), 7);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(dst_size(f, "a"), 30);
}

static void copy_close_dst_failure_removes_dst(void **state)
{
	struct fixture *f = *state;

	write_file(f, "src/a", 30);
	start(f, "a", 30);
	write_file(f, "dst/a", 30);
	fake_ring_complete(chain_ud(1, 3), -EIO);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->last.op, UCP_OP_CLOSE);
	assert_int_equal(f->last.err, EIO);
	assert_int_equal(dst_size(f, "a"), -1);
}

static void copy_chain_eintr_recopies(void **state)
{
	struct fixture *f = *state;
	unsigned step;

	write_file(f, "src/a", 30);
	for (step = 0; step < 4; step++) {
		/* Every step: a transient error leaves a complete copy. */
		start(f, "a", 30);
		if (step >= 2)
			write_file(f, "dst/a", 3);
		fake_ring_complete(chain_ud(fake_nops - 5, step),
				   step % 2 ? -EAGAIN : -EINTR);
		ucp_copy_poll(&f->w);
		assert_int_equal(f->nerr, 0);
		assert_int_equal(dst_size(f, "a"), 30);
		assert_int_equal(unlinkat(f->d->dst_fd, "a", 0), 0);
	}
	assert_int_equal(f->w.cnt.files_done, 4);
}

static void copy_sparse_file_goes_to_extent_copy(void **state)
{
	struct fixture *f = *state;
	struct statx *stx;

	write_file(f, "src/s", 4096);
	assert_int_equal(ftruncateat(f, "src/s", 1 << 20), 0);
	copy_one(f, "s", "s");
	stx = fake_ops[0].buf;
	memset(stx, 0, sizeof(*stx));
	stx->stx_mode = S_IFREG | 0644;
	stx->stx_size = 1 << 20; /* 1 MiB with 8 blocks: holes */
	stx->stx_blocks = 8;
	set_ctime(f, "s", stx);
	fake_ring_complete(fake_ops[0].user_data, 0);
	ucp_copy_poll(&f->w);
	/* No chain: the file was copied with lseek extents and syscalls. */
	assert_int_equal(fake_nops, 1);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_int_equal(dst_size(f, "s"), 1 << 20);
}

/* Deliver full completions for every chunk write queued from index from. */
static unsigned complete_writes(unsigned from)
{
	unsigned i, n = 0;

	for (i = from; i < fake_nops; i++) {
		if (fake_ops[i].kind == UCP_RING_WRITE) {
			fake_ring_complete(fake_ops[i].user_data,
					   (int)fake_ops[i].len);
			n++;
		}
	}
	return n;
}

/* Where copy_file_range works, a large file goes to it, not the ring. */
/* src/name and dst/name hold the same bytes. */
static void assert_same_file(struct fixture *f, const char *name)
{
	char a[160], b[160];
	FILE *x, *y;

	(void)snprintf(a, sizeof(a), "%s/src/%s", f->tmp, name);
	(void)snprintf(b, sizeof(b), "%s/dst/%s", f->tmp, name);
	x = fopen(a, "r");
	y = fopen(b, "r");
	assert_non_null(x);
	assert_non_null(y);
	for (;;) {
		int ca = fgetc(x), cb = fgetc(y);

		assert_int_equal(ca, cb);
		if (ca == EOF)
			break;
	}
	fclose(x);
	fclose(y);
}

static void copy_big_file_uses_copy_file_range(void **state)
{
	struct fixture *f = *state;
	size_t size = 3 * CHUNK + 17;

	f->w.cfr_bad = false;
	write_file(f, "src/big", size);
	start(f, "big", size);
	assert_int_equal(fake_nops, 1); /* the statx only */
	assert_int_equal(ucp_copy_inflight(&f->w), 0);
	assert_int_equal(dst_size(f, "big"), (off_t)size);
	assert_same_file(f, "big");
}

/* A file whose name and data are in memory is copied without the ring. */
static void copy_cached_file_skips_the_ring(void **state)
{
	struct fixture *f = *state;

	f->w.no_cached = false;
	write_file(f, "src/hot", 5000);
	write_file(f, "src/empty", 0);
	/*
	 * Written back first: a dirty page the flusher happens to be
	 * writing back is locked, and RWF_NOWAIT then rightly says "wait"
	 * (the ring's case), which would fail this test under load.
	 */
	sync_file(f, "src/hot");
	if (!nowait_reads(f, "src/hot"))
		skip(); /* this file system refuses RWF_NOWAIT (tmpfs) */
	copy_one(f, "hot", "hot");
	copy_one(f, "empty", "empty");
	assert_int_equal(fake_nops, 0);
	assert_int_equal(ucp_copy_inflight(&f->w), 0);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 2);
	assert_int_equal(f->w.cnt.bytes_done, 5000);
	assert_same_file(f, "hot");
	assert_int_equal(dst_size(f, "empty"), 0);
}

/*
 * Let the test ring do what the kernel would with every request queued
 * that posts a completion (reads and writes whole, closes fine) until no
 * file is in flight.
 */
static void ring_runs_all(struct fixture *f)
{
	unsigned done = 0, rounds = 0;

	while (ucp_copy_inflight(&f->w) > 0) {
		assert_true(++rounds < 1000);
		for (; done < fake_nops; done++) {
			const struct ucp_ring_op *op = &fake_ops[done];

			if (op->link & UCP_RING_SKIP)
				continue;
			fake_ring_complete(
				op->user_data,
				op->kind == UCP_RING_READ ||
						op->kind == UCP_RING_WRITE
					? (int)op->len
					: 0);
		}
		ucp_copy_poll(&f->w);
	}
}

/* Whether fd is open. */
static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/*
 * A big file in memory where copy_file_range is not usable is copied at
 * once with a read/write loop; one whose data must come from disk (its
 * RWF_NOWAIT reads say EAGAIN) goes to the ring's chunks, which read the
 * descriptor the shortcut opened (no statx, no second open).
 */
static void copy_big_cached_file_skips_the_ring(void **state)
{
	struct fixture *f = *state;
	size_t size = 3 * CHUNK + 17;
	int fd;

	f->w.no_cached = false;
	write_file(f, "src/hot", size);
	sync_file(f, "src/hot");
	write_file(f, "src/cold", size);
	if (!nowait_reads(f, "src/hot"))
		skip(); /* this file system refuses RWF_NOWAIT (tmpfs) */
	nowait_asked = 0;
	copy_one(f, "hot", "hot");
	assert_int_equal(nowait_asked, 2); /* its first and last bytes */
	assert_int_equal(fake_nops, 0);
	assert_same_file(f, "hot");
	assert_int_equal(f->w.cnt.files_done, 1);
	nowait_says = EAGAIN;
	copy_one(f, "cold", "cold");
	nowait_says = 0;
	ucp_copy_poll(&f->w); /* (chunks are issued from there) */
	assert_int_equal(fake_ring_last(UCP_RING_STATX), -1);
	assert_int_equal(fake_ops[0].kind, UCP_RING_READ);
	assert_false(fake_ops[0].fixed);
	fd = fake_ops[0].fd;
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	ring_runs_all(f);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 2);
	assert_false(is_open(fd));
}

/*
 * Data that would have to be read from disk goes to the ring: RWF_NOWAIT
 * says EAGAIN (made so here: a real evicted page can come back, since
 * such a read may start read-ahead that a fast disk finishes at once).
 * The chain reads the descriptor the shortcut opened, made blocking
 * (the ring's read would say EAGAIN too), and closes it at its end.
 */
static void copy_uncached_data_goes_to_the_ring(void **state)
{
	struct fixture *f = *state;
	int fd;

	f->w.no_cached = false;
	write_file(f, "src/cold", 5000);
	nowait_says = EAGAIN;
	nowait_asked = 0;
	copy_one(f, "cold", "cold");
	nowait_says = 0;
	assert_int_equal(nowait_asked, 1);
	assert_int_equal(fake_nops, 5); /* read, create, write, close, statx */
	assert_int_equal(fake_ops[0].kind, UCP_RING_READ);
	assert_false(fake_ops[0].fixed);
	fd = fake_ops[0].fd;
	assert_int_equal(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
	assert_int_equal(fake_ops[1].kind, UCP_RING_OPENAT);
	assert_true(fake_ops[1].flags & O_CREAT);
	assert_int_equal(fake_ops[3].kind, UCP_RING_CLOSE);
	assert_int_equal(dst_size(f, "cold"), -1);
	fake_ring_complete(fake_ops[0].user_data, -EIO);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 1);
	assert_int_equal(f->last.op, UCP_OP_READ);
	assert_int_equal(f->w.cnt.files_done, 0);
	assert_false(is_open(fd));
}

/*
 * Copy sname, which goes to the ring; end its job there (a read error,
 * or the file gone, as the test ring says). The kind of its first request.
 */
static enum ucp_ring_kind copy_to_the_ring(struct fixture *f, const char *sname)
{
	enum ucp_ring_kind kind;

	fake_ring_reset();
	copy_one(f, sname, sname);
	assert_true(fake_nops >= 1);
	kind = fake_ops[0].kind;
	fake_ring_complete(fake_ops[0].user_data,
			   kind == UCP_RING_STATX ? -ENOENT : -EIO);
	ucp_copy_poll(&f->w);
	assert_int_equal(ucp_copy_inflight(&f->w), 0);
	return kind;
}

/*
 * After 8 files in a row whose data was not in memory, the shortcut rests
 * for 8 (no RWF_NOWAIT read: straight to the ring, which stats and opens
 * them itself), then tries one; a miss then rests twice as long, and a
 * hit starts over.
 */
static void copy_shortcut_rests_after_misses(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	f->w.no_cached = false;
	write_file(f, "src/f", 5000);
	sync_file(f, "src/f");
	if (!nowait_reads(f, "src/f"))
		skip(); /* this file system refuses RWF_NOWAIT (tmpfs) */
	nowait_says = EAGAIN;
	nowait_asked = 0;
	for (i = 0; i < 8; i++)
		assert_int_equal(copy_to_the_ring(f, "f"), UCP_RING_READ);
	assert_int_equal(nowait_asked, 8);
	for (i = 0; i < 8; i++)
		assert_int_equal(copy_to_the_ring(f, "f"), UCP_RING_STATX);
	assert_int_equal(nowait_asked, 8); /* resting */
	assert_int_equal(copy_to_the_ring(f, "f"), UCP_RING_READ);
	assert_int_equal(nowait_asked, 9); /* tried, missed: rests 16 */
	for (i = 0; i < 16; i++)
		assert_int_equal(copy_to_the_ring(f, "f"), UCP_RING_STATX);
	assert_int_equal(nowait_asked, 9);
	nowait_says = 0;
	fake_ring_reset();
	copy_one(f, "f", "f"); /* tried: in memory, copied at once */
	assert_int_equal(nowait_asked, 10);
	assert_int_equal(fake_nops, 0);
	assert_same_file(f, "f");
	/* Started over: 7 misses do not make it rest. */
	nowait_says = EAGAIN;
	for (i = 0; i < 7; i++)
		assert_int_equal(copy_to_the_ring(f, "f"), UCP_RING_READ);
	assert_int_equal(nowait_asked, 17);
	nowait_says = 0;
	/* Each trip to the ring ended as the test ring said. */
	assert_int_equal(f->nerr, 8 + 8 + 1 + 16 + 7);
}

/*
 * A big file written to while its chunks are in flight (its ctime moves):
 * the copy mixes old and new data, so it is reported, an error that makes
 * the exit status non-zero; cp mode keeps what it read, as cp does.
 */
/*
 * A big file that changed while the ring copied it is copied again, whole,
 * with syscalls (which look at it again after their copy).
 */
static void copy_big_file_changed_is_copied_again(void **state)
{
	struct fixture *f = *state;
	size_t size = 3 * CHUNK + 17;
	struct timespec later[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	int i;

	write_file(f, "src/big", size);
	start(f, "big", size);
	/*
	 * Someone changes it meanwhile (a new mtime moves the ctime), until
	 * the ctime differs from what the statx said: a coarse clock may
	 * not have ticked since the file was written.
	 */
	for (i = 0; i < 1000 && same_ctime(f, "big"); i++) {
		usleep(1000);
		assert_int_equal(utimensat(f->d->src_fd, "big", later, 0), 0);
	}
	assert_false(same_ctime(f, "big"));
	assert_int_equal(complete_writes(1), 4);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(atomic_load(&f->run.status), 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_same_file(f, "big");
}

static void copy_big_file_uses_linked_chunks(void **state)
{
	struct fixture *f = *state;
	size_t size = 3 * CHUNK + 17;
	unsigned i, from = 1;

	write_file(f, "src/big", size);
	start(f, "big", size);
	/* Four read->write pairs, each read linked and silent on success. */
	assert_int_equal(fake_nops, 1 + 8);
	for (i = 1; i < fake_nops; i += 2) {
		assert_int_equal(fake_ops[i].kind, UCP_RING_READ);
		assert_int_equal(fake_ops[i].link,
				 UCP_RING_LINK | UCP_RING_SKIP);
		assert_int_equal(fake_ops[i + 1].kind, UCP_RING_WRITE);
		assert_int_equal(fake_ops[i].off, fake_ops[i + 1].off);
	}
	assert_int_equal(fake_ops[7].len, 17);
	assert_int_equal(complete_writes(from), 4);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_int_equal(f->w.cnt.bytes_done, size);
	/* The fake ring moves no data, but the file was created and kept. */
	assert_int_equal(dst_size(f, "big"), 0);
}

/*
 * A short read: what was read is written (no stale buffer bytes), then the
 * file, now 1000 bytes, is copied again whole with syscalls.
 */
static void copy_big_short_read_writes_what_was_read(void **state)
{
	struct fixture *f = *state;
	size_t size = 2 * CHUNK;
	int w;

	write_file(f, "src/big", size);
	start(f, "big", size);
	assert_int_equal(fake_nops, 5);
	assert_int_equal(truncate_src(f, "big", 1000), 0);
	/* Chunk 0 reads short, chunk 1 reads 0. */
	fake_ring_complete(fake_ops[1].user_data, 1000);
	fake_ring_complete(fake_ops[3].user_data, 0);
	ucp_copy_poll(&f->w);
	w = fake_ring_last(UCP_RING_WRITE);
	assert_int_equal(w, 5); /* a lone write for the 1000 bytes */
	assert_int_equal(fake_ops[w].len, 1000);
	assert_int_equal(fake_ops[w].off, 0);
	assert_int_equal(fake_ops[w].link, 0);
	fake_ring_complete(fake_ops[w].user_data, 1000);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_same_file(f, "big");
}

/*
 * A transient read error redoes its own chunk only: the chunks in flight
 * after it are neither read nor written twice, nor counted twice.
 */
static void copy_big_read_eintr_redoes_only_its_chunk(void **state)
{
	struct fixture *f = *state;
	size_t size = 3 * CHUNK;

	write_file(f, "src/big", size);
	start(f, "big", size);
	assert_int_equal(fake_nops, 7);
	/* (The kernel cancels the linked write without a completion.) */
	fake_ring_complete(fake_ops[1].user_data, -EINTR);
	fake_ring_complete(fake_ops[4].user_data, (int)CHUNK);
	fake_ring_complete(fake_ops[6].user_data, (int)CHUNK);
	ucp_copy_poll(&f->w);
	/* One new pair, for chunk 0. */
	assert_int_equal(fake_nops, 9);
	assert_int_equal(fake_ops[7].kind, UCP_RING_READ);
	assert_int_equal(fake_ops[7].off, 0);
	assert_int_equal(fake_ops[7].len, CHUNK);
	assert_int_equal(fake_ops[8].kind, UCP_RING_WRITE);
	assert_int_equal(fake_ops[8].off, 0);
	fake_ring_complete(fake_ops[8].user_data, (int)CHUNK);
	ucp_copy_poll(&f->w);
	assert_int_equal(fake_nops, 9);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_int_equal(f->w.cnt.bytes_done, size);
}

/* A read error fails the file, once. */
static void copy_big_read_error_fails_once(void **state)
{
	struct fixture *f = *state;
	size_t size = 2 * CHUNK;

	write_file(f, "src/big", size);
	start(f, "big", size);
	fake_ring_complete(fake_ops[1].user_data, -EIO);
	fake_ring_complete(fake_ops[4].user_data, (int)CHUNK);
	ucp_copy_poll(&f->w);
	assert_int_equal(fake_nops, 5);
	assert_int_equal(f->nerr, 1);
	assert_int_equal(f->last.op, UCP_OP_READ);
	assert_int_equal(f->last.err, EIO);
	assert_int_equal(f->w.cnt.files_done, 0);
	assert_int_equal(dst_size(f, "big"), -1);
}

static void copy_big_short_write_requeues_rest(void **state)
{
	struct fixture *f = *state;
	size_t size = CHUNK + 1;
	int w;

	write_file(f, "src/big", size);
	start(f, "big", size);
	assert_int_equal(fake_nops, 5);
	fake_ring_complete(fake_ops[2].user_data, 100);
	fake_ring_complete(fake_ops[4].user_data, 1);
	ucp_copy_poll(&f->w);
	w = fake_ring_last(UCP_RING_WRITE);
	assert_int_equal(w, 5);
	assert_int_equal(fake_ops[w].off, 100);
	assert_int_equal(fake_ops[w].len, CHUNK - 100);
	fake_ring_complete(fake_ops[w].user_data, (int)(CHUNK - 100));
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_int_equal(f->w.cnt.bytes_done, size);
}

static void copy_big_eagain_resubmits_write(void **state)
{
	struct fixture *f = *state;
	size_t size = CHUNK + 1;
	int w;

	write_file(f, "src/big", size);
	start(f, "big", size);
	fake_ring_complete(fake_ops[2].user_data, -EAGAIN);
	fake_ring_complete(fake_ops[4].user_data, 1);
	ucp_copy_poll(&f->w);
	w = fake_ring_last(UCP_RING_WRITE);
	assert_int_equal(w, 5);
	assert_int_equal(fake_ops[w].off, 0);
	assert_int_equal(fake_ops[w].len, CHUNK);
	fake_ring_complete(fake_ops[w].user_data, (int)CHUNK);
	ucp_copy_poll(&f->w);
	assert_int_equal(f->nerr, 0);
	assert_int_equal(f->w.cnt.files_done, 1);
}

static void copy_big_enospc_drains_and_removes(void **state)
{
	struct fixture *f = *state;
	size_t size = 2 * CHUNK;

	write_file(f, "src/big", size);
	start(f, "big", size);
	assert_int_equal(dst_size(f, "big"), 0);
	fake_ring_complete(fake_ops[2].user_data, -ENOSPC);
	ucp_copy_poll(&f->w);
	/* The other chunk is still in flight: nothing removed yet. */
	assert_int_equal(ucp_copy_inflight(&f->w), 1);
	assert_int_equal(f->last.op, UCP_OP_WRITE);
	assert_true(f->last.fatal);
	fake_ring_complete(fake_ops[4].user_data, (int)CHUNK);
	ucp_copy_poll(&f->w);
	assert_int_equal(ucp_copy_inflight(&f->w), 0);
	assert_int_equal(dst_size(f, "big"), -1);
	assert_int_equal(f->w.cnt.files_done, 0);
	assert_int_equal(f->nerr, 1);
}

static void copy_admission_is_bounded(void **state)
{
	struct fixture *f = *state;
	char name[16];
	unsigned n = 0, i;

	while (ucp_copy_can_admit(&f->w)) {
		(void)snprintf(name, sizeof(name), "f%u", n++);
		copy_one(f, name, name);
	}
	/* 16 buffers in this fixture: at most 16 files in flight. */
	assert_int_equal(n, 16);
	assert_int_equal(ucp_copy_inflight(&f->w), 16);
	for (i = 0; i < fake_nops; i++)
		fake_ring_complete(fake_ops[i].user_data, -ENOENT);
	ucp_copy_poll(&f->w);
	assert_int_equal(ucp_copy_inflight(&f->w), 0);
	assert_true(ucp_copy_can_admit(&f->w));
}

/* Whether st is what fstatat says of src/name (fields sync compares). */
static void assert_stat_of(struct fixture *f, const char *name,
			   const struct stat *st)
{
	struct stat want;

	assert_int_equal(
		fstatat(f->d->src_fd, name, &want, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st->st_mode, want.st_mode);
	assert_int_equal(st->st_size, want.st_size);
	assert_int_equal(st->st_ino, want.st_ino);
	assert_int_equal(st->st_dev, want.st_dev);
	assert_int_equal(st->st_nlink, want.st_nlink);
	assert_int_equal(st->st_uid, want.st_uid);
	assert_int_equal(st->st_gid, want.st_gid);
	assert_int_equal(st->st_mtim.tv_sec, want.st_mtim.tv_sec);
	assert_int_equal(st->st_mtim.tv_nsec, want.st_mtim.tv_nsec);
	assert_int_equal(st->st_ctim.tv_sec, want.st_ctim.tv_sec);
	assert_int_equal(st->st_ctim.tv_nsec, want.st_ctim.tv_nsec);
	assert_int_equal(st->st_blocks, want.st_blocks);
}

/* Requests for src/names[i], results in st[i]. */
static void stat_reqs(struct fixture *f, const char *const *names,
		      struct ucp_stat_req *reqs, struct stat *st, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		reqs[i] = (struct ucp_stat_req){ .dirfd = f->d->src_fd,
						 .name = names[i],
						 .flags = AT_SYMLINK_NOFOLLOW,
						 .st = &st[i],
						 .err = -1 };
}

static void stat_batch_goes_to_the_ring_in_one_go(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = { "a", "missing", "b", "a" };
	struct ucp_stat_req reqs[4];
	struct stat st[4];
	unsigned i;

	write_file(f, "src/a", 100);
	write_file(f, "src/b", 5000);
	stat_reqs(f, names, reqs, st, 4);
	fake_ring_answer_statx(true);
	ucp_copy_stat(&f->w, reqs, 4);
	assert_int_equal(fake_nops, 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(fake_ops[i].kind, UCP_RING_STATX);
		assert_string_equal(fake_ops[i].path, names[i]);
	}
	assert_int_equal(reqs[0].err, 0);
	assert_stat_of(f, "a", &st[0]);
	assert_int_equal(reqs[1].err, ENOENT);
	assert_int_equal(reqs[2].err, 0);
	assert_stat_of(f, "b", &st[2]);
	assert_int_equal(reqs[3].err, 0);
	assert_stat_of(f, "a", &st[3]);
	assert_int_equal(f->nerr, 0);
}

static void stat_batch_handles_files_in_flight_meanwhile(void **state)
{
	struct fixture *f = *state;
	struct ucp_stat_req req;
	struct stat st;
	int first;

	write_file(f, "src/a", 100);
	write_file(f, "src/b", 100);
	start(f, "a", 100);
	first = fake_ring_last(UCP_RING_OPENAT) - 1; /* the chain's first op */
	assert_int_equal(fake_ops[first].kind, UCP_RING_READ);
	assert_string_equal(fake_ops[first + 1].path, "a");
	assert_int_equal(ucp_copy_inflight(&f->w), 1);
	/* The chain ends while the batch waits: its completion is handled. */
	fake_ring_complete(chain_ud((unsigned)first, 3), 0);
	req = (struct ucp_stat_req){ .dirfd = f->d->src_fd,
				     .name = "b",
				     .flags = AT_SYMLINK_NOFOLLOW,
				     .st = &st };
	fake_ring_answer_statx(true);
	ucp_copy_stat(&f->w, &req, 1);
	assert_int_equal(req.err, 0);
	assert_stat_of(f, "b", &st);
	assert_int_equal(ucp_copy_inflight(&f->w), 0);
	assert_int_equal(f->w.cnt.files_done, 1);
	assert_int_equal(f->nerr, 0);
}

static void stat_batch_without_ring_room_uses_syscalls(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = { "a", "b", "missing" };
	struct ucp_stat_req reqs[3];
	struct stat st[3];

	write_file(f, "src/a", 10);
	write_file(f, "src/b", 20);
	stat_reqs(f, names, reqs, st, 3);
	/* A ring with room for one more op: the rest are stat'ed directly. */
	fake_nops = FAKE_MAX_OPS - 1;
	fake_ring_answer_statx(true);
	ucp_copy_stat(&f->w, reqs, 3);
	assert_int_equal(fake_nops, FAKE_MAX_OPS);
	assert_string_equal(fake_ops[FAKE_MAX_OPS - 1].path, "a");
	assert_int_equal(reqs[0].err, 0);
	assert_stat_of(f, "a", &st[0]);
	assert_int_equal(reqs[1].err, 0);
	assert_stat_of(f, "b", &st[1]);
	assert_int_equal(reqs[2].err, ENOENT);
}

static void stat_batch_here_requests_use_syscalls(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = { "a", "b", "missing", "c" };
	struct ucp_stat_req reqs[4];
	struct stat st[4];

	write_file(f, "src/a", 1);
	write_file(f, "src/b", 2);
	write_file(f, "src/c", 3);
	stat_reqs(f, names, reqs, st, 4);
	reqs[0].here = reqs[2].here = true;
	fake_ring_answer_statx(true);
	ucp_copy_stat(&f->w, reqs, 4);
	/* Only b and c went to the ring. */
	assert_int_equal(fake_nops, 2);
	assert_string_equal(fake_ops[0].path, "b");
	assert_string_equal(fake_ops[1].path, "c");
	assert_int_equal(reqs[0].err, 0);
	assert_stat_of(f, "a", &st[0]);
	assert_int_equal(reqs[1].err, 0);
	assert_stat_of(f, "b", &st[1]);
	assert_int_equal(reqs[2].err, ENOENT);
	assert_int_equal(reqs[3].err, 0);
	assert_stat_of(f, "c", &st[3]);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(copy_chain_has_five_linked_ops),
		T(copy_chain_source_grown_is_copied_again),
		T(copy_chain_in_trusted_dir_has_seven_linked_ops),
		T(copy_chain_keeping_metadata_writes_own_fd),
		T(copy_source_replaced_after_statx_is_skipped),
		T(copy_empty_file_skips_read_and_write),
		T(copy_statx_failure_reports_stat),
		T(copy_open_src_failure_reports_open),
		T(copy_read_error_reports_read),
		T(copy_short_read_recopies_whole),
		T(copy_dst_exists_replaces_atomically),
		T(copy_open_dst_failure_reports_create),
		T(copy_write_enospc_stops_and_removes),
		T(copy_short_write_recopies),
		T(copy_close_dst_failure_removes_dst),
		T(copy_chain_eintr_recopies),
		T(copy_sparse_file_goes_to_extent_copy),
		T(copy_big_file_uses_copy_file_range),
		T(copy_big_file_uses_linked_chunks),
		T(copy_big_file_changed_is_copied_again),
		T(copy_cached_file_skips_the_ring),
		T(copy_uncached_data_goes_to_the_ring),
		T(copy_shortcut_rests_after_misses),
		T(copy_big_cached_file_skips_the_ring),
		T(copy_big_short_read_writes_what_was_read),
		T(copy_big_read_eintr_redoes_only_its_chunk),
		T(copy_big_read_error_fails_once),
		T(copy_big_short_write_requeues_rest),
		T(copy_big_eagain_resubmits_write),
		T(copy_big_enospc_drains_and_removes),
		T(copy_admission_is_bounded),
		T(stat_batch_goes_to_the_ring_in_one_go),
		T(stat_batch_handles_files_in_flight_meanwhile),
		T(stat_batch_without_ring_room_uses_syscalls),
		T(stat_batch_here_requests_use_syscalls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
