/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runner.h - selecting cases and running each one contained.
 *
 * Every case runs in its own forked process, in its own process group and
 * its own private mount namespace, under a deadline.  On timeout the runner
 * aborts the FUSE connections the case registered, then kills the process
 * group: a process blocked on a dead server is only freed by an abort.
 * Results are TAP 13 on stdout, a table for people at the end.
 */
#ifndef FSNC_RUNNER_H
#define FSNC_RUNNER_H

#include "case.h"
#include "transport.h"

struct runner_opts {
	const char **patterns;  /* names, globs or family names; none = all */
	int npatterns;
	int exact;              /* patterns are exact names (ctest) */
	const char *label;      /* only cases carrying this label */
	unsigned timeout_scale; /* multiply every deadline */
	int quiet;              /* no summary table */
	const char *matrix_md;  /* write the results as a Markdown table here */
	/*
	 * The kernel transport for cases that need /dev/fuse (TR_DEFAULT:
	 * devfuse).  Under TR_URING only those cases are selected, and the
	 * runner holds enable_uring at Y around each, restoring it after.
	 */
	enum tr_kind transport;
};

/* Total number of registered cases. */
size_t runner_case_count(void);
/* Print "did you mean" suggestions for an unknown name to stderr. */
void runner_suggest(const char *name);
/* The (up to max) case names closest to name, best first; returns how many. */
int runner_suggestions(const char *name, const char **out, int max);

/* `list`: names with labels and purpose, or ctest add_test() lines. */
int runner_list(const struct runner_opts *o, int cmake, const char *self);
/* `run`: returns the process exit code (0, 1 or 77). */
int runner_run(const struct runner_opts *o);
/* `info`: kernel release and the FUSE protocol it offers. */
int runner_info(void);


#endif
