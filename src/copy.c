/* SPDX-License-Identifier: MIT */
/*
 * copy.c: the io_uring data path (see copy.h for the chain).
 *
 * Job states:
 *
 *   FREE -> STATX -> CHAIN ------------------------------> FREE
 *                 \-> BIG (chunks in flight) -> drained -> FREE
 *                 \-> (not regular, or exists) plain.c  -> FREE
 *
 * user_data carries (job index, buffer index, tag) as plain integers, so
 * the fake ring in the unit tests can deliver completions without knowing
 * any pointer. With skip-success on every op of a chain but the last, the
 * tag of a chain's only completion names the step that failed, or
 * CLOSE_DST for a file that is done.
 *
 * A failed chain leaves its direct slots open; they are not closed
 * explicitly because an openat into an occupied slot replaces (and closes)
 * the old file, and a separate close could race with the next chain that
 * reuses the slot.
 */
#include "copy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "banned.h"
#include "fault.h"
#include "plain.h"
#include "replace.h"
#include "ring.h"
#include "util.h"

#define MAX_JOBS 64u
#define MAX_CHUNKS_PER_FILE 16u
#define TICK_MS 100u

enum tag {
	T_STATX = 1,
	T_OPEN_SRC,
	T_READ,
	T_OPEN_DST,
	T_WRITE,
	T_CLOSE_SRC,
	T_CLOSE_DST,
	T_CHUNK_READ,
	T_CHUNK_WRITE,
	T_STAT,	  /* ucp_copy_stat: the job field is the request's index */
	T_CANCEL, /* the cancel of a stopped run (cancel_in_flight) */
	T_RESTAT, /* a chain's last: its source looked at again */
};

enum job_state { JOB_FREE, JOB_STATX, JOB_CHAIN, JOB_BIG };

struct job {
	enum job_state state;
	struct ucp_dir *d;
	struct statx stx;
	struct statx again; /* a chain's: the source after its copy */
	int buf;	    /* buffer index of a small file, or -1 */
	uint64_t size;	    /* bytes to copy */
	int sfd, dfd;	    /* big files: ordinary descriptors */
	uint64_t next;	    /* big files: next offset to issue */
	uint64_t end;	    /* big files: where a short read found EOF */
	unsigned chunks;    /* big files: chunk pairs in flight */
	off_t behind;	    /* big files: bytes handed to write-back, or -1 */
	int err;	    /* big files: first error, as -errno */
	enum ucp_op err_op;
	bool link_owner;  /* first name of a hard-link group */
	bool has_stx;	  /* stx is this file's (its statx came back) */
	bool copied;	  /* the copy completed */
	bool cloned;	  /* big files: FICLONE shared the data */
	bool via_tmp;	  /* dname is a temporary, renamed to final when done */
	bool claim;	  /* via_tmp: claim the link group after the statx */
	bool handed;	  /* handed over by another worker: not again */
	bool fresh;	  /* via_tmp: no twin (ucp_copy_job.fresh) */
	unsigned sync_ch; /* --sync: what changed, for the itemized line */
	const char *row;  /* --debug: the planner's row (w->row at the start) */
	char final[NAME_MAX + 1];
	char sname[NAME_MAX + 1];
	char dname[NAME_MAX + 1];
};

/* The name a job's messages give: the file's, never its temporary's. */
static const char *final_name(const struct job *j)
{
	return j->via_tmp ? j->final : j->dname;
}

struct chunk {
	unsigned job;
	uint64_t off;
	unsigned len;	/* bytes this chunk reads and writes */
	unsigned done;	/* bytes written so far (short writes) */
	unsigned again; /* its transient failures so far (again_ok) */
};

struct ucp_copier {
	struct ucp_ring *ring;
	unsigned njobs, nfree_jobs;
	unsigned nbufs, nfree_bufs;
	unsigned expect; /* completions still to come */
	unsigned max_chunks;
	struct job *jobs;
	struct chunk *chunks; /* one per buffer */
	int *free_bufs;	      /* stack of buffer indices */
	char *mem;	      /* nbufs * chunk bytes */
	struct statx *stx;    /* UCP_COPY_STAT_MAX results of ucp_copy_stat */
	int *stat_res;	      /* and their completions */
	unsigned stat_left;   /* of those, still to come */
	bool dead;	      /* the ring failed (ring_failed) */
	unsigned refused;     /* enters refused in a row (poll_ring) */
	bool cancelling;      /* the stop's cancel is in flight */
	bool cancelled_all;   /* ... and came after every request queued */
};

static uint64_t ud(unsigned job, unsigned buf, enum tag t)
{
	return (uint64_t)job << 40 | (uint64_t)buf << 8 | t;
}

static unsigned ud_job(uint64_t u)
{
	return (unsigned)(u >> 40);
}

static unsigned ud_buf(uint64_t u)
{
	return (unsigned)(u >> 8) & 0xffffffffu;
}

static char *buf_at(const struct ucp_worker *w, int i)
{
	return w->cp->mem + (size_t)i * w->run->chunk;
}

static int buf_get(struct ucp_copier *cp)
{
	if (cp->nfree_bufs == 0)
		return -1;
	return cp->free_bufs[--cp->nfree_bufs];
}

static void buf_put(struct ucp_copier *cp, int i)
{
	cp->free_bufs[cp->nfree_bufs++] = i;
}

int ucp_copy_init(struct ucp_worker *w)
{
	struct ucp_copier *cp;
	size_t bytes;
	unsigned i;
	int ret;

	cp = calloc(1, sizeof(*cp));
	if (!cp)
		return -ENOMEM;
	cp->nbufs = w->run->bufs_per_worker;
	cp->njobs = UCP_MIN(MAX_JOBS, cp->nbufs);
	/*
	 * A quarter of the buffers per big file, and at least two (a read
	 * of one chunk overlapping the write of the other), however many
	 * workers share the budget.
	 */
	cp->max_chunks =
		UCP_MAX(2u, UCP_MIN(MAX_CHUNKS_PER_FILE, cp->nbufs / 4));
	cp->jobs = calloc(cp->njobs, sizeof(*cp->jobs));
	cp->chunks = calloc(cp->nbufs, sizeof(*cp->chunks));
	cp->free_bufs = calloc(cp->nbufs, sizeof(*cp->free_bufs));
	cp->stx = calloc(UCP_COPY_STAT_MAX, sizeof(*cp->stx));
	cp->stat_res = calloc(UCP_COPY_STAT_MAX, sizeof(*cp->stat_res));
	ret = -ENOMEM;
	if (!cp->jobs || !cp->chunks || !cp->free_bufs || !cp->stx ||
	    !cp->stat_res ||
	    ucp_mul_overflow(cp->nbufs, w->run->chunk, &bytes) ||
	    posix_memalign((void **)&cp->mem, 4096, bytes) != 0)
		goto fail;
	for (i = 0; i < cp->nbufs; i++)
		buf_put(cp, (int)(cp->nbufs - 1 - i));
	cp->nfree_jobs = cp->njobs;
	/* The ring itself comes with the first request (ring_up). */
	w->cp = cp;
	return 0;
fail:
	free(cp->mem);
	free(cp->jobs);
	free(cp->chunks);
	free(cp->free_bufs);
	free(cp->stx);
	free(cp->stat_res);
	free(cp);
	return ret;
}

/*
 * A worker's ring could not be set up: said once a run, with why. The
 * worker goes on with syscalls; but --engine=uring, asked to use io_uring
 * for every file, stops the run.
 */
static void no_ring(struct ucp_worker *w, int err)
{
	struct ucp_run *run = w->run;
	bool uring = run->cfg->engine == UCP_ENGINE_URING;
	struct ucp_error e = {
		.op = UCP_OP_ENGINE_FALLBACK,
		.err = -err,
		/*
		 * (Rings are charged to the memory cgroup, and for a user
		 * without CAP_IPC_LOCK to the locked memory limit: before
		 * Linux 5.12, and again on recent kernels, 6.18 among them.)
		 */
		.msg = err == -ENOMEM ? "a worker's ring could not be set up: "
					"not enough memory (ulimit -l, the "
					"memory cgroup, ulimit -v)"
				      : "a worker's ring could not be set up",
		.warning = !uring,
		.fatal = uring,
	};

	if (atomic_exchange(&run->told_ring, true))
		return;
	if (uring) {
		atomic_store(&run->stop, true);
		atomic_fetch_or(&run->status, UCP_RUN_FATAL);
	}
	if (run->ev->error)
		run->ev->error(run->ev->arg, &e);
}

/*
 * --sqpoll, and the kernel would not give a ring its polling thread
 * (before 5.11, only with CAP_SYS_ADMIN): the ring submits by itself, and
 * the run says so once.
 */
static void no_poller(struct ucp_worker *w, int err)
{
	struct ucp_run *run = w->run;
	struct ucp_error e = {
		.op = UCP_OP_SQPOLL, .err = -err, .path = NULL, .warning = true
	};

	if (atomic_exchange(&run->told_sqpoll, true))
		return;
	if (run->ev->error)
		run->ev->error(run->ev->arg, &e);
}

/*
 * The ring, set up when the first request needs it: a run whose files all
 * take the cached shortcut never pays for one (setting up and tearing
 * down a ring and its file table is about 2 ms of a one-file copy). Where
 * the limit on locked memory (which an unprivileged ring is charged to)
 * refuses its size, a smaller one: it submits more often. When none can
 * be set up, the engine goes (w->cp is NULL): nothing was ever in flight,
 * and the worker goes on with syscalls. False then.
 */
static bool ring_up(struct ucp_worker *w)
{
	static const unsigned sizes[] = { 512, 128, 32, 8 };
	struct ucp_copier *cp = w->cp;
	int ret = -ENOMEM, sqpoll_err = 0;
	struct rlimit rl;
	size_t i;

	if (cp->ring)
		return true;
	/*
	 * The kernel refuses a table of direct descriptors longer than the
	 * limit on open files (EMFILE): under a low one, fewer jobs, two
	 * slots each (nothing is in flight yet).
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < 2 * (rlim_t)cp->njobs) {
		cp->njobs = UCP_MAX(1u, (unsigned)(rl.rlim_cur / 2));
		cp->nfree_jobs = cp->njobs;
	}
	/* Room for every job's chain (6 ops) plus chunk pairs: 512. */
	for (i = 0; i < ARRAY_SIZE(sizes) && ret == -ENOMEM; i++)
		ret = ucp_ring_new(&cp->ring, sizes[i], 2 * cp->njobs,
				   w->run->sqpoll, &sqpoll_err);
	if (ret == 0) {
		if (sqpoll_err)
			no_poller(w, sqpoll_err);
		return true;
	}
	no_ring(w, ret);
	ucp_copy_free(w);
	return false;
}

void ucp_copy_free(struct ucp_worker *w)
{
	struct ucp_copier *cp = w->cp;

	if (!cp)
		return;
	ucp_ring_free(cp->ring);
	free(cp->mem);
	free(cp->jobs);
	free(cp->chunks);
	free(cp->free_bufs);
	free(cp->stx);
	free(cp->stat_res);
	free(cp);
	w->cp = NULL;
}

bool ucp_copy_can_admit(const struct ucp_worker *w)
{
	return !w->cp->dead && w->cp->nfree_jobs > 0 && w->cp->nfree_bufs > 0;
}

unsigned ucp_copy_inflight(const struct ucp_worker *w)
{
	return w->cp->njobs - w->cp->nfree_jobs;
}

static struct job *job_alloc(struct ucp_copier *cp, unsigned *idx)
{
	unsigned i;

	for (i = 0; i < cp->njobs; i++) {
		if (cp->jobs[i].state == JOB_FREE) {
			*idx = i;
			return &cp->jobs[i];
		}
	}
	return NULL;
}

static void stx_to_stat(const struct statx *x, struct stat *st);

static void links_abandoned(struct ucp_worker *w, struct ucp_dir *d,
			    const char *name);

static void job_end(struct ucp_worker *w, struct job *j)
{
	struct ucp_dir *d = j->d;

	if (j->state == JOB_BIG && j->size >= UCP_CURRENT_MIN)
		ucp_current_clear(&w->current, j);
	/*
	 * --sync, a file of a new tree: copied without a temporary (told
	 * before its later names are linked, so listed before them).
	 */
	if (j->copied && j->sync_ch && !j->via_tmp)
		w->run->mode->copied(w, d, j->dname, j->stx.stx_mode,
				     j->sync_ch);
	if (j->link_owner && !j->has_stx) {
		/* (No statx of its own: a stop, or a failure, before it.) */
		links_abandoned(w, d, j->sname);
		j->link_owner = false;
	}
	if (j->link_owner) {
		struct stat st;

		/* Later names of this inode become links to the copy, or fail.
		 */
		stx_to_stat(&j->stx, &st);
		ucp_plain_link_finish(w, &st, j->copied);
		j->link_owner = false;
	}
	if (j->sfd >= 0) /* read-only */
		(void)close(j->sfd);
	if (j->dfd >= 0) /* (a failed copy, unlinked already) */
		(void)close(j->dfd);
	j->sfd = j->dfd = -1;
	if (j->buf >= 0)
		buf_put(w->cp, j->buf);
	j->buf = -1;
	j->state = JOB_FREE;
	j->d = NULL;
	w->cp->nfree_jobs++;
	ucp_dir_src_put(d);
	ucp_sched_put_dir(w, d);
}

static bool follows(const struct ucp_dir *d)
{
	return d->follow;
}

/* A queue failure means the ring itself is broken: stop the run. */
static void queue_or_fail(struct ucp_worker *w, struct job *j,
			  const struct ucp_ring_op *ops, unsigned n)
{
	int ret = ucp_ring_queue(w->cp->ring, ops, n);

	if (ret < 0) {
		ucp_report(w, j->d, j->sname, false, UCP_OP_READ, -ret);
		atomic_store(&w->run->stop, true);
		return;
	}
	w->cp->expect++;
	w->cp->cancelled_all = false;
}

static struct job *submit(struct ucp_worker *w, struct ucp_dir *d,
			  const char *sname, const char *dname);
static void submit_opened(struct ucp_worker *w, struct ucp_dir *d,
			  const struct ucp_copy_job *job, int sfd,
			  const struct stat *st);

/*
 * A file with nothing to wait for is copied at once with syscalls:
 * measured on a hot cache, a ring spends more than it saves here (statx
 * and O_CREAT opens always go through io-wq threads, a context switch
 * each). What must come from disk goes to the ring. Returns true when
 * the file was dealt with here; else *sfd may be the file opened already
 * (st: its stat), for the ring to read from.
 */
static bool copied_at_once(struct ucp_worker *w, struct ucp_dir *d,
			   const struct ucp_copy_job *job, int *sfd,
			   struct stat *st)
{
	int ret = ucp_plain_file_cached(w, d, job->sname, job->dname, sfd, st);

	/* (A link the mode is told of when made: ucp_plain_link_claim.) */
	if (ret == 0 && job->how == UCP_COPY_DIRECT)
		w->run->mode->copied(w, d, job->dname, S_IFREG, job->ch);
	return ret != 1;
}

/* Nothing copied of a group's first name: its later names fail. */
static void links_abandoned(struct ucp_worker *w, struct ucp_dir *d,
			    const char *name)
{
	struct stat st = { 0 };

	if (fstatat(d->src_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		ucp_plain_link_finish(w, &st, false);
}

bool ucp_copy_start(struct ucp_worker *w, struct ucp_dir *d,
		    const struct ucp_copy_job *job)
{
	char tmp[UCP_TMP_NAME_MAX];
	struct stat st;
	struct job *j;
	int sfd = -1;

	if (job->how != UCP_COPY_VIA_TMP &&
	    copied_at_once(w, d, job, &sfd, &st))
		return true;
	/* (A failed ring takes nothing more: it would never give it back.) */
	if (!ring_up(w) || w->cp->dead) {
		if (sfd >= 0)
			(void)close(sfd);
		return false;
	}
	if (job->how != UCP_COPY_VIA_TMP) {
		if (sfd >= 0) {
			submit_opened(w, d, job, sfd, &st);
			return true;
		}
		j = submit(w, d, job->sname, job->dname);
		if (j && job->how == UCP_COPY_DIRECT)
			j->sync_ch = job->ch; /* job_end reports it */
		return true;
	}
	ucp_plain_tmpname(w->run, tmp);
	j = submit(w, d, job->sname, tmp);
	if (!j) {
		if (job->links == UCP_LINKS_OWNER)
			links_abandoned(w, d, job->sname);
		return true;
	}
	j->via_tmp = true;
	j->fresh = job->fresh;
	j->claim = job->links == UCP_LINKS_CLAIM;
	j->link_owner = job->links == UCP_LINKS_OWNER;
	j->sync_ch = job->ch;
	memcpy(j->final, job->dname, strlen(job->dname) + 1);
	return true;
}

/* A job for sname -> dname of d, or NULL (reported). */
static struct job *job_new(struct ucp_worker *w, struct ucp_dir *d,
			   const char *sname, const char *dname, unsigned *idxp)
{
	struct ucp_copier *cp = w->cp;
	struct job *j = job_alloc(cp, idxp);

	if (!j || strlen(sname) > NAME_MAX || strlen(dname) > NAME_MAX) {
		/*
		 * Operand leaves longer than NAME_MAX cannot exist anyway; a
		 * full job table (admission should prevent it) is said as
		 * what it is.
		 */
		ucp_report(w, d, sname, false, UCP_OP_OPEN,
			   j ? ENAMETOOLONG : ENOBUFS);
		return NULL;
	}
	memcpy(j->sname, sname, strlen(sname) + 1);
	memcpy(j->dname, dname, strlen(dname) + 1);
	j->d = d;
	ucp_dir_get(d);
	ucp_dir_src_get(d);
	j->buf = buf_get(cp);
	j->state = JOB_STATX;
	j->sfd = j->dfd = -1;
	j->link_owner = false;
	j->has_stx = false;
	j->copied = false;
	j->cloned = false;
	j->via_tmp = false;
	j->fresh = false;
	j->handed = w->handed;
	j->sync_ch = 0;
	j->row = w->row;
	cp->nfree_jobs--;
	return j;
}

static struct job *submit(struct ucp_worker *w, struct ucp_dir *d,
			  const char *sname, const char *dname)
{
	struct ucp_ring_op op = { 0 };
	unsigned idx;
	struct job *j = job_new(w, d, sname, dname, &idx);

	if (!j)
		return NULL;
	op.kind = UCP_RING_STATX;
	op.fd = d->src_fd;
	op.path = j->sname;
	op.flags = follows(d) ? 0 : AT_SYMLINK_NOFOLLOW;
	op.mode = STATX_BASIC_STATS;
	op.buf = &j->stx;
	op.user_data = ud(idx, 0, T_STATX);
	queue_or_fail(w, j, &op, 1);
	return j;
}

static void stx_to_stat(const struct statx *x, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = x->stx_mode;
	st->st_size = (off_t)x->stx_size;
	st->st_ino = x->stx_ino;
	st->st_dev = makedev(x->stx_dev_major, x->stx_dev_minor);
	st->st_rdev = makedev(x->stx_rdev_major, x->stx_rdev_minor);
	st->st_nlink = x->stx_nlink;
	st->st_uid = x->stx_uid;
	st->st_gid = x->stx_gid;
	st->st_blocks = (blkcnt_t)x->stx_blocks;
	st->st_blksize = (blksize_t)x->stx_blksize;
	st->st_atim.tv_sec = x->stx_atime.tv_sec;
	st->st_atim.tv_nsec = x->stx_atime.tv_nsec;
	st->st_mtim.tv_sec = x->stx_mtime.tv_sec;
	st->st_mtim.tv_nsec = x->stx_mtime.tv_nsec;
	st->st_ctim.tv_sec = x->stx_ctime.tv_sec;
	st->st_ctim.tv_nsec = x->stx_ctime.tv_nsec;
}

static void stat_to_stx(const struct stat *st, struct statx *x)
{
	memset(x, 0, sizeof(*x));
	x->stx_mask = STATX_BASIC_STATS;
	x->stx_mode = (__u16)st->st_mode;
	x->stx_size = (__u64)st->st_size;
	x->stx_ino = st->st_ino;
	x->stx_dev_major = major(st->st_dev);
	x->stx_dev_minor = minor(st->st_dev);
	x->stx_rdev_major = major(st->st_rdev);
	x->stx_rdev_minor = minor(st->st_rdev);
	x->stx_nlink = (__u32)st->st_nlink;
	x->stx_uid = st->st_uid;
	x->stx_gid = st->st_gid;
	x->stx_blocks = (__u64)st->st_blocks;
	x->stx_blksize = (__u32)st->st_blksize;
	x->stx_atime.tv_sec = st->st_atim.tv_sec;
	x->stx_atime.tv_nsec = (__u32)st->st_atim.tv_nsec;
	x->stx_mtime.tv_sec = st->st_mtim.tv_sec;
	x->stx_mtime.tv_nsec = (__u32)st->st_mtim.tv_nsec;
	x->stx_ctime.tv_sec = st->st_ctim.tv_sec;
	x->stx_ctime.tv_nsec = (__u32)st->st_ctim.tv_nsec;
}

/*
 * A request that came back undone: transient (EAGAIN, EINTR), or cancelled
 * by the kernel (ECANCELED: no worker thread to run it, punt_cancelled).
 * It is done again with syscalls.
 */
static bool not_done(int res)
{
	return res == -EAGAIN || res == -EINTR || res == -ECANCELED;
}

static void on_statx(struct ucp_worker *w, struct job *j, unsigned idx,
		     int res);

/*
 * A file the shortcut opened and stat'ed already, whose data must come
 * from disk: the job starts where a statx would have left it, and its
 * chain or chunks read from sfd (no statx and no open on the ring).
 */
static void submit_opened(struct ucp_worker *w, struct ucp_dir *d,
			  const struct ucp_copy_job *job, int sfd,
			  const struct stat *st)
{
	unsigned idx;
	struct job *j = job_new(w, d, job->sname, job->dname, &idx);

	if (!j) {
		(void)close(sfd);
		return;
	}
	stat_to_stx(st, &j->stx);
	j->has_stx = true;
	j->sfd = sfd;
	if (job->how == UCP_COPY_DIRECT)
		j->sync_ch = job->ch; /* job_end reports it */
	on_statx(w, j, idx, 0);
}

/*
 * The chain for a file that fits one buffer: the source's open (in a
 * trusted directory; elsewhere the worker opened it, j->sfd), its read,
 * the copy's open, write and closes. Where metadata is kept in a directory
 * not trusted, the worker made the copy (j->dfd) and the chain ends with
 * the write: a descriptor of the ring's own would be closed before the
 * metadata could be set through it, and by name it could be set on
 * another file (trusted). Its last op looks at the source again: one that
 * changed meanwhile (grew, or was written: its size, times or inode are
 * not statx's) may have given the copy bytes of two versions, cut to the
 * old size (source_changed).
 */
static unsigned build_chain(struct ucp_worker *w, struct job *j, unsigned idx,
			    struct ucp_ring_op *ops)
{
	unsigned n = 0, a = 2 * idx, b = 2 * idx + 1;
	const unsigned ls = UCP_RING_LINK | UCP_RING_SKIP;
	void *buf = buf_at(w, j->buf);
	unsigned len = (unsigned)j->size;
	bool own = j->dfd < 0, by_name = j->sfd < 0;

	memset(ops, 0, sizeof(*ops) * 7);
	/* (A source in a trusted directory: opened by name, in the chain.) */
	if (by_name)
		ops[n++] = (struct ucp_ring_op){
			.kind = UCP_RING_OPENAT,
			.fd = j->d->src_fd,
			.slot = (int)a,
			.path = j->sname,
			.flags = O_RDONLY | O_NOCTTY |
				 (follows(j->d) ? 0 : O_NOFOLLOW),
			.link = ls,
			.user_data = ud(idx, 0, T_OPEN_SRC)
		};
	/* An empty file needs no read or write. */
	if (len > 0)
		ops[n++] =
			(struct ucp_ring_op){ .kind = UCP_RING_READ,
					      .fd = by_name ? (int)a : j->sfd,
					      .fixed = by_name,
					      .buf = buf,
					      .len = len,
					      .link = ls,
					      .user_data = ud(idx, 0, T_READ) };
	if (own)
		ops[n++] = (struct ucp_ring_op){
			.kind = UCP_RING_OPENAT,
			.fd = j->d->dst_fd,
			.slot = (int)b,
			.path = j->dname,
			.flags = O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY,
			.mode = ucp_plain_create_mode(w->run, j->d,
						      j->stx.stx_mode),
			.link = ls,
			.user_data = ud(idx, 0, T_OPEN_DST)
		};
	if (len > 0)
		ops[n++] = (struct ucp_ring_op){
			.kind = UCP_RING_WRITE,
			.fd = own ? (int)b : j->dfd,
			.fixed = own,
			.buf = buf,
			.len = len,
			/* (The last op without a close: its completion is
			 * the chain's.) */
			.link = own ? ls : 0,
			.user_data = ud(idx, 0, T_WRITE)
		};
	if (by_name)
		ops[n++] = (struct ucp_ring_op){ .kind = UCP_RING_CLOSE,
						 .slot = (int)a,
						 .link = ls | UCP_RING_NO_FAULT,
						 .user_data = ud(idx, 0,
								 T_CLOSE_SRC) };
	if (own)
		ops[n++] = (struct ucp_ring_op){ .kind = UCP_RING_CLOSE,
						 .slot = (int)b,
						 .user_data = ud(idx, 0,
								 T_CLOSE_DST) };
	if (n == 0)
		return 0;
	ops[n - 1].link |= ls;
	ops[n++] = (struct ucp_ring_op){
		.kind = UCP_RING_STATX,
		.fd = by_name ? j->d->src_fd : j->sfd,
		.path = by_name ? j->sname : "",
		.flags = by_name ? (follows(j->d) ? 0 : AT_SYMLINK_NOFOLLOW)
				 : AT_EMPTY_PATH,
		.mode = STATX_BASIC_STATS,
		.buf = &j->again,
		.link = UCP_RING_NO_FAULT,
		.user_data = ud(idx, 0, T_RESTAT)
	};
	return n;
}

static void file_done(struct ucp_worker *w, struct job *j)
{
	const char *row;
	struct stat st;

	j->copied = true;
	if (j->dfd >= 0) {
		/* The metadata calls io_uring has no op for (chown, chmod,
		 * utimensat), through the descriptors, then the close. */
		stx_to_stat(&j->stx, &st);
		(void)ucp_plain_meta_fds(w, j->d, j->sname, j->dname,
					 final_name(j), &st, j->sfd, j->dfd);
		if (ucp_fault_close(j->dfd) < 0) {
			ucp_report(w, j->d, final_name(j), true, UCP_OP_CLOSE,
				   errno);
			(void)unlinkat(j->d->dst_fd, j->dname, 0);
			j->dfd = -1;
			j->copied = false;
			return;
		}
		j->dfd = -1;
	} else if (w->run->cfg->preserve || w->run->cfg->default_mode) {
		/* A trusted directory (on_statx): by name, after the ring's
		 * close. (--no-preserve=mode: over a default ACL, meta_of.) */
		stx_to_stat(&j->stx, &st);
		/*
		 * Attributes that are another file's (an atomic save
		 * replaced it since the data was read): skipped as the
		 * thread engine skips it, what this job made removed.
		 */
		if (ucp_plain_meta_made(w, j->d, j->sname, j->dname,
					final_name(j), &st) == -ESTALE) {
			(void)unlinkat(j->d->dst_fd, j->dname, 0);
			j->copied = false;
			return;
		}
	}
	if (j->via_tmp) {
		/* --sync: the complete copy takes its final name now. */
		int ret = ucp_tmp_commit(j->d->dst_fd, j->dname, j->final);

		if (ret < 0) {
			ucp_report(w, j->d, j->final, true, UCP_OP_RENAME,
				   -ret);
			j->copied = false;
			return;
		}
		w->run->mode->copied(w, j->d, j->final, j->stx.stx_mode,
				     j->sync_ch);
	}
	ucp_file_done(&w->cnt);
	row = w->row; /* (an entry being planned while this completes) */
	w->row = j->row;
	ucp_report_copied(
		w, j->d, j->sname, final_name(j),
		j->cloned	      ? "reflink"
		: j->state != JOB_BIG ? "io_uring, one linked chain"
		: j->behind < 0
			? "io_uring, linked read/write chunks"
			: "io_uring, linked read/write chunks, written back behind");
	w->row = row;
}

/* --sync: copy the file through a temporary of its own, with syscalls. */
static int sync_plain(struct ucp_worker *w, struct job *j,
		      const struct stat *st)
{
	struct stat old;
	bool had;
	int ret;

	(void)unlinkat(j->d->dst_fd, j->dname, 0);
	/* (A copy there is kept if the source keeps changing.) */
	had = !j->fresh &&
	      fstatat(j->d->dst_fd, j->final, &old, AT_SYMLINK_NOFOLLOW) == 0;
	ret = ucp_plain_copy_tmp(w, j->d, j->sname, j->final, st,
				 had ? &old : NULL);
	if (ret == 0)
		w->run->mode->copied(w, j->d, j->final, st->st_mode,
				     j->sync_ch);
	return ret;
}

/* Redo a file with plain syscalls (what the ring path could not finish). */
static void redo_plain(struct ucp_worker *w, struct job *j, bool exists)
{
	struct stat st;
	int ret;

	stx_to_stat(&j->stx, &st);
	w->kept = false;
	/* This job already owns the inode's link group: no second claim. */
	if (j->via_tmp)
		ret = sync_plain(w, j, &st);
	else if (exists)
		ret = ucp_plain_replace(w, j->d, j->sname, j->dname, &st);
	else
		ret = ucp_plain_file_owned(w, j->d, j->sname, j->dname, NULL);
	/* (A file -n kept is no copy: the group's next name makes one.) */
	j->copied = (ret == 0 || ret == UCP_PLAIN_LINKED) && !w->kept;
}

static void start_big(struct ucp_worker *w, struct job *j);

/* d->trust: looked at; no one else may rename names of its source, of its
 * copy. */
#define TRUST_KNOWN 1
#define TRUST_SRC 2
#define TRUST_DST 4

/* Whether a directory of stat st is one only the run's user (or root) may
 * change. */
static bool only_ours(const struct ucp_run *run, const struct stat *st)
{
	return (st->st_uid == run->meta.euid || st->st_uid == 0) &&
	       !(st->st_mode & (S_IWGRP | S_IWOTH));
}

/*
 * Whether no one but the run's user (and root) may rename names in the
 * source (src) or the copy of d: then a name is the file it was a moment
 * ago, and the ring may open the source and set the copy's metadata by
 * name. Elsewhere (a directory of another user, or one others may write:
 * /tmp, a shared group directory) another file could take the name in
 * between: the worker opens the source and checks it is the file statx
 * saw, and where metadata is kept, makes the copy and sets it through its
 * descriptor. One fstat per directory, at its first such file.
 */
static bool trusted(const struct ucp_worker *w, struct ucp_dir *d, bool src)
{
	int t = atomic_load_explicit(&d->trust, memory_order_relaxed);

	if (!(t & TRUST_KNOWN)) {
		struct stat st;

		t = TRUST_KNOWN;
		if (!d->pseudo && only_ours(w->run, &d->sst))
			t |= TRUST_SRC;
		if (!d->pseudo && fstat(d->dst_fd, &st) == 0 &&
		    only_ours(w->run, &st))
			t |= TRUST_DST;
		atomic_store_explicit(&d->trust, t, memory_order_relaxed);
	}
	return t & (src ? TRUST_SRC : TRUST_DST);
}

/*
 * Ordinary descriptors a worker's jobs hold (sources opened here, copies
 * made here): at most run.held_fds at once, the worker's share of the
 * limit on open files (ucp.c), where the ring's own count for nothing.
 */
static unsigned fds_held(const struct ucp_copier *cp)
{
	unsigned i, n = 0;

	for (i = 0; i < cp->njobs; i++)
		if (cp->jobs[i].state != JOB_FREE)
			n += (cp->jobs[i].sfd >= 0) + (cp->jobs[i].dfd >= 0);
	return n;
}

/*
 * Whether job j would hold more ordinary descriptors than the worker's
 * share: the source it opens here, or one a caller opened already (a file
 * that was not in the page cache), which fds_held counts; and a copy it
 * makes here (the chunks of a big file make theirs too).
 */
static bool over_held(const struct ucp_worker *w, const struct job *j,
		      bool open_here, bool own_dst)
{
	unsigned more =
		(unsigned)open_here + (own_dst || j->size > w->run->chunk);

	if (!open_here && j->sfd < 0)
		return false;
	return fds_held(w->cp) + more > w->run->held_fds;
}

#ifdef UCP_TEST_HOOKS
static void test_stop_before_open(void)
{
	if (atomic_exchange(&ucp_test_stop_before_open, false))
		(void)raise(SIGSTOP);
}
#else
static void test_stop_before_open(void)
{
}
#endif

/*
 * Make the copy, j->dfd. False when that failed: it is dealt with (an
 * existing file replaced with syscalls, or the error reported) and the
 * job ended.
 */
static bool create_dst(struct ucp_worker *w, struct job *j)
{
	int err;

	j->dfd = ucp_fault_fail(UCP_FAULT_CREATE) < 0
			 ? -1
			 : openat(j->d->dst_fd, j->dname,
				  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
					  O_NOCTTY,
				  ucp_plain_create_mode(w->run, j->d,
							j->stx.stx_mode));
	if (j->dfd >= 0)
		return true;
	err = errno;
	(void)close(j->sfd);
	j->sfd = -1;
	if (err == EEXIST)
		redo_plain(w, j, true);
	else
		ucp_report(w, j->d, final_name(j), true, UCP_OP_CREATE, err);
	job_end(w, j);
	return false;
}

/*
 * Copy regular file j (st: its statx), its link group claimed: with
 * syscalls, or a chain, or in chunks.
 */
static void copy_regular(struct ucp_worker *w, struct job *j, unsigned idx,
			 const struct stat *st)
{
	struct ucp_ring_op ops[7];
	bool own_dst, open_here;
	unsigned n;

	own_dst = w->run->cfg->preserve && !trusted(w, j->d, false);
	open_here = j->sfd < 0 && (own_dst || !trusted(w, j->d, true) ||
				   j->size > w->run->chunk);
	if (ucp_plain_wants_syscalls(w->run, st) ||
	    (j->size > w->run->chunk && ucp_plain_cfr_usable(w)) ||
	    over_held(w, j, open_here, own_dst)) {
		/*
		 * Extents are walked with lseek, and clones made with an
		 * ioctl: syscalls, not the ring. A file bigger than a buffer
		 * goes to copy_file_range where it works: the kernel moves
		 * the data itself, where the ring would copy it through our
		 * buffers twice (measured: a third less time for the mixed
		 * dataset on ext4).
		 */
		w->kept = false;
		if (j->via_tmp)
			j->copied = sync_plain(w, j, st) == 0;
		else
			j->copied = ucp_plain_file_owned(w, j->d, j->sname,
							 j->dname, st) >= 0;
		/* (A file -n kept is no copy: the group's next name makes
		 * one.) */
		j->copied = j->copied && !w->kept;
		job_end(w, j);
		return;
	}
	/*
	 * What is read must be the file statx saw (its owner, its mode), and
	 * the metadata must go to the copy made (trusted). (A worker holds
	 * only so many such descriptors at once, fds_held: beyond them the
	 * files are copied with syscalls, above.)
	 */
	if (open_here) {
		struct stat got;

		j->sfd = ucp_plain_open_src(w, j->d, j->sname, st, &got);
		if (j->sfd < 0) {
			job_end(w, j);
			return;
		}
		/*
		 * The attributes of the file opened go on, not those statx
		 * read by name before: a file removed and made anew since, by
		 * another user, may have the old one's inode number.
		 */
		stat_to_stx(&got, &j->stx);
		/* (Counted as statx said: the size is the file's now.) */
		if (j->stx.stx_size != j->size)
			ucp_count(&w->cnt.bytes_found,
				  j->stx.stx_size - j->size);
		j->size = j->stx.stx_size;
	} else {
		test_stop_before_open(); /* (the chain's open, the ring's) */
	}
	if (j->size > w->run->chunk) {
		start_big(w, j);
		return;
	}
	if (own_dst && !create_dst(w, j))
		return;
	j->state = JOB_CHAIN;
	n = build_chain(w, j, idx, ops);
	if (n == 0) { /* an empty file, both ends open: nothing to move */
		file_done(w, j);
		job_end(w, j);
		return;
	}
	queue_or_fail(w, j, ops, n);
}

static void on_statx(struct ucp_worker *w, struct job *j, unsigned idx, int res)
{
	struct stat st;

	j->has_stx = res == 0;
	/* (Nothing starts once the run stops: see cancel_in_flight.) */
	if (ucp_run_stopping(w->run)) {
		job_end(w, j);
		return;
	}
	if (not_done(res))
		res = statx(j->d->src_fd, j->sname,
			    follows(j->d) ? 0 : AT_SYMLINK_NOFOLLOW,
			    STATX_BASIC_STATS, &j->stx) < 0
			      ? -errno
			      : 0;
	if (res < 0) {
		ucp_report(w, j->d, j->sname, false, UCP_OP_STAT, -res);
		job_end(w, j);
		return;
	}
	j->has_stx = true;
	if (!S_ISREG(j->stx.stx_mode) && j->via_tmp) {
		/* --sync compared a file: the next run sees what it became. */
		ucp_report(w, j->d, j->sname, false, UCP_OP_CHANGED, 0);
		job_end(w, j);
		return;
	}
	if (!S_ISREG(j->stx.stx_mode)) {
		/* It changed type since the directory was read. */
		stx_to_stat(&j->stx, &st);
		ucp_count(&w->cnt.files_found, (uint64_t)-1);
		w->run->mode->entry_st(w, j->d, j->sname, j->dname, &st);
		job_end(w, j);
		return;
	}
	j->size = j->stx.stx_size;
	stx_to_stat(&j->stx, &st);
	/*
	 * A --sync temporary is handed over only for a file with no twin:
	 * the taker makes its own (the mode's entry_st), under a new name;
	 * not by the owner of a link group, whose claim stays here.
	 */
	if ((!j->via_tmp || (j->fresh && !j->link_owner)) &&
	    ucp_sched_hand_over(w, j->d, j->sname, final_name(j), &st)) {
		job_end(w, j);
		return;
	}
	ucp_count(&w->cnt.bytes_found, j->size);
	/*
	 * A link group is claimed under the final name; --sync may have
	 * claimed it already (then link_owner is set, or it was linked).
	 */
	if ((!j->via_tmp || j->claim) &&
	    ucp_plain_link_claim(w, j->d, final_name(j), &st, j->sync_ch, true,
				 &j->link_owner)) {
		job_end(w, j);
		return;
	}
	copy_regular(w, j, idx, &st);
}

/*
 * A chain whose copy the worker made (build_chain) ends with its write:
 * done (true) when it wrote the whole file; else the copy goes, once, and
 * the caller deals with the failure (false).
 */
/*
 * A chain's look at its source after the copy (res, j->again): whether it
 * changed since statx (a source gone since is not: what was read was
 * whole).
 */
static bool source_changed(const struct job *j, int res)
{
	const struct statx *a = &j->stx, *b = &j->again;

	return res == 0 &&
	       (b->stx_size != a->stx_size || b->stx_ino != a->stx_ino ||
		b->stx_mtime.tv_sec != a->stx_mtime.tv_sec ||
		b->stx_mtime.tv_nsec != a->stx_mtime.tv_nsec ||
		b->stx_ctime.tv_sec != a->stx_ctime.tv_sec ||
		b->stx_ctime.tv_nsec != a->stx_ctime.tv_nsec);
}

static bool made_copy_end(struct ucp_worker *w, struct job *j, enum tag t,
			  int res)
{
	if (t == T_RESTAT && !source_changed(j, res)) {
		file_done(w, j);
		if (j->copied)
			ucp_count(&w->cnt.bytes_done, j->size);
		job_end(w, j);
		return true;
	}
	(void)close(j->dfd);
	j->dfd = -1;
	(void)unlinkat(j->d->dst_fd, j->dname, 0);
	return false;
}

/*
 * The chain's write, or its source's close, failed (res), or the write was
 * short; gone: the copy is removed already.
 */
static void write_failed(struct ucp_worker *w, struct job *j, enum tag t,
			 int res, bool gone)
{
	/* Never leave a partial file under its final name. */
	if (!gone)
		(void)unlinkat(j->d->dst_fd, j->dname, 0);
	if (res < 0)
		ucp_report(w, j->d, t == T_WRITE ? final_name(j) : j->sname,
			   t == T_WRITE,
			   t == T_WRITE ? UCP_OP_WRITE : UCP_OP_CLOSE, -res);
	else /* a short write: redo it to learn the real error */
		redo_plain(w, j, false);
}

/* The single completion of a chain: success, or the step that failed. */
static void on_chain(struct ucp_worker *w, struct job *j, enum tag t, int res)
{
	bool gone = j->dfd >= 0; /* (the copy made here, removed already) */

	if (gone && made_copy_end(w, j, t, res))
		return;
	if (not_done(res)) {
		/*
		 * Transient, or cancelled from outside: the chain cannot be
		 * resumed halfway, so undo what it created and copy the
		 * file again with syscalls (they retry on EINTR themselves).
		 */
		if (t >= T_WRITE && !gone)
			(void)unlinkat(j->d->dst_fd, j->dname, 0);
		/* (Not after a stop: cancel_in_flight.) */
		if (!ucp_run_stopping(w->run))
			redo_plain(w, j, false);
		job_end(w, j);
		return;
	}
	switch (t) {
	case T_RESTAT:
		if (!source_changed(j, res)) {
			ucp_count(&w->cnt.bytes_done, j->size);
			file_done(w, j);
			break;
		}
		/* Bytes of two versions, maybe: made again, with syscalls. */
		if (!gone)
			(void)unlinkat(j->d->dst_fd, j->dname, 0);
		redo_plain(w, j, false);
		break;
	case T_CLOSE_DST:
		if (res >= 0) {
			ucp_count(&w->cnt.bytes_done, j->size);
			file_done(w, j);
			break;
		}
		ucp_report(w, j->d, final_name(j), true, UCP_OP_CLOSE, -res);
		(void)unlinkat(j->d->dst_fd, j->dname, 0);
		break;
	case T_OPEN_SRC:
		ucp_report(w, j->d, j->sname, false, UCP_OP_OPEN, -res);
		break;
	case T_READ:
		if (res < 0) {
			ucp_report(w, j->d, j->sname, false, UCP_OP_READ, -res);
			break;
		}
		/*
		 * Regular files do not return short reads before EOF, so
		 * the file shrank after statx: copy what is there now, whole
		 * (the syscall path copies again a file that changes under
		 * it, and reports one that keeps changing).
		 */
		redo_plain(w, j, false);
		break;
	case T_OPEN_DST:
		if (res == -EEXIST)
			redo_plain(w, j, true);
		else
			ucp_report(w, j->d, final_name(j), true, UCP_OP_CREATE,
				   -res);
		break;
	case T_WRITE:
	case T_CLOSE_SRC:
		write_failed(w, j, t, res, gone);
		break;
	default:
		break;
	}
	job_end(w, j);
}

/* ---- big files ---------------------------------------------------- */

static void big_fail(struct ucp_worker *w, struct job *j, enum ucp_op op,
		     int err)
{
	if (j->err)
		return;
	j->err = err;
	j->err_op = op;
	ucp_report(w, j->d, op == UCP_OP_READ ? j->sname : final_name(j),
		   op != UCP_OP_READ, op, -err);
}

static void start_big(struct ucp_worker *w, struct job *j)
{
	struct stat st;
	int ret;

	j->state = JOB_BIG;
	/* Shown on the progress line while it lasts (job_end clears it). */
	if (j->size >= UCP_CURRENT_MIN)
		ucp_current_set(&w->current, j,
				ucp_dir_path(j->d, false, j->sname), j->size);
	j->next = 0;
	j->end = j->size;
	j->chunks = 0;
	j->err = 0;
	j->behind = -1;
	/* Chunks borrow buffers as they go; give back the admission one. */
	buf_put(w->cp, j->buf);
	j->buf = -1;
	if (!create_dst(w, j))
		return;
	stx_to_stat(&j->stx, &st);
	ret = ucp_plain_clone(w, j->d, j->dname, j->sfd, j->dfd, &st);
	if (ret == 1) {
		(void)posix_fadvise(j->sfd, 0, 0, POSIX_FADV_SEQUENTIAL);
		j->behind = ucp_plain_behind_wanted(w, j->sfd, &st) ? 0 : -1;
		return;
	}
	/* Cloned (the data is shared, nothing to move), or refused. */
	j->cloned = ret == 0;
	if (ret == 0) {
		file_done(w, j); /* (closes dfd) */
	} else {
		(void)close(j->dfd);
		j->dfd = -1;
		(void)unlinkat(j->d->dst_fd, j->dname, 0);
	}
	job_end(w, j);
}

/* Queue chunk b's linked READ->WRITE pair. */
static void chunk_issue(struct ucp_worker *w, struct job *j, unsigned idx,
			unsigned b)
{
	struct chunk *c = &w->cp->chunks[b];
	struct ucp_ring_op ops[2];

	c->done = 0;
	/*
	 * A soft link: a short read (the file shrank) cancels the write
	 * instead of writing stale buffer contents.
	 */
	ops[0] = (struct ucp_ring_op){ .kind = UCP_RING_READ,
				       .fd = j->sfd,
				       .buf = buf_at(w, (int)b),
				       .len = c->len,
				       .off = c->off,
				       .link = UCP_RING_LINK | UCP_RING_SKIP,
				       .user_data = ud(idx, b, T_CHUNK_READ) };
	ops[1] = (struct ucp_ring_op){ .kind = UCP_RING_WRITE,
				       .fd = j->dfd,
				       .buf = buf_at(w, (int)b),
				       .len = c->len,
				       .off = c->off,
				       .user_data = ud(idx, b, T_CHUNK_WRITE) };
	queue_or_fail(w, j, ops, 2);
}

/* Queue pairs for the next chunks while buffers and the per-file cap allow. */
static void big_issue(struct ucp_worker *w, struct job *j, unsigned idx)
{
	struct ucp_copier *cp = w->cp;

	while (!j->err && j->next < j->end && j->chunks < cp->max_chunks &&
	       !ucp_run_stopping(w->run)) {
		int b = buf_get(cp);
		struct chunk *c;

		if (b < 0)
			return;
		c = &cp->chunks[b];
		c->job = idx;
		c->again = 0;
		c->off = j->next;
		c->len = (unsigned)UCP_MIN((uint64_t)w->run->chunk,
					   j->end - j->next);
		j->next += c->len;
		j->chunks++;
		chunk_issue(w, j, idx, (unsigned)b);
	}
}

/* Queue the unwritten rest of chunk b as a lone write. */
static void chunk_write_rest(struct ucp_worker *w, struct job *j, unsigned idx,
			     unsigned b)
{
	struct chunk *c = &w->cp->chunks[b];
	struct ucp_ring_op op = { .kind = UCP_RING_WRITE,
				  .fd = j->dfd,
				  .buf = buf_at(w, (int)b) + c->done,
				  .len = c->len - c->done,
				  .off = c->off + c->done,
				  .user_data = ud(idx, b, T_CHUNK_WRITE) };

	queue_or_fail(w, j, &op, 1);
}

static void chunk_end(struct ucp_worker *w, struct job *j, unsigned b)
{
	buf_put(w->cp, (int)b);
	j->chunks--;
}

/*
 * Chunk b is written whole: with write-behind, hand what lies behind it to
 * write-back once that is a step's worth. (Chunks finish nearly in order,
 * a few in flight at once; a page behind that is not written yet is left
 * to the flusher, or the final sync.)
 */
static void chunk_written(struct ucp_worker *w, struct job *j, unsigned b)
{
	off_t end = (off_t)(w->cp->chunks[b].off + w->cp->chunks[b].len);

	chunk_end(w, j, b);
	ucp_plain_write_behind(j->dfd, &j->behind, end);
}

/*
 * A request the kernel cancelled itself (-ECANCELED): one it could not do
 * at once goes to a kernel worker thread, and where none can be started
 * (a limit on the user's processes, a container's on its tasks) it is
 * cancelled. Such a chunk's read or write is done here with a syscall
 * (n: its result); a statx, likewise (on_statx); the steps of a chain are
 * redone with syscalls whole (on_chain).
 */
static int punt_cancelled(ssize_t n)
{
	return n < 0 ? -errno : (int)n;
}

/*
 * Whether chunk c's request, come back with a transient failure (EINTR,
 * EAGAIN), is issued again: not once the run stops, nor EAGAIN without
 * end (a file that says it on and on, where a read(2) of the thread
 * engine fails at once: its error then). EINTR is, as the syscalls'.
 */
static bool again_ok(struct ucp_worker *w, struct chunk *c, int res)
{
	return (res == -EINTR || (res == -EAGAIN && ++c->again < 1000)) &&
	       !ucp_run_stopping(w->run);
}

/* A transient failure the stop left undone: no error of the file's. */
static bool stopped_transient(struct ucp_worker *w, int res)
{
	return (res == -EINTR || res == -EAGAIN) && ucp_run_stopping(w->run);
}

/*
 * The read of chunk b's pair did not read it all (res: what it returned).
 * The kernel cancels the write linked to it without a completion (a failed
 * request with CQE_SKIP_SUCCESS silences what its failure cancels), so
 * this is the chunk's last word. Only this chunk is redone: the chunks in
 * flight after it are not issued again.
 */
static void on_chunk_read(struct ucp_worker *w, struct job *j, unsigned idx,
			  unsigned b, int res)
{
	struct chunk *c = &w->cp->chunks[b];

	if (res == -ECANCELED && !j->err && !ucp_run_stopping(w->run))
		res = punt_cancelled(ucp_fault_pread(
			j->sfd, buf_at(w, (int)b), c->len,
			(off_t)c->off)); /* (see punt_cancelled) */

	if (!j->err && again_ok(w, c, res)) {
		chunk_issue(w, j, idx, b); /* transient: read it again */
		return;
	}
	if (res < 0) {
		if (res != -ECANCELED && !stopped_transient(w, res))
			big_fail(w, j, UCP_OP_READ, res);
		/* Not read: the copy is incomplete (nothing more is issued
		 * after an error or once the run stops). */
		j->next = UCP_MIN(j->next, c->off);
		chunk_end(w, j, b);
		return;
	}
	/* Short read: the file ends at off + res now. */
	j->end = UCP_MIN(j->end, c->off + (uint64_t)res);
	c->len = (unsigned)res;
	if (res == 0) {
		chunk_end(w, j, b);
		return;
	}
	chunk_write_rest(w, j, idx, b);
}

static void on_chunk(struct ucp_worker *w, struct job *j, unsigned idx,
		     unsigned b, enum tag t, int res)
{
	struct chunk *c = &w->cp->chunks[b];

	if (t == T_CHUNK_READ) {
		on_chunk_read(w, j, idx, b, res);
		return;
	}
	if (res == -ECANCELED && !j->err &&
	    !ucp_run_stopping(w->run)) /* (see punt_cancelled) */
		res = punt_cancelled(ucp_fault_pwrite(
			j->dfd, buf_at(w, (int)b) + c->done, c->len - c->done,
			(off_t)(c->off + c->done)));
	if (again_ok(w, c, res)) {
		/* Transient: write the rest again. */
		chunk_write_rest(w, j, idx, b);
		return;
	}
	if (res < 0) {
		/* (A stop: the copy is incomplete, as on_chunk_read leaves it.)
		 */
		if (res != -ECANCELED && !stopped_transient(w, res))
			big_fail(w, j, UCP_OP_WRITE, res);
		j->next = UCP_MIN(j->next, c->off);
		chunk_end(w, j, b);
		return;
	}
	c->done += (unsigned)res;
	ucp_count(&w->cnt.bytes_done, (uint64_t)res);
	if (res == 0) {
		big_fail(w, j, UCP_OP_WRITE, -ENOSPC);
		chunk_end(w, j, b);
	} else if (c->done < c->len) {
		chunk_write_rest(w, j, idx, b);
	} else {
		chunk_written(w, j, b);
	}
}

/* When a big file has nothing in flight: issue more or finish it. */
static void big_service(struct ucp_worker *w, struct job *j, unsigned idx)
{
	bool stopping = ucp_run_stopping(w->run);

	struct stat now;
	bool changed;

	big_issue(w, j, idx);
	if (j->chunks > 0 || (j->next < j->end && !j->err && !stopping))
		return;
	/* Shorter than statx said, or written to meanwhile: mixed data. */
	changed = j->end < j->size || ucp_fault(UCP_FAULT_CHANGED) != 0 ||
		  (fstat(j->sfd, &now) == 0 &&
		   ((uint64_t)now.st_size != j->stx.stx_size ||
		    now.st_ctim.tv_sec != j->stx.stx_ctime.tv_sec ||
		    now.st_ctim.tv_nsec != (long)j->stx.stx_ctime.tv_nsec));
	if (j->err || j->next < j->end || changed) {
		(void)close(j->sfd);
		if (ucp_fault_close(j->dfd) < 0 && !j->err)
			big_fail(w, j, UCP_OP_CLOSE, -errno);
		j->sfd = j->dfd = -1;
	}
	if (j->err || j->next < j->end) {
		/* Failed or interrupted: remove the partial copy. */
		(void)unlinkat(j->d->dst_fd, j->dname, 0);
	} else if (changed) {
		/*
		 * Copy it again with syscalls, which look at the file again
		 * after their copy, copy once more if it changed, and report
		 * one that keeps changing (--sync then keeps its old copy).
		 */
		(void)unlinkat(j->d->dst_fd, j->dname, 0);
		redo_plain(w, j, false);
	} else {
		file_done(w, j); /* (closes dfd; job_end sfd) */
	}
	job_end(w, j);
}

/*
 * While the worker handles job j, w->handed says whether j was handed over
 * by another worker (for --debug, and not to hand it again). Returns what
 * it said before, for the caller to restore.
 */
static bool job_enter(struct ucp_worker *w, const struct job *j)
{
	bool was = w->handed;

	w->handed = j->handed;
	return was;
}

static void on_cqe(void *arg, uint64_t user_data, int res)
{
	struct ucp_worker *w = arg;
	unsigned idx = ud_job(user_data);
	enum tag t = (enum tag)(user_data & 0xff);
	struct job *j;
	bool was;

	w->cp->expect--;
	if (t == T_CANCEL) {
		w->cp->cancelling = false;
		return;
	}
	if (t == T_STAT) {
		w->cp->stat_res[idx] = res;
		w->cp->stat_left--;
		return;
	}
	j = &w->cp->jobs[idx];
	was = job_enter(w, j);
	switch (t) {
	case T_STATX:
		on_statx(w, j, idx, res);
		break;
	case T_CHUNK_READ:
	case T_CHUNK_WRITE:
		on_chunk(w, j, idx, ud_buf(user_data), t, res);
		break;
	default:
		on_chain(w, j, t, res);
		break;
	}
	w->handed = was;
}

/*
 * The ring itself failed (io_uring_enter refused, -err): nothing in
 * flight will complete. Said once; the run stops, and every job ends
 * here, or the worker would wait for it forever. A big file's partial
 * copy and a temporary are removed (ucp made them); a chain's file may
 * be left partial under its name, as after a crash (whether its open ran
 * is not known, and without it the name is another's): each file in
 * flight is named, so that none is taken for a whole copy unawares.
 */
static void ring_failed(struct ucp_worker *w, int err)
{
	struct ucp_copier *cp = w->cp;
	struct ucp_error e = {
		.op = UCP_OP_RING, .err = err, .path = NULL, .fatal = true
	};
	unsigned i;

	cp->dead = true;
	atomic_store(&w->run->stop, true);
	atomic_fetch_or(&w->run->status, UCP_RUN_FATAL);
	/* (Once a run: every worker's ring may fail alike, at once.) */
	if (w->run->ev->error && !atomic_exchange(&w->run->told_dead, true))
		w->run->ev->error(w->run->ev->arg, &e);
	for (i = 0; i < cp->njobs; i++) {
		struct job *j = &cp->jobs[i];

		if (j->state == JOB_FREE)
			continue;
		if (j->state == JOB_BIG) {
			(void)close(j->sfd);
			(void)close(j->dfd);
			j->sfd = j->dfd = -1;
		}
		/* (Also a chain's copy the worker made itself: it is ours.) */
		if (j->state == JOB_BIG ||
		    (j->state == JOB_CHAIN && (j->via_tmp || j->dfd >= 0)))
			(void)unlinkat(j->d->dst_fd, j->dname, 0);
		if (j->state == JOB_BIG || j->state == JOB_CHAIN)
			ucp_report(w, j->d, final_name(j), true, UCP_OP_WRITE,
				   err);
		job_end(w, j);
	}
	cp->expect = 0;
}

/*
 * Submit, wait for wait_nr completions or a tick, and handle what came.
 * Returns false when the ring itself failed: the run is then stopped.
 */
/*
 * A stopped run does not wait for requests that may never end: a read, or
 * an open, of a FIFO put in a file's place meanwhile waits for a writer
 * (in a directory only the run's user may change, the ring opens files
 * by name, without O_NONBLOCK, which would make its reads of a regular
 * file fail where its pages are not in memory). So once the run stops,
 * what is in flight is cancelled, and again whenever requests were queued
 * after the last cancel (a file's statx that completes after the stop
 * ends its job, but a shortcut's chain may still follow), one cancel at
 * a time; their completions come back -ECANCELED, and nothing is redone.
 * (Linux 5.19: before it a cancel fails, and they are waited for.)
 */
static void cancel_in_flight(struct ucp_worker *w)
{
	struct ucp_copier *cp = w->cp;
	struct ucp_ring_op op = { .kind = UCP_RING_CANCEL_ALL,
				  .user_data = ud(0, 0, T_CANCEL) };

	/*
	 * (Not again for the same requests: one that cannot be cancelled,
	 * running, or on a kernel without the cancel, is waited for, not
	 * spun on.)
	 */
	if (cp->cancelling || cp->cancelled_all || cp->expect == 0 ||
	    !ucp_run_stopping(w->run))
		return;
	if (ucp_ring_queue(cp->ring, &op, 1) == 0) {
		cp->expect++;
		cp->cancelling = true;
		cp->cancelled_all = true;
	}
}

static bool poll_ring(struct ucp_worker *w, unsigned wait_nr)
{
	struct ucp_copier *cp = w->cp;
	unsigned i;
	bool again;
	int ret;

	if (!cp->ring || cp->dead)
		return !cp->dead; /* (no ring: nothing was ever queued) */
	cancel_in_flight(w);
	ret = ucp_ring_submit_wait(cp->ring, wait_nr, TICK_MS);
	/*
	 * A refusal for the moment (EAGAIN: memory; EINTR, EBUSY) is tried
	 * again, a millisecond apart from the second in a row on; a ring the
	 * kernel refuses on and on is taken for failed, at once when the run
	 * stops (the stop's cancel cannot go in: the run would never end),
	 * else after some ten seconds.
	 */
	again = ret == -EINTR || ret == -EAGAIN || ret == -EBUSY;
	cp->refused = again ? cp->refused + 1 : 0;
	if (again && cp->refused < (ucp_run_stopping(w->run) ? 100u : 10000u)) {
		if (cp->refused > 1)
			(void)nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	} else if (ret < 0 && ret != -ETIME) {
		ring_failed(w, -ret);
		return false;
	}
	ucp_ring_reap(cp->ring, on_cqe, w);
	for (i = 0; i < cp->njobs; i++)
		if (cp->jobs[i].state == JOB_BIG) {
			bool was = job_enter(w, &cp->jobs[i]);

			big_service(w, &cp->jobs[i], i);
			w->handed = was;
		}
	return true;
}

void ucp_copy_poll(struct ucp_worker *w)
{
	/*
	 * Wait for half of what is due, not for one completion: each enter
	 * then reaps a batch, which keeps syscalls per file far below one.
	 */
	(void)poll_ring(w, UCP_MAX(1u, w->cp->expect / 2));
}

/* Queue the statx of request q (index i) on the ring; false if it cannot. */
static bool queue_stat(struct ucp_copier *cp, const struct ucp_stat_req *q,
		       unsigned i)
{
	struct ucp_ring_op op = {
		.kind = UCP_RING_STATX,
		.fd = q->dirfd,
		.path = q->name,
		.flags = q->flags,
		.mode = STATX_BASIC_STATS,
		.buf = &cp->stx[i],
		.user_data = ud(i, 0, T_STAT),
	};

	return ucp_ring_queue(cp->ring, &op, 1) == 0;
}

/* Stat request q with a syscall. */
static void stat_here(struct ucp_stat_req *q)
{
	q->err = fstatat(q->dirfd, q->name, q->st, q->flags) < 0 ? errno : 0;
}

void ucp_copy_stat(struct ucp_worker *w, struct ucp_stat_req *reqs, unsigned n)
{
	struct ucp_copier *cp;
	bool failed = false;
	unsigned i;

	if (!ring_up(w) || w->cp->dead) {
		for (i = 0; i < n; i++)
			stat_here(&reqs[i]);
		return;
	}
	cp = w->cp;
	for (i = 0; i < n; i++) {
		struct ucp_stat_req *q = &reqs[i];

		if (q->here || i >= UCP_COPY_STAT_MAX ||
		    !queue_stat(cp, q, i)) {
			/* (Stat'ed below, the plain way.) */
			q->here = true;
			continue;
		}
		cp->stat_res[i] = 1; /* not back yet */
		cp->expect++;
		cp->stat_left++;
	}
	if (cp->stat_left > 0 && ucp_ring_submit(cp->ring) < 0)
		failed = !poll_ring(w, cp->stat_left);
	for (i = 0; i < n; i++)
		if (reqs[i].here)
			stat_here(&reqs[i]);
	while (cp->stat_left > 0 && !failed)
		failed = !poll_ring(w, cp->stat_left);
	for (i = 0; i < n; i++) {
		struct ucp_stat_req *q = &reqs[i];

		if (q->here)
			continue;
		if (cp->stat_res[i] > 0 || not_done(cp->stat_res[i])) {
			/* The ring failed, and the run stops, or the kernel
			 * cancelled it (punt_cancelled): stat'ed here
			 * instead. */
			stat_here(q);
		} else {
			q->err = -cp->stat_res[i];
			if (q->err == 0)
				stx_to_stat(&cp->stx[i], q->st);
		}
	}
}

const struct ucp_engine_ops ucp_copy_engine = {
	.init = ucp_copy_init,
	.can_admit = ucp_copy_can_admit,
	.inflight = ucp_copy_inflight,
	.poll = ucp_copy_poll,
	.free = ucp_copy_free,
};
