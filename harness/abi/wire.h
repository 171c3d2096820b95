/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * wire.h - the FUSE kernel ABI as of protocol 7.45, written for this project.
 *
 * Debian bookworm ships <linux/fuse.h> at 7.38, so the suite never includes it:
 * every struct and constant the harness speaks is defined here with the
 * kernel's own names, and checked for size at compile time.  Numbers that
 * belong to the *proposed* remote-fsnotify extension are NOT here: they live
 * in profiles (harness/abi/profiles.h), because they collide with mainline.
 *
 * The functions at the end are pure (buffer, length) -> verdict helpers with
 * no I/O, shared by the server, the fuzz targets and the unit tests.
 */
#ifndef FSNC_WIRE_H
#define FSNC_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define FUSE_KERNEL_VERSION 7
#define FUSE_KERNEL_MINOR_VERSION 45 /* what this harness knows */
#define FUSE_ROOT_ID 1
#define FUSE_MIN_READ_BUFFER 8192

enum fuse_opcode {
	FUSE_LOOKUP = 1,
	FUSE_FORGET = 2, /* no reply */
	FUSE_GETATTR = 3,
	FUSE_SETATTR = 4,
	FUSE_READLINK = 5,
	FUSE_SYMLINK = 6,
	FUSE_MKNOD = 8,
	FUSE_MKDIR = 9,
	FUSE_UNLINK = 10,
	FUSE_RMDIR = 11,
	FUSE_RENAME = 12,
	FUSE_LINK = 13,
	FUSE_OPEN = 14,
	FUSE_READ = 15,
	FUSE_WRITE = 16,
	FUSE_STATFS = 17,
	FUSE_RELEASE = 18,
	FUSE_FSYNC = 20,
	FUSE_SETXATTR = 21,
	FUSE_GETXATTR = 22,
	FUSE_LISTXATTR = 23,
	FUSE_REMOVEXATTR = 24,
	FUSE_FLUSH = 25,
	FUSE_INIT = 26,
	FUSE_OPENDIR = 27,
	FUSE_READDIR = 28,
	FUSE_RELEASEDIR = 29,
	FUSE_FSYNCDIR = 30,
	FUSE_GETLK = 31,
	FUSE_SETLK = 32,
	FUSE_SETLKW = 33,
	FUSE_ACCESS = 34,
	FUSE_CREATE = 35,
	FUSE_INTERRUPT = 36,
	FUSE_BMAP = 37,
	FUSE_DESTROY = 38,
	FUSE_IOCTL = 39,
	FUSE_POLL = 40,
	FUSE_NOTIFY_REPLY = 41,
	FUSE_BATCH_FORGET = 42, /* no reply */
	FUSE_FALLOCATE = 43,
	FUSE_READDIRPLUS = 44,
	FUSE_RENAME2 = 45,
	FUSE_LSEEK = 46,
	FUSE_COPY_FILE_RANGE = 47,
	FUSE_SETUPMAPPING = 48,
	FUSE_REMOVEMAPPING = 49,
	FUSE_SYNCFS = 50,
	FUSE_TMPFILE = 51, /* 7.37; the RFC's FUSE_FSNOTIFY number */
	FUSE_STATX = 52,
	FUSE_COPY_FILE_RANGE_64 = 53,
	FUSE_OPCODE_MAX_KNOWN = 53,
};

enum fuse_notify_code {
	FUSE_NOTIFY_POLL = 1,
	FUSE_NOTIFY_INVAL_INODE = 2,
	FUSE_NOTIFY_INVAL_ENTRY = 3,
	FUSE_NOTIFY_STORE = 4,
	FUSE_NOTIFY_RETRIEVE = 5,
	FUSE_NOTIFY_DELETE = 6,
	FUSE_NOTIFY_RESEND = 7,    /* 7.40; the RFC's NOTIFY_LOCK dependency */
	FUSE_NOTIFY_INC_EPOCH = 8, /* 7.44; the RFC's NOTIFY_FSNOTIFY number */
	FUSE_NOTIFY_PRUNE = 9,     /* 7.45 */
	FUSE_NOTIFY_CODE_MAX_KNOWN = 9,
};

/* INIT flags (fuse_init_in/out.flags; bits 32.. live in flags2). */
#define FUSE_ASYNC_READ (1u << 0)
#define FUSE_POSIX_LOCKS (1u << 1)
#define FUSE_FILE_OPS (1u << 2)
#define FUSE_ATOMIC_O_TRUNC (1u << 3)
#define FUSE_EXPORT_SUPPORT (1u << 4)
#define FUSE_BIG_WRITES (1u << 5)
#define FUSE_DONT_MASK (1u << 6)
#define FUSE_SPLICE_WRITE (1u << 7)
#define FUSE_SPLICE_MOVE (1u << 8)
#define FUSE_SPLICE_READ (1u << 9)
#define FUSE_FLOCK_LOCKS (1u << 10)
#define FUSE_HAS_IOCTL_DIR (1u << 11)
#define FUSE_AUTO_INVAL_DATA (1u << 12)
#define FUSE_DO_READDIRPLUS (1u << 13)
#define FUSE_READDIRPLUS_AUTO (1u << 14)
#define FUSE_ASYNC_DIO (1u << 15)
#define FUSE_WRITEBACK_CACHE (1u << 16)
#define FUSE_NO_OPEN_SUPPORT (1u << 17)
#define FUSE_PARALLEL_DIROPS (1u << 18)
#define FUSE_HANDLE_KILLPRIV (1u << 19)
#define FUSE_POSIX_ACL (1u << 20)
#define FUSE_ABORT_ERROR (1u << 21)
#define FUSE_MAX_PAGES (1u << 22)
#define FUSE_CACHE_SYMLINKS (1u << 23)
#define FUSE_NO_OPENDIR_SUPPORT (1u << 24)
#define FUSE_EXPLICIT_INVAL_DATA (1u << 25)
#define FUSE_MAP_ALIGNMENT (1u << 26)
#define FUSE_SUBMOUNTS (1u << 27)
#define FUSE_HANDLE_KILLPRIV_V2 (1u << 28)
#define FUSE_SETXATTR_EXT (1u << 29)
#define FUSE_INIT_EXT (1u << 30) /* the RFC's FUSE_HAVE_FSNOTIFY bit */
#define FUSE_INIT_RESERVED (1u << 31)
/* flags2 bits, numbered as bit (n - 32) of flags2 */
#define FUSE2_SECURITY_CTX (1u << 0)
#define FUSE2_HAS_INODE_DAX (1u << 1)
#define FUSE2_CREATE_SUPP_GROUP (1u << 2)
#define FUSE2_HAS_EXPIRE_ONLY (1u << 3)
#define FUSE2_DIRECT_IO_ALLOW_MMAP (1u << 4)
#define FUSE2_PASSTHROUGH (1u << 5)
#define FUSE2_NO_EXPORT_SUPPORT (1u << 6)
#define FUSE2_HAS_RESEND (1u << 7)
#define FUSE2_ALLOW_IDMAP (1u << 8)
#define FUSE2_OVER_IO_URING (1u << 9)
#define FUSE2_REQUEST_TIMEOUT (1u << 10)

/* fuse_notify_inval_entry_out.flags */
#define FUSE_EXPIRE_ONLY (1u << 0)

/* getattr_flags */
#define FUSE_GETATTR_FH (1u << 0)

struct fuse_attr {
	uint64_t ino;
	uint64_t size;
	uint64_t blocks;
	uint64_t atime;
	uint64_t mtime;
	uint64_t ctime;
	uint32_t atimensec;
	uint32_t mtimensec;
	uint32_t ctimensec;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid;
	uint32_t gid;
	uint32_t rdev;
	uint32_t blksize;
	uint32_t flags;
};

struct fuse_kstatfs {
	uint64_t blocks;
	uint64_t bfree;
	uint64_t bavail;
	uint64_t files;
	uint64_t ffree;
	uint32_t bsize;
	uint32_t namelen;
	uint32_t frsize;
	uint32_t padding;
	uint32_t spare[6];
};

struct fuse_in_header {
	uint32_t len;
	uint32_t opcode;
	uint64_t unique;
	uint64_t nodeid;
	uint32_t uid;
	uint32_t gid;
	uint32_t pid;
	uint16_t total_extlen; /* in units of 8 bytes */
	uint16_t padding;
};

struct fuse_out_header {
	uint32_t len;
	int32_t error; /* a notification carries its code here, unique == 0 */
	uint64_t unique;
};

struct fuse_entry_out {
	uint64_t nodeid;
	uint64_t generation; /* nodeid:generation must be unique for the fs's lifetime */
	uint64_t entry_valid;
	uint64_t attr_valid;
	uint32_t entry_valid_nsec;
	uint32_t attr_valid_nsec;
	struct fuse_attr attr;
};

struct fuse_forget_in {
	uint64_t nlookup;
};

struct fuse_forget_one {
	uint64_t nodeid;
	uint64_t nlookup;
};

struct fuse_batch_forget_in {
	uint32_t count;
	uint32_t dummy;
};

struct fuse_getattr_in {
	uint32_t getattr_flags;
	uint32_t dummy;
	uint64_t fh;
};

struct fuse_attr_out {
	uint64_t attr_valid;
	uint32_t attr_valid_nsec;
	uint32_t dummy;
	struct fuse_attr attr;
};

struct fuse_mknod_in {
	uint32_t mode;
	uint32_t rdev;
	uint32_t umask;
	uint32_t padding;
};

struct fuse_mkdir_in {
	uint32_t mode;
	uint32_t umask;
};

struct fuse_rename_in {
	uint64_t newdir;
};

struct fuse_rename2_in {
	uint64_t newdir;
	uint32_t flags;
	uint32_t padding;
};

struct fuse_link_in {
	uint64_t oldnodeid;
};

struct fuse_setattr_in {
	uint32_t valid;
	uint32_t padding;
	uint64_t fh;
	uint64_t size;
	uint64_t lock_owner;
	uint64_t atime;
	uint64_t mtime;
	uint64_t ctime;
	uint32_t atimensec;
	uint32_t mtimensec;
	uint32_t ctimensec;
	uint32_t mode;
	uint32_t unused4;
	uint32_t uid;
	uint32_t gid;
	uint32_t unused5;
};

struct fuse_open_in {
	uint32_t flags;
	uint32_t open_flags;
};

struct fuse_create_in {
	uint32_t flags;
	uint32_t mode;
	uint32_t umask;
	uint32_t open_flags;
};

struct fuse_open_out {
	uint64_t fh;
	uint32_t open_flags;
	int32_t backing_id;
};

struct fuse_release_in {
	uint64_t fh;
	uint32_t flags;
	uint32_t release_flags;
	uint64_t lock_owner;
};

struct fuse_flush_in {
	uint64_t fh;
	uint32_t unused;
	uint32_t padding;
	uint64_t lock_owner;
};

struct fuse_read_in {
	uint64_t fh;
	uint64_t offset;
	uint32_t size;
	uint32_t read_flags;
	uint64_t lock_owner;
	uint32_t flags;
	uint32_t padding;
};

struct fuse_write_in {
	uint64_t fh;
	uint64_t offset;
	uint32_t size;
	uint32_t write_flags;
	uint64_t lock_owner;
	uint32_t flags;
	uint32_t padding;
};

struct fuse_write_out {
	uint32_t size;
	uint32_t padding;
};

struct fuse_statfs_out {
	struct fuse_kstatfs st;
};

struct fuse_access_in {
	uint32_t mask;
	uint32_t padding;
};

struct fuse_getxattr_in {
	uint32_t size;
	uint32_t padding;
};

struct fuse_interrupt_in {
	uint64_t unique;
};

struct fuse_init_in {
	uint32_t major;
	uint32_t minor;
	uint32_t max_readahead;
	uint32_t flags;
	uint32_t flags2;
	uint32_t unused[11];
};

/* Replies shorter than this are what a 7.22 and older server sends. */
#define FUSE_COMPAT_22_INIT_OUT_SIZE 24

struct fuse_init_out {
	uint32_t major;
	uint32_t minor;
	uint32_t max_readahead;
	uint32_t flags;
	uint16_t max_background;
	uint16_t congestion_threshold;
	uint32_t max_write;
	uint32_t time_gran;
	uint16_t max_pages;
	uint16_t map_alignment;
	uint32_t flags2;
	uint32_t max_stack_depth;
	uint16_t request_timeout;
	uint16_t unused[11];
};

struct fuse_dirent {
	uint64_t ino;
	uint64_t off;
	uint32_t namelen;
	uint32_t type;
	char name[];
};
#define FUSE_DIRENT_ALIGN(x) (((x) + sizeof(uint64_t) - 1) & ~(sizeof(uint64_t) - 1))
#define FUSE_NAME_OFFSET offsetof(struct fuse_dirent, name)
#define FUSE_DIRENT_SIZE(d) FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + (d)->namelen)

struct fuse_direntplus {
	struct fuse_entry_out entry_out;
	struct fuse_dirent dirent;
};
#define FUSE_NAME_OFFSET_DIRENTPLUS offsetof(struct fuse_direntplus, dirent.name)

/* Notification payloads (server -> kernel, unique 0, code in error). */
struct fuse_notify_poll_wakeup_out {
	uint64_t kh;
};

struct fuse_notify_inval_inode_out {
	uint64_t ino; /* a nodeid, despite the name */
	int64_t off;
	int64_t len;
};

struct fuse_notify_inval_entry_out {
	uint64_t parent;
	uint32_t namelen;
	uint32_t flags;
};

struct fuse_notify_delete_out {
	uint64_t parent;
	uint64_t child;
	uint32_t namelen;
	uint32_t padding;
};

struct fuse_notify_store_out {
	uint64_t nodeid;
	uint64_t offset;
	uint32_t size;
	uint32_t padding;
};

struct fuse_notify_retrieve_out {
	uint64_t notify_unique;
	uint64_t nodeid;
	uint64_t offset;
	uint32_t size;
	uint32_t padding;
};

/* Payload of the FUSE_NOTIFY_REPLY request the kernel sends after RETRIEVE. */
struct fuse_notify_retrieve_in {
	uint64_t dummy1;
	uint64_t offset;
	uint32_t size;
	uint32_t dummy2;
	uint64_t dummy3;
	uint64_t dummy4;
};

struct fuse_notify_prune_out {
	uint32_t count;
	uint32_t padding;
	uint64_t spare;
	/* followed by count u64 nodeids */
};

/*
 * FUSE over io_uring (7.42+, kernels 6.14+ with CONFIG_FUSE_IO_URING), from
 * include/uapi/linux/fuse.h; the behaviour they drive is fs/fuse/dev_uring.c
 * (torvalds/linux, read for 6.18):
 *  - a server that answered INIT with FUSE_OVER_IO_URING (flags2 bit 9; the
 *    kernel offers it only while /sys/module/fuse/parameters/enable_uring is
 *    Y) registers ring entries with IORING_OP_URING_CMD on the /dev/fuse fd,
 *    in 128-byte SQEs (IORING_SETUP_SQE128) whose 80-byte command area holds
 *    struct fuse_uring_cmd_req; sqe->addr points at two iovecs: the entry's
 *    struct fuse_uring_req_header, then its payload buffer, which must hold
 *    max(FUSE_MIN_READ_BUFFER, max_write, max_pages * PAGE_SIZE) bytes
 *    (fuse_uring_create_ring_ent(): EINVAL otherwise);
 *  - there is one queue per *possible* CPU (fuse_uring_create():
 *    num_possible_cpus()), and the ring is "ready" only once every queue has
 *    an available entry (is_ring_ready()); until then fuse_block_alloc()
 *    holds every new request;
 *  - a request goes to the queue of the CPU its caller runs on; its
 *    fuse_in_header lands in in_out, in_args[0] in op_in, the rest in the
 *    payload buffer, and ring_ent_in_out.commit_id is its unique;
 *  - COMMIT_AND_FETCH reads the fuse_out_header from in_out (its len field
 *    is never looked at: ring_ent_in_out.payload_sz says how much payload
 *    follows) and fetches the next request into the same entry;
 *  - FORGET/BATCH_FORGET and INTERRUPT still travel over /dev/fuse
 *    (fuse_io_uring_ops: fuse_dev_queue_forget, fuse_dev_queue_interrupt),
 *    and so do INIT and notifications (unique 0 in a commit is EINVAL).
 */
#define FUSE_URING_IN_OUT_HEADER_SZ 128
#define FUSE_URING_OP_IN_OUT_SZ 128

struct fuse_uring_ent_in_out {
	uint64_t flags;
	uint64_t commit_id; /* the unique to name in COMMIT_AND_FETCH */
	uint32_t payload_sz; /* request: payload bytes; reply: payload bytes */
	uint32_t padding;
	uint64_t reserved;
};

struct fuse_uring_req_header {
	char in_out[FUSE_URING_IN_OUT_HEADER_SZ]; /* fuse_in_header / fuse_out_header */
	char op_in[FUSE_URING_OP_IN_OUT_SZ];      /* the request's in_args[0] */
	struct fuse_uring_ent_in_out ring_ent_in_out;
};

enum fuse_uring_cmd {
	FUSE_IO_URING_CMD_INVALID = 0,
	FUSE_IO_URING_CMD_REGISTER = 1,         /* hand the kernel an entry */
	FUSE_IO_URING_CMD_COMMIT_AND_FETCH = 2, /* reply, and take the next request */
};

/* The SQE's 80-byte command area. */
struct fuse_uring_cmd_req {
	uint64_t flags;
	uint64_t commit_id;
	uint16_t qid;
	uint8_t padding[6];
};

_Static_assert(sizeof(struct fuse_uring_ent_in_out) == 32, "fuse_uring_ent_in_out");
_Static_assert(sizeof(struct fuse_uring_req_header) == 288, "fuse_uring_req_header");
_Static_assert(sizeof(struct fuse_uring_cmd_req) == 24, "fuse_uring_cmd_req");

_Static_assert(sizeof(struct fuse_in_header) == 40, "fuse_in_header");
_Static_assert(sizeof(struct fuse_out_header) == 16, "fuse_out_header");
_Static_assert(sizeof(struct fuse_attr) == 88, "fuse_attr");
_Static_assert(sizeof(struct fuse_entry_out) == 128, "fuse_entry_out");
_Static_assert(sizeof(struct fuse_attr_out) == 104, "fuse_attr_out");
_Static_assert(sizeof(struct fuse_init_in) == 64, "fuse_init_in");
_Static_assert(sizeof(struct fuse_init_out) == 64, "fuse_init_out");
_Static_assert(sizeof(struct fuse_setattr_in) == 88, "fuse_setattr_in");
_Static_assert(sizeof(struct fuse_read_in) == 40, "fuse_read_in");
_Static_assert(sizeof(struct fuse_write_in) == 40, "fuse_write_in");
_Static_assert(sizeof(struct fuse_statfs_out) == 80, "fuse_statfs_out");
_Static_assert(sizeof(struct fuse_notify_inval_inode_out) == 24, "inval_inode");
_Static_assert(sizeof(struct fuse_notify_inval_entry_out) == 16, "inval_entry");
_Static_assert(sizeof(struct fuse_notify_delete_out) == 24, "delete");
_Static_assert(sizeof(struct fuse_notify_store_out) == 24, "store");
_Static_assert(sizeof(struct fuse_notify_retrieve_out) == 32, "retrieve");
_Static_assert(sizeof(struct fuse_notify_retrieve_in) == 40, "retrieve_in");
_Static_assert(sizeof(struct fuse_notify_prune_out) == 16, "prune");
_Static_assert(sizeof(struct fuse_direntplus) == 152, "direntplus");

/* ---- pure helpers (wire.c) ---- */

/* Kernel name of an opcode or notify code; "?" when unknown. */
const char *fw_opcode_name(uint32_t opcode);
const char *fw_notify_name(uint32_t code);
/* Inverse of fw_opcode_name, case-insensitive, with or without "FUSE_"; 0 if unknown. */
uint32_t fw_opcode_by_name(const char *name);

/*
 * A request read from the kernel, split strictly.  fw_req_parse() checks
 * that the buffer holds a whole header, that hdr.len equals the bytes read,
 * and that the fixed part of the opcode's payload fits; names are found
 * and checked for NUL termination inside the message.  Returns 0 or an
 * errno (EPROTO for a malformed request, which a real kernel never sends).
 */
struct fw_req {
	struct fuse_in_header hdr;
	const uint8_t *arg;  /* payload after the header and extensions */
	size_t arglen;
	const char *name;    /* first name (LOOKUP, MKDIR, CREATE, RENAME, ...) */
	const char *name2;   /* second name (RENAME: new name; SYMLINK: target) */
};
int fw_req_parse(const void *buf, size_t len, struct fw_req *req);

/* Fixed payload size the kernel sends for an opcode (0 = none/variable). */
size_t fw_req_fixed_size(uint32_t opcode);

/*
 * Encoders.  Each writes into out (capacity cap) and returns the number of
 * bytes written, or 0 when cap is too small.  hdr.len is always the true
 * length, unless a caller patches it afterwards to build a malformed message.
 */
size_t fw_reply_encode(void *out, size_t cap, uint64_t unique, int32_t error,
		       const void *payload, size_t plen);
size_t fw_notify_encode(void *out, size_t cap, int32_t code, const void *payload,
			size_t plen);
/* A notification with a struct, then a name, then one trailing byte (NUL). */
size_t fw_notify_encode_named(void *out, size_t cap, int32_t code, const void *st,
			      size_t stlen, const char *name, size_t namelen,
			      int trailing_byte);

/* Render "OPCODE(nodeid=.., name=..)" for reports. */
int fw_req_describe(const struct fw_req *req, char *out, size_t cap);

#endif
