// SPDX-License-Identifier: GPL-2.0-only
/*
 * fdinfo.c - strict parser for the fsnotify lines of /proc/<pid>/fdinfo/<fd>.
 * See fdinfo.h for the grammar and the contract of every function.
 *
 * Parsing walks a cursor over [p, end): no strtoul, no sscanf, nothing that
 * needs a NUL terminator or could read past end.
 */
#include "fdinfo.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FDINFO_READ_DEFAULT_CAP 65536

struct cur {
	const char *p;
	const char *end;
};

static int at_end(const struct cur *c)
{
	return c->p == c->end;
}

/* Consume the literal lit; EBADMSG if the text does not start with it. */
static int expect(struct cur *c, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
		return EBADMSG;
	c->p += n;
	return 0;
}

/* 1 if the text starts with lit (nothing consumed). */
static int peek(const struct cur *c, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(c->end - c->p) >= n && memcmp(c->p, lit, n) == 0;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* One or more hex digits, value <= limit. */
static int hex_num(struct cur *c, uint64_t limit, uint64_t *v)
{
	uint64_t val = 0;
	int digits = 0, d;

	while (c->p < c->end && (d = hex_digit(*c->p)) >= 0) {
		if (val > (UINT64_MAX >> 4))
			return EBADMSG;
		val = (val << 4) | (uint64_t)d;
		c->p++;
		digits++;
	}
	if (!digits || val > limit)
		return EBADMSG;
	*v = val;
	return 0;
}

/* One or more decimal digits, value <= limit. */
static int dec_num(struct cur *c, uint64_t limit, uint64_t *v)
{
	uint64_t val = 0;
	int digits = 0;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
		uint64_t d = (uint64_t)(*c->p - '0');

		if (val > (UINT64_MAX - d) / 10)
			return EBADMSG;
		val = val * 10 + d;
		c->p++;
		digits++;
	}
	if (!digits || val > limit)
		return EBADMSG;
	*v = val;
	return 0;
}

/* "key" immediately followed by a hex number that fits in limit. */
static int hex_field(struct cur *c, const char *key, uint64_t limit, uint64_t *v)
{
	int err = expect(c, key);

	return err ? err : hex_num(c, limit, v);
}

static int hex_field32(struct cur *c, const char *key, uint32_t *v)
{
	uint64_t val = 0;
	int err = hex_field(c, key, UINT32_MAX, &val);

	if (!err)
		*v = (uint32_t)val;
	return err;
}

/* " key:<hex>" : a separating space, then a 32-bit hex field. */
static int next_field32(struct cur *c, const char *key, uint32_t *v)
{
	int err = expect(c, " ");

	return err ? err : hex_field32(c, key, v);
}

/* "mflags:%x mask:%x ignored_mask:%x", shared by every fanotify mark line. */
static int fan_mark_masks(struct cur *c, struct fdinfo_mark *m)
{
	int err = next_field32(c, "mflags:", &m->mflags);

	if (!err)
		err = next_field32(c, "mask:", &m->mask);
	if (!err)
		err = next_field32(c, "ignored_mask:", &m->ignored_mask);
	return err;
}

/* "f_handle:" then exactly 2 * handle_bytes hex digits up to the end. */
static int handle_hex(struct cur *c, struct fdinfo_mark *m)
{
	size_t i;
	int err = expect(c, "f_handle:");

	if (err)
		return err;
	if ((size_t)(c->end - c->p) != 2 * (size_t)m->handle_bytes)
		return EBADMSG; /* odd, short, long, or trailing garbage */
	for (i = 0; i < m->handle_bytes; i++) {
		int hi = hex_digit(c->p[2 * i]), lo = hex_digit(c->p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return EBADMSG;
		m->handle[i] = (uint8_t)(hi << 4 | lo);
	}
	c->p = c->end;
	return 0;
}

/*
 * What follows "ignored_mask:%x" on an inode line: nothing (optionally one
 * space: the kernel prints "ignored_mask:%x " before trying the handle), or
 * " fhandle-bytes:%x fhandle-type:%x f_handle:<hex>".
 */
static int handle_tail(struct cur *c, struct fdinfo_mark *m)
{
	uint32_t type = 0;
	int err;

	m->has_handle = 0;
	if (at_end(c))
		return 0;
	err = expect(c, " ");
	if (err || at_end(c))
		return err;
	err = hex_field32(c, "fhandle-bytes:", &m->handle_bytes);
	if (!err && m->handle_bytes > FDINFO_HANDLE_MAX)
		err = EBADMSG;
	if (!err)
		err = next_field32(c, "fhandle-type:", &type);
	if (!err)
		err = expect(c, " ");
	if (!err)
		err = handle_hex(c, m);
	if (err)
		return err;
	m->handle_type = (int)type;
	m->has_handle = 1;
	return 0;
}

/* After "inotify ": wd:%x ino:%lx sdev:%x mask:%x ignored_mask:%x <handle> */
static int parse_inotify(struct cur *c, struct fdinfo_mark *m)
{
	uint64_t wd = 0;
	int err;

	m->kind = FDINFO_INOTIFY;
	err = hex_field(c, "wd:", INT32_MAX, &wd);
	m->wd = (int)wd;
	if (!err)
		err = expect(c, " ");
	if (!err)
		err = hex_field(c, "ino:", UINT64_MAX, &m->ino);
	if (!err)
		err = next_field32(c, "sdev:", &m->sdev);
	if (!err)
		err = next_field32(c, "mask:", &m->mask);
	if (!err)
		err = next_field32(c, "ignored_mask:", &m->ignored_mask);
	return err ? err : handle_tail(c, m);
}

static int parse_fan_header(struct cur *c, struct fdinfo_mark *m)
{
	int err;

	m->kind = FDINFO_FAN_HEADER;
	err = hex_field32(c, "flags:", &m->fan_flags);
	if (!err)
		err = next_field32(c, "event-flags:", &m->fan_event_flags);
	if (!err && !at_end(c))
		err = EBADMSG;
	return err;
}

static int parse_fan_inode(struct cur *c, struct fdinfo_mark *m)
{
	int err;

	m->kind = FDINFO_FAN_INODE;
	err = hex_field(c, "ino:", UINT64_MAX, &m->ino);
	if (!err)
		err = next_field32(c, "sdev:", &m->sdev);
	if (!err)
		err = fan_mark_masks(c, m);
	return err ? err : handle_tail(c, m);
}

static int parse_fan_mount(struct cur *c, struct fdinfo_mark *m)
{
	int err;

	m->kind = FDINFO_FAN_MOUNT;
	err = hex_field32(c, "mnt_id:", &m->mnt_id);
	if (!err)
		err = fan_mark_masks(c, m);
	if (!err && !at_end(c))
		err = EBADMSG;
	return err;
}

static int parse_fan_sb(struct cur *c, struct fdinfo_mark *m)
{
	int err;

	m->kind = FDINFO_FAN_SB;
	err = hex_field32(c, "sdev:", &m->sdev);
	if (!err)
		err = fan_mark_masks(c, m);
	if (!err && !at_end(c))
		err = EBADMSG;
	return err;
}

/* "mnt_ns:%u": the one decimal field (ns.inum, an unsigned int). */
static int parse_fan_mntns(struct cur *c, struct fdinfo_mark *m)
{
	int err;

	m->kind = FDINFO_FAN_MNTNS;
	err = expect(c, "mnt_ns:");
	if (!err)
		err = dec_num(c, UINT32_MAX, &m->mnt_ns);
	if (!err)
		err = fan_mark_masks(c, m);
	if (!err && !at_end(c))
		err = EBADMSG;
	return err;
}

static int parse_fanotify(struct cur *c, struct fdinfo_mark *m)
{
	if (peek(c, "flags:"))
		return parse_fan_header(c, m);
	if (peek(c, "ino:"))
		return parse_fan_inode(c, m);
	if (peek(c, "mnt_id:"))
		return parse_fan_mount(c, m);
	if (peek(c, "sdev:"))
		return parse_fan_sb(c, m);
	if (peek(c, "mnt_ns:"))
		return parse_fan_mntns(c, m);
	return EBADMSG;
}

/* A common fdinfo line: "key:\t..." with key in [a-z0-9_-]. */
static int is_common_line(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char ch = p[i];

		if (ch == ':')
			return i > 0 && i + 1 < len && p[i + 1] == '\t';
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return 0;
	}
	return 0;
}

int fdinfo_parse_line(const char *line, size_t len, struct fdinfo_mark *out)
{
	struct fdinfo_mark m;
	struct cur c;
	int err;

	if (!out || (!line && len))
		return EINVAL;
	if (len && line[len - 1] == '\n')
		len--;
	if (is_common_line(line, len))
		return ENOENT;

	memset(&m, 0, sizeof(m));
	c.p = line;
	c.end = line + len;
	if (peek(&c, "inotify ")) {
		c.p += strlen("inotify ");
		err = parse_inotify(&c, &m);
	} else if (peek(&c, "fanotify ")) {
		c.p += strlen("fanotify ");
		err = parse_fanotify(&c, &m);
	} else {
		err = EBADMSG;
	}
	if (err)
		return err;
	*out = m;
	return 0;
}

static int is_fanotify_kind(enum fdinfo_kind k)
{
	return k == FDINFO_FAN_HEADER || k == FDINFO_FAN_INODE || k == FDINFO_FAN_MOUNT ||
	       k == FDINFO_FAN_SB || k == FDINFO_FAN_MNTNS;
}

/* Add a parsed line to out, enforcing the order the kernel prints in. */
static int fdinfo_add(struct fdinfo *out, const struct fdinfo_mark *m, int *seen_inotify)
{
	if (m->kind == FDINFO_FAN_HEADER) {
		if (out->has_fan_header || *seen_inotify || out->nmarks)
			return EBADMSG;
		out->has_fan_header = 1;
		out->fan_flags = m->fan_flags;
		out->fan_event_flags = m->fan_event_flags;
		return 0;
	}
	if (is_fanotify_kind(m->kind) ? !out->has_fan_header : out->has_fan_header)
		return EBADMSG; /* fanotify mark without header, or inotify after one */
	if (m->kind == FDINFO_INOTIFY)
		*seen_inotify = 1;
	if (out->nmarks == FDINFO_MAX_MARKS)
		return ENOBUFS;
	out->marks[out->nmarks++] = *m;
	return 0;
}

int fdinfo_parse(const char *text, size_t len, struct fdinfo *out)
{
	size_t off = 0;
	int seen_inotify = 0;

	if (!out || (!text && len))
		return EINVAL;
	memset(out, 0, sizeof(*out));
	while (off < len) {
		const char *line = text + off;
		const char *nl = memchr(line, '\n', len - off);
		struct fdinfo_mark m;
		size_t llen;
		int err;

		if (!nl)
			return EBADMSG; /* last line cut short */
		llen = (size_t)(nl - line);
		off += llen + 1;
		err = fdinfo_parse_line(line, llen, &m);
		if (err == ENOENT)
			continue;
		if (!err)
			err = fdinfo_add(out, &m, &seen_inotify);
		if (err)
			return err;
	}
	return 0;
}

/* Read all of fd into buf; ENOBUFS when more than cap bytes are there. */
static int read_all(int fd, char *buf, size_t cap, size_t *used)
{
	*used = 0;
	for (;;) {
		char probe;
		ssize_t r;

		if (*used < cap)
			r = read(fd, buf + *used, cap - *used);
		else
			r = read(fd, &probe, 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		if (r == 0)
			return 0;
		if (*used == cap)
			return ENOBUFS;
		*used += (size_t)r;
	}
}

int fdinfo_read(pid_t pid, int fd, struct fdinfo *out, char *raw, size_t rawcap, size_t *rawlen)
{
	char path[64];
	char *buf = raw;
	size_t used = 0;
	int pfd, err;

	if (rawlen)
		*rawlen = 0;
	if (!out || fd < 0 || pid < 0)
		return EINVAL;
	if (!buf) {
		rawcap = FDINFO_READ_DEFAULT_CAP;
		buf = malloc(rawcap);
		if (!buf)
			return ENOMEM;
	}
	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	else
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);

	pfd = open(path, O_RDONLY | O_CLOEXEC);
	if (pfd < 0) {
		err = errno;
	} else {
		err = read_all(pfd, buf, rawcap, &used);
		close(pfd);
	}
	if (rawlen)
		*rawlen = used;
	if (!err)
		err = fdinfo_parse(buf, used, out);
	if (buf != raw)
		free(buf);
	return err;
}

int fdinfo_criu_compatible(const struct fdinfo_mark *m)
{
	if (!m || (m->kind != FDINFO_INOTIFY && m->kind != FDINFO_FAN_INODE))
		return 0;
	return m->has_handle && m->handle_bytes <= FDINFO_HANDLE_MAX;
}

int fdinfo_mark_fuse_fh(const struct fdinfo_mark *m, struct fuse_fh *out)
{
	if (!m || !out)
		return EINVAL;
	if (!m->has_handle)
		return ENODATA;
	return fuse_fh_decode(m->handle_type, m->handle, m->handle_bytes, out);
}

const char *fdinfo_kind_name(enum fdinfo_kind kind)
{
	switch (kind) {
	case FDINFO_INOTIFY:
		return "inotify";
	case FDINFO_FAN_HEADER:
		return "fanotify-header";
	case FDINFO_FAN_INODE:
		return "fanotify-inode";
	case FDINFO_FAN_MOUNT:
		return "fanotify-mount";
	case FDINFO_FAN_SB:
		return "fanotify-sb";
	case FDINFO_FAN_MNTNS:
		return "fanotify-mntns";
	default:
		return "none";
	}
}
