// SPDX-License-Identifier: GPL-2.0-only
/* serve_ops.c - dispatch of one request: expectations first, then the tree. */
#include "serve_ops.h"
#include "clock.h"
#ifdef FSNC_CONFIG_FSNOTIFY
#include "fsn_codec.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FATTR_MODE (1u << 0)
#define FATTR_SIZE (1u << 3)

/* FOPEN_* bits the harness never sets: every read goes to the server. */
#define FOPEN_DIRECT_IO (1u << 0)

/*
 * The next row of the request log, zeroed, or NULL once SRV_MAX_LOG rows
 * are kept.  The log grows as requests come: a session that sees ten
 * requests allocates rows for them, not 4096.  A log that cannot grow fails
 * the case (the checks read it) and the request is not counted in nlog.
 */
static struct srv_req_log *log_row(struct srv *s)
{
	struct srv_req_log *l;

	if (s->nlog >= SRV_MAX_LOG)
		return NULL;
	if (s->nlog == s->logcap) {
		int cap = s->logcap ? 2 * s->logcap : 64;

		if (cap > SRV_MAX_LOG)
			cap = SRV_MAX_LOG;
		l = realloc(s->log, (size_t)cap * sizeof(*l));
		if (!l) {
			fc_failf(s->ctx, __FILE__, __LINE__, "out of memory for the request log");
			return NULL;
		}
		s->log = l;
		s->logcap = cap;
	}
	l = &s->log[s->nlog];
	memset(l, 0, sizeof(*l));
	return l;
}

static struct srv_req_log *cur_log(struct srv *s)
{
	return s->nlog > 0 && s->nlog <= SRV_MAX_LOG ? &s->log[s->nlog - 1] : NULL;
}

int srv_reply(struct srv *s, uint64_t unique, int error, const void *payload, size_t plen)
{
	uint8_t stackbuf[4096];
	uint8_t *buf = stackbuf;
	size_t cap = sizeof(stackbuf), n;
	int err;

	if (plen + sizeof(struct fuse_out_header) > cap) {
		cap = plen + sizeof(struct fuse_out_header);
		buf = malloc(cap);
		if (!buf)
			return ENOMEM;
	}
	n = fw_reply_encode(buf, cap, unique, error, payload, plen);
	err = tr_write(&s->tr, buf, n);
	if (s->trace)
		fc_log(s->ctx, "> reply unique=%llu error=%d (%zu bytes): %s", (unsigned long long)unique,
		       error, n, fc_errname(err));
	if (buf != stackbuf)
		free(buf);
	return err;
}

/* Reply for the request being handled, recording the kernel's errno in the log. */
static void reply(struct srv *s, const struct fw_req *r, int error, const void *p, size_t plen)
{
	int err = srv_reply(s, r->hdr.unique, error, p, plen);
	struct srv_req_log *l = cur_log(s);

	s->last_reply_err = err;
	if (l)
		l->reply_err = err;
}

static void reply_err(struct srv *s, const struct fw_req *r, int errnum)
{
	reply(s, r, -errnum, NULL, 0);
}

static void reply_entry(struct srv *s, const struct fw_req *r, struct tree_node *n)
{
	struct fuse_entry_out e;

	tree_fill_entry(n, &e);
	tree_entry_given(n);
	reply(s, r, 0, &e, sizeof(e));
}

static struct tree_node *node_of(struct srv *s, const struct fw_req *r)
{
	return tree_get(&s->tree, r->hdr.nodeid);
}

static void op_lookup(struct srv *s, const struct fw_req *r)
{
	struct tree_node *n = tree_lookup(&s->tree, r->hdr.nodeid, r->name);

	/* "." and "..": how the kernel decodes a file handle of an uncached
	 * nodeid (fuse_get_dentry, fuse_get_parent) once FUSE_EXPORT_SUPPORT
	 * was negotiated.  The object the nodeid names now, whatever generation. */
	if (!n && (!strcmp(r->name, ".") || !strcmp(r->name, ".."))) {
		n = tree_get(&s->tree, r->hdr.nodeid);
		if (n && r->name[1] == '.')
			n = n->parent ? tree_get(&s->tree, n->parent) : n;
		if (n && !n->attached)
			n = NULL;
	}

	if (!n)
		return reply_err(s, r, ENOENT);
	reply_entry(s, r, n);
}

static void op_forget(struct srv *s, const struct fw_req *r)
{
	struct fuse_forget_in f;

	memcpy(&f, r->arg, sizeof(f));
	tree_forget(&s->tree, r->hdr.nodeid, f.nlookup);
	if (cur_log(s))
		cur_log(s)->nlookup = f.nlookup;
}

static void op_batch_forget(struct srv *s, const struct fw_req *r)
{
	struct fuse_batch_forget_in b;
	uint64_t sum = 0;

	memcpy(&b, r->arg, sizeof(b));
	if ((r->arglen - sizeof(b)) / sizeof(struct fuse_forget_one) < b.count) {
		fc_failf(s->ctx, __FILE__, __LINE__, "BATCH_FORGET count %u overruns %zu bytes",
			 b.count, r->arglen);
		return;
	}
	for (uint32_t i = 0; i < b.count; i++) {
		struct fuse_forget_one one;
		struct srv_req_log *l;

		memcpy(&one, r->arg + sizeof(b) + i * sizeof(one), sizeof(one));
		tree_forget(&s->tree, one.nodeid, one.nlookup);
		sum += one.nlookup;
		/* Log each forgotten nodeid as its own FORGET-like row for queries. */
		l = log_row(s);
		if (l) {
			s->nlog++;
			l->opcode = FUSE_FORGET;
			l->nodeid = one.nodeid;
			l->nlookup = one.nlookup;
			l->handled = 1;
			l->unique = r->hdr.unique;
		}
	}
	(void)sum;
}

static void op_getattr(struct srv *s, const struct fw_req *r)
{
	struct tree_node *n = node_of(s, r);
	struct fuse_attr_out a;

	if (!n)
		return reply_err(s, r, ENOENT);
	tree_fill_attr(n, &a);
	reply(s, r, 0, &a, sizeof(a));
}

static void op_setattr(struct srv *s, const struct fw_req *r)
{
	struct tree_node *n = node_of(s, r);
	struct fuse_setattr_in in;
	struct fuse_attr_out a;

	if (!n)
		return reply_err(s, r, ENOENT);
	memcpy(&in, r->arg, sizeof(in));
	if (in.valid & FATTR_MODE)
		n->attr.mode = (n->attr.mode & S_IFMT) | (in.mode & 07777);
	if (in.valid & FATTR_SIZE)
		n->datalen = in.size < TREE_DATA_MAX ? in.size : TREE_DATA_MAX;
	tree_fill_attr(n, &a);
	reply(s, r, 0, &a, sizeof(a));
}

static void op_readlink(struct srv *s, const struct fw_req *r)
{
	struct tree_node *n = node_of(s, r);

	if (!n || !S_ISLNK(n->attr.mode))
		return reply_err(s, r, EINVAL);
	reply(s, r, 0, n->data, n->datalen);
}

static void add_and_reply(struct srv *s, const struct fw_req *r, const char *name, mode_t mode,
			  const char *data)
{
	struct tree_node *n;

	if (tree_lookup(&s->tree, r->hdr.nodeid, name))
		return reply_err(s, r, EEXIST);
	n = tree_add(&s->tree, r->hdr.nodeid, name, mode, 0, 0);
	if (!n)
		return reply_err(s, r, ENOSPC);
	if (data) {
		n->datalen = strnlen(data, TREE_DATA_MAX);
		memcpy(n->data, data, n->datalen);
	}
	reply_entry(s, r, n);
}

static void op_symlink(struct srv *s, const struct fw_req *r)
{
	/* SYMLINK carries the link name first, then the target. */
	add_and_reply(s, r, r->name, S_IFLNK | 0777, r->name2);
}

static void op_mknod(struct srv *s, const struct fw_req *r)
{
	struct fuse_mknod_in in;

	memcpy(&in, r->arg, sizeof(in));
	add_and_reply(s, r, r->name, in.mode, NULL);
}

static void op_mkdir(struct srv *s, const struct fw_req *r)
{
	struct fuse_mkdir_in in;

	memcpy(&in, r->arg, sizeof(in));
	add_and_reply(s, r, r->name, S_IFDIR | (in.mode & 07777), NULL);
}

static void op_create(struct srv *s, const struct fw_req *r)
{
	struct fuse_create_in in;
	struct {
		struct fuse_entry_out e;
		struct fuse_open_out o;
	} out;
	struct tree_node *n;

	memcpy(&in, r->arg, sizeof(in));
	if (tree_lookup(&s->tree, r->hdr.nodeid, r->name))
		return reply_err(s, r, EEXIST);
	n = tree_add(&s->tree, r->hdr.nodeid, r->name, S_IFREG | (in.mode & 07777), 0, 0);
	if (!n)
		return reply_err(s, r, ENOSPC);
	memset(&out, 0, sizeof(out));
	tree_fill_entry(n, &out.e);
	tree_entry_given(n);
	out.o.fh = ++s->fh_next;
	reply(s, r, 0, &out, sizeof(out));
}

static void op_remove(struct srv *s, const struct fw_req *r)
{
	struct tree_node *n = tree_lookup(&s->tree, r->hdr.nodeid, r->name);

	if (!n)
		return reply_err(s, r, ENOENT);
	if (r->hdr.opcode == FUSE_RMDIR) {
		for (int i = 1; i < s->tree.nnodes; i++)
			if (s->tree.nodes[i]->used && s->tree.nodes[i]->attached &&
			    s->tree.nodes[i]->parent == n->nodeid)
				return reply_err(s, r, ENOTEMPTY);
	}
	tree_detach(n);
	reply_err(s, r, 0);
}

static void op_rename(struct srv *s, const struct fw_req *r)
{
	uint64_t newdir;
	uint32_t flags = 0;
	struct tree_node *n = tree_lookup(&s->tree, r->hdr.nodeid, r->name);

	memcpy(&newdir, r->arg, sizeof(newdir));
	if (r->hdr.opcode == FUSE_RENAME2) {
		struct fuse_rename2_in in;

		memcpy(&in, r->arg, sizeof(in));
		flags = in.flags;
	}
	if (cur_log(s))
		cur_log(s)->newdir = newdir;
	if (!n)
		return reply_err(s, r, ENOENT);
	if (flags & ~1u) /* only RENAME_NOREPLACE */
		return reply_err(s, r, EINVAL);
	if ((flags & 1u) && tree_lookup(&s->tree, newdir, r->name2))
		return reply_err(s, r, EEXIST);
	if (tree_rename(&s->tree, n, newdir, r->name2))
		return reply_err(s, r, ENAMETOOLONG);
	reply_err(s, r, 0);
}

static void op_open(struct srv *s, const struct fw_req *r)
{
	struct fuse_open_out o = {.fh = ++s->fh_next};

	if (!node_of(s, r))
		return reply_err(s, r, ENOENT);
	reply(s, r, 0, &o, sizeof(o));
}

static void op_read(struct srv *s, const struct fw_req *r)
{
	struct tree_node *n = node_of(s, r);
	struct fuse_read_in in;
	size_t len = 0;

	memcpy(&in, r->arg, sizeof(in));
	if (!n)
		return reply_err(s, r, ENOENT);
	if (in.offset < n->datalen) {
		len = n->datalen - in.offset;
		if (len > in.size)
			len = in.size;
	}
	reply(s, r, 0, n->data + (len ? in.offset : 0), len);
}

static void op_write(struct srv *s, const struct fw_req *r)
{
	struct tree_node *n = node_of(s, r);
	struct fuse_write_in in;
	struct fuse_write_out o = {0};
	const uint8_t *data = r->arg + sizeof(in);

	memcpy(&in, r->arg, sizeof(in));
	if (!n)
		return reply_err(s, r, ENOENT);
	if (r->arglen - sizeof(in) < in.size)
		return reply_err(s, r, EINVAL);
	if (in.offset < TREE_DATA_MAX) {
		size_t len = in.size;

		if (in.offset + len > TREE_DATA_MAX)
			len = TREE_DATA_MAX - in.offset;
		memcpy(n->data + in.offset, data, len);
		if (in.offset + len > n->datalen)
			n->datalen = in.offset + len;
	}
	o.size = in.size;
	reply(s, r, 0, &o, sizeof(o));
}

static void op_statfs(struct srv *s, const struct fw_req *r)
{
	struct fuse_statfs_out o = {0};

	o.st.bsize = 4096;
	o.st.frsize = 4096;
	o.st.namelen = 255;
	o.st.blocks = 1024;
	o.st.files = TREE_MAX_NODES;
	reply(s, r, 0, &o, sizeof(o));
}

static void op_ok(struct srv *s, const struct fw_req *r)
{
	reply_err(s, r, 0);
}

static void op_enosys(struct srv *s, const struct fw_req *r)
{
	reply_err(s, r, ENOSYS);
}

static void op_noreply(struct srv *s, const struct fw_req *r)
{
	/* INTERRUPT and NOTIFY_REPLY take no answer. */
}

static size_t add_dirent(uint8_t *out, size_t cap, size_t pos, int plus, struct tree_node *n,
			 const char *name, uint64_t ino, uint32_t type, uint64_t off, int count_lookup)
{
	size_t namelen = strlen(name);
	size_t base = plus ? sizeof(struct fuse_entry_out) : 0;
	size_t rec = FUSE_DIRENT_ALIGN(base + FUSE_NAME_OFFSET + namelen);
	struct fuse_dirent d = {.ino = ino, .off = off, .namelen = (uint32_t)namelen, .type = type};

	if (pos + rec > cap)
		return 0;
	memset(out + pos, 0, rec);
	if (plus && n && count_lookup) {
		struct fuse_entry_out e;

		tree_fill_entry(n, &e);
		tree_entry_given(n);
		memcpy(out + pos, &e, sizeof(e));
	}
	memcpy(out + pos + base, &d, FUSE_NAME_OFFSET);
	memcpy(out + pos + base + FUSE_NAME_OFFSET, name, namelen);
	return rec;
}

static void op_readdir(struct srv *s, const struct fw_req *r)
{
	struct tree_node *dir = node_of(s, r);
	struct fuse_read_in in;
	int plus = r->hdr.opcode == FUSE_READDIRPLUS;
	uint8_t *out;
	size_t pos = 0;
	uint64_t idx = 0;

	memcpy(&in, r->arg, sizeof(in));
	if (!dir)
		return reply_err(s, r, ENOENT);
	out = malloc(in.size ? in.size : 1);
	if (!out)
		return reply_err(s, r, ENOMEM);
	/* Offsets are positions in this walk: ".", "..", then children in table order. */
	for (int i = -2; i < s->tree.nnodes; i++) {
		struct tree_node *n = NULL;
		const char *name;
		size_t rec;

		if (i == -2) {
			name = ".";
		} else if (i == -1) {
			name = "..";
		} else {
			n = s->tree.nodes[i];
			if (i == 0 || !n->used || !n->attached || n->parent != dir->nodeid)
				continue;
			name = n->name;
		}
		if (idx++ < in.offset)
			continue;
		rec = add_dirent(out, in.size, pos, plus, n, name,
				 n ? n->attr.ino : dir->attr.ino,
				 n ? (n->attr.mode & S_IFMT) >> 12 : S_IFDIR >> 12, idx, n != NULL);
		if (!rec)
			break;
		pos += rec;
	}
	reply(s, r, 0, out, pos);
	free(out);
}

/*
 * The profile's FSNOTIFY request: decoded strictly and logged (a request the
 * profile's kernel would never send fails the case), answered with a bare
 * success unless a scripted expectation says otherwise.
 */
#ifdef FSNC_CONFIG_FSNOTIFY
static void op_fsnotify(struct srv *s, const struct fw_req *r)
{
	struct fsn_request q;
	struct srv_req_log *l = cur_log(s);
	int err = s->opts.profile->decode_request(s->opts.profile, r->hdr.nodeid, r->arg, r->arglen,
						  &q);

	if (l) {
		l->decode_err = err;
		l->mask = q.mask;
		l->generation = q.generation;
		l->group = q.group;
		l->action = q.action;
	}
	if (err)
		fc_failf(s->ctx, __FILE__, __LINE__, "malformed FSNOTIFY request (%s, %zu bytes)",
			 fc_errname(err), r->arglen);
	reply_err(s, r, 0);
}
#endif

static const srv_op_fn ops[] = {
	[FUSE_LOOKUP] = op_lookup,
	[FUSE_FORGET] = op_forget,
	[FUSE_GETATTR] = op_getattr,
	[FUSE_SETATTR] = op_setattr,
	[FUSE_READLINK] = op_readlink,
	[FUSE_SYMLINK] = op_symlink,
	[FUSE_MKNOD] = op_mknod,
	[FUSE_MKDIR] = op_mkdir,
	[FUSE_UNLINK] = op_remove,
	[FUSE_RMDIR] = op_remove,
	[FUSE_RENAME] = op_rename,
	[FUSE_RENAME2] = op_rename,
	[FUSE_LINK] = op_enosys,
	[FUSE_OPEN] = op_open,
	[FUSE_OPENDIR] = op_open,
	[FUSE_READ] = op_read,
	[FUSE_WRITE] = op_write,
	[FUSE_STATFS] = op_statfs,
	[FUSE_RELEASE] = op_ok,
	[FUSE_RELEASEDIR] = op_ok,
	[FUSE_FLUSH] = op_ok,
	[FUSE_FSYNC] = op_ok,
	[FUSE_FSYNCDIR] = op_ok,
	[FUSE_ACCESS] = op_ok,
	[FUSE_CREATE] = op_create,
	[FUSE_READDIR] = op_readdir,
	[FUSE_READDIRPLUS] = op_readdir,
	[FUSE_BATCH_FORGET] = op_batch_forget,
};

/*
 * What every server answers alike, whoever serves the files: no reply to
 * INTERRUPT and NOTIFY_REPLY, success to DESTROY, and ENOSYS to what it
 * deliberately does not implement (the kernel stops asking or falls back).
 */
static const srv_op_fn common_ops[] = {
	[FUSE_DESTROY] = op_ok,
	[FUSE_INTERRUPT] = op_noreply,
	[FUSE_NOTIFY_REPLY] = op_noreply,
	[FUSE_SETXATTR] = op_enosys,
	[FUSE_GETXATTR] = op_enosys,
	[FUSE_LISTXATTR] = op_enosys,
	[FUSE_REMOVEXATTR] = op_enosys,
	[FUSE_GETLK] = op_enosys,
	[FUSE_SETLK] = op_enosys,
	[FUSE_SETLKW] = op_enosys,
	[FUSE_BMAP] = op_enosys,
	[FUSE_IOCTL] = op_enosys,
	[FUSE_POLL] = op_enosys,
	[FUSE_FALLOCATE] = op_enosys,
	[FUSE_LSEEK] = op_enosys,
	[FUSE_COPY_FILE_RANGE] = op_enosys,
	[FUSE_SYNCFS] = op_enosys,
	[FUSE_TMPFILE] = op_enosys,
	[FUSE_STATX] = op_enosys,
	[FUSE_COPY_FILE_RANGE_64] = op_enosys,
};

srv_op_fn srv_op_common(uint32_t opcode)
{
	return opcode < sizeof(common_ops) / sizeof(common_ops[0]) ? common_ops[opcode] : NULL;
}

/* The handler for an opcode: the profile's FSNOTIFY first (rfc-2021's 51 is TMPFILE). */
static srv_op_fn op_for(struct srv *s, uint32_t opcode)
{
	if (s->opts.backend)
		return s->opts.backend->op(s, opcode);
#ifdef FSNC_CONFIG_FSNOTIFY
	if (s->opts.profile && opcode == s->opts.profile->fsnotify_opcode)
		return op_fsnotify;
#endif
	if (opcode < sizeof(ops) / sizeof(ops[0]) && ops[opcode])
		return ops[opcode];
	return srv_op_common(opcode);
}

static int expect_matches(const struct expect *e, const struct fw_req *r)
{
	if (e->opcode != r->hdr.opcode)
		return 0;
	if (e->nodeid && e->nodeid != r->hdr.nodeid)
		return 0;
	if (e->name && (!r->name || strcmp(e->name, r->name)))
		return 0;
	return !e->count || e->used < e->count;
}

static void hold(struct srv *s, const uint8_t *msg, size_t len, uint32_t opcode)
{
	if (s->nheld >= SRV_MAX_HELD) {
		fc_failf(s->ctx, __FILE__, __LINE__, "too many held requests");
		return;
	}
	s->held[s->nheld].req = malloc(len);
	if (!s->held[s->nheld].req)
		return;
	memcpy(s->held[s->nheld].req, msg, len);
	s->held[s->nheld].len = len;
	s->held[s->nheld].opcode = opcode;
	s->held[s->nheld].live = 1;
	s->nheld++;
}

static void run_expect(struct srv *s, struct expect *e, const struct fw_req *r,
		       const uint8_t *msg, size_t len)
{
	switch (e->action) {
	case EXP_TREE: {
		srv_op_fn op = op_for(s, r->hdr.opcode);

		if (op)
			op(s, r);
		break;
	}
	case EXP_ERRNO:
		reply_err(s, r, e->error);
		e->write_err = cur_log(s) ? cur_log(s)->reply_err : 0;
		break;
	case EXP_ENTRY: {
		struct fuse_entry_out ent = e->entry;
		struct tree_node *n = tree_get(&s->tree, ent.nodeid);

		/* A forged entry still counts as a lookup the kernel holds. */
		if (n)
			tree_entry_given(n);
		reply(s, r, 0, &ent, sizeof(ent));
		e->write_err = cur_log(s) ? cur_log(s)->reply_err : 0;
		break;
	}
	case EXP_BYTES: {
		uint8_t *b = malloc(e->nbytes ? e->nbytes : 1);

		if (!b)
			break;
		memcpy(b, e->bytes, e->nbytes);
		/* The case cannot know the unique in advance: patch it in. */
		if (e->nbytes >= sizeof(struct fuse_out_header))
			memcpy(b + 8, &r->hdr.unique, sizeof(r->hdr.unique));
		e->write_err = tr_write(&s->tr, b, e->nbytes);
		free(b);
		if (e->write_err != e->want_write_err)
			fc_failf(s->ctx, __FILE__, __LINE__,
				 "raw reply to %s: kernel said %s, want %s",
				 fw_opcode_name(r->hdr.opcode), fc_errname(e->write_err),
				 fc_errname(e->want_write_err));
		/* A rejected reply leaves the request pending: answer EIO so nothing hangs. */
		if (e->write_err)
			reply_err(s, r, EIO);
		break;
	}
	case EXP_DEFER:
	case EXP_NEVER:
		hold(s, msg, len, r->hdr.opcode);
		break;
	}
}

void srv_handle(struct srv *s, const uint8_t *msg, size_t len)
{
	struct fw_req r;
	struct srv_req_log *l = NULL;
	srv_op_fn op;
	int err = fw_req_parse(msg, len, &r);

	srv_lock(s);
	if (err) {
		fc_failf(s->ctx, __FILE__, __LINE__, "malformed request from the kernel (%zu bytes)",
			 len);
		goto out;
	}
	if (r.hdr.opcode < 64)
		s->opcount[r.hdr.opcode]++;
	if (s->trace)
		fc_log(s->ctx, "< %s unique=%llu nodeid=%llu%s%s%s%s", fw_opcode_name(r.hdr.opcode),
		       (unsigned long long)r.hdr.unique, (unsigned long long)r.hdr.nodeid,
		       r.name ? " name=" : "", r.name ? r.name : "", r.name2 ? " name2=" : "",
		       r.name2 ? r.name2 : "");
	if (s->nlog >= SRV_MAX_LOG) {
		s->nlog++; /* counted, not kept */
	} else if ((l = log_row(s))) {
		s->nlog++;
		l->opcode = r.hdr.opcode;
		l->unique = r.hdr.unique;
		l->nodeid = r.hdr.nodeid;
		if (r.name)
			snprintf(l->name, sizeof(l->name), "%s", r.name);
		if (r.name2)
			snprintf(l->name2, sizeof(l->name2), "%s", r.name2);
	}
	for (int i = 0; i < s->nexpect; i++) {
		struct expect *e = &s->expects[i];

		if (expect_matches(e, &r)) {
			e->used++;
			if (l)
				l->handled = 2;
			run_expect(s, e, &r, msg, len);
			goto out;
		}
	}
	op = op_for(s, r.hdr.opcode);
	if (op) {
		if (l)
			l->handled = 1;
		op(s, &r);
	} else {
		s->unhandled++;
		reply_err(s, &r, ENOSYS);
	}
out:
	pthread_cond_broadcast(&s->cond);
	srv_unlock(s);
}

int srv_release(struct srv *s, uint32_t opcode, int error)
{
	int err = ENOENT;

	srv_lock(s);
	for (int i = 0; i < s->nheld; i++) {
		struct fw_req r;

		if (!s->held[i].live || s->held[i].opcode != opcode)
			continue;
		s->held[i].live = 0;
		if (fw_req_parse(s->held[i].req, s->held[i].len, &r))
			break;
		if (error)
			err = srv_reply(s, r.hdr.unique, -error, NULL, 0);
		else if (op_for(s, opcode)) {
			int before = s->nlog;

			s->nlog = SRV_MAX_LOG + 1; /* no log row for the late answer */
			s->last_reply_err = 0;
			op_for(s, opcode)(s, &r);
			s->nlog = before;
			err = s->last_reply_err; /* what the kernel said to the late answer */
		}
		break;
	}
	srv_unlock(s);
	return err;
}

#ifdef FSNC_CONFIG_FSNOTIFY
int srv_fsnotify_log(struct srv *s, struct srv_req_log *out, int max)
{
	int n = 0;

	if (!s->opts.profile)
		return 0;
	srv_lock(s);
	for (int i = 0; i < s->nlog && i < SRV_MAX_LOG && n < max; i++)
		if (s->log[i].opcode == s->opts.profile->fsnotify_opcode)
			out[n++] = s->log[i];
	srv_unlock(s);
	return n;
}
#endif

int srv_count(struct srv *s, uint32_t opcode, uint64_t nodeid, const char *name)
{
	int n = 0;

	srv_lock(s);
	for (int i = 0; i < s->nlog && i < SRV_MAX_LOG; i++) {
		const struct srv_req_log *l = &s->log[i];

		if (l->opcode == opcode && (!nodeid || l->nodeid == nodeid) &&
		    (!name || !strcmp(l->name, name)))
			n++;
	}
	srv_unlock(s);
	return n;
}

int srv_wait(struct srv *s, uint32_t opcode, uint64_t nodeid, const char *name, int n,
	     int timeout_ms)
{
	struct timespec ts = clk_deadline(fc_ms(s->ctx, timeout_ms));

	for (;;) {
		int have = srv_count(s, opcode, nodeid, name), r;

		if (have >= n)
			return 0;
		srv_lock(s);
		r = pthread_cond_timedwait(&s->cond, &s->lock, &ts);
		srv_unlock(s);
		if (r == ETIMEDOUT)
			return srv_count(s, opcode, nodeid, name) >= n ? 0 : ETIMEDOUT;
	}
}

uint64_t srv_forgotten(struct srv *s, uint64_t nodeid)
{
	uint64_t sum = 0;

	srv_lock(s);
	for (int i = 0; i < s->nlog && i < SRV_MAX_LOG; i++) {
		const struct srv_req_log *l = &s->log[i];

		if (l->opcode == FUSE_FORGET && (!nodeid || l->nodeid == nodeid))
			sum += l->nlookup;
	}
	srv_unlock(s);
	return sum;
}

void srv_dump_log(struct srv *s, int last_n)
{
	int from;

	srv_lock(s);
	from = s->nlog < SRV_MAX_LOG ? s->nlog : SRV_MAX_LOG;
	from = from > last_n ? from - last_n : 0;
	for (int i = from; i < s->nlog && i < SRV_MAX_LOG; i++) {
		const struct srv_req_log *l = &s->log[i];

		fc_log(s->ctx, "  req %d: %s nodeid=%llu%s%s%s%s nlookup=%llu reply=%s", i,
		       fw_opcode_name(l->opcode), (unsigned long long)l->nodeid,
		       l->name[0] ? " name=" : "", l->name, l->name2[0] ? " name2=" : "", l->name2,
		       (unsigned long long)l->nlookup, fc_errname(l->reply_err));
	}
	srv_unlock(s);
}
