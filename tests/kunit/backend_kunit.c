// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suites for the virtio-argo device side, on the simulated Argo
 * provider: a driver domain and a device domain in one kernel. The test
 * plays a minimal driver with the codec (backend_harness.c: its rings are
 * polled, without event callbacks) against the real engine and models:
 *   virtio_argo_backend         - bring-up, control requests, blk, rng and
 *				   console I/O, indirect tables, buffer
 *				   rings, a full driver ring, a driver that
 *				   goes, restart;
 *   virtio_argo_backend_hostile - bad chains, unknown tokens, out-of-order
 *				   avail indexes, truncated messages and too
 *				   much buffer data, each
 *				   refused with an error status or reply, or
 *				   dropped with DEVICE_NEEDS_RESET, after
 *				   which a reset brings the device back.
 */

#include <kunit/test.h>
#include <linux/anon_inodes.h>
#include <linux/argo.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/virtio_argo.h>
#include <uapi/linux/virtio_blk.h>
#include <uapi/linux/virtio_config.h>
#include <uapi/linux/virtio_ids.h>
#include <uapi/linux/virtio_ring.h>

#include "backend_harness.h"

/* The device's rings: a little over the minimum. */
#define BT_DEV_RING_LEN	(16 * 1024 - 64)
#define BT_SECTORS	64
#define BT_DISK_SIZE	(BT_SECTORS * 512)
#define BT_SERIAL	"kunit-disk"
#define BT_NAME		"kunit"
#define BT_FEATURES	(BIT_ULL(VIRTIO_F_VERSION_1) | \
			 BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) | \
			 BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC))
/* Buffer ring of mapping id BT_RING_ID: a header page and a buffer page. */
#define BT_RING_ID	9

/**
 * struct bt_blk - The test's driver, and the blk device's backing file.
 * @bt: the test's driver, which the cases get as test->priv
 * @file: the backing file (the test's own reference)
 * @disk: its contents
 */
struct bt_blk {
	struct bt bt;
	struct file *file;
	u8 *disk;
};

static struct bt_blk *to_bt_blk(struct bt *bt)
{
	return container_of(bt, struct bt_blk, bt);
}

static int backend_init(struct kunit *test)
{
	struct bt_blk *bb = kunit_kzalloc(test, sizeof(*bb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, bb);
	test->priv = &bb->bt;
	bt_init(test, &bb->bt, BT_DEV_RING_LEN, BT_MEM);
	return 0;
}

static void backend_exit(struct kunit *test)
{
	struct bt_blk *bb = to_bt_blk(test->priv);

	bt_exit(&bb->bt);
	if (!IS_ERR_OR_NULL(bb->file))
		fput(bb->file);
}

/*
 * The blk device's backing file: BT_DISK_SIZE bytes of kernel memory, so
 * that the test needs no file system (the KUnit kernel has no tmpfs).
 */
static ssize_t bt_disk_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	u8 *disk = iocb->ki_filp->private_data;
	size_t n;

	if (iocb->ki_pos < 0 || iocb->ki_pos >= BT_DISK_SIZE)
		return 0;
	n = copy_to_iter(disk + iocb->ki_pos,
			 min_t(size_t, iov_iter_count(to),
			       BT_DISK_SIZE - iocb->ki_pos), to);
	iocb->ki_pos += n;
	return n;
}

static ssize_t bt_disk_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	u8 *disk = iocb->ki_filp->private_data;
	size_t n;

	if (iocb->ki_pos < 0 || iocb->ki_pos >= BT_DISK_SIZE)
		return -ENOSPC;
	n = copy_from_iter(disk + iocb->ki_pos,
			   min_t(size_t, iov_iter_count(from),
				 BT_DISK_SIZE - iocb->ki_pos), from);
	iocb->ki_pos += n;
	return n;
}

static loff_t bt_disk_llseek(struct file *file, loff_t offset, int whence)
{
	return fixed_size_llseek(file, offset, whence, BT_DISK_SIZE);
}

static const struct file_operations bt_disk_fops = {
	.read_iter = bt_disk_read_iter,
	.write_iter = bt_disk_write_iter,
	.llseek = bt_disk_llseek,
	.fsync = noop_fsync,
};

static void bt_make_blk(struct bt *bt, bool ro)
{
	struct vab_dev_params params = bt_params(bt, BT_NAME);
	struct bt_blk *bb = to_bt_blk(bt);
	struct kunit *test = bt->test;

	bb->disk = kunit_kzalloc(test, BT_DISK_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bb->disk);
	bb->file = anon_inode_getfile("vab-kunit-disk", &bt_disk_fops,
				      bb->disk, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(bb->file));
	get_file(bb->file);
	bt->dev = vab_blk_create(&params, bb->file, ro, BT_SERIAL);
	if (IS_ERR(bt->dev))
		fput(bb->file);
	KUNIT_ASSERT_FALSE(test, IS_ERR(bt->dev));
	bt->destroy = vab_blk_destroy;
}

static void bt_make_rng(struct bt *bt)
{
	struct vab_dev_params params = bt_params(bt, BT_NAME);

	bt->dev = vab_rng_create(&params);
	KUNIT_ASSERT_FALSE(bt->test, IS_ERR(bt->dev));
	bt->destroy = vab_rng_destroy;
}

/* One queue: blk and rng have no other. */
static void bt_bringup(struct bt *bt, u32 caps, u64 features)
{
	bt_bringup_queues(bt, caps, features, 1);
}

static void bt_kick(struct bt *bt, const struct virtio_argo_desc *descs,
		    u16 ndescs, const u16 *heads, u16 nheads)
{
	bt_kick_q(bt, 0, descs, ndescs, heads, nheads);
}

static u32 bt_used(struct bt *bt, u16 head)
{
	return bt_used_q(bt, 0, head);
}

/*
 * One virtio-blk request: header in OUT mapping 1, data in mapping 2 (OUT
 * for writes, IN for the rest), status in IN mapping 3. Returns the status.
 */
static u8 bt_blk(struct bt *bt, u32 type, u64 sector, void *data, u32 len,
		 u32 *used_len)
{
	bool out = type == VIRTIO_BLK_T_OUT;
	struct virtio_blk_outhdr hdr = {
		.type = (__force __virtio32)cpu_to_le32(type),
		.sector = (__force __virtio64)cpu_to_le64(sector),
	};
	const struct virtio_argo_desc descs[] = {
		BT_DESC(0, OUT(1), sizeof(hdr), VRING_DESC_F_NEXT, 1),
		BT_DESC(1, out ? OUT(2) : IN(2), len,
			VRING_DESC_F_NEXT | (out ? 0 : VRING_DESC_F_WRITE), 2),
		BT_DESC(2, IN(3), 1, VRING_DESC_F_WRITE, 0),
	};
	const u16 head = 0;

	bt->mem[3][0] = 0xff;
	bt_data(bt, 1, 0, &hdr, sizeof(hdr));
	if (out)
		bt_data(bt, 2, 0, data, len);
	bt_kick(bt, descs, ARRAY_SIZE(descs), &head, 1);
	*used_len = bt_used(bt, head);
	if (!out && data)
		memcpy(data, bt->mem[2], len);
	return bt->mem[3][0];
}

static void backend_control(struct kunit *test)
{
	struct bt *bt = test->priv;
	struct virtio_argo_msg req, rep;
	__le64 capacity;
	u64 features;

	bt_make_blk(bt, false);

	/* Before HELLO, requests are refused for want of a session. */
	KUNIT_EXPECT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_STATUS, &rep),
			VIRTIO_ARGO_S_BAD_VERSION);

	bt_hello(bt, VIRTIO_ARGO_CAP_USED_DIRECT | VIRTIO_ARGO_CAP_BUFFER_RINGS,
		 &rep);
	KUNIT_EXPECT_EQ(test, rep.hello.ctrl_port, BT_DEV_CTRL);
	KUNIT_EXPECT_EQ(test, rep.hello.data_port, BT_DEV_DATA);
	KUNIT_EXPECT_EQ(test, rep.hello.max_msg_size,
			argo_ring_max_payload(BT_DEV_RING_LEN));
	KUNIT_EXPECT_EQ(test, rep.hello.max_batch, VAB_MAX_BATCH);
	KUNIT_EXPECT_EQ(test, rep.hello.caps,
			VIRTIO_ARGO_CAP_USED_DIRECT | VIRTIO_ARGO_CAP_BUFFER_RINGS);

	/* Sizes are unknown until GET_DEVICE_INFO. */
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_FEATURES, 0);
	req.features.count = 2;
	KUNIT_EXPECT_EQ(test, bt_call(bt, &req, &rep),
			VIRTIO_ARGO_S_OUT_OF_RANGE);

	KUNIT_ASSERT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_DEVICE_INFO,
					&rep), VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, rep.device_info.device_id, VIRTIO_ID_BLOCK);
	KUNIT_EXPECT_EQ(test, rep.device_info.num_queues, 1);
	KUNIT_EXPECT_EQ(test, rep.device_info.max_queue_size, 256);
	KUNIT_EXPECT_EQ(test, rep.device_info.num_feature_blocks, 2);
	KUNIT_EXPECT_EQ(test, rep.device_info.config_size, 24U);

	KUNIT_ASSERT_EQ(test, bt_call(bt, &req, &rep), VIRTIO_ARGO_S_OK);
	features = le32_to_cpu(rep.features.words[0]) |
		   (u64)le32_to_cpu(rep.features.words[1]) << 32;
	KUNIT_EXPECT_EQ(test, features & BT_FEATURES, BT_FEATURES);
	KUNIT_EXPECT_TRUE(test, features & BIT_ULL(VIRTIO_BLK_F_FLUSH));
	KUNIT_EXPECT_FALSE(test, features & BIT_ULL(VIRTIO_BLK_F_RO));
	KUNIT_EXPECT_FALSE(test, features & (BIT_ULL(VIRTIO_F_RING_PACKED) |
					     BIT_ULL(VIRTIO_RING_F_EVENT_IDX)));

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_CONFIG, 0);
	req.config.size = sizeof(capacity);
	KUNIT_ASSERT_EQ(test, bt_call(bt, &req, &rep), VIRTIO_ARGO_S_OK);
	memcpy(&capacity, rep.config.data, sizeof(capacity));
	KUNIT_EXPECT_EQ(test, le64_to_cpu(capacity), BT_SECTORS);
	req.config.offset = 20;
	KUNIT_EXPECT_EQ(test, bt_call(bt, &req, &rep),
			VIRTIO_ARGO_S_OUT_OF_RANGE);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_CONFIG, 0);
	req.config.size = 1;
	req.config.data = (const u8 *)"x";
	KUNIT_EXPECT_EQ(test, bt_call(bt, &req, &rep),
			VIRTIO_ARGO_S_UNSUPPORTED);

	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_PING, 0);
	req.ping_cookie = 0x1122334455667788ULL;
	KUNIT_ASSERT_EQ(test, bt_call(bt, &req, &rep), VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, rep.ping_cookie, 0x1122334455667788ULL);

	/* No queue before FEATURES_OK; FEATURES_OK needs ACCESS_PLATFORM. */
	KUNIT_EXPECT_EQ(test, bt_set_vqueue(bt, 0, BT_QSIZE, 0),
			VIRTIO_ARGO_S_BAD_STATE);
	bt_set_status(bt, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	KUNIT_EXPECT_EQ(test, bt_set_features(bt, BIT_ULL(VIRTIO_F_VERSION_1)),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, bt_set_status(bt, VIRTIO_CONFIG_S_ACKNOWLEDGE |
					    VIRTIO_CONFIG_S_DRIVER |
					    VIRTIO_CONFIG_S_FEATURES_OK),
			VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	KUNIT_EXPECT_EQ(test, bt_set_features(bt, BT_FEATURES),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, bt_set_status(bt, VIRTIO_CONFIG_S_ACKNOWLEDGE |
					    VIRTIO_CONFIG_S_DRIVER |
					    VIRTIO_CONFIG_S_FEATURES_OK),
			VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			VIRTIO_CONFIG_S_FEATURES_OK);
	/* Features are frozen now, and status bits cannot be taken back. */
	KUNIT_EXPECT_EQ(test, bt_set_features(bt, BT_FEATURES),
			VIRTIO_ARGO_S_BAD_STATE);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_STATUS, 0);
	req.device_status = VIRTIO_CONFIG_S_ACKNOWLEDGE;
	KUNIT_EXPECT_EQ(test, bt_call(bt, &req, &rep), VIRTIO_ARGO_S_BAD_STATE);

	/* A scheme the codec knows; one SET_VQUEUE per queue. */
	bt->qsizes[0] = BT_QSIZE;
	KUNIT_EXPECT_EQ(test, bt_set_vqueue(bt, 0, BT_QSIZE, 0), VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, bt_set_vqueue(bt, 0, BT_QSIZE, 0),
			VIRTIO_ARGO_S_BAD_STATE);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_RESET_VQUEUE, 0);
	KUNIT_EXPECT_EQ(test, bt_call(bt, &req, &rep), VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, bt_set_vqueue(bt, 0, BT_QSIZE, 0), VIRTIO_ARGO_S_OK);

	/* Reset clears everything but the session. */
	KUNIT_EXPECT_EQ(test, bt_set_status(bt, 0), 0U);
	KUNIT_ASSERT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_STATUS, &rep),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, rep.device_status, 0U);
	KUNIT_EXPECT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION,
					&rep), VIRTIO_ARGO_S_OK);
}

static void backend_blk_io(struct kunit *test)
{
	struct bt *bt = test->priv;
	u8 *pattern, *back;
	u32 used;
	int i;

	pattern = kunit_kmalloc(test, 4096, GFP_KERNEL);
	back = kunit_kzalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, pattern && back);
	for (i = 0; i < 4096; i++)
		pattern[i] = i * 7 + 3;

	bt_make_blk(bt, false);
	bt_bringup(bt, 0, BT_FEATURES);

	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_OUT, 8, pattern, 4096,
				     &used), VIRTIO_BLK_S_OK);
	KUNIT_EXPECT_EQ(test, used, 1U);
	/* The write reached the file before it was acknowledged. */
	KUNIT_EXPECT_EQ(test, memcmp(to_bt_blk(bt)->disk + 8 * 512, pattern, 4096), 0);

	memset(back, 0, 4096);
	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_IN, 8, back, 4096,
				     &used), VIRTIO_BLK_S_OK);
	KUNIT_EXPECT_EQ(test, used, 4097U);
	KUNIT_EXPECT_EQ(test, memcmp(back, pattern, 4096), 0);

	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_FLUSH, 0, NULL, 0, &used),
			VIRTIO_BLK_S_OK);
	memset(back, 0, 4096);
	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_GET_ID, 0, back,
				     VIRTIO_BLK_ID_BYTES, &used),
			VIRTIO_BLK_S_OK);
	KUNIT_EXPECT_STREQ(test, (char *)back, BT_SERIAL);

	/* Refused requests still get their status. */
	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_IN, BT_SECTORS - 1, back,
				     1024, &used), VIRTIO_BLK_S_IOERR);
	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_IN, 0, back, 100, &used),
			VIRTIO_BLK_S_IOERR);
	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_IN, U64_MAX, back, 512,
				     &used), VIRTIO_BLK_S_IOERR);
	KUNIT_EXPECT_EQ(test, bt_blk(bt, 0x55, 0, back, 512, &used),
			VIRTIO_BLK_S_UNSUPP);
	KUNIT_EXPECT_EQ(test, vab_dev_dropped(bt->dev), 0ULL);
}

static void backend_blk_ro(struct kunit *test)
{
	struct bt *bt = test->priv;
	static u8 sector[512];
	struct virtio_argo_msg req, rep;
	u32 used;

	bt_make_blk(bt, true);
	bt_bringup(bt, 0, BT_FEATURES | BIT_ULL(VIRTIO_BLK_F_RO));
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_FEATURES, 0);
	req.features.count = 1;
	KUNIT_ASSERT_EQ(test, bt_call(bt, &req, &rep), VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_TRUE(test, le32_to_cpu(rep.features.words[0]) &
			  BIT(VIRTIO_BLK_F_RO));
	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_OUT, 0, sector, 512,
				     &used), VIRTIO_BLK_S_IOERR);
	KUNIT_EXPECT_EQ(test, bt_blk(bt, VIRTIO_BLK_T_IN, 0, sector, 512,
				     &used), VIRTIO_BLK_S_OK);
}

/* A read whose three descriptors sit in an indirect table (mapping 4). */
static void backend_blk_indirect(struct kunit *test)
{
	struct bt *bt = test->priv;
	struct virtio_blk_outhdr hdr = {
		.type = (__force __virtio32)cpu_to_le32(VIRTIO_BLK_T_IN),
	};
	const struct vring_desc table[] = {
		{ .addr = (__force __virtio64)cpu_to_le64(OUT(1)),
		  .len = (__force __virtio32)cpu_to_le32(sizeof(hdr)),
		  .flags = (__force __virtio16)cpu_to_le16(VRING_DESC_F_NEXT),
		  .next = (__force __virtio16)cpu_to_le16(1) },
		{ .addr = (__force __virtio64)cpu_to_le64(IN(2)),
		  .len = (__force __virtio32)cpu_to_le32(512),
		  .flags = (__force __virtio16)cpu_to_le16(VRING_DESC_F_NEXT |
							   VRING_DESC_F_WRITE),
		  .next = (__force __virtio16)cpu_to_le16(2) },
		{ .addr = (__force __virtio64)cpu_to_le64(IN(3)),
		  .len = (__force __virtio32)cpu_to_le32(1),
		  .flags = (__force __virtio16)cpu_to_le16(VRING_DESC_F_WRITE) },
	};
	const struct virtio_argo_desc desc =
		BT_DESC(5, OUT(4), sizeof(table), VRING_DESC_F_INDIRECT, 0);
	const u16 head = 5;

	bt_make_blk(bt, false);
	bt_bringup(bt, 0, BT_FEATURES);
	bt->mem[3][0] = 0xff;
	bt_data(bt, 1, 0, &hdr, sizeof(hdr));
	/* In two pieces, as a mapping larger than a message would come. */
	bt_data(bt, 4, 0, table, 20);
	bt_data(bt, 4, 20, (const u8 *)table + 20, sizeof(table) - 20);
	bt_kick(bt, &desc, 1, &head, 1);
	KUNIT_EXPECT_EQ(test, bt_used(bt, head), 513U);
	KUNIT_EXPECT_EQ(test, bt->mem[3][0], VIRTIO_BLK_S_OK);
}

static void backend_rng(struct kunit *test)
{
	static const u8 zero[64];
	struct bt *bt = test->priv;
	const struct virtio_argo_desc desc =
		BT_DESC(3, IN(5), 64, VRING_DESC_F_WRITE, 0);
	const u16 head = 3;

	bt_make_rng(bt);
	bt_bringup(bt, 0, BIT_ULL(VIRTIO_F_VERSION_1) |
		   BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));
	bt_kick(bt, &desc, 1, &head, 1);
	KUNIT_EXPECT_EQ(test, bt_used(bt, head), 64U);
	KUNIT_EXPECT_NE(test, memcmp(bt->mem[5], zero, 64), 0);
	/* The same descriptor again: no new descriptor entries needed. */
	bt_kick(bt, NULL, 0, &head, 1);
	KUNIT_EXPECT_EQ(test, bt_used(bt, head), 64U);
}

/* The next message of the direct used ring, within BT_TIMEOUT_MS. */
static void bt_direct_next(struct bt *bt, struct argo_ring *ring, u32 type,
			   u32 len)
{
	struct kunit *test = bt->test;
	struct argo_msg am;
	int i, ret;

	for (i = 0; i < BT_TIMEOUT_MS; i++) {
		ret = argo_ring_peek(ring, &am);
		if (ret != -EAGAIN)
			break;
		/* The device sends an image only once its data was taken in. */
		bt_drain_data(bt);
		usleep_range(1000, 2000);
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, am.type, type);
	KUNIT_EXPECT_EQ(test, am.len, len);
	argo_ring_consume(ring, &am);
	/* The device waits for this space to send the next one. */
	argo_notify(bt->drv);
}

/*
 * The direct used scheme, on the ring the transport registers: pages
 * [header, used, used again], the first message at 4016. Each image must
 * land on the used page's first byte, pads bringing tx_ptr back.
 */
static void backend_used_direct(struct kunit *test)
{
	/* One used page: 16 entries take 4 + 8 * 16 + 2 bytes. */
	const u32 len = 4016 + ARGO_MSG_HEADER_SIZE + PAGE_SIZE + 16;
	struct bt *bt = test->priv;
	const struct virtio_argo_desc desc =
		BT_DESC(3, IN(5), 64, VRING_DESC_F_WRITE, 0);
	const u16 head = 3;
	struct page *pages[3];
	struct argo_ring ring;
	__le16 *used16;
	__le32 *used32;
	unsigned int n;

	pages[0] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pages[1] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_TRUE(test, pages[0] && pages[1]);
	pages[2] = pages[1];
	used16 = page_address(pages[1]);
	used32 = page_address(pages[1]);
	/* The test's plain used ring gives its port to the direct one. */
	bt_ring_release(&bt->used);
	argo_ring_init(&ring, bt->drv, BT_DRV_USED, BT_DEV_DOMID, NULL);
	KUNIT_ASSERT_EQ(test, argo_ring_register(&ring, pages, len, 4016,
						 GFP_KERNEL), 0);

	bt_make_rng(bt);
	bt_bringup_scheme(bt, VIRTIO_ARGO_CAP_USED_DIRECT, BIT_ULL(VIRTIO_F_VERSION_1) |
			  BIT_ULL(VIRTIO_F_ACCESS_PLATFORM), 1,
			  VIRTIO_ARGO_USED_DIRECT);
	for (n = 1; n <= 3; n++) {
		bt_kick(bt, n == 1 ? &desc : NULL, n == 1, &head, 1);
		/* From the second on, a pad first brings tx_ptr back. */
		if (n > 1)
			bt_direct_next(bt, &ring, VIRTIO_ARGO_MTYPE_USED_PAD, 4000);
		bt_direct_next(bt, &ring, VIRTIO_ARGO_MTYPE_USED_IMAGE,
			       PAGE_SIZE + 4);
		KUNIT_EXPECT_EQ(test, le16_to_cpu(used16[1]), n);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(used32[1 + 2 * (n - 1)]), head);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(used32[2 + 2 * (n - 1)]), 64);
		bt_drain_data(bt);
	}
	argo_ring_unregister(&ring);
	__free_page(pages[0]);
	__free_page(pages[1]);
}

/*
 * CAP_BUFFER_RINGS: an IN_RING buffer whose ring exists gets its bytes
 * there, in one MTYPE_BUFFER message; one whose ring is missing gets them by
 * DATA_TO_DRIVER.
 */
static void backend_buffer_ring(struct kunit *test)
{
	struct bt *bt = test->priv;
	const u64 token = virtio_argo_token(VIRTIO_ARGO_TOKEN_IN_RING,
					    BT_RING_ID, 0);
	const struct virtio_argo_desc desc =
		BT_DESC(0, token, 32, VRING_DESC_F_WRITE, 0);
	struct bt_ring br = {};
	struct argo_msg am;
	const u16 head = 0;
	u8 buf[32];

	bt_make_rng(bt);
	bt_bringup(bt, VIRTIO_ARGO_CAP_BUFFER_RINGS,
		   BIT_ULL(VIRTIO_F_VERSION_1) |
		   BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));

	/* Without a ring: DATA_TO_DRIVER. */
	memset(bt->mem[BT_RING_ID], 0, 32);
	bt_kick(bt, &desc, 1, &head, 1);
	KUNIT_EXPECT_EQ(test, bt_used(bt, head), 32U);
	KUNIT_EXPECT_NOT_NULL(test, memchr_inv(bt->mem[BT_RING_ID], 0, 32));

	/* With one: the buffer's ring, and nothing in the data ring. */
	KUNIT_ASSERT_EQ(test, bt_ring_setup(bt, &br,
					    virtio_argo_buffer_port(BT_RING_ID),
					    2 * 4096 - 64, 4016), 0);
	memset(bt->mem[BT_RING_ID], 0, 32);
	bt_kick(bt, NULL, 0, &head, 1);
	KUNIT_EXPECT_EQ(test, bt_used(bt, head), 32U);
	KUNIT_EXPECT_NULL(test, memchr_inv(bt->mem[BT_RING_ID], 0, 32));
	KUNIT_EXPECT_EQ(test, argo_ring_recv(&br.ring, &am, buf, sizeof(buf)),
			32);
	KUNIT_EXPECT_EQ(test, am.type, VIRTIO_ARGO_MTYPE_BUFFER);
	/* The payload landed at the start of the buffer page. */
	KUNIT_EXPECT_EQ(test, memcmp(page_address(br.pages[1]), buf, 32), 0);
	bt_ring_release(&br);
}

/* virtio-console: guest output is used at once; receive buffers wait. */
static void backend_console(struct kunit *test)
{
	static const char hello[] = "hello from the guest";
	const struct virtio_argo_desc tx =
		BT_DESC(0, OUT(1), sizeof(hello), 0, 0);
	const struct virtio_argo_desc rx =
		BT_DESC(0, IN(2), 64, VRING_DESC_F_WRITE, 0);
	struct bt *bt = test->priv;
	struct vab_dev_params params = bt_params(bt, BT_NAME);
	struct virtio_argo_msg rep;
	struct argo_msg am;
	const u16 head = 0;

	bt->dev = vab_console_create(&params, "vab-kunit-con");
	KUNIT_ASSERT_FALSE(test, IS_ERR(bt->dev));
	bt->destroy = vab_console_destroy;
	bt_bringup_queues(bt, 0, BIT_ULL(VIRTIO_F_VERSION_1) |
			  BIT_ULL(VIRTIO_F_ACCESS_PLATFORM), 2);
	KUNIT_ASSERT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_DEVICE_INFO,
					&rep), VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, rep.device_info.device_id, VIRTIO_ID_CONSOLE);
	KUNIT_EXPECT_EQ(test, rep.device_info.num_queues, 2);

	/* No input for the receive buffer yet: it stays available. */
	bt_kick_q(bt, 0, &rx, 1, &head, 1);
	bt_data(bt, 1, 0, hello, sizeof(hello));
	bt_kick_q(bt, 1, &tx, 1, &head, 1);
	KUNIT_EXPECT_EQ(test, bt_used_q(bt, 1, head), 0U);
	KUNIT_EXPECT_EQ(test, argo_ring_recv(&bt->used.ring, &am, bt->rx,
					     BT_MSG_MAX), -EAGAIN);
}

/*
 * A full driver data ring: the device waits for the space wakeup (no
 * spinning, no lost data) and goes on once the driver consumes.
 */
static void backend_ring_full(struct kunit *test)
{
	const struct virtio_argo_desc desc =
		BT_DESC(0, IN(5), 4096, VRING_DESC_F_WRITE, 0);
	struct bt *bt = test->priv;
	u16 heads[BT_QSIZE] = {};
	struct virtio_argo_msg m;
	struct argo_msg am;
	u16 i;

	bt_make_rng(bt);
	bt_bringup(bt, 0, BIT_ULL(VIRTIO_F_VERSION_1) |
		   BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));
	/* 16 x 4 KiB of data does not fit the driver's 64 KiB data ring. */
	bt_kick(bt, &desc, 1, heads, BT_QSIZE);
	bt_expect_no_used(bt);

	bt_drain_data(bt);
	KUNIT_ASSERT_EQ(test, bt_recv(bt, &bt->used, &m), 0);
	KUNIT_EXPECT_EQ(test, m.used.num_used, BT_QSIZE);
	KUNIT_EXPECT_EQ(test, m.used.used_idx, BT_QSIZE);
	for (i = 0; i < m.used.num_used; i++)
		KUNIT_EXPECT_EQ(test, le32_to_cpu(m.used.elems[i].len), 4096U);
	bt_drain_data(bt);
	KUNIT_EXPECT_EQ(test, argo_ring_recv(&bt->data.ring, &am, bt->rx,
					     BT_MSG_MAX), -EAGAIN);
}

/* A driver whose ring went away loses its session. */
static void backend_driver_gone(struct kunit *test)
{
	const struct virtio_argo_desc desc =
		BT_DESC(0, IN(5), 64, VRING_DESC_F_WRITE, 0);
	struct bt *bt = test->priv;
	struct virtio_argo_msg rep;
	const u16 head = 0;
	u16 status;
	int i;

	bt_make_rng(bt);
	bt_bringup(bt, 0, BIT_ULL(VIRTIO_F_VERSION_1) |
		   BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));
	KUNIT_ASSERT_EQ(test, argo_ring_unregister(&bt->data.ring), 0);
	bt_kick(bt, &desc, 1, &head, 1);
	/* Requests overtake data-ring messages: ask until the kick is seen. */
	for (i = 0; i < 100; i++) {
		status = bt_simple(bt, VIRTIO_ARGO_MSG_GET_STATUS, &rep);
		if (status)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, status, VIRTIO_ARGO_S_BAD_VERSION);
}

/* A new HELLO is a new session; a device that goes refuses sends. */
static void backend_restart(struct kunit *test)
{
	struct bt *bt = test->priv;
	struct virtio_argo_msg rep;
	static const u8 byte;

	bt_make_rng(bt);
	bt_bringup(bt, 0, BIT_ULL(VIRTIO_F_VERSION_1) |
		   BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));
	bt_hello(bt, 0, &rep);
	KUNIT_ASSERT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_STATUS, &rep),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, rep.device_status, 0U);

	bt->destroy(bt->dev);
	bt->dev = NULL;
	KUNIT_EXPECT_EQ(test, bt_send_raw(bt, BT_DEV_CTRL, &byte, 1,
					  VIRTIO_ARGO_MTYPE_MSG),
			-ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, argo_rings_in_use(bt->devd), 0U);
}

static struct kunit_case backend_cases[] = {
	KUNIT_CASE(backend_control),
	KUNIT_CASE(backend_blk_io),
	KUNIT_CASE(backend_blk_ro),
	KUNIT_CASE(backend_blk_indirect),
	KUNIT_CASE(backend_rng),
	KUNIT_CASE(backend_used_direct),
	KUNIT_CASE(backend_buffer_ring),
	KUNIT_CASE(backend_console),
	KUNIT_CASE(backend_ring_full),
	KUNIT_CASE(backend_driver_gone),
	KUNIT_CASE(backend_restart),
	{}
};

static struct kunit_suite backend_suite = {
	.name = "virtio_argo_backend",
	.init = backend_init,
	.exit = backend_exit,
	.test_cases = backend_cases,
};

/**
 * struct bt_bad_chain - A kick the device must refuse with NEEDS_RESET.
 * @name: parameter description
 * @descs: descriptor entries to send
 * @ndescs: how many
 * @head: the head made available
 * @skip: added to avail_idx, to break its order
 * @data: send 16 bytes for OUT mapping 1 first
 */
struct bt_bad_chain {
	const char *name;
	struct virtio_argo_desc descs[3];
	u16 ndescs;
	u16 head;
	u16 skip;
	bool data;
};

static const struct bt_bad_chain bt_bad_chains[] = {
	{ "loop", { BT_DESC(0, IN(3), 8, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1),
		    BT_DESC(1, IN(3), 8, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 0) },
	  2, 0, 0, false },
	{ "next out of range", { BT_DESC(0, IN(3), 8, VRING_DESC_F_WRITE |
					 VRING_DESC_F_NEXT, BT_QSIZE) },
	  1, 0, 0, false },
	{ "unknown token", { BT_DESC(0, OUT(7), 16, 0, 0) }, 1, 0, 0, false },
	{ "beyond the data", { BT_DESC(0, OUT(1), 17, 0, 0) }, 1, 0, 0, true },
	{ "token kind 0", { BT_DESC(0, 0, 16, VRING_DESC_F_WRITE, 0) },
	  1, 0, 0, false },
	{ "readable IN token", { BT_DESC(0, IN(1), 16, 0, 0) }, 1, 0, 0, true },
	{ "readable after writable",
	  { BT_DESC(0, IN(3), 8, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1),
	    BT_DESC(1, OUT(1), 16, 0, 0) }, 2, 0, 0, true },
	{ "beyond 4 GiB", { BT_DESC(0, IN(3) | 0xfffffff0, 32,
				    VRING_DESC_F_WRITE, 0) }, 1, 0, 0, false },
	{ "indirect with NEXT", { BT_DESC(0, OUT(1), 16, VRING_DESC_F_INDIRECT |
					  VRING_DESC_F_NEXT, 1) },
	  1, 0, 0, true },
	{ "indirect table length", { BT_DESC(0, OUT(1), 12,
					     VRING_DESC_F_INDIRECT, 0) },
	  1, 0, 0, true },
	{ "avail_idx out of order", { BT_DESC(0, IN(3), 8, VRING_DESC_F_WRITE,
					      0) }, 1, 0, 1, false },
};

static void bt_bad_chain_desc(const struct bt_bad_chain *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bt_bad_chain, bt_bad_chains, bt_bad_chain_desc);

/* The device needs a reset, says so, and works again after one. */
static void bt_expect_needs_reset(struct bt *bt)
{
	struct kunit *test = bt->test;
	struct virtio_argo_msg rep, m;

	KUNIT_ASSERT_EQ(test, bt_recv(bt, &bt->ctrl, &m), 0);
	KUNIT_EXPECT_EQ(test, m.type, VIRTIO_ARGO_MSG_EVENT_CONFIG);
	KUNIT_ASSERT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_STATUS, &rep),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_TRUE(test, rep.device_status &
			  VIRTIO_CONFIG_S_NEEDS_RESET);
	/* Nothing was used. */
	KUNIT_EXPECT_EQ(test, argo_ring_recv(&bt->used.ring, &(struct argo_msg){},
					     bt->rx, BT_MSG_MAX), -EAGAIN);

	bt_bringup(bt, 0, BT_FEATURES);
	KUNIT_ASSERT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_STATUS, &rep),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_FALSE(test, rep.device_status &
			   VIRTIO_CONFIG_S_NEEDS_RESET);
}

static void hostile_bad_chain(struct kunit *test)
{
	const struct bt_bad_chain *c = test->param_value;
	static const u8 bytes[16];
	struct bt *bt = test->priv;

	bt_make_blk(bt, false);
	bt_bringup(bt, 0, BT_FEATURES);
	if (c->data)
		bt_data(bt, 1, 0, bytes, sizeof(bytes));
	bt->avail_idx[0] += c->skip;
	bt_kick(bt, c->descs, c->ndescs, &c->head, 1);
	bt_expect_needs_reset(bt);
}

/* A nested indirect table, and an indirect table without the feature. */
static void hostile_indirect(struct kunit *test)
{
	struct bt *bt = test->priv;
	const struct vring_desc nested = {
		.addr = (__force __virtio64)cpu_to_le64(OUT(4)),
		.len = (__force __virtio32)cpu_to_le32(16),
		.flags = (__force __virtio16)cpu_to_le16(VRING_DESC_F_INDIRECT),
	};
	const struct virtio_argo_desc desc =
		BT_DESC(0, OUT(4), sizeof(nested), VRING_DESC_F_INDIRECT, 0);
	const u16 head = 0;

	bt_make_blk(bt, false);
	bt_bringup(bt, 0, BT_FEATURES);
	bt_data(bt, 4, 0, &nested, sizeof(nested));
	bt_kick(bt, &desc, 1, &head, 1);
	bt_expect_needs_reset(bt);

	bt_bringup(bt, 0, BIT_ULL(VIRTIO_F_VERSION_1) |
		   BIT_ULL(VIRTIO_F_ACCESS_PLATFORM));
	bt_data(bt, 4, 0, &nested, sizeof(nested));
	bt_kick(bt, &desc, 1, &head, 1);
	bt_expect_needs_reset(bt);
}

/* Wait until the device has dropped @n more messages than @before. */
static void bt_expect_dropped(struct bt *bt, u64 before, u64 n)
{
	int i;

	for (i = 0; i < BT_TIMEOUT_MS &&
	     vab_dev_dropped(bt->dev) < before + n; i++)
		usleep_range(1000, 2000);
	KUNIT_EXPECT_EQ(bt->test, vab_dev_dropped(bt->dev), before + n);
}

static void hostile_truncated(struct kunit *test)
{
	struct bt *bt = test->priv;
	struct virtio_argo_hdr *hdr = (struct virtio_argo_hdr *)bt->tx;
	struct virtio_argo_msg req, rep;
	ssize_t len;
	u64 dropped;

	bt_make_blk(bt, false);
	bt_bringup(bt, 0, BT_FEATURES);
	dropped = vab_dev_dropped(bt->dev);

	/* Header lying about the length: nothing to answer, dropped. */
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_SET_STATUS,
			     ++bt->req_id);
	len = virtio_argo_msg_encode(&req, &bt->peer, bt->tx, BT_MSG_MAX);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_EQ(test, bt_send_raw(bt, BT_DEV_CTRL, bt->tx, len - 1,
					  VIRTIO_ARGO_MTYPE_MSG), len - 1);
	/* Shorter than a header; a foreign message type. */
	KUNIT_ASSERT_EQ(test, bt_send_raw(bt, BT_DEV_CTRL, bt->tx, 10,
					  VIRTIO_ARGO_MTYPE_MSG), 10);
	KUNIT_ASSERT_EQ(test, bt_send_raw(bt, BT_DEV_CTRL, bt->tx, len,
					  VIRTIO_ARGO_MTYPE_BUFFER), len);
	bt_expect_dropped(bt, dropped, 3);

	/* A sound header on a short payload: an error reply. */
	hdr->payload_len = cpu_to_le32(2);
	KUNIT_ASSERT_EQ(test, bt_send_raw(bt, BT_DEV_CTRL, bt->tx, 18,
					  VIRTIO_ARGO_MTYPE_MSG), 18);
	KUNIT_ASSERT_EQ(test, bt_recv(bt, &bt->ctrl, &rep), 0);
	KUNIT_EXPECT_EQ(test, rep.request_id, bt->req_id);
	KUNIT_EXPECT_EQ(test, rep.status, VIRTIO_ARGO_S_BAD_MESSAGE);

	/* Truncated EVENT_AVAIL and DATA_TO_DEVICE: dropped. */
	dropped = vab_dev_dropped(bt->dev);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_EVENT_AVAIL, 0);
	req.avail.avail_idx = 1;
	req.avail.num_avail = 1;
	req.avail.ring = (const __le16 *)"\0\0";
	len = virtio_argo_msg_encode(&req, &bt->peer, bt->tx, BT_MSG_MAX);
	KUNIT_ASSERT_GT(test, len, 0);
	hdr->payload_len = cpu_to_le32(len - 16 - 2);
	KUNIT_ASSERT_EQ(test, bt_send_raw(bt, BT_DEV_DATA, bt->tx, len - 2,
					  VIRTIO_ARGO_MTYPE_MSG), len - 2);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_DATA_TO_DEVICE, 0);
	req.data.token = OUT(1);
	len = virtio_argo_msg_encode(&req, &bt->peer, bt->tx, BT_MSG_MAX);
	KUNIT_ASSERT_EQ(test, len, 32);
	hdr->payload_len = cpu_to_le32(8);
	KUNIT_ASSERT_EQ(test, bt_send_raw(bt, BT_DEV_DATA, bt->tx, 24,
					  VIRTIO_ARGO_MTYPE_MSG), 24);
	/* A request on the data ring, and data with an IN token. */
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_GET_STATUS, 1);
	bt_send(bt, BT_DEV_DATA, &req);
	virtio_argo_msg_init(&req, 1, VIRTIO_ARGO_MSG_DATA_TO_DEVICE, 0);
	req.data.token = OUT(1);
	len = virtio_argo_msg_encode(&req, &bt->peer, bt->tx, BT_MSG_MAX);
	KUNIT_ASSERT_EQ(test, len, 32);
	((struct virtio_argo_data *)(bt->tx + 16))->token = cpu_to_le64(IN(1));
	KUNIT_ASSERT_EQ(test, bt_send_raw(bt, BT_DEV_DATA, bt->tx, len,
					  VIRTIO_ARGO_MTYPE_MSG), len);
	bt_expect_dropped(bt, dropped, 4);

	/* None of it hurt the session. */
	KUNIT_ASSERT_EQ(test, bt_simple(bt, VIRTIO_ARGO_MSG_GET_STATUS, &rep),
			VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, rep.device_status,
			VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
			VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_EQ(test, bt->config_events, 0U);
}

/* A blk request without a status byte cannot be answered. */
static void hostile_blk_no_status(struct kunit *test)
{
	struct bt *bt = test->priv;
	static const u8 hdr[16];
	const struct virtio_argo_desc desc = BT_DESC(0, OUT(1), 16, 0, 0);
	const u16 head = 0;

	bt_make_blk(bt, false);
	bt_bringup(bt, 0, BT_FEATURES);
	bt_data(bt, 1, 0, hdr, sizeof(hdr));
	bt_kick(bt, &desc, 1, &head, 1);
	bt_expect_needs_reset(bt);
}

/* Buffer data beyond a mapping's or the session's limit. */
static void hostile_buffer_budget(struct kunit *test)
{
	static const u8 bytes[16];
	struct bt *bt = test->priv;

	bt_make_blk(bt, false);
	bt_bringup(bt, 0, BT_FEATURES);
	bt_data(bt, 1, 0x7ffff000, bytes, sizeof(bytes));
	bt_expect_needs_reset(bt);

	/* 1 MiB for mapping 1 fills the test's budget; mapping 2 is over. */
	bt_data(bt, 1, (1 << 20) - sizeof(bytes), bytes, sizeof(bytes));
	bt_data(bt, 2, 0, bytes, sizeof(bytes));
	bt_expect_needs_reset(bt);
}

static struct kunit_case backend_hostile_cases[] = {
	KUNIT_CASE_PARAM(hostile_bad_chain, bt_bad_chain_gen_params),
	KUNIT_CASE(hostile_indirect),
	KUNIT_CASE(hostile_truncated),
	KUNIT_CASE(hostile_blk_no_status),
	KUNIT_CASE(hostile_buffer_budget),
	{}
};

static struct kunit_suite backend_hostile_suite = {
	.name = "virtio_argo_backend_hostile",
	.init = backend_init,
	.exit = backend_exit,
	.test_cases = backend_hostile_cases,
};

kunit_test_suites(&backend_suite, &backend_hostile_suite);
