// SPDX-License-Identifier: GPL-2.0-only
/* repro.c - the reproducer writer: metadata, the runtime, the family's exporter. */
#include "repro.h"
#include "repro_failnth.h"
#include "runner.h"
#include "wire.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The runner's deadline for a case that names none (runner.c). */
#define REPRO_DEFAULT_TIMEOUT_MS 30000

static struct repro_exporter *exporters;

void repro_register(struct repro_exporter *x)
{
	x->next = exporters;
	exporters = x;
}

void repro_printf(struct repro_ctx *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(r->f, fmt, ap);
	va_end(ap);
}

void repro_cstr(struct repro_ctx *r, const char *s)
{
	fputc('"', r->f);
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(r->f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", r->f);
		else if (ch < 0x20 || ch >= 0x7f)
			fprintf(r->f, "\\%03o", ch);
		else
			fputc(ch, r->f);
	}
	fputc('"', r->f);
}

void repro_bytes(struct repro_ctx *r, const char *name, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	fprintf(r->f, "static const unsigned char %s[%zu] = {", name, len ? len : 1);
	for (size_t i = 0; i < len; i++)
		fprintf(r->f, "%s0x%02x,", i % 12 ? " " : "\n\t", p[i]);
	fprintf(r->f, "%s};\n", len ? "\n" : "0");
}

const char *repro_errno(int e)
{
	const char *n = fc_errname(e);

	/* fc_errname() names what it knows; anything else is printed as a number. */
	if (e == 0 || (e > 0 && n[0] == 'E' && n[1] >= 'A' && n[1] <= 'Z'))
		return e == 0 ? "0" : n;
	{
		static __thread char buf[16];

		snprintf(buf, sizeof(buf), "%d", e);
		return buf;
	}
}

const char *repro_opcode(uint32_t opcode)
{
	static __thread char buf[4][48];
	static __thread int next;
	char *b = buf[next++ & 3];
	const char *n = fw_opcode_name(opcode);

	if (opcode != 4096 && strcmp(n, "?"))
		snprintf(b, 48, "FUSE_%s", n);
	else
		snprintf(b, 48, "%u", opcode);
	return b;
}

const char *repro_mode(mode_t mode)
{
	static __thread char buf[4][32];
	static __thread int next;
	char *b = buf[next++ & 3];
	const char *t = S_ISDIR(mode) ? "S_IFDIR" : S_ISLNK(mode) ? "S_IFLNK" : "S_IFREG";

	snprintf(b, 32, "%s | 0%o", t, (unsigned)(mode & 07777));
	return b;
}

void repro_fixture(struct repro_ctx *r, const struct repro_obj *objs, int n)
{
	repro_printf(r, "/* The tree the server serves: parent, name, mode, nodeid (0: next free), "
			"generation, attr.ino (0: the nodeid), data */\n"
			"static const struct rp_obj fixture[] = {\n");
	for (int i = 0; i < n; i++) {
		repro_printf(r, "\t{ %llu, ", (unsigned long long)objs[i].parent);
		repro_cstr(r, objs[i].name);
		repro_printf(r, ", %s, %#llx, %#llx, %#llx, ", repro_mode(objs[i].mode),
			     (unsigned long long)objs[i].nodeid, (unsigned long long)objs[i].generation,
			     (unsigned long long)objs[i].ino);
		if (objs[i].data)
			repro_cstr(r, objs[i].data);
		else
			repro_printf(r, "NULL");
		repro_printf(r, " },\n");
	}
	repro_printf(r, "};\n\n");
}

/* ---- the command ---- */

static const struct fc_family *family_of(const struct fc_case *c)
{
	for (struct fc_family *f = fc_families(); f; f = f->next)
		if (c >= f->cases && c < f->cases + f->count)
			return f;
	return NULL;
}

static const struct repro_exporter *exporter_for(const char *family)
{
	for (const struct repro_exporter *x = exporters; x; x = x->next) {
		size_t n = strlen(x->family);

		if (!strcmp(x->family, family) ||
		    (n && x->family[n - 1] == '/' && !strncmp(x->family, family, n)))
			return x;
	}
	return NULL;
}

/* A comment line must not end the comment. */
static void comment_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		fputc(*s, f);
		if (*s == '*' && s[1] == '/')
			fputc(' ', f);
	}
}

static void write_prologue(struct repro_ctx *r, const char *profile)
{
	const struct fc_case *c = r->c;
	struct fuse_init_in offer;
	struct utsname u;
	FILE *f = r->f;

	uname(&u);
	fprintf(f, "/*\n * fsnc reproducer: ");
	comment_text(f, c->name);
	fprintf(f, "\n *\n * purpose:   ");
	comment_text(f, c->purpose);
	fprintf(f, "\n * labels:    ");
	comment_text(f, c->labels);
	fprintf(f, "\n * generated: on Linux %s %s, ", u.release, u.machine);
	if (geteuid() == 0 && runner_probe_offer(&offer) == 0)
		fprintf(f, "FUSE protocol offered 7.%u (flags 0x%08x flags2 0x%08x)\n", offer.minor,
			offer.flags, offer.flags2);
	else
		fprintf(f, "FUSE protocol unknown (not probed: needs root and /dev/fuse)\n");
	fprintf(f, " * profile:   %s\n", profile ? profile : "none (mainline FUSE; no extension profile)");
	if (r->uring)
		fprintf(f, " * transport: FUSE over io_uring: sets enable_uring to Y while it runs and puts it\n"
			   " *            back; raw io_uring syscalls (no liburing), built with <linux/io_uring.h>\n"
			   " *            from Linux 6.0+ headers (IORING_SETUP_SQE128, IORING_OP_URING_CMD)\n");
	else
		fprintf(f, " * transport: /dev/fuse read()/write()\n");
	if (r->fail_nth)
		fprintf(f, " * fail-nth:  %d: the %d%s allocation of the syscall under test fails "
			   "(/proc/thread-self/fail-nth)\n", r->fail_nth, r->fail_nth,
			r->fail_nth == 1 ? "st" : r->fail_nth == 2 ? "nd" : r->fail_nth == 3 ? "rd" : "th");
	else if (fc_has_label(c, "failnth"))
		fprintf(f, " * fail-nth:  swept: N = 1, 2, ... over the syscall under test, "
			   "until one it does not reach\n");
	else
		fprintf(f, " * fail-nth:  0 (no fault injection)\n");
	fprintf(f, " * fix:       ");
	comment_text(f, c->tags ? c->tags : "none named (the case guards no known kernel fix)");
	fprintf(f, "\n *\n"
		   " * Build: gcc -Wall -static repro.c -lpthread -o repro\n"
		   " * Run:   ./repro   as root; FSNC_TIMEOUT_SCALE=N stretches every deadline\n"
		   " * Exit:  0 the kernel behaves as the case expects, 1 the bug shows,\n"
		   " *        77 cannot run here (the reason is printed)\n"
		   " * Generated by `fsnc repro`; the steps below come from the case's row.\n"
		   " */\n");
	fprintf(f, "#define RP_CASE ");
	repro_cstr(r, c->name);
	fprintf(f, "\n#define RP_PURPOSE ");
	repro_cstr(r, c->purpose);
	fprintf(f, "\n#define RP_FIX ");
	repro_cstr(r, c->tags ? c->tags : "");
	fprintf(f, "\n#define RP_TIMEOUT_MS %u\n#define RP_FAIL_NTH %d\n",
		c->timeout_ms ? c->timeout_ms : REPRO_DEFAULT_TIMEOUT_MS, r->fail_nth);
	if (r->uring)
		fprintf(f, "#define RP_TRANSPORT_URING 1\n");
	fprintf(f, "\n");
}

#define URING_SUFFIX "@uring"

/*
 * Whether the file carries the ring, as `fsnc run` would run the case:
 * NAME@uring (the ctest variant) or --transport uring for a case on
 * /dev/fuse; always for the uring family, which sets its ring up itself
 * (runner_uses_uring()).  -1 with a one-line error when there is no such
 * variant.
 */
static int wants_uring(const struct fc_case *c, int suffix, const char *transport)
{
	int ring = suffix || (transport && !strcmp(transport, "uring"));

	if (suffix && transport && strcmp(transport, "uring")) {
		fprintf(stderr, "fsnc: %s%s is the io_uring variant, not --transport %s\n", c->name,
			URING_SUFFIX, transport);
		return -1;
	}
	if (fc_has_label(c, "uring")) {
		if (transport && !strcmp(transport, "devfuse")) {
			fprintf(stderr, "fsnc: %s sets up its own ring: it has no /dev/fuse variant\n",
				c->name);
			return -1;
		}
		return 1;
	}
	if (ring && !(c->needs & FC_NEED_DEVFUSE)) {
		fprintf(stderr, "fsnc: %s does not run on /dev/fuse, so it has no io_uring variant\n",
			c->name);
		return -1;
	}
	return ring;
}

/* The profile a variant name carries ("row@fsn-1/kernel" -> "fsn-1"), in buf. */
static const char *variant_profile(const char *name, char *buf, size_t cap)
{
	const char *at = strchr(name, '@'), *slash;

	if (!at)
		return NULL;
	slash = strchr(at, '/');
	snprintf(buf, cap, "%.*s", (int)(slash ? slash - at - 1 : (long)strlen(at + 1)), at + 1);
	return buf;
}

static const struct fc_case *resolve(const char *name, const struct repro_opts *o)
{
	const struct fc_case *c = runner_find(name);
	char v[256];

	if (!c && o->profile && !strchr(name, '@')) {
		snprintf(v, sizeof(v), "%s@%s/kernel", name, o->profile);
		c = runner_find(v);
	}
	if (!c) {
		const char *best[3];
		int n = runner_suggestions(name, best, 3);

		fprintf(stderr, "fsnc: no case named '%s'%s", name, n ? "; did you mean:" : "");
		for (int k = 0; k < n; k++)
			fprintf(stderr, " %s", best[k]);
		fprintf(stderr, "\n");
	}
	return c;
}

int repro_main(const char *name, const struct repro_opts *o)
{
	struct repro_ctx r = {.fail_nth = o->fail_nth};
	const struct repro_exporter *x;
	const struct fc_family *fam;
	const char *profile, *plant = getenv("FSNC_REPRO_PLANT");
	size_t len = strlen(name), sl = strlen(URING_SUFFIX);
	int suffix = len > sl && !strcmp(name + len - sl, URING_SUFFIX);
	char pbuf[64], base[192];
	int err;

	if (suffix) { /* the ctest name of the ring variant: case/NAME@uring */
		snprintf(base, sizeof(base), "%.*s", (int)(len - sl), name);
		name = base;
	}
	if (!(r.c = resolve(name, o)))
		return 2;
	if ((r.uring = wants_uring(r.c, suffix, o->transport)) < 0)
		return 2;
	profile = variant_profile(r.c->name, pbuf, sizeof(pbuf));
	if (o->profile && !profile) {
		fprintf(stderr, "fsnc: %s has no profile variants (--profile picks an ext/* variant)\n",
			r.c->name);
		return 2;
	}
	if (o->profile && strcmp(o->profile, profile)) {
		fprintf(stderr, "fsnc: %s is the %s variant, not %s\n", r.c->name, profile, o->profile);
		return 2;
	}
	if (strlen(r.c->name) > 6 && !strcmp(r.c->name + strlen(r.c->name) - 6, "/model")) {
		/* The model is an in-process kernel: a C file cannot show its behaviour on a kernel. */
		fprintf(stderr, "fsnc: %s runs on the in-process model, not a kernel: nothing to "
				"reproduce (its kernel variant ends in /kernel)\n", r.c->name);
		return 2;
	}
	fam = family_of(r.c);
	if (!fam || !(x = exporter_for(fam->name))) {
		fprintf(stderr, "fsnc: no reproducer exporter for family %s yet\n",
			fam ? fam->name : "(unknown)");
		return 2;
	}
	if (o->fail_nth && !x->fail_nth) {
		fprintf(stderr, "fsnc: the %s exporter has no fail-nth point yet (--fail-nth)\n",
			fam->name);
		return 2;
	}
	r.plant = plant && *plant == '1';
	r.f = o->out ? fopen(o->out, "we") : stdout;
	if (!r.f) {
		fprintf(stderr, "fsnc: cannot write %s: %s\n", o->out, fc_errname(errno));
		return 2;
	}
	write_prologue(&r, profile);
	if (x->prelude)
		fputs(x->prelude, r.f);
	fputs(repro_runtime_text, r.f);
	if (r.uring)
		fputs(repro_uring_text, r.f);
	/* Fault injection: --fail-nth N, or a case that sweeps N itself. */
	if (r.fail_nth || fc_has_label(r.c, "failnth"))
		fprintf(r.f, "%s\n", repro_failnth_text);
	err = x->emit(&r);
	if (fflush(r.f) && !err)
		err = errno;
	if (o->out)
		fclose(r.f);
	if (err) {
		fprintf(stderr, "fsnc: the %s exporter cannot print %s: %s\n", fam->name, r.c->name,
			fc_errname(err));
		if (o->out)
			unlink(o->out);
		return 2;
	}
	return 0;
}

int repro_list_families(FILE *f)
{
	for (struct fc_family *fam = fc_families(); fam; fam = fam->next)
		fprintf(f, "%s %s\n", fam->name, exporter_for(fam->name) ? "exporter" : "none");
	return 0;
}
