/* SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stdio.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	/* A reader that goes away (`qmiusb connect | head -1`) must turn into EPIPE on write, not
	 * kill us before the call is stopped and the client ids are released. */
	signal(SIGPIPE, SIG_IGN);
	return qcli_run(argc, argv, stdout, stderr, QCLI_RUN_SIGNALS);
}
