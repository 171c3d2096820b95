// SPDX-License-Identifier: GPL-2.0-only
/*
 * uring_repro: the uring family as a reproducer.  Every file carries the
 * ring (the family sets its ring up whatever the run's transport), so the
 * steps run on the ring chunk's primitives: rp_uring_locate() finds the
 * entry holding the LOOKUP the server defers, rp_uring_commit_raw() makes
 * the row's malformed commit in it, and the checks follow run_uring(),
 * run_uring_notify(), run_retrieve_unique_zero() and run_devfuse_declines()
 * step by step, from the same rows (cases/uring_rows.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "repro.h"
#include "uring_rows.h"
#include "wire.h"

#define STR_(x) #x
#define STR(x) STR_(x)
#define URING_FILE_STR STR(UR_FILE)

static const struct repro_obj fixture[] = {
	{FUSE_ROOT_ID, "f", S_IFREG | 0644, UR_FILE, UR_FILE_GEN, 0, NULL},
};

static void begin_case(struct repro_ctx *r, const char *locals)
{
	repro_fixture(r, fixture, 1);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\t/* Long-lived entry and attributes: after the LOOKUP nothing else (a GETATTR)\n"
			"\t * lands in the entry the row commits on behind the server's back. */\n"
			"\tstruct rp_opts o = {.entry_valid_ns = 100000000000ull, .attr_valid_ns = 100000000000ull};\n"
			"%s\n", locals);
}

/* The row's changes to the good commit in `raw`, as run_uring()'s bad_commit() makes them. */
static void emit_bad_commit(struct repro_ctx *r, const struct ur_row *row)
{
	switch (row->kind) {
	case UR_CONTROL:
		repro_printf(r, "\t/* control: the commit as it should be */\n");
		break;
	case UR_HEADER_LEN_ONLY:
		repro_printf(r, "\traw.hdrlen = sizeof(rep.oh.len); /* a header of 4 bytes */\n");
		break;
	case UR_NO_HEADER:
		repro_printf(r, "\traw.hdrlen = 0; /* in_out still holds the request's in-header */\n");
		break;
	case UR_PAYLOAD_OVER_BUFFER:
		repro_printf(r, "\traw.payload_sz = (uint32_t)st.payload + 1; /* one past the buffer */\n");
		break;
	case UR_PAYLOAD_HUGE:
		repro_printf(r, "\traw.payload_sz = 0xffffffffu;\n");
		break;
	case UR_PAYLOAD_SHORT:
		repro_printf(r, "\traw.payload_sz = sizeof(rep.e) - 8;\n");
		break;
	case UR_UNKNOWN_COMMIT_ID:
		repro_printf(r, "\traw.commit_id = unique + 0x10000; /* names no request */\n");
		break;
	case UR_HEADER_UNIQUE_OTHER:
		repro_printf(r, "\trep.oh.unique = unique + 2; /* commit_id right, the header's unique not */\n");
		break;
	case UR_POSITIVE_ERROR:
		repro_printf(r, "\trep.oh.error = 5;\n\traw.payload_sz = 0;\n");
		break;
	case UR_ERROR_BELOW_FLOOR:
		repro_printf(r, "\trep.oh.error = -512; /* -ERESTARTSYS */\n\traw.payload_sz = 0;\n");
		break;
	case UR_NOTIFY_UNIQUE_ZERO:
		repro_printf(r, "\trep.oh.unique = 0; /* a notification, through the ring */\n");
		break;
	case UR_COMMIT_TWICE:
		repro_printf(r, "\terr = rp_uring_commit_raw(&raw);\n"
				"\trp_verify_errno(\"the first, good commit\", err, 0);\n"
				"\t/* The entry is the kernel's again: the same SQE once more, buffers untouched\n"
				"\t * (a request the kernel may have put there since must stay intact). */\n"
				"\traw.by_unique = 0;\n\traw.ent = ent;\n\traw.untouched = 1;\n");
		break;
	case UR_OTHER_QUEUE:
		repro_printf(r, "\tif (st.queues < 2)\n\t\trp_skip(\"one queue only: no other queue to name\");\n"
				"\traw.qid = (uint16_t)((qid + 1) %% st.queues);\n");
		break;
	case UR_QID_OUT_OF_RANGE:
		repro_printf(r, "\traw.qid = (uint16_t)st.queues;\n");
		break;
	case UR_ENTRY_IN_KERNEL:
		repro_printf(r, "\t/* Another entry of the same queue, which waits for a request and so has\n"
				"\t * no commit_id: 0.  Its buffers are the kernel's: leave them alone. */\n"
				"\traw.by_unique = 0;\n\traw.ent = ent ^ 1;\n\traw.commit_id = 0;\n\traw.untouched = 1;\n");
		break;
	case UR_FOREIGN_BUFFERS:
		repro_printf(r, "\traw.foreign = 1; /* the same bytes, in buffers never registered */\n");
		break;
	}
}

static void emit_reply(struct repro_ctx *r, const struct ur_row *row)
{
	/* The plant: the wrong completion for the commit. */
	int want_commit = r->plant ? (row->want_commit ? 0 : EINVAL) : row->want_commit;
	/* The rows that name the ring's geometry: queues, payload buffer size. */
	int geometry = row->kind == UR_PAYLOAD_OVER_BUFFER || row->kind == UR_OTHER_QUEUE ||
		       row->kind == UR_QID_OUT_OF_RANGE;

	begin_case(r, geometry ? "\tstatic struct rp_call call; /* static: the call may outlive the case */\n"
				 "\tstruct { struct fuse_out_header oh; struct fuse_entry_out e; } rep;\n"
				 "\tstruct rp_uring_raw raw;\n\tstruct rpu_stats st;\n\tuint64_t unique = 0;\n"
				 "\tuint16_t qid = 0;\n\tint ent = -1, err, r;\n\tlong res = -1;\n"
			       : "\tstatic struct rp_call call; /* static: the call may outlive the case */\n"
				 "\tstruct { struct fuse_out_header oh; struct fuse_entry_out e; } rep;\n"
				 "\tstruct rp_uring_raw raw;\n\tuint64_t unique = 0;\n"
				 "\tuint16_t qid = 0;\n\tint ent = -1, err, r;\n\tlong res = -1;\n");
	repro_printf(r, "\trp_start(&o, fixture, 1);\n"
			"\t/* A LOOKUP of f the server holds, in a ring entry, with stat() blocked on it. */\n"
			"\trp_expect((struct rp_script){.opcode = FUSE_LOOKUP, .name = \"f\", .count = 1,\n"
			"\t\t\t\t    .action = RP_DEFER});\n"
			"\trp_call_start(&call, rp_stat_errno, strdup(rp_path(\"f\")));\n"
			"\tif (rp_wait(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\", 1, 2000)) {\n"
			"\t\trp_verify(0, \"the LOOKUP of f\", \"reaches the server\", \"none\");\n\t\treturn;\n\t}\n"
			"\trp_lock();\n\tfor (int i = 0; i < rp.nlog && i < RP_MAX_LOG; i++)\n"
			"\t\tif (rp.log[i].opcode == FUSE_LOOKUP)\n\t\t\tunique = rp.log[i].unique;\n\trp_unlock();\n"
			"\tif ((err = rp_uring_locate(unique, &qid, &ent))) {\n"
			"\t\trp_verify(0, \"the held LOOKUP\", \"in a ring entry\", \"unique %%llu in none: %%s\",\n"
			"\t\t\t  (unsigned long long)unique, rp_errname(err));\n\t\treturn;\n\t}\n"
			"\trp_say(\"LOOKUP unique %%llu held in entry %%d of queue %%u\", (unsigned long long)unique,\n"
			"\t       ent, qid);\n\trp_say(\"kernel path: %%s\", ");
	repro_cstr(r, row->why);
	repro_printf(r, ");\n%s"
			"\t/* The LOOKUP reply the tree would give: header, fuse_entry_out. */\n"
			"\tmemset(&rep, 0, sizeof(rep));\n\trep.oh.len = sizeof(rep);\n\trep.oh.unique = unique;\n"
			"\trp_lock();\n\trp_fill_entry(rp_node(%d), &rep.e);\n\trp_entry_given(rp_node(%d));\n"
			"\trp_unlock();\n"
			"\traw = (struct rp_uring_raw){.unique = unique, .by_unique = 1, .hdr = &rep.oh,\n"
			"\t\t.hdrlen = sizeof(rep.oh), .payload = &rep.e, .plen = sizeof(rep.e),\n"
			"\t\t.payload_sz = sizeof(rep.e), .commit_id = unique, .qid = qid};\n",
		     geometry ? "\tst = rp_uring_stats();\n" : "", UR_FILE, UR_FILE);
	emit_bad_commit(r, row);
	repro_printf(r, "\terr = rp_uring_commit_raw(&raw);\n"
			"\trp_verify_errno(\"the commit's completion\", err, %s);\n"
			"\tr = rp_call_join(&call, 1000, &res);\n", repro_errno(want_commit));
	if (row->want_caller == UR_PENDING)
		repro_printf(r, "\trp_verify(r == ETIMEDOUT, \"stat() of f\", \"still blocked: the refused commit \"\n"
				"\t\t  \"ended nothing\", \"%%s\", r ? \"still blocked\" : rp_errname((int)res));\n");
	else
		repro_printf(r, "\tif (r == 0)\n\t\trp_verify_errno(\"stat() of f\", (int)res, %s);\n"
				"\telse\n\t\trp_verify(0, \"stat() of f\", \"returned after the commit\", \"still blocked\");\n",
			     repro_errno(row->want_caller));
	repro_printf(r, "\tif (r == ETIMEDOUT) {\n"
			"\t\t/* The request is still ours: a good reply must still work (and the\n"
			"\t\t * directory, locked by this LOOKUP, must be freed for the next one). */\n"
			"\t\trp_verify_errno(\"the late good reply\", rp_release(FUSE_LOOKUP, 0), 0);\n"
			"\t\tr = rp_call_join(&call, 2000, &res);\n"
			"\t\trp_verify(r == 0 && res == 0, \"stat after the late good reply\", \"success\", \"%%s\",\n"
			"\t\t\t  r ? \"still blocked\" : res ? rp_errname((int)res) : \"success\");\n\t}\n"
			"\t/* The connection goes on: a fresh request travels and is answered. */\n"
			"\trp_verify_errno(\"stat of a missing g\", (int)rp_stat_errno((void *)rp_path(\"g\")), ENOENT);\n"
			"\tr = rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"g\");\n"
			"\trp_verify(r >= 1, \"the connection afterwards\", \"a LOOKUP of g\", \"%%d\", r);\n"
			"\tif (rp_failures)\n\t\trp_dump_log(20);\n}\n");
}

static int emit_notify(struct repro_ctx *r, const struct un_row *row)
{
	const struct nr_rule *rule = nr_rule_get(row->rule);
	int want = r->plant ? (rule->err ? 0 : EINVAL) : rule->err;
	uint8_t msg[256];
	size_t len = un_notify_msg(row, UR_FILE, msg, sizeof(msg));

	if (!len)
		return EINVAL;
	repro_printf(r, "/* The notification, written to /dev/fuse while the ring carries the requests. */\n");
	repro_bytes(r, "msg", msg, len);
	int ok = row->kind == UN_INVAL_INODE_OK; /* the control looks for positive evidence */

	begin_case(r, ok ? "\tstruct rpu_stats st;\n\tstruct stat sb;\n\tint err, getattrs;\n"
			 : "\tstruct rpu_stats st;\n\tstruct stat sb;\n\tint err;\n");
	repro_printf(r, "\trp_start(&o, fixture, 1);\n"
			"\t/* Requests travel over the ring: the LOOKUP and GETATTR of f. */\n"
			"\terr = stat(rp_path(\"f\"), &sb) ? errno : 0;\n\trp_verify_errno(\"stat f\", err, 0);\n"
			"\tst = rp_uring_stats();\n"
			"\trp_verify(st.ring_requests >= 1, \"the ring\", \"carried a request\", \"%%llu\",\n"
			"\t\t  (unsigned long long)st.ring_requests);\n"
			"%s\trp_say(\"rule: %%s -> %%s [%%s]\", ",
		     ok ? "\tgetattrs = rp_count(FUSE_GETATTR, " URING_FILE_STR ", NULL);\n" : "");
	repro_cstr(r, rule->text);
	repro_printf(r, ", \"%s\", ", repro_errno(rule->err));
	repro_cstr(r, rule->cite);
	repro_printf(r, ");\n\terr = rp_notify(msg, sizeof(msg), 2000);\n"
			"\trp_verify_errno(\"the notification's write() on /dev/fuse\", err, %s);\n",
		     repro_errno(want));
	if (ok)
		repro_printf(r, "\t/* Positive evidence: the attributes were dropped, so stat asks again,\n"
				"\t * and the GETATTR comes over the ring. */\n"
				"\terr = stat(rp_path(\"f\"), &sb) ? errno : 0;\n\trp_verify_errno(\"stat f again\", err, 0);\n"
				"\terr = rp_count(FUSE_GETATTR, %d, NULL);\n"
				"\trp_verify(err > getattrs, \"the next stat of f\", \"a new GETATTR\",\n"
				"\t\t  \"GETATTRs %%d -> %%d\", getattrs, err);\n", UR_FILE);
	repro_printf(r, "\tif (rp_failures)\n\t\trp_dump_log(20);\n}\n");
	return 0;
}

static void emit_retrieve_unique_zero(struct repro_ctx *r)
{
	struct fuse_notify_retrieve_out rt = {.notify_unique = 0, .nodeid = UR_FILE, .size = 4096};
	uint8_t msg[128];

	repro_printf(r, "/* RETRIEVE of f with notify_unique 0. */\n");
	repro_bytes(r, "msg", msg, fw_notify_encode(msg, sizeof(msg), FUSE_NOTIFY_RETRIEVE, &rt, sizeof(rt)));
	begin_case(r, "\tstruct stat sb;\n\tint err;\n");
	repro_printf(r, "\tif (!getenv(\"%s\"))\n\t\trp_skip(\"%s\");\n"
			"\t/* fsnc expects this to fail on 6.18.44 (xfail): %s.\n"
			"\t * A correct kernel refuses the write or delivers the NOTIFY_REPLY, with no WARN. */\n"
			"\trp_start(&o, fixture, 1);\n"
			"\terr = stat(rp_path(\"f\"), &sb) ? errno : 0;\n\trp_verify_errno(\"stat f\", err, 0);\n"
			"\terr = rp_notify(msg, sizeof(msg), 2000);\n"
			"\tif (err) {\n"
			"\t\trp_say(\"the kernel refused the RETRIEVE: %%s (a correct answer)\", rp_errname(err));\n"
			"\t} else {\n"
			"\t\terr = rp_wait(FUSE_NOTIFY_REPLY, 0, NULL, 1, 2000);\n"
			"\t\trp_verify_errno(\"the NOTIFY_REPLY of the accepted RETRIEVE\", err, 0);\n\t}\n}\n",
		     UR_WARN_GATE, UR_WARN_SKIP, UR_WARN_XFAIL);
}

static void emit_devfuse_declines(struct repro_ctx *r)
{
	begin_case(r, "\tstruct stat sb;\n\tint err;\n");
	repro_printf(r, "\t/* This session stays on /dev/fuse while enable_uring is Y, and asks for\n"
			"\t * FUSE_OVER_IO_URING outright: the server must still decline it. */\n"
			"\trpu_use_ring = 0;\n\to.flags2 = FUSE_OVER_IO_URING;\n"
			"\trp_start(&o, fixture, 1);\n"
			"\tif (!(rp_offer()->flags & FUSE_INIT_EXT) || !(rp_offer()->flags2 & FUSE_OVER_IO_URING))\n"
			"\t\trp_skip(\"INIT does not offer FUSE_OVER_IO_URING (flags2 %%#x)\", rp_offer()->flags2);\n"
			"\trp_verify(!(rp.init_out.flags2 & FUSE_OVER_IO_URING), \"the /dev/fuse server's INIT reply\",\n"
			"\t\t  \"no FUSE_OVER_IO_URING\", \"flags2 %%#x\", rp.init_out.flags2);\n"
			"\terr = stat(rp_path(\"f\"), &sb) ? errno : 0;\n"
			"\trp_verify_errno(\"stat f over /dev/fuse\", err, 0);\n}\n");
}

static int emit_uring(struct repro_ctx *r)
{
	const char *name = r->c->name;

	if (!r->uring) /* repro.c sets it for every case of the family */
		return EINVAL;
	if (!strncmp(name, "uring/reply/", 12)) {
		emit_reply(r, r->c->row);
		return 0;
	}
	if (!strncmp(name, "uring/notify/", 13))
		return emit_notify(r, r->c->row);
	if (!strcmp(name, "uring/retrieve_notify_unique_zero")) {
		emit_retrieve_unique_zero(r);
		return 0;
	}
	if (!strcmp(name, "uring/devfuse_server_declines")) {
		emit_devfuse_declines(r);
		return 0;
	}
	return ENOENT;
}

REPRO_EXPORTER(uring_exporter, "uring", emit_uring, 0)
