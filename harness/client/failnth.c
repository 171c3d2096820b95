// SPDX-License-Identifier: GPL-2.0-only
/* failnth.c - /proc/thread-self/fail-nth and the debugfs knobs it needs. */
#include "failnth.h"
#include "case.h"
#include "kutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#ifdef FSNC_CONFIG_FAILNTH
#define DEBUGFS "/sys/kernel/debug"

/* The knobs failnth_open() sets, and the value each must hold for a sweep. */
static const struct {
	const char *path;
	const char *value;
} knobs[FAILNTH_KNOBS] = {
	{DEBUGFS "/failslab/ignore-gfp-wait", "N"},
	{DEBUGFS "/failslab/verbose", "0"},
	{DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N"},
	{DEBUGFS "/fail_page_alloc/min-order", "0"},
	{DEBUGFS "/fail_page_alloc/verbose", "0"},
};

static int read_knob(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return errno;
	n = read(fd, buf, cap - 1);
	if (n < 0)
		err = errno;
	else
		buf[n] = 0;
	close(fd);
	buf[strcspn(buf, "\n")] = 0;
	return err;
}

int failnth_open(struct failnth *f, char *why, size_t cap)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (f->fd < 0) {
		err = errno;
		snprintf(why, cap, "no /proc/thread-self/fail-nth (%s): kernel built without "
			 "CONFIG_FAULT_INJECTION", strerror(err));
		return ENOENT;
	}
	if (access(DEBUGFS "/failslab", F_OK)) {
		if (!mount("debugfs", DEBUGFS, "debugfs", 0, NULL))
			f->mounted_debugfs = 1;
	}
	for (int i = 0; i < FAILNTH_KNOBS; i++)
		if (access(knobs[i].path, W_OK)) {
			snprintf(why, cap, "%s is missing: fail-nth could not fail GFP_KERNEL "
				 "allocations (CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, "
				 "CONFIG_FAULT_INJECTION_DEBUG_FS)", knobs[i].path);
			failnth_close(f);
			return ENOENT;
		}
	for (int i = 0; i < FAILNTH_KNOBS; i++) {
		err = read_knob(knobs[i].path, f->old[i], sizeof(f->old[i]));
		if (!err) {
			f->saved = i + 1;
			err = ku_write_file(knobs[i].path, knobs[i].value);
		}
		if (err) {
			snprintf(why, cap, "%s: %s", knobs[i].path, strerror(err));
			failnth_close(f);
			return err;
		}
	}
	return 0;
}

void failnth_close(struct failnth *f)
{
	for (int i = f->saved - 1; i >= 0; i--)
		ku_write_file(knobs[i].path, f->old[i]);
	f->saved = 0;
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if (f->mounted_debugfs)
		umount2(DEBUGFS, MNT_DETACH);
	f->mounted_debugfs = 0;
}

int failnth_arm(struct failnth *f, unsigned nth)
{
	char num[16];
	int len = snprintf(num, sizeof(num), "%u", nth);

	/* proc_fail_nth_write() allocates nothing: the count starts after it. */
	return pwrite(f->fd, num, (size_t)len, 0) == len ? 0 : errno;
}

int failnth_disarm(struct failnth *f, int *fired)
{
	char num[16];
	ssize_t n = pread(f->fd, num, sizeof(num) - 1, 0);
	int err;

	if (n < 0)
		return errno;
	num[n] = 0;
	/* Disarm before anything else allocates on this thread. */
	err = failnth_arm(f, 0);
	*fired = strtoul(num, NULL, 10) == 0;
	return err;
}

int fc_arm(struct fc_ctx *ctx, struct fc_armed *a)
{
	int err;

	memset(a, 0, sizeof(*a));
	a->fn.fd = -1;
	if (ctx->fail_nth <= 0)
		return 0;
	if (fc_failnth_open(ctx, &a->fn))
		return FC_SKIP;
	if ((err = failnth_arm(&a->fn, (unsigned)ctx->fail_nth))) {
		failnth_close(&a->fn);
		return fc_skip(ctx, "--fail-nth %d: arming fail-nth: %s", ctx->fail_nth,
			       fc_errname(err));
	}
	a->on = 1;
	return 0;
}

int fc_disarm(struct fc_ctx *ctx, struct fc_armed *a, const char *what)
{
	int fired = 0, err;

	if (!a->on)
		return 0;
	err = failnth_disarm(&a->fn, &fired);
	failnth_close(&a->fn);
	a->on = 0;
	CHECK_ERR(ctx, err, 0, "disarming fail-nth");
	fc_log(ctx, "fail-nth %d %s %s", ctx->fail_nth,
	       fired ? "fired inside" : "did not fire: fewer allocations in", what);
	return fired;
}

int fc_fault_ends(struct fc_ctx *ctx, struct fc_armed *a, int got, int want, const char *what)
{
	if (!fc_disarm(ctx, a, what))
		return 0;
	CHECK(ctx, got == want || got == ENOMEM, "%s under the fault: got %s, want %s or ENOMEM",
	      what, fc_errname(got), fc_errname(want));
	return 1;
}
#else
/*
 * A reproducer written without --fail-nth (failnth.h): no fault injection in
 * it.  A row that asks for it anyway skips, saying so.
 */
int failnth_open(struct failnth *f, char *why, size_t cap)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	snprintf(why, cap, "fault injection is not built into this file (fsnc repro writes it "
		 "in with --fail-nth N)");
	return ENOSYS;
}

void failnth_close(struct failnth *f)
{
}

int failnth_arm(struct failnth *f, unsigned nth)
{
	return ENOSYS;
}

int failnth_disarm(struct failnth *f, int *fired)
{
	*fired = 0;
	return ENOSYS;
}

/* Without a fault asked for, as above; with one, the SKIP fc_failnth_open() gives. */
int fc_arm(struct fc_ctx *ctx, struct fc_armed *a)
{
	memset(a, 0, sizeof(*a));
	a->fn.fd = -1;
	return ctx->fail_nth > 0 && fc_failnth_open(ctx, &a->fn) ? FC_SKIP : 0;
}

/* Never armed (a->on stays 0): nothing fired. */
int fc_disarm(struct fc_ctx *ctx, struct fc_armed *a, const char *what)
{
	return 0;
}

int fc_fault_ends(struct fc_ctx *ctx, struct fc_armed *a, int got, int want, const char *what)
{
	return 0;
}
#endif

int fc_failnth_open(struct fc_ctx *ctx, struct failnth *f)
{
	char why[256];

	if (!failnth_open(f, why, sizeof(why)))
		return 0;
	if (ctx->fail_nth)
		return fc_skip(ctx, "--fail-nth %d needs fault injection: %s", ctx->fail_nth, why);
	return fc_skip(ctx, "%s", why);
}
