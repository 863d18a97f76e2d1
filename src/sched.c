/* SPDX-License-Identifier: MIT */
/*
 * sched.c: worker threads, directory deques, work stealing, the end of a
 * run, and the error reporting every module goes through.
 *
 * A worker's loop:
 *   1. admit work while its engine has room: take a directory (own deque
 *      first, then steal), have the mode open it (run->mode->open_dir),
 *      read its entries with getdents64 (or the mode's own next) and hand
 *      each to the mode (run->mode->entry);
 *   2. if it has I/O in flight, let the engine submit, wait one tick and
 *      reap (run->engine); otherwise block until a directory is queued or
 *      the run ends.
 * When the last reference to a directory node goes (walk.c), the mode
 * finalises it (run->mode->finalize_dir). Creating destination
 * directories and dispatching entries to the engines is tree.c's (cp mode)
 * and sync.c's (sync mode) business.
 */
#include "sched.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "banned.h"
#include "path.h"
#include "status.h"
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
	return op == UCP_OP_SKIP_SOCKET || op == UCP_OP_SKIP_DEVICE ||
	       (op == UCP_OP_XATTR && err == ENOTSUP);
}

/*
 * A source that disappeared between the directory read and its use, also a
 * directory removed while it was being read (getdents says ENOENT) or an
 * entry gone between its stat and its xattr list.
 */
static bool is_vanished(enum ucp_op op, int err, bool dst)
{
	return err == ENOENT && !dst &&
	       (op == UCP_OP_OPEN || op == UCP_OP_OPENDIR ||
		op == UCP_OP_READDIR || op == UCP_OP_STAT ||
		op == UCP_OP_READLINK || op == UCP_OP_XATTR);
}

static void emit(struct ucp_worker *w, struct ucp_error *e, bool vanished)
{
	struct ucp_run *run = w->run;

	e->warning = is_warning(e->op, e->err);
	/* (Not named: once a run, for the first file; see meta.h.) */
	if (e->warning && e->op == UCP_OP_XATTR && !run->meta.xattr_strict)
		e->msg = UCP_XATTR_NOSUP_ONCE;
	/* A full disk will not get emptier: stop, drain, clean up. */
	e->fatal = ucp_disk_full(e->op, e->err);
	/*
	 * Said once, by the file that met it first: the files in flight
	 * that meet it after (a ring's worth) are what the run's last line
	 * says was left out.
	 */
	if (e->fatal && atomic_exchange(&run->full_said, true)) {
		atomic_fetch_or(&run->status, UCP_RUN_FATAL);
		return;
	}
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

static void report_at(struct ucp_worker *w, struct ucp_dir *d, const char *leaf,
		      bool dst, enum ucp_op op, int err, bool vanished,
		      const char *attr)
{
	char *path = ucp_dir_path(d, dst, leaf);
	struct ucp_error e = {
		.op = op, .err = err, .path = path ? path : "?", .attr = attr
	};

	emit(w, &e, vanished);
	free(path);
}

void ucp_report(struct ucp_worker *w, struct ucp_dir *d, const char *leaf,
		bool dst, enum ucp_op op, int err)
{
	/*
	 * --sync: a source file replaced while it was copied (an editor's
	 * or a package manager's atomic save) is one that vanished, as
	 * rsync counts it (exit 24): the deletions still go, and the next
	 * run copies the new one. (cp mode: an error, as with cp; and a
	 * mirror's file replaced under the run, too.)
	 */
	bool vanished = is_vanished(op, err, dst) ||
			(op == UCP_OP_REPLACED && w->run->sync && !dst);

	report_at(w, d, leaf, dst, op, err, vanished, NULL);
}

void ucp_report_meta(struct ucp_worker *w, struct ucp_dir *d, const char *leaf,
		     enum ucp_op op, int ret, const struct ucp_xattrs *x)
{
	report_at(w, d, leaf, true, op, -ret, false,
		  op == UCP_OP_XATTR && x ? x->failed : NULL);
}

void ucp_report_link(struct ucp_worker *w, struct ucp_dir *d, const char *dname,
		     const char *target, const char *sname, int err)
{
	char *path = ucp_dir_path(d, true, dname);
	char *src = target ? NULL : ucp_dir_path(d, false, sname);
	struct ucp_error e = { .op = UCP_OP_LINK,
			       .err = err,
			       .path = path ? path : "?",
			       .path2 = target ? target : src };

	emit(w, &e, false);
	free(path);
	free(src);
}

void ucp_report_missing(struct ucp_worker *w, struct ucp_dir *d,
			const char *leaf, enum ucp_op op, int err)
{
	report_at(w, d, leaf, false, op, err, false, NULL);
}

void ucp_report_error(struct ucp_worker *w, struct ucp_error *e)
{
	emit(w, e, false);
}

void ucp_report2(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		 const char *dname, enum ucp_op op)
{
	ucp_report2_why(w, d, sname, dname, op, NULL);
}

void ucp_report2_why(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		     const char *dname, enum ucp_op op, const char *why)
{
	char *src = ucp_dir_path(d, false, sname);
	char *dst = ucp_dir_path(d, true, dname);
	struct ucp_error e = { .op = op,
			       .path = src ? src : "?",
			       .path2 = dst ? dst : "?",
			       .msg = why };

	emit(w, &e, false);
	free(src);
	free(dst);
}

static char *backup_path(const struct ucp_dir *d, const char *dst,
			 const char *leaf);

void ucp_report2_dst(struct ucp_worker *w, struct ucp_dir *d, const char *a,
		     const char *b, enum ucp_op op, int err)
{
	char *pa = ucp_dir_path(d, true, a);
	/* (A file operand's path is the operand: b goes beside it.) */
	char *pb = pa ? backup_path(d, pa, b) : NULL;
	struct ucp_error e = { .op = op,
			       .err = err,
			       .path = pa ? pa : "?",
			       .path2 = pb ? pb : "?" };

	emit(w, &e, false);
	free(pa);
	free(pb);
}

/*
 * The path of backup leaf beside dst: in d, or for a file operand (whose
 * paths are the operands as typed) in the directory part of dst.
 */
static char *backup_path(const struct ucp_dir *d, const char *dst,
			 const char *leaf)
{
	const char *slash = strrchr(dst, '/');
	size_t dir = slash ? (size_t)(slash - dst) + 1 : 0;

	if (!d->pseudo)
		return ucp_dir_path(d, true, leaf);
	return ucp_path_join_n(dst, dir, leaf);
}

void ucp_report_copied(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname, const char *way)
{
	const struct ucp_run *run = w->run;
	const char *how = run->cfg->debug ? (way ? way : "copied") : NULL;
	char *src, *dst, *bak = NULL, line[160];

	/* --debug: "how; planner's row", as "copy_file_range; exists,
	 * replaced". */
	if (how && (w->row || w->handed)) {
		(void)snprintf(line, sizeof(line), "%s%s%s%s", how,
			       w->handed ? ", handed over" : "",
			       w->row ? "; " : "", w->row ? w->row : "");
		how = line;
	}
	w->row = NULL;
	if (!run->cfg->verbose || !run->ev->copied) {
		w->backup[0] = '\0';
		return;
	}
	src = ucp_dir_path(d, false, sname);
	dst = ucp_dir_path(d, true, dname);
	if (w->backup[0] && dst)
		bak = backup_path(d, dst, w->backup);
	w->backup[0] = '\0';
	if (src && dst)
		run->ev->copied(run->ev->arg, src, dst, how, bak);
	free(src);
	free(dst);
	free(bak);
}

/* ---- directory nodes ---------------------------------------------- */

/* Post-order: the mode makes the directory's metadata final. */
static void finalize_dir(struct ucp_dir *d, void *arg)
{
	struct ucp_worker *w = arg;

	/* Its descriptor, closed to save descriptors, could not be had back. */
	if (d->dst_err)
		ucp_report(w, d, NULL, true, UCP_OP_OPENDIR, d->dst_err);
	w->run->mode->finalize_dir(w, d);
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

static void task_done(struct ucp_worker *w);

/* ---- big files handed over ------------------------------------------ */

struct ucp_file_task {
	struct ucp_file_task *next;
	struct ucp_dir *d;
	struct stat st; /* (not for a redo) */
	bool redo;	/* an entry to handle anew, as if just read */
	unsigned from;	/* the worker that handed it over, or UINT_MAX */
	char *dname;	/* in names, after sname */
	char names[];
};

#ifdef UCP_TEST_HOOKS
atomic_bool ucp_test_hand_over_wait;

static atomic_uint test_waiters;

static void test_wait_idle(struct ucp_run *run)
{
	const struct timespec ms = { 0, 1000000 };
	int i;

	/* Not when every other worker waits here too. */
	if (atomic_fetch_add(&test_waiters, 1) + 1 >= run->nworkers) {
		atomic_fetch_sub(&test_waiters, 1);
		return;
	}
	/*
	 * (Until one sleeps with no file queued: one handed over a moment
	 * ago would wake it, and the next be refused.)
	 */
	for (i = 0; i < 10000 && atomic_load(&ucp_test_hand_over_wait) &&
		    (atomic_load(&run->sleepers) == 0 ||
		     atomic_load(&run->nfiles) > 0) &&
		    !ucp_run_stopping(run);
	     i++)
		(void)nanosleep(&ms, NULL);
	atomic_fetch_sub(&test_waiters, 1);
}
#else
static void test_wait_idle(struct ucp_run *run)
{
	(void)run;
}
#endif

/*
 * Queue sname of d (dname; st, or NULL for a redo) for the next worker
 * that takes one, other than from; false when out of memory.
 */
static bool queue_file(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname,
		       const struct stat *st, unsigned from)
{
	struct ucp_run *run = w->run;
	size_t slen = strlen(sname) + 1, dlen = strlen(dname) + 1;
	struct ucp_file_task *t, **tail;

	t = malloc(sizeof(*t) + slen + dlen);
	if (!t)
		return false;
	t->next = NULL;
	t->d = d;
	t->redo = !st;
	if (st)
		t->st = *st;
	t->from = from;
	memcpy(t->names, sname, slen);
	t->dname = t->names + slen;
	memcpy(t->dname, dname, dlen);
	ucp_dir_get(d);
	ucp_dir_src_get(d);
	/* The taker counts the entry again. */
	ucp_count(&w->cnt.files_found, (uint64_t)-1);
	atomic_fetch_add(&run->files_open, 1);
	atomic_fetch_add(&run->pending, 1);
	pthread_mutex_lock(&run->files_lock);
	for (tail = &run->files; *tail; tail = &(*tail)->next)
		;
	*tail = t;
	pthread_mutex_unlock(&run->files_lock);
	atomic_fetch_add(&run->nfiles, 1);
	wake_all(run);
	return true;
}

bool ucp_sched_hand_over(struct ucp_worker *w, struct ucp_dir *d,
			 const char *sname, const char *dname,
			 const struct stat *st)
{
	struct ucp_run *run = w->run;

	/*
	 * Only whole-file copies into a new file: cp mode's, and sync mode's
	 * of a file with no twin, which the taker's entry_st copies anew from
	 * the stat (sync mode asks for no other: of a file with a twin it has
	 * decided more than a stat says); never twice. (A redo by the owner
	 * of a link group, ucp_plain_file_owned, does not ask.)
	 */
	if (run->nworkers < 2 || w->handed || d->pseudo ||
	    !S_ISREG(st->st_mode) || st->st_size < (off_t)UCP_HAND_OVER_MIN)
		return false;
	test_wait_idle(run);
	/*
	 * To a worker that waits for work or, when none does yet, into a
	 * queue of fewer files than the other workers: the next to finish
	 * takes it (the finder too, once idle). Without that, a worker
	 * still starting, or busy for a moment, misses the directory's big
	 * files while the finder copies them one after another.
	 */
	if (ucp_run_stopping(run) ||
	    (atomic_load_explicit(&run->sleepers, memory_order_relaxed) == 0 &&
	     atomic_load_explicit(&run->nfiles, memory_order_relaxed) >=
		     (long)run->nworkers - 1))
		return false;
	return queue_file(w, d, sname, dname, st, w->id);
}

bool ucp_sched_redo(struct ucp_worker *w, struct ucp_dir *d, const char *sname,
		    const char *dname)
{
	return queue_file(w, d, sname, dname, NULL, UINT_MAX);
}

/*
 * Copy one handed-over file, if one is queued (not one of its own unless
 * mine: the worker is idle). When the run is stopping, drop it instead.
 * True if one was taken.
 */
static bool take_file(struct ucp_worker *w, bool mine)
{
	struct ucp_run *run = w->run;
	struct ucp_file_task *t, **p;

	if (atomic_load_explicit(&run->nfiles, memory_order_relaxed) == 0)
		return false;
	pthread_mutex_lock(&run->files_lock);
	for (p = &run->files; *p && !mine && (*p)->from == w->id;
	     p = &(*p)->next)
		;
	t = *p;
	if (t)
		*p = t->next;
	pthread_mutex_unlock(&run->files_lock);
	if (!t)
		return false;
	atomic_fetch_sub(&run->nfiles, 1);
	if (!ucp_run_stopping(run)) {
		if (t->redo) {
			w->redo = true;
			run->mode->entry(w, t->d, t->names, t->dname,
					 DT_UNKNOWN);
			w->redo = false;
		} else {
			w->handed = true;
			run->mode->entry_st(w, t->d, t->names, t->dname,
					    &t->st);
			w->handed = false;
		}
	}
	ucp_dir_src_put(t->d);
	ucp_sched_put_dir(w, t->d);
	free(t);
	atomic_fetch_sub(&run->files_open, 1);
	task_done(w);
	return true;
}

/*
 * Nothing is queued or being scanned, and no worker has I/O in flight
 * (whose files it might hand over): an idle worker may return.
 */
static bool run_done(struct ucp_run *run)
{
	return atomic_load(&run->pending) == 0 && atomic_load(&run->busy) == 0;
}

/* Count the worker in run->busy, or no longer. */
static void set_busy(struct ucp_worker *w, bool busy)
{
	if (w->busy == busy)
		return;
	w->busy = busy;
	if (busy)
		atomic_fetch_add(&w->run->busy, 1);
	else if (atomic_fetch_sub(&w->run->busy, 1) == 1 &&
		 atomic_load(&w->run->pending) == 0)
		wake_all(w->run);
}

/*
 * Block until a task is available: false when the whole run is done, else
 * *dp is the directory taken, or NULL after a handed-over file was copied.
 */
static bool wait_take(struct ucp_worker *w, struct ucp_dir **dp)
{
	struct ucp_run *run = w->run;

	for (;;) {
		struct ucp_dir *d = try_take(w);
		bool done;

		*dp = d;
		if (d || take_file(w, true))
			return true;
		pthread_mutex_lock(&run->lock);
		atomic_fetch_add(&run->sleepers, 1);
		while (atomic_load(&run->queued) == 0 &&
		       atomic_load(&run->nfiles) == 0 && !run_done(run)) {
			struct timespec ts;

			/* A backstop only: pushes and the end broadcast. */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 50L * 1000000;
			if (ts.tv_nsec >= 1000000000) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&run->cond, &run->lock, &ts);
		}
		atomic_fetch_sub(&run->sleepers, 1);
		done = run_done(run);
		pthread_mutex_unlock(&run->lock);
		/* (The mode's last work: this worker goes on with it.) */
		if (done && run->mode->walk_done && run->mode->walk_done(w))
			continue;
		if (done)
			return false;
	}
}

static void task_done(struct ucp_worker *w)
{
	/*
	 * What the task gave the engine keeps the run going: the worker
	 * counts as busy before the task stops counting, or an idle worker
	 * could find nothing pending and nobody busy in between and return
	 * for good (and no big file could be handed over to it).
	 */
	if (w->cp && w->run->engine->inflight(w) > 0)
		set_busy(w, true);
	if (atomic_fetch_sub(&w->run->pending, 1) == 1 &&
	    atomic_load(&w->run->busy) == 0)
		wake_all(w->run);
}

/* Drop a task without scanning it (errors, or the run is stopping). */
static void abandon_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	if (!d->opened && d->parent)
		ucp_dir_child_opened(d);
	d->opened = true;
	ucp_sched_put_dir(w, d);
	task_done(w);
}

static void finish_scan(struct ucp_worker *w)
{
	struct ucp_dir *d = w->cur;

	w->cur = NULL;
	if (w->run->mode->dir_scanned)
		w->run->mode->dir_scanned(w, d);
	/* A pseudo task holds a file operand, not a directory of its own. */
	if (!d->pseudo) {
		ucp_count(&w->cnt.dirs_done, 1);
		ucp_dir_src_put(d);
	}
	ucp_sched_put_dir(w, d);
	task_done(w);
}

/* Open a taken task for scanning; on failure it is reported and dropped. */
static void start_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	if (w->run->mode->open_dir(w, d) < 0) {
		abandon_dir(w, d);
		return;
	}
	w->cur = d;
	w->cur_done = false;
	if (!d->pseudo) {
		ucp_dir_src_get(d);
		ucp_dirents_init(w->ents, d->src_fd);
	}
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
		w->run->mode->entry(w, d, d->only_src, d->only_dst, DT_UNKNOWN);
		return true;
	}
	if (w->run->mode->next)
		return w->run->mode->next(w, d);
	ret = ucp_dirents_next(w->ents, &name, &type);
	if (ret < 0)
		ucp_report(w, d, NULL, false, UCP_OP_READDIR, -ret);
	if (ret <= 0)
		return false;
	w->run->mode->entry(w, d, name, name, type);
	return true;
}

/* Admit work while the engine has room. */
static void fill(struct ucp_worker *w)
{
	while (!w->cp || w->run->engine->can_admit(w)) {
		if (ucp_run_stopping(w->run))
			return;
		if (!w->cur) {
			struct ucp_dir *d;

			if (take_file(w, false))
				continue;
			/*
			 * Files in flight hold their directories open: past
			 * the budget, let them finish before opening more.
			 */
			if (w->cp && w->run->engine->inflight(w) > 0 &&
			    ucp_dir_budget_full(w->run->dirs))
				return;
			d = try_take(w);
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
			set_busy(w, true);
			run->engine->poll(w);
			while (stopping && (d = try_take(w)))
				abandon_dir(w, d);
			continue;
		}
		if (w->cur)
			continue;
		set_busy(w, false);
		if (!wait_take(w, &d))
			break;
		if (!d)
			continue;
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

/*
 * Fewer worker threads than asked for could start (a limit on processes:
 * ulimit -u, a container's on its tasks): the run goes on with those, or
 * in the main thread; said once, as a warning. The workers that did not
 * start hold no work of their own: their queues are taken from.
 */
static void too_few_threads(struct ucp_run *run, unsigned started, int err)
{
	ucp_status_threads_short(run->ev, started, run->nworkers, err);
}

int ucp_sched_run(struct ucp_run *run)
{
	sigset_t all, old;
	unsigned i, started = 0;
	int ret = 0;

	run->exited = 0; /* (a run may come in batches: ucp.c) */
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
	if (started < run->nworkers && !run->told_threads) {
		run->told_threads = true; /* (a batch of operands: once) */
		too_few_threads(run, started, -ret);
	}
	if (started == 0) {
		/* The main thread does the work (no progress ticks then). */
		worker_main(&run->workers[0]);
		return 0;
	}
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
