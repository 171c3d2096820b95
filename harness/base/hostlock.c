// SPDX-License-Identifier: GPL-2.0-only
/* hostlock.c - one host-wide exclusive lock, waited for with a deadline (hostlock.h). */
#include "hostlock.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* The pid the holder wrote, or 0. */
static long holder(int fd)
{
	char buf[32] = "";
	ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);

	return r > 0 ? strtol(buf, NULL, 10) : 0;
}

int hostlock_take(const char *path, int wait_ms, const char *waiting, char *why, size_t cap)
{
	int64_t end = clk_now_ms() + wait_ms;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600), said = 0;
	char pid[32];

	if (fd < 0) {
		snprintf(why, cap, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		int err = errno;

		if (err != EWOULDBLOCK && err != EINTR) {
			snprintf(why, cap, "flock %s: %s", path, strerror(err));
			close(fd);
			errno = err;
			return -1;
		}
		if (waiting && !said++) {
			printf("# %s (pid %ld holds %s)\n", waiting, holder(fd), path);
			fflush(stdout);
		}
		if (clk_now_ms() > end) {
			snprintf(why, cap, "another fsnc (pid %ld) held %s for %d s", holder(fd), path,
				 wait_ms / 1000);
			close(fd);
			errno = ETIMEDOUT;
			return -1;
		}
		usleep(20000);
	}
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	/* Only a waiter's message reads the pid: a failed write costs nothing else. */
	if (ftruncate(fd, 0) == 0)
		(void)!pwrite(fd, pid, strlen(pid), 0);
	return fd;
}
