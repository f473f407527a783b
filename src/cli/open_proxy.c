/* SPDX-License-Identifier: MIT */
/*
 * Reaching the device through a running `qmiusb proxy` (or libqmi's qmi-proxy). The socket is
 * "qmi-proxy" unless QMIUSB_PROXY_SOCKET names another. The device named in the proxy open is
 * the -d value; without -d, the file the proxy on that socket publishes.
 */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
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
	struct qprx_trust trust = { cli->has_trust_proxy_uid, cli->trust_proxy_uid };
	char published[PATH_MAX], who[64];
	uid_t uid = (uid_t)-1;
	struct passwd *pw;
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
	ret = qprx_client_transport_open(out, sock, device, &trust, &uid);
	if (!ret)
		return 0;
	/* Whoever holds the name could answer in the modem's place: never fall back silently. */
	if (ret == -EPERM) {
		pw = getpwuid(uid);
		if (pw)
			snprintf(who, sizeof(who), "user %s (uid %u)", pw->pw_name, (unsigned)uid);
		else
			snprintf(who, sizeof(who), "uid %u", (unsigned)uid);
		snprintf(err, errlen,
			 "the proxy on @%s is run by %s, which is not trusted: "
			 "nothing was sent to it (--trust-proxy-user to accept it)",
			 sock, who);
		return ret;
	}
	/* Not a proxy for this device: the caller opens it directly (unless -p insisted). */
	if (!forced && (ret == -ECONNREFUSED || ret == -ENOENT || ret == -ENXIO))
		return -ENOENT;
	/* A hang-up after proxy open is a refusal, or libqmi's qmi-proxy failing to open a
	 * device it does not know: either way a direct open is worth a try. */
	if (!forced && ret == -EACCES) {
		fprintf(cli->err,
			"note: the proxy on @%s hung up on '%s' (access refused, or not "
			"its device); opening it directly\n",
			sock, device);
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
