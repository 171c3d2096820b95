// SPDX-License-Identifier: GPL-2.0-only
/*
 * criu: the seed's question asked of the real program.  "Will this break
 * criu?" was asked of fdinfo file handles for fsnotify marks on
 * filesystems that may lack export operations.  Here a process (the
 * watcher) holds an inotify watch or a fanotify mark on a file of the
 * harness's FUSE mount; CRIU dumps it and restores it, and the restored
 * process must get its events for that very object, or CRIU must refuse.
 *
 * What CRIU 3.17 does, seen in the VM on Debian's 6.1 and 6.12: at dump it
 * reads each mark's handle from fdinfo (type 0x81: nodeid, generation),
 * opens it on the mount (open_by_handle_at) and keeps the PATH the opened
 * file has; at restore it opens that path (criu/fsnotify.c: "Unable to
 * open <path>"), never the handle.  So:
 *   - the dump needs the handle to decode while the mark pins the inode:
 *     fuse_get_dentry() finds a cached nodeid whatever the INIT said, so
 *     FUSE_EXPORT_SUPPORT is never asked; FUSE_NO_EXPORT_SUPPORT (flags2,
 *     7.40) leaves FID-only handles that nothing can open;
 *   - the restore needs the path: an inode evicted in between is simply
 *     looked up again, with or without export support;
 *   - the generation in the handle is never compared: a nodeid reused
 *     under a new generation AT THE SAME PATH gets the restored mark (the
 *     seed's hazard, a CRIU defect this suite pins as an expected failure),
 *     while one reused elsewhere leaves the path empty and the restore
 *     fails.
 * Each row states what must happen, and why: dump refused, restore
 * refused, or the mark restored on the right object (an event proves it,
 * and a sentinel event in the same group proves no other came before it);
 * for a reused nodeid, no event of the new object may reach the mark.
 *
 * The watcher (helpers/criu_watcher.c) is exec'd by the case inside its
 * mount namespace and dumped with --shell-job (it stays in the case's
 * process group, so the runner's kill reaches the restored one too); the
 * case is its subreaper, so the restored process, which criu restore -d
 * leaves behind, is reaped here.  It reports what it reads as lines
 * appended to a file of the case's private directory, which it opens anew
 * each time (no descriptor of ours crosses the dump).
 *
 * A restore that never ends (criu 3.17 was seen hanging once after a
 * restore that failed) is killed at its deadline and counted as refused:
 * it restored nothing.  A row that wants the mark restored still fails.
 *
 * Where criu cannot run (not installed, `criu check` fails: criu 3.17's
 * vdso check refuses 6.13+ kernels) the case skips with criu's own reason.
 * Debian's 6.1 and 6.12 run it in the VM (vm/run --kernel debian[-6.12]).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "kutil.h"
#include "reap.h"
#include "server.h"

#define F_NODEID 20
#define CRIU_TIMEOUT_MS 60000 /* one dump or restore, before the scale */

enum cr_api { CR_INOTIFY, CR_FANOTIFY };
enum cr_export {
	CR_EXPORT,        /* INIT accepts FUSE_EXPORT_SUPPORT */
	CR_NO_EXPORT,     /* INIT without it */
	CR_NO_EXPORT_FID, /* INIT sets FUSE_NO_EXPORT_SUPPORT (flags2): FID-only handles */
};
enum cr_between {
	CR_CACHED,      /* nothing happens between dump and restore: the inode stays cached */
	CR_EVICTED,     /* drop_caches until the kernel FORGETs the nodeid */
	CR_REUSED_G,    /* evicted, then the server gives the nodeid to "g" under generation 2 */
	CR_REUSED_SAME, /* evicted, then a new object "f" gets the nodeid under generation 2 */
};
enum cr_outcome { CR_DUMP_REFUSED, CR_RESTORE_REFUSED, CR_RESTORED };

struct cr_row {
	struct fc_row fc;
	enum cr_api api;
	enum cr_export export;
	enum cr_between between;
	enum cr_outcome want;
	const char *why;   /* the reason for the outcome */
	const char *xfail; /* a known defect (of criu) the row shows */
};

static const char *const outcome_name[] = {
	[CR_DUMP_REFUSED] = "dump refused",
	[CR_RESTORE_REFUSED] = "restore refused",
	[CR_RESTORED] = "restored",
};

struct cr_run {
	struct fc_ctx *ctx;
	const struct cr_row *row;
	struct srv *s;
	char dir[64];        /* private: images, logs, the watcher's report */
	char report[96];     /* what the watcher appends */
	char sentinel[96];   /* a file off the FUSE mount the watcher also watches */
	char img[128], dlog[128], rlog[128], pidfile[128]; /* criu's images, logs, pid file */
	char criu[PATH_MAX];
	pid_t w, restored;   /* the watcher, before the dump and once restored; -1: none */
};

/* ---- criu itself ---- */

static int find_criu(char *out, size_t cap)
{
	static const char *const dirs[] = {"/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(out, cap, "%s/criu", dirs[i]);
		if (!access(out, X_OK))
			return 0;
	}
	return ENOENT;
}

/* The first "Error" line of path that is not a child's exit status, else its first line. */
static void criu_reason(const char *path, char *out, size_t cap)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int found = 0;

	snprintf(out, cap, "(no log)");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (!found && line[0])
			snprintf(out, cap, "%.*s", (int)cap - 1, line);
		if (!found && strstr(line, "Error") && !strstr(line, "exited, status")) {
			snprintf(out, cap, "%.*s", (int)cap - 1, line);
			found = 1;
		}
	}
	fclose(f);
}

/* The last `lines` lines of criu's log, as TAP comments: where a criu that never ended was. */
static void log_tail(struct cr_run *r, const char *log, int lines)
{
	static char buf[16384];
	ssize_t n = -1;
	int fd = open(log, O_RDONLY | O_CLOEXEC);
	char *p;

	if (fd >= 0) {
		off_t size = lseek(fd, 0, SEEK_END);
		off_t from = size > (off_t)sizeof(buf) - 1 ? size - (off_t)sizeof(buf) + 1 : 0;

		n = pread(fd, buf, sizeof(buf) - 1, from);
		close(fd);
	}
	if (n <= 0) {
		fc_log(r->ctx, "%s: empty or unreadable", log);
		return;
	}
	buf[n] = 0;
	p = buf + n;
	while (p > buf && lines >= 0)
		if (*--p == '\n' && p[1])
			lines--;
	fc_log(r->ctx, "the end of %s:", log);
	for (char *line = strtok(p, "\n"); line; line = strtok(NULL, "\n"))
		fc_log(r->ctx, "  %s", line);
}

#define CRIU_HUNG (-2) /* run_criu(): killed at its deadline, with no failure recorded */

/*
 * Run criu with argv[1..], stdout and stderr to log; its exit status, or -1
 * with a failure.  When hang_ok, a criu that never ends is killed and
 * CRIU_HUNG returned instead, for the caller to judge.
 */
static int run_criu_ex(struct cr_run *r, char *const argv[], const char *log, bool hang_ok)
{
	int64_t deadline = clk_now_ms() + fc_ms(r->ctx, CRIU_TIMEOUT_MS);
	int status = 0;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fc_failf(r->ctx, __FILE__, __LINE__, "fork: %s", fc_errname(errno)), -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(r->criu, argv);
		_exit(127);
	}
	if (reap_by(pid, deadline, &status)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		log_tail(r, log, 12);
		if (hang_ok) {
			fc_log(r->ctx, "%s %s: no end within %d ms: killed", r->criu, argv[1],
			       fc_ms(r->ctx, CRIU_TIMEOUT_MS));
			return CRIU_HUNG;
		}
		return fc_failf(r->ctx, __FILE__, __LINE__, "%s %s: no end within %d ms", r->criu,
				argv[1], fc_ms(r->ctx, CRIU_TIMEOUT_MS)), -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_criu(struct cr_run *r, char *const argv[], const char *log)
{
	return run_criu_ex(r, argv, log, false);
}

/* `criu check` on this kernel: 0, or the reason it cannot run here. */
static int criu_usable(struct cr_run *r, char *why, size_t cap)
{
	char log[128], reason[400];
	char *argv[] = {"criu", "check", NULL};
	int rc;

	if (find_criu(r->criu, sizeof(r->criu)))
		return snprintf(why, cap, "criu is not installed (scripts/setup installs Debian's)"), -1;
	snprintf(log, sizeof(log), "%.63s/check.log", r->dir);
	rc = run_criu(r, argv, log);
	if (rc == 0)
		return 0;
	criu_reason(log, reason, sizeof(reason));
	snprintf(why, cap, "`criu check` fails on this kernel (exit %d): %s", rc, reason);
	return -1;
}

/* ---- the watcher: the process criu dumps and restores (helpers/criu_watcher.c) ---- */

/* In the child: nothing of ours crosses the dump (not /dev/fuse, not the
 * runner's lifeline pipe, not the runner's stdout); exec the watcher. */
static void exec_watcher(const struct cr_run *r, const char *f)
{
	char prog[512];
	int null;

	ku_own_program("fsnc_criu_watcher", prog, sizeof(prog));
	close_range(3, ~0u, 0);
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (chdir(r->dir))
		_exit(126);
	execl(prog, "fsnc_criu_watcher", r->row->api == CR_INOTIFY ? "inotify" : "fanotify", f,
	      r->sentinel, r->report, (char *)NULL);
	_exit(127);
}

/* ---- reading the watcher's report ---- */

/* Wait until the report holds a line starting with `prefix`; the whole report in text. */
static int wait_report(struct cr_run *r, const char *prefix, char *text, size_t cap,
		       int timeout_ms)
{
	int64_t end = clk_now_ms() + fc_ms(r->ctx, timeout_ms);
	int ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

	/* The report file's own writes wake us: an event, not a poll. */
	if (ifd >= 0)
		inotify_add_watch(ifd, r->dir, IN_CLOSE_WRITE | IN_CREATE);
	for (;;) {
		int fd = open(r->report, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, text, cap - 1) : 0;
		char *p;

		if (fd >= 0)
			close(fd);
		text[n > 0 ? n : 0] = 0;
		for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			if (!strncmp(p, prefix, strlen(prefix))) {
				if (ifd >= 0)
					close(ifd);
				return 0;
			}
		if (clk_now_ms() > end)
			break;
		{
			char ev[4096];
			struct timespec ts = {0, 10 * 1000000};
			fd_set set;
			struct timeval tv = {0, 200000};

			if (ifd < 0) {
				nanosleep(&ts, NULL);
				continue;
			}
			FD_ZERO(&set);
			FD_SET(ifd, &set);
			if (select(ifd + 1, &set, NULL, NULL, &tv) > 0 && read(ifd, ev, sizeof(ev)) < 0)
				break;
		}
	}
	if (ifd >= 0)
		close(ifd);
	return ETIMEDOUT;
}

/* ---- the steps ---- */

/* What criu did: its exit status, and on a refusal its error lines (the first eight). */
static void log_criu(struct cr_run *r, const char *what, const char *log, int rc)
{
	char line[512];
	FILE *f;
	int n = 0;

	fc_log(r->ctx, "criu %s: exit %d", what, rc);
	if (!rc || !(f = fopen(log, "r")))
		return;
	while (fgets(line, sizeof(line), f) && n < 8)
		if (strstr(line, "Error") && !strstr(line, "exited, status")) {
			line[strcspn(line, "\n")] = 0;
			fc_log(r->ctx, "criu %s: %s", what, line);
			n++;
		}
	fclose(f);
}

/*
 * One criu step: *got = refused when criu exits non-zero (what it said is
 * logged).  0: criu did it; 1: refused; -1: could not run it (a failure).
 */
static int criu_step(struct cr_run *r, const char *what, char *const argv[], const char *log,
		     enum cr_outcome refused, enum cr_outcome *got)
{
	/*
	 * A restore that never ends restored nothing: the mark is on no
	 * object, which is what a refused restore means to the seed's hazard.
	 * criu 3.17 was seen hanging once after a restore that failed (Debian
	 * 6.1 in the VM, a loaded host; 42 reruns did not hang).  A row that
	 * wants the mark restored still fails; one that wants it refused
	 * says how it was refused.  A dump that never ends is a failure.
	 */
	int rc = run_criu_ex(r, argv, log, refused == CR_RESTORE_REFUSED);

	if (rc == CRIU_HUNG) {
		fc_log(r->ctx, "criu %s: counted as refused: it restored nothing before it was killed",
		       what);
		*got = refused;
		return 1;
	}
	if (rc < 0)
		return -1;
	log_criu(r, what, log, rc);
	if (rc)
		*got = refused;
	return rc ? 1 : 0;
}

/* The kernel lets go of (F_NODEID, 1): drop caches until it sends the FORGET. */
static int criu_evict(struct cr_run *r)
{
	int64_t end = clk_now_ms() + fc_ms(r->ctx, 5000);

	while (srv_forgotten(r->s, F_NODEID) == 0) {
		if (clk_now_ms() > end)
			return fc_failf(r->ctx, __FILE__, __LINE__,
					"nodeid %d not forgotten 5 s after drop_caches", F_NODEID), -1;
		ku_drop_caches();
		srv_wait(r->s, FUSE_FORGET, F_NODEID, NULL, 1, 100);
	}
	fc_log(r->ctx, "between: the kernel forgot nodeid %d", F_NODEID);
	return 0;
}

/* After the restore: poke f (or g), then the sentinel; what came before the sentinel. */
static void check_restored(struct cr_run *r, const char *target)
{
	char text[8192];
	int events = 0;

	CHECK_ERR(r->ctx, ku_write_file(target, "x"), 0, "write to the watched object");
	CHECK_ERR(r->ctx, ku_write_file(r->sentinel, "s"), 0, "write to the sentinel");
	if (!CHECK(r->ctx, wait_report(r, "sentinel", text, sizeof(text), 5000) == 0,
		   "the restored watcher reported no sentinel event within 5 s: its group is not "
		   "live"))
		return;
	for (char *p = text; *p && strncmp(p, "sentinel", 8); p = strchr(p, '\n') + 1) {
		if (!strchr(p, '\n'))
			break;
		fc_log(r->ctx, "restored watcher: %.*s", (int)(strchr(p, '\n') - p), p);
		events += !strncmp(p, "event", 5);
	}
	if (r->row->between == CR_REUSED_G || r->row->between == CR_REUSED_SAME)
		CHECK(r->ctx, events == 0, "%d event(s) of the new (%d, 2) reached the restored "
		      "mark on (%d, 1): it was restored on another object", events, F_NODEID,
		      F_NODEID);
	else
		CHECK(r->ctx, events >= 1, "the restored mark heard nothing of the write to f");
}

/* ---- the fixture ---- */

static void remove_dir(struct cr_run *r)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %.63s", r->dir);
	if (system(cmd))
		fc_log(r->ctx, "could not remove %s", r->dir);
}

/* The private directory and its sentinel, a criu that runs here, the row's server. */
static enum fc_verdict cr_start(struct fc_ctx *ctx, struct cr_run *r)
{
	const struct cr_row *row = r->row;
	struct srv_opts o = {0};
	char why[512];
	int fd;

	snprintf(r->report, sizeof(r->report), "%.63s/report", r->dir);
	snprintf(r->sentinel, sizeof(r->sentinel), "%.63s/sentinel", r->dir);
	snprintf(r->img, sizeof(r->img), "%.63s/img", r->dir);
	snprintf(r->dlog, sizeof(r->dlog), "%.63s/dump.log", r->dir);
	snprintf(r->rlog, sizeof(r->rlog), "%.63s/restore.log", r->dir);
	snprintf(r->pidfile, sizeof(r->pidfile), "%.63s/restored.pid", r->dir);
	fd = open(r->sentinel, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 || mkdir(r->img, 0700))
		return fc_failf(ctx, __FILE__, __LINE__, "%s: %s", r->dir, fc_errname(errno)),
		       FC_FAIL;
	close(fd);
	if (criu_usable(r, why, sizeof(why)) || ku_own_missing("fsnc_criu_watcher", why, sizeof(why)))
		return fc_skip(ctx, "%s", why);
	if (row->export == CR_NO_EXPORT_FID && ctx->kernel_offer &&
	    !(ctx->kernel_offer->flags2 & FUSE2_NO_EXPORT_SUPPORT))
		return fc_skip(ctx, "kernel FUSE 7.%u does not offer FUSE_NO_EXPORT_SUPPORT (7.40)",
			       ctx->kernel_offer->minor);

	if (row->export == CR_EXPORT)
		o.flags = FUSE_EXPORT_SUPPORT;
	if (row->export == CR_NO_EXPORT_FID)
		o.flags2 = FUSE2_NO_EXPORT_SUPPORT;
	r->s = srv_start(ctx, &o);
	if (!r->s)
		return FC_FAIL;
	ctx->srv = r->s;
	return FC_PASS;
}

/* The run's state in ctx->fx; the directory goes at once if the row does not run. */
static enum fc_verdict cr_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	static struct cr_run run;
	struct cr_run *r = &run;
	enum fc_verdict v;

	*r = (struct cr_run){.ctx = ctx, .row = c->row, .w = -1, .restored = -1};
	snprintf(r->dir, sizeof(r->dir), "/tmp/fsnc-criu.XXXXXX");
	if (!mkdtemp(r->dir))
		return fc_failf(ctx, __FILE__, __LINE__, "mkdtemp: %s", fc_errname(errno)), FC_FAIL;
	v = cr_start(ctx, r);
	if (v != FC_PASS) {
		remove_dir(r);
		return v;
	}
	ctx->fx = r;
	return FC_PASS;
}

/* The watcher (either one) is killed before the server stops. */
static void cr_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct cr_run *r = ctx->fx;

	if (r->w > 0) {
		kill(r->w, SIGKILL);
		waitpid(r->w, NULL, 0);
	}
	if (r->restored > 0) {
		kill(r->restored, SIGKILL);
		waitpid(r->restored, NULL, 0);
	}
	srv_teardown(ctx, c);
	remove_dir(r);
}

static const struct fc_fixture cr_fixture = {cr_setup, cr_teardown};

/* ---- the run ---- */

/* The outcome criu gave against the row's. */
static enum fc_verdict cr_verdict(struct cr_run *r, enum cr_outcome got)
{
	fc_log(r->ctx, "rule: %s", r->row->why);
	CHECK(r->ctx, got == r->row->want, "CRIU: %s, want %s", outcome_name[got],
	      outcome_name[r->row->want]);
	return fc_verdict(r->ctx);
}

static enum fc_verdict run_criu_case(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct cr_row *row = c->row;
	struct cr_run *r = ctx->fx;
	char text[4096], pidstr[32];
	char f[PATH_MAX], g[PATH_MAX];
	enum cr_outcome got;
	int rc;

	if (row->xfail)
		fc_xfail(ctx, "%s", row->xfail);
	fc_log(ctx, "INIT reply: flags %#x flags2 %#x (EXPORT_SUPPORT %s, NO_EXPORT_SUPPORT %s)",
	       r->s->init_out.flags, r->s->init_out.flags2,
	       r->s->init_out.flags & FUSE_EXPORT_SUPPORT ? "yes" : "no",
	       r->s->init_out.flags2 & FUSE2_NO_EXPORT_SUPPORT ? "yes" : "no");
	if (row->export == CR_EXPORT && !CHECK(ctx, r->s->init_out.flags & FUSE_EXPORT_SUPPORT,
					       "the kernel did not offer FUSE_EXPORT_SUPPORT"))
		return fc_verdict(ctx);
	if (!srv_add(r->s, FUSE_ROOT_ID, "f", S_IFREG | 0644, F_NODEID, 1))
		return fc_verdict(ctx);
	snprintf(f, sizeof(f), "%s", srv_path(r->s, "f"));
	snprintf(g, sizeof(g), "%s", srv_path(r->s, "g"));
	/* The restored watcher is orphaned by criu restore -d: it comes to us. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);

	fflush(stdout);
	r->w = fork();
	if (r->w < 0)
		return fc_failf(ctx, __FILE__, __LINE__, "fork: %s", fc_errname(errno)),
		       fc_verdict(ctx);
	if (r->w == 0)
		exec_watcher(r, f);
	if (!CHECK(ctx, wait_report(r, "ready", text, sizeof(text), 5000) == 0,
		   "the watcher never got ready"))
		return fc_verdict(ctx);
	fc_log(ctx, "watcher %d: %.*s", (int)r->w, (int)strcspn(text, "\n"), text);
	if (!CHECK(ctx, strstr(text, " err 0") != NULL && !strstr(text, " -1 "),
		   "the watcher could not mark f or the sentinel: %.*s", (int)strcspn(text, "\n"),
		   text))
		return fc_verdict(ctx);

	{
		char tree[16];
		char *argv[] = {"criu", "dump", "-t", tree, "-D", r->img, "--shell-job", "-v4",
				NULL};

		snprintf(tree, sizeof(tree), "%d", (int)r->w);
		rc = criu_step(r, "dump", argv, r->dlog, CR_DUMP_REFUSED, &got);
	}
	if (rc < 0)
		return fc_verdict(ctx);
	if (rc)
		return cr_verdict(r, got);
	/* criu dump killed it: reap it here, its marks are gone with it. */
	waitpid(r->w, NULL, 0);
	r->w = -1;

	if (row->between != CR_CACHED && criu_evict(r))
		return fc_verdict(ctx);
	if (row->between == CR_REUSED_G || row->between == CR_REUSED_SAME) {
		const char *name = row->between == CR_REUSED_G ? "g" : "f";
		struct tree_node *reused;
		struct stat st;

		srv_lock(r->s);
		reused = tree_reuse(&r->s->tree, F_NODEID, FUSE_ROOT_ID, name, S_IFREG | 0644, 2);
		srv_unlock(r->s);
		CHECK(ctx, reused != NULL, "reuse");
		/* The new (N, 2) cached: the worst case, an inode with that nodeid exists. */
		CHECK(ctx, stat(srv_path(r->s, name), &st) == 0, "stat %s: %s", name,
		      fc_errname(errno));
		fc_log(ctx, "between: nodeid %d now names %s, generation 2, cached", F_NODEID, name);
	}
	unlink(r->report);

	{
		char *argv[] = {"criu", "restore", "-D", r->img, "--shell-job", "-d", "--pidfile",
				r->pidfile, "-v4", NULL};

		rc = criu_step(r, "restore", argv, r->rlog, CR_RESTORE_REFUSED, &got);
	}
	if (rc < 0)
		return fc_verdict(ctx);
	if (rc)
		return cr_verdict(r, got);
	{
		int fd = open(r->pidfile, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, pidstr, sizeof(pidstr) - 1) : -1;

		if (fd >= 0)
			close(fd);
		pidstr[n > 0 ? n : 0] = 0;
		r->restored = (pid_t)atoi(pidstr);
	}
	if (!CHECK(ctx, r->restored > 0, "criu restore wrote no pid"))
		return fc_verdict(ctx);
	fc_log(ctx, "restored watcher: pid %d", (int)r->restored);
	got = CR_RESTORED;
	check_restored(r, row->between == CR_REUSED_G ? g : f);
	return cr_verdict(r, got);
}

/* What the reused-nodeid rows need: never a mark on the new object. */
#define CR_WHY_PATH_GONE "criu restores by the path it kept at dump: \"f\" names nothing now"
#define CR_XFAIL_SAME_PATH                                                           \
	"criu 3.17 restores a mark by the path it kept at dump (criu/fsnotify.c), never by " \
	"the handle: the generation is not compared, and the new (N, 2) at that path gets it"

/* Each row twice: an inotify watch and a fanotify inode mark. */
#define CR_BOTH(nm, purp, ...)                                                        \
	{ FC_ROW("inotify_" nm, "inotify: " purp), .api = CR_INOTIFY, __VA_ARGS__ },   \
	{ FC_ROW("fanotify_" nm, "fanotify: " purp), .api = CR_FANOTIFY, __VA_ARGS__ }

static const struct cr_row cr_rows[] = {
	CR_BOTH("export_evicted", "dumped, evicted, restored on the right object (server offers "
		"FUSE_EXPORT_SUPPORT)",
		.export = CR_EXPORT, .between = CR_EVICTED, .want = CR_RESTORED,
		.why = "dump: the mark pins (N, 1), its handle decodes; restore: the kept path is "
		       "looked up again"),
	CR_BOTH("no_export_evicted", "dumped, evicted, restored on the right object (no "
		"FUSE_EXPORT_SUPPORT: criu never needs it)",
		.export = CR_NO_EXPORT, .between = CR_EVICTED, .want = CR_RESTORED,
		.why = "dump: fuse_get_dentry finds the pinned (N, 1) without export support; "
		       "restore: by path, no handle is opened"),
	CR_BOTH("no_export_fid", "FUSE_NO_EXPORT_SUPPORT: the handle in fdinfo cannot be opened, "
		"criu refuses the dump",
		.export = CR_NO_EXPORT_FID, .between = CR_CACHED, .want = CR_DUMP_REFUSED,
		.why = "FID-only export operations: open_by_handle_at cannot decode the handle"),
	CR_BOTH("nodeid_reused_elsewhere", "nodeid reused under generation 2 for \"g\" between "
		"dump and restore: the restore fails",
		.export = CR_EXPORT, .between = CR_REUSED_G, .want = CR_RESTORE_REFUSED,
		.why = CR_WHY_PATH_GONE),
	CR_BOTH("nodeid_reused_same_path", "nodeid reused under generation 2 for a new \"f\": "
		"the mark must not land on the new object",
		.export = CR_EXPORT, .between = CR_REUSED_SAME, .want = CR_RESTORE_REFUSED,
		.why = "(N, 1) is gone: the handle would give ESTALE (fuse_get_dentry compares the "
		       "generation)",
		.xfail = CR_XFAIL_SAME_PATH),
};
FC_FAMILY(criu_family, "criu", cr_rows, .needs = FC_NEED_KERNEL | FC_NEED_DROP_CACHES,
	  .labels = "kernel;criu", .run = run_criu_case, .timeout_ms = 180000,
	  .fixture = &cr_fixture)
