// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kdiff.c - the pure half of the differential fuzzer (harness/oracle/kdiff.c):
 * the stream is a function of (seed, index) alone, it reaches every rule of
 * the model that the live fixture can reach, and the oracle answers what
 * the canonical world holds.  The live half is the kdiff case family.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "kdiff.h"
#include "profiles.h"

/* FNV-1a of the first 2000 messages of seed 0x6b64696666 (the name_max_4095 row). */
#define KD_TEST_STREAM_HASH 0x26ed1d1b56d31467ull

static const struct kd_gen_cfg cfg4095 = {.name_max = 4095};
static uint8_t buf_a[KD_MSG_MAX], buf_b[KD_MSG_MAX];

/* FNV-1a over bytes, to pin the stream. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static void test_same_seed_index_same_bytes(void **state)
{
	struct kd_shape sa, sb;

	(void)state;
	/* Generate 0..499 in order, then each again alone, backwards: no hidden state. */
	for (uint64_t i = 0; i < 500; i++)
		kd_generate(&cfg4095, 42, i, buf_a, sizeof(buf_a), &sa);
	for (uint64_t i = 500; i-- > 0;) {
		size_t la = kd_generate(&cfg4095, 42, i, buf_a, sizeof(buf_a), &sa);
		size_t lb = kd_generate(&cfg4095, 42, i, buf_b, sizeof(buf_b), &sb);

		assert_int_equal(la, lb);
		assert_memory_equal(buf_a, buf_b, la);
		assert_string_equal(sa.desc, sb.desc);
		assert_int_equal(sa.bucket, sb.bucket);
	}
}

static void test_seeds_and_indexes_differ(void **state)
{
	struct kd_shape s;
	unsigned same_seed = 0, same_index = 0;

	(void)state;
	for (uint64_t i = 0; i < 1000; i++) {
		size_t la = kd_generate(&cfg4095, 1, i, buf_a, sizeof(buf_a), &s);
		size_t lb = kd_generate(&cfg4095, 2, i, buf_b, sizeof(buf_b), &s);

		same_seed += la == lb && !memcmp(buf_a, buf_b, la);
		lb = kd_generate(&cfg4095, 1, i + 1, buf_b, sizeof(buf_b), &s);
		same_index += la == lb && !memcmp(buf_a, buf_b, la);
	}
	/* Short writes and bare RESENDs repeat by chance; whole streams must not. */
	assert_true(same_seed < 100);
	assert_true(same_index < 100);
}

/*
 * The stream is pinned: a failure report's replay line (seed, index) must
 * mean the same bytes tomorrow.  If you change the generator on purpose,
 * update the hash and say in the commit that old replay lines are void.
 */
static void test_stream_pinned(void **state)
{
	struct kd_shape s;
	uint64_t h = 0xcbf29ce484222325ull;

	(void)state;
	for (uint64_t i = 0; i < 2000; i++) {
		size_t len = kd_generate(&cfg4095, 0x6b64696666ull, i, buf_a, sizeof(buf_a), &s);

		h = fnv(h, &len, sizeof(len));
		h = fnv(h, buf_a, len);
	}
	printf("# stream hash %#llx\n", (unsigned long long)h);
	assert_true(h == KD_TEST_STREAM_HASH);
}

static void test_small_buffer_refused(void **state)
{
	struct kd_shape s;

	(void)state;
	assert_int_equal(kd_generate(&cfg4095, 1, 1, buf_a, KD_MSG_MAX - 1, &s), 0);
}

/* tok appears in desc as a whole word. */
static bool has_token(const char *desc, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = strstr(desc, tok); p; p = strstr(p + 1, tok))
		if (p[n] == ' ' || p[n] == 0)
			return true;
	return false;
}

/* Every shape the brief asks for shows up in a short stream. */
static void test_shapes_covered(void **state)
{
	unsigned buckets[KD_B__COUNT] = {0};
	unsigned short_writes = 0, hdr_lies = 0, name_max_p1 = 0, name_max_eq = 0, zero = 0;
	struct kd_shape s;

	(void)state;
	for (uint64_t i = 0; i < 20000; i++) {
		size_t len = kd_generate(&cfg4095, 7, i, buf_a, sizeof(buf_a), &s);
		struct fuse_out_header oh;

		assert_true(len <= KD_MSG_MAX);
		assert_true(s.bucket >= 0 && s.bucket < KD_B__COUNT);
		buckets[s.bucket]++;
		zero += len == 0;
		if (len < sizeof(oh)) {
			short_writes++;
			continue;
		}
		memcpy(&oh, buf_a, sizeof(oh));
		hdr_lies += oh.len != len;
		name_max_eq += has_token(s.desc, "name=L*4095");
		name_max_p1 += has_token(s.desc, "name=L*4096");
	}
	for (int b = 0; b < KD_B__COUNT; b++)
		if (b < KD_B_PROFILE + (int)fsn_profile_count() || b >= KD_B_REPLY) {
			if (!buckets[b])
				printf("# bucket %d (%s) never generated\n", b, kd_bucket_name(b));
			assert_true(buckets[b] > 0);
		}
	assert_true(short_writes > 0 && zero > 0);
	assert_true(hdr_lies > 0);
	assert_true(name_max_eq > 0 && name_max_p1 > 0);
}

/*
 * Under the canonical world, the stream reaches every rule of the model
 * except those the fixture cannot: an unattached fd, requests pending a
 * reply, a mountpoint child, and the rules the kernel does not have.
 */
static void rules_reached(enum nr_preset p, const struct kd_world *w, bool needs_init,
			  uint64_t *hits)
{
	struct nr_kernel k;
	struct nr_state st;
	struct nr_verdict v;
	struct kd_shape s;

	nr_kernel_preset(&k, p);
	k.name_max = 4095;
	k.notify_needs_init = needs_init;
	kd_oracle(w, &st);
	memset(hits, 0, sizeof(uint64_t) * NR_R__COUNT);
	for (uint64_t i = 0; i < 20000; i++) {
		size_t len = kd_generate(&cfg4095, 11, i, buf_a, sizeof(buf_a), &s);
		/* exact-size copy: ASan sees any read past len */
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, buf_a, len);
		nr_predict_ex(&k, &st, copy, len, &v);
		free(copy);
		hits[v.rule]++;
	}
}

static bool unreachable_live(int rule)
{
	switch (rule) {
	case NR_R_ACCEPTED: case NR_R_UNATTACHED: case NR_R_NOTIFY_BEFORE_INIT:
	case NR_R_INTR_LEN: case NR_R_INTR_NOT_INTERRUPTED: case NR_R_INTR_OK:
	case NR_R_REPLY_ERR_PAYLOAD: case NR_R_REPLY_SIZE: case NR_R_REPLY_OK:
	case NR_R_STORE_OFFSET: case NR_R_RETRIEVE_OFFSET:
	case NR_R_DELETE_MOUNTPOINT: /* dead code in the kernel too */
		return true;
	}
	return false;
}

static void test_rules_reached(void **state)
{
	static uint64_t hits[NR_R__COUNT];
	struct kd_world w;

	(void)state;
	kd_world_canonical(&w);
	rules_reached(NR_PRESET_6_18_44, &w, false, hits);
	for (int r = 1; r < NR_R__COUNT; r++) {
		if (unreachable_live(r))
			continue;
		if (!hits[r])
			printf("# rule %d (%s) never decided\n", r, nr_rule_get(r)->text);
		assert_true(hits[r] > 0);
	}
	/* The 2026 offset bound is reached where the kernel has it. */
	rules_reached(NR_PRESET_NEXT, &w, false, hits);
	assert_true(hits[NR_R_STORE_OFFSET] > 0 && hits[NR_R_RETRIEVE_OFFSET] > 0);
	/* And the connection gate before INIT. */
	kd_world_before_init(&w);
	rules_reached(NR_PRESET_NEXT, &w, true, hits);
	assert_true(hits[NR_R_NOTIFY_BEFORE_INIT] > 0);
}

/* ---- the oracle over the canonical world ---- */

static size_t entry_msg(uint8_t *b, int32_t code, uint64_t parent, uint64_t child, const char *name)
{
	size_t st = code == FUSE_NOTIFY_DELETE ? 24 : 16, nl = strlen(name);
	uint32_t len = (uint32_t)(16 + st + nl + 1), namelen = (uint32_t)nl;
	struct fuse_out_header oh = {.len = len, .error = code, .unique = 0};

	memset(b, 0, len);
	memcpy(b, &oh, sizeof(oh));
	memcpy(b + 16, &parent, 8);
	if (code == FUSE_NOTIFY_DELETE) {
		memcpy(b + 24, &child, 8);
		memcpy(b + 32, &namelen, 4);
	} else {
		memcpy(b + 24, &namelen, 4);
	}
	memcpy(b + 16 + st, name, nl);
	return len;
}

static size_t inode_msg(uint8_t *b, uint64_t nodeid)
{
	struct fuse_out_header oh = {.len = 40, .error = FUSE_NOTIFY_INVAL_INODE};

	memset(b, 0, 40);
	memcpy(b, &oh, sizeof(oh));
	memcpy(b + 16, &nodeid, 8);
	return 40;
}

static void test_oracle_canonical(void **state)
{
	struct kd_world w;
	struct nr_kernel k;
	struct nr_state st;
	uint64_t child = 0;
	uint8_t b[128];

	(void)state;
	kd_world_canonical(&w);
	kd_oracle(&w, &st);
	nr_kernel_preset(&k, NR_PRESET_6_18_44);
	assert_true(st.have_nodeid(st.ctx, FUSE_ROOT_ID));
	assert_true(st.have_nodeid(st.ctx, kd_object(KD_IDLE)->nodeid));
	assert_false(st.have_nodeid(st.ctx, kd_object(KD_UNCACHED)->nodeid));
	assert_false(st.have_nodeid(st.ctx, 0));
	assert_int_equal(st.have_entry(st.ctx, 1, "f", 1, &child), NR_ENTRY_POSITIVE);
	assert_int_equal(child, kd_object(KD_FILE)->nodeid);
	assert_int_equal(st.have_entry(st.ctx, 1, "n", 1, &child), NR_ENTRY_NEGATIVE);
	assert_int_equal(st.have_entry(st.ctx, 1, "u", 1, &child), NR_ENTRY_NONE);
	assert_int_equal(st.have_entry(st.ctx, 1, "g", 1, &child), NR_ENTRY_NONE);
	assert_int_equal(st.have_entry(st.ctx, 3, "g", 1, &child), NR_ENTRY_POSITIVE);
	assert_int_equal(st.node_type(st.ctx, 8), S_IFLNK);

	/* The DELETE verdicts the fixture is built for. */
	assert_int_equal(nr_predict(&k, &st, b, entry_msg(b, FUSE_NOTIFY_DELETE, 1, 3, "d")),
			 ENOTEMPTY); /* the busy child d/g is pinned */
	assert_int_equal(nr_predict(&k, &st, b, entry_msg(b, FUSE_NOTIFY_DELETE, 1, 6, "e")), 0);
	assert_int_equal(st.delete_busy(st.ctx, 11), EBUSY); /* "m" is a mountpoint ... */
	assert_int_equal(nr_predict(&k, &st, b, entry_msg(b, FUSE_NOTIFY_DELETE, 1, 11, "m")), 0);
	assert_int_equal(nr_predict(&k, &st, b, entry_msg(b, FUSE_NOTIFY_DELETE, 1, 2, "d")), ENOENT);
	assert_int_equal(nr_predict(&k, &st, b, entry_msg(b, FUSE_NOTIFY_DELETE, 1, 2, "n")), 0);
	assert_int_equal(nr_predict(&k, &st, b, entry_msg(b, FUSE_NOTIFY_INVAL_ENTRY, 1, 0, "u")),
			 ENOENT);
	assert_int_equal(nr_predict(&k, &st, b, entry_msg(b, FUSE_NOTIFY_INVAL_ENTRY, 2, 0, "x")),
			 ENOTDIR);
	assert_int_equal(nr_predict(&k, &st, b, inode_msg(b, 10)), ENOENT);
	assert_int_equal(nr_predict(&k, &st, b, inode_msg(b, 7)), 0);

	/* Before INIT only the root exists. */
	kd_world_before_init(&w);
	assert_int_equal(nr_predict(&k, &st, b, inode_msg(b, 2)), ENOENT);
	assert_int_equal(nr_predict(&k, &st, b, inode_msg(b, 1)), 0);
	assert_true(st.before_init == false); /* st was filled before the switch */
	kd_oracle(&w, &st);
	assert_true(st.before_init);
}

static void test_needs_resync(void **state)
{
	struct nr_verdict v = {0};
	uint8_t b[128];
	size_t len = entry_msg(b, FUSE_NOTIFY_INVAL_ENTRY, 1, 0, "f");

	(void)state;
	v.effects = NR_EFF_DENTRY_UNHASHED;
	assert_true(kd_needs_resync(b, len, &v, 0));
	v.effects = 0;
	v.err = ENOENT;
	assert_false(kd_needs_resync(b, len, &v, ENOENT));
	assert_true(kd_needs_resync(b, len, &v, 0));       /* model wrong: resync */
	v.err = 0;
	assert_true(kd_needs_resync(b, len, &v, 0));       /* accepted INVAL_ENTRY */
	len = inode_msg(b, 2);
	assert_false(kd_needs_resync(b, len, &v, 0));      /* INVAL_INODE: no dcache change */
	assert_false(kd_needs_resync(b, 3, &v, 0));
}

/*
 * Run every probe against a simulated kernel (preset `p`, its errnos from
 * the model under that preset) on a connection after an INIT with
 * max_pages 32, or before the INIT reply; the learning starts from the
 * wrong minor on purpose.  Returns how many variants were settled.
 */
static int learn_from(enum nr_preset p, bool before_init, uint32_t start_minor,
		      struct kd_learned *l)
{
	struct fuse_init_out init = {.major = 7, .flags = FUSE_MAX_PAGES, .max_pages = 32};
	struct nr_kernel sim;
	struct kd_world w;
	struct nr_state st;
	uint8_t buf[4096];
	char line[512];
	int settled = 0;

	nr_kernel_preset(&sim, p);
	init.minor = sim.minor;
	sim.name_max = before_init ? NR_FUSE_NAME_LOW_MAX : nr_name_max_from_init(&sim, &init);
	if (before_init)
		kd_world_before_init(&w);
	else
		kd_world_canonical(&w);
	kd_oracle(&w, &st);
	kd_kernel_start(l, start_minor);
	for (size_t i = 0; i < kd_nprobes(); i++) {
		size_t len = kd_probe_build(i, buf, sizeof(buf));
		struct nr_verdict v;
		int kerr = nr_predict(&sim, &st, buf, len);

		assert_true(len >= 16);
		if (kd_probe_judge(l, i, &st, before_init ? NULL : &init, buf, len, kerr, &v, line,
				   sizeof(line)))
			fail_msg("preset %d: %s", (int)p, line);
	}
	for (int v = 0; v < KD_V__COUNT; v++)
		settled += l->state[v] == KD_HAS || l->state[v] == KD_LACKS;
	return settled;
}

/* What the probes learn is what the kernel is, whatever its release or offered minor says. */
static void test_probes_learn_each_preset(void **state)
{
	(void)state;
	for (int p = 0; p < NR_PRESET__COUNT; p++) {
		struct kd_learned l, lb;
		struct nr_kernel want;
		char name[512];

		nr_kernel_preset(&want, (enum nr_preset)p);
		/* After INIT: everything but the connection gate is settled. */
		assert_int_equal(learn_from((enum nr_preset)p, false, p == NR_PRESET_6_1 ? 45 : 38, &l),
				 KD_V__COUNT - 1);
		assert_int_equal(l.state[KD_V_GATE], KD_UNSETTLED);
		assert_int_equal(l.k.long_names, want.long_names);
		assert_int_equal(l.k.pagecache_regular_only, want.pagecache_regular_only);
		assert_int_equal(l.k.pagecache_offset_limit, want.pagecache_offset_limit);
		for (int32_t c = 1; c <= 9; c++)
			assert_int_equal(nr_code_known(&l.k, c), nr_code_known(&want, c));
		kd_learned_name(&l, name, sizeof(name));
		assert_non_null(strstr(name, want.name));
		/* Before INIT: the gate is settled, and behind a gate nothing else that notifies. */
		learn_from((enum nr_preset)p, true, want.minor, &lb);
		assert_int_equal(lb.state[KD_V_GATE], want.notify_needs_init ? KD_HAS : KD_LACKS);
		assert_int_equal(lb.state[KD_V_FLOOR_512], KD_HAS);
		if (want.notify_needs_init)
			assert_int_equal(lb.state[KD_V_REGULAR_ONLY], KD_UNSETTLED);
	}
}

/* A kernel that answers a probe as neither variant fails the row, and says so. */
static void test_probe_neither_variant(void **state)
{
	struct kd_learned l;
	struct kd_world w;
	struct nr_state st;
	struct nr_verdict v;
	uint8_t buf[4096];
	char line[512];
	size_t i, len = 0;

	(void)state;
	kd_world_canonical(&w);
	kd_oracle(&w, &st);
	kd_kernel_start(&l, 45);
	for (i = 0; i < kd_nprobes(); i++) {
		len = kd_probe_build(i, buf, sizeof(buf));
		if (len > 16 && buf[4] == FUSE_NOTIFY_STORE && buf[16] == FUSE_ROOT_ID)
			break; /* STORE on the root: EINVAL or 0 */
	}
	assert_true(i < kd_nprobes());
	assert_int_equal(kd_probe_judge(&l, i, &st, NULL, buf, len, ENOENT, &v, line, sizeof(line)),
			 -1);
	assert_int_equal(l.state[KD_V_REGULAR_ONLY], KD_CONFLICT);
	assert_non_null(strstr(line, "NEITHER"));
	assert_int_equal(kd_probe_build(kd_nprobes(), buf, sizeof(buf)), 0);
}

static void test_hex(void **state)
{
	const uint8_t m[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 0xff };
	char out[128];

	(void)state;
	assert_string_equal(kd_hex(m, 10, 64, out, sizeof(out)),
			    "00 01 02 03 04 05 06 07 | 08 ff");
	assert_string_equal(kd_hex(m, 10, 2, out, sizeof(out)), "00 01 ... (+8)");
	assert_string_equal(kd_hex(m, 0, 2, out, sizeof(out)), "");
	kd_hex(m, 10, 64, out, 8); /* truncates, never overflows */
	assert_true(strlen(out) < 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_index_same_bytes),
		cmocka_unit_test(test_seeds_and_indexes_differ),
		cmocka_unit_test(test_stream_pinned),
		cmocka_unit_test(test_small_buffer_refused),
		cmocka_unit_test(test_shapes_covered),
		cmocka_unit_test(test_rules_reached),
		cmocka_unit_test(test_oracle_canonical),
		cmocka_unit_test(test_needs_resync),
		cmocka_unit_test(test_probes_learn_each_preset),
		cmocka_unit_test(test_probe_neither_variant),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
