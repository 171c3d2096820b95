/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport.h - how the server exchanges messages with "the kernel".
 *
 * The server never touches a file descriptor directly: it reads requests
 * and writes replies and notifications through a transport, so the same
 * server and the same cases run against the real kernel (/dev/fuse, or
 * FUSE-over-io_uring ring entries) or the in-process reference model of a
 * kernel with the remote-fsnotify extension (harness/model/model.h).  A write
 * returns the errno the kernel side gave it, as /dev/fuse's write() does.
 *
 * Which kernel transport a session uses is chosen once per process
 * (transport_select(), from `fsnc run --transport` or FSNC_TRANSPORT): a
 * case never names it.
 */
#ifndef FSNC_TRANSPORT_H
#define FSNC_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

struct transport;
struct fuse_init_out;

struct transport_ops {
	const char *name; /* "devfuse", "uring", "model" */
	/* One request into buf: 0 with *n, ENODEV once the connection ended,
	 * EINTR/ENOENT/EAGAIN to retry, or another errno. Blocks. */
	int (*read)(struct transport *t, void *buf, size_t cap, size_t *n);
	/* One whole reply or notification: 0 when accepted, else its errno. */
	int (*write)(struct transport *t, const void *msg, size_t len);
	/* End the connection: blocked reads return ENODEV, blocked callers fail. */
	void (*abort)(struct transport *t);
	/* Free what the transport owns (threads, rings); NULL: nothing. */
	void (*close)(struct transport *t);
	/*
	 * An in-process kernel only (the model): call serve(arg) whenever it
	 * waits for a reply, so the server answers from the caller's thread
	 * (srv_opts.serve_inline).  NULL: the kernel's transports, which
	 * cannot call anyone back.
	 */
	void (*serve_inline)(struct transport *t, void (*serve)(void *arg), void *arg);
};

struct transport {
	const struct transport_ops *ops;
	int fd;     /* devfuse, uring: the /dev/fuse fd */
	void *priv; /* model: the model; uring: its ring state */
};

/* The /dev/fuse transport over an open fd (abort is the server's: fusectl). */
void transport_devfuse_init(struct transport *t, int fd);
/* One read()/write() on /dev/fuse as the transports see it (the uring one too). */
int devfuse_read_fd(int fd, void *buf, size_t cap, size_t *n);
int devfuse_write_fd(int fd, const void *msg, size_t len);

static inline int tr_read(struct transport *t, void *buf, size_t cap, size_t *n)
{
	return t->ops->read(t, buf, cap, n);
}

static inline int tr_write(struct transport *t, const void *msg, size_t len)
{
	return t->ops->write(t, msg, len);
}

static inline void tr_close(struct transport *t)
{
	if (t->ops && t->ops->close)
		t->ops->close(t);
}

/* ---- choosing the kernel transport (transport_select.c) ---- */

enum tr_kind {
	TR_DEFAULT = 0, /* srv_opts: whatever transport_selected() says */
	TR_DEVFUSE,
	TR_URING,
};

/* "devfuse" / "uring" -> kind; TR_DEFAULT for anything else. */
enum tr_kind transport_parse(const char *name);
const char *transport_kind_name(enum tr_kind k);
/* The process-wide choice (inherited by forked cases); TR_DEVFUSE unless set. */
void transport_select(enum tr_kind k);
enum tr_kind transport_selected(void);

/*
 * Why the selected transport could not carry this case (the kernel does not
 * offer FUSE_OVER_IO_URING, the case's INIT cannot negotiate it, ...).  The
 * server records it; the runner turns the case into a SKIP with this reason,
 * because a case that ran over another transport proves nothing about this
 * one.  Empty: none.
 */
void transport_set_unavailable(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *transport_unavailable(void);

/*
 * Count of CPUs in a kernel cpu list ("0-1", "0,2-3"): the kernel makes one
 * io_uring queue per possible CPU (num_possible_cpus()).  -1 if malformed.
 */
int transport_parse_cpulist(const char *s);

/*
 * ---- FUSE over io_uring, a build option: FSNC_CONFIG_URING ----
 *
 * fsnc is built with it.  `fsnc repro` writes it only into a file that runs
 * over the ring (--transport uring, NAME@uring, the uring family), as a
 * kernel without CONFIG_FUSE_IO_URING has no fs/fuse/dev_uring.c: the
 * transport is 25 KB of a reproducer that never uses it.  Without it the
 * functions below the stubs at the end stand in: a case that asks for the
 * ring is a SKIP that says it is not built in (contain_run() cannot set
 * enable_uring, a session cannot start the ring), never a case run over
 * /dev/fuse instead.
 */

/* ---- the enable_uring module parameter (transport_param.c) ---- */

/*
 * Set enable_uring to Y for one case, remembering the old value; signals
 * that end the runner put it back first.  0, or an errno with why filled.
 * The parameter is global: the guard holds an exclusive flock on
 * URING_PARAM_LOCK from enable to restore, so two fsnc processes (ctest -j,
 * two users) never restore it under each other's INIT.
 */
#define URING_PARAM_LOCK "/run/fsnc-enable-uring.lock"
/* The old value while a guard holds Y (harness/base/journal.h): a SIGKILLed
 * holder's successor puts it back. */
#define URING_PARAM_JOURNAL "/run/fsnc-enable-uring.journal"
struct uring_param_guard {
	int saved;
	int changed;
	int lock_fd; /* held while the case runs; 0 or -1: none */
};
#ifdef FSNC_CONFIG_URING
/* 0 and Y/N as 1/0, or errno (ENOENT: the kernel has no such parameter). */
int uring_param_get(int *on);
int uring_param_set(int on);
int uring_param_enable(struct uring_param_guard *g, char *why, size_t cap);
/* Put the saved value back (no-op if nothing was changed): 0 or errno. */
int uring_param_restore(struct uring_param_guard *g);
/*
 * At start-up of any fsnc: if a runner that held enable_uring died without
 * putting it back (SIGKILL), put it back now, with one line on stderr.  Does
 * nothing while another fsnc holds the parameter, or without root.
 */
void uring_param_recover(void);
#endif

/* ---- FUSE over io_uring (transport_uring.c) ---- */

#ifdef FSNC_CONFIG_URING
/*
 * Before transport_uring_start() the uring transport is /dev/fuse: INIT is
 * always read and answered there.  timeout_ms bounds every wait inside.
 */
void transport_uring_init(struct transport *t, int fd, int timeout_ms);
/*
 * After an INIT reply that negotiated FUSE_OVER_IO_URING: set up a ring
 * (128-byte SQEs), register `depth` entries on each of the kernel's queues,
 * one per possible CPU, and from then on take requests from ring entries
 * and /dev/fuse alike.  Returns 0, or an errno with the reason in why.
 */
int transport_uring_start(struct transport *t, const struct fuse_init_out *io, unsigned depth,
			  char *why, size_t cap);
/* The payload buffer size the kernel demands, from the negotiated INIT (pure). */
size_t transport_uring_payload_size(const struct fuse_init_out *io);
#endif

struct tr_uring_stats {
	unsigned queues, depth;
	size_t payload;
	uint64_t ring_requests;    /* requests that arrived in ring entries */
	uint64_t devfuse_requests; /* ... on /dev/fuse after the ring started */
	uint32_t devfuse_opcode[8];/* the first opcodes seen there, for reports */
	unsigned ndevfuse_opcode;
	uint64_t commits;
	unsigned anomalies;        /* kernel-side surprises (see transport_uring.c) */
	char anomaly[160];         /* the first one */
};
#ifdef FSNC_CONFIG_URING
/* 0 and the figures, or ENOTCONN when the ring was never started. */
int transport_uring_stats(struct transport *t, struct tr_uring_stats *st);
#endif

/*
 * A hand-made commit, for the cases about the ring itself (cases/uring.c).
 * The entry used is the one holding the request `unique` (which the server
 * must be holding unanswered), or, with by_unique = 0, entry `ent` as it is.
 * hdr/hdrlen are copied to the entry's in_out (a short header leaves the
 * rest as the kernel wrote it), payload/plen to its payload buffer, and
 * payload_sz is what ring_ent_in_out claims.  commit_id and qid go into the
 * SQE as given.  Returns the commit's own result: the errno of its CQE if
 * the kernel refused it at once, 0 if it took it (ETIMEDOUT if the ring
 * thread did not submit it in time, ENOENT if no entry holds unique).
 * The entry must not be one the server is answering at the same time.
 */
struct tr_uring_raw {
	uint64_t unique;
	int by_unique;
	int ent;
	const void *hdr;
	size_t hdrlen;
	const void *payload;
	size_t plen;
	uint32_t payload_sz;
	uint64_t commit_id;
	uint16_t qid;
	/* Put hdr/payload in buffers the kernel never registered and point the
	 * SQE at those; the entry's own buffers stay as they are. */
	int foreign;
	/* Write nothing at all into the entry (not even payload_sz): the SQE only. */
	int untouched;
};
#ifdef FSNC_CONFIG_URING
int transport_uring_commit_raw(struct transport *t, const struct tr_uring_raw *r);
/* Where the request `unique` sits: its queue and entry index; ENOENT if none. */
int transport_uring_locate(struct transport *t, uint64_t unique, uint16_t *qid, int *ent);
#else
/* ---- the stubs of a build without FUSE over io_uring (a reproducer's) ---- */
#include <errno.h>
#include <stdio.h>

#define TR_URING_ABSENT "FUSE over io_uring is not built into this file (fsnc repro writes " \
			"it in with --transport uring)"

static inline int uring_param_enable(struct uring_param_guard *g, char *why, size_t cap)
{
	g->changed = 0;
	g->lock_fd = -1;
	snprintf(why, cap, "%s", TR_URING_ABSENT);
	return ENOSYS;
}

static inline int uring_param_restore(struct uring_param_guard *g)
{
	g->changed = 0;
	return 0;
}

/* The session says why it is a SKIP; INIT goes on over /dev/fuse, as when no ring is offered. */
static inline void transport_uring_init(struct transport *t, int fd, int timeout_ms)
{
	(void)timeout_ms;
	transport_set_unavailable("%s", TR_URING_ABSENT);
	transport_devfuse_init(t, fd);
}

static inline int transport_uring_start(struct transport *t, const struct fuse_init_out *io,
					unsigned depth, char *why, size_t cap)
{
	(void)t, (void)io, (void)depth;
	snprintf(why, cap, "%s", TR_URING_ABSENT);
	return ENOSYS;
}

static inline int transport_uring_stats(struct transport *t, struct tr_uring_stats *st)
{
	(void)t, (void)st;
	return ENOTCONN;
}

static inline size_t transport_uring_payload_size(const struct fuse_init_out *io)
{
	(void)io;
	return 0;
}

static inline int transport_uring_commit_raw(struct transport *t, const struct tr_uring_raw *r)
{
	(void)t, (void)r;
	return ENOSYS;
}

static inline int transport_uring_locate(struct transport *t, uint64_t unique, uint16_t *qid,
					 int *ent)
{
	(void)t, (void)unique, (void)qid, (void)ent;
	return ENOSYS;
}

static inline int uring_param_get(int *on)
{
	(void)on;
	return ENOSYS;
}

static inline int uring_param_set(int on)
{
	(void)on;
	return ENOSYS;
}

static inline void uring_param_recover(void)
{
}
#endif

#endif
