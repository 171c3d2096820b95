// SPDX-License-Identifier: GPL-2.0-only
/*
 * transport_param.c - /sys/module/fuse/parameters/enable_uring, saved and put back.
 *
 * The kernel offers FUSE_OVER_IO_URING in INIT, and honours it in the INIT
 * reply, only while this parameter is Y (fuse_send_init() and
 * process_init_reply() both ask fuse_uring_enabled(); seen on 6.18.44: a
 * reply that came after the parameter went back to N left the connection
 * on /dev/fuse, and REGISTER failed with EOPNOTSUPP, "fuse-io-uring is
 * disabled").  Once a connection negotiated it, it keeps it.  So the
 * runner sets Y around a whole case and restores the old value in the
 * parent process, whatever became of the case.  SIGKILL of the runner
 * itself cannot be caught: the old value is journaled under /run first
 * (harness/base/journal.h), and the next fsnc puts it back.
 */
#ifdef FSNC_CONFIG_URING /* left out of a reproducer that never runs over the ring */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "hostlock.h"
#include "journal.h"

#define ENABLE_URING "/sys/module/fuse/parameters/enable_uring"

int uring_param_get(int *on)
{
	char c = 0;
	int fd = open(ENABLE_URING, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return errno;
	r = read(fd, &c, 1);
	close(fd);
	if (r != 1 || (c != 'Y' && c != 'N'))
		return EPROTO;
	*on = c == 'Y';
	return 0;
}

/* Async-signal-safe: the runner's signal handler restores with it. */
int uring_param_set(int on)
{
	int fd = open(ENABLE_URING, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, on ? "Y" : "N", 1) != 1)
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

/* What a signal handler must put back: -1 nothing, else the saved value. */
static volatile sig_atomic_t pending_restore = -1;

static void restore_on_signal(int sig)
{
	if (pending_restore >= 0 && uring_param_set(pending_restore) == 0)
		journal_clear(URING_PARAM_JOURNAL);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Another fsnc's case holds the parameter at most its deadline; wait that long. */
#define LOCK_WAIT_MS 180000

static int lock_param(struct uring_param_guard *g, char *why, size_t cap)
{
	g->lock_fd = hostlock_take(URING_PARAM_LOCK, LOCK_WAIT_MS, NULL, why, cap);
	return g->lock_fd < 0 ? errno : 0;
}

static void unlock_param(struct uring_param_guard *g)
{
	if (g->lock_fd > 0)
		close(g->lock_fd); /* drops the flock */
	g->lock_fd = -1;
}

/* Under the lock: undo what a dead holder left, before anyone reads the value. */
static void recover_locked(void)
{
	char note[512];

	if (journal_recover(URING_PARAM_JOURNAL, note, sizeof(note)) && note[0])
		fprintf(stderr, "fsnc: %s\n", note);
}

void uring_param_recover(void)
{
	int fd;

	if (access(URING_PARAM_JOURNAL, F_OK))
		return; /* the common case: nothing left behind */
	fd = open(URING_PARAM_LOCK, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Held: its holder is alive and restores the value itself, or it is
	 * the dead holder's case still running, and a later fsnc will do it. */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		recover_locked();
	close(fd);
}

int uring_param_enable(struct uring_param_guard *g, char *why, size_t cap)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	int on = 0, err = uring_param_get(&on);

	g->changed = 0;
	g->lock_fd = -1;
	if (!err) {
		err = lock_param(g, why, cap);
		if (err)
			return err;
		recover_locked();
		err = uring_param_get(&on); /* what it is now that nobody else holds it */
	}
	if (err)
		unlock_param(g);
	if (err == ENOENT) {
		strncpy(why, "no " ENABLE_URING ": this kernel has no FUSE over io_uring "
			"(CONFIG_FUSE_IO_URING, 6.14+)", cap - 1);
		why[cap - 1] = 0;
		return err;
	}
	if (err) {
		strncpy(why, "cannot read " ENABLE_URING ": ", cap - 1);
		why[cap - 1] = 0;
		strncat(why, strerror(err), cap - strlen(why) - 1);
		return err;
	}
	g->saved = on;
	if (on)
		return 0; /* already Y: nothing to restore, but the lock is held */
	/* Never change a host-wide setting that a SIGKILL could leave changed. */
	err = journal_write(URING_PARAM_JOURNAL, ENABLE_URING, on ? "Y" : "N");
	if (err) {
		unlock_param(g);
		snprintf(why, cap, "cannot journal enable_uring in %s: %s", URING_PARAM_JOURNAL,
			 strerror(err));
		return err;
	}
	pending_restore = on;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], restore_on_signal);
	err = uring_param_set(1);
	if (err) {
		pending_restore = -1;
		journal_clear(URING_PARAM_JOURNAL);
		unlock_param(g);
		strncpy(why, ENABLE_URING " is not writable: ", cap - 1);
		why[cap - 1] = 0;
		strncat(why, strerror(err), cap - strlen(why) - 1);
		return err;
	}
	g->changed = 1;
	return 0;
}

int uring_param_restore(struct uring_param_guard *g)
{
	int err = 0;

	if (g->changed)
		err = uring_param_set(g->saved);
	if (g->changed && !err)
		journal_clear(URING_PARAM_JOURNAL);
	g->changed = 0;
	pending_restore = -1;
	unlock_param(g);
	return err;
}

#endif /* FSNC_CONFIG_URING */
