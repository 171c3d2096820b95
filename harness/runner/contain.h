/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * contain.h - one case, contained.
 *
 * The case runs in a child of its own process group and private mount
 * namespace, tied to its caller by a lifeline.  Its deadline (the case's
 * timeout times the scale) aborts its FUSE connections before SIGKILL,
 * because a task blocked on a dead server ignores SIGKILL until its
 * connection goes.  enable_uring is held at Y around a case over the ring
 * and put back in the caller whatever becomes of the child, and the kernel
 * log is scanned around it: a splat fails the case.
 *
 * Cases that mount FUSE run one at a time on the host, whichever fsnc
 * process runs them: they drop caches and hold enable_uring, which another
 * case running beside them would see.  ctest keeps its own tests apart
 * (RESOURCE_LOCK kernel), but not two ctests, or a reproducer beside a run.
 *
 * `fsnc run` runs every case through contain_run(), and so does every
 * reproducer (harness/repro/repro_main.c): one way to run a case.
 */
#ifndef FSNC_CONTAIN_H
#define FSNC_CONTAIN_H

#include <stddef.h>

#include "case.h"
#include "transport.h"

/* The deadline of a case that names none. */
#define CONTAIN_DEFAULT_TIMEOUT_MS 30000
/* Held by the runner around every case that mounts FUSE (FC_NEED_DEVFUSE). */
#define CONTAIN_KERNEL_LOCK "/run/fsnc-kernel.lock"
/* How long a case waits for another fsnc's case, before the scale: the longest deadline. */
#define CONTAIN_KERNEL_WAIT_MS 600000

struct fuse_init_in;

struct contain_opts {
	unsigned timeout_scale; /* multiply the case's deadline; 0 is 1 */
	int uring;              /* hold enable_uring at Y around the case */
	int fail_nth;           /* ctx->fail_nth: fail the Nth allocation of the syscall under test */
	/* What the kernel offered in INIT (contain_probe_offer()), or NULL: unknown. */
	const struct fuse_init_in *kernel_offer;
};

/*
 * Run c contained; the verdict, and in reason the skip reason, the first
 * failure or what ended the case (timeout, signal, splat).
 */
enum fc_verdict contain_run(const struct fc_case *c, const struct contain_opts *o, char *reason,
			    size_t cap);

/*
 * Whether c runs over io_uring on this transport, and so needs enable_uring:
 * a case on /dev/fuse under TR_URING, and the uring family whatever the
 * transport (it sets its ring up itself).
 */
int contain_uses_uring(const struct fc_case *c, enum tr_kind transport);

/*
 * The caller's own mount namespace, with fusectl mounted in it so that
 * contain_run() can abort connections (root only; else nothing).
 */
void contain_namespace(void);

/* The kernel's INIT offer, from a mount of its own (with a deadline): 0 or an errno. */
int contain_probe_offer(struct fuse_init_in *in);

/* Why this host cannot run a case that needs `needs` (enum fc_need), or NULL. */
const char *contain_host_skip(unsigned needs, char *buf, size_t cap);

#endif
