/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * server.h - a FUSE server written against the kernel ABI, for one case.
 *
 * srv_start() opens /dev/fuse, mounts it on a fresh directory (the caller
 * runs in a private mount namespace: the runner sees to that), answers
 * INIT with what the case asked for and records what the kernel offered,
 * then serves every request from a thread out of the in-memory tree.
 *
 * Scripted expectations override the tree: keyed on (opcode, nodeid, name),
 * with a count, they reply now with an errno, a custom entry or raw bytes,
 * hold the reply until the case releases it, or never reply.  At teardown
 * a scripted expectation that was never used fails the case, and so does
 * a request the server had no handler for (gVisor's rule: nothing the
 * kernel said goes unexamined).
 *
 * Every write the server makes records the kernel's errno.  Notifications
 * go through srv_notify(), which writes from its own thread because the
 * kernel may block a notification (FreeBSD's notify.cc learned the same),
 * and returns the errno of the write, or ETIMEDOUT.
 *
 * Teardown aborts the connection through /sys/fs/fuse/connections/N/abort
 * (or MNT_FORCE where fusectl is missing), so nothing blocked on this mount
 * outlives the case.
 */
#ifndef FSNC_SERVER_H
#define FSNC_SERVER_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "case.h"
#ifdef FSNC_CONFIG_FSNOTIFY
#include "profiles.h"
#endif
#include "transport.h"
#include "tree.h"
#include "wire.h"

enum exp_action {
	EXP_TREE,   /* answer from the tree as usual, but count it as expected */
	EXP_ERRNO,  /* reply with -error (error 0 and no payload: a bare success) */
	EXP_ENTRY,  /* reply with .entry (LOOKUP/CREATE/MKDIR...): a forged identity */
	EXP_BYTES,  /* write .bytes/.nbytes verbatim (any header, any length) */
	EXP_DEFER,  /* hold the request; the case answers with srv_release() */
	EXP_NEVER,  /* hold the request forever; teardown aborts the connection */
};

struct expect {
	uint32_t opcode;
	uint64_t nodeid;    /* 0: any nodeid */
	const char *name;   /* NULL: any name */
	int count;          /* how many requests this row takes; 0 = unlimited */
	int min_count;      /* teardown fails if fewer were used (default: 1) */
	enum exp_action action;
	int error;          /* EXP_ERRNO: positive errno */
	struct fuse_entry_out entry;
	const void *bytes;
	size_t nbytes;
	int want_write_err; /* errno the kernel must give our reply (EXP_BYTES) */
	/* filled in by the server */
	int used;
	int write_err;      /* errno of the reply's write (0 = accepted) */
};

#define SRV_MAX_EXPECT 32
#define SRV_MAX_LOG 4096
#define SRV_MAX_HELD 16

/* One request the kernel sent, as the server saw it. */
struct srv_req_log {
	uint32_t opcode;
	uint64_t unique;
	uint64_t nodeid;
	char name[64];
	char name2[64];
	uint64_t nlookup;   /* FORGET: its nlookup; BATCH_FORGET: the sum */
	uint64_t newdir;    /* RENAME/RENAME2 */
	/* FSNOTIFY (the profile's opcode), decoded with fsn_decode_request() */
	uint64_t mask;
	uint64_t generation;
	uint64_t group;
	uint32_t action;
	int decode_err;
	int handled;        /* 1 tree, 2 expectation, 0 no handler */
	int reply_err;      /* errno the kernel gave our reply write */
};

struct srv;
struct fw_req;
struct fsn_profile;

/* One request handler: answers r (or not: FORGET) with srv_reply(). */
typedef void (*srv_op_fn)(struct srv *s, const struct fw_req *r);

/*
 * Who answers the requests.  Without one, the in-memory tree does (every
 * case).  A backend replaces the tree's handler table and nothing else:
 * the same INIT, transports, request log, scripted expectations and
 * notification writes serve it (harness/passthrough/passthrough.c serves a real
 * directory this way).
 */
struct srv_backend {
	const char *name;
	/* The handler for opcode, or NULL: no handler (ENOSYS, counted as unhandled). */
	srv_op_fn (*op)(const struct srv *s, uint32_t opcode);
	void *priv;
};

struct srv_opts {
	uint32_t minor;         /* INIT reply minor; 0 = min(offered, 45) */
	uint32_t flags;         /* flags to accept (ANDed with the offer) */
	uint32_t flags2;
	uint16_t max_pages;     /* 0: do not negotiate FUSE_MAX_PAGES */
	uint32_t max_write;     /* 0: 128 KiB */
	uint64_t entry_valid_ns;/* defaults for tree nodes */
	uint64_t attr_valid_ns;
	int init_error;         /* reply INIT with this errno (the mount fails) */
	int no_init;            /* do not reply INIT at all (srv_start returns) */
	const char *subtype;    /* fstype "fuse.<subtype>" */
	/*
	 * Remote fsnotify: the profile whose capability bit the server accepts
	 * in INIT and whose FSNOTIFY requests it answers (0 unless scripted).
	 */
	const struct fsn_profile *profile;
	/*
	 * An in-process kernel's transport (the reference model's,
	 * model_transport()) instead of /dev/fuse: no mount at all.  The server
	 * does not know what stands behind it.
	 */
	struct transport *inproc;
	/*
	 * With .inproc: no serve thread and no notifier thread.  The kernel
	 * calls the server whenever it waits for a reply (its transport's
	 * serve_inline), and
	 * srv_notify() writes from the caller's thread.  The same handlers
	 * answer; what goes is the scheduling and the deadlines (the fuzzer).
	 */
	int serve_inline;
	int default_permissions;/* mount with -o default_permissions */
	/*
	 * The kernel transport: TR_DEFAULT is the run's choice (`fsnc run
	 * --transport`); cases leave it alone.  Only cases about a transport
	 * itself (cases/uring.c) and probes name one.
	 */
	enum tr_kind transport;
	/* NULL: answer from the tree (struct tree).  Else this backend answers. */
	const struct srv_backend *backend;
	/* Mount on this existing directory instead of a fresh one (fsnc serve). */
	const char *mountpoint;
};

struct srv {
	struct fc_ctx *ctx;
	int fd;               /* /dev/fuse, or -1 in process */
	struct transport tr;  /* every message goes through here */
	enum tr_kind kind;    /* TR_DEVFUSE or TR_URING (in process: TR_DEVFUSE, unused) */
	char mnt[128];        /* the mountpoint */
	char base[128];       /* the private temporary directory holding it */
	int own_mnt;          /* mnt and base are ours to remove (not opts.mountpoint) */
	unsigned conn;        /* fusectl connection number (minor of st_dev) */
	dev_t dev;
	struct srv_opts opts;
	struct fuse_init_in init_in;   /* what the kernel offered */
	struct fuse_init_out init_out; /* what we answered */
	size_t init_in_len;
	int init_write_err;

	pthread_mutex_t lock;
	pthread_cond_t cond;   /* signalled on every request seen */
	pthread_t thread;
	int running;
	int stopping;
	int read_err;          /* errno that ended the serve loop */

	struct tree tree;
	struct expect expects[SRV_MAX_EXPECT];
	int nexpect;
	struct srv_req_log *log; /* rows [0, min(nlog, SRV_MAX_LOG)); grows as requests come */
	int nlog;             /* may exceed SRV_MAX_LOG: later ones are not kept */
	int logcap;           /* rows allocated */
	unsigned unhandled;
	uint64_t opcount[64]; /* requests seen per opcode, never dropped */
	int last_reply_err;   /* errno the kernel gave the latest reply written */
	/*
	 * ctx->trace (FSNC_TRACE=1): print every request as it comes, every
	 * reply and notification written with the kernel's errno (`# <` and
	 * `# >` lines), for `fsnc run` and reproducers alike: the case as steps.
	 */
	int trace;

	/* EXP_DEFER / EXP_NEVER requests, kept whole so the tree can answer later */
	struct { uint8_t *req; size_t len; uint32_t opcode; int live; } held[SRV_MAX_HELD];
	int nheld;

	/* notifier thread */
	pthread_t nthread;
	int nbusy, ndone, nquit;
	const void *nmsg;
	size_t nlen;
	int nerr;
	pthread_cond_t ncond;

	uint64_t fh_next;
	uint8_t *buf;
	size_t bufsize;
};

/* Start a session; on failure, records why on ctx and returns NULL. */
struct srv *srv_start(struct fc_ctx *ctx, const struct srv_opts *opts);
/*
 * Tear down: abort the connection, join the threads, check expectations
 * and lookup balance is NOT checked here (cases that care do it).  Returns
 * the number of teardown failures recorded on ctx.
 */
int srv_stop(struct srv *s);
/* Unmount cleanly first (umount2(mnt, 0)), letting the kernel send what it sends. */
int srv_umount(struct srv *s);
/* Abort the connection now (fusectl abort, else MNT_FORCE). */
void srv_abort(struct srv *s);

/* Path of a name inside the mount, in a static per-thread buffer. */
const char *srv_path(struct srv *s, const char *rel);

/* Tree access under the server lock. */
void srv_lock(struct srv *s);
void srv_unlock(struct srv *s);
struct tree_node *srv_add(struct srv *s, uint64_t parent, const char *name, mode_t mode,
			  uint64_t nodeid, uint64_t generation);

/* Scripted replies. */
struct expect *srv_expect(struct srv *s, const struct expect *e);

/* Request log queries (under the lock). */
int srv_count(struct srv *s, uint32_t opcode, uint64_t nodeid, const char *name);
/* Wait until count(opcode, nodeid, name) >= n, or the deadline; returns 0 or ETIMEDOUT. */
int srv_wait(struct srv *s, uint32_t opcode, uint64_t nodeid, const char *name, int n,
	     int timeout_ms);
/* Sum of nlookup in FORGET and BATCH_FORGET entries for nodeid (0 = all). */
uint64_t srv_forgotten(struct srv *s, uint64_t nodeid);
/* Print the request log as TAP comments (for failures). */
void srv_dump_log(struct srv *s, int last_n);
/*
 * The teardown of a family fixture (case.h) that keeps one server in
 * ctx->srv: the last requests if the row failed, then srv_stop().  Nothing
 * if ctx->srv is NULL (the row stopped it, or setup never started one).
 */
void srv_teardown(struct fc_ctx *ctx, const struct fc_case *c);

/* Answer a held (EXP_DEFER) request: error 0 = from the tree. Returns the write errno. */
int srv_release(struct srv *s, uint32_t opcode, int error);

/*
 * Write a notification (or any raw message) from the notifier thread.
 * Returns the errno the kernel gave the write (0 when it returned len),
 * EIO when it returned a short count, ETIMEDOUT when it did not return
 * within timeout_ms (the connection is then aborted at teardown).
 */
int srv_notify(struct srv *s, const void *msg, size_t len, int timeout_ms);
/* Write a raw message directly from the calling thread (replies to nothing). */
int srv_write_raw(struct srv *s, const void *msg, size_t len);

/*
 * Remote fsnotify is a build option, FSNC_CONFIG_FSNOTIFY (amalgam.h): fsnc
 * has it; `fsnc repro` writes it into the file of a family that includes
 * profiles.h (itself or through its own header), the only ones that can
 * give the server a profile.  Without it srv_start() refuses a profile,
 * saying it is not built in, and the two below tell what is then true: no
 * FSNOTIFY request, the extension off.
 */
#ifdef FSNC_CONFIG_FSNOTIFY
/* The FSNOTIFY requests seen (the profile's opcode), oldest first, up to max. */
int srv_fsnotify_log(struct srv *s, struct srv_req_log *out, int max);
#else
static inline int srv_fsnotify_log(struct srv *s, struct srv_req_log *out, int max)
{
	return 0;
}
#endif

/*
 * The transport carrying this session: "devfuse", "uring" or "model".  For
 * the few cases that pin a difference between transports, with its reason.
 */
static inline const char *srv_transport(const struct srv *s)
{
	return s->tr.ops->name;
}

/* The profile's remote fsnotify is on: the kernel offered its INIT bit and we took it. */
#ifdef FSNC_CONFIG_FSNOTIFY
int srv_extension_on(const struct srv *s);
#else
static inline int srv_extension_on(const struct srv *s)
{
	return 0;
}
#endif

/* Kernel FUSE minor offered in INIT (what the running kernel speaks). */
static inline uint32_t srv_kernel_minor(const struct srv *s)
{
	return s->init_in.minor;
}

#endif
