/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the Argo layer (argo.ko): every hypercall with its result,
 * and every VIRQ_ARGO. Created in argo_core.c; the Makefile gives that
 * object -I$(src) so that define_trace.h finds this file again, in and out
 * of the kernel tree.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM argo

#if !defined(_ARGO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ARGO_TRACE_H

#include <linux/tracepoint.h>

#include "argo_internal.h"

TRACE_EVENT(argo_sendv,
	    TP_PROTO(const struct argo_iface *iface,
		     const struct xen_argo_send_addr *addr,
		     const struct kvec *iov, unsigned int niov,
		     u32 message_type, int ret),
	    TP_ARGS(iface, addr, iov, niov, message_type, ret),
	    TP_STRUCT__entry(__field(u16, domid)
			     __field(u32, src_port)
			     __field(u16, dst_domid)
			     __field(u32, dst_port)
			     __field(u32, message_type)
			     __field(u32, len)
			     __field(int, ret)),
	    TP_fast_assign(__entry->domid = iface->domid;
			   __entry->src_port = addr->src.aport;
			   __entry->dst_domid = addr->dst.domain_id;
			   __entry->dst_port = addr->dst.aport;
			   __entry->message_type = message_type;
			   __entry->len = argo_kvec_len(iov, niov);
			   __entry->ret = ret;),
	    TP_printk("%u:%#x -> %u:%#x type %#x len %u ret %d",
		      __entry->domid, __entry->src_port, __entry->dst_domid,
		      __entry->dst_port, __entry->message_type, __entry->len,
		      __entry->ret)
);

TRACE_EVENT(argo_ring_register,
	    TP_PROTO(const struct argo_ring *ring, unsigned int flags,
		     int ret),
	    TP_ARGS(ring, flags, ret),
	    TP_STRUCT__entry(__field(u16, domid)
			     __field(u32, port)
			     __field(u16, partner)
			     __field(u32, len)
			     __field(unsigned int, flags)
			     __field(int, ret)),
	    TP_fast_assign(__entry->domid = ring->iface->domid;
			   __entry->port = ring->aport;
			   __entry->partner = ring->partner;
			   __entry->len = ring->len;
			   __entry->flags = flags;
			   __entry->ret = ret;),
	    TP_printk("ring %u:%#x partner %u len %u flags %#x ret %d",
		      __entry->domid, __entry->port, __entry->partner,
		      __entry->len, __entry->flags, __entry->ret)
);

TRACE_EVENT(argo_ring_unregister,
	    TP_PROTO(const struct argo_ring *ring, int ret),
	    TP_ARGS(ring, ret),
	    TP_STRUCT__entry(__field(u16, domid)
			     __field(u32, port)
			     __field(u16, partner)
			     __field(u32, len)
			     __field(int, ret)),
	    TP_fast_assign(__entry->domid = ring->iface->domid;
			   __entry->port = ring->aport;
			   __entry->partner = ring->partner;
			   __entry->len = ring->len;
			   __entry->ret = ret;),
	    TP_printk("ring %u:%#x partner %u len %u ret %d",
		      __entry->domid, __entry->port, __entry->partner,
		      __entry->len, __entry->ret)
);

TRACE_EVENT(argo_notify,
	    TP_PROTO(const struct argo_iface *iface, unsigned int nent,
		     int ret),
	    TP_ARGS(iface, nent, ret),
	    TP_STRUCT__entry(__field(u16, domid)
			     __field(unsigned int, nent)
			     __field(int, ret)),
	    TP_fast_assign(__entry->domid = iface->domid;
			   __entry->nent = nent;
			   __entry->ret = ret;),
	    TP_printk("domain %u queries %u ret %d", __entry->domid,
		      __entry->nent, __entry->ret)
);

TRACE_EVENT(argo_virq,
	    TP_PROTO(const struct argo_iface *iface, unsigned int rings),
	    TP_ARGS(iface, rings),
	    TP_STRUCT__entry(__field(u16, domid)
			     __field(unsigned int, rings)),
	    TP_fast_assign(__entry->domid = iface->domid;
			   __entry->rings = rings;),
	    TP_printk("domain %u: %u ring callbacks run", __entry->domid,
		      __entry->rings)
);

#endif /* _ARGO_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE argo_trace
#include <trace/define_trace.h>
