// SPDX-License-Identifier: GPL-2.0-only
/* main.c - the fsnc command line. */
#include "model.h"
#include "repro.h"
#include "runner.h"
#include "transport.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int fsnc_bench_main(int argc, char **argv) __attribute__((weak));
int serve_main(int argc, char **argv);

/*
 * The commands, each with its synopsis and options: `fsnc --help` prints
 * every synopsis, `fsnc CMD --help` (or `fsnc help CMD`) the command's own
 * text.  One table, so the two never disagree.
 */
struct command {
	const char *name;
	const char *args;    /* synopsis after the name */
	const char *summary; /* one line */
	const char *options; /* the option lines, or NULL */
};

static const char run_options[] =
	"  --exact                  selections are exact case names\n"
	"  --label L                only cases with ctest label L (kernel, unit, ...)\n"
	"  --timeout-scale N        multiply every deadline by N (slow VMs)\n"
	"  --matrix FILE.md         also write the results as a Markdown table\n"
	"  --quiet                  no summary table\n"
	"  --transport T            devfuse (default) or uring: the kernel transport for\n"
	"                           every case that needs /dev/fuse (env FSNC_TRANSPORT)\n"
	"  a selection (names, globs, families, labels) that selects no case is an error\n";

static const struct command commands[] = {
	{"list", "[--cmake] [--label L] [--exact] [sel...]",
	 "list cases (or ctest add_test lines)", NULL},
	{"run", "[options] [sel...]", "run cases: TAP 13 on stdout, a summary at the end",
	 run_options},
	{"info", "", "kernel release and the FUSE protocol it offers", NULL},
	{"bench", "[seconds]", "print harness figures (round trips, notify writes)",
	 "  seconds                  measuring time of each figure, in (0, 600]; default 2\n"},
	{"mutants", "", "list the bugs the mutation check plants in the model", NULL},
	{"repro", "CASE [-o FILE] [--profile P] [--fail-nth N] [--transport T]",
	 "write CASE as one C file: gcc -static repro.c -lpthread",
	 "  CASE@uring, --transport uring  over FUSE-over-io_uring\n"
	 "  --profile P              the @P/kernel variant of an ext/... row\n"
	 "  --fail-nth N             fail the Nth allocation of the syscall under test\n"
	 "  -o FILE                  write there instead of stdout\n"},
	{"serve", "--passthrough DIR MOUNTPOINT [-- CMD...]",
	 "serve DIR on MOUNTPOINT, forwarding DIR's changes to watchers (fsn-1)",
	 "  --passthrough DIR MNT    serve the directory DIR on MNT, in a private mount\n"
	 "                           namespace that dies with fsnc (nsenter -t PID -m)\n"
	 "  --profile fsn-1|none     take fsn-1 in INIT when offered (default), or\n"
	 "                           not (none: files only, as mainline)\n"
	 "  --verbose                each FSNOTIFY request and record on stderr\n"
	 "  -- CMD...                run CMD inside the namespace, stop when it exits\n"
	 "                           (exit status: CMD's)\n"},
	{"help", "[COMMAND]", "this text, or one command's", NULL},
};

static const char exit_codes[] = "exit: 0 pass, 1 failure, 77 every selected case skipped, "
				 "2 usage error\n";

static void usage(FILE *f)
{
	fprintf(f, "usage: fsnc <command> [options] [CASE|GLOB|FAMILY ...]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char head[128];

		snprintf(head, sizeof(head), "%s %s", commands[i].name, commands[i].args);
		if (strlen(head) > 24)
			fprintf(f, "  %s\n  %-24s %s\n", head, "", commands[i].summary);
		else
			fprintf(f, "  %-24s %s\n", head, commands[i].summary);
	}
	fprintf(f, "\nrun options:\n%s\n%s", run_options, exit_codes);
}

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* `fsnc CMD --help`: the command's own usage on stdout. */
static int command_help(const struct command *c)
{
	printf("usage: fsnc %s%s%s\n  %s\n", c->name, *c->args ? " " : "", c->args, c->summary);
	if (c->options)
		printf("\noptions:\n%s", c->options);
	if (!strcmp(c->name, "run"))
		printf("\n%s", exit_codes);
	return 0;
}

static int wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/* A decimal number in [lo, hi]: 0, or -1 for anything else. */
static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return *s && !*end && !errno && *out >= lo && *out <= hi ? 0 : -1;
}

/* `fsnc repro CASE [--profile P] [--fail-nth N] [-o FILE]` */
static int repro_command(int argc, char **argv)
{
	struct repro_opts o = {0};
	const char *name = NULL;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-o") && i + 1 < argc) {
			o.out = argv[++i];
		} else if (!strcmp(a, "--profile") && i + 1 < argc) {
			o.profile = argv[++i];
		} else if (!strcmp(a, "--transport") && i + 1 < argc) {
			o.transport = argv[++i];
			if (strcmp(o.transport, "devfuse") && strcmp(o.transport, "uring")) {
				fprintf(stderr, "fsnc: --transport wants devfuse or uring, got '%s'\n",
					o.transport);
				return 2;
			}
		} else if (!strcmp(a, "--fail-nth") && i + 1 < argc) {
			long v;

			if (parse_long(argv[++i], 1, 1000000, &v)) {
				fprintf(stderr, "fsnc: --fail-nth wants 1..1000000, got '%s'\n", argv[i]);
				return 2;
			}
			o.fail_nth = (int)v;
		} else if (a[0] == '-' || name) {
			fprintf(stderr, "fsnc: repro: unexpected '%s' (usage: fsnc repro CASE [-o FILE] "
					"[--profile P] [--fail-nth N] [--transport T])\n", a);
			return 2;
		} else {
			name = a;
		}
	}
	if (!name) {
		fprintf(stderr, "fsnc: repro needs a case name (fsnc list shows them)\n");
		return 2;
	}
	return repro_main(name, &o);
}

int main(int argc, char **argv)
{
	struct runner_opts o = {.timeout_scale = 1};
	const char *pats[256];
	const char *cmd, *transport_arg = NULL;
	int cmake = 0;
	char self[PATH_MAX];
	ssize_t sl;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "fsnc: no command (fsnc --help lists them)\n");
		return 2;
	}
	/* A runner SIGKILLed while it held enable_uring at Y: put it back. */
	uring_param_recover();
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		const char *which = argc > 2 ? argv[2] : NULL;
		const struct command *c;

		if (which && (!strcmp(which, "--help") || !strcmp(which, "-h")))
			which = "help";
		c = which ? command_find(which) : NULL;
		if (which && !c) {
			fprintf(stderr, "fsnc: help: unknown command '%s'\n", argv[2]);
			return 2;
		}
		if (c)
			return command_help(c);
		usage(stdout);
		return 0;
	}
	if (command_find(cmd) && wants_help(argc - 2, argv + 2))
		return command_help(command_find(cmd));
	if (!strcmp(cmd, "bench")) {
		if (!fsnc_bench_main) {
			fprintf(stderr, "fsnc: bench is not built in\n");
			return 2;
		}
		return fsnc_bench_main(argc - 1, argv + 1);
	}
	if (!strcmp(cmd, "info"))
		return runner_info();
	if (!strcmp(cmd, "mutants")) {
		for (int i = 1; i < MUT_COUNT; i++)
			printf("%d %s\n", i, model_mutant_name((enum model_mutant)i));
#ifdef FSNC_MUTATION
		printf("# this build honours FSNC_MUTANT=<n>\n");
#else
		printf("# this build ignores FSNC_MUTANT: use fsnc_mut\n");
#endif
		return 0;
	}
	if (!strcmp(cmd, "repro"))
		return repro_command(argc - 2, argv + 2);
	if (!strcmp(cmd, "serve"))
		return serve_main(argc - 2, argv + 2);
	if (strcmp(cmd, "list") && strcmp(cmd, "run")) {
		fprintf(stderr, "fsnc: unknown command '%s' (fsnc --help lists them)\n", cmd);
		return 2;
	}
	o.patterns = pats;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--cmake")) {
			cmake = 1;
		} else if (!strcmp(a, "--exact")) {
			o.exact = 1;
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = 1;
		} else if (!strcmp(a, "--label") && i + 1 < argc) {
			o.label = argv[++i];
		} else if (!strcmp(a, "--transport") && i + 1 < argc) {
			transport_arg = argv[++i];
		} else if (!strcmp(a, "--matrix") && i + 1 < argc) {
			o.matrix_md = argv[++i];
		} else if (!strcmp(a, "--timeout-scale") && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (*end || v < 1 || v > 100) {
				fprintf(stderr, "fsnc: --timeout-scale wants 1..100, got '%s'\n", argv[i]);
				return 2;
			}
			o.timeout_scale = (unsigned)v;
		} else if (a[0] == '-') {
			fprintf(stderr, "fsnc: unknown option '%s' (fsnc %s --help)\n", a, cmd);
			return 2;
		} else if (o.npatterns < 256) {
			pats[o.npatterns++] = a;
		}
	}
	if (!transport_arg)
		transport_arg = getenv("FSNC_TRANSPORT");
	if (transport_arg && *transport_arg) {
		o.transport = transport_parse(transport_arg);
		if (o.transport == TR_DEFAULT) {
			fprintf(stderr, "fsnc: --transport wants devfuse or uring, got '%s'\n",
				transport_arg);
			return 2;
		}
	}
	if (!strcmp(cmd, "list")) {
		sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
		self[sl > 0 ? sl : 0] = 0;
		return runner_list(&o, cmake, self);
	}
	{
		const char *env = getenv("FSNC_TIMEOUT_SCALE");

		if (env && o.timeout_scale == 1 && atoi(env) > 0)
			o.timeout_scale = (unsigned)atoi(env);
	}
	return runner_run(&o);
}
