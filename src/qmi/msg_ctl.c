/* SPDX-License-Identifier: MIT */
/* CTL messages (qmi-service-ctl.json; qmi-protocol.md §1.4, §3.3). */
#include "qmi/msgdb_table.h"

#define T struct qmi_ctl_service_version
static const struct qmi_field service_version[] = {
	F_ENUM(service, qmi_enum_service),
	F_NUM(major),
	F_NUM(minor),
};
#undef T

#define T struct qmi_ctl_client_id
static const struct qmi_field client_id[] = {
	F_ENUM(service, qmi_enum_service),
	F_NUM(cid),
};
#undef T

#define T struct qmi_ctl_get_version_info_resp
static const struct qmi_tlv_def get_version_info_resp[] = {
	TLV_ARRAY8(0x01, "Service List", services, E_STRUCT(service_version)),
};
#undef T

#define T struct qmi_ctl_allocate_cid_req
static const struct qmi_tlv_def allocate_cid_req[] = {
	TLV_ENUM(0x01, "Service", service, qmi_enum_service),
};
#undef T

#define T struct qmi_ctl_allocate_cid_resp
static const struct qmi_tlv_def allocate_cid_resp[] = {
	TLV_STRUCT(0x01, "Allocation Info", allocation, client_id),
};
#undef T

#define T struct qmi_ctl_release_cid_req
static const struct qmi_tlv_def release_cid_req[] = {
	TLV_STRUCT(0x01, "Release Info", release, client_id),
};
#undef T

#define T struct qmi_ctl_release_cid_resp
static const struct qmi_tlv_def release_cid_resp[] = {
	TLV_STRUCT(0x01, "Release Info", release, client_id),
};
#undef T

/* qmicli sends 0x10 before 0x01 (qmi-protocol.md §1.5 step 6); table order is wire order. */
#define T struct qmi_ctl_set_data_format_req
static const struct qmi_tlv_def set_data_format_req[] = {
	TLV_ENUM(0x10, "Protocol", protocol, qmi_enum_ctl_link_protocol),
	TLV_ENUM(0x01, "Format", format, qmi_enum_ctl_data_format),
};
#undef T

#define T struct qmi_ctl_set_data_format_resp
static const struct qmi_tlv_def set_data_format_resp[] = {
	TLV_ENUM(0x10, "Protocol", protocol, qmi_enum_ctl_link_protocol),
};
#undef T

#define T struct qmi_ctl_internal_proxy_open_req
static const struct qmi_tlv_def internal_proxy_open_req[] = {
	TLV_STR(0x01, "Device Path", device_path),
};
#undef T

QMI_MSG_EMPTY(qmi_ctl_get_version_info_req_def, CTL, QMI_CTL_GET_VERSION_INFO, REQUEST,
	      "Get Version Info");
QMI_MSG(qmi_ctl_get_version_info_resp_def, CTL, QMI_CTL_GET_VERSION_INFO, RESPONSE,
	"Get Version Info", struct qmi_ctl_get_version_info_resp, get_version_info_resp);
QMI_MSG(qmi_ctl_allocate_cid_req_def, CTL, QMI_CTL_ALLOCATE_CID, REQUEST, "Allocate CID",
	struct qmi_ctl_allocate_cid_req, allocate_cid_req);
QMI_MSG(qmi_ctl_allocate_cid_resp_def, CTL, QMI_CTL_ALLOCATE_CID, RESPONSE, "Allocate CID",
	struct qmi_ctl_allocate_cid_resp, allocate_cid_resp);
QMI_MSG(qmi_ctl_release_cid_req_def, CTL, QMI_CTL_RELEASE_CID, REQUEST, "Release CID",
	struct qmi_ctl_release_cid_req, release_cid_req);
QMI_MSG(qmi_ctl_release_cid_resp_def, CTL, QMI_CTL_RELEASE_CID, RESPONSE, "Release CID",
	struct qmi_ctl_release_cid_resp, release_cid_resp);
QMI_MSG(qmi_ctl_set_data_format_req_def, CTL, QMI_CTL_SET_DATA_FORMAT, REQUEST,
	"Set Data Format", struct qmi_ctl_set_data_format_req, set_data_format_req);
QMI_MSG(qmi_ctl_set_data_format_resp_def, CTL, QMI_CTL_SET_DATA_FORMAT, RESPONSE,
	"Set Data Format", struct qmi_ctl_set_data_format_resp, set_data_format_resp);
QMI_MSG_EMPTY(qmi_ctl_sync_req_def, CTL, QMI_CTL_SYNC, REQUEST, "Sync");
QMI_MSG_EMPTY(qmi_ctl_sync_resp_def, CTL, QMI_CTL_SYNC, RESPONSE, "Sync");
QMI_MSG_EMPTY(qmi_ctl_sync_ind_def, CTL, QMI_CTL_SYNC, INDICATION, "Sync");
QMI_MSG(qmi_ctl_internal_proxy_open_req_def, CTL, QMI_CTL_INTERNAL_PROXY_OPEN, REQUEST,
	"Internal Proxy Open", struct qmi_ctl_internal_proxy_open_req, internal_proxy_open_req);
QMI_MSG_EMPTY(qmi_ctl_internal_proxy_open_resp_def, CTL, QMI_CTL_INTERNAL_PROXY_OPEN, RESPONSE,
	      "Internal Proxy Open");

const struct qmi_msg_def *const qmi_msgdb_ctl[] = {
	&qmi_ctl_get_version_info_req_def, &qmi_ctl_get_version_info_resp_def,
	&qmi_ctl_allocate_cid_req_def, &qmi_ctl_allocate_cid_resp_def,
	&qmi_ctl_release_cid_req_def, &qmi_ctl_release_cid_resp_def,
	&qmi_ctl_set_data_format_req_def, &qmi_ctl_set_data_format_resp_def,
	&qmi_ctl_sync_req_def, &qmi_ctl_sync_resp_def, &qmi_ctl_sync_ind_def,
	&qmi_ctl_internal_proxy_open_req_def, &qmi_ctl_internal_proxy_open_resp_def,
	NULL,
};
