/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * collision_rows.h - the collision family's row, shared by the run function
 * (cases/collision.c) and the reproducer exporter (cases/collision_repro.c).
 */
#ifndef FSNC_CASES_COLLISION_ROWS_H
#define FSNC_CASES_COLLISION_ROWS_H


enum col_kind { COL_NOTIFY_8, COL_NOTIFY_7, COL_OPCODE_51, COL_INIT_BIT_30, COL_FSN1_NOTIFY,
		COL_FSN1_INIT_BIT };

struct col_row {
	enum col_kind kind;
};

#endif
