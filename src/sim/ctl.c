/* SPDX-License-Identifier: MIT */
/* CTL: version list, the client id table, data format, Sync. */
#include "sim/sim_int.h"

#include <errno.h>
#include <string.h>

#include "base/loop.h"
#include "qmi/errors.h"
#include "qmi/messages.h"

static unsigned cid_limit(const struct qsim *sim)
{
	return sim->faults.cid_limit ? sim->faults.cid_limit : QSIM_DEFAULT_CID_LIMIT;
}

static void release_client(struct qsim *sim, struct qsim_svc *svc, uint8_t cid)
{
	struct qsim_client *c = &svc->clients[cid];

	if (svc->id == QMI_SVC_WDS)
		qsim_wds_client_gone(sim, c);
	memset(c, 0, sizeof(*c));
	svc->count--;
}

static int get_version_info(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_ctl_get_version_info_resp r = { .has_services = true };

	r.services[r.n_services++] = (struct qmi_ctl_service_version){ QMI_SVC_CTL, 1, 5 };
	for (unsigned i = 0; i < QSIM_NSVC; i++)
		r.services[r.n_services++] = (struct qmi_ctl_service_version){ sim->svcs[i].id,
									       sim->svcs[i].major,
									       sim->svcs[i].minor };
	return qsim_respond(sim, req, 0, &r);
}

static int allocate_cid(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_ctl_allocate_cid_req q;
	struct qmi_ctl_allocate_cid_resp r = { 0 };
	struct qsim_svc *svc;
	uint8_t cid;

	if (qmi_msg_decode(&qmi_ctl_allocate_cid_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_service)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	svc = qsim_svc_by_id(sim, q.service);
	if (!svc)
		return qsim_respond(sim, req, QMI_ERR_INVALID_SERVICE_TYPE, NULL);
	if (qb_now_ms() < sim->started_ms + sim->faults.cid_not_ready_ms)
		return qsim_respond(sim, req, QMI_ERR_DEVICE_NOT_READY, NULL);
	if (svc->count >= cid_limit(sim))
		return qsim_respond(sim, req, QMI_ERR_CLIENT_IDS_EXHAUSTED, NULL);
	/* Ids advance instead of reusing the lowest free one, as firmware does: a client that
	 * keeps using a released id is caught instead of silently talking for someone else. */
	cid = svc->next_cid;
	while (svc->clients[cid].used)
		cid = cid >= QSIM_MAX_CIDS ? 1 : cid + 1;
	svc->next_cid = cid >= QSIM_MAX_CIDS ? 1 : cid + 1;
	memset(&svc->clients[cid], 0, sizeof(svc->clients[cid]));
	svc->clients[cid].used = true;
	svc->clients[cid].ip_family_pref = 4;
	svc->count++;
	r.has_allocation = true;
	r.allocation.service = q.service;
	r.allocation.cid = cid;
	return qsim_respond(sim, req, 0, &r);
}

static int release_cid(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_ctl_release_cid_req q;
	struct qmi_ctl_release_cid_resp r = { 0 };
	struct qsim_svc *svc;

	if (qmi_msg_decode(&qmi_ctl_release_cid_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_release)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	svc = qsim_svc_by_id(sim, q.release.service);
	if (!svc)
		return qsim_respond(sim, req, QMI_ERR_INVALID_SERVICE_TYPE, NULL);
	if (!qsim_client(sim, q.release.service, q.release.cid))
		return qsim_respond(sim, req, QMI_ERR_INVALID_CLIENT_ID, NULL);
	release_client(sim, svc, q.release.cid);
	r.has_release = true;
	r.release = q.release;
	return qsim_respond(sim, req, 0, &r);
}

static int set_data_format(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_ctl_set_data_format_req q;
	struct qmi_ctl_set_data_format_resp r = { 0 };

	if (qmi_msg_decode(&qmi_ctl_set_data_format_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (!q.has_format)
		return qsim_respond(sim, req, QMI_ERR_MISSING_ARGUMENT, NULL);
	/* The data side speaks plain packets: no QoS header. */
	if (q.format != QMI_CTL_DATA_FORMAT_QOS_ABSENT)
		return qsim_respond(sim, req, QMI_ERR_INVALID_DATA_FORMAT, NULL);
	if (q.has_protocol && q.protocol != QMI_CTL_LINK_PROTOCOL_802_3 &&
	    q.protocol != QMI_CTL_LINK_PROTOCOL_RAW_IP)
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	if (q.has_protocol)
		sim->llp = q.protocol;
	r.has_protocol = true;
	r.protocol = (uint16_t)sim->llp;
	return qsim_respond(sim, req, 0, &r);
}

static int sync_all(struct qsim *sim, const struct qmi_frame *req)
{
	for (unsigned i = 0; i < QSIM_NSVC; i++)
		for (unsigned c = 1; c <= QSIM_MAX_CIDS; c++)
			if (sim->svcs[i].clients[c].used)
				release_client(sim, &sim->svcs[i], (uint8_t)c);
	qsim_respond(sim, req, 0, NULL);
	qsim_indicate(sim, QMI_SVC_CTL, QMI_CID_NONE, QMI_CTL_SYNC, NULL);
	return 0;
}

int qsim_ctl_handle(struct qsim *sim, const struct qmi_frame *req)
{
	switch (req->msg_id) {
	case QMI_CTL_GET_VERSION_INFO:
		return get_version_info(sim, req);
	case QMI_CTL_ALLOCATE_CID:
		return allocate_cid(sim, req);
	case QMI_CTL_RELEASE_CID:
		return release_cid(sim, req);
	case QMI_CTL_SET_DATA_FORMAT:
		return set_data_format(sim, req);
	case QMI_CTL_SYNC:
		return sync_all(sim, req);
	}
	return -ENOENT;
}
