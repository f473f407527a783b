/* SPDX-License-Identifier: MIT */
/*
 * The qmi-proxy protocol (as libqmi speaks it): what the proxy does with each client
 * frame, and where each modem frame goes.
 */
#include "proxy/srv.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/loop.h"
#include "qmi/device.h"
#include "qmi/errors.h"
#include "qmi/messages.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

#define CTL_ALLOCATE_CID QMI_CTL_ALLOCATE_CID
#define CTL_RELEASE_CID QMI_CTL_RELEASE_CID
#define CTL_SYNC QMI_CTL_SYNC
#define CTL_INTERNAL_PROXY_OPEN QMI_CTL_INTERNAL_PROXY_OPEN
/* Read by hand, not through the message table: the path may be longer than the table's
 * buffer, and qmi-proxy accepts any length. */
#define TLV_PROXY_DEVICE_PATH 0x01
#define ALLOC_RETRIES 4

static const char *svc_name(uint8_t svc)
{
	const char *n = qmi_service_name(svc);

	return n ? n : "?";
}

static struct qprx_pending *release_new(struct qprx_server *srv)
{
	struct qprx_pending *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->srv = srv;
	p->kind = QPRX_PEND_RELEASE;
	qb_list_add_tail(&srv->pending, &p->node);
	srv->n_pending++;
	return p;
}

/* ---- frames the proxy answers itself ---- */

static void reply_error(struct qprx_conn *c, uint8_t svc, uint8_t cid, uint16_t txn,
			uint16_t msg_id, uint16_t status, uint16_t error)
{
	uint8_t buf[64];
	struct qmi_writer w;
	size_t len;

	qmi_writer_init(&w, buf, sizeof(buf), svc, cid, QMI_KIND_RESPONSE, txn, msg_id);
	qmi_writer_set_qmux_flags(&w, QMI_QMUX_FLAG_SERVICE);
	qmi_writer_result(&w, status, error);
	if (qmi_writer_finish(&w, &len) == 0) {
		c->srv->st.ctl_local++;
		qprx_conn_send(c, buf, len);
	}
}

void qprx_reply_local(struct qprx_conn *c, const struct qmi_frame *req, uint16_t status,
		      uint16_t error)
{
	reply_error(c, req->service, req->client_id, req->txn, req->msg_id, status, error);
}

/* Is path one of the names of the device we serve? realpath() first, as qmi-proxy does, so
 * any symlink to the published file matches. */
static bool path_is_ours(struct qprx_server *srv, const char *path)
{
	char real[PATH_MAX];

	if (srv->device_path[0] && realpath(path, real) && !strcmp(real, srv->device_path))
		return true;
	for (size_t i = 0; i < sizeof(srv->o.device_names) / sizeof(srv->o.device_names[0]); i++)
		if (srv->o.device_names[i] && !strcmp(srv->o.device_names[i], path))
			return true;
	return false;
}

static void proxy_open(struct qprx_conn *c, const struct qmi_frame *f)
{
	struct qprx_server *srv = c->srv;
	struct qmi_tlv t;
	char path[PATH_MAX];

	/* qmi-proxy ignores a proxy open without a usable path (no answer): so do we. */
	if (qmi_tlv_find(f->tlvs, f->tlvs_len, TLV_PROXY_DEVICE_PATH, &t) < 0 || !t.len ||
	    t.len >= sizeof(path) || memchr(t.val, 0, t.len)) {
		qprx_log(srv, "client %u: proxy open without a device path: ignored", c->id);
		return;
	}
	memcpy(path, t.val, t.len);
	path[t.len] = 0;
	if (!path_is_ours(srv, path)) {
		qprx_log(srv, "client %u (pid %d) asked for %s: not the device served here", c->id,
			 (int)c->pid, path);
		qprx_reply_local(c, f, 1, QMI_ERR_DEVICE_UNSUPPORTED);
		return;
	}
	c->opened = true;
	qprx_vlog(srv, "client %u opened %s", c->id, path);
	qprx_reply_local(c, f, 0, 0);
}

/* ---- clients' requests through the device (translated txn) ---- */

static void answer_client(struct qprx_pending *p, const struct qmi_frame *resp)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_writer w;
	struct qmi_tlv_iter it;
	struct qmi_tlv t;
	size_t len;
	int ret;

	/* Rebuilt rather than patched: the client gets its own txn back, nothing else changes. */
	qmi_writer_init(&w, buf, sizeof(buf), resp->service, resp->client_id, QMI_KIND_RESPONSE,
			p->txn, resp->msg_id);
	qmi_writer_set_qmux_flags(&w, resp->qmux_flags);
	qmi_tlv_iter_init(&it, resp->tlvs, resp->tlvs_len);
	while ((ret = qmi_tlv_next(&it, &t)) == 1)
		qmi_writer_tlv(&w, t.type, t.val, t.len);
	if (ret == 0 && qmi_writer_finish(&w, &len) == 0)
		qprx_conn_send(p->conn, buf, len);
}

/* p could not be carried: its client (if still there) gets a QMI error, and p goes. */
static void client_fail(struct qprx_pending *p, int err)
{
	struct qprx_server *srv = p->srv;

	srv->st.failed++;
	qprx_log(srv, "%s request 0x%04x (cid %u txn %u) of client %u: %s: answered with an error",
		 svc_name(p->svc), p->msg_id, p->cid, p->txn, p->conn ? p->conn->id : 0,
		 qb_strerror(-err));
	if (p->conn)
		reply_error(p->conn, p->svc, p->cid, p->txn, p->msg_id, 1, QMI_ERR_INTERNAL);
	qprx_queue_done(p);
	qprx_pending_free(p);
}

static void alloc_retry_cb(void *user, int err)
{
	struct qprx_pending *p = user;

	/* The orphan is gone either way; ask again (the answer decides). */
	p->retrying = false;
	if (err == -ECANCELED)
		client_fail(p, err);
	else
		qprx_route_send(p);
}

/* Returns true when p was re-queued behind an orphan's release (not to be freed). */
static bool alloc_response(struct qprx_pending *p, const struct qmi_frame *resp)
{
	struct qprx_server *srv = p->srv;
	struct qmi_result r;
	struct qmi_ctl_allocate_cid_resp a;
	uint8_t svc, cid;

	if (qmi_result_get(resp, &r) < 0)
		return false;
	if (r.status && r.error == QMI_ERR_CLIENT_IDS_EXHAUSTED && !srv->o.keep_cids &&
	    p->retries < ALLOC_RETRIES && p->conn) {
		p->retries++;
		p->retrying = true;
		if (qprx_hold_release_oldest_orphan(srv, p->alloc_svc, alloc_retry_cb, p))
			return true;
		p->retrying = false;
	}
	if (r.status ||
	    qmi_msg_decode(&qmi_ctl_allocate_cid_resp_def, resp->tlvs, resp->tlvs_len, &a) < 0 ||
	    !a.has_allocation)
		return false;
	svc = a.allocation.service;
	cid = a.allocation.cid;
	if (p->conn) {
		if (qprx_hold_take(srv, p->conn, svc, cid) == 0)
			qprx_vlog(srv, "client %u allocated %s/%u", p->conn->id, svc_name(svc),
				  cid);
	} else {
		/* Its requester left before the answer: nobody will ever release it. */
		qprx_log(srv, "client id %s/%u allocated for a client that left", svc_name(svc),
			 cid);
		qprx_hold_orphan_new(srv, svc, cid);
	}
	return false;
}

/* Which WDS ids own a data session (see struct qprx_hold). */
static void track_session(struct qprx_server *srv, const struct qmi_frame *f)
{
	struct qmi_result r;
	struct qmi_wds_packet_service_status_ind ind;

	if (f->service != QMI_SVC_WDS)
		return;
	if (f->kind == QMI_KIND_RESPONSE && qmi_result_get(f, &r) == 0) {
		if (f->msg_id == QMI_WDS_START_NETWORK && !r.status)
			qprx_hold_set_call(srv, QMI_SVC_WDS, f->client_id, true);
		else if (f->msg_id == QMI_WDS_STOP_NETWORK && !r.status)
			qprx_hold_set_call(srv, QMI_SVC_WDS, f->client_id, false);
	} else if (f->kind == QMI_KIND_INDICATION &&
		   f->msg_id == QMI_WDS_PACKET_SERVICE_STATUS_IND &&
		   f->client_id != QMI_CID_BROADCAST &&
		   qmi_msg_decode(&qmi_wds_packet_service_status_ind_def, f->tlvs, f->tlvs_len,
				  &ind) == 0 &&
		   ind.has_connection_status &&
		   ind.connection_status.status == QMI_WDS_CONNECTION_STATUS_DISCONNECTED) {
		qprx_hold_set_call(srv, QMI_SVC_WDS, f->client_id, false);
	}
}

/* Implicit tracking: a client using an id it did not allocate (--client-cid=N, or a restarted
 * client) becomes its holder, so it gets its indications and the id is released after it. Only
 * once the modem has shown that the id exists: an id it refuses as invalid is nobody's, and
 * holding it would later release an id the modem may have handed to someone else meanwhile. */
static void track_implicit_hold(struct qprx_pending *p, const struct qmi_frame *resp)
{
	struct qprx_server *srv = p->srv;
	struct qmi_result r;

	if (!p->conn || p->svc == QMI_SVC_CTL || p->cid == QMI_CID_NONE ||
	    p->cid == QMI_CID_BROADCAST || qprx_reserved(srv, p->svc, p->cid) ||
	    qprx_hold_find(srv, p->svc, p->cid, p->conn))
		return;
	if (qmi_result_get(resp, &r) == 0 && r.status && r.error == QMI_ERR_INVALID_CLIENT_ID)
		return;
	qprx_hold_take(srv, p->conn, p->svc, p->cid);
}

static void client_cb(void *user, int err, const struct qmi_frame *resp)
{
	struct qprx_pending *p = user;
	struct qprx_server *srv = p->srv;

	if (p->sending) { /* the transport closed from inside the send: qprx_route_send ends it */
		p->done_early = true;
		p->early_err = err ? err : -EPIPE;
		return;
	}
	if (!srv) { /* the server is gone: only the record is left */
		free(p);
		return;
	}
	if (err) {
		client_fail(p, err);
	} else {
		if (p->svc == QMI_SVC_CTL && p->msg_id == CTL_ALLOCATE_CID &&
		    alloc_response(p, resp))
			return;
		track_session(srv, resp);
		track_implicit_hold(p, resp);
		if (p->conn)
			answer_client(p, resp);
		qprx_queue_done(p);
		qprx_pending_free(p);
	}
	qprx_queue_pump(srv);
}

void qprx_route_send(struct qprx_pending *p)
{
	struct qprx_server *srv = p->srv;
	int ret;

	p->sending = true;
	ret = qmi_dev_send(srv->dev, p->svc, p->svc == QMI_SVC_CTL ? QMI_CID_NONE : p->cid,
			   p->msg_id, p->tlvs, p->tlvs_len, srv->o.request_timeout_ms, client_cb,
			   p);
	p->sending = false;
	if (p->done_early)
		ret = p->early_err;
	if (ret < 0)
		client_fail(p, ret);
}

static void ctl_request(struct qprx_conn *c, const struct qmi_frame *f)
{
	struct qprx_server *srv = c->srv;
	struct qmi_ctl_release_cid_req rel;
	struct qmi_ctl_allocate_cid_req alloc;
	uint8_t alloc_svc = 0;

	switch (f->msg_id) {
	case CTL_SYNC:
		/* On a real modem Sync drops every client id: other clients' too. */
		qprx_vlog(srv, "client %u: sync answered by the proxy", c->id);
		qprx_reply_local(c, f, 0, 0);
		return;
	case CTL_RELEASE_CID:
		if (qmi_msg_decode(&qmi_ctl_release_cid_req_def, f->tlvs, f->tlvs_len, &rel) < 0 ||
		    !rel.has_release)
			break;
		if (qprx_reserved(srv, rel.release.service, rel.release.cid)) {
			/* Releasing it would end the host's own use (connect's data call). */
			qprx_log(srv,
				 "client %u (pid %d): refusing to release %s/%u, which this "
				 "process uses itself",
				 c->id, (int)c->pid, svc_name(rel.release.service),
				 rel.release.cid);
			qprx_reply_local(c, f, 1, QMI_ERR_INVALID_CLIENT_ID);
			return;
		}
		/* Untracked when asked, as qmi-proxy does: the client has given it up. */
		qprx_hold_drop(srv, c, rel.release.service, rel.release.cid);
		qprx_vlog(srv, "client %u released %s/%u", c->id, svc_name(rel.release.service),
			  rel.release.cid);
		break;
	case CTL_ALLOCATE_CID:
		if (qmi_msg_decode(&qmi_ctl_allocate_cid_req_def, f->tlvs, f->tlvs_len, &alloc) ==
			    0 &&
		    alloc.has_service)
			alloc_svc = alloc.service;
		break;
	default:
		break;
	}
	qprx_queue_submit(c, f, alloc_svc);
}

/* ---- other services: the client id passes through, the txn is translated ---- */

static void forward_request(struct qprx_conn *c, const struct qmi_frame *f)
{
	qprx_queue_submit(c, f, 0);
}

void qprx_server_client_frame(struct qprx_conn *c, const struct qmi_frame *f)
{
	struct qprx_server *srv = c->srv;

	if (f->kind != QMI_KIND_REQUEST) {
		/* qmi-proxy drops these too; a client has no business sending them. */
		qprx_log(srv, "client %u: unexpected %s from a client: dropped", c->id,
			 qmi_kind_name(f->kind));
		return;
	}
	if (f->service == QMI_SVC_CTL && f->msg_id == CTL_INTERNAL_PROXY_OPEN) {
		proxy_open(c, f);
		return;
	}
	if (!c->opened) {
		srv->st.bad_frames++;
		qprx_log(srv, "client %u (pid %d): %s request 0x%04x before proxy open", c->id,
			 (int)c->pid, svc_name(f->service), f->msg_id);
		qprx_conn_close(c, "no proxy open");
		return;
	}
	if (f->service == QMI_SVC_CTL)
		ctl_request(c, f);
	else
		forward_request(c, f);
}

/* ---- frames from the modem ---- */

void qprx_server_modem_frame(struct qprx_server *srv, const struct qmi_frame *f)
{
	struct qprx_conn *to[64];
	size_t n = 0;
	bool more = true;

	/* Responses reach their requester through the device's matching; CTL indications stay
	 * with the proxy (qmi-proxy never forwards them either). */
	if (f->kind != QMI_KIND_INDICATION || f->service == QMI_SVC_CTL)
		return;
	track_session(srv, f);
	srv->ind_gen++;
	/* Collected first: a send can close a connection, which edits the holdings list. */
	while (more) {
		more = false;
		n = 0;
		for (struct qprx_hold *h = srv->holds; h; h = h->next) {
			struct qprx_conn *c = h->conn;

			if (!c || c->closing || h->svc != f->service || c->ind_gen == srv->ind_gen)
				continue;
			if (f->client_id != QMI_CID_BROADCAST && h->cid != f->client_id)
				continue;
			if (n == sizeof(to) / sizeof(to[0])) {
				more = true;
				break;
			}
			c->ind_gen = srv->ind_gen;
			to[n++] = c;
		}
		for (size_t i = 0; i < n; i++)
			qprx_conn_send(to[i], f->raw, f->raw_len);
	}
}

/* ---- the proxy's own Release CID ---- */

static void release_cb(void *user, int err, const struct qmi_frame *resp)
{
	struct qprx_pending *p = user;
	struct qprx_server *srv = p->srv;
	struct qmi_result r = { 0, 0 };

	if (p->sending) { /* closed from inside the send: the sender sees the error */
		p->done_early = true;
		p->early_err = err ? err : -EPIPE;
		return;
	}
	if (srv) {
		if (err)
			qprx_log(p->srv, "release of %s/%u: %s", svc_name(p->svc), p->cid,
				 qb_strerror(-err));
		else if (qmi_result_get(resp, &r) == 0 && r.status)
			qprx_log(p->srv, "release of %s/%u refused: QMI error %u (%s)",
				 svc_name(p->svc), p->cid, r.error,
				 qmi_error_name(r.error) ? qmi_error_name(r.error) : "?");
		else
			p->srv->st.released++;
	}
	/* done belongs to the server (shutdown, an Allocate CID retry): not called without it. */
	if (srv && p->done)
		p->done(p->done_user, err ? err : (r.status ? -QB_EMODEM : 0));
	qprx_pending_free(p);
}

int qprx_release_on_modem(struct qprx_server *srv, uint8_t svc, uint8_t cid,
			  void (*done)(void *user, int err), void *user)
{
	struct qmi_ctl_release_cid_req req = { .has_release = true, .release = { svc, cid } };
	uint8_t buf[32];
	struct qprx_pending *p;
	size_t len, hdr = qmi_hdr_len(QMI_SVC_CTL);
	int ret;

	/* Only the TLV area is used: the device adds the header with its own txn. */
	ret = qmi_msg_build(&qmi_ctl_release_cid_req_def, &req, QMI_CID_NONE, 1, buf, sizeof(buf),
			    &len);
	if (ret < 0)
		return ret;
	p = release_new(srv);
	if (!p)
		return -ENOMEM;
	p->svc = svc;
	p->cid = cid;
	p->msg_id = CTL_RELEASE_CID;
	p->done = done;
	p->done_user = user;
	p->sending = true;
	ret = qmi_dev_send(srv->dev, QMI_SVC_CTL, QMI_CID_NONE, CTL_RELEASE_CID, buf + hdr,
			   len - hdr, QMI_DEV_DEFAULT_TIMEOUT_MS, release_cb, p);
	p->sending = false;
	if (p->done_early)
		ret = p->early_err;
	if (ret < 0)
		qprx_pending_free(p);
	return ret;
}
