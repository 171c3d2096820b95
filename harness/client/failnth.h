/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * failnth.h - make the Nth allocation of one syscall fail, and learn whether
 * it did, through /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION).
 *
 * Writing N arms the calling thread: its Nth injectable allocation (slab
 * through failslab, pages through fail_page_alloc) fails.  Reading it back
 * after the syscall gives 0 when the fault fired, else what was left of N:
 * the syscall made fewer than N injectable allocations, and a sweep over
 * N = 1, 2, ... is complete.  syzkaller's executor does the same.
 *
 * By default both failslab and fail_page_alloc ignore allocations that may
 * sleep (ignore-gfp-wait = Y), which is nearly every GFP_KERNEL one, and
 * fail_page_alloc ignores order 0; verbose = 2 dumps a stack trace for each
 * injected failure, which reads as a kernel splat.  failnth_open() saves
 * those debugfs knobs and sets them (ignore-gfp-wait N, min-order 0,
 * verbose 0); failnth_close() writes the saved values back, because the
 * knobs are global kernel state.  It mounts debugfs if needed, which the
 * caller's private mount namespace (the runner's) keeps to itself.
 *
 * Every function returns 0 or a positive errno; errno is never the channel.
 *
 * A build option, FSNC_CONFIG_FAILNTH (harness/repro/amalgam.h): fsnc has
 * it; `fsnc repro` writes it into a file written with --fail-nth N or for a
 * family that sweeps N (label "failnth").  Without it failnth_open() fails
 * with ENOSYS and says it is not built in, so a row that asks for a fault
 * skips with that reason; fc_arm() with no fault asked for does nothing,
 * as always.
 */
#ifndef FSNC_FAILNTH_H
#define FSNC_FAILNTH_H

#include <stddef.h>

#define FAILNTH_KNOBS 5

struct failnth {
	int fd;                         /* /proc/thread-self/fail-nth, this thread's */
	int saved;                      /* how many knobs hold a saved value */
	char old[FAILNTH_KNOBS][32];    /* their values before failnth_open() */
	int mounted_debugfs;
};

/*
 * Open fail-nth for the calling thread and set the knobs.  ENOENT with the
 * reason in why when the kernel cannot inject (no fail-nth, no failslab or
 * fail_page_alloc in debugfs): the caller skips.
 */
int failnth_open(struct failnth *f, char *why, size_t cap);
/* Restore the knobs and close; safe on a failnth that failed to open. */
void failnth_close(struct failnth *f);
/* Arm: the calling thread's nth injectable allocation from now on fails. */
int failnth_arm(struct failnth *f, unsigned nth);
/*
 * Disarm and tell: *fired = 1 when the armed fault was injected, 0 when
 * the allocations since failnth_arm() were fewer than nth.
 */
int failnth_disarm(struct failnth *f, int *fired);

/*
 * --fail-nth N (ctx->fail_nth): a case written with it fails the Nth
 * injectable allocation of its syscall under test.  fc_arm() before the
 * call: 0 when armed, or when no fault was asked for (then nothing is
 * done); FC_SKIP, through fc_skip(), when the kernel cannot inject.  Build
 * the call's arguments before arming: a path built inside the window could
 * spend the fault on a page fault.  fc_disarm() right after: 1 when the
 * fault fired inside the call, 0 when the call made fewer than N
 * allocations and the case goes on as without --fail-nth.
 *
 * The rule after a fault that fired (fc_fault_ends()): the call gave what
 * the row wants or ENOMEM, and the case ends there.  After a failed
 * allocation the kernel's state is not the row's, so the row's evidence is
 * not checked; what is left to see is what fault injection is for, no hang
 * and no splat, which the deadline and the kernel-log scan still hold.
 */
struct fc_ctx;

struct fc_armed {
	struct failnth fn;
	int on;
};

int fc_arm(struct fc_ctx *ctx, struct fc_armed *a);
/*
 * failnth_open() for a case: 0, or FC_SKIP through fc_skip() with the
 * reason (naming --fail-nth N when ctx->fail_nth is set).
 */
int fc_failnth_open(struct fc_ctx *ctx, struct failnth *f);
int fc_disarm(struct fc_ctx *ctx, struct fc_armed *a, const char *what);
/* fc_disarm(), then the rule: 1 (the case ends) when the fault fired, after checking got. */
int fc_fault_ends(struct fc_ctx *ctx, struct fc_armed *a, int got, int want, const char *what);

#endif
