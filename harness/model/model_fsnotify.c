// SPDX-License-Identifier: GPL-2.0-only
/*
 * model_fsnotify.c - fsnotify on the model's inodes: inotify's notification
 * queue (merge, bound, one overflow), delivery to the watches of an inode
 * (IN_ONESHOT, the identity record of remote events), the detach of marks
 * and the FSNOTIFY requests a mark change causes, and the client operations
 * of inotify, fanotify and local changes.
 */
#ifdef FSNC_CONFIG_MODEL /* left out of a reproducer: it runs the kernel */
#include "model_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/fanotify.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* inotify's flag bits (include/linux/inotify.h): resolved by the kernel, never events. */
#define INOTIFY_FLAG_BITS                                                                  \
	(IN_ONESHOT | IN_MASK_ADD | IN_MASK_CREATE | IN_EXCL_UNLINK | IN_ONLYDIR | IN_DONT_FOLLOW)
/* inotify_user.c ALL_INOTIFY_BITS: a mask needs one of them, else EINVAL. */
#define ALL_INOTIFY_BITS                                                                   \
	(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ISDIR | INOTIFY_FLAG_BITS)
/* What a mark keeps of the caller's mask: events, and the flags that act later. */
#define WATCH_KEEPS (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK)
/* rfc-2021's group field: a kernel address per group, the defect the suite flags. */
#define FAKE_GROUP_BASE 0xffff888012345000ull
#define FAKE_GROUP_STRIDE 0x1000ull

/* ---- small helpers ------------------------------------------------------------------------ */

/* A generation compared as the profile carries it (gen-2021: the low 32 bits). */
static bool gen_equal(const struct fsn_profile *p, uint64_t a, uint64_t b)
{
	uint64_t keep = p->generation_bits >= 64 || p->generation_bits == 0
				? UINT64_MAX
				: (UINT64_C(1) << p->generation_bits) - 1;

	return (a & keep) == (b & keep);
}

static int changes_add(struct changes *c, struct m_inode *ino, uint32_t raw_mask, int group_id)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct change *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = (struct change){ ino, raw_mask, group_id };
	return 0;
}

/* ---- the notification queues ---------------------------------------------------------------- */

static struct m_group *group_get(const struct model *m, int id, bool fan)
{
	if (id < 0 || (size_t)id >= m->ngroups)
		return NULL;
	if (!m->groups[id]->open || m->groups[id]->fan != fan)
		return NULL;
	return m->groups[id];
}

static bool q_reserve(struct ino_event **q, size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 16;
	struct ino_event *nq;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	nq = realloc(*q, ncap * sizeof(**q));
	if (!nq)
		return false;
	*q = nq;
	*cap = ncap;
	return true;
}

/* inotify_merge(): the same mask, wd and name as the last event (cookie not compared). */
static bool merges(const struct ino_event *last, const struct ino_event *ev)
{
	if (last->mask & IN_IGNORED)
		return false;
	return last->mask == ev->mask && last->wd == ev->wd && !strcmp(last->name, ev->name);
}

static void q_append(struct m_group *g, const struct ino_event *ev)
{
	if (q_reserve(&g->q, &g->qcap, g->qlen + 1))
		g->q[g->qlen++] = *ev;
}

/*
 * The group's one overflow event (fsnotify_insert_event): queued once, past
 * the bound, and not again while it is in the queue.
 */
bool m_queue_overflow(struct model *m, struct m_group *g)
{
	struct ino_event ov = { .wd = -1, .mask = IN_Q_OVERFLOW };

	if (g->overflow_queued && !mut(m, MUT_OVERFLOW_NOT_COALESCED))
		return false;
	q_append(g, &ov);
	g->overflow_queued = true;
	m->stats.overflows++;
	return true;
}

enum queued { Q_QUEUED, Q_MERGED, Q_DROPPED };

/*
 * An IN_IGNORED lost to the bound: fsnotify_insert_event() drops it like any
 * event, and when the group's overflow event is already queued (a remote
 * overflow ahead of the watch's last events, say) nothing takes its place.
 * Remembered so that model_check_invariants() can tell this from an
 * IN_IGNORED the model forgot.
 */
static void ignored_lost_add(struct m_group *g, int wd)
{
	if (g->nignored_lost == g->ignored_lost_cap) {
		size_t cap = g->ignored_lost_cap ? 2 * g->ignored_lost_cap : 8;
		int *v = realloc(g->ignored_lost, cap * sizeof(*v));

		if (!v)
			return; /* the invariant check then reports the event: a failure, not a miss */
		g->ignored_lost = v;
		g->ignored_lost_cap = cap;
	}
	g->ignored_lost[g->nignored_lost++] = wd;
}

static enum queued queue_event(struct model *m, struct m_group *g, int wd, uint32_t mask,
			       uint32_t cookie, const char *name)
{
	struct ino_event ev = { .wd = wd, .mask = mask, .cookie = cookie };
	size_t len = name ? strnlen(name, INO_NAME_MAX) : 0;

	memcpy(ev.name, name ? name : "", len);
	ev.name[len] = 0;
	/* the read(2) record pads the name to a multiple of sizeof(struct inotify_event) */
	ev.len_field = len ? (uint32_t)((len + 1 + INO_EVENT_HDR_LEN - 1) / INO_EVENT_HDR_LEN *
					INO_EVENT_HDR_LEN)
			   : 0;
	/* the bound is checked before the merge, as in fsnotify_insert_event() */
	if (g->qlen >= m->max_events) {
		m_queue_overflow(m, g);
		if (mask & IN_IGNORED)
			ignored_lost_add(g, wd);
		return Q_DROPPED;
	}
	if (g->qlen && merges(&g->q[g->qlen - 1], &ev))
		return Q_MERGED;
	q_append(g, &ev);
	return Q_QUEUED;
}

/* ---- delivery ------------------------------------------------------------------------------- */

/*
 * What a watch hears: its events, plus what every inotify mark carries
 * (inotify_arg_to_mask(): FS_IN_IGNORED | FS_UNMOUNT).
 */
static uint32_t interest(const struct m_watch *w)
{
	return (w->mask & IN_ALL_EVENTS) | IN_IGNORED | IN_UNMOUNT;
}

static void record_identity(struct model *m, const struct origin *o, const struct m_inode *ino,
			    const struct m_watch *w)
{
	if (!o->has_generation) {
		m->remote_without_generation++;
		return;
	}
	if (gen_equal(m->p, o->generation, ino->generation))
		return;
	if (!m->misattributed++)
		snprintf(m->misattributed_why, sizeof(m->misattributed_why),
			 "an event for (%" PRIu64 ", %" PRIu64 ") reached wd %d on (%" PRIu64
			 ", %" PRIu64 ")",
			 ino->nodeid, o->generation, w->wd, ino->nodeid, ino->generation);
}

/* Remove a watch; IN_IGNORED unless its instance is being closed. */
static void watch_detach(struct model *m, struct m_watch *w, bool ignored, struct changes *ch)
{
	for (struct m_watch **pp = &m->watches; *pp; pp = &(*pp)->next) {
		if (*pp != w)
			continue;
		*pp = w->next;
		if (ignored)
			queue_event(m, w->g, w->wd, IN_IGNORED, 0, NULL);
		changes_add(ch, w->ino, w->mask, w->g->id);
		free(w);
		return;
	}
}

/*
 * fsnotify() on one model inode: every watch interested gets the event
 * (IN_ISDIR never rides on a *_SELF event: inotify masks it out).  An
 * IN_ONESHOT watch goes right after its event; its detach is added to ch.
 */
void m_deliver(struct model *m, struct m_inode *ino, uint32_t mask, const char *name,
	       uint32_t cookie, const struct origin *o, struct changes *ch)
{
	uint32_t emask = mask & (IN_MOVE_SELF | IN_DELETE_SELF) ? mask & ~IN_ISDIR : mask;

	if (!ino)
		return;
	for (struct m_watch *w = m->watches, *next; w; w = next) {
		next = w->next;
		if (w->ino != ino || !(mask & interest(w)))
			continue;
		if (queue_event(m, w->g, w->wd, emask, cookie, name) == Q_QUEUED) {
			if (o->remote)
				m->stats.events_remote++;
			else
				m->stats.events_local++;
		}
		if (o->remote)
			record_identity(m, o, ino, w);
		/* inotify_handle_inode_event(): destroyed whether queued, merged or dropped */
		if ((w->mask & IN_ONESHOT) && !mut(m, MUT_ONESHOT_KEEPS_WATCH))
			watch_detach(m, w, true, ch);
	}
}

/* ---- detach: the requests that follow a mark change ----------------------------------------- */

static uint64_t group_pointer(int id)
{
	return FAKE_GROUP_BASE + (uint64_t)id * FAKE_GROUP_STRIDE;
}

/*
 * The inode's resulting mask over every mark (fsn-1 section 7): the events
 * of the inotify watches with inotify's flags resolved away, "watch the
 * children" for a directory (inotify_arg_to_mask() sets FS_EVENT_ON_CHILD
 * on every directory mark), FS_RENAME for fanotify FAN_RENAME marks.
 */
static uint64_t aggregate(const struct model *m, const struct m_inode *ino)
{
	uint64_t agg = 0;
	bool inotify = false;

	for (const struct m_watch *w = m->watches; w; w = w->next) {
		if (w->ino == ino) {
			agg |= w->mask & IN_ALL_EVENTS;
			inotify = true;
		}
	}
	if (inotify && S_ISDIR(ino->mode))
		agg |= FSN_FS_EVENT_ON_CHILD;
	for (const struct m_mark *k = m->marks; k; k = k->next)
		if (k->ino == ino)
			agg |= k->mask & FSN_FS_RENAME;
	return agg & m->p->request_allowed_mask;
}

/*
 * The local event bits the kernel drops on FUSE inodes while the extension
 * is on, so a change is never reported twice (locally and by the server):
 * the RFC dropped every local event, fsn-1 drops the change class, which
 * the server reports (fsn-1.md section 8).  The mutant forgets to.
 */
static uint32_t local_suppressed(const struct model *m)
{
	if (!m->ext_on || mut(m, MUT_LOCAL_AND_REMOTE))
		return 0;
	return m->p->local_suppressed_mask;
}

/* fsnotify() for a change made through the mount, minus what the server reports. */
void m_deliver_local(struct model *m, struct m_inode *ino, uint32_t mask, const char *name,
		     struct changes *ch)
{
	uint32_t left = mask & ~local_suppressed(m);

	if (left & IN_ALL_EVENTS)
		m_deliver(m, ino, left, name, 0, &(struct origin){0}, ch);
}

/* Whether FSNOTIFY requests go out; on a dead connection they fail with ENOTCONN. */
static bool requests_on(const struct model *m)
{
	return m->ext_on && !m->no_fsnotify;
}

static int send_fsnotify(struct model *m, struct m_inode *ino, uint64_t mask, uint64_t group,
			 uint32_t action, bool wait)
{
	struct fsn_request rq = {
		.nodeid = ino->nodeid,
		.generation = ino->generation,
		.has_generation = m->p->request_wire == FSN_REQUEST_WIRE_FSN1,
		.mask = mask,
		.group = group,
		.action = action,
	};
	uint8_t pl[64];
	size_t n = fsn_encode_request(m->p, &rq, pl, sizeof(pl));

	if (!n)
		return EINVAL;
	return m_send_request(m, m_req_new(m, RQ_FSNOTIFY, m->p->fsnotify_opcode, ino->nodeid, pl,
					   n, NULL, true),
			      wait, NULL, 0, NULL);
}

/*
 * fsn-1: one "set" request when the inode's resulting mask differs from what
 * the server holds.  The server's state follows only a success or a timeout
 * (the request may have been applied); after a refusal it is unknown, and
 * the next change sends again.
 */
static int sync_aggregate(struct model *m, struct m_inode *ino, uint64_t wire_mask_override,
			  bool override, bool wait)
{
	uint64_t agg = aggregate(m, ino);
	int err;

	if (agg == ino->remote_mask)
		return 0;
	err = send_fsnotify(m, ino, override ? wire_mask_override : agg, 0, FSN_ACTION_ADD, wait);
	if (err == ENOSYS && m->row->enosys_stops)
		err = 0;
	if (!err || err == ETIMEDOUT)
		ino->remote_mask = agg;
	return err;
}

static bool seen_before(const struct changes *c, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (c->v[j].ino == c->v[i].ino)
			return true;
	return false;
}

/*
 * A bad inode that nothing pins any more is evicted: FORGET with the lookup
 * count it still holds (fuse_evict_inode() sends it by nodeid, which the
 * server may have reused already).
 */
void m_release_if_bad(struct model *m, struct m_inode *ino)
{
	if (ino->state != INO_BAD || m_pinned(m, ino))
		return;
	m_send_forget(m, ino);
	ino->state = INO_GONE;
}

/*
 * After marks went away: rfc-2021/gen-2021 send one "remove" per mark (per
 * group, with the mark's raw mask), fsn-1 one "set" per inode whose
 * resulting mask changed.  A removal cannot fail, so replies are not
 * reported; they are awaited (with the deadline) so the order against a
 * following FORGET holds.
 */
void m_flush_changes(struct model *m, struct changes *c, bool requests)
{
	bool wait = m_may_wait(m);

	for (size_t i = 0; requests && i < c->n; i++) {
		if (!requests_on(m))
			break;
		if (m->p->request == FSN_REQUEST_AGGREGATED_MASK) {
			if (!seen_before(c, i))
				sync_aggregate(m, c->v[i].ino, 0, false, wait);
		} else {
			send_fsnotify(m, c->v[i].ino, c->v[i].raw_mask, group_pointer(c->v[i].group_id),
				      FSN_ACTION_REMOVE, wait);
		}
	}
	for (size_t i = 0; i < c->n; i++)
		if (!seen_before(c, i))
			m_release_if_bad(m, c->v[i].ino);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* Every watch and mark on ino goes (eviction, unlink): IN_IGNORED each. */
static void detach_all(struct model *m, struct m_inode *ino, struct changes *ch)
{
	for (struct m_watch *w = m->watches, *next; w; w = next) {
		next = w->next;
		if (w->ino == ino)
			watch_detach(m, w, true, ch);
	}
	for (struct m_mark **pp = &m->marks; *pp;) {
		struct m_mark *k = *pp;

		if (k->ino == ino) {
			*pp = k->next;
			changes_add(ch, ino, 0, k->g->id);
			free(k);
		} else {
			pp = &k->next;
		}
	}
}

/*
 * Eviction of a cached inode: marks first (IN_IGNORED, the requests), then
 * FORGET, so the mask-0 request always precedes the FORGET that lets the
 * server reuse the nodeid (fsn-1.md section 7).
 */
void m_evict_inode(struct model *m, struct m_inode *ino, bool requests)
{
	struct changes ch = {0};

	detach_all(m, ino, &ch);
	m_flush_changes(m, &ch, requests);
	if (ino->state != INO_CACHED)
		return; /* someone else evicted it while we waited */
	m_dentries_forget(m, ino);
	m_send_forget(m, ino);
	ino->state = INO_GONE;
}

/*
 * The child of a successful unlink (or a DELETE notification): nlink 0,
 * so fsnotify_inoderemove(): IN_DELETE_SELF, every mark destroyed
 * (IN_IGNORED), then the eviction's FORGET.  IN_DELETE_SELF is not subject
 * to local suppression (model.h: "the child's watches get IN_DELETE_SELF
 * then IN_IGNORED"): the marks die with it, so a remote IN_DELETE_SELF
 * from the server would find no watch left to deliver to.
 */
void m_deleted(struct model *m, struct m_inode *ino)
{
	struct origin local = {0};
	struct changes ch = {0};

	m_deliver(m, ino, IN_DELETE_SELF, NULL, 0, &local, &ch);
	m_flush_changes(m, &ch, true);
	/*
	 * fsn-1: the FORGET that follows tells the server, and no request
	 * comes for an object without a link left (fuse_fsnotify_send() skips
	 * it; seen on the fsn-1 kernel of kernel/).  The RFC's mark code sends
	 * its "remove" from every detach.
	 */
	m_evict_inode(m, ino, m->p->request != FSN_REQUEST_AGGREGATED_MASK);
}

/* ---- inotify -------------------------------------------------------------------------------- */

static int group_new(struct model *m, bool fan)
{
	struct m_group *g;

	if (m->ngroups == m->gcap) {
		size_t cap = m->gcap ? m->gcap * 2 : 8;
		struct m_group **v = realloc(m->groups, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->groups = v;
		m->gcap = cap;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->id = (int)m->ngroups;
	g->fan = fan;
	g->open = true;
	g->next_wd = 1; /* inotify's idr starts at 1 */
	m->groups[m->ngroups++] = g;
	return g->id;
}

int model_inotify_init(struct model *m)
{
	int id;

	enter(m);
	id = group_new(m, false);
	return leave(m, id);
}

struct m_watch *m_watch_find(const struct model *m, const struct m_group *g,
			     const struct m_inode *ino, int wd)
{
	for (struct m_watch *w = m->watches; w; w = w->next)
		if (w->g == g && (ino ? w->ino == ino : w->wd == wd))
			return w;
	return NULL;
}

/*
 * After an add or change: rfc-2021/gen-2021 send the caller's raw mask with
 * the group pointer and action 1, every time; fsn-1 sends the resulting
 * mask, only when it changed.
 */
static int announce_add(struct model *m, struct m_group *g, struct m_inode *ino, uint32_t call_mask)
{
	if (!requests_on(m))
		return 0;
	if (m->p->request == FSN_REQUEST_AGGREGATED_MASK)
		return sync_aggregate(m, ino, call_mask, mut(m, MUT_RAW_USER_MASK), true);
	return send_fsnotify(m, ino, call_mask, group_pointer(g->id), FSN_ACTION_ADD, true);
}

int model_add_watch(struct model *m, int id, uint64_t nodeid, uint32_t mask, int *wd)
{
	struct m_group *g;
	struct m_inode *ino;
	struct m_watch *w;
	uint32_t old = 0;
	bool created = false;
	int err, the_wd;

	enter(m);
	g = group_get(m, id, false);
	if (!g)
		return leave(m, EBADF);
	/* inotify_add_watch(): both MASK_ADD and MASK_CREATE, or no known bit: EINVAL */
	if (((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)) || !(mask & ALL_INOTIFY_BITS))
		return leave(m, EINVAL);
	ino = m_cache_find(m, nodeid);
	if (!ino)
		return leave(m, ENOENT);
	if ((mask & IN_ONLYDIR) && !S_ISDIR(ino->mode))
		return leave(m, ENOTDIR);
	w = m_watch_find(m, g, ino, 0);
	if (w) {
		if (mask & IN_MASK_CREATE)
			return leave(m, EEXIST);
		old = w->mask;
		w->mask = (mask & IN_MASK_ADD ? old : 0) | (mask & WATCH_KEEPS);
	} else {
		w = calloc(1, sizeof(*w));
		if (!w)
			return leave(m, ENOMEM);
		w->g = g;
		w->wd = g->next_wd++; /* idr_alloc_cyclic(): a wd is not handed out twice */
		w->ino = ino;
		w->mask = mask & WATCH_KEEPS;
		w->next = m->watches;
		m->watches = w;
		created = true;
	}
	the_wd = w->wd;
	err = announce_add(m, g, ino, mask);
	/* the lock was dropped while waiting: find the watch again */
	w = m_watch_find(m, g, NULL, the_wd);
	if (err && err != ETIMEDOUT && m->row->rollback_on_error && w) {
		if (created) {
			struct changes none = {0};

			/* the caller never saw this wd: no IN_IGNORED, no request */
			watch_detach(m, w, false, &none);
			free(none.v);
			w = NULL;
		} else {
			w->mask = old;
		}
	}
	if (wd && w)
		*wd = the_wd;
	return leave(m, err);
}

int model_rm_watch(struct model *m, int id, int wd)
{
	struct changes ch = {0};
	struct m_group *g;
	struct m_watch *w;

	enter(m);
	g = group_get(m, id, false);
	if (!g)
		return leave(m, EBADF);
	w = m_watch_find(m, g, NULL, wd);
	if (!w)
		return leave(m, EINVAL);
	watch_detach(m, w, true, &ch);
	/* the mark is gone whatever the server answers: rm_watch cannot fail */
	m_flush_changes(m, &ch, !mut(m, MUT_NO_REQUEST_ON_RM_WATCH));
	return leave(m, 0);
}

int model_inotify_close(struct model *m, int id)
{
	struct changes ch = {0};
	struct m_group *g;

	enter(m);
	g = group_get(m, id, false);
	if (!g)
		return leave(m, EBADF);
	/* the group is gone first: its queue is never read again, no IN_IGNORED */
	g->open = false;
	for (struct m_watch *w = m->watches, *next; w; w = next) {
		next = w->next;
		if (w->g == g)
			watch_detach(m, w, false, &ch);
	}
	free(g->q);
	g->q = NULL;
	g->qlen = g->qcap = 0;
	m_flush_changes(m, &ch, true);
	return leave(m, 0);
}

int model_read(struct model *m, int id, struct ino_event *ev, size_t max, size_t *n)
{
	struct m_group *g;
	size_t k;

	if (n)
		*n = 0;
	if (!n || (!ev && max))
		return EINVAL;
	enter(m);
	g = group_get(m, id, false);
	if (!g)
		return leave(m, EBADF);
	k = g->qlen < max ? g->qlen : max;
	for (size_t i = 0; i < k; i++)
		if (g->q[i].mask & IN_Q_OVERFLOW)
			g->overflow_queued = false; /* read out: it may be queued again */
	if (k) {
		memcpy(ev, g->q, k * sizeof(*ev));
		memmove(g->q, g->q + k, (g->qlen - k) * sizeof(*g->q));
		g->qlen -= k;
	}
	*n = k;
	return leave(m, 0);
}

/* ---- fanotify ------------------------------------------------------------------------------- */

int model_fanotify_init(struct model *m)
{
	int id;

	if (m->p->rename != FSN_RENAME_ONE_RECORD)
		return -EOPNOTSUPP;
	enter(m);
	id = group_new(m, true);
	return leave(m, id);
}

int model_fan_mark(struct model *m, int id, uint64_t nodeid, uint64_t mask)
{
	struct m_group *g;
	struct m_inode *ino;
	struct m_mark *k;
	uint64_t old = 0;
	bool created = false;
	int err = 0;

	enter(m);
	g = group_get(m, id, true);
	if (!g)
		return leave(m, EBADF);
	if (!(mask & FSN_FS_RENAME) || (mask & ~(uint64_t)(FSN_FS_RENAME | FAN_ONDIR)))
		return leave(m, EINVAL);
	ino = m_cache_find(m, nodeid);
	if (!ino)
		return leave(m, ENOENT);
	if (!S_ISDIR(ino->mode))
		return leave(m, ENOTDIR);
	for (k = m->marks; k; k = k->next)
		if (k->g == g && k->ino == ino)
			break;
	if (k) {
		old = k->mask;
		k->mask |= mask;
	} else {
		k = calloc(1, sizeof(*k));
		if (!k)
			return leave(m, ENOMEM);
		k->g = g;
		k->ino = ino;
		k->mask = mask;
		k->next = m->marks;
		m->marks = k;
		created = true;
	}
	/* fanotify marks exist only in one-record profiles, which send the resulting mask */
	if (requests_on(m))
		err = sync_aggregate(m, ino, 0, false, true);
	if (err && err != ETIMEDOUT && m->row->rollback_on_error) {
		for (struct m_mark **pp = &m->marks; *pp; pp = &(*pp)->next) {
			if ((*pp)->g != g || (*pp)->ino != ino)
				continue;
			if (created) {
				struct m_mark *dead = *pp;

				*pp = dead->next;
				free(dead);
			} else {
				(*pp)->mask = old;
			}
			break;
		}
	}
	return leave(m, err);
}

int model_fan_read(struct model *m, int id, struct fan_event *ev, size_t max, size_t *n)
{
	struct m_group *g;
	size_t k;

	if (n)
		*n = 0;
	if (!n || (!ev && max))
		return EINVAL;
	enter(m);
	g = group_get(m, id, true);
	if (!g)
		return leave(m, EBADF);
	k = g->fqlen < max ? g->fqlen : max;
	if (k) {
		memcpy(ev, g->fq, k * sizeof(*ev));
		memmove(g->fq, g->fq + k, (g->fqlen - k) * sizeof(*g->fq));
		g->fqlen -= k;
	}
	*n = k;
	return leave(m, 0);
}

/* ---- local changes -------------------------------------------------------------------------- */

int model_local_change(struct model *m, uint64_t nodeid, uint32_t mask, const char *name)
{
	struct changes ch = {0};
	struct m_inode *ino;

	if (!(mask & IN_ALL_EVENTS) || (mask & ~(uint32_t)(IN_ALL_EVENTS | IN_ISDIR)))
		return EINVAL;
	if (name && strlen(name) > FSN_NAME_MAX)
		return ENAMETOOLONG;
	enter(m);
	ino = m_cache_find(m, nodeid);
	if (!ino)
		return leave(m, ENOENT);
	m_deliver_local(m, ino, mask, name, &ch);
	m_flush_changes(m, &ch, true);
	return leave(m, 0);
}

#endif /* FSNC_CONFIG_MODEL */
