// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_runner.c - the case registry (harness/base/case.c, harness/runner/runner.c) as the
 * FC_FAMILY constructors of cases/ fill it (this program links the harness
 * whole-archive, like fsnc itself), the verdict bookkeeping of a running
 * case, errno names, and the host checks that decide a skip.
 *
 * Tests named for a fixed bug guard its regression.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "case.h"
#include "contain.h"
#include "runner.h"

/* --- helpers ------------------------------------------------------------------ */


static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --- the registry ----------------------------------------------------------------- */

static void registry_holds_more_than_100_cases(void **state)
{
	size_t sum = 0, nfam = 0;

	for (struct fc_family *f = fc_families(); f; f = f->next) {
		sum += f->count;
		nfam++;
	}
	assert_true(runner_case_count() > 100);
	assert_int_equal(runner_case_count(), sum);
	/* init, forget, notify, fdinfo, stale, reuse, rename at least */
	assert_true(nfam >= 7);
}

static void registry_has_every_family_of_the_readme(void **state)
{
	static const char *const want[] = {"init", "forget", "notify", "fdinfo",
					   "stale", "reuse", "rename"};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int found = 0;

		for (struct fc_family *f = fc_families(); f; f = f->next)
			found |= !strcmp(f->name, want[i]);
		if (!found)
			fail_msg("family %s is not registered", want[i]);
	}
}

static void find_known_case_returns_its_row(void **state)
{
	const struct fc_case *c = fc_find("notify/inval_entry/valid");

	assert_non_null(c);
	assert_string_equal(c->name, "notify/inval_entry/valid");
	assert_non_null(c->run);
	assert_non_null(c->row);
	assert_true(fc_has_label(c, "kernel"));
	assert_true(fc_has_label(c, "notify"));
	assert_int_equal(c->needs & FC_NEED_KERNEL, FC_NEED_KERNEL);
}

static void find_unknown_name_returns_null(void **state)
{
	static const char *const unknown[] = {
		"notify/inval_entry/valdi", /* the README's typo */
		"notify/inval_entry/valid/",
		"notify/inval_entry",
		"notify",
		"notify/",
		"NOTIFY/inval_entry/valid",
		" notify/inval_entry/valid",
		"notify/*",
		"",
	};

	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		if (fc_find(unknown[i]))
			fail_msg("fc_find(\"%s\") found a case", unknown[i]);
}

static void every_case_is_well_formed(void **state)
{
	for (struct fc_family *f = fc_families(); f; f = f->next) {
		size_t flen;

		assert_non_null(f->name);
		flen = strlen(f->name);
		assert_true(flen > 0);
		/* Nested families ("ext/lifecycle") are path segments, never empty. */
		assert_true(f->name[0] != '/' && f->name[flen - 1] != '/');
		assert_null(strstr(f->name, "//"));
		if (!f->count || !f->cases)
			fail_msg("family %s has no cases", f->name);
		for (size_t i = 0; i < f->count; i++) {
			const struct fc_case *c = &f->cases[i];

			if (!c->name)
				fail_msg("family %s row %zu has no name", f->name, i);
			/*
			 * Runner self-tests fail by design and run only when named
			 * exactly (runner.c selected()); they are named and labelled
			 * "selftest" whatever family file holds them.
			 */
			if (fc_has_label(c, "selftest")) {
				if (strncmp(c->name, "selftest/", 9) || !c->name[9])
					fail_msg("self-test %s is not named \"selftest/...\"",
						 c->name);
			} else if (strncmp(c->name, f->name, flen) || c->name[flen] != '/' ||
				   !c->name[flen + 1]) {
				fail_msg("case %s is not named \"%s/...\"", c->name, f->name);
			}
			if (strchr(c->name, ' ') || strchr(c->name, '"') || strstr(c->name, "//") ||
			    c->name[strlen(c->name) - 1] == '/')
				fail_msg("case \"%s\" has a name ctest and globs cannot carry",
					 c->name);
			if (!c->run)
				fail_msg("case %s has no run function", c->name);
			if (!c->purpose || !c->purpose[0])
				fail_msg("case %s has no purpose", c->name);
			if (!c->labels || !(fc_has_label(c, "kernel") ||
					    fc_has_label(c, "model") ||
					    fc_has_label(c, "unit") ||
					    fc_has_label(c, "selftest")))
				fail_msg("case %s has labels \"%s\", none of kernel/model/unit/selftest",
					 c->name, c->labels ? c->labels : "(null)");
		}
	}
}

static void every_case_name_is_unique_and_found_by_name(void **state)
{
	size_t n = runner_case_count(), k = 0;
	const char **names = calloc(n ? n : 1, sizeof(*names));

	assert_non_null(names);
	for (struct fc_family *f = fc_families(); f; f = f->next)
		for (size_t i = 0; i < f->count; i++) {
			names[k++] = f->cases[i].name;
			/* The first case of that name is this one: no earlier duplicate. */
			if (fc_find(f->cases[i].name) != &f->cases[i])
				fail_msg("fc_find(\"%s\") returns another row",
					 f->cases[i].name);
		}
	assert_int_equal(k, n);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(names[i - 1], names[i]))
			fail_msg("case name %s is registered twice", names[i]);
	free(names);
}

static void every_family_name_is_unique(void **state)
{
	for (struct fc_family *f = fc_families(); f; f = f->next)
		for (struct fc_family *g = f->next; g; g = g->next)
			if (!strcmp(f->name, g->name))
				fail_msg("family %s is registered twice", f->name);
}

/* --- verdicts ----------------------------------------------------------------------- */

static void verdict_no_failures_is_pass(void **state)
{
	struct fc_ctx ctx = {0};

	assert_int_equal(fc_verdict(&ctx), FC_PASS);
	assert_int_equal(CHECK(&ctx, 1 == 1, "never printed"), 1);
	assert_int_equal(fc_verdict(&ctx), FC_PASS);
	assert_int_equal(ctx.failures, 0);
}

static void verdict_failures_is_fail(void **state)
{
	struct fc_ctx ctx = {0};

	assert_int_equal(CHECK(&ctx, 1 == 2, "expected failure %d (printed on purpose)", 1), 0);
	assert_int_equal(ctx.failures, 1);
	assert_int_equal(fc_verdict(&ctx), FC_FAIL);
	assert_int_equal(fc_failf(&ctx, __FILE__, __LINE__, "second (printed on purpose)"), 0);
	assert_int_equal(ctx.failures, 2);
	assert_int_equal(fc_verdict(&ctx), FC_FAIL);
}

static void verdict_xfail_with_failures_is_xfail(void **state)
{
	struct fc_ctx ctx = {0};

	fc_xfail(&ctx, "known defect %s", "D1");
	assert_true(ctx.expect_fail);
	assert_string_equal(ctx.xfail_reason, "known defect D1");
	fc_failf(&ctx, __FILE__, __LINE__, "the defect showed up (printed on purpose)");
	assert_int_equal(fc_verdict(&ctx), FC_XFAIL);
}

static void verdict_xfail_without_failures_is_xpass(void **state)
{
	struct fc_ctx ctx = {0};

	fc_xfail(&ctx, "known defect");
	assert_int_equal(fc_verdict(&ctx), FC_XPASS);
}

static void verdict_xfail_declared_after_the_failure_still_counts(void **state)
{
	struct fc_ctx ctx = {0};

	fc_failf(&ctx, __FILE__, __LINE__, "failure before fc_xfail (printed on purpose)");
	fc_xfail(&ctx, "declared late");
	assert_int_equal(fc_verdict(&ctx), FC_XFAIL);
}

static void first_failure_message_goes_to_the_shared_page(void **state)
{
	struct fc_shared sh;
	struct fc_ctx ctx = {.shared = &sh};

	memset(&sh, 0, sizeof(sh));
	fc_failf(&ctx, "dir/file.c", 12, "first %d (printed on purpose)", 1);
	fc_failf(&ctx, "dir/file.c", 13, "second %d (printed on purpose)", 2);
	assert_string_equal(sh.fail_msg, "first 1 (printed on purpose)");
	assert_int_equal(ctx.failures, 2);
}

static void skip_records_the_reason(void **state)
{
	struct fc_ctx ctx = {0};

	assert_int_equal(fc_skip(&ctx, "no %s here", "FUSE_FSNOTIFY"), FC_SKIP);
	assert_string_equal(ctx.skip_reason, "no FUSE_FSNOTIFY here");
	assert_int_equal(fc_verdict(&ctx), FC_PASS); /* a skip is not a failure */
}

static void deadlines_scale_with_timeout_scale(void **state)
{
	struct fc_ctx ctx = {0};

	assert_int_equal(fc_ms(&ctx, 200), 200);
	ctx.timeout_scale = 1;
	assert_int_equal(fc_ms(&ctx, 200), 200);
	ctx.timeout_scale = 5;
	assert_int_equal(fc_ms(&ctx, 200), 1000);
}

/* --- errno names -------------------------------------------------------------------- */

static void errname_zero_is_0(void **state)
{
	assert_string_equal(fc_errname(0), "0");
}

static void errname_positive_errnos_have_their_names(void **state)
{
	assert_string_equal(fc_errname(ENOENT), "ENOENT");
	assert_string_equal(fc_errname(EINVAL), "EINVAL");
	assert_string_equal(fc_errname(EPROTO), "EPROTO");
	assert_string_equal(fc_errname(ENAMETOOLONG), "ENAMETOOLONG");
	assert_string_equal(fc_errname(ENOTDIR), "ENOTDIR");
	assert_string_equal(fc_errname(EIO), "EIO");
}

static void errname_negative_errnos_have_the_same_names(void **state)
{
	assert_string_equal(fc_errname(-ENOENT), "ENOENT");
	assert_string_equal(fc_errname(-EINVAL), "EINVAL");
	assert_string_equal(fc_errname(-ENODEV), "ENODEV");
	assert_string_equal(fc_errname(-1), "EPERM");
}

static void errname_unknown_number_is_errno_n(void **state)
{
	assert_string_equal(fc_errname(9999), "errno9999");
	assert_string_equal(fc_errname(-9999), "errno9999");
	assert_string_equal(fc_errname(INT_MAX), "errno2147483647");
}

/*
 * REGRESSION (was a bug in fc_errname): "if (err < 0) err = -err;" negates INT_MIN, which
 * is undefined behaviour (UBSan: "negation of -2147483648 cannot be
 * represented in type 'int'"); under -fno-sanitize-recover the program dies.
 * CHECK_ERR() passes whatever a case got, so a corrupt return value reaches
 * it.
 */
static void errname_int_min_is_defined(void **state)
{
	assert_string_equal(fc_errname(INT_MIN), "errno-2147483648");
}

/* --- host checks ---------------------------------------------------------------------- */

static void host_skip_needs_nothing_is_null(void **state)
{
	char buf[256];

	assert_null(contain_host_skip(0, buf, sizeof(buf)));
}

static void host_skip_root_depends_on_euid(void **state)
{
	char buf[256];
	const char *why = contain_host_skip(FC_NEED_ROOT, buf, sizeof(buf));

	if (geteuid() == 0) {
		assert_null(why);
	} else {
		assert_non_null(why);
		assert_non_null(strstr(why, "root"));
	}
}

static void host_skip_devfuse_agrees_with_open(void **state)
{
	char buf[256];
	const char *why = contain_host_skip(FC_NEED_DEVFUSE, buf, sizeof(buf));
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		assert_null(why);
	} else {
		assert_non_null(why);
		assert_non_null(strstr(why, "/dev/fuse"));
	}
}

/* As root, drop to nobody in a child to see the other branch too. */
static void host_skip_root_as_non_root_names_root(void **state)
{
	pid_t pid;
	int status;

	if (geteuid() != 0)
		skip(); /* host_skip_root_depends_on_euid covered this branch */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char buf[256];
		const char *why;

		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(3);
		why = contain_host_skip(FC_NEED_ROOT, buf, sizeof(buf));
		_exit(!why ? 1 : strstr(why, "root") ? 0 : 2);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == 3)
		skip(); /* cannot change uid here (no CAP_SETUID in this namespace) */
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registry_holds_more_than_100_cases),
		cmocka_unit_test(registry_has_every_family_of_the_readme),
		cmocka_unit_test(find_known_case_returns_its_row),
		cmocka_unit_test(find_unknown_name_returns_null),
		cmocka_unit_test(every_case_is_well_formed),
		cmocka_unit_test(every_case_name_is_unique_and_found_by_name),
		cmocka_unit_test(every_family_name_is_unique),
		cmocka_unit_test(verdict_no_failures_is_pass),
		cmocka_unit_test(verdict_failures_is_fail),
		cmocka_unit_test(verdict_xfail_with_failures_is_xfail),
		cmocka_unit_test(verdict_xfail_without_failures_is_xpass),
		cmocka_unit_test(verdict_xfail_declared_after_the_failure_still_counts),
		cmocka_unit_test(first_failure_message_goes_to_the_shared_page),
		cmocka_unit_test(skip_records_the_reason),
		cmocka_unit_test(deadlines_scale_with_timeout_scale),
		cmocka_unit_test(errname_zero_is_0),
		cmocka_unit_test(errname_positive_errnos_have_their_names),
		cmocka_unit_test(errname_negative_errnos_have_the_same_names),
		cmocka_unit_test(errname_unknown_number_is_errno_n),
		cmocka_unit_test(errname_int_min_is_defined),
		cmocka_unit_test(host_skip_needs_nothing_is_null),
		cmocka_unit_test(host_skip_root_depends_on_euid),
		cmocka_unit_test(host_skip_root_as_non_root_names_root),
		cmocka_unit_test(host_skip_devfuse_agrees_with_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
