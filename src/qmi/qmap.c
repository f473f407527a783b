/* SPDX-License-Identifier: MIT */
#include "qmi/qmap.h"

#include <errno.h>
#include <string.h>

void qmi_qmap_iter_init(struct qmi_qmap_iter *it, const uint8_t *buf, size_t len)
{
	it->p = buf;
	it->left = buf ? len : 0;
	it->v5 = false;
}

void qmi_qmap_iter_init_v5(struct qmi_qmap_iter *it, const uint8_t *buf, size_t len)
{
	qmi_qmap_iter_init(it, buf, len);
	it->v5 = true;
}

/* The frame's v5 checksum header, when the iterator is in v5 mode: the kind it leaves. */
static enum qmi_qmap_bad read_v5(const uint8_t *h, struct qmi_qmap_frame *out)
{
	/* Only the checksum header is defined; behind a chain the packet's start is unknown. */
	if (h[0] >> 1 != QMI_QMAP_V5_TYPE_CSUM || (h[0] & 1))
		return QMI_QMAP_BAD_V5_HDR;
	out->csum_hdr = true;
	out->csum_valid = h[1] & QMI_QMAP_V5_CSUM_FLAG;
	return QMI_QMAP_BAD_NONE;
}

int qmi_qmap_next(struct qmi_qmap_iter *it, struct qmi_qmap_frame *out)
{
	enum qmi_qmap_bad why = QMI_QMAP_BAD_NONE;
	size_t plen, hl = QMI_QMAP_HDR_LEN;
	uint8_t b0;

	memset(out, 0, sizeof(*out));
	if (!it->left)
		return 0;
	if (it->left < QMI_QMAP_HDR_LEN)
		goto truncated;
	b0 = it->p[0];
	plen = (size_t)it->p[2] << 8 | it->p[3];
	if (it->v5 && !(b0 & QMI_QMAP_CMD_FLAG)) {
		if (b0 & QMI_QMAP_NEXT_HDR)
			hl += QMI_QMAP_V5_HDR_LEN;
		else
			why = QMI_QMAP_BAD_NO_V5;
	}
	if (hl > it->left || plen > it->left - hl)
		goto truncated; /* no trustworthy way to find the next header */
	if (hl > QMI_QMAP_HDR_LEN)
		why = read_v5(it->p + QMI_QMAP_HDR_LEN, out);
	out->mux_id = it->p[1];
	out->pad = b0 & QMI_QMAP_PAD_MASK;
	out->pkt = it->p + hl;
	it->p += hl + plen;
	it->left -= hl + plen;
	if (b0 & QMI_QMAP_CMD_FLAG) {
		out->kind = QMI_QMAP_COMMAND;
		out->len = plen;
	} else if (why != QMI_QMAP_BAD_NONE) {
		out->kind = QMI_QMAP_BAD;
		out->why = why;
	} else if (!plen) {
		out->kind = QMI_QMAP_BAD;
		out->why = QMI_QMAP_BAD_EMPTY;
	} else if (out->pad >= plen) {
		out->kind = QMI_QMAP_BAD;
		out->why = QMI_QMAP_BAD_PAD;
	} else {
		out->kind = QMI_QMAP_DATA;
		out->len = plen - out->pad;
	}
	return 1;
truncated:
	it->p += it->left;
	it->left = 0;
	return -EBADMSG;
}

int qmi_qmap_put_hdr(uint8_t hdr[QMI_QMAP_HDR_LEN], bool command, uint8_t mux_id, unsigned pad,
		     size_t payload_len)
{
	if (!payload_len || payload_len > QMI_QMAP_MAX_PAYLOAD || pad > QMI_QMAP_PAD_MASK ||
	    pad >= payload_len)
		return -EINVAL;
	hdr[0] = (uint8_t)((command ? QMI_QMAP_CMD_FLAG : 0) | pad);
	hdr[1] = mux_id;
	hdr[2] = (uint8_t)(payload_len >> 8);
	hdr[3] = (uint8_t)payload_len;
	return 0;
}

void qmi_qmap_put_v5_csum(uint8_t hdr[QMI_QMAP_V5_HDR_LEN], bool csum_req)
{
	hdr[0] = QMI_QMAP_V5_TYPE_CSUM << 1;
	hdr[1] = csum_req ? QMI_QMAP_V5_CSUM_FLAG : 0;
	hdr[2] = 0;
	hdr[3] = 0;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int qmi_qmap_cmd_parse(const uint8_t *payload, size_t len, struct qmi_qmap_cmd *out)
{
	memset(out, 0, sizeof(*out));
	if (!payload || len < QMI_QMAP_CMD_HDR_LEN)
		return -EBADMSG;
	out->name = payload[0];
	out->type = payload[1] & 3;
	out->txn = get_be32(payload + 4);
	if (len >= QMI_QMAP_CMD_FLOW_LEN) {
		out->has_flow = true;
		out->ip_family = payload[9];
		out->seq = (uint16_t)(payload[10] << 8 | payload[11]);
		out->qos_id = get_be32(payload + 12);
	}
	return 0;
}

int qmi_qmap_cmd_answer(uint8_t *out, size_t cap, uint8_t mux_id, const uint8_t *payload,
			size_t len, enum qmi_qmap_cmd_type type)
{
	if (!payload || len < QMI_QMAP_CMD_HDR_LEN || len > QMI_QMAP_CMD_MAX ||
	    cap < QMI_QMAP_HDR_LEN + len)
		return -EMSGSIZE;
	qmi_qmap_put_hdr(out, true, mux_id, 0, len);
	memmove(out + QMI_QMAP_HDR_LEN, payload, len);
	out[QMI_QMAP_HDR_LEN + 1] = (uint8_t)((out[QMI_QMAP_HDR_LEN + 1] & ~3u) | (type & 3u));
	return (int)(QMI_QMAP_HDR_LEN + len);
}

int qmi_qmap_cmd_build(uint8_t *out, size_t cap, uint8_t mux_id, const struct qmi_qmap_cmd *c)
{
	uint8_t *p = out + QMI_QMAP_HDR_LEN;

	if (cap < QMI_QMAP_HDR_LEN + QMI_QMAP_CMD_FLOW_LEN)
		return -EMSGSIZE;
	qmi_qmap_put_hdr(out, true, mux_id, 0, QMI_QMAP_CMD_FLOW_LEN);
	memset(p, 0, QMI_QMAP_CMD_FLOW_LEN);
	p[0] = c->name;
	p[1] = c->type & 3;
	put_be32(p + 4, c->txn);
	p[9] = c->ip_family;
	p[10] = (uint8_t)(c->seq >> 8);
	p[11] = (uint8_t)c->seq;
	put_be32(p + 12, c->qos_id);
	return QMI_QMAP_HDR_LEN + QMI_QMAP_CMD_FLOW_LEN;
}

void qmi_qmap_agg_init(struct qmi_qmap_agg *a, uint8_t *buf, size_t cap, unsigned max_frames,
		       uint8_t mux_id, bool align4)
{
	a->buf = buf;
	a->cap = buf ? cap : 0;
	a->len = 0;
	a->frames = 0;
	a->max_frames = max_frames ? max_frames : 1;
	a->mux_id = mux_id;
	a->align4 = align4;
	a->v5 = false;
	a->csum_req = false;
	a->hdr_len = QMI_QMAP_HDR_LEN;
}

int qmi_qmap_agg_set_v5(struct qmi_qmap_agg *a, bool v5, bool csum_req)
{
	if (a->len)
		return -EBUSY;
	a->v5 = v5;
	a->csum_req = v5 && csum_req;
	a->hdr_len = QMI_QMAP_HDR_LEN + (v5 ? QMI_QMAP_V5_HDR_LEN : 0);
	return 0;
}

void qmi_qmap_agg_reset(struct qmi_qmap_agg *a)
{
	a->len = 0;
	a->frames = 0;
}

static size_t padded(const struct qmi_qmap_agg *a, size_t len)
{
	return a->align4 ? (len + 3) & ~(size_t)3 : len;
}

bool qmi_qmap_agg_room(const struct qmi_qmap_agg *a, size_t max_len)
{
	return a->frames < a->max_frames && max_len <= QMI_QMAP_MAX_PAYLOAD - 3 &&
	       a->len <= a->cap && a->cap - a->len >= a->hdr_len + padded(a, max_len);
}

uint8_t *qmi_qmap_agg_reserve(struct qmi_qmap_agg *a, size_t max_len)
{
	if (!max_len || !qmi_qmap_agg_room(a, max_len))
		return NULL;
	return a->buf + a->len + a->hdr_len;
}

int qmi_qmap_agg_commit(struct qmi_qmap_agg *a, size_t len)
{
	size_t plen = padded(a, len);
	uint8_t *hdr = a->buf + a->len;

	if (!len || !qmi_qmap_agg_room(a, len))
		return -EMSGSIZE;
	memset(hdr + a->hdr_len + len, 0, plen - len);
	qmi_qmap_put_hdr(hdr, false, a->mux_id, (unsigned)(plen - len), plen);
	if (a->v5) {
		hdr[0] |= QMI_QMAP_NEXT_HDR;
		qmi_qmap_put_v5_csum(hdr + QMI_QMAP_HDR_LEN, a->csum_req);
	}
	a->last = a->len;
	a->len += a->hdr_len + plen;
	a->frames++;
	return 0;
}

void qmi_qmap_agg_ask_csum(struct qmi_qmap_agg *a)
{
	if (a->v5 && a->frames)
		qmi_qmap_put_v5_csum(a->buf + a->last + QMI_QMAP_HDR_LEN, true);
}

int qmi_qmap_agg_add(struct qmi_qmap_agg *a, const uint8_t *pkt, size_t len)
{
	uint8_t *dst;

	if (!len || len > QMI_QMAP_MAX_PAYLOAD - 3 || a->hdr_len + padded(a, len) > a->cap)
		return -EMSGSIZE;
	dst = qmi_qmap_agg_reserve(a, len);
	if (!dst)
		return -ENOSPC;
	memmove(dst, pkt, len);
	return qmi_qmap_agg_commit(a, len);
}
