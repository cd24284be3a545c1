// SPDX-License-Identifier: GPL-2.0-only
/*
 * Virtio transport over Xen's Argo interdomain messaging.
 *
 * Nothing is shared between the guest and the domain providing the device:
 * configuration, kicks, buffer contents and used-ring updates all travel as
 * Argo messages (Documentation/protocol.rst), so the hypervisor mediates,
 * and its access control checks, every transfer.
 *
 * Devices are platform devices, found in ACPI by the _HID ARGO0001 with
 * _DSD properties naming the device's domain and port, or, where a guest has
 * no ACPI (Xen PV), given with the device= parameter:
 *
 *   virtio_argo.device=<domid>:<port>:<virtio id>[:<queues>[:<queue size>]]
 *
 * repeated for more devices.
 *
 * This file: discovery and virtio_config_ops. The session and interrupt
 * path are in virtio_argo_ctrl.c, virtqueues in virtio_argo_vq.c and the
 * DMA ops that carry the data in virtio_argo_dma.c.
 */

#define pr_fmt(fmt) "virtio-argo: " fmt

#include <linux/acpi.h>
#include <linux/dma-map-ops.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "virtio_argo.h"

#define VIRTIO_ARGO_DRIVER_NAME		"virtio-argo"
#define VIRTIO_ARGO_MAX_PARAM_DEVICES	16
/* Domain ids from here on are reserved by Xen. */
#define VIRTIO_ARGO_DOMID_FIRST_RESERVED	0x7ff0U

static DEFINE_IDA(virtio_argo_ida);

/**
 * struct virtio_argo_desc_props - How discovery describes a device.
 * @domid: the device's domain ("backend-domid")
 * @port: its control ring's port ("backend-port")
 * @device_id: virtio device id ("virtio-device-id")
 * @num_queues: most queues the device may have ("num-queues")
 * @queue_size_max: largest queue size ("queue-size-max")
 */
struct virtio_argo_desc_props {
	u32 domid;
	u32 port;
	u32 device_id;
	u32 num_queues;
	u32 queue_size_max;
};

static void virtio_argo_get(struct virtio_device *vdev, unsigned int offset,
			    void *buf, unsigned int len)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);
	struct virtio_argo_msg req, reply;
	int ret;

	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_GET_CONFIG, 0);
	req.config.offset = offset;
	req.config.size = len;
	mutex_lock(&vadev->req_mutex);
	ret = virtio_argo_request(vadev, &req, &reply);
	if (!ret && (reply.config.offset != offset || reply.config.size != len)) {
		dev_warn_ratelimited(&vadev->pdev->dev,
				     "config read of %u bytes at %u answered with %u at %u\n",
				     len, offset, reply.config.size,
				     reply.config.offset);
		ret = -EBADMSG;
	}
	if (!ret)
		memcpy(buf, reply.config.data, len);
	else	/* as a read from a device that went away */
		memset(buf, 0xff, len);
	mutex_unlock(&vadev->req_mutex);
}

static void virtio_argo_set(struct virtio_device *vdev, unsigned int offset,
			    const void *buf, unsigned int len)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);
	struct virtio_argo_msg req, reply;

	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_SET_CONFIG, 0);
	req.config.offset = offset;
	req.config.size = len;
	req.config.data = buf;
	mutex_lock(&vadev->req_mutex);
	virtio_argo_request(vadev, &req, &reply);
	mutex_unlock(&vadev->req_mutex);
}

/* A request without payload; its reply's values are copied to @reply. */
static int virtio_argo_read_value(struct virtio_argo_device *vadev, u8 type,
				  struct virtio_argo_msg *reply)
{
	struct virtio_argo_msg req;
	int ret;

	virtio_argo_msg_init(&req, 0, type, 0);
	mutex_lock(&vadev->req_mutex);
	ret = virtio_argo_request(vadev, &req, reply);
	mutex_unlock(&vadev->req_mutex);
	return ret;
}

static u32 virtio_argo_generation(struct virtio_device *vdev)
{
	struct virtio_argo_msg reply;

	if (virtio_argo_read_value(to_virtio_argo(vdev),
				   VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION, &reply))
		return 0;
	return reply.generation;
}

static u8 virtio_argo_get_status(struct virtio_device *vdev)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);
	struct virtio_argo_msg reply;
	u8 status;

	if (!virtio_argo_read_value(vadev, VIRTIO_ARGO_MSG_GET_STATUS, &reply))
		return reply.device_status;
	/* Broken: it needs a reset, unless the driver just did one. */
	status = READ_ONCE(vadev->status);
	return status ? status | VIRTIO_CONFIG_S_NEEDS_RESET : 0;
}

/* SET_STATUS; with 0 the reply comes once the device reset completed. */
static int virtio_argo_write_status(struct virtio_argo_device *vadev,
				    u8 status)
{
	struct virtio_argo_msg req, reply;
	int ret;

	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_SET_STATUS, 0);
	req.device_status = status;
	mutex_lock(&vadev->req_mutex);
	WRITE_ONCE(vadev->status, status);
	ret = virtio_argo_request(vadev, &req, &reply);
	mutex_unlock(&vadev->req_mutex);
	return ret;
}

static void virtio_argo_set_status(struct virtio_device *vdev, u8 status)
{
	/* Never 0 here: the virtio core resets through ->reset(). */
	WARN_ON(!status);
	virtio_argo_write_status(to_virtio_argo(vdev), status);
}

static void virtio_argo_reset(struct virtio_device *vdev)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);

	virtio_argo_write_status(vadev, 0);
	/*
	 * The device forgot its queues: so does the receive path. Buffers
	 * still held, awaiting a refail round, go back to the driver as
	 * unused, as after any reset.
	 */
	cancel_delayed_work_sync(&vadev->refail_work);
	flush_work(&vadev->rx_work);
	virtio_argo_reset_vqs(vadev);
}

/* Feature blocks exchanged: the 64 bits virtio_config_ops carries. */
static unsigned int virtio_argo_feature_blocks(struct virtio_argo_device *vadev)
{
	return min_t(unsigned int, vadev->own.num_feature_blocks, 2);
}

static u64 virtio_argo_get_features(struct virtio_device *vdev)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);
	struct virtio_argo_msg req, reply;
	u64 features = 0;
	unsigned int i;

	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_GET_FEATURES, 0);
	req.features.index = 0;
	req.features.count = virtio_argo_feature_blocks(vadev);
	mutex_lock(&vadev->req_mutex);
	if (!virtio_argo_request(vadev, &req, &reply) &&
	    reply.features.index == 0 &&
	    reply.features.count == req.features.count) {
		for (i = 0; i < reply.features.count; i++)
			features |= (u64)le32_to_cpu(reply.features.words[i]) <<
				    (32 * i);
	}
	mutex_unlock(&vadev->req_mutex);
	return features;
}

static int virtio_argo_finalize_features(struct virtio_device *vdev)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);
	struct virtio_argo_msg req, reply;
	__le32 words[2];
	int ret;

	vring_transport_features(vdev);
	/* Split rings only, and every kick must reach the device. */
	__virtio_clear_bit(vdev, VIRTIO_F_RING_PACKED);
	__virtio_clear_bit(vdev, VIRTIO_RING_F_EVENT_IDX);
#ifdef VIRTIO_F_NOTIFICATION_DATA
	/* A kick carries the avail idx already; no notification data. */
	__virtio_clear_bit(vdev, VIRTIO_F_NOTIFICATION_DATA);
#endif
	if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1) ||
	    !__virtio_test_bit(vdev, VIRTIO_F_ACCESS_PLATFORM)) {
		dev_err(&vdev->dev,
			"device must offer VIRTIO_F_VERSION_1 and VIRTIO_F_ACCESS_PLATFORM\n");
		return -EINVAL;
	}

	words[0] = cpu_to_le32(lower_32_bits(vdev->features));
	words[1] = cpu_to_le32(upper_32_bits(vdev->features));
	virtio_argo_msg_init(&req, 0, VIRTIO_ARGO_MSG_SET_FEATURES, 0);
	req.features.index = 0;
	req.features.count = virtio_argo_feature_blocks(vadev);
	req.features.words = words;
	mutex_lock(&vadev->req_mutex);
	ret = virtio_argo_request(vadev, &req, &reply);
	mutex_unlock(&vadev->req_mutex);
	return ret;
}

/*
 * In PV guests of kernels built with CONFIG_XEN_VIRTIO, or with
 * CONFIG_XEN_VIRTIO_FORCE_GRANT, the virtio core's memory-access check
 * (virtio_check_mem_acc_cb()) has Xen's grant DMA layer put its own ops on
 * our device while the driver probes, assuming a device side that maps
 * grants. Ours never reads guest memory: every transfer is an Argo copy,
 * which is the restriction that check asks for. So take the device back
 * before the first mapping (the vrings, allocated next).
 */
static void virtio_argo_claim_dma_ops(struct virtio_argo_device *vadev)
{
	struct device *dev = &vadev->pdev->dev;

	if (get_dma_ops(dev) == &virtio_argo_dma_ops)
		return;
	dev_info(dev, "DMA ops replaced at probe (Xen grant DMA?); restoring virtio-argo's: data moves by Argo copies, never by grants\n");
	set_dma_ops(dev, &virtio_argo_dma_ops);
}

#ifdef VIRTIO_ARGO_HAVE_VQS_INFO
static int virtio_argo_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
				struct virtqueue *vqs[],
				struct virtqueue_info vqs_info[],
				struct irq_affinity *desc)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);
	unsigned int i, queue_idx = 0;
	int ret = 0;

	virtio_argo_claim_dma_ops(vadev);
	for (i = 0; !ret && i < nvqs; i++) {
		if (!vqs_info[i].name) {
			vqs[i] = NULL;
			continue;
		}
		ret = virtio_argo_setup_vq(vadev, queue_idx++, vqs_info[i].name,
					   vqs_info[i].callback,
					   vqs_info[i].ctx, &vqs[i]);
	}
	if (ret)
		virtio_argo_del_vqs(vdev);
	return ret;
}
#else
static int virtio_argo_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
				struct virtqueue *vqs[],
				vq_callback_t *callbacks[],
				const char * const names[], const bool *ctx,
				struct irq_affinity *desc)
{
	struct virtio_argo_device *vadev = to_virtio_argo(vdev);
	unsigned int i, queue_idx = 0;
	int ret = 0;

	virtio_argo_claim_dma_ops(vadev);
	for (i = 0; !ret && i < nvqs; i++) {
		if (!names[i]) {
			vqs[i] = NULL;
			continue;
		}
		ret = virtio_argo_setup_vq(vadev, queue_idx++, names[i],
					   callbacks[i], ctx && ctx[i],
					   &vqs[i]);
	}
	if (ret)
		virtio_argo_del_vqs(vdev);
	return ret;
}
#endif

static const char *virtio_argo_bus_name(struct virtio_device *vdev)
{
	return dev_name(&to_virtio_argo(vdev)->pdev->dev);
}

/* Queue callbacks run from rx_work. */
static void virtio_argo_synchronize_cbs(struct virtio_device *vdev)
{
	flush_work(&to_virtio_argo(vdev)->rx_work);
}

/*
 * No set/get_vq_affinity: every queue's interrupt is the one VIRQ_ARGO of
 * the domain, so there is nothing per queue to steer.
 */
static const struct virtio_config_ops virtio_argo_config_ops = {
	.get = virtio_argo_get,
	.set = virtio_argo_set,
	.generation = virtio_argo_generation,
	.get_status = virtio_argo_get_status,
	.set_status = virtio_argo_set_status,
	.reset = virtio_argo_reset,
	.find_vqs = virtio_argo_find_vqs,
	.del_vqs = virtio_argo_del_vqs,
	.synchronize_cbs = virtio_argo_synchronize_cbs,
	.get_features = virtio_argo_get_features,
	.finalize_features = virtio_argo_finalize_features,
	.bus_name = virtio_argo_bus_name,
};

static int virtio_argo_read_prop(struct device *dev, const char *name,
				 u32 min, u32 max, u32 *val)
{
	int ret = device_property_read_u32(dev, name, val);

	if (ret) {
		dev_err(dev, "missing or invalid property \"%s\" (%d)\n", name,
			ret);
		return -EINVAL;
	}
	if (*val < min || *val > max) {
		dev_err(dev, "property \"%s\" is %u, not in %u..%u\n", name,
			*val, min, max);
		return -EINVAL;
	}
	return 0;
}

/**
 * virtio_argo_read_props() - Read and check a device's description.
 * @dev: the platform device, with ACPI _DSD or software-node properties
 * @props: gets the description
 *
 * Return: 0, or -EINVAL after logging which property is missing or wrong.
 */
static int virtio_argo_read_props(struct device *dev,
				  struct virtio_argo_desc_props *props)
{
	int ret;

	ret = virtio_argo_read_prop(dev, "backend-domid", 0,
				    VIRTIO_ARGO_DOMID_FIRST_RESERVED - 1,
				    &props->domid);
	ret = ret ?: virtio_argo_read_prop(dev, "backend-port", 1,
					   VIRTIO_ARGO_BUFFER_PORT_BASE - 1,
					   &props->port);
	ret = ret ?: virtio_argo_read_prop(dev, "virtio-device-id", 1, U16_MAX,
					   &props->device_id);
	ret = ret ?: virtio_argo_read_prop(dev, "num-queues", 1,
					   VIRTIO_ARGO_MAX_QUEUES,
					   &props->num_queues);
	ret = ret ?: virtio_argo_read_prop(dev, "queue-size-max", 1,
					   VIRTIO_ARGO_MAX_QUEUE_SIZE,
					   &props->queue_size_max);
	if (!ret && !is_power_of_2(props->queue_size_max)) {
		dev_err(dev, "property \"queue-size-max\" is %u, not a power of 2\n",
			props->queue_size_max);
		ret = -EINVAL;
	}
	return ret;
}

static void virtio_argo_release_dev(struct device *dev)
{
	struct virtio_device *vdev = dev_to_virtio(dev);

	kfree(to_virtio_argo(vdev));
}

static int virtio_argo_probe(struct platform_device *pdev)
{
	struct virtio_argo_desc_props props;
	struct virtio_argo_device *vadev;
	int ret;

	ret = virtio_argo_read_props(&pdev->dev, &props);
	if (ret)
		return ret;

	vadev = kzalloc(sizeof(*vadev), GFP_KERNEL);
	if (!vadev)
		return -ENOMEM;
	vadev->pdev = pdev;
	vadev->argo = argo_iface_default();
	vadev->backend_domid = props.domid;
	vadev->backend_port = props.port;
	vadev->device_id = props.device_id;
	mutex_init(&vadev->req_mutex);
	spin_lock_init(&vadev->lock);
	init_waitqueue_head(&vadev->space);
	vadev->vdev.dev.parent = &pdev->dev;
	vadev->vdev.dev.release = virtio_argo_release_dev;
	vadev->vdev.config = &virtio_argo_config_ops;

	ret = ida_alloc_max(&virtio_argo_ida, 255, GFP_KERNEL);
	if (ret < 0)
		goto err_free;
	vadev->index = ret;

	/* Ours before the mask is set: setting it may consult the ops. */
	set_dma_ops(&pdev->dev, &virtio_argo_dma_ops);
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto err_ida;
	platform_set_drvdata(pdev, vadev);

	ret = virtio_argo_session_open(vadev, props.num_queues,
				       props.queue_size_max);
	if (ret) {
		dev_err(&pdev->dev, "no device at %u:%#x: %d\n", props.domid,
			props.port, ret);
		goto err_session;
	}

	ret = register_virtio_device(&vadev->vdev);
	if (ret) {
		virtio_argo_session_close(vadev);
		ida_free(&virtio_argo_ida, vadev->index);
		platform_set_drvdata(pdev, NULL);
		set_dma_ops(&pdev->dev, NULL);
		/* Frees vadev, through virtio_argo_release_dev(). */
		put_device(&vadev->vdev.dev);
		return ret;
	}
	virtio_argo_debugfs_add(vadev);
	dev_info(&pdev->dev, "virtio device %u at Argo %u:%#x\n",
		 props.device_id, props.domid, props.port);
	return 0;

err_session:
	virtio_argo_session_close(vadev);
	platform_set_drvdata(pdev, NULL);
err_ida:
	/* The device outlives this module: leave no pointer into it. */
	set_dma_ops(&pdev->dev, NULL);
	ida_free(&virtio_argo_ida, vadev->index);
err_free:
	kfree(vadev);
	return ret;
}

static void virtio_argo_remove(struct platform_device *pdev)
{
	struct virtio_argo_device *vadev = platform_get_drvdata(pdev);

	virtio_argo_debugfs_remove(vadev);
	/* Keep vadev until the session is closed. */
	get_device(&vadev->vdev.dev);
	/* The driver resets the device and deletes its queues here. */
	unregister_virtio_device(&vadev->vdev);
	virtio_argo_dma_release(vadev);
	virtio_argo_session_close(vadev);
	ida_free(&virtio_argo_ida, vadev->index);
	platform_set_drvdata(pdev, NULL);
	set_dma_ops(&pdev->dev, NULL);
	put_device(&vadev->vdev.dev);
}

/* Devices given with device=, as platform devices with properties. */
static struct platform_device *virtio_argo_param_devs[VIRTIO_ARGO_MAX_PARAM_DEVICES];
static struct virtio_argo_desc_props virtio_argo_param_props[VIRTIO_ARGO_MAX_PARAM_DEVICES];
static unsigned int virtio_argo_param_count;

static int virtio_argo_param_set(const char *val, const struct kernel_param *kp)
{
	struct virtio_argo_desc_props props = {
		.num_queues = VIRTIO_ARGO_MAX_QUEUES,
		.queue_size_max = 256,
	};
	int n;

	if (virtio_argo_param_count >= VIRTIO_ARGO_MAX_PARAM_DEVICES) {
		pr_err("device=%s: at most %u devices\n", val,
		       VIRTIO_ARGO_MAX_PARAM_DEVICES);
		return -ENOSPC;
	}
	n = sscanf(val, "%u:%i:%u:%u:%u", &props.domid, &props.port,
		   &props.device_id, &props.num_queues, &props.queue_size_max);
	if (n < 3) {
		pr_err("device=%s: expected <domid>:<port>:<virtio id>[:<queues>[:<queue size>]]\n",
		       val);
		return -EINVAL;
	}
	virtio_argo_param_props[virtio_argo_param_count++] = props;
	return 0;
}

static int virtio_argo_param_get(char *buffer, const struct kernel_param *kp)
{
	unsigned int i;
	int len = 0;

	for (i = 0; i < virtio_argo_param_count; i++) {
		const struct virtio_argo_desc_props *p =
			&virtio_argo_param_props[i];

		len += sysfs_emit_at(buffer, len, "%u:%#x:%u:%u:%u\n", p->domid,
				     p->port, p->device_id, p->num_queues,
				     p->queue_size_max);
	}
	return len;
}

static const struct kernel_param_ops virtio_argo_param_ops = {
	.set = virtio_argo_param_set,
	.get = virtio_argo_param_get,
};
module_param_cb(device, &virtio_argo_param_ops, NULL, 0400);
MODULE_PARM_DESC(device,
		 "Device without ACPI: <domid>:<port>:<virtio id>[:<queues>[:<queue size>]]");

static void virtio_argo_param_devices_unregister(void)
{
	while (virtio_argo_param_count)
		platform_device_unregister(virtio_argo_param_devs[--virtio_argo_param_count]);
}

static int virtio_argo_param_devices_register(void)
{
	unsigned int i;

	for (i = 0; i < virtio_argo_param_count; i++) {
		const struct virtio_argo_desc_props *p =
			&virtio_argo_param_props[i];
		const struct property_entry props[] = {
			PROPERTY_ENTRY_U32("backend-domid", p->domid),
			PROPERTY_ENTRY_U32("backend-port", p->port),
			PROPERTY_ENTRY_U32("virtio-device-id", p->device_id),
			PROPERTY_ENTRY_U32("num-queues", p->num_queues),
			PROPERTY_ENTRY_U32("queue-size-max", p->queue_size_max),
			{ }
		};
		const struct platform_device_info info = {
			.name = VIRTIO_ARGO_DRIVER_NAME,
			.id = i,
			.properties = props,
		};
		struct platform_device *pdev;

		pdev = platform_device_register_full(&info);
		if (IS_ERR(pdev)) {
			virtio_argo_param_count = i;
			virtio_argo_param_devices_unregister();
			return PTR_ERR(pdev);
		}
		virtio_argo_param_devs[i] = pdev;
	}
	return 0;
}

static const struct acpi_device_id virtio_argo_acpi_match[] = {
	{ "ARGO0001", },
	{ }
};
MODULE_DEVICE_TABLE(acpi, virtio_argo_acpi_match);

static struct platform_driver virtio_argo_driver = {
	.probe = virtio_argo_probe,
	.remove_new = virtio_argo_remove,
	.driver = {
		.name = VIRTIO_ARGO_DRIVER_NAME,
		.acpi_match_table = virtio_argo_acpi_match,
	},
};

static int __init virtio_argo_init(void)
{
	int ret;

	virtio_argo_debugfs_init();
	ret = platform_driver_register(&virtio_argo_driver);
	if (ret)
		goto err_debugfs;
	ret = virtio_argo_param_devices_register();
	if (ret)
		goto err_driver;
	return 0;

err_driver:
	platform_driver_unregister(&virtio_argo_driver);
err_debugfs:
	virtio_argo_debugfs_exit();
	return ret;
}

static void __exit virtio_argo_exit(void)
{
	virtio_argo_param_devices_unregister();
	platform_driver_unregister(&virtio_argo_driver);
	virtio_argo_debugfs_exit();
}

module_init(virtio_argo_init);
module_exit(virtio_argo_exit);

MODULE_DESCRIPTION("Virtio transport over Xen Argo");
MODULE_LICENSE("GPL");
