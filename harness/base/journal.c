// SPDX-License-Identifier: GPL-2.0-only
/* journal.c - see journal.h.  File: "<setting>\n<old value>\n<pid> <start time>\n". */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* Field 22 of /proc/<pid>/stat (clock ticks after boot); 0 if the process is gone. */
static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* The command name may hold spaces and parentheses: count from the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d "
			 "%*d %*d %*d %*d %llu", &t) != 1)
		return 0;
	return t;
}

int journal_write(const char *journal, const char *setting, const char *old)
{
	char tmp[512], text[512];
	int fd, len, err = 0;

	len = snprintf(text, sizeof(text), "%s\n%s\n%d %llu\n", setting, old, (int)getpid(),
		       start_time(getpid()));
	if (len < 0 || (size_t)len >= sizeof(text))
		return ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s.%d", journal, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	if (write(fd, text, (size_t)len) != len)
		err = errno ? errno : EIO;
	close(fd);
	/* Whole or absent: a reader never sees half a journal. */
	if (!err && rename(tmp, journal))
		err = errno;
	if (err)
		unlink(tmp);
	return err;
}

void journal_clear(const char *journal)
{
	unlink(journal);
}

int journal_recover(const char *journal, char *note, size_t cap)
{
	char text[512], setting[256], old[64];
	unsigned long long start = 0;
	int owner = 0, fd, n;
	ssize_t r;

	note[0] = 0;
	fd = open(journal, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	r = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[r > 0 ? r : 0] = 0;
	n = sscanf(text, "%255[^\n]\n%63[^\n]\n%d %llu", setting, old, &owner, &start);
	if (n != 4 || owner <= 0 || setting[0] != '/') {
		snprintf(note, cap, "unreadable journal %s: left in place", journal);
		return -EPROTO;
	}
	if (start && start_time(owner) == start)
		return 0; /* its owner lives and will put the value back itself */
	fd = open(setting, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, old, strlen(old)) != (ssize_t)strlen(old)) {
		int err = errno ? errno : EIO;

		if (fd >= 0)
			close(fd);
		snprintf(note, cap, "%s was left changed by pid %d, which is gone, and cannot be "
			 "put back to %s: %s", setting, owner, old, strerror(err));
		return -err;
	}
	close(fd);
	journal_clear(journal);
	snprintf(note, cap, "%s was left changed by pid %d, which is gone: put back to %s",
		 setting, owner, old);
	return 1;
}
