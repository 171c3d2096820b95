// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify_rules.c - fuzz target: the model of the kernel's /dev/fuse write
 * validation (nr_predict_ex, harness/oracle/notify_rules.h), which parses every
 * notification and reply the way fs/fuse/dev.c does.
 *
 * Input: byte 0 picks the kernel preset and bits of struct nr_kernel (bit 5:
 * zeroed fields and no optional callbacks, the documented defaults), byte 1
 * and byte 2 the fake cache the oracle answers from (which nodeids are
 * cached, which are directories, which entries exist, which uniques are
 * pending), the rest is the whole message as the server would write it,
 * fuse_out_header included.
 *
 * Properties: nr_predict and nr_predict_ex agree and are deterministic;
 * the errno is the one of the rule that decided; the oracle is only ever
 * asked about names that lie inside the message; the verdict is the same
 * whatever lies past the length; nr_explain and nr_describe always have a
 * text.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "notify_rules.h"

struct fake {
	const uint8_t *msg;
	size_t len;
	uint8_t cached; /* bit i: nodeid i + 1 is cached (root always is) */
	uint8_t bits;   /* dirs, entries, pending uniques, busy, ... */
};

static void check_inside(struct fake *f, const char *p, size_t n)
{
	FUZZ_CHECK(!n || fuzz_within(f->msg, f->len, p, n),
		   "the oracle was asked about %zu name bytes outside the message", n);
}

static int have_nodeid(void *ctx, uint64_t nodeid)
{
	struct fake *f = ctx;

	return nodeid == 1 || (nodeid >= 2 && nodeid <= 8 && (f->cached >> (nodeid - 1)) & 1);
}

static uint32_t node_type(void *ctx, uint64_t nodeid)
{
	struct fake *f = ctx;

	if (nodeid == 1)
		return S_IFDIR;
	if (f->bits & 1)
		return 0; /* unknown */
	return (nodeid & 1) ? S_IFREG : S_IFDIR;
}

static int have_entry(void *ctx, uint64_t parent, const char *name, size_t namelen,
		      uint64_t *child)
{
	struct fake *f = ctx;

	check_inside(f, name, namelen);
	if (!(f->bits & 2) || !namelen)
		return NR_ENTRY_NONE;
	if ((f->bits & 4) && name[0] == 'n')
		return NR_ENTRY_NEGATIVE;
	*child = 2 + (uint64_t)((unsigned char)name[0] + parent) % 7;
	return NR_ENTRY_POSITIVE;
}

static int delete_busy(void *ctx, uint64_t child)
{
	struct fake *f = ctx;

	if (!(f->bits & 8))
		return 0;
	return (child & 1) ? EBUSY : ENOTEMPTY;
}

static unsigned have_unique(void *ctx, uint64_t unique)
{
	struct fake *f = ctx;

	if (!(f->bits & 16) || unique > 64)
		return 0;
	return NR_REQ_PENDING | ((f->bits & 32) && (unique & 2) ? NR_REQ_INTERRUPTED : 0);
}

static int reply_size(void *ctx, uint64_t unique, size_t payload_len)
{
	(void)ctx;
	return payload_len > 64 + unique ? EINVAL : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct nr_kernel k;
	struct nr_verdict v, v2;
	struct fake f;
	struct nr_state s = {.ctx = &f, .have_nodeid = have_nodeid, .node_type = node_type,
			     .have_entry = have_entry, .delete_busy = delete_busy,
			     .have_unique = have_unique, .reply_size = reply_size};
	uint8_t sel, *big;
	char line[512];
	int err;

	sel = fuzz_u8(&in);
	nr_kernel_preset(&k, (enum nr_preset)(sel % NR_PRESET__COUNT));
	k.long_names = sel & 4;
	if (sel & 8)
		k.name_max = (sel & 4) ? NR_FUSE_NAME_MAX : NR_FUSE_NAME_LOW_MAX;
	f.cached = fuzz_u8(&in);
	f.bits = fuzz_u8(&in);
	s.unattached = (f.bits & 64) && (sel & 16);
	s.before_init = f.bits & 128;
	/* Bit 5 of the selector: zeroed kernel fields and no optional callbacks,
	   so the documented defaults are what decides. */
	if (sel & 32) {
		k.minor = 0;
		k.name_max = 0;
		k.reply_error_floor = 0;
		s.node_type = NULL;
		s.have_entry = NULL;
		s.delete_busy = NULL;
		s.have_unique = NULL;
		s.reply_size = NULL;
	}
	f.len = fuzz_bytes(&in, in.left, &f.msg);

	err = nr_predict_ex(&k, &s, f.msg, f.len, &v);
	FUZZ_CHECK(err == v.err, "nr_predict_ex returned %d, verdict says %d", err, v.err);
	FUZZ_CHECK(v.rule < NR_R__COUNT, "rule %d", v.rule);
	FUZZ_CHECK(nr_rule_get(v.rule)->err == v.err, "rule %d yields %d, verdict %d", v.rule,
		   nr_rule_get(v.rule)->err, v.err);
	FUZZ_CHECK(strcmp(nr_errno_name(v.err), "E?"), "errno %d has no name", v.err);
	FUZZ_CHECK(nr_predict(&k, &s, f.msg, f.len) == err, "nr_predict disagrees");
	FUZZ_CHECK(nr_explain(&k, &s, f.msg, f.len) != NULL, "no explanation");
	FUZZ_CHECK(nr_describe(&v, line, sizeof(line)) > 0, "no description");

	big = malloc(f.len + 64);
	if (!big)
		abort();
	memcpy(big, f.msg, f.len);
	memset(big + f.len, 0x5a, 64);
	f.msg = big;
	nr_predict_ex(&k, &s, big, f.len, &v2);
	FUZZ_CHECK(v2.err == v.err && v2.rule == v.rule && v2.effects == v.effects,
		   "verdict changed with bytes past the end: %d/%d -> %d/%d", v.err, v.rule, v2.err,
		   v2.rule);
	free(big);
	return 0;
}
