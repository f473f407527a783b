/* SPDX-License-Identifier: MIT */
#include "qmi/qmap.h"

#include <errno.h>
#include <string.h>

void qmi_qmap_iter_init(struct qmi_qmap_iter *it, const uint8_t *buf, size_t len)
{
	it->p = buf;
	it->left = buf ? len : 0;
}

int qmi_qmap_next(struct qmi_qmap_iter *it, struct qmi_qmap_frame *out)
{
	size_t plen;
	uint8_t b0;

	memset(out, 0, sizeof(*out));
	if (!it->left)
		return 0;
	if (it->left < QMI_QMAP_HDR_LEN)
		goto truncated;
	b0 = it->p[0];
	plen = (size_t)it->p[2] << 8 | it->p[3];
	if (plen > it->left - QMI_QMAP_HDR_LEN)
		goto truncated; /* no trustworthy way to find the next header */
	out->mux_id = it->p[1];
	out->pad = b0 & QMI_QMAP_PAD_MASK;
	out->pkt = it->p + QMI_QMAP_HDR_LEN;
	it->p += QMI_QMAP_HDR_LEN + plen;
	it->left -= QMI_QMAP_HDR_LEN + plen;
	if (b0 & QMI_QMAP_CMD_FLAG) {
		out->kind = QMI_QMAP_COMMAND;
		out->len = plen;
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
	       a->len <= a->cap && a->cap - a->len >= QMI_QMAP_HDR_LEN + padded(a, max_len);
}

uint8_t *qmi_qmap_agg_reserve(struct qmi_qmap_agg *a, size_t max_len)
{
	if (!max_len || !qmi_qmap_agg_room(a, max_len))
		return NULL;
	return a->buf + a->len + QMI_QMAP_HDR_LEN;
}

int qmi_qmap_agg_commit(struct qmi_qmap_agg *a, size_t len)
{
	size_t plen = padded(a, len);
	uint8_t *hdr = a->buf + a->len;

	if (!len || !qmi_qmap_agg_room(a, len))
		return -EMSGSIZE;
	memset(hdr + QMI_QMAP_HDR_LEN + len, 0, plen - len);
	qmi_qmap_put_hdr(hdr, false, a->mux_id, (unsigned)(plen - len), plen);
	a->len += QMI_QMAP_HDR_LEN + plen;
	a->frames++;
	return 0;
}

int qmi_qmap_agg_add(struct qmi_qmap_agg *a, const uint8_t *pkt, size_t len)
{
	uint8_t *dst;

	if (!len || len > QMI_QMAP_MAX_PAYLOAD - 3 || QMI_QMAP_HDR_LEN + padded(a, len) > a->cap)
		return -EMSGSIZE;
	dst = qmi_qmap_agg_reserve(a, len);
	if (!dst)
		return -ENOSPC;
	memmove(dst, pkt, len);
	return qmi_qmap_agg_commit(a, len);
}
