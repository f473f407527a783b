/* SPDX-License-Identifier: MIT */
/* macOS and the BSDs keep runtime files in /var/run; /run does not exist there. */
#include "base/rundir_sys.h"

const char qb_rundir_root[] = "/var/run/qmiusb";
