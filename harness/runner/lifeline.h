/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lifeline.h - a case never outlives its runner.
 *
 * At its deadline the runner aborts a case's FUSE connections and kills its
 * process group.  A runner that is SIGKILLed does neither, and a case
 * blocked on its own server would then hang for ever.  So each case gets a
 * lifeline: a pipe whose write end only the runner holds.  A thread of the
 * case waits on the read end; EOF means the runner is gone, and the case
 * aborts its own connections and kills its group at once.  (Not a parent
 * death signal: a thread blocked in a FUSE request takes the signal and
 * stays blocked, so no handler would run.)
 */
#ifndef FSNC_LIFELINE_H
#define FSNC_LIFELINE_H

struct fc_shared;

/* Before fork: fds[0] for the case, fds[1] for the runner. 0 or errno. */
int lifeline_make(int fds[2]);
/*
 * In the case's process, once it is single-threaded no more (after its
 * mount namespace): close the runner's end and watch ours.  0 or errno.
 */
int lifeline_watch(int fds[2], struct fc_shared *sh);

#endif
