/* SPDX-License-Identifier: MIT */
/* The daemons (proxy, sim) write their own output; with --json a failure is still one object. */
#include "cli/cli.h"

int qcli_daemon_exit(struct qcli *cli, int rc)
{
	struct qcli_json j;

	if (!cli->json || rc == QCLI_EXIT_OK)
		return rc;
	if (!cli->error.exit_code) {
		cli->error.exit_code = rc;
		snprintf(cli->error.message, sizeof(cli->error.message), "%s failed",
			 cli->cmd ? cli->cmd->name : "command");
	}
	qcli_json_init(&j, cli->out);
	cli->js = &j;
	qcli_json_obj_begin(&j, NULL);
	if (cli->cmd)
		qcli_json_str(&j, "command", cli->cmd->name);
	if (cli->devname[0])
		qcli_json_str(&j, "device", cli->devname);
	qcli_json_error(cli);
	qcli_json_obj_end(&j);
	cli->js = NULL;
	if (qcli_json_finish(&j) == 0)
		fputc('\n', cli->out);
	fflush(cli->out);
	return rc;
}
