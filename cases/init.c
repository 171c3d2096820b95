// SPDX-License-Identifier: GPL-2.0-only
/*
 * init: INIT negotiation.  Every minor from 7.31 up to what the kernel
 * offers must give a working mount, and so must accepting each flag the
 * kernel offers, one at a time.  Controls: an INIT answered with an error
 * leaves the mount dead (ECONNREFUSED), and a minor above the kernel's is
 * clamped by the kernel, not refused.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "server.h"

enum init_kind { INIT_MINOR, INIT_FLAG, INIT_FLAG2, INIT_ERROR };

/* The one file the workload reads: its attr.ino and content. */
#define INIT_FILE_INO 1000
#define INIT_FILE_DATA "hello"

/* The row: what one case of this family varies. */
struct init_row {
	struct fc_row fc;
	enum init_kind kind;
	uint32_t minor;  /* INIT_MINOR */
	uint32_t bit;    /* INIT_FLAG / INIT_FLAG2: the one flag accepted */
	const char *flag_name;
	int error;       /* INIT_ERROR */
	int default_permissions;
	int want_refused; /* the kernel must refuse this INIT reply (ECONNREFUSED) */
	const char *why;  /* the kernel rule behind want_refused */
};

/*
 * A small workload that touches the common request types: if the kernel
 * misread our INIT reply, one of these fails or hangs (under the deadline).
 */
static void workload(struct fc_ctx *ctx, struct srv *s)
{
	struct stat st;
	char buf[64];
	int fd;
	DIR *d;

	CHECK(ctx, stat(srv_path(s, NULL), &st) == 0, "stat root: %s", fc_errname(errno));
	CHECK(ctx, stat(srv_path(s, "file"), &st) == 0, "stat file: %s", fc_errname(errno));
	CHECK(ctx, st.st_ino == INIT_FILE_INO, "st_ino %llu, want attr.ino 1000",
	      (unsigned long long)st.st_ino);
	fd = open(srv_path(s, "file"), O_RDONLY);
	CHECK(ctx, fd >= 0, "open file: %s", fc_errname(errno));
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf));

		CHECK(ctx, n == 5 && !memcmp(buf, INIT_FILE_DATA, 5), "read %zd bytes", n);
		close(fd);
	}
	d = opendir(srv_path(s, NULL));
	CHECK(ctx, d != NULL, "opendir: %s", fc_errname(errno));
	if (d) {
		struct dirent *e;
		int seen = 0;

		while ((e = readdir(d)))
			seen |= !strcmp(e->d_name, "file");
		CHECK(ctx, seen, "readdir did not list \"file\"");
		closedir(d);
	}
}

static void log_offer(struct fc_ctx *ctx, struct srv *s)
{
	fc_log(ctx, "kernel offered 7.%u flags 0x%08x flags2 0x%08x max_readahead %u",
	       s->init_in.minor, s->init_in.flags, s->init_in.flags2, s->init_in.max_readahead);
	fc_log(ctx, "we answered 7.%u flags 0x%08x flags2 0x%08x", s->init_out.minor,
	       s->init_out.flags, s->init_out.flags2);
}

/* The fixture: a server whose INIT reply is the row's, the kernel's offer and our answer logged. */
static enum fc_verdict init_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct init_row *row = c->row;
	struct srv_opts o = {0};

	switch (row->kind) {
	case INIT_MINOR:
		o.minor = row->minor;
		break;
	case INIT_FLAG:
		o.flags = row->bit;
		break;
	case INIT_FLAG2:
		o.flags2 = row->bit;
		break;
	case INIT_ERROR:
		o.init_error = row->error;
		break;
	}
	o.default_permissions = row->default_permissions;
	ctx->srv = srv_start(ctx, &o);
	if (!ctx->srv)
		return FC_FAIL;
	log_offer(ctx, ctx->srv);
	return FC_PASS;
}

static const struct fc_fixture init_fixture = {init_setup, srv_teardown};

static enum fc_verdict run_init(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct init_row *row = c->row;
	struct srv *s = ctx->srv;
	struct tree_node *n;

	/* A kernel below 7.45, such as 6.1's 7.38, is the only way here. */
	if (row->kind == INIT_MINOR && row->minor > s->init_in.minor)
		return fc_skip(ctx, "kernel offers FUSE 7.%u, below 7.%u", s->init_in.minor,
			       row->minor);
	if (row->kind == INIT_FLAG && !(s->init_in.flags & row->bit))
		return fc_skip(ctx, "kernel does not offer %s", row->flag_name);
	if (row->kind == INIT_FLAG2 &&
	    (!(s->init_in.flags & FUSE_INIT_EXT) || !(s->init_in.flags2 & row->bit)))
		return fc_skip(ctx, "kernel does not offer %s", row->flag_name);

	if (row->kind == INIT_ERROR || row->want_refused) {
		struct stat st;
		int r = stat(srv_path(s, NULL), &st);

		if (row->why)
			fc_log(ctx, "expected refusal: %s", row->why);
		CHECK_ERR(ctx, s->init_write_err, 0, "INIT reply write");
		/* fuse_process_init_reply(): a failed INIT sets conn_error, and every
		 * later request fails with ECONNREFUSED. */
		CHECK(ctx, r < 0 && errno == ECONNREFUSED, "stat after failed INIT: %s, want ECONNREFUSED",
		      r ? fc_errname(errno) : "success");
		return fc_verdict(ctx);
	}

	n = srv_add(s, FUSE_ROOT_ID, "file", S_IFREG | 0644, 0, 1);
	if (n) {
		srv_lock(s);
		n->attr.ino = INIT_FILE_INO;
		memcpy(n->data, INIT_FILE_DATA, 5);
		n->datalen = 5;
		srv_unlock(s);
	}
	workload(ctx, s);
	CHECK(ctx, srv_count(s, FUSE_LOOKUP, FUSE_ROOT_ID, "file") >= 1,
	      "no LOOKUP of \"file\" reached the server");
	return fc_verdict(ctx);
}

/* Rows from a shorter spelling: the minor, or the flag accepted alone. */
#define MINOR_ROW(m)                                                                        \
	{ FC_ROW("minor_7_" #m, "INIT answered with minor 7." #m " gives a working mount"), \
	  .kind = INIT_MINOR, .minor = m }

#define FLAG_ROW(f)                                                               \
	{ FC_ROW("flag_" #f, "accepting only FUSE_" #f " gives a working mount"), \
	  .kind = INIT_FLAG, .bit = FUSE_##f, .flag_name = "FUSE_" #f }

#define FLAG2_ROW(f)                                                                        \
	{ FC_ROW("flag2_" #f, "accepting only FUSE_" #f " (flags2) gives a working mount"), \
	  .kind = INIT_FLAG2, .bit = FUSE2_##f, .flag_name = "FUSE_" #f }

static const struct init_row init_rows[] = {
	{ FC_ROW("control_error_reply",
		 "control: INIT answered with EPROTO leaves the mount refusing requests"),
	  .kind = INIT_ERROR, .error = EPROTO },
	MINOR_ROW(31), MINOR_ROW(32), MINOR_ROW(33), MINOR_ROW(34), MINOR_ROW(35),
	MINOR_ROW(36), MINOR_ROW(37), MINOR_ROW(38), MINOR_ROW(39), MINOR_ROW(40),
	MINOR_ROW(41), MINOR_ROW(42), MINOR_ROW(43), MINOR_ROW(44), MINOR_ROW(45),
	FLAG_ROW(ASYNC_READ), FLAG_ROW(POSIX_LOCKS), FLAG_ROW(ATOMIC_O_TRUNC),
	FLAG_ROW(EXPORT_SUPPORT), FLAG_ROW(BIG_WRITES), FLAG_ROW(DONT_MASK),
	FLAG_ROW(SPLICE_WRITE), FLAG_ROW(SPLICE_MOVE), FLAG_ROW(SPLICE_READ),
	FLAG_ROW(FLOCK_LOCKS), FLAG_ROW(HAS_IOCTL_DIR), FLAG_ROW(AUTO_INVAL_DATA),
	FLAG_ROW(DO_READDIRPLUS), FLAG_ROW(READDIRPLUS_AUTO), FLAG_ROW(ASYNC_DIO),
	FLAG_ROW(WRITEBACK_CACHE), FLAG_ROW(NO_OPEN_SUPPORT), FLAG_ROW(PARALLEL_DIROPS),
	FLAG_ROW(HANDLE_KILLPRIV), FLAG_ROW(POSIX_ACL), FLAG_ROW(ABORT_ERROR),
	FLAG_ROW(CACHE_SYMLINKS), FLAG_ROW(NO_OPENDIR_SUPPORT), FLAG_ROW(EXPLICIT_INVAL_DATA),
	FLAG_ROW(HANDLE_KILLPRIV_V2), FLAG_ROW(SETXATTR_EXT),
	FLAG2_ROW(SECURITY_CTX), FLAG2_ROW(CREATE_SUPP_GROUP), FLAG2_ROW(HAS_EXPIRE_ONLY),
	FLAG2_ROW(DIRECT_IO_ALLOW_MMAP), FLAG2_ROW(NO_EXPORT_SUPPORT), FLAG2_ROW(HAS_RESEND),
	FLAG2_ROW(REQUEST_TIMEOUT),
	/*
	 * process_init_reply() (6.12+): FUSE_ALLOW_IDMAP is only honoured on a
	 * mount with default_permissions; otherwise the whole INIT is treated as
	 * failed and the connection refuses every request.  Seen on 6.18.
	 */
	{ FC_ROW("flag2_ALLOW_IDMAP_without_default_permissions",
		 "ALLOW_IDMAP without default_permissions: the kernel fails INIT (ECONNREFUSED)"),
	  .kind = INIT_FLAG2, .bit = FUSE2_ALLOW_IDMAP, .flag_name = "FUSE_ALLOW_IDMAP",
	  .want_refused = 1,
	  .why = "process_init_reply(): ALLOW_IDMAP needs default_permissions, else ok = false" },
	{ FC_ROW("flag2_ALLOW_IDMAP_with_default_permissions",
		 "control: ALLOW_IDMAP on a default_permissions mount gives a working mount"),
	  .kind = INIT_FLAG2, .bit = FUSE2_ALLOW_IDMAP, .flag_name = "FUSE_ALLOW_IDMAP",
	  .default_permissions = 1 },
};
FC_FAMILY(init_family, "init", init_rows, .needs = FC_NEED_KERNEL, .labels = "kernel;init",
	  .run = run_init, .fixture = &init_fixture)
