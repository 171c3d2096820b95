// SPDX-License-Identifier: GPL-2.0-only
/* isolate.c - private mount namespaces and fusectl aborts. */
#include "isolate.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

int iso_private_mounts(void)
{
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return errno;
	return 0;
}

int iso_mount_fusectl(void)
{
	if (access("/sys/fs/fuse/connections", F_OK))
		return errno;
	return mount("fusectl", "/sys/fs/fuse/connections", "fusectl", 0, NULL) ? errno : 0;
}

int iso_abort_conn(unsigned conn)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/sys/fs/fuse/connections/%u/abort", conn);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (write(fd, "1", 1) != 1)
		err = errno;
	close(fd);
	return err;
}
