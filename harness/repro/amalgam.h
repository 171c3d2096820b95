/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * amalgam.h - the harness's own sources, as one C text.
 *
 * fsnc carries every file of harness/ and cases/ as it was built
 * (cmake/embed-sources.cmake).  amalg_write() prints the files a set of
 * roots needs, found as the compiler would find them: each quoted
 * #include names a header, and the .c files beside a header that carry
 * its name come along (transport.h: transport_devfuse.c, transport_uring.c).  The
 * headers come first, each after the headers it includes; then the roots'
 * own .c files in the order given, the first right after the headers and
 * the last at the very end, with the rest of the sources between them.
 *
 * Comments and quoted #include lines are left out, and so is the code a
 * build option that is off leaves out (FSNC_CONFIG_*, the way Kconfig
 * leaves code out of a kernel: fsnc is built with every option on);
 * nothing else changes, so the compiler sees the code fsnc runs.  A macro
 * a .c defines ends with it, as with its translation unit.
 */
#ifndef FSNC_AMALGAM_H
#define FSNC_AMALGAM_H

#include <stdio.h>

struct amalg_source {
	const char *path; /* "harness/server/server.c", "cases/reuse.c" */
	const char *text;
};

extern const struct amalg_source amalg_sources[];
extern const unsigned amalg_nsources;

/* The source at path, or NULL. */
const struct amalg_source *amalg_find(const char *path);

/*
 * Print roots[0..n) and everything they include to f, with the build
 * options in config (a NULL-terminated list of FSNC_CONFIG_* names, NULL
 * for none) on and every other one off: a conditional that tests one is
 * settled here, and the branch not taken never printed.  0, or an errno
 * (ENOENT: a root or a quoted include names no embedded source, the name
 * is in missing; EINVAL: a file tests an option in a way that cannot be
 * settled, the file is in missing).
 */
int amalg_write(FILE *f, const char *const *roots, int n, const char *const *config,
		char *missing, size_t cap);

/*
 * What `fsnc repro` decides a file's build options from (repro.c): whether
 * the source at path, outside comments and strings, has a word beginning
 * with prefix; whether it includes header, itself or through a header of
 * its own folder (cases/ext_common.h), not through the harness's.
 */
int amalg_mentions(const char *path, const char *prefix);
int amalg_includes(const char *path, const char *header);

/* Strip comments from text into f, as amalg_write() does (for tests). */
void amalg_strip(FILE *f, const char *text);

#endif
