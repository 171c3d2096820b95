/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * profiles.h - the remote-fsnotify protocol profiles, as data.
 *
 * The "remote fsnotify over FUSE" extension was never merged (spec section 1),
 * and its posted numbers collide with mainline FUSE 7.45.  So no number of the
 * extension is a constant anywhere in the suite: every opcode, notify code,
 * INIT bit, size and validation rule is a field of a `struct fsn_profile` row
 * in profiles.c, and code walks the table.  A case never names a profile; the
 * runner runs it under each row that applies.
 *
 * Three rows:
 *   rfc-2021  what was posted (linux-fsdevel, 25 Oct 2021), defects included:
 *             the reference model follows these rules so the cases can record
 *             the defects as expected-fail.
 *   gen-2021  the review's counter-proposal struct (nodeid + 32-bit generation),
 *             never posted as a patch; its validation rules are THIS PROJECT'S
 *             READING of what a kernel would do with that struct.
 *   fsn-1     this project's proposal; specified in docs/fsn-1.md.
 *
 * The wire layouts themselves (offsets) live in fsn_codec.c; the sizes here are
 * cross-checked against it by tests/unit/test_profiles.c.
 */
#ifndef FSNC_PROFILES_H
#define FSNC_PROFILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/inotify.h> /* IN_* event bits: the values fsnotify uses too */

/* A name in an event is one path component (a dentry name). */
#define FSN_NAME_MAX 255

/*
 * fsnotify-internal bits (include/linux/fsnotify_backend.h) that a kernel->server
 * request may carry; userspace headers do not define them.
 */
#define FSN_FS_EVENT_ON_CHILD 0x08000000u /* watch the children, not only the dir */
#define FSN_FS_RENAME 0x10000000u         /* fanotify FAN_RENAME (since 5.17) */

/* Which INIT word carries the profile's capability bit. */
enum fsn_init_word {
	FSN_INIT_FLAGS = 1, /* fuse_init_in/out.flags  (bits 0..31)  */
	FSN_INIT_FLAGS2,    /* fuse_init_in/out.flags2 (bits 32..63) */
};

/* How an object is named in a notification. */
enum fsn_identity {
	FSN_IDENTITY_NODEID_ONLY = 1, /* reused after FORGET: review objection #1 */
	FSN_IDENTITY_NODEID_GEN,      /* nodeid:generation, unique for the fs's lifetime */
};

/* How a rename reaches the kernel. */
enum fsn_rename_encoding {
	FSN_RENAME_COOKIE_PAIR = 1, /* MOVED_FROM + MOVED_TO joined by cookie (inotify) */
	FSN_RENAME_ONE_RECORD,      /* one record: both parents, both names, the child */
};

/* What the kernel->server FSNOTIFY request means. */
enum fsn_request_semantics {
	/* the caller's raw inotify mask, one request per group, the group's kernel address */
	FSN_REQUEST_RAW_USER_MASK_WITH_GROUP_POINTER = 1,
	/* the inode's resulting mask over all marks; idempotent "set" */
	FSN_REQUEST_AGGREGATED_MASK,
};

/* Notification wire layout: selects the decoder/encoder in fsn_codec.c. */
enum fsn_wire {
	FSN_WIRE_RFC2021 = 1,
	FSN_WIRE_GEN2021,
	FSN_WIRE_FSN1,
};

/* Request wire layout.  gen-2021 only changed the notification. */
enum fsn_request_wire {
	FSN_REQUEST_WIRE_RFC2021 = 1,
	FSN_REQUEST_WIRE_FSN1,
};

/* Record kinds of a decoded notification (fsn-1 carries them as `type`). */
enum fsn_record {
	FSN_REC_EVENT = 1,
	FSN_REC_RENAME = 2,
	FSN_REC_OVERFLOW = 3,
};

/*
 * Validation rules a profile's receive side applies to a notification.  When a
 * rule is enforced, breaking it rejects the write with the rule's errno; when it
 * is not, the decoder accepts and records the matching FSN_DEFECT_* bit (the
 * table in profiles.c maps one to the other).  Checks run in the order listed
 * in docs/fsn-1.md "Validation"; the first enforced failure wins.
 */
#define FSN_RULE_NAMELEN_BOUND_BY_MSG (1u << 0)   /* name must lie inside the message */
#define FSN_RULE_NAMELEN_BOUND_NAME_MAX (1u << 1) /* namelen <= FSN_NAME_MAX */
#define FSN_RULE_REQUIRE_NUL (1u << 2)            /* name[namelen] == 0, none inside */
#define FSN_RULE_RESERVED_ZERO (1u << 3)          /* reserved/padding/flags are zero */
#define FSN_RULE_REJECT_ZERO_NODEID (1u << 4)     /* 0 is never a FUSE nodeid */
#define FSN_RULE_REJECT_MASK_ABOVE_32 (1u << 5)   /* u64 mask with bits 32..63 */
#define FSN_RULE_ALLOWED_MASK (1u << 6)           /* only allowed_mask bits */
#define FSN_RULE_TRUNCATE_MASK_32 (1u << 7)       /* describes: bits 32..63 dropped */
#define FSN_RULE_EXACT_LENGTH (1u << 8)           /* no bytes after the last name */
#define FSN_RULE_RECORD_SHAPE (1u << 9)           /* mask, names, child agree */

/*
 * Defects: what a decoded notification or request shows that a correct kernel
 * would have refused or never sent.  Set in fsn_notify.defects /
 * fsn_request.defects; a case expecting one records an expected-fail.
 */
#define FSN_DEFECT_NAME_UNBOUNDED (1u << 0)   /* namelen runs past the message */
#define FSN_DEFECT_NAME_TOO_LONG (1u << 1)    /* namelen > NAME_MAX */
#define FSN_DEFECT_NO_NUL (1u << 2)           /* name not NUL-terminated at namelen */
#define FSN_DEFECT_RESERVED_NONZERO (1u << 3) /* reserved field ignored, not zero */
#define FSN_DEFECT_ZERO_NODEID (1u << 4)      /* nodeid 0 left to the inode lookup */
#define FSN_DEFECT_MASK_TRUNCATED (1u << 5)   /* bits 32..63 silently dropped */
#define FSN_DEFECT_MASK_UNCHECKED (1u << 6)   /* bits outside allowed_mask passed on */
#define FSN_DEFECT_TRAILING_BYTES (1u << 7)   /* bytes after the message ignored */
#define FSN_DEFECT_RECORD_SHAPE (1u << 8)     /* e.g. IN_CREATE with no name */
#define FSN_DEFECT_GROUP_POINTER (1u << 9)    /* request: kernel address leaked */
#define FSN_DEFECT_RAW_USER_MASK (1u << 10)   /* request: inotify's private flags */

/*
 * Behaviour of a profile's kernel side that one message cannot show (read from
 * the posted patches; see docs/fsn-1.md "What the posted code does").
 */
#define FSN_BEHAV_SUPPRESSES_LOCAL_EVENTS (1u << 0)     /* local events on FUSE inodes off */
#define FSN_BEHAV_LEAKS_LOCK_ON_UNKNOWN_NODEID (1u << 1) /* killsb read lock not released */
#define FSN_BEHAV_LEAKS_INODE_REF (1u << 2)             /* fuse_ilookup() without iput() */
#define FSN_BEHAV_NOTIFY_ERRNO_DISCARDED (1u << 3)      /* the server never sees a verdict */

struct fsn_request;

struct fsn_profile {
	const char *name;   /* "rfc-2021", "gen-2021", "fsn-1" */
	const char *origin; /* where the numbers come from */

	/* Numbers.  init_bit is the bit's value inside init_word. */
	uint32_t fsnotify_opcode; /* kernel -> server request */
	int32_t notify_code;      /* server -> kernel, in fuse_out_header.error */
	enum fsn_init_word init_word;
	uint32_t init_bit;
	uint32_t minor;       /* the minor the profile claims; 0 = claims none */
	uint32_t needs_minor; /* lowest negotiated minor at which init_word exists */

	/* Layouts (offsets in fsn_codec.c).  0 = record kind not expressible. */
	enum fsn_wire wire;
	enum fsn_request_wire request_wire;
	size_t request_size;        /* payload after fuse_in_header */
	size_t notify_fixed_size;   /* EVENT fixed part, names follow */
	size_t rename_fixed_size;   /* RENAME fixed part (ONE_RECORD only) */
	size_t overflow_fixed_size; /* OVERFLOW record (has_overflow only) */

	/* Semantics. */
	enum fsn_identity identity;
	unsigned generation_bits; /* 0, 32 or 64 bits of generation on the wire */
	enum fsn_rename_encoding rename;
	bool has_overflow;
	enum fsn_request_semantics request;

	/* Receive-side validation of notifications. */
	uint32_t rules;                /* FSN_RULE_* */
	int err_unknown_nodeid;        /* the lookup finds no inode for the nodeid */
	int err_stale_generation;      /* cached with another generation; 0 = cannot tell */
	uint32_t allowed_mask;         /* EVENT mask bits a correct kernel accepts */
	uint32_t request_allowed_mask; /* bits a correct request carries */
	uint32_t behaviour;            /* FSN_BEHAV_* */
	/*
	 * Local event bits the kernel suppresses on FUSE inodes once the
	 * extension is on (0 = none).  "A change is never reported twice": a bit
	 * is either local or remote, never both.
	 */
	uint32_t local_suppressed_mask;

	/*
	 * Its FSNOTIFY request's decoder (fsn_decode_request(), fsn_codec.h):
	 * the server reaches the codec through the profile, so a reproducer of
	 * a mainline case, which serves no profile, carries no codec.
	 */
	int (*decode_request)(const struct fsn_profile *p, uint64_t nodeid, const void *buf,
			      size_t len, struct fsn_request *out);
};

/*
 * The change class: what a server sees as requests from every client, this
 * one included.  fsn-1 carries exactly these remotely and suppresses them
 * locally; the access class (IN_ACCESS, IN_OPEN, IN_CLOSE_*) stays local.
 */
#define FSN_CHANGE_MASK 0x00000fc6u /* MODIFY ATTRIB MOVED_FROM MOVED_TO CREATE DELETE DELETE_SELF MOVE_SELF */

size_t fsn_profile_count(void);
const struct fsn_profile *fsn_profile_at(size_t i); /* NULL past the end */
const struct fsn_profile *fsn_profile_by_name(const char *name); /* NULL if unknown */

/* One row per rule: what enforcing it returns, what skipping it records. */
struct fsn_rule_info {
	uint32_t rule;       /* FSN_RULE_* */
	const char *name;    /* "NAMELEN_BOUND_BY_MSG" */
	int err;             /* errno when enforced; 0 for a descriptive rule */
	uint32_t defect;     /* FSN_DEFECT_* when not enforced; 0 if none */
	const char *why;     /* the kernel behaviour or review objection behind it */
};
size_t fsn_rule_count(void);
const struct fsn_rule_info *fsn_rule_at(size_t i);
const struct fsn_rule_info *fsn_rule_info(uint32_t rule); /* NULL if unknown */

/* Short upper-case names for reports; "?" when unknown. */
const char *fsn_defect_name(uint32_t defect_bit);
const char *fsn_record_name(enum fsn_record kind);

/*
 * Numbers of the posted extension that mainline has since given another
 * meaning (spec section 1, "Collisions with mainline").
 */
enum fsn_number_kind {
	FSN_NUM_OPCODE = 1,
	FSN_NUM_NOTIFY,
	FSN_NUM_INIT_FLAG,  /* a bit value in INIT flags */
	FSN_NUM_INIT_FLAG2, /* a bit value in INIT flags2 */
	FSN_NUM_MINOR,
};

struct fsn_collision {
	enum fsn_number_kind kind;
	uint32_t number;
	const char *rfc_meaning;
	const char *mainline_meaning;
	uint32_t mainline_minor; /* the minor that gave it the mainline meaning */
	const char *hazard;      /* what happens when the RFC's use meets mainline */
};
size_t fsn_collision_count(void);
const struct fsn_collision *fsn_collision_at(size_t i);

/*
 * Whether mainline FUSE 7.45 assigns or reserves `number`: opcodes 0..53,
 * CUSE_INIT and the two byte-swapped INIT sentinels; notify codes 0..9; every
 * bit of INIT flags (bit 30 is INIT_EXT, 31 reserved); flags2 bits 0..10;
 * minors 0..45.  For INIT words `number` is a bit mask: true if any bit is taken.
 */
bool fsn_mainline_takes(enum fsn_number_kind kind, uint32_t number);

#endif
