/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * clock.h - monotonic time for deadlines.
 *
 * Every wait in the suite has a deadline on CLOCK_MONOTONIC, never the
 * wall clock (a VM's wall clock jumps).  Condition variables that wait
 * with clk_deadline() must be created with a CLOCK_MONOTONIC condattr.
 */
#ifndef FSNC_CLOCK_H
#define FSNC_CLOCK_H

#include <stdint.h>
#include <time.h>

int64_t clk_now_ns(void);
int64_t clk_now_ms(void);
/* The absolute CLOCK_MONOTONIC time timeout_ms from now, for pthread_cond_timedwait. */
struct timespec clk_deadline(int timeout_ms);

#endif
