/* SPDX-License-Identifier: MIT */
/* NAS: registration, serving network and signal, and who wants indications about them. */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/messages.h"

static bool camped(const struct qsim *sim)
{
	return qsim_radio_on(sim) && sim->reg != QSIM_REG_NOT;
}

/* Response and indication share their members (not their TLV ids): one filler for both. */
#define FILL_SERVING_SYSTEM(sim, r)                                                                \
	do {                                                                                       \
		bool reg_ = (sim)->reg == QSIM_REG_REGISTERED;                                     \
		(r)->has_serving_system = true;                                                    \
		(r)->serving_system.registration_state = (uint8_t)(sim)->reg;                      \
		(r)->serving_system.cs_attach_state = reg_ ? QMI_NAS_ATTACH_STATE_ATTACHED         \
							   : QMI_NAS_ATTACH_STATE_DETACHED;        \
		(r)->serving_system.ps_attach_state = (r)->serving_system.cs_attach_state;         \
		(r)->serving_system.selected_network = camped(sim) ? QMI_NAS_NETWORK_TYPE_3GPP     \
								   : QMI_NAS_NETWORK_TYPE_UNKNOWN; \
		if (camped(sim))                                                                   \
			(r)->serving_system                                                        \
				.radio_interfaces[(r)->serving_system.n_radio_interfaces++] =      \
				QMI_NAS_RADIO_INTERFACE_LTE;                                       \
		if (reg_) {                                                                        \
			(r)->has_roaming_indicator = true;                                         \
			(r)->roaming_indicator = 1; /* off: home network */                        \
			(r)->has_data_service_capability = true;                                   \
			(r)->data_service_capability[(r)->n_data_service_capability++] = 11;       \
			(r)->has_current_plmn = true;                                              \
			(r)->current_plmn.mcc = QSIM_MCC;                                          \
			(r)->current_plmn.mnc = QSIM_MNC;                                          \
			snprintf((r)->current_plmn.description,                                    \
				 sizeof((r)->current_plmn.description), "%s", QSIM_NETWORK_NAME);  \
			(r)->has_lac = true;                                                       \
			(r)->lac = QSIM_LAC;                                                       \
			(r)->has_cid = true;                                                       \
			(r)->cid = QSIM_LTE_CELL_ID;                                               \
			(r)->has_lte_tac = true;                                                   \
			(r)->lte_tac = QSIM_LTE_TAC;                                               \
			(r)->has_mnc_pcs_digit = true;                                             \
			(r)->mnc_pcs_digit.mcc = QSIM_MCC;                                         \
			(r)->mnc_pcs_digit.mnc = QSIM_MNC;                                         \
			(r)->mnc_pcs_digit.includes_pcs_digit = 0;                                 \
		}                                                                                  \
	} while (0)

void qsim_nas_send_serving_system(struct qsim *sim)
{
	struct qsim_svc *nas = qsim_svc_by_id(sim, QMI_SVC_NAS);
	struct qmi_nas_serving_system_ind ind;

	memset(&ind, 0, sizeof(ind));
	FILL_SERVING_SYSTEM(sim, &ind);
	for (unsigned c = 1; c <= QSIM_MAX_CIDS; c++)
		if (nas->clients[c].used && nas->clients[c].ind_serving_system)
			qsim_indicate(sim, QMI_SVC_NAS, (uint8_t)c, QMI_NAS_SERVING_SYSTEM_IND,
				      &ind);
}

static int register_indications(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_nas_register_indications_req q;
	struct qsim_client *c = qsim_client(sim, QMI_SVC_NAS, req->client_id);

	if (qmi_msg_decode(&qmi_nas_register_indications_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (q.has_serving_system_events)
		c->ind_serving_system = q.serving_system_events != 0;
	if (q.has_signal_info)
		c->ind_signal_info = q.signal_info != 0;
	if (q.has_system_info)
		c->ind_system_info = q.system_info != 0;
	return qsim_respond(sim, req, 0, NULL);
}

static int get_signal_strength(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_nas_get_signal_strength_req q;
	struct qmi_nas_get_signal_strength_resp r;

	if (qmi_msg_decode(&qmi_nas_get_signal_strength_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!qsim_radio_on(sim))
		return qsim_respond(sim, req, QMI_ERR_INFORMATION_UNAVAILABLE, NULL);
	memset(&r, 0, sizeof(r));
	r.has_signal_strength = true;
	r.signal_strength.strength = sim->rssi;
	r.signal_strength.radio_interface = QMI_NAS_RADIO_INTERFACE_LTE;
	if (q.has_request_mask && (q.request_mask & QMI_NAS_SIGNAL_REQUEST_RSSI)) {
		r.has_rssi_list = true;
		r.n_rssi_list = 1;
		r.rssi_list[0].rssi = (uint8_t)-sim->rssi;
		r.rssi_list[0].radio_interface = QMI_NAS_RADIO_INTERFACE_LTE;
	}
	if (q.has_request_mask && (q.request_mask & QMI_NAS_SIGNAL_REQUEST_RSRQ)) {
		r.has_rsrq = true;
		r.rsrq.rsrq = sim->rsrq;
		r.rsrq.radio_interface = QMI_NAS_RADIO_INTERFACE_LTE;
	}
	if (q.has_request_mask && (q.request_mask & QMI_NAS_SIGNAL_REQUEST_LTE_SNR)) {
		r.has_lte_snr = true;
		r.lte_snr = sim->snr;
	}
	if (q.has_request_mask && (q.request_mask & QMI_NAS_SIGNAL_REQUEST_LTE_RSRP)) {
		r.has_lte_rsrp = true;
		r.lte_rsrp = sim->rsrp;
	}
	return qsim_respond(sim, req, 0, &r);
}

static int get_signal_info(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_nas_get_signal_info_resp r;

	memset(&r, 0, sizeof(r));
	if (qsim_radio_on(sim)) {
		r.has_lte = true;
		r.lte.rssi = sim->rssi;
		r.lte.rsrq = sim->rsrq;
		r.lte.rsrp = sim->rsrp;
		r.lte.snr = sim->snr;
	}
	return qsim_respond(sim, req, 0, &r);
}

static int get_serving_system(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_nas_get_serving_system_resp r;

	memset(&r, 0, sizeof(r));
	FILL_SERVING_SYSTEM(sim, &r);
	return qsim_respond(sim, req, 0, &r);
}

static int get_system_info(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_nas_get_system_info_resp r;
	struct qmi_nas_lte_sys_info *li = &r.lte_sys_info;
	bool reg = sim->reg == QSIM_REG_REGISTERED;
	uint8_t status = !camped(sim) ? QMI_NAS_SERVICE_STATUS_NONE
			 : reg        ? QMI_NAS_SERVICE_STATUS_AVAILABLE
				      : QMI_NAS_SERVICE_STATUS_LIMITED;

	memset(&r, 0, sizeof(r));
	r.has_lte_service_status = true;
	r.lte_service_status.service_status = status;
	r.lte_service_status.true_service_status = status;
	r.lte_service_status.preferred_data_path = 0;
	if (!camped(sim))
		return qsim_respond(sim, req, 0, &r);
	r.has_lte_sys_info = true;
	li->domain_valid = 1;
	li->domain = reg ? 3 : 0; /* cs-ps when registered, none otherwise */
	li->service_capability_valid = 1;
	li->service_capability = 3;
	li->roaming_status_valid = 1;
	li->roaming_status = 0; /* off */
	li->forbidden_valid = 1;
	li->forbidden = sim->reg == QSIM_REG_DENIED;
	li->lac_valid = 1;
	li->lac = QSIM_LAC;
	li->cid_valid = 1;
	li->cid = QSIM_LTE_CELL_ID;
	if (sim->reg == QSIM_REG_DENIED) {
		li->reject_info_valid = 1;
		li->reject_domain = 2; /* ps */
		li->reject_cause = 7;  /* EPS services not allowed */
	}
	li->network_id_valid = 1;
	snprintf(li->mcc, sizeof(li->mcc), "%03u", QSIM_MCC);
	snprintf(li->mnc, sizeof(li->mnc), "%02u", QSIM_MNC);
	li->tac_valid = 1;
	li->tac = QSIM_LTE_TAC;
	return qsim_respond(sim, req, 0, &r);
}

int qsim_nas_handle(struct qsim *sim, const struct qmi_frame *req)
{
	switch (req->msg_id) {
	case QMI_NAS_REGISTER_INDICATIONS:
		return register_indications(sim, req);
	case QMI_NAS_GET_SIGNAL_STRENGTH:
		return get_signal_strength(sim, req);
	case QMI_NAS_GET_SIGNAL_INFO:
		return get_signal_info(sim, req);
	case QMI_NAS_GET_SERVING_SYSTEM:
		return get_serving_system(sim, req);
	case QMI_NAS_GET_SYSTEM_INFO:
		return get_system_info(sim, req);
	}
	return qsim_nas_pref_handle(sim, req);
}
