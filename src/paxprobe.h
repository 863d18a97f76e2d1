/* SPDX-License-Identifier: MIT */
/*
 * paxprobe.h: whether the libarchive loaded here needs paxtime.h's
 * corrections.
 *
 * paxtime.h corrects what libarchive 3.x does with a pax time before 1970
 * with a fraction of a second: print (-2, 0.25 s) as "-2.25", and read
 * "-1.75" as (-1, 0.75 s). libarchive is loaded at run time, so the one
 * found may be a later one that writes or reads such a time as POSIX
 * means it; corrected again, the time would be off the other way. So the
 * first use writes one member to memory and reads one back, and corrects
 * only what the library was seen to do.
 *
 * Layer: above archive_dl (libarchive, through it, and libc only).
 */
#ifndef UCP_PAXPROBE_H
#define UCP_PAXPROBE_H

#include <stdbool.h>
#include <stddef.h>

struct ucp_paxprobe {
	bool out; /* it prints (-2, 0.25 s) as "-2.25": ucp_paxtime_out */
	bool in;  /* it reads "-1.75" as (-1, 0.75 s): ucp_paxtime_in */
};

/* What the loaded libarchive does, learned on the first call (safe from
 * any thread). libarchive must be loaded (ucp_archive_load). */
const struct ucp_paxprobe *ucp_paxprobe(void);

#endif
