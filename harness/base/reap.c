// SPDX-License-Identifier: GPL-2.0-only
/* reap.c - see reap.h. */
#include "reap.h"
#include "clock.h"

#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

int reap_by(pid_t pid, int64_t deadline_ms, int *status)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		int64_t left;

		if (r == pid || (r < 0 && errno != EINTR)) {
			if (fd >= 0)
				close(fd);
			return r == pid ? 0 : errno;
		}
		left = deadline_ms - clk_now_ms();
		if (left < 0) {
			if (fd >= 0)
				close(fd);
			return ETIMEDOUT;
		}
		if (fd >= 0) {
			struct pollfd p = {.fd = fd, .events = POLLIN};

			poll(&p, 1, left > 1000 ? 1000 : (int)left + 1);
		} else {
			usleep(2000);
		}
	}
}
