/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb status`: the running connection's part, read from the state file a `qmiusb connect`
 * on the same device publishes (connect_state.h): state, interface, addresses, TUN counters with
 * drops by reason, the TUN's kernel counters (its queue's drops), and the modem's own WDS packet statistics as the connection last read them.
 * Human output in qmicli's style; with --json one member "connection" (an object, or null when
 * nothing runs). With several sessions (PDNs) the first one's fields are the connection's, as
 * with one, and "sessions" lists every session's (the state file's pdnN.<key>).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect_state.h"
#include "qmi/device.h"

/* Key in the state file, label for people, and the JSON type. */
static const struct {
	const char *key, *label;
	bool number;
} fields[] = {
	{ "state", "State", false },
	{ "interface", "Interface", false },
	{ "apn", "APN", false },
	{ "data_format", "Data format", false },
	{ "mux_id", "QMAP mux id", true },
	{ "ipv4", "IPv4 address", false },
	{ "ipv6", "IPv6 address", false },
	{ "mtu", "MTU", true },
	{ "uptime_s", "Up for (s)", true },
	{ "data_path", "Data path", false },
	{ "last", "Last event", false },
	{ "tun_rx_packets", "TUN packets read", true },
	{ "tun_rx_bytes", "TUN bytes read", true },
	{ "tun_tx_packets", "TUN packets written", true },
	{ "tun_tx_bytes", "TUN bytes written", true },
	{ "drops", "Drops", true },
	{ "drop_up_too_big", "  uplink, too big", true },
	{ "drop_up_bad", "  uplink, framing rejected", true },
	{ "drop_up_send", "  uplink, refused by the modem side", true },
	{ "drop_down_no_buf", "  downlink, no buffer", true },
	{ "drop_down_too_big", "  downlink, too big", true },
	{ "drop_down_bad", "  downlink, not IP", true },
	{ "drop_down_write", "  downlink, TUN write failed", true },
	{ "backpressure_pauses", "Backpressure pauses", true },
	{ "tun_read_errors", "TUN read errors", true },
	{ "qmap_up_transfers", "QMAP uplink transfers", true },
	{ "qmap_down_transfers", "QMAP downlink transfers", true },
	{ "qmap_commands", "QMAP command frames", true },
	{ "drop_down_qmap_bad", "  downlink, malformed QMAP", true },
	{ "drop_down_qmap_trunc", "  downlink, truncated QMAP", true },
	{ "down_csum_valid", "Downlink checksums checked by the modem", true },
	{ "down_csum_unchecked", "Downlink checksums not checked", true },
	{ "qmap_flow_off", "QMAP flow control pauses", true },
	{ "qmap_cmd_answers", "QMAP command answers", true },
	{ "qmap_cmd_answers_lost", "QMAP command answers lost", true },
	{ "qmap_cmd_bad", "QMAP bad command frames", true },
	/* The TUN's counters as the kernel keeps them: its TX drops are packets for us that
	 * waited in the TUN's queue while the pump was busy, which the pump never sees. */
	{ "kernel_rx_packets", "Kernel: packets sent into the TUN", true },
	{ "kernel_tx_packets", "Kernel: packets queued to the TUN", true },
	{ "kernel_rx_dropped", "Kernel: RX drops", true },
	{ "kernel_tx_dropped", "Kernel: TX drops (TUN queue full)", true },
	{ "kernel_rx_errors", "Kernel: RX errors", true },
	{ "kernel_tx_errors", "Kernel: TX errors", true },
	{ "modem_tx_packets_ok", "Modem TX packets OK", true },
	{ "modem_rx_packets_ok", "Modem RX packets OK", true },
	{ "modem_tx_bytes_ok", "Modem TX bytes OK", true },
	{ "modem_rx_bytes_ok", "Modem RX bytes OK", true },
	{ "modem_tx_packets_dropped", "Modem TX packets dropped", true },
	{ "modem_rx_packets_dropped", "Modem RX packets dropped", true },
};

/* "A/prefix" from the state file as connect --json shows an address: {address, prefix,
 * gateway} (the state file has no gateway: null). */
static void json_addr(struct qcli_json *js, const char *key, const char *v)
{
	char a[64];
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);

	if (n >= sizeof(a))
		n = sizeof(a) - 1;
	memcpy(a, v, n);
	a[n] = '\0';
	qcli_json_obj_begin(js, key);
	qcli_json_str(js, "address", a);
	if (slash)
		qcli_json_uint(js, "prefix", strtoul(slash + 1, NULL, 10));
	else
		qcli_json_null(js, "prefix");
	qcli_json_null(js, "gateway");
	qcli_json_obj_end(js);
}

/* The modem-wide QMAP counters (its one mux). */
static const struct {
	const char *key, *label;
} modem_fields[] = {
	{ "mux_down_transfers", "QMAP downlink transfers (modem)" },
	{ "mux_commands", "QMAP command frames (modem)" },
	{ "mux_drop_unknown", "QMAP frames for no session" },
	{ "mux_drop_bad", "QMAP malformed frames (modem)" },
	{ "mux_drop_trunc", "QMAP truncated transfers (modem)" },
	{ "mux_cmd_answers", "QMAP command answers (modem)" },
	{ "mux_cmd_answers_lost", "QMAP command answers lost (modem)" },
	{ "mux_cmd_bad", "QMAP bad command frames (modem)" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Session n's value of key (n 1: the unprefixed keys). */
static const char *session_get(const struct qcli_state *st, unsigned n, const char *key)
{
	char k[64];

	if (n == 1)
		return qcli_state_get(st, key);
	snprintf(k, sizeof(k), "pdn%u.%s", n, key);
	return qcli_state_get(st, k);
}

static void session_json(struct qcli *cli, const struct qcli_state *st, unsigned n)
{
	for (unsigned i = 0; i < N(fields); i++) {
		const char *v = session_get(st, n, fields[i].key);

		if (!v)
			continue;
		if (!strcmp(fields[i].key, "ipv4") || !strcmp(fields[i].key, "ipv6"))
			json_addr(cli->js, fields[i].key, v);
		else if (fields[i].number)
			qcli_json_uint(cli->js, fields[i].key, strtoull(v, NULL, 10));
		else
			qcli_json_str(cli->js, fields[i].key, v);
	}
}

static void session_text(struct qcli *cli, const struct qcli_state *st, unsigned n,
			 const char *indent)
{
	for (unsigned i = 0; i < N(fields); i++) {
		const char *v = session_get(st, n, fields[i].key);

		if (v)
			fprintf(cli->out, "%s%s: '%s'\n", indent, fields[i].label, v);
	}
}

uint8_t qcli_connection_wds_cid(struct qcli *cli)
{
	const struct qmi_transport *tr = cli->dev ? qmi_dev_transport(cli->dev) : NULL;
	struct qcli_state st;
	const char *v;
	pid_t pid;
	unsigned long cid;

	/* Only through the proxy is this the modem the connection runs on; a private -d sim or
	 * another device has a state file of the same name but not that client. */
	if (!tr || !tr->ops || !tr->ops->name || strcmp(tr->ops->name, "proxy") != 0)
		return 0;
	if (qcli_state_read(cli->devname, &st, &pid) < 0)
		return 0;
	v = qcli_state_get(&st, "wds_cid");
	cid = v ? strtoul(v, NULL, 10) : 0;
	return cid > 0 && cid < QMI_CID_BROADCAST ? (uint8_t)cid : 0;
}

int qcli_status_connection(struct qcli *cli)
{
	struct qcli_state st;
	pid_t pid = 0;
	unsigned long nsess;
	const char *v;
	unsigned i;

	if (qcli_state_read(cli->devname, &st, &pid) < 0) {
		if (cli->js)
			qcli_json_null(cli->js, "connection");
		else
			fprintf(cli->out, "[%s] No qmiusb connection running on this device\n",
				cli->devname);
		return QCLI_EXIT_OK;
	}
	v = qcli_state_get(&st, "sessions");
	nsess = v ? strtoul(v, NULL, 10) : 1;
	if (nsess < 1 || nsess > 64)
		nsess = 1;
	if (cli->js) {
		qcli_json_obj_begin(cli->js, "connection");
		qcli_json_int(cli->js, "pid", pid);
		session_json(cli, &st, 1);
		for (i = 0; i < N(modem_fields); i++) {
			v = qcli_state_get(&st, modem_fields[i].key);
			if (v)
				qcli_json_uint(cli->js, modem_fields[i].key, strtoull(v, NULL, 10));
		}
		qcli_json_arr_begin(cli->js, "sessions");
		for (i = 1; i <= nsess; i++) {
			qcli_json_obj_begin(cli->js, NULL);
			qcli_json_uint(cli->js, "session", i);
			session_json(cli, &st, i);
			qcli_json_obj_end(cli->js);
		}
		qcli_json_arr_end(cli->js);
		qcli_json_obj_end(cli->js);
		return QCLI_EXIT_OK;
	}
	fprintf(cli->out, "[%s] Connection (qmiusb connect, pid %ld):\n", cli->devname, (long)pid);
	session_text(cli, &st, 1, "\t");
	for (i = 0; i < N(modem_fields); i++) {
		v = qcli_state_get(&st, modem_fields[i].key);
		if (v)
			fprintf(cli->out, "\t%s: '%s'\n", modem_fields[i].label, v);
	}
	for (i = 2; i <= nsess; i++) {
		fprintf(cli->out, "\tSession %u (PDN %u):\n", i, i);
		session_text(cli, &st, i, "\t\t");
	}
	return QCLI_EXIT_OK;
}
