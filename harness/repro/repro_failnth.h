/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * repro_failnth.h - fault injection in reproducers, for exporters.
 *
 * A reproducer that injects faults carries a second runtime part,
 * harness/repro/repro_failnth.c.in (the debugfs knobs fail-nth needs, the sweep
 * bookkeeping, an fdinfo read armed around its first read()).  repro_main()
 * prints it after the runtime when r->fail_nth is set, or when the case
 * sweeps fail-nth itself (label "failnth": cases/fdinfo_oom.c).  Files
 * without fault injection stay as they were.
 *
 * repro_armed() prints the one armed syscall of `--fail-nth N`: the rule
 * is notify's (cases/notify_repro.c).  When the fault fires inside the
 * call, the call may give what the row wants or ENOMEM, and the case ends
 * there: after a failed allocation the kernel's state is not the row's, so
 * the row's evidence is not checked, and what is left to see is what fault
 * injection is for (no hang, no splat: the deadline and the kernel-log scan
 * still hold).  When it does not fire, the call made fewer allocations and
 * the case goes on as without --fail-nth.
 */
#ifndef FSNC_REPRO_FAILNTH_H
#define FSNC_REPRO_FAILNTH_H

#include "repro.h"

/*
 * Print, in a block of its own, prep (declarations that ready the call's
 * arguments: a path built inside the armed window could spend the fault on
 * a page fault; "" for none), then `call` (C statements that set the
 * reproducer's `int err` to 0 or an errno) armed with
 * /proc/thread-self/fail-nth at rp_fail_nth.  want: the errno token the row
 * expects of the call ("0" for success).  Only for r->fail_nth: without it
 * the exporter prints its call as before.
 */
void repro_armed(struct repro_ctx *r, const char *what, const char *prep, const char *call,
		 const char *want);

/* The runtime text (generated from harness/repro/repro_failnth.c.in at build time). */
extern const char repro_failnth_text[];

#endif
