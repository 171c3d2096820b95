// SPDX-License-Identifier: GPL-2.0-only
/*
 * rename_repro: the rename family as a reproducer.  The steps follow
 * run_rename(): watch src and/or dst, rename a (back and forth for several
 * renames), then count inotify's MOVED_FROM / MOVED_TO and their cookies,
 * or check FAN_RENAME's OLD/NEW_DFID_NAME records against the directories'
 * (nodeid, generation).
 *
 * --fail-nth arms the first rename(), the syscall whose events the rows
 * are about.  When the fault fires it may fail with ENOMEM and the case
 * ends there (no hang, no splat); else the row goes on.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "rename_rows.h"
#include "repro.h"
#include "repro_failnth.h"
#include "wire.h"

static void emit_inotify_check(struct repro_ctx *r, const struct rn_row *row)
{
	repro_printf(r, "\t{\n\t\tstruct rp_ino_event ev[32];\n"
			"\t\tsize_t n = rp_ino_collect(fd, 300, 3000, ev, 32);\n"
			"\t\tint from = 0, to = 0;\n\t\tuint32_t cookies[8] = {0};\n\n"
			"\t\tfor (size_t i = 0; i < n; i++) {\n"
			"\t\t\trp_say(\"event wd %%d mask %%#x cookie %%u name \\\"%%s\\\"\", ev[i].wd, ev[i].mask,\n"
			"\t\t\t       ev[i].cookie, ev[i].name);\n"
			"\t\t\tif (ev[i].mask & IN_MOVED_FROM) {\n"
			"\t\t\t\trp_verify(ev[i].cookie != 0, \"IN_MOVED_FROM\", \"a non-zero cookie\", \"0\");\n"
			"\t\t\t\tif (from < 8)\n\t\t\t\t\tcookies[from] = ev[i].cookie;\n"
			"\t\t\t\tfrom++;\n\t\t\t}\n"
			"\t\t\tif (ev[i].mask & IN_MOVED_TO) {\n"
			"\t\t\t\trp_verify(ev[i].cookie != 0, \"IN_MOVED_TO\", \"a non-zero cookie\", \"0\");\n");
	if (row->expect_from)
		repro_printf(r, "\t\t\t\t/* a pair shares its cookie */\n"
				"\t\t\t\tif (to < 8)\n"
				"\t\t\t\t\trp_verify(ev[i].cookie == cookies[to], \"IN_MOVED_TO cookie\",\n"
				"\t\t\t\t\t\t  \"its IN_MOVED_FROM's\", \"%%u for %%u\", ev[i].cookie,\n"
				"\t\t\t\t\t\t  cookies[to]);\n");
	repro_printf(r, "\t\t\t\tto++;\n\t\t\t}\n\t\t}\n"
			"\t\trp_verify(from == %d, \"IN_MOVED_FROM events\", \"%d\", \"%%d\", from);\n"
			"\t\trp_verify(to == %d, \"IN_MOVED_TO events\", \"%d\", \"%%d\", to);\n"
			"\t\tfor (int i = 1; i < from && i < 8; i++)\n"
			"\t\t\trp_verify(cookies[i] != cookies[i - 1], \"two renames' cookies\", \"distinct\",\n"
			"\t\t\t\t  \"both %%u\", cookies[i]);\n\t}\n",
		     row->expect_from * row->renames, row->expect_from * row->renames,
		     row->expect_to * row->renames, row->expect_to * row->renames);
}

/* check_dfid() of rename.c for record var (old or new). */
static void emit_dfid(struct repro_ctx *r, const char *var, uint64_t nodeid, uint32_t gen,
		      const char *name)
{
	repro_printf(r, "\t\t\tif (%s) {\n\t\t\t\tuint64_t nodeid = 0;\n\t\t\t\tuint32_t gen = 0;\n"
			"\t\t\t\tint err = rp_fh_decode(%s->handle_type, %s->handle, %s->handle_bytes, &nodeid, &gen);\n\n"
			"\t\t\t\tif (rp_verify_errno(\"DFID decode\", err, 0))\n"
			"\t\t\t\t\trp_verify(nodeid == %llu && gen == %u, \"the %s record\", \"(%llu, %u)\",\n"
			"\t\t\t\t\t\t  \"(%%llu, %%u)\", (unsigned long long)nodeid, gen);\n"
			"\t\t\t\trp_verify(!strcmp(%s->name, \"%s\"), \"the %s record's name\", \"\\\"%s\\\"\",\n"
			"\t\t\t\t\t  \"\\\"%%s\\\"\", %s->name);\n"
			"\t\t\t\trp_verify(%s->fsid[0] == 0 && %s->fsid[1] == 0, \"the %s record's fsid\",\n"
			"\t\t\t\t\t  \"0:0 (FUSE reports none)\", \"%%d:%%d\", %s->fsid[0], %s->fsid[1]);\n\t\t\t}\n",
		     var, var, var, var, (unsigned long long)nodeid, gen, var, (unsigned long long)nodeid,
		     gen, var, name, var, name, var, var, var, var, var, var);
}

static void emit_fanotify_check(struct repro_ctx *r, const struct rn_row *row)
{
	repro_printf(r, "\t{\n\t\tstruct rp_fan_event ev[8];\n"
			"\t\tsize_t n = rp_fan_collect(fd, 300, 3000, ev, 8);\n\t\tint renames = 0;\n\n"
			"\t\tfor (size_t i = 0; i < n; i++) {\n"
			"\t\t\tconst struct rp_fan_rec *old = NULL, *new = NULL;\n\n"
			"\t\t\tif (ev[i].fd >= 0)\n\t\t\t\tclose(ev[i].fd);\n"
			"\t\t\tfor (size_t k = 0; k < ev[i].nrec; k++) {\n"
			"\t\t\t\tif (ev[i].rec[k].type == FAN_EVENT_INFO_TYPE_OLD_DFID_NAME)\n"
			"\t\t\t\t\told = &ev[i].rec[k];\n"
			"\t\t\t\tif (ev[i].rec[k].type == FAN_EVENT_INFO_TYPE_NEW_DFID_NAME)\n"
			"\t\t\t\t\tnew = &ev[i].rec[k];\n\t\t\t}\n"
			"\t\t\trp_say(\"event mask %%#llx, %%zu records\", (unsigned long long)ev[i].mask, ev[i].nrec);\n"
			"\t\t\tif (!(ev[i].mask & FAN_RENAME))\n\t\t\t\tcontinue;\n"
			"\t\t\trenames++;\n"
			"\t\t\trp_verify(!!old == %d, \"OLD_DFID_NAME record\", \"%s\", \"%%s\", old ? \"present\" : \"absent\");\n"
			"\t\t\trp_verify(!!new == %d, \"NEW_DFID_NAME record\", \"%s\", \"%%s\", new ? \"present\" : \"absent\");\n",
		     row->want_old, row->want_old ? "present" : "absent", row->want_new,
		     row->want_new ? "present" : "absent");
	emit_dfid(r, "old", SRC_NODEID, SRC_GEN, "a");
	emit_dfid(r, "new", row->cross_dir ? DST_NODEID : SRC_NODEID, row->cross_dir ? DST_GEN : SRC_GEN,
		  "b");
	repro_printf(r, "\t\t}\n\t\trp_verify(renames == %d, \"FAN_RENAME events\", \"%d\", \"%%d\", renames);\n\t}\n",
		     row->renames, row->renames);
}

static int emit_rename(struct repro_ctx *r)
{
	const struct rn_row *row = r->c->row;
	static const struct repro_obj fixture[] = {
		{FUSE_ROOT_ID, "src", S_IFDIR | 0755, SRC_NODEID, SRC_GEN, 0, NULL},
		{FUSE_ROOT_ID, "dst", S_IFDIR | 0755, DST_NODEID, DST_GEN, 0, NULL},
		{SRC_NODEID, "a", S_IFREG | 0644, 0, 1, 0, NULL},
	};
	int ino = row->api == RN_INOTIFY;

	repro_fixture(r, fixture, 3);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\tstruct rp_opts o = {.entry_valid_ns = 10000000000ull};\n\tint fd, err;\n\n"
			"\trp_start(&o, fixture, 3);\n");
	if (ino)
		repro_printf(r, "\tfd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);\n");
	else
		repro_printf(r, "\tfd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_REPORT_FID, O_RDONLY);\n"
				"\tif (fd < 0)\n"
				"\t\trp_skip(\"fanotify_init(FAN_REPORT_DFID_NAME): %%s\", rp_errname(errno));\n");
	for (int i = 0; i < 2; i++) {
		const char *dir = i ? "dst" : "src";

		if (!(i ? row->watch_dst : row->watch_src))
			continue;
		if (ino)
			repro_printf(r, "\terr = inotify_add_watch(fd, rp_path(\"%s\"), IN_MOVE) < 0 ? errno : 0;\n"
					"\trp_verify_errno(\"watch %s\", err, 0);\n", dir, dir);
		else
			repro_printf(r, "\tif (fanotify_mark(fd, FAN_MARK_ADD, FAN_RENAME | FAN_ONDIR, AT_FDCWD, rp_path(\"%s\")))\n"
					"\t\trp_skip(\"fanotify_mark(FAN_RENAME) on a FUSE directory: %%s \"\n"
					"\t\t\t\"(kernel lacks FAN_RENAME or FID marks on FUSE)\", rp_errname(errno));\n",
				     dir);
	}
	if (r->fail_nth && !row->renames)
		repro_printf(r, "\trp_say(\"the control makes no rename: fail-nth %%d arms nothing\", rp_fail_nth);\n");
	for (int k = 0; k < row->renames; k++) {
		const char *from = k % 2 ? (row->cross_dir ? "dst/b" : "src/b") : "src/a";
		const char *to = k % 2 ? "src/a" : (row->cross_dir ? "dst/b" : "src/b");

		if (r->fail_nth && k == 0) {
			char prep[128], what[64];

			snprintf(prep, sizeof(prep), "const char *from = rp_path(\"%s\"), *to = rp_path(\"%s\");",
				 from, to);
			snprintf(what, sizeof(what), "rename %s %s", from, to);
			repro_armed(r, what, prep, "err = rename(from, to) ? errno : 0;", "0");
		} else {
			repro_printf(r, "\terr = rename(rp_path(\"%s\"), rp_path(\"%s\")) ? errno : 0;\n",
				     from, to);
		}
		repro_printf(r, "\trp_verify_errno(\"rename %s %s\", err, 0);\n", from, to);
	}
	repro_printf(r, "\n");
	if (ino)
		emit_inotify_check(r, row);
	else
		emit_fanotify_check(r, row);
	repro_printf(r, "\t(void)err;\n\tclose(fd);\n\tif (rp_failures)\n\t\trp_dump_log(20);\n}\n");
	return 0;
}

REPRO_EXPORTER(rename_exporter, "rename", emit_rename, 1)
