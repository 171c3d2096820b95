// SPDX-License-Identifier: GPL-2.0-only
/*
 * stale: LOOKUP returns a cached nodeid with another generation, or with
 * another file type.  fuse_iget() then marks the old inode bad ("nodeid
 * was reused, any I/O on the old inode should fail") and makes a new one.
 *
 * Checked: I/O through an fd opened on the old inode fails with EIO; the
 * new object is served; an inotify watch on the old inode receives no
 * event caused by the new object; what else the watch sees is pinned
 * below as observed on 6.18 and 6.1.  The control row answers the same LOOKUP with
 * the same generation: the fd keeps working and the watch keeps hearing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
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
enum stale_change { ST_NONE, ST_GENERATION, ST_TYPE };

struct stale_row {
	struct fc_row fc;
	enum stale_change change;
};

/* "a", the object whose identity changes, and its content. */
#define A_NODEID 10
#define STALE_DATA "hello"

/* The fixture: a server whose timeouts are 0 (every stat revalidates with LOOKUP), serving "a". */
static enum fc_verdict stale_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct srv_opts o = {0};
	struct tree_node *a;

	ctx->srv = srv_start(ctx, &o);
	if (!ctx->srv)
		return FC_FAIL;
	a = srv_add(ctx->srv, FUSE_ROOT_ID, "a", S_IFREG | 0644, A_NODEID, 1);
	if (!a) {
		srv_teardown(ctx, c);
		return FC_FAIL;
	}
	srv_lock(ctx->srv);
	memcpy(a->data, STALE_DATA, 5);
	a->datalen = 5;
	srv_unlock(ctx->srv);
	ctx->fx = a;
	return FC_PASS;
}

static const struct fc_fixture stale_fixture = {stale_setup, srv_teardown};

static enum fc_verdict run_stale(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct stale_row *row = c->row;
	struct srv *s = ctx->srv;
	struct tree_node *a = ctx->fx;
	struct ino_event ev[16];
	static struct fdinfo info;
	size_t n = 0;
	struct stat st;
	char buf[16];
	int fd, ifd, wd;
	ssize_t r;

	fd = open(srv_path(s, "a"), O_RDWR);
	ifd = inotify_init1(IN_CLOEXEC);
	wd = inotify_add_watch(ifd, srv_path(s, "a"), IN_ALL_EVENTS);
	if (!CHECK(ctx, fd >= 0 && ifd >= 0 && wd >= 0, "setup: open/inotify: %s", fc_errname(errno)))
		return FC_FAIL;

	srv_lock(s);
	if (row->change == ST_GENERATION)
		a->generation = 2;
	else if (row->change == ST_TYPE)
		a->attr.mode = S_IFDIR | 0755;
	srv_unlock(s);

	/* The revalidating LOOKUP meets the changed identity: the syscall under test. */
	{
		const char *p = srv_path(s, "a");
		struct fc_armed arm;
		int err;

		if (fc_arm(ctx, &arm))
			return FC_SKIP;
		err = stat(p, &st) ? errno : 0;
		if (fc_fault_ends(ctx, &arm, err, 0, "the revalidating stat of a"))
			return fc_verdict(ctx);
		CHECK_ERR(ctx, err, 0, "stat after the change");
	}
	if (row->change == ST_TYPE)
		CHECK(ctx, S_ISDIR(st.st_mode), "stat shows mode %o, want the new directory", st.st_mode);

	r = pread(fd, buf, sizeof(buf), 0);
	if (row->change == ST_NONE)
		CHECK(ctx, r == 5, "read on the unchanged inode: %s", r < 0 ? fc_errname(errno) : "short");
	else
		CHECK(ctx, r < 0 && errno == EIO, "read through the old fd: %s, want EIO",
		      r < 0 ? fc_errname(errno) : "success");
	r = pwrite(fd, "x", 1, 0);
	if (row->change != ST_NONE)
		CHECK(ctx, r < 0 && errno == EIO, "write through the old fd: %s, want EIO",
		      r < 0 ? fc_errname(errno) : "success");

	/*
	 * Seen on 6.18 and 6.1: the watch on the bad inode stays; the kernel sends it
	 * nothing (no IN_IGNORED, no IN_DELETE_SELF) when the inode goes bad,
	 * since the inode is only unhashed, not evicted, while the mark holds
	 * it.  A watcher is never told that its object was replaced.
	 */
	CHECK_ERR(ctx, ino_barrier(ifd, s->base, fc_ms(ctx, 2000), ev, 16, &n), 0,
		  "events up to a barrier");
	for (size_t i = 0; i < n; i++) {
		char m[128];

		fc_log(ctx, "old watch event: wd %d %s", ev[i].wd, ino_mask_str(ev[i].mask, m, sizeof(m)));
		if (row->change != ST_NONE)
			CHECK(ctx, !(ev[i].mask & (IN_MODIFY | IN_IGNORED | IN_DELETE_SELF)),
			      "the old watch got %s after the identity changed", m);
	}

	if (row->change != ST_TYPE) {
		/* The new object is modified; only the control's watch may hear it. */
		CHECK_ERR(ctx, ku_write_file(srv_path(s, "a"), "new"), 0, "write through a new open");
		n = 0;
		CHECK_ERR(ctx, ino_barrier(ifd, s->base, fc_ms(ctx, 2000), ev, 16, &n), 0,
			  "events up to a barrier");
		{
			int modified = 0;

			for (size_t i = 0; i < n; i++)
				modified |= ev[i].wd == wd && (ev[i].mask & IN_MODIFY);
			if (row->change == ST_NONE)
				CHECK(ctx, modified, "control: the watch did not hear IN_MODIFY");
			else
				CHECK(ctx, !modified,
				      "an event of the new (nodeid %d, generation 2) reached the watch on generation 1",
				      A_NODEID);
		}
	}

	/* fdinfo keeps naming the old identity: the watch is on the old inode. */
	if (CHECK_ERR(ctx, fdinfo_read(getpid(), ifd, &info, NULL, 0, NULL), 0, "fdinfo") &&
	    CHECK(ctx, info.nmarks == 1, "%zu watch lines", info.nmarks)) {
		struct fuse_fh fh;

		if (CHECK_ERR(ctx, fdinfo_mark_fuse_fh(&info.marks[0], &fh), 0, "handle decode"))
			CHECK(ctx, fh.nodeid == A_NODEID && fh.generation == 1,
			      "watch handle names (%llu, %u), want the old (%d, 1)",
			      (unsigned long long)fh.nodeid, fh.generation, A_NODEID);
	}
	close(fd);
	close(ifd);
	return fc_verdict(ctx);
}

static const struct stale_row stale_rows[] = {
	{ FC_ROW("control_same_generation",
		 "control: the same generation keeps the fd and the watch working"),
	  .change = ST_NONE },
	{ FC_ROW("generation_changed",
		 "a new generation for a cached nodeid: old fd EIO, old watch deaf to the new object"),
	  .change = ST_GENERATION },
	{ FC_ROW("file_type_changed",
		 "a new file type for a cached nodeid: old fd EIO, old watch told nothing"),
	  .change = ST_TYPE },
};
FC_FAMILY(stale_family, "stale", stale_rows, .needs = FC_NEED_KERNEL,
	  .labels = "kernel;stale;armed", .run = run_stale, .fixture = &stale_fixture)
