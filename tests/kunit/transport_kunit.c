// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for the virtio-argo guest transport (virtio_argo.ko) on the
 * simulated Argo provider. The transport runs as in a guest, in the default
 * Argo domain (domain 0 of the simulation), bound to platform devices the
 * tests register with software-node properties, as the device= parameter
 * does. The device side is another simulated domain in the same kernel:
 * either a scripted fake device, which records every message it receives so
 * that a test can check what went on the wire and says exactly what the
 * test tells it to, or the real device-side engine serving virtio-rng. A
 * test virtio driver binds the devices whose queues a test drives.
 *   virtio_argo_transport_discovery - device properties, good and bad
 *   virtio_argo_transport_config    - every virtio_config_ops operation
 *   virtio_argo_transport_dma       - the DMA ops: transfers, buffer rings,
 *				       their budget, limits, errors
 *   virtio_argo_transport_vq        - vring layout, kicks, both used schemes
 *   virtio_argo_transport_fail      - timeouts, devices that go away or
 *				       send garbage: every buffer is failed,
 *				       nothing waits for ever
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/virtio.h>
#include <linux/virtio_argo.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <uapi/linux/virtio_ids.h>

#include "../../drivers/virtio/virtio_argo.h"
#include "../../drivers/virtio/virtio_argo_backend.h"

/* The device's domain, and one that never exists. */
#define TA_DEV_DOMID	0x41
#define TA_NO_DOMID	0x42
#define TA_CTRL		0x56420010U
#define TA_DATA		0x56420011U
#define TA_RING_LEN	(64 * 1024 - 64)
/* Fake devices: one no driver binds, one the test driver binds. */
#define TA_ID		0xa7a7
#define TA_ID_BOUND	0xa7a8
#define TA_QUEUES	2
#define TA_QSIZE	256
#define TA_BATCH	256
#define TA_CONFIG_SIZE	24
#define TA_RECS		512
/* How long a test waits for what must happen. */
#define TA_WAIT_MS	3000
/* timeout_ms while a test makes the device fail. */
#define TA_TIMEOUT_MS	300
/* Device feature bits of the fake: two in block 0, one in block 1. */
#define TA_F_A		0
#define TA_F_B		5
#define TA_F_C		45
#define TA_FEATURES	(BIT_ULL(TA_F_A) | BIT_ULL(TA_F_B) | BIT_ULL(TA_F_C) | \
			 BIT_ULL(VIRTIO_F_VERSION_1) | \
			 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM))
#define TA_PARAM_PREFIX	"virtio_argo."

/**
 * enum ta_reply - How the fake answers the requests it is told to.
 * @TA_REPLY_OK: as a device should
 * @TA_REPLY_NONE: not at all
 * @TA_REPLY_ERROR: with an error reply carrying ta_fake.error_status
 * @TA_REPLY_BAD_MAGIC: with a reply whose magic is wrong
 * @TA_REPLY_WRONG_TYPE: with a sound reply of another type
 * @TA_REPLY_TRUNCATED: with a reply one byte short of its header's length
 * @TA_REPLY_FOREIGN_MTYPE: with a sound reply of the wrong Argo message type
 * @TA_REPLY_WRONG_ID: with a sound reply to another request id
 */
enum ta_reply {
	TA_REPLY_OK,
	TA_REPLY_NONE,
	TA_REPLY_ERROR,
	TA_REPLY_BAD_MAGIC,
	TA_REPLY_WRONG_TYPE,
	TA_REPLY_TRUNCATED,
	TA_REPLY_FOREIGN_MTYPE,
	TA_REPLY_WRONG_ID,
};

/**
 * struct ta_fake_cfg - What a fake device is.
 * @ctrl_port: its control ring's port
 * @ring_len: length of its control and data rings
 * @max_msg_size: what it announces in the HELLO reply (and decodes with)
 * @caps: the capabilities it supports
 * @device_id: virtio device id
 * @num_queues: its queues
 * @max_queue_size: its largest queue size
 * @features: its device feature bits
 * @min_version: lowest protocol version it announces
 * @max_version: highest protocol version it announces
 */
struct ta_fake_cfg {
	u32 ctrl_port;
	u32 ring_len;
	u32 max_msg_size;
	u32 caps;
	u32 device_id;
	u16 num_queues;
	u16 max_queue_size;
	u64 features;
	u8 min_version;
	u8 max_version;
};

struct ta_fake;

/**
 * struct ta_ring - A ring of the fake device.
 * @ring: the ring
 * @pages: its pages
 * @fd: the fake it belongs to
 */
struct ta_ring {
	struct argo_ring ring;
	struct page **pages;
	struct ta_fake *fd;
};

/**
 * struct ta_rec - A message the fake received.
 * @data_ring: it came to the data ring, else to the control ring
 * @mtype: its Argo message type
 * @err: what decoding it gave
 * @msg: the decoded message; its arrays point into @raw
 * @raw: the message as received
 */
struct ta_rec {
	bool data_ring;
	u32 mtype;
	int err;
	struct virtio_argo_msg msg;
	u8 *raw;
};

/**
 * struct ta_fake - A scripted device: answers requests, records everything.
 * @cfg: what it is
 * @iface: its domain
 * @ctrl: its control ring
 * @data: its data ring
 * @work: takes in what arrives, answers requests
 * @wait: woken on every message it takes in
 * @lock: guards everything below but the records
 * @gone: its rings are unregistered
 * @hold_data: leave the data ring unread, so that it fills up
 * @reply_type: the request type @reply_mode applies to; 0 for all
 * @reply_mode: how it answers those
 * @error_status: the status of %TA_REPLY_ERROR replies
 * @refuse_features_ok: never accept FEATURES_OK
 * @own: limits it decodes with
 * @peer: limits it encodes with
 * @qsizes: queue sizes set with SET_VQUEUE
 * @used_port: each queue's used ring
 * @scheme: each queue's used scheme
 * @used_idx: each queue's used index
 * @shadow: direct scheme: each queue's used ring, as last sent
 * @pad_due: direct scheme: a pad must precede the next image
 * @drv_ctrl: the driver's control ring
 * @drv_data: the driver's data ring
 * @status: device status
 * @drv_features: driver features set
 * @config: config space
 * @generation: config generation
 * @bad_encodes: replies it failed to encode (a bug in the test)
 * @rec_lock: guards @recs and @nrecs
 * @recs: what it received, in order
 * @nrecs: entries in @recs
 * @wbuf: the work's send buffer
 * @tbuf: the test's send buffer
 */
struct ta_fake {
	struct ta_fake_cfg cfg;
	struct argo_iface *iface;
	struct ta_ring ctrl;
	struct ta_ring data;
	struct work_struct work;
	wait_queue_head_t wait;
	/* guards the device state */
	struct mutex lock;
	bool gone;
	bool hold_data;
	u8 reply_type;
	enum ta_reply reply_mode;
	u16 error_status;
	bool refuse_features_ok;
	struct virtio_argo_limits own;
	struct virtio_argo_limits peer;
	u16 qsizes[TA_QUEUES];
	u32 used_port[TA_QUEUES];
	u8 scheme[TA_QUEUES];
	u16 used_idx[TA_QUEUES];
	u8 *shadow[TA_QUEUES];
	bool pad_due[TA_QUEUES];
	u32 drv_ctrl;
	u32 drv_data;
	u8 status;
	u64 drv_features;
	u8 config[TA_CONFIG_SIZE];
	u32 generation;
	unsigned int bad_encodes;
	/* guards recs and nrecs */
	spinlock_t rec_lock;
	struct ta_rec recs[TA_RECS];
	unsigned int nrecs;
	u8 *wbuf;
	u8 *tbuf;
};

/**
 * struct ta_used - A used element the fake sends.
 * @id: head of the chain
 * @len: bytes written
 */
struct ta_used {
	u32 id;
	u32 len;
};

static const u8 ta_zeros[ARGO_PAGE_SIZE];

static struct ta_fake_cfg ta_fake_default(u32 device_id)
{
	return (struct ta_fake_cfg) {
		.ctrl_port = TA_CTRL,
		.ring_len = TA_RING_LEN,
		.max_msg_size = argo_ring_max_payload(TA_RING_LEN),
		.caps = VIRTIO_ARGO_CAP_BUFFER_RINGS |
			VIRTIO_ARGO_CAP_USED_DIRECT,
		.device_id = device_id,
		.num_queues = TA_QUEUES,
		.max_queue_size = TA_QSIZE,
		.features = TA_FEATURES,
		.min_version = VIRTIO_ARGO_VERSION_MIN,
		.max_version = VIRTIO_ARGO_VERSION_MAX,
	};
}

/*
 * Send from the fake's domain, waiting a while for room in a full ring
 * unless interrupts are off.
 */
static int ta_fake_sendv(struct ta_fake *fd, u32 port, const void *buf,
			 size_t len, u32 mtype)
{
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
	int i, ret;

	for (i = 0; i < TA_WAIT_MS; i++) {
		ret = argo_sendv(fd->iface, fd->cfg.ctrl_port, 0, port, &iov, 1,
				 mtype);
		if (ret != -EAGAIN || irqs_disabled())
			break;
		usleep_range(1000, 2000);
	}
	return ret;
}

/* Forget the queues and the driver's choices, as a reset does. */
static void ta_fake_reset(struct ta_fake *fd)
{
	unsigned int q;

	fd->status = 0;
	fd->drv_features = 0;
	for (q = 0; q < TA_QUEUES; q++) {
		fd->qsizes[q] = 0;
		fd->used_idx[q] = 0;
		fd->pad_due[q] = false;
		kfree(fd->shadow[q]);
		fd->shadow[q] = NULL;
	}
}

static void ta_fake_hello(struct ta_fake *fd, const struct virtio_argo_msg *req,
			  struct virtio_argo_msg *rep)
{
	ta_fake_reset(fd);
	fd->drv_ctrl = req->hello.ctrl_port;
	fd->drv_data = req->hello.data_port;
	fd->own = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DEVICE,
		.version = VIRTIO_ARGO_VERSION_MAX,
		.max_batch = TA_BATCH,
		.max_msg_size = fd->cfg.max_msg_size,
		.queue_sizes = fd->qsizes,
	};
	fd->peer = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DRIVER,
		.version = VIRTIO_ARGO_VERSION_MAX,
		.max_batch = req->hello.max_batch,
		.max_msg_size = req->hello.max_msg_size,
		.queue_sizes = fd->qsizes,
	};
	rep->hello.min_version = fd->cfg.min_version;
	rep->hello.max_version = fd->cfg.max_version;
	rep->hello.max_batch = TA_BATCH;
	rep->hello.max_msg_size = fd->cfg.max_msg_size;
	rep->hello.caps = req->hello.caps & fd->cfg.caps;
	rep->hello.ctrl_port = fd->cfg.ctrl_port;
	rep->hello.data_port = TA_DATA;
}

static void ta_fake_device_info(struct ta_fake *fd, struct virtio_argo_msg *rep)
{
	rep->device_info.device_id = fd->cfg.device_id;
	rep->device_info.vendor_id = 0x554d4551;
	rep->device_info.config_size = TA_CONFIG_SIZE;
	rep->device_info.num_queues = fd->cfg.num_queues;
	rep->device_info.max_queue_size = fd->cfg.max_queue_size;
	rep->device_info.num_feature_blocks = 2;
	fd->own.num_queues = fd->cfg.num_queues;
	fd->own.max_queue_size = fd->cfg.max_queue_size;
	fd->own.num_feature_blocks = 2;
	fd->own.config_size = TA_CONFIG_SIZE;
	fd->peer.num_queues = fd->cfg.num_queues;
	fd->peer.max_queue_size = fd->cfg.max_queue_size;
	fd->peer.num_feature_blocks = 2;
	fd->peer.config_size = TA_CONFIG_SIZE;
}

static void ta_fake_set_status(struct ta_fake *fd, u32 status)
{
	u8 new = status;

	if (!status) {
		ta_fake_reset(fd);
		return;
	}
	if ((new & ~fd->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    (fd->refuse_features_ok || (fd->drv_features & ~fd->cfg.features)))
		new &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	fd->status = new | (fd->status & VIRTIO_CONFIG_S_NEEDS_RESET);
}

/* Send @rep, or what the test asked for instead of it. */
static void ta_fake_reply(struct ta_fake *fd, const struct virtio_argo_msg *req,
			  struct virtio_argo_msg *rep)
{
	enum ta_reply mode = TA_REPLY_OK;
	u32 mtype = VIRTIO_ARGO_MTYPE_MSG;
	ssize_t len;

	if (!fd->reply_type || fd->reply_type == req->type)
		mode = fd->reply_mode;
	switch (mode) {
	case TA_REPLY_NONE:
		return;
	case TA_REPLY_ERROR:
		virtio_argo_msg_init_reply(rep, req, fd->error_status);
		break;
	case TA_REPLY_WRONG_TYPE:
		virtio_argo_msg_init_reply(rep, req, VIRTIO_ARGO_S_OK);
		rep->type = req->type == VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION ?
			    VIRTIO_ARGO_MSG_GET_STATUS :
			    VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION;
		rep->generation = fd->generation;
		break;
	case TA_REPLY_WRONG_ID:
		rep->request_id += 1000;
		break;
	case TA_REPLY_FOREIGN_MTYPE:
		mtype = VIRTIO_ARGO_MTYPE_BUFFER;
		break;
	default:
		break;
	}
	len = virtio_argo_msg_encode(rep, &fd->peer, fd->wbuf, TA_RING_LEN);
	if (len < 0) {
		fd->bad_encodes++;
		return;
	}
	if (mode == TA_REPLY_BAD_MAGIC)
		fd->wbuf[0] ^= 0xff;
	if (mode == TA_REPLY_TRUNCATED)
		len--;
	ta_fake_sendv(fd, fd->drv_ctrl, fd->wbuf, len, mtype);
}

static void ta_fake_request(struct ta_fake *fd, const struct virtio_argo_msg *req)
{
	struct virtio_argo_msg rep;
	__le32 words[2];
	u16 i;

	virtio_argo_msg_init_reply(&rep, req, VIRTIO_ARGO_S_OK);
	/* A refused request changes nothing. */
	if ((!fd->reply_type || fd->reply_type == req->type) &&
	    fd->reply_mode == TA_REPLY_ERROR) {
		ta_fake_reply(fd, req, &rep);
		return;
	}
	switch (req->type) {
	case VIRTIO_ARGO_MSG_HELLO:
		ta_fake_hello(fd, req, &rep);
		break;
	case VIRTIO_ARGO_MSG_PING:
		rep.ping_cookie = req->ping_cookie;
		break;
	case VIRTIO_ARGO_MSG_GET_DEVICE_INFO:
		ta_fake_device_info(fd, &rep);
		break;
	case VIRTIO_ARGO_MSG_GET_FEATURES:
		for (i = 0; i < req->features.count; i++)
			words[i] = cpu_to_le32(fd->cfg.features >>
					       (32 * (req->features.index + i)));
		rep.features.index = req->features.index;
		rep.features.count = req->features.count;
		rep.features.words = words;
		break;
	case VIRTIO_ARGO_MSG_SET_FEATURES:
		for (i = 0; i < req->features.count; i++)
			fd->drv_features |=
				(u64)le32_to_cpu(req->features.words[i]) <<
				(32 * (req->features.index + i));
		break;
	case VIRTIO_ARGO_MSG_GET_CONFIG:
		rep.config.generation = fd->generation;
		rep.config.offset = req->config.offset;
		rep.config.size = req->config.size;
		rep.config.data = fd->config + req->config.offset;
		break;
	case VIRTIO_ARGO_MSG_SET_CONFIG:
		memcpy(fd->config + req->config.offset, req->config.data,
		       req->config.size);
		rep.config.generation = fd->generation;
		rep.config.offset = req->config.offset;
		rep.config.size = req->config.size;
		break;
	case VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION:
		rep.generation = fd->generation;
		break;
	case VIRTIO_ARGO_MSG_GET_STATUS:
		rep.device_status = fd->status;
		break;
	case VIRTIO_ARGO_MSG_SET_STATUS:
		ta_fake_set_status(fd, req->device_status);
		rep.device_status = fd->status;
		break;
	case VIRTIO_ARGO_MSG_SET_VQUEUE:
		i = req->vqueue.index;
		if (i >= TA_QUEUES || fd->qsizes[i]) {
			virtio_argo_msg_init_reply(&rep, req,
						   VIRTIO_ARGO_S_BAD_STATE);
			break;
		}
		fd->qsizes[i] = req->vqueue.size;
		fd->used_port[i] = req->vqueue.used_port;
		fd->scheme[i] = req->vqueue.used_scheme;
		fd->used_idx[i] = 0;
		break;
	case VIRTIO_ARGO_MSG_RESET_VQUEUE:
		if (req->vqueue.index < TA_QUEUES)
			fd->qsizes[req->vqueue.index] = 0;
		break;
	}
	ta_fake_reply(fd, req, &rep);
}

/* Take in and record one message; answer it if it is a request. */
static void ta_fake_take(struct ta_fake *fd, struct ta_ring *r,
			 const struct argo_msg *am)
{
	struct ta_rec rec = {
		.data_ring = r == &fd->data,
		.mtype = am->type,
		.err = -EBADMSG,
	};
	bool kept = false;

	rec.raw = kmalloc(max(am->len, 1U), GFP_KERNEL);
	if (!rec.raw)
		return;
	argo_ring_read(&r->ring, am, 0, rec.raw, am->len);
	if (am->type == VIRTIO_ARGO_MTYPE_MSG)
		rec.err = virtio_argo_msg_decode(rec.raw, am->len, &fd->own,
						 &rec.msg);
	spin_lock(&fd->rec_lock);
	if (fd->nrecs < TA_RECS) {
		fd->recs[fd->nrecs++] = rec;
		kept = true;
	}
	spin_unlock(&fd->rec_lock);
	if (!rec.data_ring && !rec.err && !(rec.msg.flags & VIRTIO_ARGO_F_REPLY))
		ta_fake_request(fd, &rec.msg);
	if (!kept)
		kfree(rec.raw);
}

static bool ta_fake_drain(struct ta_fake *fd, struct ta_ring *r)
{
	struct argo_msg am;
	bool taken = false;

	while (!argo_ring_peek(&r->ring, &am)) {
		ta_fake_take(fd, r, &am);
		argo_ring_consume(&r->ring, &am);
		taken = true;
	}
	return taken;
}

static void ta_fake_work(struct work_struct *work)
{
	struct ta_fake *fd = container_of(work, struct ta_fake, work);
	bool taken = false;

	mutex_lock(&fd->lock);
	if (!fd->gone) {
		taken = ta_fake_drain(fd, &fd->ctrl);
		if (!fd->hold_data)
			taken |= ta_fake_drain(fd, &fd->data);
	}
	mutex_unlock(&fd->lock);
	/* The transport may wait for the space just freed. */
	if (taken)
		argo_notify(fd->iface);
	wake_up_all(&fd->wait);
}

/* Runs in hard interrupt context on every VIRQ of the fake's domain. */
static void ta_fake_event(struct argo_ring *ring)
{
	struct ta_fake *fd = container_of(ring, struct ta_ring, ring)->fd;

	queue_work(system_wq, &fd->work);
}

static int ta_ring_setup(struct ta_fake *fd, struct ta_ring *r, u32 port)
{
	unsigned int i, npages = argo_ring_npages(fd->cfg.ring_len);

	r->fd = fd;
	r->pages = kcalloc(npages, sizeof(*r->pages), GFP_KERNEL);
	if (!r->pages)
		return -ENOMEM;
	for (i = 0; i < npages; i++) {
		r->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!r->pages[i])
			return -ENOMEM;
	}
	argo_ring_init(&r->ring, fd->iface, port, 0, ta_fake_event);
	return argo_ring_register(&r->ring, r->pages, fd->cfg.ring_len, 0,
				  GFP_KERNEL);
}

static void ta_ring_release(struct ta_fake *fd, struct ta_ring *r)
{
	unsigned int i;

	if (r->ring.registered)
		argo_ring_unregister(&r->ring);
	for (i = 0; r->pages && i < argo_ring_npages(fd->cfg.ring_len); i++)
		if (r->pages[i])
			__free_page(r->pages[i]);
	kfree(r->pages);
	r->pages = NULL;
}

/* The fake's rings go away, as those of a device side that stopped. */
static void ta_fake_kill_rings(struct ta_fake *fd)
{
	mutex_lock(&fd->lock);
	fd->gone = true;
	mutex_unlock(&fd->lock);
	ta_ring_release(fd, &fd->ctrl);
	ta_ring_release(fd, &fd->data);
	cancel_work_sync(&fd->work);
}

static void ta_fake_free(struct ta_fake *fd)
{
	unsigned int i;

	if (!fd)
		return;
	ta_fake_kill_rings(fd);
	if (fd->iface)
		argo_sim_domain_destroy(fd->iface);
	for (i = 0; i < fd->nrecs; i++)
		kfree(fd->recs[i].raw);
	for (i = 0; i < TA_QUEUES; i++)
		kfree(fd->shadow[i]);
	kfree(fd->wbuf);
	kfree(fd->tbuf);
	kfree(fd);
}

static struct ta_fake *ta_fake_create(const struct ta_fake_cfg *cfg)
{
	struct ta_fake *fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	unsigned int i;
	int ret;

	if (!fd)
		return ERR_PTR(-ENOMEM);
	fd->cfg = *cfg;
	INIT_WORK(&fd->work, ta_fake_work);
	init_waitqueue_head(&fd->wait);
	mutex_init(&fd->lock);
	spin_lock_init(&fd->rec_lock);
	for (i = 0; i < TA_CONFIG_SIZE; i++)
		fd->config[i] = 0x10 + i;
	/* Until HELLO: decode only HELLO. */
	fd->own = (struct virtio_argo_limits) {
		.role = VIRTIO_ARGO_ROLE_DEVICE,
		.max_batch = TA_BATCH,
		.max_msg_size = cfg->max_msg_size,
	};
	fd->wbuf = kmalloc(TA_RING_LEN, GFP_KERNEL);
	fd->tbuf = kmalloc(TA_RING_LEN, GFP_KERNEL);
	fd->iface = argo_sim_domain_create(TA_DEV_DOMID);
	if (IS_ERR(fd->iface)) {
		ret = PTR_ERR(fd->iface);
		fd->iface = NULL;
		goto err;
	}
	ret = -ENOMEM;
	if (!fd->wbuf || !fd->tbuf)
		goto err;
	ret = ta_ring_setup(fd, &fd->ctrl, cfg->ctrl_port);
	if (!ret)
		ret = ta_ring_setup(fd, &fd->data, TA_DATA);
	if (!ret)
		return fd;
err:
	ta_fake_free(fd);
	return ERR_PTR(ret);
}

/* The @nth (from 0) record of message @type, or NULL. */
static const struct ta_rec *ta_find(struct ta_fake *fd, u8 type,
				    unsigned int nth)
{
	const struct ta_rec *found = NULL;
	unsigned int i;

	spin_lock(&fd->rec_lock);
	for (i = 0; i < fd->nrecs; i++) {
		const struct ta_rec *rec = &fd->recs[i];

		if (!rec->err && rec->msg.type == type && !nth--) {
			found = rec;
			break;
		}
	}
	spin_unlock(&fd->rec_lock);
	return found;
}

static unsigned int ta_count(struct ta_fake *fd, u8 type)
{
	unsigned int i, n = 0;

	spin_lock(&fd->rec_lock);
	for (i = 0; i < fd->nrecs; i++)
		n += !fd->recs[i].err && fd->recs[i].msg.type == type;
	spin_unlock(&fd->rec_lock);
	return n;
}

static unsigned int ta_nrecs(struct ta_fake *fd)
{
	unsigned int n;

	spin_lock(&fd->rec_lock);
	n = fd->nrecs;
	spin_unlock(&fd->rec_lock);
	return n;
}

/* Wait for the @nth record of @type, within TA_WAIT_MS. */
static const struct ta_rec *ta_wait_rec(struct ta_fake *fd, u8 type,
					unsigned int nth)
{
	const struct ta_rec *rec = NULL;

	wait_event_timeout(fd->wait, (rec = ta_find(fd, type, nth)),
			   msecs_to_jiffies(TA_WAIT_MS));
	return rec;
}

/* Position of @rec among all records, to check their order. */
static unsigned int ta_rec_pos(struct ta_fake *fd, const struct ta_rec *rec)
{
	return rec - fd->recs;
}

/* Encode @m for the driver and send it to @port, from the test. */
static int ta_fake_send_msg(struct ta_fake *fd, u32 port,
			    const struct virtio_argo_msg *m)
{
	ssize_t len;

	mutex_lock(&fd->lock);
	len = virtio_argo_msg_encode(m, &fd->peer, fd->tbuf, TA_RING_LEN);
	mutex_unlock(&fd->lock);
	if (len < 0)
		return len;
	return ta_fake_sendv(fd, port, fd->tbuf, len, VIRTIO_ARGO_MTYPE_MSG);
}

/* EVENT_USED on queue @q, @n elements { id, len }, encoded in fd->tbuf. */
static ssize_t ta_fake_used_msg(struct ta_fake *fd, u16 q,
				const struct ta_used *elems, u16 n)
{
	struct virtio_argo_used_elem used[8];
	struct virtio_argo_msg m;
	ssize_t len;
	u16 i;

	if (n > ARRAY_SIZE(used))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		used[i].id = cpu_to_le32(elems[i].id);
		used[i].len = cpu_to_le32(elems[i].len);
	}
	fd->used_idx[q] += n;
	virtio_argo_msg_init(&m, VIRTIO_ARGO_VERSION_MAX,
			     VIRTIO_ARGO_MSG_EVENT_USED, 0);
	m.used.index = q;
	m.used.used_idx = fd->used_idx[q];
	m.used.num_used = n;
	m.used.elems = used;
	mutex_lock(&fd->lock);
	len = virtio_argo_msg_encode(&m, &fd->peer, fd->tbuf, TA_RING_LEN);
	mutex_unlock(&fd->lock);
	return len;
}

/* Send what ta_fake_used_msg() encoded; from any context. */
static int ta_fake_used_send(struct ta_fake *fd, u16 q, ssize_t len)
{
	if (len < 0)
		return len;
	return ta_fake_sendv(fd, fd->used_port[q], fd->tbuf, len,
			     VIRTIO_ARGO_MTYPE_MSG);
}

/* EVENT_USED on queue @q: @n elements { id, len }. */
static int ta_fake_used(struct ta_fake *fd, u16 q, const struct ta_used *elems,
			u16 n)
{
	return ta_fake_used_send(fd, q, ta_fake_used_msg(fd, q, elems, n));
}

/* DATA_TO_DRIVER into the mapping of @token. */
static int ta_fake_to_driver(struct ta_fake *fd, u64 token, u32 offset,
			     const void *bytes, u32 size)
{
	struct virtio_argo_msg m;

	virtio_argo_msg_init(&m, VIRTIO_ARGO_VERSION_MAX,
			     VIRTIO_ARGO_MSG_DATA_TO_DRIVER, 0);
	m.data.token = token & ~(u64)U32_MAX;
	m.data.offset = offset;
	m.data.size = size;
	m.data.bytes = bytes;
	return ta_fake_send_msg(fd, fd->drv_data, &m);
}

/* Bytes for the own ring of the IN_RING mapping @token. */
static int ta_fake_to_buffer(struct ta_fake *fd, u64 token, const void *bytes,
			     u32 size)
{
	return ta_fake_sendv(fd, virtio_argo_buffer_port(virtio_argo_token_id(token)),
			     bytes, size, VIRTIO_ARGO_MTYPE_BUFFER);
}

/* Pages of a used ring of @num entries. */
static unsigned int ta_used_pages(unsigned int num)
{
	return DIV_ROUND_UP(6 + 8 * num, ARGO_PAGE_SIZE);
}

/*
 * Direct scheme: the device sends an image only once the driver has taken
 * in the data sent before it (Documentation/protocol.rst), as the device
 * side does; the driver's data ring is then empty.
 */
static int ta_fake_wait_drained(struct ta_fake *fd)
{
	struct xen_argo_ring_data_ent ent = {
		.ring = { .aport = fd->drv_data,
			  .domain_id = argo_iface_domid(argo_iface_default()) },
	};
	int i, ret;

	for (i = 0; i < 1000; i++) {
		ent.flags = 0;
		ret = argo_query(fd->iface, &ent, 1);
		if (ret || (ent.flags & XEN_ARGO_RING_EMPTY))
			return ret;
		usleep_range(1000, 2000);
	}
	return -ETIMEDOUT;
}

/*
 * Direct scheme: ready an image of @n used elements of queue @q, sending
 * the pad the previous image calls for, once the data sent before it has
 * been taken in, as Documentation/protocol.rst has it. Return: the image's
 * length, or an error.
 */
static int ta_fake_image_ready(struct ta_fake *fd, u16 q,
			       const struct ta_used *elems, u16 n)
{
	u16 num = fd->qsizes[q], idx = fd->used_idx[q], i;
	u32 area = ta_used_pages(num) * ARGO_PAGE_SIZE;
	u8 *img;
	int ret;

	if (!fd->shadow[q])
		fd->shadow[q] = kzalloc(area + 4, GFP_KERNEL);
	img = fd->shadow[q];
	if (!img)
		return -ENOMEM;
	for (i = 0; i < n; i++, idx++) {
		put_unaligned_le32(elems[i].id, img + 4 + 8 * (idx % num));
		put_unaligned_le32(elems[i].len, img + 8 + 8 * (idx % num));
	}
	/* The image starts with the old flags and idx, ends with the new. */
	put_unaligned_le16(0, img + area);
	put_unaligned_le16(idx, img + area + 2);
	if (fd->pad_due[q]) {
		ret = ta_fake_sendv(fd, fd->used_port[q], ta_zeros, 4000,
				    VIRTIO_ARGO_MTYPE_USED_PAD);
		if (ret < 0)
			return ret;
	}
	ret = ta_fake_wait_drained(fd);
	return ret ?: area + 4;
}

/* Send the image ta_fake_image_ready() readied, @len bytes of it. */
static int ta_fake_image_send(struct ta_fake *fd, u16 q, u32 len)
{
	u32 area = ta_used_pages(fd->qsizes[q]) * ARGO_PAGE_SIZE;
	u8 *img = fd->shadow[q];
	u16 idx = get_unaligned_le16(img + area + 2);
	int ret;

	ret = ta_fake_sendv(fd, fd->used_port[q], img, len,
			    VIRTIO_ARGO_MTYPE_USED_IMAGE);
	if (ret < 0)
		return ret;
	put_unaligned_le16(idx, img + 2);
	fd->used_idx[q] = idx;
	fd->pad_due[q] = true;
	return 0;
}

/*
 * Direct scheme: @n used elements of queue @q as one image, readied and
 * sent. @image_len, if not 0, replaces the image's length, to make a bad
 * one.
 */
static int ta_fake_image(struct ta_fake *fd, u16 q, const struct ta_used *elems,
			 u16 n, u32 image_len)
{
	int len = ta_fake_image_ready(fd, q, elems, n);

	if (len < 0)
		return len;
	return ta_fake_image_send(fd, q, image_len ?: len);
}

/* Let the fake take in what it has been sent, and wait until it has. */
static void ta_fake_settle(struct ta_fake *fd)
{
	argo_sim_flush(fd->iface);
	queue_work(system_wq, &fd->work);
	flush_work(&fd->work);
}

/* Buffers a queue callback may hold before the test takes them. */
#define TA_DONE		64

/**
 * struct ta_done - A buffer the device used, as the test driver got it.
 * @buf: the buffer's token
 * @len: the used length
 */
struct ta_done {
	void *buf;
	unsigned int len;
};

/**
 * struct ta - One test: the device side, the transport's device, a driver.
 * @test: the running test
 * @fd: the fake device, if the test made one
 * @rng_iface: the domain of the real virtio-rng device, if the test made one
 * @rng: that device
 * @pdev: the platform device the transport binds
 * @swnode: its software node, when the test registered one itself
 * @vadev: the transport's device, once probed
 * @vdev: its virtio device
 * @test_vqs: the test, not the test driver, created the queues
 * @nvqs: queues the test driver asks for
 * @vqs: the queues
 * @vq_lock: serializes the test's and the callbacks' use of the queues
 * @done: per queue, the buffers the callbacks got
 * @done_head: per queue, the next entry of @done to take
 * @done_tail: per queue, the next entry of @done to fill
 * @cbs: callbacks run, per queue
 * @config_changes: config_changed() calls
 * @cb_wait: woken by callbacks
 * @rings_before: rings of the transport's domain before the test
 * @timeout_before: timeout_ms before the test
 * @params: parameters the test changed, with their old values
 * @nparams: entries in @params
 */
struct ta {
	struct kunit *test;
	struct ta_fake *fd;
	struct argo_iface *rng_iface;
	struct vab_dev *rng;
	struct platform_device *pdev;
	struct software_node *swnode;
	struct virtio_argo_device *vadev;
	struct virtio_device *vdev;
	bool test_vqs;
	unsigned int nvqs;
	struct virtqueue *vqs[TA_QUEUES];
	/* serializes virtqueue operations */
	spinlock_t vq_lock;
	struct ta_done done[TA_QUEUES][TA_DONE];
	unsigned int done_head[TA_QUEUES];
	unsigned int done_tail[TA_QUEUES];
	atomic_t cbs[TA_QUEUES];
	atomic_t config_changes;
	wait_queue_head_t cb_wait;
	unsigned int rings_before;
	unsigned int timeout_before;
	struct {
		const struct kernel_param *kp;
		char *old;
	} params[3];
	unsigned int nparams;
};

/* The test the driver and the callbacks belong to: tests run one by one. */
static struct ta *ta_current;

static struct argo_iface *ta_argo(void)
{
	return argo_iface_default();
}

/**
 * struct ta_alloc - Pages a test allocated.
 * @addr: their address
 * @order: their order
 */
struct ta_alloc {
	void *addr;
	unsigned int order;
};

static void ta_pages_free(void *data)
{
	struct ta_alloc *a = data;

	free_pages((unsigned long)a->addr, a->order);
}

/* Zeroed pages, freed once the test and its exit are done. */
static void *ta_pages(struct kunit *test, unsigned int order)
{
	struct ta_alloc *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->order = order;
	a->addr = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, order);
	KUNIT_ASSERT_NOT_NULL(test, a->addr);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, ta_pages_free, a),
			0);
	return a->addr;
}

static const struct kernel_param *ta_param(const char *name)
{
	const struct kernel_param *kp;

	for (kp = __start___param; kp < __stop___param; kp++)
		if (!strcmp(kp->name, name))
			return kp;
	return NULL;
}

/* A parameter of the built-in transport, as sysfs would show it. */
static char *ta_param_get(struct kunit *test, const char *name)
{
	const struct kernel_param *kp = ta_param(name);
	char *buf;
	int ret;

	KUNIT_ASSERT_NOT_NULL_MSG(test, kp, "no parameter %s", name);
	/* sysfs_emit() wants a page. */
	buf = ta_pages(test, 0);
	kernel_param_lock(kp->mod);
	ret = kp->ops->get(buf, kp);
	kernel_param_unlock(kp->mod);
	KUNIT_ASSERT_GT(test, ret, 0);
	strim(buf);
	return buf;
}

/* Set a parameter of the transport; the test's exit restores it. */
static void ta_param_set(struct ta *ta, const char *name, const char *val)
{
	const struct kernel_param *kp = ta_param(name);
	struct kunit *test = ta->test;
	char *old = ta_param_get(test, name);
	int ret;

	KUNIT_ASSERT_LT(test, ta->nparams, ARRAY_SIZE(ta->params));
	ta->params[ta->nparams].kp = kp;
	ta->params[ta->nparams++].old = old;
	kernel_param_lock(kp->mod);
	ret = kp->ops->set(val, kp);
	kernel_param_unlock(kp->mod);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* As drivers do, take the used buffers in the callback. */
static void ta_vq_done(struct virtqueue *vq)
{
	struct ta *ta = ta_current;
	unsigned int q = vq->index, len;
	unsigned long flags;
	void *buf;

	atomic_inc(&ta->cbs[q]);
	spin_lock_irqsave(&ta->vq_lock, flags);
	while (ta->done_tail[q] - ta->done_head[q] < TA_DONE &&
	       (buf = virtqueue_get_buf(vq, &len))) {
		ta->done[q][ta->done_tail[q] % TA_DONE] =
			(struct ta_done){ buf, len };
		ta->done_tail[q]++;
	}
	spin_unlock_irqrestore(&ta->vq_lock, flags);
	wake_up_all(&ta->cb_wait);
}

static bool ta_pop(struct ta *ta, unsigned int q, struct ta_done *d)
{
	unsigned long flags;
	bool got;

	spin_lock_irqsave(&ta->vq_lock, flags);
	got = ta->done_head[q] != ta->done_tail[q];
	if (got)
		*d = ta->done[q][ta->done_head[q]++ % TA_DONE];
	spin_unlock_irqrestore(&ta->vq_lock, flags);
	return got;
}

/* The next buffer the device used on @vq, within TA_WAIT_MS, or NULL. */
static void *ta_get_buf(struct ta *ta, struct virtqueue *vq, unsigned int *len)
{
	struct ta_done d = {};

	wait_event_timeout(ta->cb_wait, ta_pop(ta, vq->index, &d),
			   msecs_to_jiffies(TA_WAIT_MS));
	*len = d.len;
	return d.buf;
}

/* Add a chain, as a driver does under its queue lock. */
static int ta_add(struct ta *ta, struct virtqueue *vq, struct scatterlist **sgs,
		  unsigned int out, unsigned int in, void *data)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&ta->vq_lock, flags);
	ret = virtqueue_add_sgs(vq, sgs, out, in, data, GFP_ATOMIC);
	spin_unlock_irqrestore(&ta->vq_lock, flags);
	return ret;
}

/*
 * Kick as virtio_blk does: prepared under the queue lock, the device
 * notified after it, with interrupts on. Kicks with interrupts off, which
 * wait for the buffers the device only reads, have tests of their own.
 */
static bool ta_kick(struct ta *ta, struct virtqueue *vq)
{
	unsigned long flags;
	bool notify;

	spin_lock_irqsave(&ta->vq_lock, flags);
	notify = virtqueue_kick_prepare(vq);
	spin_unlock_irqrestore(&ta->vq_lock, flags);
	return !notify || virtqueue_notify(vq);
}

static const struct virtio_device_id ta_driver_ids[] = {
	{ TA_ID_BOUND, VIRTIO_DEV_ANY_ID },
	{ VIRTIO_ID_RNG, VIRTIO_DEV_ANY_ID },
	{}
};

/* Device features the test driver knows: not TA_F_B. */
static const unsigned int ta_driver_features[] = { TA_F_A, TA_F_C };

static int ta_driver_probe(struct virtio_device *vdev)
{
	struct virtqueue_info info[TA_QUEUES] = {
		{ "ta-q0", ta_vq_done },
		{ "ta-q1", ta_vq_done },
	};
	struct ta *ta = ta_current;
	int ret;

	if (!ta)
		return -ENODEV;
	ret = virtio_find_vqs(vdev, ta->nvqs, ta->vqs, info, NULL);
	if (ret)
		return ret;
	ta->vdev = vdev;
	return 0;
}

static void ta_driver_remove(struct virtio_device *vdev)
{
	struct ta *ta = ta_current;
	unsigned int i;

	virtio_reset_device(vdev);
	/* Unmaps what the device never used. */
	for (i = 0; i < ta->nvqs; i++)
		while (virtqueue_detach_unused_buf(ta->vqs[i]))
			;
	vdev->config->del_vqs(vdev);
	ta->vdev = NULL;
}

static void ta_driver_config_changed(struct virtio_device *vdev)
{
	struct ta *ta = ta_current;

	atomic_inc(&ta->config_changes);
	wake_up_all(&ta->cb_wait);
}

static struct virtio_driver ta_driver = {
	.driver.name = "virtio-argo-kunit",
	.id_table = ta_driver_ids,
	.feature_table = ta_driver_features,
	.feature_table_size = ARRAY_SIZE(ta_driver_features),
	.probe = ta_driver_probe,
	.remove = ta_driver_remove,
	.config_changed = ta_driver_config_changed,
};

static int ta_init(struct kunit *test)
{
	struct ta *ta = kunit_kzalloc(test, sizeof(*ta), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, ta);
	test->priv = ta;
	ta->test = test;
	ta->nvqs = 1;
	for (i = 0; i < TA_QUEUES; i++)
		atomic_set(&ta->cbs[i], 0);
	atomic_set(&ta->config_changes, 0);
	init_waitqueue_head(&ta->cb_wait);
	spin_lock_init(&ta->vq_lock);
	ta->rings_before = argo_rings_in_use(ta_argo());
	ta->timeout_before = virtio_argo_timeout_ms;
	ta_current = ta;
	KUNIT_ASSERT_EQ(test, register_virtio_driver(&ta_driver), 0);
	return 0;
}

static void ta_pdev_remove(struct ta *ta)
{
	if (!ta->pdev)
		return;
	if (ta->test_vqs && ta->vdev) {
		virtio_reset_device(ta->vdev);
		ta->vdev->config->del_vqs(ta->vdev);
		ta->test_vqs = false;
	}
	platform_device_unregister(ta->pdev);
	ta->pdev = NULL;
	ta->vadev = NULL;
	ta->vdev = NULL;
	if (ta->swnode)
		software_node_unregister(ta->swnode);
	ta->swnode = NULL;
}

static void ta_exit(struct kunit *test)
{
	struct ta *ta = test->priv;
	unsigned int i;

	ta_pdev_remove(ta);
	unregister_virtio_driver(&ta_driver);
	if (ta->fd)
		KUNIT_EXPECT_EQ(test, ta->fd->bad_encodes, 0U);
	ta_fake_free(ta->fd);
	if (ta->rng)
		vab_rng_destroy(ta->rng);
	if (ta->rng_iface)
		argo_sim_domain_destroy(ta->rng_iface);
	/* Every ring the transport registered is gone with its device. */
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), ta->rings_before);
	for (i = 0; i < ta->nparams; i++) {
		const struct kernel_param *kp = ta->params[ta->nparams - 1 - i].kp;

		kernel_param_lock(kp->mod);
		kp->ops->set(ta->params[ta->nparams - 1 - i].old, kp);
		kernel_param_unlock(kp->mod);
	}
	virtio_argo_timeout_ms = ta->timeout_before;
	ta_current = NULL;
}

static struct ta_fake *ta_fake_start(struct ta *ta, const struct ta_fake_cfg *cfg)
{
	ta->fd = ta_fake_create(cfg);
	if (IS_ERR(ta->fd)) {
		int ret = PTR_ERR(ta->fd);

		ta->fd = NULL;
		KUNIT_ASSERT_EQ(ta->test, ret, 0);
	}
	return ta->fd;
}

/* The real device side: virtio-rng served from its own domain. */
static void ta_rng_start(struct ta *ta)
{
	struct vab_dev_params params = {
		.partner = argo_iface_domid(ta_argo()),
		.ctrl_port = TA_CTRL,
		.data_port = TA_DATA,
		.ring_len = TA_RING_LEN,
		.buffer_budget = 1 << 20,
		.name = "ta-rng",
	};
	struct kunit *test = ta->test;

	ta->rng_iface = argo_sim_domain_create(TA_DEV_DOMID);
	if (IS_ERR(ta->rng_iface)) {
		ta->rng_iface = NULL;
		KUNIT_FAIL_AND_ABORT(test, "no domain for the device");
	}
	params.iface = ta->rng_iface;
	ta->rng = vab_rng_create(&params);
	if (IS_ERR(ta->rng)) {
		ta->rng = NULL;
		KUNIT_FAIL_AND_ABORT(test, "no virtio-rng device");
	}
}

static const char *const ta_prop_names[] = {
	"backend-domid", "backend-port", "virtio-device-id", "num-queues",
	"queue-size-max",
};

/**
 * struct ta_props - A device description.
 * @vals: the values of ta_prop_names
 * @omit: 1 + the index of a property left out, or 0
 * @port_string: give backend-port as a string
 */
struct ta_props {
	u32 vals[ARRAY_SIZE(ta_prop_names)];
	unsigned int omit;
	bool port_string;
};

static struct ta_props ta_props_for(u32 device_id)
{
	return (struct ta_props) {
		.vals = { TA_DEV_DOMID, TA_CTRL, device_id, TA_QUEUES, TA_QSIZE },
	};
}

static void ta_props_fill(const struct ta_props *p, struct property_entry *e)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(ta_prop_names); i++) {
		if (p->omit == i + 1)
			continue;
		if (i == 1 && p->port_string)
			e[n++] = PROPERTY_ENTRY_STRING(ta_prop_names[i], "0x56420010");
		else
			e[n++] = PROPERTY_ENTRY_U32(ta_prop_names[i], p->vals[i]);
	}
	memset(&e[n], 0, sizeof(*e));
}

static void ta_pdev_probed(struct ta *ta)
{
	ta->vadev = platform_get_drvdata(ta->pdev);
	if (ta->vadev && !ta->vdev)
		ta->vdev = &ta->vadev->vdev;
}

/* A platform device as device= makes one; the transport probes it now. */
static void ta_pdev_add(struct ta *ta, const struct ta_props *p)
{
	struct property_entry props[ARRAY_SIZE(ta_prop_names) + 1];
	struct platform_device_info info = {
		.name = "virtio-argo",
		.id = PLATFORM_DEVID_AUTO,
		.properties = props,
	};
	struct platform_device *pdev;

	ta_props_fill(p, props);
	pdev = platform_device_register_full(&info);
	KUNIT_ASSERT_FALSE(ta->test, IS_ERR(pdev));
	ta->pdev = pdev;
	ta_pdev_probed(ta);
}

/* A fake device with @cfg and a platform device pointing at it. */
static struct ta_fake *ta_setup(struct ta *ta, const struct ta_fake_cfg *cfg)
{
	struct ta_props p = ta_props_for(cfg->device_id);
	struct ta_fake *fd = ta_fake_start(ta, cfg);

	p.vals[1] = cfg->ctrl_port;
	ta_pdev_add(ta, &p);
	KUNIT_ASSERT_NOT_NULL(ta->test, ta->vadev);
	return fd;
}

static int ta_count_child(struct device *dev, void *count)
{
	(*(unsigned int *)count)++;
	return 0;
}

static unsigned int ta_children(struct ta *ta)
{
	unsigned int n = 0;

	device_for_each_child(&ta->pdev->dev, &n, ta_count_child);
	return n;
}

/* The DMA device of the transport's virtio device. */
static struct device *ta_dma_dev(struct ta *ta)
{
	return ta->vdev->dev.parent;
}

/* Wait until the transport has taken in everything sent to it so far. */
static void ta_settle(struct ta *ta)
{
	argo_sim_flush(ta_argo());
	flush_delayed_work(&ta->vadev->refail_work);
	flush_work(&ta->vadev->rx_work);
}

/* Discovery ----------------------------------------------------------- */

#define TA_GOOD_VALS	{ TA_DEV_DOMID, TA_CTRL, TA_ID, TA_QUEUES, TA_QSIZE }

/**
 * struct ta_bad_props - A description the transport must refuse.
 * @name: parameter description
 * @props: the description
 */
struct ta_bad_props {
	const char *name;
	struct ta_props props;
};

static const struct ta_bad_props ta_bad_props_cases[] = {
	{ "no backend-domid", { TA_GOOD_VALS, 1 } },
	{ "no backend-port", { TA_GOOD_VALS, 2 } },
	{ "no virtio-device-id", { TA_GOOD_VALS, 3 } },
	{ "no num-queues", { TA_GOOD_VALS, 4 } },
	{ "no queue-size-max", { TA_GOOD_VALS, 5 } },
	{ "backend-port a string", { TA_GOOD_VALS, 0, true } },
	{ "backend-domid reserved", { { 0x7ff0, TA_CTRL, TA_ID, 2, 256 } } },
	{ "backend-port 0", { { TA_DEV_DOMID, 0, TA_ID, 2, 256 } } },
	{ "backend-port a buffer ring's",
	  { { TA_DEV_DOMID, VIRTIO_ARGO_BUFFER_PORT_BASE, TA_ID, 2, 256 } } },
	{ "virtio-device-id 0", { { TA_DEV_DOMID, TA_CTRL, 0, 2, 256 } } },
	{ "virtio-device-id 65536",
	  { { TA_DEV_DOMID, TA_CTRL, 0x10000, 2, 256 } } },
	{ "num-queues 0", { { TA_DEV_DOMID, TA_CTRL, TA_ID, 0, 256 } } },
	{ "num-queues 1025", { { TA_DEV_DOMID, TA_CTRL, TA_ID, 1025, 256 } } },
	{ "queue-size-max 0", { { TA_DEV_DOMID, TA_CTRL, TA_ID, 2, 0 } } },
	{ "queue-size-max 65536",
	  { { TA_DEV_DOMID, TA_CTRL, TA_ID, 2, 65536 } } },
	{ "queue-size-max 96", { { TA_DEV_DOMID, TA_CTRL, TA_ID, 2, 96 } } },
	{ "queue-size-max 3", { { TA_DEV_DOMID, TA_CTRL, TA_ID, 2, 3 } } },
};

static void ta_bad_props_desc(const struct ta_bad_props *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_bad_props, ta_bad_props_cases, ta_bad_props_desc);

/* The device is not bound, nothing reached the device side, no ring left. */
static void ta_expect_no_device(struct ta *ta)
{
	struct kunit *test = ta->test;

	KUNIT_EXPECT_NULL(test, ta->pdev->dev.driver);
	KUNIT_EXPECT_NULL(test, ta->vadev);
	KUNIT_EXPECT_EQ(test, ta_children(ta), 0U);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), ta->rings_before);
}

static void discovery_bad(struct kunit *test)
{
	const struct ta_bad_props *c = test->param_value;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_fake_start(ta, &cfg);

	ta_pdev_add(ta, &c->props);
	ta_expect_no_device(ta);
	ta_fake_settle(fd);
	KUNIT_EXPECT_EQ(test, ta_nrecs(fd), 0U);
}

/**
 * struct ta_good_props - A description the transport must take.
 * @name: parameter description
 * @props: the description
 * @fake_port: the device's control port
 * @fake_id: the device's id
 * @num_queues: queues the transport must allow
 * @max_queue_size: queue size the transport must allow
 */
struct ta_good_props {
	const char *name;
	struct ta_props props;
	u32 fake_port;
	u32 fake_id;
	u16 num_queues;
	u16 max_queue_size;
};

static const struct ta_good_props ta_good_props_cases[] = {
	{ "nominal", { TA_GOOD_VALS }, TA_CTRL, TA_ID, 2, 256 },
	{ "highest port", { { TA_DEV_DOMID, 0x6fffffff, TA_ID, 2, 256 } },
	  0x6fffffff, TA_ID, 2, 256 },
	{ "device id 65535", { { TA_DEV_DOMID, TA_CTRL, 0xffff, 2, 256 } },
	  TA_CTRL, 0xffff, 2, 256 },
	{ "num-queues 1024", { { TA_DEV_DOMID, TA_CTRL, TA_ID, 1024, 256 } },
	  TA_CTRL, TA_ID, 2, 256 },
	{ "num-queues 1 of 2", { { TA_DEV_DOMID, TA_CTRL, TA_ID, 1, 256 } },
	  TA_CTRL, TA_ID, 1, 256 },
	{ "queue-size-max 32768",
	  { { TA_DEV_DOMID, TA_CTRL, TA_ID, 2, 32768 } }, TA_CTRL, TA_ID, 2, 256 },
	{ "queue-size-max 64 of 256",
	  { { TA_DEV_DOMID, TA_CTRL, TA_ID, 2, 64 } }, TA_CTRL, TA_ID, 2, 64 },
	{ "queue-size-max 1", { { TA_DEV_DOMID, TA_CTRL, TA_ID, 2, 1 } },
	  TA_CTRL, TA_ID, 2, 1 },
};

static void ta_good_props_desc(const struct ta_good_props *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_good_props, ta_good_props_cases, ta_good_props_desc);

/* One bound device, opened with HELLO then GET_DEVICE_INFO. */
static void ta_expect_device(struct ta *ta, u32 device_id)
{
	struct kunit *test = ta->test;
	struct ta_fake *fd = ta->fd;
	const struct ta_rec *hello, *info;
	struct virtio_argo_device *vadev = ta->vadev;

	KUNIT_ASSERT_NOT_NULL(test, vadev);
	KUNIT_EXPECT_NOT_NULL(test, ta->pdev->dev.driver);
	KUNIT_EXPECT_EQ(test, ta_children(ta), 1U);
	KUNIT_EXPECT_EQ(test, ta->vdev->id.device, device_id);
	KUNIT_EXPECT_EQ(test, ta->vdev->id.vendor, 0x554d4551U);
	KUNIT_EXPECT_EQ(test, vadev->backend_domid, TA_DEV_DOMID);
	KUNIT_EXPECT_EQ(test, vadev->backend_port, fd->cfg.ctrl_port);
	KUNIT_EXPECT_EQ(test, vadev->backend_data_port, TA_DATA);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()),
			ta->rings_before + 3);

	hello = ta_find(fd, VIRTIO_ARGO_MSG_HELLO, 0);
	info = ta_find(fd, VIRTIO_ARGO_MSG_GET_DEVICE_INFO, 0);
	KUNIT_ASSERT_NOT_NULL(test, hello);
	KUNIT_ASSERT_NOT_NULL(test, info);
	KUNIT_EXPECT_EQ(test, ta_rec_pos(fd, hello), 0U);
	KUNIT_EXPECT_EQ(test, ta_rec_pos(fd, info), 1U);
	KUNIT_EXPECT_EQ(test, hello->msg.hello.min_version, VIRTIO_ARGO_VERSION_MIN);
	KUNIT_EXPECT_EQ(test, hello->msg.hello.max_version, VIRTIO_ARGO_VERSION_MAX);
	KUNIT_EXPECT_EQ(test, hello->msg.hello.max_batch, VIRTIO_ARGO_MAX_BATCH);
	KUNIT_EXPECT_EQ(test, hello->msg.hello.max_msg_size,
			VIRTIO_ARGO_OWN_MAX_MSG);
	KUNIT_EXPECT_EQ(test, hello->msg.hello.caps,
			VIRTIO_ARGO_CAP_BUFFER_RINGS | VIRTIO_ARGO_CAP_USED_DIRECT);
	KUNIT_EXPECT_EQ(test, hello->msg.hello.ctrl_port, vadev->ctrl->ring.aport);
	KUNIT_EXPECT_EQ(test, hello->msg.hello.data_port, vadev->data->ring.aport);
	KUNIT_EXPECT_EQ(test, vadev->peer_caps, hello->msg.hello.caps);
	KUNIT_EXPECT_EQ(test, vadev->peer.max_msg_size, fd->cfg.max_msg_size);
}

static void discovery_good(struct kunit *test)
{
	const struct ta_good_props *c = test->param_value;
	struct ta_fake_cfg cfg = ta_fake_default(c->fake_id);
	struct ta *ta = test->priv;

	cfg.ctrl_port = c->fake_port;
	ta_fake_start(ta, &cfg);
	ta_pdev_add(ta, &c->props);
	ta_expect_device(ta, c->fake_id);
	KUNIT_EXPECT_EQ(test, ta->vadev->own.num_queues, c->num_queues);
	KUNIT_EXPECT_EQ(test, ta->vadev->own.max_queue_size, c->max_queue_size);

	/* Removing the device gives its rings back. */
	ta_pdev_remove(ta);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), ta->rings_before);
}

/* A software node of the test's own binds as device= devices do. */
static void discovery_swnode(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta_props p = ta_props_for(TA_ID);
	struct property_entry *props;
	struct platform_device_info info = {
		.name = "virtio-argo",
		.id = PLATFORM_DEVID_AUTO,
	};
	struct ta *ta = test->priv;
	struct platform_device *pdev;

	props = kunit_kcalloc(test, ARRAY_SIZE(ta_prop_names) + 1,
			      sizeof(*props), GFP_KERNEL);
	ta->swnode = kunit_kzalloc(test, sizeof(*ta->swnode), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, props && ta->swnode);
	ta_props_fill(&p, props);
	ta->swnode->name = "ta-virtio-argo";
	ta->swnode->properties = props;
	if (software_node_register(ta->swnode)) {
		ta->swnode = NULL;
		KUNIT_FAIL_AND_ABORT(test, "cannot register the software node");
	}
	ta_fake_start(ta, &cfg);
	info.fwnode = software_node_fwnode(ta->swnode);
	pdev = platform_device_register_full(&info);
	KUNIT_ASSERT_FALSE(test, IS_ERR(pdev));
	ta->pdev = pdev;
	ta_pdev_probed(ta);
	ta_expect_device(ta, TA_ID);
}

/* No such domain: the rings cannot be registered; nothing waits. */
static void discovery_no_domain(struct kunit *test)
{
	struct ta_props p = ta_props_for(TA_ID);
	struct ta *ta = test->priv;
	ktime_t t0 = ktime_get();

	p.vals[0] = TA_NO_DOMID;
	ta_pdev_add(ta, &p);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 1000);
	ta_expect_no_device(ta);
}

/* No ring at the port: HELLO is refused at once, not timed out. */
static void discovery_no_ring(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta_props p = ta_props_for(TA_ID);
	struct ta *ta = test->priv;
	ktime_t t0;

	ta_fake_start(ta, &cfg);
	p.vals[1] = TA_CTRL + 0x100;
	t0 = ktime_get();
	ta_pdev_add(ta, &p);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 1000);
	ta_expect_no_device(ta);
}

/* The device is not what the description says. */
static void discovery_wrong_id(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID);
	struct ta *ta = test->priv;

	ta_fake_start(ta, &cfg);
	ta_pdev_add(ta, &p);
	ta_expect_no_device(ta);
	KUNIT_EXPECT_EQ(test, ta_count(ta->fd, VIRTIO_ARGO_MSG_GET_DEVICE_INFO),
			1U);
}

/* A device speaking only later protocol versions is left alone. */
static void discovery_version(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta_props p = ta_props_for(TA_ID);
	struct ta *ta = test->priv;

	cfg.min_version = VIRTIO_ARGO_VERSION_MAX + 1;
	cfg.max_version = VIRTIO_ARGO_VERSION_MAX + 2;
	ta_fake_start(ta, &cfg);
	ta_pdev_add(ta, &p);
	ta_expect_no_device(ta);
	KUNIT_EXPECT_EQ(test, ta_count(ta->fd, VIRTIO_ARGO_MSG_HELLO), 1U);
	KUNIT_EXPECT_EQ(test, ta_count(ta->fd, VIRTIO_ARGO_MSG_GET_DEVICE_INFO),
			0U);
}

static struct kunit_case ta_discovery_cases[] = {
	KUNIT_CASE_PARAM(discovery_bad, ta_bad_props_gen_params),
	KUNIT_CASE_PARAM(discovery_good, ta_good_props_gen_params),
	KUNIT_CASE(discovery_swnode),
	KUNIT_CASE(discovery_no_domain),
	KUNIT_CASE(discovery_no_ring),
	KUNIT_CASE(discovery_wrong_id),
	KUNIT_CASE(discovery_version),
	{}
};

static struct kunit_suite ta_discovery_suite = {
	.name = "virtio_argo_transport_discovery",
	.init = ta_init,
	.exit = ta_exit,
	.test_cases = ta_discovery_cases,
};

/* Config ops ---------------------------------------------------------- */

/* Features and FEATURES_OK as the virtio core would, on an unbound device. */
static void ta_negotiate(struct ta *ta)
{
	struct virtio_device *vdev = ta->vdev;

	vdev->features = vdev->config->get_features(vdev);
	KUNIT_ASSERT_EQ(ta->test, vdev->config->finalize_features(vdev), 0);
	vdev->config->set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				 VIRTIO_CONFIG_S_DRIVER |
				 VIRTIO_CONFIG_S_FEATURES_OK);
}

static void ta_set_reply(struct ta_fake *fd, u8 type, enum ta_reply mode,
			 u16 status)
{
	mutex_lock(&fd->lock);
	fd->reply_type = type;
	fd->reply_mode = mode;
	fd->error_status = status;
	mutex_unlock(&fd->lock);
}

static void config_get_set(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	static const u8 ff[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const u8 bytes[3] = { 0xaa, 0xbb, 0xcc };
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	struct virtio_device *vdev = ta->vdev;
	const struct ta_rec *rec;
	u8 buf[TA_CONFIG_SIZE];
	unsigned int n;

	n = ta_count(fd, VIRTIO_ARGO_MSG_GET_CONFIG);
	vdev->config->get(vdev, 4, buf, 8);
	KUNIT_EXPECT_MEMEQ(test, buf, fd->config + 4, 8);
	rec = ta_find(fd, VIRTIO_ARGO_MSG_GET_CONFIG, n);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.config.offset, 4U);
	KUNIT_EXPECT_EQ(test, rec->msg.config.size, 8U);

	vdev->config->set(vdev, 2, bytes, sizeof(bytes));
	rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_CONFIG, 0);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.config.offset, 2U);
	KUNIT_EXPECT_EQ(test, rec->msg.config.size, 3U);
	KUNIT_EXPECT_MEMEQ(test, rec->msg.config.data, bytes, sizeof(bytes));
	vdev->config->get(vdev, 0, buf, TA_CONFIG_SIZE);
	KUNIT_EXPECT_MEMEQ(test, buf + 2, bytes, sizeof(bytes));
	KUNIT_EXPECT_MEMEQ(test, buf, fd->config, TA_CONFIG_SIZE);
	KUNIT_EXPECT_EQ(test, virtio_cread8(vdev, 3), 0xbb);

	/* An error reply reads as a device that went away, and no more. */
	ta_set_reply(fd, VIRTIO_ARGO_MSG_GET_CONFIG, TA_REPLY_ERROR,
		     VIRTIO_ARGO_S_OUT_OF_RANGE);
	vdev->config->get(vdev, 0, buf, 8);
	KUNIT_EXPECT_MEMEQ(test, buf, ff, 8);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
	ta_set_reply(fd, 0, TA_REPLY_OK, 0);
	vdev->config->get(vdev, 0, buf, 8);
	KUNIT_EXPECT_MEMEQ(test, buf, fd->config, 8);

	/* Beyond the config space: refused before anything is sent. */
	n = ta_nrecs(fd);
	vdev->config->get(vdev, TA_CONFIG_SIZE - 2, buf, 4);
	KUNIT_EXPECT_MEMEQ(test, buf, ff, 4);
	ta_fake_settle(fd);
	KUNIT_EXPECT_EQ(test, ta_nrecs(fd), n);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

static void config_generation(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	struct virtio_device *vdev = ta->vdev;

	mutex_lock(&fd->lock);
	fd->generation = 7;
	mutex_unlock(&fd->lock);
	KUNIT_EXPECT_EQ(test, vdev->config->generation(vdev), 7U);
	KUNIT_EXPECT_EQ(test, ta_count(fd, VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION),
			1U);
	/* The generation loop of multi-byte reads sees it too. */
	KUNIT_EXPECT_EQ(test, virtio_cread64(vdev, 8),
			get_unaligned_le64(fd->config + 8));
	ta_set_reply(fd, VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION, TA_REPLY_ERROR,
		     VIRTIO_ARGO_S_DEVICE_ERROR);
	KUNIT_EXPECT_EQ(test, vdev->config->generation(vdev), 0U);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

static void config_status(struct kunit *test)
{
	const u8 drv = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	struct virtio_device *vdev = ta->vdev;
	const struct ta_rec *rec;
	unsigned int n;

	/* register_virtio_device() reset the device, then acknowledged it. */
	rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_STATUS, 0);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.device_status, 0U);
	KUNIT_EXPECT_EQ(test, vdev->config->get_status(vdev),
			VIRTIO_CONFIG_S_ACKNOWLEDGE);

	n = ta_count(fd, VIRTIO_ARGO_MSG_SET_STATUS);
	vdev->config->set_status(vdev, drv);
	rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_STATUS, n);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.device_status, drv);
	KUNIT_EXPECT_EQ(test, vdev->config->get_status(vdev), drv);

	/* What the device reports is what the driver reads. */
	mutex_lock(&fd->lock);
	fd->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	mutex_unlock(&fd->lock);
	KUNIT_EXPECT_EQ(test, vdev->config->get_status(vdev),
			drv | VIRTIO_CONFIG_S_NEEDS_RESET);

	vdev->config->reset(vdev);
	rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_STATUS, n + 1);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.device_status, 0U);
	KUNIT_EXPECT_EQ(test, vdev->config->get_status(vdev), 0);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

static void config_features(struct kunit *test)
{
	const u64 never = BIT_ULL(VIRTIO_F_RING_PACKED) |
			  BIT_ULL(VIRTIO_RING_F_EVENT_IDX);
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct virtio_device *vdev;
	const struct ta_rec *rec;
	struct ta_fake *fd;
	u64 offered, sent;

	cfg.features |= never | BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC);
	fd = ta_setup(ta, &cfg);
	vdev = ta->vdev;
	offered = vdev->config->get_features(vdev);
	KUNIT_EXPECT_EQ(test, offered, cfg.features);
	rec = ta_find(fd, VIRTIO_ARGO_MSG_GET_FEATURES, 0);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.features.index, 0);
	KUNIT_EXPECT_EQ(test, rec->msg.features.count, 2);

	vdev->features = offered;
	KUNIT_ASSERT_EQ(test, vdev->config->finalize_features(vdev), 0);
	rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_FEATURES, 0);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.features.index, 0);
	KUNIT_ASSERT_EQ(test, rec->msg.features.count, 2);
	sent = le32_to_cpu(rec->msg.features.words[0]) |
	       (u64)le32_to_cpu(rec->msg.features.words[1]) << 32;
	KUNIT_EXPECT_EQ(test, sent, cfg.features & ~never);
	KUNIT_EXPECT_EQ(test, vdev->features, cfg.features & ~never);
	KUNIT_EXPECT_TRUE(test, sent & BIT_ULL(VIRTIO_F_VERSION_1));
	KUNIT_EXPECT_TRUE(test, sent & BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));
	KUNIT_EXPECT_TRUE(test, sent & BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC));
}

/* A device without a feature the transport needs is refused. */
static void config_features_required(struct kunit *test)
{
	const u64 needed[] = {
		BIT_ULL(VIRTIO_F_VERSION_1), BIT_ULL(VIRTIO_F_ACCESS_PLATFORM),
	};
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct virtio_device *vdev;
	struct ta_fake *fd;
	unsigned int i;

	fd = ta_setup(ta, &cfg);
	vdev = ta->vdev;
	for (i = 0; i < ARRAY_SIZE(needed); i++) {
		vdev->features = cfg.features & ~needed[i];
		KUNIT_EXPECT_EQ(test, vdev->config->finalize_features(vdev),
				-EINVAL);
	}
	KUNIT_EXPECT_EQ(test, ta_count(fd, VIRTIO_ARGO_MSG_SET_FEATURES), 0U);
}

/* Through the virtio core: the driver's features, FEATURES_OK, DRIVER_OK. */
static void config_driver_probe(struct kunit *test)
{
	const u64 want = BIT_ULL(TA_F_A) | BIT_ULL(TA_F_C) |
			 BIT_ULL(VIRTIO_F_VERSION_1) |
			 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM);
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);

	KUNIT_ASSERT_PTR_EQ(test, ta->vdev->dev.driver, &ta_driver.driver);
	mutex_lock(&fd->lock);
	KUNIT_EXPECT_EQ(test, fd->drv_features, want);
	KUNIT_EXPECT_EQ(test, fd->status, VIRTIO_CONFIG_S_ACKNOWLEDGE |
			VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
			VIRTIO_CONFIG_S_DRIVER_OK);
	mutex_unlock(&fd->lock);
	KUNIT_EXPECT_EQ(test, ta->vdev->features, want);
}

/* A device that refuses FEATURES_OK fails the probe. */
static void config_features_refused(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_fake_start(ta, &cfg);

	fd->refuse_features_ok = true;
	ta_pdev_add(ta, &p);
	KUNIT_ASSERT_NOT_NULL(test, ta->vadev);
	KUNIT_EXPECT_NULL(test, ta->vadev->vdev.dev.driver);
	KUNIT_EXPECT_EQ(test, ta_count(fd, VIRTIO_ARGO_MSG_SET_VQUEUE), 0U);
	mutex_lock(&fd->lock);
	KUNIT_EXPECT_TRUE(test, fd->status & VIRTIO_CONFIG_S_FAILED);
	KUNIT_EXPECT_FALSE(test, fd->status & VIRTIO_CONFIG_S_FEATURES_OK);
	mutex_unlock(&fd->lock);
}

static void config_vqs(struct kunit *test)
{
	struct virtqueue_info info[3] = {
		{ "ta-a", ta_vq_done }, { NULL }, { "ta-b", ta_vq_done },
	};
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct virtio_device *vdev;
	struct virtqueue *vqs[3];
	const struct ta_rec *rec;
	struct ta_fake *fd;
	unsigned int q;

	ta_param_set(ta, TA_PARAM_PREFIX "used_scheme", "plain");
	fd = ta_setup(ta, &cfg);
	vdev = ta->vdev;
	ta_negotiate(ta);
	KUNIT_ASSERT_EQ(test, virtio_find_vqs(vdev, 3, vqs, info, NULL), 0);
	ta->test_vqs = true;
	KUNIT_EXPECT_NULL(test, vqs[1]);
	KUNIT_ASSERT_TRUE(test, vqs[0] && vqs[2]);
	KUNIT_EXPECT_EQ(test, vqs[0]->index, 0U);
	KUNIT_EXPECT_EQ(test, vqs[2]->index, 1U);
	for (q = 0; q < 2; q++) {
		rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_VQUEUE, q);
		KUNIT_ASSERT_NOT_NULL(test, rec);
		KUNIT_EXPECT_EQ(test, rec->msg.vqueue.index, q);
		KUNIT_EXPECT_EQ(test, rec->msg.vqueue.size, TA_QSIZE);
		KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_port,
				ta->vadev->used->ring.aport);
		KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_scheme,
				VIRTIO_ARGO_USED_PLAIN);
		KUNIT_EXPECT_EQ(test, ta->vadev->queue_sizes[q], TA_QSIZE);
	}
	KUNIT_EXPECT_EQ(test, virtqueue_get_vring_size(vqs[0]), TA_QSIZE);

	vdev->config->reset(vdev);
	vdev->config->del_vqs(vdev);
	ta->test_vqs = false;
	KUNIT_EXPECT_TRUE(test, list_empty(&vdev->vqs));
	KUNIT_EXPECT_EQ(test, ta->vadev->queue_sizes[0], 0);
	KUNIT_EXPECT_EQ(test, ta->vadev->queue_sizes[1], 0);

	/* A queue the device refuses leaves nothing behind. */
	ta_set_reply(fd, VIRTIO_ARGO_MSG_SET_VQUEUE, TA_REPLY_ERROR,
		     VIRTIO_ARGO_S_BAD_STATE);
	KUNIT_EXPECT_EQ(test, virtio_find_vqs(vdev, 2, vqs, info, NULL),
			-EBUSY);
	KUNIT_EXPECT_TRUE(test, list_empty(&vdev->vqs));
	ta_set_reply(fd, 0, TA_REPLY_OK, 0);

	/* More queues than the device has. */
	info[1].name = "ta-c";
	info[1].callback = ta_vq_done;
	KUNIT_EXPECT_EQ(test, virtio_find_vqs(vdev, 3, vqs, info, NULL),
			-ENOENT);
	KUNIT_EXPECT_TRUE(test, list_empty(&vdev->vqs));
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

static void config_bus_name_affinity(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta *ta = test->priv;

	ta_setup(ta, &cfg);
	KUNIT_EXPECT_STREQ(test, virtio_bus_name(ta->vdev),
			   dev_name(&ta->pdev->dev));
	/* One VIRQ for every queue: nothing to steer per queue. */
	KUNIT_EXPECT_NULL(test, ta->vdev->config->set_vq_affinity);
	KUNIT_EXPECT_NULL(test, ta->vdev->config->get_vq_affinity);
	KUNIT_EXPECT_EQ(test, virtqueue_set_affinity(ta->vqs[0],
						     cpu_possible_mask), 0);
}

/* Add a @len-byte device-writable buffer and kick; return its head. */
static u16 ta_add_in(struct ta *ta, struct virtqueue *vq, void *buf, u32 len,
		     unsigned int nth_kick)
{
	struct kunit *test = ta->test;
	struct scatterlist sg, *sgs[] = { &sg };
	const struct ta_rec *rec;

	sg_init_one(&sg, buf, len);
	KUNIT_ASSERT_EQ(test, ta_add(ta, vq, sgs, 0, 1, buf), 0);
	KUNIT_ASSERT_TRUE(test, ta_kick(ta, vq));
	rec = ta_wait_rec(ta->fd, VIRTIO_ARGO_MSG_EVENT_AVAIL, nth_kick);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_ASSERT_GE(test, rec->msg.avail.num_avail, 1);
	return le16_to_cpu(rec->msg.avail.ring[rec->msg.avail.num_avail - 1]);
}

/* The token of the descriptor at @slot, from the kicks so far. */
static u64 ta_token(struct ta *ta, u16 slot)
{
	const struct ta_rec *rec;
	u64 token = 0;
	unsigned int n, i;

	for (n = 0; (rec = ta_find(ta->fd, VIRTIO_ARGO_MSG_EVENT_AVAIL, n)); n++)
		for (i = 0; i < rec->msg.avail.num_descs; i++)
			if (le16_to_cpu(rec->msg.avail.descs[i].slot) == slot)
				token = le64_to_cpu(rec->msg.avail.descs[i].addr);
	return token;
}

/* Queue callbacks run from the receive path: synchronize_cbs waits for it. */
static void config_synchronize_cbs(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	u8 *buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct ta_done d = {};
	struct ta_used elem;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	elem = (struct ta_used){ ta_add_in(ta, ta->vqs[0], buf, 64, 0), 64 };
	KUNIT_ASSERT_GT(test, ta_fake_used(fd, 0, &elem, 1), 0);
	/*
	 * The VIRQ has queued the receive work; nothing here sleeps, so it
	 * has not run (the KUnit kernel does not preempt): only
	 * synchronize_cbs waiting for it gets the callback done.
	 */
	argo_sim_flush(ta_argo());
	virtio_synchronize_cbs(ta->vdev);
	KUNIT_EXPECT_EQ(test, atomic_read(&ta->cbs[0]), 1);
	KUNIT_ASSERT_TRUE(test, ta_pop(ta, 0, &d));
	KUNIT_EXPECT_PTR_EQ(test, d.buf, (void *)buf);
	KUNIT_EXPECT_EQ(test, d.len, 64U);
}

/* EVENT_CONFIG reaches the driver's config_changed. */
static void config_changed(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	struct virtio_argo_msg m;

	virtio_argo_msg_init(&m, VIRTIO_ARGO_VERSION_MAX,
			     VIRTIO_ARGO_MSG_EVENT_CONFIG, 0);
	m.generation = 1;
	KUNIT_ASSERT_GT(test, ta_fake_send_msg(fd, fd->drv_ctrl, &m), 0);
	KUNIT_EXPECT_GT(test, wait_event_timeout(ta->cb_wait,
						 atomic_read(&ta->config_changes),
						 msecs_to_jiffies(TA_WAIT_MS)), 0);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

static struct kunit_case ta_config_cases[] = {
	KUNIT_CASE(config_get_set),
	KUNIT_CASE(config_generation),
	KUNIT_CASE(config_status),
	KUNIT_CASE(config_features),
	KUNIT_CASE(config_features_required),
	KUNIT_CASE(config_driver_probe),
	KUNIT_CASE(config_features_refused),
	KUNIT_CASE(config_vqs),
	KUNIT_CASE(config_bus_name_affinity),
	KUNIT_CASE(config_synchronize_cbs),
	KUNIT_CASE(config_changed),
	{}
};

static struct kunit_suite ta_config_suite = {
	.name = "virtio_argo_transport_config",
	.init = ta_init,
	.exit = ta_exit,
	.test_cases = ta_config_cases,
};

/* DMA ops ------------------------------------------------------------- */

static unsigned int ta_kind(dma_addr_t addr)
{
	return virtio_argo_token_kind(addr);
}

/*
 * The bytes the DATA_TO_DEVICE messages of @token carried, from record
 * @from on, into @out; returns how many, U32_MAX if out of order.
 */
static u32 ta_sent_bytes(struct ta_fake *fd, unsigned int from, u64 token,
			 u8 *out, u32 size, unsigned int *nmsgs)
{
	u32 got = 0;

	*nmsgs = 0;
	spin_lock(&fd->rec_lock);
	for (; from < fd->nrecs; from++) {
		const struct ta_rec *rec = &fd->recs[from];

		if (rec->err || rec->msg.type != VIRTIO_ARGO_MSG_DATA_TO_DEVICE ||
		    rec->msg.data.token != token)
			continue;
		/* In order, each chunk right after the one before. */
		if (rec->msg.data.offset != got ||
		    rec->msg.data.size > size - got) {
			got = U32_MAX;
			break;
		}
		memcpy(out + got, rec->msg.data.bytes, rec->msg.data.size);
		got += rec->msg.data.size;
		(*nmsgs)++;
	}
	spin_unlock(&fd->rec_lock);
	return got;
}

/* DMA_TO_DEVICE: the contents go at map time, in messages that fit. */
static void dma_to_device(struct kunit *test)
{
	const u32 sizes[] = { 100, 20000 };
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	const u32 chunk = 8192 - VIRTIO_ARGO_DATA_HEAD_SIZE;
	struct ta_fake *fd;
	struct device *dev;
	unsigned int i, nmsgs, from;
	u8 *buf, *back;
	dma_addr_t addr;
	u32 j;

	cfg.max_msg_size = 8192;
	fd = ta_setup(ta, &cfg);
	dev = ta_dma_dev(ta);
	buf = kunit_kmalloc(test, 20000, GFP_KERNEL);
	back = kunit_kzalloc(test, 20000, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, buf && back);
	for (j = 0; j < 20000; j++)
		buf[j] = j * 13 + 1;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		from = ta_nrecs(fd);
		addr = dma_map_single(dev, buf, sizes[i], DMA_TO_DEVICE);
		KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, addr));
		KUNIT_EXPECT_EQ(test, ta_kind(addr), VIRTIO_ARGO_TOKEN_OUT);
		KUNIT_EXPECT_EQ(test, virtio_argo_token_offset(addr), 0U);
		ta_fake_settle(fd);
		memset(back, 0, 20000);
		KUNIT_EXPECT_EQ(test, ta_sent_bytes(fd, from, addr, back,
						    sizes[i], &nmsgs), sizes[i]);
		KUNIT_EXPECT_EQ(test, nmsgs, DIV_ROUND_UP(sizes[i], chunk));
		KUNIT_EXPECT_MEMEQ(test, back, buf, sizes[i]);
		dma_unmap_single(dev, addr, sizes[i], DMA_TO_DEVICE);
	}
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

/*
 * A page-aligned device-writable buffer gets its own ring: the device's
 * message lands in it, and what does not fit never lands beyond it.
 */
static void dma_buffer_ring(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	struct device *dev = ta_dma_dev(ta);
	u8 *mem = ta_pages(test, 2);
	u8 *pat = kunit_kmalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	unsigned int rings = argo_rings_in_use(ta_argo()), i;
	dma_addr_t one, two;

	KUNIT_ASSERT_NOT_NULL(test, pat);
	for (i = 0; i < 3 * PAGE_SIZE; i++)
		pat[i] = i * 7 + 5;
	memset(mem, 0x5a, 4 * PAGE_SIZE);

	one = dma_map_single(dev, mem, PAGE_SIZE, DMA_FROM_DEVICE);
	two = dma_map_single(dev, mem + 2 * PAGE_SIZE, 2 * PAGE_SIZE,
			     DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, one));
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, two));
	KUNIT_EXPECT_EQ(test, ta_kind(one), VIRTIO_ARGO_TOKEN_IN_RING);
	KUNIT_EXPECT_EQ(test, ta_kind(two), VIRTIO_ARGO_TOKEN_IN_RING);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings + 2);

	/* More than the one-page buffer: the rest wraps, not past it. */
	KUNIT_EXPECT_EQ(test, ta_fake_to_buffer(fd, one, pat, PAGE_SIZE + 512),
			PAGE_SIZE + 512);
	KUNIT_EXPECT_MEMEQ(test, mem, pat, PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, memchr_inv(mem + PAGE_SIZE, 0x5a, PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, ta_fake_to_buffer(fd, two, pat, 2 * PAGE_SIZE),
			2 * PAGE_SIZE);
	KUNIT_EXPECT_MEMEQ(test, mem + 2 * PAGE_SIZE, pat, 2 * PAGE_SIZE);

	/* Unmapped: the ring is gone, the device can no longer write. */
	dma_unmap_single(dev, one, PAGE_SIZE, DMA_FROM_DEVICE);
	dma_unmap_single(dev, two, 2 * PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings);
	KUNIT_EXPECT_EQ(test, ta_fake_to_buffer(fd, one, pat, 16), -ECONNREFUSED);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

/* Other device-writable buffers are filled from DATA_TO_DRIVER. */
static void dma_bounce(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	struct device *dev = ta_dma_dev(ta);
	unsigned int rings = argo_rings_in_use(ta_argo()), nmsgs, from;
	u8 *mem = ta_pages(test, 1);
	static const u8 pat[64] = "written by the device, through the data ring";
	u8 back[64];
	dma_addr_t odd, ragged, bidir;

	/* Not page-aligned; page-aligned but not a multiple of 16. */
	odd = dma_map_single(dev, mem + 8, 128, DMA_FROM_DEVICE);
	ragged = dma_map_single(dev, mem + PAGE_SIZE, 100, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, odd));
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, ragged));
	KUNIT_EXPECT_EQ(test, ta_kind(odd), VIRTIO_ARGO_TOKEN_IN);
	KUNIT_EXPECT_EQ(test, ta_kind(ragged), VIRTIO_ARGO_TOKEN_IN);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings);

	KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, odd, 64, pat, 64), 0);
	KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, ragged, 36, pat, 64), 0);
	ta_settle(ta);
	KUNIT_EXPECT_MEMEQ(test, mem + 8 + 64, pat, 64);
	KUNIT_EXPECT_NULL(test, memchr_inv(mem, 0, 8 + 64));
	KUNIT_EXPECT_MEMEQ(test, mem + PAGE_SIZE + 36, pat, 64);
	KUNIT_EXPECT_NULL(test, memchr_inv(mem + PAGE_SIZE + 100, 0, 16));
	dma_unmap_single(dev, odd, 128, DMA_FROM_DEVICE);
	dma_unmap_single(dev, ragged, 100, DMA_FROM_DEVICE);

	/* Both ways: sent at map time, and written back. */
	memcpy(mem, pat, sizeof(pat));
	from = ta_nrecs(fd);
	bidir = dma_map_single(dev, mem, 64, DMA_BIDIRECTIONAL);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, bidir));
	KUNIT_EXPECT_EQ(test, ta_kind(bidir), VIRTIO_ARGO_TOKEN_BIDIR);
	ta_fake_settle(fd);
	KUNIT_EXPECT_EQ(test, ta_sent_bytes(fd, from, bidir, back, 64, &nmsgs),
			64U);
	KUNIT_EXPECT_MEMEQ(test, back, pat, 64);
	KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, bidir, 0, ta_zeros, 64), 0);
	ta_settle(ta);
	KUNIT_EXPECT_NULL(test, memchr_inv(mem, 0, 64));
	dma_unmap_single(dev, bidir, 64, DMA_BIDIRECTIONAL);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

/* Without CAP_BUFFER_RINGS agreed, no buffer gets a ring. */
static void dma_no_buffer_rings(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	unsigned int rings;
	struct device *dev;
	dma_addr_t addr;
	u8 *mem;

	cfg.caps = 0;
	ta_setup(ta, &cfg);
	dev = ta_dma_dev(ta);
	mem = ta_pages(test, 0);
	rings = argo_rings_in_use(ta_argo());
	KUNIT_EXPECT_EQ(test, ta->vadev->peer_caps, 0U);
	addr = dma_map_single(dev, mem, PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, addr));
	KUNIT_EXPECT_EQ(test, ta_kind(addr), VIRTIO_ARGO_TOKEN_IN);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings);
	dma_unmap_single(dev, addr, PAGE_SIZE, DMA_FROM_DEVICE);
}

/*
 * Map one page-aligned device-writable page per entry of @addrs until one
 * gets no ring (or @max are mapped); return how many got one.
 */
static unsigned int ta_map_rings(struct ta *ta, u8 **pages, dma_addr_t *addrs,
				 unsigned int max)
{
	struct device *dev = ta_dma_dev(ta);
	unsigned int i;

	for (i = 0; i < max; i++) {
		addrs[i] = dma_map_single(dev, pages[i], PAGE_SIZE,
					  DMA_FROM_DEVICE);
		KUNIT_ASSERT_FALSE(ta->test, dma_mapping_error(dev, addrs[i]));
		if (ta_kind(addrs[i]) != VIRTIO_ARGO_TOKEN_IN_RING)
			return i;
	}
	return max;
}

static u8 **ta_page_array(struct kunit *test, unsigned int n)
{
	u8 **pages = kunit_kcalloc(test, n, sizeof(*pages), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < n; i++)
		pages[i] = ta_pages(test, 0);
	return pages;
}

/* buffer_rings bounds the rings; unmapping gives them back. */
static void dma_budget(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	unsigned int budget, rings, got, i;
	struct device *dev;
	dma_addr_t *addrs;
	u8 **pages;

	KUNIT_ASSERT_EQ(test, kstrtouint(ta_param_get(test, TA_PARAM_PREFIX
						       "buffer_rings"), 10,
					 &budget), 0);
	ta_setup(ta, &cfg);
	dev = ta_dma_dev(ta);
	rings = argo_rings_in_use(ta_argo());
	KUNIT_ASSERT_LE(test, rings + budget, ARGO_MAX_RINGS);
	pages = ta_page_array(test, budget + 1);
	addrs = kunit_kcalloc(test, budget + 1, sizeof(*addrs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, addrs);

	got = ta_map_rings(ta, pages, addrs, budget + 1);
	KUNIT_EXPECT_EQ(test, got, budget);
	KUNIT_EXPECT_EQ(test, ta_kind(addrs[budget]), VIRTIO_ARGO_TOKEN_IN);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings + budget);

	/* One given back can be taken again. */
	dma_unmap_single(dev, addrs[0], PAGE_SIZE, DMA_FROM_DEVICE);
	addrs[0] = dma_map_single(dev, pages[0], PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, ta_kind(addrs[0]), VIRTIO_ARGO_TOKEN_IN_RING);

	for (i = 0; i <= budget; i++)
		dma_unmap_single(dev, addrs[i], PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings);

	/* With no budget, every buffer goes through the data ring. */
	ta_param_set(ta, TA_PARAM_PREFIX "buffer_rings", "0");
	KUNIT_EXPECT_EQ(test, ta_map_rings(ta, pages, addrs, 1), 0U);
	dma_unmap_single(dev, addrs[0], PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings);
}

/* A budget above what the domain has left: Xen's limit has the last word. */
static void dma_domain_rings(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	unsigned int rings, got, i;
	struct device *dev;
	dma_addr_t *addrs;
	u8 **pages;

	ta_param_set(ta, TA_PARAM_PREFIX "buffer_rings", "1000");
	ta_setup(ta, &cfg);
	dev = ta_dma_dev(ta);
	rings = argo_rings_in_use(ta_argo());
	pages = ta_page_array(test, ARGO_MAX_RINGS + 1);
	addrs = kunit_kcalloc(test, ARGO_MAX_RINGS + 1, sizeof(*addrs),
			      GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, addrs);

	got = ta_map_rings(ta, pages, addrs, ARGO_MAX_RINGS + 1);
	KUNIT_EXPECT_EQ(test, got, ARGO_MAX_RINGS - rings);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), ARGO_MAX_RINGS);
	for (i = 0; i <= got && i <= ARGO_MAX_RINGS; i++)
		dma_unmap_single(dev, addrs[i], PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings);
	/* The failed registrations were not counted against the budget. */
	ta_param_set(ta, TA_PARAM_PREFIX "buffer_rings", "1");
	KUNIT_EXPECT_EQ(test, ta_map_rings(ta, pages, addrs, 1), 1U);
	dma_unmap_single(dev, addrs[0], PAGE_SIZE, DMA_FROM_DEVICE);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

static void dma_errors(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	struct device *dev = ta_dma_dev(ta);
	u8 *mem = ta_pages(test, 0);
	static const u8 pat[16] = "still mapped";
	dma_addr_t addr;

	KUNIT_EXPECT_TRUE(test, dma_mapping_error(dev, DMA_MAPPING_ERROR));
	addr = dma_map_single(dev, mem, 0, DMA_TO_DEVICE);
	KUNIT_EXPECT_TRUE(test, dma_mapping_error(dev, addr));
	/* Larger than any mapping may be; never touched. */
	addr = dma_map_page(dev, virt_to_page(mem), 0, SZ_1M + PAGE_SIZE,
			    DMA_FROM_DEVICE);
	KUNIT_EXPECT_TRUE(test, dma_mapping_error(dev, addr));

	/* Unmapping with the wrong kind leaves the mapping alone. */
	addr = dma_map_single(dev, mem + 16, 64, DMA_FROM_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, addr));
	dma_unmap_single(dev, virtio_argo_token(VIRTIO_ARGO_TOKEN_OUT,
						virtio_argo_token_id(addr), 0),
			 64, DMA_TO_DEVICE);
	KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, addr, 0, pat, 16), 0);
	ta_settle(ta);
	KUNIT_EXPECT_MEMEQ(test, mem + 16, pat, 16);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
	dma_unmap_single(dev, addr, 64, DMA_FROM_DEVICE);
}

/* A full device data ring fails the mapping at once; the driver retries. */
static void dma_ring_full(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	dma_addr_t addrs[8];
	struct ta_fake *fd;
	struct device *dev;
	unsigned int n;
	ktime_t t0;
	u8 *mem;

	cfg.ring_len = 16 * 1024 - 64;
	cfg.max_msg_size = argo_ring_max_payload(cfg.ring_len);
	fd = ta_setup(ta, &cfg);
	dev = ta_dma_dev(ta);
	mem = ta_pages(test, 0);
	mutex_lock(&fd->lock);
	fd->hold_data = true;
	mutex_unlock(&fd->lock);

	t0 = ktime_get();
	for (n = 0; n < ARRAY_SIZE(addrs); n++) {
		addrs[n] = dma_map_single(dev, mem, PAGE_SIZE, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, addrs[n]))
			break;
	}
	/* Three 4 KiB messages fit a 16 KiB ring, not four. */
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 500);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);

	mutex_lock(&fd->lock);
	fd->hold_data = false;
	mutex_unlock(&fd->lock);
	ta_fake_settle(fd);
	addrs[n] = dma_map_single(dev, mem, PAGE_SIZE, DMA_TO_DEVICE);
	KUNIT_EXPECT_FALSE(test, dma_mapping_error(dev, addrs[n]));
	if (!dma_mapping_error(dev, addrs[n]))
		n++;
	while (n--)
		dma_unmap_single(dev, addrs[n], PAGE_SIZE, DMA_TO_DEVICE);
}

/**
 * struct ta_mapping_size - max_mapping_size for a device's message size.
 * @name: parameter description
 * @max_msg_size: what the device announces
 * @want: the largest mapping
 */
struct ta_mapping_size {
	const char *name;
	u32 max_msg_size;
	size_t want;
};

static const struct ta_mapping_size ta_mapping_sizes[] = {
	{ "8 KiB messages", 8192, 4096 },
	{ "20000-byte messages", 20000, 16384 },
	{ "64 KiB rings", TA_RING_LEN - ARGO_MSG_HEADER_SIZE -
	  XEN_ARGO_MSG_SLOT_SIZE, 61440 },
};

static void ta_mapping_size_desc(const struct ta_mapping_size *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_mapping_size, ta_mapping_sizes, ta_mapping_size_desc);

/* Mappings fit one message; any DMA mask will do. */
static void dma_limits(struct kunit *test)
{
	const struct ta_mapping_size *c = test->param_value;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	unsigned int nmsgs, from;
	struct device *dev;
	dma_addr_t addr;
	u8 *mem, *back;

	cfg.max_msg_size = c->max_msg_size;
	ta_setup(ta, &cfg);
	dev = ta_dma_dev(ta);
	KUNIT_EXPECT_EQ(test, dma_max_mapping_size(dev), c->want);
	KUNIT_EXPECT_EQ(test, dma_set_mask(dev, DMA_BIT_MASK(24)), 0);
	KUNIT_EXPECT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64)), 0);

	/* The largest mapping goes in one message. */
	mem = ta_pages(test, get_order(c->want));
	back = kunit_kzalloc(test, c->want, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, back);
	memset(mem, 0x3c, c->want);
	from = ta_nrecs(ta->fd);
	addr = dma_map_single(dev, mem, c->want, DMA_TO_DEVICE);
	KUNIT_ASSERT_FALSE(test, dma_mapping_error(dev, addr));
	ta_fake_settle(ta->fd);
	KUNIT_EXPECT_EQ(test, ta_sent_bytes(ta->fd, from, addr, back, c->want,
					    &nmsgs), (u32)c->want);
	KUNIT_EXPECT_EQ(test, nmsgs, 1U);
	dma_unmap_single(dev, addr, c->want, DMA_TO_DEVICE);
}

static void dma_sg(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd = ta_setup(ta, &cfg);
	struct device *dev = ta_dma_dev(ta);
	unsigned int rings = argo_rings_in_use(ta_argo()), nmsgs, from;
	u8 *a = ta_pages(test, 0), *c = ta_pages(test, 0);
	u8 *b = kunit_kzalloc(test, 100, GFP_KERNEL);
	struct scatterlist sg[3];
	u8 back[64];

	KUNIT_ASSERT_NOT_NULL(test, b);
	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], a, PAGE_SIZE);
	sg_set_buf(&sg[1], b, 100);
	sg_set_buf(&sg[2], c + 128, 64);
	KUNIT_ASSERT_EQ(test, dma_map_sg(dev, sg, 3, DMA_FROM_DEVICE), 3);
	KUNIT_EXPECT_EQ(test, ta_kind(sg_dma_address(&sg[0])),
			VIRTIO_ARGO_TOKEN_IN_RING);
	KUNIT_EXPECT_EQ(test, ta_kind(sg_dma_address(&sg[1])),
			VIRTIO_ARGO_TOKEN_IN);
	KUNIT_EXPECT_EQ(test, ta_kind(sg_dma_address(&sg[2])),
			VIRTIO_ARGO_TOKEN_IN);
	KUNIT_EXPECT_EQ(test, sg_dma_len(&sg[1]), 100U);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings + 1);
	dma_unmap_sg(dev, sg, 3, DMA_FROM_DEVICE);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings);

	/* Driver-to-device: every entry is sent. */
	memset(c, 0x77, 64);
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], b, 100);
	sg_set_buf(&sg[1], c, 64);
	from = ta_nrecs(fd);
	KUNIT_ASSERT_EQ(test, dma_map_sg(dev, sg, 2, DMA_TO_DEVICE), 2);
	ta_fake_settle(fd);
	KUNIT_EXPECT_EQ(test, ta_sent_bytes(fd, from, sg_dma_address(&sg[1]),
					    back, 64, &nmsgs), 64U);
	KUNIT_EXPECT_MEMEQ(test, back, c, 64);
	dma_unmap_sg(dev, sg, 2, DMA_TO_DEVICE);

	/* An entry that cannot be mapped undoes the ones before it. */
	sg_init_table(sg, 2);
	sg_set_buf(&sg[0], a, PAGE_SIZE);
	sg_set_page(&sg[1], virt_to_page(c), SZ_2M, 0);
	KUNIT_EXPECT_EQ(test, dma_map_sg(dev, sg, 2, DMA_FROM_DEVICE), 0);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), rings);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

/* vring memory: zeroed pages, an address that is no token. */
static void dma_alloc(struct kunit *test)
{
	const size_t size = 3 * PAGE_SIZE + 100;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct device *dev;
	dma_addr_t handle;
	void *cpu;

	ta_setup(ta, &cfg);
	dev = ta_dma_dev(ta);
	cpu = dma_alloc_coherent(dev, size, &handle, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cpu);
	KUNIT_EXPECT_EQ(test, offset_in_page(cpu), 0UL);
	KUNIT_EXPECT_NULL(test, memchr_inv(cpu, 0, size));
	KUNIT_EXPECT_EQ(test, handle, virt_to_phys(cpu));
	KUNIT_EXPECT_LT(test, ta_kind(handle), VIRTIO_ARGO_TOKEN_OUT);
	memset(cpu, 0xee, size);
	dma_free_coherent(dev, size, cpu, handle);
}

static struct kunit_case ta_dma_cases[] = {
	KUNIT_CASE(dma_to_device),
	KUNIT_CASE(dma_buffer_ring),
	KUNIT_CASE(dma_bounce),
	KUNIT_CASE(dma_no_buffer_rings),
	KUNIT_CASE(dma_budget),
	KUNIT_CASE(dma_domain_rings),
	KUNIT_CASE(dma_errors),
	KUNIT_CASE(dma_ring_full),
	KUNIT_CASE_PARAM(dma_limits, ta_mapping_size_gen_params),
	KUNIT_CASE(dma_sg),
	KUNIT_CASE(dma_alloc),
	{}
};

static struct kunit_suite ta_dma_suite = {
	.name = "virtio_argo_transport_dma",
	.init = ta_init,
	.exit = ta_exit,
	.test_cases = ta_dma_cases,
};

/* Virtqueues ----------------------------------------------------------- */

/**
 * struct ta_layout - A queue size and a used scheme.
 * @name: parameter description
 * @size: the queue size
 * @direct: the direct scheme
 */
struct ta_layout {
	const char *name;
	u16 size;
	bool direct;
};

static const struct ta_layout ta_layouts[] = {
	{ "64 plain", 64, false },
	{ "256 plain", 256, false },
	{ "1024 plain", 1024, false },
	{ "64 direct", 64, true },
	{ "256 direct", 256, true },
	{ "1024 direct", 1024, true },
};

static void ta_layout_desc(const struct ta_layout *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_layout, ta_layouts, ta_layout_desc);

/* A fake bound to the test driver, with @nvqs queues and used @scheme. */
static struct ta_fake *ta_setup_bound(struct ta *ta, struct ta_fake_cfg *cfg,
				      struct ta_props *p, unsigned int nvqs,
				      const char *scheme)
{
	struct kunit *test = ta->test;

	ta_param_set(ta, TA_PARAM_PREFIX "used_scheme", scheme);
	ta->nvqs = nvqs;
	ta_fake_start(ta, cfg);
	p->vals[1] = cfg->ctrl_port;
	ta_pdev_add(ta, p);
	KUNIT_ASSERT_NOT_NULL(test, ta->vadev);
	KUNIT_ASSERT_NOT_NULL(test, ta->vdev);
	KUNIT_ASSERT_PTR_EQ(test, ta->vdev->dev.driver, &ta_driver.driver);
	return ta->fd;
}

/*
 * The used ring starts on a page of its own; with the direct scheme it is
 * an Argo ring: [header, used pages, first used page], 4096 * P + 4048
 * bytes, the first message at 4016 (Documentation/protocol.rst).
 */
static void vq_layout(struct kunit *test)
{
	const struct ta_layout *c = test->param_value;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	unsigned int npages = ta_used_pages(c->size), i, len;
	struct ta *ta = test->priv;
	struct virtio_argo_vq *avq;
	const struct ta_rec *rec;
	const struct vring *vr;
	dma_addr_t desc, used;
	struct ta_used elem;
	struct ta_fake *fd;
	u8 *buf;

	cfg.max_queue_size = c->size;
	p.vals[4] = c->size;
	fd = ta_setup_bound(ta, &cfg, &p, 1, c->direct ? "direct" : "plain");
	vr = virtqueue_get_vring(ta->vqs[0]);
	avq = &ta->vadev->vqs[0];
	KUNIT_ASSERT_EQ(test, vr->num, c->size);
	desc = virtqueue_get_desc_addr(ta->vqs[0]);
	used = virtqueue_get_used_addr(ta->vqs[0]);
	KUNIT_EXPECT_EQ(test, desc % PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, used % PAGE_SIZE, 0);
	/* Right after the avail ring, rounded up to a page. */
	KUNIT_EXPECT_EQ(test, used - desc, PAGE_ALIGN(18 * c->size + 6));
	KUNIT_EXPECT_EQ(test, virt_to_phys(vr->used), used);

	rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_VQUEUE, 0);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.vqueue.size, c->size);
	KUNIT_EXPECT_EQ(test, avq->direct, c->direct);
	if (!c->direct) {
		KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_scheme,
				VIRTIO_ARGO_USED_PLAIN);
		KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_port,
				ta->vadev->used->ring.aport);
		KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()),
				ta->rings_before + 3);
		return;
	}
	KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_scheme,
			VIRTIO_ARGO_USED_DIRECT);
	KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_port,
			VIRTIO_ARGO_DRIVER_PORT(ta->vadev->index,
						VIRTIO_ARGO_DIRECT_PORT_FIRST));
	KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_port, avq->used_ring.aport);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), ta->rings_before + 4);
	KUNIT_ASSERT_TRUE(test, avq->used_ring.registered);
	KUNIT_EXPECT_EQ(test, avq->used_ring.len,
			ARGO_PAGE_SIZE * npages + 4048);
	KUNIT_ASSERT_EQ(test, avq->used_ring.npages, npages + 2);
	for (i = 0; i < npages; i++)
		KUNIT_EXPECT_PTR_EQ(test, avq->used_pages[i + 1],
				    virt_to_page((u8 *)vr->used + i * PAGE_SIZE));
	KUNIT_EXPECT_PTR_EQ(test, avq->used_pages[npages + 1],
			    avq->used_pages[1]);
	KUNIT_EXPECT_EQ(test, argo_ring_tx_ptr(&avq->used_ring), 4016U);

	/* An image lands on the used ring, idx included. */
	buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	elem = (struct ta_used){ ta_add_in(ta, ta->vqs[0], buf, 64, 0), 64 };
	KUNIT_ASSERT_EQ(test, ta_fake_image(fd, 0, &elem, 1, 0), 0);
	KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, ta->vqs[0], &len), (void *)buf);
	KUNIT_EXPECT_EQ(test, len, 64U);
	KUNIT_EXPECT_EQ(test, virtio16_to_cpu(ta->vdev, vr->used->idx), 1);
	KUNIT_EXPECT_EQ(test, virtio32_to_cpu(ta->vdev, vr->used->ring[0].id),
			elem.id);
}

/* Descriptor fields as the device sees them: token kind, length, flags. */
static void ta_expect_desc(struct kunit *test, u64 addr, u32 len, u16 flags,
			   unsigned int kind, u32 want_len, u16 want_flags)
{
	KUNIT_EXPECT_EQ(test, virtio_argo_token_kind(addr), kind);
	KUNIT_EXPECT_EQ(test, len, want_len);
	KUNIT_EXPECT_EQ(test, flags, want_flags);
}

/*
 * A virtio-blk-like chain [16-byte header, 4 KiB page, status byte] on the
 * wire, with and without an indirect table, then completed by the device.
 */
static void vq_plain_wire(struct kunit *test)
{
	const bool indirect = *(const bool *)test->param_value;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct scatterlist so, si, ss, *sgs[] = { &so, &si, &ss };
	const struct virtio_argo_desc *d;
	const struct ta_rec *avail;
	struct vring_desc table[3];
	unsigned int len, nmsgs, i;
	u8 *out, *in, *st, *pat;
	u64 in_tok, st_tok, out_tok;
	struct ta_used elem[2];
	u8 hdr[16];
	struct virtqueue *vq;
	struct ta_fake *fd;
	u16 head;

	if (indirect)
		cfg.features |= BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC);
	fd = ta_setup_bound(ta, &cfg, &p, 1, "plain");
	vq = ta->vqs[0];
	out = kunit_kmalloc(test, 16, GFP_KERNEL);
	st = kunit_kmalloc(test, 1, GFP_KERNEL);
	pat = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	in = ta_pages(test, 0);
	KUNIT_ASSERT_TRUE(test, out && st && pat);
	for (i = 0; i < 16; i++)
		out[i] = 0xa0 + i;
	for (i = 0; i < PAGE_SIZE; i++)
		pat[i] = i * 3;
	*st = 0xee;

	sg_init_one(&so, out, 16);
	sg_init_one(&si, in, PAGE_SIZE);
	sg_init_one(&ss, st, 1);
	KUNIT_ASSERT_EQ(test, ta_add(ta, vq, sgs, 1, 2, out), 0);
	KUNIT_ASSERT_TRUE(test, ta_kick(ta, vq));
	avail = ta_wait_rec(fd, VIRTIO_ARGO_MSG_EVENT_AVAIL, 0);
	KUNIT_ASSERT_NOT_NULL(test, avail);
	KUNIT_EXPECT_EQ(test, avail->msg.avail.index, 0);
	KUNIT_EXPECT_EQ(test, avail->msg.avail.avail_idx, 1);
	KUNIT_ASSERT_EQ(test, avail->msg.avail.num_avail, 1);
	head = le16_to_cpu(avail->msg.avail.ring[0]);
	d = avail->msg.avail.descs;

	if (indirect) {
		KUNIT_ASSERT_EQ(test, avail->msg.avail.num_descs, 1);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(d[0].slot), head);
		ta_expect_desc(test, le64_to_cpu(d[0].addr),
			       le32_to_cpu(d[0].len), le16_to_cpu(d[0].flags),
			       VIRTIO_ARGO_TOKEN_OUT, sizeof(table),
			       VRING_DESC_F_INDIRECT);
		/* The table itself came as data before the kick. */
		KUNIT_ASSERT_EQ(test, ta_sent_bytes(fd, 0, le64_to_cpu(d[0].addr),
						    (u8 *)table, sizeof(table),
						    &nmsgs), sizeof(table));
		for (i = 0; i < 3; i++) {
			static const u16 flags[3] = {
				VRING_DESC_F_NEXT,
				VRING_DESC_F_NEXT | VRING_DESC_F_WRITE,
				VRING_DESC_F_WRITE,
			};
			static const unsigned int kinds[3] = {
				VIRTIO_ARGO_TOKEN_OUT, VIRTIO_ARGO_TOKEN_IN_RING,
				VIRTIO_ARGO_TOKEN_IN,
			};
			static const u32 lens[3] = { 16, PAGE_SIZE, 1 };

			ta_expect_desc(test, virtio64_to_cpu(ta->vdev, table[i].addr),
				       virtio32_to_cpu(ta->vdev, table[i].len),
				       virtio16_to_cpu(ta->vdev, table[i].flags),
				       kinds[i], lens[i], flags[i]);
			if (i < 2)
				KUNIT_EXPECT_EQ(test, virtio16_to_cpu(ta->vdev,
								      table[i].next),
						i + 1);
		}
		out_tok = virtio64_to_cpu(ta->vdev, table[0].addr);
		in_tok = virtio64_to_cpu(ta->vdev, table[1].addr);
		st_tok = virtio64_to_cpu(ta->vdev, table[2].addr);
	} else {
		KUNIT_ASSERT_EQ(test, avail->msg.avail.num_descs, 3);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(d[0].slot), head);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(d[0].next),
				le16_to_cpu(d[1].slot));
		KUNIT_EXPECT_EQ(test, le16_to_cpu(d[1].next),
				le16_to_cpu(d[2].slot));
		ta_expect_desc(test, le64_to_cpu(d[0].addr), le32_to_cpu(d[0].len),
			       le16_to_cpu(d[0].flags), VIRTIO_ARGO_TOKEN_OUT, 16,
			       VRING_DESC_F_NEXT);
		ta_expect_desc(test, le64_to_cpu(d[1].addr), le32_to_cpu(d[1].len),
			       le16_to_cpu(d[1].flags), VIRTIO_ARGO_TOKEN_IN_RING,
			       PAGE_SIZE, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE);
		ta_expect_desc(test, le64_to_cpu(d[2].addr), le32_to_cpu(d[2].len),
			       le16_to_cpu(d[2].flags), VIRTIO_ARGO_TOKEN_IN, 1,
			       VRING_DESC_F_WRITE);
		out_tok = le64_to_cpu(d[0].addr);
		in_tok = le64_to_cpu(d[1].addr);
		st_tok = le64_to_cpu(d[2].addr);
	}
	/* The header's contents went before the kick, on the same ring. */
	KUNIT_EXPECT_EQ(test, ta_sent_bytes(fd, 0, out_tok, hdr, sizeof(hdr),
					    &nmsgs), 16U);
	KUNIT_EXPECT_MEMEQ(test, hdr, out, 16);
	KUNIT_EXPECT_EQ(test, ta_sent_bytes(fd, ta_rec_pos(fd, avail), out_tok,
					    hdr, sizeof(hdr), &nmsgs), 0U);

	/* The device writes the page through its ring, the status by data. */
	KUNIT_EXPECT_EQ(test, ta_fake_to_buffer(fd, in_tok, pat, PAGE_SIZE),
			PAGE_SIZE);
	KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, st_tok, 0, ta_zeros, 1), 0);
	elem[0] = (struct ta_used){ head, PAGE_SIZE + 1 };
	KUNIT_ASSERT_GT(test, ta_fake_used(fd, 0, elem, 1), 0);
	KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, vq, &len), (void *)out);
	KUNIT_EXPECT_EQ(test, len, PAGE_SIZE + 1);
	KUNIT_EXPECT_MEMEQ(test, in, pat, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, *st, 0);

	/* Two chains in one kick, used the other way round in one event. */
	memset(in, 0, 128);
	sg_init_one(&si, in, 64);
	KUNIT_ASSERT_EQ(test, ta_add(ta, vq, &sgs[1], 0, 1, in), 0);
	sg_init_one(&si, in + 64, 64);
	KUNIT_ASSERT_EQ(test, ta_add(ta, vq, &sgs[1], 0, 1, in + 64), 0);
	KUNIT_ASSERT_TRUE(test, ta_kick(ta, vq));
	avail = ta_wait_rec(fd, VIRTIO_ARGO_MSG_EVENT_AVAIL, 1);
	KUNIT_ASSERT_NOT_NULL(test, avail);
	KUNIT_EXPECT_EQ(test, avail->msg.avail.avail_idx, 3);
	KUNIT_ASSERT_EQ(test, avail->msg.avail.num_avail, 2);
	KUNIT_EXPECT_EQ(test, avail->msg.avail.num_descs, 2);
	elem[0] = (struct ta_used){ le16_to_cpu(avail->msg.avail.ring[1]), 64 };
	elem[1] = (struct ta_used){ le16_to_cpu(avail->msg.avail.ring[0]), 32 };
	KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, ta_token(ta, elem[0].id), 0,
						pat, 64), 0);
	KUNIT_ASSERT_GT(test, ta_fake_used(fd, 0, elem, 2), 0);
	KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, vq, &len), (void *)(in + 64));
	KUNIT_EXPECT_EQ(test, len, 64U);
	KUNIT_EXPECT_MEMEQ(test, in + 64, pat, 64);
	KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, vq, &len), (void *)in);
	KUNIT_EXPECT_EQ(test, len, 32U);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

static const bool ta_bools[] = { false, true };

static void ta_indirect_desc(const bool *v, char *desc)
{
	strscpy(desc, *v ? "indirect" : "direct descriptors",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_indirect, ta_bools, ta_indirect_desc);

/* The direct scheme end to end with the fake: images, pads, two queues. */
static void vq_direct_wire(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct virtio_argo_device *vadev;
	const struct ta_rec *rec;
	struct ta_used elem[2];
	unsigned int len, r, q;
	struct ta_fake *fd;
	u8 *buf;

	fd = ta_setup_bound(ta, &cfg, &p, 2, "direct");
	vadev = ta->vadev;
	for (q = 0; q < 2; q++) {
		rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_VQUEUE, q);
		KUNIT_ASSERT_NOT_NULL(test, rec);
		KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_scheme,
				VIRTIO_ARGO_USED_DIRECT);
		KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_port,
				VIRTIO_ARGO_DRIVER_PORT(vadev->index,
							VIRTIO_ARGO_DIRECT_PORT_FIRST + q));
		KUNIT_EXPECT_TRUE(test, vadev->vqs[q].direct);
	}
	buf = kunit_kzalloc(test, 2 * 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/* Each image after the first needs a pad before it. */
	for (r = 0; r < 4; r++) {
		memset(buf, 0, 64);
		elem[0] = (struct ta_used){ ta_add_in(ta, ta->vqs[1], buf, 64, r),
					    48 };
		KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, ta_token(ta, elem[0].id),
							0, fd->config, 16), 0);
		KUNIT_ASSERT_EQ(test, ta_fake_image(fd, 1, elem, 1, 0), 0);
		KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, ta->vqs[1], &len),
				    (void *)buf);
		KUNIT_EXPECT_EQ(test, len, 48U);
		KUNIT_EXPECT_MEMEQ(test, buf, fd->config, 16);
		KUNIT_EXPECT_EQ(test, atomic_read(&ta->cbs[1]), r + 1);
	}
	/* Two elements in one image, on the other queue. */
	elem[0].id = ta_add_in(ta, ta->vqs[0], buf, 64, 4);
	elem[1].id = ta_add_in(ta, ta->vqs[0], buf + 64, 64, 5);
	elem[0].len = 1;
	elem[1].len = 2;
	KUNIT_ASSERT_EQ(test, ta_fake_image(fd, 0, elem, 2, 0), 0);
	KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, ta->vqs[0], &len), (void *)buf);
	KUNIT_EXPECT_EQ(test, len, 1U);
	KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, ta->vqs[0], &len),
			    (void *)(buf + 64));
	KUNIT_EXPECT_EQ(test, len, 2U);
	KUNIT_EXPECT_FALSE(test, vadev->broken);
}

/* Without CAP_USED_DIRECT agreed, used_scheme=direct falls back to plain. */
static void vq_direct_refused(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	const struct ta_rec *rec;
	struct ta_used elem;
	struct ta_fake *fd;
	unsigned int len;
	u8 *buf;

	cfg.caps = VIRTIO_ARGO_CAP_BUFFER_RINGS;
	fd = ta_setup_bound(ta, &cfg, &p, 1, "direct");
	rec = ta_find(fd, VIRTIO_ARGO_MSG_SET_VQUEUE, 0);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_scheme, VIRTIO_ARGO_USED_PLAIN);
	KUNIT_EXPECT_EQ(test, rec->msg.vqueue.used_port,
			ta->vadev->used->ring.aport);
	KUNIT_EXPECT_FALSE(test, ta->vadev->vqs[0].direct);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), ta->rings_before + 3);

	buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	elem = (struct ta_used){ ta_add_in(ta, ta->vqs[0], buf, 64, 0), 8 };
	KUNIT_ASSERT_GT(test, ta_fake_used(fd, 0, &elem, 1), 0);
	KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, ta->vqs[0], &len), (void *)buf);
	KUNIT_EXPECT_EQ(test, len, 8U);
}

static const char *const ta_schemes[] = { "plain", "direct" };

static void ta_scheme_desc(const char *const *s, char *desc)
{
	strscpy(desc, *s, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_scheme, ta_schemes, ta_scheme_desc);

/*
 * A driver may look at the used ring without waiting for its callback
 * (NAPI polling, blk poll queues): a buffer it finds used must hold what
 * the device wrote, here sent by DATA_TO_DRIVER just before the update.
 * Plain: the transport applies used elements after the data. Direct: the
 * device waits until the data ring is drained before its image.
 */
static void vq_poll(struct kunit *test)
{
	const char *scheme = *(const char *const *)test->param_value;
	static const u8 pat[16] = "device data";
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	unsigned long flags;
	struct ta_used elem;
	struct ta_fake *fd;
	unsigned int len, round;
	void *got;
	u8 *buf;

	fd = ta_setup_bound(ta, &cfg, &p, 1, scheme);
	/* Twice: from the second image on, a pad comes with data pending. */
	for (round = 0; round < 2; round++) {
		buf = kunit_kzalloc(test, 64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, buf);
		elem = (struct ta_used){ ta_add_in(ta, ta->vqs[0], buf, 64,
						   round), 16 };
		KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, ta_token(ta, elem.id),
							0, pat, sizeof(pat)), 0);
		if (ta->vadev->vqs[0].direct)
			KUNIT_ASSERT_EQ(test, ta_fake_image(fd, 0, &elem, 1, 0), 0);
		else
			KUNIT_ASSERT_GT(test, ta_fake_used(fd, 0, &elem, 1), 0);
		/*
		 * Plain: nothing has slept since the sends, so the receive
		 * work has not run. Direct: it ran for the data, not for the
		 * image.
		 */
		spin_lock_irqsave(&ta->vq_lock, flags);
		got = virtqueue_get_buf(ta->vqs[0], &len);
		spin_unlock_irqrestore(&ta->vq_lock, flags);
		if (!got)
			got = ta_get_buf(ta, ta->vqs[0], &len);
		KUNIT_ASSERT_PTR_EQ(test, got, (void *)buf);
		KUNIT_EXPECT_EQ(test, len, 16U);
		KUNIT_EXPECT_MEMEQ(test, buf, pat, sizeof(pat));
		ta_settle(ta);
		KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
	}
}

/*
 * A driver may kick with interrupts off and spin until its buffer is used
 * (virtio_console's __send_to_port()): rx_work, which takes in the used
 * elements, cannot run on that CPU meanwhile. Such a kick takes them in
 * itself, without running the callbacks. This kernel has one CPU: with
 * interrupts off, no VIRQ and no work runs. Here the answer to a buffer
 * kicked earlier comes while interrupts are off, and the kick of a receive
 * buffer, which is not waited for, takes it in: plain, the buffer is used;
 * direct, the image is consumed, so that the device may send the next.
 */
static void vq_irqs_off_kick(struct kunit *test)
{
	const char *scheme = *(const char *const *)test->param_value;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct scatterlist sg, *sgs[] = { &sg };
	struct ta *ta = test->priv;
	int answer_len, sent, added, cbs;
	struct ta_used elem = { 0, 0 };
	struct virtio_argo_vq *avq;
	const struct ta_rec *rec;
	bool kicked, consumed;
	struct virtqueue *vq;
	unsigned long flags;
	struct argo_msg am;
	unsigned int len;
	struct ta_fake *fd;
	u8 *out, *in;
	void *got;

	fd = ta_setup_bound(ta, &cfg, &p, 1, scheme);
	vq = ta->vqs[0];
	avq = &ta->vadev->vqs[0];
	out = kunit_kzalloc(test, 16, GFP_KERNEL);
	in = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);

	sg_init_one(&sg, out, 16);
	KUNIT_ASSERT_EQ(test, ta_add(ta, vq, sgs, 1, 0, out), 0);
	KUNIT_ASSERT_TRUE(test, ta_kick(ta, vq));
	rec = ta_wait_rec(fd, VIRTIO_ARGO_MSG_EVENT_AVAIL, 0);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	elem.id = le16_to_cpu(rec->msg.avail.ring[0]);
	answer_len = avq->direct ? ta_fake_image_ready(fd, 0, &elem, 1) :
		     ta_fake_used_msg(fd, 0, &elem, 1);
	KUNIT_ASSERT_GT(test, answer_len, 0);
	ta_settle(ta);

	local_irq_save(flags);
	sent = avq->direct ? ta_fake_image_send(fd, 0, answer_len) :
	       ta_fake_used_send(fd, 0, answer_len);
	/* As virtio_console's add_inbuf(), under a lock taken irqsave. */
	spin_lock(&ta->vq_lock);
	sg_init_one(&sg, in, 64);
	added = virtqueue_add_sgs(vq, sgs, 0, 1, in, GFP_ATOMIC);
	kicked = virtqueue_kick(vq);
	got = virtqueue_get_buf(vq, &len);
	consumed = !avq->direct ||
		   argo_ring_peek(&avq->used_ring, &am) == -EAGAIN;
	spin_unlock(&ta->vq_lock);
	cbs = atomic_read(&ta->cbs[0]);
	local_irq_restore(flags);

	KUNIT_EXPECT_GE(test, sent, 0);
	KUNIT_EXPECT_EQ(test, added, 0);
	KUNIT_EXPECT_TRUE(test, kicked);
	KUNIT_EXPECT_PTR_EQ(test, got, (void *)out);
	if (got)
		KUNIT_EXPECT_EQ(test, len, 0U);
	KUNIT_EXPECT_TRUE_MSG(test, consumed, "the used image is still pending");
	KUNIT_EXPECT_EQ(test, cbs, 0);
	/* Nothing it kicked was waited for. */
	KUNIT_EXPECT_EQ(test, atomic64_read(&ta->vadev->stats.irqs_off_waits),
			0);
	ta_settle(ta);
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
}

/*
 * A kick with interrupts off waits for the buffers the device only reads,
 * for timeout_ms: a device that does not answer by then (here none can,
 * interrupts being off on the only CPU) is broken, and the buffers failed
 * at once, so that the driver's spinning ends. Once it is broken, such a
 * kick fails its buffers without waiting.
 */
static void vq_irqs_off_unanswered(struct kunit *test)
{
	const char *scheme = *(const char *const *)test->param_value;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct scatterlist sg, *sgs[] = { &sg };
	struct ta *ta = test->priv;
	unsigned int len[2] = { 1, 1 }, i;
	s64 took[2];
	struct virtqueue *vq;
	unsigned long flags;
	int added[2];
	void *got[2];
	ktime_t t0;
	u8 *out;

	virtio_argo_timeout_ms = TA_TIMEOUT_MS;
	ta_setup_bound(ta, &cfg, &p, 1, scheme);
	vq = ta->vqs[0];
	out = kunit_kzalloc(test, 2 * 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);

	local_irq_save(flags);
	spin_lock(&ta->vq_lock);
	for (i = 0; i < 2; i++) {
		t0 = ktime_get();
		sg_init_one(&sg, out + 16 * i, 16);
		added[i] = virtqueue_add_sgs(vq, sgs, 1, 0, out + 16 * i,
					     GFP_ATOMIC);
		virtqueue_kick(vq);
		got[i] = virtqueue_get_buf(vq, &len[i]);
		took[i] = ktime_ms_delta(ktime_get(), t0);
	}
	spin_unlock(&ta->vq_lock);
	local_irq_restore(flags);

	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, added[i], 0);
		KUNIT_EXPECT_PTR_EQ(test, got[i], (void *)(out + 16 * i));
		KUNIT_EXPECT_EQ(test, len[i], 0U);
	}
	KUNIT_EXPECT_GE(test, took[0], TA_TIMEOUT_MS);
	KUNIT_EXPECT_LT(test, took[0], TA_WAIT_MS);
	KUNIT_EXPECT_LT(test, took[1], TA_TIMEOUT_MS);
	KUNIT_EXPECT_EQ(test, atomic64_read(&ta->vadev->stats.irqs_off_waits),
			1);
	KUNIT_EXPECT_TRUE(test, ta->vadev->broken);
	ta_settle(ta);
}

/*
 * The real device side, virtio-rng: random bytes into a small buffer (the
 * data ring), a page (its own ring) and an unaligned one, round after round.
 */
static void vq_rng(struct kunit *test)
{
	const char *scheme = *(const char *const *)test->param_value;
	const u32 sizes[3] = { 64, PAGE_SIZE, 100 };
	struct ta_props p = ta_props_for(VIRTIO_ID_RNG);
	struct ta *ta = test->priv;
	unsigned int r, i, k, len;
	struct virtqueue *vq;
	u8 *bufs[3], *page;

	ta_param_set(ta, TA_PARAM_PREFIX "used_scheme", scheme);
	ta_rng_start(ta);
	ta_pdev_add(ta, &p);
	KUNIT_ASSERT_NOT_NULL(test, ta->vadev);
	KUNIT_ASSERT_NOT_NULL(test, ta->vdev);
	KUNIT_ASSERT_PTR_EQ(test, ta->vdev->dev.driver, &ta_driver.driver);
	KUNIT_EXPECT_EQ(test, ta->vadev->vqs[0].direct,
			!strcmp(scheme, "direct"));
	vq = ta->vqs[0];
	bufs[0] = kunit_kmalloc(test, 64, GFP_KERNEL);
	bufs[1] = ta_pages(test, 0);
	page = ta_pages(test, 0);
	bufs[2] = page + 8;
	KUNIT_ASSERT_NOT_NULL(test, bufs[0]);

	for (r = 0; r < 8; r++) {
		for (i = 0; i < 3; i++) {
			struct scatterlist sg, *sgs[] = { &sg };

			memset(bufs[i], 0, sizes[i]);
			sg_init_one(&sg, bufs[i], sizes[i]);
			KUNIT_ASSERT_EQ(test, ta_add(ta, vq, sgs, 0, 1, bufs[i]),
					0);
		}
		KUNIT_ASSERT_TRUE(test, ta_kick(ta, vq));
		for (i = 0; i < 3; i++) {
			u8 *buf = ta_get_buf(ta, vq, &len);

			KUNIT_ASSERT_NOT_NULL(test, buf);
			for (k = 0; k < 3 && bufs[k] != buf; k++)
				;
			KUNIT_ASSERT_LT(test, k, 3U);
			KUNIT_EXPECT_EQ(test, len, sizes[k]);
			KUNIT_EXPECT_NOT_NULL(test, memchr_inv(buf, 0, sizes[k]));
		}
	}
	/* Nothing outside the unaligned buffer was written. */
	KUNIT_EXPECT_NULL(test, memchr_inv(page, 0, 8));
	KUNIT_EXPECT_NULL(test, memchr_inv(page + 108, 0, PAGE_SIZE - 108));
	KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
	KUNIT_EXPECT_EQ(test, vab_dev_dropped(ta->rng), 0ULL);
}

static struct kunit_case ta_vq_cases[] = {
	KUNIT_CASE_PARAM(vq_layout, ta_layout_gen_params),
	KUNIT_CASE_PARAM(vq_plain_wire, ta_indirect_gen_params),
	KUNIT_CASE(vq_direct_wire),
	KUNIT_CASE(vq_direct_refused),
	KUNIT_CASE_PARAM(vq_poll, ta_scheme_gen_params),
	KUNIT_CASE_PARAM(vq_irqs_off_kick, ta_scheme_gen_params),
	KUNIT_CASE_PARAM(vq_irqs_off_unanswered, ta_scheme_gen_params),
	KUNIT_CASE_PARAM(vq_rng, ta_scheme_gen_params),
	{}
};

static struct kunit_suite ta_vq_suite = {
	.name = "virtio_argo_transport_vq",
	.init = ta_init,
	.exit = ta_exit,
	.test_cases = ta_vq_cases,
};

/* Failures --------------------------------------------------------------- */

/* A device that never answers fails the probe after timeout_ms, once. */
static void fail_silent_probe(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta_props p = ta_props_for(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd;
	ktime_t t0;
	s64 ms;

	virtio_argo_timeout_ms = TA_TIMEOUT_MS;
	fd = ta_fake_start(ta, &cfg);
	ta_set_reply(fd, 0, TA_REPLY_NONE, 0);
	t0 = ktime_get();
	ta_pdev_add(ta, &p);
	ms = ktime_ms_delta(ktime_get(), t0);
	ta_expect_no_device(ta);
	KUNIT_EXPECT_GE(test, ms, TA_TIMEOUT_MS);
	KUNIT_EXPECT_LT(test, ms, TA_TIMEOUT_MS + 2000);
	ta_fake_settle(fd);
	KUNIT_EXPECT_EQ(test, ta_count(fd, VIRTIO_ARGO_MSG_HELLO), 1U);
	KUNIT_EXPECT_EQ(test, ta_nrecs(fd), 1U);
}

/**
 * struct ta_chain - A virtio-blk-like request: header, data, status.
 * @out: the header, read by the device, or NULL
 * @in: the data buffer, written by the device
 * @in_len: its size
 * @st: the status byte, or NULL
 */
struct ta_chain {
	u8 *out;
	u8 *in;
	u32 in_len;
	u8 *st;
};

/* Add @c: [header, @in, status], or just @in without @blk. */
static void ta_chain_add(struct ta *ta, struct virtqueue *vq,
			 struct ta_chain *c, u8 *in, u32 in_len, bool blk)
{
	struct kunit *test = ta->test;
	struct scatterlist so, si, ss, *sgs[] = { &so, &si, &ss };

	KUNIT_ASSERT_NOT_NULL(test, in);
	*c = (struct ta_chain){ .in = in, .in_len = in_len };
	memset(in, 0, in_len);
	sg_init_one(&si, in, in_len);
	if (!blk) {
		KUNIT_ASSERT_EQ(test, ta_add(ta, vq, &sgs[1], 0, 1, c), 0);
		return;
	}
	c->out = kunit_kmalloc(test, 16, GFP_KERNEL);
	c->st = kunit_kzalloc(test, 1, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, c->out && c->st);
	memset(c->out, 0x42, 16);
	sg_init_one(&so, c->out, 16);
	sg_init_one(&ss, c->st, 1);
	KUNIT_ASSERT_EQ(test, ta_add(ta, vq, sgs, 1, 2, c), 0);
}

/* Every chain comes back failed: used length 0, device-writable bytes 0xff. */
static void ta_expect_failed(struct ta *ta, struct virtqueue *vq,
			     struct ta_chain *chains, unsigned int n)
{
	struct kunit *test = ta->test;
	unsigned int i, len;

	for (i = 0; i < n; i++) {
		struct ta_chain *c = ta_get_buf(ta, vq, &len);

		KUNIT_ASSERT_NOT_NULL(test, c);
		KUNIT_ASSERT_TRUE(test, c >= chains && c < chains + n);
		KUNIT_EXPECT_EQ(test, len, 0U);
		KUNIT_EXPECT_NULL(test, memchr_inv(c->in, 0xff, c->in_len));
		if (c->st)
			KUNIT_EXPECT_EQ(test, *c->st, 0xff);
		if (c->out)
			KUNIT_EXPECT_NULL(test, memchr_inv(c->out, 0x42, 16));
	}
	KUNIT_EXPECT_FALSE(test, virtqueue_is_broken(vq));
}

/* After the device broke: status says so, config reads 0xff, at once. */
static void ta_expect_broken(struct ta *ta)
{
	struct kunit *test = ta->test;
	ktime_t t0 = ktime_get();

	KUNIT_EXPECT_TRUE(test, ta->vadev->broken);
	KUNIT_EXPECT_TRUE(test, ta->vdev->config->get_status(ta->vdev) &
			  VIRTIO_CONFIG_S_NEEDS_RESET);
	KUNIT_EXPECT_EQ(test, virtio_cread8(ta->vdev, 0), 0xff);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 100);
}

/*
 * A device that stops answering after DRIVER_OK: the request times out,
 * and every buffer it held, and every later one, is failed.
 */
static void fail_silent_later(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct ta_chain chains[3];
	struct virtqueue *vq;
	struct ta_fake *fd;
	unsigned int n;
	ktime_t t0;
	s64 ms;

	virtio_argo_timeout_ms = TA_TIMEOUT_MS;
	fd = ta_setup_bound(ta, &cfg, &p, 1, "plain");
	vq = ta->vqs[0];
	/* Through the data ring, and through a ring of its own. */
	ta_chain_add(ta, vq, &chains[0], (u8 *)ta_pages(test, 0) + 16, 512,
		     true);
	ta_chain_add(ta, vq, &chains[1], ta_pages(test, 0), PAGE_SIZE, true);
	KUNIT_ASSERT_TRUE(test, ta_kick(ta, vq));
	KUNIT_ASSERT_NOT_NULL(test, ta_wait_rec(fd, VIRTIO_ARGO_MSG_EVENT_AVAIL,
						0));
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), ta->rings_before + 4);

	ta_set_reply(fd, 0, TA_REPLY_NONE, 0);
	t0 = ktime_get();
	KUNIT_EXPECT_EQ(test, virtio_cread8(ta->vdev, 0), 0xff);
	ms = ktime_ms_delta(ktime_get(), t0);
	KUNIT_EXPECT_GE(test, ms, TA_TIMEOUT_MS);
	KUNIT_EXPECT_LT(test, ms, TA_TIMEOUT_MS + 2000);
	ta_expect_failed(ta, vq, chains, 2);
	/* The buffer's ring is gone: the device cannot write it any more. */
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(ta_argo()), ta->rings_before + 3);
	ta_expect_broken(ta);

	/* Later requests fail the same way, and reach nobody. */
	ta_fake_settle(fd);
	n = ta_nrecs(fd);
	ta_chain_add(ta, vq, &chains[2], ta_pages(test, 0), 256, true);
	KUNIT_EXPECT_TRUE(test, ta_kick(ta, vq));
	ta_expect_failed(ta, vq, &chains[2], 1);
	ta_fake_settle(fd);
	KUNIT_EXPECT_EQ(test, ta_nrecs(fd), n);
}

/*
 * A driver that gives each failed buffer straight back (virtio_console
 * refills its receive queue from the callback) has it failed again a
 * round later, not at once, so that failing it does not keep a CPU busy;
 * also when it kicks with interrupts off and waits for nothing.
 */
static void fail_refill_backoff(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct ta_chain chains[2];
	struct virtqueue *vq;
	struct ta_done done;
	struct ta_fake *fd;
	unsigned long flags;
	unsigned int i;
	ktime_t t0;
	bool got;

	virtio_argo_timeout_ms = TA_TIMEOUT_MS;
	fd = ta_setup_bound(ta, &cfg, &p, 1, "plain");
	vq = ta->vqs[0];
	ta_set_reply(fd, 0, TA_REPLY_NONE, 0);
	KUNIT_EXPECT_EQ(test, virtio_cread8(ta->vdev, 0), 0xff);
	ta_expect_broken(ta);
	ta_settle(ta);

	for (i = 0; i < ARRAY_SIZE(chains); i++) {
		ta_chain_add(ta, vq, &chains[i], ta_pages(test, 0), 256, false);
		t0 = ktime_get();
		if (i) {
			local_irq_save(flags);
			KUNIT_EXPECT_TRUE(test, virtqueue_kick(vq));
			local_irq_restore(flags);
		} else {
			KUNIT_EXPECT_TRUE(test, ta_kick(ta, vq));
		}
		flush_work(&ta->vadev->rx_work);
		got = ta_pop(ta, vq->index, &done);
		/* Only a slower machine than the round's delay sees it failed. */
		if (ktime_ms_delta(ktime_get(), t0) < VIRTIO_ARGO_REFAIL_MS) {
			KUNIT_EXPECT_FALSE(test, got);
			KUNIT_EXPECT_TRUE(test, delayed_work_pending(&ta->vadev->refail_work));
		}
		if (!got)
			ta_expect_failed(ta, vq, &chains[i], 1);
	}
}

/**
 * struct ta_bad_reply - A way to answer a config read.
 * @name: parameter description
 * @mode: the answer
 * @breaks: the device is broken after it
 * @waits: the read waits for timeout_ms
 */
struct ta_bad_reply {
	const char *name;
	enum ta_reply mode;
	bool breaks;
	bool waits;
};

static const struct ta_bad_reply ta_bad_replies[] = {
	{ "error reply", TA_REPLY_ERROR, false, false },
	{ "no reply", TA_REPLY_NONE, true, true },
	{ "bad magic", TA_REPLY_BAD_MAGIC, true, false },
	{ "reply of another type", TA_REPLY_WRONG_TYPE, true, false },
	{ "truncated reply", TA_REPLY_TRUNCATED, true, false },
	{ "foreign message type", TA_REPLY_FOREIGN_MTYPE, true, false },
	{ "reply to another request", TA_REPLY_WRONG_ID, true, true },
};

static void ta_bad_reply_desc(const struct ta_bad_reply *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_bad_reply, ta_bad_replies, ta_bad_reply_desc);

static void fail_reply(struct kunit *test)
{
	const struct ta_bad_reply *c = test->param_value;
	static const u8 ff[4] = { 0xff, 0xff, 0xff, 0xff };
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct ta_fake *fd;
	unsigned int n;
	ktime_t t0;
	u8 buf[4];
	s64 ms;

	virtio_argo_timeout_ms = TA_TIMEOUT_MS;
	fd = ta_setup(ta, &cfg);
	ta_set_reply(fd, VIRTIO_ARGO_MSG_GET_CONFIG, c->mode,
		     VIRTIO_ARGO_S_OUT_OF_RANGE);
	t0 = ktime_get();
	ta->vdev->config->get(ta->vdev, 0, buf, sizeof(buf));
	ms = ktime_ms_delta(ktime_get(), t0);
	KUNIT_EXPECT_MEMEQ(test, buf, ff, sizeof(buf));
	KUNIT_EXPECT_EQ(test, ta->vadev->broken, c->breaks);
	if (c->waits)
		KUNIT_EXPECT_GE(test, ms, TA_TIMEOUT_MS);
	KUNIT_EXPECT_LT(test, ms, c->waits ? TA_TIMEOUT_MS + 2000 : TA_TIMEOUT_MS);
	if (!c->breaks) {
		ta_set_reply(fd, 0, TA_REPLY_OK, 0);
		ta->vdev->config->get(ta->vdev, 0, buf, sizeof(buf));
		KUNIT_EXPECT_MEMEQ(test, buf, fd->config, sizeof(buf));
		KUNIT_EXPECT_EQ(test, ta->vdev->config->get_status(ta->vdev),
				VIRTIO_CONFIG_S_ACKNOWLEDGE);
		return;
	}
	ta_fake_settle(fd);
	n = ta_nrecs(fd);
	ta_expect_broken(ta);
	ta_fake_settle(fd);
	KUNIT_EXPECT_EQ(test, ta_nrecs(fd), n);
}

/*
 * The device side goes away with requests in flight: the next send finds
 * its ring gone (-ECONNREFUSED) or its domain dead (-ESRCH); every request
 * fails at once, none waits for timeout_ms.
 */
static void fail_gone(struct kunit *test)
{
	const bool domain = *(const bool *)test->param_value;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct ta_chain chains[2];
	struct virtqueue *vq;
	struct ta_fake *fd;
	ktime_t t0;

	fd = ta_setup_bound(ta, &cfg, &p, 1, "plain");
	vq = ta->vqs[0];
	ta_chain_add(ta, vq, &chains[0], ta_pages(test, 0), PAGE_SIZE, true);
	KUNIT_ASSERT_TRUE(test, ta_kick(ta, vq));
	KUNIT_ASSERT_NOT_NULL(test, ta_wait_rec(fd, VIRTIO_ARGO_MSG_EVENT_AVAIL,
						0));
	ta_fake_kill_rings(fd);
	if (domain) {
		argo_sim_domain_destroy(fd->iface);
		fd->iface = NULL;
	}

	/* The kick is the first send to find the device gone. */
	t0 = ktime_get();
	ta_chain_add(ta, vq, &chains[1], kunit_kmalloc(test, 64, GFP_KERNEL),
		     64, false);
	KUNIT_EXPECT_TRUE(test, ta_kick(ta, vq));
	ta_expect_failed(ta, vq, chains, 2);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), t0), 1000);
	ta_expect_broken(ta);
}

static void ta_gone_desc(const bool *v, char *desc)
{
	strscpy(desc, *v ? "domain destroyed" : "rings unregistered",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_gone, ta_bools, ta_gone_desc);

/*
 * Garbage on the control ring: before DRIVER_OK the virtio device is
 * broken (its probe stops), after it the queues stay usable.
 */
static void fail_garbage_ctrl(struct kunit *test)
{
	const bool driver_ok = *(const bool *)test->param_value;
	struct virtqueue_info info[1] = { { "ta-a", ta_vq_done } };
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID);
	struct ta *ta = test->priv;
	struct virtqueue *vq;
	struct ta_fake *fd;

	fd = ta_setup(ta, &cfg);
	ta_negotiate(ta);
	KUNIT_ASSERT_EQ(test, virtio_find_vqs(ta->vdev, 1, &vq, info, NULL), 0);
	ta->test_vqs = true;
	if (driver_ok)
		virtio_device_ready(ta->vdev);
	KUNIT_ASSERT_EQ(test, ta_fake_sendv(fd, fd->drv_ctrl, ta_zeros, 20,
					    VIRTIO_ARGO_MTYPE_MSG), 20);
	ta_settle(ta);
	flush_work(&ta->vadev->broken_work);
	KUNIT_EXPECT_TRUE(test, ta->vadev->broken);
	KUNIT_EXPECT_EQ(test, virtqueue_is_broken(vq), !driver_ok);
	ta_expect_broken(ta);
}

static void ta_driver_ok_desc(const bool *v, char *desc)
{
	strscpy(desc, *v ? "after DRIVER_OK" : "before DRIVER_OK",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_driver_ok, ta_bools, ta_driver_ok_desc);

/**
 * enum ta_bad_kind - What a misbehaving device sends.
 * @TA_BAD_UNKNOWN_TOKEN: DATA_TO_DRIVER for no mapping
 * @TA_BAD_BEYOND: DATA_TO_DRIVER past the end of its mapping
 * @TA_BAD_OUT_TOKEN: DATA_TO_DRIVER into a driver-to-device buffer
 * @TA_BAD_USED_HEAD: EVENT_USED for a head it does not hold
 * @TA_BAD_USED_IDX: EVENT_USED skipping a used index
 * @TA_BAD_IMAGE_LEN: a direct-scheme image of the wrong length
 * @TA_BAD_IMAGE_HEAD: a direct-scheme image using a head it does not hold
 */
enum ta_bad_kind {
	TA_BAD_UNKNOWN_TOKEN,
	TA_BAD_BEYOND,
	TA_BAD_OUT_TOKEN,
	TA_BAD_USED_HEAD,
	TA_BAD_USED_IDX,
	TA_BAD_IMAGE_LEN,
	TA_BAD_IMAGE_HEAD,
};

/**
 * struct ta_bad_msg - A message that breaks the device.
 * @name: parameter description
 * @kind: what it is
 */
struct ta_bad_msg {
	const char *name;
	enum ta_bad_kind kind;
};

static const struct ta_bad_msg ta_bad_msgs[] = {
	{ "data for no mapping", TA_BAD_UNKNOWN_TOKEN },
	{ "data beyond the mapping", TA_BAD_BEYOND },
	{ "data into an OUT buffer", TA_BAD_OUT_TOKEN },
	{ "used head not held", TA_BAD_USED_HEAD },
	{ "used index skipped", TA_BAD_USED_IDX },
	{ "image of the wrong length", TA_BAD_IMAGE_LEN },
	{ "image using a head not held", TA_BAD_IMAGE_HEAD },
};

static void ta_bad_msg_desc(const struct ta_bad_msg *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_bad_msg, ta_bad_msgs, ta_bad_msg_desc);

/* DATA_TO_DRIVER of 16 bytes whose token is @token, whatever its kind. */
static int ta_fake_data_as(struct ta_fake *fd, u64 valid, u64 token)
{
	struct virtio_argo_msg m;
	ssize_t len;

	virtio_argo_msg_init(&m, VIRTIO_ARGO_VERSION_MAX,
			     VIRTIO_ARGO_MSG_DATA_TO_DRIVER, 0);
	m.data.token = valid & ~(u64)U32_MAX;
	m.data.size = 16;
	m.data.bytes = ta_zeros;
	mutex_lock(&fd->lock);
	len = virtio_argo_msg_encode(&m, &fd->peer, fd->tbuf, TA_RING_LEN);
	mutex_unlock(&fd->lock);
	if (len < 0)
		return len;
	/* Our encoder refuses what the transport must refuse: patch it in. */
	put_unaligned_le64(token & ~(u64)U32_MAX, fd->tbuf + 16);
	return ta_fake_sendv(fd, fd->drv_data, fd->tbuf, len,
			     VIRTIO_ARGO_MTYPE_MSG);
}

/*
 * Direct scheme: an image lands, then the device breaks the session
 * before the transport took the image in. The buffer the image used is
 * still the driver's to take, with the length the device gave, though no
 * buffer is left to fail.
 */
static void fail_direct_image_pending(struct kunit *test)
{
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	struct ta_used elem;
	struct ta_fake *fd;
	unsigned int len;
	u8 *buf;

	fd = ta_setup_bound(ta, &cfg, &p, 1, "direct");
	KUNIT_ASSERT_TRUE(test, ta->vadev->vqs[0].direct);
	buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	elem = (struct ta_used){ ta_add_in(ta, ta->vqs[0], buf, 64, 0), 8 };
	/* Nothing sleeps between the two sends: the receive work waits. */
	KUNIT_ASSERT_EQ(test, ta_fake_image(fd, 0, &elem, 1, 0), 0);
	KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd,
						virtio_argo_token(VIRTIO_ARGO_TOKEN_IN,
								  0x0ffffff0, 0),
						0, ta_zeros, 16), 0);
	KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, ta->vqs[0], &len), (void *)buf);
	KUNIT_EXPECT_EQ(test, len, 8U);
	KUNIT_EXPECT_TRUE(test, ta->vadev->broken);
}

/* What the device sends is checked: a bad message fails what it holds. */
static void fail_bad_msg(struct kunit *test)
{
	const struct ta_bad_msg *c = test->param_value;
	const bool direct = c->kind >= TA_BAD_IMAGE_LEN;
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	const struct ta_rec *avail;
	struct ta_chain chain;
	struct ta_used elem;
	struct virtqueue *vq;
	u64 in_tok, out_tok;
	struct ta_fake *fd;
	u16 num;

	fd = ta_setup_bound(ta, &cfg, &p, 1, direct ? "direct" : "plain");
	vq = ta->vqs[0];
	num = virtqueue_get_vring_size(vq);
	ta_chain_add(ta, vq, &chain, kunit_kmalloc(test, 64, GFP_KERNEL), 64,
		     true);
	KUNIT_ASSERT_TRUE(test, ta_kick(ta, vq));
	avail = ta_wait_rec(fd, VIRTIO_ARGO_MSG_EVENT_AVAIL, 0);
	KUNIT_ASSERT_NOT_NULL(test, avail);
	KUNIT_ASSERT_EQ(test, avail->msg.avail.num_descs, 3);
	elem = (struct ta_used){ le16_to_cpu(avail->msg.avail.ring[0]), 0 };
	out_tok = le64_to_cpu(avail->msg.avail.descs[0].addr);
	in_tok = le64_to_cpu(avail->msg.avail.descs[1].addr);

	switch (c->kind) {
	case TA_BAD_UNKNOWN_TOKEN:
		in_tok = virtio_argo_token(VIRTIO_ARGO_TOKEN_IN, 0x0ffffff0, 0);
		KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, in_tok, 0, ta_zeros,
							16), 0);
		break;
	case TA_BAD_BEYOND:
		KUNIT_ASSERT_GT(test, ta_fake_to_driver(fd, in_tok, 60, ta_zeros,
							8), 0);
		break;
	case TA_BAD_OUT_TOKEN:
		KUNIT_ASSERT_GT(test, ta_fake_data_as(fd, in_tok, out_tok), 0);
		break;
	case TA_BAD_USED_HEAD:
		elem.id = (elem.id + 5) % num;
		KUNIT_ASSERT_GT(test, ta_fake_used(fd, 0, &elem, 1), 0);
		break;
	case TA_BAD_USED_IDX:
		fd->used_idx[0]++;
		KUNIT_ASSERT_GT(test, ta_fake_used(fd, 0, &elem, 1), 0);
		break;
	case TA_BAD_IMAGE_LEN:
		KUNIT_ASSERT_EQ(test, ta_fake_image(fd, 0, &elem, 1,
						    ta_used_pages(num) *
						    ARGO_PAGE_SIZE - 16), 0);
		break;
	case TA_BAD_IMAGE_HEAD:
		elem.id = (elem.id + 5) % num;
		KUNIT_ASSERT_EQ(test, ta_fake_image(fd, 0, &elem, 1, 0), 0);
		break;
	}
	ta_expect_failed(ta, vq, &chain, 1);
	ta_expect_broken(ta);
}

/*
 * A kick that finds the device's data ring full waits for room, for
 * timeout_ms at most: then the device is broken and the buffer failed.
 */
static void fail_kick_full(struct kunit *test)
{
	const bool release = *(const bool *)test->param_value;
	static const u32 sizes[] = { PAGE_SIZE, 1024, 256, 64, 16 };
	struct ta_fake_cfg cfg = ta_fake_default(TA_ID_BOUND);
	struct ta_props p = ta_props_for(TA_ID_BOUND);
	struct ta *ta = test->priv;
	const struct ta_rec *avail;
	unsigned int n = 0, i, len;
	struct ta_chain chain;
	dma_addr_t addrs[32];
	struct virtqueue *vq;
	struct ta_used elem;
	struct ta_fake *fd;
	struct device *dev;
	ktime_t t0;
	u8 *mem;

	virtio_argo_timeout_ms = TA_TIMEOUT_MS;
	cfg.ring_len = 16 * 1024 - 64;
	cfg.max_msg_size = argo_ring_max_payload(cfg.ring_len);
	fd = ta_setup_bound(ta, &cfg, &p, 1, "plain");
	vq = ta->vqs[0];
	dev = ta_dma_dev(ta);
	mem = ta_pages(test, 0);
	mutex_lock(&fd->lock);
	fd->hold_data = true;
	mutex_unlock(&fd->lock);
	/* Fill the device's data ring to its last slot. */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		while (n < ARRAY_SIZE(addrs)) {
			addrs[n] = dma_map_single(dev, mem, sizes[i],
						  DMA_TO_DEVICE);
			if (dma_mapping_error(dev, addrs[n]))
				break;
			n++;
		}
	}
	KUNIT_ASSERT_LT(test, n, ARRAY_SIZE(addrs));
	KUNIT_ASSERT_FALSE(test, ta->vadev->broken);

	ta_chain_add(ta, vq, &chain, kunit_kmalloc(test, 64, GFP_KERNEL), 64,
		     false);
	t0 = ktime_get();
	KUNIT_EXPECT_TRUE(test, ta_kick(ta, vq));
	if (release) {
		mutex_lock(&fd->lock);
		fd->hold_data = false;
		mutex_unlock(&fd->lock);
		queue_work(system_wq, &fd->work);
		avail = ta_wait_rec(fd, VIRTIO_ARGO_MSG_EVENT_AVAIL, 0);
		KUNIT_ASSERT_NOT_NULL(test, avail);
		elem = (struct ta_used){ le16_to_cpu(avail->msg.avail.ring[0]),
					 1 };
		KUNIT_ASSERT_GT(test, ta_fake_used(fd, 0, &elem, 1), 0);
		KUNIT_EXPECT_PTR_EQ(test, ta_get_buf(ta, vq, &len),
				    (void *)&chain);
		KUNIT_EXPECT_EQ(test, len, 1U);
		KUNIT_EXPECT_FALSE(test, ta->vadev->broken);
	} else {
		ta_expect_failed(ta, vq, &chain, 1);
		KUNIT_EXPECT_GE(test, ktime_ms_delta(ktime_get(), t0),
				TA_TIMEOUT_MS);
		ta_expect_broken(ta);
	}
	while (n--)
		dma_unmap_single(dev, addrs[n], 16, DMA_TO_DEVICE);
}

static void ta_release_desc(const bool *v, char *desc)
{
	strscpy(desc, *v ? "room made" : "ring stays full",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ta_release, ta_bools, ta_release_desc);

static struct kunit_case ta_fail_cases[] = {
	KUNIT_CASE(fail_silent_probe),
	KUNIT_CASE(fail_silent_later),
	KUNIT_CASE(fail_refill_backoff),
	KUNIT_CASE_PARAM(fail_reply, ta_bad_reply_gen_params),
	KUNIT_CASE_PARAM(fail_gone, ta_gone_gen_params),
	KUNIT_CASE_PARAM(fail_garbage_ctrl, ta_driver_ok_gen_params),
	KUNIT_CASE_PARAM(fail_bad_msg, ta_bad_msg_gen_params),
	KUNIT_CASE(fail_direct_image_pending),
	KUNIT_CASE_PARAM(fail_kick_full, ta_release_gen_params),
	{}
};

static struct kunit_suite ta_fail_suite = {
	.name = "virtio_argo_transport_fail",
	.init = ta_init,
	.exit = ta_exit,
	.test_cases = ta_fail_cases,
};

kunit_test_suites(&ta_discovery_suite, &ta_config_suite, &ta_dma_suite,
		  &ta_vq_suite, &ta_fail_suite);
