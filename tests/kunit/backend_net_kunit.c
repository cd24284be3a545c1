// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the device side's virtio-net model, on the simulated
 * Argo provider: a driver domain and a device domain in one kernel. The
 * test plays the guest's virtio_net driver with the codec (the driver of
 * backend_harness.c: its rings are polled) and the backend domain's
 * network stack with the model's netdev: it transmits through the netdev
 * with dev_queue_xmit() and catches what the netdev receives with an
 * rx_handler.
 *   virtio_argo_backend_net - config space and features, frames in both
 *			       directions, frames waiting for receive
 *			       buffers, backpressure through the netdev's
 *			       queue, a netdev that is down, frames and
 *			       buffers of bad length or with offloads nobody
 *			       negotiated (dropped and counted, the device
 *			       keeps working), and the devices= options.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/virtio_argo.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>
#include <uapi/linux/virtio_ring.h>

#include "backend_harness.h"

/* Bytes of each guest mapping the device may write, and of a frame. */
#define NT_MEM		2048
#define NT_RX		0
#define NT_TX		1
#define NT_HDR_LEN	sizeof(struct virtio_net_hdr_v1)
/* What virtio_net posts without MRG_RXBUF: header and GOOD_PACKET_LEN. */
#define NT_RXBUF_LEN	(NT_HDR_LEN + 1518)
#define NT_NAME		"vabkunit0"
/* The device's name in log messages. */
#define NT_LOG_NAME	"kunit-net"
#define NT_ETHERTYPE	0x88b5
#define NT_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) | \
			 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) | \
			 BIT_ULL(VIRTIO_NET_F_MAC) | \
			 BIT_ULL(VIRTIO_NET_F_STATUS) | \
			 BIT_ULL(VIRTIO_NET_F_MTU))

static const u8 nt_guest_mac[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };

/**
 * struct nt - The test's driver, the device under test and its netdev.
 * @bt: the test's driver and the device
 * @ndev: the device's netdev, once up with nt_rx_handler() on it
 * @got: frames the netdev received, with their Ethernet header
 * @frame: a frame being built
 */
struct nt {
	struct bt bt;
	struct net_device *ndev;
	struct sk_buff_head got;
	u8 *frame;
};

static int nt_init(struct kunit *test)
{
	struct nt *nt = kunit_kzalloc(test, sizeof(*nt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nt);
	test->priv = nt;
	skb_queue_head_init(&nt->got);
	nt->bt.destroy = vab_net_destroy;
	nt->frame = kunit_kzalloc(test, NT_MEM, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, nt->frame);
	/* The device's rings are as large as the driver's. */
	bt_init(test, &nt->bt, BT_RING_LEN, NT_MEM);
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
	bt_exit(&nt->bt);
	skb_queue_purge(&nt->got);
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
	struct vab_dev_params params = bt_params(&nt->bt, NT_LOG_NAME);
	struct kunit *test = nt->bt.test;
	struct net_device *ndev;
	int ret;

	nt->bt.dev = vab_net_create(&params, nt_guest_mac, NT_NAME);
	KUNIT_ASSERT_FALSE(test, IS_ERR(nt->bt.dev));
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

/* HELLO, then the virtio initialisation up to DRIVER_OK with both queues. */
static void nt_bringup(struct nt *nt)
{
	bt_bringup_queues(&nt->bt, 0, NT_FEATURES, 2);
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

	KUNIT_ASSERT_NOT_NULL(nt->bt.test, skb);
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
		BT_DESC(2 * id, OUT(id), split ? NT_HDR_LEN : len,
			split ? VRING_DESC_F_NEXT : 0, 2 * id + 1),
		BT_DESC(2 * id + 1, OUT(id) + NT_HDR_LEN, len - NT_HDR_LEN,
			0, 0),
	};
	u8 *buf = nt->frame;
	u16 head = 2 * id, used_head;
	u32 used_len;

	memcpy(buf, hdr, NT_HDR_LEN);
	if (len > NT_HDR_LEN)
		nt_frame(buf + NT_HDR_LEN, len - NT_HDR_LEN,
			 nt->ndev->dev_addr, nt_guest_mac, seq);
	bt_data(&nt->bt, id, 0, buf, len);
	bt_kick_q(&nt->bt, NT_TX, descs, split ? 2 : 1, &head, 1);
	bt_used_n(&nt->bt, NT_TX, 1, &used_head, &used_len);
	KUNIT_EXPECT_EQ(nt->bt.test, used_head, head);
	return used_len;
}

/* The next frame the netdev received within BT_TIMEOUT_MS, or NULL. */
static struct sk_buff *nt_got(struct nt *nt)
{
	struct sk_buff *skb;
	int i;

	for (i = 0; i < BT_TIMEOUT_MS; i++) {
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
	struct kunit *test = nt->bt.test;
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
	struct virtio_argo_desc descs[BT_QSIZE];
	u16 heads[BT_QSIZE], i;

	for (i = 0; i < n; i++) {
		descs[i] = (struct virtio_argo_desc)
			BT_DESC(i, IN(i), len, VRING_DESC_F_WRITE, 0);
		heads[i] = i;
		memset(nt->bt.mem[i], 0xee, NT_MEM);
	}
	bt_kick_q(&nt->bt, NT_RX, descs, n, heads, n);
}

/* Receive buffer @id holds a zeroed header and the frame nt_xmit() sent. */
static void nt_expect_rx(struct nt *nt, u16 id, u32 used_len, u32 len, u32 seq)
{
	const struct virtio_net_hdr_v1 want_hdr = {
		.num_buffers = (__force __virtio16)cpu_to_le16(1),
	};
	struct kunit *test = nt->bt.test;
	u8 *want = nt->frame;

	KUNIT_EXPECT_EQ(test, used_len, NT_HDR_LEN + len);
	KUNIT_EXPECT_EQ(test, memcmp(nt->bt.mem[id], &want_hdr, NT_HDR_LEN), 0);
	nt_frame(want, len, nt_guest_mac, nt->ndev->dev_addr, seq);
	KUNIT_EXPECT_EQ(test, memcmp(nt->bt.mem[id] + NT_HDR_LEN, want, len), 0);
}

static void net_config(struct kunit *test)
{
	struct nt *nt = test->priv;
	struct virtio_net_config config;
	struct virtio_argo_msg req, rep;
	u64 features;

	nt_make(nt);
	nt_bringup(nt);
	KUNIT_ASSERT_EQ(test, bt_simple(&nt->bt,
					VIRTIO_ARGO_MSG_GET_DEVICE_INFO, &rep),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, rep.device_info.device_id, VIRTIO_ID_NET);
	KUNIT_EXPECT_EQ(test, rep.device_info.num_queues, 2);
	KUNIT_EXPECT_EQ(test, rep.device_info.max_queue_size, 256);
	KUNIT_EXPECT_EQ(test, rep.device_info.config_size,
			offsetofend(struct virtio_net_config, mtu));

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_FEATURES, 0);
	req.features.count = 2;
	KUNIT_ASSERT_EQ(test, bt_call(&nt->bt, &req, &rep), VIRTIO_ARGO_S_OK);
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
	KUNIT_ASSERT_EQ(test, bt_call(&nt->bt, &req, &rep), VIRTIO_ARGO_S_OK);
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
	u16 heads[BT_QSIZE];
	u32 lens[BT_QSIZE];

	nt_make(nt);
	nt_bringup(nt);
	nt_post_rx(nt, 2, NT_RXBUF_LEN);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 60, 1), NET_XMIT_SUCCESS);
	bt_used_n(&nt->bt, NT_RX, 1, heads, lens);
	KUNIT_EXPECT_EQ(test, heads[0], 0);
	nt_expect_rx(nt, 0, lens[0], 60, 1);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 1514, 2), NET_XMIT_SUCCESS);
	bt_used_n(&nt->bt, NT_RX, 1, heads, lens);
	KUNIT_EXPECT_EQ(test, heads[0], 1);
	nt_expect_rx(nt, 1, lens[0], 1514, 2);

	/* No buffer: the frames wait, then take the next buffers in order. */
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 100, 3), NET_XMIT_SUCCESS);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 1518, 4), NET_XMIT_SUCCESS);
	bt_expect_no_used(&nt->bt);
	nt_post_rx(nt, 2, NT_RXBUF_LEN);
	bt_used_n(&nt->bt, NT_RX, 2, heads, lens);
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
	u16 heads[BT_QSIZE], i;
	u32 lens[BT_QSIZE], seq;

	nt_make(nt);
	nt_bringup(nt);
	for (seq = 0; seq < total; seq++)
		KUNIT_ASSERT_EQ(test, nt_xmit(nt, len, seq), NET_XMIT_SUCCESS);
	KUNIT_EXPECT_TRUE(test, netif_queue_stopped(nt->ndev));

	for (seq = 0; seq < total; seq += BT_QSIZE) {
		u16 n = min_t(u32, BT_QSIZE, total - seq);

		nt_post_rx(nt, n, NT_RXBUF_LEN);
		bt_used_n(&nt->bt, NT_RX, n, heads, lens);
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
	u16 heads[BT_QSIZE];
	u32 lens[BT_QSIZE];

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
	bt_expect_no_used(&nt->bt);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 60, 3), NET_XMIT_SUCCESS);
	bt_used_n(&nt->bt, NT_RX, 1, heads, lens);
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
	u16 heads[BT_QSIZE];
	u32 lens[BT_QSIZE];

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
	bt_used_n(&nt->bt, NT_RX, 1, heads, lens);
	KUNIT_EXPECT_EQ(test, lens[0], 0U);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_dropped), 1UL);
	/* The stack sends over-long frames too; they never reach the guest. */
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 1519, 8), NET_XMIT_SUCCESS);
	KUNIT_EXPECT_EQ(test, DEV_STATS_READ(nt->ndev, tx_dropped), 2UL);
	nt_post_rx(nt, 1, NT_RXBUF_LEN);
	KUNIT_EXPECT_EQ(test, nt_xmit(nt, 100, 9), NET_XMIT_SUCCESS);
	bt_used_n(&nt->bt, NT_RX, 1, heads, lens);
	nt_expect_rx(nt, 0, lens[0], 100, 9);

	/* Dropped frames are no driver error: the device never needed reset. */
	KUNIT_ASSERT_EQ(test, bt_simple(&nt->bt, VIRTIO_ARGO_MSG_GET_STATUS,
					&rep), VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_FALSE(test, rep.device_status &
			   VIRTIO_CONFIG_S_NEEDS_RESET);
	KUNIT_EXPECT_EQ(test, nt->bt.config_events, 0U);
	KUNIT_EXPECT_EQ(test, vab_dev_dropped(nt->bt.dev), 0ULL);
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
	struct vab_dev_params params = bt_params(&nt->bt, NT_LOG_NAME);
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
	nt->bt.dev = vab_net_create(&params, NULL, NT_NAME);
	KUNIT_ASSERT_FALSE(test, IS_ERR(nt->bt.dev));
	nt_bringup(nt);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_CONFIG, 0);
	req.config.size = ETH_ALEN;
	KUNIT_ASSERT_EQ(test, bt_call(&nt->bt, &req, &rep), VIRTIO_ARGO_S_OK);
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
