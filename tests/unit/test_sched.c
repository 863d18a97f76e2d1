/* SPDX-License-Identifier: MIT */
/*
 * test_sched.c: the scheduler alone, driving a fake engine and a fake mode
 * over a tree that exists only in memory. Every entry of every directory
 * is handed out once, every directory is finalised once and after its
 * subdirectories, and a worker whose files are still in flight keeps the
 * run going: an idle worker never sees "nothing pending, nobody busy"
 * while there is I/O to finish (it would return for good, and no big file
 * could be handed over to it any more).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched.h"

#define FILES 5	    /* files in each directory */
#define SUBDIRS 3   /* subdirectories of each directory above DEPTH */
#define DEPTH 3	    /* levels below the root, at most */
#define MAX_DIRS 64 /* 1 + 3 + 9 + 27 */
#define MAX_WORKERS 4

/* The fake engine: a file in flight is a count that poll completes. */
struct ucp_copier {
	unsigned inflight;
};

static struct ucp_copier copiers[MAX_WORKERS];
static unsigned cursor[MAX_WORKERS]; /* entries handed out of w->cur */
static int max_depth;		     /* of the tree run_tree makes */
static atomic_uint files, early_ends, polls;

/* For checks in worker threads, where cmocka's cannot jump. */
#define must(cond)                                                         \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, \
				#cond);                                    \
			abort();                                           \
		}                                                          \
	} while (0)

static pthread_mutex_t fin_lock = PTHREAD_MUTEX_INITIALIZER;
static char *finished[MAX_DIRS]; /* relative paths, in finalising order */
static unsigned nfinished;

/*
 * Whenever a worker looks for more work or waits for its I/O: with files
 * in flight, the run must not look over to anyone else.
 */
static void check_alive(const struct ucp_worker *w)
{
	if (w->cp->inflight > 0 && atomic_load(&w->run->pending) == 0 &&
	    atomic_load(&w->run->busy) == 0)
		atomic_fetch_add(&early_ends, 1);
}

static int fake_init(struct ucp_worker *w)
{
	w->cp = &copiers[w->id];
	w->cp->inflight = 0;
	return 0;
}

static bool fake_can_admit(const struct ucp_worker *w)
{
	check_alive(w);
	return w->cp->inflight < 8;
}

static unsigned fake_inflight(const struct ucp_worker *w)
{
	return w->cp->inflight;
}

static void fake_poll(struct ucp_worker *w)
{
	check_alive(w);
	w->cp->inflight--;
	atomic_fetch_add(&polls, 1);
}

static void fake_free(struct ucp_worker *w)
{
	must(w->cp->inflight == 0);
	w->cp = NULL;
}

static const struct ucp_engine_ops fake_engine = {
	.init = fake_init,
	.can_admit = fake_can_admit,
	.inflight = fake_inflight,
	.poll = fake_poll,
	.free = fake_free,
};

static int depth(const struct ucp_dir *d)
{
	int n = 0;

	for (; d->parent; d = d->parent)
		n++;
	return n;
}

static int fake_open_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	if (d->parent && !d->opened)
		ucp_dir_child_opened(d);
	d->opened = true;
	cursor[w->id] = 0;
	return 0;
}

static void fake_entry(struct ucp_worker *w, struct ucp_dir *d,
		       const char *sname, const char *dname, unsigned char type)
{
	(void)d;
	(void)sname;
	(void)dname;
	(void)type;
	atomic_fetch_add(&files, 1);
	if (w->cp)
		w->cp->inflight++;
}

static char handed[4][16]; /* files handed over, as taken */
static atomic_uint nhanded;

static void fake_entry_st(struct ucp_worker *w, struct ucp_dir *d,
			  const char *sname, const char *dname,
			  const struct stat *st)
{
	unsigned i = atomic_fetch_add(&nhanded, 1);

	(void)d;
	/* Only a handed-over file comes back here: the engine keeps all. */
	must(w->handed && strcmp(sname, dname) == 0 && i < 4 &&
	     st->st_size >= (off_t)UCP_HAND_OVER_MIN);
	(void)snprintf(handed[i], sizeof(handed[i]), "%s", sname);
}

/* FILES files, then SUBDIRS subdirectories above max_depth. */
static bool fake_next(struct ucp_worker *w, struct ucp_dir *d)
{
	unsigned i = cursor[w->id]++;
	char name[16];

	if (max_depth < 0)
		return false; /* an empty root */

	if (i < FILES) {
		(void)snprintf(name, sizeof(name), "f%u", i);
		w->run->mode->entry(w, d, name, name, DT_REG);
		return true;
	}
	if (i < FILES + SUBDIRS && depth(d) < max_depth) {
		struct ucp_dir *c;

		(void)snprintf(name, sizeof(name), "d%u", i - FILES);
		c = ucp_dir_new_child(d, name, S_IFDIR | 0755);
		must(c);
		ucp_sched_push(w, c);
		return true;
	}
	return false;
}

static void fake_finalize_dir(struct ucp_worker *w, struct ucp_dir *d)
{
	char *rel = ucp_dir_rel(d, NULL);

	(void)w;
	must(rel);
	pthread_mutex_lock(&fin_lock);
	must(nfinished < MAX_DIRS);
	finished[nfinished++] = rel;
	pthread_mutex_unlock(&fin_lock);
}

static const struct ucp_mode_ops fake_mode = {
	.open_dir = fake_open_dir,
	.next = fake_next,
	.entry = fake_entry,
	.entry_st = fake_entry_st,
	.finalize_dir = fake_finalize_dir,
};

/* Where rel was finalised, or -1. */
static int finished_at(const char *rel)
{
	unsigned i;

	for (i = 0; i < nfinished; i++)
		if (strcmp(finished[i], rel) == 0)
			return (int)i;
	return -1;
}

static const struct ucp_config cfg;
static const struct ucp_events ev;
static atomic_int cancel;

static void run_init(struct ucp_run *run, unsigned nworkers, bool engine)
{
	unsigned i;

	memset(run, 0, sizeof(*run));
	atomic_store(&files, 0);
	atomic_store(&early_ends, 0);
	atomic_store(&polls, 0);
	atomic_store(&nhanded, 0);
	nfinished = 0;
	run->cfg = &cfg;
	run->ev = &ev;
	run->cancel = &cancel;
	run->engine = engine ? &fake_engine : NULL;
	run->mode = &fake_mode;
	run->nworkers = nworkers;
	run->chunk = 4096;
	pthread_mutex_init(&run->lock, NULL);
	pthread_mutex_init(&run->files_lock, NULL);
	pthread_cond_init(&run->cond, NULL);
	pthread_cond_init(&run->ended, NULL);
	run->workers = calloc(nworkers, sizeof(*run->workers));
	assert_non_null(run->workers);
	for (i = 0; i < nworkers; i++) {
		run->workers[i].run = run;
		run->workers[i].id = i;
		pthread_mutex_init(&run->workers[i].dq.lock, NULL);
		run->workers[i].ents = malloc(sizeof(*run->workers[i].ents));
		assert_non_null(run->workers[i].ents);
	}
}

static void run_free(struct ucp_run *run)
{
	unsigned i;

	assert_int_equal(atomic_load(&run->pending), 0);
	assert_int_equal(atomic_load(&run->busy), 0);
	assert_int_equal(atomic_load(&run->nfiles), 0);
	for (i = 0; i < nfinished; i++)
		free(finished[i]);
	for (i = 0; i < run->nworkers; i++) {
		free(run->workers[i].ents);
		pthread_mutex_destroy(&run->workers[i].dq.lock);
	}
	free(run->workers);
	pthread_mutex_destroy(&run->lock);
	pthread_mutex_destroy(&run->files_lock);
	pthread_cond_destroy(&run->cond);
	pthread_cond_destroy(&run->ended);
}

/* A tree levels deep below its root, copied by nworkers. */
static void run_tree(unsigned nworkers, bool engine, int levels)
{
	struct ucp_run run;
	struct ucp_dir *root;
	unsigned i, dirs = 0, n = 1;

	run_init(&run, nworkers, engine);
	max_depth = levels;
	root = ucp_dir_new_root("src", "dst");
	assert_non_null(root);
	root->opened = true;
	ucp_sched_push(&run.workers[0], root);

	assert_int_equal(ucp_sched_run(&run), 0);

	for (i = 0; i <= (unsigned)levels; i++, n *= SUBDIRS)
		dirs += n;
	assert_int_equal(atomic_load(&early_ends), 0);
	assert_int_equal(atomic_load(&files), dirs * FILES);
	assert_int_equal(atomic_load(&polls), engine ? dirs * FILES : 0);
	assert_int_equal(nfinished, dirs);
	/* Each directory once, after its subdirectories; the root last. */
	for (i = 0; i < nfinished; i++) {
		char *slash = strrchr(finished[i], '/');
		char parent[64] = "";

		assert_int_equal(finished_at(finished[i]), (int)i);
		if (slash)
			(void)snprintf(parent, sizeof(parent), "%.*s",
				       (int)(slash - finished[i]), finished[i]);
		if (finished[i][0])
			assert_true(finished_at(parent) > (int)i);
	}
	assert_string_equal(finished[nfinished - 1], "");
	run_free(&run);
}

/*
 * Big files found before any other worker waits (the others are still
 * starting): up to one fewer than the other workers are queued for the
 * next to be idle, and copied by whoever takes them; beyond that, the
 * finder keeps them. A worker that waits takes one at any time.
 */
static void big_files_found_before_anyone_waits(void **state)
{
	struct ucp_run run;
	struct ucp_dir *root;
	struct stat st = { .st_mode = S_IFREG | 0644,
			   .st_size = 4 * (off_t)UCP_HAND_OVER_MIN };
	struct stat small = st;
	unsigned nworkers;

	(void)state;
	small.st_size = (off_t)UCP_HAND_OVER_MIN - 1;
	for (nworkers = 2; nworkers <= 3; nworkers++) {
		struct ucp_worker *w;
		unsigned i, queued = 0;

		run_init(&run, nworkers, false);
		w = &run.workers[0];
		max_depth = -1;
		root = ucp_dir_new_root("src", "dst");
		assert_non_null(root);
		root->opened = true;
		assert_false(ucp_sched_hand_over(w, root, "s", "s", &small));
		for (i = 0; i < nworkers - 1; i++, queued++) {
			char name[8];

			(void)snprintf(name, sizeof(name), "b%u", i);
			assert_true(
				ucp_sched_hand_over(w, root, name, name, &st));
		}
		assert_false(ucp_sched_hand_over(w, root, "kept", "kept", &st));
		atomic_store(&run.sleepers, 1);
		assert_true(ucp_sched_hand_over(w, root, "late", "late", &st));
		queued++;
		atomic_store(&run.sleepers, 0);
		assert_int_equal(atomic_load(&run.nfiles), queued);

		ucp_sched_push(w, root);
		assert_int_equal(ucp_sched_run(&run), 0);

		assert_int_equal(atomic_load(&nhanded), queued);
		for (i = 0; i < queued; i++)
			assert_string_not_equal(handed[i], "kept");
		assert_int_equal(nfinished, 1);
		run_free(&run);
	}
}

/*
 * One directory whose files are all admitted at once: its scan ends while
 * they are in flight, and the run must not look over (a second worker
 * went home there, and every big file stayed with the first).
 */
static void a_scan_that_ends_with_files_in_flight(void **state)
{
	(void)state;
	run_tree(1, true, 0);
	run_tree(2, true, 0);
}

static void one_worker_with_the_engine(void **state)
{
	(void)state;
	run_tree(1, true, DEPTH);
}

static void one_worker_with_syscalls(void **state)
{
	(void)state;
	run_tree(1, false, DEPTH);
}

static void workers_share_the_tree(void **state)
{
	unsigned round;

	(void)state;
	/* Interleavings differ from round to round; each must hold. */
	for (round = 0; round < 50; round++) {
		run_tree(2, true, DEPTH);
		run_tree(MAX_WORKERS, true, DEPTH);
		run_tree(MAX_WORKERS, false, DEPTH);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_scan_that_ends_with_files_in_flight),
		cmocka_unit_test(one_worker_with_the_engine),
		cmocka_unit_test(one_worker_with_syscalls),
		cmocka_unit_test(workers_share_the_tree),
		cmocka_unit_test(big_files_found_before_anyone_waits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
