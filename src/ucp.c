/* SPDX-License-Identifier: MIT */
/*
 * ucp.c: the facade. Turns cp-style operands into root tasks, picks the
 * engine and the mode (the tables the workers drive: copy.c's ring,
 * tree.c's cp mode or sync.c's sync mode), runs the workers and folds what
 * happened into one status.
 *
 * Operand rules (GNU cp's): with -t DIR or when the last operand is an
 * existing directory, each source goes to DIR/basename(source); otherwise
 * there must be exactly one source and the last operand names the copy.
 * Before anything is created, a directory copied into itself and a file
 * copied onto itself are refused.
 */
#include "ucp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "banned.h"
#include "copy.h"
#include "fault.h"
#include "links.h"
#include "path.h"
#include "plain.h"
#include "plan.h"
#include "replace.h"
#include "ring.h"
#include "scan.h"
#include "sched.h"
#include "sync.h"
#include "tar.h"
#include "tree.h"
#include "u64set.h"
#include "util.h"
#include "zstdw.h"

#define DEFAULT_BUDGET (32u << 20)
#define CHUNK (128u << 10)
#define MAX_WORKERS 64u
/*
 * The descriptor budget (fit_jobs): what a run keeps for itself (stdio,
 * operands, an archive, its temporary, the reporting), what the progress
 * scan may hold, what each worker needs besides directories (its ring, a
 * file's source, destination and temporary, a spare), and the fewest
 * directories a walk works with. --link-dest and --reflink-dest add one
 * descriptor per reference directory to the reserve (the root's twins)
 * and UCP_SYNC_REF_FDS to each worker (sync.h).
 */
#define FD_RESERVE 16
#define FD_SCAN_MAX 128
#define FD_PER_WORKER 8
/* Files a worker's ring jobs may hold open at most (run.held_fds). */
#define FD_HELD_MAX 64
#define FD_MIN_DIRS 32
/*
 * Below this soft limit a copy cannot keep its promise: measured with
 * one worker, -a --progress and --link-dest runs failed now and then at
 * 14 (EMFILE on a file of the tree), never at 16 and above. One refusal
 * then, rather than one error for each file.
 */
#define FD_FLOOR 16
/*
 * And for each --link-dest or --reflink-dest directory: a worker's chain
 * into it (UCP_SYNC_REF_FDS) and the root's twin. Below that, a deep tree
 * failed partway with EMFILE (measured with one reference: at 20, never
 * at 24; with 20 references: at 64, never at 96; none at this floor).
 */
#define FD_PER_REF (UCP_SYNC_REF_FDS + 1u)
/* Root tasks planned at once, whatever the limit (struct ucp_ctx). */
#define BATCH_MAX 4096u

struct ucp_ctx {
	struct ucp_config cfg;
	struct ucp_events ev;
	/*
	 * Set by ucp_request_cancel in a signal handler, read by every
	 * thread: a lock-free atomic is both async-signal-safe and free of
	 * data races, where volatile sig_atomic_t is only the former.
	 */
	atomic_int cancel;
	struct ucp_run run;
	char **strings; /* display paths owned for the run */
	size_t nstrings;
	struct made_parent *parents; /* --parents: directories we created */
	/* --parents: the last directory made or found for the operand being
	 * added (O_PATH, -1: none), which its copy is made in. */
	int parents_fd;
	bool running;
	char *partial;	   /* a first --sync builds DST here */
	dev_t partial_dev; /* ... which is this directory */
	ino_t partial_ino;
	/* The counting walk: set once, read by the progress thread. */
	struct ucp_scan *_Atomic scan;
	bool tar_mode;	     /* counters are in tar_cnt */
	bool lie_known, lie; /* sizes_lie of the last device, lie_dev */
	dev_t lie_dev;
	bool reading_archive;	     /* ... of an extraction: no totals */
	struct ucp_counters tar_cnt; /* an archive run's progress */
	atomic_bool tar_walked;	     /* --tar found every member */
	struct ucp_current tar_cur;  /* ... and its big member */
	unsigned scan_open;	     /* directories the scan may hold open */
	struct ucp_dir_budget dirs;  /* the walk's directory descriptors */
	/*
	 * Operands become root tasks in batches of at most batch_max
	 * (fit_jobs), each run to its end before the next is planned: a
	 * root holds its directories open while it waits, and 3,000
	 * operands would hold 6,000 descriptors.
	 */
	unsigned batch, batch_max;
	unsigned held_fds; /* run.held_fds, from the limit on open files */
	const struct ucp_operands *ops; /* (for the scan, started once) */
	bool scan_started;
};

/*
 * A directory that --parents created. Its attributes are applied after the
 * run, deepest first, because creating its children moves its times.
 */
struct made_parent {
	struct made_parent *next;
	struct stat sst;     /* the source directory's */
	struct ucp_xattrs x; /* ... and its attributes, ACLs among them */
	dev_t dev;	     /* the directory made */
	ino_t ino;
	char path[];
};

/* Async-signal-safe as long as the store takes no lock. */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "atomic_int is not lock-free");

void ucp_request_cancel(struct ucp_ctx *ctx)
{
	ctx->cancel = 1;
}

bool ucp_cancel_requested(struct ucp_ctx *ctx)
{
	return atomic_load(&ctx->cancel) != 0;
}

#ifdef UCP_TEST_HOOKS
static bool test_scan_first;

void ucp_test_stop_after(uint64_t files)
{
	atomic_store(&ucp_test_stop_left, files);
}

void ucp_test_scan_first(bool on)
{
	test_scan_first = on;
}

void ucp_test_hand_over(bool on)
{
	atomic_store(&ucp_test_hand_over_wait, on);
}

void ucp_test_hold_current_file(bool on)
{
	atomic_store(&ucp_test_hold_current, on);
}

void ucp_test_stop_open(bool on)
{
	atomic_store(&ucp_test_stop_before_open, on);
	ucp_tar_test_stop_open(on);
}

void ucp_test_stop_delete(long n)
{
	atomic_store(&ucp_test_delete_stop_at, n);
}

void ucp_test_link_wait(bool on)
{
	atomic_store(&ucp_test_link_first_waits, on);
}

void ucp_test_archive_name(const char *name)
{
	ucp_tar_test_archive_name(name);
}

void ucp_test_zstd_name(const char *name)
{
	ucp_zstdw_test_name(name);
}

void ucp_test_stop_point(const char *point)
{
	ucp_test_stop_at(point);
}

int ucp_test_faults(const char *spec)
{
	return ucp_fault_set(spec);
}

void ucp_test_stop_before_data(bool on)
{
	ucp_tar_test_stop_before_data(on);
	atomic_store(&ucp_test_plain_stop_before_data, on);
}
#endif

int ucp_uring_usable(const char **why)
{
	return ucp_ring_probe(why);
}

const char *ucp_uring_version(void)
{
#ifdef UCP_LIBURING_VERSION
	return "liburing " UCP_LIBURING_VERSION;
#else
	return "liburing";
#endif
}

/*
 * Share the soft limit on open files (read, never changed: that is the
 * process's business) out: the run's own, the progress scan's, each
 * worker's, and the rest for the walk's directories. -j that leaves fewer
 * than FD_MIN_DIRS is lowered, with a notice when it was asked for (not
 * the default, default_jobs).
 */
static void fit_jobs(struct ucp_ctx *ctx, bool asked)
{
	unsigned jobs = ctx->cfg.jobs, fit;
	struct rlimit rl;
	long long soft, room, reserve, per_worker;
	char msg[128];

	pthread_mutex_init(&ctx->dirs.lock, NULL);
	ctx->scan_open = FD_SCAN_MAX;
	ctx->batch_max = BATCH_MAX;
	ctx->held_fds = FD_HELD_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > INT_MAX)
		return; /* dirs.limit 0: no limit */
	soft = (long long)rl.rlim_cur;
	ctx->scan_open = (unsigned)UCP_MIN(FD_SCAN_MAX, UCP_MAX(soft / 8, 4));
	reserve = FD_RESERVE + (long long)ctx->cfg.sync.nref_dirs;
	per_worker = FD_PER_WORKER +
		     (long long)ctx->cfg.sync.nref_dirs * UCP_SYNC_REF_FDS;
	room = soft - reserve - ctx->scan_open - FD_MIN_DIRS;
	fit = room < per_worker ? 1 : (unsigned)(room / per_worker);
	if (jobs > fit) {
		struct ucp_error e = { .op = UCP_OP_JOBS_REDUCED,
				       .path = NULL,
				       .msg = msg,
				       .warning = true };

		(void)snprintf(
			msg, sizeof(msg),
			"-j %u reduced to %u: the limit of %lld open files holds no more",
			jobs, fit, soft);
		if (asked && ctx->ev.error)
			ctx->ev.error(ctx->ev.arg, &e);
		ctx->cfg.jobs = jobs = fit;
	}
	room = soft - reserve - ctx->scan_open - (long long)jobs * per_worker;
	/*
	 * A quarter of the rest, at most FD_HELD_MAX a worker, for the files
	 * a worker's ring jobs hold open (run.held_fds); at least 2.
	 */
	ctx->held_fds = (unsigned)UCP_MAX(
		2, UCP_MIN(room / 4 / (long long)jobs, FD_HELD_MAX));
	room -= (long long)ctx->held_fds * jobs;
	/* Half for directories waiting for their post-order (walk.h). */
	ctx->dirs.limit = (int)UCP_MAX(room / 2, 4);
	ctx->dirs.open_limit = (int)UCP_MAX(room, 8);
	/* Two descriptors a root: half of the walk's, the rest to walk. */
	ctx->batch_max = (unsigned)UCP_MIN(UCP_MAX(room / 4, 1), BATCH_MAX);
}

/*
 * The default number of workers: two per CPU this process may run on (its
 * affinity mask, which a container's cpuset narrows; else the CPUs online).
 * Workers block in the file system (a directory's lock while a name is
 * made, the journal, a read from disk), and a core whose one worker waits
 * is idle. Measured on 2 CPUs, ext4, 3-6 interleaved rounds each: the
 * small set 0.51 s with 2 workers, 0.46 s with 4 (hot), 0.86 -> 0.77 s
 * (cold, to the final sync); the mixed set 0.71 -> 0.66 s cold, no change
 * hot; big files no change. On 1 CPU, 2 workers gain 3%.
 */
static unsigned default_jobs(void)
{
	cpu_set_t set;
	long n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? 2 * (unsigned)UCP_MIN(n, (long)MAX_WORKERS) : 2;
}

int ucp_ctx_new(struct ucp_ctx **out, const struct ucp_config *cfg,
		const struct ucp_events *events)
{
	struct ucp_ctx *ctx = calloc(1, sizeof(*ctx));
	bool asked;

	if (!ctx)
		return -ENOMEM;
	ctx->parents_fd = -1;
	ctx->cfg = *cfg;
	if (events)
		ctx->ev = *events;
	asked = ctx->cfg.jobs != 0;
	if (!asked)
		ctx->cfg.jobs = default_jobs();
	ctx->cfg.jobs = UCP_MIN(ctx->cfg.jobs, MAX_WORKERS);
	fit_jobs(ctx, asked);
	if (ctx->cfg.buffer_size == 0)
		ctx->cfg.buffer_size = DEFAULT_BUDGET;
	if (ctx->cfg.buffer_size < CHUNK) {
		free(ctx);
		return -EINVAL;
	}
	ucp_current_init(&ctx->tar_cur);
	*out = ctx;
	return 0;
}

void ucp_ctx_free(struct ucp_ctx *ctx)
{
	size_t i;

	if (!ctx)
		return;
	for (i = 0; i < ctx->nstrings; i++)
		free(ctx->strings[i]);
	free(ctx->strings);
	free(ctx->partial);
	while (ctx->parents) {
		struct made_parent *p = ctx->parents;

		ctx->parents = p->next;
		ucp_xattrs_release(&p->x);
		free(p);
	}
	free(ctx->run.workers);
	ucp_scan_free(ctx->scan);
	ucp_current_release(&ctx->tar_cur);
	free(ctx);
}

/*
 * A FIFO, a device or a file that grew gives more than its size said: the
 * total is at least what is done, never a percentage past 100, and while
 * the run goes it still grows (no percentage, '+', as while scanning).
 */
static void totals_at_least_done(struct ucp_snapshot *snap, bool running)
{
	/*
	 * (Bytes copied past those found: a source that gave more than its
	 * size. Bytes settled, a mirror's unchanged files, are not always
	 * among those found, with rules or a list: no sign of one.)
	 */
	if (snap->bytes_done > snap->bytes_found)
		snap->scanning = snap->scanning || running;
	if (snap->bytes_done + snap->bytes_settled > snap->bytes_found)
		snap->bytes_found = snap->bytes_done + snap->bytes_settled;
	if (snap->files_done > snap->files_found)
		snap->files_found = snap->files_done;
}

void ucp_snapshot(struct ucp_ctx *ctx, struct ucp_snapshot *snap)
{
	struct ucp_run *run = &ctx->run;
	struct ucp_scan *scan;
	struct ucp_totals t = { 0 }, one;
	unsigned i;

	memset(snap, 0, sizeof(*snap));
	if (ctx->tar_mode) {
		ucp_progress_sum(&ctx->tar_cnt, 1, &t);
		snap->files_done = t.files_done;
		snap->bytes_done = t.bytes_done;
		snap->files_found = t.files_found;
		snap->bytes_found = t.bytes_found;
		snap->dirs_done = t.dirs_done;
		snap->symlinks_done = t.symlinks_done;
		snap->links_done = t.links_done;
		snap->skipped = t.skipped;
		snap->errors = t.errors;
		/* (--tar: the walk, ahead of the writing, is still going.) */
		snap->scanning = ctx->running && !atomic_load(&ctx->tar_walked);
		/* An archive is read once: its totals are known at its end. */
		snap->open_total = ctx->reading_archive;
		if (ctx->reading_archive)
			snap->scanning = ctx->running;
		snap->jobs = ctx->cfg.jobs;
		if (ctx->running)
			(void)ucp_current_read(&ctx->tar_cur, snap->current,
					       sizeof(snap->current),
					       &snap->current_size);
		return;
	}
	if (!run->workers)
		return;
	/* Each worker's counters sit in its own struct, one line each. */
	for (i = 0; i < run->nworkers; i++) {
		ucp_progress_sum(&run->workers[i].cnt, 1, &one);
		t.files_done += one.files_done;
		t.bytes_done += one.bytes_done;
		t.files_found += one.files_found;
		t.bytes_found += one.bytes_found;
		t.dirs_done += one.dirs_done;
		t.errors += one.errors;
		t.symlinks_done += one.symlinks_done;
		t.links_done += one.links_done;
		t.skipped += one.skipped;
		t.files_skipped += one.files_skipped;
		t.deleted += one.deleted;
		t.bytes_settled += one.bytes_settled;
	}
	snap->files_done = t.files_done;
	snap->bytes_done = t.bytes_done;
	snap->files_found = t.files_found;
	snap->bytes_found = t.bytes_found;
	snap->dirs_done = t.dirs_done;
	snap->errors = t.errors;
	snap->symlinks_done = t.symlinks_done;
	snap->links_done = t.links_done;
	snap->skipped = t.skipped;
	snap->files_skipped = t.files_skipped;
	snap->deleted = t.deleted;
	snap->bytes_settled = t.bytes_settled;
	/* (Files handed over are pending too, but no part of the walk.) */
	snap->scanning =
		ctx->running &&
		atomic_load(&run->pending) - atomic_load(&run->files_open) > 0;
	scan = atomic_load(&ctx->scan);
	if (scan) {
		uint64_t files, bytes;
		bool complete = ucp_scan_read(scan, &files, &bytes);

		/*
		 * Ahead of the copy; the copy's own count where it is more.
		 * (After the run too: the totals shown never go down.)
		 */
		if (files > snap->files_found)
			snap->files_found = files;
		if (bytes > snap->bytes_found)
			snap->bytes_found = bytes;
		if (ctx->running && (complete || ucp_scan_running(scan)))
			snap->scanning = !complete;
	}
	/*
	 * Links made (-l, -s) and attributes only move no data: no bytes
	 * to wait for (the bar ended at 0% of what it never copies).
	 */
	if (ctx->cfg.hard_link || ctx->cfg.symbolic_link ||
	    ctx->cfg.attributes_only)
		snap->bytes_found = 0;
	totals_at_least_done(snap, ctx->running);
	/* (Workers whose rings could not be set up went on with syscalls.) */
	snap->uring = run->use_uring && !atomic_load(&run->told_ring);
	snap->jobs = run->nworkers;
	/* The largest big file in the workers' hands (teardown ends them). */
	for (i = 0; ctx->running && i < run->nworkers; i++)
		(void)ucp_current_read(&run->workers[i].current, snap->current,
				       sizeof(snap->current),
				       &snap->current_size);
}

/* ---- operands ----------------------------------------------------- */

/* Keep s alive until the context is freed; NULL on allocation failure. */
static char *own(struct ucp_ctx *ctx, char *s)
{
	char **n;

	if (!s)
		return NULL;
	n = realloc(ctx->strings, (ctx->nstrings + 1) * sizeof(*n));
	if (!n) {
		free(s);
		return NULL;
	}
	ctx->strings = n;
	ctx->strings[ctx->nstrings++] = s;
	return s;
}

/* Split path into a malloc'd directory part and a malloc'd leaf. */
static int split_path(const char *path, char **dir, char **leaf)
{
	size_t n;
	const char *last = ucp_path_leaf(path, &n);
	size_t cut = (size_t)(last - path);

	*leaf = strndup(last, n);
	if (cut == 0)
		*dir = strdup(".");
	else
		*dir = strndup(path, cut > 1 ? cut - 1 : 1);
	if (!*dir || !*leaf) {
		free(*dir);
		free(*leaf);
		*dir = *leaf = NULL; /* the callers free them again */
		return -ENOMEM;
	}
	return 0;
}

/*
 * Whether paths a and b name one directory entry (the same name in the
 * same directory), not two hard links of one file.
 */
static bool same_entry(const char *a, const char *b)
{
	char *ad = NULL, *al = NULL, *bd = NULL, *bl = NULL;
	struct stat sa, sb;
	bool same = true; /* (when it cannot tell: the safe answer) */

	if (split_path(a, &ad, &al) == 0 && split_path(b, &bd, &bl) == 0 &&
	    stat(ad, &sa) == 0 && stat(bd, &sb) == 0)
		same = sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
		       strcmp(al, bl) == 0;
	free(ad);
	free(al);
	free(bd);
	free(bl);
	return same;
}

/* Report a problem about operands (no worker context needed). */
static void report_top(struct ucp_ctx *ctx, const struct ucp_error *e)
{
	atomic_fetch_or(&ctx->run.status, UCP_RUN_PARTIAL);
	if (ctx->ev.error)
		ctx->ev.error(ctx->ev.arg, e);
}

/* ... by its op, errno and paths. */
static void top_error(struct ucp_ctx *ctx, enum ucp_op op, int err,
		      const char *path, const char *path2)
{
	struct ucp_error e = {
		.op = op, .err = err, .path = path, .path2 = path2
	};

	report_top(ctx, &e);
}

/* ... where it ends the run: --sync's one source (JSON "fatal"). */
static void root_error(struct ucp_ctx *ctx, enum ucp_op op, const char *path,
		       const char *path2)
{
	struct ucp_error e = { .op = op,
			       .path = path,
			       .path2 = path2,
			       .fatal = ctx->cfg.sync.on };

	report_top(ctx, &e);
}

/*
 * An operand that makes the whole command impossible: reported as fatal
 * (nothing is copied after it), and the run's verdict: a usage error, or,
 * where it could not be looked at (err), the run's failure (exit 1).
 */
static enum ucp_status refuse_err(struct ucp_ctx *ctx, enum ucp_op op, int err,
				  const char *path, const char *path2)
{
	struct ucp_error e = { .op = op,
			       .err = err,
			       .path = path,
			       .path2 = path2,
			       .fatal = true };

	if (ctx->ev.error)
		ctx->ev.error(ctx->ev.arg, &e);
	return err ? UCP_FATAL : UCP_USAGE;
}

/* refuse_err of an operand that is there, but impossible: usage. */
static enum ucp_status refuse(struct ucp_ctx *ctx, enum ucp_op op,
			      const char *path, const char *path2)
{
	return refuse_err(ctx, op, 0, path, path2);
}

/*
 * A target of several operands (or -t's) that is no directory: usage
 * (exit 2, as documented) when it is something else, but an error of
 * its own, named as cp names it, when it cannot be looked at (missing,
 * unsearchable: "target 'X': Permission denied", exit 1).
 */
static enum ucp_status not_dir_target(struct ucp_ctx *ctx, const char *target)
{
	struct stat st;

	return refuse_err(ctx, UCP_OP_NOT_DIR_TARGET,
			  stat(target, &st) == 0 ? 0 : errno, target, NULL);
}

/* Whether directory (dev, ino) is dir_path or one of its ancestors. */
static bool is_ancestor(const char *dir_path, dev_t dev, ino_t ino)
{
	struct stat st, up;
	int fd = open(dir_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	bool found = false;

	while (fd >= 0 && fstat(fd, &st) == 0) {
		int pfd;

		if (st.st_dev == dev && st.st_ino == ino) {
			found = true;
			break;
		}
		pfd = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		(void)close(fd);
		fd = pfd;
		if (fd < 0 || fstat(fd, &up) < 0 ||
		    (up.st_dev == st.st_dev && up.st_ino == st.st_ino))
			break;
	}
	if (fd >= 0)
		(void)close(fd);
	return found;
}

/* A first --sync's temporary for DST: ".LEAF.ucp-partial" beside it. */
#define PARTIAL ".ucp-partial"

static char *partial_name(const char *dir, const char *leaf)
{
	size_t n = strlen(dir) + strlen(leaf) + sizeof(PARTIAL) + 3;
	char *s = malloc(n);

	if (s)
		(void)snprintf(s, n, "%s/.%s" PARTIAL, dir, leaf);
	return s;
}

/*
 * Whether another run into the same new mirror (building it in the same
 * temporary directory) gave it its name first: DST is the directory this
 * run filled, and the temporary name is gone.
 */
static bool finished_by_other(const struct ucp_ctx *ctx)
{
	struct stat st;

	return lstat(ctx->partial, &st) < 0 && errno == ENOENT &&
	       lstat(ctx->run.final_root, &st) == 0 &&
	       st.st_dev == ctx->partial_dev && st.st_ino == ctx->partial_ino;
}

/*
 * The new mirror could not be given its name (err: DST appeared during
 * the run, say): the error says where the copy is, for a later run will
 * not look there again (DST is there).
 */
static void left_partial(struct ucp_ctx *ctx, int err)
{
	struct ucp_error e = { .op = UCP_OP_RENAME,
			       .err = err,
			       .path = ctx->run.final_root };
	char *msg = NULL, *q = ucp_path_quotable(ctx->partial);

	if (q && asprintf(&msg, "%s; the copy is left in '%s'", strerror(err),
			  q) >= 0)
		e.msg = msg;
	report_top(ctx, &e);
	free(msg);
	free(q);
}

/* Whether name is the directory this run filled as the new mirror. */
static bool is_partial(const struct ucp_ctx *ctx, const char *name)
{
	struct stat st;

	return lstat(name, &st) == 0 && S_ISDIR(st.st_mode) &&
	       st.st_dev == ctx->partial_dev && st.st_ino == ctx->partial_ino;
}

/*
 * The temporary name of the new mirror, or DST once renamed, is not the
 * directory the run filled: someone who may write DST's parent moved it or
 * put another entry (a symbolic link, a directory) there meanwhile. The
 * copy is not DST: an error, and nothing more is renamed.
 */
static void partial_swapped(struct ucp_ctx *ctx, const char *name)
{
	struct ucp_error e = { .op = UCP_OP_RENAME,
			       .path = ctx->run.final_root };
	char *msg = NULL, *a = ucp_path_quotable(name),
	     *b = ucp_path_quotable(ctx->run.final_root);

	if (a && b &&
	    asprintf(&msg,
		     "'%s' is no longer the directory this run filled (moved "
		     "or replaced meanwhile): the copy is not '%s'",
		     a, b) >= 0)
		e.msg = msg;
	else
		e.err = ESTALE;
	free(a);
	free(b);
	report_top(ctx, &e);
	free(msg);
}

/*
 * The run that built a new mirror under its temporary name is over: give
 * it its name, unless the run was stopped (the next run goes on with it).
 */
static void finish_partial(struct ucp_ctx *ctx)
{
	const char *final = ctx->run.final_root;
	int ret;

	if (!ctx->partial || ctx->cfg.sync.dry_run)
		return;
	/*
	 * Stopped: kept under its temporary name. Where by an error that
	 * stops the run (a full disk, a ring that failed), its errors named
	 * the files under the destination's name: say where they are. (An
	 * interrupt is the user's own: the manual says it.)
	 */
	if ((atomic_load(&ctx->run.status) & UCP_RUN_FATAL) &&
	    !*ctx->run.cancel && ctx->ev.error) {
		struct ucp_error e = { .op = UCP_OP_PARTIAL_KEPT,
				       .path = ctx->partial,
				       .warning = true };

		ctx->ev.error(ctx->ev.arg, &e);
	}
	if (ucp_run_stopping(&ctx->run) ||
	    (atomic_load(&ctx->run.status) & UCP_RUN_FATAL))
		return;
	/*
	 * Never over a DST that appeared meanwhile. Where the file system
	 * has no RENAME_NOREPLACE, look first: rename would replace an empty
	 * directory, and fails on anything else in the way (a small window
	 * remains between the look and the rename there, none elsewhere).
	 */
	if (!is_partial(ctx, ctx->partial)) {
		if (!finished_by_other(ctx))
			partial_swapped(ctx, ctx->partial);
		return;
	}
	ret = ucp_tmp_commit_new(AT_FDCWD, ctx->partial, final);
	if (ret < 0 && finished_by_other(ctx))
		ret = 0;
	if (ret < 0) {
		left_partial(ctx, -ret);
		return;
	}
	/* (Swapped between the look and the rename: said, not undone.) */
	if (!is_partial(ctx, final)) {
		partial_swapped(ctx, ctx->partial);
		return;
	}
	if (ctx->cfg.sync.fsync) {
		char *dir, *leaf;
		int fd;

		if (split_path(final, &dir, &leaf) < 0)
			return;
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) < 0)
			top_error(ctx, fd < 0 ? UCP_OP_OPENDIR : UCP_OP_FSYNC,
				  errno, dir, NULL);
		if (fd >= 0)
			(void)close(fd);
		free(dir);
		free(leaf);
	}
}

/*
 * The destination root where could not be opened (err): as any directory,
 * or, for a first --sync's partial tree (partial), what was found under
 * that name: no directory (a link, a file: ELOOP, ENOTDIR), or another
 * user's (EPERM), left as it is.
 */
static void partial_refused(struct ucp_ctx *ctx, const char *where, int err,
			    bool partial)
{
	struct ucp_error e = { .op = UCP_OP_OPENDIR,
			       .err = err,
			       .path = where };

	if (partial && (err == ELOOP || err == ENOTDIR)) {
		e.err = ENOTDIR;
		e.msg = "not the directory a first run of this mirror leaves; "
			"remove it";
	} else if (partial && err == EPERM) {
		e.msg = "another user's, not resumed; remove it";
	}
	report_top(ctx, &e);
}

/*
 * Whether a partial tree found (st) may be resumed: the user's, or the
 * source's owner's (given by a run that ended late).
 */
static bool partial_ours(const struct ucp_ctx *ctx, const struct ucp_dir *d,
			 const struct stat *st)
{
	return st->st_uid == ctx->run.meta.euid || st->st_uid == d->sst.st_uid;
}

/*
 * --dry-run of a mirror dst not there yet: the run would make it in pdir,
 * and one that is not there, or no directory, fails it. False when so
 * (said as the run says it; the dry run said all would be made, exit 0).
 */
static bool dry_parent(struct ucp_ctx *ctx, const char *pdir, const char *dst)
{
	struct stat st;
	int err = stat(pdir && *pdir ? pdir : ".", &st) < 0 ? errno
		  : S_ISDIR(st.st_mode) ? 0
					: ENOTDIR;

	if (err)
		top_error(ctx, UCP_OP_MKDIR, err, dst, NULL);
	return err == 0;
}

/*
 * A dry run of a first --sync (dst missing): what the run would take under
 * the partial name: 1 (*out, allocated) a directory of the user's, or of
 * the source's owner; 0 nothing there; -1 anything else, or no parent the
 * run could make dst in (dry_parent) (reported).
 */
static int dry_partial(struct ucp_ctx *ctx, const struct ucp_dir *d,
		       const char *dst, const char *pdir, const char *leaf,
		       char **out)
{
	struct stat st;
	char *partial;
	int ret = 0;

	*out = NULL;
	if (!dry_parent(ctx, pdir, dst))
		return -1;
	if (!ctx->run.sync || strlen(leaf) + sizeof(PARTIAL) + 1 > NAME_MAX)
		return 0;
	partial = partial_name(pdir, leaf);
	if (partial && lstat(partial, &st) == 0) {
		ret = S_ISDIR(st.st_mode) && partial_ours(ctx, d, &st) ? 1 : -1;
		if (ret < 0)
			partial_refused(ctx, partial,
					S_ISDIR(st.st_mode) ? EPERM : ENOTDIR,
					true);
	}
	if (ret == 1)
		*out = partial;
	else
		free(partial);
	return ret;
}

/*
 * Open source operand src as d's src_fd; -1 reported. --delete notes it
 * and what is above it, which the mirror must not delete (sync.h).
 */
static int open_src_root(struct ucp_ctx *ctx, struct ucp_dir *d,
			 const char *src)
{
	d->src_fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->src_fd < 0) {
		top_error(ctx, UCP_OP_OPENDIR, errno, src, NULL);
		return -1;
	}
	if (ctx->run.sync && ctx->cfg.sync.delete_extraneous)
		ucp_sync_note_source(ctx->run.sync, d->src_fd);
	return 0;
}

/* The copy's root, which the source's walk must not enter (walk.h). */
static void note_copy_root(struct ucp_dir *d)
{
	struct stat st;

	if (d->dst_fd >= 0 && fstat(d->dst_fd, &st) == 0) {
		d->copy_dev = st.st_dev;
		d->copy_ino = st.st_ino;
	}
}

/*
 * Open the destination root where (a first --sync's partial tree when
 * partial): its descriptor, or -1 (reported). A mirror's root may be a
 * link to a directory (add_dir_root); its partial tree never: a link
 * planted under that name would take the mirror, and its deletions,
 * elsewhere.
 */
static int open_root_dir(struct ucp_ctx *ctx, struct ucp_dir *d,
			 const char *where, bool partial)
{
	bool sync = ctx->run.sync;
	struct stat st;
	bool follow = sync && !partial && lstat(where, &st) == 0 &&
		      S_ISLNK(st.st_mode);
	int fd = open(where, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
				     (follow ? 0 : O_NOFOLLOW));

	/* cp mode: a drop box (0733) takes names all the same (tree.c). */
	if (fd < 0 && errno == EACCES && !sync)
		fd = ucp_tree_open_drop_box(AT_FDCWD, where, d);
	/* (A partial tree gone: the caller looks why, partial_gone.) */
	if (fd < 0 && !(partial && errno == ENOENT))
		partial_refused(ctx, where, errno, partial);
	return fd;
}

/* Partial tree partial (open in d) is the run's root, renamed dst at the end.
 */
static void take_partial(struct ucp_ctx *ctx, struct ucp_dir *d, char *partial,
			 char *dst)
{
	struct stat st;

	if (fstat(d->dst_fd, &st) == 0) {
		ctx->partial_dev = st.st_dev;
		ctx->partial_ino = st.st_ino;
	}
	ctx->partial = partial;
	ctx->run.tmp_root = partial;
	ctx->run.final_root = dst;
	d->in_tmp = true;
	d->dst_path = partial;
}

/*
 * The directory a copy is made in (O_PATH): --parents' last, made or found
 * (parents: the copy goes where its name says), not by its name; else
 * dir.
 */
static int dir_of_copy(const struct ucp_ctx *ctx, const char *dir, bool parents)
{
	if (ctx->parents_fd >= 0 && parents)
		return fcntl(ctx->parents_fd, F_DUPFD_CLOEXEC, 0);
	return open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/*
 * make_dst_root's mkdir and, where it made the directory (or --parents
 * found it), its open.
 */
static int mkdir_dst_root(struct ucp_ctx *ctx, struct ucp_dir *d,
			  const char *where, const char *pdir, const char *leaf)
{
	const char *slash = strrchr(where, '/');
	int pfd, ret;

	d->dst_fd = -1;
	if (!leaf)
		leaf = slash ? slash + 1 : where;
	if (!*leaf || strcmp(leaf, ".") == 0 || strcmp(leaf, "..") == 0)
		return ucp_plain_mkdir(&ctx->run, AT_FDCWD, where, d);
	pfd = dir_of_copy(ctx, pdir, true);
	if (pfd < 0)
		return ucp_plain_mkdir(&ctx->run, AT_FDCWD, where, d);
	ret = ucp_plain_mkdir(&ctx->run, pfd, leaf, d);
	if (ret == 0)
		ucp_test_point("mkdir");
	/*
	 * Made (or, --parents, there): opened in pfd, not by its path, which
	 * a swap could lead elsewhere again; one made but there not as made
	 * is one that was there (-EEXIST, kept open), and a symbolic link in
	 * its name an error.
	 */
	if (ret == 0 || (ret == -EEXIST && ctx->parents_fd >= 0))
		d->dst_fd =
			openat(pfd, leaf,
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ret == 0 && d->dst_fd < 0)
		ret = -errno;
	else if (ret == 0 &&
		 !ucp_meta_dir_as_made(d->dst_fd, ctx->run.meta.euid))
		ret = -EEXIST;
	(void)close(pfd); /* an O_PATH descriptor */
	return ret;
}

/*
 * mkdir of where (in directory pdir, as leaf), the
 * destination root d: made and opened through a descriptor of pdir, so
 * that a directory on the way swapped for a symbolic link after the mkdir
 * (by a user who may write it) does not lead the open elsewhere, and the
 * one made is opened without following a link put in its name. A
 * directory found there then (ours, empty: as made) is the run's; another
 * is taken as one that was there (-EEXIST), not its to make private.
 * partial: where is a new mirror's temporary name. 0 or -EEXIST with
 * d->dst_fd open (-1: said, by open_root_dir), or ucp_plain_mkdir's other
 * -errno.
 */
static int make_dst_root(struct ucp_ctx *ctx, struct ucp_dir *d,
			 const char *where, const char *pdir, const char *leaf,
			 bool partial)
{
	int ret = mkdir_dst_root(ctx, d, where, pdir, partial ? NULL : leaf);

	/* (One there: by its name, as cp opens it; a symbolic link not.) */
	if ((ret == 0 || ret == -EEXIST) && d->dst_fd < 0)
		d->dst_fd = open_root_dir(ctx, d, where, partial);
	return ret;
}

/*
 * The partial tree of a new mirror could not be opened (errno): whether
 * because another run gave it its name dst meanwhile (true); else false,
 * the open's error said (open_root_dir leaves ENOENT to here).
 */
static bool partial_gone(struct ucp_ctx *ctx, const char *partial,
			 const char *dst)
{
	struct stat st;

	if (errno != ENOENT)
		return false;
	if (lstat(partial, &st) < 0 && errno == ENOENT &&
	    lstat(dst, &st) == 0 && S_ISDIR(st.st_mode))
		return true;
	partial_refused(ctx, partial, ENOENT, true);
	return false;
}

/*
 * open_dst_root of a dry run whose root is missing: everything under it
 * is new, or what the run would resume (a partial tree) is compared with,
 * read only and never renamed. As open_dst_root returns.
 */
static int open_dry_root(struct ucp_ctx *ctx, struct ucp_dir *d, char *dst,
			 const char *pdir, const char *leaf)
{
	char *partial = NULL;
	int ret = dry_partial(ctx, d, dst, pdir, leaf, &partial);

	if (ret <= 0)
		return ret < 0 ? -1 : 1;
	d->dst_fd = open_root_dir(ctx, d, partial, true);
	if (d->dst_fd < 0) {
		if (errno == ENOENT)
			partial_refused(ctx, partial, ENOENT, true);
		free(partial);
		return -1;
	}
	take_partial(ctx, d, partial, dst);
	return 0;
}

/*
 * make_dst_root of where, a new mirror's partial tree *partial (taken;
 * NULL: where is dst itself). Another run into the same new mirror may
 * have named it dst between this one's mkdir of it and its open: DST is
 * there now, a mirror to go into as any (*partial freed, *where dst).
 */
static int make_root_or_named(struct ucp_ctx *ctx, struct ucp_dir *d,
			      const char **where, const char *pdir,
			      const char *leaf, char **partial, const char *dst)
{
	int ret = make_dst_root(ctx, d, *where, pdir, leaf, *partial != NULL);

	if (*partial && d->dst_fd < 0 && (ret == 0 || ret == -EEXIST) &&
	    partial_gone(ctx, *partial, dst)) {
		free(*partial);
		*partial = NULL;
		*where = dst;
		ret = make_dst_root(ctx, d, dst, pdir, leaf, false);
	}
	return ret;
}

/*
 * Create (or find) and open the destination dst of root d (dst's parent
 * pdir, its leaf leaf); a new --sync mirror is made under its temporary
 * name. Returns 1 when it was created, 0 when it existed, -1 after a
 * report.
 */
static int open_dst_root(struct ucp_ctx *ctx, struct ucp_dir *d, char *dst,
			 const char *pdir, const char *leaf)
{
	struct ucp_run *run = &ctx->run;
	const char *where = dst;
	char *partial = NULL;
	struct stat st;
	int ret;

	/* --dry-run, the root missing: open_dry_root. */
	if (ctx->cfg.sync.dry_run && lstat(dst, &st) < 0)
		return open_dry_root(ctx, d, dst, pdir, leaf);
	if (run->sync && lstat(dst, &st) < 0 && errno == ENOENT &&
	    strlen(leaf) + sizeof(PARTIAL) + 1 <= NAME_MAX) {
		/*
		 * A new mirror is built under a temporary name and renamed
		 * when complete: its files need no temporary and rename each
		 * (half the cost of a first sync), and an interrupted run
		 * leaves no half-built DST. The next run goes on where this
		 * one stopped.
		 */
		partial = partial_name(pdir, leaf);
		if (!partial) {
			top_error(ctx, UCP_OP_MKDIR, ENOMEM, dst, NULL);
			return -1;
		}
		where = partial;
	}
	ret = make_root_or_named(ctx, d, &where, pdir, leaf, &partial, dst);
	if (ret < 0 && ret != -EEXIST) {
		/* (A mirror's: the run's one tree, so its end: fatal.) */
		struct ucp_error e = { .op = UCP_OP_MKDIR,
				       .err = -ret,
				       .path = partial ? dst : where,
				       .fatal = run->sync != NULL };

		report_top(ctx, &e);
		goto fail;
	}
	if (d->dst_fd < 0)
		goto fail;
	if (run->sync && fstat(d->dst_fd, &st) == 0) {
		run->has_root_id = true;
		run->root_dev = st.st_dev;
		run->root_ino = st.st_ino;
	}
	/*
	 * A partial copy found there is resumed only when it is the user's
	 * (or the source's owner's, given by a run that ended late): one
	 * another user made, in a directory others may write, is theirs to
	 * change under the run.
	 */
	if (partial && ret == -EEXIST && fstat(d->dst_fd, &st) == 0 &&
	    !partial_ours(ctx, d, &st)) {
		partial_refused(ctx, where, EPERM, true);
		(void)close(d->dst_fd); /* read-only */
		d->dst_fd = -1;
		goto fail;
	}
	if (partial)
		take_partial(ctx, d, partial, dst);
	return ret == 0;
fail:
	free(partial);
	return -1;
}

static void start_scan(struct ucp_ctx *ctx, const struct ucp_operands *ops);

/* Run the root tasks queued so far to their end. */
static void run_batch(struct ucp_ctx *ctx)
{
	if (!ctx->scan_started) {
		ctx->scan_started = true;
		start_scan(ctx, ctx->ops);
	}
	ctx->batch = 0;
	ctx->running = true;
	if (ucp_sched_run(&ctx->run) < 0)
		atomic_fetch_or(&ctx->run.status, UCP_RUN_FATAL);
	ctx->running = false;
}

/* A root task was queued: a full batch runs before the next is planned. */
static void root_queued(struct ucp_ctx *ctx)
{
	if (++ctx->batch >= ctx->batch_max)
		run_batch(ctx);
}

/*
 * Whether a symbolic link given as an operand is followed: with -L or
 * -H, and without -r unless -P (cp's rule).
 */
static bool operand_follows(const struct ucp_ctx *ctx)
{
	return ctx->cfg.dereference || ctx->cfg.deref_args ||
	       (!ctx->cfg.recursive && !ctx->cfg.no_dereference);
}

/* What operand src is, followed as the copy follows it. */
static bool operand_stat(const struct ucp_ctx *ctx, const char *src,
			 struct stat *st)
{
	return (operand_follows(ctx) ? stat(src, st) : lstat(src, st)) == 0;
}

/*
 * Whether the files under path (on device dev) show sizes that say
 * nothing of what they read (procfs: 0; sysfs: 4096): those are read to
 * their end, as cp does. One statfs for each device the operands are on
 * (in a row), not for each operand. Only operands: a tree that crosses
 * into /proc below (ucp -r /) takes the sizes as they are, for reading
 * /proc/kmsg to its end would never end.
 */
static bool sizes_lie(struct ucp_ctx *ctx, const char *path, dev_t dev)
{
	struct statfs fs;

	if (ctx->lie_known && ctx->lie_dev == dev)
		return ctx->lie;
	ctx->lie_known = true;
	ctx->lie_dev = dev;
	ctx->lie = false;
	if (statfs(path, &fs) < 0)
		return false;
	ctx->lie = ucp_plain_sizes_lie((unsigned long)fs.f_type);
	return ctx->lie;
}

/*
 * --sync into a DST that is a symbolic link: another user's in a sticky
 * directory others may write (a /tmp), it is not followed, whatever
 * fs.protected_symlinks says, as rsync refuses it: else anyone could
 * point it at a directory of the user's, which --delete would empty.
 * False when refused (reported, the run's end).
 */
static bool mirror_link_trusted(struct ucp_ctx *ctx, const char *dst)
{
	struct ucp_error e = { .op = UCP_OP_OPENDIR,
			       .path = dst,
			       .fatal = true };

	/* (A link on the way counts too: sticky/theirs/, sticky/theirs/d.) */
	if (ucp_path_links_trusted(dst))
		return true;
	e.err = errno;
	report_top(ctx, &e);
	return false;
}

/*
 * Whether directory operand src (stat sst) may not go to dst (pdir and
 * leaf its parts): said (the reason reported). For --sync, where it is
 * the run, the end of it.
 */
static bool root_refused(struct ucp_ctx *ctx, const char *src, const char *dst,
			 const char *pdir, const char *leaf,
			 const struct stat *sst)
{
	struct stat dst_st;

	if (ctx->cfg.sync.on && !mirror_link_trusted(ctx, dst))
		return true;
	/* (A DST whose last name is "..": the directory it names, not in it.)
	 */
	if (is_ancestor(strcmp(leaf, "..") == 0 ? dst : pdir, sst->st_dev,
			sst->st_ino)) {
		top_error(ctx, UCP_OP_INTO_SELF, 0, src, dst);
		return true;
	}
	/* (ucp -rT d d: one message for the directory, as cp says it.) */
	if (stat(dst, &dst_st) == 0 && dst_st.st_dev == sst->st_dev &&
	    dst_st.st_ino == sst->st_ino) {
		top_error(ctx, UCP_OP_SAME_FILE, 0, src, dst);
		return true;
	}
	/*
	 * A mirror holding its own source: --delete would take the source
	 * for an extraneous entry and remove it, as rsync does. Refused.
	 */
	if (ctx->cfg.sync.on && ctx->cfg.sync.delete_extraneous &&
	    stat(dst, &dst_st) == 0 && S_ISDIR(dst_st.st_mode) &&
	    is_ancestor(src, dst_st.st_dev, dst_st.st_ino)) {
		root_error(ctx, UCP_OP_MIRROR_HOLDS_SOURCE, src, dst);
		return true;
	}
	/*
	 * (A mirror's root that is a symbolic link to a directory is that
	 * directory, as rsync takes it; cp -T refuses it, and so does the
	 * copy mode.)
	 */
	if (lstat(dst, &dst_st) == 0 && !S_ISDIR(dst_st.st_mode) &&
	    !(ctx->cfg.sync.on && S_ISLNK(dst_st.st_mode) &&
	      stat(dst, &dst_st) == 0 && S_ISDIR(dst_st.st_mode))) {
		root_error(ctx, UCP_OP_DIR_OVER_NONDIR, src, dst);
		return true;
	}
	return false;
}

/* Queue a directory operand as a root task. */
static void add_dir_root(struct ucp_ctx *ctx, const char *src, char *dst,
			 const struct stat *sst)
{
	struct ucp_run *run = &ctx->run;
	struct ucp_worker *w = &run->workers[0];
	char *pdir = NULL, *leaf = NULL;
	struct ucp_dir *d = NULL;
	int ret;
	bool created;

	if (split_path(dst, &pdir, &leaf) < 0)
		goto nomem;
	if (root_refused(ctx, src, dst, pdir, leaf, sst))
		goto out;
	d = ucp_dir_new_root(src, dst);
	if (!d)
		goto nomem;
	d->src_mode = sst->st_mode;
	d->sst = *sst;
	d->root_dev = sst->st_dev;
	d->budget = &ctx->dirs;
	d->follow = ctx->cfg.dereference;
	d->sizes_lie = sizes_lie(ctx, src, sst->st_dev);
	if (open_src_root(ctx, d, src) < 0)
		goto out;
	ret = open_dst_root(ctx, d, dst, pdir, leaf);
	if (ret < 0)
		goto out;
	note_copy_root(d);
	created = ret == 1;
	d->created = created;
	d->opened = true;
	ucp_dir_fds_opened(d);
	if (created && run->sync)
		ucp_sync_dir_created(w, d);
	if (created && ctx->cfg.verbose && ctx->ev.copied)
		ctx->ev.copied(ctx->ev.arg, src, dst,
			       ctx->cfg.debug ? "directory created" : NULL,
			       NULL);
	ucp_sched_push(w, d);
	d = NULL;
	root_queued(ctx);
	goto out;
nomem:
	top_error(ctx, UCP_OP_OPEN, ENOMEM, src, NULL);
out:
	if (d)
		ucp_dir_put(d, NULL, NULL);
	free(pdir);
	free(leaf);
}

/*
 * A regular file onto a symlink operand is written through it, as cp
 * does: *dst becomes the file the symlink leads to. A dangling one is
 * refused (cp's "not writing through dangling symlink"). Symlinks in the
 * middle of destination paths under -r are never followed; this is the
 * operand alone. With --remove-destination or a backup the link itself
 * is what is replaced (or backed up), as with cp; so with -f where the
 * file it leads to cannot be written. A link to a device or
 * FIFO (/proc/self/fd/1 to a pipe, which has no path) stays, and
 * *node is set: the copy opens it, following it. 0, or -1 after a report.
 */
static int write_through(struct ucp_ctx *ctx, const char *src, char **dst,
			 bool *node)
{
	bool follow = ctx->cfg.dereference || ctx->cfg.deref_args ||
		      (!ctx->cfg.recursive && !ctx->cfg.no_dereference);
	struct stat s, d;
	char *real;

	/* (A link made, -l or -s, replaces the link, as dst_followed.) */
	if (ctx->cfg.remove_destination || ctx->cfg.backup != UCP_BACKUP_NONE ||
	    ctx->cfg.hard_link || ctx->cfg.symbolic_link)
		return 0;
	/* (Data comes from a file, or a FIFO or device read as a stream.) */
	if (lstat(*dst, &d) < 0 || !S_ISLNK(d.st_mode) ||
	    (follow ? stat(src, &s) : lstat(src, &s)) < 0 ||
	    S_ISDIR(s.st_mode) || S_ISLNK(s.st_mode) || S_ISSOCK(s.st_mode))
		return 0;
	if (stat(*dst, &d) < 0) {
		if (errno != ENOENT || !S_ISREG(s.st_mode))
			return 0; /* the copy reports what is wrong */
		top_error(ctx, UCP_OP_DANGLING_DST, 0, *dst, NULL);
		return -1;
	}
	*node = S_ISCHR(d.st_mode) || S_ISBLK(d.st_mode) || S_ISFIFO(d.st_mode);
	if (!S_ISREG(d.st_mode) || !S_ISREG(s.st_mode))
		return 0;
	/*
	 * -f and a file the link leads to that cannot be written: cp -f
	 * removes the link and makes a new file in its place; so is the
	 * link replaced here, and the file it leads to left alone.
	 */
	if (ctx->cfg.force && access(*dst, W_OK) < 0 &&
	    (errno == EACCES || errno == EPERM || errno == EROFS))
		return 0;
	/*
	 * The kernel's guard on links in sticky directories, kept though
	 * the copy opens where the link leads (cp's open meets it).
	 */
	real = ucp_path_through_links(*dst);
	if (!real) {
		top_error(ctx, UCP_OP_CREATE, errno, *dst, NULL);
		return -1;
	}
	free(real);
	real = own(ctx, realpath(*dst, NULL));
	if (!real) {
		top_error(ctx, UCP_OP_STAT, errno ? errno : ENOMEM, *dst, NULL);
		return -1;
	}
	*dst = real;
	return 0;
}

/*
 * Whether non-directory operand src (stat a) and dst are the same file, as
 * cp refuses to copy: also through hard links and symlinks on either
 * side, but a destination link that --remove-destination or a backup
 * replaces is not the file it points to.
 */
/* Whether path itself (not what a symbolic link there leads to) is a. */
static bool is_inode(const char *path, const struct stat *a)
{
	struct stat l;

	return lstat(path, &l) == 0 && l.st_dev == a->st_dev &&
	       l.st_ino == a->st_ino;
}

/*
 * --backup, cp's check: whether the simple backup of dst (numbered ones
 * take a name that is not there yet) is the source src itself, by its
 * name too (dst's leaf and the suffix), which the backup would replace
 * (with -s, the only copy of its data). Not where nothing is to be made:
 * -u keeps dst, or -l finds it linked already.
 */
static bool backup_is_source(const struct ucp_ctx *ctx, const char *src,
			     const char *dst)
{
	const struct ucp_config *c = &ctx->cfg;
	const char *suffix = c->backup_suffix ? c->backup_suffix : "~";
	size_t sn, dn, bn;
	const char *sleaf = ucp_path_leaf(src, &sn),
		   *dleaf = ucp_path_leaf(dst, &dn), *bleaf;
	struct stat s, b;
	char *name;
	bool is;

	if (c->backup == UCP_BACKUP_NONE || c->backup == UCP_BACKUP_NUMBERED ||
	    !(name = ucp_path_backup(dst, dleaf, dn, suffix)))
		return false;
	/* (The backup's leaf, as make_backup names it: cut where too long.) */
	bleaf = ucp_path_leaf(name, &bn);
	is = sn == bn && memcmp(sleaf, bleaf, bn) == 0 &&
	     (operand_follows(ctx) ? stat(src, &s) : lstat(src, &s)) == 0 &&
	     lstat(dst, &b) == 0 && !S_ISDIR(b.st_mode) &&
	     !ucp_plan_update_keeps(c, &s, &b) &&
	     !(c->hard_link && b.st_dev == s.st_dev && b.st_ino == s.st_ino) &&
	     is_inode(name, &s);
	free(name);
	return is;
}

static bool same_file_operands(const struct ucp_ctx *ctx, const char *src,
			       const char *dst, const struct stat *a)
{
	struct stat b, la, lb;

	/*
	 * A symbolic link copied as one (-P, -d) onto another: they are the
	 * same file only as one inode, whatever they point to (cp -P l m,
	 * both to f, replaces m).
	 */
	if (!operand_follows(ctx) && lstat(src, &la) == 0 &&
	    S_ISLNK(la.st_mode) && lstat(dst, &lb) == 0 && S_ISLNK(lb.st_mode))
		return la.st_dev == lb.st_dev && la.st_ino == lb.st_ino;
	/*
	 * cp -bf f f: a backup of f, then f copied from it (plan.c). Not
	 * through a symbolic link to it: only the source's own name (or a
	 * hard link) is the file itself.
	 */
	if (ctx->cfg.force && ctx->cfg.backup != UCP_BACKUP_NONE &&
	    S_ISREG(a->st_mode) && !ctx->cfg.hard_link &&
	    !ctx->cfg.symbolic_link && !ctx->cfg.attributes_only &&
	    (is_inode(src, a) || !operand_follows(ctx)))
		return false;
	/*
	 * A hard link of the source there, not its own name, that
	 * --remove-destination removes or a backup moves aside: replaced,
	 * as cp replaces it (plan.c asks the same of each file). A source
	 * that is a symbolic link to it is the same file (cp), unless the
	 * link itself is copied (-P, -d): another file.
	 */
	if ((ctx->cfg.remove_destination ||
	     ctx->cfg.backup != UCP_BACKUP_NONE) &&
	    !ctx->cfg.hard_link && !ctx->cfg.symbolic_link &&
	    lstat(dst, &lb) == 0 && !S_ISLNK(lb.st_mode) &&
	    !S_ISDIR(lb.st_mode) && lb.st_dev == a->st_dev &&
	    lb.st_ino == a->st_ino && !same_entry(src, dst) &&
	    (is_inode(src, a) || !operand_follows(ctx)))
		return false;
	/* -l onto a hard link of the source, or onto itself: made already
	 * (cp says 0 for both). */
	if (ctx->cfg.hard_link && lstat(dst, &lb) == 0 &&
	    lb.st_dev == a->st_dev && lb.st_ino == a->st_ino)
		return false;
	/*
	 * A link made (-l, -s) replaces a symbolic link there, as cp's
	 * does: not the file it points to (cp -lf f s, s -> f, links s).
	 */
	return ((ctx->cfg.remove_destination ||
		 ctx->cfg.backup != UCP_BACKUP_NONE || ctx->cfg.hard_link ||
		 ctx->cfg.symbolic_link)
			? lstat(dst, &b)
			: stat(dst, &b)) == 0 &&
	       a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/*
 * Whether a symbolic link at the destination of file operand src is looked
 * through, as cp does: for a regular file written into what is there, not
 * for a link made (-l, -s), a backup or --remove-destination, nor for a
 * source copied as a symbolic link.
 */
static bool dst_followed(const struct ucp_ctx *ctx, const char *src)
{
	const struct ucp_config *cfg = &ctx->cfg;
	struct stat st;

	if (cfg->remove_destination || cfg->backup != UCP_BACKUP_NONE ||
	    cfg->hard_link || cfg->symbolic_link)
		return false;
	return (operand_follows(ctx) ? stat(src, &st) : lstat(src, &st)) == 0 &&
	       S_ISREG(st.st_mode);
}

/* Queue a non-directory operand as a one-entry pseudo task. */
/*
 * add_file_root's look before anything is made (a: the source's stat, or
 * NULL): the operand is the destination's own file, or a directory is in
 * its way; skipped (-n, -u) or said. True when it is dealt with so.
 */
static bool file_root_settled(struct ucp_ctx *ctx, const char *src,
			      const char *dst, const struct stat *a)
{
	struct ucp_counters *cnt = &ctx->run.workers[0].cnt;
	struct stat b;

	if (a && same_file_operands(ctx, src, dst, a)) {
		/* -n keeps what is there without a look, as cp -n does. */
		if (ctx->cfg.update == UCP_UPDATE_NONE)
			ucp_count(&cnt->skipped, 1);
		else
			top_error(ctx, UCP_OP_SAME_FILE, 0, src, dst);
		return true;
	}
	if (a && backup_is_source(ctx, src, dst)) {
		top_error(ctx, UCP_OP_BACKUP_SOURCE, 0, src, dst);
		return true;
	}
	/*
	 * Through a symbolic link too (-T onto a link to one), where cp
	 * looks through it: a regular file copied into what is there, not
	 * a link made or a backup, which replace the link itself.
	 */
	if ((dst_followed(ctx, src) ? stat(dst, &b) : lstat(dst, &b)) == 0 &&
	    S_ISDIR(b.st_mode)) {
		/* (-n, -u: kept first, as cp keeps it, whatever is there.) */
		if (a && ucp_plan_update_keeps(&ctx->cfg, a, &b))
			ucp_count(&cnt->skipped, 1);
		else
			top_error(ctx, UCP_OP_NONDIR_OVER_DIR, 0, src, dst);
		return true;
	}
	return false;
}

static void add_file_root(struct ucp_ctx *ctx, const char *src, char *dst)
{
	struct ucp_run *run = &ctx->run;
	char *sdir = NULL, *sleaf = NULL, *ddir = NULL, *dleaf = NULL;
	char *where = dst;
	struct ucp_dir *d = NULL;
	struct stat a;
	bool have = stat(src, &a) == 0, node = false;

	if (file_root_settled(ctx, src, dst, have ? &a : NULL))
		return;
	/* "f dir/" where dir/ is no directory: cp's error, nothing made. */
	if (dst[0] && dst[strlen(dst) - 1] == '/') {
		top_error(ctx, UCP_OP_CREATE, ENOTDIR, dst, NULL);
		return;
	}
	/* Messages name dst as typed; the copy goes where it leads. */
	if (write_through(ctx, src, &where, &node) < 0)
		return;
	if (split_path(src, &sdir, &sleaf) < 0 ||
	    split_path(where, &ddir, &dleaf) < 0)
		goto nomem;
	d = ucp_dir_new_root(src, dst);
	if (!d)
		goto nomem;
	/* (Owned by ctx from here, or freed where that failed.) */
	d->only_src = own(ctx, sleaf);
	d->only_dst = own(ctx, dleaf);
	sleaf = dleaf = NULL;
	if (!d->only_src || !d->only_dst)
		goto nomem;
	d->pseudo = true;
	d->dst_through = node;
	d->follow = operand_follows(ctx);
	d->sizes_lie = have && sizes_lie(ctx, src, a.st_dev);
	d->src_fd = open(sdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (d->src_fd < 0) {
		top_error(ctx, UCP_OP_STAT, errno, src, NULL);
		goto out;
	}
	d->dst_fd = dir_of_copy(ctx, ddir, where == dst);
	if (d->dst_fd < 0) {
		top_error(ctx, UCP_OP_CREATE, errno, dst, NULL);
		goto out;
	}
	d->opened = true;
	ucp_sched_push(&run->workers[0], d);
	d = NULL;
	root_queued(ctx);
	goto out;
nomem:
	top_error(ctx, UCP_OP_OPEN, ENOMEM, src, NULL);
out:
	if (d)
		ucp_dir_put(d, NULL, NULL);
	free(sdir);
	free(sleaf);
	free(ddir);
	free(dleaf);
}

/* One source operand going to the destination path dst (owned by ctx). */
static void add_operand(struct ucp_ctx *ctx, const char *src, char *dst)
{
	struct stat st;

	if (ucp_run_stopping(&ctx->run))
		return; /* (interrupted between two batches) */
	if (!operand_stat(ctx, src, &st)) {
		top_error(ctx, UCP_OP_STAT, errno, src, NULL);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!ctx->cfg.recursive)
			top_error(ctx, UCP_OP_OMIT_DIR, 0, src, NULL);
		else
			add_dir_root(ctx, src, dst, &st);
		return;
	}
	add_file_root(ctx, src, dst);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Remember directory dpath, just made for source directory spath (sst),
 * for finish_parents: with its device and inode, what that may change,
 * and, where they are kept, the source's attributes (its ACLs: cp -a
 * --parents gives them; a source that cannot be read for them has none).
 * -ENOMEM or 0.
 */
static int remember_parent(struct ucp_ctx *ctx, const char *spath,
			   const char *dpath, const struct stat *sst,
			   const struct stat *made)
{
	struct made_parent *p = malloc(sizeof(*p) + strlen(dpath) + 1);

	if (!p)
		return -ENOMEM;
	p->sst = *sst;
	p->x = (struct ucp_xattrs){ 0 };
	if (ctx->cfg.preserve & UCP_META_LOAD) {
		int fd = open(spath,
			      O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);

		if (fd >= 0) {
			(void)ucp_xattrs_load_fd(fd, &p->x);
			(void)close(fd); /* a directory, read-only */
		}
	}
	p->dev = made->st_dev;
	p->ino = made->st_ino;
	memcpy(p->path, dpath, strlen(dpath) + 1);
	p->next = ctx->parents;
	ctx->parents = p;
	return 0;
}

/*
 * --parents made directory dpath for source directory spath (sst):
 * remembered, and with -v named, as cp -v --parents names it. -ENOMEM or
 * 0.
 */
static int made_parent(struct ucp_ctx *ctx, const char *spath,
		       const char *dpath, const struct stat *sst,
		       const struct stat *made)
{
	if (remember_parent(ctx, spath, dpath, sst, made) < 0)
		return -ENOMEM;
	if (ctx->cfg.verbose && ctx->ev.copied)
		ctx->ev.copied(ctx->ev.arg, spath, dpath, NULL, NULL);
	return 0;
}

/*
 * --parents: whether dpath, there already, is a directory to copy into:
 * not a symbolic link, which a user who may write the target could have
 * planted to have a root's copy written (and chowned) elsewhere; false
 * said.
 */
static bool parent_there(struct ucp_ctx *ctx, const char *dpath)
{
	struct stat st;
	struct ucp_error e = { .op = UCP_OP_MKDIR, .path = dpath };

	if (lstat(dpath, &st) < 0)
		e.err = errno;
	else if (S_ISDIR(st.st_mode))
		return true;
	else if (S_ISLNK(st.st_mode))
		e.msg = "a symbolic link is in its place: not followed";
	else
		e.err = ENOTDIR;
	report_top(ctx, &e);
	return false;
}

/*
 * target/rel, malloc'd (NULL without memory): a target given with slashes
 * at its end ("d//") joins with one, as cp names the copies ('d/a').
 */
static char *join_target(const char *target, const char *rel)
{
	size_t tlen = strlen(target);

	while (tlen > 1 && target[tlen - 1] == '/' && target[tlen - 2] == '/')
		tlen--;
	return ucp_path_join_n(target, tlen, rel);
}

/*
 * --parents: directory name of pfd, made (made: by this run, from source
 * directory spath, sst) or there, as dpath (for messages and
 * finish_parents): opened (O_PATH) without following a symbolic link in
 * its name, and the one made only if still as made (ours, empty), so
 * that a name swapped meanwhile by a user who may write pfd leads
 * nowhere else. The descriptor, or -1 after a report.
 */
static int open_parent(struct ucp_ctx *ctx, int pfd, const char *name,
		       const char *dpath, const char *spath,
		       const struct stat *sst, bool made)
{
	struct stat st;
	int fd;

	if (made)
		ucp_test_point("mkdir");
	fd = openat(pfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		(void)parent_there(ctx, dpath);
		return -1;
	}
	if (!made || !ucp_meta_dir_as_made(fd, ctx->run.meta.euid))
		return fd;
	/* (Remembered by its device and inode, for finish_parents.) */
	if (fstat(fd, &st) < 0)
		top_error(ctx, UCP_OP_STAT, errno, dpath, NULL);
	else if (made_parent(ctx, spath, dpath, sst, &st) < 0)
		top_error(ctx, UCP_OP_OPEN, ENOMEM, dpath, NULL);
	else
		return fd;
	(void)close(fd); /* an O_PATH descriptor */
	return -1;
}

/*
 * make_parents' step: directory rel[0..k) (its last name from rel + from,
 * src's first skip + k bytes in the source) made or found in pfd. Its
 * descriptor (open_parent), or -1 after a report.
 */
static int parent_step(struct ucp_ctx *ctx, int pfd, const char *target,
		       const char *src, size_t skip, char *rel, size_t k,
		       size_t from)
{
	char *dpath, *spath;
	struct stat st;
	int ret, fd = -1;

	rel[k] = '\0';
	dpath = join_target(target, rel);
	spath = strndup(src, skip + k);
	if (!dpath || !spath) {
		top_error(ctx, UCP_OP_OPEN, ENOMEM, src, NULL);
	} else if (stat(spath, &st) < 0) {
		top_error(ctx, UCP_OP_STAT, errno, spath, NULL);
	} else {
		/* (Owner rwx while it is filled: finish_parents sets it.) */
		ret = ucp_plain_mkdir_rwx(
			&ctx->run, pfd, rel + from,
			ucp_plain_new_mode(&ctx->run, st.st_mode));
		if (ret == 0 || ret == -EEXIST)
			fd = open_parent(ctx, pfd, rel + from, dpath, spath,
					 &st, ret == 0);
		else
			top_error(ctx, UCP_OP_MKDIR, -ret, dpath, NULL);
	}
	rel[k] = '/';
	free(dpath);
	free(spath);
	return fd;
}

/*
 * --parents: create the directories of src under target (each one, when
 * missing, from the source directory of the same name) and return the
 * destination path target/src, owned by ctx; NULL after a report.
 */
static char *make_parents(struct ucp_ctx *ctx, const char *target,
			  const char *src)
{
	size_t skip = strspn(src, "/"), len = strlen(src), k, from = 0;
	char *dst, *rel;
	int pfd = -1, fd;

	while (len > skip + 1 && src[len - 1] == '/')
		len--;
	rel = strndup(src + skip, len - skip);
	dst = rel ? own(ctx, join_target(target, rel)) : NULL;
	if (!dst)
		goto nomem;
	/* (The target as given, as cp takes it; below it, no link.) */
	pfd = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0) {
		top_error(ctx, UCP_OP_OPENDIR, errno, target, NULL);
		goto fail;
	}
	/* Each directory of rel in turn: a, a/b, ... (not the leaf). */
	for (k = 0; rel[k]; k++) {
		if (rel[k] != '/')
			continue;
		/* (A name ends at a slash; "a//b": b's from the second.) */
		if (k > 0 && rel[k - 1] != '/') {
			fd = parent_step(ctx, pfd, target, src, skip, rel, k,
					 from);
			(void)close(pfd); /* an O_PATH descriptor */
			pfd = fd;
			if (pfd < 0)
				goto fail;
		}
		from = k + 1;
	}
	free(rel);
	ctx->parents_fd = pfd;
	return dst;
nomem:
	top_error(ctx, UCP_OP_OPEN, ENOMEM, src, NULL);
fail:
	if (pfd >= 0)
		(void)close(pfd); /* an O_PATH descriptor */
	free(rel);
	return NULL;
}

/* After the run: the --parents directories get their final attributes. */
static void finish_parents(struct ucp_ctx *ctx)
{
	unsigned what = ctx->cfg.preserve | UCP_META_FORCE_MODE;
	struct made_parent *p;
	enum ucp_op op;
	int ret;

	/*
	 * Pushed in creation order, so the list starts with the deepest.
	 * Each is set through a descriptor of the directory made, by its
	 * device and inode: a user who may write the target could have put a
	 * symbolic link in the path since, to have another directory get
	 * the mode and owner.
	 */
	for (p = ctx->parents; p; p = p->next) {
		unsigned how = what;
		struct stat st;
		int fd = open(p->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					       O_CLOEXEC | O_NONBLOCK);

		if (fd < 0 || fstat(fd, &st) < 0 || st.st_dev != p->dev ||
		    st.st_ino != p->ino) {
			top_error(ctx, UCP_OP_REPLACED, 0, p->path, NULL);
			if (fd >= 0)
				(void)close(fd); /* a directory, read-only */
			continue;
		}
		/* Created with owner rwx added; now the plain mode (cp's:
		 * the sticky bit kept, less the umask). */
		if (!(ctx->cfg.preserve & UCP_PRESERVE_MODE)) {
			if (fchmod(fd, ucp_plain_new_mode(&ctx->run,
							  p->sst.st_mode)) < 0)
				top_error(ctx, UCP_OP_CHMOD, errno, p->path,
					  NULL);
			how &= ~UCP_META_FORCE_MODE;
		}
		op = UCP_OP_CHMOD;
		/* -p: its ACLs the source's, none included (not those its
		 * parent's default ACL gave it). */
		ret = 0;
		if (ctx->cfg.preserve & UCP_PRESERVE_MODE) {
			op = UCP_OP_ACL;
			ret = ucp_meta_drop_dir_acls(fd, &p->x);
		}
		if (ret == 0 && ctx->cfg.preserve)
			ret = ucp_meta_apply_fd(fd, &p->sst, how,
						&ctx->run.meta, &p->x, &op);
		if (ret < 0) {
			struct ucp_error e = { .op = op,
					       .err = -ret,
					       .path = p->path };

			if (op == UCP_OP_XATTR)
				e.attr = p->x.failed;
			report_top(ctx, &e);
		}
		(void)close(fd); /* a directory, read-only */
	}
}

struct listed_check {
	struct ucp_ctx *ctx;
	const char *src;
	int fd;
	bool follow; /* -L: the copy follows symbolic links too */
};

/* Whether a directory on the way to rel, below fd, is a symbolic link. */
static bool through_link(int fd, const char *rel)
{
	struct open_how how = { .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS };
	int r;

	if (!strchr(rel, '/'))
		return false;
	r = (int)syscall(SYS_openat2, fd, rel, &how, sizeof(how));
	if (r >= 0) {
		(void)close(r); /* O_PATH */
		return false;
	}
	/* (No openat2 here, or refused by a filter: not known, not said.) */
	return errno == ELOOP;
}

static int check_one_listed(void *arg, const char *rel)
{
	struct listed_check *c = arg;
	struct stat st;
	struct ucp_error e = { .op = UCP_OP_STAT };
	char *path;

	if (fstatat(c->fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		/*
		 * (Through a symbolic link to a directory, which the copy
		 * copies as a link, not followed: the path would be left
		 * out without a word.)
		 */
		if (c->follow || !through_link(c->fd, rel))
			return 0;
		e.msg = "a directory on its way is a symbolic link, copied "
			"as one (-L follows it)";
	} else if (errno == ENOMEM) {
		return -ENOMEM;
	}
	if (!e.msg)
		e.err = errno;
	path = ucp_path_join_n(c->src, strlen(c->src), rel);
	e.path = path ? path : rel;
	report_top(c->ctx, &e);
	free(path);
	return 0;
}

/*
 * --files-from: a listed path the source lacks is an error, as with
 * rsync (its exit status 23), not left out without a word: a backup
 * script's list names what it means to keep. One fstatat a listed path.
 */
static void check_listed(struct ucp_ctx *ctx, const char *src)
{
	struct listed_check c = { .ctx = ctx,
				  .src = src,
				  .follow = ctx->cfg.dereference };

	c.fd = open(src, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c.fd < 0)
		return; /* the copy says what is wrong with the source */
	(void)ucp_pathset_each(ctx->cfg.sync.files_from, check_one_listed, &c);
	(void)close(c.fd); /* O_PATH: nothing to flush */
}

/* --sync: the mirror is DST itself, never DST/basename(SRC). */
static enum ucp_status plan_sync_operands(struct ucp_ctx *ctx,
					  const struct ucp_operands *ops)
{
	struct stat st, dst;
	bool follow = ctx->cfg.dereference || ctx->cfg.deref_args;

	/*
	 * A symbolic link operand is copied as one (-a's -d) unless -H or
	 * -L says to follow it, or a trailing slash names what it points
	 * to: a link is no directory to mirror (and a dangling one none).
	 */
	if ((follow ? stat(ops->argv[0], &st) : lstat(ops->argv[0], &st)) ==
		    0 &&
	    !S_ISDIR(st.st_mode)) {
		return refuse(ctx, UCP_OP_SYNC_SOURCE, ops->argv[0], NULL);
	}
	if (stat(ops->argv[0], &st) == 0 && stat(ops->argv[1], &dst) == 0 &&
	    st.st_dev == dst.st_dev && st.st_ino == dst.st_ino) {
		return refuse(ctx, UCP_OP_SAME_FILE, ops->argv[0],
			      ops->argv[1]);
	}
	if (ctx->cfg.sync.files_from)
		check_listed(ctx, ops->argv[0]);
	add_operand(ctx, ops->argv[0], ops->argv[1]);
	return UCP_OK;
}

/*
 * Operand i goes to dst, where an earlier one, j, goes too (two sources
 * of one name). The operands are copied at once, so no later one may
 * land on an earlier one's copy: the same source given twice is copied
 * once, with cp's warning; a file is not put over the file just made (cp's
 * refusal), nor a directory over a file or a file over a directory; and
 * two directories are not merged (cp merges them one after the other,
 * the later winning; here the order would be chance). False: skip i.
 */
static bool same_target_ok(struct ucp_ctx *ctx, const char *si, const char *sj,
			   const char *dst)
{
	struct stat a, b;
	bool ok_a = operand_stat(ctx, si, &a), ok_b = operand_stat(ctx, sj, &b);
	struct ucp_error e = { .op = UCP_OP_SOURCE_TWICE,
			       .path = si,
			       .warning = true };

	if (!ok_a || !ok_b)
		return true; /* the copy says what is missing */
	if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		e.msg = S_ISDIR(a.st_mode) ? "directory" : "file";
		if (ctx->ev.error)
			ctx->ev.error(ctx->ev.arg, &e);
		return false;
	}
	/*
	 * -n keeps the name the earlier one made, as cp -n does, quietly;
	 * so does -u where that copy is not older than i (cp's -u look
	 * comes first): it has j's time with -p or -l (j itself), else the
	 * time it is made.
	 */
	if (!S_ISDIR(a.st_mode) && !S_ISDIR(b.st_mode) &&
	    ctx->cfg.update != UCP_UPDATE_ALL) {
		if (!(ctx->cfg.preserve & UCP_PRESERVE_TIMESTAMPS) &&
		    !ctx->cfg.hard_link)
			(void)clock_gettime(CLOCK_REALTIME, &b.st_mtim);
		if (ucp_plan_update_keeps(&ctx->cfg, &a, &b)) {
			ucp_count(&ctx->run.workers[0].cnt.skipped, 1);
			return false;
		}
	}
	if (!S_ISDIR(a.st_mode) && ctx->cfg.update == UCP_UPDATE_NONE)
		ucp_count(&ctx->run.workers[0].cnt.skipped, 1);
	else if (S_ISDIR(a.st_mode) && S_ISDIR(b.st_mode))
		top_error(ctx, UCP_OP_SAME_TARGET, 0, si, dst);
	else if (S_ISDIR(a.st_mode))
		top_error(ctx, UCP_OP_DIR_OVER_NONDIR, 0, si, dst);
	else if (S_ISDIR(b.st_mode))
		top_error(ctx, UCP_OP_NONDIR_OVER_DIR, 0, si, dst);
	else
		top_error(ctx, UCP_OP_JUST_CREATED, 0, si, dst);
	return false;
}

/*
 * TARGET/leaf of source src, owned by ctx (NULL without memory). A source
 * whose last name is ".." goes to TARGET/., as cp puts it (TARGET/.. is
 * the directory above TARGET).
 */
static char *dst_in(struct ucp_ctx *ctx, const char *target, const char *src)
{
	char *sd = NULL, *leaf = NULL, *dst = NULL;

	if (split_path(src, &sd, &leaf) == 0) {
		if (strcmp(leaf, "..") == 0)
			leaf[1] = '\0';
		dst = own(ctx, join_target(target, leaf));
	}
	free(sd);
	free(leaf);
	return dst;
}

/*
 * The first nsrc operands into directory target (TARGET/leaf each). The
 * leaves are remembered as hashes, and looked up among the operands only
 * when one comes twice.
 */
static enum ucp_status plan_into(struct ucp_ctx *ctx,
				 const struct ucp_operands *ops, size_t nsrc,
				 const char *target)
{
	struct ucp_u64set seen = { 0 };
	char **dsts;
	size_t i, j;

	if (!is_dir(target))
		return not_dir_target(ctx, target);
	dsts = calloc(nsrc ? nsrc : 1, sizeof(*dsts));
	if (!dsts)
		return UCP_FATAL;
	for (i = 0; i < nsrc; i++) {
		char *dst = dst_in(ctx, target, ops->argv[i]);
		uint64_t h;

		if (!dst)
			break;
		dsts[i] = dst;
		h = ucp_u64set_hash(dst, strlen(dst));
		if (ucp_u64set_has(&seen, h)) {
			for (j = 0; j < i; j++)
				if (dsts[j] && strcmp(dsts[j], dst) == 0)
					break;
			if (j < i && !same_target_ok(ctx, ops->argv[i],
						     ops->argv[j], dst)) {
				dsts[i] = NULL;
				continue;
			}
		} else if (ucp_u64set_add(&seen, h) < 0) {
			break;
		}
		add_operand(ctx, ops->argv[i], dst);
	}
	ucp_u64set_release(&seen);
	free(dsts);
	return i < nsrc ? UCP_FATAL : UCP_OK;
}

/* Turn the operands into tasks; returns UCP_USAGE for impossible ones. */
static enum ucp_status plan_operands(struct ucp_ctx *ctx,
				     const struct ucp_operands *ops)
{
	const char *target = ctx->cfg.target_dir;
	size_t nsrc = ops->argc, i;

	if (!target && !ctx->cfg.no_target_dir && ops->argc >= 2 &&
	    is_dir(ops->argv[ops->argc - 1]))
		target = ops->argv[ops->argc - 1];
	if (!ctx->cfg.target_dir)
		nsrc--;
	if (ctx->cfg.sync.on)
		return plan_sync_operands(ctx, ops);
	if (ctx->cfg.parents && (!target || !is_dir(target))) {
		return refuse(ctx, UCP_OP_PARENTS_TARGET,
			      ops->argv[ops->argc - 1], NULL);
	}
	if (target && ctx->cfg.parents) {
		for (i = 0; i < nsrc; i++) {
			char *dst = make_parents(ctx, target, ops->argv[i]);

			if (dst)
				add_operand(ctx, ops->argv[i], dst);
			if (ctx->parents_fd >= 0)
				(void)close(ctx->parents_fd); /* O_PATH */
			ctx->parents_fd = -1;
		}
		return UCP_OK;
	}
	if (target)
		return plan_into(ctx, ops, nsrc, target);
	if (nsrc != 1)
		return not_dir_target(ctx, ops->argv[ops->argc - 1]);
	add_operand(ctx, ops->argv[0], ops->argv[1]);
	return UCP_OK;
}

/* Decide the engine; false when the user demanded one that cannot run. */
static bool choose_engine(struct ucp_ctx *ctx)
{
	const char *why = NULL;
	int ret;

	ctx->run.use_uring = false;
	if (ctx->cfg.engine == UCP_ENGINE_THREADS)
		return true;
	ret = ucp_ring_probe(&why);
	if (ret == 0) {
		ctx->run.use_uring = true;
		return true;
	}
	if (ctx->ev.error) {
		struct ucp_error e = {
			.op = UCP_OP_ENGINE_FALLBACK,
			.err = -ret,
			.msg = why,
			.warning = ctx->cfg.engine == UCP_ENGINE_AUTO,
			.fatal = ctx->cfg.engine == UCP_ENGINE_URING
		};

		ctx->ev.error(ctx->ev.arg, &e);
	}
	return ctx->cfg.engine == UCP_ENGINE_AUTO;
}

static int setup_run(struct ucp_ctx *ctx)
{
	struct ucp_run *run = &ctx->run;
	size_t per;
	unsigned i;

	run->cfg = &ctx->cfg;
	run->ev = &ctx->ev;
	run->cancel = &ctx->cancel;
	run->nworkers = ctx->cfg.jobs;
	run->dir_budget = ctx->dirs.limit;
	run->dirs = &ctx->dirs;
	run->chunk = CHUNK;
	run->held_fds = ctx->held_fds;
	per = ctx->cfg.buffer_size / CHUNK / run->nworkers;
	run->bufs_per_worker = (unsigned)UCP_MAX(4, UCP_MIN(per, 256));
	ucp_meta_env_init(&run->meta, &ctx->cfg);
	run->pid = getpid();
	run->meta.xattr_strict = ctx->cfg.xattr_strict;
	run->meta.xattr_report = ctx->cfg.sync.on;
	run->meta.nosup_said = &run->nosup_said;
	run->meta.xattr_retry = ctx->cfg.sync.on;
	run->meta.retry_window = ctx->cfg.sync.modify_window;
	pthread_mutex_init(&run->lock, NULL);
	pthread_mutex_init(&run->files_lock, NULL);
	pthread_cond_init(&run->cond, NULL);
	pthread_cond_init(&run->ended, NULL);
	run->workers = calloc(run->nworkers, sizeof(*run->workers));
	if (!run->workers)
		return -ENOMEM;
	if ((ctx->cfg.preserve & UCP_PRESERVE_LINKS) &&
	    ucp_links_new(&run->links) < 0)
		return -ENOMEM;
	if (ctx->cfg.sync.on && ucp_sync_new(&run->sync, run->nworkers) < 0)
		return -ENOMEM;
	run->mode = run->sync ? &ucp_sync_mode : &ucp_tree_mode;
	for (i = 0; i < run->nworkers; i++) {
		struct ucp_worker *w = &run->workers[i];

		w->run = run;
		w->id = i;
		/* --engine=uring asks for the ring: no shortcut for cached
		 * files. */
		w->no_cached = ctx->cfg.engine == UCP_ENGINE_URING ||
			       ctx->cfg.no_cache;
		pthread_mutex_init(&w->dq.lock, NULL);
		ucp_current_init(&w->current);
		w->buf = malloc(ucp_plain_buf_size(run));
		w->ents = malloc(sizeof(*w->ents));
		if (!w->buf || !w->ents)
			return -ENOMEM;
	}
	return 0;
}

static void teardown_run(struct ucp_ctx *ctx)
{
	struct ucp_run *run = &ctx->run;
	unsigned i;

	for (i = 0; run->workers && i < run->nworkers; i++) {
		free(run->workers[i].buf);
		free(run->workers[i].ents);
		ucp_u64set_release(&run->workers[i].folds);
		ucp_u64set_release(&run->workers[i].afolds);
		pthread_mutex_destroy(&run->workers[i].dq.lock);
		ucp_current_release(&run->workers[i].current);
	}
	pthread_mutex_destroy(&run->lock);
	pthread_mutex_destroy(&run->files_lock);
	pthread_cond_destroy(&run->cond);
	pthread_cond_destroy(&run->ended);
	ucp_links_free(run->links);
	run->links = NULL;
	ucp_sync_free(run->sync);
	run->sync = NULL;
}

/*
 * The counting walk, when the caller wants totals ahead (a progress
 * display): over the source operands, with the copy's rules. Not with
 * filters, --files-from or --existing, whose selections it does not
 * know. Without it (or when it cannot start) the totals are what the copy
 * has found.
 */
static void start_scan(struct ucp_ctx *ctx, const struct ucp_operands *ops)
{
	const struct ucp_config *c = &ctx->cfg;
	struct ucp_scan_opts o = {
		.recursive = c->recursive,
		.follow_all = c->dereference,
		.follow_roots =
			c->deref_args || (!c->recursive && !c->no_dereference),
		.one_file_system = c->one_file_system,
		.max_open = ctx->scan_open,
	};
	size_t nsrc = c->target_dir ? ops->argc : ops->argc - 1;
	struct ucp_scan *s;

	/* (--existing is a selection too: of what the mirror has.) */
	if (!c->scan || c->sync.filter || c->sync.files_from ||
	    c->sync.existing_only)
		return;
	if (c->sync.on)
		nsrc = 1;
	if (ucp_scan_start(&s, ops->argv, nsrc, &o, &ctx->cancel) == 0) {
		atomic_store(&ctx->scan, s);
		ctx->run.totals_ahead = true;
	}
#ifdef UCP_TEST_HOOKS
	while (test_scan_first && ctx->scan && ucp_scan_running(ctx->scan))
		(void)usleep(1000);
#endif
}

/* Whether the limit on open files lets a copy run (FD_FLOOR, FD_PER_REF). */
static bool fds_enough(struct ucp_ctx *ctx)
{
	unsigned nref = ctx->cfg.sync.nref_dirs;
	unsigned long long need =
		FD_FLOOR + (unsigned long long)nref * FD_PER_REF;
	struct rlimit rl;
	char msg[160];
	struct ucp_error e = {
		.op = UCP_OP_FD_LIMIT, .path = NULL, .msg = msg, .fatal = true
	};

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
		return true;
	if (nref)
		(void)snprintf(msg, sizeof(msg),
			       "the limit of %llu open files is too low: ucp "
			       "needs %llu (%d, and %u for each --link-dest or "
			       "--reflink-dest directory)",
			       (unsigned long long)rl.rlim_cur, need, FD_FLOOR,
			       FD_PER_REF);
	else
		(void)snprintf(msg, sizeof(msg),
			       "the limit of %llu open files is too low: ucp "
			       "needs %d",
			       (unsigned long long)rl.rlim_cur, FD_FLOOR);
	if (ctx->ev.error)
		ctx->ev.error(ctx->ev.arg, &e);
	return false;
}

enum ucp_status ucp_run(struct ucp_ctx *ctx, const struct ucp_operands *ops)
{
	enum ucp_status verdict = UCP_OK;
	int bits;

	if (!fds_enough(ctx))
		return UCP_FATAL;
	if (setup_run(ctx) < 0) {
		struct ucp_error e = { .op = UCP_OP_START,
				       .err = ENOMEM,
				       .fatal = true };

		if (ctx->ev.error)
			ctx->ev.error(ctx->ev.arg, &e);
		teardown_run(ctx);
		return UCP_FATAL;
	}
	if (!choose_engine(ctx)) {
		teardown_run(ctx);
		return UCP_FATAL;
	}
	ctx->run.engine = ctx->run.use_uring ? &ucp_copy_engine : NULL;
	ctx->run.sqpoll = ctx->cfg.sqpoll && ctx->run.use_uring;
	ctx->ops = ops;
	if (ops->argc == 0 || (ops->argc < 2 && !ctx->cfg.target_dir))
		verdict = UCP_USAGE;
	else
		verdict = plan_operands(ctx, ops);
	/* (What earlier batches left queued runs whatever the verdict.) */
	if (verdict == UCP_OK || ctx->scan_started)
		run_batch(ctx);
	/* (Kept, stopped, for its totals: the progress reads them.) */
	ucp_scan_stop(ctx->scan);
	if (verdict == UCP_OK) {
		if (ctx->run.sync)
			atomic_fetch_or(
				&ctx->run.status,
				ucp_sync_delete(&ctx->run, ops->argv[0],
						ctx->partial ? ctx->partial
							     : ops->argv[1]));
		finish_partial(ctx);
	}
	finish_parents(ctx);
	teardown_run(ctx);
	if (verdict != UCP_OK)
		return verdict;
	bits = atomic_load(&ctx->run.status);
	return ucp_status_verdict((unsigned)bits, ctx->cancel != 0);
}

/* ---- archives ------------------------------------------------------ */

static void tar_env(struct ucp_ctx *ctx, struct ucp_tar_env *env)
{
	env->cfg = &ctx->cfg;
	env->ev = &ctx->ev;
	env->cancel = &ctx->cancel;
	env->cnt = &ctx->tar_cnt;
	env->cur = &ctx->tar_cur;
	env->max_dirs = ctx->dirs.limit;
	env->walked = &ctx->tar_walked;
	ctx->tar_mode = true;
}

enum ucp_status ucp_tar_create(struct ucp_ctx *ctx,
			       const struct ucp_operands *ops)
{
	struct ucp_tar_env env;
	enum ucp_status st;

	if (ops->argc < 2)
		return UCP_USAGE;
	tar_env(ctx, &env);
	ctx->running = true;
	st = ucp_tar_write(&env, ops->argv, ops->argc - 1,
			   ops->argv[ops->argc - 1]);
	ctx->running = false;
	return st;
}

enum ucp_status ucp_tar_extract(struct ucp_ctx *ctx,
				const struct ucp_operands *ops)
{
	struct ucp_tar_env env;
	enum ucp_status st;

	if (ops->argc != 2)
		return UCP_USAGE;
	tar_env(ctx, &env);
	ctx->reading_archive = true;
	ctx->running = true;
	st = ucp_tar_read(&env, ops->argv[0], ops->argv[1]);
	ctx->running = false;
	return st;
}

enum ucp_status ucp_tar_list(struct ucp_ctx *ctx,
			     const struct ucp_operands *ops)
{
	struct ucp_tar_env env;

	if (ops->argc != 1)
		return UCP_USAGE;
	tar_env(ctx, &env);
	return ucp_tar_members(&env, ops->argv[0]);
}
