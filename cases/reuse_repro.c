// SPDX-License-Identifier: GPL-2.0-only
/*
 * reuse_repro: the reuse family as a reproducer.  The steps follow
 * run_reuse(): the server gives nodeid RU_NODEID to a new object with
 * generation 2, after the kernel forgot it (after_forget) or while a watch
 * still pins the old object (while_watched); fdinfo handles and events must
 * name the object they belong to.
 *
 * --fail-nth arms the syscall under test: the watch on the reused nodeid
 * ("b", generation 2).  When the fault fires it may fail with ENOMEM and
 * the case ends there (no hang, no splat); else the row goes on.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "repro.h"
#include "repro_failnth.h"
#include "reuse_rows.h"
#include "wire.h"

/* fanotify FID marks on FUSE: refused by kernels that lack them. */
static void emit_fan_refused(struct repro_ctx *r, enum reuse_api api, const char *var)
{
	if (api != RU_INOTIFY)
		repro_printf(r, "\tif (%s < 0)\n"
				"\t\trp_skip(\"fanotify_mark with FAN_REPORT_FID on FUSE: %%s (kernel lacks it)\",\n"
				"\t\t\trp_errname(-%s));\n", var, var);
}

/* Watch path: wd (inotify) or 0 (fanotify) into var, or -errno. */
static void emit_watch(struct repro_ctx *r, enum reuse_api api, const char *var, const char *name)
{
	if (api == RU_INOTIFY)
		repro_printf(r, "\t%s = inotify_add_watch(fd, rp_path(\"%s\"), IN_MODIFY | IN_ATTRIB | "
				"IN_DELETE_SELF);\n\t%s = %s < 0 ? -errno : %s;\n", var, name, var, var, var);
	else
		repro_printf(r, "\t%s = fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY, AT_FDCWD, "
				"rp_path(\"%s\")) ? -errno : 0;\n", var, name);
	emit_fan_refused(r, api, var);
}

/* The watch on the reused nodeid is the syscall under test: --fail-nth arms it. */
static void emit_armed_watch(struct repro_ctx *r, enum reuse_api api, const char *var,
			     const char *name)
{
	char prep[64], call[256], what[64];

	snprintf(prep, sizeof(prep), "const char *p = rp_path(\"%s\");", name);
	if (api == RU_INOTIFY)
		snprintf(call, sizeof(call), "%s = inotify_add_watch(fd, p, IN_MODIFY | IN_ATTRIB | "
			 "IN_DELETE_SELF);\n\t\t%s = %s < 0 ? -errno : %s;\n\t\terr = %s < 0 ? -%s : 0;",
			 var, var, var, var, var, var);
	else
		snprintf(call, sizeof(call), "%s = fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY, AT_FDCWD, p) "
			 "? -errno : 0;\n\t\terr = %s < 0 ? -%s : 0;", var, var, var);
	snprintf(what, sizeof(what), "the %s of %s", api == RU_INOTIFY ? "inotify_add_watch" :
		 "fanotify_mark", name);
	repro_armed(r, what, prep, call, "0");
	emit_fan_refused(r, api, var);
}

static void emit_fdinfo_names(struct repro_ctx *r, uint32_t gen_old_watch, int nmarks)
{
	repro_printf(r, "\n\t/* fdinfo: every mark names nodeid %d; one names the new (%d, 2)%s. */\n"
			"\tn = rp_fdinfo(fd, m, 4, NULL, 0);\n"
			"\trp_verify(n == %d, \"mark lines\", \"%d\", \"%%d\", n);\n"
			"\tfor (int i = 0; i < n && i < 4; i++) {\n"
			"\t\tuint64_t nodeid = 0;\n\t\tuint32_t gen = 0;\n\n"
			"\t\terr = m[i].has_handle ? rp_fh_decode(m[i].handle_type, m[i].handle,\n"
			"\t\t\t\t\t\t m[i].handle_bytes, &nodeid, &gen) : ENODATA;\n"
			"\t\tif (!rp_verify_errno(\"handle decode\", err, 0))\n\t\t\tcontinue;\n"
			"\t\trp_verify(nodeid == %d, \"a mark's handle\", \"nodeid %d\", \"%%llu\",\n"
			"\t\t\t  (unsigned long long)nodeid);\n"
			"\t\thave_new |= gen == 2;\n\t\thave_old |= gen == %u && %u != 2;\n\t}\n"
			"\trp_verify(have_new, \"the marks\", \"one names the new (%d, 2)\", \"%%s\",\n"
			"\t\t  have_new ? \"one does\" : \"none does\");\n",
		     RU_NODEID, RU_NODEID, nmarks > 1 ? ", one the old" : "", nmarks, nmarks, RU_NODEID,
		     RU_NODEID, gen_old_watch, gen_old_watch, RU_NODEID);
	if (nmarks > 1)
		repro_printf(r, "\trp_verify(have_old, \"the marks\", \"one names the old (%d, %u)\", \"%%s\",\n"
				"\t\t  have_old ? \"one does\" : \"none does\");\n", RU_NODEID, gen_old_watch);
	else
		repro_printf(r, "\t(void)have_old;\n");
}

static int emit_reuse(struct repro_ctx *r)
{
	const struct reuse_row *row = r->c->row;
	static const struct repro_obj fixture[] = {
		{FUSE_ROOT_ID, "a", S_IFREG | 0644, RU_NODEID, 1, 0, NULL},
	};
	int ino = row->api == RU_INOTIFY, watched = row->when == RU_WHILE_WATCHED;

	repro_fixture(r, fixture, 1);
	repro_printf(r, "static void repro_case(void)\n{\n\tstruct rp_opts o = {0};\n"
			"\tstruct rp_mark m[4];\n\tstruct stat st;\n"
			"\tint fd, wd_old = -1, wd_new, err, n, have_new = 0, have_old = 0;\n\n"
			"\trp_start(&o, fixture, 1);\n");
	if (ino)
		repro_printf(r, "\tfd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);\n"
				"\tif (fd < 0)\n\t\trp_skip(\"inotify_init1: %%s\", rp_errname(errno));\n");
	else
		repro_printf(r, "\tfd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY);\n"
				"\tif (fd < 0)\n\t\trp_skip(\"fanotify_init: %%s\", rp_errname(errno));\n");
	repro_printf(r, "\terr = stat(rp_path(\"a\"), &st) ? errno : 0;\n"
			"\trp_verify_errno(\"stat a\", err, 0);\n\n");
	if (!watched) {
		repro_printf(r, "\t/* The kernel lets go of (%d, 1): only then may a server reuse %d. */\n"
				"\terr = unlink(rp_path(\"a\")) ? errno : 0;\n"
				"\trp_verify_errno(\"unlink a\", err, 0);\n"
				"\terr = rp_wait(FUSE_FORGET, %d, NULL, 1, 2000);\n"
				"\trp_verify(err == 0, \"after the unlink\", \"a FORGET of nodeid %d within 2 s\",\n"
				"\t\t  \"%%s\", err ? \"none\" : \"one\");\n",
			     RU_NODEID, RU_NODEID, RU_NODEID, RU_NODEID);
	} else {
		repro_printf(r, "\t/* A watch pins (%d, 1); the server drops a behind the kernel's back. */\n",
			     RU_NODEID);
		emit_watch(r, row->api, "wd_old", "a");
		repro_printf(r, "\trp_verify(wd_old >= 0, \"watch a\", \"success\", \"%%s\",\n"
				"\t\t  wd_old < 0 ? rp_errname(-wd_old) : \"success\");\n"
				"\trp_lock();\n\trp_detach(rp_lookup(FUSE_ROOT_ID, \"a\"));\n\trp_unlock();\n");
	}
	repro_printf(r, "\t/* Nodeid %d now names a new object, \"b\", generation 2. */\n"
			"\trp_lock();\n"
			"\trp_verify(rp_reuse(%d, FUSE_ROOT_ID, \"b\", S_IFREG | 0644, 2) != NULL, \"reuse\",\n"
			"\t\t  \"the server's tree takes it\", \"it did\");\n"
			"\trp_unlock();\n\n", RU_NODEID, RU_NODEID);
	if (r->fail_nth)
		emit_armed_watch(r, row->api, "wd_new", "b");
	else
		emit_watch(r, row->api, "wd_new", "b");
	repro_printf(r, "\tif (!rp_verify(wd_new >= 0, \"watch b\", \"success\", \"%%s\",\n"
			"\t\t       wd_new < 0 ? rp_errname(-wd_new) : \"success\"))\n\t\treturn;\n");
	emit_fdinfo_names(r, watched ? 1 : 2, watched ? 2 : 1);
	repro_printf(r, "\n\terr = rp_write_file(rp_path(\"b\"), \"new\");\n"
			"\trp_verify_errno(\"write to b\", err, 0);\n");
	if (ino) {
		repro_printf(r, "\t{\n\t\tstruct rp_ino_event ev[16];\n"
				"\t\tsize_t nev = rp_ino_collect(fd, 200, 2000, ev, 16);\n"
				"\t\tint heard_new = 0;\n\n"
				"\t\tfor (size_t i = 0; i < nev; i++) {\n"
				"\t\t\trp_say(\"event: wd %%d mask %%#x\", ev[i].wd, ev[i].mask);\n"
				"\t\t\theard_new |= ev[i].wd == wd_new && (ev[i].mask & IN_MODIFY);\n"
				"\t\t\trp_verify(wd_old < 0 || ev[i].wd != wd_old, \"the watch on (%d, 1)\",\n"
				"\t\t\t\t  \"nothing caused by (%d, 2)\", \"mask %%#x\", ev[i].mask);\n\t\t}\n"
				"\t\trp_verify(heard_new, \"the watch on the new object\", \"IN_MODIFY\", \"%%s\",\n"
				"\t\t\t  heard_new ? \"IN_MODIFY\" : \"nothing\");\n\t}\n",
			     RU_NODEID, RU_NODEID);
	} else {
		repro_printf(r, "\t{\n\t\tstruct rp_fan_event ev[8];\n"
				"\t\tsize_t nev = rp_fan_collect(fd, 200, 2000, ev, 8);\n"
				"\t\tint heard = 0;\n\n"
				"\t\tfor (size_t i = 0; i < nev; i++) {\n"
				"\t\t\tuint64_t nodeid = 0;\n\t\t\tuint32_t gen = 0;\n\n"
				"\t\t\tif (ev[i].fd >= 0)\n\t\t\t\tclose(ev[i].fd);\n"
				"\t\t\tif (!rp_verify(ev[i].nrec >= 1 && ev[i].rec[0].type == FAN_EVENT_INFO_TYPE_FID,\n"
				"\t\t\t\t       \"an event\", \"a FID record\", \"%%zu records\", ev[i].nrec))\n"
				"\t\t\t\tcontinue;\n"
				"\t\t\terr = rp_fh_decode(ev[i].rec[0].handle_type, ev[i].rec[0].handle,\n"
				"\t\t\t\t\t   ev[i].rec[0].handle_bytes, &nodeid, &gen);\n"
				"\t\t\tif (!rp_verify_errno(\"FID decode\", err, 0))\n\t\t\t\tcontinue;\n"
				"\t\t\trp_say(\"event mask %%#llx FID (%%llu, %%u)\", (unsigned long long)ev[i].mask,\n"
				"\t\t\t       (unsigned long long)nodeid, gen);\n"
				"\t\t\trp_verify(nodeid == %d && gen == 2, \"the event's FID\",\n"
				"\t\t\t\t  \"the object modified, (%d, 2)\", \"(%%llu, %%u)\",\n"
				"\t\t\t\t  (unsigned long long)nodeid, gen);\n"
				"\t\t\theard |= (ev[i].mask & FAN_MODIFY) != 0;\n\t\t}\n"
				"\t\trp_verify(heard, \"the mark on the new object\", \"FAN_MODIFY\", \"%%s\",\n"
				"\t\t\t  heard ? \"FAN_MODIFY\" : \"nothing\");\n\t}\n",
			     RU_NODEID, RU_NODEID);
	}
	repro_printf(r, "\t(void)wd_old;\n\tclose(fd);\n\tif (rp_failures)\n\t\trp_dump_log(30);\n}\n");
	return 0;
}

REPRO_EXPORTER(reuse_exporter, "reuse", emit_reuse, 1)
