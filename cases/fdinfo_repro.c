// SPDX-License-Identifier: GPL-2.0-only
/*
 * fdinfo_repro: the fdinfo family as a reproducer.  The served objects and
 * their identities come from the row; the steps follow run_fdinfo(): mark
 * every object (or none, for the control), read /proc/self/fdinfo, and
 * require one line per mark whose file handle decodes to the object's
 * (nodeid, generation).
 *
 * --fail-nth arms /proc/thread-self/fail-nth around the syscall the rows
 * are about: the first read() of /proc/self/fdinfo/<fd> (the marks are
 * setup, not the subject).  When the fault fires the read may fail with
 * ENOMEM (the case ends there: no hang, no splat is what is left); when it
 * succeeds anyway, every check of the row still holds, as fdinfo_oom
 * requires: whole lines, every handle, the served identities.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "fdinfo_rows.h"
#include "repro.h"
#include "wire.h"

/* The read under test, armed: n is the mark count or -errno, as rp_fdinfo() gives it. */
static void emit_armed_read(struct repro_ctx *r, const struct fdi_row *row)
{
	repro_printf(r, "\n\t/* fail-nth %d: that injectable allocation of the fdinfo read fails. */\n"
			"\t{\n\t\tstatic char copy[16384];\n\t\tsize_t len;\n\t\tint fired, shortr;\n\n"
			"\t\trp_fault_setup();\n"
			"\t\terr = rp_fdinfo_read_armed(fd, 1, raw, sizeof(raw), &len, &fired, &shortr);\n"
			"\t\tif (!fired) {\n"
			"\t\t\trp_say(\"fail-nth %%d did not fire: the read makes fewer allocations\", rp_fail_nth);\n"
			"\t\t} else if (err) {\n"
			"\t\t\trp_say(\"fail-nth %%d fired inside the fdinfo read; the row's evidence is not checked\",\n"
			"\t\t\t       rp_fail_nth);\n"
			"\t\t\trp_verify(err == %s, \"the fdinfo read under the fault\", \"%s or the whole text\",\n"
			"\t\t\t\t  \"%%s\", rp_errname(err));\n"
			"\t\t\treturn;\n"
			"\t\t} else {\n"
			"\t\t\trp_say(\"fail-nth %%d fired inside the fdinfo read, which succeeded: the text must be whole\",\n"
			"\t\t\t       rp_fail_nth);\n"
			"\t\t\trp_fdinfo_whole(\"the fdinfo text read under the fault\", raw, len, %d);\n"
			"\t\t}\n"
			"\t\tmemcpy(copy, raw, sizeof(copy));\n"
			"\t\tn = err ? -err : rp_fdinfo_text(copy, m, 8);\n\t}\n",
		     r->fail_nth, r->plant ? "E2BIG" : "ENOMEM", r->plant ? "E2BIG" : "ENOMEM",
		     row->control ? 0 : row->nobjs);
}

static int emit_fdinfo(struct repro_ctx *r)
{
	const struct fdi_row *row = r->c->row;
	struct repro_obj objs[3];
	int fan = row->kind != FDI_INOTIFY;

	for (int i = 0; i < row->nobjs; i++)
		objs[i] = (struct repro_obj){FUSE_ROOT_ID, row->objs[i].name, row->objs[i].mode,
					     row->objs[i].nodeid, row->objs[i].generation,
					     row->objs[i].ino, NULL};
	repro_fixture(r, objs, row->nobjs);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\tstruct rp_opts o = {.flags2 = %#x, .entry_valid_ns = 10000000000ull};\n"
			"\tstatic char raw[16384];\n\tstruct rp_mark m[8];\n\tint fd, n%s;\n\n"
			"\trp_start(&o, fixture, %d);\n", row->flags2, row->control && !r->fail_nth ? "" : ", err",
		     row->nobjs);
	if (fan)
		repro_printf(r, "\tfd = fanotify_init(FAN_CLASS_NOTIF%s, O_RDONLY);\n"
				"\tif (fd < 0)\n\t\trp_skip(\"fanotify_init: %%s\", rp_errname(errno));\n",
			     row->kind == FDI_FANOTIFY_FID ? " | FAN_REPORT_FID" : "");
	else
		repro_printf(r, "\tfd = inotify_init1(IN_CLOEXEC);\n"
				"\tif (fd < 0)\n\t\trp_skip(\"inotify_init1: %%s\", rp_errname(errno));\n");
	for (int i = 0; !row->control && i < row->nobjs; i++) {
		const struct fdi_obj *ob = &row->objs[i];

		if (fan)
			repro_printf(r, "\tif (fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY | FAN_CLOSE_WRITE%s, "
					"AT_FDCWD, rp_path(\"%s\")))\n"
					"\t\trp_skip(\"fanotify_mark on a FUSE inode%s: %%s (kernel lacks it)\",\n"
					"\t\t\trp_errname(errno));\n",
				     S_ISDIR(ob->mode) ? " | FAN_ONDIR" : "", ob->name,
				     row->kind == FDI_FANOTIFY_FID ? " with FAN_REPORT_FID" : "");
		else
			repro_printf(r, "\terr = inotify_add_watch(fd, rp_path(\"%s\"), IN_ALL_EVENTS) < 0 ? errno : 0;\n"
					"\trp_verify_errno(\"inotify_add_watch %s\", err, 0);\n", ob->name, ob->name);
	}
	if (r->fail_nth)
		emit_armed_read(r, row);
	else
		repro_printf(r, "\n\tn = rp_fdinfo(fd, m, 8, raw, sizeof(raw));\n");
	repro_printf(r, "\tif (!rp_verify(n >= 0, \"reading /proc/self/fdinfo\", \"success\", \"%%s\",\n"
			"\t\t       n < 0 ? rp_errname(-n) : \"success\"))\n\t\treturn;\n");
	if (row->control) {
		repro_printf(r, "\trp_verify(n == 0, \"mark lines of an fd with no watch\", \"none\", \"%%d\", n);\n"
				"\tif (rp_failures)\n\t\tprintf(\"# raw fdinfo:\\n%%s\", raw);\n\tclose(fd);\n}\n");
		return 0;
	}
	repro_printf(r, "\trp_verify(n == %d, \"mark lines\", \"%d, one per watch\", \"%%d\", n);\n",
		     row->nobjs, row->nobjs);
	repro_printf(r, "\tfor (int i = 0; i < n && i < 8; i++) {\n"
			"\t\t/* which served object: by attr.ino, which differs from the nodeid on purpose */\n"
			"\t\tstatic const struct { uint64_t ino; const char *name; uint64_t nodeid, generation; } served[] = {\n");
	for (int i = 0; i < row->nobjs; i++)
		repro_printf(r, "\t\t\t{ %#llx, \"%s\", %#llx, %#llx },\n",
			     (unsigned long long)row->objs[i].ino, row->objs[i].name,
			     (unsigned long long)row->objs[i].nodeid,
			     (unsigned long long)row->objs[i].generation);
	repro_printf(r, "\t\t};\n\t\tint k = -1;\n\t\tuint64_t nodeid;\n\t\tuint32_t gen;\n\n"
			"\t\tfor (int j = 0; j < %d; j++)\n\t\t\tif (served[j].ino == m[i].ino)\n\t\t\t\tk = j;\n"
			"\t\tif (!rp_verify(k >= 0, \"mark line ino\", \"a served object's attr.ino\", \"%%#llx\",\n"
			"\t\t\t       (unsigned long long)m[i].ino))\n\t\t\tcontinue;\n"
			"\t\trp_verify(m[i].inotify == %d, served[k].name, \"%s line\", \"%%s\",\n"
			"\t\t\t  m[i].inotify ? \"an inotify line\" : \"a fanotify inode line\");\n"
			"\t\trp_verify(m[i].has_handle && m[i].handle_bytes <= 128, served[k].name,\n"
			"\t\t\t  \"the 7 fields CRIU parses (fhandle-bytes, fhandle-type, f_handle)\",\n"
			"\t\t\t  \"%%s\", m[i].has_handle ? \"all three\" : \"no handle: checkpoint breaks\");\n"
			"\t\terr = m[i].has_handle ? rp_fh_decode(m[i].handle_type, m[i].handle, m[i].handle_bytes,\n"
			"\t\t\t\t\t\t &nodeid, &gen) : ENODATA;\n"
			"\t\tif (!rp_verify(err == 0, served[k].name, \"a FUSE handle that decodes\", \"%%s\", rp_errname(err)))\n"
			"\t\t\tcontinue;\n"
			"\t\trp_verify(m[i].handle_type == 0x81 && m[i].handle_bytes == 12, served[k].name,\n"
			"\t\t\t  \"handle type 0x81 (FILEID_INO64_GEN), 12 bytes\", \"type %%#x, %%u bytes\",\n"
			"\t\t\t  m[i].handle_type, m[i].handle_bytes);\n"
			"\t\trp_verify(nodeid == served[k].nodeid && gen == (uint32_t)served[k].generation, served[k].name,\n"
			"\t\t\t  \"the handle names the served (nodeid, generation)\", \"(%%llu, %%u) for (%%llu, %%llu)\",\n"
			"\t\t\t  (unsigned long long)nodeid, gen, (unsigned long long)served[k].nodeid,\n"
			"\t\t\t  (unsigned long long)served[k].generation);\n"
			"\t}\n"
			"\tif (rp_failures)\n\t\tprintf(\"# raw fdinfo:\\n%%s\", raw);\n\tclose(fd);\n}\n",
		     row->nobjs, row->kind == FDI_INOTIFY, fan ? "a fanotify inode" : "an inotify");
	return 0;
}

REPRO_EXPORTER(fdinfo_exporter, "fdinfo", emit_fdinfo, 1)
