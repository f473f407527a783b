/* SPDX-License-Identifier: MIT */
/* DMS messages (qmi-service-dms.json; qmi-protocol.md §2). */
#include "qmi/msgdb_table.h"

#define T struct qmi_dms_get_manufacturer_resp
static const struct qmi_tlv_def get_manufacturer_resp[] = {
	TLV_STR(0x01, "Manufacturer", manufacturer),
};
#undef T

#define T struct qmi_dms_get_model_resp
static const struct qmi_tlv_def get_model_resp[] = {
	TLV_STR(0x01, "Model", model),
};
#undef T

#define T struct qmi_dms_get_revision_resp
static const struct qmi_tlv_def get_revision_resp[] = {
	TLV_STR(0x01, "Revision", revision),
};
#undef T

#define T struct qmi_dms_get_msisdn_resp
static const struct qmi_tlv_def get_msisdn_resp[] = {
	TLV_STR(0x01, "MSISDN", msisdn),
};
#undef T

#define T struct qmi_dms_get_ids_resp
static const struct qmi_tlv_def get_ids_resp[] = {
	TLV_STR(0x10, "ESN", esn),
	TLV_STR(0x11, "IMEI", imei),
	TLV_STR(0x12, "MEID", meid),
	TLV_STR(0x13, "IMEI SV", imei_sv),
};
#undef T

#define T struct qmi_dms_get_operating_mode_resp
static const struct qmi_tlv_def get_operating_mode_resp[] = {
	TLV_ENUM(0x01, "Mode", mode, qmi_enum_dms_operating_mode),
	TLV_ENUM(0x10, "Offline Reason", offline_reason, qmi_enum_dms_offline_reason),
	TLV_BOOL(0x11, "Hardware Restricted Mode", hw_restricted),
};
#undef T

#define T struct qmi_dms_set_operating_mode_req
static const struct qmi_tlv_def set_operating_mode_req[] = {
	TLV_ENUM(0x01, "Mode", mode, qmi_enum_dms_operating_mode),
};
#undef T

#define T struct qmi_dms_uim_get_iccid_resp
static const struct qmi_tlv_def uim_get_iccid_resp[] = {
	TLV_STR(0x01, "ICCID", iccid),
};
#undef T

#define T struct qmi_dms_uim_get_imsi_resp
static const struct qmi_tlv_def uim_get_imsi_resp[] = {
	TLV_STR(0x01, "IMSI", imsi),
};
#undef T

QMI_MSG_EMPTY(qmi_dms_get_manufacturer_req_def, DMS, QMI_DMS_GET_MANUFACTURER, REQUEST,
	      "Get Manufacturer");
QMI_MSG(qmi_dms_get_manufacturer_resp_def, DMS, QMI_DMS_GET_MANUFACTURER, RESPONSE,
	"Get Manufacturer", struct qmi_dms_get_manufacturer_resp, get_manufacturer_resp);
QMI_MSG_EMPTY(qmi_dms_get_model_req_def, DMS, QMI_DMS_GET_MODEL, REQUEST, "Get Model");
QMI_MSG(qmi_dms_get_model_resp_def, DMS, QMI_DMS_GET_MODEL, RESPONSE, "Get Model",
	struct qmi_dms_get_model_resp, get_model_resp);
QMI_MSG_EMPTY(qmi_dms_get_revision_req_def, DMS, QMI_DMS_GET_REVISION, REQUEST, "Get Revision");
QMI_MSG(qmi_dms_get_revision_resp_def, DMS, QMI_DMS_GET_REVISION, RESPONSE, "Get Revision",
	struct qmi_dms_get_revision_resp, get_revision_resp);
QMI_MSG_EMPTY(qmi_dms_get_msisdn_req_def, DMS, QMI_DMS_GET_MSISDN, REQUEST, "Get MSISDN");
QMI_MSG(qmi_dms_get_msisdn_resp_def, DMS, QMI_DMS_GET_MSISDN, RESPONSE, "Get MSISDN",
	struct qmi_dms_get_msisdn_resp, get_msisdn_resp);
QMI_MSG_EMPTY(qmi_dms_get_ids_req_def, DMS, QMI_DMS_GET_IDS, REQUEST, "Get IDs");
QMI_MSG(qmi_dms_get_ids_resp_def, DMS, QMI_DMS_GET_IDS, RESPONSE, "Get IDs",
	struct qmi_dms_get_ids_resp, get_ids_resp);
QMI_MSG_EMPTY(qmi_dms_get_operating_mode_req_def, DMS, QMI_DMS_GET_OPERATING_MODE, REQUEST,
	      "Get Operating Mode");
QMI_MSG(qmi_dms_get_operating_mode_resp_def, DMS, QMI_DMS_GET_OPERATING_MODE, RESPONSE,
	"Get Operating Mode", struct qmi_dms_get_operating_mode_resp, get_operating_mode_resp);
QMI_MSG(qmi_dms_set_operating_mode_req_def, DMS, QMI_DMS_SET_OPERATING_MODE, REQUEST,
	"Set Operating Mode", struct qmi_dms_set_operating_mode_req, set_operating_mode_req);
QMI_MSG_EMPTY(qmi_dms_set_operating_mode_resp_def, DMS, QMI_DMS_SET_OPERATING_MODE, RESPONSE,
	      "Set Operating Mode");
QMI_MSG_EMPTY(qmi_dms_uim_get_iccid_req_def, DMS, QMI_DMS_UIM_GET_ICCID, REQUEST,
	      "UIM Get ICCID");
QMI_MSG(qmi_dms_uim_get_iccid_resp_def, DMS, QMI_DMS_UIM_GET_ICCID, RESPONSE, "UIM Get ICCID",
	struct qmi_dms_uim_get_iccid_resp, uim_get_iccid_resp);
QMI_MSG_EMPTY(qmi_dms_uim_get_imsi_req_def, DMS, QMI_DMS_UIM_GET_IMSI, REQUEST, "UIM Get IMSI");
QMI_MSG(qmi_dms_uim_get_imsi_resp_def, DMS, QMI_DMS_UIM_GET_IMSI, RESPONSE, "UIM Get IMSI",
	struct qmi_dms_uim_get_imsi_resp, uim_get_imsi_resp);

const struct qmi_msg_def *const qmi_msgdb_dms[] = {
	&qmi_dms_get_manufacturer_req_def, &qmi_dms_get_manufacturer_resp_def,
	&qmi_dms_get_model_req_def, &qmi_dms_get_model_resp_def,
	&qmi_dms_get_revision_req_def, &qmi_dms_get_revision_resp_def,
	&qmi_dms_get_msisdn_req_def, &qmi_dms_get_msisdn_resp_def,
	&qmi_dms_get_ids_req_def, &qmi_dms_get_ids_resp_def,
	&qmi_dms_get_operating_mode_req_def, &qmi_dms_get_operating_mode_resp_def,
	&qmi_dms_set_operating_mode_req_def, &qmi_dms_set_operating_mode_resp_def,
	&qmi_dms_uim_get_iccid_req_def, &qmi_dms_uim_get_iccid_resp_def,
	&qmi_dms_uim_get_imsi_req_def, &qmi_dms_uim_get_imsi_resp_def,
	NULL,
};
