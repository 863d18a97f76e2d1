/* SPDX-License-Identifier: MIT */
/*
 * rate.h: the throughput and the time left, from samples of bytes done.
 *
 * The caller owns the clock: it adds a sample (seconds, bytes done) each
 * time it draws, and asks for the rate and the ETA. Samples closer than
 * UCP_RATE_MIN_GAP are merged, and those older than UCP_RATE_WINDOW
 * seconds before the newest are dropped, so the rate is the average over
 * the last few seconds. No I/O, no clock: unit tests feed synthetic
 * samples.
 *
 *   struct ucp_rate r;
 *   ucp_rate_init(&r, t0);
 *   each draw: ucp_rate_add(&r, now, bytes_done);
 *              shown = ucp_rate_bps(&r);
 *              if (total_known && ucp_rate_eta(&r, left, &secs)) ...
 */
#ifndef UCP_RATE_H
#define UCP_RATE_H

#include <stdbool.h>
#include <stdint.h>

#define UCP_RATE_SLOTS 32
#define UCP_RATE_WINDOW 5.0  /* seconds averaged */
#define UCP_RATE_MIN_GAP 0.2 /* seconds between two kept samples */
#define UCP_RATE_STABLE 2.0  /* seconds of samples before an ETA */
#define UCP_RATE_RECENT 1.0  /* the recent rate: the last second or so */

struct ucp_rate {
	double start; /* when the run started */
	/*
	 * Set by the caller when the process was stopped and went on since
	 * the last sample (SIGCONT: Ctrl-Z, fg): a gap between two samples
	 * longer than pause is then no time of the copy's. The gap, less the
	 * time between the two samples before it, is taken out of the clock,
	 * so that the rate after it is the rate before, not one averaged over
	 * the stop. (Without it, a gap is a stall: the input's, say.) The
	 * caller sets pause above the time between its samples.
	 */
	bool resumed;
	double pause;
	double t[UCP_RATE_SLOTS];
	uint64_t bytes[UCP_RATE_SLOTS];
	unsigned head, n; /* newest at head; n kept */
};

void ucp_rate_init(struct ucp_rate *r, double start);

/* A sample: bytes done at time t (seconds, same clock as start). */
void ucp_rate_add(struct ucp_rate *r, double t, uint64_t bytes);

/*
 * Bytes per second over the window; while the samples span less than a
 * second, the average since the start (0 before any sample).
 */
double ucp_rate_bps(const struct ucp_rate *r);

/*
 * The seconds left for left bytes, in *secs; false when an estimate would
 * not mean much: nothing left, samples spanning less than
 * UCP_RATE_STABLE seconds, no bytes moved in the window, or a recent rate
 * outside half to twice the window's (the rate is still changing: a
 * stall, a burst, a pause). The caller checks that the total is known.
 */
bool ucp_rate_eta(const struct ucp_rate *r, uint64_t left, double *secs);

#endif
