/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * reuse_rows.h - the reuse family's row and fixture, shared by the run function
 * (cases/reuse.c) and the reproducer exporter (cases/reuse_repro.c).
 */
#ifndef FSNC_CASES_REUSE_ROWS_H
#define FSNC_CASES_REUSE_ROWS_H


enum reuse_when { RU_AFTER_FORGET, RU_WHILE_WATCHED };
enum reuse_api { RU_INOTIFY, RU_FANOTIFY };

struct reuse_row {
	enum reuse_when when;
	enum reuse_api api;
};

/* The nodeid the server reuses. */
#define RU_NODEID 10

#endif
