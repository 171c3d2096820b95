// SPDX-License-Identifier: GPL-2.0-only
/* contain.c - one case in its own process, namespace and deadline (contain.h). */
#include "contain.h"
#include "clock.h"
#include "hostlock.h"
#include "isolate.h"
#include "kmsg.h"
#include "lifeline.h"
#include "reap.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

const char *contain_host_skip(unsigned needs, char *buf, size_t cap)
{
	if ((needs & FC_NEED_ROOT) && geteuid() != 0)
		return snprintf(buf, cap, "needs root (euid %u)", (unsigned)geteuid()), buf;
	if (needs & FC_NEED_DEVFUSE) {
		int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

		if (fd < 0)
			return snprintf(buf, cap, "cannot open /dev/fuse: %s", fc_errname(errno)),
			       buf;
		close(fd);
	}
	if ((needs & FC_NEED_DROP_CACHES) && access("/proc/sys/vm/drop_caches", W_OK))
		return snprintf(buf, cap, "/proc/sys/vm/drop_caches is not writable"), buf;
	return NULL;
}

static void abort_conns(struct fc_shared *sh)
{
	for (int i = 0; i < sh->nconn && i < 8; i++)
		iso_abort_conn(sh->conn[i]); /* ENOENT: already gone */
}

/* The child: private mount namespace, its lifeline to the runner, then the case. */
static void child_main(const struct fc_case *c, const struct contain_opts *o,
		       struct fc_shared *sh, int lifeline[2])
{
	struct fc_ctx ctx = {.c = c, .timeout_scale = o->timeout_scale ? o->timeout_scale : 1,
			     .shared = sh, .kernel_offer = o->kernel_offer, .fail_nth = o->fail_nth};
	const char *trace = getenv("FSNC_TRACE");
	enum fc_verdict v;
	int err;

	setpgid(0, 0);
	ctx.trace = trace && *trace == '1';
	if ((c->needs & FC_NEED_ROOT) && (err = iso_private_mounts())) {
		snprintf(sh->reason, sizeof(sh->reason), "cannot make a private mount namespace: %s",
			 fc_errname(err));
		sh->verdict = FC_SKIP;
		fflush(stdout);
		_exit(77);
	}
	if ((err = lifeline_watch(lifeline, sh))) {
		snprintf(sh->fail_msg, sizeof(sh->fail_msg), "lifeline thread: %s", fc_errname(err));
		sh->verdict = FC_FAIL;
		_exit(1);
	}
	v = fc_run_case(&ctx, c);
	if (transport_unavailable()[0]) {
		/* It did not run over the transport asked for: it proves nothing there. */
		v = FC_SKIP;
		snprintf(ctx.skip_reason, sizeof(ctx.skip_reason), "%s", transport_unavailable());
	}
	if (v == FC_SKIP)
		snprintf(sh->reason, sizeof(sh->reason), "%s",
			 ctx.skip_reason[0] ? ctx.skip_reason : "(no reason given)");
	else if (v == FC_XFAIL || v == FC_XPASS)
		snprintf(sh->reason, sizeof(sh->reason), "%s", ctx.xfail_reason);
	sh->verdict = v;
	fflush(stdout);
	_exit(v == FC_SKIP ? 77 : (v == FC_PASS || v == FC_XFAIL) ? 0 : 1);
}

void contain_namespace(void)
{
	if (geteuid() != 0)
		return;
	if (iso_private_mounts() == 0)
		iso_mount_fusectl();
}

int contain_uses_uring(const struct fc_case *c, enum tr_kind transport)
{
	if (fc_has_label(c, "uring"))
		return 1;
	return transport == TR_URING && (c->needs & FC_NEED_DEVFUSE);
}

enum fc_verdict contain_run(const struct fc_case *c, const struct contain_opts *o, char *reason,
			    size_t cap)
{
	unsigned scale = o->timeout_scale ? o->timeout_scale : 1;
	struct uring_param_guard guard = {0};
	struct fc_shared *sh;
	struct kmsg_watch kw;
	char splat[256];
	int64_t deadline;
	enum fc_verdict v;
	pid_t pid;
	int status = 0, splats, lifeline[2], kernel_lock = -1;
	const char *why;
	char buf[256];

	reason[0] = 0;
	why = contain_host_skip(c->needs, buf, sizeof(buf));
	if (why) {
		snprintf(reason, cap, "%s", why);
		return FC_SKIP;
	}
	if (c->precheck && o->kernel_offer) {
		struct fc_ctx pre = {.c = c, .timeout_scale = scale, .kernel_offer = o->kernel_offer};

		if (c->precheck(&pre, c) == FC_SKIP) {
			snprintf(reason, cap, "%s", pre.skip_reason);
			return FC_SKIP;
		}
	}
	/* One case on the kernel at a time, whichever fsnc runs it. */
	if (c->needs & FC_NEED_DEVFUSE) {
		kernel_lock = hostlock_take(CONTAIN_KERNEL_LOCK, CONTAIN_KERNEL_WAIT_MS * (int)scale,
					    "waiting for the kernel", buf, sizeof(buf));
		if (kernel_lock < 0 && errno == ETIMEDOUT) {
			snprintf(reason, cap, "%s", buf);
			return FC_SKIP;
		}
	}
	/* Held at Y for the whole case, put back here in the parent whatever
	 * becomes of the child (timeout, signal, crash). */
	if (o->uring && uring_param_enable(&guard, buf, sizeof(buf))) {
		snprintf(reason, cap, "%s", buf);
		v = FC_SKIP;
		goto unlock;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		snprintf(reason, cap, "mmap: %s", fc_errname(errno));
		uring_param_restore(&guard);
		v = FC_FAIL;
		goto unlock;
	}
	memset(sh, 0, sizeof(*sh));
	sh->verdict = -1;
	if ((errno = lifeline_make(lifeline))) {
		snprintf(reason, cap, "pipe: %s", fc_errname(errno));
		munmap(sh, sizeof(*sh));
		uring_param_restore(&guard);
		v = FC_FAIL;
		goto unlock;
	}
	kmsg_begin(&kw, c->name);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(reason, cap, "fork: %s", fc_errname(errno));
		close(lifeline[0]);
		close(lifeline[1]);
		munmap(sh, sizeof(*sh));
		uring_param_restore(&guard);
		v = FC_FAIL;
		goto unlock;
	}
	if (pid == 0) {
		/* The locks are the runner's: a case left behind by a SIGKILLed
		 * runner must not keep the next fsnc from restoring the parameter. */
		if (guard.lock_fd > 0)
			close(guard.lock_fd);
		if (kernel_lock >= 0)
			close(kernel_lock);
		child_main(c, o, sh, lifeline);
	}
	close(lifeline[0]);
	setpgid(pid, pid);
	deadline = clk_now_ms() + (int64_t)(c->timeout_ms ? c->timeout_ms : CONTAIN_DEFAULT_TIMEOUT_MS) * scale;
	if (reap_by(pid, deadline, &status)) {
		/* Abort first: a task blocked on the dead server ignores SIGKILL
		 * until the connection goes. */
		abort_conns(sh);
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(reason, cap, "timeout after %lld ms",
			 (long long)(c->timeout_ms ? c->timeout_ms : CONTAIN_DEFAULT_TIMEOUT_MS) * scale);
		v = FC_FAIL;
		goto out;
	}
	/*
	 * Whatever the case left behind in its group goes with it.  Abort only
	 * while some of the group lives: once it is gone, so are its mounts, and
	 * a connection number is reused at once by the next FUSE mount on the
	 * machine (another runner's case), which an abort by number would kill.
	 */
	if (kill(-pid, 0) == 0)
		abort_conns(sh);
	kill(-pid, SIGKILL);
	if (WIFSIGNALED(status)) {
		snprintf(reason, cap, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
		v = FC_FAIL;
	} else if (sh->verdict < 0) {
		snprintf(reason, cap, "exited %d without a verdict", WEXITSTATUS(status));
		v = FC_FAIL;
	} else {
		v = (enum fc_verdict)sh->verdict;
		snprintf(reason, cap, "%.*s", (int)cap - 1, v == FC_FAIL ? sh->fail_msg : sh->reason);
	}
out:
	close(lifeline[1]);
	if (uring_param_restore(&guard)) {
		printf("# could not restore enable_uring to %c\n", guard.saved ? 'Y' : 'N');
		v = FC_FAIL;
	}
	splats = kmsg_end(&kw, c->name, splat, sizeof(splat));
	if (splats) {
		printf("# kernel log: %d splat line(s), first: %s\n", splats, splat);
		snprintf(reason, cap, "kernel splat: %.*s", (int)cap - 16, splat);
		v = FC_FAIL;
	}
	if ((v == FC_FAIL || v == FC_XPASS) && c->tags)
		printf("# missing kernel fix? %s\n", c->tags);
	munmap(sh, sizeof(*sh));
unlock:
	if (kernel_lock >= 0)
		close(kernel_lock);
	return v;
}

int contain_probe_offer(struct fuse_init_in *in)
{
	struct probe {
		struct fc_shared sh;
		struct fuse_init_in in;
		int ok;
	} *pr = mmap(NULL, sizeof(*pr), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int64_t deadline = clk_now_ms() + 10000;
	pid_t pid;
	int st, err = EIO;

	if (pr == MAP_FAILED)
		return errno;
	memset(pr, 0, sizeof(*pr));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct fc_ctx ctx = {.timeout_scale = 1, .shared = &pr->sh};
		struct srv_opts o = {.transport = TR_DEVFUSE};
		struct srv *s;

		if (iso_private_mounts())
			_exit(1);
		freopen("/dev/null", "w", stdout);
		s = srv_start(&ctx, &o);
		if (!s)
			_exit(1);
		pr->in = s->init_in;
		pr->ok = 1;
		srv_stop(s);
		_exit(0);
	}
	/* The probe is a FUSE mount too: it gets a deadline and an abort. */
	if (reap_by(pid, deadline, &st)) {
		abort_conns(&pr->sh);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	if (pr->ok) {
		*in = pr->in;
		err = 0;
	}
	munmap(pr, sizeof(*pr));
	return err;
}

