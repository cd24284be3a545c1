// SPDX-License-Identifier: GPL-2.0-only
/*
 * The test's driver of the device-side KUnit suites: see
 * backend_harness.h.
 */

#include <kunit/test.h>
#include <linux/argo.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/virtio_argo.h>
#include <uapi/linux/virtio_config.h>

#include "backend_harness.h"

/**
 * bt_ring_release() - Unregister a ring of the test's driver, free its pages.
 * @r: the ring; set up, partly set up or released already
 */
void bt_ring_release(struct bt_ring *r)
{
	unsigned int i;

	if (r->ring.registered)
		argo_ring_unregister(&r->ring);
	for (i = 0; r->pages && i < r->npages; i++)
		if (r->pages[i])
			__free_page(r->pages[i]);
	kfree(r->pages);
	r->pages = NULL;
}

/**
 * bt_ring_setup() - Register a ring of the test's driver.
 * @bt: the test's driver
 * @r: the ring, zeroed; bt_ring_release() frees it even on failure
 * @port: its port, open to the device domain only
 * @len: its length
 * @start: where its first message goes
 *
 * Return: 0, or a negative errno.
 */
int bt_ring_setup(struct bt *bt, struct bt_ring *r, u32 port, u32 len,
		  u32 start)
{
	unsigned int i;

	r->npages = argo_ring_npages(len);
	r->pages = kcalloc(r->npages, sizeof(*r->pages), GFP_KERNEL);
	if (!r->pages)
		return -ENOMEM;
	for (i = 0; i < r->npages; i++) {
		r->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!r->pages[i])
			return -ENOMEM;
	}
	argo_ring_init(&r->ring, bt->drv, port, BT_DEV_DOMID, NULL);
	return argo_ring_register(&r->ring, r->pages, len, start, GFP_KERNEL);
}

/**
 * bt_init() - Set up the test's driver, from a suite's init.
 * @test: the test
 * @bt: the suite's zeroed state; bt_exit() undoes even a partial setup
 * @dev_ring_len: length of each of the device's rings, for bt_params()
 * @mem_len: bytes of each mapping of @bt->mem the device may write, at most
 *	BT_MEM
 *
 * The driver domain gets its control, data and used rings.
 */
void bt_init(struct kunit *test, struct bt *bt, u32 dev_ring_len,
	     u32 mem_len)
{
	bt->test = test;
	bt->dev_ring_len = dev_ring_len;
	bt->mem_len = mem_len;
	KUNIT_ASSERT_LE(test, mem_len, BT_MEM);
	bt->rx = kunit_kzalloc(test, BT_MSG_MAX, GFP_KERNEL);
	bt->tx = kunit_kzalloc(test, BT_MSG_MAX, GFP_KERNEL);
	bt->mem = kunit_kzalloc(test, BT_NIDS * BT_MEM, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, bt->rx && bt->tx && bt->mem);

	bt->drv = argo_sim_domain_create(BT_DRV_DOMID);
	KUNIT_ASSERT_FALSE(test, IS_ERR(bt->drv));
	bt->devd = argo_sim_domain_create(BT_DEV_DOMID);
	KUNIT_ASSERT_FALSE(test, IS_ERR(bt->devd));
	KUNIT_ASSERT_EQ(test, bt_ring_setup(bt, &bt->ctrl, BT_DRV_CTRL,
					    BT_RING_LEN, 0), 0);
	KUNIT_ASSERT_EQ(test, bt_ring_setup(bt, &bt->data, BT_DRV_DATA,
					    BT_RING_LEN, 0), 0);
	KUNIT_ASSERT_EQ(test, bt_ring_setup(bt, &bt->used, BT_DRV_USED,
					    BT_RING_LEN, 0), 0);

	bt->lim = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DRIVER,
		.version = 1,
		.max_batch = BT_MAX_BATCH,
		.max_msg_size = BT_MSG_MAX,
		.num_queues = 2,
		.max_queue_size = 256,
		.num_feature_blocks = 2,
		.config_size = VIRTIO_ARGO_MAX_CONFIG_SIZE,
		.queue_sizes = bt->qsizes,
	};
	/* Loose on purpose: the test sends what the device must refuse. */
	bt->peer = bt->lim;
	bt->peer.role = VIRTIO_ARGO_ROLE_DEVICE;
	bt->peer.max_batch = VAB_MAX_BATCH;
	bt->peer.max_msg_size = argo_ring_max_payload(dev_ring_len);
}

/**
 * bt_exit() - Destroy the device, then the test's driver, from a suite's exit.
 * @bt: what bt_init() set up, maybe in part
 */
void bt_exit(struct bt *bt)
{
	if (!IS_ERR_OR_NULL(bt->dev))
		bt->destroy(bt->dev);
	bt_ring_release(&bt->used);
	bt_ring_release(&bt->data);
	bt_ring_release(&bt->ctrl);
	if (!IS_ERR_OR_NULL(bt->devd))
		argo_sim_domain_destroy(bt->devd);
	if (!IS_ERR_OR_NULL(bt->drv))
		argo_sim_domain_destroy(bt->drv);
}

/**
 * bt_params() - Where a device model serves the test's driver.
 * @bt: the test's driver
 * @name: the device's name in log messages
 *
 * Return: parameters for a model's create function.
 */
struct vab_dev_params bt_params(struct bt *bt, const char *name)
{
	return (struct vab_dev_params) {
		.iface = bt->devd,
		.partner = BT_DRV_DOMID,
		.ctrl_port = BT_DEV_CTRL,
		.data_port = BT_DEV_DATA,
		.ring_len = bt->dev_ring_len,
		.buffer_budget = 1 << 20,
		.name = name,
	};
}

/**
 * bt_send_raw() - Send bytes from the driver's control port to the device.
 * @bt: the test's driver
 * @port: the device's port
 * @buf: the message
 * @len: its length
 * @mtype: its Argo message type
 *
 * Return: what argo_sendv() returns.
 */
int bt_send_raw(struct bt *bt, u32 port, const void *buf, size_t len,
		u32 mtype)
{
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };

	return argo_sendv(bt->drv, BT_DRV_CTRL, BT_DEV_DOMID, port, &iov, 1,
			  mtype);
}

/**
 * bt_send() - Encode a message and send it to the device; assert both.
 * @bt: the test's driver
 * @port: the device's port
 * @m: the message
 */
void bt_send(struct bt *bt, u32 port, const struct virtio_argo_msg *m)
{
	ssize_t len = virtio_argo_msg_encode(m, &bt->peer, bt->tx, BT_MSG_MAX);

	KUNIT_ASSERT_GT(bt->test, len, 0);
	KUNIT_ASSERT_EQ(bt->test, bt_send_raw(bt, port, bt->tx, len,
					      VIRTIO_ARGO_MTYPE_MSG), len);
}

/**
 * bt_recv() - Wait for the next message in a ring of the driver.
 * @bt: the test's driver
 * @r: the ring
 * @m: the message, decoded
 *
 * Waits up to BT_TIMEOUT_MS. The message must be a codec message from the
 * device domain.
 *
 * Return: 0, a negative errno from the ring, or the decoder's.
 */
int bt_recv(struct bt *bt, struct bt_ring *r, struct virtio_argo_msg *m)
{
	struct argo_msg am;
	int i, len;

	for (i = 0; i < BT_TIMEOUT_MS; i++) {
		len = argo_ring_recv(&r->ring, &am, bt->rx, BT_MSG_MAX);
		if (len != -EAGAIN)
			break;
		usleep_range(1000, 2000);
	}
	if (len < 0)
		return len;
	argo_notify(bt->drv);
	KUNIT_EXPECT_EQ(bt->test, am.type, VIRTIO_ARGO_MTYPE_MSG);
	KUNIT_EXPECT_EQ(bt->test, am.source.domain_id, BT_DEV_DOMID);
	return virtio_argo_msg_decode(bt->rx, len, &bt->lim, m);
}

/**
 * bt_call() - Send a request and wait for its reply.
 * @bt: the test's driver
 * @req: the request; its request id is set here
 * @rep: the reply, which must match @req's id and type
 *
 * EVENT_CONFIG messages on the way are counted in @bt->config_events.
 *
 * Return: the reply's status.
 */
u16 bt_call(struct bt *bt, struct virtio_argo_msg *req,
	    struct virtio_argo_msg *rep)
{
	struct kunit *test = bt->test;

	req->request_id = ++bt->req_id;
	bt_send(bt, BT_DEV_CTRL, req);
	for (;;) {
		KUNIT_ASSERT_EQ(test, bt_recv(bt, &bt->ctrl, rep), 0);
		if (rep->type == VIRTIO_ARGO_MSG_EVENT_CONFIG) {
			bt->config_events++;
			continue;
		}
		KUNIT_ASSERT_EQ(test, rep->request_id, bt->req_id);
		KUNIT_ASSERT_EQ(test, rep->type, req->type);
		return rep->status;
	}
}

/**
 * bt_simple() - A request without a body.
 * @bt: the test's driver
 * @type: its message type
 * @rep: the reply
 *
 * Return: the reply's status.
 */
u16 bt_simple(struct bt *bt, u8 type, struct virtio_argo_msg *rep)
{
	struct virtio_argo_msg req;

	virtio_argo_msg_init(&req, 1, type, 0);
	return bt_call(bt, &req, rep);
}

/**
 * bt_set_status() - SET_STATUS, expected to succeed.
 * @bt: the test's driver
 * @status: the device status to write
 *
 * Return: the device status the reply reports.
 */
u32 bt_set_status(struct bt *bt, u32 status)
{
	struct virtio_argo_msg req, rep;

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_STATUS, 0);
	req.device_status = status;
	KUNIT_EXPECT_EQ(bt->test, bt_call(bt, &req, &rep), VIRTIO_ARGO_S_OK);
	return rep.device_status;
}

/**
 * bt_hello() - Open a session with the driver's ports and limits; assert it.
 * @bt: the test's driver
 * @caps: the capabilities the driver offers
 * @rep: the reply
 */
void bt_hello(struct bt *bt, u32 caps, struct virtio_argo_msg *rep)
{
	struct virtio_argo_msg req;

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_HELLO, 0);
	req.hello.min_version = 1;
	req.hello.max_version = 1;
	req.hello.max_batch = BT_MAX_BATCH;
	req.hello.max_msg_size = BT_MSG_MAX;
	req.hello.caps = caps;
	req.hello.ctrl_port = BT_DRV_CTRL;
	req.hello.data_port = BT_DRV_DATA;
	KUNIT_ASSERT_EQ(bt->test, bt_call(bt, &req, rep), VIRTIO_ARGO_S_OK);
}

/**
 * bt_set_features() - SET_FEATURES with two feature words.
 * @bt: the test's driver
 * @features: the driver's features
 *
 * Return: the reply's status.
 */
u16 bt_set_features(struct bt *bt, u64 features)
{
	__le32 words[2] = {
		cpu_to_le32(lower_32_bits(features)),
		cpu_to_le32(upper_32_bits(features)),
	};
	struct virtio_argo_msg req, rep;

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_FEATURES, 0);
	req.features.count = 2;
	req.features.words = words;
	return bt_call(bt, &req, &rep);
}

/**
 * bt_set_vqueue() - SET_VQUEUE, used elements going to the driver's used ring.
 * @bt: the test's driver
 * @index: the queue
 * @size: its size
 * @scheme: its used scheme
 *
 * Return: the reply's status.
 */
u16 bt_set_vqueue(struct bt *bt, u16 index, u16 size, u8 scheme)
{
	struct virtio_argo_msg req, rep;

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_VQUEUE, 0);
	req.vqueue.index = index;
	req.vqueue.size = size;
	req.vqueue.used_port = BT_DRV_USED;
	req.vqueue.used_scheme = scheme;
	return bt_call(bt, &req, &rep);
}

/**
 * bt_bringup_scheme() - HELLO and the virtio initialisation, to DRIVER_OK.
 * @bt: the test's driver
 * @caps: the capabilities the driver offers
 * @features: the features it accepts
 * @nq: how many queues it sets up, each of BT_QSIZE
 * @scheme: their used scheme
 *
 * Asserts every step; the queues' indexes start again from 0.
 */
void bt_bringup_scheme(struct bt *bt, u32 caps, u64 features, u16 nq,
		       u8 scheme)
{
	const u32 drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	struct kunit *test = bt->test;
	struct virtio_argo_msg rep;
	u16 q;

	bt_hello(bt, caps, &rep);
	KUNIT_ASSERT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_DEVICE_INFO,
					&rep), VIRTIO_ARGO_S_OK);
	KUNIT_ASSERT_EQ(test, bt_set_status(bt, 0), 0U);
	KUNIT_ASSERT_EQ(test, bt_set_status(bt, drv), drv);
	KUNIT_ASSERT_EQ(test, bt_set_features(bt, features), VIRTIO_ARGO_S_OK);
	KUNIT_ASSERT_EQ(test, bt_set_status(bt, drv | VIRTIO_CONFIG_S_FEATURES_OK),
			drv | VIRTIO_CONFIG_S_FEATURES_OK);
	for (q = 0; q < nq; q++) {
		bt->qsizes[q] = BT_QSIZE;
		bt->avail_idx[q] = 0;
		bt->used_idx[q] = 0;
		KUNIT_ASSERT_EQ(test, bt_set_vqueue(bt, q, BT_QSIZE, scheme),
				VIRTIO_ARGO_S_OK);
	}
	KUNIT_ASSERT_EQ(test, bt_set_status(bt, drv | VIRTIO_CONFIG_S_FEATURES_OK |
					    VIRTIO_CONFIG_S_DRIVER_OK),
			drv | VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
}

/**
 * bt_bringup_queues() - bt_bringup_scheme() with EVENT_USED messages.
 * @bt: the test's driver
 * @caps: the capabilities the driver offers
 * @features: the features it accepts
 * @nq: how many queues it sets up
 */
void bt_bringup_queues(struct bt *bt, u32 caps, u64 features, u16 nq)
{
	bt_bringup_scheme(bt, caps, features, nq, VIRTIO_ARGO_USED_PLAIN);
}

/**
 * bt_data() - DATA_TO_DEVICE: contents of an OUT mapping.
 * @bt: the test's driver
 * @id: the mapping
 * @offset: where in it @bytes go
 * @bytes: the contents
 * @size: how many
 */
void bt_data(struct bt *bt, u32 id, u32 offset, const void *bytes, u32 size)
{
	struct virtio_argo_msg m;

	virtio_argo_msg_init(&m, 1, VIRTIO_ARGO_MSG_DATA_TO_DEVICE, 0);
	m.data.token = OUT(id);
	m.data.offset = offset;
	m.data.size = size;
	m.data.bytes = bytes;
	bt_send(bt, BT_DEV_DATA, &m);
}

/**
 * bt_kick_q() - EVENT_AVAIL on a queue: descriptors, then heads.
 * @bt: the test's driver
 * @q: the queue
 * @descs: descriptor entries, or NULL
 * @ndescs: how many
 * @heads: the heads made available
 * @nheads: how many, at most BT_QSIZE
 */
void bt_kick_q(struct bt *bt, u16 q, const struct virtio_argo_desc *descs,
	       u16 ndescs, const u16 *heads, u16 nheads)
{
	__le16 ring[BT_QSIZE];
	struct virtio_argo_msg m;
	u16 i;

	for (i = 0; i < nheads; i++)
		ring[i] = cpu_to_le16(heads[i]);
	bt->avail_idx[q] += nheads;
	virtio_argo_msg_init(&m, 1, VIRTIO_ARGO_MSG_EVENT_AVAIL, 0);
	m.avail.index = q;
	m.avail.avail_idx = bt->avail_idx[q];
	m.avail.num_descs = ndescs;
	m.avail.num_avail = nheads;
	m.avail.descs = descs;
	m.avail.ring = ring;
	bt_send(bt, BT_DEV_DATA, &m);
}

/**
 * bt_drain_data() - Apply every DATA_TO_DRIVER waiting in the data ring.
 * @bt: the test's driver
 *
 * Each must fit its mapping of @bt->mem.
 */
void bt_drain_data(struct bt *bt)
{
	struct kunit *test = bt->test;
	struct virtio_argo_msg m;
	struct argo_msg am;
	int len;

	while ((len = argo_ring_recv(&bt->data.ring, &am, bt->rx,
				     BT_MSG_MAX)) >= 0) {
		u32 id;

		KUNIT_ASSERT_EQ(test, virtio_argo_msg_decode(bt->rx, len,
							     &bt->lim, &m), 0);
		KUNIT_ASSERT_EQ(test, m.type, VIRTIO_ARGO_MSG_DATA_TO_DRIVER);
		id = virtio_argo_token_id(m.data.token);
		KUNIT_ASSERT_LT(test, id, BT_NIDS);
		KUNIT_ASSERT_LE(test, m.data.offset + m.data.size, bt->mem_len);
		memcpy(bt->mem[id] + m.data.offset, m.data.bytes, m.data.size);
	}
	argo_notify(bt->drv);
}

/**
 * bt_used_n() - Wait for used elements of a queue, in one or more EVENT_USED.
 * @bt: the test's driver
 * @q: the queue
 * @n: how many elements; the messages must bring exactly these
 * @heads: their heads
 * @lens: their lengths
 *
 * Each message's used idx must count every element seen since the
 * bring-up. The data sent before the elements is applied last.
 */
void bt_used_n(struct bt *bt, u16 q, u16 n, u16 *heads, u32 *lens)
{
	struct kunit *test = bt->test;
	struct virtio_argo_msg m;
	u16 got = 0, i;

	while (got < n) {
		KUNIT_ASSERT_EQ(test, bt_recv(bt, &bt->used, &m), 0);
		KUNIT_ASSERT_EQ(test, m.type, VIRTIO_ARGO_MSG_EVENT_USED);
		KUNIT_ASSERT_EQ(test, m.used.index, q);
		KUNIT_ASSERT_LE(test, got + m.used.num_used, n);
		for (i = 0; i < m.used.num_used; i++, got++) {
			heads[got] = le32_to_cpu(m.used.elems[i].id);
			lens[got] = le32_to_cpu(m.used.elems[i].len);
		}
		bt->used_idx[q] += m.used.num_used;
		KUNIT_EXPECT_EQ(test, m.used.used_idx, bt->used_idx[q]);
	}
	bt_drain_data(bt);
}

/**
 * bt_used_q() - Wait for the EVENT_USED of one chain, the last one available.
 * @bt: the test's driver
 * @q: the queue
 * @head: the chain's head
 *
 * Return: the chain's used length.
 */
u32 bt_used_q(struct bt *bt, u16 q, u16 head)
{
	u16 used_head;
	u32 len;

	bt_used_n(bt, q, 1, &used_head, &len);
	KUNIT_EXPECT_EQ(bt->test, bt->used_idx[q], bt->avail_idx[q]);
	KUNIT_EXPECT_EQ(bt->test, used_head, head);
	return len;
}

/**
 * bt_expect_no_used() - Expect nothing in the used ring within 200 ms.
 * @bt: the test's driver
 */
void bt_expect_no_used(struct bt *bt)
{
	struct argo_msg am;

	msleep(200);
	KUNIT_EXPECT_EQ(bt->test, argo_ring_recv(&bt->used.ring, &am, bt->rx,
						 BT_MSG_MAX), -EAGAIN);
}
