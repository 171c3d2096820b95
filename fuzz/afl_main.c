// SPDX-License-Identifier: GPL-2.0-only
/*
 * afl_main.c - AFL++ persistent-mode driver for a fuzz target.
 *
 * Built with afl-clang-fast.  One process runs up to AFL_LOOP_COUNT inputs
 * from AFL++'s shared-memory test case buffer; each is copied into an
 * exact-size heap buffer first, as libFuzzer and the replay main do, so an
 * overread is an overread under every engine.  Outside afl-fuzz (no shared
 * memory) the same binary reads one input from stdin.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

#define AFL_LOOP_COUNT 10000

__AFL_FUZZ_INIT();

int main(void)
{
	__AFL_INIT();
	unsigned char *shm = __AFL_FUZZ_TESTCASE_BUF;

	while (__AFL_LOOP(AFL_LOOP_COUNT)) {
		size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
		uint8_t *copy = malloc(len ? len : 1);

		if (!copy)
			abort();
		memcpy(copy, shm, len);
		LLVMFuzzerTestOneInput(copy, len);
		free(copy);
	}
	return 0;
}
