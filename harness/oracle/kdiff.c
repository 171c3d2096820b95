// SPDX-License-Identifier: GPL-2.0-only
/*
 * kdiff.c - see kdiff.h.  Layout: the PRNG, the world table and its
 * oracle, then the generator (one builder per notify code, the name and
 * nodeid domains, the size/header mutations), then the feature probes.
 */
#include "kdiff.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "fsn_codec.h"
#include "profiles.h"
#include "wire.h"

/* ---- PRNG ---- */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

void kd_rng_init(struct kd_rng *r, uint64_t seed, uint64_t index)
{
	uint64_t a = seed, b = index ^ 0xd1b54a32d192ed03ull;

	/* Two independent hashes: neighbouring seeds or indexes share nothing. */
	r->s = splitmix(&a) ^ (splitmix(&b) * 0x9e3779b97f4a7c15ull);
}

uint64_t kd_next(struct kd_rng *r)
{
	return splitmix(&r->s);
}

uint32_t kd_below(struct kd_rng *r, uint32_t n)
{
	return (uint32_t)(((kd_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Index into weights[0..n) with probability weight / sum. */
static int pick(struct kd_rng *r, const uint8_t *w, int n)
{
	uint32_t sum = 0, x;

	for (int i = 0; i < n; i++)
		sum += w[i];
	x = kd_below(r, sum);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}
#define PICK(r, w) pick((r), (w), (int)sizeof(w))

/* Probability percent/100. */
static bool chance(struct kd_rng *r, unsigned percent)
{
	return kd_below(r, 100) < percent;
}

/* ---- the world ---- */

#define LONG_NAME                                                                     \
	"LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL" \
	"LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL" \
	"LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL"
_Static_assert(sizeof(LONG_NAME) - 1 == 255, "NAME_MAX");

static const struct kd_object kd_objects[KD__ROLES] = {
	[KD_ROOT] = { "ROOT", "", "", KD_ROOT, S_IFDIR | 0755, FUSE_ROOT_ID, false, true, false },
	[KD_FILE] = { "FILE", "f", "f", KD_ROOT, S_IFREG | 0644, 2, true, true, false },
	[KD_DIR] = { "DIR", "d", "d", KD_ROOT, S_IFDIR | 0755, 3, true, true, false },
	[KD_BUSY] = { "BUSY", "g", "d/g", KD_DIR, S_IFREG | 0644, 4, true, true, false },
	[KD_IDLE] = { "IDLE", "c", "c", KD_ROOT, S_IFREG | 0644, 5, false, true, false },
	[KD_IDIR] = { "IDIR", "e", "e", KD_ROOT, S_IFDIR | 0755, 6, false, true, false },
	[KD_ICHILD] = { "ICHILD", "h", "e/h", KD_IDIR, S_IFREG | 0644, 7, false, true, false },
	[KD_LINK] = { "LINK", "s", "s", KD_ROOT, S_IFLNK | 0777, 8, false, true, false },
	[KD_LONG] = { "LONG", LONG_NAME, LONG_NAME, KD_ROOT, S_IFREG | 0644, 9, true, true, false },
	[KD_MNT] = { "MNT", "m", "m", KD_ROOT, S_IFDIR | 0755, 11, false, true, true },
	[KD_UNCACHED] = { "UNCACHED", "u", "u", KD_ROOT, S_IFREG | 0644, 10, false, false, false },
	[KD_NEG] = { "NEG", "n", "n", KD_ROOT, 0, 0, false, true, false },
};

const struct kd_object *kd_object(enum kd_role r)
{
	return (unsigned)r < KD__ROLES ? &kd_objects[r] : NULL;
}

enum kd_role kd_role_of(uint64_t nodeid)
{
	for (int r = 0; r < KD__ROLES; r++)
		if (nodeid && kd_objects[r].nodeid == nodeid)
			return (enum kd_role)r;
	return KD__ROLES;
}

void kd_world_canonical(struct kd_world *w)
{
	memset(w, 0, sizeof(*w));
	for (int r = 0; r < KD__ROLES; r++) {
		w->cached[r] = kd_objects[r].looked_up && kd_objects[r].mode;
		w->entry[r] = kd_objects[r].looked_up;
	}
	w->entry[KD_ROOT] = false; /* the root has no name under a parent */
}

void kd_world_before_init(struct kd_world *w)
{
	memset(w, 0, sizeof(*w));
	w->cached[KD_ROOT] = true;
	w->before_init = true;
}

static int kd_have_nodeid(void *ctx, uint64_t nodeid)
{
	const struct kd_world *w = ctx;
	enum kd_role r = kd_role_of(nodeid);

	return r < KD__ROLES && w->cached[r];
}

static uint32_t kd_node_type(void *ctx, uint64_t nodeid)
{
	enum kd_role r = kd_role_of(nodeid);

	return r < KD__ROLES ? kd_objects[r].mode & S_IFMT : 0;
}

static int kd_have_entry(void *ctx, uint64_t parent, const char *name, size_t namelen,
			 uint64_t *child)
{
	const struct kd_world *w = ctx;

	for (int r = 0; r < KD__ROLES; r++) {
		const struct kd_object *o = &kd_objects[r];
		enum kd_role pr = o->parent;

		if (r == KD_ROOT || !w->entry[r] || !w->cached[pr] || kd_objects[pr].nodeid != parent)
			continue;
		if (strlen(o->name) != namelen || memcmp(o->name, name, namelen))
			continue;
		if (!o->mode)
			return NR_ENTRY_NEGATIVE;
		*child = o->nodeid;
		return NR_ENTRY_POSITIVE;
	}
	return NR_ENTRY_NONE;
}

/*
 * What nr_state.delete_busy asks: EBUSY for a mountpoint; ENOTEMPTY when
 * shrink_dcache_parent() leaves a child in use (idle ones are dropped, a
 * pinned one keeps the dir non-empty).
 */
static int or_delete_busy(void *ctx, uint64_t child)
{
	const struct kd_world *w = ctx;
	enum kd_role c = kd_role_of(child);

	if (c < KD__ROLES && kd_objects[c].mountpoint)
		return EBUSY;
	for (int r = 0; c < KD__ROLES && r < KD__ROLES; r++)
		if (r != KD_ROOT && kd_objects[r].parent == c && kd_objects[r].pinned &&
		    w->entry[r])
			return ENOTEMPTY;
	return 0;
}

static unsigned kd_have_unique(void *ctx, uint64_t unique)
{
	return 0; /* the fixture never leaves a request unanswered */
}

void kd_oracle(const struct kd_world *w, struct nr_state *s)
{
	memset(s, 0, sizeof(*s));
	s->ctx = (void *)w;
	s->have_nodeid = kd_have_nodeid;
	s->node_type = kd_node_type;
	s->have_entry = kd_have_entry;
	s->delete_busy = or_delete_busy;
	s->have_unique = kd_have_unique;
	s->before_init = w->before_init;
}

/* ---- the generator: message builder ---- */

struct mb {
	uint8_t *buf;
	size_t cap, len; /* len counts from the start of the header */
	struct kd_shape *shape;
	struct kd_rng *r;
	const struct kd_gen_cfg *cfg;
};

static void put(struct mb *m, const void *p, size_t n)
{
	if (m->len + n > m->cap)
		n = m->cap - m->len;
	memcpy(m->buf + m->len, p, n);
	m->len += n;
}
static void put_u32(struct mb *m, uint32_t v) { put(m, &v, 4); }
static void put_u64(struct mb *m, uint64_t v) { put(m, &v, 8); }

static void fill(struct mb *m, size_t n, int byte)
{
	if (m->len + n > m->cap)
		n = m->cap - m->len;
	for (size_t i = 0; i < n; i++)
		m->buf[m->len + i] = byte >= 0 ? (uint8_t)byte : (uint8_t)kd_next(m->r);
	m->len += n;
}

__attribute__((format(printf, 2, 3))) static void desc(struct mb *m, const char *fmt, ...)
{
	size_t used = strlen(m->shape->desc);
	va_list ap;

	if (used + 1 >= sizeof(m->shape->desc))
		return;
	va_start(ap, fmt);
	vsnprintf(m->shape->desc + used, sizeof(m->shape->desc) - used, fmt, ap);
	va_end(ap);
}

/* ---- domains ---- */

#define U64_MAX_ ((uint64_t)-1)
#define MAX_LFS NR_MAX_LFS_FILESIZE

/* A nodeid from the small domain: every role, then the ids no inode has. */
static uint64_t pick_nodeid(struct mb *m, const char *field)
{
	/* weights: each role, then the special ids below, then a random one */
	static const uint8_t w[KD__ROLES + 6] = {
		[KD_ROOT] = 8, [KD_FILE] = 10, [KD_DIR] = 8, [KD_BUSY] = 6, [KD_IDLE] = 8,
		[KD_IDIR] = 6, [KD_ICHILD] = 5, [KD_LINK] = 6, [KD_LONG] = 4, [KD_MNT] = 4,
		[KD_UNCACHED] = 6, [KD_NEG] = 0, /* nodeid 0: listed below */
		[KD__ROLES] = 5, 4, 4, 2, 2, 3,
	};
	static const struct { uint64_t v; const char *tag; } special[] = {
		{ 0, "0" }, { 999, "999" }, { U64_MAX_, "~0" }, { 1ull << 63, "2^63" },
		{ (1ull << 32) | 2, "2^32+2" },
	};
	int i = PICK(m->r, w);

	if (i < KD__ROLES) {
		desc(m, " %s=%s", field, kd_objects[i].tag);
		return kd_objects[i].nodeid;
	}
	i -= KD__ROLES;
	if (i < (int)(sizeof(special) / sizeof(special[0]))) {
		desc(m, " %s=%s", field, special[i].tag);
		return special[i].v;
	}
	{
		uint64_t v = kd_next(m->r);

		desc(m, " %s=%#llx", field, (unsigned long long)v);
		return v;
	}
}

/* A file offset at the page-cache boundaries (u64: STORE/RETRIEVE). */
static uint64_t pick_offset(struct mb *m)
{
	static const uint64_t v[] = { 0, 1, 5, 10, 4095, 4096, 1ull << 20, 1ull << 31, 1ull << 32,
				      MAX_LFS - 4096, MAX_LFS - 1, MAX_LFS, MAX_LFS + 1,
				      U64_MAX_ - 4095, U64_MAX_ };
	static const uint8_t w[] = { 20, 4, 4, 4, 3, 4, 2, 2, 2, 3, 3, 4, 3, 3, 4, 5 };
	int i = PICK(m->r, w);
	uint64_t off = i < (int)(sizeof(v) / sizeof(v[0])) ? v[i] : kd_next(m->r);

	desc(m, " off=%#llx", (unsigned long long)off);
	return off;
}

/* A byte count for STORE data or a RETRIEVE size. */
static uint32_t pick_size(struct mb *m, bool retrieve)
{
	static const uint32_t v[] = { 0, 1, 10, 100, 4095, 4096, 4097, 8192, 65536,
				      128 * 1024, 128 * 1024 + 1, 1u << 20, 0xffffffffu };
	static const uint8_t ws[] = { 10, 10, 12, 6, 4, 6, 4, 3, 2, 0, 0, 0, 0, 6 };
	static const uint8_t wr[] = { 8, 6, 10, 4, 3, 6, 3, 3, 3, 5, 5, 5, 6, 6 };
	int i = retrieve ? PICK(m->r, wr) : PICK(m->r, ws);
	uint32_t n = i < (int)(sizeof(v) / sizeof(v[0])) ? v[i]
						       : kd_below(m->r, retrieve ? 0xffffffffu : 65537);

	desc(m, " size=%u", n);
	return n;
}

/*
 * The name of an INVAL_ENTRY/DELETE: which parent, which bytes.
 * *right_child is the nodeid the (parent, name) pair names when it is one
 * of the world's entries, else 0.
 */
struct name_pick {
	uint64_t parent;
	const char *bytes;
	uint32_t len;
	uint64_t right_child;
};

static void pick_name(struct mb *m, struct name_pick *n, char *scratch, size_t scap)
{
	static const uint8_t w[] = { 45, 10, 15, 20, 10 };
	static const struct { const char *b; uint32_t len; const char *tag; } special[] = {
		{ "", 0, "\"\"" }, { ".", 1, "\".\"" }, { "..", 2, "\"..\"" },
		{ "nosuch", 6, "nosuch" }, { "f/", 2, "\"f/\"" }, { "F", 1, "\"F\"" },
		{ "f\0", 2, "\"f\\0\"" }, { "\0f", 2, "\"\\0f\"" }, { "ff", 2, "\"ff\"" },
		{ "f\0x", 3, "\"f\\0x\"" },
	};
	uint32_t nm = m->cfg->name_max ? m->cfg->name_max : NR_FUSE_NAME_LOW_MAX;
	const uint32_t longs[] = { nm - 1, nm, nm + 1, 254, 255, 256, 1023, 1024, 1025, 4095, 4096,
				   4097 };
	int kind = PICK(m->r, w);

	memset(n, 0, sizeof(*n));
	switch (kind) {
	case 0: { /* the right (parent, name) of a world object */
		enum kd_role r = (enum kd_role)(1 + kd_below(m->r, KD__ROLES - 1));
		const struct kd_object *o = &kd_objects[r];

		n->parent = kd_objects[o->parent].nodeid;
		n->bytes = o->name;
		n->len = (uint32_t)strlen(o->name);
		n->right_child = o->nodeid;
		desc(m, " parent=%s name=<%s>", kd_objects[o->parent].tag, o->tag);
		break;
	}
	case 1: { /* a world name under some other parent */
		enum kd_role r = (enum kd_role)(1 + kd_below(m->r, KD__ROLES - 1));

		n->parent = pick_nodeid(m, "parent");
		n->bytes = kd_objects[r].name;
		n->len = (uint32_t)strlen(n->bytes);
		desc(m, " name=<%s>", kd_objects[r].tag);
		if (kd_objects[kd_objects[r].parent].nodeid == n->parent)
			n->right_child = kd_objects[r].nodeid;
		break;
	}
	case 2: { /* names no dentry has: empty, dots, slash, NUL inside */
		unsigned i = kd_below(m->r, sizeof(special) / sizeof(special[0]));

		n->parent = chance(m->r, 75) ? FUSE_ROOT_ID : pick_nodeid(m, "parent");
		if (n->parent == FUSE_ROOT_ID)
			desc(m, " parent=ROOT");
		n->bytes = special[i].b;
		n->len = special[i].len;
		desc(m, " name=%s", special[i].tag);
		break;
	}
	case 3: { /* around the name limits: 255, name_max, 1024, 4095 */
		uint32_t len = longs[kd_below(m->r, sizeof(longs) / sizeof(longs[0]))];

		if (len > scap)
			len = (uint32_t)scap;
		memset(scratch, 'L', len);
		n->parent = FUSE_ROOT_ID;
		n->bytes = scratch;
		n->len = len;
		if (len == strlen(LONG_NAME))
			n->right_child = kd_objects[KD_LONG].nodeid;
		desc(m, " parent=ROOT name=L*%u", len);
		break;
	}
	default: { /* random bytes */
		uint32_t len = 1 + kd_below(m->r, 16);

		for (uint32_t i = 0; i < len; i++)
			scratch[i] = (char)kd_next(m->r);
		n->parent = pick_nodeid(m, "parent");
		n->bytes = scratch;
		n->len = len;
		desc(m, " name=rnd*%u", len);
		break;
	}
	}
}

/* The namelen field: mostly the truth, sometimes a lie around the limits. */
static uint32_t pick_namelen_field(struct mb *m, uint32_t len)
{
	uint32_t nm = m->cfg->name_max ? m->cfg->name_max : NR_FUSE_NAME_LOW_MAX;
	const uint32_t lie[] = { len + 1, len ? len - 1 : 1, 0, 0xffffffffu, 0x80000000u, nm + 1,
				 nm, kd_next(m->r) };

	if (chance(m->r, 85))
		return len;
	len = lie[kd_below(m->r, sizeof(lie) / sizeof(lie[0]))];
	desc(m, " namelen=%u", len);
	return len;
}

/* Name bytes, then the byte fuse_copy_one() reads after them (or not). */
static void put_name(struct mb *m, const struct name_pick *n)
{
	put(m, n->bytes, n->len);
	if (chance(m->r, 88)) {
		fill(m, 1, 0);
	} else if (chance(m->r, 65)) {
		uint8_t b = (uint8_t)(1 + kd_below(m->r, 255));

		put(m, &b, 1);
		desc(m, " trail=%#x", b);
	} else {
		desc(m, " trail=none");
	}
}

/* ---- one builder per code: the payload after the header ---- */

static void gen_poll(struct mb *m)
{
	if (chance(m->r, 70))
		put_u64(m, pick_nodeid(m, "kh"));
	else
		put_u64(m, kd_next(m->r)), desc(m, " kh=rnd");
}

static void gen_inval_inode(struct mb *m)
{
	static const int64_t v[] = { 0, -1, 1, 4096, 1ll << 62, INT64_MIN, INT64_MAX };
	int64_t off = v[kd_below(m->r, 7)], len = v[kd_below(m->r, 7)];

	put_u64(m, pick_nodeid(m, "ino"));
	if (chance(m->r, 40))
		off = 0, len = 0;
	put_u64(m, (uint64_t)off);
	put_u64(m, (uint64_t)len);
	desc(m, " off=%lld len=%lld", (long long)off, (long long)len);
}

static void gen_inval_entry(struct mb *m, char *scratch, size_t scap)
{
	static const uint32_t fl[] = { 0, FUSE_EXPIRE_ONLY, 2, 3, 0xffffffffu };
	static const uint8_t w[] = { 70, 15, 5, 4, 3, 3 };
	struct name_pick n;
	int i;
	uint32_t flags;

	pick_name(m, &n, scratch, scap);
	i = PICK(m->r, w);
	flags = i < 5 ? fl[i] : (uint32_t)kd_next(m->r);
	if (flags)
		desc(m, " flags=%#x", flags);
	put_u64(m, n.parent);
	put_u32(m, pick_namelen_field(m, n.len));
	put_u32(m, flags);
	put_name(m, &n);
}

static void gen_delete(struct mb *m, char *scratch, size_t scap)
{
	static const uint8_t w[] = { 55, 10, 35 };
	struct name_pick n;
	uint64_t child;
	uint32_t pad = 0;

	pick_name(m, &n, scratch, scap);
	switch (PICK(m->r, w)) {
	case 0:
		child = n.right_child;
		desc(m, " child=%s", child ? "right" : "0(none)");
		break;
	case 1:
		child = 0;
		desc(m, " child=0");
		break;
	default:
		child = pick_nodeid(m, "child");
		break;
	}
	if (chance(m->r, 10))
		pad = (uint32_t)kd_next(m->r), desc(m, " pad=%#x", pad);
	put_u64(m, n.parent);
	put_u64(m, child);
	put_u32(m, pick_namelen_field(m, n.len));
	put_u32(m, pad);
	put_name(m, &n);
}

static void gen_store(struct mb *m)
{
	uint64_t nodeid = pick_nodeid(m, "node"), off = pick_offset(m);
	uint32_t size = pick_size(m, false), field = size;

	/* A size field no data could follow: checked against the message first. */
	if (chance(m->r, 5)) {
		field = chance(m->r, 50) ? 0xffffffffu : 0x80000000u;
		desc(m, " sizefield=%#x", field);
		size = 0;
	}
	put_u64(m, nodeid);
	put_u64(m, off);
	put_u32(m, field);
	put_u32(m, chance(m->r, 90) ? 0 : (uint32_t)kd_next(m->r));
	fill(m, size, 'a' + (int)kd_below(m->r, 26));
}

static void gen_retrieve(struct mb *m)
{
	static const uint64_t nu[] = { 0, 0x5eed, 2, U64_MAX_ };
	uint64_t unique = chance(m->r, 80) ? nu[kd_below(m->r, 4)] : kd_next(m->r);

	put_u64(m, unique);
	put_u64(m, pick_nodeid(m, "node"));
	put_u64(m, pick_offset(m));
	put_u32(m, pick_size(m, true));
	put_u32(m, chance(m->r, 90) ? 0 : (uint32_t)kd_next(m->r));
	desc(m, " notify_unique=%#llx", (unsigned long long)unique);
}

/* RESEND and INC_EPOCH have no payload: any bytes after the header. */
static void gen_no_payload(struct mb *m)
{
	static const uint8_t w[] = { 50, 30, 20 };

	switch (PICK(m->r, w)) {
	case 0:
		break;
	case 1: {
		uint32_t n = 1 + kd_below(m->r, 64);

		fill(m, n, -1);
		desc(m, " payload=rnd*%u", n);
		break;
	}
	default: /* a valid INVAL_INODE payload: ignored, not misread */
		put_u64(m, kd_objects[KD_FILE].nodeid);
		fill(m, 16, 0);
		desc(m, " payload=inval_inode(FILE)");
		break;
	}
}

static void gen_prune(struct mb *m)
{
	static const uint32_t nids[] = { 0, 1, 2, 3, 8, 511, 512, 513, 1024, 1100 };
	static const uint8_t w[] = { 8, 25, 15, 10, 10, 3, 3, 3, 2, 2 };
	uint32_t n = nids[PICK(m->r, w)], count = n;

	if (!chance(m->r, 80)) {
		const uint32_t lie[] = { n + 1, n ? n - 1 : 1, 0, 0x20000000u, 0xffffffffu,
					 (uint32_t)kd_next(m->r) };

		count = lie[kd_below(m->r, 6)];
		desc(m, " count=%u", count);
	}
	put_u32(m, count);
	put_u32(m, chance(m->r, 90) ? 0 : (uint32_t)kd_next(m->r));
	put_u64(m, chance(m->r, 90) ? 0 : kd_next(m->r));
	desc(m, " ids=%u:", n);
	for (uint32_t i = 0; i < n; i++) {
		/* only the first few ids are named in the description */
		struct kd_shape sink = {0};
		struct mb quiet = *m;

		quiet.shape = &sink;
		if (i == 4)
			desc(m, " ...");
		put_u64(m, pick_nodeid(i < 4 ? m : &quiet, "id"));
	}
}

/* ---- whole messages ---- */

static void header(struct mb *m, uint64_t unique, int32_t error)
{
	struct fuse_out_header oh = {.len = 0, .error = error, .unique = unique};

	m->len = 0;
	put(m, &oh, sizeof(oh));
}

static void set_hdr_len(struct mb *m, uint32_t len)
{
	memcpy(m->buf, &len, sizeof(len));
}

/*
 * Size and header mutations on a built message: drop or add bytes at the
 * end, cut to any length >= 16, or make oh.len disagree with what is written.
 */
static void mutate(struct mb *m)
{
	static const uint8_t w[] = { 72, 6, 6, 4, 4, 8 };
	size_t len = m->len;

	set_hdr_len(m, (uint32_t)len);
	switch (PICK(m->r, w)) {
	case 0:
		return;
	case 1:
		fill(m, 1, chance(m->r, 50) ? 0 : -1);
		desc(m, " len=+1");
		break;
	case 2:
		if (len > sizeof(struct fuse_out_header))
			m->len--;
		desc(m, " len=-1");
		break;
	case 3:
		if (len > sizeof(struct fuse_out_header))
			m->len = sizeof(struct fuse_out_header) +
				 kd_below(m->r, (uint32_t)(len - sizeof(struct fuse_out_header)));
		desc(m, " len=cut:%zu", m->len);
		break;
	case 4: {
		uint32_t n = 1 + kd_below(m->r, 64);

		fill(m, n, -1);
		desc(m, " len=+%u", n);
		break;
	}
	default: {
		/* Header lies; the write is what was built. */
		const uint32_t lie[] = { (uint32_t)len + 1, (uint32_t)len - 1, 0, 16, 0xffffffffu,
					 (uint32_t)kd_next(m->r) };
		uint32_t l = lie[kd_below(m->r, 6)];

		set_hdr_len(m, l);
		desc(m, " oh.len=%u(write %zu)", l, len);
		return;
	}
	}
	set_hdr_len(m, (uint32_t)m->len);
}

static void gen_notify_code(struct mb *m, int32_t code, char *scratch, size_t scap)
{
	header(m, 0, code);
	desc(m, "%s", fw_notify_name((uint32_t)code));
	switch (code) {
	case FUSE_NOTIFY_POLL: gen_poll(m); break;
	case FUSE_NOTIFY_INVAL_INODE: gen_inval_inode(m); break;
	case FUSE_NOTIFY_INVAL_ENTRY: gen_inval_entry(m, scratch, scap); break;
	case FUSE_NOTIFY_STORE: gen_store(m); break;
	case FUSE_NOTIFY_RETRIEVE: gen_retrieve(m); break;
	case FUSE_NOTIFY_DELETE: gen_delete(m, scratch, scap); break;
	case FUSE_NOTIFY_PRUNE: gen_prune(m); break;
	default: gen_no_payload(m); break; /* RESEND, INC_EPOCH */
	}
	m->shape->bucket = code;
	mutate(m);
}

static void gen_unknown_code(struct mb *m)
{
	static const int32_t codes[] = { 0, 10, 11, 12, 16, 41, 255, 256, 2048, INT32_MAX,
					 -1, -2, -9, INT32_MIN };
	int32_t code = chance(m->r, 90) ? codes[kd_below(m->r, sizeof(codes) / sizeof(codes[0]))]
					: (int32_t)kd_next(m->r);

	/* keep the random one out of 1..9: those are the known codes */
	if (code >= 1 && code <= 9)
		code += 100;
	header(m, 0, code);
	desc(m, "code=%d", code);
	if (chance(m->r, 50))
		gen_no_payload(m);
	else
		gen_inval_inode(m);
	m->shape->bucket = KD_B_UNKNOWN;
	mutate(m);
}

/* A profile's own notification, as its encoder lays it out, at its code. */
static void gen_profile(struct mb *m, char *scratch, size_t scap)
{
	size_t np = fsn_profile_count(), i = kd_below(m->r, (uint32_t)np);
	const struct fsn_profile *p = fsn_profile_at(i);
	static const uint64_t masks[] = { IN_CREATE, IN_MODIFY, IN_DELETE | IN_ISDIR, IN_MOVED_FROM,
					  0, 1ull << 40 };
	struct fsn_notify n = {0};
	static const uint32_t nl[] = { 0, 1, 8, 255, 256, 1024 };
	uint32_t namelen = nl[kd_below(m->r, 6)];
	size_t got;
	char line[96];

	memset(scratch, 'x', namelen < scap ? namelen : scap);
	n.kind = FSN_REC_EVENT;
	if (fsn_codec_fixed_size(p, FSN_REC_RENAME) && chance(m->r, 20))
		n.kind = FSN_REC_RENAME;
	else if (fsn_codec_fixed_size(p, FSN_REC_OVERFLOW) && chance(m->r, 15))
		n.kind = FSN_REC_OVERFLOW;
	header(m, 0, p->notify_code);
	desc(m, "%s:", p->name);
	{
		struct kd_shape sink = {0};
		struct mb quiet = *m;

		quiet.shape = &sink; /* the codec's own line describes it */
		n.nodeid = pick_nodeid(&quiet, "n");
		n.child.nodeid = chance(m->r, 50) ? 0 : pick_nodeid(&quiet, "c");
		n.src_parent.nodeid = pick_nodeid(&quiet, "sp");
		n.dst_parent.nodeid = pick_nodeid(&quiet, "dp");
	}
	n.has_generation = p->generation_bits != 0;
	n.generation = chance(m->r, 70) ? 1 : (uint32_t)kd_next(m->r);
	n.child.generation = n.src_parent.generation = n.dst_parent.generation = 1;
	n.mask = chance(m->r, 85) ? masks[kd_below(m->r, 6)] : (uint32_t)kd_next(m->r);
	n.cookie = (uint32_t)kd_below(m->r, 4);
	n.name.name = scratch;
	n.name.namelen = namelen;
	n.src_name = n.name;
	n.dst_name.name = "f";
	n.dst_name.namelen = 1;
	n.lost = kd_below(m->r, 100);
	got = fsn_encode_notify(p, &n, m->buf + m->len, m->cap - m->len);
	if (!got) { /* not expressible in this profile: the plain event */
		n.kind = FSN_REC_EVENT;
		got = fsn_encode_notify(p, &n, m->buf + m->len, m->cap - m->len);
	}
	m->len += got;
	fsn_notify_describe(&n, line, sizeof(line));
	desc(m, " %s", line);
	m->shape->bucket = KD_B_PROFILE + (int)i;
	mutate(m);
}

/* A reply: the unique is never pending, so only the error range decides first. */
static void gen_reply(struct mb *m)
{
	static const uint64_t uniq[] = { 2, 4, 3, 0x5eed, 1ull << 63, U64_MAX_, U64_MAX_ - 1 };
	static const int32_t errs[] = { 0, -1, -ENOENT, -EAGAIN, -ENOSYS, -511, -512, -513,
					-1000, -1001, 1, 511, INT32_MIN, INT32_MAX };
	uint64_t unique = chance(m->r, 85) ? uniq[kd_below(m->r, 7)] : (kd_next(m->r) | 2);
	int32_t err = chance(m->r, 90) ? errs[kd_below(m->r, sizeof(errs) / sizeof(errs[0]))]
				       : (int32_t)kd_next(m->r);
	uint32_t plen = chance(m->r, 60) ? 0 : chance(m->r, 50) ? 8 : 1 + kd_below(m->r, 64);

	header(m, unique, err);
	fill(m, plen, -1);
	desc(m, "REPLY unique=%#llx error=%d payload=%u", (unsigned long long)unique, err, plen);
	m->shape->bucket = KD_B_REPLY;
	mutate(m);
}

/* Fewer bytes than a header: the first check of fuse_dev_do_write(). */
static void gen_short(struct mb *m)
{
	static const uint32_t lens[] = { 0, 1, 4, 8, 12, 15 };
	uint32_t n = lens[kd_below(m->r, 6)];

	m->len = 0;
	fill(m, n, -1);
	if (n >= 4 && chance(m->r, 50))
		memcpy(m->buf, &n, 4); /* a header len that matches what is written */
	desc(m, "SHORT write of %u bytes", n);
	m->shape->bucket = KD_B_SHORT;
}

size_t kd_generate(const struct kd_gen_cfg *cfg, uint64_t seed, uint64_t index, uint8_t *buf,
		   size_t cap, struct kd_shape *shape)
{
	/* notify codes 1..9, unknown codes, profiles, replies, short writes */
	static const uint8_t w[] = { 0, 6, 8, 14, 10, 10, 14, 4, 4, 10, 4, 6, 7, 3 };
	char scratch[NR_FUSE_NAME_MAX + 8];
	struct kd_rng r;
	struct mb m = {.buf = buf, .cap = cap, .shape = shape, .r = &r, .cfg = cfg};
	int kind;

	memset(shape, 0, sizeof(*shape));
	if (cap < KD_MSG_MAX)
		return 0;
	kd_rng_init(&r, seed, index);
	kind = PICK(&r, w);
	if (kind >= 1 && kind <= 9)
		gen_notify_code(&m, kind, scratch, sizeof(scratch));
	else if (kind == 10)
		gen_unknown_code(&m);
	else if (kind == 11)
		gen_profile(&m, scratch, sizeof(scratch));
	else if (kind == 12)
		gen_reply(&m);
	else
		gen_short(&m);
	return m.len;
}

const char *kd_bucket_name(int b)
{
	static const char *const names[KD_B__COUNT] = {
		[KD_B_UNKNOWN] = "unknown code", [KD_B_REPLY] = "reply", [KD_B_SHORT] = "short write",
	};

	if (b >= 1 && b <= 9)
		return fw_notify_name((uint32_t)b);
	if (b >= KD_B_PROFILE && b < KD_B_REPLY) {
		const struct fsn_profile *p = fsn_profile_at((size_t)(b - KD_B_PROFILE));

		return p ? p->name : "profile?";
	}
	return b >= 0 && b < KD_B__COUNT && names[b] ? names[b] : "?";
}

bool kd_needs_resync(const void *msg, size_t len, const struct nr_verdict *model, int kernel_err)
{
	const unsigned dcache = NR_EFF_DENTRY_UNHASHED | NR_EFF_DENTRY_EXPIRED |
				NR_EFF_DENTRY_DELETED | NR_EFF_EPOCH_BUMPED | NR_EFF_PRUNE;
	struct fuse_out_header oh;

	if (model->effects & dcache)
		return true;
	if (kernel_err != model->err)
		return true; /* the model was wrong: trust nothing it predicted */
	if (kernel_err || len < sizeof(oh))
		return false;
	memcpy(&oh, msg, sizeof(oh));
	/* accepted by both, and the model saw no effect: only if the code has one */
	return oh.unique == 0 &&
	       (oh.error == FUSE_NOTIFY_INVAL_ENTRY || oh.error == FUSE_NOTIFY_DELETE ||
		oh.error == FUSE_NOTIFY_INC_EPOCH || oh.error == FUSE_NOTIFY_PRUNE);
}

/* ---- learning the running kernel: feature probes ---- */

#define PROBE_UNIQUE 0x7ffffffffffffff0ull /* even, far above any unique a kernel hands out */

static size_t probe_poll(uint8_t *buf, size_t cap)
{
	struct fuse_notify_poll_wakeup_out o = {.kh = 0};

	return fw_notify_encode(buf, cap, FUSE_NOTIFY_POLL, &o, sizeof(o));
}

static size_t probe_floor(uint8_t *buf, size_t cap)
{
	return fw_reply_encode(buf, cap, PROBE_UNIQUE, -600, NULL, 0);
}

static size_t probe_resend(uint8_t *buf, size_t cap)
{
	return fw_notify_encode(buf, cap, FUSE_NOTIFY_RESEND, NULL, 0);
}

static size_t probe_inc_epoch(uint8_t *buf, size_t cap)
{
	return fw_notify_encode(buf, cap, FUSE_NOTIFY_INC_EPOCH, NULL, 0);
}

static size_t probe_prune(uint8_t *buf, size_t cap)
{
	struct fuse_notify_prune_out o = {.count = 0};

	return fw_notify_encode(buf, cap, FUSE_NOTIFY_PRUNE, &o, sizeof(o));
}

static size_t probe_long_name(uint8_t *buf, size_t cap)
{
	static char name[NR_FUSE_NAME_LOW_MAX + 1];
	struct fuse_notify_inval_entry_out o = {.parent = kd_object(KD_UNCACHED)->nodeid,
						.namelen = sizeof(name)};

	memset(name, 'p', sizeof(name));
	return fw_notify_encode_named(buf, cap, FUSE_NOTIFY_INVAL_ENTRY, &o, sizeof(o), name,
				      sizeof(name), 1);
}

static size_t probe_store_dir(uint8_t *buf, size_t cap)
{
	struct fuse_notify_store_out o = {.nodeid = FUSE_ROOT_ID, .offset = 0, .size = 0};

	return fw_notify_encode(buf, cap, FUSE_NOTIFY_STORE, &o, sizeof(o));
}

static size_t probe_store_offset(uint8_t *buf, size_t cap)
{
	struct fuse_notify_store_out o = {.nodeid = kd_object(KD_UNCACHED)->nodeid,
					  .offset = NR_MAX_LFS_FILESIZE, .size = 0};

	return fw_notify_encode(buf, cap, FUSE_NOTIFY_STORE, &o, sizeof(o));
}

/* In this order: the gate first, since with it every notification before INIT is EINVAL. */
static const struct kd_probe {
	enum kd_variant variant;
	const char *rule;  /* what having the variant means */
	const char *write; /* the probe message */
	size_t (*build)(uint8_t *buf, size_t cap);
} kd_probes[] = {
	{KD_V_GATE, "notifications before the INIT reply are refused (post-7.0 connection gate)",
	 "POLL before INIT", probe_poll},
	{KD_V_FLOOR_512, "reply errors need -512 < error (49221cf86d18), not -1000",
	 "reply error -600, unknown unique", probe_floor},
	{KD_V_RESEND, "notify code 7 RESEND exists (FUSE 7.40)", "RESEND, no payload",
	 probe_resend},
	{KD_V_INC_EPOCH, "notify code 8 INC_EPOCH exists (FUSE 7.44)", "INC_EPOCH, no payload",
	 probe_inc_epoch},
	{KD_V_PRUNE, "notify code 9 PRUNE exists (FUSE 7.45)", "PRUNE of 0 nodeids", probe_prune},
	{KD_V_LONG_NAMES, "INIT with max_pages > 1 raises name_max to 4095 (6.14)",
	 "INVAL_ENTRY, namelen 1025, uncached parent", probe_long_name},
	{KD_V_REGULAR_ONLY, "STORE/RETRIEVE on a non-regular inode is EINVAL (9c954499d43a)",
	 "STORE of 0 bytes on the root directory", probe_store_dir},
	{KD_V_OFFSET_LIMIT,
	 "STORE/RETRIEVE at offset >= MAX_LFS_FILESIZE is EINVAL (65161470f95b)",
	 "STORE at offset 2^63-1 of an uncached nodeid", probe_store_offset},
};

size_t kd_nprobes(void)
{
	return sizeof(kd_probes) / sizeof(kd_probes[0]);
}

static void set_variant(struct nr_kernel *k, enum kd_variant v, bool on)
{
	static const int32_t code[KD_V__COUNT] = {
		[KD_V_RESEND] = FUSE_NOTIFY_RESEND, [KD_V_INC_EPOCH] = FUSE_NOTIFY_INC_EPOCH,
		[KD_V_PRUNE] = FUSE_NOTIFY_PRUNE,
	};

	switch (v) {
	case KD_V_GATE: k->notify_needs_init = on; break;
	case KD_V_FLOOR_512: k->reply_error_floor = on ? -512 : -1000; break;
	case KD_V_RESEND: case KD_V_INC_EPOCH: case KD_V_PRUNE:
		k->codes = on ? k->codes | 1u << code[v] : k->codes & ~(1u << code[v]);
		break;
	case KD_V_LONG_NAMES: k->long_names = on; break;
	case KD_V_REGULAR_ONLY: k->pagecache_regular_only = on; break;
	case KD_V_OFFSET_LIMIT: k->pagecache_offset_limit = on; break;
	case KD_V__COUNT: break;
	}
}

static bool has_variant(const struct nr_kernel *k, enum kd_variant v)
{
	switch (v) {
	case KD_V_GATE: return k->notify_needs_init;
	case KD_V_FLOOR_512: return (k->reply_error_floor ? k->reply_error_floor : -512) == -512;
	case KD_V_RESEND: return nr_code_known(k, FUSE_NOTIFY_RESEND);
	case KD_V_INC_EPOCH: return nr_code_known(k, FUSE_NOTIFY_INC_EPOCH);
	case KD_V_PRUNE: return nr_code_known(k, FUSE_NOTIFY_PRUNE);
	case KD_V_LONG_NAMES: return k->long_names;
	case KD_V_REGULAR_ONLY: return k->pagecache_regular_only;
	case KD_V_OFFSET_LIMIT: return k->pagecache_offset_limit;
	case KD_V__COUNT: break;
	}
	return false;
}

void kd_kernel_start(struct kd_learned *l, uint32_t offered_minor)
{
	memset(l, 0, sizeof(*l));
	nr_kernel_preset(&l->k, NR_PRESET__COUNT); /* the zeroed defaults */
	l->k.name = "learned from probes";
	l->k.minor = offered_minor;
	/* Until a probe settles them, the codes are those of the offered minor. */
	for (int32_t c = 1; c < 32; c++)
		if (nr_code_since_minor(c) && nr_code_since_minor(c) <= offered_minor)
			l->k.codes |= 1u << c;
	l->k.reply_error_floor = -512;
}

size_t kd_probe_build(size_t i, uint8_t *buf, size_t cap)
{
	return i < kd_nprobes() ? kd_probes[i].build(buf, cap) : 0;
}

/* The model's errno for msg with variant v on or off, name_max as this connection has it. */
static int predict_with(const struct nr_kernel *k, enum kd_variant v, bool on,
			const struct nr_state *st, const struct fuse_init_out *init,
			const uint8_t *msg, size_t len, struct nr_verdict *out)
{
	struct nr_kernel kv = *k;

	set_variant(&kv, v, on);
	kv.name_max = st->before_init || !init ? NR_FUSE_NAME_LOW_MAX : nr_name_max_from_init(&kv, init);
	return nr_predict_ex(&kv, st, msg, len, out);
}

int kd_probe_judge(struct kd_learned *l, size_t i, const struct nr_state *st,
		   const struct fuse_init_out *init, const uint8_t *msg, size_t len, int kerr,
		   struct nr_verdict *v, char *line, size_t cap)
{
	const struct kd_probe *p = &kd_probes[i];
	struct nr_verdict with, without;
	int e_with = predict_with(&l->k, p->variant, true, st, init, msg, len, &with);
	int e_without = predict_with(&l->k, p->variant, false, st, init, msg, len, &without);
	int rc = 0;

	if (e_with == e_without) {
		/* Both variants answer alike here: nothing to learn, but the kernel must agree. */
		rc = kerr == e_with ? 0 : -1;
		*v = with;
		snprintf(line, cap, "probe %s: kernel %s, the model %s with or without: %s", p->write,
			 nr_errno_name(kerr), nr_errno_name(e_with),
			 rc ? "NEITHER: a kernel the model does not know" : "not settled here");
	} else if (kerr == e_with || kerr == e_without) {
		bool on = kerr == e_with;

		set_variant(&l->k, p->variant, on);
		l->state[p->variant] = on ? KD_HAS : KD_LACKS;
		*v = on ? with : without;
		snprintf(line, cap, "probe %s: kernel %s -> %s: %s (the model: %s with, %s without)",
			 p->write, nr_errno_name(kerr), on ? "HAS" : "LACKS", p->rule,
			 nr_errno_name(e_with), nr_errno_name(e_without));
	} else {
		rc = -1;
		*v = with;
		snprintf(line, cap, "probe %s: kernel %s, the model %s with and %s without \"%s\": "
			 "NEITHER: a kernel the model does not know", p->write, nr_errno_name(kerr),
			 nr_errno_name(e_with), nr_errno_name(e_without), p->rule);
	}
	if (rc)
		l->state[p->variant] = KD_CONFLICT;
	return rc;
}

void kd_learned_name(const struct kd_learned *l, char *out, size_t cap)
{
	size_t o = 0;
	int settled = 0, nmatch = 0;

	for (int v = 0; v < KD_V__COUNT; v++)
		settled += l->state[v] == KD_HAS || l->state[v] == KD_LACKS;
	o += (size_t)snprintf(out, cap, "%d of %d rule variants settled by probes; presets that "
			      "agree with every one:", settled, KD_V__COUNT);
	for (int p = 0; p < NR_PRESET__COUNT && o < cap; p++) {
		struct nr_kernel pk;
		bool agree = true;

		nr_kernel_preset(&pk, (enum nr_preset)p);
		for (int v = 0; v < KD_V__COUNT; v++)
			if ((l->state[v] == KD_HAS || l->state[v] == KD_LACKS) &&
			    has_variant(&pk, (enum kd_variant)v) != (l->state[v] == KD_HAS))
				agree = false;
		if (agree) {
			o += (size_t)snprintf(out + o, cap - o, "%s %s", nmatch ? "," : "", pk.name);
			nmatch++;
		}
	}
	if (!nmatch && o < cap)
		snprintf(out + o, cap - o, " none (a kernel no preset describes: the probes are the model)");
}

char *kd_hex(const void *msg, size_t len, size_t max, char *out, size_t cap)
{
	const uint8_t *p = msg;
	size_t o = 0;

	if (!cap)
		return out;
	out[0] = 0;
	for (size_t i = 0; i < len && i < max && o + 4 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%02x", i ? (i % 8 ? " " : " | ") : "", p[i]);
	if (len > max && o < cap)
		snprintf(out + o, cap - o, " ... (+%zu)", len - max);
	return out;
}
