/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pt_session.h - a passthrough mount over a fresh tmpfs, for the e2e cases
 * and the e2e benchmark: one setup, so both measure the same thing.
 *
 * The backing directory is a tmpfs (it has file handles and, since 6.7, an
 * fsid) holding a/, b/, c/ and a/f ("hi\n"); the harness's server serves it
 * with the passthrough backend on a mount beside it, offering fsn-1, and
 * the forwarder runs when the kernel took the extension.  The caller runs
 * in a private mount namespace (the runner's, or its own).
 */
#ifndef FSNC_PT_SESSION_H
#define FSNC_PT_SESSION_H

#include "passthrough.h"
#include "server.h"

struct pt_session {
	char base[64];      /* private temporary directory */
	char dir[128];      /* the backing directory (a tmpfs) */
	char mnt[128];      /* the FUSE mount */
	struct passthrough *pt;
	struct srv *s;
};

/* 0, or -1 with the reason recorded on ctx; pt_session_stop() either way. */
int pt_session_start(struct fc_ctx *ctx, struct pt_session *e);
void pt_session_stop(struct pt_session *e);

#endif
