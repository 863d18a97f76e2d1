/* SPDX-License-Identifier: MIT */
/* status.c: the verdict of a run and the progress tick (see status.h). */
#include "status.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "banned.h"

enum ucp_status ucp_status_verdict(unsigned bits, bool cancelled)
{
	if (cancelled)
		return UCP_INTERRUPTED;
	if (bits & UCP_RUN_FATAL)
		return UCP_FATAL;
	if (bits & UCP_RUN_PARTIAL)
		return UCP_PARTIAL;
	if (bits & UCP_RUN_MAXDEL)
		return UCP_MAX_DELETE;
	if (bits & UCP_RUN_VANISHED)
		return UCP_VANISHED;
	return UCP_OK;
}

void ucp_tick_start(struct ucp_tick *t, unsigned ms)
{
	t->ms = ms ? ms : 100;
	clock_gettime(CLOCK_MONOTONIC, &t->last);
}

bool ucp_tick_due(struct ucp_tick *t)
{
	struct timespec now;
	int64_t dt;

	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = (int64_t)(now.tv_sec - t->last.tv_sec) * 1000 +
	     (now.tv_nsec - t->last.tv_nsec) / 1000000;
	if (dt < (int64_t)t->ms)
		return false;
	t->last = now;
	return true;
}

void ucp_status_threads_short(const struct ucp_events *ev, unsigned started,
			      unsigned asked, int err)
{
	char msg[160];
	struct ucp_error e = { .op = UCP_OP_JOBS_REDUCED,
			       .path = NULL,
			       .msg = msg,
			       .warning = true };

	if (started > 0)
		(void)snprintf(msg, sizeof(msg),
			       "only %u of %u worker threads could start (%s); "
			       "going on with %u",
			       started, asked, strerror(err), started);
	else
		(void)snprintf(msg, sizeof(msg),
			       "no worker thread could start (%s); going on "
			       "in one thread",
			       strerror(err));
	if (ev->error)
		ev->error(ev->arg, &e);
}
