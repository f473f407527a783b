/* SPDX-License-Identifier: MIT */
/*
 * sd_notify(3) behind three calls. READY=1 is sent each time the link comes up (after a
 * reconnect too): the manager takes only the first as the start, and the later ones are
 * harmless, so the caller needs no "told already" flag.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/notify.h"

#ifdef QMIUSB_HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#define MAX_STATUS 256

/* "STATUS=" plus one line: the protocol is one VAR=value per line, so a newline in the text
 * would start a variable of the caller's choosing. */
static void put_status(char *buf, size_t len, const char *status)
{
	size_t at = strlen(buf), i;

	if (!status)
		return;
	snprintf(buf + at, len - at, "STATUS=%.*s", MAX_STATUS, status);
	for (i = at; buf[i]; i++)
		if (buf[i] == '\n' || buf[i] == '\r')
			buf[i] = ' ';
}

static int send_state(const char *prefix, const char *status)
{
	char msg[MAX_STATUS + 32];

	snprintf(msg, sizeof(msg), "%s", prefix);
	put_status(msg, sizeof(msg), status);
#ifdef QMIUSB_HAVE_LIBSYSTEMD
	/* Keep $NOTIFY_SOCKET: the status is sent again on every reconnect. */
	{
		int r = sd_notify(0, msg);

		return r > 0 ? 1 : r;
	}
#else
	return 0;
#endif
}

int qcli_notify_ready(const char *status)
{
	return send_state("READY=1\n", status);
}

int qcli_notify_status(const char *status)
{
	return status ? send_state("", status) : -EINVAL;
}

int qcli_notify_stopping(const char *status)
{
	return send_state("STOPPING=1\n", status);
}
