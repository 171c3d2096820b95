/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * client.h - run a syscall under test on its own thread, with a deadline.
 *
 * A case often needs the kernel to have a request in flight (held by the
 * server) while it does something else: the blocking call runs here, and
 * the case joins it with a deadline.  A call that never returns is freed
 * by the connection abort at teardown (srv_stop), never by cancellation.
 */
#ifndef FSNC_CLIENT_H
#define FSNC_CLIENT_H

#include <pthread.h>

struct client_call {
	pthread_t thread;
	long (*fn)(void *arg);   /* returns 0 or a positive errno */
	void *arg;
	long result;
	int done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int started;
};

int client_start(struct client_call *c, long (*fn)(void *), void *arg);
/* 0 with *result, or ETIMEDOUT (the thread is left to the abort). */
int client_join(struct client_call *c, int timeout_ms, long *result);

#endif
