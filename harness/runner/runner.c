// SPDX-License-Identifier: GPL-2.0-only
/* runner.c - case selection, isolation, deadlines, TAP and the summary. */
#include "runner.h"
#include "clock.h"
#include "contain.h"
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


size_t runner_case_count(void)
{
	size_t n = 0;

	for (struct fc_family *f = fc_families(); f; f = f->next)
		n += f->count;
	return n;
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
	/* A case on the kernel (a FUSE mount, root, drop_caches, the kernel log)
	   holds ctest's "kernel" lock, as every kernel-touching test does
	   (CMakeLists.txt): ctest -j runs them one at a time, and the model
	   cases, which need nothing from the host, beside them. */
	int kernel = (c->needs & (FC_NEED_KERNEL | FC_NEED_DROP_CACHES | FC_NEED_KMSG_WRITE)) ||
		     fc_has_label(c, "kernel");
	/* Cases over the ring share one global module parameter: ctest -j runs
	   them one at a time (the runner's flock does the same across processes). */
	int uring = *args || fc_has_label(c, "uring");

	printf("add_test(\"case/%s%s\" \"%s\" run --exact \"%s\"%s)\n", c->name, suffix, self,
	       c->name, args);
	printf("math(EXPR fsnc_timeout \"%u * ${fsnc_scale} + 30\")\n",
	       (c->timeout_ms ? c->timeout_ms : CONTAIN_DEFAULT_TIMEOUT_MS) / 1000);
	printf("set_tests_properties(\"case/%s%s\" PROPERTIES SKIP_RETURN_CODE 77 "
	       "LABELS \"case;%s%s\" TIMEOUT ${fsnc_timeout}%s)\n",
	       c->name, suffix, c->labels ? c->labels : "", labels,
	       kernel && uring ? " RESOURCE_LOCK \"kernel;fsnc_enable_uring\""
	       : kernel        ? " RESOURCE_LOCK kernel"
	       : uring         ? " RESOURCE_LOCK fsnc_enable_uring" : "");
}

/*
 * For cmake/repro-tests.cmake: the families that have a case on the
 * kernel (a reproducer to check), from the registry itself; the runner's
 * self-tests, which fail by design, are not among them.
 */
static void list_families(const char *self)
{
	printf("set(fsnc_self \"%s\")\nset(fsnc_families", self);
	for (struct fc_family *f = fc_families(); f; f = f->next) {
		int kernel = 0;

		for (size_t i = 0; i < f->count && !kernel; i++)
			kernel = (f->cases[i].needs & FC_NEED_DEVFUSE) &&
				 !fc_has_label(&f->cases[i], "selftest");
		if (kernel)
			printf(" \"%s\"", f->name);
	}
	printf(")\n");
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
	if (cmake) {
		printf("set(fsnc_scale 1)\nif(\"$ENV{FSNC_TIMEOUT_SCALE}\" MATCHES \"^([1-9][0-9]?|100)$\")\n"
		       "  set(fsnc_scale $ENV{FSNC_TIMEOUT_SCALE})\nendif()\n");
		list_families(self);
	}
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
			/* One ctest test per case; kernel cases run one at a time (the
			 * "kernel" lock) because they share the kernel log and drop caches. */
			list_cmake(c, self, "", "", "");
			/* Kernel cases again over io_uring: same case, other transport. */
			if ((c->needs & FC_NEED_DEVFUSE) && !fc_has_label(c, "uring") &&
			    !fc_has_label(c, "selftest"))
				list_cmake(c, self, "@uring", " --transport uring", ";uring");
		}
	return 0;
}

struct result {
	const struct fc_case *c;
	enum fc_verdict v;
	char reason[256];
	int64_t ms;
};

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

/* The kernel's INIT offer, probed once per run (print_kernel) and handed to every case. */
static struct fuse_init_in kernel_offer;
static int have_kernel_offer;

/*
 * Kernel release and offered protocol, as TAP comments; probes with a mount,
 * unless probe is 0: a run of model cases only touches no FUSE mount, so
 * ctest runs it beside the kernel tests.
 */
static void print_kernel(int probe)
{
	struct utsname u;
	char buf[256];

	uname(&u);
	printf("# kernel: %s %s %s\n", u.sysname, u.release, u.machine);
	if (!probe) {
		printf("# FUSE protocol offered: not probed (no selected case needs the kernel)\n");
		return;
	}
	if (contain_host_skip(FC_NEED_KERNEL, buf, sizeof(buf))) {
		printf("# FUSE protocol offered: unknown (%s)\n", buf);
		return;
	}
	if (contain_probe_offer(&kernel_offer) == 0) {
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
	print_kernel(1);
	print_uring();
	return 0;
}

int runner_run(const struct runner_opts *o)
{
	size_t total = runner_case_count(), n = 0, idx = 0;
	struct result *res;
	unsigned nfail = 0, nskip = 0;
	int64_t t0 = clk_now_ms();
	int kernel = 0;

	if (check_patterns(o))
		return 2;
	res = calloc(total ? total : 1, sizeof(*res));
	if (!res)
		return 1;
	for (struct fc_family *f = fc_families(); f; f = f->next)
		for (size_t i = 0; i < f->count; i++)
			if (selected(o, &f->cases[i])) {
				res[n++].c = &f->cases[i];
				kernel |= (f->cases[i].needs & FC_NEED_KERNEL) != 0;
			}
	if (empty_selection(o, n)) {
		free(res);
		return 2;
	}
	/* Only a run with a kernel case mounts anything: fusectl, the INIT probe. */
	if (kernel)
		contain_namespace();
	printf("TAP version 13\n1..%zu\n", n);
	print_kernel(kernel);
	/* After the probe, which always speaks /dev/fuse. */
	transport_select(o->transport);
	printf("# transport: %s\n", transport_kind_name(transport_selected()));
	if (transport_selected() == TR_URING)
		print_uring();
	for (idx = 0; idx < n; idx++) {
		struct result *r = &res[idx];
		int64_t t = clk_now_ms();

		printf("# --- %s: %s\n", r->c->name, r->c->purpose ? r->c->purpose : "");
		r->v = contain_run(r->c, &(struct contain_opts){
					 .timeout_scale = o->timeout_scale ? o->timeout_scale : 1,
					 .uring = contain_uses_uring(r->c, o->transport),
					 .kernel_offer = have_kernel_offer ? &kernel_offer : NULL},
				 r->reason, sizeof(r->reason));
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
