/* SPDX-License-Identifier: MIT */
/*
 * Enum and bitmask names. Values and names (libqmi's "nicks", the words qmicli prints and
 * accepts) are those of libqmi's qmi-enums*.h; qmi-protocol.md §2.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "qmi/msgdb_table.h"

QMI_ENUM(qmi_enum_service, "QmiService", false,
	{ -1, "unknown" }, { 0x00, "ctl" }, { 0x01, "wds" }, { 0x02, "dms" }, { 0x03, "nas" },
	{ 0x04, "qos" }, { 0x05, "wms" }, { 0x06, "pds" }, { 0x07, "auth" }, { 0x08, "at" },
	{ 0x09, "voice" }, { 0x0A, "cat2" }, { 0x0B, "uim" }, { 0x0C, "pbm" }, { 0x0D, "qchat" },
	{ 0x0E, "rmtfs" }, { 0x0F, "test" }, { 0x10, "loc" }, { 0x11, "sar" }, { 0x12, "ims" },
	{ 0x13, "adc" }, { 0x14, "csd" }, { 0x15, "mfs" }, { 0x16, "time" }, { 0x17, "ts" },
	{ 0x18, "tmd" }, { 0x19, "sap" }, { 0x1A, "wda" }, { 0x1B, "tsync" }, { 0x1C, "rfsa" },
	{ 0x1D, "csvt" }, { 0x1E, "qcmap" }, { 0x1F, "imsp" }, { 0x20, "imsvt" },
	{ 0x21, "imsa" }, { 0x22, "coex" }, { 0x24, "pdc" }, { 0x26, "stx" }, { 0x27, "bit" },
	{ 0x28, "imsrtp" }, { 0x29, "rfrpe" }, { 0x2A, "dsd" }, { 0x2B, "ssctl" },
	{ 0x2F, "dpm" }, { 0x32, "uim-rmt" }, { 0x47, "uim-http" }, { 0xE0, "cat" },
	{ 0xE1, "rms" }, { 0xE2, "oma" }, { 0xE3, "fox" }, { 0xE6, "fota" }, { 0xE7, "gms" },
	{ 0xE8, "gas" }, { 0xED, "atr" }, { 0x190, "ssc" }, { 0x302, "imsdcm" }
);

QMI_ENUM(qmi_enum_ctl_data_format, "QmiCtlDataFormat", false,
	{ 0, "qos-flow-header-absent" }, { 1, "qos-flow-header-present" }
);

QMI_ENUM(qmi_enum_ctl_link_protocol, "QmiCtlDataLinkProtocol", false,
	{ 0, "unknown" }, { 1, "802-3" }, { 2, "raw-ip" }
);

QMI_ENUM(qmi_enum_dms_operating_mode, "QmiDmsOperatingMode", false,
	{ 0, "online" }, { 1, "low-power" }, { 2, "factory-test" }, { 3, "offline" },
	{ 4, "reset" }, { 5, "shutting-down" }, { 6, "persistent-low-power" },
	{ 7, "mode-only-low-power" }, { 0xFF, "unknown" }
);

QMI_ENUM(qmi_enum_dms_offline_reason, "QmiDmsOfflineReason", true,
	{ 1 << 0, "host-image-misconfiguration" }, { 1 << 1, "pri-image-misconfiguration" },
	{ 1 << 2, "pri-version-incompatible" }, { 1 << 3, "device-memory-full" }
);

QMI_ENUM(qmi_enum_nas_registration_state, "QmiNasRegistrationState", false,
	{ 0x00, "not-registered" }, { 0x01, "registered" }, { 0x02, "not-registered-searching" },
	{ 0x03, "registration-denied" }, { 0x04, "unknown" }
);

QMI_ENUM(qmi_enum_nas_attach_state, "QmiNasAttachState", false,
	{ 0x00, "unknown" }, { 0x01, "attached" }, { 0x02, "detached" }
);

QMI_ENUM(qmi_enum_nas_network_type, "QmiNasNetworkType", false,
	{ 0x00, "unknown" }, { 0x01, "3gpp2" }, { 0x02, "3gpp" }
);

QMI_ENUM(qmi_enum_nas_radio_interface, "QmiNasRadioInterface", false,
	{ -1, "unknown" }, { 0x00, "none" }, { 0x01, "cdma-1x" }, { 0x02, "cdma-1xevdo" },
	{ 0x03, "amps" }, { 0x04, "gsm" }, { 0x05, "umts" }, { 0x08, "lte" },
	{ 0x09, "td-scdma" }, { 0x0C, "5gnr" }, { 0xFF, "no-change" }
);

QMI_ENUM(qmi_enum_nas_roaming_indicator, "QmiNasRoamingIndicatorStatus", false,
	{ 0x00, "on" }, { 0x01, "off" }
);

QMI_ENUM(qmi_enum_nas_data_capability, "QmiNasDataCapability", false,
	{ 0x00, "none" }, { 0x01, "gprs" }, { 0x02, "edge" }, { 0x03, "hsdpa" },
	{ 0x04, "hsupa" }, { 0x05, "wcdma" }, { 0x06, "cdma" }, { 0x07, "evdo-rev-0" },
	{ 0x08, "evdo-rev-a" }, { 0x09, "gsm" }, { 0x0A, "evdo-rev-b" }, { 0x0B, "lte" },
	{ 0x0C, "hsdpa-plus" }, { 0x0D, "dc-hsdpa-plus" }
);

QMI_ENUM(qmi_enum_nas_service_status, "QmiNasServiceStatus", false,
	{ 0x00, "none" }, { 0x01, "limited" }, { 0x02, "available" },
	{ 0x03, "limited-regional" }, { 0x04, "power-save" }
);

QMI_ENUM(qmi_enum_nas_service_domain, "QmiNasNetworkServiceDomain", false,
	{ 0x00, "none" }, { 0x01, "cs" }, { 0x02, "ps" }, { 0x03, "cs-ps" }, { 0x04, "camped" }
);

QMI_ENUM(qmi_enum_nas_roaming_status, "QmiNasRoamingStatus", false,
	{ 0x00, "off" }, { 0x01, "on" }, { 0x02, "blink" }, { 0x03, "out-of-neighborhood" },
	{ 0x04, "out-of-building" }, { 0x05, "preferred-system" }, { 0x06, "available-system" },
	{ 0x07, "alliance-partner" }, { 0x08, "premium-partner" }, { 0x09, "full-service" },
	{ 0x0A, "partial-service" }, { 0x0B, "banner-on" }, { 0x0C, "banner-off" }
);

QMI_ENUM(qmi_enum_nas_signal_request, "QmiNasSignalStrengthRequest", true,
	{ 0, "none" }, { 1 << 0, "rssi" }, { 1 << 1, "ecio" }, { 1 << 2, "io" },
	{ 1 << 3, "sinr" }, { 1 << 4, "error-rate" }, { 1 << 5, "rsrq" }, { 1 << 6, "lte-snr" },
	{ 1 << 7, "lte-rsrp" }
);

QMI_ENUM(qmi_enum_nas_sinr_level, "QmiNasEvdoSinrLevel", false,
	{ 0, "0" }, { 1, "1" }, { 2, "2" }, { 3, "3" }, { 4, "4" }, { 5, "5" }, { 6, "6" },
	{ 7, "7" }, { 8, "8" }
);

QMI_ENUM(qmi_enum_nas_hdr_personality, "QmiNasHdrPersonality", false,
	{ 0x00, "unknown" }, { 0x01, "hrpd" }, { 0x02, "ehrpd" }
);

QMI_ENUM(qmi_enum_nas_call_barring, "QmiNasCallBarringStatus", false,
	{ 0x00, "normal-only" }, { 0x01, "emergency-only" }, { 0x02, "no-calls" },
	{ 0x03, "all-calls" }, { -1, "unknown" }
);

QMI_ENUM(qmi_enum_wds_connection_status, "QmiWdsConnectionStatus", false,
	{ 0, "unknown" }, { 1, "disconnected" }, { 2, "connected" }, { 3, "suspended" },
	{ 4, "authenticating" }
);

QMI_ENUM(qmi_enum_wds_call_end_reason, "QmiWdsCallEndReason", false,
	{ 1, "generic-unspecified" }, { 2, "generic-client-end" }, { 3, "generic-no-service" },
	{ 4, "generic-fade" }, { 5, "generic-release-normal" },
	{ 6, "generic-access-attempt-in-progress" }, { 7, "generic-access-failure" },
	{ 8, "generic-redirection-or-handoff" }, { 9, "generic-close-in-progress" },
	{ 10, "generic-authentication-failed" }, { 11, "generic-internal-error" },
	{ 500, "cdma-lock" }, { 501, "cdma-intercept" }, { 502, "cdma-reorder" },
	{ 503, "cdma-release-so-reject" }, { 504, "cdma-incoming-call" },
	{ 505, "cdma-alert-stop" }, { 506, "cdma-activation" }, { 507, "cdma-max-access-probes" },
	{ 508, "cdma-ccs-not-supported-by-bs" }, { 509, "cdma-no-response-from-bs" },
	{ 510, "cdma-rejected-by-bs" }, { 511, "cdma-incompatible" },
	{ 512, "cdma-already-in-tc" }, { 513, "cdma-user-call-originated-during-gps" },
	{ 514, "cdma-user-call-originated-during-sms" }, { 515, "cdma-no-service" },
	{ 1000, "gsm-wcdma-conference-failed" }, { 1001, "gsm-wcdma-incoming-rejected" },
	{ 1002, "gsm-wcdma-no-service" }, { 1003, "gsm-wcdma-network-end" },
	{ 1004, "gsm-wcdma-llc-sndcp-failure" }, { 1005, "gsm-wcdma-insufficient-resources" },
	{ 1006, "gsm-wcdma-option-temporarily-out-of-order" },
	{ 1007, "gsm-wcdma-nsapi-already-used" }, { 1008, "gsm-wcdma-regular-deactivation" },
	{ 1009, "gsm-wcdma-network-failure" }, { 1010, "gsm-wcdma-reattach-required" },
	{ 1011, "gsm-wcdma-protocol-error" }, { 1012, "gsm-wcdma-operator-determined-barring" },
	{ 1013, "gsm-wcdma-unknown-apn" }, { 1014, "gsm-wcdma-unknown-pdp" },
	{ 1015, "gsm-wcdma-ggsn-reject" }, { 1016, "gsm-wcdma-activation-reject" },
	{ 1017, "gsm-wcdma-option-not-supported" }, { 1018, "gsm-wcdma-option-unsubscribed" },
	{ 1019, "gsm-wcdma-qos-not-accepted" }, { 1020, "gsm-wcdma-tft-semantic-error" },
	{ 1021, "gsm-wcdma-tft-syntax-error" }, { 1022, "gsm-wcdma-unknown-pdp-context" },
	{ 1023, "gsm-wcdma-filter-semantic-error" }, { 1024, "gsm-wcdma-filter-syntax-error" },
	{ 1025, "gsm-wcdma-pdp-without-active-tft" },
	{ 1026, "gsm-wcdma-invalid-transaction-id" },
	{ 1027, "gsm-wcdma-message-incorrect-semantic" },
	{ 1028, "gsm-wcdma-invalid-mandatory-info" },
	{ 1029, "gsm-wcdma-message-type-unsupported" },
	{ 1030, "gsm-wcdma-message-type-noncompatible-state" },
	{ 1031, "gsm-wcdma-unknown-info-element" }, { 1032, "gsm-wcdma-conditional-ie-error" },
	{ 1033, "gsm-wcdma-message-and-protocol-state-uncompatible" },
	{ 1034, "gsm-wcdma-apn-type-conflict" }, { 1035, "gsm-wcdma-no-gprs-context" },
	{ 1036, "gsm-wcdma-feature-not-supported" },
	{ 1500, "evdo-connection-deny-general-or-busy" },
	{ 1501, "evdo-connection-deny-billing-or-authentication-failure" },
	{ 1502, "evdo-hdr-change" }, { 1503, "evdo-hdr-exit" }, { 1504, "evdo-hdr-no-session" },
	{ 1505, "evdo-hdr-origination-during-gps-fix" },
	{ 1506, "evdo-hdr-connection-setup-timeout" }, { 1507, "evdo-hdr-released-by-cm" }
);

QMI_ENUM(qmi_enum_wds_verbose_cer_type, "QmiWdsVerboseCallEndReasonType", false,
	{ 1, "mip" }, { 2, "internal" }, { 3, "cm" }, { 6, "3gpp" }, { 7, "ppp" }, { 8, "ehrpd" },
	{ 9, "ipv6" }
);

QMI_ENUM(qmi_enum_wds_verbose_cer_3gpp, "QmiWdsVerboseCallEndReason3gpp", false,
	{ 8, "operator-determined-barring" }, { 25, "llc-sndcp-failure" },
	{ 26, "insufficient-resources" }, { 27, "unknown-apn" }, { 28, "unknown-pdp" },
	{ 29, "authentication-failed" }, { 30, "ggsn-reject" }, { 31, "activation-reject" },
	{ 32, "option-not-supported" }, { 33, "option-unsubscribed" },
	{ 34, "option-temporarily-out-of-order" }, { 35, "nsapi-already-used" },
	{ 36, "regular-deactivation" }, { 37, "qos-not-accepted" }, { 38, "network-failure" },
	{ 39, "reattach-required" }, { 40, "feature-not-supported" },
	{ 41, "tft-semantic-error" }, { 42, "tft-syntax-error" }, { 43, "unknown-pdp-context" },
	{ 44, "filter-semantic-error" }, { 45, "filter-syntax-error" },
	{ 46, "pdp-without-active-tft" }, { 50, "ipv4-only-allowed" },
	{ 51, "ipv6-only-allowed" }, { 52, "single-address-bearer-only" },
	{ 53, "esm-info-not-received" }, { 54, "pdn-connection-does-not-exist" },
	{ 55, "multiple-connection-to-same-pdn-not-allowed" }, { 81, "invalid-transaction-id" },
	{ 95, "message-incorrect-semantic" }, { 96, "invalid-mandatory-info" },
	{ 97, "message-type-unsupported" }, { 98, "message-type-noncompatible-state" },
	{ 99, "unknown-info-element" }, { 100, "conditional-ie-error" },
	{ 101, "message-and-protocol-state-uncompatible" }, { 111, "protocol-error" },
	{ 112, "apn-type-conflict" },
	{ 113, "invalid-proxy-call-session-control-function-address" },
	{ 114, "internal-call-preempted-by-high-priority-apn" }, { 115, "emm-access-barred" },
	{ 116, "emergency-interface-only" }, { 117, "interface-mismatch" },
	{ 118, "companion-interface-in-use" }, { 119, "ip-address-mismatch" },
	{ 120, "interface-and-policy-family-mismatch" },
	{ 121, "emm-access-barred-infinite-retry" },
	{ 122, "authentication-failure-on-emergency-call" }, { 123, "invalid-dns-address" },
	{ 124, "invalid-proxy-call-session-control-function-dns-address" },
	{ 125, "test-loopback-mode-a-or-b-enabled" }, { 126, "emm-access-barred-eab" },
	{ 127, "call-preempted-by-emergency-apn" }, { 128, "ue-init-detach-or-disconnect" }
);

QMI_ENUM(qmi_enum_wds_verbose_cer_internal, "QmiWdsVerboseCallEndReasonInternal", false,
	{ 201, "error" }, { 202, "call-ended" }, { 203, "unknown-internal-cause" },
	{ 204, "unknown-cause" }, { 205, "close-in-progress" },
	{ 206, "network-initiated-termination" }, { 207, "app-preempted" },
	{ 208, "pdn-ipv4-call-disallowed" }, { 209, "pdn-ipv4-call-throttled" },
	{ 210, "pdn-ipv6-call-disallowed" }, { 211, "pdn-ipv6-call-throttled" },
	{ 212, "modem-restart" }, { 213, "pdp-ppp-not-supported" }, { 214, "unpreferred-rat" },
	{ 215, "physical-link-close-in-progress" }, { 216, "apn-pending-handover" },
	{ 217, "profile-bearer-incompatible" }, { 218, "mmgdsi-card-event" },
	{ 219, "lpm-or-power-down" }, { 220, "apn-disabled" }, { 221, "mpit-expired" },
	{ 222, "ipv6-address-transfer-failed" }, { 223, "trat-swap-failed" },
	{ 224, "ehrpd-to-hrpd-fallback" }, { 225, "mandatory-apn-disabled" },
	{ 226, "mip-config-failure" }, { 227, "pdn-inactivity-timer-expired" },
	{ 228, "max-v4-connections" }, { 229, "max-v6-connections" }, { 230, "apn-mismatch" },
	{ 231, "ip-version-mismatch" }, { 232, "dun-call-disallowed" },
	{ 233, "invalid-profile" }, { 234, "epc-nonepc-transition" },
	{ 235, "invalid-profile-id" }, { 236, "call-already-present" },
	{ 237, "interface-in-use" }, { 238, "ip-pdp-mismatch" },
	{ 239, "apn-disallowed-on-roaming" }, { 240, "apn-parameter-change" },
	{ 241, "interface-in-use-config-match" }, { 242, "null-apn-disallowed" },
	{ 243, "thermal-mitigation" }, { 244, "subs-id-mismatch" },
	{ 245, "data-settings-disabled" }, { 246, "data-roaming-settings-disabled" },
	{ 247, "apn-format-invalid" }, { 248, "dds-call-abort" }, { 249, "validation-failure" },
	{ 251, "profiles-not-compatible" }, { 252, "null-resolved-apn-no-match" },
	{ 253, "invalid-apn-name" }, { 254, "dds-switch-in-progress" },
	{ 255, "call-disallowed-in-roaming" }, { 256, "mo-exceptional-not-supported" },
	{ 257, "non-ip-not-supported" }, { 258, "error-pdn-non-ip-call-throttled" },
	{ 259, "error-pdn-non-ip-call-disallowed" }, { 261, "error-non-ip-type-mismatch" },
	{ 262, "error-max-nb-pdn-reached" }, { 263, "invalid-apn" }, { 264, "slice-not-allowed" },
	{ 265, "routing-fail" }, { 266, "routing-changed" },
	{ 267, "local-area-data-network-data-network-name-not-available" },
	{ 268, "apn-type-mismatch" }
);

QMI_ENUM(qmi_enum_wds_ip_family, "QmiWdsIpFamily", false,
	{ 0, "unknown" }, { 4, "ipv4" }, { 6, "ipv6" }, { 8, "unspecified" }, { 12, "ethernet" }
);

QMI_ENUM(qmi_enum_wds_auth, "QmiWdsAuthentication", true,
	{ 0, "none" }, { 1 << 0, "pap" }, { 1 << 1, "chap" }
);

QMI_ENUM(qmi_enum_wds_pdp_type, "QmiWdsPdpType", false,
	{ 0, "ipv4" }, { 1, "ppp" }, { 2, "ipv6" }, { 3, "ipv4-or-ipv6" }, { 4, "non-ip" }
);

QMI_ENUM(qmi_enum_wds_profile_type, "QmiWdsProfileType", false,
	{ 0, "3gpp" }, { 1, "3gpp2" }, { 2, "epc" }, { 255, "all" }
);

QMI_ENUM(qmi_enum_wds_requested_settings, "QmiWdsRequestedSettings", true,
	{ 0, "none" }, { 1 << 0, "profile-id" }, { 1 << 1, "profile-name" },
	{ 1 << 2, "pdp-type" }, { 1 << 3, "apn-name" }, { 1 << 4, "dns-address" },
	{ 1 << 5, "granted-qos" }, { 1 << 6, "username" }, { 1 << 7, "auth-protocol" },
	{ 1 << 8, "ip-address" }, { 1 << 9, "gateway-info" }, { 1 << 10, "pcscf-address" },
	{ 1 << 11, "pcscf-server-address-list" }, { 1 << 12, "pcscf-domain-name-list" },
	{ 1 << 13, "mtu" }, { 1 << 14, "domain-name-list" }, { 1 << 15, "ip-family" },
	{ 1 << 16, "imcn-flag" }, { 1 << 17, "extended-technology" },
	{ 1 << 18, "operator-reserved-pco" }
);

QMI_ENUM(qmi_enum_wds_packet_stats_mask, "QmiWdsPacketStatisticsMaskFlag", true,
	{ 1 << 0, "tx-packets-ok" }, { 1 << 1, "rx-packets-ok" }, { 1 << 2, "tx-packets-error" },
	{ 1 << 3, "rx-packets-error" }, { 1 << 4, "tx-overflows" }, { 1 << 5, "rx-overflows" },
	{ 1 << 6, "tx-bytes-ok" }, { 1 << 7, "rx-bytes-ok" }, { 1 << 8, "tx-packets-dropped" },
	{ 1 << 9, "rx-packets-dropped" }
);

QMI_ENUM(qmi_enum_wds_client_type, "QmiWdsClientType", false,
	{ 0x01, "tethered" }, { 0xFF, "undefined" }
);

QMI_ENUM(qmi_enum_wda_link_layer, "QmiWdaLinkLayerProtocol", false,
	{ 0x00, "unknown" }, { 0x01, "802-3" }, { 0x02, "raw-ip" }, { 0x03, "ethernet-pdu" }
);

QMI_ENUM(qmi_enum_wda_aggregation, "QmiWdaDataAggregationProtocol", false,
	{ 0x00, "disabled" }, { 0x01, "tlp" }, { 0x02, "qc-ncm" }, { 0x03, "mbim" },
	{ 0x04, "rndis" }, { 0x05, "qmap" }, { 0x06, "qmapv2" }, { 0x07, "qmapv3" },
	{ 0x08, "qmapv4" }, { 0x09, "qmapv5" }
);

QMI_ENUM(qmi_enum_data_endpoint_type, "QmiDataEndpointType", false,
	{ 0x00, "unknown" }, { 0x01, "hsic" }, { 0x02, "hsusb" }, { 0x03, "pcie" },
	{ 0x04, "embedded" }, { 0x05, "bam-dmux" }, { 0x06, "ethernet" }, { 0xFF, "undefined" }
);

QMI_ENUM(qmi_enum_uim_card_state, "QmiUimCardState", false,
	{ 0, "absent" }, { 1, "present" }, { 2, "error" }
);

QMI_ENUM(qmi_enum_uim_pin_state, "QmiUimPinState", false,
	{ 0, "not-initialized" }, { 1, "enabled-not-verified" }, { 2, "enabled-verified" },
	{ 3, "disabled" }, { 4, "blocked" }, { 5, "permanently-blocked" }
);

QMI_ENUM(qmi_enum_uim_card_error, "QmiUimCardError", false,
	{ 0, "unknown" }, { 1, "power-down" }, { 2, "poll" }, { 3, "no-atr-received" },
	{ 4, "voltage-mismatch" }, { 5, "parity" }, { 6, "possibly-removed" }, { 7, "technical" }
);

QMI_ENUM(qmi_enum_uim_app_type, "QmiUimCardApplicationType", false,
	{ 0, "unknown" }, { 1, "sim" }, { 2, "usim" }, { 3, "ruim" }, { 4, "csim" },
	{ 5, "isim" }
);

QMI_ENUM(qmi_enum_uim_app_state, "QmiUimCardApplicationState", false,
	{ 0, "unknown" }, { 1, "detected" }, { 2, "pin1-or-upin-pin-required" },
	{ 3, "puk1-or-upin-puk-required" }, { 4, "check-personalization-state" },
	{ 5, "pin1-blocked" }, { 6, "illegal" }, { 7, "ready" }
);

const char *qmi_enum_name(const struct qmi_enum *e, int64_t value)
{
	if (!e)
		return NULL;
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].value == value)
			return e->v[i].name;
	return NULL;
}

int qmi_enum_value(const struct qmi_enum *e, const char *name, int64_t *value)
{
	if (!e || !name)
		return -EINVAL;
	for (size_t i = 0; i < e->n; i++) {
		if (strcasecmp(e->v[i].name, name) == 0) {
			*value = e->v[i].value;
			return 0;
		}
	}
	return -ENOENT;
}

const char *qmi_wds_call_end_reason_name(uint16_t reason)
{
	return qmi_enum_name(&qmi_enum_wds_call_end_reason, reason);
}

const char *qmi_wds_verbose_cer_type_name(uint16_t type)
{
	return qmi_enum_name(&qmi_enum_wds_verbose_cer_type, type);
}

const char *qmi_wds_verbose_call_end_reason_name(uint16_t type, int16_t reason)
{
	switch (type) {
	case 2:
		return qmi_enum_name(&qmi_enum_wds_verbose_cer_internal, reason);
	case 6:
		return qmi_enum_name(&qmi_enum_wds_verbose_cer_3gpp, reason);
	default:
		return NULL;
	}
}

const char *qmi_wds_connection_status_name(uint8_t status)
{
	return qmi_enum_name(&qmi_enum_wds_connection_status, status);
}

const char *qmi_dms_operating_mode_name(uint8_t mode)
{
	return qmi_enum_name(&qmi_enum_dms_operating_mode, mode);
}

const char *qmi_nas_registration_state_name(uint8_t state)
{
	return qmi_enum_name(&qmi_enum_nas_registration_state, state);
}

const char *qmi_nas_attach_state_name(uint8_t state)
{
	return qmi_enum_name(&qmi_enum_nas_attach_state, state);
}

const char *qmi_nas_radio_interface_name(int8_t radio_if)
{
	return qmi_enum_name(&qmi_enum_nas_radio_interface, radio_if);
}

const char *qmi_nas_service_status_name(uint8_t status)
{
	return qmi_enum_name(&qmi_enum_nas_service_status, status);
}

const char *qmi_wda_link_layer_name(uint32_t llp)
{
	return qmi_enum_name(&qmi_enum_wda_link_layer, llp);
}

const char *qmi_wda_aggregation_name(uint32_t proto)
{
	return qmi_enum_name(&qmi_enum_wda_aggregation, proto);
}

const char *qmi_uim_card_state_name(uint8_t state)
{
	return qmi_enum_name(&qmi_enum_uim_card_state, state);
}

const char *qmi_uim_app_state_name(uint8_t state)
{
	return qmi_enum_name(&qmi_enum_uim_app_state, state);
}
