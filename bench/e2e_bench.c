// SPDX-License-Identifier: GPL-2.0-only
/*
 * e2e_bench - how fast and how faithfully a change made behind a FUSE mount
 * reaches an inotify watcher on it (issue 16's figures), beside the floor
 * and the workaround, in one run:
 *
 *   floor      inotify on the backing directory itself (a local tmpfs)
 *   fsn-1      inotify on the passthrough mount (harness/passthrough/pt_session.c),
 *              the change forwarded by the server (harness/passthrough/passthrough_forward.c)
 *   polling    a loop listing the mount every second, what the VM
 *              runtimes' users do today
 *
 * Each latency sample is one file created in the backing directory, timed
 * from before the create() to the read() that returns its IN_CREATE (or to
 * the poller's scan that first lists it).  The floor and fsn-1 run in the
 * same thread, one after the other, with the same create() call.
 *
 * Then the rate: a backlog of events below the server's fanotify queue
 * (16384) is made with the forwarder stopped, and the time to drain it to
 * the watcher gives the events per second the path sustains.  A stream at
 * half that rate must lose nothing and overflow never; a burst above the
 * queue over a stopped forwarder must give the watcher exactly one
 * IN_Q_OVERFLOW.  Those two are checked: exit 1 when they fail.
 *
 *   fsnc_e2e_bench [--samples N] [--poll-samples N]
 *
 * Needs root and /dev/fuse; runs in a private mount namespace of its own.
 * Without the extension (mainline) it prints the floor and the polling
 * figures and says why there is nothing else.  Exit 0, 1 (a check failed),
 * 2 (bad arguments, setup), 77 (not root, no /dev/fuse).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include "case.h"
#include "isolate.h"
#include "pt_session.h"

#define QUEUE 16384 /* FANOTIFY_DEFAULT_MAX_EVENTS, and inotify's max_queued_events */

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/*
 * The clock: CLOCK_MONOTONIC, unless it moves in coarse steps (a guest
 * whose clocksource is jiffies moves it every 4 ms: every latency reads 0
 * or 4000 us), then the TSC, calibrated against it over half a second.
 */
static double tsc_per_ns; /* 0: CLOCK_MONOTONIC */
static int64_t tsc0;

static int64_t now_ns(void)
{
	if (tsc_per_ns > 0)
		return (int64_t)((double)(int64_t)(__builtin_ia32_rdtsc() - tsc0) / tsc_per_ns);
	return mono_ns();
}

static void pick_clock(void)
{
	int64_t a = mono_ns(), b, step, t1, m1;

	while ((b = mono_ns()) == a)
		;
	step = b - a;
	if (step < 100000) {
		printf("clock: CLOCK_MONOTONIC\n");
		return;
	}
	tsc0 = (int64_t)__builtin_ia32_rdtsc();
	m1 = b;
	while (mono_ns() - m1 < 500000000)
		;
	m1 = mono_ns() - m1;
	t1 = (int64_t)__builtin_ia32_rdtsc() - tsc0;
	tsc_per_ns = (double)t1 / (double)m1;
	printf("clock: the TSC at %.0f MHz (CLOCK_MONOTONIC moves in %.0f us steps here)\n",
	       tsc_per_ns * 1e3, step / 1e3);
}

static int create_file(const char *dir, const char *name)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Counts of what one inotify read loop saw. */
struct seen {
	long creates;
	long overflows;
	int64_t last_ns;
};

/* Read events from fd until `want` creates (or one named `name`), or the deadline. */
static int read_until(int fd, long want, const char *name, int timeout_ms, struct seen *s)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	int64_t end = now_ns() + (int64_t)timeout_ms * 1000000;

	while (now_ns() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, (int)((end - now_ns()) / 1000000) + 1) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return EIO;
		for (char *q = buf; q < buf + n;) {
			const struct inotify_event *ev = (const void *)q;

			if (ev->mask & IN_Q_OVERFLOW)
				s->overflows++;
			if (ev->mask & IN_CREATE) {
				s->creates++;
				s->last_ns = now_ns();
				if (name && ev->len && !strcmp(ev->name, name))
					return 0;
			}
			q += sizeof(*ev) + ev->len;
		}
		if (!name && s->creates >= want)
			return 0;
	}
	return ETIMEDOUT;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t pct(int64_t *v, int n, int p)
{
	int i = (n * p + 99) / 100 - 1;

	return v[i < 0 ? 0 : i];
}

/* n samples: create in `dir`, time to the IN_CREATE read from a watch on `watch`. */
static int latency(const char *dir, const char *watch, const char *tag, int n, int64_t *out)
{
	int fd = inotify_init1(IN_CLOEXEC);

	if (fd < 0 || inotify_add_watch(fd, watch, IN_CREATE) < 0) {
		fprintf(stderr, "e2e_bench: watch %s: %s\n", watch, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		struct seen s = {0};
		char name[64];
		int64_t t0;

		snprintf(name, sizeof(name), "%s%d", tag, i);
		t0 = now_ns();
		if (create_file(dir, name) || read_until(fd, 0, name, 5000, &s)) {
			fprintf(stderr, "e2e_bench: %s sample %d never arrived\n", tag, i);
			close(fd);
			return -1;
		}
		out[i] = s.last_ns - t0;
	}
	close(fd);
	qsort(out, (size_t)n, sizeof(out[0]), cmp_i64);
	return 0;
}

/* The workaround: list the mount every second; when was each name first listed? */
struct poller {
	const char *dir;
	int n;
	int64_t *seen_ns; /* per sample index, 0 until listed */
	volatile int stop;
};

static void *poll_loop(void *arg)
{
	struct poller *p = arg;

	while (!p->stop) {
		DIR *d = opendir(p->dir);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			int i;

			if (sscanf(e->d_name, "p%d", &i) == 1 && i >= 0 && i < p->n &&
			    !p->seen_ns[i])
				p->seen_ns[i] = now_ns();
		}
		if (d)
			closedir(d);
		usleep(1000 * 1000);
	}
	return NULL;
}

static int polling(const char *dir, const char *mnt_dir, int n, int64_t *out)
{
	struct poller p = {.dir = mnt_dir, .n = n, .seen_ns = calloc((size_t)n, sizeof(int64_t))};
	int64_t *t0 = calloc((size_t)n, sizeof(int64_t));
	pthread_t t;
	int err = 0;

	if (!p.seen_ns || !t0 || pthread_create(&t, NULL, poll_loop, &p))
		return -1;
	srand(1);
	for (int i = 0; i < n; i++) {
		char name[32];

		/* A random phase against the poller's period. */
		usleep((useconds_t)(rand() % 1000) * 1000);
		snprintf(name, sizeof(name), "p%d", i);
		t0[i] = now_ns();
		create_file(dir, name);
	}
	for (int64_t end = now_ns() + 5000000000ll; now_ns() < end;) {
		int all = 1;

		for (int i = 0; i < n; i++)
			all &= p.seen_ns[i] != 0;
		if (all)
			break;
		usleep(50 * 1000);
	}
	p.stop = 1;
	pthread_join(t, NULL);
	for (int i = 0; i < n; i++) {
		if (!p.seen_ns[i])
			err = -1;
		out[i] = p.seen_ns[i] - t0[i];
	}
	qsort(out, (size_t)n, sizeof(out[0]), cmp_i64);
	free(p.seen_ns);
	free(t0);
	return err;
}

/* A fresh directory made in the backing directory, watched on the mount. */
static int watch_new_dir(struct pt_session *e, const char *name, char *dir, size_t cap)
{
	char m[256];
	int fd;

	snprintf(dir, cap, "%s/c/%s", e->dir, name);
	snprintf(m, sizeof(m), "%s/c/%s", e->mnt, name);
	if (mkdir(dir, 0755))
		return -1;
	fd = inotify_init1(IN_CLOEXEC);
	if (fd >= 0 && inotify_add_watch(fd, m, IN_CREATE) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int make_files(const char *dir, const char *tag, long n, double per_s)
{
	int64_t t0 = now_ns();

	for (long i = 0; i < n; i++) {
		char name[32];

		if (per_s > 0) {
			int64_t due = t0 + (int64_t)(i * 1e9 / per_s);

			while (now_ns() < due)
				usleep(200);
		}
		snprintf(name, sizeof(name), "%s%ld", tag, i);
		if (create_file(dir, name))
			return -1;
	}
	return 0;
}

static void print_lat(const char *what, int64_t *v, int n, int64_t floor_p50)
{
	printf("  %-44s p50 %9.1f us  p99 %9.1f us", what, pct(v, n, 50) / 1e3,
	       pct(v, n, 99) / 1e3);
	if (floor_p50)
		printf("  (p50 %.1fx the floor)", (double)pct(v, n, 50) / (double)floor_p50);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct fc_ctx ctx = {.timeout_scale = 1, .quiet = 1};
	int samples = 200, poll_samples = 20, failed = 0, on;
	int64_t *floor_v, *remote_v, *poll_v;
	struct pt_session e;
	struct utsname u;
	char dir[256], m[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
			samples = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--poll-samples") && i + 1 < argc) {
			poll_samples = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: fsnc_e2e_bench [--samples N] [--poll-samples N]\n");
			return 2;
		}
	}
	if (samples < 1 || samples > 100000 || poll_samples < 1 || poll_samples > 1000) {
		fprintf(stderr, "e2e_bench: --samples wants 1..100000, --poll-samples 1..1000\n");
		return 2;
	}
	if (geteuid() || access("/dev/fuse", R_OK | W_OK)) {
		printf("e2e_bench: skip: needs root and /dev/fuse\n");
		return 77;
	}
	if (iso_private_mounts() || pt_session_start(&ctx, &e)) {
		fprintf(stderr, "e2e_bench: setup failed (see above)\n");
		pt_session_stop(&e);
		return 2;
	}
	on = srv_extension_on(e.s);
	uname(&u);
	printf("e2e bench: kernel %s, fsn-1 %s\n", u.release,
	       on ? "taken in INIT" : "not offered (mainline: a watcher on the mount never "
				      "hears of a change behind it)");
	pick_clock();
	floor_v = calloc((size_t)samples, sizeof(int64_t));
	remote_v = calloc((size_t)samples, sizeof(int64_t));
	poll_v = calloc((size_t)poll_samples, sizeof(int64_t));

	printf("latency, create in the backing directory -> the watcher's IN_CREATE (%d samples; "
	       "polling %d):\n", samples, poll_samples);
	snprintf(dir, sizeof(dir), "%s/a", e.dir);
	snprintf(m, sizeof(m), "%s/a", e.mnt);
	if (latency(dir, dir, "l", samples, floor_v)) {
		failed = 1;
		goto out;
	}
	print_lat("inotify on the backing directory (floor)", floor_v, samples, 0);
	if (on) {
		if (latency(dir, m, "r", samples, remote_v))
			failed = 1;
		else
			print_lat("inotify on the mount, fsn-1", remote_v, samples, pct(floor_v, samples, 50));
	}
	if (polling(dir, m, poll_samples, poll_v))
		failed = 1;
	else
		print_lat("listing the mount every 1 s (the workaround)", poll_v, poll_samples,
			  pct(floor_v, samples, 50));
	if (!on)
		goto out;

	{
		/* The rate: a backlog below the queue, drained with the forwarder going. */
		long backlog = QUEUE - 384;
		struct seen s = {0};
		int fd = watch_new_dir(&e, "drain", dir, sizeof(dir));
		double rate;
		int64_t t0;

		pt_forward_pause(e.pt, 1);
		make_files(dir, "d", backlog, 0);
		t0 = now_ns();
		pt_forward_pause(e.pt, 0);
		read_until(fd, backlog, NULL, 120000, &s);
		close(fd);
		rate = s.creates / ((s.last_ns - t0) / 1e9);
		printf("rate: a backlog of %ld creates drained to the watcher at %.0f events/s "
		       "(%ld arrived, %ld overflows)\n", backlog, rate, s.creates, s.overflows);
		if (s.creates != backlog || s.overflows) {
			printf("  FAIL: a backlog below the queue must arrive whole\n");
			failed = 1;
		}

		/* Below that rate nothing is lost. */
		{
			long n = (long)(rate / 2 * 3); /* three seconds at half the rate */
			struct seen s2 = {0};
			int fd2 = watch_new_dir(&e, "stream", dir, sizeof(dir));

			make_files(dir, "s", n, rate / 2);
			read_until(fd2, n, NULL, 60000, &s2);
			close(fd2);
			printf("stream at %.0f events/s for 3 s: %ld made, %ld arrived, %ld lost, %ld "
			       "overflows\n", rate / 2, n, s2.creates, n - s2.creates, s2.overflows);
			if (s2.creates != n || s2.overflows) {
				printf("  FAIL: below the rate nothing may be lost\n");
				failed = 1;
			}
		}

		/* Above the queue: exactly one IN_Q_OVERFLOW, never a silent loss. */
		{
			long n = QUEUE + 616;
			struct seen s3 = {0};
			int fd3 = watch_new_dir(&e, "burst", dir, sizeof(dir));
			struct pt_stats st;

			pt_forward_pause(e.pt, 1);
			make_files(dir, "b", n, 0);
			pt_forward_pause(e.pt, 0);
			read_until(fd3, n, NULL, 10000, &s3); /* ends at its deadline: some are lost */
			close(fd3);
			st = pt_stats(e.pt);
			printf("burst of %ld over a stopped forwarder: %ld arrived, %ld lost, %ld "
			       "IN_Q_OVERFLOW (the server read %llu FAN_Q_OVERFLOW)\n", n, s3.creates,
			       n - s3.creates, s3.overflows, (unsigned long long)st.fan_overflows);
			if (s3.overflows != 1) {
				printf("  FAIL: above the queue exactly one IN_Q_OVERFLOW must arrive\n");
				failed = 1;
			}
		}
	}
out:
	pt_session_stop(&e);
	free(floor_v);
	free(remote_v);
	free(poll_v);
	return failed;
}
