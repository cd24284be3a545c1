// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-argo wire protocol codec (Documentation/protocol.rst).
 *
 * Pure functions between message bytes and struct virtio_argo_msg. The
 * decoder is all that stands between a peer domain and the transport's or
 * the device's state, so it checks every length, count, index and reserved
 * field before anyone looks at a message. The encoder decodes its own output
 * with the peer's limits, so a side never sends what its peer would refuse.
 *
 * Only freestanding headers are used, so that a userspace fuzzer can build
 * this file with a few shim headers.
 */

#include <linux/errno.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/virtio_argo.h>
#include <asm/byteorder.h>

#define HDR_SIZE	sizeof(struct virtio_argo_hdr)

/* Who sends a message type, and whether it expects a reply. */
enum msg_class {
	CLASS_UNKNOWN,
	CLASS_REQUEST,		/* driver to device, answered by a reply */
	CLASS_TO_DEVICE,	/* one-way, driver to device */
	CLASS_TO_DRIVER,	/* one-way, device to driver */
};

#define MSG_TYPE_LAST	VIRTIO_ARGO_MSG_DATA_TO_DRIVER

static const struct {
	const char *name;
	u8 class;
} msg_types[MSG_TYPE_LAST + 1] = {
	[VIRTIO_ARGO_MSG_HELLO] = { "HELLO", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_PING] = { "PING", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_GET_DEVICE_INFO] = { "GET_DEVICE_INFO", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_GET_FEATURES] = { "GET_FEATURES", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_SET_FEATURES] = { "SET_FEATURES", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_GET_CONFIG] = { "GET_CONFIG", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_SET_CONFIG] = { "SET_CONFIG", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION] = {
		"GET_CONFIG_GENERATION", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_GET_STATUS] = { "GET_STATUS", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_SET_STATUS] = { "SET_STATUS", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_SET_VQUEUE] = { "SET_VQUEUE", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_RESET_VQUEUE] = { "RESET_VQUEUE", CLASS_REQUEST },
	[VIRTIO_ARGO_MSG_EVENT_AVAIL] = { "EVENT_AVAIL", CLASS_TO_DEVICE },
	[VIRTIO_ARGO_MSG_EVENT_USED] = { "EVENT_USED", CLASS_TO_DRIVER },
	[VIRTIO_ARGO_MSG_EVENT_CONFIG] = { "EVENT_CONFIG", CLASS_TO_DRIVER },
	[VIRTIO_ARGO_MSG_DATA_TO_DEVICE] = { "DATA_TO_DEVICE", CLASS_TO_DEVICE },
	[VIRTIO_ARGO_MSG_DATA_TO_DRIVER] = { "DATA_TO_DRIVER", CLASS_TO_DRIVER },
};

static unsigned int msg_class(u8 type)
{
	return type <= MSG_TYPE_LAST ? msg_types[type].class : CLASS_UNKNOWN;
}

static bool is_data_type(u8 type)
{
	return type == VIRTIO_ARGO_MSG_DATA_TO_DEVICE ||
	       type == VIRTIO_ARGO_MSG_DATA_TO_DRIVER;
}

static bool is_power_of_two(u32 x)
{
	return x && !(x & (x - 1));
}

/*
 * Structural header checks only: enough to know the message's length is
 * what Argo delivered and to read its type and request id.
 */
static int parse_hdr(const void *buf, size_t len, size_t msg_len,
		     const struct virtio_argo_limits *lim,
		     struct virtio_argo_msg *out)
{
	struct virtio_argo_hdr hdr;

	if (msg_len > lim->max_msg_size)
		return -EMSGSIZE;
	if (len < HDR_SIZE || msg_len < HDR_SIZE)
		return -EBADMSG;
	memcpy(&hdr, buf, HDR_SIZE);
	if (le16_to_cpu(hdr.magic) != VIRTIO_ARGO_MAGIC ||
	    le32_to_cpu(hdr.payload_len) != msg_len - HDR_SIZE)
		return -EBADMSG;

	memset(out, 0, sizeof(*out));
	out->type = hdr.type;
	out->version = hdr.version;
	out->flags = le16_to_cpu(hdr.flags);
	out->status = le16_to_cpu(hdr.status);
	out->request_id = le32_to_cpu(hdr.request_id);
	return 0;
}

/* Version, type, direction, flags and request id against the receiver. */
static int check_hdr(const struct virtio_argo_limits *lim,
		     const struct virtio_argo_msg *m, size_t plen)
{
	bool to_driver = lim->role == VIRTIO_ARGO_ROLE_DRIVER;
	bool has_status = m->status != VIRTIO_ARGO_S_OK;
	bool reply = m->flags & VIRTIO_ARGO_F_REPLY;
	bool error = m->flags & VIRTIO_ARGO_F_ERROR;
	unsigned int class;

	/* HELLO's layout never changes, so it is readable before a session. */
	if (!m->version || (m->type != VIRTIO_ARGO_MSG_HELLO &&
			    m->version != lim->version))
		return -EPROTONOSUPPORT;
	class = msg_class(m->type);
	if (class == CLASS_UNKNOWN)
		return -EOPNOTSUPP;
	if (m->flags & ~(VIRTIO_ARGO_F_REPLY | VIRTIO_ARGO_F_ERROR))
		return -EBADMSG;
	if ((error && !reply) || error != has_status)
		return -EBADMSG;

	switch (class) {
	case CLASS_REQUEST:
		/* Requests only reach the device, replies only the driver. */
		if (reply != to_driver || !m->request_id)
			return -EBADMSG;
		break;
	case CLASS_TO_DEVICE:
		if (reply || to_driver || m->request_id)
			return -EBADMSG;
		break;
	case CLASS_TO_DRIVER:
		if (reply || !to_driver || m->request_id)
			return -EBADMSG;
		break;
	}

	if (error && plen)
		return -EBADMSG;
	return 0;
}

/* Size of a queue events may refer to, or -ERANGE. */
static int queue_size(const struct virtio_argo_limits *lim, u16 index,
		      u16 *size)
{
	if (index >= lim->num_queues)
		return -ERANGE;
	*size = lim->queue_sizes ? lim->queue_sizes[index] :
				   lim->max_queue_size;
	return *size ? 0 : -ERANGE;
}

static int dec_empty(size_t plen)
{
	return plen ? -EBADMSG : 0;
}

static int dec_exact(void *dst, size_t size, const u8 *p, size_t plen)
{
	if (plen != size)
		return -EBADMSG;
	memcpy(dst, p, size);
	return 0;
}

static int dec_le32(u32 *val, const u8 *p, size_t plen)
{
	__le32 v;
	int ret;

	ret = dec_exact(&v, sizeof(v), p, plen);
	if (ret)
		return ret;
	*val = le32_to_cpu(v);
	return 0;
}

static int dec_hello(struct virtio_argo_msg *m, const u8 *p, size_t plen)
{
	struct virtio_argo_hello h;

	/* Later versions may append fields; known versions are exact. */
	if (plen < sizeof(h) ||
	    (m->version <= VIRTIO_ARGO_VERSION_MAX && plen != sizeof(h)))
		return -EBADMSG;
	memcpy(&h, p, sizeof(h));

	m->hello.min_version = h.min_version;
	m->hello.max_version = h.max_version;
	m->hello.max_batch = le16_to_cpu(h.max_batch);
	m->hello.max_msg_size = le32_to_cpu(h.max_msg_size);
	m->hello.caps = le32_to_cpu(h.caps);
	m->hello.ctrl_port = le32_to_cpu(h.ctrl_port);
	m->hello.data_port = le32_to_cpu(h.data_port);

	if (!m->hello.min_version ||
	    m->hello.min_version > m->hello.max_version ||
	    !m->hello.max_batch || m->hello.max_batch > VIRTIO_ARGO_MAX_BATCH ||
	    m->hello.max_msg_size < VIRTIO_ARGO_MIN_MSG_SIZE ||
	    m->hello.max_msg_size > VIRTIO_ARGO_MAX_MSG_SIZE ||
	    m->hello.ctrl_port == VIRTIO_ARGO_PORT_NONE ||
	    m->hello.data_port == VIRTIO_ARGO_PORT_NONE)
		return -EBADMSG;
	return 0;
}

static int dec_ping(struct virtio_argo_msg *m, const u8 *p, size_t plen)
{
	struct virtio_argo_ping ping;
	int ret;

	ret = dec_exact(&ping, sizeof(ping), p, plen);
	if (ret)
		return ret;
	m->ping_cookie = le64_to_cpu(ping.cookie);
	return 0;
}

static int dec_device_info(struct virtio_argo_msg *m, const u8 *p,
			   size_t plen)
{
	struct virtio_argo_device_info info;
	int ret;

	ret = dec_exact(&info, sizeof(info), p, plen);
	if (ret)
		return ret;

	m->device_info.device_id = le32_to_cpu(info.device_id);
	m->device_info.vendor_id = le32_to_cpu(info.vendor_id);
	m->device_info.config_size = le32_to_cpu(info.config_size);
	m->device_info.num_queues = le16_to_cpu(info.num_queues);
	m->device_info.max_queue_size = le16_to_cpu(info.max_queue_size);
	m->device_info.num_feature_blocks =
		le16_to_cpu(info.num_feature_blocks);

	if (m->device_info.config_size > VIRTIO_ARGO_MAX_CONFIG_SIZE ||
	    m->device_info.num_queues > VIRTIO_ARGO_MAX_QUEUES ||
	    !is_power_of_two(m->device_info.max_queue_size) ||
	    m->device_info.max_queue_size > VIRTIO_ARGO_MAX_QUEUE_SIZE ||
	    !m->device_info.num_feature_blocks ||
	    m->device_info.num_feature_blocks >
			VIRTIO_ARGO_MAX_FEATURE_BLOCKS ||
	    info.reserved)
		return -EBADMSG;
	return 0;
}

static int dec_features(const struct virtio_argo_limits *lim,
			struct virtio_argo_msg *m, const u8 *p, size_t plen,
			bool has_words)
{
	struct virtio_argo_features f;
	size_t words_len;

	if (plen < sizeof(f))
		return -EBADMSG;
	memcpy(&f, p, sizeof(f));
	m->features.index = le16_to_cpu(f.index);
	m->features.count = le16_to_cpu(f.count);

	if (!m->features.count)
		return -EBADMSG;
	if (m->features.index + m->features.count > lim->num_feature_blocks)
		return -ERANGE;
	words_len = has_words ? m->features.count * sizeof(__le32) : 0;
	if (plen - sizeof(f) != words_len)
		return -EBADMSG;
	if (has_words)
		m->features.words = (const __le32 *)(p + sizeof(f));
	return 0;
}

static int dec_config(const struct virtio_argo_limits *lim,
		      struct virtio_argo_msg *m, const u8 *p, size_t plen,
		      bool reply, bool has_data)
{
	struct virtio_argo_config c;

	if (plen < sizeof(c))
		return -EBADMSG;
	memcpy(&c, p, sizeof(c));
	m->config.generation = le32_to_cpu(c.generation);
	m->config.offset = le32_to_cpu(c.offset);
	m->config.size = le32_to_cpu(c.size);

	if ((!reply && m->config.generation) || !m->config.size)
		return -EBADMSG;
	/* In 64 bits, so that offset + size cannot wrap around. */
	if ((u64)m->config.offset + m->config.size > lim->config_size)
		return -ERANGE;
	if (plen - sizeof(c) != (has_data ? m->config.size : 0))
		return -EBADMSG;
	if (has_data)
		m->config.data = p + sizeof(c);
	return 0;
}

static int dec_device_status(struct virtio_argo_msg *m, const u8 *p,
			     size_t plen)
{
	int ret;

	ret = dec_le32(&m->device_status, p, plen);
	if (ret)
		return ret;
	/* The virtio device status is one byte. */
	return m->device_status > 0xff ? -EBADMSG : 0;
}

static int dec_vqueue(const struct virtio_argo_limits *lim,
		      struct virtio_argo_msg *m, const u8 *p, size_t plen)
{
	struct virtio_argo_vqueue vq;
	int ret;

	ret = dec_exact(&vq, sizeof(vq), p, plen);
	if (ret)
		return ret;
	m->vqueue.index = le16_to_cpu(vq.index);
	m->vqueue.size = le16_to_cpu(vq.size);
	m->vqueue.used_port = le32_to_cpu(vq.used_port);
	m->vqueue.used_scheme = vq.used_scheme;

	if (!is_power_of_two(m->vqueue.size) ||
	    m->vqueue.used_port == VIRTIO_ARGO_PORT_NONE ||
	    m->vqueue.used_scheme > VIRTIO_ARGO_USED_DIRECT ||
	    vq.reserved[0] || vq.reserved[1] || vq.reserved[2])
		return -EBADMSG;
	if (m->vqueue.index >= lim->num_queues ||
	    m->vqueue.size > lim->max_queue_size)
		return -ERANGE;
	return 0;
}

static int dec_vqueue_reset(const struct virtio_argo_limits *lim,
			    struct virtio_argo_msg *m, const u8 *p,
			    size_t plen)
{
	struct virtio_argo_vqueue_reset vr;
	int ret;

	ret = dec_exact(&vr, sizeof(vr), p, plen);
	if (ret)
		return ret;
	m->vqueue.index = le16_to_cpu(vr.index);
	if (vr.reserved)
		return -EBADMSG;
	return m->vqueue.index >= lim->num_queues ? -ERANGE : 0;
}

static int dec_avail(const struct virtio_argo_limits *lim,
		     struct virtio_argo_msg *m, const u8 *p, size_t plen)
{
	const u8 *descs = p + sizeof(struct virtio_argo_event_avail);
	struct virtio_argo_event_avail ev;
	struct virtio_argo_desc desc;
	u16 qsize;
	__le16 head;
	size_t i;
	int ret;

	if (plen < sizeof(ev))
		return -EBADMSG;
	memcpy(&ev, p, sizeof(ev));
	m->avail.index = le16_to_cpu(ev.index);
	m->avail.avail_idx = le16_to_cpu(ev.avail_idx);
	m->avail.num_descs = le16_to_cpu(ev.num_descs);
	m->avail.num_avail = le16_to_cpu(ev.num_avail);

	if (m->avail.num_descs > lim->max_batch ||
	    m->avail.num_avail > lim->max_batch)
		return -EMSGSIZE;
	ret = queue_size(lim, m->avail.index, &qsize);
	if (ret)
		return ret;
	if (m->avail.num_descs > qsize || m->avail.num_avail > qsize)
		return -ERANGE;
	if (plen - sizeof(ev) != m->avail.num_descs * sizeof(desc) +
				 m->avail.num_avail * sizeof(head))
		return -EBADMSG;

	m->avail.descs = (const struct virtio_argo_desc *)descs;
	m->avail.ring = (const __le16 *)(descs +
					 m->avail.num_descs * sizeof(desc));

	for (i = 0; i < m->avail.num_descs; i++) {
		memcpy(&desc, descs + i * sizeof(desc), sizeof(desc));
		if (desc.reserved[0] || desc.reserved[1] || desc.reserved[2])
			return -EBADMSG;
		if (le16_to_cpu(desc.slot) >= qsize)
			return -ERANGE;
	}
	for (i = 0; i < m->avail.num_avail; i++) {
		memcpy(&head, &m->avail.ring[i], sizeof(head));
		if (le16_to_cpu(head) >= qsize)
			return -ERANGE;
	}
	return 0;
}

static int dec_used(const struct virtio_argo_limits *lim,
		    struct virtio_argo_msg *m, const u8 *p, size_t plen)
{
	const u8 *elems = p + sizeof(struct virtio_argo_event_used);
	struct virtio_argo_event_used ev;
	struct virtio_argo_used_elem elem;
	u16 qsize;
	size_t i;
	int ret;

	if (plen < sizeof(ev))
		return -EBADMSG;
	memcpy(&ev, p, sizeof(ev));
	m->used.index = le16_to_cpu(ev.index);
	m->used.used_idx = le16_to_cpu(ev.used_idx);
	m->used.num_used = le16_to_cpu(ev.num_used);

	if (!m->used.num_used || ev.reserved)
		return -EBADMSG;
	if (m->used.num_used > lim->max_batch)
		return -EMSGSIZE;
	ret = queue_size(lim, m->used.index, &qsize);
	if (ret)
		return ret;
	if (m->used.num_used > qsize)
		return -ERANGE;
	if (plen - sizeof(ev) != m->used.num_used * sizeof(elem))
		return -EBADMSG;

	m->used.elems = (const struct virtio_argo_used_elem *)elems;
	for (i = 0; i < m->used.num_used; i++) {
		memcpy(&elem, elems + i * sizeof(elem), sizeof(elem));
		if (le32_to_cpu(elem.id) >= qsize)
			return -ERANGE;
	}
	return 0;
}

/* Whether a buffer of this token kind may travel in this direction. */
static bool token_fits(u8 type, unsigned int kind)
{
	switch (kind) {
	case VIRTIO_ARGO_TOKEN_OUT:
		return type == VIRTIO_ARGO_MSG_DATA_TO_DEVICE;
	case VIRTIO_ARGO_TOKEN_IN:
	case VIRTIO_ARGO_TOKEN_IN_RING:
		return type == VIRTIO_ARGO_MSG_DATA_TO_DRIVER;
	case VIRTIO_ARGO_TOKEN_BIDIR:
		return true;
	}
	return false;
}

/* @have_bytes: whether the data bytes are in the buffer at all. */
static int dec_data(struct virtio_argo_msg *m, const u8 *p, size_t plen,
		    bool have_bytes)
{
	struct virtio_argo_data d;

	if (plen < sizeof(d))
		return -EBADMSG;
	memcpy(&d, p, sizeof(d));
	m->data.token = le64_to_cpu(d.token);
	m->data.offset = le32_to_cpu(d.offset);
	/* plen is bounded by max_msg_size, a u32. */
	m->data.size = plen - sizeof(d);

	if (!token_fits(m->type, virtio_argo_token_kind(m->data.token)) ||
	    virtio_argo_token_offset(m->data.token) || d.reserved)
		return -EBADMSG;
	/* A token addresses at most 4 GiB. */
	if ((u64)m->data.offset + m->data.size > 1ULL << 32)
		return -ERANGE;
	if (have_bytes)
		m->data.bytes = p + sizeof(d);
	return 0;
}

static int dec_payload(const struct virtio_argo_limits *lim,
		       struct virtio_argo_msg *m, const u8 *p, size_t plen)
{
	bool reply = m->flags & VIRTIO_ARGO_F_REPLY;

	switch (m->type) {
	case VIRTIO_ARGO_MSG_HELLO:
		return dec_hello(m, p, plen);
	case VIRTIO_ARGO_MSG_PING:
		return dec_ping(m, p, plen);
	case VIRTIO_ARGO_MSG_GET_DEVICE_INFO:
		return reply ? dec_device_info(m, p, plen) :
			       dec_empty(plen);
	case VIRTIO_ARGO_MSG_GET_FEATURES:
		return dec_features(lim, m, p, plen, reply);
	case VIRTIO_ARGO_MSG_SET_FEATURES:
		return reply ? dec_empty(plen) :
			       dec_features(lim, m, p, plen, true);
	case VIRTIO_ARGO_MSG_GET_CONFIG:
		return dec_config(lim, m, p, plen, reply, reply);
	case VIRTIO_ARGO_MSG_SET_CONFIG:
		return dec_config(lim, m, p, plen, reply, !reply);
	case VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION:
		return reply ? dec_le32(&m->generation, p, plen) :
			       dec_empty(plen);
	case VIRTIO_ARGO_MSG_EVENT_CONFIG:
		return dec_le32(&m->generation, p, plen);
	case VIRTIO_ARGO_MSG_GET_STATUS:
		return reply ? dec_device_status(m, p, plen) :
			       dec_empty(plen);
	case VIRTIO_ARGO_MSG_SET_STATUS:
		return dec_device_status(m, p, plen);
	case VIRTIO_ARGO_MSG_SET_VQUEUE:
		return reply ? dec_empty(plen) :
			       dec_vqueue(lim, m, p, plen);
	case VIRTIO_ARGO_MSG_RESET_VQUEUE:
		return reply ? dec_empty(plen) :
			       dec_vqueue_reset(lim, m, p, plen);
	case VIRTIO_ARGO_MSG_EVENT_AVAIL:
		return dec_avail(lim, m, p, plen);
	case VIRTIO_ARGO_MSG_EVENT_USED:
		return dec_used(lim, m, p, plen);
	case VIRTIO_ARGO_MSG_DATA_TO_DEVICE:
	case VIRTIO_ARGO_MSG_DATA_TO_DRIVER:
		return dec_data(m, p, plen, true);
	}
	return -EOPNOTSUPP;
}

/**
 * virtio_argo_hdr_decode() - Read a message header without judging it.
 * @buf: the message
 * @len: its length, as Argo delivered it
 * @lim: the receiver's limits (only max_msg_size is used)
 * @out: gets type, version, flags, status and request_id; the rest is zeroed
 *
 * For a message virtio_argo_msg_decode() refused: if the header is sound,
 * %VIRTIO_ARGO_F_REPLY is clear, the type is known and the request id is
 * nonzero, the device answers it with an error reply.
 *
 * Return: 0, -EMSGSIZE if @len exceeds the limit, or -EBADMSG if @buf is
 * shorter than a header, the magic is wrong or the header's payload length
 * disagrees with @len.
 */
int virtio_argo_hdr_decode(const void *buf, size_t len,
			   const struct virtio_argo_limits *lim,
			   struct virtio_argo_msg *out)
{
	return parse_hdr(buf, len, len, lim, out);
}
EXPORT_SYMBOL_GPL(virtio_argo_hdr_decode);

/**
 * virtio_argo_msg_decode() - Validate and decode a received message.
 * @buf: the message, one whole Argo payload
 * @len: its length, as Argo delivered it
 * @lim: what the receiver accepts
 * @out: the decoded message; undefined on error
 *
 * Reads nothing beyond @buf + @len and trusts no count or length field
 * before checking it against @len and @lim. Arrays in @out point into @buf.
 *
 * Return: 0 if the message is valid (an error reply counts as valid: look
 * at @out->status), or:
 * -EMSGSIZE if @len exceeds @lim->max_msg_size, or a batch count exceeds
 * @lim->max_batch;
 * -EPROTONOSUPPORT if the header version is 0 or, except in HELLO and its
 * reply, not @lim->version;
 * -EOPNOTSUPP if the type is unknown;
 * -ERANGE if a queue index, ring position, feature block, config range or
 * buffer offset lies outside @lim;
 * -EBADMSG for anything else malformed: wrong magic, a length field that
 * disagrees with @len, unknown flags, a reply or request where the
 * receiver's role does not take one, a bad request id, nonzero reserved
 * fields, or a value the protocol never allows.
 */
int virtio_argo_msg_decode(const void *buf, size_t len,
			   const struct virtio_argo_limits *lim,
			   struct virtio_argo_msg *out)
{
	size_t plen;
	int ret;

	ret = parse_hdr(buf, len, len, lim, out);
	if (ret)
		return ret;
	plen = len - HDR_SIZE;
	ret = check_hdr(lim, out, plen);
	if (ret)
		return ret;
	/* check_hdr() made sure an error reply has no payload. */
	if (out->flags & VIRTIO_ARGO_F_ERROR)
		return 0;
	return dec_payload(lim, out, (const u8 *)buf + HDR_SIZE, plen);
}
EXPORT_SYMBOL_GPL(virtio_argo_msg_decode);

/**
 * virtio_argo_msg_decode_head() - Decode a data message from its head only.
 * @buf: the first @len bytes of the message
 * @len: bytes in @buf, at least %VIRTIO_ARGO_DATA_HEAD_SIZE
 * @msg_len: the whole message's length, as Argo delivered it
 * @lim: what the receiver accepts
 * @out: the decoded message, with @out->data.bytes NULL; undefined on error
 *
 * Lets a receiver validate DATA_TO_DEVICE or DATA_TO_DRIVER before copying
 * its bytes out of the Argo ring straight to their destination. Reads only
 * the head.
 *
 * Return: as virtio_argo_msg_decode(), and -EBADMSG for any other type or
 * if @len is shorter than the head.
 */
int virtio_argo_msg_decode_head(const void *buf, size_t len, size_t msg_len,
				const struct virtio_argo_limits *lim,
				struct virtio_argo_msg *out)
{
	size_t plen;
	int ret;

	ret = parse_hdr(buf, len, msg_len, lim, out);
	if (ret)
		return ret;
	plen = msg_len - HDR_SIZE;
	ret = check_hdr(lim, out, plen);
	if (ret)
		return ret;
	if (!is_data_type(out->type) || len < VIRTIO_ARGO_DATA_HEAD_SIZE)
		return -EBADMSG;
	return dec_data(out, (const u8 *)buf + HDR_SIZE, plen, false);
}
EXPORT_SYMBOL_GPL(virtio_argo_msg_decode_head);

/* Payload length of @m, or false for an unknown type. */
static bool payload_size(const struct virtio_argo_msg *m, u64 *size)
{
	bool reply = m->flags & VIRTIO_ARGO_F_REPLY;

	if (msg_class(m->type) == CLASS_UNKNOWN)
		return false;
	if (m->flags & VIRTIO_ARGO_F_ERROR) {
		*size = 0;
		return true;
	}

	switch (m->type) {
	case VIRTIO_ARGO_MSG_HELLO:
		*size = sizeof(struct virtio_argo_hello);
		break;
	case VIRTIO_ARGO_MSG_PING:
		*size = sizeof(struct virtio_argo_ping);
		break;
	case VIRTIO_ARGO_MSG_GET_DEVICE_INFO:
		*size = reply ? sizeof(struct virtio_argo_device_info) : 0;
		break;
	case VIRTIO_ARGO_MSG_GET_FEATURES:
		*size = sizeof(struct virtio_argo_features) +
			(reply ? m->features.count * sizeof(__le32) : 0);
		break;
	case VIRTIO_ARGO_MSG_SET_FEATURES:
		*size = reply ? 0 : sizeof(struct virtio_argo_features) +
				    m->features.count * sizeof(__le32);
		break;
	case VIRTIO_ARGO_MSG_GET_CONFIG:
		*size = sizeof(struct virtio_argo_config) +
			(reply ? m->config.size : 0);
		break;
	case VIRTIO_ARGO_MSG_SET_CONFIG:
		*size = sizeof(struct virtio_argo_config) +
			(reply ? 0 : m->config.size);
		break;
	case VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION:
	case VIRTIO_ARGO_MSG_GET_STATUS:
		*size = reply ? sizeof(__le32) : 0;
		break;
	case VIRTIO_ARGO_MSG_SET_STATUS:
	case VIRTIO_ARGO_MSG_EVENT_CONFIG:
		*size = sizeof(__le32);
		break;
	case VIRTIO_ARGO_MSG_SET_VQUEUE:
		*size = reply ? 0 : sizeof(struct virtio_argo_vqueue);
		break;
	case VIRTIO_ARGO_MSG_RESET_VQUEUE:
		*size = reply ? 0 : sizeof(struct virtio_argo_vqueue_reset);
		break;
	case VIRTIO_ARGO_MSG_EVENT_AVAIL:
		*size = sizeof(struct virtio_argo_event_avail) +
			(u64)m->avail.num_descs * sizeof(struct virtio_argo_desc) +
			(u64)m->avail.num_avail * sizeof(__le16);
		break;
	case VIRTIO_ARGO_MSG_EVENT_USED:
		*size = sizeof(struct virtio_argo_event_used) +
			(u64)m->used.num_used *
			sizeof(struct virtio_argo_used_elem);
		break;
	case VIRTIO_ARGO_MSG_DATA_TO_DEVICE:
	case VIRTIO_ARGO_MSG_DATA_TO_DRIVER:
		*size = sizeof(struct virtio_argo_data) + (u64)m->data.size;
		break;
	}
	return true;
}

/**
 * virtio_argo_msg_size() - Encoded length of a message.
 * @msg: the message
 *
 * Return: the length virtio_argo_msg_encode() would produce, header
 * included, or 0 for an unknown type.
 */
size_t virtio_argo_msg_size(const struct virtio_argo_msg *msg)
{
	u64 plen;

	return payload_size(msg, &plen) ? HDR_SIZE + plen : 0;
}
EXPORT_SYMBOL_GPL(virtio_argo_msg_size);

static void enc_hdr(const struct virtio_argo_msg *m, u32 plen, u8 *buf)
{
	struct virtio_argo_hdr hdr = {
		.magic = cpu_to_le16(VIRTIO_ARGO_MAGIC),
		.version = m->version,
		.type = m->type,
		.flags = cpu_to_le16(m->flags),
		.status = cpu_to_le16(m->status),
		.request_id = cpu_to_le32(m->request_id),
		.payload_len = cpu_to_le32(plen),
	};

	memcpy(buf, &hdr, sizeof(hdr));
}

/* Copy an array the message points to; a missing one is a caller bug. */
static int enc_array(u8 *dst, const void *src, size_t len)
{
	if (!len)
		return 0;
	if (!src)
		return -EINVAL;
	memcpy(dst, src, len);
	return 0;
}

static void enc_le32(u8 *p, u32 val)
{
	__le32 v = cpu_to_le32(val);

	memcpy(p, &v, sizeof(v));
}

static void enc_hello(const struct virtio_argo_msg *m, u8 *p)
{
	struct virtio_argo_hello h = {
		.min_version = m->hello.min_version,
		.max_version = m->hello.max_version,
		.max_batch = cpu_to_le16(m->hello.max_batch),
		.max_msg_size = cpu_to_le32(m->hello.max_msg_size),
		.caps = cpu_to_le32(m->hello.caps),
		.ctrl_port = cpu_to_le32(m->hello.ctrl_port),
		.data_port = cpu_to_le32(m->hello.data_port),
	};

	memcpy(p, &h, sizeof(h));
}

static void enc_device_info(const struct virtio_argo_msg *m, u8 *p)
{
	struct virtio_argo_device_info info = {
		.device_id = cpu_to_le32(m->device_info.device_id),
		.vendor_id = cpu_to_le32(m->device_info.vendor_id),
		.config_size = cpu_to_le32(m->device_info.config_size),
		.num_queues = cpu_to_le16(m->device_info.num_queues),
		.max_queue_size = cpu_to_le16(m->device_info.max_queue_size),
		.num_feature_blocks =
			cpu_to_le16(m->device_info.num_feature_blocks),
	};

	memcpy(p, &info, sizeof(info));
}

static int enc_features(const struct virtio_argo_msg *m, u8 *p,
			bool has_words)
{
	struct virtio_argo_features f = {
		.index = cpu_to_le16(m->features.index),
		.count = cpu_to_le16(m->features.count),
	};

	memcpy(p, &f, sizeof(f));
	if (!has_words)
		return 0;
	return enc_array(p + sizeof(f), m->features.words,
			 m->features.count * sizeof(__le32));
}

static int enc_config(const struct virtio_argo_msg *m, u8 *p, bool has_data)
{
	struct virtio_argo_config c = {
		.generation = cpu_to_le32(m->config.generation),
		.offset = cpu_to_le32(m->config.offset),
		.size = cpu_to_le32(m->config.size),
	};

	memcpy(p, &c, sizeof(c));
	if (!has_data)
		return 0;
	return enc_array(p + sizeof(c), m->config.data, m->config.size);
}

static void enc_vqueue(const struct virtio_argo_msg *m, u8 *p)
{
	struct virtio_argo_vqueue vq = {
		.index = cpu_to_le16(m->vqueue.index),
		.size = cpu_to_le16(m->vqueue.size),
		.used_port = cpu_to_le32(m->vqueue.used_port),
		.used_scheme = m->vqueue.used_scheme,
	};

	memcpy(p, &vq, sizeof(vq));
}

static void enc_vqueue_reset(const struct virtio_argo_msg *m, u8 *p)
{
	struct virtio_argo_vqueue_reset vr = {
		.index = cpu_to_le16(m->vqueue.index),
	};

	memcpy(p, &vr, sizeof(vr));
}

static int enc_avail(const struct virtio_argo_msg *m, u8 *p)
{
	size_t descs_len = m->avail.num_descs * sizeof(struct virtio_argo_desc);
	struct virtio_argo_event_avail ev = {
		.index = cpu_to_le16(m->avail.index),
		.avail_idx = cpu_to_le16(m->avail.avail_idx),
		.num_descs = cpu_to_le16(m->avail.num_descs),
		.num_avail = cpu_to_le16(m->avail.num_avail),
	};
	int ret;

	memcpy(p, &ev, sizeof(ev));
	p += sizeof(ev);
	ret = enc_array(p, m->avail.descs, descs_len);
	if (ret)
		return ret;
	return enc_array(p + descs_len, m->avail.ring,
			 m->avail.num_avail * sizeof(__le16));
}

static int enc_used(const struct virtio_argo_msg *m, u8 *p)
{
	struct virtio_argo_event_used ev = {
		.index = cpu_to_le16(m->used.index),
		.used_idx = cpu_to_le16(m->used.used_idx),
		.num_used = cpu_to_le16(m->used.num_used),
	};

	memcpy(p, &ev, sizeof(ev));
	return enc_array(p + sizeof(ev), m->used.elems,
			 m->used.num_used *
			 sizeof(struct virtio_argo_used_elem));
}

static void enc_data_head(const struct virtio_argo_msg *m, u8 *p)
{
	struct virtio_argo_data d = {
		.token = cpu_to_le64(m->data.token),
		.offset = cpu_to_le32(m->data.offset),
	};

	memcpy(p, &d, sizeof(d));
}

static int enc_payload(const struct virtio_argo_msg *m, u8 *p)
{
	bool reply = m->flags & VIRTIO_ARGO_F_REPLY;
	__le64 cookie;

	if (m->flags & VIRTIO_ARGO_F_ERROR)
		return 0;

	switch (m->type) {
	case VIRTIO_ARGO_MSG_HELLO:
		enc_hello(m, p);
		break;
	case VIRTIO_ARGO_MSG_PING:
		cookie = cpu_to_le64(m->ping_cookie);
		memcpy(p, &cookie, sizeof(cookie));
		break;
	case VIRTIO_ARGO_MSG_GET_DEVICE_INFO:
		if (reply)
			enc_device_info(m, p);
		break;
	case VIRTIO_ARGO_MSG_GET_FEATURES:
		return enc_features(m, p, reply);
	case VIRTIO_ARGO_MSG_SET_FEATURES:
		return reply ? 0 : enc_features(m, p, true);
	case VIRTIO_ARGO_MSG_GET_CONFIG:
		return enc_config(m, p, reply);
	case VIRTIO_ARGO_MSG_SET_CONFIG:
		return enc_config(m, p, !reply);
	case VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION:
		if (reply)
			enc_le32(p, m->generation);
		break;
	case VIRTIO_ARGO_MSG_EVENT_CONFIG:
		enc_le32(p, m->generation);
		break;
	case VIRTIO_ARGO_MSG_GET_STATUS:
		if (reply)
			enc_le32(p, m->device_status);
		break;
	case VIRTIO_ARGO_MSG_SET_STATUS:
		enc_le32(p, m->device_status);
		break;
	case VIRTIO_ARGO_MSG_SET_VQUEUE:
		if (!reply)
			enc_vqueue(m, p);
		break;
	case VIRTIO_ARGO_MSG_RESET_VQUEUE:
		if (!reply)
			enc_vqueue_reset(m, p);
		break;
	case VIRTIO_ARGO_MSG_EVENT_AVAIL:
		return enc_avail(m, p);
	case VIRTIO_ARGO_MSG_EVENT_USED:
		return enc_used(m, p);
	case VIRTIO_ARGO_MSG_DATA_TO_DEVICE:
	case VIRTIO_ARGO_MSG_DATA_TO_DRIVER:
		enc_data_head(m, p);
		return enc_array(p + sizeof(struct virtio_argo_data),
				 m->data.bytes, m->data.size);
	}
	return 0;
}

/**
 * virtio_argo_msg_encode() - Encode a message for sending.
 * @msg: the message; arrays are copied from where its pointers say
 * @peer: the receiver's limits, as this side knows them
 * @buf: output buffer
 * @size: size of @buf
 *
 * The result is decoded again with @peer before it is returned, so it is
 * exactly something virtio_argo_msg_decode() accepts under @peer.
 *
 * Return: the message length, header included, or a negative errno:
 * -ENOSPC if @size is too small, -EINVAL if an array @msg needs is NULL,
 * -EOPNOTSUPP for an unknown type, or whatever virtio_argo_msg_decode()
 * would refuse the message with (-EMSGSIZE if it is larger than
 * @peer->max_msg_size). @buf is undefined on error.
 */
ssize_t virtio_argo_msg_encode(const struct virtio_argo_msg *msg,
			       const struct virtio_argo_limits *peer,
			       void *buf, size_t size)
{
	struct virtio_argo_msg check;
	u64 plen;
	int ret;

	if (!payload_size(msg, &plen))
		return -EOPNOTSUPP;
	if (HDR_SIZE + plen > peer->max_msg_size)
		return -EMSGSIZE;
	if (HDR_SIZE + plen > size)
		return -ENOSPC;

	ret = enc_payload(msg, (u8 *)buf + HDR_SIZE);
	if (ret)
		return ret;
	enc_hdr(msg, plen, buf);

	ret = virtio_argo_msg_decode(buf, HDR_SIZE + plen, peer, &check);
	if (ret)
		return ret;
	return HDR_SIZE + plen;
}
EXPORT_SYMBOL_GPL(virtio_argo_msg_encode);

/**
 * virtio_argo_msg_encode_head() - Encode the head of a data message.
 * @msg: a DATA_TO_DEVICE or DATA_TO_DRIVER message; @msg->data.bytes is
 *	not used
 * @peer: the receiver's limits, as this side knows them
 * @buf: output buffer
 * @size: size of @buf
 *
 * Writes header and data head, whose lengths count @msg->data.size bytes
 * that the caller sends right after them (as further Argo iovs), so the
 * bytes need not be copied into a message buffer first. The head is checked
 * with virtio_argo_msg_decode_head() under @peer.
 *
 * Return: %VIRTIO_ARGO_DATA_HEAD_SIZE, or a negative errno as for
 * virtio_argo_msg_encode(), -EINVAL for any other message type.
 */
ssize_t virtio_argo_msg_encode_head(const struct virtio_argo_msg *msg,
				    const struct virtio_argo_limits *peer,
				    void *buf, size_t size)
{
	u64 msg_len = VIRTIO_ARGO_DATA_HEAD_SIZE + (u64)msg->data.size;
	struct virtio_argo_msg check;
	int ret;

	if (!is_data_type(msg->type))
		return -EINVAL;
	if (msg_len > peer->max_msg_size)
		return -EMSGSIZE;
	if (size < VIRTIO_ARGO_DATA_HEAD_SIZE)
		return -ENOSPC;

	enc_hdr(msg, msg_len - HDR_SIZE, buf);
	enc_data_head(msg, (u8 *)buf + HDR_SIZE);

	ret = virtio_argo_msg_decode_head(buf, VIRTIO_ARGO_DATA_HEAD_SIZE,
					  msg_len, peer, &check);
	if (ret)
		return ret;
	return VIRTIO_ARGO_DATA_HEAD_SIZE;
}
EXPORT_SYMBOL_GPL(virtio_argo_msg_encode_head);

/**
 * virtio_argo_version_select() - Pick the version two sides share.
 * @own_min: lowest version this side speaks
 * @own_max: highest version this side speaks
 * @peer_min: lowest version the peer announced in HELLO or its reply
 * @peer_max: highest version the peer announced
 *
 * Both sides compute the same answer from the HELLO exchange. On failure
 * the caller reports both ranges, e.g. "peer speaks protocol 2..3, we need
 * 1..1".
 *
 * Return: the highest common version, or -EPROTONOSUPPORT if there is none.
 */
int virtio_argo_version_select(u8 own_min, u8 own_max, u8 peer_min,
			       u8 peer_max)
{
	u8 lo = own_min > peer_min ? own_min : peer_min;
	u8 hi = own_max < peer_max ? own_max : peer_max;

	if (!lo || lo > hi)
		return -EPROTONOSUPPORT;
	return hi;
}
EXPORT_SYMBOL_GPL(virtio_argo_version_select);

/**
 * virtio_argo_status_to_errno() - Turn an error reply's status into an errno.
 * @status: an enum virtio_argo_status value from the peer
 *
 * Return: 0 for %VIRTIO_ARGO_S_OK, the matching negative errno for a known
 * status, or -EPROTO for an unknown one.
 */
int virtio_argo_status_to_errno(u16 status)
{
	switch (status) {
	case VIRTIO_ARGO_S_OK:
		return 0;
	case VIRTIO_ARGO_S_UNSUPPORTED:
		return -EOPNOTSUPP;
	case VIRTIO_ARGO_S_BAD_MESSAGE:
		return -EBADMSG;
	case VIRTIO_ARGO_S_OUT_OF_RANGE:
		return -ERANGE;
	case VIRTIO_ARGO_S_BAD_STATE:
		return -EBUSY;
	case VIRTIO_ARGO_S_NO_RESOURCES:
		return -ENOMEM;
	case VIRTIO_ARGO_S_DEVICE_ERROR:
		return -EIO;
	case VIRTIO_ARGO_S_BAD_VERSION:
		return -EPROTONOSUPPORT;
	case VIRTIO_ARGO_S_TOO_LARGE:
		return -EMSGSIZE;
	}
	return -EPROTO;
}
EXPORT_SYMBOL_GPL(virtio_argo_status_to_errno);

/**
 * virtio_argo_errno_to_status() - Status to answer a failed request with.
 * @err: 0 or a negative errno, e.g. from virtio_argo_msg_decode()
 *
 * Return: the enum virtio_argo_status value; errnos without a status of
 * their own give %VIRTIO_ARGO_S_DEVICE_ERROR.
 */
u16 virtio_argo_errno_to_status(int err)
{
	switch (err) {
	case 0:
		return VIRTIO_ARGO_S_OK;
	case -EOPNOTSUPP:
		return VIRTIO_ARGO_S_UNSUPPORTED;
	case -EBADMSG:
	case -EINVAL:
		return VIRTIO_ARGO_S_BAD_MESSAGE;
	case -ERANGE:
		return VIRTIO_ARGO_S_OUT_OF_RANGE;
	case -EBUSY:
		return VIRTIO_ARGO_S_BAD_STATE;
	case -ENOMEM:
	case -ENOSPC:
		return VIRTIO_ARGO_S_NO_RESOURCES;
	case -EPROTONOSUPPORT:
		return VIRTIO_ARGO_S_BAD_VERSION;
	case -EMSGSIZE:
		return VIRTIO_ARGO_S_TOO_LARGE;
	}
	return VIRTIO_ARGO_S_DEVICE_ERROR;
}
EXPORT_SYMBOL_GPL(virtio_argo_errno_to_status);

/**
 * virtio_argo_msg_type_name() - Name of a message type, for logs.
 * @type: a message type
 *
 * Return: the name, or "unknown".
 */
const char *virtio_argo_msg_type_name(u8 type)
{
	return msg_class(type) == CLASS_UNKNOWN ? "unknown" :
						  msg_types[type].name;
}
EXPORT_SYMBOL_GPL(virtio_argo_msg_type_name);

MODULE_DESCRIPTION("virtio-argo wire protocol codec");
MODULE_LICENSE("GPL");
