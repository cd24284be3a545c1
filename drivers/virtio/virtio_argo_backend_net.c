// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo device side: virtio-net bridged to a network device of the
 * backend domain ("va-net%d" by default). Frames the guest transmits come
 * out of that netdev as if received on a wire; frames sent through the
 * netdev go into the guest's receive buffers. The netdev can then be
 * bridged, routed or moved to another network namespace like any NIC.
 *
 * The device offers no offload: no checksum, no GSO, no mergeable receive
 * buffers, no control queue. Every frame is a whole Ethernet frame of at
 * most VAB_NET_MAX_FRAME bytes behind a zeroed struct virtio_net_hdr_v1
 * (VERSION_1 is always negotiated here, so the header is always 12 bytes).
 *
 * Frames to the guest wait in a bounded backlog until the guest makes a
 * receive buffer available; a full backlog stops the netdev's queue (the
 * qdisc holds, then drops, what comes next), and the device's work wakes
 * it once the guest caught up. A guest frame that breaks the rules (too
 * short, too long, an offload header nobody negotiated) is dropped and
 * counted, as a NIC drops a bad frame: the buffer is still used.
 */

#define pr_fmt(fmt) "virtio_argo_backend: " fmt

#include <linux/err.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_net.h>

#include "virtio_argo_backend.h"

#define VAB_NET_QUEUE_SIZE	256
#define VAB_NET_RX		0	/* receiveq1: to the guest */
#define VAB_NET_TX		1	/* transmitq1: from the guest */
#define VAB_NET_MTU		ETH_DATA_LEN
/* An MTU-sized frame with an 802.1Q tag: what a small receive buffer takes. */
#define VAB_NET_MAX_FRAME	(VAB_NET_MTU + VLAN_ETH_HLEN)
/* Frames waiting for guest receive buffers: one queue's worth. */
#define VAB_NET_BACKLOG		VAB_NET_QUEUE_SIZE

/* struct virtio_net_hdr_v1 in the little-endian layout of VERSION_1. */
struct vab_net_hdr {
	u8 flags;
	u8 gso_type;
	__le16 hdr_len;
	__le16 gso_size;
	__le16 csum_start;
	__le16 csum_offset;
	__le16 num_buffers;
};

static_assert(sizeof(struct vab_net_hdr) == sizeof(struct virtio_net_hdr_v1));
static_assert(offsetof(struct vab_net_hdr, num_buffers) ==
	      offsetof(struct virtio_net_hdr_v1, num_buffers));

#define VAB_NET_HDR_LEN		sizeof(struct vab_net_hdr)

/* The head of struct virtio_net_config, up to mtu: all the features need. */
struct vab_net_config {
	u8 mac[ETH_ALEN];
	__le16 status;
	__le16 max_virtqueue_pairs;
	__le16 mtu;
};

static_assert(sizeof(struct vab_net_config) ==
	      offsetofend(struct virtio_net_config, mtu));
static_assert(offsetof(struct vab_net_config, status) ==
	      offsetof(struct virtio_net_config, status));
static_assert(offsetof(struct vab_net_config, mtu) ==
	      offsetof(struct virtio_net_config, mtu));

/**
 * struct vab_net - A virtio-net device and its netdev (the netdev's priv).
 * @dev: the device; set before the netdev is registered
 * @ndev: the netdev
 * @to_guest: frames sent through @ndev, waiting for guest receive buffers;
 *	filled by ndo_start_xmit, emptied by the device's work (and by
 *	ndo_stop), under the list's own lock
 * @buf: header and frame of the receive buffer being filled; used by the
 *	device's work only
 */
struct vab_net {
	struct vab_dev *dev;
	struct net_device *ndev;
	struct sk_buff_head to_guest;
	u8 buf[VAB_NET_HDR_LEN + VAB_NET_MAX_FRAME];
};

/* A frame the guest transmitted: the netdev receives it. */
static void vab_net_from_guest(struct vab_net *net, struct vab_req *req)
{
	u32 len = vab_req_readable(req);
	struct net_device *ndev = net->ndev;
	struct vab_net_hdr hdr;
	struct sk_buff *skb;

	if (len < VAB_NET_HDR_LEN + ETH_HLEN ||
	    len > VAB_NET_HDR_LEN + VAB_NET_MAX_FRAME) {
		DEV_STATS_INC(ndev, rx_length_errors);
		goto err;
	}
	vab_req_read(req, 0, &hdr, sizeof(hdr));
	/* No offload was offered, so the driver may ask for none. */
	if (hdr.flags || hdr.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
		DEV_STATS_INC(ndev, rx_frame_errors);
		goto err;
	}
	if (!netif_running(ndev)) {
		DEV_STATS_INC(ndev, rx_dropped);
		return;
	}
	len -= VAB_NET_HDR_LEN;
	skb = netdev_alloc_skb_ip_align(ndev, len);
	if (!skb) {
		DEV_STATS_INC(ndev, rx_dropped);
		return;
	}
	vab_req_read(req, VAB_NET_HDR_LEN, skb_put(skb, len), len);
	skb->protocol = eth_type_trans(skb, ndev);
	DEV_STATS_INC(ndev, rx_packets);
	DEV_STATS_ADD(ndev, rx_bytes, len);
	netif_rx(skb);
	return;
err:
	DEV_STATS_INC(ndev, rx_errors);
}

/* Put one frame in one guest receive buffer; false if it did not fit. */
static bool vab_net_to_guest(struct vab_net *net, struct vab_req *req,
			     struct sk_buff *skb)
{
	struct vab_net_hdr *hdr = (struct vab_net_hdr *)net->buf;
	u32 len = VAB_NET_HDR_LEN + skb->len;

	if (vab_req_writable(req) < len)
		return false;
	/* Without MRG_RXBUF, num_buffers is 1 (virtio 1.2, 5.1.6.4). */
	*hdr = (struct vab_net_hdr) { .num_buffers = cpu_to_le16(1) };
	if (skb_copy_bits(skb, 0, net->buf + VAB_NET_HDR_LEN, skb->len))
		return false;
	/* A failed send ends the session; the frame is lost with it. */
	return !vab_req_write(req, 0, net->buf, len);
}

/* Move the backlog into the guest's receive buffers while there are some. */
static void vab_net_receive(struct vab_net *net, struct vab_dev *dev)
{
	struct net_device *ndev = net->ndev;
	struct sk_buff *skb;
	struct vab_req *req;

	/* Only this work takes frames out, so the order is kept. */
	while ((skb = skb_dequeue(&net->to_guest))) {
		req = vab_queue_pop(dev, VAB_NET_RX);
		if (!req) {
			skb_queue_head(&net->to_guest, skb);
			break;
		}
		if (vab_net_to_guest(net, req, skb)) {
			DEV_STATS_INC(ndev, tx_packets);
			DEV_STATS_ADD(ndev, tx_bytes, skb->len);
			consume_skb(skb);
		} else {
			/* A buffer too small for a frame is used empty. */
			DEV_STATS_INC(ndev, tx_dropped);
			kfree_skb(skb);
		}
		vab_req_done(req);
	}
	/*
	 * ndo_start_xmit kicks this work after it stops the queue, so a stop
	 * this pass missed is seen on the next pass with buffers available,
	 * the first one that could take more frames.
	 */
	if (netif_running(ndev) && netif_queue_stopped(ndev) &&
	    skb_queue_len(&net->to_guest) < VAB_NET_BACKLOG / 2)
		netif_wake_queue(ndev);
}

static void vab_net_notify(struct vab_dev *dev, u16 index)
{
	struct vab_net *net = vab_dev_priv(dev);
	struct vab_req *req;

	if (index == VAB_NET_RX) {
		vab_net_receive(net, dev);
		return;
	}
	while ((req = vab_queue_pop(dev, index))) {
		vab_net_from_guest(net, req);
		vab_req_done(req);
	}
}

static const struct vab_device_ops vab_net_ops = {
	.device_id = VIRTIO_ID_NET,
	.num_queues = 2,
	.max_queue_size = VAB_NET_QUEUE_SIZE,
	.queue_notify = vab_net_notify,
};

static int vab_net_open(struct net_device *ndev)
{
	netif_start_queue(ndev);
	return 0;
}

static int vab_net_stop(struct net_device *ndev)
{
	struct vab_net *net = netdev_priv(ndev);
	struct sk_buff *skb;

	netif_stop_queue(ndev);
	while ((skb = skb_dequeue(&net->to_guest))) {
		DEV_STATS_INC(ndev, tx_dropped);
		kfree_skb(skb);
	}
	return 0;
}

static netdev_tx_t vab_net_start_xmit(struct sk_buff *skb,
				      struct net_device *ndev)
{
	struct vab_net *net = netdev_priv(ndev);

	if (skb->len < ETH_HLEN || skb->len > VAB_NET_MAX_FRAME) {
		DEV_STATS_INC(ndev, tx_dropped);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	skb_queue_tail(&net->to_guest, skb);
	if (skb_queue_len(&net->to_guest) >= VAB_NET_BACKLOG)
		netif_stop_queue(ndev);
	vab_dev_kick(net->dev, VAB_NET_RX);
	return NETDEV_TX_OK;
}

static const struct net_device_ops vab_net_netdev_ops = {
	.ndo_open = vab_net_open,
	.ndo_stop = vab_net_stop,
	.ndo_start_xmit = vab_net_start_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

/**
 * vab_net_create() - Serve a virtio-net device bridged to a new netdev.
 * @params: where to serve it
 * @mac: the guest's MAC address, or NULL for a random locally
 *	administered one
 * @name: the netdev's name; a "%d" in it is replaced by a free number
 *
 * The netdev gets a random MAC address of its own and an MTU of at most
 * 1500, as the guest does (VIRTIO_NET_F_MTU). It starts down.
 *
 * Return: the device, or an ERR_PTR(): -EINVAL (logged) for a bad @mac or
 * @name, or the error creating the device or registering the netdev.
 */
struct vab_dev *vab_net_create(const struct vab_dev_params *params,
			       const u8 *mac, const char *name)
{
	u64 features = BIT_ULL(VIRTIO_NET_F_MAC) | BIT_ULL(VIRTIO_NET_F_STATUS) |
		       BIT_ULL(VIRTIO_NET_F_MTU);
	struct vab_net_config config = {
		.status = cpu_to_le16(VIRTIO_NET_S_LINK_UP),
		.mtu = cpu_to_le16(VAB_NET_MTU),
	};
	struct net_device *ndev;
	struct vab_net *net;
	struct vab_dev *dev;
	int ret;

	if (mac && !is_valid_ether_addr(mac)) {
		pr_err("%s: %pM is no unicast MAC address\n", params->name, mac);
		return ERR_PTR(-EINVAL);
	}
	if (!dev_valid_name(name)) {
		pr_err("%s: \"%s\" is no netdev name\n", params->name, name);
		return ERR_PTR(-EINVAL);
	}
	if (mac)
		ether_addr_copy(config.mac, mac);
	else
		eth_random_addr(config.mac);

	ndev = alloc_netdev(sizeof(*net), name,
			    strchr(name, '%') ? NET_NAME_ENUM : NET_NAME_USER,
			    ether_setup);
	if (!ndev)
		return ERR_PTR(-ENOMEM);
	ndev->netdev_ops = &vab_net_netdev_ops;
	ndev->max_mtu = VAB_NET_MTU;
	eth_hw_addr_random(ndev);
	net = netdev_priv(ndev);
	net->ndev = ndev;
	skb_queue_head_init(&net->to_guest);

	dev = vab_dev_create(params, &vab_net_ops, features, &config,
			     sizeof(config), net);
	if (IS_ERR(dev)) {
		free_netdev(ndev);
		return dev;
	}
	net->dev = dev;
	ret = register_netdev(ndev);
	if (ret) {
		pr_err("%s: cannot register netdev %s: %d\n", params->name,
		       name, ret);
		vab_dev_destroy(dev);
		free_netdev(ndev);
		return ERR_PTR(ret);
	}
	pr_info("%s: netdev %s, guest MAC %pM\n", params->name, ndev->name,
		config.mac);
	return dev;
}

/**
 * vab_net_destroy() - Stop a virtio-net device and remove its netdev.
 * @dev: a device from vab_net_create()
 */
void vab_net_destroy(struct vab_dev *dev)
{
	struct vab_net *net = vab_dev_priv(dev);
	struct net_device *ndev = net->ndev;

	/* No transmit after this, so nothing kicks the device any more. */
	unregister_netdev(ndev);
	vab_dev_destroy(dev);
	skb_queue_purge(&net->to_guest);
	free_netdev(ndev);
}

static struct vab_dev *vab_net_model_create(const struct vab_dev_params *params,
					    const struct vab_opts *opts)
{
	const char *name = vab_opt_str(opts, "name") ?: "va-net%d";
	const char *mac_str = vab_opt_str(opts, "mac");
	u8 mac[ETH_ALEN];

	if (mac_str && !mac_pton(mac_str, mac)) {
		pr_err("%s: mac=%s is no MAC address\n", params->name, mac_str);
		return ERR_PTR(-EINVAL);
	}
	return vab_net_create(params, mac_str ? mac : NULL, name);
}

static const char *const vab_net_keys[] = { "mac", "name", NULL };

const struct vab_model vab_net_model = {
	.name = "net",
	.keys = vab_net_keys,
	.create = vab_net_model_create,
	.destroy = vab_net_destroy,
};
