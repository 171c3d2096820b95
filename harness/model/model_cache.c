// SPDX-License-Identifier: GPL-2.0-only
/*
 * model_cache.c - the model's inode cache and dentries, and the client
 * operations on them: a LOOKUP caches what it finds (fuse_iget(): another
 * generation or file type makes the old inode bad), an eviction or an
 * unlink takes it out (model_lookup, model_cached, model_evict,
 * model_unlink).
 */
#ifdef FSNC_CONFIG_MODEL /* left out of a reproducer: it runs the kernel */
#include "model_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the inode cache and dentries ----------------------------------------------------------- */

/* fuse_ilookup(): the hashed inode for nodeid. */
struct m_inode *m_cache_find(const struct model *m, uint64_t nodeid)
{
	for (struct m_inode *i = m->inodes; i; i = i->next)
		if (i->state == INO_CACHED && i->nodeid == nodeid)
			return i;
	return NULL;
}

struct m_inode *m_inode_new(struct model *m, uint64_t nodeid, uint64_t generation, uint32_t mode)
{
	struct m_inode *i = calloc(1, sizeof(*i));

	if (!i)
		return NULL;
	i->nodeid = nodeid;
	i->generation = generation;
	i->mode = mode;
	i->state = INO_CACHED;
	i->next = m->inodes;
	m->inodes = i;
	return i;
}

bool m_pinned(const struct model *m, const struct m_inode *ino)
{
	for (const struct m_watch *w = m->watches; w; w = w->next)
		if (w->ino == ino)
			return true;
	for (const struct m_mark *k = m->marks; k; k = k->next)
		if (k->ino == ino)
			return true;
	return false;
}

struct m_dentry *m_dentry_find(const struct model *m, uint64_t parent, const char *name,
			       size_t namelen)
{
	for (struct m_dentry *d = m->dentries; d; d = d->next)
		if (d->parent == parent && d->namelen == namelen && !memcmp(d->name, name, namelen))
			return d;
	return NULL;
}

static void dentry_set(struct model *m, uint64_t parent, const char *name, struct m_inode *ino)
{
	size_t len = strlen(name);
	struct m_dentry *d = m_dentry_find(m, parent, name, len);

	if (!d) {
		d = calloc(1, sizeof(*d));
		if (!d)
			return; /* a missing dentry only costs a LOOKUP later */
		d->parent = parent;
		d->namelen = len;
		memcpy(d->name, name, len);
		d->next = m->dentries;
		m->dentries = d;
	}
	d->ino = ino;
}

void m_dentry_drop_if(struct model *m, bool (*match)(const struct m_dentry *, const void *),
		      const void *arg)
{
	for (struct m_dentry **pp = &m->dentries; *pp;) {
		struct m_dentry *d = *pp;

		if (match(d, arg)) {
			*pp = d->next;
			free(d);
		} else {
			pp = &d->next;
		}
	}
}

bool m_dentry_is(const struct m_dentry *d, const void *arg)
{
	return d == arg;
}

static bool dentry_names(const struct m_dentry *d, const void *arg)
{
	return d->ino == arg;
}

static bool dentry_under(const struct m_dentry *d, const void *arg)
{
	return d->parent == ((const struct m_inode *)arg)->nodeid;
}

/*
 * The inode leaves the icache: names pointing at it go, and so do the names
 * of its children, which hang off its nodeid here (off its dentry in the
 * kernel): a later object with the same nodeid must not inherit them.
 */
void m_dentries_forget(struct model *m, struct m_inode *ino)
{
	m_dentry_drop_if(m, dentry_names, ino);
	if (S_ISDIR(ino->mode))
		m_dentry_drop_if(m, dentry_under, ino);
}

/* ---- small helpers ------------------------------------------------------------------------ */

static bool valid_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR:
	case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return true;
	}
	return false;
}

/* ---- the inode cache (client side) ---------------------------------------------------------- */

/*
 * fuse_iget() on a LOOKUP reply: the same identity counts one more lookup;
 * another generation or file type makes the old inode bad (its watches
 * stay, deaf) and a new one cached.
 */
static struct m_inode *iget(struct model *m, const struct fuse_entry_out *e)
{
	struct m_inode *old = m_cache_find(m, e->nodeid);
	int64_t count = mut(m, MUT_MISCOUNT_LOOKUP) ? 2 : 1;
	struct m_inode *ino;

	if (old && old->generation == e->generation &&
	    (old->mode & S_IFMT) == (e->attr.mode & S_IFMT)) {
		old->nlookup += count;
		return old;
	}
	ino = m_inode_new(m, e->nodeid, e->generation, e->attr.mode);
	if (!ino)
		return NULL;
	ino->nlookup = count;
	if (old) {
		old->state = INO_BAD; /* "nodeid was reused, any I/O on the old inode should fail" */
		if (S_ISDIR(old->mode))
			m_dentry_drop_if(m, dentry_under, old);
		m_release_if_bad(m, old);
	}
	return ino;
}

static int lookup_locked(struct model *m, uint64_t parent, const char *name, struct m_inode **out)
{
	struct fuse_entry_out e;
	struct m_inode *dir = m_cache_find(m, parent), *ino;
	size_t len = name ? strlen(name) : 0;
	int err;

	if (!dir)
		return ENOENT;
	if (!S_ISDIR(dir->mode))
		return ENOTDIR;
	if (!len)
		return ENOENT;
	if (len > FSN_NAME_MAX)
		return ENAMETOOLONG;
	struct m_req *r = m_req_new(m, RQ_LOOKUP, FUSE_LOOKUP, parent, NULL, 0, name, true);

	if (r)
		r->out_size = sizeof(e);
	err = m_send_request(m, r, true, &e, sizeof(e), NULL);
	if (err)
		return err;
	if (e.nodeid == 0)
		return ENOENT; /* a negative entry */
	/* fuse_lookup_name(): invalid attributes are EIO, and the lookup is never forgotten */
	if (!valid_type(e.attr.mode) || e.nodeid == FUSE_ROOT_ID)
		return EIO;
	ino = iget(m, &e);
	if (!ino)
		return ENOMEM;
	dentry_set(m, parent, name, ino);
	*out = ino;
	return 0;
}

int model_lookup(struct model *m, uint64_t parent, const char *name, uint64_t *nodeid,
		 uint64_t *generation)
{
	struct m_inode *ino = NULL;
	int err;

	enter(m);
	err = m_wait_init(m);
	if (!err)
		err = lookup_locked(m, parent, name, &ino);
	if (!err) {
		if (nodeid)
			*nodeid = ino->nodeid;
		if (generation)
			*generation = ino->generation;
	}
	return leave(m, err);
}

int model_cached(struct model *m, uint64_t nodeid, uint64_t *generation, int64_t *nlookup)
{
	struct m_inode *ino;

	enter(m);
	ino = m_cache_find(m, nodeid);
	if (ino && generation)
		*generation = ino->generation;
	if (ino && nlookup)
		*nlookup = ino->nlookup;
	return leave(m, ino != NULL);
}

int model_evict(struct model *m, uint64_t nodeid)
{
	struct m_inode *ino;

	enter(m);
	ino = m_cache_find(m, nodeid);
	if (!ino)
		return leave(m, ENOENT);
	if (nodeid == FUSE_ROOT_ID)
		return leave(m, EBUSY); /* the root goes only with the mount */
	/*
	 * A mark pins its inode: fsnotify holds a reference to it
	 * (FSNOTIFY_CONN_FLAG_HAS_IREF), so memory pressure cannot evict it
	 * (drop_caches on the fsn-1 kernel of kernel/ does not).
	 */
	if (m_pinned(m, ino))
		return leave(m, EBUSY);
	m_evict_inode(m, ino, true);
	return leave(m, 0);
}

int model_unlink(struct model *m, uint64_t parent, const char *name)
{
	struct m_dentry *d;
	struct m_inode *child = NULL;
	struct changes ch = {0};
	int err;

	enter(m);
	err = m_wait_init(m);
	if (err)
		return leave(m, err);
	d = name ? m_dentry_find(m, parent, name, strlen(name)) : NULL;
	if (d && d->ino && d->ino->state == INO_CACHED)
		child = d->ino;
	else
		err = lookup_locked(m, parent, name, &child); /* the path walk */
	if (err)
		return leave(m, err);
	if (S_ISDIR(child->mode))
		return leave(m, EISDIR); /* unlink(2) of a directory never reaches the server */
	err = m_send_request(m, m_req_new(m, RQ_UNLINK, FUSE_UNLINK, parent, NULL, 0, name, true),
			     true, NULL, 0, NULL);
	if (err)
		return leave(m, err);
	d = m_dentry_find(m, parent, name, strlen(name));
	if (d)
		m_dentry_drop_if(m, m_dentry_is, d);
	if (child->state == INO_CACHED)
		m_deleted(m, child);
	/* fsnotify_delete() on the parent after the child's own events (d_delete_notify) */
	{
		struct m_inode *dir = m_cache_find(m, parent);

		if (dir)
			m_deliver_local(m, dir, IN_DELETE, name, &ch);
		m_flush_changes(m, &ch, true);
	}
	return leave(m, 0);
}

#endif /* FSNC_CONFIG_MODEL */
