// SPDX-License-Identifier: GPL-2.0-only
/*
 * model.c - the kernel side of remote fsnotify over FUSE, as an executable
 * specification (see model.h for the contract).
 *
 * The model stands where /dev/fuse stands.  Its files, one job each, and
 * their sections:
 *   model_internal.h  state: inodes (the icache), dentries, inotify/fanotify
 *                     groups, watches and marks, requests (queued ->
 *                     processing -> done); the helpers every file needs and
 *                     the functions one file calls in another
 *   model.c           tables: the kernel each profile pretends to be, mutant
 *                     names; life cycle: model_new (INIT), abort, free; what
 *                     the model saw: stats, invariants
 *   model_dev.c       the connection, as fs/fuse/dev.c: requests (build,
 *                     queue, wait with a CLOCK_MONOTONIC deadline,
 *                     complete); replies and mainline notifications
 *                     (notify_rules.h with the model as oracle); the
 *                     transport: read (requests) and write (replies,
 *                     notifications)
 *   model_cache.c     the inode cache and dentries; client ops model_lookup,
 *                     model_cached, model_evict, model_unlink
 *   model_fsnotify.c  queues: inotify's notification queue (merge, bound,
 *                     one overflow); delivery: fsnotify on a model inode,
 *                     IN_ONESHOT, the identity record; detach: mark removal
 *                     and the FSNOTIFY requests it causes; client ops of
 *                     inotify, fanotify and local changes
 *   model_ext.c       the extension's notifications: EVENT, RENAME, OVERFLOW
 *
 * Kernel behaviour copied from 6.18 where the extension does not change it:
 * inotify merges an event identical to the last queued one (inotify_merge),
 * queues one overflow event while it is in the queue, IN_IGNORED follows a
 * removed mark; a LOOKUP with another generation or type makes the old
 * inode bad and its watches deaf (cases/stale.c); FAN_RENAME carries the
 * record of each marked parent only (cases/rename.c).
 */
#ifdef FSNC_CONFIG_MODEL /* left out of a reproducer: it runs the kernel */
#include "model_internal.h"
#include "clock.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- tables ---------------------------------------------------------------------------- */

/*
 * INIT flags a kernel offers besides the extension's bit.  0x33fffffb is
 * bits 0..29 without FUSE_FILE_OPS (2), FUSE_MAP_ALIGNMENT (26, DAX only) and
 * FUSE_SUBMOUNTS (27, virtiofs only): what 5.15 (the RFC's base) and 6.18
 * both offer; with FUSE_INIT_EXT it is the 0x73fffffb seen on the build
 * machines.  That the RFC's FUSE_HAVE_FSNOTIFY makes the very same word is
 * the collision the suite is about.
 */
#define OFFER_FLAGS 0x33fffffbu
/* 6.18 fuse_send_init(): flags2 with CONFIG_FUSE_PASSTHROUGH, no DAX, no io_uring. */
#define OFFER_FLAGS2_6_18                                                                  \
	(FUSE2_SECURITY_CTX | FUSE2_CREATE_SUPP_GROUP | FUSE2_HAS_EXPIRE_ONLY |              \
	 FUSE2_DIRECT_IO_ALLOW_MMAP | FUSE2_PASSTHROUGH | FUSE2_NO_EXPORT_SUPPORT |          \
	 FUSE2_HAS_RESEND | FUSE2_ALLOW_IDMAP | FUSE2_REQUEST_TIMEOUT)
/* bdi ra_pages (VM_READAHEAD_PAGES) * PAGE_SIZE */
#define OFFER_MAX_READAHEAD 131072u
/* fuse_init_in before 7.36: major, minor, max_readahead, flags. */
#define INIT_IN_SIZE_PRE_7_36 16u

static const struct kernel_row kernel_rows[] = {
	/*
	 * The RFC's tree was 5.15 (7.34) with the RFC's own 7.36: no flags2, a
	 * 16-byte fuse_init_in, every notify code above 6 unknown.  "ignores
	 * it": fuse_fsnotify_send_request()'s error goes back to the caller,
	 * but nothing undoes the mark.
	 */
	{ "rfc-2021", NR_PRESET_6_1, 36, 0, INIT_IN_SIZE_PRE_7_36, false, false },
	/* The review's struct on the same base; this project's reading rolls back. */
	{ "gen-2021", NR_PRESET_6_1, 36, 0, INIT_IN_SIZE_PRE_7_36, true, false },
	/* docs/fsn-1.md section 7: 7.45 with a flags2 bit; ENOSYS stops requests. */
	{ "fsn-1", NR_PRESET_6_18, 0, OFFER_FLAGS2_6_18, sizeof(struct fuse_init_in), true, true },
};

static const char *const mutant_names[MUT_COUNT] = {
	[MUT_NONE] = "none",
	[MUT_IGNORE_GENERATION] = "ignore_generation",
	[MUT_UNBOUNDED_NAMELEN] = "unbounded_namelen",
	[MUT_PAIR_COOKIE_ACROSS_RENAMES] = "pair_cookie_across_renames",
	[MUT_RAW_USER_MASK] = "raw_user_mask",
	[MUT_LOCAL_AND_REMOTE] = "local_and_remote",
	[MUT_MISCOUNT_LOOKUP] = "miscount_lookup",
	[MUT_NO_REQUEST_ON_RM_WATCH] = "no_request_on_rm_watch",
	[MUT_OVERFLOW_NOT_COALESCED] = "overflow_not_coalesced",
	[MUT_ACCEPT_RESERVED] = "accept_reserved",
	[MUT_ONESHOT_KEEPS_WATCH] = "oneshot_keeps_watch",
	[MUT_STALE_DELIVERED] = "stale_delivered",
};

const char *model_mutant_name(enum model_mutant m)
{
	return (unsigned)m < MUT_COUNT && mutant_names[m] ? mutant_names[m] : "?";
}

#define DEFAULT_MAX_EVENTS 16384u
#define DEFAULT_TIMEOUT_MS 2000
/* model_free() waits this long for callers still inside the model. */
#define FREE_DRAIN_MS 5000

static const struct kernel_row *kernel_row_named(const char *name)
{
	for (size_t i = 0; i < sizeof(kernel_rows) / sizeof(kernel_rows[0]); i++)
		if (name && !strcmp(kernel_rows[i].profile, name))
			return &kernel_rows[i];
	return NULL;
}

/* A profile the table does not name (a test's copy) gets the row of its request semantics. */
static const struct kernel_row *kernel_row(const struct fsn_profile *p)
{
	const struct kernel_row *r = kernel_row_named(p->name);

	if (r)
		return r;
	return kernel_row_named(p->request == FSN_REQUEST_AGGREGATED_MASK ? "fsn-1" : "rfc-2021");
}

/* ---- life cycle ----------------------------------------------------------------------------- */

static int send_init(struct model *m)
{
	struct fuse_init_in in = {
		.major = FUSE_KERNEL_VERSION,
		.minor = m->offered_minor,
		.max_readahead = OFFER_MAX_READAHEAD,
		.flags = OFFER_FLAGS,
		.flags2 = m->row->flags2,
	};
	struct m_req *r;

	if (m->p->init_word == FSN_INIT_FLAGS) {
		in.flags |= m->p->init_bit;
	} else {
		in.flags |= FUSE_INIT_EXT;
		in.flags2 |= m->p->init_bit;
	}
	r = m_req_new(m, RQ_INIT, FUSE_INIT, 0, &in, m->row->init_in_size, NULL, false);
	if (!r)
		return ENOMEM;
	r->out_size = sizeof(struct fuse_init_out);
	r->out_argvar = true;
	m_enqueue(m, r, false);
	return 0;
}

struct model *model_new(const struct model_opts *o)
{
	struct model *m;
	pthread_condattr_t ca;

	if (!o || !o->profile)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->p = o->profile;
	m->row = kernel_row(o->profile);
#ifdef FSNC_MUTATION
	m->mutant = (unsigned)o->mutant < MUT_COUNT ? o->mutant : MUT_NONE;
#endif
	m->max_events = o->max_queued_events ? o->max_queued_events : DEFAULT_MAX_EVENTS;
	m->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	nr_kernel_preset(&m->k, m->row->preset);
	if (m->row->minor) {
		m->k.minor = m->row->minor;
		m->k.name = "7.36 (the RFC's base, remote fsnotify as posted)";
	}
	m->offered_minor = m->p->minor ? m->p->minor : FUSE_KERNEL_MINOR_VERSION;
	m->tr.ops = &model_ops;
	m->tr.fd = -1;
	m->tr.priv = m;
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cond, &ca);
	pthread_condattr_destroy(&ca);
	/* the root inode exists from mount on: nodeid 1, generation 0, never forgotten */
	if (!m_inode_new(m, FUSE_ROOT_ID, 0, S_IFDIR | 0755) || send_init(m)) {
		model_free(m);
		return NULL;
	}
	return m;
}

/* fuse_abort_conn(): every request ends with ECONNABORTED, readers get ENODEV. */
static void abort_locked(struct model *m)
{
	struct m_req *r;

	if (m->aborted)
		return;
	m->aborted = true;
	while ((r = m_dequeue(m)))
		m_complete(m, r, ECONNABORTED, NULL, 0);
	while ((r = m->processing)) {
		m->processing = r->next;
		m_complete(m, r, ECONNABORTED, NULL, 0);
	}
	pthread_cond_broadcast(&m->cond);
}

void model_abort(struct model *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	abort_locked(m);
	pthread_mutex_unlock(&m->lock);
}

static void free_all(struct model *m)
{
	while (m->inodes) {
		struct m_inode *i = m->inodes;

		m->inodes = i->next;
		free(i);
	}
	while (m->dentries) {
		struct m_dentry *d = m->dentries;

		m->dentries = d->next;
		free(d);
	}
	while (m->watches) {
		struct m_watch *w = m->watches;

		m->watches = w->next;
		free(w);
	}
	while (m->marks) {
		struct m_mark *k = m->marks;

		m->marks = k->next;
		free(k);
	}
	for (size_t i = 0; i < m->ngroups; i++) {
		free(m->groups[i]->q);
		free(m->groups[i]->fq);
		free(m->groups[i]->ignored_lost);
		free(m->groups[i]);
	}
	free(m->groups);
}

void model_free(struct model *m)
{
	struct timespec dl = clk_deadline(FREE_DRAIN_MS);

	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	abort_locked(m);
	/* the abort handed every request to its waiter or freed it; wait for the waiters */
	while (m->users > 0)
		if (!wait_until(m, &dl) && m->users > 0) {
			/* a caller is stuck inside: leaking beats a use-after-free */
			pthread_mutex_unlock(&m->lock);
			return;
		}
	pthread_mutex_unlock(&m->lock);
	free_all(m);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void model_serve_inline(struct model *m, void (*serve)(void *arg), void *arg)
{
	pthread_mutex_lock(&m->lock);
	m->serve = serve;
	m->serve_arg = arg;
	pthread_mutex_unlock(&m->lock);
}

struct transport *model_transport(struct model *m)
{
	return m ? &m->tr : NULL;
}

bool model_extension_on(const struct model *m)
{
	struct model *mm = (struct model *)m; /* the lock is not part of the value */
	bool on;

	pthread_mutex_lock(&mm->lock);
	on = mm->ext_on;
	pthread_mutex_unlock(&mm->lock);
	return on;
}

uint32_t model_offered_minor(const struct model *m)
{
	return m->offered_minor; /* set once in model_new() */
}

/* ---- what the model saw --------------------------------------------------------------------- */

void model_stats(struct model *m, struct model_stats *out)
{
	enter(m);
	*out = m->stats;
	leave(m, 0);
}

/* Record which invariant broke and why; returns EPROTO. */
__attribute__((format(printf, 5, 6))) static int broke(enum model_invariant *which,
						       enum model_invariant kind, char *why,
						       size_t cap, const char *fmt, ...)
{
	va_list ap;

	*which = kind;
	if (why && cap) {
		va_start(ap, fmt);
		vsnprintf(why, cap, fmt, ap);
		va_end(ap);
	}
	return EPROTO;
}

static bool wd_live(const struct model *m, const struct m_group *g, int wd)
{
	return m_watch_find(m, g, NULL, wd) != NULL;
}

/*
 * A queued event of a removed watch is fine when its IN_IGNORED follows (the
 * kernel queues it last), or an overflow that may have taken its place, or
 * the bound dropped that IN_IGNORED while the overflow event stood earlier
 * in the queue (ignored_lost_add()).
 */
static bool ignored_follows(const struct m_group *g, size_t i)
{
	for (size_t j = i + 1; j < g->qlen; j++)
		if ((g->q[j].mask & IN_Q_OVERFLOW) ||
		    (g->q[j].wd == g->q[i].wd && (g->q[j].mask & IN_IGNORED)))
			return true;
	for (size_t k = 0; k < g->nignored_lost; k++)
		if (g->ignored_lost[k] == g->q[i].wd)
			return true;
	return false;
}

static int check_queue(const struct model *m, const struct m_group *g, enum model_invariant *which,
		       char *why, size_t cap)
{
	unsigned overflows = 0;

	if (g->qlen > m->max_events + 1)
		return broke(which, MINV_QUEUE_BOUND, why, cap,
			     "instance %d holds %zu events, bound %u + 1 overflow", g->id, g->qlen,
			     m->max_events);
	for (size_t i = 0; i < g->qlen; i++) {
		const struct ino_event *e = &g->q[i];

		if (e->mask & IN_Q_OVERFLOW) {
			if (e->wd != -1 || ++overflows > 1)
				return broke(which, MINV_OVERFLOW_SHAPE, why, cap,
					     "instance %d: IN_Q_OVERFLOW #%u with wd %d", g->id,
					     overflows, e->wd);
			continue;
		}
		if (e->mask & IN_IGNORED) {
			if (wd_live(m, g, e->wd))
				return broke(which, MINV_IGNORED_LIVE, why, cap,
					     "instance %d: IN_IGNORED for live wd %d", g->id, e->wd);
			continue;
		}
		if (!wd_live(m, g, e->wd) && !ignored_follows(g, i))
			return broke(which, MINV_EVENT_AFTER_GONE, why, cap,
				     "instance %d: event %#x for wd %d, which is gone with no IN_IGNORED",
				     g->id, e->mask, e->wd);
	}
	return 0;
}

int model_check_invariants(struct model *m, char *why, size_t cap)
{
	return model_check_invariants_ex(m, NULL, why, cap);
}

int model_check_invariants_ex(struct model *m, enum model_invariant *which, char *why, size_t cap)
{
	enum model_invariant dummy;
	int err = 0;

	if (!which)
		which = &dummy;
	*which = MINV_OK;
	if (why && cap)
		why[0] = 0;
	enter(m);
	for (const struct m_inode *i = m->inodes; i && !err; i = i->next)
		if (i->nlookup < 0)
			err = broke(which, MINV_NLOOKUP_NEGATIVE, why, cap,
				    "nodeid %" PRIu64 " has nlookup %" PRId64, i->nodeid, i->nlookup);
	for (const struct m_watch *w = m->watches; w && !err; w = w->next)
		if (w->ino->state == INO_GONE)
			err = broke(which, MINV_WATCH_ON_FORGOTTEN, why, cap,
				    "wd %d watches forgotten nodeid %" PRIu64, w->wd, w->ino->nodeid);
	for (size_t i = 0; i < m->ngroups && !err; i++)
		if (m->groups[i]->open && !m->groups[i]->fan)
			err = check_queue(m, m->groups[i], which, why, cap);
	if (!err && m->misattributed)
		err = broke(which, MINV_MISATTRIBUTED, why, cap,
			    "%u remote events reached another generation: %s", m->misattributed,
			    m->misattributed_why);
	return leave(m, err);
}

#endif /* FSNC_CONFIG_MODEL */
