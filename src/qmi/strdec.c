/* SPDX-License-Identifier: MIT */
/* String, operator name and PLMN decoding (strdec.h). The bytes come from an untrusted modem. */
#include <errno.h>
#include <string.h>

#include "qmi/strdec.h"

size_t qmi_str_len(const uint8_t *p, size_t n)
{
	const uint8_t *nul = n ? memchr(p, 0, n) : NULL;

	if (nul)
		n = (size_t)(nul - p);
	while (n && p[n - 1] == 0xff)
		n--;
	return n;
}

/* The GSM 7-bit default alphabet (3GPP TS 23.038 6.2.1), as Unicode code points. */
static const uint16_t gsm7_default[128] = {
	0x0040, 0x00a3, 0x0024, 0x00a5, 0x00e8, 0x00e9, 0x00f9, 0x00ec, 0x00f2, 0x00c7, 0x000a,
	0x00d8, 0x00f8, 0x000d, 0x00c5, 0x00e5, 0x0394, 0x005f, 0x03a6, 0x0393, 0x039b, 0x03a9,
	0x03a0, 0x03a8, 0x03a3, 0x0398, 0x039e, 0x00a0, 0x00c6, 0x00e6, 0x00df, 0x00c9, 0x0020,
	0x0021, 0x0022, 0x0023, 0x00a4, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002a, 0x002b,
	0x002c, 0x002d, 0x002e, 0x002f, 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036,
	0x0037, 0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e, 0x003f, 0x00a1, 0x0041,
	0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, 0x0048, 0x0049, 0x004a, 0x004b, 0x004c,
	0x004d, 0x004e, 0x004f, 0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005a, 0x00c4, 0x00d6, 0x00d1, 0x00dc, 0x00a7, 0x00bf, 0x0061, 0x0062,
	0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006a, 0x006b, 0x006c, 0x006d,
	0x006e, 0x006f, 0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, 0x0078,
	0x0079, 0x007a, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0,
};

#define GSM7_ESCAPE 0x1b

/* The extension table (after the escape septet); anything else reads as the default table's
 * character, as TS 23.038 tells a receiver to do. */
static uint32_t gsm7_ext(uint8_t s)
{
	switch (s) {
	case 0x0a:
		return 0x000c;
	case 0x14:
		return '^';
	case 0x28:
		return '{';
	case 0x29:
		return '}';
	case 0x2f:
		return '\\';
	case 0x3c:
		return '[';
	case 0x3d:
		return '~';
	case 0x3e:
		return ']';
	case 0x40:
		return '|';
	case 0x65:
		return 0x20ac;
	default:
		return gsm7_default[s & 0x7f];
	}
}

struct utf8_out {
	char *p;
	size_t cap, len;
	bool full;
};

static void put_cp(struct utf8_out *o, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | cp >> 6);
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | cp >> 12);
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | cp >> 18);
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (o->full || o->len + n >= o->cap) {
		o->full = true;
		return;
	}
	memcpy(o->p + o->len, b, n);
	o->len += n;
}

/* Septet i of the packed string p[0..n): bits 7i..7i+6, least significant first. */
static uint8_t septet(const uint8_t *p, size_t n, size_t i)
{
	size_t bit = i * 7, at = bit / 8;
	unsigned shift = bit % 8;
	unsigned v = p[at] >> shift;

	if (shift > 1 && at + 1 < n)
		v |= (unsigned)p[at + 1] << (8 - shift);
	return (uint8_t)(v & 0x7f);
}

static void gsm7(struct utf8_out *o, const uint8_t *p, size_t n, bool packed, unsigned spare)
{
	size_t count = packed ? (n * 8 - (n ? spare : 0)) / 7 : n;
	bool esc = false;

	/* Seven spare bits in the last byte hold a CR filler (TS 23.038 6.1.2.3.1), or zeros
	 * from firmware that skips the rule: neither is text. */
	if (packed && !spare && n && (n * 8) % 7 == 0) {
		uint8_t last = septet(p, n, count - 1);

		if (last == 0x0d || last == 0x00)
			count--;
	}
	for (size_t i = 0; i < count; i++) {
		uint8_t s = packed ? septet(p, n, i) : p[i] & 0x7f;

		if (esc) {
			put_cp(o, gsm7_ext(s));
			esc = false;
		} else if (s == GSM7_ESCAPE) {
			esc = true;
		} else {
			put_cp(o, gsm7_default[s]);
		}
	}
	if (esc)
		put_cp(o, ' '); /* an escape at the very end: TS 23.038 reads it as a space */
}

static int ucs2le(struct utf8_out *o, const uint8_t *p, size_t n)
{
	if (n % 2)
		return -EBADMSG;
	for (size_t i = 0; i < n; i += 2) {
		uint32_t u = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8;

		if (u == 0)
			break;
		if (u >= 0xd800 && u <= 0xdbff) {
			uint32_t lo = i + 3 < n ? ((uint32_t)p[i + 2] | (uint32_t)p[i + 3] << 8)
						: 0;

			if (lo < 0xdc00 || lo > 0xdfff)
				return -EBADMSG;
			u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		} else if (u >= 0xdc00 && u <= 0xdfff) {
			return -EBADMSG;
		}
		put_cp(o, u);
	}
	return 0;
}

int qmi_str_decode(enum qmi_str_enc enc, const uint8_t *p, size_t n, unsigned spare_bits, char *out,
		   size_t cap)
{
	struct utf8_out o = { .p = out, .cap = cap };
	int err = 0;

	if (!out || !cap || (n && !p))
		return -EINVAL;
	out[0] = '\0';
	switch (enc) {
	case QMI_STR_ASCII:
		n = qmi_str_len(p, n);
		if (n >= cap)
			return -EMSGSIZE;
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	case QMI_STR_GSM7_PACKED:
		/* Every byte value is data here (0x00 holds '@'), so nothing is padding. */
		if (spare_bits > 7)
			return -EBADMSG;
		gsm7(&o, p, n, true, spare_bits);
		break;
	case QMI_STR_GSM7:
		/* 0x00 is '@'; 0xFF is no septet at all, so only it can be padding. */
		while (n && p[n - 1] == 0xff)
			n--;
		gsm7(&o, p, n, false, 0);
		break;
	case QMI_STR_UCS2LE:
		err = ucs2le(&o, p, n);
		break;
	default:
		return -EINVAL;
	}
	if (!err && o.full)
		err = -EMSGSIZE;
	out[err ? 0 : o.len] = '\0';
	return err;
}

int qmi_str_enc_nas_description(uint8_t v, enum qmi_str_enc *enc)
{
	switch (v) {
	case 0x00:
	case 0x01:
		*enc = QMI_STR_ASCII;
		return 0;
	case 0x04:
		*enc = QMI_STR_UCS2LE;
		return 0;
	case 0x09:
		*enc = QMI_STR_GSM7_PACKED;
		return 0;
	default:
		return -EINVAL;
	}
}

int qmi_str_enc_nas_plmn(uint8_t v, enum qmi_str_enc *enc)
{
	switch (v) {
	case 0x00:
		*enc = QMI_STR_GSM7_PACKED;
		return 0;
	case 0x01:
		*enc = QMI_STR_UCS2LE;
		return 0;
	default:
		return -EINVAL;
	}
}

/* Length of the valid UTF-8 sequence at p[0..left) (1-4), or 0 when it is not one: overlong
 * forms, surrogates and code points past U+10FFFF are not UTF-8 (RFC 3629). */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

int qmi_str_escape(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	bool bad = false;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t len;

		switch (c) {
		case '"':
			bad |= fputs("\\\"", f) == EOF;
			i++;
			continue;
		case '\\':
			bad |= fputs("\\\\", f) == EOF;
			i++;
			continue;
		case '\n':
			bad |= fputs("\\n", f) == EOF;
			i++;
			continue;
		case '\r':
			bad |= fputs("\\r", f) == EOF;
			i++;
			continue;
		case '\t':
			bad |= fputs("\\t", f) == EOF;
			i++;
			continue;
		default:
			break;
		}
		len = c < 0x20 || c == 0x7f ? 0 : utf8_seq(p + i, n - i);
		if (len == 2 && c == 0xc2 && p[i + 1] < 0xa0) {
			/* A C1 control (U+0080-U+009F) acts on terminals too. */
			bad |= fprintf(f, "\\u%04x", p[i + 1]) < 0;
			i += 2;
			continue;
		}
		if (!len) {
			bad |= fprintf(f, "\\u%04x", c) < 0;
			i++;
			continue;
		}
		bad |= fwrite(p + i, 1, len, f) != len;
		i += len;
	}
	return bad ? -EIO : 0;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

int qmi_plmn_from_numbers(uint16_t mcc, uint16_t mnc, bool mnc3, struct qmi_plmn_str *out)
{
	if (!out || mcc > 999 || mnc > 999)
		return -EINVAL;
	snprintf(out->mcc, sizeof(out->mcc), "%03u", (unsigned)mcc);
	snprintf(out->mnc, sizeof(out->mnc), mnc3 || mnc > 99 ? "%03u" : "%02u", (unsigned)mnc);
	return 0;
}

int qmi_plmn_from_bcd(const uint8_t b[3], struct qmi_plmn_str *out)
{
	static const char digit[] = "0123456789";
	uint8_t d[6] = { b[0] & 0x0f, b[0] >> 4, b[1] & 0x0f, b[2] & 0x0f, b[2] >> 4, b[1] >> 4 };

	if (!out)
		return -EINVAL;
	for (size_t i = 0; i < 6; i++)
		if (d[i] > 9 && !(i == 5 && d[i] == 0x0f))
			return -EINVAL;
	out->mcc[0] = digit[d[0]];
	out->mcc[1] = digit[d[1]];
	out->mcc[2] = digit[d[2]];
	out->mcc[3] = '\0';
	out->mnc[0] = digit[d[3]];
	out->mnc[1] = digit[d[4]];
	out->mnc[2] = d[5] == 0x0f ? '\0' : digit[d[5]];
	out->mnc[3] = '\0';
	return 0;
}

/* Copies the digits of p[0..n) into dst[0..cap), dropping NUL, 0xFF and space padding at the
 * end. -EINVAL when what is left does not fit. */
static int digits(const uint8_t *p, size_t n, char *dst, size_t cap)
{
	n = qmi_str_len(p, n);
	while (n && p[n - 1] == ' ')
		n--;
	if (n >= cap)
		return -EINVAL;
	memcpy(dst, p, n);
	dst[n] = '\0';
	return all_digits(dst) ? 0 : -EINVAL;
}

int qmi_plmn_from_ascii(const uint8_t *mcc, size_t mcc_len, const uint8_t *mnc, size_t mnc_len,
			struct qmi_plmn_str *out)
{
	if (!out || (mcc_len && !mcc) || (mnc_len && !mnc))
		return -EINVAL;
	if (digits(mcc, mcc_len, out->mcc, sizeof(out->mcc)) || strlen(out->mcc) != 3 ||
	    digits(mnc, mnc_len, out->mnc, sizeof(out->mnc)) || strlen(out->mnc) < 2) {
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	return 0;
}
