/* SPDX-License-Identifier: MIT */
/*
 * The printer: text for known and unknown frames, and JSON that a strict parser accepts, with
 * hostile strings from the "modem" escaped.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

/* Builds a frame by hand: header via the writer, TLV bytes verbatim. */
static void raw_frame(uint8_t *buf, size_t cap, uint8_t svc, uint8_t cid, enum qmi_msg_kind kind,
		      uint16_t txn, uint16_t msg_id, const uint8_t *tlvs, size_t tlvs_len,
		      struct qmi_frame *f)
{
	struct qmi_writer w;
	struct qmi_tlv_iter it;
	struct qmi_tlv t;
	size_t len;

	qmi_writer_init(&w, buf, cap, svc, cid, kind, txn, msg_id);
	qmi_tlv_iter_init(&it, tlvs, tlvs_len);
	while (qmi_tlv_next(&it, &t) == 1)
		qmi_writer_tlv(&w, t.type, t.val, t.len);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(buf, len, f, NULL), 0);
}

static char *print_text(const struct qmi_frame *f)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);

	cr_assert(m);
	cr_assert_eq(qmi_msg_print(m, f), 0);
	fclose(m);
	return s;
}

static char *print_json(const struct qmi_frame *f)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);

	cr_assert(m);
	cr_assert_eq(qmi_msg_print_json(m, f), 0);
	fclose(m);
	return s;
}

#define assert_has(hay, needle)                                                                    \
	cr_assert(strstr((hay), (needle)), "missing <%s> in:\n%s", (needle), (hay))

/* ---------------------------------------------------------------- a strict JSON checker */

struct jp {
	const char *p;
};

static void ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
		j->p++;
}

static bool jvalue(struct jp *j);

static bool jstring(struct jp *j)
{
	if (*j->p != '"')
		return false;
	j->p++;
	for (;;) {
		unsigned char c = (unsigned char)*j->p;

		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return false; /* includes the end of the text */
		if (c == '\\') {
			j->p++;
			if (*j->p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
						return false;
				j->p += 5;
				continue;
			}
			if (!*j->p || !strchr("\"\\/bfnrt", *j->p))
				return false;
			j->p++;
			continue;
		}
		if (c >= 0x80) { /* must be well-formed UTF-8 */
			int n = (c & 0xe0) == 0xc0   ? 2
				: (c & 0xf0) == 0xe0 ? 3
				: (c & 0xf8) == 0xf0 ? 4
						     : 0;

			if (!n)
				return false;
			for (int i = 1; i < n; i++)
				if (((unsigned char)j->p[i] & 0xc0) != 0x80)
					return false;
			j->p += n;
			continue;
		}
		j->p++;
	}
}

static bool jnumber(struct jp *j)
{
	const char *s = j->p;

	if (*j->p == '-')
		j->p++;
	if (*j->p < '0' || *j->p > '9')
		return false;
	while ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' || *j->p == 'E' ||
	       *j->p == '+' || *j->p == '-')
		j->p++;
	return j->p > s;
}

static bool jvalue(struct jp *j)
{
	ws(j);
	switch (*j->p) {
	case '{':
		j->p++;
		ws(j);
		if (*j->p == '}') {
			j->p++;
			return true;
		}
		for (;;) {
			ws(j);
			if (!jstring(j))
				return false;
			ws(j);
			if (*j->p++ != ':')
				return false;
			if (!jvalue(j))
				return false;
			ws(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			return *j->p++ == '}';
		}
	case '[':
		j->p++;
		ws(j);
		if (*j->p == ']') {
			j->p++;
			return true;
		}
		for (;;) {
			if (!jvalue(j))
				return false;
			ws(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			return *j->p++ == ']';
		}
	case '"':
		return jstring(j);
	case 't':
		return strncmp(j->p, "true", 4) == 0 && (j->p += 4);
	case 'f':
		return strncmp(j->p, "false", 5) == 0 && (j->p += 5);
	case 'n':
		return strncmp(j->p, "null", 4) == 0 && (j->p += 4);
	default:
		return jnumber(j);
	}
}

static void assert_json(const char *s)
{
	struct jp j = { s };

	cr_assert(jvalue(&j), "invalid JSON near <%.30s> in:\n%s", j.p, s);
	ws(&j);
	cr_assert_eq(*j.p, '\0', "trailing bytes after the JSON object: <%s>", j.p);
}

Test(json_checker, rejects_what_it_must)
{
	struct jp j;
	const char *bad[] = { "{\"a\":}",  "{\"a\" 1}", "[1,]",    "\"\x01\"",
			      "\"\\x41\"", "{\"a\":1",  "\"\xff\"" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		j.p = bad[i];
		cr_assert(!jvalue(&j) || *j.p, "accepted %s", bad[i]);
	}
	assert_json("{\"a\":[1,-2,{\"b\":\"\\u00ff\"}],\"c\":true,\"d\":null}");
}

/* ---------------------------------------------------------------- text */

static const uint8_t get_ids_tlvs[] = {
	0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x01, 0x00, '0', 0x11, 0x0f, 0x00, '3',
	'5',  '9',  '0',  '7',  '2',  '0',  '6',  '1',  '2',  '3',  '4', '5',  '6',  '7',
};

Test(print_text, known_message)
{
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 2, QMI_DMS_GET_IDS,
		  get_ids_tlvs, sizeof(get_ids_tlvs), &f);
	s = print_text(&f);
	assert_has(s, "dms \"Get IDs\" (0x0025) response cid=1 txn=2");
	assert_has(s, "[0x02] Result: success\n");
	assert_has(s, "[0x10] ESN: \"0\"\n");
	assert_has(s, "[0x11] IMEI: \"359072061234567\"\n");
	cr_assert_null(strstr(s, "MEID"), "absent TLVs are not printed");
	free(s);
}

Test(print_text, failure_result_enum_struct_and_addresses)
{
	static const uint8_t err_tlvs[] = { 0x02, 0x04, 0x00, 0x01, 0x00, 0x05, 0x00 };
	static const uint8_t mode_tlvs[] = { 0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
					     0x01, 0x00, 0x01, 0x11, 0x01, 0x00, 0x00 };
	static const uint8_t settings[] = {
		0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x04, 0x00,
		0x01, 0x00, 0x40, 0x0a, 0x1d, 0x01, 0x00, 0x03, /* auth pap|chap */
		0x25, 0x11, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,
		0,    0,    0,    0,    0,    0,    0,    0,    0x01, 0x40,
	};
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_RESPONSE, 3, QMI_CTL_ALLOCATE_CID,
		  err_tlvs, sizeof(err_tlvs), &f);
	s = print_text(&f);
	assert_has(s, "ctl \"Allocate CID\" (0x0022) response cid=0 txn=3");
	assert_has(s, "Result: failure, error 5 (ClientIdsExhausted)");
	free(s);

	raw_frame(buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 4,
		  QMI_DMS_GET_OPERATING_MODE, mode_tlvs, sizeof(mode_tlvs), &f);
	s = print_text(&f);
	assert_has(s, "[0x01] Mode: 1 (low-power)");
	assert_has(s, "[0x11] Hardware Restricted Mode: no");
	free(s);

	raw_frame(buf, sizeof(buf), QMI_SVC_WDS, 1, QMI_KIND_RESPONSE, 5,
		  QMI_WDS_GET_CURRENT_SETTINGS, settings, sizeof(settings), &f);
	s = print_text(&f);
	assert_has(s, "[0x1e] IPv4 Address: 10.64.0.1\n");
	assert_has(s, "[0x1d] Authentication: 0x03 (pap|chap)\n");
	assert_has(s, "[0x25] IPv6 Address:\n");
	assert_has(s, "    address: 2001:db8::1\n");
	assert_has(s, "    prefix_length: 64\n");
	free(s);
}

Test(print_text, nested_arrays)
{
	static const uint8_t tlvs[] = {
		0x01, 0x0b, 0x00, 0x02, 0x00, 0x01, 0x00, 0x05, 0x00, 0x02, 0x01, 0x00, 0x0c, 0x00,
	};
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_RESPONSE, 1, QMI_CTL_GET_VERSION_INFO,
		  tlvs, sizeof(tlvs), &f);
	s = print_text(&f);
	assert_has(s, "[0x01] Service List: 2 entries\n");
	assert_has(s, "    [0]:\n      service: 0 (ctl)\n      major: 1\n      minor: 5\n");
	assert_has(s, "    [1]:\n      service: 2 (dms)\n      major: 1\n      minor: 12\n");
	free(s);
}

Test(print_text, unknown_message_and_tlvs)
{
	static const uint8_t tlvs[] = { 0x01, 0x02, 0x00, 0xde, 0xad, 0x10, 0x00, 0x00 };
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_DMS, 7, QMI_KIND_INDICATION, 9, 0x5555, tlvs,
		  sizeof(tlvs), &f);
	s = print_text(&f);
	assert_has(s, "dms (0x5555) indication cid=7 txn=9");
	assert_has(s, "[0x01] (unknown) 2 bytes: de ad\n");
	assert_has(s, "[0x10] (unknown) 0 bytes: \n");
	free(s);

	raw_frame(buf, sizeof(buf), 0x42, 1, QMI_KIND_REQUEST, 1, 0x0001, tlvs, sizeof(tlvs), &f);
	s = print_text(&f);
	assert_has(s, "svc 0x42 (0x0001) request cid=1 txn=1");
	free(s);
}

Test(print_text, malformed_known_tlv_and_escaping)
{
	static const uint8_t tlvs[] = {
		0x01, 0x02, 0x00, 0x00, 0x00, /* Mode: u8 in 2 bytes */
		0x10, 0x01, 0x00, 0x01,       /* Offline Reason: u16 in 1 */
	};
	static const uint8_t model[] = { 0x01, 0x06, 0x00, 'a', '"', '\n', 0x1b, '\\', 'z' };
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 1,
		  QMI_DMS_GET_OPERATING_MODE, tlvs, sizeof(tlvs), &f);
	s = print_text(&f);
	assert_has(s, "[0x01] Mode (invalid: Bad message) 2 bytes: 00 00\n");
	assert_has(s, "[0x10] Offline Reason (invalid, dropped: Bad message) 1 byte: 01\n");
	free(s);

	raw_frame(buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 1, QMI_DMS_GET_MODEL, model,
		  sizeof(model), &f);
	s = print_text(&f);
	/* Escaped exactly as JSON output escapes it. */
	assert_has(s, "[0x01] Model: \"a\\\"\\n\\u001b\\\\z\"\n");
	free(s);
}

/* ---------------------------------------------------------------- JSON */

Test(print_json, known_message)
{
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 2, QMI_DMS_GET_IDS,
		  get_ids_tlvs, sizeof(get_ids_tlvs), &f);
	s = print_json(&f);
	assert_json(s);
	assert_has(s, "\"service\":\"dms\"");
	assert_has(s, "\"message\":\"Get IDs\"");
	assert_has(s, "\"message_id\":37");
	assert_has(s, "\"kind\":\"response\"");
	assert_has(s, "\"result\":{\"status\":0,\"error\":0,\"error_name\":\"None\"}");
	assert_has(s, "{\"id\":17,\"name\":\"IMEI\",\"value\":\"359072061234567\"}");
	cr_assert_eq(s[strlen(s) - 1], '\n');
	free(s);
}

Test(print_json, structs_enums_unknown_and_malformed)
{
	static const uint8_t tlvs[] = {
		0x02, 0x04, 0x00, 0x01, 0x00, 0x0e, 0x00, /* CallFailed */
		0x10, 0x02, 0x00, 0xf5, 0x03,             /* CER 1013 */
		0x11, 0x04, 0x00, 0x06, 0x00, 0x1b, 0x00, /* verbose 3gpp 27 */
		0x7e, 0x01, 0x00, 0xff,                   /* unknown */
		0x01, 0x01, 0x00, 0x00,                   /* PDH too short */
	};
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_WDS, 1, QMI_KIND_RESPONSE, 2, QMI_WDS_START_NETWORK,
		  tlvs, sizeof(tlvs), &f);
	s = print_json(&f);
	assert_json(s);
	assert_has(s, "\"error\":14,\"error_name\":\"CallFailed\"");
	assert_has(s, "\"value\":1013,\"value_name\":\"gsm-wcdma-unknown-apn\"");
	assert_has(s, "\"value\":{\"type\":6,\"type_name\":\"3gpp\",\"reason\":27}");
	assert_has(s, "{\"id\":126,\"raw\":\"ff\"}");
	assert_has(s, "{\"id\":1,\"name\":\"Packet Data Handle\","
		      "\"error\":\"Bad message\",\"dropped\":false,\"raw\":\"00\"}");
	free(s);
}

Test(print_json, unknown_service_and_message)
{
	static const uint8_t tlvs[] = { 0x01, 0x01, 0x00, 0x22 };
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), 0x42, 3, QMI_KIND_INDICATION, 4, 0x0abc, tlvs, sizeof(tlvs),
		  &f);
	s = print_json(&f);
	assert_json(s);
	assert_has(s, "\"service\":null,\"service_id\":66,\"message\":null,\"message_id\":2748");
	assert_has(s, "\"tlvs\":[{\"id\":1,\"raw\":\"22\"}]");
	cr_assert_null(strstr(s, "\"result\""));
	free(s);
}

Test(print_json, hostile_strings_are_escaped)
{
	/* quote, backslash, newline, tab, ESC, DEL, a lone 0xff, a valid "é" (c3 a9), an
	 * overlong NUL (c0 80) and a truncated sequence at the end (e2 82). */
	static const uint8_t tlvs[] = { 0x01, 0x10, 0x00, '"',  '\\', '\n', '\t', 0x1b, 0x7f, 0xff,
					0xc3, 0xa9, 'x',  0xc0, 0x80, 'y',  '/',  0xe2, 0x82 };
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 1, QMI_DMS_GET_MANUFACTURER,
		  tlvs, sizeof(tlvs), &f);
	s = print_json(&f);
	assert_json(s);
	assert_has(s, "\"value\":\"\\\"\\\\\\n\\t\\u001b\\u007f\\u00ff\xc3\xa9x\\u00c0\\u0080y/"
		      "\\u00e2\\u0082\"");
	free(s);
}

Test(print_json, every_message_prints_valid_json)
{
	/* Every def, with all TLVs present and bytes that are a mix of valid and invalid
	 * values, must print as valid JSON and valid text. */
	const struct qmi_msg_def *d;
	uint8_t tlvs[600], buf[1024];

	for (size_t i = 0; (d = qmi_msgdb_get(i)); i++) {
		size_t len = 0;
		struct qmi_frame f;
		char *s;

		for (size_t t = 0; t < d->n_tlvs && len + 3 + 8 <= sizeof(tlvs); t++) {
			tlvs[len++] = d->tlvs[t].id;
			tlvs[len++] = 8;
			tlvs[len++] = 0;
			for (int k = 0; k < 8; k++)
				tlvs[len++] = (uint8_t)(0x01 + k * 0x31);
		}
		raw_frame(buf, sizeof(buf), d->service, 1, d->kind, 1, d->msg_id, tlvs, len, &f);
		s = print_json(&f);
		assert_json(s);
		free(s);
		s = print_text(&f);
		cr_assert(strstr(s, d->name), "%s", s);
		free(s);
	}
}

/* An operator name in the encoding its TLV declares (UCS-2LE here, libqmi's test-utils.c
 * "T-Mobile" bytes) prints as UTF-8 text, in both outputs. */
Test(print_text, declared_encoding_decoded)
{
	static const uint8_t tlvs[] = {
		0x01, 0x05, 0x00, 0x36, 0x01, 0x04, 0x01, 0x00, 0x11, 0x17, 0x00, 0x36,
		0x01, 0x04, 0x01, 0x01, 0x04, 0x10, 0x54, 0x00, 0x2d, 0x00, 0x4d, 0x00,
		0x6f, 0x00, 0x62, 0x00, 0x69, 0x00, 0x6c, 0x00, 0x65, 0x00,
	};
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	raw_frame(buf, sizeof(buf), QMI_SVC_NAS, 1, QMI_KIND_RESPONSE, 1, 0x0025, tlvs,
		  sizeof(tlvs), &f);
	s = print_text(&f);
	assert_has(s, "description_encoding: 4 (unicode)\n");
	assert_has(s, "description: \"T-Mobile\"\n");
	free(s);
	s = print_json(&f);
	assert_json(s);
	assert_has(s, "\"description\":\"T-Mobile\"");
	free(s);
}

/* Firmware adds enum values no table lists, and vendor TLVs: the value prints as its number
 * (no name invented), the unknown TLV as raw bytes, and everything else still decodes. */
Test(print_text, unknown_enum_value_and_vendor_tlv)
{
	static const uint8_t tlvs[] = {
		0x02, 0x04, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x01, 0x01, 0x00, 0x42,       /* Mode: 66, no name */
		0x10, 0x02, 0x00, 0x01, 0x00,       /* Offline Reason */
		0xe1, 0x03, 0x00, 0xaa, 0xbb, 0xcc, /* a vendor TLV */
	};
	struct qmi_dms_get_operating_mode_resp r;
	uint8_t buf[256];
	struct qmi_frame f;
	char *s;

	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_operating_mode_resp_def, tlvs, sizeof(tlvs), &r),
		     0);
	cr_assert_eq(r.mode, 0x42);
	cr_assert(r.has_offline_reason);
	raw_frame(buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 1,
		  QMI_DMS_GET_OPERATING_MODE, tlvs, sizeof(tlvs), &f);
	s = print_text(&f);
	assert_has(s, "[0x01] Mode: 66\n");
	assert_has(s, "[0xe1] (unknown) 3 bytes: aa bb cc\n");
	free(s);
	s = print_json(&f);
	assert_json(s);
	assert_has(s, "\"value\":66}");
	assert_has(s, "{\"id\":225,\"raw\":\"aabbcc\"}");
	free(s);
}
