// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_notify_rules.c - one cmocka test per rule of harness/oracle/notify_rules.c.
 *
 * Messages are built by hand with memcpy (no dependency on wire.c), and
 * every prediction runs on an exact-size heap copy so that AddressSanitizer
 * catches any read past len.  Expected errnos are what 6.18.44 returned
 * when the same bytes were written to /dev/fuse (docs/notify-validation.md).
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

#include "notify_rules.h"

/* ---- a small fake kernel cache ---- */

/*
 * nodeid 1 "/" dir; 2 "file" reg; 3 "dir" dir; 4 "busy" dir with a child
 * in use; 5 "mnt" dir, a mountpoint; 6 "link" symlink; 7 "mystery", type
 * unknown to the oracle; 8 the long-named file.  "neg" is a negative
 * dentry.  Pending requests: unique 2, 4 (interrupted), 6 (wants 8 bytes).
 */
static char long_name[NR_FUSE_NAME_MAX + 2];
static size_t long_name_len; /* set per test: the one cached long name */

static int f_have_nodeid(void *ctx, uint64_t n)
{
	(void)ctx;
	return n >= 1 && n <= 8;
}

static uint32_t f_node_type(void *ctx, uint64_t n)
{
	(void)ctx;
	switch (n) {
	case 1: case 3: case 4: case 5: return S_IFDIR;
	case 2: case 8: return S_IFREG;
	case 6: return S_IFLNK;
	}
	return 0;
}

static bool name_is(const char *name, size_t namelen, const char *want)
{
	return namelen == strlen(want) && memcmp(name, want, namelen) == 0;
}

static int f_have_entry(void *ctx, uint64_t parent, const char *name, size_t namelen, uint64_t *child)
{
	static const struct { const char *name; uint64_t nodeid; } ents[] = {
		{ "file", 2 }, { "dir", 3 }, { "busy", 4 }, { "mnt", 5 }, { "link", 6 }, { "mystery", 7 },
	};
	(void)ctx;
	if (parent == 7 && name_is(name, namelen, "x")) {
		*child = 2;
		return NR_ENTRY_POSITIVE;
	}
	if (parent != 1)
		return NR_ENTRY_NONE;
	if (name_is(name, namelen, "neg"))
		return NR_ENTRY_NEGATIVE;
	if (long_name_len && namelen == long_name_len && memcmp(name, long_name, namelen) == 0) {
		*child = 8;
		return NR_ENTRY_POSITIVE;
	}
	for (size_t i = 0; i < sizeof(ents) / sizeof(ents[0]); i++) {
		if (name_is(name, namelen, ents[i].name)) {
			*child = ents[i].nodeid;
			return NR_ENTRY_POSITIVE;
		}
	}
	return NR_ENTRY_NONE;
}

static int f_delete_busy(void *ctx, uint64_t child)
{
	(void)ctx;
	if (child == 4)
		return ENOTEMPTY;
	if (child == 5)
		return EBUSY;
	return 0;
}

static unsigned f_have_unique(void *ctx, uint64_t unique)
{
	(void)ctx;
	if (unique == 2 || unique == 6)
		return NR_REQ_PENDING;
	if (unique == 4)
		return NR_REQ_PENDING | NR_REQ_INTERRUPTED;
	return 0;
}

static int f_reply_size(void *ctx, uint64_t unique, size_t plen)
{
	(void)ctx;
	if (unique == 6 && plen != 8)
		return EINVAL;
	return 0;
}

static struct nr_state st;
static struct nr_kernel k618, k61, k618_0, knext;

static int setup(void **state)
{
	(void)state;
	memset(&st, 0, sizeof(st));
	st.have_nodeid = f_have_nodeid;
	st.node_type = f_node_type;
	st.have_entry = f_have_entry;
	st.delete_busy = f_delete_busy;
	st.have_unique = f_have_unique;
	st.reply_size = f_reply_size;
	nr_kernel_preset(&k618, NR_PRESET_6_18_44);
	nr_kernel_preset(&k61, NR_PRESET_6_1);
	nr_kernel_preset(&k618_0, NR_PRESET_6_18);
	nr_kernel_preset(&knext, NR_PRESET_NEXT);
	memset(long_name, 'a', sizeof(long_name));
	long_name_len = 0;
	return 0;
}

/* ---- message builders (by hand) ---- */

static uint8_t buf[16 + 64 + NR_FUSE_NAME_MAX + 64];

static size_t put_hdr(uint8_t *b, uint32_t len, int32_t error, uint64_t unique)
{
	struct fuse_out_header oh = { .len = len, .error = error, .unique = unique };

	memcpy(b, &oh, sizeof(oh));
	return sizeof(oh);
}

/* A notification: header with the true length, then plen payload bytes. */
static size_t notify_msg(int32_t code, const void *payload, size_t plen)
{
	put_hdr(buf, (uint32_t)(16 + plen), code, 0);
	if (plen && payload)
		memcpy(buf + 16, payload, plen);
	else if (plen)
		memset(buf + 16, 0, plen);
	return 16 + plen;
}

/* A notification: struct, name, and (if trailing) one NUL byte. */
static size_t named_msg(int32_t code, const void *stp, size_t stlen, const char *name, size_t namelen,
			int trailing)
{
	size_t n = 16;

	memcpy(buf + n, stp, stlen);
	n += stlen;
	memcpy(buf + n, name, namelen);
	n += namelen;
	if (trailing)
		buf[n++] = 0;
	put_hdr(buf, (uint32_t)n, code, 0);
	return n;
}

static size_t reply_msg(uint64_t unique, int32_t error, size_t plen)
{
	memset(buf + 16, 0x5a, plen);
	put_hdr(buf, (uint32_t)(16 + plen), error, unique);
	return 16 + plen;
}

/* Predict on an exact-size heap copy: ASan flags any read past len. */
static int predict(const struct nr_kernel *k, const void *msg, size_t len, struct nr_verdict *v)
{
	uint8_t *copy = malloc(len ? len : 1);
	int err;

	assert_non_null(copy);
	if (len)
		memcpy(copy, msg, len);
	err = nr_predict_ex(k, &st, copy, len, v);
	free(copy);
	return err;
}

#define EXPECT_K(k, len, want_err, want_rule)                                                        \
	do {                                                                                         \
		struct nr_verdict v_;                                                                \
		int e_ = predict((k), buf, (len), &v_);                                              \
		assert_int_equal(e_, (want_err));                                                    \
		assert_int_equal(v_.rule, (want_rule));                                              \
		assert_int_equal(nr_rule_get(v_.rule)->err, (want_err));                             \
	} while (0)
#define EXPECT(len, want_err, want_rule) EXPECT_K(&k618, len, want_err, want_rule)

static unsigned effects_of(const struct nr_kernel *k, size_t len)
{
	struct nr_verdict v;

	predict(k, buf, len, &v);
	return v.effects;
}

/* ---- fuse_dev_write / fuse_dev_do_write ---- */

static void test_unattached_eperm(void **state)
{
	(void)state;
	st.unattached = true;
	EXPECT(notify_msg(FUSE_NOTIFY_RESEND, NULL, 0), EPERM, NR_R_UNATTACHED);
	EXPECT(3, EPERM, NR_R_UNATTACHED); /* before any header check */
}

static void test_hdr_short(void **state)
{
	(void)state;
	put_hdr(buf, 15, FUSE_NOTIFY_RESEND, 0);
	EXPECT(0, EINVAL, NR_R_HDR_SHORT);
	EXPECT(1, EINVAL, NR_R_HDR_SHORT);
	EXPECT(15, EINVAL, NR_R_HDR_SHORT);
	EXPECT(notify_msg(FUSE_NOTIFY_RESEND, NULL, 0), 0, NR_R_RESEND_OK); /* 16 is enough */
}

static void test_hdr_len_mismatch(void **state)
{
	(void)state;
	put_hdr(buf, 17, FUSE_NOTIFY_RESEND, 0);
	EXPECT(16, EINVAL, NR_R_HDR_LEN);
	put_hdr(buf, 15, FUSE_NOTIFY_RESEND, 0);
	EXPECT(16, EINVAL, NR_R_HDR_LEN);
	put_hdr(buf, 0, 0, 2);
	EXPECT(16, EINVAL, NR_R_HDR_LEN); /* replies too, before anything else */
	put_hdr(buf, 0xffffffff, FUSE_NOTIFY_RESEND, 0);
	EXPECT(16, EINVAL, NR_R_HDR_LEN);
}

static void test_notify_before_init(void **state)
{
	uint64_t kh = 0;

	(void)state;
	st.before_init = true;
	/* 6.18.44 processes notifications before INIT (observed: POLL -> 0). */
	EXPECT(notify_msg(FUSE_NOTIFY_POLL, &kh, 8), 0, NR_R_POLL_OK);
	knext.notify_needs_init = true;
	EXPECT_K(&knext, notify_msg(FUSE_NOTIFY_POLL, &kh, 8), EINVAL, NR_R_NOTIFY_BEFORE_INIT);
	st.before_init = false;
	EXPECT_K(&knext, notify_msg(FUSE_NOTIFY_POLL, &kh, 8), 0, NR_R_POLL_OK);
}

static void test_code_0(void **state)
{
	(void)state;
	EXPECT(notify_msg(0, NULL, 0), EINVAL, NR_R_CODE_UNKNOWN);
}

static void test_code_10(void **state)
{
	(void)state;
	EXPECT(notify_msg(10, NULL, 0), EINVAL, NR_R_CODE_UNKNOWN);
}

static void test_code_0xffff(void **state)
{
	(void)state;
	EXPECT(notify_msg(0xffff, NULL, 0), EINVAL, NR_R_CODE_UNKNOWN);
}

static void test_code_negative(void **state)
{
	(void)state;
	EXPECT(notify_msg(-1, NULL, 0), EINVAL, NR_R_CODE_UNKNOWN);
	EXPECT(notify_msg(INT32_MIN, NULL, 0), EINVAL, NR_R_CODE_UNKNOWN);
	EXPECT(notify_msg(-FUSE_NOTIFY_POLL, NULL, 8), EINVAL, NR_R_CODE_UNKNOWN);
}

/* The code must exist in the kernel; its payload is not even looked at. */
static void test_minor_38_vs_45(void **state)
{
	(void)state;
	EXPECT_K(&k61, notify_msg(FUSE_NOTIFY_INC_EPOCH, NULL, 0), EINVAL, NR_R_CODE_UNKNOWN);
	EXPECT_K(&k618, notify_msg(FUSE_NOTIFY_INC_EPOCH, NULL, 0), 0, NR_R_INC_EPOCH_OK);
	EXPECT_K(&k61, notify_msg(FUSE_NOTIFY_RESEND, NULL, 0), EINVAL, NR_R_CODE_UNKNOWN);
	EXPECT_K(&k61, notify_msg(FUSE_NOTIFY_PRUNE, NULL, 3), EINVAL, NR_R_CODE_UNKNOWN);
	EXPECT_K(&k61, notify_msg(FUSE_NOTIFY_POLL, NULL, 3), EINVAL, NR_R_POLL_SIZE);
}

static void test_minor_40_and_44(void **state)
{
	struct nr_kernel k = k618;

	(void)state;
	k.minor = 40;
	EXPECT_K(&k, notify_msg(FUSE_NOTIFY_RESEND, NULL, 0), 0, NR_R_RESEND_OK);
	EXPECT_K(&k, notify_msg(FUSE_NOTIFY_INC_EPOCH, NULL, 0), EINVAL, NR_R_CODE_UNKNOWN);
	k.minor = 44;
	EXPECT_K(&k, notify_msg(FUSE_NOTIFY_INC_EPOCH, NULL, 0), 0, NR_R_INC_EPOCH_OK);
	EXPECT_K(&k, notify_msg(FUSE_NOTIFY_PRUNE, NULL, 16), EINVAL, NR_R_CODE_UNKNOWN);
}

static void test_code_since_minor(void **state)
{
	(void)state;
	assert_int_equal(nr_code_since_minor(FUSE_NOTIFY_POLL), 11);
	assert_int_equal(nr_code_since_minor(FUSE_NOTIFY_DELETE), 18);
	assert_int_equal(nr_code_since_minor(FUSE_NOTIFY_RESEND), 40);
	assert_int_equal(nr_code_since_minor(FUSE_NOTIFY_INC_EPOCH), 44);
	assert_int_equal(nr_code_since_minor(FUSE_NOTIFY_PRUNE), 45);
	assert_int_equal(nr_code_since_minor(0), 0);
	assert_int_equal(nr_code_since_minor(10), 0);
}

/* ---- replies ---- */

static void test_reply_positive_error(void **state)
{
	(void)state;
	EXPECT(reply_msg(2, 1, 0), EINVAL, NR_R_REPLY_ERR_RANGE); /* even for a pending unique */
	EXPECT(reply_msg(12345, INT32_MAX, 0), EINVAL, NR_R_REPLY_ERR_RANGE);
}

static void test_reply_error_m511(void **state)
{
	(void)state;
	EXPECT(reply_msg(12345, -511, 0), ENOENT, NR_R_REPLY_NO_REQ); /* range passed */
	EXPECT(reply_msg(2, -511, 0), 0, NR_R_REPLY_OK);
}

static void test_reply_error_m512(void **state)
{
	(void)state;
	EXPECT(reply_msg(2, -512, 0), EINVAL, NR_R_REPLY_ERR_RANGE);
	EXPECT(reply_msg(12345, INT32_MIN, 0), EINVAL, NR_R_REPLY_ERR_RANGE);
}

static void test_reply_error_floor_before_5_14(void **state)
{
	struct nr_kernel k = k618;

	(void)state;
	k.reply_error_floor = -1000;
	EXPECT_K(&k, reply_msg(12345, -999, 0), ENOENT, NR_R_REPLY_NO_REQ);
	EXPECT_K(&k, reply_msg(12345, -1000, 0), EINVAL, NR_R_REPLY_ERR_RANGE);
}

static void test_reply_unknown_unique(void **state)
{
	(void)state;
	EXPECT(reply_msg(12345, 0, 0), ENOENT, NR_R_REPLY_NO_REQ);
	EXPECT(reply_msg(12347, 0, 0), ENOENT, NR_R_REPLY_NO_REQ); /* odd: interrupt reply */
	st.have_unique = NULL;
	EXPECT(reply_msg(2, 0, 0), ENOENT, NR_R_REPLY_NO_REQ);
}

static void test_reply_error_with_payload(void **state)
{
	(void)state;
	EXPECT(reply_msg(2, -ENOENT, 8), EINVAL, NR_R_REPLY_ERR_PAYLOAD);
	assert_true(effects_of(&k618, reply_msg(2, -ENOENT, 8)) & NR_EFF_REQUEST_ENDED);
	EXPECT(reply_msg(2, -ENOENT, 0), 0, NR_R_REPLY_OK);
}

static void test_reply_size(void **state)
{
	(void)state;
	EXPECT(reply_msg(6, 0, 7), EINVAL, NR_R_REPLY_SIZE);
	EXPECT(reply_msg(6, 0, 9), EINVAL, NR_R_REPLY_SIZE);
	EXPECT(reply_msg(6, 0, 8), 0, NR_R_REPLY_OK);
	st.reply_size = NULL;
	EXPECT(reply_msg(6, 0, 7), 0, NR_R_REPLY_OK);
}

static void test_interrupt_reply(void **state)
{
	(void)state;
	EXPECT(reply_msg(2 | 1, -EAGAIN, 4), EINVAL, NR_R_INTR_LEN);
	EXPECT(reply_msg(2 | 1, -EAGAIN, 0), EINVAL, NR_R_INTR_NOT_INTERRUPTED);
	EXPECT(reply_msg(4 | 1, -EAGAIN, 0), 0, NR_R_INTR_OK);
	EXPECT(reply_msg(2 | 1, -ENOSYS, 0), 0, NR_R_INTR_OK);
	EXPECT(reply_msg(2 | 1, 0, 0), 0, NR_R_INTR_OK);
	assert_false(effects_of(&k618, reply_msg(2 | 1, 0, 0)) & NR_EFF_REQUEST_ENDED);
}

/* ---- POLL ---- */

static void test_poll_size(void **state)
{
	uint64_t kh[2] = { 0xdeadbeef, 0 };

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_POLL, kh, 7), EINVAL, NR_R_POLL_SIZE);
	EXPECT(notify_msg(FUSE_NOTIFY_POLL, kh, 9), EINVAL, NR_R_POLL_SIZE);
	EXPECT(notify_msg(FUSE_NOTIFY_POLL, kh, 0), EINVAL, NR_R_POLL_SIZE);
}

static void test_poll_unknown_kh(void **state)
{
	uint64_t kh = 0xdeadbeef;

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_POLL, &kh, 8), 0, NR_R_POLL_OK);
}

/* ---- INVAL_INODE ---- */

static void test_inval_inode_size(void **state)
{
	struct fuse_notify_inval_inode_out o = { .ino = 2 };
	uint8_t b[32] = { 0 };

	(void)state;
	memcpy(b, &o, sizeof(o));
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_INODE, b, 23), EINVAL, NR_R_INVAL_INODE_SIZE);
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_INODE, b, 25), EINVAL, NR_R_INVAL_INODE_SIZE);
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_INODE, b, 24), 0, NR_R_INVAL_INODE_OK);
}

static void test_inval_inode_unknown(void **state)
{
	struct fuse_notify_inval_inode_out o = { .ino = 999 };

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_INODE, &o, 24), ENOENT, NR_R_INVAL_INODE_NOENT);
	o.ino = 0;
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_INODE, &o, 24), ENOENT, NR_R_INVAL_INODE_NOENT);
}

static void test_inval_inode_off_len_unchecked(void **state)
{
	struct fuse_notify_inval_inode_out o = { .ino = 3, .off = -5, .len = -5 };

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_INODE, &o, 24), 0, NR_R_INVAL_INODE_OK);
}

/* ---- INVAL_ENTRY ---- */

static struct fuse_notify_inval_entry_out ie(uint64_t parent, uint32_t namelen)
{
	struct fuse_notify_inval_entry_out e = { .parent = parent, .namelen = namelen, .flags = 0 };

	return e;
}

static void test_inval_entry_short(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, 0);

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 15), EINVAL, NR_R_INVAL_ENTRY_SHORT);
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 0), EINVAL, NR_R_INVAL_ENTRY_SHORT);
}

static void test_inval_entry_namelen_0(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, 0);

	(void)state;
	/* Passes every size rule; d_lookup() of "" finds nothing (observed). */
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "", 0, 1), ENOENT, NR_R_INVAL_ENTRY_NAME_NOENT);
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "", 0, 0), EINVAL, NR_R_INVAL_ENTRY_SIZE);
}

static void test_inval_entry_namelen_name_max(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, NR_FUSE_NAME_LOW_MAX);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, long_name, NR_FUSE_NAME_LOW_MAX, 1), ENOENT,
	       NR_R_INVAL_ENTRY_NAME_NOENT);
	long_name_len = NR_FUSE_NAME_LOW_MAX;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, long_name, NR_FUSE_NAME_LOW_MAX, 1), 0,
	       NR_R_INVAL_ENTRY_OK);
}

static void test_inval_entry_namelen_name_max_plus_1(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, NR_FUSE_NAME_LOW_MAX + 1);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, long_name, NR_FUSE_NAME_LOW_MAX + 1, 1),
	       ENAMETOOLONG, NR_R_INVAL_ENTRY_NAMELEN);
}

static void test_inval_entry_namelen_long_names(void **state)
{
	struct nr_kernel k = k618;
	struct fuse_notify_inval_entry_out e = ie(1, NR_FUSE_NAME_MAX);

	(void)state;
	k.name_max = NR_FUSE_NAME_MAX; /* INIT said FUSE_MAX_PAGES, max_pages > 1 */
	long_name_len = NR_FUSE_NAME_MAX;
	EXPECT_K(&k, named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, long_name, NR_FUSE_NAME_MAX, 1), 0,
		 NR_R_INVAL_ENTRY_OK);
	e.namelen = NR_FUSE_NAME_MAX + 1;
	EXPECT_K(&k, named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, long_name, NR_FUSE_NAME_MAX + 1, 1),
		 ENAMETOOLONG, NR_R_INVAL_ENTRY_NAMELEN);
}

static void test_inval_entry_namelen_u32_max(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, 0xffffffffu);
	struct nr_kernel k = k618;

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16), ENAMETOOLONG, NR_R_INVAL_ENTRY_NAMELEN);
	/* Even with a name_max that admits it, the size sum must not wrap. */
	k.name_max = 0xffffffffu;
	EXPECT_K(&k, notify_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16), EINVAL, NR_R_INVAL_ENTRY_SIZE);
}

/* namelen is judged before the size: a short message with a long namelen. */
static void test_inval_entry_namelen_before_size(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(999, 5000);

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16), ENAMETOOLONG, NR_R_INVAL_ENTRY_NAMELEN);
	e.namelen = 5;
	EXPECT(notify_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16), EINVAL, NR_R_INVAL_ENTRY_SIZE);
}

static void test_inval_entry_trailing_byte(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 0), EINVAL, NR_R_INVAL_ENTRY_SIZE);
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file\0\0", 6, 0), EINVAL, NR_R_INVAL_ENTRY_SIZE);
	/* The trailing byte's value is never checked. */
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "filex", 5, 0), 0, NR_R_INVAL_ENTRY_OK);
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 1), 0, NR_R_INVAL_ENTRY_OK);
}

static void test_inval_entry_unknown_parent(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(999, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 1), ENOENT,
	       NR_R_INVAL_ENTRY_PARENT_NOENT);
}

static void test_inval_entry_parent_not_dir(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(2, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 1), ENOTDIR,
	       NR_R_INVAL_ENTRY_PARENT_NOTDIR);
	e.parent = 7; /* type unknown to the oracle: the type rule passes */
	e.namelen = 1;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "x", 1, 1), 0, NR_R_INVAL_ENTRY_OK);
}

static void test_inval_entry_name_not_cached(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, 3);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "zzz", 3, 1), ENOENT, NR_R_INVAL_ENTRY_NAME_NOENT);
	e.namelen = 1;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, ".", 1, 1), ENOENT, NR_R_INVAL_ENTRY_NAME_NOENT);
	st.have_entry = NULL;
	e.namelen = 4;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 1), ENOENT, NR_R_INVAL_ENTRY_NAME_NOENT);
}

static void test_inval_entry_negative_dentry(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, 3);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "neg", 3, 1), 0, NR_R_INVAL_ENTRY_OK);
}

static void test_inval_entry_flags_and_effects(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, 4);
	unsigned eff;

	(void)state;
	eff = effects_of(&k618, named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 1));
	assert_true(eff & NR_EFF_DENTRY_UNHASHED);
	assert_true(eff & NR_EFF_DIR_CHANGED);
	e.flags = FUSE_EXPIRE_ONLY;
	eff = effects_of(&k618, named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 1));
	assert_true(eff & NR_EFF_DENTRY_EXPIRED);
	assert_false(eff & NR_EFF_DENTRY_UNHASHED);
	e.flags = 0xfffffffe; /* unknown flags are ignored */
	EXPECT(named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 1), 0, NR_R_INVAL_ENTRY_OK);
}

/* ---- STORE ---- */

static size_t store_msg(uint64_t nodeid, uint64_t offset, uint32_t size, size_t data_sent)
{
	struct fuse_notify_store_out s = { .nodeid = nodeid, .offset = offset, .size = size };
	uint8_t b[24 + 64] = { 0 };

	memcpy(b, &s, sizeof(s));
	return notify_msg(FUSE_NOTIFY_STORE, b, sizeof(s) + data_sent);
}

static void test_store_short(void **state)
{
	struct fuse_notify_store_out s = { .nodeid = 2 };

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_STORE, &s, 23), EINVAL, NR_R_STORE_SHORT);
	EXPECT(notify_msg(FUSE_NOTIFY_STORE, &s, 0), EINVAL, NR_R_STORE_SHORT);
}

static void test_store_size_mismatch(void **state)
{
	(void)state;
	EXPECT(store_msg(2, 0, 4, 3), EINVAL, NR_R_STORE_SIZE);
	EXPECT(store_msg(2, 0, 4, 5), EINVAL, NR_R_STORE_SIZE);
	EXPECT(store_msg(2, 0, 4, 4), 0, NR_R_STORE_OK);
	EXPECT(store_msg(2, 0, 0, 0), 0, NR_R_STORE_OK);
	EXPECT(store_msg(2, 0, 0xffffffff, 4), EINVAL, NR_R_STORE_SIZE);
	/* size is checked before the inode is looked up (observed). */
	EXPECT(store_msg(999, 0, 5, 4), EINVAL, NR_R_STORE_SIZE);
}

static void test_store_unknown_nodeid(void **state)
{
	(void)state;
	EXPECT(store_msg(999, 0, 4, 4), ENOENT, NR_R_STORE_NOENT);
}

static void test_store_not_regular(void **state)
{
	(void)state;
	EXPECT(store_msg(3, 0, 4, 4), EINVAL, NR_R_STORE_NOTREG);        /* observed 6.18.44 */
	EXPECT(store_msg(6, 0, 0, 0), EINVAL, NR_R_STORE_NOTREG);
	EXPECT_K(&k618_0, store_msg(3, 0, 4, 4), 0, NR_R_STORE_OK);       /* before 9c954499d43a */
	EXPECT(store_msg(7, 0, 4, 4), 0, NR_R_STORE_OK);                 /* type unknown: passes */
}

static void test_store_offset_bounds(void **state)
{
	(void)state;
	/* 6.18.44 accepts any offset, even where offset + size wraps (observed). */
	EXPECT(store_msg(2, 0x7fffffffffffffffULL, 0, 0), 0, NR_R_STORE_OK);
	EXPECT(store_msg(2, 0xffffffffffffffffULL, 4, 4), 0, NR_R_STORE_OK);
	/* 65161470f95b: offset >= MAX_LFS_FILESIZE, checked before the lookup. */
	EXPECT_K(&knext, store_msg(2, 0x7fffffffffffffffULL, 0, 0), EINVAL, NR_R_STORE_OFFSET);
	EXPECT_K(&knext, store_msg(999, 0x8000000000000000ULL, 0, 0), EINVAL, NR_R_STORE_OFFSET);
	EXPECT_K(&knext, store_msg(2, 0x7ffffffffffffffeULL, 4, 4), 0, NR_R_STORE_OK);
}

/* ---- RETRIEVE ---- */

static size_t retrieve_msg(uint64_t nodeid, uint64_t offset, size_t sent)
{
	struct fuse_notify_retrieve_out r = { .notify_unique = 77, .nodeid = nodeid, .offset = offset, .size = 4 };
	uint8_t b[40] = { 0 };

	memcpy(b, &r, sizeof(r));
	return notify_msg(FUSE_NOTIFY_RETRIEVE, b, sent);
}

static void test_retrieve_size(void **state)
{
	(void)state;
	EXPECT(retrieve_msg(2, 0, 31), EINVAL, NR_R_RETRIEVE_SIZE);
	EXPECT(retrieve_msg(2, 0, 33), EINVAL, NR_R_RETRIEVE_SIZE);
	EXPECT(retrieve_msg(2, 0, 32), 0, NR_R_RETRIEVE_OK);
	assert_true(effects_of(&k618, retrieve_msg(2, 0, 32)) & NR_EFF_NOTIFY_REPLY);
}

static void test_retrieve_unknown_nodeid(void **state)
{
	(void)state;
	/* ENOENT, and no NOTIFY_REPLY is queued (observed). */
	EXPECT(retrieve_msg(999, 0, 32), ENOENT, NR_R_RETRIEVE_NOENT);
	assert_false(effects_of(&k618, retrieve_msg(999, 0, 32)) & NR_EFF_NOTIFY_REPLY);
}

static void test_retrieve_not_regular(void **state)
{
	(void)state;
	EXPECT(retrieve_msg(3, 0, 32), EINVAL, NR_R_RETRIEVE_NOTREG);
	EXPECT_K(&k618_0, retrieve_msg(3, 0, 32), 0, NR_R_RETRIEVE_OK);
}

static void test_retrieve_offset_bounds(void **state)
{
	(void)state;
	EXPECT(retrieve_msg(2, 0xffffffffffffffffULL, 32), 0, NR_R_RETRIEVE_OK); /* 0-byte reply */
	EXPECT_K(&knext, retrieve_msg(999, 0x7fffffffffffffffULL, 32), EINVAL, NR_R_RETRIEVE_OFFSET);
}

/* ---- DELETE ---- */

static struct fuse_notify_delete_out de(uint64_t parent, uint64_t child, uint32_t namelen)
{
	struct fuse_notify_delete_out d = { .parent = parent, .child = child, .namelen = namelen };

	return d;
}

static void test_delete_short(void **state)
{
	struct fuse_notify_delete_out d = de(1, 2, 0);

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_DELETE, &d, 23), EINVAL, NR_R_DELETE_SHORT);
	/* 16 bytes is a whole INVAL_ENTRY struct but not a DELETE one. */
	EXPECT(notify_msg(FUSE_NOTIFY_DELETE, &d, 16), EINVAL, NR_R_DELETE_SHORT);
}

static void test_delete_namelen(void **state)
{
	struct fuse_notify_delete_out d = de(1, 0, 0);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "", 0, 1), ENOENT, NR_R_DELETE_NAME_NOENT);
	d.namelen = NR_FUSE_NAME_LOW_MAX;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, long_name, NR_FUSE_NAME_LOW_MAX, 1), ENOENT,
	       NR_R_DELETE_NAME_NOENT);
	d.namelen = NR_FUSE_NAME_LOW_MAX + 1;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, long_name, NR_FUSE_NAME_LOW_MAX + 1, 1), ENAMETOOLONG,
	       NR_R_DELETE_NAMELEN);
	d.namelen = 0xffffffffu;
	EXPECT(notify_msg(FUSE_NOTIFY_DELETE, &d, 24), ENAMETOOLONG, NR_R_DELETE_NAMELEN);
}

static void test_delete_trailing_byte(void **state)
{
	struct fuse_notify_delete_out d = de(1, 2, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "file", 4, 0), EINVAL, NR_R_DELETE_SIZE);
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "file\0\0", 6, 0), EINVAL, NR_R_DELETE_SIZE);
}

static void test_delete_unknown_parent(void **state)
{
	struct fuse_notify_delete_out d = de(999, 2, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "file", 4, 1), ENOENT, NR_R_DELETE_PARENT_NOENT);
}

static void test_delete_parent_not_dir(void **state)
{
	struct fuse_notify_delete_out d = de(2, 2, 2);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "xx", 2, 1), ENOTDIR, NR_R_DELETE_PARENT_NOTDIR);
}

static void test_delete_name_not_cached(void **state)
{
	struct fuse_notify_delete_out d = de(1, 2, 3);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "zzz", 3, 1), ENOENT, NR_R_DELETE_NAME_NOENT);
}

static void test_delete_child_mismatch(void **state)
{
	struct fuse_notify_delete_out d = de(1, 3, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "file", 4, 1), ENOENT, NR_R_DELETE_CHILD_MISMATCH);
	/* The dentry was unhashed before the comparison (observed). */
	assert_true(effects_of(&k618, named_msg(FUSE_NOTIFY_DELETE, &d, 24, "file", 4, 1)) &
		    NR_EFF_DENTRY_UNHASHED);
}

static void test_delete_no_child(void **state)
{
	struct fuse_notify_delete_out d = de(1, 0, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "file", 4, 1), 0, NR_R_DELETE_NO_CHILD_OK);
	d = de(1, 77, 3);
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "neg", 3, 1), 0, NR_R_DELETE_NO_CHILD_OK);
}

static void test_delete_busy(void **state)
{
	struct fuse_notify_delete_out d = de(1, 4, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "busy", 4, 1), ENOTEMPTY, NR_R_DELETE_NOTEMPTY);
	/* A mountpoint deletes: d_invalidate() detached the mount before the
	   kernel's EBUSY check (observed 6.18.44, found by cases/kdiff.c). */
	d = de(1, 5, 3);
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "mnt", 3, 1), 0, NR_R_DELETE_OK);
	st.delete_busy = NULL;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "mnt", 3, 1), 0, NR_R_DELETE_OK);
}

static void test_delete_ok(void **state)
{
	struct fuse_notify_delete_out d = de(1, 2, 4);

	(void)state;
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "file", 4, 1), 0, NR_R_DELETE_OK);
	assert_true(effects_of(&k618, named_msg(FUSE_NOTIFY_DELETE, &d, 24, "file", 4, 1)) &
		    NR_EFF_DENTRY_DELETED);
	d = de(1, 3, 3);
	EXPECT(named_msg(FUSE_NOTIFY_DELETE, &d, 24, "dir", 3, 1), 0, NR_R_DELETE_OK);
}

/* ---- RESEND, INC_EPOCH, PRUNE ---- */

static void test_resend_any_payload(void **state)
{
	uint8_t junk[100];

	(void)state;
	memset(junk, 0xee, sizeof(junk));
	EXPECT(notify_msg(FUSE_NOTIFY_RESEND, NULL, 0), 0, NR_R_RESEND_OK);
	EXPECT(notify_msg(FUSE_NOTIFY_RESEND, junk, 5), 0, NR_R_RESEND_OK);
}

static void test_inc_epoch_any_payload(void **state)
{
	uint8_t junk[100];

	(void)state;
	memset(junk, 0xee, sizeof(junk));
	EXPECT(notify_msg(FUSE_NOTIFY_INC_EPOCH, NULL, 0), 0, NR_R_INC_EPOCH_OK);
	EXPECT(notify_msg(FUSE_NOTIFY_INC_EPOCH, junk, 100), 0, NR_R_INC_EPOCH_OK);
}

static size_t prune_msg(uint32_t count, size_t nids_sent)
{
	uint64_t p[2 + 4] = { 0, 0, 999, 2, 3, 4 };
	struct fuse_notify_prune_out po = { .count = count };

	memcpy(p, &po, sizeof(po));
	return notify_msg(FUSE_NOTIFY_PRUNE, p, 16 + nids_sent * 8);
}

static void test_prune_short(void **state)
{
	uint8_t b[16] = { 0 };

	(void)state;
	EXPECT(notify_msg(FUSE_NOTIFY_PRUNE, b, 15), EINVAL, NR_R_PRUNE_SHORT);
	EXPECT(notify_msg(FUSE_NOTIFY_PRUNE, b, 0), EINVAL, NR_R_PRUNE_SHORT);
}

static void test_prune_count(void **state)
{
	(void)state;
	EXPECT(prune_msg(0, 0), 0, NR_R_PRUNE_OK);
	EXPECT(prune_msg(1, 1), 0, NR_R_PRUNE_OK); /* unknown nodeid 999: ignored */
	EXPECT(prune_msg(4, 4), 0, NR_R_PRUNE_OK);
	EXPECT(prune_msg(2, 1), EINVAL, NR_R_PRUNE_COUNT);
	EXPECT(prune_msg(0, 1), EINVAL, NR_R_PRUNE_COUNT);
	/* A byte more or less than whole nodeids. */
	{
		uint64_t p[4] = { 0, 0, 999, 0 };
		struct fuse_notify_prune_out po = { .count = 1 };

		memcpy(p, &po, sizeof(po));
		EXPECT(notify_msg(FUSE_NOTIFY_PRUNE, p, 25), EINVAL, NR_R_PRUNE_COUNT);
		EXPECT(notify_msg(FUSE_NOTIFY_PRUNE, p, 23), EINVAL, NR_R_PRUNE_COUNT);
	}
}

static void test_prune_count_no_wrap(void **state)
{
	(void)state;
	/* 0x20000000 * 8 wraps a 32-bit size_t; u64 math must not (observed EINVAL). */
	EXPECT(prune_msg(0x20000000u, 0), EINVAL, NR_R_PRUNE_COUNT);
	EXPECT(prune_msg(0xffffffffu, 0), EINVAL, NR_R_PRUNE_COUNT);
}

/* ---- the tables and helpers ---- */

static void test_rules_table_complete(void **state)
{
	(void)state;
	for (int i = 1; i < NR_R__COUNT; i++) {
		const struct nr_rule *r = nr_rule_get((enum nr_rule_id)i);

		assert_non_null(r->text);
		assert_non_null(r->cite);
		assert_true(strlen(r->text) > 5);
		assert_true(strncmp(r->cite, "fs/fuse/", 8) == 0);
		assert_string_not_equal(nr_errno_name(r->err), "E?");
	}
	assert_ptr_equal(nr_rule_get(NR_R__COUNT), nr_rule_get(NR_R_ACCEPTED));
}

static void test_explain_and_describe(void **state)
{
	struct fuse_notify_inval_entry_out e = ie(1, 4);
	struct nr_verdict v;
	char out[512];
	size_t len;

	(void)state;
	len = named_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16, "file", 4, 0);
	assert_string_equal(nr_explain(&k618, &st, buf, len),
			    "INVAL_ENTRY: size != sizeof(outarg) + namelen + 1");
	assert_int_equal(nr_predict(&k618, &st, buf, len), EINVAL);
	predict(&k618, buf, len, &v);
	assert_int_equal(v.code, FUSE_NOTIFY_INVAL_ENTRY);
	assert_int_equal(v.unique, 0);
	nr_describe(&v, out, sizeof(out));
	assert_non_null(strstr(out, "-> EINVAL [fs/fuse/dev.c, fuse_notify_inval_entry"));
}

static void test_name_max_from_init(void **state)
{
	struct fuse_init_out o;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.major = 7;
	o.minor = 45;
	o.flags = FUSE_MAX_PAGES;
	o.max_pages = 32;
	assert_int_equal(nr_name_max_from_init(&k618, &o), NR_FUSE_NAME_MAX);
	o.max_pages = 2;
	assert_int_equal(nr_name_max_from_init(&k618, &o), NR_FUSE_NAME_MAX);
	o.max_pages = 1; /* observed: 1025 -> ENAMETOOLONG */
	assert_int_equal(nr_name_max_from_init(&k618, &o), NR_FUSE_NAME_LOW_MAX);
	o.max_pages = 0; /* max(0, 1) */
	assert_int_equal(nr_name_max_from_init(&k618, &o), NR_FUSE_NAME_LOW_MAX);
	o.max_pages = 32;
	o.flags = 0; /* no FUSE_MAX_PAGES: observed 1024 */
	assert_int_equal(nr_name_max_from_init(&k618, &o), NR_FUSE_NAME_LOW_MAX);
	o.flags = FUSE_MAX_PAGES;
	assert_int_equal(nr_name_max_from_init(&k61, &o), NR_FUSE_NAME_LOW_MAX); /* before 6.14 */
	o.major = 8;
	assert_int_equal(nr_name_max_from_init(&k618, &o), NR_FUSE_NAME_LOW_MAX);
	o.major = 7;
	{
		struct nr_kernel k = k618;

		k.max_pages_limit = 1;
		assert_int_equal(nr_name_max_from_init(&k, &o), NR_FUSE_NAME_LOW_MAX);
	}
}

static void test_zeroed_kernel_defaults(void **state)
{
	struct nr_kernel k;
	struct fuse_notify_inval_entry_out e = ie(1, NR_FUSE_NAME_LOW_MAX + 1);

	(void)state;
	memset(&k, 0, sizeof(k));
	EXPECT_K(&k, notify_msg(FUSE_NOTIFY_PRUNE, NULL, 16), 0, NR_R_PRUNE_OK);        /* minor 45 */
	EXPECT_K(&k, reply_msg(12345, -512, 0), EINVAL, NR_R_REPLY_ERR_RANGE);          /* -512 */
	EXPECT_K(&k, notify_msg(FUSE_NOTIFY_INVAL_ENTRY, &e, 16), ENAMETOOLONG,           /* 1024 */
		 NR_R_INVAL_ENTRY_NAMELEN);
}

static void test_presets(void **state)
{
	(void)state;
	assert_int_equal(k61.minor, 38);
	assert_false(k61.long_names);
	assert_int_equal(k618.minor, 45);
	assert_true(k618.pagecache_regular_only);
	assert_false(k618.pagecache_offset_limit);
	assert_false(k618.notify_needs_init);
	assert_false(k618_0.pagecache_regular_only);
	assert_true(knext.pagecache_offset_limit);
	assert_int_equal(k618.name_max, NR_FUSE_NAME_LOW_MAX);
}

/*
 * Random writes, every one on an exact-size buffer: the verdict must come
 * from the table, and ASan/UBSan must stay quiet.
 */
static void test_random_messages(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	static uint8_t m[16 + 64 + 2048];
	const struct nr_kernel *ks[] = { &k618, &k61, &k618_0, &knext };

	(void)state;
	for (int i = 0; i < 50000; i++) {
		size_t len;
		struct nr_verdict v;
		int err;

		for (size_t j = 0; j < 96; j += 8) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			memcpy(m + j, &x, 8);
		}
		len = (size_t)(x % (sizeof(m) + 1));
		if (x & 0x100000)
			len = 16 + (size_t)((x >> 24) % 80);
		if (len >= 16) {
			uint32_t l = (uint32_t)len;

			if (!(x & 0x200000))
				memcpy(m, &l, 4); /* mostly a consistent oh.len */
			if (!(x & 0x400000))
				memset(m + 8, 0, 8); /* mostly notifications */
			if (!(x & 0x800000)) {
				int32_t code = (int32_t)((x >> 32) % 11);

				memcpy(m + 4, &code, 4);
			}
			if (len >= 16 + 24 && !(x & 0x1000000)) {
				uint32_t nl = (uint32_t)((x >> 40) % 40);

				memcpy(m + 16 + 16, &nl, 4); /* delete namelen */
				memcpy(m + 16 + 8, &nl, 4);  /* inval_entry namelen */
			}
		}
		err = predict(ks[i & 3], m, len, &v);
		assert_int_equal(err, nr_rule_get(v.rule)->err);
		assert_true(v.rule != NR_R_ACCEPTED);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_unattached_eperm, setup),
		cmocka_unit_test_setup(test_hdr_short, setup),
		cmocka_unit_test_setup(test_hdr_len_mismatch, setup),
		cmocka_unit_test_setup(test_notify_before_init, setup),
		cmocka_unit_test_setup(test_code_0, setup),
		cmocka_unit_test_setup(test_code_10, setup),
		cmocka_unit_test_setup(test_code_0xffff, setup),
		cmocka_unit_test_setup(test_code_negative, setup),
		cmocka_unit_test_setup(test_minor_38_vs_45, setup),
		cmocka_unit_test_setup(test_minor_40_and_44, setup),
		cmocka_unit_test_setup(test_code_since_minor, setup),
		cmocka_unit_test_setup(test_reply_positive_error, setup),
		cmocka_unit_test_setup(test_reply_error_m511, setup),
		cmocka_unit_test_setup(test_reply_error_m512, setup),
		cmocka_unit_test_setup(test_reply_error_floor_before_5_14, setup),
		cmocka_unit_test_setup(test_reply_unknown_unique, setup),
		cmocka_unit_test_setup(test_reply_error_with_payload, setup),
		cmocka_unit_test_setup(test_reply_size, setup),
		cmocka_unit_test_setup(test_interrupt_reply, setup),
		cmocka_unit_test_setup(test_poll_size, setup),
		cmocka_unit_test_setup(test_poll_unknown_kh, setup),
		cmocka_unit_test_setup(test_inval_inode_size, setup),
		cmocka_unit_test_setup(test_inval_inode_unknown, setup),
		cmocka_unit_test_setup(test_inval_inode_off_len_unchecked, setup),
		cmocka_unit_test_setup(test_inval_entry_short, setup),
		cmocka_unit_test_setup(test_inval_entry_namelen_0, setup),
		cmocka_unit_test_setup(test_inval_entry_namelen_name_max, setup),
		cmocka_unit_test_setup(test_inval_entry_namelen_name_max_plus_1, setup),
		cmocka_unit_test_setup(test_inval_entry_namelen_long_names, setup),
		cmocka_unit_test_setup(test_inval_entry_namelen_u32_max, setup),
		cmocka_unit_test_setup(test_inval_entry_namelen_before_size, setup),
		cmocka_unit_test_setup(test_inval_entry_trailing_byte, setup),
		cmocka_unit_test_setup(test_inval_entry_unknown_parent, setup),
		cmocka_unit_test_setup(test_inval_entry_parent_not_dir, setup),
		cmocka_unit_test_setup(test_inval_entry_name_not_cached, setup),
		cmocka_unit_test_setup(test_inval_entry_negative_dentry, setup),
		cmocka_unit_test_setup(test_inval_entry_flags_and_effects, setup),
		cmocka_unit_test_setup(test_store_short, setup),
		cmocka_unit_test_setup(test_store_size_mismatch, setup),
		cmocka_unit_test_setup(test_store_unknown_nodeid, setup),
		cmocka_unit_test_setup(test_store_not_regular, setup),
		cmocka_unit_test_setup(test_store_offset_bounds, setup),
		cmocka_unit_test_setup(test_retrieve_size, setup),
		cmocka_unit_test_setup(test_retrieve_unknown_nodeid, setup),
		cmocka_unit_test_setup(test_retrieve_not_regular, setup),
		cmocka_unit_test_setup(test_retrieve_offset_bounds, setup),
		cmocka_unit_test_setup(test_delete_short, setup),
		cmocka_unit_test_setup(test_delete_namelen, setup),
		cmocka_unit_test_setup(test_delete_trailing_byte, setup),
		cmocka_unit_test_setup(test_delete_unknown_parent, setup),
		cmocka_unit_test_setup(test_delete_parent_not_dir, setup),
		cmocka_unit_test_setup(test_delete_name_not_cached, setup),
		cmocka_unit_test_setup(test_delete_child_mismatch, setup),
		cmocka_unit_test_setup(test_delete_no_child, setup),
		cmocka_unit_test_setup(test_delete_busy, setup),
		cmocka_unit_test_setup(test_delete_ok, setup),
		cmocka_unit_test_setup(test_resend_any_payload, setup),
		cmocka_unit_test_setup(test_inc_epoch_any_payload, setup),
		cmocka_unit_test_setup(test_prune_short, setup),
		cmocka_unit_test_setup(test_prune_count, setup),
		cmocka_unit_test_setup(test_prune_count_no_wrap, setup),
		cmocka_unit_test_setup(test_rules_table_complete, setup),
		cmocka_unit_test_setup(test_explain_and_describe, setup),
		cmocka_unit_test_setup(test_name_max_from_init, setup),
		cmocka_unit_test_setup(test_zeroed_kernel_defaults, setup),
		cmocka_unit_test_setup(test_presets, setup),
		cmocka_unit_test_setup(test_random_messages, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
