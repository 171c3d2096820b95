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
/* open(path, O_WRONLY), write data, close: the modification a case watches for. 0 or errno. */
int ku_write_file(const char *path, const char *data);
/* Sleep for ms (used only to prove that something does NOT happen). */
void ku_quiet(int ms);

#endif
