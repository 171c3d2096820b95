/* libfuse_stat_server.c - the libfuse3 baseline for the stat() round-trip
 * benchmark.
 *
 * One source, two programs (see bench/CMakeLists.txt):
 *
 *   libfuse_stat_server MOUNTPOINT
 *       A minimal libfuse3 low-level server: a root directory (nodeid 1)
 *       holding one regular file "f" (nodeid 2).  LOOKUP and GETATTR answer
 *       with entry/attr timeouts of 0, so the kernel caches nothing and every
 *       stat("MOUNTPOINT/f") reaches the server.  Single-threaded
 *       (fuse_session_loop), so it compares fairly with the suite's own
 *       single-threaded raw /dev/fuse server.  Exits on SIGTERM, SIGINT,
 *       SIGHUP or unmount.  Must run as root (mounts with mount(2) directly;
 *       no allow_other, no /etc/fuse.conf needed).
 *
 *   bench_libfuse [SECONDS]          (built with -DFSNC_BENCH_DRIVER)
 *       Private mount namespace (with a private tmpfs over /tmp), temp
 *       mountpoint in it, runs the server above on it as a THREAD of this
 *       process (the shape of fsnc's own server: a thread of the process
 *       that calls stat(), with the CPU pinning it inherits from fsnc
 *       bench), waits for the mount with a deadline, runs stat_loop_run()
 *       on MOUNTPOINT/f for SECONDS (default 2), prints
 *
 *         libfuse3 stat_roundtrips_per_sec=<float> ops=<n> seconds=<float>
 *
 *       then detaches the mount, which ends the session loop, joins the
 *       thread, removes the temp dir and exits 0.  Exits 77 when not root or
 *       /dev/fuse is unusable.
 *
 * Note on the workload: with entry_timeout = attr_timeout = 0 the kernel
 * revalidates the dentry of "f" with a LOOKUP and then refreshes the
 * attributes with a GETATTR, i.e. one stat() is two FUSE requests.  The
 * server prints its per-opcode counts to stderr on exit so this can be
 * checked; the suite's server must use the same timeouts for a fair
 * comparison.
 *
 * No globals: all server state lives in struct stat_server, passed to
 * fuse_session_new() as userdata.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define FUSE_USE_VERSION 34

#include <fuse_lowlevel.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAT_SERVER_FILE_NAME "f"
#define STAT_SERVER_FILE_INO  2

struct stat_server {
	uint64_t n_lookup;
	uint64_t n_getattr;
};

static int stat_server_attr(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = 0;
	st->st_gid = 0;
	st->st_blksize = 4096;
	st->st_atim.tv_sec = st->st_mtim.tv_sec = st->st_ctim.tv_sec = 1700000000;
	if (ino == FUSE_ROOT_ID) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (ino == STAT_SERVER_FILE_INO) {
		st->st_mode = S_IFREG | 0644;
		st->st_nlink = 1;
		st->st_size = 4096;
		st->st_blocks = 8;
		return 0;
	}
	return ENOENT;
}

static void stat_server_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct stat_server *srv = fuse_req_userdata(req);
	struct fuse_entry_param e;

	srv->n_lookup++;
	if (parent != FUSE_ROOT_ID || strcmp(name, STAT_SERVER_FILE_NAME) != 0) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	memset(&e, 0, sizeof(e));
	e.ino = STAT_SERVER_FILE_INO;
	e.generation = 1;
	e.attr_timeout = 0.0;
	e.entry_timeout = 0.0;
	stat_server_attr(e.ino, &e.attr);
	fuse_reply_entry(req, &e);
}

static void stat_server_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat_server *srv = fuse_req_userdata(req);
	struct stat st;
	int err;

	(void)fi;
	srv->n_getattr++;
	err = stat_server_attr(ino, &st);
	if (err)
		fuse_reply_err(req, err);
	else
		fuse_reply_attr(req, &st, 0.0);
}

static const struct fuse_lowlevel_ops stat_server_ops = {
	.lookup = stat_server_lookup,
	.getattr = stat_server_getattr,
};

/*
 * Mount on `mountpoint`, serve single-threaded until unmount (or, with
 * own_signals, SIGTERM/SIGINT/SIGHUP), unmount, and return 0 or 1.  A
 * server run as a thread leaves the process's signals alone.
 */
static int stat_server_run(const char *argv0, const char *mountpoint, int own_signals)
{
	/* fsname/subtype only make the mount recognisable in mountinfo. */
	char *argv[] = {
		(char *)argv0,
		"-o", "fsname=fsnc_libfuse_stat,subtype=fsnc_libfuse_stat",
		NULL,
	};
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct stat_server srv = { 0 };
	struct fuse_session *se;
	int res, rc = 1;

	se = fuse_session_new(&args, &stat_server_ops, sizeof(stat_server_ops), &srv);
	if (!se)
		goto out_args;
	/*
	 * fuse_set_signal_handlers() only hooks signals still at SIG_DFL; a
	 * shell starts background jobs with SIGINT ignored, which would make
	 * the server deaf to it.  Reset first so all three always end it.
	 */
	if (own_signals) {
		signal(SIGHUP, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (fuse_set_signal_handlers(se) != 0)
			goto out_session;
	}
	if (fuse_session_mount(se, mountpoint) != 0)
		goto out_signals;

	/*
	 * 0 on unmount; libfuse 3's exit_handler stores the signal
	 * number as the session error, which is a clean exit here too.
	 */
	res = fuse_session_loop(se);
	rc = (res == 0 || res == SIGTERM || res == SIGINT || res == SIGHUP) ? 0 : 1;

	fuse_session_unmount(se);
	fprintf(stderr, "libfuse_stat_server: lookup=%" PRIu64 " getattr=%" PRIu64 "\n",
		srv.n_lookup, srv.n_getattr);
out_signals:
	if (own_signals)
		fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
out_args:
	fuse_opt_free_args(&args);
	return rc;
}

#ifndef FSNC_BENCH_DRIVER

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s MOUNTPOINT\n", argv[0]);
		return 2;
	}
	return stat_server_run(argv[0], argv[1], 1);
}

#else /* FSNC_BENCH_DRIVER */

#include "stat_loop.h"

#include <math.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sched.h>
#include <time.h>

#define BENCH_SKIP           77
#define BENCH_MOUNT_DEADLINE 5.0   /* seconds to wait for the mount */
#define BENCH_STOP_DEADLINE  2     /* seconds for the session to end after the unmount */

/* The server thread: the session, and whether it has ended. */
struct bench_server {
	const char *mnt;
	pthread_t thread;
	volatile int done;
	int rc;
};

static void *bench_server_main(void *arg)
{
	struct bench_server *b = arg;

	b->rc = stat_server_run("libfuse_stat_server", b->mnt, 0);
	b->done = 1;
	return NULL;
}

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void bench_nap_ms(long ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Wait until MNT/f stats, the server thread ends, or the deadline passes. */
static int bench_wait_mounted(const char *file, const struct bench_server *b)
{
	double deadline = bench_now() + BENCH_MOUNT_DEADLINE;
	struct stat st;

	for (;;) {
		if (stat(file, &st) == 0)
			return 0;
		if (b->done) {
			fprintf(stderr, "bench_libfuse: server ended before the mount was live\n");
			return -1;
		}
		if (bench_now() >= deadline) {
			fprintf(stderr, "bench_libfuse: %s not live after %.0f s (last error: %s)\n",
				file, BENCH_MOUNT_DEADLINE, strerror(errno));
			return -1;
		}
		bench_nap_ms(5);
	}
}

int main(int argc, char **argv)
{
	char mnt[] = "/tmp/fsnc-bench-libfuse-XXXXXX";
	char file[sizeof(mnt) + 8];
	double seconds = 2.0, elapsed = 0.0;
	struct bench_server srv = {0};
	struct timespec until;
	uint64_t ops = 0;
	int rc = 1, err;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [SECONDS]\n", argv[0]);
		return 2;
	}
	if (argc == 2) {
		char *end;

		errno = 0;
		seconds = strtod(argv[1], &end);
		if (errno || end == argv[1] || *end || !isfinite(seconds) || seconds <= 0.0) {
			fprintf(stderr, "bench_libfuse: bad duration '%s'\n", argv[1]);
			return 2;
		}
	}

	if (geteuid() != 0) {
		fprintf(stderr, "bench_libfuse: skipped: needs root (mount namespace + mount(2))\n");
		return BENCH_SKIP;
	}
	if (access("/dev/fuse", R_OK | W_OK) != 0) {
		fprintf(stderr, "bench_libfuse: skipped: /dev/fuse unusable: %s\n", strerror(errno));
		return BENCH_SKIP;
	}
	/* The mount lives only in this namespace: it dies with us whatever happens. */
	if (unshare(CLONE_NEWNS) != 0) {
		fprintf(stderr, "bench_libfuse: skipped: unshare(CLONE_NEWNS): %s\n", strerror(errno));
		return BENCH_SKIP;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		fprintf(stderr, "bench_libfuse: mount(/, MS_REC|MS_PRIVATE): %s\n", strerror(errno));
		return 1;
	}
	/*
	 * A namespace-private tmpfs over /tmp holds the mountpoint, so even a
	 * SIGKILLed driver leaves no directory behind: the tmpfs, like the
	 * FUSE mount, goes away with the namespace.  Falls back to the real
	 * /tmp if tmpfs is unavailable.
	 */
	if (mount("fsnc-bench", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700,size=1m") != 0)
		fprintf(stderr, "bench_libfuse: note: private tmpfs on /tmp: %s; using /tmp\n",
			strerror(errno));
	if (!mkdtemp(mnt)) {
		fprintf(stderr, "bench_libfuse: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(file, sizeof(file), "%s/%s", mnt, STAT_SERVER_FILE_NAME);

	srv.mnt = mnt;
	err = pthread_create(&srv.thread, NULL, bench_server_main, &srv);
	if (err) {
		fprintf(stderr, "bench_libfuse: pthread_create: %s\n", strerror(err));
		rmdir(mnt);
		return 1;
	}
	if (bench_wait_mounted(file, &srv) != 0)
		goto cleanup;

	err = stat_loop_run(file, seconds, &ops, &elapsed);
	if (err) {
		fprintf(stderr, "bench_libfuse: stat(%s) failed after %" PRIu64 " ops: %s\n",
			file, ops, strerror(err));
		goto cleanup;
	}
	printf("libfuse3 stat_roundtrips_per_sec=%.1f ops=%" PRIu64 " seconds=%.3f\n",
	       elapsed > 0.0 ? (double)ops / elapsed : 0.0, ops, elapsed);
	fflush(stdout);
	rc = 0;

cleanup:
	/* The unmount ends the session loop (its read gets ENODEV). */
	if (umount2(mnt, MNT_DETACH) != 0 && errno != EINVAL)
		fprintf(stderr, "bench_libfuse: umount2(%s): %s\n", mnt, strerror(errno));
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += BENCH_STOP_DEADLINE;
	if (pthread_timedjoin_np(srv.thread, NULL, &until)) {
		/* Exiting the process ends the blocked read and the namespace. */
		fprintf(stderr, "bench_libfuse: the session did not end %d s after the unmount\n",
			BENCH_STOP_DEADLINE);
		fflush(NULL);
		_exit(1);
	}
	if (rmdir(mnt) != 0) {
		fprintf(stderr, "bench_libfuse: rmdir(%s): %s\n", mnt, strerror(errno));
		rc = 1;
	}
	if (rc == 0 && srv.rc != 0)
		fprintf(stderr, "bench_libfuse: note: server returned %d\n", srv.rc);
	return rc;
}

#endif /* FSNC_BENCH_DRIVER */
