/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * collision_rows.h - the collision family's row, shared by the run function
 * (cases/collision.c) and the reproducer exporter (cases/collision_repro.c).
 */
#ifndef FSNC_CASES_COLLISION_ROWS_H
#define FSNC_CASES_COLLISION_ROWS_H

#include <stddef.h>
#include <stdint.h>


enum col_kind { COL_NOTIFY_8, COL_NOTIFY_7, COL_OPCODE_51, COL_INIT_BIT_30, COL_FSN1_NOTIFY,
		COL_FSN1_INIT_BIT };

/* "f", the one object, cached with long timeouts. */
#define COL_NODEID 5

struct col_row {
	enum col_kind kind;
};

/* An rfc-2021 EVENT (IN_MODIFY on nodeid) with the given code in the header; its length. */
size_t col_rfc_message(uint8_t *buf, size_t cap, int32_t code, uint64_t nodeid);
/* An fsn-1 EVENT (IN_MODIFY on (COL_NODEID, 1)) with fsn-1's notify code; its length. */
size_t col_fsn1_message(uint8_t *buf, size_t cap);

#endif
