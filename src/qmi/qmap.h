/* SPDX-License-Identifier: MIT */
/*
 * QMAP (MAP v1): the framing a modem uses when WDA Set Data Format enables aggregation protocol
 * 5. Each IP packet travels behind a 4-byte header:
 *
 *   byte 0   bit 7 C/D (1 = command frame), bit 6 next header (v5), bits 5..0 pad length
 *   byte 1   mux id
 *   byte 2-3 payload length, big-endian: the packet plus its padding, not the header
 *
 * MAP v5 (aggregation protocol 9) puts a 4-byte checksum offload header between the MAP header
 * and every data packet (byte 0 bit 6 says it is there; the payload length does not count it):
 *
 *   byte 0   bits 7..1 header type (2: checksum offload), bit 0 another header follows
 *   byte 1   bit 7: downlink, the modem found the packet's checksum valid; uplink, the modem is
 *            asked to compute it
 *   byte 2-3 reserved
 *
 * A command frame (C/D = 1) carries no such header. Its payload: command name, command type
 * (low 2 bits of byte 1), two reserved bytes, a big-endian transaction id, then the command's
 * own fields (flow control: reserved, IP family, big-endian sequence number, big-endian QoS id).
 * A modem disables and enables the host's uplink per mux id with them; the host echoes each
 * request back with the type changed to "ack".
 *
 * An aggregate is several such frames back to back in one USB transfer. Everything here is pure
 * and works on caller-owned bytes; the aggregate comes from the (untrusted) modem or host, so
 * every length is checked against the buffer before it is used.
 */
#ifndef QMI_QMAP_H
#define QMI_QMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QMI_QMAP_HDR_LEN 4
#define QMI_QMAP_CMD_FLAG 0x80
#define QMI_QMAP_PAD_MASK 0x3F
#define QMI_QMAP_MAX_PAYLOAD 0xFFFF
#define QMI_QMAP_NEXT_HDR 0x40
#define QMI_QMAP_V5_HDR_LEN 4
#define QMI_QMAP_V5_TYPE_CSUM 2
#define QMI_QMAP_V5_CSUM_FLAG 0x80 /* valid (downlink) / requested (uplink) */
#define QMI_QMAP_CMD_HDR_LEN 8     /* name, type, reserved, transaction id */
#define QMI_QMAP_CMD_FLOW_LEN 16   /* with the flow control fields */
#define QMI_QMAP_CMD_MAX 64        /* longest command payload this codec echoes */

enum qmi_qmap_kind {
	QMI_QMAP_DATA,    /* an IP packet: pkt/len (padding removed), mux_id */
	QMI_QMAP_COMMAND, /* C/D = 1 (flow control etc.): skipped by data paths, counted */
	QMI_QMAP_BAD,     /* a frame that can be stepped over but carries nothing usable */
};

enum qmi_qmap_bad {
	QMI_QMAP_BAD_NONE,
	QMI_QMAP_BAD_EMPTY,  /* payload length 0 */
	QMI_QMAP_BAD_PAD,    /* pad length >= payload length */
	QMI_QMAP_BAD_NO_V5,  /* v5: a data frame without its checksum header */
	QMI_QMAP_BAD_V5_HDR, /* v5: a next header of another type, or a chain of them */
};

struct qmi_qmap_frame {
	enum qmi_qmap_kind kind;
	enum qmi_qmap_bad why; /* for QMI_QMAP_BAD */
	uint8_t mux_id;
	uint8_t pad;
	bool csum_hdr;      /* v5: the checksum header was there */
	bool csum_valid;    /* v5: ... and says the modem found the checksum valid */
	const uint8_t *pkt; /* into the aggregate; the packet without its padding (a command's
			     * payload for QMI_QMAP_COMMAND) */
	size_t len;
};

/* Walks one aggregate. The bytes stay the caller's and must outlive the iterator. */
struct qmi_qmap_iter {
	const uint8_t *p;
	size_t left;
	bool v5;
};

void qmi_qmap_iter_init(struct qmi_qmap_iter *it, const uint8_t *buf, size_t len);
/* The same for MAP v5: every data frame must carry its checksum header. */
void qmi_qmap_iter_init_v5(struct qmi_qmap_iter *it, const uint8_t *buf, size_t len);
/*
 * 1: the next frame is in *out (check out->kind); 0: the aggregate ended cleanly;
 * -EBADMSG: the rest of the aggregate is unusable (a header cut short, or a length running past
 * the end); the frames before it were delivered, and the iterator is now at the end.
 */
int qmi_qmap_next(struct qmi_qmap_iter *it, struct qmi_qmap_frame *out);

/* Writes one header. payload_len includes pad. 0, or -EINVAL (pad > 63 or >= payload_len,
 * payload_len 0 or above 65535). */
int qmi_qmap_put_hdr(uint8_t hdr[QMI_QMAP_HDR_LEN], bool command, uint8_t mux_id, unsigned pad,
		     size_t payload_len);
/* The v5 checksum header for an uplink packet; csum_req asks the modem to compute the packet's
 * transport checksum (which must then hold the pseudo-header sum, as with any offload). */
void qmi_qmap_put_v5_csum(uint8_t hdr[QMI_QMAP_V5_HDR_LEN], bool csum_req);

/* MAP commands. */
enum qmi_qmap_cmd_name {
	QMI_QMAP_CMD_FLOW_DISABLE = 1, /* stop sending uplink data on this mux id */
	QMI_QMAP_CMD_FLOW_ENABLE = 2,  /* resume it */
};

enum qmi_qmap_cmd_type {
	QMI_QMAP_CMD_REQUEST = 0,
	QMI_QMAP_CMD_ACK = 1,
	QMI_QMAP_CMD_UNSUPPORTED = 2,
	QMI_QMAP_CMD_INVALID = 3,
};

struct qmi_qmap_cmd {
	uint8_t name; /* enum qmi_qmap_cmd_name, or another the codec does not know */
	uint8_t type; /* enum qmi_qmap_cmd_type */
	uint32_t txn;
	/* flow control only (has_flow) */
	bool has_flow;
	uint8_t ip_family;
	uint16_t seq;
	uint32_t qos_id;
};

/* Reads a command frame's payload (frame.pkt/len). 0, or -EBADMSG (shorter than the common
 * part). The flow control fields are read when the payload is long enough. */
int qmi_qmap_cmd_parse(const uint8_t *payload, size_t len, struct qmi_qmap_cmd *out);
/* The answer to a request: the whole frame (MAP header included) echoed with its type set, into
 * out (at least QMI_QMAP_HDR_LEN + len bytes). Returns the frame length, or -EMSGSIZE (payload
 * shorter than the common part, longer than QMI_QMAP_CMD_MAX, or out too small). */
int qmi_qmap_cmd_answer(uint8_t *out, size_t cap, uint8_t mux_id, const uint8_t *payload,
			size_t len, enum qmi_qmap_cmd_type type);
/* A command frame (MAP header included, QMI_QMAP_HDR_LEN + QMI_QMAP_CMD_FLOW_LEN bytes, the
 * flow control fields always present). Returns the frame length or -EMSGSIZE. */
int qmi_qmap_cmd_build(uint8_t *out, size_t cap, uint8_t mux_id, const struct qmi_qmap_cmd *c);

/*
 * Builds an aggregate in a caller-owned buffer, bounded by bytes (cap) and by frames
 * (max_frames, as negotiated with WDA). Packets are padded to 4 bytes when align4 is set (as
 * rmnet does; both ends strip it through the pad length).
 */
struct qmi_qmap_agg {
	uint8_t *buf;
	size_t cap, len;
	unsigned frames, max_frames;
	uint8_t mux_id;
	bool align4;
	bool v5, csum_req; /* qmi_qmap_agg_set_v5 */
	size_t hdr_len;    /* per frame: 4, or 8 with the v5 checksum header */
	size_t last;       /* where the frame committed last starts */
};

void qmi_qmap_agg_init(struct qmi_qmap_agg *a, uint8_t *buf, size_t cap, unsigned max_frames,
		       uint8_t mux_id, bool align4);
/* Frames built from now on carry the v5 checksum header (csum_req: see qmi_qmap_put_v5_csum).
 * Only between aggregates (a->len == 0): -EBUSY otherwise. */
int qmi_qmap_agg_set_v5(struct qmi_qmap_agg *a, bool v5, bool csum_req);
void qmi_qmap_agg_reset(struct qmi_qmap_agg *a);
/* Room for a packet of up to max_len bytes (header and padding counted)? */
bool qmi_qmap_agg_room(const struct qmi_qmap_agg *a, size_t max_len);
/* Copies one packet in: 0, -ENOSPC (does not fit now: send the aggregate first), or -EMSGSIZE
 * (could never fit, or empty). */
int qmi_qmap_agg_add(struct qmi_qmap_agg *a, const uint8_t *pkt, size_t len);
/* Zero-copy form: where a packet of up to max_len bytes may be written (NULL if there is no
 * room), then qmi_qmap_agg_commit() with its real length (0 < len <= max_len). */
uint8_t *qmi_qmap_agg_reserve(struct qmi_qmap_agg *a, size_t max_len);
int qmi_qmap_agg_commit(struct qmi_qmap_agg *a, size_t len);
/* v5: the frame committed last asks the modem to compute its transport checksum (a packet whose
 * checksum is only partial), whatever csum_req said. Nothing without v5 or a frame. */
void qmi_qmap_agg_ask_csum(struct qmi_qmap_agg *a);

#endif
