// SPDX-License-Identifier: GPL-2.0-only
/*
 * fdinfo_oom: the allocation-failure paths of what CRIU and the remote
 * fsnotify proposal lean on, swept with /proc/thread-self/fail-nth.
 *
 * For N = 1, 2, ... the Nth injectable allocation of ONE syscall fails,
 * and fail-nth read back says whether it did; the sweep ends at the first
 * N the syscall completes without reaching (harness/client/failnth.h).  Rows:
 *
 *  - read of /proc/self/fdinfo/<fd> of an inotify or fanotify fd with
 *    WATCHES marks on FUSE inodes (enough lines to outgrow the first
 *    seq_file page, so the regrow path is swept too): every outcome is a
 *    clean ENOMEM, or text whose every line is complete, parses, and
 *    equals the text read before the sweep.  A mark line without its file
 *    handle is reported as CRIU-breaking (CRIU's sscanf wants all 7
 *    fields); FUSE encodes handles without allocating, so nothing in the
 *    kernel explains one.  After the sweep a normal read must be
 *    byte-identical to the one before it.
 *  - inotify_add_watch() and fanotify_mark(FAN_MARK_ADD) on a FUSE inode:
 *    each step fails with ENOMEM (the errno both man pages document for
 *    this) and leaves no mark behind, or succeeds and fdinfo shows exactly
 *    the mark the call returned, with the served identity in its handle.
 *  - the FUSE LOOKUP path (stat of a name not yet cached): ENOMEM, or
 *    success with the served attr.ino; an unarmed stat of the same name
 *    then succeeds (no negative entry was cached for the failure); at the
 *    end every lookup the server handed out comes back in FORGETs, no
 *    more and no less (fuse_lookup_name() queues a FORGET for a reply
 *    whose inode it could not allocate).
 *
 * A kernel splat during the sweep fails the case (the runner scans kmsg).
 * Where fail-nth is absent (the host's 6.18 build) every row skips.
 * `fsnc repro` writes this file whole into the reproducer, which sweeps
 * the same way; --fail-nth N runs step N alone.
 * How many steps a sweep takes depends on the kernel's memory state, not
 * only on the syscall: on 6.1.192 inotify_add_watch took 4 to 9 (a fresh
 * boot adds one ENOMEM step; after a gcc run in the guest, five tolerated
 * faults came first), so no row asserts a count.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "failnth.h"
#include "fdinfo.h"
#include "kutil.h"
#include "server.h"

/* What the rows serve (watched files, sweep targets) and the sweep's bound. */
#define WATCHES 40        /* ~110 bytes a line: more than one 4 KiB seq_file page */
#define MAX_STEPS 400     /* a sweep longer than this is a finding in itself */
#define W_NODEID 100      /* watched files: nodeid W_NODEID + i, generation i + 1 */
#define W_INO 0x1000      /* and attr.ino W_INO + i, never equal to the nodeid */
#define T_NODEID 300      /* the add-mark sweeps' target */
#define T_GEN 9
#define T_INO 0x3000
#define L_NODEID 1000     /* LOOKUP sweep: a fresh name per step */
#define L_INO 0x10000

/* Entries and attributes stay valid 100 s: only the sweep's step drops one. */
#define OOM_VALID_NS 100000000000ull

/* The row: what one case of this family varies. */
enum oom_fd { FD_INOTIFY, FD_FAN_FID, FD_FAN_PLAIN };
enum oom_op { OP_FDINFO_READ, OP_ADD_MARK, OP_LOOKUP };

struct oom_row {
	struct fc_row fc;
	enum oom_fd fd;
	enum oom_op op;
};

struct sweep {
	unsigned steps;       /* armed syscalls, the last one did not reach N */
	unsigned enomem;      /* fired, the call failed with ENOMEM */
	unsigned tolerated;   /* fired, the call succeeded anyway */
	char trace[MAX_STEPS + 1]; /* per N: E ENOMEM, T tolerated, ! other errno, . no fault */
};

/* The sweep's steps: N = 1, 2, ..., or the one step N of --fail-nth N. */
static unsigned first_step(const struct fc_ctx *ctx)
{
	return ctx->fail_nth > 0 ? (unsigned)ctx->fail_nth : 1;
}

static unsigned last_step(const struct fc_ctx *ctx)
{
	return ctx->fail_nth > 0 ? (unsigned)ctx->fail_nth : MAX_STEPS;
}

static void step(struct sweep *sw, int fired, int err)
{
	char c = !fired ? '.' : err == ENOMEM ? 'E' : err ? '!' : 'T';

	if (sw->steps < MAX_STEPS)
		sw->trace[sw->steps] = c;
	sw->steps++;
	sw->enomem += c == 'E';
	sw->tolerated += c == 'T';
}

struct env {
	struct fc_ctx *ctx;
	const struct oom_row *row;
	struct srv *s;
	struct failnth fn;
	int fd;               /* the inotify or fanotify fd */
};

static const char *fd_name(enum oom_fd k)
{
	return k == FD_INOTIFY ? "inotify" : k == FD_FAN_FID ? "fanotify (FAN_REPORT_FID)"
							      : "fanotify";
}

/* Add one mark; returns the wd (inotify), 0 (fanotify) or -errno. */
static int oom_add_mark(struct env *e, const char *path)
{
	if (e->row->fd == FD_INOTIFY) {
		int wd = inotify_add_watch(e->fd, path, IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE);

		return wd < 0 ? -errno : wd;
	}
	return fanotify_mark(e->fd, FAN_MARK_ADD, FAN_MODIFY | FAN_CLOSE_WRITE, AT_FDCWD, path)
		       ? -errno : 0;
}

static int remove_mark(struct env *e, const char *path, int wd)
{
	if (e->row->fd == FD_INOTIFY)
		return inotify_rm_watch(e->fd, wd) ? errno : 0;
	return fanotify_mark(e->fd, FAN_MARK_REMOVE, FAN_MODIFY | FAN_CLOSE_WRITE, AT_FDCWD, path)
		       ? errno : 0;
}

/* Read the whole fdinfo text; the first read() is armed with nth (0: none). */
static int read_fdinfo(struct env *e, unsigned nth, char *buf, size_t cap, size_t *len,
		       int *fired, int *short_first)
{
	char path[64];
	int pfd, err = 0;
	ssize_t n;

	*len = 0;
	*fired = 0;
	*short_first = 0;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", e->fd);
	pfd = open(path, O_RDONLY | O_CLOEXEC);
	if (pfd < 0)
		return errno;
	/* Touch the buffer first: a page fault inside the armed read would
	 * spend the fault on user memory, not on what the sweep is about. */
	memset(buf, 0, cap);
	if (nth && (err = failnth_arm(&e->fn, nth)))
		goto out;
	n = read(pfd, buf, cap - 1);
	err = n < 0 ? errno : 0;
	if (nth) {
		int derr = failnth_disarm(&e->fn, fired);

		if (!err)
			err = derr;
	}
	if (err)
		goto out;
	*len = (size_t)n;
	/* The rest, unarmed: a short first read is legal, a lost line is not. */
	while ((n = read(pfd, buf + *len, cap - 1 - *len)) > 0) {
		*len += (size_t)n;
		*short_first = 1;
	}
	if (n < 0)
		err = errno;
out:
	close(pfd);
	return err;
}

/* The mark lines naming attr.ino ino: how many, and the last one. */
static int marks_on(const struct fdinfo *fi, uint64_t ino, const struct fdinfo_mark **out)
{
	int n = 0;

	for (size_t i = 0; i < fi->nmarks; i++)
		if (fi->marks[i].ino == ino) {
			*out = &fi->marks[i];
			n++;
		}
	return n;
}

/* A mark line must carry the served identity in a complete FUSE handle. */
static void check_identity(struct fc_ctx *ctx, const struct fdinfo_mark *m, uint64_t nodeid,
			   uint32_t gen, const char *when)
{
	struct fuse_fh fh = {0};

	if (!CHECK(ctx, fdinfo_criu_compatible(m),
		   "%s: CRIU-breaking: the mark line on ino %#llx lacks its file handle", when,
		   (unsigned long long)m->ino))
		return;
	CHECK(ctx, fdinfo_mark_fuse_fh(m, &fh) == 0 && fh.nodeid == nodeid && fh.generation == gen,
	      "%s: the handle names (%llu, %u), the server served (%llu, %u)", when,
	      (unsigned long long)fh.nodeid, fh.generation, (unsigned long long)nodeid, gen);
}

static void sweep_fdinfo_read(struct env *e, struct sweep *sw)
{
	static char before[65536], got[65536], after[65536];
	static struct fdinfo fi;
	size_t blen, glen, alen;
	int fired, shortr, err;
	struct fc_ctx *ctx = e->ctx;

	err = read_fdinfo(e, 0, before, sizeof(before), &blen, &fired, &shortr);
	if (!CHECK_ERR(ctx, err, 0, "fdinfo read before the sweep"))
		return;
	err = fdinfo_parse(before, blen, &fi);
	if (!CHECK(ctx, !err && fi.nmarks == WATCHES, "fdinfo before the sweep: %s, %zu marks",
		   fc_errname(err), fi.nmarks))
		return;
	fc_log(ctx, "fdinfo before the sweep: %zu bytes, %zu mark lines", blen, fi.nmarks);
	for (unsigned nth = first_step(ctx); nth <= last_step(ctx); nth++) {
		err = read_fdinfo(e, nth, got, sizeof(got), &glen, &fired, &shortr);
		step(sw, fired, err);
		if (!fired) {
			CHECK_ERR(ctx, err, 0, "fdinfo read that reached no fault");
			CHECK(ctx, glen == blen && !memcmp(got, before, blen),
			      "N=%u: an unfaulted read differs from the one before the sweep", nth);
			break;
		}
		if (err) {
			CHECK(ctx, err == ENOMEM, "N=%u: fdinfo read failed with %s, want ENOMEM", nth,
			      fc_errname(err));
			continue;
		}
		/* The fault fired and the read went on: the text must still be whole. */
		if (shortr)
			fc_log(ctx, "N=%u: the armed read returned part of the text", nth);
		err = fdinfo_parse(got, glen, &fi);
		if (!CHECK(ctx, !err, "N=%u: the text read under the fault does not parse: %s", nth,
			   fc_errname(err))) {
			fc_log(ctx, "text:\n%.*s", (int)glen, got);
			continue;
		}
		for (size_t i = 0; i < fi.nmarks; i++)
			CHECK(ctx, fdinfo_criu_compatible(&fi.marks[i]),
			      "N=%u: CRIU-breaking: mark line %zu (ino %#llx) lacks its file handle",
			      nth, i, (unsigned long long)fi.marks[i].ino);
		CHECK(ctx, fi.nmarks == WATCHES, "N=%u: %zu mark lines under the fault, want %d", nth,
		      fi.nmarks, WATCHES);
		CHECK(ctx, glen == blen && !memcmp(got, before, blen),
		      "N=%u: the text read under the fault differs from the one before", nth);
	}
	CHECK(ctx, ctx->fail_nth || !fired, "the read still reached a fault after %d steps", MAX_STEPS);
	/* The following normal read: the sweep changed nothing. */
	err = read_fdinfo(e, 0, after, sizeof(after), &alen, &fired, &shortr);
	CHECK(ctx, !err && alen == blen && !memcmp(after, before, blen),
	      "the read after the sweep differs from the one before it (%s)", fc_errname(err));
}

static void sweep_add_mark(struct env *e, struct sweep *sw)
{
	static struct fdinfo fi;
	struct fc_ctx *ctx = e->ctx;
	const struct fdinfo_mark *m = NULL;
	char path[256];
	int fired, err, r;

	snprintf(path, sizeof(path), "%s", srv_path(e->s, "t"));
	for (unsigned nth = first_step(ctx); nth <= last_step(ctx); nth++) {
		char when[64];
		int n;

		snprintf(when, sizeof(when), "N=%u", nth);
		if (!CHECK_ERR(ctx, failnth_arm(&e->fn, nth), 0, "arming fail-nth"))
			return;
		r = oom_add_mark(e, path);
		err = failnth_disarm(&e->fn, &fired);
		step(sw, fired, r < 0 ? -r : 0);
		if (!CHECK_ERR(ctx, err, 0, "fail-nth read back"))
			return;
		if (fired && r < 0)
			CHECK(ctx, r == -ENOMEM, "%s: %s failed with %s, want ENOMEM", when,
			      e->row->fd == FD_INOTIFY ? "inotify_add_watch" : "fanotify_mark",
			      fc_errname(-r));
		else if (!fired && !CHECK(ctx, r >= 0, "%s: the unfaulted call failed: %s", when,
					  fc_errname(-r)))
			return;
		/* What fdinfo says must agree with what the call returned. */
		err = fdinfo_read(0, e->fd, &fi, NULL, 0, NULL);
		if (!CHECK(ctx, !err, "%s: fdinfo after the call: %s", when, fc_errname(err)))
			return;
		n = marks_on(&fi, T_INO, &m);
		CHECK(ctx, fi.nmarks == (size_t)WATCHES + (r >= 0),
		      "%s: the call returned %s, fdinfo holds %zu marks, want %d", when,
		      r < 0 ? fc_errname(-r) : "success", fi.nmarks, WATCHES + (r >= 0));
		if (r < 0) {
			CHECK(ctx, n == 0, "%s: the call failed but fdinfo shows a mark on it", when);
			continue;
		}
		if (!CHECK(ctx, n == 1, "%s: the call succeeded, fdinfo shows %d marks on it", when, n))
			return;
		if (e->row->fd == FD_INOTIFY)
			CHECK(ctx, m->wd == r, "%s: inotify_add_watch returned wd %d, fdinfo says %d",
			      when, r, m->wd);
		check_identity(ctx, m, T_NODEID, T_GEN, when);
		if (!CHECK_ERR(ctx, remove_mark(e, path, r), 0, "removing the mark"))
			return;
		if (!fired)
			return;
	}
	CHECK(ctx, ctx->fail_nth, "the call still reached a fault after %d steps", MAX_STEPS);
}

static void sweep_lookup(struct env *e, struct sweep *sw)
{
	struct fc_ctx *ctx = e->ctx;
	char name[32], path[256];
	struct stat st;
	int64_t left = 0;
	int fired, err, r;

	for (unsigned nth = first_step(ctx); nth <= last_step(ctx); nth++) {
		snprintf(name, sizeof(name), "l%u", nth);
		if (!srv_add(e->s, FUSE_ROOT_ID, name, S_IFREG | 0644, L_NODEID + nth, 1))
			return;
		srv_lock(e->s);
		tree_lookup(&e->s->tree, FUSE_ROOT_ID, name)->attr.ino = L_INO + nth;
		srv_unlock(e->s);
		snprintf(path, sizeof(path), "%s", srv_path(e->s, name));
		memset(&st, 0, sizeof(st));
		if (!CHECK_ERR(ctx, failnth_arm(&e->fn, nth), 0, "arming fail-nth"))
			return;
		r = stat(path, &st) ? errno : 0;
		err = failnth_disarm(&e->fn, &fired);
		step(sw, fired, r);
		if (!CHECK_ERR(ctx, err, 0, "fail-nth read back"))
			return;
		if (fired && r) {
			CHECK(ctx, r == ENOMEM, "N=%u: stat of an uncached name failed with %s, want "
			      "ENOMEM", nth, fc_errname(r));
			/* The failure must not be cached: the next lookup succeeds. */
			memset(&st, 0, sizeof(st));
			r = stat(path, &st) ? errno : 0;
			CHECK(ctx, r == 0, "N=%u: stat after the failed one: %s", nth, fc_errname(r));
		}
		CHECK(ctx, r || st.st_ino == (ino_t)(L_INO + nth),
		      "N=%u: stat gave st_ino %#llx, the server served %#llx", nth,
		      (unsigned long long)st.st_ino, (unsigned long long)(L_INO + nth));
		if (!fired) {
			CHECK(ctx, r == 0, "N=%u: the unfaulted stat failed: %s", nth, fc_errname(r));
			/* Every lookup the kernel was handed comes back, exactly. */
			err = ku_wait_forgotten(e->s, 10000, &left);
			CHECK(ctx, err == 0 && left == 0,
			      "after the sweep %lld lookups are outstanding (negative: forgotten twice)",
			      (long long)left);
			return;
		}
	}
	CHECK(ctx, ctx->fail_nth, "stat still reached a fault after %d steps", MAX_STEPS);
}

/*
 * The fixture: fail-nth for this thread (the case skips without it), then
 * the server with WATCHES files to watch and the add-mark target t, cached.
 */
static enum fc_verdict oom_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	static struct env e;
	struct srv_opts o = {.entry_valid_ns = OOM_VALID_NS, .attr_valid_ns = OOM_VALID_NS};
	struct tree_node *t;
	struct stat st;

	e = (struct env){.ctx = ctx, .row = c->row, .fd = -1};
	if (fc_failnth_open(ctx, &e.fn))
		return FC_SKIP;
	ctx->srv = e.s = srv_start(ctx, &o);
	if (!e.s) {
		failnth_close(&e.fn);
		return FC_FAIL;
	}
	ctx->fx = &e;
	for (int i = 0; i < WATCHES; i++) {
		char name[16];
		struct tree_node *n;

		snprintf(name, sizeof(name), "w%02d", i);
		n = srv_add(e.s, FUSE_ROOT_ID, name, S_IFREG | 0644, W_NODEID + i, (uint64_t)i + 1);
		if (n) {
			srv_lock(e.s);
			n->attr.ino = W_INO + i;
			srv_unlock(e.s);
		}
	}
	t = srv_add(e.s, FUSE_ROOT_ID, "t", S_IFREG | 0644, T_NODEID, T_GEN);
	if (t) {
		srv_lock(e.s);
		t->attr.ino = T_INO;
		srv_unlock(e.s);
	}
	/* Cached before the mark sweeps: their path walk sends no LOOKUP. */
	CHECK(ctx, stat(srv_path(e.s, "t"), &st) == 0, "stat t: %s", fc_errname(errno));
	return FC_PASS;
}

/* The fd, the server, then the fail-nth knobs: global kernel state, restored last. */
static void oom_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct env *e = ctx->fx;

	if (e->fd >= 0)
		close(e->fd);
	srv_teardown(ctx, c);
	failnth_close(&e->fn);
}

static const struct fc_fixture fdinfo_oom_fixture = {oom_setup, oom_teardown};

static enum fc_verdict run_oom(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct oom_row *row = c->row;
	struct env *e = ctx->fx;
	struct sweep sw = {0};
	int64_t t0;

	if (row->op == OP_LOOKUP)
		goto sweep;
	if (row->fd == FD_INOTIFY)
		e->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	else
		e->fd = fanotify_init(FAN_CLASS_NOTIF |
				      (row->fd == FD_FAN_FID ? FAN_REPORT_FID : 0), O_RDONLY);
	if (e->fd < 0)
		return fc_skip(ctx, "%s: %s",
			       row->fd == FD_INOTIFY ? "inotify_init1" : "fanotify_init",
			       fc_errname(errno));
	for (int i = 0; i < WATCHES; i++) {
		char name[16];
		int r;

		snprintf(name, sizeof(name), "w%02d", i);
		r = oom_add_mark(e, srv_path(e->s, name));
		if (r < 0 && row->fd == FD_FAN_FID && ku_fan_fid_refused(-r))
			return fc_skip(ctx, "fanotify_mark with FAN_REPORT_FID on FUSE: %s: %s",
				       fc_errname(-r), ku_fan_fid_refused(-r));
		if (!CHECK(ctx, r >= 0, "%s mark on %s: %s", fd_name(row->fd), name, fc_errname(-r)))
			return fc_verdict(ctx);
	}
sweep:
	t0 = clk_now_ms();
	switch (row->op) {
	case OP_FDINFO_READ: sweep_fdinfo_read(e, &sw); break;
	case OP_ADD_MARK: sweep_add_mark(e, &sw); break;
	case OP_LOOKUP: sweep_lookup(e, &sw); break;
	}
	/* Read by scripts/vm-bench: keep the words. */
	fc_log(ctx, "fail-nth sweep: %u steps in %lld ms: %u ENOMEM, %u faults tolerated [%s]",
	       sw.steps, (long long)(clk_now_ms() - t0), sw.enomem, sw.tolerated, sw.trace);
	CHECK(ctx, sw.enomem + sw.tolerated > 0 || ctx->failures || ctx->fail_nth,
	      "no step of the sweep injected a fault: is fail-nth counting this thread?");
	return fc_verdict(ctx);
}

static const struct oom_row fdinfo_oom_rows[] = {
	{ FC_ROW("inotify_fdinfo_read",
		 "fail-nth over one fdinfo read of an inotify fd with 40 FUSE watches: "
		 "ENOMEM or whole lines"),
	  .fd = FD_INOTIFY, .op = OP_FDINFO_READ },
	{ FC_ROW("fanotify_fid_fdinfo_read",
		 "fail-nth over one fdinfo read of a FAN_REPORT_FID fd with 40 FUSE marks"),
	  .fd = FD_FAN_FID, .op = OP_FDINFO_READ },
	/* The same fdinfo code (show_mark_fhandle) without FID reporting: it
	 * runs where FID marks on FUSE are refused (before 6.8). */
	{ FC_ROW("fanotify_fdinfo_read",
		 "fail-nth over one fdinfo read of a plain fanotify fd with 40 FUSE marks"),
	  .fd = FD_FAN_PLAIN, .op = OP_FDINFO_READ },
	{ FC_ROW("inotify_add_watch",
		 "fail-nth over inotify_add_watch on a FUSE file: "
		 "ENOMEM and no mark, or fdinfo shows it"),
	  .fd = FD_INOTIFY, .op = OP_ADD_MARK },
	{ FC_ROW("fanotify_fid_mark",
		 "fail-nth over fanotify_mark (FAN_REPORT_FID) on a FUSE file: "
		 "ENOMEM or a consistent mark"),
	  .fd = FD_FAN_FID, .op = OP_ADD_MARK },
	{ FC_ROW("fanotify_mark",
		 "fail-nth over fanotify_mark on a FUSE file: "
		 "ENOMEM and no mark, or fdinfo shows it"),
	  .fd = FD_FAN_PLAIN, .op = OP_ADD_MARK },
	{ FC_ROW("fuse_lookup",
		 "fail-nth over stat of an uncached FUSE name (LOOKUP): "
		 "ENOMEM or the served inode; lookups balance"),
	  .op = OP_LOOKUP },
};
FC_FAMILY(fdinfo_oom_family, "fdinfo_oom", fdinfo_oom_rows,
	  .needs = FC_NEED_KERNEL | FC_NEED_DROP_CACHES, .labels = "kernel;fdinfo_oom;failnth",
	  .timeout_ms = 120000, .run = run_oom, .fixture = &fdinfo_oom_fixture)
