/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stale_rows.h - the stale family's row and fixture, shared by the run function
 * (cases/stale.c) and the reproducer exporter (cases/stale_repro.c).
 */
#ifndef FSNC_CASES_STALE_ROWS_H
#define FSNC_CASES_STALE_ROWS_H


enum stale_change { ST_NONE, ST_GENERATION, ST_TYPE };

struct stale_row {
	enum stale_change change;
};

/* "a", the object whose identity changes, and its content. */
#define A_NODEID 10
#define STALE_DATA "hello"

#endif
