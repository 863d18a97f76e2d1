/* SPDX-License-Identifier: MIT */
/*
 * progress.h: per-worker counters, summed on demand.
 *
 * Each worker bumps only its own counters (relaxed atomics on a cache line
 * of their own), when a file's terminal completion or a data write is
 * reaped. Readers sum all workers; the sum may be a few operations stale,
 * never torn. This module never prints and never touches a ring.
 */
#ifndef UCP_PROGRESS_H
#define UCP_PROGRESS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct ucp_counters {
	_Atomic uint64_t files_done;
	_Atomic uint64_t bytes_done;
	_Atomic uint64_t files_found;
	_Atomic uint64_t bytes_found;
	_Atomic uint64_t dirs_done;
	_Atomic uint64_t errors;
	_Atomic uint64_t symlinks_done; /* also counted in files_done */
	_Atomic uint64_t links_done; /* hard links made; also in files_done */
	_Atomic uint64_t skipped;    /* kept by -n/-u, sockets */
	_Atomic uint64_t files_skipped; /* --sync: found unchanged */
	_Atomic uint64_t deleted;	/* --sync --delete: entries removed */
	_Atomic uint64_t bytes_settled; /* sizes done without writing */
} __attribute__((aligned(64)));

static inline void ucp_count(_Atomic uint64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

#ifdef UCP_TEST_HOOKS
extern _Atomic uint64_t ucp_test_stop_left;
void ucp_test_stop_count(void);
#endif

/* One file (or link, or member) is done. */
static inline void ucp_file_done(struct ucp_counters *c)
{
	ucp_count(&c->files_done, 1);
#ifdef UCP_TEST_HOOKS
	if (atomic_load_explicit(&ucp_test_stop_left, memory_order_relaxed))
		ucp_test_stop_count();
#endif
}

/*
 * A regular file settled without a copy (a hard link made in its place,
 * found unchanged by --sync, kept by -n or -u): its size counts as done
 * for the progress, as the totals count every name's (a finished copy of
 * a tree of two names a file would show 50% otherwise, and a re-sync that
 * changes nothing 0%); the bytes written (bytes_done, --stats) do not
 * grow.
 */
static inline void ucp_settle_bytes(struct ucp_counters *c, bool regular,
				    int64_t size)
{
	if (regular && size > 0)
		ucp_count(&c->bytes_settled, (uint64_t)size);
}

/* --sync found the file st unchanged (or made it from a reference). */
static inline void ucp_file_unchanged(struct ucp_counters *c,
				      const struct stat *st)
{
	ucp_count(&c->files_skipped, 1);
	ucp_settle_bytes(c, S_ISREG(st->st_mode), st->st_size);
}

/*
 * The file a worker is copying, for the progress line: published only
 * for files of UCP_CURRENT_MIN bytes or more, so that the cost (a path
 * built, an uncontended lock) is nothing beside the copy itself, and
 * small files cost one comparison. The lock keeps a reader from seeing a
 * name half replaced; the reader (the ticker, ten times a second) copies
 * the name out under it.
 */
#define UCP_CURRENT_MIN ((uint64_t)8 << 20)

struct ucp_current {
	pthread_mutex_t lock;
	const void *owner; /* what set it: only that clears it */
	char *name;	   /* owned; NULL when none */
	uint64_t size;
	_Atomic unsigned reads; /* names copied out (test hook) */
};

void ucp_current_init(struct ucp_current *c);
void ucp_current_release(struct ucp_current *c);

/*
 * Publish name (takes ownership; NULL, from a failed allocation, clears)
 * as the file of size bytes that owner is copying. c may be NULL (no
 * slot): then nothing is shown, and the same for ucp_current_clear.
 */
void ucp_current_set(struct ucp_current *c, const void *owner, char *name,
		     uint64_t size);

/* owner is done with its file; nothing if another file replaced it. */
void ucp_current_clear(struct ucp_current *c, const void *owner);

/*
 * If c holds a file larger than *size, copy its name into buf (n bytes;
 * a longer one becomes "..." and its last n - 4 bytes) and its size into
 * *size; true if it did.
 */
bool ucp_current_read(struct ucp_current *c, char *buf, size_t n,
		      uint64_t *size);

#ifdef UCP_TEST_HOOKS
/*
 * Test hook of debug builds: ucp_current_set waits (10 s at most) until
 * another thread has read the name, so that a test sees it on the bar
 * before the file is done, whatever the speed of the machine.
 */
extern atomic_bool ucp_test_hold_current;
#endif

/* Plain totals, as summed by ucp_progress_sum. */
struct ucp_totals {
	uint64_t files_done, bytes_done, files_found, bytes_found;
	uint64_t dirs_done, errors;
	uint64_t symlinks_done, links_done, skipped;
	uint64_t files_skipped, deleted, bytes_settled;
};

/* Sum n counter blocks into *t. */
void ucp_progress_sum(const struct ucp_counters *c, unsigned n,
		      struct ucp_totals *t);

#endif
