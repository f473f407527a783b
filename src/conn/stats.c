/* SPDX-License-Identifier: MIT */
/* The once-a-second tick (listeners republish the counters) and the modem's own packet
 * counters, read every fifth tick while up. */
#include "conn/conn_int.h"

#include "net/pump.h"
#include "net/tun.h"

static void on_stats(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_result r;

	c->stats_busy = false;
	if (qconn_response(err, resp, &qmi_wds_get_packet_statistics_resp_def, &c->wds, &r) == 0)
		c->have_wds = true;
}

void qconn_tick(void *user)
{
	struct qconn *c = user;

	if (c->ticks++ % 5 == 0 && c->st == QCONN_UP && !c->stats_busy) {
		struct qmi_wds_get_packet_statistics_req q = {
			.has_mask = true,
			.mask = QMI_WDS_STATS_TX_PACKETS_OK | QMI_WDS_STATS_RX_PACKETS_OK |
				QMI_WDS_STATS_TX_BYTES_OK | QMI_WDS_STATS_RX_BYTES_OK |
				QMI_WDS_STATS_TX_PACKETS_DROPPED | QMI_WDS_STATS_RX_PACKETS_DROPPED,
		};

		if (qconn_send_msg(c, c->fam[0].cid, &qmi_wds_get_packet_statistics_req_def, &q, 0,
				   on_stats, c) == 0)
			c->stats_busy = true;
	}
	qb_timer_start(&c->tick, 1000);
	qconn_emit(c, QCONN_EV_TICK, NULL);
}

void qconn_get_info(const struct qconn *c, struct qconn_info *info)
{
	*info = (struct qconn_info){
		.state = c->st,
		.ever_up = c->ever_up,
		.ifname = c->tun ? c->tun->name : "",
		.ifindex = c->tun ? c->tun->ifindex : 0,
		.last = c->last,
		.data_path = c->pump ? qnet_pump_backend(c->pump) : NULL,
		.data_format = c->fmt_desc,
		.mux_id = c->attached && c->link && c->link->qmap ? c->mux_id : 0,
		.ipv4 = c->addr4,
		.ipv6 = c->addr6,
		.mtu = c->mtu,
		.wds_cid = c->fam[0].cid,
		.pump = c->pump ? qnet_pump_stats(c->pump) : NULL,
		.modem = c->have_wds ? &c->wds : NULL,
	};
	if (c->st == QCONN_UP)
		info->uptime_s = (qb_now_ms() - c->since_ms) / 1000;
}
