/* SPDX-License-Identifier: MIT */
/*
 * WDA: the data format. The sim carries plain packets only: 802.3 or raw-IP, no QoS header, no
 * aggregation. A request for QMAP (or any aggregation) is refused with InvalidArgument and the
 * format stays as it was, so a host that needs QMAP learns it at once instead of sending muxed
 * frames into a modem that would treat them as IP.
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/messages.h"

#define FILL_FORMAT(sim, r)                                                                    \
	do {                                                                                   \
		(r)->has_qos_format = true;                                                    \
		(r)->qos_format = 0;                                                           \
		(r)->has_link_layer_protocol = true;                                           \
		(r)->link_layer_protocol = (sim)->llp;                                         \
		(r)->has_ul_aggregation_protocol = true;                                       \
		(r)->ul_aggregation_protocol = QMI_WDA_AGGREGATION_DISABLED;                   \
		(r)->has_dl_aggregation_protocol = true;                                       \
		(r)->dl_aggregation_protocol = QMI_WDA_AGGREGATION_DISABLED;                   \
		(r)->has_ndp_signature = true;                                                 \
		(r)->has_dl_max_datagrams = true;                                              \
		(r)->has_dl_max_size = true;                                                   \
	} while (0)

static int set_data_format(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wda_set_data_format_req q;
	struct qmi_wda_set_data_format_resp r;

	if (qmi_msg_decode(&qmi_wda_set_data_format_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (q.has_link_layer_protocol && q.link_layer_protocol != QMI_WDA_LINK_LAYER_802_3 &&
	    q.link_layer_protocol != QMI_WDA_LINK_LAYER_RAW_IP)
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	if ((q.has_ul_aggregation_protocol &&
	     q.ul_aggregation_protocol != QMI_WDA_AGGREGATION_DISABLED) ||
	    (q.has_dl_aggregation_protocol &&
	     q.dl_aggregation_protocol != QMI_WDA_AGGREGATION_DISABLED) ||
	    (q.has_qos_format && q.qos_format))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	if (q.has_link_layer_protocol)
		sim->llp = q.link_layer_protocol;
	memset(&r, 0, sizeof(r));
	FILL_FORMAT(sim, &r);
	return qsim_respond(sim, req, 0, &r);
}

static int get_data_format(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wda_get_data_format_req q;
	struct qmi_wda_get_data_format_resp r;

	if (qmi_msg_decode(&qmi_wda_get_data_format_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	memset(&r, 0, sizeof(r));
	FILL_FORMAT(sim, &r);
	return qsim_respond(sim, req, 0, &r);
}

int qsim_wda_handle(struct qsim *sim, const struct qmi_frame *req)
{
	switch (req->msg_id) {
	case QMI_WDA_SET_DATA_FORMAT:
		return set_data_format(sim, req);
	case QMI_WDA_GET_DATA_FORMAT:
		return get_data_format(sim, req);
	}
	return -ENOENT;
}
