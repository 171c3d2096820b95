// SPDX-License-Identifier: GPL-2.0-only
/*
 * model_stream.c - fuzz target: a stream of server writes and client
 * operations into the reference model of a kernel with remote fsnotify
 * (harness/model/model.h), served by the harness's own server over the model's
 * transport, as the ext/ cases run, but inline (srv_opts.serve_inline):
 * the model calls the server's handlers in this thread whenever it waits
 * for a reply, so an input costs no thread, no deadline, and means one
 * interleaving only.
 *
 * Input: byte 0 picks the profile (bits 0-5, modulo the count), whether the server turns the
 * extension on (bit 6 clear) and a tiny event queue (bit 7: 4 events, so
 * overflow is reached).  Then up to MAX_STEPS steps, each an opcode byte and
 * its operands.  Identities come from tiny domains (nodeid 2..7, generation
 * 0..3, names a..d) so that reuse and collisions happen, as syzkaller does
 * for FUSE.  Notifications are written with every notify code: the
 * profile's, built by its encoder from fuzzed fields (mostly valid), and raw
 * fuzzed payloads under mainline codes 1..9.
 *
 * After every step the model's invariants must hold (model_check_invariants):
 * no event reaches a watch of another (nodeid, generation), lookup counts
 * are never negative, every queued wd is live or followed by its
 * IN_IGNORED, one coalesced overflow at most.  The server must have had a
 * handler for every request the model sent.
 *
 * A documented defect of the profile is not a failure, it is the profile:
 * where a profile does not check the mask (rfc-2021), a server can forge
 * the kernel's own bits (an IN_Q_OVERFLOW or IN_IGNORED on a live wd;
 * found by this target, pinned in ext/malformed/mask_forged_overflow), and
 * where it names objects by nodeid only, a reused nodeid misattributes
 * (ext/identity).  The input ends at that step; FSNC_FUZZ_TRACE says so.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "case.h"
#include "fsn_codec.h"
#include "fuzz.h"
#include "model.h"
#include "profiles.h"
#include "server.h"
#include "wire.h"
#include "clock.h"

#define MAX_STEPS 48
#define MAX_INSTANCES 3
#define NOTIFY_TIMEOUT_MS 1000

static const char *const names[] = {"a", "b", "c", "d"};

/* Interesting inotify bits: every event, ISDIR, and the flags the kernel resolves. */
static const uint32_t watch_bits[] = {
	IN_ACCESS, IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE, IN_OPEN, IN_MOVED_FROM, IN_MOVED_TO,
	IN_CREATE, IN_DELETE, IN_DELETE_SELF, IN_MOVE_SELF, IN_ONESHOT, IN_MASK_ADD,
	IN_MASK_CREATE, IN_EXCL_UNLINK, IN_ONLYDIR, IN_ISDIR, IN_Q_OVERFLOW,
};

static const char *const step_names[] = {
	"SERVE", "LOOKUP", "EVICT", "UNLINK", "INOTIFY_INIT", "ADD_WATCH", "RM_WATCH",
	"INOTIFY_CLOSE", "READ", "LOCAL_CHANGE", "NOTIFY_RECORD", "NOTIFY_RAW", "FANOTIFY",
};

enum step {
	STEP_SERVE,        /* the server adds an object (or reuses its nodeid) */
	STEP_LOOKUP,
	STEP_EVICT,
	STEP_UNLINK,
	STEP_INOTIFY_INIT,
	STEP_ADD_WATCH,
	STEP_RM_WATCH,
	STEP_INOTIFY_CLOSE,
	STEP_READ,
	STEP_LOCAL_CHANGE,
	STEP_NOTIFY_RECORD, /* the profile's record, from the profile's encoder */
	STEP_NOTIFY_RAW,    /* raw bytes under the profile's or a mainline code */
	STEP_FANOTIFY,
	STEP__COUNT
};

struct run {
	const struct fsn_profile *p;
	struct fc_ctx ctx;
	struct model *m;
	struct srv *s;
	int ids[MAX_INSTANCES];
	int nids;
	int fan_id;
};

static uint64_t pick_nodeid(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);

	return b == 0xff ? 0 : 1 + b % 7; /* root, 2..7, rarely 0 */
}

static uint32_t pick_mask(struct fuzz_in *in)
{
	uint32_t sel = fuzz_u32(in), mask = 0;

	for (size_t i = 0; i < sizeof(watch_bits) / sizeof(watch_bits[0]); i++)
		if (sel & (1u << i))
			mask |= watch_bits[i];
	if (sel & (1u << 31))
		mask ^= fuzz_u32(in); /* any bits at all, now and then */
	return mask;
}

static void pick_name(struct fuzz_in *in, struct fsn_name *n, char *store)
{
	uint8_t b = fuzz_u8(in);

	memset(n, 0, sizeof(*n));
	if (b < 0xc0) {
		strcpy(store, names[b % 4]);
		n->name = store;
		n->namelen = b % 5 == 4 ? 0 : 1; /* sometimes no name at all */
	} else {
		const uint8_t *raw;

		n->namelen = fuzz_bytes(in, b & 0x3f, &raw);
		memcpy(store, raw, n->namelen);
		n->name = store;
		n->term = (b & 0x40) ? 'x' : 0; /* an unterminated name now and then */
	}
}

static int notify_record(struct run *r, struct fuzz_in *in)
{
	static const enum fsn_record kinds[] = {FSN_REC_EVENT, FSN_REC_RENAME, FSN_REC_OVERFLOW};
	uint8_t payload[512], msg[600];
	char n1[64], n2[64], n3[64];
	struct fsn_notify n;
	size_t plen, len;

	memset(&n, 0, sizeof(n));
	n.kind = kinds[fuzz_u8(in) % 3];
	n.nodeid = pick_nodeid(in);
	n.generation = fuzz_u8(in) % 4;
	n.has_generation = r->p->identity == FSN_IDENTITY_NODEID_GEN;
	n.mask = pick_mask(in);
	n.cookie = fuzz_u8(in) % 4;
	pick_name(in, &n.name, n1);
	n.child.nodeid = pick_nodeid(in);
	n.child.generation = fuzz_u8(in) % 4;
	n.src_parent.nodeid = pick_nodeid(in);
	n.src_parent.generation = fuzz_u8(in) % 4;
	n.dst_parent.nodeid = pick_nodeid(in);
	n.dst_parent.generation = fuzz_u8(in) % 4;
	pick_name(in, &n.src_name, n2);
	pick_name(in, &n.dst_name, n3);
	n.lost = fuzz_u8(in);
	plen = fsn_encode_notify(r->p, &n, payload, sizeof(payload));
	if (!plen)
		return -1000; /* not expressible in this profile */
	len = fw_notify_encode(msg, sizeof(msg), r->p->notify_code, payload, plen);
	return srv_notify(r->s, msg, len, NOTIFY_TIMEOUT_MS);
}

static int notify_raw(struct run *r, struct fuzz_in *in)
{
	uint8_t sel = fuzz_u8(in), msg[300];
	uint8_t want = fuzz_u8(in);
	const uint8_t *payload;
	size_t plen = fuzz_bytes(in, want, &payload);
	int32_t code = sel % 10 == 0 ? r->p->notify_code : sel % 10; /* 1..9: mainline */
	size_t len = fw_notify_encode(msg, sizeof(msg), code, payload, plen);

	return srv_notify(r->s, msg, len, NOTIFY_TIMEOUT_MS);
}

/*
 * The server gives (parent, name) an object: a new one, or, when the nodeid
 * is already in use, the nodeid again with the new generation and type
 * (tree_reuse: the server side of nodeid reuse).  A parent that is not a
 * served directory becomes the root.
 */
static void serve(struct run *r, struct fuzz_in *in)
{
	uint8_t how = fuzz_u8(in);
	uint64_t parent = 1 + (how & 7) % 7;
	const char *name = names[(how >> 4) % 4];
	uint64_t nodeid = 2 + fuzz_u8(in) % 6, generation = fuzz_u8(in) % 4;
	mode_t mode = (how & 0x40) ? S_IFDIR | 0755 : S_IFREG | 0644;
	struct tree *t = &r->s->tree;
	struct tree_node *pn;

	srv_lock(r->s);
	pn = tree_get(t, parent);
	if (!pn || !pn->attached || !S_ISDIR(pn->attr.mode) || parent == nodeid)
		parent = 1;
	if (tree_get(t, nodeid))
		tree_reuse(t, nodeid, parent, name, mode, generation);
	else if (!tree_lookup(t, parent, name))
		tree_add(t, parent, name, mode, nodeid, generation);
	srv_unlock(r->s);
}

/* Operands are read in a fixed order, one statement each: C leaves the order
   of a call's arguments unspecified, and an input must mean one thing. */
static int step(struct run *r, struct fuzz_in *in, enum step st)
{
	struct ino_event ev[32];
	struct fan_event fev[4];
	uint64_t nodeid, id, gen;
	uint32_t mask;
	size_t n = 0;
	int inst, wd, rc = 0;
	uint8_t b;

	switch (st) {
	case STEP_SERVE:
		serve(r, in);
		break;
	case STEP_LOOKUP:
		nodeid = pick_nodeid(in);
		rc = model_lookup(r->m, nodeid, names[fuzz_u8(in) % 4], &id, &gen);
		break;
	case STEP_EVICT:
		rc = model_evict(r->m, pick_nodeid(in));
		break;
	case STEP_UNLINK: /* the server's tree answers it, and forgets the name */
		nodeid = pick_nodeid(in);
		rc = model_unlink(r->m, nodeid, names[fuzz_u8(in) % 4]);
		break;
	case STEP_INOTIFY_INIT:
		if (r->nids < MAX_INSTANCES) {
			inst = model_inotify_init(r->m);
			if (inst >= 0)
				r->ids[r->nids++] = inst;
		}
		break;
	case STEP_ADD_WATCH:
		b = fuzz_u8(in);
		nodeid = pick_nodeid(in);
		mask = pick_mask(in);
		if (r->nids)
			rc = model_add_watch(r->m, r->ids[b % r->nids], nodeid, mask, &wd);
		break;
	case STEP_RM_WATCH:
		b = fuzz_u8(in);
		wd = fuzz_u8(in) % 8;
		if (r->nids)
			rc = model_rm_watch(r->m, r->ids[b % r->nids], wd);
		break;
	case STEP_INOTIFY_CLOSE:
		b = fuzz_u8(in);
		if (r->nids) {
			inst = b % r->nids;
			model_inotify_close(r->m, r->ids[inst]);
			r->ids[inst] = r->ids[--r->nids];
		}
		break;
	case STEP_READ:
		b = fuzz_u8(in);
		n = 1 + fuzz_u8(in) % 32;
		if (r->nids)
			rc = model_read(r->m, r->ids[b % r->nids], ev, n, &n);
		return rc ? rc : -(int)n; /* the trace shows events read as a negative count */
		break;
	case STEP_LOCAL_CHANGE:
		nodeid = pick_nodeid(in);
		mask = pick_mask(in);
		b = fuzz_u8(in);
		rc = model_local_change(r->m, nodeid, mask, (b & 1) ? names[(b >> 1) % 4] : NULL);
		break;
	case STEP_NOTIFY_RECORD:
		rc = notify_record(r, in);
		break;
	case STEP_NOTIFY_RAW:
		rc = notify_raw(r, in);
		break;
	case STEP_FANOTIFY:
		b = fuzz_u8(in);
		if (r->fan_id < 0) {
			r->fan_id = model_fanotify_init(r->m);
		} else if (b & 1) {
			nodeid = pick_nodeid(in);
			rc = model_fan_mark(r->m, r->fan_id, nodeid, FSN_FS_RENAME);
		} else {
			rc = model_fan_read(r->m, r->fan_id, fev, 4, &n);
			return rc ? rc : -(int)n;
		}
		break;
	default:
		break;
	}
	return rc;
}

/* Is this broken invariant what the profile's posted design does? */
static bool profile_defect(const struct fsn_profile *p, enum model_invariant inv)
{
	switch (inv) {
	case MINV_OVERFLOW_SHAPE:
	case MINV_IGNORED_LIVE:
		return !(p->rules & FSN_RULE_ALLOWED_MASK);
	case MINV_MISATTRIBUTED:
		return p->identity == FSN_IDENTITY_NODEID_ONLY;
	default:
		return false;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct model_opts mo = {0};
	struct srv_opts so = {0};
	struct run r = {.fan_id = -1};
	/* FSNC_FUZZ_TRACE=1: one line per step, to read what an input does. */
	static int trace = -1;
	char why[256];
	uint8_t sel;

	if (trace < 0)
		trace = getenv("FSNC_FUZZ_TRACE") != NULL;

	if (size < 1)
		return 0;
	sel = fuzz_u8(&in);
	r.p = fsn_profile_at((sel & 0x3f) % fsn_profile_count());
	r.ctx.timeout_scale = 1;
	r.ctx.quiet = 1;
	mo.profile = r.p;
	mo.max_queued_events = (sel & 0x80) ? 4 : 0;
	mo.timeout_ms = 500;
	r.m = model_new(&mo);
	FUZZ_CHECK(r.m, "model_new failed");
	so.inproc = model_transport(r.m);
	so.serve_inline = 1;
	so.profile = (sel & 0x40) ? NULL : r.p;
	so.entry_valid_ns = 3600000000000ull;
	so.attr_valid_ns = 3600000000000ull;
	r.s = srv_start(&r.ctx, &so);
	FUZZ_CHECK(r.s, "srv_start on the model failed");
	if (!so.profile)
		r.s->opts.profile = NULL;

	for (int i = 0; i < MAX_STEPS && in.left; i++) {
		enum step st = (enum step)(fuzz_u8(&in) % STEP__COUNT);
		int64_t t0 = clk_now_ms();
		int rc = step(&r, &in, st);
		enum model_invariant inv;

		if (trace)
			fprintf(stderr, "step %d %s -> %d (%lld ms)\n", i, step_names[st], rc,
				(long long)(clk_now_ms() - t0));
		if (!model_check_invariants_ex(r.m, &inv, why, sizeof(why)))
			continue;
		FUZZ_CHECK(profile_defect(r.p, inv), "%s: invariant broken after step %d (%s): %s",
			   r.p->name, i, step_names[st], why);
		if (trace)
			fprintf(stderr, "%s: the profile's documented defect: %s\n", r.p->name, why);
		break;
	}
	srv_stop(r.s);
	FUZZ_CHECK(r.ctx.failures == 0, "%s: the server recorded %u failures (unhandled request?)",
		   r.p->name, r.ctx.failures);
	model_free(r.m);
	return 0;
}
