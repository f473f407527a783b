/* SPDX-License-Identifier: MIT */
/* The printer's text back end: the indented form of -v traces and `raw`. */
#include <inttypes.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/msgprint.h"
#include "qmi/strdec.h"

/* Strings come from the modem: escaped as JSON output escapes them, never written raw. */
static void text_string(FILE *out, const char *s)
{
	fputc('"', out);
	qmi_str_escape(out, s, strlen(s));
	fputc('"', out);
}

static void text_hex(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? " " : "", p[i]);
}

static void text_num(FILE *out, const struct qmi_pval *v)
{
	const struct qmi_field *f = v->f;

	if ((f->flags & QMI_FF_BOOL) && v->num.u <= 1) {
		fputs(v->num.u ? "yes" : "no", out);
		return;
	}
	if ((f->flags & QMI_FF_HEX) || (f->names && f->names->bitmask))
		fprintf(out, "0x%0*" PRIx64, (int)(f->size * 2), v->num.u);
	else if (v->num.is_signed)
		fprintf(out, "%" PRId64, v->num.s);
	else
		fprintf(out, "%" PRIu64, v->num.u);
	if (v->name)
		fprintf(out, " (%s)", v->name);
}

/* The label of the next value at the current depth: a TLV's, a member's or "[i]". */
static const char *label(struct qmi_print_ctx *c, const char *key, char *buf, size_t cap)
{
	if (c->depth == 0)
		return c->label;
	if (key)
		return key;
	snprintf(buf, cap, "[%zu]", c->index[c->depth]++);
	return buf;
}

static void text_header(void *ctx, const struct qmi_frame *f, const char *name,
			const struct qmi_result *r)
{
	struct qmi_print_ctx *c = ctx;
	FILE *out = c->p.out;
	const char *svc = qmi_service_name(f->service);
	char stamp[48];

	(void)r; /* printed in TLV order by text_result */
	if (c->p.flags & QMI_PRINT_TIME) {
		qmi_print_stamp(stamp, sizeof(stamp));
		fputs(stamp, out);
	}
	if (c->p.prefix)
		fprintf(out, "%s ", c->p.prefix);
	if (svc)
		fprintf(out, "%s ", svc);
	else
		fprintf(out, "svc 0x%02x ", f->service);
	if (name)
		fprintf(out, "\"%s\" ", name);
	fprintf(out, "(0x%04x) %s cid=%u txn=%u tlv_len=%zu\n", f->msg_id, qmi_kind_name(f->kind),
		f->client_id, f->txn, f->tlvs_len);
}

static void text_result(void *ctx, const struct qmi_result *r)
{
	struct qmi_print_ctx *c = ctx;
	const char *name = qmi_error_name(r->error);

	fprintf(c->p.out, "  [0x02] Result: %s", r->status == 0 ? "success" : "failure");
	if (r->status != 0 || r->error != 0)
		fprintf(c->p.out, ", error %u (%s)", r->error, name ? name : "unknown");
	fputc('\n', c->p.out);
}

static void text_tlv_begin(void *ctx, const struct qmi_tlv_def *t)
{
	struct qmi_print_ctx *c = ctx;

	snprintf(c->label, sizeof(c->label), "[0x%02x] %s", t->id, t->name);
}

static void text_tlv_end(void *ctx)
{
	(void)ctx;
}

static void text_raw(void *ctx, const struct qmi_tlv *tlv, const char *name, int err, bool dropped)
{
	struct qmi_print_ctx *c = ctx;

	fprintf(c->p.out, "  [0x%02x] %s", tlv->type, name ? name : "(unknown)");
	if (err)
		fprintf(c->p.out, " (invalid%s: %s)", dropped ? ", dropped" : "", strerror(-err));
	fprintf(c->p.out, " %u byte%s: ", tlv->len, tlv->len == 1 ? "" : "s");
	if (tlv->val)
		text_hex(c->p.out, tlv->val, tlv->len);
	else
		fputs("(hidden)", c->p.out);
	fputc('\n', c->p.out);
}

static void text_area_error(void *ctx, int err)
{
	struct qmi_print_ctx *c = ctx;

	fprintf(c->p.out, "  (TLV area malformed: %s)\n", strerror(-err));
}

static void text_leaf(void *ctx, const char *key, const struct qmi_pval *v)
{
	struct qmi_print_ctx *c = ctx;
	FILE *out = c->p.out;
	char buf[24];

	if (c->inline_[c->depth]) {
		if (c->index[c->depth]++)
			fputs(", ", out);
	} else {
		fprintf(out, "%*s%s: ", 2 + 2 * c->depth, "", label(c, key, buf, sizeof(buf)));
	}
	switch (v->kind) {
	case QMI_PV_NUM:
		text_num(out, v);
		break;
	case QMI_PV_STRING:
		text_string(out, v->s);
		break;
	case QMI_PV_TEXT:
		fputs(v->s, out);
		break;
	case QMI_PV_HEX:
		fputc('[', out);
		text_hex(out, v->bytes, v->n);
		fputc(']', out);
		break;
	case QMI_PV_REDACTED:
		fprintf(out, "### (%s)", v->s);
		break;
	}
	if (!c->inline_[c->depth])
		fputc('\n', out);
}

static void text_open(void *ctx, const char *key, bool array, size_t n, bool leaves)
{
	struct qmi_print_ctx *c = ctx;
	char buf[24];

	fprintf(c->p.out, "%*s%s:", 2 + 2 * c->depth, "", label(c, key, buf, sizeof(buf)));
	if (array && leaves)
		fputs(" [", c->p.out);
	else if (array)
		fprintf(c->p.out, " %zu entr%s\n", n, n == 1 ? "y" : "ies");
	else
		fputc('\n', c->p.out);
	if (c->depth + 1 < (int)(sizeof(c->index) / sizeof(c->index[0])))
		c->depth++;
	c->inline_[c->depth] = array && leaves;
	c->index[c->depth] = 0;
}

static void text_close(void *ctx, bool array)
{
	struct qmi_print_ctx *c = ctx;

	if (array && c->inline_[c->depth])
		fputs("]\n", c->p.out);
	c->inline_[c->depth] = false;
	if (c->depth > 0)
		c->depth--;
}

static void text_end(void *ctx, const uint8_t *raw, size_t len, const bool *mask)
{
	struct qmi_print_ctx *c = ctx;

	if (!raw)
		return;
	fputs("  raw:", c->p.out);
	for (size_t i = 0; i < len; i++) {
		if (mask[i])
			fputs(i ? ":**" : " **", c->p.out);
		else
			fprintf(c->p.out, "%c%02x", i ? ':' : ' ', raw[i]);
	}
	fputc('\n', c->p.out);
}

const struct qmi_print_ops qmi_print_text_ops = {
	.header = text_header,
	.result = text_result,
	.tlv_begin = text_tlv_begin,
	.tlv_end = text_tlv_end,
	.raw = text_raw,
	.area_error = text_area_error,
	.leaf = text_leaf,
	.open = text_open,
	.close = text_close,
	.end = text_end,
};
