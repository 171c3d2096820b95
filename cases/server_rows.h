/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * server_rows.h - the server family's row, shared by the run function (cases/server.c)
 * and the reproducer exporter (cases/server_repro.c).
 */
#ifndef FSNC_CASES_SERVER_ROWS_H
#define FSNC_CASES_SERVER_ROWS_H


enum sv_kind { SV_DEFER, SV_NEVER, SV_ERRNO, SV_BYTES_BAD_ERROR, SV_BYTES_SHORT_ENTRY,
	       SV_UNUSED_EXPECT, SV_FORGED_ENTRY, SV_HANG };

struct sv_row {
	enum sv_kind kind;
};

#endif
