/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * notify_rules.h - an executable model of how the kernel validates a write()
 * on /dev/fuse: fuse_dev_write() -> fuse_dev_do_write() -> fuse_notify() ->
 * fuse_notify_<code>() in fs/fuse/dev.c (fs/fuse/notify.c after 7.0).
 *
 * nr_predict() answers: "if the server wrote these len bytes in one write(),
 * what would the write return?"  0 means accepted (write returns len),
 * otherwise the positive errno.  The model is pure: no I/O, no allocation,
 * it never reads msg past len, and it never changes the oracle's state.
 *
 * Every check is one row of the rules table (enum nr_rule_id below, texts,
 * errnos and source citations in notify_rules.c) and one line in the
 * per-code function that applies it, in the kernel's order.  When the live
 * kernel disagrees, correct the errno in the table row, or move the line.
 * docs/notify-validation.md is the same table for humans.
 *
 * What the kernel has cached is not the model's business: struct nr_state
 * is a callback oracle (the server harness knows its tree, the fuzzer
 * supplies a small fake).  What the kernel *did* on the way (unhash a
 * dentry, queue a NOTIFY_REPLY, ...) is reported in nr_verdict.effects so
 * the oracle's owner can keep its picture in sync; some effects happen
 * even when the write fails (DELETE with a wrong child invalidates first).
 */
#ifndef FSNC_NOTIFY_RULES_H
#define FSNC_NOTIFY_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* fs/fuse/fuse_i.h: FUSE_NAME_LOW_MAX, FUSE_NAME_MAX (PATH_MAX - 1) since 6.14. */
#define NR_FUSE_NAME_LOW_MAX 1024u
#define NR_FUSE_NAME_MAX 4095u
/* include/linux/fs.h on 64-bit: the offset bound of the STORE/RETRIEVE fix. */
#define NR_MAX_LFS_FILESIZE 0x7fffffffffffffffULL
/* fs/fuse/dev.c: odd uniques are replies to FUSE_INTERRUPT. */
#define NR_FUSE_INT_REQ_BIT 1ULL
/* fs/fuse/inode.c: fuse_max_pages_limit module parameter default. */
#define NR_FUSE_DEFAULT_MAX_PAGES_LIMIT 256u

/*
 * The kernel being modelled.  Fill it with nr_kernel_preset(); a zeroed
 * field falls back to the value noted next to it.
 */
struct nr_kernel {
	const char *name;      /* for reports, e.g. "6.18.44 (observed)" */
	uint32_t minor;        /* FUSE_KERNEL_MINOR_VERSION it speaks; decides which
				  notify codes exist (RESEND 40, INC_EPOCH 44,
				  PRUNE 45).  0 -> 45 */
	uint32_t name_max;     /* fc->name_max in force: 1024 before INIT and on
				  old kernels; see nr_name_max_from_init().
				  0 -> 1024 */
	bool long_names;       /* INIT with FUSE_MAX_PAGES and max_pages > 1
				  raises name_max to 4095 (6.14+) */
	uint32_t max_pages_limit; /* fc->max_pages_limit; 0 -> 256 */
	int32_t reply_error_floor; /* replies need floor < error <= 0: -512 since
				      5.14 and its stable trees, -1000 before.
				      0 -> -512 */
	bool pagecache_regular_only; /* STORE/RETRIEVE on a non-regular inode ->
					EINVAL (9c954499d43a, 2026; in 6.18.44) */
	bool pagecache_offset_limit; /* STORE/RETRIEVE offset >= MAX_LFS_FILESIZE
					-> EINVAL (65161470f95b, 2026; NOT in
					6.18.44) */
	bool notify_needs_init;      /* notifications before the INIT reply ->
					EINVAL (seen only in a post-7.0 tree;
					NOT in 6.18.44) */
	uint32_t codes;        /* bit c set: notify code c exists (a feature probe
				  settled it; a backport may add a code without
				  the minor).  0 -> the codes of `minor` */
};

enum nr_preset {
	NR_PRESET_6_1,      /* mainline 6.1 as Debian bookworm ships it (7.38) */
	NR_PRESET_6_18,     /* 6.18 as released (7.45) */
	NR_PRESET_6_18_44,  /* 6.18.44, the build VMs: observed live */
	NR_PRESET_NEXT,     /* fs/fuse/notify.c after 7.0 with both 2026 fixes */
	NR_PRESET_6_1_192,  /* Debian's 6.1.192-2: observed in the VM (kdiff), with the
			       non-regular STORE/RETRIEVE fix backported */
	NR_PRESET_6_12_118, /* Debian's 6.12.118: observed in the VM (kdiff's probes) */
	NR_PRESET__COUNT
};
void nr_kernel_preset(struct nr_kernel *k, enum nr_preset p);

/*
 * fc->name_max after the server's INIT reply (fs/fuse/inode.c,
 * process_init_reply, 6.14+): 4095 when the reply is accepted (major 7),
 * has minor >= 6 (flags are read), sets FUSE_MAX_PAGES, and
 * min(max_pages_limit, max(out->max_pages, 1)) > 1; otherwise 1024.
 * flags2 counts only with FUSE_INIT_EXT, as in the kernel.
 */
uint32_t nr_name_max_from_init(const struct nr_kernel *k, const struct fuse_init_out *out);

/* have_entry() answers, as d_lookup() in fuse_reverse_inval_entry() would. */
enum nr_entry {
	NR_ENTRY_NONE = 0,     /* parent has no dentry, or name not in the dcache */
	NR_ENTRY_POSITIVE = 1, /* cached, *child_nodeid set */
	NR_ENTRY_NEGATIVE = 2, /* cached negative dentry (LOOKUP nodeid 0, ttl > 0) */
};

/* have_unique() answers: bits. */
#define NR_REQ_PENDING 1u     /* in the processing queue (read, not answered) */
#define NR_REQ_INTERRUPTED 2u /* the kernel sent FUSE_INTERRUPT for it */

/*
 * The oracle: what the kernel has cached right now.  Only have_nodeid is
 * required; a NULL optional callback gives the answer noted.
 */
struct nr_state {
	void *ctx;
	/* fuse_ilookup(): is an inode with this nodeid cached?  (Root is.) */
	int (*have_nodeid)(void *ctx, uint64_t nodeid);
	/* S_IFMT bits of a cached inode; 0 = unknown, type rules then pass.
	   NULL: unknown. */
	uint32_t (*node_type)(void *ctx, uint64_t nodeid);
	/* enum nr_entry for (parent, name[0..namelen)); name is NOT
	   NUL-terminated and may hold any byte.  NULL: NR_ENTRY_NONE. */
	int (*have_entry)(void *ctx, uint64_t parent, const char *name, size_t namelen,
			  uint64_t *child_nodeid);
	/* DELETE of a positive entry with a matching child: 0, EBUSY (a
	   mountpoint) or ENOTEMPTY (a directory whose child dentry is in use;
	   unused children are pruned first).  NULL: 0. */
	int (*delete_busy)(void *ctx, uint64_t child_nodeid);
	/* NR_REQ_* bits for a reply's unique (FUSE_INT_REQ_BIT already
	   cleared).  NULL: nothing pending. */
	unsigned (*have_unique)(void *ctx, uint64_t unique);
	/* Success reply: does the payload fit the request's out args
	   (copy_out_args)?  0 or EINVAL.  NULL: 0. */
	int (*reply_size)(void *ctx, uint64_t unique, size_t payload_len);
	bool unattached;  /* fd opened but never passed to mount: EPERM */
	bool before_init; /* INIT not answered yet (matters with notify_needs_init) */
};

/* Every rule: one row in nr_rules[] (notify_rules.c) and the doc table. */
enum nr_rule_id {
	NR_R_ACCEPTED = 0, /* never reported; placeholder */
	/* fuse_dev_write / fuse_dev_do_write */
	NR_R_UNATTACHED,
	NR_R_HDR_SHORT,
	NR_R_HDR_LEN,
	NR_R_NOTIFY_BEFORE_INIT,
	NR_R_CODE_UNKNOWN,
	/* replies (unique != 0) */
	NR_R_REPLY_ERR_RANGE,
	NR_R_REPLY_NO_REQ,
	NR_R_INTR_LEN,
	NR_R_INTR_NOT_INTERRUPTED,
	NR_R_INTR_OK,
	NR_R_REPLY_ERR_PAYLOAD,
	NR_R_REPLY_SIZE,
	NR_R_REPLY_OK,
	/* POLL */
	NR_R_POLL_SIZE,
	NR_R_POLL_OK,
	/* INVAL_INODE */
	NR_R_INVAL_INODE_SIZE,
	NR_R_INVAL_INODE_NOENT,
	NR_R_INVAL_INODE_OK,
	/* INVAL_ENTRY */
	NR_R_INVAL_ENTRY_SHORT,
	NR_R_INVAL_ENTRY_NAMELEN,
	NR_R_INVAL_ENTRY_SIZE,
	NR_R_INVAL_ENTRY_PARENT_NOENT,
	NR_R_INVAL_ENTRY_PARENT_NOTDIR,
	NR_R_INVAL_ENTRY_NAME_NOENT,
	NR_R_INVAL_ENTRY_OK,
	/* STORE */
	NR_R_STORE_SHORT,
	NR_R_STORE_SIZE,
	NR_R_STORE_OFFSET,
	NR_R_STORE_NOENT,
	NR_R_STORE_NOTREG,
	NR_R_STORE_OK,
	/* RETRIEVE */
	NR_R_RETRIEVE_SIZE,
	NR_R_RETRIEVE_OFFSET,
	NR_R_RETRIEVE_NOENT,
	NR_R_RETRIEVE_NOTREG,
	NR_R_RETRIEVE_OK,
	/* DELETE */
	NR_R_DELETE_SHORT,
	NR_R_DELETE_NAMELEN,
	NR_R_DELETE_SIZE,
	NR_R_DELETE_PARENT_NOENT,
	NR_R_DELETE_PARENT_NOTDIR,
	NR_R_DELETE_NAME_NOENT,
	NR_R_DELETE_CHILD_MISMATCH,
	NR_R_DELETE_MOUNTPOINT,
	NR_R_DELETE_NOTEMPTY,
	NR_R_DELETE_NO_CHILD_OK,
	NR_R_DELETE_OK,
	/* RESEND, INC_EPOCH, PRUNE */
	NR_R_RESEND_OK,
	NR_R_INC_EPOCH_OK,
	NR_R_PRUNE_SHORT,
	NR_R_PRUNE_COUNT,
	NR_R_PRUNE_OK,
	NR_R__COUNT
};

struct nr_rule {
	int err;          /* errno this rule yields; 0 = accepted */
	const char *text; /* "INVAL_ENTRY: size != sizeof(outarg) + namelen + 1" */
	const char *cite; /* "fs/fuse/dev.c, fuse_notify_inval_entry, 6.1-6.18" */
};
const struct nr_rule *nr_rule_get(enum nr_rule_id id);

/* What the kernel did besides returning (bits of nr_verdict.effects). */
#define NR_EFF_DIR_CHANGED 0x001u      /* parent attrs invalidated (fuse_dir_changed) */
#define NR_EFF_DENTRY_UNHASHED 0x002u  /* d_invalidate: the entry and its subtree are
					  gone from the dcache; unused inodes get
					  evicted (FORGET follows) */
#define NR_EFF_DENTRY_EXPIRED 0x004u   /* FUSE_EXPIRE_ONLY: entry stays, ttl expired */
#define NR_EFF_DENTRY_DELETED 0x008u   /* DELETE: d_delete + clear_nlink on the child */
#define NR_EFF_INODE_INVALIDATED 0x010u
#define NR_EFF_PAGECACHE_WRITTEN 0x020u
#define NR_EFF_NOTIFY_REPLY 0x040u     /* a FUSE_NOTIFY_REPLY request follows, with
					  unique = notify_unique (even 0) */
#define NR_EFF_RESEND 0x080u
#define NR_EFF_EPOCH_BUMPED 0x100u
#define NR_EFF_PRUNE 0x200u            /* unused inodes among the ids dropped */
#define NR_EFF_REQUEST_ENDED 0x400u    /* the reply consumed the request (on error it
					  ends with -EIO) */
#define NR_EFF_POLL_WAKEUP 0x800u

struct nr_verdict {
	int err;              /* 0 or positive errno, as nr_predict() returns */
	enum nr_rule_id rule; /* the rule that decided */
	unsigned effects;     /* NR_EFF_* */
	uint64_t unique;      /* oh.unique as written */
	int32_t code;         /* oh.error as written (the notify code if unique 0) */
};

int nr_predict(const struct nr_kernel *k, const struct nr_state *s, const void *msg, size_t len);
/* Same, filling *v (which must not be NULL). */
int nr_predict_ex(const struct nr_kernel *k, const struct nr_state *s, const void *msg, size_t len,
		  struct nr_verdict *v);
/* The text of the rule that decides this write, for reports. */
const char *nr_explain(const struct nr_kernel *k, const struct nr_state *s, const void *msg,
		       size_t len);
/* "RULE TEXT -> EINVAL [cite]" into out; returns snprintf's count. */
int nr_describe(const struct nr_verdict *v, char *out, size_t cap);
/* "EINVAL", "ENOENT", ... for the errnos this model yields; "0" for 0. */
const char *nr_errno_name(int err);
/* First FUSE minor whose kernel knows this notify code; 0 if none. */
uint32_t nr_code_since_minor(int32_t code);
/* Whether notify code `code` exists on kernel k (k->codes, else k->minor). */
bool nr_code_known(const struct nr_kernel *k, int32_t code);

#endif
