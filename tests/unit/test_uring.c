// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_uring.c - the pure parts of the io_uring transport and its selection:
 * the cpu-list parser that decides how many queues to register, the payload
 * size the kernel demands (fuse_uring_create_ring_ent() refuses a smaller
 * buffer), the transport names of --transport / FSNC_TRANSPORT, the
 * "unavailable" reason that turns a case into a skip, the runner's choice
 * of which cases need enable_uring, and the kernel's struct layout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include "contain.h"
#include "runner.h"
#include "transport.h"
#include "wire.h"

static void cpulist_counts_ranges_and_singles(void **state)
{
	assert_int_equal(transport_parse_cpulist("0"), 1);
	assert_int_equal(transport_parse_cpulist("0-1\n"), 2);
	assert_int_equal(transport_parse_cpulist("0-3,8-11"), 8);
	assert_int_equal(transport_parse_cpulist("0,2,4"), 3);
	assert_int_equal(transport_parse_cpulist("0-63"), 64);
}

static void cpulist_rejects_malformed_input(void **state)
{
	assert_int_equal(transport_parse_cpulist(NULL), -1);
	assert_int_equal(transport_parse_cpulist(""), -1);
	assert_int_equal(transport_parse_cpulist("\n"), -1);
	assert_int_equal(transport_parse_cpulist("3-1"), -1);
	assert_int_equal(transport_parse_cpulist("0-"), -1);
	assert_int_equal(transport_parse_cpulist("0,"), -1);
	assert_int_equal(transport_parse_cpulist("a"), -1);
	assert_int_equal(transport_parse_cpulist("0-1x"), -1);
	assert_int_equal(transport_parse_cpulist("-1"), -1);
	assert_int_equal(transport_parse_cpulist("0-99999999"), -1);
}

static size_t page(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static void payload_without_max_pages_is_32_pages_or_max_write(void **state)
{
	struct fuse_init_out io = {.max_write = 128 * 1024};

	assert_int_equal(transport_uring_payload_size(&io), 32 * page() > 128 * 1024 ?
			 32 * page() : 128 * 1024);
	io.max_write = 1024 * 1024;
	assert_int_equal(transport_uring_payload_size(&io), 1024 * 1024);
}

static void payload_never_below_fuse_min_read_buffer(void **state)
{
	/* max_write 0 is clamped to 4096 by the kernel; 32 pages still win. */
	struct fuse_init_out io = {.max_write = 0, .flags = FUSE_MAX_PAGES, .max_pages = 1};

	assert_true(transport_uring_payload_size(&io) >= FUSE_MIN_READ_BUFFER);
	assert_int_equal(transport_uring_payload_size(&io),
			 page() > FUSE_MIN_READ_BUFFER ? page() : FUSE_MIN_READ_BUFFER);
}

static void payload_follows_negotiated_max_pages(void **state)
{
	struct fuse_init_out io = {.max_write = 4096, .flags = FUSE_MAX_PAGES, .max_pages = 64};

	assert_int_equal(transport_uring_payload_size(&io), 64 * page());
	/* max_pages 0 means 1 (process_init_reply()'s max_t(.., 1)) */
	io.max_pages = 0;
	assert_int_equal(transport_uring_payload_size(&io),
			 page() > FUSE_MIN_READ_BUFFER ? page() : FUSE_MIN_READ_BUFFER);
}

static void transport_names_round_trip(void **state)
{
	assert_int_equal(transport_parse("devfuse"), TR_DEVFUSE);
	assert_int_equal(transport_parse("uring"), TR_URING);
	assert_int_equal(transport_parse("io_uring"), TR_DEFAULT);
	assert_int_equal(transport_parse(""), TR_DEFAULT);
	assert_int_equal(transport_parse(NULL), TR_DEFAULT);
	assert_string_equal(transport_kind_name(TR_URING), "uring");
	assert_string_equal(transport_kind_name(TR_DEVFUSE), "devfuse");
}

static void selection_defaults_to_devfuse_and_clears_the_reason(void **state)
{
	transport_select(TR_DEFAULT);
	assert_int_equal(transport_selected(), TR_DEVFUSE);
	transport_set_unavailable("first %d", 1);
	transport_set_unavailable("second");
	assert_string_equal(transport_unavailable(), "first 1");
	transport_select(TR_URING);
	assert_int_equal(transport_selected(), TR_URING);
	assert_string_equal(transport_unavailable(), "");
	transport_select(TR_DEVFUSE);
}

static void ring_only_where_it_applies(void **state)
{
	const struct fc_case kernel = {.name = "x/k", .needs = FC_NEED_KERNEL, .labels = "kernel"};
	const struct fc_case model = {.name = "x/m", .needs = 0, .labels = "model"};
	const struct fc_case family = {.name = "uring/x", .needs = FC_NEED_KERNEL,
				       .labels = "kernel;uring"};

	assert_false(contain_uses_uring(&kernel, TR_DEVFUSE));
	assert_true(contain_uses_uring(&kernel, TR_URING));
	assert_false(contain_uses_uring(&model, TR_URING));
	/* the uring family sets up its own ring, whatever the run's transport */
	assert_true(contain_uses_uring(&family, TR_DEVFUSE));
}

static void kernel_struct_layout(void **state)
{
	assert_int_equal(offsetof(struct fuse_uring_req_header, in_out), 0);
	assert_int_equal(offsetof(struct fuse_uring_req_header, op_in), 128);
	assert_int_equal(offsetof(struct fuse_uring_req_header, ring_ent_in_out), 256);
	assert_int_equal(offsetof(struct fuse_uring_ent_in_out, commit_id), 8);
	assert_int_equal(offsetof(struct fuse_uring_ent_in_out, payload_sz), 16);
	assert_int_equal(offsetof(struct fuse_uring_cmd_req, commit_id), 8);
	assert_int_equal(offsetof(struct fuse_uring_cmd_req, qid), 16);
	assert_int_equal(FUSE2_OVER_IO_URING, 1u << (41 - 32));
	assert_true(sizeof(struct fuse_uring_cmd_req) <= 80); /* the SQE128 command area */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpulist_counts_ranges_and_singles),
		cmocka_unit_test(cpulist_rejects_malformed_input),
		cmocka_unit_test(payload_without_max_pages_is_32_pages_or_max_write),
		cmocka_unit_test(payload_never_below_fuse_min_read_buffer),
		cmocka_unit_test(payload_follows_negotiated_max_pages),
		cmocka_unit_test(transport_names_round_trip),
		cmocka_unit_test(selection_defaults_to_devfuse_and_clears_the_reason),
		cmocka_unit_test(ring_only_where_it_applies),
		cmocka_unit_test(kernel_struct_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
