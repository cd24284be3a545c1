// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo device side: virtio-console with one port, bridged to a misc
 * character device in the backend domain. What the guest writes to its
 * console can be read from /dev/<name>; what is written to /dev/<name>
 * appears on the guest's console.
 *
 * Guest output goes into a FIFO that the character device's readers drain;
 * when nobody reads and the FIFO is full, further output is dropped, so
 * that a guest never stalls on its console for want of a reader. Input
 * written to the character device waits in a second FIFO (writers block
 * while it is full) until the guest has receive buffers available.
 */

#define pr_fmt(fmt) "virtio_argo_backend: " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <uapi/linux/virtio_console.h>
#include <uapi/linux/virtio_ids.h>

#include "virtio_argo_backend.h"

#define VAB_CON_QUEUE_SIZE	64
/* Port 0's queues, the only ones without VIRTIO_CONSOLE_F_MULTIPORT. */
#define VAB_CON_RX		0	/* receiveq: to the guest */
#define VAB_CON_TX		1	/* transmitq: from the guest */
#define VAB_CON_FIFO		4096

/**
 * struct vab_con - A virtio-console device and its character device.
 * @dev: the device
 * @misc: the character device
 * @name: its name, also the device node's
 * @lock: guards both FIFOs and @dropped; taken inside vab_dev.lock by the
 *	work, alone by the character device
 * @to_host: guest output not read yet
 * @to_guest: input waiting for a guest receive buffer
 * @dropped: guest output bytes lost to a full @to_host
 * @readq: readers waiting for guest output
 * @writeq: writers waiting for room in @to_guest
 * @buf: a request's bytes, used by the work only
 */
struct vab_con {
	struct vab_dev *dev;
	struct miscdevice misc;
	char name[32];
	/* Guards the FIFOs; see the kernel-doc above. */
	struct mutex lock;
	DECLARE_KFIFO(to_host, u8, VAB_CON_FIFO);
	DECLARE_KFIFO(to_guest, u8, VAB_CON_FIFO);
	u64 dropped;
	wait_queue_head_t readq;
	wait_queue_head_t writeq;
	u8 buf[VAB_CON_FIFO];
};

/* Guest output: every transmit buffer is taken and used at once. */
static void vab_con_transmit(struct vab_con *con, struct vab_req *req)
{
	u32 pos, n, len = vab_req_readable(req);
	unsigned int copied;
	const void *src;

	mutex_lock(&con->lock);
	for (pos = 0; pos < len; pos += n) {
		n = len - pos;
		src = vab_req_read_ptr(req, pos, &n);
		copied = kfifo_in(&con->to_host, src, n);
		con->dropped += n - copied;
	}
	mutex_unlock(&con->lock);
	vab_req_done(req);
}

/* Guest input: fill receive buffers while there is input. */
static void vab_con_receive(struct vab_con *con, struct vab_dev *dev)
{
	struct vab_req *req;
	unsigned int n;
	bool empty;

	for (;;) {
		/* Only this work takes input out, so it stays there. */
		mutex_lock(&con->lock);
		empty = kfifo_is_empty(&con->to_guest);
		mutex_unlock(&con->lock);
		if (empty)
			return;
		req = vab_queue_pop(dev, VAB_CON_RX);
		if (!req)
			return;
		mutex_lock(&con->lock);
		n = kfifo_out(&con->to_guest, con->buf,
			      min_t(u32, vab_req_writable(req),
				    sizeof(con->buf)));
		mutex_unlock(&con->lock);
		wake_up_interruptible(&con->writeq);
		vab_req_write(req, 0, con->buf, n);
		vab_req_done(req);
	}
}

static void vab_con_notify(struct vab_dev *dev, u16 index)
{
	struct vab_con *con = vab_dev_priv(dev);
	struct vab_req *req;

	if (index == VAB_CON_RX) {
		vab_con_receive(con, dev);
		return;
	}
	while ((req = vab_queue_pop(dev, index)))
		vab_con_transmit(con, req);
	wake_up_interruptible(&con->readq);
}

static struct vab_con *vab_con_from_file(struct file *file)
{
	return container_of(file->private_data, struct vab_con, misc);
}

static ssize_t vab_con_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct vab_con *con = vab_con_from_file(file);
	unsigned int copied;
	int ret;

	for (;;) {
		mutex_lock(&con->lock);
		if (!kfifo_is_empty(&con->to_host))
			break;
		mutex_unlock(&con->lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(con->readq,
					       !kfifo_is_empty(&con->to_host));
		if (ret)
			return ret;
	}
	ret = kfifo_to_user(&con->to_host, ubuf, count, &copied);
	mutex_unlock(&con->lock);
	return ret ?: copied;
}

static ssize_t vab_con_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct vab_con *con = vab_con_from_file(file);
	unsigned int copied;
	int ret;

	if (!count)
		return 0;
	for (;;) {
		mutex_lock(&con->lock);
		if (!kfifo_is_full(&con->to_guest))
			break;
		mutex_unlock(&con->lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(con->writeq,
					       !kfifo_is_full(&con->to_guest));
		if (ret)
			return ret;
	}
	ret = kfifo_from_user(&con->to_guest, ubuf, count, &copied);
	mutex_unlock(&con->lock);
	if (copied)
		vab_dev_kick(con->dev, VAB_CON_RX);
	return ret ?: copied;
}

static __poll_t vab_con_poll(struct file *file, poll_table *wait)
{
	struct vab_con *con = vab_con_from_file(file);
	__poll_t mask = 0;

	poll_wait(file, &con->readq, wait);
	poll_wait(file, &con->writeq, wait);
	mutex_lock(&con->lock);
	if (!kfifo_is_empty(&con->to_host))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (!kfifo_is_full(&con->to_guest))
		mask |= EPOLLOUT | EPOLLWRNORM;
	mutex_unlock(&con->lock);
	return mask;
}

static const struct file_operations vab_con_fops = {
	.owner = THIS_MODULE,
	.read = vab_con_read,
	.write = vab_con_write,
	.poll = vab_con_poll,
	.llseek = noop_llseek,
};

static const struct vab_device_ops vab_con_ops = {
	.device_id = VIRTIO_ID_CONSOLE,
	.num_queues = 2,
	.max_queue_size = VAB_CON_QUEUE_SIZE,
	.queue_notify = vab_con_notify,
};

/**
 * vab_console_create() - Serve a virtio-console bridged to /dev/@name.
 * @params: where to serve it
 * @name: name of the misc character device
 *
 * Return: the device, or an ERR_PTR().
 */
struct vab_dev *vab_console_create(const struct vab_dev_params *params,
				   const char *name)
{
	/* No feature is offered, so the driver reads no config field. */
	struct virtio_console_config config = {};
	struct vab_con *con;
	int ret;

	con = kzalloc(sizeof(*con), GFP_KERNEL);
	if (!con)
		return ERR_PTR(-ENOMEM);
	mutex_init(&con->lock);
	INIT_KFIFO(con->to_host);
	INIT_KFIFO(con->to_guest);
	init_waitqueue_head(&con->readq);
	init_waitqueue_head(&con->writeq);
	strscpy(con->name, name, sizeof(con->name));

	con->dev = vab_dev_create(params, &vab_con_ops, 0, &config,
				  sizeof(config), con);
	if (IS_ERR(con->dev)) {
		ret = PTR_ERR(con->dev);
		goto err_free;
	}
	con->misc.minor = MISC_DYNAMIC_MINOR;
	con->misc.name = con->name;
	con->misc.fops = &vab_con_fops;
	ret = misc_register(&con->misc);
	if (ret) {
		pr_err("%s: cannot register /dev/%s: %d\n", params->name,
		       con->name, ret);
		vab_dev_destroy(con->dev);
		goto err_free;
	}
	return con->dev;

err_free:
	kfree(con);
	return ERR_PTR(ret);
}

/**
 * vab_console_destroy() - Stop a virtio-console and remove its /dev node.
 * @dev: a device from vab_console_create()
 *
 * Open files of the character device hold the module, so none is left
 * when the module goes.
 */
void vab_console_destroy(struct vab_dev *dev)
{
	struct vab_con *con = vab_dev_priv(dev);

	misc_deregister(&con->misc);
	vab_dev_destroy(dev);
	if (con->dropped)
		pr_info("/dev/%s: %llu bytes of guest output were not read\n",
			con->name, con->dropped);
	kfree(con);
}

static struct vab_dev *vab_con_model_create(const struct vab_dev_params *params,
					    const struct vab_opts *opts)
{
	const char *name = vab_opt_str(opts, "name");
	char def[32];

	if (!name) {
		snprintf(def, sizeof(def), "virtio-argo-con%x",
			 params->ctrl_port);
		name = def;
	}
	return vab_console_create(params, name);
}

static const char *const vab_con_keys[] = { "name", NULL };

const struct vab_model vab_console_model = {
	.name = "console",
	.keys = vab_con_keys,
	.create = vab_con_model_create,
	.destroy = vab_console_destroy,
};
