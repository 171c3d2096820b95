// SPDX-License-Identifier: GPL-2.0-only
/*
 * server: the harness's own promises, checked against the real kernel.
 * A reply can be immediate, deferred, never, an errno or raw bytes; an
 * unused scripted reply fails the case; a request the server never
 * answers is freed by the connection abort at teardown; and the runner
 * kills a case that hangs and aborts its connection (selftest/, which
 * only runs when named, because its verdict is a failure by design).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "client.h"
#include "server.h"

/* The row: what one case of this family varies. */
enum sv_kind { SV_DEFER, SV_NEVER, SV_ERRNO, SV_BYTES_BAD_ERROR, SV_BYTES_SHORT_ENTRY,
	       SV_UNUSED_EXPECT, SV_FORGED_ENTRY, SV_HANG };

struct sv_row {
	struct fc_row fc;
	enum sv_kind kind;
};

static long do_stat(void *path)
{
	struct stat st;

	return stat((const char *)path, &st) ? errno : 0;
}

/* The fixture: a server serving "f", (7, 3). */
static enum fc_verdict server_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct srv_opts o = {0};

	(void)c;
	ctx->srv = srv_start(ctx, &o);
	if (!ctx->srv)
		return FC_FAIL;
	srv_add(ctx->srv, FUSE_ROOT_ID, "f", S_IFREG | 0644, 7, 3);
	return FC_PASS;
}

static const struct fc_fixture server_fixture = {server_setup, srv_teardown};

static enum fc_verdict run_server(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct sv_row *row = c->row;
	struct srv *s = ctx->srv;
	struct client_call call;
	struct expect *x = NULL;
	long res = -1;
	int err;

	switch (row->kind) {
	case SV_DEFER:
		srv_expect(s, &(struct expect){.opcode = FUSE_LOOKUP, .name = "f", .count = 1,
					       .action = EXP_DEFER});
		client_start(&call, do_stat, (void *)srv_path(s, "f"));
		CHECK(ctx, srv_wait(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f", 1, 2000) == 0, "no LOOKUP");
		/* Held, not lost: the caller is still blocked, and the late reply is
		 * accepted by the kernel for that request and ends the stat(). */
		CHECK(ctx, client_join(&call, 0, &res) == ETIMEDOUT,
		      "stat returned while its LOOKUP was held");
		CHECK_ERR(ctx, srv_release(s, FUSE_LOOKUP, 0), 0, "late reply");
		CHECK(ctx, client_join(&call, fc_ms(ctx, 2000), &res) == 0 && res == 0,
		      "stat after the late reply: %s", fc_errname((int)res));
		break;
	case SV_NEVER:
		srv_expect(s, &(struct expect){.opcode = FUSE_LOOKUP, .name = "f", .count = 1,
					       .action = EXP_NEVER});
		client_start(&call, do_stat, (void *)srv_path(s, "f"));
		CHECK(ctx, srv_wait(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f", 1, fc_ms(ctx, 2000)) == 0, "no LOOKUP");
		/* Never answered: still blocked now, and (below) ended by the abort
		 * alone, which only a caller still waiting sees. */
		CHECK(ctx, client_join(&call, 0, &res) == ETIMEDOUT,
		      "stat returned although its LOOKUP was never answered");
		/* The abort at teardown is what frees the caller. */
		srv_stop(s);
		ctx->srv = NULL;
		CHECK(ctx, client_join(&call, fc_ms(ctx, 2000), &res) == 0,
		      "the abort did not free the blocked stat()");
		CHECK(ctx, res == ECONNABORTED || res == ENOTCONN,
		      "blocked stat() ended with %s, want ECONNABORTED or ENOTCONN",
		      fc_errname((int)res));
		break;
	case SV_ERRNO:
		srv_expect(s, &(struct expect){.opcode = FUSE_LOOKUP, .name = "f", .count = 1,
					       .action = EXP_ERRNO, .error = EACCES});
		CHECK_ERR(ctx, (int)do_stat((void *)srv_path(s, "f")), EACCES, "stat with EACCES scripted");
		break;
	case SV_BYTES_BAD_ERROR: {
		/* A reply header with a positive error: the kernel refuses the write. */
		struct fuse_out_header oh = {.len = sizeof(oh), .error = 5};
		/* On the ring the commit is taken and fuse_uring_out_header_has_err()
		 * ends the request with -EINVAL instead (6.18.44; cases/uring.c). */
		int ring = !strcmp(srv_transport(s), "uring");

		x = srv_expect(s, &(struct expect){.opcode = FUSE_LOOKUP, .name = "f", .count = 1,
						   .action = EXP_BYTES, .bytes = &oh, .nbytes = sizeof(oh),
						   .want_write_err = ring ? 0 : EINVAL});
		/* The server then answers EIO so the caller is not left hanging. */
		err = (int)do_stat((void *)srv_path(s, "f"));
		CHECK_ERR(ctx, err, ring ? EINVAL : EIO, "stat");
		/* The serve thread records it under the lock; on the ring the caller may
		 * wake before the commit's write() returns. */
		srv_lock(s);
		err = x ? x->write_err : -1;
		srv_unlock(s);
		CHECK_ERR(ctx, err, ring ? 0 : EINVAL, "raw reply write");
		break;
	}
	case SV_BYTES_SHORT_ENTRY: {
		/* A LOOKUP reply 8 bytes short of fuse_entry_out. */
		uint8_t b[sizeof(struct fuse_out_header) + sizeof(struct fuse_entry_out) - 8] = {0};
		struct fuse_out_header oh = {.len = sizeof(b)};
		/* On the ring fuse_copy_out_args()'s -EINVAL ends the request as it is;
		 * /dev/fuse turns a copy error into -EIO (6.18.44; cases/uring.c). */
		int ring = !strcmp(srv_transport(s), "uring");

		memcpy(b, &oh, sizeof(oh));
		x = srv_expect(s, &(struct expect){.opcode = FUSE_LOOKUP, .name = "f", .count = 1,
						   .action = EXP_BYTES, .bytes = b, .nbytes = sizeof(b),
						   .want_write_err = ring ? 0 : EINVAL});
		err = (int)do_stat((void *)srv_path(s, "f"));
		CHECK_ERR(ctx, err, ring ? EINVAL : EIO, "stat");
		break;
	}
	case SV_FORGED_ENTRY: {
		/* An entry naming another (nodeid, generation) than the tree's. */
		struct tree_node *g = srv_add(s, FUSE_ROOT_ID, "g", S_IFREG | 0644, 9, 4);
		struct stat st;

		if (!g)
			break;
		{
			struct expect e = {.opcode = FUSE_LOOKUP, .name = "f", .count = 1,
					   .action = EXP_ENTRY};

			srv_lock(s);
			tree_fill_entry(g, &e.entry);
			e.entry.attr.ino = 4242;
			e.entry.attr_valid = 100; /* else stat's GETATTR re-reads the tree's attr */
			srv_unlock(s);
			srv_expect(s, &e);
		}
		CHECK(ctx, stat(srv_path(s, "f"), &st) == 0 && st.st_ino == 4242,
		      "stat of f through the forged entry: ino %llu", (unsigned long long)st.st_ino);
		break;
	}
	case SV_UNUSED_EXPECT: {
		unsigned before;

		srv_expect(s, &(struct expect){.opcode = FUSE_MKDIR, .name = "never", .count = 1,
					       .action = EXP_ERRNO, .error = EPERM});
		before = ctx->failures;
		srv_stop(s);
		ctx->srv = NULL;
		/* The teardown must have failed us exactly once; that is the pass. */
		err = (int)(ctx->failures - before);
		ctx->failures = before;
		CHECK(ctx, err == 1, "an unused scripted reply gave %d teardown failures, want 1", err);
		break;
	}
	case SV_HANG:
		/* Never answered, on the main thread: only the runner's deadline ends this. */
		srv_expect(s, &(struct expect){.opcode = FUSE_LOOKUP, .name = "f", .count = 1,
					       .action = EXP_NEVER});
		do_stat((void *)srv_path(s, "f"));
		fc_failf(ctx, __FILE__, __LINE__, "a never-answered stat() returned");
		break;
	}
	return fc_verdict(ctx);
}

static const struct sv_row server_rows[] = {
	{ FC_ROW("deferred_reply", "a held LOOKUP blocks stat() until the late reply"),
	  .kind = SV_DEFER },
	{ FC_ROW("never_reply_freed_by_abort",
		 "a never-answered LOOKUP is freed by the teardown abort"),
	  .kind = SV_NEVER },
	{ FC_ROW("errno_reply", "a scripted EACCES reaches the caller"), .kind = SV_ERRNO },
	{ FC_ROW("raw_reply_positive_error",
		 "raw reply with error +5: the kernel refuses it with EINVAL"),
	  .kind = SV_BYTES_BAD_ERROR },
	{ FC_ROW("raw_reply_short_entry", "raw LOOKUP reply 8 bytes short: refused with EINVAL"),
	  .kind = SV_BYTES_SHORT_ENTRY },
	{ FC_ROW("forged_entry", "a scripted entry replaces the tree's identity"),
	  .kind = SV_FORGED_ENTRY },
	{ FC_ROW("unused_expectation_fails",
		 "a scripted reply never used fails the case at teardown"),
	  .kind = SV_UNUSED_EXPECT },
};
FC_FAMILY(server_family, "server", server_rows, .needs = FC_NEED_KERNEL,
	  .labels = "kernel;server", .run = run_server, .fixture = &server_fixture)

/*
 * The runner's self-test, named "selftest/..." as every self-test is (it
 * fails by design, and runs only when named exactly): the same fixture and
 * run, its own family.
 */
static const struct sv_row selftest_rows[] = {
	{ FC_ROW("hang_is_killed",
		 "runner self-test: a hung case is aborted and killed at its deadline "
		 "(fails by design)"),
	  .kind = SV_HANG },
};
FC_FAMILY(selftest_family, "selftest", selftest_rows, .needs = FC_NEED_KERNEL,
	  .labels = "selftest", .timeout_ms = 1000, .run = run_server, .fixture = &server_fixture)
