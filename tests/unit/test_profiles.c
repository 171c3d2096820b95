// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_profiles.c - the remote-fsnotify profiles and their codecs.
 *
 * Messages are built here byte by byte, independently of the encoder, so the
 * offsets documented in docs/fsn-1.md are pinned by the tests, not only by the
 * codec agreeing with itself.  Every decode runs on an exact-size heap copy so
 * AddressSanitizer sees any read past the message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsn_codec.h"
#include "profiles.h"
#include "wire.h"

/* ---- helpers ---- */

static const struct fsn_profile *prof(const char *name)
{
	const struct fsn_profile *p = fsn_profile_by_name(name);

	assert_non_null(p);
	return p;
}

/*
 * A copy of a profile that enforces nothing: the codec must follow the rules
 * as data, so a layout with a terminator slot and no bounds must still decode
 * without overreads, record every defect, and round-trip byte for byte.
 */
static struct fsn_profile permissive(const char *name)
{
	struct fsn_profile p = *prof(name);

	p.rules = FSN_RULE_TRUNCATE_MASK_32;
	return p;
}

struct msg {
	uint8_t b[2048];
	size_t n;
};

static void m_u32(struct msg *m, uint32_t v)
{
	memcpy(m->b + m->n, &v, sizeof(v));
	m->n += sizeof(v);
}

static void m_u64(struct msg *m, uint64_t v)
{
	memcpy(m->b + m->n, &v, sizeof(v));
	m->n += sizeof(v);
}

static void m_bytes(struct msg *m, const void *s, size_t n)
{
	memcpy(m->b + m->n, s, n);
	m->n += n;
}

static void m_byte(struct msg *m, uint8_t c)
{
	m->b[m->n++] = c;
}

/* A name of n bytes of 'a'. */
static const char *long_name(size_t n)
{
	static char buf[1024];

	assert_true(n < sizeof(buf));
	memset(buf, 'a', n);
	buf[n] = '\0';
	return buf;
}

/* Exact-size heap copy: any read past it is an ASan report. */
static uint8_t *heap(const void *src, size_t n)
{
	uint8_t *x = malloc(n ? n : 1);

	assert_non_null(x);
	if (n)
		memcpy(x, src, n);
	return x;
}

static void assert_round_trip(const struct fsn_profile *p, const uint8_t *x, size_t len,
			      const struct fsn_notify *n)
{
	uint8_t out[4096];
	size_t w = fsn_encode_notify(p, n, out, sizeof(out));

	assert_int_equal(w, len);
	assert_memory_equal(out, x, len);
}

/* Decode m under p; expect err, and on acceptance exactly `defects` and a byte-exact round trip. */
static void expect(const struct fsn_profile *p, const struct msg *m, int err, uint32_t defects)
{
	struct fsn_notify n;
	uint8_t *x = heap(m->b, m->n);
	int got = fsn_decode_notify(p, x, m->n, &n);

	if (got != err)
		fail_msg("%s: verdict %d, expected %d (len %zu)", p->name, got, err, m->n);
	if (!err) {
		if (n.defects != defects)
			fail_msg("%s: defects 0x%x, expected 0x%x", p->name, n.defects, defects);
		assert_round_trip(p, x, m->n, &n);
	}
	free(x);
}

/* ---- message builders (layouts as documented) ---- */

static void rfc_msg(struct msg *m, uint64_t nodeid, uint64_t mask, uint32_t namelen,
		    uint32_t cookie, const char *name)
{
	m->n = 0;
	m_u64(m, nodeid);
	m_u64(m, mask);
	m_u32(m, namelen);
	m_u32(m, cookie);
	if (name)
		m_bytes(m, name, strlen(name));
}

struct gen_fields {
	uint64_t nodeid;
	uint32_t generation, reserved0;
	uint64_t mask;
	uint32_t namelen, cookie, flags, reserved1;
	uint64_t reserved2;
};

static void gen_msg(struct msg *m, const struct gen_fields *f, const char *name, int term)
{
	m->n = 0;
	m_u64(m, f->nodeid);
	m_u32(m, f->generation);
	m_u32(m, f->reserved0);
	m_u64(m, f->mask);
	m_u32(m, f->namelen);
	m_u32(m, f->cookie);
	m_u32(m, f->flags);
	m_u32(m, f->reserved1);
	m_u64(m, f->reserved2);
	if (name)
		m_bytes(m, name, strlen(name));
	if (term >= 0)
		m_byte(m, (uint8_t)term);
}

struct ev_fields {
	uint32_t type, flags;
	uint64_t nodeid, generation, mask, child, child_generation;
	uint32_t namelen, padding;
};

static void ev_msg(struct msg *m, const struct ev_fields *f, const char *name, int term)
{
	m->n = 0;
	m_u32(m, f->type);
	m_u32(m, f->flags);
	m_u64(m, f->nodeid);
	m_u64(m, f->generation);
	m_u64(m, f->mask);
	m_u64(m, f->child);
	m_u64(m, f->child_generation);
	m_u32(m, f->namelen);
	m_u32(m, f->padding);
	if (name)
		m_bytes(m, name, strlen(name));
	if (term >= 0)
		m_byte(m, (uint8_t)term);
}

struct rn_fields {
	uint32_t type, flags;
	uint64_t src, src_generation, dst, dst_generation, child, child_generation, mask;
	uint32_t src_namelen, dst_namelen;
};

static void rn_msg(struct msg *m, const struct rn_fields *f, const char *src, int src_term,
		   const char *dst, int dst_term)
{
	m->n = 0;
	m_u32(m, f->type);
	m_u32(m, f->flags);
	m_u64(m, f->src);
	m_u64(m, f->src_generation);
	m_u64(m, f->dst);
	m_u64(m, f->dst_generation);
	m_u64(m, f->child);
	m_u64(m, f->child_generation);
	m_u64(m, f->mask);
	m_u32(m, f->src_namelen);
	m_u32(m, f->dst_namelen);
	if (src)
		m_bytes(m, src, strlen(src));
	if (src_term >= 0)
		m_byte(m, (uint8_t)src_term);
	if (dst)
		m_bytes(m, dst, strlen(dst));
	if (dst_term >= 0)
		m_byte(m, (uint8_t)dst_term);
}

static void ov_msg(struct msg *m, uint32_t type, uint32_t flags, uint64_t lost)
{
	m->n = 0;
	m_u32(m, type);
	m_u32(m, flags);
	m_u64(m, lost);
}

/* Well-formed messages of each profile. */
static struct ev_fields ev_named(void)
{
	return (struct ev_fields){ .type = FSN_REC_EVENT, .nodeid = 2, .generation = 3,
				   .mask = IN_CREATE, .child = 9, .child_generation = 1,
				   .namelen = 5 };
}

static struct ev_fields ev_plain(void)
{
	return (struct ev_fields){ .type = FSN_REC_EVENT, .nodeid = 5, .generation = 7,
				   .mask = IN_MODIFY };
}

static struct rn_fields rn_good(void)
{
	return (struct rn_fields){ .type = FSN_REC_RENAME, .src = 2, .src_generation = 3,
				   .dst = 4, .dst_generation = 5, .child = 9,
				   .child_generation = 1, .src_namelen = 1, .dst_namelen = 2 };
}

static struct gen_fields gen_named(void)
{
	return (struct gen_fields){ .nodeid = 2, .generation = 3, .mask = IN_CREATE,
				    .namelen = 5, .cookie = 0 };
}

/* Every well-formed message, for the sweeps: profile, bytes. */
struct sample {
	const char *profile;
	struct msg m;
};

static size_t samples(struct sample *s, size_t max)
{
	size_t k = 0;
	struct ev_fields e;
	struct rn_fields r;
	struct gen_fields g;

	assert_true(max >= 9);
	memset(s, 0, sizeof(*s) * max); /* bytes past m.n are read by the "extend" mutation */
	s[k].profile = "rfc-2021";
	rfc_msg(&s[k++].m, 5, IN_MODIFY, 0, 0, NULL);
	s[k].profile = "rfc-2021";
	rfc_msg(&s[k].m, 2, IN_MOVED_FROM, 5, 77, "a.txt");
	m_byte(&s[k++].m, 0);
	g = gen_named();
	g.namelen = 0;
	g.mask = IN_ATTRIB;
	s[k].profile = "gen-2021";
	gen_msg(&s[k++].m, &g, NULL, -1);
	g = gen_named();
	s[k].profile = "gen-2021";
	gen_msg(&s[k++].m, &g, "a.txt", 0);
	e = ev_plain();
	s[k].profile = "fsn-1";
	ev_msg(&s[k++].m, &e, NULL, -1);
	e = ev_named();
	s[k].profile = "fsn-1";
	ev_msg(&s[k++].m, &e, "a.txt", 0);
	r = rn_good();
	s[k].profile = "fsn-1";
	rn_msg(&s[k++].m, &r, "a", 0, "bb", 0);
	s[k].profile = "fsn-1";
	ov_msg(&s[k++].m, FSN_REC_OVERFLOW, 0, 12);
	e = ev_named();
	e.namelen = FSN_NAME_MAX;
	s[k].profile = "fsn-1";
	ev_msg(&s[k++].m, &e, long_name(FSN_NAME_MAX), 0);
	return k;
}

/* ================= profile table ================= */

static void test_table_lookup(void **state)
{
	static const char *const names[] = { "rfc-2021", "gen-2021", "fsn-1" };

	assert_int_equal(fsn_profile_count(), 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(fsn_profile_at(i)->name, names[i]);
		assert_ptr_equal(fsn_profile_by_name(names[i]), fsn_profile_at(i));
	}
	assert_null(fsn_profile_at(3));
	assert_null(fsn_profile_by_name("rfc"));
	assert_null(fsn_profile_by_name(""));
	assert_null(fsn_profile_by_name(NULL));
}

static void test_table_consistent(void **state)
{
	for (size_t i = 0; i < fsn_profile_count(); i++) {
		const struct fsn_profile *p = fsn_profile_at(i);
		bool trunc = p->rules & FSN_RULE_TRUNCATE_MASK_32;
		bool reject = p->rules & FSN_RULE_REJECT_MASK_ABOVE_32;

		/* data agrees with the codec's own layouts */
		assert_int_equal(fsn_codec_fixed_size(p, FSN_REC_EVENT), p->notify_fixed_size);
		assert_int_equal(fsn_codec_fixed_size(p, FSN_REC_RENAME), p->rename_fixed_size);
		assert_int_equal(fsn_codec_fixed_size(p, FSN_REC_OVERFLOW), p->overflow_fixed_size);
		struct fsn_request rq = { .nodeid = 1 };
		uint8_t buf[64];
		assert_int_equal(fsn_encode_request(p, &rq, buf, sizeof(buf)), p->request_size);

		/* fields that say the same thing twice say it the same way */
		assert_int_equal(p->has_overflow, p->overflow_fixed_size != 0);
		assert_int_equal(p->rename == FSN_RENAME_ONE_RECORD, p->rename_fixed_size != 0);
		assert_int_equal(p->identity == FSN_IDENTITY_NODEID_GEN, p->generation_bits != 0);
		assert_int_equal(p->identity == FSN_IDENTITY_NODEID_GEN, p->err_stale_generation != 0);
		assert_true(trunc != reject); /* exactly one says what happens to bits 32..63 */
		assert_int_equal(p->notify_fixed_size % 8, 0); /* 64-bit aligned, as FUSE structs */
		assert_int_equal(p->request_size % 8, 0);
		assert_true(p->needs_minor <= FUSE_KERNEL_MINOR_VERSION);
		assert_true(p->notify_code > 0);
		assert_int_equal(__builtin_popcount(p->init_bit), 1);
		/* every rule a profile uses is described */
		for (unsigned bit = 0; bit < 32; bit++)
			if (p->rules & (1u << bit))
				assert_non_null(fsn_rule_info(1u << bit));
	}
}

static void test_rules_by_profile(void **state)
{
	const struct fsn_profile *rfc = prof("rfc-2021"), *gen = prof("gen-2021"), *f1 = prof("fsn-1");

	/* as posted: nothing is validated, the mask is truncated */
	assert_int_equal(rfc->rules, FSN_RULE_TRUNCATE_MASK_32);
	assert_true(rfc->behaviour & FSN_BEHAV_LEAKS_LOCK_ON_UNKNOWN_NODEID);
	assert_true(rfc->behaviour & FSN_BEHAV_SUPPRESSES_LOCAL_EVENTS);
	assert_int_equal(rfc->request, FSN_REQUEST_RAW_USER_MASK_WITH_GROUP_POINTER);
	assert_int_equal(rfc->identity, FSN_IDENTITY_NODEID_ONLY);
	assert_int_equal(rfc->rename, FSN_RENAME_COOKIE_PAIR);
	/* this project's reading of the counter-proposal */
	assert_true(gen->rules & FSN_RULE_NAMELEN_BOUND_BY_MSG);
	assert_true(gen->rules & FSN_RULE_NAMELEN_BOUND_NAME_MAX);
	assert_true(gen->rules & FSN_RULE_REQUIRE_NUL);
	assert_true(gen->rules & FSN_RULE_RESERVED_ZERO);
	assert_false(gen->rules & FSN_RULE_REJECT_ZERO_NODEID);
	assert_false(gen->rules & FSN_RULE_ALLOWED_MASK);
	assert_int_equal(gen->generation_bits, 32);
	/* fsn-1 enforces every rule there is */
	for (size_t i = 0; i < fsn_rule_count(); i++) {
		const struct fsn_rule_info *ri = fsn_rule_at(i);

		if (ri->rule != FSN_RULE_TRUNCATE_MASK_32)
			assert_true(f1->rules & ri->rule);
	}
	assert_false(f1->rules & FSN_RULE_TRUNCATE_MASK_32);
	assert_int_equal(f1->identity, FSN_IDENTITY_NODEID_GEN);
	assert_int_equal(f1->generation_bits, 64);
	assert_int_equal(f1->rename, FSN_RENAME_ONE_RECORD);
	assert_true(f1->has_overflow);
	assert_int_equal(f1->request, FSN_REQUEST_AGGREGATED_MASK);
	/* One source per bit: only the change class travels, and it is suppressed locally. */
	assert_int_equal(f1->allowed_mask, FSN_CHANGE_MASK | IN_ISDIR);
	assert_int_equal(f1->local_suppressed_mask, FSN_CHANGE_MASK);
	assert_int_equal(f1->allowed_mask & f1->local_suppressed_mask & ~IN_ISDIR, FSN_CHANGE_MASK);
	assert_false(f1->request_allowed_mask & (IN_ONESHOT | IN_MASK_ADD | IN_EXCL_UNLINK |
						 IN_DONT_FOLLOW | IN_ONLYDIR | IN_ISDIR));
}

static void test_rule_table(void **state)
{
	assert_true(fsn_rule_count() >= 10);
	assert_null(fsn_rule_at(fsn_rule_count()));
	assert_null(fsn_rule_info(1u << 31));
	for (size_t i = 0; i < fsn_rule_count(); i++) {
		const struct fsn_rule_info *ri = fsn_rule_at(i);

		assert_ptr_equal(fsn_rule_info(ri->rule), ri);
		assert_non_null(ri->why);
		if (ri->rule == FSN_RULE_TRUNCATE_MASK_32) {
			assert_int_equal(ri->err, 0); /* descriptive */
			continue;
		}
		assert_true(ri->err == EINVAL || ri->err == ENAMETOOLONG);
		assert_string_not_equal(fsn_defect_name(ri->defect), "?");
	}
	assert_int_equal(fsn_rule_info(FSN_RULE_NAMELEN_BOUND_NAME_MAX)->err, ENAMETOOLONG);
	assert_string_equal(fsn_defect_name(FSN_DEFECT_MASK_TRUNCATED), "MASK_TRUNCATED");
	assert_string_equal(fsn_defect_name(0), "?");
	assert_string_equal(fsn_record_name(FSN_REC_RENAME), "RENAME");
	assert_string_equal(fsn_record_name((enum fsn_record)0), "?");
}

static void test_rfc2021_collides(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");

	assert_int_equal(p->fsnotify_opcode, FUSE_TMPFILE);
	assert_int_equal(p->notify_code, FUSE_NOTIFY_INC_EPOCH);
	assert_int_equal(p->init_word, FSN_INIT_FLAGS);
	assert_int_equal(p->init_bit, FUSE_INIT_EXT);
	assert_int_equal(p->minor, 36);
	assert_true(fsn_mainline_takes(FSN_NUM_OPCODE, p->fsnotify_opcode));
	assert_true(fsn_mainline_takes(FSN_NUM_NOTIFY, (uint32_t)p->notify_code));
	assert_true(fsn_mainline_takes(FSN_NUM_INIT_FLAG, p->init_bit));
	assert_true(fsn_mainline_takes(FSN_NUM_MINOR, p->minor));
}

static void test_gen2021_keeps_rfc_numbers(void **state)
{
	const struct fsn_profile *rfc = prof("rfc-2021"), *gen = prof("gen-2021");

	assert_int_equal(gen->fsnotify_opcode, rfc->fsnotify_opcode);
	assert_int_equal(gen->notify_code, rfc->notify_code);
	assert_int_equal(gen->init_bit, rfc->init_bit);
	assert_int_equal(gen->init_word, rfc->init_word);
	assert_int_equal(gen->request_wire, rfc->request_wire);
	assert_int_equal(gen->request_size, rfc->request_size);
}

static void test_fsn1_clear_of_mainline(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	const uint32_t flags2_taken = FUSE2_SECURITY_CTX | FUSE2_HAS_INODE_DAX |
				      FUSE2_CREATE_SUPP_GROUP | FUSE2_HAS_EXPIRE_ONLY |
				      FUSE2_DIRECT_IO_ALLOW_MMAP | FUSE2_PASSTHROUGH |
				      FUSE2_NO_EXPORT_SUPPORT | FUSE2_HAS_RESEND |
				      FUSE2_ALLOW_IDMAP | FUSE2_OVER_IO_URING |
				      FUSE2_REQUEST_TIMEOUT;

	/* against wire.h directly */
	assert_true(p->fsnotify_opcode > FUSE_OPCODE_MAX_KNOWN);
	assert_true(p->fsnotify_opcode != 4096); /* CUSE_INIT */
	assert_true(p->notify_code > FUSE_NOTIFY_CODE_MAX_KNOWN);
	assert_int_equal(p->init_word, FSN_INIT_FLAGS2);
	assert_int_equal(p->init_bit & flags2_taken, 0);
	assert_int_equal(p->minor, 0); /* claims no minor of mainline's */
	/* and against the profile module's own knowledge */
	assert_false(fsn_mainline_takes(FSN_NUM_OPCODE, p->fsnotify_opcode));
	assert_false(fsn_mainline_takes(FSN_NUM_NOTIFY, (uint32_t)p->notify_code));
	assert_false(fsn_mainline_takes(FSN_NUM_INIT_FLAG2, p->init_bit));
	/* clear of the growing ends, not just of today's values */
	assert_true(p->fsnotify_opcode >= FUSE_OPCODE_MAX_KNOWN + 1000);
	assert_true(p->fsnotify_opcode < 4096);
	assert_true(p->notify_code >= FUSE_NOTIFY_CODE_MAX_KNOWN + 1000);
	assert_true(p->init_bit > FUSE2_REQUEST_TIMEOUT << 16);
	assert_true(p->init_bit < (1u << 30)); /* below where a flags3 marker would go */
	/* no collision row can be about fsn-1 */
	for (size_t i = 0; i < fsn_collision_count(); i++) {
		const struct fsn_collision *c = fsn_collision_at(i);

		if (c->kind == FSN_NUM_OPCODE)
			assert_int_not_equal(c->number, p->fsnotify_opcode);
		if (c->kind == FSN_NUM_NOTIFY)
			assert_int_not_equal(c->number, (uint32_t)p->notify_code);
	}
}

static void test_collision_table(void **state)
{
	const struct fsn_profile *rfc = prof("rfc-2021");
	bool seen_opcode = false, seen_notify = false, seen_init = false, seen_minor = false;
	bool seen_resend = false;

	assert_int_equal(fsn_collision_count(), 5);
	assert_null(fsn_collision_at(fsn_collision_count()));
	for (size_t i = 0; i < fsn_collision_count(); i++) {
		const struct fsn_collision *c = fsn_collision_at(i);

		assert_true(fsn_mainline_takes(c->kind, c->number));
		assert_true(c->mainline_minor <= FUSE_KERNEL_MINOR_VERSION);
		assert_non_null(c->hazard);
		switch (c->kind) {
		case FSN_NUM_OPCODE:
			assert_int_equal(c->number, rfc->fsnotify_opcode);
			assert_int_equal(c->number, FUSE_TMPFILE);
			assert_int_equal(c->mainline_minor, 37);
			seen_opcode = true;
			break;
		case FSN_NUM_NOTIFY:
			if (c->number == FUSE_NOTIFY_RESEND) {
				assert_int_equal(c->mainline_minor, 40);
				seen_resend = true;
			} else {
				assert_int_equal(c->number, (uint32_t)rfc->notify_code);
				assert_int_equal(c->number, FUSE_NOTIFY_INC_EPOCH);
				assert_int_equal(c->mainline_minor, 44);
				seen_notify = true;
			}
			break;
		case FSN_NUM_INIT_FLAG:
			assert_int_equal(c->number, rfc->init_bit);
			assert_int_equal(c->number, FUSE_INIT_EXT);
			seen_init = true;
			break;
		case FSN_NUM_MINOR:
			assert_int_equal(c->number, rfc->minor);
			seen_minor = true;
			break;
		case FSN_NUM_INIT_FLAG2:
			fail();
		}
	}
	assert_true(seen_opcode && seen_notify && seen_init && seen_minor && seen_resend);
}

static void test_mainline_takes(void **state)
{
	assert_true(fsn_mainline_takes(FSN_NUM_OPCODE, 0));
	assert_true(fsn_mainline_takes(FSN_NUM_OPCODE, FUSE_LOOKUP));
	assert_true(fsn_mainline_takes(FSN_NUM_OPCODE, FUSE_COPY_FILE_RANGE_64));
	assert_true(fsn_mainline_takes(FSN_NUM_OPCODE, 4096));
	assert_true(fsn_mainline_takes(FSN_NUM_OPCODE, 4096u << 8));
	assert_true(fsn_mainline_takes(FSN_NUM_OPCODE, (uint32_t)FUSE_INIT << 24));
	assert_false(fsn_mainline_takes(FSN_NUM_OPCODE, FUSE_OPCODE_MAX_KNOWN + 1));
	assert_true(fsn_mainline_takes(FSN_NUM_NOTIFY, FUSE_NOTIFY_PRUNE));
	assert_false(fsn_mainline_takes(FSN_NUM_NOTIFY, FUSE_NOTIFY_CODE_MAX_KNOWN + 1));
	assert_true(fsn_mainline_takes(FSN_NUM_INIT_FLAG, FUSE_INIT_RESERVED));
	assert_true(fsn_mainline_takes(FSN_NUM_INIT_FLAG2, FUSE2_REQUEST_TIMEOUT));
	assert_false(fsn_mainline_takes(FSN_NUM_INIT_FLAG2, FUSE2_REQUEST_TIMEOUT << 1));
	assert_true(fsn_mainline_takes(FSN_NUM_MINOR, FUSE_KERNEL_MINOR_VERSION));
	assert_false(fsn_mainline_takes(FSN_NUM_MINOR, FUSE_KERNEL_MINOR_VERSION + 1));
}

/* ================= rfc-2021 ================= */

static void test_rfc_layout_round_trip(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	rfc_msg(&m, 0x0102030405060708ull, IN_MODIFY, 0, 0xabcdef01u, NULL);
	assert_int_equal(m.n, 24);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.kind, FSN_REC_EVENT);
	assert_int_equal(n.nodeid, 0x0102030405060708ull);
	assert_false(n.has_generation);
	assert_int_equal(n.mask, IN_MODIFY);
	assert_int_equal(n.mask32, IN_MODIFY);
	assert_int_equal(n.cookie, 0xabcdef01u);
	assert_int_equal(n.name.namelen, 0);
	assert_int_equal(n.defects, 0);
	assert_int_equal(n.consumed, 24);
	assert_round_trip(p, x, m.n, &n);
	free(x);
}

static void test_rfc_named(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	/* the layout as specified: 24 + namelen, no NUL; inotify's strcpy reads past */
	rfc_msg(&m, 2, IN_MOVED_FROM, 5, 77, "a.txt");
	expect(p, &m, 0, FSN_DEFECT_NO_NUL);
	/* with a NUL after it: safe for strcpy, but a byte the message does not claim */
	m_byte(&m, 0);
	expect(p, &m, 0, FSN_DEFECT_TRAILING_BYTES);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.name.namelen, 5);
	assert_memory_equal(n.name.name, "a.txt", 5);
	assert_ptr_equal(n.name.name, x + 24);
	assert_int_equal(n.cookie, 77);
	assert_int_equal(n.consumed, 29);
	assert_int_equal(n.trailinglen, 1);
	free(x);
}

static void test_rfc_namelen_past_message(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	rfc_msg(&m, 2, IN_CREATE, 40, 0, "abc"); /* claims 40, carries 3 */
	expect(p, &m, 0, FSN_DEFECT_NAME_UNBOUNDED | FSN_DEFECT_NO_NUL);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.consumed, 64);
	assert_int_equal(n.name.missing, 37);
	assert_int_equal(fsn_name_present(&n.name), 3);
	assert_true(n.name.term_missing);
	free(x);
}

static void test_rfc_namelen_above_name_max(void **state)
{
	struct msg m;

	rfc_msg(&m, 2, IN_CREATE, 300, 0, long_name(300));
	m_byte(&m, 0);
	expect(prof("rfc-2021"), &m, 0, FSN_DEFECT_NAME_TOO_LONG | FSN_DEFECT_TRAILING_BYTES);
}

static void test_rfc_huge_namelen(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	rfc_msg(&m, 2, IN_CREATE, 0xffffffffu, 0, "ab");
	expect(p, &m, 0,
	       FSN_DEFECT_NAME_UNBOUNDED | FSN_DEFECT_NAME_TOO_LONG | FSN_DEFECT_NO_NUL);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.consumed, (size_t)24 + 0xffffffffu); /* no 32-bit wrap */
	assert_int_equal(n.name.missing, 0xffffffffu - 2);
	free(x);
}

static void test_rfc_embedded_nul(void **state)
{
	struct msg m;

	rfc_msg(&m, 2, IN_CREATE, 5, 0, "ab");
	m_byte(&m, 0);
	m_bytes(&m, "cd", 2);
	m_byte(&m, 0);
	expect(prof("rfc-2021"), &m, 0, FSN_DEFECT_NO_NUL | FSN_DEFECT_TRAILING_BYTES);
}

static void test_rfc_mask(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	rfc_msg(&m, 5, (1ull << 40) | IN_MODIFY, 0, 0, NULL);
	expect(p, &m, 0, FSN_DEFECT_MASK_TRUNCATED);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.mask, (1ull << 40) | IN_MODIFY);
	assert_int_equal(n.mask32, IN_MODIFY);
	free(x);
	/* kernel-only bits reach fsnotify() */
	rfc_msg(&m, 5, IN_Q_OVERFLOW | IN_MODIFY, 0, 0, NULL);
	expect(p, &m, 0, FSN_DEFECT_MASK_UNCHECKED);
	rfc_msg(&m, 5, 0x08000000u | IN_MODIFY, 0, 0, NULL); /* FS_EVENT_ON_CHILD */
	expect(p, &m, 0, FSN_DEFECT_MASK_UNCHECKED);
}

static void test_rfc_zero_nodeid_and_shape(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct msg m;

	rfc_msg(&m, 0, IN_MODIFY, 0, 0, NULL);
	expect(p, &m, 0, FSN_DEFECT_ZERO_NODEID);
	rfc_msg(&m, 5, IN_CREATE, 0, 0, NULL); /* a create with no name */
	expect(p, &m, 0, FSN_DEFECT_RECORD_SHAPE);
	rfc_msg(&m, 5, 0, 0, 0, NULL); /* no event at all */
	expect(p, &m, 0, FSN_DEFECT_RECORD_SHAPE);
	rfc_msg(&m, 5, IN_ISDIR, 0, 0, NULL);
	expect(p, &m, 0, FSN_DEFECT_RECORD_SHAPE);
}

static void test_rfc_short(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct fsn_notify n;
	struct msg m;

	rfc_msg(&m, 5, IN_MODIFY, 0, 0, NULL);
	m.n = 23;
	expect(p, &m, EINVAL, 0);
	/* one byte short of a named message: as posted, read past (here: clamped) */
	rfc_msg(&m, 2, IN_CREATE, 5, 0, "a.txt");
	m.n -= 1;
	expect(p, &m, 0, FSN_DEFECT_NAME_UNBOUNDED | FSN_DEFECT_NO_NUL);
	m.n = 0;
	expect(p, &m, EINVAL, 0);
	assert_int_equal(fsn_decode_notify(p, NULL, 0, &n), EINVAL);
	assert_int_equal(fsn_decode_notify(p, NULL, 24, &n), EINVAL);
}

static void test_rfc_kinds_not_expressible(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct fsn_notify n = { .kind = FSN_REC_RENAME, .src_parent = { 2, 0 },
				.dst_parent = { 3, 0 } };
	uint8_t buf[256];

	assert_int_equal(fsn_encode_notify(p, &n, buf, sizeof(buf)), 0);
	n.kind = FSN_REC_OVERFLOW;
	assert_int_equal(fsn_encode_notify(p, &n, buf, sizeof(buf)), 0);
	assert_int_equal(fsn_encode_notify(prof("gen-2021"), &n, buf, sizeof(buf)), 0);
	n.kind = (enum fsn_record)0;
	assert_int_equal(fsn_encode_notify(prof("fsn-1"), &n, buf, sizeof(buf)), 0);
}

/* ================= gen-2021 ================= */

static void test_gen_layout_round_trip(void **state)
{
	const struct fsn_profile *p = prof("gen-2021");
	struct gen_fields g = gen_named();
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	g.nodeid = 0x1122334455667788ull;
	g.generation = 0xdeadbeefu;
	g.cookie = 42;
	gen_msg(&m, &g, "a.txt", 0);
	assert_int_equal(m.n, 48 + 5 + 1);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.nodeid, 0x1122334455667788ull);
	assert_true(n.has_generation);
	assert_int_equal(n.generation, 0xdeadbeefu);
	assert_int_equal(n.mask, IN_CREATE);
	assert_int_equal(n.cookie, 42);
	assert_int_equal(n.name.namelen, 5);
	assert_ptr_equal(n.name.name, x + 48);
	assert_int_equal(n.defects, 0);
	assert_int_equal(n.consumed, m.n);
	assert_round_trip(p, x, m.n, &n);
	free(x);
	/* no name: no terminator either */
	g.namelen = 0;
	g.mask = IN_ATTRIB;
	gen_msg(&m, &g, NULL, -1);
	assert_int_equal(m.n, 48);
	expect(p, &m, 0, 0);
}

static void test_gen_names(void **state)
{
	const struct fsn_profile *p = prof("gen-2021");
	struct gen_fields g = gen_named();
	struct msg m;

	g.namelen = 40; /* past the message */
	gen_msg(&m, &g, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	g.namelen = FSN_NAME_MAX;
	gen_msg(&m, &g, long_name(FSN_NAME_MAX), 0);
	expect(p, &m, 0, 0);
	g.namelen = FSN_NAME_MAX + 1;
	gen_msg(&m, &g, long_name(FSN_NAME_MAX + 1), 0);
	expect(p, &m, ENAMETOOLONG, 0);
	g.namelen = 0xffffffffu;
	gen_msg(&m, &g, "a", 0);
	expect(p, &m, ENAMETOOLONG, 0);
	/* NUL: wrong terminator, none at all, one inside */
	g.namelen = 5;
	gen_msg(&m, &g, "a.txt", 'x');
	expect(p, &m, EINVAL, 0);
	gen_msg(&m, &g, "a.txt", -1);
	expect(p, &m, EINVAL, 0);
	gen_msg(&m, &g, "a", -1);
	m_byte(&m, 0);
	m_bytes(&m, "xyz", 3);
	m_byte(&m, 0);
	expect(p, &m, EINVAL, 0);
	/* a trailing byte */
	gen_msg(&m, &g, "a.txt", 0);
	m_byte(&m, 0);
	expect(p, &m, EINVAL, 0);
}

static void test_gen_reserved(void **state)
{
	const struct fsn_profile *p = prof("gen-2021");
	struct gen_fields g;
	struct msg m;

	g = gen_named();
	g.reserved0 = 1;
	gen_msg(&m, &g, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	g = gen_named();
	g.flags = 0x80000000u;
	gen_msg(&m, &g, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	g = gen_named();
	g.reserved1 = 1;
	gen_msg(&m, &g, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	g = gen_named();
	g.reserved2 = 1ull << 63;
	gen_msg(&m, &g, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
}

static void test_gen_mask_and_nodeid(void **state)
{
	const struct fsn_profile *p = prof("gen-2021");
	struct gen_fields g = gen_named();
	struct msg m;

	g.mask = (1ull << 32) | IN_CREATE;
	gen_msg(&m, &g, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	/* no allowed set was ever proposed: accepted, flagged */
	g.mask = IN_CREATE | IN_Q_OVERFLOW;
	gen_msg(&m, &g, "a.txt", 0);
	expect(p, &m, 0, FSN_DEFECT_MASK_UNCHECKED);
	/* nodeid 0 is left to the lookup, which answers ENOENT */
	g = gen_named();
	g.nodeid = 0;
	gen_msg(&m, &g, "a.txt", 0);
	expect(p, &m, 0, FSN_DEFECT_ZERO_NODEID);
	assert_int_equal(fsn_identity_verdict(p, false, 0, 0), ENOENT);
}

static void test_gen_short(void **state)
{
	const struct fsn_profile *p = prof("gen-2021");
	struct gen_fields g = gen_named();
	struct msg m;

	gen_msg(&m, &g, "a.txt", 0);
	m.n -= 1; /* exactly one byte short: the NUL is missing */
	expect(p, &m, EINVAL, 0);
	m.n = 47;
	expect(p, &m, EINVAL, 0);
	m.n = 0;
	expect(p, &m, EINVAL, 0);
}

static void test_gen_generation_width(void **state)
{
	const struct fsn_profile *p = prof("gen-2021");
	struct fsn_notify n = { .kind = FSN_REC_EVENT, .nodeid = 2, .generation = 1ull << 32,
				.has_generation = true, .mask = IN_MODIFY };
	uint8_t buf[128];

	/* a 64-bit generation does not fit "cram 32bit gen" */
	assert_int_equal(fsn_encode_notify(p, &n, buf, sizeof(buf)), 0);
	n.generation = UINT32_MAX;
	assert_int_equal(fsn_encode_notify(p, &n, buf, sizeof(buf)), 48);
	n.reserved[1] = 1ull << 32;
	assert_int_equal(fsn_encode_notify(p, &n, buf, sizeof(buf)), 0);
}

/* ================= fsn-1 ================= */

static void test_fsn1_event_layout(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_named();
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	e.nodeid = 0x0101010101010101ull;
	e.generation = 0x0202020202020202ull;
	e.child = 0x0303030303030303ull;
	e.child_generation = 0x0404040404040404ull;
	e.mask = IN_CREATE | IN_ISDIR;
	ev_msg(&m, &e, "a.txt", 0);
	assert_int_equal(m.n, 56 + 5 + 1);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.kind, FSN_REC_EVENT);
	assert_int_equal(n.nodeid, e.nodeid);
	assert_int_equal(n.generation, e.generation);
	assert_true(n.has_generation);
	assert_int_equal(n.mask32, IN_CREATE | IN_ISDIR);
	assert_int_equal(n.child.nodeid, e.child);
	assert_int_equal(n.child.generation, e.child_generation);
	assert_int_equal(n.name.namelen, 5);
	assert_ptr_equal(n.name.name, x + 56);
	assert_int_equal(n.cookie, 0);
	assert_int_equal(n.defects, 0);
	assert_int_equal(n.consumed, m.n);
	assert_round_trip(p, x, m.n, &n);
	free(x);

	e = ev_plain();
	ev_msg(&m, &e, NULL, -1);
	assert_int_equal(m.n, 56);
	expect(p, &m, 0, 0);
	/* a name without a child nodeid: the server never gave it one */
	e = ev_named();
	e.child = 0;
	e.child_generation = 0;
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, 0, 0);
}

static void test_fsn1_rename_layout(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct rn_fields r = rn_good();
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	r.mask = IN_ISDIR;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	assert_int_equal(m.n, 72 + 2 + 3);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.kind, FSN_REC_RENAME);
	assert_int_equal(n.src_parent.nodeid, 2);
	assert_int_equal(n.src_parent.generation, 3);
	assert_int_equal(n.dst_parent.nodeid, 4);
	assert_int_equal(n.dst_parent.generation, 5);
	assert_int_equal(n.child.nodeid, 9);
	assert_int_equal(n.child.generation, 1);
	assert_int_equal(n.mask32, IN_ISDIR);
	assert_ptr_equal(n.src_name.name, x + 72);
	assert_int_equal(n.src_name.namelen, 1);
	assert_ptr_equal(n.dst_name.name, x + 74);
	assert_int_equal(n.dst_name.namelen, 2);
	assert_int_equal(n.defects, 0);
	assert_round_trip(p, x, m.n, &n);
	free(x);
	/* a child the client never looked up: all zero */
	r = rn_good();
	r.child = 0;
	r.child_generation = 0;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, 0, 0);
	/* same directory */
	r = rn_good();
	r.dst = r.src;
	r.dst_generation = r.src_generation;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, 0, 0);
}

static void test_fsn1_overflow_layout(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	ov_msg(&m, FSN_REC_OVERFLOW, 0, 12345);
	assert_int_equal(m.n, 16);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(p, x, m.n, &n), 0);
	assert_int_equal(n.kind, FSN_REC_OVERFLOW);
	assert_int_equal(n.lost, 12345);
	assert_round_trip(p, x, m.n, &n);
	free(x);
	ov_msg(&m, FSN_REC_OVERFLOW, 0, 0); /* count unknown */
	expect(p, &m, 0, 0);
	ov_msg(&m, FSN_REC_OVERFLOW, 1, 0);
	expect(p, &m, EINVAL, 0);
	ov_msg(&m, FSN_REC_OVERFLOW, 0, 0);
	m.n = 15;
	expect(p, &m, EINVAL, 0);
	ov_msg(&m, FSN_REC_OVERFLOW, 0, 0);
	m_byte(&m, 0);
	expect(p, &m, EINVAL, 0);
}

static void test_fsn1_name_max(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_named();
	struct rn_fields r = rn_good();
	struct msg m;

	e.namelen = FSN_NAME_MAX;
	ev_msg(&m, &e, long_name(FSN_NAME_MAX), 0);
	expect(p, &m, 0, 0);
	e.namelen = FSN_NAME_MAX + 1;
	ev_msg(&m, &e, long_name(FSN_NAME_MAX + 1), 0);
	expect(p, &m, ENAMETOOLONG, 0);
	e.namelen = 0xffffffffu;
	ev_msg(&m, &e, "a", 0);
	expect(p, &m, ENAMETOOLONG, 0);

	r.src_namelen = FSN_NAME_MAX + 1;
	rn_msg(&m, &r, long_name(FSN_NAME_MAX + 1), 0, "bb", 0);
	expect(p, &m, ENAMETOOLONG, 0);
	r = rn_good();
	r.dst_namelen = 0xffffffffu;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, ENAMETOOLONG, 0);
	r = rn_good();
	r.src_namelen = FSN_NAME_MAX;
	r.dst_namelen = FSN_NAME_MAX;
	rn_msg(&m, &r, long_name(FSN_NAME_MAX), 0, long_name(FSN_NAME_MAX), 0);
	expect(p, &m, 0, 0);
}

static void test_fsn1_namelen_past_message(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_named();
	struct rn_fields r = rn_good();
	struct msg m;

	e.namelen = 6;
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	r.dst_namelen = 3;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, EINVAL, 0);
	/* an empty source name frames fine but is not a rename */
	r = rn_good();
	r.src_namelen = 0;
	rn_msg(&m, &r, NULL, -1, "bb", 0);
	expect(p, &m, EINVAL, 0); /* empty source name: shape */
}

static void test_fsn1_nul(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_named();
	struct rn_fields r = rn_good();
	struct msg m;

	ev_msg(&m, &e, "a.txt", '/');
	expect(p, &m, EINVAL, 0);
	ev_msg(&m, &e, "a.txt", -1); /* the message ends with the name */
	expect(p, &m, EINVAL, 0);
	ev_msg(&m, &e, "a", 0);
	m_bytes(&m, "bcd", 3);
	m_byte(&m, 0);
	expect(p, &m, EINVAL, 0); /* namelen 5 over "a\0bcd" */
	rn_msg(&m, &r, "a", 'x', "bb", 0);
	expect(p, &m, EINVAL, 0);
	rn_msg(&m, &r, "a", 0, "bb", 1);
	expect(p, &m, EINVAL, 0);
}

static void test_fsn1_reserved(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_named();
	struct rn_fields r = rn_good();
	struct msg m;

	e.flags = 1;
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	e = ev_named();
	e.padding = 0x100;
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	r.flags = 0x80000000u;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, EINVAL, 0);
}

static void test_fsn1_zero_nodeid(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_plain();
	struct rn_fields r = rn_good();
	struct msg m;

	e.nodeid = 0;
	ev_msg(&m, &e, NULL, -1);
	expect(p, &m, EINVAL, 0);
	r.src = 0;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, EINVAL, 0);
	r = rn_good();
	r.dst = 0;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, EINVAL, 0);
}

static void test_fsn1_mask(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_plain();
	struct rn_fields r = rn_good();
	struct msg m;

	e.mask = (1ull << 32) | IN_MODIFY;
	ev_msg(&m, &e, NULL, -1);
	expect(p, &m, EINVAL, 0);
	e.mask = 1ull << 63;
	ev_msg(&m, &e, NULL, -1);
	expect(p, &m, EINVAL, 0);
	/* IN_Q_OVERFLOW only as an OVERFLOW record; kernel-only bits never */
	static const uint32_t refused[] = { IN_Q_OVERFLOW, IN_IGNORED, IN_UNMOUNT, IN_ONESHOT,
					    0x08000000u, 0x00001000u };
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		e.mask = IN_MODIFY | refused[i];
		ev_msg(&m, &e, NULL, -1);
		expect(p, &m, EINVAL, 0);
	}
	/* The access class is local only under fsn-1 (docs/fsn-1.md section 8). */
	static const uint32_t local_only[] = { IN_ACCESS, IN_OPEN, IN_CLOSE_WRITE, IN_CLOSE_NOWRITE };
	for (size_t i = 0; i < sizeof(local_only) / sizeof(local_only[0]); i++) {
		e.mask = IN_MODIFY | local_only[i];
		ev_msg(&m, &e, NULL, -1);
		expect(p, &m, EINVAL, 0);
	}
	e.mask = IN_MODIFY | IN_ATTRIB | IN_ISDIR;
	ev_msg(&m, &e, NULL, -1);
	expect(p, &m, 0, 0);
	/* a RENAME's kind says "moved": its mask may only add IN_ISDIR */
	r.mask = IN_MOVED_FROM;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, EINVAL, 0);
	r.mask = (1ull << 32) | IN_ISDIR;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, EINVAL, 0);
}

static void test_fsn1_shape(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e;
	struct rn_fields r;
	struct msg m;

	e = ev_plain();
	e.mask = 0;
	ev_msg(&m, &e, NULL, -1);
	expect(p, &m, EINVAL, 0);
	e.mask = IN_ISDIR;
	ev_msg(&m, &e, NULL, -1);
	expect(p, &m, EINVAL, 0);
	e.mask = IN_CREATE; /* a dirent event needs the name */
	ev_msg(&m, &e, NULL, -1);
	expect(p, &m, EINVAL, 0);
	e = ev_named();
	e.mask = IN_DELETE_SELF; /* a self event has none */
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	e = ev_plain();
	e.child = 9; /* a child without a name */
	e.child_generation = 1;
	ev_msg(&m, &e, NULL, -1);
	expect(p, &m, EINVAL, 0);
	e = ev_named();
	e.child = 0; /* a generation without a nodeid */
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, EINVAL, 0);
	e = ev_named();
	e.mask = IN_MOVED_TO; /* moved in from outside the export: allowed as an EVENT */
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, 0, 0);
	r = rn_good();
	r.dst_namelen = 0;
	rn_msg(&m, &r, "a", 0, NULL, -1);
	expect(p, &m, EINVAL, 0);
	r = rn_good();
	r.child = 0;
	rn_msg(&m, &r, "a", 0, "bb", 0);
	expect(p, &m, EINVAL, 0);
}

static void test_fsn1_unknown_type(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_plain();
	static const uint32_t types[] = { 0, 4, 0x100, 0xffffffffu };
	struct msg m;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		e.type = types[i];
		ev_msg(&m, &e, NULL, -1);
		expect(p, &m, EINVAL, 0);
	}
}

static void test_fsn1_trailing_and_short(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_named();
	struct rn_fields r = rn_good();
	struct msg m;

	ev_msg(&m, &e, "a.txt", 0);
	m_byte(&m, 0);
	expect(p, &m, EINVAL, 0);
	ev_msg(&m, &e, "a.txt", 0);
	m.n -= 1;
	expect(p, &m, EINVAL, 0);
	e = ev_plain();
	ev_msg(&m, &e, NULL, -1);
	m.n = 55;
	expect(p, &m, EINVAL, 0);
	rn_msg(&m, &r, "a", 0, "bb", 0);
	m.n -= 1;
	expect(p, &m, EINVAL, 0);
	m.n = 71;
	expect(p, &m, EINVAL, 0);
	m.n = 7;
	expect(p, &m, EINVAL, 0);
	m.n = 0;
	expect(p, &m, EINVAL, 0);
}

static void test_fsn1_check_order(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct ev_fields e = ev_named();
	struct msg m;

	/* as in mainline: namelen > name_max wins over the size mismatch */
	e.namelen = 1000;
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, ENAMETOOLONG, 0);
	/* and over a non-zero reserved field */
	e.flags = 1;
	ev_msg(&m, &e, "a.txt", 0);
	expect(p, &m, ENAMETOOLONG, 0);
	/* a short fixed part is EINVAL before anything is read */
	ev_msg(&m, &e, NULL, -1);
	m.n = 48;
	expect(p, &m, EINVAL, 0);
}

/* ================= all profiles ================= */

static void test_encode_capacity(void **state)
{
	struct sample s[16];
	size_t k = samples(s, 16);

	for (size_t i = 0; i < k; i++) {
		const struct fsn_profile *p = prof(s[i].profile);
		struct fsn_notify n;
		uint8_t out[4096];

		assert_int_equal(fsn_decode_notify(p, s[i].m.b, s[i].m.n, &n), 0);
		assert_int_equal(fsn_encode_notify(p, &n, out, s[i].m.n - 1), 0);
		assert_int_equal(fsn_encode_notify(p, &n, out, s[i].m.n), s[i].m.n);
		assert_int_equal(fsn_encode_notify(p, &n, NULL, 0), 0);
	}
}

static void test_encode_from_struct(void **state)
{
	const struct fsn_profile *f1 = prof("fsn-1");
	struct fsn_notify in = { .kind = FSN_REC_RENAME, .src_parent = { 2, 3 },
				 .dst_parent = { 4, 5 }, .child = { 9, 1 },
				 .src_name = { .name = "old", .namelen = 3 },
				 .dst_name = { .name = "new name", .namelen = 8 } };
	struct fsn_notify out;
	uint8_t buf[256];
	size_t w = fsn_encode_notify(f1, &in, buf, sizeof(buf));

	assert_int_equal(w, 72 + 4 + 9);
	assert_int_equal(fsn_decode_notify(f1, buf, w, &out), 0);
	assert_int_equal(out.src_parent.generation, 3);
	assert_int_equal(out.dst_parent.nodeid, 4);
	assert_memory_equal(out.dst_name.name, "new name", 8);
	assert_int_equal(buf[72 + 3], 0);
	assert_int_equal(buf[w - 1], 0);

	/* the same event under each profile that can carry it */
	for (size_t i = 0; i < fsn_profile_count(); i++) {
		const struct fsn_profile *p = fsn_profile_at(i);
		struct fsn_notify ev = { .kind = FSN_REC_EVENT, .nodeid = 7, .generation = 2,
					 .has_generation = true, .mask = IN_CREATE,
					 .name = { .name = "f", .namelen = 1 } };

		w = fsn_encode_notify(p, &ev, buf, sizeof(buf));
		assert_int_equal(w, p->notify_fixed_size + 1 +
					    (p->wire == FSN_WIRE_RFC2021 ? 0 : 1));
		assert_int_equal(fsn_decode_notify(p, buf, w, &out), 0);
		assert_int_equal(out.nodeid, 7);
		assert_int_equal(out.generation, p->generation_bits ? 2 : 0);
		assert_int_equal(out.mask32, IN_CREATE);
		assert_memory_equal(out.name.name, "f", 1);
		/* rfc-2021 has nowhere to put the NUL its receive side needs */
		assert_int_equal(out.defects, p->wire == FSN_WIRE_RFC2021 ? FSN_DEFECT_NO_NUL : 0);
	}
}

/* Every proper prefix of a valid message: never an overread; rejected unless rfc-2021. */
static void test_truncation_sweep(void **state)
{
	struct sample s[16];
	size_t k = samples(s, 16);

	for (size_t i = 0; i < k; i++) {
		const struct fsn_profile *p = prof(s[i].profile);

		for (size_t len = 0; len < s[i].m.n; len++) {
			struct fsn_notify n;
			uint8_t *x = heap(s[i].m.b, len);
			int err = fsn_decode_notify(p, x, len, &n);

			if (p->rules & FSN_RULE_NAMELEN_BOUND_BY_MSG) {
				assert_int_equal(err, EINVAL);
			} else if (len < p->notify_fixed_size) {
				assert_int_equal(err, EINVAL);
			} else {
				assert_int_equal(err, 0);
				assert_round_trip(p, x, len, &n);
			}
			free(x);
		}
	}
}

/* The fuzz property, deterministically: mutate valid messages, check every acceptance. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void check_name_bounds(const struct fsn_name *nm, const uint8_t *x, size_t len)
{
	uint32_t present = fsn_name_present(nm);

	if (!present)
		return;
	assert_true((const uint8_t *)nm->name >= x);
	assert_true((const uint8_t *)nm->name + present <= x + len);
}

static void test_mutation_property(void **state)
{
	static const uint32_t lens[] = { 0, 1, 5, 254, 255, 256, 0x7fffffffu, 0xffffffffu };
	const struct fsn_profile loose[2] = { permissive("gen-2021"), permissive("fsn-1") };
	struct sample s[16];
	size_t k = samples(s, 16);
	unsigned accepted = 0;

	for (unsigned iter = 0; iter < 60000; iter++) {
		struct msg m = s[rng() % k].m;
		unsigned edits = 1 + rng() % 3;

		for (unsigned e = 0; e < edits; e++) {
			uint64_t r = rng();

			switch (r % 5) {
			case 0: /* flip a byte */
				if (m.n)
					m.b[(r >> 8) % m.n] ^= (uint8_t)(1u << ((r >> 40) % 8));
				break;
			case 1: /* an interesting u32 anywhere aligned */
				if (m.n >= 4) {
					size_t off = ((r >> 8) % (m.n / 4)) * 4;
					uint32_t v = lens[(r >> 32) % 8];

					memcpy(m.b + off, &v, 4);
				}
				break;
			case 2: /* cut */
				m.n = m.n ? (size_t)((r >> 8) % (m.n + 1)) : 0;
				break;
			case 3: /* extend */
				if (m.n + 8 < sizeof(m.b))
					m.n += (r >> 8) % 8;
				break;
			case 4: /* zero a byte */
				if (m.n)
					m.b[(r >> 8) % m.n] = 0;
				break;
			}
		}
		for (size_t i = 0; i < fsn_profile_count() + 2; i++) {
			const struct fsn_profile *p =
				i < fsn_profile_count() ? fsn_profile_at(i) : &loose[i - fsn_profile_count()];
			uint8_t *x = heap(m.b, m.n);
			struct fsn_notify n;
			char line[512];
			int err = fsn_decode_notify(p, x, m.n, &n);

			assert_true(err == 0 || err == EINVAL || err == ENAMETOOLONG);
			if (err == 0) {
				accepted++;
				assert_round_trip(p, x, m.n, &n);
				assert_true(n.consumed >= fsn_codec_fixed_size(p, n.kind));
				if (!(n.defects & FSN_DEFECT_NAME_UNBOUNDED))
					assert_true(n.consumed <= m.n);
				if (!(n.defects & FSN_DEFECT_TRAILING_BYTES))
					assert_true(n.consumed >= m.n);
				check_name_bounds(&n.name, x, m.n);
				check_name_bounds(&n.src_name, x, m.n);
				check_name_bounds(&n.dst_name, x, m.n);
				assert_true(n.defects == 0 || (p->rules & FSN_RULE_ALLOWED_MASK) == 0);
				fsn_notify_describe(&n, line, sizeof(line));
			}
			free(x);
		}
	}
	assert_true(accepted > 1000); /* the mutations do reach the accepting paths */
}

static void test_describe(void **state)
{
	const struct fsn_profile *f1 = prof("fsn-1"), *rfc = prof("rfc-2021");
	struct ev_fields e = ev_named();
	struct rn_fields r = rn_good();
	struct fsn_notify n;
	char line[256];
	struct msg m;
	int len;

	e.mask = IN_CREATE | IN_ISDIR;
	ev_msg(&m, &e, "a.txt", 0);
	assert_int_equal(fsn_decode_notify(f1, m.b, m.n, &n), 0);
	len = fsn_notify_describe(&n, line, sizeof(line));
	assert_string_equal(line,
			    "EVENT nodeid=2 gen=3 mask=0x40000100<IN_CREATE|IN_ISDIR> child=9:1 name=\"a.txt\"");
	assert_int_equal(len, (int)strlen(line));

	rn_msg(&m, &r, "a", 0, "bb", 0);
	assert_int_equal(fsn_decode_notify(f1, m.b, m.n, &n), 0);
	fsn_notify_describe(&n, line, sizeof(line));
	assert_string_equal(line, "RENAME src=2:3/\"a\" dst=4:5/\"bb\" child=9:1 mask=0x0<>");

	ov_msg(&m, FSN_REC_OVERFLOW, 0, 3);
	assert_int_equal(fsn_decode_notify(f1, m.b, m.n, &n), 0);
	fsn_notify_describe(&n, line, sizeof(line));
	assert_string_equal(line, "OVERFLOW lost=3");

	rfc_msg(&m, 5, (1ull << 33) | IN_CREATE, 9, 4, "a\"\x01");
	assert_int_equal(fsn_decode_notify(rfc, m.b, m.n, &n), 0);
	len = fsn_notify_describe(&n, line, sizeof(line));
	assert_string_equal(line,
			    "EVENT nodeid=5 mask=0x200000100<IN_CREATE|0x200000000> cookie=4 "
			    "name=\"a\\x22\\x01\"(+6 past the message) "
			    "defects=<NAME_UNBOUNDED,NO_NUL,MASK_TRUNCATED>");
	/* truncation: snprintf semantics */
	char small[8];
	assert_int_equal(fsn_notify_describe(&n, small, sizeof(small)), len);
	assert_string_equal(small, "EVENT n");
	/* cut anywhere, inside a name or an escape too: the line's first cap - 1 bytes */
	for (size_t cap = 1; cap <= (size_t)len + 1; cap++) {
		char cut[256];

		assert_int_equal(fsn_notify_describe(&n, cut, cap), len);
		assert_int_equal(strlen(cut), cap - 1);
		assert_memory_equal(cut, line, cap - 1);
	}
	assert_int_equal(fsn_notify_describe(&n, NULL, 0), len);
	assert_int_equal(fsn_notify_describe(NULL, line, sizeof(line)), 0);
	assert_string_equal(line, "");
}

static void test_permissive_layouts(void **state)
{
	const struct fsn_profile gen = permissive("gen-2021"), f1 = permissive("fsn-1");
	struct ev_fields e = ev_named();
	struct rn_fields r = rn_good();
	struct gen_fields g = gen_named();
	struct fsn_notify n;
	struct msg m;
	uint8_t *x;

	/* 0xffffffff + its terminator: 2^32 bytes claimed, no 32-bit wrap */
	e.namelen = 0xffffffffu;
	ev_msg(&m, &e, "abc", -1);
	expect(&f1, &m, 0, FSN_DEFECT_NAME_UNBOUNDED | FSN_DEFECT_NAME_TOO_LONG | FSN_DEFECT_NO_NUL);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(&f1, x, m.n, &n), 0);
	assert_int_equal(n.consumed, (size_t)56 + 0xffffffffu + 1);
	assert_true(n.name.term_missing);
	free(x);
	/* the source name runs out: the destination name is wholly absent */
	r.src_namelen = 10;
	rn_msg(&m, &r, "abc", -1, NULL, -1);
	expect(&f1, &m, 0, FSN_DEFECT_NAME_UNBOUNDED | FSN_DEFECT_NO_NUL);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(&f1, x, m.n, &n), 0);
	assert_int_equal(n.src_name.missing, 7);
	assert_int_equal(n.dst_name.missing, 2);
	assert_null(n.dst_name.name);
	free(x);
	/* every other rule, recorded instead of enforced */
	e = ev_named();
	e.nodeid = 0;
	e.flags = 1;
	e.mask = (1ull << 40) | IN_Q_OVERFLOW;
	ev_msg(&m, &e, "a.txt", 'x');
	m_byte(&m, 0);
	expect(&f1, &m, 0,
	       FSN_DEFECT_ZERO_NODEID | FSN_DEFECT_RESERVED_NONZERO | FSN_DEFECT_MASK_TRUNCATED |
		       FSN_DEFECT_MASK_UNCHECKED | FSN_DEFECT_NO_NUL | FSN_DEFECT_TRAILING_BYTES |
		       FSN_DEFECT_RECORD_SHAPE);
	/* gen-2021's reserved words are kept raw when ignored */
	g.reserved0 = 0xaaaaaaaau;
	g.reserved1 = 0x55555555u;
	g.reserved2 = 0x0123456789abcdefull;
	g.flags = 2;
	gen_msg(&m, &g, "a.txt", 0);
	expect(&gen, &m, 0, FSN_DEFECT_RESERVED_NONZERO);
	x = heap(m.b, m.n);
	assert_int_equal(fsn_decode_notify(&gen, x, m.n, &n), 0);
	assert_int_equal(n.reserved[0], 0xaaaaaaaau);
	assert_int_equal(n.reserved[1], 0x55555555u);
	assert_int_equal(n.reserved[2], 0x0123456789abcdefull);
	assert_int_equal(n.flags, 2);
	free(x);
}

/* ================= requests ================= */

static void test_request_rfc2021(void **state)
{
	const struct fsn_profile *p = prof("rfc-2021");
	struct fsn_request in = { .nodeid = 5, .mask = IN_MODIFY | IN_ONESHOT,
				  .group = 0xffff888012345678ull, .action = FSN_ACTION_ADD };
	struct fsn_request out;
	uint8_t buf[64], *x;
	uint64_t v64;
	uint32_t v32;
	size_t w = fsn_encode_request(p, &in, buf, sizeof(buf));

	assert_int_equal(w, 24);
	memcpy(&v64, buf + 0, 8);
	assert_int_equal(v64, IN_MODIFY | IN_ONESHOT);
	memcpy(&v64, buf + 8, 8);
	assert_int_equal(v64, 0xffff888012345678ull);
	memcpy(&v32, buf + 16, 4);
	assert_int_equal(v32, FSN_ACTION_ADD);
	x = heap(buf, w);
	assert_int_equal(fsn_decode_request(p, 5, x, w, &out), 0);
	assert_int_equal(out.nodeid, 5);
	assert_false(out.has_generation);
	assert_int_equal(out.mask, in.mask);
	assert_int_equal(out.group, in.group);
	assert_int_equal(out.action, FSN_ACTION_ADD);
	/* as posted: a kernel address, and inotify's private IN_ONESHOT, reach the server */
	assert_int_equal(out.defects, FSN_DEFECT_GROUP_POINTER | FSN_DEFECT_RAW_USER_MASK);
	free(x);

	/* strict: what the posted kernel never sends */
	assert_int_equal(fsn_decode_request(p, 0, buf, w, &out), EPROTO);
	assert_int_equal(fsn_decode_request(p, 5, buf, 23, &out), EPROTO);
	assert_int_equal(fsn_decode_request(p, 5, buf, 0, &out), EPROTO);
	assert_int_equal(fsn_decode_request(p, 5, NULL, 0, &out), EPROTO);
	buf[24] = 0;
	assert_int_equal(fsn_decode_request(p, 5, buf, 25, &out), EPROTO);
	v32 = 1;
	memcpy(buf + 20, &v32, 4); /* padding */
	assert_int_equal(fsn_decode_request(p, 5, buf, 24, &out), EPROTO);
	in.action = 2;
	fsn_encode_request(p, &in, buf, sizeof(buf));
	assert_int_equal(fsn_decode_request(p, 5, buf, 24, &out), EPROTO);
	in.action = FSN_ACTION_REMOVE;
	in.mask = 1ull << 32;
	fsn_encode_request(p, &in, buf, sizeof(buf));
	assert_int_equal(fsn_decode_request(p, 5, buf, 24, &out), EPROTO);
	in.mask = IN_MODIFY;
	in.group = 0;
	fsn_encode_request(p, &in, buf, sizeof(buf));
	assert_int_equal(fsn_decode_request(p, 5, buf, 24, &out), 0);
	assert_int_equal(out.defects, 0);
	assert_int_equal(out.action, FSN_ACTION_REMOVE);
	assert_int_equal(fsn_encode_request(p, &in, buf, 23), 0);
	/* gen-2021 changed only the notification */
	assert_int_equal(fsn_decode_request(prof("gen-2021"), 5, buf, 24, &out), 0);
}

static void test_request_fsn1(void **state)
{
	const struct fsn_profile *p = prof("fsn-1");
	struct fsn_request in = { .nodeid = 5, .generation = 7, .has_generation = true,
				  .mask = IN_CREATE | IN_DELETE | 0x08000000u /* ON_CHILD */ };
	struct fsn_request out;
	uint8_t buf[64], *x;
	uint64_t v64;
	size_t w = fsn_encode_request(p, &in, buf, sizeof(buf));

	assert_int_equal(w, 16);
	memcpy(&v64, buf + 0, 8);
	assert_int_equal(v64, 7);
	memcpy(&v64, buf + 8, 8);
	assert_int_equal(v64, in.mask);
	x = heap(buf, w);
	assert_int_equal(fsn_decode_request(p, 5, x, w, &out), 0);
	assert_int_equal(out.nodeid, 5);
	assert_int_equal(out.generation, 7);
	assert_true(out.has_generation);
	assert_int_equal(out.mask, in.mask);
	assert_int_equal(out.group, 0);
	assert_int_equal(out.defects, 0);
	free(x);
	/* mask 0: no longer watched */
	in.mask = 0;
	fsn_encode_request(p, &in, buf, sizeof(buf));
	assert_int_equal(fsn_decode_request(p, 5, buf, 16, &out), 0);
	in.mask = 0x10000000u; /* FS_RENAME: a FAN_RENAME watcher */
	fsn_encode_request(p, &in, buf, sizeof(buf));
	assert_int_equal(fsn_decode_request(p, 5, buf, 16, &out), 0);
	/* strict */
	assert_int_equal(fsn_decode_request(p, 0, buf, 16, &out), EPROTO);
	assert_int_equal(fsn_decode_request(p, 5, buf, 15, &out), EPROTO);
	assert_int_equal(fsn_decode_request(p, 5, buf, 24, &out), EPROTO);
	static const uint64_t refused[] = { IN_ONESHOT, IN_MASK_ADD, IN_EXCL_UNLINK, IN_ONLYDIR,
					    IN_DONT_FOLLOW, IN_ISDIR, IN_Q_OVERFLOW,
					    0x00010000u /* FS_OPEN_PERM */, 1ull << 32 };
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		in.mask = IN_MODIFY | refused[i];
		fsn_encode_request(p, &in, buf, sizeof(buf));
		assert_int_equal(fsn_decode_request(p, 5, buf, 16, &out), EPROTO);
	}
	assert_int_equal(fsn_encode_request(p, &in, buf, 15), 0);
}

static void test_identity_verdict(void **state)
{
	const struct fsn_profile *rfc = prof("rfc-2021"), *gen = prof("gen-2021"), *f1 = prof("fsn-1");

	assert_int_equal(fsn_identity_verdict(f1, true, 7, 7), 0);
	assert_int_equal(fsn_identity_verdict(f1, false, 0, 7), ENOENT);
	assert_int_equal(fsn_identity_verdict(f1, true, 8, 7), ESTALE);
	assert_int_equal(fsn_identity_verdict(f1, true, (1ull << 32) | 7, 7), ESTALE);
	/* "cram 32bit gen": reuse past 2^32 generations is invisible */
	assert_int_equal(fsn_identity_verdict(gen, true, (1ull << 32) | 7, 7), 0);
	assert_int_equal(fsn_identity_verdict(gen, true, 8, 7), ESTALE);
	assert_int_equal(fsn_identity_verdict(gen, false, 0, 7), ENOENT);
	/* as posted: every failure is -EINVAL, and a reused nodeid is believed */
	assert_int_equal(fsn_identity_verdict(rfc, false, 0, 0), EINVAL);
	assert_int_equal(fsn_identity_verdict(rfc, true, 8, 7), 0);
	assert_int_equal(fsn_identity_verdict(NULL, true, 0, 0), EINVAL);
}

static void test_bad_arguments(void **state)
{
	struct fsn_notify n;
	struct fsn_request rq;
	uint8_t buf[64] = { 0 };

	assert_int_equal(fsn_decode_notify(NULL, buf, sizeof(buf), &n), EINVAL);
	assert_int_equal(fsn_decode_notify(prof("fsn-1"), buf, sizeof(buf), NULL), EINVAL);
	assert_int_equal(fsn_decode_notify_fsn1(NULL, buf, sizeof(buf), &n), EINVAL);
	assert_int_equal(fsn_decode_request(NULL, 1, buf, 16, &rq), EINVAL);
	assert_int_equal(fsn_decode_request(prof("fsn-1"), 1, NULL, 16, &rq), EINVAL);
	assert_int_equal(fsn_encode_notify(NULL, &n, buf, sizeof(buf)), 0);
	assert_int_equal(fsn_encode_request(NULL, &rq, buf, sizeof(buf)), 0);
	assert_int_equal(fsn_codec_fixed_size(NULL, FSN_REC_EVENT), 0);
	/* a name that claims bytes it does not point at */
	n = (struct fsn_notify){ .kind = FSN_REC_EVENT, .nodeid = 1, .mask = IN_CREATE,
				 .name = { .name = NULL, .namelen = 3 } };
	assert_int_equal(fsn_encode_notify(prof("fsn-1"), &n, buf, sizeof(buf)), 0);
	n.name = (struct fsn_name){ .name = "abc", .namelen = 3, .missing = 4 };
	assert_int_equal(fsn_encode_notify(prof("fsn-1"), &n, buf, sizeof(buf)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_lookup),
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_rules_by_profile),
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_rfc2021_collides),
		cmocka_unit_test(test_gen2021_keeps_rfc_numbers),
		cmocka_unit_test(test_fsn1_clear_of_mainline),
		cmocka_unit_test(test_collision_table),
		cmocka_unit_test(test_mainline_takes),
		cmocka_unit_test(test_rfc_layout_round_trip),
		cmocka_unit_test(test_rfc_named),
		cmocka_unit_test(test_rfc_namelen_past_message),
		cmocka_unit_test(test_rfc_namelen_above_name_max),
		cmocka_unit_test(test_rfc_huge_namelen),
		cmocka_unit_test(test_rfc_embedded_nul),
		cmocka_unit_test(test_rfc_mask),
		cmocka_unit_test(test_rfc_zero_nodeid_and_shape),
		cmocka_unit_test(test_rfc_short),
		cmocka_unit_test(test_rfc_kinds_not_expressible),
		cmocka_unit_test(test_gen_layout_round_trip),
		cmocka_unit_test(test_gen_names),
		cmocka_unit_test(test_gen_reserved),
		cmocka_unit_test(test_gen_mask_and_nodeid),
		cmocka_unit_test(test_gen_short),
		cmocka_unit_test(test_gen_generation_width),
		cmocka_unit_test(test_fsn1_event_layout),
		cmocka_unit_test(test_fsn1_rename_layout),
		cmocka_unit_test(test_fsn1_overflow_layout),
		cmocka_unit_test(test_fsn1_name_max),
		cmocka_unit_test(test_fsn1_namelen_past_message),
		cmocka_unit_test(test_fsn1_nul),
		cmocka_unit_test(test_fsn1_reserved),
		cmocka_unit_test(test_fsn1_zero_nodeid),
		cmocka_unit_test(test_fsn1_mask),
		cmocka_unit_test(test_fsn1_shape),
		cmocka_unit_test(test_fsn1_unknown_type),
		cmocka_unit_test(test_fsn1_trailing_and_short),
		cmocka_unit_test(test_fsn1_check_order),
		cmocka_unit_test(test_encode_capacity),
		cmocka_unit_test(test_encode_from_struct),
		cmocka_unit_test(test_truncation_sweep),
		cmocka_unit_test(test_mutation_property),
		cmocka_unit_test(test_permissive_layouts),
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_request_rfc2021),
		cmocka_unit_test(test_request_fsn1),
		cmocka_unit_test(test_identity_verdict),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
