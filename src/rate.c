/* SPDX-License-Identifier: MIT */
/*
 * rate.c: a window of (time, bytes) samples. A ring of the last seconds'
 * samples rather than an exponential average: the window's rate forgets a
 * stall or a burst completely after UCP_RATE_WINDOW seconds, and the
 * recent part of the same samples says whether the rate is settled.
 */
#include "rate.h"

#include <string.h>

#include "banned.h"

void ucp_rate_init(struct ucp_rate *r, double start)
{
	memset(r, 0, sizeof(*r));
	r->start = start;
}

/* Slot of the i-th sample back from the newest (0: the newest). */
static unsigned back(const struct ucp_rate *r, unsigned i)
{
	return (r->head + UCP_RATE_SLOTS - i) % UCP_RATE_SLOTS;
}

void ucp_rate_add(struct ucp_rate *r, double t, uint64_t bytes)
{
	/*
	 * After a pause (ucp_rate.pause): the samples and the start move on
	 * by it, less the time between the last two samples, the time the
	 * newest's bytes are taken to have come in.
	 */
	if (r->resumed && r->pause > 0 && r->n > 0 &&
	    t - r->t[r->head] > r->pause) {
		double step = r->n >= 2 ? r->t[r->head] - r->t[back(r, 1)]
					: UCP_RATE_MIN_GAP;
		double past = t - r->t[r->head] - step;

		for (unsigned i = 0; i < r->n; i++)
			r->t[back(r, i)] += past;
		r->start += past;
	}
	r->resumed = false;
	/* Too close to the one before the newest: the newest moves on. */
	if (r->n >= 2 && t - r->t[back(r, 1)] < UCP_RATE_MIN_GAP) {
		r->t[r->head] = t;
		r->bytes[r->head] = bytes;
		return;
	}
	if (r->n > 0)
		r->head = (r->head + 1) % UCP_RATE_SLOTS;
	r->t[r->head] = t;
	r->bytes[r->head] = bytes;
	if (r->n < UCP_RATE_SLOTS)
		r->n++;
	/* Keep the oldest sample that still spans the whole window. */
	while (r->n > 2 && t - r->t[back(r, r->n - 2)] >= UCP_RATE_WINDOW)
		r->n--;
}

/* Bytes per second from the i-th sample back to the newest; 0 if none. */
static double rate_since(const struct ucp_rate *r, unsigned i)
{
	double dt = r->t[r->head] - r->t[back(r, i)];
	uint64_t b0 = r->bytes[back(r, i)], b1 = r->bytes[r->head];

	if (dt <= 0 || b1 <= b0)
		return 0;
	return (double)(b1 - b0) / dt;
}

static double span(const struct ucp_rate *r)
{
	return r->n < 2 ? 0 : r->t[r->head] - r->t[back(r, r->n - 1)];
}

double ucp_rate_bps(const struct ucp_rate *r)
{
	double since = r->n ? r->t[r->head] - r->start : 0;

	if (span(r) >= 1.0)
		return rate_since(r, r->n - 1);
	return since > 0 ? (double)r->bytes[r->head] / since : 0;
}

bool ucp_rate_eta(const struct ucp_rate *r, uint64_t left, double *secs)
{
	double window, recent;
	unsigned i = 1;

	if (left == 0 || span(r) < UCP_RATE_STABLE)
		return false;
	window = rate_since(r, r->n - 1);
	if (window <= 0)
		return false;
	/* The recent rate: back to the first sample a second old. */
	while (i + 1 < r->n &&
	       r->t[r->head] - r->t[back(r, i)] < UCP_RATE_RECENT)
		i++;
	recent = rate_since(r, i);
	if (recent < window / 2 || recent > window * 2)
		return false;
	*secs = (double)left / window;
	return true;
}
