// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify_repro: the notify family as a reproducer.  The message is built by
 * nv_build(), the function the run function uses, from the same row and the
 * same fixture nodeids; the checks follow run_notify() step by step: prime
 * the caches, count, write the message, compare its errno, look for the
 * row's evidence.
 *
 * --fail-nth arms /proc/thread-self/fail-nth in the notifier thread around
 * the write of the message.  When the fault fires, the write may fail with
 * ENOMEM as well as with the row's errno; the evidence checks are skipped
 * (the kernel's state after a failed allocation is not the row's), and what
 * remains is what fault injection is for: no hang, no splat.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "notify_rows.h"
#include "repro.h"
#include "wire.h"

/* The message as bytes, with its header spelled out in a comment. */
static void emit_message(struct repro_ctx *r, const struct nv_row *row, const uint8_t *buf,
			 size_t len)
{
	struct fuse_out_header oh = {0};

	if (len >= sizeof(oh))
		memcpy(&oh, buf, sizeof(oh));
	repro_printf(r, "/*\n * The message, %zu bytes, as the case builds it: fuse_out_header "
			"{ len %u, error %d%s%s%s, unique %#llx }", len, oh.len, oh.error,
		     row->unique ? "" : " (", row->unique ? "" : fw_notify_name((uint32_t)row->code),
		     row->unique ? "" : ")", (unsigned long long)oh.unique);
	if (len < sizeof(oh))
		repro_printf(r, ", cut to %zu bytes", len);
	repro_printf(r, ",\n * then the payload.  Fixture nodeids: f %d, d %d, d/g %d.\n */\n",
		     NV_FILE, NV_DIR, NV_OTHER);
	repro_bytes(r, "msg", buf, len);
	repro_printf(r, "\n");
}

/* stat(path) must succeed; the run function's CHECK, with what was seen. */
static void emit_stat(struct repro_ctx *r, const char *path)
{
	repro_printf(r, "\terr = stat(rp_path(\"%s\"), &st) ? errno : 0;\n"
			"\trp_verify_errno(\"stat %s\", err, 0);\n", path, path);
}

static void emit_evidence(struct repro_ctx *r, const struct nv_row *row)
{
	switch (row->ev) {
	case EV_NONE:
		repro_printf(r, "\t/* Rejected: nothing happened, f is still cached. */\n");
		emit_stat(r, "f");
		repro_printf(r, "\trp_verify(rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\") == lookups &&\n"
				"\t\t  rp_count(FUSE_GETATTR, %d, NULL) == getattrs,\n"
				"\t\t  \"after the rejected message\", \"f still cached (no LOOKUP, no GETATTR)\",\n"
				"\t\t  \"LOOKUPs %%d -> %%d, GETATTRs %%d -> %%d\", lookups,\n"
				"\t\t  rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\"), getattrs, rp_count(FUSE_GETATTR, %d, NULL));\n",
			     NV_FILE, NV_FILE);
		break;
	case EV_RELOOKUP:
		repro_printf(r, "\t/* Accepted: the next stat of f sends LOOKUP. */\n");
		emit_stat(r, "f");
		repro_printf(r, "\trp_verify(rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\") > lookups,\n"
				"\t\t  \"the next stat of f\", \"a new LOOKUP of f\", \"LOOKUPs %%d -> %%d\",\n"
				"\t\t  lookups, rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\"));\n");
		break;
	case EV_REGETATTR:
		repro_printf(r, "\t/* Accepted: the next stat of f sends GETATTR. */\n");
		emit_stat(r, "f");
		repro_printf(r, "\trp_verify(rp_count(FUSE_GETATTR, %d, NULL) > getattrs,\n"
				"\t\t  \"the next stat of f\", \"a new GETATTR of f\", \"GETATTRs %%d -> %%d\",\n"
				"\t\t  getattrs, rp_count(FUSE_GETATTR, %d, NULL));\n", NV_FILE, NV_FILE);
		break;
	case EV_STORE:
		repro_printf(r, "\t/* Accepted: a read of f returns the stored bytes, and no READ is sent. */\n"
				"\t{\n\t\tchar got[16] = {0};\n"
				"\t\tint reads = rp_count(FUSE_READ, %d, NULL);\n"
				"\t\tssize_t n = fd >= 0 ? pread(fd, got, sizeof(got), 0) : -1;\n\n"
				"\t\trp_verify(n == 10 && !memcmp(got, \"%s\", 10), \"read after STORE\",\n"
				"\t\t\t  \"10 bytes \\\"%s\\\"\", \"%%zd bytes \\\"%%.10s\\\"\", n, got);\n"
				"\t\trp_verify(rp_count(FUSE_READ, %d, NULL) == reads, \"the read\",\n"
				"\t\t\t  \"served from the page cache\", \"%%d READ(s) sent to the server\",\n"
				"\t\t\t  rp_count(FUSE_READ, %d, NULL) - reads);\n\t}\n",
			     NV_FILE, STORE_DATA, STORE_DATA, NV_FILE, NV_FILE);
		break;
	case EV_NOTIFY_REPLY:
		repro_printf(r, "\t/* Accepted: a NOTIFY_REPLY carrying our notify_unique 0x5eed arrives. */\n"
				"\terr = rp_wait(FUSE_NOTIFY_REPLY, 0, NULL, 1, 2000);\n"
				"\trp_verify(err == 0, \"after RETRIEVE\", \"a NOTIFY_REPLY within 2 s\", \"%%s\",\n"
				"\t\t  err ? \"none\" : \"one\");\n"
				"\trp_lock();\n"
				"\tfor (int i = 0; i < rp.nlog && i < RP_MAX_LOG; i++)\n"
				"\t\tif (rp.log[i].opcode == FUSE_NOTIFY_REPLY)\n"
				"\t\t\trp_verify(rp.log[i].unique == 0x5eed, \"NOTIFY_REPLY unique\", \"0x5eed\",\n"
				"\t\t\t\t  \"%%#llx\", (unsigned long long)rp.log[i].unique);\n"
				"\trp_unlock();\n");
		break;
	case EV_FORGET:
		repro_printf(r, "\t/* Accepted: f is forgotten. */\n"
				"\terr = rp_wait(FUSE_FORGET, %d, NULL, 1, 2000);\n"
				"\trp_verify(err == 0, \"after the message\", \"a FORGET of f within 2 s\", \"%%s\",\n"
				"\t\t  err ? \"none\" : \"one\");\n", NV_FILE);
		break;
	case EV_RESEND:
		if (r->uring)
			repro_printf(r, "\t/* Over io_uring: fuse_resend() splices the /dev/fuse devices' processing\n"
					"\t * lists (fud->pq) only; the OPEN in a ring entry sits on its queue's fpq\n"
					"\t * and is not sent again (6.18.44).  Answered late, open() completes. */\n"
					"\terr = rp_wait(FUSE_OPEN, %d, NULL, 2, 500);\n"
					"\trp_verify(err == ETIMEDOUT, \"after RESEND\", \"the OPEN in a ring entry not sent again\",\n"
					"\t\t  \"%%d OPEN(s): fuse_resend() changed?\", rp_count(FUSE_OPEN, %d, NULL));\n"
					"\trp_release(FUSE_OPEN, 0);\n", NV_FILE, NV_FILE);
		else
			repro_printf(r, "\t/* Accepted: the held OPEN is sent again, and open() completes. */\n"
					"\terr = rp_wait(FUSE_OPEN, %d, NULL, 2, 2000);\n"
					"\trp_verify(err == 0, \"after RESEND\", \"the held OPEN sent a second time\",\n"
					"\t\t  \"%%d OPEN(s)\", rp_count(FUSE_OPEN, %d, NULL));\n", NV_FILE, NV_FILE);
		repro_printf(r, "\t{\n\t\tlong res = -1;\n\n"
				"\t\terr = rp_call_join(&held, 2000, &res);\n"
				"\t\trp_verify(err == 0 && res == 0, \"the held open()\", \"completed with success\",\n"
				"\t\t\t  \"%%s\", err ? \"still blocked\" : rp_errname((int)res));\n\t}\n");
		break;
	case EV_UNOBSERVABLE:
		repro_printf(r, "\t/* Accepted with no effect a server can see: the errno is the check. */\n");
		break;
	}
}

static int emit_notify(struct repro_ctx *r)
{
	const struct nv_row *row = r->c->row;
	const struct nv_env e = {.file = NV_FILE, .dir = NV_DIR, .other = NV_OTHER,
				 .name_max = NV_NAME_MAX};
	static const struct repro_obj fixture[] = {
		{FUSE_ROOT_ID, "f", S_IFREG | 0644, NV_FILE, 1, 0, NV_FILE_DATA},
		{FUSE_ROOT_ID, "d", S_IFDIR | 0755, NV_DIR, 1, 0, NULL},
		{NV_DIR, "g", S_IFREG | 0644, NV_OTHER, 1, 0, NULL},
	};
	static uint8_t buf[NV_MSG_CAP];
	size_t len = nv_build(&e, row, buf, sizeof(buf));
	/* The plant: a wrong errno, so the check can be seen to fail. */
	int want = r->plant ? (row->want ? 0 : EINVAL) : row->want;

	repro_fixture(r, fixture, 3);
	emit_message(r, row, buf, len);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\t/* Entries and attributes stay valid 100 s: only a notification drops them. */\n"
			"\tstruct rp_opts o = {.entry_valid_ns = 100000000000ull, .attr_valid_ns = 100000000000ull};\n"
			"\tstruct stat st;\n\tint err;\n");
	if (row->ev == EV_NONE || row->ev == EV_RELOOKUP)
		repro_printf(r, "\tint lookups;\n");
	if (row->ev == EV_NONE || row->ev == EV_REGETATTR)
		repro_printf(r, "\tint getattrs;\n");
	if (row->ev == EV_STORE)
		repro_printf(r, "\tint fd;\n");
	if (row->ev == EV_RESEND)
		/* static: a call still blocked when the case returns writes its result here */
		repro_printf(r, "\tstatic struct rp_call held;\n");
	if (r->fail_nth)
		repro_printf(r, "\tint fired = 0;\n");
	repro_printf(r, "\n\trp_start(&o, fixture, 3);\n");
	if (row->min_minor)
		repro_printf(r, "\tif (rp_offer()->minor < %u)\n"
				"\t\trp_skip(\"kernel speaks FUSE 7.%%u; %s needs 7.%u\", rp_offer()->minor);\n",
			     row->min_minor, fw_notify_name((uint32_t)row->code), row->min_minor);
	repro_printf(r, "\n\t/* Prime the caches of f and d/g. */\n");
	emit_stat(r, "f");
	emit_stat(r, "d/g");
	if (row->ev == EV_STORE)
		repro_printf(r, "\t/* Opened before the STORE: open without KEEP_CACHE would drop the pages. */\n"
				"\tfd = open(rp_path(\"f\"), O_RDONLY);\n"
				"\trp_verify_errno(\"open f\", fd >= 0 ? 0 : errno, 0);\n");
	if (row->ev == EV_RESEND)
		repro_printf(r, "\t/* An OPEN held by the server, for RESEND to send again. */\n"
				"\trp_expect((struct rp_script){.opcode = FUSE_OPEN, .nodeid = %d, .count = 1,\n"
				"\t\t\t\t    .action = RP_DEFER});\n"
				"\trp_call_start(&held, rp_open_errno, strdup(rp_path(\"f\")));\n"
				"\terr = rp_wait(FUSE_OPEN, %d, NULL, 1, 2000);\n"
				"\trp_verify(err == 0, \"the OPEN to hold\", \"arrives within 2 s\", \"%%s\",\n"
				"\t\t  err ? \"never\" : \"arrived\");\n", NV_FILE, NV_FILE);
	if (row->ev == EV_NONE || row->ev == EV_RELOOKUP)
		repro_printf(r, "\tlookups = rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"f\");\n");
	if (row->ev == EV_NONE || row->ev == EV_REGETATTR)
		repro_printf(r, "\tgetattrs = rp_count(FUSE_GETATTR, %d, NULL);\n", NV_FILE);
	repro_printf(r, "\n");
	if (row->why) {
		repro_printf(r, "\trp_say(\"rule: %%s\", ");
		repro_cstr(r, row->why);
		repro_printf(r, ");\n");
	}
	if (r->fail_nth) {
		repro_printf(r, "\trp_fault_setup();\n"
				"\terr = rp_notify_fault(msg, sizeof(msg), 2000, 1, &fired);\n"
				"\tif (fired) {\n"
				"\t\trp_say(\"fail-nth %%d fired inside the write; the row's evidence is not checked\",\n"
				"\t\t       rp_fail_nth);\n"
				"\t\trp_verify(err == %s || err == ENOMEM, \"write() of the message under the fault\",\n"
				"\t\t\t  \"%s or ENOMEM\", \"%%s\", rp_errname(err));\n"
				"\t\treturn;\n\t}\n"
				"\trp_say(\"fail-nth %%d did not fire: the write makes fewer allocations\", rp_fail_nth);\n",
			     repro_errno(want), repro_errno(want));
	} else {
		repro_printf(r, "\terr = rp_notify(msg, sizeof(msg), 2000);\n");
	}
	repro_printf(r, "\trp_verify_errno(\"write() of the message\", err, %s);\n\n", repro_errno(want));
	emit_evidence(r, row);
	if (row->ev == EV_STORE)
		repro_printf(r, "\tif (fd >= 0)\n\t\tclose(fd);\n");
	repro_printf(r, "\tif (rp_failures)\n\t\trp_dump_log(20);\n}\n");
	return 0;
}

REPRO_EXPORTER(notify_exporter, "notify", emit_notify, 1)
