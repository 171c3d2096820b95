// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_kmsg.c - splat detection in kernel log text (kmsg_is_splat): the
 * lines a kernel prints when something went wrong inside it must count, the
 * ordinary chatter of fuse, ext4 and friends must not, and neither must the
 * runner's own "fsnc: begin/end <case>" markers, whatever the case is called.
 *
 * The text is what /dev/kmsg gives after the "<prio>,<seq>,<ts>,<flags>;"
 * prefix, which kmsg_end() strips before it asks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kmsg.h"

/* Ask in a heap copy of exactly the string, so ASan sees any overread. */
static int splat(const char *text)
{
	size_t n = strlen(text) + 1;
	char *copy = malloc(n);
	int rc;

	assert_non_null(copy);
	memcpy(copy, text, n);
	rc = kmsg_is_splat(copy);
	free(copy);
	return rc;
}

static void assert_all(const char *const *lines, size_t n, int want)
{
	for (size_t i = 0; i < n; i++)
		if (splat(lines[i]) != want)
			fail_msg("kmsg_is_splat(\"%s\") = %d, want %d", lines[i], !want, want);
}

#define ASSERT_ALL(lines, want) assert_all((lines), sizeof(lines) / sizeof((lines)[0]), (want))

static void splat_page_fault_bug_counts(void **state)
{
	static const char *const lines[] = {
		"BUG: unable to handle page fault for address: ffffc90000abc000",
		"BUG: kernel NULL pointer dereference, address: 0000000000000008",
		"kernel BUG at fs/fuse/dev.c:2112!",
		"BUG: sleeping function called from invalid context at fs/fuse/dev.c:123",
		"BUG: KASAN: slab-use-after-free in fuse_dev_do_write+0x1234/0x2000",
	};

	ASSERT_ALL(lines, 1);
}

static void splat_warning_with_cpu_and_pid_counts(void **state)
{
	static const char *const lines[] = {
		"WARNING: CPU: 1 PID: 2 at fs/fuse/dev.c:123 fuse_request_end+0x1a/0x200 [fuse]",
		"WARNING: CPU: 0 PID: 4711 at fs/notify/fsnotify.c:606 fsnotify+0x99/0x780",
		"WARNING: suspicious RCU usage",
		"WARNING: possible circular locking dependency detected",
	};

	ASSERT_ALL(lines, 1);
}

static void splat_general_protection_fault_and_oops_count(void **state)
{
	static const char *const lines[] = {
		("general protection fault, probably for non-canonical address "
		 "0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN NOPTI"),
		"Oops: general protection fault, probably for non-canonical address 0x6b6b6b6b6b6b6b6b",
		"Oops: 0000 [#1] PREEMPT SMP NOPTI",
		"Kernel panic - not syncing: Fatal exception",
		"Call Trace:",
	};

	ASSERT_ALL(lines, 1);
}

static void splat_lockdep_reports_count(void **state)
{
	static const char *const lines[] = {
		"possible circular locking dependency detected",
		"WARNING: possible recursive locking detected",
		"WARNING: inconsistent lock state",
	};

	ASSERT_ALL(lines, 1);
}

static void splat_sanitizer_reports_count(void **state)
{
	static const char *const lines[] = {
		"KASAN: slab-use-after-free in fuse_request_end+0x55/0x400",
		"KASAN: null-ptr-deref in range [0x0000000000000008-0x000000000000000f]",
		"UBSAN: array-index-out-of-bounds in fs/fuse/inode.c:1234:5",
		"UBSAN: shift-out-of-bounds in fs/notify/mark.c:77:20",
		"KFENCE: use-after-free read in fuse_dev_read+0x10/0x20",
	};

	ASSERT_ALL(lines, 1);
}

static void splat_hung_task_and_corruption_count(void **state)
{
	static const char *const lines[] = {
		"INFO: task x blocked for more than 120 seconds.",
		"INFO: task fsnc:1234 blocked for more than 122 seconds.",
		("list_add corruption. prev->next should be next (ffff888003a0c2d0), but was "
		 "0000000000000000."),
		"list_del corruption, ffff88800b5d1e40->next is LIST_POISON1 (dead000000000100)",
		"refcount_t: underflow; use-after-free.",
	};

	ASSERT_ALL(lines, 1);
}

static void ordinary_fuse_and_ext4_messages_do_not_count(void **state)
{
	static const char *const lines[] = {
		"fuse: init (API version 7.45)",
		"fuse: Unknown parameter 'foo'",
		("EXT4-fs (vda1): mounted filesystem 2d3f0ac1-7c0e-4a8e-9a2c-0d2f1e0b9b11 r/w with "
		 "ordered data mode. Quota mode: none."),
		"EXT4-fs (vda1): re-mounted 2d3f0ac1-7c0e-4a8e-9a2c-0d2f1e0b9b11 ro. Quota mode: none.",
		"EXT4-fs warning (device vda1): ext4_dx_add_entry:2463: Directory index full!",
		"loop0: detected capacity change from 0 to 8192",
		"audit: type=1400 audit(1700000000.123:42): apparmor=\"STATUS\" operation=\"profile_load\"",
		"systemd[1]: Started systemd-journald.service - Journal Service.",
		"Linux version 6.18.44 (builder@host) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP",
		"",
	};

	ASSERT_ALL(lines, 0);
}

static void our_own_markers_do_not_count(void **state)
{
	static const char *const lines[] = {
		"fsnc: begin notify/x",
		"fsnc: end notify/x",
		"fsnc: begin forget/lookup_balanced",
	};

	ASSERT_ALL(lines, 0);
}

static void a_pattern_must_start_a_word(void **state)
{
	/* "BUG:" inside "DEBUG:" is a driver's debug print, not a splat. */
	static const char *const lines[] = {
		"virtio_net: DEBUG: queue 0 ready",
		"fuse: XWARNING: made-up prefix",
	};

	ASSERT_ALL(lines, 0);
}

static void our_markers_do_not_count_even_when_the_case_name_looks_like_a_splat(void **state)
{
	static const char *const lines[] = {
		"fsnc: begin notify/BUG: unable to handle page fault",
		"fsnc: end notify/BUG:",
		"fsnc: begin stale/WARNING: CPU: 1 PID: 2 at x",
		"fsnc: begin x/KASAN: slab-use-after-free Oops Call Trace:",
		"fsnc: end x/blocked for more than 120 seconds",
	};

	ASSERT_ALL(lines, 0);
}

static void marker_exemption_is_only_at_the_start_of_the_line(void **state)
{
	/* A splat that mentions our process name is still a splat. */
	static const char *const lines[] = {
		"BUG: unable to handle page fault; comm: fsnc: begin",
		"INFO: task fsnc:1234 blocked for more than 120 seconds.",
		" fsnc: begin x BUG: y",
	};

	ASSERT_ALL(lines, 1);
}

/* A user-space program's fault, as show_signal_msg() logs it, is not the kernel's. */
static void user_space_faults_do_not_count(void **state)
{
	(void)state;
	assert_int_equal(splat("traps: criu[2642] general protection fault ip:55c1d098fc42 "
			       "sp:7ffea8c7bae8 error:402 in criu[e0c42,55c1d08f0000+a8000]"), 0);
	/* the same words from the kernel itself still count */
	assert_int_equal(splat("general protection fault, probably for non-canonical address "
			       "0xdead000000000100: 0000 [#1] PREEMPT SMP"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(splat_page_fault_bug_counts),
		cmocka_unit_test(splat_warning_with_cpu_and_pid_counts),
		cmocka_unit_test(splat_general_protection_fault_and_oops_count),
		cmocka_unit_test(splat_lockdep_reports_count),
		cmocka_unit_test(splat_sanitizer_reports_count),
		cmocka_unit_test(splat_hung_task_and_corruption_count),
		cmocka_unit_test(ordinary_fuse_and_ext4_messages_do_not_count),
		cmocka_unit_test(our_own_markers_do_not_count),
		cmocka_unit_test(a_pattern_must_start_a_word),
		cmocka_unit_test(our_markers_do_not_count_even_when_the_case_name_looks_like_a_splat),
		cmocka_unit_test(marker_exemption_is_only_at_the_start_of_the_line),
		cmocka_unit_test(user_space_faults_do_not_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
