/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb status`: the running connection's part, read from the state file a `qmiusb connect`
 * on the same device publishes (connect_state.h): state, interface, addresses, TUN counters with
 * drops by reason, the TUN's kernel counters (its queue's drops), and the modem's own WDS packet statistics as the connection last read them.
 * Human output in qmicli's style; with --json one member "connection" (an object, or null when
 * nothing runs).
 */
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
	unsigned i;

	if (qcli_state_read(cli->devname, &st, &pid) < 0) {
		if (cli->js)
			qcli_json_null(cli->js, "connection");
		else
			fprintf(cli->out, "[%s] No qmiusb connection running on this device\n",
				cli->devname);
		return QCLI_EXIT_OK;
	}
	if (cli->js) {
		qcli_json_obj_begin(cli->js, "connection");
		qcli_json_int(cli->js, "pid", pid);
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			const char *v = qcli_state_get(&st, fields[i].key);

			if (!v)
				continue;
			if (fields[i].number)
				qcli_json_uint(cli->js, fields[i].key, strtoull(v, NULL, 10));
			else
				qcli_json_str(cli->js, fields[i].key, v);
		}
		qcli_json_obj_end(cli->js);
		return QCLI_EXIT_OK;
	}
	fprintf(cli->out, "[%s] Connection (qmiusb connect, pid %ld):\n", cli->devname, (long)pid);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = qcli_state_get(&st, fields[i].key);

		if (v)
			fprintf(cli->out, "\t%s: '%s'\n", fields[i].label, v);
	}
	return QCLI_EXIT_OK;
}
