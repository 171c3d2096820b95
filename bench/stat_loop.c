/* stat_loop.c - see stat_loop.h. */
#include "stat_loop.h"

#include <errno.h>
#include <math.h>
#include <sys/stat.h>
#include <time.h>

#define STAT_LOOP_BATCH 256

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int stat_loop_run(const char *path, double seconds, uint64_t *ops, double *elapsed)
{
	uint64_t n = 0;
	double start, now;
	int err = 0;

	if (ops)
		*ops = 0;
	if (elapsed)
		*elapsed = 0.0;
	if (!path || !isfinite(seconds) || seconds <= 0.0)
		return EINVAL;

	start = mono_now();
	for (;;) {
		for (int i = 0; i < STAT_LOOP_BATCH; i++) {
			struct stat st;

			if (stat(path, &st) != 0) {
				err = errno ? errno : EIO;
				goto out;
			}
			n++;
		}
		now = mono_now();
		if (now - start >= seconds)
			break;
	}
out:
	now = mono_now();
	if (ops)
		*ops = n;
	if (elapsed)
		*elapsed = now - start;
	return err;
}
