/* SPDX-License-Identifier: MIT */
/* `qmiusb versions`: CTL Get Version Info in qmicli's --get-service-version-info layout. */
#include <string.h>

#include "cli/cli.h"
#include "qmi/messages.h"

static const char *service_name(uint8_t svc)
{
	const char *n = qmi_enum_name(&qmi_enum_service, svc);

	return n ? n : qmi_service_name(svc);
}

int qcli_cmd_versions(struct qcli *cli, int argc, char **argv)
{
	struct qmi_ctl_get_version_info_resp v;
	struct qcli_req r = {
		.svc = QMI_SVC_CTL,
		.cid = QMI_CID_NONE,
		.req_def = &qmi_ctl_get_version_info_req_def,
		.resp_def = &qmi_ctl_get_version_info_resp_def,
		.resp = &v,
	};
	int rc, err;

	rc = qcli_command_open(cli, argc, argv);
	if (rc >= 0)
		return rc;
	err = qcli_batch(cli, &r, 1);
	if (err)
		return qcli_report(cli, "couldn't get version info", err, NULL);
	rc = qcli_req_check(cli, &r, "couldn't get version info");
	if (rc)
		return rc;

	if (cli->js) {
		qcli_json_arr_begin(cli->js, "services");
		for (unsigned i = 0; v.has_services && i < v.n_services; i++) {
			qcli_json_obj_begin(cli->js, NULL);
			qcli_json_str(cli->js, "service", service_name(v.services[i].service));
			qcli_json_uint(cli->js, "service_id", v.services[i].service);
			qcli_json_uint(cli->js, "major", v.services[i].major);
			qcli_json_uint(cli->js, "minor", v.services[i].minor);
			qcli_json_obj_end(cli->js);
		}
		qcli_json_arr_end(cli->js);
		return QCLI_EXIT_OK;
	}
	fprintf(cli->out, "[%s] Supported versions:\n", cli->devname);
	for (unsigned i = 0; v.has_services && i < v.n_services; i++) {
		const char *name = service_name(v.services[i].service);

		if (name)
			fprintf(cli->out, "\t%s (%u.%u)\n", name, v.services[i].major,
				v.services[i].minor);
		else
			fprintf(cli->out, "\tunknown [0x%02x] (%u.%u)\n", v.services[i].service,
				v.services[i].major, v.services[i].minor);
	}
	return QCLI_EXIT_OK;
}
