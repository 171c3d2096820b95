// SPDX-License-Identifier: GPL-2.0-only
/* kutil.c - drop_caches and waiting for the kernel to forget. */
#include "kutil.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int ku_drop_caches(void)
{
	return ku_write_file("/proc/sys/vm/drop_caches", "2");
}

int ku_write_file(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return errno;
	n = write(fd, data, strlen(data));
	err = n < 0 ? errno : 0;
	close(fd);
	return err;
}

int64_t ku_outstanding(struct srv *s)
{
	int64_t n;

	srv_lock(s);
	n = tree_outstanding_lookups(&s->tree);
	srv_unlock(s);
	return n;
}

void ku_quiet(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int ku_wait_forgotten(struct srv *s, int timeout_ms, int64_t *left)
{
	int64_t end = clk_now_ms() + fc_ms(s->ctx, timeout_ms);

	for (;;) {
		int64_t n = ku_outstanding(s);

		if (left)
			*left = n;
		if (n <= 0)
			return 0;
		if (clk_now_ms() > end)
			return ETIMEDOUT;
		ku_drop_caches();
		/* FORGETs arrive as requests: wake on each one, drop again every 100 ms. */
		{
			struct timespec ts = clk_deadline(100);

			srv_lock(s);
			while (tree_outstanding_lookups(&s->tree) > 0 &&
			       pthread_cond_timedwait(&s->cond, &s->lock, &ts) != ETIMEDOUT)
				;
			srv_unlock(s);
		}
	}
}

int ku_kernel_at_least(unsigned major, unsigned minor)
{
	struct utsname u;
	unsigned ma = 0, mi = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &ma, &mi) != 2)
		return 0;
	return ma > major || (ma == major && mi >= minor);
}

const char *ku_fan_fid_refused(int err)
{
	if (err == ENODEV && !ku_kernel_at_least(6, 8))
		return KU_FAN_FID_REFUSED_WHY;
	return NULL;
}

const char *ku_own_program(const char *name, char *out, size_t cap)
{
	char self[400];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	self[n > 0 ? n : 0] = 0;
	slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	snprintf(out, cap, "%s/%s", self, name);
	return out;
}

const char *ku_own_missing(const char *name, char *why, size_t cap)
{
	char prog[512];

	if (!access(ku_own_program(name, prog, sizeof(prog)), X_OK))
		return NULL;
	snprintf(why, cap, "%s is not beside this program (fsnc's build makes it from helpers/)",
		 name);
	return why;
}
