// SPDX-License-Identifier: GPL-2.0-only
/* ext_common.c - variants, the fixture, the kernel probe, and notification helpers. */
#include "ext_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

/* inotify's private flag bits: resolved by the kernel, never an event. */
#define INOTIFY_FLAGS (IN_ONESHOT | IN_MASK_ADD | IN_MASK_CREATE | IN_EXCL_UNLINK | \
		       IN_ONLYDIR | IN_DONT_FOLLOW)

/*
 * Does the running kernel advertise the profile?  FC_PASS when it does;
 * else a skip saying why not: its INIT offer lacks the bit, or the bit
 * means something else in mainline at the offered minor.
 */
static enum fc_verdict kernel_advertises(struct fc_ctx *ctx, const struct fsn_profile *p)
{
	struct fuse_init_in offer;
	uint32_t word, minor;
	bool has, mainline;

	/* The runner probed the offer once for the whole run; mount only without it. */
	if (ctx->kernel_offer) {
		offer = *ctx->kernel_offer;
	} else {
		struct srv_opts o = {0};
		struct srv *s = srv_start(ctx, &o);

		if (!s)
			return FC_FAIL;
		offer = s->init_in;
		srv_stop(s);
	}
	minor = offer.minor;
	word = p->init_word == FSN_INIT_FLAGS ? offer.flags : offer.flags2;
	has = (word & p->init_bit) != 0;
	mainline = fsn_mainline_takes(p->init_word == FSN_INIT_FLAGS ? FSN_NUM_INIT_FLAG
								     : FSN_NUM_INIT_FLAG2,
				      p->init_bit);
	if (has && mainline)
		return fc_skip(ctx, EXT_SKIP_MAINLINE_FMT, minor, p->name, p->init_bit,
			       p->init_word == FSN_INIT_FLAGS ? "flags" : "flags2",
			       p->init_bit == FUSE_INIT_EXT ? "FUSE_INIT_EXT" : "taken");
	if (!has)
		return fc_skip(ctx, EXT_SKIP_NOT_OFFERED_FMT, minor, p->name,
			       p->init_word == FSN_INIT_FLAGS ? "flags" : "flags2", p->init_bit);
	/* A kernel that offers an unassigned bit: somebody built the extension. */
	return FC_PASS;
}

const char *const ext_prof_names[EXT_NPROF] = {"rfc-2021", "gen-2021", "fsn-1"};

static const struct ext_variant on_model[EXT_NPROF] = {
	{EXT_RFC2021, EXT_MODEL}, {EXT_GEN2021, EXT_MODEL}, {EXT_FSN1, EXT_MODEL}};
static const struct ext_variant on_kernel[EXT_NPROF] = {
	{EXT_RFC2021, EXT_KERNEL}, {EXT_GEN2021, EXT_KERNEL}, {EXT_FSN1, EXT_KERNEL}};

const struct fc_variant ext_variants[EXT_NVARIANTS] = {
	{"@rfc-2021/model", 0, "model;ext", &on_model[EXT_RFC2021]},
	{"@gen-2021/model", 0, "model;ext", &on_model[EXT_GEN2021]},
	{"@fsn-1/model", 0, "model;ext", &on_model[EXT_FSN1]},
	{"@rfc-2021/kernel", FC_NEED_KERNEL, "kernel;ext", &on_kernel[EXT_RFC2021]},
	{"@gen-2021/kernel", FC_NEED_KERNEL, "kernel;ext", &on_kernel[EXT_GEN2021]},
	{"@fsn-1/kernel", FC_NEED_KERNEL, "kernel;ext", &on_kernel[EXT_FSN1]},
};

enum fc_verdict ext_precheck(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct ext_variant *v = c->variant;
	const struct fsn_profile *p = fsn_profile_by_name(ext_prof_names[v->prof]);

	if (v->backend != EXT_KERNEL || !p || !ctx->kernel_offer)
		return FC_PASS;
	return kernel_advertises(ctx, p);
}

enum fc_verdict ext_begin(struct fc_ctx *ctx, const struct fc_case *c, const struct ext_setup *su,
			  struct ext_env *e)
{
	const struct ext_variant *v = c->variant;
	const char *xfail = ((const struct ext_row *)c->row)->xfail[v->prof];
	struct model_opts mo = {0};
	struct srv_opts so = {0};

	memset(e, 0, sizeof(*e));
	e->ctx = ctx;
	e->p = fsn_profile_by_name(ext_prof_names[v->prof]);
	if (!e->p)
		return fc_failf(ctx, __FILE__, __LINE__, "no profile %s", ext_prof_names[v->prof]),
		       FC_FAIL;
	if (v->backend == EXT_KERNEL && !(su && su->any_kernel)) {
		enum fc_verdict adv = kernel_advertises(ctx, e->p);

		if (adv != FC_PASS)
			return adv;
	}
	if (xfail)
		fc_xfail(ctx, "%s: %s", e->p->name, xfail);

	if (v->backend == EXT_MODEL) {
		mo.profile = e->p;
		mo.max_queued_events = su ? su->max_queued_events : 0;
		mo.timeout_ms = fc_ms(ctx, su && su->timeout_ms ? su->timeout_ms : 500);
#ifdef FSNC_MUTATION
		{
			const char *mut = getenv("FSNC_MUTANT");

			mo.mutant = mut ? (enum model_mutant)atoi(mut) : MUT_NONE;
		}
#endif
		e->m = model_new(&mo);
		if (!e->m)
			return fc_failf(ctx, __FILE__, __LINE__, "model_new failed"), FC_FAIL;
		so.inproc = model_transport(e->m);
	}
	so.profile = su && su->server_declines ? NULL : e->p;
	if (su && su->init_ext_echo) {
		so.flags = FUSE_INIT_EXT;
		so.flags2 = FUSE2_HAS_RESEND; /* something a real server asks for in flags2 */
	}
	so.entry_valid_ns = 3600000000000ull;
	so.attr_valid_ns = 3600000000000ull;
	e->s = srv_start(ctx, &so);
	if (!e->s) {
		if (e->m)
			model_free(e->m);
		return FC_FAIL;
	}
	/* Requests of the server's profile are logged only with a profile set. */
	if (!so.profile)
		e->s->opts.profile = NULL;
	e->cl = e->m ? fsn_client_model(ctx, e->m, e->s, mo.max_queued_events)
		     : fsn_client_kernel(ctx, e->s);
	if (!e->cl) {
		ext_end(e);
		return fc_failf(ctx, __FILE__, __LINE__, "no client"), FC_FAIL;
	}
	return FC_PASS;
}

void ext_end(struct ext_env *e)
{
	fsn_client_free(e->cl);
	e->cl = NULL;
	if (e->s)
		srv_stop(e->s);
	e->s = NULL;
	if (e->m)
		model_free(e->m);
	e->m = NULL;
}

/* The env of the running case: one case runs per process. */
static struct ext_env ext_fx_env;

enum fc_verdict ext_start(struct fc_ctx *ctx, const struct fc_case *c, const struct ext_setup *su)
{
	enum fc_verdict v = ext_begin(ctx, c, su, &ext_fx_env);

	if (v == FC_PASS)
		ctx->fx = &ext_fx_env;
	return v;
}

static enum fc_verdict ext_setup_defaults(struct fc_ctx *ctx, const struct fc_case *c)
{
	return ext_start(ctx, c, NULL);
}

void ext_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	(void)c;
	if (ctx->fx)
		ext_end(ctx->fx);
	ctx->fx = NULL;
}

const struct fc_fixture ext_fixture = {ext_setup_defaults, ext_teardown};

int ext_object(struct ext_env *e, uint64_t parent, const char *name, mode_t mode, uint64_t nodeid,
	       uint64_t generation)
{
	uint64_t id = 0, gen = 0;
	int err;

	struct tree_node *n = srv_add(e->s, parent, name, mode, nodeid, generation);

	if (!n)
		return EEXIST;
	if (S_ISREG(mode)) {
		/* One byte to read: a read of an empty file reports no IN_ACCESS. */
		srv_lock(e->s);
		n->data[0] = 'x';
		n->datalen = 1;
		srv_unlock(e->s);
	}
	err = fcl_lookup(e->cl, parent, name, &id, &gen);
	CHECK_ERR(e->ctx, err, 0, "lookup");
	CHECK(e->ctx, err || (id == nodeid && gen == fcl_generation(e->cl, generation)),
	      "lookup of %s gave (%llu, %llu), served (%llu, %llu)", name, (unsigned long long)id,
	      (unsigned long long)gen, (unsigned long long)nodeid, (unsigned long long)generation);
	return err;
}

void ext_event(struct ext_env *e, struct fsn_notify *n, uint64_t nodeid, uint64_t generation,
	       uint32_t mask, const char *name, uint32_t cookie)
{
	memset(n, 0, sizeof(*n));
	n->kind = FSN_REC_EVENT;
	n->nodeid = nodeid;
	n->generation = generation;
	n->has_generation = e->p->identity == FSN_IDENTITY_NODEID_GEN;
	n->mask = mask;
	n->cookie = e->p->rename == FSN_RENAME_COOKIE_PAIR ? cookie : 0;
	if (name) {
		n->name.name = name;
		n->name.namelen = (uint32_t)strlen(name);
	}
}

size_t ext_encode(struct ext_env *e, const struct fsn_notify *n, uint8_t *out, size_t cap)
{
	size_t len = fsn_encode_notify(e->p, n, out, cap);

	CHECK(e->ctx, len > 0, "%s cannot encode this %s record", e->p->name,
	      fsn_record_name(n->kind));
	return len;
}

int ext_send_payload(struct ext_env *e, const void *payload, size_t len)
{
	uint8_t *msg = malloc(len + sizeof(struct fuse_out_header));
	size_t n;
	int err;

	if (!msg)
		return ENOMEM;
	n = fw_notify_encode(msg, len + sizeof(struct fuse_out_header), e->p->notify_code, payload,
			     len);
	err = srv_notify(e->s, msg, n, 2000);
	free(msg);
	return err;
}

int ext_send(struct ext_env *e, const struct fsn_notify *n)
{
	uint8_t buf[4096];
	size_t len = ext_encode(e, n, buf, sizeof(buf));

	return len ? ext_send_payload(e, buf, len) : EINVAL;
}

int ext_requests(struct ext_env *e, struct srv_req_log *out, int max)
{
	return srv_fsnotify_log(e->s, out, max);
}

bool ext_request_means(struct ext_env *e, const struct srv_req_log *q, uint32_t agg,
		       uint64_t generation)
{
	if (e->p->request == FSN_REQUEST_AGGREGATED_MASK)
		return q->mask == agg && q->generation == generation;
	if (!agg)
		return q->action == FSN_ACTION_REMOVE;
	return q->action == FSN_ACTION_ADD && q->mask == agg && !(q->mask & INOTIFY_FLAGS);
}

size_t ext_read(struct ext_env *e, int id, struct ino_event *ev, size_t max)
{
	size_t n = 0;
	int err = fcl_read(e->cl, id, ev, max, &n);

	CHECK_ERR(e->ctx, err, 0, "read");
	return n;
}

void ext_log_events(struct ext_env *e, const struct ino_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char m[128];

		fc_log(e->ctx, "  event wd %d %s cookie %u name \"%s\"", ev[i].wd,
		       ino_mask_str(ev[i].mask, m, sizeof(m)), ev[i].cookie, ev[i].name);
	}
}
