// SPDX-License-Identifier: GPL-2.0-only
/* fsn_client.c - the watcher's operations on the model and on a kernel. */
#include "fsn_client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "client.h"
#include "kutil.h"
#include "model.h"
#include "server.h"

#define FCL_MAX_INSTANCES 8

struct fcl_ops {
	const char *name;
	int (*lookup)(struct fsn_client *cl, uint64_t parent, const char *name, uint64_t *nodeid,
		      uint64_t *generation);
	int (*evict)(struct fsn_client *cl, uint64_t nodeid);
	int (*unlink)(struct fsn_client *cl, uint64_t parent, const char *name);
	int (*local_change)(struct fsn_client *cl, uint64_t nodeid, uint32_t mask);
	int (*inotify_init)(struct fsn_client *cl);
	int (*add_watch)(struct fsn_client *cl, int id, uint64_t nodeid, uint32_t mask, int *wd);
	int (*rm_watch)(struct fsn_client *cl, int id, int wd);
	int (*inotify_close)(struct fsn_client *cl, int id);
	int (*read)(struct fsn_client *cl, int id, struct ino_event *ev, size_t max, size_t *n);
	int (*fanotify_init)(struct fsn_client *cl);
	int (*fan_mark)(struct fsn_client *cl, int id, uint64_t nodeid, uint64_t mask);
	int (*fan_read)(struct fsn_client *cl, int id, struct fan_event *ev, size_t max, size_t *n);
	bool (*extension_on)(struct fsn_client *cl);
};

struct fsn_client {
	const struct fcl_ops *ops;
	struct fc_ctx *ctx;
	struct srv *s;
	struct model *m;               /* model backend */
	unsigned max_queued_events;    /* model backend: what its instances hold */
	int ifd[FCL_MAX_INSTANCES];    /* kernel backend: inotify fds by id, -1 free */
	unsigned imax[FCL_MAX_INSTANCES];
	int ffd[FCL_MAX_INSTANCES];    /* kernel backend: fanotify fds by id */
};

/* ---- the model: its client operations stand for the syscalls ---------------------------------- */

#ifdef FSNC_CONFIG_MODEL
static int m_lookup(struct fsn_client *cl, uint64_t parent, const char *name, uint64_t *nodeid,
		    uint64_t *generation)
{
	return model_lookup(cl->m, parent, name, nodeid, generation);
}

static int m_evict(struct fsn_client *cl, uint64_t nodeid)
{
	return model_evict(cl->m, nodeid);
}

static int m_unlink(struct fsn_client *cl, uint64_t parent, const char *name)
{
	return model_unlink(cl->m, parent, name);
}

static int m_local_change(struct fsn_client *cl, uint64_t nodeid, uint32_t mask)
{
	return model_local_change(cl->m, nodeid, mask, NULL);
}

static int m_inotify_init(struct fsn_client *cl)
{
	return model_inotify_init(cl->m);
}

static int m_add_watch(struct fsn_client *cl, int id, uint64_t nodeid, uint32_t mask, int *wd)
{
	return model_add_watch(cl->m, id, nodeid, mask, wd);
}

static int m_rm_watch(struct fsn_client *cl, int id, int wd)
{
	return model_rm_watch(cl->m, id, wd);
}

static int m_inotify_close(struct fsn_client *cl, int id)
{
	return model_inotify_close(cl->m, id);
}

static int m_read(struct fsn_client *cl, int id, struct ino_event *ev, size_t max, size_t *n)
{
	return model_read(cl->m, id, ev, max, n);
}

static int m_fanotify_init(struct fsn_client *cl)
{
	return model_fanotify_init(cl->m);
}

static int m_fan_mark(struct fsn_client *cl, int id, uint64_t nodeid, uint64_t mask)
{
	return model_fan_mark(cl->m, id, nodeid, mask);
}

static int m_fan_read(struct fsn_client *cl, int id, struct fan_event *ev, size_t max, size_t *n)
{
	return model_fan_read(cl->m, id, ev, max, n);
}

static bool m_extension_on(struct fsn_client *cl)
{
	return model_extension_on(cl->m);
}

static const struct fcl_ops fcl_model_ops = {
	.name = "model",
	.lookup = m_lookup,
	.evict = m_evict,
	.unlink = m_unlink,
	.local_change = m_local_change,
	.inotify_init = m_inotify_init,
	.add_watch = m_add_watch,
	.rm_watch = m_rm_watch,
	.inotify_close = m_inotify_close,
	.read = m_read,
	.fanotify_init = m_fanotify_init,
	.fan_mark = m_fan_mark,
	.fan_read = m_fan_read,
	.extension_on = m_extension_on,
};
#endif

/* ---- a kernel: the syscalls on the server's mount ---------------------------------------------- */

/* The path of nodeid in the server's tree ("" for the root), or ENOENT. */
static int k_relpath(struct fsn_client *cl, uint64_t nodeid, char *out, size_t cap)
{
	char tmp[TREE_NAME_MAX + 512];
	int err = 0;

	out[0] = 0;
	srv_lock(cl->s);
	for (int depth = 0; nodeid != FUSE_ROOT_ID; depth++) {
		struct tree_node *n = tree_get(&cl->s->tree, nodeid);

		if (!n || !n->attached || depth > 64) {
			err = ENOENT;
			break;
		}
		snprintf(tmp, sizeof(tmp), "%s%s%s", n->name, out[0] ? "/" : "", out);
		if (strlen(tmp) >= cap) {
			err = ENAMETOOLONG;
			break;
		}
		strcpy(out, tmp);
		nodeid = n->parent;
	}
	srv_unlock(cl->s);
	return err;
}

/* The absolute path of nodeid on the mount, in a per-thread buffer of srv_path(). */
static const char *k_path(struct fsn_client *cl, uint64_t nodeid)
{
	char rel[400];

	return k_relpath(cl, nodeid, rel, sizeof(rel)) ? NULL : srv_path(cl->s, rel);
}

static const char *k_child_path(struct fsn_client *cl, uint64_t parent, const char *name)
{
	char rel[400], both[512];

	if (k_relpath(cl, parent, rel, sizeof(rel)))
		return NULL;
	snprintf(both, sizeof(both), "%s%s%s", rel, rel[0] ? "/" : "", name);
	return srv_path(cl->s, both);
}

/* The deadline for one call that may wait for the server: the model's reply deadline. */
static int k_deadline_ms(struct fsn_client *cl)
{
	return fc_ms(cl->ctx, 500);
}

/*
 * Run fn(arg) on a thread.  A kernel waits for its server as long as it
 * takes: when the call is still blocked at the deadline, the connection is
 * aborted to end it, and the answer is ETIMEDOUT (the model's, for a reply
 * that never came).
 */
static int k_call(struct fsn_client *cl, long (*fn)(void *), void *arg)
{
	struct client_call *c = calloc(1, sizeof(*c));
	long r = 0;
	int err;

	if (!c)
		return ENOMEM;
	err = client_start(c, fn, arg);
	if (err) {
		free(c);
		return err;
	}
	if (client_join(c, k_deadline_ms(cl), &r) == ETIMEDOUT) {
		fc_log(cl->ctx, "the call was still waiting for the server at %d ms: aborting the "
				"connection", k_deadline_ms(cl));
		srv_abort(cl->s);
		/* The thread owns c and arg if even the abort cannot end it. */
		if (client_join(c, fc_ms(cl->ctx, 2000), NULL) == ETIMEDOUT)
			return ETIMEDOUT;
		free(c);
		return ETIMEDOUT;
	}
	free(c);
	return (int)r;
}

static int errno_or(int fallback)
{
	return errno ? errno : fallback;
}

/* INVAL_ENTRY from the server, so that the next access to the name is a LOOKUP. */
static int k_inval_entry(struct fsn_client *cl, uint64_t parent, const char *name)
{
	struct fuse_notify_inval_entry_out ie = { .parent = parent, .namelen = strlen(name) };
	uint8_t msg[sizeof(struct fuse_out_header) + sizeof(ie) + 256];
	size_t len = fw_notify_encode_named(msg, sizeof(msg), FUSE_NOTIFY_INVAL_ENTRY, &ie,
					    sizeof(ie), name, ie.namelen, 1);

	if (!len)
		return ENAMETOOLONG;
	return srv_notify(cl->s, msg, len, fc_ms(cl->ctx, 2000));
}

static int k_lookup(struct fsn_client *cl, uint64_t parent, const char *name, uint64_t *nodeid,
		    uint64_t *generation)
{
	const char *path = k_child_path(cl, parent, name);
	union { struct file_handle fh; char b[sizeof(struct file_handle) + 128]; } h;
	struct fuse_fh dec;
	struct stat st;
	int mnt_id, err;

	if (!path)
		return ENOENT;
	/* The entry may be cached (or cached negative): only a LOOKUP says what the server has. */
	err = k_inval_entry(cl, parent, name);
	if (err && err != ENOENT)
		return err;
	if (stat(path, &st))
		return errno_or(EIO);
	/* The identity the kernel holds, as its file handle encodes it. */
	h.fh.handle_bytes = 128;
	if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mnt_id, 0))
		return errno_or(EIO);
	err = fuse_fh_decode(h.fh.handle_type, h.fh.f_handle, h.fh.handle_bytes, &dec);
	if (err)
		return err;
	if (nodeid)
		*nodeid = dec.nodeid;
	if (generation)
		*generation = dec.generation;
	return 0;
}

static int k_evict(struct fsn_client *cl, uint64_t nodeid)
{
	int forgets = srv_count(cl->s, FUSE_FORGET, nodeid, NULL), err;
	struct tree_node *n;
	int64_t held;

	srv_lock(cl->s);
	n = tree_get(&cl->s->tree, nodeid);
	held = n ? n->nlookup : 0;
	srv_unlock(cl->s);
	if (held <= 0)
		return ENOENT;
	/*
	 * Memory pressure: drop every unused dentry and inode of the client,
	 * until the eviction's FORGET arrives (logged per nodeid, BATCH_FORGET
	 * too).  Once is not enough: the dcache keeps a recently used dentry
	 * for one more pass of its shrinker (DCACHE_REFERENCED).
	 */
	sync();
	for (int pass = 0; pass < 5; pass++) {
		err = ku_drop_caches();
		if (err)
			return err;
		if (!srv_wait(cl->s, FUSE_FORGET, nodeid, NULL, forgets + 1, 100))
			return 0;
	}
	return EBUSY;
}

static int k_unlink(struct fsn_client *cl, uint64_t parent, const char *name)
{
	const char *path = k_child_path(cl, parent, name);

	if (!path)
		return ENOENT;
	return unlink(path) ? errno_or(EIO) : 0;
}

static int k_local_change(struct fsn_client *cl, uint64_t nodeid, uint32_t mask)
{
	const char *path = k_path(cl, nodeid);
	char byte = 'x';
	ssize_t r;
	int fd;

	if (!path)
		return ENOENT;
	if (mask != IN_MODIFY && mask != IN_ACCESS)
		return EINVAL;
	fd = open(path, (mask == IN_MODIFY ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return errno_or(EIO);
	r = mask == IN_MODIFY ? write(fd, &byte, 1) : read(fd, &byte, 1);
	int err = r < 0 ? errno_or(EIO) : 0;

	close(fd);
	return err;
}

static int k_slot(const int *fds)
{
	for (int i = 0; i < FCL_MAX_INSTANCES; i++)
		if (fds[i] < 0)
			return i;
	return -1;
}

static int k_fd(const int *fds, int id)
{
	return id >= 0 && id < FCL_MAX_INSTANCES ? fds[id] : -1;
}

/* The bound inotify_init() gives an instance: the sysctl at that moment. */
static unsigned k_max_queued_events(void)
{
	FILE *f = fopen("/proc/sys/fs/inotify/max_queued_events", "re");
	unsigned max = 0;

	if (f) {
		if (fscanf(f, "%u", &max) != 1)
			max = 0;
		fclose(f);
	}
	return max ? max : 16384; /* the kernel's default */
}

static int k_inotify_init(struct fsn_client *cl)
{
	int id = k_slot(cl->ifd), fd;
	unsigned max = k_max_queued_events();

	if (id < 0)
		return -EMFILE;
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -errno_or(EIO);
	cl->ifd[id] = fd;
	cl->imax[id] = max;
	return id;
}

struct k_watch_call {
	int fd;
	const char *path;
	uint32_t mask;
	int wd;
};

static long k_add_watch_fn(void *p)
{
	struct k_watch_call *w = p;

	w->wd = inotify_add_watch(w->fd, w->path, w->mask);
	return w->wd < 0 ? errno_or(EIO) : 0;
}

static int k_add_watch(struct fsn_client *cl, int id, uint64_t nodeid, uint32_t mask, int *wd)
{
	struct k_watch_call *w;
	const char *path = k_path(cl, nodeid);
	int err;

	if (k_fd(cl->ifd, id) < 0)
		return EBADF;
	if (!path)
		return ENOENT;
	/* Heap: if even the abort cannot end the call, the thread keeps it. */
	w = calloc(1, sizeof(*w) + strlen(path) + 1);
	if (!w)
		return ENOMEM;
	w->fd = cl->ifd[id];
	w->path = strcpy((char *)(w + 1), path);
	w->mask = mask;
	err = k_call(cl, k_add_watch_fn, w);
	if (err == ETIMEDOUT)
		return err;
	if (!err && wd)
		*wd = w->wd;
	free(w);
	return err;
}

static long k_rm_watch_fn(void *p)
{
	struct k_watch_call *w = p;

	return inotify_rm_watch(w->fd, w->wd) ? errno_or(EIO) : 0;
}

static int k_rm_watch(struct fsn_client *cl, int id, int wd)
{
	struct k_watch_call *w;
	int err;

	if (k_fd(cl->ifd, id) < 0)
		return EBADF;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ENOMEM;
	w->fd = cl->ifd[id];
	w->wd = wd;
	err = k_call(cl, k_rm_watch_fn, w);
	if (err != ETIMEDOUT)
		free(w);
	return err;
}

static int k_inotify_close(struct fsn_client *cl, int id)
{
	int fd = k_fd(cl->ifd, id);

	if (fd < 0)
		return EBADF;
	cl->ifd[id] = -1;
	return close(fd) ? errno_or(EIO) : 0;
}

static int k_read(struct fsn_client *cl, int id, struct ino_event *ev, size_t max, size_t *n)
{
	int fd = k_fd(cl->ifd, id);
	size_t got;
	int err = 0;

	*n = 0;
	if (fd < 0)
		return EBADF;
	/* Remote events are queued before the notify write returns: drain what is there. */
	while (*n < max && !(err = ino_read(fd, 0, ev + *n, max - *n, &got)))
		*n += got;
	return err == ETIMEDOUT ? 0 : err;
}

static int k_fanotify_init(struct fsn_client *cl)
{
	int id = k_slot(cl->ffd), fd;

	if (id < 0)
		return -EMFILE;
	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_NONBLOCK | FAN_CLOEXEC,
			   O_RDONLY);
	if (fd < 0)
		return -errno_or(EIO);
	cl->ffd[id] = fd;
	return id;
}

struct k_mark_call {
	int fd;
	uint64_t mask;
	char path[];
};

static long k_fan_mark_fn(void *p)
{
	struct k_mark_call *k = p;

	return fanotify_mark(k->fd, FAN_MARK_ADD | FAN_MARK_INODE, k->mask, AT_FDCWD, k->path) ?
		       errno_or(EIO) : 0;
}

static int k_fan_mark(struct fsn_client *cl, int id, uint64_t nodeid, uint64_t mask)
{
	const char *path = k_path(cl, nodeid);
	struct k_mark_call *k;
	int err;

	if (k_fd(cl->ffd, id) < 0)
		return EBADF;
	if (!path)
		return ENOENT;
	k = calloc(1, sizeof(*k) + strlen(path) + 1);
	if (!k)
		return ENOMEM;
	k->fd = cl->ffd[id];
	k->mask = mask;
	strcpy(k->path, path);
	err = k_call(cl, k_fan_mark_fn, k);
	if (err != ETIMEDOUT)
		free(k);
	return err;
}

static int k_fan_read(struct fsn_client *cl, int id, struct fan_event *ev, size_t max, size_t *n)
{
	int fd = k_fd(cl->ffd, id);
	size_t got;
	int err = 0;

	*n = 0;
	if (fd < 0)
		return EBADF;
	while (*n < max && !(err = fan_read(fd, 0, ev + *n, max - *n, &got)))
		*n += got;
	return err == ETIMEDOUT ? 0 : err;
}

static bool k_extension_on(struct fsn_client *cl)
{
	return srv_extension_on(cl->s);
}

static const struct fcl_ops kernel_ops = {
	.name = "kernel",
	.lookup = k_lookup,
	.evict = k_evict,
	.unlink = k_unlink,
	.local_change = k_local_change,
	.inotify_init = k_inotify_init,
	.add_watch = k_add_watch,
	.rm_watch = k_rm_watch,
	.inotify_close = k_inotify_close,
	.read = k_read,
	.fanotify_init = k_fanotify_init,
	.fan_mark = k_fan_mark,
	.fan_read = k_fan_read,
	.extension_on = k_extension_on,
};

/* ---- the interface ----------------------------------------------------------------------------- */

static struct fsn_client *client_new(const struct fcl_ops *ops, struct fc_ctx *ctx, struct srv *s)
{
	struct fsn_client *cl = calloc(1, sizeof(*cl));

	if (!cl)
		return NULL;
	cl->ops = ops;
	cl->ctx = ctx;
	cl->s = s;
	for (int i = 0; i < FCL_MAX_INSTANCES; i++)
		cl->ifd[i] = cl->ffd[i] = -1;
	return cl;
}

struct fsn_client *fsn_client_model(struct fc_ctx *ctx, struct model *m, struct srv *s,
				    unsigned max_queued_events)
{
#ifdef FSNC_CONFIG_MODEL
	struct fsn_client *cl = client_new(&fcl_model_ops, ctx, s);

	if (cl) {
		cl->m = m;
		cl->max_queued_events = max_queued_events ? max_queued_events : 16384;
	}
	return cl;
#else
	return NULL; /* no model without FSNC_CONFIG_MODEL (model.h): model_new() said so */
#endif
}

struct fsn_client *fsn_client_kernel(struct fc_ctx *ctx, struct srv *s)
{
	return client_new(&kernel_ops, ctx, s);
}

void fsn_client_free(struct fsn_client *cl)
{
	if (!cl)
		return;
	for (int i = 0; i < FCL_MAX_INSTANCES; i++) {
		if (cl->ifd[i] >= 0)
			close(cl->ifd[i]);
		if (cl->ffd[i] >= 0)
			close(cl->ffd[i]);
	}
	free(cl);
}

const char *fcl_backend(const struct fsn_client *cl)
{
	return cl->ops->name;
}

int fcl_lookup(struct fsn_client *cl, uint64_t parent, const char *name, uint64_t *nodeid,
	       uint64_t *generation)
{
	return cl->ops->lookup(cl, parent, name, nodeid, generation);
}

uint64_t fcl_generation(const struct fsn_client *cl, uint64_t generation)
{
	return cl->ops == &kernel_ops ? (uint32_t)generation : generation;
}

int fcl_evict(struct fsn_client *cl, uint64_t nodeid)
{
	return cl->ops->evict(cl, nodeid);
}

int fcl_unlink(struct fsn_client *cl, uint64_t parent, const char *name)
{
	return cl->ops->unlink(cl, parent, name);
}

int fcl_local_change(struct fsn_client *cl, uint64_t nodeid, uint32_t mask)
{
	return cl->ops->local_change(cl, nodeid, mask);
}

int fcl_inotify_init(struct fsn_client *cl)
{
	return cl->ops->inotify_init(cl);
}

unsigned fcl_max_queued_events(struct fsn_client *cl, int id)
{
	if (cl->ops == &kernel_ops)
		return id >= 0 && id < FCL_MAX_INSTANCES ? cl->imax[id] : 0;
	return cl->max_queued_events;
}

int fcl_add_watch(struct fsn_client *cl, int id, uint64_t nodeid, uint32_t mask, int *wd)
{
	return cl->ops->add_watch(cl, id, nodeid, mask, wd);
}

int fcl_rm_watch(struct fsn_client *cl, int id, int wd)
{
	return cl->ops->rm_watch(cl, id, wd);
}

int fcl_inotify_close(struct fsn_client *cl, int id)
{
	return cl->ops->inotify_close(cl, id);
}

int fcl_read(struct fsn_client *cl, int id, struct ino_event *ev, size_t max, size_t *n)
{
	return cl->ops->read(cl, id, ev, max, n);
}

int fcl_fanotify_init(struct fsn_client *cl)
{
	return cl->ops->fanotify_init(cl);
}

int fcl_fan_mark(struct fsn_client *cl, int id, uint64_t nodeid, uint64_t mask)
{
	return cl->ops->fan_mark(cl, id, nodeid, mask);
}

int fcl_fan_read(struct fsn_client *cl, int id, struct fan_event *ev, size_t max, size_t *n)
{
	return cl->ops->fan_read(cl, id, ev, max, n);
}

bool fcl_extension_on(struct fsn_client *cl)
{
	return cl->ops->extension_on(cl);
}
