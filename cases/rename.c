// SPDX-License-Identifier: GPL-2.0-only
/*
 * rename: how local fsnotify reports a rename on a FUSE mount today, the
 * behaviour a remote protocol has to reproduce.  inotify splits a rename
 * into IN_MOVED_FROM and IN_MOVED_TO joined by a cookie; when only one of
 * the two directories is watched, half of the pair never comes, and
 * inotify(7) says the two cannot be paired reliably.  fanotify FAN_RENAME
 * (5.17+) is the one-event form the review asked for: one event, an
 * OLD_DFID_NAME and a NEW_DFID_NAME record, naming the server's
 * (nodeid, generation) of both directories.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "barrier.h"
#include "case.h"
#include "events.h"
#include "failnth.h"
#include "kutil.h"
#include "server.h"

/* The row: what one case of this family varies. */
enum rn_api { RN_INOTIFY, RN_FANOTIFY };

struct rn_row {
	struct fc_row fc;
	enum rn_api api;
	int cross_dir;      /* src/a -> dst/b, else src/a -> src/b */
	int watch_src, watch_dst;
	int renames;        /* how many renames (cookies must differ) */
	int expect_from, expect_to; /* inotify: events expected per rename */
	int want_old, want_new;     /* fanotify: records FAN_RENAME must carry */
};

#define SRC_NODEID 20
#define SRC_GEN 3
#define DST_NODEID 21
#define DST_GEN 4

#ifndef FAN_RENAME
#define FAN_RENAME 0x10000000
#endif
#ifndef FAN_REPORT_TARGET_FID
#define FAN_REPORT_TARGET_FID 0x00001000
#endif
#ifndef FAN_EVENT_INFO_TYPE_OLD_DFID_NAME
#define FAN_EVENT_INFO_TYPE_OLD_DFID_NAME 10
#define FAN_EVENT_INFO_TYPE_NEW_DFID_NAME 12
#endif

static enum fc_verdict check_inotify(struct fc_ctx *ctx, struct srv *s, const struct rn_row *row,
				     int fd)
{
	struct ino_event ev[32];
	size_t n = 0;
	int from = 0, to = 0;
	uint32_t cookies[8] = {0};

	CHECK_ERR(ctx, ino_barrier(fd, s->base, fc_ms(ctx, 3000), ev, 32, &n), 0, "events up to a barrier");
	for (size_t i = 0; i < n; i++) {
		char m[96];

		fc_log(ctx, "event wd %d %s cookie %u name \"%s\"", ev[i].wd,
		       ino_mask_str(ev[i].mask, m, sizeof(m)), ev[i].cookie, ev[i].name);
		if (ev[i].mask & IN_MOVED_FROM) {
			CHECK(ctx, ev[i].cookie != 0, "IN_MOVED_FROM with cookie 0");
			if (from < 8)
				cookies[from] = ev[i].cookie;
			from++;
		}
		if (ev[i].mask & IN_MOVED_TO) {
			CHECK(ctx, ev[i].cookie != 0, "IN_MOVED_TO with cookie 0");
			/* A pair shares its cookie: the MOVED_TO matches the rename's MOVED_FROM. */
			if (row->expect_from && to < 8)
				CHECK(ctx, ev[i].cookie == cookies[to],
				      "IN_MOVED_TO cookie %u, its IN_MOVED_FROM had %u", ev[i].cookie,
				      cookies[to]);
			to++;
		}
	}
	CHECK(ctx, from == row->expect_from * row->renames, "%d IN_MOVED_FROM, want %d", from,
	      row->expect_from * row->renames);
	CHECK(ctx, to == row->expect_to * row->renames, "%d IN_MOVED_TO, want %d", to,
	      row->expect_to * row->renames);
	for (int i = 1; i < from && i < 8; i++)
		CHECK(ctx, cookies[i] != cookies[i - 1], "two renames shared cookie %u", cookies[i]);
	return fc_verdict(ctx);
}

static void check_dfid(struct fc_ctx *ctx, const struct fan_info_rec *r, uint64_t nodeid,
		       uint32_t gen, const char *name)
{
	struct fuse_fh fh;

	if (!CHECK_ERR(ctx, fuse_fh_decode(r->handle_type, r->handle, r->handle_bytes, &fh), 0,
		       "DFID decode"))
		return;
	CHECK(ctx, fh.nodeid == nodeid && fh.generation == gen,
	      "%s record names (%llu, %u), want (%llu, %u)", fan_info_type_name(r->type),
	      (unsigned long long)fh.nodeid, fh.generation, (unsigned long long)nodeid, gen);
	CHECK(ctx, !strcmp(r->name, name), "%s record name \"%s\", want \"%s\"",
	      fan_info_type_name(r->type), r->name, name);
	CHECK(ctx, r->fsid[0] == 0 && r->fsid[1] == 0, "FUSE reports fsid %d:%d, seen as 0:0",
	      r->fsid[0], r->fsid[1]);
}

static void check_fanotify(struct fc_ctx *ctx, struct srv *s, const struct rn_row *row, int fd)
{
	struct fan_event ev[8];
	size_t n = 0;
	int renames = 0;

	/* The sentinel's mark is on the mount's root, never renamed or marked here. */
	CHECK_ERR(ctx, fan_barrier(fd, srv_path(s, ""), fc_ms(ctx, 3000), ev, 8, &n), 0,
		  "events up to a barrier");
	for (size_t i = 0; i < n; i++) {
		const struct fan_info_rec *old = NULL, *new = NULL;

		for (size_t k = 0; k < ev[i].nrec; k++) {
			if (ev[i].rec[k].type == FAN_EVENT_INFO_TYPE_OLD_DFID_NAME)
				old = &ev[i].rec[k];
			if (ev[i].rec[k].type == FAN_EVENT_INFO_TYPE_NEW_DFID_NAME)
				new = &ev[i].rec[k];
		}
		fc_log(ctx, "event mask %#llx, %zu records", (unsigned long long)ev[i].mask, ev[i].nrec);
		for (size_t k = 0; k < ev[i].nrec; k++)
			fc_log(ctx, "  record %s name \"%s\"", fan_info_type_name(ev[i].rec[k].type),
			       ev[i].rec[k].name);
		if (!(ev[i].mask & FAN_RENAME))
			continue;
		renames++;
		CHECK(ctx, !!old == row->want_old, "OLD_DFID_NAME record %s, want %s",
		      old ? "present" : "absent", row->want_old ? "present" : "absent");
		CHECK(ctx, !!new == row->want_new, "NEW_DFID_NAME record %s, want %s",
		      new ? "present" : "absent", row->want_new ? "present" : "absent");
		if (old)
			check_dfid(ctx, old, SRC_NODEID, SRC_GEN, "a");
		if (new)
			check_dfid(ctx, new, row->cross_dir ? DST_NODEID : SRC_NODEID,
				   row->cross_dir ? DST_GEN : SRC_GEN, "b");
	}
	CHECK(ctx, renames == row->renames, "%d FAN_RENAME events, want %d", renames, row->renames);
}

/* The fixture: src and dst, src/a to rename, and the row's inotify or fanotify fd. */
static enum fc_verdict rn_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct rn_row *row = c->row;
	struct srv_opts o = {.entry_valid_ns = 10000000000ull};
	struct srv *s;
	static int fd;
	int err;

	s = ctx->srv = srv_start(ctx, &o);
	if (!s)
		return FC_FAIL;
	if (!srv_add(s, FUSE_ROOT_ID, "src", S_IFDIR | 0755, SRC_NODEID, SRC_GEN) ||
	    !srv_add(s, FUSE_ROOT_ID, "dst", S_IFDIR | 0755, DST_NODEID, DST_GEN) ||
	    !srv_add(s, SRC_NODEID, "a", S_IFREG | 0644, 0, 1)) {
		srv_teardown(ctx, c);
		return FC_FAIL;
	}
	if (row->api == RN_INOTIFY) {
		fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	} else {
		fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_REPORT_FID, O_RDONLY);
		if (fd < 0) {
			err = errno;
			srv_teardown(ctx, c);
			return fc_skip(ctx, "fanotify_init(FAN_REPORT_DFID_NAME): %s", fc_errname(err));
		}
	}
	ctx->fx = &fd;
	return FC_PASS;
}

/* The watching fd goes first, while the server still answers. */
static void rn_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	close(*(int *)ctx->fx);
	srv_teardown(ctx, c);
}

static const struct fc_fixture rename_fixture = {rn_setup, rn_teardown};

static enum fc_verdict run_rename(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct rn_row *row = c->row;
	struct srv *s = ctx->srv;
	int fd = *(int *)ctx->fx, err;

	for (int i = 0; i < 2; i++) {
		const char *dir = i ? "dst" : "src";
		int r;

		if (!(i ? row->watch_dst : row->watch_src))
			continue;
		if (row->api == RN_INOTIFY) {
			r = inotify_add_watch(fd, srv_path(s, dir), IN_MOVE) < 0 ? errno : 0;
		} else {
			r = fanotify_mark(fd, FAN_MARK_ADD, FAN_RENAME | FAN_ONDIR, AT_FDCWD,
					  srv_path(s, dir)) ? errno : 0;
			if (r && ku_fan_fid_refused(r))
				return fc_skip(ctx, "fanotify_mark(FAN_RENAME) on a FUSE directory: %s: %s",
					       fc_errname(r), ku_fan_fid_refused(r));
		}
		CHECK_ERR(ctx, r, 0, "watch");
	}
	if (ctx->fail_nth && !row->renames)
		fc_log(ctx, "the control makes no rename: fail-nth %d arms nothing", ctx->fail_nth);
	for (int k = 0; k < row->renames; k++) {
		const char *from = k % 2 ? (row->cross_dir ? "dst/b" : "src/b") : "src/a";
		const char *to = k % 2 ? "src/a" : (row->cross_dir ? "dst/b" : "src/b");
		char pfrom[256], pto[256];
		struct fc_armed arm = {0};

		snprintf(pfrom, sizeof(pfrom), "%s", srv_path(s, from));
		snprintf(pto, sizeof(pto), "%s", srv_path(s, to));
		/* The first rename is the syscall under test: --fail-nth arms it. */
		if (k == 0 && fc_arm(ctx, &arm))
			return FC_SKIP;
		err = rename(pfrom, pto) ? errno : 0;
		if (k == 0 && fc_fault_ends(ctx, &arm, err, 0, "the first rename"))
			return fc_verdict(ctx);
		CHECK(ctx, err == 0, "rename %s %s: %s", from, to, fc_errname(err));
	}
	if (row->api == RN_INOTIFY)
		check_inotify(ctx, s, row, fd);
	else
		check_fanotify(ctx, s, row, fd);
	return fc_verdict(ctx);
}

static const struct rn_row rename_rows[] = {
	{ FC_ROW("inotify_control_no_rename", "control: watches and no rename give no move event"),
	  .api = RN_INOTIFY, .watch_src = 1, .watch_dst = 1, .renames = 0 },
	{ FC_ROW("inotify_same_dir_pair",
		 "same-directory rename: MOVED_FROM and MOVED_TO share one non-zero cookie"),
	  .api = RN_INOTIFY, .watch_src = 1, .renames = 1, .expect_from = 1, .expect_to = 1 },
	{ FC_ROW("inotify_cross_dir_both_watched",
		 "cross-directory rename with both watched: a cookie pair"),
	  .api = RN_INOTIFY, .cross_dir = 1, .watch_src = 1, .watch_dst = 1, .renames = 1,
	  .expect_from = 1, .expect_to = 1 },
	{ FC_ROW("inotify_cross_dir_source_only",
		 "only the source watched: MOVED_FROM, and no MOVED_TO ever"),
	  .api = RN_INOTIFY, .cross_dir = 1, .watch_src = 1, .renames = 1, .expect_from = 1 },
	{ FC_ROW("inotify_cross_dir_destination_only",
		 "only the destination watched: MOVED_TO alone"),
	  .api = RN_INOTIFY, .cross_dir = 1, .watch_dst = 1, .renames = 1, .expect_to = 1 },
	{ FC_ROW("inotify_cookies_differ", "four renames, four distinct cookies"),
	  .api = RN_INOTIFY, .watch_src = 1, .renames = 4, .expect_from = 1, .expect_to = 1 },
	{ FC_ROW("fanotify_rename_control_no_rename",
		 "control: FAN_RENAME marks and no rename give no event"),
	  .api = RN_FANOTIFY, .watch_src = 1, .watch_dst = 1, .renames = 0 },
	{ FC_ROW("fanotify_rename_same_dir",
		 "FAN_RENAME in one directory: OLD and NEW DFID_NAME name (20, 3)"),
	  .api = RN_FANOTIFY, .watch_src = 1, .renames = 1, .want_old = 1, .want_new = 1 },
	{ FC_ROW("fanotify_rename_cross_dir_both_marked",
		 "FAN_RENAME with both directories marked: one event naming both ends"),
	  .api = RN_FANOTIFY, .cross_dir = 1, .watch_src = 1, .watch_dst = 1, .renames = 1,
	  .want_old = 1, .want_new = 1 },
	/*
	 * Seen on 6.18: with an inode mark on one directory only, FAN_RENAME
	 * carries only that directory's record (OLD for the source, NEW for
	 * the destination).  On FUSE, where filesystem marks are refused, a
	 * watcher of one directory therefore cannot learn the other end of a
	 * rename either: the one-record rename of fsn-1 must carry both ends
	 * and the kernel side must decide what each watcher may see.
	 */
	{ FC_ROW("fanotify_rename_cross_dir_source_only",
		 "FAN_RENAME, only the source marked: the event carries OLD_DFID_NAME alone"),
	  .api = RN_FANOTIFY, .cross_dir = 1, .watch_src = 1, .renames = 1, .want_old = 1 },
	{ FC_ROW("fanotify_rename_cross_dir_destination_only",
		 "FAN_RENAME, only the destination marked: the event carries NEW_DFID_NAME alone"),
	  .api = RN_FANOTIFY, .cross_dir = 1, .watch_dst = 1, .renames = 1, .want_new = 1 },
};
FC_FAMILY(rename_family, "rename", rename_rows, .needs = FC_NEED_KERNEL,
	  .labels = "kernel;rename;armed", .run = run_rename, .fixture = &rename_fixture)
