// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_model.c - the reference model of a kernel with remote fsnotify
 * (harness/model/), under each profile, against a tiny fake server that
 * lives in this file (so the model is tested without harness/server/server.c).
 *
 * The fake server is one thread reading requests from model_transport():
 * it answers INIT with or without the profile's bit, LOOKUP from a small
 * table, UNLINK with a scripted errno, FSNOTIFY with 0, a scripted errno or
 * nothing at all, and logs every request (FSNOTIFY decoded strictly with
 * fsn_decode_request()) in the order it read them.  Notifications are
 * written from the test's own thread, as srv_notify() writes them from a
 * notifier thread: the model may block a notification on a request the
 * reader has to answer.
 *
 * Tests named "<what>_<profile>" run the same body under each profile; a
 * body's comments say where the profiles differ and why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <linux/fanotify.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>

#include "clock.h"
#include "events.h"
#include "fsn_codec.h"
#include "model.h"
#include "profiles.h"
#include "wire.h"

/* ---- the fake server ------------------------------------------------------------------------ */

#define MAX_ENTRIES 16
#define MAX_LOG 256
#define FAKE_BUF 65536
#define NO_LIMIT (-1)

struct entry {
	uint64_t parent;
	char name[64];
	uint64_t nodeid;
	uint64_t generation;
	uint32_t mode;
};

struct logged {
	uint32_t opcode;
	uint64_t unique;
	uint64_t nodeid;
	uint64_t nlookup;          /* FORGET */
	struct fsn_request rq;     /* FSNOTIFY, decoded */
	int decode_err;
	size_t arglen;
	uint32_t uid;
	bool replied;
	int reply_err;             /* the model's verdict on the reply's write */
};

struct fake {
	const struct fsn_profile *p;
	struct model *m;
	struct transport *t;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool running;

	/* INIT script */
	bool accept_ext;     /* set the profile's bit */
	bool echo_init_ext;  /* set FUSE_INIT_EXT as a mainline 7.36+ server does */
	int init_error;
	bool init_replied;
	struct fuse_init_in init_in;
	size_t init_in_len;
	struct fuse_in_header init_hdr;

	/* LOOKUP table */
	struct entry table[MAX_ENTRIES];
	int nentries;

	/* FSNOTIFY script: the next `count` requests get `err` (0 = success) */
	int fsn_err;
	int fsn_err_count;
	int fsn_silent_count; /* the next requests get no reply at all */
	int unlink_err;
	bool lookup_short; /* answer LOOKUP 8 bytes short of fuse_entry_out */

	struct logged log[MAX_LOG];
	int nlog;
};

static void fake_log(struct fake *f, const struct fuse_in_header *h, const uint8_t *arg,
		     size_t arglen, struct logged **out)
{
	struct logged *l;

	pthread_mutex_lock(&f->lock);
	if (f->nlog >= MAX_LOG) {
		pthread_mutex_unlock(&f->lock);
		*out = NULL;
		return;
	}
	l = &f->log[f->nlog];
	memset(l, 0, sizeof(*l));
	l->opcode = h->opcode;
	l->unique = h->unique;
	l->nodeid = h->nodeid;
	l->arglen = arglen;
	l->uid = h->uid;
	if (h->opcode == f->p->fsnotify_opcode)
		l->decode_err = fsn_decode_request(f->p, h->nodeid, arg, arglen, &l->rq);
	else if (h->opcode == FUSE_FORGET && arglen >= sizeof(struct fuse_forget_in))
		memcpy(&l->nlookup, arg, sizeof(l->nlookup));
	f->nlog++;
	*out = l;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

static void fake_reply(struct fake *f, uint64_t unique, int err, const void *payload, size_t len)
{
	uint8_t buf[512];
	size_t n = fw_reply_encode(buf, sizeof(buf), unique, -err, payload, len);
	int w = tr_write(f->t, buf, n);

	pthread_mutex_lock(&f->lock);
	for (int i = f->nlog - 1; i >= 0; i--) {
		if (f->log[i].unique == unique) {
			f->log[i].replied = true;
			f->log[i].reply_err = w;
			break;
		}
	}
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

static void fake_init(struct fake *f, const struct fuse_in_header *h, const uint8_t *arg,
		      size_t arglen)
{
	struct fuse_init_out o = { .major = 7, .max_readahead = 131072, .max_write = 131072 };

	f->init_hdr = *h;
	f->init_in_len = arglen < sizeof(f->init_in) ? arglen : sizeof(f->init_in);
	memcpy(&f->init_in, arg, f->init_in_len);
	o.minor = f->init_in.minor < 45 ? f->init_in.minor : 45;
	o.flags = f->init_in.flags & (FUSE_ASYNC_READ | FUSE_EXPORT_SUPPORT | FUSE_BIG_WRITES);
	if (f->echo_init_ext && (f->init_in.flags & FUSE_INIT_EXT))
		o.flags |= FUSE_INIT_EXT;
	if (f->accept_ext) {
		if (f->p->init_word == FSN_INIT_FLAGS) {
			o.flags |= f->p->init_bit;
		} else {
			o.flags |= FUSE_INIT_EXT;
			o.flags2 |= f->p->init_bit;
		}
	}
	fake_reply(f, h->unique, f->init_error, f->init_error ? NULL : &o,
		   f->init_error ? 0 : sizeof(o));
	pthread_mutex_lock(&f->lock);
	f->init_replied = true;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
}

static void fake_lookup(struct fake *f, const struct fuse_in_header *h, const char *name)
{
	struct fuse_entry_out e = {0};

	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nentries; i++) {
		const struct entry *t = &f->table[i];

		if (t->parent == h->nodeid && !strcmp(t->name, name)) {
			e.nodeid = t->nodeid;
			e.generation = t->generation;
			e.attr.mode = t->mode;
			e.attr.ino = t->nodeid + 1000;
			e.attr.nlink = 1;
		}
	}
	pthread_mutex_unlock(&f->lock);
	if (e.nodeid)
		fake_reply(f, h->unique, 0, &e, sizeof(e) - (f->lookup_short ? 8 : 0));
	else
		fake_reply(f, h->unique, ENOENT, NULL, 0);
}

/* Take one scripted outcome: -1 = stay silent, else the errno to answer. */
static int fake_fsn_outcome(struct fake *f)
{
	int out = 0;

	pthread_mutex_lock(&f->lock);
	if (f->fsn_silent_count != 0) {
		if (f->fsn_silent_count > 0)
			f->fsn_silent_count--;
		out = -1;
	} else if (f->fsn_err_count != 0) {
		if (f->fsn_err_count > 0)
			f->fsn_err_count--;
		out = f->fsn_err;
	}
	pthread_mutex_unlock(&f->lock);
	return out;
}

static void *fake_thread(void *arg)
{
	struct fake *f = arg;
	uint8_t *buf = malloc(FAKE_BUF);

	for (;;) {
		struct fuse_in_header h;
		struct logged *l;
		const uint8_t *a;
		size_t n = 0, alen;
		int err = tr_read(f->t, buf, FAKE_BUF, &n);

		if (err == ENODEV || !buf)
			break;
		if (err || n < sizeof(h))
			continue;
		memcpy(&h, buf, sizeof(h));
		a = buf + sizeof(h);
		alen = n - sizeof(h);
		fake_log(f, &h, a, alen, &l);
		/* the profile's opcode first: rfc-2021's 51 is mainline's TMPFILE */
		if (h.opcode == f->p->fsnotify_opcode) {
			int o = fake_fsn_outcome(f);

			if (o >= 0)
				fake_reply(f, h.unique, o, NULL, 0);
			continue;
		}
		switch (h.opcode) {
		case FUSE_INIT:
			fake_init(f, &h, a, alen);
			break;
		case FUSE_LOOKUP:
			fake_lookup(f, &h, (const char *)a);
			break;
		case FUSE_UNLINK:
			fake_reply(f, h.unique, f->unlink_err, NULL, 0);
			break;
		case FUSE_FORGET:
		case FUSE_NOTIFY_REPLY:
			break;
		default:
			fake_reply(f, h.unique, ENOSYS, NULL, 0);
			break;
		}
	}
	free(buf);
	return NULL;
}

static const struct fsn_profile *P(const char *name)
{
	const struct fsn_profile *p = fsn_profile_by_name(name);

	assert_non_null(p);
	return p;
}

static void fake_add(struct fake *f, uint64_t parent, const char *name, uint64_t nodeid,
		     uint64_t generation, uint32_t mode)
{
	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nentries; i++) {
		if (f->table[i].parent == parent && !strcmp(f->table[i].name, name)) {
			f->table[i].nodeid = nodeid;
			f->table[i].generation = generation;
			f->table[i].mode = mode;
			pthread_mutex_unlock(&f->lock);
			return;
		}
	}
	assert_true(f->nentries < MAX_ENTRIES);
	f->table[f->nentries] = (struct entry){ .parent = parent, .nodeid = nodeid,
						.generation = generation, .mode = mode };
	snprintf(f->table[f->nentries].name, sizeof(f->table[0].name), "%s", name);
	f->nentries++;
	pthread_mutex_unlock(&f->lock);
}

struct fake_opts {
	bool decline;        /* do not turn the extension on */
	bool echo_init_ext;
	int init_error;
	int timeout_ms;      /* 0: 500 */
	unsigned max_events;
	enum model_mutant mutant;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct fake *fake_start(const struct fsn_profile *p, const struct fake_opts *fo)
{
	struct fake_opts none = {0};
	struct model_opts mo = {0};
	struct fake *f = calloc(1, sizeof(*f));
	pthread_condattr_t ca;
	struct timespec dl = clk_deadline(2000);

	if (!fo)
		fo = &none;
	assert_non_null(f);
	f->p = p;
	f->accept_ext = !fo->decline;
	f->echo_init_ext = fo->echo_init_ext;
	f->init_error = fo->init_error;
	pthread_mutex_init(&f->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&f->cond, &ca);
	pthread_condattr_destroy(&ca);
	mo.profile = p;
	mo.timeout_ms = fo->timeout_ms ? fo->timeout_ms : 500;
	mo.max_queued_events = fo->max_events;
	mo.mutant = fo->mutant;
	f->m = model_new(&mo);
	assert_non_null(f->m);
	f->t = model_transport(f->m);
	assert_non_null(f->t);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_thread, f), 0);
	f->running = true;
	/* every case starts after INIT, as srv_start() does */
	pthread_mutex_lock(&f->lock);
	while (!f->init_replied)
		if (pthread_cond_timedwait(&f->cond, &f->lock, &dl) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&f->lock);
	assert_true(f->init_replied);
	return f;
}

static void fake_stop(struct fake *f)
{
	model_abort(f->m);
	if (f->running)
		pthread_join(f->thread, NULL);
	model_free(f->m);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

/* Requests of one opcode the fake has read so far. */
static int fake_count(struct fake *f, uint32_t opcode)
{
	int k = 0;

	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nlog; i++)
		k += f->log[i].opcode == opcode;
	pthread_mutex_unlock(&f->lock);
	return k;
}

/* Wait (deadline 1 s) until the fake read n requests of opcode. */
static bool fake_wait(struct fake *f, uint32_t opcode, int n)
{
	struct timespec dl = clk_deadline(1000);
	bool ok;

	pthread_mutex_lock(&f->lock);
	for (;;) {
		int k = 0;

		for (int i = 0; i < f->nlog; i++)
			k += f->log[i].opcode == opcode;
		ok = k >= n;
		if (ok || pthread_cond_timedwait(&f->cond, &f->lock, &dl) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&f->lock);
	return ok;
}

/*
 * The model's verdict on the reply to the last request of opcode.  The model
 * wakes its caller inside the reply's write, so the verdict may land a
 * moment after the caller returned: wait for it (deadline 1 s).
 */
static int reply_verdict(struct fake *f, uint32_t opcode)
{
	struct timespec dl = clk_deadline(1000);
	int err = -1;

	pthread_mutex_lock(&f->lock);
	for (;;) {
		int last = -1;

		for (int i = 0; i < f->nlog; i++)
			if (f->log[i].opcode == opcode)
				last = i;
		if (last >= 0 && f->log[last].replied) {
			err = f->log[last].reply_err;
			break;
		}
		if (pthread_cond_timedwait(&f->cond, &f->lock, &dl) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&f->lock);
	return err;
}

/* The FSNOTIFY requests from index `from` on, copied out. */
static int fsn_reqs(struct fake *f, int from, struct logged *out, int max)
{
	int k = 0, seen = 0;

	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nlog; i++) {
		if (f->log[i].opcode != f->p->fsnotify_opcode)
			continue;
		if (seen++ >= from && k < max)
			out[k++] = f->log[i];
	}
	pthread_mutex_unlock(&f->lock);
	return k;
}

static int fsn_total(struct fake *f)
{
	return fake_count(f, f->p->fsnotify_opcode);
}

static uint64_t forgotten(struct fake *f, uint64_t nodeid)
{
	uint64_t sum = 0;

	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nlog; i++)
		if (f->log[i].opcode == FUSE_FORGET && f->log[i].nodeid == nodeid)
			sum += f->log[i].nlookup;
	pthread_mutex_unlock(&f->lock);
	return sum;
}

/* Index in the log of the first request of opcode for nodeid, or -1. */
static int log_index(struct fake *f, uint32_t opcode, uint64_t nodeid)
{
	int at = -1;

	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nlog && at < 0; i++)
		if (f->log[i].opcode == opcode && f->log[i].nodeid == nodeid)
			at = i;
	pthread_mutex_unlock(&f->lock);
	return at;
}

/* The last request of opcode for nodeid in the log, or -1. */
static int log_last_index(struct fake *f, uint32_t opcode, uint64_t nodeid)
{
	int at = -1;

	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nlog; i++)
		if (f->log[i].opcode == opcode && f->log[i].nodeid == nodeid)
			at = i;
	pthread_mutex_unlock(&f->lock);
	return at;
}

/* ---- writing notifications ------------------------------------------------------------------ */

static int write_msg(struct fake *f, int32_t code, const void *payload, size_t len)
{
	uint8_t buf[2048];
	size_t n = fw_notify_encode(buf, sizeof(buf), code, payload, len);

	assert_true(n > 0);
	return tr_write(f->t, buf, n);
}

static int notify_raw(struct fake *f, const void *payload, size_t len)
{
	return write_msg(f, f->p->notify_code, payload, len);
}

static int notify(struct fake *f, const struct fsn_notify *n)
{
	uint8_t buf[1024];
	size_t len = fsn_encode_notify(f->p, n, buf, sizeof(buf));

	assert_true(len > 0);
	return notify_raw(f, buf, len);
}

static void ev_init(struct fake *f, struct fsn_notify *n, uint64_t nodeid, uint64_t gen,
		    uint32_t mask, const char *name, uint32_t cookie)
{
	memset(n, 0, sizeof(*n));
	n->kind = FSN_REC_EVENT;
	n->nodeid = nodeid;
	n->generation = gen;
	n->has_generation = f->p->identity == FSN_IDENTITY_NODEID_GEN;
	n->mask = mask;
	n->cookie = f->p->rename == FSN_RENAME_COOKIE_PAIR ? cookie : 0;
	if (name) {
		n->name.name = name;
		n->name.namelen = (uint32_t)strlen(name);
	}
}

static int event(struct fake *f, uint64_t nodeid, uint64_t gen, uint32_t mask, const char *name)
{
	struct fsn_notify n;

	ev_init(f, &n, nodeid, gen, mask, name, 0);
	return notify(f, &n);
}

static void rename_init(struct fsn_notify *n, uint64_t sp, uint64_t sg, const char *from,
			uint64_t dp, uint64_t dg, const char *to)
{
	memset(n, 0, sizeof(*n));
	n->kind = FSN_REC_RENAME;
	n->has_generation = true;
	n->src_parent = (struct fsn_object){ sp, sg };
	n->dst_parent = (struct fsn_object){ dp, dg };
	n->src_name.name = from;
	n->src_name.namelen = (uint32_t)strlen(from);
	n->dst_name.name = to;
	n->dst_name.namelen = (uint32_t)strlen(to);
}

static size_t drain(struct fake *f, int id, struct ino_event *ev, size_t max)
{
	size_t n = 99;

	assert_int_equal(model_read(f->m, id, ev, max, &n), 0);
	return n;
}

static struct model_stats stats(struct fake *f)
{
	struct model_stats s;

	model_stats(f->m, &s);
	return s;
}

static bool ext_aggregated(const struct fake *f)
{
	return f->p->request == FSN_REQUEST_AGGREGATED_MASK;
}

static bool rolls_back(const struct fake *f)
{
	/* only the posted RFC keeps a watch the server refused */
	return strcmp(f->p->name, "rfc-2021") != 0;
}

static void assert_invariants(struct fake *f)
{
	char why[256];
	int err = model_check_invariants(f->m, why, sizeof(why));

	if (err)
		print_error("invariant: %s\n", why);
	assert_int_equal(err, 0);
}

/* A started fake with the usual objects: root/"d" (dir 2, gen 3), root/"f" (5, 7), d/"g" (6, 9). */
#define D_NODEID 2
#define D_GEN 3
#define F_NODEID 5
#define F_GEN 7
#define G_NODEID 6
#define G_GEN 9

static struct fake *setup(const struct fsn_profile *p, const struct fake_opts *fo)
{
	struct fake *f = fake_start(p, fo);
	uint64_t id = 0, gen = 0;

	fake_add(f, FUSE_ROOT_ID, "d", D_NODEID, D_GEN, S_IFDIR | 0755);
	fake_add(f, FUSE_ROOT_ID, "f", F_NODEID, F_GEN, S_IFREG | 0644);
	fake_add(f, D_NODEID, "g", G_NODEID, G_GEN, S_IFREG | 0644);
	if (fo && fo->init_error)
		return f;
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "d", &id, &gen), 0);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "f", &id, &gen), 0);
	assert_true(id == F_NODEID && gen == F_GEN);
	return f;
}

static int add_watch(struct fake *f, int id, uint64_t nodeid, uint32_t mask)
{
	int wd = -1;

	assert_int_equal(model_add_watch(f->m, id, nodeid, mask, &wd), 0);
	assert_true(wd >= 1);
	return wd;
}

/* Run one body under each profile. */
#define PER_PROFILE(body)                                                                  \
	static void body##_rfc(void **s) { (void)s; body(P("rfc-2021")); }                  \
	static void body##_gen(void **s) { (void)s; body(P("gen-2021")); }                  \
	static void body##_fsn(void **s) { (void)s; body(P("fsn-1")); }
#define PER_PROFILE_TESTS(body)                                                            \
	cmocka_unit_test(body##_rfc), cmocka_unit_test(body##_gen), cmocka_unit_test(body##_fsn)

/* ---- INIT ----------------------------------------------------------------------------------- */

static void init_negotiation(const struct fsn_profile *p)
{
	struct fake *f = fake_start(p, NULL);
	bool flags_word = p->init_word == FSN_INIT_FLAGS;

	/* the first request, the kernel's first unique, no caller */
	assert_int_equal(f->init_hdr.opcode, FUSE_INIT);
	assert_int_equal(f->init_hdr.unique, 2);
	assert_int_equal(f->init_hdr.nodeid, 0);
	assert_int_equal(f->init_in.major, 7);
	assert_int_equal(f->init_in.minor, p->minor ? p->minor : 45);
	assert_int_equal(model_offered_minor(f->m), p->minor ? p->minor : 45);
	/* a 7.36 RFC kernel predates flags2: the 16-byte fuse_init_in */
	assert_int_equal(f->init_in_len, flags_word ? 16 : sizeof(struct fuse_init_in));
	assert_true((f->init_in.flags & (FUSE_ASYNC_READ | FUSE_EXPORT_SUPPORT | FUSE_BIG_WRITES)) ==
		    (FUSE_ASYNC_READ | FUSE_EXPORT_SUPPORT | FUSE_BIG_WRITES));
	if (flags_word) {
		/* bit 30 is FUSE_HAVE_FSNOTIFY here: the very 0x73fffffb a 6.18 kernel offers */
		assert_true(f->init_in.flags & p->init_bit);
		assert_int_equal(f->init_in.flags, 0x73fffffbu);
	} else {
		assert_true(f->init_in.flags & FUSE_INIT_EXT);
		assert_true(f->init_in.flags2 & p->init_bit);
		assert_true(f->init_in.flags2 & FUSE2_HAS_RESEND);
	}
	assert_true(model_extension_on(f->m));
	assert_int_equal(reply_verdict(f, FUSE_INIT), 0);
	fake_stop(f);
}
PER_PROFILE(init_negotiation)

static void init_declined(const struct fsn_profile *p)
{
	struct fake_opts fo = { .decline = true };
	struct fake *f = setup(p, &fo);
	struct ino_event ev[8];
	int id = model_inotify_init(f->m), wd;

	assert_false(model_extension_on(f->m));
	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(fsn_total(f), 0);
	/* the profile's notify code is unknown until the extension is on */
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), EINVAL);
	/* local events flow: nothing reports them remotely */
	assert_int_equal(model_local_change(f->m, F_NODEID, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), 1);
	assert_int_equal(ev[0].wd, wd);
	fake_stop(f);
}
PER_PROFILE(init_declined)

/*
 * The collision: a mainline 7.36+ server answers the RFC kernel's offer of
 * bit 30 with FUSE_INIT_EXT, which the RFC kernel reads as
 * FUSE_HAVE_FSNOTIFY.  fsn-1's bit is in flags2 and stays off.
 */
static void init_ext_echo(const struct fsn_profile *p)
{
	struct fake_opts fo = { .decline = true, .echo_init_ext = true };
	struct fake *f = fake_start(p, &fo);

	assert_int_equal(model_extension_on(f->m), p->init_bit == FUSE_INIT_EXT);
	fake_stop(f);
}
PER_PROFILE(init_ext_echo)

static void init_error(const struct fsn_profile *p)
{
	struct fake_opts fo = { .init_error = EIO };
	struct fake *f = setup(p, &fo);
	uint64_t id, gen;

	assert_false(model_extension_on(f->m));
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "f", &id, &gen), ECONNREFUSED);
	fake_stop(f);
}
PER_PROFILE(init_error)

/* flags2 counts only with FUSE_INIT_EXT (process_init_reply). */
static void init_flags2_needs_init_ext(void **s)
{
	const struct fsn_profile *p = P("fsn-1");
	struct fake_opts fo = { .decline = true };
	struct fake *f = fake_start(p, &fo);
	struct fuse_init_out o = { .major = 7, .minor = 45, .flags2 = p->init_bit };
	struct model *m;

	(void)s;
	fake_stop(f);
	/* answer INIT by hand: flags2 bit set, FUSE_INIT_EXT not */
	m = model_new(&(struct model_opts){ .profile = p, .timeout_ms = 200 });
	{
		uint8_t buf[FUSE_MIN_READ_BUFFER], rep[128];
		struct fuse_in_header h;
		size_t n = 0;

		assert_int_equal(tr_read(model_transport(m), buf, sizeof(buf), &n), 0);
		memcpy(&h, buf, sizeof(h));
		n = fw_reply_encode(rep, sizeof(rep), h.unique, 0, &o, sizeof(o));
		assert_int_equal(tr_write(model_transport(m), rep, n), 0);
	}
	assert_false(model_extension_on(m));
	model_free(m);
}

/* ---- the inode cache ------------------------------------------------------------------------ */

static void lookup_caching(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	uint64_t id = 0, gen = 0;
	int64_t nl = 0;

	assert_int_equal(model_cached(f->m, F_NODEID, &gen, &nl), 1);
	assert_int_equal(gen, F_GEN);
	assert_int_equal(nl, 1);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "f", &id, &gen), 0);
	assert_int_equal(model_cached(f->m, F_NODEID, &gen, &nl), 1);
	assert_int_equal(nl, 2);
	/* the root is cached from mount on, generation 0 */
	assert_int_equal(model_cached(f->m, FUSE_ROOT_ID, &gen, &nl), 1);
	assert_int_equal(gen, 0);
	assert_int_equal(model_evict(f->m, FUSE_ROOT_ID), EBUSY);
	/* eviction gives back every lookup at once */
	assert_int_equal(model_evict(f->m, F_NODEID), 0);
	assert_true(fake_wait(f, FUSE_FORGET, 1));
	assert_int_equal(forgotten(f, F_NODEID), 2);
	assert_int_equal(model_cached(f->m, F_NODEID, &gen, &nl), 0);
	assert_int_equal(model_evict(f->m, F_NODEID), ENOENT);
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(lookup_caching)

static void lookup_errors(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	uint64_t id = 0, gen = 0;

	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "missing", &id, &gen), ENOENT);
	assert_int_equal(model_lookup(f->m, 77, "x", &id, &gen), ENOENT);    /* parent not cached */
	assert_int_equal(model_lookup(f->m, F_NODEID, "x", &id, &gen), ENOTDIR);
	/* invalid file type: fuse_invalid_attr() -> EIO, nothing cached */
	fake_add(f, FUSE_ROOT_ID, "weird", 40, 1, 0170000);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "weird", &id, &gen), EIO);
	assert_int_equal(model_cached(f->m, 40, NULL, NULL), 0);
	/* a LOOKUP carries the parent in the header and the caller's uid */
	assert_true(log_index(f, FUSE_LOOKUP, D_NODEID) < 0);
	assert_true(log_index(f, FUSE_LOOKUP, FUSE_ROOT_ID) >= 0);
	fake_stop(f);
}
PER_PROFILE(lookup_errors)

/*
 * A LOOKUP that returns a cached nodeid with another generation (a reuse
 * the kernel never saw a FORGET for) makes the old inode bad, as 6.18 does
 * (cases/stale.c): its watch stays and hears nothing; when the watch goes,
 * the bad inode is evicted and FORGETs its lookups by nodeid.
 */
static void lookup_reuse_makes_bad(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	int id = model_inotify_init(f->m), wd;
	uint64_t nid = 0, gen = 0;
	int64_t nl = 0;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	fake_add(f, FUSE_ROOT_ID, "f", F_NODEID, F_GEN + 1, S_IFREG | 0644);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "f", &nid, &gen), 0);
	assert_int_equal(gen, F_GEN + 1);
	assert_int_equal(model_cached(f->m, F_NODEID, &gen, &nl), 1);
	assert_true(gen == F_GEN + 1 && nl == 1);
	/* an event of the new object does not reach the watch on the old one */
	assert_int_equal(event(f, F_NODEID, F_GEN + 1, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), 0);
	assert_int_equal(forgotten(f, F_NODEID), 0);
	assert_int_equal(model_rm_watch(f->m, id, wd), 0);
	assert_int_equal(drain(f, id, ev, 8), 1);
	assert_int_equal(ev[0].mask, IN_IGNORED);
	assert_true(fake_wait(f, FUSE_FORGET, 1));
	assert_int_equal(forgotten(f, F_NODEID), 1);
	/* a new file type is a new object too */
	fake_add(f, FUSE_ROOT_ID, "f", F_NODEID, F_GEN + 1, S_IFDIR | 0755);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "f", &nid, &gen), 0);
	assert_int_equal(model_cached(f->m, F_NODEID, &gen, &nl), 1);
	assert_int_equal(nl, 1);
	assert_true(fake_wait(f, FUSE_FORGET, 2)); /* the unwatched old one goes at once */
	assert_int_equal(forgotten(f, F_NODEID), 2);
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(lookup_reuse_makes_bad)

/* ---- watches and their requests ------------------------------------------------------------- */

static void check_add_request(struct fake *f, const struct logged *q, uint32_t call_mask,
			      uint64_t agg, int id)
{
	assert_int_equal(q->decode_err, 0);
	assert_int_equal(q->nodeid, F_NODEID);
	if (ext_aggregated(f)) {
		assert_int_equal(q->rq.generation, F_GEN);
		assert_int_equal(q->rq.mask, agg);
		assert_int_equal(q->rq.defects, 0);
	} else {
		assert_int_equal(q->rq.mask, call_mask);
		assert_int_equal(q->rq.action, FSN_ACTION_ADD);
		assert_int_equal(q->rq.group, 0xffff888012345000ull + (uint64_t)id * 0x1000);
		assert_true(q->rq.defects & FSN_DEFECT_GROUP_POINTER);
	}
}

static void add_watch_request(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct logged q[4];
	int id = model_inotify_init(f->m), wd, wd2;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY | IN_CREATE);
	assert_int_equal(wd, 1);
	assert_int_equal(fsn_reqs(f, 0, q, 4), 1);
	check_add_request(f, &q[0], IN_MODIFY | IN_CREATE, IN_MODIFY | IN_CREATE, id);
	assert_int_equal(stats(f).fsnotify_requests, 1);
	assert_int_equal(stats(f).requests_sent[63], 1);
	/* IN_MASK_ADD: the same wd; fsn-1 sends the union, the RFC the caller's bits */
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, IN_ATTRIB | IN_MASK_ADD, &wd2), 0);
	assert_int_equal(wd2, wd);
	assert_int_equal(fsn_reqs(f, 1, q, 4), 1);
	check_add_request(f, &q[0], IN_ATTRIB | IN_MASK_ADD, IN_MODIFY | IN_CREATE | IN_ATTRIB, id);
	if (!ext_aggregated(f))
		assert_true(q[0].rq.defects & FSN_DEFECT_RAW_USER_MASK);
	/* IN_MASK_CREATE on a watched inode: EEXIST, nothing sent */
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, IN_ACCESS | IN_MASK_CREATE, &wd2), EEXIST);
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, IN_MASK_ADD | IN_MASK_CREATE, &wd2), EINVAL);
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, 0, &wd2), EINVAL);
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, IN_MODIFY | IN_ONLYDIR, &wd2), ENOTDIR);
	assert_int_equal(model_add_watch(f->m, id, 77, IN_MODIFY, &wd2), ENOENT);
	assert_int_equal(model_add_watch(f->m, id + 100, F_NODEID, IN_MODIFY, &wd2), EBADF);
	assert_int_equal(fsn_total(f), 2);
	fake_stop(f);
}
PER_PROFILE(add_watch_request)

/* A directory watch asks for the children too: inotify marks a directory FS_EVENT_ON_CHILD. */
static void directory_mask_has_on_child(void **s)
{
	struct fake *f = setup(P("fsn-1"), NULL);
	struct logged q[2];
	int id = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, D_NODEID, IN_CREATE | IN_ONESHOT | IN_EXCL_UNLINK);
	assert_int_equal(fsn_reqs(f, 0, q, 2), 1);
	assert_int_equal(q[0].decode_err, 0);
	assert_int_equal(q[0].nodeid, D_NODEID);
	assert_int_equal(q[0].rq.generation, D_GEN);
	assert_int_equal(q[0].rq.mask, IN_CREATE | FSN_FS_EVENT_ON_CHILD);
	fake_stop(f);
}

static void check_remove_request(struct fake *f, const struct logged *q, uint64_t nodeid,
				 uint64_t gen)
{
	assert_int_equal(q->decode_err, 0);
	assert_int_equal(q->nodeid, nodeid);
	if (ext_aggregated(f)) {
		assert_int_equal(q->rq.mask, 0);
		assert_int_equal(q->rq.generation, gen);
	} else {
		assert_int_equal(q->rq.action, FSN_ACTION_REMOVE);
	}
}

static void rm_watch_request(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	struct logged q[4];
	int id = model_inotify_init(f->m), wd;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(model_rm_watch(f->m, id, wd), 0);
	assert_int_equal(fsn_reqs(f, 1, q, 4), 1);
	check_remove_request(f, &q[0], F_NODEID, F_GEN);
	assert_int_equal(drain(f, id, ev, 8), 1);
	assert_int_equal(ev[0].wd, wd);
	assert_int_equal(ev[0].mask, IN_IGNORED);
	assert_int_equal(model_rm_watch(f->m, id, wd), EINVAL);
	assert_int_equal(fsn_total(f), 2);
	/* wds are not handed out twice */
	assert_int_equal(add_watch(f, id, F_NODEID, IN_MODIFY), wd + 1);
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(rm_watch_request)

static void close_requests(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	struct logged q[4];
	size_t n = 0;
	int id = model_inotify_init(f->m);

	add_watch(f, id, F_NODEID, IN_MODIFY);
	add_watch(f, id, D_NODEID, IN_CREATE);
	assert_int_equal(model_inotify_close(f->m, id), 0);
	/* one request per inode that changed; no events: the instance is gone */
	assert_int_equal(fsn_reqs(f, 2, q, 4), 2);
	check_remove_request(f, q[0].nodeid == F_NODEID ? &q[0] : &q[1], F_NODEID, F_GEN);
	check_remove_request(f, q[0].nodeid == D_NODEID ? &q[0] : &q[1], D_NODEID, D_GEN);
	assert_int_equal(model_read(f->m, id, ev, 8, &n), EBADF);
	assert_int_equal(model_inotify_close(f->m, id), EBADF);
	fake_stop(f);
}
PER_PROFILE(close_requests)

static void oneshot(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	struct logged q[4];
	int id = model_inotify_init(f->m), wd;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY | IN_ONESHOT);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	/* the detach request went out, and was answered, before the write returned */
	assert_int_equal(fsn_reqs(f, 1, q, 4), 1);
	check_remove_request(f, &q[0], F_NODEID, F_GEN);
	assert_int_equal(drain(f, id, ev, 8), 2);
	assert_true(ev[0].wd == wd && ev[0].mask == IN_MODIFY);
	assert_true(ev[1].wd == wd && ev[1].mask == IN_IGNORED);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), 0);
	assert_int_equal(fsn_total(f), 2);
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(oneshot)

static void unlink_events(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	struct logged q[4];
	int id = model_inotify_init(f->m), wd, wd_root;
	size_t n;
	/* the parent's IN_DELETE is a local event; IN_DELETE_SELF dies with the marks */
	bool suppressed = p->local_suppressed_mask & IN_DELETE;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY | IN_DELETE_SELF);
	wd_root = add_watch(f, id, FUSE_ROOT_ID, IN_DELETE);
	assert_int_equal(model_unlink(f->m, FUSE_ROOT_ID, "f"), 0);
	n = drain(f, id, ev, 8);
	/* fsnotify_inoderemove(): IN_DELETE_SELF, IN_IGNORED; then the parent's IN_DELETE */
	assert_int_equal(n, suppressed ? 2 : 3);
	assert_true(ev[0].wd == wd && ev[0].mask == IN_DELETE_SELF);
	assert_true(ev[1].wd == wd && ev[1].mask == IN_IGNORED);
	if (!suppressed)
		assert_true(ev[2].wd == wd_root && ev[2].mask == IN_DELETE && !strcmp(ev[2].name, "f"));
	/*
	 * fsn-1: the marks went with the inode, and its FORGET says it: no
	 * request for an object without a link left (as the fsn-1 kernel of
	 * kernel/ does).  The RFC's mark code sends a "remove" from the
	 * detach, before the FORGET that frees the nodeid.
	 */
	if (ext_aggregated(f)) {
		assert_int_equal(fsn_reqs(f, 2, q, 4), 0);
	} else {
		assert_int_equal(fsn_reqs(f, 2, q, 4), 1);
		check_remove_request(f, &q[0], F_NODEID, F_GEN);
	}
	assert_true(fake_wait(f, FUSE_FORGET, 1));
	assert_int_equal(forgotten(f, F_NODEID), 1);
	assert_int_equal(model_cached(f->m, F_NODEID, NULL, NULL), 0);
	if (!ext_aggregated(f))
		assert_true(log_last_index(f, p->fsnotify_opcode, F_NODEID) <
			    log_index(f, FUSE_FORGET, F_NODEID));
	/* an uncached name is looked up first, and the server's errno comes back */
	f->unlink_err = EACCES;
	assert_int_equal(model_unlink(f->m, D_NODEID, "g"), EACCES);
	assert_int_equal(model_unlink(f->m, FUSE_ROOT_ID, "d"), EISDIR);
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(unlink_events)

static void evict_order(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	int id = model_inotify_init(f->m), id2 = model_inotify_init(f->m), wd;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	add_watch(f, id2, F_NODEID, IN_ATTRIB);
	/* A mark pins its inode (fsnotify holds a reference): no eviction, no FORGET. */
	assert_int_equal(model_evict(f->m, F_NODEID), EBUSY);
	assert_int_equal(forgotten(f, F_NODEID), 0);
	assert_int_equal(model_rm_watch(f->m, id, wd), 0);
	assert_int_equal(model_inotify_close(f->m, id2), 0);
	assert_int_equal(drain(f, id, ev, 8), 1);
	assert_true(ev[0].wd == wd && ev[0].mask == IN_IGNORED);
	assert_int_equal(model_evict(f->m, F_NODEID), 0);
	/* two adds, then fsn-1: "set ATTRIB", "set 0"; the RFC: one "remove" per group */
	assert_int_equal(fsn_total(f), 4);
	assert_true(fake_wait(f, FUSE_FORGET, 1));
	/* the last request (nothing watched) comes before the FORGET that frees the nodeid */
	assert_true(log_last_index(f, p->fsnotify_opcode, F_NODEID) <
		    log_index(f, FUSE_FORGET, F_NODEID));
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(evict_order)

/* fsn-1 sends only when the resulting mask changes; the RFC sends per group regardless. */
static void unchanged_aggregate(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct logged q[4];
	int id = model_inotify_init(f->m), id2 = model_inotify_init(f->m), wd, wd2;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	wd2 = add_watch(f, id2, F_NODEID, IN_MODIFY | IN_ATTRIB);
	assert_int_equal(fsn_total(f), 2);
	assert_int_equal(model_rm_watch(f->m, id, wd), 0);
	if (ext_aggregated(f)) {
		assert_int_equal(fsn_total(f), 2);
		assert_int_equal(model_rm_watch(f->m, id2, wd2), 0);
		assert_int_equal(fsn_reqs(f, 2, q, 4), 1);
		assert_int_equal(q[0].rq.mask, 0);
	} else {
		assert_int_equal(fsn_total(f), 3);
	}
	fake_stop(f);
}
PER_PROFILE(unchanged_aggregate)

static void reply_errno_rollback(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	int id = model_inotify_init(f->m), wd = -1;
	size_t n;

	f->fsn_err = EPERM;
	f->fsn_err_count = 1;
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, IN_MODIFY, &wd), EPERM);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	n = drain(f, id, ev, 8);
	if (rolls_back(f)) {
		/* the watch never existed for the caller: no event, no IN_IGNORED */
		assert_int_equal(n, 0);
		assert_int_equal(wd, -1);
	} else {
		/* as posted: the error is returned but the mark stays and hears */
		assert_int_equal(n, 1);
		assert_int_equal(ev[0].wd, wd);
	}
	/* a refused change of an existing watch keeps the old mask */
	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	f->fsn_err = ENOSPC;
	f->fsn_err_count = 1;
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, IN_ATTRIB | IN_MASK_ADD, &wd), ENOSPC);
	drain(f, id, ev, 8);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_ATTRIB, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), rolls_back(f) ? 0 : 1);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), 1);
	/* fsn-1: after the refusal the server's state is unknown, so the next add sends again */
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(reply_errno_rollback)

static void no_reply_times_out(const struct fsn_profile *p)
{
	struct fake_opts fo = { .timeout_ms = 200 };
	struct fake *f = setup(p, &fo);
	struct ino_event ev[8];
	int id = model_inotify_init(f->m), wd = -1;
	int64_t t0;

	f->fsn_silent_count = 1;
	t0 = now_ms();
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, IN_MODIFY, &wd), ETIMEDOUT);
	assert_true(now_ms() - t0 >= 150 && now_ms() - t0 < 1000);
	/* the watch stays */
	assert_true(wd >= 1);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), 1);
	/* a reply that arrives late is refused like any unknown unique? no: still pending, accepted */
	{
		struct logged q[2];
		uint8_t rep[64];
		size_t n;

		assert_int_equal(fsn_reqs(f, 0, q, 2), 1);
		n = fw_reply_encode(rep, sizeof(rep), q[0].unique, 0, NULL, 0);
		assert_int_equal(tr_write(f->t, rep, n), 0);
		assert_int_equal(tr_write(f->t, rep, n), ENOENT); /* once only */
	}
	fake_stop(f);
}
PER_PROFILE(no_reply_times_out)

/* fsn-1 section 7: -ENOSYS means "not supported", the kernel stops sending. */
static void enosys_stops_requests(void **s)
{
	struct fake *f = setup(P("fsn-1"), NULL);
	int id = model_inotify_init(f->m);

	(void)s;
	f->fsn_err = ENOSYS;
	f->fsn_err_count = NO_LIMIT;
	add_watch(f, id, F_NODEID, IN_MODIFY);
	add_watch(f, id, D_NODEID, IN_CREATE);
	assert_int_equal(fsn_total(f), 1);
	fake_stop(f);
}

/* After an abort: no request can go out (ENOTCONN), the reader gets ENODEV. */
static void abort_then_calls(void **s)
{
	struct fake *f = setup(P("fsn-1"), NULL);
	int id = model_inotify_init(f->m), wd = -1;
	uint8_t buf[FUSE_MIN_READ_BUFFER];
	struct ino_event ev[2];
	size_t n;

	(void)s;
	model_abort(f->m);
	/* the request fails, and fsn-1 rolls the new watch back */
	assert_int_equal(model_add_watch(f->m, id, F_NODEID, IN_MODIFY, &wd), ENOTCONN);
	assert_int_equal(wd, -1);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "f", NULL, NULL), ENOTCONN);
	assert_int_equal(tr_read(f->t, buf, sizeof(buf), &n), ENODEV);
	/* the caches stay readable */
	assert_int_equal(model_cached(f->m, F_NODEID, NULL, NULL), 1);
	assert_int_equal(drain(f, id, ev, 2), 0);
	fake_stop(f);
}

struct pending_add {
	struct fake *f;
	int id;
	int err;
};

static void *do_add(void *arg)
{
	struct pending_add *a = arg;
	int wd;

	a->err = model_add_watch(a->f->m, a->id, F_NODEID, IN_MODIFY, &wd);
	return NULL;
}

static void abort_during_wait(void **s)
{
	struct fake_opts fo = { .timeout_ms = 1000 };
	struct fake *f = setup(P("gen-2021"), &fo);
	struct pending_add a = { f, model_inotify_init(f->m), -1 };
	pthread_t th;
	int64_t t0 = now_ms();

	(void)s;
	f->fsn_silent_count = 1;
	assert_int_equal(pthread_create(&th, NULL, do_add, &a), 0);
	assert_true(fake_wait(f, f->p->fsnotify_opcode, 1));
	model_abort(f->m);
	pthread_join(th, NULL);
	assert_int_equal(a.err, ECONNABORTED);
	assert_true(now_ms() - t0 < 800);
	fake_stop(f);
}

struct add_call {
	struct model *m;
	int id;
	uint64_t nodeid;
	uint32_t mask;
	int err;
};

static void *add_call_thread(void *arg)
{
	struct add_call *a = arg;
	int wd;

	a->err = model_add_watch(a->m, a->id, a->nodeid, a->mask, &wd);
	return NULL;
}

/* Read one request as the server; returns its header. */
static struct fuse_in_header serve_one(struct model *m, uint8_t *buf, size_t cap)
{
	struct fuse_in_header h = {0};
	size_t n = 0;

	assert_int_equal(tr_read(model_transport(m), buf, cap, &n), 0);
	assert_true(n >= sizeof(h));
	memcpy(&h, buf, sizeof(h));
	return h;
}

static void answer(struct model *m, uint64_t unique, const void *payload, size_t len)
{
	uint8_t rep[256];
	size_t n = fw_reply_encode(rep, sizeof(rep), unique, 0, payload, len);

	assert_int_equal(tr_write(model_transport(m), rep, n), 0);
}

/*
 * A single-threaded server writes a notification from its read loop: the
 * IN_ONESHOT detach it causes cannot wait for a request that thread would
 * have to read itself.  It goes out in the background; the write returns.
 */
static void reader_writes_notification(void **s)
{
	const struct fsn_profile *p = P("fsn-1");
	struct model *m = model_new(&(struct model_opts){ .profile = p, .timeout_ms = 2000 });
	struct fuse_init_out io = { .major = 7, .minor = 45, .flags = FUSE_INIT_EXT,
				    .flags2 = p->init_bit };
	struct add_call a = { .m = m, .nodeid = FUSE_ROOT_ID, .mask = IN_CREATE | IN_ONESHOT };
	uint8_t buf[FUSE_MIN_READ_BUFFER];
	struct fuse_in_header h;
	struct fsn_request rq;
	struct ino_event ev[4];
	struct fsn_notify n = { .kind = FSN_REC_EVENT, .nodeid = FUSE_ROOT_ID,
				.has_generation = true, .mask = IN_CREATE,
				.name = { .name = "x", .namelen = 1 } };
	uint8_t pl[128];
	size_t len, got = 0;
	pthread_t th;
	int64_t t0;

	(void)s;
	h = serve_one(m, buf, sizeof(buf));
	assert_int_equal(h.opcode, FUSE_INIT);
	answer(m, h.unique, &io, sizeof(io));
	assert_true(model_extension_on(m));
	/* the root is cached from mount on: watch it from another thread, serve from this one */
	a.id = model_inotify_init(m);
	assert_int_equal(pthread_create(&th, NULL, add_call_thread, &a), 0);
	h = serve_one(m, buf, sizeof(buf));
	assert_int_equal(h.opcode, p->fsnotify_opcode);
	assert_int_equal(fsn_decode_request(p, h.nodeid, buf + sizeof(h), h.len - sizeof(h), &rq), 0);
	assert_int_equal(rq.mask, IN_CREATE | FSN_FS_EVENT_ON_CHILD);
	answer(m, h.unique, NULL, 0);
	pthread_join(th, NULL);
	assert_int_equal(a.err, 0);
	/* the reader writes the event: it must not block on the detach request */
	len = fsn_encode_notify(p, &n, pl, sizeof(pl));
	assert_true(len > 0);
	{
		uint8_t msg[256];
		size_t ml = fw_notify_encode(msg, sizeof(msg), p->notify_code, pl, len);

		t0 = now_ms();
		assert_int_equal(tr_write(model_transport(m), msg, ml), 0);
		assert_true(now_ms() - t0 < 500);
	}
	h = serve_one(m, buf, sizeof(buf));
	assert_int_equal(h.opcode, p->fsnotify_opcode);
	assert_int_equal(fsn_decode_request(p, h.nodeid, buf + sizeof(h), h.len - sizeof(h), &rq), 0);
	assert_int_equal(rq.mask, 0);
	answer(m, h.unique, NULL, 0); /* accepted, nobody waits for it */
	assert_int_equal(model_read(m, a.id, ev, 4, &got), 0);
	assert_int_equal(got, 2);
	assert_true(ev[0].mask == IN_CREATE && ev[1].mask == IN_IGNORED);
	model_free(m);
}

/* ---- remote events -------------------------------------------------------------------------- */

static void event_delivery(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	int id = model_inotify_init(f->m), wd_d, wd_f;

	wd_d = add_watch(f, id, D_NODEID, IN_CREATE | IN_MODIFY);
	wd_f = add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(event(f, D_NODEID, D_GEN, IN_CREATE, "new.txt"), 0);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_ATTRIB, NULL), 0); /* not watched: nothing */
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), 2);
	assert_true(ev[0].wd == wd_d && ev[0].mask == IN_CREATE && !strcmp(ev[0].name, "new.txt"));
	assert_int_equal(ev[0].len_field, 16); /* "new.txt" + NUL padded to 16 */
	assert_true(ev[1].wd == wd_f && ev[1].mask == IN_MODIFY && ev[1].name[0] == 0);
	assert_int_equal(ev[1].len_field, 0);
	assert_int_equal(stats(f).events_remote, 2);
	assert_int_equal(stats(f).notifications_accepted, 3);
	assert_int_equal(stats(f).last_notify_errno, 0);
	/* inotify_merge(): the same event again, unread, is one event */
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), 1);
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(event_delivery)

/*
 * Identity: an unknown nodeid and a stale generation, per profile.  The RFC
 * cannot see a stale generation and delivers to the cached object; its
 * verdicts never reach the server (EINVAL kept in the stats).
 */
static void identity_verdicts(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[8];
	int id = model_inotify_init(f->m), wd;
	bool rfc = p->identity == FSN_IDENTITY_NODEID_ONLY;
	struct model_stats st;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(event(f, 99, 1, IN_MODIFY, NULL), rfc ? 0 : ENOENT);
	st = stats(f);
	assert_int_equal(st.last_notify_errno, rfc ? EINVAL : ENOENT);
	assert_int_equal(st.notifications_rejected, 1);
	/* the server reused nodeid 5 for (5, 8) behind the watch on (5, 7) */
	assert_int_equal(event(f, F_NODEID, F_GEN + 1, IN_MODIFY, NULL), rfc ? 0 : ESTALE);
	if (rfc) {
		/* misattributed: the event of (5, 8) reaches the watch on (5, 7) */
		assert_int_equal(drain(f, id, ev, 8), 1);
		assert_int_equal(ev[0].wd, wd);
	} else {
		assert_int_equal(drain(f, id, ev, 8), 0);
		assert_int_equal(stats(f).last_notify_errno, ESTALE);
	}
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 8), 1);
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(identity_verdicts)

/* gen-2021 carries 32 bits: generations that differ above them are the same to it. */
static void gen2021_low_bits_only(void **s)
{
	const struct fsn_profile *p = P("gen-2021");
	struct fake *f = fake_start(p, NULL);
	struct ino_event ev[4];
	uint64_t big = (UINT64_C(1) << 32) | 7, nid, gen;
	int id = model_inotify_init(f->m);

	(void)s;
	fake_add(f, FUSE_ROOT_ID, "f", F_NODEID, big, S_IFREG | 0644);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "f", &nid, &gen), 0);
	assert_int_equal(gen, big);
	add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(event(f, F_NODEID, 7, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 4), 1);
	assert_invariants(f);
	fake_stop(f);
}

/* fsn-1: a given child cached with another generation is ESTALE; an uncached child is fine. */
static void fsn1_child_identity(void **s)
{
	struct fake *f = setup(P("fsn-1"), NULL);
	struct ino_event ev[4];
	struct fsn_notify n;
	uint64_t nid, gen;
	int id = model_inotify_init(f->m);

	(void)s;
	assert_int_equal(model_lookup(f->m, D_NODEID, "g", &nid, &gen), 0);
	add_watch(f, id, D_NODEID, IN_MODIFY);
	ev_init(f, &n, D_NODEID, D_GEN, IN_MODIFY, "g", 0);
	n.child = (struct fsn_object){ G_NODEID, G_GEN + 1 };
	assert_int_equal(notify(f, &n), ESTALE);
	n.child = (struct fsn_object){ 70, 1 };
	assert_int_equal(notify(f, &n), 0);
	n.child = (struct fsn_object){ G_NODEID, G_GEN };
	n.name.name = "h"; /* another name: no merge */
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, id, ev, 4), 2);
	fake_stop(f);
}

/* ---- renames -------------------------------------------------------------------------------- */

#define S_NODEID 20
#define S_GEN 3
#define T_NODEID 21
#define T_GEN 4
#define C_NODEID 22

static struct fake *rename_setup(const struct fake_opts *fo)
{
	struct fake *f = fake_start(P("fsn-1"), fo);
	uint64_t nid, gen;

	fake_add(f, FUSE_ROOT_ID, "src", S_NODEID, S_GEN, S_IFDIR | 0755);
	fake_add(f, FUSE_ROOT_ID, "dst", T_NODEID, T_GEN, S_IFDIR | 0755);
	fake_add(f, S_NODEID, "a", C_NODEID, 1, S_IFREG | 0644);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "src", &nid, &gen), 0);
	assert_int_equal(model_lookup(f->m, FUSE_ROOT_ID, "dst", &nid, &gen), 0);
	return f;
}

static void fsn1_rename_cookie_pair(void **s)
{
	struct fake *f = rename_setup(NULL);
	struct ino_event ev[8];
	struct fsn_notify n;
	int id = model_inotify_init(f->m), ws, wt;
	uint32_t c1;

	(void)s;
	ws = add_watch(f, id, S_NODEID, IN_MOVE);
	wt = add_watch(f, id, T_NODEID, IN_MOVE);
	rename_init(&n, S_NODEID, S_GEN, "a", T_NODEID, T_GEN, "b");
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, id, ev, 8), 2);
	assert_true(ev[0].wd == ws && ev[0].mask == IN_MOVED_FROM && !strcmp(ev[0].name, "a"));
	assert_true(ev[1].wd == wt && ev[1].mask == IN_MOVED_TO && !strcmp(ev[1].name, "b"));
	assert_true(ev[0].cookie != 0 && ev[0].cookie == ev[1].cookie);
	c1 = ev[0].cookie;
	/* the next rename gets the next cookie */
	rename_init(&n, T_NODEID, T_GEN, "b", S_NODEID, S_GEN, "a");
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, id, ev, 8), 2);
	assert_true(ev[0].cookie == ev[1].cookie && ev[0].cookie != c1 && ev[0].cookie != 0);
	/* only the source watched: IN_MOVED_FROM alone */
	assert_int_equal(model_rm_watch(f->m, id, wt), 0);
	drain(f, id, ev, 8);
	rename_init(&n, S_NODEID, S_GEN, "a", T_NODEID, T_GEN, "b");
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, id, ev, 8), 1);
	assert_int_equal(ev[0].mask, IN_MOVED_FROM);
	/* a directory moved: IN_ISDIR on both halves */
	rename_init(&n, S_NODEID, S_GEN, "x", S_NODEID, S_GEN, "y");
	n.mask = IN_ISDIR;
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, id, ev, 8), 2);
	assert_true(ev[0].mask == (IN_MOVED_FROM | IN_ISDIR) && ev[1].mask == (IN_MOVED_TO | IN_ISDIR));
	assert_invariants(f);
	fake_stop(f);
}

static void fsn1_rename_verdicts(void **s)
{
	struct fake *f = rename_setup(NULL);
	struct ino_event ev[8];
	struct fsn_notify n;
	uint64_t nid, gen;
	int id = model_inotify_init(f->m), wc;

	(void)s;
	add_watch(f, id, S_NODEID, IN_MOVE);
	rename_init(&n, 90, 1, "a", 91, 1, "b");
	assert_int_equal(notify(f, &n), ENOENT); /* neither parent cached */
	rename_init(&n, S_NODEID, S_GEN + 1, "a", T_NODEID, T_GEN, "b");
	assert_int_equal(notify(f, &n), ESTALE);
	rename_init(&n, S_NODEID, S_GEN, "a", 91, 1, "b");
	assert_int_equal(notify(f, &n), 0); /* goes to what is cached */
	assert_int_equal(drain(f, id, ev, 8), 1);
	/* the moved child: IN_MOVE_SELF to its own watch; a stale child is ESTALE */
	assert_int_equal(model_lookup(f->m, S_NODEID, "a", &nid, &gen), 0);
	wc = add_watch(f, id, C_NODEID, IN_MOVE_SELF);
	rename_init(&n, S_NODEID, S_GEN, "a", T_NODEID, T_GEN, "b");
	n.child = (struct fsn_object){ C_NODEID, 2 };
	assert_int_equal(notify(f, &n), ESTALE);
	n.child = (struct fsn_object){ C_NODEID, 1 };
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, id, ev, 8), 2);
	assert_true(ev[1].wd == wc && ev[1].mask == IN_MOVE_SELF);
	fake_stop(f);
}

static void check_dfid(const struct fan_info_rec *r, int type, uint64_t nodeid, uint32_t gen,
		       const char *name)
{
	struct fuse_fh fh;

	assert_int_equal(r->type, type);
	assert_int_equal(fuse_fh_decode(r->handle_type, r->handle, r->handle_bytes, &fh), 0);
	assert_int_equal(fh.nodeid, nodeid);
	assert_int_equal(fh.generation, gen);
	assert_string_equal(r->name, name);
	assert_true(r->fsid[0] == 0 && r->fsid[1] == 0);
	assert_int_equal(r->len % 4, 0);
}

static void fsn1_fan_rename(void **s)
{
	struct fake *f = rename_setup(NULL);
	struct fan_event fev[4];
	struct fsn_notify n;
	struct logged q[4];
	size_t nf = 0;
	int both = model_fanotify_init(f->m), one = model_fanotify_init(f->m);

	(void)s;
	assert_true(both >= 0 && one >= 0);
	assert_int_equal(model_fan_mark(f->m, both, S_NODEID, FSN_FS_RENAME), 0);
	assert_int_equal(model_fan_mark(f->m, both, T_NODEID, FSN_FS_RENAME), 0);
	assert_int_equal(model_fan_mark(f->m, one, S_NODEID, FSN_FS_RENAME), 0);
	/* the request carries FS_RENAME in the inode's resulting mask, once per inode */
	assert_int_equal(fsn_reqs(f, 0, q, 4), 2);
	assert_int_equal(q[0].rq.mask, FSN_FS_RENAME);
	assert_int_equal(model_fan_mark(f->m, one, F_NODEID, FSN_FS_RENAME), ENOENT);
	assert_int_equal(model_fan_mark(f->m, one, S_NODEID, IN_MODIFY), EINVAL);
	rename_init(&n, S_NODEID, S_GEN, "a", T_NODEID, T_GEN, "b");
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(model_fan_read(f->m, both, fev, 4, &nf), 0);
	assert_int_equal(nf, 1);
	assert_int_equal(fev[0].mask, FAN_RENAME);
	assert_int_equal(fev[0].fd, FAN_NOFD);
	assert_int_equal(fev[0].nrec, 2);
	check_dfid(&fev[0].rec[0], FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, S_NODEID, S_GEN, "a");
	check_dfid(&fev[0].rec[1], FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, T_NODEID, T_GEN, "b");
	assert_int_equal(fev[0].event_len, FAN_EVENT_METADATA_LEN + fev[0].rec[0].len + fev[0].rec[1].len);
	/* only the source marked: the OLD record alone, as 6.18 does (cases/rename.c) */
	assert_int_equal(model_fan_read(f->m, one, fev, 4, &nf), 0);
	assert_int_equal(nf, 1);
	assert_int_equal(fev[0].nrec, 1);
	check_dfid(&fev[0].rec[0], FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, S_NODEID, S_GEN, "a");
	/* a directory moved needs FAN_ONDIR on the mark */
	n.mask = IN_ISDIR;
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(model_fan_read(f->m, one, fev, 4, &nf), 0);
	assert_int_equal(nf, 0);
	assert_int_equal(model_fan_mark(f->m, one, S_NODEID, FSN_FS_RENAME | FAN_ONDIR), 0);
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(model_fan_read(f->m, one, fev, 4, &nf), 0);
	assert_int_equal(nf, 1);
	assert_int_equal(fev[0].mask, FAN_RENAME | FAN_ONDIR);
	fake_stop(f);
}

/* Cookie-pair profiles have no fanotify rename: the cookie comes from the server. */
static void cookie_pair_no_fanotify(void **s)
{
	struct fake *f = setup(P("rfc-2021"), NULL);
	struct ino_event ev[4];
	struct fsn_notify n;
	int id = model_inotify_init(f->m);

	(void)s;
	assert_int_equal(model_fanotify_init(f->m), -EOPNOTSUPP);
	add_watch(f, id, D_NODEID, IN_MOVE);
	ev_init(f, &n, D_NODEID, D_GEN, IN_MOVED_FROM, "a", 77);
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, id, ev, 4), 1);
	assert_int_equal(ev[0].cookie, 77);
	fake_stop(f);
}

/* ---- overflow ------------------------------------------------------------------------------- */

static void fsn1_overflow_record(void **s)
{
	struct fake *f = setup(P("fsn-1"), NULL);
	struct ino_event ev[8];
	struct fsn_notify n = { .kind = FSN_REC_OVERFLOW, .has_generation = true, .lost = 12 };
	int a = model_inotify_init(f->m), b = model_inotify_init(f->m), c = model_inotify_init(f->m);

	(void)s;
	add_watch(f, a, F_NODEID, IN_MODIFY);
	add_watch(f, b, D_NODEID, IN_CREATE);
	(void)c; /* no watch: not told */
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(notify(f, &n), 0);
	for (int id = a; id <= b; id++) {
		assert_int_equal(drain(f, id, ev, 8), 1);
		assert_true(ev[0].wd == -1 && ev[0].mask == IN_Q_OVERFLOW);
	}
	assert_int_equal(drain(f, c, ev, 8), 0);
	assert_int_equal(stats(f).overflows, 2);
	/* read out, it can come again */
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, a, ev, 8), 1);
	assert_invariants(f);
	fake_stop(f);
}

static const char *const names[] = { "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9" };

static void queue_overflow(const struct fsn_profile *p)
{
	struct fake_opts fo = { .max_events = 4 };
	struct fake *f = setup(p, &fo);
	struct ino_event ev[16];
	int id = model_inotify_init(f->m);
	size_t n;

	add_watch(f, id, D_NODEID, IN_CREATE);
	/* distinct names: inotify would merge identical events */
	for (int i = 0; i < 10; i++)
		assert_int_equal(event(f, D_NODEID, D_GEN, IN_CREATE, names[i]), 0);
	n = drain(f, id, ev, 16);
	assert_int_equal(n, 5);
	assert_string_equal(ev[3].name, "n3");
	assert_true(ev[4].wd == -1 && ev[4].mask == IN_Q_OVERFLOW);
	assert_int_equal(stats(f).overflows, 1);
	assert_int_equal(stats(f).events_remote, 4);
	/* drained, the queue takes events and one new overflow again */
	for (int i = 0; i < 6; i++)
		assert_int_equal(event(f, D_NODEID, D_GEN, IN_CREATE, names[i]), 0);
	n = drain(f, id, ev, 16);
	assert_int_equal(n, 5);
	assert_int_equal(ev[4].mask, IN_Q_OVERFLOW);
	/*
	 * A partial read leaves the overflow queued, and it counts against the
	 * bound (group->q_len++): room for one more event, and no second overflow.
	 */
	for (int i = 0; i < 6; i++)
		assert_int_equal(event(f, D_NODEID, D_GEN, IN_CREATE, names[i]), 0);
	assert_int_equal(drain(f, id, ev, 2), 2);
	for (int i = 6; i < 10; i++)
		assert_int_equal(event(f, D_NODEID, D_GEN, IN_CREATE, names[i]), 0);
	assert_invariants(f);
	n = drain(f, id, ev, 16);
	assert_int_equal(n, 4); /* n2, n3, the overflow, n6 */
	assert_int_equal(ev[2].mask, IN_Q_OVERFLOW);
	assert_string_equal(ev[3].name, "n6");
	assert_int_equal(stats(f).overflows, 3); /* one per fill */
	fake_stop(f);
}
PER_PROFILE(queue_overflow)

/* ---- malformed notifications ---------------------------------------------------------------- */

/* Write a payload; with the verdict discarded (rfc-2021) the write says 0 whatever happened. */
static void expect_verdict(struct fake *f, const void *payload, size_t len, int want)
{
	bool discarded = f->p->behaviour & FSN_BEHAV_NOTIFY_ERRNO_DISCARDED;

	assert_int_equal(notify_raw(f, payload, len), discarded ? 0 : want);
	assert_int_equal(stats(f).last_notify_errno, want);
}

static void malformed(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[4];
	uint8_t buf[1024];
	char longname[300];
	struct fsn_notify n;
	size_t len;
	int id = model_inotify_init(f->m);
	bool rfc = p->wire == FSN_WIRE_RFC2021;
	unsigned rejected;

	add_watch(f, id, D_NODEID, IN_CREATE | IN_MODIFY);
	/* too short for the record */
	expect_verdict(f, buf, 8, EINVAL);
	/* namelen > NAME_MAX: ENAMETOOLONG, but the RFC takes it (NAME_TOO_LONG) */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	ev_init(f, &n, D_NODEID, D_GEN, IN_CREATE, longname, 0);
	len = fsn_encode_notify(p, &n, buf, sizeof(buf));
	expect_verdict(f, buf, len, rfc ? 0 : ENAMETOOLONG);
	if (rfc) {
		assert_true(stats(f).last_defects & FSN_DEFECT_NAME_TOO_LONG);
		assert_int_equal(drain(f, id, ev, 4), 1);
		assert_int_equal(strlen(ev[0].name), INO_NAME_MAX); /* inotify's record holds 255 */
	}
	/* bits above 32: refused, or truncated as posted */
	ev_init(f, &n, D_NODEID, D_GEN, IN_MODIFY, NULL, 0);
	n.mask = (UINT64_C(1) << 40) | IN_MODIFY;
	len = fsn_encode_notify(p, &n, buf, sizeof(buf));
	expect_verdict(f, buf, len, rfc ? 0 : EINVAL);
	if (rfc) {
		assert_true(stats(f).last_defects & FSN_DEFECT_MASK_TRUNCATED);
		assert_int_equal(drain(f, id, ev, 4), 1);
		assert_int_equal(ev[0].mask, IN_MODIFY);
	}
	/* trailing bytes */
	ev_init(f, &n, D_NODEID, D_GEN, IN_CREATE, "a", 0);
	len = fsn_encode_notify(p, &n, buf, sizeof(buf));
	buf[len] = 'z';
	expect_verdict(f, buf, len + 1, rfc ? 0 : EINVAL);
	if (!rfc) {
		/* a reserved word that is not zero */
		ev_init(f, &n, D_NODEID, D_GEN, IN_CREATE, "a", 0);
		n.reserved[0] = 1;
		len = fsn_encode_notify(p, &n, buf, sizeof(buf));
		expect_verdict(f, buf, len, EINVAL);
	}
	rejected = stats(f).notifications_rejected;
	assert_int_equal(rejected, rfc ? 1 : 5);
	drain(f, id, ev, 4);
	assert_invariants(f);
	fake_stop(f);
}
PER_PROFILE(malformed)

/* fsn-1 only: an unknown record type, kernel-only bits, a shape that makes no sense. */
static void fsn1_malformed_records(void **s)
{
	struct fake *f = setup(P("fsn-1"), NULL);
	uint8_t buf[256];
	struct fsn_notify n;
	size_t len;

	(void)s;
	ev_init(f, &n, D_NODEID, D_GEN, IN_CREATE, "a", 0);
	len = fsn_encode_notify(f->p, &n, buf, sizeof(buf));
	buf[0] = 9; /* type */
	assert_int_equal(notify_raw(f, buf, len), EINVAL);
	ev_init(f, &n, D_NODEID, D_GEN, IN_Q_OVERFLOW, NULL, 0);
	assert_int_equal(notify(f, &n), EINVAL);
	ev_init(f, &n, D_NODEID, D_GEN, IN_CREATE, NULL, 0);
	assert_int_equal(notify(f, &n), EINVAL); /* IN_CREATE needs a name */
	ev_init(f, &n, 0, 1, IN_MODIFY, NULL, 0);
	assert_int_equal(notify(f, &n), EINVAL); /* nodeid 0 */
	/* the access class is local only: one source per event bit */
	ev_init(f, &n, F_NODEID, F_GEN, IN_ACCESS, NULL, 0);
	assert_int_equal(notify(f, &n), EINVAL);
	fake_stop(f);
}

/* ---- the /dev/fuse write checks and mainline codes ------------------------------------------ */

static void write_checks(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct fuse_notify_inval_inode_out ii = { .ino = F_NODEID };
	uint8_t buf[64];
	size_t n;
	uint32_t bad;

	assert_int_equal(tr_write(f->t, buf, 8), EINVAL); /* shorter than the header */
	n = fw_reply_encode(buf, sizeof(buf), 1000, 0, NULL, 0);
	bad = (uint32_t)n + 4;
	memcpy(buf, &bad, sizeof(bad));
	assert_int_equal(tr_write(f->t, buf, n), EINVAL); /* oh.len != bytes */
	n = fw_reply_encode(buf, sizeof(buf), 1000, 1, NULL, 0);
	assert_int_equal(tr_write(f->t, buf, n), EINVAL); /* positive error */
	n = fw_reply_encode(buf, sizeof(buf), 1000, -600, NULL, 0);
	assert_int_equal(tr_write(f->t, buf, n), EINVAL); /* -512 or below */
	n = fw_reply_encode(buf, sizeof(buf), 1000, 0, NULL, 0);
	assert_int_equal(tr_write(f->t, buf, n), ENOENT); /* no such request */
	/* mainline INVAL_INODE against the model's inode cache */
	assert_int_equal(write_msg(f, FUSE_NOTIFY_INVAL_INODE, &ii, sizeof(ii)), 0);
	ii.ino = 99;
	assert_int_equal(write_msg(f, FUSE_NOTIFY_INVAL_INODE, &ii, sizeof(ii)), ENOENT);
	/* RESEND (7.40): unknown to the 7.36 RFC kernel, accepted by fsn-1's 7.45 */
	assert_int_equal(write_msg(f, FUSE_NOTIFY_RESEND, NULL, 0), p->minor == 36 ? EINVAL : 0);
	assert_int_equal(write_msg(f, 1234, NULL, 0), EINVAL);
	fake_stop(f);
}
PER_PROFILE(write_checks)

/* A reply the kernel refuses still ends its request: the caller sees EIO. */
static void bad_reply_size_is_eio(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	uint64_t id = 0, gen = 0;

	pthread_mutex_lock(&f->lock);
	f->lookup_short = true;
	pthread_mutex_unlock(&f->lock);
	assert_int_equal(model_lookup(f->m, D_NODEID, "g", &id, &gen), EIO);
	assert_int_equal(reply_verdict(f, FUSE_LOOKUP), EINVAL);
	assert_int_equal(model_cached(f->m, G_NODEID, NULL, NULL), 0);
	pthread_mutex_lock(&f->lock);
	f->lookup_short = false;
	pthread_mutex_unlock(&f->lock);
	assert_int_equal(model_lookup(f->m, D_NODEID, "g", &id, &gen), 0);
	assert_int_equal(reply_verdict(f, FUSE_LOOKUP), 0);
	fake_stop(f);
}
PER_PROFILE(bad_reply_size_is_eio)

/* INVAL_ENTRY unhashes the name: the next unlink looks it up again. */
static void mainline_effects(void **s)
{
	struct fake *f = setup(P("fsn-1"), NULL);
	uint8_t buf[64];
	struct fuse_notify_inval_entry_out ie = { .parent = FUSE_ROOT_ID, .namelen = 1 };
	struct fuse_notify_prune_out po = { .count = 1 };
	int lookups;

	(void)s;
	memcpy(buf, &ie, sizeof(ie));
	memcpy(buf + sizeof(ie), "f", 2);
	assert_int_equal(write_msg(f, FUSE_NOTIFY_INVAL_ENTRY, buf, sizeof(ie) + 2), 0);
	lookups = fake_count(f, FUSE_LOOKUP);
	assert_int_equal(model_unlink(f->m, FUSE_ROOT_ID, "f"), 0);
	assert_int_equal(fake_count(f, FUSE_LOOKUP), lookups + 1);
	/* PRUNE drops an unused inode: FORGET */
	memcpy(buf, &po, sizeof(po));
	{
		uint64_t nid = D_NODEID;

		memcpy(buf + sizeof(po), &nid, sizeof(nid));
	}
	assert_int_equal(write_msg(f, FUSE_NOTIFY_PRUNE, buf, sizeof(po) + 8), 0);
	assert_true(fake_wait(f, FUSE_FORGET, 2));
	assert_int_equal(model_cached(f->m, D_NODEID, NULL, NULL), 0);
	fake_stop(f);
}

/* ---- local events --------------------------------------------------------------------------- */

/*
 * One source per event bit (fsn-1.md section 8): while the extension is on,
 * the local bits in local_suppressed_mask are dropped because the server
 * reports them.  The RFC drops every local event (page-cache reads are lost);
 * fsn-1 drops the change class and keeps the access class.
 */
static void local_suppression(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[4];
	int id = model_inotify_init(f->m), wd;
	bool access_kept = !(p->local_suppressed_mask & IN_ACCESS);
	size_t n;

	wd = add_watch(f, id, D_NODEID, IN_ACCESS | IN_CREATE | IN_MODIFY);
	assert_int_equal(model_local_change(f->m, D_NODEID, IN_ACCESS, NULL), 0);
	assert_int_equal(model_local_change(f->m, D_NODEID, IN_CREATE, "x"), 0);
	n = drain(f, id, ev, 4);
	assert_int_equal(n, access_kept ? 1 : 0);
	if (n)
		assert_true(ev[0].wd == wd && ev[0].mask == IN_ACCESS);
	assert_int_equal(stats(f).events_local, n);
	/* one change seen locally and reported remotely: delivered once */
	assert_int_equal(model_local_change(f->m, D_NODEID, IN_MODIFY, "y"), 0);
	assert_int_equal(drain(f, id, ev, 4), 0);
	assert_int_equal(event(f, D_NODEID, D_GEN, IN_MODIFY, "y"), 0);
	assert_int_equal(drain(f, id, ev, 4), 1);
	/* a mixed mask loses only the suppressed bits */
	assert_int_equal(model_local_change(f->m, D_NODEID, IN_ACCESS | IN_MODIFY, NULL), 0);
	n = drain(f, id, ev, 4);
	assert_int_equal(n, access_kept ? 1 : 0);
	if (n)
		assert_int_equal(ev[0].mask, IN_ACCESS);
	assert_int_equal(model_local_change(f->m, 99, IN_ACCESS, NULL), ENOENT);
	assert_int_equal(model_local_change(f->m, D_NODEID, IN_IGNORED, NULL), EINVAL);
	fake_stop(f);
}

/* With the extension off nothing is reported remotely: every local event flows. */
static void local_events_without_extension(const struct fsn_profile *p)
{
	struct fake_opts fo = { .decline = true };
	struct fake *f = setup(p, &fo);
	struct ino_event ev[4];
	int id = model_inotify_init(f->m);

	add_watch(f, id, D_NODEID, IN_ACCESS | IN_CREATE);
	assert_int_equal(model_local_change(f->m, D_NODEID, IN_ACCESS, NULL), 0);
	assert_int_equal(model_local_change(f->m, D_NODEID, IN_CREATE, "x"), 0);
	assert_int_equal(drain(f, id, ev, 4), 2);
	fake_stop(f);
}
PER_PROFILE(local_events_without_extension)

PER_PROFILE(local_suppression)

/* ---- invariants ----------------------------------------------------------------------------- */

static void invariants_hold(const struct fsn_profile *p)
{
	struct fake *f = setup(p, NULL);
	struct ino_event ev[4];
	int id = model_inotify_init(f->m), wd;

	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	/* an event of a removed watch is fine: its IN_IGNORED follows */
	assert_int_equal(model_rm_watch(f->m, id, wd), 0);
	assert_invariants(f);
	assert_int_equal(drain(f, id, ev, 4), 2);
	assert_invariants(f);
	assert_int_equal(model_check_invariants(f->m, NULL, 0), 0);
	fake_stop(f);
}
PER_PROFILE(invariants_hold)

/* ---- mutants -------------------------------------------------------------------------------- */

#ifdef FSNC_MUTATION
static struct fake *mutant_setup(const char *profile, enum model_mutant x,
				 const struct fake_opts *base)
{
	struct fake_opts fo = base ? *base : (struct fake_opts){0};

	fo.mutant = x;
	return setup(P(profile), &fo);
}

static void mut_ignore_generation(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_IGNORE_GENERATION, NULL);
	struct ino_event ev[4];
	char why[256];
	int id = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(event(f, F_NODEID, F_GEN + 1, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 4), 1);
	assert_int_equal(model_check_invariants(f->m, why, sizeof(why)), EPROTO);
	assert_non_null(strstr(why, "generation"));
	fake_stop(f);
}

static void mut_stale_delivered(void **s)
{
	struct fake *f = mutant_setup("gen-2021", MUT_STALE_DELIVERED, NULL);
	struct ino_event ev[4];
	int id = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(event(f, F_NODEID, F_GEN + 1, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 4), 1);
	assert_int_equal(model_check_invariants(f->m, NULL, 0), EPROTO);
	fake_stop(f);
}

static void mut_unbounded_namelen(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_UNBOUNDED_NAMELEN, NULL);
	char longname[300];
	int id = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, D_NODEID, IN_CREATE);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	assert_int_equal(event(f, D_NODEID, D_GEN, IN_CREATE, longname), 0); /* not ENAMETOOLONG */
	fake_stop(f);
}

static void mut_pair_cookie(void **s)
{
	struct fake *f = rename_setup(&(struct fake_opts){ .mutant = MUT_PAIR_COOKIE_ACROSS_RENAMES });
	struct ino_event ev[8];
	struct fsn_notify n;
	int id = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, S_NODEID, IN_MOVE);
	rename_init(&n, S_NODEID, S_GEN, "a", S_NODEID, S_GEN, "b");
	assert_int_equal(notify(f, &n), 0);
	rename_init(&n, S_NODEID, S_GEN, "b", S_NODEID, S_GEN, "a");
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(drain(f, id, ev, 8), 4);
	assert_int_equal(ev[0].cookie, ev[2].cookie); /* the bug: two renames, one cookie */
	fake_stop(f);
}

static void mut_raw_user_mask(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_RAW_USER_MASK, NULL);
	struct logged q[4];
	int id = model_inotify_init(f->m), id2 = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, F_NODEID, IN_MODIFY);
	add_watch(f, id2, F_NODEID, IN_ATTRIB);
	assert_int_equal(fsn_reqs(f, 1, q, 4), 1);
	assert_int_equal(q[0].rq.mask, IN_ATTRIB); /* not the union */
	fake_stop(f);
}

static void mut_local_and_remote(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_LOCAL_AND_REMOTE, NULL);
	struct ino_event ev[4];
	int id = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, F_NODEID, IN_MODIFY);
	/* read in between: inotify would merge the two identical events */
	assert_int_equal(model_local_change(f->m, F_NODEID, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 4), 1);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 4), 1); /* the change, reported twice */
	fake_stop(f);
}

static void mut_miscount_lookup(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_MISCOUNT_LOOKUP, NULL);

	(void)s;
	assert_int_equal(model_evict(f->m, F_NODEID), 0);
	assert_true(fake_wait(f, FUSE_FORGET, 1));
	assert_int_equal(forgotten(f, F_NODEID), 2); /* one LOOKUP, two given back */
	fake_stop(f);
}

static void mut_no_request_on_rm_watch(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_NO_REQUEST_ON_RM_WATCH, NULL);
	int id = model_inotify_init(f->m), wd;

	(void)s;
	wd = add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(model_rm_watch(f->m, id, wd), 0);
	assert_int_equal(fsn_total(f), 1);
	fake_stop(f);
}

static void mut_overflow_not_coalesced(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_OVERFLOW_NOT_COALESCED, NULL);
	struct fsn_notify n = { .kind = FSN_REC_OVERFLOW, .has_generation = true };
	struct ino_event ev[4];
	int id = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, F_NODEID, IN_MODIFY);
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(notify(f, &n), 0);
	assert_int_equal(model_check_invariants(f->m, NULL, 0), EPROTO);
	assert_int_equal(drain(f, id, ev, 4), 2);
	fake_stop(f);
}

static void mut_accept_reserved(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_ACCEPT_RESERVED, NULL);
	struct fsn_notify n;

	(void)s;
	ev_init(f, &n, F_NODEID, F_GEN, IN_MODIFY, NULL, 0);
	n.flags = 1;
	assert_int_equal(notify(f, &n), 0);
	fake_stop(f);
}

static void mut_oneshot_keeps_watch(void **s)
{
	struct fake *f = mutant_setup("fsn-1", MUT_ONESHOT_KEEPS_WATCH, NULL);
	struct ino_event ev[4];
	int id = model_inotify_init(f->m);

	(void)s;
	add_watch(f, id, F_NODEID, IN_MODIFY | IN_ONESHOT);
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 4), 1); /* no IN_IGNORED */
	assert_int_equal(event(f, F_NODEID, F_GEN, IN_MODIFY, NULL), 0);
	assert_int_equal(drain(f, id, ev, 4), 1); /* heard twice */
	fake_stop(f);
}

static void mutant_names(void **s)
{
	(void)s;
	for (int i = 0; i < MUT_COUNT; i++)
		assert_string_not_equal(model_mutant_name((enum model_mutant)i), "?");
	assert_string_equal(model_mutant_name(MUT_COUNT), "?");
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		PER_PROFILE_TESTS(init_negotiation),
		PER_PROFILE_TESTS(init_declined),
		PER_PROFILE_TESTS(init_ext_echo),
		PER_PROFILE_TESTS(init_error),
		cmocka_unit_test(init_flags2_needs_init_ext),
		PER_PROFILE_TESTS(lookup_caching),
		PER_PROFILE_TESTS(lookup_errors),
		PER_PROFILE_TESTS(lookup_reuse_makes_bad),
		PER_PROFILE_TESTS(add_watch_request),
		cmocka_unit_test(directory_mask_has_on_child),
		PER_PROFILE_TESTS(rm_watch_request),
		PER_PROFILE_TESTS(close_requests),
		PER_PROFILE_TESTS(oneshot),
		PER_PROFILE_TESTS(unlink_events),
		PER_PROFILE_TESTS(evict_order),
		PER_PROFILE_TESTS(unchanged_aggregate),
		PER_PROFILE_TESTS(reply_errno_rollback),
		PER_PROFILE_TESTS(no_reply_times_out),
		cmocka_unit_test(enosys_stops_requests),
		cmocka_unit_test(abort_then_calls),
		cmocka_unit_test(abort_during_wait),
		cmocka_unit_test(reader_writes_notification),
		PER_PROFILE_TESTS(event_delivery),
		PER_PROFILE_TESTS(identity_verdicts),
		cmocka_unit_test(gen2021_low_bits_only),
		cmocka_unit_test(fsn1_child_identity),
		cmocka_unit_test(fsn1_rename_cookie_pair),
		cmocka_unit_test(fsn1_rename_verdicts),
		cmocka_unit_test(fsn1_fan_rename),
		cmocka_unit_test(cookie_pair_no_fanotify),
		cmocka_unit_test(fsn1_overflow_record),
		PER_PROFILE_TESTS(queue_overflow),
		PER_PROFILE_TESTS(malformed),
		cmocka_unit_test(fsn1_malformed_records),
		PER_PROFILE_TESTS(write_checks),
		PER_PROFILE_TESTS(bad_reply_size_is_eio),
		cmocka_unit_test(mainline_effects),
		PER_PROFILE_TESTS(local_suppression),
		PER_PROFILE_TESTS(local_events_without_extension),
		PER_PROFILE_TESTS(invariants_hold),
#ifdef FSNC_MUTATION
		cmocka_unit_test(mut_ignore_generation),
		cmocka_unit_test(mut_stale_delivered),
		cmocka_unit_test(mut_unbounded_namelen),
		cmocka_unit_test(mut_pair_cookie),
		cmocka_unit_test(mut_raw_user_mask),
		cmocka_unit_test(mut_local_and_remote),
		cmocka_unit_test(mut_miscount_lookup),
		cmocka_unit_test(mut_no_request_on_rm_watch),
		cmocka_unit_test(mut_overflow_not_coalesced),
		cmocka_unit_test(mut_accept_reserved),
		cmocka_unit_test(mut_oneshot_keeps_watch),
		cmocka_unit_test(mutant_names),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
