// SPDX-License-Identifier: GPL-2.0-only
/* transport_devfuse.c - requests and replies as read()/write() on /dev/fuse. */
#include "transport.h"

#include <errno.h>
#include <unistd.h>

int devfuse_read_fd(int fd, void *buf, size_t cap, size_t *n)
{
	ssize_t r = read(fd, buf, cap);

	if (r < 0)
		return errno;
	*n = (size_t)r;
	return 0;
}

int devfuse_write_fd(int fd, const void *msg, size_t len)
{
	ssize_t r = write(fd, msg, len);

	if (r < 0)
		return errno;
	return (size_t)r == len ? 0 : EIO;
}

static int devfuse_read(struct transport *t, void *buf, size_t cap, size_t *n)
{
	return devfuse_read_fd(t->fd, buf, cap, n);
}

static int devfuse_write(struct transport *t, const void *msg, size_t len)
{
	return devfuse_write_fd(t->fd, msg, len);
}

static void devfuse_abort(struct transport *t)
{
	/* The server aborts through fusectl or MNT_FORCE: it knows the mount. */
}

static const struct transport_ops devfuse_ops = {
	.name = "devfuse",
	.read = devfuse_read,
	.write = devfuse_write,
	.abort = devfuse_abort,
};

void transport_devfuse_init(struct transport *t, int fd)
{
	t->ops = &devfuse_ops;
	t->fd = fd;
	t->priv = NULL;
}
