/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * journal.h - host-wide settings put back after any death of their changer.
 *
 * A process that changes a host-wide setting (a module parameter in sysfs)
 * first writes a journal file under /run: which setting, its old value, and
 * who changed it (pid and start time, so a reused pid is not mistaken for
 * the owner).  It removes the journal once the value is back.  SIGKILL
 * cannot be caught, so the journal is what survives it: the next process
 * that looks (any fsnc command at start-up, or the next one to change the
 * same setting) finds a journal whose owner is dead, writes the old value
 * back and removes the journal.  The caller serializes access to the
 * setting (the setting's flock); the journal only says what to undo.
 */
#ifndef FSNC_JOURNAL_H
#define FSNC_JOURNAL_H

#include <stddef.h>

/* Record, before changing it, that this process owns `setting` whose value is `old`. 0 or errno. */
int journal_write(const char *journal, const char *setting, const char *old);
/* Forget the journal once the value is back (async-signal-safe). */
void journal_clear(const char *journal);
/*
 * If `journal` exists and its owner is gone: write the old value back to
 * the setting, remove the journal, and say so in `note` (one line).
 * Returns 1 when it restored, 0 when there was nothing to do (no journal,
 * or its owner still lives), or a negative errno (note says why).
 */
int journal_recover(const char *journal, char *note, size_t cap);

#endif
