// SPDX-License-Identifier: GPL-2.0-only
/*
 * forget: lookup/forget accounting.  Every entry the server hands out
 * (LOOKUP, CREATE, MKDIR, SYMLINK, READDIRPLUS) adds one to the kernel's
 * nlookup of that nodeid; FORGET and BATCH_FORGET must give back exactly
 * that many, or a server that reuses nodeids after FORGET (as the review
 * of the remote-fsnotify RFC assumed servers do) reuses a live one.
 *
 * The stimulus that makes the kernel forget is drop_caches, an unlink, or
 * umount; the control row does the same lookups without a stimulus and
 * requires that no FORGET arrives, so a pass cannot come from a kernel
 * that forgets at random.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "kutil.h"
#include "server.h"

enum forget_stimulus {
	FG_NONE,        /* control: nothing should be forgotten */
	FG_DROP_CACHES,
	FG_UNLINK,
	FG_UMOUNT,
};

enum forget_workload {
	FG_STAT,        /* stat() each object `repeat` times */
	FG_READDIRPLUS, /* list the directory with READDIRPLUS */
	FG_CREATE,      /* create, mkdir, symlink through the mount */
};

/* The tree every row serves: a, b and d under the root, x under d. */
#define FG_A 2
#define FG_B 3
#define FG_D 4
#define FG_X 5

/* The row: what one case of this family varies. */
struct forget_row {
	struct fc_row fc;
	enum forget_workload workload;
	enum forget_stimulus stimulus;
	int repeat;
	uint64_t entry_valid_ns; /* 0: every stat revalidates with a LOOKUP */
};

static void make_tree(struct srv *s)
{
	srv_add(s, FUSE_ROOT_ID, "a", S_IFREG | 0644, FG_A, 1);
	srv_add(s, FUSE_ROOT_ID, "b", S_IFREG | 0644, FG_B, 1);
	if (srv_add(s, FUSE_ROOT_ID, "d", S_IFDIR | 0755, FG_D, 1))
		srv_add(s, FG_D, "x", S_IFREG | 0644, FG_X, 1);
}

static void do_workload(struct fc_ctx *ctx, struct srv *s, const struct forget_row *row)
{
	static const char *const paths[] = {"a", "b", "d", "d/x"};
	struct stat st;

	switch (row->workload) {
	case FG_STAT:
		for (int k = 0; k < row->repeat; k++)
			for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
				CHECK(ctx, stat(srv_path(s, paths[i]), &st) == 0, "stat %s: %s",
				      paths[i], fc_errname(errno));
		break;
	case FG_READDIRPLUS: {
		DIR *d = opendir(srv_path(s, NULL));
		struct dirent *e;
		int n = 0;

		if (!CHECK(ctx, d != NULL, "opendir: %s", fc_errname(errno)))
			break;
		while ((e = readdir(d)))
			n++;
		closedir(d);
		CHECK(ctx, n == 5, "readdir listed %d entries, want 5", n);
		CHECK(ctx, srv_count(s, FUSE_READDIRPLUS, FUSE_ROOT_ID, NULL) >= 1,
		      "no READDIRPLUS reached the server");
		break;
	}
	case FG_CREATE: {
		int fd = open(srv_path(s, "new"), O_CREAT | O_WRONLY, 0644);

		CHECK(ctx, fd >= 0, "create: %s", fc_errname(errno));
		if (fd >= 0)
			close(fd);
		CHECK(ctx, mkdir(srv_path(s, "newdir"), 0755) == 0, "mkdir: %s", fc_errname(errno));
		CHECK(ctx, symlink("target", srv_path(s, "newlink")) == 0, "symlink: %s",
		      fc_errname(errno));
		break;
	}
	}
}

static void report_nodes(struct fc_ctx *ctx, struct srv *s)
{
	srv_lock(s);
	for (int i = 1; i < s->tree.nnodes; i++) {
		const struct tree_node *n = s->tree.nodes[i];

		if (n->used && (n->lookups_total || n->nlookup))
			fc_log(ctx, "  nodeid %llu \"%s\": entries %llu, forgotten %llu, held %lld",
			       (unsigned long long)n->nodeid, n->name,
			       (unsigned long long)n->lookups_total,
			       (unsigned long long)n->forgets_total, (long long)n->nlookup);
	}
	srv_unlock(s);
}

/* The fixture: the tree, served with the row's entry timeout (and READDIRPLUS if it lists). */
static enum fc_verdict forget_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct forget_row *row = c->row;
	struct srv_opts o = {.entry_valid_ns = row->entry_valid_ns};

	if (row->workload == FG_READDIRPLUS)
		o.flags = FUSE_DO_READDIRPLUS;
	ctx->srv = srv_start(ctx, &o);
	if (!ctx->srv)
		return FC_FAIL;
	if (row->workload == FG_READDIRPLUS && !(ctx->srv->init_out.flags & FUSE_DO_READDIRPLUS)) {
		srv_teardown(ctx, c);
		return fc_skip(ctx, "kernel does not offer FUSE_DO_READDIRPLUS");
	}
	make_tree(ctx->srv);
	return FC_PASS;
}

/* A failed row shows each node's lookups and forgets before the last requests. */
static void forget_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	if (ctx->failures)
		report_nodes(ctx, ctx->srv);
	srv_teardown(ctx, c);
}

static const struct fc_fixture forget_fixture = {forget_setup, forget_teardown};

static enum fc_verdict run_forget(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct forget_row *row = c->row;
	struct srv *s = ctx->srv;
	int64_t given, left = 0;

	do_workload(ctx, s, row);
	given = ku_outstanding(s);
	CHECK(ctx, given > 0, "the workload handed out no entries");
	fc_log(ctx, "entries held by the kernel after the workload: %lld", (long long)given);

	switch (row->stimulus) {
	case FG_NONE:
		/* Control: without a stimulus the kernel keeps its inodes cached. */
		ku_quiet(fc_ms(ctx, 300));
		CHECK(ctx, srv_forgotten(s, 0) == 0, "%llu lookups forgotten with no stimulus",
		      (unsigned long long)srv_forgotten(s, 0));
		break;
	case FG_DROP_CACHES:
		CHECK(ctx, ku_wait_forgotten(s, 5000, &left) == 0,
		      "%lld lookups still held 5 s after drop_caches", (long long)left);
		break;
	case FG_UNLINK: {
		uint64_t id;
		struct tree_node *n;

		srv_lock(s);
		n = tree_lookup(&s->tree, FUSE_ROOT_ID, "a");
		id = n ? n->nodeid : 0;
		srv_unlock(s);
		CHECK(ctx, unlink(srv_path(s, "a")) == 0, "unlink: %s", fc_errname(errno));
		/* nlink 0 and no user: the inode is evicted at once, no drop_caches. */
		CHECK(ctx, srv_wait(s, FUSE_FORGET, id, NULL, 1, 2000) == 0,
		      "no FORGET of the unlinked nodeid %llu within 2 s", (unsigned long long)id);
		srv_lock(s);
		n = tree_get(&s->tree, id);
		CHECK(ctx, n && n->nlookup == 0, "unlinked nodeid %llu still holds %lld lookups",
		      (unsigned long long)id, n ? (long long)n->nlookup : -1LL);
		srv_unlock(s);
		break;
	}
	case FG_UMOUNT: {
		int err = srv_umount(s);

		CHECK_ERR(ctx, err, 0, "umount");
		/* Let the serve loop see the end of the connection. */
		srv_lock(s);
		for (int i = 0; i < 50 && s->running; i++) {
			srv_unlock(s);
			ku_quiet(20);
			srv_lock(s);
		}
		srv_unlock(s);
		left = ku_outstanding(s);
		fc_log(ctx, "after umount: %llu forgotten, %lld still held, read ended with %s",
		       (unsigned long long)srv_forgotten(s, 0), (long long)left,
		       fc_errname(s->read_err));
		/*
		 * Seen on 6.18 (FUSE 7.45) and on Debian's 6.1.0 (7.38, in vm/run):
		 * umount sends no FORGET at all.
		 * fuse_sb_destroy() ends the connection before kill_anon_super()
		 * evicts the inodes, so their forgets are queued on a dead
		 * connection and dropped; the server sees read() fail with ENODEV
		 * and must treat that as "every lookup forgotten".  A server that
		 * keeps nodeids reserved until FORGET would leak them across
		 * mounts.  If a kernel starts sending them, this case fails and
		 * says so: the counts must then balance exactly.
		 */
		CHECK_ERR(ctx, s->read_err, ENODEV, "read() after umount");
		if (srv_forgotten(s, 0) == 0)
			CHECK(ctx, left == given, "held %lld of %lld with no FORGET",
			      (long long)left, (long long)given);
		else
			CHECK(ctx, left == 0, "kernel now forgets at umount, but %lld of %lld remain",
			      (long long)left, (long long)given);
		CHECK(ctx, srv_forgotten(s, 0) == 0,
		      "FORGET at umount: %llu (6.1 and 6.18 send none; a behaviour change to record)",
		      (unsigned long long)srv_forgotten(s, 0));
		break;
	}
	}
	srv_lock(s);
	CHECK(ctx, s->tree.forget_unknown == 0, "%u FORGETs named a nodeid never handed out",
	      s->tree.forget_unknown);
	CHECK(ctx, s->tree.forget_excess == 0, "%u FORGETs gave back more than was handed out",
	      s->tree.forget_excess);
	srv_unlock(s);
	return fc_verdict(ctx);
}

static const struct forget_row forget_rows[] = {
	{ FC_ROW("control_no_stimulus", "control: lookups with no stimulus are not forgotten"),
	  .workload = FG_STAT, .stimulus = FG_NONE, .repeat = 3 },
	{ FC_ROW("stat_revalidate_drop_caches",
		 "entry timeout 0: every stat re-LOOKUPs; drop_caches forgets the sum of them"),
	  .workload = FG_STAT, .stimulus = FG_DROP_CACHES, .repeat = 5 },
	{ FC_ROW("stat_cached_drop_caches",
		 "entry timeout 10 s: one LOOKUP per name; drop_caches forgets exactly one each"),
	  .workload = FG_STAT, .stimulus = FG_DROP_CACHES, .repeat = 5,
	  .entry_valid_ns = 10000000000ull },
	{ FC_ROW("readdirplus_drop_caches",
		 "READDIRPLUS entries count as lookups and are forgotten like them"),
	  .workload = FG_READDIRPLUS, .stimulus = FG_DROP_CACHES, .repeat = 1 },
	{ FC_ROW("create_mkdir_symlink_drop_caches",
		 "CREATE, MKDIR and SYMLINK entries count as lookups and are forgotten"),
	  .workload = FG_CREATE, .stimulus = FG_DROP_CACHES, .repeat = 1 },
	{ FC_ROW("unlink_forgets_at_once",
		 "an unlinked, unused inode is forgotten without drop_caches"),
	  .workload = FG_STAT, .stimulus = FG_UNLINK, .repeat = 2 },
	{ FC_ROW("umount_sends_no_forget",
		 "umount ends the connection (ENODEV) without FORGET: "
		 "the server must drop all lookups"),
	  .workload = FG_STAT, .stimulus = FG_UMOUNT, .repeat = 3 },
};
FC_FAMILY(forget_family, "forget", forget_rows, .needs = FC_NEED_KERNEL | FC_NEED_DROP_CACHES,
	  .labels = "kernel;forget", .run = run_forget, .fixture = &forget_fixture)
