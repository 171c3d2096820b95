/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * model_internal.h - what the files of the model share: its state, the
 * helpers every file needs, and the functions one file calls in another.
 * Included by harness/model/model*.c only: the contract is model.h, and
 * model.c's top comment says which file does what.
 *
 * A function one file calls in another is declared at the end, under the
 * file that defines it, named with an m_ prefix as the model's types are:
 * only the model's own files call it.
 */
#ifndef FSNC_MODEL_INTERNAL_H
#define FSNC_MODEL_INTERNAL_H

#include "model.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "fsn_codec.h"
#include "notify_rules.h"
#include "wire.h"

/* ---- tables ---------------------------------------------------------------------------- */

/*
 * What a profile's row cannot say about the kernel behind it.  Keyed by
 * profile name; a profile the table does not know gets the row of its
 * request semantics (see kernel_row()).
 */
struct kernel_row {
	const char *profile;
	enum nr_preset preset;  /* mainline validation of every other notify code */
	uint32_t minor;         /* kernel FUSE minor; 0 = the preset's */
	uint32_t flags2;        /* flags2 offered besides the profile's bit */
	size_t init_in_size;    /* bytes of fuse_init_in the kernel sends */
	bool rollback_on_error; /* a refused FSNOTIFY request undoes the watch change */
	bool enosys_stops;      /* -ENOSYS: never send FSNOTIFY again, the watch stays local */
};

/* ---- state ------------------------------------------------------------------------------ */

enum ino_state {
	INO_CACHED, /* hashed: notifications and LOOKUPs find it by nodeid */
	INO_BAD,    /* replaced by a LOOKUP with another identity; watches stay, deaf */
	INO_GONE,   /* evicted and forgotten; kept only so stale pointers stay valid */
};

struct m_inode {
	struct m_inode *next;
	uint64_t nodeid;
	uint64_t generation;
	uint32_t mode;
	int64_t nlookup;
	enum ino_state state;
	uint64_t remote_mask; /* fsn-1: the mask the server last accepted */
};

struct m_group {
	int id;
	bool fan;
	bool open;
	int next_wd;
	struct ino_event *q;
	size_t qlen, qcap;
	bool overflow_queued; /* the group's one overflow event is in q */
	int *ignored_lost;    /* wds whose IN_IGNORED the queue's bound dropped */
	size_t nignored_lost, ignored_lost_cap;
	struct fan_event *fq;
	size_t fqlen, fqcap;
};

struct m_watch {
	struct m_watch *next;
	struct m_group *g;
	int wd;
	struct m_inode *ino; /* the identity at add time; stays when the inode goes bad */
	uint32_t mask;       /* WATCH_KEEPS bits */
};

struct m_mark {
	struct m_mark *next;
	struct m_group *g;
	struct m_inode *ino;
	uint64_t mask; /* FSN_FS_RENAME, FAN_ONDIR */
};

struct m_dentry {
	struct m_dentry *next;
	uint64_t parent;
	size_t namelen;
	char name[FSN_NAME_MAX + 1];
	struct m_inode *ino;
};

enum rq_kind { RQ_INIT, RQ_LOOKUP, RQ_UNLINK, RQ_FSNOTIFY, RQ_FORGET, RQ_NOTIFY_REPLY };

struct m_req {
	struct m_req *next;
	enum rq_kind kind;
	uint64_t unique;
	uint8_t *msg;
	size_t len;
	size_t out_size;  /* reply payload the request's out args take */
	bool out_argvar;  /* a shorter reply is fine (INIT) */
	bool noreply;     /* FORGET, NOTIFY_REPLY */
	bool waiter;      /* a client thread waits; false: freed on completion */
	bool done;
	int error;
	uint8_t out[sizeof(struct fuse_entry_out)];
	size_t outlen;
};

/* One mark removed: what the requests that follow need to know. */
struct change {
	struct m_inode *ino;
	uint32_t raw_mask; /* rfc-2021/gen-2021: the mask the mark had */
	int group_id;
};

struct changes {
	struct change *v;
	size_t n, cap;
};

struct model {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC; broadcast on every state change */
	struct transport tr;
	const struct fsn_profile *p;
	const struct kernel_row *row;
	enum model_mutant mutant;
	unsigned max_events;
	int timeout_ms;
	struct nr_kernel k;

	/* the connection */
	bool aborted;
	bool init_done;
	bool conn_error; /* INIT refused: every request fails ECONNREFUSED */
	bool ext_on;
	bool no_fsnotify; /* the server answered ENOSYS */
	uint32_t offered_minor;
	uint64_t unique;
	struct m_req *qhead, *qtail; /* queued, not read yet */
	struct m_req *processing;    /* read, awaiting a reply */
	bool reader_known;
	pthread_t reader;            /* the thread that last entered transport read() */
	void (*serve)(void *arg);    /* model_serve_inline(): the server, called to answer */
	void *serve_arg;
	bool serving;                /* inside serve(): nothing waits */
	int users;                   /* callers inside the model */

	/* the caches */
	struct m_inode *inodes;
	struct m_dentry *dentries;
	struct m_watch *watches;
	struct m_mark *marks;
	struct m_group **groups;
	size_t ngroups, gcap;
	uint32_t cookie; /* fsnotify_get_cookie(): one counter for the model */

	struct model_stats stats;
	/* identity record of remote deliveries, for model_check_invariants() */
	unsigned remote_without_generation;
	unsigned misattributed;
	char misattributed_why[160];
};

#ifdef FSNC_MUTATION
static inline bool mut(const struct model *m, enum model_mutant x)
{
	return m->mutant == x;
}
#else
static inline bool mut(const struct model *m, enum model_mutant x)
{
	(void)m;
	(void)x;
	return false;
}
#endif

/* ---- delivery ------------------------------------------------------------------------------- */

/* Where an event comes from, for the stats and the identity record. */
struct origin {
	bool remote;
	bool has_generation;
	uint64_t generation; /* the object's generation as the notification named it */
};

/* ---- small helpers ------------------------------------------------------------------------ */

/* Wait on the model's condvar until the deadline; false once it passed. */
static inline bool wait_until(struct model *m, const struct timespec *dl)
{
	return pthread_cond_timedwait(&m->cond, &m->lock, dl) != ETIMEDOUT;
}

static inline void enter(struct model *m)
{
	pthread_mutex_lock(&m->lock);
	m->users++;
}

static inline int leave(struct model *m, int ret)
{
	m->users--;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	return ret;
}

/* ---- model_cache.c: the inode cache and dentries --------------------------------------------- */

struct m_inode *m_cache_find(const struct model *m, uint64_t nodeid);
struct m_inode *m_inode_new(struct model *m, uint64_t nodeid, uint64_t generation, uint32_t mode);
bool m_pinned(const struct model *m, const struct m_inode *ino);
struct m_dentry *m_dentry_find(const struct model *m, uint64_t parent, const char *name,
			       size_t namelen);
void m_dentry_drop_if(struct model *m, bool (*match)(const struct m_dentry *, const void *),
		      const void *arg);
bool m_dentry_is(const struct m_dentry *d, const void *arg);
void m_dentries_forget(struct model *m, struct m_inode *ino);

/* ---- model_dev.c: requests, and the transport ------------------------------------------------ */

struct m_req *m_req_new(struct model *m, enum rq_kind kind, uint32_t opcode, uint64_t nodeid,
			const void *arg, size_t arglen, const char *name, bool creds);
void m_enqueue(struct model *m, struct m_req *r, bool waiter);
void m_complete(struct model *m, struct m_req *r, int err, const void *out, size_t outlen);
bool m_may_wait(const struct model *m);
int m_send_request(struct model *m, struct m_req *r, bool wait, void *out, size_t cap,
		   size_t *outlen);
int m_wait_init(struct model *m);
void m_send_forget(struct model *m, struct m_inode *ino);
struct m_req *m_dequeue(struct model *m);
extern const struct transport_ops model_ops;

/* ---- model_fsnotify.c: queues, delivery, detach, and inotify --------------------------------- */

bool m_queue_overflow(struct model *m, struct m_group *g);
void m_deliver(struct model *m, struct m_inode *ino, uint32_t mask, const char *name,
	       uint32_t cookie, const struct origin *o, struct changes *ch);
void m_deliver_local(struct model *m, struct m_inode *ino, uint32_t mask, const char *name,
		     struct changes *ch);
void m_release_if_bad(struct model *m, struct m_inode *ino);
void m_flush_changes(struct model *m, struct changes *c, bool requests);
void m_evict_inode(struct model *m, struct m_inode *ino, bool requests);
void m_deleted(struct model *m, struct m_inode *ino);
struct m_watch *m_watch_find(const struct model *m, const struct m_group *g,
			     const struct m_inode *ino, int wd);

/* ---- model_ext.c: the extension's notifications ---------------------------------------------- */

void m_count_verdict(struct model *m, int err, uint32_t defects);
int m_ext_notify(struct model *m, const uint8_t *payload, size_t len);

#endif /* FSNC_MODEL_INTERNAL_H */
