/* SPDX-License-Identifier: MIT */
/*
 * QMUX + QMI framing: strict parsing of one frame and a writer that builds one frame into a
 * caller buffer. Pure functions over bytes; the bytes come from an untrusted device, so every
 * length is checked against the buffer before use.
 *
 * Wire layout (little-endian):
 *   u8 marker 0x01 | u16 qmux_len | u8 qmux_flags | u8 service | u8 client_id |
 *   CTL:   u8 qmi_flags | u8  txn | u16 msg_id | u16 tlv_len | TLVs      (12-byte header)
 *   other: u8 qmi_flags | u16 txn | u16 msg_id | u16 tlv_len | TLVs      (13-byte header)
 */
#ifndef QMI_QMUX_H
#define QMI_QMUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	QMI_SVC_CTL = 0x00,
	QMI_SVC_WDS = 0x01,
	QMI_SVC_DMS = 0x02,
	QMI_SVC_NAS = 0x03,
	QMI_SVC_UIM = 0x0B,
	QMI_SVC_WDA = 0x1A
};

#define QMI_CID_NONE 0x00
#define QMI_CID_BROADCAST 0xFF
/* Largest frame we accept or build. Real modems stay far below it; it bounds the splitter. */
#define QMI_FRAME_MAX 8192

#define QMI_QMUX_MARKER 0x01
#define QMI_QMUX_HDR_LEN 6 /* marker + u16 length + flags + service + client id */
#define QMI_CTL_HDR_LEN 12 /* bytes before the TLVs of a CTL frame */
#define QMI_SVC_HDR_LEN 13 /* bytes before the TLVs of any other service's frame */
#define QMI_TLV_HDR_LEN 3

/* QMUX flags: libqmi sends requests with 0x00; frames built by a responder carry 0x80. */
#define QMI_QMUX_FLAG_SERVICE 0x80

/* QMI header flags differ between CTL and the other services (qmi-enums-private.h). */
#define QMI_CTL_FLAG_RESPONSE 0x01
#define QMI_CTL_FLAG_INDICATION 0x02
#define QMI_SVC_FLAG_COMPOUND 0x01
#define QMI_SVC_FLAG_RESPONSE 0x02
#define QMI_SVC_FLAG_INDICATION 0x04

enum qmi_msg_kind {
	QMI_KIND_REQUEST,
	QMI_KIND_RESPONSE,
	QMI_KIND_INDICATION
};

/* One distinct reason per violation, so a trace says exactly what the device got wrong. */
enum qmi_frame_err {
	QMI_FRAME_OK = 0,
	QMI_FRAME_SHORT,            /* fewer bytes than marker + QMUX header */
	QMI_FRAME_BAD_MARKER,       /* first byte is not 0x01 */
	QMI_FRAME_LEN_MISMATCH,     /* QMUX length != buffer length - 1 */
	QMI_FRAME_TRUNC_HEADER,     /* QMUX length too small for the CTL/service QMI header */
	QMI_FRAME_TLV_LEN_MISMATCH, /* QMI tlv_length != QMUX length - headers */
	QMI_FRAME_TLV_TRUNC,        /* payload ends inside a TLV header */
	QMI_FRAME_TLV_OVERRUN,      /* a TLV's length runs past the payload */
	QMI_FRAME_BAD_KIND,         /* response and indication flags both set */
	QMI_FRAME_TOO_BIG,          /* QMUX length can never fit QMI_FRAME_MAX (splitter) */
};

struct qmi_frame { /* validated view into caller-owned bytes */
	const uint8_t *raw;
	size_t raw_len;
	uint8_t qmux_flags, service, client_id, qmi_flags;
	enum qmi_msg_kind kind;
	uint16_t txn, msg_id; /* CTL txn is 8-bit on the wire */
	const uint8_t *tlvs;
	size_t tlvs_len;
};

/* Validates buf[0..len) as exactly one frame, TLVs included. 0, or -EBADMSG with *why set
 * (why may be NULL). On success out points into buf: the caller keeps buf alive. */
int qmi_frame_parse(const uint8_t *buf, size_t len, struct qmi_frame *out, enum qmi_frame_err *why);
/* The header of a frame that failed qmi_frame_parse(), so that whoever waits for it can be told
 * (a malformed response is not a lost one). buf must hold at least the QMI header; nothing past
 * it is read or trusted: out gets the header fields with no TLVs. 0 or -EBADMSG. */
int qmi_frame_peek(const uint8_t *buf, size_t len, struct qmi_frame *out);
const char *qmi_frame_err_str(enum qmi_frame_err why);
/* Bytes before the TLVs for that service: 12 for CTL, 13 otherwise. */
size_t qmi_hdr_len(uint8_t service);

/* Overwrites the TLV length in the QMI header of buf[0..len), a frame whose header is complete
 * (fault injection: lengths that disagree). 0, or -EINVAL when len cannot hold the header. */
int qmi_frame_set_tlv_len(uint8_t *buf, size_t len, uint16_t tlv_len);

/* Builds one frame into a caller buffer. Errors are sticky: a chain of puts is checked once at
 * qmi_writer_finish(). The caller owns buf; the writer only remembers the pointer. */
struct qmi_writer {
	uint8_t *buf;
	size_t cap;
	size_t len;       /* bytes written so far, headers included */
	size_t tlv_start; /* offset of the open TLV's header */
	bool in_tlv;
	int err; /* 0 or the first -errno */
	uint8_t service;
};

/* txn must fit 8 bits for CTL (else the writer is poisoned with -EINVAL). */
void qmi_writer_init(struct qmi_writer *w, uint8_t *buf, size_t cap, uint8_t service, uint8_t cid,
		     enum qmi_msg_kind kind, uint16_t txn, uint16_t msg_id);
/* Responders (the sim, the proxy) mark their frames with 0x80 as libqmi does. */
void qmi_writer_set_qmux_flags(struct qmi_writer *w, uint8_t flags);
/* Fills in the lengths. 0 and *len = frame length, or -EMSGSIZE (did not fit) / -EINVAL
 * (bad txn, unterminated TLV). len may be NULL. */
int qmi_writer_finish(struct qmi_writer *w, size_t *len);

const char *qmi_service_name(uint8_t svc); /* "ctl", "wds", "dms", ...; NULL if unknown */
/* The name, or the number ("0x2c") written into buf (8 bytes are enough) when it has none. */
const char *qmi_service_label(uint8_t svc, char *buf, size_t len);
const char *qmi_kind_name(enum qmi_msg_kind kind); /* "request", "response", "indication" */

#endif
