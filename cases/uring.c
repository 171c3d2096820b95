// SPDX-License-Identifier: GPL-2.0-only
/*
 * uring: malformed replies over FUSE-over-io_uring, and notify validation
 * while the ring is active.
 *
 * A reply over the ring never passes fuse_dev_do_write(): the server fills
 * its entry's header and payload buffers and sends COMMIT_AND_FETCH, and
 * fuse_uring_commit_fetch() / fuse_uring_commit() (fs/fuse/dev_uring.c)
 * judge it.  Each row makes one bad commit for a LOOKUP the server holds,
 * and states what the kernel does with it, as seen on 6.18.44:
 *  - the commit itself refused (the CQE's res), the request left pending;
 *  - the request ended with an errno at the caller (the commit taken);
 * and afterwards the connection must still serve a fresh request.  The
 * runner's kernel-log scan fails any row that makes the kernel splat.
 *
 * Notifications still go to /dev/fuse while the ring runs (a commit with
 * unique 0 is refused: "notify through fuse-io-uring not supported"); the
 * notify rows check that their validation is the /dev/fuse one, with the
 * errnos of harness/oracle/notify_rules.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "client.h"
#include "notify_rules.h"
#include "server.h"

#define UR_PENDING (-1) /* the caller is still blocked: the request was not ended */

/* "f", the one object the rows serve: (nodeid, generation). */
#define UR_FILE 7
#define UR_FILE_GEN 3

enum ur_kind {
	UR_CONTROL,             /* a well-formed commit */
	UR_HEADER_LEN_ONLY,     /* only out.len written: error/unique are the in-header's */
	UR_NO_HEADER,           /* nothing written: in_out still holds the request's header */
	UR_PAYLOAD_OVER_BUFFER, /* payload_sz one byte past the entry's payload buffer */
	UR_PAYLOAD_HUGE,        /* payload_sz 0xffffffff */
	UR_PAYLOAD_SHORT,       /* payload_sz 8 bytes short of fuse_entry_out */
	UR_UNKNOWN_COMMIT_ID,   /* SQE commit_id names no request */
	UR_HEADER_UNIQUE_OTHER, /* commit_id right, out.unique another request's */
	UR_POSITIVE_ERROR,      /* out.error = +5 */
	UR_ERROR_BELOW_FLOOR,   /* out.error = -512 (-ERESTARTSYS) */
	UR_NOTIFY_UNIQUE_ZERO,  /* out.unique = 0: a notification through the ring */
	UR_COMMIT_TWICE,        /* a good commit, then the same commit again */
	UR_OTHER_QUEUE,         /* commit_id right, qid of the other queue */
	UR_QID_OUT_OF_RANGE,    /* qid = number of queues */
	UR_ENTRY_IN_KERNEL,     /* a commit on an entry the kernel holds, waiting */
	UR_FOREIGN_BUFFERS,     /* a good reply in buffers never registered */
};

/* Notifications while the ring carries the requests. */
enum un_kind { UN_INVAL_INODE_OK, UN_INVAL_INODE_SIZE, UN_INVAL_INODE_NOENT,
	       UN_INVAL_ENTRY_PARENT_NOENT };

/* The row: what one case of this family varies. */
struct ur_row {
	struct fc_row fc;
	/* uring/reply/ rows (run_uring) */
	enum ur_kind kind;
	int want_commit; /* errno of the commit's CQE; 0: the kernel took it */
	int want_caller; /* errno stat() ends with, 0, or UR_PENDING */
	const char *why; /* the path in fs/fuse/dev_uring.c that decides */
	/* uring/notify/ rows (run_uring_notify) */
	enum un_kind notify;
	enum nr_rule_id rule; /* the /dev/fuse rule that decides, with its errno */
	/* The fixture's server is on /dev/fuse, asked for FUSE_OVER_IO_URING (not the ring). */
	int devfuse;
	/* Runs only with UR_WARN_GATE set: the fixture skips first (no mount). */
	int warn_gate;
};

/* The row's notification about `file`, encoded into buf; its length. */
size_t un_notify_msg(const struct ur_row *row, uint64_t file, uint8_t *buf, size_t cap);

/* uring/retrieve_notify_unique_zero: the gate and its reason (a kernel WARN taints the host). */
#define UR_WARN_GATE "FSNC_ALLOW_KERNEL_WARN"
#define UR_WARN_SKIP "trips WARN_ON in fuse_uring_prepare_send on 6.18.44 and taints the kernel: " \
		     "runs only with FSNC_ALLOW_KERNEL_WARN=1 (a VM)"
#define UR_WARN_XFAIL "6.18.44: the NOTIFY_REPLY of a RETRIEVE with notify_unique 0 trips " \
		      "WARN_ON(req->in.h.unique == 0) in fuse_uring_prepare_send and is lost"

static long ring_stat(void *path)
{
	struct stat st;

	return stat((const char *)path, &st) ? errno : 0;
}

/* The LOOKUP reply for f: header and fuse_entry_out, as the tree would give it. */
struct lookup_reply {
	struct fuse_out_header oh;
	struct fuse_entry_out e;
};

static void fill_reply(struct srv *s, struct tree_node *n, uint64_t unique, struct lookup_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->oh.len = sizeof(*r);
	r->oh.unique = unique;
	srv_lock(s);
	tree_fill_entry(n, &r->e);
	tree_entry_given(n);
	srv_unlock(s);
}

static uint64_t held_unique(struct srv *s, uint32_t opcode)
{
	uint64_t u = 0;

	srv_lock(s);
	for (int i = 0; i < s->nlog && i < SRV_MAX_LOG; i++)
		if (s->log[i].opcode == opcode)
			u = s->log[i].unique;
	srv_unlock(s);
	return u;
}

/* Make the row's commit for the held request; returns the commit's errno. */
static int bad_commit(struct fc_ctx *ctx, struct srv *s, const struct ur_row *row,
		      struct tree_node *n, uint64_t unique, uint16_t qid, int ent)
{
	struct tr_uring_stats st = {0};
	struct lookup_reply rep;
	struct tr_uring_raw raw = {.unique = unique, .by_unique = 1, .hdr = &rep.oh,
				   .hdrlen = sizeof(rep.oh), .payload = &rep.e,
				   .plen = sizeof(rep.e), .payload_sz = sizeof(rep.e),
				   .commit_id = unique, .qid = qid};
	int err;

	transport_uring_stats(&s->tr, &st);
	fill_reply(s, n, unique, &rep);
	switch (row->kind) {
	case UR_CONTROL:
		break;
	case UR_HEADER_LEN_ONLY:
		raw.hdrlen = sizeof(rep.oh.len);
		break;
	case UR_NO_HEADER:
		raw.hdrlen = 0;
		break;
	case UR_PAYLOAD_OVER_BUFFER:
		raw.payload_sz = (uint32_t)st.payload + 1;
		break;
	case UR_PAYLOAD_HUGE:
		raw.payload_sz = 0xffffffffu;
		break;
	case UR_PAYLOAD_SHORT:
		raw.payload_sz = sizeof(rep.e) - 8;
		break;
	case UR_UNKNOWN_COMMIT_ID:
		raw.commit_id = unique + 0x10000;
		break;
	case UR_HEADER_UNIQUE_OTHER:
		rep.oh.unique = unique + 2;
		break;
	case UR_POSITIVE_ERROR:
		rep.oh.error = 5;
		raw.payload_sz = 0;
		break;
	case UR_ERROR_BELOW_FLOOR:
		rep.oh.error = -512;
		raw.payload_sz = 0;
		break;
	case UR_NOTIFY_UNIQUE_ZERO:
		rep.oh.unique = 0;
		break;
	case UR_COMMIT_TWICE:
		err = transport_uring_commit_raw(&s->tr, &raw);
		CHECK_ERR(ctx, err, 0, "the first, good commit");
		/* The entry is the kernel's again: the same SQE once more, buffers untouched
		 * (a request the kernel may have put there since must stay intact). */
		raw.by_unique = 0;
		raw.ent = ent;
		raw.untouched = 1;
		break;
	case UR_OTHER_QUEUE:
		if (st.queues < 2)
			return fc_skip(ctx, "one queue only: no other queue to name"), -2;
		raw.qid = (uint16_t)((qid + 1) % st.queues);
		break;
	case UR_QID_OUT_OF_RANGE:
		raw.qid = (uint16_t)st.queues;
		break;
	case UR_ENTRY_IN_KERNEL:
		/* Another entry of the same queue, which waits for a request and so has
		 * no commit_id: 0.  Its buffers are the kernel's: leave them alone. */
		raw.by_unique = 0;
		raw.ent = ent ^ 1;
		raw.commit_id = 0;
		raw.untouched = 1;
		break;
	case UR_FOREIGN_BUFFERS:
		raw.foreign = 1;
		break;
	}
	return transport_uring_commit_raw(&s->tr, &raw);
}

/*
 * The fixture: a server serving f, over the ring.  Long-lived entry and
 * attributes: after the LOOKUP nothing else (a GETATTR) may land in the
 * entry the reply rows commit on behind the server's back.  The row about
 * /dev/fuse has its server there instead; the row that may splat the
 * kernel skips before any mount unless allowed.
 */
static enum fc_verdict uring_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct ur_row *row = c->row;
	struct srv_opts o = {.transport = TR_URING, .attr_valid_ns = 100000000000ull,
			     .entry_valid_ns = 100000000000ull};
	struct tree_node *n;

	if (row->warn_gate && !getenv(UR_WARN_GATE))
		return fc_skip(ctx, UR_WARN_SKIP);
	if (row->devfuse)
		o = (struct srv_opts){.transport = TR_DEVFUSE, .flags2 = FUSE2_OVER_IO_URING};
	ctx->srv = srv_start(ctx, &o);
	if (!ctx->srv)
		return FC_FAIL;
	n = srv_add(ctx->srv, FUSE_ROOT_ID, "f", S_IFREG | 0644, UR_FILE, UR_FILE_GEN);
	if (!n) {
		srv_teardown(ctx, c);
		return FC_FAIL;
	}
	ctx->fx = n;
	return FC_PASS;
}

static const struct fc_fixture uring_fixture = {uring_setup, srv_teardown};

static enum fc_verdict run_uring(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct ur_row *row = c->row;
	struct srv *s = ctx->srv;
	struct tree_node *n = ctx->fx;
	struct client_call call;
	uint64_t unique;
	uint16_t qid = 0;
	int ent = -1, err, r;
	long res = -1;

	srv_expect(s, &(struct expect){.opcode = FUSE_LOOKUP, .name = "f", .count = 1,
				       .action = EXP_DEFER});
	client_start(&call, ring_stat, (void *)srv_path(s, "f"));
	if (srv_wait(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f", 1, 2000)) {
		fc_failf(ctx, __FILE__, __LINE__, "no LOOKUP of f reached the server");
		return fc_verdict(ctx);
	}
	unique = held_unique(s, FUSE_LOOKUP);
	err = transport_uring_locate(&s->tr, unique, &qid, &ent);
	if (err) {
		fc_failf(ctx, __FILE__, __LINE__, "the held LOOKUP (unique %llu) is in no ring entry: %s",
			 (unsigned long long)unique, fc_errname(err));
		return fc_verdict(ctx);
	}
	fc_log(ctx, "LOOKUP unique %llu held in entry %d of queue %u", (unsigned long long)unique,
	       ent, qid);
	fc_log(ctx, "kernel path: %s", row->why);
	err = bad_commit(ctx, s, row, n, unique, qid, ent);
	if (err == -2)
		return FC_SKIP;
	CHECK_ERR(ctx, err, row->want_commit, "the commit's completion");
	/*
	 * A refused commit must leave the request pending.  The evidence is
	 * positive, not a second of silence: the caller is still blocked once
	 * the refusal completed, and the late good reply below is accepted by
	 * the kernel for that very request (an ended one would be ENOENT) and
	 * ends the stat() with 0.
	 */
	r = client_join(&call, row->want_caller == UR_PENDING ? 0 : fc_ms(ctx, 1000), &res);
	if (row->want_caller == UR_PENDING)
		CHECK(ctx, r == ETIMEDOUT, "stat() returned %s although the commit was refused",
		      fc_errname((int)res));
	else if (r == 0)
		CHECK_ERR(ctx, (int)res, row->want_caller, "stat() of f");
	else
		CHECK(ctx, 0, "stat() still blocked after the commit");
	if (r == ETIMEDOUT) {
		/* The request is still ours: a good reply must still work (and the
		 * directory, locked by this LOOKUP, must be freed for the next one). */
		CHECK_ERR(ctx, srv_release(s, FUSE_LOOKUP, 0), 0, "the late good reply");
		r = client_join(&call, fc_ms(ctx, 2000), &res);
		CHECK(ctx, r == 0 && res == 0, "stat after the late good reply: %s",
		      r ? "still blocked" : fc_errname((int)res));
	}
	/* The connection goes on: a fresh request travels and is answered. */
	err = (int)ring_stat((void *)srv_path(s, "g"));
	CHECK_ERR(ctx, err, ENOENT, "stat of a missing g");
	CHECK(ctx, srv_count(s, FUSE_LOOKUP, FUSE_ROOT_ID, "g") >= 1, "no LOOKUP of g afterwards");
	return fc_verdict(ctx);
}

/* ---- notifications while the ring carries the requests ---- */

size_t un_notify_msg(const struct ur_row *row, uint64_t file, uint8_t *buf, size_t cap)
{
	struct fuse_notify_inval_inode_out ii = {.ino = file, .off = 0, .len = -1};
	struct fuse_notify_inval_entry_out ie = {.parent = 999, .namelen = 1};
	size_t n;

	switch (row->notify) {
	case UN_INVAL_INODE_OK:
		return fw_notify_encode(buf, cap, FUSE_NOTIFY_INVAL_INODE, &ii, sizeof(ii));
	case UN_INVAL_INODE_SIZE:
		/* 8 bytes more than fuse_notify_inval_inode_out, and hdr.len says so */
		n = fw_notify_encode(buf, cap, FUSE_NOTIFY_INVAL_INODE, &ii, sizeof(ii));
		memset(buf + n, 0, 8);
		n += 8;
		((struct fuse_out_header *)buf)->len = (uint32_t)n;
		return n;
	case UN_INVAL_INODE_NOENT:
		ii.ino = 999;
		return fw_notify_encode(buf, cap, FUSE_NOTIFY_INVAL_INODE, &ii, sizeof(ii));
	case UN_INVAL_ENTRY_PARENT_NOENT:
		return fw_notify_encode_named(buf, cap, FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie),
					      "f", 1, 1);
	}
	return 0;
}

static enum fc_verdict run_uring_notify(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct ur_row *row = c->row;
	const struct nr_rule *rule = nr_rule_get(row->rule);
	struct tr_uring_stats st = {0};
	struct srv *s = ctx->srv;
	uint8_t msg[256];
	struct stat sb;
	size_t len;
	int err, getattrs;

	/* Requests travel over the ring: the LOOKUP and GETATTR of f. */
	CHECK(ctx, stat(srv_path(s, "f"), &sb) == 0, "stat f: %s", fc_errname(errno));
	CHECK(ctx, transport_uring_stats(&s->tr, &st) == 0 && st.ring_requests >= 1,
	      "the ring carried no request (%llu)", (unsigned long long)st.ring_requests);
	getattrs = srv_count(s, FUSE_GETATTR, UR_FILE, NULL);
	len = un_notify_msg(row, UR_FILE, msg, sizeof(msg));
	fc_log(ctx, "rule: %s -> %s [%s]", rule->text, fc_errname(rule->err), rule->cite);
	err = srv_notify(s, msg, len, 2000);
	CHECK_ERR(ctx, err, rule->err, "the notification's write() on /dev/fuse");
	if (row->notify == UN_INVAL_INODE_OK) {
		/* Positive evidence: the attributes were dropped, so stat asks again,
		 * and the GETATTR comes over the ring. */
		CHECK(ctx, stat(srv_path(s, "f"), &sb) == 0, "stat f again: %s", fc_errname(errno));
		CHECK(ctx, srv_count(s, FUSE_GETATTR, UR_FILE, NULL) > getattrs,
		      "accepted, but the next stat did not GETATTR");
	}
	return fc_verdict(ctx);
}

/*
 * The /dev/fuse server must never echo FUSE_OVER_IO_URING: the kernel offers
 * it whenever enable_uring is Y (another run may have set it), and a session
 * that accepted it without registering queues would hold every request
 * (fuse_block_alloc()).  Asked for it outright, the server still declines.
 */
static enum fc_verdict run_devfuse_declines(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct srv *s = ctx->srv;
	struct stat sb;

	(void)c;
	if (!(s->init_in.flags & FUSE_INIT_EXT) || !(s->init_in.flags2 & FUSE2_OVER_IO_URING))
		return fc_skip(ctx, "INIT does not offer FUSE_OVER_IO_URING (flags2 %#x)",
			       s->init_in.flags2);
	CHECK(ctx, !(s->init_out.flags2 & FUSE2_OVER_IO_URING),
	      "the /dev/fuse server echoed FUSE_OVER_IO_URING (flags2 %#x)", s->init_out.flags2);
	CHECK(ctx, stat(srv_path(s, "f"), &sb) == 0, "stat f over /dev/fuse: %s", fc_errname(errno));
	return fc_verdict(ctx);
}

/*
 * RETRIEVE with notify_unique 0 on a ring connection: the write is accepted,
 * and the NOTIFY_REPLY request it queues carries unique 0, which trips
 * WARN_ON(req->in.h.unique == 0) in fuse_uring_prepare_send()
 * (fs/fuse/dev_uring.c:686 on 6.18.44) and is lost: any server can splat the
 * kernel.  Found by kdiff over the ring.  Over /dev/fuse the same message
 * gets its NOTIFY_REPLY (kdiff).  A correct kernel either refuses the write
 * or delivers the request; a splat fails the case through the runner's kmsg
 * scan.  It taints the kernel, so it runs only where that is allowed.
 */
static enum fc_verdict run_retrieve_unique_zero(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct fuse_notify_retrieve_out rt = {.notify_unique = 0, .nodeid = UR_FILE, .size = 4096};
	struct srv *s = ctx->srv;
	uint8_t msg[128];
	struct stat sb;
	size_t len;
	int err;

	(void)c;
	fc_xfail(ctx, UR_WARN_XFAIL);
	CHECK(ctx, stat(srv_path(s, "f"), &sb) == 0, "stat f: %s", fc_errname(errno));
	len = fw_notify_encode(msg, sizeof(msg), FUSE_NOTIFY_RETRIEVE, &rt, sizeof(rt));
	err = srv_notify(s, msg, len, 2000);
	if (err)
		fc_log(ctx, "the kernel refused the RETRIEVE: %s (a correct answer)", fc_errname(err));
	else
		CHECK_ERR(ctx, srv_wait(s, FUSE_NOTIFY_REPLY, 0, NULL, 1, fc_ms(ctx, 2000)), 0,
			  "the NOTIFY_REPLY of the accepted RETRIEVE");
	return fc_verdict(ctx);
}

static const struct ur_row uring_rows[] = {
	{ FC_ROW("reply/control", "control: a well-formed commit answers the held LOOKUP"),
	  .kind = UR_CONTROL, .want_commit = 0, .want_caller = 0,
	  .why = "fuse_uring_commit_fetch -> fuse_uring_commit -> fuse_copy_out_args" },
	{ FC_ROW("reply/header_len_only",
		 "a header of 4 bytes: the rest of in_out is the request's own header"),
	  .kind = UR_HEADER_LEN_ONLY, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_uring_out_header_has_err: out.error is the in-header's opcode (+1) > 0" },
	{ FC_ROW("reply/no_header",
		 "no header written: the kernel reads the request's in-header as the reply's"),
	  .kind = UR_NO_HEADER, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_uring_out_header_has_err: out.error is the in-header's opcode (+1) > 0" },
	{ FC_ROW("reply/payload_over_buffer",
		 "payload_sz one byte larger than the entry's payload buffer"),
	  .kind = UR_PAYLOAD_OVER_BUFFER, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_copy_out_args: payload_sz > the reply's size" },
	{ FC_ROW("reply/payload_huge", "payload_sz 0xffffffff"),
	  .kind = UR_PAYLOAD_HUGE, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_copy_out_args: payload_sz > the reply's size" },
	{ FC_ROW("reply/payload_short", "payload_sz 8 bytes short of fuse_entry_out"),
	  .kind = UR_PAYLOAD_SHORT, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_copy_out_args: short and not out_argvar" },
	{ FC_ROW("reply/unknown_commit_id",
		 "commit_id names no request: the commit is refused, the request stays pending"),
	  .kind = UR_UNKNOWN_COMMIT_ID, .want_commit = ENOENT, .want_caller = UR_PENDING,
	  .why = "fuse_uring_commit_fetch: fuse_request_find() fails -> -ENOENT" },
	{ FC_ROW("reply/header_unique_other",
		 "right commit_id, another unique in the header: the request ends with ENOENT"),
	  .kind = UR_HEADER_UNIQUE_OTHER, .want_commit = 0, .want_caller = ENOENT,
	  .why = "fuse_uring_out_header_has_err: unique mismatch -> -ENOENT" },
	{ FC_ROW("reply/positive_error",
		 "out.error = +5: the request ends with EINVAL (/dev/fuse refuses the write)"),
	  .kind = UR_POSITIVE_ERROR, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_uring_out_header_has_err: error > 0 -> -EINVAL" },
	{ FC_ROW("reply/error_below_floor",
		 "out.error = -512 (-ERESTARTSYS): the request ends with EINVAL"),
	  .kind = UR_ERROR_BELOW_FLOOR, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_uring_out_header_has_err: error <= -ERESTARTSYS -> -EINVAL" },
	{ FC_ROW("reply/unique_zero",
		 "out.unique = 0 (a notification) through the ring: the request ends with EINVAL"),
	  .kind = UR_NOTIFY_UNIQUE_ZERO, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_uring_out_header_has_err: unique 0 -> -EINVAL, "
		 "'notify through fuse-io-uring not supported'" },
	{ FC_ROW("reply/commit_twice", "a reply committed twice: the second commit is refused"),
	  .kind = UR_COMMIT_TWICE, .want_commit = ENOENT, .want_caller = 0,
	  .why = "fuse_uring_commit_fetch: the request left the queue's fpq -> -ENOENT" },
	{ FC_ROW("reply/other_queue",
		 "the right commit_id on the other queue: refused, the request stays pending"),
	  .kind = UR_OTHER_QUEUE, .want_commit = ENOENT, .want_caller = UR_PENDING,
	  .why = "fuse_uring_commit_fetch: only queue->fpq is searched -> -ENOENT" },
	{ FC_ROW("reply/qid_out_of_range", "qid = the number of queues: refused"),
	  .kind = UR_QID_OUT_OF_RANGE, .want_commit = EINVAL, .want_caller = UR_PENDING,
	  .why = "fuse_uring_commit_fetch: qid >= ring->nr_queues -> -EINVAL" },
	{ FC_ROW("reply/entry_owned_by_kernel",
		 "a commit on an entry the kernel holds (waiting, no request): refused"),
	  .kind = UR_ENTRY_IN_KERNEL, .want_commit = ENOENT, .want_caller = UR_PENDING,
	  .why = "fuse_uring_commit_fetch: commit_id 0 is no request in fpq -> -ENOENT" },
	{ FC_ROW("reply/foreign_buffers",
		 "a good reply in buffers never registered: the kernel reads the entry's own"),
	  .kind = UR_FOREIGN_BUFFERS, .want_commit = 0, .want_caller = EINVAL,
	  .why = "fuse_uring_commit_fetch: the entry is req->ring_entry, sqe->addr is not read; "
		 "its in_out still holds the in-header (error = opcode > 0)" },
	{ FC_ROW("retrieve_notify_unique_zero",
		 "RETRIEVE with notify_unique 0 over the ring: refused, or its NOTIFY_REPLY "
		 "delivered, and no kernel WARN",
		 .run = run_retrieve_unique_zero),
	  .warn_gate = 1 },
	{ FC_ROW("devfuse_server_declines",
		 "with enable_uring Y, the /dev/fuse server never echoes FUSE_OVER_IO_URING",
		 .run = run_devfuse_declines),
	  .devfuse = 1 },
	{ FC_ROW("notify/inval_inode_ok",
		 "control: INVAL_INODE on /dev/fuse while the ring runs drops f's attributes",
		 .labels = "kernel;uring;notify", .run = run_uring_notify),
	  .notify = UN_INVAL_INODE_OK, .rule = NR_R_INVAL_INODE_OK },
	{ FC_ROW("notify/inval_inode_size",
		 "INVAL_INODE 8 bytes too long: EINVAL, as without the ring",
		 .labels = "kernel;uring;notify", .run = run_uring_notify),
	  .notify = UN_INVAL_INODE_SIZE, .rule = NR_R_INVAL_INODE_SIZE },
	{ FC_ROW("notify/inval_inode_unknown_nodeid",
		 "INVAL_INODE of an unknown nodeid: ENOENT, as without the ring",
		 .labels = "kernel;uring;notify", .run = run_uring_notify),
	  .notify = UN_INVAL_INODE_NOENT, .rule = NR_R_INVAL_INODE_NOENT },
	{ FC_ROW("notify/inval_entry_unknown_parent",
		 "INVAL_ENTRY under an unknown parent: ENOENT, as without the ring",
		 .labels = "kernel;uring;notify", .run = run_uring_notify),
	  .notify = UN_INVAL_ENTRY_PARENT_NOENT, .rule = NR_R_INVAL_ENTRY_PARENT_NOENT },
};
FC_FAMILY(uring_family, "uring", uring_rows, .needs = FC_NEED_KERNEL, .labels = "kernel;uring",
	  .run = run_uring, .fixture = &uring_fixture)
