/* SPDX-License-Identifier: MIT */
/*
 * Strings, operator names and PLMNs as real modems send them (qmi/strdec.h), and the one
 * escaping rule. Each golden input names where it comes from.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/strdec.h"

static void assert_decodes(enum qmi_str_enc enc, const uint8_t *p, size_t n, const char *want)
{
	char out[512];

	cr_assert_eq(qmi_str_decode(enc, p, n, 0, out, sizeof(out)), 0, "decoding to %s", want);
	cr_assert_str_eq(out, want);
}

/* ---------------------------------------------------------------- encodings */

/* Source of the next four inputs and expected strings: libqmi's test vectors,
 * linux-mobile-broadband/libqmi src/libqmi-glib/test/test-utils.c
 * (read-string-from-plmn-encoded-array/gsm7-default-chars, -extended-chars, -mixed-chars,
 * ucs2le): the NAS PLMN name encodings, GSM-7 packed and UCS-2 little endian. */
Test(strdec, gsm7_packed_default_alphabet)
{
	static const uint8_t gsm[] = {
		0x80, 0x80, 0x60, 0x40, 0x28, 0x18, 0x0E, 0x88, 0x84, 0x62, 0xC1, 0x68, 0x38, 0x1E,
		0x90, 0x88, 0x64, 0x42, 0xA9, 0x58, 0x2E, 0x98, 0x8C, 0x86, 0xD3, 0xF1, 0x7C, 0x40,
		0x21, 0xD1, 0x88, 0x54, 0x32, 0x9D, 0x50, 0x29, 0xD5, 0x8A, 0xD5, 0x72, 0xBD, 0x60,
		0x31, 0xD9, 0x8C, 0x56, 0xB3, 0xDD, 0x70, 0x39, 0xDD, 0x8E, 0xD7, 0xF3, 0xFD, 0x80,
		0x41, 0xE1, 0x90, 0x58, 0x34, 0x1E, 0x91, 0x49, 0xE5, 0x92, 0xD9, 0x74, 0x3E, 0xA1,
		0x51, 0xE9, 0x94, 0x5A, 0xB5, 0x5E, 0xB1, 0x59, 0xED, 0x96, 0xDB, 0xF5, 0x7E, 0xC1,
		0x61, 0xF1, 0x98, 0x5C, 0x36, 0x9F, 0xD1, 0x69, 0xF5, 0x9A, 0xDD, 0x76, 0xBF, 0xE1,
		0x71, 0xF9, 0x9C, 0x5E, 0xB7, 0xDF, 0xF1, 0x79, 0xFD, 0x9E, 0xDF, 0xF7, 0xFF, 0x01,
	};

	assert_decodes(QMI_STR_GSM7_PACKED, gsm, sizeof(gsm),
		       "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
		       "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà");
}

Test(strdec, gsm7_packed_extension_table)
{
	static const uint8_t gsm[] = {
		0x1B, 0xC5, 0x86, 0xB2, 0x41, 0x6D, 0x52, 0x9B, 0xD7,
		0x86, 0xB7, 0xE9, 0x6D, 0x7C, 0x1B, 0xE0, 0xA6, 0x0C,
	};

	assert_decodes(QMI_STR_GSM7_PACKED, gsm, sizeof(gsm), "\f^{}\\[~]|€");
}

Test(strdec, gsm7_packed_mixed)
{
	static const uint8_t gsm[] = {
		0x80, 0x80, 0x60, 0x40, 0x28, 0x18, 0x0E, 0x8C, 0x8D, 0xA2, 0x62, 0xB9, 0x60,
		0x32, 0x1B, 0x94, 0x86, 0xD3, 0xF1, 0xA0, 0x36, 0xA9, 0xD4, 0x0D, 0x97, 0xDB,
		0xBC, 0x74, 0x3B, 0x5E, 0xCF, 0xB7, 0xE1, 0xFD, 0x80, 0x51, 0xE9, 0x74, 0xE3,
		0xA3, 0x56, 0xB9, 0x1B, 0x60, 0xD7, 0xFB, 0x05, 0x87, 0xC5, 0xF0, 0xB8, 0x7C,
		0x4E, 0xAF, 0xDB, 0xF9, 0x7D, 0xFF, 0x7F, 0x53, 0x06,
	};

	assert_decodes(QMI_STR_GSM7_PACKED, gsm, sizeof(gsm),
		       "@£$¥èéùìø\fΩΠΨΣΘ{ΞÆæß(})789\\:;<=>[?¡QRS]TUÖ|ÑÜ§¿abpqrstuvöñüà€");
}

Test(strdec, ucs2le_and_ascii)
{
	static const uint8_t ucs2le[] = {
		0x54, 0x00, 0x2d, 0x00, 0x4d, 0x00, 0x6f, 0x00,
		0x62, 0x00, 0x69, 0x00, 0x6c, 0x00, 0x65, 0x00,
	};
	static const uint8_t ascii[] = { 'T', '-', 'M', 'o', 'b', 'i', 'l', 'e' };
	/* U+1F4F6 as a surrogate pair, then a NUL unit ending the string. */
	static const uint8_t pair[] = { 0x3d, 0xd8, 0xf6, 0xdc, 0x00, 0x00, 0x41, 0x00 };
	static const uint8_t lone[] = { 0x3d, 0xd8, 0x41, 0x00 };
	char out[16];

	assert_decodes(QMI_STR_UCS2LE, ucs2le, sizeof(ucs2le), "T-Mobile");
	/* Same source, network-description-encoded-array/ascii. */
	assert_decodes(QMI_STR_ASCII, ascii, sizeof(ascii), "T-Mobile");
	assert_decodes(QMI_STR_UCS2LE, pair, sizeof(pair), "\xf0\x9f\x93\xb6");
	cr_assert_eq(qmi_str_decode(QMI_STR_UCS2LE, ucs2le, 3, 0, out, sizeof(out)), -EBADMSG);
	cr_assert_eq(qmi_str_decode(QMI_STR_UCS2LE, lone, sizeof(lone), 0, out, sizeof(out)),
		     -EBADMSG);
	/* Never truncated: too long for the buffer is an error and an empty string. */
	cr_assert_eq(qmi_str_decode(QMI_STR_UCS2LE, ucs2le, sizeof(ucs2le), 0, out, 8), -EMSGSIZE);
	cr_assert_str_eq(out, "");
}

Test(strdec, gsm7_unpacked_and_spare_bits)
{
	/* One septet per byte: '@' is 0x00 and stays; 0xFF padding goes. */
	static const uint8_t unpacked[] = { 0x00, 0x41, 0x1b, 0x65, 0xff, 0xff };
	/* "Hi" packed: 'H' 0x48, 'i' 0x69 -> c8 34 with two spare bits in the last byte. */
	static const uint8_t hi[] = { 0xc8, 0x34 };
	char out[8];

	assert_decodes(QMI_STR_GSM7, unpacked, sizeof(unpacked), "@A€");
	cr_assert_eq(qmi_str_decode(QMI_STR_GSM7_PACKED, hi, sizeof(hi), 2, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "Hi");
	cr_assert_eq(qmi_str_decode(QMI_STR_GSM7_PACKED, hi, sizeof(hi), 8, out, sizeof(out)),
		     -EBADMSG);
}

/* ---------------------------------------------------------------- padding */

Test(strdec, nul_and_ff_padding)
{
	static const uint8_t nul[] = { '1', '2', 0x00, 'x', 'y' };
	static const uint8_t ff[] = { '8', '9', 0xff, 0xff };
	static const uint8_t inner_ff[] = { 0xff, 'a' };

	cr_assert_eq(qmi_str_len(nul, sizeof(nul)), 2, "what follows a NUL is not the value");
	cr_assert_eq(qmi_str_len(ff, sizeof(ff)), 2);
	cr_assert_eq(qmi_str_len(inner_ff, sizeof(inner_ff)), 2, "only trailing 0xFF is padding");
	cr_assert_eq(qmi_str_len(ff, 0), 0);
}

/* The message database reads strings by the same rule. DMS Get IDs response as a modem sends
 * it, with the IMEI 0xFF-padded to a fixed field and the ESN NUL-terminated inside its TLV
 * (padding as in the MNC of vintage_net_qmi issue 199, below). */
Test(strdec, msgdb_strings_lose_padding)
{
	static const uint8_t tlvs[] = {
		0x10, 0x02, 0x00, '0', 0x00, 0x11, 0x11, 0x00, '3', '5', '9',  '0',  '7',
		'2',  '0',  '6',  '1', '2',  '3',  '4',  '5',  '6', '7', 0xff, 0xff,
	};
	struct qmi_dms_get_ids_resp r;

	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_ids_resp_def, tlvs, sizeof(tlvs), &r), 0);
	cr_assert_str_eq(r.esn, "0");
	cr_assert_str_eq(r.imei, "359072061234567");
}

/* ---------------------------------------------------------------- PLMN */

/* Source: nerves-networking/vintage_net_qmi issue 199 ("MNC not decoded correctly"): a modem
 * reported MCC "214" and MNC <<48, 55, 255>>, which must read "07". */
Test(strdec, plmn_ascii_ff_padded_mnc)
{
	static const uint8_t mcc[] = { '2', '1', '4' };
	static const uint8_t mnc[] = { 48, 55, 255 };
	static const uint8_t bad[] = { '0', 'x', 0xff };
	struct qmi_plmn_str p;

	cr_assert_eq(qmi_plmn_from_ascii(mcc, sizeof(mcc), mnc, sizeof(mnc), &p), 0);
	cr_assert_str_eq(p.mcc, "214");
	cr_assert_str_eq(p.mnc, "07");
	cr_assert_eq(qmi_plmn_from_ascii(mcc, sizeof(mcc), bad, sizeof(bad), &p), -EINVAL);
	cr_assert_eq(qmi_plmn_from_ascii(mcc, 2, mnc, sizeof(mnc), &p), -EINVAL);
}

/* NAS numbers: MNC 1 is "01"; with the PCS digit flag (NAS Get Serving System TLV 0x27 in libqmi's
 * data/qmi-service-nas.json, "MNC PCS Digit Include Status") it is "001". */
Test(strdec, plmn_numbers_keep_digits)
{
	struct qmi_plmn_str p;

	cr_assert_eq(qmi_plmn_from_numbers(1, 1, false, &p), 0);
	cr_assert_str_eq(p.mcc, "001");
	cr_assert_str_eq(p.mnc, "01");
	cr_assert_eq(qmi_plmn_from_numbers(310, 1, true, &p), 0);
	cr_assert_str_eq(p.mnc, "001");
	cr_assert_eq(qmi_plmn_from_numbers(310, 260, false, &p), 0);
	cr_assert_str_eq(p.mnc, "260");
	cr_assert_eq(qmi_plmn_from_numbers(1000, 1, false, &p), -EINVAL);
	cr_assert_eq(qmi_plmn_from_numbers(310, 1000, false, &p), -EINVAL);
}

/* 3GPP TS 24.008 10.5.1.3 BCD. Source of the three-digit case: open5gs/open5gs pull request
 * 166 (MCC 311, MNC 280 encode as 13 01 82). */
Test(strdec, plmn_bcd)
{
	static const uint8_t three[] = { 0x13, 0x01, 0x82 };
	static const uint8_t two[] = { 0x12, 0xf4, 0x70 }; /* 214 07: MNC digit 3 is 0xF */
	static const uint8_t bad[] = { 0x1a, 0xf4, 0x70 };
	struct qmi_plmn_str p;

	cr_assert_eq(qmi_plmn_from_bcd(three, &p), 0);
	cr_assert_str_eq(p.mcc, "311");
	cr_assert_str_eq(p.mnc, "280");
	cr_assert_eq(qmi_plmn_from_bcd(two, &p), 0);
	cr_assert_str_eq(p.mcc, "214");
	cr_assert_str_eq(p.mnc, "07");
	cr_assert_eq(qmi_plmn_from_bcd(bad, &p), -EINVAL);
}

/* ---------------------------------------------------------------- escaping */

static char *escaped(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(qmi_str_escape(f, s, n), 0);
	fclose(f);
	return buf;
}

Test(strdec, escape_never_lets_controls_through)
{
	/* ESC [2J (clear screen), a C1 CSI (U+009B), a bare 0xFF, a quote, DEL, valid UTF-8. */
	static const char in[] = "\x1b[2J\xc2\x9b\xff\"\x7f\xc3\xa9";
	char *s = escaped(in, sizeof(in) - 1);

	cr_assert_str_eq(s, "\\u001b[2J\\u009b\\u00ff\\\"\\u007f\xc3\xa9");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		cr_assert(*p >= 0x20 && *p != 0x7f, "raw control byte 0x%02x", *p);
	free(s);
}

/* A real modem counts the NUL in a string's length. Source: a Sierra Wireless MC7710's reply
 * to DMS 0x5556, whose TLV 0x10 is "10 07 00 4d 43 37 37 31 30 00" ("MC7710" and its NUL),
 * in https://lists.freedesktop.org/archives/libqmi-devel/2015-February/001103.html. The same
 * value bytes given to DMS Get Model's TLV 0x01. */
Test(strdec, real_modem_counts_the_nul)
{
	static const uint8_t tlvs[] = {
		0x01, 0x07, 0x00, 0x4d, 0x43, 0x37, 0x37, 0x31, 0x30, 0x00
	};
	struct qmi_dms_get_model_resp r;

	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_model_resp_def, tlvs, sizeof(tlvs), &r), 0);
	cr_assert(r.has_model);
	cr_assert_str_eq(r.model, "MC7710");
	cr_assert_eq(strlen(r.model), 6);
}

/* The encoding bytes of NAS TLVs. Source of the values and of the "T-Mobile" inputs: libqmi's
 * QmiNasNetworkDescriptionEncoding and QmiNasPlmnEncodingScheme (src/libqmi-glib/
 * qmi-enums-nas.h) and its test-utils.c cases network-description-encoded-array/ucs2le, ascii,
 * unknown (0xFF: not decodable). */
Test(strdec, nas_encoding_bytes)
{
	static const uint8_t ucs2le[] = {
		0x54, 0x00, 0x2d, 0x00, 0x4d, 0x00, 0x6f, 0x00,
		0x62, 0x00, 0x69, 0x00, 0x6c, 0x00, 0x65, 0x00,
	};
	enum qmi_str_enc enc = QMI_STR_ASCII;

	cr_assert_eq(qmi_str_enc_nas_description(0x04, &enc), 0);
	assert_decodes(enc, ucs2le, sizeof(ucs2le), "T-Mobile");
	cr_assert_eq(qmi_str_enc_nas_description(0x00, &enc), 0);
	cr_assert_eq(enc, QMI_STR_ASCII);
	cr_assert_eq(qmi_str_enc_nas_description(0x01, &enc), 0);
	cr_assert_eq(enc, QMI_STR_ASCII);
	cr_assert_eq(qmi_str_enc_nas_description(0x09, &enc), 0);
	cr_assert_eq(enc, QMI_STR_GSM7_PACKED);
	cr_assert_eq(qmi_str_enc_nas_description(0xff, &enc), -EINVAL);
	cr_assert_eq(qmi_str_enc_nas_plmn(0x00, &enc), 0);
	cr_assert_eq(enc, QMI_STR_GSM7_PACKED);
	cr_assert_eq(qmi_str_enc_nas_plmn(0x01, &enc), 0);
	assert_decodes(enc, ucs2le, sizeof(ucs2le), "T-Mobile");
	cr_assert_eq(qmi_str_enc_nas_plmn(0x02, &enc), -EINVAL);
}

/* More BCD PLMNs from public sources: "32 f2 10" reads MCC 232, MNC 01 (a Sierra Wireless
 * AT+KCELL answer, https://devpeace.com/gsm/10345379/how-can-i-extract-the-mcc-and-mnc-from-a-plmn),
 * and GSM 11.11's example "42 f6 18" reads MCC 246, MNC 81, quoted on the same page. */
Test(strdec, plmn_bcd_public_examples)
{
	static const uint8_t kcell[] = { 0x32, 0xf2, 0x10 };
	static const uint8_t spec[] = { 0x42, 0xf6, 0x18 };
	struct qmi_plmn_str p;

	cr_assert_eq(qmi_plmn_from_bcd(kcell, &p), 0);
	cr_assert_str_eq(p.mcc, "232");
	cr_assert_str_eq(p.mnc, "01");
	cr_assert_eq(qmi_plmn_from_bcd(spec, &p), 0);
	cr_assert_str_eq(p.mcc, "246");
	cr_assert_str_eq(p.mnc, "81");
}

/* NAS Get Home Network's "Home Network 3GPP2" TLV (0x11) carries its description's encoding
 * byte (layout: libqmi data/qmi-service-nas.json, "Get Home Network"; name bytes: libqmi's
 * test-utils.c vectors). The decoder turns each declared encoding into UTF-8; an encoding no
 * table names drops that TLV alone, and the required 0x01 still decodes. */
Test(strdec, home_network_declared_encodings)
{
	static const uint8_t ucs2[] = {
		0x01, 0x08, 0x00, 0x36, 0x01, 0x04, 0x01, 0x03, 'A',  'B',  'C', /* 310 260 */
		0x11, 0x17, 0x00, 0x36, 0x01, 0x04, 0x01, 0x01, 0x04, 0x10, 0x54, 0x00, 0x2d,
		0x00, 0x4d, 0x00, 0x6f, 0x00, 0x62, 0x00, 0x69, 0x00, 0x6c, 0x00, 0x65, 0x00,
	};
	static const uint8_t gsm[] = {
		0x01, 0x05, 0x00, 0x36, 0x01, 0x04, 0x01, 0x00, 0x11, 0x19, 0x00, 0x36,
		0x01, 0x04, 0x01, 0x01, 0x09, 0x12, 0x1B, 0xC5, 0x86, 0xB2, 0x41, 0x6D,
		0x52, 0x9B, 0xD7, 0x86, 0xB7, 0xE9, 0x6D, 0x7C, 0x1B, 0xE0, 0xA6, 0x0C,
	};
	static const uint8_t unknown[] = {
		0x01, 0x05, 0x00, 0x36, 0x01, 0x04, 0x01, 0x00, 0x11, 0x08,
		0x00, 0x36, 0x01, 0x04, 0x01, 0x01, 0xff, 0x01, 'x',
	};
	struct qmi_nas_get_home_network_resp r;
	struct qmi_decode_info info;

	cr_assert_eq(qmi_msg_decode(&qmi_nas_get_home_network_resp_def, ucs2, sizeof(ucs2), &r), 0);
	cr_assert(r.has_home_network && r.has_home_network_3gpp2);
	cr_assert_eq(r.home_network.mcc, 310);
	cr_assert_str_eq(r.home_network.description, "ABC");
	cr_assert_str_eq(r.home_network_3gpp2.description, "T-Mobile");
	cr_assert_eq(qmi_msg_decode(&qmi_nas_get_home_network_resp_def, gsm, sizeof(gsm), &r), 0);
	cr_assert_str_eq(r.home_network_3gpp2.description, "\f^{}\\[~]|€");
	cr_assert_eq(qmi_msg_decode_ex(&qmi_nas_get_home_network_resp_def, unknown, sizeof(unknown),
				       &r, &info),
		     0);
	cr_assert(r.has_home_network && !r.has_home_network_3gpp2);
	cr_assert(qmi_decode_dropped(&qmi_nas_get_home_network_resp_def, &info, 0x11));
}
