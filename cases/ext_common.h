/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ext_common.h - what the remote-fsnotify (extension) families share.
 *
 * A row never names a profile or a backend: each family registers its rows
 * with ext_variants, once per profile (rfc-2021, gen-2021, fsn-1) and per
 * backend (the model, and the running kernel; ext/kdiff runs fsn-1 on the
 * kernel only, against the model in the same row).  On the kernel backend the
 * case skips unless the kernel advertises the profile in INIT: no mainline
 * kernel does, the fsn-1 reference kernel (kernel/) does for fsn-1, and for
 * rfc-2021 and gen-2021 the skip explains why the RFC's numbers can never be
 * advertised again (they are mainline's now).  The row runs the same steps
 * on both backends through the client of harness/client/fsn_client.h, in the
 * env the family's fixture starts (ctx->fx).
 *
 * Expected failures are data: each row may carry the reason a profile fails
 * it (a defect of the posted design, not of the suite), and the case then
 * reports XFAIL, or XPASS if the defect did not show.
 */
#ifndef FSNC_EXT_COMMON_H
#define FSNC_EXT_COMMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "case.h"
#include "events.h"
#include "fsn_client.h"
#include "fsn_codec.h"
#include "model.h"
#include "profiles.h"
#include "server.h"

enum ext_backend { EXT_MODEL, EXT_KERNEL };
/* The profiles, in the order of the variants and of a row's xfail[]. */
enum ext_prof { EXT_RFC2021, EXT_GEN2021, EXT_FSN1, EXT_NPROF };
/* Their names, as fsn_profile_by_name() knows them. */
extern const char *const ext_prof_names[EXT_NPROF];

/* What a case runs on (its c->variant). */
struct ext_variant {
	enum ext_prof prof;
	enum ext_backend backend;
};

/* Every row's six variants: the three profiles on the model, then on the running kernel. */
#define EXT_NVARIANTS 6
extern const struct fc_variant ext_variants[EXT_NVARIANTS];

/*
 * The head of every ext row: a family's row struct begins with `struct
 * ext_row ext;`.  xfail[] holds why each profile fails the row (a defect of
 * its design), by enum ext_prof, or NULL.
 */
struct ext_row {
	struct fc_row fc;
	const char *xfail[EXT_NPROF];
};

/*
 * { EXT_ROW("name", "purpose"), .field = ... }, or with the reasons the
 * profiles fail it, rfc-2021's first:
 * { EXT_ROW("name", "purpose", .xfail = {XF_RAW_MASK, XF_RAW_MASK}), ... }.
 */
#define EXT_ROW(nm, purp, ...) .ext = { FC_ROW(nm, purp), __VA_ARGS__ }

struct ext_setup {
	unsigned max_queued_events; /* 0: the kernel default */
	int timeout_ms;             /* the model's reply deadline; 0: 500 ms */
	bool server_declines;       /* the server does not turn the extension on */
	bool init_ext_echo;         /* ... but echoes FUSE_INIT_EXT, as flags2 users do */
	/*
	 * A control that runs on every kernel: the server declines, so a kernel
	 * that never advertised the profile is not a reason to skip.
	 */
	bool any_kernel;
};

struct ext_env {
	struct fc_ctx *ctx;
	const struct fsn_profile *p;
	struct model *m;          /* the model backend's model; NULL on a kernel */
	struct srv *s;
	struct fsn_client *cl;    /* the watcher's side, on either backend */
};

/*
 * Why a kernel variant skips, by what the kernel's INIT offer says of the
 * profile's bit.
 */
/* minor, profile, bit, "flags"/"flags2", "FUSE_INIT_EXT"/"taken" */
#define EXT_SKIP_MAINLINE_FMT \
	"kernel FUSE 7.%u does not advertise %s: INIT bit %#x of %s is %s in mainline, not remote fsnotify"
/* minor, profile, "flags"/"flags2", bit */
#define EXT_SKIP_NOT_OFFERED_FMT "kernel FUSE 7.%u does not advertise %s (INIT %s bit %#x not offered)"

/* The runner's precheck: a kernel variant skips from the probed INIT offer, before any fork. */
enum fc_verdict ext_precheck(struct fc_ctx *ctx, const struct fc_case *c);
/*
 * Start the case's variant in e: on the model, a model and a server talking
 * through it; on the kernel, the server on a real mount when the kernel
 * advertises the profile, else a skip naming why it does not.  Either way
 * e->cl is the watcher's side.  Returns FC_PASS to go on, or the verdict to
 * return at once (with nothing left to end).
 */
enum fc_verdict ext_begin(struct fc_ctx *ctx, const struct fc_case *c, const struct ext_setup *su,
			  struct ext_env *e);
/* Stop the server and free the model and the client. */
void ext_end(struct ext_env *e);

/*
 * The fixture: ext_begin() into the env of the running case, ctx->fx.
 * ext_start() is the setup of a family that computes its ext_setup from
 * the row; ext_fixture starts every row with the defaults.
 */
enum fc_verdict ext_start(struct fc_ctx *ctx, const struct fc_case *c, const struct ext_setup *su);
void ext_teardown(struct fc_ctx *ctx, const struct fc_case *c);
extern const struct fc_fixture ext_fixture;

/* Serve an object and let the model look it up.  Returns 0 on success. */
int ext_object(struct ext_env *e, uint64_t parent, const char *name, mode_t mode, uint64_t nodeid,
	       uint64_t generation);

/* A valid EVENT for this profile (a generation only where the profile has one). */
void ext_event(struct ext_env *e, struct fsn_notify *n, uint64_t nodeid, uint64_t generation,
	       uint32_t mask, const char *name, uint32_t cookie);
/* Encode and write a notification; returns the errno the model gave the write. */
int ext_send(struct ext_env *e, const struct fsn_notify *n);
/* Write a notification whose payload is given as bytes (after the header). */
int ext_send_payload(struct ext_env *e, const void *payload, size_t len);
/* Encode a notification payload for mutation by a case; returns its length. */
size_t ext_encode(struct ext_env *e, const struct fsn_notify *n, uint8_t *out, size_t cap);

/* FSNOTIFY requests the server received so far. */
int ext_requests(struct ext_env *e, struct srv_req_log *out, int max);
/*
 * Does request q tell the server the inode's resulting mask `agg`?  fsn-1
 * says it directly; the RFC layout says "add raw mask" or "remove", which
 * only means agg when one watch exists and no inotify flag was passed.
 */
bool ext_request_means(struct ext_env *e, const struct srv_req_log *q, uint32_t agg,
		       uint64_t generation);

/* Drain an inotify instance of the model. */
size_t ext_read(struct ext_env *e, int id, struct ino_event *ev, size_t max);
/* Log events as TAP comments. */
void ext_log_events(struct ext_env *e, const struct ino_event *ev, size_t n);

/* Reasons shared by many rows: the review's objections, as the posted code shows them. */
#define XF_NO_GENERATION                                                              \
	"rfc-2021 names objects by nodeid only: a reused nodeid misattributes the event " \
	"(review: a 64-bit nodeid is not a unique object identifier)"
#define XF_RAW_MASK                                                                   \
	"the RFC request carries the caller's raw mask per call, not the inode's resulting mask"
#define XF_GROUP_POINTER "the RFC request's group field is the fsnotify_group's kernel address"
#define XF_COOKIE_FROM_SERVER                                                         \
	"cookies come from the server in a cookie-pair profile; nothing checks or makes them"
#define XF_NO_OVERFLOW "the profile has no overflow notification"
#define XF_VERDICT_DISCARDED "the RFC receive side discards its verdict: the server never learns"

#endif
