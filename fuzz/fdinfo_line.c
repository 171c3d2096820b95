// SPDX-License-Identifier: GPL-2.0-only
/*
 * fdinfo_line.c - fuzz target: the strict parser of /proc/<pid>/fdinfo lines
 * of inotify and fanotify fds (fdinfo_parse_line, fdinfo_parse in
 * harness/client/fdinfo.h), and the CRIU and FUSE-handle checks built on it.
 *
 * Input: byte 0 even: the rest is one line; odd: the rest is a whole fdinfo
 * text.
 *
 * Properties: verdicts are the documented ones; a parsed mark, printed again
 * with the kernel's own format strings (fs/notify/fdinfo.c), parses back to
 * the same mark (the parser and the kernel agree on the language); a mark
 * CRIU would accept has its handle; a whole text that parses has at most
 * FDINFO_MAX_MARKS marks, all of one family, each of which parses alone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fdinfo.h"
#include "fuzz.h"

static size_t put_handle(char *out, size_t cap, const struct fdinfo_mark *m)
{
	size_t n;

	if (!m->has_handle)
		return 0;
	n = (size_t)snprintf(out, cap, "fhandle-bytes:%x fhandle-type:%x f_handle:", m->handle_bytes,
			     m->handle_type);
	for (uint32_t i = 0; i < m->handle_bytes && n + 3 < cap; i++)
		n += (size_t)snprintf(out + n, cap - n, "%02x", m->handle[i]);
	return n;
}

/* The line fs/notify/fdinfo.c would print for m; 0 for kinds it has no format for. */
static size_t kernel_format(const struct fdinfo_mark *m, char *out, size_t cap)
{
	size_t n;

	switch (m->kind) {
	case FDINFO_INOTIFY:
		n = (size_t)snprintf(out, cap, "inotify wd:%x ino:%llx sdev:%x mask:%x ignored_mask:%x ",
				     (unsigned)m->wd, (unsigned long long)m->ino, m->sdev, m->mask,
				     m->ignored_mask);
		return n + put_handle(out + n, cap - n, m);
	case FDINFO_FAN_HEADER:
		return (size_t)snprintf(out, cap, "fanotify flags:%x event-flags:%x", m->fan_flags,
					m->fan_event_flags);
	case FDINFO_FAN_INODE:
		n = (size_t)snprintf(out, cap, "fanotify ino:%llx sdev:%x mflags:%x mask:%x ignored_mask:%x ",
				     (unsigned long long)m->ino, m->sdev, m->mflags, m->mask,
				     m->ignored_mask);
		return n + put_handle(out + n, cap - n, m);
	case FDINFO_FAN_MOUNT:
		return (size_t)snprintf(out, cap, "fanotify mnt_id:%x mflags:%x mask:%x ignored_mask:%x",
					m->mnt_id, m->mflags, m->mask, m->ignored_mask);
	case FDINFO_FAN_SB:
		return (size_t)snprintf(out, cap, "fanotify sdev:%x mflags:%x mask:%x ignored_mask:%x",
					m->sdev, m->mflags, m->mask, m->ignored_mask);
	case FDINFO_FAN_MNTNS:
		return (size_t)snprintf(out, cap, "fanotify mnt_ns:%llu mflags:%x mask:%x ignored_mask:%x",
					(unsigned long long)m->mnt_ns, m->mflags, m->mask,
					m->ignored_mask);
	default:
		return 0;
	}
}

static void check_line(const char *line, size_t len)
{
	struct fdinfo_mark m, m2;
	struct fuse_fh fh;
	char again[512];
	size_t n;
	int err;

	memset(&m, 0, sizeof(m));
	err = fdinfo_parse_line(line, len, &m);
	FUZZ_CHECK(err == 0 || err == ENOENT || err == EBADMSG, "fdinfo_parse_line: %d", err);
	if (err)
		return;
	FUZZ_CHECK(m.kind != FDINFO_NONE, "accepted a line of no kind");
	FUZZ_CHECK(m.handle_bytes <= FDINFO_HANDLE_MAX, "handle of %u bytes", m.handle_bytes);
	if (fdinfo_criu_compatible(&m))
		FUZZ_CHECK(m.has_handle, "CRIU-compatible without a handle");
	err = fdinfo_mark_fuse_fh(&m, &fh);
	FUZZ_CHECK(err == 0 || err == ENODATA || err == EINVAL, "fdinfo_mark_fuse_fh: %d", err);
	FUZZ_CHECK(!m.has_handle == (err == ENODATA), "ENODATA iff no handle");

	n = kernel_format(&m, again, sizeof(again));
	FUZZ_CHECK(n > 0 && n < sizeof(again), "no kernel format for %s",
		   fdinfo_kind_name(m.kind));
	memset(&m2, 0, sizeof(m2));
	err = fdinfo_parse_line(again, n, &m2);
	FUZZ_CHECK(err == 0 && !memcmp(&m, &m2, sizeof(m)),
		   "the kernel's rendering of a parsed line does not parse back (%d): %.*s", err,
		   (int)n, again);
}

static void check_text(const char *text, size_t len)
{
	struct fdinfo *fi = calloc(1, sizeof(*fi));
	int err;

	if (!fi)
		abort();
	err = fdinfo_parse(text, len, fi);
	FUZZ_CHECK(err == 0 || err == EBADMSG || err == ENOBUFS, "fdinfo_parse: %d", err);
	if (!err) {
		enum fdinfo_kind family = FDINFO_NONE;

		FUZZ_CHECK(fi->nmarks <= FDINFO_MAX_MARKS, "%zu marks", fi->nmarks);
		for (size_t i = 0; i < fi->nmarks; i++) {
			enum fdinfo_kind k = fi->marks[i].kind == FDINFO_INOTIFY ? FDINFO_INOTIFY
										   : FDINFO_FAN_HEADER;

			FUZZ_CHECK(fi->marks[i].kind != FDINFO_FAN_HEADER && fi->marks[i].kind,
				   "mark %zu is a %s", i, fdinfo_kind_name(fi->marks[i].kind));
			FUZZ_CHECK(family == FDINFO_NONE || family == k, "inotify and fanotify mixed");
			family = k;
		}
		if (family == FDINFO_FAN_HEADER)
			FUZZ_CHECK(fi->has_fan_header, "fanotify marks without the header");
	}
	/* Every complete line also goes through the line parser's own checks. */
	for (size_t start = 0, i = 0; i < len; i++) {
		if (text[i] == '\n') {
			check_line(text + start, i - start);
			start = i + 1;
		}
	}
	free(fi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		check_text((const char *)data + 1, size - 1);
	else
		check_line((const char *)data + 1, size - 1);
	return 0;
}
