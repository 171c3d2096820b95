// SPDX-License-Identifier: GPL-2.0-only
/*
 * e2e: a change made behind a FUSE mount reaches a watcher on the mount.
 *
 * The harness's server serves a backing directory (a tmpfs of the case's
 * own) with the passthrough backend (harness/passthrough/passthrough.c), taking fsn-1
 * in INIT when the kernel offers it.  A real watcher that no one here
 * wrote, from Debian, watches the mount: inotifywait (inotify),
 * fsnotifywait (fanotify, inode marks with FID reporting), both of
 * inotify-tools, or fswatch.
 * The row changes the backing directory directly, as a host or another
 * client would, and the watcher's lines must be the row's lines:
 *
 *   - with the extension (the fsn-1 reference kernel), the lines a
 *     watcher on a local filesystem prints for the same change.  The same
 *     watcher on the backing directory runs beside it and must print the
 *     row's lines too, so each expectation is checked against this
 *     kernel's local truth on every run;
 *   - without it (mainline: the host, Debian's kernels, the control
 *     kernel), nothing: a change behind a FUSE mount never reaches a
 *     watcher on it.  That is the kernel's behaviour the trackers of
 *     Kata, Lima, Podman and rclone report, pinned.
 *
 * A change made through the mount is seen once on every kernel: locally
 * on mainline, from the server under fsn-1 (which suppresses the local
 * change events on inode marks, section 8).
 *
 * The watcher is ready when a directory made through the mount shows in
 * its output; its output is complete when a barrier directory made after
 * the change does (fanotify and the forwarder keep order, so nothing of
 * the change can come after the barrier).  Lines about those directories
 * (".fsnc-*") are not compared.  inotifywait keeps the kernel's order;
 * fanotify merges the events of one object, so fsnotifywait's lines are
 * compared as a set of events.  inotifywait drops IN_Q_OVERFLOW and
 * prints no cookie, so the overflow and the cookie rows use a small
 * inotify watcher of ours (helpers/inotify_watch.c).
 *
 * The overflow row stops the server's forwarder, makes more changes than
 * its fanotify queue holds (16384) in a directory nobody watches, and
 * lets it go: the server reads FAN_Q_OVERFLOW, sends one OVERFLOW
 * record, and the watcher of another directory gets exactly one
 * IN_Q_OVERFLOW and nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"
#include "clock.h"
#include "kutil.h"
#include "passthrough.h"
#include "pt_session.h"
#include "profiles.h"
#include "server.h"

#define E2E_MAX_LINES 64
#define E2E_BURST 17000 /* > FANOTIFY_DEFAULT_MAX_EVENTS (16384) */

/* A watcher program: how it is started and how its lines read. */
struct e2e_watcher {
	const char *bin;
	const char *args[16]; /* before the watched paths */
	int ordered;        /* its lines keep the kernel's order */
	const char *skip_prefix; /* lines it prints that are not events */
	int own;            /* ours (helpers/), next to fsnc */
	int fanotify_fid;   /* it needs fanotify inode marks with FID reporting */
	int path_first;     /* its lines are "path FLAG..." (fswatch -x), not "EVENTS path" */
};

#define INOTIFY_TOOLS_ARGS                                                         \
	{"-m", "--format", "%e %w%f", "-e",                                       \
	 "create,delete,modify,attrib,moved_from,moved_to,delete_self,move_self", NULL}

static const struct e2e_watcher inotifywait = {.bin = "inotifywait", .args = INOTIFY_TOOLS_ARGS,
					       .ordered = 1};
/* fsnotifywait prints "[fid=...;name='x'] path" as it resolves a handle. */
static const struct e2e_watcher fsnotifywait = {.bin = "fsnotifywait", .args = INOTIFY_TOOLS_ARGS,
						.skip_prefix = "[fid=", .fanotify_fid = 1};
/* helpers/inotify_watch.c: prints IN_Q_OVERFLOW and cookies, which inotifywait drops. */
static const struct e2e_watcher c_inotify = {.bin = "fsnc_inotify_watch", .ordered = 1, .own = 1};
/*
 * fswatch's inotify monitor: its own names for events (Created, Updated,
 * Removed, AttributeModified, MovedFrom, MovedTo), several per line, and
 * batches of 0.1 s; compared as a set.
 */
static const struct e2e_watcher fswatch = {
	.bin = "fswatch", .path_first = 1,
	.args = {"-x", "--latency", "0.1", "--event", "Created", "--event", "Updated", "--event",
		 "Removed", "--event", "AttributeModified", "--event", "MovedFrom", "--event",
		 "MovedTo", NULL}};

enum e2e_op { E2E_END, E2E_CREATE, E2E_APPEND, E2E_CHMOD, E2E_UNLINK, E2E_RENAME, E2E_MKDIR,
	      E2E_BURST_CREATE };

struct e2e_step {
	enum e2e_op op;
	const char *path;   /* relative to the backing directory (or the mount) */
	const char *path2;  /* E2E_RENAME: the new name */
};

struct e2e_row {
	struct fc_row fc;
	const struct e2e_watcher *w;
	const char *watch[3];       /* directories or files watched, relative */
	const char *sync;           /* watched directory for the ready and barrier
				     * directories; NULL: watch[0] */
	struct e2e_step steps[4];
	int via_mount;              /* make the change through the mount, not behind it */
	int overflow;               /* stop the forwarder around the steps */
	/*
	 * Several changes to one object: the server's fanotify queue merges
	 * the ones it has not read yet into one event, so with the extension
	 * their order is not kept (the mount's lines compare as a set).
	 */
	int merged;
	/* The lines, ';'-separated, "EVENT path" relative to the watch root. */
	const char *want;           /* with the extension (and what a local watcher prints) */
	const char *want_mainline;  /* without it; NULL: nothing */
	/* What the watcher on the backing directory prints, where it differs: NULL, want. */
	const char *want_local;
};

/* ---- the watcher process ---- */

struct e2e_proc {
	pid_t pid;
	int out;            /* its stdout */
	char root[256];     /* prefix stripped from its paths */
	char buf[8192];
	size_t len;
	char *lines[E2E_MAX_LINES * 4];
	int nlines;
};

static int proc_start(struct fc_ctx *ctx, struct e2e_proc *p, const struct e2e_watcher *w,
		      const char *root, const char *const *watch)
{
	const char *argv[24];
	char paths[3][512], prog[512];
	int fds[2], n = 0;

	memset(p, 0, sizeof(*p));
	p->pid = -1;
	snprintf(p->root, sizeof(p->root), "%s/", root);
	argv[n++] = w->own ? ku_own_program(w->bin, prog, sizeof(prog)) : w->bin;
	for (int i = 0; w->args[i]; i++)
		argv[n++] = w->args[i];
	for (int i = 0; i < 3 && watch[i]; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", root, watch[i]);
		argv[n++] = paths[i];
	}
	argv[n] = NULL;
	if (pipe2(fds, O_CLOEXEC))
		return fc_failf(ctx, __FILE__, __LINE__, "pipe2: %s", fc_errname(errno)), -1;
	p->pid = fork();
	if (p->pid < 0)
		return fc_failf(ctx, __FILE__, __LINE__, "fork: %s", fc_errname(errno)), -1;
	if (p->pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		/* Nothing outlives the case: the watcher goes when the case does. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(fds[1], 1);
		dup2(null, 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	p->out = fds[0];
	return 0;
}

/* Read what the watcher printed until a line holding `until`, or the deadline. */
static int proc_wait_line(struct e2e_proc *p, const char *until, int timeout_ms)
{
	int64_t end = clk_now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfd = {.fd = p->out, .events = POLLIN};
		int64_t left = end - clk_now_ms();
		char *nl;
		ssize_t n;

		while ((nl = memchr(p->buf, '\n', p->len))) {
			size_t l = (size_t)(nl - p->buf);
			char *line = strndup(p->buf, l);
			int hit = line && strstr(line, until);

			if (line && p->nlines < (int)(sizeof(p->lines) / sizeof(p->lines[0])))
				p->lines[p->nlines++] = line;
			else
				free(line);
			memmove(p->buf, nl + 1, p->len - l - 1);
			p->len -= l + 1;
			if (hit)
				return 0;
		}
		if (left <= 0)
			return ETIMEDOUT;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(p->out, p->buf + p->len, sizeof(p->buf) - p->len - 1);
		if (n <= 0)
			return n == 0 ? EPIPE : errno;
		p->len += (size_t)n;
	}
}

static void proc_stop(struct e2e_proc *p)
{
	if (p->pid > 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
	}
	if (p->pid >= 0)
		close(p->out);
	for (int i = 0; i < p->nlines; i++)
		free(p->lines[i]);
	p->pid = -1;
	p->nlines = 0;
}

/* ---- the change ---- */

static int do_step(const struct e2e_step *st, const char *root)
{
	char a[512], b[512];
	int fd;

	snprintf(a, sizeof(a), "%s/%s", root, st->path);
	switch (st->op) {
	case E2E_CREATE:
		fd = open(a, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		return fd < 0 ? errno : close(fd);
	case E2E_APPEND:
		fd = open(a, O_WRONLY | O_APPEND | O_CLOEXEC);
		if (fd < 0)
			return errno;
		if (write(fd, "more\n", 5) != 5) {
			close(fd);
			return EIO;
		}
		return close(fd);
	case E2E_CHMOD:
		return chmod(a, 0600) ? errno : 0;
	case E2E_UNLINK:
		return unlink(a) ? errno : 0;
	case E2E_RENAME:
		snprintf(b, sizeof(b), "%s/%s", root, st->path2);
		return rename(a, b) ? errno : 0;
	case E2E_MKDIR:
		return mkdir(a, 0755) ? errno : 0;
	case E2E_BURST_CREATE:
		for (int i = 0; i < E2E_BURST; i++) {
			snprintf(b, sizeof(b), "%.500s/%d", a, i);
			fd = open(b, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
			if (fd < 0)
				return errno;
			close(fd);
		}
		return 0;
	case E2E_END:
		break;
	}
	return 0;
}

/* ---- comparing ---- */

/* "EVENT /root/rel" -> "EVENT rel"; NULL for lines that are not compared. */
static const char *normal(const struct e2e_watcher *w, const char *root, const char *line,
			  char *out, size_t cap)
{
	const char *sp = strchr(line, ' ');
	size_t rl = strlen(root);

	if ((w->skip_prefix && !strncmp(line, w->skip_prefix, strlen(w->skip_prefix))) ||
	    strstr(line, ".fsnc-"))
		return NULL;
	if (w->path_first && sp && !strncmp(line, root, rl)) {
		/* "root/rel F1 F2" -> "F1,F2 rel" */
		size_t o = 0;

		for (const char *f = sp + 1; *f && o + 2 < cap; f++)
			out[o++] = *f == ' ' ? ',' : *f;
		snprintf(out + o, cap - o, " %.*s", (int)(sp - line - rl), line + rl);
	} else if (sp && !strncmp(sp + 1, root, rl)) {
		snprintf(out, cap, "%.*s %s", (int)(sp - line), line, sp + 1 + rl);
	} else {
		snprintf(out, cap, "%s", line);
	}
	/* fsnotifywait names a path it resolved after the unlink "x (deleted)". */
	if (strlen(out) > 10 && !strcmp(out + strlen(out) - 10, " (deleted)"))
		out[strlen(out) - 10] = 0;
	return out;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A fanotify watcher's line names every event merged into one: "MODIFY,
 * ATTRIB a/f" is "MODIFY a/f" and "ATTRIB a/f".  How much merges depends on
 * when the watcher read, so its lines are compared as a set of single
 * events (ISDIR stays with each).
 */
static int split_merged(char *line, char out[][256], int max)
{
	char *sp = strchr(line, ' '), *save = NULL;
	int isdir, n = 0;

	if (!sp)
		return 0;
	*sp = 0;
	isdir = strstr(line, "ISDIR") != NULL;
	for (char *t = strtok_r(line, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
		if (strcmp(t, "ISDIR"))
			snprintf(out[n++], 256, "%s%s %s", t, isdir ? ",ISDIR" : "", sp + 1);
	return n;
}

/* Sorted, without repeats: a set. */
static int as_set(char **v, int n)
{
	int m = 0;

	qsort(v, (size_t)n, sizeof(v[0]), cmp_str);
	for (int i = 0; i < n; i++)
		if (!m || strcmp(v[m - 1], v[i]))
			v[m++] = v[i];
	return m;
}

/* The watcher's lines equal want (';'-separated): in order, or as a set. */
static void check_lines(struct fc_ctx *ctx, const struct e2e_watcher *w, struct e2e_proc *p,
			const char *want, const char *who, int ordered)
{
	static char got_buf[E2E_MAX_LINES][256];
	char want_buf[2048], line[256];
	char *got[E2E_MAX_LINES], *exp[E2E_MAX_LINES];
	int ngot = 0, nexp = 0, same;
	char *save = NULL;

	unsigned long cookie = 0;

	for (int i = 0; i < p->nlines && ngot < E2E_MAX_LINES; i++) {
		char *ck;

		if (!normal(w, p->root, p->lines[i], line, sizeof(line)))
			continue;
		/* One rename per row: its MOVED_FROM and MOVED_TO share one cookie, not 0. */
		if ((ck = strstr(line, " cookie="))) {
			unsigned long v = strtoul(ck + 8, NULL, 10);

			CHECK(ctx, v && (!cookie || v == cookie), "%s %s: cookie %lu, want %s",
			      who, w->bin, v, cookie ? "the pair's" : "non-zero");
			cookie = v;
			*ck = 0;
		}
		if (ordered)
			snprintf(got_buf[ngot++], sizeof(got_buf[0]), "%s", line);
		else
			ngot += split_merged(line, got_buf + ngot, E2E_MAX_LINES - ngot);
	}
	for (int i = 0; i < ngot; i++)
		got[i] = got_buf[i];
	snprintf(want_buf, sizeof(want_buf), "%s", want ? want : "");
	for (char *t = strtok_r(want_buf, ";", &save); t && nexp < E2E_MAX_LINES;
	     t = strtok_r(NULL, ";", &save))
		exp[nexp++] = t;
	if (!ordered) {
		ngot = as_set(got, ngot);
		nexp = as_set(exp, nexp);
	}
	same = ngot == nexp;
	for (int i = 0; same && i < ngot; i++)
		same = !strcmp(got[i], exp[i]);
	if (same)
		return;
	fc_failf(ctx, __FILE__, __LINE__, "%s %s printed %d line(s), want %d (%s)", who, w->bin,
		 ngot, nexp, ordered ? "in order" : "as a set of events");
	for (int i = 0; i < ngot; i++)
		fc_log(ctx, "  got:  %s", got[i]);
	for (int i = 0; i < nexp; i++)
		fc_log(ctx, "  want: %s", exp[i]);
}

/* ---- the case ---- */

/* mkdir name through the mount in the first watched directory, until w prints it. */
static int sync_watchers(struct fc_ctx *ctx, struct pt_session *e, const struct e2e_row *row,
			 struct e2e_proc *w, int nw, const char *tag, int tries)
{
	char path[400], name[64];

	for (int t = 0; t < tries; t++) {
		int err = 0;

		snprintf(name, sizeof(name), ".fsnc-%s-%d", tag, t);
		snprintf(path, sizeof(path), "%s/%s/%s", e->mnt, row->sync ? row->sync : row->watch[0],
			 name);
		if (mkdir(path, 0755))
			return fc_failf(ctx, __FILE__, __LINE__, "mkdir %s: %s", path,
					fc_errname(errno)), -1;
		for (int i = 0; i < nw && !err; i++)
			err = proc_wait_line(&w[i], name, fc_ms(ctx, tries > 1 ? 100 : 2000));
		if (!err)
			return 0;
	}
	return fc_failf(ctx, __FILE__, __LINE__, "the watchers never printed a %s directory made "
			"through the mount", tag), -1;
}

/*
 * Can fanotify mark path with FID reporting?  0, or the errno: FUSE reports
 * a zero fsid, which fanotify takes for inode marks since 6.8 ("weak
 * fsid"); tmpfs has an fsid since 6.7.
 */
static int fanotify_fid_refused(const char *path)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_CLOEXEC, O_RDONLY);
	int err = 0;

	if (fd < 0)
		return errno;
	if (fanotify_mark(fd, FAN_MARK_ADD, FAN_CREATE | FAN_ONDIR, AT_FDCWD, path))
		err = errno;
	close(fd);
	return err;
}

static int watcher_missing(const char *bin)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", bin);
	return system(cmd) != 0;
}

/* ---- the fixture ---- */

/* The row's state: the session (its server included) and the watcher processes. */
struct e2e_env {
	struct pt_session e;
	struct e2e_proc w[2]; /* [0] on the mount, [1] on the backing directory */
};

/* The row's watcher installed, a passthrough session it can watch (and mark, for fanotify). */
static enum fc_verdict e2e_setup(struct fc_ctx *ctx, const struct fc_case *c)
{
	static struct e2e_env env;
	const struct e2e_row *row = c->row;
	struct pt_session *e = &env.e;

	if (!row->w->own && watcher_missing(row->w->bin))
		return fc_skip(ctx, "%s is not installed (scripts/setup installs it)", row->w->bin);
	if (row->w->own) {
		char why[160];

		if (ku_own_missing(row->w->bin, why, sizeof(why)))
			return fc_skip(ctx, "%s", why);
	}
	env.w[0].pid = env.w[1].pid = -1;
	if (pt_session_start(ctx, e)) {
		pt_session_stop(e);
		return FC_FAIL;
	}
	if (row->w->fanotify_fid) {
		int err_mnt = fanotify_fid_refused(e->mnt), err_dir = fanotify_fid_refused(e->dir);

		if (err_mnt || err_dir) {
			pt_session_stop(e);
			return fc_skip(ctx, "fanotify with FID reporting refuses an inode mark on %s "
				       "(%s): FUSE's zero fsid needs 6.8+, tmpfs's fsid 6.7+",
				       err_mnt ? "the FUSE mount" : "tmpfs",
				       fc_errname(err_mnt ? err_mnt : err_dir));
		}
	}
	ctx->fx = &env;
	return FC_PASS;
}

/* The watchers go before the session. */
static void e2e_teardown(struct fc_ctx *ctx, const struct fc_case *c)
{
	struct e2e_env *env = ctx->fx;

	(void)c;
	for (int i = 0; i < 2; i++)
		if (env->w[i].pid >= 0)
			proc_stop(&env->w[i]);
	pt_session_stop(&env->e);
}

static const struct fc_fixture e2e_fixture = {e2e_setup, e2e_teardown};

/* ---- the run ---- */

static enum fc_verdict run_e2e(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct e2e_row *row = c->row;
	struct e2e_env *env = ctx->fx;
	struct pt_session *e = &env->e;
	struct e2e_proc *w = env->w;
	int on, nw;

	on = srv_extension_on(e->s);
	fc_log(ctx, "fsn-1 %s: %s", on ? "taken in INIT" : "not offered",
	       on ? "changes behind the mount must reach the watcher"
		  : "mainline: changes behind the mount never reach the watcher");
	/* The local reference only where it must print the row's lines. */
	nw = row->overflow ? 1 : 2;
	if (proc_start(ctx, &w[0], row->w, e->mnt, row->watch) ||
	    (nw > 1 && proc_start(ctx, &w[1], row->w, e->dir, row->watch)) ||
	    sync_watchers(ctx, e, row, w, nw, "ready", 100))
		return fc_verdict(ctx);
	if (row->overflow)
		pt_forward_pause(e->pt, 1);
	for (const struct e2e_step *st = row->steps; st->op != E2E_END; st++) {
		int err = do_step(st, row->via_mount ? e->mnt : e->dir);

		CHECK(ctx, !err, "step %d on %s: %s", st->op, st->path, fc_errname(err));
	}
	if (row->overflow) {
		int64_t end = clk_now_ms() + fc_ms(ctx, 20000);

		pt_forward_pause(e->pt, 0);
		/* The queue must drain past the overflow before the barrier can queue. */
		while (on && !pt_stats(e->pt).fan_overflows && clk_now_ms() < end)
			usleep(20 * 1000);
		if (on)
			CHECK(ctx, pt_stats(e->pt).fan_overflows == 1,
			      "the server read %llu FAN_Q_OVERFLOW, want 1",
			      (unsigned long long)pt_stats(e->pt).fan_overflows);
	}
	if (sync_watchers(ctx, e, row, w, nw, "barrier", 1))
		return fc_verdict(ctx);
	check_lines(ctx, row->w, &w[0], on ? row->want : row->want_mainline, "on the mount,",
		    row->w->ordered && !(on && row->merged));
	if (nw > 1)
		check_lines(ctx, row->w, &w[1], row->want_local ? row->want_local : row->want,
			    "on the backing directory (local),",
			    row->w->ordered);
	{
		struct pt_stats st = pt_stats(e->pt);

		fc_log(ctx, "server: %llu fanotify events, %llu records (%llu accepted, %llu "
		       "ENOENT, %llu ESTALE, %llu other)", (unsigned long long)st.fan_events,
		       (unsigned long long)st.records, (unsigned long long)st.accepted,
		       (unsigned long long)st.enoent, (unsigned long long)st.estale,
		       (unsigned long long)st.other_err);
		CHECK(ctx, !st.other_err, "the kernel refused %llu records (last: %s)",
		      (unsigned long long)st.other_err, fc_errname(st.last_err));
	}
	return fc_verdict(ctx);
}

#define AB {"a", "b", NULL}

static const struct e2e_row e2e_rows[] = {
	{ FC_ROW("inotifywait/create", "a file created behind the mount: CREATE"),
	  .w = &inotifywait, .watch = AB, .steps = {{E2E_CREATE, "a/new"}},
	  .want = "CREATE a/new" },
	{ FC_ROW("inotifywait/create_in_root",
		 "a file created in the mount's root behind the mount: CREATE (the root's "
		 "generation is the kernel's, 0)"),
	  .w = &inotifywait, .watch = {"", NULL}, .steps = {{E2E_CREATE, "new"}},
	  .want = "CREATE new" },
	{ FC_ROW("inotifywait/write", "a file written behind the mount: MODIFY"),
	  .w = &inotifywait, .watch = AB, .steps = {{E2E_APPEND, "a/f"}},
	  .want = "MODIFY a/f" },
	{ FC_ROW("inotifywait/chmod", "a file's mode changed behind the mount: ATTRIB"),
	  .w = &inotifywait, .watch = AB, .steps = {{E2E_CHMOD, "a/f"}},
	  .want = "ATTRIB a/f" },
	{ FC_ROW("inotifywait/unlink", "a file removed behind the mount: DELETE"),
	  .w = &inotifywait, .watch = AB, .steps = {{E2E_UNLINK, "a/f"}},
	  .want = "DELETE a/f" },
	{ FC_ROW("inotifywait/mkdir", "a directory made behind the mount: CREATE,ISDIR"),
	  .w = &inotifywait, .watch = AB, .steps = {{E2E_MKDIR, "a/sub"}},
	  .want = "CREATE,ISDIR a/sub" },
	{ FC_ROW("inotifywait/rename_same_dir",
		 "a rename within a directory: MOVED_FROM, MOVED_TO"),
	  .w = &inotifywait, .watch = AB, .steps = {{E2E_RENAME, "a/f", "a/g"}},
	  .want = "MOVED_FROM a/f;MOVED_TO a/g" },
	{ FC_ROW("inotifywait/rename_across_dirs", "a rename across two watched directories"),
	  .w = &inotifywait, .watch = AB, .steps = {{E2E_RENAME, "a/f", "b/f"}},
	  .want = "MOVED_FROM a/f;MOVED_TO b/f" },
	{ FC_ROW("inotifywait/rename_from_unwatched",
		 "a rename into a watched directory from one no one watches: MOVED_TO alone"),
	  .w = &inotifywait, .watch = {"b", NULL}, .steps = {{E2E_RENAME, "a/f", "b/f"}},
	  .want = "MOVED_TO b/f" },
	{ FC_ROW("inotifywait/file_self",
		 "a watched file changed behind the mount: its own events"),
	  .w = &inotifywait, .watch = {"a/f", "b", NULL}, .sync = "b", .merged = 1,
	  .steps = {{E2E_CHMOD, "a/f"}, {E2E_APPEND, "a/f"}},
	  .want = "ATTRIB a/f;MODIFY a/f" },
	/*
	 * Locally, DELETE_SELF comes when the last dentry reference goes: at the
	 * unlink for a file nobody holds (inotifywait on a tmpfs file prints
	 * ATTRIB, DELETE_SELF), at the last close otherwise.  The server holds
	 * every object the kernel looked up (an O_PATH descriptor), so the
	 * backing watcher gets no DELETE_SELF; the server says it when no link
	 * is left, as for a file nobody holds.
	 */
	{ FC_ROW("inotifywait/file_deleted",
		 "a watched file removed behind the mount: ATTRIB (no link left), DELETE_SELF"),
	  .w = &inotifywait, .watch = {"a/f", "b", NULL}, .sync = "b",
	  .steps = {{E2E_UNLINK, "a/f"}}, .want = "ATTRIB a/f;DELETE_SELF a/f",
	  .want_local = "ATTRIB a/f" },
	{ FC_ROW("inotifywait/through_the_mount_once",
		 "a change made through the mount is seen once on every kernel (fsn-1: from the "
		 "server, the local one suppressed)"),
	  .w = &inotifywait, .watch = AB, .via_mount = 1, .steps = {{E2E_APPEND, "a/f"}},
	  .want = "MODIFY a/f", .want_mainline = "MODIFY a/f" },
	{ FC_ROW("inotifywait/overflow",
		 "the server's fanotify queue overflows: exactly one IN_Q_OVERFLOW, never a "
		 "silent loss (inotifywait drops it: our watcher)"),
	  .w = &c_inotify, .watch = {"b", NULL}, .overflow = 1,
	  .steps = {{E2E_BURST_CREATE, "c"}}, .want = "Q_OVERFLOW" },
	{ FC_ROW("inotify/rename_across_dirs",
		 "a rename across two watched directories: one cookie, made by the kernel, pairs "
		 "MOVED_FROM and MOVED_TO"),
	  .w = &c_inotify, .watch = AB, .steps = {{E2E_RENAME, "a/f", "b/f"}},
	  .want = "MOVED_FROM a/f;MOVED_TO b/f" },
	/*
	 * fswatch names a close after a write "Updated" too: a file only
	 * created would be Updated locally and not on the mount (fsn-1 carries
	 * no IN_CLOSE_WRITE), so the row writes to it.
	 */
	{ FC_ROW("fswatch/create_write_rename_unlink",
		 "fswatch: a file created, written, renamed and removed behind the mount"),
	  .w = &fswatch, .watch = AB,
	  .steps = {{E2E_CREATE, "a/new"}, {E2E_APPEND, "a/new"}, {E2E_RENAME, "a/new", "a/g"},
		    {E2E_UNLINK, "a/g"}},
	  .want = "Created a/new;Updated a/new;Removed a/new;MovedFrom a/new;Created a/g;"
		  "MovedTo a/g;Removed a/g" },
	{ FC_ROW("fsnotifywait/create",
		 "fanotify with FID reporting: a file created behind the mount"),
	  .w = &fsnotifywait, .watch = AB, .steps = {{E2E_CREATE, "a/new"}},
	  .want = "CREATE a/new" },
	{ FC_ROW("fsnotifywait/rename_across_dirs",
		 "fanotify with FID reporting: a rename across two watched directories"),
	  .w = &fsnotifywait, .watch = AB, .steps = {{E2E_RENAME, "a/f", "b/f"}},
	  .want = "MOVED_FROM a/f;MOVED_TO b/f" },
	{ FC_ROW("fsnotifywait/write_chmod_unlink",
		 "fanotify with FID reporting: a file written, chmodded and removed behind the "
		 "mount"),
	  .w = &fsnotifywait, .watch = AB,
	  .steps = {{E2E_APPEND, "a/f"}, {E2E_CHMOD, "a/f"}, {E2E_UNLINK, "a/f"}},
	  .want = "MODIFY a/f;ATTRIB a/f;DELETE a/f" },
};
FC_FAMILY(e2e_family, "e2e", e2e_rows, .needs = FC_NEED_KERNEL, .labels = "kernel;e2e",
	  .timeout_ms = 60000, .run = run_e2e, .fixture = &e2e_fixture)
