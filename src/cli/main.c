/* SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli/cli.h"

int main(int argc, char **argv)
{
	return qcli_run(argc, argv, stdout, stderr, QCLI_RUN_SIGNALS);
}
