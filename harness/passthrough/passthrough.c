// SPDX-License-Identifier: GPL-2.0-only
/*
 * passthrough.c - the request handlers that serve a backing directory, and
 * the identity table behind them.  See passthrough.h.
 */
#include "passthrough.h"

#include "fsn_codec.h"
#include "serve_ops.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/* fuse_setattr_in.valid */
#define FATTR_MODE (1u << 0)
#define FATTR_UID (1u << 1)
#define FATTR_GID (1u << 2)
#define FATTR_SIZE (1u << 3)
#define FATTR_ATIME (1u << 4)
#define FATTR_MTIME (1u << 5)
#define FATTR_FH (1u << 6)
#define FATTR_ATIME_NOW (1u << 7)
#define FATTR_MTIME_NOW (1u << 8)

static struct passthrough *pt_of(const struct srv *s)
{
	return s->opts.backend->priv;
}

static uint64_t handle_hash(unsigned htype, const void *h, unsigned hlen)
{
	const unsigned char *p = h;
	uint64_t x = 0xcbf29ce484222325ull ^ htype;

	for (unsigned i = 0; i < hlen; i++)
		x = (x ^ p[i]) * 0x100000001b3ull;
	return x;
}

struct pt_node *pt_node_by_handle(struct passthrough *pt, unsigned htype, const void *h,
				  unsigned hlen)
{
	struct pt_node *n = pt->by_handle[handle_hash(htype, h, hlen) % PT_BUCKETS];

	for (; n; n = n->next_handle)
		if (n->htype == htype && n->hlen == hlen && !memcmp(n->handle, h, hlen))
			return n;
	return NULL;
}

static struct pt_node *node_by_id(struct passthrough *pt, uint64_t nodeid)
{
	struct pt_node *n = pt->by_id[nodeid % PT_BUCKETS];

	while (n && n->nodeid != nodeid)
		n = n->next_id;
	return n;
}

/* The file handle of fd: 0, or an errno (EOPNOTSUPP: the filesystem has none). */
static int fd_handle(int fd, unsigned *htype, unsigned char *h, unsigned *hlen)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[PT_HANDLE_MAX];
	} u;
	int mount_id;

	u.fh.handle_bytes = PT_HANDLE_MAX;
	if (name_to_handle_at(fd, "", &u.fh, &mount_id, AT_EMPTY_PATH))
		return errno;
	*htype = (unsigned)u.fh.handle_type;
	*hlen = u.fh.handle_bytes;
	memcpy(h, u.fh.f_handle, *hlen);
	return 0;
}

/*
 * The node of the object fd refers to: found by its handle (fd is closed),
 * or made (fd is kept).  NULL with errno.  pt->lock held.
 */
static struct pt_node *node_get(struct passthrough *pt, int fd, const struct stat *st)
{
	unsigned char h[PT_HANDLE_MAX];
	unsigned htype = 0, hlen = 0, bucket;
	struct pt_node *n;
	uint64_t hash;
	int err = fd_handle(fd, &htype, h, &hlen);

	if (err) {
		close(fd);
		errno = err;
		return NULL;
	}
	n = pt_node_by_handle(pt, htype, h, hlen);
	if (n) {
		close(fd);
		return n;
	}
	n = calloc(1, sizeof(*n));
	if (!n) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	hash = handle_hash(htype, h, hlen);
	bucket = (unsigned)(hash % PT_BUCKETS);
	n->nodeid = pt->next_nodeid++;
	/* Never 0 but the root's (pt_open): that is the kernel's "never named". */
	n->generation = hash | 1;
	n->fd = fd;
	n->isdir = S_ISDIR(st->st_mode);
	n->htype = htype;
	n->hlen = hlen;
	memcpy(n->handle, h, hlen);
	n->next_id = pt->by_id[n->nodeid % PT_BUCKETS];
	pt->by_id[n->nodeid % PT_BUCKETS] = n;
	n->next_handle = pt->by_handle[bucket];
	pt->by_handle[bucket] = n;
	return n;
}

static void node_drop(struct passthrough *pt, struct pt_node *n)
{
	struct pt_node **pp;

	for (pp = &pt->by_id[n->nodeid % PT_BUCKETS]; *pp != n; pp = &(*pp)->next_id)
		;
	*pp = n->next_id;
	for (pp = &pt->by_handle[handle_hash(n->htype, n->handle, n->hlen) % PT_BUCKETS];
	     *pp != n; pp = &(*pp)->next_handle)
		;
	*pp = n->next_handle;
	if (n->marked) {
		n->mask = 0;
		pt_mark_update(pt, n);
	}
	close(n->fd);
	free(n);
}

const char *pt_fd_path(int fd, char buf[32])
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
	return buf;
}

static void attr_of(const struct stat *st, struct fuse_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = st->st_ino;
	a->size = (uint64_t)st->st_size;
	a->blocks = (uint64_t)st->st_blocks;
	a->atime = (uint64_t)st->st_atim.tv_sec;
	a->mtime = (uint64_t)st->st_mtim.tv_sec;
	a->ctime = (uint64_t)st->st_ctim.tv_sec;
	a->atimensec = (uint32_t)st->st_atim.tv_nsec;
	a->mtimensec = (uint32_t)st->st_mtim.tv_nsec;
	a->ctimensec = (uint32_t)st->st_ctim.tv_nsec;
	a->mode = st->st_mode;
	a->nlink = (uint32_t)st->st_nlink;
	a->uid = st->st_uid;
	a->gid = st->st_gid;
	a->rdev = (uint32_t)st->st_rdev;
	a->blksize = (uint32_t)st->st_blksize;
}

static void reply_errno(struct srv *s, const struct fw_req *r, int err)
{
	srv_reply(s, r->hdr.unique, -err, NULL, 0);
}

static void reply_ok(struct srv *s, const struct fw_req *r, const void *p, size_t len)
{
	srv_reply(s, r->hdr.unique, 0, p, len);
}

/*
 * Entries and attributes are never cached (timeouts 0): the backing
 * directory changes behind the kernel's back, which is the point.
 */
static int entry_of(struct passthrough *pt, int fd, struct fuse_entry_out *e)
{
	struct stat st;
	struct pt_node *n;

	if (fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		int err = errno;

		close(fd);
		return err;
	}
	n = node_get(pt, fd, &st);
	if (!n)
		return errno;
	n->nlookup++;
	memset(e, 0, sizeof(*e));
	e->nodeid = n->nodeid;
	e->generation = n->generation;
	attr_of(&st, &e->attr);
	return 0;
}

int pt_lookup(struct passthrough *pt, uint64_t parent, const char *name,
	      struct fuse_entry_out *e)
{
	struct pt_node *dir;
	int fd, err;

	pthread_mutex_lock(&pt->lock);
	dir = node_by_id(pt, parent);
	if (!dir)
		err = ENOENT;
	else if ((fd = openat(dir->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		err = errno;
	else
		err = entry_of(pt, fd, e);
	pthread_mutex_unlock(&pt->lock);
	return err;
}

/* Look name up under the request's nodeid and reply with its entry. */
static void reply_entry_at(struct srv *s, const struct fw_req *r, const char *name)
{
	struct fuse_entry_out e;
	int err = pt_lookup(pt_of(s), r->hdr.nodeid, name, &e);

	if (err)
		return reply_errno(s, r, err);
	reply_ok(s, r, &e, sizeof(e));
}

/* The O_PATH descriptor of the request's node (a dup), or -1 with errno. */
static int node_fd(struct srv *s, uint64_t nodeid)
{
	struct passthrough *pt = pt_of(s);
	struct pt_node *n;
	int fd = -1;

	pthread_mutex_lock(&pt->lock);
	n = node_by_id(pt, nodeid);
	if (!n)
		errno = ENOENT;
	else
		fd = fcntl(n->fd, F_DUPFD_CLOEXEC, 0);
	pthread_mutex_unlock(&pt->lock);
	return fd;
}

static void pt_op_lookup(struct srv *s, const struct fw_req *r)
{
	reply_entry_at(s, r, r->name);
}

static void forget(struct passthrough *pt, uint64_t nodeid, uint64_t nlookup)
{
	struct pt_node *n;

	if (nodeid == FUSE_ROOT_ID)
		return;
	pthread_mutex_lock(&pt->lock);
	n = node_by_id(pt, nodeid);
	if (n) {
		n->nlookup = nlookup < n->nlookup ? n->nlookup - nlookup : 0;
		if (!n->nlookup)
			node_drop(pt, n);
	}
	pthread_mutex_unlock(&pt->lock);
}

static void pt_op_forget(struct srv *s, const struct fw_req *r)
{
	struct fuse_forget_in f;

	memcpy(&f, r->arg, sizeof(f));
	forget(pt_of(s), r->hdr.nodeid, f.nlookup);
}

static void pt_op_batch_forget(struct srv *s, const struct fw_req *r)
{
	struct fuse_batch_forget_in b;

	memcpy(&b, r->arg, sizeof(b));
	if ((r->arglen - sizeof(b)) / sizeof(struct fuse_forget_one) < b.count)
		return;
	for (uint32_t i = 0; i < b.count; i++) {
		struct fuse_forget_one one;

		memcpy(&one, r->arg + sizeof(b) + i * sizeof(one), sizeof(one));
		forget(pt_of(s), one.nodeid, one.nlookup);
	}
}

static void reply_attr(struct srv *s, const struct fw_req *r, int fd)
{
	struct fuse_attr_out a = {0};
	struct stat st;

	if (fstatat(fd, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return reply_errno(s, r, errno);
	attr_of(&st, &a.attr);
	reply_ok(s, r, &a, sizeof(a));
}

static void pt_op_getattr(struct srv *s, const struct fw_req *r)
{
	int fd = node_fd(s, r->hdr.nodeid);

	if (fd < 0)
		return reply_errno(s, r, errno);
	reply_attr(s, r, fd);
	close(fd);
}

static struct timespec setattr_time(uint32_t valid, uint32_t set, uint32_t now, uint64_t sec,
				    uint32_t nsec)
{
	struct timespec t = {.tv_sec = (time_t)sec, .tv_nsec = nsec};

	if (!(valid & set))
		t.tv_nsec = UTIME_OMIT;
	else if (valid & now)
		t.tv_nsec = UTIME_NOW;
	return t;
}

static int do_setattr(int fd, const struct fuse_setattr_in *in)
{
	char p[32];

	if ((in->valid & FATTR_MODE) && chmod(pt_fd_path(fd, p), in->mode & 07777))
		return errno;
	if ((in->valid & (FATTR_UID | FATTR_GID)) &&
	    fchownat(fd, "", in->valid & FATTR_UID ? in->uid : (uid_t)-1,
		     in->valid & FATTR_GID ? in->gid : (gid_t)-1,
		     AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return errno;
	if (in->valid & FATTR_SIZE) {
		int rc = in->valid & FATTR_FH ? ftruncate((int)in->fh, (off_t)in->size)
					      : truncate(pt_fd_path(fd, p), (off_t)in->size);

		if (rc)
			return errno;
	}
	if (in->valid & (FATTR_ATIME | FATTR_MTIME)) {
		struct timespec ts[2] = {
			setattr_time(in->valid, FATTR_ATIME, FATTR_ATIME_NOW, in->atime,
				     in->atimensec),
			setattr_time(in->valid, FATTR_MTIME, FATTR_MTIME_NOW, in->mtime,
				     in->mtimensec),
		};

		if (utimensat(AT_FDCWD, pt_fd_path(fd, p), ts, 0))
			return errno;
	}
	return 0;
}

static void pt_op_setattr(struct srv *s, const struct fw_req *r)
{
	struct fuse_setattr_in in;
	int fd = node_fd(s, r->hdr.nodeid), err;

	if (fd < 0)
		return reply_errno(s, r, errno);
	memcpy(&in, r->arg, sizeof(in));
	err = do_setattr(fd, &in);
	if (err)
		reply_errno(s, r, err);
	else
		reply_attr(s, r, fd);
	close(fd);
}

static void pt_op_readlink(struct srv *s, const struct fw_req *r)
{
	char buf[PATH_MAX];
	int fd = node_fd(s, r->hdr.nodeid);
	ssize_t n;

	if (fd < 0)
		return reply_errno(s, r, errno);
	n = readlinkat(fd, "", buf, sizeof(buf));
	close(fd);
	if (n < 0)
		return reply_errno(s, r, errno);
	reply_ok(s, r, buf, (size_t)n);
}

/*
 * MKNOD, MKDIR, SYMLINK, LINK: make it under the request's nodeid, then
 * answer with its entry.  make() returns 0 or an errno.
 */
static void make_and_reply(struct srv *s, const struct fw_req *r, const char *name,
			   int (*make)(int dirfd, const char *name, const struct fw_req *r,
				       struct srv *s))
{
	int dirfd = node_fd(s, r->hdr.nodeid), err;

	if (dirfd < 0)
		return reply_errno(s, r, errno);
	err = make(dirfd, name, r, s);
	close(dirfd);
	if (err)
		return reply_errno(s, r, err);
	reply_entry_at(s, r, name);
}

static int make_node(int dirfd, const char *name, const struct fw_req *r, struct srv *s)
{
	struct fuse_mknod_in in;

	(void)s;
	memcpy(&in, r->arg, sizeof(in));
	return mknodat(dirfd, name, in.mode & ~in.umask, in.rdev) ? errno : 0;
}

static int make_dir(int dirfd, const char *name, const struct fw_req *r, struct srv *s)
{
	struct fuse_mkdir_in in;

	(void)s;
	memcpy(&in, r->arg, sizeof(in));
	return mkdirat(dirfd, name, in.mode & ~in.umask & 07777) ? errno : 0;
}

static int make_symlink(int dirfd, const char *name, const struct fw_req *r, struct srv *s)
{
	(void)s;
	return symlinkat(r->name2, dirfd, name) ? errno : 0;
}

static int make_link(int dirfd, const char *name, const struct fw_req *r, struct srv *s)
{
	struct fuse_link_in in;
	char p[32];
	int old, err = 0;

	memcpy(&in, r->arg, sizeof(in));
	old = node_fd(s, in.oldnodeid);
	if (old < 0)
		return errno;
	if (linkat(AT_FDCWD, pt_fd_path(old, p), dirfd, name, AT_SYMLINK_FOLLOW))
		err = errno;
	close(old);
	return err;
}

static void pt_op_mknod(struct srv *s, const struct fw_req *r)
{
	make_and_reply(s, r, r->name, make_node);
}

static void pt_op_mkdir(struct srv *s, const struct fw_req *r)
{
	make_and_reply(s, r, r->name, make_dir);
}

static void pt_op_symlink(struct srv *s, const struct fw_req *r)
{
	/* SYMLINK carries the link name first, then the target. */
	make_and_reply(s, r, r->name, make_symlink);
}

static void op_link(struct srv *s, const struct fw_req *r)
{
	make_and_reply(s, r, r->name, make_link);
}

static void pt_op_remove(struct srv *s, const struct fw_req *r)
{
	int dirfd = node_fd(s, r->hdr.nodeid), err = 0;

	if (dirfd < 0)
		return reply_errno(s, r, errno);
	if (unlinkat(dirfd, r->name, r->hdr.opcode == FUSE_RMDIR ? AT_REMOVEDIR : 0))
		err = errno;
	close(dirfd);
	reply_errno(s, r, err);
}

static void pt_op_rename(struct srv *s, const struct fw_req *r)
{
	uint64_t newdir;
	uint32_t flags = 0;
	int from, to, err = 0;

	memcpy(&newdir, r->arg, sizeof(newdir));
	if (r->hdr.opcode == FUSE_RENAME2) {
		struct fuse_rename2_in in;

		memcpy(&in, r->arg, sizeof(in));
		flags = in.flags;
	}
	from = node_fd(s, r->hdr.nodeid);
	to = node_fd(s, newdir);
	if (from < 0 || to < 0)
		err = ENOENT;
	else if (renameat2(from, r->name, to, r->name2, flags))
		err = errno;
	if (from >= 0)
		close(from);
	if (to >= 0)
		close(to);
	reply_errno(s, r, err);
}

/* Open flags the backing open() takes from the kernel's. */
static int open_flags(uint32_t flags)
{
	return (int)(flags & ~(uint32_t)(O_CREAT | O_EXCL | O_NOCTTY)) | O_CLOEXEC;
}

static void pt_op_open(struct srv *s, const struct fw_req *r)
{
	struct fuse_open_in in;
	struct fuse_open_out o = {0};
	char p[32];
	int fd = node_fd(s, r->hdr.nodeid), file;

	if (fd < 0)
		return reply_errno(s, r, errno);
	memcpy(&in, r->arg, sizeof(in));
	file = open(pt_fd_path(fd, p), open_flags(in.flags));
	close(fd);
	if (file < 0)
		return reply_errno(s, r, errno);
	o.fh = (uint64_t)file;
	reply_ok(s, r, &o, sizeof(o));
}

static void pt_op_create(struct srv *s, const struct fw_req *r)
{
	struct fuse_create_in in;
	struct {
		struct fuse_entry_out e;
		struct fuse_open_out o;
	} out;
	int dirfd = node_fd(s, r->hdr.nodeid), file, err;

	if (dirfd < 0)
		return reply_errno(s, r, errno);
	memcpy(&in, r->arg, sizeof(in));
	file = openat(dirfd, r->name, open_flags(in.flags) | O_CREAT, in.mode & ~in.umask);
	err = file < 0 ? errno : 0;
	close(dirfd);
	if (err)
		return reply_errno(s, r, err);
	memset(&out, 0, sizeof(out));
	err = pt_lookup(pt_of(s), r->hdr.nodeid, r->name, &out.e);
	if (err) {
		close(file);
		return reply_errno(s, r, err);
	}
	out.o.fh = (uint64_t)file;
	reply_ok(s, r, &out, sizeof(out));
}

static void pt_op_read(struct srv *s, const struct fw_req *r)
{
	struct fuse_read_in in;
	void *buf;
	ssize_t n;

	memcpy(&in, r->arg, sizeof(in));
	buf = malloc(in.size ? in.size : 1);
	if (!buf)
		return reply_errno(s, r, ENOMEM);
	n = pread((int)in.fh, buf, in.size, (off_t)in.offset);
	if (n < 0)
		reply_errno(s, r, errno);
	else
		reply_ok(s, r, buf, (size_t)n);
	free(buf);
}

static void pt_op_write(struct srv *s, const struct fw_req *r)
{
	struct fuse_write_in in;
	struct fuse_write_out o = {0};
	ssize_t n;

	memcpy(&in, r->arg, sizeof(in));
	if (r->arglen - sizeof(in) < in.size)
		return reply_errno(s, r, EINVAL);
	n = pwrite((int)in.fh, r->arg + sizeof(in), in.size, (off_t)in.offset);
	if (n < 0)
		return reply_errno(s, r, errno);
	o.size = (uint32_t)n;
	reply_ok(s, r, &o, sizeof(o));
}

static void op_release(struct srv *s, const struct fw_req *r)
{
	struct fuse_release_in in;

	memcpy(&in, r->arg, sizeof(in));
	close((int)in.fh);
	reply_errno(s, r, 0);
}

static void op_fsync(struct srv *s, const struct fw_req *r)
{
	uint64_t fh;

	memcpy(&fh, r->arg, sizeof(fh)); /* fuse_fsync_in starts with fh */
	reply_errno(s, r, fsync((int)fh) ? errno : 0);
}

/* An open directory: the stream, and an entry read that did not fit a reply. */
struct pt_dir {
	DIR *dp;
	off_t offset;
	struct dirent *pending;
};

static void op_opendir(struct srv *s, const struct fw_req *r)
{
	struct fuse_open_out o = {0};
	struct pt_dir *d = calloc(1, sizeof(*d));
	int fd = node_fd(s, r->hdr.nodeid), dir;

	if (!d || fd < 0) {
		int err = d ? errno : ENOMEM;

		free(d);
		if (fd >= 0)
			close(fd);
		return reply_errno(s, r, err);
	}
	dir = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(fd);
	if (dir < 0 || !(d->dp = fdopendir(dir))) {
		int err = errno;

		if (dir >= 0)
			close(dir);
		free(d);
		return reply_errno(s, r, err);
	}
	o.fh = (uint64_t)(uintptr_t)d;
	reply_ok(s, r, &o, sizeof(o));
}

static void pt_op_readdir(struct srv *s, const struct fw_req *r)
{
	struct fuse_read_in in;
	struct pt_dir *d;
	uint8_t *out;
	size_t pos = 0;

	memcpy(&in, r->arg, sizeof(in));
	d = (struct pt_dir *)(uintptr_t)in.fh;
	out = malloc(in.size ? in.size : 1);
	if (!out)
		return reply_errno(s, r, ENOMEM);
	if ((off_t)in.offset != d->offset) {
		seekdir(d->dp, (long)in.offset);
		d->offset = (off_t)in.offset;
		d->pending = NULL;
	}
	for (;;) {
		struct dirent *e = d->pending;
		struct fuse_dirent fd;
		size_t namelen, rec;

		if (!e) {
			errno = 0;
			e = readdir(d->dp);
			if (!e)
				break;
		}
		namelen = strlen(e->d_name);
		rec = FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + namelen);
		if (pos + rec > in.size) {
			d->pending = e;
			break;
		}
		memset(&fd, 0, sizeof(fd));
		fd.ino = e->d_ino;
		fd.off = (uint64_t)e->d_off;
		fd.namelen = (uint32_t)namelen;
		fd.type = e->d_type;
		memset(out + pos, 0, rec);
		memcpy(out + pos, &fd, FUSE_NAME_OFFSET);
		memcpy(out + pos + FUSE_NAME_OFFSET, e->d_name, namelen);
		pos += rec;
		d->pending = NULL;
		d->offset = e->d_off;
	}
	reply_ok(s, r, out, pos);
	free(out);
}

static void op_releasedir(struct srv *s, const struct fw_req *r)
{
	struct fuse_release_in in;
	struct pt_dir *d;

	memcpy(&in, r->arg, sizeof(in));
	d = (struct pt_dir *)(uintptr_t)in.fh;
	closedir(d->dp);
	free(d);
	reply_errno(s, r, 0);
}

static void pt_op_statfs(struct srv *s, const struct fw_req *r)
{
	struct fuse_statfs_out o = {0};
	struct statfs st;
	int fd = node_fd(s, r->hdr.nodeid ? r->hdr.nodeid : FUSE_ROOT_ID);

	if (fd < 0)
		return reply_errno(s, r, errno);
	if (fstatfs(fd, &st)) {
		int err = errno;

		close(fd);
		return reply_errno(s, r, err);
	}
	close(fd);
	o.st.blocks = st.f_blocks;
	o.st.bfree = st.f_bfree;
	o.st.bavail = st.f_bavail;
	o.st.files = st.f_files;
	o.st.ffree = st.f_ffree;
	o.st.bsize = (uint32_t)st.f_bsize;
	o.st.namelen = (uint32_t)st.f_namelen;
	o.st.frsize = (uint32_t)st.f_frsize;
	reply_ok(s, r, &o, sizeof(o));
}

/*
 * FSNOTIFY (the profile's request): the node's aggregated mask is now what
 * the request says.  ENOENT for a nodeid this server does not hold, ESTALE
 * for another generation (docs/fsn-1.md section 7).
 */
int pt_watch(struct passthrough *pt, uint64_t nodeid, uint64_t generation, uint64_t mask)
{
	struct pt_node *n;
	int err = 0;

	pthread_mutex_lock(&pt->lock);
	n = node_by_id(pt, nodeid);
	if (!n) {
		err = ENOENT;
	} else if (generation != n->generation) {
		err = ESTALE;
	} else {
		n->mask = mask;
		pt_mark_update(pt, n);
	}
	pthread_mutex_unlock(&pt->lock);
	return err;
}

static void pt_op_fsnotify(struct srv *s, const struct fw_req *r)
{
	struct passthrough *pt = pt_of(s);
	struct fsn_request q;
	int err = fsn_decode_request(s->opts.profile, r->hdr.nodeid, r->arg, r->arglen, &q);

	if (err) {
		fc_failf(s->ctx, __FILE__, __LINE__, "malformed FSNOTIFY request (%s, %zu bytes)",
			 fc_errname(err), r->arglen);
		return reply_errno(s, r, EINVAL);
	}
	err = pt_watch(pt, r->hdr.nodeid, q.generation, q.mask);
	if (pt->verbose)
		fprintf(stderr, "fsnc serve: FSNOTIFY nodeid %llu mask %#llx: %s\n",
			(unsigned long long)r->hdr.nodeid, (unsigned long long)q.mask,
			fc_errname(err));
	reply_errno(s, r, err);
}

static void pt_op_ok(struct srv *s, const struct fw_req *r)
{
	reply_errno(s, r, 0);
}

static const srv_op_fn pt_ops[] = {
	[FUSE_LOOKUP] = pt_op_lookup,
	[FUSE_FORGET] = pt_op_forget,
	[FUSE_BATCH_FORGET] = pt_op_batch_forget,
	[FUSE_GETATTR] = pt_op_getattr,
	[FUSE_SETATTR] = pt_op_setattr,
	[FUSE_READLINK] = pt_op_readlink,
	[FUSE_SYMLINK] = pt_op_symlink,
	[FUSE_MKNOD] = pt_op_mknod,
	[FUSE_MKDIR] = pt_op_mkdir,
	[FUSE_UNLINK] = pt_op_remove,
	[FUSE_RMDIR] = pt_op_remove,
	[FUSE_RENAME] = pt_op_rename,
	[FUSE_RENAME2] = pt_op_rename,
	[FUSE_LINK] = op_link,
	[FUSE_OPEN] = pt_op_open,
	[FUSE_CREATE] = pt_op_create,
	[FUSE_READ] = pt_op_read,
	[FUSE_WRITE] = pt_op_write,
	[FUSE_RELEASE] = op_release,
	[FUSE_FSYNC] = op_fsync,
	[FUSE_FLUSH] = pt_op_ok,
	[FUSE_OPENDIR] = op_opendir,
	[FUSE_READDIR] = pt_op_readdir,
	[FUSE_RELEASEDIR] = op_releasedir,
	[FUSE_FSYNCDIR] = pt_op_ok,
	[FUSE_STATFS] = pt_op_statfs,
	[FUSE_ACCESS] = pt_op_ok, /* default_permissions: the kernel checks modes itself */
};

static srv_op_fn pt_op(const struct srv *s, uint32_t opcode)
{
	if (s->opts.profile && opcode == s->opts.profile->fsnotify_opcode)
		return pt_op_fsnotify;
	if (opcode < sizeof(pt_ops) / sizeof(pt_ops[0]) && pt_ops[opcode])
		return pt_ops[opcode];
	return srv_op_common(opcode);
}

struct passthrough *pt_open(const char *dir, char *err, size_t errlen)
{
	struct passthrough *pt;
	struct pt_node *root;
	struct stat st;
	int fd, e;

	if (strlen(dir) >= sizeof(pt->dir)) {
		snprintf(err, errlen, "%s: path too long", dir);
		return NULL;
	}
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", dir,
			 errno == ENOTDIR ? "not a directory" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	pt = calloc(1, sizeof(*pt));
	if (!pt) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(pt->dir, sizeof(pt->dir), "%s", dir);
	pthread_mutex_init(&pt->lock, NULL);
	pt->fan_fd = -1;
	pt->stop_pipe[0] = pt->stop_pipe[1] = -1;
	pt->next_nodeid = FUSE_ROOT_ID;
	pt->root_fd = fd;
	root = node_get(pt, fcntl(fd, F_DUPFD_CLOEXEC, 0), &st);
	if (!root) {
		e = errno;
		snprintf(err, errlen, "%s: %s", dir,
			 e == EOPNOTSUPP ? "its filesystem has no file handles (name_to_handle_at)"
					 : strerror(e));
		close(fd);
		free(pt);
		return NULL;
	}
	root->nlookup = 1; /* the kernel never forgets the root */
	/*
	 * No entry reply ever names the root: the kernel made its inode with
	 * generation 0, and its FSNOTIFY requests say 0.  Any other value here
	 * answers them ESTALE, and a watch on the mount's root fails (seen:
	 * fanotify_mark() got ESTALE on the fsn kernel).
	 */
	root->generation = 0;
	pt->backend.name = "passthrough";
	pt->backend.op = pt_op;
	pt->backend.priv = pt;
	return pt;
}

const struct srv_backend *pt_backend(struct passthrough *pt)
{
	return &pt->backend;
}

void pt_srv_opts(struct passthrough *pt, const struct fsn_profile *p, const char *mnt,
		 struct srv_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->backend = pt_backend(pt);
	o->mountpoint = mnt;
	o->profile = p;
	o->subtype = "fsnc-passthrough";
	o->flags = FUSE_ASYNC_READ | FUSE_BIG_WRITES | FUSE_ATOMIC_O_TRUNC | FUSE_AUTO_INVAL_DATA;
	/*
	 * The server acts as root for every caller: the kernel checks each
	 * access against the backing owner and mode instead.  (What callers
	 * create is owned by the server's user: it does not switch creds.)
	 */
	o->default_permissions = 1;
}

struct pt_stats pt_stats(struct passthrough *pt)
{
	struct pt_stats st;

	pthread_mutex_lock(&pt->lock);
	st = pt->stats;
	pthread_mutex_unlock(&pt->lock);
	return st;
}

void pt_close(struct passthrough *pt)
{
	if (!pt)
		return;
	pt_forward_stop(pt);
	if (pt->running)
		return; /* a forwarder that would not stop still uses pt: leave it */
	for (int i = 0; i < PT_BUCKETS; i++) {
		while (pt->by_id[i]) {
			struct pt_node *n = pt->by_id[i];

			pt->by_id[i] = n->next_id;
			close(n->fd);
			free(n);
		}
	}
	if (pt->fan_fd >= 0)
		close(pt->fan_fd);
	close(pt->root_fd);
	pthread_mutex_destroy(&pt->lock);
	free(pt);
}
