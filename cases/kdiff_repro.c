// SPDX-License-Identifier: GPL-2.0-only
/*
 * kdiff_repro: the kdiff family as a reproducer.  A row writes 3,000
 * generated messages (about 2 MB), so the file does not carry the bytes:
 * it carries the generator and the oracle themselves (harness/oracle/kdiff.c,
 * harness/oracle/notify_rules.c and the pure code they use, amalgamated at build
 * time and printed before the runtime), the driver that does what
 * run_kdiff() does (harness/repro/repro_kdiff.c.in), and the row: its INIT, its
 * seed and count.  Message i is then the same bytes in the file as in the
 * case, and FSNC_KDIFF_SEED / FIRST / COUNT / VERBOSE replay any of them.
 *
 * FSNC_REPRO_PLANT=1 makes the model's errno wrong for one rule that every
 * row reaches (a header shorter than 16 bytes), so the file must fail.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "kdiff.h"
#include "kdiff_rows.h"
#include "repro.h"

/* Generated at build time (CMakeLists.txt): the amalgamation and the driver. */
extern const char repro_kdiff_pure_text[];
extern const char repro_kdiff_text[];

/* The world as the runtime's fixture table: kd_objects[] with their data. */
static void emit_fixture(struct repro_ctx *r)
{
	struct repro_obj objs[KD__ROLES];
	int n = 0;

	for (int i = 1; i < KD__ROLES; i++) {
		const struct kd_object *o = kd_object((enum kd_role)i);

		if (!o->mode)
			continue; /* KD_NEG: a name the server does not have */
		objs[n++] = (struct repro_obj){
			.parent = kd_object(o->parent)->nodeid, .name = o->name, .mode = o->mode,
			.nodeid = o->nodeid, .generation = 1,
			.data = i == KD_FILE ? KD_FILE_DATA : i == KD_LINK ? KD_LINK_TARGET : NULL};
	}
	repro_fixture(r, objs, n);
}

static int emit_kdiff(struct repro_ctx *r)
{
	const struct kd_row *row = r->c->row;
	int nobjs = 0;

	for (int i = 1; i < KD__ROLES; i++)
		nobjs += kd_object((enum kd_role)i)->mode != 0;
	if (r->plant)
		repro_printf(r, "/* FSNC_REPRO_PLANT=1: the model's errno is wrong for this rule. */\n"
				"#define KDR_PLANT_RULE NR_R_HDR_SHORT\n\n");
	repro_printf(r, "%s\n", repro_kdiff_text);
	emit_fixture(r);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\t/* Entries and attributes stay valid %llu s: only a message drops them. */\n"
			"\tstruct rp_opts o = {.entry_valid_ns = %lluull, .attr_valid_ns = %lluull,\n",
		     KD_VALID_NS / 1000000000ull, KD_VALID_NS, KD_VALID_NS);
	if (row->no_init)
		repro_printf(r, "\t\t\t     /* INIT is never answered: the world is the root alone */\n"
				"\t\t\t     .no_init = 1};\n");
	else if (row->max_pages)
		repro_printf(r, "\t\t\t     /* INIT with FUSE_MAX_PAGES: name_max 4095 on 6.14+ */\n"
				"\t\t\t     .max_pages = %u};\n", row->max_pages);
	else
		repro_printf(r, "\t\t\t     /* INIT without FUSE_MAX_PAGES: name_max 1024 */\n"
				"\t\t\t     .max_pages = 0};\n");
	repro_printf(r, "\tstatic const struct kdr_row row = {.seed = %#llx, .count = %u",
		     (unsigned long long)row->seed, row->count);
	if (row->no_init)
		repro_printf(r, ",\n\t\t.init_holds = %d, .init_error = %s", KD_INIT_HOLDS,
			     repro_errno(KD_INIT_ERROR));
	repro_printf(r, "};\n\n\trp_start(&o, fixture, %d);\n\tkdr_run(&row);\n}\n", nobjs);
	return 0;
}

REPRO_EXPORTER_PRELUDE(kdiff_exporter, "kdiff", emit_kdiff, 0, repro_kdiff_pure_text)
