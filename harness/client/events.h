/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * events.h - strict parsers for what read(2) returns on inotify and fanotify
 * fds, readers with deadlines, mask names, and the FUSE file handle decoder.
 *
 * The parsers are pure (buffer, length) -> verdict functions: they never read
 * past len, never trust a length field, and never loop on a zero length (the
 * classic fanotify info-record bug: a record with len 0 makes a naive walker
 * spin forever).  Every violation is EBADMSG, returned as a positive errno
 * value; the parsers never set errno.  Fields are read with memcpy, so the
 * buffer needs no particular alignment.
 *
 * Error values used throughout:
 *   EBADMSG   the bytes break the kernel's record format (see each function)
 *   ENOBUFS   the bytes were well formed but held more events than max: the
 *             first max are stored and *n == max (the rest were consumed from
 *             the kernel queue and are gone: size max for the worst case)
 *   ETIMEDOUT nothing arrived before the deadline
 *   EINVAL    bad arguments (NULL out with max > 0, negative timeout, ...)
 */
#ifndef FSNC_EVENTS_H
#define FSNC_EVENTS_H

#include <stddef.h>
#include <stdint.h>

/* --- inotify --------------------------------------------------------------- */

#define INO_NAME_MAX 255      /* NAME_MAX: the longest name the kernel reports */
#define INO_LEN_MAX 4096      /* a len field above this is rejected as corrupt */
#define INO_EVENT_HDR_LEN 16  /* sizeof(struct inotify_event) without the name */

/* One inotify record, as read(2) delivered it. */
struct ino_event {
	int wd;            /* watch descriptor; -1 for IN_Q_OVERFLOW */
	uint32_t mask;     /* IN_* bits */
	uint32_t cookie;   /* pairs IN_MOVED_FROM with IN_MOVED_TO, else 0 */
	char name[INO_NAME_MAX + 1]; /* "" when the record carries no name */
	uint32_t len_field; /* the record's len: name bytes including NUL padding */
};

/*
 * Parse a buffer read from an inotify fd into out[0..max).  *n is the number
 * of events stored (on EBADMSG: the number of good events before the bad one).
 * EBADMSG when a record header does not fit in what is left, when len runs
 * past the buffer or exceeds INO_LEN_MAX, when len > 0 but the name has no NUL
 * within len, or when the name is longer than INO_NAME_MAX.  ENOBUFS when the
 * buffer is well formed but holds more than max events.  An empty buffer is
 * 0 events, not an error.
 */
int ino_parse(const void *buf, size_t len, struct ino_event *out, size_t max, size_t *n);

/*
 * Wait up to timeout_ms (CLOCK_MONOTONIC; EINTR does not extend it) for the
 * inotify fd to become readable, read(2) it once, and parse.  0 with *n >= 1
 * events; ETIMEDOUT with *n == 0 when nothing arrived; EBADMSG / ENOBUFS from
 * ino_parse; ENODATA if read returned 0 bytes (the kernel never does this);
 * otherwise the errno of poll(2) or read(2) (EBADF, EINVAL, ...).  Works on
 * blocking and O_NONBLOCK fds alike.  timeout_ms 0 checks once.
 */
int ino_read(int fd, int timeout_ms, struct ino_event *out, size_t max, size_t *n);

/*
 * Read events, appending to out, until the fd stays silent for quiet_ms or
 * deadline_ms (counted from the call) passes.  *n is the total collected.
 * Returns 0 when a full quiet_ms window passed with no event: the way to
 * assert "no further event arrives".  ETIMEDOUT when the deadline came first
 * (events were still arriving, or quiet_ms > what was left of the deadline).
 * ENOBUFS when more than max events arrived (the first max are kept).  Other
 * errors as for ino_read, with the events collected so far kept in out.
 */
int ino_collect(int fd, int quiet_ms, int deadline_ms, struct ino_event *out, size_t max,
		size_t *n);

/*
 * Render an inotify mask as "IN_MOVED_FROM|IN_ISDIR"; bits without a name
 * are appended as one hex number ("IN_CREATE|0x800000"); 0 renders as "0".
 * Always NUL-terminates within cap (the output is cut short if cap is too
 * small); returns buf, or "" when cap is 0.
 */
const char *ino_mask_str(uint32_t mask, char *buf, size_t cap);

/* --- fanotify -------------------------------------------------------------- */

#define FAN_MAX_RECORDS 4      /* info records per event the kernel can emit */
#define FAN_HANDLE_MAX 128     /* MAX_HANDLE_SZ */
#define FAN_NAME_MAX 255

/* The u16 prefix of every info record: { u8 info_type, u8 pad, u16 len }. */
#define FAN_INFO_HDR_LEN 4
/* fsid (2 x s32) and struct file_handle's { u32 handle_bytes, s32 handle_type } */
#define FAN_INFO_FID_FIXED_LEN (FAN_INFO_HDR_LEN + 8 + 8)

/*
 * One info record.  FID-like records (FID, DFID, DFID_NAME, OLD_DFID_NAME,
 * NEW_DFID_NAME) fill fsid and the handle, and *_NAME records the name.
 * PIDFD fills pidfd; ERROR fills error and error_count.  Records of types the
 * parser does not decode (RANGE, MNT, future ones) keep only type and len:
 * their length is still checked, so skipping them is safe.
 */
struct fan_info_rec {
	int type;          /* FAN_EVENT_INFO_TYPE_* */
	uint16_t len;      /* the record's len, header included */
	int32_t fsid[2];   /* __kernel_fsid_t; FUSE reports 0, 0 */
	int handle_type;   /* struct file_handle.handle_type, e.g. 0x81 */
	uint32_t handle_bytes;
	uint8_t handle[FAN_HANDLE_MAX];
	char name[FAN_NAME_MAX + 1]; /* "" for records without a name */
	int32_t pidfd;     /* PIDFD records: the pidfd, or FAN_NOPIDFD / FAN_EPIDFD */
	int32_t error;     /* ERROR records */
	uint32_t error_count;
};

/* One fanotify event: the metadata and its info records in kernel order. */
struct fan_event {
	uint64_t mask;     /* FAN_* bits */
	int32_t fd;        /* an open fd the reader owns, or FAN_NOFD */
	int32_t pid;
	uint32_t event_len;
	size_t nrec;
	struct fan_info_rec rec[FAN_MAX_RECORDS];
};

/*
 * Parse a buffer read from a fanotify fd into out[0..max).  *n as for
 * ino_parse.  EBADMSG when: the metadata does not fit; vers is not
 * FANOTIFY_METADATA_VERSION; metadata_len < FAN_EVENT_METADATA_LEN;
 * event_len < metadata_len; event_len runs past the buffer; an info record
 * header does not fit in the event; a record's len is 0, < 4, or runs past
 * the event; a record is too short for its type; handle_bytes exceeds
 * FAN_HANDLE_MAX or runs past the record; a *_NAME record has no NUL within
 * the record or a name longer than FAN_NAME_MAX; an event has more than
 * FAN_MAX_RECORDS records.  ENOBUFS as for ino_parse.  The parser opens and
 * closes nothing: event fds stay the caller's.
 */
int fan_parse(const void *buf, size_t len, struct fan_event *out, size_t max, size_t *n);

/*
 * ino_read for a fanotify fd.  Events that had to be dropped on ENOBUFS have
 * their fds closed here (the caller never saw them); a dropped permission
 * event is NOT answered, so size max generously for permission groups.
 * On EBADMSG nothing is closed: a corrupt buffer's fd fields are not trusted.
 */
int fan_read(int fd, int timeout_ms, struct fan_event *out, size_t max, size_t *n);

/* ino_collect for a fanotify fd. */
int fan_collect(int fd, int quiet_ms, int deadline_ms, struct fan_event *out, size_t max,
		size_t *n);

/* "FAN_CLOSE_WRITE|FAN_ONDIR" style names for a fanotify mask; as ino_mask_str. */
const char *fan_mask_str(uint64_t mask, char *buf, size_t cap);

/* "FAN_EVENT_INFO_TYPE_DFID_NAME" for 2, ...; "FAN_EVENT_INFO_TYPE_UNKNOWN" else. */
const char *fan_info_type_name(int info_type);

/* --- FUSE file handles ------------------------------------------------------ */

#define FUSE_FH_TYPE_INO64_GEN 0x81        /* FILEID_INO64_GEN */
#define FUSE_FH_TYPE_INO64_GEN_PARENT 0x82 /* FILEID_INO64_GEN_PARENT */

/* What fuse_encode_fh (fs/fuse) packs into a handle. */
struct fuse_fh {
	uint64_t nodeid;
	uint32_t generation;
	int has_parent;
	uint64_t parent_nodeid;
	uint32_t parent_generation;
};

/*
 * Decode a handle the FUSE kernel encoded.  FUSE writes three u32 words in
 * host byte order per inode: nodeid >> 32, nodeid & 0xffffffff, generation;
 * type 0x81 is one inode (12 bytes), 0x82 adds the parent's three words
 * (24 bytes).  Stricter than the kernel's own decoder (which only wants "at
 * least 3 words"): EINVAL for an unknown type, a length that is not exactly
 * 12 or 24 for its type, or NULL pointers.
 */
int fuse_fh_decode(int handle_type, const uint8_t *h, size_t bytes, struct fuse_fh *out);

#endif /* FSNC_EVENTS_H */
