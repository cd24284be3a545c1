// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated Argo: a hypervisor living in this kernel, with domains that are
 * just argo_ifaces. It follows xen/common/argo.c of Xen 4.17, including the
 * parts that surprise:
 *   - tx_ptr is taken from the ring header at (re)registration only, then
 *     kept privately and written back after every message;
 *   - one slot always stays free; a message needs 16 + roundup16(payload)
 *     bytes strictly less than the free space, else -EAGAIN, which also
 *     queues a space waiter (at most 32 per ring, then -EBUSY);
 *   - the message header never wraps, the payload does;
 *   - waiters are woken only by the ring owner's notify;
 *   - 128 rings per domain, and re-registering a ring costs one more slot
 *     that is never given back;
 *   - every successful send raises one VIRQ in the receiver.
 * Wildcard rings are always allowed, as under Xen's argo=1,mac-permissive=1.
 * Xen takes a reference on every ring page; the simulation instead relies
 * on the layer's rule that ring pages outlive their registration.
 *
 * Locking: argo_sim_lock (irqsave) stands for all of Xen's Argo locks. It
 * guards the domain list and, in every domain, the ring list and ring
 * count, each ring's private tx pointer and its waiter list. VIRQs are
 * delivered by irq_work on the first online CPU, so receivers run their
 * handlers in hard interrupt context without this lock, as with a real
 * event channel; like one, a VIRQ raised while another is still pending is
 * delivered once.
 */

#define pr_fmt(fmt) "argo-sim: " fmt

#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "argo_internal.h"

#define ARGO_SIM_MAX_PENDING_PER_RING	32U
#define ARGO_SIM_MAX_NOTIFY_COUNT	256U
/* Largest payload of any message: the largest ring less header and slot. */
#define ARGO_SIM_MAX_MESSAGE_SIZE	argo_ring_max_payload(XEN_ARGO_MAX_RING_SIZE)

/**
 * struct argo_sim_waiter - A sender waiting for space in a ring.
 * @node: entry in the ring's waiter list
 * @domid: domain to raise VIRQ_ARGO in
 * @len: payload bytes it waits to be able to send
 */
struct argo_sim_waiter {
	struct list_head node;
	u16 domid;
	u32 len;
};

/**
 * struct argo_sim_ring - The hypervisor's record of a registered ring.
 * @node: entry in the owning domain's ring list
 * @aport: port
 * @partner: allowed sender, or XEN_ARGO_DOMID_ANY
 * @len: ring length in bytes
 * @tx: private write position, 16-aligned and below @len
 * @pages: ring pages (a copy of the registered list)
 * @waiters: senders waiting for space
 * @nwaiters: number of entries in @waiters
 */
struct argo_sim_ring {
	struct list_head node;
	u32 aport;
	u16 partner;
	u32 len;
	u32 tx;
	struct page **pages;
	struct list_head waiters;
	unsigned int nwaiters;
};

/**
 * struct argo_sim_domain - A simulated domain.
 * @iface: its Argo, as seen by the layer
 * @node: entry in argo_sim_domains
 * @rings: its registered rings
 * @ring_count: ring slots used, including those leaked by re-registration
 * @virq_work: delivers VIRQ_ARGO to @iface
 * @virq_remote: queues @virq_work on the VIRQ's CPU from another CPU
 * @virqs_raised: VIRQs raised in this domain (lock-free counter)
 */
struct argo_sim_domain {
	struct argo_iface iface;
	struct list_head node;
	struct list_head rings;
	unsigned int ring_count;
	struct irq_work virq_work;
	struct work_struct virq_remote;
	atomic64_t virqs_raised;
};

static DEFINE_SPINLOCK(argo_sim_lock);
static LIST_HEAD(argo_sim_domains);
static const struct argo_provider_ops argo_sim_ops;

static struct argo_sim_domain *to_sim(struct argo_iface *iface)
{
	return container_of(iface, struct argo_sim_domain, iface);
}

static struct argo_sim_domain *argo_sim_find_domain(u16 domid)
{
	struct argo_sim_domain *dom;

	lockdep_assert_held(&argo_sim_lock);
	list_for_each_entry(dom, &argo_sim_domains, node)
		if (dom->iface.domid == domid)
			return dom;
	return NULL;
}

static struct argo_sim_ring *argo_sim_find_ring(struct argo_sim_domain *dom,
						u32 aport, u16 partner)
{
	struct argo_sim_ring *ring;

	lockdep_assert_held(&argo_sim_lock);
	list_for_each_entry(ring, &dom->rings, node)
		if (ring->aport == aport && ring->partner == partner)
			return ring;
	return NULL;
}

/* The ring a sender reaches: its own partner ring first, then a wildcard. */
static struct argo_sim_ring *argo_sim_find_dest(struct argo_sim_domain *dom,
						u32 aport, u16 sender)
{
	struct argo_sim_ring *ring = argo_sim_find_ring(dom, aport, sender);

	return ring ?: argo_sim_find_ring(dom, aport, XEN_ARGO_DOMID_ANY);
}

/*
 * On the first online CPU, as Xen's VIRQ_ARGO, which Linux binds to CPU 0,
 * and not on the sender's: a sender spinning with interrupts off (a kick
 * that waits for its buffers) must not hold back the receiver's handler.
 * From another CPU through a work item there: modules cannot queue an
 * irq_work on another CPU (irq_work_queue_on() is not exported).
 */
static void argo_sim_raise_virq(struct argo_sim_domain *dom)
{
	unsigned int cpu = cpumask_first(cpu_online_mask);

	atomic64_inc(&dom->virqs_raised);
	if (raw_smp_processor_id() == cpu)
		irq_work_queue(&dom->virq_work);
	else
		queue_work_on(cpu, system_highpri_wq, &dom->virq_remote);
}

static void argo_sim_virq_remote(struct work_struct *work)
{
	irq_work_queue(&container_of(work, struct argo_sim_domain,
				     virq_remote)->virq_work);
}

static void argo_sim_virq(struct irq_work *work)
{
	argo_iface_dispatch_virq(&container_of(work, struct argo_sim_domain,
					       virq_work)->iface);
}

static struct xen_argo_ring *argo_sim_header(const struct argo_sim_ring *ring)
{
	return page_address(ring->pages[0]);
}

/* rx_ptr is the guest's to write: round it to a slot and keep it in range. */
static u32 argo_sim_sanitized_rx(const struct argo_sim_ring *ring)
{
	u32 rx = argo_slot_roundup(READ_ONCE(argo_sim_header(ring)->rx_ptr));

	return rx >= ring->len ? 0 : rx;
}

static u32 argo_sim_free_space(const struct argo_sim_ring *ring)
{
	u32 rx = argo_sim_sanitized_rx(ring);

	if (rx == ring->tx)
		return ring->len;
	return rx > ring->tx ? rx - ring->tx : rx + ring->len - ring->tx;
}

/* Largest payload that fits now: the free space less header and free slot. */
static u32 argo_sim_payload_space(const struct argo_sim_ring *ring)
{
	u32 space = argo_sim_free_space(ring);

	return space > 2 * XEN_ARGO_MSG_SLOT_SIZE ?
		space - 2 * XEN_ARGO_MSG_SLOT_SIZE : 0;
}

/* Copy into the ring from @pos on; the caller has handled the ring end. */
static void argo_sim_copy_in(struct argo_sim_ring *ring, u32 pos,
			     const void *src, u32 count)
{
	while (count) {
		u32 room, chunk;
		void *dst = argo_ring_byte(ring->pages, pos, &room);

		chunk = min(count, room);
		memcpy(dst, src, chunk);
		src += chunk;
		pos += chunk;
		count -= chunk;
	}
}

static int argo_sim_queue_waiter(struct argo_sim_ring *ring, u16 domid,
				 u32 len)
{
	struct argo_sim_waiter *w;

	list_for_each_entry(w, &ring->waiters, node) {
		if (w->domid == domid) {
			w->len = max(w->len, len);
			return 0;
		}
	}
	if (ring->nwaiters >= ARGO_SIM_MAX_PENDING_PER_RING)
		return -EBUSY;
	w = kmalloc(sizeof(*w), GFP_ATOMIC);
	if (!w)
		return -ENOMEM;
	w->domid = domid;
	w->len = len;
	list_add_tail(&w->node, &ring->waiters);
	ring->nwaiters++;
	return 0;
}

static void argo_sim_cancel_waiters(struct argo_sim_ring *ring, u16 domid,
				    bool any)
{
	struct argo_sim_waiter *w, *next;

	list_for_each_entry_safe(w, next, &ring->waiters, node) {
		if (any || w->domid == domid) {
			list_del(&w->node);
			kfree(w);
			ring->nwaiters--;
		}
	}
}

static void argo_sim_free_ring(struct argo_sim_domain *dom,
			       struct argo_sim_ring *ring)
{
	argo_sim_cancel_waiters(ring, 0, true);
	list_del(&ring->node);
	dom->ring_count--;
	kfree(ring->pages);
	kfree(ring);
}

static int argo_sim_register_ring(struct argo_iface *iface,
				  const struct xen_argo_register_ring *reg,
				  struct page **pages, unsigned int npages,
				  unsigned int flags, gfp_t gfp)
{
	struct argo_sim_domain *dom = to_sim(iface);
	struct argo_sim_ring *ring, *fresh;
	struct page **page_copy;
	struct xen_argo_ring *hdr;
	unsigned long irqflags;
	u32 tx;
	int ret = 0;

	if (npages > XEN_ARGO_MAX_RING_SIZE / ARGO_PAGE_SIZE ||
	    (flags & ~XEN_ARGO_REGISTER_FLAG_FAIL_EXIST))
		return -EINVAL;
	if (reg->len < ARGO_RING_LEN_MIN || reg->len > XEN_ARGO_MAX_RING_SIZE ||
	    !IS_ALIGNED(reg->len, XEN_ARGO_MSG_SLOT_SIZE) ||
	    argo_ring_npages(reg->len) != npages || reg->pad)
		return -EINVAL;

	fresh = kzalloc(sizeof(*fresh), gfp);
	page_copy = kmemdup(pages, npages * sizeof(*pages), gfp);
	if (!fresh || !page_copy) {
		ret = -ENOMEM;
		goto out_free;
	}

	spin_lock_irqsave(&argo_sim_lock, irqflags);
	if (reg->partner_id != XEN_ARGO_DOMID_ANY &&
	    !argo_sim_find_domain(reg->partner_id)) {
		ret = -ESRCH;
		goto out_unlock;
	}
	if (dom->ring_count >= ARGO_MAX_RINGS) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	ring = argo_sim_find_ring(dom, reg->aport, reg->partner_id);
	if (ring) {
		if ((flags & XEN_ARGO_REGISTER_FLAG_FAIL_EXIST) ||
		    ring->len != reg->len) {
			ret = -EEXIST;
			goto out_unlock;
		}
		swap(ring->pages, page_copy);
	} else {
		ring = fresh;
		fresh = NULL;
		ring->aport = reg->aport;
		ring->partner = reg->partner_id;
		ring->len = reg->len;
		ring->pages = page_copy;
		page_copy = NULL;
		INIT_LIST_HEAD(&ring->waiters);
		list_add_tail(&ring->node, &dom->rings);
	}

	hdr = argo_sim_header(ring);
	tx = READ_ONCE(hdr->tx_ptr);
	if (tx >= ring->len || !IS_ALIGNED(tx, XEN_ARGO_MSG_SLOT_SIZE)) {
		tx = argo_slot_roundup(READ_ONCE(hdr->rx_ptr));
		if (tx >= ring->len)
			tx = 0;
		WRITE_ONCE(hdr->tx_ptr, tx);
	}
	ring->tx = tx;
	/* Counted again on re-registration: the slot leak of Xen 4.17. */
	dom->ring_count++;
out_unlock:
	spin_unlock_irqrestore(&argo_sim_lock, irqflags);
out_free:
	kfree(page_copy);
	kfree(fresh);
	return ret;
}

static int argo_sim_unregister_ring(struct argo_iface *iface,
				    const struct xen_argo_unregister_ring *unreg)
{
	struct argo_sim_domain *dom = to_sim(iface);
	struct argo_sim_ring *ring;
	unsigned long flags;
	int ret = -ENOENT;

	if (unreg->pad)
		return -EINVAL;
	spin_lock_irqsave(&argo_sim_lock, flags);
	ring = argo_sim_find_ring(dom, unreg->aport, unreg->partner_id);
	if (ring) {
		argo_sim_free_ring(dom, ring);
		ret = 0;
	}
	spin_unlock_irqrestore(&argo_sim_lock, flags);
	return ret;
}

static int argo_sim_payload_len(const struct kvec *iov, unsigned int niov,
				u32 *len)
{
	u32 sum = 0;
	unsigned int i;

	for (i = 0; i < niov; i++) {
		if (iov[i].iov_len > ARGO_SIM_MAX_MESSAGE_SIZE)
			return -EINVAL;
		sum += iov[i].iov_len;
		if (sum > ARGO_SIM_MAX_MESSAGE_SIZE)
			return -EMSGSIZE;
	}
	*len = sum;
	return 0;
}

/* Append one message to @ring, as Xen's ringbuf_insert() does. */
static int argo_sim_insert(struct argo_sim_ring *ring,
			   const struct xen_argo_addr *src,
			   const struct kvec *iov, unsigned int niov,
			   u32 message_type, u32 len)
{
	struct xen_argo_ring_message_header mh = {
		.len = len + ARGO_MSG_HEADER_SIZE,
		.source = *src,
		.message_type = message_type,
	};
	u32 tx = ring->tx;
	unsigned int i;

	if (ring->len <= ARGO_MSG_HEADER_SIZE + argo_slot_roundup(len))
		return -EMSGSIZE;
	if (ARGO_MSG_HEADER_SIZE + argo_slot_roundup(len) >=
	    argo_sim_free_space(ring))
		return -EAGAIN;

	argo_sim_copy_in(ring, tx, &mh, sizeof(mh));
	tx += sizeof(mh);
	if (tx == ring->len)
		tx = 0;

	for (i = 0; i < niov; i++) {
		const void *src_buf = iov[i].iov_base;
		u32 count = iov[i].iov_len;
		u32 tail = ring->len - tx;

		if (count > tail) {
			argo_sim_copy_in(ring, tx, src_buf, tail);
			src_buf += tail;
			count -= tail;
			tx = 0;
		}
		argo_sim_copy_in(ring, tx, src_buf, count);
		tx += count;
		if (tx == ring->len)
			tx = 0;
	}

	tx = argo_slot_roundup(tx);
	if (tx >= ring->len)
		tx -= ring->len;
	ring->tx = tx;
	/* The message must be visible before the tx_ptr that covers it. */
	smp_store_release(&argo_sim_header(ring)->tx_ptr, tx);
	return 0;
}

static int argo_sim_sendv(struct argo_iface *iface,
			  const struct xen_argo_send_addr *addr,
			  const struct kvec *iov, unsigned int niov,
			  u32 message_type)
{
	struct argo_sim_domain *dst;
	struct xen_argo_addr src = addr->src;
	struct argo_sim_ring *ring;
	unsigned long flags;
	u32 len = 0;
	int ret;

	if (src.pad || addr->dst.pad || niov > XEN_ARGO_MAXIOV)
		return -EINVAL;
	if (src.domain_id == XEN_ARGO_DOMID_ANY)
		src.domain_id = iface->domid;
	if (src.domain_id != iface->domid)
		return -EPERM;

	spin_lock_irqsave(&argo_sim_lock, flags);
	dst = argo_sim_find_domain(addr->dst.domain_id);
	if (!dst) {
		ret = -ESRCH;
		goto out_unlock;
	}
	ring = argo_sim_find_dest(dst, addr->dst.aport, src.domain_id);
	if (!ring) {
		ret = -ECONNREFUSED;
		goto out_unlock;
	}
	ret = argo_sim_payload_len(iov, niov, &len);
	if (!ret)
		ret = argo_sim_insert(ring, &src, iov, niov, message_type, len);
	if (ret == -EAGAIN) {
		int rc = argo_sim_queue_waiter(ring, src.domain_id, len);

		if (rc)
			ret = rc;
	}
	if (!ret)
		argo_sim_raise_virq(dst);
out_unlock:
	spin_unlock_irqrestore(&argo_sim_lock, flags);
	return ret ?: len;
}

/* Wake every sender whose pending message now fits one of @dom's rings. */
static void argo_sim_wake_waiters(struct argo_sim_domain *dom)
{
	struct argo_sim_waiter *w, *next;
	struct argo_sim_ring *ring;

	list_for_each_entry(ring, &dom->rings, node) {
		u32 space = argo_sim_payload_space(ring);

		if (!space)
			continue;
		list_for_each_entry_safe(w, next, &ring->waiters, node) {
			struct argo_sim_domain *sender;

			if (space < w->len)
				continue;
			sender = argo_sim_find_domain(w->domid);
			if (sender)
				argo_sim_raise_virq(sender);
			list_del(&w->node);
			kfree(w);
			ring->nwaiters--;
		}
	}
}

static int argo_sim_fill_ring_data(struct argo_sim_domain *self,
				   struct xen_argo_ring_data_ent *ent)
{
	struct argo_sim_domain *dst;
	struct argo_sim_ring *ring;
	u32 space, max;
	int ret = 0;

	ent->flags = 0;
	dst = argo_sim_find_domain(ent->ring.domain_id);
	ring = dst ? argo_sim_find_dest(dst, ent->ring.aport,
					self->iface.domid) : NULL;
	if (!ring)
		return 0;

	ent->flags |= XEN_ARGO_RING_EXISTS;
	if (ring->partner == XEN_ARGO_DOMID_ANY)
		ent->flags |= XEN_ARGO_RING_SHARED;
	max = argo_ring_max_payload(ring->len);
	space = argo_sim_payload_space(ring);
	if (ent->space_required > max) {
		ent->flags |= XEN_ARGO_RING_EMSGSIZE;
	} else if (space >= ent->space_required) {
		argo_sim_cancel_waiters(ring, self->iface.domid, false);
		ent->flags |= XEN_ARGO_RING_SUFFICIENT;
	} else {
		ret = argo_sim_queue_waiter(ring, self->iface.domid,
					    ent->space_required);
		if (ret == -EBUSY) {
			ent->flags |= XEN_ARGO_RING_EBUSY;
			ret = 0;
		}
	}
	if (space == max)
		ent->flags |= XEN_ARGO_RING_EMPTY;
	ent->max_message_size = max;
	return ret;
}

static int argo_sim_notify(struct argo_iface *iface,
			   struct xen_argo_ring_data *ring_data)
{
	struct argo_sim_domain *dom = to_sim(iface);
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	spin_lock_irqsave(&argo_sim_lock, flags);
	argo_sim_wake_waiters(dom);
	if (ring_data) {
		if (ring_data->nent > ARGO_SIM_MAX_NOTIFY_COUNT)
			ret = -EACCES;
		for (i = 0; !ret && i < ring_data->nent; i++)
			ret = argo_sim_fill_ring_data(dom, &ring_data->data[i]);
	}
	spin_unlock_irqrestore(&argo_sim_lock, flags);
	return ret;
}

/**
 * argo_sim_domain_destroy() - Let a simulated domain die.
 * @iface: a domain from argo_sim_domain_create()
 *
 * As in Xen, the domain's rings go, and so do other domains' rings that
 * only it was allowed to send to, and its waits for space elsewhere. The
 * caller must have unregistered every struct argo_ring of @iface first.
 */
void argo_sim_domain_destroy(struct argo_iface *iface)
{
	struct argo_sim_domain *dom = to_sim(iface), *other;
	struct argo_sim_ring *ring, *next;
	unsigned long flags;

	WARN_ON(!list_empty(&iface->event_rings));
	spin_lock_irqsave(&argo_sim_lock, flags);
	list_del(&dom->node);
	list_for_each_entry_safe(ring, next, &dom->rings, node)
		argo_sim_free_ring(dom, ring);
	list_for_each_entry(other, &argo_sim_domains, node) {
		list_for_each_entry_safe(ring, next, &other->rings, node) {
			if (ring->partner == iface->domid)
				argo_sim_free_ring(other, ring);
			else
				argo_sim_cancel_waiters(ring, iface->domid,
							false);
		}
	}
	spin_unlock_irqrestore(&argo_sim_lock, flags);
	flush_work(&dom->virq_remote);
	irq_work_sync(&dom->virq_work);
	argo_iface_destroy(iface);
	kfree(dom);
}
EXPORT_SYMBOL_GPL(argo_sim_domain_destroy);

static const struct argo_provider_ops argo_sim_ops = {
	.register_ring = argo_sim_register_ring,
	.unregister_ring = argo_sim_unregister_ring,
	.sendv = argo_sim_sendv,
	.notify = argo_sim_notify,
	.remove = argo_sim_domain_destroy,
};

/**
 * argo_sim_domain_create() - Start a simulated domain.
 * @domid: its domain id, unique among simulated domains
 *
 * Return: the domain's Argo, or ERR_PTR(-EEXIST) or ERR_PTR(-ENOMEM).
 */
struct argo_iface *argo_sim_domain_create(u16 domid)
{
	struct argo_sim_domain *dom;
	unsigned long flags;
	int ret = 0;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return ERR_PTR(-ENOMEM);
	ret = argo_iface_init(&dom->iface, &argo_sim_ops, "sim", domid);
	if (ret) {
		kfree(dom);
		return ERR_PTR(ret);
	}
	INIT_LIST_HEAD(&dom->rings);
	init_irq_work(&dom->virq_work, argo_sim_virq);
	INIT_WORK(&dom->virq_remote, argo_sim_virq_remote);
	atomic64_set(&dom->virqs_raised, 0);

	spin_lock_irqsave(&argo_sim_lock, flags);
	if (argo_sim_find_domain(domid))
		ret = -EEXIST;
	else
		list_add_tail(&dom->node, &argo_sim_domains);
	spin_unlock_irqrestore(&argo_sim_lock, flags);
	if (ret) {
		argo_iface_destroy(&dom->iface);
		kfree(dom);
		return ERR_PTR(ret);
	}
	return &dom->iface;
}
EXPORT_SYMBOL_GPL(argo_sim_domain_create);

/**
 * argo_sim_flush() - Wait until @iface's pending VIRQ has been handled.
 * @iface: a simulated domain
 */
void argo_sim_flush(struct argo_iface *iface)
{
	flush_work(&to_sim(iface)->virq_remote);
	irq_work_sync(&to_sim(iface)->virq_work);
}
EXPORT_SYMBOL_GPL(argo_sim_flush);

/**
 * argo_sim_virqs_raised() - VIRQs raised in a simulated domain so far.
 * @iface: a simulated domain
 *
 * One per delivered message and per wakeup, before any coalescing.
 *
 * Return: the count.
 */
u64 argo_sim_virqs_raised(const struct argo_iface *iface)
{
	return atomic64_read(&container_of(iface, struct argo_sim_domain,
					   iface)->virqs_raised);
}
EXPORT_SYMBOL_GPL(argo_sim_virqs_raised);
