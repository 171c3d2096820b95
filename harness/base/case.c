// SPDX-License-Identifier: GPL-2.0-only
/* case.c - the case registry and the verdict bookkeeping of a running case. */
#include "case.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fc_family *families;

void fc_register(struct fc_family *f)
{
	/* Keep registration order stable: append, so listings are reproducible. */
	struct fc_family **pp = &families;

	while (*pp)
		pp = &(*pp)->next;
	f->next = NULL;
	*pp = f;
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
