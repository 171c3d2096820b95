// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuse_request.c - fuzz target: the server's strict splitter of a request
 * read from /dev/fuse (fw_req_parse, harness/abi/wire.h), the first thing the
 * harness does with every byte the kernel sends it.
 *
 * Input: the request as read(2) returned it, fuse_in_header included.
 *
 * Properties: the verdict is 0 or EPROTO; an accepted request has
 * hdr.len == the bytes read; its payload and names lie inside the buffer;
 * names are NUL-terminated inside it; the fixed part of the opcode's payload
 * fits; fw_req_describe always renders it.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "wire.h"

static void check_inside(const uint8_t *buf, size_t len, const void *p, size_t n, const char *what)
{
	FUZZ_CHECK(fuzz_within(buf, len, p, n),
		   "%s (%zu bytes) lies outside the %zu-byte request", what, n, len);
}

/* A name starts inside the request and its NUL is inside it too. */
static void check_name(const uint8_t *buf, size_t len, const char *name, const char *what)
{
	if (!name)
		return;
	check_inside(buf, len, name, 1, what);
	FUZZ_CHECK(memchr(name, 0, (size_t)(buf + len - (const uint8_t *)name)) != NULL,
		   "%s is not NUL-terminated inside the request", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_req req;
	char line[512];
	int err;

	err = fw_req_parse(data, size, &req);
	FUZZ_CHECK(err == 0 || err == EPROTO, "fw_req_parse: %d", err);
	if (err)
		return 0;
	FUZZ_CHECK(req.hdr.len == size, "hdr.len %u for %zu bytes", req.hdr.len, size);
	if (req.arglen)
		check_inside(data, size, req.arg, req.arglen, "payload");
	FUZZ_CHECK(req.arglen >= fw_req_fixed_size(req.hdr.opcode), "%zu-byte payload for %s",
		   req.arglen, fw_opcode_name(req.hdr.opcode));
	check_name(data, size, req.name, "name");
	check_name(data, size, req.name2, "name2");
	FUZZ_CHECK(fw_req_describe(&req, line, sizeof(line)) >= 0, "no description");
	return 0;
}
