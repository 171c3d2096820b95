// SPDX-License-Identifier: GPL-2.0-only
/*
 * repro_main.c - the main of every reproducer, and all that is written for
 * reproducers alone.
 *
 * `fsnc repro CASE` writes one C file: a header naming the case, the case's
 * family file as it is in cases/, the harness code it uses (amalgam.h), and
 * this main.  The case runs exactly as `fsnc run` runs it: contain_run()
 * gives it its own process, private mount namespace and deadline, aborts
 * its connections, holds enable_uring and scans the kernel log.
 *
 * ./repro [CASE]: the case the file was written for, or another row of the
 * same family.  Exit: 0 the kernel behaves as the case expects (or the
 * expected failure did not show), 1 the bug shows (a failed check, an
 * expected failure, a timeout, a kernel splat), 77 cannot run here, with
 * the reason on a "SKIP:" line; 2 no such row.
 */
#include "case.h"
#include "contain.h"
#include "transport.h"
#include "wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FSNC_PLANT
int fc_plant = 1;
#endif

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : RP_CASE, *scale_env = getenv("FSNC_TIMEOUT_SCALE");
	struct contain_opts o = {.timeout_scale = 1, .fail_nth = RP_FAIL_NTH};
	const struct fc_case *c = fc_find(name);
	struct fuse_init_in offer;
	enum fc_verdict v;
	char reason[512], buf[256];

	if (!c) {
		fprintf(stderr, "repro: no case named '%s' in this file (it carries the rows of %s's "
				"family)\n", name, RP_CASE);
		return 2;
	}
	if (scale_env && *scale_env) {
		char *end;
		unsigned long n = strtoul(scale_env, &end, 10);

		if (*end || n < 1 || n > 1000) {
			fprintf(stderr, "repro: FSNC_TIMEOUT_SCALE wants a number 1..1000, got '%s'\n",
				scale_env);
			return 2;
		}
		o.timeout_scale = (unsigned)n;
	}
	printf("# %s: %s\n", c->name, c->purpose ? c->purpose : "");
	/* As the runner: its own namespace with fusectl, the offer probed once. */
	contain_namespace();
	if (!contain_host_skip(FC_NEED_KERNEL, buf, sizeof(buf)) && contain_probe_offer(&offer) == 0)
		o.kernel_offer = &offer;
#ifdef RP_TRANSPORT_URING
	transport_select(TR_URING);
#endif
	o.uring = contain_uses_uring(c, transport_selected());
	fflush(stdout);
	v = contain_run(c, &o, reason, sizeof(reason));
	switch (v) {
	case FC_PASS:
		printf("PASS: the kernel behaves as %s expects\n", c->name);
		return 0;
	case FC_SKIP:
		printf("SKIP: %s\n", reason);
		return 77;
	case FC_XFAIL:
		printf("FAIL (expected): %s\n", reason);
		return 1;
	case FC_XPASS:
		printf("PASS, though a failure was expected (a fix?): %s\n", reason);
		return 0;
	default:
		printf("FAIL: %s\n", reason[0] ? reason : "(no message)");
		if (c->tags)
			printf("# missing kernel fix? %s\n", c->tags);
		return 1;
	}
}
