/* SPDX-License-Identifier: MIT */
/* The string and PLMN fuzz target bodies (fuzz_strings.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_strings.h"
#include "qmi/strdec.h"

#define CHECK(x)                                                                                   \
	do {                                                                                       \
		if (!(x))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

/* An independent UTF-8 check (RFC 3629), deliberately simpler than the escaper's. */
static bool valid_utf8(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t len = c < 0x80                 ? 1
			     : c >= 0xc2 && c <= 0xdf ? 2
			     : c >= 0xe0 && c <= 0xef ? 3
			     : c >= 0xf0 && c <= 0xf4 ? 4
						      : 0;
		uint32_t cp = len == 1   ? c
			      : len == 2 ? c & 0x1fu
			      : len == 3 ? c & 0x0fu
					 : c & 0x07u;

		if (!len || i + len > n)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

static void check_escape(const uint8_t *p, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	CHECK(qmi_str_escape(f, (const char *)p, n) == 0);
	CHECK(fclose(f) == 0);
	CHECK(valid_utf8((const unsigned char *)buf, len));
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		CHECK(c >= 0x20 && c != 0x7f);
		/* No C1 control either (U+0080-U+009F is c2 80-c2 9f). */
		CHECK(!(c == 0xc2 && i + 1 < len && (unsigned char)buf[i + 1] < 0xa0));
	}
	free(buf);
}

int qmi_fuzz_string(const uint8_t *data, size_t size)
{
	char out[300];
	size_t cap, l;
	unsigned enc, spare;
	int err;

	if (size < 1)
		return 0;
	enc = data[0] & 0x03;
	spare = (data[0] >> 2) & 0x0f; /* 8-15: out of range on purpose */
	cap = 1 + (size_t)(data[0] >> 6) * 99;
	data++;
	size--;
	memset(out, 0x5a, sizeof(out));
	err = qmi_str_decode((enum qmi_str_enc)enc, data, size, spare, out, cap);
	CHECK(err == 0 || err == -EBADMSG || err == -EMSGSIZE);
	CHECK(memchr(out, 0, cap) != NULL);
	for (size_t i = cap; i < sizeof(out); i++)
		CHECK(out[i] == 0x5a); /* nothing written past cap */
	if (err == 0 && enc != QMI_STR_ASCII)
		CHECK(valid_utf8((const unsigned char *)out, strlen(out)));
	l = qmi_str_len(data, size);
	CHECK(l <= size);
	CHECK(l == 0 || data[l - 1] != 0xff);
	CHECK(memchr(data, 0, l) == NULL);
	check_escape(data, size);
	if (err == 0)
		check_escape((const uint8_t *)out, strlen(out));
	return 0;
}

static void check_plmn(const struct qmi_plmn_str *p)
{
	size_t mnc = strlen(p->mnc);

	CHECK(strlen(p->mcc) == 3 && (mnc == 2 || mnc == 3));
	for (size_t i = 0; i < 3; i++)
		CHECK(p->mcc[i] >= '0' && p->mcc[i] <= '9');
	for (size_t i = 0; i < mnc; i++)
		CHECK(p->mnc[i] >= '0' && p->mnc[i] <= '9');
}

int qmi_fuzz_plmn(const uint8_t *data, size_t size)
{
	struct qmi_plmn_str p;
	size_t split;

	if (size >= 3 && qmi_plmn_from_bcd(data, &p) == 0)
		check_plmn(&p);
	if (size >= 5) {
		uint16_t mcc = (uint16_t)(data[0] | data[1] << 8);
		uint16_t mnc = (uint16_t)(data[2] | data[3] << 8);

		if (qmi_plmn_from_numbers(mcc, mnc, data[4] & 1, &p) == 0) {
			check_plmn(&p);
			CHECK(atoi(p.mcc) == mcc && atoi(p.mnc) == mnc);
		} else {
			CHECK(mcc > 999 || mnc > 999);
		}
	}
	split = size ? data[0] % (size + 1) : 0;
	if (qmi_plmn_from_ascii(data, split, data + split, size - split, &p) == 0)
		check_plmn(&p);
	return 0;
}
