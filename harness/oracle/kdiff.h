/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kdiff.h - the differential kernel fuzzer's pure half: a seeded generator
 * of /dev/fuse writes, the fixture world they name, and the nr_state
 * oracle over that world.
 *
 * The live half is cases/kdiff.c: it serves the world (kd_objects[]) from a
 * real mount, writes each generated message to /dev/fuse, and compares the
 * kernel's errno with nr_predict_ex() under kd_oracle().  Every
 * disagreement is either a bug in harness/oracle/notify_rules.c or a kernel
 * behaviour worth pinning in docs/notify-validation.md.
 *
 * Reproducibility: message i depends only on (seed, i) and the row's
 * generator config (name_max): kd_generate() seeds a fresh PRNG from the
 * pair, so a failing message is replayed alone with FSNC_KDIFF_SEED=seed
 * FSNC_KDIFF_FIRST=i FSNC_KDIFF_COUNT=1.  That works because the live case
 * brings the kernel's caches back to the canonical state (every looked-up
 * object cached, every pin held) after any write that could change them.
 *
 * The generator aims at the boundaries the validation code has: every
 * notify code 1..9, 0, 10, negative and huge codes, the profiles' codes with
 * payloads from fsn_encode_notify(); sizes exact, +-1, truncated, below the
 * 16-byte header, oh.len != bytes written; nodeids from a small domain
 * (root, pinned and idle cached objects, a tmpfs mountpoint, a served but
 * never looked-up one, 0, 2^64-1...); names present, absent, around name_max, with an embedded
 * NUL, with a wrong or missing trailing byte; DELETE with the right and the
 * wrong child and a directory with a busy child; STORE/RETRIEVE offsets and
 * sizes on regular and non-regular inodes; PRUNE counts across the kernel's
 * 512-id batch; replies with stale uniques and out-of-range errors.
 */
#ifndef FSNC_KDIFF_H
#define FSNC_KDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notify_rules.h"

/* ---- the PRNG: splitmix64, one stream per (seed, index) ---- */

struct kd_rng {
	uint64_t s;
};
void kd_rng_init(struct kd_rng *r, uint64_t seed, uint64_t index);
uint64_t kd_next(struct kd_rng *r);
/* Uniform in [0, n); n 0 gives 0. */
uint32_t kd_below(struct kd_rng *r, uint32_t n);

/* ---- the world the fixture serves ---- */

/*
 * Roles of the objects, by what the validation code can tell apart:
 * pinned objects (an fd held open) survive every prune; idle ones are
 * cached but unused, so PRUNE, INVAL_ENTRY and DELETE evict them; the
 * busy child makes DELETE of its directory ENOTEMPTY.
 */
enum kd_role {
	KD_ROOT,     /* "/" nodeid 1 */
	KD_FILE,     /* "f": regular, pinned, 10 bytes */
	KD_DIR,      /* "d": directory, pinned, holds the busy child */
	KD_BUSY,     /* "d/g": regular, pinned: DELETE of "d" is ENOTEMPTY */
	KD_IDLE,     /* "c": regular, cached, unused */
	KD_IDIR,     /* "e": directory, cached, unused, its child idle too */
	KD_ICHILD,   /* "e/h": regular, cached, unused */
	KD_LINK,     /* "s": symlink, cached, unused: not a dir, not regular */
	KD_LONG,     /* 255 x 'L': the longest name the VFS looks up, pinned */
	KD_MNT,      /* "m": directory with a tmpfs mounted on it */
	KD_UNCACHED, /* "u": served, never looked up: the kernel does not know it */
	KD_NEG,      /* "n": not served; a negative dentry after the fixture's lstat */
	KD__ROLES
};

struct kd_object {
	const char *tag;      /* short role name for reports: "FILE" */
	const char *name;     /* the last path component */
	const char *path;     /* relative to the mountpoint */
	enum kd_role parent;
	uint32_t mode;        /* S_IFMT | permissions; 0: not served (KD_NEG) */
	uint64_t nodeid;      /* fixed, so messages name it without a lookup; 0 for KD_NEG */
	bool pinned;          /* the fixture holds an fd open on it */
	bool looked_up;       /* the fixture lstat()s it, so the kernel caches it */
	bool mountpoint;      /* the fixture mounts a tmpfs on it */
};
const struct kd_object *kd_object(enum kd_role r);
/* The role whose nodeid this is, or KD__ROLES. */
enum kd_role kd_role_of(uint64_t nodeid);

/*
 * The oracle's picture of the kernel's caches.  `cached`: fuse_ilookup()
 * finds the role's inode; `entry`: d_lookup(parent, name) finds its dentry
 * (negative for KD_NEG).  kd_world_canonical() is the state the fixture
 * establishes and restores; the live case clears a flag when it cannot.
 */
struct kd_world {
	bool cached[KD__ROLES];
	bool entry[KD__ROLES];
	bool before_init; /* INIT not answered: only the root inode exists */
};
void kd_world_canonical(struct kd_world *w);
/* Before the INIT reply: the root is cached, nothing else, no dentries. */
void kd_world_before_init(struct kd_world *w);

/*
 * Fill *s with callbacks answering from w (s->ctx = w).  Nothing is pending
 * on the connection, so every reply's unique is unknown.  A directory's
 * DELETE is ENOTEMPTY while a pinned child of it is cached; idle children
 * are pruned first, as shrink_dcache_parent() does.
 */
void kd_oracle(const struct kd_world *w, struct nr_state *s);

/* ---- the generator ---- */

/* What a message is, for the per-bucket summary. */
enum kd_bucket {
	KD_B_UNKNOWN = 0, /* notify with a code this kernel may not know: 0, 10, -1, ... */
	/* 1..9: FUSE_NOTIFY_POLL .. FUSE_NOTIFY_PRUNE */
	KD_B_PROFILE = 10, /* + profile index: a remote-fsnotify notification */
	KD_B_REPLY = 13,   /* unique != 0 */
	KD_B_SHORT = 14,   /* fewer than 16 bytes */
	KD_B__COUNT
};
const char *kd_bucket_name(int bucket);

struct kd_gen_cfg {
	uint32_t name_max; /* the connection's fc->name_max (nr_name_max_from_init) */
};

#define KD_DESC_MAX 192
struct kd_shape {
	int bucket;            /* enum kd_bucket */
	char desc[KD_DESC_MAX]; /* "DELETE parent=ROOT name=f(1) child=DIR size=exact" */
};

/* Big enough for every message kd_generate() builds. */
#define KD_MSG_MAX (16 + 32 + 65536 + 8 * 1100)

/*
 * Build message `index` of stream `seed` into buf (cap >= KD_MSG_MAX).
 * Returns its length: the byte count to write(), which the header's len
 * may deliberately contradict.  Pure: same (cfg, seed, index), same bytes.
 */
size_t kd_generate(const struct kd_gen_cfg *cfg, uint64_t seed, uint64_t index, uint8_t *buf,
		   size_t cap, struct kd_shape *shape);

/*
 * Which dcache-changing effects a write may have had: the live case
 * re-establishes the canonical world after any message for which this is
 * true, judged on both the model's verdict and the kernel's errno.
 */
bool kd_needs_resync(const void *msg, size_t len, const struct nr_verdict *model, int kernel_err);

/* ---- learning the running kernel: feature probes ---- */

/*
 * Where kernels differ in a validation rule (a backported fix, a newer
 * notify code, the name limit, the connection gate, the reply error
 * floor), the model does not guess from the release string: the live
 * driver writes a few probe messages on the row's own connection before
 * the stream, and the kernel's errno settles which variant it has (LTP's
 * way: a feature probe).  A probe is judged by the model itself,
 * nr_predict() with the variant on and off: when the two differ, the
 * kernel's errno picks one (neither: a kernel the model does not know,
 * and the row fails); when they agree, this connection cannot settle that
 * variant (before INIT, without FUSE_MAX_PAGES, behind the gate) and the
 * kernel must simply agree.  The probes' effects (a RESEND, an epoch bump)
 * are the driver's to account for, from the verdict, as for any message.
 */
enum kd_variant {
	KD_V_GATE,         /* notifications before the INIT reply -> EINVAL (post-7.0) */
	KD_V_FLOOR_512,    /* reply errors need -512 < error (49221cf86d18), not -1000 */
	KD_V_RESEND,       /* notify code 7 exists (7.40) */
	KD_V_INC_EPOCH,    /* notify code 8 exists (7.44) */
	KD_V_PRUNE,        /* notify code 9 exists (7.45) */
	KD_V_LONG_NAMES,   /* INIT with max_pages > 1 raises name_max to 4095 (6.14) */
	KD_V_REGULAR_ONLY, /* STORE/RETRIEVE on a non-regular inode -> EINVAL (9c954499d43a) */
	KD_V_OFFSET_LIMIT, /* STORE/RETRIEVE offset >= MAX_LFS_FILESIZE -> EINVAL (65161470f95b) */
	KD_V__COUNT
};

enum kd_settled { KD_UNSETTLED = 0, KD_HAS, KD_LACKS, KD_CONFLICT };

struct kd_learned {
	struct nr_kernel k;            /* the model: settled variants set, the rest default */
	enum kd_settled state[KD_V__COUNT];
};

/* Before the probes: the zeroed defaults, the offered minor's notify codes. */
void kd_kernel_start(struct kd_learned *l, uint32_t offered_minor);
size_t kd_nprobes(void);
/* Probe i's message into buf (cap >= 16 + 16 + 1026); its length, 0 if i is out of range. */
size_t kd_probe_build(size_t i, uint8_t *buf, size_t cap);
/*
 * Judge the kernel's errno for probe i, written on a connection the oracle
 * st describes (init: the INIT reply, NULL before it).  Settles the
 * variant in l when the model's two predictions differ.  *v is the model's
 * verdict under what is now known (its effects are the driver's to track).
 * line: one line for the log.  0, or -1 when the kernel matches neither.
 */
int kd_probe_judge(struct kd_learned *l, size_t i, const struct nr_state *st,
		   const struct fuse_init_out *init, const uint8_t *msg, size_t len, int kerr,
		   struct nr_verdict *v, char *line, size_t cap);
/* One line: how many variants were settled and which presets agree with all of them. */
void kd_learned_name(const struct kd_learned *l, char *out, size_t cap);

/* "00 11 22 ..." of up to max bytes, "... (+N)" when cut; returns out. */
char *kd_hex(const void *msg, size_t len, size_t max, char *out, size_t cap);

#endif
