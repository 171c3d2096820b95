/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reap.h - waiting for a child process, bounded by a deadline.
 *
 * The wait is an event (poll on a pidfd, Linux 5.3+), not a sleep loop: a
 * case's result reaches the runner the moment its process ends.  Kernels
 * without pidfd_open fall back to waitpid(WNOHANG) every 2 ms.
 */
#ifndef FSNC_REAP_H
#define FSNC_REAP_H

#include <stdint.h>
#include <sys/types.h>

/* Reap pid: 0 with *status once it ended, ETIMEDOUT at deadline_ms (clk_now_ms() time), or errno. */
int reap_by(pid_t pid, int64_t deadline_ms, int *status);

#endif
