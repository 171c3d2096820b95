// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_events.c - the inotify / fanotify record parsers, the FUSE handle
 * decoder, the mask names, and the deadline readers on real fds.
 *
 * Every parser call goes through a heap copy of exactly len bytes, so
 * AddressSanitizer catches any read past len.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "events.h"

#ifndef FAN_EVENT_INFO_TYPE_RANGE
#define FAN_EVENT_INFO_TYPE_RANGE 6
#endif
#ifndef FAN_PRE_ACCESS
#define FAN_PRE_ACCESS 0x00100000
#endif

/* --- helpers ------------------------------------------------------------------ */

static int ino_parse_exact(const void *src, size_t len, struct ino_event *out, size_t max,
			   size_t *n)
{
	void *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, src, len);
	rc = ino_parse(copy, len, out, max, n);
	free(copy);
	return rc;
}

static int fan_parse_exact(const void *src, size_t len, struct fan_event *out, size_t max,
			   size_t *n)
{
	void *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, src, len);
	rc = fan_parse(copy, len, out, max, n);
	free(copy);
	return rc;
}

/* Write one inotify record: header, then name zero-padded to len bytes. */
static size_t put_ino(uint8_t *b, int32_t wd, uint32_t mask, uint32_t cookie, const char *name,
		      uint32_t len)
{
	memcpy(b, &wd, 4);
	memcpy(b + 4, &mask, 4);
	memcpy(b + 8, &cookie, 4);
	memcpy(b + 12, &len, 4);
	memset(b + 16, 0, len);
	if (name)
		memcpy(b + 16, name, strlen(name) < len ? strlen(name) : len);
	return 16 + (size_t)len;
}

/* A fanotify buffer under construction. */
struct fanbuf {
	uint8_t b[8192];
	size_t len;
	size_t ev_start;
};

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void fb_begin(struct fanbuf *fb, uint64_t mask, int32_t fd, int32_t pid)
{
	uint8_t *p = fb->b + fb->len;

	fb->ev_start = fb->len;
	memset(p, 0, 24);
	p[4] = FANOTIFY_METADATA_VERSION;
	put16(p + 6, 24);
	memcpy(p + 8, &mask, 8);
	memcpy(p + 16, &fd, 4);
	memcpy(p + 20, &pid, 4);
	fb->len += 24;
}

static void fb_end(struct fanbuf *fb)
{
	put32(fb->b + fb->ev_start, (uint32_t)(fb->len - fb->ev_start));
}

/* A record with a raw header and payload, no checks: for malformed input. */
static void fb_raw_rec(struct fanbuf *fb, uint8_t type, uint16_t len, const void *payload,
		       size_t plen)
{
	uint8_t *p = fb->b + fb->len;

	p[0] = type;
	p[1] = 0;
	put16(p + 2, len);
	if (plen)
		memcpy(p + 4, payload, plen);
	fb->len += 4 + plen;
}

/* A well-formed FID-like record, padded to 4 bytes like the kernel does. */
static void fb_fid(struct fanbuf *fb, uint8_t type, int32_t fsid0, int32_t fsid1, int32_t htype,
		   const uint8_t *h, uint32_t hbytes, const char *name)
{
	uint8_t *p = fb->b + fb->len;
	size_t len = 20 + hbytes + (name ? strlen(name) + 1 : 0);

	len = (len + 3) & ~(size_t)3;
	memset(p, 0, len);
	p[0] = type;
	put16(p + 2, (uint16_t)len);
	memcpy(p + 4, &fsid0, 4);
	memcpy(p + 8, &fsid1, 4);
	put32(p + 12, hbytes);
	memcpy(p + 16, &htype, 4);
	memcpy(p + 20, h, hbytes);
	if (name)
		memcpy(p + 20 + hbytes, name, strlen(name) + 1);
	fb->len += len;
}

/* The 6.18 example: nodeid 5, generation 7 as FUSE encodes it. */
static const uint8_t fuse_fh_5_7[12] = { 0, 0, 0, 0, 5, 0, 0, 0, 7, 0, 0, 0 };

/* --- ino_parse ---------------------------------------------------------------- */

static void ino_parse_empty_buffer_is_zero_events(void **state)
{
	struct ino_event ev[2];
	size_t n = 99;

	assert_int_equal(ino_parse_exact("", 0, ev, 2, &n), 0);
	assert_int_equal(n, 0);
}

static void ino_parse_single_record_without_name(void **state)
{
	uint8_t b[64];
	size_t len = put_ino(b, 1, IN_DELETE_SELF, 0, NULL, 0), n = 0;
	struct ino_event ev[2];

	assert_int_equal(ino_parse_exact(b, len, ev, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].wd, 1);
	assert_int_equal(ev[0].mask, IN_DELETE_SELF);
	assert_int_equal(ev[0].cookie, 0);
	assert_int_equal(ev[0].len_field, 0);
	assert_string_equal(ev[0].name, "");
}

static void ino_parse_single_record_with_padded_name(void **state)
{
	uint8_t b[64];
	size_t len = put_ino(b, 3, IN_CREATE, 0, "file", 16), n = 0;
	struct ino_event ev[1];

	assert_int_equal(ino_parse_exact(b, len, ev, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].wd, 3);
	assert_int_equal(ev[0].mask, IN_CREATE);
	assert_int_equal(ev[0].len_field, 16);
	assert_string_equal(ev[0].name, "file");
}

static void ino_parse_multiple_records_keep_order_and_cookie(void **state)
{
	uint8_t b[256];
	size_t len = 0, n = 0;
	struct ino_event ev[4];

	len += put_ino(b + len, 1, IN_MOVED_FROM, 42, "a", 16);
	len += put_ino(b + len, 1, IN_MOVED_TO, 42, "b", 16);
	len += put_ino(b + len, 2, IN_MODIFY, 0, NULL, 0);
	assert_int_equal(ino_parse_exact(b, len, ev, 4, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(ev[0].mask, IN_MOVED_FROM);
	assert_string_equal(ev[0].name, "a");
	assert_int_equal(ev[1].mask, IN_MOVED_TO);
	assert_string_equal(ev[1].name, "b");
	assert_int_equal(ev[0].cookie, 42);
	assert_int_equal(ev[1].cookie, ev[0].cookie);
	assert_int_equal(ev[2].wd, 2);
	assert_int_equal(ev[2].mask, IN_MODIFY);
}

static void ino_parse_q_overflow_has_wd_minus_one(void **state)
{
	uint8_t b[32];
	size_t len = put_ino(b, -1, IN_Q_OVERFLOW, 0, NULL, 0), n = 0;
	struct ino_event ev[1];

	assert_int_equal(ino_parse_exact(b, len, ev, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].wd, -1);
	assert_int_equal(ev[0].mask, IN_Q_OVERFLOW);
}

static void ino_parse_longest_name_fits(void **state)
{
	uint8_t b[16 + 256];
	char name[256];
	size_t len, n = 0;
	struct ino_event ev[1];

	memset(name, 'x', 255);
	name[255] = '\0';
	len = put_ino(b, 1, IN_CREATE, 0, name, 256);
	assert_int_equal(ino_parse_exact(b, len, ev, 1, &n), 0);
	assert_int_equal(strlen(ev[0].name), 255);
}

static void ino_parse_rejects_truncated_header(void **state)
{
	uint8_t b[64];
	size_t len = put_ino(b, 1, IN_CREATE, 0, NULL, 0), n = 0, cut;
	struct ino_event ev[1];

	for (cut = 1; cut < len; cut++)
		assert_int_equal(ino_parse_exact(b, cut, ev, 1, &n), EBADMSG);
}

static void ino_parse_rejects_len_past_buffer(void **state)
{
	uint8_t b[64];
	size_t len = put_ino(b, 1, IN_CREATE, 0, "name", 16), n = 0;
	struct ino_event ev[1];

	assert_int_equal(ino_parse_exact(b, len - 1, ev, 1, &n), EBADMSG);
	assert_int_equal(n, 0);
}

static void ino_parse_rejects_len_over_4096(void **state)
{
	uint8_t *b = calloc(1, 16 + 4100);
	size_t len, n = 0;
	struct ino_event ev[1];

	assert_non_null(b);
	len = put_ino(b, 1, IN_CREATE, 0, "n", 4097);
	assert_int_equal(ino_parse_exact(b, len, ev, 1, &n), EBADMSG);
	free(b);
}

static void ino_parse_rejects_name_without_nul(void **state)
{
	uint8_t b[64];
	size_t len = put_ino(b, 1, IN_CREATE, 0, NULL, 16), n = 0;
	struct ino_event ev[1];

	memset(b + 16, 'a', 16); /* 16 name bytes, no NUL among them */
	assert_int_equal(ino_parse_exact(b, len, ev, 1, &n), EBADMSG);
}

static void ino_parse_rejects_name_longer_than_name_max(void **state)
{
	uint8_t b[16 + 272];
	size_t len = put_ino(b, 1, IN_CREATE, 0, NULL, 272), n = 0;
	struct ino_event ev[1];

	memset(b + 16, 'a', 256); /* NUL only at byte 256: a 256-char name */
	assert_int_equal(ino_parse_exact(b, len, ev, 1, &n), EBADMSG);
}

static void ino_parse_bad_second_record_reports_good_count(void **state)
{
	uint8_t b[128];
	size_t len = 0, n = 0;
	struct ino_event ev[4];

	len += put_ino(b + len, 1, IN_CREATE, 0, "ok", 16);
	len += put_ino(b + len, 1, IN_CREATE, 0, "cut", 16);
	assert_int_equal(ino_parse_exact(b, len - 4, ev, 4, &n), EBADMSG);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].name, "ok");
}

static void ino_parse_more_events_than_max_is_enobufs(void **state)
{
	uint8_t b[128];
	size_t len = 0, n = 0;
	struct ino_event ev[2];

	len += put_ino(b + len, 1, IN_CREATE, 0, "a", 16);
	len += put_ino(b + len, 1, IN_CREATE, 0, "b", 16);
	len += put_ino(b + len, 1, IN_CREATE, 0, "c", 16);
	assert_int_equal(ino_parse_exact(b, len, ev, 2, &n), ENOBUFS);
	assert_int_equal(n, 2);
	assert_string_equal(ev[1].name, "b");
	/* still strict about what it did not store */
	assert_int_equal(ino_parse_exact(b, len - 1, ev, 2, &n), EBADMSG);
}

static void ino_parse_accepts_unaligned_buffer(void **state)
{
	uint8_t b[1 + 64];
	size_t len = put_ino(b + 1, 7, IN_ATTRIB, 0, "u", 16), n = 0;
	struct ino_event ev[1];

	assert_int_equal(ino_parse(b + 1, len, ev, 1, &n), 0);
	assert_int_equal(ev[0].wd, 7);
	assert_string_equal(ev[0].name, "u");
}

static void ino_parse_null_arguments_are_einval(void **state)
{
	struct ino_event ev[1];
	size_t n;

	assert_int_equal(ino_parse(NULL, 16, ev, 1, &n), EINVAL);
	assert_int_equal(ino_parse("x", 1, NULL, 1, &n), EINVAL);
	assert_int_equal(ino_parse("x", 1, ev, 1, NULL), EINVAL);
}

/* --- fan_parse ---------------------------------------------------------------- */

static void fan_parse_metadata_only_event(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_CLOSE_WRITE, 9, 1234);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].mask, FAN_CLOSE_WRITE);
	assert_int_equal(ev[0].fd, 9);
	assert_int_equal(ev[0].pid, 1234);
	assert_int_equal(ev[0].event_len, 24);
	assert_int_equal(ev[0].nrec, 0);
}

static void fan_parse_fid_record_carries_fuse_handle(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	struct fuse_fh fh;
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_FID, 0, 0, 0x81, fuse_fh_5_7, 12, NULL);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), 0);
	assert_int_equal(ev[0].nrec, 1);
	assert_int_equal(ev[0].rec[0].type, FAN_EVENT_INFO_TYPE_FID);
	assert_int_equal(ev[0].rec[0].len, 32);
	assert_int_equal(ev[0].rec[0].fsid[0], 0); /* FUSE reports a zero fsid */
	assert_int_equal(ev[0].rec[0].fsid[1], 0);
	assert_int_equal(ev[0].rec[0].handle_type, 0x81);
	assert_int_equal(ev[0].rec[0].handle_bytes, 12);
	assert_string_equal(ev[0].rec[0].name, "");
	assert_int_equal(fuse_fh_decode(ev[0].rec[0].handle_type, ev[0].rec[0].handle,
					ev[0].rec[0].handle_bytes, &fh), 0);
	assert_int_equal(fh.nodeid, 5);
	assert_int_equal(fh.generation, 7);
}

static void fan_parse_dfid_name_record_has_name(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_CREATE, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_DFID_NAME, 11, 22, 0x81, fuse_fh_5_7, 12, "child");
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), 0);
	assert_int_equal(ev[0].rec[0].type, FAN_EVENT_INFO_TYPE_DFID_NAME);
	assert_int_equal(ev[0].rec[0].fsid[0], 11);
	assert_int_equal(ev[0].rec[0].fsid[1], 22);
	assert_string_equal(ev[0].rec[0].name, "child");
}

static void fan_parse_rename_event_has_old_and_new_dfid_name(void **state)
{
	static const uint8_t child[12] = { 0, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0 };
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_RENAME, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, 0, 0, 0x81, fuse_fh_5_7, 12, "from");
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, 0, 0, 0x81, fuse_fh_5_7, 12, "to");
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_FID, 0, 0, 0x81, child, 12, NULL);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), 0);
	assert_int_equal(ev[0].nrec, 3);
	assert_int_equal(ev[0].rec[0].type, 10);
	assert_string_equal(ev[0].rec[0].name, "from");
	assert_int_equal(ev[0].rec[1].type, 12);
	assert_string_equal(ev[0].rec[1].name, "to");
	assert_int_equal(ev[0].rec[2].type, FAN_EVENT_INFO_TYPE_FID);
	assert_memory_equal(ev[0].rec[2].handle, child, 12);
}

static void fan_parse_pidfd_and_error_records(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	int32_t pidfd = 17, error = -5;
	uint32_t count = 3;
	uint8_t payload[8];
	size_t n = 0;

	fb_begin(&fb, FAN_FS_ERROR, FAN_NOFD, 1);
	memcpy(payload, &error, 4);
	memcpy(payload + 4, &count, 4);
	fb_raw_rec(&fb, FAN_EVENT_INFO_TYPE_ERROR, 12, payload, 8);
	fb_raw_rec(&fb, FAN_EVENT_INFO_TYPE_PIDFD, 8, &pidfd, 4);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), 0);
	assert_int_equal(ev[0].nrec, 2);
	assert_int_equal(ev[0].rec[0].error, -5);
	assert_int_equal(ev[0].rec[0].error_count, 3);
	assert_int_equal(ev[0].rec[1].pidfd, 17);
}

static void fan_parse_multiple_events(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[3];
	size_t n = 0;

	fb_begin(&fb, FAN_CREATE, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_DFID_NAME, 0, 0, 0x81, fuse_fh_5_7, 12, "a");
	fb_end(&fb);
	fb_begin(&fb, FAN_DELETE, FAN_NOFD, 2);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_DFID_NAME, 0, 0, 0x81, fuse_fh_5_7, 12, "b");
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 3, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ev[0].mask, FAN_CREATE);
	assert_string_equal(ev[0].rec[0].name, "a");
	assert_int_equal(ev[1].mask, FAN_DELETE);
	assert_int_equal(ev[1].pid, 2);
	assert_string_equal(ev[1].rec[0].name, "b");
}

/*
 * A record with len 0 never advances a naive walker.  Every record type,
 * decoded or not, must be rejected; alarm() turns a regression into a
 * failure instead of a hang.
 */
static void fan_parse_rejects_record_len_zero_without_looping(void **state)
{
	static const uint8_t types[] = { FAN_EVENT_INFO_TYPE_FID, FAN_EVENT_INFO_TYPE_DFID_NAME,
					 FAN_EVENT_INFO_TYPE_PIDFD, FAN_EVENT_INFO_TYPE_ERROR,
					 FAN_EVENT_INFO_TYPE_RANGE, 99 };
	struct fanbuf fb;
	struct fan_event ev[1];
	uint8_t pad[24] = { 0 };
	size_t n = 0, i;

	alarm(5);
	for (i = 0; i < sizeof(types); i++) {
		fb.len = 0;
		fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
		fb_raw_rec(&fb, types[i], 0, pad, sizeof(pad));
		fb_end(&fb);
		assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
		assert_int_equal(n, 0);
	}
	alarm(0);
}

static void fan_parse_rejects_record_len_below_header(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	uint16_t len;
	size_t n = 0;

	for (len = 1; len < 4; len++) {
		fb.len = 0;
		fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
		fb_raw_rec(&fb, 99, len, NULL, 0);
		fb_end(&fb);
		assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
	}
}

static void fan_parse_rejects_record_len_past_event(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	uint8_t pad[8] = { 0 };
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_raw_rec(&fb, FAN_EVENT_INFO_TYPE_PIDFD, 13, pad, 8); /* 12 bytes in the event */
	fb_end(&fb);
	/* a second event follows, so the record would overrun into it */
	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_fragment_smaller_than_record_header(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	memset(fb.b + fb.len, 0, 3);
	fb.len += 3;
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_bad_version(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, 3, 1);
	fb_end(&fb);
	fb.b[4] = FANOTIFY_METADATA_VERSION + 1;
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
	fb.b[4] = 2;
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_metadata_len_below_struct(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, 3, 1);
	fb_end(&fb);
	put16(fb.b + 6, 16);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
	put16(fb.b + 6, 0);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_event_len_below_metadata_len(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, 3, 1);
	fb_end(&fb);
	put32(fb.b, 20);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
	put32(fb.b, 0); /* event_len 0: the other infinite loop */
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_event_len_past_buffer(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_FID, 0, 0, 0x81, fuse_fh_5_7, 12, NULL);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len - 1, ev, 1, &n), EBADMSG);
	put32(fb.b, 0xffffffffu);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_truncated_metadata(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0, cut;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_end(&fb);
	for (cut = 1; cut < 24; cut++)
		assert_int_equal(fan_parse_exact(fb.b, cut, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_fid_record_too_short_for_type(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	uint8_t pad[12] = { 0 };
	size_t n = 0;

	/* 16 bytes: header + fsid + handle_bytes, but no handle_type */
	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_raw_rec(&fb, FAN_EVENT_INFO_TYPE_FID, 16, pad, 12);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_pidfd_and_error_records_too_short(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	uint8_t pad[4] = { 0 };
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_raw_rec(&fb, FAN_EVENT_INFO_TYPE_PIDFD, 4, NULL, 0);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);

	fb.len = 0;
	fb_begin(&fb, FAN_FS_ERROR, FAN_NOFD, 1);
	fb_raw_rec(&fb, FAN_EVENT_INFO_TYPE_ERROR, 8, pad, 4);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_truncated_handle(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_FID, 0, 0, 0x81, fuse_fh_5_7, 12, NULL);
	fb_end(&fb);
	put32(fb.b + 24 + 12, 16); /* handle_bytes 16, but the record holds 12 */
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_handle_bytes_over_max_handle_sz(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	uint8_t big[132] = { 0 };
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_FID, 0, 0, 1, big, sizeof(big), NULL);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_dfid_name_without_nul(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_CREATE, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_DFID_NAME, 0, 0, 0x81, fuse_fh_5_7, 12, "abc");
	fb_end(&fb);
	/* record: 20 + 12 + "abc\0" = 36; overwrite the NUL */
	fb.b[24 + 32 + 3] = 'd';
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_name_record_with_no_room_for_name(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_CREATE, FAN_NOFD, 1);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_FID, 0, 0, 0x81, fuse_fh_5_7, 12, NULL);
	fb_end(&fb);
	fb.b[24] = FAN_EVENT_INFO_TYPE_DFID_NAME; /* a *_NAME record that ends at the handle */
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_rejects_more_than_four_records(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	int32_t pidfd = 3;
	size_t n = 0;
	int i;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	for (i = 0; i < FAN_MAX_RECORDS + 1; i++)
		fb_raw_rec(&fb, FAN_EVENT_INFO_TYPE_PIDFD, 8, &pidfd, 4);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), EBADMSG);
}

static void fan_parse_skips_undecoded_record_type_by_len(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	uint8_t range[20] = { 0 };
	size_t n = 0;

	fb_begin(&fb, FAN_PRE_ACCESS, FAN_NOFD, 1);
	fb_raw_rec(&fb, FAN_EVENT_INFO_TYPE_RANGE, 24, range, sizeof(range));
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_FID, 0, 0, 0x81, fuse_fh_5_7, 12, NULL);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), 0);
	assert_int_equal(ev[0].nrec, 2);
	assert_int_equal(ev[0].rec[0].type, FAN_EVENT_INFO_TYPE_RANGE);
	assert_int_equal(ev[0].rec[0].len, 24);
	assert_int_equal(ev[0].rec[1].handle_bytes, 12);
}

static void fan_parse_honours_larger_metadata_len(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_MODIFY, FAN_NOFD, 1);
	memset(fb.b + fb.len, 0xee, 8); /* a future metadata extension */
	fb.len += 8;
	put16(fb.b + 6, 32);
	fb_fid(&fb, FAN_EVENT_INFO_TYPE_FID, 0, 0, 0x81, fuse_fh_5_7, 12, NULL);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), 0);
	assert_int_equal(ev[0].nrec, 1);
	assert_int_equal(ev[0].rec[0].handle_type, 0x81);
}

static void fan_parse_more_events_than_max_is_enobufs(void **state)
{
	struct fanbuf fb = { .len = 0 };
	struct fan_event ev[1];
	size_t n = 0;

	fb_begin(&fb, FAN_CREATE, FAN_NOFD, 1);
	fb_end(&fb);
	fb_begin(&fb, FAN_DELETE, FAN_NOFD, 1);
	fb_end(&fb);
	assert_int_equal(fan_parse_exact(fb.b, fb.len, ev, 1, &n), ENOBUFS);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].mask, FAN_CREATE);
}

static void fan_info_type_name_names_every_type(void **state)
{
	assert_string_equal(fan_info_type_name(1), "FAN_EVENT_INFO_TYPE_FID");
	assert_string_equal(fan_info_type_name(2), "FAN_EVENT_INFO_TYPE_DFID_NAME");
	assert_string_equal(fan_info_type_name(3), "FAN_EVENT_INFO_TYPE_DFID");
	assert_string_equal(fan_info_type_name(4), "FAN_EVENT_INFO_TYPE_PIDFD");
	assert_string_equal(fan_info_type_name(5), "FAN_EVENT_INFO_TYPE_ERROR");
	assert_string_equal(fan_info_type_name(6), "FAN_EVENT_INFO_TYPE_RANGE");
	assert_string_equal(fan_info_type_name(7), "FAN_EVENT_INFO_TYPE_MNT");
	assert_string_equal(fan_info_type_name(10), "FAN_EVENT_INFO_TYPE_OLD_DFID_NAME");
	assert_string_equal(fan_info_type_name(12), "FAN_EVENT_INFO_TYPE_NEW_DFID_NAME");
	assert_string_equal(fan_info_type_name(11), "FAN_EVENT_INFO_TYPE_UNKNOWN");
	assert_string_equal(fan_info_type_name(-1), "FAN_EVENT_INFO_TYPE_UNKNOWN");
}

/* --- fuse_fh_decode ----------------------------------------------------------- */

static void fuse_fh_decode_real_6_18_example_nodeid_5_generation_7(void **state)
{
	struct fuse_fh fh;

	assert_int_equal(fuse_fh_decode(0x81, fuse_fh_5_7, 12, &fh), 0);
	assert_int_equal(fh.nodeid, 5);
	assert_int_equal(fh.generation, 7);
	assert_int_equal(fh.has_parent, 0);
}

static void fuse_fh_decode_puts_nodeid_high_word_first(void **state)
{
	uint32_t words[3] = { 0x12345678u, 0x9abcdef0u, 0xfffffffeu };
	struct fuse_fh fh;

	assert_int_equal(fuse_fh_decode(0x81, (const uint8_t *)words, 12, &fh), 0);
	assert_true(fh.nodeid == 0x123456789abcdef0ull);
	assert_int_equal(fh.generation, 0xfffffffeu);
}

static void fuse_fh_decode_parent_handle_0x82(void **state)
{
	uint32_t words[6] = { 0, 5, 7, 1, 2, 3 };
	struct fuse_fh fh;

	assert_int_equal(fuse_fh_decode(0x82, (const uint8_t *)words, 24, &fh), 0);
	assert_int_equal(fh.nodeid, 5);
	assert_int_equal(fh.generation, 7);
	assert_int_equal(fh.has_parent, 1);
	assert_true(fh.parent_nodeid == 0x100000002ull);
	assert_int_equal(fh.parent_generation, 3);
}

static void fuse_fh_decode_rejects_wrong_length_for_type(void **state)
{
	uint8_t h[24] = { 0 };
	struct fuse_fh fh;

	assert_int_equal(fuse_fh_decode(0x81, h, 11, &fh), EINVAL);
	assert_int_equal(fuse_fh_decode(0x81, h, 24, &fh), EINVAL);
	assert_int_equal(fuse_fh_decode(0x82, h, 12, &fh), EINVAL);
	assert_int_equal(fuse_fh_decode(0x82, h, 23, &fh), EINVAL);
	assert_int_equal(fuse_fh_decode(0x81, h, 0, &fh), EINVAL);
}

static void fuse_fh_decode_rejects_unknown_type(void **state)
{
	uint8_t h[12] = { 0 };
	struct fuse_fh fh;

	assert_int_equal(fuse_fh_decode(1, h, 8, &fh), EINVAL);    /* FILEID_INO32_GEN */
	assert_int_equal(fuse_fh_decode(0xff, h, 12, &fh), EINVAL); /* FILEID_INVALID */
	assert_int_equal(fuse_fh_decode(0x81, NULL, 12, &fh), EINVAL);
	assert_int_equal(fuse_fh_decode(0x81, h, 12, NULL), EINVAL);
}

/* --- mask names --------------------------------------------------------------- */

static void ino_mask_str_joins_names_with_bar(void **state)
{
	char buf[128];

	assert_string_equal(ino_mask_str(IN_MOVED_FROM | IN_ISDIR, buf, sizeof(buf)),
			    "IN_MOVED_FROM|IN_ISDIR");
	assert_string_equal(ino_mask_str(IN_Q_OVERFLOW, buf, sizeof(buf)), "IN_Q_OVERFLOW");
	assert_string_equal(ino_mask_str(IN_IGNORED, buf, sizeof(buf)), "IN_IGNORED");
}

static void ino_mask_str_zero_and_unknown_bits(void **state)
{
	char buf[128];

	assert_string_equal(ino_mask_str(0, buf, sizeof(buf)), "0");
	assert_string_equal(ino_mask_str(IN_CREATE | 0x00800000, buf, sizeof(buf)),
			    "IN_CREATE|0x800000");
	assert_string_equal(ino_mask_str(0x00100000, buf, sizeof(buf)), "0x100000");
}

static void ino_mask_str_truncates_within_cap(void **state)
{
	char buf[8];

	memset(buf, 'z', sizeof(buf));
	assert_string_equal(ino_mask_str(IN_MOVED_FROM | IN_ISDIR, buf, 6), "IN_MO");
	assert_int_equal(buf[6], 'z');
	assert_string_equal(ino_mask_str(IN_CREATE, buf, 1), "");
	assert_string_equal(ino_mask_str(IN_CREATE, buf, 0), "");
}

static void fan_mask_str_names_fanotify_bits(void **state)
{
	char buf[160];

	assert_string_equal(fan_mask_str(FAN_CLOSE_WRITE | FAN_ONDIR, buf, sizeof(buf)),
			    "FAN_CLOSE_WRITE|FAN_ONDIR");
	assert_string_equal(fan_mask_str(FAN_RENAME, buf, sizeof(buf)), "FAN_RENAME");
	assert_string_equal(fan_mask_str(FAN_Q_OVERFLOW, buf, sizeof(buf)), "FAN_Q_OVERFLOW");
	assert_string_equal(fan_mask_str(1ull << 40, buf, sizeof(buf)), "0x10000000000");
}

/* --- readers on real fds ------------------------------------------------------ */

struct watched_dir {
	char path[64];
	int fd;
	int wd;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void watch_tmp_dir(struct watched_dir *w, int flags, uint32_t mask)
{
	snprintf(w->path, sizeof(w->path), "/tmp/fsnc-events-XXXXXX");
	assert_non_null(mkdtemp(w->path));
	w->fd = inotify_init1(flags | IN_CLOEXEC);
	assert_true(w->fd >= 0);
	w->wd = inotify_add_watch(w->fd, w->path, mask);
	assert_true(w->wd >= 0);
}

static void touch_in(const struct watched_dir *w, const char *name)
{
	char p[128];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", w->path, name);
	fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static void unwatch_tmp_dir(struct watched_dir *w, const char **names, size_t nnames)
{
	char p[128];
	size_t i;

	close(w->fd);
	for (i = 0; i < nnames; i++) {
		snprintf(p, sizeof(p), "%s/%s", w->path, names[i]);
		unlink(p);
	}
	rmdir(w->path);
}

static void ino_read_gets_in_create_within_deadline(void **state)
{
	static const char *names[] = { "created" };
	struct watched_dir w;
	struct ino_event ev[4];
	size_t n = 0;

	watch_tmp_dir(&w, IN_NONBLOCK, IN_CREATE);
	touch_in(&w, "created");
	assert_int_equal(ino_read(w.fd, 2000, ev, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ev[0].wd, w.wd);
	assert_int_equal(ev[0].mask, IN_CREATE);
	assert_string_equal(ev[0].name, "created");
	unwatch_tmp_dir(&w, names, 1);
}

static void ino_read_times_out_when_nothing_happens(void **state)
{
	struct watched_dir w;
	struct ino_event ev[4];
	size_t n = 99;
	int64_t t0;

	watch_tmp_dir(&w, IN_NONBLOCK, IN_ALL_EVENTS);
	t0 = now_ms();
	assert_int_equal(ino_read(w.fd, 100, ev, 4, &n), ETIMEDOUT);
	assert_int_equal(n, 0);
	assert_true(now_ms() - t0 >= 100);
	unwatch_tmp_dir(&w, NULL, 0);
}

static void ino_read_blocking_fd_also_times_out(void **state)
{
	struct watched_dir w;
	struct ino_event ev[1];
	size_t n = 99;

	watch_tmp_dir(&w, 0, IN_ALL_EVENTS);
	assert_int_equal(ino_read(w.fd, 30, ev, 1, &n), ETIMEDOUT);
	assert_int_equal(n, 0);
	assert_int_equal(ino_read(w.fd, 0, ev, 1, &n), ETIMEDOUT);
	unwatch_tmp_dir(&w, NULL, 0);
}

static void ino_read_bad_fd_and_arguments(void **state)
{
	struct ino_event ev[1];
	size_t n;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	close(fd); /* fd is now a closed descriptor number: POLLNVAL */
	assert_int_equal(ino_read(-1, 10, ev, 1, &n), EBADF);
	assert_int_equal(ino_read(fd, 10, ev, 1, &n), EBADF);
	assert_int_equal(ino_read(0, -1, ev, 1, &n), EINVAL);
	assert_int_equal(ino_read(0, 10, NULL, 1, &n), EINVAL);
}

static void ino_collect_returns_zero_after_quiet_window(void **state)
{
	static const char *names[] = { "a", "b", "c" };
	struct watched_dir w;
	struct ino_event ev[8];
	size_t n = 0, i;

	watch_tmp_dir(&w, IN_NONBLOCK, IN_CREATE);
	for (i = 0; i < 3; i++)
		touch_in(&w, names[i]);
	assert_int_equal(ino_collect(w.fd, 100, 3000, ev, 8, &n), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ev[i].mask, IN_CREATE);
		assert_string_equal(ev[i].name, names[i]);
	}
	unwatch_tmp_dir(&w, names, 3);
}

static void ino_collect_with_no_event_is_zero_events(void **state)
{
	struct watched_dir w;
	struct ino_event ev[2];
	size_t n = 99;

	watch_tmp_dir(&w, IN_NONBLOCK, IN_ALL_EVENTS);
	assert_int_equal(ino_collect(w.fd, 50, 1000, ev, 2, &n), 0);
	assert_int_equal(n, 0);
	unwatch_tmp_dir(&w, NULL, 0);
}

static void ino_collect_deadline_shorter_than_quiet_is_etimedout(void **state)
{
	struct watched_dir w;
	struct ino_event ev[2];
	size_t n = 99;

	watch_tmp_dir(&w, IN_NONBLOCK, IN_ALL_EVENTS);
	assert_int_equal(ino_collect(w.fd, 500, 50, ev, 2, &n), ETIMEDOUT);
	assert_int_equal(n, 0);
	unwatch_tmp_dir(&w, NULL, 0);
}

static void ino_collect_more_events_than_max_is_enobufs(void **state)
{
	static const char *names[] = { "a", "b", "c" };
	struct watched_dir w;
	struct ino_event ev[2];
	size_t n = 0, i;

	watch_tmp_dir(&w, IN_NONBLOCK, IN_CREATE);
	for (i = 0; i < 3; i++)
		touch_in(&w, names[i]);
	assert_int_equal(ino_collect(w.fd, 100, 3000, ev, 2, &n), ENOBUFS);
	assert_int_equal(n, 2);
	assert_string_equal(ev[0].name, "a");
	unwatch_tmp_dir(&w, names, 3);
}

static void fan_read_real_dfid_name_event_or_skip(void **state)
{
	static const char *names[] = { "fanfile" };
	struct watched_dir w;
	struct fan_event ev[4];
	size_t n = 0, i;
	int fan;

	fan = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK,
			    O_RDONLY);
	if (fan < 0) {
		skip(); /* no CAP_SYS_ADMIN and no unprivileged fanotify here */
		return;
	}
	snprintf(w.path, sizeof(w.path), "/tmp/fsnc-events-XXXXXX");
	assert_non_null(mkdtemp(w.path));
	if (fanotify_mark(fan, FAN_MARK_ADD, FAN_CREATE | FAN_EVENT_ON_CHILD, AT_FDCWD, w.path)) {
		close(fan);
		rmdir(w.path);
		skip(); /* the filesystem under /tmp cannot report file ids */
		return;
	}
	w.fd = fan;
	assert_int_equal(fan_read(fan, 100, ev, 4, &n), ETIMEDOUT);
	touch_in(&w, "fanfile");
	assert_int_equal(fan_read(fan, 2000, ev, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_true(ev[0].mask & FAN_CREATE);
	assert_int_equal(ev[0].fd, FAN_NOFD);
	assert_true(ev[0].nrec >= 1);
	for (i = 0; i < ev[0].nrec; i++)
		if (ev[0].rec[i].type == FAN_EVENT_INFO_TYPE_DFID_NAME)
			break;
	assert_true(i < ev[0].nrec);
	assert_string_equal(ev[0].rec[i].name, "fanfile");
	assert_true(ev[0].rec[i].handle_bytes > 0);
	unwatch_tmp_dir(&w, names, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ino_parse_empty_buffer_is_zero_events),
		cmocka_unit_test(ino_parse_single_record_without_name),
		cmocka_unit_test(ino_parse_single_record_with_padded_name),
		cmocka_unit_test(ino_parse_multiple_records_keep_order_and_cookie),
		cmocka_unit_test(ino_parse_q_overflow_has_wd_minus_one),
		cmocka_unit_test(ino_parse_longest_name_fits),
		cmocka_unit_test(ino_parse_rejects_truncated_header),
		cmocka_unit_test(ino_parse_rejects_len_past_buffer),
		cmocka_unit_test(ino_parse_rejects_len_over_4096),
		cmocka_unit_test(ino_parse_rejects_name_without_nul),
		cmocka_unit_test(ino_parse_rejects_name_longer_than_name_max),
		cmocka_unit_test(ino_parse_bad_second_record_reports_good_count),
		cmocka_unit_test(ino_parse_more_events_than_max_is_enobufs),
		cmocka_unit_test(ino_parse_accepts_unaligned_buffer),
		cmocka_unit_test(ino_parse_null_arguments_are_einval),
		cmocka_unit_test(fan_parse_metadata_only_event),
		cmocka_unit_test(fan_parse_fid_record_carries_fuse_handle),
		cmocka_unit_test(fan_parse_dfid_name_record_has_name),
		cmocka_unit_test(fan_parse_rename_event_has_old_and_new_dfid_name),
		cmocka_unit_test(fan_parse_pidfd_and_error_records),
		cmocka_unit_test(fan_parse_multiple_events),
		cmocka_unit_test(fan_parse_rejects_record_len_zero_without_looping),
		cmocka_unit_test(fan_parse_rejects_record_len_below_header),
		cmocka_unit_test(fan_parse_rejects_record_len_past_event),
		cmocka_unit_test(fan_parse_rejects_fragment_smaller_than_record_header),
		cmocka_unit_test(fan_parse_rejects_bad_version),
		cmocka_unit_test(fan_parse_rejects_metadata_len_below_struct),
		cmocka_unit_test(fan_parse_rejects_event_len_below_metadata_len),
		cmocka_unit_test(fan_parse_rejects_event_len_past_buffer),
		cmocka_unit_test(fan_parse_rejects_truncated_metadata),
		cmocka_unit_test(fan_parse_rejects_fid_record_too_short_for_type),
		cmocka_unit_test(fan_parse_rejects_pidfd_and_error_records_too_short),
		cmocka_unit_test(fan_parse_rejects_truncated_handle),
		cmocka_unit_test(fan_parse_rejects_handle_bytes_over_max_handle_sz),
		cmocka_unit_test(fan_parse_rejects_dfid_name_without_nul),
		cmocka_unit_test(fan_parse_rejects_name_record_with_no_room_for_name),
		cmocka_unit_test(fan_parse_rejects_more_than_four_records),
		cmocka_unit_test(fan_parse_skips_undecoded_record_type_by_len),
		cmocka_unit_test(fan_parse_honours_larger_metadata_len),
		cmocka_unit_test(fan_parse_more_events_than_max_is_enobufs),
		cmocka_unit_test(fan_info_type_name_names_every_type),
		cmocka_unit_test(fuse_fh_decode_real_6_18_example_nodeid_5_generation_7),
		cmocka_unit_test(fuse_fh_decode_puts_nodeid_high_word_first),
		cmocka_unit_test(fuse_fh_decode_parent_handle_0x82),
		cmocka_unit_test(fuse_fh_decode_rejects_wrong_length_for_type),
		cmocka_unit_test(fuse_fh_decode_rejects_unknown_type),
		cmocka_unit_test(ino_mask_str_joins_names_with_bar),
		cmocka_unit_test(ino_mask_str_zero_and_unknown_bits),
		cmocka_unit_test(ino_mask_str_truncates_within_cap),
		cmocka_unit_test(fan_mask_str_names_fanotify_bits),
		cmocka_unit_test(ino_read_gets_in_create_within_deadline),
		cmocka_unit_test(ino_read_times_out_when_nothing_happens),
		cmocka_unit_test(ino_read_blocking_fd_also_times_out),
		cmocka_unit_test(ino_read_bad_fd_and_arguments),
		cmocka_unit_test(ino_collect_returns_zero_after_quiet_window),
		cmocka_unit_test(ino_collect_with_no_event_is_zero_events),
		cmocka_unit_test(ino_collect_deadline_shorter_than_quiet_is_etimedout),
		cmocka_unit_test(ino_collect_more_events_than_max_is_enobufs),
		cmocka_unit_test(fan_read_real_dfid_name_event_or_skip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
