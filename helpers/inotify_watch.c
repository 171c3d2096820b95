// SPDX-License-Identifier: GPL-2.0-only
/*
 * inotify_watch - a plain inotify watcher, for what inotifywait does not say.
 *
 *   fsnc_inotify_watch [--time] PATH...
 *
 * Watches each PATH for the change events (create, delete, modify, attrib,
 * moved_from, moved_to, delete_self, move_self) and prints one line per
 * event in inotifywait's "--format '%e %w%f'" shape, so the e2e family
 * compares both alike.  Unlike inotifywait, which drops it in silence
 * (seen with inotify-tools 3.22.6 on a local overflow), it prints
 * IN_Q_OVERFLOW as "Q_OVERFLOW", and a rename's cookie as " cookie=N"
 * after MOVED_FROM and MOVED_TO lines.  With --time each line starts with
 * CLOCK_MONOTONIC nanoseconds at the read that returned it (the e2e
 * benchmark's latency).
 *
 * Exit: 0 at EOF (never), 1 on a read error, 2 on bad arguments.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "fsn_codec.h"

#define WATCH_MASK (IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | \
		    IN_DELETE_SELF | IN_MOVE_SELF)

int main(int argc, char **argv)
{
	const char *path[64];
	int wd[64], n = 0, fd, with_time = 0;
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--time"))
			with_time = 1;
		else if (n < 64)
			path[n++] = argv[i];
	}
	if (!n) {
		fprintf(stderr, "usage: fsnc_inotify_watch [--time] PATH...\n");
		return 2;
	}
	fd = inotify_init1(IN_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "inotify_init1: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		wd[i] = inotify_add_watch(fd, path[i], WATCH_MASK);
		if (wd[i] < 0) {
			fprintf(stderr, "%s: %s\n", path[i], strerror(errno));
			return 1;
		}
	}
	fprintf(stderr, "Watches established.\n");
	for (;;) {
		ssize_t len = read(fd, buf, sizeof(buf));
		struct timespec ts;

		if (len <= 0) {
			if (len < 0 && errno == EINTR)
				continue;
			return len < 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		for (char *p = buf; p < buf + len;) {
			const struct inotify_event *ev = (const void *)p;
			const char *dir = "";
			char line[PATH_MAX + 256];
			size_t o = 0;

			for (int i = 0; i < n; i++)
				if (wd[i] == ev->wd)
					dir = path[i];
			if (with_time)
				o += (size_t)snprintf(line + o, sizeof(line) - o, "%lld ",
						      (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec);
			/* inotifywait's names: the kernel's without "IN_", low bits first. */
			for (int i = 0; i < 32; i++) {
				const char *name = fsn_mask_bit_name(1u << i);

				if ((ev->mask & (1u << i)) && name)
					o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s",
							      o && line[o - 1] != ' ' ? "," : "",
							      name + 3);
			}
			if (!(ev->mask & IN_Q_OVERFLOW))
				o += (size_t)snprintf(line + o, sizeof(line) - o, " %s%s%s", dir,
						      ev->len ? "/" : "", ev->len ? ev->name : "");
			if (ev->mask & (IN_MOVED_FROM | IN_MOVED_TO))
				snprintf(line + o, sizeof(line) - o, " cookie=%u", ev->cookie);
			puts(line);
			p += sizeof(*ev) + ev->len;
		}
	}
}
