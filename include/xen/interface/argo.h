/* SPDX-License-Identifier: MIT */
/*
 * Argo hypercall interface: the guest-visible ABI of Xen's xen/common/argo.c
 * (Xen 4.12 and later). Linux ships no copy of Xen's public/argo.h, so this
 * is our own description of it; tests/abi/argo_abi_check.c checks every size,
 * offset and constant against the header from Debian's libxen-dev.
 *
 * All structures are little-endian x86 layouts shared with the hypervisor.
 */

#ifndef __XEN_PUBLIC_ARGO_H__
#define __XEN_PUBLIC_ARGO_H__

#include <linux/types.h>

/* Hypercall number; Linux's xen.h calls it __HYPERVISOR_xc_reserved_op. */
#define __HYPERVISOR_argo_op		39
/* Global VIRQ raised in a domain for every message delivered to it. */
#define VIRQ_ARGO			11

/* Argo commands: the first hypercall argument. */
#define XEN_ARGO_OP_register_ring	1
#define XEN_ARGO_OP_unregister_ring	2
#define XEN_ARGO_OP_sendv		3
#define XEN_ARGO_OP_notify		4

/* register_ring flag: fail with -EEXIST rather than re-register. */
#define XEN_ARGO_REGISTER_FLAG_FAIL_EXIST	0x1

/* Wildcard partner (any domain may send); equal to DOMID_INVALID. */
#define XEN_ARGO_DOMID_ANY		0x7FF4U

/* Largest ring, in bytes of ring data. */
#define XEN_ARGO_MAX_RING_SIZE		0x1000000U
/* Most iovs one sendv may carry. */
#define XEN_ARGO_MAXIOV			8U
/* Messages start on, and are padded to, slots of this many bytes. */
#define XEN_ARGO_MSG_SLOT_SIZE		0x10U

/* Guest frame number as passed to register_ring, one per 4 KiB page. */
typedef __u64 xen_argo_gfn_t;
typedef __u32 xen_argo_port_t;

/* One buffer of a sendv: a guest virtual address and its length. */
struct xen_argo_iov {
	__u64 iov_hnd;
	__u32 iov_len;
	__u32 pad;
};

/* An Argo endpoint: (domain, port). */
struct xen_argo_addr {
	xen_argo_port_t aport;
	__u16 domain_id;
	__u16 pad;
};

/* sendv argument: src.domain_id may be XEN_ARGO_DOMID_ANY (the caller). */
struct xen_argo_send_addr {
	struct xen_argo_addr src;
	struct xen_argo_addr dst;
};

/*
 * Head of the first page of every ring. The owner writes rx_ptr; Xen reads
 * tx_ptr from here only when the ring is registered, then keeps its own copy
 * and writes it back after every message. Ring data starts at byte 64.
 */
struct xen_argo_ring {
	__u32 rx_ptr;
	__u32 tx_ptr;
	__u8 reserved[56];
	__u8 ring[];
};

struct xen_argo_register_ring {
	xen_argo_port_t aport;
	__u16 partner_id;
	__u16 pad;
	__u32 len;
};

struct xen_argo_unregister_ring {
	xen_argo_port_t aport;
	__u16 partner_id;
	__u16 pad;
};

/* Flags reported by notify for each queried ring. */
#define XEN_ARGO_RING_EXISTS		0x01U
#define XEN_ARGO_RING_SHARED		0x02U
#define XEN_ARGO_RING_EMPTY		0x04U
#define XEN_ARGO_RING_SUFFICIENT	0x08U
#define XEN_ARGO_RING_EMSGSIZE		0x10U
#define XEN_ARGO_RING_EBUSY		0x20U

/* One notify query: is there space_required bytes of room on ring? */
struct xen_argo_ring_data_ent {
	struct xen_argo_addr ring;
	__u16 flags;
	__u16 pad;
	__u32 space_required;
	__u32 max_message_size;
};

struct xen_argo_ring_data {
	__u32 nent;
	__u32 pad;
	struct xen_argo_ring_data_ent data[];
};

/* Written by Xen in front of every message; len includes this header. */
struct xen_argo_ring_message_header {
	__u32 len;
	struct xen_argo_addr source;
	__u32 message_type;
	__u8 data[];
};

#endif /* __XEN_PUBLIC_ARGO_H__ */
