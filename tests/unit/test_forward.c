// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_forward.c - the passthrough server's forwarder (harness/passthrough/passthrough_forward.c):
 * fanotify events, built here byte by byte as the kernel lays them out,
 * go through pt_forward_batch() and the records it sends are decoded with
 * the strict fsn-1 decoder.  Only a kernel with fsn-1 runs the forwarder
 * for real (the e2e family in QEMU), so this is what runs it on every
 * machine, under ASan and UBSan too.
 *
 * The backing directory is a temporary directory: a/, b/, a/f.  Nodes come
 * from pt_lookup() (what LOOKUP does) and masks from pt_watch() (what an
 * FSNOTIFY request does); the events carry the backing objects' real file
 * handles.  A filesystem without handles skips every test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsn_codec.h"
#include "passthrough.h"
#include "profiles.h"

#define IN_MODIFY_ 0x2u
#define IN_ATTRIB_ 0x4u
#define IN_MOVED_FROM_ 0x40u
#define IN_CREATE_ 0x100u
#define IN_DELETE_SELF_ 0x400u
#define IN_MOVE_SELF_ 0x800u
#define ON_CHILD 0x08000000u

struct fix {
	char dir[64];
	struct passthrough *pt;
	const struct fsn_profile *p;
	struct fuse_entry_out a, b, f; /* the nodes the "kernel" holds */
	/* what the forwarder sent */
	int n;
	uint8_t msg[8][704] __attribute__((aligned(8)));
	size_t len[8];
	int answer; /* the errno the "kernel" gives every record */
};

static int record(void *arg, const void *msg, size_t len)
{
	struct fix *x = arg;

	if (x->n < 8 && len <= sizeof(x->msg[0])) {
		memcpy(x->msg[x->n], msg, len);
		x->len[x->n] = len;
	}
	x->n++;
	return x->answer;
}

/* Decode sent record i with the strict fsn-1 decoder (it must accept it). */
static struct fsn_notify sent(struct fix *x, int i)
{
	struct fsn_notify n;
	const struct fuse_out_header *h = (const void *)x->msg[i];

	assert_true(i < x->n);
	assert_int_equal(h->unique, 0);
	assert_int_equal(h->error, x->p->notify_code);
	assert_int_equal(h->len, x->len[i]);
	assert_int_equal(fsn_decode_notify(x->p, x->msg[i] + sizeof(*h), x->len[i] - sizeof(*h), &n),
			 0);
	return n;
}

static void name_is(const struct fsn_name *n, const char *want)
{
	assert_int_equal(n->namelen, strlen(want));
	assert_memory_equal(n->name, want, strlen(want));
}

static int setup(void **state)
{
	struct fix *x = calloc(1, sizeof(*x));
	char p[128], err[256];
	int fd;

	snprintf(x->dir, sizeof(x->dir), "/tmp/fsnc-test-forward.XXXXXX");
	if (!mkdtemp(x->dir))
		return -1;
	snprintf(p, sizeof(p), "%s/a", x->dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/b", x->dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/a/f", x->dir);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	close(fd);
	x->pt = pt_open(x->dir, err, sizeof(err));
	if (!x->pt) {
		print_message("no passthrough here: %s\n", err);
		*state = x;
		return 0;
	}
	x->p = fsn_profile_by_name("fsn-1");
	x->pt->profile = x->p;
	x->pt->send = record;
	x->pt->send_arg = x;
	assert_int_equal(pt_lookup(x->pt, FUSE_ROOT_ID, "a", &x->a), 0);
	assert_int_equal(pt_lookup(x->pt, FUSE_ROOT_ID, "b", &x->b), 0);
	assert_int_equal(pt_lookup(x->pt, x->a.nodeid, "f", &x->f), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fix *x = *state;
	char cmd[128];

	pt_close(x->pt);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", x->dir);
	if (system(cmd))
		return -1;
	free(x);
	return 0;
}

/* ---- fanotify events, as the kernel lays them out ---- */

struct evbuf {
	uint8_t b[4096] __attribute__((aligned(8)));
	size_t len, start;
};

static void ev_begin(struct evbuf *e, uint64_t mask)
{
	struct fanotify_event_metadata m = {
		.vers = FANOTIFY_METADATA_VERSION,
		.metadata_len = sizeof(m),
		.mask = mask,
		.fd = FAN_NOFD,
	};

	e->start = e->len;
	memcpy(e->b + e->len, &m, sizeof(m));
	e->len += sizeof(m);
}

/* An info record naming path (relative to the fixture's directory), with a name or not. */
static void ev_info(struct fix *x, struct evbuf *e, uint8_t type, const char *path,
		    const char *name)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[128];
	} h;
	struct fanotify_event_info_header hdr = {.info_type = type};
	char p[256];
	int mount_id;
	size_t at = e->len, n;

	snprintf(p, sizeof(p), "%s/%s", x->dir, path);
	h.fh.handle_bytes = sizeof(h.bytes);
	assert_int_equal(name_to_handle_at(AT_FDCWD, p, &h.fh, &mount_id, 0), 0);
	e->len += sizeof(hdr) + sizeof(__kernel_fsid_t);
	memset(e->b + at + sizeof(hdr), 0, sizeof(__kernel_fsid_t));
	n = sizeof(struct file_handle) + h.fh.handle_bytes;
	memcpy(e->b + e->len, &h, n);
	e->len += n;
	if (name) {
		memcpy(e->b + e->len, name, strlen(name) + 1);
		e->len += strlen(name) + 1;
	}
	while (e->len % 4)
		e->b[e->len++] = 0;
	hdr.len = (uint16_t)(e->len - at);
	memcpy(e->b + at, &hdr, sizeof(hdr));
}

static void ev_end(struct evbuf *e)
{
	struct fanotify_event_metadata *m = (void *)(e->b + e->start);

	m->event_len = (uint32_t)(e->len - e->start);
}

#define NEED_PT(x)                                                    \
	do {                                                          \
		if (!(x)->pt)                                         \
			skip(); /* a filesystem without file handles */ \
	} while (0)

/* ---- tests ---- */

static void create_goes_to_the_watching_directory(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};
	struct fsn_notify n;

	NEED_PT(x);
	assert_int_equal(pt_watch(x->pt, x->a.nodeid, x->a.generation, IN_CREATE_ | ON_CHILD), 0);
	ev_begin(&e, FAN_CREATE);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_DFID_NAME, "a", "f");
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_FID, "a/f", NULL);
	ev_end(&e);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 1);
	n = sent(x, 0);
	assert_int_equal(n.kind, FSN_REC_EVENT);
	assert_int_equal(n.nodeid, x->a.nodeid);
	assert_int_equal(n.generation, x->a.generation);
	assert_int_equal(n.mask, IN_CREATE_);
	name_is(&n.name, "f");
	assert_int_equal(n.child.nodeid, x->f.nodeid);
	assert_int_equal(n.child.generation, x->f.generation);
}

static void unwatched_changes_send_nothing(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};

	NEED_PT(x);
	/* a watches MODIFY only: a CREATE in it, and anything in b, is nobody's. */
	assert_int_equal(pt_watch(x->pt, x->a.nodeid, x->a.generation, IN_MODIFY_), 0);
	ev_begin(&e, FAN_CREATE);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_DFID_NAME, "a", "f");
	ev_end(&e);
	ev_begin(&e, FAN_CREATE | FAN_ONDIR);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_DFID_NAME, "b", "x");
	ev_end(&e);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 0);
}

static void modify_goes_to_the_object_and_a_parent_watching_children(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};
	struct fsn_notify n;

	NEED_PT(x);
	assert_int_equal(pt_watch(x->pt, x->f.nodeid, x->f.generation, IN_MODIFY_), 0);
	assert_int_equal(pt_watch(x->pt, x->a.nodeid, x->a.generation, IN_MODIFY_ | ON_CHILD), 0);
	ev_begin(&e, FAN_MODIFY);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_DFID_NAME, "a", "f");
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_FID, "a/f", NULL);
	ev_end(&e);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 2);
	n = sent(x, 0);
	assert_int_equal(n.nodeid, x->f.nodeid);
	assert_int_equal(n.mask, IN_MODIFY_);
	assert_int_equal(n.name.namelen, 0);
	n = sent(x, 1);
	assert_int_equal(n.nodeid, x->a.nodeid);
	name_is(&n.name, "f");
	assert_int_equal(n.child.nodeid, x->f.nodeid);

	/* Without FS_EVENT_ON_CHILD the directory does not hear its children. */
	x->n = 0;
	assert_int_equal(pt_watch(x->pt, x->a.nodeid, x->a.generation, IN_MODIFY_), 0);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 1);
	assert_int_equal(sent(x, 0).nodeid, x->f.nodeid);
}

static void merged_event_sends_each_bit(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};

	NEED_PT(x);
	assert_int_equal(pt_watch(x->pt, x->f.nodeid, x->f.generation, IN_MODIFY_ | IN_ATTRIB_), 0);
	ev_begin(&e, FAN_MODIFY | FAN_ATTRIB);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_FID, "a/f", NULL);
	ev_end(&e);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 2);
	assert_int_equal(sent(x, 0).mask, IN_MODIFY_);
	assert_int_equal(sent(x, 1).mask, IN_ATTRIB_);
}

static void rename_is_one_record(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};
	struct fsn_notify n;

	NEED_PT(x);
	assert_int_equal(pt_watch(x->pt, x->a.nodeid, x->a.generation, IN_MOVED_FROM_), 0);
	ev_begin(&e, FAN_RENAME);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, "a", "f");
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, "b", "g");
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_FID, "a/f", NULL);
	ev_end(&e);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 1);
	n = sent(x, 0);
	assert_int_equal(n.kind, FSN_REC_RENAME);
	assert_int_equal(n.src_parent.nodeid, x->a.nodeid);
	assert_int_equal(n.src_parent.generation, x->a.generation);
	assert_int_equal(n.dst_parent.nodeid, x->b.nodeid);
	assert_int_equal(n.child.nodeid, x->f.nodeid);
	name_is(&n.src_name, "f");
	name_is(&n.dst_name, "g");
	assert_int_equal(n.mask, 0);
}

static void rename_from_a_directory_the_kernel_does_not_hold(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};
	struct fsn_notify n;
	char p[128];

	NEED_PT(x);
	snprintf(p, sizeof(p), "%s/c", x->dir);
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(pt_watch(x->pt, x->b.nodeid, x->b.generation, 0x80u /* MOVED_TO */), 0);
	ev_begin(&e, FAN_RENAME);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, "c", "f");
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, "b", "f");
	ev_end(&e);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 1);
	n = sent(x, 0);
	/* A nodeid never handed out: not 0 (EINVAL), and none the kernel holds. */
	assert_true(n.src_parent.nodeid != 0);
	assert_true(n.src_parent.nodeid != x->a.nodeid && n.src_parent.nodeid != x->b.nodeid &&
		    n.src_parent.nodeid != x->f.nodeid && n.src_parent.nodeid != FUSE_ROOT_ID);
	assert_int_equal(n.dst_parent.nodeid, x->b.nodeid);
	assert_int_equal(n.child.nodeid, 0);
	assert_int_equal(n.child.generation, 0);
}

static void overflow_only_when_something_is_watched(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};

	NEED_PT(x);
	ev_begin(&e, FAN_Q_OVERFLOW);
	ev_end(&e);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 0);
	assert_int_equal(pt_watch(x->pt, x->b.nodeid, x->b.generation, IN_CREATE_), 0);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 1);
	assert_int_equal(sent(x, 0).kind, FSN_REC_OVERFLOW);
	assert_int_equal(pt_stats(x->pt).fan_overflows, 2);
}

static void delete_self_when_no_link_is_left(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};
	char p[128];

	NEED_PT(x);
	assert_int_equal(pt_watch(x->pt, x->f.nodeid, x->f.generation, IN_ATTRIB_ | IN_DELETE_SELF_),
			 0);
	ev_begin(&e, FAN_ATTRIB);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_FID, "a/f", NULL);
	ev_end(&e);
	/* Still linked: ATTRIB alone. */
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 1);
	assert_int_equal(sent(x, 0).mask, IN_ATTRIB_);
	/* Unlinked (the event was built while it had a name): ATTRIB, then DELETE_SELF once. */
	snprintf(p, sizeof(p), "%s/a/f", x->dir);
	assert_int_equal(unlink(p), 0);
	x->n = 0;
	pt_forward_batch(x->pt, e.b, e.len);
	pt_forward_batch(x->pt, e.b, e.len);
	assert_int_equal(x->n, 3);
	assert_int_equal(sent(x, 0).mask, IN_ATTRIB_);
	assert_int_equal(sent(x, 1).mask, IN_DELETE_SELF_);
	assert_int_equal(sent(x, 2).mask, IN_ATTRIB_);
}

static void watch_checks_identity(void **state)
{
	struct fix *x = *state;

	NEED_PT(x);
	assert_int_equal(pt_watch(x->pt, 999999, 1, IN_CREATE_), ENOENT);
	/* The root: generation 0, as the kernel holds it (no entry names it). */
	assert_int_equal(pt_watch(x->pt, FUSE_ROOT_ID, 0, IN_CREATE_), 0);
	assert_int_equal(pt_watch(x->pt, FUSE_ROOT_ID, 1, IN_CREATE_), ESTALE);
	assert_int_equal(pt_watch(x->pt, x->f.nodeid, x->f.generation + 2, IN_CREATE_), ESTALE);
	/* One object, one node: a second lookup gives the same identity. */
	{
		struct fuse_entry_out again;

		assert_int_equal(pt_lookup(x->pt, x->a.nodeid, "f", &again), 0);
		assert_int_equal(again.nodeid, x->f.nodeid);
		assert_int_equal(again.generation, x->f.generation);
	}
	assert_int_equal(pt_lookup(x->pt, x->a.nodeid, "nosuch", &(struct fuse_entry_out){0}),
			 ENOENT);
}

static void truncated_or_lying_info_records_are_dropped(void **state)
{
	struct fix *x = *state;
	struct evbuf e = {0};

	NEED_PT(x);
	assert_int_equal(pt_watch(x->pt, x->a.nodeid, x->a.generation, IN_CREATE_), 0);
	ev_begin(&e, FAN_CREATE);
	ev_info(x, &e, FAN_EVENT_INFO_TYPE_DFID_NAME, "a", "f");
	ev_end(&e);
	/* Every shorter cut of the event: nothing read past it, nothing sent. */
	for (size_t cut = 1; cut < e.len; cut++) {
		struct evbuf c = e;
		struct fanotify_event_metadata *m = (void *)c.b;
		uint8_t *copy = malloc(cut);

		m->event_len = (uint32_t)cut;
		memcpy(copy, c.b, cut);
		pt_forward_batch(x->pt, copy, cut);
		free(copy);
	}
	/* An info header claiming more than the event holds. */
	{
		struct evbuf c = e;
		struct fanotify_event_info_header *h = (void *)(c.b + sizeof(struct fanotify_event_metadata));

		h->len = 4000;
		pt_forward_batch(x->pt, c.b, c.len);
		h->len = 0;
		pt_forward_batch(x->pt, c.b, c.len);
	}
	assert_int_equal(x->n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_goes_to_the_watching_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(unwatched_changes_send_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(modify_goes_to_the_object_and_a_parent_watching_children,
						setup, teardown),
		cmocka_unit_test_setup_teardown(merged_event_sends_each_bit, setup, teardown),
		cmocka_unit_test_setup_teardown(rename_is_one_record, setup, teardown),
		cmocka_unit_test_setup_teardown(rename_from_a_directory_the_kernel_does_not_hold, setup,
						teardown),
		cmocka_unit_test_setup_teardown(overflow_only_when_something_is_watched, setup, teardown),
		cmocka_unit_test_setup_teardown(delete_self_when_no_link_is_left, setup, teardown),
		cmocka_unit_test_setup_teardown(watch_checks_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(truncated_or_lying_info_records_are_dropped, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
