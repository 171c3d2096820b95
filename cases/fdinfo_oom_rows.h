/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fdinfo_oom_rows.h - the fdinfo_oom family's row and fixture numbers, shared
 * by the run function (cases/fdinfo_oom.c) and the reproducer exporter
 * (cases/fdinfo_oom_repro.c), so both sweep the same tree the same way.
 */
#ifndef FSNC_CASES_FDINFO_OOM_ROWS_H
#define FSNC_CASES_FDINFO_OOM_ROWS_H

#define WATCHES 40        /* ~110 bytes a line: more than one 4 KiB seq_file page */
#define MAX_STEPS 400     /* a sweep longer than this is a finding in itself */
#define W_NODEID 100      /* watched files: nodeid W_NODEID + i, generation i + 1 */
#define W_INO 0x1000      /* and attr.ino W_INO + i, never equal to the nodeid */
#define T_NODEID 300      /* the add-mark sweeps' target */
#define T_GEN 9
#define T_INO 0x3000
#define L_NODEID 1000     /* LOOKUP sweep: a fresh name per step */
#define L_INO 0x10000

/* Entries and attributes stay valid 100 s: only the sweep's step drops one. */
#define OOM_VALID_NS 100000000000ull

enum oom_fd { FD_INOTIFY, FD_FAN_FID, FD_FAN_PLAIN };
enum oom_op { OP_FDINFO_READ, OP_ADD_MARK, OP_LOOKUP };

struct oom_row {
	enum oom_fd fd;
	enum oom_op op;
};

#endif
