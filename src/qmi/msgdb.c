/* SPDX-License-Identifier: MIT */
/*
 * The generic encoder and decoder: they walk a message def (msgdb.h) and move values between
 * the wire and the message's C struct. Nothing here knows any particular message.
 *
 * Every value lives at base + field->offset, where base is the struct that holds the field:
 * the message struct for a TLV's value, the nested struct for a struct's fields, the element
 * for an array element (offset 0, size = the array's stride).
 */
#include <errno.h>
#include <string.h>

#include "qmi/msgdb_table.h"
#include "qmi/strdec.h"
#include "qmi/tlv.h"

static const struct qmi_msg_def *const *const service_lists[] = {
	qmi_msgdb_ctl, qmi_msgdb_dms, qmi_msgdb_nas, qmi_msgdb_wds, qmi_msgdb_wda, qmi_msgdb_uim,
};

const struct qmi_msg_def *qmi_msgdb_get(size_t i)
{
	for (size_t s = 0; s < QMI_ARRAY_SIZE(service_lists); s++) {
		for (const struct qmi_msg_def *const *d = service_lists[s]; *d; d++) {
			if (i == 0)
				return *d;
			i--;
		}
	}
	return NULL;
}

const struct qmi_msg_def *qmi_msgdb_find(uint8_t svc, uint16_t msg_id, enum qmi_msg_kind kind)
{
	const struct qmi_msg_def *d;

	for (size_t i = 0; (d = qmi_msgdb_get(i)); i++)
		if (d->service == svc && d->msg_id == msg_id && d->kind == kind)
			return d;
	return NULL;
}

const char *qmi_msgdb_msg_name(uint8_t svc, uint16_t msg_id)
{
	const struct qmi_msg_def *d;

	for (size_t i = 0; (d = qmi_msgdb_get(i)); i++)
		if (d->service == svc && d->msg_id == msg_id)
			return d->name;
	return NULL;
}

const struct qmi_tlv_def *qmi_msgdb_find_tlv(const struct qmi_msg_def *def, uint8_t id)
{
	for (size_t i = 0; i < def->n_tlvs; i++)
		if (def->tlvs[i].id == id)
			return &def->tlvs[i];
	return NULL;
}

/* The element field of an array, with the size the walker needs filled in. */
static struct qmi_field array_elem(const struct qmi_field *f)
{
	struct qmi_field e = f->sub[0];

	e.offset = 0;
	e.size = f->size;
	return e;
}

static uint16_t get_count(const uint8_t *base, const struct qmi_field *f)
{
	uint16_t n;

	memcpy(&n, base + f->count_offset, sizeof(n));
	return n;
}

static void set_count(uint8_t *base, const struct qmi_field *f, uint16_t n)
{
	memcpy(base + f->count_offset, &n, sizeof(n));
}

/* The bytes of the integer kinds, the same in the struct (host order) and on the wire (little
 * endian); 0 for the other kinds. */
static size_t int_size(enum qmi_ftype t)
{
	switch (t) {
	case QMI_F_U8:
	case QMI_F_I8:
		return 1;
	case QMI_F_U16:
	case QMI_F_I16:
		return 2;
	case QMI_F_U32:
	case QMI_F_I32:
	case QMI_F_IPV4:
		return 4;
	case QMI_F_U64:
		return 8;
	default:
		return 0;
	}
}

/* Where the n bytes of a host-order integer of that size sit in a uint64_t of the same value. */
static size_t int_offset(size_t n)
{
	return __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__ ? sizeof(uint64_t) - n : 0;
}

/* ---- decoding */

static int decode_field(const struct qmi_field *f, struct qmi_cursor *c, uint8_t *base);

static int decode_int(struct qmi_cursor *c, uint8_t *dst, size_t n)
{
	const uint8_t *p = qmi_cursor_take(c, n);
	uint64_t v = 0;

	if (!p)
		return -EBADMSG;
	for (size_t i = n; i-- > 0;)
		v = (v << 8) | p[i];
	memcpy(dst, (const uint8_t *)&v + int_offset(n), n);
	return 0;
}

/* How many elements (or bytes) a field holds: its length prefix, what is left of the TLV for an
 * unprefixed string, or the capacity of a fixed one. */
static size_t decode_count(const struct qmi_field *f, struct qmi_cursor *c)
{
	switch (f->type) {
	case QMI_F_STRING:
		return qmi_cursor_left(c);
	case QMI_F_STRING8:
	case QMI_F_ARRAY8:
	case QMI_F_TEXT8:
		return qmi_cursor_u8(c);
	case QMI_F_STRING16:
	case QMI_F_ARRAY16:
		return qmi_cursor_u16(c);
	default: /* QMI_F_STRING_FIXED, QMI_F_ARRAY_FIXED */
		return f->capacity;
	}
}

/* The bytes of a counted value, NULL when the TLV is shorter than the count says. */
static const uint8_t *decode_bytes(const struct qmi_field *f, struct qmi_cursor *c, size_t *n)
{
	*n = decode_count(f, c);
	return qmi_cursor_take(c, *n); /* NULL on an earlier error too */
}

static int decode_string(const struct qmi_field *f, struct qmi_cursor *c, uint8_t *dst)
{
	size_t n;
	const uint8_t *p = decode_bytes(f, c, &n);

	if (!p)
		return -EBADMSG;
	n = qmi_str_len(p, n); /* what follows a NUL, and 0xFF padding, is not the value */
	if (n >= f->size)
		return -EMSGSIZE;
	memcpy(dst, p, n);
	dst[n] = '\0';
	return 0;
}

/* The decoder for a text8 field's encoding byte. */
static int text_enc(const struct qmi_field *f, const uint8_t *base, enum qmi_str_enc *enc)
{
	uint8_t v = base[f->count_offset];

	if (f->capacity == QMI_TEXT_NAS_PLMN)
		return qmi_str_enc_nas_plmn(v, enc);
	return qmi_str_enc_nas_description(v, enc);
}

static int decode_text(const struct qmi_field *f, struct qmi_cursor *c, uint8_t *base)
{
	enum qmi_str_enc enc;
	size_t n;
	const uint8_t *p = decode_bytes(f, c, &n);

	if (!p || text_enc(f, base, &enc))
		return -EBADMSG;
	return qmi_str_decode(enc, p, n, 0, (char *)base + f->offset, f->size);
}

static int decode_array(const struct qmi_field *f, struct qmi_cursor *c, uint8_t *base)
{
	struct qmi_field e = array_elem(f);
	uint8_t *dst = base + f->offset;
	size_t n = decode_count(f, c);
	int err;

	if (c->err)
		return -EBADMSG;
	if (n > f->capacity)
		return -EMSGSIZE;
	if (f->type != QMI_F_ARRAY_FIXED)
		set_count(base, f, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		err = decode_field(&e, c, dst + i * f->size);
		if (err)
			return err;
	}
	return 0;
}

static int decode_field(const struct qmi_field *f, struct qmi_cursor *c, uint8_t *base)
{
	uint8_t *dst = base + f->offset;
	size_t n = int_size(f->type);
	int err;

	if (n)
		return decode_int(c, dst, n);
	switch (f->type) {
	case QMI_F_IPV6:
		qmi_cursor_bytes(c, dst, 16);
		break;
	case QMI_F_STRING:
	case QMI_F_STRING8:
	case QMI_F_STRING16:
	case QMI_F_STRING_FIXED:
		return decode_string(f, c, dst);
	case QMI_F_BYTES:
		n = qmi_cursor_left(c);
		if (n > f->capacity)
			return -EMSGSIZE;
		set_count(base, f, (uint16_t)n);
		qmi_cursor_bytes(c, dst, n);
		break;
	case QMI_F_STRUCT:
		for (size_t i = 0; i < f->n_sub; i++) {
			err = decode_field(&f->sub[i], c, dst);
			if (err)
				return err;
		}
		break;
	case QMI_F_ARRAY8:
	case QMI_F_ARRAY16:
	case QMI_F_ARRAY_FIXED:
		return decode_array(f, c, base);
	case QMI_F_TEXT8:
		return decode_text(f, c, base);
	default:
		return -EINVAL;
	}
	return c->err ? -EBADMSG : 0;
}

int qmi_msgdb_decode_tlv(const struct qmi_tlv_def *t, const uint8_t *val, size_t len, void *msg)
{
	struct qmi_cursor c;
	bool has = true;
	int err;

	qmi_cursor_init(&c, val, len);
	err = decode_field(&t->value, &c, msg);
	if (!err && qmi_cursor_left(&c) != 0)
		err = -EBADMSG; /* a known TLV with bytes we cannot account for */
	if (err)
		return err;
	memcpy((uint8_t *)msg + t->has_offset, &has, sizeof(has));
	return 0;
}

int qmi_msg_decode_ex(const struct qmi_msg_def *def, const uint8_t *tlvs, size_t len, void *msg,
		      struct qmi_decode_info *info)
{
	struct qmi_decode_info scratch;
	struct qmi_tlv_iter it;
	struct qmi_tlv tlv;
	const struct qmi_tlv_def *t;
	bool no = false;
	int ret;

	if (!info)
		info = &scratch;
	memset(info, 0, sizeof(*info));
	if (!def || (def->size && !msg))
		return -EINVAL;
	if (def->size)
		memset(msg, 0, def->size);
	qmi_tlv_iter_init(&it, tlvs, len);
	while ((ret = qmi_tlv_next(&it, &tlv)) == 1) {
		size_t i;

		t = qmi_msgdb_find_tlv(def, tlv.type);
		if (!t)
			continue; /* unknown (or the Result TLV): firmware adds TLVs all the time */
		i = (size_t)(t - def->tlvs);
		ret = qmi_msgdb_decode_tlv(t, tlv.val, tlv.len, msg);
		if (ret == 0) {
			if (i < 64)
				info->invalid &= ~(UINT64_C(1) << i);
			continue;
		}
		if (t->required)
			return ret;
		/* Dropped on its own, like libqmi does: the rest of the message still counts. */
		memcpy((uint8_t *)msg + t->has_offset, &no, sizeof(no));
		if (i < 64)
			info->invalid |= UINT64_C(1) << i;
		info->n_invalid++;
	}
	return ret;
}

int qmi_msg_decode(const struct qmi_msg_def *def, const uint8_t *tlvs, size_t len, void *msg)
{
	return qmi_msg_decode_ex(def, tlvs, len, msg, NULL);
}

bool qmi_decode_dropped(const struct qmi_msg_def *def, const struct qmi_decode_info *info,
			uint8_t id)
{
	const struct qmi_tlv_def *t = def && info ? qmi_msgdb_find_tlv(def, id) : NULL;
	size_t i = t ? (size_t)(t - def->tlvs) : 64;

	return i < 64 && (info->invalid & (UINT64_C(1) << i));
}

/* ---- encoding */

static int encode_field(const struct qmi_field *f, const uint8_t *base, struct qmi_writer *w);

static int encode_int(const uint8_t *src, size_t n, struct qmi_writer *w)
{
	uint8_t le[sizeof(uint64_t)];
	uint64_t v = 0;

	memcpy((uint8_t *)&v + int_offset(n), src, n);
	for (size_t i = 0; i < n; i++, v >>= 8)
		le[i] = (uint8_t)v;
	return qmi_writer_put_bytes(w, le, n);
}

/* A field's length prefix, for the kinds that have one; -EINVAL when n does not fit in it. */
static int encode_count(const struct qmi_field *f, size_t n, struct qmi_writer *w)
{
	switch (f->type) {
	case QMI_F_STRING8:
	case QMI_F_ARRAY8:
	case QMI_F_TEXT8:
		return n > UINT8_MAX ? -EINVAL : qmi_writer_put_u8(w, (uint8_t)n);
	case QMI_F_STRING16:
	case QMI_F_ARRAY16:
		return n > UINT16_MAX ? -EINVAL : qmi_writer_put_u16(w, (uint16_t)n);
	default:
		return 0;
	}
}

static int encode_string(const struct qmi_field *f, const uint8_t *src, struct qmi_writer *w)
{
	size_t n = strnlen((const char *)src, f->size);
	static const uint8_t pad[8];
	int err;

	if (n == f->size)
		return -EINVAL; /* no terminator: the caller overran its own buffer */
	if (f->type == QMI_F_STRING_FIXED) {
		/* Shorter values are padded with NULs, which decode back to the same string. */
		if (n > f->capacity || f->capacity - n > sizeof(pad))
			return -EINVAL;
		qmi_writer_put_bytes(w, src, n);
		return qmi_writer_put_bytes(w, pad, f->capacity - n);
	}
	err = encode_count(f, n, w);
	if (err)
		return err;
	return qmi_writer_put_bytes(w, src, n);
}

static int encode_array(const struct qmi_field *f, const uint8_t *base, struct qmi_writer *w)
{
	struct qmi_field e = array_elem(f);
	const uint8_t *src = base + f->offset;
	size_t n = f->type == QMI_F_ARRAY_FIXED ? f->capacity : get_count(base, f);
	int err;

	if (n > f->capacity)
		return -EINVAL;
	err = encode_count(f, n, w);
	if (err)
		return err;
	for (size_t i = 0; i < n; i++) {
		err = encode_field(&e, src + i * f->size, w);
		if (err)
			return err;
	}
	return w->err;
}

static int encode_field(const struct qmi_field *f, const uint8_t *base, struct qmi_writer *w)
{
	const uint8_t *src = base + f->offset;
	size_t n = int_size(f->type);
	int err;

	if (n)
		return encode_int(src, n, w);
	switch (f->type) {
	case QMI_F_IPV6:
		return qmi_writer_put_bytes(w, src, 16);
	case QMI_F_STRING:
	case QMI_F_STRING8:
	case QMI_F_STRING16:
	case QMI_F_STRING_FIXED:
		return encode_string(f, src, w);
	case QMI_F_BYTES:
		n = get_count(base, f);
		if (n > f->capacity)
			return -EINVAL;
		return qmi_writer_put_bytes(w, src, n);
	case QMI_F_STRUCT:
		for (size_t i = 0; i < f->n_sub; i++) {
			err = encode_field(&f->sub[i], src, w);
			if (err)
				return err;
		}
		return w->err;
	case QMI_F_ARRAY8:
	case QMI_F_ARRAY16:
	case QMI_F_ARRAY_FIXED:
		return encode_array(f, base, w);
	case QMI_F_TEXT8: {
		/* Only what goes out as it is stored: ASCII (the software modem's names). */
		enum qmi_str_enc enc;

		if (text_enc(f, base, &enc) || enc != QMI_STR_ASCII)
			return -EINVAL;
		return encode_string(f, src, w);
	}
	default:
		return -EINVAL;
	}
}

int qmi_msg_encode(const struct qmi_msg_def *def, const void *msg, struct qmi_writer *w)
{
	const struct qmi_tlv_def *t;
	bool has;
	int err;

	if (!def || !w || (def->n_tlvs && !msg))
		return -EINVAL;
	for (size_t i = 0; i < def->n_tlvs; i++) {
		t = &def->tlvs[i];
		memcpy(&has, (const uint8_t *)msg + t->has_offset, sizeof(has));
		if (!has)
			continue;
		err = qmi_writer_tlv_begin(w, t->id);
		if (err)
			return err;
		err = encode_field(&t->value, msg, w);
		if (err)
			return err;
		err = qmi_writer_tlv_end(w);
		if (err)
			return err;
	}
	return w->err;
}

int qmi_msg_build(const struct qmi_msg_def *def, const void *msg, uint8_t cid, uint16_t txn,
		  uint8_t *buf, size_t cap, size_t *len)
{
	struct qmi_writer w;
	int err;

	if (!def)
		return -EINVAL;
	qmi_writer_init(&w, buf, cap, def->service, cid, def->kind, txn, def->msg_id);
	err = qmi_msg_encode(def, msg, &w);
	if (err)
		return err;
	return qmi_writer_finish(&w, len);
}
