/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rename_rows.h - the rename family's row and fixture, shared by the run function
 * (cases/rename.c) and the reproducer exporter (cases/rename_repro.c).
 */
#ifndef FSNC_CASES_RENAME_ROWS_H
#define FSNC_CASES_RENAME_ROWS_H


enum rn_api { RN_INOTIFY, RN_FANOTIFY };

struct rn_row {
	enum rn_api api;
	int cross_dir;      /* src/a -> dst/b, else src/a -> src/b */
	int watch_src, watch_dst;
	int renames;        /* how many renames (cookies must differ) */
	int expect_from, expect_to; /* inotify: events expected per rename */
	int want_old, want_new;     /* fanotify: records FAN_RENAME must carry */
};

#define SRC_NODEID 20
#define SRC_GEN 3
#define DST_NODEID 21
#define DST_GEN 4

#endif
