/* SPDX-License-Identifier: MIT */
/*
 * fake_ring.h: a ring.h implementation that records queued operations and
 * delivers completions that the test scripts, for deterministic tests of
 * the copy state machine.
 */
#ifndef UCP_FAKE_RING_H
#define UCP_FAKE_RING_H

#include <stdbool.h>
#include <stdint.h>

#include "ring.h"

#define FAKE_MAX_OPS 1024

/* Every op queued since the last fake_ring_reset, in order. */
extern struct ucp_ring_op fake_ops[FAKE_MAX_OPS];
extern unsigned fake_nops;

void fake_ring_reset(void);
/* Make the next reap deliver (user_data, res). */
void fake_ring_complete(uint64_t user_data, int res);
/* Index of the last queued op of this kind, or -1. */
int fake_ring_last(enum ucp_ring_kind kind);
/*
 * While on, each submit answers the STATX ops queued since the last with
 * a real statx(2) of the same arguments (off after fake_ring_reset).
 */
void fake_ring_answer_statx(bool on);
/* Make ucp_ring_new fail with err (0 to succeed again). */
void fake_ring_fail_setup(int err);

#endif
