// SPDX-License-Identifier: GPL-2.0-only
/*
 * fsn_codec.c - wire layouts, encoders and strict decoders of the
 * remote-fsnotify profiles.  See fsn_codec.h for the contract and
 * docs/fsn-1.md for the layouts and the reasons behind every field.
 *
 * Every layout is a row: its fixed size, where its names are, and how to read
 * and write its fixed part.  One pipeline walks a row, so the three profiles
 * differ only in data: the row, and the profile's rules.
 */
#include "fsn_codec.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <string.h>

/* A message can claim fixed + 2 * (2^32 - 1 + 1) bytes; consumed must hold it. */
_Static_assert(sizeof(size_t) >= sizeof(uint64_t), "the suite targets 64-bit hosts");

/* ---- field access: host order (little-endian), never a cast into the buffer ---- */

static uint32_t get32(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *b, size_t off)
{
	uint64_t v;

	memcpy(&v, b + off, sizeof(v));
	return v;
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

static void put64(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

/* ---- offsets ---- */

/* rfc-2021 struct fuse_notify_fsnotify_out (patch 1/7), then namelen bytes. */
enum {
	RFC_INODE = 0, /* a nodeid, despite the name */
	RFC_MASK = 8,
	RFC_NAMELEN = 16,
	RFC_COOKIE = 20,
	RFC_SIZE = 24,
};

/* gen-2021: the review's struct (spec section 1), then name + NUL. */
enum {
	GEN_INODE = 0,
	GEN_GENERATION = 8, /* u32: "cram 32bit gen" */
	GEN_RESERVED0 = 12, /* u32 */
	GEN_MASK = 16,
	GEN_NAMELEN = 24,
	GEN_COOKIE = 28,
	GEN_FLAGS = 32,
	GEN_RESERVED1 = 36, /* u32 */
	GEN_RESERVED2 = 40, /* u64: "reserved for a child nodeid" */
	GEN_SIZE = 48,
};

/* fsn-1: every record starts with type + flags (docs/fsn-1.md). */
enum {
	FSN1_TYPE = 0,
	FSN1_FLAGS = 4,
	FSN1_HDR_SIZE = 8,

	EV_NODEID = 8,
	EV_GENERATION = 16,
	EV_MASK = 24,
	EV_CHILD = 32,
	EV_CHILD_GENERATION = 40,
	EV_NAMELEN = 48,
	EV_PADDING = 52,
	EV_SIZE = 56,

	RN_SRC_PARENT = 8,
	RN_SRC_GENERATION = 16,
	RN_DST_PARENT = 24,
	RN_DST_GENERATION = 32,
	RN_CHILD = 40,
	RN_CHILD_GENERATION = 48,
	RN_MASK = 56,
	RN_SRC_NAMELEN = 64,
	RN_DST_NAMELEN = 68,
	RN_SIZE = 72,

	OV_LOST = 8,
	OV_SIZE = 16,
};

/* Requests: the payload after fuse_in_header. */
enum {
	RQ_RFC_MASK = 0,
	RQ_RFC_GROUP = 8,
	RQ_RFC_ACTION = 16,
	RQ_RFC_PADDING = 20,
	RQ_RFC_SIZE = 24,

	RQ_FSN1_GENERATION = 0,
	RQ_FSN1_MASK = 8,
	RQ_FSN1_SIZE = 16,
};

/* Events that name a directory entry, and events on the watched object itself. */
#define DIRENT_EVENTS (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)
#define SELF_EVENTS (IN_DELETE_SELF | IN_MOVE_SELF)

/* ---- layouts as rows ---- */

#define MAX_NAMES 2

struct layout {
	enum fsn_wire wire;
	enum fsn_record kind;
	size_t size;       /* fixed part */
	bool has_term;     /* a terminator byte follows each non-empty name */
	size_t nnames;
	size_t name_off[MAX_NAMES]; /* offsetof(struct fsn_notify, <name>) */
	void (*read)(const uint8_t *b, struct fsn_notify *n);
	void (*write)(uint8_t *b, const struct fsn_notify *n);
	bool (*fits)(const struct fsn_notify *n); /* NULL: every value fits */
};

static void rfc_read(const uint8_t *b, struct fsn_notify *n)
{
	n->nodeid = get64(b, RFC_INODE);
	n->mask = get64(b, RFC_MASK);
	n->name.namelen = get32(b, RFC_NAMELEN);
	n->cookie = get32(b, RFC_COOKIE);
	n->has_generation = false; /* review objection #1 */
}

static void rfc_write(uint8_t *b, const struct fsn_notify *n)
{
	put64(b, RFC_INODE, n->nodeid);
	put64(b, RFC_MASK, n->mask);
	put32(b, RFC_NAMELEN, n->name.namelen);
	put32(b, RFC_COOKIE, n->cookie);
}

static void gen_read(const uint8_t *b, struct fsn_notify *n)
{
	n->nodeid = get64(b, GEN_INODE);
	n->generation = get32(b, GEN_GENERATION);
	n->has_generation = true;
	n->reserved[0] = get32(b, GEN_RESERVED0);
	n->mask = get64(b, GEN_MASK);
	n->name.namelen = get32(b, GEN_NAMELEN);
	n->cookie = get32(b, GEN_COOKIE);
	n->flags = get32(b, GEN_FLAGS);
	n->reserved[1] = get32(b, GEN_RESERVED1);
	n->reserved[2] = get64(b, GEN_RESERVED2);
}

static void gen_write(uint8_t *b, const struct fsn_notify *n)
{
	put64(b, GEN_INODE, n->nodeid);
	put32(b, GEN_GENERATION, (uint32_t)n->generation);
	put32(b, GEN_RESERVED0, (uint32_t)n->reserved[0]);
	put64(b, GEN_MASK, n->mask);
	put32(b, GEN_NAMELEN, n->name.namelen);
	put32(b, GEN_COOKIE, n->cookie);
	put32(b, GEN_FLAGS, n->flags);
	put32(b, GEN_RESERVED1, (uint32_t)n->reserved[1]);
	put64(b, GEN_RESERVED2, n->reserved[2]);
}

/* gen-2021's generation is 32 bits where fuse_entry_out's is 64: it may not fit. */
static bool gen_fits(const struct fsn_notify *n)
{
	return n->generation <= UINT32_MAX && n->reserved[0] <= UINT32_MAX &&
	       n->reserved[1] <= UINT32_MAX;
}

static void fsn1_read_header(const uint8_t *b, struct fsn_notify *n)
{
	n->flags = get32(b, FSN1_FLAGS);
	n->has_generation = true;
}

static void fsn1_write_header(uint8_t *b, const struct fsn_notify *n)
{
	put32(b, FSN1_TYPE, (uint32_t)n->kind);
	put32(b, FSN1_FLAGS, n->flags);
}

static void ev_read(const uint8_t *b, struct fsn_notify *n)
{
	fsn1_read_header(b, n);
	n->nodeid = get64(b, EV_NODEID);
	n->generation = get64(b, EV_GENERATION);
	n->mask = get64(b, EV_MASK);
	n->child.nodeid = get64(b, EV_CHILD);
	n->child.generation = get64(b, EV_CHILD_GENERATION);
	n->name.namelen = get32(b, EV_NAMELEN);
	n->reserved[0] = get32(b, EV_PADDING);
}

static void ev_write(uint8_t *b, const struct fsn_notify *n)
{
	fsn1_write_header(b, n);
	put64(b, EV_NODEID, n->nodeid);
	put64(b, EV_GENERATION, n->generation);
	put64(b, EV_MASK, n->mask);
	put64(b, EV_CHILD, n->child.nodeid);
	put64(b, EV_CHILD_GENERATION, n->child.generation);
	put32(b, EV_NAMELEN, n->name.namelen);
	put32(b, EV_PADDING, (uint32_t)n->reserved[0]);
}

static bool ev_fits(const struct fsn_notify *n)
{
	return n->reserved[0] <= UINT32_MAX;
}

static void rn_read(const uint8_t *b, struct fsn_notify *n)
{
	fsn1_read_header(b, n);
	n->src_parent.nodeid = get64(b, RN_SRC_PARENT);
	n->src_parent.generation = get64(b, RN_SRC_GENERATION);
	n->dst_parent.nodeid = get64(b, RN_DST_PARENT);
	n->dst_parent.generation = get64(b, RN_DST_GENERATION);
	n->child.nodeid = get64(b, RN_CHILD);
	n->child.generation = get64(b, RN_CHILD_GENERATION);
	n->mask = get64(b, RN_MASK);
	n->src_name.namelen = get32(b, RN_SRC_NAMELEN);
	n->dst_name.namelen = get32(b, RN_DST_NAMELEN);
}

static void rn_write(uint8_t *b, const struct fsn_notify *n)
{
	fsn1_write_header(b, n);
	put64(b, RN_SRC_PARENT, n->src_parent.nodeid);
	put64(b, RN_SRC_GENERATION, n->src_parent.generation);
	put64(b, RN_DST_PARENT, n->dst_parent.nodeid);
	put64(b, RN_DST_GENERATION, n->dst_parent.generation);
	put64(b, RN_CHILD, n->child.nodeid);
	put64(b, RN_CHILD_GENERATION, n->child.generation);
	put64(b, RN_MASK, n->mask);
	put32(b, RN_SRC_NAMELEN, n->src_name.namelen);
	put32(b, RN_DST_NAMELEN, n->dst_name.namelen);
}

static void ov_read(const uint8_t *b, struct fsn_notify *n)
{
	fsn1_read_header(b, n);
	n->lost = get64(b, OV_LOST);
}

static void ov_write(uint8_t *b, const struct fsn_notify *n)
{
	fsn1_write_header(b, n);
	put64(b, OV_LOST, n->lost);
}

static const struct layout layouts[] = {
	{ FSN_WIRE_RFC2021, FSN_REC_EVENT, RFC_SIZE, false, 1,
	  { offsetof(struct fsn_notify, name) }, rfc_read, rfc_write, NULL },
	{ FSN_WIRE_GEN2021, FSN_REC_EVENT, GEN_SIZE, true, 1,
	  { offsetof(struct fsn_notify, name) }, gen_read, gen_write, gen_fits },
	{ FSN_WIRE_FSN1, FSN_REC_EVENT, EV_SIZE, true, 1,
	  { offsetof(struct fsn_notify, name) }, ev_read, ev_write, ev_fits },
	{ FSN_WIRE_FSN1, FSN_REC_RENAME, RN_SIZE, true, 2,
	  { offsetof(struct fsn_notify, src_name), offsetof(struct fsn_notify, dst_name) },
	  rn_read, rn_write, NULL },
	{ FSN_WIRE_FSN1, FSN_REC_OVERFLOW, OV_SIZE, true, 0, { 0 }, ov_read, ov_write, NULL },
};

static const struct layout *layout_for(enum fsn_wire wire, uint32_t kind)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (layouts[i].wire == wire && (uint32_t)layouts[i].kind == kind)
			return &layouts[i];
	return NULL;
}

static struct fsn_name *name_at(struct fsn_notify *n, const struct layout *L, size_t i)
{
	return (struct fsn_name *)((char *)n + L->name_off[i]);
}

static const struct fsn_name *cname_at(const struct fsn_notify *n, const struct layout *L,
				       size_t i)
{
	return (const struct fsn_name *)((const char *)n + L->name_off[i]);
}

size_t fsn_codec_fixed_size(const struct fsn_profile *p, enum fsn_record kind)
{
	const struct layout *L = p ? layout_for(p->wire, (uint32_t)kind) : NULL;

	return L ? L->size : 0;
}

uint32_t fsn_name_present(const struct fsn_name *n)
{
	return n->missing < n->namelen ? n->namelen - n->missing : 0;
}

/* ---- the decode pipeline ---- */

struct dec {
	const struct fsn_profile *p;
	const uint8_t *buf;
	size_t len;
	struct fsn_notify *out;
};

/*
 * A rule is broken: reject with the rule's errno when the profile enforces it,
 * otherwise accept and record the defect, as the posted code would.
 */
static int broken(struct dec *d, uint32_t rule)
{
	const struct fsn_rule_info *ri = fsn_rule_info(rule);

	if (!ri)
		return EINVAL;
	if (d->p->rules & rule)
		return ri->err;
	d->out->defects |= ri->defect;
	return 0;
}

/* Bytes a name occupies on the wire according to its header. */
static uint64_t name_span(const struct layout *L, uint32_t namelen)
{
	return (uint64_t)namelen + (L->has_term && namelen ? 1 : 0);
}

/* Point a name into the buffer, clamped: never past len. */
static void place_name(const struct dec *d, struct fsn_name *n, uint64_t off)
{
	uint64_t avail = off < d->len ? d->len - off : 0;
	uint32_t present = avail < n->namelen ? (uint32_t)avail : n->namelen;

	n->name = present ? (const char *)d->buf + off : NULL;
	n->missing = n->namelen - present;
	if (n->namelen == 0)
		return; /* no name, no terminator */
	n->term_missing = avail <= n->namelen;
	n->term = n->term_missing ? 0 : d->buf[off + n->namelen];
}

/*
 * Framing, in the order of fs/fuse/dev.c's INVAL_ENTRY/DELETE handlers: the
 * namelen bound (ENAMETOOLONG) before the size match (EINVAL).  Sums are
 * 64-bit: a namelen of 0xffffffff cannot wrap them.
 */
static int frame(struct dec *d, const struct layout *L)
{
	struct fsn_notify *n = d->out;
	uint64_t claimed = L->size;
	int err;

	for (size_t i = 0; i < L->nnames; i++) {
		if (name_at(n, L, i)->namelen > FSN_NAME_MAX) {
			err = broken(d, FSN_RULE_NAMELEN_BOUND_NAME_MAX);
			if (err)
				return err;
		}
		claimed += name_span(L, name_at(n, L, i)->namelen);
	}
	if (claimed > d->len) {
		err = broken(d, FSN_RULE_NAMELEN_BOUND_BY_MSG);
		if (err)
			return err;
	}
	if (claimed < d->len) {
		err = broken(d, FSN_RULE_EXACT_LENGTH);
		if (err)
			return err;
		n->trailing = d->buf + claimed;
		n->trailinglen = d->len - (size_t)claimed;
	}

	uint64_t off = L->size;
	for (size_t i = 0; i < L->nnames; i++) {
		place_name(d, name_at(n, L, i), off);
		off += name_span(L, name_at(n, L, i)->namelen);
	}
	n->consumed = (size_t)claimed;
	return 0;
}

static int check_reserved(struct dec *d)
{
	const struct fsn_notify *n = d->out;
	uint64_t any = n->flags;

	for (size_t i = 0; i < FSN_RESERVED_MAX; i++)
		any |= n->reserved[i];
	return any ? broken(d, FSN_RULE_RESERVED_ZERO) : 0;
}

/* A proper C string of exactly namelen bytes: NUL right after, none inside. */
static bool c_string(const struct fsn_name *n)
{
	if (n->namelen == 0)
		return true;
	if (n->missing || n->term_missing || n->term != 0)
		return false;
	return memchr(n->name, 0, n->namelen) == NULL;
}

static int check_names(struct dec *d, const struct layout *L)
{
	for (size_t i = 0; i < L->nnames; i++) {
		if (!c_string(name_at(d->out, L, i))) {
			int err = broken(d, FSN_RULE_REQUIRE_NUL);

			if (err)
				return err;
		}
	}
	return 0;
}

static int check_nodeids(struct dec *d)
{
	const struct fsn_notify *n = d->out;
	bool zero = false;

	if (n->kind == FSN_REC_EVENT)
		zero = n->nodeid == 0;
	else if (n->kind == FSN_REC_RENAME)
		zero = n->src_parent.nodeid == 0 || n->dst_parent.nodeid == 0;
	return zero ? broken(d, FSN_RULE_REJECT_ZERO_NODEID) : 0;
}

static int check_mask(struct dec *d)
{
	struct fsn_notify *n = d->out;
	/* A RENAME record's kind says "moved"; its mask may only say "a directory". */
	uint32_t allowed = n->kind == FSN_REC_RENAME ? IN_ISDIR : d->p->allowed_mask;
	int err;

	if (n->kind == FSN_REC_OVERFLOW)
		return 0;
	n->mask32 = (uint32_t)n->mask;
	if (n->mask >> 32) {
		err = broken(d, FSN_RULE_REJECT_MASK_ABOVE_32);
		if (err)
			return err;
	}
	if (n->mask32 & ~allowed)
		return broken(d, FSN_RULE_ALLOWED_MASK);
	return 0;
}

static bool child_shape_ok(const struct fsn_object *child)
{
	/* "not looked up" is one encoding: all zero */
	return child->nodeid != 0 || child->generation == 0;
}

static bool event_shape_ok(const struct fsn_notify *n)
{
	uint32_t events = n->mask32 & IN_ALL_EVENTS;
	bool named = n->name.namelen > 0;

	if (!events)
		return false;
	if ((events & DIRENT_EVENTS) && !named)
		return false;
	if ((events & SELF_EVENTS) && named)
		return false;
	if (!named && (n->child.nodeid || n->child.generation))
		return false;
	return child_shape_ok(&n->child);
}

static bool rename_shape_ok(const struct fsn_notify *n)
{
	return n->src_name.namelen > 0 && n->dst_name.namelen > 0 && child_shape_ok(&n->child);
}

static int check_shape(struct dec *d)
{
	const struct fsn_notify *n = d->out;
	bool ok = true;

	if (n->kind == FSN_REC_EVENT)
		ok = event_shape_ok(n);
	else if (n->kind == FSN_REC_RENAME)
		ok = rename_shape_ok(n);
	return ok ? 0 : broken(d, FSN_RULE_RECORD_SHAPE);
}

/* The documented check order; the first enforced failure wins. */
static int decode_layout(struct dec *d, const struct layout *L)
{
	int err;

	d->out->kind = L->kind;
	L->read(d->buf, d->out);
	err = frame(d, L);
	if (!err)
		err = check_reserved(d);
	if (!err)
		err = check_names(d, L);
	if (!err)
		err = check_nodeids(d);
	if (!err)
		err = check_mask(d);
	if (!err)
		err = check_shape(d);
	return err;
}

static int dec_begin(struct dec *d, const struct fsn_profile *p, const void *buf, size_t len,
		     struct fsn_notify *out)
{
	if (out)
		memset(out, 0, sizeof(*out));
	if (!p || !out || (!buf && len))
		return EINVAL;
	d->p = p;
	d->buf = buf;
	d->len = len;
	d->out = out;
	return 0;
}

int fsn_decode_notify_rfc2021(const struct fsn_profile *p, const void *buf, size_t len,
			      struct fsn_notify *out)
{
	struct dec d;
	int err = dec_begin(&d, p, buf, len, out);

	if (err)
		return err;
	/*
	 * As posted there is no size check at all: the virtio notify element is
	 * a fixed-size buffer, so the struct is always "there".  A message
	 * shorter than the struct cannot be decoded; refuse it.
	 */
	if (len < RFC_SIZE)
		return EINVAL;
	return decode_layout(&d, layout_for(FSN_WIRE_RFC2021, FSN_REC_EVENT));
}

int fsn_decode_notify_gen2021(const struct fsn_profile *p, const void *buf, size_t len,
			      struct fsn_notify *out)
{
	struct dec d;
	int err = dec_begin(&d, p, buf, len, out);

	if (err)
		return err;
	if (len < GEN_SIZE)
		return EINVAL;
	return decode_layout(&d, layout_for(FSN_WIRE_GEN2021, FSN_REC_EVENT));
}

int fsn_decode_notify_fsn1(const struct fsn_profile *p, const void *buf, size_t len,
			   struct fsn_notify *out)
{
	const struct layout *L;
	struct dec d;
	int err = dec_begin(&d, p, buf, len, out);

	if (err)
		return err;
	if (len < FSN1_HDR_SIZE)
		return EINVAL;
	/* One notify code, three records: the type says which. */
	L = layout_for(FSN_WIRE_FSN1, get32(d.buf, FSN1_TYPE));
	if (!L || len < L->size)
		return EINVAL;
	return decode_layout(&d, L);
}

int fsn_decode_notify(const struct fsn_profile *p, const void *buf, size_t len,
		      struct fsn_notify *out)
{
	if (!p) {
		if (out)
			memset(out, 0, sizeof(*out));
		return EINVAL;
	}
	switch (p->wire) {
	case FSN_WIRE_RFC2021:
		return fsn_decode_notify_rfc2021(p, buf, len, out);
	case FSN_WIRE_GEN2021:
		return fsn_decode_notify_gen2021(p, buf, len, out);
	case FSN_WIRE_FSN1:
		return fsn_decode_notify_fsn1(p, buf, len, out);
	}
	if (out)
		memset(out, 0, sizeof(*out));
	return EINVAL;
}

/* ---- encode ---- */

/* Bytes a name puts on the wire; false when its fields contradict each other. */
static bool name_wire_bytes(const struct layout *L, const struct fsn_name *n, uint64_t *bytes)
{
	if (n->missing > n->namelen || (n->missing && !n->term_missing && L->has_term))
		return false;
	if (fsn_name_present(n) && !n->name)
		return false;
	*bytes = fsn_name_present(n) + (L->has_term && n->namelen && !n->term_missing ? 1 : 0);
	return true;
}

size_t fsn_encode_notify(const struct fsn_profile *p, const struct fsn_notify *in, void *out,
			 size_t cap)
{
	const struct layout *L;
	uint8_t *b = out;
	uint64_t total, bytes;
	size_t off;

	if (!p || !in || (!out && cap))
		return 0;
	L = layout_for(p->wire, (uint32_t)in->kind);
	if (!L || (L->fits && !L->fits(in)))
		return 0;
	if (in->trailinglen && !in->trailing)
		return 0;
	total = L->size + in->trailinglen;
	for (size_t i = 0; i < L->nnames; i++) {
		if (!name_wire_bytes(L, cname_at(in, L, i), &bytes))
			return 0;
		total += bytes;
	}
	if (total > cap)
		return 0;

	memset(b, 0, L->size);
	L->write(b, in);
	off = L->size;
	for (size_t i = 0; i < L->nnames; i++) {
		const struct fsn_name *n = cname_at(in, L, i);
		uint32_t present = fsn_name_present(n);

		if (present)
			memcpy(b + off, n->name, present);
		off += present;
		if (L->has_term && n->namelen && !n->term_missing)
			b[off++] = n->term;
	}
	if (in->trailinglen)
		memcpy(b + off, in->trailing, in->trailinglen);
	return (size_t)total;
}

/* ---- requests ---- */

static int decode_request_rfc2021(const struct fsn_profile *p, const uint8_t *b, size_t len,
				  struct fsn_request *out)
{
	uint64_t mask;
	uint32_t action;

	if (len != RQ_RFC_SIZE || out->nodeid == 0)
		return EPROTO;
	mask = get64(b, RQ_RFC_MASK);
	action = get32(b, RQ_RFC_ACTION);
	/* fuse_fsnotify_send_request() memsets the struct and takes a u32 mask */
	if (get32(b, RQ_RFC_PADDING) != 0 || (mask >> 32) != 0)
		return EPROTO;
	if (action != FSN_ACTION_ADD && action != FSN_ACTION_REMOVE)
		return EPROTO;
	out->mask = mask;
	out->group = get64(b, RQ_RFC_GROUP);
	out->action = action;
	/* Sent as posted, but a defect: a kernel address, and inotify's private flags. */
	if (out->group)
		out->defects |= FSN_DEFECT_GROUP_POINTER;
	if ((uint32_t)mask & ~p->request_allowed_mask)
		out->defects |= FSN_DEFECT_RAW_USER_MASK;
	return 0;
}

static int decode_request_fsn1(const struct fsn_profile *p, const uint8_t *b, size_t len,
			       struct fsn_request *out)
{
	uint64_t mask;

	if (len != RQ_FSN1_SIZE || out->nodeid == 0)
		return EPROTO;
	mask = get64(b, RQ_FSN1_MASK);
	if ((mask >> 32) != 0 || ((uint32_t)mask & ~p->request_allowed_mask) != 0)
		return EPROTO;
	out->generation = get64(b, RQ_FSN1_GENERATION);
	out->has_generation = true;
	out->mask = mask;
	return 0;
}

int fsn_decode_request(const struct fsn_profile *p, uint64_t nodeid, const void *buf, size_t len,
		       struct fsn_request *out)
{
	if (out)
		memset(out, 0, sizeof(*out));
	if (!p || !out || (!buf && len))
		return EINVAL;
	out->nodeid = nodeid;
	switch (p->request_wire) {
	case FSN_REQUEST_WIRE_RFC2021:
		return decode_request_rfc2021(p, buf, len, out);
	case FSN_REQUEST_WIRE_FSN1:
		return decode_request_fsn1(p, buf, len, out);
	}
	return EINVAL;
}

size_t fsn_encode_request(const struct fsn_profile *p, const struct fsn_request *in, void *out,
			  size_t cap)
{
	uint8_t *b = out;

	if (!p || !in || !out)
		return 0;
	switch (p->request_wire) {
	case FSN_REQUEST_WIRE_RFC2021:
		if (cap < RQ_RFC_SIZE)
			return 0;
		put64(b, RQ_RFC_MASK, in->mask);
		put64(b, RQ_RFC_GROUP, in->group);
		put32(b, RQ_RFC_ACTION, in->action);
		put32(b, RQ_RFC_PADDING, 0);
		return RQ_RFC_SIZE;
	case FSN_REQUEST_WIRE_FSN1:
		if (cap < RQ_FSN1_SIZE)
			return 0;
		put64(b, RQ_FSN1_GENERATION, in->generation);
		put64(b, RQ_FSN1_MASK, in->mask);
		return RQ_FSN1_SIZE;
	}
	return 0;
}

/* ---- identity ---- */

int fsn_identity_verdict(const struct fsn_profile *p, bool cached, uint64_t cached_generation,
			 uint64_t generation)
{
	uint64_t keep;

	if (!p)
		return EINVAL;
	if (!cached)
		return p->err_unknown_nodeid;
	if (p->generation_bits == 0 || p->err_stale_generation == 0)
		return 0;
	keep = p->generation_bits >= 64 ? UINT64_MAX : (UINT64_C(1) << p->generation_bits) - 1;
	return (cached_generation & keep) == (generation & keep) ? 0 : p->err_stale_generation;
}

/* ---- describe ---- */

/*
 * The line is a printer, not a parser: under the fuzz engines (clang) it is
 * left out of coverage guidance, which gained nothing from it and paid a
 * callback for every comparison of every byte of every name.  ASan and
 * UBSan still check it.
 */
#if defined(__clang__)
#define NOT_GUIDED __attribute__((no_sanitize("coverage")))
#else
#define NOT_GUIDED
#endif

struct line {
	char *buf;
	size_t cap;
	size_t len; /* what the whole line needs */
};

/*
 * n bytes of the line: written while it has room, always counted, the line
 * NUL-terminated; snprintf's contract, without a printf (the fuzz target
 * describes every message it accepts).
 */
NOT_GUIDED static void emit_bytes(struct line *l, const char *p, size_t n)
{
	if (l->len < l->cap) {
		size_t room = l->cap - l->len - 1;
		size_t k = n < room ? n : room;

		memcpy(l->buf + l->len, p, k);
		l->buf[l->len + k] = '\0';
	}
	l->len += n;
}

NOT_GUIDED static void emit_str(struct line *l, const char *s)
{
	emit_bytes(l, s, strlen(s));
}

/* label, then v in decimal (base 10) or lower-case hex (16), as printf would put it. */
NOT_GUIDED static void emit_u64(struct line *l, const char *label, uint64_t v, unsigned base)
{
	char digits[20];
	size_t n = 0;

	emit_str(l, label);
	do {
		digits[sizeof(digits) - ++n] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	emit_bytes(l, digits + sizeof(digits) - n, n);
}

static const struct {
	uint32_t bit;
	const char *name;
} mask_names[] = {
	{ IN_ACCESS, "IN_ACCESS" },         { IN_MODIFY, "IN_MODIFY" },
	{ IN_ATTRIB, "IN_ATTRIB" },         { IN_CLOSE_WRITE, "IN_CLOSE_WRITE" },
	{ IN_CLOSE_NOWRITE, "IN_CLOSE_NOWRITE" }, { IN_OPEN, "IN_OPEN" },
	{ IN_MOVED_FROM, "IN_MOVED_FROM" }, { IN_MOVED_TO, "IN_MOVED_TO" },
	{ IN_CREATE, "IN_CREATE" },         { IN_DELETE, "IN_DELETE" },
	{ IN_DELETE_SELF, "IN_DELETE_SELF" }, { IN_MOVE_SELF, "IN_MOVE_SELF" },
	{ IN_UNMOUNT, "IN_UNMOUNT" },       { IN_Q_OVERFLOW, "IN_Q_OVERFLOW" },
	{ IN_IGNORED, "IN_IGNORED" },       { IN_ISDIR, "IN_ISDIR" },
};

const char *fsn_mask_bit_name(uint32_t bit)
{
	for (size_t i = 0; i < sizeof(mask_names) / sizeof(mask_names[0]); i++)
		if (mask_names[i].bit == bit)
			return mask_names[i].name;
	return NULL;
}

NOT_GUIDED static void emit_mask(struct line *l, uint64_t mask)
{
	uint64_t rest = mask;
	const char *sep = "";

	emit_u64(l, " mask=0x", mask, 16);
	emit_bytes(l, "<", 1);
	for (size_t i = 0; i < sizeof(mask_names) / sizeof(mask_names[0]); i++) {
		if (mask & mask_names[i].bit) {
			emit_bytes(l, sep, strlen(sep));
			emit_bytes(l, mask_names[i].name, strlen(mask_names[i].name));
			rest &= ~(uint64_t)mask_names[i].bit;
			sep = "|";
		}
	}
	if (rest) {
		emit_str(l, sep);
		emit_u64(l, "0x", rest, 16);
	}
	emit_bytes(l, ">", 1);
}

/* Name bytes written as they are, a bit per byte: printable ASCII but '"' and '\\'. */
static const uint64_t name_byte_plain[4] = {
	0xfffffffb00000000ull, /* 0x20..0x3f but 0x22 '"' */
	0x7fffffffefffffffull, /* 0x40..0x7e but 0x5c '\\' */
	0,
	0,
};

/*
 * The name in quotes, other bytes as \xNN.  A name can be as long as the
 * message: while the line has room the bytes go straight in, with no
 * printf and no bounds arithmetic per byte (a printf per byte was most of
 * what the fuzz target spent on an input).
 */
NOT_GUIDED static void emit_name(struct line *l, const struct fsn_name *n)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t present = fsn_name_present(n);

	emit_bytes(l, "\"", 1);
	for (uint32_t i = 0; i < present; i++) {
		unsigned char c = (unsigned char)n->name[i];
		bool plain = (name_byte_plain[c >> 6] >> (c & 63)) & 1;
		char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 0xf] };

		if (l->len + sizeof(esc) < l->cap) { /* room for either form and the NUL */
			if (plain) {
				l->buf[l->len++] = (char)c;
			} else {
				memcpy(l->buf + l->len, esc, sizeof(esc));
				l->len += sizeof(esc);
			}
			l->buf[l->len] = '\0';
		} else {
			emit_bytes(l, plain ? (const char *)&c : esc, plain ? 1 : sizeof(esc));
		}
	}
	emit_bytes(l, "\"", 1);
	if (n->missing) {
		emit_u64(l, "(+", n->missing, 10);
		emit_str(l, " past the message)");
	}
}

NOT_GUIDED static void emit_object(struct line *l, const char *label, const struct fsn_object *o)
{
	emit_bytes(l, " ", 1);
	emit_str(l, label);
	emit_u64(l, "=", o->nodeid, 10);
	emit_u64(l, ":", o->generation, 10);
}

NOT_GUIDED int fsn_notify_describe(const struct fsn_notify *n, char *buf, size_t cap)
{
	struct line l = { buf, cap, 0 };

	if (buf && cap)
		buf[0] = '\0';
	if (!buf)
		l.cap = 0;
	if (!n)
		return 0;
	emit_str(&l, fsn_record_name(n->kind));
	switch (n->kind) {
	case FSN_REC_EVENT:
		emit_u64(&l, " nodeid=", n->nodeid, 10);
		if (n->has_generation)
			emit_u64(&l, " gen=", n->generation, 10);
		emit_mask(&l, n->mask);
		if (n->cookie)
			emit_u64(&l, " cookie=", n->cookie, 10);
		if (n->child.nodeid || n->child.generation)
			emit_object(&l, "child", &n->child);
		if (n->name.namelen) {
			emit_str(&l, " name=");
			emit_name(&l, &n->name);
		}
		break;
	case FSN_REC_RENAME:
		emit_object(&l, "src", &n->src_parent);
		emit_str(&l, "/");
		emit_name(&l, &n->src_name);
		emit_object(&l, "dst", &n->dst_parent);
		emit_str(&l, "/");
		emit_name(&l, &n->dst_name);
		emit_object(&l, "child", &n->child);
		emit_mask(&l, n->mask);
		break;
	case FSN_REC_OVERFLOW:
		emit_u64(&l, " lost=", n->lost, 10);
		break;
	}
	if (n->flags)
		emit_u64(&l, " flags=0x", n->flags, 16);
	if (n->defects) {
		const char *sep = "";

		emit_str(&l, " defects=<");
		for (unsigned bit = 0; bit < 32; bit++) {
			if (n->defects & (1u << bit)) {
				emit_str(&l, sep);
				emit_str(&l, fsn_defect_name(1u << bit));
				sep = ",";
			}
		}
		emit_str(&l, ">");
	}
	return l.len > INT_MAX ? INT_MAX : (int)l.len;
}
