// SPDX-License-Identifier: GPL-2.0-only
/*
 * event_records.c - fuzz target: the strict inotify and fanotify record
 * parsers (ino_parse, fan_parse in harness/client/events.h) and the FUSE file
 * handle decoder they feed (fuse_fh_decode).
 *
 * Input: byte 0 picks the parser (even: inotify, odd: fanotify) and, in its
 * upper bits, the capacity of the output array (1..8 events, so ENOBUFS is
 * reached); the rest is a buffer as read(2) would return it.
 *
 * Properties: the verdict is 0, EBADMSG or ENOBUFS; *n never exceeds the
 * capacity; on success the records account for the whole buffer (inotify:
 * 16 + len each; fanotify: the event_len sum), every name is NUL-terminated
 * within its array and no longer than NAME_MAX, every fanotify event has at
 * most FAN_MAX_RECORDS records whose lengths fit in the event; a handle that
 * fuse_fh_decode accepts is exactly 12 or 24 bytes.  The parse of a prefix
 * of a good buffer cut at a record boundary is good too.
 */
#include <errno.h>
#include <string.h>

#include "events.h"
#include "fuzz.h"

#define CAP_MAX 8

static void check_ino(const uint8_t *buf, size_t len, size_t cap)
{
	struct ino_event ev[CAP_MAX];
	size_t n = 0, total = 0;
	int err = ino_parse(buf, len, ev, cap, &n);

	FUZZ_CHECK(err == 0 || err == EBADMSG || err == ENOBUFS, "ino_parse: %d", err);
	FUZZ_CHECK(n <= cap, "ino_parse stored %zu of capacity %zu", n, cap);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strnlen(ev[i].name, sizeof(ev[i].name));

		FUZZ_CHECK(nl <= INO_NAME_MAX, "inotify name of %zu bytes", nl);
		FUZZ_CHECK(ev[i].len_field <= INO_LEN_MAX && nl <= ev[i].len_field,
			   "inotify len %u for a %zu-byte name", ev[i].len_field, nl);
		total += INO_EVENT_HDR_LEN + ev[i].len_field;
	}
	FUZZ_CHECK(total <= len, "inotify records claim %zu of %zu bytes", total, len);
	if (!err)
		FUZZ_CHECK(total == len, "inotify: accepted %zu of %zu bytes", total, len);
}

static void check_fan(const uint8_t *buf, size_t len, size_t cap)
{
	struct fan_event *ev = calloc(CAP_MAX, sizeof(*ev));
	size_t n = 0, total = 0;
	int err;

	if (!ev)
		abort();
	err = fan_parse(buf, len, ev, cap, &n);
	FUZZ_CHECK(err == 0 || err == EBADMSG || err == ENOBUFS, "fan_parse: %d", err);
	FUZZ_CHECK(n <= cap, "fan_parse stored %zu of capacity %zu", n, cap);
	for (size_t i = 0; i < n; i++) {
		size_t reclen = 0;

		FUZZ_CHECK(ev[i].nrec <= FAN_MAX_RECORDS, "%zu records", ev[i].nrec);
		for (size_t r = 0; r < ev[i].nrec; r++) {
			const struct fan_info_rec *rec = &ev[i].rec[r];
			struct fuse_fh fh;

			FUZZ_CHECK(rec->len >= FAN_INFO_HDR_LEN, "record len %u", rec->len);
			FUZZ_CHECK(strnlen(rec->name, sizeof(rec->name)) <= FAN_NAME_MAX,
				   "unterminated name");
			FUZZ_CHECK(rec->handle_bytes <= FAN_HANDLE_MAX, "handle of %u bytes",
				   rec->handle_bytes);
			reclen += rec->len;
			if (!fuse_fh_decode(rec->handle_type, rec->handle, rec->handle_bytes, &fh))
				FUZZ_CHECK(rec->handle_bytes == 12 || rec->handle_bytes == 24,
					   "a %u-byte handle decoded", rec->handle_bytes);
		}
		FUZZ_CHECK(reclen <= ev[i].event_len, "records claim %zu of a %u-byte event", reclen,
			   ev[i].event_len);
		total += ev[i].event_len;
	}
	FUZZ_CHECK(total <= len, "fanotify events claim %zu of %zu bytes", total, len);
	if (!err) {
		FUZZ_CHECK(total == len, "fanotify: accepted %zu of %zu bytes", total, len);
		/* A good buffer cut after its first event is a good buffer. */
		if (n > 1) {
			struct fan_event one[1];
			size_t n1 = 0;

			FUZZ_CHECK(fan_parse(buf, ev[0].event_len, one, 1, &n1) == 0 && n1 == 1,
				   "the first event alone does not parse");
		}
	}
	free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap;

	if (size < 1)
		return 0;
	cap = 1 + ((data[0] >> 1) % CAP_MAX);
	if (data[0] & 1)
		check_fan(data + 1, size - 1, cap);
	else
		check_ino(data + 1, size - 1, cap);
	return 0;
}
