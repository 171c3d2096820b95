// SPDX-License-Identifier: GPL-2.0-only
/* tree.c - the server's in-memory filesystem and its lookup accounting. */
#include "tree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int tree_init(struct tree *t, uint64_t entry_valid_ns, uint64_t attr_valid_ns)
{
	struct tree_node *root = calloc(1, sizeof(*root));

	memset(t, 0, sizeof(*t));
	if (!root)
		return ENOMEM;
	t->nodes[0] = root;
	t->nnodes = 1;
	t->next_nodeid = FUSE_ROOT_ID + 1;
	t->default_entry_valid_ns = entry_valid_ns;
	t->default_attr_valid_ns = attr_valid_ns;
	root->used = 1;
	root->attached = 1;
	root->nodeid = FUSE_ROOT_ID;
	root->attr.ino = FUSE_ROOT_ID;
	root->attr.mode = S_IFDIR | 0755;
	root->attr.nlink = 2;
	root->attr.blksize = 4096;
	root->entry_valid_ns = entry_valid_ns;
	root->attr_valid_ns = attr_valid_ns;
	return 0;
}

void tree_release(struct tree *t)
{
	for (int i = 0; i < t->nnodes; i++)
		free(t->nodes[i]);
	t->nnodes = 0;
}

struct tree_node *tree_root(struct tree *t)
{
	return t->nodes[0];
}

struct tree_node *tree_get(struct tree *t, uint64_t nodeid)
{
	/* Prefer the attached object: after reuse a detached twin may linger. */
	struct tree_node *detached = NULL;

	for (int i = 0; i < t->nnodes; i++) {
		struct tree_node *n = t->nodes[i];

		if (!n->used || n->nodeid != nodeid)
			continue;
		if (n->attached)
			return n;
		detached = n;
	}
	return detached;
}

struct tree_node *tree_lookup(struct tree *t, uint64_t parent, const char *name)
{
	for (int i = 1; i < t->nnodes; i++) {
		struct tree_node *n = t->nodes[i];

		if (n->used && n->attached && n->parent == parent && !strcmp(n->name, name))
			return n;
	}
	return NULL;
}

static struct tree_node *tree_slot(struct tree *t)
{
	for (int i = 1; i < t->nnodes; i++)
		if (!t->nodes[i]->used)
			return t->nodes[i];
	if (t->nnodes < TREE_MAX_NODES) {
		struct tree_node *n = malloc(sizeof(*n)); /* tree_add() clears it */

		if (n)
			t->nodes[t->nnodes++] = n;
		return n;
	}
	/* Reclaim a detached node the kernel no longer references. */
	for (int i = 1; i < t->nnodes; i++)
		if (!t->nodes[i]->attached && t->nodes[i]->nlookup <= 0)
			return t->nodes[i];
	return NULL;
}

struct tree_node *tree_add(struct tree *t, uint64_t parent, const char *name, mode_t mode,
			   uint64_t nodeid, uint64_t generation)
{
	struct tree_node *p = tree_get(t, parent), *n;

	if (!p || !p->attached || !S_ISDIR(p->attr.mode))
		return NULL;
	if (strlen(name) > TREE_NAME_MAX || tree_lookup(t, parent, name))
		return NULL;
	if (nodeid && tree_get(t, nodeid) && tree_get(t, nodeid)->attached)
		return NULL;
	if (!nodeid) {
		/* Never 0 (a negative entry), never the root, never a live nodeid. */
		while (t->next_nodeid <= FUSE_ROOT_ID || tree_get(t, t->next_nodeid))
			t->next_nodeid++;
		nodeid = t->next_nodeid;
	}
	n = tree_slot(t);
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->used = 1;
	n->attached = 1;
	n->nodeid = nodeid;
	if (n->nodeid >= t->next_nodeid)
		t->next_nodeid = n->nodeid + 1; /* wraps to 0 after UINT64_MAX: skipped above */
	n->generation = generation;
	n->parent = parent;
	strcpy(n->name, name);
	n->attr.ino = n->nodeid;
	n->attr.mode = mode;
	n->attr.nlink = S_ISDIR(mode) ? 2 : 1;
	n->attr.blksize = 4096;
	n->entry_valid_ns = t->default_entry_valid_ns;
	n->attr_valid_ns = t->default_attr_valid_ns;
	if (S_ISDIR(mode))
		p->attr.nlink++;
	return n;
}

void tree_detach(struct tree_node *n)
{
	n->attached = 0;
	n->attr.nlink = 0;
}

int tree_rename(struct tree *t, struct tree_node *n, uint64_t newparent, const char *newname)
{
	struct tree_node *target = tree_lookup(t, newparent, newname);

	if (strlen(newname) > TREE_NAME_MAX)
		return -1;
	if (target && target != n)
		tree_detach(target);
	n->parent = newparent;
	strcpy(n->name, newname);
	return 0;
}

struct tree_node *tree_reuse(struct tree *t, uint64_t nodeid, uint64_t parent, const char *name,
			     mode_t mode, uint64_t generation)
{
	struct tree_node *old;

	while ((old = tree_get(t, nodeid)) && old->attached)
		tree_detach(old);
	/* The old object is gone from the server; its row stays for FORGET accounting. */
	return tree_add(t, parent, name, mode, nodeid, generation);
}

void tree_entry_given(struct tree_node *n)
{
	n->nlookup++;
	n->lookups_total++;
}

void tree_forget(struct tree *t, uint64_t nodeid, uint64_t nlookup)
{
	/*
	 * After reuse, one nodeid names two objects: the kernel may forget the
	 * old inode (when its last fd closes) before or after the new one.  A
	 * FORGET does not say which, so charge the detached twin only up to
	 * what it holds and the rest to the live object: an exact sequence
	 * then balances both, and only a true excess is counted.
	 */
	struct tree_node *twin = NULL, *n = tree_get(t, nodeid);

	for (int i = 0; i < t->nnodes; i++) {
		struct tree_node *c = t->nodes[i];

		if (c->used && c->nodeid == nodeid && !c->attached && c->nlookup > 0) {
			twin = c;
			break;
		}
	}
	if (twin && twin != n) {
		uint64_t take = nlookup < (uint64_t)twin->nlookup ? nlookup : (uint64_t)twin->nlookup;

		twin->forgets_total += take;
		twin->nlookup -= (int64_t)take;
		nlookup -= take;
		if (!nlookup)
			return;
	} else if (twin) {
		n = twin;
	}
	if (!n || !n->lookups_total) {
		t->forget_unknown++;
		return;
	}
	n->forgets_total += nlookup;
	n->nlookup -= (int64_t)nlookup;
	if (n->nlookup < 0)
		t->forget_excess++;
}

static void split_ns(uint64_t ns, uint64_t *sec, uint32_t *nsec)
{
	*sec = ns / 1000000000ull;
	*nsec = (uint32_t)(ns % 1000000000ull);
}

void tree_fill_entry(const struct tree_node *n, struct fuse_entry_out *e)
{
	memset(e, 0, sizeof(*e));
	e->nodeid = n->nodeid;
	e->generation = n->generation;
	split_ns(n->entry_valid_ns, &e->entry_valid, &e->entry_valid_nsec);
	split_ns(n->attr_valid_ns, &e->attr_valid, &e->attr_valid_nsec);
	e->attr = n->attr;
	e->attr.size = S_ISREG(n->attr.mode) || S_ISLNK(n->attr.mode) ? n->datalen : n->attr.size;
}

void tree_fill_attr(const struct tree_node *n, struct fuse_attr_out *a)
{
	memset(a, 0, sizeof(*a));
	split_ns(n->attr_valid_ns, &a->attr_valid, &a->attr_valid_nsec);
	a->attr = n->attr;
	a->attr.size = S_ISREG(n->attr.mode) || S_ISLNK(n->attr.mode) ? n->datalen : n->attr.size;
}

int64_t tree_outstanding_lookups(const struct tree *t)
{
	int64_t sum = 0;

	for (int i = 1; i < t->nnodes; i++)
		if (t->nodes[i]->used)
			sum += t->nodes[i]->nlookup;
	return sum;
}
