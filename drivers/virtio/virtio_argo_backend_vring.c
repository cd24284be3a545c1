// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo device side: buffer data, shadow vrings and requests.
 *
 * The device cannot read guest memory. The driver sends the contents of
 * every device-readable buffer (DATA_TO_DEVICE, kept here by mapping id)
 * and, with each kick, the descriptor-table and avail-ring entries that
 * changed (EVENT_AVAIL, applied to a shadow table and avail ring per
 * queue). Models pop chains from the shadow, read the kept data and write
 * device-writable buffers with DATA_TO_DRIVER, or into a buffer's own ring.
 * Completed chains go back in EVENT_USED (the plain used scheme), or as an
 * image of the whole used ring that lands in the driver's used ring itself
 * (the direct scheme; Documentation/protocol.rst).
 *
 * Everything here runs in the device's work, with vab_dev.lock held.
 * Descriptors are the driver's: every chain is validated as it is walked,
 * against the queue size (indexes, loops, length), the token kinds and the
 * data actually received.
 */

#include <linux/bits.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ring.h>

#include "virtio_argo_backend.h"

/* A used-ring image ends with flags and idx again (protocol.rst). */
#define VAB_IMAGE_IDX_BYTES	4
/* The pad from tx_ptr 0 to the image start: 4016 less its header. */
#define VAB_PAD_LEN		(ARGO_PAGE_SIZE - ARGO_RING_HEADER_SIZE - \
				 2 * ARGO_MSG_HEADER_SIZE)

/* Largest mapping kept, and smallest allocation for one. */
#define VAB_MAP_MAX	(16U << 20)
#define VAB_MAP_MIN	64U
/* A token addresses at most 4 GiB. */
#define VAB_TOKEN_SPAN	BIT_ULL(32)

static void vab_map_free(struct vab_dev *dev, struct vab_map *map)
{
	list_del(&map->release_node);
	dev->s.map_bytes -= map->cap;
	kvfree(map->buf);
	kfree(map);
}

/* Make room for @end bytes, within the session's budget. */
static int vab_map_grow(struct vab_dev *dev, struct vab_map *map, u32 end)
{
	u32 cap = max_t(u32, roundup_pow_of_two(end), VAB_MAP_MIN);
	struct vab_session *s = &dev->s;
	void *buf;

	if (s->map_bytes - map->cap + cap > dev->buffer_budget)
		return -ENOSPC;
	/* Zeroed: a gap the driver never filled must not show old data. */
	buf = kvzalloc(cap, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (map->buf) {
		memcpy(buf, map->buf, map->end);
		kvfree(map->buf);
	}
	s->map_bytes += cap - map->cap;
	map->buf = buf;
	map->cap = cap;
	return 0;
}

/**
 * vab_map_store() - Keep the bytes of a DATA_TO_DEVICE message.
 * @dev: the device
 * @m: the message, decoded from its head
 * @am: where the message is in the data ring
 *
 * The bytes are copied from the ring into the mapping's buffer at their
 * offset. Data for a mapping that a popped chain already read keeps it
 * from being released: it is the driver reusing the mapping.
 *
 * Return: 0, -EFBIG for a mapping over VAB_MAP_MAX, -ENOSPC over the
 * session's budget, or -ENOMEM.
 */
int vab_map_store(struct vab_dev *dev, const struct virtio_argo_msg *m,
		  const struct argo_msg *am)
{
	u64 end = (u64)m->data.offset + m->data.size;
	u32 id = virtio_argo_token_id(m->data.token);
	struct vab_session *s = &dev->s;
	struct vab_map *map;
	int ret;

	if (end > VAB_MAP_MAX)
		return -EFBIG;
	map = xa_load(&s->maps, id);
	if (!map) {
		map = kzalloc(sizeof(*map), GFP_KERNEL);
		if (!map)
			return -ENOMEM;
		map->id = id;
		INIT_LIST_HEAD(&map->release_node);
		ret = xa_insert(&s->maps, id, map, GFP_KERNEL);
		if (ret) {
			kfree(map);
			return ret;
		}
	}
	list_del_init(&map->release_node);
	if (!m->data.size)
		return 0;
	if (end > map->cap) {
		ret = vab_map_grow(dev, map, end);
		if (ret)
			return ret;
	}
	argo_ring_read(&dev->data.ring, am, VIRTIO_ARGO_DATA_HEAD_SIZE,
		       map->buf + m->data.offset, m->data.size);
	map->end = max_t(u32, map->end, end);
	return 0;
}

/**
 * vab_maps_release() - Free the data of mappings whose chains were used.
 * @dev: the device
 *
 * Called when the data ring is empty, so that chains published together
 * may share a mapping (the protocol lets the device drop a mapping's data
 * once every descriptor that referred to it has been used).
 */
void vab_maps_release(struct vab_dev *dev)
{
	struct vab_map *map, *next;

	list_for_each_entry_safe(map, next, &dev->s.release, release_node) {
		xa_erase(&dev->s.maps, map->id);
		vab_map_free(dev, map);
	}
}

/**
 * vab_maps_free() - Free the data of every mapping.
 * @dev: the device
 */
void vab_maps_free(struct vab_dev *dev)
{
	struct vab_map *map;
	unsigned long id;

	xa_for_each(&dev->s.maps, id, map) {
		xa_erase(&dev->s.maps, id);
		vab_map_free(dev, map);
	}
}

/**
 * vab_vq_free() - Forget a queue; the driver may set it up again.
 * @dev: the device
 * @vq: the queue
 */
void vab_vq_free(struct vab_dev *dev, struct vab_vq *vq)
{
	kvfree(vq->desc);
	kvfree(vq->avail);
	kvfree(vq->used);
	kvfree(vq->image);
	kvfree(vq->req.segs);
	*vq = (struct vab_vq) { .index = vq->index };
	dev->queue_sizes[vq->index] = 0;
}

/**
 * vab_vq_setup() - Set a queue up for SET_VQUEUE.
 * @dev: the device
 * @vq: the queue, not set up
 * @size: its size, a power of two within the device's maximum
 * @used_port: the driver's ring for its EVENT_USED messages, or for its
 *	used-ring images when @direct
 * @direct: the direct used scheme
 *
 * Return: 0 or -ENOMEM.
 */
int vab_vq_setup(struct vab_dev *dev, struct vab_vq *vq, u16 size,
		 u32 used_port, bool direct)
{
	const struct virtio_argo_limits *peer = &dev->s.peer;
	/* As many elements as the driver takes in one message. */
	u32 max_used = min3((u32)size, (u32)peer->max_batch,
			    (peer->max_msg_size -
			     (u32)sizeof(struct virtio_argo_hdr) -
			     (u32)sizeof(struct virtio_argo_event_used)) /
			    (u32)sizeof(struct virtio_argo_used_elem));

	vq->desc = kvcalloc(size, sizeof(*vq->desc), GFP_KERNEL);
	vq->avail = kvcalloc(size, sizeof(*vq->avail), GFP_KERNEL);
	vq->used = kvcalloc(max_used, sizeof(*vq->used), GFP_KERNEL);
	vq->req.segs = kvcalloc(dev->ops->max_queue_size,
				sizeof(*vq->req.segs), GFP_KERNEL);
	if (direct) {
		/* flags, idx, the ring and avail_event fill whole pages. */
		vq->image_len = ALIGN(4 + 8 * size + 2, ARGO_PAGE_SIZE) +
				VAB_IMAGE_IDX_BYTES;
		vq->image = kvzalloc(vq->image_len, GFP_KERNEL);
	}
	if (!vq->desc || !vq->avail || !vq->used || !vq->req.segs ||
	    (direct && !vq->image)) {
		vab_vq_free(dev, vq);
		return -ENOMEM;
	}
	vq->size = size;
	vq->used_port = used_port;
	vq->max_used = max_used;
	vq->req.dev = dev;
	vq->req.vq = vq;
	dev->queue_sizes[vq->index] = size;
	return 0;
}

/*
 * Direct scheme: write the pending elements into the image and send it.
 * The image starts with the flags and idx the driver holds and ends with
 * the new ones, which land last, on the used ring's first bytes again.
 * Each image moves the ring's tx_ptr to 0, so a pad (into the driver's
 * private header page) brings it back first; each fits only once the
 * driver took the one before, which vab_send_type() waits for. Data sent
 * by DATA_TO_DRIVER must have been taken in before an image covers it.
 */
static void vab_vq_flush_image(struct vab_dev *dev, struct vab_vq *vq)
{
	__le16 *head = (__le16 *)vq->image;
	__le16 *tail = (__le16 *)(vq->image + vq->image_len -
				  VAB_IMAGE_IDX_BYTES);
	struct kvec iov = { .iov_base = page_address(ZERO_PAGE(0)),
			    .iov_len = VAB_PAD_LEN };
	u16 idx = vq->used_idx - vq->nused;
	unsigned int i;

	if (vq->pad_due && vab_send_type(dev, vq->used_port, &iov, 1,
					 VIRTIO_ARGO_MTYPE_USED_PAD))
		return;
	vq->pad_due = false;
	if (dev->s.data_sent && vab_wait_data_drained(dev))
		return;
	dev->s.data_sent = false;
	for (i = 0; i < vq->nused; i++, idx++) {
		/* vring_used_elem: le32 id, le32 len, after flags and idx. */
		__le32 *elem = (__le32 *)(vq->image + 4 + 8 * (idx % vq->size));

		elem[0] = vq->used[i].id;
		elem[1] = vq->used[i].len;
	}
	vq->nused = 0;
	/* Old flags and idx stay in front; the new ones go at the end. */
	tail[0] = head[0];
	tail[1] = cpu_to_le16(vq->used_idx);
	iov.iov_base = vq->image;
	iov.iov_len = vq->image_len;
	if (vab_send_type(dev, vq->used_port, &iov, 1,
			  VIRTIO_ARGO_MTYPE_USED_IMAGE))
		return;
	head[1] = tail[1];
	vq->pad_due = true;
}

/* Send the used elements collected so far. */
static void vab_vq_flush(struct vab_dev *dev, struct vab_vq *vq)
{
	struct vab_session *s = &dev->s;
	struct kvec iov = { .iov_base = dev->txbuf };
	struct virtio_argo_msg m;
	ssize_t len;

	if (!vq->nused)
		return;
	if (vq->image) {
		vab_vq_flush_image(dev, vq);
		return;
	}
	virtio_argo_msg_init(&m, s->own.version, VIRTIO_ARGO_MSG_EVENT_USED, 0);
	m.used.index = vq->index;
	m.used.used_idx = vq->used_idx;
	m.used.num_used = vq->nused;
	m.used.elems = vq->used;
	vq->nused = 0;
	len = virtio_argo_msg_encode(&m, &s->peer, dev->txbuf, VAB_TXBUF_SIZE);
	if (WARN_ON_ONCE(len < 0))
		return;
	iov.iov_len = len;
	vab_send(dev, vq->used_port, &iov, 1);
}

/**
 * vab_vq_notify() - Let the model process a queue's available buffers.
 * @dev: the device; the driver set DRIVER_OK
 * @vq: a queue that is set up
 */
void vab_vq_notify(struct vab_dev *dev, struct vab_vq *vq)
{
	if (dev->s.broken || vq->last_avail == vq->avail_idx)
		return;
	dev->ops->queue_notify(dev, vq->index);
	/* A model completes each request before it pops the next. */
	if (WARN_ON_ONCE(vq->req.active))
		vab_req_abort(&vq->req, "request left unfinished");
	vab_vq_flush(dev, vq);
}

/**
 * vab_vq_avail() - Apply an EVENT_AVAIL to a queue's shadow vring.
 * @dev: the device
 * @m: the decoded message; the codec checked that the queue is set up and
 *	that every slot and head lies within it
 *
 * The entries must continue from the previous EVENT_AVAIL and leave no more
 * buffers outstanding than the queue holds; anything else is a driver
 * error.
 */
void vab_vq_avail(struct vab_dev *dev, const struct virtio_argo_msg *m)
{
	struct vab_vq *vq = &dev->vqs[m->avail.index];
	u16 first = m->avail.avail_idx - m->avail.num_avail;
	u16 i;

	if (first != vq->avail_idx) {
		vab_needs_reset(dev, "avail_idx out of order");
		return;
	}
	if ((u16)(m->avail.avail_idx - vq->last_avail) > vq->size) {
		vab_needs_reset(dev, "more buffers available than the queue holds");
		return;
	}
	/* Descriptors first: the new heads may name them. */
	for (i = 0; i < m->avail.num_descs; i++) {
		const struct virtio_argo_desc *d = &m->avail.descs[i];

		memcpy(&vq->desc[le16_to_cpu(d->slot)], d,
		       sizeof(struct vab_desc));
	}
	for (i = 0; i < m->avail.num_avail; i++)
		vq->avail[(u16)(first + i) & (vq->size - 1)] =
			m->avail.ring[i];
	vq->avail_idx = m->avail.avail_idx;
	if (dev->s.status & VIRTIO_CONFIG_S_DRIVER_OK)
		vab_vq_notify(dev, vq);
}

static bool vab_token_readable(unsigned int kind)
{
	return kind == VIRTIO_ARGO_TOKEN_OUT || kind == VIRTIO_ARGO_TOKEN_BIDIR;
}

static bool vab_token_writable(unsigned int kind)
{
	return kind == VIRTIO_ARGO_TOKEN_IN ||
	       kind == VIRTIO_ARGO_TOKEN_IN_RING ||
	       kind == VIRTIO_ARGO_TOKEN_BIDIR;
}

/* The data of a device-readable range, or NULL if the driver sent none. */
static struct vab_map *vab_map_range(struct vab_dev *dev, u64 addr, u32 len)
{
	struct vab_map *map = xa_load(&dev->s.maps,
				      virtio_argo_token_id(addr));

	if (!map || (u64)virtio_argo_token_offset(addr) + len > map->end)
		return NULL;
	return map;
}

/* Validate one descriptor and append it to @req. */
static const char *vab_add_seg(struct vab_dev *dev, struct vab_req *req,
			       const struct vab_desc *d, u16 flags,
			       u64 *readable, u64 *writable)
{
	u64 addr = le64_to_cpu(d->addr);
	unsigned int kind = virtio_argo_token_kind(addr);
	u32 len = le32_to_cpu(d->len);
	struct vab_map *map = NULL;
	struct vab_seg *seg;

	/* An empty buffer is neither read nor written. */
	if (!len)
		return NULL;
	if ((u64)virtio_argo_token_offset(addr) + len > VAB_TOKEN_SPAN)
		return "buffer beyond 4 GiB of its mapping";
	if (flags & VRING_DESC_F_WRITE) {
		if (!vab_token_writable(kind))
			return "bad token for a device-writable buffer";
		*writable += len;
	} else {
		if (*writable)
			return "device-readable buffer after a writable one";
		if (!vab_token_readable(kind))
			return "bad token for a device-readable buffer";
		map = vab_map_range(dev, addr, len);
		if (!map)
			return "no data for a device-readable buffer";
		*readable += len;
		req->nread++;
	}
	if (*readable > U32_MAX || *writable > U32_MAX)
		return "chain of more than 4 GiB";
	if (req->nsegs >= dev->ops->max_queue_size)
		return "chain longer than the device takes";
	seg = &req->segs[req->nsegs++];
	seg->addr = addr;
	seg->len = len;
	seg->map = map;
	seg->ring_tried = false;
	return NULL;
}

/* Switch the walk to the indirect table @d names. */
static const char *vab_indirect(struct vab_dev *dev, const struct vab_desc *d,
				const u8 **table, u32 *n)
{
	u64 addr = le64_to_cpu(d->addr);
	u32 len = le32_to_cpu(d->len);
	struct vab_map *map;

	if (!len || len % sizeof(*d))
		return "bad indirect table length";
	if (len / sizeof(*d) > dev->ops->max_queue_size)
		return "indirect table longer than the device takes";
	if (!vab_token_readable(virtio_argo_token_kind(addr)))
		return "bad token for an indirect table";
	map = vab_map_range(dev, addr, len);
	if (!map)
		return "no data for an indirect table";
	list_move_tail(&map->release_node, &dev->s.release);
	*table = map->buf + virtio_argo_token_offset(addr);
	*n = len / sizeof(*d);
	return NULL;
}

/*
 * Walk the chain at @req->head into @req->segs. Zero or more descriptors of
 * the shadow table may be followed by one indirect descriptor, as virtio
 * allows. Returns NULL, or what is wrong with the chain.
 */
static const char *vab_walk(struct vab_dev *dev, struct vab_vq *vq,
			    struct vab_req *req)
{
	const u8 *table = (const u8 *)vq->desc;
	u32 idx = req->head, n = vq->size, seen = 0;
	u64 readable = 0, writable = 0;
	bool indirect = false;
	const char *why;
	struct vab_desc d;
	u16 flags, i;

	req->nsegs = 0;
	req->nread = 0;
	for (;;) {
		if (idx >= n)
			return "descriptor index out of range";
		if (++seen > n)
			return "descriptor loop";
		/* Indirect tables need not be aligned in their mapping. */
		memcpy(&d, table + idx * sizeof(d), sizeof(d));
		flags = le16_to_cpu(d.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			if (indirect)
				return "indirect descriptor in an indirect table";
			if (!(dev->s.driver_features &
			      BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC)))
				return "indirect descriptor not negotiated";
			if (flags & VRING_DESC_F_NEXT)
				return "indirect descriptor with NEXT";
			why = vab_indirect(dev, &d, &table, &n);
			if (why)
				return why;
			indirect = true;
			idx = 0;
			seen = 0;
			continue;
		}
		why = vab_add_seg(dev, req, &d, flags, &readable, &writable);
		if (why)
			return why;
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		idx = le16_to_cpu(d.next);
	}

	req->readable = readable;
	req->writable = writable;
	req->written = 0;
	req->rcur = 0;
	req->rcur_pos = 0;
	req->wcur = req->nread;
	req->wcur_pos = 0;
	for (i = 0; i < req->nread; i++)
		list_move_tail(&req->segs[i].map->release_node,
			       &dev->s.release);
	return NULL;
}

/**
 * vab_queue_pop() - Take the next available chain of a queue.
 * @dev: the device
 * @index: the queue
 *
 * The chain is validated completely; a bad one makes the device need a
 * reset. The model must finish the request with vab_req_done() (or
 * vab_req_abort()) before it pops the next one of the queue.
 *
 * Return: the request, or NULL when there is none (or no more may be
 * processed: the queue is not running, the session failed or needs reset).
 */
struct vab_req *vab_queue_pop(struct vab_dev *dev, u16 index)
{
	struct vab_session *s = &dev->s;
	struct vab_req *req;
	struct vab_vq *vq;
	const char *why;

	lockdep_assert_held(&dev->lock);
	if (index >= dev->ops->num_queues)
		return NULL;
	vq = &dev->vqs[index];
	req = &vq->req;
	if (WARN_ON_ONCE(req->active) || !vq->size || s->broken ||
	    s->failed || !(s->status & VIRTIO_CONFIG_S_DRIVER_OK) ||
	    vq->last_avail == vq->avail_idx)
		return NULL;
	req->head = le16_to_cpu(vq->avail[vq->last_avail & (vq->size - 1)]);
	vq->last_avail++;
	why = vab_walk(dev, vq, req);
	if (why) {
		vab_needs_reset(dev, why);
		return NULL;
	}
	req->active = true;
	return req;
}

/**
 * vab_req_readable() - Device-readable bytes of a request.
 * @req: the request
 *
 * Return: the sum of its device-readable buffers' lengths.
 */
u32 vab_req_readable(const struct vab_req *req)
{
	return req->readable;
}

/**
 * vab_req_writable() - Device-writable bytes of a request.
 * @req: the request
 *
 * Return: the sum of its device-writable buffers' lengths.
 */
u32 vab_req_writable(const struct vab_req *req)
{
	return req->writable;
}

/* The segment holding byte @pos of one side, starting from its cursor. */
static struct vab_seg *vab_req_seek(struct vab_req *req, bool write, u32 pos,
				    u32 *within)
{
	u16 first = write ? req->nread : 0;
	u16 last = write ? req->nsegs : req->nread;
	u16 *cur = write ? &req->wcur : &req->rcur;
	u32 *cur_pos = write ? &req->wcur_pos : &req->rcur_pos;
	u32 start = *cur_pos;
	u16 i = *cur;

	if (pos < start) {
		i = first;
		start = 0;
	}
	for (; i < last; start += req->segs[i].len, i++) {
		if (pos - start < req->segs[i].len) {
			*cur = i;
			*cur_pos = start;
			*within = pos - start;
			return &req->segs[i];
		}
	}
	return NULL;
}

/**
 * vab_req_read_ptr() - Look at device-readable bytes in place.
 * @req: the request
 * @pos: position in the readable bytes
 * @len: most bytes wanted; set to the bytes available in one piece
 *
 * Return: the bytes at @pos, valid until the request is done, or NULL if
 * @pos is not below vab_req_readable().
 */
const void *vab_req_read_ptr(struct vab_req *req, u32 pos, u32 *len)
{
	struct vab_seg *seg;
	u32 within;

	seg = vab_req_seek(req, false, pos, &within);
	if (!seg)
		return NULL;
	*len = min(*len, seg->len - within);
	return seg->map->buf + virtio_argo_token_offset(seg->addr) + within;
}

/**
 * vab_req_read() - Copy device-readable bytes.
 * @req: the request
 * @pos: position in the readable bytes
 * @buf: destination
 * @len: bytes to copy
 *
 * Return: 0, or -EINVAL if the range exceeds vab_req_readable().
 */
int vab_req_read(struct vab_req *req, u32 pos, void *buf, u32 len)
{
	if (pos > req->readable || len > req->readable - pos)
		return -EINVAL;
	while (len) {
		u32 n = len;
		const void *src = vab_req_read_ptr(req, pos, &n);

		memcpy(buf, src, n);
		buf += n;
		pos += n;
		len -= n;
	}
	return 0;
}

/*
 * Whether a write at the start of @seg may go to its buffer's own ring: an
 * IN_RING buffer whose ring no earlier write of this request used, since a
 * buffer ring takes one message.
 */
static bool vab_use_buffer_ring(const struct vab_req *req,
				const struct vab_seg *seg)
{
	u32 id = virtio_argo_token_id(seg->addr);
	u16 i;

	if (!(req->dev->s.caps & VIRTIO_ARGO_CAP_BUFFER_RINGS) ||
	    virtio_argo_token_kind(seg->addr) != VIRTIO_ARGO_TOKEN_IN_RING)
		return false;
	for (i = req->nread; i < req->nsegs; i++)
		if (req->segs[i].ring_tried &&
		    virtio_argo_token_id(req->segs[i].addr) == id)
			return false;
	return true;
}

/* Write @len bytes at @within of one device-writable segment. */
static int vab_write_seg(struct vab_req *req, struct vab_seg *seg,
			 u32 within, const void *buf, u32 len)
{
	u32 off = virtio_argo_token_offset(seg->addr) + within;
	struct vab_dev *dev = req->dev;
	struct vab_session *s = &dev->s;
	u8 head[VIRTIO_ARGO_DATA_HEAD_SIZE];
	struct virtio_argo_msg m;
	struct kvec iov[2];
	u32 max;
	int ret;

	if (!off && vab_use_buffer_ring(req, seg)) {
		struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };

		seg->ring_tried = true;
		ret = argo_sendv(dev->iface, dev->ctrl.ring.aport, s->domid,
				 virtio_argo_buffer_port(virtio_argo_token_id(seg->addr)),
				 &kv, 1, VIRTIO_ARGO_MTYPE_BUFFER);
		/* Gone, full or too small: DATA_TO_DRIVER always works. */
		if (ret >= 0)
			return 0;
	}

	max = s->peer.max_msg_size - VIRTIO_ARGO_DATA_HEAD_SIZE;
	while (len) {
		u32 n = min(len, max);

		virtio_argo_msg_init(&m, s->own.version,
				     VIRTIO_ARGO_MSG_DATA_TO_DRIVER, 0);
		m.data.token = seg->addr & ~(u64)U32_MAX;
		m.data.offset = off;
		m.data.size = n;
		ret = virtio_argo_msg_encode_head(&m, &s->peer, head,
						  sizeof(head));
		if (WARN_ON_ONCE(ret < 0))
			return ret;
		iov[0].iov_base = head;
		iov[0].iov_len = sizeof(head);
		iov[1].iov_base = (void *)buf;
		iov[1].iov_len = n;
		ret = vab_send(dev, s->drv_data_port, iov, 2);
		if (ret)
			return ret;
		s->data_sent = true;
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

/**
 * vab_req_write() - Write into the device-writable buffers.
 * @req: the request
 * @pos: position in the writable bytes
 * @buf: the bytes
 * @len: how many
 *
 * The bytes are in the driver's buffers, or on their way in the driver data
 * ring, when this returns; the used length is the end of the highest byte
 * written.
 *
 * Return: 0, -EINVAL if the range exceeds vab_req_writable(), or the error
 * of a failed send (the session is then over: finish the request and stop).
 */
int vab_req_write(struct vab_req *req, u32 pos, const void *buf, u32 len)
{
	if (pos > req->writable || len > req->writable - pos)
		return -EINVAL;
	while (len) {
		struct vab_seg *seg;
		u32 within, n;
		int ret;

		seg = vab_req_seek(req, true, pos, &within);
		n = min(len, seg->len - within);
		ret = vab_write_seg(req, seg, within, buf, n);
		if (ret)
			return ret;
		req->written = max(req->written, pos + n);
		buf += n;
		pos += n;
		len -= n;
	}
	return 0;
}

/**
 * vab_req_done() - Complete a request.
 * @req: the request
 *
 * Queues its used element; elements go to the driver in one EVENT_USED when
 * the model returns, or earlier when the driver's batch is full.
 */
void vab_req_done(struct vab_req *req)
{
	struct vab_vq *vq = req->vq;
	struct virtio_argo_used_elem *e;

	if (WARN_ON_ONCE(!req->active))
		return;
	req->active = false;
	e = &vq->used[vq->nused++];
	e->id = cpu_to_le32(req->head);
	e->len = cpu_to_le32(req->written);
	vq->used_idx++;
	if (vq->nused == vq->max_used)
		vab_vq_flush(req->dev, vq);
}

/**
 * vab_req_abort() - Give up on a request the model cannot even answer.
 * @req: the request
 * @why: what is wrong with it, for the log
 *
 * For requests malformed beyond what the device's own error status can
 * report: the device needs a reset, and the request is never used.
 */
void vab_req_abort(struct vab_req *req, const char *why)
{
	req->active = false;
	vab_needs_reset(req->dev, why);
}
