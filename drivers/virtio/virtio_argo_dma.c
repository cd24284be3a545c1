// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo DMA ops: the device cannot reach guest memory, so "mapping" a
 * buffer means arranging its transfer through Argo, and the DMA address is a
 * buffer token (include/linux/virtio_argo.h) naming the mapping:
 *
 *   DMA_TO_DEVICE       the contents go to the device's data ring at once
 *                       (DATA_TO_DEVICE); a full ring fails the mapping and
 *                       the driver retries, nothing spins.
 *   DMA_FROM_DEVICE     a page-aligned buffer whose size is a multiple of 16
 *                       gets a one-shot Argo ring of its own: a private
 *                       header page followed by the buffer's pages, with the
 *                       first message preset to land on the buffer's first
 *                       byte, so the device's sendv fills it directly. Other
 *                       buffers, and all once the ring budget is spent, are
 *                       filled from DATA_TO_DRIVER messages on the driver's
 *                       data ring (the bounce path). Which path a buffer took
 *                       never shows to the driver.
 *   DMA_BIDIRECTIONAL   both: sent at map time, filled by DATA_TO_DRIVER.
 *
 * vring memory itself comes from plain pages: the device never addresses it.
 *
 * Locking: every mapping lives in virtio_argo_maps, an allocating xarray
 * whose lock is taken with interrupts off. Delivering data into a mapping
 * happens under that lock, so an unmap on another CPU waits for it.
 * Everything here may run in atomic context: GFP_ATOMIC only, and the lock
 * is taken irqsave, as mappings are made with interrupts off too (the
 * console's output path), which must stay off.
 *
 * A failed mapping is logged, rate-limited, naming the device, but for a
 * full data ring: that is flow control (the driver retries), counted in
 * the device's eagain counter.
 */

#include <linux/debugfs.h>
#include <linux/dma-map-ops.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "virtio_argo.h"

/* Largest mapping: bounds a buffer ring, and the messages of one mapping. */
#define VIRTIO_ARGO_MAX_MAPPING		SZ_1M

/* Where a buffer ring's first message header goes: the header page's end. */
#define VIRTIO_ARGO_BUFFER_RING_START	(ARGO_PAGE_SIZE - ARGO_RING_HEADER_SIZE - \
					 ARGO_MSG_HEADER_SIZE)

static unsigned int buffer_rings = 96;
module_param(buffer_rings, uint, 0444);
MODULE_PARM_DESC(buffer_rings,
		 "Argo rings for device-writable buffers, of the domain's 128 (0 sends every buffer through the bounce path)");

static atomic_t virtio_argo_buffer_rings_in_use = ATOMIC_INIT(0);
static DEFINE_XARRAY_FLAGS(virtio_argo_maps, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);

/**
 * struct virtio_argo_map - One live DMA mapping.
 * @vadev: the device it was mapped for
 * @cpu_addr: the buffer
 * @size: its size
 * @kind: token kind, enum virtio_argo_token_kind
 * @ring: the buffer's own ring, for VIRTIO_ARGO_TOKEN_IN_RING
 * @ring_pages: that ring's pages: a private header page, then the buffer's
 */
struct virtio_argo_map {
	struct virtio_argo_device *vadev;
	void *cpu_addr;
	u32 size;
	u8 kind;
	struct argo_ring ring;
	struct page *ring_pages[];
};

static int virtio_argo_send_data(struct virtio_argo_device *vadev, u64 token,
				 const void *buf, u32 size)
{
	const u32 chunk_max = vadev->peer.max_msg_size -
			      VIRTIO_ARGO_DATA_HEAD_SIZE;
	u8 head[VIRTIO_ARGO_DATA_HEAD_SIZE];
	struct virtio_argo_msg msg;
	u32 offset, chunk;
	ssize_t len;
	int ret;

	for (offset = 0; offset < size; offset += chunk) {
		chunk = min(size - offset, chunk_max);
		virtio_argo_msg_init(&msg, vadev->peer.version,
				     VIRTIO_ARGO_MSG_DATA_TO_DEVICE, 0);
		msg.data.token = token;
		msg.data.offset = offset;
		msg.data.size = chunk;
		len = virtio_argo_msg_encode_head(&msg, &vadev->peer, head,
						  sizeof(head));
		if (len < 0)
			return len;
		ret = virtio_argo_send(vadev, vadev->backend_data_port, head,
				       len, buf + offset, chunk, false);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Give a device-writable buffer its own ring, if it qualifies and the
 * budget allows: [header page, buffer pages], with the first message's
 * header in the header page's last 16 bytes so its payload starts at the
 * buffer's first byte. The ring length ends exactly at the buffer's end,
 * so whatever the device sends can never write past the buffer.
 */
static bool virtio_argo_map_ring(struct virtio_argo_map *map,
				 struct page *page, unsigned long offset,
				 u32 id)
{
	struct virtio_argo_device *vadev = map->vadev;
	const u32 len = ARGO_PAGE_SIZE - ARGO_RING_HEADER_SIZE + map->size;
	unsigned int i, npages = argo_ring_npages(len);
	int ret;

	if (!(vadev->peer_caps & VIRTIO_ARGO_CAP_BUFFER_RINGS) ||
	    offset_in_page(offset) ||
	    !IS_ALIGNED(map->size, XEN_ARGO_MSG_SLOT_SIZE))
		return false;
	/* Never above the budget, so debugfs never shows more. */
	if (!atomic_add_unless(&virtio_argo_buffer_rings_in_use, 1,
			       buffer_rings)) {
		atomic64_inc(&vadev->stats.ring_budget_full);
		return false;
	}

	/* Not worth a message: the buffer bounces, as it may anyway. */
	map->ring_pages[0] = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
	if (!map->ring_pages[0])
		goto no_ring;
	page = nth_page(page, offset >> PAGE_SHIFT);
	for (i = 1; i < npages; i++)
		map->ring_pages[i] = nth_page(page, i - 1);
	argo_ring_init(&map->ring, vadev->argo, virtio_argo_buffer_port(id),
		       vadev->backend_domid, NULL);
	ret = argo_ring_register(&map->ring, map->ring_pages, len,
				 VIRTIO_ARGO_BUFFER_RING_START, GFP_ATOMIC);
	if (!ret) {
		atomic_inc(&vadev->stats.buffer_rings);
		return true;
	}
	dev_warn_ratelimited(&vadev->pdev->dev,
			     "cannot register buffer ring %#x (%d): the buffer bounces\n",
			     map->ring.aport, ret);
	__free_page(map->ring_pages[0]);
no_ring:
	atomic_dec(&virtio_argo_buffer_rings_in_use);
	return false;
}

/*
 * Give a buffer ring back; the device can no longer write the buffer.
 * What it wrote there, the ring's one message, counts as received.
 */
static void virtio_argo_map_unring(struct virtio_argo_map *map)
{
	struct virtio_argo_device *vadev = map->vadev;
	struct argo_msg msg;
	int ret;

	if (map->kind != VIRTIO_ARGO_TOKEN_IN_RING || !map->ring.registered)
		return;
	ret = argo_ring_unregister(&map->ring);
	if (!ret) {
		if (!argo_ring_peek(&map->ring, &msg))
			virtio_argo_count_rx(vadev, &msg);
		__free_page(map->ring_pages[0]);
	} else {
		/* Xen may still write the page: keep it. */
		dev_err_ratelimited(&vadev->pdev->dev,
				    "cannot unregister buffer ring %#x (%d): its header page is leaked\n",
				    map->ring.aport, ret);
	}
	atomic_dec(&vadev->stats.buffer_rings);
	atomic_dec(&virtio_argo_buffer_rings_in_use);
}

static void virtio_argo_map_free(struct virtio_argo_map *map)
{
	virtio_argo_map_unring(map);
	kfree(map);
}

static dma_addr_t virtio_argo_map_page(struct device *dev, struct page *page,
				       unsigned long offset, size_t size,
				       enum dma_data_direction dir,
				       unsigned long attrs)
{
	struct virtio_argo_device *vadev = dev_get_drvdata(dev);
	unsigned int ring_pages = 0;
	struct virtio_argo_map *map;
	unsigned long flags;
	u32 id;
	int ret;

	if (!vadev || !size || size > VIRTIO_ARGO_MAX_MAPPING ||
	    dir == DMA_NONE) {
		dev_err_ratelimited(dev, "cannot map %zu bytes, direction %d\n",
				    size, dir);
		return DMA_MAPPING_ERROR;
	}
	if (dir == DMA_FROM_DEVICE)
		ring_pages = argo_ring_npages(ARGO_PAGE_SIZE - ARGO_RING_HEADER_SIZE +
					      round_up(size, XEN_ARGO_MSG_SLOT_SIZE));
	map = kzalloc(struct_size(map, ring_pages, ring_pages), GFP_ATOMIC);
	if (!map) {
		dev_err_ratelimited(dev, "no memory to map %zu bytes\n", size);
		return DMA_MAPPING_ERROR;
	}
	map->vadev = vadev;
	map->cpu_addr = page_address(page) + offset;
	map->size = size;
	map->kind = dir == DMA_TO_DEVICE ? VIRTIO_ARGO_TOKEN_OUT :
		    dir == DMA_FROM_DEVICE ? VIRTIO_ARGO_TOKEN_IN :
		    VIRTIO_ARGO_TOKEN_BIDIR;
	xa_lock_irqsave(&virtio_argo_maps, flags);
	ret = __xa_alloc(&virtio_argo_maps, &id, map,
			 XA_LIMIT(1, VIRTIO_ARGO_TOKEN_ID_MASK), GFP_ATOMIC);
	xa_unlock_irqrestore(&virtio_argo_maps, flags);
	if (ret) {
		dev_err_ratelimited(dev, "no buffer token for %zu bytes (%d)\n",
				    size, ret);
		goto err_free;
	}

	/*
	 * A broken device gets nothing, but the mapping still succeeds: its
	 * buffers are failed at the kick, while a mapping error would have
	 * the driver retry for ever.
	 */
	if (READ_ONCE(vadev->broken))
		return virtio_argo_token(map->kind, id, 0);
	if (map->kind == VIRTIO_ARGO_TOKEN_IN) {
		if (virtio_argo_map_ring(map, page, offset, id)) {
			map->kind = VIRTIO_ARGO_TOKEN_IN_RING;
			atomic64_inc(&vadev->stats.ring_maps);
		} else {
			atomic64_inc(&vadev->stats.bounces);
		}
	}
	if (map->kind != VIRTIO_ARGO_TOKEN_IN &&
	    map->kind != VIRTIO_ARGO_TOKEN_IN_RING) {
		ret = virtio_argo_send_data(vadev,
					    virtio_argo_token(map->kind, id, 0),
					    map->cpu_addr, size);
		/* The send found the device gone: fail at the kick, as above. */
		if (ret && READ_ONCE(vadev->broken))
			ret = 0;
		if (ret) {
			if (ret == -EAGAIN)
				dev_dbg_ratelimited(dev, "data ring full: mapping of %zu bytes to be retried\n",
						    size);
			else
				dev_err_ratelimited(dev, "cannot send %zu mapped bytes (%d)\n",
						    size, ret);
			xa_lock_irqsave(&virtio_argo_maps, flags);
			__xa_erase(&virtio_argo_maps, id);
			xa_unlock_irqrestore(&virtio_argo_maps, flags);
			goto err_free;
		}
	}
	return virtio_argo_token(map->kind, id, 0);

err_free:
	kfree(map);
	return DMA_MAPPING_ERROR;
}

static void virtio_argo_unmap_page(struct device *dev, dma_addr_t addr,
				   size_t size, enum dma_data_direction dir,
				   unsigned long attrs)
{
	struct virtio_argo_map *map;
	unsigned long flags;
	u32 id = virtio_argo_token_id(addr);

	xa_lock_irqsave(&virtio_argo_maps, flags);
	map = xa_load(&virtio_argo_maps, id);
	if (map && map->vadev == dev_get_drvdata(dev) &&
	    map->kind == virtio_argo_token_kind(addr))
		__xa_erase(&virtio_argo_maps, id);
	else
		map = NULL;
	xa_unlock_irqrestore(&virtio_argo_maps, flags);
	if (!map) {
		dev_warn_ratelimited(dev, "unmapping unknown DMA address %pad\n",
				     &addr);
		return;
	}
	virtio_argo_map_free(map);
}

/**
 * virtio_argo_deliver_data() - Copy a DATA_TO_DRIVER into its buffer.
 * @vadev: the device that sent it
 * @msg: the decoded message head
 * @amsg: the Argo message, still in the driver data ring
 * @bytes_at: payload offset of the data bytes in @amsg
 *
 * Return: 0, or -EBADMSG if the token names no live device-writable
 * mapping of @vadev or the range does not fit it.
 */
int virtio_argo_deliver_data(struct virtio_argo_device *vadev,
			     const struct virtio_argo_msg *msg,
			     const struct argo_msg *amsg, u32 bytes_at)
{
	u32 id = virtio_argo_token_id(msg->data.token);
	struct virtio_argo_map *map;
	unsigned long flags;
	int ret = -EBADMSG;

	xa_lock_irqsave(&virtio_argo_maps, flags);
	map = xa_load(&virtio_argo_maps, id);
	if (map && map->vadev == vadev &&
	    map->kind == virtio_argo_token_kind(msg->data.token) &&
	    map->kind != VIRTIO_ARGO_TOKEN_OUT &&
	    msg->data.offset <= map->size &&
	    msg->data.size <= map->size - msg->data.offset) {
		argo_ring_read(&vadev->data->ring, amsg, bytes_at,
			       map->cpu_addr + msg->data.offset,
			       msg->data.size);
		ret = 0;
	}
	xa_unlock_irqrestore(&virtio_argo_maps, flags);
	return ret;
}

static void virtio_argo_unmap_sg(struct device *dev, struct scatterlist *sgl,
				 int nents, enum dma_data_direction dir,
				 unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i)
		virtio_argo_unmap_page(dev, sg->dma_address, sg_dma_len(sg),
				       dir, attrs);
}

static int virtio_argo_map_sg(struct device *dev, struct scatterlist *sgl,
			      int nents, enum dma_data_direction dir,
			      unsigned long attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = virtio_argo_map_page(dev, sg_page(sg),
						       sg->offset, sg->length,
						       dir, attrs);
		if (sg->dma_address == DMA_MAPPING_ERROR)
			goto err_unmap;
		sg_dma_len(sg) = sg->length;
	}
	return nents;

err_unmap:
	virtio_argo_unmap_sg(dev, sgl, i, dir, attrs);
	return -EIO;
}

/* vring memory: ordinary zeroed pages, page-aligned as the layout needs. */
static void *virtio_argo_alloc(struct device *dev, size_t size,
			       dma_addr_t *dma_handle, gfp_t gfp,
			       unsigned long attrs)
{
	void *cpu_addr;

	gfp &= ~(__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	cpu_addr = alloc_pages_exact(size, gfp | __GFP_ZERO);
	if (!cpu_addr)
		return NULL;
	/* Never a valid token (kind 0): the device cannot address it. */
	*dma_handle = virt_to_phys(cpu_addr);
	return cpu_addr;
}

static void virtio_argo_free(struct device *dev, size_t size, void *cpu_addr,
			     dma_addr_t dma_handle, unsigned long attrs)
{
	free_pages_exact(cpu_addr, size);
}

static int virtio_argo_dma_supported(struct device *dev, u64 mask)
{
	return 1;
}

/*
 * A mapping's data must fit one message, so that it fits the device's data
 * ring whole: a mapping that never fits could never be sent, and its
 * request would never complete. Drivers split their requests to this.
 */
static size_t virtio_argo_max_mapping_size(struct device *dev)
{
	struct virtio_argo_device *vadev = dev_get_drvdata(dev);
	size_t fits = vadev->peer.max_msg_size - VIRTIO_ARGO_DATA_HEAD_SIZE;

	return min_t(size_t, VIRTIO_ARGO_MAX_MAPPING,
		     round_down(fits, PAGE_SIZE));
}

/**
 * virtio_argo_dma_fail_writable() - Fill a broken device's buffers with 0xff.
 * @vadev: the broken device
 *
 * Every device-writable mapping of @vadev loses its buffer ring, so the
 * device cannot write it any more, and is set to 0xff, which drivers read
 * as a failed request (virtio-blk: status 0xff is an I/O error). Runs
 * under rx_lock, before the buffers are completed.
 */
void virtio_argo_dma_fail_writable(struct virtio_argo_device *vadev)
{
	struct virtio_argo_map *map;
	unsigned long id, flags;

	xa_lock_irqsave(&virtio_argo_maps, flags);
	xa_for_each(&virtio_argo_maps, id, map) {
		if (map->vadev != vadev || map->kind == VIRTIO_ARGO_TOKEN_OUT)
			continue;
		virtio_argo_map_unring(map);
		memset(map->cpu_addr, 0xff, map->size);
	}
	xa_unlock_irqrestore(&virtio_argo_maps, flags);
}

/**
 * virtio_argo_dma_debugfs() - Show the buffer ring budget and its use.
 * @dir: the transport's debugfs directory
 */
void virtio_argo_dma_debugfs(struct dentry *dir)
{
	debugfs_create_u32("buffer_rings", 0444, dir, &buffer_rings);
	debugfs_create_atomic_t("buffer_rings_in_use", 0444, dir,
				&virtio_argo_buffer_rings_in_use);
}

/**
 * virtio_argo_dma_release() - Drop every mapping a device still has.
 * @vadev: the device, whose virtqueues are gone
 */
void virtio_argo_dma_release(struct virtio_argo_device *vadev)
{
	struct virtio_argo_map *map;
	unsigned long id;

	xa_for_each(&virtio_argo_maps, id, map) {
		if (map->vadev == vadev &&
		    xa_cmpxchg_irq(&virtio_argo_maps, id, map, NULL,
				   GFP_KERNEL) == map)
			virtio_argo_map_free(map);
	}
}

const struct dma_map_ops virtio_argo_dma_ops = {
	.alloc = virtio_argo_alloc,
	.free = virtio_argo_free,
	.map_page = virtio_argo_map_page,
	.unmap_page = virtio_argo_unmap_page,
	.map_sg = virtio_argo_map_sg,
	.unmap_sg = virtio_argo_unmap_sg,
	.dma_supported = virtio_argo_dma_supported,
	.max_mapping_size = virtio_argo_max_mapping_size,
};
