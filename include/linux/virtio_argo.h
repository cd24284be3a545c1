/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * virtio-argo wire protocol, shared by the guest transport, the device side
 * and the tests. Documentation/protocol.rst specifies it; this header gives
 * the constants, the little-endian wire layouts and the codec's interface.
 *
 * Every protocol message is one Argo message: a struct virtio_argo_hdr and a
 * payload whose layout depends on the message type and on whether it is a
 * request, a reply or an event. Nothing here does I/O, so the codec can also
 * be built in userspace (for fuzzing) with a few shim headers.
 */

#ifndef _LINUX_VIRTIO_ARGO_H
#define _LINUX_VIRTIO_ARGO_H

#include <linux/build_bug.h>
#include <linux/types.h>

/* "VA" as the first two bytes of every message. */
#define VIRTIO_ARGO_MAGIC		0x4156
/* Protocol versions this code speaks. */
#define VIRTIO_ARGO_VERSION_MIN		1
#define VIRTIO_ARGO_VERSION_MAX		1

/*
 * Values of the message_type field of Argo's own message header. A receiver
 * drops any message whose message_type is not the one its ring carries.
 */
#define VIRTIO_ARGO_MTYPE_MSG		0x56410001U /* protocol message */
#define VIRTIO_ARGO_MTYPE_BUFFER	0x56410002U /* raw data, buffer ring */
#define VIRTIO_ARGO_MTYPE_USED_IMAGE	0x56410003U /* direct used scheme */
#define VIRTIO_ARGO_MTYPE_USED_PAD	0x56410004U /* direct used scheme */

/* Port 0 names no ring. */
#define VIRTIO_ARGO_PORT_NONE		0U
/* A buffer with its own ring receives on this base plus its mapping id. */
#define VIRTIO_ARGO_BUFFER_PORT_BASE	0x70000000U

/* Protocol-wide bounds; the negotiated limits can only be tighter. */
#define VIRTIO_ARGO_MIN_MSG_SIZE	8192U	/* every receiver takes this */
#define VIRTIO_ARGO_MAX_MSG_SIZE	(16U * 1024 * 1024 - 96)
#define VIRTIO_ARGO_MAX_BATCH		1024U
#define VIRTIO_ARGO_MAX_QUEUES		1024U
#define VIRTIO_ARGO_MAX_QUEUE_SIZE	32768U
#define VIRTIO_ARGO_MAX_FEATURE_BLOCKS	4U
#define VIRTIO_ARGO_MAX_CONFIG_SIZE	4096U

/* Header flags. */
#define VIRTIO_ARGO_F_REPLY		0x0001U
#define VIRTIO_ARGO_F_ERROR		0x0002U

/* HELLO capability bits: optional mechanisms both sides must agree on. */
#define VIRTIO_ARGO_CAP_USED_DIRECT	0x00000001U
#define VIRTIO_ARGO_CAP_BUFFER_RINGS	0x00000002U

/**
 * enum virtio_argo_msg_type - Message types.
 * @VIRTIO_ARGO_MSG_HELLO: open a session, agree on version and limits
 * @VIRTIO_ARGO_MSG_PING: liveness check, echoes a cookie
 * @VIRTIO_ARGO_MSG_GET_DEVICE_INFO: device id, vendor and sizes
 * @VIRTIO_ARGO_MSG_GET_FEATURES: read blocks of device feature bits
 * @VIRTIO_ARGO_MSG_SET_FEATURES: write blocks of driver feature bits
 * @VIRTIO_ARGO_MSG_GET_CONFIG: read device config space
 * @VIRTIO_ARGO_MSG_SET_CONFIG: write device config space
 * @VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION: read the config generation
 * @VIRTIO_ARGO_MSG_GET_STATUS: read the device status
 * @VIRTIO_ARGO_MSG_SET_STATUS: write the device status; 0 resets
 * @VIRTIO_ARGO_MSG_SET_VQUEUE: set up a virtqueue
 * @VIRTIO_ARGO_MSG_RESET_VQUEUE: tear down a virtqueue
 * @VIRTIO_ARGO_MSG_EVENT_AVAIL: kick, with the vring changes since the last
 * @VIRTIO_ARGO_MSG_EVENT_USED: used elements (plain used scheme)
 * @VIRTIO_ARGO_MSG_EVENT_CONFIG: the device config changed
 * @VIRTIO_ARGO_MSG_DATA_TO_DEVICE: contents of a driver-to-device buffer
 * @VIRTIO_ARGO_MSG_DATA_TO_DRIVER: device write into a device-writable buffer
 *
 * The first twelve are requests, answered by exactly one reply of the same
 * type; the rest are one-way.
 */
enum virtio_argo_msg_type {
	VIRTIO_ARGO_MSG_HELLO			= 0x01,
	VIRTIO_ARGO_MSG_PING			= 0x02,
	VIRTIO_ARGO_MSG_GET_DEVICE_INFO		= 0x10,
	VIRTIO_ARGO_MSG_GET_FEATURES		= 0x11,
	VIRTIO_ARGO_MSG_SET_FEATURES		= 0x12,
	VIRTIO_ARGO_MSG_GET_CONFIG		= 0x13,
	VIRTIO_ARGO_MSG_SET_CONFIG		= 0x14,
	VIRTIO_ARGO_MSG_GET_CONFIG_GENERATION	= 0x15,
	VIRTIO_ARGO_MSG_GET_STATUS		= 0x16,
	VIRTIO_ARGO_MSG_SET_STATUS		= 0x17,
	VIRTIO_ARGO_MSG_SET_VQUEUE		= 0x18,
	VIRTIO_ARGO_MSG_RESET_VQUEUE		= 0x19,
	VIRTIO_ARGO_MSG_EVENT_AVAIL		= 0x20,
	VIRTIO_ARGO_MSG_EVENT_USED		= 0x21,
	VIRTIO_ARGO_MSG_EVENT_CONFIG		= 0x22,
	VIRTIO_ARGO_MSG_DATA_TO_DEVICE		= 0x30,
	VIRTIO_ARGO_MSG_DATA_TO_DRIVER		= 0x31,
};

/**
 * enum virtio_argo_status - Status codes of error replies.
 * @VIRTIO_ARGO_S_OK: success (never in an error reply)
 * @VIRTIO_ARGO_S_UNSUPPORTED: unknown message type or operation
 * @VIRTIO_ARGO_S_BAD_MESSAGE: the request was malformed
 * @VIRTIO_ARGO_S_OUT_OF_RANGE: an index, offset or size exceeds a limit
 * @VIRTIO_ARGO_S_BAD_STATE: not allowed in the device's current state
 * @VIRTIO_ARGO_S_NO_RESOURCES: the device ran out of memory or rings
 * @VIRTIO_ARGO_S_DEVICE_ERROR: the device failed
 * @VIRTIO_ARGO_S_BAD_VERSION: no session, or not the negotiated version
 * @VIRTIO_ARGO_S_TOO_LARGE: message or batch larger than the device takes
 *
 * virtio_argo_status_to_errno() and virtio_argo_errno_to_status() map them.
 */
enum virtio_argo_status {
	VIRTIO_ARGO_S_OK		= 0,
	VIRTIO_ARGO_S_UNSUPPORTED	= 1,
	VIRTIO_ARGO_S_BAD_MESSAGE	= 2,
	VIRTIO_ARGO_S_OUT_OF_RANGE	= 3,
	VIRTIO_ARGO_S_BAD_STATE		= 4,
	VIRTIO_ARGO_S_NO_RESOURCES	= 5,
	VIRTIO_ARGO_S_DEVICE_ERROR	= 6,
	VIRTIO_ARGO_S_BAD_VERSION	= 7,
	VIRTIO_ARGO_S_TOO_LARGE		= 8,
};

/**
 * enum virtio_argo_used_scheme - How the device delivers used-ring updates.
 * @VIRTIO_ARGO_USED_PLAIN: EVENT_USED messages; the driver writes the ring
 * @VIRTIO_ARGO_USED_DIRECT: the device writes the used ring itself through
 *	a ring that maps it (needs %VIRTIO_ARGO_CAP_USED_DIRECT)
 */
enum virtio_argo_used_scheme {
	VIRTIO_ARGO_USED_PLAIN	= 0,
	VIRTIO_ARGO_USED_DIRECT	= 1,
};

/**
 * enum virtio_argo_role - Which side a codec user plays.
 * @VIRTIO_ARGO_ROLE_DRIVER: the guest transport (front end)
 * @VIRTIO_ARGO_ROLE_DEVICE: the device side (back end)
 */
enum virtio_argo_role {
	VIRTIO_ARGO_ROLE_DRIVER	= 1,
	VIRTIO_ARGO_ROLE_DEVICE	= 2,
};

/*
 * Buffer tokens: what the transport returns as the DMA address of a mapping,
 * so what the device finds in a descriptor's addr field. Bits 63:60 hold the
 * kind, 59:32 a mapping id unique among the session's live mappings, and
 * 31:0 a byte offset into the mapping (drivers may add offsets to a mapped
 * address). Kind 0 is never valid, so neither is a zeroed descriptor nor
 * DMA_MAPPING_ERROR.
 */
#define VIRTIO_ARGO_TOKEN_KIND_SHIFT	60
#define VIRTIO_ARGO_TOKEN_ID_SHIFT	32
#define VIRTIO_ARGO_TOKEN_ID_MASK	0x0fffffffU

/**
 * enum virtio_argo_token_kind - What a buffer token refers to.
 * @VIRTIO_ARGO_TOKEN_OUT: driver-to-device buffer, sent with DATA_TO_DEVICE
 * @VIRTIO_ARGO_TOKEN_IN: device-writable buffer, written with DATA_TO_DRIVER
 * @VIRTIO_ARGO_TOKEN_IN_RING: device-writable buffer that also has its own
 *	Argo ring at virtio_argo_buffer_port() of its id
 * @VIRTIO_ARGO_TOKEN_BIDIR: buffer the device reads and writes: sent with
 *	DATA_TO_DEVICE, written with DATA_TO_DRIVER
 */
enum virtio_argo_token_kind {
	VIRTIO_ARGO_TOKEN_OUT		= 1,
	VIRTIO_ARGO_TOKEN_IN		= 2,
	VIRTIO_ARGO_TOKEN_IN_RING	= 3,
	VIRTIO_ARGO_TOKEN_BIDIR		= 4,
};

/**
 * virtio_argo_token() - Compose a buffer token.
 * @kind: an enum virtio_argo_token_kind value
 * @id: mapping id; only the low 28 bits are kept
 * @offset: byte offset into the mapping
 *
 * Return: the token.
 */
static inline u64 virtio_argo_token(unsigned int kind, u32 id, u32 offset)
{
	return (u64)kind << VIRTIO_ARGO_TOKEN_KIND_SHIFT |
	       (u64)(id & VIRTIO_ARGO_TOKEN_ID_MASK) <<
	       VIRTIO_ARGO_TOKEN_ID_SHIFT | offset;
}

/**
 * virtio_argo_token_kind() - Kind of a buffer token.
 * @token: the token
 *
 * Return: the enum virtio_argo_token_kind value, or another value for an
 * invalid token.
 */
static inline unsigned int virtio_argo_token_kind(u64 token)
{
	return token >> VIRTIO_ARGO_TOKEN_KIND_SHIFT;
}

/**
 * virtio_argo_token_id() - Mapping id of a buffer token.
 * @token: the token
 *
 * Return: the 28-bit mapping id.
 */
static inline u32 virtio_argo_token_id(u64 token)
{
	return (token >> VIRTIO_ARGO_TOKEN_ID_SHIFT) & VIRTIO_ARGO_TOKEN_ID_MASK;
}

/**
 * virtio_argo_token_offset() - Byte offset part of a buffer token.
 * @token: the token
 *
 * Return: the offset into the mapping.
 */
static inline u32 virtio_argo_token_offset(u64 token)
{
	return (u32)token;
}

/**
 * virtio_argo_buffer_port() - Port of the own ring of an IN_RING buffer.
 * @id: mapping id of the buffer
 *
 * Return: the Argo port the driver registered the buffer's ring at.
 */
static inline u32 virtio_argo_buffer_port(u32 id)
{
	return VIRTIO_ARGO_BUFFER_PORT_BASE | (id & VIRTIO_ARGO_TOKEN_ID_MASK);
}

/**
 * struct virtio_argo_hdr - Header at the start of every message.
 * @magic: %VIRTIO_ARGO_MAGIC
 * @version: protocol version of this message
 * @type: an enum virtio_argo_msg_type value
 * @flags: %VIRTIO_ARGO_F_REPLY, %VIRTIO_ARGO_F_ERROR
 * @status: enum virtio_argo_status, nonzero exactly in error replies
 * @request_id: nonzero in requests and echoed in their replies; 0 in events
 *	and data messages
 * @payload_len: bytes following the header
 */
struct virtio_argo_hdr {
	__le16 magic;
	u8 version;
	u8 type;
	__le16 flags;
	__le16 status;
	__le32 request_id;
	__le32 payload_len;
};

/**
 * struct virtio_argo_hello - Payload of HELLO and of its reply.
 * @min_version: lowest protocol version the sender speaks
 * @max_version: highest protocol version the sender speaks
 * @max_batch: most elements the sender accepts in one EVENT_AVAIL (device)
 *	or EVENT_USED (driver) list
 * @max_msg_size: largest message, header included, the sender's rings take
 * @caps: %VIRTIO_ARGO_CAP_* bits; in the reply, the subset both support
 * @ctrl_port: the sender's control ring: the driver's ring for replies and
 *	EVENT_CONFIG, or the device's ring this HELLO was sent to
 * @data_port: the sender's data ring: DATA_TO_DRIVER for the driver,
 *	DATA_TO_DEVICE and EVENT_AVAIL for the device
 * @reserved: sent as 0, ignored on receipt
 *
 * Later versions may only append fields, so any version can read these.
 */
struct virtio_argo_hello {
	u8 min_version;
	u8 max_version;
	__le16 max_batch;
	__le32 max_msg_size;
	__le32 caps;
	__le32 ctrl_port;
	__le32 data_port;
	__le32 reserved;
};

/**
 * struct virtio_argo_ping - Payload of PING and of its reply.
 * @cookie: any value; the reply echoes it
 */
struct virtio_argo_ping {
	__le64 cookie;
};

/**
 * struct virtio_argo_device_info - Payload of the GET_DEVICE_INFO reply.
 * @device_id: virtio device id
 * @vendor_id: virtio vendor id
 * @config_size: size of the device config space in bytes
 * @num_queues: number of virtqueues
 * @max_queue_size: largest queue size (a power of two) for any queue
 * @num_feature_blocks: number of 32-bit device feature blocks
 * @reserved: 0
 */
struct virtio_argo_device_info {
	__le32 device_id;
	__le32 vendor_id;
	__le32 config_size;
	__le16 num_queues;
	__le16 max_queue_size;
	__le16 num_feature_blocks;
	__le16 reserved;
};

/**
 * struct virtio_argo_features - Payload of GET_FEATURES and SET_FEATURES.
 * @index: first 32-bit feature block
 * @count: number of blocks
 * @words: @count feature blocks, present in the GET_FEATURES reply and the
 *	SET_FEATURES request only
 */
struct virtio_argo_features {
	__le16 index;
	__le16 count;
	__le32 words[];
};

/**
 * struct virtio_argo_config - Payload of GET_CONFIG and SET_CONFIG.
 * @generation: config generation after the operation, in replies; 0 in
 *	requests
 * @offset: byte offset into the config space
 * @size: bytes to read or write
 * @data: @size bytes, present in the GET_CONFIG reply and the SET_CONFIG
 *	request only
 */
struct virtio_argo_config {
	__le32 generation;
	__le32 offset;
	__le32 size;
	u8 data[];
};

/**
 * struct virtio_argo_generation - Payload of EVENT_CONFIG and of the
 * GET_CONFIG_GENERATION reply.
 * @generation: current config generation
 */
struct virtio_argo_generation {
	__le32 generation;
};

/**
 * struct virtio_argo_device_status - Payload of SET_STATUS, its reply and the
 * GET_STATUS reply.
 * @device_status: virtio device status byte (in replies: after the request)
 */
struct virtio_argo_device_status {
	__le32 device_status;
};

/**
 * struct virtio_argo_vqueue - Payload of SET_VQUEUE.
 * @index: queue index
 * @size: queue size, a power of two
 * @used_port: the driver's ring for this queue's used-ring updates
 * @used_scheme: an enum virtio_argo_used_scheme value
 * @reserved: 0
 */
struct virtio_argo_vqueue {
	__le16 index;
	__le16 size;
	__le32 used_port;
	u8 used_scheme;
	u8 reserved[3];
};

/**
 * struct virtio_argo_vqueue_reset - Payload of RESET_VQUEUE.
 * @index: queue index
 * @reserved: 0
 */
struct virtio_argo_vqueue_reset {
	__le16 index;
	__le16 reserved;
};

/**
 * struct virtio_argo_desc - A descriptor-table entry in EVENT_AVAIL.
 * @addr: descriptor address: a buffer token plus offset
 * @len: descriptor length
 * @flags: descriptor flags
 * @next: descriptor next field
 * @slot: position of the entry in the descriptor table
 * @reserved: 0
 *
 * The first 16 bytes are laid out as struct vring_desc in little-endian.
 */
struct virtio_argo_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
	__le16 slot;
	__le16 reserved[3];
};

/**
 * struct virtio_argo_event_avail - Payload of EVENT_AVAIL.
 * @index: queue index
 * @avail_idx: the avail ring's idx after this event
 * @num_descs: descriptor-table entries that follow
 * @num_avail: avail-ring entries (__le16 descriptor heads) that follow the
 *	descriptors; they fill ring positions @avail_idx - @num_avail up to
 *	@avail_idx - 1, modulo the queue size
 * @descs: @num_descs changed descriptor-table entries
 */
struct virtio_argo_event_avail {
	__le16 index;
	__le16 avail_idx;
	__le16 num_descs;
	__le16 num_avail;
	struct virtio_argo_desc descs[];
};

/**
 * struct virtio_argo_used_elem - A used-ring element.
 * @id: head of the used descriptor chain
 * @len: bytes the device wrote into the chain's buffers
 */
struct virtio_argo_used_elem {
	__le32 id;
	__le32 len;
};

/**
 * struct virtio_argo_event_used - Payload of EVENT_USED.
 * @index: queue index
 * @used_idx: the used ring's idx after these elements; they fill ring
 *	positions @used_idx - @num_used up to @used_idx - 1, modulo the size
 * @num_used: number of elements, at least one
 * @reserved: 0
 * @elems: the elements
 */
struct virtio_argo_event_used {
	__le16 index;
	__le16 used_idx;
	__le16 num_used;
	__le16 reserved;
	struct virtio_argo_used_elem elems[];
};

/**
 * struct virtio_argo_data - Payload of DATA_TO_DEVICE and DATA_TO_DRIVER.
 * @token: the mapping's buffer token, with a zero offset part
 * @offset: byte offset into the mapping of the first data byte
 * @reserved: 0
 * @bytes: the data, up to the end of the message
 */
struct virtio_argo_data {
	__le64 token;
	__le32 offset;
	__le32 reserved;
	u8 bytes[];
};

/* The wire layouts are fixed: a size change is a protocol change. */
static_assert(sizeof(struct virtio_argo_hdr) == 16);
static_assert(sizeof(struct virtio_argo_hello) == 24);
static_assert(sizeof(struct virtio_argo_ping) == 8);
static_assert(sizeof(struct virtio_argo_device_info) == 20);
static_assert(sizeof(struct virtio_argo_features) == 4);
static_assert(sizeof(struct virtio_argo_config) == 12);
static_assert(sizeof(struct virtio_argo_generation) == 4);
static_assert(sizeof(struct virtio_argo_device_status) == 4);
static_assert(sizeof(struct virtio_argo_vqueue) == 12);
static_assert(sizeof(struct virtio_argo_vqueue_reset) == 4);
static_assert(sizeof(struct virtio_argo_desc) == 24);
static_assert(sizeof(struct virtio_argo_event_avail) == 8);
static_assert(sizeof(struct virtio_argo_used_elem) == 8);
static_assert(sizeof(struct virtio_argo_event_used) == 8);
static_assert(sizeof(struct virtio_argo_data) == 16);

/* Size of the part of a data message that precedes its bytes. */
#define VIRTIO_ARGO_DATA_HEAD_SIZE \
	(sizeof(struct virtio_argo_hdr) + sizeof(struct virtio_argo_data))

/**
 * struct virtio_argo_limits - What a receiver accepts.
 * @role: the receiver's enum virtio_argo_role
 * @version: negotiated protocol version; 0 until HELLO completes, which
 *	makes every message but HELLO and its reply fail
 * @max_batch: most elements in one EVENT_AVAIL or EVENT_USED list
 * @max_msg_size: largest message, header included
 * @num_queues: number of virtqueues
 * @max_queue_size: largest queue size
 * @num_feature_blocks: number of 32-bit feature blocks
 * @config_size: config space size in bytes
 * @queue_sizes: optional: @num_queues entries, the size each queue was set up
 *	with or 0; when given, events for a queue of size 0 are refused and
 *	ring positions are checked against the queue's own size
 *
 * A side decodes with its own limits and encodes with its view of the
 * peer's, so both checks use the same rules. Before GET_DEVICE_INFO has
 * been answered the device-dependent fields are 0, which refuses every
 * message that names a queue, feature block or config byte.
 */
struct virtio_argo_limits {
	u8 role;
	u8 version;
	u16 max_batch;
	u32 max_msg_size;
	u16 num_queues;
	u16 max_queue_size;
	u16 num_feature_blocks;
	u32 config_size;
	const u16 *queue_sizes;
};

/**
 * struct virtio_argo_msg - A message in host byte order.
 * @type: an enum virtio_argo_msg_type value
 * @version: protocol version in the header
 * @flags: %VIRTIO_ARGO_F_REPLY, %VIRTIO_ARGO_F_ERROR
 * @status: enum virtio_argo_status of an error reply, else 0
 * @request_id: request id, 0 in events and data messages
 * @hello: HELLO and its reply
 * @hello.min_version: lowest version the sender speaks
 * @hello.max_version: highest version the sender speaks
 * @hello.max_batch: most list elements the sender accepts
 * @hello.max_msg_size: largest message the sender accepts
 * @hello.caps: capability bits
 * @hello.ctrl_port: the sender's control ring
 * @hello.data_port: the sender's data ring
 * @ping_cookie: PING and its reply
 * @device_info: GET_DEVICE_INFO reply
 * @device_info.device_id: virtio device id
 * @device_info.vendor_id: virtio vendor id
 * @device_info.config_size: config space size
 * @device_info.num_queues: number of virtqueues
 * @device_info.max_queue_size: largest queue size
 * @device_info.num_feature_blocks: number of feature blocks
 * @features: GET_FEATURES and SET_FEATURES
 * @features.index: first block
 * @features.count: number of blocks
 * @features.words: @features.count blocks when the message carries them
 * @config: GET_CONFIG and SET_CONFIG
 * @config.generation: generation (replies only)
 * @config.offset: byte offset
 * @config.size: number of bytes
 * @config.data: @config.size bytes when the message carries them
 * @generation: EVENT_CONFIG and the GET_CONFIG_GENERATION reply
 * @device_status: SET_STATUS, its reply and the GET_STATUS reply
 * @vqueue: SET_VQUEUE and RESET_VQUEUE (@vqueue.index only)
 * @vqueue.index: queue index
 * @vqueue.size: queue size
 * @vqueue.used_port: the driver's ring for used-ring updates
 * @vqueue.used_scheme: enum virtio_argo_used_scheme value
 * @avail: EVENT_AVAIL
 * @avail.index: queue index
 * @avail.avail_idx: avail idx after the event
 * @avail.num_descs: entries in @avail.descs
 * @avail.num_avail: entries in @avail.ring
 * @avail.descs: changed descriptor-table entries
 * @avail.ring: new avail-ring entries
 * @used: EVENT_USED
 * @used.index: queue index
 * @used.used_idx: used idx after the event
 * @used.num_used: entries in @used.elems
 * @used.elems: the used elements
 * @data: DATA_TO_DEVICE and DATA_TO_DRIVER
 * @data.token: buffer token of the mapping
 * @data.offset: byte offset into the mapping
 * @data.size: number of data bytes
 * @data.bytes: the data; NULL after virtio_argo_msg_decode_head()
 *
 * Arrays are left in wire format: decoding points them into the message
 * buffer (so they are as aligned as that buffer is; an 8-byte aligned
 * buffer gives natural alignment), and encoding copies them from wherever
 * they point. Build one with virtio_argo_msg_init() or
 * virtio_argo_msg_init_reply(), so that unused fields are zero.
 */
struct virtio_argo_msg {
	u8 type;
	u8 version;
	u16 flags;
	u16 status;
	u32 request_id;
	union {
		struct {
			u8 min_version;
			u8 max_version;
			u16 max_batch;
			u32 max_msg_size;
			u32 caps;
			u32 ctrl_port;
			u32 data_port;
		} hello;
		u64 ping_cookie;
		struct {
			u32 device_id;
			u32 vendor_id;
			u32 config_size;
			u16 num_queues;
			u16 max_queue_size;
			u16 num_feature_blocks;
		} device_info;
		struct {
			u16 index;
			u16 count;
			const __le32 *words;
		} features;
		struct {
			u32 generation;
			u32 offset;
			u32 size;
			const u8 *data;
		} config;
		u32 generation;
		u32 device_status;
		struct {
			u16 index;
			u16 size;
			u32 used_port;
			u8 used_scheme;
		} vqueue;
		struct {
			u16 index;
			u16 avail_idx;
			u16 num_descs;
			u16 num_avail;
			const struct virtio_argo_desc *descs;
			const __le16 *ring;
		} avail;
		struct {
			u16 index;
			u16 used_idx;
			u16 num_used;
			const struct virtio_argo_used_elem *elems;
		} used;
		struct {
			u64 token;
			u32 offset;
			u32 size;
			const void *bytes;
		} data;
	};
};

/**
 * virtio_argo_msg_init() - Start a request or one-way message.
 * @msg: message to fill
 * @version: protocol version (the negotiated one; for HELLO, the highest
 *	version the sender speaks)
 * @type: an enum virtio_argo_msg_type value
 * @request_id: nonzero for a request, 0 for an event or data message
 */
static inline void virtio_argo_msg_init(struct virtio_argo_msg *msg,
					u8 version, u8 type, u32 request_id)
{
	*msg = (struct virtio_argo_msg) {
		.type = type,
		.version = version,
		.request_id = request_id,
	};
}

/**
 * virtio_argo_msg_init_reply() - Start the reply to a request.
 * @reply: message to fill
 * @req: the decoded request
 * @status: %VIRTIO_ARGO_S_OK, or the status of an error reply (which has no
 *	payload)
 *
 * The reply has the request's version, except that a HELLO reply has the
 * replier's highest version: a HELLO's version says which layout it has.
 */
static inline void virtio_argo_msg_init_reply(struct virtio_argo_msg *reply,
					      const struct virtio_argo_msg *req,
					      u16 status)
{
	*reply = (struct virtio_argo_msg) {
		.type = req->type,
		.version = req->type == VIRTIO_ARGO_MSG_HELLO ?
			   VIRTIO_ARGO_VERSION_MAX : req->version,
		.flags = VIRTIO_ARGO_F_REPLY |
			 (status ? VIRTIO_ARGO_F_ERROR : 0),
		.status = status,
		.request_id = req->request_id,
	};
}

int virtio_argo_hdr_decode(const void *buf, size_t len,
			   const struct virtio_argo_limits *lim,
			   struct virtio_argo_msg *out);
int virtio_argo_msg_decode(const void *buf, size_t len,
			   const struct virtio_argo_limits *lim,
			   struct virtio_argo_msg *out);
int virtio_argo_msg_decode_head(const void *buf, size_t len, size_t msg_len,
				const struct virtio_argo_limits *lim,
				struct virtio_argo_msg *out);
size_t virtio_argo_msg_size(const struct virtio_argo_msg *msg);
ssize_t virtio_argo_msg_encode(const struct virtio_argo_msg *msg,
			       const struct virtio_argo_limits *peer,
			       void *buf, size_t size);
ssize_t virtio_argo_msg_encode_head(const struct virtio_argo_msg *msg,
				    const struct virtio_argo_limits *peer,
				    void *buf, size_t size);
int virtio_argo_version_select(u8 own_min, u8 own_max, u8 peer_min,
			       u8 peer_max);
int virtio_argo_status_to_errno(u16 status);
u16 virtio_argo_errno_to_status(int err);
const char *virtio_argo_msg_type_name(u8 type);

#endif /* _LINUX_VIRTIO_ARGO_H */
