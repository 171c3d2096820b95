// SPDX-License-Identifier: GPL-2.0-only
/* barrier.c - see barrier.h. */
#include "barrier.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef IN_MASK_CREATE
#define IN_MASK_CREATE 0x10000000
#endif

static int left_ms(int64_t end)
{
	int64_t l = end - clk_now_ms();

	return l < 0 ? 0 : l > 60000 ? 60000 : (int)l;
}

int ino_barrier(int fd, const char *dir, int deadline_ms, struct ino_event *out, size_t max,
		size_t *n)
{
	int64_t end = clk_now_ms() + deadline_ms;
	int wd, err = 0, full = 0, seen = 0;

	wd = inotify_add_watch(fd, dir, IN_ATTRIB | IN_ONESHOT | IN_MASK_CREATE);
	if (wd < 0)
		return errno;
	if (utimensat(AT_FDCWD, dir, NULL, 0))
		return errno; /* the one-shot watch stays: the group's owner closes it */
	while (!seen) {
		struct ino_event ev[16];
		size_t got = 0;

		err = ino_read(fd, left_ms(end), ev, 16, &got);
		if (err == ENOBUFS)
			err = 0, full = 1;
		if (err)
			return err;
		/* Events read with the sentinel's (queued after it) are kept too. */
		for (size_t i = 0; i < got; i++) {
			if (ev[i].wd == wd) {
				seen |= (ev[i].mask & IN_IGNORED) != 0;
				continue; /* the sentinel's IN_ATTRIB and IN_IGNORED */
			}
			if (*n < max)
				out[(*n)++] = ev[i];
			else
				full = 1;
		}
	}
	return full ? ENOBUFS : 0;
}

int fan_barrier(int fd, const char *dir, int deadline_ms, struct fan_event *out, size_t max,
		size_t *n)
{
	const uint64_t sentinel = FAN_OPEN | FAN_ONDIR;
	int64_t end = clk_now_ms() + deadline_ms;
	int dfd, err = 0, full = 0, seen = 0;

	if (fanotify_mark(fd, FAN_MARK_ADD, sentinel, AT_FDCWD, dir))
		return errno;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		err = errno;
	else
		close(dfd);
	while (!err && !seen) {
		struct fan_event ev[8];
		size_t got = 0;

		err = fan_read(fd, left_ms(end), ev, 8, &got);
		if (err == ENOBUFS)
			err = 0, full = 1;
		for (size_t i = 0; i < got; i++) {
			if (!seen && (ev[i].mask & sentinel) == sentinel) {
				seen = 1;
				if (ev[i].fd >= 0)
					close(ev[i].fd);
				continue;
			}
			if (*n < max) {
				out[(*n)++] = ev[i];
			} else {
				full = 1;
				if (ev[i].fd >= 0)
					close(ev[i].fd);
			}
		}
	}
	fanotify_mark(fd, FAN_MARK_REMOVE, sentinel, AT_FDCWD, dir);
	return err ? err : full ? ENOBUFS : 0;
}
