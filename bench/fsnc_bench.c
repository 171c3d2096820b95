// SPDX-License-Identifier: GPL-2.0-only
/*
 * fsnc_bench.c - `fsnc bench [seconds]`: figures, not pass/fail.
 *
 * The work is the same for every server: stat() of MNT/f in a loop, entry
 * and attr timeouts 0, so each stat() is one LOOKUP and one GETATTR (each
 * server's request counts are printed to show it).  The shape is the same
 * too: every server is a thread of the process that calls stat(), and
 * everything runs pinned to CPU 0 (a cross-CPU wakeup per request swings a
 * 2-vCPU VM's rate 5x run to run).  The figures, in one run on one kernel:
 *   - harness: the suite's own server (harness/server/server.c) over /dev/fuse;
 *   - limit: the least a /dev/fuse server can do (bench/raw_stat_server.c):
 *     what the kernel's round trip costs with nothing of ours in it;
 *   - libfuse3: a minimal libfuse3 low-level server, fuse_session_loop in a
 *     thread of bench_libfuse's stat() process (built beside us);
 *   - harness over FUSE-over-io_uring (enable_uring held at Y for that
 *     figure only, and restored);
 * each the median of three rounds taken in turn (all rounds printed), and
 * the ratios harness/limit, harness/libfuse3 and io_uring/devfuse.  Then
 * notification writes per second, written directly and through the
 * notifier thread the cases use (the handoff is the price of never
 * blocking a case on a notification the kernel holds), and the wall time
 * of the whole suite (pinned to CPU 0 as well).  The load average is
 * printed before and after: figures taken on a busy machine say so.
 * Lines are "bench: <what>: <value>" so scripts can grep them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "isolate.h"
#include "raw_stat_server.h"
#include "server.h"
#include "stat_loop.h"

#define ROUNDS 3

static double now_s(void)
{
	return (double)clk_now_ns() / 1e9;
}

static void self_dir(char *out, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", out, cap - 1);
	char *slash;

	out[n > 0 ? n : 0] = 0;
	slash = strrchr(out, '/');
	if (slash)
		*slash = 0;
}

static double harness_stat_rate(struct fc_ctx *ctx, enum tr_kind kind, double seconds,
				uint64_t *ops)
{
	/* entry and attr timeouts 0, as the libfuse3 baseline */
	struct srv_opts o = {.transport = kind};
	struct srv *s = srv_start(ctx, &o);
	double elapsed = 0;
	int err;

	if (!s)
		return -1;
	srv_add(s, FUSE_ROOT_ID, "f", S_IFREG | 0644, 0, 1);
	err = stat_loop_run(srv_path(s, "f"), seconds, ops, &elapsed);
	if (err)
		fprintf(stderr, "bench: stat loop: %s\n", strerror(err));
	printf("bench: harness requests served (%s): LOOKUP %llu, GETATTR %llu\n", srv_transport(s),
	       (unsigned long long)s->opcount[FUSE_LOOKUP],
	       (unsigned long long)s->opcount[FUSE_GETATTR]);
	srv_stop(s);
	return err || elapsed <= 0 ? -1 : (double)*ops / elapsed;
}

/* The limit: the raw server, a thread of this process like the harness's. */
static double limit_stat_rate(double seconds)
{
	struct raw_stat_server r;
	double elapsed = 0;
	uint64_t ops = 0;
	char path[96];
	int err = raw_stat_server_start(&r);

	if (err) {
		fprintf(stderr, "bench: limit server: %s\n", strerror(err));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/f", r.mnt);
	err = stat_loop_run(path, seconds, &ops, &elapsed);
	raw_stat_server_stop(&r);
	if (err)
		fprintf(stderr, "bench: limit stat loop: %s\n", strerror(err));
	printf("bench: limit requests served: LOOKUP %llu, GETATTR %llu\n",
	       (unsigned long long)r.lookups, (unsigned long long)r.getattrs);
	return err || elapsed <= 0 ? -1 : (double)ops / elapsed;
}

/*
 * The same loop over io_uring.  The ring's requests go to the queue of the
 * caller's CPU (0 here); the serve thread commits its replies and reaps the
 * completions itself, so a round trip has the thread switches of /dev/fuse:
 * the difference is the kernel's path (task work, commit and fetch) plus the
 * harness's copies between the entry and its /dev/fuse-shaped buffers.
 */
static double uring_stat_rate(struct fc_ctx *ctx, double seconds, uint64_t *ops)
{
	struct uring_param_guard g;
	char why[256];
	double rate;

	if (uring_param_enable(&g, why, sizeof(why))) {
		printf("bench: io_uring stat round trips/s: unavailable (%s)\n", why);
		return -1;
	}
	rate = harness_stat_rate(ctx, TR_URING, seconds, ops);
	if (uring_param_restore(&g))
		fprintf(stderr, "bench: could not restore enable_uring\n");
	if (rate < 0)
		printf("bench: io_uring stat round trips/s: unavailable (%s)\n",
		       transport_unavailable()[0] ? transport_unavailable() : "session failed");
	return rate;
}

static void notify_rates(struct fc_ctx *ctx, double seconds)
{
	struct srv_opts o = {.entry_valid_ns = 3600000000000ull, .attr_valid_ns = 3600000000000ull};
	struct srv *s = srv_start(ctx, &o);
	struct fuse_notify_inval_inode_out in = {0};
	struct stat st;
	uint8_t msg[64];
	size_t len;
	uint64_t n = 0, bad = 0;
	double t0, t;

	if (!s)
		return;
	srv_add(s, FUSE_ROOT_ID, "f", S_IFREG | 0644, 2, 1);
	stat(srv_path(s, "f"), &st); /* cache nodeid 2, so INVAL_INODE is accepted */
	in.ino = 2;
	len = fw_notify_encode(msg, sizeof(msg), FUSE_NOTIFY_INVAL_INODE, &in, sizeof(in));
	t0 = now_s();
	do {
		for (int i = 0; i < 256; i++, n++)
			bad += srv_write_raw(s, msg, len) != 0;
		t = now_s() - t0;
	} while (t < seconds);
	printf("bench: notify writes/s (INVAL_INODE, direct write): %.0f (%llu in %.2f s, %llu rejected)\n",
	       (double)n / t, (unsigned long long)n, t, (unsigned long long)bad);
	n = bad = 0;
	t0 = now_s();
	do {
		for (int i = 0; i < 64; i++, n++)
			bad += srv_notify(s, msg, len, 2000) != 0;
		t = now_s() - t0;
	} while (t < seconds);
	printf("bench: notify writes/s (INVAL_INODE, notifier thread): %.0f (%llu in %.2f s, %llu rejected)\n",
	       (double)n / t, (unsigned long long)n, t, (unsigned long long)bad);
	srv_stop(s);
}

static double libfuse_rate(const char *dir, double seconds)
{
	char cmd[PATH_MAX + 64], line[256];
	double rate = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "%s/bench/bench_libfuse %g 2>&1", dir, seconds);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *v = strstr(line, "stat_roundtrips_per_sec=");

		if (v)
			rate = strtod(v + strlen("stat_roundtrips_per_sec="), NULL);
		else if (strstr(line, "lookup="))
			printf("bench: libfuse3 requests served: %s", line + strcspn(line, "l"));
		else
			fprintf(stderr, "bench: bench_libfuse: %s", line);
	}
	pclose(p);
	return rate;
}

static void suite_time(const char *dir)
{
	char cmd[PATH_MAX + 64];
	double t0 = now_s();
	int rc;

	snprintf(cmd, sizeof(cmd), "%s/fsnc run --quiet > /dev/null 2>&1", dir);
	rc = system(cmd);
	printf("bench: suite wall time: %.2f s (fsnc run exit %d)\n", now_s() - t0,
	       WIFEXITED(rc) ? WEXITSTATUS(rc) : -1);
}

static void load_average(const char *when)
{
	char buf[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			strcpy(buf, "?\n");
		fclose(f);
	}
	printf("bench: load average %s: %s", when, buf);
}

/* One figure over ROUNDS rounds: the rates in the order taken. */
struct figure {
	const char *what;
	double rate[ROUNDS];
	int n;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of the rounds that gave a rate; -1 if none did. */
static double median(const struct figure *f)
{
	double v[ROUNDS];
	int n = 0;

	for (int i = 0; i < f->n; i++)
		if (f->rate[i] > 0)
			v[n++] = f->rate[i];
	if (!n)
		return -1;
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void print_figure(const struct figure *f, const char *unavailable)
{
	double m = median(f);

	if (m < 0) {
		printf("bench: %s stat round trips/s: unavailable (%s)\n", f->what, unavailable);
		return;
	}
	printf("bench: %s stat round trips/s: %.0f (median of rounds:", f->what, m);
	for (int i = 0; i < f->n; i++)
		printf(" %.0f", f->rate[i]);
	printf(")\n");
}

static void print_ratio(const char *what, const struct figure *a, const struct figure *b)
{
	double x = median(a), y = median(b);

	if (x > 0 && y > 0)
		printf("bench: ratio %s: %.2f\n", what, x / y);
}

int fsnc_bench_main(int argc, char **argv)
{
	struct fc_ctx ctx = {.timeout_scale = 1};
	double seconds = argc > 1 ? strtod(argv[1], NULL) : 1.0;
	struct figure harness = {.what = "harness"}, limit = {.what = "limit"},
		      libfuse = {.what = "libfuse3"}, ring = {.what = "harness io_uring"};
	char dir[PATH_MAX];
	struct utsname u;
	int err;

	if (!(seconds > 0 && seconds <= 600)) {
		fprintf(stderr, "fsnc bench: seconds must be in (0, 600], got '%s'\n", argv[1]);
		return 2;
	}
	if (geteuid() != 0 || access("/dev/fuse", R_OK | W_OK)) {
		fprintf(stderr, "fsnc bench: needs root and /dev/fuse; skipped\n");
		return 77;
	}
	if ((err = iso_private_mounts())) {
		fprintf(stderr, "fsnc bench: private mount namespace: %s\n", strerror(err));
		return 1;
	}
	iso_mount_fusectl();
	{
		/*
		 * One CPU for everything, inherited by every server thread and by
		 * bench_libfuse: on a 2-vCPU VM a cross-CPU wakeup per request swings
		 * the rate 5x run to run, and the comparison is only fair when all
		 * servers run the same way.
		 */
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(0, &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			fprintf(stderr, "bench: cannot pin to CPU 0: %s\n", strerror(errno));
	}
	self_dir(dir, sizeof(dir));
	uname(&u);
	printf("bench: kernel %s, %ld CPUs, %d rounds of %.1f s per figure\n", u.release,
	       sysconf(_SC_NPROCESSORS_ONLN), ROUNDS, seconds);
	printf("bench: shape: each server is a thread of the process that calls stat(), all "
	       "pinned to CPU 0; the work: stat() of one file, timeouts 0 (LOOKUP + GETATTR)\n");
	load_average("before");
	/* Rounds in turn, so a change in the machine's load hits every figure alike. */
	for (int r = 0; r < ROUNDS; r++) {
		uint64_t ops = 0;

		harness.rate[harness.n++] = harness_stat_rate(&ctx, TR_DEVFUSE, seconds, &ops);
		limit.rate[limit.n++] = limit_stat_rate(seconds);
		libfuse.rate[libfuse.n++] = libfuse_rate(dir, seconds);
		ring.rate[ring.n++] = uring_stat_rate(&ctx, seconds, &ops);
	}
	print_figure(&harness, "session failed");
	print_figure(&limit, "the raw server failed");
	print_figure(&libfuse, "bench_libfuse not built or failed");
	print_figure(&ring, "see above");
	print_ratio("harness/limit", &harness, &limit);
	print_ratio("harness/libfuse3", &harness, &libfuse);
	print_ratio("io_uring/devfuse", &ring, &harness);
	notify_rates(&ctx, seconds);
	suite_time(dir);
	load_average("after");
	return ctx.failures ? 1 : 0;
}
