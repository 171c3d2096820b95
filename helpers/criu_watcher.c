// SPDX-License-Identifier: GPL-2.0-only
/*
 * criu_watcher - the process the criu family (cases/criu.c) has CRIU dump
 * and restore.
 *
 *   fsnc_criu_watcher inotify|fanotify FILE SENTINEL REPORT
 *
 * It puts one mark on FILE (on the harness's FUSE mount) and one on
 * SENTINEL (off it), in one inotify or fanotify group, appends "ready ..."
 * to REPORT, then for ever appends one line per event it reads: "event
 * ..." for FILE, "sentinel ..." for SENTINEL.  REPORT is opened anew for
 * each line, so no descriptor but the group's crosses a dump.
 *
 * It is its own program, exec'd by the case inside the case's mount
 * namespace, because CRIU maps every file of a task to a mount of the
 * task's namespace: a process forked from the runner would still map the
 * fsnc binary through the mount it was exec'd from, in the namespace the
 * case left, and CRIU refuses to dump it ("Can't lookup mount").
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <unistd.h>

static const char *report_path;

static void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void report(const char *fmt, ...)
{
	char line[PATH_MAX + 128];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	fd = open(report_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, line, (size_t)n) != n)
		n = 0;
	close(fd);
}

static int watch_inotify(const char *file, const char *sentinel)
{
	int fd = inotify_init1(IN_CLOEXEC);
	int wd = inotify_add_watch(fd, file, IN_MODIFY);
	int ws = inotify_add_watch(fd, sentinel, IN_MODIFY);

	report("ready wd %d sentinel %d err %d", wd, ws, wd < 0 || ws < 0 ? errno : 0);
	for (;;) {
		char buf[4096] __attribute__((aligned(8)));
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno != EINTR)
			return 1;
		for (ssize_t o = 0; n > 0 && o + (ssize_t)sizeof(struct inotify_event) <= n;) {
			struct inotify_event *e = (struct inotify_event *)(buf + o);

			report("%s wd %d mask %#x", e->wd == ws ? "sentinel" : "event", e->wd, e->mask);
			o += (ssize_t)sizeof(*e) + e->len;
		}
	}
}

static int watch_fanotify(const char *file, const char *sentinel)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	int a = fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY, AT_FDCWD, file) ? errno : 0;
	int b = fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY, AT_FDCWD, sentinel) ? errno : 0;

	report("ready fd %d mark %d sentinel %d err %d", fd, a, b, fd < 0 || a || b ? 1 : 0);
	for (;;) {
		char buf[4096] __attribute__((aligned(8)));
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno != EINTR)
			return 1;
		for (struct fanotify_event_metadata *m = (void *)buf; n > 0 && FAN_EVENT_OK(m, n);
		     m = FAN_EVENT_NEXT(m, n)) {
			char link[64], path[PATH_MAX] = "?";
			ssize_t l;

			snprintf(link, sizeof(link), "/proc/self/fd/%d", m->fd);
			l = readlink(link, path, sizeof(path) - 1);
			path[l > 0 ? l : 0] = 0;
			report("%s mask %#llx path %s", strcmp(path, sentinel) ? "event" : "sentinel",
			       (unsigned long long)m->mask, path);
			if (m->fd >= 0)
				close(m->fd);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 5 || (strcmp(argv[1], "inotify") && strcmp(argv[1], "fanotify"))) {
		fprintf(stderr, "usage: %s inotify|fanotify FILE SENTINEL REPORT\n", argv[0]);
		return 2;
	}
	report_path = argv[4];
	return !strcmp(argv[1], "inotify") ? watch_inotify(argv[2], argv[3])
					   : watch_fanotify(argv[2], argv[3]);
}
