/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of the virtio-argo transport (virtio_argo.ko): kicks as they
 * are sent, and interrupts dispatched to virtqueues. Created in
 * virtio_argo_debugfs.c; the Makefile gives that object -I$(src) so that
 * define_trace.h finds this file again, in and out of the kernel tree.
 * Events name the device as its log lines and debugfs directory do.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM virtio_argo

#if !defined(_VIRTIO_ARGO_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VIRTIO_ARGO_TRACE_H

#include <linux/platform_device.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "virtio_argo.h"

/* Room for a device name; longer ones are cut. */
#define VIRTIO_ARGO_TRACE_NAME_LEN	32

TRACE_EVENT(virtio_argo_kick,
	    TP_PROTO(const struct virtio_argo_device *vadev,
		     unsigned int queue, u16 avail_idx, unsigned int navail,
		     unsigned int ndescs, int ret),
	    TP_ARGS(vadev, queue, avail_idx, navail, ndescs, ret),
	    TP_STRUCT__entry(__array(char, dev, VIRTIO_ARGO_TRACE_NAME_LEN)
			     __field(unsigned int, queue)
			     __field(u16, avail_idx)
			     __field(unsigned int, navail)
			     __field(unsigned int, ndescs)
			     __field(int, ret)),
	    TP_fast_assign(strscpy(__entry->dev, dev_name(&vadev->pdev->dev),
				   VIRTIO_ARGO_TRACE_NAME_LEN);
			   __entry->queue = queue;
			   __entry->avail_idx = avail_idx;
			   __entry->navail = navail;
			   __entry->ndescs = ndescs;
			   __entry->ret = ret;),
	    TP_printk("%s queue %u avail idx %u: %u heads, %u descriptors, ret %d",
		      __entry->dev, __entry->queue, __entry->avail_idx,
		      __entry->navail, __entry->ndescs, __entry->ret)
);

TRACE_EVENT(virtio_argo_vq_interrupt,
	    TP_PROTO(const struct virtio_argo_device *vadev,
		     unsigned int queue, u16 used_idx, unsigned int nused,
		     bool failed),
	    TP_ARGS(vadev, queue, used_idx, nused, failed),
	    TP_STRUCT__entry(__array(char, dev, VIRTIO_ARGO_TRACE_NAME_LEN)
			     __field(unsigned int, queue)
			     __field(u16, used_idx)
			     __field(unsigned int, nused)
			     __field(bool, failed)),
	    TP_fast_assign(strscpy(__entry->dev, dev_name(&vadev->pdev->dev),
				   VIRTIO_ARGO_TRACE_NAME_LEN);
			   __entry->queue = queue;
			   __entry->used_idx = used_idx;
			   __entry->nused = nused;
			   __entry->failed = failed;),
	    TP_printk("%s queue %u used idx %u: %u %s", __entry->dev,
		      __entry->queue, __entry->used_idx, __entry->nused,
		      __entry->failed ? "failed" : "used")
);

#endif /* _VIRTIO_ARGO_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE virtio_argo_trace
#include <trace/define_trace.h>
