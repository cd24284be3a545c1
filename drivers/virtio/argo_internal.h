/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private interface between the Argo layer (argo_core.c) and its providers:
 * the real hypervisor (argo_xen.c) and the simulation (argo_sim.c).
 */

#ifndef _ARGO_INTERNAL_H
#define _ARGO_INTERNAL_H

#include <linux/argo.h>
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>

/**
 * struct argo_provider_ops - The four Argo operations, one per hypercall op.
 * @register_ring: register @npages pages as the ring described by @reg;
 *	@flags as XEN_ARGO_OP_register_ring; may run in atomic context when
 *	@gfp says so
 * @unregister_ring: XEN_ARGO_OP_unregister_ring
 * @sendv: XEN_ARGO_OP_sendv; returns the payload length or -errno
 * @notify: XEN_ARGO_OP_notify; @ring_data may be NULL
 * @remove: tear the iface down when the layer is unloaded
 *
 * Every op returns what the hypercall returns, already sign-corrected.
 */
struct argo_provider_ops {
	int (*register_ring)(struct argo_iface *iface,
			     const struct xen_argo_register_ring *reg,
			     struct page **pages, unsigned int npages,
			     unsigned int flags, gfp_t gfp);
	int (*unregister_ring)(struct argo_iface *iface,
			       const struct xen_argo_unregister_ring *unreg);
	int (*sendv)(struct argo_iface *iface,
		     const struct xen_argo_send_addr *addr,
		     const struct kvec *iov, unsigned int niov,
		     u32 message_type);
	int (*notify)(struct argo_iface *iface,
		      struct xen_argo_ring_data *ring_data);
	void (*remove)(struct argo_iface *iface);
};

/**
 * enum argo_stat - What an iface counts, for debugfs and the tests.
 * @ARGO_STAT_REGISTER: register_ring hypercalls
 * @ARGO_STAT_UNREGISTER: unregister_ring hypercalls
 * @ARGO_STAT_SENDV: sendv hypercalls
 * @ARGO_STAT_NOTIFY: notify hypercalls, queries included
 * @ARGO_STAT_SENDV_EAGAIN: sendv hypercalls that found the ring full
 * @ARGO_STAT_SENDV_BYTES: payload bytes that sendv delivered
 * @ARGO_STAT_ERRORS: hypercalls that failed, -EAGAIN from sendv aside
 * @ARGO_STAT_VIRQS: VIRQ_ARGO interrupts dispatched
 * @ARGO_STAT_NR: number of counters
 */
enum argo_stat {
	ARGO_STAT_REGISTER,
	ARGO_STAT_UNREGISTER,
	ARGO_STAT_SENDV,
	ARGO_STAT_NOTIFY,
	ARGO_STAT_SENDV_EAGAIN,
	ARGO_STAT_SENDV_BYTES,
	ARGO_STAT_ERRORS,
	ARGO_STAT_VIRQS,
	ARGO_STAT_NR
};

/**
 * struct argo_stats - One CPU's share of an iface's counters.
 * @count: indexed by enum argo_stat
 */
struct argo_stats {
	u64 count[ARGO_STAT_NR];
};

/**
 * struct argo_iface - One domain's view of Argo.
 * @ops: the provider's operations
 * @name: provider name, for messages
 * @domid: this domain's id, the address of its own rings
 * @lock: guards @event_rings for writers; the VIRQ handler reads it under RCU
 * @event_rings: registered rings with an event callback
 * @rings_in_use: rings registered through this iface (lock-free counter)
 * @stats: event counts, per CPU so that counting costs no shared cache line
 */
struct argo_iface {
	const struct argo_provider_ops *ops;
	const char *name;
	u16 domid;
	/* guards event_rings for writers */
	spinlock_t lock;
	struct list_head event_rings;
	atomic_t rings_in_use;
	struct argo_stats __percpu *stats;
};

int argo_iface_init(struct argo_iface *iface,
		    const struct argo_provider_ops *ops, const char *name,
		    u16 domid);
void argo_iface_destroy(struct argo_iface *iface);
void argo_iface_dispatch_virq(struct argo_iface *iface);

/* Payload length of a message in pieces, for the sendv tracepoint. */
static inline u32 argo_kvec_len(const struct kvec *iov, unsigned int niov)
{
	u32 len = 0;

	while (niov--)
		len += iov[niov].iov_len;
	return len;
}

void *argo_ring_byte(struct page **pages, u32 pos, u32 *room);

struct argo_iface *argo_xen_probe(void);

#endif /* _ARGO_INTERNAL_H */
