/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb status`: the running connection's part (state, interface, addresses, counters). The
 * data path (src/net/, `connect`) fills this in; until then there is nothing to add.
 *
 * Contract for the implementation: it runs after the packet service status with the session
 * open (cli->dev, cli->loop; qcli_client()/qcli_batch() for more requests). Human output goes
 * to cli->out in qmicli's style ("[<cli->devname>] ..."); with --json (cli->js non-NULL) it adds
 * one member, "connection" (an object, or null when nothing runs), and prints nothing to
 * cli->out. Returns an exit code; failures go through qcli_report().
 */
#include "cli/cli.h"

int qcli_status_connection(struct qcli *cli)
{
	return QCLI_EXIT_OK;
}
