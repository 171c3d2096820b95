// SPDX-License-Identifier: GPL-2.0-only
/*
 * fsnotify_notify.c - fuzz target: the fuse_notify_fsnotify_out decoder of
 * every protocol profile (harness/abi/fsn_codec.h).
 *
 * Input: byte 0 picks the profile (modulo the profile count: 0 rfc-2021,
 * 1 gen-2021, 2 fsn-1), the rest is the notification payload that follows
 * the fuse_out_header.
 *
 * Properties, beyond "no crash, no overread":
 *   - the verdict is 0 or an errno an enforced rule of the profile gives
 *     (EINVAL for a message too short for its record);
 *   - encode(decode(x)) == x, byte for byte, for every accepted x;
 *   - an accepted message never claims bytes past its length, unless the
 *     profile does not bound names by the message and the decoder says so
 *     (FSN_DEFECT_NAME_UNBOUNDED: the rfc-2021 receive side as posted);
 *   - every defect bit names a rule the profile does not enforce;
 *   - a name the decoder hands out lies inside the message;
 *   - the verdict and the decoded message are the same whatever lies in
 *     memory past the length.
 */
#include <errno.h>
#include <sanitizer/asan_interface.h>
#include <string.h>

#include "fsn_codec.h"
#include "fuzz.h"
#include "profiles.h"

/*
 * The oracle is not the code under test: its own branches are left out of
 * coverage guidance (clang), which comes from the decoder and the encoder.
 * ASan and UBSan still check it.
 */
#if defined(__clang__)
#define ORACLE __attribute__((no_sanitize("coverage")))
#else
#define ORACLE
#endif

ORACLE static int rule_errno_allowed(const struct fsn_profile *p, int err)
{
	if (err == EINVAL)
		return 1;
	for (size_t i = 0; i < fsn_rule_count(); i++) {
		const struct fsn_rule_info *r = fsn_rule_at(i);

		if ((p->rules & r->rule) && r->err == err)
			return 1;
	}
	return 0;
}

ORACLE static void check_name(const struct fsn_name *n, const uint8_t *msg, size_t len)
{
	uint32_t present = fsn_name_present(n);

	FUZZ_CHECK(present <= n->namelen, "present %u > namelen %u", present, n->namelen);
	if (!present)
		return;
	FUZZ_CHECK(fuzz_within(msg, len, n->name, present),
		   "name of %u bytes lies outside the %zu-byte message", present, len);
}

ORACLE static void check_defects(const struct fsn_profile *p, uint32_t defects)
{
	for (size_t i = 0; i < fsn_rule_count(); i++) {
		const struct fsn_rule_info *r = fsn_rule_at(i);

		if (r->defect && (defects & r->defect))
			FUZZ_CHECK(!(p->rules & r->rule), "%s: defect %s recorded but rule %s enforced",
				   p->name, fsn_defect_name(r->defect), r->name);
	}
}

/*
 * A buffer kept from one input to the next, grown when an input needs more:
 * an input costs no allocation.  What lies past the size asked for is
 * poisoned, so ASan still sees a write or read one byte past it, as with an
 * exact-size malloc (the macros are empty without ASan).
 */
struct scratch {
	uint8_t *p;
	size_t cap;
};

ORACLE static uint8_t *scratch_get(struct scratch *b, size_t need)
{
	if (need > b->cap) {
		free(b->p);
		b->p = malloc(need);
		if (!b->p)
			abort();
		b->cap = need;
	}
	ASAN_UNPOISON_MEMORY_REGION(b->p, need);
	ASAN_POISON_MEMORY_REGION(b->p + need, b->cap - need);
	return b->p;
}

static struct scratch reencoded, past_copy, past_reencoded;

/*
 * Decode msg[0..len) from a copy followed by 64 bytes of 0x00, then of
 * 0xff: the verdict and the decoded message must not change.
 */
ORACLE static void check_past_len(const struct fsn_profile *p, const uint8_t *msg, size_t len, int err,
			   const uint8_t *enc, size_t enclen)
{
	static const uint8_t fills[] = { 0x00, 0xff };
	uint8_t *big = scratch_get(&past_copy, len + 64);
	uint8_t *out = scratch_get(&past_reencoded, len + 64); /* any size, as the input */

	memcpy(big, msg, len);
	for (size_t i = 0; i < sizeof(fills); i++) {
		uint8_t fill = fills[i];
		struct fsn_notify n;
		int err2;

		memset(big + len, fill, 64);
		err2 = fsn_decode_notify(p, big, len, &n);
		FUZZ_CHECK(err2 == err, "%s: verdict %d with 0x%02x past the end, %d without", p->name,
			   err2, fill, err);
		if (!err && enc) {
			size_t w = fsn_encode_notify(p, &n, out, len + 64);

			FUZZ_CHECK(w == enclen && !memcmp(out, enc, enclen),
				   "%s: decoded message changed with 0x%02x past the end", p->name,
				   fill);
		}
	}
}

ORACLE int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fsn_profile *p;
	const uint8_t *msg;
	struct fsn_notify n;
	uint8_t *out = NULL;
	size_t len, w = 0;
	char line[1024];
	int err;

	if (size < 1)
		return 0;
	p = fsn_profile_at(data[0] % fsn_profile_count());
	msg = data + 1;
	len = size - 1;

	err = fsn_decode_notify(p, msg, len, &n);
	FUZZ_CHECK(err == 0 || rule_errno_allowed(p, err), "%s: errno %d is no rule's", p->name, err);
	if (!err) {
		out = scratch_get(&reencoded, len + 1);
		w = fsn_encode_notify(p, &n, out, len + 1);
		FUZZ_CHECK(w == len && !memcmp(out, msg, len),
			   "%s: encode(decode(x)) gave %zu bytes for a %zu-byte x", p->name, w, len);
		FUZZ_CHECK(n.consumed <= len || ((n.defects & FSN_DEFECT_NAME_UNBOUNDED) &&
						  !(p->rules & FSN_RULE_NAMELEN_BOUND_BY_MSG)),
			   "%s: accepted message claims %zu bytes of %zu", p->name, n.consumed, len);
		FUZZ_CHECK(n.trailinglen <= len, "%s: %zu trailing bytes of %zu", p->name,
			   n.trailinglen, len);
		check_defects(p, n.defects);
		check_name(&n.name, msg, len);
		check_name(&n.src_name, msg, len);
		check_name(&n.dst_name, msg, len);
		fsn_notify_describe(&n, line, sizeof(line));
	}
	check_past_len(p, msg, len, err, out, w);
	return 0;
}
