// SPDX-License-Identifier: GPL-2.0-only
/* repro_failnth.c - what exporters print for fault injection (repro_failnth.h). */
#include "repro_failnth.h"

#include <stdio.h>

void repro_failnth_runtime(struct repro_ctx *r)
{
	fputs(repro_failnth_text, r->f);
	fputs("\n", r->f);
}

void repro_armed(struct repro_ctx *r, const char *what, const char *call, const char *want)
{
	if (!r->fail_nth) {
		repro_printf(r, "\t%s\n", call);
		return;
	}
	repro_printf(r, "\t/* fail-nth %d: that injectable allocation of %s fails. */\n"
			"\trp_fault_setup();\n"
			"\terr = rp_fault_arm();\n"
			"\tif (!rp_verify_errno(\"arming fail-nth\", err, 0))\n\t\treturn;\n"
			"\t%s\n"
			"\tif (rp_fault_fired()) {\n"
			"\t\trp_say(\"fail-nth %%d fired inside %s; the row's evidence is not checked\",\n"
			"\t\t       rp_fail_nth);\n"
			"\t\trp_verify(err == %s || err == ENOMEM, \"%s under the fault\", \"%s or ENOMEM\",\n"
			"\t\t\t  \"%%s\", err ? rp_errname(err) : \"success\");\n"
			"\t\treturn;\n\t}\n"
			"\trp_say(\"fail-nth %%d did not fire: %s makes fewer allocations\", rp_fail_nth);\n",
		     r->fail_nth, what, call, what, want, what, want[0] == '0' && !want[1] ? "success" : want, what);
}
