/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * model.h - the kernel side of remote fsnotify over FUSE, as an executable
 * specification.
 *
 * No kernel implements the extension, so the suite carries this model of
 * what a kernel with it would do, under each protocol profile, defects
 * included: under rfc-2021 a reused nodeid DOES misattribute an event,
 * because that is what the posted design does; the cases record it as an
 * expected failure for that profile.
 *
 * The model stands where /dev/fuse stands: model_transport() gives the
 * server a transport whose read() returns the requests the model sends
 * (INIT first, then LOOKUP, FORGET, FSNOTIFY, ...) and whose write()
 * consumes replies and notifications and returns the errno the model's
 * validation gives, exactly as a write() on /dev/fuse would.
 *
 * The client side (what system calls would do on a real kernel) is the
 * model_* operations below.  Operations that need the server (a LOOKUP, an
 * FSNOTIFY request) send the request and wait for the reply up to the
 * model's deadline; a FORGET has no reply.
 *
 * Kernel behaviour the model copies from what 6.18 was seen to do (see
 * cases/stale.c): a LOOKUP that returns a cached nodeid with another
 * generation or file type makes the old inode bad and a new one; watches
 * stay on the bad inode and are told nothing.
 *
 * Thread safety: one mutex inside; the server thread, the notifier thread
 * and the case's thread may call in concurrently (or one thread does it
 * all: model_serve_inline()).
 */
#ifndef FSNC_MODEL_H
#define FSNC_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "profiles.h"
#include "transport.h"

/*
 * Known bugs the mutation check plants, one at a time, to prove that the
 * cases catch them.  Only builds with FSNC_MUTATION defined honour
 * model_opts.mutant; elsewhere it is ignored.
 */
enum model_mutant {
	MUT_NONE = 0,
	MUT_IGNORE_GENERATION,     /* identity by nodeid only, under every profile */
	MUT_UNBOUNDED_NAMELEN,     /* namelen not bounded by the message or NAME_MAX */
	MUT_PAIR_COOKIE_ACROSS_RENAMES, /* every rename gets the same cookie */
	MUT_RAW_USER_MASK,         /* the request carries the caller's raw mask, not the aggregate */
	MUT_LOCAL_AND_REMOTE,      /* local events delivered although remote ones are on */
	MUT_MISCOUNT_LOOKUP,       /* each entry counted twice: FORGET gives back too much */
	MUT_NO_REQUEST_ON_RM_WATCH,/* inotify_rm_watch sends no FSNOTIFY request */
	MUT_OVERFLOW_NOT_COALESCED,/* every overflow queues another IN_Q_OVERFLOW */
	MUT_ACCEPT_RESERVED,       /* non-zero reserved fields accepted */
	MUT_ONESHOT_KEEPS_WATCH,   /* IN_ONESHOT watch survives its first event */
	MUT_STALE_DELIVERED,       /* a notification with an old generation is delivered */
	MUT_COUNT
};

const char *model_mutant_name(enum model_mutant m);

struct model_opts {
	const struct fsn_profile *profile;
	unsigned max_queued_events; /* per inotify instance; 0 = 16384, the kernel default */
	int timeout_ms;             /* deadline for a reply; 0 = 2000 */
	enum model_mutant mutant;   /* FSNC_MUTATION builds only */
};

struct model;

/*
 * A build option, FSNC_CONFIG_MODEL (harness/repro/amalgam.h): fsnc has
 * it; a reproducer, which writes a kernel variant, never does.  Without it
 * the stubs at the end stand in: a model variant run from such a file
 * fails, saying why, at model_new().
 */
#ifdef FSNC_CONFIG_MODEL
struct model *model_new(const struct model_opts *o);
/* Ends the connection (blocked reads return ENODEV) and frees everything. */
void model_free(struct model *m);
/* The transport the server uses; valid until model_free(). */
struct transport *model_transport(struct model *m);
/* End the connection now: pending client operations fail with ECONNABORTED. */
void model_abort(struct model *m);
/*
 * Serve in the caller's thread instead of a server thread: whenever the
 * model would wait for a reply (a client operation, a request a
 * notification causes), it calls serve(arg), which reads what is queued
 * (the transport's read returns EAGAIN when nothing is) and answers it.  A
 * request still unanswered when serve() returns is one the server holds:
 * the wait ends with ETIMEDOUT at once, as it would at the deadline.  From
 * inside serve() the model never waits (as for a single-threaded server
 * that writes from its read loop): requests go out in the background and
 * the next serve() answers them.  No thread, no deadline, one interleaving
 * per sequence of operations: what the fuzzer needs.
 */
void model_serve_inline(struct model *m, void (*serve)(void *arg), void *arg);

/*
 * After the server's INIT reply: whether it turned the profile's capability
 * on (the bit in the profile's INIT word).  Until then, and when it is off,
 * there are no FSNOTIFY requests and no remote events; local events flow.
 */
bool model_extension_on(const struct model *m);
/* What the model offered in INIT (the kernel it pretends to be). */
uint32_t model_offered_minor(const struct model *m);

/* ---- the inode cache ---- */

/*
 * LOOKUP(parent, name) through the server.  On success the inode cache holds
 * (nodeid, generation) with nlookup + 1.  A cached nodeid that comes back
 * with another generation or file type makes the old inode bad and caches a
 * new one.  Returns 0 or the errno (the server's, or ETIMEDOUT).
 */
int model_lookup(struct model *m, uint64_t parent, const char *name, uint64_t *nodeid,
		 uint64_t *generation);
/* The cached, non-bad inode for nodeid: 1 and its generation, or 0. */
int model_cached(struct model *m, uint64_t nodeid, uint64_t *generation, int64_t *nlookup);
/*
 * Evict an inode, as memory pressure (drop_caches) does: a FORGET(nlookup)
 * goes to the server.  0; ENOENT if not cached; EBUSY while a mark pins it
 * (fsnotify holds a reference to a watched inode), or for the root.
 */
int model_evict(struct model *m, uint64_t nodeid);
/*
 * UNLINK(parent, name) through the server; on success the child's watches
 * get IN_DELETE_SELF (those that asked for it) then IN_IGNORED, and the
 * inode is evicted as above; under fsn-1 its FORGET, not a request, tells
 * the server that nothing is watched.
 */
int model_unlink(struct model *m, uint64_t parent, const char *name);

/* ---- inotify on the model ---- */

/* A new inotify instance: its id (>= 0) or -errno. */
int model_inotify_init(struct model *m);
/*
 * inotify_add_watch on a cached inode: IN_MASK_ADD ORs into an existing
 * watch, IN_MASK_CREATE refuses one (EEXIST), IN_ONESHOT removes the watch
 * after its first event.  When the extension is on, the FSNOTIFY request
 * follows the profile: rfc-2021/gen-2021 send the caller's raw mask, the
 * group pointer and action 1 after every successful add; fsn-1 sends the
 * inode's resulting aggregated mask, and only when it changed.  The
 * server's reply errno is returned; fsn-1 and gen-2021 roll the watch back,
 * rfc-2021 as posted keeps it (the watch exists, remote events never come).
 * ETIMEDOUT when no reply came in time: the watch stays, a late reply is
 * accepted and ignored.
 */
int model_add_watch(struct model *m, int id, uint64_t nodeid, uint32_t mask, int *wd);
/* inotify_rm_watch: IN_IGNORED, and the request as for a mask change. */
int model_rm_watch(struct model *m, int id, int wd);
/* close() of the inotify fd: every watch goes, one request per inode changed. */
int model_inotify_close(struct model *m, int id);
/* Drain up to max queued events (never blocks). */
int model_read(struct model *m, int id, struct ino_event *ev, size_t max, size_t *n);

/* ---- fanotify on the model (profiles with FSN_RENAME_ONE_RECORD only) ---- */

int model_fanotify_init(struct model *m); /* id, or -EOPNOTSUPP for cookie-pair profiles */
/* Mark a cached directory for FAN_RENAME (mask FSN_FS_RENAME). */
int model_fan_mark(struct model *m, int id, uint64_t nodeid, uint64_t mask);
/*
 * Drain FAN_RENAME events.  One RENAME record makes ONE event, carrying an
 * OLD_DFID_NAME record when the source parent is marked and a NEW_DFID_NAME
 * record when the destination parent is marked, each naming (parent nodeid,
 * generation) and the name: as 6.18 does for local renames with inode marks
 * (cases/rename.c).  With both marked, one event names both ends, which two
 * cookie-pair notifications can never give.
 */
int model_fan_read(struct model *m, int id, struct fan_event *ev, size_t max, size_t *n);

/* ---- local changes (made through this mount, not by the server) ---- */

/*
 * A change made through the mount: fsnotify on the local inode.  Delivered
 * to the watches on nodeid (with name, for a child of a watched directory)
 * except the bits in the profile's local_suppressed_mask while the extension
 * is on, so a change is never reported twice.
 */
int model_local_change(struct model *m, uint64_t nodeid, uint32_t mask, const char *name);

/* ---- what the model saw, for cases and the fuzzer ---- */

struct model_stats {
	unsigned requests_sent[64];   /* by opcode, FSNOTIFY counted at [63] */
	unsigned fsnotify_requests;
	unsigned notifications_accepted;
	unsigned notifications_rejected;
	unsigned events_remote;       /* queued to a watch from a notification */
	unsigned events_local;
	unsigned overflows;           /* overflow events queued: IN_Q_OVERFLOW, FAN_Q_OVERFLOW */
	int last_notify_errno;
	uint32_t last_defects;        /* FSN_DEFECT_* of the last accepted notification */
};
void model_stats(struct model *m, struct model_stats *out);

/*
 * The invariants the fuzzer checks after every step: lookup counts never
 * negative; every queued event's wd is a live watch, or the event is
 * followed in the queue by that wd's IN_IGNORED (or an overflow); at most
 * one IN_Q_OVERFLOW per queue and never more than the bound plus one
 * events; no watch on a forgotten inode; no remote event with a generation
 * reached a watch on an inode of another generation.  0, or EPROTO with why.
 */
int model_check_invariants(struct model *m, char *why, size_t cap);

/*
 * Which invariant broke, for callers that must tell a model bug from a
 * documented defect of the profile: under rfc-2021 a server can forge
 * kernel-only bits (the mask is not checked: an IN_Q_OVERFLOW or IN_IGNORED
 * with a live wd) and a reused nodeid misattributes events (no generation).
 */
enum model_invariant {
	MINV_OK = 0,
	MINV_NLOOKUP_NEGATIVE,
	MINV_WATCH_ON_FORGOTTEN,
	MINV_QUEUE_BOUND,       /* more than max_queued_events + 1 overflow */
	MINV_OVERFLOW_SHAPE,    /* IN_Q_OVERFLOW with a wd, or a second one */
	MINV_IGNORED_LIVE,      /* IN_IGNORED for a watch that still exists */
	MINV_EVENT_AFTER_GONE,  /* an event of a removed watch without its IN_IGNORED */
	MINV_MISATTRIBUTED,     /* a remote event reached another generation */
};
/* As model_check_invariants(), and *which (if not NULL) says which one broke. */
int model_check_invariants_ex(struct model *m, enum model_invariant *which, char *why, size_t cap);
#else
#include <stdio.h>

static inline struct model *model_new(const struct model_opts *o)
{
	(void)o;
	fprintf(stderr, "the in-process model is not built into this file: a reproducer runs the "
			"kernel variants (NAME/kernel)\n");
	return NULL;
}

static inline void model_free(struct model *m)
{
	(void)m;
}

static inline struct transport *model_transport(struct model *m)
{
	(void)m;
	return NULL;
}
#endif

#endif
