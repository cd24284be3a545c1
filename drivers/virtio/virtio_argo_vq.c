// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo virtqueues. The device cannot read the vring, so each kick
 * sends it what changed in the descriptor table and avail ring (EVENT_AVAIL);
 * and it cannot write the vring, so its used elements arrive as EVENT_USED
 * messages that the transport writes into the used ring, entries first and
 * idx last, before running the queue's interrupt handler.
 *
 * The vrings are laid out with vring_align = PAGE_SIZE, so the used ring
 * starts on a page of its own, as a device writing it through Argo needs.
 *
 * Locking: virtio_argo_vq.lock (spinlock, irqsave) guards avail_sent and
 * kick_deferred. used_idx belongs to rx_work.
 */

#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "virtio_argo.h"

/* Entries a kick may need: every slot once, in chains and in avail. */
static unsigned int virtio_argo_kick_batch(struct virtio_argo_device *vadev,
					   unsigned int num)
{
	return min_t(unsigned int, vadev->peer.max_batch, num);
}

/*
 * Send EVENT_AVAIL for the avail entries published since the last kick,
 * with the descriptors of their chains, in as many messages as it takes.
 * Called with avq->lock held; never sleeps.
 */
static int virtio_argo_push_avail(struct virtio_argo_device *vadev,
				  struct virtio_argo_vq *avq)
{
	const struct vring *vr = virtqueue_get_vring(avq->vq);
	const unsigned int num = vr->num;
	const unsigned int batch = virtio_argo_kick_batch(vadev, num);
	const size_t fixed = sizeof(struct virtio_argo_hdr) +
			     sizeof(struct virtio_argo_event_avail);
	u16 idx = virtio16_to_cpu(&vadev->vdev, READ_ONCE(vr->avail->idx));
	struct virtio_argo_msg msg;
	ssize_t len;
	int ret;

	/* The descriptors a driver published are complete before idx. */
	virtio_rmb(true);
	while (avq->avail_sent != idx) {
		unsigned int ndescs = 0, navail = 0;
		u16 pos = avq->avail_sent;

		while (pos != idx && navail < batch) {
			u16 head = virtio16_to_cpu(&vadev->vdev,
						   vr->avail->ring[pos % num]);
			unsigned int slot = head, chain = 0;
			size_t size;

			/* Stop before a chain that would overflow the batch. */
			do {
				if (slot >= num || chain >= num)
					return -EINVAL;
				chain++;
				if (!(vr->desc[slot].flags &
				      cpu_to_virtio16(&vadev->vdev,
						      VRING_DESC_F_NEXT)))
					break;
				slot = virtio16_to_cpu(&vadev->vdev,
						       vr->desc[slot].next);
			} while (true);
			size = fixed + (ndescs + chain) *
			       sizeof(struct virtio_argo_desc) +
			       (navail + 1) * sizeof(__le16);
			if (ndescs + chain > batch ||
			    size > vadev->peer.max_msg_size) {
				if (!navail)
					return -EMSGSIZE;
				break;
			}

			for (slot = head; chain--; ) {
				struct virtio_argo_desc *d = &avq->descs[ndescs++];

				/* vring and wire are both little-endian. */
				d->addr = (__force __le64)vr->desc[slot].addr;
				d->len = (__force __le32)vr->desc[slot].len;
				d->flags = (__force __le16)vr->desc[slot].flags;
				d->next = (__force __le16)vr->desc[slot].next;
				d->slot = cpu_to_le16(slot);
				memset(d->reserved, 0, sizeof(d->reserved));
				slot = virtio16_to_cpu(&vadev->vdev,
						       vr->desc[slot].next);
			}
			avq->ring[navail++] = cpu_to_le16(head);
			pos++;
		}

		virtio_argo_msg_init(&msg, vadev->peer.version,
				     VIRTIO_ARGO_MSG_EVENT_AVAIL, 0);
		msg.avail.index = avq->vq->index;
		msg.avail.avail_idx = pos;
		msg.avail.num_descs = ndescs;
		msg.avail.num_avail = navail;
		msg.avail.descs = avq->descs;
		msg.avail.ring = avq->ring;
		len = virtio_argo_msg_encode(&msg, &vadev->peer, avq->kick_buf,
					     avq->kick_buf_size);
		if (len < 0)
			return len;
		ret = virtio_argo_send(vadev, vadev->backend_data_port,
				       avq->kick_buf, len, NULL, 0, false);
		if (ret)
			return ret;
		avq->avail_sent = pos;
	}
	return 0;
}

/* vq->notify: runs where the driver kicks, often in atomic context. */
static bool virtio_argo_notify(struct virtqueue *vq)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vq->vdev);
	struct virtio_argo_vq *avq = vq->priv;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&avq->lock, flags);
	/* A deferred kick will cover this one too: it sends up to avail idx. */
	if (!avq->kick_deferred) {
		ret = virtio_argo_push_avail(vadev, avq);
		if (ret == -EAGAIN) {
			avq->kick_deferred = true;
			schedule_work(&avq->kick_work);
			ret = 0;
		}
	}
	spin_unlock_irqrestore(&avq->lock, flags);
	if (ret && ret != -EIO)
		virtio_argo_set_broken(vadev, "cannot kick", ret);
	return !ret;
}

/* Kicks that found the device's data ring full, retried as space frees. */
static void virtio_argo_kick_work(struct work_struct *work)
{
	struct virtio_argo_vq *avq = container_of(work, struct virtio_argo_vq,
						  kick_work);
	struct virtio_argo_device *vadev = to_virtio_argo(avq->vq->vdev);
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(virtio_argo_timeout_ms);
	unsigned long flags;
	int ret, virqs;

	for (;;) {
		virqs = atomic_read(&vadev->virqs);
		spin_lock_irqsave(&avq->lock, flags);
		ret = virtio_argo_push_avail(vadev, avq);
		if (ret != -EAGAIN || time_after(jiffies, deadline))
			avq->kick_deferred = false;
		spin_unlock_irqrestore(&avq->lock, flags);
		if (ret != -EAGAIN || time_after(jiffies, deadline))
			break;
		/* The space wakeup is a VIRQ: retry after the next one. */
		wait_event_timeout(vadev->space,
				   atomic_read(&vadev->virqs) != virqs ||
				   READ_ONCE(vadev->broken), HZ);
	}
	if (ret && ret != -EIO)
		virtio_argo_set_broken(vadev, "cannot kick", ret);
}

/**
 * virtio_argo_apply_used() - Write an EVENT_USED into its queue's used ring.
 * @vadev: the device
 * @msg: the decoded event
 *
 * Runs in rx_work, after every data message sent before the
 * event has been taken in. Entries are written first, idx last with a
 * write barrier, then the queue's handler runs.
 *
 * Return: 0, or -EBADMSG if the event does not follow the previous one.
 */
int virtio_argo_apply_used(struct virtio_argo_device *vadev,
			   const struct virtio_argo_msg *msg)
{
	struct virtio_argo_vq *avq = &vadev->vqs[msg->used.index];
	struct virtqueue *vq = READ_ONCE(avq->vq);
	const struct vring *vr;
	u16 used_idx;
	unsigned int i;

	if (!vq)
		return -EBADMSG;
	vr = virtqueue_get_vring(vq);
	used_idx = avq->used_idx;
	if ((u16)(used_idx + msg->used.num_used) != msg->used.used_idx)
		return -EBADMSG;

	for (i = 0; i < msg->used.num_used; i++, used_idx++) {
		struct vring_used_elem *elem = &vr->used->ring[used_idx %
							       vr->num];

		/* The codec checked each id against the queue size. */
		elem->id = (__force __virtio32)msg->used.elems[i].id;
		elem->len = (__force __virtio32)msg->used.elems[i].len;
	}
	virtio_wmb(true);
	WRITE_ONCE(vr->used->idx, cpu_to_virtio16(&vadev->vdev, used_idx));
	avq->used_idx = used_idx;
	vring_interrupt(0, vq);
	return 0;
}

/**
 * virtio_argo_setup_vq() - Create a virtqueue and tell the device about it.
 * @vadev: the device
 * @index: queue index
 * @name: queue name
 * @callback: the driver's callback
 * @ctx: the driver keeps a context per buffer
 * @vqp: gets the virtqueue
 *
 * Return: 0 or an error.
 */
int virtio_argo_setup_vq(struct virtio_argo_device *vadev, unsigned int index,
			 const char *name, vq_callback_t *callback, bool ctx,
			 struct virtqueue **vqp)
{
	struct virtio_argo_vq *avq = &vadev->vqs[index];
	struct virtio_argo_msg req, reply;
	const struct vring *vr;
	struct virtqueue *vq;
	unsigned int num, batch;
	int ret;

	if (index >= vadev->own.num_queues)
		return -ENOENT;
	vq = vring_create_virtqueue(index, vadev->own.max_queue_size,
				    PAGE_SIZE, &vadev->vdev, true, true, ctx,
				    virtio_argo_notify, callback, name);
	if (!vq)
		return -ENOMEM;
	vr = virtqueue_get_vring(vq);
	if (offset_in_page(vr->used)) {
		dev_err(&vadev->pdev->dev, "queue %u: used ring not page-aligned\n",
			index);
		ret = -EINVAL;
		goto err_del;
	}

	num = vr->num;
	batch = virtio_argo_kick_batch(vadev, num);
	spin_lock_init(&avq->lock);
	INIT_WORK(&avq->kick_work, virtio_argo_kick_work);
	avq->avail_sent = 0;
	avq->used_idx = 0;
	avq->kick_deferred = false;
	avq->descs = kcalloc(batch, sizeof(*avq->descs), GFP_KERNEL);
	avq->ring = kcalloc(batch, sizeof(*avq->ring), GFP_KERNEL);
	avq->kick_buf_size = sizeof(struct virtio_argo_hdr) +
			     sizeof(struct virtio_argo_event_avail) +
			     batch * (sizeof(*avq->descs) + sizeof(*avq->ring));
	avq->kick_buf = kmalloc(avq->kick_buf_size, GFP_KERNEL);
	if (!avq->descs || !avq->ring || !avq->kick_buf) {
		ret = -ENOMEM;
		goto err_free;
	}
	vq->priv = avq;
	vadev->queue_sizes[index] = num;

	mutex_lock(&vadev->req_mutex);
	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_SET_VQUEUE, 0);
	req.vqueue.index = index;
	req.vqueue.size = num;
	req.vqueue.used_port = vadev->used->ring.aport;
	req.vqueue.used_scheme = VIRTIO_ARGO_USED_PLAIN;
	ret = virtio_argo_request(vadev, &req, &reply);
	mutex_unlock(&vadev->req_mutex);
	if (ret) {
		dev_err(&vadev->pdev->dev, "device refused queue %u: %d\n",
			index, ret);
		goto err_size;
	}
	avq->vq = vq;
	*vqp = vq;
	return 0;

err_size:
	vadev->queue_sizes[index] = 0;
err_free:
	kfree(avq->kick_buf);
	kfree(avq->ring);
	kfree(avq->descs);
err_del:
	vring_del_virtqueue(vq);
	return ret;
}

/**
 * virtio_argo_del_vqs() - Delete every virtqueue of a device.
 * @vdev: the virtio device, already reset
 */
void virtio_argo_del_vqs(struct virtio_device *vdev)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);
	struct virtqueue *vq, *n;

	list_for_each_entry(vq, &vdev->vqs, list) {
		struct virtio_argo_vq *avq = vq->priv;

		cancel_work_sync(&avq->kick_work);
		WRITE_ONCE(avq->vq, NULL);
	}
	/* Let the receive path finish with the queues. */
	flush_work(&vadev->rx_work);

	list_for_each_entry_safe(vq, n, &vdev->vqs, list) {
		struct virtio_argo_vq *avq = vq->priv;

		vadev->queue_sizes[vq->index] = 0;
		vring_del_virtqueue(vq);
		kfree(avq->kick_buf);
		kfree(avq->ring);
		kfree(avq->descs);
	}
}
