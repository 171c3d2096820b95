// SPDX-License-Identifier: GPL-2.0-only
/* kmsg.c - kernel log markers and splat detection around a case. */
#include "kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* What the kernel prints when something went wrong inside it. */
static const char *const splat_patterns[] = {
	"BUG:",          "WARNING:",        "Oops",
	"kernel BUG at", "general protection fault",
	"Kernel panic",  "possible circular locking", "possible recursive locking",
	"inconsistent lock state", "suspicious RCU usage", "KASAN:",
	"UBSAN:",        "KFENCE:",         "blocked for more than",
	"list_add corruption", "list_del corruption", "refcount_t:",
	"Call Trace:",
};

int kmsg_is_splat(const char *text)
{
	if (!strncmp(text, "fsnc:", 5))
		return 0; /* our own markers name cases, which may contain anything */
	/* "traps: criu[123] general protection fault ip:... in criu[...]": a fault
	 * of a user-space program (show_signal_msg), not of the kernel. */
	if (!strncmp(text, "traps: ", 7))
		return 0;
	for (size_t i = 0; i < sizeof(splat_patterns) / sizeof(splat_patterns[0]); i++) {
		const char *hit = strstr(text, splat_patterns[i]);

		/* "BUG:" but not "DEBUG:": a pattern must start a word. */
		while (hit && hit > text && ((hit[-1] >= 'A' && hit[-1] <= 'Z') ||
					     (hit[-1] >= 'a' && hit[-1] <= 'z')))
			hit = strstr(hit + 1, splat_patterns[i]);
		if (hit)
			return 1;
	}
	return 0;
}

static void mark(const char *what, const char *name)
{
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	char line[512];
	int n;

	if (fd < 0)
		return;
	n = snprintf(line, sizeof(line), "fsnc: %s %s\n", what, name);
	if (n > 0 && write(fd, line, (size_t)n) < 0) {
		/* the marker is a courtesy for people reading dmesg */
	}
	close(fd);
}

void kmsg_open(struct kmsg_watch *w)
{
	w->err = 0;
	w->fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (w->fd < 0) {
		w->err = errno;
		return;
	}
	lseek(w->fd, 0, SEEK_END);
}

void kmsg_begin(struct kmsg_watch *w, const char *name)
{
	kmsg_open(w);
	if (w->fd >= 0)
		mark("begin", name);
}

int kmsg_since(struct kmsg_watch *w, char *first, size_t cap)
{
	char rec[8192];
	int splats = 0;

	if (cap)
		first[0] = 0;
	if (w->fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(w->fd, rec, sizeof(rec) - 1);
		char *text;

		if (n < 0 && errno == EPIPE)
			continue; /* records were overwritten; keep reading */
		if (n <= 0)
			break;
		rec[n] = 0;
		/* "<prio>,<seq>,<ts>,<flags>;text\n continuation lines" */
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		if (kmsg_is_splat(text)) {
			if (!splats && cap) {
				char *nl = strchr(text, '\n');

				if (nl)
					*nl = 0;
				snprintf(first, cap, "%s", text);
			}
			splats++;
		}
	}
	return splats;
}

void kmsg_close(struct kmsg_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}

int kmsg_end(struct kmsg_watch *w, const char *name, char *first, size_t cap)
{
	int splats;

	if (cap)
		first[0] = 0;
	if (w->fd < 0)
		return 0;
	mark("end", name);
	splats = kmsg_since(w, first, cap);
	kmsg_close(w);
	return splats;
}
