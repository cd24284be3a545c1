// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for the Argo layer on the simulated provider:
 *   argo_layer - the shared cases of tests/selftest/argo_cases.c, each in a
 *		  fresh simulated domain (the e2e suite runs the same cases on
 *		  real Xen);
 *   argo_sim   - behaviour that needs several domains or the simulation's
 *		  counters: VIRQ per send, waiter limit, partner death, query.
 */

#include <kunit/test.h>
#include <linux/argo.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "argo_cases.h"

/* Simulated domain ids, chosen away from 0 so a stray "dom0" shows. */
#define KUNIT_DOMID		7
#define KUNIT_PEER_DOMID	8
#define KUNIT_SENDER_DOMID	100

static void argo_kunit_settle(struct argo_case_ctx *ctx)
{
	argo_sim_flush(ctx->iface);
}

static const void *argo_case_params(const void *prev, char *desc)
{
	const struct argo_case *c = prev ? (const struct argo_case *)prev + 1 :
					   argo_cases;

	if (c >= argo_cases + argo_ncases)
		return NULL;
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
	return c;
}

static void argo_layer_case(struct kunit *test)
{
	const struct argo_case *c = test->param_value;
	struct argo_case_ctx ctx = {
		.port_base = 0x1000,
		.settle = argo_kunit_settle,
	};

	ctx.iface = argo_sim_domain_create(KUNIT_DOMID);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx.iface));
	c->run(&ctx);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ctx.iface), 0U);
	argo_sim_domain_destroy(ctx.iface);
	KUNIT_EXPECT_EQ_MSG(test, ctx.failures, 0U, "%s", ctx.msg);
}

static struct kunit_case argo_layer_cases[] = {
	KUNIT_CASE_PARAM(argo_layer_case, argo_case_params),
	{}
};

static struct kunit_suite argo_layer_suite = {
	.name = "argo_layer",
	.test_cases = argo_layer_cases,
};

/**
 * struct sim_ring - A one-page ring in a simulated domain.
 * @ring: the ring
 * @page: its only page
 */
struct sim_ring {
	struct argo_ring ring;
	struct page *page;
};

static void sim_ring_release(void *data)
{
	struct sim_ring *sr = data;

	if (sr->ring.registered)
		argo_ring_unregister(&sr->ring);
	__free_page(sr->page);
}

/* A 256-byte ring of @iface at @aport, torn down when the test ends. */
static struct sim_ring *sim_ring_create(struct kunit *test,
					struct argo_iface *iface, u32 aport,
					u16 partner)
{
	struct sim_ring *sr = kunit_kzalloc(test, sizeof(*sr), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sr);
	sr->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, sr->page);
	argo_ring_init(&sr->ring, iface, aport, partner, NULL);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sim_ring_release,
							sr), 0);
	KUNIT_ASSERT_EQ(test, argo_ring_register(&sr->ring, &sr->page, 256, 0,
						 GFP_KERNEL), 0);
	return sr;
}

static void sim_domain_release(void *iface)
{
	argo_sim_domain_destroy(iface);
}

/* A simulated domain that dies when the test ends. */
static struct argo_iface *sim_domain_create(struct kunit *test, u16 domid)
{
	struct argo_iface *iface = argo_sim_domain_create(domid);

	KUNIT_ASSERT_FALSE(test, IS_ERR(iface));
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							sim_domain_release,
							iface), 0);
	return iface;
}

static int send_bytes(struct argo_iface *from, u16 domid, u32 aport, u32 len)
{
	static u8 buf[128];
	struct kvec iov = { .iov_base = buf, .iov_len = len };

	return argo_sendv(from, 0, domid, aport, &iov, 1, 0);
}

static void sim_one_virq_per_send(struct kunit *test)
{
	struct argo_iface *self = sim_domain_create(test, KUNIT_DOMID);
	u64 before;
	int i;

	sim_ring_create(test, self, 1, KUNIT_DOMID);
	before = argo_sim_virqs_raised(self);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, send_bytes(self, KUNIT_DOMID, 1, 16), 16);
	KUNIT_EXPECT_EQ(test, argo_sim_virqs_raised(self), before + 2);
	/* A refused send raises nothing. */
	KUNIT_EXPECT_EQ(test, send_bytes(self, KUNIT_DOMID, 2, 16),
			-ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, argo_sim_virqs_raised(self), before + 2);
}

/* Xen keeps at most 32 space waiters per ring; the 33rd sender gets -EBUSY. */
static void sim_busy_after_32_waiters(struct kunit *test)
{
	struct argo_iface *owner = sim_domain_create(test, KUNIT_DOMID);
	int i;

	sim_ring_create(test, owner, 1, XEN_ARGO_DOMID_ANY);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, send_bytes(owner, KUNIT_DOMID, 1, 64), 64);
	for (i = 0; i < 33; i++) {
		struct argo_iface *sender;

		sender = sim_domain_create(test, KUNIT_SENDER_DOMID + i);
		KUNIT_EXPECT_EQ(test, send_bytes(sender, KUNIT_DOMID, 1, 64),
				i < 32 ? -EAGAIN : -EBUSY);
	}
}

static void sim_partner_death(struct kunit *test)
{
	struct argo_iface *self = sim_domain_create(test, KUNIT_DOMID);
	struct argo_iface *peer = argo_sim_domain_create(KUNIT_PEER_DOMID);
	struct sim_ring *sr;

	KUNIT_ASSERT_FALSE(test, IS_ERR(peer));
	sr = sim_ring_create(test, self, 1, KUNIT_PEER_DOMID);
	KUNIT_EXPECT_EQ(test, send_bytes(peer, KUNIT_DOMID, 1, 8), 8);

	argo_sim_domain_destroy(peer);
	/* The hypervisor dropped the ring with its partner. */
	KUNIT_EXPECT_EQ(test, argo_ring_unregister(&sr->ring), 0);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(self), 0U);
	KUNIT_EXPECT_EQ(test, argo_ring_register(&sr->ring, &sr->page, 256, 0,
						 GFP_KERNEL), -ESRCH);
	KUNIT_EXPECT_EQ(test, send_bytes(self, KUNIT_PEER_DOMID, 1, 8), -ESRCH);
}

static void sim_query_flags(struct kunit *test)
{
	struct argo_iface *self = sim_domain_create(test, KUNIT_DOMID);
	struct xen_argo_ring_data_ent ent[3] = {
		{ .ring = { .aport = 1, .domain_id = KUNIT_DOMID },
		  .space_required = 64 },
		{ .ring = { .aport = 1, .domain_id = KUNIT_DOMID },
		  .space_required = 225 },
		{ .ring = { .aport = 2, .domain_id = KUNIT_DOMID } },
	};

	sim_ring_create(test, self, 1, KUNIT_DOMID);
	KUNIT_ASSERT_EQ(test, argo_query(self, ent, 3), 0);
	KUNIT_EXPECT_EQ(test, ent[0].flags, XEN_ARGO_RING_EXISTS |
			XEN_ARGO_RING_EMPTY | XEN_ARGO_RING_SUFFICIENT);
	KUNIT_EXPECT_EQ(test, ent[0].max_message_size,
			argo_ring_max_payload(256));
	KUNIT_EXPECT_EQ(test, ent[1].flags, XEN_ARGO_RING_EXISTS |
			XEN_ARGO_RING_EMPTY | XEN_ARGO_RING_EMSGSIZE);
	KUNIT_EXPECT_EQ(test, ent[2].flags, 0);
}

static struct kunit_case argo_sim_cases[] = {
	KUNIT_CASE(sim_one_virq_per_send),
	KUNIT_CASE(sim_busy_after_32_waiters),
	KUNIT_CASE(sim_partner_death),
	KUNIT_CASE(sim_query_flags),
	{}
};

static struct kunit_suite argo_sim_suite = {
	.name = "argo_sim",
	.test_cases = argo_sim_cases,
};

kunit_test_suites(&argo_layer_suite, &argo_sim_suite);

MODULE_DESCRIPTION("KUnit tests for virtio-argo");
MODULE_LICENSE("GPL");
