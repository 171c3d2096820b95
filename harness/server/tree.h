/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tree.h - the server's in-memory filesystem: what the harness answers with.
 *
 * A case controls every field the kernel sees: the nodeid and generation in
 * each fuse_entry_out, attr.ino (st_ino is attr.ino, never the nodeid), the
 * file type, the entry and attr timeouts.  The tree also keeps the lookup
 * count the kernel holds on each nodeid, from the server's side: every entry
 * reply adds one, every FORGET / BATCH_FORGET subtracts what it names, so
 * the runner can check that the kernel's accounting balances.
 *
 * Objects that were unlinked (or replaced by a reused nodeid) stay in the
 * table as "detached" while the kernel still holds lookups on them, because
 * the kernel may FORGET them later.
 *
 * No locking here: the server takes its own lock around every call.
 */
#ifndef FSNC_TREE_H
#define FSNC_TREE_H

#include <stdint.h>
#include <sys/types.h>

#include "wire.h"

#define TREE_MAX_NODES 512
#define TREE_NAME_MAX 1024 /* > NAME_MAX on purpose: cases may serve long names */
#define TREE_DATA_MAX 4096

struct tree_node {
	int used;
	int attached;          /* reachable by (parent, name) */
	uint64_t nodeid;
	uint64_t generation;
	uint64_t parent;       /* parent nodeid, 0 for the root */
	char name[TREE_NAME_MAX + 1];
	struct fuse_attr attr; /* mode, ino, size, nlink ... as served */
	uint64_t entry_valid_ns; /* timeouts in the replies for this node */
	uint64_t attr_valid_ns;
	int64_t nlookup;       /* lookups the kernel holds, by our count */
	uint64_t lookups_total; /* entries handed out over the node's life */
	uint64_t forgets_total; /* nlookup the kernel gave back */
	char data[TREE_DATA_MAX]; /* regular file content or symlink target */
	size_t datalen;
};

struct tree {
	/*
	 * Slots [0, nnodes) have a node (free ones have used == 0), allocated
	 * when first handed out; the root's is nodes[0].  A session costs the
	 * nodes it serves, not 512 of 5 KB each.  Walk the table up to nnodes.
	 */
	struct tree_node *nodes[TREE_MAX_NODES];
	int nnodes;
	uint64_t next_nodeid;
	uint64_t default_entry_valid_ns;
	uint64_t default_attr_valid_ns;
	/* FORGETs that named a nodeid we never handed out, or more than we gave. */
	unsigned forget_unknown;
	unsigned forget_excess;
};

/* A tree holding only the root: 0, or ENOMEM.  tree_release() frees its nodes. */
int tree_init(struct tree *t, uint64_t entry_valid_ns, uint64_t attr_valid_ns);
void tree_release(struct tree *t);

/*
 * Add an object under parent.  nodeid 0 picks the next free number;
 * generation is what the entry replies carry.  attr.ino defaults to the
 * nodeid.  Returns the node or NULL (table full, parent missing, name taken).
 */
struct tree_node *tree_add(struct tree *t, uint64_t parent, const char *name, mode_t mode,
			   uint64_t nodeid, uint64_t generation);
struct tree_node *tree_get(struct tree *t, uint64_t nodeid); /* attached or detached */
struct tree_node *tree_lookup(struct tree *t, uint64_t parent, const char *name);
struct tree_node *tree_root(struct tree *t);

/* Detach from the namespace (unlink/rmdir); the node lives on while nlookup > 0. */
void tree_detach(struct tree_node *n);
/* Move to (newparent, newname), replacing (and detaching) any target. */
int tree_rename(struct tree *t, struct tree_node *n, uint64_t newparent, const char *newname);
/*
 * Give nodeid to a new object: detach and drop the old one, then re-add
 * with the new generation and mode at (parent, name).  This is the server
 * side of "nodeid reuse"; it does not check that the kernel forgot it.
 */
struct tree_node *tree_reuse(struct tree *t, uint64_t nodeid, uint64_t parent, const char *name,
			     mode_t mode, uint64_t generation);

/* The server handed out one entry for n (LOOKUP, CREATE, MKDIR, ...). */
void tree_entry_given(struct tree_node *n);
/* The kernel forgot nlookup references on nodeid. */
void tree_forget(struct tree *t, uint64_t nodeid, uint64_t nlookup);

/* Fill replies from a node. */
void tree_fill_entry(const struct tree_node *n, struct fuse_entry_out *e);
void tree_fill_attr(const struct tree_node *n, struct fuse_attr_out *a);

/* Sum of nlookup over every node but the root (the kernel never forgets it). */
int64_t tree_outstanding_lookups(const struct tree *t);

#endif
