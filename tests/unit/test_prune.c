// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_prune.c - what a reproducer leaves out (harness/repro/prune.c) and
 * how it strips comments (harness/repro/amalgam.c): a definition nothing
 * reaches goes with its prototype; whatever main(), a constructor, a
 * top-level macro call or a reached macro names stays; structs, enums and
 * macros stay once named, a _Static_assert with the structs it checks;
 * other preprocessor lines stay; comments go, strings stay whole.  And
 * amalg_write() over fsnc's own embedded sources: every family file with
 * the main gives one text with no project include, or ENOENT naming what
 * is missing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amalgam.h"
#include "prune.h"

static char *run_prune(const char *in)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	assert_int_equal(prune(f, in), 0);
	fclose(f);
	return out;
}

static char *run_strip(const char *in)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	amalg_strip(f, in);
	fclose(f);
	return out;
}

static void unreached_function_and_prototype_go(void **state)
{
	char *out = run_prune("static int used(void);\n"
			      "static int lonely_fn(int x);\n"
			      "static int used(void)\n{\n\treturn 1;\n}\n"
			      "static int lonely_fn(int x)\n{\n\treturn x;\n}\n"
			      "int main(void)\n{\n\treturn used();\n}\n");

	assert_null(strstr(out, "static int used(void);")); /* defined before any use */
	assert_non_null(strstr(out, "return 1;"));
	assert_null(strstr(out, "lonely_fn"));
	assert_non_null(strstr(out, "int main(void)"));
	free(out);
}

/* A prototype stays when something kept names the function before its definition. */
static void prototype_before_a_use_stays(void **state)
{
	char *out = run_prune("int later(int x);\n"
			      "void die(void) __attribute__((noreturn));\n"
			      "int main(void)\n{\n\tif (later(1))\n\t\tdie();\n\treturn 0;\n}\n"
			      "int later(int x)\n{\n\treturn x;\n}\n"
			      "void die(void)\n{\n\tfor (;;)\n\t\t;\n}\n");

	assert_non_null(strstr(out, "int later(int x);"));
	assert_non_null(strstr(out, "__attribute__((noreturn));"));
	free(out);
}

static void reached_through_a_table_and_a_macro(void **state)
{
	char *out = run_prune("#define CALL(x) helper(x)\n"
			      "static void helper(int x)\n{\n\t(void)x;\n}\n"
			      "static void op_a(void)\n{\n}\n"
			      "static void op_b(void)\n{\n}\n"
			      "static void (*const ops[])(void) = {op_a};\n"
			      "int main(void)\n{\n\tCALL(1);\n\tops[0]();\n\treturn 0;\n}\n");

	assert_non_null(strstr(out, "static void helper(int x)"));
	assert_non_null(strstr(out, "static void op_a(void)"));
	assert_null(strstr(out, "op_b"));
	free(out);
}

static void a_member_of_the_same_name_reaches_nothing(void **state)
{
	char *out = run_prune("struct s {\n\tint reply;\n};\n"
			      "static int reply(void)\n{\n\treturn 2;\n}\n"
			      "int main(void)\n{\n\tstruct s v = {.reply = 1};\n\treturn v.reply;\n}\n");

	assert_non_null(strstr(out, "int reply;")); /* the type stays */
	assert_null(strstr(out, "return 2;"));
	free(out);
}

static void roots_stay(void **state)
{
	char *out = run_prune("#define FAMILY(v, t) static int v = sizeof(t)\n"
			      "static const int rows[] = {1, 2};\n"
			      "FAMILY(fam, rows)\n"
			      "__attribute__((constructor)) static void reg(void)\n{\n\tctor_only();\n}\n"
			      "void ctor_only(void)\n{\n}\n"
			      "static void lonely(void)\n{\n}\n"
			      "#if 0\n#endif\n"
			      "enum e { A, B };\n"
			      "struct fwd;\n");

	assert_non_null(strstr(out, "static const int rows[]")); /* named by the macro call */
	assert_non_null(strstr(out, "FAMILY(fam, rows)"));
	assert_non_null(strstr(out, "static void reg(void)"));
	assert_non_null(strstr(out, "void ctor_only(void)"));
	assert_null(strstr(out, "lonely"));
	assert_non_null(strstr(out, "#if 0"));
	assert_null(strstr(out, "enum e { A, B };")); /* an enum nothing names goes */
	assert_null(strstr(out, "struct fwd;")); /* a struct nothing names goes */
	free(out);
}

/* A fallback (#ifndef X, #define X, #endif) is its macro: it goes unless X is named. */
static void fallbacks_go_with_their_macro(void **state)
{
	char *out = run_prune("#ifndef FB_USED\n#define FB_USED 1\n#endif\n"
			      "#ifndef FB_LONELY\n#define FB_LONELY 2\n#endif\n"
			      "int main(void)\n{\n\treturn FB_USED;\n}\n");

	assert_non_null(strstr(out, "#ifndef FB_USED\n#define FB_USED 1\n#endif\n"));
	assert_null(strstr(out, "FB_LONELY"));
	free(out);
}

/* An enum is its tag and its constants: any of them keeps it whole. */
static void enums_go_unless_named(void **state)
{
	char *out = run_prune("enum by_tag { T0, T1 };\n"
			      "enum { C0 = 4, C1 = C0 + K_BASE,\n#ifdef X\n\tC2,\n#endif\n\tC3 };\n"
			      "enum { LONELY0, LONELY1 };\n"
			      "#define K_BASE 2\n"
			      "int main(void)\n{\n\tenum by_tag t = 0;\n\treturn t + C3;\n}\n");

	assert_non_null(strstr(out, "enum by_tag { T0, T1 };"));
	assert_non_null(strstr(out, "C1 = C0 + K_BASE"));
	assert_non_null(strstr(out, "#define K_BASE 2")); /* named by the enum kept */
	assert_null(strstr(out, "LONELY0"));
	free(out);
}

/* A type's body before the name: the variable is named, and so is the tag it defines. */
static void anonymous_and_tagged_bodies(void **state)
{
	char *out = run_prune("static const struct {\n\tint a;\n} table[] = {{1}};\n"
			      "static const struct {\n\tint b;\n} lonely_table[] = {{2}};\n"
			      "struct pair {\n\tint x;\n} first_pair;\n"
			      "int main(void)\n{\n\tstruct pair p = {0};\n\treturn table[0].a + p.x;\n}\n");

	assert_non_null(strstr(out, "} table[] = {{1}};"));
	assert_null(strstr(out, "lonely_table"));
	assert_non_null(strstr(out, "} first_pair;")); /* kept by its tag */
	free(out);
}

/* A check of a layout goes with the layout; one of no layout of the text stays. */
static void static_asserts_follow_their_structs(void **state)
{
	char *out = run_prune("struct used {\n\tint a;\n};\n"
			      "struct unused {\n\tint b;\n};\n"
			      "#define USED_SIZE 4\n"
			      "_Static_assert(sizeof(struct used) == USED_SIZE, \"used\");\n"
			      "_Static_assert(sizeof(struct unused) == 4, \"unused\");\n"
			      "_Static_assert(sizeof(int) == 4, \"plain\");\n"
			      "int main(void)\n{\n\treturn sizeof(struct used);\n}\n");

	assert_non_null(strstr(out, "\"used\""));
	assert_non_null(strstr(out, "#define USED_SIZE 4")); /* what a kept check names */
	assert_null(strstr(out, "\"unused\""));
	assert_null(strstr(out, "struct unused"));
	assert_non_null(strstr(out, "\"plain\""));
	free(out);
}

/* A function returning a struct is a function, not a type that always stays. */
static void struct_returning_function_is_pruned(void **state)
{
	char *out = run_prune("struct t {\n\tint a;\n};\n"
			      "struct t *make(void)\n{\n\treturn 0;\n}\n"
			      "struct t global_t = {1};\n"
			      "int main(void)\n{\n\treturn sizeof(struct t);\n}\n");

	assert_null(strstr(out, "make"));
	assert_null(strstr(out, "global_t"));
	assert_non_null(strstr(out, "struct t {"));
	free(out);
}

/* A macro stays once named (or tested by #if), and what it names is reached. */
static void macros_go_unless_reached(void **state)
{
	char *out = run_prune("#define USED 1\n"
			      "#define TESTED\n"
			      "#define NOBODY 3\n"
			      "#define INNER 4\n"
			      "#define OUTER (INNER + helper())\n"
			      "static int helper(void)\n{\n\treturn 1;\n}\n"
			      "static int nobody_fn(void)\n{\n\treturn NOBODY;\n}\n"
			      "#ifdef TESTED\n#endif\n"
			      "struct holder {\n\tint v[USED];\n};\n"
			      "int main(void)\n{\n\tstruct holder h;\n\treturn OUTER + sizeof(h);\n}\n");

	assert_non_null(strstr(out, "#define USED 1"));
	assert_non_null(strstr(out, "#define TESTED"));
	assert_non_null(strstr(out, "#define INNER 4"));
	assert_non_null(strstr(out, "#define OUTER"));
	assert_null(strstr(out, "#define NOBODY 3"));
	assert_non_null(strstr(out, "static int helper(void)"));
	assert_null(strstr(out, "nobody_fn"));
	free(out);
}

/*
 * ## makes names no word shows: a reached macro that pastes keeps every name
 * with its fixed part (FLAG_##x: every FLAG_...); a member sized by a macro
 * keeps the macro, though a member's own name keeps nothing.
 */
static void pasted_and_member_macros(void **state)
{
	char *out = run_prune("#define FLAG_A 1\n"
			      "#define FLAG_B 2\n"
			      "#define OTHER_A 3\n"
			      "#define FLAG(x) FLAG_##x\n"
			      "#define WIDTH 3\n"
			      "#define SLOTS 2\n"
			      "struct bits {\n\tunsigned w : WIDTH;\n\tint slot[SLOTS];\n};\n"
			      "int main(void)\n{\n\tstruct bits b = {0};\n\treturn FLAG(A) + b.w;\n}\n");

	assert_non_null(strstr(out, "#define FLAG_A 1"));
	assert_non_null(strstr(out, "#define FLAG_B 2"));
	assert_null(strstr(out, "OTHER_A"));
	assert_non_null(strstr(out, "#define WIDTH 3"));
	assert_non_null(strstr(out, "#define SLOTS 2"));
	free(out);
}

/* Braces and parentheses in strings and character constants do not split items. */
static void literals_do_not_confuse_the_split(void **state)
{
	char *out = run_prune("static const char *s = \"}\\\"{;(\";\n"
			      "static char c = '}';\n"
			      "static int f(void)\n{\n\treturn s[0] + c;\n}\n"
			      "int main(void)\n{\n\treturn f();\n}\n");

	assert_non_null(strstr(out, "\"}\\\"{;(\""));
	assert_non_null(strstr(out, "static char c = '}';"));
	assert_non_null(strstr(out, "static int f(void)"));
	free(out);
}

static void strip_keeps_strings_and_continued_macros(void **state)
{
	char *out = run_strip("/* a\n * comment */\n"
			      "#include \"project.h\"\n"
			      "#include <stdio.h>\n"
			      "const char *p = \"/* not a comment */ // nor this\"; // but this\n"
			      "#define M(x) \\\n"
			      "\t/* inside */ \\\n"
			      "\t(x)\n"
			      "int y; /* trailing */\n");

	assert_null(strstr(out, "comment */\n#"));
	assert_null(strstr(out, "project.h"));
	assert_non_null(strstr(out, "#include <stdio.h>\n"));
	assert_non_null(strstr(out, "\"/* not a comment */ // nor this\";\n"));
	assert_null(strstr(out, "but this"));
	assert_non_null(strstr(out, "#define M(x) \\\n"));
	assert_non_null(strstr(out, "\t(x)\n"));
	assert_non_null(strstr(out, "int y;\n"));
	free(out);
}

static char *write_config(const char *const *roots, int n, const char *const *config, int *err,
			  char *missing)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	*err = amalg_write(f, roots, n, config, missing, 256);
	fclose(f);
	return out;
}

/* Every build option on, as fsnc itself is built. */
static const char *const all_options[] = {"FSNC_CONFIG_URING", "FSNC_CONFIG_FAILNTH",
					   "FSNC_CONFIG_MODEL", "FSNC_CONFIG_FSNOTIFY", NULL};

static char *write_roots(const char *const *roots, int n, int *err, char *missing)
{
	return write_config(roots, n, all_options, err, missing);
}

static void every_family_amalgamates(void **state)
{
	int families = 0;

	for (unsigned i = 0; i < amalg_nsources; i++) {
		const char *p = amalg_sources[i].path;
		const char *roots[2] = {p, "harness/repro/repro_main.c"};
		char missing[256] = "", *out;
		int err;

		if (strncmp(p, "cases/", 6) || !strstr(amalg_sources[i].text, "\nFC_FAMILY("))
			continue;
		families++;
		out = write_roots(roots, 2, &err, missing);
		if (err)
			fail_msg("%s: error %d, missing %s", p, err, missing);
		assert_null(strstr(out, "#include \""));
		assert_non_null(strstr(out, "\nFC_FAMILY("));
		assert_non_null(strstr(out, "int main(int argc, char **argv)"));
		/* The family file comes before the harness's sources, the main last. */
		assert_true(strstr(out, "---- harness/base/case.c ----") > strstr(out, p));
		assert_true(strstr(out, "---- harness/repro/repro_main.c ----") >
			    strstr(out, "---- harness/base/case.c ----"));
		free(out);
	}
	assert_true(families >= 20);
}

/*
 * A build option off: its code is not printed at all, and its stubs are; on:
 * the code, not the stubs.  No test of an option is left for the compiler.
 */
static void build_options_are_settled(void **state)
{
	const char *roots[2] = {"cases/stale.c", "harness/repro/repro_main.c"};
	const char *const ring[] = {"FSNC_CONFIG_URING", NULL};
	char missing[256] = "", *out;
	int err;

	out = write_config(roots, 2, NULL, &err, missing);
	assert_int_equal(err, 0);
	assert_null(strstr(out, "FSNC_CONFIG_"));
	assert_null(strstr(out, "IORING_SETUP_SQE128"));   /* the ring's setup */
	assert_null(strstr(out, "enable_uring.journal"));   /* the parameter's guard */
	assert_null(strstr(out, "/sys/kernel/debug"));      /* fail-nth's knobs */
	assert_non_null(strstr(out, "is not built into this file"));
	free(out);
	out = write_config(roots, 2, ring, &err, missing);
	assert_int_equal(err, 0);
	assert_null(strstr(out, "FSNC_CONFIG_"));
	assert_non_null(strstr(out, "IORING_SETUP_SQE128"));
	assert_null(strstr(out, "FUSE over io_uring is not built into"));
	assert_null(strstr(out, "/sys/kernel/debug"));
	free(out);
}

static void a_missing_root_is_named(void **state)
{
	const char *roots[1] = {"cases/no_such_family.c"};
	char missing[256] = "";
	int err;

	free(write_roots(roots, 1, &err, missing));
	assert_int_equal(err, ENOENT);
	assert_string_equal(missing, "cases/no_such_family.c");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unreached_function_and_prototype_go),
		cmocka_unit_test(prototype_before_a_use_stays),
		cmocka_unit_test(reached_through_a_table_and_a_macro),
		cmocka_unit_test(a_member_of_the_same_name_reaches_nothing),
		cmocka_unit_test(roots_stay),
		cmocka_unit_test(struct_returning_function_is_pruned),
		cmocka_unit_test(macros_go_unless_reached),
		cmocka_unit_test(pasted_and_member_macros),
		cmocka_unit_test(enums_go_unless_named),
		cmocka_unit_test(fallbacks_go_with_their_macro),
		cmocka_unit_test(anonymous_and_tagged_bodies),
		cmocka_unit_test(static_asserts_follow_their_structs),
		cmocka_unit_test(literals_do_not_confuse_the_split),
		cmocka_unit_test(strip_keeps_strings_and_continued_macros),
		cmocka_unit_test(every_family_amalgamates),
		cmocka_unit_test(build_options_are_settled),
		cmocka_unit_test(a_missing_root_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
