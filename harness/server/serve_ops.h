/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * serve_ops.h - how the server answers one request (internal to the server).
 *
 * srv_handle() logs the request, lets a matching scripted expectation take
 * it, and otherwise answers from the tree through a table of per-opcode
 * handlers.  Opcodes the harness deliberately does not implement (xattrs,
 * locks, ioctl, ...) get ENOSYS, which is a legitimate server answer; an
 * opcode not in the table at all counts as unhandled and fails the case.
 */
#ifndef FSNC_SERVE_OPS_H
#define FSNC_SERVE_OPS_H

#include "server.h"

/* Called by the serve thread for each message read; takes the lock itself. */
void srv_handle(struct srv *s, const uint8_t *msg, size_t len);
/* Write a reply (error is 0 or a negative errno); returns the write's errno. */
int srv_reply(struct srv *s, uint64_t unique, int error, const void *payload, size_t plen);

/* The answer every backend gives alike (DESTROY, INTERRUPT, ENOSYS ...), or NULL. */
srv_op_fn srv_op_common(uint32_t opcode);

#endif
