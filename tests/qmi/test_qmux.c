/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/qmux.h"
#include "qmi/tlv.h"

/* qmicli's CTL Set Data Format, raw-ip + no QoS, txn 1, as sent when it opens a device. */
static const uint8_t set_data_format[] = { 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
					   0x01, 0x26, 0x00, 0x09, 0x00, 0x10, 0x02,
					   0x00, 0x02, 0x00, 0x01, 0x01, 0x00, 0x00 };
/* Internal Proxy Open request and response, txn 7 (§3.3). */
static const uint8_t proxy_open_req[] = { 0x01, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00,
					  0xff, 0x0d, 0x00, 0x01, 0x0a, 0x00, '/',  'd',  'e',
					  'v',  '/',  'p',  't',  's',  '/',  '0' };
static const uint8_t proxy_open_resp[] = { 0x01, 0x12, 0x00, 0x80, 0x00, 0x00, 0x01,
					   0x07, 0x00, 0xff, 0x07, 0x00, 0x02, 0x04,
					   0x00, 0x00, 0x00, 0x00, 0x00 };
/* DMS Get IDs on cid 1, txn 2: request and a response with ESN, IMEI and IMEI SV. */
static const uint8_t get_ids_req[] = { 0x01, 0x0c, 0x00, 0x00, 0x02, 0x01, 0x00,
				       0x02, 0x00, 0x25, 0x00, 0x00, 0x00 };
static const uint8_t get_ids_resp[] = { 0x01, 0x2e, 0x00, 0x80, 0x02, 0x01, 0x02, 0x02, 0x00, 0x25,
					0x00, 0x22, 0x00, 0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
					0x10, 0x01, 0x00, '0',  0x11, 0x0f, 0x00, '3',  '5',  '9',
					'0',  '7',  '2',  '0',  '6',  '1',  '2',  '3',  '4',  '5',
					'6',  '7',  0x13, 0x02, 0x00, '0',  '9' };

Test(qmux, golden_set_data_format_written)
{
	uint8_t buf[64];
	struct qmi_writer w;
	size_t len = 0;

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, QMI_CID_NONE, QMI_KIND_REQUEST, 1, 0x26);
	qmi_writer_tlv_begin(&w, 0x10);
	qmi_writer_put_u16(&w, 2);
	qmi_writer_tlv_end(&w);
	qmi_writer_tlv_begin(&w, 0x01);
	qmi_writer_put_u8(&w, 0);
	qmi_writer_tlv_end(&w);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(len, sizeof(set_data_format));
	cr_assert_arr_eq(buf, set_data_format, len);
}

Test(qmux, golden_set_data_format_parsed)
{
	struct qmi_frame f;
	struct qmi_tlv t;

	cr_assert_eq(qmi_frame_parse(set_data_format, sizeof(set_data_format), &f, NULL), 0);
	cr_assert_eq(f.service, QMI_SVC_CTL);
	cr_assert_eq(f.kind, QMI_KIND_REQUEST);
	cr_assert_eq(f.txn, 1);
	cr_assert_eq(f.msg_id, 0x26);
	cr_assert_eq(f.tlvs_len, 9);
	cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x10, &t), 0);
	cr_assert_eq(t.len, 2);
	cr_assert_eq(t.val[0], 2);
	cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x01, &t), 0);
	cr_assert_eq(t.len, 1);
	cr_assert_eq(t.val[0], 0);
}

Test(qmux, golden_proxy_open)
{
	static const char path[] = "/dev/pts/0";
	uint8_t buf[64];
	struct qmi_writer w;
	struct qmi_frame f;
	struct qmi_result res;
	size_t len = 0;

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_REQUEST, 7, 0xFF00);
	qmi_writer_tlv(&w, 0x01, path, strlen(path));
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(len, sizeof(proxy_open_req));
	cr_assert_arr_eq(buf, proxy_open_req, len);

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_RESPONSE, 7, 0xFF00);
	qmi_writer_set_qmux_flags(&w, QMI_QMUX_FLAG_SERVICE);
	qmi_writer_result(&w, 0, 0);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(len, sizeof(proxy_open_resp));
	cr_assert_arr_eq(buf, proxy_open_resp, len);

	cr_assert_eq(qmi_frame_parse(proxy_open_resp, sizeof(proxy_open_resp), &f, NULL), 0);
	cr_assert_eq(f.kind, QMI_KIND_RESPONSE);
	cr_assert_eq(f.qmux_flags, 0x80);
	cr_assert_eq(f.txn, 7);
	cr_assert_eq(f.msg_id, 0xFF00);
	cr_assert_eq(qmi_result_get(&f, &res), 0);
	cr_assert_eq(res.status, 0);
	cr_assert_eq(res.error, 0);
}

Test(qmux, golden_dms_get_ids_exchange)
{
	uint8_t buf[128];
	struct qmi_writer w;
	struct qmi_frame f;
	struct qmi_tlv t;
	struct qmi_result res;
	size_t len = 0;

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_REQUEST, 2, 0x25);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(len, sizeof(get_ids_req));
	cr_assert_arr_eq(buf, get_ids_req, len);

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_RESPONSE, 2, 0x25);
	qmi_writer_set_qmux_flags(&w, 0x80);
	qmi_writer_result(&w, 0, 0);
	qmi_writer_tlv(&w, 0x10, "0", 1);
	qmi_writer_tlv(&w, 0x11, "359072061234567", 15);
	qmi_writer_tlv(&w, 0x13, "09", 2);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(len, sizeof(get_ids_resp));
	cr_assert_arr_eq(buf, get_ids_resp, len);

	cr_assert_eq(qmi_frame_parse(get_ids_resp, sizeof(get_ids_resp), &f, NULL), 0);
	cr_assert_eq(f.service, QMI_SVC_DMS);
	cr_assert_eq(f.client_id, 1);
	cr_assert_eq(f.kind, QMI_KIND_RESPONSE);
	cr_assert_eq(f.txn, 2);
	cr_assert_eq(f.msg_id, 0x25);
	cr_assert_eq(qmi_result_get(&f, &res), 0);
	cr_assert_eq(res.status, 0);
	cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x11, &t), 0);
	cr_assert_eq(t.len, 15);
	cr_assert_eq(memcmp(t.val, "359072061234567", 15), 0);
	cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x12, &t), -ENOENT); /* no MEID */
}

static enum qmi_frame_err parse_err(const uint8_t *b, size_t n)
{
	enum qmi_frame_err why = QMI_FRAME_OK;
	struct qmi_frame f;
	int r = qmi_frame_parse(b, n, &f, &why);

	cr_assert_eq(r == 0, why == QMI_FRAME_OK, "return code and reason disagree");
	return why;
}

Test(qmux, every_validation_error)
{
	uint8_t b[64];

	cr_assert_eq(parse_err(get_ids_req, 5), QMI_FRAME_SHORT);
	cr_assert_eq(parse_err(get_ids_req, 0), QMI_FRAME_SHORT);
	cr_assert_eq(parse_err(NULL, 13), QMI_FRAME_SHORT);

	memcpy(b, get_ids_req, sizeof(get_ids_req));
	b[0] = 0x02;
	cr_assert_eq(parse_err(b, sizeof(get_ids_req)), QMI_FRAME_BAD_MARKER);

	/* QMUX length one more / one less than the buffer. */
	memcpy(b, get_ids_req, sizeof(get_ids_req));
	b[1] = 0x0d;
	cr_assert_eq(parse_err(b, sizeof(get_ids_req)), QMI_FRAME_LEN_MISMATCH);
	b[1] = 0x0b;
	cr_assert_eq(parse_err(b, sizeof(get_ids_req)), QMI_FRAME_LEN_MISMATCH);
	/* A buffer with trailing bytes beyond the QMUX length. */
	cr_assert_eq(parse_err(get_ids_resp, sizeof(get_ids_resp) - 1), QMI_FRAME_LEN_MISMATCH);

	/* Consistent QMUX length, but too short for a service header (13) ... */
	memcpy(b, get_ids_req, sizeof(get_ids_req));
	b[1] = 0x0b;
	cr_assert_eq(parse_err(b, 12), QMI_FRAME_TRUNC_HEADER);
	/* ... and for a CTL header (12). */
	memcpy(b, set_data_format, 11);
	b[1] = 0x0a;
	cr_assert_eq(parse_err(b, 11), QMI_FRAME_TRUNC_HEADER);

	/* tlv_length disagrees with the QMUX length. */
	memcpy(b, set_data_format, sizeof(set_data_format));
	b[10] = 0x08;
	cr_assert_eq(parse_err(b, sizeof(set_data_format)), QMI_FRAME_TLV_LEN_MISMATCH);
	memcpy(b, get_ids_resp, sizeof(get_ids_resp));
	b[11] = 0x23;
	cr_assert_eq(parse_err(b, sizeof(get_ids_resp)), QMI_FRAME_TLV_LEN_MISMATCH);

	/* A TLV whose length runs past the payload. */
	memcpy(b, set_data_format, sizeof(set_data_format));
	b[13] = 0x07;
	cr_assert_eq(parse_err(b, sizeof(set_data_format)), QMI_FRAME_TLV_OVERRUN);
	/* A TLV shorter than claimed leaves a partial TLV header at the end. */
	memcpy(b, set_data_format, sizeof(set_data_format));
	b[13] = 0x00; /* 0x10 now empty: its 2 value bytes + the 0x01 TLV no longer tile */
	cr_assert_eq(parse_err(b, sizeof(set_data_format)), QMI_FRAME_TLV_OVERRUN);
	{
		/* Payload of exactly two bytes: a truncated TLV header. */
		static const uint8_t trunc[] = { 0x01, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00,
						 0x01, 0x21, 0x00, 0x02, 0x00, 0x01, 0x00 };
		cr_assert_eq(parse_err(trunc, sizeof(trunc)), QMI_FRAME_TLV_TRUNC);
	}

	/* Response and indication at once. */
	memcpy(b, proxy_open_resp, sizeof(proxy_open_resp));
	b[6] = 0x03;
	cr_assert_eq(parse_err(b, sizeof(proxy_open_resp)), QMI_FRAME_BAD_KIND);
	memcpy(b, get_ids_resp, sizeof(get_ids_resp));
	b[6] = 0x06;
	cr_assert_eq(parse_err(b, sizeof(get_ids_resp)), QMI_FRAME_BAD_KIND);

	/* Each reason has its own text. */
	for (int i = QMI_FRAME_OK; i <= QMI_FRAME_TOO_BIG; i++) {
		for (int j = i + 1; j <= QMI_FRAME_TOO_BIG; j++)
			cr_assert_str_neq(qmi_frame_err_str(i), qmi_frame_err_str(j));
	}
}

Test(qmux, kinds_and_flags)
{
	uint8_t b[64];
	struct qmi_frame f;

	memcpy(b, get_ids_resp, sizeof(get_ids_resp));
	b[6] = 0x04;
	cr_assert_eq(qmi_frame_parse(b, sizeof(get_ids_resp), &f, NULL), 0);
	cr_assert_eq(f.kind, QMI_KIND_INDICATION);
	b[6] = 0x01; /* compound only: still a request */
	cr_assert_eq(qmi_frame_parse(b, sizeof(get_ids_resp), &f, NULL), 0);
	cr_assert_eq(f.kind, QMI_KIND_REQUEST);
	memcpy(b, proxy_open_resp, sizeof(proxy_open_resp));
	b[6] = 0x02;
	cr_assert_eq(qmi_frame_parse(b, sizeof(proxy_open_resp), &f, NULL), 0);
	cr_assert_eq(f.kind, QMI_KIND_INDICATION);
}

Test(qmux, roundtrip_every_kind_and_txn_width)
{
	static const struct {
		uint8_t svc;
		uint16_t txn;
	} cases[] = {
		{ QMI_SVC_CTL, 1 },      { QMI_SVC_CTL, 0xFF }, { QMI_SVC_WDS, 0x1234 },
		{ QMI_SVC_NAS, 0xFFFF }, { QMI_SVC_WDA, 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int k = QMI_KIND_REQUEST; k <= QMI_KIND_INDICATION; k++) {
			uint8_t buf[128], blob[40];
			struct qmi_writer w;
			struct qmi_frame f;
			struct qmi_tlv t;
			size_t len;

			for (size_t j = 0; j < sizeof(blob); j++)
				blob[j] = (uint8_t)(j * 7 + i);
			qmi_writer_init(&w, buf, sizeof(buf), cases[i].svc, 0x42, k, cases[i].txn,
					0xBEEF);
			qmi_writer_tlv(&w, 0x01, blob, sizeof(blob));
			qmi_writer_tlv(&w, 0x80, NULL, 0);
			qmi_writer_tlv_begin(&w, 0x11);
			qmi_writer_put_u32(&w, 0x01020304);
			qmi_writer_put_u64(&w, 0x1122334455667788ull);
			qmi_writer_put_u16be(&w, 0xABCD);
			qmi_writer_tlv_end(&w);
			cr_assert_eq(qmi_writer_finish(&w, &len), 0);
			cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
			cr_assert_eq(f.service, cases[i].svc);
			cr_assert_eq(f.client_id, 0x42);
			cr_assert_eq(f.kind, (enum qmi_msg_kind)k);
			cr_assert_eq(f.txn, cases[i].txn);
			cr_assert_eq(f.msg_id, 0xBEEF);
			cr_assert_eq(f.tlvs_len, len - qmi_hdr_len(cases[i].svc));
			cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x01, &t), 0);
			cr_assert_arr_eq(t.val, blob, sizeof(blob));
			cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x80, &t), 0);
			cr_assert_eq(t.len, 0);
			cr_assert_eq(qmi_tlv_find(f.tlvs, f.tlvs_len, 0x11, &t), 0);
			cr_assert_eq(t.len, 14);
			cr_assert_eq(t.val[0], 0x04);
			cr_assert_eq(t.val[4], 0x88);
			cr_assert_eq(t.val[12], 0xAB);
		}
	}
}

Test(qmux, writer_errors_are_sticky_and_distinct)
{
	uint8_t buf[32];
	struct qmi_writer w;
	size_t len = 99;

	/* CTL txn must fit 8 bits. */
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_REQUEST, 0x100, 0x21);
	cr_assert_eq(qmi_writer_finish(&w, &len), -EINVAL);
	cr_assert_eq(len, 99);

	/* Buffer too small for the header. */
	qmi_writer_init(&w, buf, 12, QMI_SVC_DMS, 1, QMI_KIND_REQUEST, 1, 0x25);
	cr_assert_eq(qmi_writer_finish(&w, &len), -EMSGSIZE);

	/* A TLV that does not fit; later puts do not clear the error. */
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_REQUEST, 1, 0x25);
	cr_assert_eq(qmi_writer_tlv(&w, 0x01, buf, 17), -EMSGSIZE);
	cr_assert_eq(qmi_writer_tlv(&w, 0x02, buf, 1), -EMSGSIZE);
	cr_assert_eq(qmi_writer_finish(&w, &len), -EMSGSIZE);

	/* Exactly full is fine. */
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_REQUEST, 1, 0x25);
	cr_assert_eq(qmi_writer_tlv(&w, 0x01, buf, 16), 0);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(len, 32);

	/* Unterminated TLV, put outside a TLV, nested begin. */
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_REQUEST, 1, 0x25);
	qmi_writer_tlv_begin(&w, 0x01);
	cr_assert_eq(qmi_writer_finish(&w, &len), -EINVAL);
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_REQUEST, 1, 0x25);
	cr_assert_eq(qmi_writer_put_u8(&w, 1), -EINVAL);
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_DMS, 1, QMI_KIND_REQUEST, 1, 0x25);
	qmi_writer_tlv_begin(&w, 0x01);
	cr_assert_eq(qmi_writer_tlv_begin(&w, 0x02), -EINVAL);
	cr_assert_eq(qmi_writer_tlv_end(&w), -EINVAL);
}

Test(qmux, writer_never_exceeds_frame_max)
{
	static uint8_t buf[QMI_FRAME_MAX * 2], blob[QMI_FRAME_MAX];
	struct qmi_writer w;
	size_t len;

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_WDS, 1, QMI_KIND_REQUEST, 1, 0x20);
	cr_assert_eq(qmi_writer_tlv(&w, 0x01, blob, QMI_FRAME_MAX - 13 - 3), 0);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(len, QMI_FRAME_MAX);
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_WDS, 1, QMI_KIND_REQUEST, 1, 0x20);
	cr_assert_eq(qmi_writer_tlv(&w, 0x01, blob, QMI_FRAME_MAX - 13 - 2), -EMSGSIZE);
}

Test(qmux, result_tlv)
{
	uint8_t buf[64];
	struct qmi_writer w;
	struct qmi_frame f;
	struct qmi_result res;
	size_t len;

	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_RESPONSE, 3, 0x22);
	qmi_writer_result(&w, 1, QMI_ERR_CLIENT_IDS_EXHAUSTED);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
	cr_assert_eq(qmi_result_get(&f, &res), 0);
	cr_assert_eq(res.status, 1);
	cr_assert_eq(res.error, 5);
	cr_assert_str_eq(qmi_error_name(res.error), "ClientIdsExhausted");

	/* Missing and short Result TLVs. */
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_RESPONSE, 3, 0x22);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
	cr_assert_eq(qmi_result_get(&f, &res), -ENOENT);
	qmi_writer_init(&w, buf, sizeof(buf), QMI_SVC_CTL, 0, QMI_KIND_RESPONSE, 3, 0x22);
	qmi_writer_tlv(&w, QMI_TLV_RESULT, "\0\0", 2);
	cr_assert_eq(qmi_writer_finish(&w, &len), 0);
	cr_assert_eq(qmi_frame_parse(buf, len, &f, NULL), 0);
	cr_assert_eq(qmi_result_get(&f, &res), -EBADMSG);
}

Test(qmux, names)
{
	cr_assert_str_eq(qmi_service_name(QMI_SVC_CTL), "ctl");
	cr_assert_str_eq(qmi_service_name(QMI_SVC_WDS), "wds");
	cr_assert_str_eq(qmi_service_name(QMI_SVC_DMS), "dms");
	cr_assert_str_eq(qmi_service_name(QMI_SVC_NAS), "nas");
	cr_assert_str_eq(qmi_service_name(QMI_SVC_UIM), "uim");
	cr_assert_str_eq(qmi_service_name(QMI_SVC_WDA), "wda");
	cr_assert_str_eq(qmi_service_name(0x1D), "csvt");
	cr_assert_str_eq(qmi_service_name(0x2F), "dpm");
	cr_assert_null(qmi_service_name(0x23), "reserved");
	cr_assert_null(qmi_service_name(0x77));
	cr_assert_str_eq(qmi_kind_name(QMI_KIND_INDICATION), "indication");
}

Test(errors, names_from_reference_table)
{
	/* Every code the protocol defines (libqmi's QmiProtocolError). */
	static const struct {
		uint16_t code;
		const char *name;
	} t[] = {
		{ 0, "None" },
		{ 1, "MalformedMessage" },
		{ 2, "NoMemory" },
		{ 3, "Internal" },
		{ 4, "Aborted" },
		{ 5, "ClientIdsExhausted" },
		{ 6, "UnabortableTransaction" },
		{ 7, "InvalidClientId" },
		{ 8, "NoThresholdsProvided" },
		{ 9, "InvalidHandle" },
		{ 10, "InvalidProfile" },
		{ 11, "InvalidPinId" },
		{ 12, "IncorrectPin" },
		{ 13, "NoNetworkFound" },
		{ 14, "CallFailed" },
		{ 15, "OutOfCall" },
		{ 16, "NotProvisioned" },
		{ 17, "MissingArgument" },
		{ 19, "ArgumentTooLong" },
		{ 22, "InvalidTransactionId" },
		{ 23, "DeviceInUse" },
		{ 24, "NetworkUnsupported" },
		{ 25, "DeviceUnsupported" },
		{ 26, "NoEffect" },
		{ 27, "NoFreeProfile" },
		{ 28, "InvalidPdpType" },
		{ 29, "InvalidTechnologyPreference" },
		{ 30, "InvalidProfileType" },
		{ 34, "AuthenticationFailed" },
		{ 35, "PinBlocked" },
		{ 36, "PinAlwaysBlocked" },
		{ 37, "UimUninitialized" },
		{ 45, "InvalidDataFormat" },
		{ 46, "GeneralError" },
		{ 47, "UnknownError" },
		{ 48, "InvalidArgument" },
		{ 49, "InvalidIndex" },
		{ 50, "NoEntry" },
		{ 51, "DeviceStorageFull" },
		{ 52, "DeviceNotReady" },
		{ 53, "NetworkNotReady" },
		{ 60, "InvalidTransition" },
		{ 65, "SessionInactive" },
		{ 68, "InsufficientResources" },
		{ 69, "Disabled" },
		{ 70, "InvalidOperation" },
		{ 71, "InvalidQmiCommand" },
		{ 74, "InformationUnavailable" },
		{ 82, "AccessDenied" },
		{ 90, "IncompatibleState" },
		{ 94, "NotSupported" },
		{ 102, "NoSim" },
		{ 118, "OperationInProgress" },
		{ 388, "FwWriteFailed" },
		{ 402, "FwUpdateFailed" },
		{ 61441, "CatEventRegistrationFailed" },
		{ 61445, "CatEnvelopeCommandFailed" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *n = qmi_error_name(t[i].code);

		cr_assert_not_null(n, "code %u has no name", t[i].code);
		cr_assert_str_eq(n, t[i].name);
	}
	cr_assert_null(qmi_error_name(18));
	cr_assert_null(qmi_error_name(119));
	cr_assert_null(qmi_error_name(0xFFFF));
}
