// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo virtqueues. The device cannot read the vring, so each kick
 * sends it what changed in the descriptor table and avail ring
 * (EVENT_AVAIL). It cannot write the vring either; its used elements reach
 * the used ring by one of two schemes (Documentation/protocol.rst):
 *
 *   plain   EVENT_USED messages that the transport writes into the used
 *           ring, entries first and idx last (the default: measured faster,
 *           see Documentation/design.rst);
 *   direct  the used ring's pages are an Argo ring of their own, and the
 *           device's used-ring images land in place, idx last.
 *
 * The vrings are laid out with vring_align = PAGE_SIZE, so the used ring
 * starts on a page of its own, as the direct scheme needs.
 *
 * When the device is broken (gone, or misbehaving), every buffer it holds
 * and every buffer kicked later is failed here: its device-writable bytes
 * are set to 0xff and its chain is completed with length 0, as a device
 * failing the request would (virtio-blk reads status 0xff as an I/O
 * error). The virtqueues are not marked broken: drivers without a timeout
 * (virtio-blk) would wait forever for the requests they had queued.
 *
 * Locking: virtio_argo_vq.lock (spinlock, irqsave) guards avail_sent,
 * kick_deferred, awaited and the setting of inflight bits. used_idx,
 * failing and the direct used ring are guarded by vadev->rx_lock, taken
 * outside virtio_argo_vq.lock (virtio_argo_ctrl.c); the queue callbacks
 * run in rx_work without either.
 *
 * Kicks with interrupts off: a driver may add a buffer, kick and spin until
 * the buffer is used with interrupts off (virtio_console's __send_to_port(),
 * the hvc console's output path). The used ring is written when rx_work
 * takes in the device's answer, which cannot run on that CPU meanwhile,
 * nor anywhere on a guest's only vCPU: the driver would spin for ever. So
 * such a kick takes in the answer itself (virtio_argo_poll_used()).
 */

#include <linux/bitmap.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "virtio_argo.h"
#include "virtio_argo_trace.h"

/* Direct scheme: the image's header fills the header page's last slot. */
#define VIRTIO_ARGO_DIRECT_START	(ARGO_PAGE_SIZE - ARGO_RING_HEADER_SIZE - \
					 ARGO_MSG_HEADER_SIZE)
/* An image ends with flags and idx again, through the first page's alias. */
#define VIRTIO_ARGO_DIRECT_IDX_BYTES	4
/* The pad that brings tx_ptr from 0 back to the start. */
#define VIRTIO_ARGO_DIRECT_PAD_LEN	(VIRTIO_ARGO_DIRECT_START - \
					 ARGO_MSG_HEADER_SIZE)

static int used_scheme = VIRTIO_ARGO_USED_PLAIN;

static int used_scheme_set(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "plain"))
		used_scheme = VIRTIO_ARGO_USED_PLAIN;
	else if (sysfs_streq(val, "direct"))
		used_scheme = VIRTIO_ARGO_USED_DIRECT;
	else
		return -EINVAL;
	return 0;
}

static int used_scheme_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n", used_scheme == VIRTIO_ARGO_USED_DIRECT ?
			  "direct" : "plain");
}

static const struct kernel_param_ops used_scheme_ops = {
	.set = used_scheme_set,
	.get = used_scheme_get,
};
module_param_cb(used_scheme, &used_scheme_ops, NULL, 0644);
MODULE_PARM_DESC(used_scheme,
		 "How used elements reach the used ring: plain (messages the transport copies) or direct (the device writes it through Argo)");

/* Pages of a used ring of @num entries: flags, idx, ring, avail_event. */
static unsigned int virtio_argo_used_pages(unsigned int num)
{
	return DIV_ROUND_UP(4 + 8 * num + 2, ARGO_PAGE_SIZE);
}

/* The device now holds @head; vadev->held counts heads held. */
static void virtio_argo_hold(struct virtio_argo_device *vadev,
			     struct virtio_argo_vq *avq, unsigned int head)
{
	if (!test_and_set_bit(head, avq->inflight))
		atomic_inc(&vadev->held);
}

/* The device gave @head back; false if it did not hold it. */
static bool virtio_argo_release(struct virtio_argo_device *vadev,
				struct virtio_argo_vq *avq, unsigned int head)
{
	if (!test_and_clear_bit(head, avq->inflight))
		return false;
	atomic_dec(&vadev->held);
	return true;
}

/* Entries a kick may need: every slot once, in chains and in avail. */
static unsigned int virtio_argo_kick_batch(struct virtio_argo_device *vadev,
					   unsigned int num)
{
	return min_t(unsigned int, vadev->peer.max_batch, num);
}

/*
 * Whether the device only reads the chain at @head. What an indirect table
 * holds is not known here: it may write; so may a chain that leaves the
 * ring or loops (virtio_argo_kick_broken() does not validate them).
 */
static bool virtio_argo_chain_read_only(struct virtio_argo_device *vadev,
					const struct vring *vr, u16 head)
{
	const __virtio16 writes = cpu_to_virtio16(&vadev->vdev,
						  VRING_DESC_F_WRITE |
						  VRING_DESC_F_INDIRECT);
	const __virtio16 next = cpu_to_virtio16(&vadev->vdev,
						VRING_DESC_F_NEXT);
	unsigned int slot = head, chain;

	for (chain = 0; slot < vr->num && chain < vr->num; chain++) {
		if (vr->desc[slot].flags & writes)
			return false;
		if (!(vr->desc[slot].flags & next))
			return true;
		slot = virtio16_to_cpu(&vadev->vdev, vr->desc[slot].next);
	}
	return false;
}

/*
 * Send EVENT_AVAIL for the avail entries published since the last kick,
 * with the descriptors of their chains, in as many messages as it takes.
 * Heads whose chains the device only reads are set in @awaited, if not
 * NULL. Called with avq->lock held; never sleeps.
 */
static int virtio_argo_push_avail(struct virtio_argo_device *vadev,
				  struct virtio_argo_vq *avq,
				  unsigned long *awaited)
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
			/* Before the send: the used element may come at once. */
			virtio_argo_hold(vadev, avq, head);
			if (awaited && virtio_argo_chain_read_only(vadev, vr, head))
				__set_bit(head, awaited);
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
		trace_virtio_argo_kick(vadev, avq->vq->index, pos, navail,
				       ndescs, ret);
		if (ret)
			return ret;
		atomic64_inc(&vadev->stats.kicks);
		avq->avail_sent = pos;
	}
	return 0;
}

/*
 * The device is broken: hand the heads published since the last kick to
 * rx_work, which fails them within VIRTIO_ARGO_REFAIL_MS, or at once to a
 * kick with interrupts off for those set in @awaited, as in
 * virtio_argo_push_avail(). Called with avq->lock held.
 */
static void virtio_argo_kick_broken(struct virtio_argo_device *vadev,
				    struct virtio_argo_vq *avq,
				    unsigned long *awaited)
{
	const struct vring *vr = virtqueue_get_vring(avq->vq);
	u16 idx = virtio16_to_cpu(&vadev->vdev, READ_ONCE(vr->avail->idx));

	virtio_rmb(true);
	for (; avq->avail_sent != idx; avq->avail_sent++) {
		u16 head = virtio16_to_cpu(&vadev->vdev,
					   vr->avail->ring[avq->avail_sent %
							   vr->num]);

		if (head >= vr->num)
			continue;
		virtio_argo_hold(vadev, avq, head);
		if (awaited && virtio_argo_chain_read_only(vadev, vr, head))
			__set_bit(head, awaited);
	}
	/* Already pending: that round fails these too. */
	queue_delayed_work(system_highpri_wq, &vadev->refail_work,
			   msecs_to_jiffies(VIRTIO_ARGO_REFAIL_MS));
}

/*
 * Try a deferred kick again, setting @awaited as virtio_argo_push_avail()
 * does. Return: false if the device's data ring is still full, unless
 * @give_up, which then breaks the device.
 */
static bool virtio_argo_kick_again(struct virtio_argo_device *vadev,
				   struct virtio_argo_vq *avq,
				   unsigned long *awaited, bool give_up)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&avq->lock, flags);
	ret = READ_ONCE(vadev->broken) ? -EIO :
	      virtio_argo_push_avail(vadev, avq, awaited);
	if (ret == -EAGAIN && !give_up) {
		spin_unlock_irqrestore(&avq->lock, flags);
		return false;
	}
	avq->kick_deferred = false;
	spin_unlock_irqrestore(&avq->lock, flags);
	if (ret && ret != -EIO)
		virtio_argo_set_broken(vadev, "cannot kick", ret);
	if (ret) {
		spin_lock_irqsave(&avq->lock, flags);
		virtio_argo_kick_broken(vadev, avq, awaited);
		spin_unlock_irqrestore(&avq->lock, flags);
	}
	return true;
}

/* One pass of rx_work's ring reading, unless someone is doing it now. */
static unsigned int virtio_argo_try_take_used(struct virtio_argo_device *vadev)
{
	unsigned int taken;

	if (!spin_trylock(&vadev->rx_lock))
		return 0;
	taken = virtio_argo_take_used(vadev);
	spin_unlock(&vadev->rx_lock);
	return taken;
}

/*
 * A kick made with interrupts off: take in the device's answers here, as
 * rx_work would but for the callbacks, notifying the device of the space
 * freed at once, until the heads in avq->awaited are used. Buffers the
 * device writes are not waited for: receive buffers may wait for input for
 * ever. rx_lock is only tried: its holder, rx_work on another CPU, takes in
 * the answers as well, and the caller may hold a lock that an interrupt
 * handler on that CPU wants. A kick deferred for
 * want of ring space is retried here, kick_work being stuck behind this CPU
 * too. A device that does not answer within timeout_ms (by the clock:
 * jiffies may not advance while this CPU has interrupts off) is broken,
 * which fails its buffers: the driver gets them back with length 0 instead
 * of spinning for ever. rx_work then runs the callbacks of what came.
 */
static void virtio_argo_poll_used(struct virtio_argo_device *vadev,
				  struct virtio_argo_vq *avq, unsigned int num)
{
	u64 deadline = ktime_get_ns() +
		       (u64)virtio_argo_timeout_ms * NSEC_PER_MSEC;
	bool taken = false;

	if (bitmap_empty(avq->awaited, num)) {
		/* Receive buffers refilled on a broken device: refail_work. */
		if (READ_ONCE(vadev->broken))
			return;
	} else if (!READ_ONCE(vadev->broken)) {
		atomic64_inc(&vadev->stats.irqs_off_waits);
	}
	for (;;) {
		/* The device may wait for that space to send the rest. */
		if (virtio_argo_try_take_used(vadev)) {
			argo_notify(vadev->argo);
			taken = true;
		}
		if (!bitmap_intersects(avq->awaited, avq->inflight, num))
			break;
		if (!READ_ONCE(vadev->broken) && ktime_get_ns() > deadline) {
			virtio_argo_set_broken(vadev,
					       "buffers waited for with interrupts off were not used",
					       -ETIMEDOUT);
		} else if (READ_ONCE(avq->kick_deferred)) {
			virtio_argo_kick_again(vadev, avq, avq->awaited, false);
		}
		cpu_relax();
	}
	if (taken || READ_ONCE(vadev->broken))
		queue_work(system_highpri_wq, &vadev->rx_work);
}

/* vq->notify: runs where the driver kicks, often in atomic context. */
static bool virtio_argo_notify(struct virtqueue *vq)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vq->vdev);
	struct virtio_argo_vq *avq = vq->priv;
	const unsigned int num = virtqueue_get_vring(vq)->num;
	/*
	 * Not in a hard interrupt handler: rx_work, interrupted on this CPU,
	 * may hold rx_lock. Drivers do not wait there for their buffers.
	 */
	const bool poll = irqs_disabled() && !in_hardirq();
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&avq->lock, flags);
	if (poll)
		bitmap_zero(avq->awaited, num);
	/* A deferred kick will cover this one too: it sends up to avail idx. */
	if (!avq->kick_deferred) {
		ret = READ_ONCE(vadev->broken) ? -EIO :
		      virtio_argo_push_avail(vadev, avq,
					     poll ? avq->awaited : NULL);
		if (ret == -EAGAIN) {
			avq->kick_deferred = true;
			schedule_work(&avq->kick_work);
			ret = 0;
		}
	}
	spin_unlock_irqrestore(&avq->lock, flags);
	if (ret && ret != -EIO)
		virtio_argo_set_broken(vadev, "cannot kick", ret);
	if (ret) {
		spin_lock_irqsave(&avq->lock, flags);
		virtio_argo_kick_broken(vadev, avq, poll ? avq->awaited : NULL);
		spin_unlock_irqrestore(&avq->lock, flags);
	}
	if (poll)
		virtio_argo_poll_used(vadev, avq, num);
	/* Never false: a broken vring would strand the buffers just added. */
	return true;
}

/* Kicks that found the device's data ring full, retried as space frees. */
static void virtio_argo_kick_work(struct work_struct *work)
{
	struct virtio_argo_vq *avq = container_of(work, struct virtio_argo_vq,
						  kick_work);
	struct virtio_argo_device *vadev = to_virtio_argo(avq->vq->vdev);
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(virtio_argo_timeout_ms);
	int virqs;

	for (;;) {
		virqs = atomic_read(&vadev->virqs);
		if (virtio_argo_kick_again(vadev, avq, NULL,
					   time_after(jiffies, deadline)))
			break;
		/* The space wakeup is a VIRQ: retry after the next one. */
		wait_event_timeout(vadev->space,
				   atomic_read(&vadev->virqs) != virqs ||
				   READ_ONCE(vadev->broken),
				   max_t(long, deadline - jiffies, 1));
	}
}

/**
 * virtio_argo_apply_used() - Write an EVENT_USED into its queue's used ring.
 * @vadev: the device
 * @msg: the decoded event
 *
 * Runs under rx_lock, after every data message sent before the
 * event has been taken in. Entries are written first, idx last with a
 * write barrier; the queue's callback is then due.
 *
 * Return: 0, or -EBADMSG if the event does not follow the previous one
 * or uses a buffer the device does not hold.
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

	if (avq->direct)
		return -EBADMSG;
	for (i = 0; i < msg->used.num_used; i++, used_idx++) {
		struct vring_used_elem *elem = &vr->used->ring[used_idx %
							       vr->num];

		/* The codec checked each id against the queue size. */
		if (!virtio_argo_release(vadev, avq,
					 le32_to_cpu(msg->used.elems[i].id)))
			return -EBADMSG;
		elem->id = (__force __virtio32)msg->used.elems[i].id;
		elem->len = (__force __virtio32)msg->used.elems[i].len;
	}
	virtio_wmb(true);
	WRITE_ONCE(vr->used->idx, cpu_to_virtio16(&vadev->vdev, used_idx));
	avq->used_idx = used_idx;
	atomic64_add(msg->used.num_used, &vadev->stats.used);
	trace_virtio_argo_vq_interrupt(vadev, vq->index, used_idx,
				       msg->used.num_used, false);
	atomic_set(&avq->interrupt_due, 1);
	return 0;
}

/*
 * An image landed: the used ring holds the device's new idx and the
 * entries before it. Check them against what the device holds.
 */
static int virtio_argo_direct_image(struct virtio_argo_device *vadev,
				    struct virtio_argo_vq *avq,
				    struct virtqueue *vq)
{
	const struct vring *vr = virtqueue_get_vring(vq);
	u16 idx = virtio16_to_cpu(&vadev->vdev, READ_ONCE(vr->used->idx));
	u16 used_idx = avq->used_idx;

	if ((u16)(idx - used_idx) > vr->num)
		return -EBADMSG;
	/* Entries are read after the idx that covers them. */
	virtio_rmb(true);
	for (; used_idx != idx; used_idx++) {
		u32 id = virtio32_to_cpu(&vadev->vdev,
					 READ_ONCE(vr->used->ring[used_idx %
								  vr->num].id));

		if (id >= vr->num || !virtio_argo_release(vadev, avq, id))
			return -EBADMSG;
	}
	atomic64_add((u16)(idx - avq->used_idx), &vadev->stats.used);
	trace_virtio_argo_vq_interrupt(vadev, vq->index, idx,
				       (u16)(idx - avq->used_idx), false);
	avq->used_idx = idx;
	atomic_set(&avq->interrupt_due, 1);
	return 0;
}

/**
 * virtio_argo_direct_rx() - Take in the used-ring images and pads.
 * @vadev: the device
 *
 * Runs under rx_lock. The payloads are already in place: consuming them
 * only frees the ring for the device's next send (the caller then
 * notifies), and an image makes the queue's callback due, once the data
 * ring has been drained of the data the device sent before the image.
 *
 * Return: messages taken, or -EBADMSG (the device is then broken).
 */
int virtio_argo_direct_rx(struct virtio_argo_device *vadev)
{
	unsigned int i, taken = 0;
	struct argo_msg amsg;
	int ret;

	for (i = 0; i < vadev->own.num_queues; i++) {
		struct virtio_argo_vq *avq = &vadev->vqs[i];
		struct virtqueue *vq = READ_ONCE(avq->vq);
		u32 image_len;

		if (!vq || !avq->direct)
			continue;
		image_len = virtio_argo_used_pages(virtqueue_get_vring(vq)->num) *
			    ARGO_PAGE_SIZE + VIRTIO_ARGO_DIRECT_IDX_BYTES;
		while (!(ret = argo_ring_peek(&avq->used_ring, &amsg))) {
			virtio_argo_count_rx(vadev, &amsg);
			argo_ring_consume(&avq->used_ring, &amsg);
			taken++;
			/* The data of the buffers it uses came before it. */
			ret = virtio_argo_data_rx(vadev);
			if (ret < 0)
				return ret;
			taken += ret;
			if (amsg.type == VIRTIO_ARGO_MTYPE_USED_IMAGE &&
			    amsg.len == image_len)
				ret = virtio_argo_direct_image(vadev, avq, vq);
			else if (amsg.type == VIRTIO_ARGO_MTYPE_USED_PAD &&
				 amsg.len == VIRTIO_ARGO_DIRECT_PAD_LEN)
				ret = 0;
			else
				ret = -EBADMSG;
			if (ret) {
				virtio_argo_set_broken(vadev, "bad used image",
						       ret);
				return ret;
			}
		}
		if (ret != -EAGAIN) {
			virtio_argo_set_broken(vadev, "corrupt used ring", ret);
			return ret;
		}
	}
	return taken;
}

/*
 * A direct used ring was just taken from a broken device. The entries it
 * wrote for heads it held are used: those heads are no longer in flight.
 * From the first entry that is not (a garbage idx, or a head it did not
 * hold) nothing it wrote is kept: idx goes back before it, so drivers
 * never take it and only the transport's own used elements follow.
 */
static void virtio_argo_direct_settle(struct virtio_argo_device *vadev,
				      struct virtio_argo_vq *avq,
				      const struct vring *vr)
{
	u16 idx = virtio16_to_cpu(&vadev->vdev, READ_ONCE(vr->used->idx));

	virtio_rmb(true);
	for (; (u16)(idx - avq->used_idx) <= vr->num && avq->used_idx != idx;
	     avq->used_idx++) {
		u32 id = virtio32_to_cpu(&vadev->vdev,
					 READ_ONCE(vr->used->ring[avq->used_idx %
								  vr->num].id));

		if (id >= vr->num || !virtio_argo_release(vadev, avq, id))
			break;
	}
	WRITE_ONCE(vr->used->idx, cpu_to_virtio16(&vadev->vdev, avq->used_idx));
}

/*
 * Fail the heads in @avq->failing: used elements of length 0, idx last;
 * then let the driver take whatever its used ring holds.
 */
static void virtio_argo_complete_failed(struct virtio_argo_device *vadev,
					struct virtio_argo_vq *avq,
					struct virtqueue *vq)
{
	const struct vring *vr = virtqueue_get_vring(vq);
	u16 used_idx = avq->used_idx;
	unsigned int head;

	for_each_set_bit(head, avq->failing, vr->num) {
		struct vring_used_elem *elem = &vr->used->ring[used_idx++ %
							       vr->num];

		elem->id = cpu_to_virtio32(&vadev->vdev, head);
		elem->len = 0;
	}
	if (used_idx != avq->used_idx) {
		virtio_wmb(true);
		WRITE_ONCE(vr->used->idx, cpu_to_virtio16(&vadev->vdev, used_idx));
		atomic64_add((u16)(used_idx - avq->used_idx),
			     &vadev->stats.failed);
		trace_virtio_argo_vq_interrupt(vadev, vq->index, used_idx,
					       (u16)(used_idx - avq->used_idx),
					       true);
		dev_warn_ratelimited(&vadev->pdev->dev,
				     "queue %u: %u buffers failed, the device is broken\n",
				     vq->index, (u16)(used_idx - avq->used_idx));
		avq->used_idx = used_idx;
	}
	/*
	 * Also when nothing failed: a direct used ring may have just been
	 * settled with elements no interrupt announced yet.
	 */
	atomic_set(&avq->interrupt_due, 1);
}

/**
 * virtio_argo_fail_inflight() - Fail every buffer a broken device holds.
 * @vadev: the broken device
 *
 * Runs under rx_lock. The device can no longer write anything (its direct
 * used rings and buffer rings are unregistered, and its data ring is no
 * longer read). The heads it holds are taken first, then every
 * device-writable mapping is set to 0xff, then the heads are completed:
 * a buffer kicked after the snapshot is failed by the next run, which its
 * kick queues.
 */
void virtio_argo_fail_inflight(struct virtio_argo_device *vadev)
{
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < vadev->own.num_queues; i++) {
		struct virtio_argo_vq *avq = &vadev->vqs[i];
		struct virtqueue *vq = READ_ONCE(avq->vq);
		const struct vring *vr;

		if (!vq)
			continue;
		vr = virtqueue_get_vring(vq);
		if (avq->direct && avq->used_ring.registered) {
			argo_ring_unregister(&avq->used_ring);
			virtio_argo_direct_settle(vadev, avq, vr);
		}
		/* Also under a kick that has interrupts off: keep them so. */
		spin_lock_irqsave(&avq->lock, flags);
		bitmap_copy(avq->failing, avq->inflight, vr->num);
		atomic_sub(bitmap_weight(avq->failing, vr->num), &vadev->held);
		bitmap_andnot(avq->inflight, avq->inflight, avq->failing,
			      vr->num);
		spin_unlock_irqrestore(&avq->lock, flags);
	}
	virtio_argo_dma_fail_writable(vadev);
	for (i = 0; i < vadev->own.num_queues; i++) {
		struct virtio_argo_vq *avq = &vadev->vqs[i];
		struct virtqueue *vq = READ_ONCE(avq->vq);

		if (vq)
			virtio_argo_complete_failed(vadev, avq, vq);
	}
}

/**
 * virtio_argo_run_callbacks() - Call the queue callbacks that are due.
 * @vadev: the device
 *
 * Runs in rx_work, without rx_lock: a callback may take its driver's locks
 * and kick, and a kick with interrupts off takes rx_lock.
 */
void virtio_argo_run_callbacks(struct virtio_argo_device *vadev)
{
	unsigned int i;

	for (i = 0; i < vadev->own.num_queues; i++) {
		struct virtio_argo_vq *avq = &vadev->vqs[i];
		struct virtqueue *vq = READ_ONCE(avq->vq);

		if (vq && atomic_xchg(&avq->interrupt_due, 0))
			vring_interrupt(0, vq);
	}
}

/**
 * virtio_argo_reset_vqs() - Forget queue state after a device reset.
 * @vadev: the device, reset
 */
void virtio_argo_reset_vqs(struct virtio_argo_device *vadev)
{
	unsigned int i;

	for (i = 0; i < vadev->own.num_queues; i++) {
		struct virtio_argo_vq *avq = &vadev->vqs[i];

		avq->used_idx = 0;
		if (!avq->inflight)
			continue;
		atomic_sub(bitmap_weight(avq->inflight, vadev->queue_sizes[i]),
			   &vadev->held);
		bitmap_zero(avq->inflight, vadev->queue_sizes[i]);
	}
}

/*
 * Direct scheme: register [header page, used pages, first used page] so
 * that an image of 4096 * P + 4 bytes starts at the used ring's first byte
 * and ends with the new flags and idx, written last (protocol.rst).
 */
static int virtio_argo_direct_register(struct virtio_argo_device *vadev,
				       struct virtio_argo_vq *avq,
				       const struct vring *vr)
{
	const unsigned int used_pages = virtio_argo_used_pages(vr->num);
	/* Up to the image's header, the header, the used pages, a slot. */
	const u32 len = VIRTIO_ARGO_DIRECT_START + ARGO_MSG_HEADER_SIZE +
			ARGO_PAGE_SIZE * used_pages + XEN_ARGO_MSG_SLOT_SIZE;
	struct page **pages;
	unsigned int i;
	int ret;

	pages = kcalloc(used_pages + 2, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	pages[0] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!pages[0]) {
		kfree(pages);
		return -ENOMEM;
	}
	for (i = 0; i < used_pages; i++)
		pages[i + 1] = virt_to_page((void *)vr->used + i * PAGE_SIZE);
	pages[used_pages + 1] = pages[1];
	argo_ring_init(&avq->used_ring, vadev->argo,
		       VIRTIO_ARGO_DRIVER_PORT(vadev->index,
					       VIRTIO_ARGO_DIRECT_PORT_FIRST +
					       avq - vadev->vqs),
		       vadev->backend_domid, NULL);
	ret = argo_ring_register(&avq->used_ring, pages, len,
				 VIRTIO_ARGO_DIRECT_START, GFP_KERNEL);
	if (ret) {
		__free_page(pages[0]);
		kfree(pages);
		return ret;
	}
	avq->used_pages = pages;
	return 0;
}

static void virtio_argo_direct_unregister(struct virtio_argo_vq *avq)
{
	if (!avq->used_pages)
		return;
	/* A failed unregister may leave Xen writing the pages: keep them. */
	if (avq->used_ring.registered && argo_ring_unregister(&avq->used_ring))
		return;
	__free_page(avq->used_pages[0]);
	kfree(avq->used_pages);
	avq->used_pages = NULL;
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
	atomic_set(&avq->interrupt_due, 0);
	avq->direct = used_scheme == VIRTIO_ARGO_USED_DIRECT &&
		      (vadev->peer_caps & VIRTIO_ARGO_CAP_USED_DIRECT) &&
		      index < VIRTIO_ARGO_DIRECT_QUEUES_MAX;
	avq->inflight = bitmap_zalloc(num, GFP_KERNEL);
	avq->failing = bitmap_zalloc(num, GFP_KERNEL);
	avq->awaited = bitmap_zalloc(num, GFP_KERNEL);
	avq->descs = kcalloc(batch, sizeof(*avq->descs), GFP_KERNEL);
	avq->ring = kcalloc(batch, sizeof(*avq->ring), GFP_KERNEL);
	avq->kick_buf_size = sizeof(struct virtio_argo_hdr) +
			     sizeof(struct virtio_argo_event_avail) +
			     batch * (sizeof(*avq->descs) + sizeof(*avq->ring));
	avq->kick_buf = kmalloc(avq->kick_buf_size, GFP_KERNEL);
	if (!avq->inflight || !avq->failing || !avq->awaited || !avq->descs ||
	    !avq->ring || !avq->kick_buf) {
		ret = -ENOMEM;
		goto err_free;
	}
	if (avq->direct) {
		ret = virtio_argo_direct_register(vadev, avq, vr);
		if (ret) {
			dev_err(&vadev->pdev->dev,
				"queue %u: cannot register its used ring: %d\n",
				index, ret);
			goto err_free;
		}
	}
	vq->priv = avq;
	vadev->queue_sizes[index] = num;

	mutex_lock(&vadev->req_mutex);
	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_SET_VQUEUE, 0);
	req.vqueue.index = index;
	req.vqueue.size = num;
	if (avq->direct) {
		req.vqueue.used_port = avq->used_ring.aport;
		req.vqueue.used_scheme = VIRTIO_ARGO_USED_DIRECT;
	} else {
		req.vqueue.used_port = vadev->used->ring.aport;
		req.vqueue.used_scheme = VIRTIO_ARGO_USED_PLAIN;
	}
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
	virtio_argo_direct_unregister(avq);
err_free:
	kfree(avq->kick_buf);
	kfree(avq->ring);
	kfree(avq->descs);
	bitmap_free(avq->awaited);
	bitmap_free(avq->failing);
	bitmap_free(avq->inflight);
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
		/* The used ring's pages go with the vring: unmap them first. */
		virtio_argo_direct_unregister(avq);
		vring_del_virtqueue(vq);
		kfree(avq->kick_buf);
		kfree(avq->ring);
		kfree(avq->descs);
		bitmap_free(avq->awaited);
		bitmap_free(avq->failing);
		bitmap_free(avq->inflight);
		avq->inflight = NULL;
	}
}
