/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-argo transport, private interface between its files:
 *   virtio_argo_transport.c  discovery, virtio_config_ops, module
 *   virtio_argo_ctrl.c       session, requests and replies, inbound rings
 *   virtio_argo_vq.c         virtqueues: layout, kicks, used-ring delivery
 *   virtio_argo_dma.c        DMA ops that turn mappings into Argo transfers
 *   virtio_argo_debugfs.c    counters in debugfs, tracepoints
 */

#ifndef _VIRTIO_ARGO_H
#define _VIRTIO_ARGO_H

#include <linux/argo.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_argo.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

struct dentry;
struct platform_device;

/**
 * struct virtio_argo_ring_mem - A driver ring and the memory under it.
 * @ring: the Argo ring
 * @owner: the device the ring belongs to
 * @mem: the ring's memory, header included
 * @pages: the pages of @mem, as registered
 */
struct virtio_argo_ring_mem {
	struct argo_ring ring;
	struct virtio_argo_device *owner;
	void *mem;
	struct page *pages[];
};

/**
 * struct virtio_argo_vq - Transport state of one virtqueue.
 * @vq: the virtqueue; cleared (then rx_work flushed) before deletion
 * @lock: guards the kick state below
 * @avail_sent: avail index up to which the device has been told
 * @kick_deferred: a kick is waiting in @kick_work for ring space
 * @kick_work: sends kicks that found the device's data ring full
 * @descs: descriptors of the kick being built
 * @ring: avail entries of the kick being built
 * @kick_buf: the encoded kick
 * @kick_buf_size: size of @kick_buf
 * @used_idx: used index the used ring holds (under rx_lock)
 * @inflight: heads the device holds: set at kick (under @lock), cleared
 *	when their used element arrives or they are failed (under rx_lock)
 * @failing: heads being failed, a snapshot of @inflight (under rx_lock)
 * @awaited: heads of a kick made with interrupts off that the device only
 *	reads, which the kick waits for (virtio_argo_poll_used())
 * @interrupt_due: used elements arrived that the driver's callback has not
 *	been called for; rx_work calls it
 * @direct: the device writes the used ring itself (direct scheme)
 * @used_ring: direct scheme: the Argo ring mapping the used ring
 * @used_pages: its pages: a private header page, the used ring's pages,
 *	and the used ring's first page again
 */
struct virtio_argo_vq {
	struct virtqueue *vq;
	/* guards avail_sent and kick_deferred */
	spinlock_t lock;
	u16 avail_sent;
	bool kick_deferred;
	struct work_struct kick_work;
	struct virtio_argo_desc *descs;
	__le16 *ring;
	u8 *kick_buf;
	size_t kick_buf_size;
	u16 used_idx;
	unsigned long *inflight;
	unsigned long *failing;
	unsigned long *awaited;
	atomic_t interrupt_due;
	bool direct;
	struct argo_ring used_ring;
	struct page **used_pages;
};

/**
 * struct virtio_argo_stats - What a device counts, shown in debugfs.
 * @msgs_sent: Argo messages sent to the device
 * @bytes_sent: their payload bytes, protocol headers included
 * @msgs_received: Argo messages from the device, buffer-ring ones included
 * @bytes_received: their payload bytes, protocol headers included
 * @eagain: sends that found the device's ring full, retries included
 * @kicks: EVENT_AVAIL messages sent
 * @used: used elements delivered to the driver
 * @failed: buffers failed because the device is broken
 * @bounces: device-writable buffers filled through the driver data ring
 * @ring_maps: device-writable buffers given a ring of their own
 * @ring_budget_full: bounces of buffers that would have had a ring but for
 *	the buffer_rings budget
 * @irqs_off_waits: kicks made with interrupts off that waited for buffers
 *	the device only reads (virtio_argo_poll_used())
 * @buffer_rings: buffer rings this device holds now
 *
 * Exact, lock-free counts, cheap next to the hypercall each one goes with.
 */
struct virtio_argo_stats {
	atomic64_t msgs_sent;
	atomic64_t bytes_sent;
	atomic64_t msgs_received;
	atomic64_t bytes_received;
	atomic64_t eagain;
	atomic64_t kicks;
	atomic64_t used;
	atomic64_t failed;
	atomic64_t bounces;
	atomic64_t ring_maps;
	atomic64_t ring_budget_full;
	atomic64_t irqs_off_waits;
	atomic_t buffer_rings;
};

/**
 * struct virtio_argo_device - One virtio device behind Argo.
 * @vdev: the virtio device
 * @pdev: the platform device it was discovered as, parent of @vdev
 * @argo: this domain's Argo
 * @backend_domid: device's domain
 * @backend_port: device control ring's port
 * @backend_data_port: device data ring's port, from the HELLO reply
 * @peer_caps: capabilities both sides agreed on in HELLO
 * @device_id: virtio device id from discovery
 * @index: number of this device, for its ring ports
 * @own: limits this side decodes with
 * @peer: limits the device announced, used to encode
 * @queue_sizes: size of each queue, for @own and @peer
 * @ctrl: driver control ring: replies and config events
 * @data: driver data ring: DATA_TO_DRIVER
 * @used: driver used ring: EVENT_USED for every queue
 * @vqs: per-queue state, @own.num_queues entries
 * @req_mutex: serializes requests, so one is in flight
 * @lock: guards @pending and @broken against the receive path
 * @pending: the request awaiting its reply, or NULL
 * @next_id: request id of the next request
 * @broken: the device misbehaved or vanished; every buffer is failed
 * @status: the device status the driver last set (req_mutex)
 * @held: buffer chains the device holds, over all queues
 * @watchdog: checks that a device holding buffers is still there
 * @watchdog_used: the used count the watchdog saw last (watchdog only)
 * @space: woken on every VIRQ, for senders waiting for ring space
 * @virqs: VIRQs seen, so a waiter knows one came
 * @broken_work: marks the virtqueues broken outside interrupt context
 * @refail_work: has rx_work fail the buffers kicked to a broken device,
 *	VIRTIO_ARGO_REFAIL_MS after the first such kick
 * @rx_lock: guards the reading of the data, used and direct used rings, and
 *	the used rings' updates: taken by rx_work and by a kick that waits for
 *	its buffers with interrupts off (virtio_argo_poll_used())
 * @rx_work: takes in what the device sent, runs the queue callbacks; the
 *	only reader of the control ring
 * @request_buf: the request being sent (req_mutex)
 * @reply_buf: the pending request's reply, as received
 * @reply_len: bytes in @reply_buf
 * @used_buf: the used event being applied (under @rx_lock)
 * @stats: counters, for debugfs
 */
struct virtio_argo_device {
	struct virtio_device vdev;
	struct platform_device *pdev;
	struct argo_iface *argo;
	u16 backend_domid;
	u32 backend_port;
	u32 backend_data_port;
	u32 peer_caps;
	u32 device_id;
	unsigned int index;

	struct virtio_argo_limits own;
	struct virtio_argo_limits peer;
	u16 *queue_sizes;

	struct virtio_argo_ring_mem *ctrl;
	struct virtio_argo_ring_mem *data;
	struct virtio_argo_ring_mem *used;
	struct virtio_argo_vq *vqs;

	/* one request in flight */
	struct mutex req_mutex;
	/* guards pending, reply_len and broken against the receive path */
	spinlock_t lock;
	struct completion *pending;
	u32 next_id;
	bool broken;
	u8 status;
	atomic_t held;
	struct delayed_work watchdog;
	u64 watchdog_used;
	wait_queue_head_t space;
	atomic_t virqs;
	struct work_struct broken_work;
	struct delayed_work refail_work;
	/* guards the reading of the rings used elements come by */
	spinlock_t rx_lock;
	struct work_struct rx_work;
	u8 *request_buf;
	u8 *reply_buf;
	size_t reply_len;
	u8 *used_buf;
	struct virtio_argo_stats stats;
};

static inline struct virtio_argo_device *
to_virtio_argo(struct virtio_device *vdev)
{
	return container_of(vdev, struct virtio_argo_device, vdev);
}

/* Count a message taken from one of the driver's rings. */
static inline void virtio_argo_count_rx(struct virtio_argo_device *vadev,
					const struct argo_msg *amsg)
{
	atomic64_inc(&vadev->stats.msgs_received);
	atomic64_add(amsg->len, &vadev->stats.bytes_received);
}

/* Ports of a device's rings (n < 16): outside the buffer-ring range. */
#define VIRTIO_ARGO_DRIVER_PORT(index, n)	(0x56410000U | (index) << 4 | (n))
/* Control, data and plain used rings take n = 0..2; direct ones follow. */
#define VIRTIO_ARGO_DIRECT_PORT_FIRST	3
#define VIRTIO_ARGO_DIRECT_QUEUES_MAX	(16 - VIRTIO_ARGO_DIRECT_PORT_FIRST)

/* Largest message this side receives: what its rings take. */
#define VIRTIO_ARGO_RING_LEN		(64U * 1024 - ARGO_RING_HEADER_SIZE)
#define VIRTIO_ARGO_OWN_MAX_MSG		argo_ring_max_payload(VIRTIO_ARGO_RING_LEN)
/* Largest used event: a full batch of elements. */
#define VIRTIO_ARGO_USED_MSG_MAX	(sizeof(struct virtio_argo_hdr) + \
					 sizeof(struct virtio_argo_event_used) + \
					 VIRTIO_ARGO_MAX_BATCH * \
					 sizeof(struct virtio_argo_used_elem))
/*
 * Buffers kicked to a broken device fail in rounds this far apart: a
 * driver may give each failed buffer straight back (virtio_console refills
 * its receive queue from the callback), which would otherwise keep a CPU
 * failing it.
 */
#define VIRTIO_ARGO_REFAIL_MS		100

/* virtio_argo_ctrl.c */
extern unsigned int virtio_argo_timeout_ms;
int virtio_argo_session_open(struct virtio_argo_device *vadev,
			     unsigned int max_queues,
			     unsigned int max_queue_size);
void virtio_argo_session_close(struct virtio_argo_device *vadev);
int virtio_argo_request(struct virtio_argo_device *vadev,
			struct virtio_argo_msg *req,
			struct virtio_argo_msg *reply);
int virtio_argo_send(struct virtio_argo_device *vadev, u32 port,
		     const void *msg, size_t len, const void *bytes,
		     size_t nbytes, bool may_sleep);
void virtio_argo_set_broken(struct virtio_argo_device *vadev,
			    const char *why, int err);
int virtio_argo_data_rx(struct virtio_argo_device *vadev);
unsigned int virtio_argo_take_used(struct virtio_argo_device *vadev);

/* virtio_argo_vq.c */
int virtio_argo_setup_vq(struct virtio_argo_device *vadev, unsigned int index,
			 const char *name, vq_callback_t *callback, bool ctx,
			 struct virtqueue **vqp);
void virtio_argo_del_vqs(struct virtio_device *vdev);
int virtio_argo_apply_used(struct virtio_argo_device *vadev,
			   const struct virtio_argo_msg *msg);
int virtio_argo_direct_rx(struct virtio_argo_device *vadev);
void virtio_argo_fail_inflight(struct virtio_argo_device *vadev);
void virtio_argo_run_callbacks(struct virtio_argo_device *vadev);
void virtio_argo_reset_vqs(struct virtio_argo_device *vadev);

/* virtio_argo_dma.c */
extern const struct dma_map_ops virtio_argo_dma_ops;
int virtio_argo_deliver_data(struct virtio_argo_device *vadev,
			     const struct virtio_argo_msg *msg,
			     const struct argo_msg *amsg, u32 bytes_at);
void virtio_argo_dma_release(struct virtio_argo_device *vadev);
void virtio_argo_dma_fail_writable(struct virtio_argo_device *vadev);
void virtio_argo_dma_debugfs(struct dentry *dir);

/* virtio_argo_debugfs.c */
void virtio_argo_debugfs_init(void);
void virtio_argo_debugfs_exit(void);
void virtio_argo_debugfs_add(struct virtio_argo_device *vadev);
void virtio_argo_debugfs_remove(struct virtio_argo_device *vadev);

#endif /* _VIRTIO_ARGO_H */
