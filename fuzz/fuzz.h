/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz.h - what every fuzz target shares.
 *
 * A target is one file defining LLVMFuzzerTestOneInput(data, size).  It is
 * linked three ways (fuzz/CMakeLists.txt): with libFuzzer, with AFL++'s
 * persistent loop (afl_main.c), and with replay_main.c, which ctest runs over
 * the target's corpus in every normal test run.  All three hand the target
 * an exact-size heap copy of the input, so ASan sees a read one byte past it.
 *
 * A target checks properties, not only "no crash": a property that does not
 * hold is reported by FUZZ_CHECK, which prints what broke and aborts, so
 * every engine records the input as a crash.
 */
#ifndef FSNC_FUZZ_H
#define FSNC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                        \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz: property failed at %s:%d: %s\n", __FILE__, \
				__LINE__, #cond);                                    \
			fprintf(stderr, "fuzz: " __VA_ARGS__);                      \
			fputc('\n', stderr);                                         \
			abort();                                                     \
		}                                                                    \
	} while (0)

/* Do the n bytes at p lie inside buf[0..len)?  (What a parser hands out must.) */
static inline int fuzz_within(const void *buf, size_t len, const void *p, size_t n)
{
	const uint8_t *b = buf, *q = p;

	return q >= b && q + n <= b + len;
}

/* A cursor over the input for targets that read it as a sequence of fields. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

static inline uint32_t fuzz_u32(struct fuzz_in *in)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)fuzz_u8(in) << (8 * i);
	return v;
}

static inline uint64_t fuzz_u64(struct fuzz_in *in)
{
	uint64_t lo = fuzz_u32(in);

	return lo | (uint64_t)fuzz_u32(in) << 32;
}

/* Up to n bytes, fewer when the input runs out; returns how many. */
static inline size_t fuzz_bytes(struct fuzz_in *in, size_t n, const uint8_t **out)
{
	if (n > in->left)
		n = in->left;
	*out = in->p;
	in->p += n;
	in->left -= n;
	return n;
}

#endif
