/* SPDX-License-Identifier: MIT */
/*
 * tar.h: archives through libarchive, behind the facade in ucp.c.
 *
 * tar.c writes archives (walk, read ahead in parallel, one writer thread
 * in walk order); untar.c reads them (extract safely, or list). They are
 * the only files that include <archive.h>. Both report through env->ev,
 * count into env->cnt and stop early when *env->cancel is set.
 */
#ifndef UCP_TAR_H
#define UCP_TAR_H

#include <stdatomic.h>
#include <stddef.h>

#include "progress.h"
#include "types.h"

struct ucp_tar_env {
	const struct ucp_config *cfg; /* jobs and buffer_size are resolved */
	const struct ucp_events *ev;
	atomic_int *cancel;
	struct ucp_counters *cnt;
};

/* Write srcs (borrowed) into archive ("-": stdout); the run's verdict. */
enum ucp_status ucp_tar_write(const struct ucp_tar_env *env, char *const *srcs,
			      size_t nsrc, const char *archive);

/* Extract archive ("-": stdin) under dir; the run's verdict. */
enum ucp_status ucp_tar_read(const struct ucp_tar_env *env, const char *archive,
			     const char *dir);

/* List the members of archive through env->ev->member. */
enum ucp_status ucp_tar_members(const struct ucp_tar_env *env,
				const char *archive);

#endif
