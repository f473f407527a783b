/* SPDX-License-Identifier: MIT */
/*
 * Request intake: validate the frame, check the client id, route to the service, and the two
 * ways out (a response built from a message struct, an indication). Every message the modem
 * sends is built through the message database.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/msgdb.h"
#include "qmi/tlv.h"

struct qsim_svc *qsim_svc_by_id(struct qsim *sim, uint8_t svc)
{
	for (unsigned i = 0; i < QSIM_NSVC; i++)
		if (sim->svcs[i].id == svc)
			return &sim->svcs[i];
	return NULL;
}

struct qsim_client *qsim_client(struct qsim *sim, uint8_t svc, uint8_t cid)
{
	struct qsim_svc *s = qsim_svc_by_id(sim, svc);

	if (!s || cid == QMI_CID_NONE || cid == QMI_CID_BROADCAST || !s->clients[cid].used)
		return NULL;
	return &s->clients[cid];
}

static void build_and_emit(struct qsim *sim, uint8_t svc, uint8_t cid, enum qmi_msg_kind kind,
			   uint16_t txn, uint16_t msg_id, bool with_result, uint16_t error,
			   const void *msg)
{
	uint8_t buf[QMI_FRAME_MAX];
	struct qmi_writer w;
	const struct qmi_msg_def *def = NULL;
	size_t len;

	qmi_writer_init(&w, buf, sizeof(buf), svc, cid, kind, txn, msg_id);
	qmi_writer_set_qmux_flags(&w, QMI_QMUX_FLAG_SERVICE);
	if (with_result)
		qmi_writer_result(&w, error ? 1 : 0, error);
	if (msg) {
		def = qmi_msgdb_find(svc, msg_id, kind);
		if (!def || qmi_msg_encode(def, msg, &w) < 0)
			return; /* a modem bug: the test sees a missing answer, never garbage */
	}
	if (qmi_writer_finish(&w, &len) < 0)
		return;
	qsim_emit(sim, buf, len, kind == QMI_KIND_RESPONSE);
}

int qsim_respond(struct qsim *sim, const struct qmi_frame *req, uint16_t error, const void *msg)
{
	build_and_emit(sim, req->service, req->client_id, QMI_KIND_RESPONSE, req->txn, req->msg_id,
		       true, error, msg);
	return 0;
}

void qsim_indicate(struct qsim *sim, uint8_t svc, uint8_t cid, uint16_t msg_id, const void *msg)
{
	build_and_emit(sim, svc, cid, QMI_KIND_INDICATION, 0, msg_id, false, 0, msg);
}

int qsim_ctrl_in(struct qsim *sim, const uint8_t *frame, size_t len)
{
	struct qmi_frame f;
	struct qsim_svc *svc;
	int ret;

	if (qmi_frame_parse(frame, len, &f, NULL) < 0 || f.kind != QMI_KIND_REQUEST) {
		/* Real firmware drops what it cannot parse without a word. */
		sim->stats.invalid_frames++;
		return -EBADMSG;
	}
	sim->stats.requests++;
	for (unsigned i = 0; i < sim->faults.n_refuse; i++) {
		if (sim->faults.refuse[i].svc == f.service &&
		    sim->faults.refuse[i].msg_id == f.msg_id) {
			qsim_respond(sim, &f, QMI_ERR_NOT_SUPPORTED, NULL);
			return 0;
		}
	}
	if (f.service == QMI_SVC_CTL) {
		if (qsim_ctl_handle(sim, &f) == -ENOENT)
			qsim_respond(sim, &f, QMI_ERR_INVALID_QMI_COMMAND, NULL);
		return 0;
	}
	svc = qsim_svc_by_id(sim, f.service);
	if (!svc) {
		/* A service the modem does not run: no client can exist for it (Allocate CID says
		 * InvalidServiceType), and the firmware stays silent, as on real modems. */
		return 0;
	}
	if (!qsim_client(sim, f.service, f.client_id)) {
		qsim_respond(sim, &f, QMI_ERR_INVALID_CLIENT_ID, NULL);
		return 0;
	}
	switch (f.service) {
	case QMI_SVC_DMS:
		ret = qsim_dms_handle(sim, &f);
		break;
	case QMI_SVC_NAS:
		ret = qsim_nas_handle(sim, &f);
		break;
	case QMI_SVC_WDS:
		ret = qsim_wds_handle(sim, &f);
		break;
	case QMI_SVC_WDA:
		ret = qsim_wda_handle(sim, &f);
		break;
	case QMI_SVC_UIM:
		ret = qsim_uim_handle(sim, &f);
		break;
	default:
		ret = -ENOENT;
		break;
	}
	if (ret == -ENOENT)
		qsim_respond(sim, &f, QMI_ERR_INVALID_QMI_COMMAND, NULL);
	return 0;
}
