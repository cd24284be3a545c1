// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo device side: rings, sessions and the control path
 * (Documentation/protocol.rst, device role; Documentation/device-side.rst).
 *
 * Each device owns two receive rings: the device control ring (HELLO and
 * every request) and the device data ring (DATA_TO_DEVICE, EVENT_AVAIL).
 * Argo runs their event callbacks in hard interrupt context on every
 * VIRQ_ARGO of the domain; the callbacks only wake senders waiting for space
 * and queue the device's work. The work drains both rings in process
 * context, answers requests, stores buffer data and lets the model process
 * available buffers (virtio_argo_backend_vring.c), which may sleep in file
 * I/O. One work item per device serializes everything a device does.
 *
 * Locking, outermost first:
 *   vab_dev.lock (mutex): held by the work for a whole pass and by teardown.
 *	It guards the session, the queues with their shadow vrings, the
 *	buffer data and the read side (rx) of both rings. Models run under it.
 *   vab_dev.space_wait: only its own waitqueue lock.
 * The event callbacks take none of them: they read ring pointers, count the
 * VIRQ in vab_dev.events and queue vab_dev.work. Teardown sets
 * vab_dev.stopping, unregisters the rings (after which no callback runs)
 * and waits for the work. struct vab_dev in virtio_argo_backend.h says
 * which lock guards each member.
 *
 * Trust: the driver domain is hostile. The codec validates every message
 * before anything here looks at it; what needs the session's state (order,
 * avail indexes, tokens, chains) is checked here and in _vring.c. A refused
 * request gets an error reply; a refused event or data message is dropped
 * and counted; a driver error that no reply can carry sets
 * DEVICE_NEEDS_RESET, which stops the data path until the driver resets the
 * device. A full driver ring delays the device by VAB_SEND_TIMEOUT at most,
 * after which the session ends.
 */

#define pr_fmt(fmt) "virtio_argo_backend: " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ring.h>

#include "virtio_argo_backend.h"

/* How long one send waits for space in a full driver ring. */
#define VAB_SEND_TIMEOUT	(5 * HZ)
/* Messages one pass of the work handles before it yields the worker. */
#define VAB_WORK_BUDGET		64
/* Offered with every model's features; ACCESS_PLATFORM and VERSION_1 are
 * also required, since descriptor addresses are tokens.
 */
#define VAB_REQUIRED_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) | \
				 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM))
#define VAB_TRANSPORT_FEATURES	(VAB_REQUIRED_FEATURES | \
				 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC))
/* 64 feature bits: blocks 0 and 1. */
#define VAB_FEATURE_BLOCKS	2
/* The models' config spaces never change, so neither does this. */
#define VAB_CONFIG_GENERATION	0
#define VAB_VENDOR_ID		0
/* Optional mechanisms the device takes part in. */
#define VAB_CAPS		(VIRTIO_ARGO_CAP_BUFFER_RINGS | \
				 VIRTIO_ARGO_CAP_USED_DIRECT)

static struct workqueue_struct *vab_wq;

/* How the device decodes what comes from a domain without a session. */
static const struct virtio_argo_limits vab_no_session = {
	.role = VIRTIO_ARGO_ROLE_DEVICE,
	.max_batch = VAB_MAX_BATCH,
	.max_msg_size = VAB_RXBUF_SIZE,
};

/* Runs in hard interrupt context on every VIRQ_ARGO of the domain. */
static void vab_ring_event(struct argo_ring *ring)
{
	struct vab_ring *vr = container_of(ring, struct vab_ring, ring);
	struct vab_dev *dev = vr->dev;

	/* A VIRQ may also mean space in a driver ring a send waits for. */
	if (vr == &dev->ctrl) {
		atomic_inc(&dev->events);
		if (wq_has_sleeper(&dev->space_wait))
			wake_up(&dev->space_wait);
	}
	/*
	 * rx belongs to the work and may be read stale here: that costs one
	 * idle pass at worst, while a message always moves tx_ptr before
	 * its VIRQ.
	 */
	if (argo_ring_tx_ptr(ring) != READ_ONCE(ring->rx))
		queue_work(vab_wq, &dev->work);
}

static void vab_ring_free_pages(struct vab_ring *vr, unsigned int npages)
{
	unsigned int i;

	for (i = 0; i < npages; i++)
		if (vr->pages[i])
			__free_page(vr->pages[i]);
	kfree(vr->pages);
	vr->pages = NULL;
}

static int vab_ring_create(struct vab_dev *dev, struct vab_ring *vr,
			   u32 port, u16 partner)
{
	unsigned int i, npages = argo_ring_npages(dev->ring_len);
	int ret = -ENOMEM;

	vr->dev = dev;
	vr->pages = kcalloc(npages, sizeof(*vr->pages), GFP_KERNEL);
	if (!vr->pages)
		return -ENOMEM;
	for (i = 0; i < npages; i++) {
		vr->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!vr->pages[i])
			goto err;
	}
	argo_ring_init(&vr->ring, dev->iface, port, partner, vab_ring_event);
	ret = argo_ring_register(&vr->ring, vr->pages, dev->ring_len, 0,
				 GFP_KERNEL);
	if (!ret)
		return 0;
	pr_err("%s: registering ring %#x failed: %d\n", dev->name, port, ret);
err:
	vab_ring_free_pages(vr, npages);
	return ret;
}

static void vab_ring_destroy(struct vab_dev *dev, struct vab_ring *vr)
{
	if (!vr->pages)
		return;
	/* Pages the hypervisor may still write to are leaked, not reused. */
	if (argo_ring_unregister(&vr->ring))
		return;
	vab_ring_free_pages(vr, argo_ring_npages(dev->ring_len));
}

/**
 * vab_wait_space() - Retry an attempt until the driver frees ring space.
 * @dev: the device, with its lock held
 * @attempt: one try; -EAGAIN while the driver's ring lacks what it needs
 * @arg: @attempt's argument
 * @poll: longest wait between two tries when no VIRQ comes
 * @port: the driver ring waited on, for the log
 * @what: what failed, for the log
 *
 * Between tries, waits in process context for a VIRQ, which is how the
 * driver's consuming its ring shows, for VAB_SEND_TIMEOUT in all. Any
 * other failure of @attempt, or the timeout, fails the session: the driver
 * is gone or does not consume its rings.
 *
 * Return: 0, or a negative errno once the session has failed.
 */
static int vab_wait_space(struct vab_dev *dev,
			  int (*attempt)(struct vab_dev *dev, void *arg),
			  void *arg, long poll, u32 port, const char *what)
{
	unsigned long deadline = jiffies + VAB_SEND_TIMEOUT;
	struct vab_session *s = &dev->s;
	int ret;

	lockdep_assert_held(&dev->lock);
	if (s->failed)
		return -EPIPE;
	for (;;) {
		int seen = atomic_read(&dev->events);
		long left;

		ret = attempt(dev, arg);
		if (ret != -EAGAIN)
			break;
		left = (long)(deadline - jiffies);
		if (left <= 0 || READ_ONCE(dev->stopping)) {
			ret = -ETIMEDOUT;
			break;
		}
		wait_event_timeout(dev->space_wait,
				   atomic_read(&dev->events) != seen ||
				   READ_ONCE(dev->stopping),
				   min(left, poll));
	}
	if (!ret)
		return 0;
	pr_warn_ratelimited("%s: %s %u:%#x (%d), ending the session\n",
			    dev->name, what, s->domid, port, ret);
	s->failed = true;
	return ret;
}

/**
 * struct vab_sendv_args - One message for vab_try_send().
 * @port: the driver ring to send to
 * @iov: the message, in pieces
 * @niov: number of pieces
 * @mtype: the Argo message type
 */
struct vab_sendv_args {
	u32 port;
	const struct kvec *iov;
	unsigned int niov;
	u32 mtype;
};

static int vab_try_send(struct vab_dev *dev, void *arg)
{
	const struct vab_sendv_args *a = arg;
	int ret = argo_sendv(dev->iface, dev->ctrl.ring.aport, dev->s.domid,
			     a->port, a->iov, a->niov, a->mtype);

	return ret < 0 ? ret : 0;
}

/**
 * vab_send_type() - Send one message of any Argo message type to the driver.
 * @dev: the device, with its lock held
 * @port: the driver ring to send to
 * @iov: the message, in pieces
 * @niov: number of pieces
 * @mtype: the Argo message type, a VIRTIO_ARGO_MTYPE_* value
 *
 * A full ring is waited on as vab_wait_space() says.
 *
 * Return: 0, or a negative errno once the session has failed.
 */
int vab_send_type(struct vab_dev *dev, u32 port, const struct kvec *iov,
		  unsigned int niov, u32 mtype)
{
	struct vab_sendv_args args = {
		.port = port, .iov = iov, .niov = niov, .mtype = mtype,
	};

	return vab_wait_space(dev, vab_try_send, &args, VAB_SEND_TIMEOUT, port,
			      "cannot send to");
}

/* -EAGAIN while the driver's data ring holds anything. */
static int vab_try_data_drained(struct vab_dev *dev, void *arg)
{
	struct vab_session *s = &dev->s;
	struct xen_argo_ring_data_ent ent = {
		.ring = { .aport = s->drv_data_port, .domain_id = s->domid },
		.space_required = s->peer.max_msg_size,
	};
	int ret = argo_query(dev->iface, &ent, 1);

	if (ret)
		return ret;
	if (ent.flags & XEN_ARGO_RING_EMPTY)
		return 0;
	return ent.flags & XEN_ARGO_RING_EXISTS ? -EAGAIN : -ECONNREFUSED;
}

/**
 * vab_wait_data_drained() - Wait until the driver took in its data ring.
 * @dev: the device, with its lock held
 *
 * For the direct used scheme: an image makes its buffers used the moment
 * it lands, so the DATA_TO_DRIVER sent before it must already be in the
 * buffers, or a driver polling its used ring could read a bounced buffer
 * before its bytes are there. A query asking for the ring's largest
 * message is only met by an empty ring, and leaves a space waiter that the
 * driver's notify wakes; short sleeps cover a wakeup that does not come.
 *
 * Return: 0, or a negative errno once the session has failed.
 */
int vab_wait_data_drained(struct vab_dev *dev)
{
	return vab_wait_space(dev, vab_try_data_drained, NULL,
			      msecs_to_jiffies(10), dev->s.drv_data_port,
			      "no empty data ring at");
}

/**
 * vab_send() - Send one protocol message to the session's driver.
 * @dev: the device, with its lock held
 * @port: the driver ring to send to
 * @iov: the message, in pieces
 * @niov: number of pieces
 *
 * As vab_send_type() with %VIRTIO_ARGO_MTYPE_MSG.
 *
 * Return: 0, or a negative errno once the session has failed.
 */
int vab_send(struct vab_dev *dev, u32 port, const struct kvec *iov,
	     unsigned int niov)
{
	return vab_send_type(dev, port, iov, niov, VIRTIO_ARGO_MTYPE_MSG);
}

/* Encode @msg for the session's driver and send it to @port. */
static int vab_send_msg(struct vab_dev *dev, u32 port,
			const struct virtio_argo_msg *msg)
{
	struct kvec iov = { .iov_base = dev->txbuf };
	ssize_t len;

	len = virtio_argo_msg_encode(msg, &dev->s.peer, dev->txbuf,
				     VAB_TXBUF_SIZE);
	/* Everything the device builds fits the driver's limits. */
	if (WARN_ON_ONCE(len < 0))
		return len;
	iov.iov_len = len;
	return vab_send(dev, port, &iov, 1);
}

/**
 * vab_needs_reset() - Stop the data path after a driver error.
 * @dev: the device, with its lock held
 * @why: what the driver did, for the log
 *
 * Sets DEVICE_NEEDS_RESET and tells the driver with EVENT_CONFIG, as the
 * protocol asks for errors that no reply can carry (a bad chain, an unknown
 * token). Buffers are neither processed nor returned until the driver
 * resets the device or starts a new session.
 */
void vab_needs_reset(struct vab_dev *dev, const char *why)
{
	struct vab_session *s = &dev->s;
	struct virtio_argo_msg m;

	if (s->broken)
		return;
	pr_warn_ratelimited("%s: driver error from domain %u: %s; device needs reset\n",
			    dev->name, s->domid, why);
	s->broken = true;
	s->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	virtio_argo_msg_init(&m, s->own.version, VIRTIO_ARGO_MSG_EVENT_CONFIG,
			     0);
	m.generation = VAB_CONFIG_GENERATION;
	vab_send_msg(dev, s->drv_ctrl_port, &m);
}

/* Drop what the data ring holds: it was sent to a device now reset. */
static void vab_discard_data(struct vab_dev *dev)
{
	struct argo_msg am;

	while (!argo_ring_peek(&dev->data.ring, &am))
		argo_ring_consume(&dev->data.ring, &am);
}

/* Back to the state after power-on, within the session. */
static void vab_reset(struct vab_dev *dev)
{
	struct vab_session *s = &dev->s;
	u16 i;

	for (i = 0; i < dev->ops->num_queues; i++)
		vab_vq_free(dev, &dev->vqs[i]);
	vab_maps_free(dev);
	s->status = 0;
	s->driver_features = 0;
	s->broken = false;
}

static void vab_session_end(struct vab_dev *dev)
{
	struct vab_session *s = &dev->s;

	vab_reset(dev);
	s->active = false;
	s->failed = false;
	s->own.version = 0;
	s->peer.version = 0;
}

static bool vab_is_request(u8 type)
{
	return type == VIRTIO_ARGO_MSG_HELLO || type == VIRTIO_ARGO_MSG_PING ||
	       (type >= VIRTIO_ARGO_MSG_GET_DEVICE_INFO &&
		type <= VIRTIO_ARGO_MSG_RESET_VQUEUE);
}

/* Whether @am comes from the domain of the current session. */
static bool vab_own(const struct vab_dev *dev, const struct argo_msg *am)
{
	return dev->s.active && am->source.domain_id == dev->s.domid;
}

/*
 * Answer a message the device refused with @err, if it is a request: with
 * an error reply to the session's driver control ring, or for a domain
 * without a session to the port the request came from.
 */
static void vab_refuse(struct vab_dev *dev, const struct argo_msg *am,
		       int err)
{
	static const struct virtio_argo_limits any_len = {
		.max_msg_size = U32_MAX,
	};
	struct virtio_argo_limits lim = {
		.role = VIRTIO_ARGO_ROLE_DRIVER,
		.max_msg_size = VIRTIO_ARGO_MIN_MSG_SIZE,
	};
	struct virtio_argo_msg hdr, rep;
	struct kvec iov = { .iov_base = dev->txbuf };
	ssize_t len;

	if (virtio_argo_hdr_decode(dev->rxbuf, am->len, &any_len, &hdr) ||
	    (hdr.flags & VIRTIO_ARGO_F_REPLY) || !vab_is_request(hdr.type) ||
	    !hdr.version || !hdr.request_id) {
		dev->dropped++;
		return;
	}
	virtio_argo_msg_init_reply(&rep, &hdr,
				   virtio_argo_errno_to_status(err));
	lim.version = rep.version;
	len = virtio_argo_msg_encode(&rep, &lim, dev->txbuf, VAB_TXBUF_SIZE);
	if (WARN_ON_ONCE(len < 0))
		return;
	iov.iov_len = len;
	if (vab_own(dev, am)) {
		vab_send(dev, dev->s.drv_ctrl_port, &iov, 1);
		return;
	}
	/* No session to fail, and no reason to wait for a stranger. */
	if (argo_sendv(dev->iface, dev->ctrl.ring.aport, am->source.domain_id,
		       am->source.aport, &iov, 1, VIRTIO_ARGO_MTYPE_MSG) < 0)
		dev->dropped++;
}

/* HELLO: a new session, whoever had the device before. */
static void vab_hello(struct vab_dev *dev, const struct argo_msg *am,
		      const struct virtio_argo_msg *req)
{
	struct vab_session *s = &dev->s;
	struct virtio_argo_msg rep;
	int version;

	vab_discard_data(dev);
	vab_session_end(dev);

	version = virtio_argo_version_select(VIRTIO_ARGO_VERSION_MIN,
					     VIRTIO_ARGO_VERSION_MAX,
					     req->hello.min_version,
					     req->hello.max_version);
	if (version < 0) {
		pr_info_ratelimited("%s: domain %u speaks protocol %u..%u, device %u..%u\n",
				    dev->name, am->source.domain_id,
				    req->hello.min_version,
				    req->hello.max_version,
				    VIRTIO_ARGO_VERSION_MIN,
				    VIRTIO_ARGO_VERSION_MAX);
		version = 0;
	}
	s->active = true;
	s->domid = am->source.domain_id;
	s->drv_ctrl_port = req->hello.ctrl_port;
	s->drv_data_port = req->hello.data_port;
	s->caps = req->hello.caps & VAB_CAPS;
	/* Device-dependent limits stay 0 until GET_DEVICE_INFO. */
	s->own = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DEVICE,
		.version = version,
		.max_batch = VAB_MAX_BATCH,
		.max_msg_size = argo_ring_max_payload(dev->ring_len),
		.queue_sizes = dev->queue_sizes,
	};
	s->peer = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DRIVER,
		.version = version,
		.max_batch = req->hello.max_batch,
		.max_msg_size = req->hello.max_msg_size,
		.queue_sizes = dev->queue_sizes,
	};

	virtio_argo_msg_init_reply(&rep, req, VIRTIO_ARGO_S_OK);
	rep.hello.min_version = VIRTIO_ARGO_VERSION_MIN;
	rep.hello.max_version = VIRTIO_ARGO_VERSION_MAX;
	rep.hello.max_batch = VAB_MAX_BATCH;
	rep.hello.max_msg_size = s->own.max_msg_size;
	rep.hello.caps = s->caps;
	rep.hello.ctrl_port = dev->ctrl.ring.aport;
	rep.hello.data_port = dev->data.ring.aport;
	vab_send_msg(dev, s->drv_ctrl_port, &rep);
}

static void vab_device_info(struct vab_dev *dev, struct virtio_argo_msg *rep)
{
	const struct vab_device_ops *ops = dev->ops;
	struct vab_session *s = &dev->s;

	rep->device_info.device_id = ops->device_id;
	rep->device_info.vendor_id = VAB_VENDOR_ID;
	rep->device_info.config_size = dev->config_size;
	rep->device_info.num_queues = ops->num_queues;
	rep->device_info.max_queue_size = ops->max_queue_size;
	rep->device_info.num_feature_blocks = VAB_FEATURE_BLOCKS;

	/* From now on both sides know the device's sizes. */
	s->own.num_queues = ops->num_queues;
	s->own.max_queue_size = ops->max_queue_size;
	s->own.num_feature_blocks = VAB_FEATURE_BLOCKS;
	s->own.config_size = dev->config_size;
	s->peer.num_queues = ops->num_queues;
	s->peer.max_queue_size = ops->max_queue_size;
	s->peer.num_feature_blocks = VAB_FEATURE_BLOCKS;
	s->peer.config_size = dev->config_size;
}

static int vab_set_features(struct vab_dev *dev,
			    const struct virtio_argo_msg *req)
{
	struct vab_session *s = &dev->s;
	u16 i;

	if (s->status & VIRTIO_CONFIG_S_FEATURES_OK)
		return -EBUSY;
	for (i = 0; i < req->features.count; i++) {
		unsigned int shift = 32 * (req->features.index + i);

		s->driver_features &= ~((u64)U32_MAX << shift);
		s->driver_features |=
			(u64)le32_to_cpu(req->features.words[i]) << shift;
	}
	return 0;
}

/*
 * SET_STATUS: 0 resets; otherwise bits are only added, FEATURES_OK sticks
 * only for an acceptable feature set, and NEEDS_RESET is the device's.
 */
static int vab_set_status(struct vab_dev *dev, u32 status)
{
	struct vab_session *s = &dev->s;
	u8 old = s->status, new = status & ~VIRTIO_CONFIG_S_NEEDS_RESET;

	if (!status) {
		vab_discard_data(dev);
		vab_reset(dev);
		return 0;
	}
	if (old & ~new & ~VIRTIO_CONFIG_S_NEEDS_RESET)
		return -EBUSY;
	if ((new & ~old & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    ((s->driver_features & ~dev->features) ||
	     (s->driver_features & VAB_REQUIRED_FEATURES) !=
	     VAB_REQUIRED_FEATURES))
		new &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	if ((new & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(new & VIRTIO_CONFIG_S_FEATURES_OK))
		return -EBUSY;
	s->status = new | (old & VIRTIO_CONFIG_S_NEEDS_RESET);
	return 0;
}

static int vab_set_vqueue(struct vab_dev *dev,
			  const struct virtio_argo_msg *req)
{
	struct vab_session *s = &dev->s;
	struct vab_vq *vq = &dev->vqs[req->vqueue.index];

	bool direct = req->vqueue.used_scheme == VIRTIO_ARGO_USED_DIRECT;

	if (direct && !(s->caps & VIRTIO_ARGO_CAP_USED_DIRECT))
		return -EOPNOTSUPP;
	if (!(s->status & VIRTIO_CONFIG_S_FEATURES_OK) ||
	    (s->status & VIRTIO_CONFIG_S_DRIVER_OK) || vq->size)
		return -EBUSY;
	return vab_vq_setup(dev, vq, req->vqueue.size, req->vqueue.used_port,
			    direct);
}

static void vab_request(struct vab_dev *dev, const struct virtio_argo_msg *req)
{
	__le32 words[VAB_FEATURE_BLOCKS];
	struct vab_session *s = &dev->s;
	u8 old_status = s->status;
	struct virtio_argo_msg rep;
	int err = 0;
	u16 i;

	virtio_argo_msg_init_reply(&rep, req, VIRTIO_ARGO_S_OK);
	switch (req->type) {
	case VIRTIO_ARGO_MSG_PING:
		rep.ping_cookie = req->ping_cookie;
		break;
	case VIRTIO_ARGO_MSG_GET_DEVICE_INFO:
		vab_device_info(dev, &rep);
		break;
	case VIRTIO_ARGO_MSG_GET_FEATURES:
		for (i = 0; i < req->features.count; i++)
			words[i] = cpu_to_le32(dev->features >>
					       (32 * (req->features.index + i)));
		rep.features.index = req->features.index;
		rep.features.count = req->features.count;
		rep.features.words = words;
		break;
	case VIRTIO_ARGO_MSG_SET_FEATURES:
		err = vab_set_features(dev, req);
		break;
	case VIRTIO_ARGO_MSG_GET_CONFIG:
		rep.config.generation = VAB_CONFIG_GENERATION;
		rep.config.offset = req->config.offset;
		rep.config.size = req->config.size;
		rep.config.data = dev->config + req->config.offset;
		break;
	case VIRTIO_ARGO_MSG_SET_CONFIG:
		/* No model has a writable config field. */
		err = -EOPNOTSUPP;
		break;
	case VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION:
		rep.generation = VAB_CONFIG_GENERATION;
		break;
	case VIRTIO_ARGO_MSG_GET_STATUS:
		rep.device_status = s->status;
		break;
	case VIRTIO_ARGO_MSG_SET_STATUS:
		err = vab_set_status(dev, req->device_status);
		rep.device_status = s->status;
		break;
	case VIRTIO_ARGO_MSG_SET_VQUEUE:
		err = vab_set_vqueue(dev, req);
		break;
	case VIRTIO_ARGO_MSG_RESET_VQUEUE:
		vab_vq_free(dev, &dev->vqs[req->vqueue.index]);
		break;
	}
	if (err)
		virtio_argo_msg_init_reply(&rep, req,
					   virtio_argo_errno_to_status(err));
	vab_send_msg(dev, s->drv_ctrl_port, &rep);

	/* Buffers made available before DRIVER_OK are processed now. */
	if (!(old_status & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    (s->status & VIRTIO_CONFIG_S_DRIVER_OK))
		for (i = 0; i < dev->ops->num_queues; i++)
			if (dev->vqs[i].size)
				vab_vq_notify(dev, &dev->vqs[i]);
}

static void vab_ctrl_msg(struct vab_dev *dev, const struct argo_msg *am)
{
	const struct virtio_argo_limits *lim = &vab_no_session;
	struct virtio_argo_msg req;
	int err = -EMSGSIZE;

	argo_ring_read(&dev->ctrl.ring, am, 0, dev->rxbuf,
		       min(am->len, VAB_RXBUF_SIZE));
	if (vab_own(dev, am))
		lim = &dev->s.own;
	if (am->len <= VAB_RXBUF_SIZE)
		err = virtio_argo_msg_decode(dev->rxbuf, am->len, lim, &req);
	if (err)
		vab_refuse(dev, am, err);
	else if (req.type == VIRTIO_ARGO_MSG_HELLO)
		vab_hello(dev, am, &req);
	else
		vab_request(dev, &req);
}

static void vab_data_msg(struct vab_dev *dev, const struct argo_msg *am)
{
	u32 head = min_t(u32, am->len, VIRTIO_ARGO_DATA_HEAD_SIZE);
	const struct virtio_argo_hdr *hdr = dev->rxbuf;
	struct vab_session *s = &dev->s;
	struct virtio_argo_msg m;
	int err;

	if (!vab_own(dev, am) || !s->own.version || s->broken ||
	    am->len < sizeof(*hdr)) {
		dev->dropped++;
		return;
	}
	/* Data goes from the ring straight to its mapping. */
	argo_ring_read(&dev->data.ring, am, 0, dev->rxbuf, head);
	if (hdr->type == VIRTIO_ARGO_MSG_DATA_TO_DEVICE) {
		err = virtio_argo_msg_decode_head(dev->rxbuf, head, am->len,
						  &s->own, &m);
		if (err) {
			dev->dropped++;
			return;
		}
		err = vab_map_store(dev, &m, am);
		if (err == -ENOMEM || err == -ENOSPC || err == -EFBIG)
			vab_needs_reset(dev, "buffer data over the budget");
		return;
	}
	if (am->len > VAB_RXBUF_SIZE) {
		dev->dropped++;
		return;
	}
	argo_ring_read(&dev->data.ring, am, 0, dev->rxbuf, am->len);
	err = virtio_argo_msg_decode(dev->rxbuf, am->len, &s->own, &m);
	if (err || m.type != VIRTIO_ARGO_MSG_EVENT_AVAIL) {
		dev->dropped++;
		return;
	}
	vab_vq_avail(dev, &m);
}

/*
 * The next protocol message in a ring; anything else is dropped. Returns
 * false when the ring is empty, or was found corrupt and emptied.
 */
static bool vab_ring_next(struct vab_dev *dev, struct vab_ring *vr,
			  struct argo_msg *am)
{
	for (;;) {
		int ret = argo_ring_peek(&vr->ring, am);

		if (ret == -EAGAIN)
			return false;
		if (ret) {
			dev->dropped++;
			return false;
		}
		if (am->type == VIRTIO_ARGO_MTYPE_MSG)
			return true;
		dev->dropped++;
		argo_ring_consume(&vr->ring, am);
	}
}

/* Notify the models of the queues they kicked, if the queues run. */
static void vab_run_kicks(struct vab_dev *dev)
{
	u16 i;

	for (i = 0; i < dev->ops->num_queues; i++)
		if (test_and_clear_bit(i, dev->kicks) && dev->vqs[i].size &&
		    (dev->s.status & VIRTIO_CONFIG_S_DRIVER_OK))
			vab_vq_notify(dev, &dev->vqs[i]);
}

static void vab_work(struct work_struct *work)
{
	struct vab_dev *dev = container_of(work, struct vab_dev, work);
	unsigned int budget = VAB_WORK_BUDGET;
	bool consumed = false, more = true;
	struct argo_msg am;

	mutex_lock(&dev->lock);
	while (budget-- && !READ_ONCE(dev->stopping)) {
		/* Requests first: the driver waits for each reply. */
		if (vab_ring_next(dev, &dev->ctrl, &am)) {
			vab_ctrl_msg(dev, &am);
			argo_ring_consume(&dev->ctrl.ring, &am);
		} else if (vab_ring_next(dev, &dev->data, &am)) {
			vab_data_msg(dev, &am);
			argo_ring_consume(&dev->data.ring, &am);
		} else {
			more = false;
			break;
		}
		consumed = true;
		if (dev->s.failed) {
			vab_discard_data(dev);
			vab_session_end(dev);
		}
	}
	if (!more) {
		vab_maps_release(dev);
		vab_run_kicks(dev);
	}
	mutex_unlock(&dev->lock);

	/* Senders blocked on these rings wait for this. */
	if (consumed)
		argo_notify(dev->iface);
	if (more && !READ_ONCE(dev->stopping))
		queue_work(vab_wq, &dev->work);
}

/**
 * vab_dev_create() - Start serving a device.
 * @params: where: Argo, partner domain, ports, ring length, budget
 * @ops: the model
 * @features: the model's device feature bits; the transport's are added
 * @config: the config space, copied
 * @config_size: its size, at most %VIRTIO_ARGO_MAX_CONFIG_SIZE
 * @priv: the model's state, returned by vab_dev_priv()
 *
 * Registers the device control and data rings; from then on drivers may
 * connect. May sleep.
 *
 * Return: the device, or an ERR_PTR(): -EINVAL for a bad ring length, -ENOMEM,
 * or the hypervisor's error registering a ring.
 */
struct vab_dev *vab_dev_create(const struct vab_dev_params *params,
			       const struct vab_device_ops *ops, u64 features,
			       const void *config, u32 config_size,
			       void *priv)
{
	u32 max_payload = argo_ring_max_payload(params->ring_len);
	struct vab_dev *dev;
	int ret = -ENOMEM;
	u16 i;

	if (params->ring_len > ARGO_RING_LEN_MAX ||
	    !IS_ALIGNED(params->ring_len, XEN_ARGO_MSG_SLOT_SIZE) ||
	    params->ring_len < ARGO_RING_LEN_MIN ||
	    max_payload < VIRTIO_ARGO_MIN_MSG_SIZE ||
	    max_payload > VIRTIO_ARGO_MAX_MSG_SIZE ||
	    config_size > VIRTIO_ARGO_MAX_CONFIG_SIZE)
		return ERR_PTR(-EINVAL);

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	dev->ops = ops;
	dev->priv = priv;
	dev->iface = params->iface;
	dev->ring_len = params->ring_len;
	dev->buffer_budget = params->buffer_budget;
	dev->features = features | VAB_TRANSPORT_FEATURES;
	dev->config_size = config_size;
	/* The work does nothing until both rings are there. */
	dev->stopping = true;
	INIT_WORK(&dev->work, vab_work);
	init_waitqueue_head(&dev->space_wait);
	atomic_set(&dev->events, 0);
	mutex_init(&dev->lock);
	xa_init(&dev->s.maps);
	INIT_LIST_HEAD(&dev->s.release);

	dev->name = kstrdup(params->name, GFP_KERNEL);
	if (config_size)
		dev->config = kmemdup(config, config_size, GFP_KERNEL);
	dev->vqs = kcalloc(ops->num_queues, sizeof(*dev->vqs), GFP_KERNEL);
	dev->queue_sizes = kcalloc(ops->num_queues, sizeof(*dev->queue_sizes),
				   GFP_KERNEL);
	dev->kicks = bitmap_zalloc(ops->num_queues, GFP_KERNEL);
	dev->rxbuf = kmalloc(VAB_RXBUF_SIZE, GFP_KERNEL);
	dev->txbuf = kmalloc(VAB_TXBUF_SIZE, GFP_KERNEL);
	if (!dev->name || (config_size && !dev->config) || !dev->vqs || !dev->queue_sizes ||
	    !dev->kicks || !dev->rxbuf || !dev->txbuf)
		goto err_free;
	for (i = 0; i < ops->num_queues; i++)
		dev->vqs[i].index = i;

	ret = vab_ring_create(dev, &dev->ctrl, params->ctrl_port,
			      params->partner);
	if (ret)
		goto err_free;
	ret = vab_ring_create(dev, &dev->data, params->data_port,
			      params->partner);
	if (ret)
		goto err_ctrl;
	WRITE_ONCE(dev->stopping, false);
	/* For messages that came before. */
	queue_work(vab_wq, &dev->work);
	return dev;

err_ctrl:
	vab_ring_destroy(dev, &dev->ctrl);
	cancel_work_sync(&dev->work);
err_free:
	kfree(dev->txbuf);
	kfree(dev->rxbuf);
	bitmap_free(dev->kicks);
	kfree(dev->queue_sizes);
	kfree(dev->vqs);
	kfree(dev->config);
	kfree(dev->name);
	kfree(dev);
	return ERR_PTR(ret);
}

/**
 * vab_dev_destroy() - Stop serving a device and free it.
 * @dev: a device from vab_dev_create()
 *
 * Unregisters the rings, so a driver's next send gets -ECONNREFUSED, and
 * waits for the work. The model is not called any more once this returns.
 * May sleep.
 */
void vab_dev_destroy(struct vab_dev *dev)
{
	WRITE_ONCE(dev->stopping, true);
	wake_up(&dev->space_wait);
	vab_ring_destroy(dev, &dev->data);
	vab_ring_destroy(dev, &dev->ctrl);
	cancel_work_sync(&dev->work);

	mutex_lock(&dev->lock);
	vab_session_end(dev);
	mutex_unlock(&dev->lock);
	xa_destroy(&dev->s.maps);
	mutex_destroy(&dev->lock);
	kfree(dev->txbuf);
	kfree(dev->rxbuf);
	bitmap_free(dev->kicks);
	kfree(dev->queue_sizes);
	kfree(dev->vqs);
	kfree(dev->config);
	kfree(dev->name);
	kfree(dev);
}

/**
 * vab_dev_priv() - The model state given to vab_dev_create().
 * @dev: the device
 *
 * Return: the model's pointer.
 */
void *vab_dev_priv(const struct vab_dev *dev)
{
	return dev->priv;
}

/**
 * vab_dev_kick() - Have the model's queue_notify() called for a queue.
 * @dev: the device
 * @index: the queue
 *
 * For a model whose own input arrives outside the device's work (a
 * character device write, say): the work calls queue_notify() for @index
 * soon, if the queue runs and has buffers available. Any context.
 */
void vab_dev_kick(struct vab_dev *dev, u16 index)
{
	if (WARN_ON_ONCE(index >= dev->ops->num_queues))
		return;
	set_bit(index, dev->kicks);
	queue_work(vab_wq, &dev->work);
}

/**
 * vab_dev_dropped() - Messages the device dropped without an answer.
 * @dev: the device
 *
 * Counts foreign message types, refused events and data, messages from
 * domains without a session on the data ring and unanswerable requests.
 *
 * Return: the count so far.
 */
u64 vab_dev_dropped(struct vab_dev *dev)
{
	u64 n;

	mutex_lock(&dev->lock);
	n = dev->dropped;
	mutex_unlock(&dev->lock);
	return n;
}

/**
 * vab_engine_init() - Set up what all devices share.
 *
 * Return: 0 or -ENOMEM.
 */
int vab_engine_init(void)
{
	/* A reclaim-safe queue: the guest may swap to a device served here. */
	vab_wq = alloc_workqueue("virtio_argo_backend",
				 WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return vab_wq ? 0 : -ENOMEM;
}

/**
 * vab_engine_exit() - Free what vab_engine_init() set up.
 *
 * Every device must have been destroyed.
 */
void vab_engine_exit(void)
{
	destroy_workqueue(vab_wq);
}
