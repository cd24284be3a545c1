// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the device side's virtio-net model, on the simulated
 * Argo provider: a driver domain and a device domain in one kernel, as in
 * backend_kunit.c. The test plays the guest's virtio_net driver with the
 * codec (its rings are polled) and the backend domain's network stack with
 * the model's netdev: it transmits through the netdev with dev_queue_xmit()
 * and catches what the netdev receives with an rx_handler.
 *   virtio_argo_backend_net - config space and features, frames in both
 *			       directions, frames waiting for receive
 *			       buffers, backpressure through the netdev's
 *			       queue, a netdev that is down, frames and
 *			       buffers of bad length or with offloads nobody
 *			       negotiated (dropped and counted, the device
 *			       keeps working), and the devices= options.
 */

#include <kunit/test.h>
#include <linux/argo.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/virtio_argo.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_ring.h>

#include "../../drivers/virtio/virtio_argo_backend.h"

#define NT_DRV_DOMID	0x41
#define NT_DEV_DOMID	0x42
#define NT_DEV_CTRL	0x56420010
#define NT_DEV_DATA	0x56420011
#define NT_DRV_CTRL	0x100
#define NT_DRV_DATA	0x101
#define NT_DRV_USED	0x102
#define NT_RING_LEN	(64 * 1024 - 64)
#define NT_MSG_MAX	(NT_RING_LEN - 32)
#define NT_QSIZE	16
#define NT_MAX_BATCH	64
/* Guest memory: NT_NIDS mappings of NT_MEM bytes. */
#define NT_NIDS		NT_QSIZE
#define NT_MEM		2048
#define NT_TIMEOUT_MS	3000
#define NT_RX		0
#define NT_TX		1
#define NT_HDR_LEN	sizeof(struct virtio_net_hdr_v1)
/* What virtio_net posts without MRG_RXBUF: header and GOOD_PACKET_LEN. */
#define NT_RXBUF_LEN	(NT_HDR_LEN + 1518)
#define NT_NAME		"vabkunit0"
#define NT_ETHERTYPE	0x88b5
#define NT_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) | \
			 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) | \
			 BIT_ULL(VIRTIO_NET_F_MAC) | \
			 BIT_ULL(VIRTIO_NET_F_STATUS) | \
			 BIT_ULL(VIRTIO_NET_F_MTU))

#define NT_TOKEN(kind, id) \
	((u64)VIRTIO_ARGO_TOKEN_##kind << VIRTIO_ARGO_TOKEN_KIND_SHIFT | \
	 (u64)(id) << VIRTIO_ARGO_TOKEN_ID_SHIFT)
#define OUT(id)		NT_TOKEN(OUT, id)
#define IN(id)		NT_TOKEN(IN, id)

#define NT_DESC(s, a, l, f, n) {					\
	.addr = cpu_to_le64(a), .len = cpu_to_le32(l),			\
	.flags = cpu_to_le16(f), .next = cpu_to_le16(n),		\
	.slot = cpu_to_le16(s) }

static const u8 nt_guest_mac[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

/**
 * struct nt_ring - A ring of the test's driver.
 * @ring: the ring
 * @pages: its pages
 * @npages: how many
 */
struct nt_ring {
	struct argo_ring ring;
	struct page **pages;
	unsigned int npages;
};

/**
 * struct nt - The test's driver, the device under test and its netdev.
 * @test: the running test
 * @drv: the driver domain
 * @devd: the device domain
 * @dev: the device, once a test made one
 * @ndev: its netdev, once up with nt_rx_handler() on it
 * @got: frames the netdev received, with their Ethernet header
 * @ctrl: driver control ring
 * @data: driver data ring
 * @used: driver used ring of both queues
 * @lim: what the driver accepts
 * @peer: what the device accepts
 * @qsizes: queue sizes for both limits
 * @req_id: last request id
 * @avail_idx: avail idx of each queue
 * @used_idx: used idx seen of each queue
 * @config_events: EVENT_CONFIG messages seen
 * @rx: received message
 * @tx: message to send
 * @frame: a frame being built
 * @mem: device-writable buffers, by mapping id
 */
struct nt {
	struct kunit *test;
	struct argo_iface *drv;
	struct argo_iface *devd;
	struct vab_dev *dev;
	struct net_device *ndev;
	struct sk_buff_head got;
	struct nt_ring ctrl;
	struct nt_ring data;
	struct nt_ring used;
	struct virtio_argo_limits lim;
	struct virtio_argo_limits peer;
	u16 qsizes[2];
	u32 req_id;
	u16 avail_idx[2];
	u16 used_idx[2];
	unsigned int config_events;
	u8 *rx;
	u8 *tx;
	u8 *frame;
	u8 (*mem)[NT_MEM];
};

static void nt_ring_release(struct nt_ring *r)
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

static int nt_ring_setup(struct nt *nt, struct nt_ring *r, u32 port)
{
	unsigned int i;

	r->npages = argo_ring_npages(NT_RING_LEN);
	r->pages = kcalloc(r->npages, sizeof(*r->pages), GFP_KERNEL);
	if (!r->pages)
		return -ENOMEM;
	for (i = 0; i < r->npages; i++) {
		r->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!r->pages[i])
			return -ENOMEM;
	}
	argo_ring_init(&r->ring, nt->drv, port, NT_DEV_DOMID, NULL);
	return argo_ring_register(&r->ring, r->pages, NT_RING_LEN, 0,
				  GFP_KERNEL);
}

static int nt_init(struct kunit *test)
{
	struct nt *nt = kunit_kzalloc(test, sizeof(*nt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nt);
	test->priv = nt;
	nt->test = test;
	skb_queue_head_init(&nt->got);
	nt->rx = kunit_kzalloc(test, NT_MSG_MAX, GFP_KERNEL);
	nt->tx = kunit_kzalloc(test, NT_MSG_MAX, GFP_KERNEL);
	nt->frame = kunit_kzalloc(test, NT_MEM, GFP_KERNEL);
	nt->mem = kunit_kzalloc(test, NT_NIDS * NT_MEM, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, nt->rx && nt->tx && nt->frame && nt->mem);

	nt->drv = argo_sim_domain_create(NT_DRV_DOMID);
	KUNIT_ASSERT_FALSE(test, IS_ERR(nt->drv));
	nt->devd = argo_sim_domain_create(NT_DEV_DOMID);
	KUNIT_ASSERT_FALSE(test, IS_ERR(nt->devd));
	KUNIT_ASSERT_EQ(test, nt_ring_setup(nt, &nt->ctrl, NT_DRV_CTRL), 0);
	KUNIT_ASSERT_EQ(test, nt_ring_setup(nt, &nt->data, NT_DRV_DATA), 0);
	KUNIT_ASSERT_EQ(test, nt_ring_setup(nt, &nt->used, NT_DRV_USED), 0);

	nt->lim = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DRIVER,
		.version = 1,
		.max_batch = NT_MAX_BATCH,
		.max_msg_size = NT_MSG_MAX,
		.num_queues = 2,
		.max_queue_size = 256,
		.num_feature_blocks = 2,
		.config_size = VIRTIO_ARGO_MAX_CONFIG_SIZE,
		.queue_sizes = nt->qsizes,
	};
	nt->peer = nt->lim;
	nt->peer.role = VIRTIO_ARGO_ROLE_DEVICE;
	nt->peer.max_batch = VAB_MAX_BATCH;
	nt->peer.max_msg_size = argo_ring_max_payload(NT_RING_LEN);
	return 0;
}

static void nt_exit(struct kunit *test)
{
	struct nt *nt = test->priv;

	if (nt->ndev) {
		rtnl_lock();
		netdev_rx_handler_unregister(nt->ndev);
		rtnl_unlock();
	}
	if (!IS_ERR_OR_NULL(nt->dev))
		vab_net_destroy(nt->dev);
	skb_queue_purge(&nt->got);
	nt_ring_release(&nt->used);
	nt_ring_release(&nt->data);
	nt_ring_release(&nt->ctrl);
	if (!IS_ERR_OR_NULL(nt->devd))
		argo_sim_domain_destroy(nt->devd);
	if (!IS_ERR_OR_NULL(nt->drv))
		argo_sim_domain_destroy(nt->drv);
}

static struct vab_dev_params nt_params(struct nt *nt)
{
	return (struct vab_dev_params) {
		.iface = nt->devd,
		.partner = NT_DRV_DOMID,
		.ctrl_port = NT_DEV_CTRL,
		.data_port = NT_DEV_DATA,
		.ring_len = NT_RING_LEN,
		.buffer_budget = 1 << 20,
		.name = "kunit-net",
	};
}

/* What the netdev receives: kept, with its Ethernet header, for the test. */
static rx_handler_result_t nt_rx_handler(struct sk_buff **pskb)
{
	struct nt *nt = rcu_dereference((*pskb)->dev->rx_handler_data);
	struct sk_buff *skb = skb_share_check(*pskb, GFP_ATOMIC);

	if (!skb)
		return RX_HANDLER_CONSUMED;
	skb_push(skb, ETH_HLEN);
	skb_queue_tail(&nt->got, skb);
	return RX_HANDLER_CONSUMED;
}

/* Serve the device with the guest MAC, its netdev up and watched. */
static void nt_make(struct nt *nt)
{
	struct vab_dev_params params = nt_params(nt);
	struct kunit *test = nt->test;
	struct net_device *ndev;
	int ret;

	nt->dev = vab_net_create(&params, nt_guest_mac, NT_NAME);
	KUNIT_ASSERT_FALSE(test, IS_ERR(nt->dev));
	rtnl_lock();
	ndev = __dev_get_by_name(&init_net, NT_NAME);
	ret = ndev ? dev_open(ndev, NULL) : -ENODEV;
	if (!ret)
		ret = netdev_rx_handler_register(ndev, nt_rx_handler, nt);
	if (!ret)
		nt->ndev = ndev;
	rtnl_unlock();
	KUNIT_ASSERT_EQ(test, ret, 0);
}

static void nt_send(struct nt *nt, u32 port, const struct virtio_argo_msg *m)
{
	ssize_t len = virtio_argo_msg_encode(m, &nt->peer, nt->tx, NT_MSG_MAX);
	struct kvec iov = { .iov_base = nt->tx, .iov_len = len };

	KUNIT_ASSERT_GT(nt->test, len, 0);
	KUNIT_ASSERT_EQ(nt->test, argo_sendv(nt->drv, NT_DRV_CTRL, NT_DEV_DOMID,
					     port, &iov, 1,
					     VIRTIO_ARGO_MTYPE_MSG), len);
}

/* The next message in @r within NT_TIMEOUT_MS, decoded into @m. */
static int nt_recv(struct nt *nt, struct nt_ring *r, struct virtio_argo_msg *m)
{
	struct argo_msg am;
	int i, len;

	for (i = 0; i < NT_TIMEOUT_MS; i++) {
		len = argo_ring_recv(&r->ring, &am, nt->rx, NT_MSG_MAX);
		if (len != -EAGAIN)
			break;
		usleep_range(1000, 2000);
	}
	if (len < 0)
		return len;
	argo_notify(nt->drv);
	return virtio_argo_msg_decode(nt->rx, len, &nt->lim, m);
}

static u16 nt_call(struct nt *nt, struct virtio_argo_msg *req,
		   struct virtio_argo_msg *rep)
{
	struct kunit *test = nt->test;

	req->request_id = ++nt->req_id;
	nt_send(nt, NT_DEV_CTRL, req);
	for (;;) {
		KUNIT_ASSERT_EQ(test, nt_recv(nt, &nt->ctrl, rep), 0);
		if (rep->type == VIRTIO_ARGO_MSG_EVENT_CONFIG) {
			nt->config_events++;
			continue;
		}
		KUNIT_ASSERT_EQ(test, rep->request_id, nt->req_id);
		return rep->status;
	}
}

static u16 nt_simple(struct nt *nt, u8 type, struct virtio_argo_msg *rep)
{
	struct virtio_argo_msg req;

	virtio_argo_msg_init(&req, 1, type, 0);
	return nt_call(nt, &req, rep);
}

static u32 nt_set_status(struct nt *nt, u32 status)
{
	struct virtio_argo_msg req, rep;

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_STATUS, 0);
	req.device_status = status;
	KUNIT_EXPECT_EQ(nt->test, nt_call(nt, &req, &rep), VIRTIO_ARGO_S_OK);
	return rep.device_status;
}

/* HELLO, then the virtio initialisation up to DRIVER_OK with both queues. */
static void nt_bringup(struct nt *nt)
{
	const u32 drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	const u32 fok = drv | VIRTIO_CONFIG_S_FEATURES_OK;
	__le32 words[2] = {
		cpu_to_le32(lower_32_bits(NT_FEATURES)),
		cpu_to_le32(upper_32_bits(NT_FEATURES)),
	};
	struct kunit *test = nt->test;
	struct virtio_argo_msg req, rep;
	u16 q;

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_HELLO, 0);
	req.hello.min_version = 1;
	req.hello.max_version = 1;
	req.hello.max_batch = NT_MAX_BATCH;
	req.hello.max_msg_size = NT_MSG_MAX;
	req.hello.ctrl_port = NT_DRV_CTRL;
	req.hello.data_port = NT_DRV_DATA;
	KUNIT_ASSERT_EQ(test, nt_call(nt, &req, &rep), VIRTIO_ARGO_S_OK);
	KUNIT_ASSERT_EQ(test, nt_simple(nt, VIRTIO_ARGO_MSG_GET_DEVICE_INFO,
					&rep), VIRTIO_ARGO_S_OK);
	KUNIT_ASSERT_EQ(test, nt_set_status(nt, drv), drv);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_FEATURES, 0);
	req.features.count = 2;
	req.features.words = words;
	KUNIT_ASSERT_EQ(test, nt_call(nt, &req, &rep), VIRTIO_ARGO_S_OK);
	KUNIT_ASSERT_EQ(test, nt_set_status(nt, fok), fok);
	for (q = 0; q < 2; q++) {
		nt->qsizes[q] = NT_QSIZE;
		virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_VQUEUE, 0);
		req.vqueue.index = q;
		req.vqueue.size = NT_QSIZE;
		req.vqueue.used_port = NT_DRV_USED;
		KUNIT_ASSERT_EQ(test, nt_call(nt, &req, &rep),
				VIRTIO_ARGO_S_OK);
	}
	KUNIT_ASSERT_EQ(test, nt_set_status(nt, fok | VIRTIO_CONFIG_S_DRIVER_OK),
			fok | VIRTIO_CONFIG_S_DRIVER_OK);
}

/* DATA_TO_DEVICE: the contents of OUT mapping @id. */
static void nt_data(struct nt *nt, u32 id, const void *bytes, u32 size)
{
	struct virtio_argo_msg m;

	virtio_argo_msg_init(&m, 1, VIRTIO_ARGO_MSG_DATA_TO_DEVICE, 0);
	m.data.token = OUT(id);
	m.data.size = size;
	m.data.bytes = bytes;
	nt_send(nt, NT_DEV_DATA, &m);
}

/* EVENT_AVAIL on queue @q: descriptors, then heads. */
static void nt_kick(struct nt *nt, u16 q, const struct virtio_argo_desc *descs,
		    u16 ndescs, const u16 *heads, u16 nheads)
{
	__le16 ring[NT_QSIZE];
	struct virtio_argo_msg m;
	u16 i;

	for (i = 0; i < nheads; i++)
		ring[i] = cpu_to_le16(heads[i]);
	nt->avail_idx[q] += nheads;
	virtio_argo_msg_init(&m, 1, VIRTIO_ARGO_MSG_EVENT_AVAIL, 0);
	m.avail.index = q;
	m.avail.avail_idx = nt->avail_idx[q];
	m.avail.num_descs = ndescs;
	m.avail.num_avail = nheads;
	m.avail.descs = descs;
	m.avail.ring = ring;
	nt_send(nt, NT_DEV_DATA, &m);
}

/* Apply every DATA_TO_DRIVER waiting in the driver data ring. */
static void nt_drain_data(struct nt *nt)
{
	struct kunit *test = nt->test;
	struct virtio_argo_msg m;
	struct argo_msg am;
	int len;

	while ((len = argo_ring_recv(&nt->data.ring, &am, nt->rx,
				     NT_MSG_MAX)) >= 0) {
		u32 id;

		KUNIT_ASSERT_EQ(test, virtio_argo_msg_decode(nt->rx, len,
							     &nt->lim, &m), 0);
		KUNIT_ASSERT_EQ(test, m.type, VIRTIO_ARGO_MSG_DATA_TO_DRIVER);
		id = virtio_argo_token_id(m.data.token);
		KUNIT_ASSERT_LT(test, id, NT_NIDS);
		KUNIT_ASSERT_LE(test, m.data.offset + m.data.size, NT_MEM);
		memcpy(nt->mem[id] + m.data.offset, m.data.bytes, m.data.size);
	}
	argo_notify(nt->drv);
}

/*
 * Wait for @n used elements of queue @q, in one or more EVENT_USED; put
 * their heads and lengths in @heads and @lens, then apply the data sent
 * before them.
 */
static void nt_used(struct nt *nt, u16 q, u16 n, u16 *heads, u32 *lens)
{
	struct kunit *test = nt->test;
	struct virtio_argo_msg m;
	u16 got = 0, i;

	while (got < n) {
		KUNIT_ASSERT_EQ(test, nt_recv(nt, &nt->used, &m), 0);
		KUNIT_ASSERT_EQ(test, m.type, VIRTIO_ARGO_MSG_EVENT_USED);
		KUNIT_ASSERT_EQ(test, m.used.index, q);
		KUNIT_ASSERT_LE(test, got + m.used.num_used, n);
		for (i = 0; i < m.used.num_used; i++, got++) {
			heads[got] = le32_to_cpu(m.used.elems[i].id);
			lens[got] = le32_to_cpu(m.used.elems[i].len);
		}
		nt->used_idx[q] += m.used.num_used;
		KUNIT_EXPECT_EQ(test, m.used.used_idx, nt->used_idx[q]);
	}
	nt_drain_data(nt);
}

/* Nothing more is used within 200 ms. */
static void nt_expect_no_used(struct nt *nt)
{
	struct argo_msg am;

	msleep(200);
	KUNIT_EXPECT_EQ(nt->test, argo_ring_recv(&nt->used.ring, &am, nt->rx,
						 NT_MSG_MAX), -EAGAIN);
}

/*
 * An Ethernet frame of @len bytes (and @buf holds NT_MEM) whose payload
 * starts with @seq; the rest depends on @seq too.
 */
static void nt_frame(u8 *buf, u32 len, const u8 *dst, const u8 *src, u32 seq)
{
	__be16 type = htons(NT_ETHERTYPE);
	__be32 be_seq = htonl(seq);
	u32 i;

	ether_addr_copy(buf, dst);
	ether_addr_copy(buf + ETH_ALEN, src);
	memcpy(buf + 2 * ETH_ALEN, &type, sizeof(type));
	memcpy(buf + ETH_HLEN, &be_seq, sizeof(be_seq));
	for (i = ETH_HLEN + sizeof(be_seq); i < len; i++)
		buf[i] = i * 13 + seq;
}

/* Send a frame of @len through the netdev, as the backend's stack would. */
static int nt_xmit(struct nt *nt, u32 len, u32 seq)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(nt->test, skb);
	nt_frame(nt->frame, len, nt_guest_mac, nt->ndev->dev_addr, seq);
	skb_put_data(skb, nt->frame, len);
	skb->dev = nt->ndev;
	skb->protocol = htons(NT_ETHERTYPE);
	skb_reset_mac_header(skb);
	return dev_queue_xmit(skb);
}

/*
 * The guest transmits @len bytes from OUT mapping @id: @hdr and a frame,
 * in one descriptor or, with @split, the header in a descriptor of its own
 * as virtio_net does when it cannot push the header. Returns the used
 * length.
 */
static u32 nt_guest_tx(struct nt *nt, u16 id, const struct virtio_net_hdr_v1 *hdr,
		       u32 len, u32 seq, bool split)
{
	const struct virtio_argo_desc descs[] = {
		NT_DESC(2 * id, OUT(id), split ? NT_HDR_LEN : len,
			split ? VRING_DESC_F_NEXT : 0, 2 * id + 1),
		NT_DESC(2 * id + 1, OUT(id) + NT_HDR_LEN, len - NT_HDR_LEN,
			0, 0),
	};
	u8 *buf = nt->frame;
	u16 head = 2 * id, used_head;
	u32 used_len;

	memcpy(buf, hdr, NT_HDR_LEN);
	if (len > NT_HDR_LEN)
		nt_frame(buf + NT_HDR_LEN, len - NT_HDR_LEN,
			 nt->ndev->dev_addr, nt_guest_mac, seq);
	nt_data(nt, id, buf, len);
	nt_kick(nt, NT_TX, descs, split ? 2 : 1, &head, 1);
	nt_used(nt, NT_TX, 1, &used_head, &used_len);
	KUNIT_EXPECT_EQ(nt->test, used_head, head);
	return used_len;
}

/* The next frame the netdev received within NT_TIMEOUT_MS, or NULL. */
static struct sk_buff *nt_got(struct nt *nt)
{
	struct sk_buff *skb;
	int i;

	for (i = 0; i < NT_TIMEOUT_MS; i++) {
		skb = skb_dequeue(&nt->got);
		if (skb)
			return skb;
		usleep_range(1000, 2000);
	}
	return NULL;
}

/* The netdev received the frame nt_guest_tx() sent with @len and @seq. */
static void nt_expect_got(struct nt *nt, u32 len, u32 seq)
{
	struct kunit *test = nt->test;
	struct sk_buff *skb = nt_got(nt);
	u8 *want = nt->frame;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	nt_frame(want, len, nt->ndev->dev_addr, nt_guest_mac, seq);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	if (skb->len == len)
		KUNIT_EXPECT_EQ(test, memcmp(skb->data, want, len), 0);
	KUNIT_EXPECT_EQ(test, ntohs(skb->protocol), NT_ETHERTYPE);
	kfree_skb(skb);
}

/* Make @n receive buffers of @len available, in mappings 0..n-1. */
static void nt_post_rx(struct nt *nt, u16 n, u32 len)
{
	struct virtio_argo_desc descs[NT_QSIZE];
	u16 heads[NT_QSIZE], i;

	for (i = 0; i < n; i++) {
		descs[i] = (struct virtio_argo_desc)
			NT_DESC(i, IN(i), len, VRING_DESC_F_WRITE, 0);
		heads[i] = i;
		memset(nt->mem[i], 0xee, NT_MEM);
	}
	nt_kick(nt, NT_RX, descs, n, heads, n);
}

/* Receive buffer @id holds a zeroed header and the frame nt_xmit() sent. */
static void nt_expect_rx(struct nt *nt, u16 id, u32 used_len, u32 len, u32 seq)
{
	const struct virtio_net_hdr_v1 want_hdr = {
		.num_buffers = (__force __virtio16)cpu_to_le16(1),
	};
	struct kunit *test = nt->test;
	u8 *want = nt->frame;

	KUNIT_EXPECT_EQ(test, used_len, NT_HDR_LEN + len);
	KUNIT_EXPECT_EQ(test, memcmp(nt->mem[id], &want_hdr, NT_HDR_LEN), 0);
	nt_frame(want, len, nt_guest_mac, nt->ndev->dev_addr, seq);
	KUNIT_EXPECT_EQ(test, memcmp(nt->mem[id] + NT_HDR_LEN, want, len), 0);
}

static void net_config(struct kunit *test)
{
	struct nt *nt = test->priv;
	struct virtio_net_config config;
	struct virtio_argo_msg req, rep;
	u64 features;

	nt_make(nt);
	nt_bringup(nt);
	KUNIT_ASSERT_EQ(test, nt_simple(nt, VIRTIO_ARGO_MSG_GET_DEVICE_INFO,
					&rep), VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, rep.device_info.device_id, VIRTIO_ID_NET);
	KUNIT_EXPECT_EQ(test, rep.device_info.num_queues, 2);
	KUNIT_EXPECT_EQ(test, rep.device_info.max_queue_size, 256);
	KUNIT_EXPECT_EQ(test, rep.device_info.config_size,
			offsetofend(struct virtio_net_config, mtu));

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_FEATURES, 0);
	req.features.count = 2;
	KUNIT_ASSERT_EQ(test, nt_call(nt, &req, &rep), VIRTIO_ARGO_S_OK);
	features = le32_to_cpu(rep.features.words[0]) |
		   (u64)le32_to_cpu(rep.features.words[1]) << 32;
	KUNIT_EXPECT_EQ(test, features & NT_FEATURES, NT_FEATURES);
	/* No offload, no mergeable buffers, no control queue. */
	KUNIT_EXPECT_FALSE(test, features &
			   (BIT_ULL(VIRTIO_NET_F_CSUM) |
			    BIT_ULL(VIRTIO_NET_F_GUEST_CSUM) |
			    BIT_ULL(VIRTIO_NET_F_HOST_TSO4) |
			    BIT_ULL(VIRTIO_NET_F_GUEST_TSO4) |
			    BIT_ULL(VIRTIO_NET_F_MRG_RXBUF) |
			    BIT_ULL(VIRTIO_NET_F_CTRL_VQ) |
			    BIT_ULL(VIRTIO_NET_F_MQ)));

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_CONFIG, 0);
	req.config.size = offsetofend(struct virtio_net_config, mtu);
	KUNIT_ASSERT_EQ(test, nt_call(nt, &req, &rep), VIRTIO_ARGO_S_OK);
	memcpy(&config, rep.config.data, req.config.size);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(config.mac, nt_guest_mac));
	KUNIT_EXPECT_EQ(test, le16_to_cpu((__force __le16)config.status),
			VIRTIO_NET_S_LINK_UP);
	KUNIT_EXPECT_EQ(test, le16_to_cpu((__force __le16)config.mtu),
			ETH_DATA_LEN);

	/* The netdev has an address of its own and the guest's MTU. */
	KUNIT_EXPECT_TRUE(test, is_valid_ether_addr(nt->ndev->dev_addr));
	KUNIT_EXPECT_FALSE(test, ether_addr_equal(nt->ndev->dev_addr,
						  nt_guest_mac));
	KUNIT_EXPECT_EQ(test, nt->ndev->mtu, ETH_DATA_LEN);
	KUNIT_EXPECT_EQ(test, nt->ndev->max_mtu, ETH_DATA_LEN);
}

/* Guest frames come out of the netdev, whole and in order. */
static void net_tx(struct kunit *test)
{
	const struct virtio_net_hdr_v1 hdr = {};
	struct nt *nt = test->priv;

	nt_make(nt);
	nt_bringup(nt);
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 1, &hdr, NT_HDR_LEN + 60, 1,
					  false), 0U);
	nt_expect_got(nt, 60, 1);
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 2, &hdr, NT_HDR_LEN + 1514, 2,
					  true), 0U);
	nt_expect_got(nt, 1514, 2);
	/* Largest: an MTU-sized frame with a VLAN tag. */
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 3, &hdr, NT_HDR_LEN + 1518, 3,
					  false), 0U);
	nt_expect_got(nt, 1518, 3);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, rx_packets), 3UL);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, rx_bytes),
			60UL + 1514 + 1518);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, rx_errors), 0UL);
}

/* Netdev frames fill receive buffers, and wait for them in order. */
static void net_rx(struct kunit *test)
{
	struct nt *nt = test->priv;
	u16 heads[NT_QSIZE];
	u32 lens[NT_QSIZE];

	nt_make(nt);
	nt_bringup(nt);
	nt_post_rx(nt, 2, NT_RXBUF_LEN);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 60, 1), NET_XMIT_SUCCESS);
	nt_used(nt, NT_RX, 1, heads, lens);
	KUNIT_EXPECT_EQ(test, heads[0], 0);
	nt_expect_rx(nt, 0, lens[0], 60, 1);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 1514, 2), NET_XMIT_SUCCESS);
	nt_used(nt, NT_RX, 1, heads, lens);
	KUNIT_EXPECT_EQ(test, heads[0], 1);
	nt_expect_rx(nt, 1, lens[0], 1514, 2);

	/* No buffer: the frames wait, then take the next buffers in order. */
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 100, 3), NET_XMIT_SUCCESS);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 1518, 4), NET_XMIT_SUCCESS);
	nt_expect_no_used(nt);
	nt_post_rx(nt, 2, NT_RXBUF_LEN);
	nt_used(nt, NT_RX, 2, heads, lens);
	KUNIT_EXPECT_EQ(test, heads[0], 0);
	KUNIT_EXPECT_EQ(test, heads[1], 1);
	nt_expect_rx(nt, 0, lens[0], 100, 3);
	nt_expect_rx(nt, 1, lens[1], 1518, 4);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_packets), 4UL);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_dropped), 0UL);
}

/*
 * More frames than the backlog takes: the netdev's queue stops, the qdisc
 * holds the rest, and every frame reaches the guest in order as it posts
 * buffers.
 */
static void net_backpressure(struct kunit *test)
{
	const u32 total = 300, len = 64;
	struct nt *nt = test->priv;
	u16 heads[NT_QSIZE], i;
	u32 lens[NT_QSIZE], seq;

	nt_make(nt);
	nt_bringup(nt);
	for (seq = 0; seq < total; seq++)
		KUNIT_ASSERT_EQ(test, nt_xmit(nt, len, seq), NET_XMIT_SUCCESS);
	KUNIT_EXPECT_TRUE(test, netif_queue_stopped(nt->ndev));

	for (seq = 0; seq < total; seq += NT_QSIZE) {
		u16 n = min_t(u32, NT_QSIZE, total - seq);

		nt_post_rx(nt, n, NT_RXBUF_LEN);
		nt_used(nt, NT_RX, n, heads, lens);
		for (i = 0; i < n; i++) {
			KUNIT_ASSERT_EQ(test, heads[i], i);
			nt_expect_rx(nt, i, lens[i], len, seq + i);
		}
	}
	KUNIT_EXPECT_FALSE(test, netif_queue_stopped(nt->ndev));
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_packets),
			(unsigned long)total);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_dropped), 0UL);
}

/* A netdev that is down drops guest frames and what waited for the guest. */
static void net_down(struct kunit *test)
{
	const struct virtio_net_hdr_v1 hdr = {};
	struct nt *nt = test->priv;
	u16 heads[NT_QSIZE];
	u32 lens[NT_QSIZE];

	nt_make(nt);
	nt_bringup(nt);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 60, 1), NET_XMIT_SUCCESS);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 60, 2), NET_XMIT_SUCCESS);
	rtnl_lock();
	dev_close(nt->ndev);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_dropped), 2UL);
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 1, &hdr, NT_HDR_LEN + 60, 1,
					  false), 0U);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, rx_dropped), 1UL);

	rtnl_lock();
	KUNIT_ASSERT_EQ(test, dev_open(nt->ndev, NULL), 0);
	rtnl_unlock();
	nt_post_rx(nt, 1, NT_RXBUF_LEN);
	nt_expect_no_used(nt);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 60, 3), NET_XMIT_SUCCESS);
	nt_used(nt, NT_RX, 1, heads, lens);
	nt_expect_rx(nt, 0, lens[0], 60, 3);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&nt->got), 0U);
}

/*
 * The hostile guest's frames and buffers: too short, too long, offloads
 * nobody negotiated, receive buffers too small. Each is dropped and
 * counted, its buffer used, and the device goes on working.
 */
static void net_bad_lengths(struct kunit *test)
{
	const struct virtio_net_hdr_v1 hdr = {};
	const struct virtio_net_hdr_v1 csum = {
		.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
	};
	const struct virtio_net_hdr_v1 gso = {
		.gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
		.gso_size = (__force __virtio16)cpu_to_le16(1448),
	};
	struct nt *nt = test->priv;
	struct virtio_argo_msg rep;
	u16 heads[NT_QSIZE];
	u32 lens[NT_QSIZE];

	nt_make(nt);
	nt_bringup(nt);

	/* A header alone, a runt, a frame over the MTU. */
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 1, &hdr, NT_HDR_LEN, 1, false),
			0U);
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 2, &hdr, NT_HDR_LEN + ETH_HLEN - 1,
					  2, false), 0U);
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 3, &hdr, NT_HDR_LEN + 1519, 3,
					  true), 0U);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, rx_length_errors), 3UL);
	/* Checksum and segmentation offloads were not offered. */
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 4, &csum, NT_HDR_LEN + 60, 4,
					  false), 0U);
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 5, &gso, NT_HDR_LEN + 1514, 5,
					  false), 0U);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, rx_frame_errors), 2UL);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, rx_errors), 5UL);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&nt->got), 0U);
	/* The shortest frame passes. */
	KUNIT_EXPECT_EQ(test, nt_guest_tx(nt, 6, &hdr, NT_HDR_LEN + ETH_HLEN, 6,
					  false), 0U);
	nt_expect_got(nt, ETH_HLEN, 6);

	/* A buffer too small for the frame is used empty; the next one fits. */
	nt_post_rx(nt, 1, NT_HDR_LEN + 99);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 100, 7), NET_XMIT_SUCCESS);
	nt_used(nt, NT_RX, 1, heads, lens);
	KUNIT_EXPECT_EQ(test, lens[0], 0U);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_dropped), 1UL);
	/* The stack sends over-long frames too; they never reach the guest. */
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 1519, 8), NET_XMIT_SUCCESS);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_dropped), 2UL);
	nt_post_rx(nt, 1, NT_RXBUF_LEN);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 100, 9), NET_XMIT_SUCCESS);
	nt_used(nt, NT_RX, 1, heads, lens);
	nt_expect_rx(nt, 0, lens[0], 100, 9);

	/* Dropped frames are no driver error: the device never needed reset. */
	KUNIT_ASSERT_EQ(test, nt_simple(nt, VIRTIO_ARGO_MSG_GET_STATUS, &rep),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_FALSE(test, rep.device_status &
			   VIRTIO_CONFIG_S_NEEDS_RESET);
	KUNIT_EXPECT_EQ(test, nt->config_events, 0U);
	KUNIT_EXPECT_EQ(test, vab_dev_dropped(nt->dev), 0ULL);
}

/* The devices= options: mac= and name=, and what they refuse. */
static void net_options(struct kunit *test)
{
	static const struct {
		const char *mac;
		const char *name;
		bool ok;
	} cases[] = {
		{ "02:00:00:aa:bb:cc", "vabkunit%d", true },
		{ NULL, NT_NAME, true },
		{ "02:00:00:aa:bb", NT_NAME, false },
		{ "zz:00:00:aa:bb:cc", NT_NAME, false },
		{ "01:00:5e:00:00:01", NT_NAME, false },
		{ "00:00:00:00:00:00", NT_NAME, false },
		{ NULL, "a/b", false },
		{ NULL, "sixteen-chars-xx", false },
	};
	struct nt *nt = test->priv;
	struct vab_dev_params params = nt_params(nt);
	struct virtio_argo_msg req, rep;
	struct vab_opts opts;
	struct vab_dev *dev;
	u8 mac[ETH_ALEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		opts.n = 0;
		if (cases[i].mac) {
			opts.key[opts.n] = "mac";
			opts.val[opts.n++] = cases[i].mac;
		}
		opts.key[opts.n] = "name";
		opts.val[opts.n++] = cases[i].name;
		dev = vab_net_model.create(&params, &opts);
		KUNIT_EXPECT_EQ_MSG(test, !IS_ERR(dev), cases[i].ok,
				    "mac=%s name=%s", cases[i].mac,
				    cases[i].name);
		if (!IS_ERR(dev))
			vab_net_model.destroy(dev);
	}
	/* Without mac=, a random locally administered unicast address. */
	nt->dev = vab_net_create(&params, NULL, NT_NAME);
	KUNIT_ASSERT_FALSE(test, IS_ERR(nt->dev));
	nt_bringup(nt);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_CONFIG, 0);
	req.config.size = ETH_ALEN;
	KUNIT_ASSERT_EQ(test, nt_call(nt, &req, &rep), VIRTIO_ARGO_S_OK);
	memcpy(mac, rep.config.data, ETH_ALEN);
	KUNIT_EXPECT_TRUE(test, is_valid_ether_addr(mac));
	KUNIT_EXPECT_TRUE(test, is_local_ether_addr(mac));
}

static struct kunit_case backend_net_cases[] = {
	KUNIT_CASE(net_config),
	KUNIT_CASE(net_tx),
	KUNIT_CASE(net_rx),
	KUNIT_CASE(net_backpressure),
	KUNIT_CASE(net_down),
	KUNIT_CASE(net_bad_lengths),
	KUNIT_CASE(net_options),
	{}
};

static struct kunit_suite backend_net_suite = {
	.name = "virtio_argo_backend_net",
	.init = nt_init,
	.exit = nt_exit,
	.test_cases = backend_net_cases,
};

kunit_test_suites(&backend_net_suite);
