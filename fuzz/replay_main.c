// SPDX-License-Identifier: GPL-2.0-only
/*
 * replay_main.c - run a fuzz target over files, without a fuzzing engine.
 *
 * ctest runs every target this way over its whole corpus (corpus/<target>/,
 * regressions included) in every normal test run, with gcc and under
 * ASan+UBSan, so an input that once crashed stays fixed.
 *
 *   fuzz_<target> PATH...    PATH is a file or a directory (its regular files,
 *                            one level, in name order)
 *
 * Each input is read whole into an exact-size heap buffer (no slack for an
 * overread to hide in).  Exit 0 when every input ran, 2 with a one-line
 * message for a path that cannot be read; a property failure aborts inside
 * the target, naming the file on stderr first.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Larger inputs than any engine produces; refused with a message, not read. */
#define REPLAY_MAX_INPUT (64u << 20)

static int replay_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return 2;
	}
	if (fstat(fileno(f), &st) || st.st_size < 0 || (size_t)st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: not a readable input of at most %u bytes\n", path,
			REPLAY_MAX_INPUT);
		fclose(f);
		return 2;
	}
	/* malloc(0) may return NULL: keep a 1-byte allocation, pass size 0. */
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		fclose(f);
		return 2;
	}
	while (got < (size_t)st.st_size) {
		size_t r = fread(buf + got, 1, (size_t)st.st_size - got, f);

		if (!r)
			break;
		got += r;
	}
	fclose(f);
	if (got != (size_t)st.st_size) {
		fprintf(stderr, "replay: %s: short read (%zu of %lld bytes)\n", path, got,
			(long long)st.st_size);
		free(buf);
		return 2;
	}
	/* An empty input is a valid input: every target must take it. */
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, got);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int replay_dir(const char *dir, unsigned *count)
{
	struct dirent **ents;
	int n, rc = 0;

	n = scandir(dir, &ents, NULL, by_name);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && !stat(path, &st) && S_ISREG(st.st_mode)) {
			if (replay_file(path))
				rc = 2;
			else
				(*count)++;
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 2;
		} else if (S_ISDIR(st.st_mode)) {
			rc |= replay_dir(argv[i], &count);
		} else if (replay_file(argv[i])) {
			rc = 2;
		} else {
			count++;
		}
	}
	printf("replay: %u inputs ran%s\n", count, rc ? ", some paths could not be read" : "");
	return rc;
}
