// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_tree.c - the server's in-memory filesystem (harness/server/tree.c): adding,
 * looking up and detaching objects, rename over a target, nodeid reuse with
 * a new generation, the lookup accounting that FORGET / BATCH_FORGET must
 * balance, the entry and attr replies, and a full table.
 *
 * Each test gets a fresh tree on the heap; teardown releases its nodes.
 *
 * Tests named for a fixed bug guard its regression.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tree.h"

#define ENTRY_NS 1500000000ull /* 1.5 s */
#define ATTR_NS 2000000001ull  /* 2 s + 1 ns */

#define MODE_REG (S_IFREG | 0644)
#define MODE_DIR (S_IFDIR | 0755)
#define MODE_LNK (S_IFLNK | 0777)

/* --- helpers ------------------------------------------------------------------ */

static int setup(void **state)
{
	struct tree *t = calloc(1, sizeof(*t));

	if (!t || tree_init(t, ENTRY_NS, ATTR_NS)) {
		free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tree_release(*state);
	free(*state);
	return 0;
}


/* Hand out n entries for a node, as n LOOKUP replies would. */
static void give(struct tree_node *n, int count)
{
	for (int i = 0; i < count; i++)
		tree_entry_given(n);
}

/* Fill every free slot with a regular file; returns how many were added. */
static int fill_table(struct tree *t)
{
	int added = 0;
	char name[32];

	for (;;) {
		snprintf(name, sizeof(name), "f%d", added);
		if (!tree_add(t, FUSE_ROOT_ID, name, MODE_REG, 0, 1))
			return added;
		added++;
	}
}

/* --- the root ------------------------------------------------------------------ */

static void init_root_is_directory_nodeid_1(void **state)
{
	struct tree *t = *state;
	struct tree_node *r = tree_root(t);

	assert_int_equal(r->nodeid, FUSE_ROOT_ID);
	assert_true(r->used && r->attached);
	assert_true(S_ISDIR(r->attr.mode));
	assert_int_equal(r->attr.ino, FUSE_ROOT_ID);
	assert_int_equal(r->attr.nlink, 2);
	assert_ptr_equal(tree_get(t, FUSE_ROOT_ID), r);
	assert_int_equal(r->entry_valid_ns, ENTRY_NS);
	assert_int_equal(r->attr_valid_ns, ATTR_NS);
	assert_int_equal(tree_outstanding_lookups(t), 0);
	assert_int_equal(t->forget_unknown, 0);
	assert_int_equal(t->forget_excess, 0);
	/* The root has no name in any directory. */
	assert_null(tree_lookup(t, 0, ""));
	assert_null(tree_lookup(t, FUSE_ROOT_ID, ""));
}

/* --- add / lookup / get ---------------------------------------------------------- */

static void add_auto_nodeids_start_at_2_and_increase(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 7);
	struct tree_node *b = tree_add(t, FUSE_ROOT_ID, "b", MODE_REG, 0, 8);

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->nodeid, 2);
	assert_int_equal(b->nodeid, 3);
	assert_int_equal(a->generation, 7);
	assert_int_equal(b->generation, 8);
	assert_int_equal(a->parent, FUSE_ROOT_ID);
	assert_string_equal(a->name, "a");
	assert_true(a->attached);
	/* attr.ino defaults to the nodeid, and the case may change it. */
	assert_int_equal(a->attr.ino, 2);
	assert_int_equal(a->attr.mode, MODE_REG);
	assert_int_equal(a->attr.nlink, 1);
	assert_int_equal(a->entry_valid_ns, ENTRY_NS);
	assert_int_equal(a->attr_valid_ns, ATTR_NS);
	assert_int_equal(a->nlookup, 0);
	assert_int_equal(a->lookups_total, 0);
}

static void add_explicit_nodeid_moves_auto_numbering_past_it(void **state)
{
	struct tree *t = *state;
	struct tree_node *n;

	n = tree_add(t, FUSE_ROOT_ID, "x", MODE_REG, 100, 1);
	assert_non_null(n);
	assert_int_equal(n->nodeid, 100);
	assert_int_equal(n->attr.ino, 100);
	n = tree_add(t, FUSE_ROOT_ID, "y", MODE_REG, 0, 1);
	assert_int_equal(n->nodeid, 101);
	/* A lower explicit nodeid does not move it back. */
	n = tree_add(t, FUSE_ROOT_ID, "z", MODE_REG, 50, 1);
	assert_int_equal(n->nodeid, 50);
	n = tree_add(t, FUSE_ROOT_ID, "w", MODE_REG, 0, 1);
	assert_int_equal(n->nodeid, 102);
	/* 64-bit nodeids with high bits are kept whole. */
	n = tree_add(t, FUSE_ROOT_ID, "big", MODE_REG, 0x100000005ull, 1);
	assert_true(n->nodeid == 0x100000005ull);
	n = tree_add(t, FUSE_ROOT_ID, "after_big", MODE_REG, 0, 1);
	assert_true(n->nodeid == 0x100000006ull);
}

static void add_directory_counts_in_parent_nlink(void **state)
{
	struct tree *t = *state;
	struct tree_node *d = tree_add(t, FUSE_ROOT_ID, "d", MODE_DIR, 0, 1);

	assert_non_null(d);
	assert_int_equal(d->attr.nlink, 2);
	assert_int_equal(tree_root(t)->attr.nlink, 3);
	assert_non_null(tree_add(t, d->nodeid, "f", MODE_REG, 0, 1));
	assert_int_equal(d->attr.nlink, 2);
	assert_non_null(tree_add(t, d->nodeid, "sub", MODE_DIR, 0, 1));
	assert_int_equal(d->attr.nlink, 3);
}

static void lookup_finds_by_parent_and_name_only(void **state)
{
	struct tree *t = *state;
	struct tree_node *d = tree_add(t, FUSE_ROOT_ID, "d", MODE_DIR, 0, 1);
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	struct tree_node *da = tree_add(t, d->nodeid, "a", MODE_REG, 0, 1);

	assert_non_null(da);
	assert_ptr_not_equal(a, da);
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "a"), a);
	assert_ptr_equal(tree_lookup(t, d->nodeid, "a"), da);
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "d"), d);
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "b"));
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "A"));
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "a "));
	assert_null(tree_lookup(t, 999, "a"));
	assert_ptr_equal(tree_get(t, a->nodeid), a);
	assert_ptr_equal(tree_get(t, da->nodeid), da);
	assert_null(tree_get(t, 999));
	assert_null(tree_get(t, 0));
}

static void add_refuses_explicit_nodeid_collision(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 5, 1);

	assert_non_null(a);
	assert_null(tree_add(t, FUSE_ROOT_ID, "b", MODE_REG, 5, 2));
	assert_null(tree_add(t, FUSE_ROOT_ID, "c", MODE_DIR, FUSE_ROOT_ID, 1));
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "b"));
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "c"));
	assert_ptr_equal(tree_get(t, 5), a);
	assert_int_equal(a->generation, 1);
	/* The root's nlink did not count a refused directory. */
	assert_int_equal(tree_root(t)->attr.nlink, 2);
}

static void add_refuses_name_taken_in_same_parent(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	struct tree_node *d = tree_add(t, FUSE_ROOT_ID, "d", MODE_DIR, 0, 1);

	assert_null(tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1));
	assert_null(tree_add(t, FUSE_ROOT_ID, "a", MODE_DIR, 0, 1));
	assert_null(tree_add(t, FUSE_ROOT_ID, "d", MODE_REG, 77, 1));
	assert_null(tree_get(t, 77));
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "a"), a);
	/* The same name in another directory is another entry. */
	assert_non_null(tree_add(t, d->nodeid, "a", MODE_REG, 0, 1));
}

static void add_refuses_parent_not_a_directory_missing_or_detached(void **state)
{
	struct tree *t = *state;
	struct tree_node *f = tree_add(t, FUSE_ROOT_ID, "f", MODE_REG, 0, 1);
	struct tree_node *l = tree_add(t, FUSE_ROOT_ID, "l", MODE_LNK, 0, 1);
	struct tree_node *d = tree_add(t, FUSE_ROOT_ID, "d", MODE_DIR, 0, 1);

	assert_null(tree_add(t, f->nodeid, "x", MODE_REG, 0, 1));
	assert_null(tree_add(t, l->nodeid, "x", MODE_REG, 0, 1));
	assert_null(tree_add(t, 999, "x", MODE_REG, 0, 1));
	assert_null(tree_add(t, 0, "x", MODE_REG, 0, 1));
	tree_detach(d);
	assert_null(tree_add(t, d->nodeid, "x", MODE_REG, 0, 1));
}

static void add_accepts_name_of_TREE_NAME_MAX_and_refuses_longer(void **state)
{
	struct tree *t = *state;
	char name[TREE_NAME_MAX + 2];
	struct tree_node *n;

	memset(name, 'n', TREE_NAME_MAX + 1);
	name[TREE_NAME_MAX + 1] = 0;
	assert_null(tree_add(t, FUSE_ROOT_ID, name, MODE_REG, 0, 1));
	name[TREE_NAME_MAX] = 0;
	n = tree_add(t, FUSE_ROOT_ID, name, MODE_REG, 0, 1);
	assert_non_null(n);
	assert_int_equal(strlen(n->name), TREE_NAME_MAX);
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, name), n);
}

/* --- detach / rename ---------------------------------------------------------------- */

static void detach_hides_from_lookup_but_get_still_finds(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	struct tree_node *a2;

	give(a, 1);
	tree_detach(a);
	assert_false(a->attached);
	assert_true(a->used);
	assert_int_equal(a->attr.nlink, 0);
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "a"));
	assert_ptr_equal(tree_get(t, a->nodeid), a);
	/* The name is free again, for a new object with a new nodeid. */
	a2 = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	assert_non_null(a2);
	assert_ptr_not_equal(a2, a);
	assert_int_not_equal(a2->nodeid, a->nodeid);
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "a"), a2);
	/* The detached node still takes the kernel's FORGET. */
	tree_forget(t, a->nodeid, 1);
	assert_int_equal(a->nlookup, 0);
	assert_int_equal(t->forget_unknown, 0);
	assert_int_equal(t->forget_excess, 0);
}

static void rename_moves_node_to_new_parent_and_name(void **state)
{
	struct tree *t = *state;
	struct tree_node *d = tree_add(t, FUSE_ROOT_ID, "d", MODE_DIR, 0, 1);
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	uint64_t nodeid = a->nodeid;

	assert_int_equal(tree_rename(t, a, d->nodeid, "b"), 0);
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "a"));
	assert_ptr_equal(tree_lookup(t, d->nodeid, "b"), a);
	/* Identity does not change with the name. */
	assert_int_equal(a->nodeid, nodeid);
	assert_int_equal(a->generation, 1);
	assert_true(a->attached);
}

static void rename_over_existing_target_detaches_the_target(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	struct tree_node *b = tree_add(t, FUSE_ROOT_ID, "b", MODE_REG, 0, 1);

	give(b, 2);
	assert_int_equal(tree_rename(t, a, FUSE_ROOT_ID, "b"), 0);
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "b"), a);
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "a"));
	assert_true(a->attached);
	assert_false(b->attached);
	assert_int_equal(b->attr.nlink, 0);
	/* The replaced object keeps its row for the kernel's FORGET. */
	assert_ptr_equal(tree_get(t, b->nodeid), b);
	assert_int_equal(b->nlookup, 2);
	tree_forget(t, b->nodeid, 2);
	assert_int_equal(b->nlookup, 0);
	assert_int_equal(t->forget_unknown + t->forget_excess, 0);
}

static void rename_onto_its_own_name_keeps_it_attached(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);

	assert_int_equal(tree_rename(t, a, FUSE_ROOT_ID, "a"), 0);
	assert_true(a->attached);
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "a"), a);
}

static void rename_refuses_name_longer_than_TREE_NAME_MAX(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	char name[TREE_NAME_MAX + 2];

	memset(name, 'n', TREE_NAME_MAX + 1);
	name[TREE_NAME_MAX + 1] = 0;
	assert_int_not_equal(tree_rename(t, a, FUSE_ROOT_ID, name), 0);
	assert_string_equal(a->name, "a");
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "a"), a);
}

/* --- reuse ------------------------------------------------------------------------- */

static void reuse_gives_nodeid_to_new_object_with_new_generation(void **state)
{
	struct tree *t = *state;
	struct tree_node *old = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 5, 1), *new;

	give(old, 2);
	new = tree_reuse(t, 5, FUSE_ROOT_ID, "b", MODE_DIR, 2);
	assert_non_null(new);
	assert_ptr_not_equal(new, old);
	assert_int_equal(new->nodeid, 5);
	assert_int_equal(new->generation, 2);
	assert_int_equal(new->attr.ino, 5);
	assert_true(S_ISDIR(new->attr.mode));
	assert_true(new->attached);
	assert_int_equal(new->nlookup, 0);
	assert_int_equal(new->lookups_total, 0);
	/* The old object left the namespace but keeps its identity and count. */
	assert_false(old->attached);
	assert_true(old->used);
	assert_int_equal(old->nodeid, 5);
	assert_int_equal(old->generation, 1);
	assert_int_equal(old->nlookup, 2);
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "a"));
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "b"), new);
	/* By nodeid, the server now answers with the new object. */
	assert_ptr_equal(tree_get(t, 5), new);
}

static void reuse_at_the_same_name_replaces_the_old_object(void **state)
{
	struct tree *t = *state;
	struct tree_node *old = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 5, 1), *new;

	new = tree_reuse(t, 5, FUSE_ROOT_ID, "a", MODE_REG, 9);
	assert_non_null(new);
	assert_ptr_not_equal(new, old);
	assert_false(old->attached);
	assert_ptr_equal(tree_lookup(t, FUSE_ROOT_ID, "a"), new);
	assert_int_equal(tree_lookup(t, FUSE_ROOT_ID, "a")->generation, 9);
}

static void reuse_old_row_absorbs_forgets_of_old_lookups_first(void **state)
{
	struct tree *t = *state;
	struct tree_node *old = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 5, 1), *new;

	give(old, 2);
	new = tree_reuse(t, 5, FUSE_ROOT_ID, "b", MODE_REG, 2);
	give(new, 1);
	assert_int_equal(tree_outstanding_lookups(t), 3);

	/* The kernel drops the old inode first: (5, 1) had 2 lookups. */
	tree_forget(t, 5, 2);
	assert_int_equal(old->nlookup, 0);
	assert_int_equal(old->forgets_total, 2);
	assert_int_equal(new->nlookup, 1);
	assert_int_equal(new->forgets_total, 0);
	/* With the twin at 0, the next FORGET of 5 is the new object's. */
	tree_forget(t, 5, 1);
	assert_int_equal(old->nlookup, 0);
	assert_int_equal(new->nlookup, 0);
	assert_int_equal(new->forgets_total, 1);
	assert_int_equal(tree_outstanding_lookups(t), 0);
	assert_int_equal(t->forget_unknown, 0);
	assert_int_equal(t->forget_excess, 0);
}

static void reuse_of_unknown_nodeid_just_adds(void **state)
{
	struct tree *t = *state;
	struct tree_node *n = tree_reuse(t, 40, FUSE_ROOT_ID, "x", MODE_REG, 3);

	assert_non_null(n);
	assert_int_equal(n->nodeid, 40);
	assert_int_equal(n->generation, 3);
	assert_ptr_equal(tree_get(t, 40), n);
}

/*
 * REGRESSION (was a bug in tree_forget): a FORGET is charged to the detached twin whenever
 * the twin still has nlookup > 0, for the FULL count, even when that count
 * exceeds the twin's nlookup.  The kernel does not have to forget the old
 * inode first: an open fd on the old (now bad) inode keeps it alive while
 * the new inode is evicted and forgotten.  Then a sequence that balances
 * exactly (4 entries given, 4 forgotten) reports forget_excess = 1, leaves
 * the old row at -2 and the new one at +2.  Charging the twin only up to its
 * nlookup and the rest to the attached node would balance both rows.
 */
static void forget_after_reuse_charges_twin_only_what_it_holds(void **state)
{
	struct tree *t = *state;
	struct tree_node *old = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 5, 1), *new;

	give(old, 1);
	new = tree_reuse(t, 5, FUSE_ROOT_ID, "b", MODE_REG, 2);
	give(new, 3);
	tree_forget(t, 5, 3); /* the new inode (5, 2) is evicted first */
	tree_forget(t, 5, 1); /* then the old one, once its last fd closes */
	assert_int_equal(tree_outstanding_lookups(t), 0);
	assert_int_equal(t->forget_unknown, 0);
	assert_int_equal(t->forget_excess, 0);
	assert_int_equal(old->nlookup, 0);
	assert_int_equal(new->nlookup, 0);
}

/* --- lookup accounting ---------------------------------------------------------------- */

static void entry_given_and_forget_balance(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	struct tree_node *b = tree_add(t, FUSE_ROOT_ID, "b", MODE_REG, 0, 1);

	give(a, 3);
	give(b, 1);
	assert_int_equal(a->nlookup, 3);
	assert_int_equal(a->lookups_total, 3);
	assert_int_equal(tree_outstanding_lookups(t), 4);
	tree_forget(t, a->nodeid, 2);
	assert_int_equal(a->nlookup, 1);
	assert_int_equal(a->forgets_total, 2);
	assert_int_equal(a->lookups_total, 3);
	assert_int_equal(tree_outstanding_lookups(t), 2);
	/* A BATCH_FORGET is one tree_forget per entry. */
	tree_forget(t, a->nodeid, 1);
	tree_forget(t, b->nodeid, 1);
	assert_int_equal(a->nlookup, 0);
	assert_int_equal(b->nlookup, 0);
	assert_int_equal(a->forgets_total, 3);
	assert_int_equal(tree_outstanding_lookups(t), 0);
	/* Looked up again after a full forget: counting starts over. */
	give(a, 1);
	assert_int_equal(a->nlookup, 1);
	assert_int_equal(a->lookups_total, 4);
	assert_int_equal(t->forget_unknown, 0);
	assert_int_equal(t->forget_excess, 0);
}

static void forget_of_never_handed_out_nodeid_is_unknown(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);

	tree_forget(t, 999, 1); /* no such nodeid */
	assert_int_equal(t->forget_unknown, 1);
	tree_forget(t, a->nodeid, 1); /* exists, but no entry was ever given */
	assert_int_equal(t->forget_unknown, 2);
	assert_int_equal(a->nlookup, 0);
	assert_int_equal(a->forgets_total, 0);
	tree_forget(t, FUSE_ROOT_ID, 1); /* the kernel never forgets the root */
	assert_int_equal(t->forget_unknown, 3);
	assert_int_equal(t->forget_excess, 0);
}

static void forget_more_than_given_is_excess(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);

	give(a, 1);
	tree_forget(t, a->nodeid, 2);
	assert_int_equal(t->forget_excess, 1);
	assert_int_equal(t->forget_unknown, 0);
	assert_int_equal(a->nlookup, -1);
	assert_int_equal(a->forgets_total, 2);
	assert_int_equal(tree_outstanding_lookups(t), -1);
	/* Every further FORGET below zero counts again. */
	tree_forget(t, a->nodeid, 1);
	assert_int_equal(t->forget_excess, 2);
}

static void outstanding_lookups_leaves_out_the_root(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);

	give(tree_root(t), 5);
	give(a, 1);
	assert_int_equal(tree_outstanding_lookups(t), 1);
	/* Detached nodes still count: the kernel still holds them. */
	tree_detach(a);
	assert_int_equal(tree_outstanding_lookups(t), 1);
}

/* --- replies --------------------------------------------------------------------------- */

static void fill_entry_splits_timeouts_into_sec_and_nsec(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 11);
	struct fuse_entry_out e;

	memset(&e, 0x5a, sizeof(e));
	tree_fill_entry(a, &e);
	assert_int_equal(e.nodeid, a->nodeid);
	assert_int_equal(e.generation, 11);
	assert_int_equal(e.entry_valid, 1);
	assert_int_equal(e.entry_valid_nsec, 500000000);
	assert_int_equal(e.attr_valid, 2);
	assert_int_equal(e.attr_valid_nsec, 1);
	assert_int_equal(e.attr.ino, a->nodeid);
	assert_int_equal(e.attr.mode, MODE_REG);
	assert_int_equal(e.attr.nlink, 1);
	assert_int_equal(e.attr.blksize, 4096);

	/* Per-node timeouts: 0 means "do not cache", large values stay whole. */
	a->entry_valid_ns = 0;
	a->attr_valid_ns = 86400ull * 1000000000ull + 999999999ull;
	tree_fill_entry(a, &e);
	assert_int_equal(e.entry_valid, 0);
	assert_int_equal(e.entry_valid_nsec, 0);
	assert_int_equal(e.attr_valid, 86400);
	assert_int_equal(e.attr_valid_nsec, 999999999);
}

static void fill_entry_carries_chosen_ino_not_nodeid(void **state)
{
	struct tree *t = *state;
	struct tree_node *a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 5, 3);
	struct fuse_entry_out e;

	a->attr.ino = 0x70;
	tree_fill_entry(a, &e);
	assert_int_equal(e.nodeid, 5);
	assert_int_equal(e.generation, 3);
	assert_int_equal(e.attr.ino, 0x70);
}

static void fill_size_comes_from_datalen_for_regular_files_and_symlinks(void **state)
{
	struct tree *t = *state;
	struct tree_node *f = tree_add(t, FUSE_ROOT_ID, "f", MODE_REG, 0, 1);
	struct tree_node *l = tree_add(t, FUSE_ROOT_ID, "l", MODE_LNK, 0, 1);
	struct tree_node *d = tree_add(t, FUSE_ROOT_ID, "d", MODE_DIR, 0, 1);
	struct fuse_entry_out e;
	struct fuse_attr_out a;

	memcpy(f->data, "hello", 5);
	f->datalen = 5;
	f->attr.size = 12345; /* ignored: the content decides */
	memcpy(l->data, "target", 6);
	l->datalen = 6;
	d->attr.size = 4096; /* a directory's size is as served */
	d->datalen = 3;

	tree_fill_entry(f, &e);
	assert_int_equal(e.attr.size, 5);
	tree_fill_attr(f, &a);
	assert_int_equal(a.attr.size, 5);
	tree_fill_entry(l, &e);
	assert_int_equal(e.attr.size, 6);
	tree_fill_attr(l, &a);
	assert_int_equal(a.attr.size, 6);
	tree_fill_entry(d, &e);
	assert_int_equal(e.attr.size, 4096);
	tree_fill_attr(d, &a);
	assert_int_equal(a.attr.size, 4096);
	/* The node itself is untouched. */
	assert_int_equal(f->attr.size, 12345);
}

static void fill_attr_uses_attr_timeout_and_zeroes_dummy(void **state)
{
	struct tree *t = *state;
	struct tree_node *f = tree_add(t, FUSE_ROOT_ID, "f", MODE_REG, 0, 1);
	struct fuse_attr_out a;

	memset(&a, 0x5a, sizeof(a));
	tree_fill_attr(f, &a);
	assert_int_equal(a.attr_valid, 2);
	assert_int_equal(a.attr_valid_nsec, 1);
	assert_int_equal(a.dummy, 0);
	assert_int_equal(a.attr.ino, f->nodeid);
	assert_int_equal(a.attr.mode, MODE_REG);
}

/* --- a full table ------------------------------------------------------------------------ */

static void table_full_returns_null(void **state)
{
	struct tree *t = *state;

	/* Every slot but the root's. */
	assert_int_equal(fill_table(t), TREE_MAX_NODES - 1);
	assert_null(tree_add(t, FUSE_ROOT_ID, "one_more", MODE_REG, 0, 1));
	assert_null(tree_add(t, FUSE_ROOT_ID, "explicit", MODE_REG, 9999, 1));
	assert_null(tree_lookup(t, FUSE_ROOT_ID, "one_more"));
}

static void table_full_reclaims_detached_node_with_no_lookups(void **state)
{
	struct tree *t = *state;
	struct tree_node *victim, *n;

	assert_int_equal(fill_table(t), TREE_MAX_NODES - 1);
	victim = tree_lookup(t, FUSE_ROOT_ID, "f7");
	assert_non_null(victim);
	give(victim, 1);
	tree_detach(victim);
	/* The kernel still holds it: no slot. */
	assert_null(tree_add(t, FUSE_ROOT_ID, "new", MODE_REG, 0, 1));
	tree_forget(t, victim->nodeid, 1);
	/* Forgotten: its slot is taken by the new object. */
	n = tree_add(t, FUSE_ROOT_ID, "new", MODE_REG, 0, 4);
	assert_ptr_equal(n, victim);
	assert_true(n->attached);
	assert_string_equal(n->name, "new");
	assert_int_equal(n->generation, 4);
	assert_int_equal(n->nlookup, 0);
	assert_int_equal(n->lookups_total, 0);
	assert_int_equal(n->forgets_total, 0);
	assert_null(tree_add(t, FUSE_ROOT_ID, "new2", MODE_REG, 0, 1));
}

static void table_full_reclaims_detached_node_with_negative_nlookup(void **state)
{
	struct tree *t = *state;
	struct tree_node *victim;

	assert_int_equal(fill_table(t), TREE_MAX_NODES - 1);
	victim = tree_lookup(t, FUSE_ROOT_ID, "f100");
	give(victim, 1);
	tree_forget(t, victim->nodeid, 2);
	assert_int_equal(victim->nlookup, -1);
	/* Attached: never reclaimed, whatever its count. */
	assert_null(tree_add(t, FUSE_ROOT_ID, "new", MODE_REG, 0, 1));
	tree_detach(victim);
	assert_ptr_equal(tree_add(t, FUSE_ROOT_ID, "new", MODE_REG, 0, 1), victim);
}

/*
 * REGRESSION (was a bug in tree_add): auto-numbering is "one past the highest nodeid seen"
 * with no overflow check.  After an explicit nodeid UINT64_MAX, next_nodeid
 * wraps to 0: the next auto node gets nodeid 0 (which the kernel reads as a
 * negative entry), and the one after gets nodeid 1, a second FUSE_ROOT_ID
 * that tree_add does not refuse because the collision check only covers
 * explicit nodeids.
 */
static void auto_nodeid_skips_0_root_and_taken_after_uint64_max(void **state)
{
	struct tree *t = *state;
	struct tree_node *a, *b;

	assert_non_null(tree_add(t, FUSE_ROOT_ID, "max", MODE_REG, UINT64_MAX, 1));
	a = tree_add(t, FUSE_ROOT_ID, "a", MODE_REG, 0, 1);
	b = tree_add(t, FUSE_ROOT_ID, "b", MODE_REG, 0, 1);
	/* Either refuse, or hand out a nodeid that is neither 0 nor taken. */
	if (a)
		assert_true(a->nodeid != 0 && a->nodeid != FUSE_ROOT_ID && a->nodeid != UINT64_MAX);
	if (b)
		assert_true(b->nodeid != 0 && b->nodeid != FUSE_ROOT_ID && b->nodeid != UINT64_MAX);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(init_root_is_directory_nodeid_1),
		T(add_auto_nodeids_start_at_2_and_increase),
		T(add_explicit_nodeid_moves_auto_numbering_past_it),
		T(add_directory_counts_in_parent_nlink),
		T(lookup_finds_by_parent_and_name_only),
		T(add_refuses_explicit_nodeid_collision),
		T(add_refuses_name_taken_in_same_parent),
		T(add_refuses_parent_not_a_directory_missing_or_detached),
		T(add_accepts_name_of_TREE_NAME_MAX_and_refuses_longer),
		T(detach_hides_from_lookup_but_get_still_finds),
		T(rename_moves_node_to_new_parent_and_name),
		T(rename_over_existing_target_detaches_the_target),
		T(rename_onto_its_own_name_keeps_it_attached),
		T(rename_refuses_name_longer_than_TREE_NAME_MAX),
		T(reuse_gives_nodeid_to_new_object_with_new_generation),
		T(reuse_at_the_same_name_replaces_the_old_object),
		T(reuse_old_row_absorbs_forgets_of_old_lookups_first),
		T(reuse_of_unknown_nodeid_just_adds),
		T(forget_after_reuse_charges_twin_only_what_it_holds),
		T(entry_given_and_forget_balance),
		T(forget_of_never_handed_out_nodeid_is_unknown),
		T(forget_more_than_given_is_excess),
		T(outstanding_lookups_leaves_out_the_root),
		T(fill_entry_splits_timeouts_into_sec_and_nsec),
		T(fill_entry_carries_chosen_ino_not_nodeid),
		T(fill_size_comes_from_datalen_for_regular_files_and_symlinks),
		T(fill_attr_uses_attr_timeout_and_zeroes_dummy),
		T(table_full_returns_null),
		T(table_full_reclaims_detached_node_with_no_lookups),
		T(table_full_reclaims_detached_node_with_negative_nlookup),
		T(auto_nodeid_skips_0_root_and_taken_after_uint64_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
