/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb connect` shares the modem it owns: the proxy server (src/proxy/) runs on the
 * connection's own loop and device, so qmiusb's other commands and unmodified libqmi clients
 * reach the modem while the data path stays with connect. A separate `qmiusb proxy` could not
 * do this: the data path has to live in the process that owns the USB interface.
 */
#include "base/errors.h"
#include "cli/connect_share.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli/cli.h"
#include "cli/connect_state.h"
#include "conn/conn.h"
#include "proxy/proxy.h"

struct qcli_share {
	struct qprx_server *srv;
	char socket[108];
};

const char *qcli_share_socket(const char *name)
{
	const char *env = getenv("QMIUSB_PROXY_SOCKET");

	if (name && *name)
		return name;
	return env && *env ? env : QPRX_DEFAULT_SOCKET;
}

void qcli_share_start(struct qcli_share **out, struct qcli *cli, const char *sock,
		      const struct qconn_cid *cids, unsigned ncids, struct qcli_statefile *sf)
{
	struct qprx_server_opts o = {
		.shared_dev = true,
		.publish = true,
		.log = cli->err,
	};
	struct qcli_share *sh = NULL;
	char path[PATH_MAX];
	int ret = -ENAMETOOLONG;

	*out = NULL;
	if (strlen(sock) < sizeof(sh->socket))
		sh = calloc(1, sizeof(*sh));
	else
		goto fail;
	ret = -ENOMEM;
	if (!sh)
		goto fail;
	strcpy(sh->socket, sock);
	o.socket_name = sh->socket;
	if (qprx_publish_path(sh->socket, path, sizeof(path)) == 0)
		o.device_path = path;
	o.device_names[0] = cli->devname;
	o.device_names[1] = cli->device;
	ret = qprx_server_new(&sh->srv, cli->loop, cli->dev, &o);
	if (ret < 0)
		goto fail;
	for (unsigned i = 0; i < ncids; i++)
		qprx_server_reserve(sh->srv, cids[i].svc, cids[i].cid);
	/* `qmiusb status` without -d reaches the modem by the published path: let it find
	 * this connection's state under that name too. */
	if (qprx_server_path(sh->srv)[0])
		qcli_statefile_alias(sf, qprx_server_path(sh->srv));
	if (qprx_server_path(sh->srv)[0])
		fprintf(cli->out,
			"[%s] shared on @%s: qmiusb -p, or qmicli -p --device-open-qmi "
			"-d %s\n",
			cli->devname, sh->socket, qprx_server_path(sh->srv));
	else
		fprintf(cli->out, "[%s] shared on @%s: qmiusb -p -d %s\n", cli->devname, sh->socket,
			cli->devname);
	fflush(cli->out);
	*out = sh;
	return;
fail:
	if (ret == -EADDRINUSE)
		fprintf(cli->err,
			"note: another proxy already listens on @%s: %s is not shared "
			"(other tools can't reach it while connect runs)\n",
			sock, cli->devname);
	else
		fprintf(cli->err, "note: couldn't share %s on @%s: %s; going on without\n",
			cli->devname, sock, qb_strerror(-ret));
	free(sh);
}

void qcli_share_stop(struct qcli_share *sh)
{
	if (!sh)
		return;
	qprx_server_shutdown(sh->srv, true, 2000);
	qprx_server_free(sh->srv);
	free(sh);
}

const char *qcli_share_name(const struct qcli_share *sh)
{
	return sh->socket;
}

const char *qcli_share_path(const struct qcli_share *sh)
{
	return qprx_server_path(sh->srv);
}
