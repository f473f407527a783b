/* SPDX-License-Identifier: MIT */
/*
 * The printer's JSON back end: one object and a newline per frame (`raw --json`). Strings come
 * from the modem: valid UTF-8 passes through, everything else is escaped (qmi_str_escape), so
 * the output is always valid JSON.
 */
#include <inttypes.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/msgprint.h"
#include "qmi/strdec.h"

/* The one escaping rule (strdec.h) keeps the output valid JSON whatever the modem sent. */
static void json_string(FILE *out, const char *s)
{
	fputc('"', out);
	qmi_str_escape(out, s, strlen(s));
	fputc('"', out);
}

static void json_string_or_null(FILE *out, const char *s)
{
	if (s)
		json_string(out, s);
	else
		fputs("null", out);
}

static void json_hex(FILE *out, const uint8_t *p, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
	fputc('"', out);
}

/* A comma before every member or element but the first at this depth. */
static void sep(struct qmi_print_ctx *c)
{
	if (!c->first[c->depth])
		fputc(',', c->p.out);
	c->first[c->depth] = false;
}

static void key_colon(struct qmi_print_ctx *c, const char *key)
{
	sep(c);
	if (key) {
		json_string(c->p.out, key);
		fputc(':', c->p.out);
	}
}

static void json_header(void *ctx, const struct qmi_frame *f, const char *name,
			const struct qmi_result *r)
{
	struct qmi_print_ctx *c = ctx;
	FILE *out = c->p.out;
	char stamp[48];

	fputc('{', out);
	if (c->p.flags & QMI_PRINT_TIME) {
		/* "[2026-12-04 19:40:49.123] " without its brackets and blank */
		qmi_print_stamp(stamp, sizeof(stamp));
		stamp[strlen(stamp) - 2] = '\0';
		fputs("\"time\":", out);
		json_string(out, stamp + 1);
		fputc(',', out);
	}
	if (c->p.prefix) {
		fputs("\"direction\":", out);
		json_string(out, c->p.prefix);
		fputc(',', out);
	}
	fputs("\"service\":", out);
	json_string_or_null(out, qmi_service_name(f->service));
	fprintf(out, ",\"service_id\":%u,\"message\":", f->service);
	json_string_or_null(out, name);
	fprintf(out, ",\"message_id\":%u,\"kind\":\"%s\",\"client_id\":%u,\"transaction\":%u",
		f->msg_id, qmi_kind_name(f->kind), f->client_id, f->txn);
	if (r) {
		fprintf(out, ",\"result\":{\"status\":%u,\"error\":%u,\"error_name\":", r->status,
			r->error);
		json_string_or_null(out, qmi_error_name(r->error));
		fputc('}', out);
	}
	fputs(",\"tlvs\":[", out);
	c->depth = 0;
	c->first[0] = true;
}

static void json_result(void *ctx, const struct qmi_result *r)
{
	(void)ctx; /* a well-formed one is the "result" member of the header */
	(void)r;
}

static void json_tlv_begin(void *ctx, const struct qmi_tlv_def *t)
{
	struct qmi_print_ctx *c = ctx;

	sep(c);
	fprintf(c->p.out, "{\"id\":%u,\"name\":", t->id);
	json_string(c->p.out, t->name);
	c->depth = 1;
	c->first[1] = false;
}

static void json_tlv_end(void *ctx)
{
	struct qmi_print_ctx *c = ctx;

	fputc('}', c->p.out);
	c->depth = 0;
}

static void json_raw(void *ctx, const struct qmi_tlv *tlv, const char *name, int err, bool dropped)
{
	struct qmi_print_ctx *c = ctx;
	FILE *out = c->p.out;

	sep(c);
	fprintf(out, "{\"id\":%u,", tlv->type);
	if (name) {
		fputs("\"name\":", out);
		json_string(out, name);
		fputc(',', out);
	}
	if (err) {
		fputs("\"error\":", out);
		json_string(out, strerror(-err));
		fprintf(out, ",\"dropped\":%s,", dropped ? "true" : "false");
	}
	fputs("\"raw\":", out);
	if (tlv->val)
		json_hex(out, tlv->val, tlv->len);
	else
		fputs("null", out);
	fputc('}', out);
}

static void json_area_error(void *ctx, int err)
{
	struct qmi_print_ctx *c = ctx;

	sep(c);
	fputs("{\"error\":", c->p.out);
	json_string(c->p.out, strerror(-err));
	fputc('}', c->p.out);
}

static void json_leaf(void *ctx, const char *key, const struct qmi_pval *v)
{
	struct qmi_print_ctx *c = ctx;
	FILE *out = c->p.out;
	char hidden[32];

	key_colon(c, key);
	switch (v->kind) {
	case QMI_PV_NUM:
		if ((v->f->flags & QMI_FF_BOOL) && v->num.u <= 1)
			fputs(v->num.u ? "true" : "false", out);
		else if (v->num.is_signed)
			fprintf(out, "%" PRId64, v->num.s);
		else
			fprintf(out, "%" PRIu64, v->num.u);
		/* A named number gets its name next to it, except inside arrays. */
		if (key && v->name) {
			fputc(',', out);
			fprintf(out, "\"%s_name\":", key);
			json_string(out, v->name);
		}
		break;
	case QMI_PV_STRING:
	case QMI_PV_TEXT:
		json_string(out, v->s);
		break;
	case QMI_PV_HEX:
		json_hex(out, v->bytes, v->n);
		break;
	case QMI_PV_REDACTED:
		snprintf(hidden, sizeof(hidden), "### (%s)", v->s);
		json_string(out, hidden);
		break;
	}
}

static void json_open(void *ctx, const char *key, bool array, size_t n, bool leaves)
{
	struct qmi_print_ctx *c = ctx;

	(void)n;
	(void)leaves;
	key_colon(c, key);
	fputc(array ? '[' : '{', c->p.out);
	if (c->depth + 1 < (int)(sizeof(c->first) / sizeof(c->first[0])))
		c->depth++;
	c->first[c->depth] = true;
}

static void json_close(void *ctx, bool array)
{
	struct qmi_print_ctx *c = ctx;

	fputc(array ? ']' : '}', c->p.out);
	if (c->depth > 0)
		c->depth--;
}

static void json_end(void *ctx, const uint8_t *raw, size_t len, const bool *mask)
{
	struct qmi_print_ctx *c = ctx;

	fputc(']', c->p.out);
	if (raw) {
		fputs(",\"frame\":\"", c->p.out);
		for (size_t i = 0; i < len; i++) {
			if (mask[i])
				fputs("**", c->p.out);
			else
				fprintf(c->p.out, "%02x", raw[i]);
		}
		fputc('"', c->p.out);
	}
	fputs("}\n", c->p.out);
}

const struct qmi_print_ops qmi_print_json_ops = {
	.header = json_header,
	.result = json_result,
	.tlv_begin = json_tlv_begin,
	.tlv_end = json_tlv_end,
	.raw = json_raw,
	.area_error = json_area_error,
	.leaf = json_leaf,
	.open = json_open,
	.close = json_close,
	.end = json_end,
};
