/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport.h - how the server exchanges messages with "the kernel".
 *
 * The server never touches a file descriptor directly: it reads requests
 * and writes replies and notifications through a transport, so the same
 * server and the same cases run against the real kernel (/dev/fuse) or the
 * in-process reference model of a kernel with the remote-fsnotify
 * extension (harness/model.h).  A write returns the errno the kernel side
 * gave it, as /dev/fuse's write() does.
 */
#ifndef FSNC_TRANSPORT_H
#define FSNC_TRANSPORT_H

#include <stddef.h>

struct transport;

struct transport_ops {
	const char *name; /* "devfuse", "model" */
	/* One request into buf: 0 with *n, ENODEV once the connection ended,
	 * EINTR/ENOENT/EAGAIN to retry, or another errno. Blocks. */
	int (*read)(struct transport *t, void *buf, size_t cap, size_t *n);
	/* One whole reply or notification: 0 when accepted, else its errno. */
	int (*write)(struct transport *t, const void *msg, size_t len);
	/* End the connection: blocked reads return ENODEV, blocked callers fail. */
	void (*abort)(struct transport *t);
};

struct transport {
	const struct transport_ops *ops;
	int fd;     /* devfuse: the /dev/fuse fd */
	void *priv; /* model: the model */
};

/* The /dev/fuse transport over an open fd (abort is the server's: fusectl). */
void transport_devfuse_init(struct transport *t, int fd);

static inline int tr_read(struct transport *t, void *buf, size_t cap, size_t *n)
{
	return t->ops->read(t, buf, cap, n);
}

static inline int tr_write(struct transport *t, const void *msg, size_t len)
{
	return t->ops->write(t, msg, len);
}

#endif
