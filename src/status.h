/* SPDX-License-Identifier: MIT */
/*
 * status.h: how a run ends and how it keeps time, the same for every
 * mode (copy, sync, archive creation and extraction): the status bits its
 * workers gather, the one mapping from those bits to the run's verdict
 * (enum ucp_status of types.h, which cmd/ turns into the exit status),
 * and the progress tick's timer.
 *
 * Layer: a leaf (types.h and libc only).
 */
#ifndef UCP_STATUS_H
#define UCP_STATUS_H

#include <stdbool.h>
#include <time.h>

#include "types.h"

/* Status bits gathered during a run; any thread may set them. */
#define UCP_RUN_PARTIAL 0x1  /* an entry failed; the rest went on */
#define UCP_RUN_VANISHED 0x2 /* a source entry vanished */
#define UCP_RUN_FATAL 0x4    /* the run stopped early */
#define UCP_RUN_MAXDEL 0x8   /* --max-delete stopped the deletions */

/*
 * The verdict of a run with status bits bits: interrupted when cancelled,
 * else the worst of fatal, partial, --max-delete, vanished, in that order.
 */
enum ucp_status ucp_status_verdict(unsigned bits, bool cancelled);

/*
 * Fewer worker threads than asked for could start (a limit on processes;
 * err: pthread_create's): told to ev as a warning, the same words in every
 * mode (none: the run goes on in one thread).
 */
void ucp_status_threads_short(const struct ucp_events *ev, unsigned started,
			      unsigned asked, int err);

/* The progress tick: due every ms milliseconds (0: the default, 100). */
struct ucp_tick {
	struct timespec last;
	unsigned ms;
};

/* Start the timer now. */
void ucp_tick_start(struct ucp_tick *t, unsigned ms);

/* Whether a tick is due now; if so, the next one is counted from now. */
bool ucp_tick_due(struct ucp_tick *t);

#endif
