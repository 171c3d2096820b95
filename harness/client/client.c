// SPDX-License-Identifier: GPL-2.0-only
/* client.c - syscalls under test on a thread, joined with a deadline. */
#include "client.h"
#include "clock.h"

#include <errno.h>
#include <string.h>
#include <time.h>

static void *client_thread(void *p)
{
	struct client_call *c = p;
	long r = c->fn(c->arg);

	pthread_mutex_lock(&c->lock);
	c->result = r;
	c->done = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

int client_start(struct client_call *c, long (*fn)(void *), void *arg)
{
	pthread_condattr_t ca;

	memset(c, 0, sizeof(*c));
	c->fn = fn;
	c->arg = arg;
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&c->thread, NULL, client_thread, c))
		return EAGAIN;
	/* Detached: a call stuck in the kernel must not block process exit. */
	pthread_detach(c->thread);
	c->started = 1;
	return 0;
}

int client_join(struct client_call *c, int timeout_ms, long *result)
{
	struct timespec ts = clk_deadline(timeout_ms);
	int err = 0;

	pthread_mutex_lock(&c->lock);
	while (!c->done && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&c->cond, &c->lock, &ts);
	if (c->done) {
		err = 0;
		if (result)
			*result = c->result;
	}
	pthread_mutex_unlock(&c->lock);
	return err;
}
