// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo diagnostics: the transport's tracepoints
 * (virtio_argo_trace.h) are created here, and its counters shown in
 * debugfs, one value per file:
 *
 *   virtio-argo/buffer_rings          the budget of buffer rings
 *   virtio-argo/buffer_rings_in_use   buffer rings held now, all devices
 *   virtio-argo/<device>/             one directory per device, named as
 *                                     the platform device (and its log
 *                                     lines): struct virtio_argo_stats
 *
 * The Argo layer's own counters (hypercalls by op, VIRQs) are in argo/.
 * Nothing here checks debugfs results: calls on a failed parent do nothing.
 */

#include <linux/debugfs.h>
#include <linux/platform_device.h>
#include <linux/stddef.h>

#include "virtio_argo.h"

#define CREATE_TRACE_POINTS
#include "virtio_argo_trace.h"

static struct dentry *virtio_argo_debugfs_root;

static int virtio_argo_debugfs_get(void *data, u64 *val)
{
	*val = atomic64_read(data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(virtio_argo_debugfs_fops, virtio_argo_debugfs_get,
			 NULL, "%llu\n");

#define VIRTIO_ARGO_COUNTER(name) \
	{ #name, offsetof(struct virtio_argo_stats, name) }

static const struct {
	const char *name;
	size_t offset;
} virtio_argo_counters[] = {
	VIRTIO_ARGO_COUNTER(msgs_sent),
	VIRTIO_ARGO_COUNTER(bytes_sent),
	VIRTIO_ARGO_COUNTER(msgs_received),
	VIRTIO_ARGO_COUNTER(bytes_received),
	VIRTIO_ARGO_COUNTER(eagain),
	VIRTIO_ARGO_COUNTER(kicks),
	VIRTIO_ARGO_COUNTER(used),
	VIRTIO_ARGO_COUNTER(failed),
	VIRTIO_ARGO_COUNTER(bounces),
	VIRTIO_ARGO_COUNTER(ring_maps),
	VIRTIO_ARGO_COUNTER(ring_budget_full),
	VIRTIO_ARGO_COUNTER(irqs_off_waits),
};

/**
 * virtio_argo_debugfs_init() - Create the transport's debugfs directory.
 */
void virtio_argo_debugfs_init(void)
{
	virtio_argo_debugfs_root = debugfs_create_dir("virtio-argo", NULL);
	virtio_argo_dma_debugfs(virtio_argo_debugfs_root);
}

/**
 * virtio_argo_debugfs_exit() - Remove it, once every device is gone.
 */
void virtio_argo_debugfs_exit(void)
{
	debugfs_remove(virtio_argo_debugfs_root);
}

/**
 * virtio_argo_debugfs_add() - Show a device's counters.
 * @vadev: the device; its counters must outlive virtio_argo_debugfs_remove()
 */
void virtio_argo_debugfs_add(struct virtio_argo_device *vadev)
{
	struct dentry *dir;
	unsigned int i;

	dir = debugfs_create_dir(dev_name(&vadev->pdev->dev),
				 virtio_argo_debugfs_root);
	for (i = 0; i < ARRAY_SIZE(virtio_argo_counters); i++)
		debugfs_create_file_unsafe(virtio_argo_counters[i].name, 0444,
					   dir, (void *)&vadev->stats +
					   virtio_argo_counters[i].offset,
					   &virtio_argo_debugfs_fops);
	debugfs_create_atomic_t("buffer_rings_in_use", 0444, dir,
				&vadev->stats.buffer_rings);
}

/**
 * virtio_argo_debugfs_remove() - Remove a device's counters.
 * @vadev: the device
 *
 * Waits for readers of its files, so the counters may go afterwards.
 */
void virtio_argo_debugfs_remove(struct virtio_argo_device *vadev)
{
	debugfs_lookup_and_remove(dev_name(&vadev->pdev->dev),
				  virtio_argo_debugfs_root);
}
