/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb radio [show | set [--modes LIST] [--lte-bands LIST]]`: the access technologies and
 * bands the modem may use (NAS System Selection Preference), what it can do (DMS Get Band
 * Capabilities) and the cell it is on (NAS Get Cell Location Info), in qmicli's layouts.
 * `show` prints every section the modem answered and names each refusal.
 */
#include <errno.h>
#include <string.h>

#include "base/errors.h"
#include "cli/online.h"
#include "cli/optparse.h"
#include "qmi/messages.h"

static const struct {
	const char *word;
	uint16_t bit;
} mode_words[] = {
	{ "gsm", QMI_NAS_RAT_MODE_PREF_GSM },
	{ "2g", QMI_NAS_RAT_MODE_PREF_GSM },
	{ "umts", QMI_NAS_RAT_MODE_PREF_UMTS },
	{ "3g", QMI_NAS_RAT_MODE_PREF_UMTS },
	{ "lte", QMI_NAS_RAT_MODE_PREF_LTE },
	{ "4g", QMI_NAS_RAT_MODE_PREF_LTE },
	{ "5g", QMI_NAS_RAT_MODE_PREF_5GNR },
	{ "5gnr", QMI_NAS_RAT_MODE_PREF_5GNR },
	{ "cdma-1x", QMI_NAS_RAT_MODE_PREF_CDMA_1X },
	{ "cdma-1xevdo", QMI_NAS_RAT_MODE_PREF_CDMA_1XEVDO },
	{ "td-scdma", QMI_NAS_RAT_MODE_PREF_TD_SCDMA },
};

/* "lte,5g" into a mode mask. 0 or -EINVAL. */
static int parse_modes(const char *s, uint16_t *out)
{
	*out = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		bool found = false;

		for (size_t i = 0; i < sizeof(mode_words) / sizeof(mode_words[0]); i++) {
			if (strlen(mode_words[i].word) == n && !strncmp(s, mode_words[i].word, n)) {
				*out |= mode_words[i].bit;
				found = true;
			}
		}
		if (!found)
			return -EINVAL;
		s += n;
		if (*s == ',' && *++s == '\0')
			return -EINVAL;
	}
	return *out ? 0 : -EINVAL;
}

/* "1,3,7,20" into the LTE band mask (band n is bit n-1; the mask covers bands 1 to 64). */
static int parse_bands(const char *s, uint64_t *out)
{
	*out = 0;
	while (*s) {
		char num[8];
		size_t n = strcspn(s, ",");
		unsigned long b;

		if (!n || n >= sizeof(num))
			return -EINVAL;
		memcpy(num, s, n);
		num[n] = '\0';
		if (qcli_parse_uint(num, 64, &b) < 0 || !b)
			return -EINVAL;
		*out |= 1ull << (b - 1);
		s += n;
		if (*s == ',' && *++s == '\0')
			return -EINVAL;
	}
	return *out ? 0 : -EINVAL;
}

/* Section refused or lost: named on stderr and under "unavailable"; the exit code is the
 * primary query's. */
static void unavailable(struct qcli *cli, const char *section, const char *what, int err,
			const struct qmi_result *res)
{
	char qe[64];

	if (err) {
		fprintf(cli->err, "[%s] %s not available: %s\n", cli->devname, what,
			qb_strerror(-err));
		return;
	}
	fprintf(cli->err, "[%s] %s not available: %s\n", cli->devname, what,
		qcli_qmi_error_str(res->error, qe, sizeof(qe)));
	if (cli->js) {
		qcli_json_obj_begin(cli->js, section);
		qcli_json_qmi_error(cli, "error", res->error);
		qcli_json_obj_end(cli->js);
	}
}

static void show_pref(struct qcli *cli,
		      const struct qmi_nas_get_system_selection_preference_resp *p)
{
	char buf[1024];

	if (cli->js) {
		qcli_json_obj_begin(cli->js, "preference");
		if (p->has_mode_preference)
			qcli_json_str(cli->js, "modes",
				      qcli_mask_str(&qmi_enum_nas_rat_mode_pref, p->mode_preference,
						    buf, sizeof(buf)));
		if (p->has_band_preference)
			qcli_json_str(cli->js, "band_preference",
				      qcli_mask_str(&qmi_enum_nas_band_pref, p->band_preference,
						    buf, sizeof(buf)));
		if (p->has_roaming_preference)
			qcli_json_enum(cli->js, "roaming_preference",
				       qmi_enum_name(&qmi_enum_nas_roaming_pref,
						     p->roaming_preference),
				       p->roaming_preference);
		if (p->has_lte_band_preference) {
			qcli_json_arr_begin(cli->js, "lte_bands");
			for (unsigned b = 0; b < 64; b++)
				if (p->lte_band_preference & (1ull << b))
					qcli_json_uint(cli->js, NULL, b + 1);
			qcli_json_arr_end(cli->js);
		}
		if (p->has_network_selection)
			qcli_json_enum(cli->js, "network_selection",
				       qmi_enum_name(&qmi_enum_nas_network_selection_pref,
						     p->network_selection),
				       p->network_selection);
		qcli_json_obj_end(cli->js);
		return;
	}
	fprintf(cli->out, "[%s] Successfully got system selection preference\n", cli->devname);
	if (p->has_emergency_mode)
		fprintf(cli->out, "\tEmergency mode: '%s'\n", p->emergency_mode ? "yes" : "no");
	if (p->has_mode_preference)
		fprintf(cli->out, "\tMode preference: '%s'\n",
			qcli_mask_str(&qmi_enum_nas_rat_mode_pref, p->mode_preference, buf,
				      sizeof(buf)));
	if (p->has_band_preference)
		fprintf(cli->out, "\tBand preference: '%s'\n",
			qcli_mask_str(&qmi_enum_nas_band_pref, p->band_preference, buf,
				      sizeof(buf)));
	if (p->has_lte_band_preference)
		fprintf(cli->out, "\tLTE band preference: '%s'\n",
			qcli_mask_str(&qmi_enum_nas_lte_band, p->lte_band_preference, buf,
				      sizeof(buf)));
	if (p->has_roaming_preference)
		fprintf(cli->out, "\tRoaming preference: '%s'\n",
			QCLI_ENUM(qmi_enum_name(&qmi_enum_nas_roaming_pref, p->roaming_preference),
				  p->roaming_preference));
	if (p->has_network_selection)
		fprintf(cli->out, "\tNetwork selection preference: '%s'\n",
			QCLI_ENUM(qmi_enum_name(&qmi_enum_nas_network_selection_pref,
						p->network_selection),
				  p->network_selection));
}

static void show_caps(struct qcli *cli, const struct qmi_dms_get_band_capabilities_resp *c)
{
	char buf[1024];

	if (cli->js) {
		qcli_json_obj_begin(cli->js, "capabilities");
		if (c->has_band_capability)
			qcli_json_str(cli->js, "bands",
				      qcli_mask_str(&qmi_enum_dms_band_capability,
						    c->band_capability, buf, sizeof(buf)));
		qcli_json_arr_begin(cli->js, "lte_bands");
		if (c->has_extended_lte_bands) {
			for (unsigned i = 0; i < c->n_extended_lte_bands; i++)
				qcli_json_uint(cli->js, NULL, c->extended_lte_bands[i]);
		} else if (c->has_lte_band_capability) {
			for (unsigned b = 0; b < 64; b++)
				if (c->lte_band_capability & (1ull << b))
					qcli_json_uint(cli->js, NULL, b + 1);
		}
		qcli_json_arr_end(cli->js);
		qcli_json_arr_begin(cli->js, "nr5g_bands");
		for (unsigned i = 0; c->has_nr5g_bands && i < c->n_nr5g_bands; i++)
			qcli_json_uint(cli->js, NULL, c->nr5g_bands[i]);
		qcli_json_arr_end(cli->js);
		qcli_json_obj_end(cli->js);
		return;
	}
	fprintf(cli->out, "[%s] Device band capabilities retrieved:\n", cli->devname);
	if (c->has_band_capability)
		fprintf(cli->out, "\tBands: '%s'\n",
			qcli_mask_str(&qmi_enum_dms_band_capability, c->band_capability, buf,
				      sizeof(buf)));
	if (c->has_lte_band_capability)
		fprintf(cli->out, "\tLTE bands: '%s'\n",
			qcli_mask_str(&qmi_enum_dms_lte_band, c->lte_band_capability, buf,
				      sizeof(buf)));
	if (c->has_extended_lte_bands) {
		fprintf(cli->out, "\tLTE bands (extended): '");
		for (unsigned i = 0; i < c->n_extended_lte_bands; i++)
			fprintf(cli->out, "%s%u", i ? ", " : "", c->extended_lte_bands[i]);
		fprintf(cli->out, "'\n");
	}
	if (c->has_nr5g_bands) {
		fprintf(cli->out, "\tNR5G bands: '");
		for (unsigned i = 0; i < c->n_nr5g_bands; i++)
			fprintf(cli->out, "%s%u", i ? ", " : "", c->nr5g_bands[i]);
		fprintf(cli->out, "'\n");
	}
}

/* The BCD PLMN triplet as MCC and MNC digits; a two-digit MNC has an F in its third. */
static void plmn_str(const uint8_t p[3], char *mcc, char *mnc)
{
	static const char hex[] = "0123456789ABCDEF";

	mcc[0] = hex[p[0] & 0xF];
	mcc[1] = hex[p[0] >> 4];
	mcc[2] = hex[p[1] & 0xF];
	mcc[3] = '\0';
	mnc[0] = hex[p[2] & 0xF];
	mnc[1] = hex[p[2] >> 4];
	mnc[2] = (p[1] >> 4) == 0xF ? '\0' : hex[p[1] >> 4];
	mnc[3] = '\0';
}

static void show_cell(struct qcli *cli, const struct qmi_nas_get_cell_location_info_resp *c)
{
	const struct qmi_nas_lte_intra_info *l = &c->lte_info;
	char mcc[4], mnc[4];

	if (cli->js) {
		if (!c->has_lte_info) {
			qcli_json_null(cli->js, "cell");
			return;
		}
		plmn_str(l->plmn, mcc, mnc);
		qcli_json_obj_begin(cli->js, "cell");
		qcli_json_str(cli->js, "radio", "lte");
		qcli_json_str(cli->js, "mcc", mcc);
		qcli_json_str(cli->js, "mnc", mnc);
		qcli_json_uint(cli->js, "tac", l->tac);
		qcli_json_uint(cli->js, "global_cell_id", l->global_cell_id);
		qcli_json_uint(cli->js, "earfcn", l->earfcn);
		qcli_json_uint(cli->js, "pci", l->serving_cell_id);
		if (c->has_lte_timing_advance)
			qcli_json_uint(cli->js, "timing_advance_us", c->lte_timing_advance);
		qcli_json_obj_end(cli->js);
		return;
	}
	fprintf(cli->out, "[%s] Successfully got cell location info\n", cli->devname);
	if (c->has_lte_info) {
		plmn_str(l->plmn, mcc, mnc);
		fprintf(cli->out,
			"Intrafrequency LTE Info\n\tUE In Idle: '%s'\n\tPLMN: '%s%s'\n"
			"\tTracking Area Code: '%u'\n\tGlobal Cell ID: '%u'\n"
			"\tEUTRA Absolute RF Channel Number: '%u'\n\tServing Cell ID: '%u'\n",
			l->ue_in_idle ? "yes" : "no", mcc, mnc, l->tac, l->global_cell_id,
			l->earfcn, l->serving_cell_id);
		if (l->ue_in_idle)
			fprintf(cli->out,
				"\tCell Reselection Priority: '%u'\n"
				"\tS Non Intra Search Threshold: '%u'\n"
				"\tServing Cell Low Threshold: '%u'\n"
				"\tS Intra Search Threshold: '%u'\n",
				l->reselection_priority, l->s_non_intra_search,
				l->serving_low_threshold, l->s_intra_search);
		for (unsigned i = 0; i < l->n_cells; i++) {
			fprintf(cli->out,
				"\tCell [%u]:\n\t\tPhysical Cell ID: '%u'\n"
				"\t\tRSRQ: '%.1f' dB\n\t\tRSRP: '%.1f' dBm\n\t\tRSSI: '%.1f' dBm\n",
				i, l->cells[i].pci, l->cells[i].rsrq * 0.1, l->cells[i].rsrp * 0.1,
				l->cells[i].rssi * 0.1);
			if (l->ue_in_idle)
				fprintf(cli->out, "\t\tCell Selection RX Level: '%d'\n",
					l->cells[i].rx_level);
		}
	}
	if (c->has_lte_timing_advance)
		fprintf(cli->out, "LTE Timing Advance: '%u' us\n", c->lte_timing_advance);
}

static int show(struct qcli *cli, uint8_t nas, uint8_t dms)
{
	struct qmi_nas_get_system_selection_preference_resp p;
	struct qmi_dms_get_band_capabilities_resp caps;
	struct qmi_nas_get_cell_location_info_resp cell;
	struct qmi_result res;
	int err;

	err = qcli_call_keep(cli, nas, &qmi_nas_get_system_selection_preference_req_def, NULL,
			     &qmi_nas_get_system_selection_preference_resp_def, &p, &res);
	if (err || res.status)
		return qcli_report(cli, "couldn't get system selection preference", err, &res);
	show_pref(cli, &p);
	err = qcli_call_keep(cli, dms, &qmi_dms_get_band_capabilities_req_def, NULL,
			     &qmi_dms_get_band_capabilities_resp_def, &caps, &res);
	if (err || res.status)
		unavailable(cli, "capabilities_unavailable", "Band capabilities", err, &res);
	else
		show_caps(cli, &caps);
	err = qcli_call_keep(cli, nas, &qmi_nas_get_cell_location_info_req_def, NULL,
			     &qmi_nas_get_cell_location_info_resp_def, &cell, &res);
	if (err || res.status)
		unavailable(cli, "cell_unavailable", "Cell location info", err, &res);
	else
		show_cell(cli, &cell);
	return QCLI_EXIT_OK;
}

enum {
	O_HELP = 1,
	O_MODES,
	O_LTE_BANDS
};

int qcli_cmd_radio(struct qcli *cli, int argc, char **argv)
{
	static const struct qcli_optdef opts[] = {
		{ 'h', "help", false, O_HELP },
		{ 0, "modes", true, O_MODES },
		{ 0, "lte-bands", true, O_LTE_BANDS },
		{ 0, NULL, false, 0 },
	};
	struct qmi_nas_set_system_selection_preference_req q = { 0 };
	struct qcli_optscan s;
	struct qmi_result res;
	const char *op = NULL;
	bool set;
	uint8_t nas, dms;
	int id, rc, err;

	qcli_opt_init(&s, argc, argv, 1);
	for (;;) {
		id = qcli_opt_next(&s, opts);
		if (id == 0) {
			if (s.i >= argc)
				break;
			if (op)
				return qcli_usage_error(cli, "radio: too many arguments ('%s')",
							argv[s.i]);
			op = argv[s.i];
			qcli_opt_init(&s, argc, argv, s.i + 1);
			continue;
		}
		if (id == O_HELP) {
			qcli_print_command_help(cli->out, cli->prog, cli->cmd);
			return QCLI_EXIT_OK;
		}
		if (id == O_MODES) {
			if (parse_modes(s.arg, &q.mode_preference) < 0)
				return qcli_usage_error(cli,
							"radio: bad --modes '%s' (e.g. lte,5g; "
							"gsm, umts, lte, 5g)",
							s.arg);
			q.has_mode_preference = true;
		} else if (id == O_LTE_BANDS) {
			if (parse_bands(s.arg, &q.lte_band_preference) < 0)
				return qcli_usage_error(cli,
							"radio: bad --lte-bands '%s' (e.g. "
							"1,3,7,20)",
							s.arg);
			q.has_lte_band_preference = true;
		} else {
			return qcli_usage_error(cli, "radio: %s option '%s'",
						id == -2 ? "missing value for" : "unknown", s.bad);
		}
	}
	if (op && strcmp(op, "show") != 0 && strcmp(op, "set") != 0)
		return qcli_usage_error(cli, "radio: unknown operation '%s' (show, set)", op);
	set = op && !strcmp(op, "set");
	if (!set && (q.has_mode_preference || q.has_lte_band_preference))
		return qcli_usage_error(cli, "radio: --modes and --lte-bands go with 'set'");
	if (set && !q.has_mode_preference && !q.has_lte_band_preference)
		return qcli_usage_error(cli, "radio set: nothing to set (--modes, --lte-bands)");
	rc = qcli_session_client(cli, QMI_SVC_NAS, &nas);
	if (rc)
		return rc;
	if (!set) {
		rc = qcli_client(cli, QMI_SVC_DMS, &dms);
		return rc ? rc : show(cli, nas, dms);
	}
	q.has_change_duration = true;
	q.change_duration = 1; /* permanent */
	err = qcli_call_keep(cli, nas, &qmi_nas_set_system_selection_preference_req_def, &q,
			     &qmi_nas_set_system_selection_preference_resp_def, NULL, &res);
	if (err || res.status)
		return qcli_report(cli, "couldn't set system selection preference", err, &res);
	if (cli->js)
		qcli_json_bool(cli->js, "set", true);
	else
		fprintf(cli->out, "[%s] System selection preference set successfully\n",
			cli->devname);
	return QCLI_EXIT_OK;
}
