/* SPDX-License-Identifier: MIT */
/* UIM messages (qmi-service-uim.json "UIM Card Status"; qmi-protocol.md §2). */
#include "qmi/msgdb_table.h"

#define T struct qmi_uim_app
static const struct qmi_field app[] = {
	F_ENUM(type, qmi_enum_uim_app_type),
	F_ENUM(state, qmi_enum_uim_app_state),
	F_NUM(personalization_state),
	F_NUM(personalization_feature),
	F_NUM(personalization_retries),
	F_NUM(personalization_unblock_retries),
	F_ARRAY8(aid, E_NUM(uint8_t, .flags = QMI_FF_HEX)),
	F_BOOL(upin_replaces_pin1),
	F_ENUM(pin1_state, qmi_enum_uim_pin_state),
	F_NUM(pin1_retries),
	F_NUM(puk1_retries),
	F_ENUM(pin2_state, qmi_enum_uim_pin_state),
	F_NUM(pin2_retries),
	F_NUM(puk2_retries),
};
#undef T

#define T struct qmi_uim_card
static const struct qmi_field card[] = {
	F_ENUM(card_state, qmi_enum_uim_card_state),
	F_ENUM(upin_state, qmi_enum_uim_pin_state),
	F_NUM(upin_retries),
	F_NUM(upuk_retries),
	F_ENUM(error_code, qmi_enum_uim_card_error),
	F_ARRAY8(applications, E_STRUCT(app)),
};
#undef T

#define T struct qmi_uim_card_status
static const struct qmi_field card_status[] = {
	F_HEX(index_gw_primary),
	F_HEX(index_1x_primary),
	F_HEX(index_gw_secondary),
	F_HEX(index_1x_secondary),
	F_ARRAY8(cards, E_STRUCT(card)),
};
#undef T

#define T struct qmi_uim_get_card_status_resp
static const struct qmi_tlv_def get_card_status_resp[] = {
	TLV_STRUCT(0x10, "Card Status", card_status, card_status),
};
#undef T

#define T struct qmi_uim_card_status_ind
static const struct qmi_tlv_def card_status_ind[] = {
	TLV_STRUCT(0x10, "Card Status", card_status, card_status),
};
#undef T

QMI_MSG_EMPTY(qmi_uim_get_card_status_req_def, UIM, QMI_UIM_GET_CARD_STATUS, REQUEST,
	      "Get Card Status");
QMI_MSG(qmi_uim_get_card_status_resp_def, UIM, QMI_UIM_GET_CARD_STATUS, RESPONSE,
	"Get Card Status", struct qmi_uim_get_card_status_resp, get_card_status_resp);
QMI_MSG(qmi_uim_card_status_ind_def, UIM, QMI_UIM_CARD_STATUS_IND, INDICATION, "Card Status",
	struct qmi_uim_card_status_ind, card_status_ind);

const struct qmi_msg_def *const qmi_msgdb_uim[] = {
	&qmi_uim_get_card_status_req_def, &qmi_uim_get_card_status_resp_def,
	&qmi_uim_card_status_ind_def,
	NULL,
};
