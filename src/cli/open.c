/* SPDX-License-Identifier: MIT */
/* Which backend carries the QMI bytes: the in-process sim, a proxy, or USB. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "proxy/proxy.h"
#include "qmi/device.h"

static int open_sim(struct qcli *cli, struct qb_loop *loop, struct qmi_transport *tr)
{
	int err;

	err = qsim_new(&cli->sim, loop, &cli->faults);
	if (err) {
		snprintf(cli->open_err, sizeof(cli->open_err),
			 "couldn't create the software modem: %s", qb_strerror(-err));
		return err;
	}
	err = qsim_transport_new(cli->sim, tr);
	if (err) {
		snprintf(cli->open_err, sizeof(cli->open_err),
			 "couldn't attach to the software modem: %s", qb_strerror(-err));
		qsim_free(cli->sim);
		cli->sim = NULL;
	}
	return err;
}

/* No proxy running, or none in this build: open the device directly. */
static bool no_proxy_there(int err)
{
	return err == -ENOTSUP || err == -ECONNREFUSED || err == -ENOENT;
}

static int open_transport(struct qcli *cli, struct qb_loop *loop, struct qmi_transport *tr,
			  bool sim_fallback)
{
	const char *dev = cli->device;
	int err;

	if (cli->proxy == QCLI_PROXY_ON) {
		if (cli->sim_fault)
			fprintf(cli->err, "note: --sim-fault applies to a private software modem "
					  "only; ignored with -p\n");
		return qcli_open_proxy(cli, dev, tr, cli->open_err, sizeof(cli->open_err));
	}
	/* -d sim means a software modem of this process's own, fresh, with this run's
	 * --sim-fault knobs: scripts and tests get the same modem every time. A shared one
	 * (`qmiusb -d sim connect` or `proxy`) is reached with -p; say so when there is one,
	 * since its state (a call that is up) is not this modem's. */
	if (dev && !strcmp(dev, "sim")) {
		const char *sock = getenv("QMIUSB_PROXY_SOCKET");

		if (cli->proxy == QCLI_PROXY_AUTO &&
		    qprx_serving(sock && *sock ? sock : QPRX_DEFAULT_SOCKET, "sim"))
			fprintf(cli->err,
				"note: a shared software modem is served on @%s; this "
				"run uses a private one (-p reaches the shared one)\n",
				sock && *sock ? sock : QPRX_DEFAULT_SOCKET);
		return open_sim(cli, loop, tr);
	}

	if (cli->proxy == QCLI_PROXY_AUTO) {
		err = qcli_open_proxy(cli, dev, tr, cli->open_err, sizeof(cli->open_err));
		if (!no_proxy_there(err))
			return err;
		cli->open_err[0] = '\0';
	}
	err = qcli_open_usb(cli, dev, tr, cli->open_err, sizeof(cli->open_err));
	if (!dev && sim_fallback && (err == -ENODEV || err == -ENOTSUP)) {
		fprintf(cli->err,
			"no QMI modem found; using the built-in software modem (-d sim)\n");
		cli->open_err[0] = '\0';
		return open_sim(cli, loop, tr);
	}
	return err;
}

int qcli_open_device(struct qcli *cli, struct qb_loop *loop, struct qmi_dev **dev,
		     bool sim_fallback)
{
	struct qmi_transport tr = { 0 };
	struct qmi_dev_opts opts = {
		.trace = cli->verbose ? cli->err : NULL,
		.timeout_ms = cli->timeout_ms,
		.trace_full = cli->verbose_full,
	};
	const char *name = NULL;
	int err;

	cli->open_err[0] = '\0';
	*dev = NULL;
	err = open_transport(cli, loop, &tr, sim_fallback);
	if (err)
		return err;
	if (tr.ops && tr.ops->describe)
		name = tr.ops->describe(tr.impl);
	snprintf(cli->devname, sizeof(cli->devname), "%s",
		 name && *name ? name
		 : cli->device ? cli->device
			       : "sim");

	/* qmi_dev_new owns tr from here, on failure too. */
	err = qmi_dev_new(dev, loop, tr, &opts);
	if (err) {
		snprintf(cli->open_err, sizeof(cli->open_err), "couldn't start the QMI device: %s",
			 qb_strerror(-err));
		*dev = NULL;
		qsim_free(cli->sim);
		cli->sim = NULL;
	}
	return err;
}

int qcli_open(struct qcli *cli, struct qb_loop *loop, struct qmi_dev **dev)
{
	return qcli_open_device(cli, loop, dev, true);
}
