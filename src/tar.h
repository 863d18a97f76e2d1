/* SPDX-License-Identifier: MIT */
/*
 * tar.h: archives through libarchive, behind the facade in ucp.c.
 *
 * tar.c writes archives (walk, read ahead in parallel, one writer thread
 * in walk order); untar.c reads them (extract safely, or list). They are
 * the only files that call libarchive (archive_dl.h), but for --version. Both
 * report through env->ev, count into env->cnt and stop early when *env->cancel
 * is set.
 *
 * Why archive creation has its own threads and not the scheduler
 * (sched.c): an archive is one stream whose members must be written in
 * one order, by one thread, while the scheduler's workers take
 * directories in whatever order stealing gives and finish files out of
 * order. tar.c therefore walks in order and lets its workers only read
 * ahead (stat, xattrs, the first bytes) into a bounded window that the
 * writer drains in walk order; nothing of sched's deques, stealing or
 * post-order would be used. Extraction is one stream too and runs on the
 * calling thread. Both share the rest: status.h's verdict and tick,
 * meta.h's attributes, replace.h's temporaries.
 */
#ifndef UCP_TAR_H
#define UCP_TAR_H

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "progress.h"
#include "types.h"

struct ucp_tar_env {
	const struct ucp_config *cfg; /* jobs and buffer_size are resolved */
	const struct ucp_events *ev;
	atomic_int *cancel;
	struct ucp_counters *cnt;
	struct ucp_current *cur; /* the big member being written or extracted */
	int max_dirs;	     /* directory descriptors to stay under (0: any) */
	atomic_bool *walked; /* set once --tar's walk found every member */
};

/*
 * A member of type mode is done (archived, or extracted): a directory
 * counts as a directory, anything else as a file, and symbolic and hard
 * links also as such.
 */
static inline void ucp_tar_count_done(struct ucp_counters *c, mode_t mode,
				      bool hardlink)
{
	if (S_ISDIR(mode) && !hardlink) {
		ucp_count(&c->dirs_done, 1);
		return;
	}
	ucp_file_done(c);
	if (hardlink)
		ucp_count(&c->links_done, 1);
	else if (S_ISLNK(mode))
		ucp_count(&c->symlinks_done, 1);
}

/* Write srcs (borrowed) into archive ("-": stdout); the run's verdict. */
enum ucp_status ucp_tar_write(const struct ucp_tar_env *env, char *const *srcs,
			      size_t nsrc, const char *archive);

/*
 * Load libarchive (archive_dl.h) for the entry points below, which call it
 * first: true, or false after reporting why it cannot be (a fatal error).
 */
bool ucp_tar_load(const struct ucp_tar_env *env);

#ifdef UCP_TEST_HOOKS
/* Test hook: load libarchive by this file name (NULL: its soname). */
void ucp_tar_test_archive_name(const char *name);
/*
 * Test hook: --tar stops the process (SIGSTOP) once, after it has looked
 * at the first regular file and before it reads any of its data.
 */
void ucp_tar_test_stop_before_data(bool on);
/*
 * Test hook: --tar stops the process (SIGSTOP) once, just before its
 * writer opens a streamed file (one not read ahead) for its data.
 */
void ucp_tar_test_stop_open(bool on);
#endif

/* Extract archive ("-": stdin) under dir; the run's verdict. */
enum ucp_status ucp_tar_read(const struct ucp_tar_env *env, const char *archive,
			     const char *dir);

/* List the members of archive through env->ev->member. */
enum ucp_status ucp_tar_members(const struct ucp_tar_env *env,
				const char *archive);

#endif
