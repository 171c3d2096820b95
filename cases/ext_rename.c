// SPDX-License-Identifier: GPL-2.0-only
/*
 * ext/rename: the review's rename objection.  A cookie pair
 * (IN_MOVED_FROM + IN_MOVED_TO) made by the server cannot be checked or
 * paired by the kernel, and when one directory is unwatched half of it is
 * all a watcher gets; fsn-1 carries ONE record naming both ends and the
 * kernel makes the cookie, and fanotify gets FAN_RENAME with both records.
 *
 * Each row states what a correct kernel side delivers; profiles whose
 * encoding cannot express a row skip it with that reason, and profiles
 * whose encoding gets it wrong carry the reason as an expected failure.
 */
#include <errno.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "ext_common.h"

#ifndef FAN_EVENT_INFO_TYPE_OLD_DFID_NAME
#define FAN_EVENT_INFO_TYPE_OLD_DFID_NAME 10
#define FAN_EVENT_INFO_TYPE_NEW_DFID_NAME 12
#endif

enum rn_kind {
	RN_FROM_WITHOUT_TO,  /* destination unwatched */
	RN_TO_WITHOUT_FROM,  /* source unwatched */
	RN_ZERO_COOKIE,      /* cookie-pair: a move event with cookie 0 */
	RN_DUPLICATE_COOKIE, /* cookie-pair: two MOVED_FROM share a cookie */
	RN_COOKIE_REUSED,    /* two renames, each a complete pair, one cookie */
	RN_ONE_RECORD_PAIR,  /* one-record: both watched, one complete pair */
	RN_FAN_RENAME,       /* one-record: both marked, ONE FAN_RENAME with both records */
	RN_FAN_RENAME_ONE_SIDE, /* one-record: only src marked, only the OLD record (as 6.18) */
};

struct rn_row {
	struct ext_row ext;
	enum rn_kind kind;
};

#define SRC 20
#define SRC_GEN 3
#define DST 21
#define DST_GEN 4
#define CHILD 22

/* Send the rename src/a -> dst/b the profile's way, with the server's cookie. */
static void send_rename(struct ext_env *e, uint32_t cookie, const char *from, const char *to)
{
	struct fsn_notify n;

	if (e->p->rename == FSN_RENAME_ONE_RECORD) {
		memset(&n, 0, sizeof(n));
		n.kind = FSN_REC_RENAME;
		n.has_generation = true;
		n.src_parent = (struct fsn_object){SRC, SRC_GEN};
		n.dst_parent = (struct fsn_object){DST, DST_GEN};
		n.child = (struct fsn_object){CHILD, 1};
		n.src_name.name = from;
		n.src_name.namelen = (uint32_t)strlen(from);
		n.dst_name.name = to;
		n.dst_name.namelen = (uint32_t)strlen(to);
		CHECK_ERR(e->ctx, ext_send(e, &n), 0, "RENAME record");
		return;
	}
	ext_event(e, &n, SRC, SRC_GEN, IN_MOVED_FROM, from, cookie);
	CHECK_ERR(e->ctx, ext_send(e, &n), 0, "IN_MOVED_FROM");
	ext_event(e, &n, DST, DST_GEN, IN_MOVED_TO, to, cookie);
	CHECK_ERR(e->ctx, ext_send(e, &n), 0, "IN_MOVED_TO");
}

static int count(const struct ino_event *ev, size_t n, uint32_t mask)
{
	int k = 0;

	for (size_t i = 0; i < n; i++)
		k += (ev[i].mask & mask) != 0;
	return k;
}

static enum fc_verdict run_rename(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct rn_row *row = c->row;
	struct ext_env *e = ctx->fx;
	bool one_record = e->p->rename == FSN_RENAME_ONE_RECORD;
	struct ino_event ev[16];
	struct fsn_notify n;
	int id, wd_src = 0, wd_dst = 0;
	size_t nev;

	if (!one_record && (row->kind == RN_ONE_RECORD_PAIR || row->kind == RN_FAN_RENAME ||
			    row->kind == RN_FAN_RENAME_ONE_SIDE))
		return fc_skip(ctx, "%s encodes a rename as a cookie pair: no one-record rename",
			       e->p->name);
	if (one_record && (row->kind == RN_ZERO_COOKIE || row->kind == RN_DUPLICATE_COOKIE))
		return fc_skip(ctx, "%s carries no cookie on the wire: the kernel makes it",
			       e->p->name);
	if (ext_object(e, FUSE_ROOT_ID, "src", S_IFDIR | 0755, SRC, SRC_GEN) ||
	    ext_object(e, FUSE_ROOT_ID, "dst", S_IFDIR | 0755, DST, DST_GEN))
		return fc_verdict(ctx);
	id = fcl_inotify_init(e->cl);
	if (row->kind != RN_TO_WITHOUT_FROM && row->kind != RN_FAN_RENAME &&
	    row->kind != RN_FAN_RENAME_ONE_SIDE)
		CHECK_ERR(ctx, fcl_add_watch(e->cl, id, SRC, IN_MOVE, &wd_src), 0, "watch src");
	if (row->kind != RN_FROM_WITHOUT_TO && row->kind != RN_FAN_RENAME &&
	    row->kind != RN_FAN_RENAME_ONE_SIDE)
		CHECK_ERR(ctx, fcl_add_watch(e->cl, id, DST, IN_MOVE, &wd_dst), 0, "watch dst");

	switch (row->kind) {
	case RN_FROM_WITHOUT_TO:
	case RN_TO_WITHOUT_FROM:
		send_rename(e, 77, "a", "b");
		nev = ext_read(e, id, ev, 16);
		ext_log_events(e, ev, nev);
		if (row->kind == RN_FROM_WITHOUT_TO)
			CHECK(ctx, nev == 1 && ev[0].wd == wd_src && (ev[0].mask & IN_MOVED_FROM) &&
				   ev[0].cookie && !strcmp(ev[0].name, "a"),
			      "want exactly one IN_MOVED_FROM \"a\" with a cookie, and no IN_MOVED_TO");
		else
			CHECK(ctx, nev == 1 && ev[0].wd == wd_dst && (ev[0].mask & IN_MOVED_TO) &&
				   ev[0].cookie && !strcmp(ev[0].name, "b"),
			      "want exactly one IN_MOVED_TO \"b\" with a cookie, and no IN_MOVED_FROM");
		break;
	case RN_ZERO_COOKIE: {
		int err;

		ext_event(e, &n, SRC, SRC_GEN, IN_MOVED_FROM, "a", 0);
		err = ext_send(e, &n);
		nev = ext_read(e, id, ev, 16);
		ext_log_events(e, ev, nev);
		CHECK(ctx, err == EINVAL && nev == 0,
		      "a move event with cookie 0 was %s and delivered %zu events; a correct kernel "
		      "refuses it (EINVAL): inotify(7) readers pair by cookie",
		      err ? fc_errname(err) : "accepted", nev);
		break;
	}
	case RN_DUPLICATE_COOKIE:
		ext_event(e, &n, SRC, SRC_GEN, IN_MOVED_FROM, "a", 9);
		ext_send(e, &n);
		ext_event(e, &n, SRC, SRC_GEN, IN_MOVED_FROM, "c", 9);
		ext_send(e, &n);
		ext_event(e, &n, DST, DST_GEN, IN_MOVED_TO, "b", 9);
		ext_send(e, &n);
		nev = ext_read(e, id, ev, 16);
		ext_log_events(e, ev, nev);
		CHECK(ctx, count(ev, nev, IN_MOVED_FROM) <= 1,
		      "two IN_MOVED_FROM share one cookie: a reader cannot tell which was moved");
		break;
	case RN_COOKIE_REUSED:
	case RN_ONE_RECORD_PAIR: {
		int renames = row->kind == RN_COOKIE_REUSED ? 2 : 1;

		send_rename(e, 7, "a", "b");
		if (renames == 2)
			send_rename(e, 7, "b", "a");
		nev = ext_read(e, id, ev, 16);
		ext_log_events(e, ev, nev);
		CHECK(ctx, count(ev, nev, IN_MOVED_FROM) == renames &&
			   count(ev, nev, IN_MOVED_TO) == renames,
		      "%d renames gave %d IN_MOVED_FROM and %d IN_MOVED_TO", renames,
		      count(ev, nev, IN_MOVED_FROM), count(ev, nev, IN_MOVED_TO));
		for (size_t i = 0; i + 1 < nev; i += 2)
			CHECK(ctx, ev[i].cookie && ev[i].cookie == ev[i + 1].cookie,
			      "a pair's cookies differ or are 0: %u, %u", ev[i].cookie, ev[i + 1].cookie);
		if (renames == 2 && nev == 4)
			CHECK(ctx, ev[0].cookie != ev[2].cookie,
			      "two renames share cookie %u: a reader pairs across renames", ev[0].cookie);
		break;
	}
	case RN_FAN_RENAME:
	case RN_FAN_RENAME_ONE_SIDE: {
		struct fan_event fev[4];
		size_t nf = 0, want = row->kind == RN_FAN_RENAME ? 2 : 1;
		int fid = fcl_fanotify_init(e->cl);
		struct fuse_fh fh;

		if (!CHECK(ctx, fid >= 0, "fanotify_init: %s", fc_errname(-fid)))
			break;
		CHECK_ERR(ctx, fcl_fan_mark(e->cl, fid, SRC, FSN_FS_RENAME), 0, "mark src");
		if (row->kind == RN_FAN_RENAME)
			CHECK_ERR(ctx, fcl_fan_mark(e->cl, fid, DST, FSN_FS_RENAME), 0, "mark dst");
		send_rename(e, 0, "a", "b");
		CHECK_ERR(ctx, fcl_fan_read(e->cl, fid, fev, 4, &nf), 0, "fanotify read");
		if (!CHECK(ctx, nf == 1 && fev[0].nrec == want,
			   "%zu FAN_RENAME events (%zu records), want 1 with %zu DFID_NAME record(s)", nf,
			   nf ? fev[0].nrec : 0, want))
			break;
		if (want == 1)
			CHECK(ctx, fev[0].rec[0].type == FAN_EVENT_INFO_TYPE_OLD_DFID_NAME,
			      "only the source is marked, but the record is type %d", fev[0].rec[0].type);
		for (size_t k = 0; k < want; k++) {
			const struct fan_info_rec *r = &fev[0].rec[k];
			bool old = r->type == FAN_EVENT_INFO_TYPE_OLD_DFID_NAME;

			CHECK(ctx, old || r->type == FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, "record type %d",
			      r->type);
			if (!CHECK_ERR(ctx, fuse_fh_decode(r->handle_type, r->handle, r->handle_bytes, &fh),
				       0, "handle"))
				continue;
			CHECK(ctx, fh.nodeid == (old ? SRC : DST) &&
				   fh.generation == (old ? SRC_GEN : DST_GEN) &&
				   !strcmp(r->name, old ? "a" : "b"),
			      "%s record names (%llu, %u) \"%s\"", old ? "OLD" : "NEW",
			      (unsigned long long)fh.nodeid, fh.generation, r->name);
		}
		break;
	}
	}
	return fc_verdict(ctx);
}

static const struct rn_row rename_rows[] = {
	{ EXT_ROW("moved_from_without_to",
		  "destination unwatched: one IN_MOVED_FROM with a cookie, no TO"),
	  .kind = RN_FROM_WITHOUT_TO },
	{ EXT_ROW("moved_to_without_from",
		  "source unwatched: one IN_MOVED_TO with a cookie, no FROM"),
	  .kind = RN_TO_WITHOUT_FROM },
	{ EXT_ROW("zero_cookie", "a move event with cookie 0 is refused",
		  .xfail = {XF_COOKIE_FROM_SERVER, XF_COOKIE_FROM_SERVER}),
	  .kind = RN_ZERO_COOKIE },
	{ EXT_ROW("duplicate_cookie", "two IN_MOVED_FROM never share a cookie",
		  .xfail = {XF_COOKIE_FROM_SERVER, XF_COOKIE_FROM_SERVER}),
	  .kind = RN_DUPLICATE_COOKIE },
	{ EXT_ROW("cookie_reused_across_renames", "two renames get two cookies",
		  .xfail = {XF_COOKIE_FROM_SERVER, XF_COOKIE_FROM_SERVER}),
	  .kind = RN_COOKIE_REUSED },
	{ EXT_ROW("one_record_complete_pair",
		  "one RENAME record: one complete pair with a kernel cookie"),
	  .kind = RN_ONE_RECORD_PAIR },
	{ EXT_ROW("fan_rename_both_records",
		  "one RENAME record, both parents marked: ONE FAN_RENAME naming both ends"),
	  .kind = RN_FAN_RENAME },
	{ EXT_ROW("fan_rename_one_side",
		  "one RENAME record, only the source marked: the OLD record alone, as 6.18"),
	  .kind = RN_FAN_RENAME_ONE_SIDE },
};
FC_FAMILY(ext_rename_family, "ext/rename", rename_rows, .variants = ext_variants,
	  .nvariants = EXT_NVARIANTS, .run = run_rename, .precheck = ext_precheck,
	  .fixture = &ext_fixture)
