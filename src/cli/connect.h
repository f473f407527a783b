/* SPDX-License-Identifier: MIT */
/*
 * The connection manager behind `qmiusb connect`: a state machine on the session's loop that
 * sets raw-IP, waits for the SIM and packet-domain registration, starts one WDS call per IP
 * family, configures the TUN, runs the data pump, follows Packet Service Status indications and
 * reconnects with backoff. Nothing in it blocks except the final teardown.
 */
#ifndef QCLI_CONNECT_H
#define QCLI_CONNECT_H

#include <stdbool.h>
#include <stdint.h>

struct qcli;
struct qconn;
struct qnet_ipconf;

enum { QCONN_V4 = 1, QCONN_V6 = 2 };

struct qconn_opts {
	const char *apn;          /* NULL: the profile's */
	const char *user, *password;
	const char *ifname;       /* NULL: the kernel picks qmiusb%d */
	const char *dns_file;     /* NULL: DNS servers are only printed */
	unsigned families;        /* QCONN_V4 | QCONN_V6 */
	int auth;                 /* -1: not sent; else a QMI_WDS_AUTH_* mask */
	int profile;              /* -1: not sent */
	bool no_routes;
	bool qmap;                /* ask for QMAP aggregation (mux id 0); raw-IP if refused */
	unsigned sim_timeout_ms, reg_timeout_ms;
	unsigned backoff_min_ms, backoff_max_ms;
	/* Each time the connection is up and configured, after the summary (connect --json). */
	void (*on_up)(void *user, const char *ifname, const struct qnet_ipconf *ip,
		      const char *data_path);
	void *on_up_user;
};

/* The session must be open (cli->dev, cli->loop). Allocates the client ids (recorded in
 * cli->clients, so the session releases them), opens the TUN and starts the machine. Returns an
 * exit code; failures are reported. */
int qconn_start(struct qconn **out, struct qcli *cli, const struct qconn_opts *o);
/* True once the machine gave up; *exit_code says why (reported already). */
bool qconn_failed(const struct qconn *c, int *exit_code);
/* Stops the calls (synchronously), undoes the TUN configuration, closes the TUN and frees c.
 * Accepts NULL. */
void qconn_stop(struct qconn *c);

#endif
