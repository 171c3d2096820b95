/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fsn_client.h - the client side of remote fsnotify, on either backend.
 *
 * The ext/... families state what a watcher does (look an object up, add
 * an inotify watch, read its events, evict an inode, change a file through
 * the mount) and what it must see.  The same row runs on the reference
 * model, whose model_* calls stand for the syscalls, and on a kernel that
 * speaks the extension, through the syscalls themselves: inotify_init1(),
 * inotify_add_watch(), fanotify_mark(), read(), drop_caches, on the
 * harness server's mount.  A row never knows which.
 *
 * Objects are named by the nodeid the server gave them; the kernel backend
 * turns a nodeid into its path through the server's tree.
 *
 * Where the backends differ in what they can do, the operation says so and
 * both give the same answer:
 *   - eviction: a mark pins its inode (fsnotify takes a reference), so a
 *     watched inode cannot be evicted: fcl_evict() gives EBUSY on both;
 *   - a call that the server never answers: the model gives up at its
 *     reply deadline; a kernel waits for its server like any FUSE request,
 *     so the kernel backend runs the syscall on a thread and, at the same
 *     deadline, aborts the connection to end it.  Both give ETIMEDOUT, and
 *     on the kernel the session is over.
 */
#ifndef FSNC_FSN_CLIENT_H
#define FSNC_FSN_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.h"

struct fc_ctx;
struct model;
struct srv;
struct fsn_client;

/* The model backend: the model's client operations; the server serves it. */
struct fsn_client *fsn_client_model(struct fc_ctx *ctx, struct model *m, struct srv *s,
				    unsigned max_queued_events);
/* The kernel backend: syscalls on the mount of s. */
struct fsn_client *fsn_client_kernel(struct fc_ctx *ctx, struct srv *s);
/* Close what the client opened (fds, threads); the session is the caller's. */
void fsn_client_free(struct fsn_client *cl);

const char *fcl_backend(const struct fsn_client *cl); /* "model" or "kernel" */

/*
 * Look (parent, name) up again: a LOOKUP reaches the server even if the
 * client has the entry cached.  0 with what the client holds now, or the
 * errno.  A kernel tells the generation through the inode's file handle,
 * which carries its low 32 bits: compare with fcl_generation().
 */
int fcl_lookup(struct fsn_client *cl, uint64_t parent, const char *name, uint64_t *nodeid,
	       uint64_t *generation);
/* A generation as fcl_lookup() reports it on this backend. */
uint64_t fcl_generation(const struct fsn_client *cl, uint64_t generation);
/*
 * Evict the inode of nodeid from the client's cache, as memory pressure
 * does: 0 once its FORGET is on its way, EBUSY when something pins it (a
 * mark does) (on a kernel: no FORGET after five rounds of drop_caches),
 * ENOENT if it is not cached.
 */
int fcl_evict(struct fsn_client *cl, uint64_t nodeid);
/* unlink(2) of (parent, name) through the mount. */
int fcl_unlink(struct fsn_client *cl, uint64_t parent, const char *name);
/*
 * A change made through the mount, as the VFS reports it locally: IN_MODIFY
 * is a write(2) to the file nodeid, IN_ACCESS a read(2) of it.
 */
int fcl_local_change(struct fsn_client *cl, uint64_t nodeid, uint32_t mask);

/* An inotify instance: its id (>= 0) or -errno. */
int fcl_inotify_init(struct fsn_client *cl);
/* The queue bound of instance id (max_queued_events when it was made). */
unsigned fcl_max_queued_events(struct fsn_client *cl, int id);
/* inotify_add_watch(2) on the object nodeid: 0 and *wd, or the errno. */
int fcl_add_watch(struct fsn_client *cl, int id, uint64_t nodeid, uint32_t mask, int *wd);
int fcl_rm_watch(struct fsn_client *cl, int id, int wd);
int fcl_inotify_close(struct fsn_client *cl, int id);
/* Take every queued event, up to max; never waits. */
int fcl_read(struct fsn_client *cl, int id, struct ino_event *ev, size_t max, size_t *n);

/* A fanotify group reporting FAN_RENAME with names: id (>= 0) or -errno. */
int fcl_fanotify_init(struct fsn_client *cl);
/* Mark the directory nodeid for mask (FSN_FS_RENAME). */
int fcl_fan_mark(struct fsn_client *cl, int id, uint64_t nodeid, uint64_t mask);
int fcl_fan_read(struct fsn_client *cl, int id, struct fan_event *ev, size_t max, size_t *n);

/* Did INIT turn the extension on: the kernel offered the bit, the server echoed it. */
bool fcl_extension_on(struct fsn_client *cl);

#endif
