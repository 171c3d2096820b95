// SPDX-License-Identifier: GPL-2.0-only
/*
 * collision_repro: the collision family as a reproducer.  The messages are
 * built by col_rfc_message() / col_fsn1_message(), the functions the run
 * function uses; the steps follow run_collision(), including its branches
 * on the FUSE minor the kernel offers, which the reproducer takes at run
 * time on the kernel it runs on.  Where the run function forks a child to
 * block on a held request, the reproducer uses a thread: the connection
 * abort at the end frees it either way.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>

#include "collision_rows.h"
#include "profiles.h"
#include "repro.h"
#include "wire.h"

/* What every row does first: mount, serve f, cache it, count its LOOKUPs. */
static void begin_case(struct repro_ctx *r)
{
	repro_printf(r, "\nstatic void repro_case(void)\n{\n"
			"\tstruct rp_opts o = {.entry_valid_ns = 100000000000ull, .attr_valid_ns = 100000000000ull};\n"
			"\tstatic struct rp_call call; /* static: the call may outlive the case */\n\tstruct stat st;\n\tuint64_t nodeid = 0;\n\tsize_t plen = 0;\n"
			"\tint err, derr, lookups;\n\tunsigned minor;\n\n"
			"\trp_start(&o, fixture, 1);\n\tminor = rp_offer()->minor;\n"
			"\terr = stat(rp_path(\"f\"), &st) ? errno : 0;\n\trp_verify_errno(\"stat f\", err, 0);\n"
			"\tlookups = rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\");\n"
			"\t(void)call;\n\t(void)nodeid;\n\t(void)plen;\n\t(void)derr;\n\t(void)lookups;\n\t(void)minor;\n\n");
}

static void emit_notify_8(struct repro_ctx *r)
{
	uint8_t msg[512];

	repro_printf(r, "/* An rfc-2021 EVENT (IN_MODIFY on nodeid %d) sent with notify code 8. */\n",
		     COL_NODEID);
	repro_bytes(r, "msg", msg, col_rfc_message(msg, sizeof(msg), 8, COL_NODEID));
	begin_case(r);
	repro_printf(r, "\terr = rp_notify(msg, sizeof(msg), 2000);\n"
			"\tif (minor >= 44) {\n"
			"\t\t/* INC_EPOCH has no size check: the event is taken as an epoch bump. */\n"
			"\t\trp_verify_errno(\"rfc-2021 EVENT as code 8 on FUSE 7.44+\", err, 0);\n"
			"\t\terr = stat(rp_path(\"f\"), &st) ? errno : 0;\n"
			"\t\trp_verify_errno(\"stat f\", err, 0);\n"
			"\t\trp_verify(rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\") > lookups, \"the epoch\",\n"
			"\t\t\t  \"moved (f looked up again)\", \"no re-LOOKUP\");\n"
			"\t} else {\n"
			"\t\trp_verify_errno(\"code 8 on a kernel before 7.44\", err, EINVAL);\n\t}\n}\n");
}

static void emit_notify_7(struct repro_ctx *r)
{
	uint8_t msg[512];

	repro_printf(r, "/* A 24-byte rfc-2021 message sent with notify code 7 (the RFC's NOTIFY_LOCK). */\n");
	repro_bytes(r, "msg", msg, col_rfc_message(msg, sizeof(msg), 7, COL_NODEID));
	begin_case(r);
	repro_printf(r, "\t/* A held OPEN is sent again: RESEND (7.40) took the RFC's NOTIFY_LOCK number. */\n"
			"\trp_expect((struct rp_script){.opcode = FUSE_OPEN, .count = 1, .action = RP_DEFER});\n"
			"\trp_call_start(&call, rp_open_errno, strdup(rp_path(\"f\")));\n"
			"\terr = rp_wait(FUSE_OPEN, %d, NULL, 1, 2000);\n"
			"\trp_verify(err == 0, \"the OPEN to hold\", \"arrives\", \"%%s\", err ? \"never\" : \"it did\");\n"
			"\terr = rp_notify(msg, sizeof(msg), 2000);\n"
			"\tif (minor >= 40) {\n"
			"\t\trp_verify_errno(\"a 24-byte message as code 7 on FUSE 7.40+\", err, 0);\n", COL_NODEID);
	if (r->uring)
		repro_printf(r, "\t\t/* fuse_resend() walks /dev/fuse's processing lists only: the OPEN\n"
				"\t\t * held in a ring entry is not resent (6.18.44). */\n"
				"\t\terr = rp_wait(FUSE_OPEN, %d, NULL, 2, 500);\n"
				"\t\trp_verify(err == ETIMEDOUT, \"after the message\", \"the OPEN in a ring entry not resent\",\n"
				"\t\t\t  \"%%d OPEN(s): fuse_resend() changed?\", rp_count(FUSE_OPEN, %d, NULL));\n"
				"\t\trp_release(FUSE_OPEN, 0);\n", COL_NODEID, COL_NODEID);
	else
		repro_printf(r, "\t\terr = rp_wait(FUSE_OPEN, %d, NULL, 2, 2000);\n"
				"\t\trp_verify(err == 0, \"after the message\", \"the held OPEN resent\", \"%%d OPEN(s)\",\n"
				"\t\t\t  rp_count(FUSE_OPEN, %d, NULL));\n", COL_NODEID, COL_NODEID);
	repro_printf(r, "\t} else {\n"
			"\t\trp_verify_errno(\"code 7 before 7.40\", err, EINVAL);\n"
			"\t\trp_release(FUSE_OPEN, 0);\n\t}\n"
			"}\n");
}

static void emit_opcode_51(struct repro_ctx *r)
{
	const struct fsn_profile *p = fsn_profile_by_name("rfc-2021");

	repro_printf(r, "static long tmpfile_errno(void *dir)\n{\n"
			"\tint fd = open((const char *)dir, O_TMPFILE | O_RDWR, 0600);\n\n"
			"\tif (fd < 0)\n\t\treturn errno;\n\tclose(fd);\n\treturn 0;\n}\n\n");
	begin_case(r);
	repro_printf(r, "\t/* O_TMPFILE reaches the server as opcode 51, the RFC's FSNOTIFY request. */\n"
			"\trp_expect((struct rp_script){.opcode = FUSE_TMPFILE, .count = 1, .action = RP_DEFER});\n"
			"\trp_call_start(&call, tmpfile_errno, strdup(rp_path(NULL)));\n"
			"\tif (rp_wait(FUSE_TMPFILE, 0, NULL, 1, 2000)) {\n"
			"\t\trp_verify(minor < 37, \"O_TMPFILE\", \"a TMPFILE request on FUSE 7.37+\",\n"
			"\t\t\t  \"none on FUSE 7.%%u\", minor);\n"
			"\t\treturn;\n\t}\n"
			"\trp_lock();\n"
			"\tplen = rp.held[0].len - sizeof(struct fuse_in_header);\n"
			"\tmemcpy(&nodeid, rp.held[0].req + 16, 8);\n"
			"\trp_unlock();\n"
			"\t/*\n\t * A strict rfc-2021 server decodes a FSNOTIFY request as exactly %zu\n"
			"\t * bytes for a non-zero nodeid (fsn_decode_request() of fsnc): anything\n"
			"\t * else is EPROTO, so at least it notices.\n\t */\n"
			"\tderr = plen != %zu || nodeid == 0 ? EPROTO : 0;\n"
			"\trp_say(\"TMPFILE request (%%zu bytes) decoded as an rfc-2021 FSNOTIFY request: %%s\",\n"
			"\t       plen + sizeof(struct fuse_in_header), derr ? rp_errname(derr) : \"accepted\");\n"
			"\trp_verify(plen > 0, \"opcode 51\", \"a payload\", \"none\");\n"
			"\trp_verify(plen != %zu, \"TMPFILE's payload\", \"not the RFC request's size\", \"%%zu bytes\", plen);\n"
			"\trp_verify_errno(\"the strict rfc-2021 decoder on a TMPFILE request\", derr, EPROTO);\n"
			"\trp_release(FUSE_TMPFILE, EOPNOTSUPP);\n"
			"}\n",
		     p->request_size, p->request_size, p->request_size);
}

static int emit_collision(struct repro_ctx *r)
{
	const struct col_row *row = r->c->row;
	static const struct repro_obj fixture[] = {
		{FUSE_ROOT_ID, "f", S_IFREG | 0644, COL_NODEID, 1, 0, NULL},
	};
	const struct fsn_profile *f1 = fsn_profile_by_name("fsn-1");
	repro_fixture(r, fixture, 1);
	switch (row->kind) {
	case COL_NOTIFY_8:
		emit_notify_8(r);
		break;
	case COL_NOTIFY_7:
		emit_notify_7(r);
		break;
	case COL_OPCODE_51:
		emit_opcode_51(r);
		break;
	case COL_INIT_BIT_30:
		begin_case(r);
		repro_printf(r, "\tif (minor >= 36)\n"
				"\t\trp_verify(rp_offer()->flags & (1u << 30), \"INIT bit 30 on FUSE 7.36+\",\n"
				"\t\t\t  \"offered (FUSE_INIT_EXT): an rfc-2021 server takes the kernel for one with FSNOTIFY\",\n"
				"\t\t\t  \"not offered by FUSE 7.%%u\", minor);\n"
				"}\n");
		break;
	case COL_FSN1_NOTIFY: {
		uint8_t msg[512];

		repro_printf(r, "/* An fsn-1 EVENT (IN_MODIFY on (%d, 1)) with fsn-1's notify code %d. */\n",
			     COL_NODEID, f1->notify_code);
		repro_bytes(r, "msg", msg, col_fsn1_message(msg, sizeof(msg)));
		begin_case(r);
		repro_printf(r, "\t/* fsn-1's code is unknown to mainline: refused loudly, nothing happens. */\n"
				"\terr = rp_notify(msg, sizeof(msg), 2000);\n"
				"\trp_verify_errno(\"fsn-1 EVENT on mainline\", err, EINVAL);\n"
				"\terr = stat(rp_path(\"f\"), &st) ? errno : 0;\n\trp_verify_errno(\"stat f\", err, 0);\n"
				"\trp_verify(rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\") == lookups, \"the refused message\",\n"
				"\t\t  \"no change to the caches\", \"f looked up again\");\n}\n");
		break;
	}
	case COL_FSN1_INIT_BIT: {
		bool taken = fsn_mainline_takes(FSN_NUM_INIT_FLAG2, f1->init_bit) ||
			     fsn_mainline_takes(FSN_NUM_OPCODE, f1->fsnotify_opcode) ||
			     fsn_mainline_takes(FSN_NUM_NOTIFY, (uint32_t)f1->notify_code);

		begin_case(r);
		repro_printf(r, "\trp_verify(!(rp_offer()->flags2 & %#x), \"fsn-1's INIT flags2 bit %#x\",\n"
				"\t\t  \"not offered by mainline\", \"FUSE 7.%%u offers flags2 %%#x\", minor,\n"
				"\t\t  rp_offer()->flags2);\n"
				"\t/* fsnc's table of mainline numbers, read when this file was generated */\n"
				"\trp_verify(%d, \"fsn-1's INIT bit, opcode %u and notify code %d\",\n"
				"\t\t  \"free in mainline\", \"%s\");\n}\n",
			     f1->init_bit, f1->init_bit, !taken, f1->fsnotify_opcode, f1->notify_code,
			     taken ? "one is taken" : "all free");
		break;
	}
	}
	return 0;
}

REPRO_EXPORTER(collision_exporter, "collision", emit_collision, 0)
