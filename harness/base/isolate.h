/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * isolate.h - keeping mounts and hung connections from outliving a test.
 *
 * Every mount the suite makes lives in a private mount namespace, so it
 * vanishes with the process; a connection whose server stopped answering
 * is aborted through fusectl, which is the only thing that frees a task
 * blocked on it.
 */
#ifndef FSNC_ISOLATE_H
#define FSNC_ISOLATE_H

/* unshare(CLONE_NEWNS) and make every mount private: 0 or errno. */
int iso_private_mounts(void);
/* Mount fusectl on /sys/fs/fuse/connections (in the private namespace): 0 or errno. */
int iso_mount_fusectl(void);
/* Write 1 to /sys/fs/fuse/connections/<conn>/abort: 0 or errno. */
int iso_abort_conn(unsigned conn);

#endif
