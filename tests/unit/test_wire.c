// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_wire.c - the FUSE ABI helpers of harness/abi/wire.c: strict splitting of
 * requests (fw_req_parse), the reply and notification encoders, and the
 * opcode / notify code names.
 *
 * Requests are built by hand, byte by byte (memcpy of the kernel structs
 * into byte buffers), then handed to the parser in a heap copy of exactly
 * their length, so AddressSanitizer catches any read past the message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#define HDR_LEN sizeof(struct fuse_in_header)
#define OUT_HDR_LEN sizeof(struct fuse_out_header)

/* --- helpers ------------------------------------------------------------------ */

/* A request under construction: header fields, then the bytes after it. */
struct req_spec {
	uint32_t opcode;
	uint64_t unique;
	uint64_t nodeid;
	const void *fixed;  /* the opcode's fixed struct */
	size_t fixedlen;
	const char *name;   /* appended with its NUL */
	const char *name2;  /* appended with its NUL */
	size_t extlen;      /* bytes of extensions after the args (multiple of 8) */
};

/* Build the message into buf (capacity cap); returns its length. */
static size_t req_build(uint8_t *buf, size_t cap, const struct req_spec *s)
{
	struct fuse_in_header h = {
		.opcode = s->opcode,
		.unique = s->unique,
		.nodeid = s->nodeid,
		.uid = 1000,
		.gid = 1001,
		.pid = 4242,
		.total_extlen = (uint16_t)(s->extlen / 8),
	};
	size_t off = HDR_LEN;

	assert_true(cap >= HDR_LEN);
	if (s->fixedlen) {
		assert_true(off + s->fixedlen <= cap);
		memcpy(buf + off, s->fixed, s->fixedlen);
		off += s->fixedlen;
	}
	if (s->name) {
		size_t n = strlen(s->name) + 1;

		assert_true(off + n <= cap);
		memcpy(buf + off, s->name, n);
		off += n;
	}
	if (s->name2) {
		size_t n = strlen(s->name2) + 1;

		assert_true(off + n <= cap);
		memcpy(buf + off, s->name2, n);
		off += n;
	}
	assert_true(off + s->extlen <= cap);
	/* Extension bytes are zero here: a NUL there must never end a name. */
	memset(buf + off, 0, s->extlen);
	off += s->extlen;
	h.len = (uint32_t)off;
	memcpy(buf, &h, sizeof(h));
	return off;
}

/* Overwrite hdr.len or hdr.total_extlen of a built message. */
static void patch_len(uint8_t *buf, uint32_t len)
{
	memcpy(buf + offsetof(struct fuse_in_header, len), &len, sizeof(len));
}

static void patch_extlen(uint8_t *buf, uint16_t extlen)
{
	memcpy(buf + offsetof(struct fuse_in_header, total_extlen), &extlen, sizeof(extlen));
}

/*
 * Parse a heap copy of exactly len bytes.  The copy must outlive the
 * pointers in req, so the caller frees *copy.
 */
static int parse_exact(const uint8_t *src, size_t len, struct fw_req *req, uint8_t **copy)
{
	*copy = malloc(len ? len : 1);
	assert_non_null(*copy);
	memcpy(*copy, src, len);
	return fw_req_parse(*copy, len, req);
}

/* Parse and free at once, for verdict-only checks. */
static int parse_rc(const uint8_t *src, size_t len)
{
	struct fw_req req;
	uint8_t *copy;
	int rc = parse_exact(src, len, &req, &copy);

	free(copy);
	return rc;
}

/* The exact-bytes tests spell the little-endian layout of the host ABI. */
static void skip_unless_little_endian(void)
{
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	skip();
#endif
}

/* --- fw_req_parse: valid requests ------------------------------------------------ */

static void parse_lookup_gives_header_fields_and_name(void **state)
{
	uint8_t buf[128], *copy;
	struct req_spec s = {.opcode = FUSE_LOOKUP, .unique = 0x1122334455667788ull,
			     .nodeid = FUSE_ROOT_ID, .name = "hello"};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fw_req req;

	assert_int_equal(len, HDR_LEN + 6);
	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.hdr.len, len);
	assert_int_equal(req.hdr.opcode, FUSE_LOOKUP);
	assert_true(req.hdr.unique == 0x1122334455667788ull);
	assert_int_equal(req.hdr.nodeid, FUSE_ROOT_ID);
	assert_int_equal(req.hdr.uid, 1000);
	assert_int_equal(req.hdr.gid, 1001);
	assert_int_equal(req.hdr.pid, 4242);
	assert_int_equal(req.hdr.total_extlen, 0);
	assert_ptr_equal(req.arg, copy + HDR_LEN);
	assert_int_equal(req.arglen, 6);
	assert_string_equal(req.name, "hello");
	assert_ptr_equal(req.name, (const char *)copy + HDR_LEN);
	assert_null(req.name2);
	free(copy);
}

static void parse_rename_gives_newdir_old_name_and_new_name(void **state)
{
	struct fuse_rename_in in = {.newdir = 77};
	uint8_t buf[128], *copy;
	struct req_spec s = {.opcode = FUSE_RENAME, .unique = 9, .nodeid = 5,
			     .fixed = &in, .fixedlen = sizeof(in), .name = "old", .name2 = "new"};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fuse_rename_in got;
	struct fw_req req;

	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.hdr.opcode, FUSE_RENAME);
	assert_int_equal(req.hdr.nodeid, 5);
	assert_int_equal(req.arglen, sizeof(in) + 4 + 4);
	memcpy(&got, req.arg, sizeof(got));
	assert_int_equal(got.newdir, 77);
	assert_string_equal(req.name, "old");
	assert_ptr_equal(req.name, (const char *)copy + HDR_LEN + sizeof(in));
	assert_string_equal(req.name2, "new");
	assert_ptr_equal(req.name2, (const char *)copy + HDR_LEN + sizeof(in) + 4);
	free(copy);
}

static void parse_rename2_gives_flags_and_both_names(void **state)
{
	struct fuse_rename2_in in = {.newdir = 3, .flags = 1 /* RENAME_NOREPLACE */};
	uint8_t buf[128], *copy;
	struct req_spec s = {.opcode = FUSE_RENAME2, .nodeid = 2, .fixed = &in,
			     .fixedlen = sizeof(in), .name = "a", .name2 = "bb"};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fuse_rename2_in got;
	struct fw_req req;

	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	memcpy(&got, req.arg, sizeof(got));
	assert_int_equal(got.newdir, 3);
	assert_int_equal(got.flags, 1);
	assert_string_equal(req.name, "a");
	assert_string_equal(req.name2, "bb");
	free(copy);
}

static void parse_symlink_gives_entry_name_then_target(void **state)
{
	uint8_t buf[128], *copy;
	struct req_spec s = {.opcode = FUSE_SYMLINK, .nodeid = FUSE_ROOT_ID, .name = "link",
			     .name2 = "../some/target"};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fw_req req;

	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	/* SYMLINK has no fixed part: the entry name starts the payload. */
	assert_ptr_equal(req.name, (const char *)copy + HDR_LEN);
	assert_string_equal(req.name, "link");
	assert_string_equal(req.name2, "../some/target");
	assert_int_equal(req.arglen, 5 + 15);
	free(copy);
}

static void parse_create_finds_name_after_fuse_create_in(void **state)
{
	struct fuse_create_in in = {.flags = 0101 /* O_WRONLY|O_CREAT */, .mode = 0100644,
				    .umask = 022, .open_flags = 0};
	uint8_t buf[128], *copy;
	struct req_spec s = {.opcode = FUSE_CREATE, .nodeid = FUSE_ROOT_ID, .fixed = &in,
			     .fixedlen = sizeof(in), .name = "new.txt"};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fuse_create_in got;
	struct fw_req req;

	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.arglen, sizeof(in) + 8);
	memcpy(&got, req.arg, sizeof(got));
	assert_int_equal(got.mode, 0100644);
	assert_int_equal(got.umask, 022);
	assert_ptr_equal(req.name, (const char *)copy + HDR_LEN + sizeof(in));
	assert_string_equal(req.name, "new.txt");
	assert_null(req.name2);
	free(copy);
}

static void parse_create_with_extensions_keeps_them_out_of_arg(void **state)
{
	struct fuse_create_in in = {.mode = 0100600};
	uint8_t buf[128], *copy;
	/* e.g. a security context: 16 bytes of extension after the name */
	struct req_spec s = {.opcode = FUSE_CREATE, .nodeid = FUSE_ROOT_ID, .fixed = &in,
			     .fixedlen = sizeof(in), .name = "f", .extlen = 16};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fw_req req;

	assert_int_equal(len, HDR_LEN + sizeof(in) + 2 + 16);
	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.hdr.total_extlen, 2);
	assert_int_equal(req.arglen, sizeof(in) + 2);
	assert_string_equal(req.name, "f");
	free(copy);
}

static void parse_forget_gives_nlookup(void **state)
{
	struct fuse_forget_in in = {.nlookup = 3};
	uint8_t buf[64], *copy;
	struct req_spec s = {.opcode = FUSE_FORGET, .nodeid = 12, .fixed = &in,
			     .fixedlen = sizeof(in)};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fuse_forget_in got;
	struct fw_req req;

	assert_int_equal(len, HDR_LEN + 8);
	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.hdr.opcode, FUSE_FORGET);
	assert_int_equal(req.hdr.nodeid, 12);
	assert_int_equal(req.arglen, sizeof(in));
	memcpy(&got, req.arg, sizeof(got));
	assert_int_equal(got.nlookup, 3);
	assert_null(req.name);
	free(copy);
}

static void parse_batch_forget_gives_count_and_entries(void **state)
{
	struct fuse_batch_forget_in b = {.count = 2};
	struct fuse_forget_one one[2] = {{.nodeid = 5, .nlookup = 1}, {.nodeid = 9, .nlookup = 4}};
	uint8_t payload[sizeof(b) + sizeof(one)], buf[128], *copy;
	struct req_spec s = {.opcode = FUSE_BATCH_FORGET, .fixed = payload,
			     .fixedlen = sizeof(payload)};
	struct fuse_batch_forget_in gotb;
	struct fuse_forget_one got;
	struct fw_req req;
	size_t len;

	memcpy(payload, &b, sizeof(b));
	memcpy(payload + sizeof(b), one, sizeof(one));
	len = req_build(buf, sizeof(buf), &s);
	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.hdr.opcode, FUSE_BATCH_FORGET);
	assert_int_equal(req.arglen, 8 + 2 * 16);
	memcpy(&gotb, req.arg, sizeof(gotb));
	assert_int_equal(gotb.count, 2);
	memcpy(&got, req.arg + sizeof(b) + sizeof(got), sizeof(got));
	assert_int_equal(got.nodeid, 9);
	assert_int_equal(got.nlookup, 4);
	assert_null(req.name);
	free(copy);
}

static void parse_init_accepts_64_byte_and_compat_16_byte_init_in(void **state)
{
	struct fuse_init_in in = {.major = 7, .minor = 45, .max_readahead = 131072,
				  .flags = FUSE_ASYNC_READ | FUSE_INIT_EXT, .flags2 = FUSE2_HAS_RESEND};
	uint8_t buf[128], *copy;
	struct req_spec s = {.opcode = FUSE_INIT, .unique = 2, .fixed = &in, .fixedlen = sizeof(in)};
	struct fuse_init_in got;
	struct fw_req req;
	size_t len;

	len = req_build(buf, sizeof(buf), &s);
	assert_int_equal(len, HDR_LEN + 64);
	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.arglen, 64);
	memcpy(&got, req.arg, sizeof(got));
	assert_int_equal(got.major, 7);
	assert_int_equal(got.minor, 45);
	assert_int_equal(got.flags2, FUSE2_HAS_RESEND);
	free(copy);

	/* Kernels before 7.36 send major, minor, max_readahead, flags: 16 bytes. */
	s.fixedlen = 16;
	len = req_build(buf, sizeof(buf), &s);
	assert_int_equal(parse_rc(buf, len), 0);
	s.fixedlen = 15;
	len = req_build(buf, sizeof(buf), &s);
	assert_int_equal(parse_rc(buf, len), EPROTO);
}

static void parse_unknown_opcode_takes_any_payload_without_names(void **state)
{
	uint8_t junk[5] = {'a', 'b', 'c', 'd', 'e'}, buf[64], *copy;
	struct req_spec s = {.opcode = 9999, .fixed = junk, .fixedlen = sizeof(junk)};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fw_req req;

	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.arglen, 5);
	assert_null(req.name);
	assert_null(req.name2);
	free(copy);
}

static void parse_header_only_request_has_empty_arg(void **state)
{
	uint8_t buf[64], *copy;
	struct req_spec s = {.opcode = FUSE_STATFS, .nodeid = FUSE_ROOT_ID};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fw_req req;

	assert_int_equal(len, HDR_LEN);
	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	assert_int_equal(req.arglen, 0);
	assert_ptr_equal(req.arg, copy + HDR_LEN);
	free(copy);
}

/* --- fw_req_parse: malformed requests ----------------------------------------------- */

static void parse_rejects_hdr_len_different_from_bytes_read(void **state)
{
	uint8_t buf[128];
	struct req_spec s = {.opcode = FUSE_LOOKUP, .nodeid = 1, .name = "x"};
	size_t len = req_build(buf, sizeof(buf), &s);

	assert_int_equal(parse_rc(buf, len), 0);
	patch_len(buf, (uint32_t)len + 1);
	assert_int_equal(parse_rc(buf, len), EPROTO);
	patch_len(buf, (uint32_t)len - 1);
	assert_int_equal(parse_rc(buf, len), EPROTO);
	patch_len(buf, 0);
	assert_int_equal(parse_rc(buf, len), EPROTO);
	patch_len(buf, UINT32_MAX);
	assert_int_equal(parse_rc(buf, len), EPROTO);
	/* More bytes read than the header claims is as wrong as fewer. */
	patch_len(buf, (uint32_t)len);
	buf[len] = 0;
	assert_int_equal(parse_rc(buf, len + 1), EPROTO);
}

static void parse_rejects_every_length_shorter_than_header(void **state)
{
	uint8_t buf[64];
	struct req_spec s = {.opcode = FUSE_STATFS, .nodeid = 1};

	req_build(buf, sizeof(buf), &s);
	for (size_t len = 0; len < HDR_LEN; len++) {
		/* Even with hdr.len agreeing with the truncated length. */
		patch_len(buf, (uint32_t)len);
		assert_int_equal(parse_rc(buf, len), EPROTO);
	}
}

static void parse_failure_leaves_no_stale_pointers(void **state)
{
	uint8_t buf[64], *copy;
	struct req_spec s = {.opcode = FUSE_LOOKUP, .nodeid = 1, .name = "abc"};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fw_req req;

	memset(&req, 0xa5, sizeof(req));
	assert_int_equal(parse_exact(buf, 10, &req, &copy), EPROTO);
	assert_null(req.arg);
	assert_null(req.name);
	assert_null(req.name2);
	free(copy);

	buf[len - 1] = 'd'; /* the name loses its NUL */
	memset(&req, 0xa5, sizeof(req));
	assert_int_equal(parse_exact(buf, len, &req, &copy), EPROTO);
	assert_null(req.name);
	assert_null(req.name2);
	free(copy);
}

static void parse_rejects_name_without_nul_inside_message(void **state)
{
	static const uint32_t one_name_ops[] = {FUSE_LOOKUP, FUSE_UNLINK, FUSE_RMDIR,
						FUSE_REMOVEXATTR};
	uint8_t buf[128];

	for (size_t i = 0; i < sizeof(one_name_ops) / sizeof(one_name_ops[0]); i++) {
		struct req_spec s = {.opcode = one_name_ops[i], .nodeid = 1, .name = "name"};
		size_t len = req_build(buf, sizeof(buf), &s);

		assert_int_equal(parse_rc(buf, len), 0);
		/* Drop the NUL: the name now runs to the very end of the message. */
		patch_len(buf, (uint32_t)len - 1);
		assert_int_equal(parse_rc(buf, len - 1), EPROTO);
	}
}

static void parse_rejects_name_whose_nul_lies_in_the_extensions(void **state)
{
	struct fuse_mkdir_in in = {.mode = 040755};
	uint8_t buf[128];
	struct req_spec s = {.opcode = FUSE_MKDIR, .nodeid = 1, .fixed = &in,
			     .fixedlen = sizeof(in), .name = "dir", .extlen = 8};
	size_t len = req_build(buf, sizeof(buf), &s);

	assert_int_equal(parse_rc(buf, len), 0);
	/* Turn the name's NUL into a letter: the next NUL is in the (zero) extension. */
	buf[HDR_LEN + sizeof(in) + 3] = 'x';
	assert_int_equal(parse_rc(buf, len), EPROTO);
}

static void parse_rejects_total_extlen_past_the_end(void **state)
{
	uint8_t buf[128];
	struct req_spec s = {.opcode = FUSE_STATFS, .nodeid = 1, .extlen = 16};
	size_t len = req_build(buf, sizeof(buf), &s);

	/* Exactly the payload as extensions is fine (arglen 0). */
	assert_int_equal(parse_rc(buf, len), 0);
	patch_extlen(buf, 3); /* 24 bytes, 16 present */
	assert_int_equal(parse_rc(buf, len), EPROTO);
	patch_extlen(buf, UINT16_MAX);
	assert_int_equal(parse_rc(buf, len), EPROTO);

	/* A header-only message cannot carry any extension. */
	s.extlen = 0;
	len = req_build(buf, sizeof(buf), &s);
	patch_extlen(buf, 1);
	assert_int_equal(parse_rc(buf, len), EPROTO);
}

static void parse_rejects_extensions_eating_the_fixed_part(void **state)
{
	struct fuse_forget_in in = {.nlookup = 1};
	uint8_t buf[64];
	struct req_spec s = {.opcode = FUSE_FORGET, .nodeid = 3, .fixed = &in,
			     .fixedlen = sizeof(in)};
	size_t len = req_build(buf, sizeof(buf), &s);

	/* total_extlen 1 claims the 8 bytes of fuse_forget_in as an extension. */
	patch_extlen(buf, 1);
	assert_int_equal(parse_rc(buf, len), EPROTO);
}

static void parse_fixed_sizes_are_the_kernel_structs(void **state)
{
	assert_int_equal(fw_req_fixed_size(FUSE_FORGET), 8);
	assert_int_equal(fw_req_fixed_size(FUSE_GETATTR), 16);
	assert_int_equal(fw_req_fixed_size(FUSE_SETATTR), 88);
	assert_int_equal(fw_req_fixed_size(FUSE_MKNOD), 16);
	assert_int_equal(fw_req_fixed_size(FUSE_MKDIR), 8);
	assert_int_equal(fw_req_fixed_size(FUSE_RENAME), 8);
	assert_int_equal(fw_req_fixed_size(FUSE_RENAME2), 16);
	assert_int_equal(fw_req_fixed_size(FUSE_LINK), 8);
	assert_int_equal(fw_req_fixed_size(FUSE_OPEN), 8);
	assert_int_equal(fw_req_fixed_size(FUSE_CREATE), 16);
	assert_int_equal(fw_req_fixed_size(FUSE_READ), 40);
	assert_int_equal(fw_req_fixed_size(FUSE_WRITE), 40);
	assert_int_equal(fw_req_fixed_size(FUSE_RELEASE), 24);
	assert_int_equal(fw_req_fixed_size(FUSE_FLUSH), 24);
	assert_int_equal(fw_req_fixed_size(FUSE_INTERRUPT), 8);
	assert_int_equal(fw_req_fixed_size(FUSE_BATCH_FORGET), 8);
	assert_int_equal(fw_req_fixed_size(FUSE_INIT), 16);
	assert_int_equal(fw_req_fixed_size(FUSE_NOTIFY_REPLY), 40);
	/* Name-only or empty payloads have no fixed part. */
	assert_int_equal(fw_req_fixed_size(FUSE_LOOKUP), 0);
	assert_int_equal(fw_req_fixed_size(FUSE_SYMLINK), 0);
	assert_int_equal(fw_req_fixed_size(FUSE_STATFS), 0);
	assert_int_equal(fw_req_fixed_size(0), 0);
	assert_int_equal(fw_req_fixed_size(9999), 0);
}

static void parse_rejects_fixed_part_one_byte_short_for_every_opcode(void **state)
{
	uint8_t fixed[128], buf[256];

	memset(fixed, 0x11, sizeof(fixed));
	for (uint32_t op = 1; op <= FUSE_OPCODE_MAX_KNOWN; op++) {
		size_t want = fw_req_fixed_size(op);
		/* Names for the opcodes that take them, so only the fixed part is wrong. */
		struct req_spec s = {.opcode = op, .nodeid = 1, .fixed = fixed, .name = "n1",
				     .name2 = "n2"};
		size_t len;

		if (!want)
			continue;
		assert_true(want <= sizeof(fixed));
		s.fixedlen = want - 1;
		s.name = s.name2 = NULL; /* nothing after: the fixed part itself is short */
		len = req_build(buf, sizeof(buf), &s);
		if (parse_rc(buf, len) != EPROTO)
			fail_msg("%s with a %zu-byte fixed part (needs %zu) was accepted",
				 fw_opcode_name(op), want - 1, want);
		s.fixedlen = want;
		s.name = "n1";
		s.name2 = "n2";
		len = req_build(buf, sizeof(buf), &s);
		if (parse_rc(buf, len) != 0)
			fail_msg("%s with its full %zu-byte fixed part was refused",
				 fw_opcode_name(op), want);
	}
}

static void parse_rejects_one_name_opcode_without_name(void **state)
{
	struct fuse_mkdir_in mk = {.mode = 040755};
	struct fuse_link_in ln = {.oldnodeid = 7};
	uint8_t buf[128];
	struct req_spec s = {.opcode = FUSE_MKDIR, .nodeid = 1, .fixed = &mk,
			     .fixedlen = sizeof(mk)};
	size_t len = req_build(buf, sizeof(buf), &s);

	assert_int_equal(parse_rc(buf, len), EPROTO);
	s = (struct req_spec){.opcode = FUSE_LINK, .nodeid = 1, .fixed = &ln,
			      .fixedlen = sizeof(ln)};
	len = req_build(buf, sizeof(buf), &s);
	assert_int_equal(parse_rc(buf, len), EPROTO);
	s = (struct req_spec){.opcode = FUSE_LOOKUP, .nodeid = 1};
	len = req_build(buf, sizeof(buf), &s);
	assert_int_equal(parse_rc(buf, len), EPROTO);
}

static void parse_rejects_two_name_opcodes_missing_second_name(void **state)
{
	struct fuse_rename_in rn = {.newdir = 1};
	struct fuse_rename2_in rn2 = {.newdir = 1};
	struct {
		uint32_t opcode;
		const void *fixed;
		size_t fixedlen;
	} ops[] = {
		{FUSE_RENAME, &rn, sizeof(rn)},
		{FUSE_RENAME2, &rn2, sizeof(rn2)},
		{FUSE_SYMLINK, NULL, 0},
	};
	uint8_t buf[128];

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct req_spec s = {.opcode = ops[i].opcode, .nodeid = 1, .fixed = ops[i].fixed,
				     .fixedlen = ops[i].fixedlen, .name = "first"};
		size_t len = req_build(buf, sizeof(buf), &s);

		/* Only the first name. */
		if (parse_rc(buf, len) != EPROTO)
			fail_msg("%s without a second name was accepted",
				 fw_opcode_name(ops[i].opcode));
		/* A second name that is not terminated inside the message. */
		s.name2 = "second";
		len = req_build(buf, sizeof(buf), &s);
		assert_int_equal(parse_rc(buf, len), 0);
		patch_len(buf, (uint32_t)len - 1);
		if (parse_rc(buf, len - 1) != EPROTO)
			fail_msg("%s with an unterminated second name was accepted",
				 fw_opcode_name(ops[i].opcode));
	}
}

/* --- encoders --------------------------------------------------------------------- */

static void reply_encode_writes_exact_bytes(void **state)
{
	static const uint8_t payload[4] = {0xde, 0xad, 0xbe, 0xef};
	static const uint8_t want[] = {
		0x14, 0x00, 0x00, 0x00,                         /* len 20 */
		0xfe, 0xff, 0xff, 0xff,                         /* error -2 */
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, /* unique */
		0xde, 0xad, 0xbe, 0xef,
	};
	uint8_t out[64];

	skip_unless_little_endian();
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(fw_reply_encode(out, sizeof(out), 0x1122334455667788ull, -2, payload,
					 sizeof(payload)),
			 sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[sizeof(want)], 0xaa); /* nothing past the message */
}

static void reply_encode_header_only_is_16_bytes(void **state)
{
	static const uint8_t want[] = {
		0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	uint8_t out[16];

	skip_unless_little_endian();
	assert_int_equal(fw_reply_encode(out, sizeof(out), 7, 0, NULL, 0), 16);
	assert_memory_equal(out, want, sizeof(want));
}

static void reply_encode_cap_too_small_returns_0_and_writes_nothing(void **state)
{
	struct fuse_entry_out e = {.nodeid = 5, .generation = 1};
	uint8_t out[256], before[256];

	memset(out, 0xaa, sizeof(out));
	memcpy(before, out, sizeof(out));
	assert_int_equal(fw_reply_encode(out, 0, 1, 0, NULL, 0), 0);
	assert_int_equal(fw_reply_encode(out, OUT_HDR_LEN - 1, 1, 0, NULL, 0), 0);
	assert_int_equal(fw_reply_encode(out, OUT_HDR_LEN + sizeof(e) - 1, 1, 0, &e, sizeof(e)), 0);
	assert_memory_equal(out, before, sizeof(out));
	/* Exactly enough is enough. */
	assert_int_equal(fw_reply_encode(out, OUT_HDR_LEN + sizeof(e), 1, 0, &e, sizeof(e)),
			 OUT_HDR_LEN + sizeof(e));
}

static void notify_encode_writes_unique_0_and_code_in_error(void **state)
{
	struct fuse_notify_inval_inode_out in = {.ino = 5, .off = 0, .len = -1};
	uint8_t out[64];
	struct fuse_out_header oh;
	struct fuse_notify_inval_inode_out got;

	assert_int_equal(fw_notify_encode(out, sizeof(out), FUSE_NOTIFY_INVAL_INODE, &in, sizeof(in)),
			 OUT_HDR_LEN + 24);
	memcpy(&oh, out, sizeof(oh));
	assert_int_equal(oh.len, 40);
	assert_int_equal(oh.error, FUSE_NOTIFY_INVAL_INODE);
	assert_int_equal(oh.unique, 0);
	memcpy(&got, out + OUT_HDR_LEN, sizeof(got));
	assert_int_equal(got.ino, 5);
	assert_int_equal(got.len, -1);
	assert_int_equal(fw_notify_encode(out, OUT_HDR_LEN + sizeof(in) - 1, FUSE_NOTIFY_INVAL_INODE,
					  &in, sizeof(in)),
			 0);
}

static void notify_encode_exact_bytes(void **state)
{
	struct fuse_notify_poll_wakeup_out pw = {.kh = 0x0102030405060708ull};
	static const uint8_t want[] = {
		0x18, 0x00, 0x00, 0x00, /* len 24 */
		0x01, 0x00, 0x00, 0x00, /* FUSE_NOTIFY_POLL */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
	};
	uint8_t out[24];

	skip_unless_little_endian();
	assert_int_equal(fw_notify_encode(out, sizeof(out), FUSE_NOTIFY_POLL, &pw, sizeof(pw)), 24);
	assert_memory_equal(out, want, sizeof(want));
}

static void notify_encode_named_with_trailing_nul_exact_bytes(void **state)
{
	struct fuse_notify_inval_entry_out ie = {.parent = 1, .namelen = 3, .flags = 0};
	static const uint8_t want[] = {
		0x24, 0x00, 0x00, 0x00, /* len 36 = 16 + 16 + 3 + 1 */
		0x03, 0x00, 0x00, 0x00, /* FUSE_NOTIFY_INVAL_ENTRY */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* parent 1 */
		0x03, 0x00, 0x00, 0x00,                         /* namelen 3 */
		0x00, 0x00, 0x00, 0x00,                         /* flags */
		'a',  'b',  'c',  0x00,
	};
	uint8_t out[64];

	skip_unless_little_endian();
	memset(out, 0xaa, sizeof(out));
	assert_int_equal(fw_notify_encode_named(out, sizeof(out), FUSE_NOTIFY_INVAL_ENTRY, &ie,
						sizeof(ie), "abc", 3, 1),
			 sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(out[sizeof(want)], 0xaa);
}

static void notify_encode_named_without_trailing_byte_stops_after_name(void **state)
{
	struct fuse_notify_delete_out d = {.parent = 1, .child = 5, .namelen = 3};
	uint8_t out[64];
	struct fuse_out_header oh;

	memset(out, 0xaa, sizeof(out));
	assert_int_equal(fw_notify_encode_named(out, sizeof(out), FUSE_NOTIFY_DELETE, &d, sizeof(d),
						"abc", 3, 0),
			 16 + 24 + 3);
	memcpy(&oh, out, sizeof(oh));
	assert_int_equal(oh.len, 43);
	assert_int_equal(oh.error, FUSE_NOTIFY_DELETE);
	assert_int_equal(oh.unique, 0);
	assert_memory_equal(out + 40, "abc", 3);
	assert_int_equal(out[43], 0xaa); /* no NUL written */
}

static void notify_encode_named_name_need_not_be_a_c_string(void **state)
{
	/* namelen, not strlen: a name with an embedded NUL goes out as given. */
	struct fuse_notify_inval_entry_out ie = {.parent = 1, .namelen = 3};
	uint8_t out[64];

	assert_int_equal(fw_notify_encode_named(out, sizeof(out), FUSE_NOTIFY_INVAL_ENTRY, &ie,
						sizeof(ie), "a\0bXYZ", 3, 1),
			 36);
	assert_memory_equal(out + 32, "a\0b\0", 4);
	/* An empty name with the trailing byte is just the NUL. */
	assert_int_equal(fw_notify_encode_named(out, sizeof(out), FUSE_NOTIFY_INVAL_ENTRY, &ie,
						sizeof(ie), "", 0, 1),
			 33);
	assert_int_equal(out[32], 0);
}

static void notify_encode_named_cap_too_small_returns_0_and_writes_nothing(void **state)
{
	struct fuse_notify_inval_entry_out ie = {.parent = 1, .namelen = 3};
	uint8_t out[64], before[64];

	memset(out, 0xaa, sizeof(out));
	memcpy(before, out, sizeof(out));
	assert_int_equal(fw_notify_encode_named(out, 35, FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie),
						"abc", 3, 1),
			 0);
	assert_int_equal(fw_notify_encode_named(out, 34, FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie),
						"abc", 3, 0),
			 0);
	assert_int_equal(fw_notify_encode_named(out, 31, FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie),
						"", 0, 0),
			 0);
	assert_memory_equal(out, before, sizeof(out));
	/* The trailing byte is what tips it over: 35 fits without it. */
	assert_int_equal(fw_notify_encode_named(out, 35, FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie),
						"abc", 3, 0),
			 35);
}

/* --- names ------------------------------------------------------------------------ */

static void opcode_names_are_the_kernel_names(void **state)
{
	assert_string_equal(fw_opcode_name(FUSE_LOOKUP), "LOOKUP");
	assert_string_equal(fw_opcode_name(FUSE_FORGET), "FORGET");
	assert_string_equal(fw_opcode_name(FUSE_SYMLINK), "SYMLINK");
	assert_string_equal(fw_opcode_name(FUSE_INIT), "INIT");
	assert_string_equal(fw_opcode_name(FUSE_NOTIFY_REPLY), "NOTIFY_REPLY");
	assert_string_equal(fw_opcode_name(FUSE_BATCH_FORGET), "BATCH_FORGET");
	assert_string_equal(fw_opcode_name(FUSE_RENAME2), "RENAME2");
	assert_string_equal(fw_opcode_name(FUSE_TMPFILE), "TMPFILE");
	assert_string_equal(fw_opcode_name(FUSE_STATX), "STATX");
	assert_string_equal(fw_opcode_name(FUSE_COPY_FILE_RANGE_64), "COPY_FILE_RANGE_64");
	assert_string_equal(fw_opcode_name(4096), "CUSE_INIT");
}

static void opcode_name_round_trips_for_every_named_opcode_1_to_53(void **state)
{
	unsigned named = 0;

	for (uint32_t op = 1; op <= FUSE_OPCODE_MAX_KNOWN; op++) {
		const char *name = fw_opcode_name(op);
		char prefixed[64], lower[64];

		assert_non_null(name);
		if (!strcmp(name, "?"))
			continue;
		named++;
		if (fw_opcode_by_name(name) != op)
			fail_msg("fw_opcode_by_name(\"%s\") = %u, want %u", name,
				 fw_opcode_by_name(name), op);
		snprintf(prefixed, sizeof(prefixed), "FUSE_%s", name);
		assert_int_equal(fw_opcode_by_name(prefixed), op);
		snprintf(lower, sizeof(lower), "fuse_%s", name);
		for (char *c = lower; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		assert_int_equal(fw_opcode_by_name(lower), op);
	}
	/* 1..53 less the two numbers the current ABI leaves unused (7, 19). */
	assert_int_equal(named, FUSE_OPCODE_MAX_KNOWN - 2);
}

static void opcode_name_unknown_is_question_mark(void **state)
{
	static const uint32_t unknown[] = {0, 7, 19, FUSE_OPCODE_MAX_KNOWN + 1, 4095, 4097,
					   UINT32_MAX};

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_string_equal(fw_opcode_name(unknown[i]), "?");
}

static void opcode_by_name_unknown_is_0(void **state)
{
	assert_int_equal(fw_opcode_by_name(""), 0);
	assert_int_equal(fw_opcode_by_name("FUSE_"), 0);
	assert_int_equal(fw_opcode_by_name("?"), 0);
	assert_int_equal(fw_opcode_by_name("NOPE"), 0);
	assert_int_equal(fw_opcode_by_name("LOOKUPX"), 0);
	assert_int_equal(fw_opcode_by_name("LOOKU"), 0);
	assert_int_equal(fw_opcode_by_name("FUSE_FUSE_LOOKUP"), 0);
	assert_int_equal(fw_opcode_by_name(" LOOKUP"), 0);
}

static void notify_names_are_the_kernel_names_1_to_9(void **state)
{
	static const char *const want[] = {
		[FUSE_NOTIFY_POLL] = "POLL",
		[FUSE_NOTIFY_INVAL_INODE] = "INVAL_INODE",
		[FUSE_NOTIFY_INVAL_ENTRY] = "INVAL_ENTRY",
		[FUSE_NOTIFY_STORE] = "STORE",
		[FUSE_NOTIFY_RETRIEVE] = "RETRIEVE",
		[FUSE_NOTIFY_DELETE] = "DELETE",
		[FUSE_NOTIFY_RESEND] = "RESEND",
		[FUSE_NOTIFY_INC_EPOCH] = "INC_EPOCH",
		[FUSE_NOTIFY_PRUNE] = "PRUNE",
	};

	for (uint32_t code = 1; code <= FUSE_NOTIFY_CODE_MAX_KNOWN; code++)
		assert_string_equal(fw_notify_name(code), want[code]);
}

static void notify_name_unknown_is_question_mark(void **state)
{
	assert_string_equal(fw_notify_name(0), "?");
	assert_string_equal(fw_notify_name(FUSE_NOTIFY_CODE_MAX_KNOWN + 1), "?");
	assert_string_equal(fw_notify_name(0x7fffffff), "?");
	assert_string_equal(fw_notify_name(UINT32_MAX), "?");
}

static void describe_names_opcode_nodeid_and_names(void **state)
{
	struct fuse_rename_in rn = {.newdir = 1};
	uint8_t buf[128], *copy;
	struct req_spec s = {.opcode = FUSE_RENAME, .nodeid = 4, .fixed = &rn,
			     .fixedlen = sizeof(rn), .name = "a", .name2 = "b"};
	size_t len = req_build(buf, sizeof(buf), &s);
	struct fw_req req;
	char out[128];

	assert_int_equal(parse_exact(buf, len, &req, &copy), 0);
	fw_req_describe(&req, out, sizeof(out));
	assert_string_equal(out, "RENAME(nodeid=4, \"a\", \"b\")");
	req.name2 = NULL;
	fw_req_describe(&req, out, sizeof(out));
	assert_string_equal(out, "RENAME(nodeid=4, \"a\")");
	req.name = NULL;
	fw_req_describe(&req, out, sizeof(out));
	assert_string_equal(out, "RENAME(nodeid=4)");
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_lookup_gives_header_fields_and_name),
		cmocka_unit_test(parse_rename_gives_newdir_old_name_and_new_name),
		cmocka_unit_test(parse_rename2_gives_flags_and_both_names),
		cmocka_unit_test(parse_symlink_gives_entry_name_then_target),
		cmocka_unit_test(parse_create_finds_name_after_fuse_create_in),
		cmocka_unit_test(parse_create_with_extensions_keeps_them_out_of_arg),
		cmocka_unit_test(parse_forget_gives_nlookup),
		cmocka_unit_test(parse_batch_forget_gives_count_and_entries),
		cmocka_unit_test(parse_init_accepts_64_byte_and_compat_16_byte_init_in),
		cmocka_unit_test(parse_unknown_opcode_takes_any_payload_without_names),
		cmocka_unit_test(parse_header_only_request_has_empty_arg),
		cmocka_unit_test(parse_rejects_hdr_len_different_from_bytes_read),
		cmocka_unit_test(parse_rejects_every_length_shorter_than_header),
		cmocka_unit_test(parse_failure_leaves_no_stale_pointers),
		cmocka_unit_test(parse_rejects_name_without_nul_inside_message),
		cmocka_unit_test(parse_rejects_name_whose_nul_lies_in_the_extensions),
		cmocka_unit_test(parse_rejects_total_extlen_past_the_end),
		cmocka_unit_test(parse_rejects_extensions_eating_the_fixed_part),
		cmocka_unit_test(parse_fixed_sizes_are_the_kernel_structs),
		cmocka_unit_test(parse_rejects_fixed_part_one_byte_short_for_every_opcode),
		cmocka_unit_test(parse_rejects_one_name_opcode_without_name),
		cmocka_unit_test(parse_rejects_two_name_opcodes_missing_second_name),
		cmocka_unit_test(reply_encode_writes_exact_bytes),
		cmocka_unit_test(reply_encode_header_only_is_16_bytes),
		cmocka_unit_test(reply_encode_cap_too_small_returns_0_and_writes_nothing),
		cmocka_unit_test(notify_encode_writes_unique_0_and_code_in_error),
		cmocka_unit_test(notify_encode_exact_bytes),
		cmocka_unit_test(notify_encode_named_with_trailing_nul_exact_bytes),
		cmocka_unit_test(notify_encode_named_without_trailing_byte_stops_after_name),
		cmocka_unit_test(notify_encode_named_name_need_not_be_a_c_string),
		cmocka_unit_test(notify_encode_named_cap_too_small_returns_0_and_writes_nothing),
		cmocka_unit_test(opcode_names_are_the_kernel_names),
		cmocka_unit_test(opcode_name_round_trips_for_every_named_opcode_1_to_53),
		cmocka_unit_test(opcode_name_unknown_is_question_mark),
		cmocka_unit_test(opcode_by_name_unknown_is_0),
		cmocka_unit_test(notify_names_are_the_kernel_names_1_to_9),
		cmocka_unit_test(notify_name_unknown_is_question_mark),
		cmocka_unit_test(describe_names_opcode_nodeid_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
