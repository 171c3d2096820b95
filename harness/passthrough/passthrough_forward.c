// SPDX-License-Identifier: GPL-2.0-only
/*
 * passthrough_forward.c - the passthrough server's forwarder: changes on the backing
 * filesystem, read from fanotify, become fsn-1 records to the kernel.
 *
 * fanotify reports each change with the file handles of the directory and
 * of the object (FAN_REPORT_DFID_NAME_TARGET), and a rename with both
 * directories and names (FAN_RENAME).  A handle names a node when the
 * kernel holds one (passthrough.c keys nodes on handles), and the node's
 * aggregated mask says whether anyone watches:
 *
 *   change on object X, named N in directory D     record(s)
 *   CREATE, DELETE (entry events of D)              EVENT on D, name N, child X
 *   MODIFY, ATTRIB                                  EVENT on X; and EVENT on D
 *                                                   with name N and child X when
 *                                                   D watches its children
 *   DELETE_SELF                                     EVENT on X: when X's last
 *                                                   link goes (ATTRIB or DELETE
 *                                                   with no link left), since
 *                                                   the node's O_PATH descriptor
 *                                                   keeps the backing inode and
 *                                                   fanotify's DELETE_SELF from
 *                                                   coming while X is watched
 *   FAN_RENAME                                      one RENAME; the kernel makes
 *                                                   MOVED_FROM/TO and MOVE_SELF
 *   FAN_Q_OVERFLOW                                  one OVERFLOW
 *
 * Every change is forwarded, the ones this server made for the mount's own
 * callers included: fsn-1 section 8, the kernel reports changes on inode
 * marks only from the server, so that each is reported once.
 *
 * Access events (IN_ACCESS, IN_OPEN, IN_CLOSE_*) are local only in fsn-1: a
 * watcher on the mount never hears of a backing file being read or closed.
 */
#include "passthrough.h"

#include "fsn_codec.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define IN_ISDIR_ 0x40000000u
#define FS_EVENT_ON_CHILD_ 0x08000000u
#define FS_RENAME_ 0x10000000u
#define IN_MOVED_FROM_ 0x40u
#define IN_MOVED_TO_ 0x80u
#define IN_MOVE_SELF_ 0x800u

/* What the server's fanotify group listens to. */
#define FWD_EVENTS (FAN_CREATE | FAN_DELETE | FAN_RENAME | FAN_MODIFY | FAN_ATTRIB | \
		    FAN_DELETE_SELF | FAN_ONDIR)
/* The change events an EVENT record carries for each, by their own bits. */
#define FWD_DIRENT (FAN_CREATE | FAN_DELETE)
#define FWD_CHILD (FAN_MODIFY | FAN_ATTRIB)

/* One decoded fanotify info record of kind FID or *DFID_NAME. */
struct fan_ref {
	unsigned htype, hlen;
	const unsigned char *handle;
	const char *name; /* NULL for FID */
};

struct fan_event {
	uint64_t mask;
	struct fan_ref dir, old_dir, new_dir, obj;
	int has_dir, has_old, has_new, has_obj;
};

static int parse_event(const struct fanotify_event_metadata *m, struct fan_event *ev)
{
	const unsigned char *p = (const unsigned char *)m + m->metadata_len;
	const unsigned char *end = (const unsigned char *)m + m->event_len;

	memset(ev, 0, sizeof(*ev));
	ev->mask = m->mask;
	while (p + sizeof(struct fanotify_event_info_header) <= end) {
		const struct fanotify_event_info_header *h = (const void *)p;
		const struct fanotify_event_info_fid *fid = (const void *)p;
		const struct file_handle *fh;
		struct fan_ref ref;

		if (h->len < sizeof(*h) || p + h->len > end)
			return EINVAL;
		if (h->len < sizeof(*fid) + sizeof(struct file_handle)) {
			p += h->len;
			continue;
		}
		fh = (const struct file_handle *)fid->handle;
		if (sizeof(*fid) + sizeof(*fh) + fh->handle_bytes > h->len ||
		    fh->handle_bytes > PT_HANDLE_MAX) {
			p += h->len;
			continue;
		}
		ref.htype = (unsigned)fh->handle_type;
		ref.hlen = fh->handle_bytes;
		ref.handle = fh->f_handle;
		ref.name = NULL;
		switch (h->info_type) {
		case FAN_EVENT_INFO_TYPE_FID:
			ev->obj = ref;
			ev->has_obj = 1;
			break;
		case FAN_EVENT_INFO_TYPE_DFID_NAME:
		case FAN_EVENT_INFO_TYPE_OLD_DFID_NAME:
		case FAN_EVENT_INFO_TYPE_NEW_DFID_NAME:
			ref.name = (const char *)fh->f_handle + fh->handle_bytes;
			if (!memchr(ref.name, 0, (size_t)(p + h->len - (const unsigned char *)ref.name)))
				return EINVAL;
			if (h->info_type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
				ev->dir = ref;
				ev->has_dir = 1;
			} else if (h->info_type == FAN_EVENT_INFO_TYPE_OLD_DFID_NAME) {
				ev->old_dir = ref;
				ev->has_old = 1;
			} else {
				ev->new_dir = ref;
				ev->has_new = 1;
			}
			break;
		case FAN_EVENT_INFO_TYPE_DFID:
			ev->dir = ref;
			ev->dir.name = NULL;
			ev->has_dir = 1;
			break;
		default:
			break;
		}
		p += h->len;
	}
	return 0;
}

/* The records one event makes, encoded, before they are written. */
#define FWD_MAX_RECORDS 4
struct fwd_out {
	int n;
	size_t len[FWD_MAX_RECORDS];
	uint8_t msg[FWD_MAX_RECORDS][sizeof(struct fuse_out_header) + 600];
	char what[FWD_MAX_RECORDS][96];
};

static void emit(struct passthrough *pt, struct fwd_out *o, const struct fsn_notify *rec,
		 const char *what)
{
	const struct fsn_profile *p = pt->profile;
	uint8_t payload[600];
	size_t plen;

	if (o->n >= FWD_MAX_RECORDS)
		return;
	plen = fsn_encode_notify(p, rec, payload, sizeof(payload));
	if (!plen)
		return;
	o->len[o->n] = fw_notify_encode(o->msg[o->n], sizeof(o->msg[0]), p->notify_code, payload,
					plen);
	snprintf(o->what[o->n], sizeof(o->what[0]), "%s", what);
	if (o->len[o->n])
		o->n++;
}

static struct pt_node *fwd_node_of(struct passthrough *pt, const struct fan_ref *ref, int has)
{
	return has ? pt_node_by_handle(pt, ref->htype, ref->handle, ref->hlen) : NULL;
}

static void set_name(struct fsn_name *n, const char *name)
{
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->namelen = (uint32_t)strlen(name);
}

/*
 * A nodeid this server never gave the kernel, for the side of a RENAME
 * that the kernel does not hold: it answers ENOENT for that side alone
 * and delivers to the other.
 */
static uint64_t unheld_nodeid(struct passthrough *pt)
{
	return pt->next_nodeid++;
}

/* The backing object has no name left (a directory: it was removed). */
static int no_link_left(const struct pt_node *n)
{
	struct stat st;

	return !fstatat(n->fd, "", &st, AT_EMPTY_PATH) &&
	       (n->isdir ? st.st_nlink <= 1 : !st.st_nlink);
}

/* One EVENT record on node n: a self event, or with name (and child) an event in it. */
static void emit_event(struct passthrough *pt, struct fwd_out *o, const struct pt_node *n,
		       uint32_t mask, const char *name, const struct pt_node *child)
{
	struct fsn_notify rec = {.kind = FSN_REC_EVENT, .nodeid = n->nodeid,
				 .generation = n->generation, .mask = mask};
	char what[96];

	if (name)
		set_name(&rec.name, name);
	if (child) {
		rec.child.nodeid = child->nodeid;
		rec.child.generation = child->generation;
	}
	snprintf(what, sizeof(what), "EVENT %#x on nodeid %llu%s%.40s", mask,
		 (unsigned long long)n->nodeid, name ? " name " : "", name ? name : "");
	emit(pt, o, &rec, what);
}

/* Translate one event into records (pt->lock held). */
static void translate(struct passthrough *pt, const struct fan_event *ev, struct fwd_out *o)
{
	uint32_t isdir = ev->mask & FAN_ONDIR ? IN_ISDIR_ : 0;
	struct pt_node *obj = fwd_node_of(pt, &ev->obj, ev->has_obj);
	struct pt_node *dir = fwd_node_of(pt, &ev->dir, ev->has_dir);
	const char *name = ev->has_dir && ev->dir.name && *ev->dir.name ? ev->dir.name : NULL;

	if (ev->mask & FAN_RENAME) {
		struct pt_node *src = fwd_node_of(pt, &ev->old_dir, ev->has_old);
		struct pt_node *dst = fwd_node_of(pt, &ev->new_dir, ev->has_new);
		int wanted = (src && (src->mask & (IN_MOVED_FROM_ | FS_RENAME_))) ||
			     (dst && (dst->mask & (IN_MOVED_TO_ | FS_RENAME_))) ||
			     (obj && (obj->mask & IN_MOVE_SELF_));
		struct fsn_notify rec = {.kind = FSN_REC_RENAME, .mask = isdir};
		char what[96];

		if (!ev->has_old || !ev->has_new || !wanted)
			return;
		rec.src_parent.nodeid = src ? src->nodeid : unheld_nodeid(pt);
		rec.src_parent.generation = src ? src->generation : 0;
		rec.dst_parent.nodeid = dst ? dst->nodeid : unheld_nodeid(pt);
		rec.dst_parent.generation = dst ? dst->generation : 0;
		if (obj) {
			rec.child.nodeid = obj->nodeid;
			rec.child.generation = obj->generation;
		}
		set_name(&rec.src_name, ev->old_dir.name);
		set_name(&rec.dst_name, ev->new_dir.name);
		snprintf(what, sizeof(what), "RENAME %.40s -> %.40s", ev->old_dir.name,
			 ev->new_dir.name);
		emit(pt, o, &rec, what);
	}
	for (uint32_t bit = 1; bit; bit <<= 1) {
		if (!(ev->mask & bit & (FWD_DIRENT | FWD_CHILD | FAN_DELETE_SELF)))
			continue;
		if (bit == FAN_DELETE_SELF && obj && obj->gone)
			continue; /* said already, when its last link went */
		/* On the object itself: its own marks. */
		if (obj && (bit & (FWD_CHILD | FAN_DELETE_SELF)) && (obj->mask & bit))
			emit_event(pt, o, obj, bit | isdir, NULL, NULL);
		/* On the directory, with the name: entry events, and child events
		 * when the directory watches its children. */
		if (dir && name && (dir->mask & bit) &&
		    ((bit & FWD_DIRENT) || ((bit & FWD_CHILD) && (dir->mask & FS_EVENT_ON_CHILD_))))
			emit_event(pt, o, dir, bit | isdir, name, obj);
	}
	if (obj && !obj->gone && (ev->mask & (FAN_ATTRIB | FAN_DELETE)) && no_link_left(obj)) {
		obj->gone = 1;
		if (obj->mask & FAN_DELETE_SELF)
			emit_event(pt, o, obj, FAN_DELETE_SELF | isdir, NULL, NULL);
	}
}

static int anything_watched(struct passthrough *pt)
{
	for (int i = 0; i < PT_BUCKETS; i++)
		for (struct pt_node *n = pt->by_id[i]; n; n = n->next_id)
			if (n->mask)
				return 1;
	return 0;
}

/* Write the records; count what the kernel said. */
static void send_records(struct passthrough *pt, struct fwd_out *o)
{
	for (int i = 0; i < o->n; i++) {
		int err = pt->send(pt->send_arg, o->msg[i], o->len[i]);

		pthread_mutex_lock(&pt->lock);
		pt->stats.records++;
		if (!err)
			pt->stats.accepted++;
		else if (err == ENOENT)
			pt->stats.enoent++;
		else if (err == ESTALE)
			pt->stats.estale++;
		else
			pt->stats.other_err++, pt->stats.last_err = err;
		pthread_mutex_unlock(&pt->lock);
		if (pt->verbose)
			fprintf(stderr, "fsnc serve: %s: %s\n", o->what[i], fc_errname(err));
	}
}

void pt_forward_batch(struct passthrough *pt, const void *buf, size_t size)
{
	const struct fanotify_event_metadata *m = buf;
	ssize_t len = (ssize_t)size;

	for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
		struct fwd_out o = {0};
		struct fan_event ev;

		if (m->vers != FANOTIFY_METADATA_VERSION)
			break;
		if (m->fd >= 0)
			close(m->fd);
		pthread_mutex_lock(&pt->lock);
		pt->stats.fan_events++;
		if (m->mask & FAN_Q_OVERFLOW) {
			pt->stats.fan_overflows++;
			if (anything_watched(pt)) {
				struct fsn_notify rec = {.kind = FSN_REC_OVERFLOW};

				emit(pt, &o, &rec, "OVERFLOW");
			}
		} else if (!parse_event(m, &ev)) {
			translate(pt, &ev, &o);
		}
		pthread_mutex_unlock(&pt->lock);
		send_records(pt, &o);
	}
}

static void *forward_thread(void *arg)
{
	struct passthrough *pt = arg;
	size_t cap = 64 * 1024;
	uint8_t *buf = malloc(cap);

	while (buf) {
		struct pollfd p[2] = {
			{.fd = pt->fan_fd, .events = POLLIN},
			{.fd = pt->stop_pipe[0], .events = POLLIN},
		};
		ssize_t n;

		if (poll(p, 2, 1000) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		if (__atomic_load_n(&pt->paused, __ATOMIC_ACQUIRE)) {
			usleep(10 * 1000);
			continue;
		}
		n = read(pt->fan_fd, buf, cap);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			break;
		}
		pt_forward_batch(pt, buf, (size_t)n);
	}
	free(buf);
	return NULL;
}

void pt_mark_update(struct passthrough *pt, struct pt_node *n)
{
	uint64_t events = FWD_EVENTS | (n->isdir ? FAN_EVENT_ON_CHILD : 0);
	char p[32];

	if (pt->fan_fd < 0 || pt->fs_mark)
		return;
	if (n->mask && !n->marked) {
		n->marked = !fanotify_mark(pt->fan_fd, FAN_MARK_ADD, events, AT_FDCWD,
					   pt_fd_path(n->fd, p));
		if (!n->marked)
			fprintf(stderr, "fsnc serve: cannot watch nodeid %llu: fanotify_mark: %s\n",
				(unsigned long long)n->nodeid, strerror(errno));
	} else if (!n->mask && n->marked) {
		n->marked = !!fanotify_mark(pt->fan_fd, FAN_MARK_REMOVE, events, AT_FDCWD,
					    pt_fd_path(n->fd, p));
	}
}

/* Records go to the kernel through the server's notifier, 5 s at most each. */
static int send_to_srv(void *arg, const void *msg, size_t len)
{
	return srv_notify(arg, msg, len, 5000);
}

int pt_forward_start(struct passthrough *pt, struct srv *s, char *err, size_t errlen)
{
	char p[32];

	pt->srv = s;
	pt->profile = s->opts.profile;
	pt->send = send_to_srv;
	pt->send_arg = s;
	if (!srv_extension_on(s))
		return 0;
	pt->fan_fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME_TARGET | FAN_CLOEXEC |
					   FAN_NONBLOCK,
				   O_RDONLY | O_CLOEXEC);
	if (pt->fan_fd < 0) {
		int e = errno;

		snprintf(err, errlen, "fanotify_init(FAN_REPORT_DFID_NAME_TARGET): %s",
			 strerror(e));
		return e;
	}
	/* One mark for the whole filesystem where it may have one (it hears
	 * everything, watched or not); else a mark per watched node. */
	/* fanotify_mark() refuses O_PATH descriptors (EBADF): by the magic link. */
	pt->fs_mark = !fanotify_mark(pt->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FWD_EVENTS,
				     AT_FDCWD, pt_fd_path(pt->root_fd, p));
	if (pt->verbose)
		fprintf(stderr, "fsnc serve: watching %s with %s%s%s\n", pt->dir,
			pt->fs_mark ? "a filesystem mark" : "an inode mark per watched object",
			pt->fs_mark ? "" : ": no filesystem mark, ", pt->fs_mark ? "" : strerror(errno));
	if (pipe2(pt->stop_pipe, O_CLOEXEC)) {
		int e = errno;

		snprintf(err, errlen, "pipe2: %s", strerror(e));
		return e;
	}
	pthread_mutex_lock(&pt->lock);
	for (int i = 0; i < PT_BUCKETS; i++)
		for (struct pt_node *n = pt->by_id[i]; n; n = n->next_id)
			pt_mark_update(pt, n);
	pthread_mutex_unlock(&pt->lock);
	if (pthread_create(&pt->thread, NULL, forward_thread, pt)) {
		snprintf(err, errlen, "pthread_create failed");
		return EAGAIN;
	}
	pt->running = 1;
	return 0;
}

void pt_forward_pause(struct passthrough *pt, int on)
{
	__atomic_store_n(&pt->paused, on, __ATOMIC_RELEASE);
}

void pt_forward_stop(struct passthrough *pt)
{
	if (pt->running) {
		struct timespec ts;

		if (write(pt->stop_pipe[1], "x", 1) != 1)
			fprintf(stderr, "fsnc: forwarder stop: %s\n", strerror(errno));
		/* It may be inside one notify write, bounded at 5 s. */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 30;
		if (pthread_timedjoin_np(pt->thread, NULL, &ts)) {
			fprintf(stderr, "fsnc: the forwarder did not stop in 30 s\n");
			return;
		}
		pt->running = 0;
	}
	for (int i = 0; i < 2; i++) {
		if (pt->stop_pipe[i] >= 0)
			close(pt->stop_pipe[i]);
		pt->stop_pipe[i] = -1;
	}
}
