/* SPDX-License-Identifier: MIT */
/* DMS: identities, operating mode, and the SIM's ICCID/IMSI as seen through DMS. */
#include "sim/sim_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/messages.h"

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static int get_ids(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_dms_get_ids_resp r = {
		.has_esn = true, .has_imei = true, .has_meid = true, .has_imei_sv = true
	};

	COPY(r.esn, QSIM_ESN);
	COPY(r.imei, QSIM_IMEI);
	COPY(r.meid, QSIM_MEID);
	COPY(r.imei_sv, QSIM_IMEI_SV);
	return qsim_respond(sim, req, 0, &r);
}

static int get_operating_mode(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_dms_get_operating_mode_resp r = { .has_mode = true, .has_hw_restricted = true };

	r.mode = sim->op_mode;
	r.hw_restricted = 0;
	return qsim_respond(sim, req, 0, &r);
}

static int set_operating_mode(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_dms_set_operating_mode_req q;

	if (qmi_msg_decode(&qmi_dms_set_operating_mode_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_mode)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	switch (q.mode) {
	case QMI_DMS_OPERATING_MODE_ONLINE:
	case QMI_DMS_OPERATING_MODE_LOW_POWER:
	case QMI_DMS_OPERATING_MODE_OFFLINE:
	case QMI_DMS_OPERATING_MODE_PERSISTENT_LOW_POWER:
	case QMI_DMS_OPERATING_MODE_MODE_ONLY_LOW_POWER:
	case QMI_DMS_OPERATING_MODE_RESET:
		break;
	default:
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	}
	/* Offline is a dead end on Qualcomm firmware: only a reset leaves it. */
	if (sim->op_mode == QMI_DMS_OPERATING_MODE_OFFLINE &&
	    q.mode != QMI_DMS_OPERATING_MODE_OFFLINE && q.mode != QMI_DMS_OPERATING_MODE_RESET)
		return qsim_respond(sim, req, QMI_ERR_INVALID_TRANSITION, NULL);
	qsim_respond(sim, req, 0, NULL);
	if (q.mode == QMI_DMS_OPERATING_MODE_RESET) {
		/* The software modem "reboots" at once: calls end, the radio comes back online.
		 * Client ids survive (a real reset would re-enumerate USB). */
		sim->op_mode = QMI_DMS_OPERATING_MODE_OFFLINE;
		qsim_pin_power_cycle(sim);
		qsim_radio_apply(sim);
		sim->op_mode = QMI_DMS_OPERATING_MODE_ONLINE;
	} else {
		sim->op_mode = q.mode;
	}
	qsim_radio_apply(sim);
	return 0;
}

static int uim_get(struct qsim *sim, const struct qmi_frame *req, bool iccid)
{
	struct qmi_dms_uim_get_iccid_resp ri = { .has_iccid = true };
	struct qmi_dms_uim_get_imsi_resp rs = { .has_imsi = true };

	if (sim->uim != QSIM_UIM_READY)
		return qsim_respond(sim, req, QMI_ERR_UIM_UNINITIALIZED, NULL);
	/* The ICCID is readable on a locked card; the subscriber's files are not. */
	if (!iccid && !qsim_sim_unlocked(sim))
		return qsim_respond(sim, req, QMI_ERR_PIN_RESTRICTION, NULL);
	if (iccid) {
		COPY(ri.iccid, QSIM_ICCID);
		return qsim_respond(sim, req, 0, &ri);
	}
	COPY(rs.imsi, QSIM_IMSI);
	return qsim_respond(sim, req, 0, &rs);
}

int qsim_dms_handle(struct qsim *sim, const struct qmi_frame *req)
{
	switch (req->msg_id) {
	case QMI_DMS_GET_MANUFACTURER: {
		struct qmi_dms_get_manufacturer_resp r = { .has_manufacturer = true };

		COPY(r.manufacturer, QSIM_MANUFACTURER);
		return qsim_respond(sim, req, 0, &r);
	}
	case QMI_DMS_GET_MODEL: {
		struct qmi_dms_get_model_resp r = { .has_model = true };

		COPY(r.model, QSIM_MODEL);
		return qsim_respond(sim, req, 0, &r);
	}
	case QMI_DMS_GET_REVISION: {
		struct qmi_dms_get_revision_resp r = { .has_revision = true };

		COPY(r.revision, QSIM_REVISION);
		return qsim_respond(sim, req, 0, &r);
	}
	case QMI_DMS_GET_MSISDN: {
		struct qmi_dms_get_msisdn_resp r = { .has_msisdn = true };

		if (sim->uim != QSIM_UIM_READY)
			return qsim_respond(sim, req, QMI_ERR_UIM_UNINITIALIZED, NULL);
		if (!qsim_sim_unlocked(sim))
			return qsim_respond(sim, req, QMI_ERR_PIN_RESTRICTION, NULL);
		COPY(r.msisdn, QSIM_MSISDN);
		return qsim_respond(sim, req, 0, &r);
	}
	case QMI_DMS_GET_IDS:
		return get_ids(sim, req);
	case QMI_DMS_GET_OPERATING_MODE:
		return get_operating_mode(sim, req);
	case QMI_DMS_SET_OPERATING_MODE:
		return set_operating_mode(sim, req);
	case QMI_DMS_UIM_GET_ICCID:
		return uim_get(sim, req, true);
	case QMI_DMS_UIM_GET_IMSI:
		return uim_get(sim, req, false);
	case QMI_DMS_GET_BAND_CAPABILITIES:
		return qsim_dms_bands_handle(sim, req);
	}
	return qsim_dms_pin_handle(sim, req);
}
