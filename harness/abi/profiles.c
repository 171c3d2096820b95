// SPDX-License-Identifier: GPL-2.0-only
/*
 * profiles.c - the remote-fsnotify profiles, the rule table and the mainline
 * collision table.  Data only; see profiles.h for what each field means and
 * docs/fsn-1.md for the reasons behind the fsn-1 row.
 */
#include "profiles.h"

#include <errno.h>
#include <string.h>

#include "fsn_codec.h"
#include "wire.h"

/* The inotify events a server may report; IN_ISDIR qualifies them. */
#define EVENT_BITS (IN_ALL_EVENTS | IN_ISDIR)

static const struct fsn_profile profiles[] = {
	{
		/*
		 * As posted: "[RFC PATCH 0/7] Inotify support in FUSE and
		 * virtiofs", 25 Oct 2021.  Numbers from patch 1/7; request from
		 * patch 4/7 (fuse_fsnotify_send_request); receive side from patch
		 * 7/7 (generate_fsnotify_event in virtio_fs.c).
		 */
		.name = "rfc-2021",
		.origin = "RFC PATCH 1/7..7/7, linux-fsdevel 2021-10-25 (as posted)",
		.fsnotify_opcode = 51, /* == FUSE_TMPFILE since 7.37 */
		.notify_code = 8,      /* == FUSE_NOTIFY_INC_EPOCH since 7.44 */
		.init_word = FSN_INIT_FLAGS,
		.init_bit = 1u << 30, /* FUSE_HAVE_FSNOTIFY == FUSE_INIT_EXT */
		.minor = 36,          /* mainline 7.36 is INIT_EXT/flags2/SECURITY_CTX */
		.needs_minor = 36,
		.wire = FSN_WIRE_RFC2021,
		.request_wire = FSN_REQUEST_WIRE_RFC2021,
		.request_size = 24, /* fuse_notify_fsnotify_in */
		.notify_fixed_size = 24, /* fuse_notify_fsnotify_out */
		.rename_fixed_size = 0,
		.overflow_fixed_size = 0,
		.identity = FSN_IDENTITY_NODEID_ONLY,
		.generation_bits = 0,
		.rename = FSN_RENAME_COOKIE_PAIR,
		.has_overflow = false,
		.request = FSN_REQUEST_RAW_USER_MASK_WITH_GROUP_POINTER,
		/*
		 * The posted receive side checks nothing: it copies the u64 mask
		 * into a u32 (truncation), builds a qstr of namelen bytes with no
		 * bound, and inotify then strcpy()s it (needs a NUL it never
		 * checked).  Everything else is recorded as a defect.
		 */
		.rules = FSN_RULE_TRUNCATE_MASK_32,
		/* ret = -1 mapped to -EINVAL; virtio discards it anyway */
		.err_unknown_nodeid = EINVAL,
		.err_stale_generation = 0, /* no generation: a reused nodeid is believed */
		.allowed_mask = EVENT_BITS, /* not enforced: the yardstick for MASK_UNCHECKED */
		.request_allowed_mask = IN_ALL_EVENTS,
		.local_suppressed_mask = 0xffffffffu, /* as posted: every local event, access too */
		.behaviour = FSN_BEHAV_SUPPRESSES_LOCAL_EVENTS | FSN_BEHAV_LEAKS_LOCK_ON_UNKNOWN_NODEID |
			     FSN_BEHAV_LEAKS_INODE_REF | FSN_BEHAV_NOTIFY_ERRNO_DISCARDED,
		.decode_request = fsn_decode_request,
	},
	{
		/*
		 * The review's counter-proposal (Dec 2021 thread: "send
		 * nodeid+generation", "cram 32bit gen", reserve room for a child),
		 * a struct only.  It kept every RFC number.  Validation is this
		 * project's reading: what a kernel would do with that struct,
		 * following the mainline INVAL_ENTRY/DELETE handlers (bounded
		 * namelen, exact size, trailing NUL) plus a NUL check and zeroed
		 * reserved fields.  A zero nodeid is left to the lookup (ENOENT), as
		 * mainline INVAL_INODE does; no allowed-mask set was ever proposed.
		 */
		.name = "gen-2021",
		.origin = "review counter-proposal, linux-fsdevel 2021-12 "
			  "(never posted; rules: this project's reading)",
		.fsnotify_opcode = 51,
		.notify_code = 8,
		.init_word = FSN_INIT_FLAGS,
		.init_bit = 1u << 30,
		.minor = 36,
		.needs_minor = 36,
		.wire = FSN_WIRE_GEN2021,
		.request_wire = FSN_REQUEST_WIRE_RFC2021, /* only the notification changed */
		.request_size = 24,
		.notify_fixed_size = 48,
		.rename_fixed_size = 0,
		.overflow_fixed_size = 0,
		.identity = FSN_IDENTITY_NODEID_GEN,
		.generation_bits = 32,
		.rename = FSN_RENAME_COOKIE_PAIR,
		.has_overflow = false,
		.request = FSN_REQUEST_RAW_USER_MASK_WITH_GROUP_POINTER,
		.rules = FSN_RULE_NAMELEN_BOUND_BY_MSG | FSN_RULE_NAMELEN_BOUND_NAME_MAX |
			 FSN_RULE_REQUIRE_NUL | FSN_RULE_RESERVED_ZERO | FSN_RULE_REJECT_MASK_ABOVE_32 |
			 FSN_RULE_EXACT_LENGTH,
		.err_unknown_nodeid = ENOENT, /* as mainline INVAL_INODE/INVAL_ENTRY */
		.err_stale_generation = ESTALE, /* compares the low 32 bits only */
		.allowed_mask = EVENT_BITS,
		.request_allowed_mask = IN_ALL_EVENTS,
		/* Built on the RFC; only the struct was discussed. */
		.local_suppressed_mask = 0xffffffffu,
		.behaviour = FSN_BEHAV_SUPPRESSES_LOCAL_EVENTS,
		.decode_request = fsn_decode_request,
	},
	{
		/*
		 * This project's proposal (docs/fsn-1.md).  Numbers far from both
		 * growing ends of mainline: opcode and notify code 0x800, halfway
		 * between FUSE's 1..53 and CUSE_INIT 4096; flags2 bit 29, the
		 * highest bit below the two that mainline's `flags` word shows it
		 * keeps for itself (bit 30 announced flags2, bit 31 is reserved).
		 */
		.name = "fsn-1",
		.origin = "this project, docs/fsn-1.md",
		.fsnotify_opcode = 2048,
		.notify_code = 2048,
		.init_word = FSN_INIT_FLAGS2,
		.init_bit = 1u << 29, /* FUSE bit 61 */
		.minor = 0,           /* a minor is mainline's to allocate */
		.needs_minor = 36,    /* flags2 exists from 7.36 */
		.wire = FSN_WIRE_FSN1,
		.request_wire = FSN_REQUEST_WIRE_FSN1,
		.request_size = 16,
		.notify_fixed_size = 56,
		.rename_fixed_size = 72,
		.overflow_fixed_size = 16,
		.identity = FSN_IDENTITY_NODEID_GEN,
		.generation_bits = 64, /* fuse_entry_out.generation is u64 */
		.rename = FSN_RENAME_ONE_RECORD,
		.has_overflow = true,
		.request = FSN_REQUEST_AGGREGATED_MASK,
		.rules = FSN_RULE_NAMELEN_BOUND_BY_MSG | FSN_RULE_NAMELEN_BOUND_NAME_MAX |
			 FSN_RULE_REQUIRE_NUL | FSN_RULE_RESERVED_ZERO | FSN_RULE_REJECT_ZERO_NODEID |
			 FSN_RULE_REJECT_MASK_ABOVE_32 | FSN_RULE_ALLOWED_MASK | FSN_RULE_EXACT_LENGTH |
			 FSN_RULE_RECORD_SHAPE,
		.err_unknown_nodeid = ENOENT,   /* the client forgot it: stop sending */
		.err_stale_generation = ESTALE, /* as a file handle with a stale generation */
		/* Only the change class travels: each bit has exactly one source. */
		.allowed_mask = FSN_CHANGE_MASK | IN_ISDIR,
		/* Events, "and the children" (Amir, 16 Dec 2021), FAN_RENAME. */
		.request_allowed_mask = IN_ALL_EVENTS | FSN_FS_EVENT_ON_CHILD | FSN_FS_RENAME,
		/*
		 * Changes are the server's to report (it sees this client's changes as
		 * requests too); accesses stay local (page-cache reads and this
		 * client's opens never reach it).  So a change is never reported twice.
		 */
		.local_suppressed_mask = FSN_CHANGE_MASK,
		.behaviour = FSN_BEHAV_SUPPRESSES_LOCAL_EVENTS,
		.decode_request = fsn_decode_request,
	},
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

size_t fsn_profile_count(void)
{
	return ARRAY_SIZE(profiles);
}

const struct fsn_profile *fsn_profile_at(size_t i)
{
	return i < ARRAY_SIZE(profiles) ? &profiles[i] : NULL;
}

const struct fsn_profile *fsn_profile_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(profiles); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

static const struct fsn_rule_info rules[] = {
	{ FSN_RULE_NAMELEN_BOUND_BY_MSG, "NAMELEN_BOUND_BY_MSG", EINVAL, FSN_DEFECT_NAME_UNBOUNDED,
	  "a namelen past the message makes the kernel read past it (RFC: no bound)" },
	{ FSN_RULE_NAMELEN_BOUND_NAME_MAX, "NAMELEN_BOUND_NAME_MAX", ENAMETOOLONG, FSN_DEFECT_NAME_TOO_LONG,
	  "an event name is one dentry name; mainline INVAL_ENTRY/DELETE answer ENAMETOOLONG" },
	{ FSN_RULE_REQUIRE_NUL, "REQUIRE_NUL", EINVAL, FSN_DEFECT_NO_NUL,
	  "inotify strcpy()s the name: it must end at namelen with a NUL" },
	{ FSN_RULE_RESERVED_ZERO, "RESERVED_ZERO", EINVAL, FSN_DEFECT_RESERVED_NONZERO,
	  "reserved fields can only be given a meaning later if they are zero now" },
	{ FSN_RULE_REJECT_ZERO_NODEID, "REJECT_ZERO_NODEID", EINVAL, FSN_DEFECT_ZERO_NODEID,
	  "0 is never a nodeid (FUSE_ROOT_ID is 1; 0 in entry_out means a negative entry)" },
	{ FSN_RULE_REJECT_MASK_ABOVE_32, "REJECT_MASK_ABOVE_32", EINVAL, FSN_DEFECT_MASK_TRUNCATED,
	  "fsnotify masks are 32-bit: silently dropping bits hides a server bug" },
	{ FSN_RULE_ALLOWED_MASK, "ALLOWED_MASK", EINVAL, FSN_DEFECT_MASK_UNCHECKED,
	  "a server must not inject kernel-only bits (IN_Q_OVERFLOW, IN_IGNORED, FS_* internals)" },
	{ FSN_RULE_TRUNCATE_MASK_32, "TRUNCATE_MASK_32", 0, 0,
	  "descriptive: the RFC assigns the u64 mask to a u32 (complement of REJECT_MASK_ABOVE_32)" },
	{ FSN_RULE_EXACT_LENGTH, "EXACT_LENGTH", EINVAL, FSN_DEFECT_TRAILING_BYTES,
	  "mainline notify handlers require size == struct + names; extra bytes are a framing error" },
	{ FSN_RULE_RECORD_SHAPE, "RECORD_SHAPE", EINVAL, FSN_DEFECT_RECORD_SHAPE,
	  "a dirent event needs a name, a self event has none, a child needs a name" },
};

size_t fsn_rule_count(void)
{
	return ARRAY_SIZE(rules);
}

const struct fsn_rule_info *fsn_rule_at(size_t i)
{
	return i < ARRAY_SIZE(rules) ? &rules[i] : NULL;
}

const struct fsn_rule_info *fsn_rule_info(uint32_t rule)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].rule == rule)
			return &rules[i];
	return NULL;
}

static const struct {
	uint32_t bit;
	const char *name;
} defect_names[] = {
	{ FSN_DEFECT_NAME_UNBOUNDED, "NAME_UNBOUNDED" },
	{ FSN_DEFECT_NAME_TOO_LONG, "NAME_TOO_LONG" },
	{ FSN_DEFECT_NO_NUL, "NO_NUL" },
	{ FSN_DEFECT_RESERVED_NONZERO, "RESERVED_NONZERO" },
	{ FSN_DEFECT_ZERO_NODEID, "ZERO_NODEID" },
	{ FSN_DEFECT_MASK_TRUNCATED, "MASK_TRUNCATED" },
	{ FSN_DEFECT_MASK_UNCHECKED, "MASK_UNCHECKED" },
	{ FSN_DEFECT_TRAILING_BYTES, "TRAILING_BYTES" },
	{ FSN_DEFECT_RECORD_SHAPE, "RECORD_SHAPE" },
	{ FSN_DEFECT_GROUP_POINTER, "GROUP_POINTER" },
	{ FSN_DEFECT_RAW_USER_MASK, "RAW_USER_MASK" },
};

const char *fsn_defect_name(uint32_t defect_bit)
{
	for (size_t i = 0; i < ARRAY_SIZE(defect_names); i++)
		if (defect_names[i].bit == defect_bit)
			return defect_names[i].name;
	return "?";
}

const char *fsn_record_name(enum fsn_record kind)
{
	switch (kind) {
	case FSN_REC_EVENT:
		return "EVENT";
	case FSN_REC_RENAME:
		return "RENAME";
	case FSN_REC_OVERFLOW:
		return "OVERFLOW";
	}
	return "?";
}

/* Spec section 1, "Collisions with mainline". */
static const struct fsn_collision collisions[] = {
	{ FSN_NUM_OPCODE, 51, "FUSE_FSNOTIFY (kernel -> server watch request)", "FUSE_TMPFILE", 37,
	  "an RFC kernel's watch request reaches a 7.37+ server as O_TMPFILE creation" },
	{ FSN_NUM_NOTIFY, 7, "FUSE_NOTIFY_LOCK (virtiofs lock series, an RFC dependency)",
	  "FUSE_NOTIFY_RESEND", 40,
	  "no size check: accepted by 7.40+ and makes the kernel resend every pending request" },
	{ FSN_NUM_NOTIFY, 8, "FUSE_NOTIFY_FSNOTIFY (server -> kernel event)", "FUSE_NOTIFY_INC_EPOCH",
	  44, "no size check: an RFC event written to 7.44+ is accepted and bumps the epoch" },
	{ FSN_NUM_INIT_FLAG, 1u << 30, "FUSE_HAVE_FSNOTIFY", "FUSE_INIT_EXT", 36,
	  "a server setting it turns on flags2 parsing instead of remote fsnotify" },
	{ FSN_NUM_MINOR, 36, "7.36 = FUSE_HAVE_FSNOTIFY + fuse_notify_fsnotify_{in,out}",
	  "7.36 = FUSE_INIT_EXT, flags2, FUSE_SECURITY_CTX", 36,
	  "a minor cannot say which extension a peer means: it must be negotiated by a flag" },
};

size_t fsn_collision_count(void)
{
	return ARRAY_SIZE(collisions);
}

const struct fsn_collision *fsn_collision_at(size_t i)
{
	return i < ARRAY_SIZE(collisions) ? &collisions[i] : NULL;
}

/*
 * Mainline's own reserved opcodes that wire.h does not list: CUSE_INIT, and the
 * byte-swapped INIT sentinels (CUSE_INIT << 8, FUSE_INIT << 24) that
 * include/uapi/linux/fuse.h keeps so an opposite-endian peer is detected.
 */
#define FSN_CUSE_INIT 4096u
#define FSN_CUSE_INIT_BSWAP_RESERVED 1048576u
#define FSN_FUSE_INIT_BSWAP_RESERVED 436207616u

/* flags2 bits 0..10 are mainline's in 7.45 (wire.h). */
#define MAINLINE_FLAGS2                                                                   \
	(FUSE2_SECURITY_CTX | FUSE2_HAS_INODE_DAX | FUSE2_CREATE_SUPP_GROUP |              \
	 FUSE2_HAS_EXPIRE_ONLY | FUSE2_DIRECT_IO_ALLOW_MMAP | FUSE2_PASSTHROUGH |          \
	 FUSE2_NO_EXPORT_SUPPORT | FUSE2_HAS_RESEND | FUSE2_ALLOW_IDMAP | FUSE2_OVER_IO_URING | \
	 FUSE2_REQUEST_TIMEOUT)

bool fsn_mainline_takes(enum fsn_number_kind kind, uint32_t number)
{
	switch (kind) {
	case FSN_NUM_OPCODE:
		return number <= FUSE_OPCODE_MAX_KNOWN || number == FSN_CUSE_INIT ||
		       number == FSN_CUSE_INIT_BSWAP_RESERVED || number == FSN_FUSE_INIT_BSWAP_RESERVED;
	case FSN_NUM_NOTIFY:
		return number <= FUSE_NOTIFY_CODE_MAX_KNOWN;
	case FSN_NUM_INIT_FLAG:
		/* bits 0..29 are features, 30 is INIT_EXT, 31 FUSE_INIT_RESERVED */
		return number != 0;
	case FSN_NUM_INIT_FLAG2:
		return (number & MAINLINE_FLAGS2) != 0;
	case FSN_NUM_MINOR:
		return number <= FUSE_KERNEL_MINOR_VERSION;
	}
	return true;
}
