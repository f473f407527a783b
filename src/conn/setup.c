/* SPDX-License-Identifier: MIT */
/*
 * The SETUP step: the TUN, its pump and the client ids, one Allocate CID at a time from the
 * loop. What it got stays across attempts, so a retry asks only for what is missing. The
 * answer to an Allocate CID may come after c is gone: the request outlives c and releases
 * the id it brings then.
 */
#include "conn/conn_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/errors.h"
#include "net/pump.h"
#include "net/tun.h"
#include "qmi/errors.h"
#include "qmi/msgdb.h"

/* The Allocate CID in flight; c is NULL once c stopped. */
struct qconn_cidreq {
	struct qconn *c;
	struct qmi_dev *dev;
	uint8_t svc;
};

/* The clients, in the order they are asked for: three optional ones, NAS, then WDS per
 * family. NULL past the last. */
static uint8_t *slot(struct qconn *c, unsigned i, uint8_t *svc, bool **have)
{
	static const uint8_t svcs[] = { QMI_SVC_WDA, QMI_SVC_UIM, QMI_SVC_DMS, QMI_SVC_NAS };

	*have = NULL;
	if (i >= 4) {
		*svc = QMI_SVC_WDS;
		return i - 4 < c->nfam ? &c->fam[i - 4].cid : NULL;
	}
	*svc = svcs[i];
	switch (i) {
	case 0:
		*have = &c->have_wda;
		return &c->wda_cid;
	case 1:
		*have = &c->have_uim;
		return &c->uim_cid;
	case 2:
		*have = &c->have_dms;
		return &c->dms_cid;
	}
	return &c->nas_cid;
}

static void ask_next(struct qconn *c);

static void on_release(void *user, int err, const struct qmi_frame *resp)
{
	(void)user, (void)err, (void)resp;
}

/* The modem does not give this client now, but may later: its table is full, or it is still
 * booting. Another refusal of an optional client means the modem has no such service. */
static bool refused_for_now(const struct qmi_result *r)
{
	switch (r->error) {
	case QMI_ERR_CLIENT_IDS_EXHAUSTED:
	case QMI_ERR_DEVICE_NOT_READY:
	case QMI_ERR_INTERNAL:
	case QMI_ERR_NO_MEMORY:
		return true;
	}
	return false;
}

/* The allocated id of an answer, or 0 with err (and *r) saying why not. */
static uint8_t answered_cid(int *err, const struct qmi_frame *resp, uint8_t svc,
			    struct qmi_result *r)
{
	struct qmi_ctl_allocate_cid_resp a = { 0 };

	*err = qconn_response(*err, resp, &qmi_ctl_allocate_cid_resp_def, &a, r);
	if (*err)
		return 0;
	/* An id for another service, or one nobody can address, is a broken answer. */
	if (!a.has_allocation || a.allocation.service != svc || a.allocation.cid == QMI_CID_NONE ||
	    a.allocation.cid == QMI_CID_BROADCAST) {
		*err = -EPROTO;
		return 0;
	}
	return a.allocation.cid;
}

static void on_cid(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn_cidreq *q = user;
	struct qconn *c = q->c;
	struct qmi_result r;
	uint8_t cid = answered_cid(&err, resp, q->svc, &r), svc, *id;
	bool *have;
	char eb[96];

	if (!c) {
		/* Stopped meanwhile: nobody will use or release it but us. */
		struct qmi_ctl_release_cid_req rel = {
			.has_release = true, .release = { .service = q->svc, .cid = cid }
		};

		if (cid)
			qmi_dev_send_msg(q->dev, QMI_CID_NONE, &qmi_ctl_release_cid_req_def, &rel,
					 0, on_release, NULL);
		free(q);
		return;
	}
	c->cidreq = NULL;
	free(q);
	for (unsigned i = 0; (id = slot(c, i, &svc, &have)); i++) {
		if (*id || (have && (c->cids_refused & 1u << i)))
			continue;
		if (cid) {
			*id = cid;
			if (have)
				*have = true;
			c->cids[c->ncids++] = (struct qconn_cid){ .svc = svc, .cid = cid };
		} else if (have && err == -QB_EMODEM && !refused_for_now(&r)) {
			c->cids_refused |= (uint8_t)(1u << i); /* the modem has no such service */
		} else {
			qconn_fail(c, err, &r, false, "couldn't allocate a %s client: %s",
				   qconn_name(qmi_service_name(svc)),
				   qconn_errtext(err, &r, eb, sizeof(eb)));
			return;
		}
		break;
	}
	if (c->st == QCONN_SETUP)
		ask_next(c);
}

/* Follows the WDS indications of the families that do not yet. */
static int subscribe(struct qconn *c)
{
	int ret = 0;

	for (unsigned i = 0; !ret && i < c->nfam; i++)
		if (!c->fam[i].sub)
			ret = qmi_dev_subscribe(c->dev, QMI_SVC_WDS, c->fam[i].cid, qconn_wds_ind,
						&c->fam[i], &c->fam[i].sub);
	return ret;
}

/* Asks for the first client neither held nor refused; done when there is none. */
static void ask_next(struct qconn *c)
{
	struct qconn_cidreq *q;
	uint8_t svc, *id;
	bool *have;
	unsigned i;
	int err;

	for (i = 0; (id = slot(c, i, &svc, &have)); i++)
		if (!*id && !(have && (c->cids_refused & 1u << i)))
			break;
	if (!id) {
		err = subscribe(c);
		if (err) {
			qconn_fail(c, err, NULL, true, "couldn't follow WDS indications: %s",
				   qb_strerror(-err));
			return;
		}
		c->set_up = true;
		qconn_done(c);
		return;
	}
	q = malloc(sizeof(*q));
	err = -ENOMEM;
	if (q) {
		struct qmi_ctl_allocate_cid_req req = { .has_service = true, .service = svc };

		*q = (struct qconn_cidreq){ .c = c, .dev = c->dev, .svc = svc };
		err = qmi_dev_send_msg(c->dev, QMI_CID_NONE, &qmi_ctl_allocate_cid_req_def, &req,
				       c->o.timeout_ms, on_cid, q);
	}
	if (err) {
		free(q);
		qconn_fail(c, err, NULL, err == -ENOMEM, "couldn't ask for a %s client id: %s",
			   qconn_name(qmi_service_name(svc)), qb_strerror(-err));
		return;
	}
	c->cidreq = q;
}

void qconn_setup_enter(struct qconn *c)
{
	char err[256] = "";
	int ret;

	if (!c->tun) {
		ret = qnet_tun_open_offload(&c->tun, c->o.ifname,
					    (enum qnet_tun_offload)c->o.offload, err, sizeof(err));
		if (ret < 0) {
			/* -EBUSY: another process has the named TUN open; it may let go. */
			qconn_fail(c, ret, NULL, true, "%s", err);
			return;
		}
		qconn_progress(c, "TUN device %s %s", c->tun->name,
			       c->tun->created ? "created" : "attached");
	}
	if (!c->pump) {
		struct qnet_pump_tx tx;

		ret = qnet_pump_new(&c->pump, c->loop, c->tun->fd, qconn_link_send, c->link,
				    &(struct qnet_pump_opts){
					    .offloads = c->tun->offloads,
					    .tx = qconn_link_tx(c->link, &tx) == 0 ? &tx : NULL });
		if (ret < 0) {
			qconn_fail(c, ret, NULL, true, "couldn't start the data path: %s",
				   qb_strerror(-ret));
			return;
		}
	}
	if (!c->cidreq) /* else its answer goes on */
		ask_next(c);
}

void qconn_setup_undo(struct qconn *c)
{
	if (c->cidreq) {
		c->cidreq->c = NULL;
		c->cidreq = NULL;
	}
	for (unsigned i = 0; i < c->ncids && !c->o.keep_cids && !qmi_dev_closed(c->dev); i++) {
		struct qmi_result r = { 0 };
		char eb[96];
		int err = qmi_dev_release_cid(c->dev, c->cids[i].svc, c->cids[i].cid, &r);

		if (err)
			qconn_warn(c, "couldn't release the %s client id %u: %s",
				   qconn_name(qmi_service_name(c->cids[i].svc)), c->cids[i].cid,
				   qconn_errtext(err, &r, eb, sizeof(eb)));
	}
	c->ncids = 0;
}
