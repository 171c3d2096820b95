/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fdinfo.h - strict parser for /proc/<pid>/fdinfo/<fd> of inotify and
 * fanotify fds (the lines fs/notify/fdinfo.c prints).
 *
 * The kernel prints, one line per mark:
 *   inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:0 <handle>
 *   fanotify flags:%x event-flags:%x                       (once, first)
 *   fanotify ino:%lx sdev:%x mflags:%x mask:%x ignored_mask:%x <handle>
 *   fanotify mnt_id:%x mflags:%x mask:%x ignored_mask:%x
 *   fanotify sdev:%x mflags:%x mask:%x ignored_mask:%x
 *   fanotify mnt_ns:%u mflags:%x mask:%x ignored_mask:%x   (6.15+, DECIMAL)
 * where <handle> is "fhandle-bytes:%x fhandle-type:%x f_handle:<2 hex digits
 * per byte>", or nothing at all when the kernel could not encode a handle:
 * the line then ends right after "ignored_mask:%x " (trailing space kept).
 * That is a real kernel outcome, reported as has_handle == 0, not an error.
 * sdev is the kernel-internal dev_t (major << 20 | minor), not st_dev.
 *
 * Other lines (pos:, flags:, mnt_id:, ino:, lock: ... all "key:\t...") are
 * skipped.  The parser never reads past len and needs no NUL terminator.
 * Errors are positive errno values; errno is never the channel.
 */
#ifndef FSNC_FDINFO_H
#define FSNC_FDINFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.h" /* struct fuse_fh, fuse_fh_decode */

#define FDINFO_MAX_MARKS 64
#define FDINFO_HANDLE_MAX 128 /* MAX_HANDLE_SZ */

enum fdinfo_kind {
	FDINFO_NONE = 0,
	FDINFO_INOTIFY,    /* "inotify wd:..." */
	FDINFO_FAN_HEADER, /* "fanotify flags:... event-flags:..." */
	FDINFO_FAN_INODE,  /* "fanotify ino:..." */
	FDINFO_FAN_MOUNT,  /* "fanotify mnt_id:..." */
	FDINFO_FAN_SB,     /* "fanotify sdev:..." */
	FDINFO_FAN_MNTNS,  /* "fanotify mnt_ns:..." */
};

/* One parsed line; only the fields of its kind are set, the rest are 0. */
struct fdinfo_mark {
	enum fdinfo_kind kind;
	int wd;                 /* INOTIFY */
	uint64_t ino;           /* INOTIFY, FAN_INODE */
	uint32_t sdev;          /* INOTIFY, FAN_INODE, FAN_SB */
	uint32_t mask;
	uint32_t ignored_mask;
	uint32_t mflags;        /* FAN_* marks */
	uint32_t mnt_id;        /* FAN_MOUNT */
	uint64_t mnt_ns;        /* FAN_MNTNS: the namespace inode number */
	uint32_t fan_flags;     /* FAN_HEADER: fanotify_init flags */
	uint32_t fan_event_flags; /* FAN_HEADER: fanotify_init event_f_flags */
	int has_handle;         /* INOTIFY, FAN_INODE: the fhandle fields were printed */
	uint32_t handle_bytes;
	int handle_type;
	uint8_t handle[FDINFO_HANDLE_MAX];
};

/* A whole fdinfo file: the fanotify header (if any) and the marks in order. */
struct fdinfo {
	int has_fan_header;
	uint32_t fan_flags;
	uint32_t fan_event_flags;
	size_t nmarks;
	struct fdinfo_mark marks[FDINFO_MAX_MARKS]; /* never FDINFO_FAN_HEADER */
};

/*
 * Parse one line (without its '\n'; one trailing '\n' is tolerated).
 * 0: a mark or the fanotify header, in *out.  ENOENT: a common "key:\t..."
 * line (pos, flags, mnt_id, ino, lock, ...), *out untouched.  EBADMSG: any
 * other line, including an inotify/fanotify line with a missing, reordered
 * or non-hex field, a value that overflows its field, fhandle-bytes > 128,
 * an f_handle whose hex length is not 2 * fhandle-bytes (odd length
 * included), or trailing garbage.  EINVAL for NULL pointers.
 */
int fdinfo_parse_line(const char *line, size_t len, struct fdinfo_mark *out);

/*
 * Parse a whole fdinfo text.  Every line must end in '\n': a last line
 * without one is a truncated read and gives EBADMSG.  Also EBADMSG for a
 * bad line (see fdinfo_parse_line), inotify and fanotify lines mixed, a
 * fanotify mark before or without the header, or a second header.
 * ENOBUFS beyond FDINFO_MAX_MARKS marks.  An empty text is 0 marks.
 */
int fdinfo_parse(const char *text, size_t len, struct fdinfo *out);

/*
 * Read /proc/<pid>/fdinfo/<fd> (pid 0: /proc/self) until EOF and parse it.
 * raw / rawcap receive the text (NULL: an internal 64 KiB buffer); *rawlen
 * (if rawlen is not NULL) is the number of bytes read, also on failure.
 * Returns the errno of open(2) or read(2) (ENOENT: no such fd, ENOMEM under
 * memory pressure or fault injection, ...), ENOBUFS if the text does not
 * fit in rawcap, or what fdinfo_parse returns.
 */
int fdinfo_read(pid_t pid, int fd, struct fdinfo *out, char *raw, size_t rawcap, size_t *rawlen);

/*
 * 1 when CRIU's 7-field sscanf would accept this line: an INOTIFY or
 * FAN_INODE mark with wd / ino / sdev / mask / ignored_mask,
 * fhandle-bytes, fhandle-type and an f_handle of exactly fhandle-bytes
 * bytes.  0 otherwise, including every line kind without those fields.
 * A mark with has_handle == 0 makes CRIU fail the dump.
 */
int fdinfo_criu_compatible(const struct fdinfo_mark *m);

/*
 * Decode the mark's handle as a FUSE handle (see fuse_fh_decode).
 * ENODATA when the line had no handle; EINVAL when it is not a FUSE
 * 0x81 / 0x82 handle of the right length.
 */
int fdinfo_mark_fuse_fh(const struct fdinfo_mark *m, struct fuse_fh *out);

/* "inotify", "fanotify-inode", ... for messages. */
const char *fdinfo_kind_name(enum fdinfo_kind kind);

#endif /* FSNC_FDINFO_H */
