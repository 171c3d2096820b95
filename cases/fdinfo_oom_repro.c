// SPDX-License-Identifier: GPL-2.0-only
/*
 * fdinfo_oom_repro: the fdinfo_oom family as a reproducer.  The file does
 * what run_oom() does, from the same row and the same fixture numbers
 * (fdinfo_oom_rows.h): set the fail-nth knobs (or exit 77 with the
 * runner's reason), serve WATCHES files and "t", mark the files, then sweep
 * N = 1, 2, ... over the row's syscall with the same checks: the fdinfo
 * read (ENOMEM, or the whole text, byte for byte), the mark syscall
 * (ENOMEM and no mark, or fdinfo shows the mark the call returned, with the
 * served identity), or the LOOKUP of a fresh name (ENOMEM and an uncached
 * failure, or the served inode; lookups balance at the end).
 *
 * The case is a sweep, so the file needs no --fail-nth; with --fail-nth N
 * it runs the one step N of the sweep, to bisect a step that failed.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "fdinfo_oom_rows.h"
#include "kutil.h"
#include "repro.h"
#include "wire.h"

/* The syscalls under test, as the row picks them: add_mark() and remove_mark(). */
static void emit_mark_calls(struct repro_ctx *r, const struct oom_row *row)
{
	if (row->fd == FD_INOTIFY) {
		repro_printf(r, "/* inotify_add_watch: the wd, or -errno. */\n"
				"RP_FN int add_mark(int fd, const char *path)\n{\n"
				"\tint wd = inotify_add_watch(fd, path, IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE);\n\n"
				"\treturn wd < 0 ? -errno : wd;\n}\n\n"
				"RP_FN int remove_mark(int fd, const char *path, int wd)\n{\n"
				"\t(void)path;\n\treturn inotify_rm_watch(fd, wd) ? errno : 0;\n}\n\n");
		return;
	}
	repro_printf(r, "/* fanotify_mark(FAN_MARK_ADD): 0, or -errno. */\n"
			"RP_FN int add_mark(int fd, const char *path)\n{\n"
			"\treturn fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY | FAN_CLOSE_WRITE, AT_FDCWD, path)\n"
			"\t\t       ? -errno : 0;\n}\n\n"
			"RP_FN int remove_mark(int fd, const char *path, int wd)\n{\n"
			"\t(void)wd;\n"
			"\treturn fanotify_mark(fd, FAN_MARK_REMOVE, FAN_MODIFY | FAN_CLOSE_WRITE, AT_FDCWD, path)\n"
			"\t\t       ? errno : 0;\n}\n\n");
}

/* The fd and its WATCHES marks, with the runner's skips. */
static void emit_marked_fd(struct repro_ctx *r, const struct oom_row *row)
{
	if (row->fd == FD_INOTIFY)
		repro_printf(r, "\tfd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);\n"
				"\tif (fd < 0)\n\t\trp_skip(\"inotify_init1: %%s\", rp_errname(errno));\n");
	else
		repro_printf(r, "\tfd = fanotify_init(FAN_CLASS_NOTIF%s, O_RDONLY);\n"
				"\tif (fd < 0)\n\t\trp_skip(\"fanotify_init: %%s\", rp_errname(errno));\n",
			     row->fd == FD_FAN_FID ? " | FAN_REPORT_FID" : "");
	repro_printf(r, "\tfor (int i = 0; i < %d; i++) {\n\t\tchar name[16];\n\n"
			"\t\tsnprintf(name, sizeof(name), \"w%%02d\", i);\n"
			"\t\terr = add_mark(fd, rp_path(name));\n", WATCHES);
	if (row->fd == FD_FAN_FID)
		repro_printf(r, "\t\tif (err == -ENODEV && !rp_kernel_at_least(6, 8))\n"
				"\t\t\trp_skip(\"fanotify_mark with FAN_REPORT_FID on FUSE: ENODEV: %%s\",\n"
				"\t\t\t\t\"%s\");\n", KU_FAN_FID_REFUSED_WHY);
	repro_printf(r, "\t\tif (err < 0) {\n"
			"\t\t\trp_verify(0, name, \"marked\", \"%%s\", rp_errname(-err));\n"
			"\t\t\treturn;\n\t\t}\n\t}\n"
			"\trp_say(\"%d files marked\");\n\n", WATCHES);
}

/* The sweep's loop head: N = 1 .. MAX_STEPS, or only --fail-nth's N. */
static void emit_loop(struct repro_ctx *r)
{
	repro_printf(r, "\tsw.t0 = rp_now_ms();\n\tfor (nth = %d; nth <= %d; nth++) {\n"
			"\t\trp_fail_nth = (int)nth;\n",
		     r->fail_nth ? r->fail_nth : 1, r->fail_nth ? r->fail_nth : MAX_STEPS);
}

/* After the loop: a sweep must end, and must have injected something. */
static void emit_sweep_end(struct repro_ctx *r, const char *syscall)
{
	if (!r->fail_nth)
		repro_printf(r, "\trp_verify(!fired, \"the sweep\", \"ends within %d steps\", \"%%s\",\n"
				"\t\t  fired ? \"%s still reached a fault at N = %d\" : \"it ended\");\n",
			     MAX_STEPS, syscall, MAX_STEPS);
	repro_printf(r, "\trp_sweep_end(&sw, %d);\n", !r->fail_nth);
}

static void emit_fdinfo_read(struct repro_ctx *r, const char *enomem)
{
	repro_printf(r, "\terr = rp_fdinfo_read_armed(fd, 0, before, sizeof(before), &blen, &fired, &shortr);\n"
			"\tif (!rp_verify_errno(\"fdinfo read before the sweep\", err, 0) ||\n"
			"\t    !rp_fdinfo_whole(\"fdinfo before the sweep\", before, blen, %d))\n\t\treturn;\n"
			"\trp_say(\"fdinfo before the sweep: %%zu bytes\", blen);\n", WATCHES);
	emit_loop(r);
	repro_printf(r, "\t\tsnprintf(when, sizeof(when), \"N=%%u: the fdinfo read\", nth);\n"
			"\t\terr = rp_fdinfo_read_armed(fd, 1, got, sizeof(got), &glen, &fired, &shortr);\n"
			"\t\trp_sweep_step(&sw, fired, err);\n"
			"\t\tsame = glen == blen && !memcmp(got, before, blen);\n"
			"\t\tif (!fired) {\n"
			"\t\t\trp_verify_errno(when, err, 0);\n"
			"\t\t\trp_verify(same, when, \"the text read before the sweep\", \"%%zu bytes, %%s\", glen,\n"
			"\t\t\t\t  same ? \"the same\" : \"different\");\n"
			"\t\t\tbreak;\n\t\t}\n"
			"\t\tif (err) {\n"
			"\t\t\trp_verify(err == %s, when, \"%s (or the whole text) under the fault\", \"%%s\",\n"
			"\t\t\t\t  rp_errname(err));\n\t\t\tcontinue;\n\t\t}\n"
			"\t\t/* The fault fired and the read went on: the text must still be whole. */\n"
			"\t\tif (shortr)\n\t\t\trp_say(\"%%s: the armed read returned part of the text\", when);\n"
			"\t\trp_fdinfo_whole(when, got, glen, %d);\n"
			"\t\tif (!rp_verify(same, when, \"the text read before the sweep\", \"%%zu bytes, %%s\", glen,\n"
			"\t\t\t       same ? \"the same\" : \"different\"))\n"
			"\t\t\tprintf(\"# text:\\n%%.*s\", (int)glen, got);\n\t}\n",
		     enomem, enomem, WATCHES);
	emit_sweep_end(r, "the read");
	repro_printf(r, "\t/* The following normal read: the sweep changed nothing. */\n"
			"\terr = rp_fdinfo_read_armed(fd, 0, after, sizeof(after), &alen, &fired, &shortr);\n"
			"\tsame = !err && alen == blen && !memcmp(after, before, blen);\n"
			"\trp_verify(same, \"the fdinfo read after the sweep\", \"the text read before it\", \"%%s\",\n"
			"\t\t  err ? rp_errname(err) : same ? \"the same\" : \"different\");\n");
}

static void emit_add_mark(struct repro_ctx *r, const struct oom_row *row, const char *enomem)
{
	const char *call = row->fd == FD_INOTIFY ? "inotify_add_watch" : "fanotify_mark";

	repro_printf(r, "\tsnprintf(path, sizeof(path), \"%%s\", rp_path(\"t\"));\n");
	emit_loop(r);
	repro_printf(r, "\t\tsnprintf(when, sizeof(when), \"N=%%u: %s on t\", nth);\n"
			"\t\tif (!rp_verify_errno(\"arming fail-nth\", rp_fault_arm(), 0))\n\t\t\treturn;\n"
			"\t\tret = add_mark(fd, path);\n"
			"\t\tfired = rp_fault_fired();\n"
			"\t\trp_sweep_step(&sw, fired, ret < 0 ? -ret : 0);\n"
			"\t\tif (fired && ret < 0)\n"
			"\t\t\trp_verify(ret == -%s, when, \"%s (or success) under the fault\", \"%%s\",\n"
			"\t\t\t\t  rp_errname(-ret));\n"
			"\t\telse if (!fired && !rp_verify(ret >= 0, when, \"success (no fault reached it)\", \"%%s\",\n"
			"\t\t\t\t\t       ret < 0 ? rp_errname(-ret) : \"success\"))\n"
			"\t\t\treturn;\n"
			"\t\t/* What fdinfo says must agree with what the call returned. */\n"
			"\t\tn = rp_fdinfo(fd, m, 64, NULL, 0);\n"
			"\t\tif (!rp_verify(n >= 0, when, \"fdinfo readable after the call\", \"%%s\",\n"
			"\t\t\t       n < 0 ? rp_errname(-n) : \"success\"))\n\t\t\treturn;\n"
			"\t\tk = 0;\n\t\tj = -1;\n"
			"\t\tfor (int i = 0; i < n && i < 64; i++)\n"
			"\t\t\tif (m[i].ino == %#x) {\n\t\t\t\tk++;\n\t\t\t\tj = i;\n\t\t\t}\n"
			"\t\trp_verify(n == %d + (ret >= 0), when, \"fdinfo holds the marks the calls made\",\n"
			"\t\t\t  \"%%d after %%s\", n, ret < 0 ? \"a failed call\" : \"a successful call\");\n"
			"\t\tif (ret < 0) {\n"
			"\t\t\trp_verify(k == 0, when, \"no mark on t after the failed call\", \"%%d\", k);\n"
			"\t\t\tcontinue;\n\t\t}\n"
			"\t\tif (!rp_verify(k == 1, when, \"one mark on t\", \"%%d\", k))\n\t\t\treturn;\n",
		     call, enomem, enomem, T_INO, WATCHES);
	if (row->fd == FD_INOTIFY)
		repro_printf(r, "\t\trp_verify(m[j].wd == ret, when, \"fdinfo shows the wd the call returned\",\n"
				"\t\t\t  \"wd %%d for %%d\", m[j].wd, ret);\n");
	repro_printf(r, "\t\tif (rp_verify(m[j].has_handle, when, \"the mark line on t with its file handle\",\n"
			"\t\t\t      \"%%s\", m[j].has_handle ? \"one\" : \"CRIU-breaking: none\")) {\n"
			"\t\t\tuint64_t nodeid = 0;\n\t\t\tuint32_t gen = 0;\n\n"
			"\t\t\terr = rp_fh_decode(m[j].handle_type, m[j].handle, m[j].handle_bytes, &nodeid, &gen);\n"
			"\t\t\trp_verify(!err && nodeid == %d && gen == %d, when,\n"
			"\t\t\t\t  \"the handle names the served (%d, %d)\", \"(%%llu, %%u), %%s\",\n"
			"\t\t\t\t  (unsigned long long)nodeid, gen, rp_errname(err));\n\t\t}\n"
			"\t\tif (!rp_verify_errno(\"removing the mark\", remove_mark(fd, path, ret), 0))\n"
			"\t\t\treturn;\n"
			"\t\tif (!fired)\n\t\t\tbreak;\n\t}\n",
		     T_NODEID, T_GEN, T_NODEID, T_GEN);
	emit_sweep_end(r, call);
}

static void emit_lookup(struct repro_ctx *r, const char *enomem)
{
	emit_loop(r);
	repro_printf(r, "\t\tsnprintf(name, sizeof(name), \"l%%u\", nth);\n"
			"\t\trp_lock();\n"
			"\t\tnode = rp_add(FUSE_ROOT_ID, name, S_IFREG | 0644, %d + nth, 1);\n"
			"\t\tif (node)\n\t\t\tnode->attr.ino = %#x + nth;\n"
			"\t\trp_unlock();\n"
			"\t\tif (!rp_verify(node != NULL, name, \"added to the served tree\", \"the tree is full\"))\n"
			"\t\t\treturn;\n"
			"\t\t/* Everything the armed stat touches is ready before it. */\n"
			"\t\tsnprintf(path, sizeof(path), \"%%s\", rp_path(name));\n"
			"\t\tsnprintf(when, sizeof(when), \"N=%%u: stat of the uncached %%s\", nth, name);\n"
			"\t\tmemset(&st, 0, sizeof(st));\n"
			"\t\tif (!rp_verify_errno(\"arming fail-nth\", rp_fault_arm(), 0))\n\t\t\treturn;\n"
			"\t\terr = stat(path, &st) ? errno : 0;\n"
			"\t\tfired = rp_fault_fired();\n"
			"\t\trp_sweep_step(&sw, fired, err);\n"
			"\t\tif (fired && err) {\n"
			"\t\t\trp_verify(err == %s, when, \"%s (or success) under the fault\", \"%%s\",\n"
			"\t\t\t\t  rp_errname(err));\n"
			"\t\t\t/* The failure must not be cached: the next lookup succeeds. */\n"
			"\t\t\tmemset(&st, 0, sizeof(st));\n"
			"\t\t\terr = stat(path, &st) ? errno : 0;\n"
			"\t\t\trp_verify_errno(\"the stat after the failed one\", err, 0);\n\t\t}\n"
			"\t\trp_verify(err || st.st_ino == (ino_t)(%#x + nth), when, \"the st_ino the server served\",\n"
			"\t\t\t  \"%%#llx for %%#llx\", (unsigned long long)st.st_ino,\n"
			"\t\t\t  (unsigned long long)(%#x + nth));\n"
			"\t\tif (!fired) {\n"
			"\t\t\trp_verify_errno(when, err, 0);\n"
			"\t\t\t/* Every lookup the kernel was handed comes back, exactly. */\n"
			"\t\t\terr = rp_wait_forgotten(10000, &left);\n"
			"\t\t\trp_verify(err == 0 && left == 0, \"after the sweep\",\n"
			"\t\t\t\t  \"every lookup handed out comes back in FORGETs\",\n"
			"\t\t\t\t  \"%%lld outstanding (negative: forgotten twice)\", (long long)left);\n"
			"\t\t\tbreak;\n\t\t}\n\t}\n",
		     L_NODEID, L_INO, enomem, enomem, L_INO, L_INO);
	emit_sweep_end(r, "stat");
}

static int emit_oom(struct repro_ctx *r)
{
	const struct oom_row *row = r->c->row;
	static struct repro_obj fixture[WATCHES + 1];
	static char names[WATCHES][8];
	/* The plant: a wrong errno for a failed allocation, so the check can be seen to fail. */
	const char *enomem = r->plant ? "E2BIG" : "ENOMEM";

	for (int i = 0; i < WATCHES; i++) {
		snprintf(names[i], sizeof(names[i]), "w%02d", i);
		fixture[i] = (struct repro_obj){FUSE_ROOT_ID, names[i], S_IFREG | 0644,
						W_NODEID + i, (uint64_t)i + 1, W_INO + i, NULL};
	}
	fixture[WATCHES] = (struct repro_obj){FUSE_ROOT_ID, "t", S_IFREG | 0644, T_NODEID, T_GEN,
					      T_INO, NULL};
	repro_fixture(r, fixture, WATCHES + 1);
	if (row->op == OP_ADD_MARK || row->op == OP_FDINFO_READ)
		emit_mark_calls(r, row);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\t/* Entries and attributes stay valid 100 s: only the sweep's step drops one. */\n"
			"\tstruct rp_opts o = {.entry_valid_ns = %lluull, .attr_valid_ns = %lluull};\n"
			"\tstatic struct rp_sweep sw;\n\tstruct stat st;\n"
			"\tchar when[96];\n\tint fd = -1, err, fired = 0;\n\tunsigned nth;\n",
		     OOM_VALID_NS, OOM_VALID_NS);
	if (row->op == OP_FDINFO_READ)
		repro_printf(r, "\tstatic char before[65536], got[65536], after[65536];\n"
				"\tsize_t blen, glen, alen;\n\tint shortr, same;\n");
	else if (row->op == OP_ADD_MARK)
		repro_printf(r, "\tstatic struct rp_mark m[64];\n\tchar path[512];\n\tint ret, n, k, j;\n");
	else
		repro_printf(r, "\tchar name[32], path[512];\n\tstruct rp_node *node;\n\tint64_t left = 0;\n");
	repro_printf(r, "\n\trp_need_drop_caches();\n"
			"\t/* The fail-nth knobs first, as the runner opens fail-nth before its server. */\n"
			"\trp_fault_setup();\n"
			"\trp_start(&o, fixture, %d);\n"
			"\t/* Cached before the sweep: the mark sweeps' path walk sends no LOOKUP. */\n"
			"\terr = stat(rp_path(\"t\"), &st) ? errno : 0;\n"
			"\trp_verify_errno(\"stat t\", err, 0);\n\n", WATCHES + 1);
	if (row->op != OP_LOOKUP)
		emit_marked_fd(r, row);
	switch (row->op) {
	case OP_FDINFO_READ: emit_fdinfo_read(r, enomem); break;
	case OP_ADD_MARK: emit_add_mark(r, row, enomem); break;
	case OP_LOOKUP: emit_lookup(r, enomem); break;
	}
	repro_printf(r, "\tif (fd >= 0)\n\t\tclose(fd);\n\tif (rp_failures)\n\t\trp_dump_log(20);\n}\n");
	return 0;
}

/* fail_nth 1: --fail-nth N narrows the sweep to its step N. */
REPRO_EXPORTER(fdinfo_oom_exporter, "fdinfo_oom", emit_oom, 1)
