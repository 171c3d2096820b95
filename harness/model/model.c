// SPDX-License-Identifier: GPL-2.0-only
/*
 * model.c - the kernel side of remote fsnotify over FUSE, as an executable
 * specification (see model.h for the contract).
 *
 * The model stands where /dev/fuse stands.  Layout of this file:
 *   tables      the kernel each profile pretends to be, mutant names
 *   state       inodes (the icache), dentries, inotify/fanotify groups,
 *               watches and marks, requests (queued -> processing -> done)
 *   requests    build, queue, wait (CLOCK_MONOTONIC deadline), complete
 *   queues      inotify's notification queue: merge, bound, one overflow
 *   delivery    fsnotify on a model inode, IN_ONESHOT, the identity record
 *   detach      mark removal and the FSNOTIFY requests it causes
 *   transport   read (requests) and write (replies, notifications)
 *   client ops  model_lookup, model_add_watch, ...
 *
 * Kernel behaviour copied from 6.18 where the extension does not change it:
 * inotify merges an event identical to the last queued one (inotify_merge),
 * queues one overflow event while it is in the queue, IN_IGNORED follows a
 * removed mark; a LOOKUP with another generation or type makes the old
 * inode bad and its watches deaf (cases/stale.c); FAN_RENAME carries the
 * record of each marked parent only (cases/rename.c).
 */
#include "model.h"
#include "clock.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/fanotify.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsn_codec.h"
#include "notify_rules.h"
#include "wire.h"

/* ---- tables ---------------------------------------------------------------------------- */

/*
 * INIT flags a kernel offers besides the extension's bit.  0x33fffffb is
 * bits 0..29 without FUSE_FILE_OPS (2), FUSE_MAP_ALIGNMENT (26, DAX only) and
 * FUSE_SUBMOUNTS (27, virtiofs only): what 5.15 (the RFC's base) and 6.18
 * both offer; with FUSE_INIT_EXT it is the 0x73fffffb seen on the build
 * machines.  That the RFC's FUSE_HAVE_FSNOTIFY makes the very same word is
 * the collision the suite is about.
 */
#define OFFER_FLAGS 0x33fffffbu
/* 6.18 fuse_send_init(): flags2 with CONFIG_FUSE_PASSTHROUGH, no DAX, no io_uring. */
#define OFFER_FLAGS2_6_18                                                                  \
	(FUSE2_SECURITY_CTX | FUSE2_CREATE_SUPP_GROUP | FUSE2_HAS_EXPIRE_ONLY |              \
	 FUSE2_DIRECT_IO_ALLOW_MMAP | FUSE2_PASSTHROUGH | FUSE2_NO_EXPORT_SUPPORT |          \
	 FUSE2_HAS_RESEND | FUSE2_ALLOW_IDMAP | FUSE2_REQUEST_TIMEOUT)
/* bdi ra_pages (VM_READAHEAD_PAGES) * PAGE_SIZE */
#define OFFER_MAX_READAHEAD 131072u
/* fuse_init_in before 7.36: major, minor, max_readahead, flags. */
#define INIT_IN_SIZE_PRE_7_36 16u

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

static const struct kernel_row kernel_rows[] = {
	/*
	 * The RFC's tree was 5.15 (7.34) with the RFC's own 7.36: no flags2, a
	 * 16-byte fuse_init_in, every notify code above 6 unknown.  "ignores
	 * it": fuse_fsnotify_send_request()'s error goes back to the caller,
	 * but nothing undoes the mark.
	 */
	{ "rfc-2021", NR_PRESET_6_1, 36, 0, INIT_IN_SIZE_PRE_7_36, false, false },
	/* The review's struct on the same base; this project's reading rolls back. */
	{ "gen-2021", NR_PRESET_6_1, 36, 0, INIT_IN_SIZE_PRE_7_36, true, false },
	/* docs/fsn-1.md section 7: 7.45 with a flags2 bit; ENOSYS stops requests. */
	{ "fsn-1", NR_PRESET_6_18, 0, OFFER_FLAGS2_6_18, sizeof(struct fuse_init_in), true, true },
};

static const char *const mutant_names[MUT_COUNT] = {
	[MUT_NONE] = "none",
	[MUT_IGNORE_GENERATION] = "ignore_generation",
	[MUT_UNBOUNDED_NAMELEN] = "unbounded_namelen",
	[MUT_PAIR_COOKIE_ACROSS_RENAMES] = "pair_cookie_across_renames",
	[MUT_RAW_USER_MASK] = "raw_user_mask",
	[MUT_LOCAL_AND_REMOTE] = "local_and_remote",
	[MUT_MISCOUNT_LOOKUP] = "miscount_lookup",
	[MUT_NO_REQUEST_ON_RM_WATCH] = "no_request_on_rm_watch",
	[MUT_OVERFLOW_NOT_COALESCED] = "overflow_not_coalesced",
	[MUT_ACCEPT_RESERVED] = "accept_reserved",
	[MUT_ONESHOT_KEEPS_WATCH] = "oneshot_keeps_watch",
	[MUT_STALE_DELIVERED] = "stale_delivered",
};

const char *model_mutant_name(enum model_mutant m)
{
	return (unsigned)m < MUT_COUNT && mutant_names[m] ? mutant_names[m] : "?";
}

/* inotify's flag bits (include/linux/inotify.h): resolved by the kernel, never events. */
#define INOTIFY_FLAG_BITS                                                                  \
	(IN_ONESHOT | IN_MASK_ADD | IN_MASK_CREATE | IN_EXCL_UNLINK | IN_ONLYDIR | IN_DONT_FOLLOW)
/* inotify_user.c ALL_INOTIFY_BITS: a mask needs one of them, else EINVAL. */
#define ALL_INOTIFY_BITS                                                                   \
	(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ISDIR | INOTIFY_FLAG_BITS)
/* What a mark keeps of the caller's mask: events, and the flags that act later. */
#define WATCH_KEEPS (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK)
/* rfc-2021's group field: a kernel address per group, the defect the suite flags. */
#define FAKE_GROUP_BASE 0xffff888012345000ull
#define FAKE_GROUP_STRIDE 0x1000ull
/* The kernel's unique counter (fs/fuse/dev.c FUSE_REQ_ID_STEP). */
#define UNIQUE_STEP 2u
#define DEFAULT_MAX_EVENTS 16384u
#define DEFAULT_TIMEOUT_MS 2000
/* model_free() waits this long for callers still inside the model. */
#define FREE_DRAIN_MS 5000
/* FAN_RENAME info record: hdr 4 + fsid 8 + file_handle 8 + FILEID_INO64_GEN 12. */
#define FAN_DFID_FIXED (4u + 8u + 8u + 12u)

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

static const struct kernel_row *kernel_row_named(const char *name)
{
	for (size_t i = 0; i < sizeof(kernel_rows) / sizeof(kernel_rows[0]); i++)
		if (name && !strcmp(kernel_rows[i].profile, name))
			return &kernel_rows[i];
	return NULL;
}

/* A profile the table does not name (a test's copy) gets the row of its request semantics. */
static const struct kernel_row *kernel_row(const struct fsn_profile *p)
{
	const struct kernel_row *r = kernel_row_named(p->name);

	if (r)
		return r;
	return kernel_row_named(p->request == FSN_REQUEST_AGGREGATED_MASK ? "fsn-1" : "rfc-2021");
}

/* ---- small helpers ------------------------------------------------------------------------ */

/* Wait on the model's condvar until the deadline; false once it passed. */
static bool wait_until(struct model *m, const struct timespec *dl)
{
	return pthread_cond_timedwait(&m->cond, &m->lock, dl) != ETIMEDOUT;
}

/*
 * model_serve_inline(): let the server answer what is queued, in this
 * thread, with the model's lock dropped as a wait on the condvar drops it.
 */
static void model_serve_queued(struct model *m)
{
	if (m->serving)
		return;
	m->serving = true;
	pthread_mutex_unlock(&m->lock);
	m->serve(m->serve_arg);
	pthread_mutex_lock(&m->lock);
	m->serving = false;
}

static void enter(struct model *m)
{
	pthread_mutex_lock(&m->lock);
	m->users++;
}

static int leave(struct model *m, int ret)
{
	m->users--;
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	return ret;
}

/* A generation compared as the profile carries it (gen-2021: the low 32 bits). */
static bool gen_equal(const struct fsn_profile *p, uint64_t a, uint64_t b)
{
	uint64_t keep = p->generation_bits >= 64 || p->generation_bits == 0
				? UINT64_MAX
				: (UINT64_C(1) << p->generation_bits) - 1;

	return (a & keep) == (b & keep);
}

static bool valid_type(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR:
	case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return true;
	}
	return false;
}

static int changes_add(struct changes *c, struct m_inode *ino, uint32_t raw_mask, int group_id)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct change *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = (struct change){ ino, raw_mask, group_id };
	return 0;
}

/* ---- the inode cache and dentries ----------------------------------------------------------- */

/* fuse_ilookup(): the hashed inode for nodeid. */
static struct m_inode *cache_find(const struct model *m, uint64_t nodeid)
{
	for (struct m_inode *i = m->inodes; i; i = i->next)
		if (i->state == INO_CACHED && i->nodeid == nodeid)
			return i;
	return NULL;
}

static struct m_inode *inode_new(struct model *m, uint64_t nodeid, uint64_t generation,
				 uint32_t mode)
{
	struct m_inode *i = calloc(1, sizeof(*i));

	if (!i)
		return NULL;
	i->nodeid = nodeid;
	i->generation = generation;
	i->mode = mode;
	i->state = INO_CACHED;
	i->next = m->inodes;
	m->inodes = i;
	return i;
}

static bool pinned(const struct model *m, const struct m_inode *ino)
{
	for (const struct m_watch *w = m->watches; w; w = w->next)
		if (w->ino == ino)
			return true;
	for (const struct m_mark *k = m->marks; k; k = k->next)
		if (k->ino == ino)
			return true;
	return false;
}

static struct m_dentry *dentry_find(const struct model *m, uint64_t parent, const char *name,
				    size_t namelen)
{
	for (struct m_dentry *d = m->dentries; d; d = d->next)
		if (d->parent == parent && d->namelen == namelen && !memcmp(d->name, name, namelen))
			return d;
	return NULL;
}

static void dentry_set(struct model *m, uint64_t parent, const char *name, struct m_inode *ino)
{
	size_t len = strlen(name);
	struct m_dentry *d = dentry_find(m, parent, name, len);

	if (!d) {
		d = calloc(1, sizeof(*d));
		if (!d)
			return; /* a missing dentry only costs a LOOKUP later */
		d->parent = parent;
		d->namelen = len;
		memcpy(d->name, name, len);
		d->next = m->dentries;
		m->dentries = d;
	}
	d->ino = ino;
}

static void dentry_drop_if(struct model *m, bool (*match)(const struct m_dentry *, const void *),
			   const void *arg)
{
	for (struct m_dentry **pp = &m->dentries; *pp;) {
		struct m_dentry *d = *pp;

		if (match(d, arg)) {
			*pp = d->next;
			free(d);
		} else {
			pp = &d->next;
		}
	}
}

static bool dentry_is(const struct m_dentry *d, const void *arg)
{
	return d == arg;
}

static bool dentry_names(const struct m_dentry *d, const void *arg)
{
	return d->ino == arg;
}

static bool dentry_under(const struct m_dentry *d, const void *arg)
{
	return d->parent == ((const struct m_inode *)arg)->nodeid;
}

/*
 * The inode leaves the icache: names pointing at it go, and so do the names
 * of its children, which hang off its nodeid here (off its dentry in the
 * kernel): a later object with the same nodeid must not inherit them.
 */
static void dentries_forget(struct model *m, struct m_inode *ino)
{
	dentry_drop_if(m, dentry_names, ino);
	if (S_ISDIR(ino->mode))
		dentry_drop_if(m, dentry_under, ino);
}

/* ---- requests ------------------------------------------------------------------------------ */

static void req_free(struct m_req *r)
{
	if (r) {
		free(r->msg);
		free(r);
	}
}

static struct m_req *req_new(struct model *m, enum rq_kind kind, uint32_t opcode, uint64_t nodeid,
			     const void *arg, size_t arglen, const char *name, bool creds)
{
	size_t namelen = name ? strlen(name) + 1 : 0;
	struct fuse_in_header h = {0};
	struct m_req *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->len = sizeof(h) + arglen + namelen;
	r->msg = malloc(r->len);
	if (!r->msg) {
		free(r);
		return NULL;
	}
	m->unique += UNIQUE_STEP;
	r->unique = m->unique;
	r->kind = kind;
	r->noreply = kind == RQ_FORGET || kind == RQ_NOTIFY_REPLY; /* no reply, ever */
	h.len = (uint32_t)r->len;
	h.opcode = opcode;
	h.unique = r->unique;
	h.nodeid = nodeid;
	if (creds) { /* FORGET and INIT carry no caller (fuse_read_single_forget, nocreds) */
		h.uid = (uint32_t)getuid();
		h.gid = (uint32_t)getgid();
		h.pid = (uint32_t)getpid();
	}
	memcpy(r->msg, &h, sizeof(h));
	if (arglen)
		memcpy(r->msg + sizeof(h), arg, arglen);
	if (namelen)
		memcpy(r->msg + sizeof(h) + arglen, name, namelen);
	m->stats.requests_sent[kind == RQ_FSNOTIFY ? 63 : (opcode < 63 ? opcode : 63)]++;
	if (kind == RQ_FSNOTIFY)
		m->stats.fsnotify_requests++;
	return r;
}

static void enqueue(struct model *m, struct m_req *r, bool waiter)
{
	r->waiter = waiter;
	if (m->qtail)
		m->qtail->next = r;
	else
		m->qhead = r;
	m->qtail = r;
	r->next = NULL;
	pthread_cond_broadcast(&m->cond);
}

static void process_init_reply(struct model *m, int err, const void *out, size_t outlen);

/* fuse_request_end(): hand the result to the waiter, or drop it. */
static void complete(struct model *m, struct m_req *r, int err, const void *out, size_t outlen)
{
	if (r->kind == RQ_INIT)
		process_init_reply(m, err, out, outlen);
	/* "-ENOSYS ... is also how a kernel learns to stop sending it" (fsn-1.md 1) */
	if (r->kind == RQ_FSNOTIFY && err == ENOSYS && m->row->enosys_stops)
		m->no_fsnotify = true;
	if (!r->waiter) {
		req_free(r);
		return;
	}
	r->error = err;
	r->outlen = outlen < sizeof(r->out) ? outlen : sizeof(r->out);
	if (r->outlen)
		memcpy(r->out, out, r->outlen);
	r->done = true;
	pthread_cond_broadcast(&m->cond);
}

static struct m_req *processing_find(struct model *m, uint64_t unique, bool take)
{
	for (struct m_req **pp = &m->processing; *pp; pp = &(*pp)->next) {
		struct m_req *r = *pp;

		if (r->unique != unique)
			continue;
		if (take) {
			*pp = r->next;
			r->next = NULL;
		}
		return r;
	}
	return NULL;
}

/*
 * Wait for the reply up to the model's deadline.  On ETIMEDOUT the request
 * stays where it is: the server may still read it, and a late reply is
 * accepted and ignored (complete() frees it).
 */
static int wait_reply(struct model *m, struct m_req *r, void *out, size_t cap, size_t *outlen)
{
	struct timespec dl;
	int err;

	if (m->serve && !r->done)
		model_serve_queued(m);
	if (m->serve && !r->done) {
		r->waiter = false; /* the server holds it: nothing else will answer */
		return ETIMEDOUT;
	}
	dl = clk_deadline(m->timeout_ms);
	while (!r->done) {
		if (!wait_until(m, &dl) && !r->done) {
			r->waiter = false;
			return ETIMEDOUT;
		}
	}
	err = r->error;
	if (out) {
		size_t n = r->outlen < cap ? r->outlen : cap;

		memset(out, 0, cap);
		memcpy(out, r->out, n);
		if (outlen)
			*outlen = r->outlen;
	}
	req_free(r);
	return err;
}

/* Set while this thread is inside the model's transport write(). */
static _Thread_local bool in_transport_write;

/*
 * A notification written by the thread that reads requests (a single-
 * threaded server) cannot wait for a request it would have to read itself:
 * from there, requests go out in the background.  Client operations always
 * wait: they stand for system calls, which block on the server.
 */
static bool may_wait(const struct model *m)
{
	if (m->serve)
		return !m->serving;
	return !(in_transport_write && m->reader_known && pthread_equal(m->reader, pthread_self()));
}

/* Send and, if allowed, wait.  ENOTCONN once the connection is gone. */
static int send_request(struct model *m, struct m_req *r, bool wait, void *out, size_t cap,
			size_t *outlen)
{
	if (!r)
		return ENOMEM;
	if (m->aborted) {
		req_free(r);
		return ENOTCONN;
	}
	wait = wait && may_wait(m) && !r->noreply;
	enqueue(m, r, wait);
	return wait ? wait_reply(m, r, out, cap, outlen) : 0;
}

/*
 * fuse_wait_on_init: requests wait for the INIT reply.  ENOTCONN after an
 * abort, ECONNABORTED when the abort came while waiting, ECONNREFUSED when
 * INIT failed, ETIMEDOUT at the deadline.
 */
static int wait_init(struct model *m)
{
	struct timespec dl;

	if (m->aborted)
		return ENOTCONN;
	if (m->serve && !m->init_done)
		model_serve_queued(m);
	if (m->serve && !m->init_done)
		return m->aborted ? ECONNABORTED : ETIMEDOUT;
	dl = clk_deadline(m->timeout_ms);
	while (!m->init_done && !m->aborted)
		if (!wait_until(m, &dl) && !m->init_done)
			return m->aborted ? ECONNABORTED : ETIMEDOUT;
	if (m->aborted)
		return ECONNABORTED;
	return m->conn_error ? ECONNREFUSED : 0;
}

static void send_forget(struct model *m, struct m_inode *ino)
{
	struct fuse_forget_in fi = { .nlookup = (uint64_t)ino->nlookup };

	if (ino->nlookup <= 0 || m->aborted)
		return;
	send_request(m, req_new(m, RQ_FORGET, FUSE_FORGET, ino->nodeid, &fi, sizeof(fi), NULL, false),
		     false, NULL, 0, NULL);
	ino->nlookup = 0;
}

/* ---- the notification queues ---------------------------------------------------------------- */

static struct m_group *group_get(const struct model *m, int id, bool fan)
{
	if (id < 0 || (size_t)id >= m->ngroups)
		return NULL;
	if (!m->groups[id]->open || m->groups[id]->fan != fan)
		return NULL;
	return m->groups[id];
}

static bool q_reserve(struct ino_event **q, size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 16;
	struct ino_event *nq;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	nq = realloc(*q, ncap * sizeof(**q));
	if (!nq)
		return false;
	*q = nq;
	*cap = ncap;
	return true;
}

/* inotify_merge(): the same mask, wd and name as the last event (cookie not compared). */
static bool merges(const struct ino_event *last, const struct ino_event *ev)
{
	if (last->mask & IN_IGNORED)
		return false;
	return last->mask == ev->mask && last->wd == ev->wd && !strcmp(last->name, ev->name);
}

static void q_append(struct m_group *g, const struct ino_event *ev)
{
	if (q_reserve(&g->q, &g->qcap, g->qlen + 1))
		g->q[g->qlen++] = *ev;
}

/*
 * The group's one overflow event (fsnotify_insert_event): queued once, past
 * the bound, and not again while it is in the queue.
 */
static bool queue_overflow(struct model *m, struct m_group *g)
{
	struct ino_event ov = { .wd = -1, .mask = IN_Q_OVERFLOW };

	if (g->overflow_queued && !mut(m, MUT_OVERFLOW_NOT_COALESCED))
		return false;
	q_append(g, &ov);
	g->overflow_queued = true;
	m->stats.overflows++;
	return true;
}

enum queued { Q_QUEUED, Q_MERGED, Q_DROPPED };

/*
 * An IN_IGNORED lost to the bound: fsnotify_insert_event() drops it like any
 * event, and when the group's overflow event is already queued (a remote
 * overflow ahead of the watch's last events, say) nothing takes its place.
 * Remembered so that model_check_invariants() can tell this from an
 * IN_IGNORED the model forgot.
 */
static void ignored_lost_add(struct m_group *g, int wd)
{
	if (g->nignored_lost == g->ignored_lost_cap) {
		size_t cap = g->ignored_lost_cap ? 2 * g->ignored_lost_cap : 8;
		int *v = realloc(g->ignored_lost, cap * sizeof(*v));

		if (!v)
			return; /* the invariant check then reports the event: a failure, not a miss */
		g->ignored_lost = v;
		g->ignored_lost_cap = cap;
	}
	g->ignored_lost[g->nignored_lost++] = wd;
}

static enum queued queue_event(struct model *m, struct m_group *g, int wd, uint32_t mask,
			       uint32_t cookie, const char *name)
{
	struct ino_event ev = { .wd = wd, .mask = mask, .cookie = cookie };
	size_t len = name ? strnlen(name, INO_NAME_MAX) : 0;

	memcpy(ev.name, name ? name : "", len);
	ev.name[len] = 0;
	/* the read(2) record pads the name to a multiple of sizeof(struct inotify_event) */
	ev.len_field = len ? (uint32_t)((len + 1 + INO_EVENT_HDR_LEN - 1) / INO_EVENT_HDR_LEN *
					INO_EVENT_HDR_LEN)
			   : 0;
	/* the bound is checked before the merge, as in fsnotify_insert_event() */
	if (g->qlen >= m->max_events) {
		queue_overflow(m, g);
		if (mask & IN_IGNORED)
			ignored_lost_add(g, wd);
		return Q_DROPPED;
	}
	if (g->qlen && merges(&g->q[g->qlen - 1], &ev))
		return Q_MERGED;
	q_append(g, &ev);
	return Q_QUEUED;
}

/* ---- delivery ------------------------------------------------------------------------------- */

/* Where an event comes from, for the stats and the identity record. */
struct origin {
	bool remote;
	bool has_generation;
	uint64_t generation; /* the object's generation as the notification named it */
};

/*
 * What a watch hears: its events, plus what every inotify mark carries
 * (inotify_arg_to_mask(): FS_IN_IGNORED | FS_UNMOUNT).
 */
static uint32_t interest(const struct m_watch *w)
{
	return (w->mask & IN_ALL_EVENTS) | IN_IGNORED | IN_UNMOUNT;
}

static void record_identity(struct model *m, const struct origin *o, const struct m_inode *ino,
			    const struct m_watch *w)
{
	if (!o->has_generation) {
		m->remote_without_generation++;
		return;
	}
	if (gen_equal(m->p, o->generation, ino->generation))
		return;
	if (!m->misattributed++)
		snprintf(m->misattributed_why, sizeof(m->misattributed_why),
			 "an event for (%" PRIu64 ", %" PRIu64 ") reached wd %d on (%" PRIu64
			 ", %" PRIu64 ")",
			 ino->nodeid, o->generation, w->wd, ino->nodeid, ino->generation);
}

/* Remove a watch; IN_IGNORED unless its instance is being closed. */
static void watch_detach(struct model *m, struct m_watch *w, bool ignored, struct changes *ch)
{
	for (struct m_watch **pp = &m->watches; *pp; pp = &(*pp)->next) {
		if (*pp != w)
			continue;
		*pp = w->next;
		if (ignored)
			queue_event(m, w->g, w->wd, IN_IGNORED, 0, NULL);
		changes_add(ch, w->ino, w->mask, w->g->id);
		free(w);
		return;
	}
}

/*
 * fsnotify() on one model inode: every watch interested gets the event
 * (IN_ISDIR never rides on a *_SELF event: inotify masks it out).  An
 * IN_ONESHOT watch goes right after its event; its detach is added to ch.
 */
static void deliver(struct model *m, struct m_inode *ino, uint32_t mask, const char *name,
		    uint32_t cookie, const struct origin *o, struct changes *ch)
{
	uint32_t emask = mask & (IN_MOVE_SELF | IN_DELETE_SELF) ? mask & ~IN_ISDIR : mask;

	if (!ino)
		return;
	for (struct m_watch *w = m->watches, *next; w; w = next) {
		next = w->next;
		if (w->ino != ino || !(mask & interest(w)))
			continue;
		if (queue_event(m, w->g, w->wd, emask, cookie, name) == Q_QUEUED) {
			if (o->remote)
				m->stats.events_remote++;
			else
				m->stats.events_local++;
		}
		if (o->remote)
			record_identity(m, o, ino, w);
		/* inotify_handle_inode_event(): destroyed whether queued, merged or dropped */
		if ((w->mask & IN_ONESHOT) && !mut(m, MUT_ONESHOT_KEEPS_WATCH))
			watch_detach(m, w, true, ch);
	}
}

/* ---- detach: the requests that follow a mark change ----------------------------------------- */

static uint64_t group_pointer(int id)
{
	return FAKE_GROUP_BASE + (uint64_t)id * FAKE_GROUP_STRIDE;
}

/*
 * The inode's resulting mask over every mark (fsn-1 section 7): the events
 * of the inotify watches with inotify's flags resolved away, "watch the
 * children" for a directory (inotify_arg_to_mask() sets FS_EVENT_ON_CHILD
 * on every directory mark), FS_RENAME for fanotify FAN_RENAME marks.
 */
static uint64_t aggregate(const struct model *m, const struct m_inode *ino)
{
	uint64_t agg = 0;
	bool inotify = false;

	for (const struct m_watch *w = m->watches; w; w = w->next) {
		if (w->ino == ino) {
			agg |= w->mask & IN_ALL_EVENTS;
			inotify = true;
		}
	}
	if (inotify && S_ISDIR(ino->mode))
		agg |= FSN_FS_EVENT_ON_CHILD;
	for (const struct m_mark *k = m->marks; k; k = k->next)
		if (k->ino == ino)
			agg |= k->mask & FSN_FS_RENAME;
	return agg & m->p->request_allowed_mask;
}

/*
 * The local event bits the kernel drops on FUSE inodes while the extension
 * is on, so a change is never reported twice (locally and by the server):
 * the RFC dropped every local event, fsn-1 drops the change class, which
 * the server reports (fsn-1.md section 8).  The mutant forgets to.
 */
static uint32_t local_suppressed(const struct model *m)
{
	if (!m->ext_on || mut(m, MUT_LOCAL_AND_REMOTE))
		return 0;
	return m->p->local_suppressed_mask;
}

/* fsnotify() for a change made through the mount, minus what the server reports. */
static void deliver_local(struct model *m, struct m_inode *ino, uint32_t mask, const char *name,
			  struct changes *ch)
{
	uint32_t left = mask & ~local_suppressed(m);

	if (left & IN_ALL_EVENTS)
		deliver(m, ino, left, name, 0, &(struct origin){0}, ch);
}

/* Whether FSNOTIFY requests go out; on a dead connection they fail with ENOTCONN. */
static bool requests_on(const struct model *m)
{
	return m->ext_on && !m->no_fsnotify;
}

static int send_fsnotify(struct model *m, struct m_inode *ino, uint64_t mask, uint64_t group,
			 uint32_t action, bool wait)
{
	struct fsn_request rq = {
		.nodeid = ino->nodeid,
		.generation = ino->generation,
		.has_generation = m->p->request_wire == FSN_REQUEST_WIRE_FSN1,
		.mask = mask,
		.group = group,
		.action = action,
	};
	uint8_t pl[64];
	size_t n = fsn_encode_request(m->p, &rq, pl, sizeof(pl));

	if (!n)
		return EINVAL;
	return send_request(m, req_new(m, RQ_FSNOTIFY, m->p->fsnotify_opcode, ino->nodeid, pl, n,
				       NULL, true),
			    wait, NULL, 0, NULL);
}

/*
 * fsn-1: one "set" request when the inode's resulting mask differs from what
 * the server holds.  The server's state follows only a success or a timeout
 * (the request may have been applied); after a refusal it is unknown, and
 * the next change sends again.
 */
static int sync_aggregate(struct model *m, struct m_inode *ino, uint64_t wire_mask_override,
			  bool override, bool wait)
{
	uint64_t agg = aggregate(m, ino);
	int err;

	if (agg == ino->remote_mask)
		return 0;
	err = send_fsnotify(m, ino, override ? wire_mask_override : agg, 0, FSN_ACTION_ADD, wait);
	if (err == ENOSYS && m->row->enosys_stops)
		err = 0;
	if (!err || err == ETIMEDOUT)
		ino->remote_mask = agg;
	return err;
}

static bool seen_before(const struct changes *c, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (c->v[j].ino == c->v[i].ino)
			return true;
	return false;
}

/*
 * A bad inode that nothing pins any more is evicted: FORGET with the lookup
 * count it still holds (fuse_evict_inode() sends it by nodeid, which the
 * server may have reused already).
 */
static void release_if_bad(struct model *m, struct m_inode *ino)
{
	if (ino->state != INO_BAD || pinned(m, ino))
		return;
	send_forget(m, ino);
	ino->state = INO_GONE;
}

/*
 * After marks went away: rfc-2021/gen-2021 send one "remove" per mark (per
 * group, with the mark's raw mask), fsn-1 one "set" per inode whose
 * resulting mask changed.  A removal cannot fail, so replies are not
 * reported; they are awaited (with the deadline) so the order against a
 * following FORGET holds.
 */
static void flush_changes(struct model *m, struct changes *c, bool requests)
{
	bool wait = may_wait(m);

	for (size_t i = 0; requests && i < c->n; i++) {
		if (!requests_on(m))
			break;
		if (m->p->request == FSN_REQUEST_AGGREGATED_MASK) {
			if (!seen_before(c, i))
				sync_aggregate(m, c->v[i].ino, 0, false, wait);
		} else {
			send_fsnotify(m, c->v[i].ino, c->v[i].raw_mask, group_pointer(c->v[i].group_id),
				      FSN_ACTION_REMOVE, wait);
		}
	}
	for (size_t i = 0; i < c->n; i++)
		if (!seen_before(c, i))
			release_if_bad(m, c->v[i].ino);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* Every watch and mark on ino goes (eviction, unlink): IN_IGNORED each. */
static void detach_all(struct model *m, struct m_inode *ino, struct changes *ch)
{
	for (struct m_watch *w = m->watches, *next; w; w = next) {
		next = w->next;
		if (w->ino == ino)
			watch_detach(m, w, true, ch);
	}
	for (struct m_mark **pp = &m->marks; *pp;) {
		struct m_mark *k = *pp;

		if (k->ino == ino) {
			*pp = k->next;
			changes_add(ch, ino, 0, k->g->id);
			free(k);
		} else {
			pp = &k->next;
		}
	}
}

/*
 * Eviction of a cached inode: marks first (IN_IGNORED, the requests), then
 * FORGET, so the mask-0 request always precedes the FORGET that lets the
 * server reuse the nodeid (fsn-1.md section 7).
 */
static void evict(struct model *m, struct m_inode *ino, bool requests)
{
	struct changes ch = {0};

	detach_all(m, ino, &ch);
	flush_changes(m, &ch, requests);
	if (ino->state != INO_CACHED)
		return; /* someone else evicted it while we waited */
	dentries_forget(m, ino);
	send_forget(m, ino);
	ino->state = INO_GONE;
}

/*
 * The child of a successful unlink (or a DELETE notification): nlink 0,
 * so fsnotify_inoderemove(): IN_DELETE_SELF, every mark destroyed
 * (IN_IGNORED), then the eviction's FORGET.  IN_DELETE_SELF is not subject
 * to local suppression (model.h: "the child's watches get IN_DELETE_SELF
 * then IN_IGNORED"): the marks die with it, so a remote IN_DELETE_SELF
 * from the server would find no watch left to deliver to.
 */
static void deleted(struct model *m, struct m_inode *ino)
{
	struct origin local = {0};
	struct changes ch = {0};

	deliver(m, ino, IN_DELETE_SELF, NULL, 0, &local, &ch);
	flush_changes(m, &ch, true);
	/*
	 * fsn-1: the FORGET that follows tells the server, and no request
	 * comes for an object without a link left (fuse_fsnotify_send() skips
	 * it; seen on the fsn-1 kernel of kernel/).  The RFC's mark code sends
	 * its "remove" from every detach.
	 */
	evict(m, ino, m->p->request != FSN_REQUEST_AGGREGATED_MASK);
}

/* ---- the extension's notifications ---------------------------------------------------------- */

/* inotify strcpy()s the name: up to the first NUL, what the message holds, NAME_MAX. */
static void name_copy(const struct fsn_name *n, char *out)
{
	uint32_t len = fsn_name_present(n);

	if (len > INO_NAME_MAX)
		len = INO_NAME_MAX;
	if (len)
		memcpy(out, n->name, len);
	out[len] = 0;
}

/*
 * The per-object verdict (fsn_identity_verdict) with the two identity
 * mutants: comparing nothing but the nodeid, or ignoring ESTALE.
 */
static int identity(const struct model *m, const struct m_inode *ino, uint64_t generation)
{
	uint64_t cached_gen = ino ? ino->generation : 0;
	int err;

	if (mut(m, MUT_IGNORE_GENERATION))
		generation = cached_gen;
	err = fsn_identity_verdict(m->p, ino != NULL, cached_gen, generation);
	if (err && err == m->p->err_stale_generation && mut(m, MUT_STALE_DELIVERED))
		err = 0;
	return err;
}

static int model_ext_event(struct model *m, const struct fsn_notify *n, struct changes *ch)
{
	struct m_inode *ino = cache_find(m, n->nodeid);
	struct origin o = { true, n->has_generation, n->generation };
	char name[INO_NAME_MAX + 1];
	int err = identity(m, ino, n->generation);

	/* a given child cached with another generation is ESTALE; uncached is fine */
	if (!err && n->child.nodeid) {
		struct m_inode *child = cache_find(m, n->child.nodeid);

		if (child)
			err = identity(m, child, n->child.generation);
	}
	if (err)
		return err;
	name_copy(&n->name, name);
	deliver(m, ino, n->mask32, name, n->cookie, &o, ch);
	return 0;
}

static void fan_record(struct fan_info_rec *r, int type, const struct m_inode *dir,
		       const char *name)
{
	uint32_t w[3] = { (uint32_t)(dir->nodeid >> 32), (uint32_t)dir->nodeid,
			  (uint32_t)dir->generation };
	size_t nl = strnlen(name, FAN_NAME_MAX);

	memset(r, 0, sizeof(*r));
	r->type = type;
	r->handle_type = FUSE_FH_TYPE_INO64_GEN; /* fuse_encode_fh(), FUSE reports fsid 0:0 */
	r->handle_bytes = sizeof(w);
	memcpy(r->handle, w, sizeof(w));
	memcpy(r->name, name, nl);
	r->len = (uint16_t)((FAN_DFID_FIXED + nl + 1 + 3) & ~3u); /* FANOTIFY_EVENT_ALIGN */
}

/* Append to a fanotify group's queue; false when memory ran out (the event is lost). */
static bool fq_append(struct m_group *g, const struct fan_event *ev)
{
	if (g->fqlen == g->fqcap) {
		size_t cap = g->fqcap ? g->fqcap * 2 : 8;
		struct fan_event *q = realloc(g->fq, cap * sizeof(*q));

		if (!q)
			return false;
		g->fq = q;
		g->fqcap = cap;
	}
	g->fq[g->fqlen++] = *ev;
	return true;
}

/* Does the group mark dir for FAN_RENAME of this object (FAN_ONDIR for a directory)? */
static bool fan_marks(const struct model *m, const struct m_group *g, const struct m_inode *dir,
		      bool isdir)
{
	for (const struct m_mark *k = m->marks; k; k = k->next)
		if (k->g == g && dir && k->ino == dir && (k->mask & FSN_FS_RENAME) &&
		    (!isdir || (k->mask & FAN_ONDIR)))
			return true;
	return false;
}

/*
 * FAN_RENAME, one event per group: the OLD_DFID_NAME record when the group
 * marks the source parent, NEW_DFID_NAME when it marks the destination
 * (fanotify_alloc_event() reports a side only for its inode mark, as 6.18
 * was seen to do in cases/rename.c).
 */
static void fan_rename(struct model *m, const struct m_inode *sp, const struct m_inode *dp,
		       const char *src, const char *dst, bool isdir)
{
	for (size_t i = 0; i < m->ngroups; i++) {
		struct m_group *g = m->groups[i];
		bool old, new;
		struct fan_event ev = { .mask = FAN_RENAME | (isdir ? FAN_ONDIR : 0), .fd = FAN_NOFD };

		if (!g->open || !g->fan)
			continue;
		old = fan_marks(m, g, sp, isdir);
		new = fan_marks(m, g, dp, isdir);
		if (!old && !new)
			continue;
		if (g->fqlen >= m->max_events)
			continue; /* FAN_Q_OVERFLOW is not part of model_fan_read()'s contract */
		if (old)
			fan_record(&ev.rec[ev.nrec++], FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, sp, src);
		if (new)
			fan_record(&ev.rec[ev.nrec++], FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, dp, dst);
		ev.event_len = FAN_EVENT_METADATA_LEN;
		for (size_t r = 0; r < ev.nrec; r++)
			ev.event_len += ev.rec[r].len;
		if (fq_append(g, &ev))
			m->stats.events_remote++;
	}
}

/* The kernel's cookie (fsnotify_get_cookie), never 0: inotify(7) readers pair by it. */
static uint32_t next_cookie(struct model *m)
{
	uint32_t c = m->cookie + 1;

	if (c == 0)
		c = 1;
	if (!mut(m, MUT_PAIR_COOKIE_ACROSS_RENAMES))
		m->cookie = c;
	return c;
}

/*
 * RENAME (fsn-1 section 3): any given object cached with another
 * generation is ESTALE; neither parent cached is ENOENT; otherwise the
 * record goes to what is cached, as one fsnotify_move(): FAN_RENAME,
 * IN_MOVED_FROM and IN_MOVED_TO with one kernel cookie, IN_MOVE_SELF.
 */
static int ext_rename(struct model *m, const struct fsn_notify *n, struct changes *ch)
{
	struct m_inode *sp = cache_find(m, n->src_parent.nodeid);
	struct m_inode *dp = cache_find(m, n->dst_parent.nodeid);
	struct m_inode *child = n->child.nodeid ? cache_find(m, n->child.nodeid) : NULL;
	char src[INO_NAME_MAX + 1], dst[INO_NAME_MAX + 1];
	uint32_t isdir = n->mask32 & IN_ISDIR, cookie;
	int err = 0;

	if (!sp && !dp)
		return m->p->err_unknown_nodeid;
	if (sp)
		err = identity(m, sp, n->src_parent.generation);
	if (!err && dp)
		err = identity(m, dp, n->dst_parent.generation);
	if (!err && child)
		err = identity(m, child, n->child.generation);
	if (err)
		return err;
	name_copy(&n->src_name, src);
	name_copy(&n->dst_name, dst);
	cookie = next_cookie(m);
	/*
	 * FAN_RENAME names both directories: with one of them not cached there
	 * is no FAN_RENAME at all (docs/fsn-1.md section 13; the reference
	 * kernel's fuse_fsnotify_rename() reports it only "if (src && dst)").
	 * Found by ext/kdiff, where the model reported the cached side alone.
	 */
	if (sp && dp)
		fan_rename(m, sp, dp, src, dst, isdir != 0);
	deliver(m, sp, IN_MOVED_FROM | isdir, src, cookie,
		&(struct origin){ true, true, n->src_parent.generation }, ch);
	deliver(m, dp, IN_MOVED_TO | isdir, dst, cookie,
		&(struct origin){ true, true, n->dst_parent.generation }, ch);
	deliver(m, child, IN_MOVE_SELF, NULL, 0,
		&(struct origin){ true, true, n->child.generation }, ch);
	return 0;
}

/*
 * A fanotify group's overflow event: FAN_Q_OVERFLOW, no fd, no record, one
 * pending at a time (fsnotify_add_event() queues group->overflow_event only
 * when it is not already on the list).
 */
static void fan_queue_overflow(struct model *m, struct m_group *g)
{
	struct fan_event ev = { .mask = FAN_Q_OVERFLOW, .fd = FAN_NOFD,
				.event_len = FAN_EVENT_METADATA_LEN };

	for (size_t i = 0; i < g->fqlen; i++)
		if (g->fq[i].mask & FAN_Q_OVERFLOW)
			return;
	if (fq_append(g, &ev))
		m->stats.overflows++;
}

/*
 * The server lost events: every group with a mark on an inode of the
 * connection gets its overflow event, inotify and fanotify alike
 * (fsnotify_remote_overflow() walks the sb's inodes and their marks; seen
 * on the fsn-1 kernel by ext/kdiff, where a FAN_RENAME group got
 * FAN_Q_OVERFLOW).
 */
static int ext_overflow(struct model *m)
{
	for (size_t i = 0; i < m->ngroups; i++) {
		struct m_group *g = m->groups[i];
		bool marked = false;

		if (!g->open)
			continue;
		for (const struct m_watch *w = m->watches; w && !marked; w = w->next)
			marked = w->g == g && w->ino->state == INO_CACHED;
		for (const struct m_mark *k = m->marks; k && !marked; k = k->next)
			marked = k->g == g && k->ino && k->ino->state == INO_CACHED;
		if (!marked)
			continue;
		if (g->fan)
			fan_queue_overflow(m, g);
		else
			queue_overflow(m, g);
	}
	return 0;
}

static void count_verdict(struct model *m, int err, uint32_t defects)
{
	if (err) {
		m->stats.notifications_rejected++;
	} else {
		m->stats.notifications_accepted++;
		m->stats.last_defects = defects;
	}
	m->stats.last_notify_errno = err;
}

static int ext_notify(struct model *m, const uint8_t *payload, size_t len)
{
	struct fsn_profile prof = *m->p;
	struct changes ch = {0};
	struct fsn_notify n;
	int err;

	if (mut(m, MUT_UNBOUNDED_NAMELEN))
		prof.rules &= ~(FSN_RULE_NAMELEN_BOUND_BY_MSG | FSN_RULE_NAMELEN_BOUND_NAME_MAX);
	if (mut(m, MUT_ACCEPT_RESERVED))
		prof.rules &= ~FSN_RULE_RESERVED_ZERO;
	err = fsn_decode_notify(&prof, payload, len, &n);
	if (!err) {
		switch (n.kind) {
		case FSN_REC_EVENT:
			err = model_ext_event(m, &n, &ch);
			break;
		case FSN_REC_RENAME:
			err = m->p->rename == FSN_RENAME_ONE_RECORD ? ext_rename(m, &n, &ch) : EINVAL;
			break;
		case FSN_REC_OVERFLOW:
			err = m->p->has_overflow ? ext_overflow(m) : EINVAL;
			break;
		}
	}
	count_verdict(m, err, err ? 0 : n.defects);
	flush_changes(m, &ch, true);
	/* virtio_fs_handle_notify() ignores the result: the server never learns */
	if (m->p->behaviour & FSN_BEHAV_NOTIFY_ERRNO_DISCARDED)
		return 0;
	return err;
}

/* ---- mainline notifications and replies: notify_rules.h with the model as oracle ------------ */

static int or_have_nodeid(void *ctx, uint64_t nodeid)
{
	return cache_find(ctx, nodeid) != NULL;
}

static uint32_t or_node_type(void *ctx, uint64_t nodeid)
{
	struct m_inode *i = cache_find(ctx, nodeid);

	return i ? i->mode & S_IFMT : 0;
}

static int or_have_entry(void *ctx, uint64_t parent, const char *name, size_t namelen,
			 uint64_t *child)
{
	struct m_dentry *d = dentry_find(ctx, parent, name, namelen);

	if (!d || !d->ino)
		return NR_ENTRY_NONE;
	*child = d->ino->nodeid;
	return NR_ENTRY_POSITIVE;
}

static unsigned or_have_unique(void *ctx, uint64_t unique)
{
	return processing_find(ctx, unique, false) ? NR_REQ_PENDING : 0;
}

/* fuse_copy_out_args(): the reply must fit the out args exactly, or be shorter if argvar. */
static int or_reply_size(void *ctx, uint64_t unique, size_t payload_len)
{
	struct m_req *r = processing_find(ctx, unique, false);

	if (!r)
		return 0;
	if (payload_len > r->out_size || (payload_len < r->out_size && !r->out_argvar))
		return EINVAL;
	return 0;
}

static void oracle(struct model *m, struct nr_state *s)
{
	memset(s, 0, sizeof(*s));
	s->ctx = m;
	s->have_nodeid = or_have_nodeid;
	s->node_type = or_node_type;
	s->have_entry = or_have_entry;
	s->have_unique = or_have_unique;
	s->reply_size = or_reply_size;
	s->before_init = !m->init_done;
}

static void effect_prune(struct model *m, const uint8_t *arg, size_t size)
{
	struct fuse_notify_prune_out po;

	if (size < sizeof(po))
		return;
	memcpy(&po, arg, sizeof(po));
	for (size_t i = 0; i < po.count && sizeof(po) + (i + 1) * sizeof(uint64_t) <= size; i++) {
		uint64_t nodeid;
		struct m_inode *ino;

		memcpy(&nodeid, arg + sizeof(po) + i * sizeof(uint64_t), sizeof(nodeid));
		ino = cache_find(m, nodeid);
		/* fuse_try_prune_one_inode(): only inodes nothing uses */
		if (ino && nodeid != FUSE_ROOT_ID && !pinned(m, ino))
			evict(m, ino, true);
	}
}

static void effect_notify_reply(struct model *m, const uint8_t *arg, size_t size)
{
	struct fuse_notify_retrieve_out ro;
	struct fuse_notify_retrieve_in ri = {0};
	struct m_req *r;

	if (size < sizeof(ro))
		return;
	memcpy(&ro, arg, sizeof(ro));
	ri.offset = ro.offset; /* no page cache: nothing to send back, size 0 */
	r = req_new(m, RQ_NOTIFY_REPLY, FUSE_NOTIFY_REPLY, ro.nodeid, &ri, sizeof(ri), NULL, false);
	if (!r)
		return;
	/* fuse_retrieve(): the reply request carries the server's notify_unique */
	r->unique = ro.notify_unique;
	memcpy(r->msg + offsetof(struct fuse_in_header, unique), &ro.notify_unique,
	       sizeof(ro.notify_unique));
	r->noreply = true;
	send_request(m, r, false, NULL, 0, NULL);
}

/* The dentry a DELETE or INVAL_ENTRY names: (parent, namelen, name at off). */
static struct m_dentry *effect_dentry(struct model *m, const uint8_t *arg, size_t size,
				      size_t namelen_off, size_t name_off)
{
	uint64_t parent;
	uint32_t namelen;

	if (size < name_off)
		return NULL;
	memcpy(&parent, arg, sizeof(parent));
	memcpy(&namelen, arg + namelen_off, sizeof(namelen));
	if (namelen > FSN_NAME_MAX || name_off + namelen > size)
		return NULL;
	return dentry_find(m, parent, (const char *)arg + name_off, namelen);
}

/* Keep the model's caches in step with what fs/fuse did (nr_verdict.effects). */
static void apply_effects(struct model *m, int32_t code, unsigned eff, const uint8_t *arg,
			  size_t size)
{
	struct m_dentry *d = NULL;

	if (code == FUSE_NOTIFY_INVAL_ENTRY)
		d = effect_dentry(m, arg, size, offsetof(struct fuse_notify_inval_entry_out, namelen),
				  sizeof(struct fuse_notify_inval_entry_out));
	else if (code == FUSE_NOTIFY_DELETE)
		d = effect_dentry(m, arg, size, offsetof(struct fuse_notify_delete_out, namelen),
				  sizeof(struct fuse_notify_delete_out));
	if (d && (eff & NR_EFF_DENTRY_DELETED)) {
		struct m_inode *child = d->ino;

		dentry_drop_if(m, dentry_is, d);
		if (child && child->state == INO_CACHED)
			deleted(m, child);
	} else if (d && (eff & NR_EFF_DENTRY_UNHASHED)) {
		/* the inode stays in the icache (nlink > 0): only the name goes */
		dentry_drop_if(m, dentry_is, d);
	}
	if (eff & NR_EFF_PRUNE)
		effect_prune(m, arg, size);
	if (eff & NR_EFF_NOTIFY_REPLY)
		effect_notify_reply(m, arg, size);
}

static int mainline_notify(struct model *m, const uint8_t *msg, size_t len)
{
	struct nr_verdict v;
	struct nr_state s;
	struct fuse_out_header oh;

	memcpy(&oh, msg, sizeof(oh));
	oracle(m, &s);
	nr_predict_ex(&m->k, &s, msg, len, &v);
	/* some effects happen although the write fails (DELETE with a wrong child) */
	apply_effects(m, oh.error, v.effects, msg + sizeof(oh), len - sizeof(oh));
	count_verdict(m, v.err, 0);
	return v.err;
}

static int write_reply(struct model *m, const uint8_t *msg, size_t len)
{
	struct fuse_out_header oh;
	struct nr_verdict v;
	struct nr_state s;
	struct m_req *r;

	memcpy(&oh, msg, sizeof(oh));
	oracle(m, &s);
	nr_predict_ex(&m->k, &s, msg, len, &v);
	if (!(v.effects & NR_EFF_REQUEST_ENDED))
		return v.err;
	r = processing_find(m, oh.unique, true);
	/* a reply the kernel refuses still ends its request, with -EIO */
	if (r)
		complete(m, r, v.err ? EIO : -oh.error, msg + sizeof(oh), v.err ? 0 : len - sizeof(oh));
	return v.err;
}

/*
 * process_init_reply(): the extension is on only when the server sets the
 * profile's bit in the profile's word at a minor that has that word (flags2
 * counts only with FUSE_INIT_EXT, as in the kernel).
 */
static void process_init_reply(struct model *m, int err, const void *out, size_t outlen)
{
	struct fuse_init_out io = {0};
	uint32_t word, minor;

	if (outlen)
		memcpy(&io, out, outlen < sizeof(io) ? outlen : sizeof(io));
	m->init_done = true;
	if (err || io.major != FUSE_KERNEL_VERSION) {
		m->conn_error = true;
		pthread_cond_broadcast(&m->cond);
		return;
	}
	minor = io.minor < m->offered_minor ? io.minor : m->offered_minor;
	if (m->p->init_word == FSN_INIT_FLAGS)
		word = minor >= 6 ? io.flags : 0;
	else
		word = (io.flags & FUSE_INIT_EXT) ? io.flags2 : 0;
	m->ext_on = minor >= m->p->needs_minor && (word & m->p->init_bit);
	m->k.name_max = nr_name_max_from_init(&m->k, &io);
	pthread_cond_broadcast(&m->cond);
}

/* ---- the transport -------------------------------------------------------------------------- */

static struct m_req *dequeue(struct model *m)
{
	struct m_req *r = m->qhead;

	if (r) {
		m->qhead = r->next;
		if (!m->qhead)
			m->qtail = NULL;
		r->next = NULL;
	}
	return r;
}

static int tr_model_read(struct transport *t, void *buf, size_t cap, size_t *n)
{
	struct model *m = t->priv;
	struct m_req *r;

	enter(m);
	m->reader = pthread_self();
	m->reader_known = true;
	/* fuse_dev_do_read(): a buffer below FUSE_MIN_READ_BUFFER is refused */
	if (cap < FUSE_MIN_READ_BUFFER)
		return leave(m, m->aborted ? ENODEV : EINVAL);
	for (;;) {
		struct timespec slice = clk_deadline(1000);

		if (m->aborted)
			return leave(m, ENODEV);
		r = dequeue(m);
		if (!r && m->serve)
			return leave(m, EAGAIN); /* inline: the server reads what is queued, no more */
		if (!r) {
			wait_until(m, &slice); /* blocks like /dev/fuse, one bounded slice at a time */
			continue;
		}
		if (r->len > cap) {
			/* the request does not fit: it ends with -EIO, the read goes on */
			complete(m, r, EIO, NULL, 0);
			continue;
		}
		memcpy(buf, r->msg, r->len);
		*n = r->len;
		if (r->noreply) {
			req_free(r);
		} else {
			r->next = m->processing;
			m->processing = r;
		}
		return leave(m, 0);
	}
}

static int tr_model_write(struct transport *t, const void *msg, size_t len)
{
	struct model *m = t->priv;
	const uint8_t *b = msg;
	struct fuse_out_header oh;
	int err;

	/* fuse_dev_do_write(): the header checks come first, for every message */
	if (!msg || len < sizeof(oh))
		return EINVAL;
	memcpy(&oh, b, sizeof(oh));
	if (oh.len != len)
		return EINVAL;
	enter(m);
	in_transport_write = true;
	if (oh.unique != 0)
		err = write_reply(m, b, len);
	else if (m->ext_on && oh.error == m->p->notify_code)
		err = ext_notify(m, b + sizeof(oh), len - sizeof(oh));
	else
		err = mainline_notify(m, b, len);
	in_transport_write = false;
	return leave(m, err);
}

static void tr_model_abort(struct transport *t)
{
	model_abort(t->priv);
}

static void tr_model_serve_inline(struct transport *t, void (*serve)(void *arg), void *arg)
{
	model_serve_inline(t->priv, serve, arg);
}

static const struct transport_ops model_ops = {
	.name = "model",
	.read = tr_model_read,
	.write = tr_model_write,
	.abort = tr_model_abort,
	.serve_inline = tr_model_serve_inline,
};

/* ---- life cycle ----------------------------------------------------------------------------- */

static int send_init(struct model *m)
{
	struct fuse_init_in in = {
		.major = FUSE_KERNEL_VERSION,
		.minor = m->offered_minor,
		.max_readahead = OFFER_MAX_READAHEAD,
		.flags = OFFER_FLAGS,
		.flags2 = m->row->flags2,
	};
	struct m_req *r;

	if (m->p->init_word == FSN_INIT_FLAGS) {
		in.flags |= m->p->init_bit;
	} else {
		in.flags |= FUSE_INIT_EXT;
		in.flags2 |= m->p->init_bit;
	}
	r = req_new(m, RQ_INIT, FUSE_INIT, 0, &in, m->row->init_in_size, NULL, false);
	if (!r)
		return ENOMEM;
	r->out_size = sizeof(struct fuse_init_out);
	r->out_argvar = true;
	enqueue(m, r, false);
	return 0;
}

struct model *model_new(const struct model_opts *o)
{
	struct model *m;
	pthread_condattr_t ca;

	if (!o || !o->profile)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->p = o->profile;
	m->row = kernel_row(o->profile);
#ifdef FSNC_MUTATION
	m->mutant = (unsigned)o->mutant < MUT_COUNT ? o->mutant : MUT_NONE;
#endif
	m->max_events = o->max_queued_events ? o->max_queued_events : DEFAULT_MAX_EVENTS;
	m->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
	nr_kernel_preset(&m->k, m->row->preset);
	if (m->row->minor) {
		m->k.minor = m->row->minor;
		m->k.name = "7.36 (the RFC's base, remote fsnotify as posted)";
	}
	m->offered_minor = m->p->minor ? m->p->minor : FUSE_KERNEL_MINOR_VERSION;
	m->tr.ops = &model_ops;
	m->tr.fd = -1;
	m->tr.priv = m;
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cond, &ca);
	pthread_condattr_destroy(&ca);
	/* the root inode exists from mount on: nodeid 1, generation 0, never forgotten */
	if (!inode_new(m, FUSE_ROOT_ID, 0, S_IFDIR | 0755) || send_init(m)) {
		model_free(m);
		return NULL;
	}
	return m;
}

/* fuse_abort_conn(): every request ends with ECONNABORTED, readers get ENODEV. */
static void abort_locked(struct model *m)
{
	struct m_req *r;

	if (m->aborted)
		return;
	m->aborted = true;
	while ((r = dequeue(m)))
		complete(m, r, ECONNABORTED, NULL, 0);
	while ((r = m->processing)) {
		m->processing = r->next;
		complete(m, r, ECONNABORTED, NULL, 0);
	}
	pthread_cond_broadcast(&m->cond);
}

void model_abort(struct model *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	abort_locked(m);
	pthread_mutex_unlock(&m->lock);
}

static void free_all(struct model *m)
{
	while (m->inodes) {
		struct m_inode *i = m->inodes;

		m->inodes = i->next;
		free(i);
	}
	while (m->dentries) {
		struct m_dentry *d = m->dentries;

		m->dentries = d->next;
		free(d);
	}
	while (m->watches) {
		struct m_watch *w = m->watches;

		m->watches = w->next;
		free(w);
	}
	while (m->marks) {
		struct m_mark *k = m->marks;

		m->marks = k->next;
		free(k);
	}
	for (size_t i = 0; i < m->ngroups; i++) {
		free(m->groups[i]->q);
		free(m->groups[i]->fq);
		free(m->groups[i]->ignored_lost);
		free(m->groups[i]);
	}
	free(m->groups);
}

void model_free(struct model *m)
{
	struct timespec dl = clk_deadline(FREE_DRAIN_MS);

	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	abort_locked(m);
	/* the abort handed every request to its waiter or freed it; wait for the waiters */
	while (m->users > 0)
		if (!wait_until(m, &dl) && m->users > 0) {
			/* a caller is stuck inside: leaking beats a use-after-free */
			pthread_mutex_unlock(&m->lock);
			return;
		}
	pthread_mutex_unlock(&m->lock);
	free_all(m);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void model_serve_inline(struct model *m, void (*serve)(void *arg), void *arg)
{
	pthread_mutex_lock(&m->lock);
	m->serve = serve;
	m->serve_arg = arg;
	pthread_mutex_unlock(&m->lock);
}

struct transport *model_transport(struct model *m)
{
	return m ? &m->tr : NULL;
}

bool model_extension_on(const struct model *m)
{
	struct model *mm = (struct model *)m; /* the lock is not part of the value */
	bool on;

	pthread_mutex_lock(&mm->lock);
	on = mm->ext_on;
	pthread_mutex_unlock(&mm->lock);
	return on;
}

uint32_t model_offered_minor(const struct model *m)
{
	return m->offered_minor; /* set once in model_new() */
}

/* ---- the inode cache (client side) ---------------------------------------------------------- */

/*
 * fuse_iget() on a LOOKUP reply: the same identity counts one more lookup;
 * another generation or file type makes the old inode bad (its watches
 * stay, deaf) and a new one cached.
 */
static struct m_inode *iget(struct model *m, const struct fuse_entry_out *e)
{
	struct m_inode *old = cache_find(m, e->nodeid);
	int64_t count = mut(m, MUT_MISCOUNT_LOOKUP) ? 2 : 1;
	struct m_inode *ino;

	if (old && old->generation == e->generation &&
	    (old->mode & S_IFMT) == (e->attr.mode & S_IFMT)) {
		old->nlookup += count;
		return old;
	}
	ino = inode_new(m, e->nodeid, e->generation, e->attr.mode);
	if (!ino)
		return NULL;
	ino->nlookup = count;
	if (old) {
		old->state = INO_BAD; /* "nodeid was reused, any I/O on the old inode should fail" */
		if (S_ISDIR(old->mode))
			dentry_drop_if(m, dentry_under, old);
		release_if_bad(m, old);
	}
	return ino;
}

static int lookup_locked(struct model *m, uint64_t parent, const char *name, struct m_inode **out)
{
	struct fuse_entry_out e;
	struct m_inode *dir = cache_find(m, parent), *ino;
	size_t len = name ? strlen(name) : 0;
	int err;

	if (!dir)
		return ENOENT;
	if (!S_ISDIR(dir->mode))
		return ENOTDIR;
	if (!len)
		return ENOENT;
	if (len > FSN_NAME_MAX)
		return ENAMETOOLONG;
	struct m_req *r = req_new(m, RQ_LOOKUP, FUSE_LOOKUP, parent, NULL, 0, name, true);

	if (r)
		r->out_size = sizeof(e);
	err = send_request(m, r, true, &e, sizeof(e), NULL);
	if (err)
		return err;
	if (e.nodeid == 0)
		return ENOENT; /* a negative entry */
	/* fuse_lookup_name(): invalid attributes are EIO, and the lookup is never forgotten */
	if (!valid_type(e.attr.mode) || e.nodeid == FUSE_ROOT_ID)
		return EIO;
	ino = iget(m, &e);
	if (!ino)
		return ENOMEM;
	dentry_set(m, parent, name, ino);
	*out = ino;
	return 0;
}

int model_lookup(struct model *m, uint64_t parent, const char *name, uint64_t *nodeid,
		 uint64_t *generation)
{
	struct m_inode *ino = NULL;
	int err;

	enter(m);
	err = wait_init(m);
	if (!err)
		err = lookup_locked(m, parent, name, &ino);
	if (!err) {
		if (nodeid)
			*nodeid = ino->nodeid;
		if (generation)
			*generation = ino->generation;
	}
	return leave(m, err);
}

int model_cached(struct model *m, uint64_t nodeid, uint64_t *generation, int64_t *nlookup)
{
	struct m_inode *ino;

	enter(m);
	ino = cache_find(m, nodeid);
	if (ino && generation)
		*generation = ino->generation;
	if (ino && nlookup)
		*nlookup = ino->nlookup;
	return leave(m, ino != NULL);
}

int model_evict(struct model *m, uint64_t nodeid)
{
	struct m_inode *ino;

	enter(m);
	ino = cache_find(m, nodeid);
	if (!ino)
		return leave(m, ENOENT);
	if (nodeid == FUSE_ROOT_ID)
		return leave(m, EBUSY); /* the root goes only with the mount */
	/*
	 * A mark pins its inode: fsnotify holds a reference to it
	 * (FSNOTIFY_CONN_FLAG_HAS_IREF), so memory pressure cannot evict it
	 * (drop_caches on the fsn-1 kernel of kernel/ does not).
	 */
	if (pinned(m, ino))
		return leave(m, EBUSY);
	evict(m, ino, true);
	return leave(m, 0);
}

int model_unlink(struct model *m, uint64_t parent, const char *name)
{
	struct m_dentry *d;
	struct m_inode *child = NULL;
	struct changes ch = {0};
	int err;

	enter(m);
	err = wait_init(m);
	if (err)
		return leave(m, err);
	d = name ? dentry_find(m, parent, name, strlen(name)) : NULL;
	if (d && d->ino && d->ino->state == INO_CACHED)
		child = d->ino;
	else
		err = lookup_locked(m, parent, name, &child); /* the path walk */
	if (err)
		return leave(m, err);
	if (S_ISDIR(child->mode))
		return leave(m, EISDIR); /* unlink(2) of a directory never reaches the server */
	err = send_request(m, req_new(m, RQ_UNLINK, FUSE_UNLINK, parent, NULL, 0, name, true), true,
			   NULL, 0, NULL);
	if (err)
		return leave(m, err);
	d = dentry_find(m, parent, name, strlen(name));
	if (d)
		dentry_drop_if(m, dentry_is, d);
	if (child->state == INO_CACHED)
		deleted(m, child);
	/* fsnotify_delete() on the parent after the child's own events (d_delete_notify) */
	{
		struct m_inode *dir = cache_find(m, parent);

		if (dir)
			deliver_local(m, dir, IN_DELETE, name, &ch);
		flush_changes(m, &ch, true);
	}
	return leave(m, 0);
}

/* ---- inotify -------------------------------------------------------------------------------- */

static int group_new(struct model *m, bool fan)
{
	struct m_group *g;

	if (m->ngroups == m->gcap) {
		size_t cap = m->gcap ? m->gcap * 2 : 8;
		struct m_group **v = realloc(m->groups, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->groups = v;
		m->gcap = cap;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->id = (int)m->ngroups;
	g->fan = fan;
	g->open = true;
	g->next_wd = 1; /* inotify's idr starts at 1 */
	m->groups[m->ngroups++] = g;
	return g->id;
}

int model_inotify_init(struct model *m)
{
	int id;

	enter(m);
	id = group_new(m, false);
	return leave(m, id);
}

static struct m_watch *watch_find(const struct model *m, const struct m_group *g,
				  const struct m_inode *ino, int wd)
{
	for (struct m_watch *w = m->watches; w; w = w->next)
		if (w->g == g && (ino ? w->ino == ino : w->wd == wd))
			return w;
	return NULL;
}

/*
 * After an add or change: rfc-2021/gen-2021 send the caller's raw mask with
 * the group pointer and action 1, every time; fsn-1 sends the resulting
 * mask, only when it changed.
 */
static int announce_add(struct model *m, struct m_group *g, struct m_inode *ino, uint32_t call_mask)
{
	if (!requests_on(m))
		return 0;
	if (m->p->request == FSN_REQUEST_AGGREGATED_MASK)
		return sync_aggregate(m, ino, call_mask, mut(m, MUT_RAW_USER_MASK), true);
	return send_fsnotify(m, ino, call_mask, group_pointer(g->id), FSN_ACTION_ADD, true);
}

int model_add_watch(struct model *m, int id, uint64_t nodeid, uint32_t mask, int *wd)
{
	struct m_group *g;
	struct m_inode *ino;
	struct m_watch *w;
	uint32_t old = 0;
	bool created = false;
	int err, the_wd;

	enter(m);
	g = group_get(m, id, false);
	if (!g)
		return leave(m, EBADF);
	/* inotify_add_watch(): both MASK_ADD and MASK_CREATE, or no known bit: EINVAL */
	if (((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE)) || !(mask & ALL_INOTIFY_BITS))
		return leave(m, EINVAL);
	ino = cache_find(m, nodeid);
	if (!ino)
		return leave(m, ENOENT);
	if ((mask & IN_ONLYDIR) && !S_ISDIR(ino->mode))
		return leave(m, ENOTDIR);
	w = watch_find(m, g, ino, 0);
	if (w) {
		if (mask & IN_MASK_CREATE)
			return leave(m, EEXIST);
		old = w->mask;
		w->mask = (mask & IN_MASK_ADD ? old : 0) | (mask & WATCH_KEEPS);
	} else {
		w = calloc(1, sizeof(*w));
		if (!w)
			return leave(m, ENOMEM);
		w->g = g;
		w->wd = g->next_wd++; /* idr_alloc_cyclic(): a wd is not handed out twice */
		w->ino = ino;
		w->mask = mask & WATCH_KEEPS;
		w->next = m->watches;
		m->watches = w;
		created = true;
	}
	the_wd = w->wd;
	err = announce_add(m, g, ino, mask);
	/* the lock was dropped while waiting: find the watch again */
	w = watch_find(m, g, NULL, the_wd);
	if (err && err != ETIMEDOUT && m->row->rollback_on_error && w) {
		if (created) {
			struct changes none = {0};

			/* the caller never saw this wd: no IN_IGNORED, no request */
			watch_detach(m, w, false, &none);
			free(none.v);
			w = NULL;
		} else {
			w->mask = old;
		}
	}
	if (wd && w)
		*wd = the_wd;
	return leave(m, err);
}

int model_rm_watch(struct model *m, int id, int wd)
{
	struct changes ch = {0};
	struct m_group *g;
	struct m_watch *w;

	enter(m);
	g = group_get(m, id, false);
	if (!g)
		return leave(m, EBADF);
	w = watch_find(m, g, NULL, wd);
	if (!w)
		return leave(m, EINVAL);
	watch_detach(m, w, true, &ch);
	/* the mark is gone whatever the server answers: rm_watch cannot fail */
	flush_changes(m, &ch, !mut(m, MUT_NO_REQUEST_ON_RM_WATCH));
	return leave(m, 0);
}

int model_inotify_close(struct model *m, int id)
{
	struct changes ch = {0};
	struct m_group *g;

	enter(m);
	g = group_get(m, id, false);
	if (!g)
		return leave(m, EBADF);
	/* the group is gone first: its queue is never read again, no IN_IGNORED */
	g->open = false;
	for (struct m_watch *w = m->watches, *next; w; w = next) {
		next = w->next;
		if (w->g == g)
			watch_detach(m, w, false, &ch);
	}
	free(g->q);
	g->q = NULL;
	g->qlen = g->qcap = 0;
	flush_changes(m, &ch, true);
	return leave(m, 0);
}

int model_read(struct model *m, int id, struct ino_event *ev, size_t max, size_t *n)
{
	struct m_group *g;
	size_t k;

	if (n)
		*n = 0;
	if (!n || (!ev && max))
		return EINVAL;
	enter(m);
	g = group_get(m, id, false);
	if (!g)
		return leave(m, EBADF);
	k = g->qlen < max ? g->qlen : max;
	for (size_t i = 0; i < k; i++)
		if (g->q[i].mask & IN_Q_OVERFLOW)
			g->overflow_queued = false; /* read out: it may be queued again */
	if (k) {
		memcpy(ev, g->q, k * sizeof(*ev));
		memmove(g->q, g->q + k, (g->qlen - k) * sizeof(*g->q));
		g->qlen -= k;
	}
	*n = k;
	return leave(m, 0);
}

/* ---- fanotify ------------------------------------------------------------------------------- */

int model_fanotify_init(struct model *m)
{
	int id;

	if (m->p->rename != FSN_RENAME_ONE_RECORD)
		return -EOPNOTSUPP;
	enter(m);
	id = group_new(m, true);
	return leave(m, id);
}

int model_fan_mark(struct model *m, int id, uint64_t nodeid, uint64_t mask)
{
	struct m_group *g;
	struct m_inode *ino;
	struct m_mark *k;
	uint64_t old = 0;
	bool created = false;
	int err = 0;

	enter(m);
	g = group_get(m, id, true);
	if (!g)
		return leave(m, EBADF);
	if (!(mask & FSN_FS_RENAME) || (mask & ~(uint64_t)(FSN_FS_RENAME | FAN_ONDIR)))
		return leave(m, EINVAL);
	ino = cache_find(m, nodeid);
	if (!ino)
		return leave(m, ENOENT);
	if (!S_ISDIR(ino->mode))
		return leave(m, ENOTDIR);
	for (k = m->marks; k; k = k->next)
		if (k->g == g && k->ino == ino)
			break;
	if (k) {
		old = k->mask;
		k->mask |= mask;
	} else {
		k = calloc(1, sizeof(*k));
		if (!k)
			return leave(m, ENOMEM);
		k->g = g;
		k->ino = ino;
		k->mask = mask;
		k->next = m->marks;
		m->marks = k;
		created = true;
	}
	/* fanotify marks exist only in one-record profiles, which send the resulting mask */
	if (requests_on(m))
		err = sync_aggregate(m, ino, 0, false, true);
	if (err && err != ETIMEDOUT && m->row->rollback_on_error) {
		for (struct m_mark **pp = &m->marks; *pp; pp = &(*pp)->next) {
			if ((*pp)->g != g || (*pp)->ino != ino)
				continue;
			if (created) {
				struct m_mark *dead = *pp;

				*pp = dead->next;
				free(dead);
			} else {
				(*pp)->mask = old;
			}
			break;
		}
	}
	return leave(m, err);
}

int model_fan_read(struct model *m, int id, struct fan_event *ev, size_t max, size_t *n)
{
	struct m_group *g;
	size_t k;

	if (n)
		*n = 0;
	if (!n || (!ev && max))
		return EINVAL;
	enter(m);
	g = group_get(m, id, true);
	if (!g)
		return leave(m, EBADF);
	k = g->fqlen < max ? g->fqlen : max;
	if (k) {
		memcpy(ev, g->fq, k * sizeof(*ev));
		memmove(g->fq, g->fq + k, (g->fqlen - k) * sizeof(*g->fq));
		g->fqlen -= k;
	}
	*n = k;
	return leave(m, 0);
}

/* ---- local changes -------------------------------------------------------------------------- */

int model_local_change(struct model *m, uint64_t nodeid, uint32_t mask, const char *name)
{
	struct changes ch = {0};
	struct m_inode *ino;

	if (!(mask & IN_ALL_EVENTS) || (mask & ~(uint32_t)(IN_ALL_EVENTS | IN_ISDIR)))
		return EINVAL;
	if (name && strlen(name) > FSN_NAME_MAX)
		return ENAMETOOLONG;
	enter(m);
	ino = cache_find(m, nodeid);
	if (!ino)
		return leave(m, ENOENT);
	deliver_local(m, ino, mask, name, &ch);
	flush_changes(m, &ch, true);
	return leave(m, 0);
}

/* ---- what the model saw --------------------------------------------------------------------- */

void model_stats(struct model *m, struct model_stats *out)
{
	enter(m);
	*out = m->stats;
	leave(m, 0);
}

/* Record which invariant broke and why; returns EPROTO. */
__attribute__((format(printf, 5, 6))) static int broke(enum model_invariant *which,
						       enum model_invariant kind, char *why,
						       size_t cap, const char *fmt, ...)
{
	va_list ap;

	*which = kind;
	if (why && cap) {
		va_start(ap, fmt);
		vsnprintf(why, cap, fmt, ap);
		va_end(ap);
	}
	return EPROTO;
}

static bool wd_live(const struct model *m, const struct m_group *g, int wd)
{
	return watch_find(m, g, NULL, wd) != NULL;
}

/*
 * A queued event of a removed watch is fine when its IN_IGNORED follows (the
 * kernel queues it last), or an overflow that may have taken its place, or
 * the bound dropped that IN_IGNORED while the overflow event stood earlier
 * in the queue (ignored_lost_add()).
 */
static bool ignored_follows(const struct m_group *g, size_t i)
{
	for (size_t j = i + 1; j < g->qlen; j++)
		if ((g->q[j].mask & IN_Q_OVERFLOW) ||
		    (g->q[j].wd == g->q[i].wd && (g->q[j].mask & IN_IGNORED)))
			return true;
	for (size_t k = 0; k < g->nignored_lost; k++)
		if (g->ignored_lost[k] == g->q[i].wd)
			return true;
	return false;
}

static int check_queue(const struct model *m, const struct m_group *g, enum model_invariant *which,
		       char *why, size_t cap)
{
	unsigned overflows = 0;

	if (g->qlen > m->max_events + 1)
		return broke(which, MINV_QUEUE_BOUND, why, cap,
			     "instance %d holds %zu events, bound %u + 1 overflow", g->id, g->qlen,
			     m->max_events);
	for (size_t i = 0; i < g->qlen; i++) {
		const struct ino_event *e = &g->q[i];

		if (e->mask & IN_Q_OVERFLOW) {
			if (e->wd != -1 || ++overflows > 1)
				return broke(which, MINV_OVERFLOW_SHAPE, why, cap,
					     "instance %d: IN_Q_OVERFLOW #%u with wd %d", g->id,
					     overflows, e->wd);
			continue;
		}
		if (e->mask & IN_IGNORED) {
			if (wd_live(m, g, e->wd))
				return broke(which, MINV_IGNORED_LIVE, why, cap,
					     "instance %d: IN_IGNORED for live wd %d", g->id, e->wd);
			continue;
		}
		if (!wd_live(m, g, e->wd) && !ignored_follows(g, i))
			return broke(which, MINV_EVENT_AFTER_GONE, why, cap,
				     "instance %d: event %#x for wd %d, which is gone with no IN_IGNORED",
				     g->id, e->mask, e->wd);
	}
	return 0;
}

int model_check_invariants(struct model *m, char *why, size_t cap)
{
	return model_check_invariants_ex(m, NULL, why, cap);
}

int model_check_invariants_ex(struct model *m, enum model_invariant *which, char *why, size_t cap)
{
	enum model_invariant dummy;
	int err = 0;

	if (!which)
		which = &dummy;
	*which = MINV_OK;
	if (why && cap)
		why[0] = 0;
	enter(m);
	for (const struct m_inode *i = m->inodes; i && !err; i = i->next)
		if (i->nlookup < 0)
			err = broke(which, MINV_NLOOKUP_NEGATIVE, why, cap,
				    "nodeid %" PRIu64 " has nlookup %" PRId64, i->nodeid, i->nlookup);
	for (const struct m_watch *w = m->watches; w && !err; w = w->next)
		if (w->ino->state == INO_GONE)
			err = broke(which, MINV_WATCH_ON_FORGOTTEN, why, cap,
				    "wd %d watches forgotten nodeid %" PRIu64, w->wd, w->ino->nodeid);
	for (size_t i = 0; i < m->ngroups && !err; i++)
		if (m->groups[i]->open && !m->groups[i]->fan)
			err = check_queue(m, m->groups[i], which, why, cap);
	if (!err && m->misattributed)
		err = broke(which, MINV_MISATTRIBUTED, why, cap,
			    "%u remote events reached another generation: %s", m->misattributed,
			    m->misattributed_why);
	return leave(m, err);
}
