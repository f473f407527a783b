/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb info`: the modem's identity in qmicli's blocks (--dms-get-manufacturer, -model,
 * -revision, --dms-get-ids, --dms-get-msisdn, --dms-uim-get-iccid, --dms-uim-get-imsi,
 * --dms-get-operating-mode) plus the SIM card state.
 *
 * The command degrades by section: every block the modem answered is printed, and every one it
 * refused (MSISDN, ICCID and IMSI without a usable SIM, Get IDs or the operating mode on some
 * firmware and proxies) is named with its QMI error. It fails (exit 4) only when the primary
 * query, DMS Get IDs, is refused, or when any request got no answer at all.
 */
#include <errno.h>
#include <string.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "cli/sim_card.h"
#include "qmi/messages.h"

enum {
	R_MANUF,
	R_MODEL,
	R_REV,
	R_IDS,
	R_CARD,
	R_MSISDN,
	R_ICCID,
	R_IMSI,
	R_OPMODE,
	R_N
};

struct info {
	struct qmi_dms_get_manufacturer_resp manuf;
	struct qmi_dms_get_model_resp model;
	struct qmi_dms_get_revision_resp rev;
	struct qmi_dms_get_ids_resp ids;
	struct qmi_uim_get_card_status_resp card;
	struct qmi_dms_get_msisdn_resp msisdn;
	struct qmi_dms_uim_get_iccid_resp iccid;
	struct qmi_dms_uim_get_imsi_resp imsi;
	struct qmi_dms_get_operating_mode_resp opmode;
	struct qcli_req req[R_N];
	bool uim_refused; /* no UIM client: the card state is unknown */
	struct qmi_result uim_result;
};

/* qmicli's words for each request ("couldn't get IDs") and the JSON key of each field. */
static const char *const what[R_N] = {
	[R_MANUF] = "couldn't get manufacturer",    [R_MODEL] = "couldn't get model",
	[R_REV] = "couldn't get revision",          [R_IDS] = "couldn't get IDs",
	[R_CARD] = "couldn't get card status",      [R_MSISDN] = "couldn't get MSISDN",
	[R_ICCID] = "couldn't get ICCID",           [R_IMSI] = "couldn't get IMSI",
	[R_OPMODE] = "couldn't get operating mode",
};

/* The query the command stands on: its refusal fails the command. */
#define R_PRIMARY R_IDS

/* Answered with a QMI error (as opposed to answered fine or not at all). */
static bool refused(const struct qcli_req *r)
{
	return !r->skip && !r->err && r->result.status;
}

static bool ok(const struct qcli_req *r)
{
	return !r->skip && !r->err && !r->result.status;
}

static void setup(struct info *in, uint8_t dms, uint8_t uim)
{
	static const struct {
		const struct qmi_msg_def *req, *resp;
	} defs[R_N] = {
		[R_MANUF] = { &qmi_dms_get_manufacturer_req_def,
			      &qmi_dms_get_manufacturer_resp_def },
		[R_MODEL] = { &qmi_dms_get_model_req_def, &qmi_dms_get_model_resp_def },
		[R_REV] = { &qmi_dms_get_revision_req_def, &qmi_dms_get_revision_resp_def },
		[R_IDS] = { &qmi_dms_get_ids_req_def, &qmi_dms_get_ids_resp_def },
		[R_CARD] = { &qmi_uim_get_card_status_req_def, &qmi_uim_get_card_status_resp_def },
		[R_MSISDN] = { &qmi_dms_get_msisdn_req_def, &qmi_dms_get_msisdn_resp_def },
		[R_ICCID] = { &qmi_dms_uim_get_iccid_req_def, &qmi_dms_uim_get_iccid_resp_def },
		[R_IMSI] = { &qmi_dms_uim_get_imsi_req_def, &qmi_dms_uim_get_imsi_resp_def },
		[R_OPMODE] = { &qmi_dms_get_operating_mode_req_def,
			       &qmi_dms_get_operating_mode_resp_def },
	};
	void *resp[R_N] = {
		[R_MANUF] = &in->manuf, [R_MODEL] = &in->model, [R_REV] = &in->rev,
		[R_IDS] = &in->ids,     [R_CARD] = &in->card,   [R_MSISDN] = &in->msisdn,
		[R_ICCID] = &in->iccid, [R_IMSI] = &in->imsi,   [R_OPMODE] = &in->opmode,
	};

	for (int i = 0; i < R_N; i++) {
		in->req[i].req_def = defs[i].req;
		in->req[i].resp_def = defs[i].resp;
		in->req[i].resp = resp[i];
		in->req[i].svc = defs[i].req->service;
		in->req[i].cid = defs[i].req->service == QMI_SVC_UIM ? uim : dms;
	}
	in->req[R_CARD].skip = in->uim_refused;
}

static void human_string(struct qcli *cli, const struct qcli_req *r, const char *title,
			 const char *label, bool has, const char *val)
{
	char qe[64], esc[QCLI_ESC_MAX];

	if (ok(r))
		fprintf(cli->out, "[%s] %s retrieved:\n\t%s: '%s'\n", cli->devname, title, label,
			qcli_esc(qcli_unknown(has, val), esc, sizeof(esc)));
	else if (refused(r))
		fprintf(cli->out, "[%s] %s not available: %s\n", cli->devname, title,
			qcli_qmi_error_str(r->result.error, qe, sizeof(qe)));
}

static void human_card(struct qcli *cli, const struct info *in)
{
	const struct qcli_req *r = &in->req[R_CARD];
	char buf[96], qe[64];

	if (in->uim_refused) {
		fprintf(cli->out, "[%s] SIM card state not available: %s\n", cli->devname,
			qcli_qmi_error_str(in->uim_result.error, qe, sizeof(qe)));
		return;
	}
	if (refused(r)) {
		fprintf(cli->out, "[%s] SIM card state not available: %s\n", cli->devname,
			qcli_qmi_error_str(r->result.error, qe, sizeof(qe)));
		return;
	}
	if (!ok(r))
		return;
	fprintf(cli->out, "[%s] SIM card:\n\tCard state: '%s'\n", cli->devname,
		qcli_card_state_str(in->card.has_card_status
					    ? qcli_primary_card(&in->card.card_status)
					    : NULL,
				    buf, sizeof(buf)));
}

static void human(struct qcli *cli, const struct info *in)
{
	const struct qcli_req *r = in->req;
	char buf[256];

	human_string(cli, &r[R_MANUF], "Device manufacturer", "Manufacturer",
		     in->manuf.has_manufacturer, in->manuf.manufacturer);
	human_string(cli, &r[R_MODEL], "Device model", "Model", in->model.has_model,
		     in->model.model);
	human_string(cli, &r[R_REV], "Device revision", "Revision", in->rev.has_revision,
		     in->rev.revision);
	if (refused(&r[R_IDS]))
		fprintf(cli->out, "[%s] Device IDs not available: %s\n", cli->devname,
			qcli_qmi_error_str(r[R_IDS].result.error, buf, sizeof(buf)));
	if (ok(&r[R_IDS])) {
		char esc[3][QCLI_ESC_MAX];

		fprintf(cli->out,
			"[%s] Device IDs retrieved:\n"
			"\t    ESN: '%s'\n"
			"\t   IMEI: '%s'\n"
			"\t   MEID: '%s'\n",
			cli->devname,
			qcli_esc(qcli_unknown(in->ids.has_esn, in->ids.esn), esc[0],
				 sizeof(esc[0])),
			qcli_esc(qcli_unknown(in->ids.has_imei, in->ids.imei), esc[1],
				 sizeof(esc[1])),
			qcli_esc(qcli_unknown(in->ids.has_meid, in->ids.meid), esc[2],
				 sizeof(esc[2])));
		if (in->ids.has_imei_sv)
			fprintf(cli->out, "\tIMEI SV: '%s'\n",
				qcli_esc(in->ids.imei_sv, esc[0], sizeof(esc[0])));
	}
	human_card(cli, in);
	human_string(cli, &r[R_MSISDN], "Device MSISDN", "MSISDN", in->msisdn.has_msisdn,
		     in->msisdn.msisdn);
	human_string(cli, &r[R_ICCID], "UIM ICCID", "ICCID", in->iccid.has_iccid, in->iccid.iccid);
	human_string(cli, &r[R_IMSI], "UIM IMSI", "IMSI", in->imsi.has_imsi, in->imsi.imsi);
	if (refused(&r[R_OPMODE]))
		fprintf(cli->out, "[%s] Operating mode not available: %s\n", cli->devname,
			qcli_qmi_error_str(r[R_OPMODE].result.error, buf, sizeof(buf)));
	if (ok(&r[R_OPMODE])) {
		const struct qmi_dms_get_operating_mode_resp *m = &in->opmode;

		fprintf(cli->out, "[%s] Operating mode retrieved:\n\tMode: '%s'\n", cli->devname,
			m->has_mode ? QCLI_ENUM(qmi_dms_operating_mode_name(m->mode), m->mode)
				    : "unknown");
		if (m->has_offline_reason && (m->mode == QMI_DMS_OPERATING_MODE_OFFLINE ||
					      m->mode == QMI_DMS_OPERATING_MODE_LOW_POWER))
			fprintf(cli->out, "\tReason: '%s'\n",
				qcli_mask_str(&qmi_enum_dms_offline_reason, m->offline_reason, buf,
					      sizeof(buf)));
		fprintf(cli->out, "\tHW restricted: '%s'\n",
			m->has_hw_restricted && m->hw_restricted ? "yes" : "no");
	}
}

static void json_string(struct qcli *cli, const struct qcli_req *r, const char *key, bool has,
			const char *val)
{
	if (ok(r) && has)
		qcli_json_str(cli->js, key, val);
	else
		qcli_json_null(cli->js, key);
}

static void json(struct qcli *cli, const struct info *in)
{
	static const char *const keys[R_N] = {
		[R_MANUF] = "manufacturer",
		[R_MODEL] = "model",
		[R_REV] = "revision",
		[R_IDS] = "ids",
		[R_CARD] = "sim",
		[R_MSISDN] = "msisdn",
		[R_ICCID] = "iccid",
		[R_IMSI] = "imsi",
		[R_OPMODE] = "operating_mode",
	};
	const struct qcli_req *r = in->req;
	struct qcli_json *j = cli->js;
	char buf[96];

	json_string(cli, &r[R_MANUF], "manufacturer", in->manuf.has_manufacturer,
		    in->manuf.manufacturer);
	json_string(cli, &r[R_MODEL], "model", in->model.has_model, in->model.model);
	json_string(cli, &r[R_REV], "revision", in->rev.has_revision, in->rev.revision);
	json_string(cli, &r[R_IDS], "esn", in->ids.has_esn, in->ids.esn);
	json_string(cli, &r[R_IDS], "imei", in->ids.has_imei, in->ids.imei);
	json_string(cli, &r[R_IDS], "meid", in->ids.has_meid, in->ids.meid);
	json_string(cli, &r[R_IDS], "imei_sv", in->ids.has_imei_sv, in->ids.imei_sv);
	if (ok(&r[R_CARD])) {
		const struct qmi_uim_card *card = in->card.has_card_status
							  ? qcli_primary_card(&in->card.card_status)
							  : NULL;

		qcli_json_obj_begin(j, "sim");
		qcli_json_str(j, "card_state", qcli_card_state_str(card, buf, sizeof(buf)));
		qcli_json_bool(j, "present",
			       card && card->card_state == QMI_UIM_CARD_STATE_PRESENT);
		qcli_json_obj_end(j);
	} else {
		qcli_json_null(j, "sim");
	}
	json_string(cli, &r[R_MSISDN], "msisdn", in->msisdn.has_msisdn, in->msisdn.msisdn);
	json_string(cli, &r[R_ICCID], "iccid", in->iccid.has_iccid, in->iccid.iccid);
	json_string(cli, &r[R_IMSI], "imsi", in->imsi.has_imsi, in->imsi.imsi);
	if (ok(&r[R_OPMODE]) && in->opmode.has_mode) {
		const struct qmi_dms_get_operating_mode_resp *m = &in->opmode;
		char reason[256];

		qcli_json_obj_begin(j, "operating_mode");
		qcli_json_enum(j, "mode", qmi_dms_operating_mode_name(m->mode), m->mode);
		if (m->has_offline_reason)
			qcli_json_str(j, "offline_reason",
				      qcli_mask_str(&qmi_enum_dms_offline_reason, m->offline_reason,
						    reason, sizeof(reason)));
		qcli_json_bool(j, "hw_restricted", m->has_hw_restricted && m->hw_restricted);
		qcli_json_obj_end(j);
	} else {
		qcli_json_null(j, "operating_mode");
	}

	qcli_json_obj_begin(j, "unavailable");
	if (in->uim_refused)
		qcli_json_qmi_error(cli, "sim", in->uim_result.error);
	for (int i = 0; i < R_N; i++)
		if (refused(&r[i]))
			qcli_json_qmi_error(cli, keys[i], r[i].result.error);
	qcli_json_obj_end(j);
}

int qcli_cmd_info(struct qcli *cli, int argc, char **argv)
{
	struct info in;
	uint8_t dms = 0, uim = 0;
	int rc, err;

	rc = qcli_command_noargs(cli, argc, argv);
	if (rc >= 0)
		return rc;
	rc = qcli_session_client(cli, QMI_SVC_DMS, &dms);
	if (rc)
		return rc;
	memset(&in, 0, sizeof(in));
	/* A modem without a UIM service still has an identity to show. */
	err = qcli_client_try(cli, QMI_SVC_UIM, &uim, &in.uim_result);
	if (err == -QB_EMODEM)
		in.uim_refused = true;
	else if (err)
		return qcli_report(cli, "couldn't allocate a uim client", err, NULL);

	setup(&in, dms, uim);
	err = qcli_batch(cli, in.req, R_N);
	if (err)
		return qcli_report(cli, "couldn't complete the requests", err, NULL);

	if (cli->js)
		json(cli, &in);
	else
		human(cli, &in);

	/* Exit code: the first failure among the primary query's refusal and the requests that
	 * got no answer at all (timeout, unplug); other refusals are shown above, not failures. */
	rc = QCLI_EXIT_OK;
	for (int i = 0; i < R_N; i++) {
		int c;

		if (i != R_PRIMARY && refused(&in.req[i]))
			continue;
		c = qcli_req_check(cli, &in.req[i], what[i]);
		if (!rc)
			rc = c;
	}
	return rc;
}
