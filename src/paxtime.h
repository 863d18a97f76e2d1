/* SPDX-License-Identifier: MIT */
/*
 * paxtime.h: times before 1970 with a fraction of a second, between what a
 * pax header says and what libarchive writes and reads.
 *
 * A pax time is one decimal number of seconds: "-1.75" is 1.75 s before
 * the epoch (POSIX; GNU tar writes and reads it so). libarchive prints a
 * timespec's seconds and nanoseconds side by side, so (-2, 250000000),
 * which is -1.75, comes out as "-2.25"; and it reads "-1.75" back as
 * (-1, 750000000), which is -0.25. One second off, both ways, for every
 * such time. These two turn a timespec into what libarchive must be given
 * to write the right number, and what it read back into the time meant.
 *
 * Layer: a leaf (no libarchive, no I/O).
 */
#ifndef UCP_PAXTIME_H
#define UCP_PAXTIME_H

#include <time.h>

/*
 * Before writing t to a pax archive. A time less than a second before the
 * epoch, whose number would be "-0.f", is written as -1: libarchive cannot
 * write a minus before its zero seconds.
 */
void ucp_paxtime_out(struct timespec *t);

/* After reading t from a tar archive (a pax number, or whole seconds). */
void ucp_paxtime_in(struct timespec *t);

#endif
