/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include "qmi/tlv.h"

void qmi_tlv_iter_init(struct qmi_tlv_iter *it, const uint8_t *tlvs, size_t len)
{
	it->p = tlvs;
	it->left = tlvs ? len : 0;
}

int qmi_tlv_next(struct qmi_tlv_iter *it, struct qmi_tlv *out)
{
	size_t vlen;

	if (it->left == 0)
		return 0;
	if (it->left < QMI_TLV_HDR_LEN)
		goto bad;
	vlen = (size_t)(it->p[1] | (it->p[2] << 8));
	if (vlen > it->left - QMI_TLV_HDR_LEN)
		goto bad;
	out->type = it->p[0];
	out->len = (uint16_t)vlen;
	out->val = it->p + QMI_TLV_HDR_LEN;
	it->p += QMI_TLV_HDR_LEN + vlen;
	it->left -= QMI_TLV_HDR_LEN + vlen;
	return 1;
bad:
	/* Park at the end so a caller that ignores the error cannot loop forever. */
	it->left = 0;
	return -EBADMSG;
}

int qmi_tlv_find(const uint8_t *tlvs, size_t len, uint8_t type, struct qmi_tlv *out)
{
	struct qmi_tlv_iter it;
	struct qmi_tlv t;
	int r;

	qmi_tlv_iter_init(&it, tlvs, len);
	while ((r = qmi_tlv_next(&it, &t)) > 0) {
		if (t.type == type) {
			if (out)
				*out = t;
			return 0;
		}
	}
	return r < 0 ? r : -ENOENT;
}

void qmi_cursor_init(struct qmi_cursor *c, const uint8_t *p, size_t len)
{
	c->p = p;
	c->left = p ? len : 0;
	c->err = 0;
}

const uint8_t *qmi_cursor_take(struct qmi_cursor *c, size_t n)
{
	const uint8_t *p;

	if (c->err || n > c->left) {
		c->err = -EBADMSG;
		return NULL;
	}
	p = c->p;
	c->p += n;
	c->left -= n;
	return p;
}

/* Little-endian assembly byte by byte: no unaligned loads, no host-endianness assumptions. */
static uint64_t cursor_le(struct qmi_cursor *c, size_t n)
{
	const uint8_t *p = qmi_cursor_take(c, n);
	uint64_t v = 0;

	if (!p)
		return 0;
	for (size_t i = n; i-- > 0;)
		v = (v << 8) | p[i];
	return v;
}

uint8_t qmi_cursor_u8(struct qmi_cursor *c)
{
	return (uint8_t)cursor_le(c, 1);
}

uint16_t qmi_cursor_u16(struct qmi_cursor *c)
{
	return (uint16_t)cursor_le(c, 2);
}

uint32_t qmi_cursor_u32(struct qmi_cursor *c)
{
	return (uint32_t)cursor_le(c, 4);
}

uint64_t qmi_cursor_u64(struct qmi_cursor *c)
{
	return cursor_le(c, 8);
}

uint16_t qmi_cursor_u16be(struct qmi_cursor *c)
{
	const uint8_t *p = qmi_cursor_take(c, 2);

	return p ? (uint16_t)((p[0] << 8) | p[1]) : 0;
}

int qmi_cursor_bytes(struct qmi_cursor *c, void *dst, size_t n)
{
	const uint8_t *p = qmi_cursor_take(c, n);

	if (!p) {
		if (n)
			memset(dst, 0, n);
		return c->err;
	}
	if (n)
		memcpy(dst, p, n);
	return 0;
}

/* Reserves n bytes inside an open TLV; NULL (and a sticky error) when that is impossible. */
static uint8_t *writer_room(struct qmi_writer *w, size_t n)
{
	uint8_t *p;

	if (w->err)
		return NULL;
	if (!w->in_tlv) {
		w->err = -EINVAL;
		return NULL;
	}
	if (n > w->cap - w->len || n > QMI_FRAME_MAX - w->len) {
		w->err = -EMSGSIZE;
		return NULL;
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

static int writer_le(struct qmi_writer *w, uint64_t v, size_t n)
{
	uint8_t *p = writer_room(w, n);

	if (!p)
		return w->err;
	for (size_t i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
	return 0;
}

int qmi_writer_tlv_begin(struct qmi_writer *w, uint8_t type)
{
	if (w->err)
		return w->err;
	if (w->in_tlv) {
		w->err = -EINVAL; /* TLVs do not nest on the wire; structs go inside one TLV */
		return w->err;
	}
	if (QMI_TLV_HDR_LEN > w->cap - w->len) {
		w->err = -EMSGSIZE;
		return w->err;
	}
	w->tlv_start = w->len;
	w->buf[w->len] = type;
	w->len += QMI_TLV_HDR_LEN;
	w->in_tlv = true;
	return 0;
}

int qmi_writer_put_u8(struct qmi_writer *w, uint8_t v)
{
	return writer_le(w, v, 1);
}

int qmi_writer_put_u16(struct qmi_writer *w, uint16_t v)
{
	return writer_le(w, v, 2);
}

int qmi_writer_put_u32(struct qmi_writer *w, uint32_t v)
{
	return writer_le(w, v, 4);
}

int qmi_writer_put_u64(struct qmi_writer *w, uint64_t v)
{
	return writer_le(w, v, 8);
}

int qmi_writer_put_u16be(struct qmi_writer *w, uint16_t v)
{
	uint8_t *p = writer_room(w, 2);

	if (!p)
		return w->err;
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 0;
}

int qmi_writer_put_bytes(struct qmi_writer *w, const void *src, size_t n)
{
	uint8_t *p = writer_room(w, n);

	if (!p)
		return w->err;
	if (n)
		memcpy(p, src, n);
	return 0;
}

int qmi_writer_tlv_end(struct qmi_writer *w)
{
	size_t vlen;

	if (w->err)
		return w->err;
	if (!w->in_tlv) {
		w->err = -EINVAL;
		return w->err;
	}
	vlen = w->len - w->tlv_start - QMI_TLV_HDR_LEN;
	if (vlen > UINT16_MAX) {
		w->err = -EMSGSIZE;
		return w->err;
	}
	w->buf[w->tlv_start + 1] = (uint8_t)vlen;
	w->buf[w->tlv_start + 2] = (uint8_t)(vlen >> 8);
	w->in_tlv = false;
	return 0;
}

int qmi_writer_tlv(struct qmi_writer *w, uint8_t type, const void *val, size_t len)
{
	qmi_writer_tlv_begin(w, type);
	qmi_writer_put_bytes(w, val, len);
	return qmi_writer_tlv_end(w);
}

int qmi_writer_result(struct qmi_writer *w, uint16_t status, uint16_t error)
{
	qmi_writer_tlv_begin(w, QMI_TLV_RESULT);
	qmi_writer_put_u16(w, status);
	qmi_writer_put_u16(w, error);
	return qmi_writer_tlv_end(w);
}

int qmi_result_get(const struct qmi_frame *f, struct qmi_result *out)
{
	struct qmi_cursor c;
	struct qmi_tlv t;
	int r;

	r = qmi_tlv_find(f->tlvs, f->tlvs_len, QMI_TLV_RESULT, &t);
	if (r < 0)
		return r;
	if (t.len != 4)
		return -EBADMSG; /* a short Result must not read as "success" */
	qmi_cursor_init(&c, t.val, t.len);
	out->status = qmi_cursor_u16(&c);
	out->error = qmi_cursor_u16(&c);
	return 0;
}
