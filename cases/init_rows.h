/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * init_rows.h - the init family's row, shared by the run function (cases/init.c)
 * and the reproducer exporter (cases/init_repro.c).
 */
#ifndef FSNC_CASES_INIT_ROWS_H
#define FSNC_CASES_INIT_ROWS_H

#include <stdint.h>

enum init_kind { INIT_MINOR, INIT_FLAG, INIT_FLAG2, INIT_ERROR };

/* The one file the workload reads: its attr.ino and content. */
#define INIT_FILE_INO 1000
#define INIT_FILE_DATA "hello"

struct init_row {
	enum init_kind kind;
	uint32_t minor;  /* INIT_MINOR */
	uint32_t bit;    /* INIT_FLAG / INIT_FLAG2: the one flag accepted */
	const char *flag_name;
	int error;       /* INIT_ERROR */
	int default_permissions;
	int want_refused; /* the kernel must refuse this INIT reply (ECONNREFUSED) */
	const char *why;  /* the kernel rule behind want_refused */
};

#endif
