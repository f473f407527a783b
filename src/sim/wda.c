/* SPDX-License-Identifier: MIT */
/*
 * WDA: the data format. The sim carries 802.3 or raw-IP packets, and with raw-IP optionally QMAP
 * (MAP v1, aggregation protocol 5, or MAP v5, protocol 9, the same in both directions) in either
 * direction, on the default data port (mux id 0; no Bind Mux Data Port needed). Like a real modem
 * it grants aggregation limits no larger than its own (QSIM_QMAP_MAX_SIZE / _DGRAMS, and what its
 * transport carries) and reports what it granted; the host must use those. dl-agg=N grants
 * N-byte downlink aggregates whatever was asked, as some firmware grants more than asked. Any
 * other aggregation protocol, or QoS headers, is refused with InvalidArgument and the format stays
 * as it was, so a host learns at once instead of sending frames the modem would treat as IP.
 * So is Endpoint Info naming a port other than the modem's own (qsim_set_data_iface).
 */
#include "sim/sim_int.h"

#include <errno.h>
#include <string.h>

#include "qmi/errors.h"
#include "qmi/messages.h"

static uint32_t proto(const struct qsim *sim)
{
	return sim->qmap_v5 ? QMI_WDA_AGGREGATION_QMAPV5 : QMI_WDA_AGGREGATION_QMAP;
}

static void fill_format(const struct qsim *sim, struct qmi_wda_set_data_format_resp *r)
{
	r->has_qos_format = true;
	r->qos_format = 0;
	r->has_link_layer_protocol = true;
	r->link_layer_protocol = sim->llp;
	r->has_ul_aggregation_protocol = true;
	r->ul_aggregation_protocol = sim->qmap_ul ? proto(sim) : QMI_WDA_AGGREGATION_DISABLED;
	r->has_dl_aggregation_protocol = true;
	r->dl_aggregation_protocol = sim->qmap_dl ? proto(sim) : QMI_WDA_AGGREGATION_DISABLED;
	r->has_ndp_signature = true;
	r->has_dl_max_datagrams = true;
	r->dl_max_datagrams = sim->qmap_dl ? sim->dl_max_dgrams : 0;
	r->has_dl_max_size = true;
	r->dl_max_size = sim->qmap_dl ? sim->dl_max_size : 0;
	if (sim->qmap_ul) {
		r->has_ul_max_datagrams = true;
		r->ul_max_datagrams = sim->ul_max_dgrams;
		r->has_ul_max_size = true;
		r->ul_max_size = sim->ul_max_size;
	}
}

static bool agg_ok(bool has, uint32_t proto)
{
	return !has || proto == QMI_WDA_AGGREGATION_DISABLED || proto == QMI_WDA_AGGREGATION_QMAP ||
	       proto == QMI_WDA_AGGREGATION_QMAPV5;
}

/* The MAP version asked for: v5 when either direction names it; a mix of v1 and v5 is refused
 * (-EINVAL), as both directions share one framing here. */
static int want_v5(const struct qmi_wda_set_data_format_req *q, bool was)
{
	bool ul5 = q->has_ul_aggregation_protocol &&
		   q->ul_aggregation_protocol == QMI_WDA_AGGREGATION_QMAPV5;
	bool dl5 = q->has_dl_aggregation_protocol &&
		   q->dl_aggregation_protocol == QMI_WDA_AGGREGATION_QMAPV5;
	bool ul1 = q->has_ul_aggregation_protocol &&
		   q->ul_aggregation_protocol == QMI_WDA_AGGREGATION_QMAP;
	bool dl1 = q->has_dl_aggregation_protocol &&
		   q->dl_aggregation_protocol == QMI_WDA_AGGREGATION_QMAP;

	if ((ul5 || dl5) && (ul1 || dl1))
		return -EINVAL;
	if (ul5 || dl5)
		return 1;
	return ul1 || dl1 ? 0 : was;
}

/* What the modem grants: the host's wish within the modem's limits, the modem's when unsaid. */
static uint32_t grant(bool has, uint32_t want, uint32_t lo, uint32_t max)
{
	if (!has || want > max)
		return max;
	return want < lo ? lo : want;
}

static int set_data_format(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wda_set_data_format_req q;
	struct qmi_wda_set_data_format_resp r;
	uint32_t llp, max;
	bool ul, dl;
	int v5;

	if (qmi_msg_decode(&qmi_wda_set_data_format_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (q.has_link_layer_protocol && q.link_layer_protocol != QMI_WDA_LINK_LAYER_802_3 &&
	    q.link_layer_protocol != QMI_WDA_LINK_LAYER_RAW_IP)
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	if (!agg_ok(q.has_ul_aggregation_protocol, q.ul_aggregation_protocol) ||
	    !agg_ok(q.has_dl_aggregation_protocol, q.dl_aggregation_protocol) ||
	    (q.has_qos_format && q.qos_format) ||
	    (q.has_endpoint && !qsim_endpoint_ours(sim, &q.endpoint)))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	llp = q.has_link_layer_protocol ? q.link_layer_protocol : sim->llp;
	if (sim->faults.no_qmap && ((q.has_ul_aggregation_protocol && q.ul_aggregation_protocol) ||
				    (q.has_dl_aggregation_protocol && q.dl_aggregation_protocol)))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	v5 = want_v5(&q, sim->qmap_v5);
	if (v5 > 0 && sim->faults.qmap_v1)
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	ul = q.has_ul_aggregation_protocol ? q.ul_aggregation_protocol != 0 : sim->qmap_ul;
	dl = q.has_dl_aggregation_protocol ? q.dl_aggregation_protocol != 0 : sim->qmap_dl;
	/* QMAP carries IP packets only */
	if (v5 < 0 || ((ul || dl) && llp != QMI_WDA_LINK_LAYER_RAW_IP))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	max = sim->data_max && sim->data_max < QSIM_QMAP_MAX_SIZE ? (uint32_t)sim->data_max
	      : sim->data_max                                     ? QSIM_QMAP_MAX_SIZE
								  : QSIM_DATA_MAX_DEFAULT;
	/* qmap-max: two hosts that ask differently get the same grant */
	if (sim->faults.qmap_max && sim->faults.qmap_max < max)
		max = sim->faults.qmap_max;

	qsim_data_flush(sim); /* what was packed under the old format goes out under it */
	qmi_qmap_agg_reset(&sim->dl_agg);
	sim->llp = llp;
	sim->qmap_ul = ul;
	sim->qmap_dl = dl;
	sim->qmap_v5 = (ul || dl) && v5;
	sim->ul_max_dgrams = grant(q.has_ul_max_datagrams, q.ul_max_datagrams, 1,
				   QSIM_QMAP_MAX_DGRAMS);
	sim->ul_max_size = grant(q.has_ul_max_size, q.ul_max_size, 2048, max);
	sim->dl_max_dgrams = grant(q.has_dl_max_datagrams, q.dl_max_datagrams, 1,
				   QSIM_QMAP_MAX_DGRAMS);
	sim->dl_max_size = sim->faults.dl_agg ? sim->faults.dl_agg
					      : grant(q.has_dl_max_size, q.dl_max_size, 2048, max);
	qmi_qmap_agg_init(&sim->dl_agg, sim->dl_agg_buf, sim->dl_max_size, sim->dl_max_dgrams, 0,
			  true);
	/* Downlink the header's flag says "checksum valid": the modem's network built the
	 * packets, their checksums are right. */
	qmi_qmap_agg_set_v5(&sim->dl_agg, sim->qmap_v5, true);
	qsim_flow_arm(sim);
	memset(&r, 0, sizeof(r));
	fill_format(sim, &r);
	return qsim_respond(sim, req, 0, &r);
}

static int get_data_format(struct qsim *sim, const struct qmi_frame *req)
{
	struct qmi_wda_get_data_format_req q;
	struct qmi_wda_get_data_format_resp r;
	struct qmi_wda_set_data_format_resp f; /* the same members (QMI_WDA_DATA_FORMAT_MEMBERS) */

	_Static_assert(sizeof(f) == sizeof(r), "both responses are QMI_WDA_DATA_FORMAT_MEMBERS");
	if (qmi_msg_decode(&qmi_wda_get_data_format_req_def, req->tlvs, req->tlvs_len, &q) < 0)
		return qsim_respond(sim, req, QMI_ERR_MALFORMED_MESSAGE, NULL);
	if (q.has_endpoint && !qsim_endpoint_ours(sim, &q.endpoint))
		return qsim_respond(sim, req, QMI_ERR_INVALID_ARGUMENT, NULL);
	memset(&f, 0, sizeof(f));
	fill_format(sim, &f);
	memcpy(&r, &f, sizeof(r));
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
