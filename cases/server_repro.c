// SPDX-License-Identifier: GPL-2.0-only
/*
 * server_repro: the server family as a reproducer: the harness's promises
 * (deferred, never, errno, raw and forged replies, an unused script fails)
 * made by the reproducer's own server against the kernel.  The steps follow
 * run_server().  selftest/hang_is_killed exports too: its reproducer hangs
 * on purpose and its deadline aborts the connection, exit 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "repro.h"
#include "server_rows.h"
#include "wire.h"

/* stat(f) in the calling thread must give want. */
static void emit_stat_errno(struct repro_ctx *r, const char *what, int want)
{
	repro_printf(r, "\trp_verify_errno(\"%s\", (int)rp_stat_errno((void *)rp_path(\"f\")), %s);\n",
		     what, repro_errno(want));
}

/* A held or never-answered LOOKUP of f, with stat() blocked on it in a thread. */
static void emit_held_lookup(struct repro_ctx *r, const char *action, int quiet_ms,
			     const char *blocked)
{
	repro_printf(r, "\trp_expect((struct rp_script){.opcode = FUSE_LOOKUP, .name = \"f\", .count = 1,\n"
			"\t\t\t\t    .action = %s});\n"
			"\trp_call_start(&call, rp_stat_errno, strdup(rp_path(\"f\")));\n"
			"\terr = rp_wait(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\", 1, 2000);\n"
			"\trp_verify(err == 0, \"the LOOKUP of f\", \"arrives\", \"%%s\", err ? \"never\" : \"it did\");\n"
			"\terr = rp_call_join(&call, %d, &res);\n"
			"\trp_verify(err == ETIMEDOUT, \"stat() %s\", \"still blocked after %d ms\", \"%%s\",\n"
			"\t\t  err ? \"still blocked\" : \"it returned\");\n",
		     action, quiet_ms, blocked, quiet_ms);
}

static int emit_server(struct repro_ctx *r)
{
	const struct sv_row *row = r->c->row;
	static const struct repro_obj fixture[] = {
		{FUSE_ROOT_ID, "f", S_IFREG | 0644, 7, 3, 0, NULL},
		{FUSE_ROOT_ID, "g", S_IFREG | 0644, 9, 4, 0, NULL},
	};
	int nobjs = row->kind == SV_FORGED_ENTRY ? 2 : 1;

	repro_fixture(r, fixture, nobjs);
	if (row->kind == SV_BYTES_BAD_ERROR) {
		/* A reply header with a positive error: the kernel refuses the write. */
		struct fuse_out_header oh = {.len = sizeof(oh), .error = 5};

		repro_printf(r, "/* A raw reply: fuse_out_header with error +5 (the unique is patched in). */\n");
		repro_bytes(r, "raw", &oh, sizeof(oh));
	}
	if (row->kind == SV_BYTES_SHORT_ENTRY) {
		uint8_t b[sizeof(struct fuse_out_header) + sizeof(struct fuse_entry_out) - 8] = {0};
		struct fuse_out_header oh = {.len = sizeof(b)};

		memcpy(b, &oh, sizeof(oh));
		repro_printf(r, "/* A raw LOOKUP reply 8 bytes short of fuse_entry_out. */\n");
		repro_bytes(r, "raw", b, sizeof(b));
	}
	repro_printf(r, "\nstatic void repro_case(void)\n{\n\tstruct rp_opts o = {0};\n"
			"\tstatic struct rp_call call; /* static: the call may outlive the case */\n\tlong res = -1;\n\tint err = 0;\n\n"
			"\trp_start(&o, fixture, %d);\n", nobjs);
	switch (row->kind) {
	case SV_DEFER:
		emit_held_lookup(r, "RP_DEFER", 200, "while its LOOKUP is held");
		repro_printf(r, "\trp_verify_errno(\"the late reply's write()\", rp_release(FUSE_LOOKUP, 0), 0);\n"
				"\terr = rp_call_join(&call, 2000, &res);\n"
				"\trp_verify(err == 0 && res == 0, \"stat() after the late reply\", \"success\", \"%%s\",\n"
				"\t\t  err ? \"still blocked\" : rp_errname((int)res));\n");
		break;
	case SV_NEVER:
		emit_held_lookup(r, "RP_NEVER", 300, "whose LOOKUP is never answered");
		repro_printf(r, "\t/* The abort at teardown is what frees the caller. */\n\trp_stop();\n"
				"\terr = rp_call_join(&call, 2000, &res);\n"
				"\trp_verify(err == 0, \"the abort\", \"frees the blocked stat()\", \"%%s\",\n"
				"\t\t  err ? \"still blocked\" : \"freed\");\n"
				"\trp_verify(res == ECONNABORTED || res == ENOTCONN, \"the blocked stat()\",\n"
				"\t\t  \"ECONNABORTED or ENOTCONN\", \"%%s\", rp_errname((int)res));\n");
		break;
	case SV_ERRNO:
		repro_printf(r, "\trp_expect((struct rp_script){.opcode = FUSE_LOOKUP, .name = \"f\", .count = 1,\n"
				"\t\t\t\t    .action = RP_ERRNO, .error = EACCES});\n");
		emit_stat_errno(r, "stat with EACCES scripted", EACCES);
		break;
	case SV_BYTES_BAD_ERROR:
	case SV_BYTES_SHORT_ENTRY:
		if (r->uring)
			/* What cases/server.c pins for the ring (6.18.44; cases/uring.c). */
			repro_printf(r, "\t/* Over io_uring the commit is taken, and the request ends with EINVAL:\n"
					"\t * %s. */\n", row->kind == SV_BYTES_BAD_ERROR ?
					"fuse_uring_out_header_has_err() refuses error > 0" :
					"fuse_copy_out_args()'s -EINVAL ends it as it is (/dev/fuse says EIO)");
		else
			repro_printf(r, "\t/* The kernel refuses the raw reply; the server then answers EIO. */\n");
		repro_printf(r, "\tstruct rp_script *x = rp_expect((struct rp_script){.opcode = FUSE_LOOKUP, .name = \"f\",\n"
				"\t\t.count = 1, .action = RP_BYTES, .bytes = raw, .nbytes = sizeof(raw),\n"
				"\t\t.want_write_err = %s});\n", r->uring ? "0" : "EINVAL");
		emit_stat_errno(r, "stat", r->uring ? EINVAL : EIO);
		/* Read under the lock: on the ring the caller may wake before the commit returns. */
		if (row->kind == SV_BYTES_BAD_ERROR)
			repro_printf(r, "\trp_lock();\n\terr = x ? x->write_err : -1;\n\trp_unlock();\n"
					"\trp_verify_errno(\"the raw reply's write()\", err, %s);\n",
				     r->uring ? "0" : "EINVAL");
		else
			repro_printf(r, "\t(void)x;\n");
		break;
	case SV_FORGED_ENTRY:
		repro_printf(r, "\t/* An entry naming g's (9, 4) for the name f, with attr.ino 4242. */\n"
				"\t{\n\t\tstruct rp_script e = {.opcode = FUSE_LOOKUP, .name = \"f\", .count = 1,\n"
				"\t\t\t\t\t.action = RP_ENTRY};\n\t\tstruct stat st;\n\n"
				"\t\trp_lock();\n\t\trp_fill_entry(rp_node(9), &e.entry);\n\t\trp_unlock();\n"
				"\t\te.entry.attr.ino = 4242;\n"
				"\t\te.entry.attr_valid = 100; /* else stat's GETATTR re-reads the tree's attr */\n"
				"\t\trp_expect(e);\n"
				"\t\terr = stat(rp_path(\"f\"), &st) ? errno : 0;\n"
				"\t\trp_verify(err == 0 && st.st_ino == 4242, \"stat of f through the forged entry\",\n"
				"\t\t\t  \"success, ino 4242\", \"%%s, ino %%llu\", rp_errname(err),\n"
				"\t\t\t  (unsigned long long)st.st_ino);\n\t}\n");
		break;
	case SV_UNUSED_EXPECT:
		repro_printf(r, "\trp_expect((struct rp_script){.opcode = FUSE_MKDIR, .name = \"never\", .count = 1,\n"
				"\t\t\t\t    .action = RP_ERRNO, .error = EPERM});\n"
				"\t{\n\t\tint before = rp_failures;\n\n"
				"\t\trp_stop();\n"
				"\t\t/* The teardown must have failed exactly once; that is the pass. */\n"
				"\t\terr = rp_failures - before;\n\t\trp_failures = before;\n"
				"\t\trp_verify(err == 1, \"an unused scripted reply\", \"1 teardown failure\", \"%%d\", err);\n\t}\n");
		break;
	case SV_HANG:
		repro_printf(r, "\t/* Never answered, on the main thread: only the deadline ends this. */\n"
				"\trp_expect((struct rp_script){.opcode = FUSE_LOOKUP, .name = \"f\", .count = 1,\n"
				"\t\t\t\t    .action = RP_NEVER});\n"
				"\trp_stat_errno((void *)rp_path(\"f\"));\n"
				"\trp_verify(0, \"a never-answered stat()\", \"to block until the deadline\", \"it returned\");\n");
		break;
	}
	repro_printf(r, "\t(void)call;\n\t(void)res;\n\t(void)err;\n}\n");
	return 0;
}

REPRO_EXPORTER(server_exporter, "server", emit_server, 0)
