// SPDX-License-Identifier: GPL-2.0-only
/*
 * fsnotify_request.c - fuzz target: the decoder of the kernel -> server
 * FSNOTIFY request of every profile (fsn_decode_request, harness/abi/fsn_codec.h),
 * the one the harness server runs on every FSNOTIFY it reads.
 *
 * Input: byte 0 picks the profile (modulo the profile count), bytes 1..8 are
 * fuse_in_header.nodeid (little-endian; missing bytes are 0), the rest is
 * the request payload.
 *
 * Properties: the verdict is 0 or EPROTO (a request no kernel of the profile
 * would send); an accepted request re-encodes to exactly its payload; the
 * verdict does not depend on memory past the length; an accepted request
 * has a non-zero nodeid and a mask that fits in 32 bits; a generation is
 * reported only by profiles whose request carries one.
 */
#include <errno.h>
#include <string.h>

#include "fsn_codec.h"
#include "fuzz.h"
#include "profiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	const struct fsn_profile *p;
	const uint8_t *payload;
	struct fsn_request rq, rq2;
	uint8_t out[256], *big;
	uint64_t nodeid;
	size_t len;
	int err, err2;

	if (size < 1)
		return 0;
	p = fsn_profile_at(fuzz_u8(&in) % fsn_profile_count());
	nodeid = fuzz_u64(&in);
	len = fuzz_bytes(&in, in.left, &payload);

	err = fsn_decode_request(p, nodeid, payload, len, &rq);
	FUZZ_CHECK(err == 0 || err == EPROTO, "%s: request verdict %d", p->name, err);
	if (!err) {
		size_t w = fsn_encode_request(p, &rq, out, sizeof(out));

		FUZZ_CHECK(w == len && !memcmp(out, payload, len),
			   "%s: encode(decode(x)) gave %zu bytes for a %zu-byte request", p->name, w,
			   len);
		FUZZ_CHECK(rq.nodeid == nodeid && nodeid != 0, "%s: nodeid %llu accepted", p->name,
			   (unsigned long long)rq.nodeid);
		FUZZ_CHECK(rq.mask <= UINT32_MAX, "%s: mask 0x%llx accepted", p->name,
			   (unsigned long long)rq.mask);
		FUZZ_CHECK(rq.has_generation == (p->request_wire == FSN_REQUEST_WIRE_FSN1),
			   "%s: has_generation %d", p->name, rq.has_generation);
	}

	big = malloc(len + 32);
	if (!big)
		abort();
	memcpy(big, payload, len);
	memset(big + len, 0xa5, 32);
	err2 = fsn_decode_request(p, nodeid, big, len, &rq2);
	FUZZ_CHECK(err2 == err, "%s: verdict %d with bytes past the end, %d without", p->name, err2,
		   err);
	if (!err)
		FUZZ_CHECK(rq2.mask == rq.mask && rq2.generation == rq.generation &&
				   rq2.group == rq.group && rq2.action == rq.action &&
				   rq2.defects == rq.defects,
			   "%s: decoded request changed with bytes past the end", p->name);
	free(big);
	return 0;
}
