// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo device side: virtio-blk backed by a file or a block device.
 *
 * Requests are served one at a time in the device's work, with
 * kernel_read() and kernel_write() on the backing file. A write is
 * acknowledged once it reached the file, and VIRTIO_BLK_T_FLUSH makes every
 * acknowledged write durable with vfs_fsync(), so the driver's flushes mean
 * what they say. A request the device can answer but not serve fails with
 * VIRTIO_BLK_S_IOERR or VIRTIO_BLK_S_UNSUPP; one without a header or a
 * status byte cannot be answered at all and makes the device need a reset.
 */

#define pr_fmt(fmt) "virtio_argo_backend: " fmt

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/virtio_blk.h>
#include <uapi/linux/virtio_ids.h>

#include "virtio_argo_backend.h"

#define VAB_BLK_QUEUE_SIZE	256
/* Largest segment: one page, so each is one DATA_TO_DEVICE message. */
#define VAB_BLK_SIZE_MAX	4096U
#define VAB_BLK_SECTOR_SHIFT	9
/* Bytes read from the file per DATA_TO_DRIVER burst. */
#define VAB_BLK_CHUNK		(128U * 1024)

/*
 * The head of struct virtio_blk_config, up to blk_size (no feature offered
 * needs a later field), in the little-endian layout of a modern device.
 */
struct vab_blk_config {
	__le64 capacity;
	__le32 size_max;
	__le32 seg_max;
	__le32 geometry;
	__le32 blk_size;
};

static_assert(sizeof(struct vab_blk_config) ==
	      offsetofend(struct virtio_blk_config, blk_size));
static_assert(offsetof(struct vab_blk_config, size_max) ==
	      offsetof(struct virtio_blk_config, size_max));
static_assert(offsetof(struct vab_blk_config, seg_max) ==
	      offsetof(struct virtio_blk_config, seg_max));
static_assert(offsetof(struct vab_blk_config, blk_size) ==
	      offsetof(struct virtio_blk_config, blk_size));

/**
 * struct vab_blk - A virtio-blk device.
 * @file: the backing file or block device
 * @capacity: its size in 512-byte sectors
 * @ro: read-only: writes fail
 * @serial: the VIRTIO_BLK_T_GET_ID answer, zero-padded
 * @bounce: VAB_BLK_CHUNK bytes for reads
 *
 * Used by the device's work only, under its lock.
 */
struct vab_blk {
	struct file *file;
	u64 capacity;
	bool ro;
	char serial[VIRTIO_BLK_ID_BYTES];
	void *bounce;
};

/* struct virtio_blk_outhdr as a modern (little-endian) driver sends it. */
struct vab_blk_hdr {
	__le32 type;
	__le32 ioprio;
	__le64 sector;
};

static bool vab_blk_range_ok(const struct vab_blk *blk, u64 sector, u32 len)
{
	return IS_ALIGNED(len, 1U << VAB_BLK_SECTOR_SHIFT) &&
	       sector <= blk->capacity &&
	       len >> VAB_BLK_SECTOR_SHIFT <= blk->capacity - sector;
}

static u8 vab_blk_read(struct vab_blk *blk, struct vab_req *req, u64 sector,
		       u32 len)
{
	loff_t pos = sector << VAB_BLK_SECTOR_SHIFT;
	u32 done;

	for (done = 0; done < len; done += VAB_BLK_CHUNK) {
		u32 n = min(len - done, VAB_BLK_CHUNK);

		if (kernel_read(blk->file, blk->bounce, n, &pos) != n ||
		    vab_req_write(req, done, blk->bounce, n))
			return VIRTIO_BLK_S_IOERR;
	}
	return VIRTIO_BLK_S_OK;
}

static u8 vab_blk_write(struct vab_blk *blk, struct vab_req *req, u64 sector,
			u32 len)
{
	loff_t pos = sector << VAB_BLK_SECTOR_SHIFT;
	u32 done, n;

	if (blk->ro)
		return VIRTIO_BLK_S_IOERR;
	/* Straight from the buffer data the driver sent. */
	for (done = 0; done < len; done += n) {
		const void *src;

		n = len - done;
		src = vab_req_read_ptr(req, sizeof(struct vab_blk_hdr) + done,
				       &n);
		if (kernel_write(blk->file, src, n, &pos) != n)
			return VIRTIO_BLK_S_IOERR;
	}
	return VIRTIO_BLK_S_OK;
}

static u8 vab_blk_get_id(struct vab_blk *blk, struct vab_req *req, u32 len)
{
	return vab_req_write(req, 0, blk->serial,
			     min_t(u32, len, VIRTIO_BLK_ID_BYTES)) ?
	       VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

/* Serve one request; the status goes in the last writable byte. */
static void vab_blk_request(struct vab_blk *blk, struct vab_req *req)
{
	u32 writable = vab_req_writable(req);
	u32 readable = vab_req_readable(req);
	struct vab_blk_hdr hdr;
	u32 in, out;
	u64 sector;
	u8 status;

	if (vab_req_read(req, 0, &hdr, sizeof(hdr)) || !writable) {
		vab_req_abort(req, "virtio-blk request without header or status");
		return;
	}
	in = writable - 1;
	out = readable - sizeof(hdr);
	sector = le64_to_cpu(hdr.sector);

	switch (le32_to_cpu(hdr.type)) {
	case VIRTIO_BLK_T_IN:
		status = vab_blk_range_ok(blk, sector, in) ?
			 vab_blk_read(blk, req, sector, in) :
			 VIRTIO_BLK_S_IOERR;
		break;
	case VIRTIO_BLK_T_OUT:
		status = vab_blk_range_ok(blk, sector, out) ?
			 vab_blk_write(blk, req, sector, out) :
			 VIRTIO_BLK_S_IOERR;
		break;
	case VIRTIO_BLK_T_FLUSH:
		status = vfs_fsync(blk->file, 0) ? VIRTIO_BLK_S_IOERR :
						   VIRTIO_BLK_S_OK;
		break;
	case VIRTIO_BLK_T_GET_ID:
		status = vab_blk_get_id(blk, req, in);
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	vab_req_write(req, in, &status, sizeof(status));
	vab_req_done(req);
}

static void vab_blk_notify(struct vab_dev *dev, u16 index)
{
	struct vab_blk *blk = vab_dev_priv(dev);
	struct vab_req *req;

	while ((req = vab_queue_pop(dev, index)))
		vab_blk_request(blk, req);
}

static const struct vab_device_ops vab_blk_ops = {
	.device_id = VIRTIO_ID_BLOCK,
	.num_queues = 1,
	.max_queue_size = VAB_BLK_QUEUE_SIZE,
	.queue_notify = vab_blk_notify,
};

/*
 * The transport sends all the data of a request while it maps it, in
 * atomic context and before the kick, so it cannot wait for the device to
 * make room: a request must fit the device data ring, or it could never be
 * sent. Half the ring leaves room for the request's neighbours.
 */
static u32 vab_blk_seg_max(const struct vab_dev_params *params)
{
	u32 seg_msg = VAB_BLK_SIZE_MAX + VIRTIO_ARGO_DATA_HEAD_SIZE +
		      XEN_ARGO_MSG_SLOT_SIZE;
	u32 fit = argo_ring_max_payload(params->ring_len) / 2 / seg_msg;

	/* The header and the status byte take two descriptors. */
	return clamp_t(u32, fit, 1, VAB_BLK_QUEUE_SIZE - 2);
}

/**
 * vab_blk_create() - Serve a virtio-blk device backed by @file.
 * @params: where to serve it
 * @file: a regular file, a block device or any file that can seek to its
 *	end, opened for reading, and for writing unless @ro; the device owns
 *	this reference on success
 * @ro: offer a read-only disk (VIRTIO_BLK_F_RO) and refuse writes
 * @serial: the disk's id (VIRTIO_BLK_T_GET_ID), cut to 20 bytes
 *
 * The capacity is the file's size (its end, as llseek() finds it), rounded
 * down to 512 bytes.
 *
 * Return: the device, or an ERR_PTR().
 */
struct vab_dev *vab_blk_create(const struct vab_dev_params *params,
			       struct file *file, bool ro, const char *serial)
{
	u64 features = BIT_ULL(VIRTIO_BLK_F_SIZE_MAX) |
		       BIT_ULL(VIRTIO_BLK_F_SEG_MAX) |
		       BIT_ULL(VIRTIO_BLK_F_BLK_SIZE) |
		       BIT_ULL(VIRTIO_BLK_F_FLUSH);
	struct vab_blk_config config = {
		.size_max = cpu_to_le32(VAB_BLK_SIZE_MAX),
		.seg_max = cpu_to_le32(vab_blk_seg_max(params)),
		.blk_size = cpu_to_le32(1U << VAB_BLK_SECTOR_SHIFT),
	};
	struct vab_blk *blk;
	struct vab_dev *dev;
	loff_t size;

	/* Also right for a block device, whose inode here is the node's. */
	size = vfs_llseek(file, 0, SEEK_END);
	if (size < 0)
		return ERR_PTR(size);
	blk = kzalloc(sizeof(*blk), GFP_KERNEL);
	if (!blk)
		return ERR_PTR(-ENOMEM);
	blk->bounce = kvmalloc(VAB_BLK_CHUNK, GFP_KERNEL);
	if (!blk->bounce) {
		kfree(blk);
		return ERR_PTR(-ENOMEM);
	}
	blk->file = file;
	blk->ro = ro;
	blk->capacity = size >> VAB_BLK_SECTOR_SHIFT;
	memcpy(blk->serial, serial,
	       min_t(size_t, strlen(serial), VIRTIO_BLK_ID_BYTES));
	if (ro)
		features |= BIT_ULL(VIRTIO_BLK_F_RO);

	config.capacity = cpu_to_le64(blk->capacity);

	dev = vab_dev_create(params, &vab_blk_ops, features, &config,
			     sizeof(config), blk);
	if (IS_ERR(dev)) {
		kvfree(blk->bounce);
		kfree(blk);
	}
	return dev;
}

/**
 * vab_blk_destroy() - Stop a virtio-blk device and close its file.
 * @dev: a device from vab_blk_create()
 */
void vab_blk_destroy(struct vab_dev *dev)
{
	struct vab_blk *blk = vab_dev_priv(dev);

	vab_dev_destroy(dev);
	fput(blk->file);
	kvfree(blk->bounce);
	kfree(blk);
}

static struct vab_dev *vab_blk_model_create(const struct vab_dev_params *params,
					    const struct vab_opts *opts)
{
	const char *path = vab_opt_str(opts, "file");
	const char *serial = vab_opt_str(opts, "serial");
	struct vab_dev *dev;
	struct file *file;
	u32 ro;
	int ret;

	ret = vab_opt_u32(opts, "ro", 0, &ro);
	if (ret)
		return ERR_PTR(ret);
	if (!path) {
		pr_err("%s: file= is missing\n", params->name);
		return ERR_PTR(-EINVAL);
	}
	file = filp_open(path, (ro ? O_RDONLY : O_RDWR) | O_LARGEFILE, 0);
	if (IS_ERR(file)) {
		pr_err("%s: cannot open %s: %ld\n", params->name, path,
		       PTR_ERR(file));
		return ERR_CAST(file);
	}
	dev = vab_blk_create(params, file, ro, serial ?: kbasename(path));
	if (IS_ERR(dev))
		fput(file);
	return dev;
}

static const char *const vab_blk_keys[] = { "file", "ro", "serial", NULL };

const struct vab_model vab_blk_model = {
	.name = "blk",
	.keys = vab_blk_keys,
	.create = vab_blk_model_create,
	.destroy = vab_blk_destroy,
};
