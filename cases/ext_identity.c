// SPDX-License-Identifier: GPL-2.0-only
/*
 * ext/identity: the review's first objection, "64bit inode is not a good
 * unique identifier of the object".  A notification that names an object
 * by an identity the kernel no longer holds must reach no watch:
 *   reuse:  nodeid N was forgotten and reused as (N, G2); a late event for
 *           (N, G1) must not reach the watch on (N, G2);
 *   stale:  a generation other than the cached one is dropped with the
 *           profile's errno;
 *   unknown: a nodeid the kernel never cached gets the profile's errno.
 * Each row also sends the correct identity and requires delivery, so a
 * model that drops everything cannot pass.
 */
#include <errno.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "ext_common.h"

enum id_kind { ID_REUSE, ID_STALE_OLDER, ID_STALE_NEWER, ID_STALE_HIGH_BITS, ID_UNKNOWN_NODEID,
	       ID_BAD_INODE_WATCH };

struct id_row {
	struct ext_row ext;
	enum id_kind kind;
};

#define N 5

static enum fc_verdict run_identity(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct id_row *row = c->row;
	struct ext_env *e = ctx->fx;
	struct ino_event ev[16];
	struct fsn_notify n;
	uint64_t gen_now = 3, gen_wrong = 0;
	int id, wd = 0, err, want;
	size_t nev;

	id = fcl_inotify_init(e->cl);
	switch (row->kind) {
	case ID_REUSE:
		/* (N, 1) is looked up, then forgotten: only then may the server reuse N. */
		if (ext_object(e, FUSE_ROOT_ID, "a", S_IFREG | 0644, N, 1))
			return fc_verdict(ctx);
		CHECK_ERR(ctx, fcl_evict(e->cl, N), 0, "evict (N, 1)");
		srv_lock(e->s);
		tree_detach(tree_lookup(&e->s->tree, FUSE_ROOT_ID, "a"));
		srv_unlock(e->s);
		if (ext_object(e, FUSE_ROOT_ID, "b", S_IFREG | 0644, N, 2))
			return fc_verdict(ctx);
		gen_now = 2;
		gen_wrong = 1;
		break;
	case ID_STALE_OLDER:
	case ID_STALE_NEWER:
	case ID_UNKNOWN_NODEID:
		if (ext_object(e, FUSE_ROOT_ID, "a", S_IFREG | 0644, N, 3))
			return fc_verdict(ctx);
		gen_wrong = row->kind == ID_STALE_OLDER ? 2 : 4;
		break;
	case ID_STALE_HIGH_BITS:
		/* The generation is 64 bits (fuse_entry_out); i_generation keeps 32 of them. */
		gen_now = (UINT64_C(1) << 32) | 3;
		if (ext_object(e, FUSE_ROOT_ID, "a", S_IFREG | 0644, N, gen_now))
			return fc_verdict(ctx);
		gen_wrong = 3;
		break;
	case ID_BAD_INODE_WATCH:
		/* The watch is on (N, 3); the server changes the generation under it. */
		if (ext_object(e, FUSE_ROOT_ID, "a", S_IFREG | 0644, N, 3))
			return fc_verdict(ctx);
		break;
	}
	if (row->kind == ID_BAD_INODE_WATCH) {
		uint64_t got = 0, nid = 0;

		CHECK_ERR(ctx, fcl_add_watch(e->cl, id, N, IN_MODIFY, &wd), 0, "watch (N, 3)");
		srv_lock(e->s);
		tree_lookup(&e->s->tree, FUSE_ROOT_ID, "a")->generation = 4;
		srv_unlock(e->s);
		CHECK_ERR(ctx, fcl_lookup(e->cl, FUSE_ROOT_ID, "a", &nid, &got), 0, "re-lookup");
		CHECK(ctx, got == 4, "re-lookup gave generation %llu", (unsigned long long)got);
		/* Positive evidence: a watch on the new inode (N, 4) hears the same event. */
		{
			int id_new = fcl_inotify_init(e->cl), wd_new = 0;

			CHECK_ERR(ctx, fcl_add_watch(e->cl, id_new, N, IN_MODIFY, &wd_new), 0,
				  "watch (N, 4)");
			ext_event(e, &n, N, 4, IN_MODIFY, NULL, 0);
			CHECK_ERR(ctx, ext_send(e, &n), 0, "EVENT for (N, 4)");
			nev = ext_read(e, id, ev, 16);
			ext_log_events(e, ev, nev);
			CHECK(ctx, nev == 0, "an event of (N, 4) reached the watch on the bad inode (N, 3)");
			nev = ext_read(e, id_new, ev, 16);
			CHECK(ctx, nev == 1 && ev[0].wd == wd_new && (ev[0].mask & IN_MODIFY),
			      "the watch on the live (N, 4) heard %zu events, want its IN_MODIFY", nev);
		}
		return fc_verdict(ctx);
	}
	CHECK_ERR(ctx, fcl_add_watch(e->cl, id, N, IN_MODIFY, &wd), 0, "watch the live object");

	/* The wrong identity first: nothing may be delivered. */
	ext_event(e, &n, row->kind == ID_UNKNOWN_NODEID ? 99 : N, gen_wrong, IN_MODIFY, NULL, 0);
	err = ext_send(e, &n);
	/* The errno a correct receive side gives: the profile's, or fsn-1's where it has none. */
	if (row->kind == ID_UNKNOWN_NODEID)
		want = e->p->err_unknown_nodeid ? e->p->err_unknown_nodeid : ENOENT;
	else
		want = e->p->err_stale_generation ? e->p->err_stale_generation : ESTALE;
	CHECK_ERR(ctx, err, want, "write of a notification naming an identity the kernel does not hold");
	nev = ext_read(e, id, ev, 16);
	ext_log_events(e, ev, nev);
	CHECK(ctx, nev == 0, "%zu events reached the watch on (%d, %llu) from a notification for "
			     "another identity", nev, N, (unsigned long long)gen_now);

	/* Then the right identity: it must be delivered (the positive control). */
	ext_event(e, &n, N, gen_now, IN_MODIFY, NULL, 0);
	CHECK_ERR(ctx, ext_send(e, &n), 0, "write of the correct identity");
	nev = ext_read(e, id, ev, 16);
	CHECK(ctx, nev == 1 && ev[0].wd == wd && (ev[0].mask & IN_MODIFY),
	      "the correct identity delivered %zu events, want 1 IN_MODIFY", nev);
	return fc_verdict(ctx);
}

static const struct id_row identity_rows[] = {
	{ EXT_ROW("nodeid_reuse",
		  "an event for forgotten (N, 1) never reaches the watch on reused (N, 2)",
		  .xfail = {XF_NO_GENERATION}),
	  .kind = ID_REUSE },
	{ EXT_ROW("stale_generation_older",
		  "a generation older than the cached one is dropped with ESTALE",
		  .xfail = {XF_NO_GENERATION}),
	  .kind = ID_STALE_OLDER },
	{ EXT_ROW("stale_generation_newer",
		  "a generation newer than the cached one is dropped with ESTALE",
		  .xfail = {XF_NO_GENERATION}),
	  .kind = ID_STALE_NEWER },
	{ EXT_ROW("stale_generation_high_bits",
		  "a generation that differs only above bit 31 is another object: ESTALE",
		  .xfail = {XF_NO_GENERATION, "gen-2021 carries 32 bits of the generation: objects "
					      "that differ above bit 31 are one"}),
	  .kind = ID_STALE_HIGH_BITS },
	{ EXT_ROW("unknown_nodeid", "a nodeid the kernel never cached gets the profile's errno",
		  .xfail = {XF_VERDICT_DISCARDED}),
	  .kind = ID_UNKNOWN_NODEID },
	{ EXT_ROW("watch_on_bad_inode",
		  "after a generation change the old inode's watch hears nothing"),
	  .kind = ID_BAD_INODE_WATCH },
};
FC_FAMILY(ext_identity_family, "ext/identity", identity_rows, .variants = ext_variants,
	  .nvariants = EXT_NVARIANTS, .run = run_identity, .precheck = ext_precheck,
	  .fixture = &ext_fixture)
