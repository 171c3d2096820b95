// SPDX-License-Identifier: GPL-2.0-only
/* server.c - session life cycle: mount, INIT, serve thread, teardown checks. */
#include "server.h"
#include "clock.h"
#include "isolate.h"
#include "serve_ops.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define SRV_BUFSIZE (1024 * 1024 + 4096)
/*
 * An in-process kernel (the model) sends no WRITE and names of NAME_MAX at
 * most: the smallest buffer fuse_dev_do_read() takes holds every request
 * it makes (one that did not fit would end with EIO, as in the kernel).  A
 * megabyte per session is what made each model session cost a fresh mmap
 * under ASan.
 */
#define SRV_INPROC_BUFSIZE FUSE_MIN_READ_BUFFER
/* Ring entries per queue: a held (EXP_DEFER/NEVER) request keeps its entry,
 * and a queue without a free entry stalls the requests of its CPU. */
#define SRV_URING_DEPTH 8

void srv_lock(struct srv *s)
{
	pthread_mutex_lock(&s->lock);
}

void srv_unlock(struct srv *s)
{
	pthread_mutex_unlock(&s->lock);
}

const char *srv_path(struct srv *s, const char *rel)
{
	static __thread char bufs[4][512];
	static __thread int next;
	char *b = bufs[next++ & 3];

	if (!rel || !*rel)
		snprintf(b, 512, "%s", s->mnt);
	else
		snprintf(b, 512, "%s/%s", s->mnt, rel);
	return b;
}

struct tree_node *srv_add(struct srv *s, uint64_t parent, const char *name, mode_t mode,
			  uint64_t nodeid, uint64_t generation)
{
	struct tree_node *n;

	srv_lock(s);
	n = tree_add(&s->tree, parent, name, mode, nodeid, generation);
	srv_unlock(s);
	if (!n)
		fc_failf(s->ctx, __FILE__, __LINE__, "tree_add(%llu, \"%s\") failed",
			 (unsigned long long)parent, name);
	return n;
}

struct expect *srv_expect(struct srv *s, const struct expect *e)
{
	struct expect *x = NULL;

	srv_lock(s);
	if (s->nexpect < SRV_MAX_EXPECT) {
		x = &s->expects[s->nexpect++];
		*x = *e;
		x->used = 0;
		x->write_err = -1;
	}
	srv_unlock(s);
	if (!x)
		fc_failf(s->ctx, __FILE__, __LINE__, "too many expectations");
	return x;
}

/* Find the connection number: the minor of the mount's st_dev, from mountinfo
 * (a stat() of the mount would itself be a FUSE request that waits for INIT). */
static int find_dev(const char *mnt, dev_t *dev)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int found = 0;

	if (!f)
		return errno;
	while (fgets(line, sizeof(line), f)) {
		unsigned maj, min;
		char point[1024];

		if (sscanf(line, "%*d %*d %u:%u %*s %1023s", &maj, &min, point) == 3 &&
		    !strcmp(point, mnt)) {
			*dev = makedev(maj, min);
			found = 1; /* keep going: the last mount on the path wins */
		}
	}
	fclose(f);
	return found ? 0 : ENOENT;
}

/* The first request: poll /dev/fuse with a deadline; an in-process kernel has it ready. */
static int read_with_deadline(struct transport *t, void *buf, size_t cap, int timeout_ms,
			      size_t *n)
{
	int64_t end = clk_now_ms() + timeout_ms;

	for (;;) {
		int64_t left = end - clk_now_ms();
		int r;

		if (left <= 0)
			return ETIMEDOUT;
		if (t->fd >= 0) {
			struct pollfd p = {.fd = t->fd, .events = POLLIN};

			r = poll(&p, 1, (int)left);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return errno;
			if (r == 0)
				return ETIMEDOUT;
		}
		r = tr_read(t, buf, cap, n);
		if (r == EINTR || r == ENOENT)
			continue;
		return r;
	}
}

#ifdef FSNC_CONFIG_URING
/*
 * Whether this session can run over io_uring at all; if not, the reason is
 * recorded and the runner skips the case: it would prove nothing there.
 */
static int uring_unavailable(struct srv *s)
{
	const struct fuse_init_in *in = &s->init_in;

	if (s->opts.init_error || s->opts.no_init) {
		/* The case goes on over /dev/fuse, but will be reported as a skip. */
		transport_set_unavailable("the case refuses INIT, so no ring is ever set up");
		return 0;
	} else if (!(in->flags & FUSE_INIT_EXT) || !(in->flags2 & FUSE2_OVER_IO_URING))
		transport_set_unavailable("kernel FUSE 7.%u does not offer FUSE_OVER_IO_URING in INIT "
					  "(enable_uring off, or no CONFIG_FUSE_IO_URING)", in->minor);
	else if (s->opts.minor && s->opts.minor < 36)
		transport_set_unavailable("the case answers INIT with 7.%u: FUSE_OVER_IO_URING is "
					  "a flags2 bit, and flags2 needs 7.36", s->opts.minor);
	else
		return 0;
	fc_log(s->ctx, "io_uring transport unavailable: %s", transport_unavailable());
	return 1;
}

static int start_uring(struct srv *s)
{
	char why[192];
	int err = transport_uring_start(&s->tr, &s->init_out, SRV_URING_DEPTH, why, sizeof(why));

	if (err)
		fc_failf(s->ctx, __FILE__, __LINE__, "io_uring transport: %s", why);
	return err;
}
#else
/* No ring in this build: transport_uring_init() recorded why the case is a SKIP. */
static int uring_unavailable(struct srv *s)
{
	return 1;
}

static int start_uring(struct srv *s)
{
	return ENOSYS;
}
#endif

static int do_init(struct srv *s)
{
	struct fw_req req;
	struct fuse_init_out *o = &s->init_out;
	size_t n = 0;
	int err;

	err = read_with_deadline(&s->tr, s->buf, s->bufsize, fc_ms(s->ctx, 5000), &n);
	if (err)
		return fc_failf(s->ctx, __FILE__, __LINE__, "reading INIT: %s", fc_errname(err)), err;
	err = fw_req_parse(s->buf, n, &req);
	if (err || req.hdr.opcode != FUSE_INIT)
		return fc_failf(s->ctx, __FILE__, __LINE__, "first request is %s, not INIT",
				fw_opcode_name(req.hdr.opcode)), EPROTO;
	s->init_in_len = req.arglen < sizeof(s->init_in) ? req.arglen : sizeof(s->init_in);
	memcpy(&s->init_in, req.arg, s->init_in_len);
	if (s->trace)
		fc_log(s->ctx, "< INIT unique=%llu: 7.%u flags %#x flags2 %#x",
		       (unsigned long long)req.hdr.unique, s->init_in.minor, s->init_in.flags,
		       s->init_in.flags2);
	if (s->kind == TR_URING && uring_unavailable(s))
		return ENOTSUP;
	if (s->opts.no_init)
		return 0;
	if (s->opts.init_error) {
		s->init_write_err = srv_reply(s, req.hdr.unique, -s->opts.init_error, NULL, 0);
		return ECONNREFUSED;
	}
	memset(o, 0, sizeof(*o));
	o->major = FUSE_KERNEL_VERSION;
	o->minor = s->opts.minor ? s->opts.minor
				 : (s->init_in.minor < FUSE_KERNEL_MINOR_VERSION ? s->init_in.minor
										  : FUSE_KERNEL_MINOR_VERSION);
	o->max_readahead = s->init_in.max_readahead;
	o->flags = s->init_in.flags & s->opts.flags;
	/*
	 * INIT_EXT only when there is something to say in flags2: bit 30 is the
	 * RFC's FUSE_HAVE_FSNOTIFY on a 7.36 kernel with the RFC, and a server
	 * that sets it blindly turns that extension on (cases/ext_lifecycle.c,
	 * control_server_declines, caught this harness doing it).
	 */
	if ((s->init_in.flags & FUSE_INIT_EXT) && o->minor >= 36 &&
	    ((s->init_in.flags2 & s->opts.flags2) || (s->opts.flags & FUSE_INIT_EXT))) {
		o->flags |= FUSE_INIT_EXT;
		o->flags2 = s->init_in.flags2 & s->opts.flags2;
	}
#ifdef FSNC_CONFIG_FSNOTIFY
	if (s->opts.profile) {
		/* Accept the extension's bit when offered: the profile says which word. */
		const struct fsn_profile *p = s->opts.profile;

		if (p->init_word == FSN_INIT_FLAGS && (s->init_in.flags & p->init_bit))
			o->flags |= p->init_bit;
		if (p->init_word == FSN_INIT_FLAGS2 && (s->init_in.flags & FUSE_INIT_EXT) &&
		    (s->init_in.flags2 & p->init_bit)) {
			o->flags |= FUSE_INIT_EXT;
			o->flags2 |= p->init_bit;
		}
	}
#endif
	/*
	 * FUSE_OVER_IO_URING only on the ring transport: echoed on a plain
	 * /dev/fuse session it would make the kernel hold every request until
	 * ring queues are registered (fuse_block_alloc()), and the kernel offers
	 * it whenever enable_uring is Y, which another run may have set.
	 */
	o->flags2 &= ~FUSE2_OVER_IO_URING;
	if (s->kind == TR_URING) {
		o->flags |= FUSE_INIT_EXT;
		o->flags2 |= FUSE2_OVER_IO_URING;
	}
	if (s->opts.max_pages && (s->init_in.flags & FUSE_MAX_PAGES)) {
		o->flags |= FUSE_MAX_PAGES;
		o->max_pages = s->opts.max_pages;
	}
	o->max_background = 16;
	o->congestion_threshold = 12;
	o->max_write = s->opts.max_write ? s->opts.max_write : 128 * 1024;
	o->time_gran = 1;
	s->init_write_err = srv_reply(s, req.hdr.unique, 0, o, sizeof(*o));
	if (s->init_write_err)
		fc_failf(s->ctx, __FILE__, __LINE__, "INIT reply rejected: %s",
			 fc_errname(s->init_write_err));
	else if (s->kind == TR_URING)
		return start_uring(s);
	return s->init_write_err;
}

static void *serve_thread(void *arg)
{
	struct srv *s = arg;

	for (;;) {
		size_t n = 0;
		int err = tr_read(&s->tr, s->buf, s->bufsize, &n);

		if (err) {
			/* ENOENT: the request was interrupted before we read it. */
			if (err == EINTR || err == ENOENT || err == EAGAIN)
				continue;
			s->read_err = err;
			break;
		}
		srv_handle(s, s->buf, n);
	}
	srv_lock(s);
	s->running = 0;
	pthread_cond_broadcast(&s->cond);
	srv_unlock(s);
	return NULL;
}

#ifdef FSNC_CONFIG_MODEL
/* srv_opts.serve_inline: the kernel waits for a reply; answer what it has queued. */
static void serve_queued(void *arg)
{
	struct srv *s = arg;

	for (;;) {
		size_t n = 0;
		int err = tr_read(&s->tr, s->buf, s->bufsize, &n);

		if (err) {
			if (err != EAGAIN) /* EAGAIN: nothing queued */
				s->read_err = err;
			return;
		}
		srv_handle(s, s->buf, n);
	}
}

/*
 * The kernel is in this process (srv_opts.inproc): no mount, no /dev/fuse,
 * same server.  1 when it serves inline from now on, 0 when the serve
 * thread is wanted, -1 on failure.
 */
static int start_inproc(struct srv *s)
{
	s->tr = *s->opts.inproc;
	snprintf(s->mnt, sizeof(s->mnt), "(%s)", s->tr.ops->name);
	if (do_init(s))
		return -1;
	if (s->opts.serve_inline) {
		s->tr.ops->serve_inline(&s->tr, serve_queued, s);
		return 1;
	}
	return 0;
}
#else
/* The only in-process kernel is the model (model.h): not in this build. */
static int start_inproc(struct srv *s)
{
	fc_failf(s->ctx, __FILE__, __LINE__, "an in-process kernel is not built into this file");
	return -1;
}
#endif

static void *notify_thread(void *arg)
{
	struct srv *s = arg;

	srv_lock(s);
	for (;;) {
		while (!s->nbusy && !s->nquit)
			pthread_cond_wait(&s->ncond, &s->lock);
		if (!s->nbusy && s->nquit)
			break;
		{
			const void *msg = s->nmsg;
			size_t len = s->nlen;
			int err;

			srv_unlock(s);
			err = tr_write(&s->tr, msg, len);
			srv_lock(s);
			free((void *)s->nmsg);
			s->nmsg = NULL;
			s->nerr = err;
			s->nbusy = 0;
			s->ndone++;
			pthread_cond_broadcast(&s->ncond);
		}
	}
	srv_unlock(s);
	return NULL;
}

/* FSNC_TRACE: a notification the server wrote, and what the kernel said. */
static int trace_notify(struct srv *s, const void *msg, size_t len, int err)
{
	struct fuse_out_header oh = {0};

	if (!s->trace)
		return err;
	memcpy(&oh, msg, len < sizeof(oh) ? len : sizeof(oh));
	fc_log(s->ctx, "> %s %s (%zu bytes): %s", oh.unique ? "raw" : "notify",
	       oh.unique ? "write" : fw_notify_name((uint32_t)oh.error), len, fc_errname(err));
	return err;
}

int srv_notify(struct srv *s, const void *msg, size_t len, int timeout_ms)
{
	struct timespec ts = clk_deadline(fc_ms(s->ctx, timeout_ms));
	unsigned target;
	void *copy;
	int err = 0;

	/* Inline: an in-process kernel never blocks a write, it serves what it waits for. */
	if (s->opts.serve_inline)
		return trace_notify(s, msg, len, tr_write(&s->tr, msg, len));
	copy = malloc(len ? len : 1);
	if (!copy)
		return ENOMEM;
	memcpy(copy, msg, len);
	srv_lock(s);
	if (s->nbusy) { /* an earlier notification is still blocked in the kernel */
		srv_unlock(s);
		free(copy);
		return EBUSY;
	}
	s->nmsg = copy;
	s->nlen = len;
	s->nbusy = 1;
	target = (unsigned)s->ndone + 1;
	pthread_cond_broadcast(&s->ncond);
	while ((unsigned)s->ndone < target && !err)
		err = pthread_cond_timedwait(&s->ncond, &s->lock, &ts);
	if ((unsigned)s->ndone >= target)
		err = s->nerr;
	srv_unlock(s);
	return trace_notify(s, msg, len, err);
}

int srv_write_raw(struct srv *s, const void *msg, size_t len)
{
	return trace_notify(s, msg, len, tr_write(&s->tr, msg, len));
}

struct srv *srv_start(struct fc_ctx *ctx, const struct srv_opts *opts)
{
	struct srv *s = calloc(1, sizeof(*s));
	char mopts[256];
	pthread_condattr_t ca;

	if (!s) {
		fc_failf(ctx, __FILE__, __LINE__, "out of memory");
		return NULL;
	}
#ifndef FSNC_CONFIG_FSNOTIFY
	if (opts->profile) { /* server.h: never served as if none were given */
		fc_failf(ctx, __FILE__, __LINE__, "remote fsnotify (a profile) is not built into this "
			 "file: fsnc repro writes it for a family that includes profiles.h");
		free(s);
		return NULL;
	}
#endif
	s->ctx = ctx;
	s->opts = *opts;
	s->trace = ctx->trace;
	if (!opts->inproc || !opts->inproc->ops->serve_inline)
		s->opts.serve_inline = 0; /* only an in-process kernel can call the server back */
	s->fd = -1;
	s->bufsize = opts->inproc ? SRV_INPROC_BUFSIZE : SRV_BUFSIZE;
	s->buf = malloc(s->bufsize);
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_cond_init(&s->ncond, &ca);
	pthread_condattr_destroy(&ca);
	if (!s->buf || tree_init(&s->tree, opts->entry_valid_ns, opts->attr_valid_ns)) {
		fc_failf(ctx, __FILE__, __LINE__, "out of memory");
		goto fail;
	}
	if (opts->inproc) {
		int inline_ = start_inproc(s);

		if (inline_ > 0)
			return s;
		if (!inline_)
			goto serve;
		s->mnt[0] = 0;
		goto fail;
	}

	if (opts->mountpoint) {
		if (strlen(opts->mountpoint) >= sizeof(s->mnt)) {
			fc_failf(ctx, __FILE__, __LINE__, "mountpoint longer than %zu bytes",
				 sizeof(s->mnt) - 1);
			goto fail;
		}
		snprintf(s->mnt, sizeof(s->mnt), "%s", opts->mountpoint);
	} else {
		snprintf(s->base, sizeof(s->base), "/tmp/fsnc.XXXXXX");
		if (!mkdtemp(s->base)) {
			fc_failf(ctx, __FILE__, __LINE__, "mkdtemp: %s", fc_errname(errno));
			goto fail;
		}
		snprintf(s->mnt, sizeof(s->mnt), "%.100s/mnt", s->base);
		s->own_mnt = 1;
		if (mkdir(s->mnt, 0755)) {
			fc_failf(ctx, __FILE__, __LINE__, "mkdir %s: %s", s->mnt,
				 fc_errname(errno));
			goto fail;
		}
	}
	s->fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (s->fd < 0) {
		fc_failf(ctx, __FILE__, __LINE__, "open /dev/fuse: %s", fc_errname(errno));
		goto fail;
	}
	s->kind = opts->transport ? opts->transport : transport_selected();
	if (s->kind == TR_URING)
		transport_uring_init(&s->tr, s->fd, fc_ms(ctx, 5000));
	else
		transport_devfuse_init(&s->tr, s->fd);
	snprintf(mopts, sizeof(mopts), "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other%s",
		 s->fd, opts->default_permissions ? ",default_permissions" : "");
	{
		char fstype[64];

		snprintf(fstype, sizeof(fstype), "fuse.%s", opts->subtype ? opts->subtype : "fsnc");
		if (mount("fsnc", s->mnt, fstype, MS_NOSUID | MS_NODEV, mopts)) {
			fc_failf(ctx, __FILE__, __LINE__, "mount fuse: %s", fc_errname(errno));
			goto fail;
		}
	}
	if (find_dev(s->mnt, &s->dev) == 0) {
		s->conn = minor(s->dev);
		if (ctx->shared && ctx->shared->nconn < 8)
			ctx->shared->conn[ctx->shared->nconn++] = s->conn;
	}
	if (do_init(s) && !opts->init_error) {
		srv_abort(s);
		umount2(s->mnt, MNT_DETACH);
		goto fail;
	}
serve:
	s->running = 1;
	if (pthread_create(&s->thread, NULL, serve_thread, s)) {
		s->running = 0;
		fc_failf(ctx, __FILE__, __LINE__, "pthread_create failed");
		srv_abort(s);
		umount2(s->mnt, MNT_DETACH);
		goto fail;
	}
	pthread_create(&s->nthread, NULL, notify_thread, s);
	return s;
fail:
	if (s->tr.ops)
		tr_close(&s->tr);
	if (s->fd >= 0)
		close(s->fd);
	if (s->mnt[0] && s->own_mnt)
		rmdir(s->mnt);
	if (s->base[0])
		rmdir(s->base);
	tree_release(&s->tree);
	free(s->buf);
	free(s->log);
	free(s);
	return NULL;
}

void srv_abort(struct srv *s)
{
	if (s->opts.inproc) {
		s->tr.ops->abort(&s->tr);
		return;
	}
	if (iso_abort_conn(s->conn)) {
		/* No fusectl: MNT_FORCE makes fuse_umount_begin() abort the connection. */
		umount2(s->mnt, MNT_FORCE | MNT_DETACH);
	}
	s->tr.ops->abort(&s->tr); /* the ring transport's reader waits on more than /dev/fuse */
}

#ifdef FSNC_CONFIG_URING
/* What the ring carried, and whether the kernel kept to dev_uring.c's rules. */
static void check_uring(struct srv *s)
{
	struct tr_uring_stats st;

	if (s->kind != TR_URING || transport_uring_stats(&s->tr, &st))
		return;
	fc_log(s->ctx, "io_uring: %u queues x %u entries of %zu bytes; %llu requests over the "
	       "ring, %llu over /dev/fuse, %llu commits", st.queues, st.depth, st.payload,
	       (unsigned long long)st.ring_requests, (unsigned long long)st.devfuse_requests,
	       (unsigned long long)st.commits);
	if (st.anomalies)
		fc_failf(s->ctx, __FILE__, __LINE__, "io_uring transport: %u anomalies, first: %s",
			 st.anomalies, st.anomaly);
	/* fuse_io_uring_ops: only FORGET and INTERRUPT keep using /dev/fuse. */
	for (unsigned i = 0; i < st.ndevfuse_opcode; i++) {
		uint32_t op = st.devfuse_opcode[i];

		if (op != FUSE_FORGET && op != FUSE_BATCH_FORGET && op != FUSE_INTERRUPT)
			fc_failf(s->ctx, __FILE__, __LINE__,
				 "%s came over /dev/fuse while the ring was active",
				 fw_opcode_name(op));
	}
}
#else
static void check_uring(struct srv *s)
{
}
#endif

#ifdef FSNC_CONFIG_FSNOTIFY
int srv_extension_on(const struct srv *s)
{
	const struct fsn_profile *p = s->opts.profile;
	uint32_t offered, taken;

	if (!p)
		return 0;
	offered = p->init_word == FSN_INIT_FLAGS ? s->init_in.flags : s->init_in.flags2;
	taken = p->init_word == FSN_INIT_FLAGS ? s->init_out.flags : s->init_out.flags2;
	return (offered & taken & p->init_bit) != 0;
}
#endif

int srv_umount(struct srv *s)
{
	return umount2(s->mnt, 0) ? errno : 0;
}

static int join_deadline(pthread_t t, int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000 + 1;
	return pthread_timedjoin_np(t, NULL, &ts);
}

void srv_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	(void)c;
	if (!ctx->srv)
		return;
	if (ctx->failures)
		srv_dump_log(ctx->srv, 30);
	srv_stop(ctx->srv);
	ctx->srv = NULL;
}

int srv_stop(struct srv *s)
{
	struct fc_ctx *ctx;
	unsigned before;

	if (!s)
		return 0;
	ctx = s->ctx;
	before = ctx->failures;
	srv_lock(s);
	s->stopping = 1;
	srv_unlock(s);
	srv_abort(s);
	if (!s->opts.serve_inline) {
		if (join_deadline(s->thread, fc_ms(s->ctx, 5000)))
			fc_failf(s->ctx, __FILE__, __LINE__, "serve thread did not stop after abort");
		srv_lock(s);
		s->nquit = 1;
		pthread_cond_broadcast(&s->ncond);
		srv_unlock(s);
		if (join_deadline(s->nthread, fc_ms(s->ctx, 5000)))
			fc_failf(s->ctx, __FILE__, __LINE__, "notifier thread did not stop after abort");
	}
	check_uring(s);
	tr_close(&s->tr);
	if (!s->opts.inproc) {
		umount2(s->mnt, MNT_DETACH);
		if (s->own_mnt) {
			rmdir(s->mnt);
			rmdir(s->base);
		}
	}

	for (int i = 0; i < s->nexpect; i++) {
		struct expect *e = &s->expects[i];
		int min = e->min_count ? e->min_count : 1;

		if (min > 0 && e->used < min)
			fc_failf(s->ctx, __FILE__, __LINE__,
				 "scripted reply never used: %s nodeid=%llu name=%s (used %d of %d)",
				 fw_opcode_name(e->opcode), (unsigned long long)e->nodeid,
				 e->name ? e->name : "*", e->used, min);
	}
	if (s->unhandled) {
		fc_failf(s->ctx, __FILE__, __LINE__, "%u request(s) had no handler", s->unhandled);
		for (int i = 0; i < s->nlog && i < SRV_MAX_LOG; i++)
			if (!s->log[i].handled)
				fc_log(s->ctx, "  unhandled: %s nodeid=%llu",
				       fw_opcode_name(s->log[i].opcode),
				       (unsigned long long)s->log[i].nodeid);
	}
	for (int i = 0; i < s->nheld; i++)
		free(s->held[i].req);
	if (s->fd >= 0)
		close(s->fd);
	tree_release(&s->tree);
	free(s->buf);
	free(s->log);
	free(s);
	return (int)(ctx->failures - before);
}
