// SPDX-License-Identifier: GPL-2.0-only
/*
 * forget_repro: the forget family as a reproducer.  The steps follow
 * run_forget(): a workload that makes the kernel hold lookups (stat,
 * READDIRPLUS, create/mkdir/symlink), then a stimulus (none, drop_caches,
 * unlink, umount), then the balance: every lookup handed out is forgotten
 * exactly once, or (umount on 6.18) not at all.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "forget_rows.h"
#include "repro.h"
#include "wire.h"

static void emit_workload(struct repro_ctx *r, const struct forget_row *row)
{
	switch (row->workload) {
	case FG_STAT:
		repro_printf(r, "\tfor (int k = 0; k < %d; k++)\n"
				"\t\tfor (int i = 0; i < 4; i++) {\n"
				"\t\t\tstatic const char *const paths[] = {\"a\", \"b\", \"d\", \"d/x\"};\n"
				"\t\t\tstruct stat st;\n\n"
				"\t\t\terr = stat(rp_path(paths[i]), &st) ? errno : 0;\n"
				"\t\t\tif (err)\n\t\t\t\trp_verify_errno(paths[i], err, 0);\n\t\t}\n",
			     row->repeat);
		break;
	case FG_READDIRPLUS:
		repro_printf(r, "\t{\n\t\tDIR *dir = opendir(rp_path(NULL));\n\t\tint n = 0;\n\n"
				"\t\tif (rp_verify(dir != NULL, \"opendir\", \"success\", \"%%s\", rp_errname(errno))) {\n"
				"\t\t\twhile (readdir(dir))\n\t\t\t\tn++;\n\t\t\tclosedir(dir);\n"
				"\t\t\trp_verify(n == 5, \"readdir\", \"5 entries\", \"%%d\", n);\n"
				"\t\t\trp_verify(rp_count(FUSE_READDIRPLUS, FUSE_ROOT_ID, NULL) >= 1, \"the listing\",\n"
				"\t\t\t\t  \"a READDIRPLUS\", \"none\");\n\t\t}\n\t}\n");
		break;
	case FG_CREATE:
		repro_printf(r, "\t{\n\t\tint fd = open(rp_path(\"new\"), O_CREAT | O_WRONLY, 0644);\n\n"
				"\t\trp_verify_errno(\"create\", fd < 0 ? errno : 0, 0);\n"
				"\t\tif (fd >= 0)\n\t\t\tclose(fd);\n\t}\n"
				"\terr = mkdir(rp_path(\"newdir\"), 0755) ? errno : 0;\n"
				"\trp_verify_errno(\"mkdir\", err, 0);\n"
				"\terr = symlink(\"target\", rp_path(\"newlink\")) ? errno : 0;\n"
				"\trp_verify_errno(\"symlink\", err, 0);\n");
		break;
	}
}

static void emit_stimulus(struct repro_ctx *r, const struct forget_row *row)
{
	switch (row->stimulus) {
	case FG_NONE:
		repro_printf(r, "\t/* Control: without a stimulus the kernel keeps its inodes cached. */\n"
				"\trp_sleep_ms(rp_ms(300));\n"
				"\trp_verify(rp_forgotten(0) == 0, \"lookups forgotten with no stimulus\", \"0\",\n"
				"\t\t  \"%%llu\", (unsigned long long)rp_forgotten(0));\n");
		break;
	case FG_DROP_CACHES:
		repro_printf(r, "\terr = rp_wait_forgotten(5000, &left);\n"
				"\trp_verify(err == 0, \"after drop_caches\", \"every lookup forgotten within 5 s\",\n"
				"\t\t  \"%%lld still held\", (long long)left);\n");
		break;
	case FG_UNLINK:
		repro_printf(r, "\t/* nlink 0 and no user: the inode is evicted at once, no drop_caches. */\n"
				"\terr = unlink(rp_path(\"a\")) ? errno : 0;\n"
				"\trp_verify_errno(\"unlink a\", err, 0);\n"
				"\terr = rp_wait(FUSE_FORGET, %d, NULL, 1, 2000);\n"
				"\trp_verify(err == 0, \"after the unlink\", \"a FORGET of nodeid %d within 2 s\", \"%%s\",\n"
				"\t\t  err ? \"none\" : \"one\");\n"
				"\trp_lock();\n"
				"\trp_verify(rp_node(%d) && rp_node(%d)->nlookup == 0, \"the unlinked nodeid %d\",\n"
				"\t\t  \"0 lookups held\", \"%%lld\", rp_node(%d) ? (long long)rp_node(%d)->nlookup : -1LL);\n"
				"\trp_unlock();\n", FG_A, FG_A, FG_A, FG_A, FG_A, FG_A, FG_A);
		break;
	case FG_UMOUNT:
		repro_printf(r, "\terr = rp_umount();\n\trp_verify_errno(\"umount\", err, 0);\n"
				"\t/* Let the serve loop see the end of the connection. */\n"
				"\tfor (int i = 0; i < 50 && rp.running; i++)\n\t\trp_sleep_ms(20);\n"
				"\tleft = rp_outstanding();\n"
				"\trp_say(\"after umount: %%llu forgotten, %%lld still held, read ended with %%s\",\n"
				"\t       (unsigned long long)rp_forgotten(0), (long long)left, rp_errname(rp.read_err));\n"
				"\t/*\n\t * Seen on 6.18 (FUSE 7.45): umount sends no FORGET at all; the server\n"
				"\t * sees read() fail with ENODEV and must treat every lookup as forgotten.\n\t */\n"
				"\trp_verify_errno(\"read() after umount\", rp.read_err, ENODEV);\n"
				"\tif (rp_forgotten(0) == 0)\n"
				"\t\trp_verify(left == given, \"with no FORGET\", \"every lookup still held\",\n"
				"\t\t\t  \"%%lld of %%lld\", (long long)left, (long long)given);\n"
				"\telse\n"
				"\t\trp_verify(left == 0, \"the kernel now forgets at umount\", \"exactly\",\n"
				"\t\t\t  \"%%lld of %%lld remain\", (long long)left, (long long)given);\n"
				"\trp_verify(rp_forgotten(0) == 0, \"FORGET at umount\",\n"
				"\t\t  \"none (6.18 sends none; a change is a behaviour to record)\", \"%%llu\",\n"
				"\t\t  (unsigned long long)rp_forgotten(0));\n");
		break;
	}
}

static int emit_forget(struct repro_ctx *r)
{
	const struct forget_row *row = r->c->row;
	static const struct repro_obj fixture[] = {
		{FUSE_ROOT_ID, "a", S_IFREG | 0644, FG_A, 1, 0, NULL},
		{FUSE_ROOT_ID, "b", S_IFREG | 0644, FG_B, 1, 0, NULL},
		{FUSE_ROOT_ID, "d", S_IFDIR | 0755, FG_D, 1, 0, NULL},
		{FG_D, "x", S_IFREG | 0644, FG_X, 1, 0, NULL},
	};
	int rdp = row->workload == FG_READDIRPLUS;

	repro_fixture(r, fixture, 4);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\tstruct rp_opts o = {.entry_valid_ns = %lluull%s};\n"
			"\tint64_t given, left = 0;\n\tint err = 0;\n\n"
			"\trp_need_drop_caches();\n\trp_start(&o, fixture, 4);\n",
		     (unsigned long long)row->entry_valid_ns,
		     rdp ? ", .flags = 0x2000 /* FUSE_DO_READDIRPLUS */" : "");
	if (rdp)
		repro_printf(r, "\tif (!(rp.init_out.flags & 0x2000))\n"
				"\t\trp_skip(\"kernel does not offer FUSE_DO_READDIRPLUS\");\n");
	emit_workload(r, row);
	repro_printf(r, "\tgiven = rp_outstanding();\n"
			"\trp_verify(given > 0, \"the workload\", \"entries handed out\", \"%%lld\", (long long)given);\n"
			"\trp_say(\"entries held by the kernel after the workload: %%lld\", (long long)given);\n\n");
	emit_stimulus(r, row);
	repro_printf(r, "\trp_verify(rp.forget_unknown == 0, \"FORGETs naming a nodeid never handed out\", \"0\",\n"
			"\t\t  \"%%u\", rp.forget_unknown);\n"
			"\trp_verify(rp.forget_excess == 0, \"FORGETs giving back more than was handed out\", \"0\",\n"
			"\t\t  \"%%u\", rp.forget_excess);\n"
			"\t(void)err;\n\t(void)left;\n\tif (rp_failures)\n\t\trp_dump_log(40);\n}\n");
	return 0;
}

REPRO_EXPORTER(forget_exporter, "forget", emit_forget, 0)
