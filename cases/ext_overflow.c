// SPDX-License-Identifier: GPL-2.0-only
/*
 * ext/overflow: a watcher must learn that it lost events, exactly once.
 * The server can lose them (its own queue overflowed) and so can the
 * kernel's queue (max_queued_events); either way inotify(7) readers expect
 * one IN_Q_OVERFLOW with wd -1 and resynchronise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "ext_common.h"

enum ov_kind { OV_SERVER_OVERFLOW, OV_QUEUE_FLOOD, OV_CONTROL_NO_OVERFLOW };

struct ov_row {
	struct ext_row ext;
	enum ov_kind kind;
};

#define F 5
/* The model's queue bound; a kernel's is its max_queued_events sysctl. */
#define QMAX 16

static int overflows(const struct ino_event *ev, size_t n, int *wd_ok)
{
	int k = 0;

	*wd_ok = 1;
	for (size_t i = 0; i < n; i++)
		if (ev[i].mask & IN_Q_OVERFLOW) {
			k++;
			*wd_ok &= ev[i].wd == -1;
		}
	return k;
}

/* The fixture: the model's queue holds QMAX events. */
static enum fc_verdict overflow_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct ext_setup su = {.max_queued_events = QMAX};

	return ext_start(ctx, c, &su);
}

static const struct fc_fixture overflow_fixture = {overflow_setup, ext_teardown};

static enum fc_verdict run_overflow(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct ov_row *row = c->row;
	struct ext_env *e = ctx->fx;
	struct ino_event *ev;
	struct fsn_notify n;
	int id, id2, wd, wd2, k, wd_ok;
	unsigned qmax;
	size_t nev, cap;

	if (ext_object(e, FUSE_ROOT_ID, "f", S_IFREG | 0644, F, 1))
		return fc_verdict(ctx);
	id = fcl_inotify_init(e->cl);
	id2 = fcl_inotify_init(e->cl);
	CHECK_ERR(ctx, fcl_add_watch(e->cl, id, F, IN_MODIFY | IN_ATTRIB, &wd), 0, "watch");
	CHECK_ERR(ctx, fcl_add_watch(e->cl, id2, F, IN_MODIFY | IN_ATTRIB, &wd2), 0,
		  "second watch");
	qmax = fcl_max_queued_events(e->cl, id);
	cap = qmax + 64;
	ev = calloc(cap, sizeof(*ev));
	if (!ev) {
		fc_failf(ctx, __FILE__, __LINE__, "no memory for %zu events", cap);
		return fc_verdict(ctx);
	}

	switch (row->kind) {
	case OV_SERVER_OVERFLOW:
		/* Twice, unread in between: one IN_Q_OVERFLOW per instance, coalesced. */
		for (int i = 0; i < 2; i++) {
			if (e->p->has_overflow) {
				memset(&n, 0, sizeof(n));
				n.kind = FSN_REC_OVERFLOW;
				n.has_generation = true;
				CHECK_ERR(ctx, ext_send(e, &n), 0, "OVERFLOW record");
			} else {
				/* The best a profile without one can do: the bit on an EVENT. */
				ext_event(e, &n, F, 1, IN_Q_OVERFLOW, NULL, 0);
				ext_send(e, &n);
			}
		}
		for (int inst = 0; inst < 2; inst++) {
			nev = ext_read(e, inst ? id2 : id, ev, cap);
			ext_log_events(e, ev, nev);
			k = overflows(ev, nev, &wd_ok);
			CHECK(ctx, k == 1 && wd_ok, "instance %d: %d IN_Q_OVERFLOW (wd -1: %s), want exactly "
						    "one with wd -1", inst, k, wd_ok ? "yes" : "no");
		}
		break;
	case OV_QUEUE_FLOOD:
		/*
		 * 24 events more than the queue holds: qmax kept, one IN_Q_OVERFLOW
		 * last.  They alternate, because inotify merges an event identical
		 * to the last one queued (inotify_merge()), and so does the model.
		 */
		for (unsigned i = 0; i < qmax + 24 && !ctx->failures; i++) {
			ext_event(e, &n, F, 1, i % 2 ? IN_ATTRIB : IN_MODIFY, NULL, 0);
			CHECK_ERR(ctx, ext_send(e, &n), 0, "EVENT");
		}
		nev = ext_read(e, id, ev, cap);
		k = overflows(ev, nev, &wd_ok);
		CHECK(ctx, k == 1 && wd_ok, "%d IN_Q_OVERFLOW after a flood, want exactly one with wd -1", k);
		CHECK(ctx, nev == qmax + 1 && (ev[nev - 1].mask & IN_Q_OVERFLOW),
		      "%zu events queued, want %u then the overflow", nev, qmax);
		break;
	case OV_CONTROL_NO_OVERFLOW:
		for (unsigned i = 0; i < qmax - 1 && !ctx->failures; i++) {
			ext_event(e, &n, F, 1, i % 2 ? IN_ATTRIB : IN_MODIFY, NULL, 0);
			CHECK_ERR(ctx, ext_send(e, &n), 0, "EVENT");
		}
		nev = ext_read(e, id, ev, cap);
		CHECK(ctx, overflows(ev, nev, &wd_ok) == 0 && nev == qmax - 1,
		      "control: %zu events and an overflow for a queue that never filled", nev);
		break;
	}
	free(ev);
	return fc_verdict(ctx);
}

static const struct ov_row overflow_rows[] = {
	{ EXT_ROW("server_overflow",
		  "the server lost events: each watcher gets exactly one IN_Q_OVERFLOW, wd -1",
		  .xfail = {XF_NO_OVERFLOW, XF_NO_OVERFLOW}),
	  .kind = OV_SERVER_OVERFLOW },
	{ EXT_ROW("queue_flood",
		  "a flood past max_queued_events gives exactly one IN_Q_OVERFLOW, last"),
	  .kind = OV_QUEUE_FLOOD },
	{ EXT_ROW("control_no_overflow", "control: a queue that never fills reports no overflow"),
	  .kind = OV_CONTROL_NO_OVERFLOW },
};
FC_FAMILY(ext_overflow_family, "ext/overflow", overflow_rows, .variants = ext_variants,
	  .nvariants = EXT_NVARIANTS, .run = run_overflow, .precheck = ext_precheck,
	  .fixture = &overflow_fixture)
