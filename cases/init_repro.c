// SPDX-License-Identifier: GPL-2.0-only
/*
 * init_repro: the init family as a reproducer.  The INIT answer comes from
 * the row (a minor, one accepted flag, an error); the steps follow
 * run_init(): skip what the kernel does not offer, then either the mount
 * must refuse every request (ECONNREFUSED) or a small workload must work.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "init_rows.h"
#include "repro.h"
#include "wire.h"

static int emit_init(struct repro_ctx *r)
{
	const struct init_row *row = r->c->row;
	static const struct repro_obj fixture[] = {
		{FUSE_ROOT_ID, "file", S_IFREG | 0644, 0, 1, INIT_FILE_INO, INIT_FILE_DATA},
	};

	repro_fixture(r, fixture, 1);
	repro_printf(r, "static void repro_case(void)\n{\n\tstruct rp_opts o = {");
	switch (row->kind) {
	case INIT_MINOR: repro_printf(r, ".minor = %u", row->minor); break;
	case INIT_FLAG: repro_printf(r, ".flags = %#x /* %s */", row->bit, row->flag_name); break;
	case INIT_FLAG2: repro_printf(r, ".flags2 = %#x /* %s */", row->bit, row->flag_name); break;
	case INIT_ERROR: repro_printf(r, ".init_error = %s", repro_errno(row->error)); break;
	}
	repro_printf(r, "%s};\n\tstruct stat st;\n\tint err;\n\n\trp_start(&o, fixture, 1);\n",
		     row->default_permissions ? ", .default_permissions = 1" : "");
	if (row->kind == INIT_MINOR)
		repro_printf(r, "\tif (rp_offer()->minor < %u)\n"
				"\t\trp_skip(\"kernel offers FUSE 7.%%u, below 7.%u\", rp_offer()->minor);\n",
			     row->minor, row->minor);
	if (row->kind == INIT_FLAG)
		repro_printf(r, "\tif (!(rp_offer()->flags & %#x))\n"
				"\t\trp_skip(\"kernel does not offer %s\");\n", row->bit, row->flag_name);
	if (row->kind == INIT_FLAG2)
		repro_printf(r, "\tif (!(rp_offer()->flags & FUSE_INIT_EXT) || !(rp_offer()->flags2 & %#x))\n"
				"\t\trp_skip(\"kernel does not offer %s\");\n", row->bit, row->flag_name);
	if (row->kind == INIT_ERROR || row->want_refused) {
		repro_printf(r, "\n\terr = stat(rp_path(NULL), &st) ? errno : 0;\n");
		if (row->why) {
			repro_printf(r, "\trp_say(\"expected refusal: %%s\", ");
			repro_cstr(r, row->why);
			repro_printf(r, ");\n");
		}
		repro_printf(r, "\trp_verify_errno(\"the INIT reply's write()\", rp.init_write_err, 0);\n"
				"\t/* a failed INIT sets conn_error: every later request fails */\n"
				"\trp_verify_errno(\"stat after the failed INIT\", err, ECONNREFUSED);\n}\n");
		return 0;
	}
	repro_printf(r, "\n\t/* A workload over the common request types: a misread INIT breaks one. */\n"
			"\terr = stat(rp_path(NULL), &st) ? errno : 0;\n"
			"\trp_verify_errno(\"stat the root\", err, 0);\n"
			"\terr = stat(rp_path(\"file\"), &st) ? errno : 0;\n"
			"\trp_verify_errno(\"stat file\", err, 0);\n"
			"\trp_verify(st.st_ino == %d, \"st_ino of file\", \"attr.ino %d\", \"%%llu\",\n"
			"\t\t  (unsigned long long)st.st_ino);\n"
			"\t{\n\t\tchar buf[64];\n\t\tint fd = open(rp_path(\"file\"), O_RDONLY);\n\n"
			"\t\trp_verify_errno(\"open file\", fd < 0 ? errno : 0, 0);\n"
			"\t\tif (fd >= 0) {\n\t\t\tssize_t n = read(fd, buf, sizeof(buf));\n\n"
			"\t\t\trp_verify(n == 5 && !memcmp(buf, \"%s\", 5), \"read file\", \"5 bytes \\\"%s\\\"\",\n"
			"\t\t\t\t  \"%%zd bytes\", n);\n\t\t\tclose(fd);\n\t\t}\n\t}\n"
			"\t{\n\t\tDIR *d = opendir(rp_path(NULL));\n\t\tstruct dirent *e;\n\t\tint seen = 0;\n\n"
			"\t\tif (rp_verify(d != NULL, \"opendir the root\", \"success\", \"%%s\",\n"
			"\t\t\t      d ? \"success\" : rp_errname(errno))) {\n"
			"\t\t\twhile ((e = readdir(d)))\n\t\t\t\tseen |= !strcmp(e->d_name, \"file\");\n"
			"\t\t\tclosedir(d);\n"
			"\t\t\trp_verify(seen, \"readdir\", \"lists \\\"file\\\"\", \"%%s\", seen ? \"it does\" : \"it does not\");\n"
			"\t\t}\n\t}\n"
			"\trp_verify(rp_count(FUSE_LOOKUP, FUSE_ROOT_ID, \"file\") >= 1, \"the server\",\n"
			"\t\t  \"a LOOKUP of \\\"file\\\"\", \"none\");\n}\n",
		     INIT_FILE_INO, INIT_FILE_INO, INIT_FILE_DATA, INIT_FILE_DATA);
	return 0;
}

REPRO_EXPORTER(init_exporter, "init", emit_init, 0)
