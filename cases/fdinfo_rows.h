/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fdinfo_rows.h - the fdinfo family's row, shared by the run function (cases/fdinfo.c)
 * and the reproducer exporter (cases/fdinfo_repro.c).
 */
#ifndef FSNC_CASES_FDINFO_ROWS_H
#define FSNC_CASES_FDINFO_ROWS_H

#include <stdint.h>
#include <sys/types.h>

enum fdi_kind { FDI_INOTIFY, FDI_FANOTIFY_FID, FDI_FANOTIFY_PLAIN };

struct fdi_obj {
	const char *name;
	mode_t mode;
	uint64_t nodeid;
	uint64_t generation;
	uint64_t ino; /* attr.ino, deliberately different from the nodeid */
};

struct fdi_row {
	enum fdi_kind kind;
	struct fdi_obj objs[3];
	int nobjs;
	uint32_t flags2; /* INIT flags2 to accept, e.g. NO_EXPORT_SUPPORT */
	int control;     /* no watch at all: the file must hold no mark line */
};

#endif
