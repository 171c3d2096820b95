// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify_rules.c - see notify_rules.h.  Our own code, written from the
 * facts in fs/fuse/dev.c (and fs/fuse/dir.c, fs/fuse/inode.c) and from
 * writes made to a live 6.18.44 kernel; docs/notify-validation.md lists
 * the sources.
 *
 * Layout: the rules table (one row per check: errno, text, citation),
 * then one small function per notify code applying its rows in the
 * kernel's order, then the dispatch of fuse_dev_do_write().
 */
#include "notify_rules.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/*
 * The rules table.  Citations name "file, function, kernel versions";
 * "observed 6.18.44" means a write to the live kernel returned that errno.
 */
#define CITE_DEV "fs/fuse/dev.c, "
#define CITE_DIR "fs/fuse/dir.c, "
static const struct nr_rule nr_rules[NR_R__COUNT] = {
	[NR_R_ACCEPTED] = { 0, "accepted", "" },

	/* ---- fuse_dev_write / fuse_dev_do_write ---- */
	[NR_R_UNATTACHED] = { EPERM, "write: fd not attached to a connection (fuse_get_dev() == NULL)",
			      CITE_DEV "fuse_dev_write, 6.1-6.18; observed 6.18.44" },
	[NR_R_HDR_SHORT] = { EINVAL, "header: nbytes < sizeof(struct fuse_out_header)",
			     CITE_DEV "fuse_dev_do_write, 6.1-6.18; observed 6.18.44" },
	[NR_R_HDR_LEN] = { EINVAL, "header: oh.len != nbytes",
			   CITE_DEV "fuse_dev_do_write, 6.1-6.18; observed 6.18.44" },
	[NR_R_NOTIFY_BEFORE_INIT] = { EINVAL, "notify: connection not initialized/connected",
				      CITE_DEV "fuse_dev_do_write, post-7.0 tree only; absent in 6.18.44" },
	[NR_R_CODE_UNKNOWN] = { EINVAL, "notify: code (oh.error) unknown to this kernel",
				CITE_DEV "fuse_notify, default case, 6.1-6.18; observed 6.18.44" },

	/* ---- replies: unique != 0 ---- */
	[NR_R_REPLY_ERR_RANGE] = { EINVAL, "reply: oh.error <= -512 || oh.error > 0",
				   CITE_DEV "fuse_dev_do_write, 5.14+ (49221cf86d18; -1000 before); observed 6.18.44" },
	[NR_R_REPLY_NO_REQ] = { ENOENT, "reply: no request with unique & ~FUSE_INT_REQ_BIT being processed",
				CITE_DEV "fuse_dev_do_write, request_find, 6.1-6.18; observed 6.18.44" },
	[NR_R_INTR_LEN] = { EINVAL, "interrupt reply: nbytes != sizeof(struct fuse_out_header)",
			    CITE_DEV "fuse_dev_do_write, 6.1-6.18" },
	[NR_R_INTR_NOT_INTERRUPTED] = { EINVAL, "interrupt reply -EAGAIN: request never interrupted",
					CITE_DEV "queue_interrupt, 6.1-6.18" },
	[NR_R_INTR_OK] = { 0, "interrupt reply: accepted (-ENOSYS sets no_interrupt)",
			   CITE_DEV "fuse_dev_do_write, 6.1-6.18" },
	[NR_R_REPLY_ERR_PAYLOAD] = { EINVAL, "error reply: nbytes != sizeof(oh) (request ends with -EIO)",
				     CITE_DEV "fuse_dev_do_write, 6.1-6.18; observed 6.18.44" },
	[NR_R_REPLY_SIZE] = { EINVAL, "reply: payload does not fit the request's out args (request ends with -EIO)",
			      CITE_DEV "copy_out_args, 6.1-6.18; observed 6.18.44" },
	[NR_R_REPLY_OK] = { 0, "reply: accepted", CITE_DEV "fuse_dev_do_write, 6.1-6.18" },

	/* ---- FUSE_NOTIFY_POLL ---- */
	[NR_R_POLL_SIZE] = { EINVAL, "POLL: size != sizeof(struct fuse_notify_poll_wakeup_out)",
			     CITE_DEV "fuse_notify_poll, 6.1-6.18; observed 6.18.44" },
	[NR_R_POLL_OK] = { 0, "POLL: accepted (an unknown kh wakes nobody; not an error)",
			   "fs/fuse/file.c, fuse_notify_poll_wakeup, 6.1-6.18; observed 6.18.44" },

	/* ---- FUSE_NOTIFY_INVAL_INODE ---- */
	[NR_R_INVAL_INODE_SIZE] = { EINVAL, "INVAL_INODE: size != sizeof(struct fuse_notify_inval_inode_out)",
				    CITE_DEV "fuse_notify_inval_inode, 6.1-6.18; observed 6.18.44" },
	[NR_R_INVAL_INODE_NOENT] = { ENOENT, "INVAL_INODE: nodeid not in the inode cache",
				     "fs/fuse/inode.c, fuse_reverse_inval_inode, 6.1-6.18; observed 6.18.44" },
	[NR_R_INVAL_INODE_OK] = { 0, "INVAL_INODE: accepted (off and len are not validated)",
				  "fs/fuse/inode.c, fuse_reverse_inval_inode, 6.1-6.18; observed 6.18.44" },

	/* ---- FUSE_NOTIFY_INVAL_ENTRY ---- */
	[NR_R_INVAL_ENTRY_SHORT] = { EINVAL, "INVAL_ENTRY: size < sizeof(struct fuse_notify_inval_entry_out)",
				     CITE_DEV "fuse_notify_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_INVAL_ENTRY_NAMELEN] = { ENAMETOOLONG, "INVAL_ENTRY: namelen > name_max (checked before the size)",
				       CITE_DEV "fuse_notify_inval_entry, 6.1 (FUSE_NAME_MAX) - 6.18 (fc->name_max); observed 6.18.44" },
	[NR_R_INVAL_ENTRY_SIZE] = { EINVAL, "INVAL_ENTRY: size != sizeof(outarg) + namelen + 1",
				    CITE_DEV "fuse_notify_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_INVAL_ENTRY_PARENT_NOENT] = { ENOENT, "INVAL_ENTRY: parent nodeid not in the inode cache",
					    CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_INVAL_ENTRY_PARENT_NOTDIR] = { ENOTDIR, "INVAL_ENTRY: parent is not a directory",
					     CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_INVAL_ENTRY_NAME_NOENT] = { ENOENT, "INVAL_ENTRY: name not in the dcache under parent",
					  CITE_DIR "fuse_reverse_inval_entry (d_find_alias, d_lookup), 6.1-6.18; observed 6.18.44" },
	[NR_R_INVAL_ENTRY_OK] = { 0, "INVAL_ENTRY: accepted (flags other than EXPIRE_ONLY ignored)",
				  CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },

	/* ---- FUSE_NOTIFY_STORE ---- */
	[NR_R_STORE_SHORT] = { EINVAL, "STORE: size < sizeof(struct fuse_notify_store_out)",
			       CITE_DEV "fuse_notify_store, 6.1-6.18; observed 6.18.44" },
	[NR_R_STORE_SIZE] = { EINVAL, "STORE: size - sizeof(outarg) != outarg.size",
			      CITE_DEV "fuse_notify_store, 6.1-6.18; observed 6.18.44" },
	[NR_R_STORE_OFFSET] = { EINVAL, "STORE: offset >= MAX_LFS_FILESIZE",
				CITE_DEV "fuse_notify_store, 65161470f95b (2026, 7.x); absent in 6.18.44" },
	[NR_R_STORE_NOENT] = { ENOENT, "STORE: nodeid not in the inode cache",
			       CITE_DEV "fuse_notify_store, 6.1-6.18; observed 6.18.44" },
	[NR_R_STORE_NOTREG] = { EINVAL, "STORE: inode is not a regular file",
				CITE_DEV "fuse_notify_store, 9c954499d43a (2026, stable); observed 6.18.44" },
	[NR_R_STORE_OK] = { 0, "STORE: accepted (offset + size may pass EOF: i_size grows)",
			    CITE_DEV "fuse_notify_store, 6.1-6.18; observed 6.18.44" },

	/* ---- FUSE_NOTIFY_RETRIEVE ---- */
	[NR_R_RETRIEVE_SIZE] = { EINVAL, "RETRIEVE: size != sizeof(struct fuse_notify_retrieve_out)",
				 CITE_DEV "fuse_notify_retrieve, 6.1-6.18; observed 6.18.44" },
	[NR_R_RETRIEVE_OFFSET] = { EINVAL, "RETRIEVE: offset >= MAX_LFS_FILESIZE",
				   CITE_DEV "fuse_notify_retrieve, 65161470f95b (2026, 7.x); absent in 6.18.44" },
	[NR_R_RETRIEVE_NOENT] = { ENOENT, "RETRIEVE: nodeid not in the inode cache (nothing is sent)",
				  CITE_DEV "fuse_notify_retrieve, 6.1-6.18; observed 6.18.44" },
	[NR_R_RETRIEVE_NOTREG] = { EINVAL, "RETRIEVE: inode is not a regular file",
				   CITE_DEV "fuse_notify_retrieve, 9c954499d43a (2026, stable); observed 6.18.44" },
	[NR_R_RETRIEVE_OK] = { 0, "RETRIEVE: accepted; a FUSE_NOTIFY_REPLY follows (maybe 0 bytes)",
			       CITE_DEV "fuse_retrieve, 6.1-6.18; observed 6.18.44" },

	/* ---- FUSE_NOTIFY_DELETE ---- */
	[NR_R_DELETE_SHORT] = { EINVAL, "DELETE: size < sizeof(struct fuse_notify_delete_out)",
				CITE_DEV "fuse_notify_delete, 6.1-6.18; observed 6.18.44" },
	[NR_R_DELETE_NAMELEN] = { ENAMETOOLONG, "DELETE: namelen > name_max (checked before the size)",
				  CITE_DEV "fuse_notify_delete, 6.1 (FUSE_NAME_MAX) - 6.18 (fc->name_max); observed 6.18.44" },
	[NR_R_DELETE_SIZE] = { EINVAL, "DELETE: size != sizeof(outarg) + namelen + 1",
			       CITE_DEV "fuse_notify_delete, 6.1-6.18; observed 6.18.44" },
	[NR_R_DELETE_PARENT_NOENT] = { ENOENT, "DELETE: parent nodeid not in the inode cache",
				       CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_DELETE_PARENT_NOTDIR] = { ENOTDIR, "DELETE: parent is not a directory",
					CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_DELETE_NAME_NOENT] = { ENOENT, "DELETE: name not in the dcache under parent",
				     CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_DELETE_CHILD_MISMATCH] = { ENOENT, "DELETE: cached child's nodeid != outarg.child (entry already unhashed)",
					 CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_DELETE_MOUNTPOINT] = { EBUSY, "DELETE: child is a mountpoint (dead code: d_invalidate() "
					    "detached the mount first; never decided)",
				     CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44: 0, mount detached" },
	[NR_R_DELETE_NOTEMPTY] = { ENOTEMPTY, "DELETE: child directory not empty (a child dentry in use)",
				   CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_DELETE_NO_CHILD_OK] = { 0, "DELETE: child == 0 or negative dentry: acts as INVAL_ENTRY",
				      CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },
	[NR_R_DELETE_OK] = { 0, "DELETE: accepted (dentry deleted, child nlink cleared)",
			     CITE_DIR "fuse_reverse_inval_entry, 6.1-6.18; observed 6.18.44" },

	/* ---- FUSE_NOTIFY_RESEND, INC_EPOCH, PRUNE ---- */
	[NR_R_RESEND_OK] = { 0, "RESEND: accepted (no size check; payload ignored)",
			     CITE_DEV "fuse_notify_resend, 6.9-6.18; observed 6.18.44" },
	[NR_R_INC_EPOCH_OK] = { 0, "INC_EPOCH: accepted (no size check; payload ignored)",
				CITE_DEV "fuse_notify_inc_epoch, 6.16-6.18; observed 6.18.44" },
	[NR_R_PRUNE_SHORT] = { EINVAL, "PRUNE: size < sizeof(struct fuse_notify_prune_out)",
			       CITE_DEV "fuse_notify_prune, 6.18; observed 6.18.44" },
	[NR_R_PRUNE_COUNT] = { EINVAL, "PRUNE: size - sizeof(outarg) != count * sizeof(u64)",
			       CITE_DEV "fuse_notify_prune, 6.18; observed 6.18.44" },
	[NR_R_PRUNE_OK] = { 0, "PRUNE: accepted (no max count; unknown nodeids ignored)",
			    CITE_DEV "fuse_notify_prune, 6.18; observed 6.18.44" },
};
#undef CITE_DEV
#undef CITE_DIR

const struct nr_rule *nr_rule_get(enum nr_rule_id id)
{
	if ((unsigned)id >= NR_R__COUNT)
		return &nr_rules[NR_R_ACCEPTED];
	return &nr_rules[id];
}

/* Decide: record the rule and return its errno. */
static int verdict(struct nr_verdict *v, enum nr_rule_id id)
{
	v->rule = id;
	v->err = nr_rules[id].err;
	return v->err;
}

/* ---- kernel description ---- */

static uint32_t k_minor(const struct nr_kernel *k)
{
	return k->minor ? k->minor : FUSE_KERNEL_MINOR_VERSION;
}

static uint32_t k_name_max(const struct nr_kernel *k)
{
	return k->name_max ? k->name_max : NR_FUSE_NAME_LOW_MAX;
}

static int32_t k_error_floor(const struct nr_kernel *k)
{
	return k->reply_error_floor ? k->reply_error_floor : -512;
}

void nr_kernel_preset(struct nr_kernel *k, enum nr_preset p)
{
	memset(k, 0, sizeof(*k));
	k->name_max = NR_FUSE_NAME_LOW_MAX; /* until INIT is answered */
	k->max_pages_limit = NR_FUSE_DEFAULT_MAX_PAGES_LIMIT;
	k->reply_error_floor = -512;
	switch (p) {
	case NR_PRESET_6_1:
		/* Debian's 6.1.y speaks 7.38; FUSE_NAME_MAX is a fixed 1024. */
		k->name = "6.1 (Debian bookworm, FUSE 7.38)";
		k->minor = 38;
		break;
	case NR_PRESET_6_1_192:
		/* Seen by kdiff in the VM on Debian 6.1.192-2 (linux-image-6.1.0-56):
		 * STORE on a symlink and RETRIEVE on a directory are EINVAL, so the
		 * stable tree carries 9c954499d43a; the offset bound is not in. */
		k->name = "6.1.192 (Debian 6.1.192-2, FUSE 7.38; observed)";
		k->minor = 38;
		k->pagecache_regular_only = true;
		break;
	case NR_PRESET_6_12_118:
		/* Settled by kdiff's probes in the VM on Debian's 6.12.118-1~deb12u1:
		 * RESEND exists, INC_EPOCH and PRUNE do not (7.41); name_max stays
		 * 1024 after an INIT with max_pages 32 (the raise came later); the
		 * non-regular STORE/RETRIEVE fix is backported, the offset bound not. */
		k->name = "6.12.118 (Debian 6.12.118-1~deb12u1, FUSE 7.41; observed)";
		k->minor = 41;
		k->pagecache_regular_only = true;
		break;
	case NR_PRESET_6_18:
		k->name = "6.18 (as released, FUSE 7.45)";
		k->minor = 45;
		k->long_names = true;
		break;
	case NR_PRESET_6_18_44:
		/* Observed: non-regular STORE/RETRIEVE -> EINVAL, offset
		   LLONG_MAX accepted, notifications accepted before INIT. */
		k->name = "6.18.44 (observed on the build VM)";
		k->minor = 45;
		k->long_names = true;
		k->pagecache_regular_only = true;
		break;
	case NR_PRESET_NEXT:
		k->name = "post-7.0 (fs/fuse/notify.c)";
		k->minor = 45;
		k->long_names = true;
		k->pagecache_regular_only = true;
		k->pagecache_offset_limit = true;
		break;
	case NR_PRESET__COUNT:
		break; /* not a preset: the zeroed defaults */
	}
}

uint32_t nr_name_max_from_init(const struct nr_kernel *k, const struct fuse_init_out *out)
{
	uint64_t flags;
	uint32_t limit, max_pages;

	/* process_init_reply(): a reply with the wrong major fails INIT. */
	if (!k->long_names || out->major != FUSE_KERNEL_VERSION || out->minor < 6)
		return NR_FUSE_NAME_LOW_MAX;
	flags = out->flags;
	if (flags & FUSE_INIT_EXT)
		flags |= (uint64_t)out->flags2 << 32;
	if (!(flags & FUSE_MAX_PAGES))
		return NR_FUSE_NAME_LOW_MAX;
	/* fc->max_pages = min(max_pages_limit, max(arg->max_pages, 1)) */
	limit = k->max_pages_limit ? k->max_pages_limit : NR_FUSE_DEFAULT_MAX_PAGES_LIMIT;
	max_pages = out->max_pages ? out->max_pages : 1;
	if (max_pages > limit)
		max_pages = limit;
	/* "PATH_MAX file names might need two pages for ops like rename" */
	return max_pages > 1 ? NR_FUSE_NAME_MAX : NR_FUSE_NAME_LOW_MAX;
}

/* ---- oracle helpers (NULL callbacks give the documented default) ---- */

static bool st_have_nodeid(const struct nr_state *s, uint64_t nodeid)
{
	return s->have_nodeid && s->have_nodeid(s->ctx, nodeid);
}

static uint32_t st_node_type(const struct nr_state *s, uint64_t nodeid)
{
	return s->node_type ? (s->node_type(s->ctx, nodeid) & S_IFMT) : 0;
}

/* A known type that is not dir / not regular; unknown (0) passes. */
static bool st_known_not(const struct nr_state *s, uint64_t nodeid, uint32_t ifmt)
{
	uint32_t t = st_node_type(s, nodeid);

	return t != 0 && t != ifmt;
}

/* ---- per-code checks, in the kernel's order ---- */

/* fuse_notify_poll(); fuse_notify_poll_wakeup() always returns 0. */
static int notify_poll(struct nr_verdict *v, uint64_t size)
{
	if (size != sizeof(struct fuse_notify_poll_wakeup_out))
		return verdict(v, NR_R_POLL_SIZE);
	v->effects |= NR_EFF_POLL_WAKEUP;
	return verdict(v, NR_R_POLL_OK);
}

/* fuse_notify_inval_inode() -> fuse_reverse_inval_inode(). */
static int notify_inval_inode(const struct nr_state *s, struct nr_verdict *v, const uint8_t *arg,
			      uint64_t size)
{
	struct fuse_notify_inval_inode_out outarg;

	if (size != sizeof(outarg))
		return verdict(v, NR_R_INVAL_INODE_SIZE);
	memcpy(&outarg, arg, sizeof(outarg));
	if (!st_have_nodeid(s, outarg.ino))
		return verdict(v, NR_R_INVAL_INODE_NOENT);
	v->effects |= NR_EFF_INODE_INVALIDATED;
	return verdict(v, NR_R_INVAL_INODE_OK);
}

/*
 * The name-carrying notifications share fuse_reverse_inval_entry(); the
 * rule ids differ only so reports name the code.
 */
struct entry_rules {
	enum nr_rule_id shortr, namelen, sizer, parent_noent, parent_notdir, name_noent;
};
static const struct entry_rules inval_entry_rules = {
	NR_R_INVAL_ENTRY_SHORT, NR_R_INVAL_ENTRY_NAMELEN, NR_R_INVAL_ENTRY_SIZE,
	NR_R_INVAL_ENTRY_PARENT_NOENT, NR_R_INVAL_ENTRY_PARENT_NOTDIR, NR_R_INVAL_ENTRY_NAME_NOENT,
};
static const struct entry_rules delete_rules = {
	NR_R_DELETE_SHORT, NR_R_DELETE_NAMELEN, NR_R_DELETE_SIZE,
	NR_R_DELETE_PARENT_NOENT, NR_R_DELETE_PARENT_NOTDIR, NR_R_DELETE_NAME_NOENT,
};

/*
 * fuse_notify_inval_entry() / fuse_notify_delete() up to the dcache
 * lookup.  Returns -1 to continue (with *ent and *child set), else the
 * decided errno.  stlen is sizeof(outarg); namelen was read from it.
 */
static int entry_common(const struct nr_kernel *k, const struct nr_state *s, struct nr_verdict *v,
			const struct entry_rules *r, const uint8_t *arg, uint64_t size, uint64_t stlen,
			uint64_t parent, uint32_t namelen, int *ent, uint64_t *child)
{
	const char *name = (const char *)arg + stlen;

	/* The name must fit fc->name_max; checked before the exact size, so a
	   huge namelen with no name at all still gets ENAMETOOLONG. */
	if (namelen > k_name_max(k))
		return verdict(v, r->namelen);
	/* u64: namelen <= name_max here, and size < 2^32 (oh.len is u32). */
	if (size != stlen + (uint64_t)namelen + 1)
		return verdict(v, r->sizer);
	/* The trailing byte is overwritten with NUL, never checked. */

	/* fuse_reverse_inval_entry() */
	if (!st_have_nodeid(s, parent))
		return verdict(v, r->parent_noent);
	if (st_known_not(s, parent, S_IFDIR))
		return verdict(v, r->parent_notdir);
	*child = 0;
	*ent = s->have_entry ? s->have_entry(s->ctx, parent, name, namelen, child) : NR_ENTRY_NONE;
	if (*ent != NR_ENTRY_POSITIVE && *ent != NR_ENTRY_NEGATIVE)
		return verdict(v, r->name_noent);
	return -1;
}

/* fuse_notify_inval_entry(). */
static int notify_inval_entry(const struct nr_kernel *k, const struct nr_state *s,
			      struct nr_verdict *v, const uint8_t *arg, uint64_t size)
{
	struct fuse_notify_inval_entry_out outarg;
	uint64_t child;
	int ent, err;

	if (size < sizeof(outarg))
		return verdict(v, NR_R_INVAL_ENTRY_SHORT);
	memcpy(&outarg, arg, sizeof(outarg));
	err = entry_common(k, s, v, &inval_entry_rules, arg, size, sizeof(outarg), outarg.parent,
			   outarg.namelen, &ent, &child);
	if (err >= 0)
		return err;
	v->effects |= NR_EFF_DIR_CHANGED;
	/* FUSE_EXPIRE_ONLY exists since 7.38; before, the field was padding. */
	if (k_minor(k) >= 38 && (outarg.flags & FUSE_EXPIRE_ONLY))
		v->effects |= NR_EFF_DENTRY_EXPIRED;
	else
		v->effects |= NR_EFF_DENTRY_UNHASHED;
	return verdict(v, NR_R_INVAL_ENTRY_OK);
}

/* fuse_notify_delete(): fuse_reverse_inval_entry() with a child nodeid. */
static int notify_delete(const struct nr_kernel *k, const struct nr_state *s, struct nr_verdict *v,
			 const uint8_t *arg, uint64_t size)
{
	struct fuse_notify_delete_out outarg;
	uint64_t child;
	int ent, err;

	if (size < sizeof(outarg))
		return verdict(v, NR_R_DELETE_SHORT);
	memcpy(&outarg, arg, sizeof(outarg));
	err = entry_common(k, s, v, &delete_rules, arg, size, sizeof(outarg), outarg.parent,
			   outarg.namelen, &ent, &child);
	if (err >= 0)
		return err;
	/* The entry is invalidated before the child is compared: a mismatch
	   still costs the dentry (observed 6.18.44). */
	v->effects |= NR_EFF_DIR_CHANGED | NR_EFF_DENTRY_UNHASHED;
	if (outarg.child == 0 || ent == NR_ENTRY_NEGATIVE)
		return verdict(v, NR_R_DELETE_NO_CHILD_OK);
	if (child != outarg.child)
		return verdict(v, NR_R_DELETE_CHILD_MISMATCH);
	/*
	 * A mountpoint is no obstacle: the d_invalidate() above already
	 * detached every mount at or below the entry, so the kernel's
	 * d_mountpoint() -> EBUSY check after it never fires (observed
	 * 6.18.44: DELETE of a tmpfs mountpoint returns 0 and the tmpfs is
	 * gone).  NR_R_DELETE_MOUNTPOINT stays in the table as that dead code.
	 */
	if (s->delete_busy && s->delete_busy(s->ctx, child) == ENOTEMPTY)
		return verdict(v, NR_R_DELETE_NOTEMPTY);
	v->effects |= NR_EFF_DENTRY_DELETED;
	return verdict(v, NR_R_DELETE_OK);
}

/* fuse_notify_store(). */
static int notify_store(const struct nr_kernel *k, const struct nr_state *s, struct nr_verdict *v,
			const uint8_t *arg, uint64_t size)
{
	struct fuse_notify_store_out outarg;

	if (size < sizeof(outarg))
		return verdict(v, NR_R_STORE_SHORT);
	memcpy(&outarg, arg, sizeof(outarg));
	if (size - sizeof(outarg) != outarg.size)
		return verdict(v, NR_R_STORE_SIZE);
	if (k->pagecache_offset_limit && outarg.offset >= NR_MAX_LFS_FILESIZE)
		return verdict(v, NR_R_STORE_OFFSET);
	if (!st_have_nodeid(s, outarg.nodeid))
		return verdict(v, NR_R_STORE_NOENT);
	if (k->pagecache_regular_only && st_known_not(s, outarg.nodeid, S_IFREG))
		return verdict(v, NR_R_STORE_NOTREG);
	v->effects |= NR_EFF_PAGECACHE_WRITTEN;
	return verdict(v, NR_R_STORE_OK);
}

/* fuse_notify_retrieve() -> fuse_retrieve(). */
static int notify_retrieve(const struct nr_kernel *k, const struct nr_state *s,
			   struct nr_verdict *v, const uint8_t *arg, uint64_t size)
{
	struct fuse_notify_retrieve_out outarg;

	if (size != sizeof(outarg))
		return verdict(v, NR_R_RETRIEVE_SIZE);
	memcpy(&outarg, arg, sizeof(outarg));
	if (k->pagecache_offset_limit && outarg.offset >= NR_MAX_LFS_FILESIZE)
		return verdict(v, NR_R_RETRIEVE_OFFSET);
	if (!st_have_nodeid(s, outarg.nodeid))
		return verdict(v, NR_R_RETRIEVE_NOENT);
	if (k->pagecache_regular_only && st_known_not(s, outarg.nodeid, S_IFREG))
		return verdict(v, NR_R_RETRIEVE_NOTREG);
	v->effects |= NR_EFF_NOTIFY_REPLY;
	return verdict(v, NR_R_RETRIEVE_OK);
}

/* fuse_notify_resend(): called without size or copy state at all. */
static int notify_resend(struct nr_verdict *v)
{
	v->effects |= NR_EFF_RESEND;
	return verdict(v, NR_R_RESEND_OK);
}

/* fuse_notify_inc_epoch(): likewise. */
static int notify_inc_epoch(struct nr_verdict *v)
{
	v->effects |= NR_EFF_EPOCH_BUMPED;
	return verdict(v, NR_R_INC_EPOCH_OK);
}

/* fuse_notify_prune(): padding and spare are not checked. */
static int notify_prune(struct nr_verdict *v, const uint8_t *arg, uint64_t size)
{
	struct fuse_notify_prune_out outarg;

	if (size < sizeof(outarg))
		return verdict(v, NR_R_PRUNE_SHORT);
	memcpy(&outarg, arg, sizeof(outarg));
	/* u64 like array_size(): count * 8 cannot wrap here. */
	if (size - sizeof(outarg) != (uint64_t)outarg.count * sizeof(uint64_t))
		return verdict(v, NR_R_PRUNE_COUNT);
	v->effects |= NR_EFF_PRUNE;
	return verdict(v, NR_R_PRUNE_OK);
}

/*
 * The codes fuse_notify() knows, and the FUSE minor of the kernel that
 * added each (include/uapi/linux/fuse.h changelog).  The switch does not
 * look at the negotiated minor: a code exists iff the kernel has it.
 */
static const struct {
	int32_t code;
	uint32_t since_minor;
} nr_codes[] = {
	{ FUSE_NOTIFY_POLL, 11 },       { FUSE_NOTIFY_INVAL_INODE, 12 },
	{ FUSE_NOTIFY_INVAL_ENTRY, 12 }, { FUSE_NOTIFY_STORE, 15 },
	{ FUSE_NOTIFY_RETRIEVE, 15 },   { FUSE_NOTIFY_DELETE, 18 },
	{ FUSE_NOTIFY_RESEND, 40 },     { FUSE_NOTIFY_INC_EPOCH, 44 },
	{ FUSE_NOTIFY_PRUNE, 45 },
};

uint32_t nr_code_since_minor(int32_t code)
{
	for (size_t i = 0; i < sizeof(nr_codes) / sizeof(nr_codes[0]); i++)
		if (nr_codes[i].code == code)
			return nr_codes[i].since_minor;
	return 0;
}

bool nr_code_known(const struct nr_kernel *k, int32_t code)
{
	uint32_t since = nr_code_since_minor(code);

	if (since == 0)
		return false;
	if (k->codes)
		return code > 0 && code < 32 && (k->codes >> code) & 1;
	return k_minor(k) >= since;
}

/* fuse_notify(): dispatch on oh.error. */
static int notify(const struct nr_kernel *k, const struct nr_state *s, struct nr_verdict *v,
		  int32_t code, const uint8_t *arg, uint64_t size)
{
	if (!nr_code_known(k, code))
		return verdict(v, NR_R_CODE_UNKNOWN);
	switch (code) {
	case FUSE_NOTIFY_POLL:
		return notify_poll(v, size);
	case FUSE_NOTIFY_INVAL_INODE:
		return notify_inval_inode(s, v, arg, size);
	case FUSE_NOTIFY_INVAL_ENTRY:
		return notify_inval_entry(k, s, v, arg, size);
	case FUSE_NOTIFY_STORE:
		return notify_store(k, s, v, arg, size);
	case FUSE_NOTIFY_RETRIEVE:
		return notify_retrieve(k, s, v, arg, size);
	case FUSE_NOTIFY_DELETE:
		return notify_delete(k, s, v, arg, size);
	case FUSE_NOTIFY_RESEND:
		return notify_resend(v);
	case FUSE_NOTIFY_INC_EPOCH:
		return notify_inc_epoch(v);
	case FUSE_NOTIFY_PRUNE:
		return notify_prune(v, arg, size);
	}
	return verdict(v, NR_R_CODE_UNKNOWN);
}

/* fuse_dev_do_write() for unique != 0. */
static int check_reply(const struct nr_kernel *k, const struct nr_state *s, struct nr_verdict *v,
		 const struct fuse_out_header *oh, uint64_t nbytes)
{
	uint64_t unique = oh->unique & ~NR_FUSE_INT_REQ_BIT;
	unsigned req;

	/* Errors a server may report: no kernel-internal ones (-ERESTARTSYS
	   is -512) and no positive values. */
	if (oh->error <= k_error_floor(k) || oh->error > 0)
		return verdict(v, NR_R_REPLY_ERR_RANGE);
	req = s->have_unique ? s->have_unique(s->ctx, unique) : 0;
	if (!(req & NR_REQ_PENDING))
		return verdict(v, NR_R_REPLY_NO_REQ);

	if (oh->unique & NR_FUSE_INT_REQ_BIT) {
		if (nbytes != sizeof(*oh))
			return verdict(v, NR_R_INTR_LEN);
		if (oh->error == -EAGAIN && !(req & NR_REQ_INTERRUPTED))
			return verdict(v, NR_R_INTR_NOT_INTERRUPTED);
		return verdict(v, NR_R_INTR_OK);
	}

	/* From here on the request is consumed whatever the verdict. */
	v->effects |= NR_EFF_REQUEST_ENDED;
	if (oh->error != 0) {
		if (nbytes != sizeof(*oh))
			return verdict(v, NR_R_REPLY_ERR_PAYLOAD);
		return verdict(v, NR_R_REPLY_OK);
	}
	if (s->reply_size && s->reply_size(s->ctx, unique, nbytes - sizeof(*oh)) != 0)
		return verdict(v, NR_R_REPLY_SIZE);
	return verdict(v, NR_R_REPLY_OK);
}

int nr_predict_ex(const struct nr_kernel *k, const struct nr_state *s, const void *msg, size_t len,
		  struct nr_verdict *v)
{
	const uint8_t *p = msg;
	struct fuse_out_header oh;

	memset(v, 0, sizeof(*v));
	/* fuse_dev_write() */
	if (s->unattached)
		return verdict(v, NR_R_UNATTACHED);
	/* fuse_dev_do_write() */
	if (len < sizeof(oh))
		return verdict(v, NR_R_HDR_SHORT);
	memcpy(&oh, p, sizeof(oh));
	v->unique = oh.unique;
	v->code = oh.error;
	if ((uint64_t)oh.len != (uint64_t)len)
		return verdict(v, NR_R_HDR_LEN);

	/* Zero unique: a notification, its code in oh.error. */
	if (oh.unique == 0) {
		if (k->notify_needs_init && s->before_init)
			return verdict(v, NR_R_NOTIFY_BEFORE_INIT);
		return notify(k, s, v, oh.error, p + sizeof(oh), (uint64_t)len - sizeof(oh));
	}
	return check_reply(k, s, v, &oh, len);
}

int nr_predict(const struct nr_kernel *k, const struct nr_state *s, const void *msg, size_t len)
{
	struct nr_verdict v;

	return nr_predict_ex(k, s, msg, len, &v);
}

const char *nr_explain(const struct nr_kernel *k, const struct nr_state *s, const void *msg,
		       size_t len)
{
	struct nr_verdict v;

	nr_predict_ex(k, s, msg, len, &v);
	return nr_rules[v.rule].text;
}

const char *nr_errno_name(int err)
{
	switch (err) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case ENOTDIR: return "ENOTDIR";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EBUSY: return "EBUSY";
	case ENOTEMPTY: return "ENOTEMPTY";
	case ENOMEM: return "ENOMEM";
	case EIO: return "EIO";
	}
	return "E?";
}

int nr_describe(const struct nr_verdict *v, char *out, size_t cap)
{
	const struct nr_rule *r = nr_rule_get(v->rule);

	return snprintf(out, cap, "%s -> %s [%s]", r->text, nr_errno_name(v->err), r->cite);
}
