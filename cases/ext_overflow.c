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

static enum fc_verdict run_overflow(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct ov_row *row = ext_row(c);
	struct ext_setup su = {.max_queued_events = QMAX};
	struct ino_event *ev;
	struct fsn_notify n;
	struct ext_env e;
	enum fc_verdict v = ext_begin(ctx, c, &su, &e);
	int id, id2, wd, wd2, k, wd_ok;
	unsigned qmax;
	size_t nev, cap;

	if (v != FC_PASS)
		return v;
	if (ext_object(&e, FUSE_ROOT_ID, "f", S_IFREG | 0644, F, 1))
		return ext_end(&e);
	id = fcl_inotify_init(e.cl);
	id2 = fcl_inotify_init(e.cl);
	CHECK_ERR(ctx, fcl_add_watch(e.cl, id, F, IN_MODIFY | IN_ATTRIB, &wd), 0, "watch");
	CHECK_ERR(ctx, fcl_add_watch(e.cl, id2, F, IN_MODIFY | IN_ATTRIB, &wd2), 0, "second watch");
	qmax = fcl_max_queued_events(e.cl, id);
	cap = qmax + 64;
	ev = calloc(cap, sizeof(*ev));
	if (!ev) {
		fc_failf(ctx, __FILE__, __LINE__, "no memory for %zu events", cap);
		return ext_end(&e);
	}

	switch (row->kind) {
	case OV_SERVER_OVERFLOW:
		/* Twice, unread in between: one IN_Q_OVERFLOW per instance, coalesced. */
		for (int i = 0; i < 2; i++) {
			if (e.p->has_overflow) {
				memset(&n, 0, sizeof(n));
				n.kind = FSN_REC_OVERFLOW;
				n.has_generation = true;
				CHECK_ERR(ctx, ext_send(&e, &n), 0, "OVERFLOW record");
			} else {
				/* The best a profile without one can do: the bit on an EVENT. */
				ext_event(&e, &n, F, 1, IN_Q_OVERFLOW, NULL, 0);
				ext_send(&e, &n);
			}
		}
		for (int inst = 0; inst < 2; inst++) {
			nev = ext_read(&e, inst ? id2 : id, ev, cap);
			ext_log_events(&e, ev, nev);
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
			ext_event(&e, &n, F, 1, i % 2 ? IN_ATTRIB : IN_MODIFY, NULL, 0);
			CHECK_ERR(ctx, ext_send(&e, &n), 0, "EVENT");
		}
		nev = ext_read(&e, id, ev, cap);
		k = overflows(ev, nev, &wd_ok);
		CHECK(ctx, k == 1 && wd_ok, "%d IN_Q_OVERFLOW after a flood, want exactly one with wd -1", k);
		CHECK(ctx, nev == qmax + 1 && (ev[nev - 1].mask & IN_Q_OVERFLOW),
		      "%zu events queued, want %u then the overflow", nev, qmax);
		break;
	case OV_CONTROL_NO_OVERFLOW:
		for (unsigned i = 0; i < qmax - 1 && !ctx->failures; i++) {
			ext_event(&e, &n, F, 1, i % 2 ? IN_ATTRIB : IN_MODIFY, NULL, 0);
			CHECK_ERR(ctx, ext_send(&e, &n), 0, "EVENT");
		}
		nev = ext_read(&e, id, ev, cap);
		CHECK(ctx, overflows(ev, nev, &wd_ok) == 0 && nev == qmax - 1,
		      "control: %zu events and an overflow for a queue that never filled", nev);
		break;
	}
	free(ev);
	return ext_end(&e);
}

#define OV(nm, purp, k, xr, xg, xf)                                                   \
	EXT_VARIANTS("ext/overflow", nm, purp, run_overflow, &(const struct ov_row){ .kind = k }, \
		     xr, xg, xf)

static const struct fc_case overflow_cases[] = {
	OV("server_overflow", "the server lost events: each watcher gets exactly one IN_Q_OVERFLOW, wd -1",
	   OV_SERVER_OVERFLOW, XF_NO_OVERFLOW, XF_NO_OVERFLOW, NULL),
	OV("queue_flood", "a flood past max_queued_events gives exactly one IN_Q_OVERFLOW, last",
	   OV_QUEUE_FLOOD, NULL, NULL, NULL),
	OV("control_no_overflow", "control: a queue that never fills reports no overflow",
	   OV_CONTROL_NO_OVERFLOW, NULL, NULL, NULL),
};
FC_FAMILY_CASES(ext_overflow_family, "ext/overflow", overflow_cases)
