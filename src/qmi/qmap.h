/* SPDX-License-Identifier: MIT */
/*
 * QMAP (MAP v1): the framing a modem uses when WDA Set Data Format enables aggregation protocol
 * 5. Each IP packet travels behind a 4-byte header:
 *
 *   byte 0   bit 7 C/D (1 = command frame), bit 6 reserved, bits 5..0 pad length
 *   byte 1   mux id
 *   byte 2-3 payload length, big-endian: the packet plus its padding, not the header
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

enum qmi_qmap_kind {
	QMI_QMAP_DATA,    /* an IP packet: pkt/len (padding removed), mux_id */
	QMI_QMAP_COMMAND, /* C/D = 1 (flow control etc.): skipped by data paths, counted */
	QMI_QMAP_BAD,     /* a frame that can be stepped over but carries nothing usable */
};

enum qmi_qmap_bad {
	QMI_QMAP_BAD_NONE,
	QMI_QMAP_BAD_EMPTY, /* payload length 0 */
	QMI_QMAP_BAD_PAD,   /* pad length >= payload length */
};

struct qmi_qmap_frame {
	enum qmi_qmap_kind kind;
	enum qmi_qmap_bad why; /* for QMI_QMAP_BAD */
	uint8_t mux_id;
	uint8_t pad;
	const uint8_t *pkt; /* into the aggregate; the packet without its padding */
	size_t len;
};

/* Walks one aggregate. The bytes stay the caller's and must outlive the iterator. */
struct qmi_qmap_iter {
	const uint8_t *p;
	size_t left;
};

void qmi_qmap_iter_init(struct qmi_qmap_iter *it, const uint8_t *buf, size_t len);
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
};

void qmi_qmap_agg_init(struct qmi_qmap_agg *a, uint8_t *buf, size_t cap, unsigned max_frames,
		       uint8_t mux_id, bool align4);
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

#endif
