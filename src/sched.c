/* SPDX-License-Identifier: MIT */
/*
 * sched.c: worker threads, directory deques, per-entry dispatch, and the
 * error reporting every module goes through.
 *
 * A worker's loop:
 *   1. admit work while its engine has room: take a directory (own deque
 *      first, then steal), read entries with getdents64 and dispatch them;
 *   2. if it has I/O in flight, let the engine submit, wait one tick and
 *      reap; otherwise block until a directory is queued or the run ends.
 * Subdirectories are created (mkdirat) by the worker that takes them, with
 * owner rwx added so their children can be written; their final mode is set
 * on post-order, when the last reference to the node goes (walk.c).
 */
#include "sched.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"
#include "copy.h"
#include "meta.h"
#include "plain.h"
#include "sync.h"
#include "util.h"

bool ucp_run_stopping(const struct ucp_run *run)
{
	return *run->cancel ||
	       atomic_load_explicit(&run->stop, memory_order_relaxed);
}

/* ---- reporting ---------------------------------------------------- */

static bool is_warning(enum ucp_op op, int err)
{
	/* A destination without xattr support loses them, but keeps data. */
	return op == UCP_OP_CHANGED || op == UCP_OP_SKIP_SOCKET ||
	       (op == UCP_OP_XATTR && err == ENOTSUP);
}

/* A source that disappeared between the directory read and its use. */
static bool is_vanished(enum ucp_op op, int err, bool dst)
{
	return err == ENOENT && !dst &&
	       (op == UCP_OP_OPEN || op == UCP_OP_OPENDIR ||
		op == UCP_OP_STAT || op == UCP_OP_READLINK);
}

static void emit(struct ucp_worker *w, struct ucp_error *e, bool vanished)
{
	struct ucp_run *run = w->run;

	e->warning = is_warning(e->op, e->err);
	/* A full disk will not get emptier: stop, drain, clean up. */
	e->fatal = e->err == ENOSPC || e->err == EDQUOT;
	if (!e->warning) {
		int bit = e->fatal   ? UCP_RUN_FATAL
			  : vanished ? UCP_RUN_VANISHED
				     : UCP_RUN_PARTIAL;

		atomic_fetch_or(&run->status, bit);
		ucp_count(&w->cnt.errors, 1);
	}
	if (e->fatal)
		atomic_store(&run->stop, true);
	if (run->ev->error)
		run->ev->error(run->ev->arg, e);
}

void ucp_report(struct ucp_worker *w, struct ucp_dir *d, const char *leaf,
		bool dst, enum ucp_op op, int err)
{
	char *path = ucp_dir_path(d, dst, leaf);
	struct ucp_error e = { .op = op,
			       .err = err,
			       .path = path ? path : "?" };

	emit(w, &e, is_vanished(op, err, dst));
	free(path);
}

void ucp_report2(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		 const char *dname, enum ucp_op op)
{
	char *src = ucp_dir_path(d, false, sname);
	char *dst = ucp_dir_path(d, true, dname);
	struct ucp_error e = { .op = op,
			       .path = src ? src : "?",
			       .path2 = dst ? dst : "?" };

	emit(w, &e, false);
	free(src);
	free(dst);
}

void ucp_report2_dst(struct ucp_worker *w, struct ucp_dir *d, const char *a,
		     const char *b, enum ucp_op op, int err)
{
	char *pa = ucp_dir_path(d, true, a);
	char *pb = ucp_dir_path(d, true, b);
	struct ucp_error e = { .op = op,
			       .err = err,
			       .path = pa ? pa : "?",
			       .path2 = pb ? pb : "?" };

	emit(w, &e, false);
	free(pa);
	free(pb);
}

void ucp_report_copied(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname)
{
	const struct ucp_run *run = w->run;
	const char *how = run->cfg->debug ? (w->how ? w->how : "copied") : NULL;
	char *src, *dst;

	w->how = NULL;
	if (!run->cfg->verbose || !run->ev->copied)
		return;
	src = ucp_dir_path(d, false, sname);
	dst = ucp_dir_path(d, true, dname);
	if (src && dst)
		run->ev->copied(run->ev->arg, src, dst, how);
	free(src);
	free(dst);
}

/* ---- directory nodes ---------------------------------------------- */

/*
 * Post-order: the last child is done, so mode and times can be made final
 * (creating children changed the directory's mtime, and a read-only mode
 * would have stopped them being created).
 */
static void finalize_dir(struct ucp_dir *d, void *arg)
{
	struct ucp_worker *w = arg;
	unsigned what = w->run->cfg->preserve;
	enum ucp_op op = UCP_OP_CHMOD;
	struct ucp_xattrs x;
	int ret;

	if (d->pseudo || d->dst_fd < 0)
		return;
	/* An existing directory of a mirror: only what differs changes. */
	if (w->run->sync && !d->created) {
		ucp_sync_finalize_dir(w, d);
		return;
	}
	if (w->run->cfg->sync.fsync && d->dirty && fsync(d->dst_fd) < 0)
		ucp_report(w, d, NULL, true, UCP_OP_WRITE, errno);
	if (d->fix_mode && !(what & UCP_PRESERVE_MODE) &&
	    fchmod(d->dst_fd, d->final_mode) < 0)
		ucp_report(w, d, NULL, true, UCP_OP_CHMOD, errno);
	if (!what)
		return;
	/*
	 * Through the directory's own descriptor: whatever took its name
	 * since (a symlink to elsewhere), the mode goes where the children
	 * went.
	 */
	x.buf = d->xattr_buf;
	x.len = d->xattr_len;
	ret = ucp_meta_apply_fd(d->dst_fd, &d->sst, what | UCP_META_FORCE_MODE,
				&w->run->meta, &x, &op);
	if (ret < 0)
		ucp_report(w, d, NULL, true, op, -ret);
}

void ucp_sched_put_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	ucp_dir_put(d, finalize_dir, w);
}

/* ---- deques ------------------------------------------------------- */

static void wake_all(struct ucp_run *run)
{
	pthread_mutex_lock(&run->lock);
	pthread_cond_broadcast(&run->cond);
	pthread_mutex_unlock(&run->lock);
}

/*
 * A task was queued: wake idle workers, if any. A worker counts itself in
 * sleepers before it checks queued, and a pusher adds to queued before it
 * checks sleepers, so one of the two always sees the other (and the
 * broadcast waits for the lock the sleeper holds until it waits).
 */
static void wake_sleepers(struct ucp_run *run)
{
	if (atomic_load(&run->sleepers) > 0)
		wake_all(run);
}

void ucp_sched_push(struct ucp_worker *w, struct ucp_dir *d)
{
	struct ucp_run *run = w->run;
	struct ucp_deque *q = &w->dq;

	atomic_fetch_add(&run->pending, 1);
	pthread_mutex_lock(&q->lock);
	d->qprev = NULL;
	d->qnext = q->head;
	if (q->head)
		q->head->qprev = d;
	else
		q->tail = d;
	q->head = d;
	pthread_mutex_unlock(&q->lock);
	atomic_fetch_add(&run->queued, 1);
	if (run->nworkers > 1)
		wake_sleepers(run);
}

static struct ucp_dir *deque_take(struct ucp_deque *q, bool from_head)
{
	struct ucp_dir *d;

	pthread_mutex_lock(&q->lock);
	d = from_head ? q->head : q->tail;
	if (d) {
		if (d->qprev)
			d->qprev->qnext = d->qnext;
		else
			q->head = d->qnext;
		if (d->qnext)
			d->qnext->qprev = d->qprev;
		else
			q->tail = d->qprev;
		d->qprev = d->qnext = NULL;
	}
	pthread_mutex_unlock(&q->lock);
	return d;
}

static struct ucp_dir *try_take(struct ucp_worker *w)
{
	struct ucp_run *run = w->run;
	struct ucp_dir *d;
	unsigned i;

	if (atomic_load_explicit(&run->queued, memory_order_relaxed) == 0)
		return NULL;
	d = deque_take(&w->dq, true);
	/* Steal the oldest (shallowest, largest) task of another worker. */
	for (i = 1; !d && i < run->nworkers; i++)
		d = deque_take(&run->workers[(w->id + i) % run->nworkers].dq,
			       false);
	if (d)
		atomic_fetch_sub(&run->queued, 1);
	return d;
}

/* Block until a task is available; NULL when the whole run is done. */
static struct ucp_dir *wait_take(struct ucp_worker *w)
{
	struct ucp_run *run = w->run;

	for (;;) {
		struct ucp_dir *d = try_take(w);
		bool done;

		if (d)
			return d;
		pthread_mutex_lock(&run->lock);
		atomic_fetch_add(&run->sleepers, 1);
		while (atomic_load(&run->queued) == 0 &&
		       atomic_load(&run->pending) > 0) {
			struct timespec ts;

			/* A backstop only: pushes and the end broadcast. */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 50 * 1000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&run->cond, &run->lock, &ts);
		}
		atomic_fetch_sub(&run->sleepers, 1);
		done = atomic_load(&run->pending) == 0;
		pthread_mutex_unlock(&run->lock);
		if (done)
			return NULL;
	}
}

static void task_done(struct ucp_worker *w)
{
	if (atomic_fetch_sub(&w->run->pending, 1) == 1)
		wake_all(w->run);
}

/* Drop a task without scanning it (errors, or the run is stopping). */
static void abandon_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	if (!d->opened && d->parent)
		ucp_dir_src_put(d->parent);
	d->opened = true;
	ucp_sched_put_dir(w, d);
	task_done(w);
}

static void finish_scan(struct ucp_worker *w)
{
	struct ucp_dir *d = w->cur;

	w->cur = NULL;
	if (w->run->sync)
		ucp_sync_dir_scanned(w, d);
	/* A pseudo task holds a file operand, not a directory of its own. */
	if (!d->pseudo) {
		ucp_count(&w->cnt.dirs_done, 1);
		ucp_dir_src_put(d);
	}
	ucp_sched_put_dir(w, d);
	task_done(w);
}

/* Create the destination twin of child d; 0, or -1 when it cannot be. */
static int make_dst_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	struct ucp_dir *p = d->parent;
	bool dry = w->run->cfg->sync.dry_run;
	struct stat st;
	int ret;

	if (dry) {
		/* --dry-run: a missing directory stays missing (dst_fd -1). */
		if (p->dst_fd >= 0 &&
		    fstatat(p->dst_fd, d->name, &st, AT_SYMLINK_NOFOLLOW) ==
			    0 &&
		    S_ISDIR(st.st_mode)) {
			d->scan_dst = ucp_sync_must_list(w->run, d, &st);
			goto open;
		}
		d->created = true;
		ucp_sync_dir_created(w, d);
		return 0;
	}
	/*
	 * A mirror's directories exist mostly: look before trying mkdir
	 * (which locks the parent), and keep what the look found.
	 */
	if (w->run->sync &&
	    fstatat(p->dst_fd, d->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode)) {
		d->scan_dst = ucp_sync_must_list(w->run, d, &st);
		goto open;
	}
	ret = ucp_plain_mkdir(w->run, p->dst_fd, d->name, d);
	if (ret == -EEXIST && w->run->sync &&
	    fstatat(p->dst_fd, d->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISDIR(st.st_mode) && unlinkat(p->dst_fd, d->name, 0) == 0)
		/* A mirror replaces a file in the way of a directory. */
		ret = ucp_plain_mkdir(w->run, p->dst_fd, d->name, d);
	if (ret == 0) {
		d->created = true;
		p->dirty = true;
		w->how = "directory created";
		ucp_report_copied(w, p, d->name, d->name);
		if (w->run->sync)
			ucp_sync_dir_created(w, d);
	} else if (ret != -EEXIST) {
		ucp_report(w, p, d->name, true, UCP_OP_MKDIR, -ret);
		return -1;
	} else if (fstatat(p->dst_fd, d->name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		   !S_ISDIR(st.st_mode)) {
		ucp_report2(w, p, d->name, d->name, UCP_OP_DIR_OVER_NONDIR);
		return -1;
	} else {
		/* (A directory that appeared after the look: list it.) */
		d->scan_dst = w->run->sync != NULL;
	}
open:
	d->dst_fd = openat(p->dst_fd, d->name,
			   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->dst_fd < 0) {
		ucp_report(w, p, d->name, true, UCP_OP_OPENDIR, errno);
		return -1;
	}
	return 0;
}

/* Keep a directory's xattrs until post-order, when its source is closed. */
static void load_dir_xattrs(struct ucp_worker *w, struct ucp_dir *d)
{
	struct ucp_xattrs x;
	int ret = ucp_xattrs_load_fd(d->src_fd, &x);
	if (ret < 0) {
		ucp_report(w, d, NULL, false, UCP_OP_XATTR, -ret);
		return;
	}
	d->xattr_buf = x.buf;
	d->xattr_len = x.len;
}

/* Open a taken task for scanning; on failure it is reported and dropped. */
static void start_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	if (d->parent && !d->opened) {
		int ok = make_dst_dir(w, d);

		if (ok == 0 && d->no_scan) {
			ucp_dir_src_put(d->parent);
			d->opened = true;
			abandon_dir(w, d);
			return;
		}
		if (ok == 0) {
			d->src_fd =
				openat(d->parent->src_fd, d->name,
				       O_RDONLY | O_DIRECTORY | O_CLOEXEC |
					       (d->follow ? 0 : O_NOFOLLOW));
			if (d->src_fd < 0) {
				ucp_report(w, d->parent, d->name, false,
					   UCP_OP_OPENDIR, errno);
				ok = -1;
			}
		}
		/* The child holds its own descriptors from here on. */
		ucp_dir_src_put(d->parent);
		d->opened = true;
		if (ok < 0) {
			abandon_dir(w, d);
			return;
		}
	}
	d->opened = true;
	if ((w->run->cfg->preserve & UCP_META_XATTRS) && !d->pseudo)
		load_dir_xattrs(w, d);
	if (w->run->sync)
		ucp_sync_dir_start(w, d);
	w->cur = d;
	w->cur_done = false;
	if (!d->pseudo) {
		ucp_dir_src_get(d);
		ucp_dirents_init(w->ents, d->src_fd);
	}
}

/* ---- entries ------------------------------------------------------ */

/* Whether directory st is d or one of d's ancestors. */
static bool is_ancestor(const struct ucp_dir *d, const struct stat *st)
{
	for (; d; d = d->parent)
		if (d->sst.st_dev == st->st_dev && d->sst.st_ino == st->st_ino)
			return true;
	return false;
}

void ucp_sched_queue_child(struct ucp_worker *w, struct ucp_dir *d,
			   const char *name, const struct stat *st)
{
	struct ucp_dir *c;

	if (d->follow && is_ancestor(d, st)) {
		/* -L: a symlink back up the tree would never end. */
		ucp_report(w, d, name, false, UCP_OP_OPENDIR, ELOOP);
		return;
	}
	c = ucp_dir_new_child(d, name, st->st_mode);
	if (!c) {
		ucp_report(w, d, name, false, UCP_OP_OPENDIR, ENOMEM);
		return;
	}
	c->sst = *st;
	c->follow = d->follow;
	c->root_dev = d->root_dev;
	/* -x: the mount point itself is copied, empty, as cp does. */
	c->no_scan = w->run->cfg->one_file_system && st->st_dev != d->root_dev;
	ucp_sched_push(w, c);
}

void ucp_sched_entry_st(struct ucp_worker *w, struct ucp_dir *d,
			const char *sname, const char *dname,
			const struct stat *st)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFDIR:
		if (!w->run->cfg->recursive)
			ucp_report(w, d, sname, false, UCP_OP_OMIT_DIR, 0);
		else
			ucp_sched_queue_child(w, d, sname, st);
		break;
	case S_IFREG:
		ucp_count(&w->cnt.files_found, 1);
		if (w->run->cfg->hard_link) {
			(void)ucp_plain_hardlink(w, d, sname, dname);
		} else if (w->run->cfg->symbolic_link) {
			(void)ucp_plain_symlink_to(w, d, sname, dname, st);
		} else if (w->run->cfg->attributes_only) {
			(void)ucp_plain_attrs_only(w, d, sname, dname, st);
		} else if (w->cp) {
			ucp_copy_file(w, d, sname, dname);
		} else {
			ucp_count(&w->cnt.bytes_found, (uint64_t)st->st_size);
			(void)ucp_plain_file(w, d, sname, dname, st);
		}
		break;
	case S_IFLNK:
		ucp_count(&w->cnt.files_found, 1);
		if (w->run->cfg->symbolic_link)
			(void)ucp_plain_symlink_to(w, d, sname, dname, st);
		else
			(void)ucp_plain_symlink(w, d, sname, dname, st);
		break;
	default:
		ucp_count(&w->cnt.files_found, 1);
		if (w->run->cfg->symbolic_link && !S_ISSOCK(st->st_mode))
			(void)ucp_plain_symlink_to(w, d, sname, dname, st);
		else
			(void)ucp_plain_special(w, d, sname, dname, st);
		break;
	}
}

void ucp_sched_entry(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		     const char *dname, unsigned char type)
{
	int flags = d->follow ? 0 : AT_SYMLINK_NOFOLLOW;
	struct stat st;

	if (w->run->sync) {
		ucp_sync_entry(w, d, sname, type);
		return;
	}

	/*
	 * Regular files need no stat here: the engine gets size and mode
	 * (except for -s and --attributes-only, which take the slow path).
	 */
	if (type == DT_REG && !w->run->cfg->symbolic_link &&
	    !w->run->cfg->attributes_only) {
		ucp_count(&w->cnt.files_found, 1);
		if (w->run->cfg->hard_link)
			(void)ucp_plain_hardlink(w, d, sname, dname);
		else if (w->cp)
			ucp_copy_file(w, d, sname, dname);
		else
			(void)ucp_plain_file(w, d, sname, dname, NULL);
		return;
	}
	if (fstatat(d->src_fd, sname, &st, flags) < 0) {
		ucp_report(w, d, sname, false, UCP_OP_STAT, errno);
		return;
	}
	ucp_sched_entry_st(w, d, sname, dname, &st);
}

/* Hand out the next entry of the current directory; false at its end. */
static bool next_entry(struct ucp_worker *w)
{
	struct ucp_dir *d = w->cur;
	const char *name;
	unsigned char type;
	int ret;

	if (d->pseudo) {
		if (w->cur_done)
			return false;
		w->cur_done = true;
		/* Operands were stat'ed by the caller; the type may follow. */
		ucp_sched_entry(w, d, d->only_src, d->only_dst, DT_UNKNOWN);
		return true;
	}
	if (w->run->sync)
		return ucp_sync_next(w, d);
	ret = ucp_dirents_next(w->ents, &name, &type);
	if (ret < 0)
		ucp_report(w, d, NULL, false, UCP_OP_READDIR, -ret);
	if (ret <= 0)
		return false;
	ucp_sched_entry(w, d, name, name, type);
	return true;
}

/* Admit work while the engine has room. */
static void fill(struct ucp_worker *w)
{
	while (!w->cp || w->run->engine->can_admit(w)) {
		if (ucp_run_stopping(w->run))
			return;
		if (!w->cur) {
			struct ucp_dir *d = try_take(w);

			if (!d)
				return;
			start_dir(w, d);
			continue;
		}
		if (!next_entry(w))
			finish_scan(w);
	}
}

static void worker_loop(struct ucp_worker *w)
{
	struct ucp_run *run = w->run;

	for (;;) {
		bool stopping = ucp_run_stopping(run);
		struct ucp_dir *d;

		if (stopping && w->cur)
			finish_scan(w);
		if (!stopping)
			fill(w);
		if (w->cp && run->engine->inflight(w) > 0) {
			run->engine->poll(w);
			while (stopping && (d = try_take(w)))
				abandon_dir(w, d);
			continue;
		}
		if (w->cur)
			continue;
		d = wait_take(w);
		if (!d)
			break;
		if (ucp_run_stopping(run))
			abandon_dir(w, d);
		else
			start_dir(w, d);
	}
}

static void *worker_main(void *arg)
{
	struct ucp_worker *w = arg;
	struct ucp_run *run = w->run;

	if (run->engine)
		(void)run->engine->init(w); /* on failure: plain syscalls */
	/* --engine=uring asks for the ring: no shortcut for cached files. */
	w->no_cached = run->cfg->engine == UCP_ENGINE_URING;
	worker_loop(w);
	if (run->engine)
		run->engine->free(w);
	pthread_mutex_lock(&run->lock);
	run->exited++;
	pthread_cond_broadcast(&run->ended);
	pthread_mutex_unlock(&run->lock);
	return NULL;
}

static void tick_wait(struct ucp_run *run)
{
	unsigned ms = run->cfg->tick_ms ? run->cfg->tick_ms : 100;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	/* (Its own condition: pushes and task ends do not wake it.) */
	pthread_cond_timedwait(&run->ended, &run->lock, &ts);
}

int ucp_sched_run(struct ucp_run *run)
{
	sigset_t all, old;
	unsigned i, started = 0;
	int ret = 0;

	/* Signals are the main thread's business; workers only poll a flag. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < run->nworkers; i++) {
		ret = -pthread_create(&run->workers[i].thread, NULL,
				      worker_main, &run->workers[i]);
		if (ret < 0)
			break;
		started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (started == 0)
		return ret;
	pthread_mutex_lock(&run->lock);
	while (run->exited < started) {
		tick_wait(run);
		if (run->ev->tick) {
			pthread_mutex_unlock(&run->lock);
			run->ev->tick(run->ev->arg);
			pthread_mutex_lock(&run->lock);
		}
	}
	pthread_mutex_unlock(&run->lock);
	for (i = 0; i < started; i++)
		pthread_join(run->workers[i].thread, NULL);
	return 0;
}
