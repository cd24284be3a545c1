// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argo layer test cases. Each case talks to rings of its own domain (Xen
 * allows sending to oneself), so they need no second domain and run the
 * same on the simulation and on a real dom0. The exact counts they expect
 * (messages before -EAGAIN, rings before -ENOSPC) follow from Xen's rules,
 * so a provider that differs from Xen fails them.
 *
 * The slot-leak case runs last: on real Xen the slot it leaks is gone for
 * the rest of the domain's life.
 */

#include <linux/atomic.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "argo_cases.h"

#define TEST_MAX_PAGES	3

/**
 * struct test_ring - A ring and the pages it was given.
 * @ring: the ring
 * @pages: its page list, as given to the hypervisor
 * @owned: the distinct pages to free
 * @nowned: number of entries in @owned
 * @events: event callbacks run so far
 * @wait: woken by each event callback
 */
struct test_ring {
	struct argo_ring ring;
	struct page *pages[TEST_MAX_PAGES];
	struct page *owned[TEST_MAX_PAGES];
	unsigned int nowned;
	atomic_t events;
	wait_queue_head_t wait;
};

void argo_case_fail(struct argo_case_ctx *ctx, int line, const char *fmt, ...)
{
	va_list args;
	int n;

	if (!ctx->failures++) {
		n = scnprintf(ctx->msg, sizeof(ctx->msg), "line %d: ", line);
		va_start(args, fmt);
		vscnprintf(ctx->msg + n, sizeof(ctx->msg) - n, fmt, args);
		va_end(args);
	}
}
EXPORT_SYMBOL_GPL(argo_case_fail);

static void test_ring_event(struct argo_ring *ring)
{
	struct test_ring *tr = container_of(ring, struct test_ring, ring);

	atomic_inc(&tr->events);
	wake_up(&tr->wait);
}

/*
 * Allocate a ring with @npages distinct pages, each allocated on its own so
 * they are unlikely to be contiguous; the caller may rearrange tr->pages.
 */
static struct test_ring *test_ring_alloc(struct argo_case_ctx *ctx, u32 aport,
					 u16 partner, unsigned int npages,
					 bool events)
{
	struct test_ring *tr = kzalloc(sizeof(*tr), GFP_KERNEL);
	unsigned int i;

	if (!tr) {
		argo_case_fail(ctx, __LINE__, "out of memory");
		return NULL;
	}
	for (i = 0; i < npages; i++) {
		tr->owned[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!tr->owned[i])
			break;
		tr->pages[i] = tr->owned[i];
		tr->nowned++;
	}
	if (tr->nowned != npages) {
		argo_case_fail(ctx, __LINE__, "out of memory");
		while (tr->nowned)
			__free_page(tr->owned[--tr->nowned]);
		kfree(tr);
		return NULL;
	}
	init_waitqueue_head(&tr->wait);
	argo_ring_init(&tr->ring, ctx->iface, aport, partner,
		       events ? test_ring_event : NULL);
	return tr;
}

static void test_ring_free(struct test_ring *tr)
{
	if (!tr)
		return;
	if (tr->ring.registered)
		argo_ring_unregister(&tr->ring);
	while (tr->nowned)
		__free_page(tr->owned[--tr->nowned]);
	kfree(tr);
}

static int test_ring_register(struct test_ring *tr, u32 len, u32 start)
{
	return argo_ring_register(&tr->ring, tr->pages, len, start, GFP_KERNEL);
}

/* A registered ring of the case's own domain, or NULL after a failure. */
static struct test_ring *test_ring_create(struct argo_case_ctx *ctx,
					  u32 aport, u32 len, u32 start,
					  bool events)
{
	struct test_ring *tr;
	int ret;

	tr = test_ring_alloc(ctx, aport, argo_iface_domid(ctx->iface),
			     argo_ring_npages(len), events);
	if (!tr)
		return NULL;
	ret = test_ring_register(tr, len, start);
	if (ret) {
		argo_case_fail(ctx, __LINE__, "registering port %#x: %d",
			       aport, ret);
		test_ring_free(tr);
		return NULL;
	}
	return tr;
}

static u8 *ring_data_byte(struct test_ring *tr, u32 pos)
{
	u32 off = ARGO_RING_HEADER_SIZE + pos;

	return (u8 *)page_address(tr->pages[off / ARGO_PAGE_SIZE]) +
		off % ARGO_PAGE_SIZE;
}

static struct xen_argo_ring *ring_header(struct test_ring *tr)
{
	return page_address(tr->pages[0]);
}

static int send_self(struct argo_case_ctx *ctx, u32 dst_aport,
		     const void *buf, u32 len)
{
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };

	return argo_sendv(ctx->iface, ctx->port_base + 0xff,
			  argo_iface_domid(ctx->iface), dst_aport, &iov, 1, 0);
}

static void fill_pattern(u8 *buf, u32 len, u8 seed)
{
	u32 i;

	for (i = 0; i < len; i++)
		buf[i] = seed + i * 7;
}

static void case_register_unregister(struct argo_case_ctx *ctx)
{
	u32 port = ctx->port_base;
	unsigned int before = argo_rings_in_use(ctx->iface);
	struct test_ring *tr, *twin;

	tr = test_ring_create(ctx, port, 256, 0, false);
	if (!tr)
		return;
	ARGO_EXPECT_EQ(ctx, argo_rings_in_use(ctx->iface), before + 1);

	twin = test_ring_alloc(ctx, port, argo_iface_domid(ctx->iface), 1,
			       false);
	if (twin) {
		ARGO_EXPECT_EQ(ctx, test_ring_register(twin, 256, 0), -EEXIST);
		test_ring_free(twin);
	}

	ARGO_EXPECT_EQ(ctx, argo_ring_unregister(&tr->ring), 0);
	ARGO_EXPECT_EQ(ctx, argo_rings_in_use(ctx->iface), before);
	/* The port is free again. */
	ARGO_EXPECT_EQ(ctx, test_ring_register(tr, 256, 0), 0);
	test_ring_free(tr);
	ARGO_EXPECT_EQ(ctx, argo_rings_in_use(ctx->iface), before);
}

static void case_bad_ring_length(struct argo_case_ctx *ctx)
{
	struct test_ring *tr;

	tr = test_ring_alloc(ctx, ctx->port_base, argo_iface_domid(ctx->iface),
			     1, false);
	if (!tr)
		return;
	/* Below header + payload slot + free slot. */
	ARGO_EXPECT_EQ(ctx, test_ring_register(tr, 32, 0), -EINVAL);
	/* Not a multiple of the 16-byte slot. */
	ARGO_EXPECT_EQ(ctx, test_ring_register(tr, 1000, 0), -EINVAL);
	/* The smallest ring Xen accepts. */
	ARGO_EXPECT_EQ(ctx, test_ring_register(tr, ARGO_RING_LEN_MIN, 0), 0);
	test_ring_free(tr);
}

static void case_sendv_self_roundtrip(struct argo_case_ctx *ctx)
{
	static const char head[] = "virtio-argo ";
	u8 body[100], tail = 0x7e, got[128];
	struct kvec iov[3] = {
		{ .iov_base = (void *)head, .iov_len = sizeof(head) - 1 },
		{ .iov_base = body, .iov_len = sizeof(body) },
		{ .iov_base = &tail, .iov_len = 1 },
	};
	u32 len = sizeof(head) - 1 + sizeof(body) + 1;
	struct test_ring *tr;
	struct argo_msg msg;

	tr = test_ring_create(ctx, ctx->port_base, 1024, 0, false);
	if (!tr)
		return;
	fill_pattern(body, sizeof(body), 3);

	ARGO_EXPECT_EQ(ctx, argo_sendv(ctx->iface, ctx->port_base + 7,
				       argo_iface_domid(ctx->iface),
				       ctx->port_base, iov, 3, 0x5a5a),
		       len);
	ARGO_EXPECT_EQ(ctx, argo_ring_tx_ptr(&tr->ring),
		       ARGO_MSG_HEADER_SIZE + argo_slot_roundup(len));
	ARGO_EXPECT_EQ(ctx, argo_ring_peek(&tr->ring, &msg), 0);
	ARGO_EXPECT_EQ(ctx, msg.source.domain_id, argo_iface_domid(ctx->iface));
	ARGO_EXPECT_EQ(ctx, msg.source.aport, ctx->port_base + 7);
	ARGO_EXPECT_EQ(ctx, msg.type, 0x5a5a);
	ARGO_EXPECT_EQ(ctx, msg.len, len);
	ARGO_EXPECT_EQ(ctx, argo_ring_recv(&tr->ring, &msg, got, sizeof(got)),
		       len);
	ARGO_EXPECT(ctx, !memcmp(got, head, sizeof(head) - 1));
	ARGO_EXPECT(ctx, !memcmp(got + sizeof(head) - 1, body, sizeof(body)));
	ARGO_EXPECT_EQ(ctx, got[len - 1], tail);
	ARGO_EXPECT_EQ(ctx, argo_ring_peek(&tr->ring, &msg), -EAGAIN);
	test_ring_free(tr);
}

static void case_payload_wraps_at_ring_end(struct argo_case_ctx *ctx)
{
	const u32 len = 1024, start = len - ARGO_MSG_HEADER_SIZE;
	u8 sent[200], got[200];
	struct test_ring *tr;
	struct argo_msg msg;

	tr = test_ring_create(ctx, ctx->port_base, len, start, false);
	if (!tr)
		return;
	fill_pattern(sent, sizeof(sent), 11);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, sent, sizeof(sent)),
		       sizeof(sent));
	/* The header took the last slot; the payload went on at offset 0. */
	ARGO_EXPECT_EQ(ctx, *ring_data_byte(tr, 0), sent[0]);
	ARGO_EXPECT_EQ(ctx, *ring_data_byte(tr, sizeof(sent) - 1),
		       sent[sizeof(sent) - 1]);
	ARGO_EXPECT_EQ(ctx, argo_ring_tx_ptr(&tr->ring),
		       argo_slot_roundup(sizeof(sent)));
	ARGO_EXPECT_EQ(ctx, argo_ring_recv(&tr->ring, &msg, got, sizeof(got)),
		       sizeof(got));
	ARGO_EXPECT(ctx, !memcmp(got, sent, sizeof(sent)));
	test_ring_free(tr);
}

static void case_noncontiguous_pages(struct argo_case_ctx *ctx)
{
	const u32 len = 3 * ARGO_PAGE_SIZE - ARGO_RING_HEADER_SIZE;
	const u32 size = 9000, probe = 5000;
	struct test_ring *tr;
	struct argo_msg msg;
	u8 *sent, *got;

	tr = test_ring_alloc(ctx, ctx->port_base, argo_iface_domid(ctx->iface),
			     3, false);
	sent = kmalloc(size, GFP_KERNEL);
	got = kmalloc(size, GFP_KERNEL);
	if (!tr || !sent || !got)
		goto out;
	/* Hand the pages over out of allocation order. */
	swap(tr->pages[1], tr->pages[2]);
	ARGO_EXPECT_EQ(ctx, test_ring_register(tr, len, 0), 0);

	fill_pattern(sent, size, 29);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, sent, size), size);
	/* Payload byte k sits at ring byte 16 + k, in page (64 + 16 + k) / 4K. */
	ARGO_EXPECT_EQ(ctx, *ring_data_byte(tr, ARGO_MSG_HEADER_SIZE + probe),
		       sent[probe]);
	ARGO_EXPECT_EQ(ctx, argo_ring_recv(&tr->ring, &msg, got, size), size);
	ARGO_EXPECT(ctx, !memcmp(got, sent, size));
out:
	kfree(got);
	kfree(sent);
	test_ring_free(tr);
}

/*
 * The used-ring delivery trick: a ring of [header page, U, U] with the
 * first message placed at U's first byte. A 4100-byte image then writes
 * U[0..4095] and wraps its last 4 bytes onto U[0..3] again, so the 4-byte
 * flags+idx word is written after the entries it publishes.
 */
static void case_same_page_twice(struct argo_case_ctx *ctx)
{
	const u32 len = (ARGO_PAGE_SIZE - ARGO_RING_HEADER_SIZE) +
			ARGO_PAGE_SIZE + XEN_ARGO_MSG_SLOT_SIZE;
	const u32 start = ARGO_PAGE_SIZE - ARGO_RING_HEADER_SIZE -
			  ARGO_MSG_HEADER_SIZE;
	static const u8 new_idx[4] = { 0x22, 0x22, 0x00, 0x00 };
	const u32 size = ARGO_PAGE_SIZE + sizeof(new_idx);
	struct test_ring *tr;
	u8 *image, *used;

	tr = test_ring_alloc(ctx, ctx->port_base, argo_iface_domid(ctx->iface),
			     2, false);
	image = kmalloc(size, GFP_KERNEL);
	if (!tr || !image)
		goto out;
	tr->pages[2] = tr->pages[1];
	used = page_address(tr->pages[1]);
	memset(used, 0xaa, ARGO_PAGE_SIZE);
	ARGO_EXPECT_EQ(ctx, argo_ring_npages(len), 3);
	ARGO_EXPECT_EQ(ctx, test_ring_register(tr, len, start), 0);

	memset(image, 0x11, 4);
	fill_pattern(image + 4, ARGO_PAGE_SIZE - 4, 5);
	memcpy(image + ARGO_PAGE_SIZE, new_idx, sizeof(new_idx));
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, image, size), size);
	ARGO_EXPECT(ctx, !memcmp(used, new_idx, sizeof(new_idx)));
	ARGO_EXPECT(ctx, !memcmp(used + 4, image + 4, ARGO_PAGE_SIZE - 4));
	/* The image ends exactly at the ring end. */
	ARGO_EXPECT_EQ(ctx, argo_ring_tx_ptr(&tr->ring), 0);
out:
	kfree(image);
	test_ring_free(tr);
}

/*
 * A 256-byte ring takes three 64-byte messages (80 bytes each with their
 * header), and never a message that would fill it to the last byte: one
 * slot stays free, or a full ring would look empty.
 */
static void case_full_ring_eagain(struct argo_case_ctx *ctx)
{
	u8 buf[80] = { 1 }, got[64];
	struct test_ring *tr;
	struct argo_msg msg;

	tr = test_ring_create(ctx, ctx->port_base, 256, 0, false);
	if (!tr)
		return;
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 64), 64);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 64), 64);
	/* 96 bytes free: a 16 + 80 byte message would leave no free slot. */
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 80), -EAGAIN);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 64), 64);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 64), -EAGAIN);
	/* Room made by the reader is usable at once by a retry. */
	ARGO_EXPECT_EQ(ctx, argo_ring_recv(&tr->ring, &msg, got, 64), 64);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 64), 64);
	test_ring_free(tr);
}

static void case_space_wakeup_needs_notify(struct argo_case_ctx *ctx)
{
	u8 buf[64] = { 2 }, got[64];
	struct test_ring *tr;
	struct argo_msg msg;
	int i, before;

	tr = test_ring_create(ctx, ctx->port_base, 256, 0, true);
	if (!tr)
		return;
	for (i = 0; i < 3; i++)
		send_self(ctx, ctx->port_base, buf, 64);
	/* Refused, and this domain is now queued as waiting for space. */
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 64), -EAGAIN);
	ctx->settle(ctx);
	before = atomic_read(&tr->events);

	ARGO_EXPECT_EQ(ctx, argo_ring_recv(&tr->ring, &msg, got, 64), 64);
	ctx->settle(ctx);
	ARGO_EXPECT_EQ(ctx, atomic_read(&tr->events), before);

	ARGO_EXPECT_EQ(ctx, argo_notify(ctx->iface), 0);
	ARGO_EXPECT(ctx, wait_event_timeout(tr->wait,
					    atomic_read(&tr->events) > before,
					    HZ));
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 64), 64);
	test_ring_free(tr);
}

static void case_every_send_raises_virq(struct argo_case_ctx *ctx)
{
	u8 buf[16] = { 3 };
	struct test_ring *tr;
	u64 before;

	tr = test_ring_create(ctx, ctx->port_base, 1024, 0, true);
	if (!tr)
		return;
	ctx->settle(ctx);
	before = argo_virqs_handled(ctx->iface);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 16), 16);
	ARGO_EXPECT(ctx, wait_event_timeout(tr->wait,
					    atomic_read(&tr->events) > 0, HZ));
	ARGO_EXPECT(ctx, argo_virqs_handled(ctx->iface) > before);
	test_ring_free(tr);
}

static void case_message_size_limit(struct argo_case_ctx *ctx)
{
	const u32 len = 256, max = argo_ring_max_payload(len);
	u8 buf[256] = { 4 };
	struct test_ring *tr;

	tr = test_ring_create(ctx, ctx->port_base, len, 0, false);
	if (!tr)
		return;
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, max + 1),
		       -EMSGSIZE);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, max), max);
	test_ring_free(tr);
}

static void case_missing_ring_refused(struct argo_case_ctx *ctx)
{
	u8 buf[8] = { 5 };
	struct test_ring *tr;

	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base + 1, buf, 8),
		       -ECONNREFUSED);
	tr = test_ring_create(ctx, ctx->port_base, 256, 0, false);
	if (!tr)
		return;
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 8), 8);
	ARGO_EXPECT_EQ(ctx, argo_ring_unregister(&tr->ring), 0);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 8),
		       -ECONNREFUSED);
	test_ring_free(tr);
}

static void case_wildcard_ring(struct argo_case_ctx *ctx)
{
	u8 buf[8] = { 6 }, got[8];
	struct test_ring *tr;
	struct argo_msg msg;

	tr = test_ring_alloc(ctx, ctx->port_base, XEN_ARGO_DOMID_ANY, 1, false);
	if (!tr)
		return;
	ARGO_EXPECT_EQ(ctx, test_ring_register(tr, 256, 0), 0);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 8), 8);
	ARGO_EXPECT_EQ(ctx, argo_ring_recv(&tr->ring, &msg, got, 8), 8);
	ARGO_EXPECT_EQ(ctx, msg.source.domain_id, argo_iface_domid(ctx->iface));
	test_ring_free(tr);
}

/* Register one-page rings until refused; returns how many were accepted. */
static int fill_ring_budget(struct argo_case_ctx *ctx, struct test_ring **trs,
			    u32 first_port, int *error)
{
	int n;

	*error = 0;
	for (n = 0; n <= ARGO_MAX_RINGS; n++) {
		trs[n] = test_ring_alloc(ctx, first_port + n,
					 argo_iface_domid(ctx->iface), 1, false);
		if (!trs[n])
			break;
		*error = test_ring_register(trs[n], 256, 0);
		if (*error) {
			test_ring_free(trs[n]);
			trs[n] = NULL;
			break;
		}
	}
	return n;
}

static void free_rings(struct test_ring **trs, int n)
{
	while (n--)
		test_ring_free(trs[n]);
}

/**
 * argo_free_ring_slots() - Count the rings the hypervisor still grants.
 * @iface: the Argo interface
 * @first_port: first of ARGO_MAX_RINGS + 1 free ports to use
 *
 * Registers one-page rings until refused, then frees them. Comparing two
 * counts shows whether anything in between leaked a ring slot, in the
 * hypervisor's own accounting.
 *
 * Return: the number of rings registered, or the error that stopped it if
 * that was not -ENOSPC.
 */
int argo_free_ring_slots(struct argo_iface *iface, u32 first_port)
{
	struct argo_case_ctx ctx = { .iface = iface };
	struct test_ring **trs;
	int n, error;

	trs = kcalloc(ARGO_MAX_RINGS + 1, sizeof(*trs), GFP_KERNEL);
	if (!trs)
		return -ENOMEM;
	n = fill_ring_budget(&ctx, trs, first_port, &error);
	free_rings(trs, n);
	kfree(trs);
	return error == -ENOSPC ? n : error;
}

static void case_ring_budget_enospc(struct argo_case_ctx *ctx)
{
	unsigned int before = argo_rings_in_use(ctx->iface);
	struct test_ring **trs;
	int n, error;

	trs = kcalloc(ARGO_MAX_RINGS + 1, sizeof(*trs), GFP_KERNEL);
	if (!trs) {
		argo_case_fail(ctx, __LINE__, "out of memory");
		return;
	}
	n = fill_ring_budget(ctx, trs, ctx->port_base, &error);
	ARGO_EXPECT_EQ(ctx, error, -ENOSPC);
	ARGO_EXPECT_EQ(ctx, n, ARGO_MAX_RINGS - before);
	free_rings(trs, n);
	ARGO_EXPECT_EQ(ctx, argo_rings_in_use(ctx->iface), before);

	/* Every slot came back. */
	n = fill_ring_budget(ctx, trs, ctx->port_base, &error);
	ARGO_EXPECT_EQ(ctx, n, ARGO_MAX_RINGS - before);
	free_rings(trs, n);
	kfree(trs);
}

/*
 * Xen reads tx_ptr from the ring header at registration only: a later
 * change to the header is ignored until the ring is registered again. And
 * each re-registration costs a ring slot for good.
 */
static void case_reregister_reads_tx_and_leaks_slot(struct argo_case_ctx *ctx)
{
	u8 buf[32] = { 7 }, got[32];
	struct test_ring *tr, **trs;
	struct argo_msg msg;
	int before, after, error;

	trs = kcalloc(ARGO_MAX_RINGS + 1, sizeof(*trs), GFP_KERNEL);
	tr = test_ring_create(ctx, ctx->port_base, 1024, 0, false);
	if (!trs || !tr)
		goto out;

	before = fill_ring_budget(ctx, trs, ctx->port_base + 1, &error);
	free_rings(trs, before);

	/* Scribbling on the header's tx_ptr changes nothing... */
	WRITE_ONCE(ring_header(tr)->tx_ptr, 512);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 32), 32);
	ARGO_EXPECT_EQ(ctx, argo_ring_peek(&tr->ring, &msg), 0);
	ARGO_EXPECT_EQ(ctx, msg.payload, ARGO_MSG_HEADER_SIZE);
	ARGO_EXPECT_EQ(ctx, argo_ring_recv(&tr->ring, &msg, got, 32), 32);

	/* ...until the ring is registered again. */
	tr->ring.rx = 512;
	WRITE_ONCE(ring_header(tr)->rx_ptr, 512);
	WRITE_ONCE(ring_header(tr)->tx_ptr, 512);
	ARGO_EXPECT_EQ(ctx, argo_ring_reregister(&tr->ring, GFP_KERNEL), 0);
	ARGO_EXPECT_EQ(ctx, send_self(ctx, ctx->port_base, buf, 32), 32);
	ARGO_EXPECT_EQ(ctx, argo_ring_peek(&tr->ring, &msg), 0);
	ARGO_EXPECT_EQ(ctx, msg.payload, 512 + ARGO_MSG_HEADER_SIZE);

	/* Unregistering gives back one slot of the two it took. */
	test_ring_free(tr);
	tr = NULL;
	after = fill_ring_budget(ctx, trs, ctx->port_base + 1, &error);
	free_rings(trs, after);
	ARGO_EXPECT_EQ(ctx, error, -ENOSPC);
	ARGO_EXPECT_EQ(ctx, after, before);
out:
	test_ring_free(tr);
	kfree(trs);
}

const struct argo_case argo_cases[] = {
	{ "register_unregister", case_register_unregister },
	{ "bad_ring_length", case_bad_ring_length },
	{ "sendv_self_roundtrip", case_sendv_self_roundtrip },
	{ "payload_wraps_at_ring_end", case_payload_wraps_at_ring_end },
	{ "noncontiguous_pages", case_noncontiguous_pages },
	{ "same_page_twice", case_same_page_twice },
	{ "full_ring_eagain", case_full_ring_eagain },
	{ "space_wakeup_needs_notify", case_space_wakeup_needs_notify },
	{ "every_send_raises_virq", case_every_send_raises_virq },
	{ "message_size_limit", case_message_size_limit },
	{ "missing_ring_refused", case_missing_ring_refused },
	{ "wildcard_ring", case_wildcard_ring },
	{ "ring_budget_enospc", case_ring_budget_enospc },
	{ "reregister_reads_tx_and_leaks_slot",
	  case_reregister_reads_tx_and_leaks_slot },
};
EXPORT_SYMBOL_GPL(argo_cases);

const unsigned int argo_ncases = ARRAY_SIZE(argo_cases);
EXPORT_SYMBOL_GPL(argo_ncases);
