// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo device side: virtio-rng, fed by the backend domain's
 * get_random_bytes().
 */

#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/virtio_ids.h>

#include "virtio_argo_backend.h"

#define VAB_RNG_QUEUE_SIZE	64
/* Most bytes one request gets: bounds the work a guest can ask for. */
#define VAB_RNG_MAX		4096U

/**
 * struct vab_rng - A virtio-rng device.
 * @buf: the random bytes of the request being served
 */
struct vab_rng {
	u8 buf[VAB_RNG_MAX];
};

static void vab_rng_notify(struct vab_dev *dev, u16 index)
{
	struct vab_rng *rng = vab_dev_priv(dev);
	struct vab_req *req;

	while ((req = vab_queue_pop(dev, index))) {
		u32 len = min(vab_req_writable(req), VAB_RNG_MAX);

		get_random_bytes(rng->buf, len);
		vab_req_write(req, 0, rng->buf, len);
		vab_req_done(req);
	}
	/* Bytes another domain got are no business of this one's memory. */
	memzero_explicit(rng->buf, sizeof(rng->buf));
}

static const struct vab_device_ops vab_rng_ops = {
	.device_id = VIRTIO_ID_RNG,
	.num_queues = 1,
	.max_queue_size = VAB_RNG_QUEUE_SIZE,
	.queue_notify = vab_rng_notify,
};

/**
 * vab_rng_create() - Serve a virtio-rng device.
 * @params: where to serve it
 *
 * Return: the device, or an ERR_PTR().
 */
struct vab_dev *vab_rng_create(const struct vab_dev_params *params)
{
	struct vab_rng *rng;
	struct vab_dev *dev;

	rng = kzalloc(sizeof(*rng), GFP_KERNEL);
	if (!rng)
		return ERR_PTR(-ENOMEM);
	dev = vab_dev_create(params, &vab_rng_ops, 0, NULL, 0, rng);
	if (IS_ERR(dev))
		kfree(rng);
	return dev;
}

/**
 * vab_rng_destroy() - Stop a virtio-rng device.
 * @dev: a device from vab_rng_create()
 */
void vab_rng_destroy(struct vab_dev *dev)
{
	struct vab_rng *rng = vab_dev_priv(dev);

	vab_dev_destroy(dev);
	kfree(rng);
}

static struct vab_dev *vab_rng_model_create(const struct vab_dev_params *params,
					    const struct vab_opts *opts)
{
	return vab_rng_create(params);
}

static const char *const vab_rng_keys[] = { NULL };

const struct vab_model vab_rng_model = {
	.name = "rng",
	.keys = vab_rng_keys,
	.create = vab_rng_model_create,
	.destroy = vab_rng_destroy,
};
