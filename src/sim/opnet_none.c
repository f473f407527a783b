/* SPDX-License-Identifier: MIT */
/* The operator network lives in a Linux network namespace; elsewhere asking for it fails. */
#include "sim/sim.h"

#include <errno.h>

int qsim_opnet_open(struct qsim *sim, const char *netns_path, const char *ifname)
{
	return -ENOTSUP;
}

void qsim_opnet_close(struct qsim *sim)
{
}
