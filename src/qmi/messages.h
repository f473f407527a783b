/* SPDX-License-Identifier: MIT */
/*
 * Every message qmiusb knows: its id, its C structs and its defs (the tables live in
 * msg_<svc>.c). Ids, TLV ids and layouts follow libqmi's data/qmi-service-*.json
 * (qmi-protocol.md §2).
 *
 * Conventions:
 *   - struct qmi_<svc>_<message>_{req,resp,ind}; one `bool has_<x>` per TLV, then its value <x>;
 *   - strings are NUL-terminated char arrays; a wire string that does not fit is an error;
 *   - arrays are `uint16_t n_<x>` + a fixed-capacity array <x>[];
 *   - IPv4 addresses are uint32_t in host order (10.0.0.1 == 0x0a000001), IPv6 are 16 bytes in
 *     network order;
 *   - a message without TLVs has no struct (pass NULL) but still has a def;
 *   - the Result TLV 0x02 is never in a struct: qmi_dev_call() returns it in struct qmi_result.
 */
#ifndef QMI_MESSAGES_H
#define QMI_MESSAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "qmi/msgdb.h"

/* ------------------------------------------------------------------------------------------ */
/* CTL */

#define QMI_CTL_GET_VERSION_INFO 0x0021
#define QMI_CTL_ALLOCATE_CID 0x0022
#define QMI_CTL_RELEASE_CID 0x0023
#define QMI_CTL_SET_DATA_FORMAT 0x0026
#define QMI_CTL_SYNC 0x0027            /* request/response and indication */
#define QMI_CTL_INTERNAL_PROXY_OPEN 0xFF00

#define QMI_CTL_DATA_FORMAT_QOS_ABSENT 0
#define QMI_CTL_DATA_FORMAT_QOS_PRESENT 1
#define QMI_CTL_LINK_PROTOCOL_802_3 1
#define QMI_CTL_LINK_PROTOCOL_RAW_IP 2

struct qmi_ctl_service_version {
	uint8_t service;
	uint16_t major;
	uint16_t minor;
};

struct qmi_ctl_client_id {
	uint8_t service;
	uint8_t cid;
};

struct qmi_ctl_get_version_info_resp {
	bool has_services;
	uint16_t n_services;
	struct qmi_ctl_service_version services[64];
};

struct qmi_ctl_allocate_cid_req {
	bool has_service;
	uint8_t service;
};

struct qmi_ctl_allocate_cid_resp {
	bool has_allocation;
	struct qmi_ctl_client_id allocation;
};

struct qmi_ctl_release_cid_req {
	bool has_release;
	struct qmi_ctl_client_id release;
};

struct qmi_ctl_release_cid_resp {
	bool has_release;
	struct qmi_ctl_client_id release;
};

struct qmi_ctl_set_data_format_req {
	bool has_format;
	uint8_t format;       /* QMI_CTL_DATA_FORMAT_* */
	bool has_protocol;
	uint16_t protocol;    /* QMI_CTL_LINK_PROTOCOL_* */
};

struct qmi_ctl_set_data_format_resp {
	bool has_protocol;
	uint16_t protocol;
};

struct qmi_ctl_internal_proxy_open_req {
	bool has_device_path;
	char device_path[256];
};

extern const struct qmi_msg_def qmi_ctl_get_version_info_req_def, qmi_ctl_get_version_info_resp_def;
extern const struct qmi_msg_def qmi_ctl_allocate_cid_req_def, qmi_ctl_allocate_cid_resp_def;
extern const struct qmi_msg_def qmi_ctl_release_cid_req_def, qmi_ctl_release_cid_resp_def;
extern const struct qmi_msg_def qmi_ctl_set_data_format_req_def, qmi_ctl_set_data_format_resp_def;
extern const struct qmi_msg_def qmi_ctl_sync_req_def, qmi_ctl_sync_resp_def, qmi_ctl_sync_ind_def;
extern const struct qmi_msg_def qmi_ctl_internal_proxy_open_req_def;
extern const struct qmi_msg_def qmi_ctl_internal_proxy_open_resp_def;

/* ------------------------------------------------------------------------------------------ */
/* DMS */

#define QMI_DMS_GET_MANUFACTURER 0x0021
#define QMI_DMS_GET_MODEL 0x0022
#define QMI_DMS_GET_REVISION 0x0023
#define QMI_DMS_GET_MSISDN 0x0024
#define QMI_DMS_GET_IDS 0x0025
#define QMI_DMS_GET_OPERATING_MODE 0x002D
#define QMI_DMS_SET_OPERATING_MODE 0x002E
#define QMI_DMS_UIM_GET_ICCID 0x003C
#define QMI_DMS_UIM_GET_IMSI 0x0043

enum {
	QMI_DMS_OPERATING_MODE_ONLINE = 0,
	QMI_DMS_OPERATING_MODE_LOW_POWER = 1,
	QMI_DMS_OPERATING_MODE_FACTORY_TEST = 2,
	QMI_DMS_OPERATING_MODE_OFFLINE = 3,
	QMI_DMS_OPERATING_MODE_RESET = 4,
	QMI_DMS_OPERATING_MODE_SHUTTING_DOWN = 5,
	QMI_DMS_OPERATING_MODE_PERSISTENT_LOW_POWER = 6,
	QMI_DMS_OPERATING_MODE_MODE_ONLY_LOW_POWER = 7,
};

struct qmi_dms_get_manufacturer_resp {
	bool has_manufacturer;
	char manufacturer[256];
};

struct qmi_dms_get_model_resp {
	bool has_model;
	char model[256];
};

struct qmi_dms_get_revision_resp {
	bool has_revision;
	char revision[256];
};

struct qmi_dms_get_msisdn_resp {
	bool has_msisdn;
	char msisdn[64];
};

struct qmi_dms_get_ids_resp {
	bool has_esn;
	char esn[32];
	bool has_imei;
	char imei[32];
	bool has_meid;
	char meid[32];
	bool has_imei_sv;
	char imei_sv[32];
};

struct qmi_dms_get_operating_mode_resp {
	bool has_mode;
	uint8_t mode;                /* QMI_DMS_OPERATING_MODE_* */
	bool has_offline_reason;
	uint16_t offline_reason;     /* bitmask, qmi_enum_dms_offline_reason */
	bool has_hw_restricted;
	uint8_t hw_restricted;       /* bool */
};

struct qmi_dms_set_operating_mode_req {
	bool has_mode;
	uint8_t mode;
};

struct qmi_dms_uim_get_iccid_resp {
	bool has_iccid;
	char iccid[32];
};

struct qmi_dms_uim_get_imsi_resp {
	bool has_imsi;
	char imsi[32];
};

extern const struct qmi_msg_def qmi_dms_get_manufacturer_req_def, qmi_dms_get_manufacturer_resp_def;
extern const struct qmi_msg_def qmi_dms_get_model_req_def, qmi_dms_get_model_resp_def;
extern const struct qmi_msg_def qmi_dms_get_revision_req_def, qmi_dms_get_revision_resp_def;
extern const struct qmi_msg_def qmi_dms_get_msisdn_req_def, qmi_dms_get_msisdn_resp_def;
extern const struct qmi_msg_def qmi_dms_get_ids_req_def, qmi_dms_get_ids_resp_def;
extern const struct qmi_msg_def qmi_dms_get_operating_mode_req_def;
extern const struct qmi_msg_def qmi_dms_get_operating_mode_resp_def;
extern const struct qmi_msg_def qmi_dms_set_operating_mode_req_def;
extern const struct qmi_msg_def qmi_dms_set_operating_mode_resp_def;
extern const struct qmi_msg_def qmi_dms_uim_get_iccid_req_def, qmi_dms_uim_get_iccid_resp_def;
extern const struct qmi_msg_def qmi_dms_uim_get_imsi_req_def, qmi_dms_uim_get_imsi_resp_def;

/* ------------------------------------------------------------------------------------------ */
/* NAS */

#define QMI_NAS_REGISTER_INDICATIONS 0x0003
#define QMI_NAS_GET_SIGNAL_STRENGTH 0x0020
#define QMI_NAS_GET_SERVING_SYSTEM 0x0024
#define QMI_NAS_SERVING_SYSTEM_IND 0x0024
#define QMI_NAS_GET_SYSTEM_INFO 0x004D
#define QMI_NAS_GET_SIGNAL_INFO 0x004F
#define QMI_NAS_SIGNAL_INFO_IND 0x0051

enum {
	QMI_NAS_REGISTRATION_STATE_NOT_REGISTERED = 0,
	QMI_NAS_REGISTRATION_STATE_REGISTERED = 1,
	QMI_NAS_REGISTRATION_STATE_SEARCHING = 2,
	QMI_NAS_REGISTRATION_STATE_DENIED = 3,
	QMI_NAS_REGISTRATION_STATE_UNKNOWN = 4,
};
enum {
	QMI_NAS_ATTACH_STATE_UNKNOWN = 0,
	QMI_NAS_ATTACH_STATE_ATTACHED = 1,
	QMI_NAS_ATTACH_STATE_DETACHED = 2,
};
enum {
	QMI_NAS_NETWORK_TYPE_UNKNOWN = 0,
	QMI_NAS_NETWORK_TYPE_3GPP2 = 1,
	QMI_NAS_NETWORK_TYPE_3GPP = 2,
};
enum {
	QMI_NAS_RADIO_INTERFACE_UNKNOWN = -1,
	QMI_NAS_RADIO_INTERFACE_NONE = 0,
	QMI_NAS_RADIO_INTERFACE_CDMA_1X = 1,
	QMI_NAS_RADIO_INTERFACE_CDMA_1XEVDO = 2,
	QMI_NAS_RADIO_INTERFACE_AMPS = 3,
	QMI_NAS_RADIO_INTERFACE_GSM = 4,
	QMI_NAS_RADIO_INTERFACE_UMTS = 5,
	QMI_NAS_RADIO_INTERFACE_LTE = 8,
	QMI_NAS_RADIO_INTERFACE_TD_SCDMA = 9,
	QMI_NAS_RADIO_INTERFACE_5GNR = 12,
};
enum {
	QMI_NAS_SERVICE_STATUS_NONE = 0,
	QMI_NAS_SERVICE_STATUS_LIMITED = 1,
	QMI_NAS_SERVICE_STATUS_AVAILABLE = 2,
	QMI_NAS_SERVICE_STATUS_LIMITED_REGIONAL = 3,
	QMI_NAS_SERVICE_STATUS_POWER_SAVE = 4,
};
/* Get Signal Strength request mask bits */
enum {
	QMI_NAS_SIGNAL_REQUEST_RSSI = 0x01,
	QMI_NAS_SIGNAL_REQUEST_ECIO = 0x02,
	QMI_NAS_SIGNAL_REQUEST_IO = 0x04,
	QMI_NAS_SIGNAL_REQUEST_SINR = 0x08,
	QMI_NAS_SIGNAL_REQUEST_ERROR_RATE = 0x10,
	QMI_NAS_SIGNAL_REQUEST_RSRQ = 0x20,
	QMI_NAS_SIGNAL_REQUEST_LTE_SNR = 0x40,
	QMI_NAS_SIGNAL_REQUEST_LTE_RSRP = 0x80,
};

struct qmi_nas_network_reject_config {
	uint8_t enable;                  /* bool */
	uint8_t suppress_system_info;    /* bool */
};

/* Every member is a bool on the wire (u8): 1 = send these indications. */
struct qmi_nas_register_indications_req {
	bool has_system_selection_preference;
	uint8_t system_selection_preference;
	bool has_ddtm_events;
	uint8_t ddtm_events;
	bool has_serving_system_events;
	uint8_t serving_system_events;
	bool has_dual_standby_preference;
	uint8_t dual_standby_preference;
	bool has_subscription_info;
	uint8_t subscription_info;
	bool has_network_time;
	uint8_t network_time;
	bool has_system_info;
	uint8_t system_info;
	bool has_signal_info;
	uint8_t signal_info;
	bool has_error_rate;
	uint8_t error_rate;
	bool has_hdr_new_uati_assigned;
	uint8_t hdr_new_uati_assigned;
	bool has_hdr_session_closed;
	uint8_t hdr_session_closed;
	bool has_managed_roaming;
	uint8_t managed_roaming;
	bool has_current_plmn_name;
	uint8_t current_plmn_name;
	bool has_embms_status;
	uint8_t embms_status;
	bool has_rf_band_info;
	uint8_t rf_band_info;
	bool has_network_reject;
	struct qmi_nas_network_reject_config network_reject;
};

struct qmi_nas_get_signal_strength_req {
	bool has_request_mask;
	uint16_t request_mask;           /* QMI_NAS_SIGNAL_REQUEST_* */
};

struct qmi_nas_strength {
	int8_t strength;                 /* dBm */
	int8_t radio_interface;          /* QMI_NAS_RADIO_INTERFACE_* */
};
struct qmi_nas_rssi {
	uint8_t rssi;                    /* -dBm */
	int8_t radio_interface;
};
struct qmi_nas_ecio {
	uint8_t ecio;                    /* -0.5 dBm units */
	int8_t radio_interface;
};
struct qmi_nas_error_rate {
	uint16_t rate;
	int8_t radio_interface;
};
struct qmi_nas_rsrq {
	int8_t rsrq;                     /* dB */
	int8_t radio_interface;
};

struct qmi_nas_get_signal_strength_resp {
	bool has_signal_strength;
	struct qmi_nas_strength signal_strength;
	bool has_strength_list;
	uint16_t n_strength_list;
	struct qmi_nas_strength strength_list[16];
	bool has_rssi_list;
	uint16_t n_rssi_list;
	struct qmi_nas_rssi rssi_list[16];
	bool has_ecio_list;
	uint16_t n_ecio_list;
	struct qmi_nas_ecio ecio_list[16];
	bool has_io;
	int32_t io;
	bool has_sinr;
	uint8_t sinr;                    /* QmiNasEvdoSinrLevel 0..8 */
	bool has_error_rate_list;
	uint16_t n_error_rate_list;
	struct qmi_nas_error_rate error_rate_list[16];
	bool has_rsrq;
	struct qmi_nas_rsrq rsrq;
	bool has_lte_snr;
	int16_t lte_snr;                 /* 0.1 dB */
	bool has_lte_rsrp;
	int16_t lte_rsrp;                /* dBm */
};

/* Get Signal Info / Signal Info indication */
struct qmi_nas_cdma_signal {
	int8_t rssi;
	int16_t ecio;                    /* -0.5 dB units */
};
struct qmi_nas_hdr_signal {
	int8_t rssi;
	int16_t ecio;
	uint8_t sinr;
	int32_t io;
};
struct qmi_nas_lte_signal {
	int8_t rssi;                     /* dBm */
	int8_t rsrq;                     /* dB */
	int16_t rsrp;                    /* dBm */
	int16_t snr;                     /* 0.1 dB */
};
struct qmi_nas_tdma_signal_ext {
	int32_t rssi;
	int32_t rscp;
	int32_t ecio;
	int32_t sinr;
};
struct qmi_nas_nr5g_signal {
	int16_t rsrp;                    /* dBm */
	int16_t snr;                     /* 0.1 dB */
};

#define QMI_NAS_SIGNAL_INFO_MEMBERS                                                            \
	bool has_cdma;                                                                         \
	struct qmi_nas_cdma_signal cdma;                                                       \
	bool has_hdr;                                                                          \
	struct qmi_nas_hdr_signal hdr;                                                         \
	bool has_gsm;                                                                          \
	int8_t gsm;                      /* RSSI dBm */                                        \
	bool has_wcdma;                                                                        \
	struct qmi_nas_cdma_signal wcdma;                                                      \
	bool has_lte;                                                                          \
	struct qmi_nas_lte_signal lte;                                                         \
	bool has_tdma;                                                                         \
	int8_t tdma;                                                                           \
	bool has_nr5g;                                                                         \
	struct qmi_nas_nr5g_signal nr5g;                                                       \
	bool has_nr5g_rsrq;                                                                    \
	int16_t nr5g_rsrq;               /* dB */                                              \
	bool has_wcdma_rscp;                                                                   \
	int16_t wcdma_rscp

struct qmi_nas_get_signal_info_resp {
	QMI_NAS_SIGNAL_INFO_MEMBERS;
	bool has_tdma_ext;               /* response only */
	struct qmi_nas_tdma_signal_ext tdma_ext;
};

struct qmi_nas_signal_info_ind {
	QMI_NAS_SIGNAL_INFO_MEMBERS;
};

/* Get Serving System / Serving System indication */
struct qmi_nas_serving_system {
	uint8_t registration_state;      /* QMI_NAS_REGISTRATION_STATE_* */
	uint8_t cs_attach_state;         /* QMI_NAS_ATTACH_STATE_* */
	uint8_t ps_attach_state;
	uint8_t selected_network;        /* QMI_NAS_NETWORK_TYPE_* */
	uint16_t n_radio_interfaces;
	int8_t radio_interfaces[16];     /* QMI_NAS_RADIO_INTERFACE_* */
};
struct qmi_nas_plmn {
	uint16_t mcc;
	uint16_t mnc;
	char description[256];
};
struct qmi_nas_cdma_system_id {
	uint16_t sid;
	uint16_t nid;
};
struct qmi_nas_cdma_base_station {
	uint16_t id;
	int32_t latitude;
	int32_t longitude;
};
struct qmi_nas_roaming_indicator {
	uint8_t radio_interface;
	uint8_t roaming_indicator;       /* 0 on, 1 off */
};
struct qmi_nas_time_zone_3gpp2 {
	uint8_t leap_seconds;
	int8_t local_time_offset;
	uint8_t daylight_saving_time;
};
struct qmi_nas_detailed_service_status {
	uint8_t status;                  /* QMI_NAS_SERVICE_STATUS_* */
	uint8_t capability;              /* qmi_enum_nas_service_domain */
	uint8_t hdr_status;
	uint8_t hdr_hybrid;
	uint8_t forbidden;
};
struct qmi_nas_cdma_system_info {
	uint16_t mcc;
	uint8_t imsi_11_12;
};
struct qmi_nas_call_barring {
	int32_t cs_status;
	int32_t ps_status;
};
struct qmi_nas_mnc_pcs_digit {
	uint16_t mcc;
	uint16_t mnc;
	uint8_t includes_pcs_digit;
};
struct qmi_nas_utc_time {
	uint16_t year;
	uint8_t month;
	uint8_t day;
	uint8_t hour;
	uint8_t minute;
	uint8_t second;
	uint8_t time_zone;
};

/* The members both the response and the indication carry (at different TLV ids!). */
#define QMI_NAS_SERVING_SYSTEM_MEMBERS                                                         \
	bool has_serving_system;                                                               \
	struct qmi_nas_serving_system serving_system;                                          \
	bool has_roaming_indicator;                                                            \
	uint8_t roaming_indicator;                                                             \
	bool has_data_service_capability;                                                      \
	uint16_t n_data_service_capability;                                                    \
	uint8_t data_service_capability[16];                                                   \
	bool has_current_plmn;                                                                 \
	struct qmi_nas_plmn current_plmn;                                                      \
	bool has_cdma_system_id;                                                               \
	struct qmi_nas_cdma_system_id cdma_system_id;                                          \
	bool has_cdma_base_station;                                                            \
	struct qmi_nas_cdma_base_station cdma_base_station;                                    \
	bool has_roaming_indicator_list;                                                       \
	uint16_t n_roaming_indicator_list;                                                     \
	struct qmi_nas_roaming_indicator roaming_indicator_list[16];                           \
	bool has_default_roaming_indicator;                                                    \
	uint8_t default_roaming_indicator;                                                     \
	bool has_time_zone_3gpp2;                                                              \
	struct qmi_nas_time_zone_3gpp2 time_zone_3gpp2;                                        \
	bool has_cdma_p_rev;                                                                   \
	uint8_t cdma_p_rev;                                                                    \
	bool has_time_zone_3gpp;                                                               \
	int8_t time_zone_3gpp;                                                                 \
	bool has_dst_adjustment_3gpp;                                                          \
	uint8_t dst_adjustment_3gpp;                                                           \
	bool has_lac;                                                                          \
	uint16_t lac;                                                                          \
	bool has_cid;                                                                          \
	uint32_t cid;                                                                          \
	bool has_concurrent_service_3gpp2;                                                     \
	uint8_t concurrent_service_3gpp2;                                                      \
	bool has_prl_indicator_3gpp2;                                                          \
	uint8_t prl_indicator_3gpp2;                                                           \
	bool has_dtm_support;                                                                  \
	uint8_t dtm_support;                                                                   \
	bool has_detailed_service_status;                                                      \
	struct qmi_nas_detailed_service_status detailed_service_status;                        \
	bool has_cdma_system_info;                                                             \
	struct qmi_nas_cdma_system_info cdma_system_info;                                      \
	bool has_hdr_personality;                                                              \
	uint8_t hdr_personality;                                                               \
	bool has_lte_tac;                                                                      \
	uint16_t lte_tac;                                                                      \
	bool has_call_barring;                                                                 \
	struct qmi_nas_call_barring call_barring;                                              \
	bool has_umts_psc;                                                                     \
	uint16_t umts_psc;                                                                     \
	bool has_mnc_pcs_digit;                                                                \
	struct qmi_nas_mnc_pcs_digit mnc_pcs_digit;                                            \
	bool has_network_name_source;                                                          \
	uint32_t network_name_source

struct qmi_nas_get_serving_system_resp {
	QMI_NAS_SERVING_SYSTEM_MEMBERS;
};

struct qmi_nas_serving_system_ind {
	QMI_NAS_SERVING_SYSTEM_MEMBERS;
	bool has_plmn_name_flag;         /* indication only */
	int8_t plmn_name_flag;
	bool has_utc_time;
	struct qmi_nas_utc_time utc_time;
	bool has_plmn_not_changed;
	uint8_t plmn_not_changed;
};

/* Get System Info */
struct qmi_nas_service_status_info {     /* CDMA, HDR */
	uint8_t service_status;          /* QMI_NAS_SERVICE_STATUS_* */
	uint8_t preferred_data_path;     /* bool */
};
struct qmi_nas_service_status_true {     /* GSM, WCDMA, LTE, NR5G */
	uint8_t service_status;
	uint8_t true_service_status;
	uint8_t preferred_data_path;
};

/* The part every 3GPP "System Info v2" TLV starts with; *_valid members are bools. */
#define QMI_NAS_SYS_INFO_COMMON_MEMBERS                                                        \
	uint8_t domain_valid;                                                                  \
	uint8_t domain;                  /* qmi_enum_nas_service_domain */                     \
	uint8_t service_capability_valid;                                                      \
	uint8_t service_capability;                                                            \
	uint8_t roaming_status_valid;                                                          \
	uint8_t roaming_status;          /* qmi_enum_nas_roaming_status */                     \
	uint8_t forbidden_valid;                                                               \
	uint8_t forbidden;                                                                     \
	uint8_t lac_valid;                                                                     \
	uint16_t lac;                                                                          \
	uint8_t cid_valid;                                                                     \
	uint32_t cid;                                                                          \
	uint8_t reject_info_valid;                                                             \
	uint8_t reject_domain;                                                                 \
	uint8_t reject_cause;                                                                  \
	uint8_t network_id_valid;                                                              \
	char mcc[4];                     /* 3 characters on the wire */                        \
	char mnc[4]

struct qmi_nas_gsm_sys_info {
	QMI_NAS_SYS_INFO_COMMON_MEMBERS;
	uint8_t egprs_support_valid;
	uint8_t egprs_support;
	uint8_t dtm_support_valid;
	uint8_t dtm_support;
};
struct qmi_nas_wcdma_sys_info {
	QMI_NAS_SYS_INFO_COMMON_MEMBERS;
	uint8_t hs_call_status_valid;
	uint8_t hs_call_status;
	uint8_t hs_service_valid;
	uint8_t hs_service;
	uint8_t psc_valid;
	uint16_t psc;
};
struct qmi_nas_lte_sys_info {            /* also NR5G System Info 0x4B */
	QMI_NAS_SYS_INFO_COMMON_MEMBERS;
	uint8_t tac_valid;
	uint16_t tac;
};

struct qmi_nas_get_system_info_resp {
	bool has_cdma_service_status;
	struct qmi_nas_service_status_info cdma_service_status;
	bool has_hdr_service_status;
	struct qmi_nas_service_status_info hdr_service_status;
	bool has_gsm_service_status;
	struct qmi_nas_service_status_true gsm_service_status;
	bool has_wcdma_service_status;
	struct qmi_nas_service_status_true wcdma_service_status;
	bool has_lte_service_status;
	struct qmi_nas_service_status_true lte_service_status;
	bool has_gsm_sys_info;
	struct qmi_nas_gsm_sys_info gsm_sys_info;
	bool has_wcdma_sys_info;
	struct qmi_nas_wcdma_sys_info wcdma_sys_info;
	bool has_lte_sys_info;
	struct qmi_nas_lte_sys_info lte_sys_info;
	bool has_lte_voice_support;
	uint8_t lte_voice_support;
	bool has_lte_cell_access_status;
	uint32_t lte_cell_access_status;
	bool has_nr5g_service_status;
	struct qmi_nas_service_status_true nr5g_service_status;
	bool has_nr5g_sys_info;
	struct qmi_nas_lte_sys_info nr5g_sys_info;
	bool has_eutra_with_nr5g;
	uint8_t eutra_with_nr5g;
	bool has_dcnr_restriction;
	uint8_t dcnr_restriction;
	bool has_nr5g_tac;
	uint8_t nr5g_tac[3];
};

extern const struct qmi_msg_def qmi_nas_register_indications_req_def;
extern const struct qmi_msg_def qmi_nas_register_indications_resp_def;
extern const struct qmi_msg_def qmi_nas_get_signal_strength_req_def;
extern const struct qmi_msg_def qmi_nas_get_signal_strength_resp_def;
extern const struct qmi_msg_def qmi_nas_get_signal_info_req_def, qmi_nas_get_signal_info_resp_def;
extern const struct qmi_msg_def qmi_nas_signal_info_ind_def;
extern const struct qmi_msg_def qmi_nas_get_serving_system_req_def;
extern const struct qmi_msg_def qmi_nas_get_serving_system_resp_def;
extern const struct qmi_msg_def qmi_nas_serving_system_ind_def;
extern const struct qmi_msg_def qmi_nas_get_system_info_req_def, qmi_nas_get_system_info_resp_def;

/* ------------------------------------------------------------------------------------------ */
/* WDS */

#define QMI_WDS_START_NETWORK 0x0020
#define QMI_WDS_STOP_NETWORK 0x0021
#define QMI_WDS_GET_PACKET_SERVICE_STATUS 0x0022
#define QMI_WDS_PACKET_SERVICE_STATUS_IND 0x0022
#define QMI_WDS_GET_PACKET_STATISTICS 0x0024
#define QMI_WDS_GET_PROFILE_LIST 0x002A
#define QMI_WDS_GET_CURRENT_SETTINGS 0x002D
#define QMI_WDS_SET_IP_FAMILY 0x004D
#define QMI_WDS_BIND_MUX_DATA_PORT 0x00A2

enum {
	QMI_WDS_CONNECTION_STATUS_UNKNOWN = 0,
	QMI_WDS_CONNECTION_STATUS_DISCONNECTED = 1,
	QMI_WDS_CONNECTION_STATUS_CONNECTED = 2,
	QMI_WDS_CONNECTION_STATUS_SUSPENDED = 3,
	QMI_WDS_CONNECTION_STATUS_AUTHENTICATING = 4,
};
enum {
	QMI_WDS_IP_FAMILY_UNKNOWN = 0,
	QMI_WDS_IP_FAMILY_IPV4 = 4,
	QMI_WDS_IP_FAMILY_IPV6 = 6,
	QMI_WDS_IP_FAMILY_UNSPECIFIED = 8,
	QMI_WDS_IP_FAMILY_ETHERNET = 12,
};
enum {
	QMI_WDS_AUTH_NONE = 0,
	QMI_WDS_AUTH_PAP = 1,
	QMI_WDS_AUTH_CHAP = 2,
};
enum {
	QMI_WDS_PROFILE_TYPE_3GPP = 0,
	QMI_WDS_PROFILE_TYPE_3GPP2 = 1,
	QMI_WDS_PROFILE_TYPE_EPC = 2,
};
/* Get Current Settings "Requested Settings" bits */
enum {
	QMI_WDS_REQUESTED_PROFILE_ID = 1u << 0,
	QMI_WDS_REQUESTED_PROFILE_NAME = 1u << 1,
	QMI_WDS_REQUESTED_PDP_TYPE = 1u << 2,
	QMI_WDS_REQUESTED_APN_NAME = 1u << 3,
	QMI_WDS_REQUESTED_DNS_ADDRESS = 1u << 4,
	QMI_WDS_REQUESTED_GRANTED_QOS = 1u << 5,
	QMI_WDS_REQUESTED_USERNAME = 1u << 6,
	QMI_WDS_REQUESTED_AUTH_PROTOCOL = 1u << 7,
	QMI_WDS_REQUESTED_IP_ADDRESS = 1u << 8,
	QMI_WDS_REQUESTED_GATEWAY_INFO = 1u << 9,
	QMI_WDS_REQUESTED_PCSCF_ADDRESS = 1u << 10,
	QMI_WDS_REQUESTED_PCSCF_SERVER_LIST = 1u << 11,
	QMI_WDS_REQUESTED_PCSCF_DOMAIN_LIST = 1u << 12,
	QMI_WDS_REQUESTED_MTU = 1u << 13,
	QMI_WDS_REQUESTED_DOMAIN_NAME_LIST = 1u << 14,
	QMI_WDS_REQUESTED_IP_FAMILY = 1u << 15,
	QMI_WDS_REQUESTED_IMCN_FLAG = 1u << 16,
	QMI_WDS_REQUESTED_EXTENDED_TECHNOLOGY = 1u << 17,
	QMI_WDS_REQUESTED_OPERATOR_PCO = 1u << 18,
};
/* What qmicli asks for: DNS|GRANTED_QOS|IP_ADDRESS|GATEWAY_INFO|MTU|DOMAIN_NAME_LIST|IP_FAMILY */
#define QMI_WDS_REQUESTED_QMICLI 0x0000E330u
/* Get Packet Statistics mask bits */
enum {
	QMI_WDS_STATS_TX_PACKETS_OK = 1u << 0,
	QMI_WDS_STATS_RX_PACKETS_OK = 1u << 1,
	QMI_WDS_STATS_TX_PACKETS_ERROR = 1u << 2,
	QMI_WDS_STATS_RX_PACKETS_ERROR = 1u << 3,
	QMI_WDS_STATS_TX_OVERFLOWS = 1u << 4,
	QMI_WDS_STATS_RX_OVERFLOWS = 1u << 5,
	QMI_WDS_STATS_TX_BYTES_OK = 1u << 6,
	QMI_WDS_STATS_RX_BYTES_OK = 1u << 7,
	QMI_WDS_STATS_TX_PACKETS_DROPPED = 1u << 8,
	QMI_WDS_STATS_RX_PACKETS_DROPPED = 1u << 9,
};
#define QMI_WDS_PACKET_DATA_HANDLE_ALL 0xFFFFFFFFu /* Stop Network with disable-autoconnect */

struct qmi_wds_verbose_call_end_reason {
	uint16_t type;                   /* qmi_enum_wds_verbose_cer_type */
	int16_t reason;
};

struct qmi_wds_start_network_req {
	bool has_primary_dns;
	uint32_t primary_dns;            /* IPv4 */
	bool has_secondary_dns;
	uint32_t secondary_dns;
	bool has_primary_nbns;
	uint32_t primary_nbns;
	bool has_secondary_nbns;
	uint32_t secondary_nbns;
	bool has_apn;
	char apn[128];
	bool has_ipv4_address;
	uint32_t ipv4_address;
	bool has_auth;
	uint8_t auth;                    /* QMI_WDS_AUTH_* bitmask */
	bool has_username;
	char username[128];
	bool has_password;
	char password[128];
	bool has_ip_family;
	uint8_t ip_family;               /* QMI_WDS_IP_FAMILY_* */
	bool has_technology_preference;
	uint8_t technology_preference;   /* bitmask: 1 3gpp, 2 3gpp2 */
	bool has_profile_index_3gpp;
	uint8_t profile_index_3gpp;
	bool has_profile_index_3gpp2;
	uint8_t profile_index_3gpp2;
	bool has_enable_autoconnect;
	uint8_t enable_autoconnect;
	bool has_ext_technology_preference;
	uint16_t ext_technology_preference;
	bool has_call_type;
	uint8_t call_type;
};

struct qmi_wds_start_network_resp {
	bool has_packet_data_handle;
	uint32_t packet_data_handle;
	bool has_call_end_reason;
	uint16_t call_end_reason;        /* qmi_wds_call_end_reason_name() */
	bool has_verbose_call_end_reason;
	struct qmi_wds_verbose_call_end_reason verbose_call_end_reason;
};

struct qmi_wds_stop_network_req {
	bool has_packet_data_handle;
	uint32_t packet_data_handle;
	bool has_disable_autoconnect;
	uint8_t disable_autoconnect;
};

struct qmi_wds_get_packet_service_status_resp {
	bool has_connection_status;
	uint8_t connection_status;       /* QMI_WDS_CONNECTION_STATUS_* */
};

struct qmi_wds_connection_status {
	uint8_t status;                  /* QMI_WDS_CONNECTION_STATUS_* */
	uint8_t reconfiguration_required;
};

struct qmi_wds_packet_service_status_ind {
	bool has_connection_status;
	struct qmi_wds_connection_status connection_status;
	bool has_call_end_reason;
	uint16_t call_end_reason;
	bool has_verbose_call_end_reason;
	struct qmi_wds_verbose_call_end_reason verbose_call_end_reason;
	bool has_ip_family;
	uint8_t ip_family;
	bool has_bearer_id;
	uint8_t bearer_id;
	bool has_xlat_capable;
	uint8_t xlat_capable;
	bool has_ext_technology_preference;
	uint16_t ext_technology_preference;
};

struct qmi_wds_get_packet_statistics_req {
	bool has_mask;
	uint32_t mask;                   /* QMI_WDS_STATS_* */
};

struct qmi_wds_get_packet_statistics_resp {
	bool has_tx_packets_ok;
	uint32_t tx_packets_ok;
	bool has_rx_packets_ok;
	uint32_t rx_packets_ok;
	bool has_tx_packets_error;
	uint32_t tx_packets_error;
	bool has_rx_packets_error;
	uint32_t rx_packets_error;
	bool has_tx_overflows;
	uint32_t tx_overflows;
	bool has_rx_overflows;
	uint32_t rx_overflows;
	bool has_tx_bytes_ok;
	uint64_t tx_bytes_ok;
	bool has_rx_bytes_ok;
	uint64_t rx_bytes_ok;
	bool has_last_call_tx_bytes_ok;
	uint64_t last_call_tx_bytes_ok;
	bool has_last_call_rx_bytes_ok;
	uint64_t last_call_rx_bytes_ok;
	bool has_tx_packets_dropped;
	uint32_t tx_packets_dropped;
	bool has_rx_packets_dropped;
	uint32_t rx_packets_dropped;
};

struct qmi_wds_get_profile_list_req {
	bool has_profile_type;
	uint8_t profile_type;            /* QMI_WDS_PROFILE_TYPE_* */
};

struct qmi_wds_profile_entry {
	uint8_t type;
	uint8_t index;
	char name[64];
};

struct qmi_wds_get_profile_list_resp {
	bool has_profiles;
	uint16_t n_profiles;
	struct qmi_wds_profile_entry profiles[32];
	bool has_extended_error;
	uint16_t extended_error;
};

struct qmi_wds_get_current_settings_req {
	bool has_requested_settings;
	uint32_t requested_settings;     /* QMI_WDS_REQUESTED_* */
};

struct qmi_wds_umts_qos {
	uint8_t traffic_class;
	uint32_t max_uplink_bitrate;
	uint32_t max_downlink_bitrate;
	uint32_t guaranteed_uplink_bitrate;
	uint32_t guaranteed_downlink_bitrate;
	uint8_t delivery_order;
	uint32_t max_sdu_size;
	uint8_t sdu_error_ratio;
	uint8_t residual_bit_error_ratio;
	uint8_t delivery_erroneous_sdu;
	uint32_t transfer_delay;
	uint32_t traffic_handling_priority;
};
struct qmi_wds_gprs_qos {
	uint32_t precedence_class;
	uint32_t delay_class;
	uint32_t reliability_class;
	uint32_t peak_throughput_class;
	uint32_t mean_throughput_class;
};
struct qmi_wds_profile_id {
	uint8_t type;
	uint8_t index;
};
struct qmi_ipv6_prefix {
	uint8_t address[16];             /* network order */
	uint8_t prefix_length;
};
struct qmi_wds_operator_pco {
	uint16_t mcc;
	uint16_t mnc;
	uint8_t mnc_includes_pcs_digit;
	uint16_t n_app_info;
	uint8_t app_info[255];
	uint16_t container_id;
};

struct qmi_wds_get_current_settings_resp {
	bool has_profile_name;
	char profile_name[128];
	bool has_pdp_type;
	uint8_t pdp_type;
	bool has_apn;
	char apn[128];
	bool has_ipv4_primary_dns;
	uint32_t ipv4_primary_dns;
	bool has_ipv4_secondary_dns;
	uint32_t ipv4_secondary_dns;
	bool has_umts_granted_qos;
	struct qmi_wds_umts_qos umts_granted_qos;
	bool has_gprs_granted_qos;
	struct qmi_wds_gprs_qos gprs_granted_qos;
	bool has_username;
	char username[128];
	bool has_auth;
	uint8_t auth;
	bool has_ipv4_address;
	uint32_t ipv4_address;
	bool has_profile_id;
	struct qmi_wds_profile_id profile_id;
	bool has_ipv4_gateway;
	uint32_t ipv4_gateway;
	bool has_ipv4_subnet_mask;
	uint32_t ipv4_subnet_mask;
	bool has_pcscf_via_pco;
	uint8_t pcscf_via_pco;
	bool has_pcscf_servers;
	uint16_t n_pcscf_servers;
	uint32_t pcscf_servers[8];
	bool has_pcscf_domains;
	uint16_t n_pcscf_domains;
	char pcscf_domains[4][256];
	bool has_ipv6_address;
	struct qmi_ipv6_prefix ipv6_address;
	bool has_ipv6_gateway;
	struct qmi_ipv6_prefix ipv6_gateway;
	bool has_ipv6_primary_dns;
	uint8_t ipv6_primary_dns[16];
	bool has_ipv6_secondary_dns;
	uint8_t ipv6_secondary_dns[16];
	bool has_mtu;
	uint32_t mtu;
	bool has_domain_names;
	uint16_t n_domain_names;
	char domain_names[8][256];
	bool has_ip_family;
	uint8_t ip_family;               /* QMI_WDS_IP_FAMILY_* */
	bool has_imcn;
	int8_t imcn;
	bool has_ext_technology_preference;
	uint16_t ext_technology_preference;
	bool has_operator_pco;
	struct qmi_wds_operator_pco operator_pco;
};

struct qmi_wds_set_ip_family_req {
	bool has_preference;
	uint8_t preference;              /* QMI_WDS_IP_FAMILY_IPV4/IPV6/UNSPECIFIED */
};

struct qmi_data_endpoint {
	uint32_t type;                   /* QMI_DATA_ENDPOINT_* */
	uint32_t interface_number;
};

enum {
	QMI_DATA_ENDPOINT_UNKNOWN = 0,
	QMI_DATA_ENDPOINT_HSIC = 1,
	QMI_DATA_ENDPOINT_HSUSB = 2,
	QMI_DATA_ENDPOINT_PCIE = 3,
	QMI_DATA_ENDPOINT_EMBEDDED = 4,
	QMI_DATA_ENDPOINT_BAM_DMUX = 5,
	QMI_DATA_ENDPOINT_ETHERNET = 6,
	QMI_DATA_ENDPOINT_UNDEFINED = 0xFF,
};

struct qmi_wds_bind_mux_data_port_req {
	bool has_endpoint;
	struct qmi_data_endpoint endpoint;
	bool has_mux_id;
	uint8_t mux_id;
	bool has_client_type;
	uint32_t client_type;            /* 1 tethered, 0xFF undefined */
};

extern const struct qmi_msg_def qmi_wds_start_network_req_def, qmi_wds_start_network_resp_def;
extern const struct qmi_msg_def qmi_wds_stop_network_req_def, qmi_wds_stop_network_resp_def;
extern const struct qmi_msg_def qmi_wds_get_packet_service_status_req_def;
extern const struct qmi_msg_def qmi_wds_get_packet_service_status_resp_def;
extern const struct qmi_msg_def qmi_wds_packet_service_status_ind_def;
extern const struct qmi_msg_def qmi_wds_get_packet_statistics_req_def;
extern const struct qmi_msg_def qmi_wds_get_packet_statistics_resp_def;
extern const struct qmi_msg_def qmi_wds_get_profile_list_req_def;
extern const struct qmi_msg_def qmi_wds_get_profile_list_resp_def;
extern const struct qmi_msg_def qmi_wds_get_current_settings_req_def;
extern const struct qmi_msg_def qmi_wds_get_current_settings_resp_def;
extern const struct qmi_msg_def qmi_wds_set_ip_family_req_def, qmi_wds_set_ip_family_resp_def;
extern const struct qmi_msg_def qmi_wds_bind_mux_data_port_req_def;
extern const struct qmi_msg_def qmi_wds_bind_mux_data_port_resp_def;

/* ------------------------------------------------------------------------------------------ */
/* WDA. Mind the asymmetry: in the Set request 0x17 is Endpoint Info and 0x1B/0x1C the UL
 * limits; in the responses 0x17/0x18 are the UL limits and 0x1B is Flow Control. */

#define QMI_WDA_SET_DATA_FORMAT 0x0020
#define QMI_WDA_GET_DATA_FORMAT 0x0021

enum {
	QMI_WDA_LINK_LAYER_UNKNOWN = 0,
	QMI_WDA_LINK_LAYER_802_3 = 1,
	QMI_WDA_LINK_LAYER_RAW_IP = 2,
	QMI_WDA_LINK_LAYER_ETHERNET_PDU = 3,
};
enum {
	QMI_WDA_AGGREGATION_DISABLED = 0,
	QMI_WDA_AGGREGATION_TLP = 1,
	QMI_WDA_AGGREGATION_QC_NCM = 2,
	QMI_WDA_AGGREGATION_MBIM = 3,
	QMI_WDA_AGGREGATION_RNDIS = 4,
	QMI_WDA_AGGREGATION_QMAP = 5,
	QMI_WDA_AGGREGATION_QMAPV2 = 6,
	QMI_WDA_AGGREGATION_QMAPV3 = 7,
	QMI_WDA_AGGREGATION_QMAPV4 = 8,
	QMI_WDA_AGGREGATION_QMAPV5 = 9,
};

struct qmi_wda_set_data_format_req {
	bool has_qos_format;
	uint8_t qos_format;              /* bool */
	bool has_link_layer_protocol;
	uint32_t link_layer_protocol;    /* QMI_WDA_LINK_LAYER_* */
	bool has_ul_aggregation_protocol;
	uint32_t ul_aggregation_protocol; /* QMI_WDA_AGGREGATION_* */
	bool has_dl_aggregation_protocol;
	uint32_t dl_aggregation_protocol;
	bool has_ndp_signature;
	uint32_t ndp_signature;
	bool has_dl_max_datagrams;
	uint32_t dl_max_datagrams;
	bool has_dl_max_size;
	uint32_t dl_max_size;
	bool has_endpoint;               /* 0x17 */
	struct qmi_data_endpoint endpoint;
	bool has_ul_max_datagrams;       /* 0x1B */
	uint32_t ul_max_datagrams;
	bool has_ul_max_size;            /* 0x1C */
	uint32_t ul_max_size;
};

#define QMI_WDA_DATA_FORMAT_MEMBERS                                                            \
	bool has_qos_format;                                                                   \
	uint8_t qos_format;                                                                    \
	bool has_link_layer_protocol;                                                          \
	uint32_t link_layer_protocol;                                                          \
	bool has_ul_aggregation_protocol;                                                      \
	uint32_t ul_aggregation_protocol;                                                      \
	bool has_dl_aggregation_protocol;                                                      \
	uint32_t dl_aggregation_protocol;                                                      \
	bool has_ndp_signature;                                                                \
	uint32_t ndp_signature;                                                                \
	bool has_dl_max_datagrams;                                                             \
	uint32_t dl_max_datagrams;                                                             \
	bool has_dl_max_size;                                                                  \
	uint32_t dl_max_size;                                                                  \
	bool has_ul_max_datagrams;       /* 0x17 */                                            \
	uint32_t ul_max_datagrams;                                                             \
	bool has_ul_max_size;            /* 0x18 */                                            \
	uint32_t ul_max_size;                                                                  \
	bool has_dl_min_padding;                                                               \
	uint32_t dl_min_padding;                                                               \
	bool has_flow_control;           /* 0x1B */                                            \
	uint8_t flow_control

struct qmi_wda_set_data_format_resp {
	QMI_WDA_DATA_FORMAT_MEMBERS;
};

struct qmi_wda_get_data_format_req {
	bool has_endpoint;
	struct qmi_data_endpoint endpoint;
};

struct qmi_wda_get_data_format_resp {
	QMI_WDA_DATA_FORMAT_MEMBERS;
};

extern const struct qmi_msg_def qmi_wda_set_data_format_req_def, qmi_wda_set_data_format_resp_def;
extern const struct qmi_msg_def qmi_wda_get_data_format_req_def, qmi_wda_get_data_format_resp_def;

/* ------------------------------------------------------------------------------------------ */
/* UIM */

#define QMI_UIM_GET_CARD_STATUS 0x002F
#define QMI_UIM_CARD_STATUS_IND 0x0032

enum {
	QMI_UIM_CARD_STATE_ABSENT = 0,
	QMI_UIM_CARD_STATE_PRESENT = 1,
	QMI_UIM_CARD_STATE_ERROR = 2,
};
enum {
	QMI_UIM_APP_STATE_UNKNOWN = 0,
	QMI_UIM_APP_STATE_DETECTED = 1,
	QMI_UIM_APP_STATE_PIN1_OR_UPIN_REQUIRED = 2,
	QMI_UIM_APP_STATE_PUK1_OR_UPIN_PUK_REQUIRED = 3,
	QMI_UIM_APP_STATE_CHECK_PERSONALIZATION = 4,
	QMI_UIM_APP_STATE_PIN1_BLOCKED = 5,
	QMI_UIM_APP_STATE_ILLEGAL = 6,
	QMI_UIM_APP_STATE_READY = 7,
};
enum {
	QMI_UIM_APP_TYPE_UNKNOWN = 0,
	QMI_UIM_APP_TYPE_SIM = 1,
	QMI_UIM_APP_TYPE_USIM = 2,
	QMI_UIM_APP_TYPE_RUIM = 3,
	QMI_UIM_APP_TYPE_CSIM = 4,
	QMI_UIM_APP_TYPE_ISIM = 5,
};
enum {
	QMI_UIM_PIN_STATE_NOT_INITIALIZED = 0,
	QMI_UIM_PIN_STATE_ENABLED_NOT_VERIFIED = 1,
	QMI_UIM_PIN_STATE_ENABLED_VERIFIED = 2,
	QMI_UIM_PIN_STATE_DISABLED = 3,
	QMI_UIM_PIN_STATE_BLOCKED = 4,
	QMI_UIM_PIN_STATE_PERMANENTLY_BLOCKED = 5,
};

struct qmi_uim_app {
	uint8_t type;                    /* QMI_UIM_APP_TYPE_* */
	uint8_t state;                   /* QMI_UIM_APP_STATE_* */
	uint8_t personalization_state;
	uint8_t personalization_feature;
	uint8_t personalization_retries;
	uint8_t personalization_unblock_retries;
	uint16_t n_aid;
	uint8_t aid[32];                 /* application identifier */
	uint8_t upin_replaces_pin1;
	uint8_t pin1_state;              /* QMI_UIM_PIN_STATE_* */
	uint8_t pin1_retries;
	uint8_t puk1_retries;
	uint8_t pin2_state;
	uint8_t pin2_retries;
	uint8_t puk2_retries;
};

struct qmi_uim_card {
	uint8_t card_state;              /* QMI_UIM_CARD_STATE_* */
	uint8_t upin_state;
	uint8_t upin_retries;
	uint8_t upuk_retries;
	uint8_t error_code;              /* qmi_enum_uim_card_error */
	uint16_t n_applications;
	struct qmi_uim_app applications[8];
};

struct qmi_uim_card_status {
	uint16_t index_gw_primary;
	uint16_t index_1x_primary;
	uint16_t index_gw_secondary;
	uint16_t index_1x_secondary;
	uint16_t n_cards;
	struct qmi_uim_card cards[4];
};

struct qmi_uim_get_card_status_resp {
	bool has_card_status;
	struct qmi_uim_card_status card_status;
};

struct qmi_uim_card_status_ind {
	bool has_card_status;
	struct qmi_uim_card_status card_status;
};

extern const struct qmi_msg_def qmi_uim_get_card_status_req_def, qmi_uim_get_card_status_resp_def;
extern const struct qmi_msg_def qmi_uim_card_status_ind_def;

#endif
