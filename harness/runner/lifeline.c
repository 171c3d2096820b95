// SPDX-License-Identifier: GPL-2.0-only
/* lifeline.c - see lifeline.h. */
#include "lifeline.h"
#include "case.h"
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

struct watch {
	int fd;
	struct fc_shared *sh;
};

static void *watch_main(void *arg)
{
	struct watch *w = arg;
	char c;
	ssize_t r;

	do
		r = read(w->fd, &c, 1);
	while (r < 0 && errno == EINTR);
	/* EOF (or any failure of the pipe): the runner is gone. */
	for (int i = 0; i < w->sh->nconn && i < 8; i++)
		iso_abort_conn(w->sh->conn[i]);
	kill(0, SIGKILL);
	return NULL;
}

int lifeline_make(int fds[2])
{
	return pipe2(fds, O_CLOEXEC) ? errno : 0;
}

int lifeline_watch(int fds[2], struct fc_shared *sh)
{
	static struct watch w;
	pthread_attr_t a;
	pthread_t t;
	int err;

	close(fds[1]);
	w.fd = fds[0];
	w.sh = sh;
	pthread_attr_init(&a);
	pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	err = pthread_create(&t, &a, watch_main, &w);
	pthread_attr_destroy(&a);
	return err;
}
