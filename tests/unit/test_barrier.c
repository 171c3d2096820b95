// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_barrier.c - ino_barrier() and fan_barrier() (harness/client/barrier.h):
 * every event queued before the call comes back, in order, none of the
 * sentinel's, at once (no quiet window), and a full buffer says so.  On
 * directories of a private temporary directory; fanotify needs root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "barrier.h"
#include "clock.h"

struct dirs {
	char base[64], watched[96], sentinel[96];
};

static int setup(void **state)
{
	struct dirs *d = calloc(1, sizeof(*d));

	if (!d)
		return -1;
	snprintf(d->base, sizeof(d->base), "/tmp/fsnc-barrier.XXXXXX");
	if (!mkdtemp(d->base))
		return -1;
	snprintf(d->watched, sizeof(d->watched), "%s/w", d->base);
	snprintf(d->sentinel, sizeof(d->sentinel), "%s/s", d->base);
	if (mkdir(d->watched, 0700) || mkdir(d->sentinel, 0700))
		return -1;
	*state = d;
	return 0;
}

static int teardown(void **state)
{
	struct dirs *d = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", d->base);
	if (system(cmd))
		return -1;
	free(d);
	return 0;
}

static void touch(const struct dirs *d, const char *name)
{
	char p[160];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", d->watched, name);
	fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
}

/* An inotify group watching dir for IN_CREATE; *wd its watch. */
static int group(const char *dir, int *wd)
{
	int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

	assert_true(fd >= 0);
	*wd = inotify_add_watch(fd, dir, IN_CREATE);
	assert_true(*wd >= 0);
	return fd;
}

static void inotify_events_before_the_call_all_come_in_order(void **state)
{
	struct dirs *d = *state;
	struct ino_event ev[8];
	size_t n = 0;
	int wd, fd = group(d->watched, &wd);
	int64_t t0;

	touch(d, "one");
	touch(d, "two");
	touch(d, "three");
	t0 = clk_now_ms();
	assert_int_equal(ino_barrier(fd, d->sentinel, 2000, ev, 8, &n), 0);
	assert_true(clk_now_ms() - t0 < 1000); /* no quiet window */
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ev[i].wd, wd);
		assert_true(ev[i].mask & IN_CREATE);
	}
	assert_string_equal(ev[0].name, "one");
	assert_string_equal(ev[2].name, "three");
	/* Nothing new: nothing, and the sentinel's own events are never kept. */
	n = 0;
	assert_int_equal(ino_barrier(fd, d->sentinel, 2000, ev, 8, &n), 0);
	assert_int_equal(n, 0);
	close(fd);
}

static void inotify_full_buffer_is_enobufs_and_keeps_the_first(void **state)
{
	struct dirs *d = *state;
	struct ino_event ev[2];
	size_t n = 0;
	int wd, fd = group(d->watched, &wd);

	touch(d, "a");
	touch(d, "b");
	touch(d, "c");
	assert_int_equal(ino_barrier(fd, d->sentinel, 2000, ev, 2, &n), ENOBUFS);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].name, "a");
	assert_string_equal(ev[1].name, "b");
	close(fd);
}

static void inotify_sentinel_on_a_watched_directory_is_refused(void **state)
{
	struct dirs *d = *state;
	struct ino_event ev[2];
	size_t n = 0;
	int wd, fd = group(d->sentinel, &wd);

	assert_int_equal(ino_barrier(fd, d->sentinel, 2000, ev, 2, &n), EEXIST);
	close(fd);
}

static void fanotify_events_before_the_call_all_come(void **state)
{
	struct dirs *d = *state;
	struct fan_event ev[8];
	size_t n = 0;
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_REPORT_FID, O_RDONLY);

	if (fd < 0)
		skip(); /* needs CAP_SYS_ADMIN */
	assert_int_equal(fanotify_mark(fd, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD, d->watched), 0);
	touch(d, "x");
	touch(d, "y");
	assert_int_equal(fan_barrier(fd, d->sentinel, 2000, ev, 8, &n), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		assert_true((ev[i].mask & (FAN_CREATE | FAN_OPEN)) == FAN_CREATE);
	n = 0;
	assert_int_equal(fan_barrier(fd, d->sentinel, 2000, ev, 8, &n), 0);
	assert_int_equal(n, 0);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(inotify_events_before_the_call_all_come_in_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(inotify_full_buffer_is_enobufs_and_keeps_the_first,
						setup, teardown),
		cmocka_unit_test_setup_teardown(inotify_sentinel_on_a_watched_directory_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(fanotify_events_before_the_call_all_come, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
