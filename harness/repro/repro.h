/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * repro.h - `fsnc repro CASE`: one self-contained C file that shows what a
 * case shows, for a kernel bug report (as syzkaller's csource does).
 *
 * The case is its own reproducer.  The file is:
 *   1. a header comment with the metadata (case, purpose, labels, the
 *      kernel and FUSE protocol it was generated on, profile, transport,
 *      fail-nth, fix commit) and the #defines the main reads (RP_CASE,
 *      RP_FAIL_NTH, RP_TRANSPORT_URING);
 *   2. the declarations of the harness code the case uses, then the case's
 *      family file from cases/ as it is (its run function and its rows),
 *      then that harness code, amalgamated from the sources fsnc is built
 *      from (amalgam.h): the same server, transports, parsers and checks
 *      that `fsnc run` and the unit tests run, with the build options
 *      (FSNC_CONFIG_*) the family can use: the io_uring transport only over
 *      the ring, fault injection only with --fail-nth or in a family that
 *      sweeps it;
 *   3. harness/repro/repro_main.c: the one part written for reproducers,
 *      which runs the row through contain_run() as the runner does and
 *      turns the verdict into the exit code (0, 1, 77).
 *
 * It builds with `gcc -Wall -static repro.c -lpthread` and nothing else.
 */
#ifndef FSNC_REPRO_H
#define FSNC_REPRO_H

struct repro_opts {
	const char *profile;  /* --profile: pick the variant NAME@P/kernel */
	int fail_nth;         /* --fail-nth N */
	const char *out;      /* -o FILE; NULL: stdout */
	const char *transport;/* --transport: "devfuse", "uring"; NULL: from the name (CASE@uring) */
};

/* `fsnc repro`: 0 written, 2 refused (one line on stderr says why). */
int repro_main(const char *name, const struct repro_opts *o);

#endif
