// SPDX-License-Identifier: GPL-2.0-only
/*
 * stale_repro: the stale family as a reproducer.  The steps follow
 * run_stale(): open and watch "a", change its generation or its type on
 * the server, revalidate with stat, then the old fd must give EIO, the old
 * watch must hear nothing of the new object, and its fdinfo handle keeps
 * naming the old identity.  The control row changes nothing.
 *
 * --fail-nth arms the syscall under test: the stat whose LOOKUP meets the
 * changed identity (fuse_dentry_revalidate, then fuse_iget or
 * make_bad_inode).  When the fault fires it may fail with ENOMEM and the
 * case ends there (no hang, no splat); else the row goes on.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "repro.h"
#include "repro_failnth.h"
#include "stale_rows.h"
#include "wire.h"

static int emit_stale(struct repro_ctx *r)
{
	const struct stale_row *row = r->c->row;
	static const struct repro_obj fixture[] = {
		{FUSE_ROOT_ID, "a", S_IFREG | 0644, A_NODEID, 1, 0, STALE_DATA},
	};
	int changed = row->change != ST_NONE;

	repro_fixture(r, fixture, 1);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\tstruct rp_opts o = {0}; /* timeouts 0: every stat revalidates with LOOKUP */\n"
			"\tstruct rp_ino_event ev[16];\n\tstruct rp_mark m[4];\n\tstruct stat st;\n"
			"\tchar buf[16];\n\tint fd, ifd, wd, err, n;\n\tssize_t got;\n\tsize_t nev;\n\n"
			"\trp_start(&o, fixture, 1);\n"
			"\tfd = open(rp_path(\"a\"), O_RDWR);\n"
			"\tifd = inotify_init1(IN_CLOEXEC);\n"
			"\twd = inotify_add_watch(ifd, rp_path(\"a\"), IN_ALL_EVENTS);\n"
			"\terr = fd >= 0 && ifd >= 0 && wd >= 0 ? 0 : errno;\n"
			"\tif (!rp_verify_errno(\"setup: open, inotify_init1, inotify_add_watch of a\", err, 0))\n"
			"\t\treturn;\n\n");
	if (row->change == ST_GENERATION)
		repro_printf(r, "\t/* The server gives nodeid %d a new generation. */\n"
				"\trp_lock();\n\trp_node(%d)->generation = 2;\n\trp_unlock();\n\n",
			     A_NODEID, A_NODEID);
	else if (row->change == ST_TYPE)
		repro_printf(r, "\t/* The server turns nodeid %d into a directory. */\n"
				"\trp_lock();\n\trp_node(%d)->attr.mode = S_IFDIR | 0755;\n\trp_unlock();\n\n",
			     A_NODEID, A_NODEID);
	else
		repro_printf(r, "\t/* Control: the server changes nothing. */\n\n");
	repro_printf(r, "\t/* The revalidating LOOKUP meets the %s identity. */\n",
		     changed ? "changed" : "same");
	if (r->fail_nth)
		repro_armed(r, "the revalidating stat of a", "const char *p = rp_path(\"a\");",
			    "err = stat(p, &st) ? errno : 0;", "0");
	else
		repro_printf(r, "\terr = stat(rp_path(\"a\"), &st) ? errno : 0;\n");
	repro_printf(r, "\trp_verify_errno(\"stat a after the change\", err, 0);\n");
	if (row->change == ST_TYPE)
		repro_printf(r, "\trp_verify(S_ISDIR(st.st_mode), \"stat a\", \"the new directory\", \"mode %%o\",\n"
				"\t\t  st.st_mode);\n");
	repro_printf(r, "\tgot = pread(fd, buf, sizeof(buf), 0);\n\terr = got < 0 ? errno : 0;\n");
	if (changed)
		repro_printf(r, "\trp_verify(got < 0 && err == EIO, \"read through the old fd\", \"EIO\", \"%%s\",\n"
				"\t\t  got < 0 ? rp_errname(err) : \"success\");\n"
				"\tgot = pwrite(fd, \"x\", 1, 0);\n\terr = got < 0 ? errno : 0;\n"
				"\trp_verify(got < 0 && err == EIO, \"write through the old fd\", \"EIO\", \"%%s\",\n"
				"\t\t  got < 0 ? rp_errname(err) : \"success\");\n");
	else
		repro_printf(r, "\trp_verify(got == 5, \"read on the unchanged inode\", \"5 bytes\", \"%%s\",\n"
				"\t\t  got < 0 ? rp_errname(err) : \"a short read\");\n"
				"\tgot = pwrite(fd, \"x\", 1, 0);\n");
	repro_printf(r, "\n\t/* 6.18: a watch on an inode that went bad is told nothing. */\n"
			"\tnev = rp_ino_collect(ifd, 200, 2000, ev, 16);\n"
			"\tfor (size_t i = 0; i < nev; i++) {\n"
			"\t\trp_say(\"old watch event: wd %%d mask %%#x\", ev[i].wd, ev[i].mask);\n");
	if (changed)
		repro_printf(r, "\t\trp_verify(!(ev[i].mask & (IN_MODIFY | IN_IGNORED | IN_DELETE_SELF)),\n"
				"\t\t\t  \"the old watch after the identity changed\",\n"
				"\t\t\t  \"no IN_MODIFY, IN_IGNORED or IN_DELETE_SELF\", \"mask %%#x\", ev[i].mask);\n");
	repro_printf(r, "\t}\n");
	if (row->change != ST_TYPE) {
		repro_printf(r, "\n\t/* The new object is modified; only the control's watch may hear it. */\n"
				"\terr = rp_write_file(rp_path(\"a\"), \"new\");\n"
				"\trp_verify_errno(\"write through a new open of a\", err, 0);\n"
				"\tnev = rp_ino_collect(ifd, 200, 2000, ev, 16);\n"
				"\t{\n\t\tint modified = 0;\n\n"
				"\t\tfor (size_t i = 0; i < nev; i++)\n"
				"\t\t\tmodified |= ev[i].wd == wd && (ev[i].mask & IN_MODIFY);\n");
		if (changed)
			repro_printf(r, "\t\trp_verify(!modified, \"the watch on (%d, 1)\",\n"
					"\t\t\t  \"no IN_MODIFY caused by the new (%d, 2)\", \"%%s\",\n"
					"\t\t\t  modified ? \"IN_MODIFY\" : \"none\");\n", A_NODEID, A_NODEID);
		else
			repro_printf(r, "\t\trp_verify(modified, \"control: the watch\", \"IN_MODIFY\", \"%%s\",\n"
					"\t\t\t  modified ? \"IN_MODIFY\" : \"none\");\n");
		repro_printf(r, "\t}\n");
	}
	repro_printf(r, "\n\t/* fdinfo keeps naming the old identity: the watch is on the old inode. */\n"
			"\tn = rp_fdinfo(ifd, m, 4, NULL, 0);\n"
			"\tif (rp_verify(n == 1, \"watch lines in fdinfo\", \"1\", \"%%d\", n)) {\n"
			"\t\tuint64_t nodeid = 0;\n\t\tuint32_t gen = 0;\n\n"
			"\t\terr = m[0].has_handle ? rp_fh_decode(m[0].handle_type, m[0].handle, m[0].handle_bytes,\n"
			"\t\t\t\t\t\t &nodeid, &gen) : ENODATA;\n"
			"\t\tif (rp_verify_errno(\"handle decode\", err, 0))\n"
			"\t\t\trp_verify(nodeid == %d && gen == 1, \"the watch's handle\", \"the old (%d, 1)\",\n"
			"\t\t\t\t  \"(%%llu, %%u)\", (unsigned long long)nodeid, gen);\n\t}\n"
			"\tclose(fd);\n\tclose(ifd);\n\tif (rp_failures)\n\t\trp_dump_log(30);\n}\n",
		     A_NODEID, A_NODEID);
	return 0;
}

REPRO_EXPORTER(stale_exporter, "stale", emit_stale, 1)
