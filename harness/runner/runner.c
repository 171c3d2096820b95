// SPDX-License-Identifier: GPL-2.0-only
/* runner.c - case selection, isolation, deadlines, TAP and the summary. */
#include "runner.h"
#include "clock.h"
#include "isolate.h"
#include "kmsg.h"
#include "lifeline.h"
#include "reap.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_MS 30000

size_t runner_case_count(void)
{
	size_t n = 0;

	for (struct fc_family *f = fc_families(); f; f = f->next)
		n += f->count;
	return n;
}

const struct fc_case *runner_find(const char *name)
{
	for (struct fc_family *f = fc_families(); f; f = f->next)
		for (size_t i = 0; i < f->count; i++)
			if (!strcmp(f->cases[i].name, name))
				return &f->cases[i];
	return NULL;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[256], cur[256];

	if (la > 255 || lb > 255)
		return 255;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(size_t) * (lb + 1));
	}
	return prev[lb];
}

int runner_suggestions(const char *name, const char **out, int max)
{
	const struct fc_case *best[3] = {0};
	size_t bestd[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
	int n = 0;

	for (struct fc_family *f = fc_families(); f; f = f->next)
		for (size_t i = 0; i < f->count; i++) {
			const struct fc_case *c = &f->cases[i];
			size_t d = edit_distance(name, c->name);

			if (strstr(c->name, name))
				d = d / 2;
			for (int k = 0; k < 3; k++)
				if (d < bestd[k]) {
					for (int m = 2; m > k; m--) {
						bestd[m] = bestd[m - 1];
						best[m] = best[m - 1];
					}
					bestd[k] = d;
					best[k] = c;
					break;
				}
		}
	for (int k = 0; k < 3 && k < max && best[k]; k++)
		out[n++] = best[k]->name;
	return n;
}

void runner_suggest(const char *name)
{
	const char *best[3];
	int n = runner_suggestions(name, best, 3);

	if (n) {
		fprintf(stderr, "fsnc: did you mean:");
		for (int k = 0; k < n; k++)
			fprintf(stderr, " %s", best[k]);
		fprintf(stderr, "\n");
	}
}

int runner_uses_uring(const struct runner_opts *o, const struct fc_case *c)
{
	/* The uring family sets its ring up itself, whatever the run's transport. */
	if (fc_has_label(c, "uring"))
		return 1;
	return o->transport == TR_URING && (c->needs & FC_NEED_DEVFUSE);
}

static int family_of(const struct fc_case *c, const char *fam)
{
	size_t n = strlen(fam);

	return !strncmp(c->name, fam, n) && c->name[n] == '/';
}

static int selected(const struct runner_opts *o, const struct fc_case *c)
{
	/* Self-tests fail by design: they run only when named exactly. */
	if (fc_has_label(c, "selftest")) {
		for (int i = 0; i < o->npatterns; i++)
			if (!strcmp(o->patterns[i], c->name))
				return 1;
		return 0;
	}
	if (o->label && !fc_has_label(c, o->label))
		return 0;
	/* io_uring is a kernel transport: the model's cases have nothing to carry. */
	if (o->transport == TR_URING && !(c->needs & FC_NEED_DEVFUSE))
		return 0;
	if (!o->npatterns)
		return 1;
	for (int i = 0; i < o->npatterns; i++) {
		const char *p = o->patterns[i];

		if (!strcmp(p, c->name))
			return 1;
		if (o->exact)
			continue;
		if (!fnmatch(p, c->name, 0) || family_of(c, p))
			return 1;
	}
	return 0;
}

/* Patterns that select nothing are errors: a typo must not pass as "0 tests". */
static int check_patterns(const struct runner_opts *o)
{
	int bad = 0;

	for (int i = 0; i < o->npatterns; i++) {
		struct runner_opts one = *o;
		int hit = 0;

		one.patterns = &o->patterns[i];
		one.npatterns = 1;
		one.label = NULL;
		for (struct fc_family *f = fc_families(); f && !hit; f = f->next)
			for (size_t k = 0; k < f->count && !hit; k++)
				hit = selected(&one, &f->cases[k]);
		if (!hit) {
			fprintf(stderr, "fsnc: no case matches '%s'\n", o->patterns[i]);
			runner_suggest(o->patterns[i]);
			bad = 1;
		}
	}
	return bad;
}

/*
 * A selection that selects no case is an error too (a label with a typo, a
 * family the transport does not carry): one line that says what was asked.
 */
static int empty_selection(const struct runner_opts *o, size_t n)
{
	char what[512];
	size_t w = 0;

	if (n)
		return 0;
	what[0] = 0;
	for (int i = 0; i < o->npatterns && w < sizeof(what) - 64; i++)
		w += (size_t)snprintf(what + w, sizeof(what) - w, "%s'%s'", i ? " " : "",
				      o->patterns[i]);
	if (o->label && w < sizeof(what) - 64)
		w += (size_t)snprintf(what + w, sizeof(what) - w, "%slabel '%s'", w ? ", " : "",
				      o->label);
	if (o->transport == TR_URING && w < sizeof(what) - 64)
		snprintf(what + w, sizeof(what) - w, "%s--transport uring (only cases that "
			 "need /dev/fuse)", w ? ", " : "");
	fprintf(stderr, "fsnc: no case selected by %s\n", what[0] ? what : "(nothing)");
	return 1;
}

static void list_cmake(const struct fc_case *c, const char *self, const char *suffix,
		       const char *args, const char *labels)
{
	printf("add_test(\"case/%s%s\" \"%s\" run --exact \"%s\"%s)\n", c->name, suffix, self,
	       c->name, args);
	/* Cases over the ring share one global module parameter: ctest -j runs
	   them one at a time (the runner's flock does the same across processes). */
	printf("math(EXPR fsnc_timeout \"%u * ${fsnc_scale} + 30\")\n",
	       (c->timeout_ms ? c->timeout_ms : DEFAULT_TIMEOUT_MS) / 1000);
	printf("set_tests_properties(\"case/%s%s\" PROPERTIES SKIP_RETURN_CODE 77 "
	       "LABELS \"case;%s%s\" TIMEOUT ${fsnc_timeout}%s%s)\n",
	       c->name, suffix, c->labels ? c->labels : "", labels,
	       (c->needs & FC_NEED_ROOT) ? " RUN_SERIAL TRUE" : "",
	       *args || fc_has_label(c, "uring") ? " RESOURCE_LOCK fsnc_enable_uring" : "");
}

int runner_list(const struct runner_opts *opts, int cmake, const char *self)
{
	struct runner_opts lo = *opts;
	const struct runner_opts *o = &lo;

	/* ctest gets every case, and the kernel ones a second time over io_uring. */
	if (cmake)
		lo.transport = TR_DEFAULT;
	if (check_patterns(o))
		return 2;
	/* ctest reads this file when it runs: its kill comes after the case's
	 * own deadline, which FSNC_TIMEOUT_SCALE stretches (a VM under TCG),
	 * so the runner, not ctest, aborts a hung connection. */
	{
		size_t n = 0;

		for (struct fc_family *f = fc_families(); f; f = f->next)
			for (size_t i = 0; i < f->count; i++)
				n += selected(o, &f->cases[i]);
		if (empty_selection(o, n))
			return 2;
	}
	if (cmake)
		printf("set(fsnc_scale 1)\nif(\"$ENV{FSNC_TIMEOUT_SCALE}\" MATCHES \"^([1-9][0-9]?|100)$\")\n"
		       "  set(fsnc_scale $ENV{FSNC_TIMEOUT_SCALE})\nendif()\n");
	for (struct fc_family *f = fc_families(); f; f = f->next)
		for (size_t i = 0; i < f->count; i++) {
			const struct fc_case *c = &f->cases[i];

			if (!selected(o, c))
				continue;
			if (!cmake) {
				printf("%-48s [%s] %s\n", c->name, c->labels ? c->labels : "",
				       c->purpose ? c->purpose : "");
				continue;
			}
			/* One ctest test per case; kernel cases run serially because they
			 * share the kernel log and drop caches. */
			list_cmake(c, self, "", "", "");
			/* Kernel cases again over io_uring: same case, other transport. */
			if ((c->needs & FC_NEED_DEVFUSE) && !fc_has_label(c, "uring") &&
			    !fc_has_label(c, "selftest"))
				list_cmake(c, self, "@uring", " --transport uring", ";uring");
		}
	return 0;
}

const char *runner_host_skip(unsigned needs, char *buf, size_t cap)
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

/* The kernel's INIT offer, probed once per run (print_kernel) and inherited by every case. */
static struct fuse_init_in kernel_offer;
static int have_kernel_offer;

/* The child: private mount namespace, its lifeline to the runner, then the case. */
static void child_main(const struct fc_case *c, struct fc_shared *sh, unsigned scale,
		       int lifeline[2])
{
	struct fc_ctx ctx = {.c = c, .timeout_scale = scale, .shared = sh,
			     .kernel_offer = have_kernel_offer ? &kernel_offer : NULL};
	enum fc_verdict v;
	int err;

	setpgid(0, 0);
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
	v = c->run(&ctx, c);
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

struct result {
	const struct fc_case *c;
	enum fc_verdict v;
	char reason[256];
	int64_t ms;
};

static enum fc_verdict run_one(const struct fc_case *c, unsigned scale, int uring, char *reason,
			       size_t cap)
{
	struct uring_param_guard guard = {0};
	struct fc_shared *sh;
	struct kmsg_watch kw;
	char splat[256];
	int64_t deadline;
	enum fc_verdict v;
	pid_t pid;
	int status = 0, splats, lifeline[2];
	const char *why;
	char buf[256];

	reason[0] = 0;
	why = runner_host_skip(c->needs, buf, sizeof(buf));
	if (why) {
		snprintf(reason, cap, "%s", why);
		return FC_SKIP;
	}
	if (c->precheck && have_kernel_offer) {
		struct fc_ctx pre = {.c = c, .timeout_scale = scale, .kernel_offer = &kernel_offer};

		if (c->precheck(&pre, c) == FC_SKIP) {
			snprintf(reason, cap, "%s", pre.skip_reason);
			return FC_SKIP;
		}
	}
	/* Held at Y for the whole case, put back here in the parent whatever
	 * becomes of the child (timeout, signal, crash). */
	if (uring && uring_param_enable(&guard, buf, sizeof(buf))) {
		snprintf(reason, cap, "%s", buf);
		return FC_SKIP;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		snprintf(reason, cap, "mmap: %s", fc_errname(errno));
		uring_param_restore(&guard);
		return FC_FAIL;
	}
	memset(sh, 0, sizeof(*sh));
	sh->verdict = -1;
	if ((errno = lifeline_make(lifeline))) {
		snprintf(reason, cap, "pipe: %s", fc_errname(errno));
		munmap(sh, sizeof(*sh));
		uring_param_restore(&guard);
		return FC_FAIL;
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
		return FC_FAIL;
	}
	if (pid == 0) {
		/* The parameter's lock is the runner's: a case left behind by a
		 * SIGKILLed runner must not keep the next fsnc from restoring it. */
		if (guard.lock_fd > 0)
			close(guard.lock_fd);
		child_main(c, sh, scale, lifeline);
	}
	close(lifeline[0]);
	setpgid(pid, pid);
	deadline = clk_now_ms() + (int64_t)(c->timeout_ms ? c->timeout_ms : DEFAULT_TIMEOUT_MS) * scale;
	if (reap_by(pid, deadline, &status)) {
		/* Abort first: a task blocked on the dead server ignores SIGKILL
		 * until the connection goes. */
		abort_conns(sh);
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		snprintf(reason, cap, "timeout after %lld ms",
			 (long long)(c->timeout_ms ? c->timeout_ms : DEFAULT_TIMEOUT_MS) * scale);
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
	return v;
}

static const char *verdict_word(enum fc_verdict v)
{
	switch (v) {
	case FC_PASS: return "pass";
	case FC_FAIL: return "FAIL";
	case FC_XFAIL: return "xfail";
	case FC_XPASS: return "XPASS";
	case FC_SKIP: return "skip";
	}
	return "?";
}

static void family_name(const char *name, char *out, size_t cap)
{
	const char *slash = strchr(name, '/');

	/* "ext/lifecycle/row@..." belongs to "ext/lifecycle". */
	if (slash && !strncmp(name, "ext/", 4) && strchr(slash + 1, '/'))
		slash = strchr(slash + 1, '/');
	size_t n = slash ? (size_t)(slash - name) : strlen(name);

	if (n >= cap)
		n = cap - 1;
	memcpy(out, name, n);
	out[n] = 0;
}

/* Skips and expected failures, one line per distinct reason: a count and an example. */
static void print_grouped(const struct result *res, size_t n, enum fc_verdict v, const char *word)
{
	for (size_t i = 0; i < n; i++) {
		unsigned count = 0;
		int seen = 0;

		if (res[i].v != v)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = res[j].v == v && !strcmp(res[j].reason, res[i].reason);
		if (seen)
			continue;
		for (size_t j = i; j < n; j++)
			count += res[j].v == v && !strcmp(res[j].reason, res[i].reason);
		if (count == 1)
			printf("# %s %s: %s\n", word, res[i].c->name, res[i].reason);
		else
			printf("# %s x%u (e.g. %s): %s\n", word, count, res[i].c->name, res[i].reason);
	}
}

/* The k slowest cases, slowest first: where a run's time goes. */
static void print_slowest(const struct result *res, size_t n, size_t k)
{
	const struct result *top[16] = {0};

	if (k > 16)
		k = 16;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < k; j++)
			if (!top[j] || res[i].ms > top[j]->ms) {
				memmove(&top[j + 1], &top[j], (k - j - 1) * sizeof(top[0]));
				top[j] = &res[i];
				break;
			}
	for (size_t j = 0; j < k && top[j]; j++)
		printf("# slowest %2zu: %6.2f s %s\n", j + 1, (double)top[j]->ms / 1000.0,
		       top[j]->c->name);
}

static void print_summary(struct result *res, size_t n, int64_t wall_ms)
{
	char fams[64][32];
	unsigned cnt[64][5] = {{0}};
	size_t nf = 0;

	for (size_t i = 0; i < n; i++) {
		char fam[32];
		size_t k;
		int col;

		family_name(res[i].c->name, fam, sizeof(fam));
		for (k = 0; k < nf; k++)
			if (!strcmp(fams[k], fam))
				break;
		if (k == nf && nf < 64)
			strcpy(fams[nf++], fam);
		if (k >= 64)
			continue;
		col = res[i].v == FC_PASS ? 0 : res[i].v == FC_FAIL || res[i].v == FC_XPASS ? 1
			: res[i].v == FC_XFAIL ? 2 : 3;
		cnt[k][col]++;
		cnt[k][4]++;
	}
	printf("#\n# %-22s %6s %6s %6s %6s %6s\n", "family", "cases", "pass", "fail", "xfail",
	       "skip");
	{
		unsigned tot[5] = {0};

		for (size_t k = 0; k < nf; k++) {
			printf("# %-22s %6u %6u %6u %6u %6u\n", fams[k], cnt[k][4], cnt[k][0],
			       cnt[k][1], cnt[k][2], cnt[k][3]);
			for (int j = 0; j < 5; j++)
				tot[j] += cnt[k][j];
		}
		printf("# %-22s %6u %6u %6u %6u %6u\n", "TOTAL", tot[4], tot[0], tot[1], tot[2],
		       tot[3]);
	}
	for (size_t i = 0; i < n; i++)
		if (res[i].v == FC_FAIL || res[i].v == FC_XPASS)
			printf("# %s %s: %s\n", verdict_word(res[i].v), res[i].c->name, res[i].reason);
	print_grouped(res, n, FC_SKIP, "skip");
	print_grouped(res, n, FC_XFAIL, "xfail");
	print_slowest(res, n, 10);
	printf("# wall time %.1f s\n", (double)wall_ms / 1000.0);
}

/*
 * The conformance matrix.  Variant cases are named "row@profile/backend";
 * they become one line per row and one column per profile and backend.
 * Other cases get a plain table.  Reasons (skips, expected failures,
 * failures) are numbered footnotes, so a cell stays short.
 */
static const char *const matrix_short[] = {
	"rfc/m", "gen/m", "fsn1/m", "rfc/k", "gen/k", "fsn1/k",
};
static const char *const matrix_cols[] = {
	"rfc-2021/model", "gen-2021/model", "fsn-1/model",
	"rfc-2021/kernel", "gen-2021/kernel", "fsn-1/kernel",
};
#define NCOLS (sizeof(matrix_cols) / sizeof(matrix_cols[0]))

struct footnotes {
	const char *text[256];
	int n;
};

static int footnote(struct footnotes *fn, const char *reason)
{
	for (int i = 0; i < fn->n; i++)
		if (!strcmp(fn->text[i], reason))
			return i + 1;
	if (fn->n == 256)
		return 0;
	fn->text[fn->n++] = reason;
	return fn->n;
}

static void cell(FILE *f, struct footnotes *fn, const struct result *r)
{
	int k = r->v == FC_PASS || !r->reason[0] ? 0 : footnote(fn, r->reason);

	if (k)
		fprintf(f, " %s [%d] |", verdict_word(r->v), k);
	else
		fprintf(f, " %s |", verdict_word(r->v));
}

static void matrix(FILE *f, const struct result *res, size_t n, int markdown)
{
	static struct footnotes fn;
	const char *sep = markdown ? "|" : "";

	fn.n = 0;
	if (markdown) {
		fprintf(f, "| case |");
		for (size_t c = 0; c < NCOLS; c++)
			fprintf(f, " %s |", matrix_cols[c]);
		fprintf(f, "\n|---|");
		for (size_t c = 0; c < NCOLS; c++)
			fprintf(f, "---|");
		fprintf(f, "\n");
	}
	for (size_t i = 0; i < n; i++) {
		const char *at = strchr(res[i].c->name, '@');
		size_t base = at ? (size_t)(at - res[i].c->name) : 0;
		int first = 1;

		if (!at)
			continue;
		/* Print a row once, at its first variant. */
		for (size_t j = 0; j < i; j++)
			if (!strncmp(res[j].c->name, res[i].c->name, base + 1))
				first = 0;
		if (!first)
			continue;
		if (markdown)
			fprintf(f, "| `%.*s` |", (int)base, res[i].c->name);
		else
			fprintf(f, "# %-46.*s", (int)base, res[i].c->name);
		for (size_t c = 0; c < NCOLS; c++) {
			const struct result *r = NULL;

			for (size_t j = i; j < n && !r; j++)
				if (!strncmp(res[j].c->name, res[i].c->name, base + 1) &&
				    !strcmp(res[j].c->name + base + 1, matrix_cols[c]))
					r = &res[j];
			if (!r)
				fprintf(f, markdown ? " - |" : " %-6s", "-");
			else if (markdown)
				cell(f, &fn, r);
			else
				fprintf(f, " %-6s", verdict_word(r->v));
		}
		fprintf(f, "%s\n", markdown ? "" : sep);
	}
	if (markdown) {
		int plain = 0;

		for (size_t i = 0; i < n; i++) {
			if (strchr(res[i].c->name, '@'))
				continue;
			if (!plain++)
				fprintf(f, "\n| case (running kernel only) | verdict |\n|---|---|\n");
			fprintf(f, "| `%s` |", res[i].c->name);
			cell(f, &fn, &res[i]);
			fprintf(f, "\n");
		}
		if (fn.n)
			fprintf(f, "\n");
		for (int k = 0; k < fn.n; k++)
			fprintf(f, "%d. %s\n", k + 1, fn.text[k]);
	}
}

static void write_matrix(const char *path, struct result *res, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "fsnc: cannot write %s: %s\n", path, strerror(errno));
		return;
	}
	matrix(f, res, n, 1);
	fclose(f);
}

int runner_probe_offer(struct fuse_init_in *in)
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

/* Kernel release and offered protocol, as TAP comments; probes with a mount. */
static void print_kernel(void)
{
	struct utsname u;
	char buf[256];

	uname(&u);
	printf("# kernel: %s %s %s\n", u.sysname, u.release, u.machine);
	if (runner_host_skip(FC_NEED_KERNEL, buf, sizeof(buf))) {
		printf("# FUSE protocol offered: unknown (%s)\n", buf);
		return;
	}
	if (runner_probe_offer(&kernel_offer) == 0) {
		have_kernel_offer = 1;
		printf("# FUSE protocol offered: 7.%u flags 0x%08x flags2 0x%08x\n",
		       kernel_offer.minor, kernel_offer.flags, kernel_offer.flags2);
	} else {
		printf("# FUSE protocol offered: probe failed\n");
	}
}

/* Whether this kernel can carry FUSE over io_uring, without changing anything. */
static void print_uring(void)
{
	int on = 0, err = uring_param_get(&on);

	if (err == ENOENT)
		printf("# FUSE over io_uring: absent (no enable_uring parameter)\n");
	else if (err)
		printf("# FUSE over io_uring: enable_uring unreadable (%s)\n", fc_errname(err));
	else
		printf("# FUSE over io_uring: enable_uring=%c%s\n", on ? 'Y' : 'N',
		       access("/sys/module/fuse/parameters/enable_uring", W_OK) ? " (read-only)" : "");
}

int runner_info(void)
{
	print_kernel();
	print_uring();
	return 0;
}

/* The runner's own namespace: fusectl mounted privately so aborts work. */
static void prepare_namespace(void)
{
	if (geteuid() != 0)
		return;
	if (iso_private_mounts() == 0)
		iso_mount_fusectl();
}

int runner_run(const struct runner_opts *o)
{
	size_t total = runner_case_count(), n = 0, idx = 0;
	struct result *res;
	unsigned nfail = 0, nskip = 0;
	int64_t t0 = clk_now_ms();

	if (check_patterns(o))
		return 2;
	res = calloc(total ? total : 1, sizeof(*res));
	if (!res)
		return 1;
	for (struct fc_family *f = fc_families(); f; f = f->next)
		for (size_t i = 0; i < f->count; i++)
			if (selected(o, &f->cases[i]))
				res[n++].c = &f->cases[i];
	if (empty_selection(o, n)) {
		free(res);
		return 2;
	}
	prepare_namespace();
	printf("TAP version 13\n1..%zu\n", n);
	print_kernel();
	/* After the probe, which always speaks /dev/fuse. */
	transport_select(o->transport);
	printf("# transport: %s\n", transport_kind_name(transport_selected()));
	if (transport_selected() == TR_URING)
		print_uring();
	for (idx = 0; idx < n; idx++) {
		struct result *r = &res[idx];
		int64_t t = clk_now_ms();

		printf("# --- %s: %s\n", r->c->name, r->c->purpose ? r->c->purpose : "");
		r->v = run_one(r->c, o->timeout_scale ? o->timeout_scale : 1,
			       runner_uses_uring(o, r->c), r->reason, sizeof(r->reason));
		r->ms = clk_now_ms() - t;
		switch (r->v) {
		case FC_PASS:
			printf("ok %zu %s\n", idx + 1, r->c->name);
			break;
		case FC_SKIP:
			printf("ok %zu %s # SKIP %s\n", idx + 1, r->c->name, r->reason);
			nskip++;
			break;
		case FC_XFAIL:
			printf("not ok %zu %s # TODO expected failure: %s\n", idx + 1, r->c->name,
			       r->reason);
			break;
		case FC_XPASS:
			printf("not ok %zu %s # unexpectedly passed (a fix?): %s\n", idx + 1,
			       r->c->name, r->reason);
			nfail++;
			break;
		default:
			printf("not ok %zu %s # %s\n", idx + 1, r->c->name, r->reason);
			nfail++;
			break;
		}
		fflush(stdout);
	}
	if (!o->quiet) {
		int variants = 0;

		for (size_t i = 0; i < n; i++)
			variants |= strchr(res[i].c->name, '@') != NULL;
		if (variants) {
			printf("#\n# %-46s", "conformance matrix");
			for (size_t c = 0; c < NCOLS; c++)
				printf(" %-6s", matrix_short[c]);
			printf("\n");
			matrix(stdout, res, n, 0);
		}
		print_summary(res, n, clk_now_ms() - t0);
	}
	if (o->matrix_md)
		write_matrix(o->matrix_md, res, n);
	free(res);
	if (nfail)
		return 1;
	return n && nskip == n ? 77 : 0;
}
