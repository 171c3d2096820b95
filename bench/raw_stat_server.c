// SPDX-License-Identifier: GPL-2.0-only
/* raw_stat_server.c - see raw_stat_server.h. */
#include "raw_stat_server.h"
#include "clock.h"
#include "isolate.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define FILE_NODEID 2

static void attr_of(uint64_t nodeid, struct fuse_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = nodeid;
	a->mode = nodeid == FUSE_ROOT_ID ? S_IFDIR | 0755 : S_IFREG | 0644;
	a->nlink = nodeid == FUSE_ROOT_ID ? 2 : 1;
	a->size = nodeid == FUSE_ROOT_ID ? 0 : 4096;
	a->blksize = 4096;
}

static void *serve(void *arg)
{
	struct raw_stat_server *r = arg;
	uint8_t *in = r->buf;
	struct {
		struct fuse_out_header oh;
		union {
			struct fuse_init_out init;
			struct fuse_entry_out entry;
			struct fuse_attr_out attr;
		};
	} out;

	for (;;) {
		ssize_t n = read(r->fd, in, sizeof(r->buf));
		struct fuse_in_header *ih = (struct fuse_in_header *)in;
		size_t plen = 0;

		if (n < 0 && (errno == EINTR || errno == ENOENT || errno == EAGAIN))
			continue;
		if (n < (ssize_t)sizeof(*ih))
			return NULL; /* ENODEV: unmounted or aborted */
		memset(&out, 0, sizeof(out));
		out.oh.unique = ih->unique;
		switch (ih->opcode) {
		case FUSE_INIT: {
			const struct fuse_init_in *ii = (const void *)(ih + 1);

			out.init.major = FUSE_KERNEL_VERSION;
			out.init.minor = ii->minor < FUSE_KERNEL_MINOR_VERSION ? ii->minor
									: FUSE_KERNEL_MINOR_VERSION;
			out.init.max_readahead = ii->max_readahead;
			out.init.max_write = 4096;
			plen = sizeof(out.init);
			break;
		}
		case FUSE_LOOKUP:
			if (ih->nodeid != FUSE_ROOT_ID || strcmp((const char *)(ih + 1), "f")) {
				out.oh.error = -ENOENT;
				break;
			}
			r->lookups++;
			out.entry.nodeid = FILE_NODEID;
			out.entry.generation = 1;
			attr_of(FILE_NODEID, &out.entry.attr);
			plen = sizeof(out.entry);
			break;
		case FUSE_GETATTR:
			r->getattrs += ih->nodeid == FILE_NODEID;
			attr_of(ih->nodeid, &out.attr.attr);
			plen = sizeof(out.attr);
			break;
		case FUSE_FORGET:
		case FUSE_BATCH_FORGET:
			continue; /* no reply */
		default:
			out.oh.error = -ENOSYS;
			break;
		}
		out.oh.len = (uint32_t)(sizeof(out.oh) + plen);
		if (write(r->fd, &out, out.oh.len) < 0 && errno == ENODEV)
			return NULL;
	}
}

int raw_stat_server_start(struct raw_stat_server *r)
{
	char opts[128];
	struct stat st;
	int err;

	memset(r, 0, sizeof(*r));
	snprintf(r->mnt, sizeof(r->mnt), "/tmp/fsnc-limit.XXXXXX");
	if (!mkdtemp(r->mnt))
		return errno;
	r->fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (r->fd < 0) {
		err = errno;
		rmdir(r->mnt);
		return err;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", r->fd);
	if (mount("fsnc-limit", r->mnt, "fuse.fsnc-limit", MS_NOSUID | MS_NODEV, opts)) {
		err = errno;
		close(r->fd);
		rmdir(r->mnt);
		return err;
	}
	err = pthread_create(&r->thread, NULL, serve, r);
	if (err) {
		umount2(r->mnt, MNT_DETACH);
		close(r->fd);
		rmdir(r->mnt);
		return err;
	}
	if (stat(r->mnt, &st)) {
		err = errno;
		raw_stat_server_stop(r);
		return err;
	}
	r->conn = minor(st.st_dev);
	return 0;
}

void raw_stat_server_stop(struct raw_stat_server *r)
{
	struct timespec ts;

	umount2(r->mnt, MNT_DETACH);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 2;
	if (pthread_timedjoin_np(r->thread, NULL, &ts)) {
		iso_abort_conn(r->conn);
		pthread_join(r->thread, NULL);
	}
	close(r->fd);
	rmdir(r->mnt);
}
