// SPDX-License-Identifier: GPL-2.0-only
/* wire.c - names, strict request splitting and encoders for the FUSE ABI. */
#include "wire.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const opcode_names[] = {
	[FUSE_LOOKUP] = "LOOKUP",
	[FUSE_FORGET] = "FORGET",
	[FUSE_GETATTR] = "GETATTR",
	[FUSE_SETATTR] = "SETATTR",
	[FUSE_READLINK] = "READLINK",
	[FUSE_SYMLINK] = "SYMLINK",
	[FUSE_MKNOD] = "MKNOD",
	[FUSE_MKDIR] = "MKDIR",
	[FUSE_UNLINK] = "UNLINK",
	[FUSE_RMDIR] = "RMDIR",
	[FUSE_RENAME] = "RENAME",
	[FUSE_LINK] = "LINK",
	[FUSE_OPEN] = "OPEN",
	[FUSE_READ] = "READ",
	[FUSE_WRITE] = "WRITE",
	[FUSE_STATFS] = "STATFS",
	[FUSE_RELEASE] = "RELEASE",
	[FUSE_FSYNC] = "FSYNC",
	[FUSE_SETXATTR] = "SETXATTR",
	[FUSE_GETXATTR] = "GETXATTR",
	[FUSE_LISTXATTR] = "LISTXATTR",
	[FUSE_REMOVEXATTR] = "REMOVEXATTR",
	[FUSE_FLUSH] = "FLUSH",
	[FUSE_INIT] = "INIT",
	[FUSE_OPENDIR] = "OPENDIR",
	[FUSE_READDIR] = "READDIR",
	[FUSE_RELEASEDIR] = "RELEASEDIR",
	[FUSE_FSYNCDIR] = "FSYNCDIR",
	[FUSE_GETLK] = "GETLK",
	[FUSE_SETLK] = "SETLK",
	[FUSE_SETLKW] = "SETLKW",
	[FUSE_ACCESS] = "ACCESS",
	[FUSE_CREATE] = "CREATE",
	[FUSE_INTERRUPT] = "INTERRUPT",
	[FUSE_BMAP] = "BMAP",
	[FUSE_DESTROY] = "DESTROY",
	[FUSE_IOCTL] = "IOCTL",
	[FUSE_POLL] = "POLL",
	[FUSE_NOTIFY_REPLY] = "NOTIFY_REPLY",
	[FUSE_BATCH_FORGET] = "BATCH_FORGET",
	[FUSE_FALLOCATE] = "FALLOCATE",
	[FUSE_READDIRPLUS] = "READDIRPLUS",
	[FUSE_RENAME2] = "RENAME2",
	[FUSE_LSEEK] = "LSEEK",
	[FUSE_COPY_FILE_RANGE] = "COPY_FILE_RANGE",
	[FUSE_SETUPMAPPING] = "SETUPMAPPING",
	[FUSE_REMOVEMAPPING] = "REMOVEMAPPING",
	[FUSE_SYNCFS] = "SYNCFS",
	[FUSE_TMPFILE] = "TMPFILE",
	[FUSE_STATX] = "STATX",
	[FUSE_COPY_FILE_RANGE_64] = "COPY_FILE_RANGE_64",
};

static const char *const notify_names[] = {
	[FUSE_NOTIFY_POLL] = "POLL",
	[FUSE_NOTIFY_INVAL_INODE] = "INVAL_INODE",
	[FUSE_NOTIFY_INVAL_ENTRY] = "INVAL_ENTRY",
	[FUSE_NOTIFY_STORE] = "STORE",
	[FUSE_NOTIFY_RETRIEVE] = "RETRIEVE",
	[FUSE_NOTIFY_DELETE] = "DELETE",
	[FUSE_NOTIFY_RESEND] = "RESEND",
	[FUSE_NOTIFY_INC_EPOCH] = "INC_EPOCH",
	[FUSE_NOTIFY_PRUNE] = "PRUNE",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *fw_opcode_name(uint32_t opcode)
{
	if (opcode == 4096)
		return "CUSE_INIT";
	if (opcode < ARRAY_SIZE(opcode_names) && opcode_names[opcode])
		return opcode_names[opcode];
	return "?";
}

const char *fw_notify_name(uint32_t code)
{
	if (code < ARRAY_SIZE(notify_names) && notify_names[code])
		return notify_names[code];
	return "?";
}

uint32_t fw_opcode_by_name(const char *name)
{
	if (!strncasecmp(name, "FUSE_", 5))
		name += 5;
	for (uint32_t i = 0; i < ARRAY_SIZE(opcode_names); i++)
		if (opcode_names[i] && !strcasecmp(opcode_names[i], name))
			return i;
	return 0;
}

/*
 * Fixed payload sizes the 7.45 kernel sends.  Variable-length opcodes
 * (names, write data) list their fixed prefix; the names are checked apart.
 */
size_t fw_req_fixed_size(uint32_t opcode)
{
	switch (opcode) {
	case FUSE_FORGET: return sizeof(struct fuse_forget_in);
	case FUSE_GETATTR: return sizeof(struct fuse_getattr_in);
	case FUSE_SETATTR: return sizeof(struct fuse_setattr_in);
	case FUSE_MKNOD: return sizeof(struct fuse_mknod_in);
	case FUSE_MKDIR: return sizeof(struct fuse_mkdir_in);
	case FUSE_RENAME: return sizeof(struct fuse_rename_in);
	case FUSE_RENAME2: return sizeof(struct fuse_rename2_in);
	case FUSE_LINK: return sizeof(struct fuse_link_in);
	case FUSE_OPEN:
	case FUSE_OPENDIR: return sizeof(struct fuse_open_in);
	case FUSE_CREATE: return sizeof(struct fuse_create_in);
	case FUSE_READ:
	case FUSE_READDIR:
	case FUSE_READDIRPLUS: return sizeof(struct fuse_read_in);
	case FUSE_WRITE: return sizeof(struct fuse_write_in);
	case FUSE_RELEASE:
	case FUSE_RELEASEDIR: return sizeof(struct fuse_release_in);
	case FUSE_FLUSH: return sizeof(struct fuse_flush_in);
	case FUSE_ACCESS: return sizeof(struct fuse_access_in);
	case FUSE_GETXATTR:
	case FUSE_LISTXATTR: return sizeof(struct fuse_getxattr_in);
	case FUSE_INTERRUPT: return sizeof(struct fuse_interrupt_in);
	case FUSE_BATCH_FORGET: return sizeof(struct fuse_batch_forget_in);
	/* INIT: kernels before 7.36 send a 16-byte fuse_init_in. */
	case FUSE_INIT: return 16;
	case FUSE_NOTIFY_REPLY: return sizeof(struct fuse_notify_retrieve_in);
	default: return 0;
	}
}

/* Number of NUL-terminated names that follow the fixed part. */
static int req_name_count(uint32_t opcode)
{
	switch (opcode) {
	case FUSE_LOOKUP:
	case FUSE_MKNOD:
	case FUSE_MKDIR:
	case FUSE_UNLINK:
	case FUSE_RMDIR:
	case FUSE_LINK:
	case FUSE_CREATE:
	case FUSE_GETXATTR:
	case FUSE_REMOVEXATTR:
		return 1;
	case FUSE_SYMLINK:
	case FUSE_RENAME:
	case FUSE_RENAME2:
		return 2;
	default:
		return 0;
	}
}

/* Find a NUL-terminated string at p inside [p, end); NULL if unterminated. */
static const char *take_name(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
	const char *name = (const char *)*p;

	if (!nul)
		return NULL;
	*p = nul + 1;
	return name;
}

int fw_req_parse(const void *buf, size_t len, struct fw_req *req)
{
	const uint8_t *p = buf, *end;
	size_t fixed, ext;
	int names;

	memset(req, 0, sizeof(*req));
	if (len < sizeof(req->hdr))
		return EPROTO;
	memcpy(&req->hdr, buf, sizeof(req->hdr));
	if (req->hdr.len != len)
		return EPROTO;
	ext = (size_t)req->hdr.total_extlen * 8;
	if (ext > len - sizeof(req->hdr))
		return EPROTO;
	p += sizeof(req->hdr);
	end = (const uint8_t *)buf + len - ext; /* extensions trail the args */
	req->arg = p;
	req->arglen = (size_t)(end - p);

	fixed = fw_req_fixed_size(req->hdr.opcode);
	if (req->arglen < fixed)
		return EPROTO;
	names = req_name_count(req->hdr.opcode);
	if (names) {
		const uint8_t *q = p + fixed;

		req->name = take_name(&q, end);
		if (!req->name)
			return EPROTO;
		if (names == 2) {
			req->name2 = take_name(&q, end);
			if (!req->name2)
				return EPROTO;
		}
	}
	return 0;
}

size_t fw_reply_encode(void *out, size_t cap, uint64_t unique, int32_t error,
		       const void *payload, size_t plen)
{
	struct fuse_out_header oh;

	if (cap < sizeof(oh) || plen > cap - sizeof(oh) || plen + sizeof(oh) > UINT32_MAX)
		return 0;
	oh.len = (uint32_t)(sizeof(oh) + plen);
	oh.error = error;
	oh.unique = unique;
	memcpy(out, &oh, sizeof(oh));
	if (plen)
		memcpy((uint8_t *)out + sizeof(oh), payload, plen);
	return sizeof(oh) + plen;
}

size_t fw_notify_encode(void *out, size_t cap, int32_t code, const void *payload,
			size_t plen)
{
	return fw_reply_encode(out, cap, 0, code, payload, plen);
}

size_t fw_notify_encode_named(void *out, size_t cap, int32_t code, const void *st,
			      size_t stlen, const char *name, size_t namelen,
			      int trailing_byte)
{
	size_t total = sizeof(struct fuse_out_header) + stlen + namelen + (trailing_byte ? 1 : 0);
	uint8_t *p = out;

	if (total > cap || total > UINT32_MAX)
		return 0;
	if (!fw_notify_encode(out, cap, code, st, stlen))
		return 0;
	p += sizeof(struct fuse_out_header) + stlen;
	if (namelen)
		memcpy(p, name, namelen);
	if (trailing_byte)
		p[namelen] = 0;
	{
		uint32_t l = (uint32_t)total; /* the name extends the header's len */

		memcpy(out, &l, sizeof(l));
	}
	return total;
}

int fw_req_describe(const struct fw_req *req, char *out, size_t cap)
{
	if (req->name2)
		return snprintf(out, cap, "%s(nodeid=%llu, \"%s\", \"%s\")",
				fw_opcode_name(req->hdr.opcode),
				(unsigned long long)req->hdr.nodeid, req->name, req->name2);
	if (req->name)
		return snprintf(out, cap, "%s(nodeid=%llu, \"%s\")",
				fw_opcode_name(req->hdr.opcode),
				(unsigned long long)req->hdr.nodeid, req->name);
	return snprintf(out, cap, "%s(nodeid=%llu)", fw_opcode_name(req->hdr.opcode),
			(unsigned long long)req->hdr.nodeid);
}
