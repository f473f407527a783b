/* SPDX-License-Identifier: MIT */
/*
 * The printer's walker: any frame, known or not, walked once and handed to a back end (text or
 * JSON, msgprint_*.c). It walks the same message def as the codec. Each known TLV is decoded on
 * its own, so one invalid TLV is shown as hex with the reason (and whether the codec drops it
 * or fails the message) and the rest still print; TLVs the database does not know are shown as
 * hex. Redaction happens here, so both outputs hide the same values, in the decoded view, in an
 * invalid TLV's hex and in the frame's hex alike.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "qmi/msgdb_table.h"
#include "qmi/msgprint.h"

struct walker {
	const struct qmi_print_ops *ops;
	struct qmi_print_ctx *ctx;
	unsigned flags;
	bool *mask; /* per frame byte, or NULL when no hex is printed */
	const struct qmi_frame *f;
};

static struct qmi_num read_num(const struct qmi_field *f, const uint8_t *p)
{
	struct qmi_num n = { 0 };
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (f->type) {
	case QMI_F_U8:
		memcpy(&u8, p, 1);
		n.u = u8;
		break;
	case QMI_F_U16:
		memcpy(&u16, p, 2);
		n.u = u16;
		break;
	case QMI_F_U32:
		memcpy(&u32, p, 4);
		n.u = u32;
		break;
	case QMI_F_U64:
		memcpy(&u64, p, 8);
		n.u = u64;
		break;
	case QMI_F_I8:
		memcpy(&u8, p, 1);
		n.s = (int8_t)u8;
		n.is_signed = true;
		break;
	case QMI_F_I16:
		memcpy(&u16, p, 2);
		n.s = (int16_t)u16;
		n.is_signed = true;
		break;
	case QMI_F_I32:
		memcpy(&u32, p, 4);
		n.s = (int32_t)u32;
		n.is_signed = true;
		break;
	default:
		break;
	}
	if (n.is_signed)
		n.u = (uint64_t)n.s;
	else
		n.s = (int64_t)n.u;
	return n;
}

static bool is_number(enum qmi_ftype t)
{
	return t <= QMI_F_I32;
}

static bool is_array(enum qmi_ftype t)
{
	return t == QMI_F_ARRAY8 || t == QMI_F_ARRAY16 || t == QMI_F_ARRAY_FIXED;
}

static size_t array_count(const struct qmi_field *f, const uint8_t *base)
{
	uint16_t n;

	if (f->type == QMI_F_ARRAY_FIXED)
		return f->capacity;
	memcpy(&n, base + f->count_offset, sizeof(n));
	return n > f->capacity ? f->capacity : n;
}

static struct qmi_field array_elem(const struct qmi_field *f)
{
	struct qmi_field e = f->sub[0];

	e.offset = 0;
	e.size = f->size;
	return e;
}

void qmi_print_bitmask(const struct qmi_enum *e, uint64_t v, char *buf, size_t cap)
{
	size_t len = 0;
	uint64_t left = v;

	buf[0] = '\0';
	if (v == 0) {
		const char *z = qmi_enum_name(e, 0);

		snprintf(buf, cap, "%s", z ? z : "");
		return;
	}
	for (size_t i = 0; i < e->n && len < cap; i++) {
		uint64_t bit = (uint64_t)e->v[i].value;

		if (bit == 0 || (v & bit) != bit)
			continue;
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? "|" : "", e->v[i].name);
		left &= ~bit;
	}
	if (left && len < cap)
		snprintf(buf + len, cap - len, "%s0x%" PRIx64, len ? "|" : "", left);
}

void qmi_print_stamp(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	snprintf(buf, cap, "[%04d-%02d-%02d %02d:%02d:%02d.%03ld] ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
}

/* The redaction class that hides f in this printout, or NULL. */
static const char *hidden(const struct walker *w, const struct qmi_field *f)
{
	if ((f->flags & QMI_FF_SECRET) && (w->flags & QMI_PRINT_HIDE_SECRET))
		return "secret";
	if ((f->flags & QMI_FF_PERSONAL) && (w->flags & QMI_PRINT_HIDE_PERSONAL))
		return "personal";
	return NULL;
}

/* Whether anything inside f is hidden: then its TLV's bytes are masked too. */
static bool hides_any(const struct walker *w, const struct qmi_field *f)
{
	if (hidden(w, f))
		return true;
	for (size_t i = 0; i < f->n_sub; i++)
		if (hides_any(w, &f->sub[i]))
			return true;
	return false;
}

static void mask_bytes(struct walker *w, const uint8_t *p, size_t n)
{
	size_t at;

	if (!w->mask || p < w->f->raw || p + n > w->f->raw + w->f->raw_len)
		return;
	at = (size_t)(p - w->f->raw);
	for (size_t i = 0; i < n; i++)
		w->mask[at + i] = true;
}

static void walk_value(struct walker *w, const char *key, const struct qmi_field *f,
		       const uint8_t *base)
{
	const uint8_t *p = base + f->offset;
	struct qmi_pval v = { .f = f };
	char buf[256];

	v.s = hidden(w, f);
	if (v.s) {
		v.kind = QMI_PV_REDACTED;
	} else if (is_number(f->type)) {
		v.kind = QMI_PV_NUM;
		v.num = read_num(f, p);
		if (f->names && f->names->bitmask) {
			qmi_print_bitmask(f->names, v.num.u, buf, sizeof(buf));
			v.name = buf[0] ? buf : NULL;
		} else if (f->names) {
			v.name = qmi_enum_name(f->names, v.num.s);
		}
	} else if ((f->type >= QMI_F_STRING && f->type <= QMI_F_STRING_FIXED) ||
		   f->type == QMI_F_TEXT8) {
		v.kind = QMI_PV_STRING;
		v.s = (const char *)p;
	} else if (f->type == QMI_F_IPV4) {
		uint32_t a;

		memcpy(&a, p, 4);
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u", (unsigned)(a >> 24) & 0xff,
			 (unsigned)(a >> 16) & 0xff, (unsigned)(a >> 8) & 0xff, (unsigned)a & 0xff);
		v.kind = QMI_PV_TEXT;
		v.s = buf;
	} else if (f->type == QMI_F_IPV6) {
		if (!inet_ntop(AF_INET6, p, buf, sizeof(buf)))
			snprintf(buf, sizeof(buf), "?");
		v.kind = QMI_PV_TEXT;
		v.s = buf;
	} else if (f->type == QMI_F_BYTES) {
		uint16_t n;

		memcpy(&n, base + f->count_offset, sizeof(n));
		v.kind = QMI_PV_HEX;
		v.bytes = p;
		v.n = n > f->capacity ? f->capacity : n;
	} else if (f->type == QMI_F_STRUCT) {
		w->ops->open(w->ctx, key, false, f->n_sub, false);
		for (size_t i = 0; i < f->n_sub; i++)
			walk_value(w, f->sub[i].name, &f->sub[i], p);
		w->ops->close(w->ctx, false);
		return;
	} else if (is_array(f->type)) {
		struct qmi_field e = array_elem(f);
		size_t n = array_count(f, base);
		bool leaves = e.type != QMI_F_STRUCT && !is_array(e.type);

		w->ops->open(w->ctx, key, true, n, leaves);
		for (size_t i = 0; i < n; i++)
			walk_value(w, NULL, &e, p + i * f->size);
		w->ops->close(w->ctx, true);
		return;
	} else {
		return;
	}
	w->ops->leaf(w->ctx, key, &v);
}

/* The Result TLV read with the codec's cursor: well formed only if exactly two u16. */
static int read_result(const struct qmi_tlv *tlv, struct qmi_result *r)
{
	struct qmi_cursor c;

	qmi_cursor_init(&c, tlv->val, tlv->len);
	r->status = qmi_cursor_u16(&c);
	r->error = qmi_cursor_u16(&c);
	return c.err || qmi_cursor_left(&c) ? -EBADMSG : 0;
}

static int walk_tlvs(struct walker *w, const struct qmi_msg_def *def)
{
	struct qmi_tlv_iter it;
	struct qmi_tlv tlv;
	struct qmi_result r;
	uint8_t *scratch = NULL;
	int ret;

	if (def && def->size) {
		scratch = malloc(def->size);
		if (!scratch)
			return -ENOMEM;
	}
	qmi_tlv_iter_init(&it, w->f->tlvs, w->f->tlvs_len);
	while ((ret = qmi_tlv_next(&it, &tlv)) == 1) {
		/* No scratch means a def of size 0, which has no TLVs to find. */
		const struct qmi_tlv_def *t = scratch ? qmi_msgdb_find_tlv(def, tlv.type) : NULL;
		int err;

		if (tlv.type == QMI_TLV_RESULT && w->f->kind == QMI_KIND_RESPONSE) {
			if (read_result(&tlv, &r) == 0)
				w->ops->result(w->ctx, &r);
			else
				w->ops->raw(w->ctx, &tlv, "Result", -EBADMSG, false);
			continue;
		}
		if (!t) {
			w->ops->raw(w->ctx, &tlv, NULL, 0, false);
			continue;
		}
		if (hides_any(w, &t->value))
			mask_bytes(w, tlv.val, tlv.len);
		memset(scratch, 0, def->size);
		err = qmi_msgdb_decode_tlv(t, tlv.val, tlv.len, scratch);
		if (err && hidden(w, &t->value)) {
			/* Even broken, a secret's bytes stay hidden: say only that it is broken. */
			struct qmi_tlv none = { .type = tlv.type, .len = tlv.len, .val = NULL };

			w->ops->raw(w->ctx, &none, t->name, err, !t->required);
		} else if (err) {
			w->ops->raw(w->ctx, &tlv, t->name, err, !t->required);
		} else {
			w->ops->tlv_begin(w->ctx, t);
			walk_value(w, "value", &t->value, scratch);
			w->ops->tlv_end(w->ctx);
		}
	}
	if (ret < 0)
		w->ops->area_error(w->ctx, ret);
	free(scratch);
	return 0;
}

int qmi_msg_print_ex(FILE *out, const struct qmi_frame *f, const char *prefix, unsigned flags)
{
	struct qmi_print_ctx ctx = { .p = { .out = out, .flags = flags, .prefix = prefix } };
	struct walker w = { .ctx = &ctx, .flags = flags, .f = f };
	const struct qmi_msg_def *def;
	struct qmi_result r;
	int err;

	if (!out || !f)
		return -EINVAL;
	w.ops = flags & QMI_PRINT_JSON ? &qmi_print_json_ops : &qmi_print_text_ops;
	if ((flags & QMI_PRINT_HEX) && f->raw && f->raw_len) {
		w.mask = calloc(f->raw_len, sizeof(*w.mask));
		if (!w.mask)
			return -ENOMEM;
	}
	def = qmi_msgdb_find(f->service, f->msg_id, f->kind);
	w.ops->header(&ctx, f, def ? def->name : qmi_msgdb_msg_name(f->service, f->msg_id),
		      f->kind == QMI_KIND_RESPONSE && qmi_result_get(f, &r) == 0 ? &r : NULL);
	err = walk_tlvs(&w, def);
	w.ops->end(&ctx, w.mask ? f->raw : NULL, f->raw_len, w.mask);
	free(w.mask);
	if (err)
		return err;
	return ferror(out) ? -EIO : 0;
}

int qmi_msg_print(FILE *out, const struct qmi_frame *f)
{
	return qmi_msg_print_ex(out, f, NULL, 0);
}

int qmi_msg_print_json(FILE *out, const struct qmi_frame *f)
{
	return qmi_msg_print_ex(out, f, NULL, QMI_PRINT_JSON);
}
