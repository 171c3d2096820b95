// SPDX-License-Identifier: GPL-2.0-only
/*
 * model_ext.c - the extension's notifications: what the kernel does with
 * the EVENT, RENAME and OVERFLOW records the server writes (the profile's
 * codec decodes them; the identity verdict, delivery, FAN_RENAME, the
 * cookie pair), and the verdict the stats count.
 */
#ifdef FSNC_CONFIG_MODEL /* left out of a reproducer: it runs the kernel */
#include "model_internal.h"

#include <errno.h>
#include <linux/fanotify.h>
#include <stdlib.h>
#include <string.h>

/* FAN_RENAME info record: hdr 4 + fsid 8 + file_handle 8 + FILEID_INO64_GEN 12. */
#define FAN_DFID_FIXED (4u + 8u + 8u + 12u)

/* ---- the extension's notifications ---------------------------------------------------------- */

/* inotify strcpy()s the name: up to the first NUL, what the message holds, NAME_MAX. */
static void name_copy(const struct fsn_name *n, char *out)
{
	uint32_t len = fsn_name_present(n);

	if (len > INO_NAME_MAX)
		len = INO_NAME_MAX;
	if (len)
		memcpy(out, n->name, len);
	out[len] = 0;
}

/*
 * The per-object verdict (fsn_identity_verdict) with the two identity
 * mutants: comparing nothing but the nodeid, or ignoring ESTALE.
 */
static int identity(const struct model *m, const struct m_inode *ino, uint64_t generation)
{
	uint64_t cached_gen = ino ? ino->generation : 0;
	int err;

	if (mut(m, MUT_IGNORE_GENERATION))
		generation = cached_gen;
	err = fsn_identity_verdict(m->p, ino != NULL, cached_gen, generation);
	if (err && err == m->p->err_stale_generation && mut(m, MUT_STALE_DELIVERED))
		err = 0;
	return err;
}

static int model_ext_event(struct model *m, const struct fsn_notify *n, struct changes *ch)
{
	struct m_inode *ino = m_cache_find(m, n->nodeid);
	struct origin o = { true, n->has_generation, n->generation };
	char name[INO_NAME_MAX + 1];
	int err = identity(m, ino, n->generation);

	/* a given child cached with another generation is ESTALE; uncached is fine */
	if (!err && n->child.nodeid) {
		struct m_inode *child = m_cache_find(m, n->child.nodeid);

		if (child)
			err = identity(m, child, n->child.generation);
	}
	if (err)
		return err;
	name_copy(&n->name, name);
	m_deliver(m, ino, n->mask32, name, n->cookie, &o, ch);
	return 0;
}

static void fan_record(struct fan_info_rec *r, int type, const struct m_inode *dir,
		       const char *name)
{
	uint32_t w[3] = { (uint32_t)(dir->nodeid >> 32), (uint32_t)dir->nodeid,
			  (uint32_t)dir->generation };
	size_t nl = strnlen(name, FAN_NAME_MAX);

	memset(r, 0, sizeof(*r));
	r->type = type;
	r->handle_type = FUSE_FH_TYPE_INO64_GEN; /* fuse_encode_fh(), FUSE reports fsid 0:0 */
	r->handle_bytes = sizeof(w);
	memcpy(r->handle, w, sizeof(w));
	memcpy(r->name, name, nl);
	r->len = (uint16_t)((FAN_DFID_FIXED + nl + 1 + 3) & ~3u); /* FANOTIFY_EVENT_ALIGN */
}

/* Append to a fanotify group's queue; false when memory ran out (the event is lost). */
static bool fq_append(struct m_group *g, const struct fan_event *ev)
{
	if (g->fqlen == g->fqcap) {
		size_t cap = g->fqcap ? g->fqcap * 2 : 8;
		struct fan_event *q = realloc(g->fq, cap * sizeof(*q));

		if (!q)
			return false;
		g->fq = q;
		g->fqcap = cap;
	}
	g->fq[g->fqlen++] = *ev;
	return true;
}

/* Does the group mark dir for FAN_RENAME of this object (FAN_ONDIR for a directory)? */
static bool fan_marks(const struct model *m, const struct m_group *g, const struct m_inode *dir,
		      bool isdir)
{
	for (const struct m_mark *k = m->marks; k; k = k->next)
		if (k->g == g && dir && k->ino == dir && (k->mask & FSN_FS_RENAME) &&
		    (!isdir || (k->mask & FAN_ONDIR)))
			return true;
	return false;
}

/*
 * FAN_RENAME, one event per group: the OLD_DFID_NAME record when the group
 * marks the source parent, NEW_DFID_NAME when it marks the destination
 * (fanotify_alloc_event() reports a side only for its inode mark, as 6.18
 * was seen to do in cases/rename.c).
 */
static void fan_rename(struct model *m, const struct m_inode *sp, const struct m_inode *dp,
		       const char *src, const char *dst, bool isdir)
{
	for (size_t i = 0; i < m->ngroups; i++) {
		struct m_group *g = m->groups[i];
		bool old, new;
		struct fan_event ev = { .mask = FAN_RENAME | (isdir ? FAN_ONDIR : 0), .fd = FAN_NOFD };

		if (!g->open || !g->fan)
			continue;
		old = fan_marks(m, g, sp, isdir);
		new = fan_marks(m, g, dp, isdir);
		if (!old && !new)
			continue;
		if (g->fqlen >= m->max_events)
			continue; /* FAN_Q_OVERFLOW is not part of model_fan_read()'s contract */
		if (old)
			fan_record(&ev.rec[ev.nrec++], FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, sp, src);
		if (new)
			fan_record(&ev.rec[ev.nrec++], FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, dp, dst);
		ev.event_len = FAN_EVENT_METADATA_LEN;
		for (size_t r = 0; r < ev.nrec; r++)
			ev.event_len += ev.rec[r].len;
		if (fq_append(g, &ev))
			m->stats.events_remote++;
	}
}

/* The kernel's cookie (fsnotify_get_cookie), never 0: inotify(7) readers pair by it. */
static uint32_t next_cookie(struct model *m)
{
	uint32_t c = m->cookie + 1;

	if (c == 0)
		c = 1;
	if (!mut(m, MUT_PAIR_COOKIE_ACROSS_RENAMES))
		m->cookie = c;
	return c;
}

/*
 * RENAME (fsn-1 section 3): any given object cached with another
 * generation is ESTALE; neither parent cached is ENOENT; otherwise the
 * record goes to what is cached, as one fsnotify_move(): FAN_RENAME,
 * IN_MOVED_FROM and IN_MOVED_TO with one kernel cookie, IN_MOVE_SELF.
 */
static int ext_rename(struct model *m, const struct fsn_notify *n, struct changes *ch)
{
	struct m_inode *sp = m_cache_find(m, n->src_parent.nodeid);
	struct m_inode *dp = m_cache_find(m, n->dst_parent.nodeid);
	struct m_inode *child = n->child.nodeid ? m_cache_find(m, n->child.nodeid) : NULL;
	char src[INO_NAME_MAX + 1], dst[INO_NAME_MAX + 1];
	uint32_t isdir = n->mask32 & IN_ISDIR, cookie;
	int err = 0;

	if (!sp && !dp)
		return m->p->err_unknown_nodeid;
	if (sp)
		err = identity(m, sp, n->src_parent.generation);
	if (!err && dp)
		err = identity(m, dp, n->dst_parent.generation);
	if (!err && child)
		err = identity(m, child, n->child.generation);
	if (err)
		return err;
	name_copy(&n->src_name, src);
	name_copy(&n->dst_name, dst);
	cookie = next_cookie(m);
	/*
	 * FAN_RENAME names both directories: with one of them not cached there
	 * is no FAN_RENAME at all (docs/fsn-1.md section 13; the reference
	 * kernel's fuse_fsnotify_rename() reports it only "if (src && dst)").
	 * Found by ext/kdiff, where the model reported the cached side alone.
	 */
	if (sp && dp)
		fan_rename(m, sp, dp, src, dst, isdir != 0);
	m_deliver(m, sp, IN_MOVED_FROM | isdir, src, cookie,
		  &(struct origin){ true, true, n->src_parent.generation }, ch);
	m_deliver(m, dp, IN_MOVED_TO | isdir, dst, cookie,
		  &(struct origin){ true, true, n->dst_parent.generation }, ch);
	m_deliver(m, child, IN_MOVE_SELF, NULL, 0,
		  &(struct origin){ true, true, n->child.generation }, ch);
	return 0;
}

/*
 * A fanotify group's overflow event: FAN_Q_OVERFLOW, no fd, no record, one
 * pending at a time (fsnotify_add_event() queues group->overflow_event only
 * when it is not already on the list).
 */
static void fan_queue_overflow(struct model *m, struct m_group *g)
{
	struct fan_event ev = { .mask = FAN_Q_OVERFLOW, .fd = FAN_NOFD,
				.event_len = FAN_EVENT_METADATA_LEN };

	for (size_t i = 0; i < g->fqlen; i++)
		if (g->fq[i].mask & FAN_Q_OVERFLOW)
			return;
	if (fq_append(g, &ev))
		m->stats.overflows++;
}

/*
 * The server lost events: every group with a mark on an inode of the
 * connection gets its overflow event, inotify and fanotify alike
 * (fsnotify_remote_overflow() walks the sb's inodes and their marks; seen
 * on the fsn-1 kernel by ext/kdiff, where a FAN_RENAME group got
 * FAN_Q_OVERFLOW).
 */
static int ext_overflow(struct model *m)
{
	for (size_t i = 0; i < m->ngroups; i++) {
		struct m_group *g = m->groups[i];
		bool marked = false;

		if (!g->open)
			continue;
		for (const struct m_watch *w = m->watches; w && !marked; w = w->next)
			marked = w->g == g && w->ino->state == INO_CACHED;
		for (const struct m_mark *k = m->marks; k && !marked; k = k->next)
			marked = k->g == g && k->ino && k->ino->state == INO_CACHED;
		if (!marked)
			continue;
		if (g->fan)
			fan_queue_overflow(m, g);
		else
			m_queue_overflow(m, g);
	}
	return 0;
}

void m_count_verdict(struct model *m, int err, uint32_t defects)
{
	if (err) {
		m->stats.notifications_rejected++;
	} else {
		m->stats.notifications_accepted++;
		m->stats.last_defects = defects;
	}
	m->stats.last_notify_errno = err;
}

int m_ext_notify(struct model *m, const uint8_t *payload, size_t len)
{
	struct fsn_profile prof = *m->p;
	struct changes ch = {0};
	struct fsn_notify n;
	int err;

	if (mut(m, MUT_UNBOUNDED_NAMELEN))
		prof.rules &= ~(FSN_RULE_NAMELEN_BOUND_BY_MSG | FSN_RULE_NAMELEN_BOUND_NAME_MAX);
	if (mut(m, MUT_ACCEPT_RESERVED))
		prof.rules &= ~FSN_RULE_RESERVED_ZERO;
	err = fsn_decode_notify(&prof, payload, len, &n);
	if (!err) {
		switch (n.kind) {
		case FSN_REC_EVENT:
			err = model_ext_event(m, &n, &ch);
			break;
		case FSN_REC_RENAME:
			err = m->p->rename == FSN_RENAME_ONE_RECORD ? ext_rename(m, &n, &ch) : EINVAL;
			break;
		case FSN_REC_OVERFLOW:
			err = m->p->has_overflow ? ext_overflow(m) : EINVAL;
			break;
		}
	}
	m_count_verdict(m, err, err ? 0 : n.defects);
	m_flush_changes(m, &ch, true);
	/* virtio_fs_handle_notify() ignores the result: the server never learns */
	if (m->p->behaviour & FSN_BEHAV_NOTIFY_ERRNO_DISCARDED)
		return 0;
	return err;
}

#endif /* FSNC_CONFIG_MODEL */
