/* SPDX-License-Identifier: MIT */
/*
 * Readiness and status for a service manager (systemd's Type=notify, through $NOTIFY_SOCKET).
 * Outside such a manager every call does nothing, so callers need no "am I a service" check.
 */
#ifndef QCLI_NOTIFY_H
#define QCLI_NOTIFY_H

/*
 * Each returns 1 when the manager was told, 0 when there is no manager to tell ($NOTIFY_SOCKET
 * unset, or a build without libsystemd), or a negative errno when telling it failed (which the
 * caller may report as a warning: the connection itself does not depend on it).
 *
 * status is one line for `systemctl status` (a newline in it becomes a space); it may be NULL
 * where allowed. It is shown to anyone who may query the unit: never put a secret in it.
 */
int qcli_notify_ready(const char *status);    /* READY=1, STATUS=status (status may be NULL) */
int qcli_notify_status(const char *status);   /* STATUS=status */
int qcli_notify_stopping(const char *status); /* STOPPING=1, STATUS=status (may be NULL) */

#endif
