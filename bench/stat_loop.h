/* stat_loop.h - the shared stat() round-trip loop used by both the libfuse3
 * baseline (bench_libfuse) and the suite's own benchmark.
 *
 * Dependency-free: libc only, no globals, no FUSE headers.
 */
#ifndef FSNC_STAT_LOOP_H
#define FSNC_STAT_LOOP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Call stat(path) repeatedly for about `seconds` seconds of CLOCK_MONOTONIC
 * time.  The clock is read once every 256 stat() calls, so the run overshoots
 * `seconds` by at most 255 calls.
 *
 * On return *ops (if non-NULL) holds the number of successful stat() calls
 * and *elapsed (if non-NULL) the measured wall time in seconds, also when the
 * loop stopped early.
 *
 * Returns 0, EINVAL for a NULL path or a non-positive / non-finite duration,
 * or the errno of the first failing stat() (the loop stops there).
 */
int stat_loop_run(const char *path, double seconds, uint64_t *ops, double *elapsed);

#ifdef __cplusplus
}
#endif

#endif /* FSNC_STAT_LOOP_H */
