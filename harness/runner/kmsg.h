/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kmsg.h - a marker in the kernel log before each case, and a scan after it.
 *
 * As liburing's runner does: a kernel splat (BUG, WARNING, Oops, lockdep,
 * KASAN/UBSAN reports, hung tasks) during a case fails that case even when
 * userspace saw nothing wrong.  Where /dev/kmsg cannot be read the watch is
 * inactive and says so; it never fails a case by itself.
 */
#ifndef FSNC_KMSG_H
#define FSNC_KMSG_H

#include <stddef.h>

struct kmsg_watch {
	int fd;       /* /dev/kmsg opened at the end of the log, or -1 */
	int err;      /* why the watch is inactive */
};

/* Open the log at its end and write "fsnc: begin <name>" (when writable). */
void kmsg_begin(struct kmsg_watch *w, const char *name);
/* Open the log at its end, quietly: for a case that watches its own steps. */
void kmsg_open(struct kmsg_watch *w);
/*
 * Read what was logged since the last read; return how many lines look like a
 * splat, copying the first into first (capacity cap).  The watch stays open.
 */
int kmsg_since(struct kmsg_watch *w, char *first, size_t cap);
/* Close a watch without reading (kmsg_end closes its own). */
void kmsg_close(struct kmsg_watch *w);
/*
 * Read everything logged since kmsg_begin; return how many lines look like a
 * splat, copying the first into first (capacity cap).  Closes the watch.
 */
int kmsg_end(struct kmsg_watch *w, const char *name, char *first, size_t cap);
/* 1 if this log text is a splat (exported for the unit tests). */
int kmsg_is_splat(const char *text);

#endif
