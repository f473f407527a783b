/* SPDX-License-Identifier: MIT */
/* NAS messages (qmi-service-nas.json; qmi-protocol.md §2). */
#include "qmi/msgdb_table.h"

/* ---- Register Indications */

#define T struct qmi_nas_network_reject_config
static const struct qmi_field network_reject[] = {
	F_BOOL(enable),
	F_BOOL(suppress_system_info),
};
#undef T

#define T struct qmi_nas_register_indications_req
static const struct qmi_tlv_def register_indications_req[] = {
	TLV_BOOL(0x10, "System Selection Preference", system_selection_preference),
	TLV_BOOL(0x12, "DDTM Events", ddtm_events),
	TLV_BOOL(0x13, "Serving System Events", serving_system_events),
	TLV_BOOL(0x14, "Dual Standby Preference", dual_standby_preference),
	TLV_BOOL(0x15, "Subscription Info", subscription_info),
	TLV_BOOL(0x17, "Network Time", network_time),
	TLV_BOOL(0x18, "System Info", system_info),
	TLV_BOOL(0x19, "Signal Info", signal_info),
	TLV_BOOL(0x1A, "Error Rate", error_rate),
	TLV_BOOL(0x1B, "HDR New UATI Assigned", hdr_new_uati_assigned),
	TLV_BOOL(0x1C, "HDR Session Closed", hdr_session_closed),
	TLV_BOOL(0x1D, "Managed Roaming", managed_roaming),
	TLV_BOOL(0x1E, "Current PLMN Name", current_plmn_name),
	TLV_BOOL(0x1F, "eMBMS Status", embms_status),
	TLV_BOOL(0x20, "RF Band Information", rf_band_info),
	TLV_STRUCT(0x21, "Network Reject Information", network_reject, network_reject),
};
#undef T

/* ---- Get Signal Strength */

#define T struct qmi_nas_get_signal_strength_req
static const struct qmi_tlv_def get_signal_strength_req[] = {
	TLV_ENUM(0x10, "Request Mask", request_mask, qmi_enum_nas_signal_request),
};
#undef T

#define T struct qmi_nas_strength
static const struct qmi_field strength[] = {
	F_NUM(strength),
	F_ENUM(radio_interface, qmi_enum_nas_radio_interface),
};
#undef T
#define T struct qmi_nas_rssi
static const struct qmi_field rssi[] = {
	F_NUM(rssi),
	F_ENUM(radio_interface, qmi_enum_nas_radio_interface),
};
#undef T
#define T struct qmi_nas_ecio
static const struct qmi_field ecio[] = {
	F_NUM(ecio),
	F_ENUM(radio_interface, qmi_enum_nas_radio_interface),
};
#undef T
#define T struct qmi_nas_error_rate
static const struct qmi_field error_rate[] = {
	F_NUM(rate),
	F_ENUM(radio_interface, qmi_enum_nas_radio_interface),
};
#undef T
#define T struct qmi_nas_rsrq
static const struct qmi_field rsrq[] = {
	F_NUM(rsrq),
	F_ENUM(radio_interface, qmi_enum_nas_radio_interface),
};
#undef T

#define T struct qmi_nas_get_signal_strength_resp
static const struct qmi_tlv_def get_signal_strength_resp[] = {
	TLV_STRUCT(0x01, "Signal Strength", signal_strength, strength),
	TLV_ARRAY16(0x10, "Strength List", strength_list, E_STRUCT(strength)),
	TLV_ARRAY16(0x11, "RSSI List", rssi_list, E_STRUCT(rssi)),
	TLV_ARRAY16(0x12, "ECIO List", ecio_list, E_STRUCT(ecio)),
	TLV_NUM(0x13, "IO", io),
	TLV_ENUM(0x14, "SINR", sinr, qmi_enum_nas_sinr_level),
	TLV_ARRAY16(0x15, "Error Rate List", error_rate_list, E_STRUCT(error_rate)),
	TLV_STRUCT(0x16, "RSRQ", rsrq, rsrq),
	TLV_NUM(0x17, "LTE SNR", lte_snr),
	TLV_NUM(0x18, "LTE RSRP", lte_rsrp),
};
#undef T

/* ---- Get Signal Info / Signal Info indication */

#define T struct qmi_nas_cdma_signal
static const struct qmi_field cdma_signal[] = { F_NUM(rssi), F_NUM(ecio) };
#undef T
#define T struct qmi_nas_hdr_signal
static const struct qmi_field hdr_signal[] = {
	F_NUM(rssi), F_NUM(ecio), F_ENUM(sinr, qmi_enum_nas_sinr_level), F_NUM(io),
};
#undef T
#define T struct qmi_nas_lte_signal
static const struct qmi_field lte_signal[] = { F_NUM(rssi), F_NUM(rsrq), F_NUM(rsrp), F_NUM(snr) };
#undef T
#define T struct qmi_nas_tdma_signal_ext
static const struct qmi_field tdma_signal_ext[] = {
	F_NUM(rssi), F_NUM(rscp), F_NUM(ecio), F_NUM(sinr),
};
#undef T
#define T struct qmi_nas_nr5g_signal
static const struct qmi_field nr5g_signal[] = { F_NUM(rsrp), F_NUM(snr) };
#undef T

#define SIGNAL_INFO_TLVS                                                                       \
	TLV_STRUCT(0x10, "CDMA Signal Strength", cdma, cdma_signal),                           \
	TLV_STRUCT(0x11, "HDR Signal Strength", hdr, hdr_signal),                              \
	TLV_NUM(0x12, "GSM Signal Strength", gsm),                                             \
	TLV_STRUCT(0x13, "WCDMA Signal Strength", wcdma, cdma_signal),                         \
	TLV_STRUCT(0x14, "LTE Signal Strength", lte, lte_signal),                              \
	TLV_NUM(0x15, "TDMA Signal Strength", tdma)
#define SIGNAL_INFO_TLVS_5G                                                                    \
	TLV_STRUCT(0x17, "5G Signal Strength", nr5g, nr5g_signal),                             \
	TLV_NUM(0x18, "5G Signal Strength Extended", nr5g_rsrq),                               \
	TLV_NUM(0x19, "WCDMA RSCP", wcdma_rscp)

#define T struct qmi_nas_get_signal_info_resp
static const struct qmi_tlv_def get_signal_info_resp[] = {
	SIGNAL_INFO_TLVS,
	TLV_STRUCT(0x16, "TDMA Signal Strength Extended", tdma_ext, tdma_signal_ext),
	SIGNAL_INFO_TLVS_5G,
};
#undef T

#define T struct qmi_nas_signal_info_ind
static const struct qmi_tlv_def signal_info_ind[] = {
	SIGNAL_INFO_TLVS,
	SIGNAL_INFO_TLVS_5G,
};
#undef T

/* ---- Get Serving System / Serving System indication */

#define T struct qmi_nas_serving_system
static const struct qmi_field serving_system[] = {
	F_ENUM(registration_state, qmi_enum_nas_registration_state),
	F_ENUM(cs_attach_state, qmi_enum_nas_attach_state),
	F_ENUM(ps_attach_state, qmi_enum_nas_attach_state),
	F_ENUM(selected_network, qmi_enum_nas_network_type),
	F_ARRAY8(radio_interfaces, E_ENUM(int8_t, qmi_enum_nas_radio_interface)),
};
#undef T
#define T struct qmi_nas_plmn
static const struct qmi_field plmn[] = { F_NUM(mcc), F_NUM(mnc), F_STR8(description) };
#undef T
#define T struct qmi_nas_cdma_system_id
static const struct qmi_field cdma_system_id[] = { F_NUM(sid), F_NUM(nid) };
#undef T
#define T struct qmi_nas_cdma_base_station
static const struct qmi_field cdma_base_station[] = {
	F_NUM(id), F_NUM(latitude), F_NUM(longitude),
};
#undef T
#define T struct qmi_nas_roaming_indicator
static const struct qmi_field roaming_indicator[] = {
	F_ENUM(radio_interface, qmi_enum_nas_radio_interface),
	F_ENUM(roaming_indicator, qmi_enum_nas_roaming_indicator),
};
#undef T
#define T struct qmi_nas_time_zone_3gpp2
static const struct qmi_field time_zone_3gpp2[] = {
	F_NUM(leap_seconds), F_NUM(local_time_offset), F_BOOL(daylight_saving_time),
};
#undef T
#define T struct qmi_nas_detailed_service_status
static const struct qmi_field detailed_service_status[] = {
	F_ENUM(status, qmi_enum_nas_service_status),
	F_ENUM(capability, qmi_enum_nas_service_domain),
	F_ENUM(hdr_status, qmi_enum_nas_service_status),
	F_BOOL(hdr_hybrid),
	F_BOOL(forbidden),
};
#undef T
#define T struct qmi_nas_cdma_system_info
static const struct qmi_field cdma_system_info[] = { F_NUM(mcc), F_NUM(imsi_11_12) };
#undef T
#define T struct qmi_nas_call_barring
static const struct qmi_field call_barring[] = {
	F_ENUM(cs_status, qmi_enum_nas_call_barring),
	F_ENUM(ps_status, qmi_enum_nas_call_barring),
};
#undef T
#define T struct qmi_nas_mnc_pcs_digit
static const struct qmi_field mnc_pcs_digit[] = {
	F_NUM(mcc), F_NUM(mnc), F_BOOL(includes_pcs_digit),
};
#undef T
#define T struct qmi_nas_utc_time
static const struct qmi_field utc_time[] = {
	F_NUM(year), F_NUM(month), F_NUM(day), F_NUM(hour), F_NUM(minute), F_NUM(second),
	F_NUM(time_zone),
};
#undef T

/* 0x01-0x18 are the same in the response and the indication. */
#define SERVING_SYSTEM_TLVS_COMMON                                                             \
	TLV_STRUCT(0x01, "Serving System", serving_system, serving_system),                    \
	TLV_ENUM(0x10, "Roaming Indicator", roaming_indicator, qmi_enum_nas_roaming_indicator), \
	TLV_ARRAY8(0x11, "Data Service Capability", data_service_capability,                   \
		   E_ENUM(uint8_t, qmi_enum_nas_data_capability)),                             \
	TLV_STRUCT(0x12, "Current PLMN", current_plmn, plmn),                                  \
	TLV_STRUCT(0x13, "CDMA System ID", cdma_system_id, cdma_system_id),                    \
	TLV_STRUCT(0x14, "CDMA Base Station Info", cdma_base_station, cdma_base_station),      \
	TLV_ARRAY8(0x15, "Roaming Indicator List", roaming_indicator_list,                     \
		   E_STRUCT(roaming_indicator)),                                               \
	TLV_ENUM(0x16, "Default Roaming Indicator", default_roaming_indicator,                 \
		 qmi_enum_nas_roaming_indicator),                                              \
	TLV_STRUCT(0x17, "Time Zone 3GPP2", time_zone_3gpp2, time_zone_3gpp2),                 \
	TLV_NUM(0x18, "CDMA P Rev", cdma_p_rev)

#define T struct qmi_nas_get_serving_system_resp
static const struct qmi_tlv_def get_serving_system_resp[] = {
	SERVING_SYSTEM_TLVS_COMMON,
	TLV_NUM(0x1A, "Time Zone 3GPP", time_zone_3gpp),
	TLV_NUM(0x1B, "Daylight Saving Time Adjustment 3GPP", dst_adjustment_3gpp),
	TLV_NUM(0x1C, "LAC 3GPP", lac),
	TLV_NUM(0x1D, "CID 3GPP", cid),
	TLV_BOOL(0x1E, "Concurrent Service Info 3GPP2", concurrent_service_3gpp2),
	TLV_BOOL(0x1F, "PRL Indicator 3GPP2", prl_indicator_3gpp2),
	TLV_BOOL(0x20, "DTM Support", dtm_support),
	TLV_STRUCT(0x21, "Detailed Service Status", detailed_service_status,
		   detailed_service_status),
	TLV_STRUCT(0x22, "CDMA System Info", cdma_system_info, cdma_system_info),
	TLV_ENUM(0x23, "HDR Personality", hdr_personality, qmi_enum_nas_hdr_personality),
	TLV_NUM(0x24, "LTE TAC", lte_tac),
	TLV_STRUCT(0x25, "Call Barring Status", call_barring, call_barring),
	TLV_NUM(0x26, "UMTS Primary Scrambling Code", umts_psc),
	TLV_STRUCT(0x27, "MNC PCS Digit Include Status", mnc_pcs_digit, mnc_pcs_digit),
	TLV_NUM(0x29, "Network Name Source", network_name_source),
};
#undef T

/* From 0x19 on, the indication's ids are shifted against the response's. */
#define T struct qmi_nas_serving_system_ind
static const struct qmi_tlv_def serving_system_ind[] = {
	SERVING_SYSTEM_TLVS_COMMON,
	TLV_BOOL(0x19, "PLMN Name Flag 3GPP", plmn_name_flag),
	TLV_NUM(0x1A, "Time Zone 3GPP", time_zone_3gpp),
	TLV_NUM(0x1B, "Daylight Saving Time Adjustment 3GPP", dst_adjustment_3gpp),
	TLV_STRUCT(0x1C, "Universal Time and Local Time Zone 3GPP", utc_time, utc_time),
	TLV_NUM(0x1D, "LAC 3GPP", lac),
	TLV_NUM(0x1E, "CID 3GPP", cid),
	TLV_BOOL(0x1F, "Concurrent Service Info 3GPP2", concurrent_service_3gpp2),
	TLV_BOOL(0x20, "PRL Indicator 3GPP2", prl_indicator_3gpp2),
	TLV_BOOL(0x21, "DTM Support", dtm_support),
	TLV_STRUCT(0x22, "Detailed Service Status", detailed_service_status,
		   detailed_service_status),
	TLV_STRUCT(0x23, "CDMA System Info", cdma_system_info, cdma_system_info),
	TLV_ENUM(0x24, "HDR Personality", hdr_personality, qmi_enum_nas_hdr_personality),
	TLV_NUM(0x25, "LTE TAC", lte_tac),
	TLV_STRUCT(0x26, "Call Barring Status", call_barring, call_barring),
	TLV_BOOL(0x27, "PLMN Not Changed Indication", plmn_not_changed),
	TLV_NUM(0x28, "UMTS Primary Scrambling Code", umts_psc),
	TLV_STRUCT(0x29, "MNC PCS Digit Include Status", mnc_pcs_digit, mnc_pcs_digit),
	TLV_NUM(0x2B, "Network Name Source", network_name_source),
};
#undef T

/* ---- Get System Info */

#define T struct qmi_nas_service_status_info
static const struct qmi_field service_status_info[] = {
	F_ENUM(service_status, qmi_enum_nas_service_status),
	F_BOOL(preferred_data_path),
};
#undef T
#define T struct qmi_nas_service_status_true
static const struct qmi_field service_status_true[] = {
	F_ENUM(service_status, qmi_enum_nas_service_status),
	F_ENUM(true_service_status, qmi_enum_nas_service_status),
	F_BOOL(preferred_data_path),
};
#undef T

#define SYS_INFO_COMMON_FIELDS                                                                 \
	F_BOOL(domain_valid),                                                                  \
	F_ENUM(domain, qmi_enum_nas_service_domain),                                           \
	F_BOOL(service_capability_valid),                                                      \
	F_ENUM(service_capability, qmi_enum_nas_service_domain),                               \
	F_BOOL(roaming_status_valid),                                                          \
	F_ENUM(roaming_status, qmi_enum_nas_roaming_status),                                   \
	F_BOOL(forbidden_valid),                                                               \
	F_BOOL(forbidden),                                                                     \
	F_BOOL(lac_valid),                                                                     \
	F_NUM(lac),                                                                            \
	F_BOOL(cid_valid),                                                                     \
	F_NUM(cid),                                                                            \
	F_BOOL(reject_info_valid),                                                             \
	F_ENUM(reject_domain, qmi_enum_nas_service_domain),                                    \
	F_NUM(reject_cause),                                                                   \
	F_BOOL(network_id_valid),                                                              \
	F_STR_FIXED(mcc, 3),                                                                   \
	F_STR_FIXED(mnc, 3)

#define T struct qmi_nas_gsm_sys_info
static const struct qmi_field gsm_sys_info[] = {
	SYS_INFO_COMMON_FIELDS,
	F_BOOL(egprs_support_valid),
	F_BOOL(egprs_support),
	F_BOOL(dtm_support_valid),
	F_BOOL(dtm_support),
};
#undef T
#define T struct qmi_nas_wcdma_sys_info
static const struct qmi_field wcdma_sys_info[] = {
	SYS_INFO_COMMON_FIELDS,
	F_BOOL(hs_call_status_valid),
	F_NUM(hs_call_status),
	F_BOOL(hs_service_valid),
	F_NUM(hs_service),
	F_BOOL(psc_valid),
	F_NUM(psc),
};
#undef T
#define T struct qmi_nas_lte_sys_info
static const struct qmi_field lte_sys_info[] = {
	SYS_INFO_COMMON_FIELDS,
	F_BOOL(tac_valid),
	F_NUM(tac),
};
#undef T

#define T struct qmi_nas_get_system_info_resp
static const struct qmi_tlv_def get_system_info_resp[] = {
	TLV_STRUCT(0x10, "CDMA Service Status", cdma_service_status, service_status_info),
	TLV_STRUCT(0x11, "HDR Service Status", hdr_service_status, service_status_info),
	TLV_STRUCT(0x12, "GSM Service Status", gsm_service_status, service_status_true),
	TLV_STRUCT(0x13, "WCDMA Service Status", wcdma_service_status, service_status_true),
	TLV_STRUCT(0x14, "LTE Service Status", lte_service_status, service_status_true),
	TLV_STRUCT(0x17, "GSM System Info v2", gsm_sys_info, gsm_sys_info),
	TLV_STRUCT(0x18, "WCDMA System Info v2", wcdma_sys_info, wcdma_sys_info),
	TLV_STRUCT(0x19, "LTE System Info v2", lte_sys_info, lte_sys_info),
	TLV_BOOL(0x21, "LTE Voice Support", lte_voice_support),
	TLV_NUM(0x44, "LTE Cell Access Status", lte_cell_access_status),
	TLV_STRUCT(0x4A, "NR5G Service Status Info", nr5g_service_status, service_status_true),
	TLV_STRUCT(0x4B, "NR5G System Info", nr5g_sys_info, lte_sys_info),
	TLV_BOOL(0x4E, "EUTRA with NR5G availability", eutra_with_nr5g),
	TLV_BOOL(0x4F, "DCNR restriction Info", dcnr_restriction),
	TLV_FIXED(0x50, "NR5G Tracking Area Code", nr5g_tac, E_NUM(uint8_t, .flags = QMI_FF_HEX)),
};
#undef T

QMI_MSG(qmi_nas_register_indications_req_def, NAS, QMI_NAS_REGISTER_INDICATIONS, REQUEST,
	"Register Indications", struct qmi_nas_register_indications_req,
	register_indications_req);
QMI_MSG_EMPTY(qmi_nas_register_indications_resp_def, NAS, QMI_NAS_REGISTER_INDICATIONS,
	      RESPONSE, "Register Indications");
QMI_MSG(qmi_nas_get_signal_strength_req_def, NAS, QMI_NAS_GET_SIGNAL_STRENGTH, REQUEST,
	"Get Signal Strength", struct qmi_nas_get_signal_strength_req, get_signal_strength_req);
QMI_MSG(qmi_nas_get_signal_strength_resp_def, NAS, QMI_NAS_GET_SIGNAL_STRENGTH, RESPONSE,
	"Get Signal Strength", struct qmi_nas_get_signal_strength_resp,
	get_signal_strength_resp);
QMI_MSG_EMPTY(qmi_nas_get_signal_info_req_def, NAS, QMI_NAS_GET_SIGNAL_INFO, REQUEST,
	      "Get Signal Info");
QMI_MSG(qmi_nas_get_signal_info_resp_def, NAS, QMI_NAS_GET_SIGNAL_INFO, RESPONSE,
	"Get Signal Info", struct qmi_nas_get_signal_info_resp, get_signal_info_resp);
QMI_MSG(qmi_nas_signal_info_ind_def, NAS, QMI_NAS_SIGNAL_INFO_IND, INDICATION, "Signal Info",
	struct qmi_nas_signal_info_ind, signal_info_ind);
QMI_MSG_EMPTY(qmi_nas_get_serving_system_req_def, NAS, QMI_NAS_GET_SERVING_SYSTEM, REQUEST,
	      "Get Serving System");
QMI_MSG(qmi_nas_get_serving_system_resp_def, NAS, QMI_NAS_GET_SERVING_SYSTEM, RESPONSE,
	"Get Serving System", struct qmi_nas_get_serving_system_resp, get_serving_system_resp);
QMI_MSG(qmi_nas_serving_system_ind_def, NAS, QMI_NAS_SERVING_SYSTEM_IND, INDICATION,
	"Serving System", struct qmi_nas_serving_system_ind, serving_system_ind);
QMI_MSG_EMPTY(qmi_nas_get_system_info_req_def, NAS, QMI_NAS_GET_SYSTEM_INFO, REQUEST,
	      "Get System Info");
QMI_MSG(qmi_nas_get_system_info_resp_def, NAS, QMI_NAS_GET_SYSTEM_INFO, RESPONSE,
	"Get System Info", struct qmi_nas_get_system_info_resp, get_system_info_resp);

const struct qmi_msg_def *const qmi_msgdb_nas[] = {
	&qmi_nas_register_indications_req_def, &qmi_nas_register_indications_resp_def,
	&qmi_nas_get_signal_strength_req_def, &qmi_nas_get_signal_strength_resp_def,
	&qmi_nas_get_signal_info_req_def, &qmi_nas_get_signal_info_resp_def,
	&qmi_nas_signal_info_ind_def,
	&qmi_nas_get_serving_system_req_def, &qmi_nas_get_serving_system_resp_def,
	&qmi_nas_serving_system_ind_def,
	&qmi_nas_get_system_info_req_def, &qmi_nas_get_system_info_resp_def,
	NULL,
};
