/* SPDX-License-Identifier: MIT */
/* WDS messages (qmi-service-wds.json; qmi-protocol.md §2). */
#include "qmi/msgdb_table.h"

#define T struct qmi_wds_verbose_call_end_reason
static const struct qmi_field verbose_cer[] = {
	F_ENUM(type, qmi_enum_wds_verbose_cer_type),
	F_NUM(reason),
};
#undef T

/* ---- Start Network / Stop Network */

#define T struct qmi_wds_start_network_req
static const struct qmi_tlv_def start_network_req[] = {
	TLV_IPV4(0x10, "Primary DNS Address Preference", primary_dns),
	TLV_IPV4(0x11, "Secondary DNS Address Preference", secondary_dns),
	TLV_IPV4(0x12, "Primary NBNS Address Preference", primary_nbns),
	TLV_IPV4(0x13, "Secondary NBNS Address Preference", secondary_nbns),
	TLV_STR(0x14, "APN", apn),
	TLV_IPV4(0x15, "IPv4 Address Preference", ipv4_address),
	TLV_ENUM(0x16, "Authentication Preference", auth, qmi_enum_wds_auth),
	TLV_STR(0x17, "Username", username),
	TLV_STR(0x18, "Password", password),
	TLV_ENUM(0x19, "IP Family Preference", ip_family, qmi_enum_wds_ip_family),
	TLV_NUM(0x30, "Technology Preference", technology_preference, .flags = QMI_FF_HEX),
	TLV_NUM(0x31, "Profile Index 3GPP", profile_index_3gpp),
	TLV_NUM(0x32, "Profile Index 3GPP2", profile_index_3gpp2),
	TLV_BOOL(0x33, "Enable Autoconnect", enable_autoconnect),
	TLV_NUM(0x34, "Extended Technology Preference", ext_technology_preference),
	TLV_NUM(0x35, "Call Type", call_type),
};
#undef T

#define T struct qmi_wds_start_network_resp
static const struct qmi_tlv_def start_network_resp[] = {
	TLV_NUM(0x01, "Packet Data Handle", packet_data_handle, .flags = QMI_FF_HEX),
	TLV_ENUM(0x10, "Call End Reason", call_end_reason, qmi_enum_wds_call_end_reason),
	TLV_STRUCT(0x11, "Verbose Call End Reason", verbose_call_end_reason, verbose_cer),
};
#undef T

#define T struct qmi_wds_stop_network_req
static const struct qmi_tlv_def stop_network_req[] = {
	TLV_NUM(0x01, "Packet Data Handle", packet_data_handle, .flags = QMI_FF_HEX),
	TLV_BOOL(0x10, "Disable Autoconnect", disable_autoconnect),
};
#undef T

/* ---- Packet Service Status */

#define T struct qmi_wds_get_packet_service_status_resp
static const struct qmi_tlv_def get_packet_service_status_resp[] = {
	TLV_ENUM(0x01, "Connection Status", connection_status, qmi_enum_wds_connection_status),
};
#undef T

#define T struct qmi_wds_connection_status
static const struct qmi_field connection_status[] = {
	F_ENUM(status, qmi_enum_wds_connection_status),
	F_BOOL(reconfiguration_required),
};
#undef T

#define T struct qmi_wds_packet_service_status_ind
static const struct qmi_tlv_def packet_service_status_ind[] = {
	TLV_STRUCT(0x01, "Connection Status", connection_status, connection_status),
	TLV_ENUM(0x10, "Call End Reason", call_end_reason, qmi_enum_wds_call_end_reason),
	TLV_STRUCT(0x11, "Verbose Call End Reason", verbose_call_end_reason, verbose_cer),
	TLV_ENUM(0x12, "IP Family", ip_family, qmi_enum_wds_ip_family),
	TLV_NUM(0x14, "Bearer ID", bearer_id),
	TLV_BOOL(0x15, "XLAT Capability", xlat_capable),
	TLV_NUM(0x34, "Extended Technology Preference", ext_technology_preference),
};
#undef T

/* ---- Get Packet Statistics */

#define T struct qmi_wds_get_packet_statistics_req
static const struct qmi_tlv_def get_packet_statistics_req[] = {
	TLV_ENUM(0x01, "Mask", mask, qmi_enum_wds_packet_stats_mask),
};
#undef T

#define T struct qmi_wds_get_packet_statistics_resp
static const struct qmi_tlv_def get_packet_statistics_resp[] = {
	TLV_NUM(0x10, "Tx Packets Ok", tx_packets_ok),
	TLV_NUM(0x11, "Rx Packets Ok", rx_packets_ok),
	TLV_NUM(0x12, "Tx Packets Error", tx_packets_error),
	TLV_NUM(0x13, "Rx Packets Error", rx_packets_error),
	TLV_NUM(0x14, "Tx Overflows", tx_overflows),
	TLV_NUM(0x15, "Rx Overflows", rx_overflows),
	TLV_NUM(0x19, "Tx Bytes Ok", tx_bytes_ok),
	TLV_NUM(0x1A, "Rx Bytes Ok", rx_bytes_ok),
	TLV_NUM(0x1B, "Last Call Tx Bytes Ok", last_call_tx_bytes_ok),
	TLV_NUM(0x1C, "Last Call Rx Bytes Ok", last_call_rx_bytes_ok),
	TLV_NUM(0x1D, "Tx Packets Dropped", tx_packets_dropped),
	TLV_NUM(0x1E, "Rx Packets Dropped", rx_packets_dropped),
};
#undef T

/* ---- Get Profile List */

#define T struct qmi_wds_get_profile_list_req
static const struct qmi_tlv_def get_profile_list_req[] = {
	TLV_ENUM(0x10, "Profile Type", profile_type, qmi_enum_wds_profile_type),
};
#undef T

#define T struct qmi_wds_profile_entry
static const struct qmi_field profile_entry[] = {
	F_ENUM(type, qmi_enum_wds_profile_type),
	F_NUM(index),
	F_STR8(name),
};
#undef T

#define T struct qmi_wds_get_profile_list_resp
static const struct qmi_tlv_def get_profile_list_resp[] = {
	TLV_ARRAY8(0x01, "Profile List", profiles, E_STRUCT(profile_entry)),
	TLV_NUM(0xE0, "Extended Error Code", extended_error),
};
#undef T

/* ---- Get Current Settings */

#define T struct qmi_wds_get_current_settings_req
static const struct qmi_tlv_def get_current_settings_req[] = {
	TLV_ENUM(0x10, "Requested Settings", requested_settings, qmi_enum_wds_requested_settings),
};
#undef T

#define T struct qmi_wds_umts_qos
static const struct qmi_field umts_qos[] = {
	F_NUM(traffic_class),
	F_NUM(max_uplink_bitrate),
	F_NUM(max_downlink_bitrate),
	F_NUM(guaranteed_uplink_bitrate),
	F_NUM(guaranteed_downlink_bitrate),
	F_NUM(delivery_order),
	F_NUM(max_sdu_size),
	F_NUM(sdu_error_ratio),
	F_NUM(residual_bit_error_ratio),
	F_NUM(delivery_erroneous_sdu),
	F_NUM(transfer_delay),
	F_NUM(traffic_handling_priority),
};
#undef T
#define T struct qmi_wds_gprs_qos
static const struct qmi_field gprs_qos[] = {
	F_NUM(precedence_class),
	F_NUM(delay_class),
	F_NUM(reliability_class),
	F_NUM(peak_throughput_class),
	F_NUM(mean_throughput_class),
};
#undef T
#define T struct qmi_wds_profile_id
static const struct qmi_field profile_id[] = {
	F_ENUM(type, qmi_enum_wds_profile_type),
	F_NUM(index),
};
#undef T
#define T struct qmi_ipv6_prefix
static const struct qmi_field ipv6_prefix[] = {
	F_IPV6(address),
	F_NUM(prefix_length),
};
#undef T
#define T struct qmi_wds_operator_pco
static const struct qmi_field operator_pco[] = {
	F_NUM(mcc),
	F_NUM(mnc),
	F_BOOL(mnc_includes_pcs_digit),
	F_ARRAY8(app_info, E_NUM(uint8_t, .flags = QMI_FF_HEX)),
	F_NUM(container_id),
};
#undef T

#define T struct qmi_wds_get_current_settings_resp
static const struct qmi_tlv_def get_current_settings_resp[] = {
	TLV_STR(0x10, "Profile Name", profile_name),
	TLV_ENUM(0x11, "PDP Type", pdp_type, qmi_enum_wds_pdp_type),
	TLV_STR(0x14, "APN Name", apn),
	TLV_IPV4(0x15, "Primary IPv4 DNS Address", ipv4_primary_dns),
	TLV_IPV4(0x16, "Secondary IPv4 DNS Address", ipv4_secondary_dns),
	TLV_STRUCT(0x17, "UMTS Granted QoS", umts_granted_qos, umts_qos),
	TLV_STRUCT(0x19, "GPRS Granted QoS", gprs_granted_qos, gprs_qos),
	TLV_STR(0x1B, "Username", username),
	TLV_ENUM(0x1D, "Authentication", auth, qmi_enum_wds_auth),
	TLV_IPV4(0x1E, "IPv4 Address", ipv4_address),
	TLV_STRUCT(0x1F, "Profile ID", profile_id, profile_id),
	TLV_IPV4(0x20, "IPv4 Gateway Address", ipv4_gateway),
	TLV_IPV4(0x21, "IPv4 Gateway Subnet Mask", ipv4_subnet_mask),
	TLV_NUM(0x22, "PCSCF Address Using PCO", pcscf_via_pco),
	TLV_ARRAY8(0x23, "PCSCF Server Address List", pcscf_servers, E_IPV4),
	TLV_ARRAY8(0x24, "PCSCF Domain Name List", pcscf_domains, E_STR16),
	TLV_STRUCT(0x25, "IPv6 Address", ipv6_address, ipv6_prefix),
	TLV_STRUCT(0x26, "IPv6 Gateway Address", ipv6_gateway, ipv6_prefix),
	TLV_IPV6(0x27, "IPv6 Primary DNS Address", ipv6_primary_dns),
	TLV_IPV6(0x28, "IPv6 Secondary DNS Address", ipv6_secondary_dns),
	TLV_NUM(0x29, "MTU", mtu),
	TLV_ARRAY8(0x2A, "Domain Name List", domain_names, E_STR16),
	TLV_ENUM(0x2B, "IP Family", ip_family, qmi_enum_wds_ip_family),
	TLV_NUM(0x2C, "IMCN Flag", imcn),
	TLV_NUM(0x2D, "Extended Technology Preference", ext_technology_preference),
	TLV_STRUCT(0x2F, "Operator Reserved PCO", operator_pco, operator_pco),
};
#undef T

/* ---- Set IP Family, Bind Mux Data Port */

#define T struct qmi_wds_set_ip_family_req
static const struct qmi_tlv_def set_ip_family_req[] = {
	TLV_ENUM(0x01, "Preference", preference, qmi_enum_wds_ip_family),
};
#undef T

#define T struct qmi_data_endpoint
static const struct qmi_field endpoint[] = {
	F_ENUM(type, qmi_enum_data_endpoint_type),
	F_NUM(interface_number),
};
#undef T

#define T struct qmi_wds_bind_mux_data_port_req
static const struct qmi_tlv_def bind_mux_data_port_req[] = {
	TLV_STRUCT(0x10, "Endpoint Info", endpoint, endpoint),
	TLV_NUM(0x11, "Mux ID", mux_id),
	TLV_ENUM(0x13, "Client Type", client_type, qmi_enum_wds_client_type),
};
#undef T

QMI_MSG(qmi_wds_start_network_req_def, WDS, QMI_WDS_START_NETWORK, REQUEST, "Start Network",
	struct qmi_wds_start_network_req, start_network_req);
QMI_MSG(qmi_wds_start_network_resp_def, WDS, QMI_WDS_START_NETWORK, RESPONSE, "Start Network",
	struct qmi_wds_start_network_resp, start_network_resp);
QMI_MSG(qmi_wds_stop_network_req_def, WDS, QMI_WDS_STOP_NETWORK, REQUEST, "Stop Network",
	struct qmi_wds_stop_network_req, stop_network_req);
QMI_MSG_EMPTY(qmi_wds_stop_network_resp_def, WDS, QMI_WDS_STOP_NETWORK, RESPONSE,
	      "Stop Network");
QMI_MSG_EMPTY(qmi_wds_get_packet_service_status_req_def, WDS, QMI_WDS_GET_PACKET_SERVICE_STATUS,
	      REQUEST, "Get Packet Service Status");
QMI_MSG(qmi_wds_get_packet_service_status_resp_def, WDS, QMI_WDS_GET_PACKET_SERVICE_STATUS,
	RESPONSE, "Get Packet Service Status", struct qmi_wds_get_packet_service_status_resp,
	get_packet_service_status_resp);
QMI_MSG(qmi_wds_packet_service_status_ind_def, WDS, QMI_WDS_PACKET_SERVICE_STATUS_IND,
	INDICATION, "Packet Service Status", struct qmi_wds_packet_service_status_ind,
	packet_service_status_ind);
QMI_MSG(qmi_wds_get_packet_statistics_req_def, WDS, QMI_WDS_GET_PACKET_STATISTICS, REQUEST,
	"Get Packet Statistics", struct qmi_wds_get_packet_statistics_req,
	get_packet_statistics_req);
QMI_MSG(qmi_wds_get_packet_statistics_resp_def, WDS, QMI_WDS_GET_PACKET_STATISTICS, RESPONSE,
	"Get Packet Statistics", struct qmi_wds_get_packet_statistics_resp,
	get_packet_statistics_resp);
QMI_MSG(qmi_wds_get_profile_list_req_def, WDS, QMI_WDS_GET_PROFILE_LIST, REQUEST,
	"Get Profile List", struct qmi_wds_get_profile_list_req, get_profile_list_req);
QMI_MSG(qmi_wds_get_profile_list_resp_def, WDS, QMI_WDS_GET_PROFILE_LIST, RESPONSE,
	"Get Profile List", struct qmi_wds_get_profile_list_resp, get_profile_list_resp);
QMI_MSG(qmi_wds_get_current_settings_req_def, WDS, QMI_WDS_GET_CURRENT_SETTINGS, REQUEST,
	"Get Current Settings", struct qmi_wds_get_current_settings_req, get_current_settings_req);
QMI_MSG(qmi_wds_get_current_settings_resp_def, WDS, QMI_WDS_GET_CURRENT_SETTINGS, RESPONSE,
	"Get Current Settings", struct qmi_wds_get_current_settings_resp,
	get_current_settings_resp);
QMI_MSG(qmi_wds_set_ip_family_req_def, WDS, QMI_WDS_SET_IP_FAMILY, REQUEST, "Set IP Family",
	struct qmi_wds_set_ip_family_req, set_ip_family_req);
QMI_MSG_EMPTY(qmi_wds_set_ip_family_resp_def, WDS, QMI_WDS_SET_IP_FAMILY, RESPONSE,
	      "Set IP Family");
QMI_MSG(qmi_wds_bind_mux_data_port_req_def, WDS, QMI_WDS_BIND_MUX_DATA_PORT, REQUEST,
	"Bind Mux Data Port", struct qmi_wds_bind_mux_data_port_req, bind_mux_data_port_req);
QMI_MSG_EMPTY(qmi_wds_bind_mux_data_port_resp_def, WDS, QMI_WDS_BIND_MUX_DATA_PORT, RESPONSE,
	      "Bind Mux Data Port");

const struct qmi_msg_def *const qmi_msgdb_wds[] = {
	&qmi_wds_start_network_req_def, &qmi_wds_start_network_resp_def,
	&qmi_wds_stop_network_req_def, &qmi_wds_stop_network_resp_def,
	&qmi_wds_get_packet_service_status_req_def, &qmi_wds_get_packet_service_status_resp_def,
	&qmi_wds_packet_service_status_ind_def,
	&qmi_wds_get_packet_statistics_req_def, &qmi_wds_get_packet_statistics_resp_def,
	&qmi_wds_get_profile_list_req_def, &qmi_wds_get_profile_list_resp_def,
	&qmi_wds_get_current_settings_req_def, &qmi_wds_get_current_settings_resp_def,
	&qmi_wds_set_ip_family_req_def, &qmi_wds_set_ip_family_resp_def,
	&qmi_wds_bind_mux_data_port_req_def, &qmi_wds_bind_mux_data_port_resp_def,
	NULL,
};
