/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fsn_codec.h - encoders and strict decoders for the remote-fsnotify wire
 * formats of every profile (profiles.h).
 *
 * Pure functions over (buffer, length): no I/O, no mutable globals.  The
 * decoders are what the fuzz targets call.  Their contract:
 *
 *   - they never read outside [buf, buf + len), whatever the fields claim;
 *   - they return 0 (accepted) or a positive errno, the one the profile's
 *     kernel side would return (EINVAL, ENAMETOOLONG);
 *   - a rule the profile does not enforce is not a rejection: the decoder
 *     accepts and sets the matching FSN_DEFECT_* bit in `defects`, so the
 *     reference model can follow the as-posted code, defects included;
 *   - for every accepted x:  fsn_encode_notify(decode(x)) == x, byte for byte.
 *     The decoded form therefore keeps every field, including reserved words
 *     a profile ignores, bytes after the message, and names that run past it.
 *
 * All fields are little-endian host order on the wire, like all of FUSE.
 * docs/fsn-1.md has the layouts side by side and the check order.
 */
#ifndef FSNC_FSN_CODEC_H
#define FSNC_FSN_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "profiles.h"

/* One filesystem object as the wire names it. */
struct fsn_object {
	uint64_t nodeid;
	uint64_t generation;
};

/*
 * A name as carried on the wire.  `name` points into the decoded buffer (or at
 * the caller's bytes when encoding) and is NOT NUL-terminated: read at most
 * fsn_name_present() bytes.  On the wire a name is namelen bytes, followed in
 * gen-2021 and fsn-1 (when namelen > 0) by a terminator byte that must be NUL;
 * rfc-2021 has no terminator slot, and its receive side relies on whatever
 * byte follows the name.
 *   missing       name bytes absent from the message (FSN_DEFECT_NAME_UNBOUNDED)
 *   term          the byte after the name as received (0 if absent)
 *   term_missing  no byte after the name inside the message
 * Zero-initialised, a name is complete and NUL-terminated.
 */
struct fsn_name {
	const char *name;
	uint32_t namelen;
	uint32_t missing;
	uint8_t term;
	bool term_missing;
};

/* Bytes of the name itself that are present (<= namelen). */
uint32_t fsn_name_present(const struct fsn_name *n);

/* Raw reserved/padding words, in wire order, for byte-exact re-encoding. */
#define FSN_RESERVED_MAX 3

/*
 * A notification, profile-neutral.  Which fields a record uses:
 *   EVENT     nodeid/generation (the inode the event is on: the watched object,
 *             or the parent directory when a name is given), mask, cookie
 *             (COOKIE_PAIR profiles), name, child (fsn-1: the named child, or
 *             zero when the server never gave it a nodeid).
 *   RENAME    src_parent + src_name, dst_parent + dst_name, child (the moved
 *             object, zero if never looked up), mask (IN_ISDIR only).
 *   OVERFLOW  lost (events dropped; 0 = unknown).
 */
struct fsn_notify {
	enum fsn_record kind;
	uint64_t nodeid;
	uint64_t generation;
	bool has_generation; /* false for NODEID_ONLY profiles */
	uint64_t mask;       /* as received */
	uint32_t mask32;     /* effective: what fsnotify() gets (decode output only) */
	uint32_t cookie;
	uint32_t flags; /* gen-2021 flags, fsn-1 record flags: no bit defined yet */
	struct fsn_name name;
	struct fsn_object child;
	struct fsn_object src_parent;
	struct fsn_object dst_parent;
	struct fsn_name src_name;
	struct fsn_name dst_name;
	uint64_t lost;
	uint64_t reserved[FSN_RESERVED_MAX];
	const uint8_t *trailing; /* bytes after what the message claims */
	size_t trailinglen;
	uint32_t defects;        /* FSN_DEFECT_* accepted because a rule is not enforced */
	size_t consumed;         /* bytes the message claims (may exceed len if unbounded) */
};

/*
 * Decode one notification payload: `buf` is what follows the 16-byte
 * fuse_out_header.  Returns 0 or a positive errno; *out is meaningful only
 * when 0 is returned.  fsn_decode_notify() dispatches on p->wire.
 */
int fsn_decode_notify(const struct fsn_profile *p, const void *buf, size_t len,
		      struct fsn_notify *out);
int fsn_decode_notify_rfc2021(const struct fsn_profile *p, const void *buf, size_t len,
			      struct fsn_notify *out);
int fsn_decode_notify_gen2021(const struct fsn_profile *p, const void *buf, size_t len,
			      struct fsn_notify *out);
int fsn_decode_notify_fsn1(const struct fsn_profile *p, const void *buf, size_t len,
			   struct fsn_notify *out);

/*
 * Encode a notification payload (no fuse_out_header) into out[0..cap).
 * Returns the bytes written, or 0 when cap is too small, the record kind is not
 * expressible in the profile (rfc-2021/gen-2021: EVENT only), or a value does
 * not fit its field (gen-2021: generation and reserved[0..1] are u32).
 * Encoders do not validate: they write what they are given, so the suite can
 * build malformed messages.  `mask32` is ignored; `mask` goes on the wire.
 */
size_t fsn_encode_notify(const struct fsn_profile *p, const struct fsn_notify *in, void *out,
			 size_t cap);

/* Fixed part of a record kind per the codec's own layouts; 0 = not expressible. */
size_t fsn_codec_fixed_size(const struct fsn_profile *p, enum fsn_record kind);

/*
 * The kernel -> server FSNOTIFY request.  `nodeid` travels in
 * fuse_in_header.nodeid, the rest in the payload.
 *   rfc-2021/gen-2021: mask (the caller's raw inotify mask), group (the
 *                      fsnotify_group's kernel address), action (1 add/modify,
 *                      0 remove).  24 bytes.
 *   fsn-1:             generation + the inode's aggregated mask over all marks
 *                      (0 = no longer watched).  16 bytes.
 */
struct fsn_request {
	uint64_t nodeid;
	uint64_t generation;
	bool has_generation;
	uint64_t mask;
	uint64_t group;
	uint32_t action;
	uint32_t defects; /* FSN_DEFECT_GROUP_POINTER, FSN_DEFECT_RAW_USER_MASK */
};

#define FSN_ACTION_REMOVE 0u
#define FSN_ACTION_ADD 1u

/* Payload only; returns bytes written or 0 when cap is too small. */
size_t fsn_encode_request(const struct fsn_profile *p, const struct fsn_request *in, void *out,
			  size_t cap);

/*
 * Strict: a request the profile's kernel would never send is EPROTO (as in
 * wire.h's fw_req_parse): wrong size, nodeid 0, non-zero padding, mask bits
 * above 32, an unknown action, fsn-1 bits outside request_allowed_mask.
 * What the posted kernel does send but should not is accepted and flagged.
 */
int fsn_decode_request(const struct fsn_profile *p, uint64_t nodeid, const void *buf, size_t len,
		       struct fsn_request *out);

/*
 * The kernel side's verdict for one object of an accepted record, given its
 * inode cache: 0 deliver, ENOENT the nodeid is not cached, ESTALE it is cached
 * with another generation (the nodeid was reused).  gen-2021 compares the low
 * 32 bits.  rfc-2021 as posted returns EINVAL for an unknown nodeid (every
 * failure becomes -EINVAL) and 0 for any cached one: it cannot see reuse.
 */
int fsn_identity_verdict(const struct fsn_profile *p, bool cached, uint64_t cached_generation,
			 uint64_t generation);

/*
 * One line for reports, e.g.
 *   EVENT nodeid=5 gen=7 mask=0x100<IN_CREATE> child=9:1 name="a.txt"
 * snprintf semantics: returns the length the full line needs; writes at most
 * cap bytes, always NUL-terminated when cap > 0.
 */
int fsn_notify_describe(const struct fsn_notify *n, char *buf, size_t cap);

/* "IN_MODIFY" for one inotify event bit, in the kernel's words; NULL for others. */
const char *fsn_mask_bit_name(uint32_t bit);

#endif
