/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb mode [online|low-power|offline|reset]`: DMS Get/Set Operating Mode in qmicli's
 * layouts (--dms-get-operating-mode, --dms-set-operating-mode). The modem decides which
 * transitions it allows (offline is left only by reset) and says so with its error.
 */
#include <string.h>

#include "cli/online.h"
#include "qmi/messages.h"

static const char *const settable[] = { "online", "low-power", "offline", "reset" };

static int show(struct qcli *cli, uint8_t dms)
{
	struct qmi_dms_get_operating_mode_resp m;
	struct qmi_result res;
	char buf[256];
	int err;

	err = qcli_call_keep(cli, dms, &qmi_dms_get_operating_mode_req_def, NULL,
			     &qmi_dms_get_operating_mode_resp_def, &m, &res);
	if (err || res.status)
		return qcli_report(cli, "couldn't get operating mode", err, &res);
	if (cli->js) {
		qcli_json_obj_begin(cli->js, "operating_mode");
		if (m.has_mode)
			qcli_json_enum(cli->js, "mode",
				       qmi_enum_name(&qmi_enum_dms_operating_mode, m.mode), m.mode);
		else
			qcli_json_null(cli->js, "mode");
		if (m.has_offline_reason)
			qcli_json_str(cli->js, "offline_reason",
				      qcli_mask_str(&qmi_enum_dms_offline_reason, m.offline_reason,
						    buf, sizeof(buf)));
		qcli_json_bool(cli->js, "hw_restricted", m.has_hw_restricted && m.hw_restricted);
		qcli_json_obj_end(cli->js);
		return QCLI_EXIT_OK;
	}
	fprintf(cli->out, "[%s] Operating mode retrieved:\n\tMode: '%s'\n", cli->devname,
		m.has_mode ? QCLI_ENUM(qmi_enum_name(&qmi_enum_dms_operating_mode, m.mode), m.mode)
			   : "unknown");
	if (m.has_offline_reason && (m.mode == QMI_DMS_OPERATING_MODE_OFFLINE ||
				     m.mode == QMI_DMS_OPERATING_MODE_LOW_POWER))
		fprintf(cli->out, "\tReason: '%s'\n",
			qcli_mask_str(&qmi_enum_dms_offline_reason, m.offline_reason, buf,
				      sizeof(buf)));
	fprintf(cli->out, "\tHW restricted: '%s'\n",
		m.has_hw_restricted && m.hw_restricted ? "yes" : "no");
	return QCLI_EXIT_OK;
}

int qcli_cmd_mode(struct qcli *cli, int argc, char **argv)
{
	struct qmi_dms_set_operating_mode_req q = { .has_mode = true };
	struct qmi_result res;
	int64_t mode = -1;
	uint8_t dms;
	int first = argc, rc, err;

	rc = qcli_command_args(cli, argc, argv, &first);
	if (rc >= 0)
		return rc;
	if (argc - first > 1)
		return qcli_usage_error(cli, "mode takes at most one argument");
	if (argc - first == 1) {
		for (size_t i = 0; i < sizeof(settable) / sizeof(settable[0]); i++)
			if (!strcmp(argv[first], settable[i]))
				qmi_enum_value(&qmi_enum_dms_operating_mode, settable[i], &mode);
		if (mode < 0)
			return qcli_usage_error(cli,
						"mode: unknown mode '%s' (online, low-power, "
						"offline, reset)",
						argv[first]);
	}
	rc = qcli_session_client(cli, QMI_SVC_DMS, &dms);
	if (rc)
		return rc;
	if (mode < 0)
		return show(cli, dms);
	q.mode = (uint8_t)mode;
	err = qcli_call_keep(cli, dms, &qmi_dms_set_operating_mode_req_def, &q,
			     &qmi_dms_set_operating_mode_resp_def, NULL, &res);
	if (err || res.status)
		return qcli_report(cli, "couldn't set operating mode", err, &res);
	if (cli->js)
		qcli_json_str(cli->js, "mode_set", argv[first]);
	else
		fprintf(cli->out, "[%s] Operating mode set successfully\n", cli->devname);
	return QCLI_EXIT_OK;
}
