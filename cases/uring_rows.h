/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * uring_rows.h - the uring family's rows, shared by the run functions
 * (cases/uring.c) and the reproducer exporter (cases/uring_repro.c).
 */
#ifndef FSNC_CASES_URING_ROWS_H
#define FSNC_CASES_URING_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "notify_rules.h"

#define UR_PENDING (-1) /* the caller is still blocked: the request was not ended */

/* "f", the one object the rows serve: (nodeid, generation). */
#define UR_FILE 7
#define UR_FILE_GEN 3

enum ur_kind {
	UR_CONTROL,             /* a well-formed commit */
	UR_HEADER_LEN_ONLY,     /* only out.len written: error/unique are the in-header's */
	UR_NO_HEADER,           /* nothing written: in_out still holds the request's header */
	UR_PAYLOAD_OVER_BUFFER, /* payload_sz one byte past the entry's payload buffer */
	UR_PAYLOAD_HUGE,        /* payload_sz 0xffffffff */
	UR_PAYLOAD_SHORT,       /* payload_sz 8 bytes short of fuse_entry_out */
	UR_UNKNOWN_COMMIT_ID,   /* SQE commit_id names no request */
	UR_HEADER_UNIQUE_OTHER, /* commit_id right, out.unique another request's */
	UR_POSITIVE_ERROR,      /* out.error = +5 */
	UR_ERROR_BELOW_FLOOR,   /* out.error = -512 (-ERESTARTSYS) */
	UR_NOTIFY_UNIQUE_ZERO,  /* out.unique = 0: a notification through the ring */
	UR_COMMIT_TWICE,        /* a good commit, then the same commit again */
	UR_OTHER_QUEUE,         /* commit_id right, qid of the other queue */
	UR_QID_OUT_OF_RANGE,    /* qid = number of queues */
	UR_ENTRY_IN_KERNEL,     /* a commit on an entry the kernel holds, waiting */
	UR_FOREIGN_BUFFERS,     /* a good reply in buffers never registered */
};

struct ur_row {
	enum ur_kind kind;
	int want_commit; /* errno of the commit's CQE; 0: the kernel took it */
	int want_caller; /* errno stat() ends with, 0, or UR_PENDING */
	const char *why; /* the path in fs/fuse/dev_uring.c that decides */
};

/* Notifications while the ring carries the requests. */
enum un_kind { UN_INVAL_INODE_OK, UN_INVAL_INODE_SIZE, UN_INVAL_INODE_NOENT,
	       UN_INVAL_ENTRY_PARENT_NOENT };

struct un_row {
	enum un_kind kind;
	enum nr_rule_id rule; /* the /dev/fuse rule that decides, with its errno */
};

/* The row's notification about `file`, encoded into buf; its length. */
size_t un_notify_msg(const struct un_row *row, uint64_t file, uint8_t *buf, size_t cap);

/* uring/retrieve_notify_unique_zero: the gate and its reason (a kernel WARN taints the host). */
#define UR_WARN_GATE "FSNC_ALLOW_KERNEL_WARN"
#define UR_WARN_SKIP "trips WARN_ON in fuse_uring_prepare_send on 6.18.44 and taints the kernel: " \
		     "runs only with FSNC_ALLOW_KERNEL_WARN=1 (a VM)"
#define UR_WARN_XFAIL "6.18.44: the NOTIFY_REPLY of a RETRIEVE with notify_unique 0 trips " \
		      "WARN_ON(req->in.h.unique == 0) in fuse_uring_prepare_send and is lost"

#endif
