/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The test's driver of the device-side suites (backend_kunit.c,
 * backend_net_kunit.c): a driver domain and a device domain on the
 * simulated Argo provider, and a minimal driver that speaks the codec over
 * polled rings. Helpers that assert abort the calling test.
 */
#ifndef VIRTIO_ARGO_BACKEND_HARNESS_H
#define VIRTIO_ARGO_BACKEND_HARNESS_H

#include <kunit/test.h>
#include <linux/argo.h>
#include <linux/types.h>
#include <linux/virtio_argo.h>

#include "../../drivers/virtio/virtio_argo_backend.h"

#define BT_DRV_DOMID	0x31
#define BT_DEV_DOMID	0x32
#define BT_DEV_CTRL	0x56410010
#define BT_DEV_DATA	0x56410011
#define BT_DRV_CTRL	0x100
#define BT_DRV_DATA	0x101
#define BT_DRV_USED	0x102
/* The driver's rings; the device's are the suite's choice. */
#define BT_RING_LEN	(64 * 1024 - 64)
#define BT_MSG_MAX	(BT_RING_LEN - 32)
#define BT_QSIZE	16
#define BT_MAX_BATCH	64
/* Device-writable "guest memory": BT_NIDS mappings of BT_MEM bytes. */
#define BT_NIDS		16
#define BT_MEM		8192
#define BT_TIMEOUT_MS	3000

/* Tokens as constant expressions, for descriptor tables. */
#define BT_TOKEN(kind, id) \
	((u64)VIRTIO_ARGO_TOKEN_##kind << VIRTIO_ARGO_TOKEN_KIND_SHIFT | \
	 (u64)(id) << VIRTIO_ARGO_TOKEN_ID_SHIFT)
#define OUT(id)		BT_TOKEN(OUT, id)
#define IN(id)		BT_TOKEN(IN, id)

#define BT_DESC(s, a, l, f, n) {					\
	.addr = cpu_to_le64(a), .len = cpu_to_le32(l),			\
	.flags = cpu_to_le16(f), .next = cpu_to_le16(n),		\
	.slot = cpu_to_le16(s) }

/**
 * struct bt_ring - A ring of the test's driver.
 * @ring: the ring
 * @pages: its pages
 * @npages: how many
 */
struct bt_ring {
	struct argo_ring ring;
	struct page **pages;
	unsigned int npages;
};

/**
 * struct bt - The test's driver and the device under test.
 * @test: the running test
 * @drv: the driver domain
 * @devd: the device domain
 * @dev: the device, once a test made one
 * @destroy: how to destroy @dev
 * @dev_ring_len: length of each of the device's rings
 * @mem_len: bytes of each mapping of @mem the device may write
 * @ctrl: driver control ring
 * @data: driver data ring
 * @used: driver used ring of every queue
 * @lim: what the driver accepts
 * @peer: what the device accepts
 * @qsizes: queue sizes for both limits
 * @req_id: last request id
 * @avail_idx: avail idx of each queue
 * @used_idx: used idx seen of each queue
 * @config_events: EVENT_CONFIG messages seen
 * @rx: received message
 * @tx: message to send
 * @mem: device-writable buffers, by mapping id
 *
 * A suite embeds it in its own state, zeroed, and sets it up with
 * bt_init().
 */
struct bt {
	struct kunit *test;
	struct argo_iface *drv;
	struct argo_iface *devd;
	struct vab_dev *dev;
	void (*destroy)(struct vab_dev *dev);
	u32 dev_ring_len;
	u32 mem_len;
	struct bt_ring ctrl;
	struct bt_ring data;
	struct bt_ring used;
	struct virtio_argo_limits lim;
	struct virtio_argo_limits peer;
	u16 qsizes[2];
	u32 req_id;
	u16 avail_idx[2];
	u16 used_idx[2];
	unsigned int config_events;
	u8 *rx;
	u8 *tx;
	u8 (*mem)[BT_MEM];
};

void bt_ring_release(struct bt_ring *r);
int bt_ring_setup(struct bt *bt, struct bt_ring *r, u32 port, u32 len,
		  u32 start);
void bt_init(struct kunit *test, struct bt *bt, u32 dev_ring_len,
	     u32 mem_len);
void bt_exit(struct bt *bt);
struct vab_dev_params bt_params(struct bt *bt, const char *name);
int bt_send_raw(struct bt *bt, u32 port, const void *buf, size_t len,
		u32 mtype);
void bt_send(struct bt *bt, u32 port, const struct virtio_argo_msg *m);
int bt_recv(struct bt *bt, struct bt_ring *r, struct virtio_argo_msg *m);
u16 bt_call(struct bt *bt, struct virtio_argo_msg *req,
	    struct virtio_argo_msg *rep);
u16 bt_simple(struct bt *bt, u8 type, struct virtio_argo_msg *rep);
u32 bt_set_status(struct bt *bt, u32 status);
void bt_hello(struct bt *bt, u32 caps, struct virtio_argo_msg *rep);
u16 bt_set_features(struct bt *bt, u64 features);
u16 bt_set_vqueue(struct bt *bt, u16 index, u16 size, u8 scheme);
void bt_bringup_scheme(struct bt *bt, u32 caps, u64 features, u16 nq,
		       u8 scheme);
void bt_bringup_queues(struct bt *bt, u32 caps, u64 features, u16 nq);
void bt_data(struct bt *bt, u32 id, u32 offset, const void *bytes, u32 size);
void bt_kick_q(struct bt *bt, u16 q, const struct virtio_argo_desc *descs,
	       u16 ndescs, const u16 *heads, u16 nheads);
void bt_drain_data(struct bt *bt);
void bt_used_n(struct bt *bt, u16 q, u16 n, u16 *heads, u32 *lens);
u32 bt_used_q(struct bt *bt, u16 q, u16 head);
void bt_expect_no_used(struct bt *bt);

#endif /* VIRTIO_ARGO_BACKEND_HARNESS_H */
