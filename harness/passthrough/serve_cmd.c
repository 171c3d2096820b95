// SPDX-License-Identifier: GPL-2.0-only
/*
 * serve_cmd.c - `fsnc serve --passthrough DIR MOUNTPOINT [-- CMD...]`.
 *
 * Serves DIR on MOUNTPOINT with the harness's server and the passthrough
 * backend, in a private mount namespace of its own: the mount is seen by
 * CMD (run inside it) or through `nsenter -t PID -m`, and when fsnc dies,
 * even by SIGKILL, the namespace and the mount die with it.  With the
 * fsn-1 extension taken in INIT, changes made to DIR (by anyone) reach
 * watchers on MOUNTPOINT; without it the files are served and watchers
 * see only what is done through the mount, as on mainline.
 *
 * SIGTERM or SIGINT (or CMD's exit) unmounts cleanly and prints what the
 * forwarder did on stderr.  Exit: CMD's status, else 0; 2 for bad input.
 */
#include "isolate.h"
#include "passthrough.h"
#include "profiles.h"
#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int serve_main(int argc, char **argv);

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "fsnc: serve: %s%s%s (usage: fsnc serve --passthrough DIR MOUNTPOINT "
			"[--profile fsn-1|none] [--verbose] [-- CMD...])\n",
		msg, arg ? " " : "", arg ? arg : "");
	return 2;
}

static void print_stats(struct passthrough *pt, struct srv *s)
{
	struct pt_stats st = pt_stats(pt);

	fprintf(stderr, "fsnc serve: extension %s; %llu fanotify events (%llu overflows), "
			"%llu records: %llu accepted, %llu ENOENT, %llu ESTALE, %llu other%s%s\n",
		srv_extension_on(s) ? "on" : "off (files only)",
		(unsigned long long)st.fan_events, (unsigned long long)st.fan_overflows,
		(unsigned long long)st.records, (unsigned long long)st.accepted,
		(unsigned long long)st.enoent, (unsigned long long)st.estale,
		(unsigned long long)st.other_err, st.other_err ? " last " : "",
		st.other_err ? fc_errname(st.last_err) : "");
}

/* SIGTERM, then SIGKILL after 5 s: a command that ignores the first goes anyway. */
static void stop_child(pid_t child)
{
	kill(child, SIGTERM);
	for (int i = 0; i < 50; i++) {
		if (waitpid(child, NULL, WNOHANG) == child)
			return;
		usleep(100 * 1000);
	}
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

int serve_main(int argc, char **argv)
{
	const char *dir = NULL, *mnt = NULL, *profile = "fsn-1";
	char **cmd = NULL;
	struct fc_ctx ctx = {.timeout_scale = 1};
	const struct fsn_profile *prof = NULL;
	struct srv_opts o;
	struct passthrough *pt;
	struct srv *s;
	struct stat st;
	char err[512];
	sigset_t sigs;
	int verbose = 0, status = 0, e;
	pid_t child = -1;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			cmd = argv + i + 1;
			if (!*cmd)
				return usage_error("nothing after --", NULL);
			break;
		} else if (!strcmp(argv[i], "--passthrough") && i + 2 < argc) {
			dir = argv[++i];
			mnt = argv[++i];
		} else if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
			profile = argv[++i];
		} else if (!strcmp(argv[i], "--verbose")) {
			verbose = 1;
		} else {
			return usage_error("unexpected", argv[i]);
		}
	}
	if (!dir)
		return usage_error("needs --passthrough DIR MOUNTPOINT", NULL);
	/* The forwarder writes fsn-1 records: the RFC's layouts have no RENAME or OVERFLOW. */
	if (!strcmp(profile, "fsn-1"))
		prof = fsn_profile_by_name(profile);
	else if (strcmp(profile, "none"))
		return usage_error("serves fsn-1 or none, not", profile);
	if (geteuid()) {
		fprintf(stderr, "fsnc: serve: needs root (a FUSE mount in its own namespace)\n");
		return 2;
	}
	if (stat(mnt, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "fsnc: serve: %s: %s\n", mnt,
			stat(mnt, &st) ? strerror(errno) : "not a directory");
		return 2;
	}
	pt = pt_open(dir, err, sizeof(err));
	if (!pt) {
		fprintf(stderr, "fsnc: serve: %s\n", err);
		return 2;
	}
	pt->verbose = verbose;
	e = iso_private_mounts();
	if (e) {
		fprintf(stderr, "fsnc: serve: a private mount namespace: %s\n", strerror(e));
		pt_close(pt);
		return 2;
	}
	/* Signals go to sigtimedwait() below, never to a server thread. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	pt_srv_opts(pt, prof, mnt, &o);
	s = srv_start(&ctx, &o);
	if (!s) {
		fprintf(stderr, "fsnc: serve: could not mount %s on %s\n", dir, mnt);
		pt_close(pt);
		return 1;
	}
	if (pt_forward_start(pt, s, err, sizeof(err)))
		fprintf(stderr, "fsnc: serve: changes in %s are not forwarded: %s\n", dir, err);
	fprintf(stderr, "fsnc serve: %s on %s, pid %d (nsenter -t %d -m), extension %s%s\n", dir,
		mnt, getpid(), getpid(), o.profile ? o.profile->name : "none",
		srv_extension_on(s) ? " on" : " not taken (files only)");
	if (cmd) {
		child = fork();
		if (child == 0) {
			pthread_sigmask(SIG_UNBLOCK, &sigs, NULL);
			execvp(cmd[0], cmd);
			fprintf(stderr, "fsnc: serve: %s: %s\n", cmd[0], strerror(errno));
			_exit(127);
		}
	}
	for (;;) {
		int sig = sigwaitinfo(&sigs, NULL);

		if (sig == SIGCHLD && child > 0) {
			if (waitpid(child, &status, WNOHANG) == child) {
				status = WIFEXITED(status) ? WEXITSTATUS(status)
							   : 128 + WTERMSIG(status);
				break;
			}
			continue;
		}
		if (sig == SIGTERM || sig == SIGINT) {
			if (child > 0)
				stop_child(child);
			status = 128 + sig;
			break;
		}
	}
	pt_forward_stop(pt);
	print_stats(pt, s);
	e = srv_umount(s);
	if (e)
		fprintf(stderr, "fsnc: serve: clean unmount of %s failed: %s (aborted instead)\n",
			mnt, strerror(e));
	srv_stop(s);
	pt_close(pt);
	return status;
}
