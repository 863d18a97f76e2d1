/* SPDX-License-Identifier: MIT */
/*
 * paxtime.h: times before 1970 with a fraction of a second, between what a
 * pax header says and what libarchive writes and reads.
 *
 * A pax time is one decimal number of seconds: "-1.75" is 1.75 s before
 * the epoch (POSIX; GNU tar writes and reads it so). libarchive prints a
 * timespec's seconds and nanoseconds side by side, so (-2, 250000000),
 * which is -1.75, comes out as "-2.25"; and it reads "-1.75" back as
 * (-1, 750000000), which is -0.25: the whole seconds one off and the
 * fraction counted the wrong way, up to 2 s in all, both ways. These two
 * turn a timespec into what libarchive must be given to write the right
 * number, and what it read back into the time meant.
 *
 * Whether the libarchive loaded does so is learned once (paxprobe.h):
 * each correction is made only where it was seen to be needed.
 *
 * Within the last second before 1970 the number is "-0.f": libarchive
 * cannot write the minus before its zero seconds, and reads it back as
 * +0.f, so such a time is written as -1 and read as after the epoch.
 *
 * Layer: a leaf (no libarchive, no I/O).
 */
#ifndef UCP_PAXTIME_H
#define UCP_PAXTIME_H

#include <time.h>

/* Before writing t to a pax archive. */
void ucp_paxtime_out(struct timespec *t);

/* After reading t from a tar archive (a pax number, or whole seconds). */
void ucp_paxtime_in(struct timespec *t);

#endif
