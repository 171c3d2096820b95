/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * prune.h - leave out of one C text the definitions nothing uses.
 *
 * A reproducer carries the harness files its case includes, whole; most of
 * what they define the case never calls.  prune() splits the text (without
 * comments: amalg_strip()) into top-level items, as the project writes C:
 * a preprocessor line with its continuations, a function definition ending
 * in a `}` at depth 0 and the end of its line, a declaration ending in a
 * `;` at depth 0, or a call of a function-like macro alone on its lines
 * (FC_FAMILY(...)).  It keeps what main() reaches, the way syzkaller's
 * csource keeps what a program uses:
 *
 *   - always kept, and what they name reached: main(), constructors,
 *     top-level macro calls, #if conditions, typedefs, and any item whose
 *     name it cannot tell;
 *   - always kept: other preprocessor lines and comments;
 *   - kept when reached: functions, their prototypes, variables, structs
 *     and unions (by tag), enums (by tag or any constant) and macros, by
 *     name, from a word in an item already reached; a macro with a ## keeps
 *     every name its fixed part can make (`FUSE_##x`: every FUSE_...);
 *   - a _Static_assert once every struct and union it names is kept by
 *     something else: a layout check goes with the layout;
 *   - a fallback (#ifndef X, #define X ..., #endif) as the one macro X;
 *   - a function's prototype only when something kept names the function
 *     before its one definition (or the prototype has an attribute).
 *
 * An identifier is any word outside string and character constants, so a
 * local that shares a function's name keeps that function (a member's own
 * name keeps only a macro or an enum of that name): the pruning only ever
 * keeps too much, never too little.  So the text begins
 * by telling the compiler that a static may go unused.
 */
#ifndef FSNC_PRUNE_H
#define FSNC_PRUNE_H

#include <stdio.h>

/* Print what text reaches to f: 0, or ENOMEM. */
int prune(FILE *f, const char *text);

#endif
