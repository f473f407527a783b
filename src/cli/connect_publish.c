/* SPDX-License-Identifier: MIT */
/* The state file as a listener of the connection manager's events: each event (and the
 * manager's once-a-second tick) rewrites it from qconn_get_info(). The first session's keys
 * are at the top (as with one session); session N of several repeats them as pdnN.<key>. */
#include "cli/connect_share.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/connect_state.h"
#include "conn/conn.h"
#include "net/link_stats.h"
#include "net/pump.h"
#include "qmi/messages.h"

static const char *state_name(const struct qconn_info *in)
{
	if (in->state == QCONN_UP)
		return "up";
	if (in->state == QCONN_FAILED || in->state == QCONN_STOPPED)
		return "failed";
	return in->ever_up ? "reconnecting" : "connecting";
}

#define U(x) ((unsigned long long)(x))

static void pump_lines(FILE *f, const struct qconn_info *in)
{
	const struct qnet_pump_stats *ps = in->pump;

	fprintf(f, "data_path=%s\n", in->data_path);
	if (in->mux_id && (ps->up_aggs || ps->down_aggs)) /* once traffic moved */
		fprintf(f,
			"qmap_up_transfers=%llu\nqmap_down_transfers=%llu\nqmap_commands=%llu\n"
			"drop_down_qmap_bad=%llu\ndrop_down_qmap_trunc=%llu\n"
			"down_csum_valid=%llu\ndown_csum_unchecked=%llu\nqmap_flow_off=%llu\n"
			"qmap_cmd_answers=%llu\nqmap_cmd_answers_lost=%llu\nqmap_cmd_bad=%llu\n",
			U(ps->up_aggs), U(ps->down_aggs), U(ps->down_qmap_commands),
			U(ps->drop_down_qmap_bad), U(ps->drop_down_qmap_trunc),
			U(ps->down_csum_valid), U(ps->down_csum_unchecked), U(ps->qmap_flow_off),
			U(ps->qmap_cmd_answers), U(ps->qmap_cmd_answers_lost), U(ps->qmap_cmd_bad));
	fprintf(f, "tun_rx_packets=%llu\ntun_rx_bytes=%llu\n", U(ps->up_pkts), U(ps->up_bytes));
	fprintf(f, "tun_tx_packets=%llu\ntun_tx_bytes=%llu\n", U(ps->down_pkts), U(ps->down_bytes));
	fprintf(f, "drops=%llu\n", U(qnet_pump_drops(ps)));
	fprintf(f,
		"drop_up_too_big=%llu\ndrop_up_bad=%llu\ndrop_up_send=%llu\n"
		"drop_down_no_buf=%llu\ndrop_down_too_big=%llu\ndrop_down_bad=%llu\n"
		"drop_down_write=%llu\n",
		U(ps->drop_up_too_big), U(ps->drop_up_bad), U(ps->drop_up_send),
		U(ps->drop_down_no_buf), U(ps->drop_down_too_big), U(ps->drop_down_bad),
		U(ps->drop_down_write));
	fprintf(f, "backpressure_pauses=%llu\n", U(ps->up_paused));
	fprintf(f, "tun_read_errors=%llu\n", U(ps->up_read_errors));
}

static void kernel_lines(FILE *f, int ifindex)
{
	struct qnet_link_stats k;

	if (ifindex <= 0 || qnet_link_stats_get(ifindex, &k) < 0)
		return;
	fprintf(f,
		"kernel_rx_packets=%llu\nkernel_tx_packets=%llu\nkernel_rx_dropped=%llu\n"
		"kernel_tx_dropped=%llu\nkernel_rx_errors=%llu\nkernel_tx_errors=%llu\n",
		U(k.rx_packets), U(k.tx_packets), U(k.rx_dropped), U(k.tx_dropped), U(k.rx_errors),
		U(k.tx_errors));
}

static void modem_lines(FILE *f, const struct qmi_wds_get_packet_statistics_resp *w)
{
	if (w->has_tx_packets_ok)
		fprintf(f, "modem_tx_packets_ok=%u\n", w->tx_packets_ok);
	if (w->has_rx_packets_ok)
		fprintf(f, "modem_rx_packets_ok=%u\n", w->rx_packets_ok);
	if (w->has_tx_bytes_ok)
		fprintf(f, "modem_tx_bytes_ok=%llu\n", U(w->tx_bytes_ok));
	if (w->has_rx_bytes_ok)
		fprintf(f, "modem_rx_bytes_ok=%llu\n", U(w->rx_bytes_ok));
	if (w->has_tx_packets_dropped)
		fprintf(f, "modem_tx_packets_dropped=%u\n", w->tx_packets_dropped);
	if (w->has_rx_packets_dropped)
		fprintf(f, "modem_rx_packets_dropped=%u\n", w->rx_packets_dropped);
}

/* One session's keys. */
static void session_lines(FILE *f, struct qconn *c, const char *apn)
{
	struct qconn_info in;

	qconn_get_info(c, &in);
	fprintf(f, "interface=%s\nstate=%s\nlast=%s\n", in.ifname, state_name(&in), in.last);
	fprintf(f, "apn=%s\n", apn ? apn : "");
	/* Packet service status is per WDS client: `status` through the share asks this one. */
	fprintf(f, "wds_cid=%u\n", in.wds_cid);
	if (in.data_format[0])
		fprintf(f, "data_format=%s\n", in.data_format);
	if (in.mux_id)
		fprintf(f, "mux_id=%u\n", in.mux_id);
	if (in.state == QCONN_UP) {
		fprintf(f, "uptime_s=%llu\n", U(in.uptime_s));
		if (in.ipv4[0])
			fprintf(f, "ipv4=%s\n", in.ipv4);
		if (in.ipv6[0])
			fprintf(f, "ipv6=%s\n", in.ipv6);
		fprintf(f, "mtu=%u\n", in.mtu);
	}
	if (in.pump)
		pump_lines(f, &in);
	kernel_lines(f, in.ifindex);
	if (in.modem)
		modem_lines(f, in.modem);
}

/* Copies the lines of src to f, each behind prefix. */
static void prefixed(FILE *f, const char *src, const char *prefix)
{
	while (*src) {
		const char *nl = strchr(src, '\n');
		size_t n = nl ? (size_t)(nl - src) : strlen(src);

		fprintf(f, "%s%.*s\n", prefix, (int)n, src);
		src += n + (nl != NULL);
	}
}

static void mux_lines(FILE *f, const struct qnet_mux_stats *m)
{
	fprintf(f,
		"mux_down_transfers=%llu\nmux_commands=%llu\n"
		"mux_drop_unknown=%llu\nmux_drop_bad=%llu\n"
		"mux_drop_trunc=%llu\nmux_cmd_answers=%llu\n"
		"mux_cmd_answers_lost=%llu\nmux_cmd_bad=%llu\n",
		U(m->down_aggs), U(m->down_qmap_commands), U(m->drop_down_unknown),
		U(m->drop_down_qmap_bad), U(m->drop_down_qmap_trunc), U(m->qmap_cmd_answers),
		U(m->qmap_cmd_answers_lost), U(m->qmap_cmd_bad));
}

void qcli_publish(struct qcli_statefile *sf, const struct qcli_pdn *s, unsigned n,
		  const struct qconn_link *link, const char *devname)
{
	char body[QCLI_STATE_BODY], one[3072], pfx[16];
	const struct qnet_mux_stats *m = link ? qconn_link_mux_stats(link) : NULL;
	FILE *f;

	if (sf->lockfd < 0 || !n)
		return;
	f = fmemopen(body, sizeof(body), "w");
	if (!f)
		return;
	/* The pid is for people; readers trust the lock's holder only. */
	fprintf(f, "pid=%ld\ndevice=%s\nsessions=%u\n", (long)getpid(), devname, n);
	if (m)
		mux_lines(f, m);
	for (unsigned i = 0; i < n; i++) {
		FILE *g = fmemopen(one, sizeof(one), "w");

		if (!g)
			break;
		if (s[i].c)
			session_lines(g, s[i].c, s[i].apn);
		else /* failed for good, and stopped */
			fprintf(g, "interface=\nstate=failed\napn=%s\n", s[i].apn ? s[i].apn : "");
		fputc('\0', g);
		fclose(g);
		one[sizeof(one) - 1] = '\0';
		snprintf(pfx, sizeof(pfx), "pdn%u.", i + 1);
		prefixed(f, one, i ? pfx : "");
	}
	fputc('\0', f);
	fclose(f);
	body[sizeof(body) - 1] = '\0';
	qcli_statefile_write(sf, body);
}
