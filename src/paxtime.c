/* SPDX-License-Identifier: MIT */
/* paxtime.c: pax's decimal times against libarchive's (see paxtime.h). */
#include "paxtime.h"

#define NSEC_PER_SEC 1000000000L

void ucp_paxtime_out(struct timespec *t)
{
	if (t->tv_sec >= 0 || t->tv_nsec <= 0)
		return;
	if (t->tv_sec == -1) {
		t->tv_nsec = 0;
		return;
	}
	/* (-2, 0.25 s) is -1.75: given as (-1, 0.75 s), it prints so. */
	t->tv_sec += 1;
	t->tv_nsec = NSEC_PER_SEC - t->tv_nsec;
}

void ucp_paxtime_in(struct timespec *t)
{
	/* Read from "-1.75" as (-1, 0.75 s): that is (-2, 0.25 s). */
	if (t->tv_sec >= 0 || t->tv_nsec <= 0)
		return;
	t->tv_sec -= 1;
	t->tv_nsec = NSEC_PER_SEC - t->tv_nsec;
}
