// SPDX-License-Identifier: GPL-2.0-only
/* case.c - the case registry and the verdict bookkeeping of a running case. */
#include "case.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fc_family *families;

/* "family/row" and the variant's suffix, in memory the registry keeps. */
static const char *case_name(const struct fc_family *f, const struct fc_row *r,
			     const struct fc_variant *v)
{
	const char *suffix = v ? v->suffix : "";
	size_t n = strlen(f->name) + 1 + strlen(r->name) + strlen(suffix) + 1;
	char *name = malloc(n);

	if (!name) {
		fprintf(stderr, "fsnc: out of memory registering %s\n", f->name);
		exit(2);
	}
	snprintf(name, n, "%s/%s%s", f->name, r->name, suffix);
	return name;
}

static void fill_case(struct fc_case *c, const struct fc_family *f, const struct fc_row *r,
		      const struct fc_variant *v)
{
	c->name = case_name(f, r, v);
	c->purpose = r->purpose;
	c->tags = r->tags;
	c->needs = r->needs ? r->needs : v ? v->needs : f->needs;
	c->labels = r->labels ? r->labels : v ? v->labels : f->labels;
	c->timeout_ms = r->timeout_ms ? r->timeout_ms : f->timeout_ms;
	c->run = r->run ? r->run : f->run;
	c->row = r;
	c->variant = v ? v->arg : NULL;
	c->precheck = f->precheck;
	c->fixture = f->fixture;
}

void fc_register(struct fc_family *f)
{
	/* Keep registration order stable: append, so listings are reproducible. */
	struct fc_family **pp = &families;
	size_t per_row = f->variants ? f->nvariants : 1, k = 0;

	f->count = f->nrows * per_row;
	f->cases = calloc(f->count ? f->count : 1, sizeof(*f->cases));
	if (!f->cases) {
		fprintf(stderr, "fsnc: out of memory registering %s\n", f->name);
		exit(2);
	}
	for (size_t i = 0; i < f->nrows; i++) {
		const struct fc_row *r = (const void *)((const char *)f->rows + i * f->stride);

		for (size_t j = 0; j < per_row; j++)
			fill_case(&f->cases[k++], f, r, f->variants ? &f->variants[j] : NULL);
	}
	while (*pp)
		pp = &(*pp)->next;
	f->next = NULL;
	*pp = f;
}

enum fc_verdict fc_run_case(struct fc_ctx *ctx, const struct fc_case *c)
{
	const struct fc_fixture *fx = c->fixture;
	enum fc_verdict v;
	unsigned before;

	if (fx && fx->setup) {
		v = fx->setup(ctx, c);
		if (v != FC_PASS)
			return v;
	}
	v = c->run(ctx, c);
	if (!fx || !fx->teardown)
		return v;
	before = ctx->failures;
	fx->teardown(ctx, c);
	/* A failure in the teardown (a server that saw a protocol error) fails the case. */
	if (ctx->failures > before && v != FC_SKIP)
		v = fc_verdict(ctx);
	return v;
}

struct fc_family *fc_families(void)
{
	return families;
}

const struct fc_case *fc_find(const char *name)
{
	for (struct fc_family *f = families; f; f = f->next)
		for (size_t i = 0; i < f->count; i++)
			if (!strcmp(f->cases[i].name, name))
				return &f->cases[i];
	return NULL;
}

int fc_has_label(const struct fc_case *c, const char *label)
{
	const char *p = c->labels;
	size_t n = strlen(label);

	while (p && *p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && !strncmp(p, label, n))
			return 1;
		p = end ? end + 1 : NULL;
	}
	return 0;
}

void fc_log(struct fc_ctx *ctx, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (ctx && ctx->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s\n", buf);
	fflush(stdout);
}

int fc_failf(struct fc_ctx *ctx, const char *file, int line, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	const char *base = strrchr(file, '/');

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# FAIL %s:%d: %s\n", base ? base + 1 : file, line, buf);
	fflush(stdout);
	if (!ctx->failures && ctx->shared)
		snprintf(ctx->shared->fail_msg, sizeof(ctx->shared->fail_msg), "%.511s", buf);
	ctx->failures++;
	return 0;
}

enum fc_verdict fc_skip(struct fc_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->skip_reason, sizeof(ctx->skip_reason), fmt, ap);
	va_end(ap);
	return FC_SKIP;
}

void fc_xfail(struct fc_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->xfail_reason, sizeof(ctx->xfail_reason), fmt, ap);
	va_end(ap);
	ctx->expect_fail = 1;
}

enum fc_verdict fc_verdict(struct fc_ctx *ctx)
{
	if (ctx->expect_fail)
		return ctx->failures ? FC_XFAIL : FC_XPASS;
	return ctx->failures ? FC_FAIL : FC_PASS;
}

int fc_ms(struct fc_ctx *ctx, int ms)
{
	return ms * (int)(ctx->timeout_scale ? ctx->timeout_scale : 1);
}

int fc_env_u64(struct fc_ctx *ctx, const char *name, uint64_t *v)
{
	const char *s = getenv(name);
	char *end;

	if (!s || !*s)
		return 0;
	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end)
		return fc_failf(ctx, __FILE__, __LINE__, "%s=%s is not a number", name, s), -1;
	return 0;
}

const char *fc_errname(int err)
{
	static __thread char buf[16];

	if (err == 0)
		return "0";
	if (err == INT_MIN) /* cannot be negated */
		return "errno-2147483648";
	if (err < 0)
		err = -err;
	{
		const char *n = strerrorname_np(err);

		if (n)
			return n;
	}
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}
