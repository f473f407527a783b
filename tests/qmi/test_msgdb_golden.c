/* SPDX-License-Identifier: MIT */
/*
 * The message database against golden bytes captured from real clients (qmicli) and modems,
 * and the encoder's errors.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

/* ---------------------------------------------------------------- golden bytes */

static size_t build(const struct qmi_msg_def *d, const void *msg, uint8_t cid, uint16_t txn,
		    uint8_t *buf, size_t cap)
{
	size_t len = 0;

	cr_assert_eq(qmi_msg_build(d, msg, cid, txn, buf, cap, &len), 0, "build %s", d->name);
	return len;
}

static void assert_tlvs(const uint8_t *frame, size_t len, const uint8_t *want, size_t want_len)
{
	struct qmi_frame f;

	cr_assert_eq(qmi_frame_parse(frame, len, &f, NULL), 0);
	cr_assert_eq(f.tlvs_len, want_len, "TLV area: %zu bytes, want %zu", f.tlvs_len, want_len);
	cr_assert_eq(memcmp(f.tlvs, want, want_len), 0, "TLV bytes differ");
}

Test(msgdb_golden, wds_start_network_apn)
{
	static const uint8_t want[] = { 0x14, 0x08, 0x00, 'i', 'n', 't', 'e', 'r', 'n', 'e', 't' };
	struct qmi_wds_start_network_req req = { .has_apn = true, .apn = "internet" };
	struct qmi_wds_start_network_req back;
	uint8_t buf[256];
	size_t len = build(&qmi_wds_start_network_req_def, &req, 1, 1, buf, sizeof(buf));

	assert_tlvs(buf, len, want, sizeof(want));
	cr_assert_eq(qmi_msg_decode(&qmi_wds_start_network_req_def, want, sizeof(want), &back), 0);
	cr_assert(back.has_apn);
	cr_assert_str_eq(back.apn, "internet");
	cr_assert(!back.has_ip_family && !back.has_username);
}

Test(msgdb_golden, wds_start_network_ip_family_and_apn)
{
	/* qmicli 1.32.2 sent `19 01 00 04 | 14 08 00 "internet"` (a captured exchange); TLV
	 * order carries no meaning, so decoding that order must give both values. */
	static const uint8_t qmicli[] = { 0x19, 0x01, 0x00, 0x04, 0x14, 0x08, 0x00, 'i',
					  'n',  't',  'e',  'r',  'n',  'e',  't' };
	struct qmi_wds_start_network_req req;

	cr_assert_eq(qmi_msg_decode(&qmi_wds_start_network_req_def, qmicli, sizeof(qmicli), &req),
		     0);
	cr_assert(req.has_ip_family && req.has_apn);
	cr_assert_eq(req.ip_family, QMI_WDS_IP_FAMILY_IPV4);
	cr_assert_str_eq(req.apn, "internet");
}

Test(msgdb_golden, wds_get_current_settings_request)
{
	static const uint8_t want[] = { 0x10, 0x04, 0x00, 0x30, 0xe3, 0x00, 0x00 };
	struct qmi_wds_get_current_settings_req req = {
		.has_requested_settings = true,
		.requested_settings = QMI_WDS_REQUESTED_DNS_ADDRESS |
				      QMI_WDS_REQUESTED_GRANTED_QOS | QMI_WDS_REQUESTED_IP_ADDRESS |
				      QMI_WDS_REQUESTED_GATEWAY_INFO | QMI_WDS_REQUESTED_MTU |
				      QMI_WDS_REQUESTED_DOMAIN_NAME_LIST |
				      QMI_WDS_REQUESTED_IP_FAMILY,
	};
	uint8_t buf[64];
	size_t len;

	cr_assert_eq(req.requested_settings, QMI_WDS_REQUESTED_QMICLI);
	len = build(&qmi_wds_get_current_settings_req_def, &req, 1, 1, buf, sizeof(buf));
	assert_tlvs(buf, len, want, sizeof(want));
}

Test(msgdb_golden, wds_get_current_settings_response_addresses)
{
	static const uint8_t tlvs[] = {
		0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1e, 0x04, 0x00,
		0x01, 0x00, 0x40, 0x0a,                   /* 10.64.0.1, LE u32 */
		0x21, 0x04, 0x00, 0xfc, 0xff, 0xff, 0xff, /* 255.255.255.252 */
		0x25, 0x11, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,
		0,    0,    0,    0,    0,    0,    0,    0,    0x01, 0x40, /* 2001:db8::1/64 */
		0x29, 0x04, 0x00, 0xdc, 0x05, 0x00, 0x00,                   /* MTU 1500 */
		0x2a, 0x0c, 0x00, 0x02, 0x03, 0x00, 'a',  '.',  'b',  0x04,
		0x00, 'c',  '.',  'd',  'e',  0x2b, 0x01, 0x00, 0x04,
	};
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
	struct qmi_wds_get_current_settings_resp r;

	cr_assert_eq(qmi_msg_decode(&qmi_wds_get_current_settings_resp_def, tlvs, sizeof(tlvs), &r),
		     0);
	cr_assert(r.has_ipv4_address && r.has_ipv4_subnet_mask && r.has_ipv6_address);
	cr_assert_eq(r.ipv4_address, 0x0a400001u);
	cr_assert_eq(r.ipv4_subnet_mask, 0xfffffffcu);
	cr_assert_eq(memcmp(r.ipv6_address.address, v6, 16), 0);
	cr_assert_eq(r.ipv6_address.prefix_length, 64);
	cr_assert_eq(r.mtu, 1500);
	cr_assert_eq(r.n_domain_names, 2);
	cr_assert_str_eq(r.domain_names[0], "a.b");
	cr_assert_str_eq(r.domain_names[1], "c.de");
	cr_assert_eq(r.ip_family, QMI_WDS_IP_FAMILY_IPV4);
	cr_assert(!r.has_ipv4_gateway);
}

Test(msgdb_golden, ctl_internal_proxy_open)
{
	static const uint8_t want[] = {
		0x01, 0x18, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0xff, 0x0d, 0x00, 0x01,
		0x0a, 0x00, 0x2f, 0x64, 0x65, 0x76, 0x2f, 0x70, 0x74, 0x73, 0x2f, 0x30,
	};
	struct qmi_ctl_internal_proxy_open_req req = { .has_device_path = true,
						       .device_path = "/dev/pts/0" };
	uint8_t buf[64];
	size_t len = build(&qmi_ctl_internal_proxy_open_req_def, &req, 0, 7, buf, sizeof(buf));

	cr_assert_eq(len, sizeof(want));
	cr_assert_eq(memcmp(buf, want, len), 0);
}

Test(msgdb_golden, ctl_set_data_format_raw_ip)
{
	/* qmicli's raw-ip + no-qos request, TLV 0x10 before 0x01, as it opens a device. */
	static const uint8_t want[] = { 0x01, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
					0x01, 0x26, 0x00, 0x09, 0x00, 0x10, 0x02,
					0x00, 0x02, 0x00, 0x01, 0x01, 0x00, 0x00 };
	struct qmi_ctl_set_data_format_req req = {
		.has_format = true,
		.format = QMI_CTL_DATA_FORMAT_QOS_ABSENT,
		.has_protocol = true,
		.protocol = QMI_CTL_LINK_PROTOCOL_RAW_IP,
	};
	uint8_t buf[64];
	size_t len = build(&qmi_ctl_set_data_format_req_def, &req, 0, 1, buf, sizeof(buf));

	cr_assert_eq(len, sizeof(want));
	cr_assert_eq(memcmp(buf, want, len), 0);
}

Test(msgdb_golden, dms_get_ids_exchange)
{
	static const uint8_t req_want[] = { 0x01, 0x0c, 0x00, 0x00, 0x02, 0x01, 0x00,
					    0x01, 0x00, 0x25, 0x00, 0x00, 0x00 };
	static const uint8_t resp_tlvs[] = {
		0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x01, 0x00, '0', 0x11,
		0x0f, 0x00, '3',  '5',  '9',  '0',  '7',  '2',  '0',  '6',  '1', '2',
		'3',  '4',  '5',  '6',  '7',  0x13, 0x02, 0x00, '0',  '9',
	};
	struct qmi_dms_get_ids_resp r;
	uint8_t buf[64];
	size_t len = build(&qmi_dms_get_ids_req_def, NULL, 1, 1, buf, sizeof(buf));

	cr_assert_eq(len, sizeof(req_want));
	cr_assert_eq(memcmp(buf, req_want, len), 0);
	cr_assert_eq(qmi_msg_decode(&qmi_dms_get_ids_resp_def, resp_tlvs, sizeof(resp_tlvs), &r),
		     0);
	cr_assert(r.has_esn && r.has_imei && !r.has_meid && r.has_imei_sv);
	cr_assert_str_eq(r.esn, "0");
	cr_assert_str_eq(r.imei, "359072061234567");
	cr_assert_str_eq(r.imei_sv, "09");
}

Test(msgdb_golden, wda_set_data_format_asymmetry)
{
	static const uint8_t req_want[] = {
		0x11, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00,                         /* raw-ip */
		0x17, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, /* hsusb, 4 */
		0x1b, 0x04, 0x00, 0x20, 0x00, 0x00, 0x00,                         /* UL datagrams */
		0x1c, 0x04, 0x00, 0x00, 0x40, 0x00, 0x00,                         /* UL size */
	};
	static const uint8_t resp_tlvs[] = {
		0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11, 0x04, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x17, 0x04, 0x00, 0x20, 0x00, 0x00, 0x00, /* response: UL max datagrams */
		0x18, 0x04, 0x00, 0x00, 0x40, 0x00, 0x00, /* response: UL max size */
		0x1b, 0x01, 0x00, 0x01,                   /* response: flow control */
	};
	struct qmi_wda_set_data_format_req req = {
		.has_link_layer_protocol = true,
		.link_layer_protocol = QMI_WDA_LINK_LAYER_RAW_IP,
		.has_endpoint = true,
		.endpoint = { QMI_DATA_ENDPOINT_HSUSB, 4 },
		.has_ul_max_datagrams = true,
		.ul_max_datagrams = 32,
		.has_ul_max_size = true,
		.ul_max_size = 16384,
	};
	struct qmi_wda_set_data_format_resp r;
	struct qmi_wda_get_data_format_resp g;
	struct qmi_decode_info info;
	uint8_t buf[128];
	size_t len = build(&qmi_wda_set_data_format_req_def, &req, 3, 9, buf, sizeof(buf));

	assert_tlvs(buf, len, req_want, sizeof(req_want));
	cr_assert_eq(qmi_msg_decode(&qmi_wda_set_data_format_resp_def, resp_tlvs, sizeof(resp_tlvs),
				    &r),
		     0);
	cr_assert(r.has_ul_max_datagrams && r.has_ul_max_size && r.has_flow_control);
	cr_assert_eq(r.ul_max_datagrams, 32);
	cr_assert_eq(r.ul_max_size, 16384);
	cr_assert_eq(r.flow_control, 1);
	cr_assert_eq(r.link_layer_protocol, QMI_WDA_LINK_LAYER_RAW_IP);
	cr_assert_eq(qmi_msg_decode(&qmi_wda_get_data_format_resp_def, resp_tlvs, sizeof(resp_tlvs),
				    &g),
		     0);
	cr_assert_eq(g.ul_max_size, 16384);
	/* The request's 0x17 (8 bytes) is not the response's 0x17 (4 bytes): dropped on its own,
	 * the rest still decodes. */
	cr_assert_eq(qmi_msg_decode_ex(&qmi_wda_set_data_format_resp_def, req_want,
				       sizeof(req_want), &r, &info),
		     0);
	cr_assert(!r.has_ul_max_datagrams);
	cr_assert(qmi_decode_dropped(&qmi_wda_set_data_format_resp_def, &info, 0x17));
	/* So is 0x1B, flow control (u8) there, 4 bytes here. */
	cr_assert(!r.has_flow_control);
	cr_assert(qmi_decode_dropped(&qmi_wda_set_data_format_resp_def, &info, 0x1b));
	cr_assert_eq(info.n_invalid, 2);
	cr_assert(r.has_link_layer_protocol);
	cr_assert_eq(r.link_layer_protocol, QMI_WDA_LINK_LAYER_RAW_IP);
}

Test(msgdb_golden, nas_serving_system_shifted_ids)
{
	static const uint8_t ind[] = {
		0x01, 0x06, 0x00, 0x01, 0x01, 0x01, 0x02, 0x01, 0x08, /* registered, lte */
		0x12, 0x08, 0x00, 0xf2, 0x00, 0x01, 0x00, 0x03, 'F',
		'o',  'o',  0x1d, 0x02, 0x00, 0x34, 0x12, /* ind: LAC */
		0x1e, 0x04, 0x00, 0x78, 0x56, 0x34, 0x12, /* ind: CID */
		0x25, 0x02, 0x00, 0xcd, 0xab,             /* ind: LTE TAC */
	};
	static const uint8_t resp[] = {
		0x02, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x1c, 0x02, 0x00, 0x34, 0x12,             /* resp: LAC */
		0x1d, 0x04, 0x00, 0x78, 0x56, 0x34, 0x12, /* resp: CID */
		0x24, 0x02, 0x00, 0xcd, 0xab,             /* resp: LTE TAC */
	};
	struct qmi_nas_serving_system_ind i;
	struct qmi_nas_get_serving_system_resp r;
	struct qmi_decode_info info;

	cr_assert_eq(qmi_msg_decode(&qmi_nas_serving_system_ind_def, ind, sizeof(ind), &i), 0);
	cr_assert(i.has_serving_system && i.has_current_plmn && i.has_lac && i.has_cid &&
		  i.has_lte_tac);
	cr_assert_eq(i.serving_system.registration_state, QMI_NAS_REGISTRATION_STATE_REGISTERED);
	cr_assert_eq(i.serving_system.ps_attach_state, QMI_NAS_ATTACH_STATE_ATTACHED);
	cr_assert_eq(i.serving_system.selected_network, QMI_NAS_NETWORK_TYPE_3GPP);
	cr_assert_eq(i.serving_system.n_radio_interfaces, 1);
	cr_assert_eq(i.serving_system.radio_interfaces[0], QMI_NAS_RADIO_INTERFACE_LTE);
	cr_assert_eq(i.current_plmn.mcc, 242);
	cr_assert_eq(i.current_plmn.mnc, 1);
	cr_assert_str_eq(i.current_plmn.description, "Foo");
	cr_assert_eq(i.lac, 0x1234);
	cr_assert_eq(i.cid, 0x12345678);
	cr_assert_eq(i.lte_tac, 0xabcd);

	cr_assert_eq(qmi_msg_decode(&qmi_nas_get_serving_system_resp_def, resp, sizeof(resp), &r),
		     0);
	cr_assert_eq(r.lac, 0x1234);
	cr_assert_eq(r.cid, 0x12345678);
	cr_assert_eq(r.lte_tac, 0xabcd);
	/* The indication's ids given to the response def: 0x1D is CID (u32) there, 2 bytes is
	 * short, so that TLV alone is dropped. */
	cr_assert_eq(qmi_msg_decode_ex(&qmi_nas_get_serving_system_resp_def, ind, sizeof(ind), &r,
				       &info),
		     0);
	cr_assert(!r.has_cid);
	cr_assert(qmi_decode_dropped(&qmi_nas_get_serving_system_resp_def, &info, 0x1d));
	cr_assert(r.has_serving_system && r.has_current_plmn);
	cr_assert_str_eq(r.current_plmn.description, "Foo");
}

Test(msgdb_golden, uim_card_status_nested_arrays)
{
	static const uint8_t tlvs[] = {
		0x10, 0x25, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* indexes */
		0x01,                                                             /* 1 card */
		0x01, 0x00, 0x03, 0x0a, 0x00,             /* present, upin, retries */
		0x01,                                     /* 1 application */
		0x02, 0x07, 0x00, 0x00, 0x00, 0x00,       /* usim, ready */
		0x04, 0xa0, 0x00, 0x00, 0x00,             /* AID */
		0x00, 0x02, 0x03, 0x0a, 0x00, 0x03, 0x0a, /* pins */
		0x00, 0x00, 0x00, 0x00,                   /* trailing: overlong! */
	};
	struct qmi_uim_get_card_status_resp r;
	uint8_t ok[sizeof(tlvs) - 4];

	memcpy(ok, tlvs, sizeof(ok));
	ok[1] = 0x21;
	cr_assert_eq(qmi_msg_decode(&qmi_uim_get_card_status_resp_def, ok, sizeof(ok), &r), 0);
	cr_assert_eq(r.card_status.index_gw_primary, 0);
	cr_assert_eq(r.card_status.index_1x_primary, 0xffff);
	cr_assert_eq(r.card_status.n_cards, 1);
	cr_assert_eq(r.card_status.cards[0].card_state, QMI_UIM_CARD_STATE_PRESENT);
	cr_assert_eq(r.card_status.cards[0].upin_retries, 3);
	cr_assert_eq(r.card_status.cards[0].n_applications, 1);
	cr_assert_eq(r.card_status.cards[0].applications[0].type, QMI_UIM_APP_TYPE_USIM);
	cr_assert_eq(r.card_status.cards[0].applications[0].state, QMI_UIM_APP_STATE_READY);
	cr_assert_eq(r.card_status.cards[0].applications[0].n_aid, 4);
	cr_assert_eq(r.card_status.cards[0].applications[0].aid[0], 0xa0);
	cr_assert_eq(r.card_status.cards[0].applications[0].pin1_state,
		     QMI_UIM_PIN_STATE_ENABLED_VERIFIED);
	cr_assert_eq(r.card_status.cards[0].applications[0].puk2_retries, 10);
	/* Bytes left over: the card status is dropped, not half-trusted. */
	cr_assert_eq(qmi_msg_decode(&qmi_uim_get_card_status_resp_def, tlvs, sizeof(tlvs), &r), 0);
	cr_assert(!r.has_card_status);
}

/* ---------------------------------------------------------------- encoder errors */

Test(msgdb_encode, string_without_terminator)
{
	struct qmi_dms_get_ids_resp r = { .has_imei = true };
	uint8_t buf[256];
	size_t len;

	memset(r.imei, '1', sizeof(r.imei));
	cr_assert_eq(qmi_msg_build(&qmi_dms_get_ids_resp_def, &r, 1, 1, buf, sizeof(buf), &len),
		     -EINVAL);
}

Test(msgdb_encode, array_count_over_capacity)
{
	struct qmi_ctl_get_version_info_resp r = { .has_services = true, .n_services = 65 };
	uint8_t buf[QMI_FRAME_MAX];
	size_t len;

	cr_assert_eq(qmi_msg_build(&qmi_ctl_get_version_info_resp_def, &r, 0, 1, buf, sizeof(buf),
				   &len),
		     -EINVAL);
}

Test(msgdb_encode, buffer_too_small)
{
	struct qmi_dms_get_revision_resp r = { .has_revision = true };
	uint8_t buf[40];
	size_t len;

	memset(r.revision, 'r', 100);
	cr_assert_eq(qmi_msg_build(&qmi_dms_get_revision_resp_def, &r, 1, 1, buf, sizeof(buf),
				   &len),
		     -EMSGSIZE);
}

Test(msgdb_encode, absent_tlvs_not_written)
{
	struct qmi_wds_stop_network_req r = { .has_packet_data_handle = true,
					      .packet_data_handle = QMI_WDS_PACKET_DATA_HANDLE_ALL,
					      .disable_autoconnect = 1 };
	static const uint8_t want[] = { 0x01, 0x04, 0x00, 0xff, 0xff, 0xff, 0xff };
	uint8_t buf[64];
	size_t len = build(&qmi_wds_stop_network_req_def, &r, 1, 1, buf, sizeof(buf));

	assert_tlvs(buf, len, want, sizeof(want));
}
