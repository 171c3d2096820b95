// SPDX-License-Identifier: GPL-2.0-only
/*
 * collision: what the RFC's numbers do to a mainline kernel today, and that
 * fsn-1's do nothing.  The RFC took opcode 51, notify codes 7 (NOTIFY_LOCK,
 * a dependency) and 8, and INIT bit 1<<30; mainline has since given each
 * another meaning.  These rows run on the real kernel and pin, per FUSE
 * minor, what happens when an RFC server meets it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "fsn_codec.h"
#include "profiles.h"
#include "server.h"

enum col_kind { COL_NOTIFY_8, COL_NOTIFY_7, COL_OPCODE_51, COL_INIT_BIT_30, COL_FSN1_NOTIFY,
		COL_FSN1_INIT_BIT };

/* "f", the one object, cached with long timeouts. */
#define COL_NODEID 5

/* The row: what one case of this family varies. */
struct col_row {
	struct fc_row fc;
	enum col_kind kind;
};

/* An rfc-2021 EVENT (IN_MODIFY on nodeid) with the given code in the header; its length. */
size_t col_rfc_message(uint8_t *buf, size_t cap, int32_t code, uint64_t nodeid);
/* An fsn-1 EVENT (IN_MODIFY on (COL_NODEID, 1)) with fsn-1's notify code; its length. */
size_t col_fsn1_message(uint8_t *buf, size_t cap);

size_t col_rfc_message(uint8_t *buf, size_t cap, int32_t code, uint64_t nodeid)
{
	const struct fsn_profile *p = fsn_profile_by_name("rfc-2021");
	struct fsn_notify n = {.kind = FSN_REC_EVENT, .nodeid = nodeid, .mask = 0x2};
	uint8_t payload[256];
	size_t len = fsn_encode_notify(p, &n, payload, sizeof(payload));

	return fw_notify_encode(buf, cap, code, payload, len);
}

size_t col_fsn1_message(uint8_t *buf, size_t cap)
{
	const struct fsn_profile *p = fsn_profile_by_name("fsn-1");
	struct fsn_notify n = {.kind = FSN_REC_EVENT, .nodeid = COL_NODEID, .generation = 1,
			       .has_generation = true, .mask = 0x2};
	uint8_t payload[256];
	size_t plen = fsn_encode_notify(p, &n, payload, sizeof(payload));

	return fw_notify_encode(buf, cap, p->notify_code, payload, plen);
}

static long open_f(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* Add an inotify watch on path and take it off again: 0 or the errno. */
static int inotify_watch_once(const char *path)
{
	int fd = inotify_init1(IN_CLOEXEC), wd, err = 0;

	if (fd < 0)
		return errno;
	wd = inotify_add_watch(fd, path, IN_MODIFY);
	if (wd < 0)
		err = errno;
	close(fd);
	return err;
}

/* The server's options: f cached with long timeouts. */
static const struct srv_opts col_opts = {.entry_valid_ns = 100000000000ull,
					 .attr_valid_ns = 100000000000ull};

/* The fixture: a server serving f. */
static enum fc_verdict collision_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	ctx->srv = srv_start(ctx, &col_opts);
	if (!ctx->srv)
		return FC_FAIL;
	if (!srv_add(ctx->srv, FUSE_ROOT_ID, "f", S_IFREG | 0644, COL_NODEID, 1)) {
		srv_teardown(ctx, c);
		return FC_FAIL;
	}
	return FC_PASS;
}

static const struct fc_fixture collision_fixture = {collision_setup, srv_teardown};

static enum fc_verdict run_collision(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct col_row *row = c->row;
	struct srv *s = ctx->srv;
	uint32_t minor = srv_kernel_minor(s);
	struct stat st;
	uint8_t msg[512];
	size_t len;
	int err, lookups;

	CHECK(ctx, stat(srv_path(s, "f"), &st) == 0, "stat f: %s", fc_errname(errno));
	lookups = srv_count(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f");

	switch (row->kind) {
	case COL_NOTIFY_8:
		len = col_rfc_message(msg, sizeof(msg), 8, COL_NODEID);
		err = srv_notify(s, msg, len, 2000);
		if (minor >= 44) {
			/* INC_EPOCH has no size check: the event is taken as an epoch bump. */
			CHECK_ERR(ctx, err, 0, "rfc-2021 EVENT as code 8 on FUSE 7.44+");
			CHECK(ctx, stat(srv_path(s, "f"), &st) == 0, "stat f");
			CHECK(ctx, srv_count(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f") > lookups,
			      "accepted, but the epoch did not move (no re-LOOKUP)");
			fc_log(ctx, "FUSE 7.%u: an RFC fsnotify event is accepted as INC_EPOCH and "
				    "invalidates every cached entry", minor);
		} else {
			CHECK_ERR(ctx, err, EINVAL, "code 8 on a kernel before 7.44");
		}
		break;
	case COL_NOTIFY_7: {
		/* A held OPEN is sent again: RESEND (7.40) took the RFC's NOTIFY_LOCK number. */
		struct expect *x = srv_expect(s, &(struct expect){.opcode = FUSE_OPEN, .count = 1,
								  .action = EXP_DEFER});
		pid_t pid = fork();

		(void)x;
		if (pid == 0)
			_exit((int)open_f(srv_path(s, "f")));
		CHECK(ctx, srv_wait(s, FUSE_OPEN, COL_NODEID, NULL, 1, 2000) == 0, "no OPEN to hold");
		len = col_rfc_message(msg, sizeof(msg), 7, COL_NODEID);
		err = srv_notify(s, msg, len, 2000);
		if (minor >= 40) {
			CHECK_ERR(ctx, err, 0, "a 24-byte message as code 7 on FUSE 7.40+");
			if (!strcmp(srv_transport(s), "uring")) {
				/* fuse_resend() walks /dev/fuse's processing lists only: the
				 * OPEN held in a ring entry is not resent (6.18.44). */
				CHECK(ctx, srv_wait(s, FUSE_OPEN, COL_NODEID, NULL, 2, 500) == ETIMEDOUT,
				      "RESEND sent a ring request again: fuse_resend() changed?");
				srv_release(s, FUSE_OPEN, 0);
			} else {
				CHECK(ctx, srv_wait(s, FUSE_OPEN, COL_NODEID, NULL, 2, 2000) == 0,
				      "accepted, but the held OPEN was not resent");
			}
			fc_log(ctx, "FUSE 7.%u: code 7 with an RFC payload is RESEND: every pending "
				    "request is sent again", minor);
		} else {
			CHECK_ERR(ctx, err, EINVAL, "code 7 before 7.40");
			srv_release(s, FUSE_OPEN, 0);
		}
		srv_stop(s);
		ctx->srv = NULL;
		kill(pid, 9);
		break;
	}
	case COL_OPCODE_51: {
		/* O_TMPFILE reaches the server as opcode 51, the RFC's FSNOTIFY request. */
		const struct fsn_profile *p = fsn_profile_by_name("rfc-2021");
		struct fsn_request q;
		int fd, derr;

		srv_expect(s, &(struct expect){.opcode = FUSE_TMPFILE, .count = 1, .action = EXP_DEFER});
		{
			pid_t pid = fork();

			if (pid == 0) {
				fd = open(srv_path(s, NULL), O_TMPFILE | O_RDWR, 0600);
				_exit(fd < 0 ? errno : 0);
			}
			if (srv_wait(s, FUSE_TMPFILE, 0, NULL, 1, 2000)) {
				CHECK(ctx, minor < 37, "FUSE 7.%u sent no TMPFILE for O_TMPFILE", minor);
				kill(pid, 9);
				break;
			}
			srv_lock(s);
			derr = fsn_decode_request(p, 1, s->held[0].req + sizeof(struct fuse_in_header),
						  s->held[0].len - sizeof(struct fuse_in_header), &q);
			srv_unlock(s);
			fc_log(ctx, "TMPFILE request (%zu bytes) decoded as an rfc-2021 FSNOTIFY request: %s",
			       s->held[0].len, derr ? fc_errname(derr) : "accepted (misread as a watch)");
			CHECK(ctx, s->held[0].len > sizeof(struct fuse_in_header),
			      "opcode 51 arrived with no payload");
			/* A strict RFC server at least notices: TMPFILE is not 24 bytes. */
			CHECK(ctx, s->held[0].len - sizeof(struct fuse_in_header) != p->request_size,
			      "TMPFILE's payload has the RFC request's size: it would be misread silently");
			CHECK(ctx, derr == EPROTO, "the strict rfc-2021 decoder accepted a TMPFILE request");
			srv_release(s, FUSE_TMPFILE, EOPNOTSUPP);
			kill(pid, 9);
		}
		break;
	}
	case COL_INIT_BIT_30:
		if (minor >= 36) {
			CHECK(ctx, s->init_in.flags & (1u << 30),
			      "FUSE 7.%u does not offer bit 30 (FUSE_INIT_EXT)", minor);
			fc_log(ctx, "FUSE 7.%u offers INIT bit 30 as FUSE_INIT_EXT: an rfc-2021 server "
				    "would take every modern kernel for one with FSNOTIFY", minor);
		}
		break;
	case COL_FSN1_NOTIFY: {
		/* fsn-1's code is unknown to mainline: refused loudly, nothing happens. */
		len = col_fsn1_message(msg, sizeof(msg));
		CHECK_ERR(ctx, srv_notify(s, msg, len, 2000), EINVAL, "fsn-1 EVENT on mainline");
		CHECK(ctx, stat(srv_path(s, "f"), &st) == 0, "stat f");
		CHECK(ctx, srv_count(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f") == lookups,
		      "a refused fsn-1 message still changed the kernel's caches");
		break;
	}
	case COL_FSN1_INIT_BIT: {
		const struct fsn_profile *p = fsn_profile_by_name("fsn-1");
		struct srv_opts o = col_opts;

		if (s->init_in.flags2 & p->init_bit) {
			/*
			 * Offered by the fsn-1 reference kernel (kernel/), and
			 * meaning fsn-1 there: a server that echoes it hears of a
			 * watch through fsn-1's opcode.  Any other meaning of the
			 * bit is a collision.
			 */
			srv_stop(s);
			o.profile = p;
			s = ctx->srv = srv_start(ctx, &o);
			if (!s || !srv_add(s, FUSE_ROOT_ID, "f", S_IFREG | 0644, COL_NODEID, 1))
				break;
			err = inotify_watch_once(srv_path(s, "f"));
			CHECK_ERR(ctx, err, 0, "inotify_add_watch with fsn-1 negotiated");
			CHECK(ctx, srv_count(s, p->fsnotify_opcode, COL_NODEID, NULL) >= 1,
			      "FUSE 7.%u offers flags2 %#x, fsn-1's bit, but a watch sent no fsn-1 "
			      "request: a collision", minor, s->init_in.flags2);
			fc_log(ctx, "FUSE 7.%u offers fsn-1's bit and speaks fsn-1: the reference kernel",
			       minor);
		}
		CHECK(ctx, !fsn_mainline_takes(FSN_NUM_INIT_FLAG2, p->init_bit) &&
			   !fsn_mainline_takes(FSN_NUM_OPCODE, p->fsnotify_opcode) &&
			   !fsn_mainline_takes(FSN_NUM_NOTIFY, (uint32_t)p->notify_code),
		      "an fsn-1 number is taken by mainline");
		break;
	}
	}
	return fc_verdict(ctx);
}

static const struct col_row collision_rows[] = {
	{ FC_ROW("rfc2021_notify_8_is_inc_epoch",
		 "an RFC fsnotify event (code 8) on 7.44+ is accepted as INC_EPOCH and acted on"),
	  .kind = COL_NOTIFY_8 },
	{ FC_ROW("rfc2021_notify_7_is_resend",
		 "the RFC's NOTIFY_LOCK number (7) on 7.40+ is RESEND: pending requests are sent "
		 "again"),
	  .kind = COL_NOTIFY_7 },
	{ FC_ROW("rfc2021_opcode_51_is_tmpfile",
		 "O_TMPFILE reaches the server as opcode 51, which an RFC server reads as "
		 "FSNOTIFY"),
	  .kind = COL_OPCODE_51 },
	{ FC_ROW("rfc2021_init_bit_30_is_init_ext",
		 "INIT bit 30 is FUSE_INIT_EXT on 7.36+: every modern kernel 'offers' the RFC bit"),
	  .kind = COL_INIT_BIT_30 },
	{ FC_ROW("fsn1_notify_code_refused",
		 "fsn-1's notify code is refused by mainline (EINVAL), no effect"),
	  .kind = COL_FSN1_NOTIFY },
	{ FC_ROW("fsn1_init_bit_free",
		 "fsn-1's INIT bit, opcode and notify code are free in mainline (a kernel that "
		 "offers the bit speaks fsn-1)"),
	  .kind = COL_FSN1_INIT_BIT },
};
FC_FAMILY(collision_family, "collision", collision_rows, .needs = FC_NEED_KERNEL,
	  .labels = "kernel;collision", .run = run_collision, .fixture = &collision_fixture)
