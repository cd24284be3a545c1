/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-argo device side: the interface between the engine (sessions,
 * rings, shadow vrings; virtio_argo_backend_session.c and _vring.c) and the
 * device models (virtio_argo_backend_blk.c, _rng.c, _console.c, _net.c).
 * Documentation/device-side.rst describes the design.
 *
 * A model never sees Argo, tokens or the wire protocol: it describes its
 * device (id, queues, features, config space), and when the engine calls
 * its queue_notify() it pops requests, reads the device-readable bytes,
 * writes the device-writable bytes and completes each request. Everything
 * runs in process context, under the device lock, one request per queue at
 * a time.
 */

#ifndef _VIRTIO_ARGO_BACKEND_H
#define _VIRTIO_ARGO_BACKEND_H

#include <linux/argo.h>
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/virtio_argo.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct file;
struct vab_dev;
struct vab_req;

/**
 * struct vab_dev_params - Where and how a device is served.
 * @iface: the Argo of the domain the device lives in
 * @partner: the driver domain the rings accept, or XEN_ARGO_DOMID_ANY
 * @ctrl_port: port of the device control ring, which drivers are told about
 * @data_port: port of the device data ring, announced in the HELLO reply
 * @ring_len: length of each of the two rings, in bytes; it bounds the
 *	largest message the device takes
 * @buffer_budget: most bytes of driver buffer data one session may keep
 * @name: for log messages
 */
struct vab_dev_params {
	struct argo_iface *iface;
	u16 partner;
	u32 ctrl_port;
	u32 data_port;
	u32 ring_len;
	size_t buffer_budget;
	const char *name;
};

/**
 * struct vab_device_ops - What a device model tells the engine.
 * @device_id: virtio device id
 * @num_queues: number of virtqueues
 * @max_queue_size: largest queue size offered, a power of two
 * @queue_notify: the driver made buffers available in queue @index; pop
 *	and complete them with vab_queue_pop() and vab_req_done()
 */
struct vab_device_ops {
	u32 device_id;
	u16 num_queues;
	u16 max_queue_size;
	void (*queue_notify)(struct vab_dev *dev, u16 index);
};

/* Most key=value options in one device specification. */
#define VAB_MAX_OPTS	8

/**
 * struct vab_opts - The options of one device specification.
 * @n: number of options
 * @key: option names
 * @val: option values, as strings
 */
struct vab_opts {
	unsigned int n;
	const char *key[VAB_MAX_OPTS];
	const char *val[VAB_MAX_OPTS];
};

/**
 * struct vab_model - A device type that the devices= parameter can name.
 * @name: type name, as in "blk:port=..."
 * @keys: NULL-terminated option keys the type takes besides the common ones
 * @create: make a device from parsed options (vab_opt_*() reads them)
 * @destroy: stop and free a device @create made
 */
struct vab_model {
	const char *name;
	const char *const *keys;
	struct vab_dev *(*create)(const struct vab_dev_params *params,
				  const struct vab_opts *opts);
	void (*destroy)(struct vab_dev *dev);
};

const char *vab_opt_str(const struct vab_opts *opts, const char *key);
int vab_opt_u32(const struct vab_opts *opts, const char *key, u32 def,
		u32 *val);

/* Engine: device lifetime (virtio_argo_backend_session.c). */
int vab_engine_init(void);
void vab_engine_exit(void);
struct vab_dev *vab_dev_create(const struct vab_dev_params *params,
			       const struct vab_device_ops *ops, u64 features,
			       const void *config, u32 config_size,
			       void *priv);
void vab_dev_destroy(struct vab_dev *dev);
void *vab_dev_priv(const struct vab_dev *dev);
void vab_dev_kick(struct vab_dev *dev, u16 index);
u64 vab_dev_dropped(struct vab_dev *dev);

/* Engine: requests (virtio_argo_backend_vring.c). */
struct vab_req *vab_queue_pop(struct vab_dev *dev, u16 index);
u32 vab_req_readable(const struct vab_req *req);
u32 vab_req_writable(const struct vab_req *req);
const void *vab_req_read_ptr(struct vab_req *req, u32 pos, u32 *len);
int vab_req_read(struct vab_req *req, u32 pos, void *buf, u32 len);
int vab_req_write(struct vab_req *req, u32 pos, const void *buf, u32 len);
void vab_req_done(struct vab_req *req);
void vab_req_abort(struct vab_req *req, const char *why);

/* Device models. */
extern const struct vab_model vab_blk_model;
extern const struct vab_model vab_rng_model;
extern const struct vab_model vab_console_model;
extern const struct vab_model vab_net_model;

struct vab_dev *vab_blk_create(const struct vab_dev_params *params,
			       struct file *file, bool ro,
			       const char *serial);
void vab_blk_destroy(struct vab_dev *dev);
struct vab_dev *vab_rng_create(const struct vab_dev_params *params);
void vab_rng_destroy(struct vab_dev *dev);
struct vab_dev *vab_console_create(const struct vab_dev_params *params,
				   const char *name);
void vab_console_destroy(struct vab_dev *dev);
struct vab_dev *vab_net_create(const struct vab_dev_params *params,
			       const u8 *mac, const char *name);
void vab_net_destroy(struct vab_dev *dev);

/*
 * Engine internals, shared by virtio_argo_backend_session.c and
 * virtio_argo_backend_vring.c. Models use the functions above only. The
 * lock that guards each member is given in brackets: [const] members do
 * not change while the device exists, [lock] means vab_dev.lock.
 */

/* Most EVENT_AVAIL entries, and so chains, the device takes per message. */
#define VAB_MAX_BATCH		256U
/* Every message but DATA_TO_DEVICE fits: 16 + 8 + 26 * VAB_MAX_BATCH. */
#define VAB_RXBUF_SIZE		VIRTIO_ARGO_MIN_MSG_SIZE
/* Largest message the device sends other than DATA_TO_DRIVER. */
#define VAB_TXBUF_SIZE		(sizeof(struct virtio_argo_hdr) + \
				 sizeof(struct virtio_argo_event_used) + \
				 VIRTIO_ARGO_MAX_BATCH * \
				 sizeof(struct virtio_argo_used_elem))

/**
 * struct vab_ring - One of a device's two receive rings.
 * @ring: the Argo ring [const while registered; ring.rx: lock]
 * @pages: its pages [const]
 * @dev: the device [const]
 */
struct vab_ring {
	struct argo_ring ring;
	struct page **pages;
	struct vab_dev *dev;
};

/**
 * struct vab_map - Data the driver sent for one mapping id.
 * @id: the mapping id
 * @release_node: in vab_session.release once a popped chain read the data
 *	and no data came since; empty otherwise
 * @buf: @cap bytes, zeroed where no data came
 * @cap: size of @buf
 * @end: end of the highest byte range received; descriptors may read below
 */
struct vab_map {
	u32 id;
	struct list_head release_node;
	void *buf;
	u32 cap;
	u32 end;
};

/**
 * struct vab_desc - A descriptor as the driver wrote it (struct vring_desc,
 * little-endian), in the shadow table or in an indirect table.
 * @addr: buffer token plus offset
 * @len: length in bytes
 * @flags: VRING_DESC_F_*
 * @next: next descriptor of the chain
 */
struct vab_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

/**
 * struct vab_seg - One validated descriptor of a popped chain.
 * @addr: buffer token plus offset
 * @len: length in bytes, nonzero
 * @map: for device-readable segments, the data; NULL for writable ones
 * @ring_tried: a write went (or tried to go) to the buffer's own ring,
 *	which takes one message at most
 */
struct vab_seg {
	u64 addr;
	u32 len;
	struct vab_map *map;
	bool ring_tried;
};

/**
 * struct vab_req - A popped descriptor chain, as the model handles it.
 * @dev: the device
 * @vq: the queue
 * @head: head descriptor, reported in the used element
 * @active: popped and neither done nor aborted
 * @nsegs: segments in @segs
 * @nread: device-readable segments, which come first
 * @readable: device-readable bytes
 * @writable: device-writable bytes
 * @written: end of the highest writable byte written: the used length
 * @rcur: readable segment last looked up, to make sequential reads cheap
 * @rcur_pos: readable position where segment @rcur starts
 * @wcur: writable segment last looked up
 * @wcur_pos: writable position where segment @wcur starts
 * @segs: the segments, as many as the device's max_queue_size
 *
 * All members: [lock].
 */
struct vab_req {
	struct vab_dev *dev;
	struct vab_vq *vq;
	u16 head;
	bool active;
	u16 nsegs;
	u16 nread;
	u32 readable;
	u32 writable;
	u32 written;
	u16 rcur;
	u32 rcur_pos;
	u16 wcur;
	u32 wcur_pos;
	struct vab_seg *segs;
};

/**
 * struct vab_vq - Shadow of one split virtqueue.
 * @index: queue index [const]
 * @size: queue size, 0 while the queue is not set up
 * @used_port: the driver's ring for this queue's EVENT_USED
 * @avail_idx: avail idx of the last EVENT_AVAIL
 * @last_avail: avail position of the next head to pop
 * @used_idx: used idx after the elements sent or pending
 * @nused: elements pending in @used
 * @max_used: capacity of @used: the driver's max_batch or the queue size
 * @desc: shadow descriptor table, @size entries
 * @avail: shadow avail ring, @size entries
 * @used: used elements not sent yet
 * @image: direct used scheme: the driver's used ring as last sent, then
 *	room for the new flags and idx that end each image; NULL for plain
 * @image_len: length of an image: the used ring's pages plus 4
 * @pad_due: direct used scheme: an image went last, so a pad must bring
 *	the ring's tx_ptr back before the next one
 * @req: the one request of this queue that a model may hold
 *
 * All members but @index: [lock].
 */
struct vab_vq {
	u16 index;
	u16 size;
	u32 used_port;
	u16 avail_idx;
	u16 last_avail;
	u16 used_idx;
	u16 nused;
	u16 max_used;
	struct vab_desc *desc;
	__le16 *avail;
	struct virtio_argo_used_elem *used;
	u8 *image;
	u32 image_len;
	bool pad_due;
	struct vab_req req;
};

/**
 * struct vab_session - State of the driver a device serves.
 * @active: a HELLO was answered; the fields below describe its sender
 * @broken: DEVICE_NEEDS_RESET is set: the data path stays stopped until a
 *	reset or a new HELLO
 * @failed: a send to the driver failed: the session ends as soon as no
 *	request is in progress
 * @domid: the driver's domain
 * @drv_ctrl_port: the driver control ring: replies and EVENT_CONFIG
 * @drv_data_port: the driver data ring: DATA_TO_DRIVER
 * @caps: capabilities both sides agreed on
 * @status: virtio device status
 * @driver_features: features the driver wrote
 * @own: what the device accepts (decoding)
 * @peer: what the driver accepts (encoding)
 * @maps: struct vab_map by mapping id
 * @release: maps to free once the data ring is empty
 * @map_bytes: bytes allocated for @maps, bounded by the device's budget
 * @data_sent: DATA_TO_DRIVER went out since the last direct used image
 *
 * All members: [lock].
 */
struct vab_session {
	bool active;
	bool broken;
	bool failed;
	u16 domid;
	u32 drv_ctrl_port;
	u32 drv_data_port;
	u32 caps;
	u8 status;
	u64 driver_features;
	struct virtio_argo_limits own;
	struct virtio_argo_limits peer;
	struct xarray maps;
	struct list_head release;
	size_t map_bytes;
	bool data_sent;
};

/**
 * struct vab_dev - A virtio device served over Argo.
 * @ops: the model [const]
 * @priv: the model's state [const]
 * @name: for log messages [const]
 * @iface: the Argo of this domain [const]
 * @ring_len: length of each ring [const]
 * @buffer_budget: most bytes of buffer data per session [const]
 * @features: features offered [const]
 * @config: config space [const]
 * @config_size: its size [const]
 * @ctrl: device control ring [see struct vab_ring]
 * @data: device data ring [see struct vab_ring]
 * @work: drains the rings; runs on vab_wq [lock-free]
 * @space_wait: senders waiting for ring space [lock-free]
 * @events: VIRQs seen, for @space_wait [lock-free]
 * @stopping: set while the rings are not both registered [lock-free]
 * @kicks: queues a model asked to be notified about [lock-free bitops]
 * @lock: serializes the work against teardown; guards what says [lock]
 * @vqs: the queues [lock]
 * @queue_sizes: size of each queue or 0, for the codec's limits [lock]
 * @s: the session [lock]
 * @rxbuf: a received message [lock]
 * @txbuf: a message to send [lock]
 * @dropped: messages dropped without a reply [lock]
 */
struct vab_dev {
	const struct vab_device_ops *ops;
	void *priv;
	const char *name;
	struct argo_iface *iface;
	u32 ring_len;
	size_t buffer_budget;
	u64 features;
	u8 *config;
	u32 config_size;
	struct vab_ring ctrl;
	struct vab_ring data;

	struct work_struct work;
	wait_queue_head_t space_wait;
	atomic_t events;
	bool stopping;
	unsigned long *kicks;

	/* Held by the work for a whole pass; see the lock order in _session.c. */
	struct mutex lock;
	struct vab_vq *vqs;
	u16 *queue_sizes;
	struct vab_session s;
	void *rxbuf;
	void *txbuf;
	u64 dropped;
};

/* Session side, used by the vring side. */
int vab_send(struct vab_dev *dev, u32 port, const struct kvec *iov,
	     unsigned int niov);
int vab_send_type(struct vab_dev *dev, u32 port, const struct kvec *iov,
		  unsigned int niov, u32 mtype);
int vab_wait_data_drained(struct vab_dev *dev);
void vab_needs_reset(struct vab_dev *dev, const char *why);

/* Vring side, used by the session side. */
int vab_vq_setup(struct vab_dev *dev, struct vab_vq *vq, u16 size,
		 u32 used_port, bool direct);
void vab_vq_free(struct vab_dev *dev, struct vab_vq *vq);
void vab_vq_avail(struct vab_dev *dev, const struct virtio_argo_msg *m);
void vab_vq_notify(struct vab_dev *dev, struct vab_vq *vq);
int vab_map_store(struct vab_dev *dev, const struct virtio_argo_msg *m,
		  const struct argo_msg *am);
void vab_maps_release(struct vab_dev *dev);
void vab_maps_free(struct vab_dev *dev);

#endif /* _VIRTIO_ARGO_BACKEND_H */
