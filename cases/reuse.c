// SPDX-License-Identifier: GPL-2.0-only
/*
 * reuse: the server gives a nodeid to a different object with a new
 * generation.  The review of the remote-fsnotify RFC turned on this:
 * "64bit inode is not a good unique identifier of the object", because
 * servers reuse nodeids once the kernel has forgotten them.
 *
 * after_forget rows: the kernel forgot nodeid N (FORGET seen), the server
 * hands N to a new object with generation 2; inotify fdinfo handles and
 * fanotify FIDs (fdinfo and events) must name (N, 2).
 *
 * while_watched rows: the server reuses N while a watch still pins the old
 * object (the kernel has NOT forgotten it: a server bug, or a server that
 * trusted a nodeid-only protocol).  No event of the new object may reach
 * the watch on the old one; a second watch on the new object must hear it,
 * which is the positive evidence that the event happened at all.
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
#include "fdinfo.h"
#include "kutil.h"
#include "server.h"

/* The row: what one case of this family varies. */
enum reuse_when { RU_AFTER_FORGET, RU_WHILE_WATCHED };
enum reuse_api { RU_INOTIFY, RU_FANOTIFY };

struct reuse_row {
	struct fc_row fc;
	enum reuse_when when;
	enum reuse_api api;
};

/* The nodeid the server reuses. */
#define RU_NODEID 10

#define N RU_NODEID

/* Watch path; returns the wd (inotify) or 0 (fanotify), or -errno. */
static int watch(int fd, enum reuse_api api, const char *path)
{
	if (api == RU_INOTIFY) {
		int wd = inotify_add_watch(fd, path, IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF);

		return wd < 0 ? -errno : wd;
	}
	return fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY, AT_FDCWD, path) ? -errno : 0;
}

static void check_fdinfo_names(struct fc_ctx *ctx, int fd, uint32_t gen_old_watch, int nmarks)
{
	static struct fdinfo info;
	int have_new = 0, have_old = 0;

	if (!CHECK_ERR(ctx, fdinfo_read(getpid(), fd, &info, NULL, 0, NULL), 0, "fdinfo"))
		return;
	CHECK(ctx, info.nmarks == (size_t)nmarks, "%zu mark lines, want %d", info.nmarks, nmarks);
	for (size_t i = 0; i < info.nmarks; i++) {
		struct fuse_fh fh;

		if (!CHECK_ERR(ctx, fdinfo_mark_fuse_fh(&info.marks[i], &fh), 0, "handle decode"))
			continue;
		CHECK(ctx, fh.nodeid == N, "mark names nodeid %llu, want %d",
		      (unsigned long long)fh.nodeid, N);
		have_new |= fh.generation == 2;
		have_old |= fh.generation == gen_old_watch && gen_old_watch != 2;
	}
	CHECK(ctx, have_new, "no mark names the new (%d, 2)", N);
	if (nmarks > 1)
		CHECK(ctx, have_old, "no mark names the old (%d, %u)", N, gen_old_watch);
}

/* The fixture: a server serving "a", (N, 1), the object whose nodeid is reused. */
static enum fc_verdict reuse_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct srv_opts o = {0};

	ctx->srv = srv_start(ctx, &o);
	if (!ctx->srv)
		return FC_FAIL;
	if (!srv_add(ctx->srv, FUSE_ROOT_ID, "a", S_IFREG | 0644, N, 1)) {
		srv_teardown(ctx, c);
		return FC_FAIL;
	}
	return FC_PASS;
}

static const struct fc_fixture reuse_fixture = {reuse_setup, srv_teardown};

static enum fc_verdict run_reuse(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct reuse_row *row = c->row;
	struct srv *s = ctx->srv;
	struct stat st;
	int fd, wd_old = -1, wd_new;

	fd = row->api == RU_INOTIFY ? inotify_init1(IN_CLOEXEC | IN_NONBLOCK)
				    : fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY);
	if (fd < 0)
		return fc_skip(ctx, "%s: %s",
			       row->api == RU_INOTIFY ? "inotify_init1" : "fanotify_init",
			       fc_errname(errno));
	CHECK(ctx, stat(srv_path(s, "a"), &st) == 0, "stat a: %s", fc_errname(errno));

	if (row->when == RU_AFTER_FORGET) {
		/* The kernel lets go of (N, 1): only then may a server reuse N. */
		CHECK(ctx, unlink(srv_path(s, "a")) == 0, "unlink a: %s", fc_errname(errno));
		CHECK(ctx, srv_wait(s, FUSE_FORGET, N, NULL, 1, 2000) == 0,
		      "nodeid %d was never forgotten", N);
	} else {
		wd_old = watch(fd, row->api, srv_path(s, "a"));
		if (wd_old < 0 && row->api == RU_FANOTIFY && ku_fan_fid_refused(-wd_old)) {
			close(fd);
			return fc_skip(ctx, "fanotify_mark with FAN_REPORT_FID on FUSE: %s: %s",
				       fc_errname(-wd_old), ku_fan_fid_refused(-wd_old));
		}
		CHECK(ctx, wd_old >= 0, "watch a: %s", fc_errname(-wd_old));
		/* The server drops a behind the kernel's back. */
		srv_lock(s);
		tree_detach(tree_lookup(&s->tree, FUSE_ROOT_ID, "a"));
		srv_unlock(s);
	}
	srv_lock(s);
	CHECK(ctx, tree_reuse(&s->tree, N, FUSE_ROOT_ID, "b", S_IFREG | 0644, 2) != NULL, "reuse");
	srv_unlock(s);

	{
		/* The syscall under test: --fail-nth arms it (client/failnth.h). */
		const char *b = srv_path(s, "b");
		struct fc_armed a;

		if (fc_arm(ctx, &a)) {
			close(fd);
			return FC_SKIP;
		}
		wd_new = watch(fd, row->api, b);
		if (fc_fault_ends(ctx, &a, wd_new < 0 ? -wd_new : 0, 0, "the watch on b"))
			goto out;
	}
	if (wd_new < 0 && row->api == RU_FANOTIFY && ku_fan_fid_refused(-wd_new)) {
		close(fd);
		return fc_skip(ctx, "fanotify_mark with FAN_REPORT_FID on FUSE: %s: %s",
			       fc_errname(-wd_new), ku_fan_fid_refused(-wd_new));
	}
	if (!CHECK(ctx, wd_new >= 0, "watch b: %s", fc_errname(-wd_new)))
		goto out;
	check_fdinfo_names(ctx, fd, row->when == RU_WHILE_WATCHED ? 1 : 2,
			   row->when == RU_WHILE_WATCHED ? 2 : 1);

	CHECK_ERR(ctx, ku_write_file(srv_path(s, "b"), "new"), 0, "write to b");
	if (row->api == RU_INOTIFY) {
		struct ino_event ev[16];
		size_t n = 0;
		int heard_new = 0;

		CHECK_ERR(ctx, ino_barrier(fd, s->base, fc_ms(ctx, 2000), ev, 16, &n), 0,
			  "events up to a barrier");
		for (size_t i = 0; i < n; i++) {
			char m[96];

			fc_log(ctx, "event: wd %d %s", ev[i].wd, ino_mask_str(ev[i].mask, m, sizeof(m)));
			heard_new |= ev[i].wd == wd_new && (ev[i].mask & IN_MODIFY);
			CHECK(ctx, wd_old < 0 || ev[i].wd != wd_old,
			      "the watch on (%d, 1) received %s caused by (%d, 2)", N, m, N);
		}
		CHECK(ctx, heard_new, "the watch on the new object heard no IN_MODIFY");
	} else {
		struct fan_event ev[8];
		size_t n = 0;
		int heard = 0;

		/* The sentinel's mark is on the mount's root: a and b are files. */
		CHECK_ERR(ctx, fan_barrier(fd, srv_path(s, ""), fc_ms(ctx, 2000), ev, 8, &n), 0,
			  "events up to a barrier");
		for (size_t i = 0; i < n; i++) {
			struct fuse_fh fh;

			if (ev[i].fd >= 0)
				close(ev[i].fd);
			if (!CHECK(ctx, ev[i].nrec >= 1 && ev[i].rec[0].type == FAN_EVENT_INFO_TYPE_FID,
				   "event without a FID record"))
				continue;
			if (!CHECK_ERR(ctx, fuse_fh_decode(ev[i].rec[0].handle_type, ev[i].rec[0].handle,
							   ev[i].rec[0].handle_bytes, &fh),
				       0, "FID decode"))
				continue;
			fc_log(ctx, "event mask %#llx FID (%llu, %u)", (unsigned long long)ev[i].mask,
			       (unsigned long long)fh.nodeid, fh.generation);
			CHECK(ctx, fh.nodeid == N && fh.generation == 2,
			      "FID names (%llu, %u), the object modified is (%d, 2)",
			      (unsigned long long)fh.nodeid, fh.generation, N);
			heard |= (ev[i].mask & FAN_MODIFY) != 0;
		}
		CHECK(ctx, heard, "no FAN_MODIFY for the new object");
	}
out:
	close(fd);
	return fc_verdict(ctx);
}

static const struct reuse_row reuse_rows[] = {
	{ FC_ROW("after_forget_inotify",
		 "nodeid reused after FORGET: the inotify handle names (N, 2)"),
	  .when = RU_AFTER_FORGET, .api = RU_INOTIFY },
	{ FC_ROW("after_forget_fanotify_fid",
		 "nodeid reused after FORGET: fanotify fdinfo and event FIDs name (N, 2)"),
	  .when = RU_AFTER_FORGET, .api = RU_FANOTIFY },
	{ FC_ROW("while_watched_inotify",
		 "nodeid reused under a live watch: no event of (N, 2) reaches the watch on "
		 "(N, 1)"),
	  .when = RU_WHILE_WATCHED, .api = RU_INOTIFY },
	{ FC_ROW("while_watched_fanotify_fid",
		 "nodeid reused under a live fanotify mark: events carry (N, 2), fdinfo shows "
		 "both"),
	  .when = RU_WHILE_WATCHED, .api = RU_FANOTIFY },
};
FC_FAMILY(reuse_family, "reuse", reuse_rows, .needs = FC_NEED_KERNEL,
	  .labels = "kernel;reuse;armed", .run = run_reuse, .fixture = &reuse_fixture)
