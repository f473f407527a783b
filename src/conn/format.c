/* SPDX-License-Identifier: MIT */
#include "conn/conn_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "net/pump.h"
#include "qmi/transport.h"

/*
 * raw-IP by default. With --data-format qmap, WDA Set Data Format asks for QMAP (MAP v1) both
 * ways on the default data port, mux id 0, with no Bind Mux Data Port: the limits asked for are
 * what our transfers hold (QCONN_QMAP_MAX bytes, ModemManager's 32 datagrams), and the modem's
 * answer is what the pump then uses. A modem that refuses (QMI error, or aggregation left
 * disabled) gets the plain raw-IP request, and the run goes on in raw-IP, saying so.
 */
#define QCONN_QMAP_MAX 16384 /* the USB and sim transports' bulk transfer size */
#define QCONN_QMAP_DGRAMS 32
/* Small uplink aggregates in flight: one. The next one packs whatever the TUN delivers while
 * it is on the wire (natural batching, no timer); queued behind it on the same bulk pipe it
 * would not leave sooner. Full aggregates may use every transfer (the transport's rule), so
 * the pipe stays busy at saturation. */
#define QCONN_QMAP_INFLIGHT 1

/* true when the transport paces (and so reports every completed transfer) */
static bool set_inflight(struct qconn *c, unsigned max)
{
	struct qmi_transport *t = qmi_dev_transport(c->dev);

	return t && t->ops && t->ops->data_set_inflight &&
	       t->ops->data_set_inflight(t->impl, max) == 0;
}

static void send_format(struct qconn *c, bool qmap);

static int apply_qmap(struct qconn *c, const struct qmi_wda_set_data_format_resp *w, char *desc,
		      size_t len)
{
	struct qnet_pump_qmap q = { .mux_id = 0 };
	int ret;

	q.ul = w->has_ul_aggregation_protocol &&
	       w->ul_aggregation_protocol == QMI_WDA_AGGREGATION_QMAP;
	q.dl = w->has_dl_aggregation_protocol &&
	       w->dl_aggregation_protocol == QMI_WDA_AGGREGATION_QMAP;
	/* Without a granted UL size or count, one packet per transfer stays within any modem's. */
	q.ul_max_dgrams = w->has_ul_max_datagrams && w->ul_max_datagrams ? w->ul_max_datagrams : 1;
	q.ul_max_size = w->has_ul_max_size && w->ul_max_size ? w->ul_max_size : 2048 + 4;
	if (!q.ul && !q.dl) { /* granted nothing: the pump stays on raw IP */
		snprintf(desc, len, "raw-ip (the modem left aggregation off)");
		return 0;
	}
	if (q.ul_max_dgrams > 64)
		q.ul_max_dgrams = 64;
	if (q.ul_max_size > QCONN_QMAP_MAX)
		q.ul_max_size = QCONN_QMAP_MAX;
	if (q.dl && w->has_dl_max_size && w->dl_max_size > QCONN_QMAP_MAX)
		return -EMSGSIZE; /* its aggregates would not fit our transfers */
	q.paced = q.ul && set_inflight(c, QCONN_QMAP_INFLIGHT);
	ret = qnet_pump_set_qmap(c->pump, &q);
	if (ret < 0) {
		set_inflight(c, 0);
		return ret;
	}
	snprintf(desc, len, "qmap, mux id 0 (UL %s: %u x %zu B, DL %s: %u x %u B)",
		 q.ul ? "aggregated" : "raw-ip", q.ul ? q.ul_max_dgrams : 1,
		 q.ul ? q.ul_max_size : (size_t)0, q.dl ? "aggregated" : "raw-ip",
		 w->has_dl_max_datagrams ? w->dl_max_datagrams : 0,
		 w->has_dl_max_size ? w->dl_max_size : 0);
	return 0;
}

static void on_format(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_wda_set_data_format_resp w;
	struct qmi_ctl_set_data_format_resp ctl;
	struct qmi_result r;
	char eb[96], desc[128] = "raw-ip";
	bool asked_qmap = c->fmt_qmap;

	if (qconn_over(c))
		return;
	c->fmt_qmap = false;
	if (c->have_wda) {
		err = qconn_response(err, resp, &qmi_wda_set_data_format_resp_def, &w, &r);
		if (asked_qmap && err == -QB_EMODEM) {
			qconn_progress(c, "the modem refused QMAP (%s); falling back to raw-ip",
				       qconn_errtext(err, &r, eb, sizeof(eb)));
			send_format(c, false);
			return;
		}
		if (!err && w.has_link_layer_protocol &&
		    w.link_layer_protocol != QMI_WDA_LINK_LAYER_RAW_IP) {
			qconn_fail(c, -EPROTO, &r, false,
				   "the modem refused raw-IP: it kept link layer '%s'",
				   qconn_name(qmi_wda_link_layer_name(w.link_layer_protocol)));
			return;
		}
		if (!err && asked_qmap) {
			int ret = apply_qmap(c, &w, desc, sizeof(desc));

			if (ret < 0) {
				qconn_progress(c, "the modem's QMAP terms are unusable (%s); "
						  "falling back to raw-ip", qb_strerror(-ret));
				send_format(c, false);
				return;
			}
		}
	} else {
		err = qconn_response(err, resp, &qmi_ctl_set_data_format_resp_def, &ctl, &r);
		if (!err && ctl.has_protocol && ctl.protocol != QMI_CTL_LINK_PROTOCOL_RAW_IP) {
			qconn_fail(c, -EPROTO, &r, false,
				   "the modem refused raw-IP: it kept link protocol %u", ctl.protocol);
			return;
		}
	}
	if (err) {
		qconn_fail(c, err, &r, false, "couldn't set the raw-IP data format (%s): %s",
			   c->have_wda ? "WDA" : "CTL", qconn_errtext(err, &r, eb, sizeof(eb)));
		return;
	}
	snprintf(c->fmt_desc, sizeof(c->fmt_desc), "%s", desc);
	qconn_progress(c, "data format: %s (%s)", desc,
		       c->have_wda ? "WDA Set Data Format" : "CTL");
	qconn_done(c);
}

static void send_format(struct qconn *c, bool qmap)
{
	int err;

	c->fmt_qmap = qmap;
	if (c->have_wda) {
		uint32_t agg = qmap ? QMI_WDA_AGGREGATION_QMAP : QMI_WDA_AGGREGATION_DISABLED;
		struct qmi_wda_set_data_format_req q = {
			.has_link_layer_protocol = true,
			.link_layer_protocol = QMI_WDA_LINK_LAYER_RAW_IP,
			.has_ul_aggregation_protocol = true,
			.ul_aggregation_protocol = agg,
			.has_dl_aggregation_protocol = true,
			.dl_aggregation_protocol = agg,
			.has_dl_max_datagrams = qmap,
			.dl_max_datagrams = QCONN_QMAP_DGRAMS,
			.has_dl_max_size = qmap,
			.dl_max_size = QCONN_QMAP_MAX,
			.has_ul_max_datagrams = qmap,
			.ul_max_datagrams = QCONN_QMAP_DGRAMS,
			.has_ul_max_size = qmap,
			.ul_max_size = QCONN_QMAP_MAX,
		};

		if (!qmap) {
			qnet_pump_set_qmap(c->pump, NULL);
			set_inflight(c, 0);
		}
		err = qconn_send_msg(c, c->wda_cid, &qmi_wda_set_data_format_req_def, &q, 0, on_format, c);
	} else {
		struct qmi_ctl_set_data_format_req q = {
			.has_format = true,
			.format = QMI_CTL_DATA_FORMAT_QOS_ABSENT,
			.has_protocol = true,
			.protocol = QMI_CTL_LINK_PROTOCOL_RAW_IP,
		};

		c->fmt_qmap = false;
		err = qconn_send_msg(c, QMI_CID_NONE, &qmi_ctl_set_data_format_req_def, &q, 0, on_format, c);
	}
	if (err)
		qconn_fail(c, err, NULL, false, "couldn't send Set Data Format: %s", qb_strerror(-err));
}

void qconn_format_enter(struct qconn *c)
{
	if (c->o.qmap && !c->have_wda)
		qconn_progress(c, "QMAP needs WDA, which the modem lacks; using raw-ip");
	send_format(c, c->o.qmap && c->have_wda);
}
