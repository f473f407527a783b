/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb status`: the SIM card (qmicli --uim-get-card-status), registration and serving
 * network (--nas-get-serving-system) and the packet service status
 * (--wds-get-packet-service-status), then a running connection's part through
 * qcli_status_connection(). The command degrades by section: every block the modem answered
 * is printed and every refusal named (a modem without a UIM service or a usable SIM, WDS
 * refusing without one); it fails only when the primary query, NAS Get Serving System, is
 * refused, or when a request got no answer at all. MCC and MNC keep their digits ("01").
 */
#include <errno.h>
#include <string.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "cli/sim_card.h"
#include "qmi/messages.h"
#include "qmi/strdec.h"

enum {
	R_CARD,
	R_SERVING,
	R_PACKET,
	R_N
};

struct status {
	struct qmi_uim_get_card_status_resp card;
	struct qmi_nas_get_serving_system_resp ss;
	struct qmi_wds_get_packet_service_status_resp ps;
	struct qcli_req req[R_N];
	bool uim_refused;
	struct qmi_result uim_result;
};

static const char *const what[R_N] = { "couldn't get card status", "couldn't get serving system",
				       "couldn't get packet service status" };

/* QmiUimCardApplicationPersonalizationState, as qmicli names it; NULL past the table. */
static const char *perso_state(uint8_t v)
{
	static const char *const names[] = {
		"unknown",       "in-progress",       "ready",
		"code-required", "puk-code-required", "permanently-blocked"
	};

	return v < sizeof(names) / sizeof(names[0]) ? names[v] : NULL;
}

static const char *pin_name(uint8_t v)
{
	return qmi_enum_name(&qmi_enum_uim_pin_state, v);
}

/* A PIN state's name, or its number when no table names it. */
#define PIN_STATE(v) QCLI_ENUM(pin_name(v), (v))

/* The PLMN of Get Serving System as digits: the MNC has three when the PCS digit TLV says
 * so for this very MNC. -EINVAL for numbers no PLMN has. */
static int plmn(const struct qmi_nas_get_serving_system_resp *s, struct qmi_plmn_str *p)
{
	bool mnc3 = s->has_mnc_pcs_digit && s->mnc_pcs_digit.includes_pcs_digit &&
		    s->mnc_pcs_digit.mcc == s->current_plmn.mcc &&
		    s->mnc_pcs_digit.mnc == s->current_plmn.mnc;

	return qmi_plmn_from_numbers(s->current_plmn.mcc, s->current_plmn.mnc, mnc3, p);
}

static void human_session(FILE *o, const char *label, uint16_t index)
{
	if (index == 0xFFFF)
		fprintf(o, "\t%s session doesn't exist\n", label);
	else
		fprintf(o, "\t%s slot '%u', application '%u'\n", label, (index >> 8) + 1,
			(index & 0xFF) + 1);
}

static void human_card(struct qcli *cli, const struct qmi_uim_card_status *cs)
{
	FILE *o = cli->out;
	char buf[96];

	fprintf(o, "[%s] Successfully got card status\n", cli->devname);
	fprintf(o, "Provisioning applications:\n");
	human_session(o, "Primary GW:  ", cs->index_gw_primary);
	human_session(o, "Primary 1X:  ", cs->index_1x_primary);
	human_session(o, "Secondary GW:", cs->index_gw_secondary);
	human_session(o, "Secondary 1X:", cs->index_1x_secondary);
	for (unsigned i = 0; i < cs->n_cards; i++) {
		const struct qmi_uim_card *c = &cs->cards[i];

		fprintf(o, "Slot [%u]:\n\tCard state: '%s'\n", i + 1,
			qcli_card_state_str(c, buf, sizeof(buf)));
		fprintf(o, "\tUPIN state: '%s'\n\t\tUPIN retries: '%u'\n\t\tUPUK retries: '%u'\n",
			PIN_STATE(c->upin_state), c->upin_retries, c->upuk_retries);
		for (unsigned k = 0; k < c->n_applications; k++) {
			const struct qmi_uim_app *a = &c->applications[k];

			fprintf(o,
				"\tApplication [%u]:\n"
				"\t\tApplication type:  '%s (%u)'\n"
				"\t\tApplication state: '%s'\n"
				"\t\tApplication ID:\n\t\t\t",
				k + 1, qcli_name(qmi_enum_name(&qmi_enum_uim_app_type, a->type)),
				a->type, QCLI_ENUM(qmi_uim_app_state_name(a->state), a->state));
			for (unsigned b = 0; b < a->n_aid; b++)
				fprintf(o, "%s%02X", b ? ":" : "", a->aid[b]);
			fprintf(o, "\n\t\tPersonalization state: '%s'\n",
				QCLI_ENUM(perso_state(a->personalization_state),
					  a->personalization_state));
			fprintf(o, "\t\tUPIN replaces PIN1: '%s'\n",
				a->upin_replaces_pin1 ? "yes" : "no");
			fprintf(o,
				"\t\tPIN1 state: '%s'\n\t\t\tPIN1 retries: '%u'\n"
				"\t\t\tPUK1 retries: '%u'\n"
				"\t\tPIN2 state: '%s'\n\t\t\tPIN2 retries: '%u'\n"
				"\t\t\tPUK2 retries: '%u'\n",
				PIN_STATE(a->pin1_state), a->pin1_retries, a->puk1_retries,
				PIN_STATE(a->pin2_state), a->pin2_retries, a->puk2_retries);
		}
	}
}

static void human_serving(struct qcli *cli, const struct qmi_nas_get_serving_system_resp *s)
{
	FILE *o = cli->out;

	fprintf(o, "[%s] Successfully got serving system:\n", cli->devname);
	if (s->has_serving_system) {
		const struct qmi_nas_serving_system *ss = &s->serving_system;

		fprintf(o,
			"\tRegistration state: '%s'\n\tCS: '%s'\n\tPS: '%s'\n"
			"\tSelected network: '%s'\n\tRadio interfaces: '%u'\n",
			QCLI_ENUM(qmi_nas_registration_state_name(ss->registration_state),
				  ss->registration_state),
			QCLI_ENUM(qmi_nas_attach_state_name(ss->cs_attach_state),
				  ss->cs_attach_state),
			QCLI_ENUM(qmi_nas_attach_state_name(ss->ps_attach_state),
				  ss->ps_attach_state),
			QCLI_ENUM(qmi_enum_name(&qmi_enum_nas_network_type, ss->selected_network),
				  ss->selected_network),
			ss->n_radio_interfaces);
		for (unsigned i = 0; i < ss->n_radio_interfaces; i++)
			fprintf(o, "\t\t[%u]: '%s'\n", i,
				QCLI_ENUM(qmi_nas_radio_interface_name(ss->radio_interfaces[i]),
					  ss->radio_interfaces[i]));
	}
	if (s->has_roaming_indicator)
		fprintf(o, "\tRoaming status: '%s'\n",
			QCLI_ENUM(qmi_enum_name(&qmi_enum_nas_roaming_indicator,
						s->roaming_indicator),
				  s->roaming_indicator));
	if (s->has_data_service_capability) {
		fprintf(o, "\tData service capabilities: '%u'\n", s->n_data_service_capability);
		for (unsigned i = 0; i < s->n_data_service_capability; i++)
			fprintf(o, "\t\t[%u]: '%s'\n", i,
				QCLI_ENUM(qmi_enum_name(&qmi_enum_nas_data_capability,
							s->data_service_capability[i]),
					  s->data_service_capability[i]));
	}
	if (s->has_current_plmn) {
		struct qmi_plmn_str p;
		char esc[QCLI_ESC_MAX];

		bool valid = plmn(s, &p) == 0;

		fprintf(o, "\tCurrent PLMN:\n\t\tMCC: '%s'\n\t\tMNC: '%s'\n\t\tDescription: '%s'\n",
			valid ? p.mcc : "unknown", valid ? p.mnc : "unknown",
			qcli_esc(s->current_plmn.description, esc, sizeof(esc)));
	}
	if (s->has_lac)
		fprintf(o, "\t3GPP location area code: '%u'\n", s->lac);
	if (s->has_cid)
		fprintf(o, "\t3GPP cell ID: '%u'\n", s->cid);
	if (s->has_lte_tac)
		fprintf(o, "\tLTE tracking area code: '%u'\n", s->lte_tac);
}

static void json_card(struct qcli_json *j, const struct qmi_uim_card_status *cs)
{
	const struct qmi_uim_card *c = qcli_primary_card(cs);
	char buf[96];

	qcli_json_obj_begin(j, "sim");
	qcli_json_str(j, "card_state", qcli_card_state_str(c, buf, sizeof(buf)));
	qcli_json_bool(j, "present", c && c->card_state == QMI_UIM_CARD_STATE_PRESENT);
	if (c) {
		qcli_json_enum(j, "upin_state", pin_name(c->upin_state), c->upin_state);
		qcli_json_arr_begin(j, "applications");
		for (unsigned k = 0; k < c->n_applications; k++) {
			const struct qmi_uim_app *a = &c->applications[k];

			qcli_json_obj_begin(j, NULL);
			qcli_json_enum(j, "type", qmi_enum_name(&qmi_enum_uim_app_type, a->type),
				       a->type);
			qcli_json_enum(j, "state", qmi_uim_app_state_name(a->state), a->state);
			qcli_json_hex(j, "aid", a->aid, a->n_aid);
			qcli_json_enum(j, "pin1_state", pin_name(a->pin1_state), a->pin1_state);
			qcli_json_uint(j, "pin1_retries", a->pin1_retries);
			qcli_json_uint(j, "puk1_retries", a->puk1_retries);
			qcli_json_obj_end(j);
		}
		qcli_json_arr_end(j);
	}
	qcli_json_obj_end(j);
}

static void json_serving(struct qcli_json *j, const struct qmi_nas_get_serving_system_resp *s)
{
	qcli_json_obj_begin(j, "registration");
	if (s->has_serving_system) {
		const struct qmi_nas_serving_system *ss = &s->serving_system;

		qcli_json_enum(j, "state", qmi_nas_registration_state_name(ss->registration_state),
			       ss->registration_state);
		qcli_json_enum(j, "cs", qmi_nas_attach_state_name(ss->cs_attach_state),
			       ss->cs_attach_state);
		qcli_json_enum(j, "ps", qmi_nas_attach_state_name(ss->ps_attach_state),
			       ss->ps_attach_state);
		qcli_json_enum(j, "selected_network",
			       qmi_enum_name(&qmi_enum_nas_network_type, ss->selected_network),
			       ss->selected_network);
		qcli_json_arr_begin(j, "radio_interfaces");
		for (unsigned i = 0; i < ss->n_radio_interfaces; i++)
			qcli_json_enum(j, NULL,
				       qmi_nas_radio_interface_name(ss->radio_interfaces[i]),
				       ss->radio_interfaces[i]);
		qcli_json_arr_end(j);
	}
	if (s->has_roaming_indicator)
		qcli_json_enum(j, "roaming",
			       qmi_enum_name(&qmi_enum_nas_roaming_indicator, s->roaming_indicator),
			       s->roaming_indicator);
	if (s->has_current_plmn) {
		struct qmi_plmn_str p;
		bool valid = plmn(s, &p) == 0;

		qcli_json_str(j, "mcc", valid ? p.mcc : NULL);
		qcli_json_str(j, "mnc", valid ? p.mnc : NULL);
		qcli_json_str(j, "description", s->current_plmn.description);
	}
	if (s->has_lac)
		qcli_json_uint(j, "lac", s->lac);
	if (s->has_cid)
		qcli_json_uint(j, "cell_id", s->cid);
	if (s->has_lte_tac)
		qcli_json_uint(j, "tac", s->lte_tac);
	qcli_json_obj_end(j);
}

void qcli_status_print_serving(struct qcli *cli, const struct qmi_nas_get_serving_system_resp *s)
{
	if (cli->js)
		json_serving(cli->js, s);
	else
		human_serving(cli, s);
}

void qcli_status_print_card(struct qcli *cli, const struct qmi_uim_card_status *cs)
{
	if (cli->js)
		json_card(cli->js, cs);
	else
		human_card(cli, cs);
}

static bool refused(const struct qcli_req *r)
{
	return !r->skip && !r->err && r->result.status;
}

static void render(struct qcli *cli, const struct status *st)
{
	const struct qcli_req *r = st->req;
	uint8_t conn = st->ps.connection_status;
	char qe[64];

	if (cli->js) {
		if (!r[R_CARD].skip && !refused(&r[R_CARD]) && st->card.has_card_status)
			json_card(cli->js, &st->card.card_status);
		else
			qcli_json_null(cli->js, "sim");
		json_serving(cli->js, &st->ss);
		if (refused(&r[R_PACKET])) {
			qcli_json_null(cli->js, "packet_service");
		} else {
			qcli_json_obj_begin(cli->js, "packet_service");
			if (st->ps.has_connection_status)
				qcli_json_enum(cli->js, "status",
					       qmi_wds_connection_status_name(conn), conn);
			else
				qcli_json_null(cli->js, "status");
			qcli_json_obj_end(cli->js);
		}
		qcli_json_obj_begin(cli->js, "unavailable");
		if (st->uim_refused)
			qcli_json_qmi_error(cli, "sim", st->uim_result.error);
		else if (refused(&r[R_CARD]))
			qcli_json_qmi_error(cli, "sim", r[R_CARD].result.error);
		if (refused(&r[R_PACKET]))
			qcli_json_qmi_error(cli, "packet_service", r[R_PACKET].result.error);
		qcli_json_obj_end(cli->js);
		return;
	}
	if (st->uim_refused)
		fprintf(cli->out, "[%s] Card status not available: %s\n", cli->devname,
			qcli_qmi_error_str(st->uim_result.error, qe, sizeof(qe)));
	else if (refused(&r[R_CARD]))
		fprintf(cli->out, "[%s] Card status not available: %s\n", cli->devname,
			qcli_qmi_error_str(r[R_CARD].result.error, qe, sizeof(qe)));
	else if (st->card.has_card_status)
		human_card(cli, &st->card.card_status);
	human_serving(cli, &st->ss);
	if (refused(&r[R_PACKET]))
		fprintf(cli->out, "[%s] Connection status not available: %s\n", cli->devname,
			qcli_qmi_error_str(r[R_PACKET].result.error, qe, sizeof(qe)));
	else
		fprintf(cli->out, "[%s] Connection status: '%s'\n", cli->devname,
			st->ps.has_connection_status
				? QCLI_ENUM(qmi_wds_connection_status_name(conn), conn)
				: "unknown");
}

int qcli_cmd_status(struct qcli *cli, int argc, char **argv)
{
	struct status st;
	uint8_t uim = 0, nas = 0, wds = 0;
	int rc, err;

	rc = qcli_command_open(cli, argc, argv);
	if (rc >= 0)
		return rc;
	memset(&st, 0, sizeof(st));
	/* On Qualcomm modems packet service status is per WDS client: through a running
	 * `connect`'s share, ask the client that holds the call rather than a fresh one. */
	wds = qcli_connection_wds_cid(cli);
	rc = wds ? QCLI_EXIT_OK : qcli_client(cli, QMI_SVC_WDS, &wds);
	if (!rc)
		rc = qcli_client(cli, QMI_SVC_NAS, &nas);
	if (rc)
		return rc;
	err = qcli_client_try(cli, QMI_SVC_UIM, &uim, &st.uim_result);
	if (err == -QB_EMODEM)
		st.uim_refused = true;
	else if (err)
		return qcli_report(cli, "couldn't allocate a uim client", err, NULL);

	st.req[R_CARD] = (struct qcli_req){
		.svc = QMI_SVC_UIM,
		.cid = uim,
		.skip = st.uim_refused,
		.req_def = &qmi_uim_get_card_status_req_def,
		.resp_def = &qmi_uim_get_card_status_resp_def,
		.resp = &st.card,
	};
	st.req[R_SERVING] = (struct qcli_req){
		.svc = QMI_SVC_NAS,
		.cid = nas,
		.req_def = &qmi_nas_get_serving_system_req_def,
		.resp_def = &qmi_nas_get_serving_system_resp_def,
		.resp = &st.ss,
	};
	st.req[R_PACKET] = (struct qcli_req){
		.svc = QMI_SVC_WDS,
		.cid = wds,
		.req_def = &qmi_wds_get_packet_service_status_req_def,
		.resp_def = &qmi_wds_get_packet_service_status_resp_def,
		.resp = &st.ps,
	};
	err = qcli_batch(cli, st.req, R_N);
	if (err)
		return qcli_report(cli, "couldn't complete the requests", err, NULL);
	/* No answer at all, or the primary query refused: nothing trustworthy to show. */
	for (int i = 0; i < R_N; i++) {
		if (st.req[i].err || (i == R_SERVING && refused(&st.req[i]))) {
			rc = qcli_req_check(cli, &st.req[i], what[i]);
			break;
		}
	}
	if (rc)
		return rc;
	render(cli, &st);
	return qcli_status_connection(cli);
}
