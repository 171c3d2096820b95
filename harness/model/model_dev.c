// SPDX-License-Identifier: GPL-2.0-only
/*
 * model_dev.c - the model's connection, what fs/fuse/dev.c does: requests
 * built, queued, read by the server and ended by its reply (or by the
 * deadline, or the abort); the replies and mainline notifications the
 * server writes, judged by notify_rules.h with the model as oracle, and
 * what they do to the caches; the transport the server reads and writes
 * through (model_transport()).
 */
#ifdef FSNC_CONFIG_MODEL /* left out of a reproducer: it runs the kernel */
#include "model_internal.h"
#include "clock.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The kernel's unique counter (fs/fuse/dev.c FUSE_REQ_ID_STEP). */
#define UNIQUE_STEP 2u

/* ---- small helpers ------------------------------------------------------------------------ */

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

/* ---- requests ------------------------------------------------------------------------------ */

static void req_free(struct m_req *r)
{
	if (r) {
		free(r->msg);
		free(r);
	}
}

struct m_req *m_req_new(struct model *m, enum rq_kind kind, uint32_t opcode, uint64_t nodeid,
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

void m_enqueue(struct model *m, struct m_req *r, bool waiter)
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
void m_complete(struct model *m, struct m_req *r, int err, const void *out, size_t outlen)
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
 * accepted and ignored (m_complete() frees it).
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
bool m_may_wait(const struct model *m)
{
	if (m->serve)
		return !m->serving;
	return !(in_transport_write && m->reader_known && pthread_equal(m->reader, pthread_self()));
}

/* Send and, if allowed, wait.  ENOTCONN once the connection is gone. */
int m_send_request(struct model *m, struct m_req *r, bool wait, void *out, size_t cap,
		   size_t *outlen)
{
	if (!r)
		return ENOMEM;
	if (m->aborted) {
		req_free(r);
		return ENOTCONN;
	}
	wait = wait && m_may_wait(m) && !r->noreply;
	m_enqueue(m, r, wait);
	return wait ? wait_reply(m, r, out, cap, outlen) : 0;
}

/*
 * fuse_wait_on_init: requests wait for the INIT reply.  ENOTCONN after an
 * abort, ECONNABORTED when the abort came while waiting, ECONNREFUSED when
 * INIT failed, ETIMEDOUT at the deadline.
 */
int m_wait_init(struct model *m)
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

void m_send_forget(struct model *m, struct m_inode *ino)
{
	struct fuse_forget_in fi = { .nlookup = (uint64_t)ino->nlookup };

	if (ino->nlookup <= 0 || m->aborted)
		return;
	m_send_request(m, m_req_new(m, RQ_FORGET, FUSE_FORGET, ino->nodeid, &fi, sizeof(fi),
				    NULL, false),
		       false, NULL, 0, NULL);
	ino->nlookup = 0;
}

/* ---- mainline notifications and replies: notify_rules.h with the model as oracle ------------ */

static int or_have_nodeid(void *ctx, uint64_t nodeid)
{
	return m_cache_find(ctx, nodeid) != NULL;
}

static uint32_t or_node_type(void *ctx, uint64_t nodeid)
{
	struct m_inode *i = m_cache_find(ctx, nodeid);

	return i ? i->mode & S_IFMT : 0;
}

static int or_have_entry(void *ctx, uint64_t parent, const char *name, size_t namelen,
			 uint64_t *child)
{
	struct m_dentry *d = m_dentry_find(ctx, parent, name, namelen);

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
		ino = m_cache_find(m, nodeid);
		/* fuse_try_prune_one_inode(): only inodes nothing uses */
		if (ino && nodeid != FUSE_ROOT_ID && !m_pinned(m, ino))
			m_evict_inode(m, ino, true);
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
	r = m_req_new(m, RQ_NOTIFY_REPLY, FUSE_NOTIFY_REPLY, ro.nodeid, &ri, sizeof(ri), NULL,
		      false);
	if (!r)
		return;
	/* fuse_retrieve(): the reply request carries the server's notify_unique */
	r->unique = ro.notify_unique;
	memcpy(r->msg + offsetof(struct fuse_in_header, unique), &ro.notify_unique,
	       sizeof(ro.notify_unique));
	r->noreply = true;
	m_send_request(m, r, false, NULL, 0, NULL);
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
	return m_dentry_find(m, parent, (const char *)arg + name_off, namelen);
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

		m_dentry_drop_if(m, m_dentry_is, d);
		if (child && child->state == INO_CACHED)
			m_deleted(m, child);
	} else if (d && (eff & NR_EFF_DENTRY_UNHASHED)) {
		/* the inode stays in the icache (nlink > 0): only the name goes */
		m_dentry_drop_if(m, m_dentry_is, d);
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
	m_count_verdict(m, v.err, 0);
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
		m_complete(m, r, v.err ? EIO : -oh.error, msg + sizeof(oh),
			   v.err ? 0 : len - sizeof(oh));
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

struct m_req *m_dequeue(struct model *m)
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
		r = m_dequeue(m);
		if (!r && m->serve)
			return leave(m, EAGAIN); /* inline: the server reads what is queued, no more */
		if (!r) {
			wait_until(m, &slice); /* blocks like /dev/fuse, one bounded slice at a time */
			continue;
		}
		if (r->len > cap) {
			/* the request does not fit: it ends with -EIO, the read goes on */
			m_complete(m, r, EIO, NULL, 0);
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
		err = m_ext_notify(m, b + sizeof(oh), len - sizeof(oh));
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

const struct transport_ops model_ops = {
	.name = "model",
	.read = tr_model_read,
	.write = tr_model_write,
	.abort = tr_model_abort,
	.serve_inline = tr_model_serve_inline,
};

#endif /* FSNC_CONFIG_MODEL */
