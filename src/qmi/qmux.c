/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qmi/qmux.h"

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

size_t qmi_hdr_len(uint8_t service)
{
	return service == QMI_SVC_CTL ? QMI_CTL_HDR_LEN : QMI_SVC_HDR_LEN;
}

/* The response/indication bits sit at different positions for CTL and the other services. */
static int flags_to_kind(uint8_t service, uint8_t flags, enum qmi_msg_kind *kind)
{
	uint8_t resp = service == QMI_SVC_CTL ? QMI_CTL_FLAG_RESPONSE : QMI_SVC_FLAG_RESPONSE;
	uint8_t ind = service == QMI_SVC_CTL ? QMI_CTL_FLAG_INDICATION : QMI_SVC_FLAG_INDICATION;

	if ((flags & resp) && (flags & ind))
		return -EBADMSG; /* ambiguous: guessing would hand out a wrong frame */
	if (flags & resp)
		*kind = QMI_KIND_RESPONSE;
	else if (flags & ind)
		*kind = QMI_KIND_INDICATION;
	else
		*kind = QMI_KIND_REQUEST;
	return 0;
}

static uint8_t kind_to_flags(uint8_t service, enum qmi_msg_kind kind)
{
	bool ctl = service == QMI_SVC_CTL;

	switch (kind) {
	case QMI_KIND_RESPONSE:
		return ctl ? QMI_CTL_FLAG_RESPONSE : QMI_SVC_FLAG_RESPONSE;
	case QMI_KIND_INDICATION:
		return ctl ? QMI_CTL_FLAG_INDICATION : QMI_SVC_FLAG_INDICATION;
	case QMI_KIND_REQUEST:
		break;
	}
	return 0;
}

/* The TLVs must tile the payload exactly: a partial header or an overlong TLV is an error. */
static enum qmi_frame_err check_tlvs(const uint8_t *p, size_t left)
{
	while (left > 0) {
		size_t vlen;

		if (left < QMI_TLV_HDR_LEN)
			return QMI_FRAME_TLV_TRUNC;
		vlen = get_le16(p + 1);
		if (vlen > left - QMI_TLV_HDR_LEN)
			return QMI_FRAME_TLV_OVERRUN;
		p += QMI_TLV_HDR_LEN + vlen;
		left -= QMI_TLV_HDR_LEN + vlen;
	}
	return QMI_FRAME_OK;
}

/* Reads the QMUX and QMI header fields of buf (at least the whole header); no length checks
 * beyond what reading needs. */
static enum qmi_frame_err read_header(const uint8_t *buf, size_t len, struct qmi_frame *f)
{
	const uint8_t *q;

	if (!buf || len < QMI_QMUX_HDR_LEN)
		return QMI_FRAME_SHORT;
	if (buf[0] != QMI_QMUX_MARKER)
		return QMI_FRAME_BAD_MARKER;
	f->qmux_flags = buf[3];
	f->service = buf[4];
	f->client_id = buf[5];
	if (len < qmi_hdr_len(f->service))
		return QMI_FRAME_TRUNC_HEADER;
	q = buf + QMI_QMUX_HDR_LEN;
	f->qmi_flags = q[0];
	if (f->service == QMI_SVC_CTL) {
		f->txn = q[1];
		q += 2;
	} else {
		f->txn = get_le16(q + 1);
		q += 3;
	}
	f->msg_id = get_le16(q);
	f->tlvs_len = get_le16(q + 2);
	if (flags_to_kind(f->service, f->qmi_flags, &f->kind) < 0)
		return QMI_FRAME_BAD_KIND;
	return QMI_FRAME_OK;
}

int qmi_frame_parse(const uint8_t *buf, size_t len, struct qmi_frame *out, enum qmi_frame_err *why)
{
	enum qmi_frame_err err;
	struct qmi_frame f = { .raw = buf, .raw_len = len };
	size_t hdr;

	/* The lengths are checked before the kind, so a frame that lies about both reports its
	 * length first, as it always has. */
	err = read_header(buf, len, &f);
	if (err == QMI_FRAME_SHORT || err == QMI_FRAME_BAD_MARKER)
		goto out;
	if (get_le16(buf + 1) != len - 1) {
		err = QMI_FRAME_LEN_MISMATCH;
		goto out;
	}
	if (err == QMI_FRAME_TRUNC_HEADER)
		goto out;
	hdr = qmi_hdr_len(f.service);
	f.tlvs = buf + hdr;
	if (f.tlvs_len != len - hdr) {
		err = QMI_FRAME_TLV_LEN_MISMATCH;
		goto out;
	}
	if (err == QMI_FRAME_OK)
		err = check_tlvs(f.tlvs, f.tlvs_len);
	if (err == QMI_FRAME_OK && out)
		*out = f;
out:
	if (why)
		*why = err;
	return err == QMI_FRAME_OK ? 0 : -EBADMSG;
}

int qmi_frame_set_tlv_len(uint8_t *buf, size_t len, uint16_t tlv_len)
{
	if (len < QMI_QMUX_HDR_LEN || len < qmi_hdr_len(buf[4]))
		return -EINVAL;
	put_le16(buf + qmi_hdr_len(buf[4]) - 2, tlv_len);
	return 0;
}

int qmi_frame_peek(const uint8_t *buf, size_t len, struct qmi_frame *out)
{
	struct qmi_frame f = { .raw = buf, .raw_len = len };

	if (read_header(buf, len, &f) != QMI_FRAME_OK)
		return -EBADMSG;
	f.tlvs_len = 0;
	*out = f;
	return 0;
}

const char *qmi_frame_err_str(enum qmi_frame_err why)
{
	switch (why) {
	case QMI_FRAME_OK:
		return "valid frame";
	case QMI_FRAME_SHORT:
		return "frame shorter than the QMUX header";
	case QMI_FRAME_BAD_MARKER:
		return "bad QMUX marker (expected 0x01)";
	case QMI_FRAME_LEN_MISMATCH:
		return "QMUX length does not match the frame length";
	case QMI_FRAME_TRUNC_HEADER:
		return "QMUX length too short for the QMI header";
	case QMI_FRAME_TLV_LEN_MISMATCH:
		return "QMI TLV length does not match the QMUX length";
	case QMI_FRAME_TLV_TRUNC:
		return "truncated TLV header";
	case QMI_FRAME_TLV_OVERRUN:
		return "TLV length runs past the end of the message";
	case QMI_FRAME_BAD_KIND:
		return "both response and indication flags set";
	case QMI_FRAME_TOO_BIG:
		return "QMUX length exceeds the largest supported frame";
	}
	return "unknown framing error";
}

void qmi_writer_init(struct qmi_writer *w, uint8_t *buf, size_t cap, uint8_t service, uint8_t cid,
		     enum qmi_msg_kind kind, uint16_t txn, uint16_t msg_id)
{
	size_t hdr = qmi_hdr_len(service);
	uint8_t *q;

	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->cap = cap;
	w->service = service;
	if (!buf || cap < hdr) {
		w->err = -EMSGSIZE;
		return;
	}
	if (service == QMI_SVC_CTL && txn > 0xFF) {
		w->err = -EINVAL; /* CTL transaction ids are 8 bits on the wire */
		return;
	}
	buf[0] = QMI_QMUX_MARKER;
	put_le16(buf + 1, 0); /* lengths are filled in by finish */
	buf[3] = 0x00;
	buf[4] = service;
	buf[5] = cid;
	q = buf + QMI_QMUX_HDR_LEN;
	q[0] = kind_to_flags(service, kind);
	if (service == QMI_SVC_CTL) {
		q[1] = (uint8_t)txn;
		q += 2;
	} else {
		put_le16(q + 1, txn);
		q += 3;
	}
	put_le16(q, msg_id);
	put_le16(q + 2, 0);
	w->len = hdr;
}

void qmi_writer_set_qmux_flags(struct qmi_writer *w, uint8_t flags)
{
	if (!w->err)
		w->buf[3] = flags;
}

int qmi_writer_finish(struct qmi_writer *w, size_t *len)
{
	size_t hdr = qmi_hdr_len(w->service);

	if (!w->err && w->in_tlv)
		w->err = -EINVAL;
	/* Both length fields are u16; QMI_FRAME_MAX keeps us well inside them. */
	if (!w->err && w->len > QMI_FRAME_MAX)
		w->err = -EMSGSIZE;
	if (w->err)
		return w->err;
	put_le16(w->buf + 1, (uint16_t)(w->len - 1));
	put_le16(w->buf + hdr - 2, (uint16_t)(w->len - hdr));
	if (len)
		*len = w->len;
	return 0;
}

const char *qmi_service_name(uint8_t svc)
{
	/* Ids from libqmi's QmiService (qmi-enums.h), names in the lower case qmicli prints. */
	static const struct {
		uint8_t id;
		const char *name;
	} svcs[] = {
		{ 0x00, "ctl" },      { 0x01, "wds" },   { 0x02, "dms" },    { 0x03, "nas" },
		{ 0x04, "qos" },      { 0x05, "wms" },   { 0x06, "pds" },    { 0x07, "auth" },
		{ 0x08, "at" },       { 0x09, "voice" }, { 0x0A, "cat2" },   { 0x0B, "uim" },
		{ 0x0C, "pbm" },      { 0x0D, "qchat" }, { 0x0E, "rmtfs" },  { 0x0F, "test" },
		{ 0x10, "loc" },      { 0x11, "sar" },   { 0x12, "ims" },    { 0x13, "adc" },
		{ 0x14, "csd" },      { 0x15, "mfs" },   { 0x16, "time" },   { 0x17, "ts" },
		{ 0x18, "tmd" },      { 0x19, "sap" },   { 0x1A, "wda" },    { 0x1B, "tsync" },
		{ 0x1C, "rfsa" },     { 0x1D, "csvt" },  { 0x1E, "qcmap" },  { 0x1F, "imsp" },
		{ 0x20, "imsvt" },    { 0x21, "imsa" },  { 0x22, "coex" },   { 0x24, "pdc" },
		{ 0x26, "stx" },      { 0x27, "bit" },   { 0x28, "imsrtp" }, { 0x29, "rfrpe" },
		{ 0x2A, "dsd" },      { 0x2B, "ssctl" }, { 0x2F, "dpm" },    { 0x32, "uim-rmt" },
		{ 0x47, "uim-http" }, { 0xE0, "cat" },   { 0xE1, "rms" },    { 0xE2, "oma" },
		{ 0xE3, "fox" },      { 0xE6, "fota" },  { 0xE7, "gms" },    { 0xE8, "gas" },
		{ 0xED, "atr" },
	};

	for (size_t i = 0; i < sizeof(svcs) / sizeof(svcs[0]); i++) {
		if (svcs[i].id == svc)
			return svcs[i].name;
	}
	return NULL;
}

const char *qmi_service_label(uint8_t svc, char *buf, size_t len)
{
	const char *n = qmi_service_name(svc);

	if (n)
		return n;
	snprintf(buf, len, "0x%02x", svc);
	return buf;
}

const char *qmi_kind_name(enum qmi_msg_kind kind)
{
	switch (kind) {
	case QMI_KIND_REQUEST:
		return "request";
	case QMI_KIND_RESPONSE:
		return "response";
	case QMI_KIND_INDICATION:
		return "indication";
	}
	return "unknown";
}
