// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite argo_abi: the layout of <xen/interface/argo.h> as the
 * hypervisor uses it on x86_64 (sizes observed on Xen 4.17.5). The same
 * layout is checked against Xen's own public header at build time by
 * tests/abi/argo_abi_check.c.
 */

#include <kunit/test.h>
#include <linux/argo.h>
#include <linux/stddef.h>

static void argo_abi_sizes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_addr), 8);
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_send_addr), 16);
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_iov), 16);
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_ring), 64);
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_register_ring), 12);
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_unregister_ring), 8);
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_ring_message_header), 16);
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_ring_data_ent), 20);
	KUNIT_EXPECT_EQ(test, sizeof(struct xen_argo_ring_data), 8);
	KUNIT_EXPECT_EQ(test, sizeof(xen_argo_gfn_t), 8);
}

static void argo_abi_offsets(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, offsetof(struct xen_argo_addr, domain_id), 4);
	KUNIT_EXPECT_EQ(test, offsetof(struct xen_argo_send_addr, dst), 8);
	KUNIT_EXPECT_EQ(test, offsetof(struct xen_argo_iov, iov_len), 8);
	KUNIT_EXPECT_EQ(test, offsetof(struct xen_argo_ring, tx_ptr), 4);
	KUNIT_EXPECT_EQ(test, offsetof(struct xen_argo_ring, ring), 64);
	KUNIT_EXPECT_EQ(test, offsetof(struct xen_argo_register_ring, len), 8);
	KUNIT_EXPECT_EQ(test,
			offsetof(struct xen_argo_ring_message_header, source),
			4);
	KUNIT_EXPECT_EQ(test, offsetof(struct xen_argo_ring_message_header,
				       message_type), 12);
	KUNIT_EXPECT_EQ(test,
			offsetof(struct xen_argo_ring_data_ent, space_required),
			12);
	KUNIT_EXPECT_EQ(test, offsetof(struct xen_argo_ring_data, data), 8);
}

static void argo_abi_ring_geometry(struct kunit *test)
{
	/* Xen's NPAGES_RING: the 64-byte header shares the first page. */
	KUNIT_EXPECT_EQ(test, argo_ring_npages(4032), 1U);
	KUNIT_EXPECT_EQ(test, argo_ring_npages(4048), 2U);
	KUNIT_EXPECT_EQ(test, argo_ring_npages(ARGO_RING_LEN_MAX), 4096U);
	KUNIT_EXPECT_EQ(test, argo_ring_max_payload(256), 224U);
	KUNIT_EXPECT_EQ(test, ARGO_RING_LEN_MIN, 48U);
	KUNIT_EXPECT_EQ(test, XEN_ARGO_DOMID_ANY, 0x7ff4U);
}

static struct kunit_case argo_abi_cases[] = {
	KUNIT_CASE(argo_abi_sizes),
	KUNIT_CASE(argo_abi_offsets),
	KUNIT_CASE(argo_abi_ring_geometry),
	{}
};

static struct kunit_suite argo_abi_suite = {
	.name = "argo_abi",
	.test_cases = argo_abi_cases,
};

kunit_test_suite(argo_abi_suite);
