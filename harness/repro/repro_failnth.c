// SPDX-License-Identifier: GPL-2.0-only
/* repro_failnth.c - what exporters print for fault injection (repro_failnth.h). */
#include "repro_failnth.h"

#include <stdio.h>
#include <string.h>

void repro_armed(struct repro_ctx *r, const char *what, const char *prep, const char *call,
		 const char *want)
{
	repro_printf(r, "\t/* fail-nth %d: that injectable allocation of %s fails. */\n"
			"\t{\n\t\t%s\n\n"
			"\t\trp_fault_setup();\n"
			"\t\terr = rp_fault_arm();\n"
			"\t\tif (!rp_verify_errno(\"arming fail-nth\", err, 0))\n\t\t\treturn;\n"
			"\t\t%s\n"
			"\t\tif (rp_fault_fired()) {\n"
			"\t\t\trp_say(\"fail-nth %%d fired inside %s; the row's evidence is not checked\",\n"
			"\t\t\t       rp_fail_nth);\n"
			"\t\t\trp_verify(err == %s || err == ENOMEM, \"%s under the fault\", \"%s or ENOMEM\",\n"
			"\t\t\t\t  \"%%s\", err ? rp_errname(err) : \"success\");\n"
			"\t\t\treturn;\n\t\t}\n"
			"\t\trp_say(\"fail-nth %%d did not fire: %s makes fewer allocations\", rp_fail_nth);\n"
			"\t}\n",
		     r->fail_nth, what, prep && *prep ? prep : "/* its arguments are ready */", call, what,
		     want, what, strcmp(want, "0") ? want : "success", what);
}
