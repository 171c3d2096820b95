// SPDX-License-Identifier: GPL-2.0-only
/*
 * events.c - strict inotify / fanotify record parsers and deadline readers.
 * See events.h for the contract of every function.
 */
#include "events.h"
#include "clock.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <linux/fanotify.h>

/* Constants newer than Debian bookworm's headers (kernel 6.1 uapi). */
#ifndef FAN_EVENT_INFO_TYPE_FID
#define FAN_EVENT_INFO_TYPE_FID 1
#endif
#ifndef FAN_EVENT_INFO_TYPE_DFID_NAME
#define FAN_EVENT_INFO_TYPE_DFID_NAME 2
#endif
#ifndef FAN_EVENT_INFO_TYPE_DFID
#define FAN_EVENT_INFO_TYPE_DFID 3
#endif
#ifndef FAN_EVENT_INFO_TYPE_PIDFD
#define FAN_EVENT_INFO_TYPE_PIDFD 4
#endif
#ifndef FAN_EVENT_INFO_TYPE_ERROR
#define FAN_EVENT_INFO_TYPE_ERROR 5
#endif
#ifndef FAN_EVENT_INFO_TYPE_RANGE
#define FAN_EVENT_INFO_TYPE_RANGE 6 /* 6.14, pre-content events */
#endif
#ifndef FAN_EVENT_INFO_TYPE_MNT
#define FAN_EVENT_INFO_TYPE_MNT 7 /* 6.15, mount events */
#endif
#ifndef FAN_EVENT_INFO_TYPE_OLD_DFID_NAME
#define FAN_EVENT_INFO_TYPE_OLD_DFID_NAME 10
#endif
#ifndef FAN_EVENT_INFO_TYPE_NEW_DFID_NAME
#define FAN_EVENT_INFO_TYPE_NEW_DFID_NAME 12
#endif
#ifndef FAN_FS_ERROR
#define FAN_FS_ERROR 0x00008000
#endif
#ifndef FAN_PRE_ACCESS
#define FAN_PRE_ACCESS 0x00100000
#endif
#ifndef FAN_MNT_ATTACH
#define FAN_MNT_ATTACH 0x01000000
#endif
#ifndef FAN_MNT_DETACH
#define FAN_MNT_DETACH 0x02000000
#endif
#ifndef FAN_RENAME
#define FAN_RENAME 0x10000000
#endif
#ifndef IN_MASK_CREATE
#define IN_MASK_CREATE 0x10000000
#endif

/* Offsets inside struct fanotify_event_metadata (checked below). */
#define FAN_MD_EVENT_LEN 0
#define FAN_MD_VERS 4
#define FAN_MD_METADATA_LEN 6
#define FAN_MD_MASK 8
#define FAN_MD_FD 16
#define FAN_MD_PID 20

_Static_assert(FAN_EVENT_METADATA_LEN == 24, "fanotify metadata layout");
_Static_assert(sizeof(struct inotify_event) == INO_EVENT_HDR_LEN, "inotify_event layout");

/* Largest single event each reader must be able to take in one read. */
#define INO_EVENT_MAX_BYTES (INO_EVENT_HDR_LEN + INO_NAME_MAX + 1)
#define FAN_EVENT_MAX_BYTES \
	(FAN_EVENT_METADATA_LEN + FAN_MAX_RECORDS * (FAN_INFO_FID_FIXED_LEN + FAN_HANDLE_MAX + FAN_NAME_MAX + 1))
#define READ_BUF_MIN 4096
#define READ_BUF_MAX 65536

/* --- small readers of unaligned host-order fields ---------------------------- */

static uint16_t get_u16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int32_t get_s32(const unsigned char *p)
{
	int32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Copy a NUL-terminated name that must end within [p, p + avail).  EBADMSG
 * if there is no NUL or the name does not fit in cap (NUL included).
 */
static int copy_bounded_name(const unsigned char *p, size_t avail, char *dst, size_t cap)
{
	const unsigned char *nul = memchr(p, '\0', avail);
	size_t namelen;

	if (!nul)
		return EBADMSG;
	namelen = (size_t)(nul - p);
	if (namelen >= cap)
		return EBADMSG;
	memcpy(dst, p, namelen);
	dst[namelen] = '\0';
	return 0;
}

/* --- inotify ----------------------------------------------------------------- */

/* Parse the record at p (avail bytes left); *used is its total size. */
static int ino_parse_one(const unsigned char *p, size_t avail, void *out, size_t *used)
{
	struct ino_event *ev = out;
	uint32_t nlen;
	int err;

	if (avail < INO_EVENT_HDR_LEN)
		return EBADMSG;
	nlen = get_u32(p + offsetof(struct inotify_event, len));
	if (nlen > INO_LEN_MAX || nlen > avail - INO_EVENT_HDR_LEN)
		return EBADMSG;

	memset(ev, 0, sizeof(*ev));
	ev->wd = get_s32(p + offsetof(struct inotify_event, wd));
	ev->mask = get_u32(p + offsetof(struct inotify_event, mask));
	ev->cookie = get_u32(p + offsetof(struct inotify_event, cookie));
	ev->len_field = nlen;
	if (nlen > 0) {
		err = copy_bounded_name(p + INO_EVENT_HDR_LEN, nlen, ev->name, sizeof(ev->name));
		if (err)
			return err;
	}
	*used = INO_EVENT_HDR_LEN + nlen;
	return 0;
}

/*
 * The walk both record parsers share: parse records back to back with
 * one(), store the first max in out (elements of elsize bytes), keep
 * parsing the rest into scratch so a corrupt record past the capacity is
 * still EBADMSG, and report ENOBUFS only for a well-formed buffer that
 * held more than max.
 */
typedef int (*parse_one_fn)(const unsigned char *p, size_t avail, void *ev, size_t *used);

static int parse_records(const void *buf, size_t len, void *out, size_t elsize, size_t max,
			 void *scratch, size_t *n, parse_one_fn one)
{
	const unsigned char *p = buf;
	size_t off = 0, count = 0;
	int overflow = 0;

	if (!n || (!buf && len) || (!out && max))
		return EINVAL;
	*n = 0;
	while (off < len) {
		void *ev = count < max ? (char *)out + count * elsize : scratch;
		size_t used = 0;
		int err = one(p + off, len - off, ev, &used);

		if (err)
			return err;
		off += used;
		if (count < max)
			*n = ++count;
		else
			overflow = 1;
	}
	return overflow ? ENOBUFS : 0;
}

int ino_parse(const void *buf, size_t len, struct ino_event *out, size_t max, size_t *n)
{
	struct ino_event scratch;

	return parse_records(buf, len, out, sizeof(*out), max, &scratch, n, ino_parse_one);
}

/* --- fanotify ---------------------------------------------------------------- */

static int fan_type_is_fid(int type)
{
	return type == FAN_EVENT_INFO_TYPE_FID || type == FAN_EVENT_INFO_TYPE_DFID ||
	       type == FAN_EVENT_INFO_TYPE_DFID_NAME || type == FAN_EVENT_INFO_TYPE_OLD_DFID_NAME ||
	       type == FAN_EVENT_INFO_TYPE_NEW_DFID_NAME;
}

static int fan_type_has_name(int type)
{
	return type == FAN_EVENT_INFO_TYPE_DFID_NAME || type == FAN_EVENT_INFO_TYPE_OLD_DFID_NAME ||
	       type == FAN_EVENT_INFO_TYPE_NEW_DFID_NAME;
}

/* FID-like record body: fsid, struct file_handle, then (for *_NAME) the name. */
static int fan_parse_fid(const unsigned char *r, size_t rlen, struct fan_info_rec *rec)
{
	size_t hoff = FAN_INFO_HDR_LEN + 8; /* struct file_handle */
	size_t after;

	if (rlen < FAN_INFO_FID_FIXED_LEN)
		return EBADMSG;
	rec->fsid[0] = get_s32(r + FAN_INFO_HDR_LEN);
	rec->fsid[1] = get_s32(r + FAN_INFO_HDR_LEN + 4);
	rec->handle_bytes = get_u32(r + hoff);
	rec->handle_type = get_s32(r + hoff + 4);
	if (rec->handle_bytes > FAN_HANDLE_MAX)
		return EBADMSG;
	if (rec->handle_bytes > rlen - FAN_INFO_FID_FIXED_LEN)
		return EBADMSG;
	memcpy(rec->handle, r + FAN_INFO_FID_FIXED_LEN, rec->handle_bytes);

	if (!fan_type_has_name(rec->type))
		return 0;
	after = FAN_INFO_FID_FIXED_LEN + rec->handle_bytes;
	return copy_bounded_name(r + after, rlen - after, rec->name, sizeof(rec->name));
}

/* One info record at r, avail bytes left in the event; *used is its len. */
static int fan_parse_rec(const unsigned char *r, size_t avail, struct fan_info_rec *rec, size_t *used)
{
	uint16_t rlen;

	if (avail < FAN_INFO_HDR_LEN)
		return EBADMSG;
	rlen = get_u16(r + 2);
	/* len 0 would never advance: the infinite-loop bug.  < 4 cannot hold the header. */
	if (rlen < FAN_INFO_HDR_LEN || rlen > avail)
		return EBADMSG;

	memset(rec, 0, sizeof(*rec));
	rec->type = r[0];
	rec->len = rlen;
	*used = rlen;

	if (fan_type_is_fid(rec->type))
		return fan_parse_fid(r, rlen, rec);
	switch (rec->type) {
	case FAN_EVENT_INFO_TYPE_PIDFD:
		if (rlen < FAN_INFO_HDR_LEN + 4)
			return EBADMSG;
		rec->pidfd = get_s32(r + FAN_INFO_HDR_LEN);
		return 0;
	case FAN_EVENT_INFO_TYPE_ERROR:
		if (rlen < FAN_INFO_HDR_LEN + 8)
			return EBADMSG;
		rec->error = get_s32(r + FAN_INFO_HDR_LEN);
		rec->error_count = get_u32(r + FAN_INFO_HDR_LEN + 4);
		return 0;
	default:
		return 0; /* undecoded type: its len was checked, skipping is safe */
	}
}

/* The event at p; avail bytes left in the buffer; *used is its event_len. */
static int fan_parse_one(const unsigned char *p, size_t avail, void *out, size_t *used)
{
	struct fan_event *ev = out;
	uint32_t event_len;
	uint16_t metadata_len;
	size_t off;

	if (avail < FAN_EVENT_METADATA_LEN)
		return EBADMSG;
	event_len = get_u32(p + FAN_MD_EVENT_LEN);
	metadata_len = get_u16(p + FAN_MD_METADATA_LEN);
	if (p[FAN_MD_VERS] != FANOTIFY_METADATA_VERSION)
		return EBADMSG;
	if (metadata_len < FAN_EVENT_METADATA_LEN || event_len < metadata_len || event_len > avail)
		return EBADMSG;

	memset(ev, 0, sizeof(*ev));
	ev->mask = get_u64(p + FAN_MD_MASK);
	ev->fd = get_s32(p + FAN_MD_FD);
	ev->pid = get_s32(p + FAN_MD_PID);
	ev->event_len = event_len;

	for (off = metadata_len; off < event_len;) {
		size_t used_rec = 0;
		int err;

		if (ev->nrec == FAN_MAX_RECORDS)
			return EBADMSG;
		err = fan_parse_rec(p + off, event_len - off, &ev->rec[ev->nrec], &used_rec);
		if (err)
			return err;
		ev->nrec++;
		off += used_rec;
	}
	*used = event_len;
	return 0;
}

int fan_parse(const void *buf, size_t len, struct fan_event *out, size_t max, size_t *n)
{
	struct fan_event scratch;

	return parse_records(buf, len, out, sizeof(*out), max, &scratch, n, fan_parse_one);
}

/* Close the fds of events past the first keep ones (already validated buffer). */
static void fan_close_dropped_fds(const unsigned char *p, size_t len, size_t keep)
{
	size_t off = 0, idx = 0;

	while (len - off >= FAN_EVENT_METADATA_LEN) {
		uint32_t event_len = get_u32(p + off + FAN_MD_EVENT_LEN);
		int32_t fd = get_s32(p + off + FAN_MD_FD);

		if (event_len < FAN_EVENT_METADATA_LEN || event_len > len - off)
			return;
		if (idx >= keep && fd >= 0)
			close(fd);
		off += event_len;
		idx++;
	}
}

/* --- deadline readers -------------------------------------------------------- */

/* Milliseconds from now to deadline_ns, rounded up so poll never spins early. */
static int ms_until(int64_t deadline_ns)
{
	int64_t left = deadline_ns - clk_now_ns();

	if (left <= 0)
		return 0;
	left = (left + 999999) / 1000000;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

/*
 * Wait until fd is readable and read once into buf.  0 with *got > 0 bytes;
 * ETIMEDOUT; ENODATA for a 0-byte read; or the errno of poll / read.
 */
static int read_once_by(int fd, int64_t deadline_ns, void *buf, size_t cap, size_t *got)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	*got = 0;
	for (;;) {
		int wait = ms_until(deadline_ns);
		int pr = poll(&pfd, 1, wait);
		ssize_t r;

		if (pr < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (pr == 0) {
			if (clk_now_ns() < deadline_ns)
				continue; /* poll rounded down: not our deadline yet */
			return ETIMEDOUT;
		}
		if (pfd.revents & POLLNVAL)
			return EBADF;
		if (!(pfd.revents & POLLIN))
			return EIO; /* POLLERR / POLLHUP without data */
		r = read(fd, buf, cap);
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue; /* someone else drained it: keep waiting */
			return errno;
		}
		if (r == 0)
			return ENODATA;
		*got = (size_t)r;
		return 0;
	}
}

/* A read buffer big enough for max worst-case events, within sane bounds. */
static size_t read_buf_size(size_t max, size_t per_event)
{
	if (max > READ_BUF_MAX / per_event)
		return READ_BUF_MAX;
	if (max * per_event < READ_BUF_MIN)
		return READ_BUF_MIN;
	return max * per_event;
}

static int check_read_args(int fd, int timeout_ms, const void *out, size_t max, size_t *n)
{
	if (!n)
		return EINVAL;
	*n = 0;
	if (fd < 0)
		return EBADF; /* poll(2) would silently ignore it and time out */
	if (timeout_ms < 0 || (!out && max))
		return EINVAL;
	return 0;
}

static int ino_read_by(int fd, int64_t deadline_ns, struct ino_event *out, size_t max, size_t *n)
{
	size_t cap = read_buf_size(max, INO_EVENT_MAX_BYTES), got = 0;
	unsigned char *buf = malloc(cap);
	int err;

	*n = 0;
	if (!buf)
		return ENOMEM;
	err = read_once_by(fd, deadline_ns, buf, cap, &got);
	if (!err)
		err = ino_parse(buf, got, out, max, n);
	free(buf);
	return err;
}

int ino_read(int fd, int timeout_ms, struct ino_event *out, size_t max, size_t *n)
{
	int err = check_read_args(fd, timeout_ms, out, max, n);

	if (err)
		return err;
	return ino_read_by(fd, clk_now_ns() + (int64_t)timeout_ms * 1000000, out, max, n);
}

static int fan_read_by(int fd, int64_t deadline_ns, struct fan_event *out, size_t max, size_t *n)
{
	size_t cap = read_buf_size(max, FAN_EVENT_MAX_BYTES), got = 0;
	unsigned char *buf = malloc(cap);
	int err;

	*n = 0;
	if (!buf)
		return ENOMEM;
	err = read_once_by(fd, deadline_ns, buf, cap, &got);
	if (!err)
		err = fan_parse(buf, got, out, max, n);
	if (err == ENOBUFS)
		fan_close_dropped_fds(buf, got, max);
	free(buf);
	return err;
}

int fan_read(int fd, int timeout_ms, struct fan_event *out, size_t max, size_t *n)
{
	int err = check_read_args(fd, timeout_ms, out, max, n);

	if (err)
		return err;
	return fan_read_by(fd, clk_now_ns() + (int64_t)timeout_ms * 1000000, out, max, n);
}

/*
 * The collect loop shared by inotify and fanotify: read_by appends to the
 * element at index *n of out (elem_size bytes each).
 */
typedef int (*read_by_fn)(int fd, int64_t deadline_ns, void *out, size_t max, size_t *n);

static int ino_read_by_v(int fd, int64_t deadline_ns, void *out, size_t max, size_t *n)
{
	return ino_read_by(fd, deadline_ns, out, max, n);
}

static int fan_read_by_v(int fd, int64_t deadline_ns, void *out, size_t max, size_t *n)
{
	return fan_read_by(fd, deadline_ns, out, max, n);
}

static int collect(int fd, int quiet_ms, int deadline_ms, void *out, size_t elem_size, size_t max,
		   size_t *n, read_by_fn read_by)
{
	int64_t end, quiet_ns = (int64_t)quiet_ms * 1000000;
	int err = check_read_args(fd, quiet_ms, out, max, n);

	if (err)
		return err;
	if (deadline_ms < 0)
		return EINVAL;
	end = clk_now_ns() + (int64_t)deadline_ms * 1000000;
	for (;;) {
		int64_t now = clk_now_ns(), wait_end;
		int quiet_window;
		size_t got = 0;

		if (now >= end)
			return ETIMEDOUT;
		quiet_window = end - now >= quiet_ns;
		wait_end = quiet_window ? now + quiet_ns : end;
		err = read_by(fd, wait_end, out ? (char *)out + *n * elem_size : NULL, max - *n, &got);
		*n += got;
		if (err == ETIMEDOUT)
			return quiet_window ? 0 : ETIMEDOUT;
		if (err)
			return err;
	}
}

int ino_collect(int fd, int quiet_ms, int deadline_ms, struct ino_event *out, size_t max, size_t *n)
{
	return collect(fd, quiet_ms, deadline_ms, out, sizeof(*out), max, n, ino_read_by_v);
}

int fan_collect(int fd, int quiet_ms, int deadline_ms, struct fan_event *out, size_t max, size_t *n)
{
	return collect(fd, quiet_ms, deadline_ms, out, sizeof(*out), max, n, fan_read_by_v);
}

/* --- mask and type names ----------------------------------------------------- */

struct bit_name {
	uint64_t bit;
	const char *name;
};

static const struct bit_name ino_bits[] = {
	{ IN_ACCESS, "IN_ACCESS" },
	{ IN_MODIFY, "IN_MODIFY" },
	{ IN_ATTRIB, "IN_ATTRIB" },
	{ IN_CLOSE_WRITE, "IN_CLOSE_WRITE" },
	{ IN_CLOSE_NOWRITE, "IN_CLOSE_NOWRITE" },
	{ IN_OPEN, "IN_OPEN" },
	{ IN_MOVED_FROM, "IN_MOVED_FROM" },
	{ IN_MOVED_TO, "IN_MOVED_TO" },
	{ IN_CREATE, "IN_CREATE" },
	{ IN_DELETE, "IN_DELETE" },
	{ IN_DELETE_SELF, "IN_DELETE_SELF" },
	{ IN_MOVE_SELF, "IN_MOVE_SELF" },
	{ IN_UNMOUNT, "IN_UNMOUNT" },
	{ IN_Q_OVERFLOW, "IN_Q_OVERFLOW" },
	{ IN_IGNORED, "IN_IGNORED" },
	{ IN_ONLYDIR, "IN_ONLYDIR" },
	{ IN_DONT_FOLLOW, "IN_DONT_FOLLOW" },
	{ IN_EXCL_UNLINK, "IN_EXCL_UNLINK" },
	{ IN_MASK_CREATE, "IN_MASK_CREATE" },
	{ IN_MASK_ADD, "IN_MASK_ADD" },
	{ IN_ISDIR, "IN_ISDIR" },
	{ IN_ONESHOT, "IN_ONESHOT" },
};

static const struct bit_name fan_bits[] = {
	{ FAN_ACCESS, "FAN_ACCESS" },
	{ FAN_MODIFY, "FAN_MODIFY" },
	{ FAN_ATTRIB, "FAN_ATTRIB" },
	{ FAN_CLOSE_WRITE, "FAN_CLOSE_WRITE" },
	{ FAN_CLOSE_NOWRITE, "FAN_CLOSE_NOWRITE" },
	{ FAN_OPEN, "FAN_OPEN" },
	{ FAN_MOVED_FROM, "FAN_MOVED_FROM" },
	{ FAN_MOVED_TO, "FAN_MOVED_TO" },
	{ FAN_CREATE, "FAN_CREATE" },
	{ FAN_DELETE, "FAN_DELETE" },
	{ FAN_DELETE_SELF, "FAN_DELETE_SELF" },
	{ FAN_MOVE_SELF, "FAN_MOVE_SELF" },
	{ FAN_OPEN_EXEC, "FAN_OPEN_EXEC" },
	{ FAN_Q_OVERFLOW, "FAN_Q_OVERFLOW" },
	{ FAN_FS_ERROR, "FAN_FS_ERROR" },
	{ FAN_OPEN_PERM, "FAN_OPEN_PERM" },
	{ FAN_ACCESS_PERM, "FAN_ACCESS_PERM" },
	{ FAN_OPEN_EXEC_PERM, "FAN_OPEN_EXEC_PERM" },
	{ FAN_PRE_ACCESS, "FAN_PRE_ACCESS" },
	{ FAN_MNT_ATTACH, "FAN_MNT_ATTACH" },
	{ FAN_MNT_DETACH, "FAN_MNT_DETACH" },
	{ FAN_EVENT_ON_CHILD, "FAN_EVENT_ON_CHILD" },
	{ FAN_RENAME, "FAN_RENAME" },
	{ FAN_ONDIR, "FAN_ONDIR" },
};

/* Append s to buf (length *used, capacity cap), cutting it short if needed. */
static void append(char *buf, size_t cap, size_t *used, const char *s)
{
	size_t room = cap - *used - 1; /* cap > *used always holds here */
	size_t slen = strlen(s);

	if (slen > room)
		slen = room;
	memcpy(buf + *used, s, slen);
	*used += slen;
	buf[*used] = '\0';
}

static const char *mask_str(uint64_t mask, const struct bit_name *tab, size_t ntab, char *buf,
			    size_t cap)
{
	size_t used = 0, i;
	uint64_t rest = mask;
	char hex[24];

	if (!buf || cap == 0)
		return "";
	buf[0] = '\0';
	if (mask == 0) {
		append(buf, cap, &used, "0");
		return buf;
	}
	for (i = 0; i < ntab; i++) {
		if (!(mask & tab[i].bit))
			continue;
		if (used)
			append(buf, cap, &used, "|");
		append(buf, cap, &used, tab[i].name);
		rest &= ~tab[i].bit;
	}
	if (rest) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)rest);
		if (used)
			append(buf, cap, &used, "|");
		append(buf, cap, &used, hex);
	}
	return buf;
}

const char *ino_mask_str(uint32_t mask, char *buf, size_t cap)
{
	return mask_str(mask, ino_bits, sizeof(ino_bits) / sizeof(ino_bits[0]), buf, cap);
}

const char *fan_mask_str(uint64_t mask, char *buf, size_t cap)
{
	return mask_str(mask, fan_bits, sizeof(fan_bits) / sizeof(fan_bits[0]), buf, cap);
}

const char *fan_info_type_name(int info_type)
{
	switch (info_type) {
	case FAN_EVENT_INFO_TYPE_FID:
		return "FAN_EVENT_INFO_TYPE_FID";
	case FAN_EVENT_INFO_TYPE_DFID_NAME:
		return "FAN_EVENT_INFO_TYPE_DFID_NAME";
	case FAN_EVENT_INFO_TYPE_DFID:
		return "FAN_EVENT_INFO_TYPE_DFID";
	case FAN_EVENT_INFO_TYPE_PIDFD:
		return "FAN_EVENT_INFO_TYPE_PIDFD";
	case FAN_EVENT_INFO_TYPE_ERROR:
		return "FAN_EVENT_INFO_TYPE_ERROR";
	case FAN_EVENT_INFO_TYPE_RANGE:
		return "FAN_EVENT_INFO_TYPE_RANGE";
	case FAN_EVENT_INFO_TYPE_MNT:
		return "FAN_EVENT_INFO_TYPE_MNT";
	case FAN_EVENT_INFO_TYPE_OLD_DFID_NAME:
		return "FAN_EVENT_INFO_TYPE_OLD_DFID_NAME";
	case FAN_EVENT_INFO_TYPE_NEW_DFID_NAME:
		return "FAN_EVENT_INFO_TYPE_NEW_DFID_NAME";
	default:
		return "FAN_EVENT_INFO_TYPE_UNKNOWN";
	}
}

/* --- FUSE file handles ------------------------------------------------------- */

/* One inode's three words: nodeid high, nodeid low, generation (host order). */
static void fuse_fh_words(const uint8_t *h, uint64_t *nodeid, uint32_t *generation)
{
	uint32_t hi = get_u32(h), lo = get_u32(h + 4);

	*nodeid = ((uint64_t)hi << 32) | lo;
	*generation = get_u32(h + 8);
}

int fuse_fh_decode(int handle_type, const uint8_t *h, size_t bytes, struct fuse_fh *out)
{
	if (!h || !out)
		return EINVAL;
	if (handle_type == FUSE_FH_TYPE_INO64_GEN) {
		if (bytes != 12)
			return EINVAL;
	} else if (handle_type == FUSE_FH_TYPE_INO64_GEN_PARENT) {
		if (bytes != 24)
			return EINVAL;
	} else {
		return EINVAL;
	}
	memset(out, 0, sizeof(*out));
	fuse_fh_words(h, &out->nodeid, &out->generation);
	if (handle_type == FUSE_FH_TYPE_INO64_GEN_PARENT) {
		out->has_parent = 1;
		fuse_fh_words(h + 12, &out->parent_nodeid, &out->parent_generation);
	}
	return 0;
}
