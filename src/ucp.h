/* SPDX-License-Identifier: MIT */
/*
 * ucp.h: the engine's public interface, and the only header cmd/ includes.
 *
 * Lifecycle:
 *   1. fill a struct ucp_config (zero it first: zero means "default")
 *   2. ucp_ctx_new(&ctx, &cfg, &events)
 *   3. status = ucp_run(ctx, &operands)
 *   4. ucp_ctx_free(ctx)
 *
 * The engine never prints, never exits and never reads the environment or
 * argv. It reports through the callbacks in struct ucp_events, which may be
 * called from several worker threads at once (the caller serialises its
 * output), and returns a run-level verdict.
 */
#ifndef UCP_H
#define UCP_H

#include <stdbool.h>
#include <stdint.h>

#include "filter.h"
#include "pathset.h"
#include "rate.h"
#include "tarname.h"
#include "types.h"
#include "version.h"

#define UCP_VERSION "0.1.0"

struct ucp_ctx;

/*
 * Create a run context. cfg and events are copied. Returns 0, -ENOMEM, or
 * -EINVAL for a configuration that cannot work.
 */
int ucp_ctx_new(struct ucp_ctx **out, const struct ucp_config *cfg,
		const struct ucp_events *events);
/* Free a context; NULL is a no-op. Not while ucp_run is running. */
void ucp_ctx_free(struct ucp_ctx *ctx);

/* Copy as cp would: the operand rules are in man/ucp.1. */
enum ucp_status ucp_run(struct ucp_ctx *ctx, const struct ucp_operands *ops);

/*
 * Archives (libarchive). Each returns like ucp_run and may be called
 * instead of it, once per context.
 *
 * ucp_tar_create: the operands are SRC... ARCHIVE; ARCHIVE "-" is stdout.
 * Directories are archived recursively in walk order while worker threads
 * read the next files ahead (cfg.jobs threads, cfg.buffer_size bytes of
 * prefetched data at most). A regular ARCHIVE is written under a temporary
 * name and renamed into place at the end.
 *
 * ucp_tar_extract: the operands are ARCHIVE DIR; ARCHIVE "-" is stdin.
 * DIR is created when missing. Members that would land outside DIR are
 * refused one by one. Every member is created relative to a descriptor of
 * DIR (the working directory is never changed), so member names of any
 * length extract.
 *
 * ucp_tar_list: the operand is ARCHIVE; each member goes to events.member.
 */
enum ucp_status ucp_tar_create(struct ucp_ctx *ctx,
			       const struct ucp_operands *ops);
enum ucp_status ucp_tar_extract(struct ucp_ctx *ctx,
				const struct ucp_operands *ops);
enum ucp_status ucp_tar_list(struct ucp_ctx *ctx,
			     const struct ucp_operands *ops);

/*
 * Ask a running ucp_run to stop: no new work is admitted, in-flight work is
 * drained and partial files are removed. Async-signal-safe.
 */
void ucp_request_cancel(struct ucp_ctx *ctx);
/* Whether ucp_request_cancel was called (a question to the user ends). */
bool ucp_cancel_requested(struct ucp_ctx *ctx);

#ifdef UCP_TEST_HOOKS
/*
 * Debug builds only: stop the process with SIGSTOP when the files-th file
 * of the next run is done (0: never), so that tests can act at a known
 * point of a copy.
 */
void ucp_test_stop_after(uint64_t files);
/* Debug builds only: the counting walk ends before the copy starts. */
void ucp_test_scan_first(bool on);
/* Debug builds only: each big file waits for an idle worker to take it. */
void ucp_test_hand_over(bool on);
/*
 * Debug builds only: a big file, once shown as the one being copied, is
 * held until the progress display has read its name (10 s at most).
 */
void ucp_test_hold_current_file(bool on);
/*
 * Debug builds only: the first name of the first hard-link group waits
 * (10 s at most) until another name of the group waits for its copy.
 */
void ucp_test_link_wait(bool on);
/*
 * Debug builds only: the first file the ring opens after its statx stops
 * the process (SIGSTOP) just before the open.
 */
void ucp_test_stop_open(bool on);
/*
 * Debug builds only: --sync's deletion pass stops the process (SIGSTOP)
 * once, before its entry number n (0: before it opens the mirror); -1:
 * never.
 */
void ucp_test_stop_delete(long n);
/*
 * Debug builds only: fault rules (src/fault.h, UCP_FAULT). 0, or -EINVAL
 * for a spec that cannot be read.
 */
int ucp_test_faults(const char *spec);
/* Debug builds only: a named stop point (src/fault.h, UCP_TEST_STOP_AT). */
void ucp_test_stop_point(const char *point);
/*
 * Debug builds only: --tar stops itself (SIGSTOP) once, between the stat
 * of the first regular file and the read of its data; a copy, before the
 * data of the first file it looks at again after its copy (1 MiB or more),
 * or --sync --checksum before it hashes the first file of 1 MiB or more
 * (resumed, it waits 10 s at most for a signal's request to stop).
 */
void ucp_test_stop_before_data(bool on);
/* Debug builds only: load libarchive by this file name instead (NULL: its
 * soname), to see a failed load. */
void ucp_test_archive_name(const char *name);
/* Debug builds only: load libzstd by this file name instead (NULL: its
 * soname), to see --tar fall back to libarchive's zstd filter. */
void ucp_test_zstd_name(const char *name);
#endif

/* Fill *snap; safe from any thread while ucp_run runs. */
void ucp_snapshot(struct ucp_ctx *ctx, struct ucp_snapshot *snap);

/*
 * Whether io_uring with the features ucp needs works here. Sets up and
 * tears down a small ring; never call it when the user disabled io_uring.
 * Returns 0 when usable, else -errno, and a short reason in *why.
 */
int ucp_uring_usable(const char **why);

/* "liburing X.Y" or "liburing" when the library cannot say. */
const char *ucp_uring_version(void);

#endif
