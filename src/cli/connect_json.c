/* SPDX-License-Identifier: MIT */
/*
 * `qmiusb connect --json`: a long-running command, so instead of the dispatcher's single
 * object it writes one complete object per line: "up" each time the connection is configured
 * (again after a reconnect), "state" on every transition (a backoff's with its reason and
 * delay), and "exit" once at the end. The members follow the other
 * commands' conventions ("command", "device", "error" as report.c writes it).
 */
#include "cli/connect_share.h"

#include <arpa/inet.h>

#include "cli/cli.h"
#include "conn/conn.h"
#include "net/netconf.h"

static const char *devname(const struct qcli *cli)
{
	return cli->devname[0] ? cli->devname : cli->device;
}

static void addr(struct qcli_json *js, const char *key, int af, const void *a)
{
	char buf[INET6_ADDRSTRLEN];

	qcli_json_str(js, key, inet_ntop(af, a, buf, sizeof(buf)));
}

/* Ends the line; a stream that fails is reported once, on stderr. */
static void finish(struct qcli_connect_json *j, struct qcli_json *js)
{
	if (qcli_json_finish(js) == 0)
		fputc('\n', j->out);
	if (fflush(j->out) != 0)
		fprintf(j->cli->err, "warning: couldn't write the JSON output\n");
}

void qcli_connect_json_up(struct qcli_connect_json *j, const struct qconn_up *up, unsigned session,
			  const char *apn, unsigned mux_id)
{
	const struct qnet_ipconf *ip = up->ip;
	struct qcli_json js;
	unsigned i;

	qcli_json_init(&js, j->out);
	qcli_json_obj_begin(&js, NULL);
	qcli_json_str(&js, "command", "connect");
	qcli_json_str(&js, "device", devname(j->cli));
	qcli_json_str(&js, "event", "up");
	qcli_json_uint(&js, "session", session);
	if (apn)
		qcli_json_str(&js, "apn", apn);
	else
		qcli_json_null(&js, "apn");
	qcli_json_uint(&js, "mux_id", mux_id);
	qcli_json_str(&js, "interface", up->ifname);
	if (ip->has_v4) {
		qcli_json_obj_begin(&js, "ipv4");
		addr(&js, "address", AF_INET, &ip->v4_addr);
		qcli_json_uint(&js, "prefix", ip->v4_prefix);
		if (ip->v4_gw.s_addr)
			addr(&js, "gateway", AF_INET, &ip->v4_gw);
		else
			qcli_json_null(&js, "gateway");
		qcli_json_obj_end(&js);
	}
	if (ip->has_v6) {
		qcli_json_obj_begin(&js, "ipv6");
		addr(&js, "address", AF_INET6, &ip->v6_addr);
		qcli_json_uint(&js, "prefix", ip->v6_prefix);
		if (!IN6_IS_ADDR_UNSPECIFIED(&ip->v6_gw))
			addr(&js, "gateway", AF_INET6, &ip->v6_gw);
		else
			qcli_json_null(&js, "gateway");
		qcli_json_obj_end(&js);
	}
	qcli_json_arr_begin(&js, "dns");
	for (i = 0; i < ip->n_dns4 && i < QNET_DNS_MAX; i++)
		addr(&js, NULL, AF_INET, &ip->dns4[i]);
	for (i = 0; i < ip->n_dns6 && i < QNET_DNS_MAX; i++)
		addr(&js, NULL, AF_INET6, &ip->dns6[i]);
	qcli_json_arr_end(&js);
	qcli_json_uint(&js, "mtu", ip->mtu);
	qcli_json_bool(&js, "routes", ip->routes_added != 0); /* ours, not merely asked for */
	qcli_json_str(&js, "data_path", up->data_path);
	if (j->share) {
		qcli_json_obj_begin(&js, "shared");
		qcli_json_str(&js, "socket", qcli_share_name(j->share));
		if (qcli_share_path(j->share)[0])
			qcli_json_str(&js, "device_path", qcli_share_path(j->share));
		else
			qcli_json_null(&js, "device_path");
		qcli_json_obj_end(&js);
	} else {
		qcli_json_null(&js, "shared");
	}
	qcli_json_obj_end(&js);
	finish(j, &js);
	j->ups++;
}

/* delay_ms < 0: none */
static void state_obj(struct qcli_connect_json *j, const char *state, const char *reason,
		      long long delay_ms)
{
	struct qcli_json js;

	qcli_json_init(&js, j->out);
	qcli_json_obj_begin(&js, NULL);
	qcli_json_str(&js, "command", "connect");
	qcli_json_str(&js, "device", devname(j->cli));
	qcli_json_str(&js, "event", "state");
	qcli_json_str(&js, "state", state);
	if (reason)
		qcli_json_str(&js, "reason", reason);
	if (delay_ms >= 0)
		qcli_json_uint(&js, "delay_ms", (unsigned long long)delay_ms);
	qcli_json_obj_end(&js);
	finish(j, &js);
}

void qcli_connect_json_state(struct qcli_connect_json *j, const char *state, const char *reason)
{
	state_obj(j, state, reason, -1);
}

void qcli_connect_json_backoff(struct qcli_connect_json *j, const char *reason, unsigned delay_ms)
{
	state_obj(j, "backoff", reason, delay_ms);
}

void qcli_connect_json_exit(struct qcli_connect_json *j, int exit_code)
{
	struct qcli *cli = j->cli;
	struct qcli_json js;

	qcli_json_init(&js, j->out);
	qcli_json_obj_begin(&js, NULL);
	qcli_json_str(&js, "command", "connect");
	qcli_json_str(&js, "device", devname(cli));
	qcli_json_str(&js, "event", "exit");
	/* "disconnected": it was up and was asked to stop; "stopped": asked to stop before it
	 * was ever up; "failed": see "error". */
	qcli_json_str(&js, "outcome", exit_code ? "failed" : j->ups ? "disconnected" : "stopped");
	qcli_json_bool(&js, "was_up", j->ups > 0);
	qcli_json_int(&js, "exit_code", exit_code);
	if (exit_code && !cli->error.exit_code) {
		cli->error.exit_code = exit_code;
		snprintf(cli->error.message, sizeof(cli->error.message), "connect failed");
	}
	if (exit_code) {
		cli->js = &js; /* qcli_json_error writes into cli->js */
		qcli_json_error(cli);
		cli->js = NULL;
	}
	qcli_json_obj_end(&js);
	finish(j, &js);
}
