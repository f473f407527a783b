/* SPDX-License-Identifier: MIT */
#include "cli/connect_int.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/connect_state.h"
#include "base/loop.h"
#include "net/pump.h"
#include "net/tun.h"

static const char *state_name(const struct qconn *c)
{
	if (c->st == S_UP)
		return "up";
	if (c->st == S_FAILED)
		return "failed";
	return c->ever_up ? "reconnecting" : "connecting";
}

void qconn_publish(struct qconn *c)
{
	const struct qnet_pump_stats *ps = c->pump ? qnet_pump_stats(c->pump) : NULL;
	char body[2048];
	FILE *f;

	if (!c->state_path[0])
		return;
	f = fmemopen(body, sizeof(body), "w");
	if (!f)
		return;
	fprintf(f, "pid=%ld\ndevice=%s\ninterface=%s\nstate=%s\nlast=%s\n", (long)getpid(),
		c->cli->devname, c->tun ? c->tun->name : "", state_name(c), c->last);
	/* Packet service status is per WDS client: `status` through the share asks this one. */
	fprintf(f, "wds_cid=%u\n", c->fam[0].cid);
	if (c->st == S_UP) {
		fprintf(f, "uptime_s=%llu\n",
			(unsigned long long)((qb_now_ms() - c->since_ms) / 1000));
		if (c->addr4[0])
			fprintf(f, "ipv4=%s\n", c->addr4);
		if (c->addr6[0])
			fprintf(f, "ipv6=%s\n", c->addr6);
		fprintf(f, "mtu=%u\n", c->mtu);
	}
	if (ps) {
		fprintf(f, "data_path=%s\n", qnet_pump_backend(c->pump));
		if (c->fmt_desc[0])
			fprintf(f, "data_format=%s\n", c->fmt_desc);
		if (ps->up_aggs || ps->down_aggs)
			fprintf(f, "qmap_up_transfers=%llu\nqmap_down_transfers=%llu\n"
				   "qmap_commands=%llu\ndrop_down_qmap_bad=%llu\n"
				   "drop_down_qmap_trunc=%llu\n",
				(unsigned long long)ps->up_aggs, (unsigned long long)ps->down_aggs,
				(unsigned long long)ps->down_qmap_commands,
				(unsigned long long)ps->drop_down_qmap_bad,
				(unsigned long long)ps->drop_down_qmap_trunc);
		fprintf(f, "tun_rx_packets=%llu\ntun_rx_bytes=%llu\n",
			(unsigned long long)ps->up_pkts, (unsigned long long)ps->up_bytes);
		fprintf(f, "tun_tx_packets=%llu\ntun_tx_bytes=%llu\n",
			(unsigned long long)ps->down_pkts, (unsigned long long)ps->down_bytes);
		fprintf(f, "drops=%llu\n", (unsigned long long)qnet_pump_drops(ps));
		fprintf(f, "drop_up_too_big=%llu\ndrop_up_send=%llu\ndrop_down_no_buf=%llu\n"
			   "drop_down_too_big=%llu\ndrop_down_bad=%llu\ndrop_down_write=%llu\n",
			(unsigned long long)ps->drop_up_too_big, (unsigned long long)ps->drop_up_send,
			(unsigned long long)ps->drop_down_no_buf,
			(unsigned long long)ps->drop_down_too_big,
			(unsigned long long)ps->drop_down_bad, (unsigned long long)ps->drop_down_write);
		fprintf(f, "backpressure_pauses=%llu\n", (unsigned long long)ps->up_paused);
		fprintf(f, "tun_read_errors=%llu\n", (unsigned long long)ps->up_read_errors);
	}
	if (c->have_wds) {
		const struct qmi_wds_get_packet_statistics_resp *w = &c->wds;

		if (w->has_tx_packets_ok)
			fprintf(f, "modem_tx_packets_ok=%u\n", w->tx_packets_ok);
		if (w->has_rx_packets_ok)
			fprintf(f, "modem_rx_packets_ok=%u\n", w->rx_packets_ok);
		if (w->has_tx_bytes_ok)
			fprintf(f, "modem_tx_bytes_ok=%llu\n", (unsigned long long)w->tx_bytes_ok);
		if (w->has_rx_bytes_ok)
			fprintf(f, "modem_rx_bytes_ok=%llu\n", (unsigned long long)w->rx_bytes_ok);
		if (w->has_tx_packets_dropped)
			fprintf(f, "modem_tx_packets_dropped=%u\n", w->tx_packets_dropped);
		if (w->has_rx_packets_dropped)
			fprintf(f, "modem_rx_packets_dropped=%u\n", w->rx_packets_dropped);
	}
	fputc('\0', f);
	fclose(f);
	body[sizeof(body) - 1] = '\0';
	qconn_state_write(c->state_path, body);
}

static void on_stats(void *user, int err, const struct qmi_frame *resp)
{
	struct qconn *c = user;
	struct qmi_result r;

	if (qconn_gone(c))
		return;

	c->stats_busy = false;
	if (qconn_response(err, resp, &qmi_wds_get_packet_statistics_resp_def, &c->wds, &r) == 0)
		c->have_wds = true;
}

/* Once a second: the published state; every fifth, the modem's own packet counters. */
void qconn_tick(void *user)
{
	struct qconn *c = user;

	c->tick = NULL;
	if (c->ticks++ % 5 == 0 && c->st == S_UP && !c->stats_busy) {
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
	qconn_publish(c);
	qb_loop_timer_old(c->loop, 1000, qconn_tick, c, &c->tick);
}
