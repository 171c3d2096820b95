// SPDX-License-Identifier: GPL-2.0-only
/* pt_session.c - a passthrough mount over a fresh tmpfs.  See pt_session.h. */
#include "pt_session.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profiles.h"

void pt_session_stop(struct pt_session *e)
{
	if (e->pt)
		pt_forward_stop(e->pt);
	srv_stop(e->s);
	pt_close(e->pt);
	if (e->dir[0]) {
		umount2(e->dir, MNT_DETACH);
		rmdir(e->dir);
		rmdir(e->mnt);
	}
	if (e->base[0])
		rmdir(e->base);
	memset(e, 0, sizeof(*e));
}

int pt_session_start(struct fc_ctx *ctx, struct pt_session *e)
{
	struct srv_opts o;
	char err[512], p[256];
	int fd;

	memset(e, 0, sizeof(*e));
	snprintf(e->base, sizeof(e->base), "/tmp/fsnc-e2e.XXXXXX");
	if (!mkdtemp(e->base)) {
		e->base[0] = 0;
		return fc_failf(ctx, __FILE__, __LINE__, "mkdtemp: %s", fc_errname(errno)), -1;
	}
	snprintf(e->dir, sizeof(e->dir), "%s/dir", e->base);
	snprintf(e->mnt, sizeof(e->mnt), "%s/mnt", e->base);
	if (mkdir(e->dir, 0755) || mkdir(e->mnt, 0755) ||
	    mount("fsnc-e2e", e->dir, "tmpfs", 0, "size=64m,nr_inodes=131072"))
		return fc_failf(ctx, __FILE__, __LINE__, "backing tmpfs: %s", fc_errname(errno)), -1;
	for (const char *const *d = (const char *const[]){"a", "b", "c", NULL}; *d; d++) {
		snprintf(p, sizeof(p), "%s/%s", e->dir, *d);
		if (mkdir(p, 0755))
			return fc_failf(ctx, __FILE__, __LINE__, "mkdir %s: %s", p,
					fc_errname(errno)), -1;
	}
	snprintf(p, sizeof(p), "%s/a/f", e->dir);
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, "hi\n", 3) != 3)
		return fc_failf(ctx, __FILE__, __LINE__, "%s: %s", p, fc_errname(errno)), -1;
	close(fd);
	e->pt = pt_open(e->dir, err, sizeof(err));
	if (!e->pt)
		return fc_failf(ctx, __FILE__, __LINE__, "passthrough: %s", err), -1;
	pt_srv_opts(e->pt, fsn_profile_by_name("fsn-1"), e->mnt, &o);
	e->s = srv_start(ctx, &o);
	if (!e->s)
		return -1;
	if (pt_forward_start(e->pt, e->s, err, sizeof(err)))
		return fc_failf(ctx, __FILE__, __LINE__, "forwarder: %s", err), -1;
	return 0;
}
