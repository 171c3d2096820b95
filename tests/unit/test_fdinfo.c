// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_fdinfo.c - the /proc/<pid>/fdinfo parser for inotify and fanotify fds:
 * every line form, the missing-handle state, CRIU compatibility, malformed
 * and truncated lines, whole files, and a read of a real inotify fd.
 *
 * Lines are handed to the parser in a heap copy of exactly their length,
 * with no NUL after them, so AddressSanitizer catches any read past len.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdinfo.h"

/* Seen on the 6.18 build machine: a FUSE file, nodeid 5, generation 7. */
static const char real_fuse_line[] = "inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 "
				     "fhandle-bytes:c fhandle-type:81 f_handle:000000000500000007000000";

/* Seen on this machine (6.18, ext4 /tmp): FILEID_INO32_GEN, 8 bytes. */
static const char real_ext4_line[] = "inotify wd:1 ino:a7229f sdev:fe00000 mask:fff ignored_mask:0 "
				     "fhandle-bytes:8 fhandle-type:1 f_handle:9f22a700e964a4da";

static int parse_line_exact(const char *line, size_t len, struct fdinfo_mark *m)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, line, len);
	rc = fdinfo_parse_line(copy, len, m);
	free(copy);
	return rc;
}

static int parse_line_str(const char *line, struct fdinfo_mark *m)
{
	return parse_line_exact(line, strlen(line), m);
}

static int parse_text_exact(const char *text, size_t len, struct fdinfo *fi)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, text, len);
	rc = fdinfo_parse(copy, len, fi);
	free(copy);
	return rc;
}

static int parse_text_str(const char *text, struct fdinfo *fi)
{
	return parse_text_exact(text, strlen(text), fi);
}

/* --- single lines: every form ------------------------------------------------- */

static void line_real_6_18_fuse_inotify_line_decodes_nodeid_5_generation_7(void **state)
{
	struct fdinfo_mark m;
	struct fuse_fh fh;

	assert_int_equal(parse_line_str(real_fuse_line, &m), 0);
	assert_int_equal(m.kind, FDINFO_INOTIFY);
	assert_int_equal(m.wd, 2);
	assert_int_equal(m.ino, 0x69);
	assert_int_equal(m.sdev, 0x27);
	assert_int_equal(m.mask, 0xfff);
	assert_int_equal(m.ignored_mask, 0);
	assert_int_equal(m.has_handle, 1);
	assert_int_equal(m.handle_bytes, 12);
	assert_int_equal(m.handle_type, 0x81);
	assert_int_equal(fdinfo_criu_compatible(&m), 1);
	assert_int_equal(fdinfo_mark_fuse_fh(&m, &fh), 0);
	assert_int_equal(fh.nodeid, 5);
	assert_int_equal(fh.generation, 7);
	assert_int_equal(fh.has_parent, 0);
}

static void line_real_ext4_inotify_line_is_not_a_fuse_handle(void **state)
{
	static const uint8_t h[8] = { 0x9f, 0x22, 0xa7, 0x00, 0xe9, 0x64, 0xa4, 0xda };
	struct fdinfo_mark m;
	struct fuse_fh fh;

	assert_int_equal(parse_line_str(real_ext4_line, &m), 0);
	assert_int_equal(m.ino, 0xa7229f);
	assert_int_equal(m.sdev, 0xfe00000); /* major 254 << 20 | minor 0 */
	assert_int_equal(m.handle_type, 1);
	assert_int_equal(m.handle_bytes, 8);
	assert_memory_equal(m.handle, h, 8);
	assert_int_equal(fdinfo_mark_fuse_fh(&m, &fh), EINVAL);
}

static void line_inotify_without_handle_has_handle_0_and_breaks_criu(void **state)
{
	/* what the kernel prints when the handle cannot be encoded: note the space */
	static const char with_space[] = "inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 ";
	static const char without_space[] = "inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0";
	struct fdinfo_mark m;
	struct fuse_fh fh;

	assert_int_equal(parse_line_str(with_space, &m), 0);
	assert_int_equal(m.kind, FDINFO_INOTIFY);
	assert_int_equal(m.wd, 2);
	assert_int_equal(m.mask, 0xfff);
	assert_int_equal(m.has_handle, 0);
	assert_int_equal(m.handle_bytes, 0);
	assert_int_equal(fdinfo_criu_compatible(&m), 0);
	assert_int_equal(fdinfo_mark_fuse_fh(&m, &fh), ENODATA);

	assert_int_equal(parse_line_str(without_space, &m), 0);
	assert_int_equal(m.has_handle, 0);
	assert_int_equal(fdinfo_criu_compatible(&m), 0);
}

static void line_inotify_older_kernel_nonzero_ignored_mask(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("inotify wd:1 ino:2 sdev:3 mask:8 ignored_mask:4 "
					"fhandle-bytes:8 fhandle-type:1 f_handle:0102030405060708",
					&m), 0);
	assert_int_equal(m.ignored_mask, 4);
	assert_int_equal(m.handle[7], 8);
}

static void line_fanotify_header(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("fanotify flags:e00 event-flags:8000", &m), 0);
	assert_int_equal(m.kind, FDINFO_FAN_HEADER);
	assert_int_equal(m.fan_flags, 0xe00);
	assert_int_equal(m.fan_event_flags, 0x8000);
	assert_int_equal(fdinfo_criu_compatible(&m), 0);
}

static void line_fanotify_inode_mark_with_handle(void **state)
{
	struct fdinfo_mark m;
	struct fuse_fh fh;

	assert_int_equal(parse_line_str("fanotify ino:69 sdev:27 mflags:40 mask:8000100 "
					"ignored_mask:2 fhandle-bytes:c fhandle-type:81 "
					"f_handle:000000000500000007000000", &m), 0);
	assert_int_equal(m.kind, FDINFO_FAN_INODE);
	assert_int_equal(m.ino, 0x69);
	assert_int_equal(m.sdev, 0x27);
	assert_int_equal(m.mflags, 0x40);
	assert_int_equal(m.mask, 0x8000100);
	assert_int_equal(m.ignored_mask, 2);
	assert_int_equal(m.has_handle, 1);
	assert_int_equal(fdinfo_criu_compatible(&m), 1);
	assert_int_equal(fdinfo_mark_fuse_fh(&m, &fh), 0);
	assert_int_equal(fh.nodeid, 5);
}

static void line_fanotify_inode_mark_without_handle(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("fanotify ino:69 sdev:27 mflags:0 mask:2 ignored_mask:0 ",
					&m), 0);
	assert_int_equal(m.kind, FDINFO_FAN_INODE);
	assert_int_equal(m.has_handle, 0);
	assert_int_equal(fdinfo_criu_compatible(&m), 0);
}

static void line_fanotify_mount_mark(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("fanotify mnt_id:1b mflags:0 mask:8000020 ignored_mask:0",
					&m), 0);
	assert_int_equal(m.kind, FDINFO_FAN_MOUNT);
	assert_int_equal(m.mnt_id, 0x1b);
	assert_int_equal(m.mask, 0x8000020);
	assert_int_equal(m.has_handle, 0);
	assert_int_equal(fdinfo_criu_compatible(&m), 0);
}

static void line_fanotify_sb_mark(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("fanotify sdev:fe00000 mflags:0 mask:20 ignored_mask:0",
					&m), 0);
	assert_int_equal(m.kind, FDINFO_FAN_SB);
	assert_int_equal(m.sdev, 0xfe00000);
	assert_int_equal(m.mask, 0x20);
}

static void line_fanotify_mntns_mark_is_decimal(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("fanotify mnt_ns:4026531841 mflags:0 mask:3000000 "
					"ignored_mask:0", &m), 0);
	assert_int_equal(m.kind, FDINFO_FAN_MNTNS);
	assert_true(m.mnt_ns == 4026531841ull);
	assert_int_equal(m.mask, 0x3000000);
	/* hex digits are not decimal */
	assert_int_equal(parse_line_str("fanotify mnt_ns:f0 mflags:0 mask:0 ignored_mask:0", &m),
			 EBADMSG);
}

static void line_common_lines_are_enoent(void **state)
{
	static const char *lines[] = { "pos:\t0", "flags:\t02000000", "mnt_id:\t17", "ino:\t1038",
				       "lock:\t1: FLOCK  ADVISORY  WRITE 1234 00:1a:5 0 EOF" };
	struct fdinfo_mark m;
	size_t i;

	memset(&m, 0x5a, sizeof(m));
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(parse_line_str(lines[i], &m), ENOENT);
	assert_int_equal(m.wd, 0x5a5a5a5a); /* untouched */
}

static void line_tolerates_one_trailing_newline(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("fanotify sdev:1 mflags:0 mask:20 ignored_mask:0\n", &m), 0);
	assert_int_equal(parse_line_str("fanotify sdev:1 mflags:0 mask:20 ignored_mask:0\n\n", &m),
			 EBADMSG);
}

static void line_accepts_empty_handle_of_zero_bytes(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("inotify wd:1 ino:2 sdev:3 mask:8 ignored_mask:0 "
					"fhandle-bytes:0 fhandle-type:1 f_handle:", &m), 0);
	assert_int_equal(m.has_handle, 1);
	assert_int_equal(m.handle_bytes, 0);
}

static void line_accepts_max_handle_sz_of_128_bytes(void **state)
{
	char line[512];
	struct fdinfo_mark m;
	int off, i;

	off = snprintf(line, sizeof(line), "inotify wd:1 ino:2 sdev:3 mask:8 ignored_mask:0 "
		       "fhandle-bytes:80 fhandle-type:1 f_handle:");
	for (i = 0; i < 128; i++)
		off += snprintf(line + off, sizeof(line) - (size_t)off, "%02x", i);
	assert_int_equal(parse_line_str(line, &m), 0);
	assert_int_equal(m.handle_bytes, 128);
	assert_int_equal(m.handle[127], 127);
	assert_int_equal(fdinfo_criu_compatible(&m), 1);
}

/* --- single lines: malformed -------------------------------------------------- */

static void line_rejects_odd_hex_length(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 "
					"fhandle-bytes:c fhandle-type:81 "
					"f_handle:00000000050000000700000", &m), EBADMSG);
}

static void line_rejects_handle_shorter_or_longer_than_fhandle_bytes(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 "
					"fhandle-bytes:c fhandle-type:81 f_handle:0000000005000000",
					&m), EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 "
					"fhandle-bytes:c fhandle-type:81 "
					"f_handle:00000000050000000700000000", &m), EBADMSG);
}

static void line_rejects_non_hex(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 "
					"fhandle-bytes:c fhandle-type:81 "
					"f_handle:00000000050000000700000g", &m), EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:2 ino:6x9 sdev:27 mask:fff ignored_mask:0", &m),
			 EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:-2 ino:69 sdev:27 mask:fff ignored_mask:0", &m),
			 EBADMSG);
	assert_int_equal(parse_line_str("fanotify mnt_id: mflags:0 mask:20 ignored_mask:0", &m),
			 EBADMSG);
}

static void line_rejects_fhandle_bytes_over_128(void **state)
{
	char line[512];
	struct fdinfo_mark m;
	int off, i;

	off = snprintf(line, sizeof(line), "inotify wd:1 ino:2 sdev:3 mask:8 ignored_mask:0 "
		       "fhandle-bytes:84 fhandle-type:1 f_handle:");
	for (i = 0; i < 132; i++)
		off += snprintf(line + off, sizeof(line) - (size_t)off, "00");
	assert_int_equal(parse_line_str(line, &m), EBADMSG);
}

static void line_rejects_missing_or_reordered_fields(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("inotify wd:2 ino:69 mask:fff ignored_mask:0", &m), EBADMSG);
	assert_int_equal(parse_line_str("inotify ino:69 wd:2 sdev:27 mask:fff ignored_mask:0", &m),
			 EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 "
					"fhandle-type:81 f_handle:00", &m), EBADMSG);
	assert_int_equal(parse_line_str("fanotify mnt_id:1b mask:20 ignored_mask:0", &m), EBADMSG);
	assert_int_equal(parse_line_str("fanotify flags:0", &m), EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:2  ino:69 sdev:27 mask:fff ignored_mask:0", &m),
			 EBADMSG);
}

static void line_rejects_trailing_garbage(void **state)
{
	char line[256];
	struct fdinfo_mark m;

	snprintf(line, sizeof(line), "%s ", real_fuse_line);
	assert_int_equal(parse_line_str(line, &m), EBADMSG);
	snprintf(line, sizeof(line), "%s\t", real_fuse_line);
	assert_int_equal(parse_line_str(line, &m), EBADMSG);
	assert_int_equal(parse_line_str("fanotify mnt_id:1b mflags:0 mask:20 ignored_mask:0 ", &m),
			 EBADMSG);
	assert_int_equal(parse_line_str("fanotify sdev:1 mflags:0 mask:20 ignored_mask:0 x", &m),
			 EBADMSG);
	assert_int_equal(parse_line_str("fanotify flags:0 event-flags:8000 extra:1", &m), EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0  ", &m),
			 EBADMSG);
}

static void line_rejects_values_that_overflow_their_field(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(parse_line_str("inotify wd:80000000 ino:1 sdev:1 mask:1 ignored_mask:0", &m),
			 EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:1 ino:1 sdev:100000000 mask:1 ignored_mask:0", &m),
			 EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:1 ino:10000000000000000 sdev:1 mask:1 "
					"ignored_mask:0", &m), EBADMSG);
	assert_int_equal(parse_line_str("inotify wd:1 ino:ffffffffffffffff sdev:1 mask:1 "
					"ignored_mask:0", &m), 0);
	assert_true(m.ino == UINT64_MAX);
}

static void line_rejects_garbage(void **state)
{
	static const char *lines[] = { "", " ", "hello", "inotify", "inotify ", "fanotify",
				       "fanotify foo:1 mflags:0 mask:0 ignored_mask:0",
				       "INOTIFY wd:2 ino:69 sdev:27 mask:fff ignored_mask:0",
				       "pos:0", ":\t0", "\t" };
	struct fdinfo_mark m;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(parse_line_str(lines[i], &m), EBADMSG);
	assert_int_equal(parse_line_exact("inotify wd:2\0ino:69", 19, &m), EBADMSG);
}

/*
 * Cut the real line at every length: only the two cuts right after
 * "ignored_mask:0" (with and without the kernel's trailing space) are
 * valid lines (has_handle 0); every other cut is EBADMSG.
 */
static void line_every_truncation_of_real_line_is_ebadmsg_or_handle_less(void **state)
{
	const char *cut_ok = strstr(real_fuse_line, "ignored_mask:0") + strlen("ignored_mask:0");
	size_t ok1 = (size_t)(cut_ok - real_fuse_line), ok2 = ok1 + 1, len;
	struct fdinfo_mark m;

	for (len = 0; len < strlen(real_fuse_line); len++) {
		int rc = parse_line_exact(real_fuse_line, len, &m);

		if (len == ok1 || len == ok2) {
			assert_int_equal(rc, 0);
			assert_int_equal(m.has_handle, 0);
		} else {
			assert_int_equal(rc, EBADMSG);
		}
	}
	assert_int_equal(parse_line_exact(real_fuse_line, len, &m), 0);
}

static void line_null_arguments_are_einval(void **state)
{
	struct fdinfo_mark m;

	assert_int_equal(fdinfo_parse_line(NULL, 3, &m), EINVAL);
	assert_int_equal(fdinfo_parse_line("pos:\t0", 6, NULL), EINVAL);
	assert_int_equal(fdinfo_criu_compatible(NULL), 0);
}

/* --- whole files -------------------------------------------------------------- */

static void file_inotify_with_common_lines_and_two_watches(void **state)
{
	static const char text[] =
		"pos:\t0\nflags:\t00\nmnt_id:\t17\nino:\t1038\n"
		"inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 fhandle-bytes:c "
		"fhandle-type:81 f_handle:000000000500000007000000\n"
		"inotify wd:1 ino:1 sdev:27 mask:2 ignored_mask:0 \n";
	struct fdinfo fi;

	assert_int_equal(parse_text_str(text, &fi), 0);
	assert_int_equal(fi.has_fan_header, 0);
	assert_int_equal(fi.nmarks, 2);
	assert_int_equal(fi.marks[0].wd, 2);
	assert_int_equal(fi.marks[0].has_handle, 1);
	assert_int_equal(fi.marks[1].wd, 1);
	assert_int_equal(fi.marks[1].has_handle, 0);
}

static void file_fanotify_header_and_every_mark_kind(void **state)
{
	static const char text[] =
		"pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n"
		"fanotify flags:e00 event-flags:8000\n"
		"fanotify mnt_id:1b mflags:0 mask:8000020 ignored_mask:0\n"
		"fanotify ino:a7229f sdev:fe00000 mflags:0 mask:8000100 ignored_mask:0 "
		"fhandle-bytes:8 fhandle-type:1 f_handle:9f22a700e964a4da\n"
		"fanotify sdev:fe00000 mflags:0 mask:20 ignored_mask:0\n"
		"fanotify mnt_ns:4026531841 mflags:0 mask:1000000 ignored_mask:0\n";
	struct fdinfo fi;

	assert_int_equal(parse_text_str(text, &fi), 0);
	assert_int_equal(fi.has_fan_header, 1);
	assert_int_equal(fi.fan_flags, 0xe00);
	assert_int_equal(fi.fan_event_flags, 0x8000);
	assert_int_equal(fi.nmarks, 4);
	assert_int_equal(fi.marks[0].kind, FDINFO_FAN_MOUNT);
	assert_int_equal(fi.marks[1].kind, FDINFO_FAN_INODE);
	assert_int_equal(fi.marks[2].kind, FDINFO_FAN_SB);
	assert_int_equal(fi.marks[3].kind, FDINFO_FAN_MNTNS);
	assert_string_equal(fdinfo_kind_name(fi.marks[1].kind), "fanotify-inode");
}

static void file_empty_text_is_zero_marks(void **state)
{
	struct fdinfo fi;

	assert_int_equal(parse_text_exact("", 0, &fi), 0);
	assert_int_equal(fi.nmarks, 0);
	assert_int_equal(parse_text_str("pos:\t0\nflags:\t00\nmnt_id:\t17\nino:\t1038\n", &fi), 0);
	assert_int_equal(fi.nmarks, 0);
}

static void file_last_line_without_newline_is_truncated(void **state)
{
	static const char text[] = "pos:\t0\nflags:\t00\n"
				   "inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 fhandle-bytes:c "
				   "fhandle-type:81 f_handle:000000000500000007000000\n";
	size_t len = strlen(text), cut;
	struct fdinfo fi;

	/* every cut that does not end on a newline is a truncated read */
	for (cut = 1; cut < len; cut++) {
		int rc = parse_text_exact(text, cut, &fi);

		if (text[cut - 1] == '\n')
			assert_int_equal(rc, 0);
		else
			assert_int_equal(rc, EBADMSG);
	}
	assert_int_equal(parse_text_exact(text, len, &fi), 0);
	assert_int_equal(fi.nmarks, 1);
}

static void file_rejects_bad_line_anywhere(void **state)
{
	struct fdinfo fi;

	assert_int_equal(parse_text_str("pos:\t0\ninotify wd:2 ino:69 sdev:27 mask:fff\nflags:\t0\n",
					&fi), EBADMSG);
	assert_int_equal(parse_text_str("pos:\t0\n\nflags:\t0\n", &fi), EBADMSG);
}

static void file_rejects_fanotify_mark_without_or_before_header(void **state)
{
	struct fdinfo fi;

	assert_int_equal(parse_text_str("fanotify sdev:1 mflags:0 mask:20 ignored_mask:0\n", &fi),
			 EBADMSG);
	assert_int_equal(parse_text_str("fanotify sdev:1 mflags:0 mask:20 ignored_mask:0\n"
					"fanotify flags:0 event-flags:0\n", &fi), EBADMSG);
}

static void file_rejects_second_header_and_mixed_families(void **state)
{
	struct fdinfo fi;

	assert_int_equal(parse_text_str("fanotify flags:0 event-flags:0\n"
					"fanotify flags:0 event-flags:0\n", &fi), EBADMSG);
	assert_int_equal(parse_text_str("fanotify flags:0 event-flags:0\n"
					"inotify wd:1 ino:1 sdev:1 mask:1 ignored_mask:0 \n", &fi),
			 EBADMSG);
	assert_int_equal(parse_text_str("inotify wd:1 ino:1 sdev:1 mask:1 ignored_mask:0 \n"
					"fanotify flags:0 event-flags:0\n", &fi), EBADMSG);
}

static void file_more_than_64_marks_is_enobufs(void **state)
{
	char *text = malloc(80 * (FDINFO_MAX_MARKS + 1));
	size_t off = 0;
	struct fdinfo fi;
	int i;

	assert_non_null(text);
	for (i = 1; i <= FDINFO_MAX_MARKS; i++)
		off += (size_t)sprintf(text + off, "inotify wd:%x ino:1 sdev:1 mask:1 ignored_mask:0 \n", i);
	assert_int_equal(parse_text_exact(text, off, &fi), 0);
	assert_int_equal(fi.nmarks, FDINFO_MAX_MARKS);
	off += (size_t)sprintf(text + off, "inotify wd:ff ino:1 sdev:1 mask:1 ignored_mask:0 \n");
	assert_int_equal(parse_text_exact(text, off, &fi), ENOBUFS);
	free(text);
}

/* --- reading a real fd -------------------------------------------------------- */

static void read_real_inotify_fd_matches_stat(void **state)
{
	char dir[] = "/tmp/fsnc-fdinfo-XXXXXX", raw[4096];
	struct fdinfo fi;
	struct stat st;
	size_t rawlen = 0;
	int fd, wd;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(stat(dir, &st), 0);
	fd = inotify_init1(IN_CLOEXEC);
	assert_true(fd >= 0);
	wd = inotify_add_watch(fd, dir, IN_CREATE | IN_DELETE);
	assert_true(wd >= 0);

	assert_int_equal(fdinfo_read(0, fd, &fi, raw, sizeof(raw), &rawlen), 0);
	assert_true(rawlen > 0 && raw[rawlen - 1] == '\n');
	assert_int_equal(fi.nmarks, 1);
	assert_int_equal(fi.marks[0].kind, FDINFO_INOTIFY);
	assert_int_equal(fi.marks[0].wd, wd);
	assert_int_equal(fi.marks[0].mask, IN_CREATE | IN_DELETE);
	assert_true(fi.marks[0].ino == (uint64_t)st.st_ino);
	/* sdev is the kernel dev_t: major << 20 | minor, not st_dev */
	assert_int_equal(fi.marks[0].sdev, (major(st.st_dev) << 20) | minor(st.st_dev));

	/* the same through /proc/<pid> and with the internal buffer */
	assert_int_equal(fdinfo_read(getpid(), fd, &fi, NULL, 0, NULL), 0);
	assert_int_equal(fi.nmarks, 1);
	close(fd);
	rmdir(dir);
}

static void read_real_fanotify_fd_or_skip(void **state)
{
	struct fdinfo fi;
	int fan = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);

	if (fan < 0) {
		skip();
		return;
	}
	assert_int_equal(fanotify_mark(fan, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "/tmp"), 0);
	assert_int_equal(fdinfo_read(0, fan, &fi, NULL, 0, NULL), 0);
	assert_int_equal(fi.has_fan_header, 1);
	assert_int_equal(fi.nmarks, 1);
	assert_int_equal(fi.marks[0].kind, FDINFO_FAN_INODE);
	assert_int_equal(fi.marks[0].mask, FAN_OPEN);
	close(fan);
}

static void read_small_buffer_is_enobufs(void **state)
{
	char raw[8];
	struct fdinfo fi;
	size_t rawlen = 0;
	int fd = inotify_init1(IN_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(fdinfo_read(0, fd, &fi, raw, sizeof(raw), &rawlen), ENOBUFS);
	assert_int_equal(rawlen, sizeof(raw));
	close(fd);
}

static void read_closed_fd_is_enoent(void **state)
{
	struct fdinfo fi;
	int fd = inotify_init1(IN_CLOEXEC);

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fdinfo_read(0, fd, &fi, NULL, 0, NULL), ENOENT);
	assert_int_equal(fdinfo_read(0, -1, &fi, NULL, 0, NULL), EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(line_real_6_18_fuse_inotify_line_decodes_nodeid_5_generation_7),
		cmocka_unit_test(line_real_ext4_inotify_line_is_not_a_fuse_handle),
		cmocka_unit_test(line_inotify_without_handle_has_handle_0_and_breaks_criu),
		cmocka_unit_test(line_inotify_older_kernel_nonzero_ignored_mask),
		cmocka_unit_test(line_fanotify_header),
		cmocka_unit_test(line_fanotify_inode_mark_with_handle),
		cmocka_unit_test(line_fanotify_inode_mark_without_handle),
		cmocka_unit_test(line_fanotify_mount_mark),
		cmocka_unit_test(line_fanotify_sb_mark),
		cmocka_unit_test(line_fanotify_mntns_mark_is_decimal),
		cmocka_unit_test(line_common_lines_are_enoent),
		cmocka_unit_test(line_tolerates_one_trailing_newline),
		cmocka_unit_test(line_accepts_empty_handle_of_zero_bytes),
		cmocka_unit_test(line_accepts_max_handle_sz_of_128_bytes),
		cmocka_unit_test(line_rejects_odd_hex_length),
		cmocka_unit_test(line_rejects_handle_shorter_or_longer_than_fhandle_bytes),
		cmocka_unit_test(line_rejects_non_hex),
		cmocka_unit_test(line_rejects_fhandle_bytes_over_128),
		cmocka_unit_test(line_rejects_missing_or_reordered_fields),
		cmocka_unit_test(line_rejects_trailing_garbage),
		cmocka_unit_test(line_rejects_values_that_overflow_their_field),
		cmocka_unit_test(line_rejects_garbage),
		cmocka_unit_test(line_every_truncation_of_real_line_is_ebadmsg_or_handle_less),
		cmocka_unit_test(line_null_arguments_are_einval),
		cmocka_unit_test(file_inotify_with_common_lines_and_two_watches),
		cmocka_unit_test(file_fanotify_header_and_every_mark_kind),
		cmocka_unit_test(file_empty_text_is_zero_marks),
		cmocka_unit_test(file_last_line_without_newline_is_truncated),
		cmocka_unit_test(file_rejects_bad_line_anywhere),
		cmocka_unit_test(file_rejects_fanotify_mark_without_or_before_header),
		cmocka_unit_test(file_rejects_second_header_and_mixed_families),
		cmocka_unit_test(file_more_than_64_marks_is_enobufs),
		cmocka_unit_test(read_real_inotify_fd_matches_stat),
		cmocka_unit_test(read_real_fanotify_fd_or_skip),
		cmocka_unit_test(read_small_buffer_is_enobufs),
		cmocka_unit_test(read_closed_fd_is_enoent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
