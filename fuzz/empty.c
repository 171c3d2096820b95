// SPDX-License-Identifier: GPL-2.0-only
/*
 * empty.c - the floor: a target that does nothing with its input.  `scripts/fuzz
 * --bench` runs it beside the real targets, so each target's cost is printed
 * as a ratio to what the engine itself costs on this machine.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data;
	(void)size;
	return 0;
}
