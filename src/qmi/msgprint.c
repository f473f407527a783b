/* SPDX-License-Identifier: MIT */
/*
 * The printer: any frame, known or not, as indented text (for -v traces) or as one JSON object
 * (for `raw --json`). Both walk the same message def as the codec. Each known TLV is decoded on
 * its own, so one malformed TLV is shown as hex with the reason and the rest still print; TLVs
 * the database does not know are shown as hex. Strings come from the modem: they are escaped,
 * never written raw.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/msgdb_table.h"
#include "qmi/tlv.h"

struct num {
	bool is_signed;
	int64_t s;
	uint64_t u;
};

static struct num read_num(const struct qmi_field *f, const uint8_t *p)
{
	struct num n = { 0 };
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (f->type) {
	case QMI_F_U8:  memcpy(&u8, p, 1);  n.u = u8; break;
	case QMI_F_U16: memcpy(&u16, p, 2); n.u = u16; break;
	case QMI_F_U32: memcpy(&u32, p, 4); n.u = u32; break;
	case QMI_F_U64: memcpy(&u64, p, 8); n.u = u64; break;
	case QMI_F_I8:  memcpy(&u8, p, 1);  n.s = (int8_t)u8; n.is_signed = true; break;
	case QMI_F_I16: memcpy(&u16, p, 2); n.s = (int16_t)u16; n.is_signed = true; break;
	case QMI_F_I32: memcpy(&u32, p, 4); n.s = (int32_t)u32; n.is_signed = true; break;
	default: break;
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

static bool is_string(enum qmi_ftype t)
{
	return t >= QMI_F_STRING && t <= QMI_F_STRING_FIXED;
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

/* "pap|chap", unknown bits as hex; buf always terminated. */
static void bitmask_names(const struct qmi_enum *e, uint64_t v, char *buf, size_t cap)
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

/* The name of a number field's value, or NULL. */
static const char *num_name(const struct qmi_field *f, struct num n, char *buf, size_t cap)
{
	const char *name;

	if (!f->names)
		return NULL;
	if (f->names->bitmask) {
		bitmask_names(f->names, n.u, buf, cap);
		return buf[0] ? buf : NULL;
	}
	name = qmi_enum_name(f->names, n.s);
	return name;
}

static void format_ipv4(const uint8_t *p, char *buf, size_t cap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	snprintf(buf, cap, "%u.%u.%u.%u", (unsigned)(v >> 24) & 0xff, (unsigned)(v >> 16) & 0xff,
		 (unsigned)(v >> 8) & 0xff, (unsigned)v & 0xff);
}

static void format_ipv6(const uint8_t *p, char *buf, size_t cap)
{
	if (!inet_ntop(AF_INET6, p, buf, (socklen_t)cap))
		snprintf(buf, cap, "?");
}

/* ================================ text ================================ */

static void text_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f)
			fputc(*p, out);
		else
			fprintf(out, "\\x%02x", *p);
	}
	fputc('"', out);
}

static void text_hex(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? " " : "", p[i]);
}

static void text_num(FILE *out, const struct qmi_field *f, const uint8_t *p)
{
	struct num n = read_num(f, p);
	char buf[256];
	const char *name;

	if ((f->flags & QMI_FF_BOOL) && n.u <= 1) {
		fputs(n.u ? "yes" : "no", out);
		return;
	}
	if ((f->flags & QMI_FF_HEX) || (f->names && f->names->bitmask))
		fprintf(out, "0x%0*" PRIx64, (int)(f->size * 2), n.u);
	else if (n.is_signed)
		fprintf(out, "%" PRId64, n.s);
	else
		fprintf(out, "%" PRIu64, n.u);
	name = num_name(f, n, buf, sizeof(buf));
	if (name)
		fprintf(out, " (%s)", name);
}

/* A value that fits on one line: numbers, strings, addresses, bytes, arrays of those. */
static bool text_is_inline(const struct qmi_field *f)
{
	if (f->type == QMI_F_STRUCT)
		return false;
	if (is_array(f->type))
		return f->sub[0].type != QMI_F_STRUCT && !is_array(f->sub[0].type);
	return true;
}

static void text_inline(FILE *out, const struct qmi_field *f, const uint8_t *base)
{
	const uint8_t *p = base + f->offset;
	char buf[INET6_ADDRSTRLEN + 8];

	if (is_number(f->type)) {
		text_num(out, f, p);
	} else if (is_string(f->type)) {
		text_string(out, (const char *)p);
	} else if (f->type == QMI_F_IPV4) {
		format_ipv4(p, buf, sizeof(buf));
		fputs(buf, out);
	} else if (f->type == QMI_F_IPV6) {
		format_ipv6(p, buf, sizeof(buf));
		fputs(buf, out);
	} else if (f->type == QMI_F_BYTES) {
		uint16_t n;

		memcpy(&n, base + f->count_offset, sizeof(n));
		fputc('[', out);
		text_hex(out, p, n > f->capacity ? f->capacity : n);
		fputc(']', out);
	} else if (is_array(f->type)) {
		struct qmi_field e = array_elem(f);
		size_t n = array_count(f, base);

		fputc('[', out);
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputs(", ", out);
			text_inline(out, &e, p + i * f->size);
		}
		fputc(']', out);
	}
}

static void text_value(FILE *out, const struct qmi_field *f, const uint8_t *base, int indent,
		       const char *label);

static void text_block(FILE *out, const struct qmi_field *f, const uint8_t *base, int indent)
{
	const uint8_t *p = base + f->offset;

	if (f->type == QMI_F_STRUCT) {
		for (size_t i = 0; i < f->n_sub; i++)
			text_value(out, &f->sub[i], p, indent, f->sub[i].name);
		return;
	}
	/* an array of structs or arrays */
	struct qmi_field e = array_elem(f);
	size_t n = array_count(f, base);
	char label[24];

	for (size_t i = 0; i < n; i++) {
		snprintf(label, sizeof(label), "[%zu]", i);
		text_value(out, &e, p + i * f->size, indent, label);
	}
}

static void text_value(FILE *out, const struct qmi_field *f, const uint8_t *base, int indent,
		       const char *label)
{
	fprintf(out, "%*s%s:", indent, "", label);
	if (text_is_inline(f)) {
		fputc(' ', out);
		text_inline(out, f, base);
		fputc('\n', out);
		return;
	}
	if (is_array(f->type))
		fprintf(out, " %zu entr%s", array_count(f, base), array_count(f, base) == 1 ? "y" : "ies");
	fputc('\n', out);
	text_block(out, f, base, indent + 2);
}

static void text_header(FILE *out, const struct qmi_frame *f, const char *msg_name)
{
	const char *svc = qmi_service_name(f->service);

	if (svc)
		fprintf(out, "%s ", svc);
	else
		fprintf(out, "svc 0x%02x ", f->service);
	if (msg_name)
		fprintf(out, "\"%s\" ", msg_name);
	fprintf(out, "(0x%04x) %s cid=%u txn=%u tlv_len=%zu\n", f->msg_id, qmi_kind_name(f->kind),
		f->client_id, f->txn, f->tlvs_len);
}

static void text_raw_tlv(FILE *out, const struct qmi_tlv *tlv, const char *name, int err)
{
	fprintf(out, "  [0x%02x] %s", tlv->type, name ? name : "(unknown)");
	if (err)
		fprintf(out, " (malformed: %s)", strerror(-err));
	fprintf(out, " %u byte%s: ", tlv->len, tlv->len == 1 ? "" : "s");
	text_hex(out, tlv->val, tlv->len);
	fputc('\n', out);
}

static void text_result(FILE *out, const struct qmi_tlv *tlv)
{
	uint16_t status, error;
	const char *name;

	if (tlv->len != 4) {
		text_raw_tlv(out, tlv, "Result", -EBADMSG);
		return;
	}
	status = (uint16_t)(tlv->val[0] | tlv->val[1] << 8);
	error = (uint16_t)(tlv->val[2] | tlv->val[3] << 8);
	name = qmi_error_name(error);
	fprintf(out, "  [0x02] Result: %s", status == 0 ? "success" : "failure");
	if (status != 0 || error != 0)
		fprintf(out, ", error %u (%s)", error, name ? name : "unknown");
	fputc('\n', out);
}

/* Walks the TLVs of f; for each known one decodes it into scratch (def->size bytes) and calls
 * back. Shared by both printers so they agree on what is known, malformed or unknown. */
struct walk_ops {
	void (*result)(void *ctx, const struct qmi_tlv *tlv);
	void (*known)(void *ctx, const struct qmi_tlv_def *t, const uint8_t *scratch);
	void (*raw)(void *ctx, const struct qmi_tlv *tlv, const char *name, int err);
	void (*area_error)(void *ctx, int err);
};

static int walk_tlvs(const struct qmi_frame *f, const struct qmi_msg_def *def,
		     const struct walk_ops *ops, void *ctx)
{
	struct qmi_tlv_iter it;
	struct qmi_tlv tlv;
	uint8_t *scratch = NULL;
	int ret;

	if (def && def->size) {
		scratch = malloc(def->size);
		if (!scratch)
			return -ENOMEM;
	}
	qmi_tlv_iter_init(&it, f->tlvs, f->tlvs_len);
	while ((ret = qmi_tlv_next(&it, &tlv)) == 1) {
		const struct qmi_tlv_def *t = def ? qmi_msgdb_find_tlv(def, tlv.type) : NULL;
		int err;

		if (tlv.type == QMI_TLV_RESULT && f->kind == QMI_KIND_RESPONSE) {
			ops->result(ctx, &tlv);
			continue;
		}
		if (!t) {
			ops->raw(ctx, &tlv, NULL, 0);
			continue;
		}
		memset(scratch, 0, def->size);
		err = qmi_msgdb_decode_tlv(t, tlv.val, tlv.len, scratch);
		if (err)
			ops->raw(ctx, &tlv, t->name, err);
		else
			ops->known(ctx, t, scratch);
	}
	if (ret < 0)
		ops->area_error(ctx, ret);
	free(scratch);
	return 0;
}

static void text_cb_result(void *ctx, const struct qmi_tlv *tlv)
{
	text_result(ctx, tlv);
}

static void text_cb_known(void *ctx, const struct qmi_tlv_def *t, const uint8_t *scratch)
{
	char label[128];

	snprintf(label, sizeof(label), "[0x%02x] %s", t->id, t->name);
	text_value(ctx, &t->value, scratch, 2, label);
}

static void text_cb_raw(void *ctx, const struct qmi_tlv *tlv, const char *name, int err)
{
	text_raw_tlv(ctx, tlv, name, err);
}

static void text_cb_area_error(void *ctx, int err)
{
	fprintf(ctx, "  (TLV area malformed: %s)\n", strerror(-err));
}

static const char *frame_msg_name(const struct qmi_frame *f, const struct qmi_msg_def *def)
{
	return def ? def->name : qmi_msgdb_msg_name(f->service, f->msg_id);
}

int qmi_msg_print(FILE *out, const struct qmi_frame *f)
{
	static const struct walk_ops ops = {
		.result = text_cb_result, .known = text_cb_known, .raw = text_cb_raw,
		.area_error = text_cb_area_error,
	};
	const struct qmi_msg_def *def;
	int err;

	if (!out || !f)
		return -EINVAL;
	def = qmi_msgdb_find(f->service, f->msg_id, f->kind);
	text_header(out, f, frame_msg_name(f, def));
	err = walk_tlvs(f, def, &ops, out);
	if (err)
		return err;
	return ferror(out) ? -EIO : 0;
}

/* ================================ JSON ================================ */

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if it is not valid. */
static size_t utf8_len(const unsigned char *p)
{
	size_t n;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)  /* also stops at the NUL terminator */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0; /* overlong, out of range or a surrogate */
	return n;
}

/* Valid UTF-8 passes through; control characters and bytes that are not UTF-8 are escaped
 * (the latter as the Latin-1 code point), so the output is always valid JSON. */
static void json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	while (*p) {
		size_t n = utf8_len(p);

		if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p);
		} else if (*p == '\n') {
			fputs("\\n", out);
		} else if (*p == '\t') {
			fputs("\\t", out);
		} else if (*p < 0x20 || *p == 0x7f || n == 0) {
			fprintf(out, "\\u%04x", *p);
			n = 1;
		} else {
			fwrite(p, 1, n, out);
			p += n;
			continue;
		}
		p++;
	}
	fputc('"', out);
}

static void json_hex(FILE *out, const uint8_t *p, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
	fputc('"', out);
}

static void json_value(FILE *out, const struct qmi_field *f, const uint8_t *base);

static void json_num(FILE *out, const struct qmi_field *f, const uint8_t *p)
{
	struct num n = read_num(f, p);

	if ((f->flags & QMI_FF_BOOL) && n.u <= 1)
		fputs(n.u ? "true" : "false", out);
	else if (n.is_signed)
		fprintf(out, "%" PRId64, n.s);
	else
		fprintf(out, "%" PRIu64, n.u);
}

/* `"key":value` and, for a named number, `,"key_name":"name"`. */
static void json_member(FILE *out, const char *key, const struct qmi_field *f, const uint8_t *base)
{
	char buf[256];

	json_string(out, key);
	fputc(':', out);
	json_value(out, f, base);
	if (is_number(f->type) && f->names) {
		const char *name = num_name(f, read_num(f, base + f->offset), buf, sizeof(buf));

		if (name) {
			char k[128];

			snprintf(k, sizeof(k), "%s_name", key);
			fputc(',', out);
			json_string(out, k);
			fputc(':', out);
			json_string(out, name);
		}
	}
}

static void json_value(FILE *out, const struct qmi_field *f, const uint8_t *base)
{
	const uint8_t *p = base + f->offset;
	char buf[INET6_ADDRSTRLEN + 8];

	if (is_number(f->type)) {
		json_num(out, f, p);
	} else if (is_string(f->type)) {
		json_string(out, (const char *)p);
	} else if (f->type == QMI_F_IPV4) {
		format_ipv4(p, buf, sizeof(buf));
		json_string(out, buf);
	} else if (f->type == QMI_F_IPV6) {
		format_ipv6(p, buf, sizeof(buf));
		json_string(out, buf);
	} else if (f->type == QMI_F_BYTES) {
		uint16_t n;

		memcpy(&n, base + f->count_offset, sizeof(n));
		json_hex(out, p, n > f->capacity ? f->capacity : n);
	} else if (f->type == QMI_F_STRUCT) {
		fputc('{', out);
		for (size_t i = 0; i < f->n_sub; i++) {
			if (i)
				fputc(',', out);
			json_member(out, f->sub[i].name, &f->sub[i], p);
		}
		fputc('}', out);
	} else if (is_array(f->type)) {
		struct qmi_field e = array_elem(f);
		size_t n = array_count(f, base);

		fputc('[', out);
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputc(',', out);
			json_value(out, &e, p + i * f->size);
		}
		fputc(']', out);
	} else {
		fputs("null", out);
	}
}

struct json_ctx {
	FILE *out;
	bool first;
};

static void json_sep(struct json_ctx *j)
{
	if (!j->first)
		fputc(',', j->out);
	j->first = false;
}

static void json_raw_tlv(void *ctx, const struct qmi_tlv *tlv, const char *name, int err);

static void json_cb_result(void *ctx, const struct qmi_tlv *tlv)
{
	/* A well-formed one is the "result" member of the header. */
	if (tlv->len != 4)
		json_raw_tlv(ctx, tlv, "Result", -EBADMSG);
}

static void json_cb_known(void *ctx, const struct qmi_tlv_def *t, const uint8_t *scratch)
{
	struct json_ctx *j = ctx;

	json_sep(j);
	fprintf(j->out, "{\"id\":%u,\"name\":", t->id);
	json_string(j->out, t->name);
	fputc(',', j->out);
	json_member(j->out, "value", &t->value, scratch);
	fputc('}', j->out);
}

static void json_raw_tlv(void *ctx, const struct qmi_tlv *tlv, const char *name, int err)
{
	struct json_ctx *j = ctx;

	json_sep(j);
	fprintf(j->out, "{\"id\":%u,", tlv->type);
	if (name) {
		fputs("\"name\":", j->out);
		json_string(j->out, name);
		fputc(',', j->out);
	}
	if (err) {
		fputs("\"error\":", j->out);
		json_string(j->out, strerror(-err));
		fputc(',', j->out);
	}
	fputs("\"raw\":", j->out);
	json_hex(j->out, tlv->val, tlv->len);
	fputc('}', j->out);
}

static void json_cb_area_error(void *ctx, int err)
{
	struct json_ctx *j = ctx;

	json_sep(j);
	fputs("{\"error\":", j->out);
	json_string(j->out, strerror(-err));
	fputc('}', j->out);
}

int qmi_msg_print_json(FILE *out, const struct qmi_frame *f)
{
	static const struct walk_ops ops = {
		.result = json_cb_result, .known = json_cb_known, .raw = json_raw_tlv,
		.area_error = json_cb_area_error,
	};
	struct json_ctx j = { .out = out, .first = true };
	const struct qmi_msg_def *def;
	const char *svc, *name;
	struct qmi_result r;
	int err;

	if (!out || !f)
		return -EINVAL;
	def = qmi_msgdb_find(f->service, f->msg_id, f->kind);
	svc = qmi_service_name(f->service);
	name = frame_msg_name(f, def);

	fputs("{\"service\":", out);
	if (svc)
		json_string(out, svc);
	else
		fputs("null", out);
	fprintf(out, ",\"service_id\":%u,\"message\":", f->service);
	if (name)
		json_string(out, name);
	else
		fputs("null", out);
	fprintf(out, ",\"message_id\":%u,\"kind\":\"%s\",\"client_id\":%u,\"transaction\":%u",
		f->msg_id, qmi_kind_name(f->kind), f->client_id, f->txn);
	if (f->kind == QMI_KIND_RESPONSE && qmi_result_get(f, &r) == 0) {
		const char *ename = qmi_error_name(r.error);

		fprintf(out, ",\"result\":{\"status\":%u,\"error\":%u,\"error_name\":", r.status,
			r.error);
		if (ename)
			json_string(out, ename);
		else
			fputs("null", out);
		fputc('}', out);
	}
	fputs(",\"tlvs\":[", out);
	err = walk_tlvs(f, def, &ops, &j);
	fputs("]}\n", out);
	if (err)
		return err;
	return ferror(out) ? -EIO : 0;
}
