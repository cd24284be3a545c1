/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-kernel interface to Xen's Argo interdomain messaging.
 *
 * One struct argo_iface stands for "this domain's Argo": the real hypervisor,
 * or a domain of the simulated provider used by the tests. A struct argo_ring
 * is a receive ring this domain registered; other domains (or this one) send
 * to it with argo_sendv(). Xen raises one VIRQ_ARGO per delivered message
 * without saying which ring it was for, so every ring that asked for events
 * has its callback run on each VIRQ, in hard interrupt context.
 */

#ifndef _LINUX_ARGO_H
#define _LINUX_ARGO_H

#include <linux/list.h>
#include <linux/math.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <xen/interface/argo.h>

struct argo_iface;
struct page;

#define ARGO_PAGE_SIZE		4096U
#define ARGO_RING_HEADER_SIZE	((u32)sizeof(struct xen_argo_ring))
#define ARGO_MSG_HEADER_SIZE	((u32)sizeof(struct xen_argo_ring_message_header))
/* Xen refuses a domain's ring registration beyond this many. */
#define ARGO_MAX_RINGS		128U
/* Smallest ring: a header, one payload slot and the slot kept free. */
#define ARGO_RING_LEN_MIN	(3 * XEN_ARGO_MSG_SLOT_SIZE)
/* Largest ring whose pages still fit the 4096-entry gfn list. */
#define ARGO_RING_LEN_MAX	(XEN_ARGO_MAX_RING_SIZE - ARGO_RING_HEADER_SIZE)

/**
 * argo_slot_roundup() - Round a length up to Argo's 16-byte message slots.
 * @len: length in bytes
 *
 * Return: @len rounded up to a multiple of 16.
 */
static inline u32 argo_slot_roundup(u32 len)
{
	return round_up(len, XEN_ARGO_MSG_SLOT_SIZE);
}

/**
 * argo_ring_npages() - Number of 4 KiB pages Xen requires for a ring.
 * @len: ring length in bytes, excluding the 64-byte ring header
 *
 * The page list given at registration must have exactly this many entries.
 *
 * Return: the number of pages.
 */
static inline unsigned int argo_ring_npages(u32 len)
{
	return DIV_ROUND_UP(argo_slot_roundup(len) + ARGO_RING_HEADER_SIZE,
			    ARGO_PAGE_SIZE);
}

/**
 * argo_ring_max_payload() - Largest payload an empty ring of @len accepts.
 * @len: ring length in bytes
 *
 * One message header and one free slot always stay out of reach.
 *
 * Return: the payload size in bytes.
 */
static inline u32 argo_ring_max_payload(u32 len)
{
	return len - ARGO_MSG_HEADER_SIZE - XEN_ARGO_MSG_SLOT_SIZE;
}

/**
 * struct argo_ring - A receive ring registered with Argo.
 * @iface: the Argo this ring is registered with
 * @aport: port of the ring
 * @partner: the one domain that may send here, or XEN_ARGO_DOMID_ANY
 * @event: run in hard interrupt context on every VIRQ_ARGO while the ring
 *	is registered, or NULL for a ring nobody needs to hear about (such a
 *	ring may be unregistered in atomic context)
 * @len: ring length in bytes (excluding the 64-byte header)
 * @npages: number of entries in @pages
 * @pages: the ring's pages, pages[0] starting with struct xen_argo_ring; the
 *	array belongs to the caller and must outlive the registration
 * @rx: ring offset of the next message to read; the owner serializes reads
 * @registered: set while the hypervisor knows the ring
 * @event_node: entry in the iface's event list (iface lock, RCU readers)
 *
 * Fill it with argo_ring_init(). Everything but @rx is constant while the
 * ring is registered.
 */
struct argo_ring {
	struct argo_iface *iface;
	u32 aport;
	u16 partner;
	void (*event)(struct argo_ring *ring);
	u32 len;
	unsigned int npages;
	struct page **pages;
	u32 rx;
	bool registered;
	struct list_head event_node;
};

/**
 * struct argo_msg - Location of one message in a ring, from argo_ring_peek().
 * @source: sender's domain and port, as filled in by the hypervisor
 * @type: the message_type the sender passed to sendv
 * @len: payload length in bytes
 * @payload: ring offset of the first payload byte
 * @next: ring offset of the following message
 */
struct argo_msg {
	struct xen_argo_addr source;
	u32 type;
	u32 len;
	u32 payload;
	u32 next;
};

struct argo_iface *argo_iface_default(void);
u16 argo_iface_domid(const struct argo_iface *iface);
const char *argo_iface_name(const struct argo_iface *iface);
unsigned int argo_rings_in_use(const struct argo_iface *iface);
u64 argo_virqs_handled(const struct argo_iface *iface);

void argo_ring_init(struct argo_ring *ring, struct argo_iface *iface,
		    u32 aport, u16 partner,
		    void (*event)(struct argo_ring *ring));
int argo_ring_register(struct argo_ring *ring, struct page **pages, u32 len,
		       u32 start, gfp_t gfp);
int argo_ring_reregister(struct argo_ring *ring, gfp_t gfp);
int argo_ring_unregister(struct argo_ring *ring);

int argo_ring_peek(struct argo_ring *ring, struct argo_msg *msg);
void argo_ring_read(const struct argo_ring *ring, const struct argo_msg *msg,
		    u32 offset, void *buf, u32 count);
void argo_ring_consume(struct argo_ring *ring, const struct argo_msg *msg);
int argo_ring_recv(struct argo_ring *ring, struct argo_msg *msg, void *buf,
		   u32 size);
u32 argo_ring_tx_ptr(const struct argo_ring *ring);

int argo_sendv(struct argo_iface *iface, u32 src_aport, u16 dst_domid,
	       u32 dst_aport, const struct kvec *iov, unsigned int niov,
	       u32 message_type);
int argo_notify(struct argo_iface *iface);
int argo_query(struct argo_iface *iface, struct xen_argo_ring_data_ent *ent,
	       unsigned int nent);

/* The simulated provider: domains of a hypervisor that lives in this kernel. */
struct argo_iface *argo_sim_domain_create(u16 domid);
void argo_sim_domain_destroy(struct argo_iface *iface);
void argo_sim_flush(struct argo_iface *iface);
u64 argo_sim_virqs_raised(const struct argo_iface *iface);

#endif /* _LINUX_ARGO_H */
