// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkseeds.c - writes the hand-made seed inputs of every fuzz target:
 * corpus/<target>/seed-<what-it-is>, one valid or edge message per file.
 *
 *   fuzz_mkseeds CORPUS_DIR
 *
 * The seeds are built with the harness's own encoders and the kernel's
 * structs, so they stay right when a layout changes; ctest regenerates them
 * into a scratch directory and fails when the committed ones differ
 * (fuzz/seeds_current).  Inputs the fuzzers find are merged beside them
 * under their sha1 names, and regressions are named regress-<what>.
 */
#include <errno.h>
#include <linux/fanotify.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "fdinfo.h"
#include "fsn_codec.h"
#include "profiles.h"
#include "wire.h"

static const char *corpus;
static unsigned written;

static void put(const char *target, const char *name, const void *a, size_t alen, const void *b,
		size_t blen)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", corpus, target);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/seed-%s", corpus, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(a, 1, alen, f) != alen || (blen && fwrite(b, 1, blen, f) != blen) ||
	    fclose(f)) {
		fprintf(stderr, "mkseeds: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	written++;
}

/* ---- fsnotify_notify / fsnotify_request: byte 0 is the profile index ---- */

static uint8_t profile_index(const struct fsn_profile *p)
{
	for (size_t i = 0; i < fsn_profile_count(); i++)
		if (fsn_profile_at(i) == p)
			return (uint8_t)i;
	abort();
}

static void notify_seed(const struct fsn_profile *p, const char *what, const struct fsn_notify *n,
			size_t cut, const void *extra, size_t extralen)
{
	uint8_t buf[1024] = {0};
	uint8_t sel = profile_index(p);
	size_t len = fsn_encode_notify(p, n, buf, sizeof(buf));
	char name[128];

	if (!len)
		return; /* the record kind does not exist in this profile */
	if (cut && cut < len)
		len = cut;
	if (extralen && len + extralen <= sizeof(buf)) {
		memcpy(buf + len, extra, extralen);
		len += extralen;
	}
	snprintf(name, sizeof(name), "%s-%s", p->name, what);
	put("fsnotify_notify", name, &sel, 1, buf, len);
}

static void event(struct fsn_notify *n, const struct fsn_profile *p, uint64_t nodeid,
		  uint64_t gen, uint64_t mask, const char *name)
{
	memset(n, 0, sizeof(*n));
	n->kind = FSN_REC_EVENT;
	n->nodeid = nodeid;
	n->generation = gen;
	n->has_generation = p->identity == FSN_IDENTITY_NODEID_GEN;
	n->mask = mask;
	if (name) {
		n->name.name = name;
		n->name.namelen = (uint32_t)strlen(name);
	}
	if (p->wire == FSN_WIRE_FSN1 && name)
		n->child = (struct fsn_object){9, 1};
}

static void seeds_fsnotify_notify(void)
{
	static char longname[300];

	memset(longname, 'n', sizeof(longname) - 1);
	for (size_t i = 0; i < fsn_profile_count(); i++) {
		const struct fsn_profile *p = fsn_profile_at(i);
		struct fsn_notify n;
		uint8_t junk[4] = {1, 2, 3, 4};

		event(&n, p, 5, 7, IN_CREATE, "a.txt");
		notify_seed(p, "event-create-named", &n, 0, NULL, 0);
		notify_seed(p, "event-short-by-one", &n, fsn_codec_fixed_size(p, FSN_REC_EVENT) - 1,
			    NULL, 0);
		notify_seed(p, "event-trailing-bytes", &n, 0, junk, sizeof(junk));
		n.name.term = 'x';
		notify_seed(p, "event-name-not-nul-terminated", &n, 0, NULL, 0);
		n.name.term = 0;
		n.name.namelen = 200; /* claims more than the message holds */
		n.name.missing = 195;
		notify_seed(p, "event-namelen-past-end", &n, 0, NULL, 0);
		event(&n, p, 5, 7, IN_MODIFY, NULL);
		notify_seed(p, "event-modify-self", &n, 0, NULL, 0);
		event(&n, p, 5, 7, IN_MODIFY | (1ull << 40), NULL);
		notify_seed(p, "event-mask-above-32", &n, 0, NULL, 0);
		event(&n, p, 5, 7, IN_Q_OVERFLOW | IN_IGNORED, NULL);
		notify_seed(p, "event-mask-kernel-only-bits", &n, 0, NULL, 0);
		event(&n, p, 0, 0, IN_ATTRIB, NULL);
		notify_seed(p, "event-nodeid-zero", &n, 0, NULL, 0);
		event(&n, p, 5, 7, IN_CREATE, longname);
		notify_seed(p, "event-name-longer-than-name-max", &n, 0, NULL, 0);
		event(&n, p, 5, 7, IN_DELETE, "a");
		n.reserved[0] = 1;
		notify_seed(p, "event-reserved-nonzero", &n, 0, NULL, 0);
		event(&n, p, 5, 7, IN_MOVED_FROM, "old");
		n.cookie = 42;
		notify_seed(p, "event-moved-from-cookie", &n, 0, NULL, 0);
		event(&n, p, 5, 7, IN_MOVED_TO, "new");
		n.cookie = 42;
		notify_seed(p, "event-moved-to-cookie", &n, 0, NULL, 0);

		memset(&n, 0, sizeof(n));
		n.kind = FSN_REC_RENAME;
		n.src_parent = (struct fsn_object){2, 1};
		n.dst_parent = (struct fsn_object){3, 1};
		n.child = (struct fsn_object){9, 4};
		n.src_name = (struct fsn_name){.name = "old", .namelen = 3};
		n.dst_name = (struct fsn_name){.name = "new", .namelen = 3};
		notify_seed(p, "rename-both-ends", &n, 0, NULL, 0);
		n.child = (struct fsn_object){0, 0};
		n.dst_name = (struct fsn_name){0};
		notify_seed(p, "rename-no-child-no-dst-name", &n, 0, NULL, 0);

		memset(&n, 0, sizeof(n));
		n.kind = FSN_REC_OVERFLOW;
		n.lost = 100;
		notify_seed(p, "overflow-lost-100", &n, 0, NULL, 0);
		n.lost = 0;
		notify_seed(p, "overflow-lost-unknown", &n, 0, NULL, 0);
	}
}

static void request_seed(const struct fsn_profile *p, const char *what, uint64_t nodeid,
			 const struct fsn_request *rq, size_t cut)
{
	uint8_t buf[256] = {0};
	uint8_t hdr[9];
	size_t len = fsn_encode_request(p, rq, buf, sizeof(buf));
	char name[128];

	hdr[0] = profile_index(p);
	for (int i = 0; i < 8; i++)
		hdr[1 + i] = (uint8_t)(nodeid >> (8 * i));
	if (cut && cut < len)
		len = cut;
	snprintf(name, sizeof(name), "%s-%s", p->name, what);
	put("fsnotify_request", name, hdr, sizeof(hdr), buf, len);
}

static void seeds_fsnotify_request(void)
{
	for (size_t i = 0; i < fsn_profile_count(); i++) {
		const struct fsn_profile *p = fsn_profile_at(i);
		struct fsn_request rq = {.nodeid = 5, .generation = 7, .mask = IN_CREATE | IN_DELETE,
					 .group = 0xffff888012345678ull, .action = FSN_ACTION_ADD};

		request_seed(p, "add-create-delete", 5, &rq, 0);
		request_seed(p, "short-by-one", 5, &rq, p->request_size - 1);
		request_seed(p, "nodeid-zero", 0, &rq, 0);
		rq.mask |= IN_ONESHOT | IN_MASK_ADD;
		request_seed(p, "mask-with-inotify-flags", 5, &rq, 0);
		rq.mask = 1ull << 33;
		request_seed(p, "mask-above-32", 5, &rq, 0);
		rq.mask = 0;
		rq.action = FSN_ACTION_REMOVE;
		request_seed(p, "remove", 5, &rq, 0);
		rq.action = 7;
		request_seed(p, "action-unknown", 5, &rq, 0);
	}
}

/* ---- event_records: byte 0 even = inotify, odd = fanotify; bits 1.. = capacity ---- */

static void ino_put(uint8_t *buf, size_t *len, int wd, uint32_t mask, uint32_t cookie,
		    const char *name, uint32_t lenfield)
{
	struct inotify_event ev = {.wd = wd, .mask = mask, .cookie = cookie, .len = lenfield};

	memcpy(buf + *len, &ev, sizeof(ev));
	*len += sizeof(ev);
	memset(buf + *len, 0, lenfield);
	if (name)
		memcpy(buf + *len, name, strlen(name));
	*len += lenfield;
}

static void seeds_inotify(void)
{
	uint8_t buf[1024] = {0}, sel = 0x0e; /* inotify, capacity 8 */
	size_t len;

	len = 0;
	ino_put(buf, &len, 1, IN_MODIFY, 0, NULL, 0);
	put("event_records", "inotify-modify-self", &sel, 1, buf, len);
	len = 0;
	ino_put(buf, &len, 1, IN_CREATE, 0, "a.txt", 16);
	put("event_records", "inotify-create-named-padded", &sel, 1, buf, len);
	len = 0;
	ino_put(buf, &len, 1, IN_MOVED_FROM, 7, "old", 16);
	ino_put(buf, &len, 2, IN_MOVED_TO, 7, "new", 16);
	put("event_records", "inotify-rename-pair", &sel, 1, buf, len);
	len = 0;
	ino_put(buf, &len, -1, IN_Q_OVERFLOW, 0, NULL, 0);
	put("event_records", "inotify-overflow", &sel, 1, buf, len);
	len = 0;
	ino_put(buf, &len, 1, IN_CREATE, 0, "abcd", 4); /* no room for the NUL */
	put("event_records", "inotify-name-without-nul", &sel, 1, buf, len);
	len = 0;
	ino_put(buf, &len, 1, IN_CREATE, 0, "a", 16);
	put("event_records", "inotify-len-past-buffer", &sel, 1, buf, len - 8);
	len = 0;
	for (int i = 0; i < 3; i++)
		ino_put(buf, &len, 1, IN_OPEN, 0, NULL, 0);
	sel = 0x00; /* capacity 1: ENOBUFS */
	put("event_records", "inotify-three-events-capacity-one", &sel, 1, buf, len);
}

/* One fanotify event with FID-like records; returns its length. */
struct frec {
	uint8_t type;
	const char *name;
	uint32_t handle_bytes;
	int handle_type;
	uint16_t len_override;
};

static size_t fan_put(uint8_t *buf, uint64_t mask, const struct frec *recs, size_t nrec)
{
	struct fanotify_event_metadata md = {.vers = FANOTIFY_METADATA_VERSION,
					     .metadata_len = FAN_EVENT_METADATA_LEN,
					     .mask = mask, .fd = FAN_NOFD, .pid = 1};
	size_t len = sizeof(md);

	for (size_t i = 0; i < nrec; i++) {
		uint8_t *r = buf + len;
		size_t rl = 4 + 8 + 8 + recs[i].handle_bytes;
		uint32_t hb = recs[i].handle_bytes;
		int32_t ht = recs[i].handle_type;
		uint32_t words[3] = {0, 5, 7}; /* nodeid 5, generation 7 */

		memset(r, 0, 4 + 8);
		r[0] = recs[i].type;
		memcpy(r + 12, &hb, 4);
		memcpy(r + 16, &ht, 4);
		memset(r + 20, 0, hb);
		memcpy(r + 20, words, hb < sizeof(words) ? hb : sizeof(words));
		if (recs[i].name) {
			strcpy((char *)r + rl, recs[i].name);
			rl += strlen(recs[i].name) + 1;
		}
		while (rl & 3)
			r[rl++] = 0; /* the kernel pads records to 4 bytes with NULs */
		uint16_t l16 = recs[i].len_override ? recs[i].len_override : (uint16_t)rl;
		memcpy(r + 2, &l16, 2);
		len += rl;
	}
	md.event_len = (uint32_t)len;
	memcpy(buf, &md, sizeof(md));
	return len;
}

static void seeds_fanotify(void)
{
	uint8_t buf[2048] = {0}, sel = 0x0f; /* fanotify, capacity 8 */
	size_t len;
	const struct frec fid[] = {{FAN_EVENT_INFO_TYPE_FID, NULL, 12, 0x81, 0}};
	const struct frec dfid_name[] = {{FAN_EVENT_INFO_TYPE_DFID_NAME, "a.txt", 12, 0x81, 0}};
	const struct frec rename[] = {{FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, "old", 12, 0x81, 0},
				      {FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, "new", 12, 0x81, 0}};
	const struct frec parent_fh[] = {{FAN_EVENT_INFO_TYPE_FID, NULL, 24, 0x82, 0}};
	const struct frec len_zero[] = {{FAN_EVENT_INFO_TYPE_FID, NULL, 12, 0x81, 0xffff}};

	len = fan_put(buf, FAN_MODIFY, fid, 1);
	put("event_records", "fanotify-modify-fid", &sel, 1, buf, len);
	len = fan_put(buf, FAN_CREATE, dfid_name, 1);
	put("event_records", "fanotify-create-dfid-name", &sel, 1, buf, len);
	len = fan_put(buf, FAN_RENAME, rename, 2);
	put("event_records", "fanotify-rename-old-new", &sel, 1, buf, len);
	len = fan_put(buf, FAN_ATTRIB, parent_fh, 1);
	put("event_records", "fanotify-fid-with-parent-handle", &sel, 1, buf, len);
	len = fan_put(buf, FAN_MODIFY, len_zero, 1);
	buf[FAN_EVENT_METADATA_LEN + 2] = 0; /* info record len 0: the classic infinite loop */
	buf[FAN_EVENT_METADATA_LEN + 3] = 0;
	put("event_records", "fanotify-record-len-zero", &sel, 1, buf, len);
	len = fan_put(buf, FAN_MODIFY, fid, 1);
	len += fan_put(buf + len, FAN_CLOSE_WRITE, fid, 1);
	put("event_records", "fanotify-two-events", &sel, 1, buf, len);
	len = fan_put(buf, FAN_OPEN, NULL, 0);
	put("event_records", "fanotify-no-records", &sel, 1, buf, len);
	((struct fanotify_event_metadata *)buf)->event_len = 8; /* < metadata_len */
	put("event_records", "fanotify-event-len-below-metadata", &sel, 1, buf, len);
}

/* ---- fdinfo_line: byte 0 even = one line, odd = a whole text ---- */

static void fdinfo_seed(const char *what, int whole, const char *text)
{
	uint8_t sel = whole ? 1 : 0;

	put("fdinfo_line", what, &sel, 1, text, strlen(text));
}

static void seeds_fdinfo(void)
{
	fdinfo_seed("inotify-fuse-handle", 0,
		    "inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 fhandle-bytes:c "
		    "fhandle-type:81 f_handle:000000000500000007000000");
	fdinfo_seed("inotify-no-handle", 0, "inotify wd:1 ino:5 sdev:27 mask:100 ignored_mask:0 ");
	fdinfo_seed("inotify-odd-hex-handle", 0,
		    "inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 fhandle-bytes:c "
		    "fhandle-type:81 f_handle:00000000050000000700000");
	fdinfo_seed("fanotify-header", 0, "fanotify flags:200 event-flags:0");
	fdinfo_seed("fanotify-inode-handle", 0,
		    "fanotify ino:69 sdev:27 mflags:0 mask:10000002 ignored_mask:0 fhandle-bytes:c "
		    "fhandle-type:81 f_handle:000000000500000007000000");
	fdinfo_seed("fanotify-mount", 0, "fanotify mnt_id:1d mflags:0 mask:8 ignored_mask:0");
	fdinfo_seed("fanotify-sb", 0, "fanotify sdev:27 mflags:0 mask:8 ignored_mask:0");
	fdinfo_seed("fanotify-mnt-ns", 0, "fanotify mnt_ns:4026531841 mflags:0 mask:1 ignored_mask:0");
	fdinfo_seed("pos-line", 0, "pos:\t0");
	fdinfo_seed("text-inotify-two-watches", 1,
		    "pos:\t0\nflags:\t00\nmnt_id:\t15\nino:\t1057\n"
		    "inotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 fhandle-bytes:c "
		    "fhandle-type:81 f_handle:000000000500000007000000\n"
		    "inotify wd:1 ino:6 sdev:27 mask:2 ignored_mask:0 fhandle-bytes:c "
		    "fhandle-type:81 f_handle:000000000600000001000000\n");
	fdinfo_seed("text-fanotify", 1,
		    "pos:\t0\nflags:\t02\nmnt_id:\t15\nino:\t1057\n"
		    "fanotify flags:e00 event-flags:0\n"
		    "fanotify ino:69 sdev:27 mflags:0 mask:10000000 ignored_mask:0 fhandle-bytes:c "
		    "fhandle-type:81 f_handle:000000000500000007000000\n");
	{
		/* One mark more than struct fdinfo holds: ENOBUFS. */
		static char many[80 * (FDINFO_MAX_MARKS + 1) + 1];
		size_t n = 0;

		for (int i = 0; i <= FDINFO_MAX_MARKS; i++)
			n += (size_t)snprintf(many + n, sizeof(many) - n,
					      "inotify wd:%x ino:69 sdev:27 mask:fff ignored_mask:0 \n", i + 1);
		fdinfo_seed("text-one-mark-too-many", 1, many);
	}
	fdinfo_seed("text-truncated-last-line", 1,
		    "pos:\t0\ninotify wd:2 ino:69 sdev:27 mask:fff ignored_mask:0 fhandle-by");
}

/* ---- notify_rules: 3 selector bytes, then the whole write ---- */

static void rules_seed(const char *what, uint8_t preset, const void *msg, size_t len)
{
	/* preset; cached nodeids 2..8; bits: entries exist, pending uniques */
	uint8_t sel[3] = {preset, 0xff, 0x02 | 0x10};

	put("notify_rules", what, sel, sizeof(sel), msg, len);
}

static void notify_named(const char *what, int32_t code, const void *st, size_t stlen,
			 const char *name, int trailing)
{
	uint8_t buf[600] = {0};
	size_t len = fw_notify_encode_named(buf, sizeof(buf), code, st, stlen, name, strlen(name),
					    trailing);

	rules_seed(what, 2, buf, len);
}

static void seeds_notify_rules(void)
{
	uint8_t buf[600] = {0};
	size_t len;
	struct fuse_notify_poll_wakeup_out poll = {.kh = 1};
	struct fuse_notify_inval_inode_out ii = {.ino = 2, .off = 0, .len = -1};
	struct fuse_notify_inval_entry_out ie = {.parent = 1, .namelen = 1};
	struct fuse_notify_delete_out del = {.parent = 1, .child = 3, .namelen = 1};
	struct fuse_notify_store_out st = {.nodeid = 3, .offset = 0, .size = 4};
	struct fuse_notify_retrieve_out rt = {.notify_unique = 9, .nodeid = 3, .size = 4096};
	struct { struct fuse_notify_prune_out h; uint64_t ids[2]; } pr = {{.count = 2}, {3, 5}};
	struct fuse_out_header oh = {.len = 16, .error = 0, .unique = 2};
	char name1k[1100];

	len = fw_notify_encode(buf, sizeof(buf), FUSE_NOTIFY_POLL, &poll, sizeof(poll));
	rules_seed("poll", 2, buf, len);
	len = fw_notify_encode(buf, sizeof(buf), FUSE_NOTIFY_INVAL_INODE, &ii, sizeof(ii));
	rules_seed("inval-inode", 2, buf, len);
	rules_seed("inval-inode-short", 2, buf, len - 1);
	notify_named("inval-entry", FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie), "a", 0);
	notify_named("inval-entry-trailing-x", FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie), "a", 'x');
	memset(name1k, 'n', sizeof(name1k));
	name1k[1025] = 0;
	ie.namelen = 1025;
	len = fw_notify_encode_named(buf, sizeof(buf), FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie),
				     name1k, 1025, 0);
	if (len)
		rules_seed("inval-entry-namelen-1025", 2, buf, len);
	else { /* too big for buf: the header and struct say it, the bytes stop */
		len = fw_notify_encode(buf, sizeof(buf), FUSE_NOTIFY_INVAL_ENTRY, &ie, sizeof(ie));
		rules_seed("inval-entry-namelen-1025", 2, buf, len);
	}
	notify_named("delete", FUSE_NOTIFY_DELETE, &del, sizeof(del), "a", 0);
	del.child = 4;
	notify_named("delete-wrong-child", FUSE_NOTIFY_DELETE, &del, sizeof(del), "a", 0);
	memcpy(buf, &st, sizeof(st));
	memcpy(buf + sizeof(st), "data", 4);
	{
		uint8_t msg[100];

		len = fw_notify_encode(msg, sizeof(msg), FUSE_NOTIFY_STORE, buf, sizeof(st) + 4);
		rules_seed("store", 2, msg, len);
	}
	len = fw_notify_encode(buf, sizeof(buf), FUSE_NOTIFY_RETRIEVE, &rt, sizeof(rt));
	rules_seed("retrieve", 2, buf, len);
	len = fw_notify_encode(buf, sizeof(buf), FUSE_NOTIFY_RESEND, NULL, 0);
	rules_seed("resend", 2, buf, len);
	rules_seed("resend-on-6.1", 0, buf, len);
	len = fw_notify_encode(buf, sizeof(buf), FUSE_NOTIFY_INC_EPOCH, NULL, 0);
	rules_seed("inc-epoch", 2, buf, len);
	len = fw_notify_encode(buf, sizeof(buf), FUSE_NOTIFY_PRUNE, &pr, sizeof(pr));
	rules_seed("prune", 2, buf, len);
	len = fw_notify_encode(buf, sizeof(buf), 10, NULL, 0);
	rules_seed("code-10-unknown", 2, buf, len);
	rules_seed("reply-pending-unique", 2, &oh, sizeof(oh));
	oh.unique = 1000;
	rules_seed("reply-unknown-unique", 2, &oh, sizeof(oh));
	oh.error = -512;
	rules_seed("reply-error-out-of-range", 2, &oh, sizeof(oh));
	oh.len = 17;
	rules_seed("header-len-mismatch", 2, &oh, sizeof(oh));
	rules_seed("header-short", 2, &oh, 15);
}

/* ---- fuse_request: a request as read(2) returns it ---- */

static void req_seed(const char *what, uint32_t opcode, uint64_t nodeid, const void *arg,
		     size_t arglen, int32_t len_delta)
{
	uint8_t buf[512] = {0};
	struct fuse_in_header h = {.len = (uint32_t)(sizeof(h) + arglen + len_delta),
				   .opcode = opcode, .unique = 2, .nodeid = nodeid};

	memcpy(buf, &h, sizeof(h));
	if (arglen)
		memcpy(buf + sizeof(h), arg, arglen);
	put("fuse_request", what, buf, sizeof(h) + arglen, NULL, 0);
}

static void seeds_fuse_request(void)
{
	struct fuse_forget_in fg = {.nlookup = 3};
	struct fuse_init_in init = {.major = 7, .minor = 45, .flags = FUSE_INIT_EXT};
	struct { struct fuse_rename2_in r; char names[8]; } rn = {{.newdir = 1}, "a\0b\0"};
	struct { struct fuse_create_in c; char name[4]; } cr = {{.flags = 0, .mode = 0100644}, "f"};

	req_seed("lookup", FUSE_LOOKUP, 1, "a.txt", 6, 0);
	req_seed("lookup-name-without-nul", FUSE_LOOKUP, 1, "a.txt", 5, 0);
	req_seed("forget", FUSE_FORGET, 5, &fg, sizeof(fg), 0);
	req_seed("init-7-45", FUSE_INIT, 0, &init, sizeof(init), 0);
	req_seed("rename2-two-names", FUSE_RENAME2, 1, &rn, sizeof(rn.r) + 4, 0);
	req_seed("rename2-second-name-missing", FUSE_RENAME2, 1, &rn, sizeof(rn.r) + 2, 0);
	req_seed("create", FUSE_CREATE, 1, &cr, sizeof(cr.c) + 2, 0);
	req_seed("tmpfile-opcode-51", FUSE_TMPFILE, 1, &cr, sizeof(cr.c), 0);
	req_seed("getattr-len-mismatch", FUSE_GETATTR, 5, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16, 1);
	req_seed("header-only", FUSE_STATFS, 1, NULL, 0, 0);
	/* One seed per named opcode: their switch labels share a body, so edge
	   coverage alone never keeps an input for each. */
	{
		static const struct { const char *what; uint32_t op; size_t fixed; } named[] = {
			{"mknod", FUSE_MKNOD, sizeof(struct fuse_mknod_in)},
			{"mkdir", FUSE_MKDIR, sizeof(struct fuse_mkdir_in)},
			{"unlink", FUSE_UNLINK, 0},
			{"rmdir", FUSE_RMDIR, 0},
			{"link", FUSE_LINK, sizeof(struct fuse_link_in)},
			{"getxattr", FUSE_GETXATTR, sizeof(struct fuse_getxattr_in)},
			{"removexattr", FUSE_REMOVEXATTR, 0},
			{"symlink", FUSE_SYMLINK, 0},
			{"rename", FUSE_RENAME, sizeof(struct fuse_rename_in)},
		};
		uint8_t arg[128] = {0};

		for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
			char what[64];

			memcpy(arg + named[i].fixed, "a\0b\0", 4);
			snprintf(what, sizeof(what), "%s-named", named[i].what);
			req_seed(what, named[i].op, 1, arg, named[i].fixed + 4, 0);
		}
	}
}

/* ---- model_stream: byte 0 profile + flags, then steps (see model_stream.c) ---- */

/* Step encodings; a "p" operand is a nodeid byte: 0 the root, k nodeid k + 1, NONE 0. */
#define NONE 0xff
#define M_SERVE(how, nodeid, gen) 0, how, (nodeid) - 2, gen /* how 0x01: root, "a" */
#define M_LOOKUP(p, name) 1, p, name
#define M_EVICT(p) 2, p
#define M_UNLINK(p, name) 3, p, name
#define M_INIT 4
#define M_WATCH(inst, p, sel) 5, inst, p, (sel) & 0xff, ((sel) >> 8) & 0xff, ((sel) >> 16) & 0xff, 0
#define M_RM(inst, wd) 6, inst, wd
#define M_CLOSE(inst) 7, inst
#define M_READ(inst) 8, inst, 31
#define M_LOCAL(p, sel) 9, p, (sel) & 0xff, ((sel) >> 8) & 0xff, 0, 0, 0
/* EVENT on (p, gen) with mask selector sel and no name */
#define M_EVENT(p, gen, sel) 10, 0, p, gen, (sel) & 0xff, ((sel) >> 8) & 0xff, 0, 0, 0, 4, \
	NONE, 0, 0, 0, 0, 0, 4, 4, 0
#define M_RENAME(sp, dp) 10, 1, 0, 0, 0, 0, 0, 0, 0, 0, NONE, 0, sp, 0, dp, 0, 0, 1, 0
#define M_OVERFLOW 10, 2, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 4, 4, 9
#define M_RAW(code, len) 11, code, len
#define M_FAN_INIT 12, 0
#define M_FAN_MARK(p) 12, 1, p
#define M_FAN_READ 12, 0
#define SEL_ALL 0x7ff   /* every event bit of watch_bits[] */
#define SEL_MODIFY 0x2

#define PROFILE_FSN1 2
#define TINY_QUEUE 0x80
#define DECLINES 0x40

static void seeds_model_stream(void)
{
	static const struct { const char *what; uint8_t bytes[160]; size_t len; } s[] = {
#define SEED(name, ...) { name, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }) }
		SEED("fsn1-watch-then-remote-modify", PROFILE_FSN1, M_SERVE(0x01, 2, 1),
		     M_LOOKUP(0, 0), M_INIT, M_WATCH(0, 1, SEL_ALL), M_EVENT(1, 1, SEL_MODIFY),
		     M_READ(0)),
		SEED("gen2021-watch-then-remote-modify", 1, M_SERVE(0x01, 2, 1), M_LOOKUP(0, 0),
		     M_INIT, M_WATCH(0, 1, SEL_ALL), M_EVENT(1, 1, SEL_MODIFY), M_READ(0)),
		SEED("rfc2021-watch-then-remote-modify", 0, M_SERVE(0x01, 2, 1), M_LOOKUP(0, 0),
		     M_INIT, M_WATCH(0, 1, SEL_ALL), M_EVENT(1, 1, SEL_MODIFY), M_READ(0)),
		/* the nodeid is reused with generation 2; an event for generation 1 is stale */
		SEED("fsn1-reuse-then-stale-event", PROFILE_FSN1, M_SERVE(0x01, 2, 1),
		     M_LOOKUP(0, 0), M_INIT, M_WATCH(0, 1, SEL_ALL), M_EVICT(1),
		     M_SERVE(0x01, 2, 2), M_LOOKUP(0, 0), M_EVENT(1, 1, SEL_MODIFY), M_READ(0)),
		SEED("fsn1-overflow-tiny-queue", PROFILE_FSN1 | TINY_QUEUE, M_SERVE(0x01, 2, 1),
		     M_LOOKUP(0, 0), M_INIT, M_WATCH(0, 1, SEL_ALL), M_EVENT(1, 1, SEL_MODIFY),
		     M_EVENT(1, 1, 0x4), M_EVENT(1, 1, SEL_MODIFY), M_EVENT(1, 1, 0x4),
		     M_EVENT(1, 1, SEL_MODIFY), M_EVENT(1, 1, 0x4), M_OVERFLOW, M_READ(0)),
		SEED("fsn1-server-declines-local-events", PROFILE_FSN1 | DECLINES,
		     M_SERVE(0x01, 2, 1), M_LOOKUP(0, 0), M_INIT, M_WATCH(0, 1, SEL_ALL),
		     M_LOCAL(1, SEL_MODIFY), M_READ(0)),
		SEED("fsn1-local-modify-suppressed", PROFILE_FSN1, M_SERVE(0x01, 2, 1),
		     M_LOOKUP(0, 0), M_INIT, M_WATCH(0, 1, SEL_ALL), M_LOCAL(1, SEL_MODIFY),
		     M_READ(0)),
		/* rfc-2021's payload under mainline code 8: the model treats it as INC_EPOCH */
		SEED("rfc2021-raw-code-8-then-rm-watch", 0, M_SERVE(0x01, 2, 1), M_LOOKUP(0, 0),
		     M_INIT, M_WATCH(0, 1, SEL_ALL), M_RAW(8, 24), 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0,
		     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, M_RM(0, 1), M_READ(0)),
		SEED("fsn1-fanotify-rename-record", PROFILE_FSN1, M_SERVE(0x41, 2, 1),
		     M_LOOKUP(0, 0), M_FAN_INIT, M_FAN_MARK(0), M_RENAME(0, 0), M_FAN_READ),
		SEED("fsn1-unlink-watched", PROFILE_FSN1, M_SERVE(0x01, 2, 1), M_LOOKUP(0, 0),
		     M_INIT, M_WATCH(0, 1, SEL_ALL), M_UNLINK(0, 0), M_READ(0)),
		SEED("fsn1-oneshot-watch", PROFILE_FSN1, M_SERVE(0x01, 2, 1), M_LOOKUP(0, 0),
		     M_INIT, M_WATCH(0, 1, SEL_MODIFY | 0x800), M_EVENT(1, 1, SEL_MODIFY),
		     M_EVENT(1, 1, SEL_MODIFY), M_READ(0), M_CLOSE(0)),
#undef SEED
	};

	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		put("model_stream", s[i].what, s[i].bytes, s[i].len, NULL, 0);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	corpus = argv[1];
	if (mkdir(corpus, 0755) && errno != EEXIST) {
		fprintf(stderr, "mkseeds: %s: %s\n", corpus, strerror(errno));
		return 2;
	}
	seeds_fsnotify_notify();
	seeds_fsnotify_request();
	seeds_inotify();
	seeds_fanotify();
	seeds_fdinfo();
	seeds_notify_rules();
	seeds_fuse_request();
	seeds_model_stream();
	printf("mkseeds: %u seeds written to %s\n", written, corpus);
	return 0;
}
