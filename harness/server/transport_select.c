// SPDX-License-Identifier: GPL-2.0-only
/* transport_select.c - which kernel transport this process's sessions use. */
#include "transport.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set by the runner before it forks a case, so every case inherits it. */
static enum tr_kind selected = TR_DEVFUSE;
static char unavailable[256];

enum tr_kind transport_parse(const char *name)
{
	if (!name)
		return TR_DEFAULT;
	if (!strcmp(name, "devfuse"))
		return TR_DEVFUSE;
	if (!strcmp(name, "uring"))
		return TR_URING;
	return TR_DEFAULT;
}

const char *transport_kind_name(enum tr_kind k)
{
	return k == TR_URING ? "uring" : "devfuse";
}

void transport_select(enum tr_kind k)
{
	selected = k == TR_DEFAULT ? TR_DEVFUSE : k;
	unavailable[0] = 0;
}

enum tr_kind transport_selected(void)
{
	return selected;
}

void transport_set_unavailable(const char *fmt, ...)
{
	va_list ap;

	if (unavailable[0]) /* the first reason is the one that counts */
		return;
	va_start(ap, fmt);
	vsnprintf(unavailable, sizeof(unavailable), fmt, ap);
	va_end(ap);
}

const char *transport_unavailable(void)
{
	return unavailable;
}

int transport_parse_cpulist(const char *s)
{
	int count = 0;

	if (!s)
		return -1;
	while (*s && *s != '\n') {
		char *end;
		long a = strtol(s, &end, 10), b;

		if (end == s || a < 0)
			return -1;
		b = a;
		s = end;
		if (*s == '-') {
			b = strtol(s + 1, &end, 10);
			if (end == s + 1 || b < a)
				return -1;
			s = end;
		}
		if (b - a + 1 > 65536 - count)
			return -1;
		count += (int)(b - a + 1);
		if (*s == ',' && s[1] >= '0' && s[1] <= '9')
			s++;
		else if (*s && *s != '\n')
			return -1;
	}
	return count ? count : -1;
}
