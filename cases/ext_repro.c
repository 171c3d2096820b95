// SPDX-License-Identifier: GPL-2.0-only
/*
 * ext_repro: the kernel variants of the remote-fsnotify families (ext/...).
 * On a kernel without the extension, such a variant decides from the
 * kernel's INIT offer that the kernel does not advertise the profile, and
 * skips with the reason.  The reproducer does exactly that on the kernel it
 * runs on: it mounts, reads the offer, and exits 77 with the runner's
 * reason (the same format strings, ext_common.h).  On a kernel that offers
 * the profile's bit (the fsn-1 reference kernel of kernel/), the runner
 * runs the row through its kernel client (harness/client/fsn_client.c), which this
 * printer does not restate: the reproducer says so and exits 77.
 *
 * A declined variant (ext/kdiff's control) runs on every kernel: its server
 * declines fsn-1 and every record must be an unknown notify code.  Its
 * reproducer writes one valid record to such a connection and wants EINVAL,
 * the first property of the case on its first kind of message (the case
 * writes 2000 mutants; the runner shows them).
 */
#include <errno.h>
#include <stdio.h>

#include "ext_common.h"
#include "fsn_codec.h"
#include "wire.h"
#include "repro.h"

/* minor, profile */
#define EXT_REPRO_NO_CLIENT_FMT                                                         \
	"kernel FUSE 7.%u offers %s's INIT bit: run the case with fsnc run; this reproducer " \
	"does not carry the kernel client of the ext families"

static int emit_declined(struct repro_ctx *r, const struct fsn_profile *p)
{
	struct fsn_notify n = {.kind = FSN_REC_EVENT, .nodeid = 9, .generation = 1,
			       .mask = 0x2 /* IN_MODIFY */};
	uint8_t payload[128], msg[256];
	size_t plen = fsn_encode_notify(p, &n, payload, sizeof(payload)), len;

	len = fw_notify_encode(msg, sizeof(msg), p->notify_code, payload, plen);
	if (!plen || !len)
		return EINVAL;
	repro_printf(r, "/* A valid %s EVENT (IN_MODIFY on nodeid 9, generation 1), notify code %d. */\n",
		     p->name, p->notify_code);
	repro_bytes(r, "msg", msg, len);
	repro_printf(r, "\nstatic void repro_case(void)\n{\n\tstruct rp_opts o = {0};\n\tint err;\n\n"
			"\t/* The server takes nothing of %s in INIT. */\n"
			"\trp_start(&o, NULL, 0);\n"
			"\terr = rp_notify(msg, sizeof(msg), 2000);\n"
			"\trp_verify_errno(\"a %s record on a connection that declined it\", err, EINVAL);\n"
			"}\n", p->name, p->name);
	return 0;
}

static int emit_ext(struct repro_ctx *r)
{
	const struct ext_variant *v = r->c->row;
	const struct fsn_profile *p = fsn_profile_by_name(v->profile);
	const char *word;
	int mainline;

	if (!p || v->backend != EXT_KERNEL)
		return EINVAL;
	if (v->declined)
		return emit_declined(r, p);
	word = p->init_word == FSN_INIT_FLAGS ? "flags" : "flags2";
	mainline = fsn_mainline_takes(p->init_word == FSN_INIT_FLAGS ? FSN_NUM_INIT_FLAG
								     : FSN_NUM_INIT_FLAG2, p->init_bit);
	repro_printf(r, "static void repro_case(void)\n{\n"
			"\tstruct rp_opts o = {0};\n\tunsigned minor;\n\tint has;\n\n"
			"\t/* What the kernel offers in INIT decides whether it has the %s extension. */\n"
			"\trp_start(&o, NULL, 0);\n\tminor = rp_offer()->minor;\n"
			"\thas = (rp_offer()->%s & %#x) != 0;\n",
		     p->name, word, p->init_bit);
	repro_printf(r, "\t/* fsnc's table of mainline numbers: %s bit %#x is %s in mainline */\n"
			"\tif (has && %d)\n\t\trp_skip(", word, p->init_bit, mainline ? "taken" : "free",
		     mainline);
	repro_cstr(r, EXT_SKIP_MAINLINE_FMT);
	repro_printf(r, ",\n\t\t\tminor, \"%s\", %#x, \"%s\", \"%s\");\n", p->name, p->init_bit, word,
		     p->init_bit == FUSE_INIT_EXT ? "FUSE_INIT_EXT" : "taken");
	repro_printf(r, "\tif (!has)\n\t\trp_skip(");
	repro_cstr(r, EXT_SKIP_NOT_OFFERED_FMT);
	repro_printf(r, ",\n\t\t\tminor, \"%s\", \"%s\", %#x);\n", p->name, word, p->init_bit);
	repro_printf(r, "\trp_skip(");
	repro_cstr(r, EXT_REPRO_NO_CLIENT_FMT);
	repro_printf(r, ",\n\t\tminor, \"%s\");\n}\n", p->name);
	return 0;
}

REPRO_EXPORTER(ext_exporter, "ext/", emit_ext, 0)
