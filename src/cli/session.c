/* SPDX-License-Identifier: MIT */
/* One device session: loop, device, CTL open, client ids, and their teardown as qmicli does it. */
#include <errno.h>
#include <string.h>

#include "base/errors.h"
#include "cli/cli.h"
#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/messages.h"

int qcli_session_loop(struct qcli *cli)
{
	int err;

	if (cli->loop)
		return QCLI_EXIT_OK;
	err = qb_loop_new(&cli->loop, QB_LOOP_AUTO);
	if (err)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "couldn't create the event loop: %s",
				 qb_strerror(-err));
	err = qcli_signals_start(cli);
	if (err)
		fprintf(cli->err, "warning: signals will not release the client ids: %s\n",
			qb_strerror(-err));
	return QCLI_EXIT_OK;
}

void qcli_session_drop_device(struct qcli *cli)
{
	cli->n_clients = 0;
	qmi_dev_free(cli->dev);
	cli->dev = NULL;
	qsim_free(cli->sim);
	cli->sim = NULL;
}

int qcli_session_attach(struct qcli *cli, bool sim_fallback, bool *ctl, struct qmi_result *result)
{
	struct qmi_open_opts o = { .version_info_tries = 0, .sync = false, .data_format = -1 };
	int err;

	*ctl = false;
	err = qcli_open_device(cli, cli->loop, &cli->dev, sim_fallback);
	if (err)
		return err;
	if (cli->js)
		qcli_json_str(cli->js, "device", cli->devname);
	/* A real modem may still be booting: wait for CTL like the kernel's GobiNet does. The
	 * in-process sim answers at once (or is told not to by a fault knob), so skip it there. */
	if (!cli->sim)
		o.version_info_tries = (cli->timeout_ms + 999) / 1000;
	*ctl = true;
	err = qmi_dev_open(cli->dev, &o, result);
	if (err)
		qcli_session_drop_device(cli);
	return err;
}

int qcli_session_attach_failed(struct qcli *cli, int err, bool ctl, const struct qmi_result *result)
{
	const char *dev = cli->device ? cli->device : "a QMI modem";
	/* -EINVAL: the -d value itself is wrong, which is the user's to fix, not the device's. */
	int code = err == -ETIMEDOUT ? QCLI_EXIT_TIMEOUT
		   : err == -EINVAL  ? QCLI_EXIT_USAGE
				     : QCLI_EXIT_DEVICE;

	if (ctl)
		return qcli_report(cli, "couldn't open the QMI device", err == -QB_EMODEM ? 0 : err,
				   result);
	return qcli_fail(cli, code, "couldn't open %s: %s", dev,
			 cli->open_err[0] ? cli->open_err : qb_strerror(-err));
}

int qcli_session_open(struct qcli *cli)
{
	struct qmi_result result = { 0 };
	bool ctl;
	int err, rc;

	if (cli->dev)
		return QCLI_EXIT_OK;
	rc = qcli_session_loop(cli);
	if (rc)
		return rc;
	err = qcli_session_attach(cli, true, &ctl, &result);
	return err ? qcli_session_attach_failed(cli, err, ctl, &result) : QCLI_EXIT_OK;
}

int qcli_client_try(struct qcli *cli, uint8_t svc, uint8_t *cid, struct qmi_result *result)
{
	uint8_t got = 0;
	bool reused;
	int err;

	for (unsigned i = 0; i < cli->n_clients; i++) {
		if (cli->clients[i].svc == svc) {
			*cid = cli->clients[i].cid;
			return 0;
		}
	}
	if (cli->n_clients >= QCLI_MAX_CLIENTS)
		return -E2BIG;
	reused = cli->client_cid > 0 && cli->primary_svc == svc;
	if (reused) {
		got = (uint8_t)cli->client_cid;
	} else {
		err = qmi_dev_alloc_cid(cli->dev, svc, &got, result);
		if (err)
			return err;
	}
	cli->clients[cli->n_clients].svc = svc;
	cli->clients[cli->n_clients].cid = got;
	cli->clients[cli->n_clients].reused = reused;
	cli->n_clients++;
	*cid = got;
	return 0;
}

int qcli_session_client(struct qcli *cli, uint8_t svc, uint8_t *cid)
{
	int rc = qcli_session_open(cli);

	return rc ? rc : qcli_client(cli, svc, cid);
}

int qcli_client(struct qcli *cli, uint8_t svc, uint8_t *cid)
{
	struct qmi_result result = { 0 };
	char what[64], nb[8];
	int err;

	err = qcli_client_try(cli, svc, cid, &result);
	if (!err)
		return QCLI_EXIT_OK;
	snprintf(what, sizeof(what), "couldn't allocate a %s client",
		 qmi_service_label(svc, nb, sizeof(nb)));
	return qcli_report(cli, what, err == -QB_EMODEM ? 0 : err, &result);
}

/* qmicli keeps a client id on --client-no-release-cid and says so, for scripts to parse. */
static void report_kept(struct qcli *cli)
{
	char nb[8];

	if (!cli->n_clients)
		return;
	if (cli->js) {
		qcli_json_arr_begin(cli->js, "client_ids_not_released");
		for (unsigned i = 0; i < cli->n_clients; i++) {
			qcli_json_obj_begin(cli->js, NULL);
			qcli_json_str(cli->js, "service",
				      qmi_service_label(cli->clients[i].svc, nb, sizeof(nb)));
			qcli_json_uint(cli->js, "client_id", cli->clients[i].cid);
			qcli_json_obj_end(cli->js);
		}
		qcli_json_arr_end(cli->js);
		return;
	}
	for (unsigned i = 0; i < cli->n_clients; i++)
		fprintf(cli->out,
			"[%s] Client ID not released:\n\tService: '%s'\n\t    CID: '%u'\n",
			cli->devname, qmi_service_label(cli->clients[i].svc, nb, sizeof(nb)),
			cli->clients[i].cid);
}

/* All at once, like the command's own requests: one round trip, any answer order. */
static void release_all(struct qcli *cli)
{
	struct qmi_ctl_release_cid_req req[QCLI_MAX_CLIENTS];
	struct qcli_req r[QCLI_MAX_CLIENTS];
	char nb[8], qe[64];
	unsigned n = cli->n_clients;
	int err;

	/* Nothing to release on a device that is gone (and nobody to answer). */
	if (!n || qmi_dev_closed(cli->dev))
		return;
	memset(r, 0, sizeof(r));
	for (unsigned i = 0; i < n; i++) {
		req[i] = (struct qmi_ctl_release_cid_req){
			.has_release = true,
			.release = { .service = cli->clients[i].svc, .cid = cli->clients[i].cid },
		};
		r[i].svc = QMI_SVC_CTL;
		r[i].cid = QMI_CID_NONE;
		r[i].req_def = &qmi_ctl_release_cid_req_def;
		r[i].req = &req[i];
	}
	err = qcli_batch(cli, r, n);
	for (unsigned i = 0; i < n; i++) {
		const struct qcli_client *c = &cli->clients[i];
		int e = err ? err : r[i].err;

		if (e)
			fprintf(cli->err, "warning: couldn't release the %s client id %u: %s\n",
				qmi_service_label(c->svc, nb, sizeof(nb)), c->cid,
				e == -ETIMEDOUT ? "no response from the modem" : qb_strerror(-e));
		else if (r[i].result.status)
			fprintf(cli->err, "warning: couldn't release the %s client id %u: %s\n",
				qmi_service_label(c->svc, nb, sizeof(nb)), c->cid,
				qcli_qmi_error_str(r[i].result.error, qe, sizeof(qe)));
	}
}

void qcli_session_close(struct qcli *cli)
{
	if (cli->dev) {
		cli->releasing = true;
		if (cli->no_release_cid)
			report_kept(cli);
		else
			release_all(cli);
		cli->releasing = false;
	}
	qcli_session_drop_device(cli);
	qcli_signals_stop(cli);
	qb_loop_free(cli->loop);
	cli->loop = NULL;
}
