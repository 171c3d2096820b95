// SPDX-License-Identifier: GPL-2.0-only
/*
 * kdiff: the differential kernel fuzzer for /dev/fuse write validation.
 *
 * A row serves the kdiff world (harness/oracle/kdiff.h) from a live mount, keeps
 * it cached, then writes N generated messages (kd_generate(seed, i)) to
 * /dev/fuse and compares each write's errno with what the model of
 * fs/fuse/dev.c (harness/oracle/notify_rules.c) predicts under the world's oracle.
 * Any disagreement fails the case and is printed whole: the message in hex,
 * what it is, the kernel's errno, the model's, and the rule that decided.
 * Each one is either a model bug (fix notify_rules.c) or a kernel behaviour
 * to pin (docs/notify-validation.md).
 *
 * The oracle stays exact because the case puts the kernel's caches back in
 * the canonical state after every write that may have changed them
 * (kd_needs_resync: unhash, delete, prune, epoch, or any disagreement): it
 * lstat()s every name again and re-opens a pinned object whose open file
 * now sits on an unhashed dentry.  So before every message the state is
 * the same, and message i replays alone from (seed, i).
 *
 * A disagreement is written once more after a resync.  If the replay
 * agrees, something outside the case changed the caches between the
 * resync and the write (another test's drop_caches evicting an idle
 * object, memory pressure): it is counted and printed as transient, and
 * does not fail the case.  A model bug disagrees on the replay too.
 *
 * Which validation rules this kernel has where kernels differ (a backported
 * fix, a newer notify code, the name limit) is not guessed from the release
 * string: a few probe writes on the row's connection settle it first
 * (kd_probe_judge), and the log says which rules were probed, with what.
 *
 * Environment (printed, so a failure is reproducible):
 *   FSNC_KDIFF_SEED   the stream (default: the row's)
 *   FSNC_KDIFF_COUNT  messages to write (default: the row's)
 *   FSNC_KDIFF_FIRST  index of the first message (default 0)
 *   FSNC_KDIFF_VERBOSE=1  one line per message: what it is, both errnos
 * scripts/kdiff runs long streams with a scaled timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "kdiff.h"
#include "notify_rules.h"
#include "server.h"

/* The row: what one case of this family varies. */
struct kd_row {
	struct fc_row fc;
	uint16_t max_pages; /* INIT: 0 leaves FUSE_MAX_PAGES off (name_max 1024) */
	int no_init;        /* never answer INIT: the world is the root alone */
	uint64_t seed;
	uint32_t count;
};

/* What the served objects hold: KD_FILE's bytes, KD_LINK's target. */
#define KD_FILE_DATA "0123456789"
#define KD_LINK_TARGET "f"

/* Entries and attributes stay valid 1000 s: only a message drops them. */
#define KD_VALID_NS 1000000000000ull

/*
 * before_init: the server holds this many re-sent INITs unanswered and
 * answers the next one with EPROTO (cases/kdiff.c, expect_resent_init).
 * Two held slots stay free for anything else the server must hold.
 */
#define KD_INIT_HOLDS (SRV_MAX_HELD - 2)
#define KD_INIT_ERROR EPROTO

#define KD_DETAIL_MAX 25 /* disagreements printed in full; the rest are tallied */
#define KD_CLASSES 64

/* One kind of disagreement: (model rule, kernel errno), for the tally. */
struct kd_class {
	enum nr_rule_id rule;
	int kernel_err;
	uint64_t n, first;
};

struct kd_run {
	struct fc_ctx *ctx;
	struct srv *s;
	struct nr_kernel k;
	struct kd_gen_cfg cfg;
	struct kd_world w;
	int pin[KD__ROLES];
	uint64_t seed, first, count, verbose;
	/* tallies */
	uint64_t sent[KD_B__COUNT], agreed[KD_B__COUNT], disagreed[KD_B__COUNT];
	uint64_t rule_hits[NR_R__COUNT];
	uint64_t transient, resyncs, remounts, disagreements;
	uint64_t withheld; /* messages not written on this transport (see ring_warns) */
	uint64_t notify_replies; /* RETRIEVEs the kernel accepted: each owes one NOTIFY_REPLY */
	uint64_t resends;        /* RESENDs the kernel accepted */
	bool root_only;          /* the before_init row: nothing but the root is ever cached */
	uint64_t inits_resent;   /* before_init: INIT copies the server saw again */
	uint64_t before_init_msgs; /* messages written while INIT was unanswered */
	struct kd_class classes[KD_CLASSES];
	int nclasses;
	uint8_t buf[KD_MSG_MAX]; /* the message being written */
};

/* ---- the fixture ---- */

/*
 * The family's fixture: the row's server (entries and attributes cached
 * KD_VALID_NS, the row's INIT) in ctx->srv, and the run's state, with no
 * object pinned yet, in ctx->fx.
 */
static enum fc_verdict kd_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct kd_row *row = c->row;
	struct srv_opts o = {.entry_valid_ns = KD_VALID_NS, .attr_valid_ns = KD_VALID_NS,
			     .max_pages = row->max_pages, .no_init = row->no_init};
	struct kd_run *r = calloc(1, sizeof(*r));

	if (!r)
		return fc_failf(ctx, __FILE__, __LINE__, "out of memory"), FC_FAIL;
	r->ctx = ctx;
	for (int k = 0; k < KD__ROLES; k++)
		r->pin[k] = -1;
	r->s = srv_start(ctx, &o);
	if (!r->s) {
		free(r);
		return FC_FAIL;
	}
	ctx->srv = r->s;
	ctx->fx = r;
	return FC_PASS;
}

/* The pinned objects are let go before the server stops. */
static void kd_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct kd_run *r = ctx->fx;

	for (int k = 0; k < KD__ROLES; k++)
		if (r->pin[k] >= 0)
			close(r->pin[k]);
	free(r);
	ctx->fx = NULL;
	srv_teardown(ctx, c);
}

static const struct fc_fixture kd_fixture = {kd_setup, kd_teardown};

static int serve_world(struct kd_run *r)
{
	for (int i = 1; i < KD__ROLES; i++) {
		const struct kd_object *o = kd_object((enum kd_role)i);
		struct tree_node *n;

		if (!o->mode)
			continue; /* KD_NEG: a name the server does not have */
		n = srv_add(r->s, kd_object(o->parent)->nodeid, o->name, o->mode, o->nodeid, 1);
		if (!n)
			return -1;
		srv_lock(r->s);
		if (i == KD_FILE)
			memcpy(n->data, KD_FILE_DATA, n->datalen = strlen(KD_FILE_DATA));
		if (i == KD_LINK)
			memcpy(n->data, KD_LINK_TARGET, n->datalen = strlen(KD_LINK_TARGET));
		n->attr.size = n->datalen;
		srv_unlock(r->s);
	}
	return 0;
}

/* An open file on an unhashed dentry reads "... (deleted)" in /proc. */
static int pin_is_stale(int fd)
{
	char link[64], target[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return 1;
	target[n] = 0;
	return n >= 10 && !strcmp(target + n - 10, " (deleted)");
}

static int repin(struct kd_run *r, enum kd_role role, const char *path, int dir)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (dir ? O_DIRECTORY : 0));

	if (fd < 0)
		return errno;
	if (r->pin[role] >= 0)
		close(r->pin[role]);
	r->pin[role] = fd;
	return 0;
}

/*
 * The mountpoint: lstat() of "m" shows the tmpfs root while it is
 * mounted.  When a DELETE or INVAL_ENTRY detached it, mount it again.
 */
static int remount(struct kd_run *r, const struct kd_object *o, const char *path, dev_t fuse_dev)
{
	struct stat st;

	if (lstat(path, &st))
		return fc_failf(r->ctx, __FILE__, __LINE__, "resync: lstat %s: %s", o->tag,
				fc_errname(errno)), -1;
	if (st.st_dev != fuse_dev)
		return 0; /* still mounted */
	if (st.st_ino != o->nodeid || !S_ISDIR(st.st_mode))
		return fc_failf(r->ctx, __FILE__, __LINE__, "resync: %s is ino %llu mode %o",
				o->tag, (unsigned long long)st.st_ino, st.st_mode), -1;
	if (mount("kdiff", path, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k"))
		return fc_failf(r->ctx, __FILE__, __LINE__, "resync: mount tmpfs on %s: %s", o->tag,
				fc_errname(errno)), -1;
	r->remounts++;
	if (r->verbose)
		fc_log(r->ctx, "resync: %s was not mounted any more: mounted again", o->tag);
	return 0;
}

/*
 * Bring the kernel's caches back to kd_world_canonical(): every looked-up
 * name cached (the negative one negative), with the nodeid and type the
 * world says, every pinned object held through a hashed dentry.
 */
static int resync(struct kd_run *r)
{
	struct stat root;

	if (r->root_only)
		return 0; /* nothing to look up: any access waits for INIT or fails */
	r->resyncs++;
	if (lstat(srv_path(r->s, ""), &root))
		return fc_failf(r->ctx, __FILE__, __LINE__, "resync: lstat the mount: %s",
				fc_errname(errno)), -1;
	for (int i = 1; i < KD__ROLES; i++) {
		const struct kd_object *o = kd_object((enum kd_role)i);
		const char *path;
		struct stat st;
		int err;

		if (!o->looked_up)
			continue; /* KD_UNCACHED: the kernel must never hear its name */
		path = srv_path(r->s, o->path);
		if (o->mountpoint) {
			if (remount(r, o, path, root.st_dev))
				return -1;
			continue;
		}
		err = lstat(path, &st) ? errno : 0;
		if (!o->mode) {
			if (err != ENOENT)
				return fc_failf(r->ctx, __FILE__, __LINE__,
						"resync: lstat %s gave %s, want ENOENT", o->tag,
						fc_errname(err)), -1;
			continue;
		}
		if (err)
			return fc_failf(r->ctx, __FILE__, __LINE__, "resync: lstat %s: %s", o->tag,
					fc_errname(err)), -1;
		if (st.st_ino != o->nodeid || (st.st_mode & S_IFMT) != (o->mode & S_IFMT))
			return fc_failf(r->ctx, __FILE__, __LINE__,
					"resync: lstat %s: ino %llu mode %o, want ino %llu mode %o",
					o->tag, (unsigned long long)st.st_ino, st.st_mode,
					(unsigned long long)o->nodeid, o->mode), -1;
		if (o->pinned && (r->pin[i] < 0 || pin_is_stale(r->pin[i]))) {
			err = repin(r, (enum kd_role)i, path, S_ISDIR(o->mode));
			if (err)
				return fc_failf(r->ctx, __FILE__, __LINE__, "resync: open %s: %s",
						o->tag, fc_errname(err)), -1;
		}
	}
	kd_world_canonical(&r->w);
	return 0;
}

/* ---- reporting ---- */

static void tally_class(struct kd_run *r, enum nr_rule_id rule, int kerr, uint64_t index)
{
	for (int i = 0; i < r->nclasses; i++)
		if (r->classes[i].rule == rule && r->classes[i].kernel_err == kerr) {
			r->classes[i].n++;
			return;
		}
	if (r->nclasses < KD_CLASSES)
		r->classes[r->nclasses++] = (struct kd_class){rule, kerr, 1, index};
}

static void report(struct kd_run *r, uint64_t index, const uint8_t *msg, size_t len,
		   const struct kd_shape *sh, const struct nr_verdict *v, int kerr, int kerr2)
{
	char hex[3 * 96 + 64], rule[512];

	nr_describe(v, rule, sizeof(rule));
	fc_log(r->ctx, "DISAGREE message %" PRIu64 " (replay: FSNC_KDIFF_SEED=%#" PRIx64
		       " FSNC_KDIFF_FIRST=%" PRIu64 " FSNC_KDIFF_COUNT=1)",
	       index, r->seed, index);
	fc_log(r->ctx, "  what:   %s", sh->desc);
	fc_log(r->ctx, "  bytes:  %zu: %s", len, kd_hex(msg, len, 96, hex, sizeof(hex)));
	fc_log(r->ctx, "  kernel: %s (%d), on replay %s   model: %s (%d)", fc_errname(kerr), kerr,
	       fc_errname(kerr2), nr_errno_name(v->err), v->err);
	fc_log(r->ctx, "  rule:   %s", rule);
}

static void summary(struct kd_run *r, double secs)
{
	uint64_t total = 0, agreed = 0;

	fc_log(r->ctx, "kdiff summary: %-20s %8s %8s %8s", "bucket", "sent", "agree", "disagree");
	for (int b = 0; b < KD_B__COUNT; b++) {
		if (!r->sent[b])
			continue;
		total += r->sent[b];
		agreed += r->agreed[b];
		fc_log(r->ctx, "kdiff summary: %-20s %8" PRIu64 " %8" PRIu64 " %8" PRIu64,
		       kd_bucket_name(b), r->sent[b], r->agreed[b], r->disagreed[b]);
	}
	fc_log(r->ctx, "kdiff summary: %" PRIu64 " messages, %" PRIu64 " agree, %" PRIu64
		       " disagree, %" PRIu64 " transient, %" PRIu64 " resyncs (%" PRIu64
		       " remounts), %.2f s, %.0f messages/s",
	       total, agreed, r->disagreements, r->transient, r->resyncs, r->remounts, secs,
	       secs > 0 ? (double)total / secs : 0.0);
	if (r->withheld)
		fc_log(r->ctx, "kdiff: %" PRIu64 " RETRIEVE(s) with notify_unique 0 withheld on io_uring: "
			       "they trip WARN_ON in fuse_uring_prepare_send (6.18.44)", r->withheld);
	for (int i = 0; i < r->nclasses; i++)
		fc_log(r->ctx, "kdiff disagreement class: model \"%s\" (%s), kernel %s: %" PRIu64
			       " message(s), first %" PRIu64,
		       nr_rule_get(r->classes[i].rule)->text,
		       nr_errno_name(nr_rule_get(r->classes[i].rule)->err),
		       fc_errname(r->classes[i].kernel_err), r->classes[i].n, r->classes[i].first);
	/* Rule coverage: what the stream never reached is a hole in the generator
	   or a rule this fixture cannot reach (pending replies, EPERM, ...). */
	{
		char hit[2048] = "", never[512] = "";
		size_t h = 0, o = 0;

		for (int i = 1; i < NR_R__COUNT; i++)
			if (r->rule_hits[i] && h < sizeof(hit) - 24)
				h += (size_t)snprintf(hit + h, sizeof(hit) - h, " %d:%" PRIu64, i,
						      r->rule_hits[i]);
			else if (!r->rule_hits[i] && o < sizeof(never) - 8)
				o += (size_t)snprintf(never + o, sizeof(never) - o, " %d", i);
		fc_log(r->ctx, "kdiff rules decided (enum nr_rule_id:messages):%s", hit);
		fc_log(r->ctx, "kdiff rules never decided:%s", o ? never : " none");
	}
}

/* ---- the run ---- */

static int init_answered(struct kd_run *r, uint64_t index);

/* Predict under the current world, write, and note what the kernel owes us. */
static int write_one(struct kd_run *r, uint64_t index, const uint8_t *buf, size_t len,
		     const struct kd_shape *sh, struct nr_verdict *v)
{
	struct nr_state st;
	int kerr;

	kd_oracle(&r->w, &st);
	nr_predict_ex(&r->k, &st, buf, len, v);
	r->before_init_msgs += r->w.before_init;
	kerr = srv_notify(r->s, buf, len, 2000);
	if (kerr == ETIMEDOUT || kerr == EBUSY)
		return fc_failf(r->ctx, __FILE__, __LINE__,
				"message %" PRIu64 " (%s): write blocked: %s", index, sh->desc,
				fc_errname(kerr)), -1;
	if (kerr == 0 && (v->effects & NR_EFF_NOTIFY_REPLY))
		r->notify_replies++;
	if (kerr == 0 && (v->effects & NR_EFF_RESEND)) {
		r->resends++;
		if (r->w.before_init && init_answered(r, index))
			return -1;
	}
	return kerr;
}

/*
 * Positive evidence for one effect the model claims: every accepted
 * RETRIEVE made the kernel send exactly one NOTIFY_REPLY (asynchronously,
 * hence the wait).
 */
static void check_notify_replies(struct kd_run *r)
{
	int64_t end = clk_now_ms() + fc_ms(r->ctx, 2000);
	uint64_t got;

	for (;;) {
		srv_lock(r->s);
		got = r->s->opcount[FUSE_NOTIFY_REPLY];
		srv_unlock(r->s);
		if (got >= r->notify_replies || clk_now_ms() > end)
			break;
		usleep(1000);
	}
	fc_log(r->ctx, "kdiff effects: %" PRIu64 " RETRIEVE accepted, %" PRIu64
		       " NOTIFY_REPLY received", r->notify_replies, got);
	CHECK(r->ctx, got == r->notify_replies,
	      "accepted RETRIEVEs (%" PRIu64 ") and NOTIFY_REPLY requests (%" PRIu64 ") differ",
	      r->notify_replies, got);
}

/*
 * Before the INIT reply the unanswered INIT sits in the processing queue,
 * so an accepted RESEND sends it to the server again (fuse_resend): the
 * re-sent INIT is the RESEND's positive evidence.  The server holds the
 * first KD_INIT_HOLDS copies unanswered, so the connection stays before
 * INIT; it answers the next one with an error, and from then on the
 * connection is initialized in error (conn_error) with only the root
 * cached, which the world records by leaving before_init.
 */
static void expect_resent_init(struct kd_run *r)
{
	srv_expect(r->s, &(struct expect){.opcode = FUSE_INIT, .count = KD_INIT_HOLDS,
					  .min_count = -1, .action = EXP_NEVER});
	srv_expect(r->s, &(struct expect){.opcode = FUSE_INIT, .count = 1, .min_count = -1,
					  .action = EXP_ERRNO, .error = KD_INIT_ERROR});
}

/* After an accepted RESEND before INIT: wait until the INIT came back. */
static int init_answered(struct kd_run *r, uint64_t index)
{
	int n = (int)++r->inits_resent;

	if (srv_wait(r->s, FUSE_INIT, 0, NULL, n, 2000))
		return fc_failf(r->ctx, __FILE__, __LINE__,
				"message %" PRIu64 ": RESEND accepted before INIT, but the "
				"unanswered INIT was not sent again", index), -1;
	if (n <= KD_INIT_HOLDS)
		return 0;
	r->w.before_init = false;
	fc_log(r->ctx, "message %" PRIu64 ": RESEND sent the unanswered INIT again (%d times now); "
		       "answered EPROTO, the connection is initialized in error from here on",
	       index, n);
	return 0;
}

/*
 * On an io_uring connection, RETRIEVE with notify_unique 0 is accepted and
 * its NOTIFY_REPLY request then trips WARN_ON(req->in.h.unique == 0) in
 * fuse_uring_prepare_send() (fs/fuse/dev_uring.c:686 on 6.18.44, found by
 * this family over the ring): any server can splat the kernel, and the
 * request is lost.  The stream stays as generated; on the ring those
 * messages are withheld and counted, and uring/retrieve_notify_unique_zero
 * reproduces the WARN where a splat is allowed (a VM).
 */
static bool ring_warns(struct kd_run *r, const uint8_t *buf, size_t len)
{
	struct fuse_out_header oh;
	uint64_t notify_unique;

	if (strcmp(srv_transport(r->s), "uring") || len < sizeof(oh) + sizeof(notify_unique))
		return false;
	memcpy(&oh, buf, sizeof(oh));
	memcpy(&notify_unique, buf + sizeof(oh), sizeof(notify_unique));
	return oh.unique == 0 && oh.error == FUSE_NOTIFY_RETRIEVE && notify_unique == 0;
}

/*
 * The feature probes, on the row's own connection in its canonical state:
 * each settles one rule variant where the model's two predictions differ,
 * and must agree with the model where they do not.  Their effects are
 * tracked as for any message (a RESEND before INIT sends the INIT again).
 */
static int learn_kernel(struct kd_run *r)
{
	uint8_t *buf = r->buf;
	struct kd_learned l;
	char line[512];
	int bad = 0;

	kd_kernel_start(&l, srv_kernel_minor(r->s));
	for (size_t i = 0; i < kd_nprobes(); i++) {
		size_t len = kd_probe_build(i, buf, KD_MSG_MAX);
		struct nr_verdict v;
		struct nr_state st;
		int kerr;

		kd_oracle(&r->w, &st);
		kerr = srv_notify(r->s, buf, len, 2000);
		if (kerr == ETIMEDOUT || kerr == EBUSY)
			return fc_failf(r->ctx, __FILE__, __LINE__, "probe %zu: write blocked: %s", i,
					fc_errname(kerr)), -1;
		if (kd_probe_judge(&l, i, &st, r->root_only ? NULL : &r->s->init_out, buf, len, kerr,
				   &v, line, sizeof(line))) {
			fc_failf(r->ctx, __FILE__, __LINE__, "%s", line);
			bad = 1;
		} else {
			fc_log(r->ctx, "model: %s", line);
		}
		if (kerr == 0 && (v.effects & NR_EFF_RESEND)) {
			r->resends++;
			if (r->w.before_init && init_answered(r, i))
				return -1;
		}
		if (kd_needs_resync(buf, len, &v, kerr) && resync(r))
			return -1;
	}
	r->k = l.k;
	kd_learned_name(&l, line, sizeof(line));
	fc_log(r->ctx, "model: %s", line);
	return bad ? -1 : 0;
}

/* One message: predict, write, compare; a disagreement is replayed once. */
static int one(struct kd_run *r, uint64_t index)
{
	uint8_t *buf = r->buf;
	struct kd_shape sh;
	struct nr_verdict v;
	size_t len = kd_generate(&r->cfg, r->seed, index, buf, KD_MSG_MAX, &sh);
	int kerr, kerr2;

	if (ring_warns(r, buf, len)) {
		r->withheld++;
		return 0;
	}
	kerr = write_one(r, index, buf, len, &sh, &v);
	if (kerr < 0)
		return -1;
	r->sent[sh.bucket]++;
	r->rule_hits[v.rule]++;
	if (r->verbose)
		fc_log(r->ctx, "%" PRIu64 ": %s -> kernel %s, model %s (rule %d)", index, sh.desc,
		       fc_errname(kerr), nr_errno_name(v.err), (int)v.rule);
	if (kerr == v.err) {
		r->agreed[sh.bucket]++;
		return kd_needs_resync(buf, len, &v, kerr) ? resync(r) : 0;
	}
	/* Replay from the canonical state: a model bug disagrees again. */
	if (resync(r))
		return -1;
	kerr2 = write_one(r, index, buf, len, &sh, &v);
	if (kerr2 < 0)
		return -1;
	if (kerr2 == v.err) {
		r->transient++;
		r->agreed[sh.bucket]++;
		fc_log(r->ctx, "transient: message %" PRIu64 " (%s): kernel %s, then %s on replay "
			       "= model", index, sh.desc, fc_errname(kerr), fc_errname(kerr2));
	} else {
		r->disagreed[sh.bucket]++;
		if (r->disagreements++ < KD_DETAIL_MAX)
			report(r, index, buf, len, &sh, &v, kerr, kerr2);
		tally_class(r, v.rule, kerr, index);
	}
	return resync(r);
}

static enum fc_verdict run_kdiff(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct kd_row *row = c->row;
	struct kd_run *r = ctx->fx;
	struct utsname u;
	int64_t t0, budget_end;
	uint64_t i, done = 0;

	r->seed = row->seed;
	r->count = row->count;
	if (fc_env_u64(ctx, "FSNC_KDIFF_SEED", &r->seed) ||
	    fc_env_u64(ctx, "FSNC_KDIFF_COUNT", &r->count) ||
	    fc_env_u64(ctx, "FSNC_KDIFF_FIRST", &r->first) ||
	    fc_env_u64(ctx, "FSNC_KDIFF_VERBOSE", &r->verbose))
		return fc_verdict(ctx);
	fc_log(ctx, "kdiff: seed %#" PRIx64 " first %" PRIu64 " count %" PRIu64
		    " (FSNC_KDIFF_SEED / FSNC_KDIFF_FIRST / FSNC_KDIFF_COUNT)",
	       r->seed, r->first, r->count);

	uname(&u);
	fc_log(ctx, "kernel %s %s, FUSE 7.%u offered: the rules that differ between kernels "
		    "are probed, not guessed", u.release, u.version, srv_kernel_minor(r->s));
	if (serve_world(r))
		return fc_verdict(ctx);
	if (row->no_init) {
		expect_resent_init(r);
		kd_world_before_init(&r->w);
		r->root_only = true;
	}
	else if (resync(r))
		return fc_verdict(ctx);
	if (learn_kernel(r))
		return fc_verdict(ctx);
	r->k.name_max = r->root_only ? NR_FUSE_NAME_LOW_MAX
				     : nr_name_max_from_init(&r->k, &r->s->init_out);
	r->cfg.name_max = r->k.name_max;
	fc_log(ctx, "model: name_max %u (INIT reply: max_pages %u, FUSE_MAX_PAGES %s)",
	       r->k.name_max, r->s->init_out.max_pages,
	       (r->s->init_out.flags & FUSE_MAX_PAGES) ? "set" : "not set");

	/* Stop short of the runner's deadline with a readable failure. */
	t0 = clk_now_ms();
	budget_end = t0 + (int64_t)fc_ms(ctx, (int)c->timeout_ms) * 8 / 10;
	for (i = r->first; i < r->first + r->count; i++) {
		if (one(r, i))
			break;
		done++;
		if ((done & 255) == 0 && clk_now_ms() > budget_end) {
			fc_failf(ctx, __FILE__, __LINE__,
				 "out of time after %" PRIu64 " of %" PRIu64
				 " messages: raise --timeout-scale", done, r->count);
			break;
		}
	}
	summary(r, (double)(clk_now_ms() - t0) / 1000.0);
	check_notify_replies(r);
	if (r->root_only)
		fc_log(ctx, "kdiff: %" PRIu64 " message(s) written before the INIT reply, %" PRIu64
			    " after the INIT failed", r->before_init_msgs, done - r->before_init_msgs);
	if (r->disagreements)
		fc_failf(ctx, __FILE__, __LINE__,
			 "%" PRIu64 " message(s) where the kernel and the model (%s) disagree",
			 r->disagreements, r->k.name);
	return fc_verdict(ctx);
}

static const struct kd_row kd_rows[] = {
	{ FC_ROW("name_max_4095", "seeded notify/reply writes: kernel errno == notify_rules model, "
				  "INIT with max_pages 32"),
	  .max_pages = 32, .seed = 0x6b64696666ull, .count = 3000 },
	{ FC_ROW("name_max_1024", "seeded notify/reply writes: kernel errno == notify_rules model, "
				  "INIT without MAX_PAGES"),
	  .max_pages = 0, .seed = 0x6b64696667ull, .count = 3000 },
	/*
	 * Before the INIT reply only the root inode exists.  6.18.44 accepts
	 * notifications then (no connection gate); a post-7.0 tree refuses
	 * them all with EINVAL (nr_kernel.notify_needs_init).
	 */
	{ FC_ROW("before_init", "seeded notify/reply writes before the INIT reply: kernel errno == "
				"notify_rules model"),
	  .no_init = 1, .seed = 0x6b64696668ull, .count = 3000 },
};
FC_FAMILY(kdiff_family, "kdiff", kd_rows, .needs = FC_NEED_KERNEL, .labels = "kernel;kdiff",
	  .timeout_ms = 60000, .run = run_kdiff, .fixture = &kd_fixture)
