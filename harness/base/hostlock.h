/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hostlock.h - one host-wide exclusive lock, waited for with a deadline.
 *
 * An flock on a file under /run: the kernel drops it when its holder dies,
 * even by SIGKILL, so a lock is never left behind.  The holder writes its
 * pid into the file, so a waiter can say whom it waits for.
 */
#ifndef FSNC_HOSTLOCK_H
#define FSNC_HOSTLOCK_H

#include <stddef.h>

/*
 * Take the lock on path, waiting at most wait_ms.  Returns the held fd
 * (close it to let go; a forked child must close its copy), or -1 with why
 * filled: the file cannot be opened (errno EACCES when not root), or its
 * holder kept it past the deadline (ETIMEDOUT).  If `waiting` is not NULL
 * it is printed once, with the holder's pid, when the lock is busy.
 */
int hostlock_take(const char *path, int wait_ms, const char *waiting, char *why, size_t cap);

#endif
