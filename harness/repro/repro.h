/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * repro.h - `fsnc repro CASE`: one self-contained C file that shows what a
 * case shows, for a kernel bug report (as syzkaller's csource does).
 *
 * The file is three parts (four over the ring):
 *   1. a header comment with the metadata (case, purpose, the kernel and
 *      FUSE protocol it was generated on, profile, fail-nth, fix commit)
 *      and the #defines the runtime reads (RP_CASE, RP_TIMEOUT_MS ...);
 *   2. the runtime, harness/repro/repro_runtime.c.in, the same in every file: a
 *      FUSE server on /dev/fuse in a private mount namespace, scripted
 *      replies, a notifier thread, deadlines that abort the connection,
 *      inotify/fanotify/fdinfo readers, and the verdict (exit 0 correct
 *      kernel, 1 bug shown, 77 cannot run here, with the reason);
 *   2b. over FUSE-over-io_uring (`fsnc repro CASE@uring`, the uring family):
 *      harness/repro/repro_uring.c.in, the ring's server side and the
 *      enable_uring guard, which the runtime calls under RP_TRANSPORT_URING;
 *   3. the case: `static void repro_case(void)` in straight-line C, printed
 *      by the family's exporter from the same row the run function walks,
 *      in the order the run function does things.
 *
 * A family gets reproducers by registering an exporter (REPRO_EXPORTER in
 * cases/<family>_repro.c).  A family without one makes `fsnc repro` say so
 * and exit 2; nothing pretends.
 */
#ifndef FSNC_REPRO_H
#define FSNC_REPRO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "case.h"

struct repro_ctx {
	FILE *f;
	const struct fc_case *c;
	int fail_nth;     /* 0: no fault injection */
	/*
	 * FSNC_REPRO_PLANT=1: the exporter prints one deliberately wrong
	 * expectation, so the repro check can be seen to fail (ctest
	 * repro/plant_goes_red).  Never set otherwise.
	 */
	int plant;
	/*
	 * 1: the file carries requests over FUSE-over-io_uring (CASE@uring, or
	 * the uring family): its prologue defines RP_TRANSPORT_URING and the
	 * ring's chunk (harness/repro/repro_uring.c.in) follows the runtime.  An
	 * exporter whose run function pins what differs on the ring prints the
	 * ring's expectation when it is set.
	 */
	int uring;
};

/* Print the body of the case: globals it needs and `static void repro_case(void)`. */
typedef int (*repro_emit_fn)(struct repro_ctx *r);

struct repro_exporter {
	const char *family;  /* a family name ("notify"), or a prefix ending in '/' ("ext/") */
	repro_emit_fn emit;
	int fail_nth;        /* the exporter arms --fail-nth around its syscall under test */
	struct repro_exporter *next;
	/*
	 * Text printed before the runtime, or NULL: harness code the family's
	 * file carries (kdiff: its generator and oracle, with harness/abi/wire.h,
	 * whose include guard makes the runtime leave out its own ABI subset).
	 */
	const char *prelude;
};

void repro_register(struct repro_exporter *x);

#define REPRO_EXPORTER(var, fam, fn, fnth) REPRO_EXPORTER_PRELUDE(var, fam, fn, fnth, NULL)
#define REPRO_EXPORTER_PRELUDE(var, fam, fn, fnth, text)                          \
	static struct repro_exporter var = {fam, fn, fnth, 0, text};              \
	__attribute__((constructor)) static void var##_register(void) { repro_register(&var); }

/* ---- helpers for exporters: everything they print is C for the runtime ---- */

void repro_printf(struct repro_ctx *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A C string literal (quotes included) for s, escaped. */
void repro_cstr(struct repro_ctx *r, const char *s);
/* `static const unsigned char name[N] = { ... };` */
void repro_bytes(struct repro_ctx *r, const char *name, const void *buf, size_t len);
/* "EINVAL" for EINVAL, "0" for 0: a token the reproducer's compiler resolves. */
const char *repro_errno(int e);
/* "FUSE_LOOKUP" for 1. */
const char *repro_opcode(uint32_t opcode);
/* "S_IFREG | 0644" */
const char *repro_mode(mode_t mode);

/* One row of the fixture table (struct rp_obj in the runtime). */
struct repro_obj {
	uint64_t parent;
	const char *name;
	mode_t mode;
	uint64_t nodeid;      /* 0: the next free number */
	uint64_t generation;
	uint64_t ino;         /* 0: the nodeid */
	const char *data;
};
/* `static const struct rp_obj fixture[] = { ... };` */
void repro_fixture(struct repro_ctx *r, const struct repro_obj *objs, int n);

/* ---- the command ---- */
struct repro_opts {
	const char *profile;  /* --profile: pick the variant NAME@P/kernel */
	int fail_nth;         /* --fail-nth N */
	const char *out;      /* -o FILE; NULL: stdout */
	const char *transport;/* --transport: "devfuse", "uring"; NULL: from the name (CASE@uring) */
};

/* `fsnc repro`: 0 written, 2 refused (one line on stderr says why). */
int repro_main(const char *name, const struct repro_opts *o);
/* `fsnc repro --families`: which families have an exporter, one per line. */
int repro_list_families(FILE *f);

/* The runtime text (generated from harness/repro/repro_runtime.c.in at build time). */
extern const char repro_runtime_text[];
/* The ring's chunk (harness/repro/repro_uring.c.in), appended only when uring is set. */
extern const char repro_uring_text[];

#endif
