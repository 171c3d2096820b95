/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kdiff_rows.h - the kdiff family's row and the fixture facts beyond
 * kd_objects[], shared by the run function (cases/kdiff.c) and the
 * reproducer exporter (cases/kdiff_repro.c).
 */
#ifndef FSNC_CASES_KDIFF_ROWS_H
#define FSNC_CASES_KDIFF_ROWS_H

#include <stdint.h>

#include "server.h"

struct kd_row {
	uint16_t max_pages; /* INIT: 0 leaves FUSE_MAX_PAGES off (name_max 1024) */
	int no_init;        /* never answer INIT: the world is the root alone */
	uint64_t seed;
	uint32_t count;
};

/* What the served objects hold: KD_FILE's bytes, KD_LINK's target. */
#define KD_FILE_DATA "0123456789"
#define KD_LINK_TARGET "f"

/* Entries and attributes stay valid 1000 s: only a message drops them. */
#define KD_VALID_NS 1000000000000ull

/*
 * before_init: the server holds this many re-sent INITs unanswered and
 * answers the next one with EPROTO (cases/kdiff.c, expect_resent_init).
 * Two held slots stay free for anything else the server must hold.
 */
#define KD_INIT_HOLDS (SRV_MAX_HELD - 2)
#define KD_INIT_ERROR EPROTO

#endif
