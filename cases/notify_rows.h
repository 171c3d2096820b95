/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * notify_rows.h - the notify family's row and its message builder, shared by the
 * run function (cases/notify.c) and the reproducer exporter
 * (cases/notify_repro.c), so a row is written down once.
 */
#ifndef FSNC_CASES_NOTIFY_ROWS_H
#define FSNC_CASES_NOTIFY_ROWS_H

#include <stddef.h>
#include <stdint.h>

struct srv;

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

struct nv_row {
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
	struct srv *s; /* NULL in the exporter */
	uint64_t file, dir, other;
	uint32_t name_max;
};

/* Build the row's message into buf (cap bytes); returns the number of bytes to write. */
size_t nv_build(const struct nv_env *e, const struct nv_row *r, uint8_t *buf, size_t cap);

#endif
