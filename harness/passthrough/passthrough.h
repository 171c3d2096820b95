/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * passthrough.h - serve a real directory through the harness's server.
 *
 * A backend of harness/server/server.c (struct srv_backend): the same INIT,
 * transports, request log and notification writes as every case, with
 * handlers that answer from a backing directory instead of the in-memory
 * tree.  What it adds is identity and remote fsnotify:
 *
 *   - identity: every backing object the kernel holds has one node, keyed
 *     on its file handle (name_to_handle_at()).  The nodeid is a counter,
 *     never reused while the server runs, so a nodeid never names two
 *     objects; the generation is a hash of the handle, so it changes when
 *     the backing filesystem reuses the inode number for another object.
 *     The root's is 0, as the kernel holds it (no entry reply names it).
 *     A node lives while the kernel holds lookups on it (FORGET drops it).
 *   - FSNOTIFY requests (the profile's opcode) set each node's aggregated
 *     mask: "watch exactly this" (docs/fsn-1.md section 7).
 *   - the forwarder (harness/passthrough/passthrough_forward.c) watches the backing filesystem with
 *     fanotify and sends the kernel one fsn-1 record per change the masks
 *     ask for.
 *
 * Locking: the server holds its lock around every handler; handlers take
 * pt->lock inside it.  The forwarder takes pt->lock alone and never calls
 * the server while it holds it.
 */
#ifndef FSNC_PASSTHROUGH_H
#define FSNC_PASSTHROUGH_H

#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>

#include "profiles.h"
#include "server.h"

#define PT_HANDLE_MAX 128 /* MAX_HANDLE_SZ */
#define PT_BUCKETS 4096

struct pt_node {
	uint64_t nodeid;
	uint64_t generation;
	uint64_t nlookup;   /* lookups the kernel holds */
	uint64_t mask;      /* the kernel's aggregated mask (FSNOTIFY), 0: not watched */
	int fd;             /* O_PATH on the backing object */
	int marked;         /* inode-mark mode: a fanotify mark is on it */
	int isdir;
	int gone;           /* its last link went: DELETE_SELF was forwarded */
	unsigned htype;
	unsigned hlen;
	unsigned char handle[PT_HANDLE_MAX];
	struct pt_node *next_id;     /* hash chains */
	struct pt_node *next_handle;
};

/* What the forwarder did, for `fsnc serve` and the e2e cases. */
struct pt_stats {
	uint64_t fan_events;   /* fanotify events read */
	uint64_t fan_overflows;/* FAN_Q_OVERFLOW read */
	uint64_t records;      /* records written */
	uint64_t accepted;     /* ... that the kernel accepted */
	uint64_t enoent;       /* ... ENOENT: the object left the kernel's cache */
	uint64_t estale;       /* ... ESTALE */
	uint64_t other_err;    /* ... any other errno (last one in last_err) */
	int last_err;
};

struct passthrough {
	char dir[4096];
	int root_fd;
	pthread_mutex_t lock;
	struct pt_node *by_id[PT_BUCKETS];
	struct pt_node *by_handle[PT_BUCKETS];
	uint64_t next_nodeid;
	struct srv_backend backend;
	/* the forwarder */
	int fan_fd;
	int fs_mark;           /* 1: one filesystem mark; 0: an inode mark per watched node */
	int stop_pipe[2];
	pthread_t thread;
	int running;
	int paused;            /* pt_forward_pause(): the queue fills, nothing is read */
	struct srv *srv;
	const struct fsn_profile *profile; /* the records' layout and notify code */
	/* Where records go: srv_notify() on pt->srv, or a test's recorder. */
	int (*send)(void *arg, const void *msg, size_t len);
	void *send_arg;
	struct pt_stats stats;
	int verbose;           /* print each record and its errno on stderr */
};

/*
 * Open dir for serving.  On error returns NULL with a one-line reason in
 * err: not a directory, missing, or a filesystem without file handles.
 */
struct passthrough *pt_open(const char *dir, char *err, size_t errlen);
/* The backend to put in srv_opts.backend. */
const struct srv_backend *pt_backend(struct passthrough *pt);
/*
 * Session options that serve pt on mnt, taking profile p (NULL: none) in
 * INIT: the backend, and the INIT flags a passthrough wants (no
 * READDIRPLUS; AUTO_INVAL_DATA, since the backing files change behind the
 * kernel's back), mounted with default_permissions.
 */
void pt_srv_opts(struct passthrough *pt, const struct fsn_profile *p, const char *mnt,
		 struct srv_opts *o);
/*
 * Start forwarding changes to s (harness/passthrough/passthrough_forward.c): 0, or an errno with a
 * reason in err (fanotify refused).  Without a profile, or when the kernel
 * did not take the extension, there is nothing to forward: 0, no thread.
 */
int pt_forward_start(struct passthrough *pt, struct srv *s, char *err, size_t errlen);
/*
 * Stop reading fanotify (on 1) or go on (0): a slow server, for the cases
 * that make its queue overflow.
 */
void pt_forward_pause(struct passthrough *pt, int on);
/* Stop the forwarder (before srv_stop()). */
void pt_forward_stop(struct passthrough *pt);
/* Close every node and free pt (after srv_stop()). */
void pt_close(struct passthrough *pt);

/*
 * What LOOKUP does: name under nodeid parent, counted as one lookup the
 * kernel holds.  0 with *e, or an errno.
 */
int pt_lookup(struct passthrough *pt, uint64_t parent, const char *name,
	      struct fuse_entry_out *e);
/* What an FSNOTIFY request does: 0, ENOENT (no such node), ESTALE (another generation). */
int pt_watch(struct passthrough *pt, uint64_t nodeid, uint64_t generation, uint64_t mask);
/*
 * What the forwarder does with one read() of its fanotify group: the
 * records go to pt->send, with pt->profile's layout.  For the thread, and
 * for tests that hand it events of their own.
 */
void pt_forward_batch(struct passthrough *pt, const void *buf, size_t len);

/* A copy of the forwarder's figures. */
struct pt_stats pt_stats(struct passthrough *pt);

/* For the forwarder, under pt->lock: the node of a handle, or NULL. */
struct pt_node *pt_node_by_handle(struct passthrough *pt, unsigned htype, const void *h,
				  unsigned hlen);
/* "/proc/self/fd/N": how an O_PATH descriptor is reopened, changed or marked by path. */
const char *pt_fd_path(int fd, char buf[32]);
/* Set or clear the fanotify inode mark of n (inode-mark mode; pt->lock held). */
void pt_mark_update(struct passthrough *pt, struct pt_node *n);

#endif
