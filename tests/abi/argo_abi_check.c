// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time check of include/xen/interface/argo.h against Xen's own public
 * header from Debian's libxen-dev: every size, field offset and constant
 * must match, or this file does not compile. Nothing here runs.
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/argo.h>

/* Record Xen's layout before our header reuses the same names. */
enum xen_layout {
	iov_size = sizeof(xen_argo_iov_t),
	iov_iov_len = offsetof(xen_argo_iov_t, iov_len),
	xen_iov_pad = offsetof(xen_argo_iov_t, pad),
	addr_size = sizeof(xen_argo_addr_t),
	addr_domain_id = offsetof(xen_argo_addr_t, domain_id),
	xen_addr_pad = offsetof(xen_argo_addr_t, pad),
	send_addr_size = sizeof(xen_argo_send_addr_t),
	send_addr_dst = offsetof(xen_argo_send_addr_t, dst),
	ring_size = sizeof(xen_argo_ring_t),
	ring_tx_ptr = offsetof(xen_argo_ring_t, tx_ptr),
	xen_ring_reserved = offsetof(xen_argo_ring_t, reserved),
	xen_ring_ring = offsetof(xen_argo_ring_t, ring),
	reg_size = sizeof(xen_argo_register_ring_t),
	reg_partner_id = offsetof(xen_argo_register_ring_t, partner_id),
	xen_reg_pad = offsetof(xen_argo_register_ring_t, pad),
	xen_reg_len = offsetof(xen_argo_register_ring_t, len),
	unreg_size = sizeof(xen_argo_unregister_ring_t),
	unreg_partner_id = offsetof(xen_argo_unregister_ring_t, partner_id),
	xen_unreg_pad = offsetof(xen_argo_unregister_ring_t, pad),
	ent_size = sizeof(xen_argo_ring_data_ent_t),
	ent_flags = offsetof(xen_argo_ring_data_ent_t, flags),
	xen_ent_pad = offsetof(xen_argo_ring_data_ent_t, pad),
	xen_ent_space = offsetof(xen_argo_ring_data_ent_t, space_required),
	xen_ent_max = offsetof(xen_argo_ring_data_ent_t, max_message_size),
	data_size = sizeof(xen_argo_ring_data_t),
	data_data = offsetof(xen_argo_ring_data_t, data),
	msg_size = sizeof(struct xen_argo_ring_message_header),
	msg_source = offsetof(struct xen_argo_ring_message_header, source),
	xen_msg_type = offsetof(struct xen_argo_ring_message_header,
				message_type),
	xen_msg_data = offsetof(struct xen_argo_ring_message_header, data),
	xen_gfn_size = sizeof(xen_argo_gfn_t),
	xen_op_register = XEN_ARGO_OP_register_ring,
	xen_op_unregister = XEN_ARGO_OP_unregister_ring,
	xen_op_sendv = XEN_ARGO_OP_sendv,
	xen_op_notify = XEN_ARGO_OP_notify,
	xen_flag_fail_exist = XEN_ARGO_REGISTER_FLAG_FAIL_EXIST,
	xen_domid_any = XEN_ARGO_DOMID_ANY,
	xen_max_ring = XEN_ARGO_MAX_RING_SIZE,
	xen_maxiov = XEN_ARGO_MAXIOV,
	xen_slot = XEN_ARGO_MSG_SLOT_SIZE,
	xen_ring_flags = XEN_ARGO_RING_EXISTS | XEN_ARGO_RING_SHARED << 8 |
			 XEN_ARGO_RING_EMPTY << 16 |
			 XEN_ARGO_RING_SUFFICIENT << 24,
	xen_ring_flags2 = XEN_ARGO_RING_EMSGSIZE | XEN_ARGO_RING_EBUSY << 8,
	xen_virq = VIRQ_ARGO,
	xen_hypercall = __HYPERVISOR_argo_op,
};

#undef __XEN_PUBLIC_ARGO_H__
#undef __HYPERVISOR_argo_op
#undef VIRQ_ARGO
#undef XEN_ARGO_DOMID_ANY
#undef XEN_ARGO_MAX_RING_SIZE
#undef XEN_ARGO_MAXIOV
#undef XEN_ARGO_MSG_SLOT_SIZE
#undef XEN_ARGO_RING_EXISTS
#undef XEN_ARGO_RING_SHARED
#undef XEN_ARGO_RING_EMPTY
#undef XEN_ARGO_RING_SUFFICIENT
#undef XEN_ARGO_RING_EMSGSIZE
#undef XEN_ARGO_RING_EBUSY
#undef XEN_ARGO_OP_register_ring
#undef XEN_ARGO_OP_unregister_ring
#undef XEN_ARGO_OP_sendv
#undef XEN_ARGO_OP_notify
#undef XEN_ARGO_REGISTER_FLAG_FAIL_EXIST
#define xen_argo_iov ours_iov
#define xen_argo_addr ours_addr
#define xen_argo_send_addr ours_send_addr
#define xen_argo_ring ours_ring
#define xen_argo_register_ring ours_register_ring
#define xen_argo_unregister_ring ours_unregister_ring
#define xen_argo_ring_data_ent ours_ring_data_ent
#define xen_argo_ring_data ours_ring_data
#define xen_argo_ring_message_header ours_message_header
#define xen_argo_gfn_t ours_gfn_t
#define xen_argo_port_t ours_port_t

#include "../../include/xen/interface/argo.h"

#define SAME(a, b) static_assert((a) == (b), #a " differs from Xen's " #b)

SAME(sizeof(struct ours_iov), iov_size);
SAME(offsetof(struct ours_iov, iov_len), iov_iov_len);
SAME(offsetof(struct ours_iov, pad), xen_iov_pad);
SAME(sizeof(struct ours_addr), addr_size);
SAME(offsetof(struct ours_addr, domain_id), addr_domain_id);
SAME(offsetof(struct ours_addr, pad), xen_addr_pad);
SAME(sizeof(struct ours_send_addr), send_addr_size);
SAME(offsetof(struct ours_send_addr, dst), send_addr_dst);
SAME(sizeof(struct ours_ring), ring_size);
SAME(offsetof(struct ours_ring, tx_ptr), ring_tx_ptr);
SAME(offsetof(struct ours_ring, reserved), xen_ring_reserved);
SAME(offsetof(struct ours_ring, ring), xen_ring_ring);
SAME(sizeof(struct ours_register_ring), reg_size);
SAME(offsetof(struct ours_register_ring, partner_id), reg_partner_id);
SAME(offsetof(struct ours_register_ring, pad), xen_reg_pad);
SAME(offsetof(struct ours_register_ring, len), xen_reg_len);
SAME(sizeof(struct ours_unregister_ring), unreg_size);
SAME(offsetof(struct ours_unregister_ring, partner_id), unreg_partner_id);
SAME(offsetof(struct ours_unregister_ring, pad), xen_unreg_pad);
SAME(sizeof(struct ours_ring_data_ent), ent_size);
SAME(offsetof(struct ours_ring_data_ent, flags), ent_flags);
SAME(offsetof(struct ours_ring_data_ent, pad), xen_ent_pad);
SAME(offsetof(struct ours_ring_data_ent, space_required), xen_ent_space);
SAME(offsetof(struct ours_ring_data_ent, max_message_size), xen_ent_max);
SAME(sizeof(struct ours_ring_data), data_size);
SAME(offsetof(struct ours_ring_data, data), data_data);
SAME(sizeof(struct ours_message_header), msg_size);
SAME(offsetof(struct ours_message_header, source), msg_source);
SAME(offsetof(struct ours_message_header, message_type), xen_msg_type);
SAME(offsetof(struct ours_message_header, data), xen_msg_data);
SAME(sizeof(ours_gfn_t), xen_gfn_size);
SAME(XEN_ARGO_OP_register_ring, xen_op_register);
SAME(XEN_ARGO_OP_unregister_ring, xen_op_unregister);
SAME(XEN_ARGO_OP_sendv, xen_op_sendv);
SAME(XEN_ARGO_OP_notify, xen_op_notify);
SAME(XEN_ARGO_REGISTER_FLAG_FAIL_EXIST, xen_flag_fail_exist);
SAME(XEN_ARGO_DOMID_ANY, xen_domid_any);
SAME(XEN_ARGO_MAX_RING_SIZE, xen_max_ring);
SAME(XEN_ARGO_MAXIOV, xen_maxiov);
SAME(XEN_ARGO_MSG_SLOT_SIZE, xen_slot);
SAME(XEN_ARGO_RING_EXISTS | XEN_ARGO_RING_SHARED << 8 |
	XEN_ARGO_RING_EMPTY << 16 | XEN_ARGO_RING_SUFFICIENT << 24,
	xen_ring_flags);
SAME(XEN_ARGO_RING_EMSGSIZE | XEN_ARGO_RING_EBUSY << 8, xen_ring_flags2);
SAME(VIRQ_ARGO, xen_virq);
SAME(__HYPERVISOR_argo_op, xen_hypercall);
