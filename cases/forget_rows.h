/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * forget_rows.h - the forget family's row, shared by the run function (cases/forget.c)
 * and the reproducer exporter (cases/forget_repro.c).
 */
#ifndef FSNC_CASES_FORGET_ROWS_H
#define FSNC_CASES_FORGET_ROWS_H

#include <stdint.h>

enum forget_stimulus {
	FG_NONE,        /* control: nothing should be forgotten */
	FG_DROP_CACHES,
	FG_UNLINK,
	FG_UMOUNT,
};

enum forget_workload {
	FG_STAT,        /* stat() each object `repeat` times */
	FG_READDIRPLUS, /* list the directory with READDIRPLUS */
	FG_CREATE,      /* create, mkdir, symlink through the mount */
};

/* The tree every row serves: a, b and d under the root, x under d. */
#define FG_A 2
#define FG_B 3
#define FG_D 4
#define FG_X 5

struct forget_row {
	enum forget_workload workload;
	enum forget_stimulus stimulus;
	int repeat;
	uint64_t entry_valid_ns; /* 0: every stat revalidates with a LOOKUP */
};

#endif
