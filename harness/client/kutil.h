/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kutil.h - small kernel-facing helpers shared by case families.
 */
#ifndef FSNC_KUTIL_H
#define FSNC_KUTIL_H

#include <stdint.h>

#include "server.h"

/* echo 2 > /proc/sys/vm/drop_caches: evict unused dentries and inodes.  0 or errno. */
int ku_drop_caches(void);
/*
 * Wait until every lookup the server handed out was forgotten (the tree's
 * outstanding count is 0), nudging the kernel with drop_caches every
 * 100 ms, until the deadline.  Returns 0, or ETIMEDOUT with the count left.
 */
int ku_wait_forgotten(struct srv *s, int timeout_ms, int64_t *left);
/* Outstanding lookups under the server lock. */
int64_t ku_outstanding(struct srv *s);
/* open(path, O_WRONLY), write data, close: a modification a case watches for, or a
   sysctl/debugfs knob.  0 or errno. */
int ku_write_file(const char *path, const char *data);
/* Sleep for ms (used only to prove that something does NOT happen). */
void ku_quiet(int ms);
/* 1 when the running kernel (uname -r) is at least major.minor. */
int ku_kernel_at_least(unsigned major, unsigned minor);
/*
 * A fanotify FID mark (FAN_REPORT_FID / DFID_NAME) on a FUSE inode failed
 * with err: the reason, when that is what the running kernel documents,
 * else NULL (the case then fails).  FUSE reports a zero f_fsid; before 6.8
 * fanotify_test_fsid() refuses every FID mark on such a filesystem with
 * ENODEV (its comment: "filesystem with zero fsid (e.g. fuse)"; seen on
 * Debian's 6.1.0).  6.8 ("fanotify: allow "weak" fsid when watching a
 * single filesystem") accepts inode marks there (seen on 6.18).
 */
#define KU_FAN_FID_REFUSED_WHY                                                   \
	"before 6.8 fanotify refuses FID marks on a zero-fsid filesystem such as " \
	"FUSE (fanotify_test_fsid: ENODEV)"
const char *ku_fan_fid_refused(int err);

/*
 * A program of ours that a case execs (helpers/: fsnc_criu_watcher,
 * fsnc_inotify_watch): its path beside the running executable, where
 * fsnc's build puts it and scripts/repro-check copies it for reproducers.
 * ku_own_missing(): NULL when it is there and executable, else the reason
 * a case skips with.
 */
const char *ku_own_program(const char *name, char *out, size_t cap);
const char *ku_own_missing(const char *name, char *why, size_t cap);

#endif
