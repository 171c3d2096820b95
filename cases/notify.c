// SPDX-License-Identifier: GPL-2.0-only
/*
 * notify: mainline /dev/fuse write validation (fs/fuse/dev.c), one row per
 * message, with the errno the running kernel returns.
 *
 * A notification that the kernel accepts must show that it acted (the
 * entry is looked up again, the page cache holds the stored bytes, a
 * NOTIFY_REPLY or FORGET arrives, a held request is sent again): a test
 * that only checks the write's return value passes on a kernel that
 * silently ignores the message.  A rejected row checks the opposite: the
 * cached entry is still cached.
 *
 * The numbers the RFC chose for remote fsnotify (notify 8) are mainline's
 * INC_EPOCH since 7.44: the inc_epoch rows show an RFC-sized message being
 * accepted and acted on as an epoch bump, the collision hazard in action.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "client.h"
#include "failnth.h"
#include "kutil.h"
#include "server.h"

/* The fixture: f and d under the root, g under d, their nodeids fixed. */
#define NV_FILE 2
#define NV_DIR 3
#define NV_OTHER 4
#define NV_FILE_DATA "0123456789"
/* fc->name_max: FUSE_NAME_LOW_MAX (1024) unless INIT negotiated more. */
#define NV_NAME_MAX 1024
/* Room for the longest message a row builds. */
#define NV_MSG_CAP (16 + 64 + 8192)

/* Objects of the fixture, by role; resolved to nodeids when the row runs. */
enum nv_obj {
	OBJ_NONE,
	OBJ_FILE,    /* "f", nodeid NV_FILE, cached, 10 bytes of data */
	OBJ_DIR,     /* "d", nodeid NV_DIR, cached */
	OBJ_ROOT,
	OBJ_UNKNOWN, /* nodeid 999, never handed out */
	OBJ_OTHER,   /* "d/g", nodeid NV_OTHER, cached: a valid nodeid that is the wrong one */
};

enum nv_namelen {
	NL_NONE,       /* the code carries no name */
	NL_REAL,       /* strlen(name) */
	NL_FIXED,      /* .namelen as given, name bytes as given */
	NL_NAME_MAX,   /* the kernel's name_max, with a name of that length */
	NL_NAME_MAX_P1,
};

enum nv_evidence {
	EV_NONE,        /* rejected: the cached entry of "f" must stay cached */
	EV_RELOOKUP,    /* accepted: the next stat of "f" sends LOOKUP */
	EV_REGETATTR,   /* accepted: the next stat of "f" sends GETATTR */
	EV_STORE,       /* accepted: a read of "f" returns the stored bytes, no READ */
	EV_NOTIFY_REPLY,/* accepted: a NOTIFY_REPLY with our notify_unique arrives */
	EV_FORGET,      /* accepted: "f" is forgotten */
	EV_RESEND,      /* accepted: the held OPEN is sent to us again */
	EV_UNOBSERVABLE,/* accepted with no effect a server can see (reason in .why) */
};

/* The row: what one case of this family varies. */
struct nv_row {
	struct fc_row fc;
	int32_t code;          /* oh.error: the notify code, or a reply's error */
	uint64_t unique;       /* 0 for a notification */
	enum nv_obj obj;       /* first u64: nodeid / parent / kh */
	enum nv_obj child;     /* DELETE's child */
	enum nv_namelen nl;
	uint32_t namelen;      /* NL_FIXED */
	const char *ename;     /* name bytes; default "f" */
	int no_trailing;       /* omit the trailing byte after the name */
	uint8_t trailing;      /* its value (the kernel overwrites it with NUL) */
	uint32_t flags;        /* INVAL_ENTRY flags */
	int size_delta;        /* bytes appended (+) or cut (-) at the end */
	int hdr_delta;         /* oh.len = bytes written + hdr_delta */
	uint32_t data_size;    /* STORE: size field; RETRIEVE: size */
	int data_short;        /* STORE: bytes fewer than data_size actually sent */
	uint32_t prune_count;  /* PRUNE: count field */
	int prune_ids;         /* PRUNE: nodeids actually sent */
	int raw_len;           /* >0: write only this many bytes of a zeroed header */
	int want;              /* errno the kernel returns (0: accepted) */
	enum nv_evidence ev;
	uint32_t min_minor;    /* FUSE minor the code needs; below it, the row skips */
	const char *why;
};

#define STORE_DATA "ABCDEFGHIJ" /* as long as "f", so the page becomes uptodate */

struct nv_env {
	struct srv *s;
	uint64_t file, dir, other;
	uint32_t name_max;
	int fd;                  /* EV_STORE: f, opened before the STORE */
	struct client_call held; /* EV_RESEND: the open() whose OPEN the server holds */
};

/* Build the row's message into buf (cap bytes); returns the number of bytes to write. */
size_t nv_build(const struct nv_env *e, const struct nv_row *r, uint8_t *buf, size_t cap);

static uint64_t obj_id(const struct nv_env *e, enum nv_obj o)
{
	switch (o) {
	case OBJ_FILE: return e->file;
	case OBJ_DIR: return e->dir;
	case OBJ_ROOT: return FUSE_ROOT_ID;
	case OBJ_UNKNOWN: return 999;
	case OBJ_OTHER: return e->other;
	default: return 0;
	}
}

static void poke64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static void poke32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

size_t nv_build(const struct nv_env *e, const struct nv_row *r, uint8_t *buf, size_t cap)
{
	uint8_t *p = buf + sizeof(struct fuse_out_header);
	const char *name = r->ename ? r->ename : "f";
	size_t fixed = 0, namelen = 0, len;
	uint32_t nl_field = 0;
	struct fuse_out_header oh = {.error = r->code, .unique = r->unique};

	memset(buf, 0, cap);
	if (r->raw_len)
		return (size_t)r->raw_len;
	switch (r->nl) {
	case NL_NONE: break;
	case NL_REAL: namelen = strlen(name); nl_field = (uint32_t)namelen; break;
	case NL_FIXED: namelen = strlen(name); nl_field = r->namelen; break;
	case NL_NAME_MAX: namelen = e->name_max; nl_field = e->name_max; break;
	case NL_NAME_MAX_P1: namelen = e->name_max + 1; nl_field = e->name_max + 1; break;
	}
	switch (r->unique ? 0 : r->code) {
	case FUSE_NOTIFY_POLL:
		poke64(p, obj_id(e, r->obj));
		fixed = 8;
		break;
	case FUSE_NOTIFY_INVAL_INODE:
		poke64(p, obj_id(e, r->obj)); /* off 0, len 0: attributes only */
		fixed = 24;
		break;
	case FUSE_NOTIFY_INVAL_ENTRY:
		poke64(p, obj_id(e, r->obj));
		poke32(p + 8, nl_field);
		poke32(p + 12, r->flags);
		fixed = 16;
		break;
	case FUSE_NOTIFY_DELETE:
		poke64(p, obj_id(e, r->obj));
		poke64(p + 8, obj_id(e, r->child));
		poke32(p + 16, nl_field);
		fixed = 24;
		break;
	case FUSE_NOTIFY_STORE:
		poke64(p, obj_id(e, r->obj));
		poke64(p + 8, 0);
		poke32(p + 16, r->data_size);
		memcpy(p + 24, STORE_DATA, r->data_size - r->data_short);
		fixed = 24 + r->data_size - r->data_short;
		break;
	case FUSE_NOTIFY_RETRIEVE:
		poke64(p, 0x5eed); /* notify_unique: the NOTIFY_REPLY carries it */
		poke64(p + 8, obj_id(e, r->obj));
		poke64(p + 16, 0);
		poke32(p + 24, r->data_size);
		fixed = 32;
		break;
	case FUSE_NOTIFY_PRUNE:
		poke32(p, r->prune_count);
		fixed = 16;
		for (int i = 0; i < r->prune_ids; i++, fixed += 8)
			poke64(p + fixed, obj_id(e, r->obj));
		break;
	default: /* RESEND, INC_EPOCH, unknown codes and replies: no payload */
		break;
	}
	if (r->nl != NL_NONE) {
		if (r->nl == NL_NAME_MAX || r->nl == NL_NAME_MAX_P1)
			memset(p + fixed, 'n', namelen);
		else
			memcpy(p + fixed, name, namelen);
		fixed += namelen;
		if (!r->no_trailing)
			p[fixed++] = r->trailing;
	}
	len = sizeof(oh) + fixed;
	if (r->size_delta < 0 && (size_t)-r->size_delta > fixed)
		len = sizeof(oh);
	else
		len = (size_t)((long)len + r->size_delta); /* appended bytes are zero */
	oh.len = (uint32_t)((long)len + r->hdr_delta);
	memcpy(buf, &oh, sizeof(oh));
	return len;
}

static long open_file(void *arg)
{
	int fd = open((const char *)arg, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The fixture: f, d and d/g, cached for 100 s; the row's evidence is whatever changes that. */
static enum fc_verdict nv_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	static struct nv_env e;
	struct srv_opts o = {.entry_valid_ns = 100000000000ull, .attr_valid_ns = 100000000000ull};
	struct tree_node *f, *d, *g;

	e = (struct nv_env){.fd = -1, .name_max = NV_NAME_MAX};
	ctx->srv = e.s = srv_start(ctx, &o);
	if (!e.s)
		return FC_FAIL;
	f = srv_add(e.s, FUSE_ROOT_ID, "f", S_IFREG | 0644, NV_FILE, 1);
	d = srv_add(e.s, FUSE_ROOT_ID, "d", S_IFDIR | 0755, NV_DIR, 1);
	g = d ? srv_add(e.s, NV_DIR, "g", S_IFREG | 0644, NV_OTHER, 1) : NULL;
	if (!f || !d || !g) {
		srv_teardown(ctx, c);
		return FC_FAIL;
	}
	srv_lock(e.s);
	memcpy(f->data, NV_FILE_DATA, 10);
	f->datalen = 10;
	e.file = f->nodeid;
	e.dir = d->nodeid;
	e.other = g->nodeid;
	srv_unlock(e.s);
	ctx->fx = &e;
	return FC_PASS;
}

/* Close f, stop the server (which ends a held OPEN), then reap the open() that waited on it. */
static void nv_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct nv_env *e = ctx->fx;

	if (e->fd >= 0)
		close(e->fd);
	srv_teardown(ctx, c);
	if (e->held.started)
		client_join(&e->held, 2000, NULL);
}

static const struct fc_fixture notify_fixture = {nv_setup, nv_teardown};

static enum fc_verdict run_notify(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct nv_row *r = c->row;
	struct nv_env *e = ctx->fx;
	struct srv *s = ctx->srv;
	static uint8_t buf[NV_MSG_CAP];
	struct stat st;
	size_t len;
	int err, lookups, getattrs;

	if (r->min_minor && srv_kernel_minor(s) < r->min_minor)
		return fc_skip(ctx, "kernel speaks FUSE 7.%u; %s needs 7.%u", srv_kernel_minor(s),
			       fw_notify_name((uint32_t)r->code), r->min_minor);

	/* Prime the caches: entries and attributes of f and d/g stay valid 100 s. */
	CHECK(ctx, stat(srv_path(s, "f"), &st) == 0, "stat f: %s", fc_errname(errno));
	CHECK(ctx, stat(srv_path(s, "d/g"), &st) == 0, "stat d/g: %s", fc_errname(errno));
	if (r->ev == EV_STORE) {
		/* Opened before the STORE: open without KEEP_CACHE would drop the pages. */
		e->fd = open(srv_path(s, "f"), O_RDONLY);
		CHECK(ctx, e->fd >= 0, "open f: %s", fc_errname(errno));
	}
	if (r->ev == EV_RESEND) {
		srv_expect(s, &(struct expect){.opcode = FUSE_OPEN, .nodeid = e->file, .count = 1,
					       .action = EXP_DEFER});
		client_start(&e->held, open_file, (void *)srv_path(s, "f"));
		CHECK(ctx, srv_wait(s, FUSE_OPEN, e->file, NULL, 1, 2000) == 0,
		      "the OPEN to hold never arrived");
	}
	lookups = srv_count(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f");
	getattrs = srv_count(s, FUSE_GETATTR, e->file, NULL);

	len = nv_build(e, r, buf, sizeof(buf));
	if (ctx->fail_nth) {
		/* The syscall under test: fail-nth arms one thread, so this one writes. */
		struct fc_armed arm;

		if (fc_arm(ctx, &arm))
			return FC_SKIP;
		err = srv_write_raw(s, buf, len);
		if (fc_fault_ends(ctx, &arm, err, r->want, "write() of the message"))
			return fc_verdict(ctx);
	} else {
		err = srv_notify(s, buf, len, 2000);
	}
	if (r->why)
		fc_log(ctx, "rule: %s", r->why);
	CHECK_ERR(ctx, err, r->want, "write() of the message");

	switch (r->ev) {
	case EV_NONE:
		/* Nothing happened: f is still cached, no request for it. */
		CHECK(ctx, stat(srv_path(s, "f"), &st) == 0, "stat f: %s", fc_errname(errno));
		CHECK(ctx, srv_count(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f") == lookups &&
			   srv_count(s, FUSE_GETATTR, e->file, NULL) == getattrs,
		      "rejected message still invalidated f");
		break;
	case EV_RELOOKUP:
		CHECK(ctx, stat(srv_path(s, "f"), &st) == 0, "stat f: %s", fc_errname(errno));
		CHECK(ctx, srv_count(s, FUSE_LOOKUP, FUSE_ROOT_ID, "f") > lookups,
		      "accepted, but the next stat of f did not LOOKUP again");
		break;
	case EV_REGETATTR:
		CHECK(ctx, stat(srv_path(s, "f"), &st) == 0, "stat f: %s", fc_errname(errno));
		CHECK(ctx, srv_count(s, FUSE_GETATTR, e->file, NULL) > getattrs,
		      "accepted, but the next stat of f did not GETATTR");
		break;
	case EV_STORE: {
		char got[16] = {0};
		int reads = srv_count(s, FUSE_READ, e->file, NULL);
		ssize_t n = e->fd >= 0 ? pread(e->fd, got, sizeof(got), 0) : -1;

		CHECK(ctx, n == 10 && !memcmp(got, STORE_DATA, 10),
		      "read after STORE gave %zd bytes \"%.10s\", want \"%s\"", n, got, STORE_DATA);
		CHECK(ctx, srv_count(s, FUSE_READ, e->file, NULL) == reads,
		      "the read went to the server despite the STORE");
		break;
	}
	case EV_NOTIFY_REPLY:
		CHECK(ctx, srv_wait(s, FUSE_NOTIFY_REPLY, 0, NULL, 1, 2000) == 0,
		      "no NOTIFY_REPLY after RETRIEVE");
		srv_lock(s);
		for (int i = 0; i < s->nlog && i < SRV_MAX_LOG; i++)
			if (s->log[i].opcode == FUSE_NOTIFY_REPLY)
				CHECK(ctx, s->log[i].unique == 0x5eed,
				      "NOTIFY_REPLY unique %#llx, want the notify_unique 0x5eed",
				      (unsigned long long)s->log[i].unique);
		srv_unlock(s);
		break;
	case EV_FORGET:
		CHECK(ctx, srv_wait(s, FUSE_FORGET, e->file, NULL, 1, 2000) == 0,
		      "accepted, but f was not forgotten");
		break;
	case EV_RESEND: {
		long res = -1;

		if (!strcmp(srv_transport(s), "uring")) {
			/* fuse_resend() splices the /dev/fuse devices' processing lists
			 * (fud->pq) only; a request in a ring entry sits on its queue's
			 * fpq and is not sent again (6.18.44). */
			fc_log(ctx, "io_uring: RESEND leaves requests in ring entries alone");
			CHECK(ctx, srv_wait(s, FUSE_OPEN, e->file, NULL, 2, 500) == ETIMEDOUT,
			      "RESEND sent a ring request again: fuse_resend() changed?");
			srv_release(s, FUSE_OPEN, 0);
		} else {
			CHECK(ctx, srv_wait(s, FUSE_OPEN, e->file, NULL, 2, 2000) == 0,
			      "accepted, but the held OPEN was not sent again");
		}
		CHECK(ctx, client_join(&e->held, fc_ms(ctx, 2000), &res) == 0 && res == 0,
		      "open() did not complete after the resend (%ld)", res);
		break;
	}
	case EV_UNOBSERVABLE:
		break;
	}
	return fc_verdict(ctx);
}

/* A row whose purpose is built from its name; NV_FIX names the kernel fix it guards (.tags). */
#define NV_PURPOSE(nm) \
	"write() of a " nm " message returns the kernel's errno, and acts only if accepted"
#define NV(nm, ...) { FC_ROW(nm, NV_PURPOSE(nm)), __VA_ARGS__ }
#define NV_FIX(nm, fix, ...) { FC_ROW(nm, NV_PURPOSE(nm), .tags = fix), __VA_ARGS__ }

#define INVAL_INODE FUSE_NOTIFY_INVAL_INODE
#define INVAL_ENTRY FUSE_NOTIFY_INVAL_ENTRY

static const struct nv_row notify_rows[] = {
	/* The header (fuse_dev_do_write) */
	NV("header/write_shorter_than_header", .raw_len = 8, .want = EINVAL,
	   .why = "nbytes < sizeof(struct fuse_out_header)"),
	NV("header/len_above_bytes_written", .code = INVAL_INODE, .obj = OBJ_FILE, .hdr_delta = 1,
	   .want = EINVAL, .why = "oh.len != nbytes"),
	NV("header/len_below_bytes_written", .code = INVAL_INODE, .obj = OBJ_FILE, .hdr_delta = -1,
	   .want = EINVAL, .why = "oh.len != nbytes"),
	NV("header/code_0", .code = 0, .want = EINVAL, .why = "unknown notify code"),
	NV("header/code_10", .code = 10, .obj = OBJ_FILE, .size_delta = 24, .want = EINVAL,
	   .why = "unknown notify code (PRUNE = 9 is the last in 7.45)"),
	NV("header/code_11", .code = 11, .want = EINVAL, .why = "unknown notify code"),
	NV("header/code_int_max", .code = 0x7fffffff, .want = EINVAL, .why = "unknown notify code"),
	NV("header/code_negative", .code = -1, .want = EINVAL, .why = "unknown notify code"),
	NV("reply/positive_error", .code = 1, .unique = 0x1234, .want = EINVAL,
	   .why = "a reply's error must be in (-512, 0]; checked before the unique"),
	NV_FIX("reply/error_minus_512", "linux-git:49221cf86d18 (fuse: reject internal errno, 5.14)",
	       .code = -512, .unique = 0x1234, .want = EINVAL,
	       .why = "oh.error <= -512"),
	NV("reply/error_minus_511_unknown_unique", .code = -511, .unique = 0x1234, .want = ENOENT,
	   .why = "valid error, no request with that unique"),
	NV("reply/unknown_unique", .code = 0, .unique = 0x1234, .want = ENOENT,
	   .why = "no request with that unique"),

	/* POLL (8 bytes: kh) */
	NV("poll/unknown_kh", .code = FUSE_NOTIFY_POLL, .obj = OBJ_UNKNOWN, .want = 0,
	   .ev = EV_UNOBSERVABLE, .why = "a kh that names no polled file is ignored, not refused"),
	NV("poll/size_minus_1", .code = FUSE_NOTIFY_POLL, .obj = OBJ_FILE, .size_delta = -1,
	   .want = EINVAL, .why = "size != sizeof(fuse_notify_poll_wakeup_out)"),
	NV("poll/size_plus_1", .code = FUSE_NOTIFY_POLL, .obj = OBJ_FILE, .size_delta = 1,
	   .want = EINVAL, .why = "size != sizeof(fuse_notify_poll_wakeup_out)"),

	/* INVAL_INODE (24 bytes: ino, off, len) */
	NV("inval_inode/valid", .code = INVAL_INODE, .obj = OBJ_FILE, .ev = EV_REGETATTR),
	NV("inval_inode/unknown_nodeid", .code = INVAL_INODE, .obj = OBJ_UNKNOWN, .want = ENOENT,
	   .why = "fuse_reverse_inval_inode(): no cached inode"),
	NV("inval_inode/size_minus_1", .code = INVAL_INODE, .obj = OBJ_FILE, .size_delta = -1,
	   .want = EINVAL),
	NV("inval_inode/size_plus_1", .code = INVAL_INODE, .obj = OBJ_FILE, .size_delta = 1,
	   .want = EINVAL),

	/* INVAL_ENTRY (16 bytes: parent, namelen, flags; name; one trailing byte) */
	NV("inval_entry/valid", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_REAL,
	   .ev = EV_RELOOKUP),
	NV("inval_entry/trailing_byte_not_nul", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_REAL,
	   .trailing = 'X', .ev = EV_RELOOKUP,
	   .why = "the trailing byte is overwritten with NUL, never checked"),
	NV("inval_entry/expire_only", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_REAL,
	   .flags = FUSE_EXPIRE_ONLY, .ev = EV_RELOOKUP, .why = "FUSE_EXPIRE_ONLY expires the entry"),
	/*
	 * Seen on 6.18 and 6.1: flag bits other than FUSE_EXPIRE_ONLY are not checked;
	 * the entry is invalidated as if flags were 0.  A server cannot probe
	 * for a future flag by its rejection.
	 */
	NV("inval_entry/unknown_flag_ignored", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_REAL,
	   .flags = 2, .want = 0, .ev = EV_RELOOKUP,
	   .why = "6.1 and 6.18: unknown INVAL_ENTRY flag bits are ignored, not refused"),
	NV("inval_entry/namelen_0", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_FIXED,
	   .namelen = 0, .ename = "", .want = ENOENT, .why = "an empty name names no entry"),
	NV("inval_entry/namelen_name_max", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_NAME_MAX,
	   .want = ENOENT, .why = "namelen == name_max passes the bound; no such entry"),
	NV("inval_entry/namelen_name_max_plus_1", .code = INVAL_ENTRY, .obj = OBJ_ROOT,
	   .nl = NL_NAME_MAX_P1, .want = ENAMETOOLONG, .why = "namelen > fc->name_max"),
	NV("inval_entry/namelen_u32_max", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_FIXED,
	   .namelen = 0xffffffffu, .want = ENAMETOOLONG,
	   .why = "namelen > name_max, before any size arithmetic can wrap"),
	NV("inval_entry/namelen_above_message", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_FIXED,
	   .namelen = 2, .want = EINVAL, .why = "size != sizeof(outarg) + namelen + 1"),
	NV("inval_entry/no_trailing_byte", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_REAL,
	   .no_trailing = 1, .want = EINVAL, .why = "size != sizeof(outarg) + namelen + 1"),
	NV("inval_entry/size_plus_1", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_REAL,
	   .size_delta = 1, .want = EINVAL),
	NV("inval_entry/struct_minus_1", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_NONE,
	   .size_delta = -1, .want = EINVAL, .why = "size < sizeof(outarg)"),
	NV("inval_entry/unknown_parent", .code = INVAL_ENTRY, .obj = OBJ_UNKNOWN, .nl = NL_REAL,
	   .want = ENOENT),
	NV("inval_entry/unknown_name", .code = INVAL_ENTRY, .obj = OBJ_ROOT, .nl = NL_REAL,
	   .ename = "nosuch", .want = ENOENT),

	/* DELETE (24 bytes: parent, child, namelen, padding; name; trailing byte) */
	NV("delete/valid", .code = FUSE_NOTIFY_DELETE, .obj = OBJ_ROOT, .child = OBJ_FILE,
	   .nl = NL_REAL, .ev = EV_RELOOKUP),
	/*
	 * Seen on 6.18 and 6.1: fuse_reverse_inval_entry() invalidates the dentry before
	 * it compares the child nodeid, so a DELETE naming the wrong child
	 * returns ENOENT *and* has already dropped the entry.  An ENOENT from
	 * DELETE does not mean that nothing happened.
	 */
	NV("delete/child_mismatch_still_invalidates", .code = FUSE_NOTIFY_DELETE, .obj = OBJ_ROOT,
	   .child = OBJ_OTHER, .nl = NL_REAL, .want = ENOENT, .ev = EV_RELOOKUP,
	   .why = "6.1 and 6.18: ENOENT for the wrong child, but the entry was invalidated first"),
	NV("delete/unknown_parent", .code = FUSE_NOTIFY_DELETE, .obj = OBJ_UNKNOWN,
	   .child = OBJ_FILE, .nl = NL_REAL, .want = ENOENT),
	NV("delete/namelen_name_max_plus_1", .code = FUSE_NOTIFY_DELETE, .obj = OBJ_ROOT,
	   .child = OBJ_FILE, .nl = NL_NAME_MAX_P1, .want = ENAMETOOLONG),
	NV("delete/namelen_u32_max", .code = FUSE_NOTIFY_DELETE, .obj = OBJ_ROOT,
	   .child = OBJ_FILE, .nl = NL_FIXED, .namelen = 0xffffffffu, .want = ENAMETOOLONG),
	NV("delete/no_trailing_byte", .code = FUSE_NOTIFY_DELETE, .obj = OBJ_ROOT,
	   .child = OBJ_FILE, .nl = NL_REAL, .no_trailing = 1, .want = EINVAL),
	NV("delete/struct_minus_1", .code = FUSE_NOTIFY_DELETE, .obj = OBJ_ROOT,
	   .child = OBJ_FILE, .nl = NL_NONE, .size_delta = -1, .want = EINVAL),

	/* STORE (24 bytes: nodeid, offset, size, padding; then size bytes) */
	NV("store/valid", .code = FUSE_NOTIFY_STORE, .obj = OBJ_FILE, .data_size = 10,
	   .ev = EV_STORE),
	NV("store/unknown_nodeid", .code = FUSE_NOTIFY_STORE, .obj = OBJ_UNKNOWN, .data_size = 10,
	   .want = ENOENT),
	NV("store/data_shorter_than_size", .code = FUSE_NOTIFY_STORE, .obj = OBJ_FILE,
	   .data_size = 10, .data_short = 1, .want = EINVAL, .why = "size != sizeof(outarg) + outarg.size"),
	NV("store/struct_minus_1", .code = FUSE_NOTIFY_STORE, .obj = OBJ_FILE, .data_size = 0,
	   .size_delta = -1, .want = EINVAL),
	/*
	 * STORE/RETRIEVE name a directory.  Without the fix the kernel wrote
	 * the server's bytes into a directory's page cache, which is the
	 * readdir cache (FOPEN_CACHE_DIR): fuse_parse_cache() then WARNs on
	 * bogus data.  With it (mainline 9c954499d43a, 2026, in 6.18.44 and the
	 * stable trees it was sent to) both are EINVAL and nothing is stored.
	 */
	NV_FIX("store/directory", "linux-git:9c954499d43a (fuse: reject fuse_notify() pagecache ops on directories)",
	       .code = FUSE_NOTIFY_STORE, .obj = OBJ_DIR, .data_size = 10, .want = EINVAL,
	       .why = "STORE on a non-regular inode is EINVAL (fix 9c954499d43a)"),

	/* RETRIEVE (32 bytes: notify_unique, nodeid, offset, size, padding) */
	NV("retrieve/valid", .code = FUSE_NOTIFY_RETRIEVE, .obj = OBJ_FILE, .data_size = 10,
	   .ev = EV_NOTIFY_REPLY),
	NV("retrieve/unknown_nodeid", .code = FUSE_NOTIFY_RETRIEVE, .obj = OBJ_UNKNOWN,
	   .data_size = 10, .want = ENOENT),
	NV("retrieve/size_minus_1", .code = FUSE_NOTIFY_RETRIEVE, .obj = OBJ_FILE, .data_size = 10,
	   .size_delta = -1, .want = EINVAL),
	NV("retrieve/size_plus_1", .code = FUSE_NOTIFY_RETRIEVE, .obj = OBJ_FILE, .data_size = 10,
	   .size_delta = 1, .want = EINVAL),
	NV_FIX("retrieve/directory", "linux-git:9c954499d43a (fuse: reject fuse_notify() pagecache ops on directories)",
	       .code = FUSE_NOTIFY_RETRIEVE, .obj = OBJ_DIR, .data_size = 10, .want = EINVAL,
	       .why = "RETRIEVE on a non-regular inode is EINVAL (fix 9c954499d43a)"),

	/* RESEND (7.40; the RFC's NOTIFY_LOCK number): no payload, no size check */
	NV("resend/held_request_sent_again", .code = FUSE_NOTIFY_RESEND, .ev = EV_RESEND,
	   .min_minor = 40),
	NV("resend/with_payload", .code = FUSE_NOTIFY_RESEND, .size_delta = 24, .ev = EV_UNOBSERVABLE,
	   .min_minor = 40, .why = "RESEND has no size check: trailing bytes are ignored"),

	/* INC_EPOCH (7.44; the RFC's NOTIFY_FSNOTIFY number) */
	NV("inc_epoch/entries_revalidated", .code = FUSE_NOTIFY_INC_EPOCH, .ev = EV_RELOOKUP,
	   .min_minor = 44, .why = "dentries older than the epoch are looked up again"),
	NV("inc_epoch/rfc2021_sized_payload", .code = FUSE_NOTIFY_INC_EPOCH, .obj = OBJ_FILE,
	   .size_delta = 24 + 2, .ev = EV_RELOOKUP, .min_minor = 44,
	   .why = "a 24-byte rfc-2021 fsnotify_out + name is accepted as INC_EPOCH and acted on"),

	/* PRUNE (7.45: count, padding, spare; count u64 nodeids) */
	NV("prune/one_nodeid", .code = FUSE_NOTIFY_PRUNE, .obj = OBJ_FILE, .prune_count = 1,
	   .prune_ids = 1, .ev = EV_FORGET, .min_minor = 45,
	   .why = "an unused cached inode is dropped and forgotten"),
	NV("prune/count_above_ids", .code = FUSE_NOTIFY_PRUNE, .obj = OBJ_FILE, .prune_count = 2,
	   .prune_ids = 1, .want = EINVAL, .min_minor = 45),
	NV("prune/struct_minus_1", .code = FUSE_NOTIFY_PRUNE, .obj = OBJ_FILE, .prune_count = 0,
	   .prune_ids = 0, .size_delta = -1, .want = EINVAL, .min_minor = 45),
	NV("prune/unknown_nodeid", .code = FUSE_NOTIFY_PRUNE, .obj = OBJ_UNKNOWN, .prune_count = 1,
	   .prune_ids = 1, .want = 0, .ev = EV_UNOBSERVABLE, .min_minor = 45,
	   .why = "nodeids that are not cached are skipped"),
};
FC_FAMILY(notify_family, "notify", notify_rows, .needs = FC_NEED_KERNEL,
	  .labels = "kernel;notify;armed", .run = run_notify, .fixture = &notify_fixture)
