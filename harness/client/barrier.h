/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * barrier.h - "every event the stimulus caused is here", proven by an
 * event, not by a quiet spell.
 *
 * Local fsnotify events are queued inside the syscall that causes them
 * (fsnotify() runs in the rename, the write, the close), and a group hands
 * them out in the order it queued them.  So after the stimulus returns, the
 * barrier makes one more event of its own on the same group (the sentinel),
 * reads until the sentinel arrives, and keeps everything before it.  What
 * the stimulus caused is then all in out; an event that should not be there
 * is there.  A quiet window (wait until nothing came for 300 ms) proves no
 * more, costs its window on every call, and still loses to a slow machine.
 *
 * The sentinel's own events are not kept.  The deadline bounds the wait for
 * the sentinel, not a silence: on time, the barrier returns at once.
 */
#ifndef FSNC_BARRIER_H
#define FSNC_BARRIER_H

#include <stddef.h>

#include "events.h"

/*
 * inotify: the sentinel is a one-shot IN_ATTRIB watch on `dir` (a directory
 * of our own, on any filesystem, that the group does not watch: added with
 * IN_MASK_CREATE, so EEXIST otherwise), touched with utimensat(); its
 * IN_IGNORED ends the read.  Appends to out[*n..max); ENOBUFS if more than
 * max events came (the first ones kept), ETIMEDOUT if the sentinel did not
 * come by deadline_ms, or an errno of the watch, touch or read.
 */
int ino_barrier(int fd, const char *dir, int deadline_ms, struct ino_event *out, size_t max,
		size_t *n);

/*
 * fanotify: the sentinel is a FAN_OPEN | FAN_ONDIR mark on `dir`, which
 * must be on the filesystem of the group's other marks (FID groups on FUSE
 * allow one filesystem) and must not carry a mark of the caller's own; the
 * directory is opened once, the mark removed after.  The caller's marks
 * must not ask for FAN_OPEN on directories.  Errors as ino_barrier.
 */
int fan_barrier(int fd, const char *dir, int deadline_ms, struct fan_event *out, size_t max,
		size_t *n);

#endif
