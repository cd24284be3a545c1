// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argo layer: rings, messages and the shared VIRQ_ARGO dispatch, on top of
 * one of two providers (argo_xen.c: the hypervisor; argo_sim.c: a simulated
 * hypervisor with the same semantics, for tests and Xen-less machines).
 *
 * Locking:
 *   iface->lock (spinlock, irqsave) guards writers of iface->event_rings.
 *   The VIRQ handler walks event_rings under RCU and calls each ring's
 *   event callback in hard interrupt context, holding no lock of ours, so a
 *   callback may send, read its ring and unregister rings without events.
 *   Removing a ring with an event callback waits for an RCU grace period,
 *   hence may sleep.
 *   The read side of a ring (rx, peek/read/consume) is serialized by the
 *   ring's owner; the layer takes no lock for it.
 *   The counters are per CPU and lock-free: a read sums every CPU's share.
 *
 * Diagnostics: tracepoints (argo_trace.h) for every hypercall and VIRQ,
 * counters in debugfs under argo/ for this domain's Argo, and a rate-limited
 * line in the log for every failed hypercall but a sendv finding its ring
 * full, which is flow control.
 *
 * Trust: everything in a ring was written by the hypervisor on behalf of a
 * sender, and tx_ptr by the hypervisor. Message lengths are still checked
 * against the bytes actually between rx and tx, so a corrupted ring yields
 * -EBADMSG and a resynchronised ring, never a read past the ring.
 */

#define pr_fmt(fmt) "argo: " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <xen/xen.h>

#include "argo_internal.h"

#define CREATE_TRACE_POINTS
#include "argo_trace.h"

static char *provider = "auto";
module_param(provider, charp, 0444);
MODULE_PARM_DESC(provider,
		 "Argo provider: auto (Xen when running on Xen, else simulated), xen or sim");

static struct argo_iface *argo_default;
static struct dentry *argo_debugfs;

/**
 * argo_iface_init() - Initialise the common part of a provider's iface.
 * @iface: iface to initialise
 * @ops: the provider's operations
 * @name: provider name, for messages
 * @domid: the domain id under which this iface's rings are addressed
 *
 * Undo with argo_iface_destroy().
 *
 * Return: 0 or -ENOMEM.
 */
int argo_iface_init(struct argo_iface *iface,
		    const struct argo_provider_ops *ops, const char *name,
		    u16 domid)
{
	iface->ops = ops;
	iface->name = name;
	iface->domid = domid;
	spin_lock_init(&iface->lock);
	INIT_LIST_HEAD(&iface->event_rings);
	atomic_set(&iface->rings_in_use, 0);
	iface->stats = alloc_percpu(struct argo_stats);
	return iface->stats ? 0 : -ENOMEM;
}

/**
 * argo_iface_destroy() - Free what argo_iface_init() allocated.
 * @iface: an iface whose rings are all gone
 */
void argo_iface_destroy(struct argo_iface *iface)
{
	free_percpu(iface->stats);
}

static void argo_count(struct argo_iface *iface, enum argo_stat stat, u64 n)
{
	this_cpu_add(iface->stats->count[stat], n);
}

/* A counter's total: every CPU's share, each read whole. */
static u64 argo_stat_sum(const u64 __percpu *counter)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(counter, cpu));
	return sum;
}

/**
 * argo_iface_dispatch_virq() - Handle one VIRQ_ARGO for @iface.
 * @iface: the domain that received the VIRQ
 *
 * The VIRQ says neither which ring received a message nor whether it
 * signals new data or space freed for a blocked sender, so every ring with
 * an event callback hears about it. Runs in hard interrupt context.
 */
void argo_iface_dispatch_virq(struct argo_iface *iface)
{
	struct argo_ring *ring;
	unsigned int rings = 0;

	argo_count(iface, ARGO_STAT_VIRQS, 1);
	rcu_read_lock();
	list_for_each_entry_rcu(ring, &iface->event_rings, event_node) {
		ring->event(ring);
		rings++;
	}
	rcu_read_unlock();
	trace_argo_virq(iface, rings);
}

/**
 * argo_ring_byte() - Map a ring offset to its byte in the ring's pages.
 * @pages: ring pages, the first one starting with the ring header
 * @pos: offset into the ring data
 * @room: set to the bytes left in that page from there
 *
 * Ring byte k lives at byte (64 + k) of the page list, whatever pages the
 * list names: they need not be contiguous, nor even distinct.
 *
 * Return: the byte's address.
 */
void *argo_ring_byte(struct page **pages, u32 pos, u32 *room)
{
	u32 off = ARGO_RING_HEADER_SIZE + pos;

	BUILD_BUG_ON(PAGE_SIZE != ARGO_PAGE_SIZE);
	*room = ARGO_PAGE_SIZE - off % ARGO_PAGE_SIZE;
	return page_address(pages[off / ARGO_PAGE_SIZE]) + off % ARGO_PAGE_SIZE;
}

static struct xen_argo_ring *argo_ring_header(const struct argo_ring *ring)
{
	return page_address(ring->pages[0]);
}

/* Copy @count bytes out of the ring from @pos on, wrapping at the end. */
static void argo_ring_copy_out(const struct argo_ring *ring, u32 pos,
			       void *buf, u32 count)
{
	while (count) {
		u32 room, chunk;
		void *src;

		if (pos >= ring->len)
			pos -= ring->len;
		src = argo_ring_byte(ring->pages, pos, &room);
		chunk = min3(count, room, ring->len - pos);
		memcpy(buf, src, chunk);
		buf += chunk;
		pos += chunk;
		count -= chunk;
	}
}

/**
 * argo_iface_default() - This domain's Argo, as chosen at module load.
 *
 * Return: the iface; valid as long as this module is loaded.
 */
struct argo_iface *argo_iface_default(void)
{
	return argo_default;
}
EXPORT_SYMBOL_GPL(argo_iface_default);

/**
 * argo_iface_domid() - Domain id under which @iface's rings are addressed.
 * @iface: an Argo iface
 *
 * Return: the domain id.
 */
u16 argo_iface_domid(const struct argo_iface *iface)
{
	return iface->domid;
}
EXPORT_SYMBOL_GPL(argo_iface_domid);

/**
 * argo_iface_name() - Name of @iface's provider: "xen" or "sim".
 * @iface: an Argo iface
 *
 * Return: the name.
 */
const char *argo_iface_name(const struct argo_iface *iface)
{
	return iface->name;
}
EXPORT_SYMBOL_GPL(argo_iface_name);

/**
 * argo_rings_in_use() - Rings currently registered through @iface.
 * @iface: an Argo iface
 *
 * Xen allows ARGO_MAX_RINGS per domain, counting every ring of the domain.
 *
 * Return: the count.
 */
unsigned int argo_rings_in_use(const struct argo_iface *iface)
{
	return atomic_read(&iface->rings_in_use);
}
EXPORT_SYMBOL_GPL(argo_rings_in_use);

/**
 * argo_virqs_handled() - VIRQ_ARGO interrupts dispatched on @iface so far.
 * @iface: an Argo iface
 *
 * Return: the count.
 */
u64 argo_virqs_handled(const struct argo_iface *iface)
{
	return argo_stat_sum(&iface->stats->count[ARGO_STAT_VIRQS]);
}
EXPORT_SYMBOL_GPL(argo_virqs_handled);

/**
 * argo_ring_init() - Describe a ring before registering it.
 * @ring: ring to fill in
 * @iface: the Argo to register it with
 * @aport: port of the ring
 * @partner: the one domain allowed to send to it, or XEN_ARGO_DOMID_ANY
 * @event: callback run on every VIRQ_ARGO while registered, or NULL
 */
void argo_ring_init(struct argo_ring *ring, struct argo_iface *iface,
		    u32 aport, u16 partner,
		    void (*event)(struct argo_ring *ring))
{
	memset(ring, 0, sizeof(*ring));
	ring->iface = iface;
	ring->aport = aport;
	ring->partner = partner;
	ring->event = event;
	INIT_LIST_HEAD(&ring->event_node);
}
EXPORT_SYMBOL_GPL(argo_ring_init);

static void argo_ring_add_event(struct argo_ring *ring)
{
	struct argo_iface *iface = ring->iface;
	unsigned long flags;

	spin_lock_irqsave(&iface->lock, flags);
	list_add_tail_rcu(&ring->event_node, &iface->event_rings);
	spin_unlock_irqrestore(&iface->lock, flags);
}

static void argo_ring_del_event(struct argo_ring *ring)
{
	struct argo_iface *iface = ring->iface;
	unsigned long flags;

	spin_lock_irqsave(&iface->lock, flags);
	list_del_rcu(&ring->event_node);
	spin_unlock_irqrestore(&iface->lock, flags);
	synchronize_rcu();
}

static int argo_ring_register_op(struct argo_ring *ring, unsigned int flags,
				 gfp_t gfp)
{
	const struct xen_argo_register_ring reg = {
		.aport = ring->aport,
		.partner_id = ring->partner,
		.len = ring->len,
	};
	struct argo_iface *iface = ring->iface;
	int ret;

	ret = iface->ops->register_ring(iface, &reg, ring->pages, ring->npages,
					flags, gfp);
	argo_count(iface, ARGO_STAT_REGISTER, 1);
	trace_argo_ring_register(ring, flags, ret);
	if (ret) {
		argo_count(iface, ARGO_STAT_ERRORS, 1);
		pr_warn_ratelimited("%s: registering ring %u:%#x (partner %u, %u bytes) failed: %d\n",
				    iface->name, iface->domid, ring->aport,
				    ring->partner, ring->len, ret);
	}
	return ret;
}

/**
 * argo_ring_register() - Register @pages as a receive ring.
 * @ring: ring set up by argo_ring_init()
 * @pages: argo_ring_npages(@len) pages; pages[0] starts with the ring header
 *	and the rest hold ring data in order. They need not be contiguous.
 * @len: ring length in bytes, a multiple of 16 between ARGO_RING_LEN_MIN and
 *	ARGO_RING_LEN_MAX (checked by the hypervisor)
 * @start: ring offset where the first message will land (16-aligned): Xen
 *	adopts the header's tx_ptr at registration only, and every message
 *	moves it on by 16 + the payload rounded up to 16
 * @gfp: allocation flags for the provider's page list
 *
 * Registering a ring that is already registered fails with -EEXIST rather
 * than re-registering it, which would cost a ring slot (see
 * argo_ring_reregister()). A ring with an event callback may only be
 * registered where sleeping is allowed.
 *
 * Return: 0, or the hypervisor's error: -ENOSPC when the domain already has
 * ARGO_MAX_RINGS rings, -ESRCH/-ECONNREFUSED for a missing partner, -EINVAL
 * for a bad length or page count, -EPERM for a wildcard ring without
 * permission.
 */
int argo_ring_register(struct argo_ring *ring, struct page **pages, u32 len,
		       u32 start, gfp_t gfp)
{
	struct xen_argo_ring *hdr;
	int ret;

	if (WARN_ON(ring->registered))
		return -EBUSY;
	if (start >= len || !IS_ALIGNED(start, XEN_ARGO_MSG_SLOT_SIZE)) {
		pr_err_ratelimited("ring %u:%#x: start %u invalid for %u bytes\n",
				   ring->iface->domid, ring->aport, start, len);
		return -EINVAL;
	}

	ring->pages = pages;
	ring->len = len;
	ring->npages = argo_ring_npages(len);
	ring->rx = start;
	hdr = argo_ring_header(ring);
	WRITE_ONCE(hdr->rx_ptr, start);
	WRITE_ONCE(hdr->tx_ptr, start);

	/* On the list first, so a VIRQ right after registration is heard. */
	if (ring->event)
		argo_ring_add_event(ring);

	ret = argo_ring_register_op(ring, XEN_ARGO_REGISTER_FLAG_FAIL_EXIST,
				    gfp);
	if (ret) {
		if (ring->event)
			argo_ring_del_event(ring);
		return ret;
	}
	ring->registered = true;
	atomic_inc(&ring->iface->rings_in_use);
	return 0;
}
EXPORT_SYMBOL_GPL(argo_ring_register);

/**
 * argo_ring_reregister() - Register an already registered ring again.
 * @ring: a registered ring
 * @gfp: allocation flags for the provider's page list
 *
 * The hypervisor then re-reads tx_ptr from the ring header, but Xen 4.17
 * (and Xen today) counts the ring once more against the domain's
 * ARGO_MAX_RINGS without ever giving the slot back. Nothing in this project
 * re-registers in normal operation; this exists so the tests can show the
 * leak on both providers.
 *
 * Return: 0 or the hypervisor's error.
 */
int argo_ring_reregister(struct argo_ring *ring, gfp_t gfp)
{
	if (WARN_ON(!ring->registered))
		return -EINVAL;
	return argo_ring_register_op(ring, 0, gfp);
}
EXPORT_SYMBOL_GPL(argo_ring_reregister);

/**
 * argo_ring_unregister() - Stop the hypervisor from writing to a ring.
 * @ring: a registered ring
 *
 * After this returns 0 no message lands in the ring's pages any more. A
 * ring the hypervisor already dropped (its partner domain died) counts as
 * unregistered. A ring with an event callback waits until no callback is
 * running, so this may sleep; a ring without one may be unregistered in
 * atomic context.
 *
 * Return: 0, or a hypervisor error after which the pages may still be
 * written to: leak them rather than reuse them.
 */
int argo_ring_unregister(struct argo_ring *ring)
{
	const struct xen_argo_unregister_ring unreg = {
		.aport = ring->aport,
		.partner_id = ring->partner,
	};
	struct argo_iface *iface = ring->iface;
	int ret;

	if (WARN_ON(!ring->registered))
		return 0;

	ret = iface->ops->unregister_ring(iface, &unreg);
	argo_count(iface, ARGO_STAT_UNREGISTER, 1);
	trace_argo_ring_unregister(ring, ret);
	/* The hypervisor dropped the ring already: its partner died. */
	if (ret == -ENOENT)
		ret = 0;
	if (ret) {
		argo_count(iface, ARGO_STAT_ERRORS, 1);
		pr_err_ratelimited("%s: unregistering ring %u:%#x (partner %u) failed: %d\n",
				   iface->name, iface->domid, ring->aport,
				   ring->partner, ret);
		WARN_ON_ONCE(1);
	}
	ring->registered = false;
	atomic_dec(&iface->rings_in_use);
	if (ring->event)
		argo_ring_del_event(ring);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_ring_unregister);

/**
 * argo_ring_tx_ptr() - The hypervisor's write position in a ring.
 * @ring: a registered ring
 *
 * Return: tx_ptr as last written back by the hypervisor.
 */
u32 argo_ring_tx_ptr(const struct argo_ring *ring)
{
	return READ_ONCE(argo_ring_header(ring)->tx_ptr);
}
EXPORT_SYMBOL_GPL(argo_ring_tx_ptr);

/* Drop everything in the ring after finding it inconsistent. */
static int argo_ring_resync(struct argo_ring *ring, u32 tx, const char *why)
{
	pr_warn_ratelimited("ring %u:%#x: %s (rx %u tx %u len %u), dropping its contents\n",
			    ring->iface->domid, ring->aport, why, ring->rx, tx,
			    ring->len);
	if (tx < ring->len && IS_ALIGNED(tx, XEN_ARGO_MSG_SLOT_SIZE)) {
		ring->rx = tx;
		/* Our reads of the ring are done before Xen may write it. */
		smp_store_release(&argo_ring_header(ring)->rx_ptr, tx);
	}
	return -EBADMSG;
}

/**
 * argo_ring_peek() - Find the next message in a ring without consuming it.
 * @ring: a registered ring
 * @msg: filled in with the message's sender, type, length and position
 *
 * Return: 0; -EAGAIN if the ring is empty; -EBADMSG if the ring's pointers
 * or the message header are inconsistent (the ring is then emptied).
 */
int argo_ring_peek(struct argo_ring *ring, struct argo_msg *msg)
{
	struct xen_argo_ring_message_header hdr;
	u32 tx = READ_ONCE(argo_ring_header(ring)->tx_ptr);
	u32 used, slots;

	if (tx == ring->rx)
		return -EAGAIN;
	if (tx >= ring->len || !IS_ALIGNED(tx, XEN_ARGO_MSG_SLOT_SIZE))
		return argo_ring_resync(ring, tx, "bad tx_ptr");
	/* Read the message only after seeing the tx_ptr that covers it. */
	smp_rmb();

	used = tx > ring->rx ? tx - ring->rx : tx + ring->len - ring->rx;
	/* 16-aligned rx and len: the header never wraps. */
	argo_ring_copy_out(ring, ring->rx, &hdr, sizeof(hdr));
	slots = argo_slot_roundup(hdr.len);
	if (hdr.len < ARGO_MSG_HEADER_SIZE || slots < hdr.len || slots > used)
		return argo_ring_resync(ring, tx, "bad message length");

	msg->source = hdr.source;
	msg->type = hdr.message_type;
	msg->len = hdr.len - ARGO_MSG_HEADER_SIZE;
	msg->payload = (ring->rx + ARGO_MSG_HEADER_SIZE) % ring->len;
	msg->next = (ring->rx + slots) % ring->len;
	return 0;
}
EXPORT_SYMBOL_GPL(argo_ring_peek);

/**
 * argo_ring_read() - Copy part of a peeked message's payload.
 * @ring: the ring holding the message
 * @msg: the message, from argo_ring_peek()
 * @offset: first payload byte to copy
 * @buf: destination
 * @count: bytes to copy; @offset + @count must not exceed @msg->len
 */
void argo_ring_read(const struct argo_ring *ring, const struct argo_msg *msg,
		    u32 offset, void *buf, u32 count)
{
	if (WARN_ON_ONCE(offset > msg->len || count > msg->len - offset))
		return;
	argo_ring_copy_out(ring, (msg->payload + offset) % ring->len, buf,
			   count);
}
EXPORT_SYMBOL_GPL(argo_ring_read);

/**
 * argo_ring_consume() - Give a peeked message's space back to senders.
 * @ring: the ring holding the message
 * @msg: the next message, from argo_ring_peek()
 *
 * Senders blocked on a full ring are only woken by argo_notify(): call it
 * after consuming a batch.
 */
void argo_ring_consume(struct argo_ring *ring, const struct argo_msg *msg)
{
	ring->rx = msg->next;
	/* The payload must be read before the hypervisor may overwrite it. */
	smp_store_release(&argo_ring_header(ring)->rx_ptr, msg->next);
}
EXPORT_SYMBOL_GPL(argo_ring_consume);

/**
 * argo_ring_recv() - Take the next message out of a ring.
 * @ring: a registered ring
 * @msg: filled in as by argo_ring_peek()
 * @buf: destination for the payload
 * @size: size of @buf
 *
 * The message is consumed even when it does not fit @buf.
 *
 * Return: the payload length; -EAGAIN if the ring is empty; -EMSGSIZE if
 * the payload was larger than @size (it is dropped; @msg->len says how
 * large it was); -EBADMSG as argo_ring_peek().
 */
int argo_ring_recv(struct argo_ring *ring, struct argo_msg *msg, void *buf,
		   u32 size)
{
	int ret = argo_ring_peek(ring, msg);

	if (ret)
		return ret;
	ret = msg->len;
	if (msg->len <= size)
		argo_ring_read(ring, msg, 0, buf, msg->len);
	else
		ret = -EMSGSIZE;
	argo_ring_consume(ring, msg);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_ring_recv);

/**
 * argo_sendv() - Send one message, gathered from up to 8 buffers.
 * @iface: the sending domain's Argo
 * @src_aport: source port reported to the receiver
 * @dst_domid: destination domain
 * @dst_aport: destination ring's port
 * @iov: the payload, in pieces
 * @niov: number of pieces, at most XEN_ARGO_MAXIOV
 * @message_type: delivered to the receiver as is
 *
 * Never blocks. On -EAGAIN the hypervisor remembers that this domain waits
 * for space and raises VIRQ_ARGO here once the receiver frees enough of it
 * and calls notify.
 *
 * Return: the payload length, or -EAGAIN (ring full), -EMSGSIZE (larger
 * than the ring can ever take), -ECONNREFUSED (no such ring), -ESRCH (no
 * such domain), -EBUSY (too many waiting senders), -EINVAL, -EFAULT, -EPERM.
 */
int argo_sendv(struct argo_iface *iface, u32 src_aport, u16 dst_domid,
	       u32 dst_aport, const struct kvec *iov, unsigned int niov,
	       u32 message_type)
{
	const struct xen_argo_send_addr addr = {
		.src = { .aport = src_aport, .domain_id = XEN_ARGO_DOMID_ANY },
		.dst = { .aport = dst_aport, .domain_id = dst_domid },
	};
	int ret;

	if (niov > XEN_ARGO_MAXIOV) {
		pr_err_ratelimited("sendv %#x -> %u:%#x: %u iovs, at most %u\n",
				   src_aport, dst_domid, dst_aport, niov,
				   XEN_ARGO_MAXIOV);
		return -EINVAL;
	}
	ret = iface->ops->sendv(iface, &addr, iov, niov, message_type);
	argo_count(iface, ARGO_STAT_SENDV, 1);
	trace_argo_sendv(iface, &addr, iov, niov, message_type, ret);
	if (ret >= 0) {
		argo_count(iface, ARGO_STAT_SENDV_BYTES, ret);
	} else if (ret == -EAGAIN) {
		argo_count(iface, ARGO_STAT_SENDV_EAGAIN, 1);
	} else {
		argo_count(iface, ARGO_STAT_ERRORS, 1);
		pr_warn_ratelimited("%s: sendv %u:%#x -> %u:%#x failed: %d\n",
				    iface->name, iface->domid, src_aport,
				    dst_domid, dst_aport, ret);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(argo_sendv);

static int argo_notify_op(struct argo_iface *iface,
			  struct xen_argo_ring_data *ring_data)
{
	unsigned int nent = ring_data ? ring_data->nent : 0;
	int ret;

	ret = iface->ops->notify(iface, ring_data);
	argo_count(iface, ARGO_STAT_NOTIFY, 1);
	trace_argo_notify(iface, nent, ret);
	if (ret) {
		argo_count(iface, ARGO_STAT_ERRORS, 1);
		pr_warn_ratelimited("%s: notify from domain %u (%u queries) failed: %d\n",
				    iface->name, iface->domid, nent, ret);
	}
	return ret;
}

/**
 * argo_notify() - Wake senders waiting for space in this domain's rings.
 * @iface: this domain's Argo
 *
 * The hypervisor re-checks every ring of this domain and raises VIRQ_ARGO
 * in each sender whose pending message now fits. This is the only source of
 * "space available" wakeups.
 *
 * Return: 0 or a hypervisor error (-EOPNOTSUPP when Argo is disabled).
 */
int argo_notify(struct argo_iface *iface)
{
	return argo_notify_op(iface, NULL);
}
EXPORT_SYMBOL_GPL(argo_notify);

/**
 * argo_query() - Ask about other domains' rings, and wait for space in them.
 * @iface: this domain's Argo
 * @ent: queries; set ring and space_required, get flags and max_message_size
 * @nent: number of queries, at most 256
 *
 * A ring without space_required bytes free gets a space waiter, as a failed
 * sendv does. May sleep.
 *
 * Return: 0 or a hypervisor error.
 */
int argo_query(struct argo_iface *iface, struct xen_argo_ring_data_ent *ent,
	       unsigned int nent)
{
	struct xen_argo_ring_data *data;
	int ret;

	data = kmalloc(struct_size(data, data, nent), GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	data->nent = nent;
	data->pad = 0;
	memcpy(data->data, ent, flex_array_size(data, data, nent));
	ret = argo_notify_op(iface, data);
	if (!ret)
		memcpy(ent, data->data, flex_array_size(data, data, nent));
	kfree(data);
	return ret;
}
EXPORT_SYMBOL_GPL(argo_query);

/* Sums a per-CPU counter; debugfs hands over its address as @data. */
static int argo_debugfs_stat_get(void *data, u64 *val)
{
	*val = argo_stat_sum((u64 __percpu __force *)data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(argo_debugfs_stat_fops, argo_debugfs_stat_get, NULL,
			 "%llu\n");

static const char * const argo_stat_names[ARGO_STAT_NR] = {
	[ARGO_STAT_REGISTER] = "register_ring",
	[ARGO_STAT_UNREGISTER] = "unregister_ring",
	[ARGO_STAT_SENDV] = "sendv",
	[ARGO_STAT_NOTIFY] = "notify",
	[ARGO_STAT_SENDV_EAGAIN] = "sendv_eagain",
	[ARGO_STAT_SENDV_BYTES] = "sendv_bytes",
	[ARGO_STAT_ERRORS] = "errors",
	[ARGO_STAT_VIRQS] = "virqs",
};

/*
 * argo/ in debugfs: this domain's hypercalls by op, VIRQs and rings in use.
 * Nothing to check: debugfs calls on a failed parent do nothing.
 */
static void argo_debugfs_init(struct argo_iface *iface)
{
	unsigned int i;

	argo_debugfs = debugfs_create_dir("argo", NULL);
	for (i = 0; i < ARGO_STAT_NR; i++)
		debugfs_create_file_unsafe(argo_stat_names[i], 0444,
					   argo_debugfs,
					   (void __force *)&iface->stats->count[i],
					   &argo_debugfs_stat_fops);
	debugfs_create_atomic_t("rings_in_use", 0444, argo_debugfs,
				&iface->rings_in_use);
}

static int __init argo_init(void)
{
	if (!strcmp(provider, "sim") ||
	    (!strcmp(provider, "auto") && !xen_domain())) {
		argo_default = argo_sim_domain_create(0);
	} else if (!strcmp(provider, "xen") || !strcmp(provider, "auto")) {
		argo_default = argo_xen_probe();
	} else {
		pr_err("unknown provider \"%s\" (auto, xen or sim)\n", provider);
		argo_default = ERR_PTR(-EINVAL);
	}
	if (IS_ERR(argo_default))
		return PTR_ERR(argo_default);
	argo_debugfs_init(argo_default);
	pr_info("using the %s provider as domain %u\n", argo_default->name,
		argo_default->domid);
	return 0;
}

static void __exit argo_exit(void)
{
	debugfs_remove(argo_debugfs);
	argo_default->ops->remove(argo_default);
}

module_init(argo_init);
module_exit(argo_exit);

MODULE_DESCRIPTION("Xen Argo interdomain messaging layer");
MODULE_LICENSE("GPL");
