/* SPDX-License-Identifier: MIT */
#ifndef QNET_RUNDIR_H
#define QNET_RUNDIR_H

#include <stddef.h>

/* The directory for qmiusb's per-device runtime files (a connection's state, the path a proxy
 * publishes): $QMIUSB_RUNDIR; else /run/qmiusb for root, so that a root daemon's files stay
 * reachable by the users it serves; else $XDG_RUNTIME_DIR/qmiusb; else /tmp/qmiusb-<uid>.
 * Writes the path (not created) into buf. 0 or -ENAMETOOLONG. */
int qnet_rundir(char *buf, size_t cap);

#endif
