/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * raw_stat_server.h - the limit for the stat() round-trip benchmark: the
 * least a /dev/fuse server can do for the same work.
 *
 * One thread of the calling process (so it inherits the caller's CPU
 * pinning), one read() and one write() per request, replies built in place:
 * INIT, LOOKUP of "f" in the root (nodeid 2, generation 1) and GETATTR,
 * entry and attr timeouts 0 as the harness's server and the libfuse3
 * baseline use them, so each stat() of MNT/f is one LOOKUP and one GETATTR.
 * No tree, no log, no expectations: what it costs is the kernel's round
 * trip and nothing of ours.  Not a server for cases: the harness's server
 * is that (harness/server/server.h).
 */
#ifndef FSNC_RAW_STAT_SERVER_H
#define FSNC_RAW_STAT_SERVER_H

#include <pthread.h>
#include <stdint.h>

struct raw_stat_server {
	char mnt[64];
	int fd;
	unsigned conn;       /* fusectl connection number, for the abort */
	pthread_t thread;
	uint64_t lookups, getattrs;
	uint8_t buf[64 * 1024 + 4096]; /* one request: max_write 4096 and its header */
};

/* Mount a fresh directory under /tmp (call in a private mount namespace) and serve it. 0 or errno. */
int raw_stat_server_start(struct raw_stat_server *r);
/* Unmount, end the thread (aborting the connection if it lingers), remove the directory. */
void raw_stat_server_stop(struct raw_stat_server *r);

#endif
