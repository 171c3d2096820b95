// SPDX-License-Identifier: GPL-2.0-only
/*
 * fdinfo: /proc/<pid>/fdinfo of inotify and fanotify fds watching FUSE
 * inodes.  Every watch line must parse, carry the 7 fields CRIU's sscanf
 * needs (the 2017 thread: "will this break criu?"), and its file handle
 * must decode to the server's (nodeid, generation): type 0x81, three
 * host-order u32 words, nodeid high, nodeid low, generation.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "case.h"
#include "failnth.h"
#include "fdinfo.h"
#include "kutil.h"
#include "server.h"

enum fdi_kind { FDI_INOTIFY, FDI_FANOTIFY_FID, FDI_FANOTIFY_PLAIN };

struct fdi_obj {
	const char *name;
	mode_t mode;
	uint64_t nodeid;
	uint64_t generation;
	uint64_t ino; /* attr.ino, deliberately different from the nodeid */
};

/* The row: what one case of this family varies. */
struct fdi_row {
	struct fc_row fc;
	enum fdi_kind kind;
	struct fdi_obj objs[3];
	int nobjs;
	uint32_t flags2; /* INIT flags2 to accept, e.g. NO_EXPORT_SUPPORT */
	int control;     /* no watch at all: the file must hold no mark line */
};

static int add_mark(struct fc_ctx *ctx, int fd, enum fdi_kind k, const char *path, mode_t mode)
{
	if (k == FDI_INOTIFY) {
		int wd = inotify_add_watch(fd, path, IN_ALL_EVENTS);

		return CHECK(ctx, wd >= 0, "inotify_add_watch %s: %s", path, fc_errname(errno));
	}
	if (fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY | FAN_CLOSE_WRITE | (S_ISDIR(mode) ? FAN_ONDIR : 0),
			  AT_FDCWD, path))
		return errno;
	return 1;
}

/*
 * The fixture: the row's objects served under the root (attr.ino apart from
 * the nodeid), and the inotify or fanotify fd that is to watch them.
 */
static enum fc_verdict fdi_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct fdi_row *row = c->row;
	struct srv_opts o = {.flags2 = row->flags2, .entry_valid_ns = 10000000000ull};
	static int fd;
	int err;

	ctx->srv = srv_start(ctx, &o);
	if (!ctx->srv)
		return FC_FAIL;
	for (int i = 0; i < row->nobjs; i++) {
		const struct fdi_obj *ob = &row->objs[i];
		struct tree_node *n = srv_add(ctx->srv, FUSE_ROOT_ID, ob->name, ob->mode,
					      ob->nodeid, ob->generation);

		if (n) {
			srv_lock(ctx->srv);
			n->attr.ino = ob->ino;
			srv_unlock(ctx->srv);
		}
	}
	if (row->kind == FDI_INOTIFY)
		fd = inotify_init1(IN_CLOEXEC);
	else
		fd = fanotify_init(FAN_CLASS_NOTIF | (row->kind == FDI_FANOTIFY_FID ? FAN_REPORT_FID : 0),
				   O_RDONLY);
	if (fd < 0) {
		err = errno;
		srv_teardown(ctx, c);
		return fc_skip(ctx, "%s: %s", row->kind == FDI_INOTIFY ? "inotify_init1" : "fanotify_init",
			       fc_errname(err));
	}
	ctx->fx = &fd;
	return FC_PASS;
}

/* The watching fd goes first, while the server still answers. */
static void fdi_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	close(*(int *)ctx->fx);
	srv_teardown(ctx, c);
}

static const struct fc_fixture fdinfo_fixture = {fdi_setup, fdi_teardown};

static enum fc_verdict run_fdinfo(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct fdi_row *row = c->row;
	struct srv *s = ctx->srv;
	int fd = *(int *)ctx->fx;
	static struct fdinfo info;
	static char raw[16384];
	size_t rawlen = 0;
	int err;

	for (int i = 0; !row->control && i < row->nobjs; i++) {
		int r = add_mark(ctx, fd, row->kind, srv_path(s, row->objs[i].name), row->objs[i].mode);

		if (r != 1 && r != 0) {
			const char *why = row->kind == FDI_FANOTIFY_FID ? ku_fan_fid_refused(r) : NULL;

			if (why)
				return fc_skip(ctx, "fanotify_mark with FAN_REPORT_FID on a FUSE inode: "
						    "%s: %s", fc_errname(r), why);
			fc_failf(ctx, __FILE__, __LINE__, "fanotify_mark on a FUSE inode: %s",
				 fc_errname(r));
			return FC_FAIL;
		}
	}

	{
		/*
		 * The syscall under test: --fail-nth arms the fdinfo read (open,
		 * reads, close).  A read that fails under the fault must fail
		 * with ENOMEM, and the case ends; one that succeeds anyway must
		 * give the whole text, so every check below still holds.
		 */
		struct fc_armed arm;

		if (fc_arm(ctx, &arm))
			return FC_SKIP;
		err = fdinfo_read(getpid(), fd, &info, raw, sizeof(raw) - 1, &rawlen);
		raw[rawlen] = 0;
		if (err && fc_fault_ends(ctx, &arm, err, ENOMEM, "the fdinfo read"))
			return fc_verdict(ctx);
		fc_disarm(ctx, &arm, "the fdinfo read");
	}
	if (!CHECK_ERR(ctx, err, 0, "fdinfo_read")) {
		fc_log(ctx, "raw fdinfo:\n%s", raw);
		return fc_verdict(ctx);
	}
	if (row->control) {
		CHECK(ctx, info.nmarks == 0, "%zu mark lines with no watch", info.nmarks);
		return fc_verdict(ctx);
	}
	CHECK(ctx, info.nmarks == (size_t)row->nobjs, "%zu mark lines for %d watches", info.nmarks,
	      row->nobjs);
	for (size_t m = 0; m < info.nmarks; m++) {
		const struct fdinfo_mark *mk = &info.marks[m];
		const struct fdi_obj *ob = NULL;
		struct fuse_fh fh;

		for (int i = 0; i < row->nobjs; i++)
			if (row->objs[i].ino == mk->ino)
				ob = &row->objs[i];
		if (!CHECK(ctx, ob != NULL, "mark line ino %#llx names no served object",
			   (unsigned long long)mk->ino))
			continue;
		CHECK(ctx, mk->kind == (row->kind == FDI_INOTIFY ? FDINFO_INOTIFY : FDINFO_FAN_INODE),
		      "%s: line kind %s", ob->name, fdinfo_kind_name(mk->kind));
		CHECK(ctx, fdinfo_criu_compatible(mk),
		      "%s: line lacks the 7 fields CRIU parses (has_handle %d): breaks checkpoint",
		      ob->name, mk->has_handle);
		err = fdinfo_mark_fuse_fh(mk, &fh);
		if (!CHECK_ERR(ctx, err, 0, "decoding the FUSE handle"))
			continue;
		CHECK(ctx, mk->handle_type == 0x81 && mk->handle_bytes == 12,
		      "%s: handle type %#x, %u bytes; want 0x81 (FILEID_INO64_GEN), 12", ob->name,
		      mk->handle_type, mk->handle_bytes);
		CHECK(ctx, fh.nodeid == ob->nodeid && fh.generation == (uint32_t)ob->generation,
		      "%s: handle names (%llu, %u), the server served (%llu, %llu)", ob->name,
		      (unsigned long long)fh.nodeid, fh.generation, (unsigned long long)ob->nodeid,
		      (unsigned long long)ob->generation);
	}
	if (ctx->failures)
		fc_log(ctx, "raw fdinfo:\n%s", raw);
	return fc_verdict(ctx);
}

#define OBJ_FILE(nm, id, gen, ino) { nm, S_IFREG | 0644, id, gen, ino }
#define OBJ_DIR(nm, id, gen, ino) { nm, S_IFDIR | 0755, id, gen, ino }

static const struct fdi_row fdinfo_rows[] = {
	{ FC_ROW("inotify_control_no_watch",
		 "control: an inotify fd with no watch has no mark line"),
	  .kind = FDI_INOTIFY, .control = 1, .nobjs = 1, .objs = {OBJ_FILE("f", 5, 7, 0x69)} },
	{ FC_ROW("inotify_file", "an inotify watch on a FUSE file: handle decodes to (5, 7)"),
	  .kind = FDI_INOTIFY, .nobjs = 1, .objs = {OBJ_FILE("f", 5, 7, 0x69)} },
	{ FC_ROW("inotify_dir", "an inotify watch on a FUSE directory decodes to its identity"),
	  .kind = FDI_INOTIFY, .nobjs = 1, .objs = {OBJ_DIR("d", 9, 3, 0x99)} },
	{ FC_ROW("inotify_nodeid_above_32_bits",
		 "a nodeid with a non-zero high word and a generation near 2^32 decode exactly"),
	  .kind = FDI_INOTIFY, .nobjs = 1,
	  .objs = {OBJ_FILE("f", 0x100000005ull, 0xfffffffeu, 0x70)} },
	{ FC_ROW("inotify_three_watches", "three watches, three lines, each with its own identity"),
	  .kind = FDI_INOTIFY, .nobjs = 3,
	  .objs = {OBJ_FILE("a", 20, 1, 0x120), OBJ_FILE("b", 21, 2, 0x121),
		   OBJ_DIR("c", 22, 3, 0x122)} },
	{ FC_ROW("inotify_generation_above_32_bits",
		 "the handle carries only the low 32 bits of the 64-bit generation"),
	  .kind = FDI_INOTIFY, .nobjs = 1, .objs = {OBJ_FILE("f", 6, 0x500000007ull, 0x71)} },
	{ FC_ROW("inotify_no_export_support",
		 "with FUSE_NO_EXPORT_SUPPORT the watch still shows an encodable FID handle"),
	  .kind = FDI_INOTIFY, .flags2 = FUSE2_NO_EXPORT_SUPPORT, .nobjs = 1,
	  .objs = {OBJ_FILE("f", 5, 7, 0x69)} },
	{ FC_ROW("fanotify_fid_inode_marks",
		 "fanotify (FAN_REPORT_FID) inode marks decode to the identity"),
	  .kind = FDI_FANOTIFY_FID, .nobjs = 2,
	  .objs = {OBJ_FILE("f", 5, 7, 0x69), OBJ_DIR("d", 9, 3, 0x99)} },
	{ FC_ROW("fanotify_plain_inode_marks",
		 "fanotify without FID reporting still prints handles"),
	  .kind = FDI_FANOTIFY_PLAIN, .nobjs = 2,
	  .objs = {OBJ_FILE("f", 5, 7, 0x69), OBJ_DIR("d", 9, 3, 0x99)} },
};
FC_FAMILY(fdinfo_family, "fdinfo", fdinfo_rows, .needs = FC_NEED_KERNEL,
	  .labels = "kernel;fdinfo;armed", .run = run_fdinfo, .fixture = &fdinfo_fixture)
