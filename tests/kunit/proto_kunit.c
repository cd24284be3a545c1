// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the virtio-argo wire protocol codec.
 *
 * Every message type is round-tripped, then each is attacked: truncated at
 * every length, with lying length fields, oversized, sent to the wrong side,
 * before a session, with single fields made hostile (the mutation table) and
 * with random byte flips. Golden byte strings pin the layouts to
 * Documentation/protocol.rst.
 */

#include <kunit/test.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/virtio_argo.h>

#define PROTO_BUF_SIZE	512
#define HDR_SIZE	sizeof(struct virtio_argo_hdr)

/* Queue 0 has 256 entries, queue 1 has 64, queue 2 is not set up. */
static const u16 proto_queue_sizes[] = { 256, 64, 0 };

static void proto_limits(struct virtio_argo_limits *lim, u8 role,
			 bool per_queue)
{
	*lim = (struct virtio_argo_limits) {
		.role = role,
		.version = 1,
		.max_batch = 128,
		.max_msg_size = 65536,
		.num_queues = 3,
		.max_queue_size = 256,
		.num_feature_blocks = 2,
		.config_size = 64,
		.queue_sizes = per_queue ? proto_queue_sizes : NULL,
	};
}

static u8 proto_other_role(u8 role)
{
	return role == VIRTIO_ARGO_ROLE_DEVICE ? VIRTIO_ARGO_ROLE_DRIVER :
						 VIRTIO_ARGO_ROLE_DEVICE;
}

static const __le32 sample_words[] = {
	cpu_to_le32(0x12345678), cpu_to_le32(0x00000001),
};

static const u8 sample_config[] = { 0x11, 0x22, 0x33, 0x44 };

static const struct virtio_argo_desc sample_descs[] = {
	{
		.addr = cpu_to_le64(0x1000000200000000ULL),
		.len = cpu_to_le32(512),
		.flags = cpu_to_le16(1),
		.next = cpu_to_le16(1),
		.slot = cpu_to_le16(0),
	}, {
		.addr = cpu_to_le64(0x2000000300000000ULL),
		.len = cpu_to_le32(4096),
		.flags = cpu_to_le16(2),
		.slot = cpu_to_le16(1),
	},
};

static const __le16 sample_ring[] = { cpu_to_le16(0), cpu_to_le16(1) };

static const struct virtio_argo_used_elem sample_elems[] = {
	{ .id = cpu_to_le32(0), .len = cpu_to_le32(512) },
	{ .id = cpu_to_le32(5), .len = cpu_to_le32(0) },
	{ .id = cpu_to_le32(63), .len = cpu_to_le32(4096) },
};

static const u8 sample_bytes[] = "payload";

enum proto_sample_id {
	S_HELLO, S_HELLO_REPLY, S_PING, S_PING_REPLY,
	S_INFO, S_INFO_REPLY,
	S_GET_FEATURES, S_GET_FEATURES_REPLY,
	S_SET_FEATURES, S_SET_FEATURES_REPLY,
	S_GET_CONFIG, S_GET_CONFIG_REPLY, S_SET_CONFIG, S_SET_CONFIG_REPLY,
	S_GET_GENERATION, S_GET_GENERATION_REPLY,
	S_GET_STATUS, S_GET_STATUS_REPLY, S_SET_STATUS, S_SET_STATUS_REPLY,
	S_SET_VQUEUE, S_SET_VQUEUE_REPLY, S_RESET_VQUEUE, S_RESET_VQUEUE_REPLY,
	S_EVENT_AVAIL, S_EVENT_AVAIL_EMPTY, S_EVENT_USED, S_EVENT_CONFIG,
	S_DATA_TO_DEVICE, S_DATA_TO_DRIVER, S_DATA_EMPTY, S_ERROR_REPLY,
	S_COUNT,
};

/**
 * struct proto_sample - A valid message and the side that receives it.
 * @name: shown as the parameter description
 * @receiver: enum virtio_argo_role of the decoding side
 * @msg: the message
 */
struct proto_sample {
	const char *name;
	u8 receiver;
	struct virtio_argo_msg msg;
};

#define TO_DEV	VIRTIO_ARGO_ROLE_DEVICE
#define TO_DRV	VIRTIO_ARGO_ROLE_DRIVER
#define SAMPLE_REQ(t)	.type = VIRTIO_ARGO_MSG_##t, .version = 1, .request_id = 0x1234
#define SAMPLE_REPLY(t)	SAMPLE_REQ(t), .flags = VIRTIO_ARGO_F_REPLY
#define SAMPLE_ONEWAY(t) .type = VIRTIO_ARGO_MSG_##t, .version = 1

static const struct proto_sample proto_samples[S_COUNT] = {
	[S_HELLO] = { "HELLO", TO_DEV, { SAMPLE_REQ(HELLO), .hello = {
		.min_version = 1, .max_version = 1, .max_batch = 128,
		.max_msg_size = 65536, .caps = VIRTIO_ARGO_CAP_BUFFER_RINGS,
		.ctrl_port = 0x100, .data_port = 0x101 } } },
	[S_HELLO_REPLY] = { "HELLO reply", TO_DRV, { SAMPLE_REPLY(HELLO), .hello = {
		.min_version = 1, .max_version = 3, .max_batch = 1024,
		.max_msg_size = 1 << 20, .ctrl_port = 0x1000,
		.data_port = 0x1001 } } },
	[S_PING] = { "PING", TO_DEV, { SAMPLE_REQ(PING),
		.ping_cookie = 0x0123456789abcdefULL } },
	[S_PING_REPLY] = { "PING reply", TO_DRV, { SAMPLE_REPLY(PING),
		.ping_cookie = 0x0123456789abcdefULL } },
	[S_INFO] = { "GET_DEVICE_INFO", TO_DEV, { SAMPLE_REQ(GET_DEVICE_INFO) } },
	[S_INFO_REPLY] = { "GET_DEVICE_INFO reply", TO_DRV, {
		SAMPLE_REPLY(GET_DEVICE_INFO), .device_info = {
		.device_id = 2, .vendor_id = 0x1af4, .config_size = 60,
		.num_queues = 3, .max_queue_size = 256,
		.num_feature_blocks = 2 } } },
	[S_GET_FEATURES] = { "GET_FEATURES", TO_DEV, { SAMPLE_REQ(GET_FEATURES),
		.features = { .index = 0, .count = 2 } } },
	[S_GET_FEATURES_REPLY] = { "GET_FEATURES reply", TO_DRV, {
		SAMPLE_REPLY(GET_FEATURES), .features = { .index = 0, .count = 2,
		.words = sample_words } } },
	[S_SET_FEATURES] = { "SET_FEATURES", TO_DEV, { SAMPLE_REQ(SET_FEATURES),
		.features = { .index = 0, .count = 2,
		.words = sample_words } } },
	[S_SET_FEATURES_REPLY] = { "SET_FEATURES reply", TO_DRV, {
		SAMPLE_REPLY(SET_FEATURES) } },
	[S_GET_CONFIG] = { "GET_CONFIG", TO_DEV, { SAMPLE_REQ(GET_CONFIG),
		.config = { .offset = 8, .size = 4 } } },
	[S_GET_CONFIG_REPLY] = { "GET_CONFIG reply", TO_DRV, { SAMPLE_REPLY(GET_CONFIG),
		.config = { .generation = 7, .offset = 8, .size = 4,
		.data = sample_config } } },
	[S_SET_CONFIG] = { "SET_CONFIG", TO_DEV, { SAMPLE_REQ(SET_CONFIG),
		.config = { .offset = 8, .size = 4,
		.data = sample_config } } },
	[S_SET_CONFIG_REPLY] = { "SET_CONFIG reply", TO_DRV, { SAMPLE_REPLY(SET_CONFIG),
		.config = { .generation = 8, .offset = 8, .size = 4 } } },
	[S_GET_GENERATION] = { "GET_CONFIG_GENERATION", TO_DEV, {
		SAMPLE_REQ(GET_CONFIG_GENERATION) } },
	[S_GET_GENERATION_REPLY] = { "GET_CONFIG_GENERATION reply", TO_DRV, {
		SAMPLE_REPLY(GET_CONFIG_GENERATION), .generation = 9 } },
	[S_GET_STATUS] = { "GET_STATUS", TO_DEV, { SAMPLE_REQ(GET_STATUS) } },
	[S_GET_STATUS_REPLY] = { "GET_STATUS reply", TO_DRV, { SAMPLE_REPLY(GET_STATUS),
		.device_status = 0x0f } },
	[S_SET_STATUS] = { "SET_STATUS", TO_DEV, { SAMPLE_REQ(SET_STATUS),
		.device_status = 0x0b } },
	[S_SET_STATUS_REPLY] = { "SET_STATUS reply", TO_DRV, { SAMPLE_REPLY(SET_STATUS),
		.device_status = 0x0b } },
	[S_SET_VQUEUE] = { "SET_VQUEUE", TO_DEV, { SAMPLE_REQ(SET_VQUEUE), .vqueue = {
		.index = 1, .size = 64, .used_port = 0x200,
		.used_scheme = VIRTIO_ARGO_USED_PLAIN } } },
	[S_SET_VQUEUE_REPLY] = { "SET_VQUEUE reply", TO_DRV, {
		SAMPLE_REPLY(SET_VQUEUE) } },
	[S_RESET_VQUEUE] = { "RESET_VQUEUE", TO_DEV, { SAMPLE_REQ(RESET_VQUEUE),
		.vqueue = { .index = 1 } } },
	[S_RESET_VQUEUE_REPLY] = { "RESET_VQUEUE reply", TO_DRV, {
		SAMPLE_REPLY(RESET_VQUEUE) } },
	[S_EVENT_AVAIL] = { "EVENT_AVAIL", TO_DEV, { SAMPLE_ONEWAY(EVENT_AVAIL),
		.avail = { .index = 0, .avail_idx = 2, .num_descs = 2,
		.num_avail = 2, .descs = sample_descs,
		.ring = sample_ring } } },
	[S_EVENT_AVAIL_EMPTY] = { "EVENT_AVAIL without entries", TO_DEV, {
		SAMPLE_ONEWAY(EVENT_AVAIL), .avail = { .index = 0,
		.avail_idx = 2 } } },
	[S_EVENT_USED] = { "EVENT_USED", TO_DRV, { SAMPLE_ONEWAY(EVENT_USED),
		.used = { .index = 1, .used_idx = 3, .num_used = 3,
		.elems = sample_elems } } },
	[S_EVENT_CONFIG] = { "EVENT_CONFIG", TO_DRV, { SAMPLE_ONEWAY(EVENT_CONFIG),
		.generation = 10 } },
	[S_DATA_TO_DEVICE] = { "DATA_TO_DEVICE", TO_DEV, {
		SAMPLE_ONEWAY(DATA_TO_DEVICE), .data = {
		.token = 0x1000000200000000ULL, .offset = 0x100,
		.size = sizeof(sample_bytes), .bytes = sample_bytes } } },
	[S_DATA_TO_DRIVER] = { "DATA_TO_DRIVER", TO_DRV, {
		SAMPLE_ONEWAY(DATA_TO_DRIVER), .data = {
		.token = 0x3000000300000000ULL, .offset = 0,
		.size = sizeof(sample_bytes), .bytes = sample_bytes } } },
	[S_DATA_EMPTY] = { "DATA_TO_DRIVER without bytes", TO_DRV, {
		SAMPLE_ONEWAY(DATA_TO_DRIVER), .data = {
		.token = 0x2000000400000000ULL, .offset = 16 } } },
	[S_ERROR_REPLY] = { "error reply", TO_DRV, { SAMPLE_REQ(SET_VQUEUE),
		.flags = VIRTIO_ARGO_F_REPLY | VIRTIO_ARGO_F_ERROR,
		.status = VIRTIO_ARGO_S_OUT_OF_RANGE } },
};

static void proto_sample_desc(const struct proto_sample *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(proto_samples, proto_samples, proto_sample_desc);

/* Encode a sample for its receiver; returns the length. */
static size_t proto_encode(struct kunit *test, const struct proto_sample *s,
			   u8 *buf)
{
	struct virtio_argo_limits lim;
	ssize_t len;

	proto_limits(&lim, s->receiver, false);
	len = virtio_argo_msg_encode(&s->msg, &lim, buf, PROTO_BUF_SIZE);
	KUNIT_ASSERT_GT_MSG(test, len, 0, "encoding %s", s->name);
	return len;
}

static void proto_put_le(u8 *p, unsigned int width, u64 value)
{
	unsigned int i;

	for (i = 0; i < width; i++)
		p[i] = value >> (8 * i);
}

static void proto_set_payload_len(u8 *buf, u32 payload_len)
{
	proto_put_le(buf + offsetof(struct virtio_argo_hdr, payload_len), 4,
		     payload_len);
}

static void proto_expect_same(struct kunit *test,
			      const struct virtio_argo_msg *a,
			      const struct virtio_argo_msg *b)
{
	bool reply = a->flags & VIRTIO_ARGO_F_REPLY;
	/* The GET reply and the SET request carry the words or bytes. */
	bool get_reply = a->type == VIRTIO_ARGO_MSG_GET_FEATURES ||
			 a->type == VIRTIO_ARGO_MSG_GET_CONFIG;
	bool carries_array = reply == get_reply;

	KUNIT_EXPECT_EQ(test, a->type, b->type);
	KUNIT_EXPECT_EQ(test, a->version, b->version);
	KUNIT_EXPECT_EQ(test, a->flags, b->flags);
	KUNIT_EXPECT_EQ(test, a->status, b->status);
	KUNIT_EXPECT_EQ(test, a->request_id, b->request_id);
	if (a->flags & VIRTIO_ARGO_F_ERROR)
		return;

	switch (a->type) {
	case VIRTIO_ARGO_MSG_HELLO:
		KUNIT_EXPECT_EQ(test, a->hello.min_version,
				b->hello.min_version);
		KUNIT_EXPECT_EQ(test, a->hello.max_version,
				b->hello.max_version);
		KUNIT_EXPECT_EQ(test, a->hello.max_batch, b->hello.max_batch);
		KUNIT_EXPECT_EQ(test, a->hello.max_msg_size,
				b->hello.max_msg_size);
		KUNIT_EXPECT_EQ(test, a->hello.caps, b->hello.caps);
		KUNIT_EXPECT_EQ(test, a->hello.ctrl_port, b->hello.ctrl_port);
		KUNIT_EXPECT_EQ(test, a->hello.data_port, b->hello.data_port);
		break;
	case VIRTIO_ARGO_MSG_PING:
		KUNIT_EXPECT_EQ(test, a->ping_cookie, b->ping_cookie);
		break;
	case VIRTIO_ARGO_MSG_GET_DEVICE_INFO:
		KUNIT_EXPECT_EQ(test, a->device_info.device_id,
				b->device_info.device_id);
		KUNIT_EXPECT_EQ(test, a->device_info.vendor_id,
				b->device_info.vendor_id);
		KUNIT_EXPECT_EQ(test, a->device_info.config_size,
				b->device_info.config_size);
		KUNIT_EXPECT_EQ(test, a->device_info.num_queues,
				b->device_info.num_queues);
		KUNIT_EXPECT_EQ(test, a->device_info.max_queue_size,
				b->device_info.max_queue_size);
		KUNIT_EXPECT_EQ(test, a->device_info.num_feature_blocks,
				b->device_info.num_feature_blocks);
		break;
	case VIRTIO_ARGO_MSG_GET_FEATURES:
	case VIRTIO_ARGO_MSG_SET_FEATURES:
		if (reply && a->type == VIRTIO_ARGO_MSG_SET_FEATURES)
			break;
		KUNIT_EXPECT_EQ(test, a->features.index, b->features.index);
		KUNIT_EXPECT_EQ(test, a->features.count, b->features.count);
		if (carries_array)
			KUNIT_EXPECT_EQ(test, memcmp(a->features.words,
						     b->features.words,
						     a->features.count * 4), 0);
		else
			KUNIT_EXPECT_NULL(test, b->features.words);
		break;
	case VIRTIO_ARGO_MSG_GET_CONFIG:
	case VIRTIO_ARGO_MSG_SET_CONFIG:
		KUNIT_EXPECT_EQ(test, a->config.generation,
				b->config.generation);
		KUNIT_EXPECT_EQ(test, a->config.offset, b->config.offset);
		KUNIT_EXPECT_EQ(test, a->config.size, b->config.size);
		if (carries_array)
			KUNIT_EXPECT_EQ(test, memcmp(a->config.data,
						     b->config.data,
						     a->config.size), 0);
		else
			KUNIT_EXPECT_NULL(test, b->config.data);
		break;
	case VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION:
	case VIRTIO_ARGO_MSG_EVENT_CONFIG:
		KUNIT_EXPECT_EQ(test, a->generation, b->generation);
		break;
	case VIRTIO_ARGO_MSG_GET_STATUS:
	case VIRTIO_ARGO_MSG_SET_STATUS:
		KUNIT_EXPECT_EQ(test, a->device_status, b->device_status);
		break;
	case VIRTIO_ARGO_MSG_SET_VQUEUE:
	case VIRTIO_ARGO_MSG_RESET_VQUEUE:
		if (reply)
			break;
		KUNIT_EXPECT_EQ(test, a->vqueue.index, b->vqueue.index);
		KUNIT_EXPECT_EQ(test, a->vqueue.size, b->vqueue.size);
		KUNIT_EXPECT_EQ(test, a->vqueue.used_port,
				b->vqueue.used_port);
		KUNIT_EXPECT_EQ(test, a->vqueue.used_scheme,
				b->vqueue.used_scheme);
		break;
	case VIRTIO_ARGO_MSG_EVENT_AVAIL:
		KUNIT_EXPECT_EQ(test, a->avail.index, b->avail.index);
		KUNIT_EXPECT_EQ(test, a->avail.avail_idx, b->avail.avail_idx);
		KUNIT_EXPECT_EQ(test, a->avail.num_descs, b->avail.num_descs);
		KUNIT_EXPECT_EQ(test, a->avail.num_avail, b->avail.num_avail);
		if (a->avail.num_descs)
			KUNIT_EXPECT_EQ(test, memcmp(a->avail.descs,
						     b->avail.descs,
						     a->avail.num_descs *
						     sizeof(*a->avail.descs)),
					0);
		if (a->avail.num_avail)
			KUNIT_EXPECT_EQ(test, memcmp(a->avail.ring,
						     b->avail.ring,
						     a->avail.num_avail * 2),
					0);
		break;
	case VIRTIO_ARGO_MSG_EVENT_USED:
		KUNIT_EXPECT_EQ(test, a->used.index, b->used.index);
		KUNIT_EXPECT_EQ(test, a->used.used_idx, b->used.used_idx);
		KUNIT_EXPECT_EQ(test, a->used.num_used, b->used.num_used);
		KUNIT_EXPECT_EQ(test, memcmp(a->used.elems, b->used.elems,
					     a->used.num_used *
					     sizeof(*a->used.elems)), 0);
		break;
	case VIRTIO_ARGO_MSG_DATA_TO_DEVICE:
	case VIRTIO_ARGO_MSG_DATA_TO_DRIVER:
		KUNIT_EXPECT_EQ(test, a->data.token, b->data.token);
		KUNIT_EXPECT_EQ(test, a->data.offset, b->data.offset);
		KUNIT_EXPECT_EQ(test, a->data.size, b->data.size);
		if (a->data.size)
			KUNIT_EXPECT_EQ(test, memcmp(a->data.bytes,
						     b->data.bytes,
						     a->data.size), 0);
		break;
	default:
		KUNIT_FAIL(test, "sample of unknown type %u", a->type);
	}
}

/* Encode, decode, compare, and encode the decoded message again. */
static void proto_test_roundtrip(struct kunit *test)
{
	const struct proto_sample *s = test->param_value;
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	u8 *again = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, again);
	proto_limits(&lim, s->receiver, false);

	len = proto_encode(test, s, buf);
	KUNIT_EXPECT_EQ(test, len, virtio_argo_msg_size(&s->msg));
	KUNIT_ASSERT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out), 0);
	proto_expect_same(test, &s->msg, &out);

	KUNIT_ASSERT_EQ(test, virtio_argo_msg_encode(&out, &lim, again,
						     PROTO_BUF_SIZE),
			(ssize_t)len);
	KUNIT_EXPECT_EQ(test, memcmp(buf, again, len), 0);
}

/*
 * Cut at every length: refused as the length field no longer matches. With
 * the length field adjusted too, only a data message may still be valid.
 */
static void proto_test_truncated(struct kunit *test)
{
	const struct proto_sample *s = test->param_value;
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	u8 *cut = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	bool data = s->msg.type == VIRTIO_ARGO_MSG_DATA_TO_DEVICE ||
		    s->msg.type == VIRTIO_ARGO_MSG_DATA_TO_DRIVER;
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len, i;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, cut);
	proto_limits(&lim, s->receiver, false);
	len = proto_encode(test, s, buf);

	for (i = 0; i < len; i++) {
		/* A fresh exact-size copy, so KASAN sees any overread. */
		u8 *exact = kunit_kzalloc(test, i ? i : 1, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, exact);
		memcpy(exact, buf, i);
		KUNIT_EXPECT_EQ_MSG(test, virtio_argo_msg_decode(exact, i, &lim,
								 &out),
				    -EBADMSG, "cut at %zu of %zu", i, len);
		kunit_kfree(test, exact);

		if (i < HDR_SIZE)
			continue;
		memcpy(cut, buf, i);
		proto_set_payload_len(cut, i - HDR_SIZE);
		ret = virtio_argo_msg_decode(cut, i, &lim, &out);
		if (data && i >= VIRTIO_ARGO_DATA_HEAD_SIZE) {
			KUNIT_EXPECT_EQ_MSG(test, ret, 0, "cut at %zu", i);
			KUNIT_EXPECT_EQ(test, out.data.size,
					i - VIRTIO_ARGO_DATA_HEAD_SIZE);
		} else {
			KUNIT_EXPECT_EQ_MSG(test, ret, -EBADMSG,
					    "cut at %zu, length fixed", i);
		}
	}
}

/* Length fields that disagree with what Argo delivered. */
static void proto_test_length_lies(struct kunit *test)
{
	const struct proto_sample *s = test->param_value;
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	proto_limits(&lim, s->receiver, false);
	len = proto_encode(test, s, buf);

	/* One byte more than delivered, and one less. */
	proto_set_payload_len(buf, len - HDR_SIZE + 1);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out),
			-EBADMSG);
	proto_set_payload_len(buf, len - HDR_SIZE - 1);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out),
			-EBADMSG);
	proto_set_payload_len(buf, 0xffffffff);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out),
			-EBADMSG);

	/* A trailing byte the length field does not cover. */
	proto_set_payload_len(buf, len - HDR_SIZE);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len + 1, &lim, &out),
			-EBADMSG);
}

/* One byte over the receiver's limit; and the encoder agrees. */
static void proto_test_oversized(struct kunit *test)
{
	const struct proto_sample *s = test->param_value;
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = proto_encode(test, s, buf);
	proto_limits(&lim, s->receiver, false);
	lim.max_msg_size = len - 1;

	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, virtio_argo_hdr_decode(buf, len, &lim, &out),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&s->msg, &lim, buf,
						     PROTO_BUF_SIZE),
			-EMSGSIZE);
	lim.max_msg_size = len;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out), 0);
}

/* Every message is refused by the side it is not meant for. */
static void proto_test_wrong_role(struct kunit *test)
{
	const struct proto_sample *s = test->param_value;
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = proto_encode(test, s, buf);
	proto_limits(&lim, proto_other_role(s->receiver), false);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&s->msg, &lim, buf,
						     PROTO_BUF_SIZE),
			-EBADMSG);
}

/* Before HELLO completes, nothing but HELLO and its reply gets through. */
static void proto_test_no_session(struct kunit *test)
{
	const struct proto_sample *s = test->param_value;
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = proto_encode(test, s, buf);
	proto_limits(&lim, s->receiver, false);
	lim.version = 0;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out),
			s->msg.type == VIRTIO_ARGO_MSG_HELLO ? 0 :
			-EPROTONOSUPPORT);
}

/* The encoder never writes past the buffer it was given. */
static void proto_test_small_buffer(struct kunit *test)
{
	const struct proto_sample *s = test->param_value;
	size_t len = virtio_argo_msg_size(&s->msg);
	struct virtio_argo_limits lim;
	u8 *buf;

	KUNIT_ASSERT_GT(test, len, 0);
	buf = kunit_kzalloc(test, len - 1 ? len - 1 : 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	proto_limits(&lim, s->receiver, false);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&s->msg, &lim, buf,
						     len - 1),
			-ENOSPC);
}

/* Deterministic xorshift, so a failure can be replayed. */
static u32 proto_next_random(u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/*
 * Random byte changes: nothing may crash, and whatever the decoder accepts
 * must encode back to the same bytes (HELLO aside: it ignores its reserved
 * field). Exercises the decoder on inputs no table thought of.
 */
static void proto_test_random_bytes(struct kunit *test)
{
	const struct proto_sample *s = test->param_value;
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	u8 *bad = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	u8 *again = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	u32 state = 0x9e3779b9 ^ s->msg.type ^ (u32)s->msg.flags << 8;
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	unsigned int round, n;
	size_t len;
	ssize_t ret;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, bad);
	KUNIT_ASSERT_NOT_NULL(test, again);
	len = proto_encode(test, s, buf);

	for (round = 0; round < 1000; round++) {
		proto_limits(&lim, s->receiver, round & 1);
		memcpy(bad, buf, len);
		for (n = proto_next_random(&state) % 3; n < 3; n++)
			bad[proto_next_random(&state) % len] =
				proto_next_random(&state);

		if (virtio_argo_msg_decode(bad, len, &lim, &out))
			continue;
		ret = virtio_argo_msg_encode(&out, &lim, again,
					     PROTO_BUF_SIZE);
		KUNIT_EXPECT_EQ_MSG(test, ret, (ssize_t)len, "round %u",
				    round);
		if (ret == (ssize_t)len && out.type != VIRTIO_ARGO_MSG_HELLO)
			KUNIT_EXPECT_EQ_MSG(test, memcmp(bad, again, len), 0,
					    "round %u", round);
	}
}

/**
 * struct proto_edit - Little-endian value written over an encoded sample.
 * @offset: byte offset in the message
 * @width: bytes to write, 0 for none
 * @value: the value
 */
struct proto_edit {
	u16 offset;
	u8 width;
	u64 value;
};

/**
 * struct proto_mutation - One hostile variant of a sample.
 * @name: what is wrong with it
 * @sample: enum proto_sample_id of the message changed
 * @per_queue: decode with per-queue sizes (queue 2 not set up)
 * @edit: up to two changes
 * @expect: what virtio_argo_msg_decode() must return
 */
struct proto_mutation {
	const char *name;
	u8 sample;
	bool per_queue;
	struct proto_edit edit[2];
	int expect;
};

#define AT_HDR(field)	offsetof(struct virtio_argo_hdr, field)
#define AT(type, field)	(HDR_SIZE + offsetof(struct virtio_argo_##type, field))
#define AT_HELLO(f)	AT(hello, f)
#define AT_INFO(f)		AT(device_info, f)
#define AT_FEAT(f)		AT(features, f)
#define AT_CONF(f)		AT(config, f)
#define AT_VQ(f)		AT(vqueue, f)
#define AT_AVAIL(f)	AT(event_avail, f)
#define AT_RING(i)	(AT(event_avail, descs[2]) + 2 * (i))
#define AT_USED(f)		AT(event_used, f)
#define AT_DATA(f)		AT(data, f)

#define EDIT1(o, w, v)		{ { (o), (w), (v) } }
#define EDIT2(o, w, v, o2, w2, v2)	{ { (o), (w), (v) }, { (o2), (w2), (v2) } }

static const struct proto_mutation proto_mutations[] = {
	/* Header */
	{ "bad magic", S_PING, false, EDIT1(AT_HDR(magic), 2, 0x4157), -EBADMSG },
	{ "magic byte-swapped", S_PING, false, EDIT1(AT_HDR(magic), 2, 0x5641),
	  -EBADMSG },
	{ "version 0", S_PING, false, EDIT1(AT_HDR(version), 1, 0),
	  -EPROTONOSUPPORT },
	{ "version 2", S_PING, false, EDIT1(AT_HDR(version), 1, 2),
	  -EPROTONOSUPPORT },
	{ "HELLO version 0", S_HELLO, false, EDIT1(AT_HDR(version), 1, 0),
	  -EPROTONOSUPPORT },
	{ "type 0", S_PING, false, EDIT1(AT_HDR(type), 1, 0), -EOPNOTSUPP },
	{ "type 0x03", S_PING, false, EDIT1(AT_HDR(type), 1, 3), -EOPNOTSUPP },
	{ "type 0x32", S_PING, false, EDIT1(AT_HDR(type), 1, 0x32), -EOPNOTSUPP },
	{ "type 0xff", S_PING, false, EDIT1(AT_HDR(type), 1, 0xff), -EOPNOTSUPP },
	{ "unknown flag", S_PING, false, EDIT1(AT_HDR(flags), 2, 4), -EBADMSG },
	{ "REPLY on a request", S_PING, false,
	  EDIT1(AT_HDR(flags), 2, VIRTIO_ARGO_F_REPLY), -EBADMSG },
	{ "REPLY on EVENT_AVAIL", S_EVENT_AVAIL, false,
	  EDIT1(AT_HDR(flags), 2, VIRTIO_ARGO_F_REPLY), -EBADMSG },
	{ "REPLY on EVENT_USED", S_EVENT_USED, false,
	  EDIT1(AT_HDR(flags), 2, VIRTIO_ARGO_F_REPLY), -EBADMSG },
	{ "REPLY on DATA_TO_DRIVER", S_DATA_TO_DRIVER, false,
	  EDIT1(AT_HDR(flags), 2, VIRTIO_ARGO_F_REPLY), -EBADMSG },
	{ "reply without REPLY", S_PING_REPLY, false, EDIT1(AT_HDR(flags), 2, 0),
	  -EBADMSG },
	{ "ERROR without REPLY", S_PING, false,
	  EDIT2(AT_HDR(flags), 2, VIRTIO_ARGO_F_ERROR, AT_HDR(status), 2, 2), -EBADMSG },
	{ "ERROR with status OK", S_ERROR_REPLY, false, EDIT1(AT_HDR(status), 2, 0),
	  -EBADMSG },
	{ "status without ERROR", S_PING_REPLY, false, EDIT1(AT_HDR(status), 2, 3),
	  -EBADMSG },
	{ "status in a request", S_PING, false, EDIT1(AT_HDR(status), 2, 1),
	  -EBADMSG },
	{ "error reply with a payload", S_PING_REPLY, false,
	  EDIT2(AT_HDR(flags), 2, VIRTIO_ARGO_F_REPLY | VIRTIO_ARGO_F_ERROR,
		AT_HDR(status), 2, VIRTIO_ARGO_S_DEVICE_ERROR), -EBADMSG },
	{ "unknown status in an error reply", S_ERROR_REPLY, false,
	  EDIT1(AT_HDR(status), 2, 0xffff), 0 },
	{ "request id 0", S_PING, false, EDIT1(AT_HDR(request_id), 4, 0), -EBADMSG },
	{ "reply id 0", S_PING_REPLY, false, EDIT1(AT_HDR(request_id), 4, 0),
	  -EBADMSG },
	{ "event with a request id", S_EVENT_CONFIG, false,
	  EDIT1(AT_HDR(request_id), 4, 1), -EBADMSG },
	{ "data with a request id", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_HDR(request_id), 4, 1), -EBADMSG },

	/* HELLO */
	{ "HELLO min_version 0", S_HELLO, false, EDIT1(AT_HELLO(min_version), 1, 0),
	  -EBADMSG },
	{ "HELLO min above max", S_HELLO, false,
	  EDIT1(AT_HELLO(min_version), 1, 2), -EBADMSG },
	{ "HELLO max_batch 0", S_HELLO, false, EDIT1(AT_HELLO(max_batch), 2, 0),
	  -EBADMSG },
	{ "HELLO max_batch too big", S_HELLO, false,
	  EDIT1(AT_HELLO(max_batch), 2, VIRTIO_ARGO_MAX_BATCH + 1), -EBADMSG },
	{ "HELLO max_msg_size too small", S_HELLO, false,
	  EDIT1(AT_HELLO(max_msg_size), 4, VIRTIO_ARGO_MIN_MSG_SIZE - 1),
	  -EBADMSG },
	{ "HELLO max_msg_size too big", S_HELLO, false,
	  EDIT1(AT_HELLO(max_msg_size), 4, VIRTIO_ARGO_MAX_MSG_SIZE + 1),
	  -EBADMSG },
	{ "HELLO ctrl_port 0", S_HELLO, false, EDIT1(AT_HELLO(ctrl_port), 4, 0),
	  -EBADMSG },
	{ "HELLO reply data_port 0", S_HELLO_REPLY, false,
	  EDIT1(AT_HELLO(data_port), 4, 0), -EBADMSG },
	{ "HELLO reserved is ignored", S_HELLO, false,
	  EDIT1(AT_HELLO(reserved), 4, 0xffffffff), 0 },
	{ "HELLO unknown caps are fine", S_HELLO, false,
	  EDIT1(AT_HELLO(caps), 4, 0xffffffff), 0 },

	/* GET_DEVICE_INFO reply */
	{ "too many queues", S_INFO_REPLY, false,
	  EDIT1(AT_INFO(num_queues), 2, VIRTIO_ARGO_MAX_QUEUES + 1), -EBADMSG },
	{ "max_queue_size 0", S_INFO_REPLY, false,
	  EDIT1(AT_INFO(max_queue_size), 2, 0), -EBADMSG },
	{ "max_queue_size 96", S_INFO_REPLY, false,
	  EDIT1(AT_INFO(max_queue_size), 2, 96), -EBADMSG },
	{ "no feature blocks", S_INFO_REPLY, false,
	  EDIT1(AT_INFO(num_feature_blocks), 2, 0), -EBADMSG },
	{ "too many feature blocks", S_INFO_REPLY, false,
	  EDIT1(AT_INFO(num_feature_blocks), 2, VIRTIO_ARGO_MAX_FEATURE_BLOCKS + 1),
	  -EBADMSG },
	{ "config space too big", S_INFO_REPLY, false,
	  EDIT1(AT_INFO(config_size), 4, VIRTIO_ARGO_MAX_CONFIG_SIZE + 1),
	  -EBADMSG },
	{ "device info reserved", S_INFO_REPLY, false,
	  EDIT1(AT_INFO(reserved), 2, 1), -EBADMSG },

	/* Feature blocks: 2 negotiated */
	{ "feature index past the end", S_GET_FEATURES, false,
	  EDIT1(AT_FEAT(index), 2, 2), -ERANGE },
	{ "feature index + count past the end", S_GET_FEATURES, false,
	  EDIT1(AT_FEAT(index), 2, 1), -ERANGE },
	{ "feature count 0", S_GET_FEATURES, false, EDIT1(AT_FEAT(count), 2, 0),
	  -EBADMSG },
	{ "feature count 0xffff", S_GET_FEATURES, false,
	  EDIT1(AT_FEAT(count), 2, 0xffff), -ERANGE },
	{ "feature index 0xffff", S_GET_FEATURES, false,
	  EDIT2(AT_FEAT(index), 2, 0xffff, AT_FEAT(count), 2, 1), -ERANGE },
	{ "feature reply count below its words", S_GET_FEATURES_REPLY, false,
	  EDIT1(AT_FEAT(count), 2, 1), -EBADMSG },
	{ "feature reply count above the limit", S_GET_FEATURES_REPLY, false,
	  EDIT1(AT_FEAT(count), 2, 3), -ERANGE },
	{ "SET_FEATURES count below its words", S_SET_FEATURES, false,
	  EDIT1(AT_FEAT(count), 2, 1), -EBADMSG },

	/* Config space: 64 bytes negotiated */
	{ "config range past the end", S_GET_CONFIG, false,
	  EDIT1(AT_CONF(offset), 4, 61), -ERANGE },
	{ "config offset at the end", S_GET_CONFIG, false,
	  EDIT1(AT_CONF(offset), 4, 64), -ERANGE },
	{ "config offset + size wraps", S_GET_CONFIG, false,
	  EDIT1(AT_CONF(offset), 4, 0xfffffffe), -ERANGE },
	{ "config size wraps", S_GET_CONFIG, false,
	  EDIT1(AT_CONF(size), 4, 0xffffffff), -ERANGE },
	{ "config size 0", S_GET_CONFIG, false, EDIT1(AT_CONF(size), 4, 0),
	  -EBADMSG },
	{ "config generation in a request", S_GET_CONFIG, false,
	  EDIT1(AT_CONF(generation), 4, 1), -EBADMSG },
	{ "config reply size below its data", S_GET_CONFIG_REPLY, false,
	  EDIT1(AT_CONF(size), 4, 3), -EBADMSG },
	{ "config reply size above its data", S_GET_CONFIG_REPLY, false,
	  EDIT1(AT_CONF(size), 4, 5), -EBADMSG },
	{ "config reply offset wraps", S_GET_CONFIG_REPLY, false,
	  EDIT1(AT_CONF(offset), 4, 0xffffffff), -ERANGE },
	{ "SET_CONFIG size below its data", S_SET_CONFIG, false,
	  EDIT1(AT_CONF(size), 4, 2), -EBADMSG },
	{ "SET_CONFIG offset wraps", S_SET_CONFIG, false,
	  EDIT1(AT_CONF(offset), 4, 0xfffffffc), -ERANGE },
	{ "SET_CONFIG reply range past the end", S_SET_CONFIG_REPLY, false,
	  EDIT1(AT_CONF(offset), 4, 62), -ERANGE },

	/* Device status */
	{ "status above a byte", S_GET_STATUS_REPLY, false,
	  EDIT1(AT(device_status, device_status), 4, 0x100), -EBADMSG },
	{ "SET_STATUS above a byte", S_SET_STATUS, false,
	  EDIT1(AT(device_status, device_status), 4, 0xffffffff), -EBADMSG },

	/* Queues: 3 queues, at most 256 entries */
	{ "SET_VQUEUE index 3", S_SET_VQUEUE, false, EDIT1(AT_VQ(index), 2, 3),
	  -ERANGE },
	{ "SET_VQUEUE index 0xffff", S_SET_VQUEUE, false,
	  EDIT1(AT_VQ(index), 2, 0xffff), -ERANGE },
	{ "SET_VQUEUE size above max", S_SET_VQUEUE, false,
	  EDIT1(AT_VQ(size), 2, 512), -ERANGE },
	{ "SET_VQUEUE size 0", S_SET_VQUEUE, false, EDIT1(AT_VQ(size), 2, 0),
	  -EBADMSG },
	{ "SET_VQUEUE size 96", S_SET_VQUEUE, false, EDIT1(AT_VQ(size), 2, 96),
	  -EBADMSG },
	{ "SET_VQUEUE used_port 0", S_SET_VQUEUE, false,
	  EDIT1(AT_VQ(used_port), 4, 0), -EBADMSG },
	{ "SET_VQUEUE unknown scheme", S_SET_VQUEUE, false,
	  EDIT1(AT_VQ(used_scheme), 1, 2), -EBADMSG },
	{ "SET_VQUEUE reserved", S_SET_VQUEUE, false,
	  EDIT1(AT_VQ(reserved[2]), 1, 1), -EBADMSG },
	{ "SET_VQUEUE direct scheme", S_SET_VQUEUE, false,
	  EDIT1(AT_VQ(used_scheme), 1, VIRTIO_ARGO_USED_DIRECT), 0 },
	{ "RESET_VQUEUE index 3", S_RESET_VQUEUE, false,
	  EDIT1(AT(vqueue_reset, index), 2, 3), -ERANGE },
	{ "RESET_VQUEUE reserved", S_RESET_VQUEUE, false,
	  EDIT1(AT(vqueue_reset, reserved), 2, 1), -EBADMSG },
	{ "RESET_VQUEUE of a queue not set up", S_RESET_VQUEUE, true,
	  EDIT1(AT(vqueue_reset, index), 2, 2), 0 },

	/* EVENT_AVAIL: queue 0, two descriptors, two ring entries */
	{ "avail queue 3", S_EVENT_AVAIL, false, EDIT1(AT_AVAIL(index), 2, 3),
	  -ERANGE },
	{ "avail queue not set up", S_EVENT_AVAIL, true,
	  EDIT1(AT_AVAIL(index), 2, 2), -ERANGE },
	{ "avail slot past a small queue", S_EVENT_AVAIL, true,
	  EDIT2(AT_AVAIL(index), 2, 1, AT_AVAIL(descs[1].slot), 2, 64), -ERANGE },
	{ "avail slot fits the small queue", S_EVENT_AVAIL, true,
	  EDIT2(AT_AVAIL(index), 2, 1, AT_AVAIL(descs[1].slot), 2, 63), 0 },
	{ "num_descs above its entries", S_EVENT_AVAIL, false,
	  EDIT1(AT_AVAIL(num_descs), 2, 3), -EBADMSG },
	{ "num_descs below its entries", S_EVENT_AVAIL, false,
	  EDIT1(AT_AVAIL(num_descs), 2, 1), -EBADMSG },
	{ "num_avail above its entries", S_EVENT_AVAIL, false,
	  EDIT1(AT_AVAIL(num_avail), 2, 3), -EBADMSG },
	{ "num_descs over the batch limit", S_EVENT_AVAIL, false,
	  EDIT1(AT_AVAIL(num_descs), 2, 129), -EMSGSIZE },
	{ "num_avail 0xffff", S_EVENT_AVAIL, false,
	  EDIT1(AT_AVAIL(num_avail), 2, 0xffff), -EMSGSIZE },
	{ "num_avail above a small queue", S_EVENT_AVAIL_EMPTY, true,
	  EDIT2(AT_AVAIL(index), 2, 1, AT_AVAIL(num_avail), 2, 65), -ERANGE },
	{ "descriptor slot 256", S_EVENT_AVAIL, false,
	  EDIT1(AT_AVAIL(descs[1].slot), 2, 256), -ERANGE },
	{ "descriptor reserved", S_EVENT_AVAIL, false,
	  EDIT1(AT_AVAIL(descs[0].reserved[1]), 2, 1), -EBADMSG },
	{ "descriptor contents are the device's business", S_EVENT_AVAIL,
	  false, EDIT2(AT_AVAIL(descs[0].addr), 8, 0, AT_AVAIL(descs[0].next), 2,
		    0xffff), 0 },
	{ "avail entry 256", S_EVENT_AVAIL, false, EDIT1(AT_RING(1), 2, 256),
	  -ERANGE },
	{ "avail entry 0xffff", S_EVENT_AVAIL, false,
	  EDIT1(AT_RING(0), 2, 0xffff), -ERANGE },

	/* EVENT_USED: queue 1 (64 entries with per-queue sizes), 3 elements */
	{ "used queue 3", S_EVENT_USED, false, EDIT1(AT_USED(index), 2, 3),
	  -ERANGE },
	{ "used queue not set up", S_EVENT_USED, true, EDIT1(AT_USED(index), 2, 2),
	  -ERANGE },
	{ "num_used 0", S_EVENT_USED, false, EDIT1(AT_USED(num_used), 2, 0),
	  -EBADMSG },
	{ "num_used below its elements", S_EVENT_USED, false,
	  EDIT1(AT_USED(num_used), 2, 2), -EBADMSG },
	{ "num_used above its elements", S_EVENT_USED, false,
	  EDIT1(AT_USED(num_used), 2, 4), -EBADMSG },
	{ "num_used over the batch limit", S_EVENT_USED, false,
	  EDIT1(AT_USED(num_used), 2, 129), -EMSGSIZE },
	{ "num_used 0xffff", S_EVENT_USED, false,
	  EDIT1(AT_USED(num_used), 2, 0xffff), -EMSGSIZE },
	{ "num_used above the queue size", S_EVENT_USED, true,
	  EDIT1(AT_USED(num_used), 2, 65), -ERANGE },
	{ "used id 256", S_EVENT_USED, false, EDIT1(AT_USED(elems[2].id), 4, 256),
	  -ERANGE },
	{ "used id past a small queue", S_EVENT_USED, true,
	  EDIT1(AT_USED(elems[2].id), 4, 64), -ERANGE },
	{ "used id 0xffffffff", S_EVENT_USED, false,
	  EDIT1(AT_USED(elems[0].id), 4, 0xffffffff), -ERANGE },
	{ "used reserved", S_EVENT_USED, false, EDIT1(AT_USED(reserved), 2, 1),
	  -EBADMSG },

	/* Data messages */
	{ "DATA_TO_DEVICE with an IN token", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_DATA(token), 8, 0x2000000200000000ULL), -EBADMSG },
	{ "DATA_TO_DEVICE with a kind 0 token", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_DATA(token), 8, 0x0000000200000000ULL), -EBADMSG },
	{ "DATA_TO_DEVICE with a kind 15 token", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_DATA(token), 8, 0xf000000200000000ULL), -EBADMSG },
	{ "token with an offset part", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_DATA(token), 8, 0x1000000200000010ULL), -EBADMSG },
	{ "data past 4 GiB", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_DATA(offset), 4, 0xfffffff9), -ERANGE },
	{ "data ending at 4 GiB", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_DATA(offset), 4, 0xfffffff8), 0 },
	{ "data reserved", S_DATA_TO_DEVICE, false, EDIT1(AT_DATA(reserved), 4, 1),
	  -EBADMSG },
	{ "DATA_TO_DRIVER with an OUT token", S_DATA_TO_DRIVER, false,
	  EDIT1(AT_DATA(token), 8, 0x1000000300000000ULL), -EBADMSG },
	{ "DATA_TO_DRIVER with an IN token", S_DATA_TO_DRIVER, false,
	  EDIT1(AT_DATA(token), 8, 0x2000000300000000ULL), 0 },
	{ "DATA_TO_DRIVER with a BIDIR token", S_DATA_TO_DRIVER, false,
	  EDIT1(AT_DATA(token), 8, 0x4000000300000000ULL), 0 },
	{ "DATA_TO_DEVICE with a BIDIR token", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_DATA(token), 8, 0x4000000200000000ULL), 0 },
	{ "DATA_TO_DEVICE with an IN_RING token", S_DATA_TO_DEVICE, false,
	  EDIT1(AT_DATA(token), 8, 0x3000000200000000ULL), -EBADMSG },
	{ "DATA_TO_DRIVER with a kind 5 token", S_DATA_TO_DRIVER, false,
	  EDIT1(AT_DATA(token), 8, 0x5000000300000000ULL), -EBADMSG },
};

static void proto_mutation_desc(const struct proto_mutation *m, char *desc)
{
	strscpy(desc, m->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(proto_mutations, proto_mutations, proto_mutation_desc);

static void proto_test_mutation(struct kunit *test)
{
	const struct proto_mutation *m = test->param_value;
	const struct proto_sample *s = &proto_samples[m->sample];
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	unsigned int i;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = proto_encode(test, s, buf);
	for (i = 0; i < ARRAY_SIZE(m->edit); i++) {
		if (!m->edit[i].width)
			continue;
		KUNIT_ASSERT_LE(test, m->edit[i].offset + m->edit[i].width,
				len);
		proto_put_le(buf + m->edit[i].offset, m->edit[i].width,
			     m->edit[i].value);
	}
	proto_limits(&lim, s->receiver, m->per_queue);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out),
			m->expect);
}

/* The wire layouts of Documentation/protocol.rst, byte for byte. */
static void proto_test_golden(struct kunit *test)
{
	static const u8 hello[] = {
		0x56, 0x41, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00,
		0x34, 0x12, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00,
		0x01, 0x01, 0x80, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const u8 used[] = {
		0x56, 0x41, 0x01, 0x21, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00,
		0x01, 0x00, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00,
		0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x3f, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
	};
	static const u8 data[] = {
		0x56, 0x41, 0x01, 0x30, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x10,
		0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		'p', 'a', 'y', 'l', 'o', 'a', 'd', 0x00,
	};
	static const u8 error[] = {
		0x56, 0x41, 0x01, 0x18, 0x03, 0x00, 0x03, 0x00,
		0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const struct {
		enum proto_sample_id sample;
		const u8 *bytes;
		size_t len;
	} golden[] = {
		{ S_HELLO, hello, sizeof(hello) },
		{ S_EVENT_USED, used, sizeof(used) },
		{ S_DATA_TO_DEVICE, data, sizeof(data) },
		{ S_ERROR_REPLY, error, sizeof(error) },
	};
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	unsigned int i;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(golden); i++) {
		len = proto_encode(test, &proto_samples[golden[i].sample], buf);
		KUNIT_EXPECT_EQ(test, len, golden[i].len);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(buf, golden[i].bytes,
						 golden[i].len), 0,
				    "%s", proto_samples[golden[i].sample].name);
	}
}

/* A newer peer's longer HELLO is read; a version 1 HELLO must be exact. */
static void proto_test_hello_versions(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = proto_encode(test, &proto_samples[S_HELLO], buf);
	proto_limits(&lim, VIRTIO_ARGO_ROLE_DEVICE, false);
	lim.version = 0;

	/* Eight more bytes from a version 2 peer. */
	memset(buf + len, 0xa5, 8);
	proto_set_payload_len(buf, len - HDR_SIZE + 8);
	buf[offsetof(struct virtio_argo_hdr, version)] = 2;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len + 8, &lim, &out),
			0);
	KUNIT_EXPECT_EQ(test, out.version, 2);
	KUNIT_EXPECT_EQ(test, out.hello.data_port, 0x101);

	buf[offsetof(struct virtio_argo_hdr, version)] = 1;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len + 8, &lim, &out),
			-EBADMSG);
}

static void proto_test_encode_errors(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits dev, drv;
	struct virtio_argo_msg msg, req;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	proto_limits(&dev, VIRTIO_ARGO_ROLE_DEVICE, false);
	proto_limits(&drv, VIRTIO_ARGO_ROLE_DRIVER, false);

	virtio_argo_msg_init(&msg, 1, 0x7f, 1);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_size(&msg), 0);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &dev, buf,
						     PROTO_BUF_SIZE),
			-EOPNOTSUPP);

	/* Arrays the message needs but does not point to. */
	msg = proto_samples[S_SET_FEATURES].msg;
	msg.features.words = NULL;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &dev, buf,
						     PROTO_BUF_SIZE), -EINVAL);
	msg = proto_samples[S_EVENT_AVAIL].msg;
	msg.avail.ring = NULL;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &dev, buf,
						     PROTO_BUF_SIZE), -EINVAL);
	msg = proto_samples[S_DATA_TO_DRIVER].msg;
	msg.data.bytes = NULL;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &drv, buf,
						     PROTO_BUF_SIZE), -EINVAL);

	/* What the peer would refuse is not sent. */
	msg = proto_samples[S_SET_VQUEUE].msg;
	msg.vqueue.index = 3;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &dev, buf,
						     PROTO_BUF_SIZE), -ERANGE);
	msg = proto_samples[S_PING].msg;
	msg.request_id = 0;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &dev, buf,
						     PROTO_BUF_SIZE),
			-EBADMSG);

	/* Replies built with the helper, including an error reply. */
	req = proto_samples[S_GET_STATUS].msg;
	virtio_argo_msg_init_reply(&msg, &req, VIRTIO_ARGO_S_OK);
	msg.device_status = 7;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &drv, buf,
						     PROTO_BUF_SIZE),
			(ssize_t)(HDR_SIZE + 4));
	virtio_argo_msg_init_reply(&msg, &req, VIRTIO_ARGO_S_BAD_STATE);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &drv, buf,
						     PROTO_BUF_SIZE),
			(ssize_t)HDR_SIZE);
	/* A HELLO reply describes the replier's own layout. */
	req = proto_samples[S_HELLO].msg;
	req.version = 9;
	virtio_argo_msg_init_reply(&msg, &req, VIRTIO_ARGO_S_OK);
	KUNIT_EXPECT_EQ(test, msg.version, VIRTIO_ARGO_VERSION_MAX);
	KUNIT_EXPECT_EQ(test, msg.request_id, req.request_id);
	KUNIT_EXPECT_EQ(test, msg.flags, VIRTIO_ARGO_F_REPLY);
	/* Events have no replies, so no error replies either. */
	req = proto_samples[S_EVENT_AVAIL].msg;
	virtio_argo_msg_init_reply(&msg, &req, VIRTIO_ARGO_S_BAD_STATE);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode(&msg, &drv, buf,
						     PROTO_BUF_SIZE),
			-EBADMSG);
}

/* A data message sent as head plus separate bytes, and received so. */
static void proto_test_data_head(struct kunit *test)
{
	const struct virtio_argo_msg *msg =
		&proto_samples[S_DATA_TO_DEVICE].msg;
	u8 *whole = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	u8 *head = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, whole);
	KUNIT_ASSERT_NOT_NULL(test, head);
	proto_limits(&lim, VIRTIO_ARGO_ROLE_DEVICE, false);
	len = virtio_argo_msg_encode(msg, &lim, whole, PROTO_BUF_SIZE);
	KUNIT_ASSERT_EQ(test, len, VIRTIO_ARGO_DATA_HEAD_SIZE + msg->data.size);

	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode_head(msg, &lim, head,
							  PROTO_BUF_SIZE),
			(ssize_t)VIRTIO_ARGO_DATA_HEAD_SIZE);
	KUNIT_EXPECT_EQ(test, memcmp(whole, head, VIRTIO_ARGO_DATA_HEAD_SIZE),
			0);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode_head(msg, &lim, head,
							  VIRTIO_ARGO_DATA_HEAD_SIZE - 1),
			-ENOSPC);
	lim.max_msg_size = len - 1;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode_head(msg, &lim, head,
							  PROTO_BUF_SIZE),
			-EMSGSIZE);
	proto_limits(&lim, VIRTIO_ARGO_ROLE_DRIVER, false);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode_head(msg, &lim, head,
							  PROTO_BUF_SIZE),
			-EBADMSG);
	proto_limits(&lim, VIRTIO_ARGO_ROLE_DEVICE, false);
	KUNIT_ASSERT_EQ(test, virtio_argo_msg_encode_head(msg, &lim, head,
							  PROTO_BUF_SIZE),
			(ssize_t)VIRTIO_ARGO_DATA_HEAD_SIZE);

	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode_head(head,
							  VIRTIO_ARGO_DATA_HEAD_SIZE,
							  len, &lim, &out), 0);
	KUNIT_EXPECT_EQ(test, out.data.token, msg->data.token);
	KUNIT_EXPECT_EQ(test, out.data.offset, msg->data.offset);
	KUNIT_EXPECT_EQ(test, out.data.size, msg->data.size);
	KUNIT_EXPECT_NULL(test, out.data.bytes);
	lim.version = 2;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode_head(head,
							  VIRTIO_ARGO_DATA_HEAD_SIZE,
							  len, &lim, &out),
			-EPROTONOSUPPORT);
	lim.version = 1;

	/* Too short a head, a wrong total, or not a data message. */
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode_head(head,
							  VIRTIO_ARGO_DATA_HEAD_SIZE - 1,
							  len, &lim, &out),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode_head(head,
							  VIRTIO_ARGO_DATA_HEAD_SIZE,
							  len + 1, &lim, &out),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode_head(head,
							  VIRTIO_ARGO_DATA_HEAD_SIZE,
							  65537, &lim, &out),
			-EMSGSIZE);
	len = proto_encode(test, &proto_samples[S_EVENT_AVAIL], whole);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode_head(whole, len, len,
							  &lim, &out),
			-EBADMSG);
	msg = &proto_samples[S_EVENT_AVAIL].msg;
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_encode_head(msg, &lim, head,
							  PROTO_BUF_SIZE),
			-EINVAL);
}

static void proto_test_hdr_decode(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits lim;
	struct virtio_argo_msg out;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = proto_encode(test, &proto_samples[S_SET_VQUEUE], buf);
	proto_limits(&lim, VIRTIO_ARGO_ROLE_DEVICE, false);

	/* Out of range, so refused; the header still says whom to answer. */
	proto_put_le(buf + AT_VQ(index), 2, 9);
	KUNIT_EXPECT_EQ(test, virtio_argo_msg_decode(buf, len, &lim, &out),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, virtio_argo_hdr_decode(buf, len, &lim, &out), 0);
	KUNIT_EXPECT_EQ(test, out.type, VIRTIO_ARGO_MSG_SET_VQUEUE);
	KUNIT_EXPECT_EQ(test, out.request_id, 0x1234);
	KUNIT_EXPECT_EQ(test, out.flags, 0);
	KUNIT_EXPECT_EQ(test, out.vqueue.index, 0);

	KUNIT_EXPECT_EQ(test, virtio_argo_hdr_decode(buf, HDR_SIZE - 1, &lim,
						     &out), -EBADMSG);
	buf[0] ^= 1;
	KUNIT_EXPECT_EQ(test, virtio_argo_hdr_decode(buf, len, &lim, &out),
			-EBADMSG);
}

/* A device without a session answers a request with BAD_VERSION. */
static void proto_test_refused_request(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, PROTO_BUF_SIZE, GFP_KERNEL);
	struct virtio_argo_limits dev, drv, no_session = {
		.role = VIRTIO_ARGO_ROLE_DRIVER,
		.max_msg_size = VIRTIO_ARGO_MIN_MSG_SIZE,
	};
	struct virtio_argo_msg req, reply;
	ssize_t len;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	proto_limits(&dev, VIRTIO_ARGO_ROLE_DEVICE, false);
	proto_limits(&drv, VIRTIO_ARGO_ROLE_DRIVER, false);
	len = proto_encode(test, &proto_samples[S_GET_STATUS], buf);

	dev.version = 0;
	err = virtio_argo_msg_decode(buf, len, &dev, &req);
	KUNIT_EXPECT_EQ(test, err, -EPROTONOSUPPORT);
	KUNIT_ASSERT_EQ(test, virtio_argo_hdr_decode(buf, len, &dev, &req), 0);
	KUNIT_EXPECT_EQ(test, req.flags, 0);
	KUNIT_EXPECT_NE(test, req.request_id, 0);

	virtio_argo_msg_init_reply(&reply, &req,
				   virtio_argo_errno_to_status(err));
	no_session.version = req.version;
	len = virtio_argo_msg_encode(&reply, &no_session, buf, PROTO_BUF_SIZE);
	KUNIT_ASSERT_EQ(test, len, (ssize_t)HDR_SIZE);

	KUNIT_ASSERT_EQ(test, virtio_argo_msg_decode(buf, len, &drv, &reply),
			0);
	KUNIT_EXPECT_EQ(test, reply.type, VIRTIO_ARGO_MSG_GET_STATUS);
	KUNIT_EXPECT_EQ(test, reply.request_id, 0x1234);
	KUNIT_EXPECT_EQ(test, virtio_argo_status_to_errno(reply.status),
			-EPROTONOSUPPORT);
}

static void proto_test_version_select(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, virtio_argo_version_select(1, 1, 1, 1), 1);
	KUNIT_EXPECT_EQ(test, virtio_argo_version_select(1, 3, 2, 5), 3);
	KUNIT_EXPECT_EQ(test, virtio_argo_version_select(2, 5, 1, 3), 3);
	KUNIT_EXPECT_EQ(test, virtio_argo_version_select(1, 1, 2, 3),
			-EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, virtio_argo_version_select(4, 5, 1, 3),
			-EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, virtio_argo_version_select(0, 0, 0, 0),
			-EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, virtio_argo_version_select(1, 1, 3, 2),
			-EPROTONOSUPPORT);
}

static void proto_test_status_errno(struct kunit *test)
{
	u16 status;
	int err;

	for (status = VIRTIO_ARGO_S_OK; status <= VIRTIO_ARGO_S_TOO_LARGE;
	     status++) {
		err = virtio_argo_status_to_errno(status);
		KUNIT_EXPECT_EQ(test, virtio_argo_errno_to_status(err), status);
	}

	KUNIT_EXPECT_EQ(test, virtio_argo_status_to_errno(0xffff), -EPROTO);
	KUNIT_EXPECT_EQ(test, virtio_argo_errno_to_status(-EINVAL),
			VIRTIO_ARGO_S_BAD_MESSAGE);
	KUNIT_EXPECT_EQ(test, virtio_argo_errno_to_status(-ENOSPC),
			VIRTIO_ARGO_S_NO_RESOURCES);
	KUNIT_EXPECT_EQ(test, virtio_argo_errno_to_status(-ETIMEDOUT),
			VIRTIO_ARGO_S_DEVICE_ERROR);
}

static void proto_test_tokens(struct kunit *test)
{
	u64 token = virtio_argo_token(VIRTIO_ARGO_TOKEN_IN_RING, 0x0abcdef1,
				      0x1234);

	KUNIT_EXPECT_EQ(test, token, 0x3abcdef100001234ULL);
	KUNIT_EXPECT_EQ(test, virtio_argo_token_kind(token),
			VIRTIO_ARGO_TOKEN_IN_RING);
	KUNIT_EXPECT_EQ(test, virtio_argo_token_id(token), 0x0abcdef1);
	KUNIT_EXPECT_EQ(test, virtio_argo_token_offset(token), 0x1234);
	KUNIT_EXPECT_EQ(test, virtio_argo_buffer_port(0x0abcdef1),
			0x7abcdef1);

	/* Ids are 28 bits; nothing spills into the kind. */
	token = virtio_argo_token(VIRTIO_ARGO_TOKEN_OUT, 0xffffffff, 0);
	KUNIT_EXPECT_EQ(test, virtio_argo_token_kind(token),
			VIRTIO_ARGO_TOKEN_OUT);
	KUNIT_EXPECT_EQ(test, virtio_argo_token_id(token), 0x0fffffff);

	/* DMA_MAPPING_ERROR is never a valid token. */
	KUNIT_EXPECT_EQ(test, virtio_argo_token_kind(~0ULL), 0xf);
}

static void proto_test_type_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test,
			   virtio_argo_msg_type_name(VIRTIO_ARGO_MSG_HELLO),
			   "HELLO");
	KUNIT_EXPECT_STREQ(test,
			   virtio_argo_msg_type_name(VIRTIO_ARGO_MSG_EVENT_USED),
			   "EVENT_USED");
	KUNIT_EXPECT_STREQ(test, virtio_argo_msg_type_name(0), "unknown");
	KUNIT_EXPECT_STREQ(test, virtio_argo_msg_type_name(0x03), "unknown");
	KUNIT_EXPECT_STREQ(test, virtio_argo_msg_type_name(0xff), "unknown");
}

static struct kunit_case proto_cases[] = {
	KUNIT_CASE_PARAM(proto_test_roundtrip, proto_samples_gen_params),
	KUNIT_CASE_PARAM(proto_test_truncated, proto_samples_gen_params),
	KUNIT_CASE_PARAM(proto_test_length_lies, proto_samples_gen_params),
	KUNIT_CASE_PARAM(proto_test_oversized, proto_samples_gen_params),
	KUNIT_CASE_PARAM(proto_test_wrong_role, proto_samples_gen_params),
	KUNIT_CASE_PARAM(proto_test_no_session, proto_samples_gen_params),
	KUNIT_CASE_PARAM(proto_test_small_buffer, proto_samples_gen_params),
	KUNIT_CASE_PARAM(proto_test_random_bytes, proto_samples_gen_params),
	KUNIT_CASE_PARAM(proto_test_mutation, proto_mutations_gen_params),
	KUNIT_CASE(proto_test_golden),
	KUNIT_CASE(proto_test_hello_versions),
	KUNIT_CASE(proto_test_encode_errors),
	KUNIT_CASE(proto_test_data_head),
	KUNIT_CASE(proto_test_hdr_decode),
	KUNIT_CASE(proto_test_refused_request),
	KUNIT_CASE(proto_test_version_select),
	KUNIT_CASE(proto_test_status_errno),
	KUNIT_CASE(proto_test_tokens),
	KUNIT_CASE(proto_test_type_names),
	{}
};

static struct kunit_suite proto_suite = {
	.name = "virtio_argo_proto",
	.test_cases = proto_cases,
};

kunit_test_suite(proto_suite);
