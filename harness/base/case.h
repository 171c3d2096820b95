/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * case.h - what a case is, and what it may call while it runs.
 *
 * A case family is one file in cases/ holding a table of rows and one run
 * function that walks a row.  FC_FAMILY() registers the table at start-up,
 * so adding a case is adding a row.  Each case states what it needs (root,
 * /dev/fuse, a kernel feature) so the runner can skip it with the reason,
 * and may name the kernel commit that fixed the bug it guards (.tags), which
 * the runner prints on failure, as LTP does.
 *
 * Verdicts: PASS, FAIL, SKIP (reason required), XFAIL (a known kernel or
 * design defect the case documents; an XPASS is reported as a failure so a
 * fix is noticed).  Process exit codes follow ctest and liburing: 0 pass,
 * 1 fail, 77 skip; XFAIL exits 0 and says so in the TAP line.
 */
#ifndef FSNC_CASE_H
#define FSNC_CASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum fc_verdict {
	FC_PASS = 0,
	FC_FAIL = 1,
	FC_XFAIL = 2,
	FC_XPASS = 3,
	FC_SKIP = 77,
};

/* What a case needs before it can run; the runner checks the cheap ones. */
enum fc_need {
	FC_NEED_ROOT = 1u << 0,
	FC_NEED_DEVFUSE = 1u << 1, /* open("/dev/fuse") works */
	FC_NEED_KMSG_WRITE = 1u << 2,
	FC_NEED_DROP_CACHES = 1u << 3,
};
#define FC_NEED_KERNEL (FC_NEED_ROOT | FC_NEED_DEVFUSE)

struct fc_case;
struct fc_ctx;
struct fc_fixture;
struct fuse_init_in;
struct srv;

typedef enum fc_verdict (*fc_run_fn)(struct fc_ctx *ctx, const struct fc_case *c);

struct fc_case {
	const char *name;    /* "family/row", unique */
	const char *purpose; /* one line: what it checks and why */
	unsigned needs;      /* enum fc_need */
	const char *labels;  /* ctest labels, ';'-separated: "kernel;notify" */
	const char *tags;    /* "linux-git:<sha>" of the fix it guards, or NULL */
	unsigned timeout_ms; /* 0: the runner's default */
	fc_run_fn run;
	const void *row;     /* the family's row: its struct begins with struct fc_row */
	const void *variant; /* the family's variant (struct fc_variant.arg), or NULL */
	/*
	 * Optional: a skip the runner can decide before it forks the case, from
	 * ctx->kernel_offer alone (no mount, no namespace, no I/O).  FC_SKIP
	 * with the reason, or FC_PASS: run the case.  run() must reach the same
	 * skip without it.
	 */
	fc_run_fn precheck;
	const struct fc_fixture *fixture;
};

/*
 * The head of every row.  A family's row struct begins with `struct fc_row
 * fc;`, and FC_ROW() fills it: the row's name (the case is "family/name"),
 * its purpose, and what it changes from the family's defaults.  A field
 * left 0 takes the family's value.
 */
struct fc_row {
	const char *name;
	const char *purpose;
	const char *tags;    /* the kernel fix the row guards: "linux-git:<sha>" */
	const char *labels;  /* 0: the family's */
	unsigned needs;      /* 0: the family's */
	unsigned timeout_ms; /* 0: the family's */
	fc_run_fn run;       /* 0: the family's */
};

/*
 * The one row macro: { FC_ROW("name", "purpose"), .field = ... }, or with
 * the head's own fields, FC_ROW("name", "purpose", .tags = "linux-git:...").
 */
#define FC_ROW(nm, purp, ...) .fc = { .name = nm, .purpose = purp, __VA_ARGS__ }

/*
 * A family's fixture: what every row starts before its steps and stops
 * after them, however the steps end (so no row stops a server on each of
 * its exit paths).  setup() leaves its state in ctx->srv and ctx->fx, and
 * returns FC_PASS to run the row, or the verdict at once (FC_SKIP with
 * ctx->skip_reason, FC_FAIL with a failure recorded) having stopped what
 * it started.  teardown() runs after the row whenever setup() returned
 * FC_PASS; a failure it records fails the case.
 */
struct fc_fixture {
	enum fc_verdict (*setup)(struct fc_ctx *ctx, const struct fc_case *c);
	void (*teardown)(struct fc_ctx *ctx, const struct fc_case *c);
};

/*
 * A family may run every row more than once (the extension families: once
 * per protocol profile and backend).  Each variant gives the case a name
 * suffix, its own needs and labels, and c->variant.
 */
struct fc_variant {
	const char *suffix;  /* appended to the case name: "@fsn-1/kernel" */
	unsigned needs;
	const char *labels;
	const void *arg;     /* c->variant */
};

struct fc_family {
	const char *name;    /* "notify": the prefix of its cases' names */
	const void *rows;    /* the table: nrows rows of stride bytes, each a struct fc_row first */
	size_t nrows, stride;
	/* What every row has unless its head says otherwise. */
	unsigned needs;
	const char *labels;
	unsigned timeout_ms;
	fc_run_fn run;
	fc_run_fn precheck;
	const struct fc_fixture *fixture;
	const struct fc_variant *variants; /* NULL: each row is one case */
	size_t nvariants;
	const char *file;    /* its source, as compiled (__FILE__): what `fsnc repro` prints */
	/* Made by fc_register(): one case per row (and variant), in table order. */
	struct fc_case *cases;
	size_t count;
	struct fc_family *next;
};

/* Build the family's cases from its rows and add it to the registry (exits if out of memory). */
void fc_register(struct fc_family *f);
/* 1 if the case's ';'-separated labels hold label as a whole item. */
int fc_has_label(const struct fc_case *c, const char *label);
struct fc_family *fc_families(void);
/* The case of that exact name, or NULL (the runner and every reproducer look up by it). */
const struct fc_case *fc_find(const char *name);
/*
 * Run one case in this process: the family fixture's setup, the row, the
 * teardown.  The caller (contain_run()) gives it its process and deadline.
 */
enum fc_verdict fc_run_case(struct fc_ctx *ctx, const struct fc_case *c);

#define FC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * FC_FAMILY(var, "name", rows, .needs = ..., .labels = ..., .run = ...):
 * register a table of rows at load time, with what its rows share.
 * The executable links the harness whole-archive so no table is dropped.
 */
#define FC_FAMILY(var, fname, rowarr, ...)                                              \
	static struct fc_family var = {.name = fname, .rows = rowarr,                  \
				       .nrows = FC_ARRAY_SIZE(rowarr),                 \
				       .stride = sizeof((rowarr)[0]), .file = __FILE__,  \
				       __VA_ARGS__};                                    \
	__attribute__((constructor)) static void var##_register(void) { fc_register(&var); }

/* ---- while a case runs ---- */

struct fc_ctx {
	const struct fc_case *c;
	unsigned failures;
	unsigned timeout_scale; /* multiply case deadlines (VMs under TCG) */
	char skip_reason[256];
	char xfail_reason[256];
	int expect_fail;        /* set by fc_xfail(): a FAIL becomes XFAIL */
	/* Shared with the runner (MAP_SHARED): connections to abort on timeout. */
	struct fc_shared *shared;
	/* What the running kernel offered in INIT, probed once by the runner; NULL if unknown. */
	const struct fuse_init_in *kernel_offer;
	/* No fc_log() chatter (the fuzz targets run the server thousands of times a second). */
	int quiet;
	/*
	 * N > 0: the Nth injectable allocation of the case's syscall under test
	 * fails (`fsnc repro --fail-nth N`, /proc/thread-self/fail-nth).  A
	 * family that has a syscall under test arms it (fc_armed() in
	 * client/failnth.h); the others refuse to be written with it.
	 */
	int fail_nth;
	/*
	 * FSNC_TRACE=1 (read by contain_run()): every CHECK_ERR prints what the
	 * call gave (`# = ...`), and the case's servers print their requests,
	 * replies and notifications.
	 */
	int trace;
	/* The family fixture's state: its server, and anything else it keeps. */
	struct srv *srv;
	void *fx;
};

/* Shared page between the runner and the case's child process. */
struct fc_shared {
	int nconn;
	unsigned conn[8];       /* /sys/fs/fuse/connections/<conn> */
	int verdict;
	char reason[256];
	char fail_msg[512];     /* first failure, for the summary table */
};

/* Diagnostics: printed as TAP comment lines ("# ...") on stdout. */
void fc_log(struct fc_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record a failure and keep going; returns 0 so it can end an expression. */
int fc_failf(struct fc_ctx *ctx, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Set the skip reason; the run function then returns FC_SKIP. */
enum fc_verdict fc_skip(struct fc_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Declare that this case is expected to fail, with the reason (a known
 * defect of a profile or a kernel).  A later FAIL becomes XFAIL; a PASS
 * becomes XPASS, which fails the run so the fix gets noticed.
 */
void fc_xfail(struct fc_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Final verdict from the failures recorded so far. */
enum fc_verdict fc_verdict(struct fc_ctx *ctx);

/* Deadline helpers, scaled by ctx->timeout_scale. */
int fc_ms(struct fc_ctx *ctx, int ms);

/*
 * FSNC_PLANT (defined only by `fsnc repro` under FSNC_REPRO_PLANT=1): the
 * first expectation the case checks is planted wrong, so the reproducer
 * check can be seen to go red (ctest repro/plant_goes_red).
 */
#ifdef FSNC_PLANT
extern int fc_plant;
#define FC_EXPECT(cond) (fc_plant ? (fc_plant = 0, !(cond)) : !!(cond))
#else
#define FC_EXPECT(cond) (cond)
#endif

#define CHECK(ctx, cond, ...) \
	(FC_EXPECT(cond) ? 1 : fc_failf((ctx), __FILE__, __LINE__, __VA_ARGS__))
/*
 * An errno-valued result against the expected errno, with names in the
 * message.  Each argument is evaluated once: `got` is often the call itself
 * (CHECK_ERR(ctx, stat_errno(path), ENOENT, ...)), which must not run again
 * to print what it returned.
 */
#define CHECK_ERR(ctx, got, want, what)                                              \
	({                                                                           \
		int got_ = (got), want_ = (want);                                    \
		if ((ctx)->trace)                                                    \
			fc_log((ctx), "= %s: %s", (what), fc_errname(got_));         \
		CHECK((ctx), got_ == want_, "%s: got %s (%d), want %s (%d)", (what), \
		      fc_errname(got_), got_, fc_errname(want_), want_);             \
	})

/* "ENOENT" for 2, "0" for 0. */
const char *fc_errname(int err);
/* A number from the environment (strtoull base 0): 0 and *v untouched if unset, -1 and a
   failure if not a number. */
int fc_env_u64(struct fc_ctx *ctx, const char *name, uint64_t *v);

#endif
