/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb signal`: NAS Get Signal Info (per radio) and Get Signal Strength, in the layouts of
 * qmicli's --nas-get-signal-info and --nas-get-signal-strength. Older firmware lacks one of the
 * two; the command fails only when the modem refuses both.
 */
#include <string.h>

#include "cli/cli.h"
#include "qmi/messages.h"

enum {
	R_INFO,
	R_STRENGTH,
	R_N
};

#define NR5G_NONE ((int16_t)0x8000) /* EN-DC: 5G leg not connected */

/* QmiNasEvdoSinrLevel -> dB, as qmicli converts it. */
static bool sinr_db(uint8_t level, double *db)
{
	static const double table[] = { -9.0, -6.0, -4.5, -3.0, -2.0, 1.0, 3.0, 6.0, 9.0 };

	if (level >= sizeof(table) / sizeof(table[0]))
		return false;
	*db = table[level];
	return true;
}

/* A radio interface's name, or its number when no table names it. */
#define RADIO(r) QCLI_ENUM(qmi_nas_radio_interface_name(r), (r))

static void human_sinr(FILE *o, const char *prefix, uint8_t level)
{
	double db;

	if (sinr_db(level, &db))
		fprintf(o, "%sSINR (%u): '%.1f dB'\n", prefix, level, db);
	else
		fprintf(o, "%sSINR (%u): N/A'\n", prefix, level);
}

static void human_info(struct qcli *cli, const struct qmi_nas_get_signal_info_resp *s)
{
	FILE *o = cli->out;

	fprintf(o, "[%s] Successfully got signal info\n", cli->devname);
	if (s->has_cdma)
		fprintf(o, "CDMA:\n\tRSSI: '%d dBm'\n\tECIO: '%.1f dBm'\n", s->cdma.rssi,
			-0.5 * s->cdma.ecio);
	if (s->has_hdr) {
		fprintf(o, "HDR:\n\tRSSI: '%d dBm'\n\tECIO: '%.1f dBm'\n\tIO: '%d dBm'\n",
			s->hdr.rssi, -0.5 * s->hdr.ecio, s->hdr.io);
		human_sinr(o, "\t", s->hdr.sinr);
	}
	if (s->has_gsm)
		fprintf(o, "GSM:\n\tRSSI: '%d dBm'\n", s->gsm);
	if (s->has_wcdma)
		fprintf(o, "WCDMA:\n\tRSSI: '%d dBm'\n\tECIO: '%.1f dBm'\n", s->wcdma.rssi,
			-0.5 * s->wcdma.ecio);
	if (s->has_wcdma_rscp)
		fprintf(o, "\tRSCP: '%d dBm'\n", -1 * s->wcdma_rscp);
	if (s->has_lte)
		fprintf(o,
			"LTE:\n\tRSSI: '%d dBm'\n\tRSRQ: '%d dB'\n\tRSRP: '%d dBm'\n"
			"\tSNR: '%.1f dB'\n",
			s->lte.rssi, s->lte.rsrq, s->lte.rsrp, 0.1 * s->lte.snr);
	if (s->has_tdma)
		fprintf(o, "TDMA:\n\tRSCP: '%d dBm'\n", s->tdma);
	if (s->has_tdma_ext)
		fprintf(o, "\tRSSI: '%d dB'\n\tRSCP: '%d dBm'\n\tECIO: '%d dBm'\n\tSINR: '%d dB'\n",
			s->tdma_ext.rssi, s->tdma_ext.rscp, s->tdma_ext.ecio, s->tdma_ext.sinr);
	if (s->has_nr5g) {
		fprintf(o, "5G:\n");
		if (s->nr5g.rsrp == NR5G_NONE)
			fprintf(o, "\tRSRP: 'n/a'\n");
		else
			fprintf(o, "\tRSRP: '%d dBm'\n", s->nr5g.rsrp);
		if (s->nr5g.snr == NR5G_NONE)
			fprintf(o, "\tSNR: 'n/a'\n");
		else
			fprintf(o, "\tSNR: '%.1f dB'\n", 0.1 * s->nr5g.snr);
	}
	if (s->has_nr5g_rsrq) {
		if (s->nr5g_rsrq == NR5G_NONE)
			fprintf(o, "\tRSRQ: 'n/a'\n");
		else
			fprintf(o, "\tRSRQ: '%d dB'\n", s->nr5g_rsrq);
	}
}

static void human_strength(struct qcli *cli, const struct qmi_nas_get_signal_strength_resp *s)
{
	FILE *o = cli->out;

	fprintf(o, "[%s] Successfully got signal strength\n", cli->devname);
	if (s->has_signal_strength)
		fprintf(o, "Current:\n\tNetwork '%s': '%d dBm'\n",
			RADIO(s->signal_strength.radio_interface), s->signal_strength.strength);
	if (s->has_strength_list) {
		fprintf(o, "Other:\n");
		for (unsigned i = 0; i < s->n_strength_list; i++)
			fprintf(o, "\tNetwork '%s': '%d dBm'\n",
				RADIO(s->strength_list[i].radio_interface),
				s->strength_list[i].strength);
	}
	if (s->has_rssi_list) {
		fprintf(o, "RSSI:\n");
		for (unsigned i = 0; i < s->n_rssi_list; i++)
			fprintf(o, "\tNetwork '%s': '%d dBm'\n",
				RADIO(s->rssi_list[i].radio_interface), -1 * s->rssi_list[i].rssi);
	}
	if (s->has_ecio_list) {
		fprintf(o, "ECIO:\n");
		for (unsigned i = 0; i < s->n_ecio_list; i++)
			fprintf(o, "\tNetwork '%s': '%.1f dBm'\n",
				RADIO(s->ecio_list[i].radio_interface),
				-0.5 * s->ecio_list[i].ecio);
	}
	if (s->has_io)
		fprintf(o, "IO: '%d dBm'\n", s->io);
	if (s->has_sinr)
		human_sinr(o, "", s->sinr);
	if (s->has_rsrq)
		fprintf(o, "RSRQ:\n\tNetwork '%s': '%d dB'\n", RADIO(s->rsrq.radio_interface),
			s->rsrq.rsrq);
	if (s->has_lte_snr)
		fprintf(o, "SNR:\n\tNetwork 'lte': '%.1f dB'\n", 0.1 * s->lte_snr);
	if (s->has_lte_rsrp)
		fprintf(o, "RSRP:\n\tNetwork 'lte': '%d dBm'\n", s->lte_rsrp);
}

static void json_sinr(struct qcli_json *j, uint8_t level)
{
	double db;

	qcli_json_uint(j, "sinr_level", level);
	if (sinr_db(level, &db))
		qcli_json_fixed(j, "sinr", db, 1);
	else
		qcli_json_null(j, "sinr");
}

static void json_nr5g(struct qcli_json *j, const char *key, int16_t v, double scale, int dec)
{
	if (v == NR5G_NONE)
		qcli_json_null(j, key);
	else
		qcli_json_fixed(j, key, scale * v, dec);
}

static void json_info(struct qcli_json *j, const struct qmi_nas_get_signal_info_resp *s)
{
	qcli_json_obj_begin(j, "signal_info");
	if (s->has_cdma) {
		qcli_json_obj_begin(j, "cdma");
		qcli_json_int(j, "rssi", s->cdma.rssi);
		qcli_json_fixed(j, "ecio", -0.5 * s->cdma.ecio, 1);
		qcli_json_obj_end(j);
	}
	if (s->has_hdr) {
		qcli_json_obj_begin(j, "hdr");
		qcli_json_int(j, "rssi", s->hdr.rssi);
		qcli_json_fixed(j, "ecio", -0.5 * s->hdr.ecio, 1);
		qcli_json_int(j, "io", s->hdr.io);
		json_sinr(j, s->hdr.sinr);
		qcli_json_obj_end(j);
	}
	if (s->has_gsm) {
		qcli_json_obj_begin(j, "gsm");
		qcli_json_int(j, "rssi", s->gsm);
		qcli_json_obj_end(j);
	}
	if (s->has_wcdma || s->has_wcdma_rscp) {
		qcli_json_obj_begin(j, "wcdma");
		if (s->has_wcdma) {
			qcli_json_int(j, "rssi", s->wcdma.rssi);
			qcli_json_fixed(j, "ecio", -0.5 * s->wcdma.ecio, 1);
		}
		if (s->has_wcdma_rscp)
			qcli_json_int(j, "rscp", -1 * s->wcdma_rscp);
		qcli_json_obj_end(j);
	}
	if (s->has_lte) {
		qcli_json_obj_begin(j, "lte");
		qcli_json_int(j, "rssi", s->lte.rssi);
		qcli_json_int(j, "rsrq", s->lte.rsrq);
		qcli_json_int(j, "rsrp", s->lte.rsrp);
		qcli_json_fixed(j, "snr", 0.1 * s->lte.snr, 1);
		qcli_json_obj_end(j);
	}
	if (s->has_tdma || s->has_tdma_ext) {
		qcli_json_obj_begin(j, "tdma");
		if (s->has_tdma)
			qcli_json_int(j, "rscp", s->tdma);
		if (s->has_tdma_ext) {
			qcli_json_int(j, "ext_rssi", s->tdma_ext.rssi);
			qcli_json_int(j, "ext_rscp", s->tdma_ext.rscp);
			qcli_json_int(j, "ext_ecio", s->tdma_ext.ecio);
			qcli_json_int(j, "ext_sinr", s->tdma_ext.sinr);
		}
		qcli_json_obj_end(j);
	}
	if (s->has_nr5g || s->has_nr5g_rsrq) {
		qcli_json_obj_begin(j, "5g");
		if (s->has_nr5g) {
			json_nr5g(j, "rsrp", s->nr5g.rsrp, 1.0, 0);
			json_nr5g(j, "snr", s->nr5g.snr, 0.1, 1);
		}
		if (s->has_nr5g_rsrq)
			json_nr5g(j, "rsrq", s->nr5g_rsrq, 1.0, 0);
		qcli_json_obj_end(j);
	}
	qcli_json_obj_end(j);
}

static void json_radio_dbm(struct qcli_json *j, int8_t r, double dbm, int dec)
{
	qcli_json_obj_begin(j, NULL);
	qcli_json_enum(j, "radio", qmi_nas_radio_interface_name(r), r);
	qcli_json_fixed(j, "dbm", dbm, dec);
	qcli_json_obj_end(j);
}

static void json_strength(struct qcli_json *j, const struct qmi_nas_get_signal_strength_resp *s)
{
	qcli_json_obj_begin(j, "signal_strength");
	if (s->has_signal_strength) {
		qcli_json_obj_begin(j, "current");
		qcli_json_enum(j, "radio",
			       qmi_nas_radio_interface_name(s->signal_strength.radio_interface),
			       s->signal_strength.radio_interface);
		qcli_json_int(j, "dbm", s->signal_strength.strength);
		qcli_json_obj_end(j);
	}
	if (s->has_strength_list) {
		qcli_json_arr_begin(j, "other");
		for (unsigned i = 0; i < s->n_strength_list; i++)
			json_radio_dbm(j, s->strength_list[i].radio_interface,
				       s->strength_list[i].strength, 0);
		qcli_json_arr_end(j);
	}
	if (s->has_rssi_list) {
		qcli_json_arr_begin(j, "rssi_list");
		for (unsigned i = 0; i < s->n_rssi_list; i++)
			json_radio_dbm(j, s->rssi_list[i].radio_interface,
				       -1.0 * s->rssi_list[i].rssi, 0);
		qcli_json_arr_end(j);
	}
	if (s->has_ecio_list) {
		qcli_json_arr_begin(j, "ecio_list");
		for (unsigned i = 0; i < s->n_ecio_list; i++)
			json_radio_dbm(j, s->ecio_list[i].radio_interface,
				       -0.5 * s->ecio_list[i].ecio, 1);
		qcli_json_arr_end(j);
	}
	if (s->has_io)
		qcli_json_int(j, "io", s->io);
	if (s->has_sinr)
		json_sinr(j, s->sinr);
	if (s->has_rsrq) {
		qcli_json_obj_begin(j, "rsrq_radio");
		qcli_json_enum(j, "radio", qmi_nas_radio_interface_name(s->rsrq.radio_interface),
			       s->rsrq.radio_interface);
		qcli_json_int(j, "db", s->rsrq.rsrq);
		qcli_json_obj_end(j);
	}
	if (s->has_lte_snr)
		qcli_json_fixed(j, "lte_snr", 0.1 * s->lte_snr, 1);
	if (s->has_lte_rsrp)
		qcli_json_int(j, "lte_rsrp", s->lte_rsrp);
	qcli_json_obj_end(j);
}

int qcli_cmd_signal(struct qcli *cli, int argc, char **argv)
{
	struct qmi_nas_get_signal_info_resp info;
	struct qmi_nas_get_signal_strength_resp strength;
	const struct qmi_nas_get_signal_strength_req mask = {
		.has_request_mask = true,
		.request_mask = QMI_NAS_SIGNAL_REQUEST_RSSI | QMI_NAS_SIGNAL_REQUEST_ECIO |
				QMI_NAS_SIGNAL_REQUEST_IO | QMI_NAS_SIGNAL_REQUEST_SINR |
				QMI_NAS_SIGNAL_REQUEST_RSRQ | QMI_NAS_SIGNAL_REQUEST_LTE_SNR |
				QMI_NAS_SIGNAL_REQUEST_LTE_RSRP,
	};
	struct qcli_req r[R_N] = {
		[R_INFO] = { .req_def = &qmi_nas_get_signal_info_req_def,
			     .resp_def = &qmi_nas_get_signal_info_resp_def,
			     .resp = &info },
		[R_STRENGTH] = { .req_def = &qmi_nas_get_signal_strength_req_def,
				 .req = &mask,
				 .resp_def = &qmi_nas_get_signal_strength_resp_def,
				 .resp = &strength },
	};
	static const char *const what[R_N] = { "couldn't get signal info",
					       "couldn't get signal strength" };
	static const char *const keys[R_N] = { "signal_info", "signal_strength" };
	static const char *const titles[R_N] = { "Signal info", "Signal strength" };
	uint8_t nas;
	int rc, err;
	bool refused[R_N];

	rc = qcli_command_noargs(cli, argc, argv);
	if (rc >= 0)
		return rc;
	rc = qcli_session_client(cli, QMI_SVC_NAS, &nas);
	if (rc)
		return rc;
	for (int i = 0; i < R_N; i++) {
		r[i].svc = QMI_SVC_NAS;
		r[i].cid = nas;
	}
	err = qcli_batch(cli, r, R_N);
	if (err)
		return qcli_report(cli, "couldn't complete the requests", err, NULL);
	/* No answer at all is a device problem whatever the other request got. */
	for (int i = 0; i < R_N; i++)
		if (r[i].err)
			return qcli_req_check(cli, &r[i], what[i]);
	for (int i = 0; i < R_N; i++)
		refused[i] = r[i].result.status != 0;
	if (refused[R_INFO] && refused[R_STRENGTH]) {
		rc = qcli_req_check(cli, &r[R_INFO], what[R_INFO]);
		qcli_req_check(cli, &r[R_STRENGTH], what[R_STRENGTH]);
		return rc;
	}

	if (cli->js) {
		if (!refused[R_INFO])
			json_info(cli->js, &info);
		if (!refused[R_STRENGTH])
			json_strength(cli->js, &strength);
		qcli_json_obj_begin(cli->js, "unavailable");
		for (int i = 0; i < R_N; i++)
			if (refused[i])
				qcli_json_qmi_error(cli, keys[i], r[i].result.error);
		qcli_json_obj_end(cli->js);
		return QCLI_EXIT_OK;
	}
	for (int i = 0; i < R_N; i++) {
		char qe[64];

		if (refused[i])
			fprintf(cli->out, "[%s] %s not available: %s\n", cli->devname, titles[i],
				qcli_qmi_error_str(r[i].result.error, qe, sizeof(qe)));
		else if (i == R_INFO)
			human_info(cli, &info);
		else
			human_strength(cli, &strength);
	}
	return QCLI_EXIT_OK;
}
