/* SPDX-License-Identifier: MIT */
/*
 * Reaching the device through a running `qmiusb proxy` (or libqmi's qmi-proxy). The socket is
 * "qmi-proxy" unless QMIUSB_PROXY_SOCKET names another. The device named in the proxy open is
 * the -d value; without -d, the file the proxy on that socket publishes.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "proxy/proxy.h"

int qcli_open_proxy(struct qcli *cli, const char *device, struct qmi_transport *out, char *err,
		    size_t errlen)
{
	const char *sock = getenv("QMIUSB_PROXY_SOCKET");
	bool forced = cli->proxy == QCLI_PROXY_ON;
	char published[PATH_MAX];
	int ret;

	if (!sock || !*sock)
		sock = QPRX_DEFAULT_SOCKET;
	if (!device) {
		if (qprx_publish_path(sock, published, sizeof(published)) < 0 ||
		    access(published, F_OK) < 0) {
			snprintf(err, errlen, "no proxy publishes a device on @%s", sock);
			return -ENOENT;
		}
		device = published;
	}
	ret = qprx_client_transport_open(out, sock, device);
	if (!ret)
		return 0;
	/* Not a proxy for this device: the caller opens it directly (unless -p insisted). */
	if (!forced && (ret == -ECONNREFUSED || ret == -ENOENT || ret == -ENXIO))
		return -ENOENT;
	/* A hang-up after proxy open is a refusal, or libqmi's qmi-proxy failing to open a
	 * device it does not know: either way a direct open is worth a try. */
	if (!forced && ret == -EACCES) {
		fprintf(cli->err, "note: the proxy on @%s hung up on '%s' (access refused, or not "
			"its device); opening it directly\n", sock, device);
		return -ENOENT;
	}
	switch (ret) {
	case -ECONNREFUSED:
	case -ENOENT:
		snprintf(err, errlen, "no proxy is running on @%s", sock);
		break;
	case -EACCES:
		snprintf(err, errlen, "the proxy on @%s refused this user", sock);
		break;
	case -ENXIO:
		snprintf(err, errlen, "the proxy on @%s does not serve '%s'", sock, device);
		break;
	default:
		snprintf(err, errlen, "proxy @%s: %s", sock, strerror(-ret));
		break;
	}
	return ret;
}
