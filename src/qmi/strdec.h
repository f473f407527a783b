/* SPDX-License-Identifier: MIT */
/*
 * Strings and network identifiers as modems send them, read the way libqmi reads them: a
 * string ends at its first NUL and loses trailing 0xFF padding; operator names come in the
 * encoding their TLV declares (ASCII, GSM-7 packed or unpacked, UCS-2) and are turned into
 * UTF-8; an MCC or MNC keeps its digits (an MNC of "01" is not "1"). And one escaping rule for
 * every byte that reaches a terminal or a JSON document.
 */
#ifndef QMI_STRDEC_H
#define QMI_STRDEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The length of the string in p[0..n): up to the first NUL, without trailing 0xFF bytes. */
size_t qmi_str_len(const uint8_t *p, size_t n);

enum qmi_str_enc {
	QMI_STR_ASCII,       /* bytes as they are (UTF-8 passes; anything else is escaped later) */
	QMI_STR_GSM7_PACKED, /* 3GPP TS 23.038 default alphabet, septets packed LSB first */
	QMI_STR_GSM7,        /* the same alphabet, one septet per byte */
	QMI_STR_UCS2LE,      /* 16-bit little-endian units (surrogate pairs accepted) */
};

/* Decodes p[0..n) from enc into NUL-terminated UTF-8 in out[0..cap). spare_bits (0-7) is the
 * number of unused bits in the last byte of packed GSM-7, when the TLV says; other encodings
 * ignore it. 0, -EBADMSG (odd UCS-2 length, a lone surrogate, a septet past the data),
 * -EMSGSIZE (does not fit out; out then holds ""), -EINVAL (unknown enc, cap 0). */
int qmi_str_decode(enum qmi_str_enc enc, const uint8_t *p, size_t n, unsigned spare_bits, char *out,
		   size_t cap);

/* The encoding bytes NAS TLVs carry, as libqmi names them: a network description's
 * (QmiNasNetworkDescriptionEncoding: 0 unspecified and 1 ASCII-7 are ASCII, 4 UCS-2LE, 9 GSM-7
 * packed) and a PLMN name's (QmiNasPlmnEncodingScheme: 0 GSM-7 packed, 1 UCS-2LE). 0, or
 * -EINVAL for a value neither names: the name is then not decodable. */
int qmi_str_enc_nas_description(uint8_t v, enum qmi_str_enc *enc);
int qmi_str_enc_nas_plmn(uint8_t v, enum qmi_str_enc *enc);

/* Writes s[0..n) with every byte that could act on a terminal or break JSON escaped, the same
 * way for human and JSON output: \" \\ \n \r \t, \u00XX for other control bytes and for bytes
 * that are not UTF-8 (as their Latin-1 code point); valid UTF-8 passes. No quotes around it.
 * 0 or -EIO. */
int qmi_str_escape(FILE *f, const char *s, size_t n);

/* A network identity as text: "001" and "01" (two digits) or "001" (three). */
struct qmi_plmn_str {
	char mcc[4];
	char mnc[4];
};

/* From NAS's numbers: mnc3 says the MNC has three digits (the "PCS digit" flag); without it an
 * MNC under 100 prints as two digits. -EINVAL when a number has more than three digits. */
int qmi_plmn_from_numbers(uint16_t mcc, uint16_t mnc, bool mnc3, struct qmi_plmn_str *out);
/* From the 3-byte BCD form of 3GPP TS 24.008 (MNC digit 3 = 0xF: a two-digit MNC). -EINVAL
 * when a digit is not 0-9. */
int qmi_plmn_from_bcd(const uint8_t b[3], struct qmi_plmn_str *out);
/* From ASCII digit strings padded with NUL, 0xFF or spaces ("310", "41\xff"): -EINVAL when a
 * digit is not 0-9 or the MCC is not 3 digits or the MNC not 2 or 3. */
int qmi_plmn_from_ascii(const uint8_t *mcc, size_t mcc_len, const uint8_t *mnc, size_t mnc_len,
			struct qmi_plmn_str *out);

#endif
