/* SPDX-License-Identifier: MIT */
#include "net/rundir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int qnet_rundir(char *buf, size_t cap)
{
	const char *dir = getenv("QMIUSB_RUNDIR");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	int n;

	if (dir && *dir)
		n = snprintf(buf, cap, "%s", dir);
	else if (geteuid() == 0)
		n = snprintf(buf, cap, "/run/qmiusb");
	else if (xdg && *xdg)
		n = snprintf(buf, cap, "%s/qmiusb", xdg);
	else
		n = snprintf(buf, cap, "/tmp/qmiusb-%u", (unsigned)geteuid());
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}
