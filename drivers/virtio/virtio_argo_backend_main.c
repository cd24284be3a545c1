// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo device side: the module. It serves the virtio devices listed
 * in the devices= parameter, each at its own Argo port, to the driver
 * domain given by frontend= (Documentation/device-side.rst).
 *
 *   devices="blk:port=0x56420010,file=/dev/vdb,ro=1;rng:port=0x56420020"
 *
 * Options every device takes: port= (its control ring, required),
 * data_port= (its data ring, default port + 1) and frontend= (overrides
 * the module's). The device models take their own (blk: file=, ro=,
 * serial=; console: name=; net: mac=, name=).
 */

#define pr_fmt(fmt) "virtio_argo_backend: " fmt

#include <linux/argo.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "virtio_argo_backend.h"

static char *devices = "";
module_param(devices, charp, 0444);
MODULE_PARM_DESC(devices,
		 "Devices to serve: type:port=N[,data_port=N][,frontend=D][,option=value...] separated by ';' (types: blk, rng, console, net)");

static int frontend = -1;
module_param(frontend, int, 0444);
MODULE_PARM_DESC(frontend,
		 "Driver domain the devices serve; 32756 (0x7ff4) for any domain, the default on the simulated provider. Required on Xen");

static unsigned int ring_kib = 256;
module_param(ring_kib, uint, 0444);
MODULE_PARM_DESC(ring_kib,
		 "Size of each device ring in KiB (16 to 16384); bounds the largest message");

static unsigned int buffer_mib = 64;
module_param(buffer_mib, uint, 0444);
MODULE_PARM_DESC(buffer_mib,
		 "Most MiB of buffer data a driver may have the device keep, per device");

static const struct vab_model *const vab_models[] = {
	&vab_blk_model,
	&vab_rng_model,
	&vab_console_model,
#if IS_ENABLED(CONFIG_NET)
	&vab_net_model,
#endif
};

static const char *const vab_common_keys[] = {
	"port", "data_port", "frontend", NULL,
};

/**
 * struct vab_instance - A device this module serves.
 * @node: in vab_instances
 * @model: its type
 * @dev: the device
 */
struct vab_instance {
	struct list_head node;
	const struct vab_model *model;
	struct vab_dev *dev;
};

/* Changed by module init and exit only. */
static LIST_HEAD(vab_instances);

/**
 * vab_opt_str() - The value of an option.
 * @opts: the options of one device
 * @key: the option's name
 *
 * Return: its value, or NULL when it is absent.
 */
const char *vab_opt_str(const struct vab_opts *opts, const char *key)
{
	unsigned int i;

	for (i = 0; i < opts->n; i++)
		if (!strcmp(opts->key[i], key))
			return opts->val[i];
	return NULL;
}

/**
 * vab_opt_u32() - The value of a numeric option.
 * @opts: the options of one device
 * @key: the option's name
 * @def: the value when the option is absent
 * @val: set to the value
 *
 * Numbers may be given in decimal, or in hexadecimal with a 0x prefix.
 *
 * Return: 0, or -EINVAL (logged) if the value is no u32.
 */
int vab_opt_u32(const struct vab_opts *opts, const char *key, u32 def,
		u32 *val)
{
	const char *str = vab_opt_str(opts, key);

	*val = def;
	if (str && kstrtou32(str, 0, val)) {
		pr_err("%s=%s is not a number\n", key, str);
		return -EINVAL;
	}
	return 0;
}

static bool vab_key_in(const char *const *keys, const char *key)
{
	for (; *keys; keys++)
		if (!strcmp(*keys, key))
			return true;
	return false;
}

/* Split "k=v,k=v" in place into @opts, checking every key. */
static int vab_parse_opts(const struct vab_model *model, char *str,
			  struct vab_opts *opts)
{
	char *opt;

	opts->n = 0;
	while ((opt = strsep(&str, ","))) {
		char *val = strchr(opt, '=');

		if (!*opt)
			continue;
		if (!val || opts->n == VAB_MAX_OPTS) {
			pr_err("%s: bad option \"%s\"\n", model->name, opt);
			return -EINVAL;
		}
		*val++ = '\0';
		if (!vab_key_in(vab_common_keys, opt) &&
		    !vab_key_in(model->keys, opt)) {
			pr_err("%s: unknown option %s\n", model->name, opt);
			return -EINVAL;
		}
		opts->key[opts->n] = opt;
		opts->val[opts->n++] = val;
	}
	return 0;
}

static const struct vab_model *vab_find_model(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vab_models); i++)
		if (!strcmp(vab_models[i]->name, name))
			return vab_models[i];
	return NULL;
}

/* Create the device "type:options" describes, with @partner by default. */
static int vab_add_device(char *spec, u16 partner)
{
	struct vab_dev_params params = {
		.iface = argo_iface_default(),
		.ring_len = ring_kib * 1024 - ARGO_RING_HEADER_SIZE,
		.buffer_budget = (size_t)buffer_mib << 20,
	};
	const struct vab_model *model;
	struct vab_instance *inst;
	struct vab_opts opts;
	char name[32];
	char *type;
	u32 val;
	int ret;

	type = strsep(&spec, ":");
	model = vab_find_model(type);
	if (!model) {
		pr_err("unknown device type \"%s\"\n", type);
		return -EINVAL;
	}
	ret = vab_parse_opts(model, spec, &opts);
	if (ret)
		return ret;
	ret = vab_opt_u32(&opts, "port", VIRTIO_ARGO_PORT_NONE,
			  &params.ctrl_port);
	if (!ret)
		ret = vab_opt_u32(&opts, "data_port", params.ctrl_port + 1,
				  &params.data_port);
	if (!ret)
		ret = vab_opt_u32(&opts, "frontend", partner, &val);
	if (ret)
		return ret;
	if (params.ctrl_port == VIRTIO_ARGO_PORT_NONE ||
	    params.data_port == VIRTIO_ARGO_PORT_NONE ||
	    params.data_port == params.ctrl_port || val > U16_MAX) {
		pr_err("%s: needs port= and data_port= distinct and nonzero, and a domain id in frontend=\n",
		       model->name);
		return -EINVAL;
	}
	params.partner = val;
	snprintf(name, sizeof(name), "%s@%#x", model->name, params.ctrl_port);
	params.name = name;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return -ENOMEM;
	inst->model = model;
	inst->dev = model->create(&params, &opts);
	if (IS_ERR(inst->dev)) {
		ret = PTR_ERR(inst->dev);
		kfree(inst);
		return ret;
	}
	list_add_tail(&inst->node, &vab_instances);
	pr_info("%s: serving domain %u, data ring %#x\n", name,
		params.partner, params.data_port);
	return 0;
}

static void vab_remove_all(void)
{
	struct vab_instance *inst, *next;

	list_for_each_entry_safe_reverse(inst, next, &vab_instances, node) {
		list_del(&inst->node);
		inst->model->destroy(inst->dev);
		kfree(inst);
	}
}

/* The partner domain for devices without frontend=. */
static int vab_default_partner(u16 *partner)
{
	if (frontend >= 0 && frontend <= U16_MAX) {
		*partner = frontend;
		return 0;
	}
	if (frontend == -1 &&
	    !strcmp(argo_iface_name(argo_iface_default()), "sim")) {
		*partner = XEN_ARGO_DOMID_ANY;
		return 0;
	}
	/* On Xen a wildcard ring would offer the device to every domain. */
	pr_err("frontend= must name the driver domain (or 32756 for any)\n");
	return -EINVAL;
}

static int __init vab_init(void)
{
	char *list, *rest, *spec;
	u16 partner;
	int ret;

	if (!*devices)
		return vab_engine_init();
	if (ring_kib < 16 || ring_kib > 16384) {
		pr_err("ring_kib=%u is not within 16..16384\n", ring_kib);
		return -EINVAL;
	}
	ret = vab_default_partner(&partner);
	if (ret)
		return ret;
	ret = vab_engine_init();
	if (ret)
		return ret;

	list = kstrdup(devices, GFP_KERNEL);
	if (!list) {
		ret = -ENOMEM;
		goto err;
	}
	rest = list;
	while ((spec = strsep(&rest, ";"))) {
		if (!*spec)
			continue;
		ret = vab_add_device(spec, partner);
		if (ret)
			break;
	}
	kfree(list);
	if (!ret)
		return 0;
err:
	vab_remove_all();
	vab_engine_exit();
	return ret;
}

static void __exit vab_exit(void)
{
	vab_remove_all();
	vab_engine_exit();
}

module_init(vab_init);
module_exit(vab_exit);

MODULE_DESCRIPTION("virtio devices served over Xen Argo (device side of virtio-argo)");
MODULE_LICENSE("GPL");
