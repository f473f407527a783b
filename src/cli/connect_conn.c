/* SPDX-License-Identifier: MIT */
/*
 * The connection manager's state machine. Each step sends one request with qmi_dev_send() and
 * continues in its response callback; waits are one-shot timers. The states:
 *
 *   FORMAT -> SIM -> REG -> CALL (per family) -> SETTINGS -> UP
 *                            ^                                |  network drops a call
 *                            +------- BACKOFF <---------------+
 *
 * A failure before the first UP is final (reported, exit code kept); after it, a failed call
 * attempt only grows the backoff.
 */
#include "cli/connect_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/connect_state.h"
#include "base/loop.h"
#include "net/netconf.h"
#include "net/pump.h"
#include "net/tun.h"
#include "qmi/errors.h"
#include "qmi/msgdb.h"

/* ---- helpers ---- */

void qconn_progress(struct qconn *c, const char *fmt, ...)
{
	char line[sizeof(c->last)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!strcmp(line, c->last))
		return;
	snprintf(c->last, sizeof(c->last), "%s", line);
	fprintf(c->cli->out, "[%s] %s\n", c->cli->devname, line);
	fflush(c->cli->out);
	qconn_publish(c);
}

void qconn_fail(struct qconn *c, int code, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (c->st == S_FAILED)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	qb_timer_old_cancel(c->timer);
	c->timer = NULL;
	c->st = S_FAILED;
	c->exit_code = qcli_fail(c->cli, code, "%s", msg);
}

void qconn_later(struct qconn *c, unsigned ms, void (*fn)(void *))
{
	qb_timer_old_cancel(c->timer);
	c->timer = NULL;
	if (qb_loop_timer_old(c->loop, ms, fn, c, &c->timer) < 0)
		qconn_fail(c, QCLI_EXIT_FAILURE, "out of memory");
}

bool qconn_gone(struct qconn *c)
{
	c->pending--;
	if (c->dead) {
		if (!c->pending)
			free(c);
		return true;
	}
	return c->st == S_FAILED;
}

int qconn_send_msg(struct qconn *c, uint8_t cid, const struct qmi_msg_def *def, const void *msg,
		   unsigned timeout_ms, qmi_resp_cb cb, void *user)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_frame f;
	enum qmi_frame_err why;
	size_t len;
	int err;

	err = qmi_msg_build(def, msg, cid, 1, buf, sizeof(buf), &len);
	if (!err)
		err = qmi_frame_parse(buf, len, &f, &why);
	if (!err)
		err = qmi_dev_send(c->dev, def->service, cid, def->msg_id, f.tlvs, f.tlvs_len,
				   timeout_ms ? timeout_ms : c->cli->timeout_ms, cb, user);
	if (!err)
		c->pending++;
	return err;
}

int qconn_response(int err, const struct qmi_frame *resp, const struct qmi_msg_def *def, void *out,
		   struct qmi_result *r)
{
	memset(r, 0, sizeof(*r));
	if (err)
		return err;
	err = qmi_result_get(resp, r);
	if (err)
		return -EBADMSG;
	if (def && qmi_msg_decode(def, resp->tlvs, resp->tlvs_len, out) < 0 && !r->status)
		return -EBADMSG;
	return r->status ? -EREMOTEIO : 0;
}

const char *qconn_errtext(int err, const struct qmi_result *r, char *buf, size_t len)
{
	if (err == -EREMOTEIO)
		return qcli_qmi_error_str(r->error, buf, len);
	if (err == -ETIMEDOUT)
		return "no response from the modem";
	snprintf(buf, len, "%s", strerror(-err));
	return buf;
}

int qconn_exit_for(int err)
{
	return err == -EREMOTEIO ? QCLI_EXIT_QMI : qcli_exit_for_errno(err);
}

/* ---- retry and indications ---- */

static void retry(void *user)
{
	struct qconn *c = user;

	c->timer = NULL;
	qconn_step_reg(c);
}

void qconn_backoff(struct qconn *c)
{
	qconn_later(c, c->backoff_ms, retry);
	c->backoff_ms = c->backoff_ms * 2 > c->o.backoff_max_ms ? c->o.backoff_max_ms :
								c->backoff_ms * 2;
}

/* The network (or the modem) ended a call: take the configuration down and call again. */
static void on_ind(void *user, const struct qmi_frame *ind)
{
	struct cfam *f = user;
	struct qconn *c = f->c;
	struct qmi_wds_packet_service_status_ind s;
	char why[128] = "";

	if (ind->msg_id != QMI_WDS_PACKET_SERVICE_STATUS_IND ||
	    qmi_msg_decode(&qmi_wds_packet_service_status_ind_def, ind->tlvs, ind->tlvs_len, &s) < 0 ||
	    !s.has_connection_status)
		return;
	if (s.connection_status.status != QMI_WDS_CONNECTION_STATUS_DISCONNECTED || !f->connected)
		return;
	f->connected = false;
	f->have_settings = false;
	if (s.has_call_end_reason)
		snprintf(why, sizeof(why), ": call end reason '%s' (%u)",
			 qcli_name(qmi_wds_call_end_reason_name(s.call_end_reason)),
			 s.call_end_reason);
	if (c->st == S_FAILED)
		return;
	qconn_progress(c, "the network ended the IPv%d call%s", f->family, why);
	qnet_netconf_undo(c->nc);
	c->nc = NULL;
	if (!c->ever_up && c->st == S_CALL)
		return qconn_fail(c, QCLI_EXIT_FAILURE, "the IPv%d call ended while connecting%s",
				  f->family, why);
	if (c->st == S_BACKOFF || c->st == S_REG)
		return; /* a retry is already planned */
	c->st = S_BACKOFF;
	qconn_progress(c, "reconnecting in %u s", c->backoff_ms / 1000);
	qconn_backoff(c);
}

static void on_closed(void *user, int err)
{
	struct qconn *c = user;

	if (c->st != S_FAILED)
		qconn_fail(c, qconn_exit_for(err), "the modem went away: %s", strerror(-err));
}

static void pump_rx(void *user, const uint8_t *pkt, size_t len)
{
	struct qconn *c = user;

	qnet_pump_data_rx(c->pump, pkt, len);
}

static void pump_tx_ready(void *user)
{
	struct qconn *c = user;

	qnet_pump_data_tx_ready(c->pump);
}

/* ---- setup and teardown ---- */

static int alloc_cid(struct qconn *c, uint8_t svc, uint8_t *cid, bool optional)
{
	struct qmi_result r = { 0 };
	char eb[96];
	int err;

	if (c->cli->n_clients >= QCLI_MAX_CLIENTS)
		return qcli_fail(c->cli, QCLI_EXIT_FAILURE, "too many client ids");
	err = qmi_dev_alloc_cid(c->dev, svc, cid, &r);
	if (err) {
		if (optional)
			return -1;
		return qcli_fail(c->cli, qconn_exit_for(err), "couldn't allocate a %s client: %s",
				 qcli_name(qmi_service_name(svc)), qconn_errtext(err, &r, eb, sizeof(eb)));
	}
	/* The session releases it at the end, whatever happens in between. */
	c->cli->clients[c->cli->n_clients++] = (struct qcli_client){ .svc = svc, .cid = *cid };
	return 0;
}

int qconn_start(struct qconn **out, struct qcli *cli, const struct qconn_opts *o)
{
	static const struct qmi_dev_data_cbs data_cbs = {
		.data_rx = pump_rx,
		.data_tx_ready = pump_tx_ready,
		.closed = on_closed,
	};
	struct qconn *c = calloc(1, sizeof(*c));
	char err[256] = "";
	unsigned i;
	int rc, ret;

	if (!c)
		return qcli_fail(cli, QCLI_EXIT_FAILURE, "out of memory");
	c->cli = cli;
	c->o = *o;
	c->dev = cli->dev;
	c->loop = cli->loop;
	c->backoff_ms = o->backoff_min_ms;
	if (o->families & QCONN_V4)
		c->fam[c->nfam++].family = 4;
	if (o->families & QCONN_V6)
		c->fam[c->nfam++].family = 6;
	*out = c;

	if (qconn_state_path(cli->devname, c->state_path, sizeof(c->state_path), 1) < 0)
		c->state_path[0] = '\0';
	qb_loop_timer_old(c->loop, 1000, qconn_tick, c, &c->tick);
	ret = qnet_tun_open(&c->tun, o->ifname, err, sizeof(err));
	if (ret < 0)
		return c->st = S_FAILED, c->exit_code = qcli_fail(cli, QCLI_EXIT_FAILURE, "%s", err);
	qconn_progress(c, "TUN device %s %s", c->tun->name,
		       c->tun->created ? "created" : "attached");
	ret = qnet_pump_new(&c->pump, c->loop, c->tun->fd, qnet_pump_send_transport,
			    qmi_dev_transport(c->dev), NULL);
	if (ret < 0)
		return c->st = S_FAILED,
		       c->exit_code = qcli_fail(cli, QCLI_EXIT_FAILURE, "couldn't start the data path: %s",
						strerror(-ret));
	qmi_dev_set_data_cbs(c->dev, &data_cbs, c);

	c->have_wda = alloc_cid(c, QMI_SVC_WDA, &c->wda_cid, true) == 0;
	c->have_uim = alloc_cid(c, QMI_SVC_UIM, &c->uim_cid, true) == 0;
	rc = alloc_cid(c, QMI_SVC_NAS, &c->nas_cid, false);
	for (i = 0; !rc && i < c->nfam; i++) {
		c->fam[i].c = c;
		rc = alloc_cid(c, QMI_SVC_WDS, &c->fam[i].cid, false);
		if (!rc && qmi_dev_subscribe(c->dev, QMI_SVC_WDS, c->fam[i].cid, on_ind, &c->fam[i],
					     &c->fam[i].sub) < 0)
			rc = qcli_fail(cli, QCLI_EXIT_FAILURE, "couldn't follow WDS indications");
	}
	if (rc)
		return c->st = S_FAILED, c->exit_code = rc;
	qconn_step_format(c);
	return c->st == S_FAILED ? c->exit_code : QCLI_EXIT_OK;
}

bool qconn_failed(const struct qconn *c, int *exit_code)
{
	if (c->st != S_FAILED)
		return false;
	*exit_code = c->exit_code;
	return true;
}

void qconn_stop(struct qconn *c)
{
	unsigned i;

	if (!c)
		return;
	qb_timer_old_cancel(c->timer);
	c->timer = NULL;
	qb_timer_old_cancel(c->tick);
	c->tick = NULL;
	c->st = S_FAILED; /* no more steps from late responses */
	for (i = 0; i < c->nfam; i++) {
		struct cfam *f = &c->fam[i];
		struct qmi_wds_stop_network_req q = { .has_packet_data_handle = true,
						      .packet_data_handle = f->pdh };
		struct qmi_result r = { 0 };
		char eb[96];
		int err;

		qmi_dev_unsubscribe(f->sub);
		f->sub = NULL;
		if (!f->connected || qmi_dev_closed(c->dev))
			continue;
		err = qmi_dev_call(c->dev, f->cid, &qmi_wds_stop_network_req_def, &q,
				   &qmi_wds_stop_network_resp_def, NULL, &r, c->cli->timeout_ms);
		if (!err && r.status)
			err = -EREMOTEIO;
		if (err)
			fprintf(c->cli->err, "warning: couldn't stop the IPv%d call: %s\n", f->family,
				qconn_errtext(err, &r, eb, sizeof(eb)));
		else
			fprintf(c->cli->out, "[%s] IPv%d call stopped\n", c->cli->devname, f->family);
		f->connected = false;
	}
	qnet_netconf_undo(c->nc);
	if (c->dev)
		qmi_dev_set_data_cbs(c->dev, NULL, NULL);
	qnet_pump_free(c->pump);
	if (c->tun)
		fprintf(c->cli->out, "[%s] %s %s\n", c->cli->devname, c->tun->name,
			c->tun->created ? "removed" : "unconfigured");
	qnet_tun_close(c->tun);
	c->tun = NULL;
	if (c->state_path[0])
		unlink(c->state_path); /* last: `disconnect` waits for this */
	c->state_path[0] = '\0';
	c->pump = NULL;
	c->nc = NULL;
	fflush(c->cli->out);
	/* Requests still in flight complete (-ECANCELED at the latest when the session frees the
	 * device); the last of their callbacks frees c. */
	c->dead = true;
	if (!c->pending)
		free(c);
}
