/* SPDX-License-Identifier: MIT */
#include "base/rundir_sys.h"

const char qb_rundir_root[] = "/run/qmiusb";
