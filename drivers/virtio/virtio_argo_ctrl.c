// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo session: the driver's rings, requests to the device control
 * ring with their replies, and the receive path that takes in whatever
 * the device sends.
 *
 * Locking:
 *   vadev->req_mutex serializes requests: one is in flight at a time, so a
 *   reply can only match the one pending request id. Callers hold it
 *   while they use the decoded reply, which points into reply_buf.
 *   vadev->lock (spinlock, irqsave) guards pending, reply_buf/reply_len
 *   while a request is pending, and broken.
 *   The control ring is read only by rx_work, queued on each VIRQ_ARGO;
 *   a work item never runs concurrently with itself. The data, used and
 *   direct used rings, and what reading them updates (used rings, inflight
 *   heads), are read under vadev->rx_lock (spinlock), by rx_work with
 *   bottom halves off and by a kick with interrupts off that waits for its
 *   buffers (virtio_argo_poll_used()). Its holders take avq->lock, vadev->lock
 *   and the DMA mappings' lock inside it, and never run a queue callback
 *   nor anything else that takes a driver's lock: rx_work runs the
 *   callbacks after dropping it. The watchdog reads only atomics (held,
 *   the used count) and sends through req_mutex.
 *
 * Trust: the device's domain is the only partner of the driver's rings, so
 * everything in them comes from it, and it is decoded before use. Anything
 * malformed, any request left unanswered, a reply saying the session is
 * gone, and a device that holds buffers, uses none for timeout_ms and then
 * fails a PING, mark the device broken.
 */

#define pr_fmt(fmt) "virtio-argo: " fmt

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>

#include "virtio_argo.h"

unsigned int virtio_argo_timeout_ms = 5000;
module_param_named(timeout_ms, virtio_argo_timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "How long to wait for the device to answer");

/* Largest reply: a config read of the whole config space. */
#define VIRTIO_ARGO_REPLY_MAX	(sizeof(struct virtio_argo_hdr) + \
				 sizeof(struct virtio_argo_config) + \
				 VIRTIO_ARGO_MAX_CONFIG_SIZE)

/* Largest request: a config write of the whole config space. */
#define VIRTIO_ARGO_REQUEST_MAX	VIRTIO_ARGO_REPLY_MAX

/**
 * virtio_argo_set_broken() - Stop all I/O with a device that misbehaved.
 * @vadev: the device
 * @why: what went wrong, for the log
 * @err: the error seen
 *
 * Fails the pending request and has rx_work fail every buffer the device
 * holds (virtio_argo_fail_inflight()). Before DRIVER_OK the virtio device
 * is also marked broken, so its probe stops at once; after it, drivers
 * keep their queues and see each request fail. May be called from any
 * context; only the first call logs.
 */
void virtio_argo_set_broken(struct virtio_argo_device *vadev,
			    const char *why, int err)
{
	unsigned long flags;
	bool was_broken;

	spin_lock_irqsave(&vadev->lock, flags);
	was_broken = vadev->broken;
	vadev->broken = true;
	if (vadev->pending) {
		vadev->reply_len = 0;
		complete(vadev->pending);
		vadev->pending = NULL;
	}
	spin_unlock_irqrestore(&vadev->lock, flags);
	if (was_broken)
		return;
	dev_err(&vadev->pdev->dev, "device %u:%#x broken: %s (%d)\n",
		vadev->backend_domid, vadev->backend_port, why, err);
	wake_up_all(&vadev->space);
	queue_work(system_highpri_wq, &vadev->rx_work);
	/* virtio_break_device() takes a lock that is not irq-safe. */
	schedule_work(&vadev->broken_work);
}

static void virtio_argo_broken_work(struct work_struct *work)
{
	struct virtio_argo_device *vadev =
		container_of(work, struct virtio_argo_device, broken_work);

	/* A device that failed in probe's session setup was never added. */
	if (device_is_registered(&vadev->vdev.dev) &&
	    !(READ_ONCE(vadev->status) & VIRTIO_CONFIG_S_DRIVER_OK))
		virtio_break_device(&vadev->vdev);
}

static void virtio_argo_refail_work(struct work_struct *work)
{
	struct virtio_argo_device *vadev =
		container_of(to_delayed_work(work), struct virtio_argo_device,
			     refail_work);

	queue_work(system_highpri_wq, &vadev->rx_work);
}

/* One sendv to the device, counted. */
static int virtio_argo_sendv(struct virtio_argo_device *vadev, u32 port,
			     const struct kvec *iov, unsigned int niov)
{
	int ret = argo_sendv(vadev->argo, vadev->ctrl->ring.aport,
			     vadev->backend_domid, port, iov, niov,
			     VIRTIO_ARGO_MTYPE_MSG);

	if (ret >= 0) {
		atomic64_inc(&vadev->stats.msgs_sent);
		atomic64_add(ret, &vadev->stats.bytes_sent);
	} else if (ret == -EAGAIN) {
		atomic64_inc(&vadev->stats.eagain);
	}
	return ret;
}

/**
 * virtio_argo_send() - Send one encoded message to a device ring.
 * @vadev: the device
 * @port: the device ring's port
 * @msg: the message, or its head when @bytes follow
 * @len: length of @msg
 * @bytes: payload bytes sent after @msg without copying, or NULL
 * @nbytes: length of @bytes
 * @may_sleep: wait for room when the ring is full
 *
 * Return: 0; -EAGAIN if the ring is full and @may_sleep is false;
 * -ETIMEDOUT if it stayed full; -EIO if the device is broken; or an Argo
 * error, after which the device is broken.
 */
int virtio_argo_send(struct virtio_argo_device *vadev, u32 port,
		     const void *msg, size_t len, const void *bytes,
		     size_t nbytes, bool may_sleep)
{
	struct kvec iov[2] = {
		{ .iov_base = (void *)msg, .iov_len = len },
		{ .iov_base = (void *)bytes, .iov_len = nbytes },
	};
	unsigned int niov = bytes ? 2 : 1;
	long left;
	int ret;

	if (READ_ONCE(vadev->broken))
		return -EIO;
	ret = virtio_argo_sendv(vadev, port, iov, niov);
	if (ret == -EAGAIN && may_sleep) {
		/* A failed send queued us for the space wakeup (a VIRQ). */
		left = wait_event_timeout(vadev->space,
					  READ_ONCE(vadev->broken) ||
					  (ret = virtio_argo_sendv(vadev, port,
								   iov, niov)) != -EAGAIN,
					  msecs_to_jiffies(virtio_argo_timeout_ms));
		if (!left)
			ret = -ETIMEDOUT;
		else if (READ_ONCE(vadev->broken))
			ret = -EIO;
	}
	if (ret >= 0)
		return 0;
	if (ret != -EAGAIN)
		virtio_argo_set_broken(vadev, "cannot send to the device", ret);
	return ret;
}

/**
 * virtio_argo_request() - Send a request and wait for its reply.
 * @vadev: the device
 * @req: the request; its id and version are filled in here
 * @reply: the decoded reply, pointing into the device's reply buffer
 *
 * The caller holds @vadev->req_mutex until done with @reply. A device that
 * does not answer within timeout_ms, or answers garbage, is marked broken.
 *
 * Return: 0, the errno of an error reply, or -EIO/-ETIMEDOUT/-EBADMSG.
 */
int virtio_argo_request(struct virtio_argo_device *vadev,
			struct virtio_argo_msg *req,
			struct virtio_argo_msg *reply)
{
	DECLARE_COMPLETION_ONSTACK(done);
	unsigned long flags;
	ssize_t len;
	int ret;

	lockdep_assert_held(&vadev->req_mutex);
	might_sleep();

	if (!++vadev->next_id)
		++vadev->next_id;
	req->request_id = vadev->next_id;
	req->version = req->type == VIRTIO_ARGO_MSG_HELLO ?
		       VIRTIO_ARGO_VERSION_MAX : vadev->own.version;
	len = virtio_argo_msg_encode(req, &vadev->peer, vadev->request_buf,
				     VIRTIO_ARGO_REQUEST_MAX);
	if (len < 0) {
		dev_err_ratelimited(&vadev->pdev->dev,
				    "cannot encode request type %u: %zd\n",
				    req->type, len);
		return len;
	}

	spin_lock_irqsave(&vadev->lock, flags);
	if (vadev->broken) {
		spin_unlock_irqrestore(&vadev->lock, flags);
		return -EIO;
	}
	vadev->pending = &done;
	vadev->reply_len = 0;
	spin_unlock_irqrestore(&vadev->lock, flags);

	ret = virtio_argo_send(vadev, vadev->backend_port, vadev->request_buf,
			       len, NULL, 0, true);
	if (!ret && !wait_for_completion_timeout(&done,
						 msecs_to_jiffies(virtio_argo_timeout_ms))) {
		ret = -ETIMEDOUT;
		virtio_argo_set_broken(vadev, "no reply", ret);
	}

	spin_lock_irqsave(&vadev->lock, flags);
	vadev->pending = NULL;
	len = vadev->reply_len;
	spin_unlock_irqrestore(&vadev->lock, flags);
	if (ret)
		return ret;
	if (!len)
		return -EIO;

	ret = virtio_argo_msg_decode(vadev->reply_buf, len, &vadev->own, reply);
	if (!ret && reply->type != req->type)
		ret = -EBADMSG;
	if (ret) {
		virtio_argo_set_broken(vadev, "malformed reply", ret);
		return ret;
	}
	if (reply->flags & VIRTIO_ARGO_F_ERROR) {
		ret = virtio_argo_status_to_errno(reply->status);
		/* Only a device that restarted forgets a session it opened. */
		if (reply->status == VIRTIO_ARGO_S_BAD_VERSION &&
		    req->type != VIRTIO_ARGO_MSG_HELLO) {
			virtio_argo_set_broken(vadev, "device lost the session",
					       ret);
			return ret;
		}
		dev_warn_ratelimited(&vadev->pdev->dev,
				     "device refused request type %u: status %u (%d)\n",
				     req->type, reply->status, ret);
		return ret;
	}
	return 0;
}

/* A reply: hand it to the pending request if it is the awaited one. */
static void virtio_argo_take_reply(struct virtio_argo_device *vadev,
				   const struct argo_msg *amsg,
				   const struct virtio_argo_msg *hdr)
{
	struct argo_ring *ring = &vadev->ctrl->ring;
	unsigned long flags;

	spin_lock_irqsave(&vadev->lock, flags);
	if (vadev->pending && hdr->request_id == vadev->next_id &&
	    amsg->len <= VIRTIO_ARGO_REPLY_MAX) {
		argo_ring_read(ring, amsg, 0, vadev->reply_buf, amsg->len);
		vadev->reply_len = amsg->len;
		complete(vadev->pending);
		vadev->pending = NULL;
	} else {
		dev_dbg_ratelimited(&vadev->pdev->dev,
				    "dropped late or unexpected reply %u\n",
				    hdr->request_id);
	}
	spin_unlock_irqrestore(&vadev->lock, flags);
}

/* Largest message on the control ring other than a reply: EVENT_CONFIG. */
#define VIRTIO_ARGO_EVENT_MAX	(sizeof(struct virtio_argo_hdr) + \
				 sizeof(struct virtio_argo_generation))

/* Read and decode the protocol header of an Argo message into @hdr. */
static int virtio_argo_peek_hdr(struct virtio_argo_device *vadev,
				struct argo_ring *ring,
				const struct argo_msg *amsg,
				struct virtio_argo_msg *hdr)
{
	struct virtio_argo_hdr raw;

	if (amsg->type != VIRTIO_ARGO_MTYPE_MSG ||
	    amsg->source.domain_id != vadev->backend_domid ||
	    amsg->len < sizeof(raw))
		return -EBADMSG;
	argo_ring_read(ring, amsg, 0, &raw, sizeof(raw));
	return virtio_argo_hdr_decode(&raw, amsg->len, &vadev->own, hdr);
}

/* Returns how many messages it consumed. */
static unsigned int virtio_argo_ctrl_rx(struct virtio_argo_device *vadev)
{
	struct argo_ring *ring = &vadev->ctrl->ring;
	struct virtio_argo_msg hdr;
	struct argo_msg amsg;
	unsigned int taken = 0;
	int ret;

	while ((ret = argo_ring_peek(ring, &amsg)) == 0) {
		taken++;
		ret = virtio_argo_peek_hdr(vadev, ring, &amsg, &hdr);
		if (!ret && (hdr.flags & VIRTIO_ARGO_F_REPLY)) {
			virtio_argo_take_reply(vadev, &amsg, &hdr);
		} else if (!ret && amsg.len <= VIRTIO_ARGO_EVENT_MAX) {
			u8 event[VIRTIO_ARGO_EVENT_MAX];

			argo_ring_read(ring, &amsg, 0, event, amsg.len);
			ret = virtio_argo_msg_decode(event, amsg.len,
						     &vadev->own, &hdr);
			if (!ret && hdr.type == VIRTIO_ARGO_MSG_EVENT_CONFIG)
				virtio_config_changed(&vadev->vdev);
			else if (!ret)
				ret = -EBADMSG;
		} else if (!ret) {
			ret = -EBADMSG;
		}
		virtio_argo_count_rx(vadev, &amsg);
		argo_ring_consume(ring, &amsg);
		if (ret) {
			virtio_argo_set_broken(vadev, "malformed message", ret);
			return taken;
		}
	}
	if (ret == -EBADMSG)
		virtio_argo_set_broken(vadev, "corrupt control ring", ret);
	return taken;
}

/**
 * virtio_argo_data_rx() - Take every DATA_TO_DRIVER the device sent so far.
 * @vadev: the device
 *
 * Each message's bytes go straight from the ring into their buffer.
 *
 * Return: messages consumed, or the error that broke the device.
 */
int virtio_argo_data_rx(struct virtio_argo_device *vadev)
{
	int taken = 0;
	u8 head[VIRTIO_ARGO_DATA_HEAD_SIZE];
	struct argo_ring *ring = &vadev->data->ring;
	struct virtio_argo_msg msg;
	struct argo_msg amsg;
	int ret;

	while ((ret = argo_ring_peek(ring, &amsg)) == 0) {
		taken++;
		ret = -EBADMSG;
		if (amsg.type == VIRTIO_ARGO_MTYPE_MSG &&
		    amsg.source.domain_id == vadev->backend_domid &&
		    amsg.len >= sizeof(head)) {
			argo_ring_read(ring, &amsg, 0, head, sizeof(head));
			ret = virtio_argo_msg_decode_head(head, sizeof(head),
							  amsg.len, &vadev->own,
							  &msg);
		}
		if (!ret && msg.type != VIRTIO_ARGO_MSG_DATA_TO_DRIVER)
			ret = -EBADMSG;
		if (!ret)
			ret = virtio_argo_deliver_data(vadev, &msg, &amsg,
						       sizeof(head));
		virtio_argo_count_rx(vadev, &amsg);
		argo_ring_consume(ring, &amsg);
		if (ret) {
			virtio_argo_set_broken(vadev, "bad data message", ret);
			return ret;
		}
	}
	if (ret == -EBADMSG) {
		virtio_argo_set_broken(vadev, "corrupt data ring", ret);
		return ret;
	}
	return taken;
}

/* Returns how many messages it consumed, data messages included. */
static unsigned int virtio_argo_used_rx(struct virtio_argo_device *vadev)
{
	struct argo_ring *ring = &vadev->used->ring;
	struct virtio_argo_msg msg;
	struct argo_msg amsg;
	unsigned int taken = 0;
	int ret;

	while ((ret = argo_ring_peek(ring, &amsg)) == 0) {
		/*
		 * The device sent each buffer's data before its used element:
		 * take in all data first, so no buffer is seen before it is
		 * filled.
		 */
		ret = virtio_argo_data_rx(vadev);
		if (ret < 0)
			return taken;
		taken += ret + 1;
		ret = -EBADMSG;
		if (amsg.type == VIRTIO_ARGO_MTYPE_MSG &&
		    amsg.source.domain_id == vadev->backend_domid &&
		    amsg.len <= VIRTIO_ARGO_USED_MSG_MAX) {
			argo_ring_read(ring, &amsg, 0, vadev->used_buf,
				       amsg.len);
			ret = virtio_argo_msg_decode(vadev->used_buf, amsg.len,
						     &vadev->own, &msg);
		}
		if (!ret && msg.type != VIRTIO_ARGO_MSG_EVENT_USED)
			ret = -EBADMSG;
		if (!ret)
			ret = virtio_argo_apply_used(vadev, &msg);
		virtio_argo_count_rx(vadev, &amsg);
		argo_ring_consume(ring, &amsg);
		if (ret) {
			virtio_argo_set_broken(vadev, "bad used event", ret);
			return taken;
		}
	}
	if (ret == -EBADMSG)
		virtio_argo_set_broken(vadev, "corrupt used ring", ret);
	return taken;
}

/**
 * virtio_argo_take_used() - Take in the data and used elements the device sent.
 * @vadev: the device, with rx_lock held
 *
 * Fills the buffers, writes the used rings and marks the queues whose
 * callbacks are due; on a broken device, fails every buffer it holds
 * instead. Never calls a queue callback.
 *
 * Return: messages taken from the rings.
 */
unsigned int virtio_argo_take_used(struct virtio_argo_device *vadev)
{
	unsigned int taken;
	int ret;

	lockdep_assert_held(&vadev->rx_lock);
	if (READ_ONCE(vadev->broken)) {
		if (vadev->vqs)
			virtio_argo_fail_inflight(vadev);
		return 0;
	}
	ret = virtio_argo_data_rx(vadev);
	if (ret < 0)
		return 0;
	taken = ret + virtio_argo_used_rx(vadev);
	ret = virtio_argo_direct_rx(vadev);
	if (ret > 0)
		taken += ret;
	return taken;
}

/*
 * Take in everything the device sent, in process context: the VIRQ names
 * no ring, so look at all of them. Queue callbacks run with bottom halves
 * off, as from a threaded interrupt handler, and without rx_lock, so that
 * they may kick.
 */
static void virtio_argo_rx_work(struct work_struct *work)
{
	struct virtio_argo_device *vadev =
		container_of(work, struct virtio_argo_device, rx_work);
	unsigned int taken;

	local_bh_disable();
	spin_lock(&vadev->rx_lock);
	taken = virtio_argo_take_used(vadev);
	spin_unlock(&vadev->rx_lock);
	if (!READ_ONCE(vadev->broken))
		taken += virtio_argo_ctrl_rx(vadev);
	if (vadev->vqs)
		virtio_argo_run_callbacks(vadev);
	local_bh_enable();
	/* A device blocked on our full rings wakes only through notify. */
	if (taken)
		argo_notify(vadev->argo);
}

/*
 * A device side that restarts drops kicks from a session it no longer
 * knows, and one that hangs answers nothing: either way the buffers it
 * holds would never come back (virtio-blk has no timeout of its own).
 * Every timeout_ms, a device that holds buffers and used none since the
 * last look gets a PING; a failed one marks it broken, which fails them.
 */
static void virtio_argo_watchdog(struct work_struct *work)
{
	struct virtio_argo_device *vadev =
		container_of(to_delayed_work(work), struct virtio_argo_device,
			     watchdog);
	u64 used = atomic64_read(&vadev->stats.used);
	struct virtio_argo_msg req, reply;
	int ret;

	if (READ_ONCE(vadev->broken))
		return;
	if (atomic_read(&vadev->held) && used == vadev->watchdog_used) {
		virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_PING, 0);
		req.ping_cookie = used;
		mutex_lock(&vadev->req_mutex);
		ret = virtio_argo_request(vadev, &req, &reply);
		mutex_unlock(&vadev->req_mutex);
		if (ret)
			virtio_argo_set_broken(vadev, "no answer to PING", ret);
	}
	vadev->watchdog_used = used;
	schedule_delayed_work(&vadev->watchdog,
			      msecs_to_jiffies(virtio_argo_timeout_ms));
}

/*
 * VIRQ_ARGO, in hard interrupt context. On Xen PV the VIRQ raised by our
 * own sendv can arrive inside that hypercall, where a driver may hold its
 * queue lock (observed: virtio_blk's queue_rq mapping a buffer), so queue
 * callbacks must not run here: wake senders waiting for ring space and
 * leave the rest to rx_work.
 */
static void virtio_argo_event(struct argo_ring *ring)
{
	struct virtio_argo_device *vadev =
		container_of(ring, struct virtio_argo_ring_mem, ring)->owner;

	atomic_inc(&vadev->virqs);
	wake_up_all(&vadev->space);
	if (!READ_ONCE(vadev->broken))
		queue_work(system_highpri_wq, &vadev->rx_work);
}

static void virtio_argo_ring_free(struct virtio_argo_ring_mem *mem)
{
	if (!mem)
		return;
	if (mem->ring.registered && argo_ring_unregister(&mem->ring))
		return;	/* the hypervisor may still write there: leak it */
	free_pages_exact(mem->mem, VIRTIO_ARGO_RING_LEN + ARGO_RING_HEADER_SIZE);
	kfree(mem);
}

static struct virtio_argo_ring_mem *
virtio_argo_ring_create(struct virtio_argo_device *vadev, unsigned int n,
			void (*event)(struct argo_ring *ring))
{
	const size_t size = VIRTIO_ARGO_RING_LEN + ARGO_RING_HEADER_SIZE;
	const unsigned int npages = argo_ring_npages(VIRTIO_ARGO_RING_LEN);
	struct virtio_argo_ring_mem *mem;
	unsigned int i;
	int ret;

	mem = kzalloc(struct_size(mem, pages, npages), GFP_KERNEL);
	if (!mem)
		return ERR_PTR(-ENOMEM);
	mem->owner = vadev;
	mem->mem = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
	if (!mem->mem) {
		kfree(mem);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < npages; i++)
		mem->pages[i] = virt_to_page(mem->mem + i * PAGE_SIZE);
	argo_ring_init(&mem->ring, vadev->argo,
		       VIRTIO_ARGO_DRIVER_PORT(vadev->index, n),
		       vadev->backend_domid, event);
	ret = argo_ring_register(&mem->ring, mem->pages, VIRTIO_ARGO_RING_LEN,
				 0, GFP_KERNEL);
	if (ret) {
		dev_err(&vadev->pdev->dev,
			"cannot register ring %#x for domain %u: %d\n",
			mem->ring.aport, vadev->backend_domid, ret);
		virtio_argo_ring_free(mem);
		return ERR_PTR(ret);
	}
	return mem;
}

static int virtio_argo_hello(struct virtio_argo_device *vadev)
{
	struct virtio_argo_msg req, reply;
	int version;
	int ret;

	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_HELLO, 0);
	req.hello.min_version = VIRTIO_ARGO_VERSION_MIN;
	req.hello.max_version = VIRTIO_ARGO_VERSION_MAX;
	req.hello.max_batch = VIRTIO_ARGO_MAX_BATCH;
	req.hello.max_msg_size = VIRTIO_ARGO_OWN_MAX_MSG;
	req.hello.caps = VIRTIO_ARGO_CAP_BUFFER_RINGS |
			 VIRTIO_ARGO_CAP_USED_DIRECT;
	req.hello.ctrl_port = vadev->ctrl->ring.aport;
	req.hello.data_port = vadev->data->ring.aport;

	ret = virtio_argo_request(vadev, &req, &reply);
	if (ret)
		return ret;
	version = virtio_argo_version_select(VIRTIO_ARGO_VERSION_MIN,
					     VIRTIO_ARGO_VERSION_MAX,
					     reply.hello.min_version,
					     reply.hello.max_version);
	if (version < 0) {
		dev_err(&vadev->pdev->dev,
			"device speaks protocol %u..%u, this driver %u..%u\n",
			reply.hello.min_version, reply.hello.max_version,
			VIRTIO_ARGO_VERSION_MIN, VIRTIO_ARGO_VERSION_MAX);
		return version;
	}
	vadev->own.version = version;
	vadev->peer.version = version;
	vadev->peer.max_batch = reply.hello.max_batch;
	vadev->peer.max_msg_size = reply.hello.max_msg_size;
	vadev->peer_caps = reply.hello.caps;
	vadev->backend_data_port = reply.hello.data_port;
	return 0;
}

static int virtio_argo_device_info(struct virtio_argo_device *vadev,
				   unsigned int max_queues,
				   unsigned int max_queue_size)
{
	struct virtio_argo_msg req, reply;
	int ret;

	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_GET_DEVICE_INFO, 0);
	ret = virtio_argo_request(vadev, &req, &reply);
	if (ret)
		return ret;
	if (reply.device_info.device_id != vadev->device_id) {
		dev_err(&vadev->pdev->dev,
			"device is virtio device %u, described as %u\n",
			reply.device_info.device_id, vadev->device_id);
		return -ENODEV;
	}
	vadev->vdev.id.device = reply.device_info.device_id;
	vadev->vdev.id.vendor = reply.device_info.vendor_id;

	/* The description bounds what the device may ask for. */
	vadev->own.num_queues = min_t(unsigned int,
				      reply.device_info.num_queues, max_queues);
	vadev->own.max_queue_size = min_t(unsigned int,
					  reply.device_info.max_queue_size,
					  max_queue_size);
	vadev->own.num_feature_blocks = reply.device_info.num_feature_blocks;
	vadev->own.config_size = reply.device_info.config_size;
	vadev->queue_sizes = kcalloc(vadev->own.num_queues,
				     sizeof(*vadev->queue_sizes), GFP_KERNEL);
	vadev->vqs = kcalloc(vadev->own.num_queues, sizeof(*vadev->vqs),
			     GFP_KERNEL);
	if (!vadev->queue_sizes || !vadev->vqs)
		return -ENOMEM;
	vadev->own.queue_sizes = vadev->queue_sizes;
	vadev->peer.num_queues = vadev->own.num_queues;
	vadev->peer.max_queue_size = vadev->own.max_queue_size;
	vadev->peer.num_feature_blocks = vadev->own.num_feature_blocks;
	vadev->peer.config_size = vadev->own.config_size;
	vadev->peer.queue_sizes = vadev->queue_sizes;
	return 0;
}

/**
 * virtio_argo_session_open() - Set up the rings and open a session.
 * @vadev: the device, with its discovery data filled in
 * @max_queues: queues the description allows
 * @max_queue_size: queue size the description allows
 *
 * Registers the driver's control, data and used rings with the device's
 * domain as their partner, says HELLO and reads the device info.
 *
 * Return: 0 or an error; the caller closes the session either way.
 */
int virtio_argo_session_open(struct virtio_argo_device *vadev,
			     unsigned int max_queues,
			     unsigned int max_queue_size)
{
	struct virtio_argo_ring_mem *mem;
	int ret;

	vadev->own = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DRIVER,
		.max_batch = VIRTIO_ARGO_MAX_BATCH,
		.max_msg_size = VIRTIO_ARGO_OWN_MAX_MSG,
	};
	/* Until HELLO is answered, send only what any device takes. */
	vadev->peer = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DEVICE,
		.max_batch = 1,
		.max_msg_size = VIRTIO_ARGO_MIN_MSG_SIZE,
	};
	INIT_WORK(&vadev->broken_work, virtio_argo_broken_work);
	INIT_DELAYED_WORK(&vadev->refail_work, virtio_argo_refail_work);
	spin_lock_init(&vadev->rx_lock);
	INIT_WORK(&vadev->rx_work, virtio_argo_rx_work);
	INIT_DELAYED_WORK(&vadev->watchdog, virtio_argo_watchdog);
	vadev->request_buf = kmalloc(VIRTIO_ARGO_REQUEST_MAX, GFP_KERNEL);
	vadev->reply_buf = kmalloc(VIRTIO_ARGO_REPLY_MAX, GFP_KERNEL);
	vadev->used_buf = kmalloc(VIRTIO_ARGO_USED_MSG_MAX, GFP_KERNEL);
	if (!vadev->request_buf || !vadev->reply_buf || !vadev->used_buf)
		return -ENOMEM;

	/* Data and used rings first: the control ring's event reads them. */
	mem = virtio_argo_ring_create(vadev, 1, NULL);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	vadev->data = mem;
	mem = virtio_argo_ring_create(vadev, 2, NULL);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	vadev->used = mem;
	mem = virtio_argo_ring_create(vadev, 0, virtio_argo_event);
	if (IS_ERR(mem))
		return PTR_ERR(mem);
	vadev->ctrl = mem;

	mutex_lock(&vadev->req_mutex);
	ret = virtio_argo_hello(vadev);
	if (!ret)
		ret = virtio_argo_device_info(vadev, max_queues,
					      max_queue_size);
	mutex_unlock(&vadev->req_mutex);
	if (!ret)
		schedule_delayed_work(&vadev->watchdog,
				      msecs_to_jiffies(virtio_argo_timeout_ms));
	return ret;
}

/**
 * virtio_argo_session_close() - Unregister the rings and free the session.
 * @vadev: the device
 *
 * The control ring goes first, so no event runs while the others go.
 */
void virtio_argo_session_close(struct virtio_argo_device *vadev)
{
	cancel_delayed_work_sync(&vadev->watchdog);
	cancel_work_sync(&vadev->broken_work);
	/* No event after this, then no reader of the rings. */
	virtio_argo_ring_free(vadev->ctrl);
	vadev->ctrl = NULL;
	cancel_delayed_work_sync(&vadev->refail_work);
	cancel_work_sync(&vadev->rx_work);
	virtio_argo_ring_free(vadev->used);
	vadev->used = NULL;
	virtio_argo_ring_free(vadev->data);
	vadev->data = NULL;
	kfree(vadev->used_buf);
	kfree(vadev->reply_buf);
	kfree(vadev->request_buf);
	kfree(vadev->queue_sizes);
	kfree(vadev->vqs);
}
