/* SPDX-License-Identifier: MIT */
/*
 * WDA messages (qmi-service-wda.json; qmi-protocol.md §2). The Set request and the responses
 * disagree on 0x17-0x1C: in the request 0x17 is Endpoint Info and 0x1B/0x1C the UL limits, in
 * the responses 0x17/0x18 are the UL limits and 0x1B is Flow Control.
 */
#include "qmi/msgdb_table.h"

#define T struct qmi_data_endpoint
static const struct qmi_field endpoint[] = {
	F_ENUM(type, qmi_enum_data_endpoint_type),
	F_NUM(interface_number),
};
#undef T

#define DATA_FORMAT_TLVS_HEAD                                                                  \
	TLV_BOOL(0x10, "QoS Format", qos_format),                                              \
	TLV_ENUM(0x11, "Link Layer Protocol", link_layer_protocol, qmi_enum_wda_link_layer),   \
	TLV_ENUM(0x12, "Uplink Data Aggregation Protocol", ul_aggregation_protocol,            \
		 qmi_enum_wda_aggregation),                                                    \
	TLV_ENUM(0x13, "Downlink Data Aggregation Protocol", dl_aggregation_protocol,          \
		 qmi_enum_wda_aggregation),                                                    \
	TLV_NUM(0x14, "NDP Signature", ndp_signature, .flags = QMI_FF_HEX),                    \
	TLV_NUM(0x15, "Downlink Data Aggregation Max Datagrams", dl_max_datagrams),            \
	TLV_NUM(0x16, "Downlink Data Aggregation Max Size", dl_max_size)

#define DATA_FORMAT_RESP_TLVS                                                                  \
	DATA_FORMAT_TLVS_HEAD,                                                                 \
	TLV_NUM(0x17, "Uplink Data Aggregation Max Datagrams", ul_max_datagrams),              \
	TLV_NUM(0x18, "Uplink Data Aggregation Max Size", ul_max_size),                        \
	TLV_NUM(0x1A, "Download Minimum Padding", dl_min_padding),                             \
	TLV_NUM(0x1B, "Flow Control", flow_control)

#define T struct qmi_wda_set_data_format_req
static const struct qmi_tlv_def set_data_format_req[] = {
	DATA_FORMAT_TLVS_HEAD,
	TLV_STRUCT(0x17, "Endpoint Info", endpoint, endpoint),
	TLV_NUM(0x1B, "Uplink Data Aggregation Max Datagrams", ul_max_datagrams),
	TLV_NUM(0x1C, "Uplink Data Aggregation Max Size", ul_max_size),
};
#undef T

#define T struct qmi_wda_set_data_format_resp
static const struct qmi_tlv_def set_data_format_resp[] = { DATA_FORMAT_RESP_TLVS };
#undef T

#define T struct qmi_wda_get_data_format_req
static const struct qmi_tlv_def get_data_format_req[] = {
	TLV_STRUCT(0x10, "Endpoint Info", endpoint, endpoint),
};
#undef T

#define T struct qmi_wda_get_data_format_resp
static const struct qmi_tlv_def get_data_format_resp[] = { DATA_FORMAT_RESP_TLVS };
#undef T

QMI_MSG(qmi_wda_set_data_format_req_def, WDA, QMI_WDA_SET_DATA_FORMAT, REQUEST,
	"Set Data Format", struct qmi_wda_set_data_format_req, set_data_format_req);
QMI_MSG(qmi_wda_set_data_format_resp_def, WDA, QMI_WDA_SET_DATA_FORMAT, RESPONSE,
	"Set Data Format", struct qmi_wda_set_data_format_resp, set_data_format_resp);
QMI_MSG(qmi_wda_get_data_format_req_def, WDA, QMI_WDA_GET_DATA_FORMAT, REQUEST,
	"Get Data Format", struct qmi_wda_get_data_format_req, get_data_format_req);
QMI_MSG(qmi_wda_get_data_format_resp_def, WDA, QMI_WDA_GET_DATA_FORMAT, RESPONSE,
	"Get Data Format", struct qmi_wda_get_data_format_resp, get_data_format_resp);

const struct qmi_msg_def *const qmi_msgdb_wda[] = {
	&qmi_wda_set_data_format_req_def, &qmi_wda_set_data_format_resp_def,
	&qmi_wda_get_data_format_req_def, &qmi_wda_get_data_format_resp_def,
	NULL,
};
