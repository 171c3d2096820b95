// SPDX-License-Identifier: GPL-2.0-only
/*
 * transport_uring.c - requests and replies through FUSE-over-io_uring entries.
 *
 * Kernel facts this file is built on (fs/fuse/dev_uring.c, seen on 6.18.44;
 * the structs are in wire.h):
 *  - the fetch half of REGISTER and COMMIT_AND_FETCH completes through
 *    io_uring_cmd_complete_in_task(): the request is copied into the entry
 *    in the context of the task that SUBMITTED the command.  A case thread
 *    that submitted a commit and then blocks in a FUSE syscall (a killable
 *    wait) would never run that task work, and the request meant for it
 *    would never arrive.  So commands are submitted only by threads that
 *    never make FUSE syscalls: the serve thread (the reader) submits its own
 *    replies directly, and every other thread hands its commands to a ring
 *    thread of ours.  Both wait in interruptible sleeps (poll), where the
 *    task work runs.  The reader also reaps the completions, so a round trip
 *    costs no more thread switches than over /dev/fuse.
 *  - a refused command (unknown commit_id, bad qid, torn-down connection)
 *    completes inline, during the io_uring_enter() that submitted it, with
 *    a negative res; an accepted commit completes only when the kernel puts
 *    the next request in that entry (res 0).  So "submitted, then reaped"
 *    tells a writer whether the kernel refused its commit.
 *  - FORGET, BATCH_FORGET and INTERRUPT still arrive on /dev/fuse; the fd is
 *    made O_NONBLOCK once the ring runs, so the reader can wait on both.
 *  - a request that takes no reply (NOTIFY_REPLY) still occupies its entry
 *    until a commit: /dev/fuse ends it at read time, so this transport
 *    commits an empty reply for it as soon as it hands it to the server.
 *
 * The ring itself is set up and driven with the raw syscalls and
 * <linux/io_uring.h> alone (struct ring below), no liburing, so this file
 * can go into a reproducer that builds with `gcc -static repro.c -lpthread`.
 */
#ifdef FSNC_CONFIG_URING /* left out of a reproducer that never runs over the ring */
#include "transport.h"
#include "clock.h"
#include "wire.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define NSUB 1024          /* submissions remembered, by seq % NSUB */
#define ENT_BITS 20        /* user_data: seq << ENT_BITS | entry index */
#define MAX_QUEUES 1024
#define SQE_SIZE 128       /* IORING_SETUP_SQE128: two struct io_uring_sqe each */

_Static_assert(SQE_SIZE == 2 * sizeof(struct io_uring_sqe), "SQE128 is two SQEs");

/*
 * The io_uring, mapped by hand.  The kernel writes the SQ head and the CQ
 * tail, we write the SQ tail and the CQ head: our stores are releases (the
 * SQEs written before the tail that covers them, the CQEs read before the
 * head that frees them), our loads of the kernel's indices acquires.  One
 * thread at a time uses it (struct uring's lock is held).
 */
struct ring {
	int fd;
	unsigned *sq_head, *sq_tail, *sq_flags, *sq_array;
	unsigned sq_mask, sq_entries;
	unsigned sqe_tail;    /* SQEs handed out; ring_submit() publishes them */
	uint8_t *sqes;        /* SQE_SIZE bytes each */
	unsigned *cq_head, *cq_tail;
	unsigned cq_mask;
	struct io_uring_cqe *cqes;
	void *sq_map, *cq_map; /* the same mapping with IORING_FEAT_SINGLE_MMAP */
	size_t sq_len, cq_len, sqes_len;
};

enum ent_state {
	ENT_IDLE,    /* never registered */
	ENT_KERNEL,  /* a command of ours is outstanding: the kernel owns it */
	ENT_READY,   /* holds a request the reader has not taken yet */
	ENT_SERVING, /* holds a request the server is answering */
	ENT_DEAD,    /* torn down (abort, cancel) or refused at registration */
};

struct uent {
	struct fuse_uring_req_header hdr;
	struct iovec iov[2];
	uint8_t *payload;
	uint16_t qid;
	enum ent_state state;
	uint64_t unique;    /* ENT_SERVING: the request's unique */
	uint64_t last_seq;  /* the latest command submitted for it */
};

enum sub_kind { SUB_REGISTER, SUB_COMMIT, SUB_RAW };

struct usub {
	uint64_t seq;
	int ent;
	enum sub_kind kind;
	enum ent_state prev; /* restored when the kernel refuses the command, */
	uint64_t prev_seq;   /* with the command the kernel still holds, if any */
	int done, res;
};

struct ucmd {
	struct ucmd *next;
	uint64_t seq;
	int ent;
	const struct iovec *iov; /* NULL: the entry's own buffers */
	uint32_t op;
	uint64_t commit_id;
	uint16_t qid;
	int submitted, err, abandoned;
};

struct uring {
	int fd;
	int timeout_ms;
	int started, stopping, aborted, thread_up, thread_done;
	struct ring ring;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int wake_efd, ready_efd;
	pthread_t reader;
	int have_reader;

	struct uent *ents;
	unsigned nents, nqueues, depth;
	size_t payload, payload_map;
	uint8_t *payload_base;
	int *fifo; /* entries that hold an untaken request, oldest first */
	unsigned fifo_head, fifo_count;

	/* Buffers the kernel never registered, for commits that name them. */
	struct fuse_uring_req_header foreign_hdr;
	struct iovec foreign_iov[2];
	uint8_t *foreign_payload;

	struct ucmd *cmd_head, *cmd_tail;
	struct usub subs[NSUB];
	uint64_t seq;
	struct tr_uring_stats st;
};

static void anomaly(struct uring *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void anomaly(struct uring *u, const char *fmt, ...)
{
	va_list ap;

	if (!u->st.anomalies++) {
		va_start(ap, fmt);
		vsnprintf(u->st.anomaly, sizeof(u->st.anomaly), fmt, ap);
		va_end(ap);
	}
}

/* FSNC_URING_TRACE=1: every request taken and every commit made, on stderr. */
static int trace_on(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("FSNC_URING_TRACE") != NULL;
	return on;
}

static void poke(int efd)
{
	uint64_t one = 1;

	if (write(efd, &one, sizeof(one)) < 0) {
		/* EAGAIN only at a counter of 2^64-2: the fd is already readable */
	}
}

/* ---- the ring: io_uring_setup(2), mmap, io_uring_enter(2) ---- */

/* Unmap and close whatever ring_setup() made; a ring never set up (fd -1) too. */
static void ring_exit(struct ring *r)
{
	if (r->sqes)
		munmap(r->sqes, r->sqes_len);
	if (r->cq_map && r->cq_map != r->sq_map)
		munmap(r->cq_map, r->cq_len);
	if (r->sq_map)
		munmap(r->sq_map, r->sq_len);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

static void *ring_map(int fd, size_t len, off_t off)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

/* 0, or the errno with why; on failure nothing is left open or mapped. */
static int ring_setup(struct ring *r, unsigned entries, char *why, size_t cap)
{
	struct io_uring_params p;
	const char *what = "the SQ ring";
	int single, err;
	long fd;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQE128; /* the FUSE command needs the 80-byte area */
	fd = syscall(__NR_io_uring_setup, entries, &p);
	if (fd < 0) {
		err = errno;
		return snprintf(why, cap, "io_uring_setup(SQE128): %s", strerror(err)), err;
	}
	r->fd = (int)fd;
	single = !!(p.features & IORING_FEAT_SINGLE_MMAP);
	r->sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	r->cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (single) /* one mapping holds both rings */
		r->sq_len = r->cq_len = r->sq_len > r->cq_len ? r->sq_len : r->cq_len;
	r->sqes_len = SQE_SIZE * (size_t)p.sq_entries;
	r->sq_map = ring_map(r->fd, r->sq_len, IORING_OFF_SQ_RING);
	if (r->sq_map) {
		what = "the CQ ring";
		r->cq_map = single ? r->sq_map : ring_map(r->fd, r->cq_len, IORING_OFF_CQ_RING);
	}
	if (r->cq_map) {
		what = "the SQEs";
		r->sqes = ring_map(r->fd, r->sqes_len, IORING_OFF_SQES);
	}
	if (!r->sqes) {
		err = errno;
		snprintf(why, cap, "mmap of %s: %s", what, strerror(err));
		ring_exit(r);
		return err;
	}
	r->sq_head = (unsigned *)((uint8_t *)r->sq_map + p.sq_off.head);
	r->sq_tail = (unsigned *)((uint8_t *)r->sq_map + p.sq_off.tail);
	r->sq_flags = (unsigned *)((uint8_t *)r->sq_map + p.sq_off.flags);
	r->sq_array = (unsigned *)((uint8_t *)r->sq_map + p.sq_off.array);
	r->sq_mask = *(unsigned *)((uint8_t *)r->sq_map + p.sq_off.ring_mask);
	r->sq_entries = p.sq_entries;
	r->sqe_tail = *r->sq_tail;
	r->cq_head = (unsigned *)((uint8_t *)r->cq_map + p.cq_off.head);
	r->cq_tail = (unsigned *)((uint8_t *)r->cq_map + p.cq_off.tail);
	r->cq_mask = *(unsigned *)((uint8_t *)r->cq_map + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)((uint8_t *)r->cq_map + p.cq_off.cqes);
	return 0;
}

/* The next free SQE (not yet submitted), or NULL when the SQ is full. */
static struct io_uring_sqe *ring_get_sqe(struct ring *r)
{
	unsigned head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	unsigned idx = r->sqe_tail & r->sq_mask;

	if (r->sqe_tail - head >= r->sq_entries)
		return NULL;
	r->sq_array[idx] = idx;
	r->sqe_tail++;
	return (struct io_uring_sqe *)(r->sqes + SQE_SIZE * (size_t)idx);
}

/*
 * Publish the SQEs handed out and have the kernel take them: how many it
 * took, or -errno.  Never waits.  As liburing's io_uring_submit(): no
 * syscall with nothing to submit, and GETEVENTS only when completions wait
 * in the kernel's overflow list (it moves them into the CQ; with
 * min_complete 0 it does not sleep).
 */
static int ring_submit(struct ring *r)
{
	unsigned n, flags = 0;
	long ret;

	__atomic_store_n(r->sq_tail, r->sqe_tail, __ATOMIC_RELEASE);
	n = r->sqe_tail - __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	if (__atomic_load_n(r->sq_flags, __ATOMIC_RELAXED) & IORING_SQ_CQ_OVERFLOW)
		flags |= IORING_ENTER_GETEVENTS;
	if (!n && !flags)
		return 0;
	ret = syscall(__NR_io_uring_enter, r->fd, n, 0, flags, NULL, 0);
	return ret < 0 ? -errno : (int)ret;
}

/* ---- the ring thread: the only one that submits and reaps ---- */

static void prep_cmd(struct uring *u, struct io_uring_sqe *sqe, const struct ucmd *c)
{
	struct uent *e = &u->ents[c->ent];
	struct fuse_uring_cmd_req *req = (void *)sqe->cmd;

	memset(sqe, 0, SQE_SIZE); /* SQE128: the command area is the second half */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = u->fd;
	sqe->cmd_op = c->op;
	sqe->addr = (uintptr_t)(c->iov ? c->iov : e->iov);
	sqe->len = 2; /* FUSE_URING_IOV_SEGS: headers, payload */
	sqe->user_data = c->seq << ENT_BITS | (uint64_t)c->ent;
	req->commit_id = c->commit_id;
	req->qid = c->qid;
}

static void push_ready(struct uring *u, int idx)
{
	u->fifo[(u->fifo_head + u->fifo_count) % u->nents] = idx;
	u->fifo_count++;
	poke(u->ready_efd);
}

static void on_cqe(struct uring *u, uint64_t data, int res)
{
	uint64_t seq = data >> ENT_BITS;
	unsigned idx = (unsigned)(data & ((1u << ENT_BITS) - 1));
	struct usub *sb = &u->subs[seq % NSUB], old;
	struct uent *e;

	if (idx >= u->nents) {
		anomaly(u, "completion for entry %u of %u (res %d)", idx, u->nents, res);
		return;
	}
	e = &u->ents[idx];
	if (sb->seq != seq) {
		/* Its record was recycled: an entry's register or commit may wait
		 * longer than NSUB later commands.  Only the latest may complete. */
		if (seq != e->last_seq) {
			anomaly(u, "completion for stale submission %llu on entry %u (res %d)",
				(unsigned long long)seq, idx, res);
			return;
		}
		memset(&old, 0, sizeof(old));
		old.seq = seq;
		old.ent = (int)idx;
		old.kind = SUB_COMMIT;
		old.prev = ENT_SERVING;
		old.prev_seq = 0;
		sb = &old;
	}
	sb->done = 1;
	sb->res = res;
	if (res == 0) {
		/* The kernel put a request in the entry. */
		if (e->state != ENT_KERNEL || sb->seq != e->last_seq)
			anomaly(u, "request in entry %d (q%u) that was not waiting (state %d)",
				sb->ent, e->qid, e->state);
		e->state = ENT_READY;
		push_ready(u, sb->ent);
		return;
	}
	if (res == -ENOTCONN || res == -ECONNABORTED || res == -ECANCELED) {
		/* Teardown: the kernel let go of the entry (fuse_uring_entry_teardown,
		 * fuse_uring_cancel) or never took the command. */
		if (sb->seq == e->last_seq && e->state == ENT_KERNEL)
			e->state = ENT_DEAD;
		poke(u->ready_efd);
		return;
	}
	/* Refused at once: the entry is as it was before the command. */
	if (sb->seq == e->last_seq && e->state == ENT_KERNEL) {
		e->state = sb->kind == SUB_REGISTER ? ENT_DEAD : sb->prev;
		e->last_seq = sb->prev_seq;
	}
}

/* Every completion there is; the lock is held. */
static void reap(struct uring *u)
{
	struct ring *r = &u->ring;
	unsigned head = *r->cq_head, tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);

	if (head == tail)
		return;
	for (; head != tail; head++) {
		const struct io_uring_cqe *cqe = &r->cqes[head & r->cq_mask];

		on_cqe(u, cqe->user_data, cqe->res);
	}
	__atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
}

static struct io_uring_sqe *get_sqe(struct uring *u)
{
	struct io_uring_sqe *sqe = ring_get_sqe(&u->ring);

	if (!sqe && ring_submit(&u->ring) >= 0)
		sqe = ring_get_sqe(&u->ring);
	return sqe;
}

static void *ring_main(void *arg)
{
	struct uring *u = arg;

	pthread_mutex_lock(&u->lock);
	while (!u->stopping) {
		struct ucmd *list = u->cmd_head, *c, *next;
		struct pollfd p = {.fd = u->wake_efd, .events = POLLIN};
		int r = 0;

		u->cmd_head = u->cmd_tail = NULL;
		for (c = list; c; c = c->next) {
			struct io_uring_sqe *sqe = get_sqe(u);

			if (!sqe)
				c->err = EBUSY;
			else
				prep_cmd(u, sqe, c);
		}
		/* Under the lock: the reader submits and reaps on this ring too.  A
		 * refusal completes inline, so it is reaped right here. */
		if (list)
			r = ring_submit(&u->ring);
		reap(u);
		for (c = list; c; c = next) {
			next = c->next;
			if (r < 0 && !c->err)
				c->err = -r;
			c->submitted = 1;
			if (c->abandoned)
				free(c);
		}
		pthread_cond_broadcast(&u->cond);
		if (u->cmd_head)
			continue;
		pthread_mutex_unlock(&u->lock);
		/* An interruptible sleep: the task work of the commands this thread
		 * submitted (the fetch into their entries) runs here. */
		if (poll(&p, 1, 200) > 0) {
			uint64_t v;

			if (read(u->wake_efd, &v, sizeof(v)) < 0) {
				/* EAGAIN: nothing to clear */
			}
		}
		pthread_mutex_lock(&u->lock);
	}
	u->thread_done = 1;
	/* Commands nobody will submit now: fail them so their callers go on. */
	for (struct ucmd *c = u->cmd_head, *next; c; c = next) {
		next = c->next;
		c->err = ENOTCONN;
		c->submitted = 1;
		if (c->abandoned)
			free(c);
	}
	u->cmd_head = u->cmd_tail = NULL;
	pthread_cond_broadcast(&u->cond);
	pthread_mutex_unlock(&u->lock);
	return NULL;
}

/*
 * Hand one command to the ring thread and wait, with the deadline, until it
 * was submitted; the lock is held on entry and exit.  Returns 0 when the
 * kernel took it, the errno of its CQE when it refused it at once.
 */
static int run_cmd_iov(struct uring *u, int ent, enum sub_kind kind, uint32_t op,
		       uint64_t commit_id, uint16_t qid, const struct iovec *iov)
{
	struct timespec ts = clk_deadline(u->timeout_ms);
	struct ucmd *c = calloc(1, sizeof(*c));
	struct uent *e = &u->ents[ent];
	struct usub *sb;
	int err = 0;

	if (!c)
		return ENOMEM;
	if (u->thread_done) {
		free(c);
		return ENOTCONN;
	}
	c->seq = ++u->seq;
	c->ent = ent;
	c->iov = iov;
	c->op = op;
	c->commit_id = commit_id;
	c->qid = qid;
	sb = &u->subs[c->seq % NSUB];
	memset(sb, 0, sizeof(*sb));
	sb->seq = c->seq;
	sb->ent = ent;
	sb->kind = kind;
	sb->prev = e->state;
	sb->prev_seq = e->last_seq;
	e->state = ENT_KERNEL;
	e->last_seq = c->seq;
	if (u->have_reader && pthread_equal(pthread_self(), u->reader)) {
		/* The serve thread: it never blocks on FUSE, so it submits itself. */
		struct io_uring_sqe *sqe = get_sqe(u);
		int r;

		if (!sqe) {
			c->err = EBUSY;
		} else {
			prep_cmd(u, sqe, c);
			r = ring_submit(&u->ring);
			if (r < 0)
				c->err = -r;
			reap(u);
		}
		c->submitted = 1;
	} else {
		if (u->cmd_tail)
			u->cmd_tail->next = c;
		else
			u->cmd_head = c;
		u->cmd_tail = c;
		poke(u->wake_efd);
	}
	while (!c->submitted && !err)
		err = pthread_cond_timedwait(&u->cond, &u->lock, &ts);
	if (!c->submitted) {
		/* Still queued: take it back.  Taken by the thread: it frees it. */
		struct ucmd **pp = &u->cmd_head, *prev = NULL;

		while (*pp && *pp != c) {
			prev = *pp;
			pp = &(*pp)->next;
		}
		if (*pp) {
			*pp = c->next;
			if (u->cmd_tail == c)
				u->cmd_tail = prev;
			free(c);
		} else {
			c->abandoned = 1;
		}
		if (e->last_seq == sb->seq) {
			e->state = sb->prev;
			e->last_seq = sb->prev_seq;
		}
		return ETIMEDOUT;
	}
	err = c->err;
	free(c);
	if (err) {
		if (e->last_seq == sb->seq && e->state == ENT_KERNEL) {
			e->state = sb->prev;
			e->last_seq = sb->prev_seq;
		}
		return err;
	}
	/* Refused at once, or taken (its completion comes with the next request). */
	return sb->done && sb->res < 0 ? -sb->res : 0;
}

static int run_cmd(struct uring *u, int ent, enum sub_kind kind, uint32_t op, uint64_t commit_id,
		   uint16_t qid)
{
	return run_cmd_iov(u, ent, kind, op, commit_id, qid, NULL);
}

/* ---- the transport ---- */

static struct uent *find_serving(struct uring *u, uint64_t unique, int *idx)
{
	for (unsigned i = 0; i < u->nents; i++)
		if (u->ents[i].state == ENT_SERVING && u->ents[i].unique == unique) {
			if (idx)
				*idx = (int)i;
			return &u->ents[i];
		}
	return NULL;
}

/* Commit a reply already in the entry's buffers. */
static int commit(struct uring *u, int idx, uint64_t unique)
{
	const struct fuse_out_header *oh = (const void *)u->ents[idx].hdr.in_out;
	int err = run_cmd(u, idx, SUB_COMMIT, FUSE_IO_URING_CMD_COMMIT_AND_FETCH, unique,
			  u->ents[idx].qid);

	if (trace_on())
		fprintf(stderr, "uring: commit q%u e%d unique %llu error %d payload_sz %u -> %d\n",
			u->ents[idx].qid, idx, (unsigned long long)unique, oh->error,
			u->ents[idx].hdr.ring_ent_in_out.payload_sz, err);
	if (!err)
		u->st.commits++;
	return err;
}

/*
 * The entry's request, laid out as /dev/fuse would deliver it: the
 * fuse_in_header, in_args[0] (in op_in), then the payload.  in.len covers
 * all of it, so in_args[0]'s size is what remains.
 */
static int take_request(struct uring *u, struct uent *e, void *buf, size_t cap, size_t *n)
{
	struct fuse_in_header ih;
	uint32_t psz = e->hdr.ring_ent_in_out.payload_sz;
	size_t arg0;

	memcpy(&ih, e->hdr.in_out, sizeof(ih));
	if (ih.len < sizeof(ih) + (size_t)psz || psz > u->payload ||
	    ih.len - sizeof(ih) - psz > FUSE_URING_OP_IN_OUT_SZ || ih.len > cap) {
		anomaly(u, "entry q%u holds len %u with payload_sz %u", e->qid, ih.len, psz);
		return EPROTO;
	}
	if (e->hdr.ring_ent_in_out.commit_id != ih.unique)
		anomaly(u, "commit_id %llu is not the unique %llu",
			(unsigned long long)e->hdr.ring_ent_in_out.commit_id,
			(unsigned long long)ih.unique);
	arg0 = ih.len - sizeof(ih) - psz;
	memcpy(buf, &ih, sizeof(ih));
	memcpy((uint8_t *)buf + sizeof(ih), e->hdr.op_in, arg0);
	memcpy((uint8_t *)buf + sizeof(ih) + arg0, e->payload, psz);
	*n = ih.len;
	e->unique = ih.unique;
	if (trace_on())
		fprintf(stderr, "uring: request q%u %s unique %llu nodeid %llu len %u\n", e->qid,
			fw_opcode_name(ih.opcode), (unsigned long long)ih.unique,
			(unsigned long long)ih.nodeid, ih.len);
	return 0;
}

static int uring_read(struct transport *t, void *buf, size_t cap, size_t *n)
{
	struct uring *u = t->priv;

	if (!u->started)
		return devfuse_read_fd(t->fd, buf, cap, n);
	for (;;) {
		struct pollfd p[3] = {{.fd = t->fd, .events = POLLIN},
				      {.fd = u->ready_efd, .events = POLLIN},
				      {.fd = u->ring.fd, .events = POLLIN}};
		int r;

		pthread_mutex_lock(&u->lock);
		if (!u->have_reader) {
			u->reader = pthread_self();
			u->have_reader = 1;
		}
		reap(u);
		while (u->fifo_count) {
			int idx = u->fifo[u->fifo_head];
			struct uent *e = &u->ents[idx];
			int err;

			u->fifo_head = (u->fifo_head + 1) % u->nents;
			u->fifo_count--;
			if (e->state != ENT_READY)
				continue;
			e->state = ENT_SERVING;
			err = take_request(u, e, buf, cap, n);
			if (!err)
				u->st.ring_requests++;
			if (!err && ((struct fuse_in_header *)buf)->opcode == FUSE_NOTIFY_REPLY) {
				/* No reply is due, but the entry stays taken until a commit. */
				struct fuse_out_header oh = {.len = sizeof(oh), .unique = e->unique};

				memcpy(e->hdr.in_out, &oh, sizeof(oh));
				e->hdr.ring_ent_in_out.payload_sz = 0;
				commit(u, idx, e->unique);
			}
			pthread_mutex_unlock(&u->lock);
			return err;
		}
		if (u->aborted) {
			pthread_mutex_unlock(&u->lock);
			return ENODEV;
		}
		pthread_mutex_unlock(&u->lock);
		/* No deadline of its own: the connection's life is its bound, and
		 * abort (fusectl, or ours) wakes it; the slice only re-checks. */
		r = poll(p, 3, 1000);
		if (r < 0 && errno != EINTR)
			return errno;
		if (r > 0 && (p[1].revents & POLLIN)) {
			uint64_t v;

			if (read(u->ready_efd, &v, sizeof(v)) < 0) {
				/* EAGAIN: another wake-up raced us to it */
			}
		}
		if (r > 0 && p[0].revents) {
			int err = devfuse_read_fd(t->fd, buf, cap, n);

			if (err == EAGAIN)
				continue;
			if (!err) {
				const struct fuse_in_header *ih = buf;

				pthread_mutex_lock(&u->lock);
				if (u->st.ndevfuse_opcode < 8)
					u->st.devfuse_opcode[u->st.ndevfuse_opcode++] = ih->opcode;
				u->st.devfuse_requests++;
				pthread_mutex_unlock(&u->lock);
			}
			return err;
		}
	}
}

static int uring_write(struct transport *t, const void *msg, size_t len)
{
	struct uring *u = t->priv;
	struct fuse_out_header oh;
	struct uent *e;
	int idx, err;

	/* Notifications (unique 0), and anything too short to name a request,
	 * are /dev/fuse's to judge, as before the ring. */
	if (!u->started || len < sizeof(oh))
		return devfuse_write_fd(t->fd, msg, len);
	memcpy(&oh, msg, sizeof(oh));
	if (oh.unique == 0)
		return devfuse_write_fd(t->fd, msg, len);
	pthread_mutex_lock(&u->lock);
	e = find_serving(u, oh.unique, &idx);
	if (!e) {
		/* Not a ring request: it came over /dev/fuse, or never existed. */
		pthread_mutex_unlock(&u->lock);
		return devfuse_write_fd(t->fd, msg, len);
	}
	if (len - sizeof(oh) > u->payload) {
		pthread_mutex_unlock(&u->lock);
		return EMSGSIZE; /* cannot be carried; commit_raw makes such commits */
	}
	memcpy(e->hdr.in_out, &oh, sizeof(oh));
	memcpy(e->payload, (const uint8_t *)msg + sizeof(oh), len - sizeof(oh));
	e->hdr.ring_ent_in_out.payload_sz = (uint32_t)(len - sizeof(oh));
	err = commit(u, idx, oh.unique);
	pthread_mutex_unlock(&u->lock);
	return err;
}

static void uring_abort(struct transport *t)
{
	struct uring *u = t->priv;

	pthread_mutex_lock(&u->lock);
	u->aborted = 1;
	pthread_mutex_unlock(&u->lock);
	poke(u->ready_efd);
}

static void uring_close(struct transport *t)
{
	struct uring *u = t->priv;
	int stuck = 0;

	if (!u)
		return;
	if (u->thread_up) {
		struct timespec ts;

		pthread_mutex_lock(&u->lock);
		u->stopping = 1;
		pthread_mutex_unlock(&u->lock);
		poke(u->wake_efd);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += u->timeout_ms / 1000 + 1;
		stuck = pthread_timedjoin_np(u->thread, NULL, &ts) != 0;
		if (stuck)
			pthread_detach(u->thread);
	}
	/* A thread stuck in the kernel may still use the ring: the process exit ends both. */
	if (!stuck)
		ring_exit(&u->ring);
	if (u->payload_base)
		munmap(u->payload_base, u->payload_map);
	if (u->wake_efd >= 0)
		close(u->wake_efd);
	if (u->ready_efd >= 0)
		close(u->ready_efd);
	free(u->ents);
	free(u->fifo);
	free(u->foreign_payload);
	pthread_mutex_destroy(&u->lock);
	pthread_cond_destroy(&u->cond);
	free(u);
	t->priv = NULL;
}

static const struct transport_ops uring_ops = {
	.name = "uring",
	.read = uring_read,
	.write = uring_write,
	.abort = uring_abort,
	.close = uring_close,
};

void transport_uring_init(struct transport *t, int fd, int timeout_ms)
{
	struct uring *u = calloc(1, sizeof(*u));
	pthread_condattr_t ca;

	t->ops = &uring_ops;
	t->fd = fd;
	t->priv = u;
	if (!u)
		abort(); /* a few hundred bytes at session start */
	u->fd = fd;
	u->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
	u->wake_efd = u->ready_efd = u->ring.fd = -1;
	pthread_mutex_init(&u->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&u->cond, &ca);
	pthread_condattr_destroy(&ca);
}

size_t transport_uring_payload_size(const struct fuse_init_out *io)
{
	/* fuse_uring_create(): max(FUSE_MIN_READ_BUFFER, max_write, max_pages * PAGE_SIZE),
	 * with process_init_reply()'s clamps: max_write >= 4096, max_pages 1..limit
	 * (fs.fuse.max_pages_limit, 256 by default), 32 without FUSE_MAX_PAGES. */
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = 32, limit = 256, sz = FUSE_MIN_READ_BUFFER;
	size_t mw = io->max_write < 4096 ? 4096 : io->max_write;
	FILE *f = fopen("/proc/sys/fs/fuse/max_pages_limit", "re");

	if (f) {
		unsigned long v;

		if (fscanf(f, "%lu", &v) == 1 && v > 0)
			limit = v;
		fclose(f);
	}
	if (io->flags & FUSE_MAX_PAGES) {
		pages = io->max_pages ? io->max_pages : 1;
		if (pages > limit)
			pages = limit;
	}
	if (mw > sz)
		sz = mw;
	if (pages * page > sz)
		sz = pages * page;
	return sz;
}

static int possible_cpus(void)
{
	char line[256] = "";
	FILE *f = fopen("/sys/devices/system/cpu/possible", "re");
	int n;

	if (!f)
		return -1;
	n = fgets(line, sizeof(line), f) ? transport_parse_cpulist(line) : -1;
	fclose(f);
	return n;
}

int transport_uring_start(struct transport *t, const struct fuse_init_out *io, unsigned depth,
			  char *why, size_t cap)
{
	struct uring *u = t->priv;
	unsigned entries;
	int ncpu = possible_cpus(), err, fl;

	if (ncpu <= 0 || ncpu > MAX_QUEUES)
		return snprintf(why, cap, "cannot read /sys/devices/system/cpu/possible"), ENOENT;
	u->nqueues = (unsigned)ncpu;
	u->depth = depth ? depth : 1;
	u->nents = u->nqueues * u->depth;
	u->payload = transport_uring_payload_size(io);
	u->payload_map = (u->payload + 4095) & ~(size_t)4095;
	u->ents = calloc(u->nents, sizeof(*u->ents));
	u->fifo = calloc(u->nents, sizeof(*u->fifo));
	u->wake_efd = eventfd(0, EFD_CLOEXEC);
	u->ready_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!u->ents || !u->fifo || u->wake_efd < 0 || u->ready_efd < 0)
		return snprintf(why, cap, "out of memory or eventfds"), ENOMEM;
	u->payload_map *= u->nents;
	u->payload_base = mmap(NULL, u->payload_map, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (u->payload_base == MAP_FAILED) {
		u->payload_base = NULL;
		return snprintf(why, cap, "mmap of %zu payload bytes failed", u->payload_map), ENOMEM;
	}
	for (unsigned i = 0; i < u->nents; i++) {
		struct uent *e = &u->ents[i];

		e->qid = (uint16_t)(i / u->depth);
		e->payload = u->payload_base + (u->payload_map / u->nents) * i;
		e->iov[0] = (struct iovec){&e->hdr, sizeof(e->hdr)};
		e->iov[1] = (struct iovec){e->payload, u->payload};
	}
	/* Room for one command per entry, the wake-up read, and commits of raw cases. */
	for (entries = 8; entries < u->nents * 2 + 8; entries *= 2)
		;
	err = ring_setup(&u->ring, entries, why, cap);
	if (err)
		return err;
	if (pthread_create(&u->thread, NULL, ring_main, u)) {
		ring_exit(&u->ring);
		return snprintf(why, cap, "pthread_create failed"), EAGAIN;
	}
	u->thread_up = 1;
	u->st.queues = u->nqueues;
	u->st.depth = u->depth;
	u->st.payload = u->payload;
	pthread_mutex_lock(&u->lock);
	for (unsigned i = 0; i < u->nents; i++) {
		err = run_cmd(u, (int)i, SUB_REGISTER, FUSE_IO_URING_CMD_REGISTER, 0, u->ents[i].qid);
		if (err) {
			pthread_mutex_unlock(&u->lock);
			return snprintf(why, cap, "FUSE_IO_URING_CMD_REGISTER q%u: %s", u->ents[i].qid,
					strerror(err)), err;
		}
	}
	pthread_mutex_unlock(&u->lock);
	/* Requests that still come over /dev/fuse must not block the reader. */
	fl = fcntl(t->fd, F_GETFL);
	if (fl < 0 || fcntl(t->fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return snprintf(why, cap, "O_NONBLOCK on /dev/fuse: %s", strerror(errno)), errno;
	u->started = 1;
	return 0;
}

int transport_uring_stats(struct transport *t, struct tr_uring_stats *st)
{
	struct uring *u = t->ops == &uring_ops ? t->priv : NULL;

	if (!u || !u->started)
		return ENOTCONN;
	pthread_mutex_lock(&u->lock);
	*st = u->st;
	pthread_mutex_unlock(&u->lock);
	return 0;
}

int transport_uring_locate(struct transport *t, uint64_t unique, uint16_t *qid, int *ent)
{
	struct uring *u = t->ops == &uring_ops ? t->priv : NULL;
	struct uent *e;
	int idx = -1;

	if (!u || !u->started)
		return ENOTCONN;
	pthread_mutex_lock(&u->lock);
	e = find_serving(u, unique, &idx);
	if (e) {
		if (qid)
			*qid = e->qid;
		if (ent)
			*ent = idx;
	}
	pthread_mutex_unlock(&u->lock);
	return e ? 0 : ENOENT;
}

int transport_uring_commit_raw(struct transport *t, const struct tr_uring_raw *r)
{
	struct uring *u = t->ops == &uring_ops ? t->priv : NULL;
	struct uent *e;
	int idx = r->ent, err;

	if (!u || !u->started)
		return ENOTCONN;
	if (r->hdrlen > FUSE_URING_IN_OUT_HEADER_SZ || r->plen > u->payload)
		return EINVAL;
	pthread_mutex_lock(&u->lock);
	if (r->by_unique)
		e = find_serving(u, r->unique, &idx);
	else
		e = idx >= 0 && (unsigned)idx < u->nents ? &u->ents[idx] : NULL;
	if (!e) {
		pthread_mutex_unlock(&u->lock);
		return ENOENT;
	}
	if (r->foreign) {
		/* The same bytes, in buffers the kernel never saw; the entry stays as it is. */
		if (!u->foreign_payload)
			u->foreign_payload = calloc(1, u->payload);
		if (!u->foreign_payload) {
			pthread_mutex_unlock(&u->lock);
			return ENOMEM;
		}
		memset(&u->foreign_hdr, 0, sizeof(u->foreign_hdr));
		memcpy(u->foreign_hdr.in_out, r->hdr, r->hdrlen);
		memcpy(u->foreign_payload, r->payload, r->plen);
		u->foreign_hdr.ring_ent_in_out.payload_sz = r->payload_sz;
		u->foreign_iov[0] = (struct iovec){&u->foreign_hdr, sizeof(u->foreign_hdr)};
		u->foreign_iov[1] = (struct iovec){u->foreign_payload, u->payload};
	} else if (!r->untouched) {
		if (r->hdrlen)
			memcpy(e->hdr.in_out, r->hdr, r->hdrlen);
		if (r->plen)
			memcpy(e->payload, r->payload, r->plen);
		e->hdr.ring_ent_in_out.payload_sz = r->payload_sz;
	}
	err = run_cmd_iov(u, idx, SUB_RAW, FUSE_IO_URING_CMD_COMMIT_AND_FETCH, r->commit_id, r->qid,
			  r->foreign ? u->foreign_iov : NULL);
	pthread_mutex_unlock(&u->lock);
	return err;
}

#endif /* FSNC_CONFIG_URING */
